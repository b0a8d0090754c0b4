"""A very large document in the window: a generated guideline of --megabytes
(50 by default) opened as a user opens it, timed to the end, with the
longest the event loop went without turning (a 20 ms timer counts its
ticks: typing waits at most that long) and the memory it took (the peak
resident size above the window's before opening), median of --repeat runs
in new processes (at least 5 when measuring; a first run to warm the file
cache is not counted).  Targets: the longest stall at most 0.25 s
(the window never freezes), memory at most 10x the file's size.

    python3 benchmarks/bench_large_document.py [--megabytes 50] [--repeat 5]

One ``RESULT name ours_s=... reference_s=... ratio=...`` line per figure
(for memory: ours_mb and file_mb).
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
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
    """A workspace with one small saved document and the large one beside it."""
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
    ws.path(SLUG).write_text(Document.new("Huge archive", "Acme", body="".join(parts)).to_text(), encoding="utf-8")
    return folder


def _child(root: str) -> None:
    """Open the large document in a window and print what it took (JSON)."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from guidelines_app.core.settings import Settings
    from guidelines_app.core.workspace import Workspace
    from guidelines_app.ui.main_window import MainWindow

    app = QApplication([])
    window = MainWindow(Workspace.open(Path(root)), Settings())
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
    done.timeout.connect(lambda: window.slug == SLUG and loop.quit())
    t = time.perf_counter()
    ticks.append(t)
    timer.start()
    done.start()
    window.open_document(SLUG)
    loop.exec()
    elapsed = time.perf_counter() - t
    ticks.append(time.perf_counter())
    timer.stop()
    stall = max(b - a for a, b in zip(ticks, ticks[1:]))
    size = window.ws.path(SLUG).stat().st_size / 1_000_000
    print(json.dumps({"open_s": elapsed, "stall_s": stall, "memory_mb": _peak_rss_mb() - before, "file_mb": size}),
          flush=True)
    window.editor.document().setModified(False)
    os._exit(0)  # the measured part is over: no teardown


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
        _run_child(root)  # warms the file cache
        runs = [_run_child(root) for _ in range(max(1, args.repeat))]
    file_mb = runs[0]["file_mb"]
    opened = statistics.median(r["open_s"] for r in runs)
    stall = statistics.median(r["stall_s"] for r in runs)
    memory = statistics.median(r["memory_mb"] for r in runs)
    stalls = ", ".join(f"{r['stall_s']:.3f}" for r in runs)
    print(f"INFO opened in {opened:.2f} s (median); longest stalls {stalls} s; file {file_mb:.1f} MB")
    ok = result(f"large_document_{args.megabytes}mb_longest_stall", stall, STALL_TARGET, 1)
    ok &= result(f"large_document_{args.megabytes}mb_memory", memory, file_mb, MEMORY_TARGET, unit="mb")
    print("all targets met" if ok else "some targets NOT met")


if __name__ == "__main__":
    main()
