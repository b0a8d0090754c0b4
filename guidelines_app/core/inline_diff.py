"""A word diff in display terms: the (kind, source text) operations of a
changed block as the pieces a reader sees (``inline_markup.annotate`` maps
each source character to what it shows), the inserted and deleted words in
their place and with their formatting; and those pieces cut per side and
per table cell.  Used by the redlines and the compare view.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import groupby
from operator import itemgetter

from guidelines_app.core.inline_markup import (
    CELL,
    PLAIN,
    Fmt,
    Piece,
    Written,
    annotate_code,
    annotate_spans,
    has_markup_chars,
)


def _plain(text: str) -> bool:
    return (not has_markup_chars(text) and not text.startswith(">")
            and (not text or (text[0] != " " and text[-1] != " " and "  " not in text and text.isprintable())))


def display_pieces(ops, side: str = "new", kind: str = "text") -> list[Piece]:
    """The (kind, source text) pieces of a word diff as shown text.

    *side* decides whose markup the unchanged words follow ("new" for the
    inline view and the Word redline, "old" for the old column), *kind* is
    "text", "row" (cell borders become ``CELL``) or "code".  Spaces that
    markup leaves doubled or at either end are dropped, per side."""
    ops = [(o.kind, o.text) if hasattr(o, "kind") else o for o in ops]
    old_src = "".join(t for k, t in ops if k != "insert")
    new_src = "".join(t for k, t in ops if k != "delete")
    if kind == "text" and _plain(old_src) and _plain(new_src):
        # Most paragraphs: nothing to hide and no space to drop (each side is
        # single-spaced), so the pieces are the operations themselves.
        pieces: list[Piece] = []
        for k, text in ops:
            if not text:
                continue
            if pieces and pieces[-1].kind == k:
                pieces[-1] = Piece(k, pieces[-1].text + text)
            else:
                pieces.append(Piece(k, text))
        return pieces
    if kind == "code":
        old_ann, new_ann = annotate_code(old_src), annotate_code(new_src)
    else:
        old_ann, old_spans = annotate_spans(old_src, kind == "row")
        if new_src == old_src and old_ann:
            new_ann, new_spans = old_ann, old_spans
        else:
            new_ann, new_spans = annotate_spans(new_src, kind == "row")
    if kind != "code":
        pieces = _tight_pieces(ops, old_ann, new_ann, side, old_spans, new_spans)
        if pieces is not None:
            return pieces
        old_ann = old_ann.full() if isinstance(old_ann, Written) else old_ann
        new_ann = new_ann.full() if isinstance(new_ann, Written) else new_ann
    chars: list[tuple[str, str, Fmt]] = []
    for k, part in _parts(ops, old_ann, new_ann, side):
        chars += [(k, shown, fmt) for shown, fmt in part if shown]
    if kind != "code":
        chars = _collapse_spaces(chars)
    return _merge(chars)


def _parts(ops, old_ann, new_ann, side: str):
    """(kind, the annotated characters *side* shows) of each word-diff op."""
    io = jn = 0
    for k, text in ops:
        n = len(text)
        if k == "equal":
            yield k, (old_ann[io:io + n] if side == "old" else new_ann[jn:jn + n])
            io += n
            jn += n
        elif k == "delete":
            yield k, old_ann[io:io + n]
            io += n
        else:
            yield k, new_ann[jn:jn + n]
            jn += n


_SIDES = {"equal": ("old", "new"), "delete": ("old",), "insert": ("new",)}
_FORMAT = itemgetter(1)


def _tight_pieces(ops, old_ann, new_ann, side: str, old_spans: list[tuple[int, int]] | None = None,
                  new_spans: list[tuple[int, int]] | None = None) -> list[Piece] | None:
    """``display_pieces`` of text in which no space is to be dropped (see
    ``_collapse_spaces``; most paragraphs with markup), worked out a run of
    one format at a time rather than a character at a time; None when a
    space may have to go.

    *old_spans* and *new_spans* (``annotate_spans``): where each side's
    reading wrote; outside them a source stretch shows as itself, taken
    whole.  Without them every character is looked at."""
    sides = {True: (old_ann, [(0, len(old_ann))] if old_spans is None else old_spans),
             False: (new_ann, [(0, len(new_ann))] if new_spans is None else new_spans)}
    runs: list[list] = []  # [kind, shown text, format]
    io = jn = 0
    for k, text in ops:
        n = len(text)
        if k == "equal":
            on_old = side == "old"
            lo = io if on_old else jn
            io += n
            jn += n
        elif k == "delete":
            on_old, lo = True, io
            io += n
        else:
            on_old, lo = False, jn
            jn += n
        ann, spans = sides[on_old]
        at, hi = lo, lo + n
        # From the last span that starts at or before *at* (sorted and apart).
        s = bisect_right(spans, (at, _END)) - 1
        s = s if s > 0 else 0
        while s < len(spans):
            a, b = spans[s]
            s += 1
            if b <= at:
                continue
            if a >= hi:
                break
            if at < a:  # as written, unformatted
                _add_run(runs, k, text[at - lo:a - lo], PLAIN)
                at = a
            stop = b if b < hi else hi
            part = ann.chars(at, stop) if isinstance(ann, Written) else ann[at:stop]
            for fmt, group in groupby([c for c in part if c[0]], key=_FORMAT):
                _add_run(runs, k, "".join([c[0] for c in group]), fmt)
            at = stop
        if at < hi:
            _add_run(runs, k, text[at - lo:], PLAIN)
    if (_loose_space("".join([t for k, t, _f in runs if k != "insert"]))
            or _loose_space("".join([t for k, t, _f in runs if k != "delete"]))):
        return None
    return [Piece(k, t, f) for k, t, f in runs]


_END = float("inf")


def _add_run(runs: list[list], kind: str, shown: str, fmt: Fmt) -> None:
    """Add shown text to *runs*, joined to the last run of the same kind and format."""
    last = runs[-1] if runs else None
    if last is not None and last[0] == kind and last[2] == fmt:
        last[1] += shown
    else:
        runs.append([kind, shown, fmt])


def _collapse_spaces(chars: list[tuple[str, str, Fmt]]) -> list[tuple[str, str, Fmt]]:
    """No space at the start, after another space or a cell border, or at
    the end or before a border, looking at each side (old = equal + delete,
    new = equal + insert) on its own: a space goes when every side it is on
    has no use for it."""
    if not any(_loose_space(side) for side in _side_texts(chars)):
        return chars  # most paragraphs: single spaces between words only
    last = {"old": " ", "new": " "}
    kept = []
    for k, text, fmt in chars:
        if text == " " and all(last[s] in (" ", CELL, "\n") for s in _SIDES[k]):
            continue
        kept.append((k, text, fmt))
        for s in _SIDES[k]:
            last[s] = text[-1]
    out: list[tuple[str, str, Fmt]] = []
    nxt = {"old": None, "new": None}  # the next shown text on each side
    for k, text, fmt in reversed(kept):
        if text == " " and all(nxt[s] in (None, CELL, "\n") for s in _SIDES[k]):
            continue
        out.append((k, text, fmt))
        for s in _SIDES[k]:
            nxt[s] = text[0]
    out.reverse()
    return out


def _side_texts(chars: list[tuple[str, str, Fmt]]) -> tuple[str, str]:
    """The old side's (equal + delete) and the new side's (equal + insert) shown text."""
    return ("".join([text for k, text, _fmt in chars if k != "insert"]),
            "".join([text for k, text, _fmt in chars if k != "delete"]))


def _loose_space(text: str) -> bool:
    """Whether *text* holds a space ``_collapse_spaces`` might drop: at
    either end, doubled, or next to a line break or a cell border."""
    return (text[:1] == " " or text[-1:] == " " or "  " in text or "\n " in text or " \n" in text
            or f" {CELL}" in text or f"{CELL} " in text)


def _merge(chars: list[tuple[str, str, Fmt]]) -> list[Piece]:
    return [Piece(k, "".join([c[1] for c in run]), fmt) for (k, fmt), run in groupby(chars, key=_KIND_AND_FORMAT)]


_KIND_AND_FORMAT = itemgetter(0, 2)


def side_text(pieces: list[Piece], side: str = "new") -> str:
    skip = "delete" if side == "new" else "insert"
    return "".join(p.text for p in pieces if p.kind != skip)


def split_cells(pieces: list[Piece], side: str = "new") -> list[list[Piece]]:
    """A row's pieces cut at the cell borders of *side* (a border only the
    other side has stays inside a cell); empty leading/trailing borders of
    the row are not cells."""
    other = "insert" if side == "old" else "delete"
    cells: list[list[Piece]] = [[]]
    for p in pieces:
        if CELL not in p.text:
            cells[-1].append(p)
            continue
        parts = p.text.split(CELL)
        for n, part in enumerate(parts):
            if n and p.kind != other:
                cells.append([])
            if part:
                cells[-1].append(Piece(p.kind, part, p.fmt))
    for cell in cells:
        # Spaces around a border belong to neither cell.
        while cell and not cell[0].text.strip(" "):
            cell.pop(0)
        while cell and not cell[-1].text.strip(" "):
            cell.pop()
        if cell:
            cell[0] = Piece(cell[0].kind, cell[0].text.lstrip(" "), cell[0].fmt)
            cell[-1] = Piece(cell[-1].kind, cell[-1].text.rstrip(" "), cell[-1].fmt)
    return cells
