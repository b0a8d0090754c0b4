"""The rich editing surface: the document as a reader sees it (headings,
bold, bullets, tables), typed into like a word processor, saved as the
Markdown it was made from with only the edited blocks rewritten.

Each text block carries the index of the source block it was made from (a
block-format property: Qt copies it when Enter splits a block and keeps it
through undo); ``contentsChange`` marks those blocks changed, and
``source()`` writes every other block as its original bytes."""

from __future__ import annotations

import logging
import time
from bisect import bisect_right
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QSizeF, QTimer, Signal
from PySide6.QtGui import QAction, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit, QWidget

from guidelines_app.core.surface_text import SOURCE, Unit
from guidelines_app.ui import large_document, table_fit
from guidelines_app.ui.jobs import Jobs
from guidelines_app.ui.paced_layout import pace
from guidelines_app.ui.surface import build, far_jump, long_load, writing
from guidelines_app.ui.surface.commands import FormatCommands
from guidelines_app.ui.surface.formats import P_LEVEL, P_UNIT, kind_of, unit_of
from guidelines_app.ui.surface.images import Pictures
from guidelines_app.ui.surface.keys import BlockKeys

# A document of this many blocks has its first write walked a slice a turn once shown (``writing.prime``): the
# first pause in typing then walks only the blocks around the edit (a whole walk of 21,000 blocks: 0.13 s alone,
# over a second while the preview is rendered on its thread).
PRIME_FROM_BLOCKS = 2000
# What finishes a first part's build at once (``event``): a key, an input method's text, a shortcut.
_FINISH_ON = (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.InputMethod)


def _no_progress(_percent: int) -> None:
    """(A first part is shown while the rest is built: no progress to tell.)"""


class RichSurface(FormatCommands, BlockKeys, QTextEdit):
    """Public: ``load(body)``, ``source()``, ``current_line()``,
    ``go_to_line()``, the formatting commands, and ``edited`` (emitted after
    every change of the text)."""

    edited = Signal()
    reloaded = Signal()  # a new document is shown (load; for a long one, its notice first, then the text)
    progress = Signal(int)  # how much of a long document is built (0-100), while ``building()``
    left = Signal()  # the focus went elsewhere (a panel, a menu, a dialog)

    def __init__(self, parent: QWidget | None = None, font_size: int = 11):
        super().__init__(parent)
        self.setObjectName("surface")
        self.setAccessibleName(self.tr("Document text"))
        self.setAccessibleDescription(self.tr("The document, formatted as readers see it; type to edit"))
        self.setAcceptRichText(True)
        self.setTabChangesFocus(False)
        self.setWordWrapMode(table_fit.WRAP)
        self.base_size = float(font_size)
        self.units: list[Unit] = []
        self.dirty: set[int] = set()
        self._kept: dict = {}  # the edited blocks' last writings (``writing.write``), until the next load
        self._written = writing.LastWrite()  # the last write, told where the document changed since
        self._priming = None  # a long document's first write, a slice a turn (``writing.prime``)
        self._ends_with_newline = True
        self._lines: list[int] = []  # first source line of each block, as of the last write
        self._loading = False
        self._frozen = False
        self._revision = -1
        self._build: long_load.SlicedBuild | None = None  # a long document being built (``load``)
        self._first_part = self._kept_shown = False  # shown while it is built: its first part, the text before, or a notice
        self._finished_build: long_load.SlicedBuild | None = None  # the last one built, until the next load
        self._jobs = Jobs(self)  # a long document's blocks found on a worker (``long_load``)
        self._when_whole: list = []  # callbacks waiting for the whole text (``when_whole``)
        self._go_to_after: int | None = None  # a line to go to once it is shown
        self.spelling = None  # ui.surface.spelling.Spelling, once installed
        self.menu_entries: list = []  # features' additions to the right-click menu
        self.pictures = Pictures()  # its root is set by whoever knows the workspace
        self._fit_timer = QTimer(self, singleShot=True, interval=100)  # the tables fitted after a resize
        self._fit_timer.timeout.connect(self._fit_tables)
        self.setPlaceholderText("Start writing. Use the Format menu for headings, lists and tables.")
        self.load("")

    # ---- text in and out ------------------------------------------------------

    def load(self, body: str, done=None, first_part: bool = True, keep_shown: bool = False) -> None:
        """Show *body*; the undo history starts here, unmodified.  A body
        that is long (``large_document.is_long``) is built a slice per
        event-loop turn, a notice shown meanwhile (``building()``;
        ``progress`` says how far); one not so long but over
        ``large_document.FIRST_PART_CHARS`` shows its first part meanwhile
        and is built once that is painted (``long_load``), unless *first_part*
        is false (a line further on); with *keep_shown* (the same document, as
        the source view left it), the text shown stays meanwhile, read-only
        (built at once, 40,000 words held the window 0.2-0.27 s).  *done*:
        called once the text is shown (at once for a usual one)."""
        kept = keep_shown and bool(self.units) and self._build is None and not self._loading
        self._cancel_load()
        self._finished_build = None
        self._loading = True
        doc = self.new_document()
        self.pictures.clear()
        long = large_document.is_long(len(body))
        shows_part = large_document.shows_first_part(len(body))
        first = long_load.first_part(body) if first_part and shows_part else None
        if long or first is not None or (shows_part and kept):
            self._build = long_load.SlicedBuild(self, body, doc, self.base_size, self.pictures,
                                                self.progress.emit if long else _no_progress,
                                                lambda built: self._built(built, done), self._build_failed,
                                                long_load.SLICE_S if long else long_load.FIRST_PART_SLICE_S, jobs=self._jobs)
            self._first_part = not long
            self._kept_shown = not long and first is None
            self.setReadOnly(True)
            if self._kept_shown:  # the text shown now stays (no ``reloaded``: it is the same document)
                self._build.start()
                return
            shown = long_load.shown_meanwhile(self, None if long else first)
            self._show(shown, "", [], [])  # (``reloaded`` with ``building()`` true: the notice or the first part)
            self._loading = True  # (until the text is shown: nothing on the notice is an edit)
            if long:
                self._build.start()
            else:
                self._build.start_when_painted()  # (``paintEvent``)
            return
        units, lines = build.build(body, doc, self.base_size, self.pictures)
        self._show(doc, body, units, lines)
        if done is not None:
            done()

    def new_document(self) -> QTextDocument:
        """An empty document to build a text into, set up as the surface shows it."""
        doc = QTextDocument(self)
        # Its layout made now, on no page: what is built below is laid out once, when the surface takes the
        # document and gives it its width (made after, the layout walked every block twice more: 6 ms of 40,000 words).
        doc.setPageSize(QSizeF(0, 0))
        pace(doc)  # (its layout made here: Qt's steps in the background of a long text paced)
        doc.setDefaultFont(self.font())
        doc.setDocumentMargin(16)
        option = doc.defaultTextOption()
        option.setWrapMode(table_fit.WRAP)  # a word breaks only when it alone is wider than its line or column
        doc.setDefaultTextOption(option)
        doc.setUndoRedoEnabled(False)
        return doc

    def when_whole(self, callback) -> None:
        """Run *callback* once the surface shows a whole text: now, unless it
        shows a first part or a notice while the whole is built (see
        ``long_load``), or once the build stopped or failed."""
        if self._build is not None and not self._build.failed:
            self._when_whole.append(callback)
        else:
            callback()

    def _run_when_whole(self) -> None:
        waiting, self._when_whole = self._when_whole, []
        for callback in waiting:
            callback()

    def building(self) -> bool:
        """Whether a long document is being built (its notice or first part shown)."""
        return self._build is not None

    def build_failed(self) -> bool:
        """Whether the long document being built could not be (its notice says so, for good)."""
        return self._build is not None and self._build.failed

    def finish_load(self) -> None:
        """A first part shown while the whole is built: build the rest now."""
        if self._build is not None and self._first_part:
            self._build.finish()

    def cancel_load(self) -> None:
        """Stop building a long document (the text is shown in source view
        instead); what waits for the whole text goes on."""
        self._cancel_load()
        self._run_when_whole()

    def _cancel_load(self) -> None:
        """Stop building a long document (a newer text is to be shown)."""
        if self._build is not None:
            self._build.cancel()
            self._build.doc.deleteLater()
            self._build.setParent(None)  # (let go of by Python: see ``_built``)
            self._build, self._go_to_after = None, None
            self.setReadOnly(False)

    def _built(self, built: long_load.SlicedBuild, done) -> None:
        self._build = None
        # Let go of by Python at the next load, not by deleteLater: with PySide 6.11, deleting a build
        # that had waited for a paint crashed Qt within a few dozen loads (a test loads 40).
        built.setParent(None)
        self._finished_build = built
        self.setReadOnly(False)
        built.doc.setDefaultFont(self.font())  # (zoomed meanwhile: the notice took it)
        place = long_load.place(self) if self._first_part and not self._kept_shown else None
        self._show(built.doc, built.body, built.units, built.lines)
        if place is not None:  # (a first part's blocks are the whole text's first ones)
            long_load.go_back(self, place)
        if done is not None:
            done()
        line, self._go_to_after = self._go_to_after, None
        if line is not None:  # asked for while it was built: after what *done* did
            self.go_to_line(line)
        self._fit_pictures(again=True)  # (resized meanwhile: the notice was)

    def _build_failed(self, exc: BaseException) -> None:
        """Building it stopped on *exc* (never seen): the notice stays, saying so, and the
        surface goes on answering with the document's text (``source``); nothing is written."""
        logging.getLogger(__name__).error("the formatted view could not be built", exc_info=exc)
        self.document().setPlainText(self.tr("The formatted view cannot show this document. Its text is safe: "
                                             "View > Markdown Source shows it, to read, edit and save."))
        self._run_when_whole()

    def _show(self, doc: QTextDocument, body: str, units: list[Unit], lines: list[int]) -> None:
        """Show *doc*, built from *body* (its blocks *units*, their first *lines*)."""
        self.units, self._lines = units, lines
        # The tables fitted to the pane's width, before the undo history starts (a change of
        # a table's widths is an edit to Qt): a later resize scales their columns alike.
        table_fit.fit_tables(doc, table_fit.page_width(self, doc))
        doc.setUndoRedoEnabled(True)
        doc.setModified(False)
        old, self._own_doc = getattr(self, "_own_doc", None), doc
        self.setDocument(doc)
        if old is not None:
            old.deleteLater()  # one of ours (Qt deletes only its own first document)
        doc.contentsChange.connect(self._changed)
        self.dirty, self._kept, self._written = set(), {}, writing.LastWrite()
        self._ends_with_newline = body.endswith("\n") or not body
        self._loading = False
        self._revision = doc.revision()
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.reloaded.emit()
        self._priming = None
        if self._build is None:
            if doc.blockCount() >= PRIME_FROM_BLOCKS:
                self._priming = priming = writing.prime(doc, units, self._written, self._ends_with_newline)
                QTimer.singleShot(long_load.STEP_MS, self, lambda: self._prime(priming))
            self._run_when_whole()

    def _prime(self, priming) -> None:
        """A slice of a long document's first write (``writing.prime``), then the next after a pause."""
        if priming is not self._priming:
            return  # another document shown since
        try:
            next(priming)
        except StopIteration:
            self._priming = None
            return
        QTimer.singleShot(long_load.STEP_MS, self, lambda: self._prime(priming))

    @contextmanager
    def edits_within_blocks(self):
        """For edits that each stay within one block (Replace All): yields a
        list for the caller to add each edited block to, and marks only
        their units edited.  Qt reports the changes of one undo step as one
        stretch, from the first to the last, which marked every block
        between: after a Replace All, each of them was written at every sync."""
        before = set(self.dirty)
        touched: list = []
        try:
            yield touched
        finally:
            self.dirty = before | {unit_of(block) for block in touched}

    def freeze_changes(self, frozen: bool) -> None:
        """While frozen, changes of the look only (spelling marks) are not edits."""
        self._frozen = frozen

    def source(self) -> str:
        """The body as it would be saved now (of a long document being
        built, the body given to ``load``)."""
        if self._build is not None:
            return self._build.body
        text, self._lines = writing.write(self.document(), self.units, self.dirty, self._ends_with_newline, self._kept,
                                          self._written)
        return text

    def source_steps(self, slice_s: float):
        """``source`` as a generator, *slice_s* seconds a step: the body, or None once the document changed
        between two steps (the edited blocks' sources worked out so far are kept for the next writing)."""
        if self._build is not None:
            return self._build.body
        doc, units, revision, pace = self.document(), self.units, self.document().revision(), [0.0]
        steps = writing.write_steps(doc, units, self.dirty, self._ends_with_newline, self._kept, self._written, pace)
        while True:
            pace[0] = time.perf_counter() + slice_s
            try:
                next(steps)
            except StopIteration as done:
                text, self._lines = done.value
                return text
            yield
            if self.document() is not doc or self.units is not units or doc.revision() != revision \
                    or self._build is not None:
                return None

    def _changed(self, position: int, removed: int, added: int) -> None:
        doc = self.document()
        if removed == added and doc.revision() == self._revision:
            return  # a highlighter's marks: no change of the text or its formats
        self._revision = doc.revision()
        self._written.changed(position, added, doc.characterCount())  # (the next write walks from here)
        if self._loading or self._frozen:
            return  # not an edit
        block = doc.findBlock(position)
        end = doc.findBlock(position + max(added, 0))
        while block.isValid():
            self.dirty.add(unit_of(block))
            if block == end or block.blockNumber() > end.blockNumber():
                break
            block = block.next()
        self.edited.emit()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self._build is not None and self._build.waiting():
            self._build.start()  # its first part is on screen: the whole is built from the next turn

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_pictures()
        if event.size().width() != event.oldSize().width():
            self._fit_timer.start()  # once the resize pauses: meanwhile the columns scale with the page

    def _fit_tables(self) -> None:
        """The tables fitted to the new width (``table_fit``) while nothing has
        been typed: to Qt a change of a table's column widths is an edit, one
        step of the undo history, so once there is a history the tables keep
        the widths they were fitted to (their columns scale with the pane)."""
        doc = self.document()
        if self._build is not None or self._loading or doc.availableUndoSteps() or doc.availableRedoSteps():
            return
        modified, frozen = doc.isModified(), self._frozen
        self._frozen = True  # not an edit: nothing is written back
        doc.setUndoRedoEnabled(False)
        try:
            table_fit.fit_tables(doc, table_fit.page_width(self, doc))
        finally:
            doc.setUndoRedoEnabled(True)
            doc.setModified(modified)
            self._frozen = frozen

    def _fit_pictures(self, again: bool = False) -> None:
        """The pictures fitted to the page's width (*again*: even if it seems unchanged)."""
        if again:
            self.pictures.width = 0
        self.pictures.fit_to(self.document(), self.viewport().width() - 2 * int(self.document().documentMargin()) - 4)

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().focusOutEvent(event)
        self.left.emit()

    def insertFromMimeData(self, source) -> None:  # noqa: N802 - Qt's name
        """Paste keeps structure, drops styling (see ui.surface.paste)."""
        if self.isReadOnly():  # (Qt's own check is in the method this replaces)
            return
        if source.hasHtml() and kind_of(self.textCursor().block()) != SOURCE and self.textCursor().currentTable() is None:
            from guidelines_app.ui.surface.paste import paste_html

            paste_html(self, source.html())
        elif source.hasText():
            self.textCursor().insertText(source.text(), self.textCursor().charFormat())
        self.ensureCursorVisible()

    # ---- far down a long text just opened (``far_jump``) ---------------------------

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if not far_jump.to_end_key(self, event):  # Ctrl+End, Ctrl+Shift+End, Ctrl+A
            super().keyPressEvent(event)

    def selectAll(self) -> None:  # noqa: N802 - Qt's name (Edit > Select All)
        far_jump.select_all(self)

    def find(self, needle: str, options: QTextDocument.FindFlag | None = None) -> bool:  # (Find Next)
        return far_jump.find(self, needle, QTextDocument.FindFlag(0) if options is None else options)

    def find_from(self, needle: str, options: QTextDocument.FindFlag, position: int) -> bool:
        """Find from *position* (a search wrapping around), not the cursor."""
        return far_jump.find(self, needle, options, position)

    def event(self, event) -> bool:
        if self._build is not None and self._first_part and event.type() in _FINISH_ON:
            self.finish_load()  # typed on a first part: the whole text at once (a moment), then the key
        return super().event(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._kept_shown and self._build is not None:
            self.finish_load()  # a click on the text shown before: the new one shown, at its line (no click there)
            return
        super().mousePressEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._kept_shown and self._build is not None:
            self.finish_load()  # (as a click: no menu for what was under the pointer before)
            return
        self.finish_load()  # (of a first part: its entries act on the whole text)
        menu = self.context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def context_menu(self, pos):
        """The right-click menu at *pos* (viewport coordinates): Qt's own
        entries, spelling suggestions, then what features add
        (``menu_entries``: callables given the menu and the position).
        Without a selection the cursor moves to *pos* first, as in a word
        processor: the entries act on the paragraph clicked."""
        if not self.textCursor().hasSelection():
            self.setTextCursor(self.cursorForPosition(pos))
        menu = self.createStandardContextMenu(pos)
        select_all = menu.findChild(QAction, "select-all")  # (Qt's calls its own, which lays all the text out)
        if select_all is not None:
            select_all.triggered.disconnect()
            select_all.triggered.connect(lambda _checked=False: self.selectAll())
        if self.spelling is not None:
            self.spelling.extend_menu(self, menu, pos)
        for add in self.menu_entries:
            add(menu, pos)
        return menu

    # ---- where the cursor is ---------------------------------------------------------

    def block_lines(self) -> list[int]:
        """The first source line of each block, as of the last write."""
        return self._lines

    def current_line(self) -> int:
        going = far_jump.pending(self)  # (a jump under way: its line)
        n = going.blockNumber() if going is not None else self.textCursor().blockNumber()
        return self._lines[n] if 0 <= n < len(self._lines) else (self._lines[-1] if self._lines else 0)

    def go_to_line(self, line: int) -> None:
        if line and not self._kept_shown:  # (the first line is on a first part, gone to there; the text shown before waits)
            self.finish_load()  # (of a first part: the whole text now, a moment's work)
        if self._build is not None and (line or self._kept_shown):  # once the text is shown
            self._go_to_after = line
            self.setFocus()  # (a key typed meanwhile builds the rest at once)
            return
        n = max(0, bisect_right(self._lines, line) - 1)
        # (far down a long text not laid out that far: laid out first, a slice per turn)
        far_jump.jump(self, self.document().findBlockByNumber(n), self._go_to_block)
        self.setFocus()

    def _go_to_block(self, block) -> None:
        self.setTextCursor(QTextCursor(block))
        self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())
        self.ensureCursorVisible()

    def block_kind(self) -> str:
        return kind_of(self.textCursor().block())

    def is_source_block(self) -> bool:
        return kind_of(self.textCursor().block()) == SOURCE

    @staticmethod
    def unit_property() -> int:
        return P_UNIT

    @staticmethod
    def level_property() -> int:
        return P_LEVEL
