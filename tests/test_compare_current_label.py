"""History > Compare with Published names the editor's side as it is:
"Current text" when nothing is unsaved (it said "Current text (including
unsaved edits)" with none), and a short name with unsaved edits; the Word
redline's page header names both sides shortly, on one line (it repeated
the full names and wrapped onto two)."""

from __future__ import annotations

import docx
import pytest
from PySide6.QtGui import QTextCursor

from guidelines_app.core.document import Document
from guidelines_app.review import history

BODY = "# Social media guidelines\n\n## Response time\n\nAnswer every question within 24 hours.\n"


@pytest.fixture
def window(qtbot, workspace, settings, author):
    from guidelines_app.ui.main_window import MainWindow

    slug, _ = workspace.create_document(Document.new("Social media guidelines", "Acme", body=BODY), author)
    history.publish(workspace, slug, "First version for everyone", "Ann Lee", author)
    text = workspace.path(slug).read_text(encoding="utf-8").replace("24 hours", "12 hours")
    workspace.save_text(slug, text, author, "Faster answers to every question on every channel")
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w, before_close_func=lambda w: w.editor.document().setModified(False))
    w.show()
    w.open_document(slug)
    return w


def _header(path) -> str:
    section = docx.Document(str(path)).sections[0]
    return " ".join(p.text for p in section.header.paragraphs if p.text)


def _compare_and_export(window, qtbot, target):
    cw = window.features["history"].compare_with_published()
    qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
    with qtbot.waitSignal(cw.exported, timeout=20000):
        cw.export("docx", str(target))
    return cw


def test_the_current_side_is_current_text_without_unsaved_edits(window, qtbot, tmp_path):
    assert not window.is_modified()
    cw = _compare_and_export(window, qtbot, tmp_path / "changes.docx")
    assert cw.new_combo.currentText() == "Current text"
    assert cw.new_header.text() == "<b>After:</b> Current text"
    # The page header names the sides shortly, on one line: the full names are on the title page.
    assert _header(tmp_path / "changes.docx") == "Social media guidelines\tv1.0 \u2192 Current text"
    cw.grab().save(str(tmp_path / "compare.png"))
    cw.close()


def test_with_unsaved_edits_it_says_so_briefly(window, qtbot, tmp_path):
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    window.editor.insertPlainText("\nReply to complaints the same day.\n")
    assert window.is_modified()
    cw = _compare_and_export(window, qtbot, tmp_path / "changes.docx")
    assert cw.new_combo.currentText() == "Current text (not saved)"
    assert _header(tmp_path / "changes.docx") == "Social media guidelines\tv1.0 \u2192 Current text (not saved)"
    compared = [row.cells[1].text for table in docx.Document(str(tmp_path / "changes.docx")).tables for row in table.rows
                if row.cells[0].text == "Compared"]
    assert compared and "First version for everyone \u2192 Current text (not saved)" in compared[0]
    cw.close()
