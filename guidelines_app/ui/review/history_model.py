"""The History panel's table: one row per revision of the open document
(date, author, version, status, message), and the filter over it that keeps
thousands of revisions searchable."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont

from guidelines_app.review import history
from guidelines_app.ui.fill import fill

translate = QCoreApplication.translate
COLUMNS = (QT_TRANSLATE_NOOP("History", "Date"), QT_TRANSLATE_NOOP("History", "Author"), QT_TRANSLATE_NOOP("History", "Version"),
           QT_TRANSLATE_NOOP("History", "Status"), QT_TRANSLATE_NOOP("History", "Message"))
SHA_ROLE = Qt.ItemDataRole.UserRole


class HistoryModel(QAbstractTableModel):
    """The revisions, newest first (``history.HistoryEntry``); statuses may be
    filled in later by ``refresh_statuses``."""

    def __init__(self):
        super().__init__()
        self.entries: list[history.HistoryEntry] = []

    def set_entries(self, entries) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def refresh_statuses(self, entries) -> None:
        """Exact statuses for a quick listing (``history.history``'s *most_unknown*)."""
        by_sha = {e.sha: e.status for e in entries}
        for e in self.entries:
            e.status, e.status_exact = by_sha.get(e.sha, e.status), True
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

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        r = e.revision
        if role == Qt.ItemDataRole.DisplayRole:
            col = index.column()
            if col == 0:
                return r.date.strftime("%Y-%m-%d %H:%M")
            if col == 1:
                return r.author
            if col == 2:
                return e.version_label
            if col == 3:
                status = e.status.capitalize() if e.status else "…"
                return fill(translate("History", "%1 · signed off (%2)"), status, len(e.signoffs)) if e.signoffs else status
            return r.subject
        if role == Qt.ItemDataRole.ToolTipRole:
            signed = "".join(fill(translate("History", "\nSigned off: %1"), s) for s in e.signoffs)
            return f"{r.short} · {r.author} <{r.email}>\n{r.date.strftime('%d %B %Y %H:%M')}{signed}\n\n{e.message}"
        if role == SHA_ROLE:
            return r.sha
        if role == Qt.ItemDataRole.FontRole and e.versions:
            f = QFont()
            f.setBold(True)
            return f
        return None


class HistoryFilter(QSortFilterProxyModel):
    """Rows whose author, message, version or status contain the typed text
    (any case)."""

    def __init__(self, model: HistoryModel, parent=None):
        super().__init__(parent)
        self.setSourceModel(model)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
