"""The status bar's permanent labels: the document's status and version,
saved or not, its latest revision, and its word count."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar


class DocumentStatus:
    def __init__(self, bar: QStatusBar):
        self.words_label = QLabel()
        self.state_label = QLabel()
        self.revision_label = QLabel()
        self.status_label = QLabel()
        for label in (self.status_label, self.state_label, self.revision_label, self.words_label):
            label.setContentsMargins(10, 0, 10, 0)
            bar.addPermanentWidget(label)

    def show_saved_state(self, has_document: bool, modified: bool) -> None:
        self.state_label.setText("Unsaved changes" if modified else ("Saved" if has_document else ""))

    def show_words(self, count: int) -> None:
        self.words_label.setText(f"{count:,} words")

    def show_document(self, ws, slug: str | None, doc) -> None:
        """Status, version and latest revision of *doc* (None: blank)."""
        if doc is None:
            for label in (self.revision_label, self.words_label, self.status_label):
                label.setText("")
            return
        revisions = ws.history(slug, max_count=1) if ws.exists(slug) else []
        if revisions:
            r = revisions[0]
            self.revision_label.setText(f"Revision {r.short} · {r.date.strftime('%d %b %Y %H:%M')}")
            self.revision_label.setToolTip(f"{r.subject}\nby {r.author}")
        else:
            self.revision_label.setText("Not saved yet")
        status = doc.status.capitalize()
        self.status_label.setText(f"{status} · version {doc.version}" if doc.version else status)
