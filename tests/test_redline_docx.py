"""The Word redline is the exporter's Word writer in its redline mode: the
export's styles (or a reference document's), a numbering instance per list,
nested list levels, tables with lists in cells, and tracked changes on top.

Reference files: ``word/document.xml`` of the export and of the redline of
a small fixture are compared with the pretty-printed files in
``tests/reference/`` (only what varies per run is normalised: tracked-change
dates and rsids).  After an intended change in the Word output, regenerate
them and review the difference like code:

    UPDATE_REFERENCE=1 PYTHONPATH=$PWD python3 -m pytest -q tests/test_redline_docx.py
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Pt
from lxml import etree

from guidelines_app.core.document import Document
from guidelines_app.publishing.docx import ExportDetails, export_docx
from guidelines_app.review import redline
from guidelines_app.review.diff import diff_texts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REFERENCE = Path(__file__).parent / "reference"

OLD = """---
title: Posting Rules
organization: Example Org
version: '1.0'
---
# Posting Rules

## Before you post

Read the [code of conduct](https://example.org/conduct) first.

1. Check the facts.
2. Ask a colleague.
   1. Someone from Comms.
      1. Or the duty officer.
3. Post.

## When things go wrong

We answer within **24 hours**.

1. Pause scheduled posts.
2. Collect screenshots.

| Channel | Rules |
| --- | --- |
| LinkedIn | <ul><li>Post weekly</li><li>No politics</li></ul> |
| Forum | Answer questions |
"""

NEW = """---
title: Posting Rules
organization: Example Org
version: '1.1'
---
# Posting Rules

## Before you post

Read the [conduct handbook](https://example.org/handbook) first.

1. Check the facts twice.
2. Ask a colleague.
   1. Someone from Comms.
      1. Or the duty officer.
      2. Or your manager.
3. Post.

## When things go wrong

We answer within **12 hours**, also at weekends.

1. Pause scheduled posts.
2. Collect screenshots and links.
3. Tell the duty officer.

| Channel | Rules |
| --- | --- |
| LinkedIn | <ul><li>Post weekly</li><li>No politics</li><li>Use the brand kit</li></ul> |
| Forum | Answer questions |
| Threads | <ul><li>Trial only</li></ul> |
"""

DATE = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
LABELS = redline.Labels("Posting Rules", "v1.0", "v1.1", "Dana Reviewer", DATE)


@pytest.fixture
def written(tmp_path):
    path = redline.write_docx_redline(diff_texts(OLD, NEW), tmp_path / "changes.docx", LABELS)
    export = export_docx(Document.parse(NEW), tmp_path / "export.docx",
                         ExportDetails.from_document(Document.parse(NEW), date=DATE.date(), modified=DATE))
    return path, export


def part(path: Path, name: str):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def paragraphs(path: Path) -> dict[str, object]:
    """Accepted text of each body paragraph -> the paragraph (the last one
    with that text: the body's, not the contents page's)."""
    out = {}
    for p in part(path, "word/document.xml").iter(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        out[text] = p
    return out


def numbering(p) -> tuple[str, int] | None:
    num = p.find(f"{W}pPr/{W}numPr")
    if num is None:
        return None
    return num.find(f"{W}numId").get(f"{W}val"), int(num.find(f"{W}ilvl").get(f"{W}val"))


def style(p) -> str:
    s = p.find(f"{W}pPr/{W}pStyle")
    return s.get(f"{W}val") if s is not None else ""


def test_each_list_has_its_own_numbering_and_restarts(written):
    path, _ = written
    paras = paragraphs(path)
    first, second = numbering(paras["Check the facts twice."]), numbering(paras["Pause scheduled posts."])
    assert first[1] == second[1] == 0
    assert first[0] != second[0]  # two lists, two numbering instances
    assert numbering(paras["Post."]) == first  # the first list goes on after its sub-list
    assert numbering(paras["Tell the duty officer."]) == second
    nums = {n.get(f"{W}numId"): n for n in part(path, "word/numbering.xml").iter(f"{W}num")}
    for num_id in (first[0], second[0]):
        override = nums[num_id].find(f"{W}lvlOverride[@{W}ilvl='0']/{W}startOverride")
        assert override is not None and override.get(f"{W}val") == "1"  # each restarts at 1
    assert nums[first[0]].find(f"{W}abstractNumId").get(f"{W}val") == nums[second[0]].find(f"{W}abstractNumId").get(f"{W}val")


def test_list_levels_nest(written):
    path, _ = written
    paras = paragraphs(path)
    levels = [numbering(paras[t])[1] for t in ("Ask a colleague.", "Someone from Comms.", "Or the duty officer.", "Or your manager.")]
    assert levels == [0, 1, 2, 2]
    assert numbering(paras["Or the duty officer."]) == numbering(paras["Or your manager."])


def test_styles_are_the_exports(written):
    path, export = written
    red, exp = paragraphs(path), paragraphs(export)
    for text in ("Before you post", "When things go wrong", "Check the facts twice.", "Ask a colleague.",
                 "Or your manager.", "Tell the duty officer."):
        assert style(red[text]) == style(exp[text]), text
    assert style(red["Before you post"]) == "Heading1"
    assert style(red["Check the facts twice."]) == "ListParagraph"
    # The same numbering formats as the export: decimal, then letters, then roman.
    formats = {}
    for path_ in (path, export):
        abstract = {a.get(f"{W}abstractNumId"): a for a in part(path_, "word/numbering.xml").iter(f"{W}abstractNum")}
        nums = {n.get(f"{W}numId"): n.find(f"{W}abstractNumId").get(f"{W}val") for n in part(path_, "word/numbering.xml").iter(f"{W}num")}
        num_id, _ = numbering(paragraphs(path_)["Ask a colleague."])
        lvls = abstract[nums[num_id]].findall(f"{W}lvl")
        formats[path_] = [lvl.find(f"{W}numFmt").get(f"{W}val") for lvl in lvls[:3]]
    assert formats[path] == formats[export] == ["decimal", "lowerLetter", "lowerRoman"]
    # The export's header and footer (page numbers), saying what is compared.
    header = "".join(t.text for t in part(path, "word/header1.xml").iter(f"{W}t"))
    assert "Posting Rules" in header and "v1.0 \u2192 v1.1" in header
    assert any("NUMPAGES" in (t.text or "") for t in part(path, "word/footer1.xml").iter(f"{W}instrText"))


def test_links_are_hyperlinks_with_tracked_text(written):
    path, _ = written
    document = docx.Document(str(path))
    targets = {}
    for link in document.element.body.iter(f"{W}hyperlink"):
        text = "".join(t.text for t in link.iter(f"{W}t", f"{W}delText"))
        targets[text] = (document.part.rels[link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")].target_ref,
                         [child.tag for child in link])
    assert targets["conduct handbook"] == ("https://example.org/handbook", [f"{W}ins"])
    assert targets["code of conduct"] == ("https://example.org/conduct", [f"{W}del"])


def test_list_in_a_table_cell_keeps_one_paragraph_per_bullet(written):
    path, export = written
    for path_ in (path, export):
        table = [t for t in part(path_, "word/document.xml").iter(f"{W}tbl")][-1]
        cell = table.findall(f"{W}tr")[1].findall(f"{W}tc")[1]
        texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in cell.findall(f"{W}p")]
        assert texts == ["Post weekly", "No politics", "Use the brand kit"], path_.name
        nums = [numbering(p) for p in cell.findall(f"{W}p")]
        assert all(nums) and len({n for n in nums}) == 1
    # The inserted bullet is a tracked insertion; the new row is tracked as a whole.
    table = [t for t in part(path, "word/document.xml").iter(f"{W}tbl")][-1]
    rows = table.findall(f"{W}tr")
    assert "Use the brand kit" in "".join(t.text for ins in rows[1].iter(f"{W}ins") for t in ins.iter(f"{W}t"))
    assert rows[3].find(f"{W}trPr/{W}ins") is not None and rows[2].find(f"{W}trPr/{W}ins") is None
    # Accepting all gives the new version, cell list items one by one.
    accepted = redline.docx_paragraph_texts(path)
    assert accepted[accepted.index("LinkedIn") + 1:][:3] == ["Post weekly", "No politics", "Use the brand kit"]
    assert redline.docx_paragraph_texts(path) == redline.new_text_paragraphs(diff_texts(OLD, NEW))


def test_reference_docx_styles_are_used(tmp_path):
    reference = docx.Document()
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4", "Title"):
        reference.styles[name].font.name = "Georgia"
    reference.styles["Heading 1"].font.size = Pt(27)
    reference.add_paragraph("x", style="Heading 1")
    reference.save(tmp_path / "house.docx")
    path = redline.write_docx_redline(diff_texts(OLD, NEW), tmp_path / "changes.docx", LABELS,
                                      reference_docx=tmp_path / "house.docx")
    document = docx.Document(str(path))
    assert document.styles["Heading 1"].font.name == "Georgia"
    assert document.styles["Heading 1"].font.size == Pt(27)
    headings = [p for p in document.paragraphs if p.text == "Before you post"]
    assert headings and headings[0].style.name == "Heading 1"
    assert "x" not in [p.text for p in document.paragraphs]  # the reference's own text is not kept
    clean = redline.write_docx_clean(diff_texts(OLD, NEW), tmp_path / "clean.docx", LABELS,
                                     reference_docx=tmp_path / "house.docx")
    assert docx.Document(str(clean)).styles["Heading 1"].font.size == Pt(27)
    with pytest.raises(redline.RedlineError, match="does not exist"):
        redline.write_docx_redline(diff_texts(OLD, NEW), tmp_path / "bad.docx", LABELS, reference_docx=tmp_path / "missing.docx")
    assert not (tmp_path / "bad.docx").exists()


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or pdftotext is not installed")
def test_redline_converts_to_pdf_with_its_text(written, tmp_path):
    path, _ = written
    result = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                            capture_output=True, text=True, timeout=180,
                            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "changes.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    for words in ("Posting Rules", "Before you post", "Or your manager.", "Use the brand kit", "Trial only",
                  "v1.0 \u2192 v1.1", "Page 2 of 2"):
        assert words in text, words
    assert re.search(r"1\.\s+Pause scheduled posts\.", text)  # the second list starts again at 1


# ---------------------------------------------------------------------------
# Reference files
# ---------------------------------------------------------------------------


def pretty_document_xml(path: Path) -> str:
    """word/document.xml pretty-printed, without what varies per run."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"), etree.XMLParser(remove_blank_text=True))
    for el in root.iter():
        for attr in list(el.attrib):
            if re.match(rf"{re.escape(W)}rsid", attr):
                del el.attrib[attr]
        if f"{W}date" in el.attrib:
            el.set(f"{W}date", "DATE")
    return etree.tostring(root, pretty_print=True, encoding="unicode")


@pytest.mark.parametrize("which", ["export", "redline"])
def test_document_xml_matches_the_reference(written, which):
    path, export = written
    actual = pretty_document_xml(export if which == "export" else path)
    reference = REFERENCE / f"{which}-document.xml"
    if os.environ.get("UPDATE_REFERENCE"):
        reference.parent.mkdir(exist_ok=True)
        reference.write_text(actual, encoding="utf-8")
    assert reference.is_file(), f"no reference file {reference}: run with UPDATE_REFERENCE=1 once"
    expected = reference.read_text(encoding="utf-8")
    assert actual == expected, (f"word/document.xml of the {which} differs from {reference}; if the change is "
                                "intended, regenerate with UPDATE_REFERENCE=1 and review the diff")


def test_a_pipe_typed_in_a_table_cell_keeps_the_redline_s_table_whole(tmp_path):
    """An escaped "\\|" in a cell was read as a cell's border by the
    comparison: the redline and its clean copy got a third column, shifted
    text and a visible backslash."""
    old = "# T\n\n| Option | Meaning |\n| --- | --- |\n| A \\| B | either A or B |\n| C | plain |\n"
    new = old.replace("either A or B", "either A or B (or both)").replace("| C |", "| C \\| D |")
    result = diff_texts(old, new)
    for path in (redline.write_docx_redline(result, tmp_path / "red.docx", LABELS),
                 redline.write_docx_clean(result, tmp_path / "clean.docx", LABELS)):
        rows = [[c.text for c in row.cells] for t in docx.Document(str(path)).tables for row in t.rows]
        body = rows[rows.index(["Option", "Meaning"]):]
        assert all(len(r) == 2 for r in body) and body[1][0] == "A | B", (path.name, rows)
        assert "\\" not in "".join("".join(r) for r in body), rows
    clean_rows = [[c.text for c in row.cells] for t in docx.Document(str(tmp_path / "clean.docx")).tables for row in t.rows]
    assert ["C | D", "plain"] in clean_rows


def test_a_heading_moved_to_another_level_is_a_tracked_change(tmp_path):
    """The text diff said "1 heading moved to another level"; the Word
    redline showed the new level untracked, so Reject All kept it."""
    old = "# Policy\n\n## Scope\n\nText.\n\n### Sharing\n\nMore text.\n"
    new = old.replace("### Sharing", "## Sharing")
    path = redline.write_docx_redline(diff_texts(old, new), tmp_path / "levels.docx", LABELS)
    xml = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    w = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    para = next(p for p in xml.iterfind(".//w:body/w:p", w) if "".join(p.itertext()).strip() == "Sharing")
    now = para.find("w:pPr/w:pStyle", w).get(f"{{{w['w']}}}val")
    before = para.find("w:pPr/w:pPrChange/w:pPr/w:pStyle", w)
    scope = next(p for p in xml.iterfind(".//w:body/w:p", w) if "".join(p.itertext()).strip() == "Scope")
    assert now == scope.find("w:pPr/w:pStyle", w).get(f"{{{w['w']}}}val")  # the same level as "Scope" now
    assert before is not None and before.get(f"{{{w['w']}}}val") not in (None, now)
    assert para.find("w:pPr/w:pPrChange", w).get(f"{{{w['w']}}}author") == LABELS.author


def test_footnotes_read_as_numbers_not_markup(tmp_path):
    """The redline and its clean copy showed "source.[^1]" and "[^1]: The
    source must be public." (export prints a superscript number)."""
    old = "# T\n\n## Claims\n\nClaims need a source.[^1] Last sentence old.\n\n[^1]: The source must be public.\n"
    new = old.replace("old.", "new.")
    result = diff_texts(old, new)
    for path in (redline.write_docx_redline(result, tmp_path / "red.docx", LABELS),
                 redline.write_docx_clean(result, tmp_path / "clean.docx", LABELS)):
        text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        assert "[^" not in text and "source.\u00b9" in text and "\u00b9 The source must be public." in text, text


QUOTE_OLD = ("# Quotes\n\n> Before you post, ask:\n>\n> - Is it true?\n> - Is it kind?\n>   - Would the customer agree?\n"
             ">\n> Then post.\n\nText after.\n")


def _look(p) -> tuple:
    """What draws a paragraph: its style, list level, indentation and bar."""
    ppr = p.find(f"{W}pPr")
    ind, bar = ppr.find(f"{W}ind"), ppr.find(f"{W}pBdr/{W}left")
    return (style(p), numbering(p)[1] if numbering(p) else None,
            None if ind is None else dict(ind.attrib), None if bar is None else dict(bar.attrib))


def test_a_list_in_a_quote_is_items_inside_the_quote_as_the_export_draws_it(tmp_path):
    """The redline and its clean copy flattened a quote holding a list into
    one line ("Before you post, ask: - Is it true? - ..."): the diff read
    the quote as one paragraph.  Its items are list items inside the quote,
    drawn as the export draws them, and a word changed in one is tracked."""
    new = QUOTE_OLD.replace("Is it kind?", "Is it fair?")
    result = diff_texts(QUOTE_OLD, new)
    red = redline.write_docx_redline(result, tmp_path / "red.docx", LABELS)
    clean = redline.write_docx_clean(result, tmp_path / "clean.docx", LABELS)
    export = export_docx(Document.new("Quotes", body=new), tmp_path / "export.docx")
    exported = paragraphs(export)
    for path in (red, clean):
        texts = [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]
        at = texts.index(("Quote", "Before you post, ask:"))
        assert [t for _s, t in texts[at:at + 6]] == ["Before you post, ask:", "Is it true?",
                                                     "Is it fair?" if path == clean else "Is it ",  # (python-docx: not ins/del)
                                                     "Would the customer agree?", "Then post.", "Text after."]
        assert [s for s, _t in texts[at:at + 6]] == ["Quote", "Quote List", "Quote List", "Quote List", "Quote", "Normal"]
        paras = paragraphs(path)
        for text in ("Before you post, ask:", "Is it true?", "Would the customer agree?", "Then post."):
            assert _look(paras[text]) == _look(exported[text]), (path.name, text)
    item = paragraphs(red)["Is it fair?"]
    assert [d.text for d in item.iter(f"{W}delText")] == ["kind?"] and numbering(item)[1] == 0
    old_text = ["Before you post, ask:", "Is it true?", "Is it kind?", "Would the customer agree?", "Then post.", "Text after."]
    assert redline.docx_paragraph_texts(red, accept=False)[-6:] == old_text
    assert redline.docx_paragraph_texts(red, accept=True)[-6:] == [t.replace("kind", "fair") for t in old_text]
