"""Regenerates the README screenshots from the real app, offscreen.

    python scripts/make_screenshots.py

Writes docs/main-window.png (and the screenshots of feature windows that
exist) using a temporary workspace with scripts/sample_guideline.md."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DOCS = REPO / "docs"


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="screens-"))
    os.environ["GUIDELINES_CONFIG_DIR"] = str(tmp / "config")
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "xdg")

    from PySide6.QtWidgets import QApplication

    from guidelines_app.document import Document
    from guidelines_app.gitstore import Identity
    from guidelines_app.settings import Settings
    from guidelines_app.ui.main_window import MainWindow
    from guidelines_app.workspace import Workspace

    app = QApplication.instance() or QApplication([])
    author = Identity("Dana Reviewer", "dana@example.org")
    settings = Settings(author_name=author.name, author_email=author.email)
    ws = Workspace.create(tmp / "Guidelines")
    doc = Document.parse((REPO / "scripts" / "sample_guideline.md").read_text(encoding="utf-8"))
    slug, _ = ws.create_document(doc, author)
    window = MainWindow(ws, settings)
    window.resize(1360, 820)
    window.show()
    deadline = time.time() + 10
    while window.preview.last_rendered is None and time.time() < deadline:
        app.processEvents()
        time.sleep(0.01)
    window.editor.go_to_line(16)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    DOCS.mkdir(exist_ok=True)
    window.grab().save(str(DOCS / "main-window.png"))
    print("wrote", DOCS / "main-window.png")
    window.close()


if __name__ == "__main__":
    main()
