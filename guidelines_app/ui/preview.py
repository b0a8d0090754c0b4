"""The live preview.

Typing never waits for it: edits are coalesced by a short timer, the
Markdown is rendered to HTML on a worker thread (only the sections that
changed are parsed again), and the UI thread reads that HTML into a new
QTextDocument and swaps it into the view.  While a render runs, newer
requests replace each other, so at most one stale render is ever done.

The document is not made on the worker: PySide keeps the interpreter lock
through most Qt calls, so a worker making a document holds it while taking
Qt's own locks, and the UI thread, deleting an object (which asks Python
about it) while holding one of those locks, would wait for the worker as the
worker waits for it, for ever.  Reading the HTML of the 40,000-word
benchmark document on the UI thread stalls the window for at most 27-39 ms
per refresh (22-31 ms when the worker read it, holding the interpreter).
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
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument, QTextOption
from PySide6.QtWidgets import QTextBrowser, QWidget

from guidelines_app.core.colours import page_css
from guidelines_app.ui import appearance

if TYPE_CHECKING:  # Markdown is imported by the first render, on the worker: not before the first paint
    from guidelines_app.core.markup import MarkdownRenderer


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


def _page(rendered, css: str, root: Path | None, max_width: int) -> SafeTextDocument:
    """On the UI thread (see the module's note): the rendered HTML as the
    preview's document."""
    doc = SafeTextDocument(root, max_width)
    doc.setDefaultStyleSheet(css)
    doc.setDocumentMargin(18)
    option = doc.defaultTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)  # table cells never break words
    doc.setDefaultTextOption(option)
    doc.setHtml(rendered.html)
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
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)  # see _RenderWorker.render
        self.anchorClicked.connect(self._open_link)
        css = self._base_css = page_css(appearance.current())
        self._zoom_steps = 0
        self._generation = 0
        self._busy = False
        self._pending: str | None = None
        self._shown_doc: QTextDocument | None = None
        self.last_rendered = None
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self._start)
        self._latest_body = ""
        self._body_source: Callable[[], str] | None = None
        self._thread = QThread(self)
        self._thread.setObjectName("preview-render")
        self._worker = _RenderWorker(css)
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.render)
        self._worker.done.connect(self._show)
        self._worker.failed.connect(self._show_error)
        self._thread.start()
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
        if self._body_source is not None:
            self._latest_body = self._body_source()
            self._body_source = None
        if self._busy:
            self._pending = self._latest_body
            return
        self._busy = True
        self._worker.max_width = self._text_width()
        self._generation += 1
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
        try:
            doc = _page(rendered, css, root, max_width)
        except Exception as exc:  # noqa: BLE001 - shown in the preview, never crashes typing
            self._show_error(generation, str(exc))
            return
        bar = self.verticalScrollBar()
        value = bar.value()
        doc.setParent(self)
        old = self._shown_doc
        self.setDocument(doc)
        self._shown_doc = doc
        if old is not None:
            old.deleteLater()
        bar.setValue(min(value, bar.maximum()))  # keep the reader where they were
        self.last_rendered = rendered
        self.rendered.emit(rendered)

    @Slot(int, str)
    def _show_error(self, generation: int, message: str) -> None:
        self._busy = False
        self.setPlainText(f"The preview could not be shown: {message}")
        if self._pending is not None:
            self._latest_body, self._pending = self._pending, None
            self._start()

    def _text_width(self) -> int:
        """The width pictures are fitted to: the page less its margins."""
        return max(64, self.viewport().width() - 2 * 18 - 8)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        # Rendered again only for a picture that no longer fits (or could be
        # shown larger): a text without one is only laid out again, by Qt.
        shown = self._shown_doc
        if shown is not None and shown.picture_widths and not shown.fits(self._text_width()):
            self.schedule(lambda: self._latest_body)  # fit the pictures to the new width

    def show_section(self, index: int) -> None:
        from guidelines_app.core.markup import section_anchor

        self.scrollToAnchor(section_anchor(index))

    def _open_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment() and not url.path():
            self.scrollToAnchor(url.fragment())

    def shutdown(self) -> None:
        self._timer.stop()
        self._thread.quit()
        self._thread.wait(5000)
