"""The Compare window's three views (the two columns of the side-by-side
layout and the inline view), filled in the order the user sees them.

Building a long policy's redline HTML, and laying it out in a view, takes far
longer than the comparison itself, so the first paint shows only the layout
that is selected, and of it only the first sections (a few screens: the
window opens at the top).  Once that is painted, the whole pages, of every
layout, are built on a worker (the HTML and the text documents holding it:
reading 700 kB of HTML into a view froze the window for a quarter of a
second per view) and replace the first sections where the user is reading;
a view needed at once (a change to go to, the other layout) is built on the
spot if the worker has not delivered it yet.

Also here, what the first screen needs, all worked out on one worker
(``compare``): both texts, the comparison, the names of the two versions
(without reading the history), the first sections' HTML, the verdict and the
list of changed sections; the UI thread only puts them in place.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import QStyle

from guidelines_app.core import md_refs
from guidelines_app.core.colours import LIGHT
from guidelines_app.core.gitbatch import ObjectReader
from guidelines_app.core.gitstore import GitStore
from guidelines_app.core.workspace import Workspace
from guidelines_app.review import blame, history, redline
from guidelines_app.review import diff as diffmod
from guidelines_app.review.revisions import read_texts

# The views each layout shows (the index of the layout box): side by side
# shows the two columns, inline one view.
MODE_SIDES = (("old", "new"), ("inline",))
ALL_SIDES = MODE_SIDES[0] + MODE_SIDES[1]
HEAD_BLOCKS = 24  # about the blocks of the first screens: what the first paint shows
_CSS = "h1,h2,h3,h4,h5,h6 { margin-top: 10px; } p { margin: 4px 0; }"
# When the window is not painted (hidden behind others, say), the work that
# waits for its first paint starts after this long all the same.
PAINT_WAIT_MS = 300


def render_pages(result, sides, colours=LIGHT) -> dict[str, str]:
    """The HTML of the views *sides* of the comparison *result*."""
    return {side: redline.render_html_fragment(result, side=side, qt=True, colours=colours) for side in sides}


def build_documents(result, sides, colours, font: QFont, wanted=lambda: True) -> dict[str, QTextDocument]:
    """On a worker: the views *sides* as text documents, ready to be shown
    (handed to the UI thread, which only has to lay out what it paints).
    Stops early (the worker is soon free) once *wanted()* is false."""
    return text_documents(render_pages(result, sides, colours), font, wanted)


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


def for_pages(result):
    """*result* as the views need it: of the two texts, only their link
    reference definitions (all a redline reads of them: it looked for them
    in both whole texts again for every view it built, about 3 ms each)."""
    old = _definitions(result.old_body)
    new = old if result.new_body == result.old_body else _definitions(result.new_body)  # the same body (details changed): read once
    return dataclasses.replace(result, old_body=old, new_body=new)


def _definitions(body: str) -> str:
    if "]:" not in body:  # no definition ("[label]: url") at all: one scan of C instead of a regex per line
        return ""
    return "\n".join(f"[{label}]: {url}" for label, url in md_refs.reference_definitions(body).items())


def head_of(result):
    """(the first sections of *result*, a few screens' worth; whether that is
    all of it).  The rows are the same objects, so the change anchors and the
    shown text of these sections are those of the whole page."""
    blocks = 0
    for n, row in enumerate(result.rows, 1):
        blocks += len(row.blocks) + 1
        if blocks >= HEAD_BLOCKS and n < len(result.rows):
            return dataclasses.replace(result, rows=result.rows[:n]), False
    return result, True


# ---- on a worker: what the first screen shows -----------------------------------

UNSAVED = "\x00unsaved"  # the editor's text, saved or not


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a revision the user can name, or the editor."""

    revision: str  # commit id, history.WORKING, or UNSAVED
    label: str | None = None  # None: read with the comparison (revision_label)


def entry_label(e: history.HistoryEntry) -> str:
    """How a revision of the history is named in the version boxes."""
    v = f"{e.version_label} · " if e.versions else ""
    return f"{v}{e.revision.date.strftime('%Y-%m-%d %H:%M')} · {e.revision.author} · {e.revision.subject[:50]}"


def _versions(ws: Workspace, slug: str) -> dict[str, list[str]]:
    """{commit: its published versions, in order}."""
    versions: dict[str, list[str]] = {}
    for pub in history.publications(ws, slug):
        versions.setdefault(pub.commit, []).append(str(pub.version))
    return versions


def newest_entries(ws: Workspace, slug: str, count: int, versions=None) -> list[history.HistoryEntry]:
    """The document's newest *count* revisions as the version boxes name
    them (``entry_label``: no statuses), without reading the whole history;
    *versions*: ``_versions``, when the comparison has read them."""
    versions = _versions(ws, slug) if versions is None else versions
    return [history.HistoryEntry(rev, versions.get(rev.sha, [])) for rev in ws.history(slug, max_count=count)]


class _Beside:
    """*func(ws)* on a thread of its own with a Workspace of its own (one git
    store per thread; the worker's Workspace.open has tidied the folder):
    its git processes run while the worker's Python does.  ``ready`` is set
    once the thread is about to ask git (a worker that waits for it before
    its own long Python work lets the thread get that far at once, not a
    thread switch later); ``result()`` waits and gives *func*'s value, or
    raises its error."""

    def __init__(self, root, func, name: str):
        self.ready = threading.Event()
        self._box: dict = {}
        self._thread = threading.Thread(target=self._run, args=(root, func), name=name, daemon=True)
        self._thread.start()

    def _run(self, root, func) -> None:
        try:
            with Workspace(GitStore(root)) as ws:
                self.ready.set()
                self._box["value"] = func(ws)
        except BaseException as exc:  # noqa: BLE001 - raised again by result()
            self._box["error"] = exc
        finally:
            self.ready.set()

    def result(self):
        self._thread.join()
        if "error" in self._box:
            raise self._box["error"]
        return self._box["value"]


@dataclass
class Computed:
    """A comparison as the window shows it, worked out on a worker."""

    result: diffmod.DocumentDiff
    labels: redline.Labels
    pages: dict  # the first sections of the layout shown first (all of it when complete): HTML or QTextDocument
    complete: bool
    new_text: str
    verdict: str
    changes: list[diffmod.ChangeRef]
    sections: list[tuple[str, int, int | None]]  # the changed sections' list: (text, first change, row)
    paged: diffmod.DocumentDiff  # the comparison as the views need it (for_pages)
    versions: dict[str, list[str]] | None = None  # the published versions by commit, when read for the names
    # Who made the changes (blame.change_authors): None when not looked up,
    # the answer when known at once, else the lookup, *authors(ws)*.
    authors: dict | Callable[[Workspace], dict] | None = None


def _sections(result: diffmod.DocumentDiff, changes: list[diffmod.ChangeRef]) -> list[tuple[str, int, int | None]]:
    first_change: dict[int, int] = {}
    for c in changes:
        first_change.setdefault(c.row, c.index)
    items = [(f"{'  ' * max(row.level - 1, 0)}{redline.label_text(row)} — {row.kind}", first_change.get(i, -1), i)
             for i, row in enumerate(result.rows) if row.changed]
    if result.meta_changes:
        items.insert(0, ("Document details — " + ", ".join(k.replace("_", " ") for k, _, _ in result.meta_changes), -1, None))
    return items


def compare(ws: Workspace, slug: str, old: Side, new: Side, unsaved_text: str | None, author: str, colours=LIGHT,
            sides=ALL_SIDES, reader: ObjectReader | None = None, font: QFont | None = None, widths=None,
            authors: tuple[str, str] | None = None) -> Computed:
    """On a worker: the comparison, the first sections of the views *sides*
    (the layout shown first; the rest is built after the first paint: for a
    long policy building it takes longer than the comparison), as text
    documents ready to show when *font* (the views' font) is given (laid out
    for the views' *widths*), else as HTML, and everything else the first screen shows.  Both texts and the
    revisions to name are one request to *reader* (a ``git cat-file`` kept
    running); the published versions, for those names, are read beside them.
    With *authors* (the old revision and the new one, or ``WORKING`` for
    *unsaved_text*), the lookup of who made the changes, for the text
    compared and the ids read (nothing to look up: the answer)."""
    unnamed = [side.revision for side in (old, new) if side.label is None]  # full commit ids
    versions = _Beside(ws.root, lambda ws: _versions(ws, slug), "compare-versions") if unnamed else None
    commits = [side.revision for side in (old, new) if side.revision not in (UNSAVED, history.WORKING)]
    texts, revisions = read_texts(ws, slug, list(dict.fromkeys(commits)), list(dict.fromkeys(unnamed)), reader)
    for side in (old, new):
        if side.revision == UNSAVED:
            texts[side.revision] = unsaved_text or ""
        elif side.revision == history.WORKING:
            texts[side.revision] = history.text_at(ws, slug, side.revision)
    old_text, new_text = texts[old.revision], texts[new.revision]
    if versions is not None:
        versions.ready.wait(0.1)
    title = ws.saved_title(slug)
    result = diffmod.diff_texts(old_text, new_text)
    found = None
    if authors is not None and result.has_changes:
        found = {} if not any(row.changed for row in result.rows) else (
            lambda ws: blame.change_authors(ws, slug, result, *authors, new_text, resolved=True))
    paged = for_pages(result)
    head, complete = head_of(paged)
    changes = result.changes()
    pages = render_pages(head, sides, colours)
    if font is not None:
        pages = text_documents(pages, font, widths=widths)
    verdict, sections = result.verdict(), _sections(result, changes)
    versions = versions.result() if versions is not None else None  # last: git had all that time
    names = [side.label if side.label is not None
             else entry_label(history.HistoryEntry(revisions[side.revision], versions.get(side.revision, [])))
             for side in (old, new)]
    labels = redline.Labels(title, *names, author)
    return Computed(result, labels, pages, complete, new_text, verdict, changes, sections, paged, versions, found)


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
            self._set(render_pages(self.result, missing, self.colours), True)

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
