"""The status bar's permanent labels: the document's status and version,
saved or not, when and by whom it was last saved, and its word count.

The last saved revision's label gives way to the bar's messages: Qt shows a
message only left of the permanent labels, so in a window about 800 px
wide "Saved revision “Tone and escalation” by Dana Reviewer" was cut after
"escalatio".  While a message is shown, that label narrows as far as the
message needs (its text cut short with "…"), down to about eight letters,
and widens again once it is gone."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from guidelines_app.core.document import status_name
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.wording import plural, when
from guidelines_app.ui.fill import fill
from guidelines_app.ui.jobs import Jobs, in_workspace

translate = QCoreApplication.translate


_WIDEST = 16_777_215  # (QWIDGETSIZE_MAX)
_MESSAGE_MARGIN = 24  # the bar's own margin and the gap before the first label


class GivingWayLabel(QLabel):
    """A permanent label of *bar* that narrows while a message is shown, as
    far as the message needs (its text cut short with "…")."""

    def __init__(self, bar: QStatusBar):
        super().__init__()
        self._bar = bar
        bar.messageChanged.connect(self._fit)
        # Looked at again as the bar is laid out (the labels' places move after the message is
        # shown), and when the window is made narrower while a message is shown.
        bar.installEventFilter(self)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        margins = self.contentsMargins()
        least = self.fontMetrics().horizontalAdvance("M" * 8) + margins.left() + margins.right()
        return QSize(min(hint.width(), least), hint.height())

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        room = self.contentsRect()
        metrics = self.fontMetrics()
        if metrics.horizontalAdvance(self.text()) <= room.width():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.drawText(room, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         metrics.elidedText(self.text(), Qt.TextElideMode.ElideRight, room.width()))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest) and self._bar.currentMessage():
            QTimer.singleShot(0, self, lambda: self._fit(self._bar.currentMessage()))  # (once laid out)
        return False

    def _fit(self, message: str) -> None:
        if not message:
            self.setMaximumWidth(_WIDEST)
            return
        bar = self._bar
        shown = [w for w in bar.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                 if w.isVisible() and not w.isWindow()]
        room = min((w.x() for w in shown), default=bar.width())  # the message's: left of the first label
        short = bar.fontMetrics().horizontalAdvance(message) + _MESSAGE_MARGIN - room
        width = max(self.minimumSizeHint().width(), min(self.sizeHint().width(), self.width() - short))
        width = width if width < self.sizeHint().width() else _WIDEST
        if width != self.maximumWidth():
            self.setMaximumWidth(width)


class DocumentStatus:
    def __init__(self, bar: QStatusBar):
        self.bar = bar
        self.words_label = QLabel()
        self.state_label = QLabel()
        self.revision_label = GivingWayLabel(bar)
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
        # From the text at once ("Approved · version 1.0" as the details
        # say, a draft's status alone); then, from the versions published
        # (read on a worker), what the export's title page says of it:
        # "Draft · changes since version 1.0", or approved only when the text is the version's.
        status = status_name(doc.status)
        approved = doc.status == "approved" and doc.version
        self.status_label.setText(fill(translate("Status", "%1 · version %2"), status, doc.version) if approved else status)
        shown = self._shown

        def show_approval(approval) -> None:
            if shown == self._shown and not isinstance(approval, GuidelinesError):
                self.status_label.setText(approval_text(approval))

        if not ws.exists(slug):
            self._show_latest([])
            return

        def read_approval() -> None:  # (the text written out only then: not before the window's first paint)
            text = doc.to_text()
            self.jobs.run(in_workspace(ws.root, lambda w: _approval(w, slug, text)), show_approval,
                          lambda _message, _technical: None, waits=True)

        if after_paint is None:
            read_approval()
            self._show_latest(_latest(ws, slug))
        else:
            after_paint(read_approval)
            self.revision_label.setText("")
            self.revision_label.setToolTip("")

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


def _approval(ws, slug: str, text: str):
    """What the text may claim (``core.approval.approval_of``), or the error reading the versions."""
    from guidelines_app.core.approval import approval_of

    try:
        return approval_of(ws, slug, text)
    except GuidelinesError as exc:
        return exc


def approval_text(approval) -> str:
    """"Approved · version 1.0", "Draft · changes since version 1.0", "In review" or "Draft"."""
    status = status_name(approval.status)
    if approval.approved:
        return fill(translate("Status", "%1 · version %2"), status, approval.version)
    if approval.since:
        return fill(translate("Status", "%1 · changes since version %2"), status, approval.since)
    return status


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
