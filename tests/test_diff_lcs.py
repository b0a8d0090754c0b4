"""The word alignment's matcher in Python (review/diff/lcs.py) gives what
rapidfuzz gives, exactly: the same matching blocks, opcodes, similarity
floats, pair scores and common ends on random word lists (few distinct
words, so that many alignments tie), and the same redline for whole
documents; and it hands over to rapidfuzz once its budget is spent.
"""

from __future__ import annotations

import random
import sys

import pytest

from guidelines_app.review.diff import diff_texts, lcs, pairing
from guidelines_app.review.redline_text import render_text_body

rapidfuzz_distance = pytest.importorskip("rapidfuzz.distance")
Indel, Prefix, Postfix = rapidfuzz_distance.Indel, rapidfuzz_distance.Prefix, rapidfuzz_distance.Postfix

VOCABULARIES = [["a", "b"], ["a", "b", "c"], ["owner", ".", " ", "x", ",", "ab"], [f"w{n}" for n in range(12)],
                [f"w{n}" for n in range(60)]]


def _lists(rng: random.Random) -> tuple[list[str], list[str]]:
    vocabulary = rng.choice(VOCABULARIES)
    a = [rng.choice(vocabulary) for _ in range(rng.randint(0, rng.choice([3, 12, 40, 90, 200])))]
    if rng.random() < 0.5:  # an edit of the same words, as most changed paragraphs are
        b = list(a)
        for _ in range(rng.randint(0, 6)):
            at, op = rng.randint(0, len(b)), rng.random()
            if op < 0.33 and at < len(b):
                b[at] = rng.choice(vocabulary)
            elif op < 0.66:
                b.insert(at, rng.choice(vocabulary))
            elif at < len(b):
                del b[at]
    else:
        b = [rng.choice(vocabulary) for _ in range(rng.randint(0, rng.choice([3, 12, 40, 90, 200])))]
    return a, b


def test_the_alignment_of_long_paragraphs_is_rapidfuzz_s():
    """Thousands of words: the bit matrix over many 64-word blocks."""
    rng = random.Random(61)
    for _ in range(12):
        vocabulary = rng.choice(VOCABULARIES[2:])
        a = [rng.choice(vocabulary) for _ in range(rng.randint(1000, 3000))]
        b = list(a)
        for _ in range(rng.randint(0, 200)):
            at = rng.randint(0, len(b))
            if rng.random() < 0.5:
                b.insert(at, rng.choice(vocabulary))
            elif at < len(b):
                del b[at]
        assert lcs._matching_blocks(a, b) == [tuple(m) for m in Indel.editops(a, b).as_matching_blocks()]
        assert lcs._opcodes(a, b) == [tuple(op) for op in Indel.opcodes(a, b).as_list()]
        assert lcs._similarity(a, b) == Indel.normalized_similarity(a, b)


def test_the_alignment_is_rapidfuzz_s():
    rng = random.Random(16)
    for _ in range(6000):
        a, b = _lists(rng)
        assert lcs._matching_blocks(a, b) == [tuple(m) for m in Indel.editops(a, b).as_matching_blocks()], (a, b)
        assert lcs._opcodes(a, b) == [tuple(op) for op in Indel.opcodes(a, b).as_list()], (a, b)
        assert lcs._similarity(a, b) == Indel.normalized_similarity(a, b), (a, b)


def test_pair_scores_are_extract_s():
    from rapidfuzz.process import extract_iter

    rng = random.Random(17)
    for _ in range(300):
        olds = [_lists(rng)[0] for _ in range(rng.randint(1, 5))]
        news = [_lists(rng)[1] for _ in range(rng.randint(1, 5))]
        expected = [(score, i, j) for i, a in enumerate(olds)
                    for _b, score, j in extract_iter(a, news, scorer=Indel.normalized_similarity, score_cutoff=0.29)
                    if score >= pairing.PAIR_THRESHOLD]
        assert lcs._scores(olds, news, pairing.PAIR_THRESHOLD) == expected


def test_common_ends_are_prefix_and_postfix_s():
    rng = random.Random(18)
    for _ in range(4000):
        a, b = _lists(rng)
        x, y = " ".join(a), " ".join(b)
        if rng.random() < 0.2:
            y = x[:rng.randint(0, len(x))] + rng.choice(["", "é", "東京", "q"]) + x[rng.randint(0, len(x)):]
        assert lcs._prefix(x, y) == Prefix.similarity(x, y), (x, y)
        assert lcs._suffix(x, y) == Postfix.similarity(x, y), (x, y)
        x, y = x + "é", y + "é"  # not ASCII: found by halving
        assert lcs._prefix(x, y) == Prefix.similarity(x, y), (x, y)
        assert lcs._suffix(x, y) == Postfix.similarity(x, y), (x, y)


DOCUMENT = """# Rules

Staff may post on weekdays and, with the owner's approval, on weekends.

- Review every post. Review it again.
- The brand guide (see [guide](http://a)) applies; so does the **legal** note.

## Tone

Be kind, be brief, be clear: a post is read in seconds.

| Channel | Owner |
|---|---|
| Web | Comms |
"""


def _edited(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    for _ in range(rng.randint(1, 12)):
        at = rng.randrange(len(words))
        words[at] = rng.choice(["owner.", "brand", "post,", "review", "kind", "Legal", words[at][::-1], ""])
    return " ".join(words)


def test_a_redline_is_the_same_worked_out_in_python_or_by_rapidfuzz(monkeypatch):
    rng = random.Random(19)
    pairs = [(DOCUMENT, _edited(rng, DOCUMENT)) for _ in range(60)]
    monkeypatch.setattr(lcs, "_rapidfuzz", lambda: None)
    monkeypatch.setattr(lcs, "_rf", None)
    monkeypatch.setattr(lcs, "_left", 10**12)
    in_python = [render_text_body(diff_texts(old, new)) for old, new in pairs]
    assert lcs._left < 10**12  # (the words were aligned here)
    monkeypatch.undo()
    assert "rapidfuzz.distance.Indel" in sys.modules  # so from here on rapidfuzz answers
    assert [render_text_body(diff_texts(old, new)) for old, new in pairs] == in_python


def test_rapidfuzz_answers_once_the_budget_is_spent(monkeypatch):
    monkeypatch.setattr(lcs, "_rf", None)
    monkeypatch.setattr(lcs, "_left", 10)
    calls = []
    monkeypatch.setattr(lcs, "_matching_blocks", lambda a, b: calls.append((a, b)) or [(len(a), len(b), 0)])
    monkeypatch.delitem(sys.modules, "rapidfuzz.distance.Indel", raising=False)  # as if no one had imported it
    assert lcs.matching_blocks(["a"] * 4, ["b"] * 4) == [(4, 4, 0)] and calls  # 8 words: within the budget
    assert lcs._left == 2 and lcs._rf is None
    assert lcs.matching_blocks(["a", "b"], ["b", "a"]) == [tuple(m) for m in
                                                           Indel.editops(["a", "b"], ["b", "a"]).as_matching_blocks()]
    assert lcs._rf is not None and len(calls) == 1  # spent: rapidfuzz answered, and answers from now on
