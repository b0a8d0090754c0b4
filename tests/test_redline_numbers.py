"""Numbered lists in the Word redline read right in LibreOffice too.

LibreOffice shows an automatically numbered item that holds a tracked
deletion as a deleted item: "[2.]" before it and the next item renumbered
("2.[3.]").  A numbered list with a deletion in it is numbered by hand in
the redline, its numbers tracked: accepting every change gives the new
numbers, rejecting every change the old ones.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from guidelines_app.review import redline
from guidelines_app.review.diff import diff_texts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

OLD = """# Steps

1. First step with words.
2. Second step that we will shorten later.
3. A step that goes.
4. Fourth step stays.

Between the lists.

1. Open item one
2. Open item two

- a bullet that goes
"""

NEW = """# Steps

1. First step with words.
2. Second step shortened.
3. Fourth step stays.

Between the lists.

1. Open item one, now longer
2. Open item two
3. Open item three
"""


@pytest.fixture
def written(tmp_path):
    return redline.write_docx_redline(diff_texts(OLD, NEW), tmp_path / "changes.docx")


def _steps(texts: list[str]) -> list[str]:
    return [t for t in texts if t.endswith(("words.", "later.", "shortened.", "goes.", "stays."))]


def test_numbers_after_accepting_and_rejecting_every_change(written):
    # (the reader leaves out the tab after a number)
    assert _steps(redline.docx_paragraph_texts(written)) == [
        "1.First step with words.", "2.Second step shortened.", "3.Fourth step stays."]
    assert _steps(redline.docx_paragraph_texts(written, accept=False)) == [
        "1.First step with words.", "2.Second step that we will shorten later.", "3.A step that goes.",
        "4.Fourth step stays."]


def test_a_list_without_deletions_keeps_word_numbering(written):
    import docx

    paras = {p.text: p for p in docx.Document(str(written)).paragraphs}  # (text outside w:ins)
    assert paras["Open item one"]._p.find(f"{W}pPr/{W}numPr") is not None
    assert paras["Open item two"]._p.find(f"{W}pPr/{W}numPr") is not None
    by_hand = next(p for t, p in paras.items() if t.startswith("1.") and "First step" in t)
    assert by_hand._p.find(f"{W}pPr/{W}numPr") is None


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or pdftotext is not installed")
def test_libreoffice_shows_no_bracketed_numbers(written, tmp_path):
    result = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(written)],
                            capture_output=True, text=True, timeout=180,
                            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "changes.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert not re.search(r"\[\d+\.\]", text), text
    assert re.search(r"1\.\s+First step", text)
    assert re.search(r"2\.\s+Second step", text)
    assert re.search(r"2\.\s+Open item two", text)
    # After the deleted bullet: a new list starting at 3, numbered by hand.
    assert re.search(r"3\.\s+Open item three", text)
