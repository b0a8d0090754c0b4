"""A long document's formatted surface built a slice per event-loop turn.

Built at once, the surface of a 4 MB document (22,000 blocks) held the
window 0.75 s as it opened, and again at every reload.  Of a long document
(``large_document.is_long``), its text document is built out of sight, about
``SLICE_S`` of blocks per event-loop turn (``build.build_steps``), while the
surface shows a short notice, read-only; it is shown when whole.  Nothing
typed is lost meanwhile: the source editor holds the text, and the notice
takes no typing.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QTextDocument

from guidelines_app.core.surface_text import split_units
from guidelines_app.ui.surface import build

# How long one event-loop turn builds (then the window paints and takes keys).
SLICE_S = 0.04
# Between the steps that follow a long document's opening (``when_shown``): a
# timer of its own, not a 0 ms call (Qt runs that before the keys and timers due).
STEP_MS = 50


class SlicedBuild(QObject):
    """Builds *doc* (not shown) from *body* a slice per event-loop turn:
    the first turn finds the blocks (``split_units``), each after builds
    blocks for about SLICE_S and calls *progress* with the share built
    (0-100); at the end *done* with itself (its ``units`` and ``lines``),
    or *failed* with the exception that stopped it (then never *done*).
    ``cancel()`` stops it (a newer text to show, the window closing)."""

    def __init__(self, parent: QObject, body: str, doc: QTextDocument, base_size: float, pictures,
                 progress: Callable[[int], None], done: Callable[[SlicedBuild], None],
                 failed: Callable[[BaseException], None]):
        super().__init__(parent)
        self.body, self.doc = body, doc
        self.units: list = []
        self.lines: list[int] = []
        self._base_size, self._pictures = base_size, pictures
        self._steps = None
        self._progress, self._done, self._failed = progress, done, failed
        self.failed = False  # stopped by an exception (*failed* was told)
        self._timer = QTimer(self, interval=0)
        self._timer.timeout.connect(self._next)
        self._timer.start()

    def _next(self) -> None:
        try:
            self._step()
        except Exception as exc:  # noqa: BLE001 - a part built is never shown as the whole
            self._timer.stop()
            self.failed = True
            self._failed(exc)

    def _step(self) -> None:
        started = time.perf_counter()
        if self._steps is None:
            # This turn finds the blocks (0.06 s of a 4 MB text); the next ones build them.
            self.units = split_units(self.body)
            self._steps = build.build_steps(self.units, self.doc, self._base_size, self._pictures, self.lines)
            return
        for built in self._steps:
            if time.perf_counter() - started > SLICE_S:
                self._progress(100 * built // max(1, len(self.units)))
                return
        self._timer.stop()
        self._done(self)

    def cancel(self) -> None:
        self._timer.stop()
        self._steps = None


def when_shown(surface, still_open: Callable[[], bool], steps: list[Callable[[], object]]) -> None:
    """Run *steps* once *surface* shows its text (at once if it builds none),
    each on an event-loop turn of its own, STEP_MS apart, as long as
    *still_open()* (the same document).  Work on a worker (the preview's
    render) holds the interpreter half the time: started while the surface
    or the outline is made here, it made each take twice as long."""

    def run(rest: list) -> None:
        if rest and still_open():
            rest[0]()
            QTimer.singleShot(STEP_MS, surface, lambda: run(rest[1:]))

    def shown() -> None:
        if surface.building():  # (a newer text's notice: wait for that text)
            return
        surface.reloaded.disconnect(shown)
        QTimer.singleShot(STEP_MS, surface, lambda: run(list(steps)))

    if surface.building():
        surface.reloaded.connect(shown)
    else:
        QTimer.singleShot(STEP_MS, surface, lambda: run(list(steps)))
