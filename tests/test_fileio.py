"""Long texts encoded and decoded a slice at a time (``core.fileio``):
byte for byte what one call gives, a character cut by a slice's end
included, and the same error for data that is not UTF-8."""

from __future__ import annotations

import random

import pytest

from guidelines_app.core import fileio


def test_a_long_text_is_encoded_and_decoded_as_in_one_call(monkeypatch):
    monkeypatch.setattr(fileio, "UTF8_SLICE", 5)  # slices cut 2-, 3- and 4-byte characters
    rng = random.Random(9)
    for n in (0, 4, 5, 6, 11, 200):
        text = "".join(rng.choice(["a", "é", "€", "😀", "\n", "\x00"]) for _ in range(n))
        data = fileio.utf8(text)
        assert data == text.encode("utf-8")
        assert fileio.from_utf8(data) == text


@pytest.mark.parametrize("data", [b"abcd\xffefgh", b"abc\xe2\x82", b"\xe2\x82abcdefgh", b"abcdefgh\xc3"])
def test_data_that_is_not_utf8_is_refused_saying_where(monkeypatch, data):
    monkeypatch.setattr(fileio, "UTF8_SLICE", 4)
    with pytest.raises(UnicodeDecodeError) as whole:
        data.decode("utf-8")
    with pytest.raises(UnicodeDecodeError) as sliced:
        fileio.from_utf8(data)
    assert (sliced.value.start, sliced.value.reason) == (whole.value.start, whole.value.reason)
