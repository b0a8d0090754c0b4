"""A wide table fits the pane, in the formatted editor and the preview
alike: its columns narrow and their text wraps between words (as in a word
processor), with no sideways scrolling."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QApplication
from test_surface import make_window  # noqa: F401 - the fixture: a window opening a body

from guidelines_app.ui import table_fit

INVENTORY = """# Channels

| Channel | Account name | Owner | Purpose | Response target | Checked |
|---|---|---|---|---|---|
| LinkedIn | [to be decided: account name] | Communications team | Company news, careers, thought leadership | 1 working day | Twice a day |
| Facebook | [to be decided: account name] | Customer service | Customer questions and community | 4 hours in opening hours | Every 2 hours |
| Instagram | [to be decided: account name] | Marketing | Products, people and events | 1 working day | Daily |
| X (Twitter) | [to be decided: account name] | Customer service | Service updates and quick answers | 1 hour in opening hours | Continuously in opening hours |
| Company blog | [to be decided: account name] | Communications team | Long-form stories and expert articles | 2 working days | Daily |

After the table.
"""


@pytest.fixture
def window(make_window):  # noqa: F811 - the imported fixture
    return make_window(INVENTORY)[0]


def _settle(qtbot, w, width: int) -> None:
    w.resize(width, 760)
    qtbot.waitUntil(lambda: w.preview.is_idle() and not w.preview.document().isEmpty(), timeout=10000)
    qtbot.waitUntil(lambda: not any(pane._fit_timer.isActive() for pane in (w.editing.surface, w.preview)))
    for _ in range(3):
        qtbot.wait(20)
        QApplication.processEvents()


@pytest.mark.parametrize(("width", "dock"), [(1000, False), (1360, False), (1280, True)])
def test_a_wide_table_fits_both_panes_without_sideways_scrolling(qtbot, window, width, dock):
    if dock:  # the panes a quarter of the window each
        window.features["history"].dock.show()
    _settle(qtbot, window, width)
    if os.environ.get("TABLE_FIT_SHOTS"):
        window.grab().save(f"{os.environ['TABLE_FIT_SHOTS']}/window-{width}{'-dock' * dock}.png")
    surface = window.editing.surface
    assert surface.horizontalScrollBar().maximum() == 0
    assert window.preview.horizontalScrollBar().maximum() == 0


def _broken_words(doc) -> list[str]:
    """The words of *doc*'s tables cut at a line's end ("Chan|nel")."""
    cut = []
    for table in table_fit.tables_of(doc):
        for r in range(table.rows()):
            for c in range(table.columns()):
                block = table.cellAt(r, c).firstCursorPosition().block()
                layout, text = block.layout(), block.text()
                for n in range(1, layout.lineCount()):
                    start = layout.lineAt(n).textStart()
                    if not text[start - 1].isspace() and not text[start].isspace():
                        cut.append(text)
    return cut


def test_words_break_only_when_the_columns_cannot_hold_them_whole(qtbot, window):
    _settle(qtbot, window, 1440)  # room for every column's longest word (and a scroll bar)
    for pane in (window.editing.surface, window.preview):
        assert _broken_words(pane.document()) == []
        assert pane.horizontalScrollBar().maximum() == 0


def test_fitting_the_tables_is_no_edit(qtbot, window):
    surface = window.editing.surface
    for width in (1360, 1000, 1200):
        _settle(qtbot, window, width)
        assert surface.document().availableUndoSteps() == 0
        assert not window.is_modified()
        assert surface.source() == INVENTORY
    # Once there is something to undo, a resize leaves the widths alone (it would be a step of its own).
    cursor = surface.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    surface.setTextCursor(cursor)
    qtbot.keyClicks(surface, " More.")
    steps = surface.document().availableUndoSteps()
    _settle(qtbot, window, 1360)
    assert surface.document().availableUndoSteps() == steps
    assert surface.horizontalScrollBar().maximum() == 0
    assert surface.source() == INVENTORY.replace("After the table.", "After the table. More.")


def test_column_shares():
    floors, naturals = [74, 68, 114, 81, 78, 91], [100, 198, 149, 278, 163, 196]
    for width in (300, 450, 520, 800, 1200):
        shares = table_fit.column_shares(floors, naturals, width)
        assert sum(shares) == pytest.approx(100)
        widths = [s * width / 100 for s in shares]
        if width >= sum(floors):  # every longest word whole
            assert all(w >= f - 1e-6 for w, f in zip(widths, floors))
    # Too narrow for every word: as few columns as can be are cut, the widest first.
    widths = [s * 450 / 100 for s in table_fit.column_shares(floors, naturals, 450)]
    assert [round(w) for w in widths] == [74, 68, 58, 81, 78, 91]
    widths = [s * 340 / 100 for s in table_fit.column_shares(floors, naturals, 340)]
    assert [round(w) for w in widths] == [74, 68, 50, 50, 50, 50]
    # Room for every line whole: the columns widened in proportion to their text.
    assert table_fit.column_shares([10, 10], [30, 90], 400) == pytest.approx([25, 75])


def test_too_narrow_for_every_word_breaks_as_few_words_as_it_can():
    """A long word in each of two columns gives way, not the column with two longer ones."""
    words = [[60, 50], [110, 110, 70, 66], [80, 40], [90, 50, 45], [70]]
    floors = [max(w) for w in words]
    naturals = [2 * f for f in floors]
    width = sum(floors) - 50
    widths = [s * width / 100 for s in table_fit.column_shares(floors, naturals, width, words)]
    assert sum(widths) == pytest.approx(width)
    broken = sum(1 for ws, w in zip(words, widths) for word in ws if word > w + 1e-6)
    assert broken == 2, widths  # the 80 and the 90, not the two 110s (nor the 70 and 66 beside them)
    assert [round(w) for w in widths] == [60, 110, 70, 50, 70]


def test_a_table_inserted_or_given_a_column_fits_and_one_undo_takes_it_away(qtbot, window):
    from guidelines_app.ui.surface import tables

    _settle(qtbot, window, 1000)
    surface = window.editing.surface
    cursor = surface.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    surface.setTextCursor(cursor)
    tables.insert_table(surface, 3, 7)
    tables.add_column(surface)
    qtbot.wait(30)
    table = surface.textCursor().currentTable()
    assert table.columns() == 8
    assert sum(length.rawValue() for length in table.format().columnWidthConstraints()) <= 100
    assert surface.horizontalScrollBar().maximum() == 0
    assert "| Column 1 |" in surface.source()
    surface.undo()
    surface.undo()
    assert surface.source() == INVENTORY
