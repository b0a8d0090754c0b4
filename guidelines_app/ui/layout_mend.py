"""Blocks left out of Qt's layout of a long rich text, laid out once it is over.

A change to the text while Qt lays it out in the background (``laying_out``:
its layout timer is running) is a fault of Qt's (6.11): Qt lays the change
out, then moves on over the blocks after it up to its next checkpoint (one
every 2,000 pixels down the text), and beyond where its layout had reached
it moves blocks never laid out, at no height, and takes them as laid out:
they never are, and the view shows a gap where they are, the scroll bar
short.  A key typed at the top of a text half laid out left 251 of 600
paragraphs out; a 40,000-word policy opened with spelling on showed gaps in
one opening of two (the spelling's marks are changes too: it marks nothing
while Qt lays the text out, ``surface.spelling``).

``LayoutMend`` (made by ``paced_layout.pace``) looks, every MEND_LOOK_S while
Qt lays the text out (and after the text's size changes), whether the
layout is over; then it looks for blocks shown that have no lines, a slice
of MEND_SLICE_S per event-loop turn, and has Qt lay them out, MEND_CHARS a
turn (its layout complete, Qt lays a stretch marked changed out there and
then), unless Qt is laying the text out again by then (a zoom): then once
that is over.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QAbstractEventDispatcher, QObject, QTimer
from PySide6.QtGui import QTextDocument

LAYOUT_TIMER_MS = 10  # the interval of Qt's layout timer (QTextDocumentLayout)
MEND_LOOK_S = 0.25  # how often whether Qt's layout is over is looked at, while it is not
MEND_SLICE_S = 0.005  # the look for blocks left out, per event-loop turn
MEND_CHARS = 20_000  # blocks left out laid out per event-loop turn (as much as a step of the pace)


class LayoutMend(QObject):
    """Blocks left out of one document's layout, laid out (a child of the document)."""

    def __init__(self, doc: QTextDocument):
        super().__init__(doc)
        self._doc = doc
        self.mended = 0  # stretches laid out
        self._look = QTimer(self, interval=int(MEND_LOOK_S * 1000))
        self._look.timeout.connect(self._looked)
        self._scan = None  # the look for blocks left out, under way (a generator)
        self._found: list[int] = []  # where stretches of blocks left out begin, to be laid out
        doc.documentLayout().documentSizeChanged.connect(self.look)
        self.look()

    def look(self, *_size) -> None:
        """Look for blocks left out once Qt's layout is over (now, or when
        it is: a tick of its layout, a new size of the text)."""
        if not self._look.isActive() and self._scan is None and not self._found:
            self._look.start()

    def _looked(self) -> None:
        doc = self._doc
        if laying_out(doc):
            return  # looked at again later
        self._look.stop()
        if doc.pageSize().width() <= 0:
            return  # not in a view yet: nothing is laid out (its first tick looks again)
        self._scan = _left_out_stretches(doc, self._found)
        QTimer.singleShot(0, self, self._step)

    def _step(self) -> None:
        doc = self._doc
        if laying_out(doc):  # laid out again meanwhile (a zoom): looked at once that is over
            self._scan = None
            self._found.clear()
            self._look.start()
            return
        if self._scan is not None:
            end = time.perf_counter() + MEND_SLICE_S
            try:
                while time.perf_counter() < end:
                    next(self._scan)
            except StopIteration:
                self._scan = None
        elif self._found:
            self._mend(self._found.pop(0))
        else:
            return
        QTimer.singleShot(0, self, self._step)

    def _mend(self, position: int) -> None:
        """The blocks left out from *position* laid out, MEND_CHARS at most;
        the rest of the stretch next turn."""
        doc = self._doc
        block = doc.findBlock(position)
        start = end = None
        while block.isValid() and _left_out(block) and (start is None or end - start < MEND_CHARS):
            start = block.position() if start is None else start
            end = block.position() + block.length()
            block = block.next()
        if start is None:
            return  # (laid out since: an edit there)
        doc.markContentsDirty(start, min(end, doc.characterCount()) - start)
        self.mended += 1
        # The rest of the stretch next turn: (Qt lays out the block just after the one marked too)
        for _ in range(2):
            if block.isValid() and _left_out(block):
                self._found.insert(0, block.position())
                return
            block = block.next()


def _left_out(block) -> bool:
    """Whether *block* is shown and has no lines: never laid out."""
    return block.isVisible() and block.layout().lineCount() == 0


def _left_out_stretches(doc: QTextDocument, found: list[int]):
    """A generator, 256 blocks per ``next()``, adding to *found* where each
    stretch of blocks left out begins.  It goes on by position, not by block:
    an edit meanwhile may take the block it was at away."""
    position, inside = 0, False
    while True:
        block = doc.findBlock(position)
        for _ in range(256):
            if not block.isValid():
                return
            left = _left_out(block)
            if left and not inside:
                found.append(block.position())
            inside = left
            block = block.next()
        if not block.isValid():
            return
        position = block.position()
        yield


def laying_out(doc: QTextDocument) -> bool:
    """Whether Qt is laying *doc*'s text out in the background (a change to
    the text meanwhile leaves blocks out: see the module's description)."""
    return bool(_layout_timers(doc.documentLayout()))


def _layout_timers(layout: QObject) -> list[int]:
    """The ids of *layout*'s layout timers: one while Qt has text left to
    lay out in the background, none once it has laid out the end."""
    dispatcher = QAbstractEventDispatcher.instance(layout.thread())
    if dispatcher is None:
        return []
    return [info.timerId for info in dispatcher.registeredTimers(layout) if info.interval == LAYOUT_TIMER_MS]
