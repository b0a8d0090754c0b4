"""A long document's formatted surface built a slice per event-loop turn.

Built at once, the surface of a 4 MB document (22,000 blocks) held the
window 0.75 s as it opened, and again at every reload.  Of a long document
(``large_document.is_long``), its text document is built out of sight, about
``SLICE_S`` of blocks per event-loop turn (``build.build_steps``), while the
surface shows a short notice, read-only; it is shown when whole.  Nothing
typed is lost meanwhile: the source editor holds the text, and the notice
takes no typing.

A shorter one that still takes a moment to build (``large_document.shows_first_part``:
40,000 words took 50 ms) shows its first part at once (``first_part``: a few
screens, built in a few milliseconds), read-only, and the whole is built once
that is painted, in slices of FIRST_PART_SLICE_S (one for 40,000 words).
A key, a shortcut, a right-click or a line further on asked for on the first part builds
the rest at once (``SlicedBuild.finish``) and then acts on the whole text,
the cursor where it was (``RichSurface``).  Work on a worker would
slow the build down many times over (each of Qt's calls gives the interpreter
up and waits to get it back), so what waits for the window's first paint
waits for the whole text too (``RichSurface.when_whole``).
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

from guidelines_app.core.surface_text import Unit, split_units
from guidelines_app.ui.jobs import Jobs
from guidelines_app.ui.surface import build
from guidelines_app.ui.surface.images import Pictures

# The first part of a document shown while the rest is built: at least this
# many characters (more than a tall screen holds), up to a blank line.
FIRST_PART_SHOWN = 20_000
# How long a first part's build waits for it to be painted (then it starts anyway).
PAINT_WAIT_MS = 150
# How long one event-loop turn builds (then the window paints and takes keys).
SLICE_S = 0.04
FIRST_PART_SLICE_S = 0.1  # (of a document that shows its first part meanwhile)
# Between the steps that follow a long document's opening (``when_shown``): a
# timer of its own, not a 0 ms call (Qt runs that before the keys and timers due).
STEP_MS = 50


def first_part(body: str) -> list[Unit] | None:
    """The blocks of *body*'s first FIRST_PART_SHOWN characters or so, each
    whole, as in the whole text (the first part ends at a blank line, and its
    last block, which may go on past it, is left out); None when the text
    has no blank line after that many characters."""
    end = body.find("\n\n", FIRST_PART_SHOWN)
    if end < 0:
        return None
    units = split_units(body[:end])
    return units[:-1] or None


def shown_meanwhile(surface, first: list[Unit] | None) -> QTextDocument:
    """What *surface* shows while its text is built: the first part *first*
    (``first_part``), or without one, a notice."""
    if first is None:
        shown = QTextDocument(surface)
        shown.setDefaultFont(surface.font())
        shown.setDocumentMargin(16)
        shown.setPlainText(surface.tr("Opening the document…"))
        return shown
    shown = surface.new_document()
    pictures = Pictures()  # (of the first part only: the whole text's are made for it)
    pictures.root, pictures.width = surface.pictures.root, surface.pictures.width
    for _built in build.build_steps(first, shown, surface.base_size, pictures, [], len(first)):
        pass
    return shown


def place(view: QTextEdit) -> tuple[int, int, int]:
    """Where *view* is: its selection's anchor and cursor, and its scroll (``go_back``)."""
    cursor = view.textCursor()
    return cursor.anchor(), cursor.position(), view.verticalScrollBar().value()


def go_back(view: QTextEdit, where: tuple[int, int, int]) -> None:
    """Put *view*'s cursor and scroll back *where* ``place`` found them (in its text now)."""
    if where == (0, 0, 0):
        return  # (where a text is shown anyway)
    end = view.document().characterCount() - 1
    cursor = QTextCursor(view.document())
    cursor.setPosition(min(where[0], end))
    cursor.setPosition(min(where[1], end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.verticalScrollBar().setValue(where[2])
    # (again once Qt tells the scroll bar the text's size: it may have cut the value short)
    QTimer.singleShot(0, view, lambda: view.verticalScrollBar().setValue(where[2]))


class SlicedBuild(QObject):
    """Builds *doc* (not shown) from *body* a slice per event-loop turn:
    a worker finds the blocks (``split_units``), each turn after builds
    blocks for about *slice_s* and calls *progress* with the share built
    (0-100); at the end *done* with itself (its ``units`` and ``lines``),
    or *failed* with the exception that stopped it (then never *done*).
    ``cancel()`` stops it (a newer text to show, the window closing)."""

    def __init__(self, parent: QObject, body: str, doc: QTextDocument, base_size: float, pictures,
                 progress: Callable[[int], None], done: Callable[[SlicedBuild], None],
                 failed: Callable[[BaseException], None], slice_s: float = SLICE_S, *, jobs: Jobs):
        super().__init__(parent)
        self._slice_s = slice_s
        self.body, self.doc = body, doc
        self.units: list = []
        self.lines: list[int] = []
        self._base_size, self._pictures = base_size, pictures
        self._steps = None
        self._progress, self._done, self._failed = progress, done, failed
        self.failed = False  # stopped by an exception (*failed* was told)
        self._timer = QTimer(self, interval=0)
        self._timer.timeout.connect(self._next)
        # *jobs*: the surface's (a build let go of while its worker runs is never the owner a report goes to).
        self._jobs = jobs
        self._cancelled = False

    def start(self) -> None:
        """Build from the next event-loop turn on."""
        if not self._cancelled and self._steps is None:
            self._timer.start(0)

    def start_when_painted(self) -> None:
        """``start()`` once what shows meanwhile is painted (its view calls
        ``start()`` then, as ``waiting()`` says: a turn's building came before
        the paint), or after PAINT_WAIT_MS if it is not (a window not shown
        yet, a view hidden)."""
        self._timer.start(PAINT_WAIT_MS)

    def finish(self) -> None:
        """Build the rest now, in this turn: *done* (or *failed*) before it returns."""
        self._slice_s = float("inf")
        if self._steps is None and not self._cancelled and not self.failed:
            self._jobs.drop("units")  # (found here rather than waited for)
            self._timer.stop()
            try:
                units = split_units(self.body)
            except Exception as exc:  # noqa: BLE001 - as ``_next``: said, never a part shown as the whole
                self.failed = True
                self._failed(exc)
                return
            self._found(units)
        if self._steps is not None and not self._cancelled and not self.failed:
            self._next()

    def waiting(self) -> bool:
        """Whether it waits for ``start()`` (``start_when_painted``)."""
        return self._steps is None and self._timer.isActive() and self._timer.interval() > 0

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
            self._timer.stop()  # (after waiting for a paint: ``start_when_painted``)
            # The blocks are found on a worker (0.2-0.4 s of a 4 MB text of 11,500 headings, in one turn
            # before); the turns after it build them.
            body, me = self.body, weakref.ref(self)  # (a build let go of is not kept by the report on its way)
            self._jobs.run(lambda: split_units(body), lambda units: (built := me()) is not None and built._found(units),
                           lambda *failure: (built := me()) is not None and built._not_found(*failure), key="units")
            return
        for built in self._steps:
            if time.perf_counter() - started > self._slice_s:
                self._progress(100 * built // max(1, len(self.units)))
                return
        self._timer.stop()
        self._done(self)

    def _found(self, units: list[Unit]) -> None:
        if self._cancelled or self._steps is not None:
            return
        self.units = units
        self._steps = build.build_steps(self.units, self.doc, self._base_size, self._pictures, self.lines)
        self._timer.start(0)

    def _not_found(self, message: str, technical: str) -> None:
        if not self._cancelled and self._steps is None:
            self.failed = True
            self._failed(RuntimeError(f"{message}\n{technical}"))

    def cancel(self) -> None:
        self._cancelled = True
        self._timer.stop()
        self._jobs.drop("units")
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
