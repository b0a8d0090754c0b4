"""Saving the open document as a new revision, for the main window
(``MainWindow.save_revision``), on a worker, so typing goes on meanwhile; a
failure explained with ways forward (``ui.save_failure``), the text kept.

Git storing the text, and the default revision message worked out from both
versions, held the window when done on the UI thread: 50-90 ms for a usual
policy with a long history, 0.1 s for 40,000 words, 0.3 s for 4 MB, 3.4 s
for a very large one of 50 MB, and up to 8 s while another git program held
the workspace's lock (``GitStore.commit_file`` waits for it).  Here the UI
thread only takes the editor's text (of a very large document, the parts of
the editor's copy of it, ``ui.text_mirror``: no read of the whole editor);
it is made the document's text, and ``Workspace.save_text`` runs, on a
worker, in a workspace of its own (one git store per thread).

- The menu's Save returns at once; the user keeps typing.  What is typed
  meanwhile is not in that revision: the document stays modified then, and
  its recovery copy stays.
- Anything that needs the save done first waits for it with ``wait``:
  closing, opening or reloading a document, another save, and everything
  that writes a revision (each asks ``MainWindow.author()`` first, which
  waits).  The window keeps painting, with a wait cursor, and what the
  user types or clicks meanwhile is held by Qt and handled after it.
- A failure is shown as any save's (``ui.save_failure``): Try Again saves
  the same text again; the text stays in the editor and the recovery area.
- The file the save writes is no outside change: it is not looked at
  while saving, then compared with the text the save wrote
  (``OutsideChangeWatch.expect`` and ``check``), so a change another tool
  made meanwhile is shown.
- Details changed while it saves (the Check panel's, say) are kept, and
  left to save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QProgressDialog

from guidelines_app.core import changes
from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.workspace import Workspace
from guidelines_app.ui.fill import fill
from guidelines_app.ui.jobs import TEAM_SYNC, Jobs, in_workspace
from guidelines_app.ui.save_failure import QUIT, RETRY, ask_after_failure

translate = QCoreApplication.translate
SAVING = QT_TRANSLATE_NOOP("Saving", "Saving… (you can keep typing)")
FINISHING = QT_TRANSLATE_NOOP("Saving", "Finishing the save first…")
SYNCING = QT_TRANSLATE_NOOP("Saving", "Finishing the team sync first…")
SYNC_WAIT = QT_TRANSLATE_NOOP("Saving", "Waiting for the team sync to finish before saving.\n\nWhat it brings in from "
                                        "colleagues is shown to you first, so your save never undoes their words.")
NOT_WAITED = QT_TRANSLATE_NOOP("Saving", "Not saved: the team sync is still running. Your text is kept; save again "
                                         "when it ends.")
SYNC_PATIENCE_MS = 500  # a sync this short is waited for without a dialog


def save_on_worker(root, slug: str, text: str | tuple[Document, Callable[[], str]], author, message: str | None):
    """On a worker: *text* (or the document's details and a function giving
    the editor's text, ``MarkdownEditor.text_later``, made into the
    document's text here) saved as *slug*'s new revision.  (the
    text, and the result, the document as saved (the core may update its
    details), its file and the bytes written in it); or (the text, the exception) for the
    save-failure dialog on the UI thread (its remedy included)."""
    if isinstance(text, tuple):
        doc, body = text
        doc.body = body()
        text = doc.to_text()
    try:
        with Workspace.open(root) as ws:
            result = ws.save_text(slug, text, author, message)
            return text, (result, ws.load(slug), ws.path(slug), result.data)
    except Exception as exc:  # noqa: BLE001 - every failure is shown, the text kept
        return text, exc


@dataclass
class _Save:
    slug: str
    text: str | tuple[Document, Callable[[], str]]  # (the details, the editor's text later) until the worker makes it
    author: object
    message: str | None
    typed_at_start: int
    status_before: str  # what the status bar said: said again if the save fails
    meta_before: dict  # the details as they were when the text was read (only read, here and on the worker)
    outcome: bool | None = None  # None while saving (or asking what to do after a failure)



def same_as_saved(window) -> bool:
    """Whether the open document's text is its newest revision's, word for
    word (no edit typed, and none made outside): nothing to save or compare."""
    if window.doc is None or window.is_modified():
        return False
    try:
        return window.ws.committed_text(window.slug) == window.current_text()
    except GuidelinesError:
        return False  # what reads it next says what is wrong

class Saving(QObject):
    """The window's saves; uses the window's public surface."""

    done = Signal(bool)  # a save in the background has ended: saved, or not (failed, the user gave up)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.jobs = Jobs(self)
        self._save: _Save | None = None
        self._typed = 0  # edits in the editor, counted: those made while saving are not saved
        self.closing = False  # the window is closing: a failed save may quit, the text kept
        self.quit_keeping_text = False  # what the user chose then
        self._cursor = False  # the wait cursor is up (``wait``)
        window.editor.textChanged.connect(self._count)

    def _count(self) -> None:
        self._typed += 1

    def save(self, message: str | None = None, wait: bool = True) -> bool:
        """Save the document as a new revision, on a worker: whether it is
        saved (or had nothing to save).  Without *wait* (the menu's Save)
        this returns as it starts (True), and typing goes on."""
        w = self.window
        if w.doc is None:
            return False
        if not self.wait_for_sync():  # (it may bring colleagues' text of this document in: asked about below)
            return False
        if self.running():
            saved = self.wait()
            if not saved or not w.is_modified():  # failed, or nothing typed since
                return saved
        w.outside_changes.before_save()  # colleagues' text brought in and not shown yet: asked about first
        if w.doc is None:
            return False
        author = w.author()
        if author is None:
            return False
        w.editing.flush()
        self.start(w.slug, w.doc, author, message or None)
        return self.wait() if wait else True

    def save_with_message(self) -> bool:
        """Save Revision with Message…: the message asked for, a summary of
        the sections changed suggested (worked out on a worker while the
        dialog is open: the newest revision read and both texts compared),
        and the save in the background."""
        w = self.window
        if w.doc is None:
            return False
        from guidelines_app.ui.dialogs import RevisionMessageDialog

        self.wait()
        if same_as_saved(w):  # (the dialog suggested "Tidy formatting" for no change at all)
            w.statusBar().showMessage(translate("Saving", "No changes to save"), 4000)
            return False
        text, slug = w.current_text(), w.slug
        dialog = RevisionMessageDialog(w, "")
        dialog.message.setPlaceholderText(translate("Saving", "Working out which sections changed…"))

        def suggest(suggested: str) -> None:
            if not dialog.message.toPlainText():  # (the user has not written one)
                dialog.message.setPlainText(suggested)
                dialog.message.selectAll()
        Jobs(dialog).run(in_workspace(w.ws.root, lambda ws: changes.summarize(ws.committed_text(slug), text)), suggest)
        accepted = dialog.exec() == RevisionMessageDialog.DialogCode.Accepted
        message = dialog.text()
        dialog.deleteLater()  # with its jobs: a suggestion that comes later goes nowhere
        return accepted and self.save(message, wait=False)

    def failed(self, exc: BaseException, text: str) -> str:
        """A save of *text* failed: kept in the recovery area, the user is
        asked what next (``ui.save_failure``): RETRY, CANCEL or QUIT."""
        w = self.window
        w.safekeeping.autosave_now(wait=True)
        choice = ask_after_failure(w, exc, text, closing=self.closing, title=w.doc.title if w.doc is not None else None,
                                   slug=w.slug)
        self.quit_keeping_text = choice == QUIT
        return choice

    def after(self, result, doc: Document, saved_all: bool = True) -> None:
        """A save succeeded: *doc* as saved; *saved_all* when nothing was
        typed after its text was read (else the rest stays unsaved, and in
        the recovery area)."""
        w = self.window
        w.doc = doc
        if saved_all:
            w.editor.document().setModified(False)
            w.safekeeping.discard()
        else:
            w.editing.saved_in_part()  # undoing what came after is no way back to "saved"
        if result.saved:
            w.statusBar().showMessage(fill(translate("Saving", "Saved: %1"), result.message), 8000)
        else:
            w.statusBar().showMessage(translate("Saving", "No changes to save"), 4000)
        w.saved()
        if result.saved:
            w.revision_saved.emit(w.slug, result.commit)

    # ---- on the worker ---------------------------------------------------------------

    def running(self) -> bool:
        return self._save is not None

    def start(self, slug: str, doc: Document, author, message: str | None) -> None:
        """Save the editor's text now, with *doc*'s details, as *slug*'s new
        revision, on a worker.  Only the parts of the editor's copy of its
        text are taken here: they are joined on the worker."""
        bar = self.window.statusBar()
        details = doc.details_copy()
        body = self.window.editor.text_later()
        self._save = _Save(slug, (details, body), author, message, self._typed, bar.currentMessage(), details.meta)
        self._run()

    def _run(self) -> None:
        save, root = self._save, self.window.ws.root
        self.window.statusBar().showMessage(translate("Saving", SAVING))
        self.jobs.run(lambda: save_on_worker(root, save.slug, save.text, save.author, save.message),
                      lambda answer: self._finished(save, answer),
                      lambda message, _technical: self._finished(save, (self._text(save), RuntimeError(message))), key="save")

    def _text(self, save: _Save) -> str:
        """The text of *save*: made by the worker, or, if it failed before
        making it (never seen), the editor's now."""
        return save.text if isinstance(save.text, str) else self.window.current_text()

    def wait(self) -> bool:
        """Until the save running ends (the window paints meanwhile, with a
        wait cursor; what the user types or clicks waits for it): whether
        it saved."""
        save = self._save
        if save is None:
            return True
        self.window.statusBar().showMessage(translate("Saving", FINISHING))
        self._wait_cursor(True)
        loop = QEventLoop()
        self.done.connect(loop.quit)
        try:
            while save.outcome is None and self._save is save:
                loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        finally:
            self.done.disconnect(loop.quit)
            self._wait_cursor(False)
        return bool(save.outcome)

    def settle(self) -> bool:
        """Before a revision is written: a team sync running, then a save
        in the background, waited for (``wait_for_sync``, ``wait``).  False
        when the user chose not to wait for the sync."""
        if not self.wait_for_sync():
            return False
        self.wait()
        return True

    def wait_for_sync(self) -> bool:
        """Until the team's sync running ends: whether none runs now (False:
        the user chose not to wait; nothing may be written then).  A sync
        moves the branch and writes the files, and a revision written
        meanwhile could undo colleagues' words it brought in unseen (or make
        it fail).  A short one is waited for as ``wait`` waits for a save;
        after SYNC_PATIENCE_MS a dialog says what is awaited, with a way out
        (a sync over a slow network can take minutes)."""
        jobs = getattr(self.window, "jobs", None)
        if jobs is None or not jobs.busy(TEAM_SYNC):
            return True
        self.window.statusBar().showMessage(translate("Saving", SYNCING))
        loop = QEventLoop()
        dialog: QProgressDialog | None = None
        poll = QTimer(self, interval=20)  # (the dialog's Cancel button quits the loop; its cancel() says nothing)
        poll.timeout.connect(lambda: None if jobs.busy(TEAM_SYNC) and not (dialog and dialog.wasCanceled())
                             else loop.quit())
        poll.start()
        try:
            patience = QTimer(self, singleShot=True, interval=SYNC_PATIENCE_MS)
            patience.timeout.connect(loop.quit)
            patience.start()
            loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)  # (what is typed waits)
            patience.stop()
            patience.deleteLater()
            if jobs.busy(TEAM_SYNC):
                dialog = QProgressDialog("", translate("Saving", "Don't Wait"), 0, 0, self.window)
                dialog.setWindowTitle(translate("Saving", "Team Sync"))
                dialog.setLabel(QLabel(translate("Saving", SYNC_WAIT), wordWrap=True, minimumWidth=360))  # (wrapped)
                dialog.setWindowModality(Qt.WindowModality.WindowModal)
                dialog.setMinimumDuration(0)
                dialog.canceled.connect(loop.quit)
                dialog.show()
                while jobs.busy(TEAM_SYNC) and not dialog.wasCanceled():
                    loop.exec()
        finally:
            poll.stop()
            poll.deleteLater()
            if dialog is not None:
                dialog.hide()
                dialog.deleteLater()
        if jobs.busy(TEAM_SYNC):
            self.window.statusBar().showMessage(translate("Saving", NOT_WAITED), 10000)
            return False
        return True

    def _wait_cursor(self, on: bool) -> None:
        """The wait cursor while ``wait`` waits: never over a dialog."""
        if on and not self._cursor:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        elif not on and self._cursor:
            QGuiApplication.restoreOverrideCursor()
        self._cursor = on

    def _finished(self, save: _Save, answer) -> None:
        w = self.window
        save.text, answer = answer
        self._wait_cursor(False)
        saved = False
        try:
            if isinstance(answer, BaseException):
                if w.statusBar().currentMessage() in (translate("Saving", SAVING), translate("Saving", FINISHING)):
                    w.statusBar().showMessage(save.status_before)
                if self.failed(answer, save.text) == RETRY:
                    self._run()
                    save = None  # still saving
                    return
            else:
                result, doc, path, written = answer
                saved, self._save = True, None
                if written is not None:
                    w.outside_changes.expect(path, written)
                if w.slug == save.slug and w.doc is not None:
                    edited = self._details_edited_meanwhile(save, doc)
                    # Typed meanwhile: into the source editor (counted), or into the surface
                    # and not yet written into it (the text saved was read before).
                    typed = self._typed != save.typed_at_start or w.editing.pending()
                    self.after(result, doc, saved_all=not typed and not edited)
        finally:
            if save is not None:  # (whatever went wrong above: whoever waits for it goes on)
                self._end(save, saved)
        if saved:  # what changed the file while it saved (not the save) is shown now
            w.outside_changes.check()

    def _details_edited_meanwhile(self, save: _Save, doc: Document) -> bool:
        """Whether the document's details were changed while it saved (the
        Check panel's reading level, say): if so, they go on *doc*, the
        document as saved, which is then not saved as shown."""
        before, now = save.meta_before, self.window.doc.meta
        if now == before:
            return False
        for key in before.keys() - now.keys():
            doc.meta.pop(key, None)
        doc.meta.update({key: value for key, value in now.items() if before.get(key) != value})
        return True

    def _end(self, save: _Save, saved: bool) -> None:
        save.outcome = saved
        self._save = None
        self.done.emit(saved)
