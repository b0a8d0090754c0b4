"""Qt lays a long rich-text document out in the background, on a timer of
its layout, in steps that double up to 200,000 characters: each step one
event-loop turn of 0.1-0.5 s for a 4 MB policy (more while a worker holds
the interpreter), the window frozen meanwhile.  ``pace(doc)`` takes those
steps over: at each tick of that timer, STEP_CHARS more are laid out
(asking the layout where a block STEP_CHARS further on is), and the tick
is not passed on.  Once the whole text is laid out, the next tick is Qt's
own (it finds nothing left, and stops its timer); with no such timer
left, the text is laid out to its end, however it got there (a call that
asks for the whole text lays it out with no tick).  A new page size or
font (a resize, a zoom) starts the pace again from the top, as Qt starts
its layout (asked for the place it had reached, Qt would lay out all the
text before it in one tick), and so does a tick after Qt's own, which
means Qt lays the text out again for another reason.  An edit moves the
pace back to where it was made (Qt lays out again from there).

A document whose view (its parent) is out of sight is laid out a step
every HIDDEN_REST_S, and not at all while a worker is at its work: its
layout's timer ticks at 100 a second until the text is laid out, which kept
the window waking for good behind the Markdown source after a zoom or a
resize, and after a comparison closed with a tab never looked at.  While a
worker is at its work (``jobs.workers_busy``: a job, unless it mostly waits
for git or the network; a preview's render), the pace rests longer between
steps (a view shown further on than the pace has reached has Qt lay out
the text before it at once, as without the pace).

The layout's other timer (the size it reports, at 0 ms) is left alone: a
tick is taken over only when the dispatcher says it is of a 10 ms timer,
the layout's own.

A change to the text while Qt lays it out in the background leaves
blocks out of Qt's layout for good (Qt's fault): ``layout_mend`` lays them
out once the layout is over.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QWidget

from guidelines_app.ui import gc_guard
from guidelines_app.ui.jobs import workers_busy
from guidelines_app.ui.layout_mend import LAYOUT_TIMER_MS, LayoutMend, _layout_timers, laying_out  # noqa: F401 - (as the pace's)

STEP_CHARS = 20_000  # a tick's share (about 15 ms of this machine's for a policy's rich text)
# Between two steps while no worker works (a key typed waits for one step at most, with a rest or
# not).  With 20 ms a 4 MB policy was still being laid out seconds after it opened, and a move to its end
# (Ctrl+End) laid the rest out at once (0.16 s; a line typed there held the window 0.23-0.35 s) since the
# spelling, which had laid the text out as it went, no longer does (``spelling._Place``): 0.09-0.10 s with
# 10 ms or none, and none had the editing actions' longest stalls at 0.15-0.18 s against 0.10-0.15 s.
REST_S = 0.01
# ... and while a worker is at its work: Qt's own steps ran without the interpreter lock, these hold it
# (PySide keeps it through a Qt call), and the worker waited: viewing an old revision just after comparing
# a 4 MB policy took 7.6 s with no rest (the comparison's pages laid out back to back), 7.2-7.9 s with
# 20 ms, 3.8-5.1 s with this.
REST_WORKING_S = 0.1
# ... and for a text out of sight (a compare window's other tab, the surface behind the Markdown source),
# which waits too while a worker is at its work (viewing an old revision just after comparing a 4 MB
# policy took 7.6 s with every page laid out meanwhile, 3.4 s with none).
HIDDEN_REST_S = 0.25


class PacedLayout(QObject):
    """The pace of one document's layout (a child of the document)."""

    def __init__(self, doc: QTextDocument):
        super().__init__(doc)
        self._doc = doc
        self._at = 0  # laid out up to here, as far as this pace knows
        self._shape = None  # the page size and font it was laid out for (another: Qt lays it out again)
        self._through = False  # the last tick was Qt's own (the text was laid out to its end)
        self.steps = 0  # ticks taken over
        self._stepped_at = 0.0  # (time.perf_counter) the last step ended: the next after a rest
        doc.contentsChange.connect(self._changed)
        doc.documentLayout().installEventFilter(self)
        self.mend = LayoutMend(doc)  # (what an edit while Qt lays the text out leaves out)

    def _changed(self, position: int, _removed: int, _added: int) -> None:
        self._at, self._through = min(self._at, position), False

    def laid_out_to(self) -> int:
        """Where the text is laid out to, as far as this pace knows (0 for a
        width or font it has not laid it out for yet); all of it once Qt has
        nothing left to lay out (its timer is stopped), however the end was
        reached: a call that asked for the whole text (as a view asks for its
        size) lays it out with no tick to tell the pace, and the text then
        stayed "laid out" to the last step: the spelling waited there for
        good, polling at every turn of the event loop (one core kept busy in
        an idle window of a 40,000-word policy).  (A document with no page
        size, not yet given to a view, has no layout under way either: Qt
        lays nothing of it out, and a change to it costs nothing.)"""
        doc = self._doc
        if not laying_out(doc):
            return doc.characterCount()
        if _shape(doc) != self._shape:
            return 0
        return doc.characterCount() if self._through else self._at

    def laid_out(self, position: int) -> None:
        """The text is laid out to *position* for its page size and font now
        (a caller asked Qt for a block there: ``far_jump``)."""
        shape = _shape(self._doc)
        if shape != self._shape:
            self._shape, self._at, self._through = shape, position, False
        else:
            self._at = max(self._at, position)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.Timer or not _layout_timer(watched, event.timerId()):
            return False
        self.mend.look()  # (laid out: looked at for blocks left out once that is over)
        doc = self._doc
        shape = _shape(doc)
        if shape != self._shape:  # a new width or font: Qt lays it out again from the top, and so does the pace
            self._shape, self._at, self._through = shape, 0, False
        end = doc.characterCount() - 1
        if self._at >= end:
            if not self._through:
                self._through = True
                return False  # Qt's own tick: nothing left (it stops), or the first of a new layout
            self._at = 0  # laid out again from the top (its width changed)
        self._through = False
        owner = doc.parent()
        busy = workers_busy()
        if isinstance(owner, QWidget) and not owner.isVisible():  # out of sight: slowly, and only while no worker works
            rest = float("inf") if busy else HIDDEN_REST_S
        else:
            rest = REST_WORKING_S if busy else REST_S
        if time.perf_counter() < self._stepped_at + rest:
            return True  # a rest: PySide holds the interpreter while Qt lays out, and workers need it too
        self._at = min(end, self._at + STEP_CHARS)
        watched.blockBoundingRect(doc.findBlock(self._at))
        self._stepped_at = time.perf_counter()
        self.steps += 1
        return True


def _shape(doc: QTextDocument) -> tuple:
    """What the text is laid out for: its page size, font and margin (another: Qt lays it out again)."""
    return doc.pageSize(), doc.defaultFont().key(), doc.documentMargin()


def _layout_timer(layout: QObject, timer_id: int) -> bool:
    return timer_id in _layout_timers(layout)


def laid_out_to(doc: QTextDocument) -> int:
    """Where *doc*'s text is laid out to, as far as its pace knows (all of it: a document not paced)."""
    paced = getattr(doc, "_paced", None)
    return paced.laid_out_to() if paced is not None else doc.characterCount()


def block_at(view, y: int):
    """The paragraph *y* pixels down *view*'s viewport (a QTextEdit's).  While
    its text is laid out again (after a zoom, a jump far down), found among
    the text laid out, a look at a block's place at a time: asking Qt what is
    there (``cursorForPosition``) then had it lay out all the rest of the
    text (0.4-0.5 s halfway down a 4 MB policy, Zoom In then Zoom Out) and
    answer with the text's last paragraph."""
    doc = view.document()
    end = laid_out_to(doc)
    if end >= doc.characterCount():
        return view.cursorForPosition(QPoint(0, y)).block()
    layout, y_doc = doc.documentLayout(), view.verticalScrollBar().value() + y
    lo, hi = 0, doc.findBlock(max(0, end - 1)).blockNumber()
    if layout.blockBoundingRect(doc.findBlockByNumber(hi)).bottom() <= y_doc:
        return view.cursorForPosition(QPoint(0, y)).block()  # (further down than the pace knows it laid out)
    while lo < hi:  # the last paragraph whose top is at or above *y*
        mid = (lo + hi + 1) // 2
        if layout.blockBoundingRect(doc.findBlockByNumber(mid)).top() <= y_doc:
            lo = mid
        else:
            hi = mid - 1
    return doc.findBlockByNumber(lo)


def caret_in_sight(view) -> bool:
    """Whether *view*'s cursor (a QTextEdit's) is on screen, whole, in text
    laid out already (False beyond it: asking Qt where the cursor is would
    have it lay out all the text before)."""
    cursor = view.textCursor()
    if laid_out_to(view.document()) < cursor.block().position() + cursor.block().length():
        return False
    rect = view.cursorRect()
    return 0 <= rect.top() and rect.bottom() <= view.viewport().height()


def laid_out(doc: QTextDocument, position: int) -> None:
    """Tell *doc*'s pace (if it has one) that its text is laid out to *position*."""
    paced = getattr(doc, "_paced", None)
    if paced is not None:
        paced.laid_out(position)


def pace(doc: QTextDocument) -> QTextDocument:
    """Pace the background layout of *doc* (made by the caller, on the UI
    thread); returns it.  Its pace and mending keep a timer running on the
    UI thread, and the document's wrapper is in a reference cycle with them:
    Python's collector must free it there, never on a worker thread (Qt
    cannot stop a timer from another thread, and its next tick reached the
    freed timer: a crash in about one run in two of a preview pane used
    without a window, which installs the guard itself), so the guard is
    installed here too (``gc_guard``, once per process)."""
    gc_guard.install()
    doc._paced = PacedLayout(doc)  # (kept by the document's wrapper, as its child by Qt)
    return doc
