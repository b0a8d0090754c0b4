"""The longest common subsequence of two word lists, as the word alignment
asks for it: rapidfuzz's Indel results (matching blocks, opcodes,
normalised similarity) and the common prefix and suffix of two texts.

rapidfuzz computes them in C++, but importing it costs a fresh process
about 5 ms (its package loads every metric), more than a small comparison
spends on all its words.  So the first calls of a process are answered
here in Python, with the same bit-parallel LCS and the same walk back
through its matrix, which gives the very alignment rapidfuzz gives
(tests/test_diff_lcs.py compares them on random word lists); once the
words aligned here pass ``BUDGET``, rapidfuzz is imported and answers the
rest (it is many times quicker per call).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

# Words (of both sides, after their shared ends) aligned in Python before
# rapidfuzz is imported: about 1 ms of Python, a fifth of the import.
BUDGET = 6000
_left = BUDGET
_rf = None  # rapidfuzz's Indel, Prefix and Postfix (``_Metric``: imported when first used) once the budget is spent


class _Metric:
    """One of rapidfuzz's distance modules, imported at its first use (the
    one loader of rapidfuzz: a comparison in which no paragraph changed
    needs none, and importing rapidfuzz costs a command several ms)."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str):
        value = getattr(importlib.import_module(f"rapidfuzz.distance.{self._name}"), attr)
        setattr(self, attr, value)  # found directly from now on
        return value


# rapidfuzz's Indel (C++ LCS: ~20x faster than difflib on paragraph-sized
# token lists), or None without rapidfuzz: the word alignment then uses difflib.
INDEL = _Metric("Indel") if importlib.util.find_spec("rapidfuzz") is not None else None


def _rapidfuzz():
    """rapidfuzz's metrics (each imported when first used), or None while
    the budget lasts and no one imported rapidfuzz."""
    global _rf
    if _rf is None and (_left <= 0 or "rapidfuzz.distance.Indel" in sys.modules):
        _rf = (INDEL, _Metric("Prefix"), _Metric("Postfix"))
    return _rf


def _spend(cost: int) -> bool:
    """Whether a call of *cost* words is answered in Python (the budget
    lasts); once spent, rapidfuzz answers."""
    global _left
    if _rf is not None:
        return False
    if cost > _left:
        _left = 0
        return False
    _left -= cost
    return True


def prefix(a: str, b: str) -> int:
    """The length of the longest common prefix (``Prefix.similarity``)."""
    rf = _rapidfuzz()
    return _prefix(a, b) if rf is None else rf[1].similarity(a, b)


def _prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    if a.isascii() and b.isascii():
        # The first byte that differs is the highest bit of the XOR of the
        # two as big numbers (a few calls in C, no loop).
        x = int.from_bytes(a[:n].encode(), "big") ^ int.from_bytes(b[:n].encode(), "big")
        return n - 1 - (x.bit_length() - 1) // 8 if x else n
    if a[:n] == b[:n]:
        return n
    lo, hi = 0, n  # a[:lo] == b[:lo], a[:hi] != b[:hi]
    while hi - lo > 1:
        mid = (lo + hi) >> 1
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid
    return lo


def suffix(a: str, b: str) -> int:
    """The length of the longest common suffix (``Postfix.similarity``)."""
    rf = _rapidfuzz()
    return _suffix(a, b) if rf is None else rf[2].similarity(a, b)


def _suffix(a: str, b: str) -> int:
    la, lb = len(a), len(b)
    n = min(la, lb)
    if a.isascii() and b.isascii():  # (as _prefix, the bytes read from the end)
        x = int.from_bytes(a[la - n:].encode(), "little") ^ int.from_bytes(b[lb - n:].encode(), "little")
        return n - 1 - (x.bit_length() - 1) // 8 if x else n
    if a[la - n:] == b[lb - n:]:
        return n
    lo, hi = 0, n  # the last lo characters are the same, the last hi not
    while hi - lo > 1:
        mid = (lo + hi) >> 1
        if a[la - mid:la - lo] == b[lb - mid:lb - lo]:
            lo = mid
        else:
            hi = mid
    return lo


def _editops(a: list, b: list) -> list[tuple[bool, int, int]]:
    """rapidfuzz's ``Indel.editops(a, b)`` as (deleted?, source position,
    destination position): the shared ends set aside, the bit-parallel LCS
    matrix of the rest (a row per word of *b*, a bit per word of *a*), and
    the walk back from its end that prefers a deletion, then an insertion,
    then a match, as rapidfuzz's does."""
    n1, n2 = len(a), len(b)
    p, m = 0, min(n1, n2)
    while p < m and a[p] == b[p]:
        p += 1
    s, m = 0, m - p
    while s < m and a[n1 - 1 - s] == b[n2 - 1 - s]:
        s += 1
    col, row = n1 - s - p, n2 - s - p
    rows: list[int] = []
    if col and row:
        found: dict = {}
        for i, x in enumerate(a[p:n1 - s]):
            found[x] = found.get(x, 0) | (1 << i)
        mask = (1 << col) - 1
        v = mask
        get = found.get
        add = rows.append
        for y in b[p:n2 - s]:
            u = v & get(y, 0)
            v = ((v + u) | (v - u)) & mask
            add(v)
    out: list[tuple[bool, int, int]] = []
    while row and col:
        if (rows[row - 1] >> (col - 1)) & 1:
            col -= 1
            out.append((True, col + p, row + p))
        else:
            row -= 1
            if row and not (rows[row - 1] >> (col - 1)) & 1:
                out.append((False, col + p, row + p))
            else:
                col -= 1
    while col:
        col -= 1
        out.append((True, col + p, row + p))
    while row:
        row -= 1
        out.append((False, col + p, row + p))
    out.reverse()
    return out


def matching_blocks(a: list, b: list) -> list[tuple[int, int, int]]:
    """``Indel.editops(a, b).as_matching_blocks()``: the runs both share as
    (i, j, size), and a last (len(a), len(b), 0)."""
    if _rapidfuzz() is None and _spend(len(a) + len(b)):
        return _matching_blocks(a, b)
    return _rapidfuzz()[0].editops(a, b).as_matching_blocks()


def _matching_blocks(a: list, b: list) -> list[tuple[int, int, int]]:
    out = []
    i = j = 0
    for deleted, src, dest in _editops(a, b):
        if src > i:
            out.append((i, j, src - i))
        i, j = (src + 1, dest) if deleted else (src, dest + 1)
    if i < len(a):
        out.append((i, j, len(a) - i))
    out.append((len(a), len(b), 0))
    return out


def opcodes(a: list, b: list) -> list[tuple[str, int, int, int, int]]:
    """``Indel.opcodes(a, b).as_list()``: equal runs, and runs of deletions
    and of insertions (never "replace": an Indel has no substitution)."""
    if _rapidfuzz() is None and _spend(len(a) + len(b)):
        return _opcodes(a, b)
    return _rapidfuzz()[0].opcodes(a, b).as_list()


def _opcodes(a: list, b: list) -> list[tuple[str, int, int, int, int]]:
    out: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for deleted, src, dest in _editops(a, b):
        if src > i or dest > j:
            out.append(("equal", i, src, j, dest))
        last = out[-1] if out else None
        if deleted:
            if last is not None and last[0] == "delete" and last[2] == src and last[4] == dest:
                out[-1] = ("delete", last[1], src + 1, last[3], dest)
            else:
                out.append(("delete", src, src + 1, dest, dest))
            i, j = src + 1, dest
        else:
            if last is not None and last[0] == "insert" and last[2] == src and last[4] == dest:
                out[-1] = ("insert", last[1], src, last[3], dest + 1)
            else:
                out.append(("insert", src, src, dest, dest + 1))
            i, j = src, dest + 1
    if i < len(a) or j < len(b):
        out.append(("equal", i, len(a), j, len(b)))
    return out


def _lcs(a: list, b: list) -> int:
    """The length of the longest common subsequence (the matrix's zero bits)."""
    if len(a) > len(b):
        a, b = b, a
    n = len(a)
    if not n:
        return 0
    found: dict = {}
    for i, x in enumerate(a):
        found[x] = found.get(x, 0) | (1 << i)
    mask = (1 << n) - 1
    v = mask
    get = found.get
    for y in b:
        u = v & get(y, 0)
        v = ((v + u) | (v - u)) & mask
    return n - v.bit_count()


def similarity(a: list, b: list) -> float:
    """``Indel.normalized_similarity(a, b)``: 1 - (words deleted and
    inserted) / (words of both), the same float."""
    if _rapidfuzz() is None and _spend(len(a) + len(b)):
        return _similarity(a, b)
    return _rapidfuzz()[0].normalized_similarity(a, b)


def _similarity(a: list, b: list) -> float:
    total = len(a) + len(b)
    return 1.0 - (total - 2 * _lcs(a, b)) / total if total else 1.0


def scores(olds: list[list], news: list[list], threshold: float) -> list[tuple[float, int, int]] | None:
    """(similarity, i, j) of each pair scoring at least *threshold*, old
    by old and new by new; None once rapidfuzz answers (its
    ``process.extract_iter`` scores them quicker)."""
    if _rapidfuzz() is not None or not _spend(len(olds) * sum(map(len, news)) + len(news) * sum(map(len, olds))):
        return None
    return _scores(olds, news, threshold)


def _scores(olds: list[list], news: list[list], threshold: float) -> list[tuple[float, int, int]]:
    found = []
    for i, a in enumerate(olds):
        for j, b in enumerate(news):
            score = _similarity(a, b)
            if score >= threshold:
                found.append((score, i, j))
    return found
