"""Stage 3 of the diff: the words of one changed block against its new
version.  Every word both versions share is kept, however short (the
longest alignment, as ``git diff --word-diff`` finds), and a changed run
whose two sides share a word once punctuation is set apart ("owner." ->
"owner and Legal.") is aligned again by its parts, so that only "and
Legal" reads as new.  Tokens keep their trailing whitespace, so "500 mg"
-> "1 g" reads as one clean replacement; normalised text (single spaces)
takes a faster road that builds the WordOps only when someone looks at
them.
"""

from __future__ import annotations

import re

from guidelines_app.review.diff import lcs
from guidelines_app.review.diff.blocks import Block
from guidelines_app.review.diff.model import WordOp

# Patterns that only some comparisons need are compiled on first use
# (``re``'s cache keeps them): compiling them all cost every fresh
# comparison a fifth of a millisecond.
_TOKEN = r"\S+\s*"
_new_object = object.__new__


def tokens(text: str) -> list[str]:
    return re.findall(_TOKEN, text)


_Indel = lcs.INDEL  # None without rapidfuzz


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """SequenceMatcher-style opcodes of two word lists."""
    if _Indel is not None:
        return lcs.opcodes(a, b)
    from difflib import SequenceMatcher  # (without rapidfuzz only)

    return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _matching_blocks(a: list[str], b: list[str]):
    """The runs two word lists share, as (i, j, size), the same runs as the
    "equal" opcodes of ``_opcodes``, and a last (len(a), len(b), 0)."""
    na, nb = len(a), len(b)
    if na <= 1 and nb <= 1:  # one word for another (or none): told without the matcher
        return [(0, 0, 1), (1, 1, 0)] if na and nb and a[0] == b[0] else [(na, nb, 0)]
    if _Indel is not None:
        return lcs.matching_blocks(a, b)
    from difflib import SequenceMatcher  # (without rapidfuzz only)

    return SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()


def _align(a: list[str], b: list[str], head: int = 0, tail: int = 0, head_chars: int = 0,
           tail_chars: int = 0, pipes: bool = True, refine: bool = True,
           b_chars: int | None = None) -> tuple[list[list], int, int, int]:
    """The runs of two word lists, with the characters they keep and the
    words deleted and inserted.

    Long on purpose: it is the word diff's hot loop, run on every changed
    paragraph; the tests that tell a changed run cannot be refined are
    written inline because a call per run cost most of what refining costs
    on the benchmark.

    Runs are [same?, i1, i2, j1, j2, refined], same and changed in turn.  A
    changed run of words on both sides that share a word once punctuation
    is set apart ("owner." -> "owner and Legal.") is aligned again, finer
    (``_refined``); *refined* is then its pieces, else None.  The characters
    kept count the words of the same runs as joined by single spaces (plus
    the space after a run that does not end either text), and the pieces
    a refined run keeps.  A word counts as deleted (inserted) when any of
    its characters is; "|" (a table cell border, looked for only with
    *pipes*) is not a word.

    *a* and *b* may be the middles of two longer lists that share their
    first *head* and last *tail* words (*head_chars* and *tail_chars*
    characters, joined): the runs are then those of the whole lists.
    *b_chars*, when known, is the length of *b* joined by single spaces."""
    na, nb = len(a), len(b)
    equal = kept = 0
    deleted, inserted = na, nb  # less the words kept, and those of refined runs kept in part
    segs: list[list] = []
    add = segs.append
    if head:  # a run of its own: the middles start with a change
        add([True, 0, head, 0, head, None])
        equal = head_chars + (tail > 0 or na > 0 and nb > 0)
    refined = 0  # changed runs aligned again, finer
    # The characters of b's words in changed runs, each word with the space
    # after it: the same runs keep the others (see the end).
    changed_chars = 0
    non_word = _NON_WORD_RE.search
    i = j = 0
    for bi, bj, size in _matching_blocks(a, b):  # the last, (na, nb, 0), closes the last changed run
        if j < bj:
            y = b[j] if bj - j == 1 else " ".join(b[j:bj])  # the new words of the run
            changed_chars += len(y) + 1
            seg = [False, i + head, bi + head, j + head, bj + head, None]
            add(seg)
            if i < bi and refine:
                if bi - i == 1 and bj - j == 1:  # one word for another, the usual edit (see _may_share)
                    x = a[i]
                    if not (x.isalnum() and y.isalnum()) and _may_share(x, y):
                        refined += _refine(seg, x, y, bi < na or tail > 0, bj < nb or tail > 0)
                else:
                    x = " ".join(a[i:bi])
                    # Words of letters and digits only share no part (see _refined): told without a call.
                    if non_word(x) or non_word(y) or _Indel is None:
                        refined += _refine(seg, x, y, bi < na or tail > 0, bj < nb or tail > 0)
        elif i < bi:
            add([False, i + head, bi + head, j + head, bj + head, None])
        if not size:
            break
        end_a, end_b = bi + size, bj + size
        add([True, bi + head, end_a + head, bj + head, end_b + head, None])
        kept += size
        i, j = end_a, end_b
    if kept:
        # The same runs' words joined, each run with the space after it
        # unless it ends either text (only the last can): b's words, each
        # with a space, less those of the changed runs.
        if b_chars is None:
            b_chars = len(" ".join(b))
        equal += b_chars + 1 - changed_chars - (not tail and (i == na or j == nb))
    deleted -= kept
    inserted -= kept
    if pipes or refined:
        for same, i1, i2, j1, j2, pieces in segs:
            if same:
                continue
            if pieces is not None:  # its own counts, in place of its words'
                deleted -= i2 - i1 - pieces[1]
                inserted -= j2 - j1 - pieces[2]
                equal += pieces[3]
            elif pipes:
                deleted -= a[i1 - head:i2 - head].count("|")
                inserted -= b[j1 - head:j2 - head].count("|")
    if tail:
        add([True, head + na, head + na + tail, head + nb, head + nb + tail, None])
        equal += tail_chars
    return segs, equal, deleted, inserted


_END_PUNCTUATION = ".,;:!?"


def _may_share(x: str, y: str) -> bool:
    """Whether two different words, not both all letters and digits (which
    never share a part), may share a part.  Letters and digits with
    punctuation after them ("review." and "brand,") share one only if those
    are the same; with other characters, ``_refined`` tells."""
    x, y = x.rstrip(_END_PUNCTUATION), y.rstrip(_END_PUNCTUATION)
    return x == y or not (x.isalnum() and y.isalnum())


def _refine(seg: list, old: str, new: str, old_goes_on: bool, new_goes_on: bool) -> bool:
    """Refine the changed run *seg*, of the words *old* against *new*, when
    it gains by it (see ``_refined``); whether it did.  *old_goes_on*: a
    word follows the run in the old text."""
    seg[5] = _refined(old, new, old_goes_on, new_goes_on)
    return seg[5] is not None


# The parts a changed run is aligned by, finer than its words: runs of
# word characters, and each other character (punctuation, a space) alone.
# A word holding Markdown or HTML syntax (a link, a tag, emphasis, code, an
# entity) stays whole: a change inside it ("https://[-a-]{+b+}.example")
# would not show in the text a reader sees.
_PARTS = r"[^][<>`*~|\\{}&\s]*[][<>`*~|\\{}&]\S*|\w+|\s+|[^\w\s]"
_WORD_PART_RE = re.compile(r"\w+")
_NON_WORD_RE = re.compile(r"[^\w\s]")


def _refined(old: str, new: str, old_goes_on: bool, new_goes_on: bool) -> tuple | None:
    """(pieces, deleted, inserted, kept characters) of a changed run whose
    two sides share a word once punctuation is set apart, or None.

    The words of the run are split into parts (``_PARTS``) and aligned
    again: "owner." -> "owner and Legal." keeps "owner" and ".".  Pieces
    are (kind, text), neighbours of the same kind joined, the space after
    the run included (kept, deleted or inserted as the texts go on).  A
    kept piece of spaces and punctuation only between two changes is
    folded into them, so that the changed words read as a phrase."""
    if _Indel is not None and not (_NON_WORD_RE.search(old) or _NON_WORD_RE.search(new)):
        return None  # an optimal alignment left no word both sides share: only punctuation can hide one
    if not any(part in new for part in _WORD_PART_RE.findall(old)):
        return None  # no word part of the old side anywhere in the new: quicker to tell than the parts
    a, b = re.findall(_PARTS, old), re.findall(_PARTS, new)
    if not any(_WORD_PART_RE.search(part) for part in set(a).intersection(b)):
        return None  # no word (or word part) to keep: the run stays one change
    # Groups: a str is kept text, a list [deleted, inserted] a change.
    groups: list = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        if tag == "equal":
            groups.append("".join(a[i1:i2]))
            continue
        gone, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if len(groups) >= 2 and isinstance(groups[-2], list) and not _WORD_PART_RE.search(groups[-1]):
            kept = groups.pop()  # spaces and punctuation between two changes: part of them
            groups[-1][0] += kept + gone
            groups[-1][1] += kept + added
        elif groups and isinstance(groups[-1], list):
            groups[-1][0] += gone
            groups[-1][1] += added
        else:
            groups.append([gone, added])
    if old_goes_on and new_goes_on:
        if groups and isinstance(groups[-1], str):
            groups[-1] += " "
        else:
            groups.append(" ")
    elif old_goes_on or new_goes_on:
        if not isinstance(groups[-1], list):
            groups.append(["", ""])
        groups[-1][0 if old_goes_on else 1] += " "
    pieces: list[tuple[str, str]] = []
    for g in groups:
        if isinstance(g, str):
            pieces.append(("equal", g))
        else:
            if g[0]:
                pieces.append(("delete", g[0]))
            if g[1]:
                pieces.append(("insert", g[1]))
    kept_chars = sum(len(g) for g in groups if isinstance(g, str))
    return pieces, _touched(pieces, "delete"), _touched(pieces, "insert"), kept_chars


def _touched(pieces, kind: str) -> int:
    """How many words of one side ("delete": the old text, "insert": the
    new) a *kind* piece changes, in whole or in part; "|" (a table cell
    border) is not a word.  *pieces*: (kind, text) pairs or WordOps."""
    spans: list[tuple[int, int]] = []
    parts: list[str] = []
    at = 0
    for piece in pieces:
        k, text = (piece.kind, piece.text) if isinstance(piece, WordOp) else piece
        if k == "equal" or k == kind:
            if k == kind and not text.isspace():
                spans.append((at, at + len(text)))
            parts.append(text)
            at += len(text)
    if not spans:
        return 0
    count = n = 0
    last = len(spans)
    for m in _WORD_RE.finditer("".join(parts)):
        start, end = m.span()
        while n < last and spans[n][1] <= start:
            n += 1
        if n == last:
            break
        if spans[n][0] < end and m.group() != "|":
            count += 1
    return count


_WORD_RE = re.compile(r"\S+")


def changed_words(ops: list[WordOp]) -> tuple[int, int]:
    """(inserted, deleted): the words of the new and the old text that the
    word diff *ops* changes, in whole or in part."""
    return _touched(ops, "insert"), _touched(ops, "delete")


def _shared_ends(old: str, new: str) -> tuple[int, int, int, int]:
    """(head, tail, head_chars, tail_chars): how many words two normalised
    texts share at their start and, of the words left, at their end, and
    those runs' lengths in characters (the words joined by single spaces).
    Found from the common prefix and suffix of characters, without
    splitting the words."""
    lo, ln = len(old), len(new)
    p = lcs.prefix(old, new)
    if p == lo and (p == ln or new[p] == " "):  # old's words begin new's (or are all of them)
        return old.count(" ") + 1, 0, lo, 0
    if p == ln and old[p] == " ":
        return new.count(" ") + 1, 0, ln, 0
    head_chars = old.rfind(" ", 0, p)  # the words before the last space both share
    if head_chars < 0:
        head = head_chars = rest = 0
    else:
        head, rest = old.count(" ", 0, head_chars) + 1, head_chars + 1  # rest: where the other words start
    s = min(lcs.suffix(old, new), lo - rest, ln - rest)
    if s == lo - rest and new[ln - s - 1] == " ":  # old's remaining words end new's
        return head, old.count(" ", rest) + 1, head_chars, s
    if s == ln - rest and old[lo - s - 1] == " ":
        return head, new.count(" ", rest) + 1, head_chars, s
    q = old.find(" ", lo - s)  # the first space of the common end
    if q < 0:
        return head, 0, head_chars, 0
    return head, old.count(" ", q), head_chars, lo - q - 1


def _segments(a: list[str], b: list[str], refine: bool = True) -> list[list]:
    """The same and changed runs of two word lists (see ``_align``)."""
    return _align(a, b, pipes=False, refine=refine)[0]


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

    __slots__ = ("old", "new", "segs", "equal_chars", "inserted", "deleted", "_words")

    def __init__(self, old: str, new: str, old_words: list[str] | None = None, new_words: list[str] | None = None):
        """*old_words* and *new_words*, when the caller has them: the
        words of *old* and *new* (their ``split()``), not split again."""
        if _Indel is not None and old and new:
            # rapidfuzz's LCS sets the words both ends share aside before
            # aligning the rest: doing it here first gives the same runs
            # without splitting (and hashing) those words at all.
            head, tail, head_chars, tail_chars = _shared_ends(old, new)
            # The words between, from after the head's space to before the tail's.
            start = head_chars + 1 if head else 0
            end_a, end_b = (len(old) - tail_chars - 1, len(new) - tail_chars - 1) if tail else (len(old), len(new))
            if old_words is not None and new_words is not None:
                a = old_words[head:len(old_words) - tail] if start < end_a else []
                b = new_words[head:len(new_words) - tail] if start < end_b else []
            else:
                a = old[start:end_a].split(" ") if start < end_a else []
                b = new[start:end_b].split(" ") if start < end_b else []
            b_chars = end_b - start
        else:
            head = tail = head_chars = tail_chars = 0
            a, b = old.split(" ") if old else [], new.split(" ") if new else []
            b_chars = len(new)
        segs, equal, deleted, inserted = _align(a, b, head, tail, head_chars, tail_chars, "|" in old or "|" in new,
                                                True, b_chars)
        self.old, self.new, self.segs = old, new, segs
        self.equal_chars, self.inserted, self.deleted = equal, inserted, deleted
        # The words of both sides, when the caller split them: not split
        # again for the runs (split() and split(" ") agree on normalised text).
        self._words = (old_words, new_words) if old_words is not None and new_words is not None else None

    @staticmethod
    def applies(old: Block, new: Block) -> bool:
        # Blocks other than code hold whitespace-normalised text (see
        # split_blocks), whose words are what split(" ") gives.
        return old.kind != "code" and new.kind != "code"

    def ops(self) -> list[WordOp]:
        return _normalised_ops(*self._split(), self.segs)

    def runs(self) -> list[list[str]]:
        """What ``ops`` holds, as [kind, text] lists: no WordOp made."""
        return _normalised_runs(*self._split(), self.segs)

    def _split(self) -> tuple[list[str], list[str]]:
        if self._words is not None:
            return self._words
        old, new = self.old, self.new
        return old.split(" ") if old else [], new.split(" ") if new else []


def diff_words(old: str, new: str) -> list[WordOp]:
    """Word-level diff of two (short) texts; tokens keep trailing spaces."""
    pieces: list[tuple[str, str]] = []
    emit = pieces.append
    if "\n" in old or "\n" in new or "  " in old or "  " in new or old != old.strip() or new != new.strip():
        a, b = tokens(old), tokens(new)
        # Code and text with line breaks: whole words (and their spacing) only.
        for same, i1, i2, j1, j2, _ in _segments([t.rstrip() for t in a], [t.rstrip() for t in b], False):
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
    """WordOps of normalised text (single spaces): see ``_normalised_runs``."""
    op = _word_op
    return [op(kind, text) for kind, text in _normalised_runs(a, b, segs)]


def _normalised_runs(a: list[str], b: list[str], segs: list[list]) -> list[list[str]]:
    """The word diff of normalised text (single spaces) as [kind, text]
    runs, what its WordOps hold: words are split(" ") and a run's text is
    its words joined, plus a space unless it ends the paragraph.  Runs
    alternate same / changed, so only a changed run can continue the delete
    or insert of a spacing change just before it.  A refined run brings its
    own pieces (with the space after it); the first and last may be kept
    text, joined to the same runs around it."""
    na, nb = len(a), len(b)
    ops: list[list[str]] = []
    add = ops.append
    pending_kind = ""  # a lone " " deleted or inserted at the end of a same run
    for same, i1, i2, j1, j2, refined in segs:
        if refined is not None:  # both sides go on after a same run: nothing pending
            for kind, text in refined[0]:
                if ops and ops[-1][0] == kind:
                    ops[-1] = [kind, ops[-1][1] + text]
                else:
                    add([kind, text])
            continue
        if same:
            text = " ".join(b[j1:j2])
            if ops and ops[-1][0] == "equal":  # after a refined run's kept end
                text = ops.pop()[1] + text
            if i2 < na:
                if j2 < nb:
                    add(["equal", text + " "])
                else:
                    add(["equal", text])
                    pending_kind = "delete"
            elif j2 < nb:
                add(["equal", text])
                pending_kind = "insert"
            else:
                add(["equal", text])
            continue
        lead = ""
        if pending_kind:
            if pending_kind == ("delete" if i2 > i1 else "insert" if j2 > j1 else ""):
                lead = " "
            else:
                add([pending_kind, " "])
        if i2 > i1:
            add(["delete", (lead if pending_kind == "delete" else "") + " ".join(a[i1:i2]) + (" " if i2 < na else "")])
        if j2 > j1:
            add(["insert", (lead if pending_kind == "insert" else "") + " ".join(b[j1:j2]) + (" " if j2 < nb else "")])
        pending_kind = ""
    if pending_kind:
        add([pending_kind, " "])
    return ops


def _similarity(a: str, b: str) -> float:
    """Share of words in common (0..1)."""
    if _Indel is not None:
        return lcs.similarity(a.split(), b.split())
    ta, tb = a.split(), b.split()
    if not ta or not tb:
        return 1.0 if ta == tb else 0.0
    sa, sb = set(ta), set(tb)
    return len(sa & sb) / max(len(sa), len(sb))
