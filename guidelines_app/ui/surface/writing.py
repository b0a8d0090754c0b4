"""From the surface's QTextDocument back to the body: ``write`` turns the
document into the body, every block that was not touched written as its
original bytes.

A long document is not walked whole at every pause in typing: the surface
keeps its last write (``LastWrite``) and tells it where the document
changed since.  The next write takes the last one's lines before the
change, walks the blocks from a marked place before it to a marked place
after it where the walk stands as the last one stood, and takes the rest of
the last one's lines from there (moved by the lines the change added).  The
walk of every block of a 4 MB document held the window 0.2-0.3 s at each
pause; the blocks around an edit take a few milliseconds.
"""

from __future__ import annotations

import os
import time

from PySide6.QtGui import QTextCursor, QTextDocument

from guidelines_app.core.inline_markup import PLAIN
from guidelines_app.core.md_lines import FENCE_RE
from guidelines_app.core.surface_tables import write_table
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
    lead_of,
    show,
)
from guidelines_app.core.surface_write import (
    Assembler,
    ListNumbers,
    Style,
    block_lines,
    edit_source,
    keep_breaks,
    text_start,
    write_runs,
)
from guidelines_app.ui.surface.build import CELL
from guidelines_app.ui.surface.formats import P_ORDERED, kind_and_unit, level_of, read_block, unit_of
from guidelines_app.ui.surface.images import picture_source

MARK_EVERY = 32  # blocks between the places a write marks (where the next may start or join the last one)
LOOK_EVERY = 16  # blocks walked between two looks at the clock, with a pace (an edited one takes up to a millisecond)
PRIME_SLICE_S = 0.02  # the first write of a long document just shown: walked this long a turn (``prime``)
# Set to "1" (the tests set it), each write around the changes is checked against a walk of every block.
CHECK_ENV = "GUIDELINES_CHECK_WRITES"


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

    def head(self, depth: int, ordered: bool, number: int, parent: str | None = None) -> str:
        """A new item's head; *parent*: the head of the item it is nested
        in, whose content column it starts at (a document-wide step put a
        numbered item's sub-item at 2 spaces under "2. ": not nested in
        preview and export)."""
        step = self.step or ("   " if ordered else "  ")
        marker = f"{number if self.counting else 1}." if ordered else self.bullets.get(depth, self.bullets.get(0, "-"))
        indent = " " * len(parent.expandtabs(4)) if parent is not None and depth > 0 else step * depth
        return f"{indent}{marker} "


class LastWrite:
    """A surface's last write, and where its document changed since
    (``changed``, told of each change).  A mark is a place the walk
    passed: (block number, lines written before it, how the writing stood),
    taken at the start of a group of blocks that is no list item (nothing
    of the lists before it counts there)."""

    def __init__(self) -> None:
        self.doc: QTextDocument | None = None  # None: nothing written yet
        self.units: list[Unit] | None = None
        self.style: ListStyle | None = None  # of *units*
        self.ends_with_newline = True
        self.dirty: frozenset[int] = frozenset()
        self.revision = -1
        self.text = ""
        self.lines: list[str] = []  # the body's lines, as the assembler left them
        self.block_lines: list[int] = []  # the first line of each block
        self.block_units: list[int] = []  # the unit of each block
        self.marks: list[tuple[int, int, tuple]] = []  # in order of block
        self.first: int | None = None  # the first position changed since (None: none)
        self.tail = 0  # how many characters at the end are unchanged since
        self.walked = 0  # how many blocks the last write walked

    def changed(self, position: int, added: int, length: int) -> None:
        """The document (*length* characters now) changed at *position*,
        *added* characters written there."""
        tail = max(0, length - (position + max(added, 0)))
        if self.first is None:
            self.first, self.tail = position, tail
        else:
            self.first, self.tail = min(self.first, position), min(self.tail, tail)

    def _keep(self, doc, units, style, dirty, ends_with_newline, text, lines, block_lines, block_units, marks) -> None:
        self.doc, self.units, self.style, self.dirty = doc, units, style, frozenset(dirty)
        self.ends_with_newline, self.revision = ends_with_newline, doc.revision()
        self.text, self.lines, self.block_lines, self.block_units, self.marks = text, lines, block_lines, block_units, marks
        self.first, self.tail = None, 0


class _Plan:
    """A write of the blocks around the changes only: from *mark* (the last
    before the first block changed; None: the first block) until a mark of *last* after the last one
    changed (block *changed_to* of the document now; the blocks after it
    are the last write's, *shift* blocks further on)."""

    def __init__(self, last: LastWrite, mark_at: int, changed_to: int, shift: int, new_dirty: set[int]):
        self.last, self.changed_to, self.shift, self.new_dirty = last, changed_to, shift, new_dirty
        self.mark = last.marks[mark_at] if mark_at >= 0 else None  # None: from the first block
        self.marks_before = last.marks[:max(mark_at, 0)]
        self.marks_after = {m[0]: m for m in last.marks[mark_at + 1:]}

    def joins(self, number: int, state: tuple) -> tuple | None:
        """The last write's mark where the walk, at block *number* in the
        same *state*, goes on as that write did (None: walk on)."""
        if number <= self.changed_to + 1:
            return None
        mark = self.marks_after.get(number - self.shift)
        return mark if mark is not None and mark[2] == state else None

    def same_around(self, walked: list[int], joined_at: int | None) -> bool:
        """Whether what the blocks not walked write is as at the last write:
        the units the walk met (*walked*, from the mark to *joined_at*, the
        last write's block where it joined it, or to the end) are shown
        elsewhere as before (a unit none of whose blocks is shown any more
        is joined into the one before it: ``_joined_sources``), and each
        unit edited since has all its blocks among them."""
        everywhere = self.last.block_units
        before = everywhere[self.mark[0] if self.mark is not None else 0:joined_at]
        for unit in set(before) ^ set(walked):
            if unit >= 0 and everywhere.count(unit) == before.count(unit):  # shown (or not) only there
                return False
        return all(everywhere.count(unit) == before.count(unit) for unit in self.new_dirty)


def _plan(doc: QTextDocument, units: list[Unit], dirty: set[int], ends_with_newline: bool,
          last: LastWrite | None) -> _Plan | None:
    """How to write again only around the changes, or None: walk every block."""
    if last is None or last.doc is not doc or last.units is not units or last.ends_with_newline != ends_with_newline \
            or last.first is None or not last.dirty <= dirty:
        return None
    length = doc.characterCount()
    first = doc.findBlock(min(max(last.first, 0), length - 1)).blockNumber()
    changed_to = doc.findBlock(min(max(length - last.tail, 0), length - 1)).blockNumber()
    marks = last.marks
    at = len(marks) - 1
    while at >= 0 and marks[at][0] >= first:  # the last mark before the first block changed (its blocks are as they were)
        at -= 1
    if first < 0 or changed_to < 0:
        return None
    return _Plan(last, at, changed_to, doc.blockCount() - len(last.block_units), dirty - last.dirty)


def write(doc: QTextDocument, units: list[Unit], dirty: set[int], ends_with_newline: bool,
          kept: dict | None = None, last: LastWrite | None = None) -> tuple[str, list[int]]:
    """The body the document shows now, and the first line of each of its
    blocks (by block number; table cells share their table's line).
    *kept*: the edited blocks' sources as worked out by the writings before
    (``_edited``), for the same *units*.  *last*: the surface's last write,
    kept up to date: written again only around the changes told to it."""
    return _walked(write_steps(doc, units, dirty, ends_with_newline, kept, last))


def write_steps(doc: QTextDocument, units: list[Unit], dirty: set[int], ends_with_newline: bool,
                kept: dict | None = None, last: LastWrite | None = None, pace: list[float] | None = None):
    """``write`` as a generator returning what it returns: with *pace*, it
    stops (yields) once the clock passes ``pace[0]``, to go on when next
    asked (the document unchanged meanwhile: the caller checks; what it
    worked out for the edited blocks stays in *kept* even if it is not
    asked again).  Without, it never stops."""
    if last is not None and last.doc is doc and last.units is units and last.first is None \
            and last.revision == doc.revision() and last.dirty == dirty and last.ends_with_newline == ends_with_newline:
        last.walked = 0
        return last.text, last.block_lines  # nothing changed since
    plan = _plan(doc, units, dirty, ends_with_newline, last)
    style = last.style if last is not None and last.units is units and last.style is not None else ListStyle(units)
    found = yield from _walk(doc, units, dirty, ends_with_newline, kept, style, plan, pace)
    if found is None:  # the blocks not walked would write otherwise now: all of them
        found = yield from _walk(doc, units, dirty, ends_with_newline, kept, style, None, pace)
    elif plan is not None and os.environ.get(CHECK_ENV) == "1":
        whole = _walked(_walk(doc, units, dirty, ends_with_newline, kept, style, None))
        if whole[:4] != found[:4]:
            raise AssertionError("the write around the changes differs from the whole document's")
    text, lines, block_lines_, block_units, marks, walked = found
    if last is not None:
        last._keep(doc, units, style, dirty, ends_with_newline, text, lines, block_lines_, block_units, marks)
        last.walked = walked
    return text, block_lines_


def prime(doc: QTextDocument, units: list[Unit], last: LastWrite, ends_with_newline: bool):
    """The first write of a document just shown, untouched, walked a slice
    of PRIME_SLICE_S at a time (a generator: each step walks one), so that
    the first pause in typing walks only the blocks around the edit.  It
    stops, keeping nothing, once the document changes or is written meanwhile."""
    revision, style, pace = doc.revision(), ListStyle(units), [0.0]
    walk = _walk(doc, units, set(), ends_with_newline, None, style, None, pace)
    while True:
        pace[0] = time.perf_counter() + PRIME_SLICE_S
        try:
            next(walk)
        except StopIteration as done:
            found = done.value
            break
        yield
        if last.doc is not None or last.first is not None or doc.revision() != revision:
            return
    if last.doc is None and last.first is None and doc.revision() == revision:
        text, lines, block_lines_, block_units, marks, _walked_blocks = found
        last._keep(doc, units, style, set(), ends_with_newline, text, lines, block_lines_, block_units, marks)


def _walked(walk):
    """What the walk *walk* (``_walk``) returns, walked at once."""
    try:
        while True:
            next(walk)
    except StopIteration as done:
        return done.value


def _walk(doc: QTextDocument, units: list[Unit], dirty: set[int], ends_with_newline: bool, kept: dict | None,
          style: ListStyle, plan: _Plan | None, pace: list[float] | None = None):
    """A generator returning (text, lines, block lines, block units, marks,
    blocks walked) of a walk over every block, or with *plan* over those
    around the changes (None when that cannot stand: see
    ``_Plan.same_around``).  With *pace* it stops (yields) once the clock
    passes ``pace[0]``, to go on when next asked; without, it never does.
    Long on purpose: one pass over the blocks, grouping those made from one
    source block, with the cases of each kind side by side.  Each block's
    format is read once (the next block's, read to end a group, is carried
    on), and a block brought as it was (most of them) is written inline."""
    asm = Assembler(lead_of(units))
    numbers = ListNumbers(style.counting)
    joined: dict[int, str] | None = None  # worked out only when an edited block is followed by a gap
    count = len(units)
    if plan is None or plan.mark is None:
        number, block_lines_, block_units, marks = 0, [], [], []
        block = doc.begin()
    else:  # from the mark before the changes, as the last write stood there
        last = plan.last
        number, written, state = plan.mark
        asm.lines = last.lines[:written]
        asm._last_kind, asm._last_tail, asm.last_written = state[:3]
        block_lines_, block_units, marks = last.block_lines[:number], last.block_units[:number], list(plan.marks_before)
        block = doc.findBlockByNumber(number)
    start_number, next_mark, joins, next_look = number, number, None, number
    original, line_of, seen, unit_at = asm.original, block_lines_.append, numbers.seen, block_units.append
    kind, unit_index = kind_and_unit(block) if block.isValid() else ("", -1)
    while block.isValid():
        if pace is not None and number >= next_look:
            next_look = number + LOOK_EVERY
            if time.perf_counter() >= pace[0]:
                yield
        unit = units[unit_index] if 0 <= unit_index < count else None
        if kind == CELL:
            table = QTextCursor(block).currentTable()
            last_cell = doc.findBlock(table.lastPosition())
            start = len(asm.lines)
            cells = last_cell.blockNumber() - block.blockNumber() + 1
            _write_table(asm, table, unit, unit_index in dirty)
            block_lines_.extend([start] * cells)
            block_units.extend([unit_index] * cells)
            number += cells
            block = last_cell.next()
            if block.isValid():
                kind, unit_index = kind_and_unit(block)
            continue
        if kind != ITEM:
            numbers.clear()
            if number >= next_mark or plan is not None:
                lines = asm.lines
                state = (asm._last_kind, asm._last_tail, asm.last_written, not lines or not lines[-1].strip())
                if plan is not None and (joins := plan.joins(number, state)) is not None:
                    break
                if number >= next_mark:
                    marks.append((number, len(lines), state))
                    next_mark = number + MARK_EVERY
        group = [block]
        nxt = block.next()
        next_kind, next_unit = "", -1
        while nxt.isValid():
            next_kind, next_unit = kind_and_unit(nxt)
            if unit is None or next_unit != unit_index or next_kind == CELL or (next_kind != kind and kind != SOURCE):
                break
            group.append(nxt)
            nxt = nxt.next()
        if unit is not None and len(group) == 1 and kind == unit.kind and kind != SOURCE and unit_index not in dirty:
            # As it was (``_write_group``'s first case): its one start.
            original(unit, kind, kind == ITEM and seen(unit.level, unit.head))
            line_of(asm.starts[-1])
            unit_at(unit_index)
        else:
            before, at = len(asm.starts), len(asm.lines)
            # Units after this one have no block: joined into it?  Asked of each group for itself, so that
            # what a group writes never hangs on a group before it (a write around the changes starts later).
            gap = unit is not None and unit_index in dirty and _next_unit(nxt, count) > unit_index + 1
            if gap and joined is None:
                joined = _joined_sources(doc, units, dirty)
            _write_group(asm, group, kind, unit, unit_index in dirty, style, numbers,
                         joined.get(unit_index) if gap else None, kept)
            starts = asm.starts[before:]
            if len(starts) == 1 and len(group) > 1 and kind == SOURCE:
                starts = [starts[0] + k for k in range(len(group))]
            starts = (starts or [at]) + [starts[-1] if starts else at] * (len(group) - len(starts))
            block_lines_.extend(starts[: len(group)])
            block_units.extend([unit_index] * len(group))
        number += len(group)
        block = nxt
        kind, unit_index = next_kind, next_unit
    lines = asm.lines
    if plan is not None:
        if not plan.same_around(block_units[start_number:], joins[0] if joins is not None else None):
            return None
        if joins is not None:  # the rest as the last write wrote it, moved by the lines and blocks added
            last, (old_number, written, _state) = plan.last, joins
            moved = len(lines) - written
            lines.extend(last.lines[written:])
            block_lines_.extend([line + moved for line in last.block_lines[old_number:]])
            block_units.extend(last.block_units[old_number:])
            marks.extend([(n + plan.shift, w + moved, s) for n, w, s in last.marks if n >= old_number])
    return asm.text(ends_with_newline), lines, block_lines_, block_units, marks, number - start_number

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
        lines = _still_closed([b.text() for b in group], unit)
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
            lines = (unit.head + text_start(kind, src) + unit.foot).split("\n")
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
                head = numbers.next_head(level, ordered) or style.head(level, ordered, numbers.count(level) + 1,
                                                                       numbers.last_head(level - 1))
                apart = numbers.seen(level, head)
                lines = (head + text_start(ITEM, src).replace("\n", "\n" + " " * len(head))).split("\n")
            elif kind == HEADING:
                lines = block_lines(HEADING, src, level, unit.head if placed and unit.kind == HEADING else "",
                                    unit.foot if placed and unit.kind == HEADING and unit.level == level else "")
            elif kind == QUOTE:
                lines = ("> " + text_start(QUOTE, src).replace("\n", "\n> ")).split("\n")
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


def _closes(lines: list[str]) -> bool:
    """Whether *lines* are a fenced code block that ends (its fence again,
    alone on a later line)."""
    opening = FENCE_RE.match(lines[0]) if lines else None
    if opening is None:
        return False
    fence = opening.group(1)
    return any(line.strip().startswith(fence) and set(line.strip()) == {fence[0]} for line in lines[1:])


def _still_closed(lines: list[str], unit: Unit | None) -> list[str]:
    """A code block's lines as edited, closed as it was: words typed after
    its closing fence ("``` end of example") left it open, and every line
    after it, headings and all, became code."""
    if unit is not None and _closes(unit.lines) and not _closes(lines) and FENCE_RE.match(lines[0]):
        return [*lines, FENCE_RE.match(lines[0]).group(1)]
    return lines


def _read_cell(cell) -> tuple[str, list]:
    """A table cell's text and formats, every line of it: a cell holds more
    than one block once text with line breaks is pasted into it, or when it
    was written with "<br>"; only its first was read, and the rest lost.
    The lines are joined by "\n" (written "<br>": ``write_runs``)."""
    block, last = cell.firstCursorPosition().block(), cell.lastCursorPosition().block()
    text, fmts = read_block(block)
    while block != last and block.isValid():
        block = block.next()
        more, more_fmts = read_block(block)
        text, fmts = text + "\n" + more, fmts + [PLAIN] + more_fmts
    return text, fmts


def _write_table(asm: Assembler, table, unit: Unit | None, dirty: bool) -> None:
    if unit is not None and not dirty and unit.kind == TABLE:
        asm.original(unit, TABLE)
        return
    cells = [[_read_cell(table.cellAt(r, c)) for c in range(table.columns())] for r in range(table.rows())]
    lines = write_table(unit if unit is not None and unit.kind == TABLE else None, cells)
    if unit is not None and lines == unit.lines:
        asm.original(unit, TABLE)
    else:
        asm.written(TABLE, lines, unit is not None, unit.tail if unit is not None else None)
