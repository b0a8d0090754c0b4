from __future__ import annotations

import re

import docx
import pytest
from export_fixtures import QUIRKY, ROUND_TRIP

from guidelines_app.core.document import Document
from guidelines_app.core.markup import outline
from guidelines_app.publishing.docx import export_docx
from guidelines_app.publishing.import_docx import DocxImportError, import_docx, read_docx


def _list_items(body: str):
    return [(len(m.group(1)), m.group(2) in "-*+", m.group(3)) for m in re.finditer(r"(?m)^( *)([-*+]|\d+\.) (.*)$", body)]


def test_round_trip_keeps_headings_lists_links_and_tables(tmp_path):
    source = Document.parse(ROUND_TRIP)
    path = export_docx(source, tmp_path / "rt.docx")
    imported = read_docx(path)
    assert imported.title == "Round Trip Policy"
    assert imported.organization == "Example Org"
    assert imported.version == "1.0" and imported.status == "approved"
    assert imported.owners == ["Communications"]
    body = imported.body
    assert [(s.level, s.title) for s in outline(body)] == [(s.level, s.title) for s in outline(source.body)]
    # Nesting depth and kind of every list item.
    got = [(bullet, text) for _, bullet, text in _list_items(body)]
    want = [(bullet, text) for _, bullet, text in _list_items(source.body)]
    assert got == want
    depths = [indent for indent, _, _ in _list_items(body)]
    assert depths[0] < depths[1] < depths[2] and depths[3] == depths[0]
    assert "[our site](https://example.org/site)" in body
    assert "**all staff**" in body and "*contractors*" in body
    assert "| LinkedIn | Comms |" in body and "| Channel | Owner |" in body
    # The contents and title pages are not imported as text.
    assert "Contents" not in body and "Version" not in body


def test_quirky_export_imports_without_tags(tmp_path):
    path = export_docx(Document.parse(QUIRKY), tmp_path / "q.docx")
    body = read_docx(path).body
    assert "<" not in body.replace("<br>", "")
    assert "**Do say who you work for**" in body
    assert "[privacy team](https://example.org/privacy)" in body
    assert "“curly quotes”" in body


def test_plain_word_document_unknown_content_kept(tmp_path):
    d = docx.Document()
    d.add_paragraph("Plain Word Title", style="Title")
    d.add_heading("Section one", level=1)
    d.add_paragraph("A star * and [brackets] stay text.")
    d.add_paragraph("First bullet", style="List Bullet")
    d.add_paragraph("Second bullet", style="List Bullet")
    d.add_paragraph("Numbered", style="List Number")
    box = d.add_paragraph()
    box.add_run("Text in ")
    box.add_run("a field").bold = True
    path = tmp_path / "plain.docx"
    d.save(path)
    imported = read_docx(path, title=None)
    assert imported.title == "Plain Word Title"
    body = imported.body
    assert "## Section one" in body
    assert "A star \\* and \\[brackets\\] stay text." in body
    assert "- First bullet" in body and "1. Numbered" in body
    assert "Text in **a field**" in body
    rendered = Document.parse(body)
    assert rendered.title == "Plain Word Title"


def test_import_commits_first_revision(workspace, author, tmp_path):
    path = export_docx(Document.parse(ROUND_TRIP), tmp_path / "Policy File.docx")
    slug, result = import_docx(workspace, path, author, title="Imported Policy")
    assert result.saved and result.message == "Imported from Policy File.docx"
    assert slug == "imported-policy"
    history = workspace.history(slug)
    assert len(history) == 1 and history[0].subject == "Imported from Policy File.docx"
    doc = workspace.load(slug)
    assert doc.title == "Imported Policy"
    assert doc.status == "draft" and doc.version == "0.1"  # the file said approved 1.0: an import is a new draft
    assert doc.meta["imported_from"] == "Policy File.docx (marked approved, version 1.0)"


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04broken zip", b"plain text file", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old doc"])
def test_bad_input_changes_nothing(workspace, author, tmp_path, content):
    path = tmp_path / "bad.docx"
    path.write_bytes(content)
    before = sorted(p.name for p in (workspace.root / "guidelines").iterdir())
    with pytest.raises(DocxImportError, match="not a Word document"):
        import_docx(workspace, path, author)
    assert sorted(p.name for p in (workspace.root / "guidelines").iterdir()) == before
    assert not workspace.store.has_commits()


def test_missing_file(workspace, author, tmp_path):
    with pytest.raises(DocxImportError, match="there is no file"):
        import_docx(workspace, tmp_path / "nope.docx", author)
