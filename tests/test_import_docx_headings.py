"""A Word import's headings, title and what it leaves out, from .docx files
made as Word makes them: numbered headings (the number Word shows is the
heading's text), the title a file without one in its properties has, the
words of the page header and footer named, and contents entries in Word's
and LibreOffice's styles left out."""

from __future__ import annotations

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml

from guidelines_app.core.document import Document
from guidelines_app.core.inline_markup import display_text
from guidelines_app.core.markup import outline
from guidelines_app.publishing.docx import export_docx
from guidelines_app.publishing.import_docx import read_docx

_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _numbering(d, num_id: int, levels, styles=(), start_override: int | None = None) -> None:
    """A multi-level list as Word writes it: an abstractNum with one lvl per
    (numFmt, lvlText[, isLgl]), tied to *styles* (a paragraph style's id per
    level, its numPr naming the list), and a num that uses it."""
    lvls = []
    for at, (fmt, text, *legal) in enumerate(levels):
        style = f'<w:pStyle w:val="{styles[at]}"/>' if at < len(styles) else ""
        lgl = "<w:isLgl/>" if legal else ""
        numfmt = f'<w:numFmt w:val="{fmt}"/>' if fmt is not None else ""  # (None: left unsaid)
        lvls.append(f'<w:lvl w:ilvl="{at}"><w:start w:val="1"/>{numfmt}{style}{lgl}'
                    f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                    f'<w:pPr><w:ind w:left="{432 + 144 * at}" w:hanging="{432 + 144 * at}"/></w:pPr></w:lvl>')
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum {_W_NS} w:abstractNumId="{num_id}"><w:multiLevelType w:val="multilevel"/>'
                                  + "".join(lvls) + "</w:abstractNum>"))
    override = (f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start_override}"/></w:lvlOverride>'
                if start_override is not None else "")
    numbering.append(parse_xml(f'<w:num {_W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/>{override}</w:num>'))
    for at, style_id in enumerate(styles):
        ppr = next(s for s in d.styles if s.style_id == style_id).element.get_or_add_pPr()
        ilvl = f'<w:ilvl w:val="{at}"/>' if at else ""  # (Word leaves level 0 unsaid)
        ppr.insert(0, parse_xml(f'<w:numPr {_W_NS}>{ilvl}<w:numId w:val="{num_id}"/></w:numPr>'))


def _numbered(paragraph, num_id: int, level: int) -> None:
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {_W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _headings(body: str) -> list[str]:
    return [line for line in body.splitlines() if line.startswith("#")]


def test_headings_word_numbers_in_their_style_keep_their_numbers(tmp_path):
    """Heading 1 to 3 numbered by Word ("1. Purpose", "1.1 Who", "2.1.1")
    came in as "## Purpose": "See section 3 for the rules." pointed at
    nothing.  The numbers count as Word counts them: per level, a level
    starting again under a higher heading."""
    d = docx.Document()
    d.core_properties.title = "Social media policy"
    _numbering(d, 30, [("decimal", "%1."), ("decimal", "%1.%2"), ("decimal", "%1.%2.%3")],
               styles=("Heading1", "Heading2", "Heading3"))
    for text, level in (("Purpose", 1), ("Who it covers", 2), ("When it applies", 2), ("Scope", 1),
                        ("Staff", 2), ("Personal accounts", 3), ("Work accounts", 3), ("Contractors", 2), ("Rules", 1)):
        d.add_heading(text, level=level)
        d.add_paragraph("See section 3 for the rules." if text == "Purpose" else f"Text of {text}.")
    d.save(tmp_path / "numbered.docx")
    body = read_docx(tmp_path / "numbered.docx").body
    assert _headings(body) == [
        "# Social media policy", "## 1\\. Purpose", "### 1.1 Who it covers", "### 1.2 When it applies",
        "## 2\\. Scope", "### 2.1 Staff", "#### 2.1.1 Personal accounts", "#### 2.1.2 Work accounts",
        "### 2.2 Contractors", "## 3\\. Rules"], body
    assert "See section 3 for the rules." in body and "Text of Rules." in body
    shown = [display_text(s.title) for s in outline(body)]
    assert shown[1:3] == ["1. Purpose", "1.1 Who it covers"] and shown[-1] == "3. Rules", shown


def test_headings_numbered_on_each_paragraph_in_letters_and_roman(tmp_path):
    """The number on each heading paragraph (not its style), a list that
    starts at 4, roman and letter formats, a "legal" level (every number in
    digits), and a numbered list in the text, counted on its own."""
    d = docx.Document()
    d.core_properties.title = "Code of conduct"
    _numbering(d, 40, [("upperRoman", "%1."), ("lowerLetter", "(%2)"), ("lowerRoman", "%1.%2.%3", True)],
               start_override=4)
    _numbering(d, 41, [("decimal", "%1.")])
    for text, level in (("Principles", 0), ("Be kind", 1), ("Be accurate", 1), ("Sources", 2), ("Breaches", 0)):
        _numbered(d.add_heading(text, level=level + 1), 40, level)
        if text == "Be kind":
            for item in ("Think first.", "Ask a colleague."):
                _numbered(d.add_paragraph(item, style="List Paragraph"), 41, 0)
    d.save(tmp_path / "lettered.docx")
    body = read_docx(tmp_path / "lettered.docx").body
    assert _headings(body) == ["# Code of conduct", "## IV. Principles", "### (a) Be kind", "### (b) Be accurate",
                               "#### 4.2.1 Sources", "## V. Breaches"], body
    assert "### (a) Be kind\n\n1. Think first.\n1. Ask a colleague.\n\n### (b)" in body, body


def test_heading_lists_that_share_a_definition_count_on_as_libreoffice_writes_them(tmp_path):
    """LibreOffice saves a heading list that starts at 4 as two lists of one
    definition: the first heading's (starting again at 4) and the others'.
    Word and LibreOffice count them as one list: "IV.", then "V.", not "I."."""
    d = docx.Document()
    d.core_properties.title = "Code of conduct"
    _numbering(d, 42, [("upperRoman", "%1."), ("decimal", "%1.%2")])
    d.part.numbering_part.element.append(parse_xml(
        f'<w:num {_W_NS} w:numId="43"><w:abstractNumId w:val="42"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>'))
    for text, num_id, level in (("Principles", 43, 0), ("Be kind", 42, 1), ("Breaches", 42, 0), ("Reporting", 42, 1)):
        _numbered(d.add_heading(text, level=level + 1), num_id, level)
    d.save(tmp_path / "shared.docx")
    assert _headings(read_docx(tmp_path / "shared.docx").body) == [
        "# Code of conduct", "## IV. Principles", "### IV.1 Be kind", "## V. Breaches", "### V.1 Reporting"]


def test_a_heading_switching_its_number_off_and_an_export_whose_house_style_numbers_headings(tmp_path):
    """A heading whose paragraph switches its style's numbering off (numId
    0) has no number, and the ones after it count on without it."""
    d = docx.Document()
    d.core_properties.title = "Policy"
    _numbering(d, 50, [("decimal", "%1.")], styles=("Heading1",))
    d.add_heading("Purpose", level=1)
    _numbered(d.add_heading("Background", level=1), 0, 0)
    d.add_heading("Rules", level=1)
    d.save(tmp_path / "off.docx")
    assert _headings(read_docx(tmp_path / "off.docx").body) == ["# Policy", "## 1\\. Purpose", "## Background", "## 2\\. Rules"]
    # This app's export with a house style that numbers Heading 1: the
    # number is the house style's, not the text's (the text comes back as written).
    source = Document.parse("---\ntitle: Policy\n---\n\n# Policy\n\n## Purpose\n\nText.\n\n## Rules\n\nMore.\n")
    exported = docx.Document(str(export_docx(source, tmp_path / "export.docx")))
    _numbering(exported, 60, [("decimal", "%1.")], styles=(exported.styles["Heading 1"].style_id,))
    exported.save(tmp_path / "export.docx")
    assert _headings(read_docx(tmp_path / "export.docx").body) == ["# Policy", "## Purpose", "## Rules"]


def test_a_file_without_a_title_is_named_by_its_first_heading(tmp_path):
    """SM_policy_FINAL_v3.docx, no title in its properties, its first
    paragraph a Heading 1 "Tracked policy": it was called "SM policy FINAL
    v3", a heading of that name was added, and the real one went a level
    down.  The file's name is the title only when nothing in it names it."""
    d = docx.Document()
    d.core_properties.title = ""
    d.add_heading("Tracked policy", level=1)
    d.add_heading("Purpose", level=2)
    d.add_paragraph("Why we have this policy.")
    d.add_heading("Rules", level=2)
    d.add_paragraph("Be kind.")
    d.save(tmp_path / "SM_policy_FINAL_v3.docx")
    imported = read_docx(tmp_path / "SM_policy_FINAL_v3.docx")
    assert imported.title == "Tracked policy"
    assert imported.body == "# Tracked policy\n\n## Purpose\n\nWhy we have this policy.\n\n## Rules\n\nBe kind.\n", imported.body
    # A title heading with the sections in Heading 1 after it, the title in the
    # properties as its heading: one "# " heading, the sections under it.
    d = docx.Document()
    d.core_properties.title = "Tracked policy"
    d.add_heading("Tracked policy", level=1)
    for section in ("Purpose", "Rules"):
        d.add_heading(section, level=1)
        d.add_paragraph(f"Text of {section}.")
    d.save(tmp_path / "titled.docx")
    assert _headings(read_docx(tmp_path / "titled.docx").body) == ["# Tracked policy", "## Purpose", "## Rules"]
    d.core_properties.title = ""
    d.save(tmp_path / "untitled.docx")
    assert _headings(read_docx(tmp_path / "untitled.docx").body) == ["# Tracked policy", "## Purpose", "## Rules"]
    # Sections only (the first Heading 1 has its text under it, another
    # follows), or a numbered first heading: they do not name the document.
    d = docx.Document()
    for section in ("Purpose", "Rules"):
        d.add_heading(section, level=1)
        d.add_paragraph(f"Text of {section}.")
    d.save(tmp_path / "SM_policy_FINAL_v3.docx")
    imported = read_docx(tmp_path / "SM_policy_FINAL_v3.docx")
    assert imported.title == "SM policy FINAL v3" and _headings(imported.body) == ["# SM policy FINAL v3", "## Purpose", "## Rules"]
    d = docx.Document()
    _numbering(d, 70, [("decimal", "%1.")], styles=("Heading1",))
    d.add_heading("Purpose", level=1)
    d.add_heading("Who", level=2)
    d.save(tmp_path / "numbered_only.docx")
    imported = read_docx(tmp_path / "numbered_only.docx")
    assert imported.title == "numbered only" and _headings(imported.body) == ["# numbered only", "## 1\\. Purpose", "### Who"]


def test_contents_entries_in_words_and_libreoffices_styles_are_left_out(tmp_path):
    """Word's own contents styles are "toc 1".."toc 9" and LibreOffice's
    "Contents 1": a contents page left as text (its field gone) came in as
    paragraphs "Purpose 1".  Words a writer put in such a style (no page
    number, no link) are kept."""
    d = docx.Document()
    d.core_properties.title = "Policy"
    for name in ("toc 1", "toc 2", "Contents 1", "Contents Heading"):
        d.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    d.add_paragraph("Contents", style="Contents Heading")
    for text, style in (("Purpose\t1", "toc 1"), ("Who it covers\t1", "toc 2"), ("Rules\tiii", "Contents 1"),
                        ("A note kept in a contents style.", "toc 1")):
        d.add_paragraph(text, style=style)
    d.add_heading("Purpose", level=1)
    d.add_paragraph("Text.")
    d.save(tmp_path / "contents.docx")
    body = read_docx(tmp_path / "contents.docx").body
    assert body == "# Policy\n\nA note kept in a contents style.\n\n## Purpose\n\nText.\n", body


def test_the_header_and_footer_left_out_are_named(workspace, author, tmp_path, capsys):
    """The note said only "Left out: the page header and footer.": the
    user could not see that "CONFIDENTIAL – Internal use only" and the
    reference "COMP-SM-004" were dropped.  Their words are named (a long
    line shortened), in the CLI as in the window; none goes into the text."""
    from guidelines_app.cli import main as cli

    d = docx.Document()
    d.core_properties.title = "Social media policy"
    section = d.sections[0]
    section.header.paragraphs[0].text = "CONFIDENTIAL – Internal use only"
    table = section.footer.add_table(rows=1, cols=2, width=section.page_width - section.left_margin - section.right_margin)
    table.cell(0, 0).text = "COMP-SM-004"
    table.cell(0, 1).text = "Owner: Communications team, reviewed every year by the policy board of the company"
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "CONFIDENTIAL – Internal use only"  # (named once)
    d.add_paragraph("The rules.")
    d.save(tmp_path / "SM_policy.docx")
    imported = read_docx(tmp_path / "SM_policy.docx")
    said = ("Left out: the page header (“CONFIDENTIAL – Internal use only”) and the page footer (“COMP-SM-004”, "
            "“Owner: Communications team, reviewed every year by the…”).")
    assert imported.left_out == said, imported.left_out
    assert "CONFIDENTIAL" not in imported.body and "COMP-SM-004" not in imported.body
    assert cli.main(["--workspace", str(workspace.root), "import", str(tmp_path / "SM_policy.docx")]) == 0
    assert f"note: {said}\n" in capsys.readouterr().err


def test_a_list_level_that_names_no_number_format_is_numbered_as_word_numbers_it(tmp_path):
    """A level without w:numFmt is decimal (Word's default, ECMA-376): it came
    in as bullets, and "step 2" pointed at nothing."""
    d = docx.Document()
    _numbering(d, 7, [(None, "%1.")])
    for text in ("Open the account.", "Turn on two-step sign-in.", "Add the deputy."):
        _numbered(d.add_paragraph(text), 7, 0)
    d.save(tmp_path / "steps.docx")
    body = read_docx(tmp_path / "steps.docx").body
    assert "1. Open the account.\n" in body and "- Open" not in body, body
