"""The redlines show what the export shows: reference links ("[text][ref]",
"[ref]") as links to their definitions, the definitions themselves and a
"Title:" metadata block not as text."""

from __future__ import annotations

import docx
import lxml.html

from guidelines_app.review import redline
from guidelines_app.review.diff import diff_texts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

OLD = """Title: Channel Rules
Date: 2026-01-01

Read the [staff guide][guide] before posting, and the [Handbook] too.

## Rules

See [guide] for the details.

[guide]: https://example.org/guide
[handbook]: https://example.org/handbook "The handbook"
"""

NEW = OLD.replace("before posting", "before you post")


def _diff():
    return diff_texts(OLD, NEW)


def test_word_redline_links_reference_links_and_hides_definitions(tmp_path):
    path = redline.write_docx_redline(_diff(), tmp_path / "changes.docx")
    texts = redline.docx_paragraph_texts(path)
    assert not any("[" in t or "]" in t for t in texts), texts
    assert not any("example.org" in t for t in texts), texts  # the definitions are not text
    assert not any(t.startswith(("Title:", "Date:")) for t in texts), texts
    assert "See guide for the details." in texts
    document = docx.Document(str(path))
    targets = {}
    for link in document.element.body.iter(f"{W}hyperlink"):
        text = "".join(t.text for t in link.iter(f"{W}t"))
        targets[text] = document.part.rels[link.get(R_ID)].target_ref
    assert targets["staff guide"] == "https://example.org/guide"
    assert targets["Handbook"] == "https://example.org/handbook"
    assert targets["guide"] == "https://example.org/guide"


def test_html_redline_links_reference_links_and_hides_definitions():
    page = lxml.html.fromstring(redline.render_html(_diff()))
    body = page.text_content()
    assert "[staff guide]" not in body and "[guide]" not in body and "[Handbook]" not in body
    assert "https://example.org" not in body and "Title: Channel Rules" not in body
    links = {a.text_content(): a.get("href") for a in page.iter("a") if a.get("href")}
    assert links["staff guide"] == "https://example.org/guide"
    assert links["Handbook"] == "https://example.org/handbook"


def test_a_bracket_without_a_definition_stays_as_typed(tmp_path):
    d = diff_texts("Tick [x] when done.\n", "Tick [x] when it is done.\n")
    path = redline.write_docx_redline(d, tmp_path / "changes.docx")
    assert "Tick [x] when it is done." in redline.docx_paragraph_texts(path)
