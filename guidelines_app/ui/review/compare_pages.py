"""The Compare window's three views (the two columns of the side-by-side
layout and the inline view), filled in the order the user sees them.

What the first screen needs is worked out on one worker by the Qt-free
``review.compare_first`` (its first sections' pages made text documents
here, laid out for the views, ``first_documents``); the UI thread only puts
them in place.  Once that is painted, the whole pages, of every layout, are
built on a worker (the HTML and the text documents holding it: reading 700
kB of HTML into a view froze the window for a quarter of a second per view)
and replace the first sections where the user is reading; a view needed at
once (a change to go to, the other layout) is built on the spot if the
worker has not delivered it yet.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QTextDocument
from PySide6.QtWidgets import QStyle

from guidelines_app.core.colours import LIGHT
from guidelines_app.review import compare_first
from guidelines_app.review.compare_first import Screen

# The views each layout shows (the index of the layout box): side by side
# shows the two columns, inline one view.
MODE_SIDES = (("old", "new"), ("inline",))
ALL_SIDES = MODE_SIDES[0] + MODE_SIDES[1]
_CSS = "h1,h2,h3,h4,h5,h6 { margin-top: 10px; } p { margin: 4px 0; }"
# When the window is not painted (hidden behind others, say), the work that
# waits for its first paint starts after this long all the same.
PAINT_WAIT_MS = 300


def build_documents(result, sides, colours, font: QFont, wanted=lambda: True) -> dict[str, QTextDocument]:
    """On a worker: the views *sides* as text documents, ready to be shown
    (handed to the UI thread, which only has to lay out what it paints).
    Stops early (the worker is soon free) once *wanted()* is false."""
    return text_documents(compare_first.render_pages(result, sides, colours), font, wanted)


def text_documents(pages: dict[str, str], font: QFont, wanted=lambda: True, widths=None) -> dict[str, QTextDocument]:
    """On a worker: the HTML *pages* as text documents for the UI thread,
    each laid out for its view's text width when *widths* has it (the view
    then only places it: laying a page out the first time, fonts looked up,
    is most of what showing it costs)."""
    ui_thread = QCoreApplication.instance().thread()
    documents = {}
    for side, html in pages.items():
        if not wanted():
            break
        doc = QTextDocument()
        doc.setUndoRedoEnabled(False)
        doc.setDefaultFont(font)
        doc.setDefaultStyleSheet(_CSS)
        doc.setHtml(html)
        if widths and side in widths:
            doc.setTextWidth(widths[side])
            doc.size()  # laid out here
        doc.moveToThread(ui_thread)
        documents[side] = doc
    return documents


def first_documents(font: QFont, widths: dict[str, int]):
    """``compare_first.compare``'s *documents*: the first sections' pages
    as text documents in the views' *font*, laid out for their *widths*."""
    return lambda pages: text_documents(pages, font, widths=widths)


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
        self._built_for = object()  # the pages being built are for this one (see drop)
        self.building: set[str] = set()  # views whose whole pages a worker is building
        self._keys: set = set()  # the keys of those jobs

    def show_first(self, result, pages: dict[str, str], complete: bool, colours) -> None:
        """A new comparison: *pages* (the selected layout's first sections,
        or all of it when *complete*) now; ``build_rest`` builds the rest."""
        self.drop()
        self.result, self.colours = result, colours
        self.full, self.head = set(), set()
        for side, view in self.views.items():
            if side not in pages:
                view.clear()  # no view keeps an earlier comparison
        self._set(pages, complete)

    def build_rest(self, sides=ALL_SIDES) -> None:
        """The whole pages of *sides* not shown (or being built) yet, on a worker."""
        rest = tuple(side for side in sides if side not in self.full and side not in self.building)
        if rest and self.result is not None:
            result, colours, font, token = self.result, self.colours, QFont(self.views[rest[0]].font()), self._built_for
            self.building.update(rest)
            self._keys.add(("pages", rest))
            self.window.jobs.run(lambda: build_documents(result, rest, colours, font, lambda: token is self._built_for),
                                 lambda documents: self._on_built(documents, rest), key=("pages", rest))

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
            self._set(compare_first.render_pages(self.result, missing, self.colours), True)

    def _on_built(self, documents: dict[str, QTextDocument], sides: tuple[str, ...]) -> None:
        self.building.difference_update(sides)
        self._keys.discard(("pages", sides))
        self._set({side: doc for side, doc in documents.items() if side not in self.full}, True)
        for doc in documents.values():
            if doc.parent() is None:  # not shown (built on the spot meanwhile)
                doc.deleteLater()

    def _set(self, pages: dict, whole: bool) -> None:
        """Fill views with HTML or built documents; each keeps the place the
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
                if isinstance(page, str):
                    view.document().setDefaultStyleSheet(_CSS)
                    view.setHtml(page)
                else:
                    page.setParent(view)  # the view's: deleted when the next one replaces it
                    _adopt(view, page)
                if kept:
                    bar.setValue(kept)
                elif whole and current >= 0:
                    view.scrollToAnchor(f"chg-{current}")
                (self.full if whole else self.head).add(side)
                if whole:
                    self.head.discard(side)
        finally:
            self.window._syncing = False
