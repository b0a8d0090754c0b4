"""The main window: documents, outline, editor and live preview.

All decisions about documents, revisions and git are made by the core
(``Workspace``, ``Document``, ``changes``, ``markup``); this module only wires
them to widgets, menus and dialogs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QFileSystemWatcher, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from guidelines_app import APP_NAME, __version__
from guidelines_app.core import changes
from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError, IdentityMissing
from guidelines_app.core.gitstore import Identity
from guidelines_app.core.markup import outline, section_at_line, word_count
from guidelines_app.core.settings import Settings
from guidelines_app.core.workspace import Workspace
from guidelines_app.ui.dialogs import DetailsDialog, IdentityDialog, NewDocumentDialog, RevisionMessageDialog, ask_unsaved, show_error
from guidelines_app.ui.editor import FindReplaceBar, MarkdownEditor
from guidelines_app.ui.drafting.feature import install as install_drafting
from guidelines_app.ui.preview import PreviewPane
from guidelines_app.ui.publishing.feature import install as install_publishing
from guidelines_app.ui.review.history_panel import install as install_review

# The window's features, in menu order; each one's install(window) adds its
# menus, panels and dialogs through the window's public hooks.
FEATURES = (install_drafting, install_review, install_publishing)

SLUG_ROLE = Qt.ItemDataRole.UserRole
LINE_ROLE = Qt.ItemDataRole.UserRole + 1




class MainWindow(QMainWindow):
    """Public surface for feature modules: ``ws``, ``slug``, ``doc``,
    ``editor``, ``preview``, ``settings``, ``menus`` (by name: File, Edit,
    View, Help), ``current_text()``, ``author()``, ``add_action()``, ``open_document()``,
    ``reload_document()``, ``refresh_documents()``, ``show_error()`` and the
    signals below.  Menus: File, Edit, Format, View, Help."""

    # Emitted after a document is opened or switched (slug, or "" for none).
    document_opened = Signal(str)
    # Emitted after a revision is saved (slug, commit id).
    revision_saved = Signal(str, str)
    # Emitted after the workspace changes.
    workspace_changed = Signal()

    def __init__(self, workspace: Workspace, settings: Settings | None = None):
        super().__init__()
        self.settings = settings or Settings.load()
        self.ws: Workspace | None = None
        self.slug: str | None = None
        self.doc: Document | None = None
        self._sections = []
        self._outline_items: list[QTreeWidgetItem] = []
        self._current_section: int | None = None
        self.menus: dict[str, object] = {}
        self._build_widgets()
        self._build_actions()
        self._install_features()
        self._restore_view_state()
        self.set_workspace(workspace)

    # ---- construction ------------------------------------------------------

    def _build_widgets(self) -> None:
        self.doc_list = QListWidget(objectName="documents")
        self.doc_list.itemActivated.connect(self._on_doc_activated)
        self.doc_list.itemClicked.connect(self._on_doc_activated)
        self.outline_view = QTreeWidget(objectName="outline")
        self.outline_view.setHeaderHidden(True)
        self.outline_view.itemClicked.connect(self._on_outline_clicked)
        self.outline_view.itemActivated.connect(self._on_outline_clicked)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 6, 0, 6)
        side_layout.addWidget(QLabel("<b>Documents</b>"))
        side_layout.addWidget(self.doc_list, 2)
        new_button = QPushButton("New document…")
        new_button.clicked.connect(self.new_document)
        side_layout.addWidget(new_button)
        side_layout.addWidget(QLabel("<b>Outline</b>"))
        side_layout.addWidget(self.outline_view, 3)
        self.sidebar = side

        self.editor = MarkdownEditor(font_size=self.settings.editor_font_size)
        self.editor.textChanged.connect(self._on_text_changed)
        self.editor.cursorPositionChanged.connect(self._on_cursor_moved)
        self.editor.document().modificationChanged.connect(self._update_title)
        self.find_bar = FindReplaceBar(self.editor)
        editor_box = QWidget()
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.setSpacing(0)
        editor_layout.addWidget(self.editor)
        editor_layout.addWidget(self.find_bar)

        self.preview = PreviewPane(delay_ms=self.settings.preview_delay_ms)
        self.preview.rendered.connect(self._on_rendered)

        self.content_split = QSplitter(Qt.Orientation.Horizontal)
        self.content_split.addWidget(editor_box)
        self.content_split.addWidget(self.preview)
        self.content_split.setSizes([600, 600])

        welcome = QWidget(objectName="welcome")
        wl = QVBoxLayout(welcome)
        wl.addStretch(1)
        msg = QLabel(
            "<h2>No document open</h2><p>Create a guideline document to start writing, "
            "or pick one from the list on the left.</p>"
        )
        msg.setAlignment(Qt.AlignmentFlag.AlignCenter)
        wl.addWidget(msg)
        start = QPushButton("New document…")
        start.clicked.connect(self.new_document)
        wl.addWidget(start, 0, Qt.AlignmentFlag.AlignHCenter)
        wl.addStretch(2)
        self.stack = QStackedWidget()
        self.stack.addWidget(welcome)
        self.stack.addWidget(self.content_split)

        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.main_split.addWidget(self.sidebar)
        self.main_split.addWidget(self.stack)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setSizes([240, 1000])
        self.setCentralWidget(self.main_split)

        self.words_label = QLabel()
        self.state_label = QLabel()
        self.revision_label = QLabel()
        self.status_label = QLabel()
        for label in (self.status_label, self.state_label, self.revision_label, self.words_label):
            label.setContentsMargins(10, 0, 10, 0)
            self.statusBar().addPermanentWidget(label)

        # Notice when the open file is changed by someone else (the command
        # line, a git pull, another editor).
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_file_changed_on_disk)
        self._rewatch_timer = QTimer(self, singleShot=True, interval=100)
        self._rewatch_timer.timeout.connect(lambda: self._watch(self.ws.path(self.slug) if self.slug else None))
        self._outline_timer = QTimer(self, singleShot=True, interval=150)
        self._outline_timer.timeout.connect(self._refresh_outline)
        self.resize(1280, 800)

    def add_action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        """A menu entry with optional shortcut(s) and status tip (also for feature modules)."""
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                action.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        m = self.menus["File"] = bar.addMenu("&File")
        self.act_new = self.add_action(m, "&New Document…", self.new_document, QKeySequence.StandardKey.New)
        self.act_open = self.add_action(m, "&Open Document…", self.open_document_dialog, QKeySequence.StandardKey.Open)
        m.addSeparator()
        self.act_save = self.add_action(m, "&Save Revision", self.save_revision, QKeySequence.StandardKey.Save,
                                     "Save the document as a new revision")
        self.act_save_as = self.add_action(m, "Save Revision with &Message…", self.save_revision_with_message, "Ctrl+Shift+S")
        m.addSeparator()
        self.add_action(m, "New &Workspace…", self.new_workspace_dialog)
        self.add_action(m, "Open Wor&kspace…", self.open_workspace_dialog)
        self.recent_menu = m.addMenu("&Recent Workspaces")
        m.addSeparator()
        self.add_action(m, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        m = self.menus["Edit"] = bar.addMenu("&Edit")
        self.act_undo = self.add_action(m, "&Undo", self.editor.undo, QKeySequence.StandardKey.Undo)
        self.act_redo = self.add_action(m, "&Redo", self.editor.redo, ["Ctrl+Y", "Ctrl+Shift+Z"])
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)
        self.editor.undoAvailable.connect(self.act_undo.setEnabled)
        self.editor.redoAvailable.connect(self.act_redo.setEnabled)
        m.addSeparator()
        self.add_action(m, "Cu&t", self.editor.cut, QKeySequence.StandardKey.Cut)
        self.add_action(m, "&Copy", self.editor.copy, QKeySequence.StandardKey.Copy)
        self.add_action(m, "&Paste", self.editor.paste, QKeySequence.StandardKey.Paste)
        self.add_action(m, "Select &All", self.editor.selectAll, QKeySequence.StandardKey.SelectAll)
        m.addSeparator()
        self.add_action(m, "&Find and Replace…", lambda: self.find_bar.open_bar(), "Ctrl+F")
        self.add_action(m, "Replace…", lambda: self.find_bar.open_bar(replace=True), "Ctrl+H")
        self.add_action(m, "Find &Next", self.find_bar.find_next, QKeySequence.StandardKey.FindNext)
        self.add_action(m, "Find Pre&vious", self.find_bar.find_previous, QKeySequence.StandardKey.FindPrevious)
        m.addSeparator()
        self.act_details = self.add_action(m, "Document &Details…", self.edit_details, "Alt+Return")
        self.add_action(m, "Pr&eferences…", self.edit_preferences)

        m = self.menus["Format"] = bar.addMenu("F&ormat")
        ed = self.editor
        self.add_action(m, "&Bold", lambda: ed.format_inline("**"), QKeySequence.StandardKey.Bold)
        self.add_action(m, "&Italic", lambda: ed.format_inline("*"), QKeySequence.StandardKey.Italic)
        self.add_action(m, "&Link…", ed.insert_link, "Ctrl+K")
        m.addSeparator()
        for level in (1, 2, 3):
            self.add_action(m, f"Heading &{level}", lambda _=False, n=level: ed.format_heading(n), f"Ctrl+{level}")
        self.add_action(m, "&Normal Text", lambda: ed.format_heading(0), "Ctrl+0")
        m.addSeparator()
        self.add_action(m, "Bulleted Li&st", lambda: ed.format_list(False), "Ctrl+Shift+8")
        self.add_action(m, "Nu&mbered List", lambda: ed.format_list(True), "Ctrl+Shift+7")

        m = self.menus["View"] = bar.addMenu("&View")
        self.act_toggle_preview = self.add_action(m, "Show &Preview", self._toggle_preview, "Ctrl+Shift+P")
        self.act_toggle_preview.setCheckable(True)
        self.act_toggle_preview.setChecked(True)
        self.act_toggle_sidebar = self.add_action(m, "Show &Sidebar", self._toggle_sidebar, "Ctrl+Shift+B")
        self.act_toggle_sidebar.setCheckable(True)
        self.act_toggle_sidebar.setChecked(True)

        m = self.menus["Help"] = bar.addMenu("&Help")
        self.add_action(m, f"&About {APP_NAME}", self._about)
        self._doc_actions = [self.act_save, self.act_save_as, self.act_details]
        self.menus["Format"].setEnabled(True)

    def _install_features(self) -> None:
        for install in FEATURES:
            install(self)

    def show_error(self, title: str, message: str, detail: str = "") -> None:
        show_error(self, title, message, detail)

    # ---- workspace -----------------------------------------------------------

    def set_workspace(self, workspace: Workspace) -> None:
        if self.ws is not None:
            self.ws.close()
        self.ws = workspace
        self.slug, self.doc = None, None
        self.preview.set_workspace_root(workspace.root)
        self.settings.remember_workspace(workspace.root)
        self._save_settings()
        self._rebuild_recent_menu()
        self.refresh_documents()
        docs = self.ws.documents()
        readable = [d for d in docs if not d.error]
        if readable:
            self.open_document(readable[0].slug)
        else:
            self._show_no_document()
        self.workspace_changed.emit()

    def refresh_documents(self) -> None:
        self.doc_list.clear()
        for info in self.ws.documents():
            label = info.title if not info.error else f"{info.slug} (cannot be read)"
            item = QListWidgetItem(label)
            item.setData(SLUG_ROLE, info.slug)
            item.setToolTip(info.error or f"{info.title}\nStatus: {info.status}   Version: {info.version}")
            self.doc_list.addItem(item)
            if info.slug == self.slug:
                item.setSelected(True)
                self.doc_list.setCurrentItem(item)

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        for folder in self.settings.recent_workspaces:
            action = self.recent_menu.addAction(folder)
            action.triggered.connect(lambda _=False, f=folder: self._switch_workspace(Path(f), create=False))
        self.recent_menu.setEnabled(bool(self.settings.recent_workspaces))

    def new_workspace_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose or create a folder for the new workspace")
        if folder:
            self._switch_workspace(Path(folder), create=True)

    def open_workspace_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a workspace folder")
        if folder:
            self._switch_workspace(Path(folder), create=False)

    def _switch_workspace(self, folder: Path, create: bool) -> None:
        if not self.maybe_save():
            return
        try:
            if not create and not (folder / ".git").exists():
                answer = QMessageBox.question(
                    self, "Not a workspace yet",
                    f"{folder} is not a guidelines workspace yet.\n\nMake it one? Your files in it are not changed.",
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return
            workspace = Workspace.create(folder)
        except GuidelinesError as exc:
            show_error(self, "Cannot open workspace", str(exc), "Choose another folder with File > Open Workspace.")
            return
        self.set_workspace(workspace)

    # ---- documents -----------------------------------------------------------

    def _show_no_document(self) -> None:
        self.stack.setCurrentIndex(0)
        self.editor.set_text("")
        self.outline_view.clear()
        for a in self._doc_actions:
            a.setEnabled(False)
        self._update_title()
        self._update_status()
        self.document_opened.emit("")

    def open_document(self, slug: str, force: bool = False) -> bool:
        if slug == self.slug and not force:
            return True
        if not self.maybe_save():
            self._select_in_list(self.slug)
            return False
        try:
            doc = self.ws.load(slug)
        except GuidelinesError as exc:
            show_error(self, "Cannot open document", str(exc),
                       "Fix the file in a text editor, or choose another document.")
            self._select_in_list(self.slug)
            return False
        self.slug, self.doc = slug, doc
        self._watch(doc.path)
        self.stack.setCurrentIndex(1)
        for a in self._doc_actions:
            a.setEnabled(True)
        self.editor.blockSignals(True)
        self.editor.set_text(doc.body)
        self.editor.blockSignals(False)
        self._current_section = None
        self._refresh_outline()
        self.preview.render_now(doc.body)
        self._select_in_list(slug)
        self._update_title()
        self._update_status()
        self.editor.setFocus()
        self.document_opened.emit(slug)
        return True

    def reload_document(self) -> None:
        """Show the current document as it is on disk (after a restore, an
        import or another change made by the core)."""
        if self.slug is None:
            return
        self.editor.document().setModified(False)
        self.doc = None
        self.refresh_documents()
        self.open_document(self.slug, force=True)

    def _watch(self, path: Path | None) -> None:
        if self._watcher.files():
            self._watcher.removePaths(self._watcher.files())
        if path is not None and path.exists():
            self._watcher.addPath(str(path))

    def _on_file_changed_on_disk(self, _path: str) -> None:
        if self.doc is None or self.slug is None:
            return
        path = self.ws.path(self.slug)
        self._rewatch_timer.start()  # editors and git replace files: watch the new one
        try:
            on_disk = path.read_text(encoding="utf-8")
        except OSError:
            return  # removed or mid-replace; the next change event tells more
        if on_disk == self.current_text():
            return
        if self.is_modified():
            answer = QMessageBox.question(
                self, "Document changed elsewhere",
                f"“{self.doc.title}” was changed outside the app (for example restored, or updated from a colleague).\n\n"
                "Load that version? Your unsaved edits here would be discarded. Choose No to keep editing "
                "your version; saving it will make it the newest revision.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.reload_document()
        self.statusBar().showMessage("Reloaded: the document was changed outside the app", 8000)

    def _select_in_list(self, slug: str | None) -> None:
        for row in range(self.doc_list.count()):
            item = self.doc_list.item(row)
            if item.data(SLUG_ROLE) == slug:
                self.doc_list.setCurrentItem(item)
                return
        self.doc_list.clearSelection()

    def _on_doc_activated(self, item: QListWidgetItem) -> None:
        self.open_document(item.data(SLUG_ROLE))

    def open_document_dialog(self) -> None:
        docs = [d for d in self.ws.documents() if not d.error]
        if not docs:
            QMessageBox.information(self, "No documents", "This workspace has no documents yet. Use File > New Document.")
            return
        labels = [f"{d.title}  ({d.slug})" for d in docs]
        choice, ok = QInputDialog.getItem(self, "Open document", "Document:", labels, 0, False)
        if ok:
            self.open_document(docs[labels.index(choice)].slug)

    def make_new_document_dialog(self):
        """The dialog File > New uses: any QDialog whose document() gives the
        new Document once accepted (feature modules may replace this)."""
        return NewDocumentDialog(self, organization=self.doc.organization if self.doc else "")

    def new_document(self) -> None:
        if not self.maybe_save():
            return
        dialog = self.make_new_document_dialog()
        if dialog.exec() != NewDocumentDialog.DialogCode.Accepted:
            return
        author = self.author()
        if author is None:
            return
        try:
            slug, _ = self.ws.create_document(dialog.document(), author)
        except GuidelinesError as exc:
            show_error(self, "Cannot create document", str(exc))
            return
        self.refresh_documents()
        self.open_document(slug)
        self.statusBar().showMessage(f"Created {slug}", 5000)

    # ---- editing -------------------------------------------------------------

    def is_modified(self) -> bool:
        return self.doc is not None and (self.editor.document().isModified() or self.doc.details_changed())

    def _on_text_changed(self) -> None:
        if self.doc is None:
            return
        self.preview.schedule(self.editor.text)
        self._outline_timer.start()

    def _refresh_outline(self) -> None:
        body = self.editor.text()
        self._sections = outline(body)
        self.outline_view.clear()
        self._outline_items = []
        parents: list[tuple[int, QTreeWidgetItem]] = []
        for sec in self._sections:
            item = QTreeWidgetItem([sec.title or "(untitled)"])
            item.setData(0, LINE_ROLE, sec.line)
            while parents and parents[-1][0] >= sec.level:
                parents.pop()
            if parents:
                parents[-1][1].addChild(item)
            else:
                self.outline_view.addTopLevelItem(item)
            parents.append((sec.level, item))
            self._outline_items.append(item)
        self.outline_view.expandAll()
        self._current_section = None
        self._on_cursor_moved()
        self.words_label.setText(f"{word_count(body):,} words")

    def _on_outline_clicked(self, item: QTreeWidgetItem) -> None:
        self.editor.go_to_line(item.data(0, LINE_ROLE))

    def _on_cursor_moved(self) -> None:
        index = section_at_line(self._sections, self.editor.current_line())
        if index == self._current_section:
            return
        self._current_section = index
        if index is None or index >= len(self._outline_items):
            self.outline_view.clearSelection()
            return
        self.outline_view.blockSignals(True)
        self.outline_view.setCurrentItem(self._outline_items[index])
        self.outline_view.blockSignals(False)
        self.preview.show_section(index)

    def _on_rendered(self, _rendered) -> None:
        if self._current_section is not None:
            self.preview.show_section(self._current_section)

    # ---- saving --------------------------------------------------------------

    def author(self) -> Identity | None:
        """The identity for new revisions; asks once if none is configured."""
        try:
            return self.ws.identity(self.settings)
        except IdentityMissing:
            dialog = IdentityDialog(self)
            if dialog.exec() != IdentityDialog.DialogCode.Accepted:
                return None
            identity = dialog.identity()
            self.settings.author_name, self.settings.author_email = identity.name, identity.email
            self._save_settings()
            return identity

    def current_text(self) -> str:
        """The whole document as it would be saved now (details + body)."""
        self.doc.body = self.editor.text()
        return self.doc.to_text()

    def save_revision(self, message: str | None = None) -> bool:
        if self.doc is None:
            return False
        text = self.current_text()
        author = self.author()
        if author is None:
            return False
        try:
            result = self.ws.save_text(self.slug, text, author, message or None)
        except GuidelinesError as exc:
            show_error(self, "Cannot save", str(exc), "Your text is still here; nothing was lost.")
            return False
        self.doc = self.ws.load(self.slug)  # the core may have updated the details (status)
        self.editor.document().setModified(False)
        if result.saved:
            self.statusBar().showMessage(f"Saved revision {result.commit[:8]}: {result.message}", 8000)
        else:
            self.statusBar().showMessage("No changes to save", 4000)
        self.refresh_documents()
        self._update_title()
        self._update_status()
        if result.saved:
            self.revision_saved.emit(self.slug, result.commit)
        return True

    def save_revision_with_message(self) -> bool:
        if self.doc is None:
            return False
        text = self.current_text()
        suggested = changes.summarize(self.ws.committed_text(self.slug), text)
        dialog = RevisionMessageDialog(self, suggested)
        if dialog.exec() != RevisionMessageDialog.DialogCode.Accepted:
            return False
        return self.save_revision(dialog.text())

    def maybe_save(self) -> bool:
        """Ask before unsaved work would be lost; False means 'stay here'."""
        if not self.is_modified():
            return True
        answer = ask_unsaved(self, self.doc.title)
        if answer == QMessageBox.StandardButton.Save:
            return self.save_revision()
        if answer == QMessageBox.StandardButton.Discard:
            self.editor.document().setModified(False)
            if self.doc is not None and self.doc.path is not None:
                self.doc = self.ws.load(self.slug)
            return True
        return False

    def edit_details(self) -> None:
        if self.doc is None:
            return
        dialog = DetailsDialog(self, self.doc)
        if dialog.exec() == DetailsDialog.DialogCode.Accepted and dialog.apply():
            self._update_title()
            self._update_status()

    def edit_preferences(self) -> None:
        current = None
        if self.settings.author_name:
            current = Identity(self.settings.author_name, self.settings.author_email)
        else:
            current = self.ws.store.config_identity()
        dialog = IdentityDialog(self, current)
        dialog.setWindowTitle("Preferences")
        if dialog.exec() == IdentityDialog.DialogCode.Accepted:
            identity = dialog.identity()
            self.settings.author_name, self.settings.author_email = identity.name, identity.email
            self._save_settings()

    # ---- status --------------------------------------------------------------

    def _update_title(self, *_args) -> None:
        modified = self.is_modified()
        name = self.doc.title if self.doc else "No document"
        self.setWindowTitle(f"{name}[*] — {APP_NAME}")
        self.setWindowModified(modified)
        self.state_label.setText("Unsaved changes" if modified else ("Saved" if self.doc else ""))

    def _update_status(self) -> None:
        if self.doc is None:
            for label in (self.revision_label, self.words_label, self.status_label):
                label.setText("")
            return
        revisions = self.ws.history(self.slug, max_count=1) if self.ws.exists(self.slug) else []
        if revisions:
            r = revisions[0]
            self.revision_label.setText(f"Revision {r.short} · {r.date.strftime('%d %b %Y %H:%M')}")
            self.revision_label.setToolTip(f"{r.subject}\nby {r.author}")
        else:
            self.revision_label.setText("Not saved yet")
        status = self.doc.status.capitalize()
        self.status_label.setText(f"{status} · version {self.doc.version}" if self.doc.version else status)

    # ---- view ----------------------------------------------------------------

    def _toggle_preview(self, checked: bool) -> None:
        self.preview.setVisible(checked)

    def _toggle_sidebar(self, checked: bool) -> None:
        self.sidebar.setVisible(checked)

    def _about(self) -> None:
        QMessageBox.about(
            self, f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<p>Draft, revise, review and publish social media guidelines. "
            f"Every saved revision is kept in the workspace folder:<br>{self.ws.root}</p>",
        )

    def _restore_view_state(self) -> None:
        qs = QSettings()
        geometry = qs.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = qs.value("window/split")
        if isinstance(state, QByteArray):
            self.content_split.restoreState(state)

    def _save_settings(self) -> None:
        try:
            self.settings.save()
        except OSError as exc:
            self.statusBar().showMessage(f"Could not save preferences: {exc}", 8000)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        qs = QSettings()
        qs.setValue("window/geometry", self.saveGeometry())
        qs.setValue("window/split", self.content_split.saveState())
        self.preview.shutdown()
        if self.ws is not None:
            self.ws.close()
        event.accept()
