"""The two ways to edit a document, one shown at a time: the rich surface
(the default) and the Markdown source editor (View > Markdown Source).

The source editor holds the text everybody else reads (saving, autosave,
outside changes, the features); the surface writes its edits into it a
moment after typing pauses (and at once when the text is asked for), as the
few lines that changed, so the source editor, the preview and the outline
follow.  A change made to the source (a recovered text, a clause inserted,
re-answering, typing in source view) shows on the surface when it is shown.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QStackedWidget

from guidelines_app.core.surface_write import shared_length
from guidelines_app.ui import appearance
from guidelines_app.ui.fill import fill
from guidelines_app.ui.paced_layout import block_at
from guidelines_app.ui.surface import far_jump
from guidelines_app.ui.surface.editor import RichSurface

SYNC_DELAY_MS = 120
# The surface's edits are written into the source after a pause in typing of
# SYNC_DELAY_MS, or of this many times the last writing's length when longer
# (a long document: 90 ms at 480,000 words), up to SYNC_DELAY_MAX_MS: a
# steady typist is not held between two keys.
SYNC_DELAY_FACTOR = 3
SYNC_DELAY_MAX_MS = 1000
SYNC_SLICE_S = 0.02  # the writing after a pause: worked out this long an event-loop turn (``_sync_in_steps``)
SYNC_STEP_MS = 10  # between two of its slices: a timer of its own (a posted call runs before the keys due)
ZOOM_LIMIT = 12
# A long document's surface being built: how far (in the status bar).
BUILDING = QT_TRANSLATE_NOOP("EditingViews", "Showing the document formatted… %1%")


def _utf16(text: str, end: int) -> int:
    """Qt's position of Python index *end* in *text* (Qt counts UTF-16 units)."""
    head = text[:end]
    if head.isascii():
        return end
    return len(head.encode("utf-16-le", "surrogatepass")) // 2  # (a letter past U+FFFF is two units)


class EditingViews(QStackedWidget):
    """The surface and the source editor, with the commands the Edit and
    Format menus send to whichever is shown."""

    undoAvailable = Signal(bool)  # noqa: N815 - Qt's own signal names
    redoAvailable = Signal(bool)  # noqa: N815
    view_changed = Signal(bool)  # True: source view

    def __init__(self, window, editor, font_size: int):
        super().__init__()
        self.setObjectName("editing-views")
        self.window = window
        self.editor = editor
        self.surface = RichSurface(font_size=font_size)
        self.addWidget(self.surface)
        self.addWidget(editor)
        self.zoom = 0
        self._syncing = False
        self._stale = True  # the surface does not show the source's text yet
        self._pending = False  # surface edits not yet in the source
        self._base_modified = False
        self._forced_source = False  # in source view only because of a very large document
        self._sync_timer = QTimer(self, singleShot=True, interval=SYNC_DELAY_MS)
        self._sync_timer.timeout.connect(self._sync_in_steps)
        self._stepping = None  # the writing after a pause under way (``_sync_in_steps``), if any
        self._shows_this_document = False  # the surface shows (or builds) the document open now
        self._opened: str | None = None  # which document that is (the window's slug)
        self._reload_timer = QTimer(self, singleShot=True, interval=0)
        self._reload_timer.timeout.connect(self.refresh_surface)
        self._cursor_timer = QTimer(self, singleShot=True, interval=SYNC_DELAY_MS)
        self._cursor_timer.timeout.connect(self._cursor_settled)
        self.surface.cursorPositionChanged.connect(self._cursor_timer.start)
        # Clicking a panel (the Clause Library's Insert) acts on the source at once.
        self.surface.left.connect(self.flush)
        self.surface.left.connect(self.follow_cursor)
        self.surface.edited.connect(self._surface_edited)
        self.surface.progress.connect(self._building)
        editor.textChanged.connect(self._source_changed)
        editor.jumped.connect(self._jumped)
        editor.document().modificationChanged.connect(self._source_modification)
        self._painted_with = appearance.current().name
        appearance.follow(self, self._recolour)
        for widget in (self.surface, editor):
            widget.undoAvailable.connect(lambda on, w=widget: self.currentWidget() is w and self.undoAvailable.emit(on))
            widget.redoAvailable.connect(lambda on, w=widget: self.currentWidget() is w and self.redoAvailable.emit(on))

    # ---- which view ---------------------------------------------------------------

    def source_view(self) -> bool:
        return self.currentWidget() is self.editor

    def show_source(self, on: bool) -> None:
        """View > Markdown Source: the source editor (True) or the surface."""
        self._forced_source = False
        if on == self.source_view():
            return
        if on:
            self.flush()
            line = self.current_line()  # (the surface's, or while it is built the source's)
            self.setCurrentWidget(self.editor)
            self.editor.go_to_line(line)
            if not getattr(self.window, "heavy_features_off", False):
                self.editor.highlighter.attach()  # (the lines on screen at once, the rest in slices)
        else:
            line = self.editor.current_line()
            self.refresh_surface(at_line=line)
            self.setCurrentWidget(self.surface)
            # Nobody sees it: typing and opening skip it.  (Taking its marks off is no change of the
            # text to show on the surface, which was built again then, over what was typed on it.)
            self.editor.highlighter.detach()
            self.surface.go_to_line(line)
        self._retarget()
        self.view_changed.emit(on)

    def active(self):
        return self.currentWidget()

    def _retarget(self) -> None:
        find_bar = getattr(self.window, "find_bar", None)
        if find_bar is not None:
            find_bar.editor = self.active()
        self.undoAvailable.emit(self.active().document().isUndoAvailable())
        self.redoAvailable.emit(self.active().document().isRedoAvailable())

    def large_document_loading(self) -> None:
        """A very large document is about to stream into the source editor:
        it is shown in source view (the surface would take long), from the
        start, so the editor lays the text out as it comes."""
        self._sync_timer.stop()
        self._pending = False
        self._shows_this_document = False
        self.surface.cancel_load()  # a long document's surface still being built: not that one
        self._stale = True
        if not self.source_view():
            self._forced_source = True
            self.setCurrentWidget(self.editor)
            self._retarget()
            self.view_changed.emit(True)

    def document_opened(self, large: bool) -> None:
        """A document (or none) is in the source editor: show it.  A very
        large one stays in source view."""
        find_bar = getattr(self.window, "find_bar", None)
        if find_bar is not None:
            find_bar.cancel_waiting()
        # Another document: not shown at the line the last one's cursor was on (the same, reloaded: kept).
        opened = getattr(self.window, "slug", None)
        same, self._opened = opened == self._opened, opened
        self._stale = True
        self._pending = False
        self._shows_this_document = False
        self._sync_timer.stop()
        self._sync_timer.setInterval(SYNC_DELAY_MS)  # until this document's own writing is timed
        if large:
            self.large_document_loading()
        elif self._forced_source and self.source_view():
            self._forced_source = False
            self.show_source(False)  # back to the surface after a very large document
        if not self.source_view():
            self.refresh_surface(None if same else 0)
        self.focus()

    def focus(self) -> None:
        self.active().setFocus()

    # ---- keeping the two in step -----------------------------------------------------

    def _surface_edited(self) -> None:
        if self.surface.document().isModified() and not self.editor.document().isModified():
            self._syncing = True
            self.editor.document().setModified(True)  # the title shows it at once
            self._syncing = False
        self._pending = True
        self._sync_timer.start()

    def pending(self) -> bool:
        """Whether the surface has edits not yet written into the source."""
        return self._pending and not self.source_view()

    def flush(self) -> None:
        """Write the surface's edits into the source editor now."""
        self._sync_timer.stop()
        self._stepping = None  # (a writing after a pause under way: done here at once, from what it worked out)
        if not self._pending or self.source_view():
            return
        if self._stale:
            # The source changed after the surface was last loaded (a reload, a
            # re-answered draft, a restore): the newer text wins; writing the
            # surface's older text over it would undo that change.
            self.refresh_surface()
            return
        self._pending = False
        started = time.perf_counter()
        self._written_back(self.surface.source(), started)

    def _sync_in_steps(self) -> None:
        """After a pause in typing: the surface's edits written into the
        source as ``flush`` writes them, worked out SYNC_SLICE_S at a time,
        one slice per event-loop turn (a Replace All's paragraphs, hundreds
        of them, held the window 0.2-0.3 s in one go).  A writing the
        document changed under is dropped (the next pause writes it; what
        it worked out is kept); ``flush`` meanwhile finishes it at once."""
        if not self._pending or self.source_view() or self._stale:
            self.flush()
            return
        self._stepping = steps = self.surface.source_steps(SYNC_SLICE_S)
        self._sync_step(steps, 0.0)

    def _sync_step(self, steps, spent: float) -> None:
        if steps is not self._stepping:
            return  # flushed, or another document or writing since
        started = time.perf_counter()
        try:
            next(steps)
        except StopIteration as done:
            self._stepping = None
            if done.value is None:  # the document changed: written after the next pause
                self._sync_timer.start()
                return
            if not self._pending or self.source_view() or self._stale:
                self.flush()  # (as flush decides: the source's newer text wins)
                return
            self._pending = False
            self._written_back(done.value, started - spent)
            return
        except BaseException:
            self._stepping = None  # (not resumed; the next flush writes it, or says what stops it)
            raise
        spent += time.perf_counter() - started
        QTimer.singleShot(SYNC_STEP_MS, self, lambda: self._sync_step(steps, spent))

    def _written_back(self, new: str, started: float) -> None:
        """Put *new*, the surface's body, into the source editor; *started*:
        when its writing began (its working time sets the next pause's)."""
        old = self.editor.text()
        self._syncing = True
        try:
            if new != old:
                self._replace_changed_lines(old, new)
            self.editor.document().setModified(self._base_modified or self.surface.document().isModified())
        finally:
            self._syncing = False
        took_ms = (time.perf_counter() - started) * 1000
        self._sync_timer.setInterval(int(min(SYNC_DELAY_MAX_MS, max(SYNC_DELAY_MS, SYNC_DELAY_FACTOR * took_ms))))
        self.follow_cursor()

    def _cursor_settled(self) -> None:
        """The surface's cursor rested: the source's follows it, unless
        edits wait for the sync timer (a key typed moves the cursor too) or
        are being written in slices, whose writing ends by following it
        (following now would write the rest at once)."""
        if self._stepping is not None or (self._pending and self._sync_timer.isActive()):
            return
        self.follow_cursor()

    def follow_cursor(self) -> None:
        """Put the source editor's cursor at the end of the surface's current
        block (what inserts at "the cursor", like a clause, uses it)."""
        self._cursor_timer.stop()
        if self.source_view() or far_jump.pending(self.surface) is not None:
            return  # (a jump under way: its cursor comes back here)
        if self._pending:
            self.flush()  # which comes back here
            return
        lines = self.surface.block_lines()
        n = self.surface.textCursor().blockNumber()
        if not lines or n >= len(lines):
            return
        first = lines[n]
        nxt = next((line for line in lines[n + 1:] if line > first), None)
        doc = self.editor.document()
        last = (nxt - 1) if nxt is not None else doc.blockCount() - 1
        block = doc.findBlockByNumber(max(first, last))
        while block.isValid() and block.blockNumber() > first and not block.text().strip():
            block = block.previous()
        if block.isValid():
            cursor = QTextCursor(block)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            self.editor.setTextCursor(cursor)

    def _replace_changed_lines(self, old: str, new: str) -> None:
        """Write into the source editor only the lines from the first that
        differs to the last: the shared start and end are found by halving
        (slice comparisons, not a step of Python per line of a long text)."""
        most = min(len(old), len(new))
        same = shared_length(lambda k: old[:k] == new[:k], most)
        start = old.rfind("\n", 0, same) + 1  # the start of the line of the first difference
        tail = shared_length(lambda k: old[len(old) - k:] == new[len(new) - k:], most - same)
        old_end = old.find("\n", len(old) - tail)  # the end of the line of the last difference
        old_end = len(old) if old_end < 0 else old_end
        new_end = len(new) - (len(old) - old_end)
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(_utf16(old, start))
        cursor.setPosition(_utf16(old, old_end), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(new[start:new_end])

    def _source_changed(self) -> None:
        if self._syncing:
            return
        self._stale = True
        if not self.source_view():
            self._reload_timer.start()

    def _source_modification(self, modified: bool) -> None:
        if self._syncing:
            return
        if not modified:  # saved or discarded: the surface's text is the saved one
            self._base_modified = False
            self._syncing = True  # (no undo back to the saved text: nothing to write back)
            try:
                self.surface.document().setModified(False)
            finally:
                self._syncing = False
        else:
            self._base_modified = True

    def refresh_surface(self, at_line: int | None = None) -> None:
        """Show the source's text on the surface (after a change made there).
        *at_line*: the line to show (the source view's, left for the surface;
        0: a document just opened; None: the surface's own): a line further
        on is gone to once the text is shown, the surface showing meanwhile
        what it showed of this document, if it shows it."""
        self._reload_timer.stop()
        if not self._stale:
            return
        line = at_line if at_line is not None else self.surface.current_line() if self.surface.units else 0
        self._base_modified = self.editor.document().isModified()
        ws = getattr(self.window, "ws", None)
        self.surface.pictures.root = Path(ws.root) if ws is not None else None
        self._stale = False
        self._pending = False
        # (a long document's surface is shown a moment later: built a slice per event-loop turn)
        self.surface.load(self.editor.text(), lambda: self._surface_loaded(line), first_part=not line,
                          keep_shown=at_line is not None and self._shows_this_document)
        self._shows_this_document = True  # (from now on: what it shows meanwhile is this document's)

    def _building(self, percent: int) -> None:
        """A long document's surface is being built: how far, in the status bar."""
        bar = self.window.statusBar() if hasattr(self.window, "statusBar") else None
        if bar is not None:
            bar.showMessage(fill(self.tr(BUILDING), percent), 1500)

    def _surface_loaded(self, line: int) -> None:
        bar = self.window.statusBar() if hasattr(self.window, "statusBar") else None
        if bar is not None and bar.currentMessage().startswith(self.tr(BUILDING).split("%1")[0]):
            bar.clearMessage()
        self.surface.document().modificationChanged.connect(self._surface_modification)
        if line and not self.source_view():
            self.surface.go_to_line(line)
        find_bar = getattr(self.window, "find_bar", None)
        if find_bar is not None:
            find_bar.editor_ready()  # a search asked for while it was built

    def _recolour(self, colours) -> None:
        """View > Appearance changed the colours: the surface is built again
        in them (its edits are written to the source first; its undo
        history starts again)."""
        if colours.name == self._painted_with:
            return
        self._painted_with = colours.name
        self.flush()
        self._stale = True
        if not self.source_view():
            self.refresh_surface()

    def saved_in_part(self) -> None:
        """A save took the text as it was a moment ago, and more was typed
        since: the document is modified, and no undo may bring back the
        "saved" state of either editor (its text is not the revision on
        disk now).  Qt knows no such state but "modified" itself, which
        ``setModified(True)`` leaves as it is when already set: it is
        cleared and set again, with nobody told of the moment between."""
        self._base_modified = True
        for doc in (self.editor.document(), self.surface.document()):
            if doc.isModified():
                blocked = doc.blockSignals(True)
                try:
                    doc.setModified(False)
                    doc.setModified(True)
                finally:
                    doc.blockSignals(blocked)

    def _surface_modification(self, modified: bool) -> None:
        """The surface's text is back to the saved one by its undo: written
        into the source (not when the source was saved: the same text, and
        writing it again held the window 0.7 s of a 4 MB document)."""
        if not modified and not self._base_modified and not self._syncing:
            self._pending = True
            self._sync_timer.start()

    def _jumped(self, line: int) -> None:
        """The source editor was asked to show *line* (outline, To Be Decided)."""
        if not self.source_view():
            self.refresh_surface()
            self.surface.go_to_line(line)

    # ---- where the cursor is -----------------------------------------------------------

    def current_line(self) -> int:
        if self.active() is self.surface and self.surface.building():
            return self.editor.current_line()  # (the surface shows only a notice until it is built)
        return self.active().current_line()

    def go_to_line(self, line: int) -> None:
        self.editor.go_to_line(line)  # the surface follows (see _jumped)

    # ---- the Edit and Format menus -------------------------------------------------------

    def undo(self) -> None:
        self.surface.finish_load()  # (the text shown while it is built is not the one edited)
        self.active().undo()

    def redo(self) -> None:
        self.surface.finish_load()
        self.active().redo()

    def cut(self) -> None:
        self.active().cut()

    def copy(self) -> None:
        self.active().copy()

    def paste(self) -> None:
        self.active().paste()

    def selectAll(self) -> None:  # noqa: N802 - as Qt names it
        self.active().selectAll()

    def editable(self):
        """The editor shown, or None while it is the surface building a long
        document (its notice takes no edit: one would be thrown away)."""
        view = self.active()
        return None if view is self.surface and self.surface.building() else view

    def format_inline(self, marker: str) -> None:
        if (view := self.editable()) is not None:
            view.format_inline(marker)

    def format_heading(self, level: int) -> None:
        if (view := self.editable()) is not None:
            view.format_heading(level)

    def format_list(self, ordered: bool) -> None:
        if (view := self.editable()) is not None:
            view.format_list(ordered)

    def insert_link(self) -> None:
        if (view := self.editable()) is not None:
            view.insert_link()

    # ---- zoom -------------------------------------------------------------------------------

    def set_zoom(self, steps: int, preview=None) -> int:
        """Zoom the editors (and *preview*) to *steps* from the normal size."""
        steps = max(-ZOOM_LIMIT, min(ZOOM_LIMIT, steps))
        delta = steps - self.zoom
        if delta:
            surface = self.surface
            # The paragraph at the top stays there.  (Qt keeps the scroll's pixels instead, and
            # halfway down a 4 MB policy lays out all the text before them at once: 0.4-0.8 s.)
            # (a zoom's own jump under way: its paragraph; asking the text where its top is would lay it out)
            top = far_jump.target(surface)
            if top is None and surface.isVisible() and not surface.building():
                top = block_at(surface, 0)
            for widget in (surface, self.editor):
                widget.zoomIn(delta) if delta > 0 else widget.zoomOut(-delta)
            self.zoom = steps
            if top is not None:
                far_jump.jump(surface, top, lambda block: _scroll_to(surface, block), moves_cursor=False)
        if preview is not None:
            preview.set_zoom(steps)
        return self.zoom


def _scroll_to(view, block) -> None:
    """*block* at the top of *view*."""
    view.verticalScrollBar().setValue(int(view.document().documentLayout().blockBoundingRect(block).top()))
