"""The Format menu's commands on the rich editing surface (``RichSurface``,
which they are part of): bold and italic on a selection, headings, lists,
quotes, a horizontal line.  Each changes the surface's blocks as typing
would, so the block's Markdown is written again when saved."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor

from guidelines_app.core.inline_markup import PLAIN
from guidelines_app.core.surface_text import HEADING, IMAGE, ITEM, PARAGRAPH, QUOTE, RULE, SOURCE
from guidelines_app.ui.surface.formats import C_BOLD, C_ITALIC, P_ORDERED, block_format, char_format, fmt_of, kind_of, level_of

# Blocks written as they are, not from their formats: bold there would show and never be saved.
_NOT_TEXT = (SOURCE, IMAGE, RULE)


class FormatCommands:
    """The Format menu's commands, for ``RichSurface`` (a ``QTextEdit``
    with ``_set_kind``, of ``keys.BlockKeys``, and ``base_size``)."""

    def format_inline(self, marker: str) -> None:
        """Bold ("**") or italic ("*") on the selection (or the word at the cursor)."""
        prop = C_BOLD if marker.strip("*_") == "" and len(marker) == 2 else C_ITALIC
        cursor = self.textCursor()
        if not cursor.hasSelection() and kind_of(cursor.block()) in _NOT_TEXT:
            return  # (a code block's source lines are written as typed: bold there showed and was never saved)
        if not cursor.hasSelection():
            cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        if not cursor.hasSelection():
            fmt = self.currentCharFormat()
            self._toggle(fmt, prop, not fmt.property(prop))
            self.setCurrentCharFormat(fmt)
            return
        on = not all(self._has(cursor, prop))
        cursor.beginEditBlock()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        pos = start
        while pos < end:
            c = QTextCursor(self.document())
            c.setPosition(pos)
            block = c.block()
            stop = min(end, block.position() + block.length() - 1)
            c.setPosition(stop, QTextCursor.MoveMode.KeepAnchor)
            if kind_of(block) not in _NOT_TEXT:  # (not a code block's source lines: see above)
                self._apply_run(c, prop, on, kind_of(block), level_of(block))
            pos = block.position() + block.length()
        cursor.endEditBlock()

    def _has(self, cursor: QTextCursor, prop: int):
        c = QTextCursor(self.document())
        for pos in range(cursor.selectionStart() + 1, cursor.selectionEnd() + 1):
            c.setPosition(pos)
            yield bool(c.charFormat().property(prop))

    def _apply_run(self, c: QTextCursor, prop: int, on: bool, kind: str, level: int) -> None:
        start, end = c.selectionStart(), c.selectionEnd()
        probe = QTextCursor(self.document())
        pos = start
        while pos < end:
            probe.setPosition(pos + 1)
            fmt = fmt_of(probe.charFormat())
            fmt = fmt.with_(bold=on) if prop == C_BOLD else fmt.with_(italic=on)
            one = QTextCursor(self.document())
            one.setPosition(pos)
            one.setPosition(pos + 1, QTextCursor.MoveMode.KeepAnchor)
            one.setCharFormat(char_format(fmt, kind, level, self.base_size))
            pos += 1

    @staticmethod
    def _toggle(fmt, prop: int, on: bool) -> None:
        fmt.setProperty(prop, on)
        if prop == C_BOLD:
            fmt.setFontWeight(700 if on else 400)
        else:
            fmt.setFontItalic(on)

    def format_heading(self, level: int) -> None:
        cursor = self.textCursor()
        if level <= 0:
            self._set_kind(cursor, PARAGRAPH)
        else:
            self._set_kind(cursor, HEADING, level=level)

    def format_list(self, ordered: bool) -> None:
        cursor = self.textCursor()
        block = cursor.block()
        if kind_of(block) == ITEM and bool(block.blockFormat().property(P_ORDERED)) == ordered:
            self._set_kind(cursor, PARAGRAPH)
        else:
            self._set_kind(cursor, ITEM, level=level_of(block) if kind_of(block) == ITEM else 0, ordered=ordered)

    def format_quote(self) -> None:
        """Make the cursor's paragraphs a block quote, or plain paragraphs again."""
        cursor = self.textCursor()
        self._set_kind(cursor, PARAGRAPH if kind_of(cursor.block()) == QUOTE else QUOTE)

    def insert_rule(self) -> None:
        """A horizontal line after the cursor's block."""
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        cursor.insertBlock(block_format(-1, RULE), char_format(PLAIN))
        cursor.insertBlock(block_format(-1, PARAGRAPH), char_format(PLAIN))
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def insert_link(self) -> None:
        from guidelines_app.ui.surface.links import edit_link

        edit_link(self)
