"""Noticing when the open document's file is changed by someone else (the
command line, a git pull, another editor).

Without unsaved edits the window simply shows the new version.  With unsaved
edits, a dialog shows both texts (what differs) and offers: combine both
(when the edits and the change are in different parts: each merged onto the
text the editor started from, as a sync merges colleagues' work), keep mine,
take the version changed elsewhere, or keep both as two documents (mine in
the editor, the other version as a new document).  Whatever is picked, an
outside change that was never committed is first saved as its own revision
("Outside change to <file>"), or, if it cannot be, kept in the recovery
area, so it is never lost.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, QObject, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QTabWidget, QTextBrowser, QVBoxLayout

from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.ui import appearance
from guidelines_app.ui.fill import fill

COMBINE, KEEP_MINE, TAKE_DISK, KEEP_BOTH = "combine", "mine", "disk", "both"
translate = QCoreApplication.translate


class OutsideChangeDialog(QDialog):
    """*combined*: both texts together (``combine``), None when they
    cannot be; *overlap*: then, the parts both changed; *base*: the text the
    editor's edits started from, when known (then each side's changes are
    shown apart: what was changed elsewhere, and the user's own edits)."""

    def __init__(self, parent, title: str, mine: str, on_disk: str, combined: str | None = None,
                 overlap: tuple[str, ...] = (), base: str | None = None):
        super().__init__(parent)
        self.setObjectName("outside-change-dialog")
        self.setWindowTitle(translate("OutsideChanges", "Document Changed Elsewhere"))
        self.choice = KEEP_MINE
        intro = QLabel(fill(translate("OutsideChanges",
                                      "“%1” was changed elsewhere (by another program, or by colleagues' revisions that Sync "
                                      "brought in) while you had unsaved edits. That change "
                                      "is kept as a revision in the history whatever you choose; if you take it, your edits are kept in the "
                                      "recovery area."), title))
        intro.setWordWrap(True)
        if combined is not None:
            how = translate("OutsideChanges", "Your edits and that change are in different parts of the document: "
                                              "Combine Both keeps your edits and takes that change too.")
        else:
            how = fill(translate("OutsideChanges", "Your edits and that change touch the same part of the document, so "
                                                   "they cannot be combined: %1. Keep yours, take the version changed elsewhere, or "
                                                   "keep both as two documents."), "; ".join(overlap)) if overlap else ""
        legend = translate("OutsideChanges", "Below, words taken out are struck out and words put in are underlined.")
        combine_note = QLabel(f"{how} {legend}".strip(), objectName="outside-combine-note", wordWrap=True)
        self.tabs = QTabWidget(objectName="outside-change-tabs")
        if combined is not None:
            self._add_view(translate("OutsideChanges", "What Combine Both Changes in Your Text"), "outside-change-diff",
                           mine, combined)
        else:
            self._add_view(translate("OutsideChanges", "Yours Against the Other Version"), "outside-change-diff",
                           on_disk, mine)
        if base is not None:
            self._add_view(translate("OutsideChanges", "Changed Elsewhere"), "outside-theirs", base, on_disk, True)
            self._add_view(translate("OutsideChanges", "Your Unsaved Edits"), "outside-yours", base, mine, True)
        buttons = QDialogButtonBox()
        for label, choice in ((translate("OutsideChanges", "Combine Both"), COMBINE),
                              (translate("OutsideChanges", "Keep Mine"), KEEP_MINE),
                              (translate("OutsideChanges", "Take the Version Changed Elsewhere"), TAKE_DISK),
                              (translate("OutsideChanges", "Keep Both as Two Documents"), KEEP_BOTH)):
            button = QPushButton(label, objectName=f"outside-{choice}")
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            if choice == COMBINE:
                button.setEnabled(combined is not None)
                button.setDefault(combined is not None)
                button.setToolTip(how)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(combine_note)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(760, 520)

    def _add_view(self, label: str, name: str, old: str, new: str, changes_only: bool = False) -> None:
        """A tab showing the changes from *old* to *new* (with
        *changes_only*, only the sections they change)."""
        from guidelines_app.review import diff as diffmod  # loaded when shown: not before the first paint
        from guidelines_app.review import redline

        view = QTextBrowser(objectName=name)
        view.setHtml(redline.render_html_fragment(diffmod.diff_texts(_body(old), _body(new)), qt=True,
                                                  changes_only=changes_only, colours=appearance.current()))
        self.tabs.addTab(view, label)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def combine(base: str | None, mine: str, on_disk: str, path: str) -> tuple[str | None, tuple[str, ...]]:
    """*mine* and *on_disk* as one text (``conflicts.merge_texts``), or None
    with the parts both changed differently, as the resolver names them.
    Without *base* (not known) nothing is combined."""
    if base is None:
        return None, ()
    from guidelines_app.core import conflicts  # (when asked: not before the window's first paint)

    try:
        combined, found = conflicts.merge_texts(path, base, mine, on_disk)
    except GuidelinesError:
        return None, ()
    if found:
        from guidelines_app.ui.team.resolver import conflict_name  # (as the team's conflicts are named)

        return None, tuple(conflict_name(c) for c in found)
    return combined, ()


def _body(text: str) -> str:
    try:
        return Document.parse(text).body
    except GuidelinesError:
        return text


class OutsideChangeWatch(QObject):
    """Watches one file for the main window (its parent); uses only the
    window's public surface."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._asking = False
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_file_changed)
        self._rewatch_timer = QTimer(self, singleShot=True, interval=100)
        self._rewatch_timer.timeout.connect(self._rewatch)
        self._written: tuple[Path, bytes] | None = None  # (file, bytes) the window's last save left
        self._watching = False
        self._held: str | None = None  # the document whose file changed, announced and not shown (``hold``)
        self._own = False  # the app itself is changing the file (``own_change``)
        # The text the editor's edits started from, as on disk: a Document
        # as opened (its body the text put in the editor), or the bytes of
        # the last save (what an outside change is combined against).
        self._base: Document | bytes | None = None
        window.document_opened.connect(lambda _slug: self.hold(None))  # (opened or reloaded: as it is on disk)

    def opened(self, doc: Document, large: bool) -> None:
        """*doc* is shown as read from its file (opened or reloaded): the
        text the editor's edits start from (not kept of a *large* one,
        which is not combined)."""
        self._base = None
        if not large:
            self._base = doc.details_copy()
            self._base.body = doc.body

    def _base_text(self) -> str | None:
        base = self._base
        if isinstance(base, bytes):
            try:
                return base.decode("utf-8")
            except UnicodeDecodeError:
                return None
        return None if base is None else base.to_text()

    def expect(self, path: Path, written: bytes) -> None:
        """A save wrote *written* in the file *path*: no outside change,
        whatever the editor holds by now (a longer document saves on a
        worker while the user types on; Qt tells of a file the UI thread
        wrote after the keys typed during that save)."""
        self._written = (path, written)
        self._base = written

    @contextmanager
    def own_change(self):
        """While the app itself changes the file (a restore, a status, a
        publication, a review request, written on a worker): no outside
        change, whatever Qt tells of the file meanwhile (the window reloads
        the document after; "changed outside the app" was said of these)."""
        self._own = True
        try:
            yield
        finally:
            self._own = False

    def watch(self, path: Path | None) -> None:
        """Watch *path* (None: nothing, as while the team's work comes in) instead of the file watched so far."""
        if self._written is not None and self._written[0] != path:
            self._written = None  # another document's
        self._watching = path is not None
        if self._watcher.files():
            self._watcher.removePaths(self._watcher.files())
        if path is not None and path.exists():
            self._watcher.addPath(str(path))

    def _rewatch(self) -> None:
        if not self._watching:
            return  # turned off since the change that asked for it (the team's work comes in)
        w = self.window
        self.watch(w.ws.path(w.slug) if w.slug else None)

    def hold(self, slug: str | None) -> None:
        """*slug*'s file changed and the change is announced, not shown
        (colleagues' revisions a sync brought in, over unsaved edits): a save
        asks about it first (``before_save``) rather than write over it.
        None: shown, nothing held."""
        self._held = slug

    def before_save(self) -> None:
        """Before a save writes the file: a change held back (``hold``) of
        the open document is dealt with now, as any outside change (asked
        about over unsaved edits; taken in without them), so a save never
        writes over words it did not show."""
        w = self.window
        held, self._held = self._held, None
        if held is None or held != w.slug or w.doc is None or self._asking:
            return
        try:
            on_disk = w.ws.path(w.slug).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError, GuidelinesError):
            return  # gone or unreadable: the save itself says what it finds
        self._take_in(on_disk)

    def _take_in(self, on_disk: str) -> None:
        """The file holds *on_disk*, not what the window shows: shown at
        once without unsaved edits, else asked about (``resolve``)."""
        w = self.window
        if on_disk == w.current_text():
            return
        if not w.is_modified():
            w.reload_document()
            w.statusBar().showMessage(translate("OutsideChanges", "Reloaded: the document was changed outside the app"), 8000)
            return
        self._asking = True
        try:
            self.resolve(on_disk)
        finally:
            self._asking = False

    def check(self) -> None:
        """Look at the file now, unless watching is off (after a save in the
        background: a change made meanwhile was not looked at)."""
        if self._watching:
            self._on_file_changed("")

    def _on_file_changed(self, _path: str) -> None:
        w = self.window
        if w.doc is None or w.slug is None or self._asking or not self._watching:
            return  # (not watching: Qt may still tell of a change from before, or of the team's sync writing it)
        path = w.ws.path(w.slug)
        self._rewatch_timer.start()  # editors and git replace files: watch the new one
        if self._own:
            return  # the app's own change: the document is reloaded after it
        if w.saving.running():
            return  # the save writing it (it keeps any outside change as a revision of its own)
        try:
            data = path.read_bytes()
            if self._written == (path, data):  # (as bytes: a very large file is not decoded for it)
                return
            on_disk = data.decode("utf-8")  # (its line ends as written: a CRLF file is not "changed")
        except (OSError, UnicodeDecodeError):
            return  # removed or mid-replace; the next change event tells more
        self._take_in(on_disk)

    def resolve(self, on_disk: str) -> str:
        """Ask what to do with an outside change while there are unsaved edits."""
        w = self.window
        w.saving.wait()  # (a save in the background writes the file: the choice comes after it)
        w.safekeeping.autosave_now(wait=True)  # the user's own text is safe while they decide
        mine = w.current_text()
        base = None if w.heavy_features_off else self._base_text()  # (a very large document: not combined)
        combined, overlap = combine(base, mine, on_disk, w.ws.relpath(w.slug))
        dialog = OutsideChangeDialog(w, w.doc.title, mine, on_disk, combined, overlap, base)
        dialog.exec()
        self.keep_outside_change(on_disk)
        # From now on the editor's edits are counted from the version on disk
        # (kept, combined or set aside: what was chosen over it, or with it).
        self._base = on_disk.encode("utf-8")
        if dialog.choice == COMBINE and combined is not None:
            self._put_in(combined)
        elif dialog.choice == TAKE_DISK:
            # The user's unsaved edits stay in the recovery area under their
            # own name (offered at the next start), not thrown away.
            slug = w.slug  # (a very large document reloads in the background: no document is open meanwhile)
            w.safekeeping.area.write(f"{slug} (your edits before the outside change)", w.current_text(), of=slug)
            w.reload_document()
            w.safekeeping.discard(slug)
        elif dialog.choice == KEEP_BOTH:
            self._save_as_new_document(on_disk)
        return dialog.choice

    def _put_in(self, combined: str) -> None:
        """Show *combined* in the window: its details, and its text as one
        edit of the editor (Ctrl+Z brings the user's text back); unsaved."""
        w = self.window
        try:
            doc = Document.parse(combined)
        except GuidelinesError:
            return  # (combined from two texts that read as documents: not met)
        w.doc.meta = doc.meta
        w.editor.replace_text(doc.body)
        w.details_shown()  # (a title or status changed elsewhere)
        w.statusBar().showMessage(translate("OutsideChanges", "Your edits and the change made elsewhere are combined; "
                                                              "save a revision to keep them"), 8000)

    def keep_outside_change(self, on_disk: str) -> None:
        """Commit the outside change as its own revision (else keep it in
        the recovery area), before anything else touches the file."""
        w = self.window
        relpath = w.ws.relpath(w.slug)
        try:
            if w.ws.has_unsaved_file_changes(w.slug):
                author = w.author()
                if author is None:
                    raise GuidelinesError(translate("OutsideChanges", "no author is set for the revision"))
                w.ws.commit_file(w.slug, author, f"Outside change to {relpath}")
        except Exception as exc:  # noqa: BLE001 - the change goes to the recovery area instead
            w.safekeeping.area.write(f"{w.slug} (outside change)", on_disk, of=w.slug)
            w.statusBar().showMessage(fill(translate("OutsideChanges", "The outside change could not be saved as a revision (%1); "
                                                                       "it is kept in the recovery area"), exc), 10000)

    def _save_as_new_document(self, on_disk: str) -> None:
        w = self.window
        try:
            doc = Document.parse(on_disk)
        except GuidelinesError:
            doc = Document.new(w.doc.title, w.doc.organization, body=on_disk)
        doc.meta["title"] = f"{doc.title} (changed elsewhere)"
        slug = w.ws.unique_slug(doc.title)
        try:
            author = w.author()
            if author is not None:
                w.ws.save_text(slug, doc.to_text(), author, f"Copy of the outside change to {w.ws.relpath(w.slug)}")
                w.refresh_documents()
                w.statusBar().showMessage(fill(translate("OutsideChanges", "The version changed elsewhere was saved as “%1”"), doc.title), 8000)
        except Exception as exc:  # noqa: BLE001 - shown; the change is a revision already
            w.show_error(translate("OutsideChanges", "Cannot save the version changed elsewhere as a copy"), str(exc) or type(exc).__name__)
