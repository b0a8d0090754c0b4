"""The live preview.

Typing never waits for it: edits are coalesced by a short timer, the
Markdown is rendered to HTML on a worker thread (only the sections that
changed are parsed again), and the UI thread puts the sections whose HTML
changed in place in the page shown (``preview_patch``: the rest of the page
and its layout stay), or, when that cannot be done, reads the whole HTML
into a new QTextDocument and swaps it into the view.  While a render runs,
newer requests replace each other, so at most one stale render is ever done.

The document is not made on the worker: PySide keeps the interpreter lock
through most Qt calls, so a worker making a document holds it while taking
Qt's own locks, and the UI thread, deleting an object (which asks Python
about it) while holding one of those locks, would wait for the worker as the
worker waits for it, for ever.  Reading the HTML of the 40,000-word
benchmark document on the UI thread stalls the window for at most 27-39 ms
per refresh (22-31 ms when the worker read it, holding the interpreter).

That reading grows with the text (0.21 s for 200,000 words, 0.9 s for
480,000), so a document whose HTML is longer than ``WINDOW_CHARS`` is
previewed a part at a time: the sections around the one the cursor is in
(``window_of``, about ``PART_CHARS`` of HTML), with a link at either end to
the sections before or after.  Moving the cursor to a section outside that
part, or following a link to one, shows the part around it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    Qt,
    QThread,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from guidelines_app.core.colours import page_css
from guidelines_app.ui import appearance, table_fit
from guidelines_app.ui.jobs import working
from guidelines_app.ui.paced_layout import pace
from guidelines_app.ui.preview_patch import SectionPatch

if TYPE_CHECKING:  # Markdown is imported by the first render, on the worker: not before the first paint
    from guidelines_app.core.markup import MarkdownRenderer


# A document's preview is shown whole up to this much HTML (about 50,000
# words; 30-40 ms to read into the view): the 40,000-word benchmark document
# is.  A longer one shows the sections around the cursor's, about PART_CHARS
# of HTML (15-20 ms).
WINDOW_CHARS = 500_000
PART_CHARS = 250_000
# The links to the sections before and after the part shown: "~" is in no heading's id.
EARLIER, LATER = "~preview-earlier", "~preview-later"


def window_of(sizes: list[int], focus: int, budget: int) -> tuple[int, int]:
    """Which chunks a long document's preview shows, as [start, end): the
    chunk *focus*, then its neighbours after and before it in turn while
    their HTML (*sizes*, in characters) fits in *budget*."""
    if sum(sizes) <= budget:
        return 0, len(sizes)
    focus = max(0, min(focus, len(sizes) - 1))
    start, end, used = focus, focus + 1, sizes[focus]
    while True:
        grew = False
        if end < len(sizes) and used + sizes[end] <= budget:
            used += sizes[end]
            end += 1
            grew = True
        if start > 0 and used + sizes[start - 1] <= budget:
            start -= 1
            used += sizes[start]
            grew = True
        if not grew:
            return start, end


def _note(note: str, target: str, link: str) -> str:
    """The paragraph at either end of a long document's part: *note* and a link to *target*."""
    return f'<p><i>{note}</i> <a href="#{target}">{link}</a></p>'


def _chunk_of_section(rendered, index: int | None) -> int | None:
    """The chunk that holds section *index* of *rendered*."""
    for n, chunk in enumerate(rendered.chunks):
        if chunk.section_index == index:
            return n
    return None


def _chunk_of_anchor(rendered, name: str) -> int | None:
    """The chunk that holds the anchor or heading id *name* (an in-document link's target)."""
    for quoted in (f'id="{name}"', f'name="{name}"'):
        for n, chunk in enumerate(rendered.chunks):
            if quoted in chunk.html:
                return n
    return None


def _scaled(css: str, factor: float) -> str:
    """*css* with its point sizes times *factor*."""
    if abs(factor - 1) < 1e-6:
        return css
    return re.sub(r"(\d+(?:\.\d+)?)pt", lambda m: f"{float(m.group(1)) * factor:.1f}pt", css)


class SafeTextDocument(QTextDocument):
    """Loads images only from local files inside the workspace; never from
    the network, whatever the document's HTML asks for."""

    def __init__(self, root: Path | None, max_width: int = 0):
        super().__init__()
        self._root = root.resolve() if root else None
        self.max_width = max_width  # pictures wider than this are shown scaled down to it
        self.picture_widths: dict[str, int] = {}  # each picture's own width, by its address

    def fits(self, width: int, slack: int = 32) -> bool:
        """True if every picture would be shown at (about) the same size
        for the text width *width* as for the one it was fitted to: a
        picture narrower than both is shown at its own width either way."""
        return all(abs(min(w, width) - min(w, self.max_width or w)) <= slack for w in self.picture_widths.values())

    def loadResource(self, kind: int, url: QUrl):
        if self._root is None or url.scheme() not in ("", "file"):
            return None
        path = Path(url.toLocalFile() or url.path())
        if not path.is_absolute():
            path = self._root / "guidelines" / path
        try:
            path = path.resolve()
            path.relative_to(self._root)
        except (OSError, ValueError):
            return None
        if kind != QTextDocument.ResourceType.ImageResource.value:
            return super().loadResource(kind, QUrl.fromLocalFile(str(path)))
        # A picture no wider than the pane: a wide one never makes the
        # preview scroll sideways.
        image = QImage(str(path))
        if image.isNull():
            return None
        self.picture_widths[url.toString()] = image.width()
        if self.max_width and image.width() > self.max_width:
            image = image.scaledToWidth(self.max_width, Qt.TransformationMode.SmoothTransformation)
        # Kept by the document: each paint would read the file again otherwise
        # (only QTextDocument's own loadResource keeps what it loads).
        self.addResource(kind, url, image)
        return image


class _RenderWorker(QObject):
    """Lives on the render thread.  Results travel through a locked slot and
    the signals carry only plain ints and strings: PySide6 has refcount bugs
    with Python objects in queued cross-thread signals."""

    done = Signal(int)
    failed = Signal(int, str)

    def __init__(self, css: str):
        super().__init__()
        self._renderer: MarkdownRenderer | None = None
        self.css = css  # read at each render: View > Appearance and View > Zoom change it
        self._lock = threading.Lock()
        self._result: tuple | None = None  # (generation, markup.Rendered, css, root, max_width)
        self.root: Path | None = None
        self.max_width = 0  # the pane's text width at the request: pictures are fitted to it

    @Slot(int, str)
    def render(self, generation: int, body: str) -> None:
        # What the document is made with, as it was when the render began (a
        # change meanwhile asks for another render, which replaces this one).
        css, root, max_width = self.css, self.root, self.max_width
        try:
            if self._renderer is None:
                from guidelines_app.core.markup import MarkdownRenderer

                self._renderer = MarkdownRenderer()
            with working():  # (the window's background layout gives way meanwhile)
                rendered = self._renderer.render(body)
            with self._lock:
                self._result = (generation, rendered, css, root, max_width)
            self.done.emit(generation)
        except Exception as exc:  # noqa: BLE001 - shown in the preview, never crashes typing
            self.failed.emit(generation, str(exc))

    def take_result(self):
        with self._lock:
            result, self._result = self._result, None
        return result


def _page(html: str, css: str, root: Path | None, max_width: int) -> SafeTextDocument:
    """On the UI thread (see the module's note): the rendered HTML as the
    preview's document."""
    doc = pace(SafeTextDocument(root, max_width))  # (a long document's part: 250,000 characters of HTML)
    doc.setUndoRedoEnabled(False)  # never edited by the user: a refresh put in place (preview_patch) keeps no undo
    doc.setDefaultStyleSheet(css)
    doc.setDocumentMargin(18)
    option = doc.defaultTextOption()
    option.setWrapMode(table_fit.WRAP)  # a word breaks only when it alone is wider than its column
    doc.setDefaultTextOption(option)
    doc.setHtml(html)
    return doc


class PreviewPane(QTextBrowser):
    rendered = Signal(object)  # markup.Rendered, after it is shown
    _request = Signal(int, str)

    def __init__(self, parent: QWidget | None = None, delay_ms: int = 300):
        super().__init__(parent)
        self.setObjectName("preview")
        self.setAccessibleName(self.tr("Preview"))
        self.setAccessibleDescription(self.tr("The document as readers will see it"))
        self.setOpenLinks(False)
        self.setWordWrapMode(table_fit.WRAP)
        self.anchorClicked.connect(self._open_link)
        css = self._base_css = page_css(appearance.current())
        self._zoom_steps = 0
        self._generation = 0
        self._busy = False
        self._pending: str | None = None
        self._shown_doc: QTextDocument | None = None
        self.last_rendered = None
        # A long document's part shown (``window_of``): the chunks [start, end), or None when
        # it is shown whole; the cursor's section (None: before the first heading), which a
        # render's part is around; and what the page of the last render was made with.
        self.shown_part: tuple[int, int] | None = None
        self._focus: int | None = None
        self._made_with: tuple | None = None
        # The render the page shows (whole, or the part ``shown_part``), and what its page
        # was made with: a refresh of it puts only its changed sections in place (``preview_patch``).
        self._shown_render = None
        self._shown_with: tuple | None = None
        self._patch = SectionPatch()
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self._start)
        # The tables fitted again once a resize pauses (meanwhile their columns scale with the pane).
        self._fit_timer = QTimer(self, singleShot=True, interval=100)
        self._fit_timer.timeout.connect(self._fit_tables)
        self._latest_body = ""
        self._body_source: Callable[[], str] | None = None
        self._thread = QThread(self)
        self._thread.setObjectName("preview-render")
        self._worker = _RenderWorker(css)
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.render)
        self._worker.done.connect(self._show)
        self._worker.failed.connect(self._show_error)
        # Started by the first render asked for (never again once shut down):
        # a pane that only shows what was rendered elsewhere (``show_rendered``)
        # never runs a thread.
        self._shut = False
        self._shows_only = False  # (``show_rendered``)
        QCoreApplication.instance().aboutToQuit.connect(self.shutdown)

    def set_page_css(self, css: str, render_again: bool = True) -> None:
        """A new style sheet (View > Appearance), at the current zoom; with
        *render_again*, the shown text is rendered again in it."""
        self._base_css = css
        css = _scaled(css, 1 + 0.1 * self._zoom_steps)
        if css == self._worker.css:
            return
        self._worker.css = css
        if render_again and self._shown_doc is not None:
            self.render_now(self._latest_body)

    def set_workspace_root(self, root: Path | None) -> None:
        self._worker.root = root

    def set_zoom(self, steps: int) -> None:
        """Text a tenth larger (or smaller) per step; shown at the next render."""
        self._zoom_steps = steps
        css = _scaled(self._base_css, 1 + 0.1 * steps)
        if css != self._worker.css:
            self._worker.css = css
            if self.last_rendered is not None or self._busy:
                self.render_now(self._latest_body)

    def set_delay(self, ms: int) -> None:
        self._timer.setInterval(ms)

    def schedule(self, body_source: Callable[[], str]) -> None:
        """Ask for a refresh after the typing pauses; the text is fetched only
        then, so a keystroke in a long document costs nothing here."""
        self._body_source = body_source
        self._timer.start()

    def render_now(self, body: str) -> None:
        self._body_source = None
        self._latest_body = body
        self._timer.stop()
        self._start()

    def is_idle(self) -> bool:
        return not self._busy and not self._timer.isActive() and self._pending is None

    def _start(self) -> None:
        if self._shows_only:
            return
        if self._body_source is not None:
            self._latest_body = self._body_source()
            self._body_source = None
        if self._busy:
            self._pending = self._latest_body
            return
        self._busy = True
        self._worker.max_width = self._text_width()
        self._generation += 1
        if not self._thread.isRunning() and not self._shut:
            self._thread.start()
        self._request.emit(self._generation, self._latest_body)

    @Slot(int)
    def _show(self, generation: int) -> None:
        result = self._worker.take_result()
        self._busy = False
        if result is None:
            return
        _generation, rendered, css, root, max_width = result
        if self._pending is not None:
            # A newer text is waiting: this result is already stale.
            self._latest_body, self._pending = self._pending, None
            self._start()
            return
        self._made_with = (css, root, max_width)
        try:
            self._display(rendered, keep_place=True)
        except Exception as exc:  # noqa: BLE001 - shown in the preview, never crashes typing
            self._show_error(generation, str(exc))
            return
        self.last_rendered = rendered
        self.rendered.emit(rendered)

    def show_rendered(self, rendered) -> None:
        """Show *rendered* (``markup.Rendered``, made on a worker elsewhere:
        an old revision's, say) as a render of this pane's is shown, from
        its top: a long text a part at a time, with links to the parts
        before and after."""
        self._made_with = (self._worker.css, self._worker.root, self._text_width())
        self._display(rendered, keep_place=False)
        self.last_rendered = rendered
        self._shows_only = True  # what it shows is not its own render: it renders nothing (a resize neither)
        self.verticalScrollBar().setValue(0)

    def _display(self, rendered, keep_place: bool, around: int | None = None) -> None:
        """Show *rendered*: all of it or, of a long document, the part
        around chunk *around* (by default the one of the cursor's section);
        with *keep_place*, the reader stays where they were."""
        css, root, max_width = self._made_with
        if keep_place and self._patched(rendered):
            return
        html, part = self._html_of(rendered, around)
        doc = _page(html, css, root, max_width)
        self._patch.forget()
        self._shown_render, self._shown_with = rendered, self._made_with
        self.shown_part = part
        bar = self.verticalScrollBar()
        value = bar.value()
        doc.setParent(self)
        old = self._shown_doc
        self._fit_tables(doc)
        self.setDocument(doc)
        self._shown_doc = doc
        if old is not None:
            old.deleteLater()
        if keep_place:
            bar.setValue(min(value, bar.maximum()))  # keep the reader where they were

    def _patched(self, rendered) -> bool:
        """Whether *rendered*, a refresh of the render the page shows (whole,
        or the same part of it), was put in place section by section
        (``preview_patch``)."""
        shown, doc, part = self._shown_render, self._shown_doc, self.shown_part
        if shown is None or doc is None or self.document() is not doc or self._shown_with != self._made_with:
            return False
        if doc.picture_widths:
            return False  # read again at each refresh, as a picture changed on disk shows (and fitted to the width)
        if self._part_of(rendered, None) != part:
            return False  # shown whole now, or another part
        old, new, lead, tail = shown.chunks, rendered.chunks, False, False
        if part is not None:
            if len(old) != len(new):
                return False
            start, end = part
            old, new, lead, tail = old[start:end], new[start:end], start > 0, end < len(new)
        css, root, max_width = self._made_with
        if not self._patch.apply(doc, old, new, lambda html: _page(html, css, root, max_width), lead, tail):
            return False
        self._shown_render = rendered
        self._fit_tables(doc, new_only=True)  # the tables of the sections put in place
        return True

    def setPlainText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self._shown_render = None  # the page holds something else now: the next refresh is read whole
        super().setPlainText(text)

    def setHtml(self, html: str) -> None:  # noqa: N802 - Qt's name
        self._shown_render = None
        super().setHtml(html)

    def clear(self) -> None:
        self._shown_render = None
        super().clear()

    def _html_of(self, rendered, around: int | None) -> tuple[str, tuple[int, int] | None]:
        """The HTML the view shows of *rendered* and the part it is (None:
        the whole document); see ``_display``."""
        part = self._part_of(rendered, around)
        if part is None:
            return rendered.html, None
        chunks, (start, end) = rendered.chunks, part
        parts = [chunk.html for chunk in chunks[start:end]]
        note = self.tr("This long document is previewed a part at a time.")
        if start > 0:
            parts.insert(0, _note(note, EARLIER, self.tr("Show the sections before")))
        if end < len(chunks):
            parts.append(_note(note, LATER, self.tr("Show the sections after")))
        return "\n".join(parts), (start, end)

    def _part_of(self, rendered, around: int | None) -> tuple[int, int] | None:
        """The chunks [start, end) of *rendered* the view shows around chunk
        *around* (by default the cursor's section's), or None: all of it."""
        sizes = [len(chunk.html) for chunk in rendered.chunks]
        if sum(sizes) <= WINDOW_CHARS:
            return None
        if around is None:
            around = _chunk_of_section(rendered, self._focus) or 0
        return window_of(sizes, around, min(PART_CHARS, WINDOW_CHARS))

    def _show_part_with(self, chunk: int) -> bool:
        """Show the part around *chunk* of a long document, unless it is
        shown already: whether the view shows another part now."""
        start, end = self.shown_part
        if start <= chunk < end:
            return False
        try:
            self._display(self.last_rendered, keep_place=False, around=chunk)
        except Exception as exc:  # noqa: BLE001 - shown in the preview, never crashes typing
            self._failed(str(exc))
            return False
        return True

    def _failed(self, message: str) -> None:
        self.shown_part = None  # nothing of a render is shown: no part to move to
        self.setPlainText(f"The preview could not be shown: {message}")

    @Slot(int, str)
    def _show_error(self, generation: int, message: str) -> None:
        self._busy = False
        self._failed(message)
        if self._pending is not None:
            self._latest_body, self._pending = self._pending, None
            self._start()

    def _text_width(self) -> int:
        """The width pictures are fitted to: the page less its margins."""
        return max(64, self.viewport().width() - 2 * 18 - 8)

    def _fit_tables(self, doc: QTextDocument | None = None, new_only: bool = False) -> None:
        """The page's tables fitted to the pane's width (``table_fit``: 25 ms
        for the 48 tables of a 40,000-word policy)."""
        doc = doc or self._shown_doc
        if doc is not None:
            table_fit.fit_tables(doc, table_fit.page_width(self, doc), new_only)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self._shown_doc is not None and event.size().width() != event.oldSize().width():
            self._fit_timer.start()
        # Rendered again only for a picture that no longer fits (or could be
        # shown larger): a text without one is only laid out again, by Qt.
        shown = self._shown_doc
        if shown is not None and shown.picture_widths and not shown.fits(self._text_width()):
            self.schedule(lambda: self._latest_body)  # fit the pictures to the new width

    def show_section(self, index: int | None) -> None:
        """Scroll to section *index* (None: the text before the first
        heading), the section the cursor is in; of a long document, show
        the part that holds it first, unless a render on its way will
        (it shows the part around this section)."""
        from guidelines_app.core.markup import section_anchor

        self._focus = index
        if self.shown_part is not None and self.last_rendered is not None and self.is_idle():
            chunk = _chunk_of_section(self.last_rendered, index)
            if chunk is not None:
                self._show_part_with(chunk)
        if index is None:
            self.verticalScrollBar().setValue(0)
        else:
            self.scrollToAnchor(section_anchor(index))

    def _open_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment() and not url.path():
            self.go_to_anchor(url.fragment())

    def go_to_anchor(self, name: str) -> None:
        """Scroll to the in-document link target *name*; of a long
        document, show the part that holds it first (``EARLIER`` and
        ``LATER``: the sections before or after the part shown)."""
        if self.shown_part is not None and self.last_rendered is not None:
            start, end = self.shown_part
            if name in (EARLIER, LATER):
                chunk = start - 1 if name == EARLIER else end
                if self._show_part_with(chunk):
                    self._scroll_to_chunk(chunk)
                return
            chunk = _chunk_of_anchor(self.last_rendered, name)
            if chunk is not None:
                self._show_part_with(chunk)
        self.scrollToAnchor(name)

    def _scroll_to_chunk(self, chunk: int) -> None:
        from guidelines_app.core.markup import section_anchor

        index = self.last_rendered.chunks[chunk].section_index
        if index is not None:
            self.scrollToAnchor(section_anchor(index))

    def shutdown(self) -> None:
        self._shut = True
        self._timer.stop()
        self._thread.quit()
        self._thread.wait(5000)
