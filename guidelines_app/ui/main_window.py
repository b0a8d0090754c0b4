"""The main window: documents, outline, editor and live preview.

All decisions about documents, revisions and git are made by the core
(``Workspace``, ``Document``, ``changes``, ``markup``); this module only wires
them to widgets, menus and dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from guidelines_app import APP_NAME
from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.gitstore import Identity
from guidelines_app.core.outline import WordCounter, outline
from guidelines_app.core.settings import Settings
from guidelines_app.core.workspace import Workspace
from guidelines_app.ui import gc_guard, view_state
from guidelines_app.ui.editor import FindReplaceBar, MarkdownEditor
from guidelines_app.ui.feature_loader import FeatureLoader
from guidelines_app.ui.features import Features
from guidelines_app.ui.fill import fill
from guidelines_app.ui.jobs import Jobs
from guidelines_app.ui.large_document import LargeDocumentLoader, is_large, is_long, notice
from guidelines_app.ui.menus import build_menus, insert_file_entries
from guidelines_app.ui.outside_changes import OutsideChangeWatch
from guidelines_app.ui.preview import PreviewPane
from guidelines_app.ui.safekeeping import Safekeeping
from guidelines_app.ui.save_failure import creation_failed
from guidelines_app.ui.saving import Saving
from guidelines_app.ui.sidebar import DocumentSidebar
from guidelines_app.ui.status_bar import DocumentStatus
from guidelines_app.ui.surface import long_load
from guidelines_app.ui.surface.views import EditingViews


class MainWindow(QMainWindow):
    """Public surface for feature modules: ``ws``, ``slug``, ``doc``,
    ``editor``, ``preview``, ``settings``, ``menus`` (by name: File, Edit,
    Format, View, Help, and those features add), ``features`` (by name), ``jobs`` (``ui.jobs.Jobs``),
    ``safekeeping`` (autosave and recovery, ``ui.safekeeping``), ``heavy_features_off``
    (a very large document is open: skip costly scans of its text),
    ``current_text()``, ``author()``, ``open_document()``, ``show_document()``,
    ``reload_document()``, ``refresh_documents()``, ``maybe_save()``,
    ``save_revision()``, ``save_settings()``, ``show_error()``, the signals
    below, and the hooks ``add_action()``, ``add_menu()``, ``add_file_entries()``,
    ``add_banner()`` and ``set_new_document_dialog()``."""

    # Emitted after a document is opened or switched (slug, or "" for none).
    document_opened = Signal(str)
    # Emitted after a revision is saved (slug, commit id).
    revision_saved = Signal(str, str)
    # Emitted after the workspace changes.
    workspace_changed = Signal()

    def __init__(self, workspace: Workspace, settings: Settings | None = None, document: str | None = None):
        super().__init__()
        gc_guard.install()  # Qt objects are never collected on a worker thread
        self.settings = settings or Settings.load()
        self.ws: Workspace | None = None
        self.slug: str | None = None
        self.doc: Document | None = None
        self.menus: dict[str, QMenu] = {}
        self.features = Features()
        self.jobs = Jobs(self)  # background work that may outlive the dialog that started it
        self._new_document_dialog: Callable[[], QDialog | None] | None = None
        self.heavy_features_off = False  # a very large document is open
        self._starting = True  # git, the outline and the word count wait for the first paint
        self._outlined = 0  # outlines asked for
        self._build_widgets()
        self._build_actions()
        self._install_features()
        view_state.restore(self)  # (after the features: their panels are arranged too)
        self.set_workspace(workspace, document)
        self._starting = False

    # ---- construction ------------------------------------------------------

    def _build_widgets(self) -> None:
        self.sidebar = DocumentSidebar()
        self.sidebar.document_chosen.connect(self.open_document)
        self.sidebar.new_requested.connect(self.new_document)
        self.sidebar.line_chosen.connect(lambda line: self.editor.go_to_line(line))
        self.doc_list, self.outline_view = self.sidebar.doc_list, self.sidebar.outline_view
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_welcome())
        self.stack.addWidget(self._build_document_view())
        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.main_split.addWidget(self.sidebar)
        self.main_split.addWidget(self.stack)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setSizes([240, 1000])
        self.setCentralWidget(self.main_split)
        self._build_status_bar()
        self.outside_changes = OutsideChangeWatch(self)
        self.safekeeping = Safekeeping(self)  # autosave to the recovery area, recovery at launch
        self.large_documents = LargeDocumentLoader(self)
        self.saving = Saving(self)  # saves revisions: a very large document's on a worker
        self._words = WordCounter()  # the status bar's word count, of the paragraphs that changed only
        self._outline_timer = QTimer(self, singleShot=True, interval=150)
        self._outline_timer.timeout.connect(self._refresh_outline)
        self.resize(1280, 800)

    def _build_document_view(self) -> QWidget:
        """The editor (with banners above it and the find bar below) beside the preview."""
        self.editor = MarkdownEditor(font_size=self.settings.editor_font_size)
        self.editor.textChanged.connect(self._on_text_changed)
        self.editor.cursorPositionChanged.connect(self._on_cursor_moved)
        self.editor.document().modificationChanged.connect(self._update_title)
        self.editing = EditingViews(self, self.editor, self.settings.editor_font_size)
        self.editing.surface.cursorPositionChanged.connect(self._on_cursor_moved)
        self.find_bar = FindReplaceBar(self.editing.active())  # (the view shown; EditingViews retargets it)
        editor_box = QWidget()
        self._editor_layout = QVBoxLayout(editor_box)
        self._editor_layout.setContentsMargins(0, 0, 0, 0)
        self._editor_layout.setSpacing(0)
        self._editor_layout.addWidget(self.editing)
        self._editor_layout.addWidget(self.find_bar)
        self.preview = PreviewPane(delay_ms=self.settings.preview_delay_ms)
        self.preview.rendered.connect(self._on_rendered)
        self.content_split = QSplitter(Qt.Orientation.Horizontal)
        self.content_split.addWidget(editor_box)
        self.content_split.addWidget(self.preview)
        self.content_split.setSizes([600, 600])
        return self.content_split

    def _build_welcome(self) -> QWidget:
        welcome = QWidget(objectName="welcome")
        wl = QVBoxLayout(welcome)
        wl.addStretch(1)
        msg = QLabel(self.tr("<h2>No document open</h2><p>Create a guideline document to start writing, "
                             "or pick one from the list on the left.</p>"))
        msg.setAlignment(Qt.AlignmentFlag.AlignCenter)
        wl.addWidget(msg)
        start = QPushButton(self.tr("New Guideline…"))
        start.clicked.connect(self.new_document)
        wl.addWidget(start, 0, Qt.AlignmentFlag.AlignHCenter)
        wl.addStretch(2)
        return welcome

    def _build_status_bar(self) -> None:
        self.status_labels = DocumentStatus(self.statusBar())
        s = self.status_labels
        self.words_label, self.state_label, self.revision_label, self.status_label = (
            s.words_label, s.state_label, s.revision_label, s.status_label)

    # ---- hooks for features --------------------------------------------------

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

    def add_menu(self, name: str, title: str, object_name: str = "") -> QMenu:
        """A feature's own menu, kept in ``menus[name]``: placed where the one
        of that name is (its stand-in, ``ui.feature_loader``), else before Help."""
        menu = QMenu(title, self)
        if object_name:
            menu.setObjectName(object_name)
        self.menuBar().insertMenu(self.menus.get(name, self.menus["Help"]).menuAction(), menu)
        self.menus[name] = menu
        return menu

    def add_file_entries(self, *entries: QAction | QMenu) -> None:
        """A feature's group of File menu entries, above Quit."""
        insert_file_entries(self.menus["File"], self._before_quit, entries)

    def add_banner(self, banner: QWidget) -> None:
        """A strip above the editor (shown only with a document open); the
        banner shows and hides itself."""
        self._editor_layout.insertWidget(0, banner)

    def set_new_document_dialog(self, factory: Callable[[], QDialog | None]) -> None:
        """What File > New shows: *factory()* gives a QDialog whose ``document()`` is the new
        Document once accepted (None: the user cancelled); without one, the plain New Document dialog."""
        self._new_document_dialog = factory

    def _build_actions(self) -> None:
        a = build_menus(self)
        self.act_new, self.act_save, self.act_save_as, self.act_details = a.new, a.save, a.save_as, a.details
        self.act_undo, self.act_redo = a.undo, a.redo
        self.act_toggle_preview, self.act_toggle_sidebar = a.toggle_preview, a.toggle_sidebar
        self.recent_menu, self._before_quit = a.recent_menu, a.before_quit
        # (with no document open there is nothing to save or format: greyed out)
        self._doc_actions = [self.act_save, self.act_save_as, self.act_details, self.menus["Format"].menuAction()]

    def _install_features(self) -> None:
        """Menus and shortcuts now; the features after the first paint (ui.feature_loader)."""
        self.feature_loader = FeatureLoader(self)

    def show_error(self, title: str, message: str, detail: str = "", technical: str = "") -> None:
        """A warning box; *technical* (a traceback) only behind Show Details."""
        from guidelines_app.ui.dialogs import show_error  # loaded when first needed: not before the first paint
        show_error(self, title, message, detail, technical)

    # ---- workspace -----------------------------------------------------------

    def set_workspace(self, workspace: Workspace, document: str | None = None) -> None:
        """Show *workspace* with *document* open (else its first readable one)."""
        if self.ws is not None:
            self.ws.close()
        self.ws = workspace
        self.slug, self.doc = None, None
        self.safekeeping.set_workspace(workspace)
        self.preview.set_workspace_root(workspace.root)
        recent = list(self.settings.recent_workspaces)
        self.settings.remember_workspace(workspace.root)
        if self.settings.recent_workspaces != recent:  # else nothing to write (a synced write: 10 ms of the start)
            self.feature_loader.after_first_paint(self.save_settings)  # at once if painted
        self._rebuild_recent_menu()
        docs = self.ws.documents()  # read once for the list and the choice below
        self.sidebar.show_documents(docs, self.slug)
        readable = [d for d in docs if not d.error]
        if readable:
            self.open_document(next((d.slug for d in readable if d.slug == document), readable[0].slug))
        else:
            self._show_no_document()
        self.workspace_changed.emit()
        # Copies left by an earlier run, files never committed (git status): offered once the window is painted.
        self.feature_loader.after_first_paint(lambda: QTimer.singleShot(0, self.safekeeping.offer_recovery))

    def refresh_documents(self) -> None:
        self.sidebar.show_documents(self.ws.documents(), self.slug)

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        for folder in self.settings.recent_workspaces:
            action = self.recent_menu.addAction(folder)
            action.triggered.connect(lambda _=False, f=folder: self.switch_workspace(Path(f), create=False))
        self.recent_menu.setEnabled(bool(self.settings.recent_workspaces))

    def switch_workspace(self, folder: Path, create: bool) -> None:
        """Leave this workspace (asking about unsaved edits) for *folder*'s."""
        if not self.maybe_save():
            return
        from guidelines_app.ui.workspace_chooser import open_folder
        workspace = open_folder(self, folder, create)
        if workspace is not None:
            self.set_workspace(workspace)

    # ---- documents -----------------------------------------------------------

    def _show_no_document(self) -> None:
        self.large_documents.cancel()
        self.heavy_features_off = False
        self.stack.setCurrentIndex(0)
        self.editor.set_text("")
        self.sidebar.clear_outline()
        for a in self._doc_actions:
            a.setEnabled(False)
        self.details_shown()
        self.document_opened.emit("")

    def open_document(self, slug: str, force: bool = False) -> bool:
        if slug == self.slug and not force:
            return True
        if not self.maybe_save():
            self.sidebar.select_document(self.slug)
            return False
        try:
            if is_large(self.ws.path(slug)):
                self.large_documents.open(slug, self.ws.path(slug))  # shown when it is all in
                return True
            doc = self.ws.load(slug)
        except GuidelinesError as exc:
            self.show_error(self.tr("Cannot open document"), str(exc),
                       self.tr("Fix the file in a text editor, or choose another document."))
            self.sidebar.select_document(self.slug)
            return False
        self.large_documents.cancel()
        with QSignalBlocker(self.editor):  # (highlighted when shown: the lines on screen at once, the rest in slices)
            self.editor.set_text(doc.body, highlight=self.editing.source_view())
        self.show_document(slug, doc)
        return True

    def show_document(self, slug: str, doc: Document, large: bool = False) -> None:
        """Show *doc*, whose body is in the editor already; for a *large* one
        the preview, outline and word count stay off."""
        self.slug, self.doc, self.heavy_features_off = slug, doc, large
        self.outside_changes.watch(doc.path)
        self.outside_changes.opened(doc, large)
        self.stack.setCurrentIndex(1)
        for a in self._doc_actions:
            a.setEnabled(True)
        long = not large and is_long(self.editor.document().characterCount())
        if large or long:  # (a long one's come a moment later: not the last document's meanwhile)
            self.sidebar.clear_outline()
            self.preview.setPlainText(notice() if large else "")
            self.status_labels.words_label.setText("")
        if long:
            self._outline_timer.start()  # a long document's on an event-loop turn of its own (0.2 s at 4 MB)
        elif not large:
            self._refresh_outline()
        self.sidebar.select_document(slug)
        self.details_shown()
        self.editing.document_opened(large)  # shows it on the surface (or in source view) and focuses it
        if not large:
            # The preview renders on a worker, which would slow the first paint: it starts just after.
            self.feature_loader.after_first_paint(lambda: self._preview_when_shown(slug))
        self.document_opened.emit(slug)

    def _preview_when_shown(self, slug: str) -> None:
        """The preview rendered (on a worker); of a long document, once its
        surface is shown and then its outline made (``long_load.when_shown``)."""
        if not is_long(self.editor.document().characterCount()):  # (a first part shown: the whole first)
            self.editing.surface.when_whole(lambda: self.slug == slug and self.preview.render_now(self.editor.text()))
            return
        long_load.when_shown(self.editing.surface, lambda: self.slug == slug and self.doc is not None,
                             [self._outline_if_due, lambda: self.preview.render_now(self.editor.text())])

    def _outline_if_due(self) -> None:
        if self._outline_timer.isActive():
            self._outline_timer.stop()
            self._refresh_outline()

    def reload_document(self) -> None:
        """Show the current document as it is on disk (after a restore, an
        import or another change made by the core)."""
        self.saving.wait()  # (a save in the background writes the file: after it)
        if self.slug is None:
            return
        self.editor.document().setModified(False)
        self.doc = None
        self.refresh_documents()
        self.open_document(self.slug, force=True)

    def new_document(self) -> None:
        if not self.maybe_save():
            return
        self.features.ensure_loaded()  # the templates feature may offer its wizard
        if self._new_document_dialog is not None:
            if (dialog := self._new_document_dialog()) is None:
                return
        else:
            from guidelines_app.ui.dialogs import NewDocumentDialog
            dialog = NewDocumentDialog(self, organization=self.doc.organization if self.doc else "")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        author = self.author()
        if author is None:
            return
        doc, slug = dialog.document(), None
        try:
            slug = self.ws.unique_slug(doc.title)
            slug, _ = self.ws.create_document(doc, author, slug, keep_on_failure=True)
        except Exception as exc:  # noqa: BLE001 - git or the disk: explained, never a traceback
            creation_failed(self, exc, slug)
            return
        self.refresh_documents()
        self.open_document(slug)
        self.statusBar().showMessage(fill(self.tr("Created “%1”"), doc.title or slug), 5000)  # (as the documents list names it)

    # ---- editing -------------------------------------------------------------

    def is_modified(self) -> bool:
        return self.doc is not None and (self.editor.document().isModified() or self.doc.details_changed())

    def _on_text_changed(self) -> None:
        if self.doc is None or self.heavy_features_off:
            return
        self.preview.schedule(self.editor.text)
        self._outline_timer.start()

    def _refresh_outline(self) -> None:
        """The outline and the word count of the text in the editor.  At the start they come once the
        window is painted (10 ms of 40,000 words), as the latest revision does, unless asked again since."""
        asked = self._outlined = self._outlined + 1
        if self._starting:
            self.sidebar.clear_outline()
            self.status_labels.words_label.setText("")
            self.feature_loader.after_first_paint(lambda: asked == self._outlined and self._refresh_outline())
            return
        body, counter, doc = self.editor.text(), self._words, self.doc
        if is_long(len(body)):  # worked out on a worker (0.1-0.3 s each of 4 MB held the window)
            self.jobs.run(lambda: (outline(body), counter.count(body)), lambda found: asked == self._outlined
                          and self.doc is doc and doc is not None and self._show_outline(*found), key="outline")
        else:
            self._show_outline(outline(body), counter.count(body))

    def _show_outline(self, sections: list, words: int) -> None:
        self.sidebar.show_sections(sections)
        self._on_cursor_moved()
        self.status_labels.show_words(words)

    def _on_cursor_moved(self) -> None:
        # An empty preview (before its first render) has nowhere to scroll: it scrolls once rendered (_on_rendered).
        if self.sidebar.follow_line(self.editing.current_line()) and not self.preview.document().isEmpty():
            self.preview.show_section(self.sidebar.current_section)

    def _on_rendered(self, _rendered) -> None:
        if self.sidebar.current_section is not None:
            self.preview.show_section(self.sidebar.current_section)

    # ---- saving --------------------------------------------------------------

    def author(self) -> Identity | None:
        """The identity for new revisions; asks once if none is configured.
        Everything that writes a revision asks for it first: a save running
        in the background, and a team sync, end before (``ui.saving``)."""
        if not self.saving.settle():
            return None  # the user chose not to wait for the team sync: nothing is written
        from guidelines_app.ui.identity import author_of  # with the dialogs: not before the first paint
        return author_of(self)

    def current_text(self) -> str:
        """The whole document as it would be saved now (details + body)."""
        self.editing.flush()  # the surface's last keystrokes
        self.doc.body = self.editor.text()
        return self.doc.to_text()

    def current_text_later(self) -> Callable[[], str]:
        """``current_text`` as a function to call on a worker: the details
        are copied now, and the editor's text taken now (for a very large
        document its copy's parts, joined by the call)."""
        self.editing.flush()
        details, body = self.doc.details_copy(), self.editor.text_later()

        def text() -> str:
            details.body = body()
            return details.to_text()
        return text

    def save_revision(self, message: str | None = None, wait: bool = True) -> bool:
        """Save the document as a new revision (``ui.saving``): whether it is
        saved; without *wait*, a very large document's save may go on in
        the background."""
        return self.saving.save(message, wait)

    def saved(self) -> None:
        """After a save: the documents, the title and the status bar as they are now."""
        self.refresh_documents()
        self.details_shown()

    def save_revision_with_message(self) -> bool:
        return self.saving.save_with_message()

    def maybe_save(self) -> bool:
        """Ask before unsaved work would be lost; False means 'stay here'."""
        if self.saving.running() and not self.saving.wait():
            return False  # the save failed: the user chose to keep editing (or to quit, text kept)
        if not self.is_modified():
            return True
        from guidelines_app.ui.dialogs import ask_unsaved
        answer = ask_unsaved(self, self.doc.title)
        if answer == QMessageBox.StandardButton.Save:
            return self.save_revision()
        if answer == QMessageBox.StandardButton.Discard:
            self.safekeeping.discard()  # the user chose
            self.editor.document().setModified(False)
            if self.doc is not None and self.doc.path is not None:
                self.doc = self.ws.load(self.slug)
            return True
        return False

    def edit_details(self) -> None:
        if self.doc is None:
            return
        self.saving.wait()  # the document the save reads back has the details
        from guidelines_app.ui.dialogs import DetailsDialog
        dialog = DetailsDialog(self, self.doc)
        if dialog.exec() == DetailsDialog.DialogCode.Accepted and dialog.apply():
            self.details_shown()
            self.spelling.know_organization()  # (a new organization's name is no misspelling)

    def edit_preferences(self) -> None:
        from guidelines_app.ui.identity import edit_identity
        edit_identity(self)

    # ---- status --------------------------------------------------------------

    def details_shown(self) -> None:
        """The title and the status bar as the document and its details are now."""
        self._update_title()
        self._update_status()

    def _update_title(self, *_args) -> None:
        modified = self.is_modified()
        name = self.doc.title if self.doc else self.tr("No document")
        self.setWindowTitle(f"{name}[*] — {APP_NAME}")
        self.setWindowModified(modified)
        self.status_labels.show_saved_state(self.doc is not None, modified)

    def _update_status(self) -> None:
        self.status_labels.show_document(self.ws, self.slug, self.doc,
                                         self.feature_loader.after_first_paint if self._starting else None)

    # ---- view ----------------------------------------------------------------

    def set_preview_visible(self, checked: bool) -> None:
        self.preview.setVisible(checked)

    def set_sidebar_visible(self, checked: bool) -> None:
        self.sidebar.setVisible(checked)

    def save_settings(self) -> None:
        try:
            self.settings.save()
        except OSError as exc:
            self.statusBar().showMessage(fill(self.tr("Could not save preferences: %1"), exc), 8000)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.saving.closing, self.saving.quit_keeping_text = True, False
        try:
            leave = self.maybe_save()
        finally:
            self.saving.closing = False
        if not leave and not self.saving.quit_keeping_text:
            event.ignore()
            return
        if leave:
            self.safekeeping.discard()  # a clean exit: saved, discarded or unchanged
        view_state.save(self)
        self.preview.shutdown()
        if self.ws is not None:
            self.ws.close()
        event.accept()
