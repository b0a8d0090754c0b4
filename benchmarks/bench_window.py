"""The window's actions end to end, against the bare floor or git's own way
to the same answer, each median of --repeat runs (at least 5), in turn:

* cold start: a new process running what ``guidelines-app --workspace WS
  DOC`` runs until the window with the ~40,000-word document is painted,
  against a new process showing a bare Qt window with the same text
  (target: at most 2x); beside it (INFO lines), the longest the event
  loop of each went without turning in the 2 s after that first paint,
  and the processor time each process had used by then (its own: a busy
  machine moves it less than the clock);
* the History panel filling (shown, listed, painted) on a document with
  2,000 and 20,000 revisions, against ``git log`` (at most 2x; the panel
  with the history walked afresh, as after a save, and without the log
  cache printed beside);
* the compare view's first paint for revisions 1, 150 and 1,500 apart,
  against ``git diff --word-diff=porcelain`` (at most 2x), and its authors
  arriving (first time: nothing kept) against that plus ``git blame
  --line-porcelain -L<changed lines> A..B`` (at most 2x; names known
  before the comparison is shown are painted with it: that paint's time).  Beside each
  pair, the floor: opening and painting an empty compare window, measured
  in the same run (a comparison opens a closed one again, as the app does
  after the first; the floor builds a new one each time).  The window's
  actions run with the interpreter's switch interval the app sets (``ui.app``);
* (INFO, no target) File > Save after a word typed, in a copy of the
  workspace: how long the window is held (every save runs on a worker), and
  when it is saved.

One ``RESULT name ours_s=... reference_s=... ratio=...`` line per figure.

    python3 benchmarks/bench_window.py [--revisions 2000 20000] [--repeat 5] [--start-only | --skip-start]
                                       [--history-only | --save-only]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_env import own_recovery_area

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
own_recovery_area()  # (before any child process: they inherit it)
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))


# ---- cold start (child processes) ---------------------------------------------------
# A child starts from the top of this file and runs before the benchmark's own
# imports below (GitPython, the history generator): each child imports only
# what its window needs, as a user's process would.

STALL_WATCH_S = 2.0  # how long after the first paint the event loop is watched


def _watch(app, viewports, check=lambda: None) -> None:
    """Print READY at the first paint of any of *viewports* (the parent's
    clock stops there) and the processor time used so far (``CPU seconds``),
    then the longest time the event loop went without turning in the next
    STALL_WATCH_S seconds (``STALL seconds``), and quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    ticks: list[float] = []
    probe = QTimer(interval=5)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))

    def finish() -> None:
        ticks.append(time.perf_counter())
        print(f"STALL {max(b - a for a, b in zip(ticks, ticks[1:])):.4f}", flush=True)
        app.quit()

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and not ticks:
                check()
                print("READY", flush=True)
                print(f"CPU {time.process_time():.4f}", flush=True)
                ticks.append(time.perf_counter())
                probe.start()
                QTimer.singleShot(int(STALL_WATCH_S * 1000), finish)
            return False

    watcher = FirstPaint(app)
    for viewport in viewports:
        viewport.installEventFilter(watcher)


def _child_app(workspace: str, slug: str) -> None:
    """What ``guidelines-app --workspace WS DOC`` runs (``ui.app.main``),
    imports first, with the watcher added."""
    from guidelines_app.core import logs
    from guidelines_app.ui.app import _prepare_application, create_window
    from guidelines_app.ui.crash import CrashHandler

    logs.setup("app")
    app = _prepare_application()
    window = create_window(["--workspace", workspace, slug])
    CrashHandler().install()

    def shown() -> None:
        assert window.editor.toPlainText().strip(), "the document was not shown"

    viewports = [window.editor.viewport()]  # source view
    surface = getattr(getattr(window, "editing", None), "surface", None)
    if surface is not None:
        viewports.append(surface.viewport())  # the editing surface (shown by default)
    _watch(app, viewports, shown)
    window.show()
    app.exec()
    os._exit(0)  # the measured part is over: no teardown


def _child_bare(path: str) -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit

    app = QApplication([])
    window = QMainWindow()
    editor = QPlainTextEdit()
    editor.setPlainText(Path(path).read_text(encoding="utf-8"))
    window.setCentralWidget(editor)
    _watch(app, [editor.viewport()])
    window.show()
    app.exec()
    os._exit(0)


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "--child-app":
    _child_app(sys.argv[2], sys.argv[3])
if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--child-bare":
    _child_bare(sys.argv[2])

import long_history  # noqa: E402
from bench_commands import (  # noqa: E402
    changed_line_ranges,
    clear_blame_cache,
    clear_history_caches,
    clear_walk_cache,
    git_out,
    result,
)

ENV = dict(os.environ, PYTHONPATH=str(REPO), GIT_CONFIG_NOSYSTEM="1")
# As installed: Python's compiled modules are written once and used after
# (a setting that forbids them would time the compiling of every module).
ENV.pop("PYTHONDONTWRITEBYTECODE", None)


def _time_child(*args: str) -> tuple[float, float, float]:
    """Seconds from starting a process until it says its window is painted,
    its longest stall in the STALL_WATCH_S seconds after, and the processor
    seconds it had used when painted."""
    t = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, *args], env=ENV, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    line = child.stdout.readline()
    elapsed = time.perf_counter() - t
    cpu = child.stdout.readline().split()
    stall = child.stdout.readline().split()
    child.wait()
    assert line.strip() == "READY", line
    assert cpu[:1] == ["CPU"], cpu
    assert stall[:1] == ["STALL"], stall
    return elapsed, float(stall[1]), float(cpu[1])


def bench_start(repeat: int) -> bool:
    root = long_history.workspace(2000)
    ours, bare = [], []
    for _ in range(repeat):
        bare.append(_time_child("--child-bare", str(root / long_history.RELPATH)))
        ours.append(_time_child("--child-app", str(root), long_history.SLUG))
    print(f"INFO cold start: longest stall in the {STALL_WATCH_S:g} s after the first paint "
          f"{statistics.median(s for _, s, _ in ours):.3f} s (median; runs "
          f"{', '.join(f'{s:.3f}' for _, s, _ in ours)}), bare Qt window "
          f"{statistics.median(s for _, s, _ in bare):.3f} s", flush=True)
    print(f"INFO cold start: processor time until the first paint {statistics.median(c for *_, c in ours):.3f} s, "
          f"bare Qt window {statistics.median(c for *_, c in bare):.3f} s (medians; ratio of each pair run in turn: "
          f"{statistics.median(a[2] / b[2] for a, b in zip(ours, bare)):.2f})", flush=True)
    return result("cold_start_40000_words", statistics.median(t for t, *_ in ours),
                  statistics.median(t for t, *_ in bare), 2)


# ---- in the window --------------------------------------------------------------------


def _wait(app, signal, ready, timeout: float = 120.0) -> None:
    """Run the event loop until *ready()* (checked at each *signal*), then
    let the window paint."""
    from PySide6.QtCore import QEventLoop, QTimer

    if not ready():
        loop = QEventLoop()
        signal.connect(loop.quit)
        timer = QTimer(interval=200)  # look again now and then: the signal may have come before
        timer.timeout.connect(loop.quit)
        timer.start()
        deadline = time.perf_counter() + timeout
        while not ready():
            loop.exec()
            if not ready() and time.perf_counter() > deadline:
                raise SystemExit(f"timed out waiting for {signal}")
        timer.stop()
        signal.disconnect(loop.quit)
    app.processEvents()  # the paint that shows it


def _painted(app, view) -> None:
    """Run the event loop until *view* (a scroll area's viewport) is painted."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject

    loop = QEventLoop()

    class Painted(QObject):
        seen = False

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                self.seen = True
                loop.quit()
            return False

    spy = Painted()
    view.installEventFilter(spy)
    while not spy.seen:
        loop.exec()
    view.removeEventFilter(spy)


def _empty_compare_window(app, window) -> float:
    """The floor of a comparison: a new, empty compare window opened and painted."""
    from guidelines_app.ui.review.compare_view import UNSAVED, CompareWindow, Side

    t = time.perf_counter()
    cw = CompareWindow(window, [Side(UNSAVED, "Current text")], 0, 0, start=False)
    cw.show()
    _painted(app, cw.old_view.viewport())
    elapsed = time.perf_counter() - t
    cw.close()
    cw.deleteLater()
    app.processEvents()
    return elapsed


def _settled(app, cw) -> None:
    """Until the window's work after its first paint is done (the whole
    pages): a user reads a comparison before opening the next one."""
    from guidelines_app.ui.review.compare_pages import ALL_SIDES

    deadline = time.perf_counter() + 120
    while (cw.jobs.running() or len(cw.pages.full) < len(ALL_SIDES)) and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.005)


def _settle(app, window) -> None:
    """Until the window's own work after opening the document is done (the
    spelling checked through the whole text, a slice per event-loop turn):
    a user opens the History panel in a window that has settled, and a
    figure taken meanwhile would time the spelling's slices."""
    deadline = time.perf_counter() + 60
    spelling = getattr(window, "spelling", None)
    while time.perf_counter() < deadline:
        app.processEvents()
        highlighter = getattr(spelling, "highlighter", None)
        if spelling is None or not window.settings.spelling_language or (highlighter is not None and highlighter.swept):
            break
        time.sleep(0.005)
    _quiet(app, 0.5)


def _quiet(app, seconds: float) -> None:
    """Run the event loop for *seconds*: what an action left to do (the text
    laid out again for a new width, a slice at a time) is done before the next."""
    quiet = time.perf_counter() + seconds
    while time.perf_counter() < quiet:
        app.processEvents()
        time.sleep(0.005)


def _run(root: Path, cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=root, env=ENV, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def bench_actions(revisions: int, repeat: int, history_only: bool = False) -> bool:
    """Long on purpose: the panel, then each pair, each with its reference in turn."""
    from PySide6.QtWidgets import QApplication, QDockWidget

    from guidelines_app.core.settings import Settings
    from guidelines_app.core.workspace import Workspace
    from guidelines_app.ui.app import SWITCH_INTERVAL_S
    from guidelines_app.ui.main_window import MainWindow

    root = long_history.workspace(revisions)
    app = QApplication.instance() or QApplication([])
    # As the app runs (ui.app sets it before its window): a worker's Python hands the
    # interpreter to the UI thread within 1 ms, not Python's default 5 ms.
    switch = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    window = MainWindow(Workspace.open(root), Settings())
    window.open_document(long_history.SLUG)
    window.show()
    app.processEvents()
    feature = window.features["history"]
    ok = True

    def open_panel() -> float:
        feature.dock.hide()
        feature.panel.model.set_entries([])
        # The text laid out again for the whole width (as long as the user had it closed): Qt's
        # own steps, or the slices that follow a panel's filling (they restart at a width change).
        _quiet(app, 0.4)
        deadline = time.perf_counter() + 10
        while feature.relayout.busy() and time.perf_counter() < deadline:
            _quiet(app, 0.05)
        t = time.perf_counter()
        feature.act_panel.trigger()  # History > Show History Panel
        _wait(app, feature.panel.loaded, lambda: feature.panel.model.rowCount() > 0)
        return time.perf_counter() - t

    open_panel()  # the first time fills the caches (statuses of commits by plain git, the log cache)
    _settle(app, window)
    assert feature.panel.model.rowCount() > revisions * 0.9
    ours, ref, uncached, walked = [], [], [], []
    for _ in range(repeat):
        ref.append(_run(root, ["git", "log", "--format=%H%x1f%aI%x1f%an%x1f%ae%x1f%D%x1f%B%x1e", "--", long_history.RELPATH]))
        ours.append(open_panel())
        clear_history_caches(root, statuses=False)
        uncached.append(open_panel())
        clear_walk_cache(root)
        walked.append(open_panel())
    ok &= result(f"window_history_panel_{revisions}", statistics.median(ours), statistics.median(ref), 2)
    # Beside it, the panel filling the log cache (after a history was rewritten, or the first time).
    print(f"  history panel with the history walked afresh (as after a save): ours_s={statistics.median(walked):.4f} "
          f"ratio={statistics.median(walked) / statistics.median(ref):.2f}", flush=True)
    print(f"  history panel without the log cache: ours_s={statistics.median(uncached):.4f} "
          f"ratio={statistics.median(uncached) / statistics.median(ref):.2f}", flush=True)
    # Beside it, the panel opened as a tab beside another side panel already open: the text keeps
    # its width, so the ~40,000 words are not laid out again meanwhile (the window's share of the figure).
    side = window.findChild(QDockWidget, "clause-library-dock")
    if side is not None:
        side.show()
        side.raise_()
        _quiet(app, 1.0)
        beside = [open_panel() for _ in range(repeat)]
        print(f"  history panel as a tab beside an open side panel: ours_s={statistics.median(beside):.4f} "
              f"ratio={statistics.median(beside) / statistics.median(ref):.2f}", flush=True)
        side.hide()
    # Compared from the menu, the History panel closed: nothing of the history is read yet.
    feature.dock.hide()
    feature.panel.model.set_entries([])
    for gap in () if history_only else (1, 150, 1500):
        a = git_out(root, "rev-list", "--max-count=1", f"--skip={gap}", "HEAD", "--", long_history.RELPATH).strip()
        b = git_out(root, "rev-parse", "HEAD").strip()
        word_diff = ["git", "diff", "--word-diff=porcelain", "--no-color", a, b, "--", long_history.RELPATH]
        blame = ["git", "blame", "--line-porcelain", *changed_line_ranges(root, a, b), f"{a}..{b}", "--", long_history.RELPATH]
        first, authors, ref_diff, ref_blame, floor = [], [], [], [], []
        for _ in range(repeat):
            floor.append(_empty_compare_window(app, window))
            ref_diff.append(_run(root, word_diff))
            ref_blame.append(ref_diff[-1] + _run(root, blame))
            clear_blame_cache(root)
            t = time.perf_counter()
            cw = feature.open_compare(a, b)
            got, shown = [], []  # connected before any event runs: the names may come with the first paint
            cw.authors_found.connect(lambda got=got: got.append(time.perf_counter()))
            cw.computed.connect(lambda shown=shown: shown.append(time.perf_counter()))
            _wait(app, cw.computed, lambda cw=cw: cw.diff is not None)
            first.append(time.perf_counter() - t)
            if got and got[0] <= shown[0]:  # the names were in before the comparison was shown: painted with it
                authors.append(first[-1])
            else:
                _wait(app, cw.authors_found, lambda cw=cw, got=got: bool(got) or not cw.diff.has_changes)
                authors.append(time.perf_counter() - t)
            _settled(app, cw)
            cw.close()  # as the user closes it: the app may open it again for the next comparison
            app.processEvents()
        print(f"  floor (an empty compare window opened and painted): {statistics.median(floor):.4f} s", flush=True)
        if gap == 1:  # the first comparison of the run builds its window; the others open it again
            print(f"  the first comparison (a new window): first paint {first[0]:.4f} s", flush=True)
        else:  # the first of the runs: git reads these revisions for the first time (then they are in its caches)
            print(f"  the first of the runs: first paint {first[0]:.4f} s, authors {authors[0]:.4f} s", flush=True)
        ok &= result(f"window_compare_first_paint_{revisions}_gap{gap}", statistics.median(first), statistics.median(ref_diff), 2)
        ok &= result(f"window_compare_authors_{revisions}_gap{gap}", statistics.median(authors), statistics.median(ref_blame), 2)
    sys.setswitchinterval(switch)
    window.close()
    return ok


def bench_save(revisions: int, repeat: int) -> None:
    """INFO lines, no target: File > Save of the ~40,000-word policy after a
    word typed, in a copy of the workspace (the cached one stays as built):
    how long the window is held (every save runs on a worker), and when
    "Saved" shows."""
    import tempfile

    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    from guidelines_app.core.settings import Settings
    from guidelines_app.core.workspace import Workspace
    from guidelines_app.ui.app import SWITCH_INTERVAL_S
    from guidelines_app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    switch = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    with tempfile.TemporaryDirectory(prefix="bench-save-") as tmp:
        root = Path(tmp) / "ws"
        shutil.copytree(long_history.workspace(revisions), root, symlinks=True)
        settings = Settings()
        settings.author_name, settings.author_email = "Bench", "bench@example.org"
        window = MainWindow(Workspace.open(root), settings)
        window.open_document(long_history.SLUG)
        window.show()
        _settle(app, window)
        held, saved = [], []
        for n in range(repeat + 1):
            cursor = window.editor.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.End)
            window.editor.setTextCursor(cursor)
            window.editor.insertPlainText(f" word{n}")
            _settle(app, window)  # (the spelling checks the edit) the user saves a moment later
            t = time.perf_counter()
            window.act_save.trigger()  # File > Save (Ctrl+S)
            held.append(time.perf_counter() - t)
            if window.saving.running():
                _wait(app, window.saving.done, lambda: not window.saving.running())
            saved.append(time.perf_counter() - t)
            assert not window.is_modified()
        held, saved = held[1:], saved[1:]  # the first reopens the approved policy as a draft
        print(f"INFO window_save_{revisions}: holds the window {statistics.median(held):.4f} s "
              f"(longest {max(held):.4f}), saved after {statistics.median(saved):.4f} s", flush=True)
        window.close()
        window.deleteLater()
        app.processEvents()
    sys.setswitchinterval(switch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--revisions", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-start", action="store_true")
    parser.add_argument("--start-only", action="store_true", help="time the cold start only")
    parser.add_argument("--history-only", action="store_true", help="in the window, time the History panel only")
    parser.add_argument("--save-only", action="store_true", help="in the window, time File > Save only (INFO)")
    args = parser.parse_args()
    repeat = max(5, args.repeat)
    ok = True if args.skip_start or args.save_only else bench_start(repeat)
    for revisions in [] if args.start_only else args.revisions:
        if not args.save_only:
            ok &= bench_actions(revisions, repeat, args.history_only)
        if not args.history_only:
            bench_save(revisions, repeat)
    print("all targets met" if ok else "some targets NOT met")
    shutil.rmtree(HERE / "__pycache__", ignore_errors=True)


if __name__ == "__main__":
    main()
