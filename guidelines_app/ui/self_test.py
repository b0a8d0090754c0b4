"""``guidelines-app --self-test``: start the whole app without showing it to
anyone, and say in JSON on stdout what a user would find: every menu with
its entries, the installed features, the git that was found, the user
guide's chapters, the log file, and whether a Word export through the Export
feature (the same worker and writer as File > Export > Word Document) gives
a .docx python-docx can read back.

The bundle test runs the bundled app this way on a temporary workspace; it
is also a quick check after unpacking a bundle by hand (exit status 0: all
well)."""

from __future__ import annotations

import importlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QMenu

from guidelines_app.core import logs
from guidelines_app.core.document import Document
from guidelines_app.core.gitstore import Identity
from guidelines_app.ui.help import chapters

SELF_TEST_AUTHOR = Identity("Guideline Studio self-test", "self-test@example.org")
SAMPLE = ("# Social media guidelines\n\n## Who takes part\n\nEveryone who posts for us.\n\n"
          "| Topic | Approver |\n| --- | --- |\n| Health | Clinical lead |\n\n- Be kind\n- Be accurate\n")


def menu_tree(window) -> dict[str, list[str]]:
    """The menu bar's menus, each with its entries' texts (submenus as 'Name >')."""
    tree = {}
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            tree[action.text().replace("&", "")] = [
                a.text().replace("&", "") + (" >" if a.menu() else "") for a in menu.actions() if not a.isSeparator()]
    return tree


def _wait(condition, seconds: float) -> bool:
    loop = QEventLoop()
    timer = QTimer(interval=50)
    timer.timeout.connect(lambda: loop.quit() if condition() else None)
    timer.start()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    timer.stop()
    return bool(condition())


def word_export(window, folder: Path) -> dict:
    """Export the open document (one is created when there is none) as Word."""
    from docx import Document as WordDocument

    from guidelines_app.publishing.export import source_from_workspace

    if window.slug is None:
        slug, _ = window.ws.create_document(Document.new("Self-test guidelines", "Self-test", body=SAMPLE), SELF_TEST_AUTHOR)
        window.refresh_documents()
        window.open_document(slug)
    errors: list[str] = []
    window.show_error = lambda title, message, detail="", technical="": errors.append(f"{title}: {message} {technical}")
    target = folder / "self-test.docx"
    exporter = window.features["export"]
    done: list[str] = []
    exporter.export_done.connect(done.append)
    exporter.start_export(source_from_workspace(window.ws, window.slug, text=window.current_text()), "docx", target)
    _wait(lambda: done or errors, 120)
    result = {"file": str(target), "ok": False, "errors": errors}
    if done and target.is_file():
        paragraphs = [p.text for p in WordDocument(str(target)).paragraphs if p.text.strip()]
        result.update(ok=bool(paragraphs), paragraphs=len(paragraphs))
    return result


def feature_list() -> tuple:
    """The window's explicit FEATURES list, (name, install) pairs, wherever the window keeps it."""
    for name in ("guidelines_app.ui.main_window", "guidelines_app.ui.feature_loader"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "FEATURES"):
            return tuple(module.FEATURES)
    raise LookupError("no FEATURES list in the window's modules")


def run(window) -> int:
    """The report on stdout; 0 when every feature is there and the export worked."""
    expected = [entry[0] for entry in feature_list()]
    for name in expected:
        try:
            window.features[name]  # a feature loaded on first need is loaded now
        except KeyError:
            pass
    folder = Path(tempfile.mkdtemp(prefix="guidelines-self-test-"))
    report = {
        "frozen": bool(getattr(sys, "frozen", False)),
        "git": shutil.which("git"),
        "features": [name for name in expected if name in window.features],
        "expected_features": expected,
        "menus": menu_tree(window),
        "window_icon": not window.windowIcon().isNull(),
        "guide_chapters": [title for title, _path in chapters()],
        "log_file": str(logs.log_file()),
    }
    try:
        report["word_export"] = word_export(window, folder)
    except Exception as exc:  # noqa: BLE001 - the report says what failed
        report["word_export"] = {"ok": False, "errors": [f"{type(exc).__name__}: {exc}"]}
    sys.stdout.write(json.dumps(report, indent=2) + "\n")
    sys.stdout.flush()
    window.editor.document().setModified(False)
    window.close()  # stops the preview's thread and closes the workspace
    _wait(lambda: window.jobs.running() == 0, 5)
    ok = report["word_export"]["ok"] and report["features"] == report["expected_features"]
    return 0 if ok else 1
