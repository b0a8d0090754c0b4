"""Typing in a long document (below the very large one's threshold): the
preview a part at a time, around the cursor, and the surface's edits
written into the source after a pause as long as the writing takes.

``WINDOW_CHARS`` is lowered so that a policy of a few dozen sections counts
as long; the real pane, the real window and real renders on the preview's
worker thread."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor

from guidelines_app.core.document import Document
from guidelines_app.ui import preview as preview_mod
from guidelines_app.ui.main_window import MainWindow
from guidelines_app.ui.preview import EARLIER, LATER, PreviewPane, window_of
from guidelines_app.ui.surface import views

SECTIONS = 40
BODY = "".join(f"## Part {n}\n\nThe rule of part {n} is written here in plain words for everyone.\n\n"
               for n in range(SECTIONS))


def _shown(pane: PreviewPane) -> str:
    return pane.toPlainText()


def test_window_of_takes_the_focus_and_its_neighbours_in_turn():
    sizes = [10] * 10
    assert window_of(sizes, 5, 1000) == (0, 10)  # it all fits: the whole document
    assert window_of(sizes, 5, 30) == (4, 7)  # after, then before, while they fit
    assert window_of(sizes, 0, 30) == (0, 3)
    assert window_of(sizes, 9, 30) == (7, 10)
    assert window_of(sizes, 99, 30) == (7, 10)  # a focus past the end: the last part
    assert window_of([10, 500, 10], 1, 30) == (1, 2)  # a chunk larger than the budget is still shown
    # Uneven sizes: a neighbour that does not fit ends the growth on its side only.
    assert window_of([5, 100, 5, 5, 5], 2, 20) == (2, 5)


@pytest.fixture
def long_window(qtbot, workspace, settings, author, monkeypatch):
    monkeypatch.setattr(preview_mod, "WINDOW_CHARS", 1500)
    workspace.create_document(Document.new("Long policy", "Acme", body=BODY), author, slug="long")
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w, before_close_func=lambda w: w.editor.document().setModified(False))
    w.show()
    qtbot.waitUntil(lambda: w.preview.last_rendered is not None, timeout=10000)
    return w


def test_a_long_document_is_previewed_a_part_at_a_time(long_window, qtbot):
    pane = long_window.preview
    assert pane.shown_part is not None
    start, end = pane.shown_part
    assert start == 0 and end < SECTIONS
    text = _shown(pane)
    assert "The rule of part 0 " in text
    assert f"The rule of part {SECTIONS - 1} " not in text
    assert "previewed a part at a time" in text and "Show the sections after" in text
    assert "Show the sections before" not in text
    # The part read into the view is bounded, not the whole document.
    assert len(pane.toHtml()) < len(pane.last_rendered.html) + 20_000


def test_the_preview_follows_the_cursor_to_a_section_outside_the_part(long_window, qtbot):
    w = long_window
    far = SECTIONS - 3
    cursor = w.editor.document().find(f"The rule of part {far} ")
    assert not cursor.isNull()
    w.editing.go_to_line(cursor.blockNumber())  # as the outline does
    w.editing.active().setTextCursor(_cursor_at_text(w.editing.active(), f"The rule of part {far} "))
    qtbot.waitUntil(lambda: f"The rule of part {far} " in _shown(w.preview), timeout=5000)
    assert "The rule of part 0 " not in _shown(w.preview)
    assert "Show the sections before" in _shown(w.preview)


def _cursor_at_text(editor, needle: str) -> QTextCursor:
    found = editor.document().find(needle)
    assert not found.isNull(), needle
    return found


def test_the_links_at_either_end_show_the_sections_before_and_after(long_window, qtbot):
    pane = long_window.preview
    first = pane.shown_part
    pane.go_to_anchor(LATER)
    after = pane.shown_part
    assert after[0] > first[0] and after[1] > first[1]
    assert f"The rule of part {first[1]} " in _shown(pane)  # the first section after the old part
    pane.go_to_anchor(EARLIER)
    assert pane.shown_part[0] < after[0]
    assert f"The rule of part {after[0] - 1} " in _shown(pane)


def test_an_in_document_link_to_a_section_outside_the_part_shows_it(long_window, qtbot):
    pane = long_window.preview
    target = SECTIONS - 1
    assert f"The rule of part {target} " not in _shown(pane)
    pane.go_to_anchor(f"part-{target}")  # the heading's own id, as a [link](#part-39) names it
    assert f"The rule of part {target} " in _shown(pane)


def test_edits_keep_the_part_around_the_cursor(long_window, qtbot):
    w = long_window
    pane = w.preview
    editor = w.editing.active()
    editor.setTextCursor(_cursor_at_text(editor, "The rule of part 30 "))
    qtbot.waitUntil(lambda: "The rule of part 30 " in _shown(pane), timeout=5000)
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    editor.insertPlainText(" Added today.")
    qtbot.waitUntil(lambda: "Added today." in _shown(pane), timeout=10000)
    assert "The rule of part 0 " not in _shown(pane)


def test_a_short_document_is_shown_whole(qtbot):
    pane = PreviewPane(delay_ms=0)
    qtbot.addWidget(pane)
    try:
        pane.render_now("## One\n\nFirst.\n\n## Two\n\nSecond.\n")
        qtbot.waitUntil(lambda: pane.last_rendered is not None, timeout=5000)
        assert pane.shown_part is None
        assert "First." in _shown(pane) and "Second." in _shown(pane)
        assert "previewed a part at a time" not in _shown(pane)
    finally:
        pane.shutdown()  # its render thread ends before the pane goes


@pytest.mark.parametrize(("factor", "expected"), [(0, views.SYNC_DELAY_MS), (10**9, views.SYNC_DELAY_MAX_MS)])
def test_the_pause_before_writing_the_surface_grows_with_the_writing(long_window, qtbot, monkeypatch, factor, expected):
    monkeypatch.setattr(views, "SYNC_DELAY_FACTOR", factor)
    editing = long_window.editing
    editor = editing.active()
    assert editor is editing.surface
    cursor = _cursor_at_text(editor, "The rule of part 3 ")
    cursor.setPosition(cursor.selectionStart())  # before the words, not over them
    editor.setTextCursor(cursor)
    editor.insertPlainText("Now ")
    qtbot.waitUntil(lambda: "Now The rule of part 3 " in long_window.editor.text(), timeout=5000)
    assert editing._sync_timer.interval() == expected
