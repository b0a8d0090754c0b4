"""Tables on the surface: insert one, add and remove rows and columns.  The
cells carry their table's source block, so a changed table is written back
as a pipe table in its own style (``core.surface_tables``)."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor

from guidelines_app.core.inline_markup import PLAIN
from guidelines_app.ui import table_fit
from guidelines_app.ui.surface.build import CELL, after_table, header_look, shade_header, table_format
from guidelines_app.ui.surface.formats import block_format, char_format, kind_of, unit_of


def _mark(surface, table, unit: int) -> None:
    """Every cell block of *table* belongs to source block *unit*."""
    for r in range(table.rows()):
        for c in range(table.columns()):
            cursor = table.cellAt(r, c).firstCursorPosition()
            if kind_of(cursor.block()) != CELL or unit_of(cursor.block()) != unit:
                cursor.setBlockFormat(block_format(unit, CELL, r))
    surface.dirty.add(unit)


def _fit(surface, table) -> None:
    """*table*'s columns fitted to the surface's width (``table_fit``), in the edit that changed it."""
    doc = surface.document()
    table_fit.fit_table(doc, table, table_fit.page_width(surface))


def insert_table(surface, rows: int = 3, columns: int = 3) -> None:
    """A new table (with a header row) after the cursor's block."""
    cursor = surface.textCursor()
    cursor.beginEditBlock()
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    table = cursor.insertTable(rows, columns, table_format())  # right after the block: no empty line
    after = QTextCursor(surface.document())
    after.setPosition(table.lastPosition() + 1)
    after_table(after, -1)  # where typing goes on below the table
    for c in range(columns):
        cell = table.cellAt(0, c).firstCursorPosition()
        cell.setBlockFormat(block_format(-1, CELL, 0))
        bold = char_format(PLAIN)
        header_look(bold)
        cell.insertText(f"Column {c + 1}", bold)
    shade_header(table)
    _mark(surface, table, -1)
    _fit(surface, table)
    cursor.endEditBlock()
    surface.setTextCursor(table.cellAt(1 if rows > 1 else 0, 0).firstCursorPosition())


def _table(surface):
    cursor = surface.textCursor()
    return cursor, cursor.currentTable()


def add_row(surface) -> None:
    cursor, table = _table(surface)
    if table is None:
        return
    unit = unit_of(table.cellAt(0, 0).firstCursorPosition().block())
    cursor.beginEditBlock()
    row = table.cellAt(cursor).row()
    table.insertRows(row + 1, 1)
    _mark(surface, table, unit)
    cursor.endEditBlock()
    surface.setTextCursor(table.cellAt(row + 1, 0).firstCursorPosition())


def remove_row(surface) -> None:
    cursor, table = _table(surface)
    if table is None or table.rows() <= 2:
        return
    row = table.cellAt(cursor).row()
    if row == 0:
        return  # the header row stays
    unit = unit_of(table.cellAt(0, 0).firstCursorPosition().block())
    cursor.beginEditBlock()
    table.removeRows(row, 1)
    surface.dirty.add(unit)
    cursor.endEditBlock()


def add_column(surface) -> None:
    cursor, table = _table(surface)
    if table is None:
        return
    unit = unit_of(table.cellAt(0, 0).firstCursorPosition().block())
    cursor.beginEditBlock()
    column = table.cellAt(cursor).column()
    table.insertColumns(column + 1, 1)
    _mark(surface, table, unit)
    _fit(surface, table)
    cursor.endEditBlock()


def remove_column(surface) -> None:
    cursor, table = _table(surface)
    if table is None or table.columns() <= 1:
        return
    unit = unit_of(table.cellAt(0, 0).firstCursorPosition().block())
    cursor.beginEditBlock()
    table.removeColumns(table.cellAt(cursor).column(), 1)
    surface.dirty.add(unit)
    _fit(surface, table)
    cursor.endEditBlock()
