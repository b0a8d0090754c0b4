"""File > Export (Word, HTML, PDF; current text or a saved revision) and
File > Import Word Document.

The slow part (building the file, LibreOffice for PDF, reading a .docx)
runs on a QThreadPool worker while a progress bar shows in the status bar;
everything that touches git stays on the UI thread (a GitStore belongs to
one thread).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
)

from guidelines_app.core.errors import GuidelinesError, StorageError
from guidelines_app.core.wording import short_moment
from guidelines_app.publishing.export import (
    FORMATS,
    default_file_name,
    export,
    source_from_workspace,
)
from guidelines_app.ui import export_folder
from guidelines_app.ui.dialogs import confirm_write_through_link
from guidelines_app.ui.fill import fill
from guidelines_app.ui.jobs import Jobs

FORMAT_LABELS = {"docx": "Word Document (*.docx)", "html": "HTML Page (*.html)", "pdf": "PDF Document (*.pdf)"}
FORMAT_NAMES = {"docx": "Word", "html": "HTML", "pdf": "PDF"}


class RevisionList(QAbstractListModel):
    """The revisions a dialog offers, each worded when shown (a list item
    for each of 20,000 revisions held the window 0.7-1.1 s)."""

    def __init__(self, revisions, tags_by_sha: dict[str, list[str]], parent=None):
        super().__init__(parent)
        self.revisions, self.tags = revisions, tags_by_sha

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self.revisions)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.revisions[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            # Named as the History panel and the compare window name it (date, author, message).
            versions = ", ".join("v" + t.rsplit("/v", 1)[-1] for t in self.tags.get(r.sha, []) if "/v" in t)
            label = f"{short_moment(r.date)} · {r.author} · {r.subject}"
            return f"{versions} · {label}" if versions else label
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Revision {r.short}"  # the id, for a technical colleague
        if role == Qt.ItemDataRole.UserRole:
            return r.sha
        return None


class RevisionDialog(QDialog):
    """Pick a saved (or published) revision and a format."""

    def __init__(self, parent, revisions, tags_by_sha: dict[str, list[str]], fmt: str = "docx"):
        super().__init__(parent)
        self.setWindowTitle("Export a Saved Revision")
        self.list = QListView(objectName="revisions", accessibleName=self.tr("Revision to export"))
        self.list.setUniformItemSizes(True)
        self.list.setModel(RevisionList(revisions, tags_by_sha, self.list))
        self.list.setCurrentIndex(self.list.model().index(0, 0))
        self.format = QComboBox(accessibleName=self.tr("Format"))
        for key in FORMATS:
            self.format.addItem(FORMAT_LABELS[key].split(" (")[0], key)
        self.format.setCurrentIndex(FORMATS.index(fmt))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.doubleClicked.connect(lambda _index: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Revision to export:"))
        layout.addWidget(self.list)
        form = QFormLayout()
        form.addRow("Format:", self.format)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(640, 380)

    def revision(self) -> str | None:
        index = self.list.currentIndex()
        return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None

    def fmt(self) -> str:
        return self.format.currentData()


class ExportController(QObject):
    """Owns the menu actions, the worker pool and the progress bar."""

    export_done = Signal(str)  # path written
    import_done = Signal(str)  # slug created

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.jobs = Jobs(self, self.pool)
        self.busy = False
        self.progress = QProgressBar(objectName="exportProgress")
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.progress_seen = False
        window.statusBar().insertPermanentWidget(0, self.progress)
        self._build_menu()
        window.document_opened.connect(self._update_actions)
        self._update_actions(window.slug or "")

    # ---- menu ----------------------------------------------------------------

    def _build_menu(self) -> None:
        w = self.window
        self.export_menu = QMenu(self.tr("&Export"), w.menus["File"])
        self.export_menu.setObjectName("exportMenu")
        self.act_docx = self._add(self.export_menu, self.tr("&Word Document…"), lambda: self.export_current("docx"), "Ctrl+E")
        self.act_html = self._add(self.export_menu, self.tr("&HTML Page…"), lambda: self.export_current("html"))
        self.act_pdf = self._add(self.export_menu, self.tr("&PDF…"), lambda: self.export_current("pdf"))
        self.export_menu.addSeparator()
        self.act_revision = self._add(self.export_menu, self.tr("Saved &Revision…"), self.export_revision_dialog)
        self.act_reference = self._add(self.export_menu, self.tr("Word House &Style…"), self.choose_reference)
        self.act_import = QAction(self.tr("&Import Word Document…"), w)
        self.act_import.triggered.connect(self.import_dialog)
        w.add_file_entries(self.export_menu, self.act_import)

    def _add(self, menu, text, slot, shortcut=None) -> QAction:
        return self.window.add_action(menu, text, slot, shortcut)

    def _update_actions(self, slug: str = "") -> None:
        has_doc = bool(self.window.slug) and not self.busy
        for a in (self.act_docx, self.act_html, self.act_pdf, self.act_revision):
            a.setEnabled(has_doc)
        self.act_import.setEnabled(not self.busy)

    # ---- export --------------------------------------------------------------

    def ask_save_path(self, fmt: str, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self.window, f"Export as {FORMAT_NAMES[fmt]}", str(export_folder.folder() / suggested), FORMAT_LABELS[fmt]
        )
        if path and not Path(path).suffix:
            path += "." + fmt
        return path

    def export_current(self, fmt: str) -> None:
        w = self.window
        if w.doc is None or self.busy:
            return
        try:
            source = source_from_workspace(w.ws, w.slug, text=w.current_text())
        except GuidelinesError as exc:
            w.show_error("Cannot export", str(exc))
            return
        path = self.ask_save_path(fmt, default_file_name(source.doc, fmt, version=source.details.version))
        if path:
            self.start_export(source, fmt, Path(path))

    def export_revision_dialog(self) -> None:
        """File > Export > Saved Revision: the document's revisions and its
        versions are read on a worker (the whole log, 2.6 s at 20,000
        revisions when read on the UI thread with a git process per tag),
        then one is picked."""
        w = self.window
        if w.slug is None or self.busy:
            return
        root, slug = w.ws.root, w.slug

        def work(progress):
            from guidelines_app.core.workspace import Workspace
            from guidelines_app.review.revisions import publications

            with Workspace.open(root) as ws:
                tags: dict[str, list[str]] = {}
                for pub in publications(ws, slug):  # (one git process for every version)
                    tags.setdefault(pub.commit, []).append(pub.tag)
                return ws.history(slug), tags

        self._run(work, "Reading the saved revisions…", lambda found: self._export_revision(slug, *found),
                  "Cannot list revisions")

    def _export_revision(self, slug: str, revisions, tags: dict[str, list[str]]) -> None:
        w = self.window
        if w.slug != slug:  # another document was opened meanwhile
            return
        if not revisions:
            w.show_error("No saved revisions", "This document has no saved revision yet.",
                         "Save a revision first (File > Save Revision), or export the current text.")
            return
        dialog = RevisionDialog(w, revisions, tags)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.revision():
            return
        fmt, sha = dialog.fmt(), dialog.revision()
        try:
            source = source_from_workspace(w.ws, slug, revision=sha, history=revisions)
        except GuidelinesError as exc:
            w.show_error("Cannot export", str(exc))
            return
        # The file is named after the revision's version tag, else the day it was saved (no commit ids).
        saved = next((r.date.astimezone() for r in revisions if r.sha == sha), None)
        label = next((t.rsplit("/", 1)[-1] for t in tags.get(sha, [])), f"{saved:%Y-%m-%d-%H%M}" if saved else "")
        path = self.ask_save_path(fmt, default_file_name(source.doc, fmt, label, source.details.version))
        if path:
            self.start_export(source, fmt, Path(path))

    def reference_docx(self) -> str | None:
        ref = (self.window.settings.reference_docx or "").strip()
        return ref or None

    def choose_reference(self) -> None:
        w = self.window
        current = self.reference_docx() or ""
        path, _ = QFileDialog.getOpenFileName(
            w, "Choose a house-style Word document (Cancel to keep the current one)",
            current or str(export_folder.folder()), "Word Document (*.docx)"
        )
        if path:
            w.settings.reference_docx = path
            w.save_settings()
            w.statusBar().showMessage(fill(self.tr("Word exports now use the styles of %1"), Path(path).name), 6000)

    def start_export(self, source, fmt: str, path: Path) -> None:
        reference = self.reference_docx() if fmt != "html" else None
        through_link = confirm_write_through_link(self.window, path)
        if through_link is False:
            return
        export_folder.remember(path)

        def work(progress):
            return export(source, fmt, path, reference_docx=reference, progress=progress, follow_symlink=bool(through_link))

        self._run(work, f"Exporting {FORMAT_NAMES[fmt]}…", self._export_finished, "Export failed")

    def _export_finished(self, path) -> None:
        self.window.statusBar().showMessage(fill(self.tr("Exported to %1"), path), 10000)
        self.export_done.emit(str(path))

    # ---- import --------------------------------------------------------------

    def import_dialog(self) -> None:
        if self.busy:
            return
        path, _ = QFileDialog.getOpenFileName(self.window, "Import a Word document", str(export_folder.folder()),
                                              "Word Document (*.docx)")
        if path:
            self.start_import(Path(path))

    def start_import(self, path: Path, title: str | None = None) -> None:
        from guidelines_app.publishing.import_docx import read_docx

        w = self.window
        if not w.maybe_save():
            return
        author = w.author()
        if author is None:
            return

        def work(progress):
            progress(0, 1)
            return read_docx(path, title)

        def done(imported):
            from guidelines_app.publishing.import_docx import new_document

            doc = new_document(imported, path.name)  # a draft; the file's status is only noted
            slug = w.ws.unique_slug(doc.title)
            try:
                slug, _ = w.ws.create_document(doc, author, slug=slug, message=f"Imported from {path.name}")
            except GuidelinesError as exc:
                w.show_error(self.tr("Import failed"), *self._import_failure(exc, doc.title, slug, path.name))
                return
            w.refresh_documents()
            w.open_document(slug)
            # Named by its title, as the documents list names it (not its file's name).
            w.statusBar().showMessage(fill(self.tr("Imported %1 as “%2”"), path.name, doc.title), 10000)
            if imported.left_out:  # (comments, a header, the file's tracked changes: not left behind unsaid)
                QMessageBox.information(w, self.tr("Import Word Document"),
                                        fill(self.tr("Imported %1 as “%2”.\n\n%3"), path.name, doc.title, imported.left_out))
            self.import_done.emit(slug)

        self._run(work, f"Importing {path.name}…", done, "Import failed")

    def _import_failure(self, exc: GuidelinesError, title: str, slug: str, file_name: str) -> tuple[str, str]:
        """(message, what to do) when an import's document cannot be saved:
        named by its title, not its file's name, with an import's advice
        (the Word file is untouched; another workspace folder), not the
        editor's ("your text is not lost; save again")."""
        untouched = fill(self.tr("The Word file %1 is untouched, and nothing in the workspace was changed."), file_name)
        if isinstance(exc, StorageError) and exc.cause:
            return (fill(self.tr("“%1” could not be imported: %2."), title, exc.cause),
                    untouched + " " + fill(self.tr("Choose another workspace folder (File > Open Workspace…), or %1, "
                                                   "then import the file again."), exc.fix))
        return str(exc).replace(f"cannot save {slug}:", f"cannot import “{title}”:"), untouched

    # ---- worker plumbing -----------------------------------------------------

    def _run(self, func, message: str, on_done, error_title: str) -> None:
        self.busy = True
        self._update_actions()
        self.progress.setRange(0, 0)  # busy until the first report
        self.progress.show()
        self.progress_seen = True
        self.window.statusBar().showMessage(message)

        def finish():
            self.busy = False
            self.progress.hide()
            self._update_actions()

        def on_progress(done: int, total: int) -> None:
            if total > 0:
                self.progress.setRange(0, total)
                self.progress.setValue(done)

        def ok(result):
            finish()
            self.window.statusBar().clearMessage()
            on_done(result)

        def failed(msg: str, technical: str):
            finish()
            self.window.statusBar().clearMessage()
            hint = "No file was written." if error_title.startswith("Export") else "Nothing in the workspace was changed."
            self.window.show_error(error_title, msg, hint, technical)

        self.jobs.run(func, ok, failed, progress=on_progress)


def install(window) -> ExportController:
    """Add File > Export and File > Import Word Document to *window*."""
    return ExportController(window)
