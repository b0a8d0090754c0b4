"""The body as the rich editing surface shows it: blocks (headings,
paragraphs, list items, quotes, tables, rules and source chips) with their
line ranges, and for each text block what a reader sees, character by
character, mapped back to the source.

The block split reads lines by the rules in ``core.md_lines`` (headings,
list items, fences, metadata), like the outline and the diff's splitter; the
characters by ``core.inline_markup.annotate``.  Nothing here rewrites
Markdown: ``core.surface_write`` turns edits back into source, writing the
blocks nobody touched as their original bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from guidelines_app.core.inline_markup import PLAIN, Fmt, annotate, annotate_spans
from guidelines_app.core.md_lines import (
    ATX_HEADING_RE,
    BLOCK_START_RE,
    FENCE_RE,
    LIST_ITEM_RE,
    SETEXT_UNDERLINE_RE,
    metadata_block,
)

# Block kinds.  Text kinds are shown as formatted text and written back by
# the inline writer; "source" blocks (code, HTML, metadata, reference
# definitions, anything the surface cannot show faithfully) are shown and
# edited as their source lines; a "rule" is a horizontal line.
HEADING, PARAGRAPH, ITEM, QUOTE, TABLE, RULE, SOURCE = "heading", "paragraph", "item", "quote", "table", "rule", "source"
IMAGE = "image"  # a paragraph that is one picture: shown as the picture, edited as its source line
TEXT_KINDS = (HEADING, PARAGRAPH, ITEM, QUOTE)

HARD_BREAK = "\u2028"  # a line break inside a paragraph, as Qt shows it

_RULE_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")
_REF_DEF_RE = re.compile(r"^ {0,3}\[[^\]]+\]:")
_IAL_RE = re.compile(r"^[ \t]*\{:[^}]*\}[ \t]*$")
_HTML_START_RE = re.compile(r"^ {0,3}<")
_CLOSING_HASHES_RE = re.compile(r"[ \t]+#+$")
_IMAGE_LINE_RE = re.compile(r'^ {0,3}!\[(?P<alt>[^\]\n]*)\]\(\s*(?:<(?P<angled>[^>\n]+)>|(?P<plain>[^)\s]+))'
                            r'(?:\s+"[^"\n]*")?\s*\)[ \t]*$')
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def image_line(line: str) -> tuple[str, str] | None:
    """(alt text, target) of a line that is one picture and nothing else."""
    m = _IMAGE_LINE_RE.match(line)
    if m is None:
        return None
    return m.group("alt"), m.group("angled") or m.group("plain")


def local_target(target: str) -> bool:
    """Is *target* a file path (a picture that may be shown), not a URL?"""
    return bool(target) and not _SCHEME_RE.match(target) and not target.startswith("//")


@dataclass
class Unit:
    """One block of the body: its lines [first, end), the blank lines after
    it (``tail``), and for text blocks where the inline text sits: the
    source of the text (``src``) between ``head`` (e.g. "## " or "  - ")
    and ``foot`` (closing "#"s)."""

    kind: str
    first: int
    lines: list[str]
    tail: list[str] = field(default_factory=list)
    head: str = ""
    foot: str = ""
    level: int = 0  # heading level, or list depth (0 = top level)
    marker: str = ""  # list marker as written ("-", "1.")
    cont: str = ""  # what starts a continuation line ("   " in an item, "> " in a quote)

    @property
    def src(self) -> str:
        text = "\n".join(self.lines)
        return text[len(self.head): len(text) - len(self.foot) if self.foot else None]

    @property
    def raw(self) -> list[str]:
        return self.lines + self.tail

    @property
    def ordered(self) -> bool:
        return self.marker[:1].isdigit()


def _is_table_start(lines: list[str], i: int) -> bool:
    if LIST_ITEM_RE.match(lines[i]):  # "- | yes | no |" over "- |---|": list items, as preview reads them
        return False
    return "|" in lines[i] and i + 1 < len(lines) and "|" in lines[i + 1] + lines[i] and bool(
        _TABLE_RULE_RE.match(lines[i + 1])) and "-" in lines[i + 1]


def split_units(body: str) -> list[Unit]:
    """The body's blocks in order; their ``raw`` lines joined with "\\n"
    give the body back exactly.  Long on purpose: one pass over the lines,
    one case per kind of block, reads best as one loop."""
    lines = body.split("\n")
    units: list[Unit] = []
    # The content columns of the list items open above (CommonMark's rule, as
    # preview and export read lists: markup.normalize_lists): an item is
    # nested under the one above when it starts at or beyond its content.
    # (Depths by the rank of each indent width in the whole document showed a
    # numbered list's "   1." a level deeper beside a bulleted "  - ".)
    open_items: list[int] = []
    n = len(lines)
    i = 0
    lead: list[str] = []
    while i < n and not lines[i].strip():
        lead.append(lines[i])
        i += 1
    first, end = metadata_block(lines)
    if end > first and first == i:
        units.append(Unit(SOURCE, i, lines[i:end]))
        i = end
    while i < n:
        line = lines[i]
        start = i
        if not line.strip():  # only after a source block that swallowed nothing
            units[-1].tail.append(line) if units else lead.append(line)
            i += 1
            continue
        fence = FENCE_RE.match(line)
        heading = ATX_HEADING_RE.match(line)
        item = LIST_ITEM_RE.match(line)
        if fence:
            mark = fence.group(1)
            i += 1
            while i < n and not (lines[i].strip().startswith(mark[0] * len(mark))
                                 and set(lines[i].strip()) == {mark[0]}):
                i += 1
            i = min(i + 1, n)
            unit = Unit(SOURCE, start, lines[start:i])
        elif line.lstrip().startswith("<!--"):
            while i < n and "-->" not in lines[i]:
                i += 1
            i = min(i + 1, n)
            unit = Unit(SOURCE, start, lines[start:i])
        elif heading and heading.group(2):
            title = heading.group(2)
            closing = _CLOSING_HASHES_RE.search(title)
            text_end = heading.start(2) + (closing.start() if closing else len(title))
            unit = Unit(HEADING, start, [line], head=line[:heading.start(2)], foot=line[text_end:],
                        level=len(heading.group(1)))
            i += 1
        elif _RULE_RE.match(line):
            unit = Unit(RULE, start, [line])
            i += 1
        elif _is_table_start(lines, i):
            i += 2
            while i < n and lines[i].strip() and "|" in lines[i]:
                i += 1
            unit = Unit(TABLE, start, lines[start:i])
        elif item:
            indent, marker, gap = item.group(1), item.group(2), item.group(3) or ""
            col = len(indent) + len(marker) + len(gap)
            i += 1
            while i < n and lines[i].strip() and not LIST_ITEM_RE.match(lines[i]) and not (
                    BLOCK_START_RE.match(lines[i]) or FENCE_RE.match(lines[i])):
                i += 1
            width = len(indent.expandtabs(4))
            while open_items and width < open_items[-1]:
                open_items.pop()
            depth = len(open_items)
            open_items.append(width + len(marker) + max(1, len(gap)))
            unit = Unit(ITEM, start, lines[start:i], head=line[:col], level=depth, marker=marker,
                        cont=" " * col if "\t" not in indent else indent + " " * (col - len(indent)))
        elif line.lstrip().startswith(">"):
            i += 1
            while i < n and lines[i].strip() and (lines[i].lstrip().startswith(">") or not BLOCK_START_RE.match(lines[i])):
                i += 1
            unit = Unit(QUOTE, start, lines[start:i], head=re.match(r"\s*>[ ]?", line).group(0), cont="> ")
        elif _HTML_START_RE.match(line) or _REF_DEF_RE.match(line) or _IAL_RE.match(line) or line.startswith("    "):
            i += 1
            while i < n and lines[i].strip():
                i += 1
            unit = Unit(SOURCE, start, lines[start:i])
        else:
            i += 1
            while i < n and lines[i].strip() and not BLOCK_START_RE.match(lines[i]) and not _is_table_start(lines, i):
                if SETEXT_UNDERLINE_RE.match(lines[i]):
                    i += 1
                    break
                i += 1
            setext = i - start >= 2 and SETEXT_UNDERLINE_RE.match(lines[i - 1])
            kind = SOURCE if setext else PARAGRAPH
            if i - start == 1 and image_line(line):
                kind = IMAGE
            body_lines = lines[start:i]
            lead_ws = body_lines[0][: len(body_lines[0]) - len(body_lines[0].lstrip())]
            unit = Unit(kind, start, body_lines, head=lead_ws if kind == PARAGRAPH else "")
        if unit.kind != ITEM:  # a block outside the items it does not reach ends them
            reach = len(line) - len(line.lstrip(" "))
            while open_items and reach < open_items[-1]:
                open_items.pop()
        while i < n and not lines[i].strip():
            unit.tail.append(lines[i])
            i += 1
        units.append(unit)
    if lead:
        if not units:
            units.append(Unit(SOURCE, 0, []))
        units[0].lead = lead  # type: ignore[attr-defined]
    return units


def lead_of(units: list[Unit]) -> list[str]:
    """Blank lines before the first block."""
    return getattr(units[0], "lead", []) if units else []


# ---------------------------------------------------------------------------
# What a text block shows
# ---------------------------------------------------------------------------


@dataclass
class Shown:
    """A text block's display: ``text``, one Fmt per character (``fmts``)
    and the source index each character comes from (``where``)."""

    text: str
    fmts: list[Fmt]
    where: list[int]

    def runs(self) -> list[tuple[str, Fmt]]:
        out: list[tuple[str, Fmt]] = []
        for ch, f in zip(self.text, self.fmts):
            if out and out[-1][1] == f:
                out[-1] = (out[-1][0] + ch, f)
            else:
                out.append((ch, f))
        return out


_MARKUP_CHAR_RE = re.compile(r"[\\`*_\[\]<>&{!~|\n]")


def display_runs(src: str, cells: bool = False) -> list[tuple[str, Fmt]]:
    """What *src* shows, as runs of one format: ``show(src, cells).runs()``,
    made fast for loading a long document (plain text needs no reading).
    *cells*: a table cell's text (a ">" at its start is text, not a quote)."""
    if not _MARKUP_CHAR_RE.search(src):
        return [(src, PLAIN)] if src else []
    if "\n" in src:
        return show(src, cells).runs()
    out: list[tuple[str, Fmt]] = []
    buf: list[str] = []
    current = None
    for text, fmt in annotate(src, cells):
        if not text:
            continue
        if fmt is not current and fmt != current:
            if buf:
                out.append(("".join(buf), current))
                buf = []
            current = fmt
        buf.append(text)
    if buf:
        out.append(("".join(buf), current))
    return out


def show(src: str, cells: bool = False) -> Shown:
    """The display of inline source *src*: soft line breaks (and the
    indentation or quote markers after them) show as one space, hard breaks
    (two spaces or a backslash before the line end) as ``HARD_BREAK``.
    The stretches no markup touched (``annotate_spans``: each character
    shows as itself, plain) are taken whole; the rest a character at a
    time.  Read only a character at a time, the 582 paragraphs a Replace
    All touched in a 40,000-word policy took 0.1-0.15 s to write back."""
    found, spans = annotate_spans(src, cells)
    pair = found.__getitem__
    chars: list[str] = []
    fmts: list[Fmt] = []
    where: list[int] = []
    i, n, s, last = 0, len(src), 0, len(spans)
    while i < n:
        while s < last and spans[s][1] <= i:
            s += 1
        marked = spans[s][0] if s < last else n  # where the next marked stretch starts
        if i < marked:
            stop = src.find("\n", i, marked)
            stop = marked if stop < 0 else stop
            if stop > i:  # each character as itself, plain
                chars.extend(src[i:stop])
                fmts.extend([PLAIN] * (stop - i))
                where.extend(range(i, stop))
                i = stop
                continue
        shown, fmt = pair(i)
        if src[i] == "\n":
            hard = src.endswith("  ", 0, i) or src.endswith("\\", 0, i)
            if hard:
                # The break's spaces or backslash are part of the break.
                while chars and where and where[-1] >= i - 2 and chars[-1] in " \\" and src[where[-1]] in " \\":
                    chars.pop(), fmts.pop(), where.pop()
            chars.append(HARD_BREAK if hard else " ")
            fmts.append(fmt)
            where.append(i)
            i += 1
            # The next line's indentation and quote markers are not text.
            while i < n and src[i] in " \t>" and pair(i)[0] in ("", " ", "\t", ">"):
                i += 1
            continue
        for ch in shown:
            chars.append(ch)
            fmts.append(fmt)
            where.append(i)
        i += 1
    return Shown("".join(chars), fmts, where)


def block_text(unit: Unit) -> str:
    """The source chip's text: its lines as they are."""
    return "\n".join(unit.lines)


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


@dataclass
class Row:
    line: str
    cells: list[tuple[int, int]]  # (start, end) of each cell's text in the line

    def texts(self) -> list[str]:
        return [self.line[a:b] for a, b in self.cells]


def table_rows(unit: Unit) -> tuple[list[Row], int]:
    """The rows of a table block (the separator row excluded) and the index
    of the separator line in ``unit.lines``."""
    rows = [_row(line) for n, line in enumerate(unit.lines) if n != 1]
    return rows, 1


def _row(line: str) -> Row:
    cells: list[tuple[int, int]] = []
    stripped = line.strip()
    lo = line.find(stripped[:1]) if stripped else 0
    hi = lo + len(stripped)
    if stripped.startswith("|"):
        lo += 1
    if stripped.endswith("|") and not stripped.endswith("\\|") and hi - 1 >= lo:
        hi -= 1
    start = lo
    k = lo
    while k <= hi:
        if k == hi or (line[k] == "|" and line[k - 1:k] != "\\"):
            a, b = start, k
            while a < b and line[a] == " ":
                a += 1
            while b > a and line[b - 1] == " ":
                b -= 1
            cells.append((a, b))
            start = k + 1
        k += 1
    return Row(line, cells)
