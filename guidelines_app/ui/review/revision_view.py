"""An old revision, read-only: formatted and as Markdown, with Restore and
Compare with current.

The Markdown shows at once; the formatted page of a long policy (tens of
thousands of words: a tenth of a second to render) is rendered on a worker
and shown when it is ready by a preview pane (``ui.preview``), as the
preview shows the document: read into the view on the UI thread (see
``compare_pages``), and a long text (over ``preview.WINDOW_CHARS`` of HTML)
a part at a time, with links to the parts before and after; read whole,
the 4 MB revision held the window 2 s.  A very large revision (as a very
large document: ``ui.large_document``) is shown as Markdown only, put in a
slice per event-loop turn: its formatted page would hold the window for
minutes (a 20 MB text: 75 s).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
)

from guidelines_app.core.document import Document
from guidelines_app.review.compare_first import UNSAVED
from guidelines_app.ui.fill import fill
from guidelines_app.ui.jobs import Jobs
from guidelines_app.ui.large_document import fill_in_slices, is_large_text, is_long
from guidelines_app.ui.preview import PreviewPane

if TYPE_CHECKING:
    from guidelines_app.ui.review.feature import HistoryFeature


def _formatted(text: str):
    """On a worker: the revision as readers see it (``markup.Rendered``)."""
    from guidelines_app.core.markup import MarkdownRenderer

    return MarkdownRenderer(cache_size=0).render(Document.parse(text).body)


class RevisionView(QDialog):
    """Non-modal; the buttons call back into the History feature."""

    formatted = Signal()  # the formatted page is shown
    filled = Signal()  # the Markdown of a long (or very large) revision is all in

    def __init__(self, feature: HistoryFeature, sha: str, label: str, text: str):
        super().__init__(feature.window)
        self.setObjectName("revision-view")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # closed, its text goes (a very large one too)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle(fill(self.tr("Revision %1 (read-only)"), label))
        self.resize(900, 700)
        tabs = self.tabs = QTabWidget()
        rendered = PreviewPane(self)  # the preview's page: pictures, links, a long text a part at a time
        rendered.setAccessibleName(self.tr("Formatted revision"))
        rendered.setAccessibleDescription(self.tr("The old revision as readers saw it"))
        rendered.set_workspace_root(feature.window.ws.root)
        rendered.setPlainText(self.tr("Formatting…"))
        self.rendered = rendered
        large = is_large_text(text)
        long = large or is_long(len(text))  # its Markdown put in a slice per turn too
        raw = QPlainTextEdit("" if long else text)
        raw.setReadOnly(True)
        self.raw = raw
        tabs.addTab(rendered, self.tr("Formatted"))
        tabs.addTab(raw, self.tr("Markdown"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        restore = buttons.addButton(self.tr("Restore This Revision…"), QDialogButtonBox.ButtonRole.ActionRole)
        compare = buttons.addButton(self.tr("Compare with Current"), QDialogButtonBox.ButtonRole.ActionRole)
        restore.clicked.connect(lambda: (self.close(), feature.restore(sha)))
        compare.clicked.connect(lambda: feature.open_compare(sha, UNSAVED))
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(fill(self.tr("<b>%1</b> — this is an old revision; edits here are not possible."), label)))
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
        self.jobs = Jobs(self)
        if long:
            fill_in_slices(raw, text, self.filled.emit)
        if large:
            rendered.setPlainText(self.tr("This revision is very large: it is shown as Markdown only, "
                                          "so that the window keeps responding."))
            tabs.setCurrentWidget(raw)
            return
        self.jobs.run(lambda: _formatted(text), self._show_formatted,
                      lambda message, _technical: rendered.setPlainText(fill(self.tr("Cannot show it formatted: %1"), message)))

    def _show_formatted(self, rendered) -> None:
        self.rendered.show_rendered(rendered)
        self.formatted.emit()
