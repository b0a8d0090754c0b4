"""The Markdown source view's highlighting of a long text (``ui.source_highlight``),
with pytest-qt: the lines on screen highlighted at once (a code fence opened
above them followed), the rest in slices, and at the end every line as a pass
at once highlights it, lines typed meanwhile and lines scrolled to included;
turning the source view on and off is no edit.  Here "long" is made small
(``SLICED_CHARS``) and a slice a few lines."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from test_surface import POLICY, make_window  # noqa: F401 - the fixture: a window opening a body

from guidelines_app.ui import source_highlight
from guidelines_app.ui.source_highlight import MarkdownHighlighter

CODE = "".join(f"    step {n} = `run` **not bold here**\n" for n in range(80))
BODY = (POLICY + "".join(f"\n## Part {n}\n\nRule {n} applies to **every** post, *each* [channel](https://example.org).\n\n"
                         f"- One\n- Two\n\n> A quote {n}\n" for n in range(40))
        + "".join(f"\nA smile \U0001F642 and a flag \U0001F1EB\U0001F1F7 {n}.\n" for n in range(30))  # (two UTF-16 units each)
        + "\n```\n" + CODE + "```\n\n## Between fences\n\n~~~\nshort\n~~~\n"
        + "".join(f"\n### After {n}\n\n1. First `code` <b>raw</b>\n\n---\n" for n in range(40)))


@pytest.fixture
def sliced(monkeypatch):
    """A text over 2,000 characters is highlighted in slices of four lines."""
    monkeypatch.setattr(source_highlight, "SLICED_CHARS", 2_000)
    monkeypatch.setattr(source_highlight, "SLICE_S", 0.0)
    monkeypatch.setattr(source_highlight, "CHUNK_BLOCKS", 4)


def _marks(block) -> list[tuple]:
    return [(r.start, r.length, QTextCharFormat(r.format)) for r in block.layout().formats()]


def _lines(editor) -> list[tuple]:
    """Each line's highlighting: its marks and whether it is in a code fence."""
    h = editor.highlighter
    out, block = [], editor.document().begin()
    while block.isValid():
        out.append((block.text(), _marks(block), block.userState() - h.plain if block.userState() >= h.plain else None))
        block = block.next()
    return out


def _at_once(qtbot, monkeypatch, text: str) -> list[tuple]:
    """The highlighting of *text* by a pass at once."""
    monkeypatch.setattr(source_highlight, "SLICED_CHARS", 10**9)
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText(text)
    editor.highlighter = MarkdownHighlighter(editor)
    assert not editor.highlighter.highlighting()
    return _lines(editor)


def _screen(editor) -> list:
    block, shown = editor.firstVisibleBlock(), []
    while block.isValid() and editor.blockBoundingGeometry(block).translated(editor.contentOffset()).top() < \
            editor.viewport().height():
        shown.append(block)
        block = block.next()
    return shown


def _scroll_to(editor, number: int) -> None:
    """One scroll puts line *number* at the top of the screen (the lines above it not highlighted yet)."""
    doc = editor.document()
    editor.verticalScrollBar().setValue(sum(doc.findBlockByNumber(n).lineCount() for n in range(number)))


def _in_source_view_at(w, line: int):
    w.editing.surface.go_to_line(line)
    w.editing.show_source(True)
    return w.editor


def test_the_lines_on_screen_at_once_then_every_line_as_a_pass_at_once(qtbot, make_window, sliced,  # noqa: F811
                                                                      monkeypatch):
    w, _ = make_window(BODY)
    editor = _in_source_view_at(w, 40)
    h = editor.highlighter
    assert h.highlighting()
    shown = _screen(editor)
    assert len(shown) > 5 and shown[-1].next().isValid()
    assert any(b.layout().formats() for b in shown)  # at once, before a turn of the event loop
    last = editor.document().lastBlock().previous()
    assert last.text() == "---" and not last.layout().formats()  # not reached yet
    qtbot.waitUntil(lambda: not h.highlighting(), timeout=10000)
    assert last.layout().formats()
    assert _lines(editor) == _at_once(qtbot, monkeypatch, editor.toPlainText())


def test_a_line_shown_within_a_code_fence_opened_above_the_screen_is_code_at_once(qtbot, make_window,  # noqa: F811
                                                                                 sliced):
    w, _ = make_window(BODY)
    lines = w.doc.body.split("\n")
    inside = lines.index("    step 60 = `run` **not bold here**")
    assert lines.index("```") < inside - 40  # the fence is opened well above
    editor = _in_source_view_at(w, 0)
    editor.go_to_line(inside)  # (a jump, as from the outline: the new screen comes first in the next slice)
    QApplication.processEvents()
    h = editor.highlighter
    assert h.highlighting()
    block = editor.document().findBlockByNumber(inside)
    assert block in _screen(editor) and editor.document().findBlockByNumber(inside - 40) not in _screen(editor)
    assert _marks(block) == [(0, len(block.text()), h.code)]  # all code, no bold


def test_turning_the_source_view_on_and_off_is_no_edit(qtbot, make_window, sliced):  # noqa: F811
    w, _ = make_window(BODY)
    surface_text = w.editing.surface.document()
    changed = []
    w.editor.textChanged.connect(lambda: changed.append(1))
    qtbot.waitUntil(lambda: w.preview.last_rendered is not None, timeout=10000)
    rendered = w.preview.last_rendered
    editor = _in_source_view_at(w, 30)
    qtbot.waitUntil(lambda: not editor.highlighter.highlighting(), timeout=10000)
    w.editing.show_source(False)
    qtbot.wait(300)
    assert changed == []  # no preview rendered again, no recovery copy, no surface built again
    assert not w.is_modified() and w.preview.last_rendered is rendered
    assert w.editing.surface.document() is surface_text and not w.editing.surface.building()
    assert editor.highlighter.document() is None


def test_lines_typed_and_scrolled_to_meanwhile_are_highlighted(qtbot, make_window, sliced, monkeypatch):  # noqa: F811
    w, _ = make_window(BODY)
    editor = _in_source_view_at(w, 0)
    h = editor.highlighter
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "# A new heading")
    assert h.highlighting()
    typed = editor.textCursor().block()
    assert typed.text() == "# A new heading"
    assert _marks(typed) == [(0, len(typed.text()), h.heading[0])]
    editor.verticalScrollBar().setValue(editor.verticalScrollBar().maximum())  # to the end, before the slices get there
    QApplication.processEvents()
    assert h.highlighting()
    end = _screen(editor)[-2]
    assert end.text() == "---" and end.layout().formats()
    qtbot.waitUntil(lambda: not h.highlighting(), timeout=10000)
    assert _lines(editor) == _at_once(qtbot, monkeypatch, editor.toPlainText())


def test_the_fence_lines_counted_in_the_whole_text_are_those_each_line_is_read_as():
    import random

    rng = random.Random(7)
    pieces = ["```", "~~~", "`", "~", " ", "\t", "\u00a0", "\u2028", "a", "x```"]
    for _ in range(2000):
        lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 4))) for _ in range(rng.randint(1, 6))]
        expected = sum(bool(source_highlight._FENCE_RE.match(line)) for line in lines)
        assert source_highlight.fence_lines("\u2029".join(lines)) == expected, lines


def test_typing_on_the_top_line_shown_within_a_code_fence_keeps_the_fence(qtbot, make_window, sliced):  # noqa: F811
    w, _ = make_window(BODY)
    lines = w.doc.body.split("\n")
    inside = lines.index("    step 60 = `run` **not bold here**")
    editor = _in_source_view_at(w, 0)
    h = editor.highlighter
    doc = editor.document()
    _scroll_to(editor, inside)
    assert h.highlighting() and _screen(editor)[0].blockNumber() == inside
    assert _marks(doc.findBlockByNumber(inside)) and not doc.findBlockByNumber(inside - 1).layout().formats()
    editor.setTextCursor(QTextCursor(doc.findBlockByNumber(inside)))
    assert _screen(editor)[0].blockNumber() == inside
    qtbot.keyClicks(editor, "x")
    for number in (inside, inside + 1, inside + 2):
        block = doc.findBlockByNumber(number)
        assert _marks(block) == [(0, len(block.text()), h.code)], block.text()


def test_text_put_in_ahead_of_the_slices_is_highlighted_at_once(qtbot, make_window, sliced):  # noqa: F811
    w, _ = make_window(BODY)
    editor = _in_source_view_at(w, 0)
    h = editor.highlighter
    doc = editor.document()
    far = doc.findBlockByNumber(doc.blockCount() - 20)
    assert not far.layout().formats() and far not in _screen(editor)
    cursor = QTextCursor(far)
    cursor.insertText("# Pasted heading\nWith **bold** words\n")  # (a paste, or a replacement, off screen)
    assert h.highlighting()
    pasted = doc.findBlockByNumber(doc.blockCount() - 22)
    assert pasted.text() == "# Pasted heading"
    assert _marks(pasted) == [(0, len(pasted.text()), h.heading[0])]
    bold = pasted.next()
    assert [(start, length) for start, length, _ in _marks(bold)] == [(5, 8)]
    qtbot.waitUntil(lambda: not h.highlighting(), timeout=10000)


def test_a_heading_shown_between_two_fences_below_wide_characters_is_no_code(qtbot, make_window, sliced):  # noqa: F811
    w, _ = make_window(BODY)
    heading = w.doc.body.split("\n").index("## Between fences")  # a fence closed above it, one opened just below
    editor = _in_source_view_at(w, 0)
    h = editor.highlighter
    _scroll_to(editor, heading)
    assert h.highlighting() and _screen(editor)[0].blockNumber() == heading
    block = editor.document().findBlockByNumber(heading)
    assert _marks(block) == [(0, len(block.text()), h.heading[1])]  # (counted in characters, not UTF-16 units: code)
    assert _marks(block.next().next().next()) == [(0, len("short"), h.code)]


def test_an_editor_let_go_of_is_freed_at_once(qtbot):
    """No reference cycle between the editor and its highlighter: one left
    Python's garbage collector to delete a closed editor at any later moment
    (its text deleted while another test, or the app, went on)."""
    import gc
    import weakref

    from guidelines_app.ui.editor import MarkdownEditor

    editor = MarkdownEditor()
    editor.set_text("# Policy\n\nText.\n")
    assert editor.highlighter.editor is editor
    gone = weakref.ref(editor)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        del editor
        assert gone() is None
    finally:
        if was_enabled:
            gc.enable()
