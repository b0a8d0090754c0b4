"""Benchmark: cold start and preview refresh on a 40,000-word guideline.

Prints, measured side by side in one run:
- cold start to a shown window with the document open and its preview
  rendered, against a bare PySide6 window showing the same text in a plain
  editor (the floor any Qt app pays);
- preview refresh after a one-letter edit (the UI-thread cost of a key
  typed into the editor the user sees, and edit-to-preview time without the
  typing debounce), against rendering
  the whole document with Python-Markdown (what a naive preview does on
  every refresh).

Run:  python benchmarks/bench_startup_preview.py [--words 40000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_env import own_recovery_area

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
own_recovery_area()  # (before any child process: they inherit it)
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))


def _child_app(workspace: str) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from guidelines_app.ui.app import create_window

    app = QApplication([])
    window = create_window(["--workspace", workspace])
    window.preview.rendered.connect(lambda _r: QTimer.singleShot(0, app.quit))
    window.show()
    app.exec()
    window.editor.document().setModified(False)
    print("READY", flush=True)


def _child_bare(path: str) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit

    app = QApplication([])
    window = QMainWindow()
    editor = QPlainTextEdit()
    editor.setPlainText(Path(path).read_text(encoding="utf-8"))
    window.setCentralWidget(editor)
    window.show()
    QTimer.singleShot(0, app.quit)
    app.exec()
    print("READY", flush=True)


def _time_child(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env, timeout=120)
    elapsed = time.perf_counter() - start
    if "READY" not in out.stdout:
        raise SystemExit(f"child failed: {out.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from sample_document import generate

    from guidelines_app.core.document import Document
    from guidelines_app.core.gitstore import Identity
    from guidelines_app.core.settings import Settings
    from guidelines_app.core.workspace import Workspace

    tmp = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    env = dict(os.environ, GUIDELINES_CONFIG_DIR=str(tmp / "config"), QT_QPA_PLATFORM="offscreen")
    os.environ["GUIDELINES_CONFIG_DIR"] = env["GUIDELINES_CONFIG_DIR"]
    text = generate(args.words)
    doc = Document.parse(text)
    author = Identity("Bench", "bench@example.org")
    with Workspace.create(tmp / "ws") as ws:
        ws.create_document(doc, author, slug="big")
    (tmp / "big.md").write_text(text, encoding="utf-8")
    print(f"document: {len(text.split()):,} words, {len(text) / 1024:.0f} KiB")

    ours = [_time_child(["--child-app", str(tmp / "ws")], env) for _ in range(args.runs)]
    bare = [_time_child(["--child-bare", str(tmp / "big.md")], env) for _ in range(args.runs)]
    ours_s, bare_s = statistics.median(ours), statistics.median(bare)
    print(f"cold start, window shown with preview rendered: {ours_s:.2f} s")
    print(f"reference, bare Qt window with the same text:   {bare_s:.2f} s")
    print(f"ratio cold start / bare Qt window: {ours_s / bare_s:.2f}")

    # Preview refresh after a one-letter edit, in this process.
    from PySide6.QtWidgets import QApplication

    from guidelines_app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings = Settings(author_name="Bench", author_email="bench@example.org")
    window = MainWindow(Workspace.open(tmp / "ws"), settings)
    window.show()
    done = {"t": None}
    window.preview.rendered.connect(lambda _r: done.__setitem__("t", time.perf_counter()))

    def wait_render():
        while done["t"] is None:
            app.processEvents()
            time.sleep(0.0005)

    wait_render()
    keystroke, refresh = [], []
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest

    typed_into = window.editing.active()  # the editor the user sees (the editing surface)
    lines = typed_into.document()
    for n in range(10):
        done["t"] = None
        cursor = QTextCursor(lines.findBlockByNumber(lines.blockCount() // 2 + n * 7))
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        typed_into.setTextCursor(cursor)
        window.preview.set_delay(Settings().preview_delay_ms)
        app.processEvents()
        start = time.perf_counter()
        QTest.keyClick(typed_into, Qt.Key.Key_A)  # a key typed at the end of a paragraph
        app.processEvents()  # what the UI thread spends on the keystroke itself
        keystroke.append(time.perf_counter() - start)
        window.preview.set_delay(0)
        start = time.perf_counter()
        window.editing.flush()  # after the pause in typing: the surface's edit written into the source
        window.preview.render_now(window.editor.text())
        wait_render()
        refresh.append(done["t"] - start)
    # The naive preview: plain Python-Markdown over the whole text on every refresh.
    import markdown

    naive = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    body = window.editor.text()
    full = []
    for _ in range(3):
        start = time.perf_counter()
        naive.reset()
        naive.convert(body)
        full.append(time.perf_counter() - start)
    key_ms = statistics.median(keystroke) * 1000
    ref_s, full_s = statistics.median(refresh), statistics.median(full)
    print(f"UI-thread time of a key typed into the editor: {key_ms:.1f} ms")
    print(f"preview refresh after a one-letter edit: {ref_s * 1000:.0f} ms "
          f"(after the {settings.preview_delay_ms} ms pause in typing that triggers it)")
    print(f"reference, naive whole-document Python-Markdown render: {full_s * 1000:.0f} ms")
    print(f"ratio preview refresh / whole-document render: {ref_s / full_s:.2f}")
    window.editor.document().setModified(False)
    window.close()


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child-app":
        _child_app(sys.argv[2])
    elif len(sys.argv) > 2 and sys.argv[1] == "--child-bare":
        _child_bare(sys.argv[2])
    else:
        main()
