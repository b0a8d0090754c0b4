"""Helper for the kill tests: opens the real main window (offscreen) on a
workspace, types text into a document, waits until the autosave has put it
in the recovery area, prints "ready" and waits to be killed.

    python app_typist.py WORKSPACE SLUG TEXT [--new TITLE] [--save-in-background]

With --new, the document is created first (as File > New does) and the text
is typed into it before it is ever saved.  With --save-in-background, once
the recovery copy is written, the document is saved as a very large one is
(on a worker, ``ui.saving``): "saving" is printed as the save starts."""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from guidelines_app.core.document import Document  # noqa: E402
from guidelines_app.core.settings import Settings  # noqa: E402
from guidelines_app.core.workspace import Workspace  # noqa: E402
from guidelines_app.ui.main_window import MainWindow  # noqa: E402


def main() -> None:
    root, slug, text = sys.argv[1:4]
    app = QApplication([])
    settings = Settings.load()
    ws = Workspace.open(root)
    if "--new" in sys.argv:
        title = sys.argv[sys.argv.index("--new") + 1]
        slug, _ = ws.create_document(Document.new(title, "Acme"), ws.identity(settings))
    window = MainWindow(ws, settings)
    window.show()
    window.safekeeping.delay_ms = 300  # the real timer, only sooner
    window.open_document(slug)
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    window.editor.insertPlainText(text)
    deadline = time.monotonic() + 20

    def check():
        copy = window.safekeeping.area.read(slug)
        if copy is not None and text in copy.text:
            print("ready", slug, flush=True)
            if "--save-in-background" in sys.argv:
                window.heavy_features_off = True  # as for a very large document
                window.save_revision(wait=False)
                print("saving", flush=True)
        elif time.monotonic() < deadline:
            QTimer.singleShot(50, check)
        else:
            print("no recovery copy was written", flush=True)

    QTimer.singleShot(50, check)
    app.exec()


if __name__ == "__main__":
    main()
