"""The Markdown editor: a plain-text editor with light syntax highlighting
(``ui.source_highlight``) and a find-and-replace bar."""

from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QKeySequence,
    QShortcut,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)
from shiboken6 import isValid

from guidelines_app.core import formatting
from guidelines_app.ui.fill import fill
from guidelines_app.ui.jobs import step_through
from guidelines_app.ui.source_highlight import MarkdownHighlighter
from guidelines_app.ui.text_mirror import TextMirror, plain_text
from guidelines_app.ui.undo_groups import groups_of, seal

# Replace All in parts (``FindReplaceBar._parts``): the first spans this much
# text (about 40 ms of Qt's layout and the spelling's marks at 4 MB), the
# next ones as much as takes about PART_S.
PART_CHARS = 150_000
PART_S = 0.05


@dataclass
class _Tally:
    """What a Replace All did: replaced *count*; *whole*: to the end of the text."""

    count: int = 0
    whole: bool = True
    top: int = 0  # the undo stack's top after its last part


def _standing(doc: QTextDocument) -> tuple[int, int, int]:
    """Where *doc*'s text stands: its undo stack and its length (a
    highlighter's pass moves Qt's revision too, so that cannot tell)."""
    return doc.availableUndoSteps(), doc.availableRedoSteps(), doc.characterCount()


class MarkdownEditor(QPlainTextEdit):
    # Emitted by go_to_line (the outline, To Be Decided): the rich surface
    # shows the same line when it is the view in use.
    jumped = Signal(int)

    def __init__(self, parent: QWidget | None = None, font_size: int = 11):
        super().__init__(parent)
        self.setObjectName("editor")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        font = self.font()
        font.setPointSize(font_size)
        self.setFont(font)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self.document().setDocumentMargin(12)
        self.highlighter = MarkdownHighlighter(self)
        self.setAccessibleName(self.tr("Document text"))
        self.setAccessibleDescription(self.tr("The document in Markdown: # starts a section heading, - a bullet"))
        self.setPlaceholderText(self.tr("Start writing. Use # for a section heading, ## for a subsection, - for a bullet."))
        self.mirror = TextMirror(self.document(), self)  # a very large document's copy (``follow_text``)

    def text(self) -> str:
        """The exact text, keeping non-breaking spaces that toPlainText() loses."""
        return self.text_later()()

    def text_later(self):
        """A function giving the text as it is now, to call on any thread:
        for a very large document followed (``follow_text``) only its
        copy's parts are taken here, and joined by the call."""
        parts = self.mirror.parts()
        if parts is not None:
            return lambda: "".join(parts)
        raw = self.document().toRawText()
        return lambda: plain_text(raw)

    def follow_text(self, text: str) -> None:
        """The editor holds *text* (a very large document, just put in):
        keep a copy of it as it is edited (``ui.text_mirror``), so that
        reading it never reads the whole editor; until ``set_text``."""
        self.mirror.follow(text)

    def set_text(self, text: str, highlight: bool | None = None) -> None:
        """Put *text* in, unmodified, the cursor at the top; highlighted if
        *highlight* (None: as the text before it was)."""
        self.mirror.stop()
        if highlight is None:
            highlight = self.highlighter.document() is not None
        self.highlighter.detach()  # (on, it would highlight the whole text as it goes in)
        self.setPlainText(text)
        self.document().setModified(False)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        if highlight:
            self.highlighter.attach()  # what is on screen at once, the rest in slices

    def replace_text(self, text: str) -> None:
        """Put *text* in place of the whole text as one edit: modified, and
        one Ctrl+Z brings the text from before back (re-answering the
        questionnaire, combining an outside change)."""
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()

    def current_line(self) -> int:
        return self.textCursor().blockNumber()

    def go_to_line(self, line: int) -> None:
        block = self.document().findBlockByNumber(max(0, line))
        cursor = QTextCursor(block)
        self.setTextCursor(cursor)
        # Put the heading near the top, like a page jump, not at the bottom edge.
        self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())
        self.ensureCursorVisible()
        self.setFocus()
        self.jumped.emit(line)


    # ---- formatting commands (text edits come from guidelines_app.formatting) ----

    # A read-only editor (a very large document still going in) is left as
    # it is: the cursor's own edits would go in regardless.

    def format_inline(self, marker: str) -> None:
        if self.isReadOnly():
            return
        cursor = self.textCursor()
        if not cursor.hasSelection():
            cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        selected = cursor.selectedText().replace("\u2029", "\n")
        replacement = formatting.toggle_inline(selected, marker)
        start = cursor.selectionStart()
        cursor.insertText(replacement)
        if not selected.strip():
            cursor.setPosition(start + len(marker))  # type between the markers
        else:
            cursor.setPosition(start)
            cursor.setPosition(start + len(replacement), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def _selected_blocks(self) -> QTextCursor:
        cursor = self.textCursor()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        cursor.setPosition(start)
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _replace_lines(self, transform) -> None:
        if self.isReadOnly():
            return
        cursor = self._selected_blocks()
        lines = cursor.selectedText().split("\u2029")
        new = "\n".join(transform(lines))
        start = cursor.selectionStart()
        cursor.insertText(new)
        cursor.setPosition(start)
        cursor.setPosition(start + len(new), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def format_heading(self, level: int) -> None:
        self._replace_lines(lambda lines: [formatting.set_heading(ln, level) for ln in lines])

    def format_list(self, ordered: bool) -> None:
        self._replace_lines(lambda lines: formatting.toggle_list(lines, ordered))

    def insert_link(self) -> None:
        if self.isReadOnly():
            return
        url, ok = QInputDialog.getText(self, self.tr("Insert link"), self.tr("Web address:"), text="https://")
        if ok and url.strip() and url.strip() != "https://":
            cursor = self.textCursor()
            cursor.insertText(formatting.make_link(cursor.selectedText(), url))


class FindReplaceBar(QWidget):
    """Find and replace under the editor (Ctrl+F / Ctrl+H; Esc closes)."""

    message = Signal(str)

    def __init__(self, editor: MarkdownEditor, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor = editor
        self.find_edit = QLineEdit(placeholderText=self.tr("Find"), accessibleName=self.tr("Find"))
        self.replace_edit = QLineEdit(placeholderText=self.tr("Replace with"), accessibleName=self.tr("Replace with"))
        self.case_box = QCheckBox(self.tr("Match case"))
        self.word_box = QCheckBox(self.tr("Whole words"))
        self.status = QLabel()
        # (what it says can be long: it never widens the bar, and its whole text is its tooltip)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # Two rows, find above replace: in one row, beside the preview, the fields were squeezed
        # to a few letters (a 600-pixel editor column).
        layout = QGridLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setVerticalSpacing(2)
        self.find_edit.setMinimumWidth(140)
        self.replace_edit.setMinimumWidth(140)
        rows = ((self.find_edit, ((self.tr("Previous"), self.find_previous), (self.tr("Next"), self.find_next))),
                (self.replace_edit, ((self.tr("Replace"), self.replace_one), (self.tr("Replace all"), self.replace_all))))
        for row, (field, buttons) in enumerate(rows):
            layout.addWidget(field, row, 0)
            for column, (text, slot) in enumerate(buttons, 1):
                b = QToolButton(text=text)
                b.clicked.connect(slot)
                layout.addWidget(b, row, column)
        layout.addWidget(self.case_box, 0, 3)
        layout.addWidget(self.word_box, 0, 4)
        layout.addWidget(self.status, 1, 3, 1, 3)
        layout.setColumnStretch(0, 1)
        close = QToolButton(text="✕", toolTip=self.tr("Close (Esc)"), accessibleName=self.tr("Close the find bar"))
        close.clicked.connect(self.close_bar)
        layout.addWidget(close, 0, 5, Qt.AlignmentFlag.AlignRight)
        self.status.setMinimumWidth(0)
        self.find_edit.returnPressed.connect(self.find_next)
        self.replace_edit.returnPressed.connect(self.replace_one)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.close_bar)
        self._waiting: bool | None = None  # a search asked for while the view was built: backward?
        self.hide()

    def open_bar(self, replace: bool = False) -> None:
        selected = self.editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_edit.setText(selected)
        self.show()
        (self.replace_edit if replace and self.find_edit.text() else self.find_edit).setFocus()
        self.find_edit.selectAll()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setToolTip(text)

    def close_bar(self) -> None:
        self._waiting = None
        self.hide()
        self.editor.setFocus()

    def _flags(self, backward: bool = False) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self.case_box.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if self.word_box.isChecked():
            flags |= QTextDocument.FindFlag.FindWholeWords
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        return flags

    def _still_opening(self) -> bool:
        """Whether the view searched is still being built (a long document's
        formatted view): it holds only a notice until then."""
        building = getattr(self.editor, "building", None)
        if building is None or not building():
            return False
        if self.editor.build_failed():
            self._say(self.tr("Cannot search the formatted view: use View > Markdown Source"))
        else:
            self._say(self.tr("Still opening the document…"))
        return True

    def cancel_waiting(self) -> None:
        """Another document is shown: a search asked for while the last one opened is not run."""
        self._waiting = None

    def editor_ready(self) -> None:
        """The view searched is built: a search asked for meanwhile runs on
        the next turn (from where the view's cursor is put once built)."""
        if self._waiting is not None:
            QTimer.singleShot(0, self, self._find_waiting)

    def _find_waiting(self) -> None:
        backward, self._waiting = self._waiting, None
        if backward is not None and self.isVisible():
            self._find(backward)

    def _find(self, backward: bool) -> bool:
        needle = self.find_edit.text()
        if not needle:
            return False
        if self._still_opening():
            if not self.editor.build_failed():
                self._waiting = backward  # searched once it is open
            return False
        self._waiting = None
        if self.editor.find(needle, self._flags(backward)):
            self._say("")
            return True
        # Wrap around once: from the end (or the start); the cursor moves only to a match
        # (the rich surface's put at the end of a long text just opened would have it laid out at once).
        find_from = getattr(self.editor, "find_from", None)
        if find_from is not None:
            found = find_from(needle, self._flags(backward), self.editor.document().characterCount() - 1 if backward else 0)
        else:
            cursor = self.editor.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
            self.editor.setTextCursor(cursor)
            found = self.editor.find(needle, self._flags(backward))
        if found:
            self._say(self.tr("Wrapped around"))
            return True
        self._say(self.tr("Not found"))
        return False

    def find_next(self) -> bool:
        return self._find(False)

    def find_previous(self) -> bool:
        return self._find(True)

    def _matches_selection(self) -> bool:
        selected = self.editor.textCursor().selectedText()
        needle = self.find_edit.text()
        if self.case_box.isChecked():
            return selected == needle
        return selected.casefold() == needle.casefold()

    def replace_one(self) -> None:
        if not self.find_edit.text() or self._still_opening() or self.editor.isReadOnly():
            return
        if self._matches_selection():
            cursor, replacement = self.editor.textCursor(), self.replace_edit.text()
            cursor.beginEditBlock()
            cursor.insertText(replacement)
            if replacement:
                seal(cursor.document(), cursor.position())  # a key typed right after it is an undo step of its own
            cursor.endEditBlock()
        self.find_next()

    def replace_all(self) -> int:
        """Every match replaced, undone as one: the number replaced.  In a
        very long policy, in parts of about PART_S each (Qt lays out again at
        once the text from an undo step's first change to its last: 1.2 s for
        thousands across 4 MB), the window painting between them and a
        progress dialog with Stop after a moment; each part is an undo step
        of its own, and Undo takes them all back (``ui.undo_groups``)."""
        needle = self.find_edit.text()
        if not needle or self._still_opening() or self.editor.isReadOnly():
            return 0
        tally, doc = _Tally(), self.editor.document()
        bottom = doc.availableUndoSteps()
        parts = self._parts(needle, self.replace_edit.text(), tally)
        # The wait cursor: thousands of replacements in a very long policy take a second or two.
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            whole = next(parts, None) is None or step_through(
                self, parts, fill(self.tr("Replacing “%1” with “%2”…"), needle, self.replace_edit.text()),
                self.tr("Replace All"), self.tr("Stop"))
        finally:
            QGuiApplication.restoreOverrideCursor()
            if isValid(doc):  # (a view built again meanwhile deletes its text)
                groups_of(doc).add(bottom, tally.top, self)  # (one part: one undo step anyway)
        count = tally.count
        if not count:
            self._say(self.tr("Not found"))
        elif whole and tally.whole:
            self._say(fill(self.tr("Replaced %1"), count))
        else:  # stopped, or the text changed meanwhile: what was replaced stays (Undo takes it all back)
            self._say(fill(self.tr("Replaced %1, then stopped"), count))
        return count

    def _parts(self, needle: str, replacement: str, tally: _Tally):
        """Replace All as a generator: each ``next()`` one part, the text
        between its first replacement and PART_CHARS on at first (then as
        much as takes about PART_S), one undo step; yields (where it is, the
        text's length) while there is more; *tally*: what it did.  Ends early
        when something else changed the text between two parts (a file
        reloaded)."""
        editor = self.editor
        doc, flags = editor.document(), self._flags()
        within = getattr(editor, "edits_within_blocks", None)  # (the rich surface's)
        edit = QTextCursor(doc)
        found = doc.find(needle, QTextCursor(doc), flags)
        span = PART_CHARS
        while not found.isNull():
            started, start = time.perf_counter(), found.position()
            with within() if within is not None else nullcontext([]) as touched:
                edit.beginEditBlock()
                try:
                    while not found.isNull() and found.position() - start < span:
                        found.insertText(replacement)
                        touched.append(found.block())
                        tally.count += 1
                        end = found.position()
                        found = doc.find(needle, found, flags)
                    if replacement:
                        seal(doc, end)  # a key typed after the last word put in is not merged into this part
                finally:
                    edit.endEditBlock()  # (Qt lays the part out here)
                    tally.top = doc.availableUndoSteps()
            if found.isNull():
                return
            took = max(time.perf_counter() - started, 0.001)
            span = max(PART_CHARS // 8, min(PART_CHARS * 8, int(span * PART_S / took)))
            stood = _standing(doc)
            yield found.position(), doc.characterCount()
            if not isValid(doc) or editor.document() is not doc or _standing(doc) != stood:
                tally.whole = False
                return
