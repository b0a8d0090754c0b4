"""Stage 2 of the diff: the blocks of two versions of a section paired.
Equal blocks are aligned by their normalised text; a replaced run is paired
by similarity (an edited paragraph against its old self), the rest are
additions and removals; blocks moved or regrouped (paragraph breaks
changed around the same words) are flagged, as their words are not new.
"""

from __future__ import annotations

from guidelines_app.review.diff import lcs
from guidelines_app.review.diff.blocks import Block
from guidelines_app.review.diff.model import BlockChange, SectionChange
from guidelines_app.review.diff.words import _Alignment, _Indel, _similarity, diff_words

# Below this similarity two blocks in the same place are a removal and an
# addition, not an edit of one paragraph.
PAIR_THRESHOLD = 0.3


ALL_PAIRS_FROM = 2500  # pairs in a run from which they are scored all at once (numpy)
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


def _paired_scores(olds: list[Block], news: list[Block], old_words: list[list[str]],
                   new_words: list[list[str]]) -> list[tuple[float, int, int]]:
    """(similarity, i, j) of every old/new pair similar enough to be an edit
    (pairs below the threshold are never paired, so they are not kept).
    *old_words* and *new_words*: each block's ``content.split()``."""
    if _Indel is None:
        scores = ((_similarity(o.content, n.content), i, j) for i, o in enumerate(olds) for j, n in enumerate(news))
        return [t for t in scores if t[0] >= PAIR_THRESHOLD]
    # Runs of a few thousand pairs are scored one by one (a few ms): importing
    # numpy costs a command about 50 ms, worth it only for big runs.
    all_pairs = _pair_scorer() if len(old_words) * len(new_words) > ALL_PAIRS_FROM else None
    if all_pairs is not None:
        return all_pairs(old_words, new_words, PAIR_THRESHOLD)
    found = lcs.scores(old_words, new_words, PAIR_THRESHOLD)  # (in Python while rapidfuzz is not imported)
    if found is not None:
        return found
    # One call per old block scores it against every new one (the loop in
    # C++, the pairs in the same order; each new block's words read once
    # per call rather than once per pair: a quarter faster on the
    # benchmark's runs of a dozen paragraphs).
    # The cutoff just under the threshold only skips pairs that cannot
    # reach it (their scores are the same floats as ``_similarity``'s); the
    # threshold itself is applied here, as before.
    extract, sim = _extract(), _Indel.normalized_similarity
    found = []
    for i, a in enumerate(old_words):
        for _b, score, j in extract(a, new_words, scorer=sim, score_cutoff=_CUTOFF):  # in the order of news
            if score >= PAIR_THRESHOLD:
                found.append((score, i, j))
    return found


_CUTOFF = PAIR_THRESHOLD - 0.01


def _extract():
    """rapidfuzz's process.extract_iter (imported with rapidfuzz itself)."""
    from rapidfuzz.process import extract_iter

    return extract_iter


def _changed(old: Block, new: Block, old_words: list[str] | None = None,
             new_words: list[str] | None = None) -> tuple[BlockChange, int]:
    """A "changed" block and how many characters of it stayed the same.
    *old_words* and *new_words*: the blocks' ``content.split()``, if known."""
    change = BlockChange("changed", old, new)
    a, b = old.content, new.content
    if _Alignment.applies(old, new):
        if "\n" in a or "\n" in b:  # a line break in a paragraph (see breaks)
            from guidelines_app.review.diff.breaks import BrokenAlignment

            change._aligned = aligned = BrokenAlignment(a, b, old_words, new_words)
        else:
            change._aligned = aligned = _Alignment(a, b, old_words, new_words)
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
            in_place.append(change)  # the last one too: used if the two are paired all the same
            if same < PAIR_THRESHOLD * max(len(o.content), len(n.content)):
                break
        else:
            return in_place
    return _pair_by_similarity(olds, news, in_place)


def _pair_by_similarity(olds: list[Block], news: list[Block], known: list[BlockChange] = ()) -> list[BlockChange]:
    """Pair blocks best match first, keeping document order (no crossing).
    *known*: the edits in place already worked out for the first pairs
    (each old block against the new one at its own place)."""
    old_words = new_words = None
    pairs: dict[int, int] = {}
    if olds and news and len(olds) * len(news) <= 2500:  # a huge rewrite of one run: keep it linear
        old_words, new_words = [o.content.split() for o in olds], [n.content.split() for n in news]
        used_new: set[int] = set()
        for _score, i, j in sorted(_paired_scores(olds, news, old_words, new_words), reverse=True):
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
            if j == i and i < len(known):
                out.append(known[i])
            elif old_words is not None:  # split for the scores already
                out.append(_changed(old, news[j], old_words[i], new_words[j])[0])
            else:
                out.append(_changed(old, news[j])[0])
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
    from difflib import SequenceMatcher  # (rarely needed: not imported with the diff)

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
    if olds is news:  # a section's lines found unchanged at the same place (see split_pair)
        return [BlockChange("equal", o, o) for o in olds]
    a, b = _keys(olds), _keys(news)  # Block.key, without a property call per block
    if a == b:
        return [BlockChange("equal", o, n) for o, n in zip(olds, news)]
    out: list[BlockChange] = []
    for tag, i1, i2, j1, j2 in _block_opcodes(a, b):
        if tag == "equal":
            out += [BlockChange("equal", o, n) for o, n in zip(olds[i1:i2], news[j1:j2])]  # thousands: no generator
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
    if not all(b.kind == "paragraph" for b in olds + news):
        return False
    a, b = " ".join(b.content for b in olds), " ".join(b.content for b in news)
    if a == b:
        return True
    # A line break (see breaks) for a paragraph break, or the other way
    # round (one paragraph for as many with breaks in them is an edit).
    return len(olds) != len(news) and ("\n" in a or "\n" in b) and a.replace("\n", " ") == b.replace("\n", " ")


def _flagged(change: BlockChange, flag: str) -> BlockChange:
    setattr(change, flag, True)
    return change


def _mark_moves(rows: list[SectionChange]) -> int:
    """Flag blocks removed in one place and added, unchanged, in another
    (in the same section or elsewhere); returns how many moved."""
    removed: dict[str, list[tuple[int, BlockChange]]] = {}
    for r, row in enumerate(rows):
        if not row.moved_from and row.content_changed:  # (an unchanged section has no block to move)
            for b in row.blocks:
                if b.kind == "removed" and not b.regrouped and b.old.content and b.old.kind != "rule":
                    removed.setdefault(b.old.key, []).append((r, b))
    moved = 0
    if not removed:
        return moved
    for r, row in enumerate(rows):
        if row.moved_from or not row.content_changed:
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
