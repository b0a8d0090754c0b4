"""Helper for the fatal-message test: the real window with typed text, the
app's crash handler installed, then a fatal Qt message (Qt ends the process)."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import qFatal  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from guidelines_app.core.settings import Settings  # noqa: E402
from guidelines_app.core.workspace import Workspace  # noqa: E402
from guidelines_app.ui.crash import CrashHandler  # noqa: E402
from guidelines_app.ui.main_window import MainWindow  # noqa: E402

app = QApplication([])
window = MainWindow(Workspace.open(sys.argv[1]), Settings.load())
window.show()
window.editor.moveCursor(QTextCursor.MoveOperation.End)
window.editor.insertPlainText(sys.argv[2])
CrashHandler().install()
qFatal("the graphics driver went away")
