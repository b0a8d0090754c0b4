"""Import is a draft: a Word file exported as "approved, version 1.0" comes
back as a new draft with no approval; what the file claimed is kept only as
a note of where it came from (real git, real .docx files, the CLI in-process,
the window with pytest-qt)."""

from __future__ import annotations

import docx
import pytest
from PySide6.QtWidgets import QFileDialog

from guidelines_app.cli import main as cli
from guidelines_app.core.approval import approval_of
from guidelines_app.core.document import Document
from guidelines_app.publishing.export import export, source_from_workspace
from guidelines_app.publishing.import_docx import import_docx
from guidelines_app.review import history

BODY = "# Posting policy\n\n## Scope\n\nEvery team member who posts.\n\n## Response time\n\nWe answer within a day.\n"
NOTE = "Approved policy.docx (marked approved, version 1.0)"


@pytest.fixture
def approved_export(workspace, author, tmp_path):
    """A Word file the app exported from published version 1.0."""
    slug, _ = workspace.create_document(Document.new("Posting policy", organization="Example Org", body=BODY), author)
    history.publish(workspace, slug, "First approved version", "Dana", author, kind="major")
    path = export(source_from_workspace(workspace, slug), "docx", tmp_path / "Approved policy.docx")
    props = docx.Document(str(path)).core_properties
    assert props.content_status == "approved" and props.version == "1.0"  # the file does claim it
    return path


def _check_draft(ws, slug):
    doc = ws.load(slug)
    assert doc.status == "draft" and doc.version != "1.0"
    assert doc.meta["imported_from"] == NOTE
    assert history.publications(ws, slug) == []
    assert approval_of(ws, slug, doc.to_text()).label == "Draft"
    assert "Every team member who posts." in doc.body


def test_import_of_an_approved_export_is_a_draft(workspace, author, approved_export, tmp_path):
    slug, result, _ = import_docx(workspace, approved_export, author, title="Imported policy")
    assert result.saved
    _check_draft(workspace, slug)
    # Its export says so too: draft status on the title page and the DRAFT watermark.
    out = export(source_from_workspace(workspace, slug), "docx", tmp_path / "again.docx")
    d = docx.Document(str(out))
    rows = {r.cells[0].text: r.cells[1].text for r in d.tables[0].rows}
    assert rows["Status"] == "Draft"
    assert 'string="DRAFT"' in d.sections[0].header._element.xml


def test_import_of_an_unmarked_file_notes_only_the_name(workspace, author, tmp_path):
    path = tmp_path / "plain.docx"
    word = docx.Document()
    word.add_paragraph("Plain text.")
    word.save(str(path))
    slug, _, _ = import_docx(workspace, path, author, title="Plain")
    doc = workspace.load(slug)
    assert doc.status == "draft" and doc.meta["imported_from"] == "plain.docx"


def test_cli_import_is_a_draft(workspace, approved_export, capsys, monkeypatch):
    monkeypatch.setenv("GUIDELINES_CLI_STRICT", "1")
    assert cli.main(["--workspace", str(workspace.root), "import", str(approved_export), "--title", "From CLI"]) == 0
    slug = capsys.readouterr().out.split("\t")[0]
    _check_draft(workspace, slug)


def test_window_import_is_a_draft(qtbot, workspace, settings, approved_export, monkeypatch):
    from guidelines_app.ui.main_window import MainWindow

    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(approved_export), ""))
    with qtbot.waitSignal(w.features["export"].import_done, timeout=20000) as blocker:
        w.features["export"].import_dialog()
    slug = blocker.args[0]
    _check_draft(workspace, slug)
    assert w.slug == slug and w.doc.status == "draft"
