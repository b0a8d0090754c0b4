"""A line break inside a paragraph (a line ending in two spaces or a
backslash: the preview and the export start a new line there) is kept
through the comparison and drawn in every redline: a <br> in the HTML one,
a w:br in the Word one, a new line in the text one.  A break added or taken
away is that spot changed, not a word.  Real .docx files reopened with
python-docx, HTML read with lxml."""

from __future__ import annotations

import docx
import lxml.html
import pytest

from guidelines_app.review import redline
from guidelines_app.review.diff import diff_texts, split_blocks
from guidelines_app.review.redline_html import render_html_fragment
from guidelines_app.review.redline_layout import BREAK_MARK

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LABELS = redline.Labels(title="Club rules", old="v1", new="v2", author="Reviewer")

SPACES = "# Contacts\n\nCall the desk first,  \nthen the duty manager.\n\n- Write to us  \n  by email.\n"
BACKSLASH = SPACES.replace(",  \n", ",\\\n").replace("us  \n", "us\\\n")
JOINED = "# Contacts\n\nCall the desk first, then the duty manager.\n\n- Write to us by email.\n"
NEW_WORDS = SPACES.replace("the duty manager.", "the duty manager or Legal.")


@pytest.mark.parametrize("text", [SPACES, BACKSLASH])
def test_the_splitter_keeps_a_line_break(text):
    blocks = split_blocks(text.split("\n")[2:])
    assert [(b.kind, b.content) for b in blocks] == [
        ("paragraph", "Call the desk first,\nthen the duty manager."), ("item", "Write to us\nby email.")]


@pytest.mark.parametrize("lines, content", [
    (["Ends in a backslash \\\\", "that is escaped."], "Ends in a backslash \\\\ that is escaped."),
    (["Two spaces on the last line only.  "], "Two spaces on the last line only."),
    (["One", "two  ", "three"], "One two\nthree"),
    (["\\", "after a break alone"], "after a break alone"),
    (["> Quoted  ", "> on two lines."], "> Quoted\non two lines."),
    (["1. First  ", "   second", "   third"], "First\nsecond third"),
])
def test_a_break_where_the_export_has_one_and_no_word_lost(lines, content):
    (block,) = split_blocks(lines)
    assert block.content == content


def test_a_paragraph_kept_with_its_break_is_unchanged():
    result = diff_texts(SPACES, SPACES.replace("Contacts", "Contact"))
    assert [b.kind for b in result.rows[0].blocks] == ["equal", "equal"]
    # (the two ways of writing a break are the same break)
    assert diff_texts(SPACES, BACKSLASH).formatting_only


def test_a_break_added_is_that_spot_changed_not_a_word():
    result = diff_texts(JOINED, SPACES)
    para, item = result.rows[0].blocks
    assert para.kind == item.kind == "changed"
    assert [(op.kind, op.text) for op in para.words] == [
        ("equal", "Call the desk first,"), ("delete", " "), ("insert", "\n"), ("equal", "then the duty manager.")]
    assert (result.words_inserted, result.words_deleted) == (0, 0)
    assert not result.formatting_only


def test_words_compare_as_without_the_break():
    """A changed paragraph with a break: its words aligned as before (the
    punctuation refinement too), the break kept in place."""
    result = diff_texts(SPACES, NEW_WORDS)
    para = result.rows[0].blocks[0]
    assert [(op.kind, op.text) for op in para.words] == [
        ("equal", "Call the desk first,\nthen the duty manager"), ("insert", " or Legal"), ("equal", ".")]
    assert (result.words_inserted, result.words_deleted) == (2, 0)
    plain = diff_texts(JOINED, JOINED.replace("the duty manager.", "the duty manager or Legal."))
    assert plain.verdict() == result.verdict()


def _paragraph_html(fragment: str, text: str):
    page = lxml.html.fromstring(f"<div>{fragment}</div>")
    for p in page.iter("p"):
        if text in p.text_content():
            return p
    raise AssertionError(f"no paragraph with {text!r}")


@pytest.mark.parametrize("side", ["inline", "old", "new"])
def test_html_redline_draws_the_break(side):
    page = render_html_fragment(diff_texts(SPACES, NEW_WORDS), side=side)
    para = _paragraph_html(page, "Call the desk")
    assert len(para.findall(".//br")) == 1
    assert para.text_content().startswith("Call the desk first,then")  # (a <br>, no space)
    item = _paragraph_html(page, "Write to us")
    assert len(item.findall(".//br")) == 1


def test_html_redline_marks_a_break_added_or_taken_away():
    added = render_html_fragment(diff_texts(JOINED, SPACES))
    para = _paragraph_html(added, "Call the desk")
    (ins,) = [el for el in para.iter("ins") if BREAK_MARK in el.text_content()]
    assert ins.findall(".//br")  # the new line, marked
    assert "Line break added" in lxml.html.tostring(ins, encoding="unicode")
    taken = diff_texts(SPACES, JOINED)
    inline = _paragraph_html(render_html_fragment(taken), "Call the desk")
    (gone,) = [el for el in inline.iter("del") if BREAK_MARK in el.text_content()]
    assert not inline.findall(".//br")  # the inline view reads as the new text: no new line
    old = _paragraph_html(render_html_fragment(taken, side="old"), "Call the desk")
    assert old.findall(".//br") and BREAK_MARK in old.text_content()
    new = _paragraph_html(render_html_fragment(taken, side="new"), "Call the desk")
    assert not new.findall(".//br") and BREAK_MARK not in new.text_content()


def test_html_placeholder_keeps_the_lines():
    """The grey band in the column without a paragraph is as high as it."""
    result = diff_texts("# Contacts\n\nKept.\n", "# Contacts\n\nKept.\n\nA new line  \nand another.\n")
    band = _paragraph_html(render_html_fragment(result, side="old"), "A new line")
    assert band.findall(".//br")


def _breaks(path, text: str) -> list:
    for p in docx.Document(str(path)).paragraphs:
        if text in "".join(t.text or "" for t in p._p.iter(f"{W}t", f"{W}delText")):
            return list(p._p.iter(f"{W}br"))
    raise AssertionError(f"no paragraph with {text!r}")


def test_word_redline_draws_the_break(tmp_path):
    result = diff_texts(SPACES, NEW_WORDS)
    path = redline.write_docx_redline(result, tmp_path / "red.docx", LABELS)
    assert len(_breaks(path, "Call the desk")) == 1
    assert len(_breaks(path, "Write to us")) == 1
    accepted = redline.docx_paragraph_texts(path, accept=True)
    assert "Call the desk first,\nthen the duty manager or Legal." in accepted
    assert "Write to us\nby email." in accepted
    clean = redline.write_docx_clean(result, tmp_path / "clean.docx", LABELS)
    assert len(_breaks(clean, "Call the desk")) == 1


@pytest.mark.parametrize("old, new, tag", [(JOINED, SPACES, "ins"), (SPACES, JOINED, "del")])
def test_word_redline_tracks_a_break_added_or_taken_away(tmp_path, old, new, tag):
    path = redline.write_docx_redline(diff_texts(old, new), tmp_path / "red.docx", LABELS)
    (br,) = _breaks(path, "Call the desk")
    assert br.getparent().getparent().tag == f"{W}{tag}"  # (w:br in a run in the tracked change)
    with_break, without = "Call the desk first,\nthen the duty manager.", "Call the desk first, then the duty manager."
    assert (with_break if tag == "ins" else without) in redline.docx_paragraph_texts(path, accept=True)
    assert (without if tag == "ins" else with_break) in redline.docx_paragraph_texts(path, accept=False)


def test_text_redline_shows_the_break():
    lines = redline.render_text(diff_texts(SPACES, NEW_WORDS)).splitlines()
    at = next(n for n, line in enumerate(lines) if "Call the desk first," in line)
    assert lines[at] == "  ~ Call the desk first,"
    assert lines[at + 1] == "    then the duty manager {+or Legal+}."
    added = redline.render_text(diff_texts(JOINED, SPACES)).splitlines()
    at = next(n for n, line in enumerate(added) if "Call the desk first," in line)
    assert added[at] == f"  ~ Call the desk first, {{+{BREAK_MARK}+}}"
    assert added[at + 1] == "    then the duty manager."
    taken = redline.render_text(diff_texts(SPACES, JOINED))
    assert f"  ~ Call the desk first,[-{BREAK_MARK}-] then the duty manager." in taken.splitlines()
    whole = redline.render_text(diff_texts(JOINED, JOINED + "\nA new line  \nand another.\n")).splitlines()
    at = whole.index("  + A new line")
    assert whole[at + 1] == "    and another."


def test_cli_diff_draws_line_breaks_and_definitions(workspace, author, tmp_path, capsys, monkeypatch):
    """`guidelines diff DOC A B` as HTML and as Word, from saved revisions."""
    from guidelines_app.cli.main import main
    from guidelines_app.core.document import Document

    monkeypatch.setenv("GUIDELINES_WORKSPACE", str(workspace.root))
    body = SPACES.replace("# Contacts\n\n", "") + "\nOfficial account\n: An account that speaks for us.\n"
    slug, _ = workspace.create_document(Document.new("Contacts", body=body), author, slug="contacts")
    text = (workspace.root / "guidelines" / f"{slug}.md").read_text(encoding="utf-8")
    workspace.save_text(slug, text.replace("the duty manager.", "the duty manager or Legal.").replace(
        "speaks for us", "speaks for all of us"), author)
    assert main(["diff", slug, "HEAD~1", "HEAD", "--format", "html", "-o", str(tmp_path / "d.html")]) == 0
    page = lxml.html.parse(str(tmp_path / "d.html")).getroot()
    para = next(p for p in page.iter("p") if p.text_content().startswith("Call the desk"))
    assert para.findall(".//br") and "or Legal" in para.text_content()
    term = next(p for p in page.iter("p") if p.text_content() == "Official account")
    assert "font-weight:bold" in term.get("style")
    assert main(["diff", slug, "HEAD~1", "HEAD", "--format", "docx", "-o", str(tmp_path / "d.docx")]) == 0
    assert len(_breaks(tmp_path / "d.docx", "Call the desk")) == 1
    styles = {p.text: p.style.name for p in docx.Document(str(tmp_path / "d.docx")).paragraphs}
    assert styles["Official account"] == "Summary"
    capsys.readouterr()
