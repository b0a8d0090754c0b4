"""Between the body and the surface's QTextDocument: ``build`` shows the
body's blocks as rich text (each text block remembers the source block it
came from), ``write`` turns the document back into the body, with every
block that was not touched written as its original bytes."""

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
from guidelines_app.core.surface_tables import cell_display, write_table
from guidelines_app.core.surface_text import (
    HEADING,
    IMAGE,
    ITEM,
    PARAGRAPH,
    QUOTE,
    RULE,
    SOURCE,
    TABLE,
    TEXT_KINDS,
    Unit,
    display_runs,
    lead_of,
    show,
    split_units,
)
from guidelines_app.core.surface_write import (
    Assembler,
    ListNumbers,
    Style,
    block_lines,
    edit_source,
    keep_breaks,
    write_runs,
)
from guidelines_app.ui.surface.formats import (
    P_ORDERED,
    P_UNIT,
    block_format,
    char_format,
    colours,
    kind_and_unit,
    level_of,
    read_block,
    source_look,
    unit_of,
)
from guidelines_app.ui.surface.images import picture_source

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


class ListStyle:
    """How this document writes lists: the indent of one level and the
    bullet of each level, read from its own items."""

    def __init__(self, units: list[Unit]):
        self.step = ""
        self.bullets: dict[int, str] = {}
        self.counting = False  # numbered lists count up (not "1." on every item)
        for u in units:
            if u.kind != ITEM:
                continue
            if not u.ordered:
                self.bullets.setdefault(u.level, u.marker)
            elif not u.marker.startswith("1"):
                self.counting = True
            if u.level == 1 and not self.step:
                self.step = u.head[: len(u.head) - len(u.head.lstrip(" \t"))]

    def head(self, depth: int, ordered: bool, number: int) -> str:
        step = self.step or ("   " if ordered else "  ")
        marker = f"{number if self.counting else 1}." if ordered else self.bullets.get(depth, self.bullets.get(0, "-"))
        return f"{step * depth}{marker} "


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
                    lists[level] = (cursor.createList(made[0]), made[1])
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


# ---------------------------------------------------------------------------
# Writing back
# ---------------------------------------------------------------------------


def write(doc: QTextDocument, units: list[Unit], dirty: set[int], ends_with_newline: bool,
          kept: dict | None = None) -> tuple[str, list[int]]:
    """The body the document shows now, and the first line of each of its
    blocks (by block number; table cells share their table's line).
    *kept*: the edited blocks' sources as worked out by the writings before
    (``_edited``), for the same *units*.
    Long on purpose: one pass over the blocks, grouping those made from one
    source block, with the cases of each kind side by side.  Each block's
    format is read once (the next block's, read to end a group, is carried
    on), and a block brought as it was (most of them) is written inline:
    the pass runs over every block of the document at each pause in typing
    (80 ms of 26,000 blocks)."""
    asm = Assembler(lead_of(units))
    style = ListStyle(units)
    block_lines_: list[int] = []
    numbers = ListNumbers(style.counting)
    joined: dict[int, str] | None = None  # worked out only when an edited block is followed by a gap
    count = len(units)
    original, line_of, seen = asm.original, block_lines_.append, numbers.seen
    block = doc.begin()
    kind, unit_index = kind_and_unit(block) if block.isValid() else ("", -1)
    while block.isValid():
        unit = units[unit_index] if 0 <= unit_index < count else None
        if kind == CELL:
            table = QTextCursor(block).currentTable()
            last = doc.findBlock(table.lastPosition())
            start = len(asm.lines)
            cells = last.blockNumber() - block.blockNumber() + 1
            _write_table(asm, table, unit, unit_index in dirty)
            block_lines_.extend([start] * cells)
            block = last.next()
            if block.isValid():
                kind, unit_index = kind_and_unit(block)
            continue
        group = [block]
        nxt = block.next()
        next_kind, next_unit = "", -1
        while nxt.isValid():
            next_kind, next_unit = kind_and_unit(nxt)
            if unit is None or next_unit != unit_index or next_kind == CELL or (next_kind != kind and kind != SOURCE):
                break
            group.append(nxt)
            nxt = nxt.next()
        if kind != ITEM:
            numbers.clear()
        if unit is not None and len(group) == 1 and kind == unit.kind and kind != SOURCE and unit_index not in dirty:
            # As it was (``_write_group``'s first case): its one start.
            original(unit, kind, kind == ITEM and seen(unit.level, unit.head))
            line_of(asm.starts[-1])
        else:
            before, at = len(asm.starts), len(asm.lines)
            if joined is None and unit is not None and unit_index in dirty and _next_unit(nxt, count) > unit_index + 1:
                joined = _joined_sources(doc, units, dirty)  # units after this one have no block: joined here?
            _write_group(asm, group, kind, unit, unit_index in dirty, style, numbers,
                         joined.get(unit_index) if joined else None, kept)
            starts = asm.starts[before:]
            if len(starts) == 1 and len(group) > 1 and kind == SOURCE:
                starts = [starts[0] + k for k in range(len(group))]
            starts = (starts or [at]) + [starts[-1] if starts else at] * (len(group) - len(starts))
            block_lines_.extend(starts[: len(group)])
        block = nxt
        kind, unit_index = next_kind, next_unit
    return asm.text(ends_with_newline), block_lines_


def _next_unit(block, count: int) -> int:
    """The unit of the first block from *block* on made from one (*count*
    past the end)."""
    while block.isValid() and unit_of(block) < 0:
        block = block.next()
    return unit_of(block) if block.isValid() else count


def _joined_sources(doc: QTextDocument, units: list[Unit], dirty: set[int]) -> dict[int, str]:
    """For a block that Backspace (or Delete) joined with the blocks after
    it: its unit's index -> the source of those units together, so that
    their soft line breaks stay where the words are unchanged.  A unit with
    no block left was joined into the shown one before it when that one was
    edited and both are of one kind with one continuation ("> " in a quote);
    Qt marks only the block joined into as changed."""
    if not dirty:
        return {}
    present = set()
    block = doc.begin()
    while block.isValid():
        present.add(unit_of(block))
        block = block.next()
    joined: dict[int, str] = {}
    for index in range(1, len(units)):
        if index in present:
            continue
        into = index - 1
        while into > 0 and into not in present:
            into -= 1  # a run of joined units goes to the first one still shown
        first, gone = units[into], units[index]
        if into in present and into in dirty and gone.kind == first.kind \
                and gone.kind in (PARAGRAPH, QUOTE, ITEM) and gone.cont == first.cont:
            joined[into] = joined.get(into, first.src) + "\n" + gone.src
    return joined


def _write_group(asm: Assembler, group, kind: str, unit: Unit | None, dirty: bool, style: ListStyle,
                 numbers: ListNumbers, joined: str | None = None, kept: dict | None = None) -> None:
    """Long on purpose: the cases of each kind of text block side by side
    (as it was, edited in place, or written whole).  *joined*: the source of
    the unit with the units joined into it (see ``_joined_sources``);
    *kept*: see ``_edited``."""
    if unit is not None and not dirty and (len(group) == max(1, len(unit.lines)) if kind == SOURCE else len(group) == 1) \
            and kind == unit.kind:
        asm.original(unit, kind, kind == ITEM and numbers.seen(unit.level, unit.head))
        return
    if kind == SOURCE:
        lines = [b.text() for b in group]
        if unit is not None and lines == unit.lines:
            asm.original(unit, kind)
        else:
            asm.written(kind, lines, unit is not None, unit.tail if unit is not None else None)
        return
    if kind == IMAGE:
        lines = [text for text in (picture_source(b) for b in group) if text.strip()]
        if unit is not None and lines == unit.lines:
            asm.original(unit, kind)
        elif lines:
            asm.written(kind, lines, unit is not None, unit.tail if unit is not None else None)
        return
    if kind == RULE:
        if unit is not None and unit.kind == RULE:
            asm.original(unit, kind)
        else:
            asm.written(kind, ["---"], False)
        return
    last = len(group) - 1
    anchor = _anchor(group, unit, kind) if unit is not None else -1
    for n, b in enumerate(group):
        text, fmts = read_block(b)
        level = level_of(b)
        ordered = bool(b.blockFormat().property(P_ORDERED))
        placed = n == 0 and unit is not None
        tail = unit.tail if unit is not None and n == last else None
        if not text.strip():
            continue  # an empty block writes nothing
        if len(group) > 1 or n != anchor:  # "words| here": Enter leaves a space at the edge of a half
            lead = len(text) - len(text.lstrip())
            text, fmts = text.strip(), fmts[lead: lead + len(text.strip())]
        if n == anchor and unit.level == level and (kind != ITEM or unit.ordered == ordered):
            src = _edited(unit, text, fmts, kept)
            if joined is not None and len(group) == 1:
                src = keep_breaks(joined, src)  # the joined paragraphs' own line breaks
            lines = (unit.head + src + unit.foot).split("\n")
            apart = kind == ITEM and numbers.seen(level, unit.head)
            if lines == unit.lines and len(group) == 1:
                asm.original(unit, kind, apart)
                continue
        else:
            apart = False
            src = write_runs(list(zip(text, fmts)), Style.of(unit.src if unit else "", ""))
            if kind != HEADING and unit is not None and unit.kind in TEXT_KINDS and unit.kind != HEADING:
                src = keep_breaks(unit.src, src, "")  # the source's wrapping where the words are the same
            if kind == ITEM:
                head = numbers.next_head(level, ordered) or style.head(level, ordered, numbers.count(level) + 1)
                apart = numbers.seen(level, head)
                lines = (head + src.replace("\n", "\n" + " " * len(head))).split("\n")
            elif kind == HEADING:
                lines = block_lines(HEADING, src, level, unit.head if placed and unit.kind == HEADING else "",
                                    unit.foot if placed and unit.kind == HEADING and unit.level == level else "")
            elif kind == QUOTE:
                lines = ("> " + src.replace("\n", "\n> ")).split("\n")
            else:
                lines = block_lines(PARAGRAPH, src)
        asm.written(kind, lines, placed, tail, apart)


def _edited(unit: Unit, text: str, fmts: list, kept: dict | None) -> str:
    """The source of *unit*'s block, edited to show *text* in *fmts*
    (``edit_source``).  A block stays edited (its unit stays in ``dirty``)
    until the next load, and is written at every sync: its last answer is
    kept in *kept* (by the unit's first line) and given again while it
    shows the same.  Working each one out again held the window 0.3-0.45 s
    at every pause in typing after a Replace All in a 40,000-word policy."""
    if kept is not None:
        last = kept.get(unit.first)
        if last is not None and last[0] == text and last[1] == fmts:
            return last[2]
    src = edit_source(unit.src, text, fmts, Style.of(unit.src, unit.cont))
    if kept is not None:
        kept[unit.first] = (text, fmts, src)
    return src


def _anchor(group, unit: Unit, kind: str) -> int:
    """Which block of *group* (made from *unit*) is the unit itself, edited:
    the one still showing its text as it was (Enter at the start of a block
    puts the new, empty block first), else the first.  -1: none (the block
    is of another kind now)."""
    if unit.kind != kind or kind not in TEXT_KINDS:
        return -1
    if len(group) > 1:
        shown = show(unit.src).text.strip()
        for n, b in enumerate(group):
            if b.text().strip() == shown:
                return n
    return 0


def _write_table(asm: Assembler, table, unit: Unit | None, dirty: bool) -> None:
    if unit is not None and not dirty and unit.kind == TABLE:
        asm.original(unit, TABLE)
        return
    cells = [[read_block(table.cellAt(r, c).firstCursorPosition().block()) for c in range(table.columns())]
             for r in range(table.rows())]
    lines = write_table(unit if unit is not None and unit.kind == TABLE else None, cells)
    if unit is not None and lines == unit.lines:
        asm.original(unit, TABLE)
    else:
        asm.written(TABLE, lines, unit is not None, unit.tail if unit is not None else None)
