"""The Markdown source view's highlighting: headings, emphasis, links,
code, lists, quotes and raw HTML, and fenced code blocks (tracked with each
block's state, so their contents are not highlighted as Markdown).

A long text is highlighted without freezing the window (``attach``): the
lines on screen at once, the rest from the top a slice of about SLICE_S
seconds per event-loop turn, the lines on screen first again after a
scroll or a jump.  Qt's own pass over the whole text, due when a highlighter
is put on a document, took 0.7 s of the window for a 4 MB policy.  Lines
typed meanwhile are highlighted as they are typed.

Highlighting changes no text: the passes this module drives keep the
editor's ``textChanged`` quiet, so turning the source view on is not an
edit (no preview rendered again, no recovery copy, no rebuilt surface)."""

from __future__ import annotations

import itertools
import re
import time
import weakref
from contextlib import contextmanager

from PySide6.QtCore import QRegularExpression, QTimer
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from guidelines_app.ui import appearance

SLICED_CHARS = 100_000  # a text this long (about 15,000 words) is highlighted in slices: at once it held the window 20 ms
SLICE_S = 0.01  # how long one event-loop turn may spend highlighting
SCREEN_BLOCKS = 300  # more lines than any screen shows
CHUNK_BLOCKS = 64  # lines highlighted in one go within a slice (the clock is read between)
# Each pass's block states: a line highlighted (n: plain, n + 1: in a code fence), and the
# line above one highlighted before the lines above it (n + 2, n + 3: followed by plain, in a fence).
_PASS = itertools.count(4, 4)
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_RULE_RE = re.compile(r"\s*([-*_])(\s*\1){2,}\s*")


def fence_lines(text: str) -> int:
    """How many lines of *text* (lines parted by U+2029, as a selection
    gives them) open or close a code fence, as ``_FENCE_RE`` reads each line.
    (A regular expression tried at each of 4 million places took 80 ms; the
    marks are found by ``str.find``.)"""
    starts = set()
    for mark in ("```", "~~~"):
        at = text.find(mark)
        while at != -1:
            start = text.rfind("\u2029", 0, at) + 1
            if start == at or text[start:at].isspace():
                starts.add(start)
            at = text.find(mark, at + 1)
    return len(starts)


def _fmt(color: str | None = None, bold: bool = False, italic: bool = False, scale: float = 0) -> QTextCharFormat:
    f = QTextCharFormat()
    if color:
        f.setForeground(QColor(color))
    if bold:
        f.setFontWeight(QFont.Weight.Bold)
    if italic:
        f.setFontItalic(True)
    if scale:
        f.setProperty(QTextCharFormat.Property.FontSizeAdjustment, int(scale))
    return f


class MarkdownHighlighter(QSyntaxHighlighter):
    """The source editor's highlighting, on the editor's document while
    ``attach``-ed (the source view is shown) and on none after ``detach``."""

    def __init__(self, editor: QPlainTextEdit, attach: bool = True):
        # A child of the editor's document, as Qt's own are, going with it.  (Deleted before the
        # document, when the editor went, taking its marks off told the text's copy of a change
        # to a document being deleted: ``ui.text_mirror``.)  Not given it at once: Qt would put
        # it on it, and taking it off touches every line (``attach`` puts it on as a long text needs).
        super().__init__(None)
        self.setParent(editor.document())
        self._editor = weakref.ref(editor)
        c = appearance.current()  # light or dark (View > Appearance)
        self.heading = [_fmt(c.heading, bold=True, scale=s) for s in (2, 1, 1, 0, 0, 0)]
        self.code = _fmt(c.code)
        self.code.setFontFamilies(["monospace"])
        self.inline_rules = [
            (QRegularExpression(r"`[^`]+`"), self.code),
            (QRegularExpression(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), _fmt(bold=True)),
            (QRegularExpression(r"(?<![*\w])([*_])(?=\S)(?!\1)(.+?)(?<=\S)\1(?![*\w])"), _fmt(italic=True)),
            (QRegularExpression(r"!?\[[^\]\n]*\]\([^)\n]*\)"), _fmt(c.source_link)),
            (QRegularExpression(r"</?[A-Za-z][^>\n]*>"), _fmt(c.markup)),
        ]
        self.list_marker = QRegularExpression(r"^\s*([-*+]|\d+[.)])\s")
        self.list_fmt = _fmt(c.list_marker, bold=True)
        self.quote_fmt = _fmt(c.quote, italic=True)
        self.rule_fmt = _fmt(c.rule)
        self.plain = next(_PASS)  # this pass's states (``_PASS``; new for each ``attach``)
        self.fenced = self.plain + 1
        self._followed = None  # the document whose changes are followed (``_changed``)
        # While a long text is highlighted in slices: a line is highlighted when Qt
        # asks only once reached (``_reached``); else its turn comes.
        self._slicing = False
        self._idle = False  # Qt's full pass, answered at once by every line
        self._reach = -1  # the lines before this position are highlighted when asked (a slice, the screen)
        self._edited = (0, -1)  # the text changed last, highlighted as it is typed
        self._last = None  # the last line highlighted
        self._resume: QTextCursor | None = None  # where the sweep goes on (it follows edits)
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._step)
        if attach:
            self.attach()

    @property
    def editor(self) -> QPlainTextEdit:
        """The editor highlighted.  (Held weakly: the editor keeps its
        highlighter, and a cycle left a closed editor to Python's garbage
        collector, which deleted it at any later moment.)"""
        return self._editor()

    # ---- on and off -----------------------------------------------------------------

    @contextmanager
    def _quiet(self):
        """Highlighting changes no text: the editor says nothing of it."""
        blocked = self.editor.blockSignals(True)
        try:
            yield
        finally:
            self.editor.blockSignals(blocked)

    def attach(self) -> None:
        """Highlight the editor's document, and what is typed into it from
        now on: a long text the lines on screen first, the rest in slices."""
        doc = self.editor.document()
        if self.document() is doc:
            return
        self.detach()
        self.plain = next(_PASS)  # (the states a last pass left are never this pass's)
        self.fenced = self.plain + 1
        self._edited = (0, -1)
        doc.contentsChange.connect(self._changed)  # (before Qt's own: what changed is known when Qt asks)
        self._followed = doc
        with self._quiet():
            self.setDocument(doc)  # (Qt's pass over the whole text is due on the next turn: done now)
            # Going with the document (PySide hands a highlighter to Python when asked for its
            # document while it has none; Python then deleted it before the document).
            self.setParent(doc)
            if doc.characterCount() < SLICED_CHARS:
                self.rehighlight()
                return
            self._slicing, self._idle = True, True
            try:
                self.rehighlight()  # every line answers at once: none is reached yet
            finally:
                self._idle = False
            self._resume = QTextCursor(doc)
            self._screen()
        # A scroll shows its lines highlighted (not a frame later, in the next slice).
        self.editor.verticalScrollBar().valueChanged.connect(self._scrolled)
        self._timer.start()

    def detach(self) -> None:
        """Off the document: its marks taken off (the source view is hidden)."""
        doc = self.document()
        self._timer.stop()
        self._done_slicing()
        if self._followed is not None:
            self._followed.contentsChange.disconnect(self._changed)
            self._followed = None
        if doc is None:
            return
        with self._quiet():
            self.setDocument(None)

    def highlighting(self) -> bool:
        """Whether some lines of a long text are still to be highlighted."""
        return self._slicing

    # ---- the slices -----------------------------------------------------------------

    def _done_slicing(self) -> None:
        if self._slicing:
            self.editor.verticalScrollBar().valueChanged.disconnect(self._scrolled)
        self._slicing, self._resume, self._last = False, None, None

    def _scrolled(self) -> None:
        with self._quiet():
            self._screen()

    def _changed(self, position: int, _removed: int, added: int) -> None:
        self._edited = (position, position + added)

    def _reached(self, block) -> bool:
        if block.userState() in (self.plain, self.fenced):
            return True  # highlighted in this pass: again when its text or the line before changes
        at = block.position()
        return at < self._reach or self._edited[0] <= at + block.length() - 1 and at <= self._edited[1]

    def _screen(self) -> None:
        """Highlight the lines on screen not highlighted yet, as they follow
        the fences opened and closed before them."""
        e = self.editor
        block, bottom, offset = e.firstVisibleBlock(), e.viewport().height(), e.contentOffset()
        first = last = None
        for _ in range(SCREEN_BLOCKS):
            if not block.isValid() or e.blockBoundingGeometry(block).translated(offset).top() > bottom:
                break
            if block.userState() not in (self.plain, self.fenced):
                if first is None:
                    first = block
                last = block
            block = block.next()
        if first is not None:
            self._highlight(first, last.position() + last.length())

    def _in_fence(self, block) -> bool:
        """Whether *block* follows a code fence opened and not closed, as
        the line before it says; if that line is not highlighted yet, as the
        fence lines before it say (then kept as that line's state)."""
        previous = self.previousBlockState()
        if previous in (self.fenced, self.plain + 3):
            return True
        if previous in (self.plain, self.plain + 2) or not self._slicing or not block.previous().isValid():
            return False
        # (Positions are UTF-16 units, a Python string's characters code points: the selection's text.)
        cursor = QTextCursor(block)
        cursor.setPosition(0, QTextCursor.MoveMode.KeepAnchor)
        fenced = fence_lines(cursor.selectedText()) % 2 == 1
        block.previous().setUserState(self.plain + (3 if fenced else 2))  # (not highlighted: not reached)
        return fenced

    def _highlight(self, first, reach: int) -> None:
        """Highlight from *first* up to the position *reach* (and on while a
        line's state changes, as Qt goes on)."""
        self._reach = reach
        try:
            block = first
            while block.isValid() and block.position() < reach:
                self._last = None
                self.rehighlightBlock(block)  # and the lines after it, as long as each one's state changes
                block = self._last.next() if self._last is not None else block.next()
                while block.isValid() and block.position() < reach and block.userState() in (self.plain, self.fenced):
                    block = block.next()
        finally:
            self._reach = -1

    def _step(self) -> None:
        """One slice: the lines on screen if some are not highlighted (a
        scroll, a jump), then on from where the last slice stopped."""
        if not self._slicing or self.document() is None:
            return
        doc, end = self.document(), time.perf_counter() + SLICE_S
        with self._quiet():
            self._screen()
            block = doc.findBlock(self._resume.position())
            while block.isValid():
                if block.userState() in (self.plain, self.fenced):
                    block = block.next()
                    continue
                last = block
                for _ in range(CHUNK_BLOCKS - 1):
                    if not last.next().isValid():
                        break
                    last = last.next()
                self._highlight(block, last.position() + last.length())
                block = last.next()
                if block.isValid() and time.perf_counter() >= end:
                    self._resume.setPosition(block.position())
                    self._timer.start()
                    return
        self._done_slicing()  # every line is highlighted: Qt asks as text is typed

    # ---- one line -------------------------------------------------------------------

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        if self._slicing and (self._idle or not self._reached(self.currentBlock())):
            return  # not reached yet: its turn comes (its state unchanged, so Qt goes no further)
        self._last = self.currentBlock()
        in_fence = self._in_fence(self._last)
        if _FENCE_RE.match(text):
            self.setFormat(0, len(text), self.code)
            self.setCurrentBlockState(self.plain if in_fence else self.fenced)
            return
        if in_fence:
            self.setFormat(0, len(text), self.code)
            self.setCurrentBlockState(self.fenced)
            return
        self.setCurrentBlockState(self.plain)
        stripped = text.lstrip()
        if stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            if 1 <= level <= 6 and (len(stripped) == level or stripped[level] in " \t"):
                self.setFormat(0, len(text), self.heading[level - 1])
                return
        if stripped.startswith(">"):
            self.setFormat(0, len(text), self.quote_fmt)
        if _RULE_RE.fullmatch(text):
            self.setFormat(0, len(text), self.rule_fmt)
            return
        m = self.list_marker.match(text)
        if m.hasMatch():
            self.setFormat(m.capturedStart(1), m.capturedLength(1), self.list_fmt)
        for rx, fmt in self.inline_rules:
            it = rx.globalMatch(text)
            while it.hasNext():
                match = it.next()
                self.setFormat(match.capturedStart(), match.capturedLength(), fmt)
