"""Regenerates the README screenshots from the real app, offscreen.

    python scripts/make_screenshots.py [FOLDER]

Writes docs/main-window.png (and the screenshots of feature windows that
exist, and main-window-dark.png and compare-dark.png in the dark colour
set), or into FOLDER when given, using a temporary workspace with
scripts/sample_guideline.md."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DOCS = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else REPO / "docs"


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="screens-"))
    os.environ["GUIDELINES_CONFIG_DIR"] = str(tmp / "config")
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "xdg")
    # No recovery copies or logs of the user's own sessions in the pictures.
    os.environ["GUIDELINES_RECOVERY_DIR"] = str(tmp / "recovery")
    os.environ["GUIDELINES_LOG_DIR"] = str(tmp / "log")

    from PySide6.QtWidgets import QApplication

    from guidelines_app.core.document import Document
    from guidelines_app.core.gitstore import Identity
    from guidelines_app.core.settings import Settings
    from guidelines_app.core.workspace import Workspace
    from guidelines_app.ui.main_window import MainWindow

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
    def settle(seconds: float = 0.4) -> None:
        end = time.time() + seconds
        while time.time() < end:
            app.processEvents()
            time.sleep(0.02)

    window.editor.go_to_line(16)
    settle()
    DOCS.mkdir(exist_ok=True)
    window.grab().save(str(DOCS / "main-window.png"))  # the rich editing surface (the default)
    print("wrote", DOCS / "main-window.png")
    # The same place as Markdown source (View > Markdown Source), then back.
    window.editing.show_source(True)
    settle()
    window.grab().save(str(DOCS / "source-view.png"))
    print("wrote", DOCS / "source-view.png")
    window.editing.show_source(False)
    settle()

    # A published version, then a revision that tightens the rules, compared.
    from guidelines_app.review import history

    history.publish(ws, slug, version="1.0", summary="First approved version", approver="Head of Communications",
                    author=author)
    window.reload_document()
    text = window.editor.text()
    text = text.replace("within **one working day**", "within **four working hours**")
    text = text.replace("| Health advice | Clinical lead | 1 working day |",
                        "| Health advice | Clinical lead | 1 working day |\n| Job posts | HR partner | 2 working days |")
    window.editor.setPlainText(text)
    window.save_revision("Faster replies; job posts need HR")
    # A colleague's revision, so that the comparison names two people.
    colleague = Identity("Lee Chen", "lee@example.org")
    saved = ws.load(slug).to_text()
    ws.save_text(slug, saved.replace("## Where we are active\n", "## Where we are active\n\nWe do not rely on a single channel.\n"),
                 colleague, "Channel diversity")
    window.reload_document()
    feature = window.features["history"] if "history" in window.features else None
    if feature is not None:
        feature.dock.show()
        settle(1.0)
        window.grab().save(str(DOCS / "history.png"))
        print("wrote", DOCS / "history.png")
        compare = feature.open_compare("v1.0", "HEAD")
        if compare is not None:
            compare.resize(1300, 760)
            settle(2.5)
            compare.grab().save(str(DOCS / "compare.png"))
            print("wrote", DOCS / "compare.png")
            compare.close()
    check_and_wizard(window, feature, settle)
    dark_mode(window, feature, settle)
    window.editor.document().setModified(False)
    window.close()


def check_and_wizard(window, history_feature, settle) -> None:
    """The Check panel beside the text (Governance > Check Document), and the
    New Guideline wizard on its questions page."""
    if history_feature is not None:
        history_feature.dock.hide()
    governance = window.features["governance"]
    governance.show_and_check()
    settle(2.0)
    window.grab().save(str(DOCS / "check.png"))
    print("wrote", DOCS / "check.png")
    governance.dock.hide()
    wizard = window.features["templates"].make_wizard()
    wizard.resize(1200, 760)
    wizard.show()
    wizard.select_set("employee-social-media-guidelines")
    wizard.go_next()
    wizard.field("organization").set_value("Northwind Health")
    settle(1.5)
    wizard.grab().save(str(DOCS / "wizard.png"))
    print("wrote", DOCS / "wizard.png")
    wizard.reject()


def dark_mode(window, feature, settle) -> None:
    """The same window and comparison in the dark colour set (View > Appearance > Dark)."""
    from guidelines_app.ui import appearance

    if feature is not None:
        feature.dock.hide()
    appearance.choose(window, "dark")
    window.editor.go_to_line(16)
    settle(1.0)
    window.grab().save(str(DOCS / "main-window-dark.png"))
    print("wrote", DOCS / "main-window-dark.png")
    if feature is not None:
        compare = feature.open_compare("v1.0", "HEAD")
        if compare is not None:
            compare.resize(1300, 760)
            settle(2.5)
            compare.grab().save(str(DOCS / "compare-dark.png"))
            print("wrote", DOCS / "compare-dark.png")
            compare.close()
    appearance.choose(window, "system")


if __name__ == "__main__":
    main()
