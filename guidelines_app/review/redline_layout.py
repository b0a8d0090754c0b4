"""The layout a redline shares between its renderers: a diff's blocks as
shown pieces (no Markdown), walked section by section into headings,
paragraphs and tables, for the Word writer and the accept/reject-all texts."""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING, NamedTuple

from guidelines_app.core.document import status_name
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.inline_diff import display_pieces, split_cells
from guidelines_app.core.inline_markup import CELL, Piece, display_text
from guidelines_app.core.md_lines import THEMATIC_BREAK_RE as _RULE_RE
from guidelines_app.core.wording import plural
from guidelines_app.review.diff.definitions import DEFINITION, TERM
from guidelines_app.review.diff.model import OPENING, BlockChange, DocumentDiff, SectionChange

if TYPE_CHECKING:
    from guidelines_app.review.diff.blocks import Block


class RedlineError(GuidelinesError):
    pass


# What marks a line break inside a paragraph added or taken away on its own
# (``diff.breaks``) in the HTML and text redlines: a mark on the break
# alone would show nothing.
BREAK_MARK = "\u21b5"


class Labels(NamedTuple):
    """What the two sides are, for headers and tracked-change authorship.
    A tuple rather than a frozen dataclass, whose making cost every redline
    in a fresh process half a millisecond."""

    title: str = "Document"
    old: str = "old version"
    new: str = "new version"
    author: str = "Guideline Studio"
    date: _dt.datetime | None = None
    header: str = ""  # the Word redline's page header, where room is short ("" : "old \u2192 new")


# ---------------------------------------------------------------------------
# Block display
# ---------------------------------------------------------------------------


def block_prefix(block: Block, number: str | None = None) -> str:
    """What a block's text starts with in the text redline: a list item's
    indentation and bullet (or *number*, "2." as its side reads it:
    ``redline_numbers``; None: as written), after "> " for a block
    quote's paragraph or item (``diff.blocks`` keeps their "> " in the
    content, which the shown text leaves out)."""
    quote = "> " if block.kind in ("paragraph", "item") and block.content[:1] == ">" else ""
    if block.marker == DEFINITION and block.kind == "paragraph":
        return quote + "    "  # (under its term)
    if block.kind == "item":
        return quote + ("    " * block.depth) + ((number or block.marker) if block.ordered else "\u2022") + " "
    return quote


def shown(block: Block | None) -> bool:
    return block is not None and block.kind not in ("rule", "meta")


def _markup_kind(block: Block) -> str:
    return {"row": "row", "code": "code"}.get(block.kind, "text")


def _change_ops(change: BlockChange) -> list[tuple[str, str]]:
    b = change.block
    if change.kind == "changed":
        aligned = change._aligned
        if aligned is not None:  # what its WordOps would hold, without making them
            return aligned.runs()
        return [(op.kind, op.text) for op in change.words]
    return [({"equal": "equal", "added": "insert"}.get(change.kind, "delete"), b.content)]


def block_pieces(change: BlockChange, side: str = "new") -> list[Piece]:
    """A block's word diff as shown text with formatting (no Markdown); kept
    on the change, as the views of one comparison ask for it several times."""
    kept = change._pieces
    if kept is None:
        kept = change._pieces = {}
    if change.kind == "equal":
        side = "new"  # unchanged: both sides show the same text (the old column need not work it out again)
    pieces = kept.get(side)
    if pieces is None:
        pieces = kept[side] = display_pieces(_change_ops(change), side, _markup_kind(change.block))
    return list(pieces)


def title_pieces(row: SectionChange, kind: str, side: str = "new") -> list[Piece]:
    """A heading's pieces: *kind* "removed" is the old heading's (a heading
    taken away above the opening text too), the others the new one's."""
    if kind == "renamed":
        return display_pieces([(op.kind, op.text) for op in row.title_words], side)
    op = {"added": "insert", "removed": "delete"}.get(kind, "equal")
    title = row.old.title if kind == "removed" and row.old is not None else row.title
    return display_pieces([(op, title)], side)


def heading_level(row: SectionChange) -> int:
    """The level a section's heading is shown at: a heading taken away
    above the opening text at the level it had."""
    return row.level or (row.old.level if row.heading_change else 0)


def _has_text(pieces: list[Piece]) -> bool:
    return any(p.text.replace(CELL, "").strip() for p in pieces)


def label_text(row: SectionChange) -> str:
    """A section's label (for lists of changes) without Markdown."""
    if row.renamed and row.old and row.new and not row.heading_change:
        return f"{display_text(row.old.title)} \u2192 {display_text(row.new.title)}"
    label = row.label  # (a heading removed or added: the heading there is, on the side that has one)
    return OPENING if label == OPENING else display_text(label)


def new_text_paragraphs(diff: DocumentDiff) -> list[str]:
    """The new version as the Word redline lays it out (accept-all result):
    one entry per paragraph and per table cell, as shown text."""
    sink = _TextSink(accept=True)
    _walk(diff, True, sink)
    return sink.out


def old_text_paragraphs(diff: DocumentDiff) -> list[str]:
    """The old version as the Word redline lays it out (reject-all result)."""
    sink = _TextSink(accept=False)
    _walk(diff, True, sink)
    return sink.out


# ---------------------------------------------------------------------------
# Layout shared by the Word writer and the accept/reject-all texts
# ---------------------------------------------------------------------------

_WHOLE = {"added": "insert", "removed": "delete", "equal": "equal", "changed": "equal"}


def toc_marker(row: SectionChange) -> bool:
    """Whether *row* is kramdown's "- TOC" marker under its own heading ("On
    this page"): a request for a table of contents, which the export's
    contents page answers, so the export (and the redline) leaves it out."""
    for sec in (row.old, row.new):
        if sec is None:
            continue
        if not any("TOC" in b.content for b in sec.blocks):
            return False  # the marker is written "- TOC": other sections are not parsed at all (this runs for every row)
        found = False  # the one text block, an item that reads "TOC"; stops at the first that is not
        for b in sec.blocks:
            if b.kind == "html" or not display_text(b.content).strip():
                continue
            if found or b.kind != "item" or display_text(b.content).strip() != "TOC":
                return False
            found = True
        if not found:
            return False
    return row.old is not None or row.new is not None


def _walk(diff: DocumentDiff, track: bool, sink) -> None:
    """Feed *sink* (heading / paragraph / table calls) the redline's layout.
    Without *track* only the new version is laid out (the clean copy)."""
    sources = _Sources(diff)
    for row in diff.rows:
        if row.title and toc_marker(row):
            continue
        if row.moved_from:
            if track:
                _whole_section(row.old, "delete", sink, sources)
            continue
        if track and row.moved:
            _whole_section(row.new, "insert", sink, sources)
            continue
        if row.removed and not track:
            continue
        # A heading taken away above the opening text (or put in there) is
        # a heading paragraph deleted (inserted), not its words in another.
        heading = row.heading_change if track else ""
        if row.title or heading:
            if row.added or heading == "heading added":
                kind = "added"
            elif row.removed or heading == "heading removed":
                kind = "removed"
            elif row.renamed and track:
                kind = "renamed"
            else:
                kind = "equal"
            pieces = title_pieces(row, kind)
            if track and row.level_changed and row.old is not None:
                sink.heading(row.level, pieces, _WHOLE.get(kind, "equal"), old_level=row.old.level)
            else:
                sink.heading(heading_level(row), pieces, _WHOLE.get(kind, "equal"))
        if track:
            changes = row.blocks
        else:
            changes = [BlockChange("equal", c.new, c.new) for c in row.blocks if c.new is not None]
        _walk_blocks(changes, sink, sources)


def _whole_section(sec, op: str, sink, sources: _Sources | None = None) -> None:
    """A moved section: deleted at its old place, inserted at the new."""
    if sec.level:
        sink.heading(sec.level, display_pieces([(op, sec.title)]), op)
    if op == "insert":
        changes = [BlockChange("added", None, b) for b in sec.blocks]
    else:
        changes = [BlockChange("removed", b, None) for b in sec.blocks]
    _walk_blocks(changes, sink, sources)


class _Sources:
    """The lines of the two versions, split when first asked: whether a
    quote that starts with a list item starts at the margin (its item's
    depth is then its own in the quote, not an item's around it)."""

    def __init__(self, diff: DocumentDiff):
        self.diff, self.lines = diff, {}

    def _line(self, change: BlockChange, offset: int = 0) -> str:
        side = "old" if change.new is None else "new"
        lines = self.lines.get(side)
        if lines is None:
            lines = self.lines[side] = (self.diff.old_body if side == "old" else self.diff.new_body).split("\n")
        at = change.block.line + offset
        return lines[at] if 0 <= at < len(lines) else ""

    def at_margin(self, change: BlockChange) -> bool:
        return self._line(change)[:1] == ">"

    def code_quotes(self, change: BlockChange) -> int:
        """How many quotes a code block is in (``diff.blocks`` keeps no "> "
        in a code block's content): its first line's ">" marks, each with
        the one space after it."""
        line = self._line(change)
        rest = line.lstrip(" ")
        if len(line) - len(rest) >= 4 + 4 * change.block.depth:
            return 0  # (indented code whose text starts with ">")
        n = 0
        while rest[:1] == ">":
            n, rest = n + 1, rest[2:] if rest[1:2] == " " else rest[1:]
        return n

    def after_blank(self, change: BlockChange) -> bool:
        """Whether a blank line is right above the block: a quote's block
        after one is in a quote of its own (a blank line ends a quote)."""
        return change.block.line > 0 and not self._line(change, -1).strip()


def _walk_blocks(changes: list[BlockChange], sink, sources: _Sources | None = None) -> None:
    table: list[BlockChange] = []
    in_summary = False  # between a <summary> line and its </summary>, as the export styles it
    within = 0  # the open quote's depth as written: in a list item, its depth plus one
    prev_quotes = 0  # how many quotes the block before was in
    listed = False  # the block before was in a list (a quote after it may be in its item)
    for change in changes + [None]:
        if change is not None and change.block.kind in ("row", "rule"):
            table.append(change)
            continue
        if table:
            rows = [(whole, header, [cell_paragraphs(cell) for cell in cells])
                    for whole, header, cells, _c in _table_rows(table, cell_lists=True)]
            if rows:
                sink.table(rows, table[0].block.depth, column_aligns(table))
            listed, prev_quotes = table[0].block.depth > 0, 0
            table = []
        if change is None or not shown(change.block):
            continue
        b = change.block
        pieces = block_pieces(change)
        summary, after_summary = summary_line(b, in_summary)
        if b.kind in ("paragraph", "item"):
            quotes = quote_marks(b.content)
        else:  # (code in a quote is drawn in it, as the export draws it)
            quotes = sources.code_quotes(change) if b.kind == "code" and sources else 0
        if is_rule(change):
            kind = "rule"  # "---", "- - -", "> ***": a rule, as the export draws it, not its marks as text
        elif _has_text(pieces) or b.kind == "item":
            # A block that is only markup (an HTML tag line, "{:.no_toc}")
            # shows nothing; an item with no text (it starts with a
            # sub-list) opens the sub-list's level.
            kind = "summary" if summary else _DEFINITION_KINDS.get(b.marker, b.kind) if b.kind == "paragraph" else b.kind
        else:
            kind = ""
        starts = quotes and (prev_quotes == 0 or b.depth < within or (sources and sources.after_blank(change)))
        if starts:
            # A quote starts: right after a list, in its item when deeper
            # than 0 (see diff.blocks._quote); else its items' depth is
            # theirs in it (">   - item").
            within = b.depth if listed and not (b.kind == "item" and sources and sources.at_margin(change)) else 0
        prev_quotes = quotes
        listed = within > 0 if quotes else b.kind == "item" or b.depth > 0
        if kind:
            if quotes:
                # A quote's paragraph or item: its depth inside the quote,
                # the quote's place and how deep in quotes it is.
                kind = {"paragraph": "quote", "item": "quote item"}.get(kind, kind)
                sink.paragraph(pieces, _WHOLE[change.kind], kind, b.depth - within, b.marker, quotes=quotes,
                               within=within, starts=bool(starts))
            else:
                sink.paragraph(pieces, _WHOLE[change.kind], kind, b.depth, b.marker)
        elif b.kind == "html" and not b.depth and not quotes:
            sink.end_lists()  # (an HTML line that shows nothing, a comment: the lists end, as in the preview)
        in_summary = after_summary


# A definition list's term and definition (``diff.definitions``), which the
# export draws as a line of its own and a paragraph indented under it.
_DEFINITION_KINDS = {TERM: "term", DEFINITION: "definition"}


def summary_line(block: Block, in_summary: bool) -> tuple[bool, bool]:
    """(whether *block* is a <details> block's summary line, which the
    export draws in its Summary style, and whether the summary is still
    open after it); *in_summary*: whether it was open before it (a
    "<summary>" line, then paragraphs up to the "</summary>" line)."""
    if block.kind == "html":
        opens = "<summary" in block.content
        return opens, opens and "</summary>" not in block.content
    return in_summary and block.kind == "paragraph", in_summary


def is_rule(change: BlockChange) -> bool:
    """Whether *change* shows a rule across the page (on each side it has:
    a rule changed into words, or words into one, shows its words)."""
    return all(_is_rule(side) for side in (change.old, change.new) if side is not None)


def _is_rule(block: Block) -> bool:
    """Whether *block* is a rule (a paragraph of "-", "*" or "_", in a
    quote or not); a rule changed into words, or words into one, is not
    (its words are tracked)."""
    if block.kind != "paragraph":
        return False
    content = block.content[2 * quote_marks(block.content):]
    return content[:1] in "-*_" and _RULE_RE.match(content) is not None


def quote_marks(content: str) -> int:
    """How many quotes a block's content is in: its leading "> " marks
    (``diff.blocks._quote`` puts one on for each)."""
    n = 0
    while content[2 * n:2 * n + 1] == ">":
        n += 1
    return n


def _table_rows(changes: list[BlockChange], side: str = "new",
                cell_lists: bool = False) -> list[tuple[str, bool, list[list[Piece]], BlockChange]]:
    """(whole-row change, header?, cells, change) per table row; the rows
    before the separator line are the header.  With *cell_lists*, the
    items of an HTML list in a cell start with BULLET_MARK or NUMBER_MARK."""
    has_rule = any(c.block.kind == "rule" for c in changes)
    header = has_rule
    rows = []
    for c in changes:
        if c.block.kind == "rule":
            header = False
            continue
        row_side = "old" if c.kind == "removed" else "new" if c.kind == "added" else side
        ops = _mark_cell_lists(_change_ops(c)) if cell_lists else _change_ops(c)
        pieces = display_pieces(ops, row_side, "row")
        rows.append((_WHOLE[c.kind], header, split_cells(pieces, row_side), c))
    return rows


def column_aligns(changes: list[BlockChange]) -> list[str]:
    """A table's columns' alignment as its separator line writes it
    (":--" left, ":-:" "center", "--:" "right", "" none), as the export
    aligns them; the new version's when both have one."""
    rule = next((c.block for c in changes if c.block.kind == "rule"), None)
    if rule is None:
        return []
    cells = rule.content.strip()
    cells = cells[1:] if cells[:1] == "|" else cells
    cells = cells[:-1] if cells[-1:] == "|" else cells
    aligns = []
    for cell in cells.split("|"):
        cell = cell.strip()
        left, right = cell[:1] == ":", cell[-1:] == ":"
        aligns.append("center" if left and right else "right" if right else "left" if left else "")
    return aligns


# Where an HTML list item starts in a table cell (kept through display_pieces,
# which hides the tags): a paragraph of its own in Word.
BULLET_MARK, NUMBER_MARK = "\x1e", "\x1d"
_LIST_TAG_RE = re.compile(r"<(ul|ol|li)\b[^>]*>", re.I)


def _mark_cell_lists(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if not any("<li" in text.lower() for _kind, text in ops):
        return ops
    ordered = False

    def mark(m: re.Match) -> str:
        nonlocal ordered
        tag = m.group(1).lower()
        if tag != "li":
            ordered = tag == "ol"
            return m.group(0)
        return (NUMBER_MARK if ordered else BULLET_MARK) + m.group(0)

    return [(kind, _LIST_TAG_RE.sub(mark, text)) for kind, text in ops]


def cell_paragraphs(cell: list[Piece]) -> list[tuple[str, list[Piece]]]:
    """A cell's pieces as paragraphs: ("", pieces) for its text, ("bullet"
    or "number", pieces) for each item of a list in it."""
    paragraphs: list[tuple[str, list[Piece]]] = [("", [])]
    for p in cell:
        if BULLET_MARK not in p.text and NUMBER_MARK not in p.text:
            paragraphs[-1][1].append(p)
            continue
        for part in re.split(f"([{BULLET_MARK}{NUMBER_MARK}])", p.text):
            if part in (BULLET_MARK, NUMBER_MARK):
                paragraphs.append(("bullet" if part == BULLET_MARK else "number", []))
            elif part:
                paragraphs[-1][1].append(Piece(p.kind, part, p.fmt))
    for _item, pieces in paragraphs:
        while pieces and not pieces[0].text.strip():
            pieces.pop(0)
        while pieces and not pieces[-1].text.strip():
            pieces.pop()
        if pieces:
            pieces[0] = Piece(pieces[0].kind, pieces[0].text.lstrip(), pieces[0].fmt)
            pieces[-1] = Piece(pieces[-1].kind, pieces[-1].text.rstrip(), pieces[-1].fmt)
    if len(paragraphs) > 1 and not paragraphs[0][1]:
        paragraphs.pop(0)
    return paragraphs


class _TextSink:
    """Paragraph texts after accepting (or rejecting) every change."""

    def __init__(self, accept: bool):
        self.skip = "delete" if accept else "insert"
        self.out: list[str] = []

    def heading(self, level: int, pieces: list[Piece], whole: str, old_level: int | None = None) -> None:
        self.paragraph(pieces, whole)

    def paragraph(self, pieces: list[Piece], whole: str, kind: str = "paragraph", depth: int = 0, marker: str = "",
                  quotes: int = 0, within: int = 0, starts: bool = False) -> None:
        if whole != self.skip and kind != "rule" and (kind not in ("item", "quote item") or _has_text(pieces)):
            self.out.append("".join(p.text for p in pieces if p.kind != self.skip))

    def end_lists(self) -> None:
        """(Texts only: no lists to end.)"""

    def table(self, rows, depth: int = 0, aligns: list[str] | None = None) -> None:
        width = max(len(cells) for _w, _h, cells in rows)
        for whole, _header, cells in rows:
            if whole == self.skip:
                continue
            for cell in cells + [[("", [])]] * (width - len(cells)):
                for _item, pieces in cell:
                    self.out.append("".join(p.text for p in pieces if p.kind != self.skip))

def _value(value, key: str = "") -> str:
    """A detail's value as a reader sees it (a status: "In review")."""
    if value is None:
        return "(none)"
    if isinstance(value, dict):  # (a group inside a group: said by its size, not as Python writes it)
        return f"{len(value)} values" if value else "(none)"
    if isinstance(value, (list, tuple)):
        if any(isinstance(v, (dict, list, tuple)) for v in value):
            return f"a table of {plural(len(value), 'row')}"
        return ", ".join(str(v) for v in value) or "(none)"
    if key == "status" and isinstance(value, str):
        return status_name(value)
    return str(value)


def detail_values(key: str, old, new) -> tuple[str, str]:
    """A changed detail's two values as a reader sees them; a table whose
    rows changed but not their number says so ("a table of 2 rows, changed")."""
    before, after = _value(old, key), _value(new, key)
    return (before, f"{after}, changed") if before == after else (before, after)

