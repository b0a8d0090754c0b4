"""The History panel: the filterable list of the open document's revisions
with View, Compare and Restore.  The panel only shows and selects; the
actions are the feature's (``guidelines_app.ui.review.feature``)."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from guidelines_app.core.wording import short_moment
from guidelines_app.ui.review.history_model import HistoryFilter, HistoryModel

if TYPE_CHECKING:
    from guidelines_app.ui.review.feature import HistoryFeature

# The widest usual content of the Date, Author, Version and Status columns.
# Measured in bold, as published versions' rows are shown, so that no date
# is cut off.  The Author column is as wide as the longest name among the
# revisions (each name measured once, not each row): a name as long as
# AUTHOR_WHOLE at any width, a longer one (up to AUTHOR_LONGEST) while the
# message keeps MESSAGE_SAMPLE's width; beyond, elided (the tooltip has it).
COLUMN_SAMPLES = (("28 Dec 2026 23:59",), ("Alexandra Writer",), ("v10.12",), ("In review", "Approved"))
AUTHOR_WHOLE, AUTHOR_LONGEST = "Alexandra Whitfield", "Alexandra Featherstone-Writer"
MESSAGE_SAMPLE = "Faster replies, more"
AUTHOR, MESSAGE = 1, 4
# Five columns: the History dock takes more of the window than the other
# side panels, so that in a window 1280 pixels wide the date, author,
# version and status show whole with the start of each message (at 0.36
# the message had a few letters beside them).
DOCK_SHARE = 0.42
translate = QCoreApplication.translate


class HistoryPanel(QWidget):
    loaded = Signal()

    def __init__(self, feature: HistoryFeature):
        super().__init__()
        self.feature = feature
        self.setObjectName("history-panel")
        self.model = HistoryModel()
        # Thousands of revisions: a filter by author, message, version or status.
        self.proxy = HistoryFilter(self.model, self)
        self.filter = QLineEdit(objectName="history-filter", accessibleName=self.tr("Filter revisions"))
        self.filter.setPlaceholderText(translate("History", "Filter by author, message, version or status"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_by)
        self.table = QTableView(objectName="history-table", accessibleName=self.tr("Revisions"))
        self.table.setAccessibleDescription(self.tr("Every revision of the document, newest first: date, author, "
                                                    "message, published version and status"))
        # The list shows the model itself while no filter is typed: through the
        # filter each paint asks Python twice as often (about 5 ms more a screenful).
        self.table.setModel(self.model)
        # Always there (thousands of revisions need it anyway): a scroll bar that
        # appears once the rows are in would narrow the list and paint it again.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        # Columns sized from the font, not by measuring every row (thousands of
        # revisions would be read cell by cell before the first paint): the
        # date, author, version and status whole, the message in the rest of
        # the width, elided ("…") where it is longer; in a dock too narrow
        # for those four the list scrolls sideways rather than cut them.
        header = self.table.horizontalHeader()
        self.widths = self._needed_widths()
        for col, width in enumerate(self.widths):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setSectionResizeMode(MESSAGE, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        bold = QFontMetrics(self.model.bold_font())
        self.author_whole = bold.horizontalAdvance(AUTHOR_WHOLE) + self._padding()
        self.message_min = self.table.fontMetrics().horizontalAdvance(MESSAGE_SAMPLE) + self._padding()
        self.author_need = self.widths[AUTHOR]  # (the names of the revisions listed: _measure_authors)
        self.model.modelReset.connect(self._measure_authors)
        self.table.viewport().installEventFilter(self)
        self._after_paint: list = []  # called once the list is painted (after_paint)
        self.table.setWordWrap(False)
        self.table.doubleClicked.connect(lambda _i: self.feature.view_selected())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(self.update_buttons)
        self.state = QLabel(objectName="history-state")
        # Its text ('Loading history…', then '2,000 revisions, ...') must not
        # widen the dock: the window would lay out the open document again
        # (a long policy: tens of milliseconds) just as the list appears.
        self.state.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.state.setWordWrap(True)
        self.view_button = QPushButton(translate("History", "View"))
        self.compare_button = QPushButton(translate("History", "Compare"))
        self.restore_button = QPushButton(translate("History", "Restore…"))
        self.view_button.clicked.connect(self.feature.view_selected)
        self.compare_button.clicked.connect(self.feature.compare_selected)
        self.restore_button.clicked.connect(self.feature.restore_selected)
        self.view_button.setToolTip(translate("History", "Open the selected revision read-only (double-click)"))
        self.compare_button.setToolTip(translate("History", "Compare the two selected revisions, or the selected one with your current text"))
        self.restore_button.setToolTip(translate("History", "Make the selected revision the newest one; nothing is lost"))
        buttons = QHBoxLayout()
        for b in (self.view_button, self.compare_button, self.restore_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.state)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.update_buttons()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.Resize and watched is self.table.viewport():
            self._fit_author(event.size().width())
        elif kind == QEvent.Type.Paint and self._after_paint:
            waiting, self._after_paint = self._after_paint, []
            for callback in waiting:
                QTimer.singleShot(0, self, callback)  # once this paint is done
        return False

    def _filter_by(self, text: str) -> None:
        """Only the rows that contain *text*; the selection kept where its
        rows are still listed."""
        self.proxy.setFilterFixedString(text)
        shown = self.proxy if text else self.model
        if self.table.model() is shown:
            return
        rows = self.selected_rows()
        old = self.table.selectionModel()
        self.table.setModel(shown)  # the columns' widths stay (the same five columns)
        old.deleteLater()
        self.table.selectionModel().selectionChanged.connect(self.update_buttons)
        self.select_rows(*rows)
        self.update_buttons()

    def lay_out_now(self) -> None:
        """The table laid out for its rows at once (a queued call of Qt's
        too): the next paint is the list's last."""
        self.table.doItemsLayout()
        QCoreApplication.sendPostedEvents(self.table, QEvent.Type.MetaCall)

    def after_paint(self, callback) -> None:
        """*callback()* once the list has been painted as it is now."""
        self._after_paint.append(callback)
        self.table.viewport().update()

    def drop_after_paint(self) -> None:
        """Forget the callbacks still waiting for a paint (the panel was
        hidden before it painted: a later paint is for another listing)."""
        self._after_paint.clear()

    def _padding(self) -> int:
        """What a cell takes beside its text: the style's text margin on
        either side (as Qt's item views lay text out), the grid line and a
        pixel for rounding."""
        margin = self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 1
        return 2 * margin + 2

    def _needed_widths(self) -> list[int]:
        """The Date, Author, Version and Status columns' widths: their
        samples in bold, and their headings whole."""
        fm, padding = QFontMetrics(self.model.bold_font()), self._padding()
        header = self.table.horizontalHeader()
        heading = header.fontMetrics()
        heading_padding = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header) + 4
        widths = []
        for col, samples in enumerate(COLUMN_SAMPLES):
            if col == 0:  # every month's name, as this system writes it
                samples = [short_moment(_dt.datetime(2026, month, 28, 23, 59)) for month in range(1, 13)]
            label = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            widths.append(max(max(fm.horizontalAdvance(s) for s in samples) + padding,
                              heading.horizontalAdvance(label) + heading_padding))
        return widths

    def _measure_authors(self) -> None:
        """The width the longest name among the revisions needs (up to
        AUTHOR_LONGEST), the sample's at least: the names are few however
        many the revisions, each measured once."""
        names = {e.revision.author for e in self.model.entries}
        fm = QFontMetrics(self.model.bold_font())
        longest = min(max((fm.horizontalAdvance(name) for name in names), default=0), fm.horizontalAdvance(AUTHOR_LONGEST))
        self.author_need = max(self.widths[AUTHOR], longest + self._padding())
        self._fit_author(self.table.viewport().width())

    def _fit_author(self, available: int) -> None:
        """The Author column as wide as its names need; a name longer than
        AUTHOR_WHOLE only while the message keeps its minimum beside it."""
        others = sum(w for c, w in enumerate(self.widths) if c != AUTHOR)
        room = available - others - self.message_min
        width = max(min(self.author_need, self.author_whole), min(self.author_need, room))
        self.table.horizontalHeader().resizeSection(AUTHOR, width)

    def selected_rows(self) -> list[int]:
        """The selected entries' places in the whole history, newest first."""
        filtered = self.table.model() is self.proxy
        return sorted({self.proxy.mapToSource(i).row() if filtered else i.row()
                       for i in self.table.selectionModel().selectedRows()})

    def selected_shas(self) -> list[str]:
        """The selected revisions, newest first."""
        return [self.model.entries[r].sha for r in self.selected_rows()]

    def select_rows(self, *rows: int) -> None:
        """Select entries by their place in the whole history (not the filtered view)."""
        sel = self.table.selectionModel()
        sel.clearSelection()
        filtered = self.table.model() is self.proxy
        for r in rows:
            index = self.model.index(r, 0)
            if filtered:
                index = self.proxy.mapFromSource(index)
            if index.isValid():  # (a row the filter hides is not selected)
                sel.select(index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)

    def update_buttons(self, *_args) -> None:
        """Enable the buttons the selection allows."""
        rows = self.selected_rows()
        n = len(rows)
        self.view_button.setEnabled(n == 1)
        self.compare_button.setEnabled(n in (1, 2))
        self.restore_button.setEnabled(n == 1 and self.feature.can_restore(self.model.entries[rows[0]].sha))

    def _context_menu(self, pos) -> None:
        if not self.selected_shas():
            return
        menu = QMenu(self)
        changes = menu.addAction(translate("History", "What Changed in This Revision"), self.feature.compare_with_previous)
        changes.setEnabled(len(self.selected_shas()) == 1)
        menu.addAction(translate("History", "View This Revision"), self.feature.view_selected)
        menu.addAction(translate("History", "Compare with Current Text"), self.feature.compare_selected)
        restore = menu.addAction(translate("History", "Restore This Revision…"), self.feature.restore_selected)
        restore.setEnabled(self.restore_button.isEnabled())
        menu.exec(self.table.viewport().mapToGlobal(pos))
