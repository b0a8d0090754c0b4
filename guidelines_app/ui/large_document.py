"""Opening a very large document without freezing the window: the file is
read and parsed on a worker, then handed to the editor a slice per event-loop
turn (one 50 MB setPlainText would block for seconds), with progress in the
status bar.  Heavy features (highlighting, live preview, outline, word
count) stay off for such a document, and the status bar says so."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QTimer
from PySide6.QtGui import QTextCursor

from guidelines_app.core.document import Document
from guidelines_app.core.recovery import recovered_document
from guidelines_app.ui.fill import fill

translate = QCoreApplication.translate

LARGE_BYTES = 5_000_000  # files above this open in the background
# A long document (over this many characters, not very large) keeps every
# feature, but what would read it whole at once works in slices or on a worker:
# its formatted surface (``ui.surface.long_load``),
# an old revision's Markdown (``ui.review.revision_view``).
LONG_CHARS = 1_000_000
# A document over this many characters, not long, shows its first screens on
# the formatted surface at once, the rest a moment later (``ui.surface.long_load``):
# built whole at once, 40,000 words (380,000 characters) held the window 50 ms.
FIRST_PART_CHARS = 150_000
SLICE = 500_000  # characters handed to the editor per event-loop turn
RESTORED = QT_TRANSLATE_NOOP("Recovery", "Recovered text restored: save it to keep it as a revision")
NOTICE = QT_TRANSLATE_NOOP("LargeDocument", "Very large document: preview, outline, highlighting and word count are off to keep typing fast")


def notice() -> str:
    """NOTICE in the user's language."""
    return translate("LargeDocument", NOTICE)


def is_long(chars: int) -> bool:
    """Whether a text of *chars* characters is long (``LONG_CHARS``)."""
    return chars > LONG_CHARS


def shows_first_part(chars: int) -> bool:
    """Whether a text of *chars* characters, not long, shows its first part first (``FIRST_PART_CHARS``)."""
    return FIRST_PART_CHARS < chars <= LONG_CHARS


def is_large_text(text: str) -> bool:
    """Whether *text* (a revision's, say) is as long as a very large file:
    shown as text only, a slice per event-loop turn (``fill_in_slices``)."""
    return len(text) > LARGE_BYTES


def fill_in_slices(editor, text: str, done=None, progress=None, quiet: bool = False, announce=None) -> QTimer:
    """Put *text* into the plain-text *editor* a SLICE per event-loop turn
    (its undo history off meanwhile; with *quiet*, its signals blocked
    while a slice goes in: what listens takes no slice for an edit),
    calling *progress* with the percentage put in after each slice but the
    last, then *done*; *announce*, if given, with each slice before it
    goes in (``TextMirror.expect``).  The timer doing it is returned (stop it to
    cancel); it is the editor's, and goes with it."""
    editor.setUndoRedoEnabled(False)
    timer = QTimer(editor, interval=0)
    at = [0]

    def next_slice() -> None:
        cursor = QTextCursor(editor.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        was = editor.blockSignals(quiet or editor.signalsBlocked())
        end = at[0] + SLICE
        if text[end - 1:end + 1] == "\r\n":  # one line end, never cut in two (apart, it would be two)
            end += 1
        piece = text[at[0]:end]
        if announce is not None:
            announce(piece)
        cursor.insertText(piece)
        if announce is not None:
            announce(None)  # (an insert Qt did not report takes no later edit's place)
        editor.blockSignals(was)
        at[0] = end
        if at[0] < len(text):
            if progress is not None:
                progress(100 * at[0] // len(text))
            return
        timer.stop()
        # Not deleteLater: deleting the timer whose slot this is (it holds
        # the timer) crashed PySide at random when the deletion was handled
        # later; stopped, it goes with its editor.
        timer.timeout.disconnect(next_slice)
        editor.setUndoRedoEnabled(True)
        editor.moveCursor(QTextCursor.MoveOperation.Start)
        if done is not None:
            done()

    timer.timeout.connect(next_slice)
    timer.start()
    return timer


def is_large(path: Path) -> bool:
    try:
        return path.stat().st_size > LARGE_BYTES
    except OSError:
        return False


class LargeDocumentLoader(QObject):
    """Loads one large document into the window's editor at a time."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._filling: QTimer | None = None  # puts the text read into the editor (``fill_in_slices``)
        self._reading = False

    def loading(self) -> bool:
        return self._reading or self._filling is not None

    def cancel(self) -> None:
        """Stop loading (another document is being opened)."""
        if not self.loading():
            return
        self.window.jobs.drop("open-large")
        if self._filling is not None:
            self._filling.stop()
            self._filling.timeout.disconnect()  # (its slice-putting closure and the text go; see fill_in_slices)
        self._filling, self._reading = None, False
        self.window.editor.setUndoRedoEnabled(True)
        self.window.editor.setReadOnly(False)

    def open(self, slug: str, path: Path, recovered: str | None = None) -> None:
        """Open *slug*'s document from *path* in the background; with
        *recovered*, a recovered copy's text instead (``ui.safekeeping``),
        left unsaved."""
        w = self.window
        self.cancel()
        w.slug, w.doc = None, None  # nothing to autosave or save until it is all in
        size = path.stat().st_size / 1_000_000
        w.statusBar().showMessage(fill(translate("LargeDocument", "Opening %1 (%2 MB)…"), path.name, f"{size:.0f}"))
        w.editor.setReadOnly(True)
        w.editor.highlighter.detach()
        w.editor.blockSignals(True)
        w.editor.set_text("")
        w.editor.follow_text("")  # its copy made as the slices go in: saving never reads it all (``ui.text_mirror``)
        w.editor.blockSignals(False)
        w.stack.setCurrentIndex(1)
        w.editing.large_document_loading()  # the text streams into a shown source editor
        self._reading = True
        read = (lambda: Document.load(path)) if recovered is None else (lambda: recovered_document(recovered, path))
        w.jobs.run(read, lambda doc: self._fill(slug, doc, recovered is not None), self._failed, key="open-large")

    def _failed(self, message: str, technical: str) -> None:
        self._reading = False
        self.window.editor.setReadOnly(False)
        self.window.show_error(translate("LargeDocument", "Cannot open document"), message, "", technical)
        self.window.refresh_documents()

    def _fill(self, slug: str, doc: Document, recovered: bool) -> None:
        self._reading = False
        bar = self.window.statusBar()
        self._filling = fill_in_slices(
            self.window.editor, doc.body, lambda: self._filled(slug, doc, recovered),
            lambda percent: bar.showMessage(fill(translate("LargeDocument", "Opening the document… %1%"), percent)),
            quiet=True, announce=self.window.editor.mirror.expect)

    def _filled(self, slug: str, doc: Document, recovered: bool) -> None:
        w = self.window
        self._filling = None
        w.editor.document().setModified(False)
        w.editor.setReadOnly(False)
        w.show_document(slug, doc, large=True)
        w.statusBar().showMessage(notice())
        if recovered:  # unsaved: as a recovered copy put back in a document of usual size
            w.editor.document().setModified(True)
            w.statusBar().showMessage(translate("Recovery", RESTORED), 8000)
