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
