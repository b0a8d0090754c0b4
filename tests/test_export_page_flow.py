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
