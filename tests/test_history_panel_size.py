"""The History panel with thousands of revisions (issue 16): its columns are
sized from the font, so filling it reads only the rows on screen, not every
cell of every row."""

from __future__ import annotations

import datetime as _dt

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
    header = panel.table.horizontalHeader()
    assert [header.sectionResizeMode(c) for c in range(5)] == [QHeaderView.ResizeMode.Interactive] * 4 + [
        QHeaderView.ResizeMode.Stretch]
    assert all(header.sectionSize(c) >= panel.table.fontMetrics().horizontalAdvance(COLUMN_SAMPLES[c])
               for c in range(4))
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
