"""Shared steps of the window's fault tests (not collected: no test_ prefix)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton


def on_modal(handle: Callable, seen: list, name: str = "", tries: int = 200) -> Callable[[], None]:
    """Soon, run *handle(widget)* on the active modal widget (whose
    objectName is *name*, when given); records it in *seen*.  Returns a
    function that stops waiting (for a dialog that may not come)."""
    stopped = []

    def poll(left=tries):
        if stopped:
            return
        box = QApplication.activeModalWidget()
        if box is not None and (not name or box.objectName() == name):
            seen.append(box)
            handle(box)
        elif left:
            QTimer.singleShot(25, lambda: poll(left - 1))

    QTimer.singleShot(25, poll)
    return lambda: stopped.append(True)


def button(box, text: str) -> QPushButton:
    """The button labelled *text* in a dialog or message box."""
    found = [b for b in box.findChildren(QPushButton) if b.text() == text]
    assert found, f"no button {text!r} in {[b.text() for b in box.findChildren(QPushButton)]}"
    return found[0]


def fsck(root) -> str:
    out = subprocess.run(["git", "-C", str(root), "fsck", "--strict"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout + out.stderr


def log(root, path: str = "") -> list[str]:
    args = ["git", "-C", str(root), "log", "--format=%s"] + (["--", path] if path else [])
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout.splitlines()


BODY = "# Social media guidelines\n\n## Who\n\nEveryone who posts.\n"


def window_with_typing(qtbot, workspace, settings, author, typed: str):
    """The real window on a saved document (BODY), with *typed* added at its
    end and not saved yet."""
    from PySide6.QtGui import QTextCursor

    from guidelines_app.core.document import Document
    from guidelines_app.ui.main_window import MainWindow

    workspace.create_document(Document.new("Social media guidelines", "Acme", body=BODY), author)
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w, before_close_func=lambda w: w.editor.document().setModified(False))
    w.show()
    w.editor.moveCursor(QTextCursor.MoveOperation.End)
    w.editor.insertPlainText(typed)
    return w
