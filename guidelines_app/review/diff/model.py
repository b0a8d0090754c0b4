"""The diff's result: what changed, section by section and block by block,
with the figures and the wording a reviewer reads (verdict, change list).
Built by ``sections.diff_texts``; read by ``redline`` and the compare view.
"""

from __future__ import annotations

import re
from collections import namedtuple
from dataclasses import FrozenInstanceError, dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from guidelines_app.core.document import detail_name
from guidelines_app.core.wording import plural

if TYPE_CHECKING:
    from guidelines_app.review.diff.blocks import Block, SectionText

REWRITE_RATIO = 0.5

# What a reader is told the text before the first heading is (it has no
# heading to name it by).
OPENING = "Opening text (before the first heading)"


# The small result classes are written out rather than made by
# ``@dataclass``: making a dataclass costs half a millisecond at import,
# which every comparison in a fresh process paid.  They behave as the
# dataclasses they replace (equality, repr; frozen ones hash and refuse
# changes).


def _frozen(self, name, value=None):
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


class WordOp:
    """One run of a word diff: kind is equal, insert or delete (frozen)."""

    def __init__(self, kind: str, text: str):
        d = self.__dict__
        d["kind"], d["text"] = kind, text

    __setattr__ = __delattr__ = _frozen

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.kind == other.kind and self.text == other.text

    def __hash__(self) -> int:
        return hash((self.kind, self.text))

    def __repr__(self) -> str:
        return f"WordOp(kind={self.kind!r}, text={self.text!r})"


class BlockChange:
    """One block of the diff: kind is equal, changed, added or removed;
    *words* (for "changed") is the word-level diff.

    An added or removed block may carry text that is not new: *moved* when
    the same block is removed in one place and added in another, *regrouped*
    when paragraph breaks changed around the same words (a paragraph split
    in two, or two joined).  Such text counts as neither inserted nor
    deleted."""

    __slots__ = ("kind", "old", "new", "_words", "_aligned", "moved", "regrouped", "_pieces")

    def __init__(self, kind: str, old: Block | None, new: Block | None, words: list[WordOp] | None = None):
        self.kind, self.old, self.new = kind, old, new
        self._words = [] if words is None else words
        self._aligned = None  # an _Alignment whose WordOps are built on first use
        self.moved = self.regrouped = False
        self._pieces = None  # shown text per side, kept by redline_layout.block_pieces

    @property
    def words(self) -> list[WordOp]:
        if self._aligned is not None:
            self._words, self._aligned = self._aligned.ops(), None
        return self._words

    @words.setter
    def words(self, value: list[WordOp]) -> None:
        self._words, self._aligned, self._pieces = value, None, None

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


class SectionChange:
    """One section of the diff, with its blocks' changes.  *moved_from*: a
    marker at the old place of a moved section; *title_words*: the
    heading's word diff when renamed."""

    def __init__(self, old: SectionText | None, new: SectionText | None, blocks: list[BlockChange] | None = None,
                 moved: bool = False, renamed: bool = False, level_changed: bool = False,
                 moved_from: bool = False, title_words: list[WordOp] | None = None):
        self.old, self.new, self.blocks = old, new, [] if blocks is None else blocks
        self.moved, self.renamed, self.level_changed, self.moved_from = moved, renamed, level_changed, moved_from
        self.title_words = [] if title_words is None else title_words

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _fields(self) == _fields(other)

    __hash__ = None  # mutable

    def __repr__(self) -> str:
        names = ("old", "new", "blocks", "moved", "renamed", "level_changed", "moved_from", "title_words")
        return f"{type(self).__qualname__}(" + ", ".join(f"{n}={v!r}" for n, v in zip(names, _fields(self))) + ")"

    @property
    def added(self) -> bool:
        return self.old is None and not self.moved_from

    @property
    def removed(self) -> bool:
        return self.new is None and not self.moved_from

    @property
    def content_changed(self) -> bool:
        for b in self.blocks:  # asked of every section, often: no generator
            if b.kind != "equal":
                return True
        return False

    @property
    def changed(self) -> bool:
        return (self.added or self.removed or self.moved or self.moved_from or self.renamed or self.level_changed
                or self.content_changed)

    @property
    def heading_change(self) -> str:
        """"heading removed" when the section's heading was taken away (its
        text now opens the document, before the first heading), "heading
        added" when the opening text got a heading; else "".  (Such a
        section is ``renamed``: its title's words are what changed.)"""
        if self.renamed and self.old is not None and self.new is not None:
            if not self.new.level:
                return "heading removed"
            if not self.old.level:
                return "heading added"
        return ""

    @property
    def kind(self) -> str:
        if self.moved_from:
            return "moved away"
        if self.added:
            return "added"
        if self.removed:
            return "removed"
        parts = [k for k, on in (("moved", self.moved), (self.heading_change or "renamed", self.renamed),
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
            if self.heading_change:  # the heading there is, on the side that has one
                return self.old.title or self.new.title
            return f"{self.old.title} \u2192 {self.new.title}"
        return self.title or OPENING


class SameRow(SectionChange):
    """A section whose lines are the same on both sides (``blocks.same_text``):
    every block equal, the blocks made (and split) only when someone looks
    at them, such as the pages of the compare window after their first
    screen; the comparison and its verdict never do."""

    def __init__(self, old: SectionText, new: SectionText, moved: bool = False, renamed: bool = False,
                 level_changed: bool = False):
        d = self.__dict__
        d["old"], d["new"], d["moved"], d["renamed"], d["level_changed"] = old, new, moved, renamed, level_changed
        d["moved_from"], d["title_words"] = False, []

    @property
    def blocks(self) -> list[BlockChange]:
        found = self.__dict__.get("_blocks")
        if found is None:
            found = self.__dict__["_blocks"] = [BlockChange("equal", o, n) for o, n in zip(self.old.blocks, self.new.blocks)]
        return found

    @blocks.setter
    def blocks(self, value: list[BlockChange]) -> None:
        self.__dict__["_blocks"] = value

    @property
    def content_changed(self) -> bool:
        found = self.__dict__.get("_blocks")
        return found is not None and any(b.kind != "equal" for b in found)

    def __eq__(self, other: object) -> bool:  # equal to a SectionChange of the same fields
        if not isinstance(other, SectionChange):
            return NotImplemented
        return _fields(self) == _fields(other)

    __hash__ = None


def _fields(row: SectionChange) -> tuple:
    return (row.old, row.new, row.blocks, row.moved, row.renamed, row.level_changed, row.moved_from, row.title_words)


class ChangeRef(namedtuple("ChangeRef", "index row block label")):
    """One stop for next/previous navigation: its number, its row, its
    block (None: the section as a whole, added, removed, moved or renamed)
    and its label."""

    __slots__ = ()


# A dataclass (``dataclasses.replace`` makes copies of it), whose
# __init__, __repr__ and __eq__ are written out: generating them cost a
# fresh comparison a third of a millisecond.
@dataclass(init=False, repr=False, eq=False)
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

    def __init__(self, rows: list[SectionChange], meta_changes: list[tuple[str, object, object]],
                 words_inserted: int = 0, words_deleted: int = 0, identical: bool = False, blocks_moved: int = 0,
                 old_body: str = "", new_body: str = ""):
        self.rows, self.meta_changes, self.words_inserted, self.words_deleted = rows, meta_changes, words_inserted, words_deleted
        self.identical, self.blocks_moved, self.old_body, self.new_body = identical, blocks_moved, old_body, new_body

    def __repr__(self) -> str:
        return (f"DocumentDiff(rows={self.rows!r}, meta_changes={self.meta_changes!r}, words_inserted={self.words_inserted!r}, "
                f"words_deleted={self.words_deleted!r}, identical={self.identical!r}, blocks_moved={self.blocks_moved!r})")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return ((self.rows, self.meta_changes, self.words_inserted, self.words_deleted, self.identical, self.blocks_moved,
                 self.old_body, self.new_body)
                == (other.rows, other.meta_changes, other.words_inserted, other.words_deleted, other.identical,
                    other.blocks_moved, other.old_body, other.new_body))

    __hash__ = None  # mutable, as a dataclass with eq

    @cached_property
    def words_old(self) -> int:
        return _word_count(self.old_body)

    @cached_property
    def words_new(self) -> int:
        return _word_count(self.new_body)

    @property
    def change_ratio(self) -> float:
        if not (self.words_inserted or self.words_deleted):
            return 0.0  # whatever the totals (so they are not counted)
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
            if whole or not row.content_changed:  # (no block of an unchanged section is a stop)
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
        # One pass over the sections (as sections_with for each kind, and
        # the edited sections and new heading levels).
        found = {"added": 0, "removed": 0, "moved": 0, "renamed": 0}
        headings = {"heading added": 0, "heading removed": 0}
        edited = levels = 0
        for r in self.rows:
            if r.moved_from:
                continue
            added, removed = r.old is None, r.new is None
            found["added"] += added
            found["removed"] += removed
            found["moved"] += bool(r.moved)
            if r.renamed:
                heading = r.heading_change
                if heading:
                    headings[heading] += 1
                else:
                    found["renamed"] += 1
            levels += bool(r.level_changed)
            if not added and not removed and r.content_changed:
                edited += 1
        counts = [f"{plural(n, 'section')} {kind}" for kind, n in found.items() if n]
        counts += [f"{plural(n, 'heading')} {kind.split()[1]}" for kind, n in headings.items() if n]
        if edited:
            counts.append(f"{plural(edited, 'section')} edited")
        if levels:
            counts.append(f"{plural(levels, 'heading')} moved to another level")
        if self.blocks_moved:
            kinds: dict[str, int] = {}
            for r in self.rows:
                for b in (r.blocks if r.content_changed else ()):
                    if b.moved and b.kind == "added":
                        kinds[b.new.kind] = kinds.get(b.new.kind, 0) + 1
            for kind, n in kinds.items():
                noun = {"item": "list item", "row": "table row", "code": "code block", "html": "HTML block"}.get(kind, "paragraph")
                counts.append(f"{plural(n, noun)} moved")
        regrouped = sum(1 for r in self.rows if r.content_changed for b in r.blocks if b.regrouped and b.kind == "added")
        if regrouped:
            counts.append("paragraph breaks changed")
        if self.meta_changes:
            counts.append("details: " + ", ".join(detail_name(k).lower() for k, _, _ in self.meta_changes))
        words = f"{plural(self.words_inserted, 'word')} inserted, {self.words_deleted:,} deleted"
        if self._small():
            size = "Small changes"
        else:
            size = "Rewrite" if self.is_rewrite else ("Substantial changes" if self.change_ratio >= 0.1 else "Small changes")
        return f"{size}: " + "; ".join(counts + [words]) + "."

    def _small(self) -> bool:
        """Whether the words changed are surely under a tenth of the two
        versions' words (``change_ratio < 0.1``), told from as few of the
        first characters as it takes: most comparisons change a few hundred
        words of tens of thousands, and counting them all is a millisecond
        of a comparison of 10.  False when it cannot tell so cheaply."""
        changed = self.words_inserted + self.words_deleted
        if not changed or "words_old" in self.__dict__:
            return False  # (change_ratio tells at once)
        return _holds_words((self.old_body, self.new_body), 10 * changed + 1)


def _word_count(text: str) -> int:
    """The words of *text* (``split()``), table cell borders ("|") not
    counted."""
    if "|" not in text and "  " not in text and text.isprintable() and text == text.strip():
        # Normalised text (single spaces): one more word than spaces.
        return text.count(" ") + 1 if text else 0
    if text.isascii() and len(text) > 4096:
        # A whole body: counted without making a string per word (a third
        # of the time).  Whitespace (what ``str.split`` splits at) becomes
        # " " and the rest "a": a word starts at each " a", and at the
        # start; a "|" with whitespace (or an end) on both sides is a border.
        shape = text.encode("ascii").translate(_WORD_SHAPE)
        return shape.count(b" a") + (shape[:1] == b"a") - len(_BORDER_RE.findall(text))
    words = text.split()
    return len(words) - words.count("|")  # table cell separators are not words


def _holds_words(texts: tuple[str, ...], wanted: int) -> bool:
    """Whether *texts* hold at least *wanted* words together (as
    ``_word_count`` counts them), told from their first characters; False
    when that cannot tell (then count them all).

    The words starting in a text's first characters are a lower bound of
    its words; a "|" among them may be a cell border, not a word, so every
    "|" there is taken off.  A word and its space take 6 characters or more
    in prose: when that many per word wanted would read more than half of
    the texts, counting them all costs about as much."""
    size = 6 * wanted // len(texts)  # the first characters read of each text
    half = sum(len(text) for text in texts) // 2
    if size * len(texts) > half or not all(text.isascii() for text in texts):
        return False
    while True:
        found = 0
        for text in texts:
            part = text[:size]
            shape = part.encode("ascii").translate(_WORD_SHAPE)
            found += shape.count(b" a") + (shape[:1] == b"a") - part.count("|")
        if found >= wanted:
            return True
        size *= 2
        if size * len(texts) > half:
            return False


_WORD_SHAPE = bytes(32 if chr(c).isspace() else 97 for c in range(256))
_BORDER_RE = re.compile(r"\|(?<!\S\|)(?!\S)")
