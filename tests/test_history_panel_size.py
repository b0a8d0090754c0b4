"""The History panel with thousands of revisions (issue 16): its columns are
sized from the font, so filling it reads only the rows on screen, not every
cell of every row."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHeaderView

from guidelines_app.core.gitstore import Revision
from guidelines_app.review.history import HistoryEntry
from guidelines_app.ui.review.history_model import HistoryModel
from guidelines_app.ui.review.history_panel import COLUMN_SAMPLES


class CountingModel(HistoryModel):
    """The real model, noting which rows the view asks it about."""

    rows: set[int] = set()

    def data(self, index, role=None):
        CountingModel.rows.add(index.row())
        return super().data(index) if role is None else super().data(index, role)


def _entries(n: int) -> list[HistoryEntry]:
    when = _dt.datetime(2024, 1, 1, tzinfo=_dt.UTC)
    return [HistoryEntry(Revision(f"{i:040x}", when + _dt.timedelta(hours=i), f"Writer {i % 7}", "w@example.org",
                                  f"Edit revision {i}"), ["1.0"] if i % 100 == 0 else [], "draft", True)
            for i in range(n, 0, -1)]


import pytest  # noqa: E402


@pytest.fixture
def window_for_panel(qtbot, workspace, settings):
    from guidelines_app.ui.main_window import MainWindow

    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    return w


def test_filling_the_panel_reads_only_the_visible_rows(window_for_panel, qtbot):
    feature = window_for_panel.features["history"]
    panel = feature.panel
    model = CountingModel()
    panel.model = model
    panel.proxy.setSourceModel(model)
    panel.table.setModel(model)  # the list shows the model itself while no filter is typed
    header = panel.table.horizontalHeader()
    assert [header.sectionResizeMode(c) for c in range(5)] == [QHeaderView.ResizeMode.Interactive] * 4 + [
        QHeaderView.ResizeMode.Stretch]
    assert all(header.sectionSize(c) >= panel.table.fontMetrics().horizontalAdvance(s)
               for c in range(4) for s in COLUMN_SAMPLES[c])
    feature.dock.show()
    QApplication.processEvents()
    CountingModel.rows = set()
    model.set_entries(_entries(2000))
    for _ in range(3):
        QApplication.processEvents()
    assert model.rowCount() == 2000
    # A screenful of rows, not all 2,000 (measuring columns by content reads every row).
    assert 0 < len(CountingModel.rows) < 200 and max(CountingModel.rows) < 200, len(CountingModel.rows)


def test_commits_from_other_tools_beyond_the_budget_get_their_statuses_after_the_list(qtbot, workspace, settings, author,
                                                                                        monkeypatch):
    import subprocess

    from guidelines_app.core.document import Document
    from guidelines_app.ui.main_window import MainWindow
    from guidelines_app.ui.review import feature as review_feature

    slug, _ = workspace.create_document(Document.new("Policy", body="# Policy\n\nText.\n"), author)
    path = workspace.path(slug)
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: approved"), encoding="utf-8")
    subprocess.run(["git", "-c", "user.name=Plain", "-c", "user.email=p@example.org", "commit", "-q", "-am", "By hand"],
                   cwd=workspace.root, check=True)
    monkeypatch.setattr(review_feature, "QUICK_UNKNOWN", 0)
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    w.open_document(slug)
    f = w.features["history"]
    with qtbot.waitSignal(f.panel.loaded, timeout=10000):
        f.act_panel.trigger()
    model = f.panel.model
    assert model.rowCount() == 2 and not model.entries[0].status_exact  # the list first
    qtbot.waitUntil(lambda: all(e.status_exact for e in model.entries), timeout=10000)
    assert [model.data(model.index(r, 3)) for r in range(2)] == ["Approved", "Draft"]


def test_dates_are_short_and_the_columns_share_a_narrow_dock(window_for_panel, qtbot):
    from PySide6.QtGui import QFontMetrics

    panel = window_for_panel.features["history"].panel
    model = panel.model
    model.set_entries(_entries(3))
    assert model.data(model.index(0, 0)) == "1 Jan 2024 03:00"
    assert model.data(model.index(0, 4)) == "Edit revision 3"
    # A published version's row is bold: its date must fit the column as it is drawn.
    bold = QFontMetrics(model.data(model.index(0, 0), Qt.ItemDataRole.FontRole) or model.bold_font())
    header = panel.table.horizontalHeader()
    assert header.sectionSize(0) >= bold.horizontalAdvance("28 Dec 2026 23:59")
    # A name longer than most gives way, down to the usual names' width, so
    # that the message keeps its start; with room, it is whole.
    dock = window_for_panel.features["history"].dock
    dock.setFloating(True)
    dock.show()
    QApplication.processEvents()
    model.set_entries([_entry("Maximilian Featherstonehaugh-Whitfield")] + _entries(3))
    others = sum(w for c, w in enumerate(panel.widths) if c != 1)
    dock.resize(others + panel.author_whole + panel.message_min + 60, 400)
    qtbot.waitUntil(lambda: header.sectionSize(1) < panel.author_need)
    assert header.sectionSize(1) >= panel.author_whole and header.sectionSize(4) >= panel.message_min
    assert sum(header.sectionSize(c) for c in range(5)) == panel.table.viewport().width()
    dock.resize(1200, 400)
    qtbot.waitUntil(lambda: header.sectionSize(1) == panel.author_need)
    assert header.sectionSize(4) > panel.message_min


def _entry(author: str, versions=()) -> HistoryEntry:
    when = _dt.datetime(2024, 1, 1, tzinfo=_dt.UTC)
    return HistoryEntry(Revision("f" * 40, when, author, "w@example.org", "Faster replies on weekends"), list(versions),
                        "draft", True)


def _shown_whole(panel, row: int, column: int) -> bool:
    """Whether the cell's text is drawn whole, not elided: it fits the
    cell less the grid line and the style's text margins, in its font."""
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QStyle

    table = panel.table
    index = table.model().index(row, column)
    text = index.data()
    font = index.data(Qt.ItemDataRole.FontRole) or table.font()
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    room = table.visualRect(index).width() - 1 - 2 * margin
    return QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, room) == text


def test_authors_and_dates_are_whole_in_a_narrow_dock_and_the_message_elided(window_for_panel, qtbot):
    """The author column was cut to a few letters ("Priya R…") in a narrow
    dock so that more of the message showed: now the date and the author
    keep the width they need, and the message takes the rest."""
    feature = window_for_panel.features["history"]
    panel = feature.panel
    names = ["Priya Raghunathan", "Dana Whitfield", "Alexandra Writer", "Lee Chen"]
    feature.dock.setFloating(True)
    feature.dock.show()
    feature.dock.resize(460, 400)  # the dock's width in a window 1280 pixels wide, as it was
    qtbot.waitUntil(lambda: panel.table.viewport().width() < 460)
    panel.model.set_entries([_entry(name, ["1.0"] if name == "Lee Chen" else []) for name in names])
    QApplication.processEvents()
    header = panel.table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(5)) <= panel.table.viewport().width()  # no sideways scrolling
    for row in range(len(names)):
        assert _shown_whole(panel, row, 1), names[row]
        assert _shown_whole(panel, row, 0)  # (the published one's in bold too)
    assert not _shown_whole(panel, 0, 4)  # the message gave way


def test_a_long_list_is_laid_out_before_its_first_paint(window_for_panel):
    """The filled list's first paint is its last: the scroll bar is there
    already (one Qt shows as the rows arrive, from a queued call, would
    narrow the rows and paint the list a second time)."""
    feature = window_for_panel.features["history"]
    panel = feature.panel
    feature.dock.show()
    QApplication.processEvents()
    bar = panel.table.verticalScrollBar()
    empty = panel.table.viewport().width()
    panel.model.set_entries(_entries(2000))
    panel.lay_out_now()  # as the feature does when the list arrives
    assert bar.isVisible() and bar.maximum() > 0
    QApplication.processEvents()
    assert panel.table.viewport().width() == empty  # nothing narrowed it
