"""The editing surface's loose ends, driven with real key events: numbered
lists number on, the blame entry is on the surface's own menu, pictures
show, nothing shows before a table, and a block rewritten whole keeps the
source's line breaks."""

from __future__ import annotations

import pytest
import test_surface
from PySide6.QtCore import Qt
from test_surface import POLICY, cursor_at, diff_lines, saved_body

make_window = test_surface.make_window  # the fixture: a window with a document of a given body

NUMBERED = "Steps:\n\n1. Draft the post.\n2. Ask the hub.\n3. Publish it.\n\nAfter.\n"


def test_enter_after_the_last_numbered_item_takes_the_next_number(qtbot, make_window):
    w, _ = make_window(NUMBERED)
    surface = cursor_at(w, "Publish it.")
    qtbot.keyClick(surface, Qt.Key.Key_Return)
    qtbot.keyClicks(surface, "Log the link.")
    assert surface.source() == NUMBERED.replace("3. Publish it.\n", "3. Publish it.\n4. Log the link.\n")
    w.save_revision("a step")
    assert diff_lines(w) == ["+4. Log the link."]


def test_enter_inside_a_numbered_list_adds_only_the_new_line(qtbot, make_window):
    w, _ = make_window(NUMBERED)
    surface = cursor_at(w, "Ask the hub.")
    qtbot.keyClick(surface, Qt.Key.Key_Return)
    qtbot.keyClicks(surface, "Wait for the answer.")
    qtbot.keyClick(surface, Qt.Key.Key_Return)
    qtbot.keyClicks(surface, "Fix what they ask.")
    w.save_revision("two steps")
    # the items after keep their numbers as written: only the new lines are added
    assert diff_lines(w) == ["+3. Wait for the answer.", "+4. Fix what they ask."]


def test_a_one_dot_list_keeps_one_dot_next_to_a_counting_list(qtbot, make_window):
    body = NUMBERED + "\n- a bullet\n\n1) First.\n1) Second.\n"
    w, _ = make_window(body)
    surface = cursor_at(w, "Second.")
    qtbot.keyClick(surface, Qt.Key.Key_Return)
    qtbot.keyClicks(surface, "Third.")
    assert surface.source() == body + "1) Third.\n"


def test_a_bullet_made_a_numbered_item_is_written_as_one(qtbot, make_window):
    w, _ = make_window("Intro\n\n- one\n- two\n")
    cursor_at(w, "two")
    w.editing.surface.format_list(True)
    assert w.editing.surface.source() == "Intro\n\n- one\n\n1. two\n"


def test_enter_at_the_start_of_an_item_adds_a_line_before_it_and_leaves_it_alone(qtbot, make_window):
    w, _ = make_window(NUMBERED)
    surface = cursor_at(w, "Publish it.", end=False)
    qtbot.keyClick(surface, Qt.Key.Key_Return)
    qtbot.keyClick(surface, Qt.Key.Key_Up)
    qtbot.keyClicks(surface, "Wait a day.")
    w.save_revision("a step before")
    assert diff_lines(w) == ["+3. Wait a day."]
    assert "3. Wait a day.\n3. Publish it.\n" in saved_body(w)


WRAPPED = """Intro.

Staff may share our public posts and talk about their own work,
but they never speak for the organization and never share
details about patients, colleagues or partners without consent.

End.
"""


def test_the_second_half_after_enter_keeps_the_source_wrapping(qtbot, make_window):
    w, _ = make_window(WRAPPED)
    surface = cursor_at(w, "talk about their own work,")
    qtbot.keyClick(surface, Qt.Key.Key_Return)
    body = surface.source()
    assert "their own work,\n\nbut they never speak for the organization and never share\n" \
           "details about patients, colleagues or partners without consent.\n" in body
    w.save_revision("split")
    assert diff_lines(w) == ["+"]  # one blank line added: the two halves keep their lines


@pytest.mark.parametrize(("command", "first", "cont"), [("quote", "> ", "> "), ("bullets", "- ", "  ")])
def test_a_paragraph_made_another_kind_keeps_its_line_breaks(qtbot, make_window, command, first, cont):
    w, _ = make_window(WRAPPED)
    surface = cursor_at(w, "talk about their own work,")
    if command == "quote":
        surface.format_quote()
    else:
        surface.format_list(False)
    lines = WRAPPED.split("\n")[2:5]
    assert surface.source() == WRAPPED.replace("\n".join(lines), "\n".join(
        [first + lines[0]] + [cont + line for line in lines[1:]]))
    w.save_revision("kind")
    assert len(diff_lines(w)) == 6  # three lines out, the same three in


def test_who_changed_this_paragraph_is_on_the_surfaces_right_click_menu(qtbot, make_window, author):
    from PySide6.QtGui import QTextCursor

    from guidelines_app.ui.review.feature import HistoryFeature

    w, _ = make_window(POLICY)
    history = w.features.get("history", HistoryFeature)  # installed after the first paint
    surface = cursor_at(w, "Anyone may mention")  # the cursor is elsewhere than the click
    target = surface.document().find("HR and Legal advise")
    pos = surface.cursorRect(QTextCursor(target.block())).center()
    menu = surface.context_menu(pos)
    assert surface.textCursor().block().text().startswith("HR and Legal")  # the click moved the cursor
    action = next(a for a in menu.actions() if a.text() == "Who Changed This Paragraph?")
    with qtbot.waitSignal(history.blame_shown, timeout=10000) as shown:
        action.trigger()
    para = shown.args[0]
    assert "HR and Legal advise" in para.text and "Anyone may mention" not in para.text
    assert para.author == author.name
    history.last_blame_box.close()
    menu.deleteLater()


def test_no_empty_line_before_or_after_a_table(qtbot, make_window):
    body = "Who approves:\n\n| Post | Approver |\n| --- | --- |\n| Update | Hub |\n\nAfter the table.\n"
    w, _ = make_window(body)
    surface = cursor_at(w, "Who approves:")
    qtbot.keyClick(surface, Qt.Key.Key_Down)  # straight into the table's first cell
    assert surface.textCursor().currentTable() is not None
    assert surface.textCursor().block().text() == "Post"
    text = surface.toPlainText()
    assert "Who approves:\nPost" in text and "Hub\nAfter the table." in text
    cursor_at(w, "Hub")
    qtbot.keyClick(surface, Qt.Key.Key_Down)  # out of the table: the next paragraph
    assert surface.textCursor().block().text() == "After the table."
    assert surface.source() == body  # nothing is written for Qt's blocks around a table
    qtbot.keyClick(surface, Qt.Key.Key_Home)
    qtbot.keyClicks(surface, "Then: ")
    assert surface.source() == body.replace("After the table.", "Then: After the table.")


def test_a_table_inserted_is_right_under_its_paragraph_and_typing_goes_on_below(qtbot, make_window):
    from guidelines_app.ui.surface import tables

    w, _ = make_window("Intro.\n\nEnd.\n")
    surface = cursor_at(w, "Intro.")
    tables.insert_table(surface, 2, 2)
    assert "Intro.\nColumn 1" in surface.toPlainText()
    qtbot.keyClicks(surface, "Hub")
    qtbot.keyClick(surface, Qt.Key.Key_Down)
    qtbot.keyClicks(surface, "Below.")
    assert surface.source() == "Intro.\n\n| Column 1 | Column 2 |\n| --- | --- |\n| Hub |  |\n\nBelow.\n\nEnd.\n"


def _picture_blocks(surface):
    doc = surface.document()
    found = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid() and fragment.charFormat().isImageFormat():
                found.append((block, fragment.charFormat().toImageFormat()))
            it += 1
        block = block.next()
    return found


def test_a_workspace_picture_shows_on_the_surface_and_its_line_stays(qtbot, make_window):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QColor, QImage, QTextDocument

    body = "Our logo:\n\n![Northwind logo](../images/logo.png)\n\n![remote](https://example.org/x.png)\n\nEnd.\n"
    w, _ = make_window("Placeholder.\n")
    (w.ws.root / "images").mkdir()
    picture = QImage(3000, 300, QImage.Format.Format_RGB32)
    picture.fill(QColor("#2e7d32"))
    assert picture.save(str(w.ws.root / "images" / "logo.png"))
    w.editor.setPlainText(body)  # as if opened with it
    surface = w.editing.surface
    qtbot.waitUntil(lambda: "Our logo:" in surface.toPlainText(), timeout=3000)
    pictures = _picture_blocks(surface)
    assert len(pictures) == 1  # the remote one is never loaded
    block, fmt = pictures[0]
    assert block.text() == "\ufffc" and "Northwind logo" not in surface.toPlainText()
    shown = surface.document().resource(QTextDocument.ResourceType.ImageResource.value, QUrl(fmt.name()))
    assert 0 < shown.width() <= surface.viewport().width()  # scaled to the page, not 3000 pixels wide
    assert "![remote](https://example.org/x.png)" in surface.toPlainText()  # shown as its line
    assert surface.source() == body
    cursor_at(w, "Our logo:")
    qtbot.keyClicks(surface, " see below")
    qtbot.keyClick(surface, Qt.Key.Key_Down)
    qtbot.keyClick(surface, Qt.Key.Key_Return)  # Enter on a picture starts a paragraph after it
    qtbot.keyClicks(surface, "A caption.")
    assert surface.source() == body.replace("Our logo:", "Our logo: see below").replace(
        "logo.png)\n", "logo.png)\n\nA caption.\n")


JOINABLE = """Intro.

First paragraph, line one
and its line two.

Second paragraph, line one
with its line two
and its line three.

End.
"""


@pytest.mark.parametrize("key", ["backspace", "delete"])
def test_joining_two_paragraphs_keeps_the_second_ones_line_breaks(qtbot, make_window, key):
    w, _ = make_window(JOINABLE)
    if key == "backspace":
        surface = cursor_at(w, "Second paragraph", end=False)
        qtbot.keyClick(surface, Qt.Key.Key_Backspace)
    else:
        surface = cursor_at(w, "and its line two.")
        qtbot.keyClick(surface, Qt.Key.Key_Delete)
    assert surface.source() == JOINABLE.replace("line two.\n\nSecond", "line two.Second")
    w.save_revision("joined")
    assert diff_lines(w) == ["-and its line two.", "-", "-Second paragraph, line one",
                             "+and its line two.Second paragraph, line one"]


MANY = "".join(f"Paragraph {n} is about the {'hub' if n % 3 == 0 else 'team'} and *its* posts.\n\n"
               for n in range(30))


def _units_with(surface, needle: str) -> set[int]:
    return {n for n, unit in enumerate(surface.units) if needle in unit.src}


def test_replace_all_on_the_surface_marks_only_the_paragraphs_it_changed(qtbot, make_window):
    """Qt reports one undo step's changes as one stretch, from the first
    to the last: every paragraph between was marked edited, and written
    again at every sync until the document was opened again."""
    w, _ = make_window(MANY)
    surface, bar = w.editing.surface, w.find_bar
    bar.open_bar(replace=True)
    bar.find_edit.setText("hub")
    bar.replace_edit.setText("press office")
    assert bar.replace_all() == 10
    assert surface.dirty == _units_with(surface, "hub")  # the 10 paragraphs, not the 28 from the first to the last
    w.editing.flush()
    assert w.editor.text() == MANY.replace("hub", "press office")
    w.editing.undo()
    w.editing.flush()
    assert w.editor.text() == MANY


def _replace(w, needle: str, by: str) -> int:
    """Edit > Replace all of *needle* by *by* in the find bar: the number replaced."""
    bar = w.find_bar
    bar.open_bar(replace=True)
    bar.find_edit.setText(needle)
    bar.replace_edit.setText(by)
    return bar.replace_all()


def _in_small_parts(monkeypatch) -> None:
    """Replace All in parts of a replacement or two (a very long policy's, as the window meets them)."""
    from guidelines_app.ui import editor

    monkeypatch.setattr(editor, "PART_CHARS", 200)
    monkeypatch.setattr(editor, "PART_S", 1e-9)  # each part after the first as small as it can be


def test_replace_all_in_parts_lets_the_window_turn_and_is_one_undo_step(qtbot, make_window, monkeypatch):
    """In a very long policy, Replace All held the window 1.5 s in one go
    (Qt laid out the text from the first replacement to the last at once):
    it replaces in parts, the event loop turning between them."""
    from PySide6.QtCore import QTimer

    _in_small_parts(monkeypatch)
    w, _ = make_window(MANY)
    surface, bar = w.editing.surface, w.find_bar
    turns: list[int] = []
    ticker = QTimer(interval=0)
    ticker.timeout.connect(lambda: turns.append(surface.document().toPlainText().count("hub")))
    ticker.start()
    try:
        assert _replace(w, "hub", "press office") == 10
    finally:
        ticker.stop()
    assert sum(0 < left < 10 for left in turns) >= 5  # the loop turned between parts, some of the text replaced
    assert bar.status.text() == "Replaced 10"
    assert surface.dirty == _units_with(surface, "hub")  # only the paragraphs it changed
    w.editing.flush()
    assert w.editor.text() == MANY.replace("hub", "press office")
    w.editing.undo()  # the last part, then the others from the next turn (``ui.undo_groups``)
    qtbot.waitUntil(lambda: "press office" not in surface.document().toPlainText())
    w.editing.flush()
    assert w.editor.text() == MANY


def test_replace_all_stopped_keeps_what_it_replaced_as_one_undo_step(qtbot, make_window, monkeypatch):
    """The progress dialog's Stop: the parts replaced stay, the status says
    it stopped, and one Undo takes them all back."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    from guidelines_app.ui import jobs

    _in_small_parts(monkeypatch)
    monkeypatch.setattr(jobs, "SHOW_AFTER_MS", 0)
    w, _ = make_window(MANY)
    bar = w.find_bar
    seen: list[str] = []

    def stop() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QProgressDialog) and dialog.isVisible():
            seen.append(dialog.labelText())
            [button] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Stop"]
            button.click()
        else:
            QTimer.singleShot(0, stop)
    QTimer.singleShot(0, stop)
    count = _replace(w, "hub", "press office")
    assert seen == ["Replacing “hub” with “press office”…"]
    assert 0 < count < 10 and bar.status.text() == f"Replaced {count}, then stopped"
    w.editing.flush()
    text = w.editor.text()
    assert text.count("press office") == count and text.count("hub") == 10 - count
    assert text.replace("press office", "hub") == MANY  # the first ones replaced, nothing else changed
    assert text.index("press office") < text.index("hub") and text.rindex("press office") < text.index("hub")
    w.editing.undo()
    qtbot.waitUntil(lambda: "press office" not in w.editing.surface.document().toPlainText())
    w.editing.flush()
    assert w.editor.text() == MANY


def test_replace_all_ends_when_something_else_changes_the_text_between_parts(qtbot, make_window, monkeypatch):
    """A text changed meanwhile (a file reloaded over it) is not the text
    the user asked to replace in: the parts after it are not made."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QTextCursor

    _in_small_parts(monkeypatch)
    w, _ = make_window(MANY)
    bar, doc = w.find_bar, w.editing.surface.document()
    QTimer.singleShot(0, lambda: QTextCursor(doc).insertText("Changed. "))
    count = _replace(w, "team", "staff")
    text = doc.toPlainText()
    assert 0 < count < 20 and text.startswith("Changed. ") and text.count("staff") == count
    assert bar.status.text() == f"Replaced {count}, then stopped"
    # The other edit is no part of the Replace All: an undo takes it back alone, the next one the replacements.
    w.editing.undo()
    qtbot.wait(50)
    assert not doc.toPlainText().startswith("Changed. ") and doc.toPlainText().count("staff") == count
    w.editing.undo()
    qtbot.waitUntil(lambda: "staff" not in doc.toPlainText())
    w.editing.flush()
    assert w.editor.text() == MANY


def _team_replaced_by_staff(make_window):
    """A window with MANY, every "team" replaced by "staff" (Edit > Replace
    All): the window, its surface, the surface's text and that text."""
    w, _ = make_window(MANY)
    surface = w.editing.surface
    doc = surface.document()
    assert _replace(w, "team", "staff") == 20
    return w, surface, doc, doc.toPlainText()


def test_a_replace_all_in_parts_is_undone_and_redone_as_one_from_the_keyboard(qtbot, make_window, monkeypatch):
    """Each part is an undo step of its own (Qt lays out each alone):
    Ctrl+Z in the text takes the last back, and the others follow; a redo
    brings them all back; an edit made after undoing them ends the group."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from guidelines_app.ui.undo_groups import groups_of

    _in_small_parts(monkeypatch)
    w, surface, doc, replaced = _team_replaced_by_staff(make_window)
    [(bottom, top)] = groups_of(doc).groups()
    assert doc.availableUndoSteps() == top and top - bottom > 20  # parts of their own in the undo stack
    surface.setFocus()
    QTest.keyClick(surface, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "staff" in doc.toPlainText()  # the last part only, at once
    qtbot.waitUntil(lambda: "staff" not in doc.toPlainText())
    assert doc.availableUndoSteps() == bottom
    w.editing.redo()
    qtbot.waitUntil(lambda: doc.toPlainText() == replaced)
    assert doc.availableUndoSteps() == top
    w.editing.undo()
    qtbot.waitUntil(lambda: "staff" not in doc.toPlainText())
    QTest.keyClicks(surface, "x")  # the redo steps are gone, and the group with them
    assert groups_of(doc).groups() == []
    w.editing.undo()  # the letter typed
    qtbot.wait(50)
    w.editing.flush()
    assert w.editor.text() == MANY


@pytest.mark.parametrize("small_parts", [False, True])
def test_a_word_typed_right_after_a_replace_all_is_undone_on_its_own(qtbot, make_window, monkeypatch, small_parts):
    """Qt merged a key typed right after an edit block's last insertion
    into that block: "ing" typed after the last word Replace All put in,
    then Undo, took back the whole Replace All with it."""
    if small_parts:
        _in_small_parts(monkeypatch)
    w, surface, doc, replaced = _team_replaced_by_staff(make_window)
    _type_ing_after_then_undo(surface, replaced.rfind("staff") + len("staff"))
    assert doc.toPlainText() == replaced  # the letters typed only
    w.editing.undo()  # then the Replace All, whole
    qtbot.waitUntil(lambda: "staff" not in doc.toPlainText())
    w.editing.flush()
    assert w.editor.text() == MANY


def _type_ing_after_then_undo(surface, position: int) -> None:
    """"ing" typed at *position* (right after a word put in), then Ctrl+Z."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    cursor = surface.textCursor()
    cursor.setPosition(position)
    surface.setTextCursor(cursor)
    surface.setFocus()
    QTest.keyClicks(surface, "ing")
    assert surface.document().toPlainText().count("staffing") == 1
    QTest.keyClick(surface, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_a_word_typed_right_after_a_replace_is_undone_on_its_own(qtbot, make_window):
    """As after a Replace All: "ing" typed right after the word Replace
    put in, then Undo, took back the replacement with the letters."""
    w, _ = make_window(MANY)
    surface, bar = w.editing.surface, w.find_bar
    doc = surface.document()
    bar.open_bar(replace=True)
    bar.find_edit.setText("team")
    bar.replace_edit.setText("staff")
    assert bar.find_next()
    bar.replace_one()
    replaced = doc.toPlainText()
    assert replaced.count("staff") == 1 and replaced.count("team") == MANY.count("team") - 1
    _type_ing_after_then_undo(surface, replaced.find("staff") + len("staff"))
    assert doc.toPlainText() == replaced  # the letters typed only
    w.editing.undo()  # then the replacement
    w.editing.flush()
    assert w.editor.text() == MANY


def test_the_view_built_again_while_a_replace_all_is_undone_ends_the_undo_and_gives_the_window_back(
        qtbot, make_window, monkeypatch):
    """The colours changed (the system's dark mode) while the parts were
    taken back: the surface is built again, its old text deleted.  The undo
    ends there, with no error and the window's input no longer held (it
    once waited for Stop, the window held, and raised on the deleted text)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from guidelines_app.ui import appearance, undo_groups

    _in_small_parts(monkeypatch)
    w, _ = make_window(MANY)
    surface = w.editing.surface
    old = surface.document()
    assert _replace(w, "team", "staff") == 20
    real, seen = undo_groups.step_through, []

    def rebuilt_after_two_parts(parent, steps, *words):
        def parts():
            for n, step in enumerate(steps):
                if n == 2:
                    appearance.apply("dark" if appearance.current().name != "dark" else "light")
                    seen.append(w.editing.surface.document() is not old)
                yield step
        return real(parent, parts(), *words)

    monkeypatch.setattr(undo_groups, "step_through", rebuilt_after_two_parts)
    surface.setFocus()
    QTest.keyClick(surface, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: seen == [True] and QApplication.activeModalWidget() is None, timeout=5000)
    qtbot.wait(50)
    appearance.apply("system")
    new = w.editing.surface
    new.setFocus()
    QTest.keyClicks(new, "Z")  # the window answers keys again
    w.editing.flush()
    assert "Z" in w.editor.text()


def test_leaving_the_source_view_far_down_lays_the_text_out_first_a_slice_per_turn(qtbot, make_window, monkeypatch,
                                                                                   settings):
    """Halfway down a 4 MB policy, going to the source view's line on the
    surface built again had Qt lay out the whole text before it at once
    (0.7-0.8 s).  It is laid out first, a slice per turn, the surface's
    painting held (what it showed stays on screen); meanwhile its line is
    the one it goes to, and a key typed goes there at once."""
    from PySide6.QtCore import QPoint, QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest

    from guidelines_app.ui import paced_layout
    from guidelines_app.ui.surface import far_jump

    monkeypatch.setattr(far_jump, "FAR_CHARS", 100)
    monkeypatch.setattr(far_jump, "STEP_CHARS", 300)
    monkeypatch.setattr(far_jump, "SLICE_S", 0.0)  # a step a turn
    # The surface, out of sight behind the source view, is not laid out meanwhile (as a long policy's is
    # not, in the moment it takes; this one, short, would be laid out whole at its first step).
    monkeypatch.setattr(paced_layout, "HIDDEN_REST_S", float("inf"))
    # No spelling: with its dictionary loaded already (by an earlier test), it checks the blocks around
    # the cursor at once, which in a text this short lays it all out.
    settings.spelling_language = ""
    body = "".join(f"Paragraph {n} is about the team and its posts.\n\n" for n in range(300))
    w, _ = make_window(body)
    editing, editor = w.editing, w.editor
    editing.show_source(True)
    editor.go_to_line(2 * 250)  # "Paragraph 250"
    turns: list[tuple[bool, int]] = []
    ticker = QTimer(interval=0)
    ticker.timeout.connect(lambda: turns.append((editing.surface.viewport().updatesEnabled(),
                                                 editing.surface.textCursor().blockNumber())))
    ticker.start()
    try:
        editing.show_source(False)
        surface = editing.surface
        assert far_jump.pending(surface) is not None and not surface.viewport().updatesEnabled()
        assert editing.current_line() == 500  # where it goes
        qtbot.waitUntil(lambda: far_jump.pending(surface) is None, timeout=5000)
    finally:
        ticker.stop()
    held = [at for enabled, at in turns if not enabled]
    assert len(held) >= 5 and set(held) == {0}  # turns with the painting held, the cursor not moved yet
    assert surface.viewport().updatesEnabled() and surface.textCursor().block().text().startswith("Paragraph 250 ")
    # A zoom while the text is laid out: the cursor still goes to its line.
    editing.show_source(True)
    editor.go_to_line(2 * 260)
    editor.textCursor().insertText("Zoomed: ")
    editing.show_source(False)
    surface = editing.surface
    assert far_jump.pending(surface) is not None
    next(a for a in w.menus["View"].actions() if a.text() == "Zoom &In").trigger()
    qtbot.waitUntil(lambda: far_jump.target(surface) is None, timeout=5000)
    assert surface.textCursor().block().text().startswith("Zoomed: Paragraph 260 ")
    # A key typed while the text is laid out goes to the line at once.
    editing.show_source(True)
    editor.go_to_line(2 * 280)
    editor.textCursor().insertText("Now: ")  # (an edit: the surface is built again)
    editing.show_source(False)
    surface = editing.surface
    assert far_jump.pending(surface) is not None
    surface.setFocus()
    qtbot.keyClicks(surface, "X")
    assert far_jump.pending(surface) is None and surface.viewport().updatesEnabled()
    assert surface.textCursor().block().text().startswith("XNow: Paragraph 280 ")
    editing.flush()
    assert "XNow: Paragraph 280 " in editor.text() and QTextCursor(surface.document()).block().text().startswith("Paragraph 0")

    def leave_at(n: int):
        editing.show_source(True)
        editor.go_to_line(2 * n)
        editor.textCursor().insertText("At: ")
        editing.show_source(False)
        assert far_jump.pending(editing.surface) is not None
        return editing.surface

    # A click on the text while it is laid out: the jump is made, the click (aimed at text no longer there) dropped.
    surface = leave_at(200)
    window = surface.window()
    # (through the window, as a real click comes: Qt gives it to the window first, then to the widget under it)
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     surface.viewport().mapTo(window, QPoint(40, surface.viewport().height() - 10)))  # (lines below)
    assert far_jump.pending(surface) is None and surface.textCursor().block().text().startswith("At: Paragraph 200 ")
    # Find Next (Enter in the find bar) searches from the line gone to, not from the top.
    surface = leave_at(150)
    w.find_bar.open_bar()
    w.find_bar.find_edit.setText("team")
    qtbot.keyClick(w.find_bar.find_edit, Qt.Key.Key_Return)
    found = surface.textCursor()
    assert far_jump.pending(surface) is None and found.selectedText() == "team"
    assert found.block().text().startswith("At: Paragraph 150 ")  # (not Paragraph 0's)
    # The surface built again meanwhile (a reload): the new text is gone to its own line.
    surface = leave_at(100)
    w.editing.refresh_surface(at_line=2 * 120)
    w.editing.surface.go_to_line(2 * 120)
    qtbot.waitUntil(lambda: far_jump.pending(w.editing.surface) is None, timeout=5000)
    assert w.editing.surface.textCursor().block().text().startswith("Paragraph 120 ")
    assert w.editing.surface.viewport().updatesEnabled()


def test_a_zoom_keeps_the_paragraph_at_the_top_laid_out_first_a_slice_per_turn(qtbot, make_window, monkeypatch):
    """A zoom halfway down a 4 MB policy had Qt lay out at once all the text
    before the scroll's pixels (0.4-0.8 s), and then showed another place:
    the paragraph at the top stays there, the text before it laid out first
    a slice per turn, the painting held meanwhile."""
    from PySide6.QtCore import QPoint, QTimerEvent

    from guidelines_app.ui import paced_layout
    from guidelines_app.ui.surface import far_jump

    monkeypatch.setattr(far_jump, "FAR_CHARS", 100)
    monkeypatch.setattr(far_jump, "STEP_CHARS", 300)
    monkeypatch.setattr(far_jump, "SLICE_S", 0.0)
    body = "".join(f"Paragraph {n} is about the team and its posts.\n\n" for n in range(300))
    w, _ = make_window(body)
    surface = w.editing.surface
    doc = surface.document()
    qtbot.waitUntil(lambda: not paced_layout._layout_timers(doc.documentLayout()), timeout=10000)
    # From now on the pace lays nothing out by itself: the text stays laid out as far as the jump took it.
    monkeypatch.setattr(paced_layout, "REST_S", 3600.0)
    monkeypatch.setattr(paced_layout, "REST_WORKING_S", 3600.0)
    target = doc.find("Paragraph 200 ").block()
    surface.verticalScrollBar().setValue(int(doc.documentLayout().blockBoundingRect(target).top()))
    assert surface.cursorForPosition(QPoint(0, 0)).block().text().startswith("Paragraph 200 ")
    [control] = [c for c in surface.children() if c.metaObject().className().endswith("TextControl")]
    for entry in ("Zoom &Out", "Zoom &In"):
        next(a for a in w.menus["View"].actions() if a.text() == entry).trigger()
        assert far_jump.target(surface) is not None and not surface.viewport().updatesEnabled(), entry
        assert far_jump.pending(surface) is None  # (a zoom does not move the cursor: its line stays the cursor's)
        # The cursor's blink (which asks where the cursor is: Qt lays out the text before it at once) waits.
        assert surface._far_jump.eventFilter(control, QTimerEvent(1)) is True
        qtbot.waitUntil(lambda: far_jump.target(surface) is None, timeout=5000)
        assert surface.viewport().updatesEnabled()
        # Where its top is, while the rest is laid out again: found among the text laid out (asking Qt
        # had it lay out all the rest at once and answer with the last paragraph).
        assert paced_layout._layout_timers(doc.documentLayout()), entry  # (not laid out to the end)
        assert paced_layout.block_at(surface, 0).text().startswith("Paragraph 200 "), entry
        assert paced_layout._layout_timers(doc.documentLayout()), entry
        assert surface.cursorForPosition(QPoint(0, 0)).block().text().startswith("Paragraph 200 "), entry


def test_an_edited_paragraph_is_worked_out_again_only_when_it_changes(qtbot, make_window, monkeypatch):
    """Each sync writes every paragraph edited since the document was
    opened: the answer for one that shows the same as at the last sync is
    the one worked out then."""
    from guidelines_app.ui.surface import writing

    calls: list[str] = []
    real = writing.edit_source
    monkeypatch.setattr(writing, "edit_source", lambda src, *rest: calls.append(src) or real(src, *rest))
    w, _ = make_window(MANY)
    surface = cursor_at(w, "Paragraph 4")
    qtbot.keyClicks(surface, " (new)")
    cursor_at(w, "Paragraph 7")
    qtbot.keyClicks(surface, " (also new)")
    first = surface.source()
    assert len(calls) == 2 and "Paragraph 4 (new) is" in first and "Paragraph 7 (also new) is" in first
    assert surface.source() == first and len(calls) == 2  # nothing changed since: no paragraph worked out again
    cursor_at(w, "Paragraph 7 (also new)")
    qtbot.keyClicks(surface, "!")
    again = surface.source()
    assert len(calls) == 3 and calls[-1].startswith("Paragraph 7 is")  # only the one typed in, from its source
    assert again == first.replace("Paragraph 7 (also new) is", "Paragraph 7 (also new)! is")
    qtbot.keyClick(surface, Qt.Key.Key_Backspace)  # back to the text before: the kept answer is the last one only
    assert surface.source() == first and len(calls) == 4
    w.editing.flush()
    assert w.editor.text() == first


def test_edits_on_the_surface_reach_the_source_around_letters_past_u_ffff(qtbot, make_window):
    """The source editor gets only the lines that changed, placed by Qt's
    positions (UTF-16: an emoji counts two): edits before, after and between
    such letters land where they were typed."""
    body = "Intro 😀 é.\n\nSecond 👍 line.\n\nThird plain.\n\nLast 😀.\n"
    w, _ = make_window(body)
    surface = cursor_at(w, "Second 👍 line.")
    qtbot.keyClicks(surface, " More")
    w.editing.flush()
    assert w.editor.text() == body.replace("Second 👍 line.", "Second 👍 line. More")
    cursor_at(w, "Intro 😀 é.", end=False)
    qtbot.keyClicks(surface, "New ")
    cursor_at(w, "Last 😀.")
    surface.textCursor().insertText(" 🙂")  # (QTest types no letter past U+FFFF)
    w.editing.flush()
    assert w.editor.text() == surface.source() == body.replace("Second 👍 line.", "Second 👍 line. More") \
        .replace("Intro", "New Intro").replace("Last 😀.", "Last 😀. 🙂")


def test_ctrl_end_select_all_and_find_far_down_lay_the_text_out_first_a_slice_per_turn(qtbot, make_window,
                                                                                        monkeypatch, settings):
    """Just after a 4 MB policy is opened, Ctrl+End and Ctrl+A had Qt lay
    out all the text at once to show where the cursor went (0.36-0.6 s of
    the window in one go), and so did Find Next to a match far down, the
    right-click menu's Select All and Find Previous wrapping around: each
    is a far jump now (the text laid out first a slice per turn, the
    painting held), and lands where Qt's own would, the end in sight."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QAction, QTextCursor

    from guidelines_app.ui import paced_layout
    from guidelines_app.ui.surface import far_jump

    monkeypatch.setattr(far_jump, "FAR_CHARS", 100)
    monkeypatch.setattr(far_jump, "STEP_CHARS", 300)
    monkeypatch.setattr(far_jump, "SLICE_S", 0.0)  # a step a turn
    # The pace lays nothing out by itself: the text stays laid out only as far as the view and the jumps take it.
    monkeypatch.setattr(paced_layout, "REST_S", 3600.0)
    monkeypatch.setattr(paced_layout, "REST_WORKING_S", 3600.0)
    settings.spelling_language = ""
    body = "".join(f"Paragraph {n} is about the team and its posts.\n\n" for n in range(300))
    w, _ = make_window(body)
    surface = w.editing.surface
    doc = surface.document()
    surface.setFocus()

    def zoom(entry: str) -> None:  # another font: the text to be laid out again from the top
        surface.moveCursor(QTextCursor.MoveOperation.Start)  # (at the top: the zoom keeps it there)
        next(a for a in w.menus["View"].actions() if a.text() == entry).trigger()
        qtbot.waitUntil(lambda: far_jump.target(surface) is None, timeout=5000)
        assert paced_layout.laid_out_to(doc) < doc.characterCount() - far_jump.FAR_CHARS

    def far_jump_made(act) -> None:
        assert paced_layout.laid_out_to(doc) < doc.characterCount() - far_jump.FAR_CHARS  # (far, before)
        act()
        assert far_jump.pending(surface) is not None and not surface.viewport().updatesEnabled()
        assert surface.textCursor().position() == 0  # not moved yet: the text is laid out first
        qtbot.waitUntil(lambda: far_jump.pending(surface) is None, timeout=5000)
        assert surface.viewport().updatesEnabled()

    def in_sight() -> bool:
        rect = surface.cursorRect()
        return 0 <= rect.top() and rect.bottom() <= surface.viewport().height()

    far_jump_made(lambda: qtbot.keyClick(surface, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier))
    cursor = surface.textCursor()
    assert cursor.atEnd() and not cursor.hasSelection() and in_sight()
    zoom("Zoom &In")
    far_jump_made(lambda: qtbot.keyClick(surface, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier
                                         | Qt.KeyboardModifier.ShiftModifier))
    cursor = surface.textCursor()
    assert cursor.atEnd() and cursor.anchor() == 0 and in_sight()
    zoom("Zoom &Out")
    far_jump_made(lambda: qtbot.keyClick(surface, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier))
    cursor = surface.textCursor()
    assert cursor.selectionStart() == 0 and cursor.selectionEnd() == doc.characterCount() - 1
    zoom("Zoom &In")
    far_jump_made(lambda: next(a for a in w.menus["Edit"].actions() if a.text() == "Select &All").trigger())
    assert surface.textCursor().selectionEnd() == doc.characterCount() - 1
    w.find_bar.open_bar()
    w.find_bar.find_edit.setText("Paragraph 290 ")
    zoom("Zoom &Out")
    steps, modified, text = doc.availableUndoSteps(), doc.isModified(), doc.toPlainText()
    far_jump_made(lambda: qtbot.keyClick(w.find_bar.find_edit, Qt.Key.Key_Return))
    found = surface.textCursor()
    assert found.selectedText() == "Paragraph 290 " and in_sight()
    # (searched inside an empty edit block: no edit, no undo step)
    assert (doc.availableUndoSteps(), doc.isModified(), doc.toPlainText()) == (steps, modified, text)
    # Near, it is Qt's own at once: Find Next to the paragraph after it, Ctrl+End from there.
    w.find_bar.find_edit.setText("Paragraph 291 ")
    qtbot.keyClick(w.find_bar.find_edit, Qt.Key.Key_Return)
    assert far_jump.pending(surface) is None and surface.textCursor().selectedText() == "Paragraph 291 "
    surface.setFocus()
    qtbot.keyClick(surface, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert far_jump.pending(surface) is None and surface.textCursor().atEnd()
    # The right-click menu's Select All (Qt's own called its C++ slot) and Find Previous wrapping
    # around from the end (the find bar put the cursor at the end first) are far jumps too.
    zoom("Zoom &In")
    menu = surface.context_menu(QPoint(5, 5))
    select_all = menu.findChild(QAction, "select-all")
    far_jump_made(select_all.trigger)
    menu.deleteLater()
    assert surface.textCursor().selectionStart() == 0 and surface.textCursor().selectionEnd() == doc.characterCount() - 1
    zoom("Zoom &Out")
    w.find_bar.find_edit.setText("Paragraph 290 ")
    far_jump_made(w.find_bar.find_previous)
    assert surface.textCursor().selectedText() == "Paragraph 290 " and in_sight()
    assert w.find_bar.status.text() == "Wrapped around"
    # Not found either way: the cursor stays where it was (it went to the text's end before).
    surface.moveCursor(QTextCursor.MoveOperation.Start)
    w.find_bar.find_edit.setText("Paragraph 9999")
    assert not w.find_bar.find_previous() and w.find_bar.status.text() == "Not found"
    assert surface.textCursor().position() == 0 and far_jump.pending(surface) is None


def test_the_far_jumps_search_finds_what_qts_own_search_finds(qtbot):
    """Find Next far down looks for the match itself (Qt's own search lays
    out all the text before the match at once): it finds the match Qt's
    finds, forwards and backwards, whole words or not, case or not, from
    anywhere; and says when it cannot read a text as Qt does."""
    from PySide6.QtGui import QTextDocument

    from guidelines_app.ui.surface import far_jump

    doc = QTextDocument()
    doc.setPlainText("Team posts: the team's TEAM.\nteamwork and team\u00a0posts\n\nA team, a Team; steam team.\nEnd team")
    flags = QTextDocument.FindFlag
    options = [flags(0), flags.FindCaseSensitively, flags.FindWholeWords, flags.FindBackward,
               flags.FindBackward | flags.FindWholeWords, flags.FindBackward | flags.FindCaseSensitively,
               flags.FindWholeWords | flags.FindCaseSensitively]
    checked = 0
    for needle in ("team", "Team", "team posts", "m", "posts\n", "a t", "End team", "x"):
        for option in options:
            for position in range(0, doc.characterCount()):
                qt = doc.find(needle, position, option)
                ours = far_jump._search(doc, needle, position, option)
                want = () if qt.isNull() else (qt.selectionStart(), qt.selectionEnd())
                assert ours == want, (needle, option, position)
                checked += 1
    assert checked > 1000
    # Letters beyond ASCII: found as Qt finds them, in paragraphs whose lower case is their case folding.
    accents = QTextDocument()
    accents.setPlainText("L'Équipe et l'équipe.\nRÉSEAUX sociaux, réseaux; Öffentlichkeit und ÖFFENTLICHKEIT\n"
                         "Straße ist da\nΟΔΟΣ και οδός\nÉquipe")
    checked = 0
    for needle in ("équipe", "Équipe", "réseaux sociaux", "öffentlichkeit", "é", "ÉQUIPE"):
        for option in options:
            for position in range(0, accents.characterCount()):
                qt = accents.find(needle, position, option)
                ours = far_jump._search(accents, needle, position, option)
                if ours is None:  # (a paragraph met on the way that this does not read as Qt does)
                    continue
                want = () if qt.isNull() else (qt.selectionStart(), qt.selectionEnd())
                assert ours == want, (needle, option, position)
                checked += 1
    assert checked > 1000
    # Paragraphs where lower case and case folding part (ß, a final sigma): Qt's own search, without case.
    start = accents.findBlockByNumber(2).position()
    assert far_jump._search(accents, "équipe", start, flags.FindBackward) is not None  # (before "Straße")
    assert far_jump._search(accents, "équipe", start, flags(0)) is None
    assert far_jump._search(accents, "équipe", start, flags.FindCaseSensitively) is not None
    astral = QTextDocument()
    astral.setPlainText("A \U0001F600 team")
    assert far_jump._search(astral, "team", 0, flags(0)) is None


def test_block_marks_typed_at_a_block_s_start_stay_text(qtbot, make_window, settings):
    """Typed at the start of a paragraph, "# " made it a heading in the saved
    file; "> " or "- " in a list item made a quote or a list inside it; a
    heading's typed ">" and a table cell's were hidden as a quote's marker;
    a heading ending " #" lost it in export.  The saved file now reads back
    as the text typed, and the structure stays as it was."""
    from guidelines_app.core.markup import export_html
    from guidelines_app.core.outline import outline

    body = "# Policy\n\n## Replies\n\nWe answer fast.\n\n- Be kind.\n\n| A | B |\n|---|---|\n| one | two |\n"
    w, slug = make_window(body)
    for needle, typed, end in (("We answer fast.", "# ", False), ("Replies", "> ", False), ("Be kind.", "> - ", False),
                               ("one", "> ", False), ("Replies", " #", True)):
        qtbot.keyClicks(cursor_at(w, needle, end=end), typed)
    surface = cursor_at(w, "We answer fast.")
    qtbot.keyClick(surface, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # a line break, then a mark
    qtbot.keyClicks(surface, "## or later")
    w.save_revision("marks typed")
    saved = saved_body(w)
    assert [s.level for s in outline(saved)] == [1, 2]  # no new heading
    assert saved.count("\n- ") == 1 and "\n> " not in saved  # no new list or quote
    shown = w.editing.surface.document().toPlainText()
    html = export_html(saved)
    for words in ("# We answer fast.", "## or later", "> Replies #", "> - Be kind.", "> one"):
        assert words in shown, (words, shown)
        assert words.replace(">", "&gt;") in html, (words, html)
    from guidelines_app.ui.main_window import MainWindow

    again = MainWindow(w.ws, settings)  # the saved file read afresh
    qtbot.addWidget(again)
    again.show()
    again.open_document(slug)
    assert again.editing.surface.document().toPlainText() == shown


def test_formats_after_an_emoji_stay_on_their_words(qtbot, make_window):
    """Qt counts an emoji (a letter past U+FFFF) as two: every bold word and
    link after one landed a letter later in the saved file when a word was
    typed anywhere in its paragraph ("q**uick**", "f[orm.](...)")."""
    body = "Intro.\n\nThanks \U0001F44D for the **quick** reply and the [form](https://example.org/f).\n"
    w, _ = make_window(body)
    qtbot.keyClicks(cursor_at(w, "reply"), " today")
    w.save_revision("a word after an emoji")
    assert "Thanks \U0001F44D for the **quick** reply today and the [form](https://example.org/f)." in saved_body(w)


def test_every_line_of_a_table_cell_is_saved(qtbot, make_window):
    """A cell holds more than one line once text with line breaks is pasted
    into it, or Shift+Enter is pressed in it, or it was written with "<br>":
    only its first line was saved (pasted lines were lost; a cell's "<br>"
    went at the next edit of its table), and Shift+Enter split the row."""
    from PySide6.QtWidgets import QApplication

    from guidelines_app.core.markup import export_html

    body = "Intro.\n\n| Name | Role |\n| --- | --- |\n| Ann | Lead<br>on call |\n| Bo | Editor |\n\nEnd.\n"
    w, _ = make_window(body)
    surface = cursor_at(w, "Ann")
    qtbot.keyClick(surface, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(surface, "Smith")
    # (plain text: a QMimeData made here is the clipboard's once given, and deleted twice at exit)
    QApplication.clipboard().setText(" first line\nsecond line")
    qtbot.keyClick(cursor_at(w, "Bo"), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    w.save_revision("lines in cells")
    saved = saved_body(w)
    assert "| Ann<br>Smith | Lead<br>on call |" in saved and "| Bo first line<br>second line | Editor |" in saved, saved
    html = export_html(saved)
    assert html.count("<tr>") == 3 and "second line" in html and "Smith" in html and "on call" in html


def test_words_typed_after_a_code_block_s_closing_fence_leave_the_rest_of_the_text_alone(qtbot, make_window):
    """"``` end of example" no longer closes the block: every line after it,
    headings and all, became code in the saved file and the preview."""
    from guidelines_app.core.outline import outline

    w, _ = make_window("Intro.\n\n```\nx = 1\n```\n\n## Next\n\nFinal paragraph.\n")
    surface = w.editing.surface
    first = surface.document().find("```")
    closing = surface.document().find("```", first.selectionEnd())
    closing.setPosition(closing.selectionEnd())
    surface.setTextCursor(closing)
    surface.setFocus()
    qtbot.keyClicks(surface, " end of example")
    w.save_revision("after the fence")
    saved = saved_body(w)
    assert "``` end of example" in saved and [s.title for s in outline(saved)] == ["Next"], saved


def test_list_depths_are_read_and_written_as_preview_reads_them(qtbot, make_window):
    """Depths were the rank of each indent in the whole document: beside a
    bulleted "  - ", a numbered "   1." showed a level too deep, and a
    sub-item added with Tab under "2." was written 2 spaces in, which is
    not nested there (preview and export made it step 3)."""
    from guidelines_app.core.markup import export_html
    from guidelines_app.core.surface_text import ITEM, split_units

    body = "Rules:\n\n- Be kind\n  - Online too\n    - Always\n\nSteps:\n\n1. Draft the post\n   1. Check it\n2. Ask the hub\n\nEnd.\n"
    assert [u.level for u in split_units(body) if u.kind == ITEM] == [0, 1, 2, 0, 1, 0]
    w, _ = make_window(body)
    surface = cursor_at(w, "Ask the hub")
    qtbot.keyClick(surface, Qt.Key.Key_Return)
    qtbot.keyClick(surface, Qt.Key.Key_Tab)
    qtbot.keyClicks(surface, "Wait for approval")
    w.save_revision("a sub-step")
    html = "".join(export_html(saved_body(w)).split())
    assert "<li>Askthehub<ol><li>Waitforapproval</li></ol></li>" in html, html


def test_a_heading_stays_one_heading_items_with_pipes_stay_items_and_lists_show_their_numbers(qtbot, make_window):
    """Shift+Enter in a heading ended it there (the rest became a paragraph,
    bold around the break showing "**"); list items typed as "| yes | no |"
    over "|---|" came back as a table; a list "3., 4." showed 1 and 2."""
    from guidelines_app.core.outline import outline
    from guidelines_app.core.surface_text import ITEM, TABLE, split_units

    w, _ = make_window("# Staff handbook\n\nSteps:\n\n3. Check the post.\n4. Publish it.\n\nOptions:\n\n- first\n\nEnd.\n")
    surface = w.editing.surface
    numbered = surface.document().find("Check the post.").block()
    assert numbered.textList().itemText(numbered) == "3."
    surface = cursor_at(w, "Staff", end=False)
    qtbot.keyClicks(surface, "New")
    qtbot.keyClick(surface, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(surface, "rules ")
    surface = cursor_at(w, "first")
    for text in ("| yes | no |", "|---|---|"):
        qtbot.keyClick(surface, Qt.Key.Key_Return)
        qtbot.keyClicks(surface, text)
    w.save_revision("a heading and items")
    saved = saved_body(w)
    from guidelines_app.core.inline_markup import display_text

    assert [display_text(s.title) for s in outline(saved)] == ["New rules Staff handbook"], saved
    units = split_units(saved)
    assert [u.kind for u in units].count(ITEM) == 5 and TABLE not in [u.kind for u in units], saved


def test_bold_does_not_show_on_a_code_block_s_source_lines(qtbot, make_window):
    """Ctrl+B on a code block's line showed bold that was never saved (the
    block is written as typed); bold in a table cell still works."""
    from guidelines_app.ui.surface.formats import C_BOLD

    w, _ = make_window("Intro.\n\n```\nx = 1\n```\n\n| A | B |\n| --- | --- |\n| one | two |\n")
    surface = w.editing.surface
    for words in ("x = 1", "one"):
        surface.setTextCursor(surface.document().find(words))
        surface.format_inline("**")  # Format > Bold (Ctrl+B)
    w.save_revision("bold")
    code, cell = (surface.document().find(words) for words in ("x = 1", "one"))
    code.setPosition(code.selectionStart() + 1)
    cell.setPosition(cell.selectionStart() + 1)
    assert not code.charFormat().property(C_BOLD) and cell.charFormat().property(C_BOLD)
    assert "| **one** | two |" in saved_body(w) and "\nx = 1\n" in saved_body(w)


def test_a_footnote_mark_shows_as_its_number_and_stays_in_the_file(qtbot, make_window):
    w, _ = make_window("Intro.\n\nClaims need a source.[^1] More.\n\n[^1]: The source must be public.\n")
    shown = w.editing.surface.document().toPlainText()
    # (the definition is a source line, shown as written: the editor's way with link definitions)
    assert "Claims need a source.\u00b9 More." in shown and "[^1]: The source must be public." in shown
    qtbot.keyClicks(cursor_at(w, "More."), " Still more.")
    w.save_revision("around a footnote")
    assert "Claims need a source.[^1] More. Still more.\n\n[^1]: The source must be public." in saved_body(w)
