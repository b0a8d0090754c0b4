"""The text laid out again for a new width when it suits the window.

When a side panel opens, the text beside it gets narrower and Qt lays out
the whole document again (``QTextDocumentLayout``): the part on screen at
once, the rest from a 10 ms timer in steps that double each time (1,000
characters, then 2,000, ... up to 200,000).  For a 40,000-word policy the
last steps take 40-60 ms each of the UI thread, in the editing surface and
in the preview: while a panel's list is read on a worker, they hold up its
arrival and its paint, and they freeze the window for a moment anyway.

``TextRelayout`` keeps those steps back while ``hold()`` is on and, once
``release()`` is called, lays out the rest a slice per event-loop turn
(about SLICE_S each): never one long step.  Nothing shown is ever laid out
for the old width: Qt lays out the part on screen when the width changes,
and any other part the moment it is needed (a scroll, a click, a search),
held or not; only the scroll bar's length is an estimate until the last
slice.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QAbstractEventDispatcher, QEvent, QObject, QTimer
from PySide6.QtWidgets import QTextEdit

SLICE_S = 0.006  # the longest the UI thread lays out text in one event-loop turn
STEP_CHARS = 4000  # laid out between two looks at the clock (well under a millisecond)
HOLD_AT_MOST_MS = 1000  # a hold nobody releases ends by itself


class _Pending:
    """One text view whose layout is not finished for its width."""

    __slots__ = ("view", "doc", "layout", "position", "width")

    def __init__(self, view: QTextEdit):
        self.view = view
        self.doc = view.document()
        self.layout = self.doc.documentLayout()
        self.position = 0  # laid out up to here by the slices (0 again when the width changes)
        self.width = view.viewport().width()


def laying_out(layout: QObject) -> bool:
    """True while Qt's lazy layout of a document is unfinished: its step
    timer (the one timer of a ``QTextDocumentLayout`` with an interval; the
    other, for the size it reports, fires at once) is running."""
    dispatcher = QAbstractEventDispatcher.instance()
    return any(info.interval > 0 for info in dispatcher.registeredTimers(layout))


class TextRelayout(QObject):
    """Paces the layout of *views()* (the text views shown now) after a
    width change; see the module's description."""

    def __init__(self, parent: QObject, views: Callable[[], list[QTextEdit]]):
        super().__init__(parent)
        self._views = views
        self._pending: list[_Pending] = []
        self.held = False
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._slice)
        self._limit = QTimer(self, singleShot=True, interval=HOLD_AT_MOST_MS)
        self._limit.timeout.connect(self.release)

    def hold(self) -> None:
        """From now on Qt's own layout steps are kept back for the views
        shown now (the part on screen is still laid out at once)."""
        self.held = True
        self._timer.stop()
        self._limit.start()
        tracked = {id(p.view) for p in self._pending}
        for view in self._views():
            if id(view) not in tracked:
                pending = _Pending(view)
                pending.layout.installEventFilter(self)
                self._pending.append(pending)

    def release(self, delay_ms: int = 0) -> None:
        """The rest laid out a slice per event-loop turn, starting after *delay_ms*."""
        self.held = False
        self._limit.stop()
        if self._pending:
            self._timer.start(delay_ms)

    def busy(self) -> bool:
        """True until every view held is laid out for its width."""
        return bool(self._pending)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Timer:
            # Qt's next step (ever larger): the slices do it instead.  The size report passes.
            return any(info.timerId == event.timerId() and info.interval > 0
                       for info in QAbstractEventDispatcher.instance().registeredTimers(watched))
        return False

    def _slice(self) -> None:
        if self.held:
            return
        deadline = time.perf_counter() + SLICE_S
        for pending in list(self._pending):
            if time.perf_counter() >= deadline:
                break
            if self._advance(pending, deadline):
                self._forget(pending)
        if self._pending:
            self._timer.start(0)

    def _advance(self, pending: _Pending, deadline: float) -> bool:
        """Lay out *pending* further until *deadline*; True once it is done
        (or its document was replaced: a new one is laid out by Qt as usual)."""
        if pending.view.document() is not pending.doc:
            return True
        width = pending.view.viewport().width()
        if width != pending.width:  # laid out again from the top
            pending.width, pending.position = width, 0
        doc, layout = pending.doc, pending.layout
        end = doc.characterCount() - 1
        while laying_out(layout):
            if pending.position >= end:
                return True  # Qt would not finish: its own steps take over again
            if time.perf_counter() >= deadline:
                return False
            pending.position = min(pending.position + STEP_CHARS, end)
            layout.blockBoundingRect(doc.findBlock(pending.position))  # lays out up to that block
        return True

    def _forget(self, pending: _Pending) -> None:
        self._pending.remove(pending)
        try:
            pending.layout.removeEventFilter(self)
        except RuntimeError:
            pass  # its document was deleted (replaced by a new one)
