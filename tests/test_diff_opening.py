"""What a comparison says about the top of a document: a "Title: ..."
details block (as Pelican and mdBook write one) whose status or owner
changed is a change of the document's details, not an empty "[changed]"
section; a heading taken away above the opening text is a heading
removed (not a section renamed to nothing and moved to another level);
a title heading alone, rewritten, is renamed (not removed and added);
and the text before the first heading is named as such.  Through the
command line, on a real workspace."""

from __future__ import annotations

import lxml.html
import pytest

from guidelines_app.cli import main as cli
from guidelines_app.review.diff import diff_texts
from guidelines_app.review.redline_html import render_html_fragment

PELICAN = """Title: Library volunteers online
Status: draft
Owner: Dana

Volunteers may post about events once they are public.

# Photos

Nobody posts photos of children without consent.
"""


@pytest.fixture(autouse=True)
def _no_safety_net(monkeypatch):
    monkeypatch.setenv("GUIDELINES_CLI_STRICT", "1")


def _saved(ws, capsys, slug: str, *texts: str) -> None:
    """*texts* written to the document's file and saved, one revision each."""
    for n, text in enumerate(texts):
        (ws.root / "guidelines" / f"{slug}.md").write_text(text, encoding="utf-8")
        assert cli.main(["--workspace", str(ws.root), "save", slug, "-m", f"revision {n}"]) == 0
    capsys.readouterr()


def _diff(ws, capsys, slug: str) -> str:
    assert cli.main(["--workspace", str(ws.root), "diff", slug, "HEAD~1", "HEAD", "--no-authors"]) == 0
    return capsys.readouterr().out


def test_a_details_block_in_the_text_changes_the_details_not_a_section(workspace, capsys):
    _saved(workspace, capsys, "volunteers", PELICAN, PELICAN.replace("Status: draft", "Status: in review"))
    out = _diff(workspace, capsys, "volunteers")
    assert "details: Status: Draft -> In review" in out
    assert "[changed]" not in out and "section" not in out and "0 words inserted, 0 deleted" in out
    _saved(workspace, capsys, "volunteers", PELICAN.replace("Owner: Dana", "Owner: Lee"))
    out = _diff(workspace, capsys, "volunteers")
    assert "details: Owner: Dana -> Lee" in out and "[changed]" not in out
    # The compare view lists it among the details too, and shows no empty change.
    d = diff_texts(PELICAN, PELICAN.replace("Owner: Dana", "Owner: Lee"))
    assert d.meta_changes == [("owner", "Dana", "Lee")] and not any(r.changed for r in d.rows)
    assert "Document details" in render_html_fragment(d) and d.changes() == []


def test_a_heading_taken_away_above_the_opening_text_is_a_heading_removed(workspace, capsys):
    titled = "# Volunteers online\n\nVolunteers may post about events once they are public.\n\n## Photos\n\nNo photos.\n"
    untitled = titled.replace("# Volunteers online\n\n", "")
    _saved(workspace, capsys, "club", titled, untitled)
    out = _diff(workspace, capsys, "club")
    assert "# [-Volunteers online-]  [heading removed]" in out
    assert "1 heading removed" in out and "another level" not in out and "renamed" not in out
    assert "(before the first heading)[-" not in out
    # The compare view shows the heading struck through (it showed nothing).
    page = lxml.html.fragment_fromstring(render_html_fragment(diff_texts(titled, untitled)), create_parent="div")
    assert [h.text_content() for h in page.iter("h1")] == ["Volunteers online [heading removed]"]
    assert page.find(".//h1/del").text == "Volunteers online"
    _saved(workspace, capsys, "club", titled)
    out = _diff(workspace, capsys, "club")
    assert "# {+Volunteers online+}  [heading added]" in out and "1 heading added" in out and "another level" not in out


def test_a_title_heading_alone_rewritten_is_renamed(workspace, capsys):
    body = "# Rules\n\n## Photos\n\nNo photos.\n"
    _saved(workspace, capsys, "rules", body, body.replace("# Rules", "# Volunteer handbook"))
    out = _diff(workspace, capsys, "rules")
    assert "# [-Rules-]{+Volunteer handbook+}  [renamed]" in out and "1 section renamed" in out
    assert "[added]" not in out and "[removed]" not in out


def test_the_text_before_the_first_heading_is_named_as_such(workspace, capsys):
    _saved(workspace, capsys, "volunteers", PELICAN, PELICAN.replace("once they are public", "once public"))
    out = _diff(workspace, capsys, "volunteers")
    assert "\nOpening text (before the first heading)  [changed]\n" in out
    assert "~ Volunteers may post about events once [-they are-] public." in out


def test_the_lists_of_changed_sections_name_the_opening_text_and_a_heading_removed():
    """The compare window's list of changed sections and the HTML summary
    (``label_text``) said "(before the first heading)" and "Volunteers
    online → " for a heading taken away."""
    from guidelines_app.review.redline_layout import label_text

    titled = "# Volunteers *online*\n\nVolunteers may post.\n\n## Photos\n\nNo photos.\n"
    rows = [r for r in diff_texts(titled, titled.replace("# Volunteers *online*\n\n", "")).rows if r.changed]
    assert [label_text(r) for r in rows] == ["Volunteers online"]
    rows = [r for r in diff_texts(PELICAN, PELICAN.replace("once they are public", "once public")).rows if r.changed]
    assert [label_text(r) for r in rows] == ["Opening text (before the first heading)"]
    renamed = [r for r in diff_texts(titled, titled.replace("## Photos", "## Pictures")).rows if r.changed]
    assert [label_text(r) for r in renamed] == ["Photos \u2192 Pictures"]
