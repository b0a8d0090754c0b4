"""Spelling on the surface: misspelt words underlined as you type, with
suggestions and "Add to Dictionary" on right-click.  The dictionary loads
in the background (``ui.jobs``); code, links and source chips are never
checked.  The words added go to the workspace's committed word list
(``core.spelling``).

A long document is checked without freezing the window: when the
dictionary arrives, the blocks on screen are checked at once and the others
in slices of about SLICE_S seconds, one per event-loop turn (``sweep``).
Marking a block makes Qt lay the document out again up to it, so a block is
marked only when its marks change.  Spelling turned off keeps the
highlighter on the text, marking nothing, and takes its marks off a
stretch per turn (``unmark``); turned on again, it checks with the same
one.  While the surface is hidden (the source
view) the checking waits: at 4 MB each slice held the window 30 ms there,
for a text nobody saw.  While Qt lays the text out in the background
(after it is opened, a zoom, a resize) nothing is marked, not even what is
on screen (checked first once the layout is over): a mark then left
blocks out of Qt's layout (``ui.layout_mend``), laid out only once the
layout is over, and the text grew taller then (a Ctrl+End made meanwhile
at 4 MB ended 12,000 pixels short of the end)."""

from __future__ import annotations

import itertools
import time
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextCursor, QTextLayout

from guidelines_app.core.spelling import WORD_RE, Speller, workspace_words
from guidelines_app.core.surface_text import IMAGE, RULE, SOURCE
from guidelines_app.ui import gc_guard
from guidelines_app.ui.jobs import Jobs
from guidelines_app.ui.paced_layout import block_at, caret_in_sight, laying_out
from guidelines_app.ui.surface.formats import kind_of
from guidelines_app.ui.surface.spell_menu import SpellMenu, unchecked

# No garbage collection while the dictionary loads (at most this long): the
# first would walk its hundred thousand objects, which live as long as the app.
HOLD_COLLECTIONS_S = 10.0
SLICE_S = 0.01  # how long one event-loop turn may spend checking
SCREEN_BLOCKS = 300  # more blocks than any screen shows (``attach`` checks those shown at once)
# The sweep rests this long after each edit: a block it marks is laid out
# again, and in a 4 MB document Qt moves every block after it (30 ms), so a
# slice came with each key typed and doubled its time (52 -> 22 ms a key).
TYPING_REST_S = 0.5
# Spelling turned off takes the marks off this much text per event-loop turn, in one go
# each (``SpellHighlighter.unmark``): Qt lays the stretch out again (40-50 ms at 4 MB).
UNMARK_CHARS = 150_000
# Marks this far apart are laid out each on its own (``SpellHighlighter._put``).
GAP_CHARS = 20_000
LAYOUT_WAIT_MS = 20  # while Qt lays the text out, the checking looks again this much later (a step of the pace)
_CHECKED = itertools.count(1)  # a block's userState once checked: a new value for each highlighter


class _Place(QObject):
    """Where the sweep goes on: a position in a document that follows its
    edits as a cursor's does.  Not a QTextCursor: moving one also works out
    where on the screen it is, and at a block not laid out yet Qt lays out
    all the text before it first (0.37 s halfway down a 4 MB policy just
    zoomed, each time the sweep stopped there)."""

    def __init__(self, doc, parent: QObject):
        super().__init__(parent)
        self.position = 0
        self._doc = doc
        doc.contentsChange.connect(self._changed)

    def document(self):
        return self._doc

    def _changed(self, position: int, removed: int, added: int) -> None:
        if self.position > position:
            self.position = self.position + added - removed if self.position >= position + removed else position

    def close(self) -> None:
        self._doc.contentsChange.disconnect(self._changed)
        self.deleteLater()


class SpellHighlighter(QSyntaxHighlighter):
    """Marks misspelt words.  A block is checked once the sweep has reached
    it (its userState is then ``checked``, a value of this highlighter's
    own); before that, Qt's own requests (its full pass after the document
    is set, typing) leave it as it is, cheaply: the sweep gets there within
    a moment."""

    def __init__(self, document, speller: Speller):
        super().__init__(document)
        self.mark = QTextCharFormat()
        self.mark.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self.mark.setUnderlineColor(QColor("#d0021b"))
        self.idle_pass = False
        self.restart(speller)

    def restart(self, speller: Speller) -> None:
        """Check the text from the start, with *speller* (a new one, or
        spelling turned on again: ``Spelling._reuse_retired``)."""
        self.speller = speller
        self.checked = next(_CHECKED)  # (a block's userState once checked)
        self.off = False  # spelling turned off: it marks nothing (``Spelling._detach``)
        self.swept = False  # every block checked: from now on, each one as Qt asks
        self.held = False  # the last slice marked nothing: Qt was laying the text out
        self.screen_due = False  # the blocks on screen to be checked first, once Qt's layout is over
        if getattr(self, "_resume", None) is not None:
            self._resume.close()
        self._resume: _Place | None = None
        # The pass under way: [it began at the top, no block needed checking after its first slice].
        self._pass: list[bool] | None = None

    def unmark(self):
        """Take every mark off, UNMARK_CHARS of text per ``next()``, each
        stretch laid out again once (``_marking``).  (Qt's own way,
        ``setDocument(None)``, takes them off every block in one go: 1 s at
        4 MB, the whole text laid out again.)"""
        doc = self.document()
        at = QTextCursor(doc)  # (follows edits)
        while doc is not None:
            block = doc.findBlock(at.position())
            start = block.position()
            with self._marking() as span:
                while block.isValid() and block.position() - start < UNMARK_CHARS:
                    self._put(block, [], span)
                    block = block.next()
            if not block.isValid():
                return
            at.setPosition(block.position())
            yield

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        if self.idle_pass or self.off:
            # Qt's first pass over a new document: no block is reached yet (``Spelling.attach``);
            # or spelling is off: a block Qt asks for (an edit) loses its marks.
            return
        block = self.currentBlock()
        if not self.swept and block.userState() != self.checked:
            return  # not reached yet
        self.setCurrentBlockState(self.checked)
        for a, b in self.misspelt(block, text):
            self.setFormat(a, b - a, self.mark)

    def misspelt(self, block, text: str | None = None) -> list[tuple[int, int]]:
        """(start, end) in *block* of its misspelt words, code and links left out."""
        if kind_of(block) in (SOURCE, RULE, IMAGE):
            return []
        found = self.speller.misspelt(block.text() if text is None else text)
        if not found:
            return []
        skip = unchecked(block)
        return [(a, b) for a, b in found if not any(a < e and s < b for s, e in skip)]

    def check(self, first, last) -> None:
        """Check the blocks from *first* to *last* (QTextBlocks) not checked
        yet: their marks laid out at the end, once (``_marking``)."""
        with self._marking() as span:
            end = last.position() + last.length()
            block = first
            while block.isValid() and block.position() < end:
                if block.userState() != self.checked:
                    self._mark(block, span)
                block = block.next()

    def recheck(self, word: str) -> None:
        """Check again the checked blocks that hold *word* (the others
        keep their marks: marking a block lays the document out again)."""
        word = word.casefold()
        block = self.document().begin()
        while block.isValid():
            if block.userState() == self.checked and word in block.text().casefold():
                with self._marking() as span:  # (each on its own: not all the text between laid out again)
                    self._mark(block, span)
            block = block.next()

    @contextmanager
    def _marking(self):
        """Yields the stretch [start, end] that ``_put`` changed marks in; laid
        out again at the end, once.  Qt's way (``rehighlightBlock``) lays the
        text out again at each block marked, and at 4 MB moves every block
        after it: 24-33 ms a block.  The marks go into the blocks' layouts
        (which tells the document without telling it at once), and one
        ``markContentsDirty`` has Qt lay the stretch out: no edit of the
        document (no ``contentsChange``, the same revision), as Qt's own."""
        span: list[int] = []
        try:
            yield span
        finally:
            doc = self.document()
            if span and doc is not None:
                doc.markContentsDirty(span[0], span[1] - span[0])

    def _mark(self, block, span: list[int]) -> None:
        """Check *block*: ``_put`` its marks."""
        self._put(block, self.misspelt(block), span)
        block.setUserState(self.checked)

    def _put(self, block, marks: list[tuple[int, int]], span: list[int]) -> None:
        """*marks* ((start, end) in *block*) as its spelling marks, unless it
        has them already; its other formats (a word being composed by an
        input method) kept, and the marks after that word moved past it, as
        Qt's own highlighting does (they sat that many letters too early).
        *span*: widened to the block when changed."""
        layout = block.layout()
        ranges = layout.formats()
        preedit = len(layout.preeditAreaText())
        if preedit:  # a word being composed (an input method): the layout holds it at the cursor, the text not
            at = layout.preeditAreaPosition()
            marks = [(a + preedit, b + preedit) if a >= at else (a, b + preedit) if b >= at else (a, b)
                     for a, b in marks]
        ours = [(r.start, r.start + r.length) for r in ranges if r.format == self.mark]
        if ours == marks:
            return
        kept = [r for r in ranges if r.format != self.mark]
        for start, end in marks:
            r = QTextLayout.FormatRange()
            r.start, r.length, r.format = start, end - start, self.mark
            kept.append(r)
        layout.setFormats(kept)
        start, end = block.position(), block.position() + block.length()
        if span and (start - span[1] > GAP_CHARS or span[0] - end > GAP_CHARS):
            # Far from the stretch so far (two paragraphs typed apart, met in one slice): that one is laid
            # out now, on its own, not all the text between them.
            self.document().markContentsDirty(span[0], span[1] - span[0])
            span.clear()
        span[:] = [min(span[0], start), max(span[1], end)] if span else [start, end]

    def sweep(self, budget_s: float | None = None) -> bool:
        """Check the blocks not checked yet, from where the last call
        stopped, for about *budget_s* seconds (SLICE_S); True once every
        block is checked."""
        doc = self.document()
        if doc is None:
            return True
        if self._resume is None or self._resume.document() is not doc:
            if self._resume is not None:
                self._resume.close()
            self._resume, self._pass = _Place(doc, self), None  # follows edits: where to go on
        end = time.perf_counter() + (SLICE_S if budget_s is None else budget_s)
        resumed = self._pass is not None
        if not resumed:
            self._pass = [self._resume.position == 0, True]
        with self._marking() as span:  # (the slice's marks laid out once, at its end)
            return self._sweep_slice(doc, end, resumed, span)

    def _sweep_slice(self, doc, end: float, resumed: bool, span: list[int]) -> bool:
        # Qt laying the text out (a jump far down too): a mark now leaves blocks out of its layout.
        self.held = laying_out(doc)
        if self.held:
            return False
        block = doc.findBlock(self._resume.position)
        skipped = 0
        while block.isValid():
            if block.userState() != self.checked:
                self._mark(block, span)
                self._pass[1] = self._pass[1] and not resumed
                if time.perf_counter() >= end:
                    self._resume.position = block.position()
                    return False
            else:
                # Blocks checked already are passed over within the budget too: a pass over the
                # 22,000 of a 4 MB document held the window 0.2-0.4 s in one slice.
                skipped += 1
                if not skipped % 512 and time.perf_counter() >= end:
                    self._resume.position = block.position()
                    return False
            block = block.next()
        self._resume.position = 0
        # Once more from the top unless this pass began there and checked nothing after a pause:
        # blocks split while it went on.
        self.swept = self._pass[0] and self._pass[1]
        self._pass = None
        return self.swept


def _load(language: str, words: set[str], text: str) -> Speller:
    speller = Speller(language, words)
    for m in WORD_RE.finditer(text):  # the document's words, looked up once, here
        speller.known(m.group(0))
    return speller


class Spelling(SpellMenu, QObject):
    """The window's spell checker: ``speller`` once loaded (None before or
    when spelling is off)."""

    ready = Signal()

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.jobs = Jobs(self)
        self.speller: Speller | None = None
        self.highlighter: SpellHighlighter | None = None
        # Spelling turned off: the highlighter kept on the text shown, marking nothing, while its
        # marks are taken off a stretch per turn (``_unmarking``); used again when turned on.
        self._retired: SpellHighlighter | None = None
        self._unmarking = None
        self._attach_waiting = False  # turned on while the marks were taken off: ``attach`` once they are
        self._loading_for: tuple[str, set[str]] | None = None  # (language, workspace words)
        self._edited_at = 0.0  # (``TYPING_REST_S``)
        self._waiting = False  # a slice due while the surface is hidden: taken when it is shown
        window.editing.surface.reloaded.connect(self.attach)
        window.editing.surface.edited.connect(self._edited)
        window.editing.surface.spelling = self
        window.editing.view_changed.connect(self._view_changed)
        window.workspace_changed.connect(self.start)

    def start(self) -> None:
        """(Re)load the dictionary of the language in the settings, unless
        it is (being) loaded with the same language and workspace words
        (the window tells its features the workspace again once they load).
        During the window's start this waits for the start to be over, the
        reading of the workspace's words (every document's details) too."""
        loader = getattr(self.window, "feature_loader", None)
        if loader is not None and not loader.loaded:
            loader.after_start(self._start)
            return
        self._start()

    def _start(self) -> None:
        language = self.window.settings.spelling_language
        words = workspace_words(self.window.ws.root) if self.window.ws is not None and language else set()
        if language and (language, words) == self._loading_for:
            return
        self.speller = None
        self._attach_waiting = False
        self._loading_for = (language, words) if language else None
        self._detach()
        if not language:
            return
        # Loading takes a worker half a second of Python, which would share
        # the interpreter with the window's start: it begins once that is over.
        loader = getattr(self.window, "feature_loader", None)
        if loader is None:
            self._load(language, words)
        else:
            loader.after_start(lambda: self._load(language, words))

    def _load(self, language: str, words: set[str]) -> None:
        if (language, words) != self._loading_for:
            return  # asked for another language (or none) meanwhile
        text = self.window.editor.text()
        gc_guard.hold(HOLD_COLLECTIONS_S)  # the dictionary is kept for the whole run: frozen once loaded
        self.jobs.run(lambda: _load(language, words, text), self._loaded, self._failed, key="speller")

    def _failed(self, *_report) -> None:
        gc_guard.freeze("dictionary")  # ends the hold
        self._loading_for = None  # try again when asked

    def _loaded(self, speller: Speller) -> None:
        gc_guard.freeze("dictionary")
        self.speller = speller
        self.attach()
        self.ready.emit()

    def _detach(self) -> None:
        if self._retired is not None and self._retired.document() is not self.window.editing.surface.document():
            self._drop_retired()
        highlighter = self.highlighter
        self.highlighter = None
        if highlighter is not None and highlighter.document() is self.window.editing.surface.document():
            self._drop_retired()
            highlighter.off, self._retired = True, highlighter
            self._unmarking = highlighter.unmark()
            self._next_unmark()
        elif highlighter is not None:
            # The surface shows a new document and the old one goes: taking the marks
            # off each of its blocks first held the window 0.35 s at 4 MB.
            highlighter.deleteLater()

    def _next_unmark(self) -> None:
        steps = self._unmarking
        QTimer.singleShot(0, self, lambda: self._unmark(steps))

    def _unmark(self, steps) -> None:
        if steps is not self._unmarking:
            return  # finished, or another highlighter since
        if self._frozen(lambda: next(steps, True)) is not True:
            self._next_unmark()
            return
        self._unmarking = None
        if self._attach_waiting:  # (spelling turned on again meanwhile)
            self.attach()

    def _drop_retired(self) -> None:
        """The retired highlighter goes (its text is no longer shown: see ``_detach``)."""
        if self._retired is not None:
            self._retired.deleteLater()
        self._retired, self._unmarking = None, None

    def _reuse_retired(self, doc) -> SpellHighlighter | None:
        """The retired highlighter of *doc* (its marks all off: ``attach``
        waits for that), or None."""
        retired = self._retired
        if retired is None or retired.document() is not doc:
            self._drop_retired()
            return None
        self._retired = None
        retired.restart(self.speller)
        return retired

    def know_organization(self) -> None:
        """The open document's organization is no misspelling: its name may
        have been typed (in the questionnaire, the details) after the
        workspace's words were read; the text shown is checked again for it."""
        doc = getattr(self.window, "doc", None)
        if self.speller is None or doc is None:
            return
        new = [w for w in (m.group(0) for m in WORD_RE.finditer(doc.organization))
               if w.replace("’", "'").casefold() not in self.speller.extra]
        for word in new:
            self.speller.add(word)
        if new and self.highlighter is not None:
            self._frozen(lambda: [self.highlighter.recheck(word) for word in new])

    def attach(self) -> None:
        """Check the surface's (new) document: what is on screen now, the
        rest a slice per event-loop turn."""
        surface = self.window.editing.surface
        retired = self._retired
        # Its marks still being taken off a stretch per turn: it checks once they are (taking the
        # rest off at once held the window up to 0.3 s at 4 MB).
        self._attach_waiting = (self.speller is not None and self._unmarking is not None and retired is not None
                                and retired.document() is surface.document())
        if self._attach_waiting:
            return
        self._detach()
        self._waiting = False  # (this one's slices start here)
        if self.speller is not None:
            self.know_organization()
            reused = self._reuse_retired(surface.document())
            self.highlighter = reused or SpellHighlighter(surface.document(), self.speller)
            if reused is None:
                # Qt's full pass, due on the next event-loop turn once a highlighter is set on a
                # document, now: no block is reached yet, so it marks nothing, and typing is checked
                # from now on (Qt ignores the changes while that pass is due).  Each block answered
                # at once (asking it where it is and what it holds took 0.12 s of a 4 MB text).
                self.highlighter.idle_pass = True
                try:
                    self.highlighter.rehighlight()
                finally:
                    self.highlighter.idle_pass = False
            self.highlighter.screen_due = True
            if not laying_out(surface.document()):
                self._check_screen()  # (else once Qt's layout is over: ``_sweep``)
            self._next_slice()  # the rest from the next turn: this one did enough

    def _check_screen(self) -> None:
        """Check the blocks on screen at once."""
        surface = self.window.editing.surface
        self.highlighter.screen_due = False
        viewport = surface.viewport()
        first, last = block_at(surface, 0), block_at(surface, viewport.height())
        if not 0 <= last.blockNumber() - first.blockNumber() <= SCREEN_BLOCKS:
            # No screen holds so many: where the text is shown is not known (its layout moved
            # since). Those around the cursor then (checked 13,000 blocks of a 4 MB policy read
            # halfway down, each laid out again: 50-110 s).
            doc, at = surface.document(), surface.textCursor().blockNumber()
            first = doc.findBlockByNumber(max(0, at - SCREEN_BLOCKS // 2))
            last = doc.findBlockByNumber(min(doc.blockCount() - 1, at + SCREEN_BLOCKS // 2))
        self._frozen(lambda: self.highlighter.check(first, last))

    def _next_slice(self) -> None:
        highlighter = self.highlighter
        # (held at the text not laid out yet: looked at again a step of the layout later, not at every turn)
        wait = LAYOUT_WAIT_MS if highlighter is not None and highlighter.held else 0
        QTimer.singleShot(wait, self, lambda: self.highlighter is highlighter and self._sweep())

    def _view_changed(self, source: bool) -> None:
        if not source and self._waiting:
            self._waiting = False
            self._next_slice()

    def _edited(self) -> None:
        self._edited_at = time.perf_counter()

    def _sweep(self) -> None:
        """One slice of the checking; the next on the next event-loop turn
        (while the user types, once the typing rests: ``TYPING_REST_S``)."""
        highlighter = self.highlighter
        if highlighter is None:
            return
        if self.window.editing.source_view():
            self._waiting = True  # (``_view_changed``)
            return
        rest = self._edited_at + TYPING_REST_S - time.perf_counter()
        if rest > 0:
            QTimer.singleShot(int(rest * 1000) + 1, self, lambda: self.highlighter is highlighter and self._sweep())
        elif highlighter.screen_due and not laying_out(highlighter.document()):
            self._check_screen()  # (Qt's layout over: what is on screen first)
            self._next_slice()
        elif not self._frozen(highlighter.sweep):
            self._next_slice()

    def _frozen(self, change):
        """*change()*, its marks not taken for edits; the cursor kept in
        sight if it was (a marked word can break its line elsewhere: after
        Ctrl+End the end of a long policy went 13 px below the view)."""
        surface = self.window.editing.surface
        in_sight = caret_in_sight(surface)
        surface.freeze_changes(True)
        try:
            return change()
        finally:
            surface.freeze_changes(False)
            if in_sight and not caret_in_sight(surface):
                surface.ensureCursorVisible()

    def set_language(self, language: str) -> None:
        self.window.settings.spelling_language = language
        self.window.save_settings()
        self.start()
