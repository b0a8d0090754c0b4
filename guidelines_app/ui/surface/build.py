"""From the body to the surface's QTextDocument: ``build`` shows the
body's blocks as rich text, each text block remembering the source block it
came from (``writing`` turns the document back into the body)."""

from __future__ import annotations

from PySide6.QtGui import (
    QColor,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFrameFormat,
    QTextLength,
    QTextListFormat,
    QTextTableFormat,
)

from guidelines_app.core.inline_markup import PLAIN
from guidelines_app.core.surface_tables import cell_display
from guidelines_app.core.surface_text import (
    IMAGE,
    ITEM,
    PARAGRAPH,
    RULE,
    SOURCE,
    TABLE,
    TEXT_KINDS,
    Unit,
    display_runs,
    split_units,
)
from guidelines_app.ui.surface.formats import (
    P_UNIT,
    block_format,
    char_format,
    colours,
    source_look,
)

CELL = "cell"
# ``build_steps`` stops after this many blocks (about 15 ms of this machine's).
STEP_UNITS = 500


def list_format(depth: int, ordered: bool) -> QTextListFormat:
    f = QTextListFormat()
    f.setIndent(depth + 1)
    if ordered:
        f.setStyle(QTextListFormat.Style.ListDecimal)
    else:
        f.setStyle((QTextListFormat.Style.ListDisc, QTextListFormat.Style.ListCircle,
                    QTextListFormat.Style.ListSquare)[depth % 3])
    return f


def build(body: str, doc: QTextDocument, base_size: float, pictures=None) -> tuple[list[Unit], list[int]]:
    """Fill the empty *doc* with *body*'s blocks; returns the blocks and the
    first line of each text block (by block number)."""
    units, lines = split_units(body), []
    for _built in build_steps(units, doc, base_size, pictures, lines):
        pass
    return units, lines


def build_steps(units: list[Unit], doc: QTextDocument, base_size: float, pictures, lines: list[int],
                step: int | None = None):
    """``build`` of the blocks *units* (``split_units``), as a generator: it
    stops after every *step* blocks, saying how many are in (a long
    document is built a slice per event-loop turn: ``RichSurface.load``),
    and *lines* grows with the first line of each text block (*step*:
    STEP_UNITS unless given).
    Long on purpose: one case per kind of block, in document order."""
    step = step or STEP_UNITS
    cursor = QTextCursor(doc)
    lists: dict[int, tuple] = {}  # depth: (its QTextList, the list's style)
    list_formats: dict[tuple[int, bool], tuple] = {}  # (depth, ordered): (its QTextListFormat, the format's style)
    first = True
    looks: dict[tuple, object] = {}
    plain_looks: dict[tuple[str, int], object] = {}  # look(PLAIN, kind, level) by (kind, level): most runs are plain

    formats: dict[tuple, object] = {}

    def shape(index: int, kind: str, level: int = 0, ordered: bool = False):
        """block_format(...), from a cached one of the same kind (a copy is cheaper)."""
        key = (kind, level, ordered)
        base = formats.get(key)
        if base is None:
            base = formats[key] = block_format(-1, kind, level, ordered)
        f = QTextBlockFormat(base)
        f.setProperty(P_UNIT, index)
        return f

    def look(fmt, kind: str, level: int):
        key = (fmt, kind, level)
        found = looks.get(key)
        if found is None:
            found = looks[key] = char_format(fmt, kind, level, base_size)
        return found

    def new_block(fmt) -> None:
        nonlocal first
        if first:
            cursor.setBlockFormat(fmt)
            first = False
        else:
            cursor.insertBlock(fmt, plain_look)  # list numbers look plain, not like the heading above

    plain_look = look(PLAIN, PARAGRAPH, 0)
    insert_text = cursor.insertText
    cursor.beginEditBlock()  # one change for Qt to take in, not one per insertion: half its time
    for index, unit in enumerate(units):
        if index % step == 0 and index:
            cursor.endEditBlock()
            yield index
            cursor.beginEditBlock()
        kind = unit.kind
        if kind != ITEM and lists:
            lists.clear()
        if kind in TEXT_KINDS:
            # The hot path of a long document: shape(), new_block() and look() written out.
            level, ordered = unit.level, unit.ordered
            lines.append(unit.first)
            base = formats.get((kind, level, ordered))
            if base is None:
                base = formats[(kind, level, ordered)] = block_format(-1, kind, level, ordered)
            block_fmt = QTextBlockFormat(base)
            block_fmt.setProperty(P_UNIT, index)
            if first:
                cursor.setBlockFormat(block_fmt)
                first = False
            else:
                cursor.insertBlock(block_fmt, plain_look)  # list numbers look plain, not like the heading above
            for text, fmt in display_runs(unit.src):
                if fmt is PLAIN:
                    found = plain_looks.get((kind, level))
                    if found is None:
                        found = plain_looks[(kind, level)] = look(PLAIN, kind, level)
                    insert_text(text, found)
                else:
                    insert_text(text, look(fmt, kind, level))
            if kind == ITEM:
                if len(lists) > 1 or level not in lists:
                    for depth in [d for d in lists if d > level]:
                        del lists[depth]
                current = lists.get(level)
                made = list_formats.get((level, ordered))
                if made is None:
                    made_format = list_format(level, ordered)
                    made = list_formats[(level, ordered)] = (made_format, made_format.style())
                if current is not None and current[1] == made[1]:
                    current[0].add(cursor.block())
                else:
                    made_format, number = made[0], unit.marker[:-1]
                    if ordered and number.isdigit() and int(number) != 1:  # a list "3., 4." shows 3 and 4
                        made_format = QTextListFormat(made_format)
                        made_format.setStart(int(number))
                    lists[level] = (cursor.createList(made_format), made[1])
        elif kind == TABLE:
            if first:  # at the start (or after a table) Qt needs a block before a table
                lines.append(unit.first)
                new_block(block_format(index, PARAGRAPH))
            _build_table(cursor, index, unit, base_size, looks)  # right after the block above: no empty line
            lines.extend([unit.first] * (doc.blockCount() - 1 - len(lines)))
            first = True  # the empty block Qt keeps after a table is the next block's
        elif kind == RULE:
            lines.append(unit.first)
            new_block(block_format(index, RULE))
        elif kind == IMAGE:
            lines.append(unit.first)
            new_block(shape(index, IMAGE))
            if pictures is None or not pictures.insert(cursor, unit.lines[0]):
                cursor.setBlockFormat(source_look(shape(index, IMAGE)))  # a picture from elsewhere: its line
                cursor.insertText(unit.lines[0], look(PLAIN, SOURCE, 0))
        else:
            for n, line in enumerate(unit.lines or [""]):
                lines.append(unit.first + n)
                new_block(shape(index, SOURCE))
                cursor.insertText(line, look(PLAIN, SOURCE, 0))
    cursor.endEditBlock()
    lines.extend([units[-1].first if units else 0] * (doc.blockCount() - len(lines)))


def _build_table(cursor: QTextCursor, index: int, unit: Unit, base_size: float, looks: dict) -> None:
    """The table *unit* at *cursor*; *looks*: char formats made so far, by (Fmt, kind, level), and
    the formats every table of the document shares (made once, by name)."""
    cells = cell_display(unit)
    rows, cols = len(cells), max(len(r) for r in cells)
    shared = looks.get("table")
    if shared is None:
        shared = looks["table"] = (table_format(), block_format(-1, PARAGRAPH), char_format(PLAIN))
    table = cursor.insertTable(rows, cols, shared[0])
    for r, row in enumerate(cells):
        shape = block_format(index, CELL, r)
        for c, runs in enumerate(row):
            cell_cursor = table.cellAt(r, c).firstCursorPosition()
            cell_cursor.setBlockFormat(shape)
            for run, fmt in runs:
                key = (fmt, CELL if r == 0 else PARAGRAPH, 0)  # made once per document, as the blocks' are
                cf = looks.get(key)
                if cf is None:
                    cf = looks[key] = char_format(fmt, PARAGRAPH, 0, base_size)
                    if r == 0:
                        header_look(cf)  # the header row looks bold; it is not bold in the file
                cell_cursor.insertText(run, cf)
    shade_header(table)
    cursor.movePosition(QTextCursor.MoveOperation.End)
    after_table(cursor, -1, shared[1:])  # a new block: what is typed there is a paragraph of its own


def after_table(cursor: QTextCursor, unit: int, made: tuple | None = None) -> None:
    """The block Qt keeps after a table (*cursor* is in it) writes nothing:
    it is neither the block above (whose format it took) nor in its list.
    *made*: that block's and character format, for *unit* -1, made already."""
    block = cursor.block()
    if block.textList() is not None:
        block.textList().remove(block)
    block_fmt, char_fmt = made or (block_format(unit, PARAGRAPH), char_format(PLAIN))
    cursor.setBlockFormat(block_fmt)
    cursor.setBlockCharFormat(char_fmt)


def table_format() -> QTextTableFormat:
    """A grid of thin lines in the page's border colour, a little apart
    from the blocks above and below."""
    f = QTextTableFormat()
    f.setCellPadding(4)
    f.setCellSpacing(0)
    f.setBorder(1)
    f.setBorderCollapse(True)
    f.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    f.setBorderBrush(QColor(colours().border))
    f.setTopMargin(6)
    f.setBottomMargin(10)
    f.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
    return f


def shade_header(table) -> None:
    """The header row's shade, as in the preview."""
    for c in range(table.columns()):
        header = table.cellAt(0, c)
        shade = header.format()
        shade.setBackground(QColor(colours().table_head_background))
        header.setFormat(shade)


def header_look(cf) -> None:
    """A header cell's text: bold, in the heading colour (the look only)."""
    cf.setFontWeight(700)
    cf.setForeground(QColor(colours().heading))
