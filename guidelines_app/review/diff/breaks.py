"""Line breaks inside a paragraph through the comparison.

A paragraph or list item whose lines hold a line break (two spaces or a
backslash at a line's end: the preview and the export start a new line
there) keeps it in its content as a "\\n" in place of the space between two
words (``blocks._broken``).  Its words are aligned as the same text with a
space there (``str.split`` reads both alike), so a break changes no word:
the runs found are then given their breaks back, and a break added or
taken away is that space changed ("line" kept, " " deleted, "\\n"
inserted), which the redlines draw as a line break marked as changed.
"""

from __future__ import annotations

from guidelines_app.review.diff.model import WordOp
from guidelines_app.review.diff.words import _Alignment, _word_op


class BrokenAlignment(_Alignment):
    """``words._Alignment`` of two texts one or both of which hold line
    breaks: the figures (words inserted, deleted, characters kept) those
    of the texts without them; ``old`` and ``new`` the texts as they are
    (with their breaks), and the runs hold the breaks."""

    __slots__ = ("_spaced",)

    def __init__(self, old: str, new: str, old_words: list[str] | None = None, new_words: list[str] | None = None):
        spaced = (old.replace("\n", " "), new.replace("\n", " "))
        super().__init__(*spaced, old_words, new_words)
        self.old, self.new, self._spaced = old, new, spaced

    def _split(self) -> tuple[list[str], list[str]]:
        if self._words is not None:
            return self._words
        old, new = self._spaced
        return old.split(" ") if old else [], new.split(" ") if new else []

    def runs(self) -> list[list[str]]:
        return with_breaks(super().runs(), self.old, self.new)

    def ops(self) -> list[WordOp]:
        return [_word_op(kind, text) for kind, text in self.runs()]


def with_breaks(runs: list[list[str]], old: str, new: str) -> list[list[str]]:
    """The [kind, text] *runs* of the texts *old* and *new* with each line
    break a space ("\\n" -> " ", the same length), as runs of *old* and
    *new*: a kept run whose two sides differ (a break on one side, a space
    on the other) is split there into the space deleted and the break
    inserted, or the other way round."""
    out: list[list[str]] = []

    def add(kind: str, text: str) -> None:
        if text:
            if out and out[-1][0] == kind:
                out[-1][1] += text
            else:
                out.append([kind, text])

    io = jn = 0
    for kind, text in runs:
        n = len(text)
        if kind == "delete":
            add(kind, old[io:io + n])
            io += n
        elif kind == "insert":
            add(kind, new[jn:jn + n])
            jn += n
        else:
            a, b = old[io:io + n], new[jn:jn + n]
            io += n
            jn += n
            at = 0
            if a != b:
                for k in range(n):
                    if a[k] != b[k]:
                        add("equal", a[at:k])
                        add("delete", a[k])
                        add("insert", b[k])
                        at = k + 1
            add("equal", a[at:])
    return out
