"""The editing surface writes a long document again only around what
changed (``ui.surface.writing``): after every kind of edit, in random
places of a document of every kind of block, what it writes is what a walk
of every block writes, and a word typed walks a few blocks, not all."""

from __future__ import annotations

import random

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from guidelines_app.ui.surface import tables, writing
from guidelines_app.ui.surface.editor import RichSurface


def _body(rng: random.Random, sections: int) -> str:
    words = "staff post share review hub brand team crisis answer channel policy approve draft launch".split()

    def sentence(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."

    parts = ["Title: Long policy\nOwner: Comms", sentence(8)]
    for s in range(sections):
        parts.append(f"{'#' * rng.choice((1, 2, 2, 3))} Section {s}")
        for _ in range(rng.randint(1, 3)):
            parts.append(sentence(rng.randint(5, 20)) + ("\n" + sentence(6) if rng.random() < 0.3 else ""))
        shape = rng.random()
        if shape < 0.3:
            parts.append("\n".join(f"{'  ' * (i % 2 if i else 0)}- {sentence(4)}" for i in range(rng.randint(2, 5))))
        elif shape < 0.45:
            parts.append("\n".join(f"{i + 1}. {sentence(5)}" for i in range(rng.randint(2, 4))))
        elif shape < 0.55:
            parts.append("> " + sentence(9) + "\n> " + sentence(5))
        elif shape < 0.62:
            parts.append("```\ncode line one\n  code line two\n```")
        elif shape < 0.72:
            parts.append("| Who | What |\n| --- | --- |\n| " + sentence(2) + " | " + sentence(3) + " |\n| a | b |")
        elif shape < 0.76:
            parts.append("---")
        parts.append(f"Paragraph **bold {s}** and *italic* with `code` and a [link](https://example.org/{s}).")
    return "\n\n".join(parts) + "\n"


def _whole(surface: RichSurface) -> str:
    """What a walk of every block writes (no last write, nothing kept)."""
    text, _lines = writing.write(surface.document(), surface.units, set(surface.dirty), surface._ends_with_newline)
    return text


def _text_block(rng: random.Random, doc):
    for _ in range(50):
        block = doc.findBlockByNumber(rng.randrange(doc.blockCount()))
        if QTextCursor(block).currentTable() is None:
            return block
    return doc.firstBlock()


def _edit(rng: random.Random, qtbot, surface: RichSurface) -> str:
    doc = surface.document()
    block = _text_block(rng, doc)
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + rng.randint(0, max(0, block.length() - 1)))
    surface.setTextCursor(cursor)
    what = rng.choice(("type", "type", "type", "enter", "join", "delete", "undo", "redo", "bold", "heading",
                       "list", "quote", "table", "paste", "tab"))
    if what == "type":
        qtbot.keyClicks(surface, rng.choice(("new ", "x", " word", "*")))
    elif what == "enter":
        qtbot.keyClick(surface, Qt.Key.Key_Return)
        qtbot.keyClicks(surface, "after")
    elif what == "join":
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        surface.setTextCursor(cursor)
        qtbot.keyClick(surface, Qt.Key.Key_Backspace)
    elif what == "delete":
        end = doc.findBlockByNumber(min(doc.blockCount() - 1, block.blockNumber() + rng.randint(1, 3)))
        if QTextCursor(end).currentTable() is None and QTextCursor(block).currentTable() is None:
            cursor.setPosition(end.position() + rng.randint(0, max(0, end.length() - 1)), QTextCursor.MoveMode.KeepAnchor)
            surface.setTextCursor(cursor)
            qtbot.keyClick(surface, Qt.Key.Key_Delete)
    elif what == "undo":
        surface.undo()
    elif what == "redo":
        surface.redo()
    elif what == "bold":
        cursor.movePosition(QTextCursor.MoveOperation.EndOfWord, QTextCursor.MoveMode.KeepAnchor)
        surface.setTextCursor(cursor)
        surface.format_inline("**")
    elif what == "heading":
        surface.format_heading(rng.randint(1, 3))
    elif what == "list":
        surface.format_list(rng.random() < 0.5)
    elif what == "quote":
        surface.format_quote()
    elif what == "table":
        tables.insert_table(surface, 2, 2)
    elif what == "paste":
        surface.textCursor().insertText("pasted one\npasted two")
    else:
        qtbot.keyClick(surface, Qt.Key.Key_Tab)
    return what


def test_every_write_around_the_changes_is_the_whole_documents_and_walks_few_blocks(qtbot):
    rng = random.Random(11)
    surface = RichSurface()
    qtbot.addWidget(surface)
    surface.load(_body(rng, 90))
    blocks = surface.document().blockCount()
    assert blocks > 600
    assert surface.source() == _whole(surface)
    few, done = 0, []
    for _step in range(160):
        done.append(_edit(rng, qtbot, surface))
        if rng.random() < 0.25:
            done.append(_edit(rng, qtbot, surface))  # two edits between writes
        assert surface.source() == _whole(surface), done[-3:]
        few += surface._written.walked < blocks // 4
        again = surface.source()
        assert surface._written.walked == 0 and again == _whole(surface)  # nothing changed: no block walked
    assert few > 100  # most writes walked the blocks around the edit only


def test_a_word_typed_in_the_middle_walks_the_blocks_around_it(qtbot):
    rng = random.Random(5)
    surface = RichSurface()
    qtbot.addWidget(surface)
    body = _body(rng, 120)
    surface.load(body)
    doc = surface.document()
    surface.source()
    assert surface._written.walked == doc.blockCount()  # the first write: every block
    block = doc.findBlockByNumber(doc.blockCount() // 2)
    while QTextCursor(block).currentTable() is not None or not block.text().strip():
        block = block.next()
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    surface.setTextCursor(cursor)
    qtbot.keyClicks(surface, " zzq")
    written = surface.source()
    assert 0 < surface._written.walked <= 3 * writing.MARK_EVERY
    lines = body.split("\n")
    changed = [n for n, (a, b) in enumerate(zip(lines, written.split("\n"), strict=True)) if a != b]
    assert len(changed) == 1 and written.split("\n")[changed[0]].endswith(" zzq")
    # The blocks' first lines, moved nowhere: the same as a walk of every block gives.
    assert surface.block_lines() == writing.write(doc, surface.units, set(surface.dirty), surface._ends_with_newline)[1]


def test_a_long_documents_first_write_is_walked_in_slices_once_shown(qtbot):
    from guidelines_app.ui.surface import editor

    rng = random.Random(8)
    surface = RichSurface()
    qtbot.addWidget(surface)
    surface.load(_body(rng, 330))
    doc = surface.document()
    assert doc.blockCount() >= editor.PRIME_FROM_BLOCKS
    qtbot.waitUntil(lambda: surface._priming is None, timeout=20000)
    assert surface._written.doc is doc  # written once, before any pause in typing
    cursor = QTextCursor(doc.findBlockByNumber(doc.blockCount() // 3))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    surface.setTextCursor(cursor)
    qtbot.keyClicks(surface, " zzq")
    written = surface.source()
    assert 0 < surface._written.walked <= 3 * writing.MARK_EVERY and " zzq" in written
    assert written == _whole(surface)


def test_an_edit_while_the_first_write_is_walked_stops_it(qtbot, monkeypatch):
    from guidelines_app.ui.surface import editor

    monkeypatch.setattr(writing, "PRIME_SLICE_S", 0.0)  # a few blocks a turn: still walking when the key comes
    rng = random.Random(9)
    surface = RichSurface()
    qtbot.addWidget(surface)
    surface.load(_body(rng, 330))
    doc = surface.document()
    assert doc.blockCount() >= editor.PRIME_FROM_BLOCKS and surface._priming is not None
    qtbot.wait(200)  # a few slices walked
    assert surface._priming is not None and surface._written.doc is None
    cursor = QTextCursor(doc.findBlockByNumber(doc.blockCount() - 5))
    surface.setTextCursor(cursor)
    qtbot.keyClicks(surface, "typed ")
    qtbot.waitUntil(lambda: surface._priming is None, timeout=5000)
    assert surface._written.doc is None  # nothing kept of a walk of a text since changed
    written = surface.source()
    assert surface._written.walked == doc.blockCount() and "typed " in written and written == _whole(surface)


def test_what_a_block_writes_never_hangs_on_a_join_far_before_it(qtbot):
    """A paragraph joined into the one above (Backspace) early in the text,
    then far below a paragraph split, its second half made a heading and
    the next paragraph joined into that heading: typing in the first half
    writes the same whether the write starts at the top or near the edit
    (the joined sources were worked out once for any group after the first
    that needed them, and a write from a mark missed that one)."""
    paragraphs = [f"Paragraph number {n} says things." for n in range(120)]
    paragraphs[80], paragraphs[81] = "alpha beta", "gamma delta"
    surface = RichSurface()
    qtbot.addWidget(surface)
    surface.load("\n\n".join(paragraphs) + "\n")
    doc = surface.document()

    def block(text: str):
        found = doc.find(text)
        assert not found.isNull(), text
        return found.block()

    def put(position: int) -> None:
        cursor = QTextCursor(doc)
        cursor.setPosition(position)
        surface.setTextCursor(cursor)

    surface.source()
    put(block(paragraphs[6]).position())
    qtbot.keyClick(surface, Qt.Key.Key_Backspace)
    assert surface.source() == _whole(surface)
    put(block("alpha beta").position() + len("alpha beta"))
    qtbot.keyClick(surface, Qt.Key.Key_Return)
    qtbot.keyClicks(surface, "head")
    surface.format_heading(2)
    assert surface.source() == _whole(surface)
    put(block("gamma delta").position())
    qtbot.keyClick(surface, Qt.Key.Key_Backspace)
    assert surface.source() == _whole(surface)
    put(block("alpha beta").position() + len("alpha beta"))
    qtbot.keyClicks(surface, " gamma")
    written = surface.source()
    assert surface._written.walked < 100 and written == _whole(surface)
    assert "alpha beta gamma" in written
