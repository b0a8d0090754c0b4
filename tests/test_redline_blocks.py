"""Blocks the redlines show as the export shows them: a heading taken away
above the opening text (or put in there) is a heading paragraph deleted
(inserted) in the Word redline; a rule is a rule in the HTML redline.
Real .docx files reopened with python-docx, HTML read with lxml."""

from __future__ import annotations

import re

import docx
import lxml.html
import pytest

from guidelines_app.core.document import Document
from guidelines_app.publishing.docx import export_docx
from guidelines_app.review import redline
from guidelines_app.review.diff import diff_texts
from guidelines_app.review.redline_html import render_html, render_html_fragment

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LABELS = redline.Labels(title="Club rules", old="v1", new="v2", author="Reviewer")

TITLED = "# Volunteers online\n\nVolunteers may post about events once they are public.\n\n## Photos\n\nNo photos.\n"
UNTITLED = TITLED.replace("# Volunteers online\n\n", "")


def _heading_paragraph(path, text: str):
    """The body paragraph holding *text* (inserted or deleted), with its style name."""
    document = docx.Document(str(path))
    for p in document.paragraphs:
        if "".join(t.text or "" for t in p._p.iter(f"{W}t", f"{W}delText")) == text:
            return p
    raise AssertionError(f"no paragraph {text!r}")


@pytest.mark.parametrize("old, new, tag", [(TITLED, UNTITLED, "del"), (UNTITLED, TITLED, "ins")])
def test_a_heading_taken_away_or_put_in_above_the_opening_text_is_tracked(tmp_path, old, new, tag):
    """The diff says "heading removed" ("heading added") and the compare
    view strikes it through; the Word redline left the removed heading out
    and put the added one in as inserted words in an untracked heading
    paragraph (Reject All left an empty heading)."""
    result = diff_texts(old, new)
    assert result.rows[0].heading_change == ("heading removed" if tag == "del" else "heading added")
    path = redline.write_docx_redline(result, tmp_path / "red.docx", LABELS)
    para = _heading_paragraph(path, "Volunteers online")
    assert para.style.name == "Heading 1"  # its level, above "Photos"
    assert _heading_paragraph(path, "Photos").style.name == "Heading 2"
    mark = para._p.find(f"{W}pPr/{W}rPr/{W}{tag}")  # the paragraph itself tracked
    assert mark is not None and mark.get(f"{W}author") == "Reviewer"
    runs = para._p.findall(f".//{W}r")
    assert runs and all(r.getparent().tag == f"{W}{tag}" for r in runs)
    opening = "Volunteers may post about events once they are public."
    texts = {True: [opening, "Photos", "No photos."], False: ["Volunteers online", opening, "Photos", "No photos."]}
    removed = tag == "del"
    assert redline.docx_paragraph_texts(path, accept=True) == texts[removed]
    assert redline.docx_paragraph_texts(path, accept=False) == texts[not removed]
    assert redline.new_text_paragraphs(result) == texts[removed]
    assert redline.old_text_paragraphs(result) == texts[not removed]
    # The clean copy is the new text alone.
    clean = redline.write_docx_clean(result, tmp_path / "clean.docx", LABELS)
    assert redline.docx_paragraph_texts(clean) == texts[removed]


RULES_OLD = "# Posting\n\nOne.\n\n---\n\nTwo.\n\n> Quoted.\n>\n> * * *\n>\n> More.\n\n- Item.\n\n  - - -\n\n  Under it.\n"
RULES_NEW = RULES_OLD.replace("---\n\nTwo.", "Two.\n\n_ _ _").replace("Quoted.\n>\n> * * *\n>\n> ", "Quoted.\n>\n> ")


def test_a_rule_is_a_rule_in_the_html_redline_marked_when_added_or_removed():
    """The HTML redline (and the compare view) showed "---", "- - -" and
    "* * *" as text where the preview, the export and the Word redline
    draw a rule; one added or removed is now marked as such."""
    result = diff_texts(RULES_OLD, RULES_NEW)
    for qt in (False, True):
        page = lxml.html.fragment_fromstring(render_html_fragment(result, qt=qt), create_parent="div")
        text = page.text_content()
        assert not any(marks in text for marks in ("---", "- - -", "* * *", "_ _ _", "***")), text
        rules = [(hr.get("title"), hr.get("style") or "") for hr in page.iter("hr")]
        assert [title for title, _style in rules] == ["Line removed", "Line added", "Line removed", None]
        assert "dashed #9b0000" in rules[0][1] and "double #0a5c1a" in rules[1][1]  # (told apart in grey too)
        assert "#" not in rules[3][1]  # the rule under the item, unchanged: a plain rule
    # Side by side, the column without the rule keeps a grey line in its place.
    for side, present, grey in (("old", ["Line removed", None, "Line removed", None], 1),
                                ("new", [None, "Line added", None, None], 2)):
        page = lxml.html.fragment_fromstring(render_html_fragment(result, side=side, qt=True), create_parent="div")
        assert [hr.get("title") for hr in page.iter("hr")] == present
        assert sum("#eeeeee" in (hr.get("style") or "") for hr in page.iter("hr")) == grey
    whole = lxml.html.document_fromstring(render_html(result, LABELS))
    assert len(list(whole.iter("hr"))) == 4 and "- - -" not in whole.text_content()


ALIGNED = "# Replies\n\n| Channel | Hours | Reply within |\n|:--------|:-----:|-------------:|\n| Email   | 9-5   | 1 day        |\n"


def _aligns(path) -> list[list[str]]:
    """The last table's rows: each cell's paragraph alignment ("" for none)."""
    rows = []
    for row in docx.Document(str(path)).tables[-1].rows:  # (after the title page's)
        rows.append([(c.paragraphs[0]._p.find(f"{W}pPr/{W}jc") is not None
                      and c.paragraphs[0]._p.find(f"{W}pPr/{W}jc").get(f"{W}val")) or "" for c in row.cells])
    return rows


def test_a_table_s_columns_are_aligned_as_the_export_aligns_them(tmp_path):
    """':---:' and '---:' centre and right-align a column in the export;
    the Word and HTML redlines set every cell left."""
    new = ALIGNED + "| Chat    | 24/7  | 1 hour       |\n"
    result = diff_texts(ALIGNED, new)
    export = export_docx(Document.new("Replies", body=new), tmp_path / "export.docx")
    expected = _aligns(export)
    assert expected[0] == ["", "center", "right"]
    for path in (redline.write_docx_redline(result, tmp_path / "red.docx", LABELS),
                 redline.write_docx_clean(result, tmp_path / "clean.docx", LABELS)):
        assert _aligns(path) == expected, path.name
    for qt in (False, True):
        page = lxml.html.fragment_fromstring(render_html_fragment(result, qt=qt), create_parent="div")
        for row in page.iter("tr"):
            cells = list(row)
            assert [c.get("align") for c in cells] == ["left", "center", "right"]
            # (a style too: the page's CSS sets th and td left)
            assert "text-align:center" in cells[1].get("style") and "text-align:right" in cells[2].get("style")


NESTED = ("# Replies\n\n1. Check the channel:\n\n   | Channel | Owner |\n   |---------|-------|\n   | Email   | Comms |\n\n"
          "   Then reply.\n\n2. Post.\n\n> Outer quote.\n>\n> > Inner quote.\n>\n> Back out.\n")


def _left(el) -> float:
    """An element's left margin in em, from its inline style (0 for none)."""
    style = el.get("style") or ""
    m = re.search(r"margin-left:([\d.]+)em", style) or re.search(r"margin:[\d.]+em 0 [\d.]+em ([\d.]+)em", style)
    return float(m.group(1)) if m else 0.0


def test_a_table_in_a_list_item_and_a_quote_in_a_quote_are_in_as_the_export_draws_them():
    """The HTML redline drew a table inside a list item at the margin (the
    export and the Word redline put it under the item's text) and a quote
    inside a quote level with the one around it (the export draws it in)."""
    result = diff_texts(NESTED, NESTED.replace("Email   | Comms", "Email   | Press").replace("Inner quote", "Inner one"))
    for qt in (False, True):
        page = lxml.html.fragment_fromstring(render_html_fragment(result, qt=qt), create_parent="div")
        para = {text: next(p for p in page.iter("p") if p.text_content().startswith(text))
                for text in ("Then reply.", "Inner", "Outer quote.", "Back out.")}
        assert _left(page.find(".//table")) == _left(para["Then reply."]) > 0
        assert _left(para["Inner"]) > _left(para["Outer quote."]) == _left(para["Back out."])


CODE_IN_QUOTES = ("# Replies\n\n> Reply with:\n>\n>     Thanks, we are on it.\n>\n> Then wait.\n\n- Item\n\n  > In the item:\n  >\n"
                  "  >     Code in the item's quote.\n\nPlain.\n\n    > code starting with a mark\n")


def _indents(path) -> dict[str, str | None]:
    """Each code paragraph's text -> its left indentation (None: none)."""
    out = {}
    for p in docx.Document(str(path)).paragraphs:
        if p.style.name == "Source Code":
            ind = p._p.find(f"{W}pPr/{W}ind")
            out["".join(t.text or "" for t in p._p.iter(f"{W}t"))] = None if ind is None else ind.get(f"{W}left")
    return out


def test_code_in_a_quote_is_in_the_quote_as_the_export_draws_it(tmp_path):
    """The Word redline drew an indented code block inside a quote (or a
    list item's quote) at the margin, under neither the quote nor its item;
    the export draws it in the quote's column."""
    new = CODE_IN_QUOTES.replace("Then wait.", "Then wait a day.")
    result = diff_texts(CODE_IN_QUOTES, new)
    expected = _indents(export_docx(Document.new("Replies", body=new), tmp_path / "export.docx"))
    assert expected["Thanks, we are on it."] and expected["> code starting with a mark"] is None
    for path in (redline.write_docx_redline(result, tmp_path / "red.docx", LABELS),
                 redline.write_docx_clean(result, tmp_path / "clean.docx", LABELS)):
        assert _indents(path) == expected, path.name
