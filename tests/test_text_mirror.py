"""A very large document's copy of its text (``ui.text_mirror``), kept as
it is edited so a save or a recovery copy never reads the whole editor:
the parts against a plain string under random edits (positions in UTF-16
units, characters beyond the Basic Multilingual Plane included), the copy
against the real editor's text under random typing, pasting, deleting,
undo and redo, and the window saving a very large document from it."""

from __future__ import annotations

import random

import pytest
from test_history_ui import window  # noqa: F401 - the fixture: a policy saved twice, in the window

from guidelines_app.ui import large_document, text_mirror
from guidelines_app.ui.text_mirror import TextParts, plain_text, utf16_length

PIECES = ["a", "policy ", "\n", "\n\n", "é", "naïve ", "\u00a0", "😀", "𝄞 clef", "# Heading\n", "- item\n", "\u2014",
          "\r\n", "\r", "\u2028", "\ufdd0"]


def _random_text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(PIECES) for _ in range(n))


def test_the_parts_follow_a_text_under_random_edits(monkeypatch):
    monkeypatch.setattr(text_mirror, "CHUNK", 16)  # many parts: edits across them
    rng = random.Random(7)
    expected = _random_text(rng, 200)
    parts = TextParts(expected)
    for _ in range(2000):
        i = rng.randint(0, len(expected))
        j = min(len(expected), i + rng.randint(0, 6)) if rng.random() < 0.5 else rng.randint(i, len(expected))
        start, end = utf16_length(expected[:i]), utf16_length(expected[:j])  # mostly small edits, as typing
        added = _random_text(rng, rng.choice([0, 1, 1, 2, 40]))
        expected = expected[:i] + added + expected[j:]
        parts.replace(start, end - start, added)
        assert parts.length == utf16_length(expected)
    assert parts.text() == expected
    assert all(len(p) <= 2 * text_mirror.CHUNK for p in parts.parts) and len(parts.parts) > 10


def test_the_parts_refuse_an_edit_they_cannot_follow():
    parts = TextParts("ab😀cd")  # 😀 is two units: 2 and 3
    with pytest.raises(text_mirror.Stale):
        parts.replace(3, 1, "x")  # inside the character
    with pytest.raises(text_mirror.Stale):
        parts.replace(5, 3, "")  # past the end (6 units)
    assert TextParts("").length == 0 and TextParts("").text() == ""


def _editor(qtbot):
    from guidelines_app.ui.editor import MarkdownEditor

    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    return editor


def _copy(editor) -> str:
    parts = editor.mirror.parts()
    assert parts is not None
    return "".join(parts)


def _truth(editor) -> str:
    return plain_text(editor.document().toRawText())


def test_the_copy_follows_the_editor_through_random_editing(qtbot, monkeypatch):
    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import QTextCursor

    monkeypatch.setattr(text_mirror, "CHUNK", 64)
    monkeypatch.setattr(large_document, "SLICE", 300)
    rng = random.Random(11)
    editor = _editor(qtbot)
    editor.set_text("")
    editor.follow_text("")
    filled = []
    large_document.fill_in_slices(editor, _random_text(rng, 1500), lambda: filled.append(True), quiet=True,
                                  announce=editor.mirror.expect)
    qtbot.waitUntil(lambda: bool(filled), timeout=10000)
    assert editor.mirror.copy is not None and _copy(editor) == _truth(editor)
    dropped = 0
    for step in range(400):
        text = _truth(editor)
        cursor = editor.textCursor()
        a = rng.randint(0, len(text))  # a place between two characters, as the user's cursor is
        cursor.setPosition(utf16_length(text[:a]))
        if rng.random() < 0.4:
            b = min(len(text), a + rng.randint(0, 30))
            cursor.setPosition(utf16_length(text[:b]), QTextCursor.MoveMode.KeepAnchor)
        editor.setTextCursor(cursor)
        action = rng.choice(["type", "type", "type", "enter", "delete", "paste", "undo", "redo", "line"])
        if action == "type":
            editor.insertPlainText(rng.choice(PIECES))
        elif action == "enter":
            editor.textCursor().insertText("\n")
        elif action == "delete":
            editor.textCursor().deletePreviousChar() if rng.random() < 0.5 else editor.textCursor().deleteChar()
        elif action == "paste":  # as Edit > Paste does, without the system clipboard (offscreen, it crashed at random)
            mime = QMimeData()
            mime.setText(_random_text(rng, 30))
            editor.insertFromMimeData(mime)
        elif action == "undo":
            editor.undo()
        elif action == "redo":
            editor.redo()
        else:
            editor.textCursor().insertText("\u2028")  # Shift+Enter: a line break inside a paragraph
        dropped += editor.mirror.copy is None
        assert _copy(editor) == _truth(editor), f"step {step}: {action}"
    assert dropped == 0  # followed, edit by edit; not read again from the editor each time


def test_a_copy_that_went_wrong_is_dropped_and_read_again(qtbot):
    editor = _editor(qtbot)
    editor.set_text("")
    editor.follow_text("")
    editor.insertPlainText("Our policy.\nPost with care.")
    editor.mirror.copy.replace(0, 3, "")  # wrong now: a unit count the document does not have
    editor.insertPlainText(" More.")  # the next edit finds it out
    assert editor.mirror.copy is None
    assert _copy(editor) == "Our policy.\nPost with care. More." and editor.mirror.copy is not None
    assert editor.text() == _truth(editor)


def test_setting_the_text_stops_the_copy(qtbot):
    editor = _editor(qtbot)
    editor.follow_text("")
    editor.insertPlainText("Large.")
    editor.set_text("Another document.")
    assert editor.mirror.parts() is None and editor.text() == "Another document."


def test_a_very_large_document_is_saved_from_its_copy_without_reading_the_editor(window, qtbot, workspace, monkeypatch):  # noqa: F811
    from PySide6.QtGui import QTextCursor, QTextDocument

    monkeypatch.setattr(large_document, "LARGE_BYTES", 100)  # this small policy counts as very large
    monkeypatch.setattr(large_document, "SLICE", 50)
    slug = window.slug
    window.open_document(slug, force=True)
    qtbot.waitUntil(lambda: window.slug == slug and not window.large_documents.loading(), timeout=10000)
    assert window.heavy_features_off and window.editor.mirror.copy is not None
    cursor = window.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    window.editor.insertPlainText("\nTyped in the very large document 😀.\n")
    expected = window.current_text()

    def whole_read(_self):
        raise AssertionError("the whole editor was read")

    monkeypatch.setattr(QTextDocument, "toRawText", whole_read)
    assert window.safekeeping.autosave_now()  # the recovery copy, after a pause in typing: made on a worker
    qtbot.waitUntil(lambda: window.jobs.running() == 0, timeout=10000)
    assert window.safekeeping.area.read(slug).text == expected
    assert window.save_revision()
    newest = workspace.history(slug)[0].sha
    assert workspace.store.read_fast(workspace.relpath(slug), newest).decode() == expected
    assert "Typed in the very large document 😀." in expected and not window.is_modified()


def test_every_character_reads_back_as_the_copy_expects(qtbot):
    """What ``insertText`` changes (checked over every character), so a
    very large document's slices are taken as they go in, not read back."""
    from PySide6.QtGui import QTextCursor

    editor = _editor(qtbot)
    text = "".join(chr(c) + "a" for c in range(0x110000) if not 0xD800 <= c < 0xE000) + "x\r\ny\r\rz\n\r\r\u2029\r\u2028\u2028\r\n\n\r\n\r"
    QTextCursor(editor.document()).insertText(text)
    assert _truth(editor) == text_mirror.as_inserted(text)


def test_the_slices_of_a_very_large_document_are_not_read_back(qtbot, monkeypatch):
    from PySide6.QtGui import QTextCursor

    monkeypatch.setattr(large_document, "SLICE", 100)
    reads = []
    real = QTextCursor.selectedText
    monkeypatch.setattr(QTextCursor, "selectedText", lambda self: reads.append(1) or real(self))
    editor = _editor(qtbot)
    editor.set_text("")
    editor.follow_text("")
    text = _random_text(random.Random(3), 400)
    filled = []
    large_document.fill_in_slices(editor, text, lambda: filled.append(True), quiet=True, announce=editor.mirror.expect)
    qtbot.waitUntil(lambda: bool(filled), timeout=10000)
    assert _copy(editor) == _truth(editor) == text_mirror.as_inserted(text)
    assert reads == []
    editor.insertPlainText("typed")  # an edit after them is read
    assert reads and _copy(editor) == _truth(editor)


def test_an_edit_the_copy_was_never_told_of_is_found_when_read(qtbot):
    editor = _editor(qtbot)
    editor.follow_text("")
    editor.insertPlainText("Our policy.")
    doc = editor.document()
    doc.blockSignals(True)  # an edit reported to nobody
    editor.textCursor().insertText(" Unreported.")
    doc.blockSignals(False)
    assert _copy(editor) == "Our policy. Unreported." == _truth(editor)


def test_typing_in_one_place_grows_a_part_not_many(qtbot, monkeypatch):
    monkeypatch.setattr(text_mirror, "CHUNK", 100)
    editor = _editor(qtbot)
    editor.follow_text("")
    editor.insertPlainText("x" * 1000)
    cursor = editor.textCursor()
    cursor.setPosition(150)
    editor.setTextCursor(cursor)
    for _ in range(300):
        editor.insertPlainText("k")
    assert _copy(editor) == _truth(editor)
    assert len(editor.mirror.copy.parts) <= 1300 // 100 + 2


def test_a_line_end_across_two_slices_goes_in_as_one(qtbot, monkeypatch):
    monkeypatch.setattr(large_document, "SLICE", 10)
    editor = _editor(qtbot)
    editor.set_text("")
    editor.follow_text("")
    text = "123456789\r\nsecond\r\nthird \r\n"  # the first "\r\n" straddles the first slice's end
    filled = []
    large_document.fill_in_slices(editor, text, lambda: filled.append(True), announce=editor.mirror.expect)
    qtbot.waitUntil(lambda: bool(filled), timeout=5000)
    assert _truth(editor) == "123456789\nsecond\nthird \n" == _copy(editor)
    assert editor.mirror._coming is None  # nothing left expected for a later edit


def test_a_read_only_editor_takes_no_formatting_and_no_replacement(qtbot):
    from guidelines_app.ui.editor import FindReplaceBar

    editor = _editor(qtbot)
    editor.set_text("Our policy, as it goes in.")
    editor.selectAll()
    editor.setReadOnly(True)  # a very large document still going in
    editor.format_inline("**")
    editor.format_heading(1)
    bar = FindReplaceBar(editor)
    qtbot.addWidget(bar)
    bar.find_edit.setText("policy")
    bar.replace_edit.setText("rule")
    assert bar.replace_all() == 0
    bar.replace_one()
    assert editor.text() == "Our policy, as it goes in."
    editor.setReadOnly(False)
    assert bar.replace_all() == 1 and editor.text() == "Our rule, as it goes in."


def test_a_fill_that_ends_lets_go_of_its_text_and_is_not_deleted_later(qtbot):
    """``fill_in_slices``' timer, once the text is in: stopped, its slot
    (which holds the text) disconnected, and not deleted later (deleting a
    timer from its own slot crashed PySide at random: this module's random
    editing test, after a fill, about one run in ten)."""
    from PySide6.QtCore import QMetaMethod
    from shiboken6 import isValid

    editor = _editor(qtbot)
    filled = []
    timer = large_document.fill_in_slices(editor, "Words.\n" * 200_000, lambda: filled.append(True), quiet=True)
    qtbot.waitUntil(lambda: bool(filled), timeout=10000)
    qtbot.wait(50)  # (a deletion asked for would have run by now)
    assert isValid(timer) and not timer.isActive()
    assert not timer.isSignalConnected(QMetaMethod.fromSignal(timer.timeout))
