"""The status bar's permanent labels: the document's status and version,
saved or not, when and by whom it was last saved, and its word count."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.wording import plural, when
from guidelines_app.ui.fill import fill
from guidelines_app.ui.jobs import Jobs, in_workspace

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
        self.jobs = Jobs(bar)
        self._shown = 0  # counts the documents shown: a late reading of an earlier one is dropped

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

    def show_document(self, ws, slug: str | None, doc, after_paint=None) -> None:
        """Status, version and latest revision of *doc* (None: blank).  With
        *after_paint* (the window's start: ``FeatureLoader.after_first_paint``)
        the latest revision is read on a worker once the window is painted:
        the window shows the text without waiting for git."""
        self._shown += 1
        if doc is None:
            for label in (self.revision_label, self.words_label, self.status_label):
                label.setText("")
            return
        status = doc.status.capitalize()
        self.status_label.setText(fill(translate("Status", "%1 · version %2"), status, doc.version) if doc.version else status)
        if not ws.exists(slug):
            self._show_latest([])
        elif after_paint is None:
            self._show_latest(_latest(ws, slug))
        else:
            self.revision_label.setText("")
            self.revision_label.setToolTip("")
            shown = self._shown

            def show(found) -> None:
                if shown == self._shown:  # else another document (or this one again) is shown since
                    self._show_latest(found)

            after_paint(lambda: self.jobs.run(in_workspace(ws.root, lambda w: _latest(w, slug)), show,
                                              lambda message, _technical: show(GuidelinesError(message)), waits=True))

    def _show_latest(self, found) -> None:
        """*found*: the latest revision in a list (empty: none), or the error reading it."""
        if isinstance(found, GuidelinesError):  # a damaged history: the text is still there to read and edit
            self.revision_label.setText(translate("Status", "History unreadable"))
            self.revision_label.setToolTip(str(found))
        elif found:
            r = found[0]
            # When and by whom, as a person says it; the revision id is for
            # those who look for it (the tooltip).
            self.revision_label.setText(saved_text(r.date, r.author))
            self.revision_label.setToolTip(fill(translate("Status", "%1\nRevision %2"), r.subject, r.short))
        else:
            self.revision_label.setText(translate("Status", "Not saved yet"))
            self.revision_label.setToolTip("")


def _latest(ws, slug: str):
    """The document's latest revision in a list, or the error reading the history."""
    try:
        return ws.history(slug, max_count=1)
    except GuidelinesError as exc:
        return exc


def saved_text(moment, author: str, now=None) -> str:
    """"Saved today 06:17 by Dana Reviewer"."""
    if author:
        return fill(translate("Status", "Saved %1 by %2"), when(moment, now), author)
    return fill(translate("Status", "Saved %1"), when(moment, now))
