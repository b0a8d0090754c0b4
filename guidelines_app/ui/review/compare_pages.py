"""The Compare window's three views (the two columns of the side-by-side
layout and the inline view), filled in the order the user sees them.

What the first screen needs is worked out on one worker by the Qt-free
``review.compare_first``; the UI thread makes its first sections' pages
text documents, laid out for the views (``text_document``), and puts them
in place.  Once that is painted, the whole pages, of every layout, are
written on a worker (``build_pages``: the HTML) and read into text
documents on the UI thread, a part per event-loop turn (``PageReading``:
reading a 4 MB policy's page at once held the window 0.2-0.45 s), each
replacing the first sections where the user is reading once it is all in;
a view needed at once (a change to go to, the other layout) is finished on
the spot, or built there if the worker has not delivered it yet.

No text document is made on a worker: PySide keeps the interpreter lock
through most Qt calls, so a worker making or laying out a document holds it
while taking Qt's own locks, and the UI thread, deleting an object (which
asks Python about it) while holding one of those locks, then waits for the
worker as the worker waits for it, for ever (seen in the tests: a worker in
``QTextDocument.size`` against a window being deleted).  The worker held the
interpreter through the reading of the HTML, so the window waited for it
then too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QTextCursor, QTextDocument, QTextDocumentFragment
from PySide6.QtWidgets import QStyle

from guidelines_app.core.colours import LIGHT
from guidelines_app.review import compare_first
from guidelines_app.review.compare_first import Screen
from guidelines_app.review.redline_html import page_parts
from guidelines_app.ui.paced_layout import pace

# The views each layout shows (the index of the layout box): side by side
# shows the two columns, inline one view.
MODE_SIDES = (("old", "new"), ("inline",))
ALL_SIDES = MODE_SIDES[0] + MODE_SIDES[1]
_CSS = "h1,h2,h3,h4,h5,h6 { margin-top: 10px; } p { margin: 4px 0; }"
# When the window is not painted (hidden behind others, say), the work that
# waits for its first paint starts after this long all the same.
PAINT_WAIT_MS = 300
# Between two parts of the whole pages read: a timer of its own (0 ms would be a posted
# call, run before the keys and timers due: two whole pages of a 4 MB document,
# read one after the other so, held the window as one).
BETWEEN_PARTS_MS = 10
# A part of a whole page read in one event-loop turn: about 20 ms of this machine's.
PART_CHARS = 200_000


def build_pages(result, sides, colours, wanted=lambda: True, changes_only: bool = False) -> dict[str, str]:
    """On a worker: the HTML of the views *sides* (*changes_only*: of the
    changed sections), one view at a time, stopping early (the worker is
    soon free) once *wanted()* is false."""
    pages: dict[str, str] = {}
    for side in sides:
        if not wanted():
            break
        pages.update(compare_first.render_pages(result, (side,), colours, changes_only))
    return pages


def text_document(html: str, font: QFont, width: int | None = None) -> QTextDocument:
    """On the UI thread (never a worker's: see the module's note): *html*
    as a text document for a view in *font*, laid out for the view's text
    *width* when given (the view then only places it, with its scroll bar
    if it needs one: ``_adopt``)."""
    doc = PageReading(html, font).finish()
    if width:
        doc.setTextWidth(width)
        doc.size()  # laid out here
    return doc


def _document(font: QFont) -> QTextDocument:
    doc = QTextDocument()
    doc.setUndoRedoEnabled(False)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(_CSS)
    return doc


class PageReading:
    """A page's HTML read into a text document in parts of *chars*
    (``redline_html.page_parts``; PART_CHARS by default), a ``step`` at a
    time, on the UI thread."""

    def __init__(self, html: str, font: QFont, chars: int | None = None):
        self.doc = _document(font)
        self._parts = page_parts(html, PART_CHARS if chars is None else chars)
        self._next = 0

    def step(self) -> bool:
        """Reads the next part; whether all of it is in."""
        part = self._parts[self._next]
        self._parts[self._next] = ""  # (its text let go)
        if self._next == 0:
            self.doc.setHtml(part)
        else:  # at the end, in a paragraph of its own, which takes the format of the part's first one
            read = _document(self.doc.defaultFont())
            read.setHtml(part)
            cursor = QTextCursor(self.doc)
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertBlock()
            first = cursor.position()
            cursor.insertFragment(QTextDocumentFragment(read))
            cursor.setPosition(first)
            cursor.setBlockFormat(read.firstBlock().blockFormat())
            cursor.setBlockCharFormat(read.firstBlock().charFormat())
        self._next += 1
        return self._next == len(self._parts)

    def finish(self) -> QTextDocument:
        """The rest read at once: the document, its layout paced (a long
        policy's page is laid out in the background: ``paced_layout``)."""
        while self._next < len(self._parts):
            self.step()
        return pace(self.doc)


def screen_of(views: dict, widths: dict[str, int], font: QFont) -> Screen | None:
    """What the views *views* ({side: QTextBrowser}) show at once in *font*
    at their text *widths* (``text_widths``), for ``compare_first.head_of``;
    None before they were first laid out (a new window: their size is not
    known yet)."""
    if not all(view.testAttribute(Qt.WidgetAttribute.WA_Resized) for view in views.values()):
        return None
    metrics = QFontMetrics(font)
    lines = min(view.viewport().height() for view in views.values()) // max(1, metrics.lineSpacing())
    return Screen(max(1, lines), max(1, min(widths.values()) // max(1, metrics.averageCharWidth())))


def text_widths(views: dict) -> dict[str, int]:
    """{side: the width its view lays text out at} for *views* ({side:
    QTextBrowser}), with the scroll bar a long page brings."""
    widths = {}
    for side, view in views.items():
        bar = view.verticalScrollBar()
        extent = 0 if bar.isVisibleTo(view) else view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, bar)
        widths[side] = max(1, view.viewport().width() - extent)
    return widths


def _adopt(view, doc: QTextDocument) -> None:
    """Show *doc* in *view*.  A page laid out for the view's width with its
    scroll bar, and taller than the view, gets the bar before it is placed:
    placed first, it would be laid out again for the narrower width."""
    bar = view.verticalScrollBar()
    taller = not bar.isVisibleTo(view) and doc.textWidth() > 0 and doc.size().height() > view.viewport().height()
    if taller:
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    view.setDocument(doc)
    if taller:
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)


class AfterPaint(QObject):
    """Calls back once, just after the next paint of a widget (or at once
    when it is not shown, or after PAINT_WAIT_MS when no paint comes)."""

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self._watched = None
        self._then = None
        self._timer = QTimer(self, singleShot=True, interval=PAINT_WAIT_MS)
        self._timer.timeout.connect(self._fire)

    def arm(self, widget, then) -> None:
        self.disarm()
        self._watched, self._then = widget, then
        if not widget.isVisible():
            QTimer.singleShot(0, self, self._fire)
            return
        widget.installEventFilter(self)
        self._timer.start()

    def disarm(self) -> None:
        self._timer.stop()
        if self._watched is not None:
            self._watched.removeEventFilter(self)
        self._watched = self._then = None

    def eventFilter(self, watched, event) -> bool:
        if watched is self._watched and event.type() == QEvent.Type.Paint:
            then = self._then
            self.disarm()
            QTimer.singleShot(0, self, then)  # once this paint is done (never once the window is gone)
        return False

    def _fire(self) -> None:
        then = self._then
        self.disarm()
        if then is not None:
            then()


class ComparePages:
    """Which view holds what of the current comparison, and the worker that
    builds the rest.  *window* is the CompareWindow (its jobs, its current
    change, its scroll-sync guard)."""

    def __init__(self, window, views: dict):
        self.window = window
        self.views = views  # side -> QTextBrowser
        self.full: set[str] = set()  # views holding their whole page
        self.head: set[str] = set()  # views holding the first sections only
        self.result = None
        self.colours = LIGHT
        self.changes_only = False  # a very large document: pages of the changed sections only
        self._built_for = object()  # the pages being built are for this one (see drop)
        self.building: set[str] = set()  # views whose whole pages a worker is building, or are being read
        self._reading: dict[str, PageReading] = {}  # the whole pages being read, a part per turn
        self._read_next = False  # a timer is set to read their next part
        self._keys: set = set()  # the keys of those jobs

    def show_first(self, result, pages: dict[str, str], complete: bool, colours, changes_only: bool = False) -> None:
        """A new comparison: *pages* (the selected layout's first sections,
        or all of it when *complete*) now; ``build_rest`` builds the rest
        (*changes_only*: every page shows the changed sections only)."""
        self.drop()
        self.result, self.colours, self.changes_only = result, colours, changes_only
        self.full, self.head = set(), set()
        for side, view in self.views.items():
            if side not in pages:
                view.clear()  # no view keeps an earlier comparison
        self._set(pages, complete, first=True)

    def build_rest(self, sides=ALL_SIDES) -> None:
        """The whole pages of *sides* not shown (or being built) yet: their
        HTML on a worker, then read into the views a part per turn."""
        rest = tuple(side for side in sides if side not in self.full and side not in self.building)
        if rest and self.result is not None:
            result, colours, token, only = self.result, self.colours, self._built_for, self.changes_only
            self.building.update(rest)
            self._keys.add(("pages", rest))
            self.window.jobs.run(lambda: build_pages(result, rest, colours, lambda: token is self._built_for, only),
                                 lambda pages: self._on_built(pages, rest, token), key=("pages", rest),
                                 on_failed=lambda _message, _technical: self._not_built(rest, token))

    def drop(self) -> None:
        """A newer comparison is coming: the pages being built are not wanted."""
        self._built_for = object()
        self.window.jobs.drop(*self._keys)
        self._keys, self.building, self._reading, self._read_next = set(), set(), {}, False

    def clear(self) -> None:
        """The window is closed: its views let their pages go."""
        self.drop()
        self.result, self.full, self.head = None, set(), set()
        for view in self.views.values():
            view.clear()

    def ensure(self, sides) -> None:
        """The whole pages of *sides*, now: the rest of a page being read
        read at once, or a page built if the worker has not delivered it
        yet (it skips what is shown by then)."""
        missing = [side for side in sides if side not in self.full]
        if not missing or self.result is None:
            return
        for side in missing:
            if side in self._reading:
                self._place(side, self._reading.pop(side).finish(), True)
        rest = [side for side in missing if side not in self.full]
        if rest:
            self._set(compare_first.render_pages(self.result, rest, self.colours, self.changes_only), True)

    def _not_built(self, sides: tuple[str, ...], token) -> None:
        """The worker could not write *sides*: built on the spot when asked
        (``ensure``), or by the next ``build_rest``."""
        self._keys.discard(("pages", sides))
        if token is self._built_for:
            self.building.difference_update(sides)

    def _on_built(self, pages: dict[str, str], sides: tuple[str, ...], token) -> None:
        """The whole pages' HTML: read into the views a part per event-loop
        turn, one view after the other (a 4 MB policy's page took 0.2-0.45 s
        to read at once)."""
        self._keys.discard(("pages", sides))
        if token is not self._built_for:
            return  # a newer comparison (or none) is shown now
        for side, html in pages.items():
            if side not in self.full:  # (not built on the spot meanwhile)
                self._reading[side] = PageReading(html, self.views[side].font())
        self.building.difference_update(side for side in sides if side not in self._reading)
        if self._reading and not self._read_next:  # (else the turn to come reads these too)
            self._read_on(token)

    def _read_on(self, token) -> None:
        """The next part of the first page being read; the next turn's after
        a timer of its own (BETWEEN_PARTS_MS): one such timer at a time."""
        if token is not self._built_for:
            return  # (dropped: its timer is forgotten)
        self._read_next = False
        if not self._reading:
            return
        side, reading = next(iter(self._reading.items()))
        if reading.step():
            del self._reading[side]
            self._place(side, reading.finish(), True)
        if self._reading:
            self._read_next = True
            QTimer.singleShot(BETWEEN_PARTS_MS, self.window, lambda: self._read_on(token))

    def _set(self, pages: dict[str, str], whole: bool, first: bool = False) -> None:
        """Fill views with the HTML *pages* (*first*: the comparison's
        first paint, laid out for the views' widths at once; a whole page
        after it as Qt lays it out, a screen at a time)."""
        for side, page in pages.items():
            view = self.views[side]
            self._place(side, text_document(page, view.font(), text_widths({side: view})[side] if first else None), whole)

    def _place(self, side: str, doc: QTextDocument, whole: bool) -> None:
        """Show *doc* in the view of *side*, keeping the place the user reads
        (the first sections are the start of the whole page: the same scroll
        position); a view filled late opens at the current change."""
        view = self.views[side]
        bar = view.verticalScrollBar()
        kept = bar.value() if side in self.head else None
        self.window._syncing = True
        try:
            # Qt deletes a replaced document only when it is its own (then at once: asked first): a page
            # of ours (the first sections' page, the last comparison's) stayed in memory for as long as the
            # window (4 MB pages, a copy of each per comparison), its layout's timer ticking on.
            replaced = view.document()
            ours = replaced is not doc and replaced.parent() is view
            doc.setParent(view)  # the view's: deleted when the next one replaces it
            _adopt(view, doc)
            if ours:
                replaced.deleteLater()
            if kept:
                bar.setValue(kept)
            elif whole and self.window.current >= 0:
                view.scrollToAnchor(f"chg-{self.window.current}")
        finally:
            self.window._syncing = False
        if whole:
            self.head.discard(side)
            self.building.discard(side)
        (self.full if whole else self.head).add(side)
