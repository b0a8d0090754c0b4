"""What the compare window's first screen needs, worked out in one go on a
worker (review/compare_first.py): named as the history names the versions,
the published ones too, read beside the comparison by a git process of its
own that never outlives it."""

from __future__ import annotations

import pytest

from guidelines_app.core import gitbatch
from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.review import compare_first, history
from guidelines_app.review.compare_first import Side


def _policy(workspace, author) -> str:
    slug, _ = workspace.create_document(Document.new("Policy", body="## Response time\n\nWe answer within 24 hours.\n"), author)
    history.publish(workspace, slug, "First approved version", "Dana Approver", author, kind="major")
    workspace.save_text(slug, workspace.load(slug).to_text().replace("24", "12"), author, "Faster answers")
    return slug


def test_the_first_screen_names_both_versions_as_the_history_does(workspace, author):
    slug = _policy(workspace, author)
    entries = history.history(workspace, slug)
    new, old = entries[0].sha, entries[1].sha
    found = compare_first.compare(workspace, slug, Side(old), Side(new), None, "Dana Writer", ("old", "new"))
    assert [found.labels.old, found.labels.new] == [compare_first.entry_label(entries[1]), compare_first.entry_label(entries[0])]
    assert found.labels.old.startswith("v1.0 · ") and found.versions == {old: ["1.0"]}
    assert set(found.pages) == {"old", "new"} and "12" in found.pages["new"] and found.complete
    assert found.verdict == found.result.verdict() and [text for text, _, row in found.sections if row is not None] == ["  Response time — changed"]
    named = compare_first.compare(workspace, slug, Side(old, "Before"), Side(new, "After"), None, "Dana Writer", ("inline",))
    assert [named.labels.old, named.labels.new] == ["Before", "After"] and named.versions is None and set(named.pages) == {"inline"}


def test_a_comparison_that_fails_leaves_no_listing_of_the_versions_behind(workspace, author):
    slug = _policy(workspace, author)
    missing = "0123456789" * 4
    with pytest.raises(GuidelinesError):
        compare_first.compare(workspace, slug, Side(missing), Side(history.history(workspace, slug)[0].sha), None, "Dana Writer",
                              ("old", "new"))
    assert not gitbatch._pending_tags.get(workspace.store)  # its git process was waited for


def test_the_compare_window_draws_quoted_code_and_lists_as_the_redline_does(workspace, author):
    """The window's pages were laid out from a comparison whose two texts
    had been cut to their link definitions, while the redline reads some
    blocks' lines from them: code in a quote was drawn at the margin, out of
    its quote, and a quote starting with a list item was nested as if in a
    list (the HTML redline drew both right)."""
    from guidelines_app.review import redline

    body = ("## Rules\n\n> Quoted advice:\n>\n>     code in the quote\n\n> - an item that starts a quote\n> - another\n\n"
            "Links: [the policy][p].\n\n[p]: https://example.org/policy\n")
    slug, _ = workspace.create_document(Document.new("Policy", body=body), author)
    workspace.save_text(slug, workspace.load(slug).to_text().replace("another", "another one"), author, "Edit")
    entries = history.history(workspace, slug)
    found = compare_first.compare(workspace, slug, Side(entries[1].sha), Side(entries[0].sha), None, "Dana Writer",
                                  ("old", "new", "inline"))
    assert found.complete
    for side in ("old", "new", "inline"):
        assert found.pages[side] == redline.render_html_fragment(found.result, side=side, qt=True), side
    assert 'class="quote"' in found.pages["new"].split("code in the quote")[0].rsplit("<pre", 1)[1]
    assert "underline\">the policy</span>" in found.pages["new"] and "[p]" not in found.pages["new"]  # (linked: its definition read)
