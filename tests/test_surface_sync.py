"""The surface's edits written into the Markdown after a pause in typing, a
slice per event-loop turn (``EditingViews._sync_in_steps``): the window
turns between the slices, an edit made meanwhile is never lost, and a text
asked for meanwhile (``flush``: a save, the source view) is written at once."""

from __future__ import annotations

import pytest
import test_surface
from PySide6.QtCore import QTimer
from test_surface import POLICY, cursor_at

from guidelines_app.ui.surface import views

make_window = test_surface.make_window  # the fixture: a window with a document of a given body

PARTS = 240  # (a writing of many slices: a test acts between two of them)
LONG = POLICY + "".join(f"\n## Part {n}\n\nThe brand team posts on part {n}.\n" for n in range(PARTS))


def _replace_all(window, word: str, by: str) -> int:
    window.find_bar.open_bar(replace=True)
    window.find_bar.find_edit.setText(word)
    window.find_bar.replace_edit.setText(by)
    return window.find_bar.replace_all()


def _steps_counted(window, monkeypatch, held: list[bool] | None = None) -> list[int]:
    """The event-loop turns counted at each slice of the writing after a pause
    (with *held* [True], the writing waits after its second slice until a
    test clears it: a walk of a few milliseconds could end between two looks)."""
    turns, at_steps = [0], []
    # The surface losing the focus writes at once (``flush``): here only the writing after a pause, whatever the
    # focus does meanwhile (the window shown among the windows of the tests before).
    window.editing.surface.left.disconnect(window.editing.flush)
    window.editing.surface.left.disconnect(window.editing.follow_cursor)  # (which flushes too)
    ticker = QTimer(window, interval=0)
    ticker.timeout.connect(lambda: turns.__setitem__(0, turns[0] + 1))
    ticker.start()
    real = window.editing.surface.source_steps

    def counted(slice_s):
        steps = real(slice_s)
        while True:  # each slice (a resumption of the writing) counted with the turn it runs in
            at_steps.append(turns[0])
            while held is not None and held[0] and len(at_steps) >= 2:
                yield
            try:
                next(steps)
            except StopIteration as done:
                return done.value
            yield
    monkeypatch.setattr(window.editing.surface, "source_steps", counted)
    return at_steps


@pytest.mark.parametrize("cursor_at_end", [False, True])
def test_a_long_writing_after_a_pause_is_done_a_slice_per_turn(qtbot, make_window, monkeypatch, cursor_at_end):
    """Also when the surface's cursor moved with the replacements before it
    (its own timer then fired during the slices: following it wrote the rest at once)."""
    monkeypatch.setattr(views, "SYNC_SLICE_S", 0.0)  # a slice as short as the walk allows (LOOK_EVERY blocks)
    w, _ = make_window(LONG)
    if cursor_at_end:
        cursor_at(w, "posts on part 59.")
    at_steps = _steps_counted(w, monkeypatch)
    moved = []
    w.editing.surface.cursorPositionChanged.connect(lambda: moved.append(1))
    assert _replace_all(w, "brand", "label") == PARTS
    qtbot.waitUntil(lambda: not w.editing.pending(), timeout=5000)
    assert len(at_steps) > 3, at_steps  # in several slices
    assert bool(moved) == cursor_at_end
    assert all(b > a for a, b in zip(at_steps, at_steps[1:])), at_steps  # the window turned between any two
    text = w.editor.text()
    assert text.count("The label team posts") == PARTS and "brand" not in text
    assert w.is_modified()


def test_an_edit_between_two_slices_is_written_after_the_next_pause(qtbot, make_window, monkeypatch):
    monkeypatch.setattr(views, "SYNC_SLICE_S", 0.0)
    w, _ = make_window(LONG)
    held = [True]
    at_steps = _steps_counted(w, monkeypatch, held)
    assert _replace_all(w, "brand", "label") == PARTS
    qtbot.waitUntil(lambda: len(at_steps) >= 2, timeout=5000)  # the writing under way
    assert w.editing._stepping is not None
    surface = cursor_at(w, "talk about our work")  # in a block the writing has walked already
    qtbot.keyClicks(surface, " typed meanwhile")
    held[0] = False
    qtbot.waitUntil(lambda: not w.editing.pending(), timeout=5000)
    qtbot.wait(300)  # (and any writing after)
    text = w.editor.text()
    assert "talk about our work typed meanwhile online:" in " ".join(text.split())  # (the source's line breaks kept)
    assert text.count("The label team posts") == PARTS and "brand" not in text


def test_the_text_asked_for_while_it_is_written_in_slices_is_written_at_once(qtbot, make_window, monkeypatch):
    monkeypatch.setattr(views, "SYNC_SLICE_S", 0.0)
    w, _ = make_window(LONG)
    at_steps = _steps_counted(w, monkeypatch, [True])  # (held after its second slice: flush takes it over)
    assert _replace_all(w, "brand", "label") == PARTS
    qtbot.waitUntil(lambda: len(at_steps) >= 2, timeout=5000)
    assert w.editing._stepping is not None and "brand" in w.editor.text()  # not written yet
    w.editing.flush()
    text = w.editor.text()
    assert w.editing._stepping is None and not w.editing.pending()
    assert text.count("The label team posts") == PARTS and "brand" not in text
    steps = len(at_steps)
    qtbot.wait(300)
    assert len(at_steps) == steps and w.editor.text() == text  # the writing in slices went no further


def test_a_writing_in_slices_gives_the_whole_walks_text_and_is_dropped_once_the_document_changes(make_window):
    from PySide6.QtGui import QTextCursor

    from guidelines_app.ui.surface import writing

    w, _ = make_window(LONG)
    surface = w.editing.surface
    w.editing._sync_timer.stop()
    assert _replace_all(w, "brand", "label") == PARTS
    w.editing._sync_timer.stop()  # (this test drives the writing itself)
    steps, slices = surface.source_steps(0.0), 0
    while True:
        try:
            next(steps)
            slices += 1
        except StopIteration as done:
            text = done.value
            break
    # Every block walked afresh, nothing kept from before: the same body.
    whole, _lines = writing.write(surface.document(), surface.units, surface.dirty, surface._ends_with_newline)
    assert slices > 3 and text == whole and text.count("The label team posts") == PARTS
    _replace_all(w, "label", "brand")
    w.editing._sync_timer.stop()
    steps = surface.source_steps(0.0)
    next(steps), next(steps)  # under way
    QTextCursor(surface.document()).insertText("X")  # an edit before where it has walked
    try:
        next(steps)
        raise AssertionError("the writing went on over a changed document")
    except StopIteration as done:
        assert done.value is None


def test_keys_typed_right_after_leaving_the_source_view_stay(qtbot, make_window, monkeypatch):
    """The source view's highlighting taken off is no change of its text:
    the surface was built a second time a moment after the first, from the
    source, and what was typed on it in between was thrown away."""
    w, _ = make_window(POLICY)
    w.editing.show_source(True)
    w.editor.document().find("talk about our work").insertText("speak about our work")
    loads = []
    real = w.editing.surface.load
    monkeypatch.setattr(w.editing.surface, "load", lambda *a, **k: loads.append(1) or real(*a, **k))
    w.editing.show_source(False)
    qtbot.keyClicks(w.editing.surface, "Typed ")
    qtbot.wait(200)
    w.editing.flush()
    text = w.editor.text()
    assert "speak about our work" in text and "Typed " in text
    assert loads == [1]  # built once
