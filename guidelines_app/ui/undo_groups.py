"""Edits made in parts, undone and redone as one.

Qt lays out again at once the text an undo step changed, from its first
change to its last: a Replace All of thousands of matches across a 4 MB
policy, undone as one step, held the window about 0.9 s.  So a Replace All
in parts (``FindReplaceBar.replace_all``) leaves each part its own undo
step, and ``groups_of(doc).add(bottom, top)`` marks the steps from
*bottom* to *top* of the document's undo stack as one group.  When an undo, wherever it was
asked for (Edit > Undo, Ctrl+Z in the text, the text's context menu),
takes back the group's last part, the rest are taken back on the next
event-loop turn, a part per turn (``jobs.step_through``: the window
paints between them, and a progress dialog with Stop shows after a
moment); a redo into the group redoes the rest the same way.

Qt merges a key typed right after an edit block's last insertion into
that block (an insertion that goes on from where the block's last one
ended): typing "ing" after the last word a Replace All put in, then Undo,
took back the whole Replace All.  ``seal(doc, position)`` ends such a
step with a change a typed key cannot merge into.

A group is kept while the undo stack holds it: a new edit made below its
top (after undoing into it or past it) takes it out of the stack, and so
does the stack's clearing (a document opened or reloaded).  Positions in
the stack are ``QTextDocument.availableUndoSteps()`` (Qt counts each
change of an undo step there).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument
from shiboken6 import isValid

from guidelines_app.ui.jobs import step_through


class UndoGroups(QObject):
    """The groups of one document's undo stack (a child of the document)."""

    def __init__(self, doc: QTextDocument, window=None):
        super().__init__(doc)
        self._doc = doc
        self._window = window  # the progress dialog's parent (None: no window to hold)
        self._groups: list[tuple[int, int]] = []  # (bottom, top) in the undo stack, in order
        self._at = doc.availableUndoSteps()  # where the stack was at the last look
        self._busy = False  # taking back (or redoing) a group's parts: their changes are ours
        self._look = QTimer(self, singleShot=True, interval=0)
        self._look.timeout.connect(self._looked)
        doc.contentsChanged.connect(self._changed)
        doc.undoCommandAdded.connect(self._added)

    def add(self, bottom: int, top: int, window=None) -> None:
        """The steps from *bottom* to *top* are one group (another edit
        made meanwhile, above *top*, stays a step of its own)."""
        if window is not None:
            self._window = window
        if top - bottom > 1 and not self._busy:
            self._groups = [g for g in self._groups if g[1] <= bottom] + [(bottom, top)]
        self._at = self._doc.availableUndoSteps()

    def groups(self) -> list[tuple[int, int]]:
        return list(self._groups)

    def _added(self) -> None:
        if self._busy:
            return
        # A new step where the stack was: the redo steps above it are gone, and any group up there.
        below = min(self._at, self._doc.availableUndoSteps() - 1)
        self._groups = [g for g in self._groups if g[1] <= below]

    def _changed(self) -> None:
        if not self._busy and self._groups:
            self._look.start()  # after the undo or redo is over (inside it, the stack may not be touched)

    def _looked(self) -> None:
        doc, at = self._doc, self._doc.availableUndoSteps()
        before, self._at = self._at, at
        if self._busy or at + doc.availableRedoSteps() == 0:
            if not self._busy:
                self._groups = []  # the stack was cleared
            return
        for bottom, top in self._groups:
            if bottom < at < top:
                self._finish(bottom if at < before else top)
                return

    def _finish(self, target: int) -> None:
        """Undo (or redo) the group's other parts, to *target*."""
        doc = self._doc
        undoing = target < doc.availableUndoSteps()
        first = doc.availableUndoSteps()

        def parts():
            while isValid(doc) and doc.availableUndoSteps() != target:  # (a view built again deletes its text)
                now = doc.availableUndoSteps()
                doc.undo() if undoing else doc.redo()
                if doc.availableUndoSteps() == now:
                    return  # the stack did not move (its steps were taken by something else)
                yield abs(doc.availableUndoSteps() - first), abs(target - first)

        tr = QCoreApplication.translate
        self._busy = True
        try:
            step_through(self._window, parts(),
                         tr("UndoGroups", "Undoing the replacement…") if undoing
                         else tr("UndoGroups", "Redoing the replacement…"),
                         tr("UndoGroups", "Undo") if undoing else tr("UndoGroups", "Redo"), tr("UndoGroups", "Stop"))
        finally:
            self._busy = False
            if isValid(doc):
                self._at = doc.availableUndoSteps()


def seal(doc: QTextDocument, position: int) -> None:
    """Inside an edit block, after its last insertion (ending at
    *position*): the block's last change is one of format (an empty format
    merged into the character before *position*: nothing changes, no
    signal), so a key typed next is an undo step of its own."""
    if position <= 0:
        return
    cursor = QTextCursor(doc)
    cursor.setPosition(position - 1)
    cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
    cursor.mergeCharFormat(QTextCharFormat())


def groups_of(doc: QTextDocument) -> UndoGroups:
    """The document's ``UndoGroups``, made on first use."""
    found = doc.findChild(UndoGroups)
    return found if found is not None else UndoGroups(doc)
