"""A <details> block's <summary> looks the same in the Word redline as in
the export (the Summary style), also when written over several lines."""

from __future__ import annotations

import docx

from guidelines_app.core.document import Document
from guidelines_app.publishing.docx import ExportDetails, export_docx
from guidelines_app.review import redline
from guidelines_app.review.diff import diff_texts

OLD = """## Rules

<details>
  <summary markdown='span'>
    Do say who you work for
  </summary>

Say it in your profile.
</details>

<details><summary>Do keep it civil</summary>

Be kind.
</details>
"""

NEW = OLD.replace("in your profile", "in your profile or post")


def _styles(path) -> dict[str, str]:
    return {" ".join(p.text.split()): p.style.name for p in docx.Document(str(path)).paragraphs}


def test_summaries_have_the_exports_style(tmp_path):
    export = tmp_path / "export.docx"
    export_docx(Document.parse(NEW), export, ExportDetails(title="Rules"))
    path = redline.write_docx_redline(diff_texts(OLD, NEW), tmp_path / "changes.docx")
    exported, red = _styles(export), _styles(path)
    for summary in ("Do say who you work for", "Do keep it civil"):
        assert exported[summary] == "Summary", exported
        assert red[summary] == "Summary", red
    assert red["Be kind."] == exported["Be kind."] != "Summary"


def test_changed_answers_are_named_one_by_one_not_printed_as_python():
    """A changed questionnaire answer printed both groups of answers whole,
    as Python writes a mapping ({'organization': 'B', 'uses_influencers':
    True, 'approval_matrix': [{...}]}: thousands of characters on one line)."""
    from guidelines_app.review.redline_text import render_text_body

    old = ("---\ntitle: T\nanswers:\n  organization: Acme\n  uses_influencers: true\n  approval_matrix:\n"
           "  - {post_type: Routine, approver: Hub}\n---\n# A\n\nText.\n")
    new = old.replace("organization: Acme", "organization: Northwind").replace("approver: Hub", "approver: Legal")
    result = diff_texts(old, new)
    assert [k for k, _, _ in result.meta_changes] == ["answers.organization", "answers.approval_matrix"]
    text = render_text_body(result, {})
    assert "details: Questionnaire answers: organization: Acme -> Northwind" in text
    assert "details: Questionnaire answers: approval matrix: a table of 1 row -> a table of 1 row, changed" in text
    page = redline.render_html(result, redline.Labels("T", "before", "after", "A", None))
    assert "{'" not in text + page and "Questionnaire answers: organization" in page
