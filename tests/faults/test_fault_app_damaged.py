"""The window on a workspace whose history is damaged (an empty branch ref):
it opens, the text can be read, and the status bar says the history cannot
be read (it used to stop the app at start)."""

from __future__ import annotations

import subprocess

from PySide6.QtWidgets import QLabel

from guidelines_app.core.document import Document
from guidelines_app.ui.main_window import MainWindow

BODY = "# Policy\n\n## Who\n\nEveryone who posts.\n"


def test_window_opens_on_a_damaged_history(qtbot, workspace, settings, author):
    slug, _ = workspace.create_document(Document.new("Policy", "Acme", body=BODY), author)
    branch = subprocess.run(["git", "symbolic-ref", "--short", "HEAD"], cwd=workspace.root,
                            capture_output=True, text=True, check=True).stdout.strip()
    (workspace.root / ".git" / "refs" / "heads" / branch).write_text("", encoding="utf-8")
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    assert w.slug == slug and w.editor.text() == BODY

    def texts() -> list[str]:
        return [label.text() for label in w.statusBar().findChildren(QLabel)]

    # The latest revision is read on a worker once the window is painted.
    qtbot.waitUntil(lambda: "History unreadable" in texts(), timeout=5000)
