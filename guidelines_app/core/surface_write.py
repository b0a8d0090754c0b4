"""Edits on the rich surface back into Markdown source, changing as few
bytes as the edit needs.

A changed text block is written by applying the difference between what it
showed and what it shows now to its source (``edit_source``): untouched
characters keep their bytes, markers, escapes and line breaks; only the
edited stretch is written, by the small inline writer (``write_runs``) in
the block's own marker style (``*`` or ``_``, ``**`` or ``__``).  The result
is read back (``core.surface_text.show``); when it would not show what the
surface shows, the whole block is written and its original line breaks are
kept where the words around them are unchanged.  ``Assembler`` joins the
blocks, writing every untouched block as its original bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import accumulate

from guidelines_app.core.inline_markup import ENTITY_RE, PLAIN, Fmt
from guidelines_app.core.surface_text import HARD_BREAK, HEADING, ITEM, PARAGRAPH, QUOTE, Unit, show

_ORDER = ("link", "bold", "italic", "strike", "code")
_BLOCK_START_TEXT_RE = re.compile(r"^(?:#{1,6}(?:[ \t]|$)|>|[-+*][ \t]|\d{1,9}[.)](?:[ \t]|$)|={3,}\s*$|-{3,}\s*$)")


@dataclass(frozen=True)
class Style:
    """How a block writes emphasis and breaks, taken from its source."""

    bold: str = "**"
    italic: str = "*"
    cont: str = ""  # what follows a line break (an item's indentation, "> ")
    cells: bool = False  # a table cell: "|" is escaped

    @classmethod
    def of(cls, src: str, cont: str = "", cells: bool = False) -> Style:
        bold = "__" if re.search(r"(?<![\w_])__\S", src) and "**" not in src else "**"
        italic = "_" if re.search(r"(?<![\w_*])_[^_\s]", src) and not re.search(r"(?<![\w*])\*[^*\s]", src) else "*"
        return cls(bold, italic, cont, cells)


def _escape(text: str, cells: bool) -> str:
    out = []
    n = len(text)
    for k, ch in enumerate(text):
        if ch in "\\`*[]<{" or (ch == "|" and cells):
            out.append("\\" + ch)
        elif ch == "_":
            before = text[k - 1] if k else " "
            after = text[k + 1] if k + 1 < n else " "
            out.append("_" if before.isalnum() and after.isalnum() else "\\_")
        elif ch == "&" and ENTITY_RE.match(text, k):
            out.append("&amp;")
        else:
            out.append(ch)
    return "".join(out)


def _trim_emphasis(chars: list[tuple[str, Fmt]]) -> list[tuple[str, Fmt]]:
    """Spaces at the edges of bold, italic or struck text move outside it
    (Markdown cannot close emphasis after a space)."""
    chars = list(chars)
    for attr in ("bold", "italic", "strike", "code", "link"):
        k = 0
        while k < len(chars):
            if not getattr(chars[k][1], attr):
                k += 1
                continue
            j = k
            while j < len(chars) and getattr(chars[j][1], attr) == getattr(chars[k][1], attr):
                j += 1
            a, b = k, j
            while a < b and chars[a][0] in " \t" + HARD_BREAK:
                chars[a] = (chars[a][0], chars[a][1].with_(**{attr: "" if attr == "link" else False}))
                a += 1
            while b > a and chars[b - 1][0] in " \t" + HARD_BREAK:
                chars[b - 1] = (chars[b - 1][0], chars[b - 1][1].with_(**{attr: "" if attr == "link" else False}))
                b -= 1
            k = j
    return chars


def write_runs(chars: list[tuple[str, Fmt]], style: Style, base: Fmt = PLAIN) -> str:
    """Markdown for characters with formats, inside text already formatted
    as *base*.  Links outermost, then bold, italic, strike, code."""
    chars = _trim_emphasis(chars)
    out: list[str] = []
    open_: list[tuple[str, object]] = []  # (attr, value) opened, outermost first
    n = len(chars)

    def wanted(f: Fmt) -> list[tuple[str, object]]:
        return [(a, getattr(f, a)) for a in _ORDER if getattr(f, a) and getattr(f, a) != getattr(base, a)]

    def marker(attr: str, k: int, closing: bool) -> str:
        if attr == "bold":
            return style.bold if style.bold == "**" or not _word_at(chars, k, closing) else "**"
        if attr == "italic":
            return style.italic if style.italic == "*" or not _word_at(chars, k, closing) else "*"
        return {"strike": "~~", "code": "`"}[attr]

    k = 0
    while k < n:
        ch, f = chars[k]
        want = wanted(f)
        common = 0
        while common < min(len(open_), len(want)) and open_[common] == want[common]:
            common += 1
        while len(open_) > common:
            attr, value = open_.pop()
            out.append(f"]({value})" if attr == "link" else marker(attr, k, True))
        for attr, value in want[common:]:
            out.append("[" if attr == "link" else marker(attr, k, False))
            open_.append((attr, value))
        j = k
        while j < n and chars[j][1] == f:
            j += 1
        text = "".join(c for c, _ in chars[k:j])
        if f.code and not base.code:
            out.append(text)
        else:
            escaped = _escape(text, style.cells)
            # (a table's row is one line: a cell's line break is a "<br>", as it reads)
            out.append(escaped.replace(HARD_BREAK, "<br>").replace("\n", "<br>") if style.cells
                       else escaped.replace(HARD_BREAK, "  \n" + style.cont))
        k = j
    while open_:
        attr, value = open_.pop()
        out.append(f"]({value})" if attr == "link" else marker(attr, n, True))
    return "".join(out)


def _word_at(chars, k: int, closing: bool) -> bool:
    """Is the character beyond a marker placed at *k* part of a word (where
    "_" cannot open or close emphasis)?"""
    probe = k if closing else k - 1
    return 0 <= probe < len(chars) and chars[probe][0].isalnum()


def plain_to_markdown(text: str) -> str:
    """*text* as typed (a questionnaire's answer) written as Markdown that
    reads back as exactly that text, wherever it is put: in a sentence, at
    a line's start or in a table's cell ("Smith | Sons *Ltd*" stays one
    cell, not italic; "# Hub" stays text).  Line breaks are kept."""
    return "\n".join(escape_block_start(_escape(line, True).lstrip()) for line in text.split("\n"))


def escape_block_start(src: str) -> str:
    """Text that would start another kind of block ("# ", "- ", "1. ")
    keeps being text."""
    if src[:1] == ":" and src[1:2] in (" ", "\t"):
        # A definition to preview and export (Python-Markdown's def_list), which
        # dropped the ":"; a backslash cannot keep it (not an escape there).
        return "&#58;" + src[1:]
    m = _BLOCK_START_TEXT_RE.match(src)
    if not m:
        return src
    digits = re.match(r"\d+", src)
    return src[: digits.end()] + "\\" + src[digits.end():] if digits else "\\" + src


# ---------------------------------------------------------------------------
# Applying an edit to a block's source
# ---------------------------------------------------------------------------


def edit_source(src: str, new_text: str, new_fmts: list[Fmt], style: Style) -> str:
    """The source of a text block that showed *src* and now shows
    *new_text* with *new_fmts*."""
    old = show(src, style.cells)
    if old.text == new_text and old.fmts == new_fmts:
        return src
    for ops, after_left in _alignments(old.text, new_text):
        patched = _patch(src, old, new_text, new_fmts, style, ops, after_left)
        if patched is not None and _shows(patched, new_text, new_fmts, style):
            return patched
    whole = write_runs(list(zip(new_text, new_fmts)), style)
    return keep_breaks(src, whole)


def _alignments(a: str, b: str):
    """The ways to place the change from *a* to *b* that ``edit_source``
    tries, each as (opcodes, whether a typed stretch takes the format of the
    letter before it): the shared start and end kept first (quick); for
    one typed stretch, the same stretch placed earlier where the letters
    allow (a word typed in bold at a line break: " word" after the bold
    text, not "word " after the break's space); then, in a paragraph of up
    to WHOLE_UP_TO letters, the letters compared whole (the time that takes
    grows with the square of the length: 2 s at 18,000 letters)."""
    ops = _text_opcodes(a, b)
    yield ops, False
    changed = [op for op in ops if op[0] != "equal"]
    if len(changed) == 1 and changed[0][0] == "insert":
        _tag, i, _i, j1, j2 = changed[0]
        typed = b[j1:j2]
        for t in range(1, min(i, len(typed), _SLIDES) + 1):
            if a[i - t] != typed[-t]:
                break
            k = i - t  # the stretch typed at k: the letters a[k:i] come after it
            yield [op for op in (("equal", 0, k, 0, k), ("insert", k, k, k, k + len(typed)),
                                 ("equal", k, len(a), k + len(typed), len(b))) if op[2] > op[1] or op[4] > op[3]], True
    if a != b and len(a) + len(b) <= 2 * WHOLE_UP_TO:  # (the same letters: the opcodes above, again)
        whole = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        if whole != ops:
            yield whole, False


_SLIDES = 8  # places tried before a typed stretch, at most
WHOLE_UP_TO = 2000  # letters of a paragraph compared whole, at most (about 5 ms)


def _shows(src: str, text: str, fmts: list[Fmt], style: Style) -> bool:
    got = show(src, style.cells)
    return got.text == text and got.fmts == fmts


def _patch(src: str, old, new_text: str, new_fmts: list[Fmt], style: Style, ops,
           after_left: bool = False) -> str | None:
    """*src* with each changed stretch of the display (*ops*, opcodes of
    the old text and the new) rewritten, or None.  *after_left*: a stretch
    typed between two letters is written in the format of the letter
    before it (it goes right after that letter in the source)."""
    regions: list[tuple[int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            if old.fmts[i1:i2] == new_fmts[j1:j2]:
                continue  # (most often: one comparison of lists, not one per letter)
            # Same letters, maybe new formats: those stretches change too.
            k = 0
            while k < i2 - i1:
                if old.fmts[i1 + k] != new_fmts[j1 + k]:
                    s = k
                    while k < i2 - i1 and old.fmts[i1 + k] != new_fmts[j1 + k]:
                        k += 1
                    regions.append((i1 + s, i1 + k, j1 + s, j1 + k))
                else:
                    k += 1
        else:
            regions.append((i1, i2, j1, j2))
    regions = _merge(regions)
    out = src
    for i1, i2, j1, j2 in reversed(regions):
        if i1 < i2:
            a, b = old.where[i1], old.where[i2 - 1] + 1
        elif i1 > 0:
            a = b = old.where[i1 - 1] + 1
        elif old.where:
            a = b = old.where[0]
        else:
            a = b = len(src)
        # The format the stretch sits in: of letters replaced, theirs when
        # they all had one (a bold word replaced stays inside its markers);
        # else what its old neighbours had.
        if i1 < i2 and old.fmts[i1:i2].count(old.fmts[i1]) == i2 - i1:
            base = old.fmts[i1]
        else:
            base = old.fmts[i1 - 1] if i1 > 0 else old.fmts[i2] if i2 < len(old.fmts) else PLAIN
            if i2 < len(old.fmts) and i1 > 0 and old.fmts[i2] != base and not (after_left and i1 == i2):
                base = _common(base, old.fmts[i2])
        chars = list(zip(new_text[j1:j2], new_fmts[j1:j2]))
        if any(not _covers(f, base) for _, f in chars):
            return None
        out = out[:a] + write_runs(chars, style, base) + out[b:]
    return out


def _text_opcodes(a: str, b: str) -> list[tuple[str, int, int, int, int]]:
    """Opcodes of two texts: the start and end both share kept as they are
    and only the stretch between compared letter by letter.  A paragraph
    edited earlier in the session is patched again at every sync; compared
    whole, each one cost about 2 ms of the UI thread (the caller checks
    that the patched source shows the new text)."""
    n = min(len(a), len(b))
    p = shared_length(lambda k: a[:k] == b[:k], n)
    s = shared_length(lambda k: a[len(a) - k:] == b[len(b) - k:], n - p)
    ops = [] if not p else [("equal", 0, p, 0, p)]
    for tag, i1, i2, j1, j2 in _middle_opcodes(a[p:len(a) - s], b[p:len(b) - s]):
        ops.append((tag, i1 + p, i2 + p, j1 + p, j2 + p))
    if s:
        ops.append(("equal", len(a) - s, len(a), len(b) - s, len(b)))
    return ops


def shared_length(same, most: int) -> int:
    """The longest length k <= *most* for which *same(k)* (two texts'
    shared start or end), by halving: a few comparisons of slices rather
    than a step of Python per letter."""
    lo, hi = 0, most
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if same(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _middle_opcodes(a: str, b: str) -> list[tuple[str, int, int, int, int]]:
    """Opcodes of the stretches two texts do not share at their ends.  Up
    to LETTERS_UP_TO letters a side, compared letter by letter; longer
    (changes far apart: a Replace All, a paste), word by word first, and
    each changed run of words of that size letter by letter: comparing
    hundreds of letters took most of the 0.5 s a Replace All in a
    40,000-word policy held the window."""
    if len(a) <= LETTERS_UP_TO or len(b) <= LETTERS_UP_TO:
        return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    words_a, words_b = _WORD_RE.findall(a), _WORD_RE.findall(b)
    at_a, at_b = list(accumulate(map(len, words_a), initial=0)), list(accumulate(map(len, words_b), initial=0))
    ops = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, words_a, words_b, autojunk=False).get_opcodes():
        a1, a2, b1, b2 = at_a[i1], at_a[i2], at_b[j1], at_b[j2]
        if tag == "replace" and a2 - a1 <= LETTERS_UP_TO and b2 - b1 <= LETTERS_UP_TO:
            ops.extend((t, k1 + a1, k2 + a1, m1 + b1, m2 + b1) for t, k1, k2, m1, m2
                       in SequenceMatcher(None, a[a1:a2], b[b1:b2], autojunk=False).get_opcodes())
        else:
            ops.append((tag, a1, a2, b1, b2))
    return ops


LETTERS_UP_TO = 64
_WORD_RE = re.compile(r"\w+|\s+|[^\w\s]", re.S)


def _merge(regions):
    merged: list[list[int]] = []
    for r in sorted(regions):
        if merged and r[0] <= merged[-1][1] and r[2] <= merged[-1][3]:
            merged[-1][1] = max(merged[-1][1], r[1])
            merged[-1][3] = max(merged[-1][3], r[3])
        else:
            merged.append(list(r))
    return [tuple(r) for r in merged]


def _common(a: Fmt, b: Fmt) -> Fmt:
    return Fmt(a.bold and b.bold, a.italic and b.italic, a.code and b.code, a.strike and b.strike,
               a.link if a.link == b.link else "")


def _covers(f: Fmt, base: Fmt) -> bool:
    """Can text formatted *f* be written inside *base* (only adding)?"""
    return ((f.bold or not base.bold) and (f.italic or not base.italic) and (f.code or not base.code)
            and (f.strike or not base.strike) and (f.link == base.link or not base.link))


_WS_RE = re.compile(r"(\s+)")
_CONT_RE = re.compile(r"\n[ \t]*(?:>[ \t]?)*")


def keep_breaks(old: str, new: str, cont: str | None = None) -> str:
    """*new* (written on one line) with the soft line breaks of *old* where
    the words on both sides of a break are unchanged.  A break brings what
    starts *old*'s next line (an item's indentation, "> "), or *cont*
    instead when given (a block written as another kind)."""
    if "\n" not in old:
        return new
    if cont is not None:
        old = _CONT_RE.sub("\n" + cont, old)
    old_parts, new_parts = _WS_RE.split(old), _WS_RE.split(new)
    old_words, new_words = old_parts[0::2], new_parts[0::2]
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag != "equal":
            continue
        # The gaps inside an unchanged run, and the one after it: a word typed
        # or deleted right at a line break keeps the break (and the line count).
        for k in range(i2 - i1):
            old_gap, new_gap = 2 * (i1 + k) + 1, 2 * (j1 + k) + 1
            if old_gap >= len(old_parts) or new_gap >= len(new_parts) - 1:
                break
            gap = old_parts[old_gap]
            if "\n" in gap and "\n" not in new_parts[new_gap] and not gap.startswith("  "):  # not a hard break
                new_parts[new_gap] = gap
    return "".join(new_parts)


# ---------------------------------------------------------------------------
# Whole blocks
# ---------------------------------------------------------------------------


def item_head(indent: str, marker: str) -> str:
    return f"{indent}{marker} "


_HEADING_BREAK_RE = re.compile(r"[ \t]*(?:\\|<br\s*/?>)?\n[ \t]*")
_HEADING_CLOSE_RE = re.compile(r"(^|[ \t])(#+[ \t]*)$")


def text_start(kind: str, src: str) -> str:
    """A text block's inline source *src*, kept as text where its block
    begins: after a heading's "#"s, a list item's marker or a quote's ">", a
    typed "# " (a heading), "- " (a list), "> " (a quote) or "1. " was
    read as that, in the saved file and after the next load (a paragraph
    typed "# We answer" became a heading).  A heading keeps a typed ">" at
    its start (the editor read it as a quote) and "#"s at its end after a
    space (they close it)."""
    if kind == HEADING:
        # A heading is one line: a line break (Shift+Enter) in one ended it there,
        # the rest a paragraph (with any bold around the break shown as "**").
        src = _HEADING_BREAK_RE.sub(" ", src)
        if src[:1] == ">":
            src = "\\" + src
        return _HEADING_CLOSE_RE.sub(lambda m: m.group(1) + "\\" + m.group(2), src, count=1)
    if kind in (PARAGRAPH, ITEM, QUOTE):
        # (Spaces typed at its start: four made code of it in export; fewer showed nothing.)
        first, sep, rest = src.partition("\n")
        first = escape_block_start(first.lstrip(" \t"))
        if not sep or kind == QUOTE:  # (a quote's next lines begin with its own ">")
            return first + sep + rest
        # A line after a line break ("# x" after Shift+Enter) would start a block there too.
        return first + sep + "\n".join(_indent(line) + escape_block_start(line[len(_indent(line)):])
                                        for line in rest.split("\n"))
    return src


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def block_lines(kind: str, src: str, level: int = 0, head: str = "", foot: str = "") -> list[str]:
    """The lines of a text block written from its inline source."""
    src = text_start(kind, src)
    if kind == HEADING:
        return [(head or "#" * level + " ") + src + foot]
    if kind in (PARAGRAPH, ITEM, QUOTE):
        return (head + src).split("\n")
    return src.split("\n")


_ITEM_HEAD_RE = re.compile(r"^([ \t]*)(?:([-+*])|(\d{1,9})([.)]))([ \t]*)$")


def _list_kind(head: str) -> str:
    """What makes items one list: the same bullet, or the same delimiter after a number."""
    parsed = _ITEM_HEAD_RE.match(head)
    return "" if parsed is None else parsed.group(2) or parsed.group(4)


class ListNumbers:
    """How a new list item is marked: like the item above it in the same
    list (its indentation, bullet or delimiter, the spaces after), numbered
    on from it where that list counts ("1.", "2.") and with the same number
    where it does not ("1." on every item).  ``seen`` is told every item
    written, in order; ``clear`` where a list ends."""

    def __init__(self, counting: bool = False):
        self.counting = counting  # the document's own habit, for a list of one item
        self._heads: dict[int, list[str]] = {}

    def clear(self) -> None:
        self._heads.clear()

    def seen(self, level: int, head: str) -> bool:
        """Count an item; True when it starts another list right after one
        at its depth (a bullet after numbers: a blank line must part them)."""
        for deeper in [d for d in self._heads if d > level]:
            del self._heads[deeper]
        heads = self._heads.setdefault(level, [])
        fresh = bool(heads) and _list_kind(heads[-1]) != _list_kind(head)
        if fresh:
            heads.clear()  # another bullet or delimiter: another list
        heads.append(head)
        return fresh

    def next_head(self, level: int, ordered: bool) -> str | None:
        """The head of a new item after the last one seen at depth *level*,
        or None when there is none of that kind to follow."""
        heads = self._heads.get(level)
        parsed = _ITEM_HEAD_RE.match(heads[-1]) if heads else None
        if parsed is None or bool(parsed.group(3)) != ordered:
            return None
        indent, bullet, digits, delimiter, gap = parsed.groups()
        if not ordered:
            return f"{indent}{bullet}{gap or ' '}"
        numbers = [int(m.group(3)) for h in heads if (m := _ITEM_HEAD_RE.match(h)) and m.group(3)]
        counts = any(a != b for a, b in zip(numbers, numbers[1:])) if len(numbers) > 1 else self.counting
        return f"{indent}{int(digits) + 1 if counts else digits}{delimiter}{gap or ' '}"

    def last_head(self, level: int) -> str | None:
        """The head of the last item seen at depth *level* (None: none)."""
        heads = self._heads.get(level)
        return heads[-1] if heads else None

    def count(self, level: int) -> int:
        """How many items depth *level* of the current list has had."""
        return len(self._heads.get(level, []))


class Assembler:
    """Joins blocks into a body.  Untouched blocks bring their original lines
    and blank lines; a written block is separated from its neighbours by a
    blank line, except list items that follow list items."""

    def __init__(self, lead: list[str]):
        self.lines: list[str] = list(lead)
        self._last_kind = ""
        self._last_tail = True
        self.last_written = False  # the block before was written, not brought as it was
        self.starts: list[int] = []  # first line of each block added, in order

    def original(self, unit: Unit, kind: str, apart: bool = False) -> None:
        """*unit* as it was: its lines and blank lines, byte for byte (after
        a blank line when *apart* and the block before was written)."""
        self._separate(kind, True)
        if apart and self.last_written:
            self.apart()
        self.starts.append(len(self.lines))
        self.lines.extend(unit.raw)
        self._last_kind, self._last_tail, self.last_written = kind, True, False

    def written(self, kind: str, lines: list[str], placed: bool, tail: list[str] | None = None,
                apart: bool = False) -> None:
        """A written block: *placed* where an original block stood (no blank
        line is added before it, unless *apart*), with that block's blank
        lines (*tail*) when it is the last block made from it."""
        self._separate(kind, placed)
        if apart:
            self.apart()
        self.starts.append(len(self.lines))
        self.lines.extend(lines)
        if tail:
            self.lines.extend(tail)
        self._last_kind, self._last_tail, self.last_written = kind, tail is not None, True

    def apart(self) -> None:
        """A blank line here, unless there is one."""
        if self.lines and self.lines[-1].strip():
            self.lines.append("")

    def _separate(self, kind: str, placed: bool) -> None:
        if not self.lines or not self.lines[-1].strip():
            return
        if placed and self._last_tail:
            return
        if kind == ITEM and self._last_kind == ITEM:
            return
        self.lines.append("")

    def text(self, ends_with_newline: bool) -> str:
        lines = self.lines
        if ends_with_newline and (not lines or lines[-1] != ""):
            lines = lines + [""]
        return "\n".join(lines)
