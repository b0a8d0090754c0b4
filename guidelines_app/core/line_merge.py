"""A three-way merge of lines: two people's changes to the text both
started from, put together where they do not touch the same lines (as
git's own merge does); a section of a guideline document merged apart from
the blank lines that end it.  No git here (``core.conflicts`` uses it)."""

from __future__ import annotations

import difflib

OURS, THEIRS = "ours", "theirs"


def merge_lines(base: list[str], ours: list[str], theirs: list[str]) -> list[str] | None:
    """*ours* and *theirs* changes to *base* together, or None when they touch
    the same lines differently."""
    if ours == theirs or theirs == base:
        return list(ours)
    if ours == base:
        return list(theirs)
    hunks = sorted([(a, b, OURS, ours[c:d]) for a, b, c, d in _changes(base, ours)]
                   + [(a, b, THEIRS, theirs[c:d]) for a, b, c, d in _changes(base, theirs)],
                   key=lambda h: (h[0], h[1]))
    merged, pos, n = [], 0, 0
    while n < len(hunks):
        start, end, _side, lines = hunks[n]
        group = [hunks[n]]
        n += 1
        while n < len(hunks) and hunks[n][0] <= end:  # touching changes count as one place, as in git
            group.append(hunks[n])
            end = max(end, hunks[n][1])
            n += 1
        if len({side for _a, _b, side, _l in group}) > 1:
            texts = {side: _apply(base, start, end, [h for h in group if h[2] == side]) for side in (OURS, THEIRS)}
            if texts[OURS] != texts[THEIRS]:
                return None
            lines = texts[OURS]
        else:
            lines = _apply(base, start, end, group)
        merged += base[pos:start] + lines
        pos = end
    return merged + base[pos:]


def _changes(base: list[str], other: list[str]) -> list[tuple[int, int, int, int]]:
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _apply(base: list[str], start: int, end: int, hunks: list) -> list[str]:
    out, pos = [], start
    for a, b, _side, lines in hunks:
        out += base[pos:a] + lines
        pos = b
    return out + base[pos:end]


def merge_section(base: str, ours: str, theirs: str) -> str | None:
    """A section both sides changed, merged line by line (``merge_lines``),
    or None.  The blank lines that end it, before the next heading, are
    merged apart from its text: a section added after it (a blank line
    and a heading, the blank line counted in this section) does not touch
    a change to its last line."""
    (b, b_end), (o, o_end), (t, t_end) = (_trailing_blanks(x) for x in (base, ours, theirs))
    merged = merge_lines(b, o, t)
    if merged is None:
        return None
    return "".join(merged) + (t_end if o_end == b_end else o_end)


def _trailing_blanks(text: str) -> tuple[list[str], str]:
    """(the lines of *text* up to its trailing blank lines, those lines)."""
    lines = text.splitlines(keepends=True)
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end], "".join(lines[end:])
