"""Word's numbering definitions, read for an import: each list's levels
(numbered or bullets, the number it starts at, its text's indentation,
its format and number text) and a number written as Word shows it.

A level's number text ("lvlText") is a pattern: "%1." is the level's own
number and a dot, "%1.%2" a multi-level number ("2.3"), each "%n" in its
level's format (1, 01, A, a, IV, iv, 1st) unless the level is "legal"
(isLgl: every number in digits).  Headings numbered by Word come in with
their number as their text ("## 3\\. Rules"), so "see section 3" still
points at something.
"""

from __future__ import annotations

import re
from typing import NamedTuple

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"


class Level(NamedTuple):
    ordered: bool  # numbered (not bullets, not "none")
    start: int  # the number it starts at
    left: int | None  # its items' text's indentation (twips), or None
    fmt: str = "decimal"  # numFmt: decimal, upperLetter, lowerRoman, bullet, none…
    text: str = ""  # lvlText: "%1.", "%1.%2", "Article %1"
    legal: bool = False  # isLgl: every level's number in digits
    style: str = ""  # the paragraph style (id) this level is tied to, if any


class ListDef(NamedTuple):
    """A list (a numId) as its definitions say it."""

    abstract: str  # the definition (abstractNumId) it shares with other lists
    levels: dict[int, Level]
    restarts: frozenset[int]  # the levels it starts again (startOverride)


def read_numbering(part) -> dict[str, ListDef]:
    """numId -> ``ListDef`` of a document's numbering part (*part*:
    python-docx's document part); {} for a document without lists."""
    try:
        numbering = part.numbering_part.element
    except Exception:  # noqa: BLE001 - a document without lists
        return {}
    abstract: dict[str, dict[int, Level]] = {}
    for a in numbering.findall(f"{_W}abstractNum"):
        abstract[a.get(f"{_W}abstractNumId")] = {_int(lvl.get(f"{_W}ilvl")): _level(lvl) for lvl in a.findall(f"{_W}lvl")}
    result = {}
    for num in numbering.findall(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        if ref is not None:
            levels, restarts = dict(abstract.get(_val(ref), {})), set()
            for override in num.findall(f"{_W}lvlOverride"):
                at = _int(override.get(f"{_W}ilvl"))
                lvl = override.find(f"{_W}lvl")
                if lvl is not None:  # (the whole level redefined for this list)
                    levels[at] = _level(lvl)
                    restarts.add(at)
                start = override.find(f"{_W}startOverride")  # "restart at 5" for this list
                if start is not None and at in levels:
                    levels[at] = levels[at]._replace(start=_start(start))
                    restarts.add(at)
            result[num.get(f"{_W}numId")] = ListDef(_val(ref), levels, frozenset(restarts))
    return result


NO_LEVEL = Level(False, 1, None)  # (a level its list does not define)


class Numbers:
    """Word's count of the numbered paragraphs read so far: per list
    definition (lists that share one count on, as in Word: LibreOffice
    writes a heading list that way), each level starting again under an
    item of a higher level, a list that restarts (startOverride) at its
    start when its first item at that level comes."""

    def __init__(self, lists: dict[str, ListDef]):
        self.lists = lists
        self.values: dict[str, list[int | None]] = {}  # definition -> each level's number now (None: not begun)
        self.begun: set[tuple[str, int]] = set()  # (numId, level) of restarts done

    def level(self, num_id: str, level: int) -> Level:
        found = self.lists.get(num_id)
        return found.levels.get(level, NO_LEVEL) if found is not None else NO_LEVEL

    def count(self, num_id: str, level: int) -> int:
        """The number of the next item at *level* of list *num_id*."""
        found = self.lists.get(num_id)
        values = self.values.setdefault(found.abstract if found is not None else f"#{num_id}", [None] * 9)
        restart = found is not None and level in found.restarts and (num_id, level) not in self.begun
        self.begun.add((num_id, level))
        now = values[level]
        values[level] = self.level(num_id, level).start if now is None or restart else now + 1
        values[level + 1:] = [None] * (8 - level)  # (a deeper level starts again under it)
        return values[level]  # type: ignore[return-value]

    def shown(self, num_id: str, level: int) -> str:
        """The number Word shows for the item at *level* just counted."""
        found = self.lists.get(num_id)
        if found is None:
            return ""
        values = self.values[found.abstract]
        # (a level not begun shows the number before its start: Word's "0.1"
        # for a Heading 2 before any Heading 1)
        return number_text(found.levels, [self.level(num_id, at).start - 1 if v is None else v
                                          for at, v in enumerate(values)], level)


def number_text(levels: dict[int, Level], values: list[int], level: int) -> str:
    """The number Word shows for an item at *level* of a list (*levels*,
    from ``read_numbering``) when each level's current number is
    *values[n]*: "3.", "2.1", "B.", "iv)"; "" for bullets or no number."""
    own = levels.get(level)
    if own is None or not own.ordered or not own.text:
        return ""

    def value(m: re.Match) -> str:
        at = int(m.group(1)) - 1
        ref = levels.get(at)
        if ref is None or at >= len(values) or ref.fmt == "none":
            return ""
        return format_number(values[at], "decimal" if own.legal else ref.fmt)

    shown = re.sub(r"%([1-9])", value, own.text).strip()
    return shown if any(c.isalnum() for c in shown) else ""


def format_number(n: int, fmt: str) -> str:
    """*n* in Word's number format *fmt* (digits for a format not known)."""
    if n <= 0 or fmt in ("decimal", ""):
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # (Word: Z, AA, BB…)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "ordinal":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def _level(lvl) -> Level:
    fmt = lvl.find(f"{_W}numFmt")
    fmt_name = _val(fmt) if fmt is not None else "decimal"
    text = lvl.find(f"{_W}lvlText")
    style = lvl.find(f"{_W}pStyle")
    legal = lvl.find(f"{_W}isLgl")
    return Level(fmt is not None and fmt_name not in ("bullet", "none"), _start(lvl.find(f"{_W}start")),
                 left_indent(lvl.find(f"{_W}pPr")), fmt_name, text.get(f"{_W}val") or "" if text is not None else "",
                 legal is not None and (legal.get(f"{_W}val") or "true") not in ("0", "false", "off"),
                 _val(style) if style is not None else "")


def left_indent(ppr) -> int | None:
    """The left indentation (twips) a paragraph's (or a list level's)
    properties *ppr* give, or None when they give none."""
    ind = ppr.find(f"{_W}ind") if ppr is not None else None
    value = None if ind is None else ind.get(f"{_W}left") or ind.get(f"{_W}start")
    return int(value) if value and value.lstrip("-").isdigit() else None


def _val(el) -> str:
    return el.get(f"{_W}val") or ""


def _int(text: str | None, default: int = 0) -> int:
    return int(text) if text and text.isdigit() else default


def _start(el) -> int:
    """The number a list level starts at (1 when not said)."""
    return max(0, min(_int(_val(el), 1), 999_999_999)) if el is not None else 1
