from __future__ import annotations

import copy
import re

import docx
import pytest
from export_fixtures import QUIRKY, ROUND_TRIP

from guidelines_app.core.document import Document
from guidelines_app.core.inline_markup import display_text
from guidelines_app.core.markup import outline
from guidelines_app.publishing.docx import export_docx
from guidelines_app.publishing.import_docx import DocxImportError, import_docx, read_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _list_items(body: str):
    return [(len(m.group(1)), m.group(2) in "-*+", m.group(3)) for m in re.finditer(r"(?m)^( *)([-*+]|\d+\.) (.*)$", body)]


def test_round_trip_keeps_headings_lists_links_and_tables(tmp_path):
    source = Document.parse(ROUND_TRIP)
    path = export_docx(source, tmp_path / "rt.docx")
    imported = read_docx(path)
    assert imported.title == "Round Trip Policy"
    assert imported.organization == "Example Org"
    assert imported.version == "1.0" and imported.status == "approved"
    assert imported.owners == ["Communications"]
    body = imported.body
    assert [(s.level, s.title) for s in outline(body)] == [(s.level, s.title) for s in outline(source.body)]
    # Nesting depth and kind of every list item.
    got = [(bullet, text) for _, bullet, text in _list_items(body)]
    want = [(bullet, text) for _, bullet, text in _list_items(source.body)]
    assert got == want
    depths = [indent for indent, _, _ in _list_items(body)]
    assert depths[0] < depths[1] < depths[2] and depths[3] == depths[0]
    assert "[our site](https://example.org/site)" in body
    assert "**all staff**" in body and "*contractors*" in body
    assert "| LinkedIn | Comms |" in body and "| Channel | Owner |" in body
    # The contents and title pages are not imported as text.
    assert "Contents" not in body and "Version" not in body


def test_quirky_export_imports_without_tags(tmp_path):
    path = export_docx(Document.parse(QUIRKY), tmp_path / "q.docx")
    body = read_docx(path).body
    assert "<" not in body.replace("<br>", "")
    assert "**Do say who you work for**" in body
    assert "[privacy team](https://example.org/privacy)" in body
    assert "“curly quotes”" in body


def test_plain_word_document_unknown_content_kept(tmp_path):
    d = docx.Document()
    d.add_paragraph("Plain Word Title", style="Title")
    d.add_heading("Section one", level=1)
    d.add_paragraph("A star * and [brackets] stay text.")
    d.add_paragraph("First bullet", style="List Bullet")
    d.add_paragraph("Second bullet", style="List Bullet")
    d.add_paragraph("Numbered", style="List Number")
    box = d.add_paragraph()
    box.add_run("Text in ")
    box.add_run("a field").bold = True
    path = tmp_path / "plain.docx"
    d.save(path)
    imported = read_docx(path, title=None)
    assert imported.title == "Plain Word Title"
    body = imported.body
    assert "## Section one" in body
    assert "A star \\* and \\[brackets\\] stay text." in body
    assert "- First bullet" in body and "1. Numbered" in body
    assert "Text in **a field**" in body
    rendered = Document.parse(body)
    assert rendered.title == "Plain Word Title"


def test_import_commits_first_revision(workspace, author, tmp_path):
    path = export_docx(Document.parse(ROUND_TRIP), tmp_path / "Policy File.docx")
    slug, result, _ = import_docx(workspace, path, author, title="Imported Policy")
    assert result.saved and result.message == "Imported from Policy File.docx"
    assert slug == "imported-policy"
    history = workspace.history(slug)
    assert len(history) == 1 and history[0].subject == "Imported from Policy File.docx"
    doc = workspace.load(slug)
    assert doc.title == "Imported Policy"
    assert doc.status == "draft" and doc.version == "0.1"  # the file said approved 1.0: an import is a new draft
    assert doc.meta["imported_from"] == "Policy File.docx (marked approved, version 1.0)"


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04broken zip", b"plain text file", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old doc"])
def test_bad_input_changes_nothing(workspace, author, tmp_path, content):
    path = tmp_path / "bad.docx"
    path.write_bytes(content)
    before = sorted(p.name for p in (workspace.root / "guidelines").iterdir())
    with pytest.raises(DocxImportError, match="not a Word document"):
        import_docx(workspace, path, author)
    assert sorted(p.name for p in (workspace.root / "guidelines").iterdir()) == before
    assert not workspace.store.has_commits()


def test_missing_file(workspace, author, tmp_path):
    with pytest.raises(DocxImportError, match="there is no file"):
        import_docx(workspace, tmp_path / "nope.docx", author)


def test_a_numbered_heading_and_another_programs_properties_import_cleanly(tmp_path):
    """A Word heading "1. Personal accounts" came in as "## \\1. Personal
    accounts" (a backslash before a digit escapes nothing: the editor and
    the outline showed it), and a file python-docx wrote got the owner
    "generated by python-docx" (its description)."""
    word = docx.Document()
    word.core_properties.title = "Acme policy"
    word.add_heading("1. Personal accounts", level=1)
    word.add_paragraph("2. Keep it civil.")
    word.add_paragraph("- not a list item")
    word.save(tmp_path / "acme.docx")
    imported = read_docx(tmp_path / "acme.docx")
    assert "## 1\\. Personal accounts" in imported.body and "\\1" not in imported.body
    assert "2\\. Keep it civil." in imported.body and "\\- not a list item" in imported.body
    assert display_text([s.title for s in outline(imported.body)][-1]) == "1. Personal accounts"  # as the outline shows it
    assert imported.owners == []


def test_text_that_reads_as_markup_in_export_comes_in_as_text(tmp_path):
    """A Word paragraph ending "{#launch}" came in as an attribute list
    (hidden by preview, export and the editor), and "&#169 2026" as the
    sign "©" in export."""
    from guidelines_app.core.markup import export_html
    from guidelines_app.core.surface_text import show

    word = docx.Document()
    word.core_properties.title = "Launch policy"
    word.add_heading("Launches", level=1)
    lines = ["Tag every post {#launch}", "Copyright &#169 2026 and &copy; stay as typed.", "Q&A: 3 < 5 {.note}"]
    for line in lines:
        word.add_paragraph(line)
    word.save(tmp_path / "launch.docx")
    imported = read_docx(tmp_path / "launch.docx")
    html = export_html(imported.body)
    for line in lines:
        assert line in [show(p.strip()).text for p in imported.body.split("\n\n")], (line, imported.body)
        assert line.replace("&", "&amp;").replace("<", "&lt;") in html, (line, html)


_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_TEXT_BOX = (  # a text box as Word 2010 and later save it: the same box twice, for newer and older readers
    f'<w:r {_W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml">'
    '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r>'
    '<w:t>Call 999 in an emergency.</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>'
    '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Call 999 in an emergency.</w:t>'
    '</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>')


def test_words_in_cells_boxes_and_broken_lines_all_come_in(tmp_path):
    """A "|" in a table's cell was escaped twice (the cell ended there: the
    words after it were lost), a text box as Word saves it was dropped, a
    line break (Shift+Enter) came in as a backslash that preview and export
    showed, a list "5., 6." began at 1, and Word's "List Bullet 2" came in
    at the first level."""
    from docx.oxml import parse_xml

    from guidelines_app.core.markup import export_html

    word = docx.Document()
    word.core_properties.title = "Options"
    word.add_heading("Choices", level=1)
    table = word.add_table(rows=2, cols=2)
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells, ("Option", "Meaning", "A | B", "either A or B")):
        cell.text = text
    table.rows[1].cells[1].paragraphs[0].add_run().add_break()
    table.rows[1].cells[1].paragraphs[0].add_run("or both")
    boxed = word.add_paragraph("Next to a box.")
    boxed._p.append(parse_xml(_TEXT_BOX))
    address = word.add_paragraph("1 High Street")
    address.add_run().add_break()
    address.add_run("Springfield")
    word.add_paragraph("Top", style="List Bullet")
    word.add_paragraph("Inner", style="List Bullet 2")
    word.save(tmp_path / "options.docx")
    body = read_docx(tmp_path / "options.docx").body
    html = export_html(body)
    assert "<td>A | B</td>" in html and "<td>either A or B<br>or both</td>" in html, body
    assert "Next to a box. Call 999 in an emergency." in " ".join(html.split()), body
    assert "1 High Street<br>\nSpringfield" in html and "\\" not in html, body
    assert re.search(r"<li>Top\s*<ul>\s*<li>Inner</li>", html), body


def test_a_numbered_list_keeps_its_first_number_and_a_title_given_renames(tmp_path):
    from guidelines_app.core.markup import export_html

    doc = Document.new("Clauses", body="# Clauses\n\n## Rules\n\n5. Clause five\n6. Clause six\n")
    export_docx(doc, tmp_path / "clauses.docx")
    imported = read_docx(tmp_path / "clauses.docx")
    assert '<ol start="5">' in export_html(imported.body), imported.body
    renamed = read_docx(tmp_path / "clauses.docx", title="Clauses 2027")
    assert [s.title for s in outline(renamed.body)] == ["Clauses 2027", "Rules"], renamed.body  # not "Clauses" under it


QUOTE_LIST = ("> Before you post, ask:\n>\n> - Is it true?\n> - Is it kind?\n>   - Would the customer agree?\n"
              ">\n> Then post.\n")


def test_a_list_inside_a_quote_comes_back_inside_it(tmp_path):
    """The export's list in a quote (its 'Quote List' items) came back as
    a list outside the quote, between two quotes; it comes back as the
    one quote it was, nesting and every word kept."""
    doc = Document.new("Quotes", body=f"# Quotes\n\n{QUOTE_LIST}\nText after.\n\n- A list outside\n")
    imported = read_docx(export_docx(doc, tmp_path / "quotes.docx"))
    assert f"{QUOTE_LIST}\nText after.\n\n- A list outside\n" in imported.body, imported.body


def test_bullets_on_a_word_quote_paragraph_are_a_list_in_the_quote(tmp_path):
    """A Word user's 'Quote' paragraphs with bullets (the numbering of
    'List Bullet') read as a list inside the quote."""
    d = docx.Document()
    d.add_paragraph("Before you post, ask:", style="Quote")
    numpr = d.styles["List Bullet"].element.find(f"{W}pPr/{W}numPr")
    for text in ("Is it true?", "Is it kind?"):
        item = d.add_paragraph(text, style="Quote")
        item._p.get_or_add_pPr().append(copy.deepcopy(numpr))
    d.add_paragraph("Then post.", style="Quote")
    d.save(tmp_path / "word.docx")
    body = read_docx(tmp_path / "word.docx").body
    assert "> Before you post, ask:\n>\n> - Is it true?\n> - Is it kind?\n>\n> Then post.\n" in body, body


def test_what_an_import_leaves_out_is_said(workspace, author, tmp_path, capsys):
    """Comments, the page header and footer, symbol-font characters went
    without a word, and the file's tracked changes were taken as accepted
    unsaid (a deletion Legal asked for, a comment from Legal)."""
    from docx.oxml import parse_xml

    from guidelines_app.cli import main as cli

    word = docx.Document()
    word.core_properties.title = "Reviewed policy"
    word.sections[0].header.paragraphs[0].text = "Acme Confidential"
    commented = word.add_paragraph("Check this sentence.")
    word.add_comment(commented.runs[0], text="Please check with Legal", author="Legal", initials="L")
    ticked = word.add_paragraph("Done ")
    ticked._p.append(parse_xml(f'<w:r {_W_NS}><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>'))
    changed = word.add_paragraph("Kept ")
    changed._p.append(parse_xml(f'<w:ins {_W_NS} w:id="9" w:author="Rev" w:date="2024-01-01T00:00:00Z">'
                                '<w:r><w:t>added words</w:t></w:r></w:ins>'))
    word.save(tmp_path / "reviewed.docx")
    said = read_docx(tmp_path / "reviewed.docx").left_out
    assert said == ("Left out: 1 comment, the page header (“Acme Confidential”) and 1 symbol-font character. "
                    "1 tracked change in the file was taken as accepted."), said
    assert cli.main(["--workspace", str(workspace.root), "import", str(tmp_path / "reviewed.docx")]) == 0
    assert f"note: {said}\n" in capsys.readouterr().err
    plain = docx.Document()
    plain.add_paragraph("Nothing to leave out.")
    plain.save(tmp_path / "plain.docx")
    assert read_docx(tmp_path / "plain.docx").left_out == ""


def test_footnotes_of_an_export_come_back_as_footnotes(tmp_path):
    """They came in as "source.1" (the number glued to the sentence) and a
    numbered item ending in a visible "↩"."""
    doc = Document.new("Notes", body="# Notes\n\nClaims need a source.[^1] And more.[^2]\n\n"
                                     "[^1]: The source must be public.\n[^2]: Second note.\n")
    body = read_docx(export_docx(doc, tmp_path / "notes.docx")).body
    assert "Claims need a source.[^1] And more.[^2]" in body, body
    assert "[^1]: The source must be public." in body and "[^2]: Second note." in body and "\u21a9" not in body, body


def _html_of(body: str) -> str:
    from guidelines_app.core.markup import export_html

    return re.sub(r"\s+", "", re.sub(r"<h1.*?</h1>", "", export_html(body)))


def test_an_items_further_paragraph_comes_back_under_its_own_item(tmp_path):
    """An item's second paragraph after its sub-list (indented as the
    item's text, as the export writes it) came back under the sub-list's
    last item; it comes back under its own, found by its indentation."""
    body = ("- Item with nested:\n  - child a\n    - grandchild\n\n    Child a again.\n  - child b\n\n"
            "  Continuation of item with nested.\n- last\n")
    imported = read_docx(export_docx(Document.new("Lists", body=f"# Lists\n\n{body}"), tmp_path / "l.docx")).body
    assert "  - child b\n\n  Continuation of item with nested.\n- last\n" in imported, imported
    assert "    - grandchild\n\n    Child a again.\n  - child b\n" in imported, imported
    assert _html_of(imported) == _html_of(body), imported


def test_an_item_that_starts_with_a_sub_list_comes_back_as_one(tmp_path):
    """The export writes no empty item above a sub-list an item starts
    with; the import gives the item back ("- - nested", "1. - nested"),
    nesting and numbers kept, and the list before it stays another list."""
    body = ("- \n  - nested one\n  - nested two\n- plain item\n\n"
            "1. - nested in ordered\n   - second nested\n2. second ordered\n")
    imported = read_docx(export_docx(Document.new("Lists", body=f"# Lists\n\n{body}"), tmp_path / "l.docx")).body
    assert "- - nested one\n  - nested two\n- plain item\n" in imported, imported
    assert "1. - nested in ordered\n   - second nested\n1. second ordered\n" in imported, imported
    assert _html_of(imported) == _html_of(body), imported


def test_another_programs_list_that_starts_a_level_in_gets_no_empty_item(tmp_path):
    """A Word user's bullets at level 2 ("List Bullet 2") under a plain
    paragraph are no sub-list of an empty item: only this app's export
    leaves an item's empty line out, so only its lists get one back."""
    d = docx.Document()
    d.add_paragraph("Intro:")
    d.add_paragraph("Indented bullet", style="List Bullet 2")
    d.add_paragraph("Another", style="List Bullet 2")
    d.add_paragraph("Top", style="List Bullet")
    d.save(tmp_path / "word.docx")
    body = read_docx(tmp_path / "word.docx").body
    assert "Intro:\n\n  - Indented bullet\n  - Another\n- Top\n" in body, body


def test_an_item_in_the_middle_of_a_list_that_starts_with_a_sub_list_comes_back(tmp_path):
    """An item with no text of its own before its sub-list ("2. - nested"),
    after other items: the export draws it without a numbered paragraph, so
    its sub-list read as the item above's, the item was lost and the items
    after it renumbered ("3. three" came back as 2).  The export marks it
    (a hidden bookmark) and the import gives it back, in a quote too."""
    body = ("1. one\n   - sub of one\n2. - nested\n\n   More in two.\n3. three\n\nBetween.\n\n"
            "- first\n- - - deep\n- last\n\n> - quoted\n> - - nested in the quote\n")
    path = export_docx(Document.new("Lists", body=f"# Lists\n\n{body}"), tmp_path / "l.docx")
    word = docx.Document(str(path))
    assert "1. - nested" not in "\n".join(p.text for p in word.paragraphs)  # (the Word file: no stray marker)
    imported = read_docx(path).body
    assert "   - sub of one\n1. - nested\n\n   More in two.\n1. three\n" in imported, imported
    assert "- first\n- - - deep\n- last\n" in imported and "> - - nested in the quote\n" in imported, imported
    assert _html_of(imported) == _html_of(body), imported


def test_a_word_users_empty_numbered_item_before_a_sub_list_is_an_item(tmp_path):
    """In a Word file of another program, "2." with no text and a bulleted
    sub-list under it: the empty paragraph ended the list, so the sub-list
    and "three" came back as lists of their own, "three" numbered 1."""
    from docx.oxml import parse_xml

    d = docx.Document()
    d.part.numbering_part.element.insert(0, parse_xml(
        f'<w:abstractNum {_W_NS} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl><w:lvl w:ilvl="1">'
        '<w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/><w:pPr><w:ind w:left="1440" '
        'w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'))
    d.part.numbering_part.element.append(parse_xml(f'<w:num {_W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    d.add_paragraph("Intro.")
    for text, level in (("one", 0), ("", 0), ("nested", 1), ("three", 0)):
        item = d.add_paragraph(text, style="List Paragraph")
        item._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {_W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="90"/>'
                                                  '</w:numPr>'))
    d.save(tmp_path / "word.docx")
    body = read_docx(tmp_path / "word.docx").body
    assert "Intro.\n\n1. one\n1. - nested\n1. three\n" in body, body
    assert _html_of(body.split("Intro.")[1]) == _html_of("1. one\n2. - nested\n3. three\n")


def test_rules_come_back_where_they_were(tmp_path):
    """A rule ("---", "- - -", "* * *") left no text in Word, and the
    import left it out; one in a list item is drawn under the item's text
    and comes back in it."""
    body = "Intro.\n\n- - -\n\nText\n* * *\nMore\n\n1. a\n\n   ---\n\n   after the rule\n2. b\n"
    path = export_docx(Document.new("Rules", body=f"# Rules\n\n{body}"), tmp_path / "r.docx")
    rules = [p for p in docx.Document(str(path)).paragraphs if p._p.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None]
    assert [p.paragraph_format.left_indent for p in rules] == [None, None, docx.shared.Twips(360)]
    imported = read_docx(path).body
    assert "Intro.\n\n---\n\nText\n\n---\n\nMore\n\n1. a\n\n   ---\n\n   after the rule\n1. b\n" in imported, imported
    assert _html_of(imported) == _html_of(body), imported


def test_a_numbered_item_after_a_block_in_the_list_keeps_its_number(tmp_path):
    """Word counts a list's items on past a quote, a table or a paragraph
    between them; the import began each part again at its list's first
    number ("2. Item two." came back as "1.")."""
    body = ("1. Item one.\n\n   > A quote in it.\n2. Item two.\n\n   | a | b |\n   |---|---|\n   | c | d |\n"
            "3. Item three.\n")
    imported = read_docx(export_docx(Document.new("Lists", body=f"# Lists\n\n{body}"), tmp_path / "l.docx")).body
    # (the quote and the table stay in their items: one list, numbered on)
    assert "\n   > A quote in it.\n1. Item two.\n" in imported and "   | c | d |\n1. Item three.\n" in imported, imported
    assert _html_of(imported) == _html_of(body), imported
    d = docx.Document()
    numpr = d.styles["List Number"].element.find(f"{W}pPr/{W}numPr")
    for text in ("First step.", "A note between the steps.", "Second step."):
        p = d.add_paragraph(text)
        if text != "A note between the steps.":
            p._p.get_or_add_pPr().append(copy.deepcopy(numpr))
    d.save(tmp_path / "word.docx")
    body = read_docx(tmp_path / "word.docx").body
    assert "1. First step.\n\nA note between the steps.\n\n2. Second step.\n" in body, body
