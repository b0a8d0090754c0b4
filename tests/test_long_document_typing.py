"""Typing in a long document (below the very large one's threshold): the
preview a part at a time, around the cursor, and the surface's edits
written into the source after a pause as long as the writing takes.

``WINDOW_CHARS`` is lowered so that a policy of a few dozen sections counts
as long; the real pane, the real window and real renders on the preview's
worker thread."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCursor

from guidelines_app.core.document import Document
from guidelines_app.core.markup import MarkdownRenderer
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
    return _window_with(BODY, qtbot, workspace, settings, author, monkeypatch)


def _window_with(body: str, qtbot, workspace, settings, author, monkeypatch) -> MainWindow:
    """The window with a policy of *body*, long for a preview that shows 1,500 characters of HTML whole."""
    monkeypatch.setattr(preview_mod, "WINDOW_CHARS", 1500)
    workspace.create_document(Document.new("Long policy", "Acme", body=body), author, slug="long")
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


def test_a_pane_runs_its_thread_only_to_render_and_never_after_shutdown(qtbot):
    """A pane showing what was rendered elsewhere (an old revision's) starts
    no thread, not even when a resize asks for a render (it would render
    an empty text, and its window, deleted on close, would go with the
    thread running: the process aborts); one shut down starts none again."""
    from guidelines_app.core.markup import MarkdownRenderer

    shown = PreviewPane(delay_ms=0)
    qtbot.addWidget(shown)
    shown.show_rendered(MarkdownRenderer().render("## One\n\nFirst.\n"))
    shown.schedule(lambda: "")  # as a resize does
    shown.render_now("")
    qtbot.wait(50)
    assert "First." in _shown(shown) and not shown._thread.isRunning()
    pane = PreviewPane(delay_ms=0)
    qtbot.addWidget(pane)
    pane.render_now("## Two\n\nSecond.\n")
    assert pane._thread.isRunning()
    qtbot.waitUntil(lambda: "Second." in _shown(pane), timeout=5000)
    pane.shutdown()
    assert not pane._thread.isRunning()
    pane.render_now("## Three\n\nThird.\n")
    assert not pane._thread.isRunning()


def _type_at(editor, needle: str, text: str) -> None:
    cursor = _cursor_at_text(editor, needle)
    cursor.setPosition(cursor.selectionStart())  # before the words, not over them
    editor.setTextCursor(cursor)
    editor.insertPlainText(text)


def test_a_long_document_is_written_back_after_a_pause_as_long_as_its_writing(long_window, qtbot, monkeypatch, author):
    monkeypatch.setattr(views, "SYNC_DELAY_FACTOR", 10**9)  # any writing: the longest pause
    editing = long_window.editing
    editor = editing.active()
    assert editor is editing.surface
    _type_at(editor, "The rule of part 3 ", "Now ")
    qtbot.waitUntil(lambda: "Now The rule of part 3 " in long_window.editor.text(), timeout=5000)
    assert editing._sync_timer.interval() == views.SYNC_DELAY_MAX_MS
    # The next key (which moves the cursor too) waits for that pause, not for the usual 120 ms.
    _type_at(editor, "The rule of part 4 ", "Then ")
    qtbot.wait(3 * views.SYNC_DELAY_MS)
    assert "Then The rule of part 4 " not in long_window.editor.text()
    qtbot.waitUntil(lambda: "Then The rule of part 4 " in long_window.editor.text(), timeout=5000)
    assert long_window.is_modified()
    # Another document starts again from the usual pause.
    long_window.save_revision("Two rules")
    long_window.ws.create_document(Document.new("Short one", "Acme", body="## One\n\nBe kind.\n"), author, slug="short")
    long_window.open_document("short")
    assert long_window.slug == "short"
    assert editing._sync_timer.interval() == views.SYNC_DELAY_MS


def test_a_short_writing_keeps_the_usual_pause(long_window, qtbot, monkeypatch):
    monkeypatch.setattr(views, "SYNC_DELAY_FACTOR", 0)
    editing = long_window.editing
    _type_at(editing.active(), "The rule of part 3 ", "Now ")
    qtbot.waitUntil(lambda: "Now The rule of part 3 " in long_window.editor.text(), timeout=5000)
    assert editing._sync_timer.interval() == views.SYNC_DELAY_MS


PREAMBLE = "Read this first. " * 120 + "\n\n"


@pytest.fixture
def preamble_window(qtbot, workspace, settings, author, monkeypatch):
    return _window_with(PREAMBLE + BODY, qtbot, workspace, settings, author, monkeypatch)


def test_the_preview_comes_back_to_the_text_before_the_first_heading(preamble_window, qtbot):
    w = preamble_window
    pane = w.preview
    assert "Read this first." in _shown(pane)
    editor = w.editing.active()
    editor.setTextCursor(_cursor_at_text(editor, f"The rule of part {SECTIONS - 2} "))
    qtbot.waitUntil(lambda: "Read this first." not in _shown(pane), timeout=5000)
    start = QTextCursor(editor.document())
    editor.setTextCursor(start)  # back at the top
    qtbot.waitUntil(lambda: "Read this first." in _shown(pane), timeout=5000)
    assert pane.shown_part[0] == 0
    # An edit there shows, and the part stays around it.
    editor.insertPlainText("First of all. ")
    qtbot.waitUntil(lambda: "First of all." in _shown(pane), timeout=10000)


def test_the_link_at_the_end_of_the_part_works_when_clicked(long_window, qtbot):
    pane = long_window.preview
    first = pane.shown_part
    pane.anchorClicked.emit(QUrl(f"#{LATER}"))  # as a click on "Show the sections after"
    assert pane.shown_part[0] > first[0]


def test_a_failed_render_leaves_no_part_to_move_to(long_window, qtbot, monkeypatch):
    pane = long_window.preview

    def fails(self, body):
        raise ValueError("no way")
    monkeypatch.setattr(MarkdownRenderer, "render", fails)
    pane.render_now(long_window.editor.text() + "\nMore.\n")
    qtbot.waitUntil(lambda: "could not be shown: no way" in _shown(pane), timeout=5000)
    pane.show_section(SECTIONS - 1)  # the cursor moves far: the failure stays shown, not an older text
    assert "could not be shown" in _shown(pane)
    assert pane.shown_part is None


def test_a_long_document_with_footnotes_is_shown_whole(qtbot, monkeypatch):
    """Footnotes are rendered with the whole text (one part): shown whole, no note."""
    monkeypatch.setattr(preview_mod, "WINDOW_CHARS", 1500)
    pane = PreviewPane(delay_ms=0)
    qtbot.addWidget(pane)
    try:
        pane.render_now(BODY + "A claim.[^1]\n\n[^1]: The source.\n")
        qtbot.waitUntil(lambda: pane.last_rendered is not None, timeout=5000)
        assert pane.shown_part == (0, 1)
        text = _shown(pane)
        assert "The rule of part 0 " in text and f"The rule of part {SECTIONS - 1} " in text
        assert "previewed a part at a time" not in text
    finally:
        pane.shutdown()
