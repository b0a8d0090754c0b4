"""Typing in a long document, as a user types: a generated guideline of
--words (480,000 by default: 4 MB, just under the size at which a document
opens as very large, with its heavy features off) open in the window with
every feature on (the editing surface, preview, outline, word count,
spelling), then bursts of keys at a typist's pace (one every 60-160 ms) in
six places, each burst followed by a pause of 1.5 s in which the app writes
the surface into the source, previews and outlines it.  The figure is the
longest the event loop went without turning meanwhile (a 10 ms timer counts
its ticks: a key typed waits at most that long), median of --repeat runs in
new processes; beside it, the UI thread's time of one key.  Target: the
longest stall at most 0.25 s, as for a very large document
(``bench_large_document.py``).

    python3 benchmarks/bench_long_typing.py [--words 480000 200000] [--repeat 5]

One ``RESULT name ours_s=... reference_s=... ratio=...`` line per figure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_env import RECOVERY_DIR_ENV
from bench_large_document import ENV, STALL_TARGET, result  # (which sets up the offscreen platform and the repository's path)

SLUG = "long-policy"
CHILD_TIMEOUT_S = 600


def make_workspace(folder: Path, words: int) -> tuple[Path, int]:
    """A workspace with the generated document saved; (its folder, the file's bytes)."""
    from sample_document import generate

    from guidelines_app.core.document import Document
    from guidelines_app.core.gitstore import Identity
    from guidelines_app.core.workspace import Workspace

    with Workspace.create(folder) as ws:
        ws.create_document(Document.parse(generate(words)), Identity("Bench", "bench@example.org"), slug=SLUG)
        return folder, ws.path(SLUG).stat().st_size


def open_window(root: str, **settings):
    """The app's window on the workspace *root* (the app's switch interval;
    *settings* beside the author's), opened until its preview is shown,
    then two seconds as a user reads before typing (the spelling goes on
    checking the text a slice per event-loop turn meanwhile, and while the
    user types); (the application, the window, ``run_for(seconds)``: the
    event loop turned that long)."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from guidelines_app.core.settings import Settings
    from guidelines_app.ui.app import SWITCH_INTERVAL_S, create_window

    app = QApplication([])
    sys.setswitchinterval(SWITCH_INTERVAL_S)  # as the app runs
    Settings(author_name="Bench", author_email="bench@example.org", **settings).save()
    window = create_window(["--workspace", root])
    window.show()

    def run_for(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            time.sleep(0.002)

    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline and window.preview.last_rendered is None:
        run_for(0.05)
    run_for(2.0)
    return app, window, run_for


def _child(root: str) -> None:
    import faulthandler

    faulthandler.dump_traceback_later(CHILD_TIMEOUT_S - 30, exit=True)  # a run that hangs says where
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest

    from guidelines_app.ui.large_document import LARGE_BYTES

    app, window, run_for = open_window(root)
    if window.ws.path(SLUG).stat().st_size > LARGE_BYTES:
        raise SystemExit("the document is over the very large threshold: its heavy features would be off")
    ticks: list[float] = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    editor = window.editing.active()
    doc = editor.document()
    rng = random.Random(7)
    keys, typed = [], 0
    ticks.append(time.perf_counter())
    timer.start()
    for place in range(6):
        cursor = QTextCursor(doc.findBlockByNumber(doc.blockCount() * (place + 1) // 8))
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        editor.setTextCursor(cursor)
        for _ in range(rng.randint(6, 12)):
            t = time.perf_counter()
            QTest.keyClick(editor, rng.choice([Qt.Key.Key_A, Qt.Key.Key_E, Qt.Key.Key_Space]))
            app.processEvents()  # what the UI thread spends on the key itself
            keys.append(time.perf_counter() - t)
            typed += 1
            run_for(rng.uniform(0.06, 0.16))
        run_for(1.5)  # a pause in typing
    ticks.append(time.perf_counter())
    timer.stop()
    window.editing.flush()
    if window.editor.document().isModified() is False or window.editor.text().count("\n") < 10:
        raise SystemExit("the typing did not reach the document")
    print(json.dumps({"stall_s": max(b - a for a, b in zip(ticks, ticks[1:])), "key_s": statistics.median(keys),
                      "keys": typed}), flush=True)
    window.editor.document().setModified(False)
    os._exit(0)  # the measured part is over: no teardown


def _run_child(root: Path, script: str = __file__) -> dict:
    """One run of *script*'s child in a new process, with a recovery area of
    its own: the copy its typing leaves (the autosave; the run ends without
    saving) would stop the next run's window with the recovery dialog."""
    with tempfile.TemporaryDirectory(prefix="bench-recovery-") as recovery:
        done = subprocess.run([sys.executable, script, "--child", str(root)], env=dict(ENV, **{RECOVERY_DIR_ENV: recovery}),
                              capture_output=True, text=True, timeout=CHILD_TIMEOUT_S)
    if done.returncode != 0:
        raise SystemExit(f"a run failed (exit status {done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def sizes_and_runs(script: str, child, description: str, default_words: int):
    """A benchmark's command line: ``--child ROOT`` runs *child* (in the new
    process); else, for each of ``--words``, a workspace with a document that
    long and ``--repeat`` runs of *script*'s child on it: (words, the file's
    bytes, the runs' answers)."""
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    parser = argparse.ArgumentParser(description=description.split("\n\n")[0])
    parser.add_argument("--words", type=int, nargs="+", default=[default_words])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for words in args.words:
        with tempfile.TemporaryDirectory(prefix="bench-long-") as tmp:
            root, size = make_workspace(Path(tmp) / "ws", words)
            yield words, size, [_run_child(root, script) for _ in range(max(1, args.repeat))]


def main() -> None:
    ok = True
    for words, size, runs in sizes_and_runs(__file__, _child, __doc__, 480_000):
        stalls = ", ".join(f"{r['stall_s']:.3f}" for r in runs)
        key_ms = statistics.median(r["key_s"] for r in runs) * 1000
        print(f"INFO {words:,} words ({size / 1_000_000:.1f} MB): {runs[0]['keys']} keys typed in six bursts; "
              f"longest stalls {stalls} s; a key's UI-thread time {key_ms:.1f} ms (median)", flush=True)
        ok &= result(f"long_document_{words}_words_typing_longest_stall",
                     statistics.median(r["stall_s"] for r in runs), STALL_TARGET, 1)
    print("all targets met" if ok else "some targets NOT met")


if __name__ == "__main__":
    main()
