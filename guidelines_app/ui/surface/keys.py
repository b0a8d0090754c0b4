"""The surface's keys that shape blocks, as in a word processor: Enter
ends an empty list item, starts the next item or a paragraph after a
heading, a quote or a picture; Tab and Shift+Tab nest list items or move
between table cells; Backspace at an item's start makes it a paragraph.
A mixin of ``RichSurface`` (its ``dirty`` units and ``base_size``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QTextCursor

from guidelines_app.core.inline_markup import PLAIN
from guidelines_app.core.surface_text import HEADING, IMAGE, ITEM, PARAGRAPH, QUOTE
from guidelines_app.ui.surface import build
from guidelines_app.ui.surface.formats import P_ORDERED, block_format, char_format, fmt_of, kind_of, level_of, unit_of


class BlockKeys:
    """Enter, Tab, Shift+Tab and Backspace where they shape blocks."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.isReadOnly():  # a long document's notice: Qt's own keys only (they edit nothing)
            super().keyPressEvent(event)
            return
        key, mods = event.key(), event.modifiers()
        cursor = self.textCursor()
        block = cursor.block()
        kind = kind_of(block)
        plain = not (mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier))
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain and not mods & Qt.KeyboardModifier.ShiftModifier:
            if self._enter(cursor, block, kind):
                return
        elif key == Qt.Key.Key_Tab and plain and (kind == ITEM or cursor.currentTable() is not None):
            self._tab(cursor, block, kind, +1)
            return
        elif key == Qt.Key.Key_Backtab and (kind == ITEM or cursor.currentTable() is not None):
            self._tab(cursor, block, kind, -1)
            return
        elif key == Qt.Key.Key_Backspace and plain and kind == ITEM and cursor.atBlockStart() and not cursor.hasSelection():
            self._set_kind(cursor, PARAGRAPH)
            return
        super().keyPressEvent(event)

    def _enter(self, cursor: QTextCursor, block, kind: str) -> bool:
        if cursor.currentTable() is not None:
            return True  # a pipe table cell holds one line
        if kind == ITEM and not block.text().strip():
            self._set_kind(cursor, PARAGRAPH)  # Enter on an empty item ends the list
            return True
        if kind == IMAGE:  # a picture stays a paragraph of its own: Enter starts the next one
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        if kind in (HEADING, QUOTE, IMAGE) and cursor.atBlockEnd():
            cursor.beginEditBlock()
            cursor.insertBlock(block_format(-1, PARAGRAPH), char_format(PLAIN))
            cursor.endEditBlock()
            self.setTextCursor(cursor)
            return True
        if kind == ITEM:
            cursor.beginEditBlock()
            fmt = block.blockFormat()
            cursor.insertBlock(fmt, cursor.charFormat())
            cursor.endEditBlock()
            self.setTextCursor(cursor)
            return True
        return False

    def _tab(self, cursor: QTextCursor, block, kind: str, step: int) -> None:
        table = cursor.currentTable()
        if table is not None:
            cell = table.cellAt(cursor)
            r, c = cell.row(), cell.column() + step
            if c >= table.columns():
                r, c = r + 1, 0
            elif c < 0:
                r, c = r - 1, table.columns() - 1
            if r >= table.rows():
                from guidelines_app.ui.surface import tables

                tables.add_row(self)
                table = self.textCursor().currentTable()
            if 0 <= r < table.rows():
                target = table.cellAt(r, c).lastCursorPosition()
                self.setTextCursor(target)
            return
        level = max(0, min(8, level_of(block) + step))
        if step > 0 and level > self._previous_item_level(block) + 1:
            return  # an item nests one level under the item above it at most
        self._set_kind(cursor, ITEM, level=level)

    def _previous_item_level(self, block) -> int:
        prev = block.previous()
        return level_of(prev) if prev.isValid() and kind_of(prev) == ITEM else -1

    def _set_kind(self, cursor: QTextCursor, kind: str, level: int = 0, ordered: bool | None = None) -> None:
        """Make the cursor's blocks *kind* (a heading of *level*, a list
        item at depth *level*, a paragraph), as one undo step."""
        cursor.beginEditBlock()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        block = self.document().findBlock(start)
        last = self.document().findBlock(end)
        while block.isValid():
            if kind_of(block) == IMAGE:  # a picture is no heading, item or quote
                if block == last:
                    break
                block = block.next()
                continue
            was_ordered = bool(block.blockFormat().property(P_ORDERED))
            fmt = block_format(unit_of(block), kind, level, was_ordered if ordered is None else ordered)
            c = QTextCursor(block)
            current = block.textList()
            if current is not None:
                current.remove(block)
                bf = block.blockFormat()
                bf.setIndent(0)
                c.setBlockFormat(bf)
            c.setBlockFormat(fmt)
            self.dirty.add(unit_of(block))
            if kind == ITEM:
                self._join_list(c, block, level, fmt.property(P_ORDERED))
            self._restyle(block, kind, level)
            if block == last:
                break
            block = block.next()
        cursor.endEditBlock()

    def join_list(self, cursor: QTextCursor, level: int, ordered: bool) -> None:
        self._join_list(cursor, cursor.block(), level, ordered)

    def _join_list(self, c: QTextCursor, block, level: int, ordered: bool) -> None:
        """Put *block* in the list of the item above at the same depth, or a new one."""
        prev = block.previous()
        while prev.isValid() and kind_of(prev) == ITEM and level_of(prev) > level:
            prev = prev.previous()
        if (prev.isValid() and kind_of(prev) == ITEM and level_of(prev) == level and prev.textList() is not None
                and bool(prev.blockFormat().property(P_ORDERED)) == bool(ordered)):
            prev.textList().add(block)
        else:
            c.createList(build.list_format(level, bool(ordered)))

    def _restyle(self, block, kind: str, level: int) -> None:
        """Give the block's characters the look of *kind*, keeping what they are."""
        it = block.begin()
        spans = []
        while not it.atEnd():
            frag = it.fragment()
            spans.append((frag.position(), frag.length(), fmt_of(frag.charFormat())))
            it += 1
        c = QTextCursor(block)
        for pos, length, fmt in spans:
            c.setPosition(pos)
            c.setPosition(pos + length, QTextCursor.MoveMode.KeepAnchor)
            c.setCharFormat(char_format(fmt, kind, level, self.base_size))
        c.setPosition(block.position())
        self.setCurrentCharFormat(char_format(PLAIN, kind, level, self.base_size)) if not spans else None
