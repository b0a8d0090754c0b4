"""The Compare window's three views (the two columns of the side-by-side
layout and the inline view), filled in the order the user sees them.

What the first screen needs is worked out on one worker by the Qt-free
``review.compare_first``; the UI thread makes its first sections' pages
text documents, laid out for the views (``text_document``), and puts them
in place.  Once that is painted, the whole pages, of every layout, are
written on a worker (``build_pages``: the HTML) and made text documents on
the UI thread, one view per event-loop turn, replacing the first sections
where the user is reading; a view needed at once (a change to go to, the
other layout) is built on the spot if the worker has not delivered it yet.

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
from PySide6.QtGui import QFont, QFontMetrics, QTextDocument
from PySide6.QtWidgets import QStyle

from guidelines_app.core.colours import LIGHT
from guidelines_app.review import compare_first
from guidelines_app.review.compare_first import Screen
from guidelines_app.ui.paced_layout import pace

# The views each layout shows (the index of the layout box): side by side
# shows the two columns, inline one view.
MODE_SIDES = (("old", "new"), ("inline",))
ALL_SIDES = MODE_SIDES[0] + MODE_SIDES[1]
_CSS = "h1,h2,h3,h4,h5,h6 { margin-top: 10px; } p { margin: 4px 0; }"
# When the window is not painted (hidden behind others, say), the work that
# waits for its first paint starts after this long all the same.
PAINT_WAIT_MS = 300
# Between two whole pages made views: a timer of its own (0 ms would be a posted
# call, run before the keys and timers due, so two pages of a 4 MB document,
# 0.12-0.14 s each, held the window as one).
BETWEEN_VIEWS_MS = 10


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
    doc = pace(QTextDocument())  # (a long policy's page is laid out in the background, paced)
    doc.setUndoRedoEnabled(False)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(_CSS)
    doc.setHtml(html)
    if width:
        doc.setTextWidth(width)
        doc.size()  # laid out here
    return doc


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
        self.building: set[str] = set()  # views whose whole pages a worker is building
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
        HTML on a worker, then a view per event-loop turn."""
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
        self._keys, self.building = set(), set()

    def clear(self) -> None:
        """The window is closed: its views let their pages go."""
        self.drop()
        self.result, self.full, self.head = None, set(), set()
        for view in self.views.values():
            view.clear()

    def ensure(self, sides) -> None:
        """The whole pages of *sides*, built now if the worker has not
        delivered them yet (it skips what is shown by then)."""
        missing = [side for side in sides if side not in self.full]
        if missing and self.result is not None:
            self._set(compare_first.render_pages(self.result, missing, self.colours, self.changes_only), True)

    def _not_built(self, sides: tuple[str, ...], token) -> None:
        """The worker could not write *sides*: built on the spot when asked
        (``ensure``), or by the next ``build_rest``."""
        self._keys.discard(("pages", sides))
        if token is self._built_for:
            self.building.difference_update(sides)

    def _on_built(self, pages: dict[str, str], sides: tuple[str, ...], token) -> None:
        """The whole pages' HTML: a view made and shown per event-loop turn
        (reading one is tens of milliseconds for a long policy)."""
        self._keys.discard(("pages", sides))
        waiting = list(pages.items())

        def next_view() -> None:
            if token is not self._built_for:
                return  # a newer comparison (or none) is shown now
            while waiting:
                side, html = waiting.pop(0)
                self.building.discard(side)
                if side not in self.full:  # (not built on the spot meanwhile)
                    self._set({side: html}, True)
                    break
            if waiting:
                QTimer.singleShot(BETWEEN_VIEWS_MS, self.window, next_view)
            else:
                self.building.difference_update(sides)

        next_view()

    def _set(self, pages: dict[str, str], whole: bool, first: bool = False) -> None:
        """Fill views with the HTML *pages* (*first*: the comparison's first
        paint); each keeps the place the
        user reads (the first sections are the start of the whole page: the
        same scroll position), and a view filled late opens at the current
        change."""
        current = self.window.current
        self.window._syncing = True
        try:
            for side, page in pages.items():
                view = self.views[side]
                bar = view.verticalScrollBar()
                kept = bar.value() if side in self.head else None
                # The first paint laid out for the view's width at once; a
                # whole page after it as Qt lays it out, a screen at a time.
                doc = text_document(page, view.font(), text_widths({side: view})[side] if first else None)
                doc.setParent(view)  # the view's: deleted when the next one replaces it
                _adopt(view, doc)
                if kept:
                    bar.setValue(kept)
                elif whole and current >= 0:
                    view.scrollToAnchor(f"chg-{current}")
                (self.full if whole else self.head).add(side)
                if whole:
                    self.head.discard(side)
        finally:
            self.window._syncing = False
