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


TABLE = """| Channel | Owner | Approval | Notes for staff |
|---|---|---|---|
| LinkedIn | Communications department | Yes | Post weekly, and answer every comment within one working day, also at weekends |
| X | Social | No | Short |
"""


def _grid(path) -> list[int]:
    table = list(docx.Document(str(path)).element.body.iter(f"{W}tbl"))[-1]  # (after the title page's)
    return [int(col.get(f"{W}w")) for col in table.iter(f"{W}gridCol")]


def test_table_columns_are_sized_to_their_text(tmp_path):
    from guidelines_app.publishing.docx.tables import _CELL_MARGINS, _CHAR_TWIPS

    path = tmp_path / "table.docx"
    export_docx(Document.parse(TABLE), path, ExportDetails(title="Table"))
    channel, owner, approval, notes = _grid(path)
    assert notes > owner > approval  # the text-heavy column widest, "Yes"/"No" narrow
    # No column narrower than its longest word ("Communications"): no word broken mid-word.
    assert owner >= _CELL_MARGINS + _CHAR_TWIPS * len("Communications")
    assert approval >= _CELL_MARGINS + _CHAR_TWIPS * len("Approval")
    # The Word redline sizes its columns the same way.
    from guidelines_app.review import redline
    from guidelines_app.review.diff import diff_texts

    red = redline.write_docx_redline(diff_texts(TABLE, TABLE.replace("| No |", "| Yes |")), tmp_path / "red.docx")
    red_channel, red_owner, red_approval, red_notes = _grid(red)
    assert red_notes > red_owner > red_approval


def test_two_code_blocks_in_a_row_stay_two_in_the_redline(tmp_path):
    from guidelines_app.review import redline
    from guidelines_app.review.diff import diff_texts

    old = "Code:\n\n    indented code\n\n```\nfenced code\n```\n"
    path = redline.write_docx_redline(diff_texts(old, old.replace("fenced code", "fenced code 2")), tmp_path / "r.docx")
    paras = docx.Document(str(path)).paragraphs
    at = [n for n, p in enumerate(paras) if p.style.name == "Source Code"]
    assert len(at) == 2 and at[1] - at[0] == 2
