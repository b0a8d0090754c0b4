"""A long policy's first part shown on the formatted surface at once, the
whole built once that is painted (``ui.surface.long_load``), with
pytest-qt: the text shown at the end is the one a build at once makes,
a key or a right-click on the first part builds the whole at once, the build waits
for the paint, and the window's features and preview wait for the whole text.  Here
"long" is made small (``large_document.FIRST_PART_CHARS``)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication
from test_surface import POLICY, make_window  # noqa: F401 - the fixture: a window opening a body

from guidelines_app.core.document import Document
from guidelines_app.core.surface_text import split_units
from guidelines_app.ui import large_document
from guidelines_app.ui.surface import long_load
from guidelines_app.ui.surface.editor import RichSurface

BODY = POLICY + "".join(f"\n## Part {n}\n\nRule {n} applies to **every** post.\n\n- One\n- Two\n" for n in range(60))


@pytest.fixture
def first_part(monkeypatch):
    """Bodies over 2,000 characters show their first 300 or so first."""
    monkeypatch.setattr(large_document, "FIRST_PART_CHARS", 2_000)
    monkeypatch.setattr(long_load, "FIRST_PART_SHOWN", 300)


def _built_at_once(qtbot, monkeypatch, body: str) -> RichSurface:
    monkeypatch.setattr(large_document, "FIRST_PART_CHARS", 10**9)
    at_once = RichSurface()
    qtbot.addWidget(at_once)
    at_once.load(body)
    assert not at_once.building()
    return at_once


def test_the_first_part_shows_at_once_then_the_whole_text_a_build_at_once_makes(qtbot, make_window, first_part,  # noqa: F811
                                                                               monkeypatch):
    w, _ = make_window(BODY)
    surface = w.editing.surface
    told = []
    surface.progress.connect(told.append)
    assert surface.building() and surface.isReadOnly()
    shown = surface.toPlainText()
    assert shown.startswith("Social media guidelines") and "Rule 59" not in shown
    assert "Opening the document" not in shown  # its text, not the long document's notice
    assert surface.source() == w.doc.body  # what a save would write meanwhile: the whole
    qtbot.waitUntil(lambda: not surface.building(), timeout=10000)
    assert told == []  # a moment's work: no progress to tell
    at_once = _built_at_once(qtbot, monkeypatch, w.doc.body)
    assert surface.toPlainText() == at_once.toPlainText()
    assert surface.document().blockCount() == at_once.document().blockCount()
    assert surface.block_lines() == at_once.block_lines()
    assert at_once.toPlainText().startswith(shown)  # the first part was the whole text's beginning
    assert not surface.isReadOnly() and not w.is_modified()
    assert surface.source() == w.doc.body


def test_a_key_on_the_first_part_builds_the_whole_at_once_and_goes_where_it_was_typed(qtbot, make_window,  # noqa: F811
                                                                                     first_part):
    w, _ = make_window(BODY)
    surface = w.editing.surface
    assert surface.building()
    at = surface.toPlainText().index("These guidelines help")
    cursor = surface.textCursor()
    cursor.setPosition(at)  # a click there, as the first part shows
    surface.setTextCursor(cursor)
    qtbot.keyClicks(surface, "Kept ")
    assert not surface.building() and not surface.isReadOnly()  # the first key finished it, in its turn
    assert "Kept These guidelines help" in surface.toPlainText() and "Rule 59" in surface.toPlainText()
    qtbot.keyClick(surface, "@", Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)  # AltGr
    assert "Kept @These guidelines help" in surface.toPlainText()
    w.editing.flush()
    assert "Kept @These guidelines help" in w.editor.text()
    assert w.is_modified()
    assert surface.textCursor().position() == at + len("Kept @")


def test_a_right_click_on_the_first_part_acts_on_the_whole_text(qtbot, make_window, first_part):  # noqa: F811
    w, _ = make_window(BODY)
    surface = w.editing.surface
    assert surface.building()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(20, 20), surface.mapToGlobal(QPoint(20, 20)))
    QTimer.singleShot(0, lambda: QApplication.activePopupWidget() and QApplication.activePopupWidget().close())
    surface.contextMenuEvent(event)
    assert not surface.building() and "Rule 59" in surface.toPlainText()


def test_a_line_to_show_further_on_is_gone_to_once_the_whole_is_built(qtbot, make_window, first_part):  # noqa: F811
    """The source view's line far below the first part (the surface's own
    cursor at the top): not the first part, but the text the surface showed,
    until the whole is built, then the line."""
    w, _ = make_window(BODY)
    surface = w.editing.surface
    qtbot.waitUntil(lambda: not surface.building(), timeout=10000)
    assert surface.current_line() == 0
    shown = surface.document()
    w.editing.show_source(True)
    last = w.editor.document().blockCount() - 1
    w.editor.go_to_line(last)
    w.editor.appendPlainText("Added in the Markdown.")  # (the surface shows the text again)
    w.editing.show_source(False)
    assert surface.building() and surface.document() is shown  # the text shown before, meanwhile
    qtbot.waitUntil(lambda: not surface.building(), timeout=10000)
    assert "Added in the Markdown." in surface.toPlainText()
    assert surface.current_line() >= last - 2


def test_what_waits_for_the_whole_text_goes_on_when_its_build_is_stopped(qtbot, make_window, first_part):  # noqa: F811
    w, _ = make_window(BODY)
    surface = w.editing.surface
    assert surface.building()
    ran = []
    surface.when_whole(lambda: ran.append(True))
    surface.cancel_load()  # (as a very large document opens in source view)
    assert ran == [True] and not surface.building()


def test_the_whole_is_built_once_the_first_part_is_painted(qtbot, first_part, monkeypatch):
    monkeypatch.setattr(long_load, "PAINT_WAIT_MS", 60_000)
    surface = RichSurface()
    qtbot.addWidget(surface)
    surface.resize(600, 400)
    surface.load(BODY)  # (not shown yet: nothing painted)
    assert surface.building()
    qtbot.wait(200)
    assert surface.building()  # it waits for the first part to be on screen
    surface.show()
    qtbot.waitUntil(lambda: not surface.building(), timeout=10000)
    assert "Rule 59 applies to every post." in surface.toPlainText()


def test_a_first_part_never_painted_is_built_all_the_same(qtbot, first_part, monkeypatch):
    monkeypatch.setattr(long_load, "PAINT_WAIT_MS", 50)
    surface = RichSurface()
    qtbot.addWidget(surface)
    surface.load(BODY)  # never shown
    assert surface.building()
    qtbot.waitUntil(lambda: not surface.building(), timeout=10000)
    assert "Rule 59 applies to every post." in surface.toPlainText()


def test_the_windows_features_wait_for_the_whole_text(qtbot, make_window, first_part):  # noqa: F811
    w, _ = make_window(BODY)
    surface, loader = w.editing.surface, w.feature_loader
    assert surface.building() and not loader.painted
    seen = []
    real = loader._painted_and_whole
    loader._painted_and_whole = lambda: (seen.append(surface.building()), real())
    qtbot.waitUntil(lambda: loader.painted, timeout=10000)
    assert seen[:1] == [False]  # (no worker slowed the build down)
    qtbot.waitUntil(lambda: loader.loaded, timeout=20000)


def test_what_waits_for_the_whole_text_runs_when_a_newer_text_replaces_it(qtbot, make_window, first_part,  # noqa: F811
                                                                          workspace, author):
    w, _ = make_window(BODY)
    surface = w.editing.surface
    assert surface.building()
    ran = []
    surface.when_whole(lambda: ran.append(surface.toPlainText()))
    assert ran == []
    other, _ = workspace.create_document(Document.new("Short one", body="# Short one\n\nOnly this.\n"), author)
    w.refresh_documents()
    w.open_document(other)
    assert not surface.building() and len(ran) == 1 and "Only this." in ran[0]
    surface.when_whole(lambda: ran.append("now"))
    assert ran[-1] == "now"  # nothing being built: at once


def test_the_first_part_is_whole_blocks_of_the_whole_text(monkeypatch):
    monkeypatch.setattr(long_load, "FIRST_PART_SHOWN", 300)
    fence = "```\nfirst line\n\nafter a blank line, still code\n```\n"
    body = POLICY[:290] + "\n\n" + fence + "\n" + BODY
    assert body.find("\n\n", 300) < body.index("still code")  # the first blank line after 300: in the code
    part = long_load.first_part(body)
    whole = split_units(body)
    assert part and [u.src for u in part] == [u.src for u in whole[: len(part)]]
    assert not any("first line" in u.src for u in part)  # the block the cut went through is left out
    assert any(u.src.startswith("```") for u in whole[len(part):len(part) + 2])  # (and is next)
    assert long_load.first_part("word " * 100) is None  # no blank line after 300 characters: none


def test_builds_waiting_for_a_paint_are_let_go_of_safely(qtbot, first_part, monkeypatch):
    """Surfaces never shown, their builds waiting and then let go of, many
    times over (deleting such a build with deleteLater crashed Qt within
    a few dozen; ``RichSurface._built``), and a reload letting the last go."""
    monkeypatch.setattr(long_load, "PAINT_WAIT_MS", 20)
    for n in range(40):
        surface = RichSurface()
        qtbot.addWidget(surface)
        surface.load(BODY + f"\nEnd {n}.\n")
        if n % 3 == 0:
            surface.load(BODY + f"\nAgain {n}.\n")  # the first one let go of while it waits
        qtbot.waitUntil(lambda s=surface: not s.building(), timeout=10000)
        gone = []
        surface._finished_build.destroyed.connect(lambda *_, g=gone: g.append(True))
        surface.load("# Short\n")
        assert gone == [True] and "Short" in surface.toPlainText()
        surface.close()
        surface.deleteLater()
        qtbot.wait(1)


def _edited_in_source_view(qtbot, w, needle: str, typed: str):
    """The surface's cursor at *needle* (further on), the source view shown, *typed* before *needle* there."""
    from PySide6.QtGui import QTextCursor

    surface = w.editing.surface
    qtbot.waitUntil(lambda: not surface.building(), timeout=10000)
    found = surface.document().find(needle)
    surface.setTextCursor(QTextCursor(found))
    w.editing.show_source(True)
    cursor = w.editor.document().find(needle)
    cursor.setPosition(cursor.selectionStart())
    cursor.insertText(typed)
    return surface


def test_back_from_the_source_view_the_text_shown_stays_until_the_new_one_is_built(qtbot, make_window,  # noqa: F811
                                                                                   first_part, monkeypatch):
    w, _ = make_window(BODY)
    surface = _edited_in_source_view(qtbot, w, "Rule 40 applies", "Edited ")
    shown = surface.document()
    w.editing.show_source(False)
    # Meanwhile: the formatted text shown before (no notice, no first part), read-only.
    assert surface.building() and surface.isReadOnly() and surface.document() is shown
    assert "Rule 59 applies" in surface.toPlainText() and "Edited Rule 40" not in surface.toPlainText()
    qtbot.waitUntil(lambda: not surface.building(), timeout=10000)
    assert surface.document() is not shown and not surface.isReadOnly()
    assert "Edited Rule 40 applies" in surface.textCursor().block().text()  # at the line the source view was on
    at_once = _built_at_once(qtbot, monkeypatch, surface.source())
    assert surface.toPlainText() == at_once.toPlainText()
    assert not w.is_modified() or "Edited Rule 40" in w.editor.text()


def test_a_key_on_the_text_shown_meanwhile_builds_the_new_one_at_once_and_goes_into_it(qtbot, make_window,  # noqa: F811
                                                                                      first_part):
    w, _ = make_window(BODY)
    surface = _edited_in_source_view(qtbot, w, "Rule 40 applies", "Edited ")
    w.editing.show_source(False)
    assert surface.building()
    qtbot.keyClicks(surface, "Typed ")
    assert not surface.building() and not surface.isReadOnly()  # the first key finished it, in its turn
    w.editing.flush()
    text = w.editor.text()
    assert "Edited Rule 40 applies" in text
    assert "Typed " in text
    assert w.is_modified()
    assert "Typed Edited Rule 40 applies" in surface.toPlainText()  # typed at the line gone back to


def test_undo_and_a_click_on_the_text_shown_meanwhile_act_on_the_new_text(qtbot, make_window, first_part):  # noqa: F811
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    w, _ = make_window(BODY)
    surface = _edited_in_source_view(qtbot, w, "Rule 40 applies", "Edited ")
    w.editing.show_source(False)
    shown = surface.document()
    assert surface.building()
    w.editing.undo()  # (Edit > Undo: no key) the new text first, then its undo (nothing to undo yet)
    assert not surface.building() and surface.document() is not shown
    assert "Edited Rule 40 applies" in surface.toPlainText() and "Edited Rule 40" in w.editor.text()
    surface = _edited_in_source_view(qtbot, w, "Rule 20 applies", "Again ")
    w.editing.show_source(False)
    assert surface.building()
    QTest.mouseClick(surface.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(40, 10))
    assert not surface.building()  # the click showed the new text, at the source view's line (not a place in the old)
    assert "Again Rule 20 applies" in surface.textCursor().block().text()


def test_back_from_the_source_view_after_opening_another_document_never_shows_the_first(qtbot, make_window,  # noqa: F811
                                                                                        first_part, workspace, author):
    w, _ = make_window(BODY)
    other = Document.new("Other", organization="Northwind")
    other.body = BODY.replace("Rule", "Clause")
    slug, _ = workspace.create_document(other, author)
    surface = _edited_in_source_view(qtbot, w, "Rule 40 applies", "Edited ")
    w.editing.flush()
    w.editor.document().setModified(False)  # (not asked to save the first)
    w.open_document(slug)  # in the source view: the surface still holds the first document
    qtbot.waitUntil(lambda: w.slug == slug and "Clause 40" in w.editor.text(), timeout=10000)
    w.editor.go_to_line(w.editor.document().blockCount() - 1)
    w.editing.show_source(False)
    assert "Rule 40" not in surface.toPlainText()  # never the first document's text under the second's name
    qtbot.waitUntil(lambda: not surface.building(), timeout=10000)
    assert "Clause 40" in surface.toPlainText() and "Rule 40" not in surface.toPlainText()


def test_the_first_line_asked_for_on_a_first_part_is_gone_to_there_and_a_later_click_stands(qtbot, make_window,  # noqa: F811
                                                                                           first_part):
    from PySide6.QtGui import QTextCursor

    w, _ = make_window(BODY)
    surface = w.editing.surface
    assert surface.building()
    cursor = surface.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    surface.setTextCursor(cursor)
    surface.go_to_line(0)  # (an outline click on the first heading) on the first part, at once
    assert surface.building() and surface.textCursor().blockNumber() == 0
    at = surface.toPlainText().index("These guidelines help")
    cursor.setPosition(at)  # then a click there
    surface.setTextCursor(cursor)
    qtbot.keyClicks(surface, "Kept ")  # builds the rest, the cursor where it was: not sent back to the top
    assert not surface.building()
    assert "Kept These guidelines help" in surface.toPlainText()
    assert not surface.toPlainText().startswith("Kept")


def test_another_document_opens_at_its_top_and_the_same_one_reloaded_where_it_was(qtbot, make_window,  # noqa: F811
                                                                                 workspace, author):
    from PySide6.QtGui import QTextCursor

    w, first = make_window(BODY)
    surface = w.editing.surface
    qtbot.waitUntil(lambda: not surface.building(), timeout=10000)
    surface.setTextCursor(QTextCursor(surface.document().find("Rule 40 applies")))
    assert surface.current_line() > 100
    other = Document.new("Other", organization="Northwind")
    other.body = BODY.replace("Rule", "Clause")
    slug, _ = workspace.create_document(other, author)
    w.open_document(slug)
    qtbot.waitUntil(lambda: not surface.building() and "Clause 40" in surface.toPlainText(), timeout=10000)
    assert surface.current_line() < 3  # at its top, not at the line the other one's cursor was on
    surface.setTextCursor(QTextCursor(surface.document().find("Clause 40 applies")))
    line = surface.current_line()
    w.open_document(slug, force=True)  # (as after a change made outside the app)
    qtbot.waitUntil(lambda: not surface.building(), timeout=10000)
    assert abs(surface.current_line() - line) <= 1
