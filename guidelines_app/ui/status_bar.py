"""The status bar's permanent labels: the document's status and version,
saved or not, when and by whom it was last saved, and its word count."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.wording import plural, when
from guidelines_app.ui.fill import fill

translate = QCoreApplication.translate


class DocumentStatus:
    def __init__(self, bar: QStatusBar):
        self.bar = bar
        self.words_label = QLabel()
        self.state_label = QLabel()
        self.revision_label = QLabel()
        self.status_label = QLabel()
        for label in (self.status_label, self.state_label, self.revision_label, self.words_label):
            label.setContentsMargins(10, 0, 10, 0)
            bar.addPermanentWidget(label)

    def add_indicator(self, widget: QWidget) -> None:
        """A feature's own permanent indicator (team sync: what is left to
        send and bring in), placed left of the document's labels."""
        widget.setContentsMargins(10, 0, 10, 0)
        self.bar.insertPermanentWidget(0, widget)

    def show_saved_state(self, has_document: bool, modified: bool) -> None:
        # Saved: the revision label says when and by whom; only what is not
        # saved needs a word of its own.
        self.state_label.setText(translate("Status", "Unsaved changes") if modified else "")

    def show_words(self, count: int) -> None:
        self.words_label.setText(plural(count, "word"))

    def show_document(self, ws, slug: str | None, doc) -> None:
        """Status, version and latest revision of *doc* (None: blank)."""
        if doc is None:
            for label in (self.revision_label, self.words_label, self.status_label):
                label.setText("")
            return
        try:
            revisions = ws.history(slug, max_count=1) if ws.exists(slug) else []
        except GuidelinesError as exc:  # a damaged history: the text is still there to read and edit
            self.revision_label.setText(translate("Status", "History unreadable"))
            self.revision_label.setToolTip(str(exc))
            revisions = None
        if revisions is None:
            pass
        elif revisions:
            r = revisions[0]
            # When and by whom, as a person says it; the revision id is for
            # those who look for it (the tooltip).
            self.revision_label.setText(saved_text(r.date, r.author))
            self.revision_label.setToolTip(fill(translate("Status", "%1\nRevision %2"), r.subject, r.short))
        else:
            self.revision_label.setText(translate("Status", "Not saved yet"))
            self.revision_label.setToolTip("")
        status = doc.status.capitalize()
        self.status_label.setText(fill(translate("Status", "%1 · version %2"), status, doc.version) if doc.version else status)


def saved_text(moment, author: str, now=None) -> str:
    """"Saved today 06:17 by Dana Reviewer"."""
    if author:
        return fill(translate("Status", "Saved %1 by %2"), when(moment, now), author)
    return fill(translate("Status", "Saved %1"), when(moment, now))
