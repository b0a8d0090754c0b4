"""Word import and export of quotes in quotes and of quotes, code and
tables in list items: an export read back is the text it was made from
(the preview draws both the same), and a Word user's file, built as Word
writes it, reads as Word shows it."""

from __future__ import annotations

import copy
import re

import docx
from docx.oxml import parse_xml
from docx.shared import Twips

from guidelines_app.core.document import Document
from guidelines_app.core.markup import export_html
from guidelines_app.publishing.docx import export_docx
from guidelines_app.publishing.import_docx import read_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _html(body: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<h1.*?</h1>", "", export_html(body)))


def _round_trip(tmp_path, body: str) -> str:
    path = export_docx(Document.new("Blocks", body=f"# Blocks\n\n{body}"), tmp_path / "blocks.docx")
    imported = read_docx(path).body
    assert _html(imported) == _html(body), imported
    return imported


def test_quotes_in_quotes_come_back_as_deep_as_they_were(tmp_path):
    """The export moves a quote in a quote further in; the import read
    every quote as one deep ("> > > three" came back "> three")."""
    body = ("> one\n>\n> > two\n> >\n> > > three\n> >\n> > two again\n> >\n> > - a list two deep\n> >   - nested\n"
            ">\n> one again\n\nBetween.\n\n> > > deep at once\n\nAfter.\n")
    assert body in _round_trip(tmp_path, body)


def test_a_word_users_further_indented_quote_is_a_quote_in_the_quote(tmp_path):
    d = docx.Document()
    d.add_paragraph("Our values:", style="Quote")
    d.add_paragraph("Be kind.", style="Quote").paragraph_format.left_indent = Twips(720)
    d.add_paragraph("Back out.", style="Quote")
    d.save(tmp_path / "word.docx")
    body = read_docx(tmp_path / "word.docx").body
    assert "> Our values:\n>\n> > Be kind.\n>\n> Back out.\n" in body, body


def test_a_quote_code_or_table_in_a_lists_last_item_stays_in_it(tmp_path):
    """A block under the last item's text came back after the list, and a
    paragraph of the item after it as a paragraph of its own."""
    body = ("- a\n\n      code in a\n\n  > a quote in a\n  >\n  > > and one in it\n\n  more of a\n- b\n  - sub\n\n"
            "    | x | y |\n    |---|---|\n    | 1 | 2 |\n\n  more of b\n\nBetween.\n\n"
            "1. one\n2. two\n\n   > the last item's quote\n\n> > a quote after the list\n\nAfter.\n")
    imported = _round_trip(tmp_path, body)
    assert "  > a quote in a\n  >\n  > > and one in it\n\n  more of a\n- b\n" in imported, imported
    assert "    | 1 | 2 |\n\n  more of b\n\nBetween." in imported, imported
    assert "   > the last item's quote\n\n> > a quote after the list\n" in imported, imported


def test_a_word_users_indented_quote_and_table_after_the_last_item_are_in_it(tmp_path):
    d = docx.Document()
    numpr = d.styles["List Number"].element.find(f"{W}pPr/{W}numPr")
    for text in ("First step.", "Second step."):
        d.add_paragraph(text)._p.get_or_add_pPr().append(copy.deepcopy(numpr))
    d.add_paragraph("Say it like this.", style="Quote").paragraph_format.left_indent = Twips(720)
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Who", "When"
    table._tbl.tblPr.append(parse_xml(f'<w:tblInd {_W_NS} w:w="720" w:type="dxa"/>'))
    d.add_paragraph("Not in the list.")
    d.save(tmp_path / "word.docx")
    body = read_docx(tmp_path / "word.docx").body
    assert ("1. First step.\n1. Second step.\n\n   > Say it like this.\n\n   | Who | When |\n   | --- | --- |\n\n"
            "Not in the list.\n") in body, body


def test_an_empty_numbered_item_keeps_its_list_going(tmp_path):
    """An empty item between two of its list ended the list there: the
    items after it started again at 1."""
    d = docx.Document()
    numpr = d.styles["List Number"].element.find(f"{W}pPr/{W}numPr")
    d.add_paragraph("Steps:")
    for text in ("one", "", "three"):
        d.add_paragraph(text)._p.get_or_add_pPr().append(copy.deepcopy(numpr))
    d.save(tmp_path / "word.docx")
    body = read_docx(tmp_path / "word.docx").body
    assert "Steps:\n\n1. one\n1. \n1. three\n" in body, body
    assert _html(body.split("Steps:")[1]) == _html("1. one\n2. \n3. three\n")
    body = "1. one\n1. \n1. three\n\nBetween.\n\n- one\n- \n- three\n\nBetween.\n\n- last is empty\n- \n\nAfter.\n"
    assert body in _round_trip(tmp_path, body)


def test_an_item_that_starts_with_a_quote_code_or_table_is_numbered_above_or_beside_it(tmp_path):
    """Its bullet or number was drawn after the block, beside nothing (as
    though an empty item followed).  As the preview draws it: beside the
    code's first line; above a quote or a table, kept with it."""
    body = ("- > quoted first\n- next\n\n1. \n\n       code first\n2. two\n\n"
            "- | a | b |\n  |---|---|\n  | c | d |\n- next\n\nAfter.\n")
    path = export_docx(Document.new("Blocks", body=f"# Blocks\n\n{body}"), tmp_path / "blocks.docx")
    paragraphs = docx.Document(str(path)).paragraphs
    at = next(n for n, p in enumerate(paragraphs) if p.text == "quoted first")
    item = paragraphs[at - 1]._p
    assert item.find(f"{W}pPr/{W}numPr") is not None and item.find(f"{W}pPr/{W}keepNext") is not None
    code = next(n for n, p in enumerate(paragraphs) if p.text == "code first")
    assert paragraphs[code]._p.find(f"{W}pPr/{W}numPr") is not None and paragraphs[code - 1].text == "next"
    assert paragraphs[code + 1].text == "two"
    assert "- > quoted first\n- next\n" in _round_trip(tmp_path, body)


def test_a_quote_or_code_in_an_item_of_a_list_in_a_quote_stays_in_the_item(tmp_path):
    """A quote in an item of a quote's list came back three quotes deep
    (its indentation read from the page's edge), after the list."""
    body = ("> Intro\n>\n> - a\n>\n>   > in the item's quote\n>   >\n>   > > and one in it\n>\n>   more of a\n"
            "> - > b starts with a quote\n> - c\n>\n>         code in c\n>\n> Outro\n\nAfter.\n")
    assert body in _round_trip(tmp_path, body)


def test_code_and_tables_in_quotes_stay_in_them(tmp_path):
    """The export draws code and tables in a quote in by the quote's
    indentation; they came back after the quote (code fenced)."""
    body = ("> A quote.\n>\n>     code in it\n>     line two\n>\n> > Deeper.\n> >\n> > | a | b |\n> > |---|---|\n"
            "> > | c | d |\n\nBetween.\n\n- a\n\n  >     code in a quote in an item\n- b\n\n"
            "> - item in a quote\n>\n>   | e | f |\n>   |---|---|\n>   | g | h |\n\nAfter.\n")
    assert body.replace("|---|---|", "| --- | --- |") in _round_trip(tmp_path, body)


def test_a_quote_in_an_item_that_starts_with_its_sub_list_stays_in_it(tmp_path):
    """(The preview draws the quote in the outer item: it comes back there.)"""
    body = "- first\n- 1. nested\n\n     > the outer item's quote\n- last\n\nAfter.\n"
    assert "- 1. nested\n\n  > the outer item's quote\n- last\n" in _round_trip(tmp_path, body)


def test_a_word_users_empty_item_with_a_further_paragraph_keeps_it_in_the_list(tmp_path):
    d = docx.Document()
    numpr = d.styles["List Number"].element.find(f"{W}pPr/{W}numPr")
    for text in ("one", "", "three"):
        d.add_paragraph(text)._p.get_or_add_pPr().append(copy.deepcopy(numpr))
        if not text:
            d.add_paragraph("More about two.", style="List Paragraph").paragraph_format.left_indent = Twips(720)
    d.save(tmp_path / "word.docx")
    body = read_docx(tmp_path / "word.docx").body
    assert "1. one\n1. \n\n   More about two.\n1. three\n" in body, body


def test_a_list_in_a_quote_in_an_item_stays_in_the_item(tmp_path):
    """It came back as a list two quotes deep, after the list (and the
    item's further paragraph, and the next item, as a list of their own)."""
    body = ("1. a\n\n   > q\n   >\n   > - in the quote's list\n   >   - nested\n   >\n   > more of the quote\n\n"
            "   more of a\n2. b\n\n   > 1. x\n\nAfter.\n")
    assert body.replace("2. b", "1. b") in _round_trip(tmp_path, body)


def test_an_item_that_starts_with_a_quote_of_two_paragraphs_reads_back_as_one(tmp_path):
    """Written on the item's line ("- > first"), the quote's second
    paragraph read in the preview as code; it starts on a line of its own."""
    body = ("- a\n- \n\n  > first\n  >\n  > second\n- c\n\n> - \n>\n>   > in a quote's list\n>   >\n>   > and more\n> - d\n\n"
            "1. \n\n   > a quote\n   >\n   > - and a list in it\n\n1. e\n")
    assert body in _round_trip(tmp_path, body)


def test_an_item_that_starts_with_a_list_in_a_quote_keeps_it(tmp_path):
    """The list came back two quotes deep, after the list, and the item was lost."""
    body = "1. \n\n   > - in the quote\n   > - and this\n   >\n   >   more\n1. next\n\nAfter.\n"
    assert "1. \n\n   > - in the quote\n   > - and this\n   >\n   >   more\n" in _round_trip(tmp_path, body)
