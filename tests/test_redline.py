"""HTML and Word redlines built from the section-aware diff."""

from __future__ import annotations

import re
import shutil
import subprocess

import docx
import pytest

from guidelines_app import redline
from guidelines_app.diff import diff_texts

OLD = """---
title: Guidelines
---
# Guidelines

## Response time

We answer within 24 hours on working days.

- Pause scheduled posts.
- Collect screenshots.

## Old section

This whole section goes away.

| Channel | Owner |
| --- | --- |
| Twitter | Comms |
"""

NEW = """---
title: Guidelines
---
# Guidelines

## How fast we answer

We answer within 12 hours on working days, also at weekends.

- Pause scheduled posts.
- Collect screenshots and links.
- Tell the duty officer.

| Channel | Owner |
| --- | --- |
| Twitter | Comms |
| Threads | Comms |

## Privacy — Datenschutz

Never share customer data.
"""

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXPECTED_NEW = [
    "Guidelines", "How fast we answer", "We answer within 12 hours on working days, also at weekends.",
    "Pause scheduled posts.", "Collect screenshots and links.", "Tell the duty officer.",
    "Channel | Owner", "Twitter | Comms", "Threads | Comms", "Privacy — Datenschutz", "Never share customer data.",
]


@pytest.fixture
def redline_docx(tmp_path):
    import datetime as dt

    d = diff_texts(OLD, NEW)
    labels = redline.Labels("Guidelines", "v1.0", "working file", "Dana Reviewer", dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc))
    return redline.write_docx_redline(d, tmp_path / "changes.docx", labels), d


def test_docx_has_tracked_changes_with_author_and_date(redline_docx):
    path, _ = redline_docx
    body = docx.Document(str(path)).element.body
    ins, dels = list(body.iter(f"{W}ins")), list(body.iter(f"{W}del"))
    assert ins and dels
    for el in ins + dels:
        assert el.get(f"{W}author") == "Dana Reviewer"
        assert el.get(f"{W}date") == "2024-05-06T07:08:09Z"
    ids = [el.get(f"{W}id") for el in ins + dels]
    assert len(ids) == len(set(ids))
    deleted = "".join(t.text for t in body.iter(f"{W}delText"))
    assert "24" in deleted and "This whole section goes away." in deleted


def test_docx_accept_all_gives_the_new_text(redline_docx):
    path, d = redline_docx
    assert redline.docx_paragraph_texts(path) == EXPECTED_NEW
    assert redline.new_text_paragraphs(d) == EXPECTED_NEW
    rejected = redline.docx_paragraph_texts(path, accept=False)
    assert "We answer within 24 hours on working days." in rejected and "Never share customer data." not in rejected


def test_docx_styles(redline_docx):
    path, _ = redline_docx
    styles = [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]
    assert ("Heading 1", "Guidelines") in styles
    assert ("List Bullet", "Pause scheduled posts.") in styles


def test_clean_copy(tmp_path):
    d = diff_texts(OLD, NEW)
    path = redline.write_docx_clean(d, tmp_path / "clean.docx")
    body = docx.Document(str(path)).element.body
    assert not list(body.iter(f"{W}ins")) and not list(body.iter(f"{W}del"))
    assert [p.text for p in docx.Document(str(path)).paragraphs] == EXPECTED_NEW


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_docx_redline_converts_to_pdf(redline_docx, tmp_path):
    path, _ = redline_docx
    result = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                            capture_output=True, text=True, timeout=180,
                            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "changes.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


def test_html_redline_marks_insertions_and_deletions():
    d = diff_texts(OLD, NEW)
    page = redline.render_html(d, redline.Labels("Guidelines", "v1.0", "v1.1"))
    assert "<ins>12 </ins>" in page and "<del>24 </del>" in page
    assert "text-decoration:underline" in page and "text-decoration:line-through" in page
    assert "Datenschutz" in page and 'name="chg-0"' in page
    assert len(re.findall(r'name="chg-\d+"', page)) == len(d.changes())


def test_side_by_side_columns_align():
    d = diff_texts(OLD, NEW)
    old_col = redline.render_html_fragment(d, side="old", qt=True)
    new_col = redline.render_html_fragment(d, side="new", qt=True)
    # Same blocks on both sides: an added block is a grey placeholder in the old column.
    assert old_col.count("<p") == new_col.count("<p")
    assert "Never share customer data." in old_col and redline.PLACEHOLDER_STYLE in old_col
    assert "12 " in new_col and "24 " not in new_col


def test_text_report():
    d = diff_texts(OLD, NEW)
    text = redline.render_text(d, redline.Labels("Guidelines", "v1.0", "v1.1"))
    assert "[-24-] {+12+}" in text
    assert "+ Threads | Comms" in text
    assert "Old section  [removed]" in text
