"""The status bar's word count: counted again only where the text changed,
and always the count of the whole text."""

from __future__ import annotations

import random

from guidelines_app.core.outline import WordCounter, word_count

PIECES = ["word", "don't", "it’s", "co-op", "  ", "\n", "\n\n", "\n\n\n", "\r\n\r\n", "x", "42", "'", "’", "é", "- ", "# ", "|"]


def test_the_count_of_each_version_is_word_count_of_the_whole_text():
    rng = random.Random(3)
    counter = WordCounter()
    text = "".join(rng.choice(PIECES) for _ in range(400))
    for _ in range(300):
        at = rng.randrange(len(text) + 1)
        if rng.random() < 0.6:
            text = text[:at] + "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6))) + text[at:]
        else:
            text = text[:at] + text[at + rng.randint(1, 8):]
        assert counter.count(text) == word_count(text), repr(text[:60])


def test_a_repeated_paragraph_counts_each_time_it_is_there():
    counter = WordCounter()
    assert counter.count("Be kind.\n\nBe kind.\n\nBe kind.") == 6
    assert counter.count("Be kind.\n\nBe kind.") == 4
    assert counter.count("") == 0
