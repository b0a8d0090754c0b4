"""Benchmark: the rich editing surface on a 40,000-word guideline, against
the Markdown source editor, measured side by side in one run.

Prints:
- load: the text into the source editor (setPlainText, highlighting on),
  and into the surface (blocks built as rich text);
- unchanged save: the surface's text written back (must equal the file);
- keystroke: the UI-thread cost of one typed character in the middle of the
  document, in each editor (the surface's cost includes marking the block);
- sync: writing the surface's edits into the source editor after a pause
  (the changed lines only), which also happens before every save.

Run:  python benchmarks/bench_surface.py [--words 40000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from bench_env import own_recovery_area

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
own_recovery_area()  # (before any child process: they inherit it)
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from sample_document import generate

    from guidelines_app.core.document import Document
    from guidelines_app.ui.editor import MarkdownEditor
    from guidelines_app.ui.surface.editor import RichSurface

    app = QApplication.instance() or QApplication([])
    body = Document.parse(generate(args.words)).body
    print(f"document: {len(body.split()):,} words, {body.count(chr(10)):,} lines")

    source = MarkdownEditor()
    source.resize(900, 700)
    source.show()
    surface = RichSurface()
    surface.resize(900, 700)
    surface.show()

    def load_source():
        source.set_text(body)
        app.processEvents()

    def load_surface():
        surface.load(body)
        app.processEvents()

    t_source = _median(load_source, args.runs)
    # In the app the source editor always holds the text; while the surface
    # is shown its highlighter is off (nobody sees it).
    source.highlighter.setDocument(None)
    t_plain = _median(load_source, args.runs)
    source.highlighter.setDocument(source.document())
    t_surface = _median(load_surface, args.runs)
    print(f"load, source editor   {_ms(t_source)}   (today's open)")
    print(f"load, surface         {_ms(t_surface)}   ({t_surface / t_source:.2f}x)")
    print(f"open with the surface {_ms(t_plain + t_surface)}   ({(t_plain + t_surface) / t_source:.2f}x: "
          f"source text unhighlighted {_ms(t_plain).strip()} + surface)")

    t_save = _median(surface.source, args.runs)
    assert surface.source() == body, "an unchanged surface must write the file back byte for byte"
    print(f"unchanged save        {_ms(t_save)}   (byte-identical)")

    def middle(widget):
        block = widget.document().findBlockByNumber(widget.document().blockCount() // 2)
        while block.isValid() and not block.text().strip():
            block = block.next()
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        widget.setTextCursor(cursor)
        widget.setFocus()

    keys = 50
    for name, widget in (("source editor", source), ("surface", surface)):
        middle(widget)
        times = []
        for _ in range(keys):
            t = time.perf_counter()
            QTest.keyClick(widget, Qt.Key.Key_A)
            app.processEvents()
            times.append(time.perf_counter() - t)
        print(f"keystroke, {name:12s} {_ms(statistics.median(times))}   (max {_ms(max(times)).strip()})")

    # The surface's edits written into a source editor, changed lines only.
    from guidelines_app.ui.surface.views import EditingViews

    class Window:
        find_bar = None

    target = MarkdownEditor()
    target.set_text(body)
    views = EditingViews(Window(), target, 10)
    views.refresh_surface()
    middle(views.surface)
    QTest.keyClick(views.surface, Qt.Key.Key_A)
    t = time.perf_counter()
    views.flush()
    t_sync = time.perf_counter() - t
    print(f"sync to the source    {_ms(t_sync)}   (after a pause in typing, and before a save)")
    source.close()
    surface.close()
    _window_open(app, body, args.runs)


def _window_open(app, body: str, runs: int) -> None:
    """Opening the document in the app: File > Open of the 40,000-word
    document (text, outline, word count; the preview renders on its own
    thread) with the surface, and in source view (today's editor)."""
    import tempfile

    from guidelines_app.core.document import Document
    from guidelines_app.core.gitstore import Identity
    from guidelines_app.core.settings import Settings
    from guidelines_app.core.workspace import Workspace
    from guidelines_app.ui.main_window import MainWindow

    tmp = Path(tempfile.mkdtemp(prefix="bench-surface-"))
    os.environ["GUIDELINES_CONFIG_DIR"] = str(tmp / "config")
    os.environ["GUIDELINES_RECOVERY_DIR"] = str(tmp / "recovery")
    author = Identity("Bench", "bench@example.org")
    ws = Workspace.create(tmp / "ws")
    ws.create_document(Document.new("Small", "Org", body="Hello.\n"), author)
    slug, _ = ws.create_document(Document.new("Large", "Org", body=body), author)
    window = MainWindow(ws, Settings(author_name=author.name, author_email=author.email, spelling_language=""))
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    results = {}
    for source_view in (True, False):
        window.editing.show_source(source_view)
        times = []
        for _ in range(runs):
            window.open_document("small")
            app.processEvents()
            t = time.perf_counter()
            window.open_document(slug)
            app.processEvents()
            times.append(time.perf_counter() - t)
        results[source_view] = statistics.median(times)
    print(f"window open, source   {_ms(results[True])}   (today's editor)")
    print(f"window open, surface  {_ms(results[False])}   ({results[False] / results[True]:.2f}x)")
    window.editor.document().setModified(False)
    window.close()


if __name__ == "__main__":
    main()
