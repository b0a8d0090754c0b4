"""The shortcuts of the diff's computation and of the text redline give
exactly what the plain computation gives: word totals counted without a
string per word (or bounded from the first characters), markup looked for
with memchr scans, an annotation that keeps only what its reading wrote,
the text redline's one-pass marking of a plain paragraph, and the pairs of
a replaced run scored one old block at a time.
"""

from __future__ import annotations

import random

import pytest

from guidelines_app.core import inline_markup
from guidelines_app.core.inline_diff import display_pieces
from guidelines_app.core.inline_markup import _MARKUP_CHARS_RE, annotate, annotate_spans, display_text, has_markup_chars
from guidelines_app.review.diff import diff_texts, diff_words, model, pairing
from guidelines_app.review.diff.blocks import Block
from guidelines_app.review.redline_text import _aligned_line, _marked, _marked_ops, _plain_pair, render_text_body

SPACES = [" ", "\n", "  ", "\t", "\x1c", "\r", "\x0b", "\xa0", "\u2003"]
PIECES = ["word", "a", "|", "||", "x|", "|y", "é", "東京", "| |", *SPACES]


def _split_count(text: str) -> int:
    words = text.split()
    return len(words) - words.count("|")


def test_word_count_of_a_whole_body_is_split_s_count():
    rng = random.Random(21)
    fast = 0
    for _ in range(400):
        pieces = PIECES if rng.random() < 0.3 else [p for p in PIECES if p.isascii()]
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4000)))
        fast += len(text) > 4096 and text.isascii()
        assert model._word_count(text) == _split_count(text), repr(text[:80])
    assert fast > 50  # the counting without split was taken


def test_enough_words_is_never_said_of_too_few():
    rng = random.Random(22)
    told = 0
    ascii_pieces = [p for p in PIECES if p.isascii()]
    for _ in range(1500):
        pieces = PIECES if rng.random() < 0.1 else ascii_pieces
        texts = tuple("".join(rng.choice(pieces) for _ in range(rng.randint(0, 600))) for _ in range(2))
        total = sum(_split_count(t) for t in texts)
        for wanted in (1, total // 8 + 1, total // 3 + 1, total, total + 1, 2 * total + 3):
            holds = model._holds_words(texts, wanted)
            told += holds
            assert not holds or total >= wanted, (texts, wanted)
    assert told > 400  # it tells often


def test_the_verdict_is_the_same_with_or_without_the_bound(monkeypatch):
    rng = random.Random(23)
    words = "the a policy post staff review approve legal | 500 mg".split()
    cases = []
    for _ in range(150):
        paras = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 30))) for _ in range(rng.randint(1, 40))]
        new = [p if rng.random() < rng.choice([0.5, 0.9, 0.99]) else " ".join(rng.choice(words) for _ in range(9))
               for p in paras]
        cases.append(("# T\n\n" + "\n\n".join(paras) + "\n", "# T\n\n" + "\n\n".join(new) + "\n"))
    quick = [diff_texts(a, b).verdict() for a, b in cases]
    monkeypatch.setattr(model, "_holds_words", lambda texts, wanted: False)
    counted = [diff_texts(a, b).verdict() for a, b in cases]
    assert quick == counted
    assert sum(v.startswith("Small") for v in quick) > 20 and sum(not v.startswith("Small") for v in quick) > 20


def test_markup_characters_are_found_as_the_pattern_finds_them():
    rng = random.Random(24)
    chars = list("ab |\\`<&{[*_]}()!#é東")
    for _ in range(20000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 8)))
        assert has_markup_chars(text) == bool(_MARKUP_CHARS_RE.search(text)), text


MARKUP = ("the a policy post | **bold** *it* _u_ `code` [link](http://x) ![alt](i.png) <b>tag</b> </b> <br> "
          "&amp; &nbsp; \\* {:.x} <!-- c --> <https://a.b> [ref] > x** __ ``` ` [a][b] <script>s</script>").split(" ")


def test_an_annotation_that_keeps_what_was_written_is_the_whole_annotation():
    rng = random.Random(25)
    for _ in range(3000):
        src = " ".join(rng.choice(MARKUP) for _ in range(rng.randint(0, 12)))
        if rng.random() < 0.1:
            src = "> " + src
        for cells in (False, True):
            full = annotate(src, cells)
            found, spans = annotate_spans(src, cells)
            assert len(full) == len(src)
            chars = found.chars(0, len(src)) if isinstance(found, inline_markup.Written) else found
            assert chars == full
            # Outside the spans written, every character shows as itself.
            written = set()
            for lo, hi in spans:
                assert lo < hi
                written.update(range(lo, hi))
            assert all(full[k] == (src[k], inline_markup.PLAIN) for k in range(len(src)) if k not in written)
            assert display_text(src, cells) == inline_markup._tidy("".join(t for t, _f in full))


def test_pieces_with_and_without_the_spans_are_the_same(monkeypatch):
    from guidelines_app.core import inline_diff

    rng = random.Random(26)
    cases = []
    for _ in range(1500):
        old = " ".join(rng.choice(MARKUP) for _ in range(rng.randint(1, 12)))
        new = " ".join(w if rng.random() < 0.8 else rng.choice(MARKUP) for w in old.split(" "))
        cases.append(diff_words(old, new))
    kinds = ("text", "row")
    quick = [display_pieces(ops, side, kind) for ops in cases for side in ("old", "new") for kind in kinds]
    monkeypatch.setattr(inline_diff, "annotate_spans", lambda src, cells=False: (annotate(src, cells), None))
    whole = [display_pieces(ops, side, kind) for ops in cases for side in ("old", "new") for kind in kinds]
    assert quick == whole


def test_one_pass_marking_is_the_runs_marked():
    rng = random.Random(27)
    for _ in range(30000):
        ops = [(rng.choice(["equal", "delete", "insert"]), "".join(rng.choice(["a", " ", "b", "", "  "])
                                                               for _ in range(rng.randint(0, 4))))
               for _ in range(rng.randint(0, 6))]
        runs: list[list[str]] = []
        for kind, text in ops:
            if text:
                if runs and runs[-1][0] == kind:
                    runs[-1][1] += text
                else:
                    runs.append([kind, text])
        expected = "".join(t if k == "equal" else _marked(k, t) for k, t in runs)
        assert _marked_ops(ops) == (expected, any(k != "equal" and t.strip() for k, t in runs))


def test_the_line_from_an_alignment_is_its_runs_marked():
    from guidelines_app.core.inline_diff import _plain
    from guidelines_app.review.diff.words import _Alignment

    rng = random.Random(29)
    vocabulary = "the a of policy post staff brand account review. approve, legal owner. >quote [x] é \x7f".split(" ")
    taken = 0
    for _ in range(6000):
        old = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 14)))
        new = " ".join(w for w in (w if rng.random() < 0.75 else rng.choice(vocabulary + [""]) for w in old.split(" ")) if w)
        if rng.random() < 0.3:
            new = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 14)))
        if old == new:
            continue
        aligned = _Alignment(old, new)
        assert _plain_pair(old, new) == (_plain(old) and _plain(new))
        line = _aligned_line(*aligned._split(), aligned.segs)
        if line is not None:
            taken += 1
            assert line == _marked_ops(aligned.runs())[0], (old, new)
    assert taken > 3000  # the usual case: no refined run, no space left over


def test_the_text_redline_marks_plain_and_formatted_paragraphs():
    old = "# Rules\n\nStaff may post on weekdays.\n\nSee the **brand** [guide](http://a) now.\n"
    new = "# Rules\n\nStaff may post on all days.\n\nSee the **new brand** [guide](http://b) now.\n"
    body = render_text_body(diff_texts(old, new))
    assert "  ~ Staff may post on [-weekdays.-]{+all days.+}\n" in body
    assert "  ~ See the [-brand guide <http://a>-] {+new brand guide <http://b>+} now.\n" in body


def test_scores_one_old_block_at_a_time_are_the_pairs_scores():
    if pairing._Indel is None:  # pragma: no cover - rapidfuzz is a dependency
        pytest.skip("rapidfuzz is not installed")
    rng = random.Random(28)
    words = "the a of policy post staff brand account review approve legal".split()
    for _ in range(300):
        olds = [Block("paragraph", " ".join(rng.choice(words) for _ in range(rng.randint(0, 15))), i)
                for i in range(rng.randint(1, 7))]
        news = [Block("paragraph", " ".join(w if rng.random() < 0.7 else rng.choice(words) for w in o.content.split()), i)
                for i, o in enumerate(olds)] + [Block("item", rng.choice(words), 9)]
        rng.shuffle(news)
        ow, nw = [o.content.split() for o in olds], [n.content.split() for n in news]
        expected = [(pairing._Indel.normalized_similarity(a, b), i, j) for i, a in enumerate(ow)
                    for j, b in enumerate(nw) if pairing._Indel.normalized_similarity(a, b) >= pairing.PAIR_THRESHOLD]
        assert pairing._paired_scores(olds, news, ow, nw) == expected
