"""A very large document's text kept up to date as it is edited, so saving
and the recovery copy never read the whole editor on the UI thread.

Reading 50 MB out of the editor (``QTextDocument.toRawText``) holds the UI
thread a tenth of a second at best, and half a second while other windows
hold large texts (the allocation of a fresh 100 MB string, it seems): long
enough to freeze typing at every save and every recovery copy.  Here each
edit the document reports (``contentsChange``: where, how many characters
went, how many came) is applied to a copy kept in parts of about CHUNK
characters, reading only the characters that came.  The text is then the
parts joined, which a worker can do.

Qt counts positions in UTF-16 units (a character beyond the Basic
Multilingual Plane is two); the parts are Python strings, so each part
keeps its length in those units.  Qt sometimes reports a range larger than
the edit (the whole document after ``setPlainText``, or one unit past its
end): the characters in it are read again, which is right, only slower.

A copy gone wrong is not used: after each edit, and at each read, its
length must be the document's, else (and on any surprise) it is dropped,
and the next read takes the editor's whole text and starts a new copy from
it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCursor, QTextDocument

CHUNK = 65_536  # characters per part: an edit copies one part, a save joins ~800 of them for 50 MB
PARAGRAPH, LINE = "\u2029", "\u2028"  # how a document's raw text ends its lines
INSERTED_AS_LINE_ENDS = ("\r", PARAGRAPH, LINE, "\ufdd0", "\ufdd1")  # (the last two: Qt's frame marks)
PLAIN_SLICE = 1 << 20  # characters: a very large text is made a slice at a time


def plain_text(raw: str) -> str:
    """Text as the editor holds it (``toRawText()``, ``selectedText()``:
    lines ended by paragraph and line separators) as the document's text,
    lines ended by newlines; a very large text a slice at a time (one
    replace of 50 MB holds the interpreter, and so the UI thread, a quarter
    of a second)."""
    if len(raw) <= PLAIN_SLICE:
        return raw.replace(PARAGRAPH, "\n").replace(LINE, "\n")
    return "".join(raw[at:at + PLAIN_SLICE].replace(PARAGRAPH, "\n").replace(LINE, "\n")
                   for at in range(0, len(raw), PLAIN_SLICE))


def as_inserted(text: str) -> str:
    """*text* as a document holds it once ``QTextCursor.insertText`` has
    put it in, read back as plain text: carriage returns and Qt's
    paragraph, line and frame marks become line ends (every other
    character stays: a test puts every character in to check), a carriage
    return and line feed pair becoming one."""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    for mark in INSERTED_AS_LINE_ENDS:
        if mark in text:
            text = text.replace(mark, "\n")
    return text


def utf16_length(text: str) -> int:
    """*text*'s length as Qt counts it."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2


def _index(part: str, units: int) -> int:
    """The index in *part* of the character *units* UTF-16 units in (a
    character is never split: a position inside one raises ValueError)."""
    if part.isascii():
        return units
    return len(part.encode("utf-16-le", "surrogatepass")[:2 * units].decode("utf-16-le"))


class Stale(Exception):
    """The copy no longer follows the document (it is dropped)."""


class TextParts:
    """A text kept in parts, edited by UTF-16 positions (no Qt here)."""

    def __init__(self, text: str = "") -> None:
        self.parts: list[str] = []
        self.sizes: list[int] = []  # each part's length in UTF-16 units
        self.length = 0
        self._put(0, text)

    def _put(self, at: int, text: str) -> None:
        """*text* as parts, put at part index *at*: one part up to twice
        CHUNK (typing grows a part; cut at each key, it would leave a
        one-character part per key), else parts of CHUNK."""
        if len(text) <= 2 * CHUNK:
            pieces = [text]
        else:
            pieces = [text[i:i + CHUNK] for i in range(0, len(text), CHUNK)]
        sizes = [utf16_length(piece) for piece in pieces]
        self.parts[at:at] = pieces
        self.sizes[at:at] = sizes
        self.length += sum(sizes)

    def text(self) -> str:
        return "".join(self.parts)

    def _find(self, position: int, start_at: int = 0, start: int = 0) -> tuple[int, int]:
        """(the part holding *position*, where it starts); the end of the
        text is in the last part."""
        last = len(self.parts) - 1
        i = start_at
        while i < last and start + self.sizes[i] <= position:
            start += self.sizes[i]
            i += 1
        if position > start + self.sizes[i]:
            raise Stale(f"position {position} past the end ({self.length})")
        return i, start

    def replace(self, position: int, removed: int, added: str) -> None:
        """The *removed* units from *position* replaced by *added*."""
        end = position + removed
        if position < 0 or removed < 0 or end > self.length:
            raise Stale(f"{removed} units at {position} in a text of {self.length}")
        first, first_start = self._find(position)
        last, last_start = self._find(end, first, first_start)
        try:
            head = self.parts[first][:_index(self.parts[first], position - first_start)]
            tail = self.parts[last][_index(self.parts[last], end - last_start):]
        except (UnicodeDecodeError, ValueError) as exc:  # a position inside a character
            raise Stale(str(exc)) from exc
        self.length -= sum(self.sizes[first:last + 1])
        del self.parts[first:last + 1], self.sizes[first:last + 1]
        self._put(first, head + added + tail)


class TextMirror(QObject):
    """The copy of *document*'s text, once ``follow`` has started it."""

    def __init__(self, document: QTextDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.copy: TextParts | None = None  # None: not following (or dropped after a surprise)
        self.following = False
        self._coming: str | None = None  # the text the next edit puts in, as read back (``expect``)

    def follow(self, text: str) -> None:
        """Keep a copy from now on; *text* is the document's text now (as
        put in: its lines ended by newlines).  (Only then does it hear of
        each edit: a usual document's typing calls nothing here.)"""
        if not self.following:
            self.document.contentsChange.connect(self._changed)
        self.following = True
        self.copy = TextParts(text)
        if self.copy.length != self._length():
            self.copy = None  # (read again when asked)

    def expect(self, text: str | None) -> None:
        """The next edit puts *text* in (a slice of a very large document
        being opened): taken as it comes, not read back, if its length is
        what the document reports.  None: nothing expected any more."""
        self._coming = as_inserted(text) if text is not None and self.copy is not None else None

    def stop(self) -> None:
        if self.following:
            self.document.contentsChange.disconnect(self._changed)
        self.following, self.copy, self._coming = False, None, None

    def parts(self) -> tuple[str, ...] | None:
        """The text's parts now (join them: on any thread), or None when
        not following."""
        if not self.following:
            return None
        if self.copy is not None and self.copy.length != self._length():
            self.copy = None  # an edit it was never told of (the document's signals blocked, say)
        if self.copy is None:  # dropped: start again from the whole text
            self.copy = TextParts(plain_text(self.document.toRawText()))
        return tuple(self.copy.parts)

    def _length(self) -> int:
        return self.document.characterCount() - 1  # (its last paragraph's end is no character)

    def _changed(self, position: int, removed: int, added: int) -> None:
        if self.copy is None:
            return
        length = self._length()
        over = max(0, position + added - length)  # a range reported past the end
        removed, added = removed - over, added - over
        coming, self._coming = self._coming, None
        try:
            text = ""
            if coming is not None and removed == 0 and utf16_length(coming) == added:
                text = coming
            elif added > 0:
                cursor = QTextCursor(self.document)
                cursor.setPosition(position)
                cursor.setPosition(position + added, QTextCursor.MoveMode.KeepAnchor)
                text = plain_text(cursor.selectedText())
                if utf16_length(text) != added:
                    raise Stale(f"read {utf16_length(text)} units for {added}")
            self.copy.replace(position, removed, text)
            if self.copy.length != length:
                raise Stale(f"the copy has {self.copy.length} units, the document {length}")
        except Exception:  # noqa: BLE001 - whatever went wrong: the copy is dropped, never trusted
            self.copy = None
