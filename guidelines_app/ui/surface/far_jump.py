"""A jump far into a long text not laid out that far yet: the surface built
again as the source view is left halfway down a 4 MB policy.  Qt lays out
the whole text before the line at once, to know where it is: 0.65-0.8 s of
the window in one go.

``LaidOutJump`` lays that text out first, STEP_CHARS at a time, about
SLICE_S per event-loop turn, the view's painting held meanwhile (what it
showed before stays on screen), then jumps.  Any key, click or wheel turn
in the application meanwhile (a menu command, the find bar, a shortcut)
jumps at once (the rest laid out in one go) before it is acted on; a click,
right-click or drop on the text itself is then dropped, as it was aimed at
text no longer there.  What asks where the cursor is meanwhile is told
where it goes (``pending``); another jump asked for meanwhile goes to its
own line instead, and a new text shown meanwhile ends the jump.

The same for what takes the cursor far down by itself, just after a long
policy is opened: Ctrl+End, Ctrl+Shift+End, Ctrl+A (``to_end_key``) and
Edit > Select All and the right-click menu's (``select_all``), 0.4-0.6 s
at 4 MB each, and Find Next when the match is far (``find``), Find
Previous wrapping around from the end too.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextBlock, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QTextEdit
from shiboken6 import isValid

from guidelines_app.ui.paced_layout import laid_out, laid_out_to

FAR_CHARS = 100_000  # a jump this far beyond what is laid out goes in slices
STEP_CHARS = 20_000  # laid out between two looks at the clock (about 10-15 ms at 4 MB)
SLICE_S = 0.02
_INPUT = {QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut, QEvent.Type.MouseButtonPress,
          QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel, QEvent.Type.InputMethod, QEvent.Type.ContextMenu,
          QEvent.Type.DragEnter, QEvent.Type.Drop}
# ... of those, the ones aimed at a place in the text shown: dropped once the jump is made
_AIMED = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.ContextMenu,
          QEvent.Type.DragEnter, QEvent.Type.Drop}
# ... the ones that act at the cursor: a jump that only scrolls (a zoom) need not be made first
_KEYS = {QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut, QEvent.Type.InputMethod}
# The keys that take the cursor to the text's end (Select All leaves it there)
_TO_END = (QKeySequence.StandardKey.MoveToEndOfDocument, QKeySequence.StandardKey.SelectEndOfDocument,
           QKeySequence.StandardKey.SelectAll)


def jump(view: QTextEdit, block: QTextBlock, go: Callable[[QTextBlock], None], moves_cursor: bool = True) -> None:
    """``go(block)`` in *view*: now, or once the text before it is laid
    out, when that is far (a jump of *view* under way goes there instead).
    *moves_cursor* false: *go* only scrolls (a zoom)."""
    pending = getattr(view, "_far_jump", None)
    if pending is not None and pending.document() is view.document():
        pending.retarget(block, go, moves_cursor)
        return
    if pending is not None:
        pending.finish(go=False)  # (its text is no longer shown)
    if block.position() - laid_out_to(view.document()) < FAR_CHARS or not view.isVisible():
        go(block)
        return
    view._far_jump = LaidOutJump(view, block, go, moves_cursor)


def to_end_key(view: QTextEdit, event: QKeyEvent) -> bool:
    """Whether *event*, a key that takes the cursor to the end of *view*'s
    text far beyond what is laid out, was made a far jump (Qt's own handling
    of the key then, once the text is laid out); False: Qt's own is left to
    act now."""
    if not any(event.matches(key) for key in _TO_END) or not _end_far(view):
        return False
    key = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text(), event.isAutoRepeat(), event.count())
    jump(view, view.document().lastBlock(), lambda _block: QTextEdit.keyPressEvent(view, key))
    return True


def select_all(view: QTextEdit) -> None:
    """Edit > Select All: Qt's, after the text is laid out when its end is far."""
    if _end_far(view):
        jump(view, view.document().lastBlock(), lambda _block: QTextEdit.selectAll(view))
    else:
        QTextEdit.selectAll(view)


def _end_far(view: QTextEdit) -> bool:
    doc = view.document()
    return doc.characterCount() - laid_out_to(doc) >= FAR_CHARS and view.isVisible()


def find(view: QTextEdit, needle: str, options: QTextDocument.FindFlag, position: int | None = None) -> bool:
    """``QTextEdit.find``: the next match selected (False: none), after the
    text is laid out there when it is far.  Qt's own search puts its answer's
    cursor on the match, which has Qt lay out all the text before it at once;
    so the match is looked for here, as Qt looks for it (``_search``; the
    case set aside with ``str.lower``).  *position*: where to look from
    (a search wrapping around: the text's start or end) rather than the
    cursor; the cursor moves only to a match."""
    finish(view)  # (a jump under way is made first: the search goes on from where it goes)
    doc = view.document()

    def qts_own() -> bool:
        if position is None:
            return QTextEdit.find(view, needle, options)
        was = view.textCursor()  # (Qt's search goes on from the cursor: put there first, and back if none)
        cursor = QTextCursor(was)
        cursor.setPosition(position)
        view.setTextCursor(cursor)
        if QTextEdit.find(view, needle, options):
            return True
        view.setTextCursor(was)
        return False

    if laid_out_to(doc) >= doc.characterCount():
        return qts_own()
    cursor = view.textCursor()
    backward = bool(options & QTextDocument.FindFlag.FindBackward)
    if position is None:
        position = cursor.selectionStart() if backward else cursor.selectionEnd()
    found = _search(doc, needle, position, options)
    if found is None:  # (a text the search here does not read as Qt does)
        return qts_own()
    if not found:
        return False
    start, end = found

    def go(_block: QTextBlock) -> None:
        match = QTextCursor(doc)
        match.setPosition(start)
        match.setPosition(min(end, doc.characterCount() - 1), QTextCursor.MoveMode.KeepAnchor)
        if _folded(match.selectedText(), options) == _folded(needle, options):
            view.setTextCursor(match)
        else:  # (the text changed meanwhile: Qt's own search, from where the cursor is)
            QTextEdit.find(view, needle, options)

    jump(view, doc.findBlock(start), go)
    return True


def _folded(text: str, options) -> str:
    return text if options & QTextDocument.FindFlag.FindCaseSensitively else text.lower()


def _search(doc: QTextDocument, needle: str, position: int, options) -> tuple[int, int] | tuple | None:
    """(start, end) of the match ``QTextDocument.find(needle, position,
    options)`` finds, () for none, or None when the text is not one this
    reads as Qt does (case folding that changes a text's length, characters
    beyond the Basic Multilingual Plane: Qt counts them twice).  A needle
    with letters beyond ASCII ("réseaux", "Öffentlichkeit") is looked for
    in paragraphs whose lower case is their case folding too: Qt folds the
    case, ``str.lower`` lowers it, and the two part only for a few letters
    (a Greek final sigma, a long s, ß), where Qt's own search is asked."""
    if not needle or max(needle) > "\uffff":
        return None
    backward = bool(options & QTextDocument.FindFlag.FindBackward)
    whole = bool(options & QTextDocument.FindFlag.FindWholeWords)
    folded = _folded(needle, options)
    # (beyond ASCII, without case: the paragraphs' lower case must be their case folding, as the needle's)
    unfolding = not needle.isascii() and not options & QTextDocument.FindFlag.FindCaseSensitively
    if unfolding and folded != needle.casefold():
        return None
    if backward:
        position -= 1  # (the character before the cursor, Qt's way)
        if position < 0:
            return ()
    block = doc.findBlock(position)
    offset = position - block.position()
    if backward and offset == block.length() - 1:
        offset -= 1  # (the paragraph's end left out)
    while block.isValid():
        text = block.text().replace("\u00a0", " ")
        if text and max(text) > "\uffff":
            return None
        target = _folded(text, options)
        if len(target) != len(text) or (unfolding and target != text.casefold()):
            return None
        while 0 <= offset <= len(target):
            at = target.rfind(folded, 0, offset + len(folded)) if backward else target.find(folded, offset)
            if at < 0:
                break
            after = at + len(folded)
            if whole and ((at and text[at - 1].isalnum()) or (after < len(text) and text[after].isalnum())):
                offset = at - 1 if backward else after + 1
                continue
            return block.position() + at, block.position() + after
        block = block.previous() if backward else block.next()
        offset = block.length() - 2 if backward else 0
    return ()


def pending(view: QTextEdit) -> QTextBlock | None:
    """Where a jump of *view* under way puts the cursor (still where it was), or None."""
    jump_ = getattr(view, "_far_jump", None)
    return jump_._target.block() if jump_ is not None and jump_.moves_cursor else None


def target(view: QTextEdit) -> QTextBlock | None:
    """The block a jump of *view* under way goes to (a cursor's or a scroll's), or None."""
    jump_ = getattr(view, "_far_jump", None)
    return jump_._target.block() if jump_ is not None else None


def finish(view: QTextEdit) -> None:
    """A pending jump of *view* made now."""
    pending = getattr(view, "_far_jump", None)
    if pending is not None:
        pending.finish()


class LaidOutJump(QObject):
    """One pending jump of a view (see the module's description)."""

    def __init__(self, view: QTextEdit, block: QTextBlock, go: Callable[[QTextBlock], None], moves_cursor: bool):
        super().__init__(view)
        self._view, self._doc, self._go, self.moves_cursor = view, view.document(), go, moves_cursor
        self._target = QTextCursor(block)  # (follows edits)
        self._at = 0
        self._done = False
        view.viewport().setUpdatesEnabled(False)  # (what it showed stays on screen)
        QCoreApplication.instance().installEventFilter(self)
        QTimer.singleShot(0, self, self._step)

    def document(self):
        return self._doc

    def retarget(self, block: QTextBlock, go: Callable[[QTextBlock], None], moves_cursor: bool) -> None:
        self._at = 0  # (laid out again from the top for another font: the steps over laid-out text are quick)
        if self.moves_cursor and not moves_cursor:
            return  # a zoom meanwhile (of this jump's own block, ``target``): the cursor's jump shows it at the top
        self._target, self._go, self.moves_cursor = QTextCursor(block), go, moves_cursor

    def _step(self) -> None:
        if self._done:
            return
        if not isValid(self._doc) or self._view.document() is not self._doc:
            self.finish()
            return
        end, layout, target = time.perf_counter() + SLICE_S, self._doc.documentLayout(), self._target.position()
        while self._at < target:  # (a step at least)
            self._at = min(self._at + STEP_CHARS, target)
            layout.blockBoundingRect(self._doc.findBlock(self._at))
            if time.perf_counter() >= end:
                break
        laid_out(self._doc, self._at)  # (the pace goes on from here: ``paced_layout.block_at`` looks within it)
        if self._at >= target:
            self.finish()
        else:
            QTimer.singleShot(0, self, self._step)

    def finish(self, go: bool = True) -> None:
        """The jump made now (with *go* false, only ended)."""
        if self._done:
            return
        self._done = True
        view = self._view
        QCoreApplication.instance().removeEventFilter(self)
        view._far_jump = None
        try:
            if go and isValid(self._doc) and view.document() is self._doc:
                doc = self._doc
                if laid_out_to(doc) >= doc.characterCount():
                    # Laid out to its end: the view told its height now, not on the next turn as Qt does
                    # (a jump to the end scrolled to where the end was thought to be, short of it).
                    layout = doc.documentLayout()
                    layout.documentSizeChanged.emit(layout.documentSize())
                self._go(self._target.block())
                # (shown there: laid out to there, at once when the jump was made early)
                laid_out(doc, self._target.position())
        finally:
            view.viewport().setUpdatesEnabled(True)
            self.deleteLater()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if self._done:
            return False
        if kind == QEvent.Type.Timer and _blink_of(watched, self._view):
            # The cursor's blink asks where the cursor is, and Qt lays out all the text before it at once
            # (0.4-0.5 s after a zoom halfway down a 4 MB policy): it waits for the jump.
            return True
        # (A click or a key reaches the window first, then the widget: only the widget's is looked at.)
        if kind not in _INPUT or not watched.isWidgetType() or (kind in _KEYS and not self.moves_cursor):
            return False
        if kind in _KEYS and watched is not QApplication.focusWidget():
            # A key goes to the focus widget, then, unless taken, to the widgets around it: the Enter of
            # Find Next (a line edit passes it on) would make the jump it asked for at once.
            return False
        self.finish()  # (then the key or the command acts where the user sees the text)
        return kind in _AIMED and watched in (self._view, self._view.viewport())

def _blink_of(watched, view) -> bool:
    """Whether *watched*, given a timer event, is *view*'s text control (whose one timer while shown is the cursor's blink)."""
    return watched.parent() is view and watched.metaObject().className().endswith("TextControl")
