"""The History panel's table: one row per revision of the open document
(date, author, version, status, message), and the filter over it that keeps
thousands of revisions searchable."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont

from guidelines_app.core.document import status_name
from guidelines_app.core.wording import long_day, short_moment
from guidelines_app.review import history
from guidelines_app.ui.fill import fill

translate = QCoreApplication.translate
COLUMNS = (QT_TRANSLATE_NOOP("History", "Date"), QT_TRANSLATE_NOOP("History", "Author"), QT_TRANSLATE_NOOP("History", "Version"),
           QT_TRANSLATE_NOOP("History", "Status"), QT_TRANSLATE_NOOP("History", "Message"))
SHA_ROLE = Qt.ItemDataRole.UserRole
DISPLAY = Qt.ItemDataRole.DisplayRole


class HistoryModel(QAbstractTableModel):
    """The revisions, newest first (``history.HistoryEntry``); statuses may be
    filled in later by ``refresh_statuses``."""

    def __init__(self):
        super().__init__()
        self.entries: list[history.HistoryEntry] = []
        # Each row's five display strings, made the first time the view asks
        # for the row (a screenful, not thousands): data() is then a lookup.
        self._rows: list[tuple[str, ...] | None] = []
        self._bold: QFont | None = None

    def set_entries(self, entries) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self._rows = [None] * len(self.entries)
        self.endResetModel()

    def _row(self, row: int) -> tuple[str, ...]:
        shown = self._rows[row]
        if shown is None:
            e = self.entries[row]
            r = e.revision
            status = status_name(e.status) if e.status else "…"
            if e.signoffs:
                status = fill(translate("History", "%1 · signed off (%2)"), status, len(e.signoffs))
            shown = self._rows[row] = (short_moment(r.date), r.author, e.version_label, status, r.subject)
        return shown

    def refresh_statuses(self, entries) -> None:
        """Exact statuses for a quick listing (``history.history``'s *most_unknown*)."""
        by_sha = {e.sha: e.status for e in entries}
        for e in self.entries:
            e.status, e.status_exact = by_sha.get(e.sha, e.status), True
        self._rows = [None] * len(self.entries)
        if self.entries:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self.entries) - 1, 3))

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return translate("History", COLUMNS[section])
        return None

    def data(self, index, role=DISPLAY):
        if role == DISPLAY:  # the view's most frequent question first, answered from the row's strings
            return self._row(index.row())[index.column()] if index.isValid() else None
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        r = e.revision
        if role == Qt.ItemDataRole.ToolTipRole:
            signed = "".join(fill(translate("History", "\nSigned off: %1"), s) for s in e.signoffs)
            # The revision's id last: a reference for a technical colleague, not the first thing a reader sees.
            return (f"{r.author} <{r.email}>\n{long_day(r.date)} {r.date.astimezone():%H:%M}{signed}\n\n{e.message}\n\n"
                    + fill(translate("History", "Revision %1"), r.short))
        if role == SHA_ROLE:
            return r.sha
        if role == Qt.ItemDataRole.FontRole and e.versions:
            return self.bold_font()
        return None

    def bold_font(self) -> QFont:
        """The font of published versions' rows (one, made once)."""
        if self._bold is None:
            self._bold = QFont()
            self._bold.setBold(True)
        return self._bold


class HistoryFilter(QSortFilterProxyModel):
    """Rows whose author, message, version or status contain the typed text
    (any case)."""

    def __init__(self, model: HistoryModel, parent=None):
        super().__init__(parent)
        self.setSourceModel(model)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
