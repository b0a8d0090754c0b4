"""Autosave and recovery for the main window.

A few seconds after typing stops, the open document's text is copied to the
recovery area (``core.recovery``: outside the workspace and outside git).  A
successful save, "Don't Save" and a clean exit remove the copy.  At launch,
copies that differ from the saved text are offered one by one in a dialog
that shows what differs from the last saved revision: Restore, Save as Copy
or Discard (which asks first); closing the dialog keeps the copy for later.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.recovery import RecoveredCopy, RecoveryArea, recovered_document
from guidelines_app.core.wording import short_moment
from guidelines_app.ui import appearance
from guidelines_app.ui.fill import fill
from guidelines_app.ui.large_document import RESTORED, is_large, is_large_text

AUTOSAVE_DELAY_MS = 3000
LARGE_TEXT = 2_000_000  # characters: written off the UI thread
LARGE_AUTOSAVE_DELAY_MS = 15000  # for a very large document
translate = QCoreApplication.translate


def _body(text: str) -> str:
    try:
        return Document.parse(text).body
    except GuidelinesError:
        return text


def _title(text: str, fallback: str) -> str:
    try:
        return Document.parse(text).title or fallback
    except GuidelinesError:
        return fallback


class RecoveryDialog(QDialog):
    """One recovered document: what differs from its last saved revision,
    and the three choices."""

    RESTORE, COPY, DISCARD, LATER = "restore", "copy", "discard", "later"

    def __init__(self, parent, copy: RecoveredCopy, saved_text: str | None, file_exists: bool):
        super().__init__(parent)
        self.setObjectName("recovery-dialog")
        self.setWindowTitle(translate("Recovery", "Recover Unsaved Text"))
        self.choice = self.LATER
        title = _title(copy.text, copy.slug)
        when = short_moment(copy.saved_at)  # as the window writes every moment
        if saved_text is None:
            sentence = translate("Recovery", "<b>%1</b> had unsaved text when the app last stopped (kept at %2). "
                                             "It was never saved; the changes are shown below.")
        else:
            sentence = translate("Recovery", "<b>%1</b> had unsaved text when the app last stopped (kept at %2). "
                                             "It differs from its last saved revision; the changes are shown below.")
        intro = QLabel(fill(sentence, title, when))
        intro.setWordWrap(True)
        self.view = QTextBrowser(objectName="recovery-diff")
        from guidelines_app.review import diff as diffmod  # loaded when shown: not before the first paint
        from guidelines_app.review import redline

        result = diffmod.diff_texts(_body(saved_text or ""), _body(copy.text))
        # Only the sections that differ: the changes at once, not the top of a long text with none on screen.
        self.view.setHtml(redline.render_html_fragment(result, side="inline", qt=True, changes_only=True,
                                                       colours=appearance.current()))
        buttons = QDialogButtonBox()
        restore_label = translate("Recovery", "Restore") if file_exists else translate("Recovery", "Restore as Document")
        for label, choice, name in ((restore_label, self.RESTORE, "recovery-restore"),
                                    (translate("Recovery", "Save as Copy"), self.COPY, "recovery-copy"),
                                    (translate("Recovery", "Discard…"), self.DISCARD, "recovery-discard"),
                                    (translate("Recovery", "Decide Later"), self.LATER, "recovery-later")):
            button = QPushButton(label, objectName=name)
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(760, 520)

    def _choose(self, choice: str) -> None:
        if choice == self.DISCARD:
            answer = QMessageBox.question(
                self, translate("Recovery", "Discard the recovered text?"),
                translate("Recovery", "The recovered text will be deleted for good. It is in no saved revision."),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        self.choice = choice
        self.accept()


class _UncommittedBanner(QWidget):
    def __init__(self, commit):
        super().__init__(objectName="uncommitted-banner")
        self.label = QLabel(wordWrap=True)
        save = QPushButton(translate("Recovery", "Save as Their Own Revision"), objectName="uncommitted-save")
        save.clicked.connect(commit)
        later = QPushButton(translate("Recovery", "Not Now"))
        later.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.addWidget(self.label, 1)
        row.addWidget(save)
        row.addWidget(later)
        self.hide()


class Safekeeping(QObject):
    """The window's autosave and recovery; uses the window's public surface."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.area: RecoveryArea | None = None
        self._found: list[RecoveredCopy] = []
        self.delay_ms = AUTOSAVE_DELAY_MS  # of quiet typing before the copy is written
        self.timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self.timer.timeout.connect(self.autosave_now)
        window.editor.textChanged.connect(self._typed)
        self.uncommitted: list[str] = []
        self.banner = _UncommittedBanner(self.commit_uncommitted)
        window.add_banner(self.banner)

    def set_workspace(self, ws) -> None:
        """Use *ws*'s recovery area; the copies found now (left by an earlier
        run) are offered by ``offer_recovery``, never those this run writes."""
        self.area = RecoveryArea(ws.root)
        self._found = self.area.list()

    def _typed(self) -> None:
        if self.window.doc is None:
            return
        # Reading a huge text out of the editor takes a moment: less often then.
        self.timer.start(LARGE_AUTOSAVE_DELAY_MS if self.window.heavy_features_off else self.delay_ms)

    def autosave_now(self, wait: bool = False) -> bool:
        """Copy the open document's unsaved text to the recovery area now: a
        long text's copy is written on a worker, unless *wait* (a save that
        failed, a crash, an outside change: the copy is there before the
        user is asked anything, whatever its size)."""
        self.timer.stop()
        w = self.window
        if self.area is None or w.doc is None or w.slug is None:
            return False
        if not w.is_modified():
            self.discard()
            return False
        slug, area = w.slug, self.area
        if w.heavy_features_off and not wait:  # a very large document: its text made on the worker too
            text_later = w.current_text_later()
            w.jobs.run(lambda: area.write(slug, text_later()), key="autosave",
                       on_failed=lambda message, _t: self._failed(message))
            return True
        text = w.current_text()
        if len(text) > LARGE_TEXT and not wait:
            w.jobs.run(lambda: area.write(slug, text), key="autosave",
                       on_failed=lambda message, _t: self._failed(message))
            return True
        try:
            return area.write(slug, text)
        except OSError as exc:
            self._failed(str(exc))
            return False

    def _failed(self, message: str) -> None:
        self.window.statusBar().showMessage(fill(translate("Recovery", "Could not keep a recovery copy of your text: %1"), message), 10000)

    def discard(self, slug: str | None = None) -> None:
        """The open (or *slug*'s) document needs no recovery copy any more."""
        self.timer.stop()
        slug = slug or self.window.slug
        if self.area is not None and slug:
            self.window.jobs.drop("autosave")
            try:
                self.area.remove(slug)
            except OSError:
                pass

    # ---- at launch -------------------------------------------------------------

    def offer_recovery(self) -> None:
        """Offer each copy left by an earlier run that differs from the saved text."""
        found, self._found = self._found, []
        w = self.window
        for copy in found:
            try:  # (a copy set aside is compared with the document it is the text of)
                path = w.ws.path(copy.document)
                on_disk = path.read_text(encoding="utf-8") if path.is_file() else None
            except (GuidelinesError, OSError, UnicodeDecodeError):
                on_disk = None
            if on_disk == copy.text:
                self.area.remove(copy.slug)
                continue
            saved = w.ws.committed_text(copy.document) if on_disk is not None else None
            dialog = RecoveryDialog(w, copy, saved if saved is not None else on_disk, on_disk is not None)
            dialog.exec()
            self._apply(dialog.choice, copy, on_disk is not None)
        self.offer_uncommitted()

    def offer_uncommitted(self) -> None:
        """Files written but never committed (a save killed between the two):
        a banner offers to save them as their own revision, never folded into
        a later one.  Uses the core's ``uncommitted_documents`` and
        ``commit_recovered`` when it has them."""
        w = self.window
        find = getattr(w.ws, "uncommitted_documents", None)
        if find is None or not hasattr(w.ws, "commit_recovered"):
            return
        try:
            self.uncommitted = [getattr(item, "slug", item) for item in find()]
        except Exception:  # noqa: BLE001 - nothing to offer then; saving explains any fault
            return
        if self.uncommitted:
            names = ", ".join(f"“{slug}”" for slug in self.uncommitted)
            self.banner.label.setText(fill(translate("Recovery", "%1: changes on disk that are in no revision (a save was interrupted, "
                                                                 "or the file was edited outside the app)."), names))
            self.banner.show()

    def commit_uncommitted(self) -> None:
        w = self.window
        author = w.author()
        if author is None:
            return
        for slug in list(self.uncommitted):
            try:
                w.ws.commit_recovered(slug, author)
                self.uncommitted.remove(slug)
            except Exception as exc:  # noqa: BLE001 - explained; the file stays as it is
                w.show_error(translate("Recovery", "Cannot save the changes as a revision"), str(exc) or type(exc).__name__)
                return
        self.banner.hide()
        w.refresh_documents()
        if w.slug and not w.is_modified():
            w.reload_document()

    def _apply(self, choice: str, copy: RecoveredCopy, file_exists: bool) -> None:
        if choice == RecoveryDialog.DISCARD:
            self.area.remove(copy.slug)
        elif choice == RecoveryDialog.RESTORE and file_exists:
            if self.restore(copy) and copy.slug != copy.document:
                self.area.remove(copy.slug)  # in the editor now, kept under the document's own name as it is typed
        elif choice in (RecoveryDialog.RESTORE, RecoveryDialog.COPY):
            self.save_as_copy(copy, as_new=not file_exists)
        elif choice == RecoveryDialog.LATER and file_exists:
            # Typing in the document would overwrite its copy: keep this one under its own name.
            # It stays the text of its document: offered for it again next time.
            if copy.slug == copy.document:
                kept = f"{copy.slug} (unsaved text of {copy.saved_at.astimezone():%Y-%m-%d %H.%M})"
                self.area.write(kept, copy.text, of=copy.document)
                self.area.remove(copy.slug)

    def restore(self, copy: RecoveredCopy) -> bool:
        """Put the recovered text in its document's editor, unsaved; False
        when it could not be (the copy is then kept)."""
        w = self.window
        slug = copy.document
        path = w.ws.path(slug)
        if is_large(path) or is_large_text(copy.text):  # it opens in the background: the recovered text goes in
            if w.maybe_save():
                w.large_documents.open(slug, path, copy.text)
                return True
            return False
        if not w.open_document(slug, force=True):
            return False
        try:
            doc = recovered_document(copy.text, path)
        except (GuidelinesError, OSError) as exc:
            w.show_error(translate("Recovery", "Cannot restore the recovered text"), str(exc),
                         translate("Recovery", "The recovered text is kept: it is offered again the next time the app starts."))
            return False
        w.doc = doc
        w.editor.setPlainText(doc.body)
        w.editor.document().setModified(True)
        self.timer.stop()
        w.statusBar().showMessage(translate("Recovery", RESTORED), 8000)
        return True

    def save_as_copy(self, copy: RecoveredCopy, as_new: bool = False) -> None:
        """A new document with the recovered text (the original stays as saved)."""
        w = self.window
        author = w.author()
        if author is None:
            return
        try:
            doc = Document.parse(copy.text)
        except GuidelinesError:
            doc = Document.new(f"{copy.slug} (recovered)", "", body=copy.text)
        title = doc.title if as_new else f"{doc.title} (recovered)"
        doc.meta["title"] = title
        slug = copy.document if as_new and not w.ws.exists(copy.document) else w.ws.unique_slug(title)
        try:
            w.ws.save_text(slug, doc.to_text(), author, f"Recovered text of {title}")
        except Exception as exc:  # noqa: BLE001 - the copy stays in the recovery area
            w.show_error(translate("Recovery", "Cannot save the recovered text"), str(exc) or type(exc).__name__,
                         translate("Recovery", "The recovered text is still kept; it will be offered again at the next start."))
            return
        self.area.remove(copy.slug)
        w.refresh_documents()
        w.statusBar().showMessage(fill(translate("Recovery", "Recovered text saved as “%1”"), title), 8000)
