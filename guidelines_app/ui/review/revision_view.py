"""An old revision, read-only: formatted and as Markdown, with Restore and
Compare with current."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
)

from guidelines_app.core.document import Document
from guidelines_app.core.markup import render_html
from guidelines_app.ui.fill import fill
from guidelines_app.ui.review.compare_pages import UNSAVED

if TYPE_CHECKING:
    from guidelines_app.ui.review.feature import HistoryFeature


class RevisionView(QDialog):
    """Non-modal; the buttons call back into the History feature."""

    def __init__(self, feature: HistoryFeature, sha: str, label: str, text: str):
        super().__init__(feature.window)
        self.setObjectName("revision-view")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle(fill(self.tr("Revision %1 (read-only)"), label))
        self.resize(900, 700)
        tabs = QTabWidget()
        body = Document.parse(text).body
        rendered = QTextBrowser()
        rendered.setOpenLinks(False)
        rendered.setHtml(render_html(body))
        raw = QPlainTextEdit(text)
        raw.setReadOnly(True)
        self.raw = raw
        tabs.addTab(rendered, self.tr("Formatted"))
        tabs.addTab(raw, self.tr("Markdown"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        restore = buttons.addButton(self.tr("Restore this revision…"), QDialogButtonBox.ButtonRole.ActionRole)
        compare = buttons.addButton(self.tr("Compare with current"), QDialogButtonBox.ButtonRole.ActionRole)
        restore.clicked.connect(lambda: (self.close(), feature.restore(sha)))
        compare.clicked.connect(lambda: feature.open_compare(sha, UNSAVED))
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(fill(self.tr("<b>%1</b> — this is an old revision; edits here are not possible."), label)))
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
