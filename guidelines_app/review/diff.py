"""The section-aware diff: what changed between two versions of a document,
in the terms a reviewer uses.

Three levels, each small enough to stay fast on a 40,000-word policy:

1. sections are aligned by heading (``markup.scan_headings``); sections
   whose heading changed are paired by content (renamed) and sections out of
   order are reported as moved;
2. inside a pair of sections, blocks (paragraphs, list items, table rows,
   code) are aligned by their whitespace-normalised text, so re-wrapped lines
   and spacing edits are not changes;
3. only inside a changed paragraph are words compared.  Tokens keep their
   trailing whitespace, so "500 mg" -> "1 g" reads as one clean replacement.

A word-level diff never runs over the whole document (quadratic).  The
result (``DocumentDiff``) feeds the text, HTML and Word renderers in
``redline`` and the app's compare view.
"""

from __future__ import annotations

import bisect
import gc
import re
from dataclasses import dataclass, field
from typing import NamedTuple
from functools import cached_property
from difflib import SequenceMatcher

from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.markup import scan_headings

_WS_RE = re.compile(r"\s+")
_TOKEN_RE = re.compile(r"\S+\s*")
_ITEM_RE = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])(\s+|$)")
_FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})")
_RULE_ROW_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PIPE_RE = re.compile(r"\s*\|\s*")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_SPECIAL_FIRST = frozenset("-*+0123456789|<`~")

# Below this similarity two blocks in the same place are a removal and an
# addition, not an edit of one paragraph.
PAIR_THRESHOLD = 0.3
# Sections whose headings differ are the same section renamed when this
# share of their blocks (or of the heading's words) is the same.
RENAME_THRESHOLD = 0.5
REWRITE_RATIO = 0.5


# ---------------------------------------------------------------------------
# Blocks and sections
# ---------------------------------------------------------------------------


class Block(NamedTuple):
    """One paragraph, list item, table row or code block.  A tuple: a long
    document has thousands, made and freed on every comparison."""

    kind: str  # paragraph, item, row, rule (table separator), code, html
    content: str  # whitespace-normalised text without the list marker
    line: int  # 0-based line in the body
    marker: str = ""  # "-" or "1." for list items (as written)
    depth: int = 0  # list nesting (0 = top level)

    @property
    def key(self) -> str:
        return self.content if self.kind in ("paragraph", "html") else f"{self.kind}\x00{self.content}"

    @property
    def ordered(self) -> bool:
        return self.marker[:1].isdigit()


@dataclass(frozen=True)
class SectionText:
    title: str  # "" for the text before the first heading
    level: int  # 0 for the text before the first heading
    line: int  # the heading's line (or 0)
    blocks: tuple[Block, ...]
    occurrence: int = 1

    @property
    def key(self) -> tuple[str, int]:
        return (self.title.casefold(), self.occurrence)


_new_tuple = tuple.__new__
_new_object = object.__new__


def _section(title: str, level: int, line: int, blocks: tuple[Block, ...], occurrence: int) -> SectionText:
    sec = _new_object(SectionText)  # as SectionText(...), minus the frozen-dataclass __init__
    d = sec.__dict__
    d["title"], d["level"], d["line"], d["blocks"], d["occurrence"] = title, level, line, blocks, occurrence
    return sec


def normalize(text: str) -> str:
    return " ".join(text.split())


def _block(kind: str, content: str, line: int, marker: str = "", depth: int = 0) -> Block:
    return _new_tuple(Block, (kind, content, line, marker, depth))  # Block(...) without its Python __new__


def split_blocks(lines: list[str], first_line: int = 0, plain: bool = False) -> list[Block]:
    """Blocks of a run of body lines (no headings among them).  *plain*: the
    lines hold no whitespace but spaces (see ``_plain_spaces``)."""
    blocks: list[Block] = []
    add = blocks.append
    new, block = _new_tuple, Block  # block tuples made without _block's call: thousands per document
    special = _SPECIAL_FIRST
    line_stripped = None  # the open block's one line, when it has no space at either end
    # The open paragraph or list item (tables, HTML lines and code close at once).
    buf: list[str] | None = None
    kind, start, marker, depth = "", 0, "", 0
    fence: str | None = None
    for n, line in enumerate(lines, first_line):
        if fence is not None:
            buf.append(line)
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
                content = "\n".join([ln.rstrip() for ln in buf]).strip("\n")
                if content:
                    add(new(block, ("code", content, start, "", 0)))
                buf = None
            continue
        stripped = line.strip()
        if not stripped:
            if buf is not None:
                if len(buf) > 1:
                    content = " ".join(" ".join(buf).split())
                else:
                    content = buf[0]
                    # Most blocks are one line that is normalised already:
                    # no space at either end, no double space and (plain, or
                    # printable) no whitespace but plain spaces.
                    if content is not line_stripped or "  " in content or not (plain or content.isprintable()):
                        content = " ".join(content.split())
                if content or kind == "item":
                    add(new(block, (kind, content, start, marker, depth)))
                buf = None
            continue
        first = stripped[0]
        if first in special:
            m = _FENCE_RE.match(line) if first in "`~" else None
            if m:
                item = None
            elif first in "-*+" and stripped[1:2] == " " and not stripped[2:3].isspace():
                # The usual bullet ("- text"): what _ITEM_RE finds, without it.
                item = (stripped[2:], first, line[:line.index(first)])
            else:
                item = _ITEM_RE.match(line)
                if item:
                    item = (line[item.end():], item.group(2), item.group(1))
            if m or item or first in "|<":
                if buf is not None:
                    if len(buf) > 1:
                        content = " ".join(" ".join(buf).split())
                    else:
                        content = buf[0]
                        if content is not line_stripped or "  " in content or not (plain or content.isprintable()):
                            content = " ".join(content.split())
                    if content or kind == "item":
                        add(new(block, (kind, content, start, marker, depth)))
                    buf = None
                if m:
                    fence = m.group(1)
                    buf, kind, start, marker, depth = [line], "code", n, "", 0
                elif item:
                    text, marker, lead = item
                    buf, kind, start = [text], "item", n
                    line_stripped = text if text == text.strip() else None
                    depth = len(lead.expandtabs(4)) // 2 if lead else 0
                elif stripped[0] == "|":
                    content = " ".join(stripped.strip("|").split())
                    if _RULE_ROW_RE.match(stripped):
                        if content:
                            add(new(block, ("rule", content, n, "", 0)))
                    else:
                        if content.count("|") != content.count(" | "):  # else every "|" has its spaces already
                            content = " ".join(_PIPE_RE.sub(" | ", content).split())  # "a || b": an empty cell
                        if content:
                            add(new(block, ("row", content, n, "", 0)))
                else:
                    add(new(block, ("html", " ".join(stripped.split()), n, "", 0)))
                continue
        if buf is None:
            buf, kind, start, marker, depth = [line], "paragraph", n, "", 0
            line_stripped = stripped if stripped is line else None
        else:
            buf.append(line)
    if buf is not None:
        if fence is not None:
            content = "\n".join([ln.rstrip() for ln in buf]).strip("\n")
        else:
            content = " ".join(" ".join(buf).split())
        if content or kind == "item":
            add(new(block, (kind, content, start, marker, depth)))
    return blocks


def _plain_spaces(body: str) -> bool:
    """Whether *body* holds no whitespace but spaces and newlines: then a
    line's text needs no per-block ``isprintable`` scan.  Answered only for
    ASCII text (``isascii`` costs nothing, each ``in`` is one memchr)."""
    return body.isascii() and not any(c in body for c in "\t\x0b\x0c\r\x1c\x1d\x1e\x1f")


def split_sections(body: str) -> list[SectionText]:
    """The text before the first heading, then one entry per heading with
    the blocks up to the next heading of any level."""
    return _split_sections(body, None, None)


def _split_sections(body: str, record: dict | None, reuse: dict | None) -> list[SectionText]:
    """``split_sections``; the blocks of each run of lines go into *record*
    (keyed by the run's text), and a run already in *reuse* is not split
    again: the other version of a document shares most of its sections."""
    lines = body.split("\n")
    heads = scan_headings(lines)
    plain = _plain_spaces(body)

    def blocks(start: int, end: int) -> tuple[Block, ...]:
        run = lines[start:end]
        if record is None and reuse is None:
            return tuple(split_blocks(run, start, plain))
        text = "\n".join(run)
        known = reuse.get(text) if reuse else None
        if known is None:
            found = tuple(split_blocks(run, start, plain))
        else:  # the same lines elsewhere: the same blocks, moved
            first, found = known
            if first != start:
                shift = start - first
                found = tuple(_block(b.kind, b.content, b.line + shift, b.marker, b.depth) for b in found)
        if record is not None:
            record[text] = (start, found)
        return found

    out: list[SectionText] = []
    first = heads[0][0] if heads else len(lines)
    pre = blocks(0, first)
    if pre:
        out.append(_section("", 0, 0, pre, 1))
    seen: dict[str, int] = {}
    for n, (line, level, title) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        start = line + 1
        # A setext heading's underline belongs to the heading.
        if start < len(lines) and _SETEXT_RE.match(lines[start]) and lines[line].strip()[:1] != "#":
            start += 1
        key = title.casefold()
        seen[key] = seen.get(key, 0) + 1
        out.append(_section(title, level, line, blocks(start, end), seen[key]))
    return out


# ---------------------------------------------------------------------------
# Result structure
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WordOp:
    kind: str  # equal, insert, delete
    text: str


class BlockChange:
    """One block of the diff: kind is equal, changed, added or removed;
    *words* (for "changed") is the word-level diff.

    An added or removed block may carry text that is not new: *moved* when
    the same block is removed in one place and added in another, *regrouped*
    when paragraph breaks changed around the same words (a paragraph split
    in two, or two joined).  Such text counts as neither inserted nor
    deleted."""

    __slots__ = ("kind", "old", "new", "_words", "_aligned", "moved", "regrouped")

    def __init__(self, kind: str, old: Block | None, new: Block | None, words: list[WordOp] | None = None):
        self.kind, self.old, self.new = kind, old, new
        self._words = [] if words is None else words
        self._aligned = None  # an _Alignment whose WordOps are built on first use
        self.moved = self.regrouped = False

    @property
    def words(self) -> list[WordOp]:
        if self._aligned is not None:
            self._words, self._aligned = self._aligned.ops(), None
        return self._words

    @words.setter
    def words(self, value: list[WordOp]) -> None:
        self._words, self._aligned = value, None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BlockChange):
            return NotImplemented
        return ((self.kind, self.old, self.new, self.words, self.moved, self.regrouped)
                == (other.kind, other.old, other.new, other.words, other.moved, other.regrouped))

    __hash__ = None  # mutable, as the dataclass it replaces

    def __repr__(self) -> str:
        return f"BlockChange(kind={self.kind!r}, old={self.old!r}, new={self.new!r}, words={self.words!r})"

    @property
    def is_change(self) -> bool:
        return self.kind != "equal"

    @property
    def block(self) -> Block:
        return self.new if self.new is not None else self.old

    @property
    def label(self) -> str:
        """What happened to the block, in a reviewer's words."""
        if self.moved:
            return "moved here" if self.kind == "added" else "moved away"
        if self.regrouped:
            return "paragraph breaks changed"
        return self.kind


@dataclass
class SectionChange:
    old: SectionText | None
    new: SectionText | None
    blocks: list[BlockChange] = field(default_factory=list)
    moved: bool = False
    renamed: bool = False
    level_changed: bool = False
    moved_from: bool = False  # a marker at the old place of a moved section
    title_words: list[WordOp] = field(default_factory=list)  # heading diff when renamed

    @property
    def added(self) -> bool:
        return self.old is None and not self.moved_from

    @property
    def removed(self) -> bool:
        return self.new is None and not self.moved_from

    @property
    def content_changed(self) -> bool:
        return any(b.is_change for b in self.blocks)

    @property
    def changed(self) -> bool:
        return (self.added or self.removed or self.moved or self.moved_from or self.renamed or self.level_changed
                or self.content_changed)

    @property
    def kind(self) -> str:
        if self.moved_from:
            return "moved away"
        if self.added:
            return "added"
        if self.removed:
            return "removed"
        parts = [k for k, on in (("moved", self.moved), ("renamed", self.renamed),
                                 ("changed", self.content_changed or self.level_changed)) if on]
        return " and ".join(parts) if parts else "unchanged"

    @property
    def title(self) -> str:
        sec = self.new or self.old
        return sec.title if sec else ""

    @property
    def level(self) -> int:
        sec = self.new or self.old
        return sec.level if sec else 0

    @property
    def label(self) -> str:
        if self.renamed and self.old and self.new:
            return f"{self.old.title} \u2192 {self.new.title}"
        return self.title or "(before the first heading)"


@dataclass(frozen=True)
class ChangeRef:
    """One stop for next/previous navigation."""

    index: int
    row: int
    block: int | None  # None: the section as a whole (added, removed, moved, renamed)
    label: str


@dataclass
class DocumentDiff:
    rows: list[SectionChange]
    meta_changes: list[tuple[str, object, object]]
    words_inserted: int = 0
    words_deleted: int = 0
    identical: bool = False
    blocks_moved: int = 0  # paragraphs, items or rows moved unchanged
    # The compared bodies: their word totals are counted only when asked for.
    old_body: str = field(default="", repr=False)
    new_body: str = field(default="", repr=False)

    @cached_property
    def words_old(self) -> int:
        return _word_count(self.old_body)

    @cached_property
    def words_new(self) -> int:
        return _word_count(self.new_body)

    @property
    def change_ratio(self) -> float:
        total = self.words_old + self.words_new
        return (self.words_inserted + self.words_deleted) / total if total else 0.0

    @property
    def has_changes(self) -> bool:
        return bool(self.meta_changes) or any(r.changed for r in self.rows)

    @property
    def formatting_only(self) -> bool:
        return not self.identical and not self.has_changes

    @property
    def is_rewrite(self) -> bool:
        return self.change_ratio >= REWRITE_RATIO

    def sections_with(self, kind: str) -> list[SectionChange]:
        return [r for r in self.rows if not r.moved_from and getattr(r, kind)]

    def changes(self) -> list[ChangeRef]:
        refs: list[ChangeRef] = []
        for i, row in enumerate(self.rows):
            whole = row.added or row.removed or row.moved_from
            if whole or row.moved or row.renamed or row.level_changed:
                refs.append(ChangeRef(len(refs), i, None, f"{row.label}: {row.kind}"))
            if whole:
                continue
            for j, b in enumerate(row.blocks):
                if b.regrouped and j and row.blocks[j - 1].regrouped:
                    continue  # one stop for a run of new paragraph breaks
                if b.is_change and b.block.kind != "rule":
                    noun = b.block.kind if b.block.kind != "row" else "table row"
                    what = f"{noun} {b.label}" if b.moved else b.label if b.regrouped else f"{b.kind} {noun}"
                    refs.append(ChangeRef(len(refs), i, j, f"{row.label}: {what}"))
        return refs

    def verdict(self) -> str:
        """One line for a reviewer: how big is this change?"""
        if self.identical:
            return "No changes."
        if self.formatting_only:
            return "Formatting only: line wrapping or spacing changed, the text did not."
        counts = []
        for kind in ("added", "removed", "moved", "renamed"):
            n = len(self.sections_with(kind))
            if n:
                counts.append(f"{n} section{'s' if n != 1 else ''} {kind}")
        edited = sum(1 for r in self.rows if not r.moved_from and not r.added and not r.removed and r.content_changed)
        if edited:
            counts.append(f"{edited} section{'s' if edited != 1 else ''} edited")
        levels = sum(1 for r in self.rows if r.level_changed and not r.moved_from)
        if levels:
            counts.append(f"{levels} heading{'s' if levels != 1 else ''} moved to another level")
        if self.blocks_moved:
            kinds: dict[str, int] = {}
            for r in self.rows:
                for b in r.blocks:
                    if b.moved and b.kind == "added":
                        kinds[b.new.kind] = kinds.get(b.new.kind, 0) + 1
            for kind, n in kinds.items():
                noun = {"item": "list item", "row": "table row", "code": "code block", "html": "HTML block"}.get(kind, "paragraph")
                counts.append(f"{n} {noun}{'s' if n != 1 else ''} moved")
        regrouped = sum(1 for r in self.rows for b in r.blocks if b.regrouped and b.kind == "added")
        if regrouped:
            counts.append("paragraph breaks changed")
        if self.meta_changes:
            counts.append("details: " + ", ".join(k.replace("_", " ") for k, _, _ in self.meta_changes))
        words = f"{self.words_inserted} words inserted, {self.words_deleted} deleted"
        size = "Rewrite" if self.is_rewrite else ("Substantial changes" if self.change_ratio >= 0.1 else "Small changes")
        return f"{size}: " + "; ".join(counts + [words]) + "."


# ---------------------------------------------------------------------------
# Diffing
# ---------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


try:  # C++ LCS: ~20x faster than difflib on paragraph-sized token lists
    from rapidfuzz.distance import Indel as _Indel
    from rapidfuzz.distance import Postfix as _Postfix
    from rapidfuzz.distance import Prefix as _Prefix
except ImportError:  # pragma: no cover - difflib gives the same kind of result
    _Indel = None


_all_pairs = None  # set on first use: numpy takes a moment to import


def _pair_scorer():
    """rapidfuzz's cdist (all pairs of a run in one call, the same scores
    as one by one), or None without numpy."""
    global _all_pairs
    if _all_pairs is None:
        try:
            import numpy
            from rapidfuzz.process import cdist
        except ImportError:  # pragma: no cover - numpy is optional
            _all_pairs = False
        else:
            def _all_pairs(olds, news, threshold):
                """(score, i, j) of the pairs scoring at least *threshold*."""
                matrix = cdist(olds, news, scorer=_Indel.normalized_similarity, dtype=numpy.float64)
                rows, cols = numpy.nonzero(matrix >= threshold)
                return list(zip(matrix[rows, cols].tolist(), rows.tolist(), cols.tolist()))
    return _all_pairs or None


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """SequenceMatcher-style opcodes of two word lists."""
    if _Indel is not None:
        return _Indel.opcodes(a, b).as_list()
    return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _align(a: list[str], b: list[str], head: int = 0, tail: int = 0, head_chars: int = 0,
           tail_chars: int = 0) -> tuple[list[list], int, int]:
    """The runs of two word lists, with the characters and words they keep.

    Runs are [same?, i1, i2, j1, j2], same and changed in turn; tiny common
    words stranded between two changes ("the", "a") are folded into the
    change so it reads as one.  The characters kept count the words of the
    same runs as joined by single spaces (plus the space after a run that
    does not end either text).

    *a* and *b* may be the middles of two longer lists that share their
    first *head* and last *tail* words (*head_chars* and *tail_chars*
    characters, joined): the runs are then those of the whole lists."""
    na, nb = len(a), len(b)
    equal = kept = 0
    segs: list[list] = []
    add = segs.append
    if head:  # a run of its own: the middles start with a change
        add([True, 0, head, 0, head])
        equal, kept = head_chars + (tail > 0 or na > 0 and nb > 0), head
    i = j = 0
    for tag, bi, end_a, bj, end_b in _opcodes(a, b):
        if tag != "equal":
            continue
        size = end_a - bi
        if (size == 1 and len(a[bi]) <= 12 or size == 2 and len(a[bi]) + len(a[bi + 1]) <= 12) \
                and (bi or bj or head) and (end_a < na or end_b < nb or tail):
            continue  # between two changes (neither the first run nor the last): folded
        if i < bi or j < bj:
            add([False, i + head, bi + head, j + head, bj + head])
        add([True, bi + head, end_a + head, bj + head, end_b + head])
        equal += len(" ".join(b[bj:end_b])) + (tail > 0 or end_a < na and end_b < nb)
        kept += size
        i, j = end_a, end_b
    if i < na or j < nb:
        add([False, i + head, na + head, j + head, nb + head])
    if tail:
        add([True, head + na, head + na + tail, head + nb, head + nb + tail])
        equal += tail_chars
        kept += tail
    return segs, equal, kept


def _shared_ends(old: str, new: str) -> tuple[int, int, int, int]:
    """(head, tail, head_chars, tail_chars): how many words two normalised
    texts share at their start and, of the words left, at their end, and
    those runs' lengths in characters (the words joined by single spaces).
    Found from the common prefix and suffix of characters, without
    splitting the words."""
    lo, ln = len(old), len(new)
    p = _Prefix.similarity(old, new)
    if p == lo and (p == ln or new[p] == " "):  # old's words begin new's (or are all of them)
        return old.count(" ") + 1, 0, lo, 0
    if p == ln and old[p] == " ":
        return new.count(" ") + 1, 0, ln, 0
    head_chars = old.rfind(" ", 0, p)  # the words before the last space both share
    if head_chars < 0:
        head = head_chars = rest = 0
    else:
        head, rest = old.count(" ", 0, head_chars) + 1, head_chars + 1  # rest: where the other words start
    s = min(_Postfix.similarity(old, new), lo - rest, ln - rest)
    if s == lo - rest and new[ln - s - 1] == " ":  # old's remaining words end new's
        return head, old.count(" ", rest) + 1, head_chars, s
    if s == ln - rest and old[lo - s - 1] == " ":
        return head, new.count(" ", rest) + 1, head_chars, s
    q = old.find(" ", lo - s)  # the first space of the common end
    if q < 0:
        return head, 0, head_chars, 0
    return head, old.count(" ", q), head_chars, lo - q - 1


def _segments(a: list[str], b: list[str]) -> list[list]:
    """The same and changed runs of two word lists (see ``_align``)."""
    return _align(a, b)[0]


def _word_ops(pieces: list[tuple[str, str]]) -> list[WordOp]:
    """WordOps from (kind, text) pieces: empty ones dropped, neighbours of
    the same kind joined."""
    ops: list[WordOp] = []
    kind, parts = "", []
    for k, text in pieces:
        if not text:
            continue
        if k != kind:
            if parts:
                ops.append(_word_op(kind, "".join(parts)))
            kind, parts = k, [text]
        else:
            parts.append(text)
    if parts:
        ops.append(_word_op(kind, "".join(parts)))
    return ops


def _word_op(kind: str, text: str) -> WordOp:
    op = _new_object(WordOp)  # as WordOp(kind, text), minus the frozen-dataclass overhead
    d = op.__dict__
    d["kind"], d["text"] = kind, text
    return op


class _Alignment:
    """The word alignment of two normalised texts (single spaces, no space
    at either end), with the figures the diff needs at once; the WordOps
    themselves are built only when someone looks at them."""

    __slots__ = ("old", "new", "segs", "equal_chars", "inserted", "deleted")

    def __init__(self, old: str, new: str):
        if _Indel is not None and old and new:
            # rapidfuzz's LCS sets the words both ends share aside before
            # aligning the rest: doing it here first gives the same runs
            # without splitting (and hashing) those words at all.
            head, tail, head_chars, tail_chars = _shared_ends(old, new)
            # The words between, from after the head's space to before the tail's.
            start = head_chars + 1 if head else 0
            end_a, end_b = (len(old) - tail_chars - 1, len(new) - tail_chars - 1) if tail else (len(old), len(new))
            a = old[start:end_a].split(" ") if start < end_a else []
            b = new[start:end_b].split(" ") if start < end_b else []
        else:
            head = tail = head_chars = tail_chars = 0
            a, b = old.split(" ") if old else [], new.split(" ") if new else []
        na, nb = head + len(a) + tail, head + len(b) + tail
        segs, equal, kept = _align(a, b, head, tail, head_chars, tail_chars)
        # Every word outside the same runs is deleted or inserted; "|"
        # (a table cell border) is not a word.
        deleted, inserted = na - kept, nb - kept
        if "|" in old or "|" in new:
            for same, i1, i2, j1, j2 in segs:
                if not same:  # changed runs lie between the shared ends
                    deleted -= a[i1 - head:i2 - head].count("|")
                    inserted -= b[j1 - head:j2 - head].count("|")
        self.old, self.new, self.segs = old, new, segs
        self.equal_chars, self.inserted, self.deleted = equal, inserted, deleted

    @staticmethod
    def applies(old: Block, new: Block) -> bool:
        # Blocks other than code hold whitespace-normalised text (see
        # split_blocks), whose words are what split(" ") gives.
        return old.kind != "code" and new.kind != "code"

    def ops(self) -> list[WordOp]:
        old, new = self.old, self.new
        return _normalised_ops(old.split(" ") if old else [], new.split(" ") if new else [], self.segs)


def diff_words(old: str, new: str) -> list[WordOp]:
    """Word-level diff of two (short) texts; tokens keep trailing spaces."""
    pieces: list[tuple[str, str]] = []
    emit = pieces.append
    if "\n" in old or "\n" in new or "  " in old or "  " in new or old != old.strip() or new != new.strip():
        a, b = tokens(old), tokens(new)
        for same, i1, i2, j1, j2 in _segments([t.rstrip() for t in a], [t.rstrip() for t in b]):
            if same:
                for x, y in zip(a[i1:i2], b[j1:j2]):
                    stem = y.rstrip()
                    emit(("equal", stem))
                    if x != y:  # same word, different spacing after it
                        emit(("delete", x[len(stem):]))
                    emit(("insert" if x != y else "equal", y[len(stem):]))
            else:
                emit(("delete", "".join(a[i1:i2])))
                emit(("insert", "".join(b[j1:j2])))
        return _word_ops(pieces)
    a, b = old.split(" ") if old else [], new.split(" ") if new else []
    return _normalised_ops(a, b, _segments(a, b))


def _normalised_ops(a: list[str], b: list[str], segs: list[list]) -> list[WordOp]:
    """WordOps of normalised text (single spaces): words are split(" ") and a
    run's text is its words joined, plus a space unless it ends the
    paragraph.  Runs alternate same / changed, so only a changed run can
    continue the delete or insert of a spacing change just before it."""
    na, nb = len(a), len(b)
    ops: list[WordOp] = []
    add, op = ops.append, _word_op
    pending_kind = ""  # a lone " " deleted or inserted at the end of a same run
    for same, i1, i2, j1, j2 in segs:
        if same:
            text = " ".join(b[j1:j2])
            if i2 < na:
                if j2 < nb:
                    add(op("equal", text + " "))
                else:
                    add(op("equal", text))
                    pending_kind = "delete"
            elif j2 < nb:
                add(op("equal", text))
                pending_kind = "insert"
            else:
                add(op("equal", text))
            continue
        lead = ""
        if pending_kind:
            if pending_kind == ("delete" if i2 > i1 else "insert" if j2 > j1 else ""):
                lead = " "
            else:
                add(op(pending_kind, " "))
        if i2 > i1:
            add(op("delete", (lead if pending_kind == "delete" else "") + " ".join(a[i1:i2]) + (" " if i2 < na else "")))
        if j2 > j1:
            add(op("insert", (lead if pending_kind == "insert" else "") + " ".join(b[j1:j2]) + (" " if j2 < nb else "")))
        pending_kind = ""
    if pending_kind:
        add(op(pending_kind, " "))
    return ops


def _similarity(a: str, b: str) -> float:
    """Share of words in common (0..1)."""
    if _Indel is not None:
        return _Indel.normalized_similarity(a.split(), b.split())
    ta, tb = a.split(), b.split()
    if not ta or not tb:
        return 1.0 if ta == tb else 0.0
    sa, sb = set(ta), set(tb)
    return len(sa & sb) / max(len(sa), len(sb))


def _paired_scores(olds: list[Block], news: list[Block], old_words: list[list[str]],
                   new_words: list[list[str]]) -> list[tuple[float, int, int]]:
    """(similarity, i, j) of every old/new pair similar enough to be an edit
    (pairs below the threshold are never paired, so they are not kept).
    *old_words* and *new_words*: each block's ``content.split()``."""
    if _Indel is None:
        scores = ((_similarity(o.content, n.content), i, j) for i, o in enumerate(olds) for j, n in enumerate(news))
        return [t for t in scores if t[0] >= PAIR_THRESHOLD]
    # Tiny runs are scored one by one: numpy's set-up costs more than the loop (measured: even at 2 x 3).
    all_pairs = _pair_scorer() if len(old_words) * len(new_words) > 6 else None
    if all_pairs is not None:
        return all_pairs(old_words, new_words, PAIR_THRESHOLD)
    sim = _Indel.normalized_similarity  # as _similarity, with the words split once
    found = []
    for i, a in enumerate(old_words):
        for j, b in enumerate(new_words):
            score = sim(a, b)
            if score >= PAIR_THRESHOLD:
                found.append((score, i, j))
    return found


def _changed(old: Block, new: Block) -> tuple[BlockChange, int]:
    """A "changed" block and how many characters of it stayed the same."""
    change = BlockChange("changed", old, new)
    a, b = old.content, new.content
    if _Alignment.applies(old, new):
        change._aligned = aligned = _Alignment(a, b)
        return change, aligned.equal_chars
    change._words = words = diff_words(a, b)
    return change, sum(len(op.text) for op in words if op.kind == "equal")


def _pair_blocks(olds: list[Block], news: list[Block]) -> list[BlockChange]:
    """Pair the blocks of a replaced run: similar ones are edits, the rest
    additions and removals, in document order."""
    in_place: list[BlockChange] = []
    if len(olds) == len(news):
        # The usual case: each paragraph edited where it stands.  The word
        # diff itself tells whether the two are still the same paragraph.
        for o, n in zip(olds, news):
            change, same = _changed(o, n)
            if same < PAIR_THRESHOLD * max(len(o.content), len(n.content)):
                break
            in_place.append(change)
        else:
            return in_place
    return _pair_by_similarity(olds, news, in_place)


def _pair_by_similarity(olds: list[Block], news: list[Block], known: list[BlockChange] = ()) -> list[BlockChange]:
    """Pair blocks best match first, keeping document order (no crossing).
    *known*: the edits in place already worked out for the first pairs."""
    old_words = new_words = None
    pairs: dict[int, int] = {}
    if olds and news and len(olds) * len(news) <= 2500:  # a huge rewrite of one run: keep it linear
        old_words, new_words = [o.content.split() for o in olds], [n.content.split() for n in news]
        used_new: set[int] = set()
        for score, i, j in sorted(_paired_scores(olds, news, old_words, new_words), reverse=True):
            if i in pairs or j in used_new:
                continue
            pairs[i] = j
            used_new.add(j)
        kept, last = {}, -1
        for i in sorted(pairs):
            if pairs[i] > last:
                kept[i], last = pairs[i], pairs[i]
        pairs = kept
    out: list[BlockChange] = []
    j = 0
    for i, old in enumerate(olds):
        if i in pairs:
            while j < pairs[i]:
                out.append(BlockChange("added", None, news[j]))
                j += 1
            out.append(known[i] if j == i and i < len(known) else _changed(old, news[j])[0])
            j += 1
        else:
            out.append(BlockChange("removed", old, None))
    while j < len(news):
        out.append(BlockChange("added", None, news[j]))
        j += 1
    return out


def _block_opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """``SequenceMatcher(None, a, b, autojunk=False).get_opcodes()``.

    Shortcut for the usual case, blocks edited in place: same length, and
    every key that differs from its counterpart appears nowhere on the other
    side.  Then every match lies on the diagonal (SequenceMatcher takes the
    longest match, the earliest in *a*, then in *b*, and an off-diagonal
    match implies a diagonal one at least as long and as early), so the
    opcodes are the runs of equal and differing positions."""
    in_a, in_b = set(a), set(b)
    if len(in_a) == len(a) and len(in_b) == len(b):
        # No key twice on either side: every match is the one possible pair,
        # so when the shared keys come in the same order on both sides,
        # SequenceMatcher pairs them all and the opcodes follow directly.
        shared_a = [(i, x) for i, x in enumerate(a) if x in in_b]
        shared_b = [(j, y) for j, y in enumerate(b) if y in in_a]
        if [x for _, x in shared_a] == [y for _, y in shared_b]:
            return _opcodes_from_pairs([(i, j) for (i, _), (j, _) in zip(shared_a, shared_b)], len(a), len(b))
    if len(a) == len(b):
        for x, y in zip(a, b):
            if x != y and (x in in_b or y in in_a):
                break
        else:
            ops = []
            start, same = 0, a[0] == b[0]
            for n in range(1, len(a) + 1):
                if n == len(a) or (a[n] == b[n]) != same:
                    ops.append(("equal" if same else "replace", start, n, start, n))
                    if n < len(a):
                        start, same = n, not same
            return ops
    return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _opcodes_from_pairs(pairs: list[tuple[int, int]], na: int, nb: int) -> list[tuple[str, int, int, int, int]]:
    """SequenceMatcher-style opcodes from the matched positions (in order)."""
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    n = 0
    while n <= len(pairs):
        if n < len(pairs):
            bi, bj = pairs[n]
            size = 1
            while n + size < len(pairs) and pairs[n + size] == (bi + size, bj + size):
                size += 1
        else:
            bi, bj, size = na, nb, 0
        if i < bi and j < bj:
            ops.append(("replace", i, bi, j, bj))
        elif i < bi:
            ops.append(("delete", i, bi, j, bj))
        elif j < bj:
            ops.append(("insert", i, bi, j, bj))
        if size:
            ops.append(("equal", bi, bi + size, bj, bj + size))
        i, j = bi + size, bj + size
        n += size or 1
    return ops


def _keys(blocks: tuple[Block, ...]) -> list[str]:
    return [b.content if b.kind == "paragraph" or b.kind == "html" else f"{b.kind}\x00{b.content}" for b in blocks]


def diff_blocks(olds: tuple[Block, ...], news: tuple[Block, ...]) -> list[BlockChange]:
    a, b = _keys(olds), _keys(news)  # Block.key, without a property call per block
    if a == b:
        return [BlockChange("equal", o, n) for o, n in zip(olds, news)]
    out: list[BlockChange] = []
    for tag, i1, i2, j1, j2 in _block_opcodes(a, b):
        if tag == "equal":
            out.extend(BlockChange("equal", o, n) for o, n in zip(olds[i1:i2], news[j1:j2]))
        elif tag == "delete":
            out.extend(BlockChange("removed", o, None) for o in olds[i1:i2])
        elif tag == "insert":
            out.extend(BlockChange("added", None, n) for n in news[j1:j2])
        elif _regrouped(olds[i1:i2], news[j1:j2]):
            out.extend(_flagged(BlockChange("removed", o, None), "regrouped") for o in olds[i1:i2])
            out.extend(_flagged(BlockChange("added", None, n), "regrouped") for n in news[j1:j2])
        else:
            out.extend(_pair_blocks(list(olds[i1:i2]), list(news[j1:j2])))
    return out


def _regrouped(olds: tuple[Block, ...], news: tuple[Block, ...]) -> bool:
    """The same words in the same order, with the paragraph breaks elsewhere."""
    return (all(b.kind == "paragraph" for b in olds + news)
            and " ".join(b.content for b in olds) == " ".join(b.content for b in news))


def _flagged(change: BlockChange, flag: str) -> BlockChange:
    setattr(change, flag, True)
    return change


def _mark_moves(rows: list["SectionChange"]) -> int:
    """Flag blocks removed in one place and added, unchanged, in another
    (in the same section or elsewhere); returns how many moved."""
    removed: dict[str, list[tuple[int, BlockChange]]] = {}
    for r, row in enumerate(rows):
        if not row.moved_from:
            for b in row.blocks:
                if b.kind == "removed" and not b.regrouped and b.old.content and b.old.kind != "rule":
                    removed.setdefault(b.old.key, []).append((r, b))
    moved = 0
    if not removed:
        return moved
    for r, row in enumerate(rows):
        if row.moved_from:
            continue
        for b in row.blocks:
            if b.kind == "added" and not b.regrouped and b.new.key in removed:
                gone = removed[b.new.key]
                # Within a section any block can move (list items change
                # order); between sections a short one ("Yes.") found twice
                # is more likely two different sentences.
                at = next((n for n, (rr, _g) in enumerate(gone) if rr == r or b.new.content.count(" ") >= 3), None)
                if at is not None:
                    gone.pop(at)[1].moved = b.moved = True
                    moved += 1
    return moved


def _longest_increasing(seq: list[int]) -> set[int]:
    """Positions in *seq* of one longest strictly increasing subsequence."""
    tails: list[int] = []
    tail_pos: list[int] = []
    prev = [-1] * len(seq)
    for pos, value in enumerate(seq):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_pos.append(pos)
        else:
            tails[k], tail_pos[k] = value, pos
        prev[pos] = tail_pos[k - 1] if k else -1
    keep: set[int] = set()
    pos = tail_pos[-1] if tail_pos else -1
    while pos != -1:
        keep.add(pos)
        pos = prev[pos]
    return keep


def _match_sections(old: list[SectionText], new: list[SectionText]) -> dict[int, int]:
    """old index -> new index."""
    new_by_key = {s.key: j for j, s in enumerate(new)}
    match = {i: new_by_key[s.key] for i, s in enumerate(old) if s.key in new_by_key}
    used = set(match.values())
    rest_old = [i for i in range(len(old)) if i not in match]
    rest_new = [j for j in range(len(new)) if j not in used]
    if not rest_old or not rest_new:
        return match
    # Renamed sections: same blocks (found through an index, not all pairs),
    # or for short sections a similar heading at the same level.
    index: dict[str, list[int]] = {}
    for j in rest_new:
        for key in {b.key for b in new[j].blocks}:
            index.setdefault(key, []).append(j)
    candidates = []
    for i in rest_old:
        keys = {b.key for b in old[i].blocks}
        shared: dict[int, int] = {}
        for key in keys:
            for j in index.get(key, ()):
                shared[j] = shared.get(j, 0) + 1
        for j, n in shared.items():
            score = n / max(len(keys), len({b.key for b in new[j].blocks}))
            if score >= RENAME_THRESHOLD:
                candidates.append((score + 1.0, i, j))
        if len(rest_new) <= 200:
            old_text = " ".join(b.content for b in old[i].blocks)
            for j in rest_new:
                if j in shared:
                    continue
                title = _similarity(old[i].title.casefold(), new[j].title.casefold())
                if old[i].level != new[j].level:
                    title -= 0.3  # a new level and a new heading: only if nearly the same words
                new_text = " ".join(b.content for b in new[j].blocks)
                content = 1.0 if not old_text and not new_text else _similarity(old_text, new_text)
                if (title >= RENAME_THRESHOLD and content >= RENAME_THRESHOLD) or (title >= 0.2 and content >= 0.8):
                    candidates.append((title * content, i, j))
    for _score, i, j in sorted(candidates, reverse=True):
        if i not in match and j not in used:
            match[i] = j
            used.add(j)
    # One unmatched section on each side between the same two neighbours,
    # with much of its text kept: the heading was rewritten.
    gaps_old: dict[int, list[int]] = {}
    gaps_new: dict[int, list[int]] = {}
    anchor = -1
    for i in range(len(old)):
        if i in match:
            anchor = match[i]
        else:
            gaps_old.setdefault(anchor, []).append(i)
    anchor = -1
    by_new = {j: i for i, j in match.items()}
    for j in range(len(new)):
        if j in by_new:
            anchor = j
        else:
            gaps_new.setdefault(anchor, []).append(j)
    for anchor, olds in gaps_old.items():
        news = gaps_new.get(anchor, [])
        if not news or len(olds) * len(news) > 100:
            continue
        scored = []
        for i in olds:
            a = " ".join(b.content for b in old[i].blocks)
            for j in news:
                b = " ".join(x.content for x in new[j].blocks)
                if a and b and old[i].level == new[j].level:
                    scored.append((_similarity(a, b), i, j))
        taken: set[int] = set()
        for score, i, j in sorted(scored, reverse=True):
            if score >= 0.4 and i not in match and j not in taken:
                match[i] = j
                taken.add(j)
    return match


def diff_bodies(old_body: str, new_body: str) -> list[SectionChange]:
    split_old: dict = {}
    old = _split_sections(old_body, split_old, None)
    new = _split_sections(new_body, None, split_old)
    match = _match_sections(old, new)
    by_new = {j: i for i, j in match.items()}
    # Sections whose order relative to the others changed are "moved".
    matched_new = sorted(by_new)
    stable_pos = _longest_increasing([by_new[j] for j in matched_new])
    moved_new = {j for pos, j in enumerate(matched_new) if pos not in stable_pos}

    # Removed (and moved-away) sections are shown after the nearest earlier
    # old section that stayed in place.
    after: dict[int, list[SectionChange]] = {}
    last_anchor = -1
    for i, sec in enumerate(old):
        j = match.get(i)
        if j is not None and j not in moved_new:
            last_anchor = j
            continue
        if j is None:
            after.setdefault(last_anchor, []).append(SectionChange(sec, None, [BlockChange("removed", b, None) for b in sec.blocks]))
        else:
            after.setdefault(last_anchor, []).append(SectionChange(sec, None, moved_from=True))
    rows: list[SectionChange] = list(after.get(-1, []))
    for j, sec in enumerate(new):
        i = by_new.get(j)
        if i is None:
            rows.append(SectionChange(None, sec, [BlockChange("added", None, b) for b in sec.blocks]))
        else:
            o = old[i]
            row = SectionChange(o, sec, diff_blocks(o.blocks, sec.blocks), moved=j in moved_new,
                                renamed=o.title != sec.title, level_changed=o.level != sec.level)
            if row.renamed:
                row.title_words = diff_words(o.title, sec.title)
            rows.append(row)
        rows.extend(after.get(j, []))
    return rows


def _word_count(text: str) -> int:
    if "|" not in text and "  " not in text and text.isprintable() and text == text.strip():
        # Normalised text (single spaces): one more word than spaces.
        return text.count(" ") + 1 if text else 0
    words = text.split()
    return len(words) - words.count("|")  # table cell separators are not words


def diff_texts(old_text: str, new_text: str) -> DocumentDiff:
    """Compare two whole documents (details block and body)."""
    # Tens of thousands of small objects and no reference cycles: the cyclic
    # garbage collector would only walk the whole heap again and again.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _diff_texts(old_text, new_text)
    finally:
        if paused:
            gc.enable()


def _diff_texts(old_text: str, new_text: str) -> DocumentDiff:
    if old_text == new_text:
        identical = True
    else:
        identical = False
    try:
        old_doc = Document.parse(old_text)
        front = old_doc.front_matter_text
        if front.endswith("\n") and new_text.startswith(front):
            # The same details block, as most revisions have: read once.
            # (The same opening lines find the same closing line.)
            old_body, new_body, meta = old_doc.body, new_text[len(front):], []
        else:
            new_doc = Document.parse(new_text)
            old_body, new_body = old_doc.body, new_doc.body
            keys = list(dict.fromkeys(list(old_doc.meta) + list(new_doc.meta)))
            meta = [(k, old_doc.meta.get(k), new_doc.meta.get(k)) for k in keys
                    if str(old_doc.meta.get(k)) != str(new_doc.meta.get(k))]
    except GuidelinesError:
        old_body, new_body, meta = old_text, new_text, []
    rows = diff_bodies(old_body, new_body)
    result = DocumentDiff(rows, meta, identical=identical, old_body=old_body, new_body=new_body,
                          blocks_moved=_mark_moves(rows))
    for row in rows:
        if row.moved_from:
            continue
        for b in row.blocks:
            if b.kind == "equal" or b.moved or b.regrouped:  # no word is new or gone
                continue
            if b.kind == "added":
                result.words_inserted += _word_count(b.new.content)
            elif b.kind == "removed":
                result.words_deleted += _word_count(b.old.content)
            elif b.kind == "changed":
                aligned = b._aligned
                if aligned is not None:  # counted without building the WordOps
                    result.words_inserted += aligned.inserted
                    result.words_deleted += aligned.deleted
                    continue
                for op in b.words:
                    if op.kind == "insert":
                        result.words_inserted += _word_count(op.text)
                    elif op.kind == "delete":
                        result.words_deleted += _word_count(op.text)
    return result


def diff_revisions(ws, slug: str, rev_a: str, rev_b: str | None = None) -> DocumentDiff:
    """Compare two revisions of a document as typed by a user; *rev_b* None
    (or ``history.WORKING``) is the file on disk."""
    from guidelines_app.review import history

    old = history.text_at(ws, slug, rev_a)
    new = history.text_at(ws, slug, rev_b or history.WORKING)
    return diff_texts(old, new)
