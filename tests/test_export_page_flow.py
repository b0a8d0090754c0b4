"""Lines that lead into what follows stay on its page in the Word export:
a bold line alone (a heading in all but style) and a line ending in ":"
before a list keep with the next paragraph, so no page ends after them."""

from __future__ import annotations

import docx

from guidelines_app.core.document import Document
from guidelines_app.publishing.docx import ExportDetails, export_docx

BODY = """## Rules

**On official accounts**

Post only after the training.

You may post about:

- your work
- your team

**Bold** words inside a sentence do not make it a heading.

An ordinary paragraph.

- a list after a line without a colon
"""

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_lead_in_lines_keep_with_the_next(tmp_path):
    path = tmp_path / "rules.docx"
    export_docx(Document.parse(BODY), path, ExportDetails(title="Rules"))
    keep = {p.text: p._p.find(f"{W}pPr/{W}keepNext") is not None for p in docx.Document(str(path)).paragraphs}
    assert keep["On official accounts"] and keep["You may post about:"]
    assert not keep["Post only after the training."]
    assert not keep["Bold words inside a sentence do not make it a heading."]
    assert not keep["An ordinary paragraph."]


def test_two_code_blocks_in_a_row_stay_two(tmp_path):
    body = "Code:\n\n    indented code\n\n```\nfenced code\n```\n"
    path = tmp_path / "code.docx"
    export_docx(Document.parse(body), path, ExportDetails(title="Code"))
    paras = docx.Document(str(path)).paragraphs
    at = [n for n, p in enumerate(paras) if p.style.name == "Source Code"]
    assert [paras[n].text for n in at] == ["indented code", "fenced code"]
    assert at[1] - at[0] == 2 and paras[at[0] + 1].text == ""  # a gap between the two shaded boxes
