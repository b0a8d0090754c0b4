"""Stage 3 of the diff: the words of one changed block against its new
version.  Tokens keep their trailing whitespace, so "500 mg" -> "1 g"
reads as one clean replacement; normalised text (single spaces) takes a
faster road that builds the WordOps only when someone looks at them.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from guidelines_app.review.diff.blocks import Block
from guidelines_app.review.diff.model import WordOp

_TOKEN_RE = re.compile(r"\S+\s*")
_new_object = object.__new__


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


try:  # C++ LCS: ~20x faster than difflib on paragraph-sized token lists
    from rapidfuzz.distance import Indel as _Indel
    from rapidfuzz.distance import Postfix as _Postfix
    from rapidfuzz.distance import Prefix as _Prefix
except ImportError:  # pragma: no cover - difflib gives the same kind of result
    _Indel = None


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
