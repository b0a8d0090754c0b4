"""The editing actions a user takes in a long policy, each from its menu
entry as a user takes it, timed by the longest the event loop went without
turning (a 20 ms timer counts its ticks: a key typed waits at most that
long) during the action and in the second after it (the surface written
back into the Markdown, the preview and outline brought up to date): a
generated guideline of --words (40,000 by default) open in the window with
every feature on, then Edit > Replace all of a word found hundreds of
times, Edit > Undo of it, View > Markdown Source on, a line typed there and
the source off again, View > Zoom In and Zoom Out, and View > Spelling >
Off and back on.  Median of --repeat runs in new processes.  Target: the
longest stall at most 0.25 s, as for typing (``bench_long_typing.py``).

    python3 benchmarks/bench_editing_actions.py [--words 40000 480000] [--repeat 5]

One ``RESULT name ours_s=... reference_s=... ratio=...`` line per action.
"""

from __future__ import annotations

import json
import os
import statistics
import time

from bench_large_document import STALL_TARGET, _action, result  # (which sets up the offscreen platform and the repository's path)
from bench_long_typing import CHILD_TIMEOUT_S, open_window, sizes_and_runs

WORD, REPLACEMENT = "brand", "label"  # one of the generated text's fifty words: a Replace All of hundreds
ACTIONS = ("replace_all", "undo", "source_on", "source_off", "zoom_in", "zoom_out", "spelling_off", "spelling_on")


def _child(root: str) -> None:
    import faulthandler

    faulthandler.dump_traceback_later(CHILD_TIMEOUT_S - 30, exit=True)  # a run that hangs says where
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QAction, QTextCursor

    app, window, _run_for = open_window(root, spelling_language="en_US")

    def entry(text: str, menu: str | None = None) -> QAction:
        """The menu entry a user clicks (its text without the '&'), in *menu* when given."""
        found = [a for a in window.findChildren(QAction) if a.text().replace("&", "") == text
                 and (menu is None or (a.parent() is not None and getattr(a.parent(), "title", lambda: "")()
                                       .replace("&", "") == menu))]
        if len(found) != 1:
            raise SystemExit(f"no single menu entry {text!r} ({len(found)} found)")
        return found[0]

    ticks: list[float] = []
    timer = QTimer(interval=20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    out: dict[str, float] = {}
    bar = window.find_bar
    counted: list[int] = []
    undo_base: list[int] = []  # the surface's undo stack before the Replace All

    def replace_all():
        undo_base.append(window.editing.surface.document().availableUndoSteps())
        entry("Replace…").trigger()
        bar.find_edit.setText(WORD)
        bar.replace_edit.setText(REPLACEMENT)
        counted.append(bar.replace_all())
        return lambda: True

    def undo():
        entry("Undo").trigger()  # (its parts, one per turn: done when the stack is back where it was)
        doc = window.editing.surface.document()
        return lambda: doc.availableUndoSteps() == undo_base[0]

    def source_on():
        entry("Markdown Source").trigger()
        return lambda: window.editing.active() is not window.editing.surface

    def source_off():
        editor = window.editing.active()
        cursor = QTextCursor(editor.document().findBlockByNumber(editor.document().blockCount() // 2))
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        editor.setTextCursor(cursor)
        editor.textCursor().insertText(" A few words typed in the source.")  # (not timed: typing is bench_long_typing's)
        entry("Markdown Source").trigger()
        return lambda: window.editing.active() is window.editing.surface

    def zoom(text):
        def act():
            entry(text).trigger()
            return lambda: True
        return act

    def spelling(text):
        def act():
            entry(text, "Spelling").trigger()
            return lambda: True
        return act

    steps = {"replace_all": replace_all, "undo": undo, "source_on": source_on, "source_off": source_off,
             "zoom_in": zoom("Zoom In"), "zoom_out": zoom("Zoom Out"),
             "spelling_off": spelling("Off"), "spelling_on": spelling("English (US)")}
    text_before = window.editor.toPlainText()
    for name in ACTIONS:
        _took, out[name] = _action(app, timer, ticks, steps[name])
        if name == "undo":  # what Replace All changed, all taken back
            window.editing.flush()
            if window.editor.toPlainText() != text_before:
                raise SystemExit("the undo did not take the Replace All back")
    window.editing.flush()
    if not counted or counted[0] < 100 or " A few words typed in the source." not in window.editor.toPlainText():
        raise SystemExit(f"the actions did not reach the document (replaced {counted})")
    print(json.dumps({"stalls": out, "replaced": counted[0]}), flush=True)
    window.editor.document().setModified(False)
    os._exit(0)  # the measured part is over: no teardown


def main() -> None:
    ok = True
    for words, size, runs in sizes_and_runs(__file__, _child, __doc__, 40_000):
        print(f"INFO {words:,} words ({size / 1_000_000:.1f} MB): Replace all of {runs[0]['replaced']} "
              f"'{WORD}'", flush=True)
        for name in ACTIONS:
            stalls = [r["stalls"][name] for r in runs]
            print(f"INFO {name}: longest stalls {', '.join(f'{s:.3f}' for s in stalls)} s", flush=True)
            ok &= result(f"editing_{words}_words_{name}_longest_stall", statistics.median(stalls), STALL_TARGET, 1)
    print("all targets met" if ok else "some targets NOT met")


if __name__ == "__main__":
    main()
