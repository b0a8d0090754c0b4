"""kramdown's "- TOC" marker ("On this page" over a one-item list saying
TOC, as real handbooks write it) asks for a table of contents.  The Word
export answers it with its contents page; the HTML export puts a list of
links to the headings in its place; the redlines leave it out, as the Word
export does.  Nowhere does a reader see a bullet saying "TOC"."""

from __future__ import annotations

import docx
import lxml.html

from guidelines_app.core.document import Document
from guidelines_app.publishing.docx import ExportDetails
from guidelines_app.publishing.export import ExportSource, html_document
from guidelines_app.review import redline
from guidelines_app.review.diff import diff_texts

OLD = """## On this page
{:.no_toc}

- TOC
{:toc}

## Purpose

Staff who post follow these rules.

### Scope

All accounts.
"""

NEW = OLD.replace("All accounts.", "All accounts, also personal ones.")


def test_html_export_turns_the_marker_into_links_to_the_headings():
    source = ExportSource(Document.parse(NEW), ExportDetails(title="Rules"), None, "current text")
    page = lxml.html.fromstring(html_document(source))
    assert "TOC" not in page.text_content()
    contents = page.xpath("//ul[@class='contents']")[0]
    assert [(a.text, a.get("href")) for a in contents.iter("a")] == [("Purpose", "#purpose"), ("Scope", "#scope")]
    ids = {el.get("id") for el in page.iter() if el.get("id")}
    assert {"purpose", "scope"} <= ids  # every link has its target


def test_redlines_leave_the_marker_out(tmp_path):
    d = diff_texts(OLD, NEW)
    path = redline.write_docx_redline(d, tmp_path / "changes.docx")
    texts = redline.docx_paragraph_texts(path)
    assert "TOC" not in texts and "On this page" not in texts
    assert "Purpose" in texts and "All accounts, also personal ones." in texts
    styles = {p.text: p.style.name for p in docx.Document(str(path)).paragraphs}
    assert styles["Purpose"] == "Heading 1" and styles["Scope"] == "Heading 2"  # the export's levels
    body = lxml.html.fromstring(redline.render_html(d)).text_content()
    assert "TOC" not in body and "On this page" not in body
