"""A very large document in the window: a generated guideline of --megabytes
(50 by default) opened as a user opens it, timed to the end (all of it in
the editor shown), with the longest the event loop went without turning
(then and in the second after) (a 20 ms timer counts its
ticks: typing waits at most that long) and the memory it took (the peak
resident size above the window's before opening), median of --repeat runs
in new processes (at least 5 when measuring; a first run to warm the file
cache is not counted).  Then, in the same window, its two saved revisions
compared (until the comparison is shown, and the pages built after it) and
the older one viewed (until its text is all in), a line typed (in the editor
shown: the formatted surface, or the source of a very large document) and its
recovery copy written (as after a pause in typing), and a line typed and
saved as a new revision (until the save in the background is done), each
with its longest stall.  Targets: the longest stall at most 0.25 s (the window never
freezes), memory at most 10x the file's size.

    python3 benchmarks/bench_large_document.py [--megabytes 50] [--repeat 5]

One ``RESULT name ours_s=... reference_s=... ratio=...`` line per figure
(for memory: ours_mb and file_mb; for a document under the very large
size, ``--megabytes 4`` say, with every feature on, the memory is an INFO
line: its target is a very large document's).
"""

from __future__ import annotations

import argparse
import json
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
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

ENV = dict(os.environ, PYTHONPATH=str(REPO), GIT_CONFIG_NOSYSTEM="1")
SLUG = "huge-archive"
STALL_TARGET = 0.25  # seconds the event loop may go without turning
MEMORY_TARGET = 10  # times the file's size
PARAGRAPH = ("## Section {n}\n\nEveryone who posts for the company says so, every time, on every channel, "
             "and keeps what is confidential to themselves. ") + "Replies come within a working day. " * 6 + "\n\n"


def _peak_rss_mb() -> float:
    """The process's peak resident size so far (Linux: VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no /proc/self/status: this benchmark needs Linux")


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no /proc/self/status: this benchmark needs Linux")


def make_workspace(folder: Path, megabytes: int) -> Path:
    """A workspace with one small saved document and the large one beside
    it, saved twice (a heading renamed, a line added), as its file is now."""
    from guidelines_app.core.document import Document
    from guidelines_app.core.gitstore import Identity
    from guidelines_app.core.workspace import Workspace

    ws = Workspace.create(folder)
    ws.create_document(Document.new("A short one", "Acme"), Identity("Bench", "bench@example.org"))
    parts, size, n = [], 0, 0
    while size < megabytes * 1_000_000:
        n += 1
        parts.append(PARAGRAPH.format(n=n))
        size += len(parts[-1])
    text = Document.new("Huge archive", "Acme", body="".join(parts)).to_text()
    author = Identity("Bench", "bench@example.org")
    ws.save_text(SLUG, text, author, "The archive")
    ws.save_text(SLUG, text.replace("## Section 5\n", "## Section 5 (edited)\n", 1) + "\nMore.\n", author, "An edit")
    return folder


def _child(root: str) -> None:
    """Open the large document in a window and print what it took (JSON)."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    from guidelines_app.core.settings import Settings
    from guidelines_app.core.workspace import Workspace
    from guidelines_app.ui.app import SWITCH_INTERVAL_S
    from guidelines_app.ui.main_window import MainWindow
    from guidelines_app.ui.review.compare_pages import ALL_SIDES

    app = QApplication([])
    sys.setswitchinterval(SWITCH_INTERVAL_S)  # as the app runs (``ui.app``): a worker hands the UI thread the interpreter within 1 ms
    window = MainWindow(Workspace.open(Path(root)), Settings(author_name="Bench", author_email="bench@example.org"))
    window.show()
    for _ in range(20):  # the window settled (features load after the first paint)
        app.processEvents()
        time.sleep(0.02)
    before = _rss_mb()
    ticks: list[float] = []
    timer = QTimer(interval=20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    done = QTimer(interval=10)
    surface = window.editing.surface
    # Opened: all of it in the editor shown (a long document's formatted surface built a slice per turn).
    done.timeout.connect(lambda: window.slug == SLUG and not surface.building() and loop.quit())
    t = time.perf_counter()
    ticks.append(t)
    timer.start()
    done.start()
    window.open_document(SLUG)
    loop.exec()
    elapsed = time.perf_counter() - t
    settled = time.perf_counter() + 1  # and the second after (the outline, the preview starting)
    while time.perf_counter() < settled:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
    ticks.append(time.perf_counter())
    timer.stop()
    stall = max(b - a for a, b in zip(ticks, ticks[1:]))
    memory = _peak_rss_mb() - before
    size = window.ws.path(SLUG).stat().st_size / 1_000_000
    history = window.features["history"]
    old, new = [r.sha for r in window.ws.history(SLUG)][1::-1]

    def compared():
        cw = history.open_compare(old, new)
        return lambda: cw.diff is not None and set(cw.pages.full) == set(ALL_SIDES)  # every page built
    compare_s, compare_stall = _action(app, timer, ticks, compared)

    def viewed():
        view = history.view_revision(old)
        filled = []
        view.filled.connect(lambda: filled.append("markdown"))
        view.formatted.connect(lambda: filled.append("formatted"))
        # Until the tab shown is all in: the formatted page, or a very large revision's Markdown.
        return lambda: "formatted" in filled or ("markdown" in filled and view.tabs.currentWidget() is view.raw)
    view_s, view_stall = _action(app, timer, ticks, viewed)

    def type_line(line: str) -> None:
        """Typed at the end of the editor shown (the formatted surface, unless the
        document is very large or the source view is chosen), as a user types."""
        editing = getattr(window, "editing", None)
        editor = editing.active() if editing is not None else window.editor
        cursor = QTextCursor(editor.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        editor.setTextCursor(cursor)
        editor.textCursor().insertText(line)

    def autosaved():
        type_line("A line typed, then a pause.\n")
        window.safekeeping.autosave_now()  # as after a pause in typing: the recovery copy written
        return lambda: window.jobs.running() == 0
    autosave_s, autosave_stall = _action(app, timer, ticks, autosaved)

    def saved():
        type_line("A line typed before saving.\n")
        window.save_revision(wait=False)  # File > Save Revision (its default message)
        return lambda: not window.saving.running()
    save_s, save_stall = _action(app, timer, ticks, saved)
    if window.is_modified() or window.ws.history(SLUG)[0].sha == new:
        raise SystemExit("the save did not save")
    print(json.dumps({"open_s": elapsed, "stall_s": stall, "memory_mb": memory, "file_mb": size,
                      "compare_s": compare_s, "compare_stall_s": compare_stall, "view_s": view_s,
                      "view_stall_s": view_stall, "autosave_s": autosave_s, "autosave_stall_s": autosave_stall,
                      "save_s": save_s, "save_stall_s": save_stall}), flush=True)
    window.editor.document().setModified(False)
    os._exit(0)  # the measured part is over: no teardown


def _action(app, timer, ticks: list[float], start) -> tuple[float, float]:
    """(seconds until what *start* begins is done, as the function it
    returns says, and the longest stall meanwhile and in the second after;
    both infinite when it is not done in 10 minutes)."""
    from PySide6.QtCore import QEventLoop

    ticks.clear()
    t = time.perf_counter()
    ticks.append(t)
    timer.start()
    done = start()
    deadline = t + 600
    while not done() and time.perf_counter() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
    elapsed = time.perf_counter() - t
    if not done():  # never finished: no figure can say it met its target
        timer.stop()
        return float("inf"), float("inf")
    while time.perf_counter() < t + elapsed + 1:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
    ticks.append(time.perf_counter())
    timer.stop()
    return elapsed, max(b - a for a, b in zip(ticks, ticks[1:]))


def _run_child(root: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(root)], env=ENV, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def result(name: str, ours: float, reference: float, target: float, unit: str = "s") -> bool:
    ratio = ours / reference if reference else float("inf")
    met = ratio <= target
    print(f"RESULT {name} ours_{unit}={ours:.4f} reference_{unit}={reference:.4f} ratio={ratio:.2f} "
          f"target=<={target} met={'yes' if met else 'NO'}", flush=True)
    return met


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-large-") as tmp:
        root = make_workspace(Path(tmp) / "ws", args.megabytes)
        start = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, check=True, capture_output=True, text=True).stdout.strip()

        def run() -> dict:
            """One run, then the workspace as before it (its save undone): each run times the same."""
            got = _run_child(root)
            subprocess.run(["git", "reset", "-q", "--hard", start], cwd=root, env=ENV, check=True)
            return got
        run()  # warms the file cache
        runs = [run() for _ in range(max(1, args.repeat))]
    file_mb = runs[0]["file_mb"]
    opened = statistics.median(r["open_s"] for r in runs)
    stall = statistics.median(r["stall_s"] for r in runs)
    memory = statistics.median(r["memory_mb"] for r in runs)
    stalls = ", ".join(f"{r['stall_s']:.3f}" for r in runs)
    print(f"INFO opened in {opened:.2f} s (median); longest stalls {stalls} s; file {file_mb:.1f} MB")
    ok = result(f"large_document_{args.megabytes}mb_longest_stall", stall, STALL_TARGET, 1)
    from guidelines_app.ui.large_document import LARGE_BYTES

    if file_mb * 1_000_000 > LARGE_BYTES:  # the target is a very large document's, its heavy features off
        ok &= result(f"large_document_{args.megabytes}mb_memory", memory, file_mb, MEMORY_TARGET, unit="mb")
    else:
        print(f"INFO memory {memory:.0f} MB above the window's ({memory / file_mb:.1f}x the file): a long document "
              f"with every feature on (the formatted surface, preview, highlighting, spelling); the "
              f"{MEMORY_TARGET}x target is a very large document's (over {LARGE_BYTES / 1_000_000:.0f} MB)")
    for action, what in (("compare", "its two revisions compared"), ("view", "the older revision viewed"),
                         ("autosave", "a line typed and its recovery copy written (after a pause)"),
                         ("save", "a line typed and saved (File > Save Revision)")):
        took = statistics.median(r[f"{action}_s"] for r in runs)
        print(f"INFO {what} in {took:.2f} s (median)")
        ok &= result(f"large_document_{args.megabytes}mb_{action}_longest_stall",
                     statistics.median(r[f"{action}_stall_s"] for r in runs), STALL_TARGET, 1)
    print("all targets met" if ok else "some targets NOT met")


if __name__ == "__main__":
    main()
