"""An unexpected exception in a slot: the crash handler first puts the
unsaved text in the recovery area, then writes the report to the log folder
and shows it in a dialog."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from app_helpers import on_modal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox, QPushButton

from guidelines_app.core.document import Document
from guidelines_app.core.recovery import RecoveryArea
from guidelines_app.ui.crash import LOG_DIR_ENV, CrashHandler
from guidelines_app.ui.main_window import MainWindow

TYPED = "\nA sentence typed just before the crash.\n"


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_autosaves_logs_and_explains(qtbot, workspace, settings, author):
    slug, _ = workspace.create_document(Document.new("Crisis playbook", "Acme"), author)
    window = MainWindow(workspace, settings)
    qtbot.addWidget(window, before_close_func=lambda w: w.editor.document().setModified(False))
    window.show()
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    window.editor.insertPlainText(TYPED)
    assert window.safekeeping.area.read(slug) is None  # the autosave has not run yet

    def broken_slot():
        raise ZeroDivisionError("the export counted zero pages")

    trigger = QPushButton("Export", window)
    trigger.clicked.connect(broken_slot)
    handler = CrashHandler()
    handler.install()
    seen, details = [], []
    try:
        on_modal(lambda box: (details.append(box.detailedText()), box.button(QMessageBox.StandardButton.Ok).click()),
                 seen, "crash-report")
        trigger.click()
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    finally:
        handler.uninstall()
    copy = window.safekeeping.area.read(slug)
    assert copy is not None and TYPED in copy.text
    log_file = Path(os.environ[LOG_DIR_ENV]) / "guideline-studio.log"
    logged = log_file.read_text(encoding="utf-8")
    assert "ZeroDivisionError: the export counted zero pages" in logged and "broken_slot" in logged
    assert "broken_slot" in details[0]  # the traceback, folded behind Show Details
    assert window.isVisible() and window.editor.text().endswith(TYPED)  # the user keeps working


def test_a_fatal_qt_message_keeps_the_text_before_qt_ends_the_app(workspace, author):
    slug, _ = workspace.create_document(Document.new("Crisis playbook", "Acme"), author)
    done = subprocess.run([sys.executable, str(Path(__file__).parent / "app_fatal.py"), str(workspace.root), TYPED],
                          capture_output=True, text=True, env=os.environ.copy(), timeout=60)
    assert done.returncode != 0  # Qt aborted the process
    copy = RecoveryArea(workspace.root).read(slug)
    assert copy is not None and TYPED in copy.text
    logged = (Path(os.environ[LOG_DIR_ENV]) / "guideline-studio.log").read_text(encoding="utf-8")
    assert "Qt stopped the app" in logged  # (PySide passes its own wording for a qFatal from Python)
