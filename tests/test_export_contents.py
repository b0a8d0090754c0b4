"""The contents page of a Word export: only for a document long enough to
leaf through, on one page for a document the size of the built-in
templates' drafts, and the text starting on a page of its own after it."""

from __future__ import annotations

import re
import shutil
import zipfile

import docx
import docx.enum.style
import docx.shared
import lxml.etree
import pytest
from export_fixtures import lengthened

from guidelines_app.core.document import Document
from guidelines_app.drafting.library import assemble, load_library
from guidelines_app.publishing.docx import ExportDetails, export_docx
from guidelines_app.publishing.export import ExportSource, docx_to_pdf, export, pdf_pages_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
needs_pdf = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                               reason="LibreOffice (soffice) or pdftotext is not installed")

HALF_PAGE = """---
title: Open day posting note
organization: Example Org
---
## Before the day

Ask the events team for the photo plan and the hashtag.

## On the day

Post from the official account only. Do not show visitors' faces without their consent.

## Questions

Write to the events team.

## After the day

Share the best photos within a week.
"""


def _body(path):
    with zipfile.ZipFile(path) as z:
        return lxml.etree.fromstring(z.read("word/document.xml"))


def _name(paragraph) -> str:
    """A paragraph's style name as Word shows it (the file says "toc 1" for "TOC 1")."""
    return paragraph.style.name.replace("toc ", "TOC ")


def _styles(path) -> list[str]:
    return [_name(p) for p in docx.Document(str(path)).paragraphs]


def _export(tmp_path, text: str, **details):
    doc = Document.parse(text)
    return export_docx(doc, tmp_path / "out.docx", ExportDetails.from_document(doc, **details))


def _page_starts(body) -> int:
    """How many times the text starts a new page (page breaks and
    paragraphs set to start a page)."""
    breaks = [b for b in body.iter(f"{W}br") if b.get(f"{W}type") == "page"]
    return len(breaks) + len(list(body.iter(f"{W}pageBreakBefore")))


@pytest.mark.parametrize("text", [
    HALF_PAGE,  # four headings, half a page of words
    "---\ntitle: Three parts\n---\n" + lengthened("## One\n\nText.\n", sections=2),  # a page of words, three headings
], ids=["half a page", "three headings"])
def test_a_short_document_is_a_title_page_and_its_text(tmp_path, text):
    path = _export(tmp_path, text)
    body = _body(path)
    assert "TOC Heading" not in _styles(path) and not any(s.startswith("TOC ") for s in _styles(path))
    assert b"TOC \\o" not in lxml.etree.tostring(body)
    assert _page_starts(body) == 1  # after the title page only
    assert docx.Document(str(path)).settings.element.find(f"{W}updateFields") is None


def test_a_long_document_keeps_its_contents_with_leaders_and_the_text_on_the_next_page(tmp_path):
    path = _export(tmp_path, lengthened(HALF_PAGE))
    d = docx.Document(str(path))
    entries = [p for p in d.paragraphs if _name(p) in ("TOC 1", "TOC 2", "TOC 3")]
    assert [p.text.split("\t")[0] for p in entries][:2] == ["Before the day", "On the day"]
    assert len(entries) == 7
    body = _body(path)
    assert b'TOC \\o "1-3"' in lxml.etree.tostring(body)
    assert d.settings.element.find(f"{W}updateFields").get(f"{W}val") == "true"
    width = (d.sections[0].page_width - d.sections[0].left_margin - d.sections[0].right_margin) // 635
    for p in entries:  # a dot leader to a right-aligned page number at the margin
        tab = p._p.find(f"{W}pPr/{W}tabs/{W}tab")
        assert (tab.get(f"{W}val"), tab.get(f"{W}leader"), int(tab.get(f"{W}pos"))) == ("right", "dot", width)
    # The text's first paragraph starts a page: no paragraph holding only a
    # page break, which leaves a blank page after a full contents page.
    first = next(p for p in d.paragraphs if p.style.name.startswith("Heading"))
    assert first._p.find(f"{W}pPr/{W}pageBreakBefore") is not None
    assert _page_starts(body) == 2


def test_the_details_can_ask_for_or_leave_out_the_contents(tmp_path):
    assert "TOC Heading" in _styles(_export(tmp_path, HALF_PAGE, contents=True))
    assert "TOC Heading" not in _styles(_export(tmp_path, lengthened(HALF_PAGE), contents=False))


def test_many_headings_list_levels_one_and_two_only(tmp_path):
    sections = "".join(f"## Part {n}\n\n### Rule {n}a\n\n#### Detail {n}a\n\n### Rule {n}b\n\n" for n in range(12))
    path = _export(tmp_path, lengthened("---\ntitle: Long rules\n---\n" + sections))
    styles = _styles(path)
    assert "Heading 3" in styles and "TOC 3" not in styles and styles.count("TOC 2") == 24
    assert b'TOC \\o "1-2"' in lxml.etree.tostring(_body(path))


def _employee_draft() -> Document:
    return assemble(load_library().get("employee-social-media-guidelines"), {"organization": "Brightwater"}).document


def _pdf_pages(path, tmp_path) -> list[str]:
    pages = pdf_pages_text(docx_to_pdf(path, tmp_path))
    return [p for p in pages if p.strip() or p is not pages[-1]]


@needs_pdf
def test_the_employee_guidelines_draft_has_its_contents_on_one_page(tmp_path):
    path = export_docx(_employee_draft(), tmp_path / "employee.docx")
    entries = [p.text.split("\t")[0] for p in docx.Document(str(path)).paragraphs if _name(p) in ("TOC 1", "TOC 2", "TOC 3")]
    assert len(entries) >= 35
    pages = _pdf_pages(path, tmp_path)
    assert "Contents" in pages[1]
    contents = " ".join(pages[1].split())
    assert all(" ".join(e.split()) in contents for e in entries)
    assert "Contents" not in pages[2] and entries[-1] not in pages[2]  # the text, no entries spilled over


@needs_pdf
def test_a_full_contents_page_is_followed_by_the_text_not_a_blank_page(tmp_path):
    # 35 entries of level 1 fill the contents page to its last line.
    sections = "".join(f"## Part number {n} of the rules\n\nPlain words for this part of the rules.\n\n" for n in range(35))
    path = _export(tmp_path, "---\ntitle: Many parts\n---\n" + sections)
    pages = _pdf_pages(path, tmp_path)
    assert all("Part number" in p for p in pages[1:]), [" ".join(p.split())[:80] for p in pages]


@needs_pdf
def test_the_pdf_contents_name_the_page_each_heading_is_on(tmp_path):
    # LibreOffice works the numbers out as it lays the pages out (one
    # rendering); a search of the first rendering's text for each heading
    # took "Training" in a sentence two pages early for the heading.
    doc = _employee_draft()
    out = export(ExportSource(doc, ExportDetails.from_document(doc), None, "current text"), "pdf", tmp_path / "e.pdf")
    pages = [[" ".join(line.split()) for line in p.splitlines()] for p in pdf_pages_text(out)]
    contents = [line for line in pages[1] if re.search(r"\.{4,} ?\d+$", line)]
    assert len(contents) >= 35
    for line in contents:
        heading, number = re.match(r"(.*?)\.{4,} ?(\d+)$", line).groups()
        assert heading.strip() in pages[int(number) - 1], (heading, number)


def test_the_entries_have_word_s_own_contents_styles_also_beside_a_reference_document_s(tmp_path):
    # Word applies its own "toc 1" when it updates the contents: a custom
    # style of the same look would be left behind, and a reference document
    # from Word, which has "toc 1" already, got a second style of its id.
    for reference in (None, _word_reference(tmp_path)):
        path = export_docx(_employee_draft(), tmp_path / "out.docx", reference_docx=reference)
        with zipfile.ZipFile(path) as z:
            styles = lxml.etree.fromstring(z.read("word/styles.xml"))
        ids = [s.get(f"{W}styleId") for s in styles.iter(f"{W}style")]
        assert len(ids) == len(set(ids))
        for level in (1, 2, 3):
            style = styles.find(f'{W}style[@{W}styleId="TOC{level}"]')
            assert style.find(f"{W}name").get(f"{W}val") == f"toc {level}" and style.get(f"{W}customStyle") is None
        used = {p.style.style_id for p in docx.Document(str(path)).paragraphs}
        assert {"TOC1", "TOC2", "TOC3"} <= used
    assert "FF0000" in lxml.etree.tostring(styles.find(f'{W}style[@{W}styleId="TOC1"]')).decode()  # the reference's own look


def _word_reference(tmp_path):
    """A reference document with contents styles as Word writes them ("toc 1"), in red."""
    document = docx.Document()
    for level in (1, 2, 3):
        style = document.styles.add_style(f"TOC {level}", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
        style.element.name_val = f"toc {level}"
        style.element.set(f"{W}styleId", f"TOC{level}")
        style.element.attrib.pop(f"{W}customStyle", None)
        style.font.color.rgb = docx.shared.RGBColor(0xFF, 0, 0)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4", "Title"):
        document.add_paragraph("x", style=name)
    path = tmp_path / "reference.docx"
    document.save(str(path))
    return path
