"""Revision history in the app: the History panel, read-only revision view,
Compare window, Publish dialog, overdue-review banner, restore and "Who
changed this paragraph?".

Widgets only: every decision is made by ``guidelines_app.history`` and
``guidelines_app.diff``; git is read on worker threads, each with its own
Workspace (one GitStore per thread).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QRunnable, QSortFilterProxyModel, Qt, QThreadPool, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from guidelines_app.review import history
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.markup import render_html
from guidelines_app.core.workspace import Workspace
from guidelines_app.ui.dialogs import FormDialog
from guidelines_app.ui.review.compare_view import UNSAVED, CompareWindow, Side

COLUMNS = ("Date", "Author", "Version", "Status", "Message")
SHA_ROLE = Qt.ItemDataRole.UserRole


# ---------------------------------------------------------------------------
# Background work
# ---------------------------------------------------------------------------


class _Signals(QObject):
    done = Signal(int, object)
    failed = Signal(int, str)


class _Job(QRunnable):
    """Runs func(workspace) on the thread pool with a workspace of its own."""

    def __init__(self, generation: int, root: Path, func):
        super().__init__()
        self.generation, self.root, self.func = generation, root, func
        self.signals = _Signals()

    def run(self) -> None:
        try:
            with Workspace.open(self.root) as ws:
                result = self.func(ws)
            self.signals.done.emit(self.generation, result)
        except GuidelinesError as exc:
            self.signals.failed.emit(self.generation, str(exc))
        except Exception as exc:  # noqa: BLE001 - reported, never a crash
            self.signals.failed.emit(self.generation, f"unexpected problem ({type(exc).__name__}): {exc}")


# ---------------------------------------------------------------------------
# History panel
# ---------------------------------------------------------------------------


class HistoryModel(QAbstractTableModel):
    def __init__(self):
        super().__init__()
        self.entries: list[history.HistoryEntry] = []

    def set_entries(self, entries) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def refresh_statuses(self, entries) -> None:
        by_sha = {e.sha: e.status for e in entries}
        for e in self.entries:
            e.status = by_sha.get(e.sha, e.status)
        if self.entries:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self.entries) - 1, 3))

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent=QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        r = e.revision
        if role == Qt.ItemDataRole.DisplayRole:
            col = index.column()
            if col == 0:
                return r.date.strftime("%Y-%m-%d %H:%M")
            if col == 1:
                return r.author
            if col == 2:
                return e.version_label
            if col == 3:
                return e.status.capitalize() if e.status else "…"
            return r.subject
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{r.short} · {r.author} <{r.email}>\n{r.date.strftime('%d %B %Y %H:%M')}\n\n{r.message}"
        if role == SHA_ROLE:
            return r.sha
        if role == Qt.ItemDataRole.FontRole and e.versions:
            from PySide6.QtGui import QFont

            f = QFont()
            f.setBold(True)
            return f
        return None


class HistoryPanel(QWidget):
    loaded = Signal()

    def __init__(self, feature: "HistoryFeature"):
        super().__init__()
        self.feature = feature
        self.setObjectName("history-panel")
        self.model = HistoryModel()
        # Thousands of revisions: a filter by author, message, version or status.
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.filter = QLineEdit(objectName="history-filter")
        self.filter.setPlaceholderText("Filter by author, message, version or status")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView(objectName="history-table")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        for col, mode in enumerate([QHeaderView.ResizeMode.ResizeToContents] * 4 + [QHeaderView.ResizeMode.Stretch]):
            header.setSectionResizeMode(col, mode)
        self.table.setWordWrap(False)
        self.table.doubleClicked.connect(lambda _i: self.feature.view_selected())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.state = QLabel(objectName="history-state")
        self.view_button = QPushButton("View")
        self.compare_button = QPushButton("Compare")
        self.restore_button = QPushButton("Restore…")
        self.view_button.clicked.connect(self.feature.view_selected)
        self.compare_button.clicked.connect(self.feature.compare_selected)
        self.restore_button.clicked.connect(self.feature.restore_selected)
        self.view_button.setToolTip("Open the selected revision read-only (double-click)")
        self.compare_button.setToolTip("Compare the two selected revisions, or the selected one with your current text")
        self.restore_button.setToolTip("Make the selected revision the newest one; nothing is lost")
        buttons = QHBoxLayout()
        for b in (self.view_button, self.compare_button, self.restore_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.state)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def selected_shas(self) -> list[str]:
        """The selected revisions, newest first."""
        rows = sorted({self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.entries[r].sha for r in rows]

    def select_rows(self, *rows: int) -> None:
        """Select entries by their place in the whole history (not the filtered view)."""
        from PySide6.QtCore import QItemSelectionModel

        sel = self.table.selectionModel()
        sel.clearSelection()
        for r in rows:
            sel.select(self.proxy.mapFromSource(self.model.index(r, 0)),
                       QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)

    def _update_buttons(self, *_args) -> None:
        n = len(self.selected_shas())
        self.view_button.setEnabled(n == 1)
        self.compare_button.setEnabled(n in (1, 2))
        self.restore_button.setEnabled(n == 1)

    def _context_menu(self, pos) -> None:
        if not self.selected_shas():
            return
        menu = QMenu(self)
        changes = menu.addAction("What Changed in This Revision", self.feature.compare_with_previous)
        changes.setEnabled(len(self.selected_shas()) == 1)
        menu.addAction("View this revision", self.feature.view_selected)
        menu.addAction("Compare with current text", self.feature.compare_selected)
        menu.addAction("Restore this revision…", self.feature.restore_selected)
        menu.exec(self.table.viewport().mapToGlobal(pos))


# ---------------------------------------------------------------------------
# Read-only revision view
# ---------------------------------------------------------------------------


class RevisionView(QDialog):
    def __init__(self, feature: "HistoryFeature", sha: str, label: str, text: str):
        super().__init__(feature.window)
        self.setObjectName("revision-view")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle(f"Revision {label} (read-only)")
        self.resize(900, 700)
        tabs = QTabWidget()
        from guidelines_app.core.document import Document

        body = Document.parse(text).body
        rendered = QTextBrowser()
        rendered.setOpenLinks(False)
        rendered.setHtml(render_html(body))
        raw = QPlainTextEdit(text)
        raw.setReadOnly(True)
        self.raw = raw
        tabs.addTab(rendered, "Formatted")
        tabs.addTab(raw, "Markdown")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        restore = buttons.addButton("Restore this revision…", QDialogButtonBox.ButtonRole.ActionRole)
        compare = buttons.addButton("Compare with current", QDialogButtonBox.ButtonRole.ActionRole)
        restore.clicked.connect(lambda: (self.close(), feature.restore(sha)))
        compare.clicked.connect(lambda: feature.open_compare(sha, UNSAVED))
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{label}</b> — this is an old revision; edits here are not possible."))
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)


# ---------------------------------------------------------------------------
# Publish dialog
# ---------------------------------------------------------------------------


class PublishDialog(FormDialog):
    """Send for review, or approve and publish a version."""

    def __init__(self, window, ws: Workspace, slug: str):
        doc = ws.load(slug)
        last = history.last_publication(ws, slug)
        super().__init__(
            window, "Publish version",
            f"“{doc.title}” is <b>{doc.status}</b>"
            + (f"; the last published version is <b>{last.version}</b>." if last else "; it has not been published yet."),
        )
        self.setObjectName("publish-dialog")
        self.ws, self.slug = ws, slug
        self.minor_version = history.next_version(ws, slug, "minor")
        self.major_version = history.next_version(ws, slug, "major")
        self.status = QComboBox(objectName="publish-status")
        self.status.addItem("Approved: publish this version", "approved")
        self.status.addItem("In review: send to the approver", "in review")
        self.status.addItem("Draft: back to drafting", "draft")
        self.status.currentIndexChanged.connect(self._update)
        self.minor = QRadioButton(f"Minor — editorial changes (version {self.minor_version})")
        self.major = QRadioButton(f"Major — substantive changes (version {self.major_version})")
        self.minor.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.minor)
        group.addButton(self.major)
        self.summary = QPlainTextEdit(objectName="publish-summary")
        self.summary.setPlaceholderText("What changed, in a sentence or two for readers of the policy")
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(90)
        self.approver = QLineEdit(objectName="publish-approver")
        self.approver.setPlaceholderText("Name of the person who approved it")
        form = self.form
        form.addRow("Status", self.status)
        self.version_box = QWidget()
        vb = QVBoxLayout(self.version_box)
        vb.setContentsMargins(0, 0, 0, 0)
        vb.addWidget(self.minor)
        vb.addWidget(self.major)
        form.addRow("Version", self.version_box)
        form.addRow("Change summary", self.summary)
        form.addRow("Approver", self.approver)
        self._update()

    def chosen_status(self) -> str:
        return self.status.currentData()

    def kind(self) -> str:
        return "major" if self.major.isChecked() else "minor"

    def _update(self, *_args) -> None:
        publishing = self.chosen_status() == "approved"
        self.version_box.setEnabled(publishing)
        self.approver.setEnabled(publishing)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Publish" if publishing else f"Set to {self.chosen_status()}")

    def problem(self) -> str:
        if self.chosen_status() != "approved":
            return ""
        if not self.summary.toPlainText().strip():
            return "Please write a change summary: readers see it with the version."
        if not self.approver.text().strip():
            return "Please name the approver of this version."
        return ""



# ---------------------------------------------------------------------------
# Overdue banner
# ---------------------------------------------------------------------------


class ReviewBanner(QFrame):
    def __init__(self, feature: "HistoryFeature"):
        super().__init__()
        self.setObjectName("review-banner")
        self.setStyleSheet("#review-banner { background: #fff4ce; border-bottom: 1px solid #c8a600; } QLabel { color: #3b3000; }")
        self.label = QLabel()
        self.label.setWordWrap(True)
        action = QPushButton("Review and publish…")
        action.clicked.connect(feature.publish_dialog)
        close = QPushButton("Dismiss")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(action)
        layout.addWidget(close)
        self.hide()

    def update_for(self, doc) -> None:
        state = history.review_state(doc) if doc is not None else None
        if state is not None and (state.overdue or state.due_soon):
            self.label.setText(("⚠ " if state.overdue else "") + state.message())
            self.show()
        else:
            self.hide()


# ---------------------------------------------------------------------------
# The feature: menus, signals and actions
# ---------------------------------------------------------------------------


class HistoryFeature(QObject):
    blame_shown = Signal(object)  # the ParagraphBlame just shown

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._generation = 0
        self._jobs: list[_Job] = []
        self.compare_windows: list[CompareWindow] = []
        self.panel = HistoryPanel(self)
        self.dock = QDockWidget("History", window)
        self.dock.setObjectName("history-dock")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.dock.visibilityChanged.connect(self._on_dock_visibility)
        self.banner = ReviewBanner(self)
        self._install_banner()
        self._build_menu()
        self._install_blame_menu()
        window.document_opened.connect(self._on_document_opened)
        window.revision_saved.connect(lambda _slug, _commit: self._after_change())
        window.workspace_changed.connect(self.reload)

    # ---- construction ------------------------------------------------------

    def _install_banner(self) -> None:
        # Above the editor, inside the document view (shown only with a document).
        box = self.window.editor.parentWidget()
        layout = box.layout() if box is not None else None
        if layout is not None:
            layout.insertWidget(0, self.banner)

    def _build_menu(self) -> None:
        w = self.window
        menu = QMenu("Hi&story", w)
        menu.setObjectName("history-menu")
        w.menuBar().insertMenu(w.menus["Help"].menuAction(), menu)
        w.menus["History"] = menu

        def act(text, slot, shortcut=None, tip=""):
            return w.add_action(menu, text, slot, shortcut, tip)

        self.act_panel = self.dock.toggleViewAction()
        self.act_panel.setText("Show &History Panel")
        self.act_panel.setShortcut(QKeySequence("Ctrl+Shift+H"))
        menu.addAction(self.act_panel)
        menu.addSeparator()
        self.act_compare_saved = act("Compare with Last &Saved Revision", lambda: self.open_compare("HEAD", UNSAVED), "Ctrl+Shift+D",
                                     "Your unsaved edits against the last saved revision")
        self.act_compare_published = act("Compare with Last &Published Version", self.compare_with_published, "Ctrl+Alt+D",
                                         "What changed since the last approved version")
        self.act_compare = act("&Compare Revisions…", lambda: self.open_compare("HEAD~1", "HEAD"))
        menu.addSeparator()
        self.act_publish = act("P&ublish Version…", self.publish_dialog, "Ctrl+Shift+U",
                               "Set the status, version number and approver")
        self.act_blame = act("&Who Changed This Paragraph?", self.blame_at_cursor, "Ctrl+Alt+B")
        self._doc_actions = [self.act_compare_saved, self.act_compare_published, self.act_compare, self.act_publish, self.act_blame]
        # Also reachable from View, where people look for panels.
        w.menus["View"].addSeparator()
        w.menus["View"].addAction(self.act_panel)

    def _install_blame_menu(self) -> None:
        editor = self.window.editor
        editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        editor.customContextMenuRequested.connect(self._editor_menu)

    def _editor_menu(self, pos) -> None:
        editor = self.window.editor
        menu = editor.createStandardContextMenu(pos)
        menu.addSeparator()
        a = menu.addAction("Who Changed This Paragraph?")
        a.setEnabled(self.window.doc is not None)
        a.triggered.connect(lambda: self.blame_at_cursor(editor.cursorForPosition(pos).blockNumber()))
        menu.exec(editor.viewport().mapToGlobal(pos))
        menu.deleteLater()

    # ---- loading -----------------------------------------------------------

    def _run(self, func, on_done, on_failed=None) -> None:
        job = _Job(self._generation, self.window.ws.root, func)
        job.signals.done.connect(on_done)
        job.signals.failed.connect(on_failed or self._on_failed)
        self._start(job)

    def _start(self, job: _Job) -> None:
        # Kept until it reports: its signals object must outlive the thread.
        self._jobs.append(job)
        job.signals.done.connect(lambda *_args: self._forget(job))
        job.signals.failed.connect(lambda *_args: self._forget(job))
        QThreadPool.globalInstance().start(job)

    def _forget(self, job: _Job) -> None:
        if job in self._jobs:
            self._jobs.remove(job)

    def _on_dock_visibility(self, visible: bool) -> None:
        if visible:
            if self.dock.width() < 480 and not self.dock.isFloating():
                self.window.resizeDocks([self.dock], [560], Qt.Orientation.Horizontal)
            self.reload()

    def _on_document_opened(self, slug: str) -> None:
        for a in self._doc_actions:
            a.setEnabled(bool(slug))
        self.banner.update_for(self.window.doc if slug else None)
        self.reload()

    def _after_change(self) -> None:
        self.banner.update_for(self.window.doc)
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        slug = self.window.slug
        if not slug or self.window.ws is None:
            self.panel.model.set_entries([])
            self.panel.state.setText("No document open")
            return
        if not self.dock.isVisible():
            return  # loaded when the panel is shown
        self.panel.state.setText("Loading history…")

        def fast(ws):
            return history.history(ws, slug) if ws.exists(slug) or ws.store.is_tracked(ws.relpath(slug)) else []

        self._run(fast, self._on_loaded)

    def _on_loaded(self, generation: int, entries) -> None:
        if generation != self._generation:
            return
        self.panel.model.set_entries(entries)
        n = len(entries)
        pubs = sum(1 for e in entries if e.versions)
        self.panel.state.setText(f"{n} revision{'s' if n != 1 else ''}, {pubs} published version{'s' if pubs != 1 else ''}")
        self.panel._update_buttons()
        self.panel.loaded.emit()
        slug = self.window.slug
        # Exact statuses need every revision read: fill them in afterwards.
        self._run(lambda ws: history.history(ws, slug, exact_status=True), self._on_statuses, lambda *_: None)

    def _on_statuses(self, generation: int, entries) -> None:
        if generation == self._generation:
            self.panel.model.refresh_statuses(entries)

    def _on_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.panel.state.setText(f"Cannot read the history: {message}")

    # ---- actions -----------------------------------------------------------

    def _entry_label(self, sha: str) -> str:
        for e in self.panel.model.entries:
            if e.sha == sha:
                v = f"v{e.version_label[1:]} · " if e.versions else ""
                return f"{v}{e.revision.date.strftime('%Y-%m-%d %H:%M')} · {e.revision.author} · {e.revision.subject}"
        return sha[:8]

    def view_selected(self) -> None:
        shas = self.panel.selected_shas()
        if shas:
            self.view_revision(shas[0])

    def view_revision(self, sha: str) -> RevisionView | None:
        try:
            text = history.text_at(self.window.ws, self.window.slug, sha)
        except GuidelinesError as exc:
            self.window.show_error("Cannot open the revision", str(exc))
            return None
        view = RevisionView(self, sha, self._entry_label(sha), text)
        view.show()
        return view

    def compare_selected(self) -> CompareWindow | None:
        shas = self.panel.selected_shas()
        if len(shas) == 2:
            return self.open_compare(shas[1], shas[0])  # older first (the list is newest first)
        if len(shas) == 1:
            return self.open_compare(shas[0], UNSAVED)
        return None

    def compare_with_previous(self, sha: str | None = None) -> CompareWindow | None:
        """What one revision changed: the document's revision before it, against it."""
        if sha is None:
            shas = self.panel.selected_shas()
            if len(shas) != 1:
                return None
            sha = shas[0]
        try:
            entries = self.panel.model.entries or history.history(self.window.ws, self.window.slug)
        except GuidelinesError as exc:
            self.window.show_error("Cannot compare", str(exc))
            return None
        shas = [e.sha for e in entries]
        at = shas.index(sha) if sha in shas else -1
        if at < 0 or at + 1 >= len(shas):
            QMessageBox.information(self.window, "First revision",
                                    "This revision created the document: there is no earlier one to compare it with.")
            return None
        return self.open_compare(shas[at + 1], sha)

    def compare_with_published(self) -> CompareWindow | None:
        try:
            last = history.last_publication(self.window.ws, self.window.slug)
        except GuidelinesError as exc:
            self.window.show_error("Cannot compare", str(exc))
            return None
        if last is None:
            QMessageBox.information(self.window, "Not published yet",
                                    "This document has no published version yet. Use History > Publish Version.")
            return None
        return self.open_compare(last.commit, UNSAVED)

    def _sides(self) -> list[Side]:
        ws, slug = self.window.ws, self.window.slug
        sides = [Side(UNSAVED, "Current text (including unsaved edits)")]
        try:
            entries = self.panel.model.entries or history.history(ws, slug)
        except GuidelinesError:
            entries = []
        for e in entries[:500]:  # the combo stays usable; older ones via the panel
            sides.append(Side(e.sha, self._label_for(e)))
        return sides

    @staticmethod
    def _label_for(e) -> str:
        v = f"{e.version_label} · " if e.versions else ""
        return f"{v}{e.revision.date.strftime('%Y-%m-%d %H:%M')} · {e.revision.author} · {e.revision.subject[:50]}"

    def open_compare(self, old: str, new: str) -> CompareWindow | None:
        w = self.window
        if w.doc is None:
            return None
        try:
            old_sha = old if old == UNSAVED else history.resolve(w.ws, w.slug, old)
            new_sha = new if new == UNSAVED else history.resolve(w.ws, w.slug, new)
        except GuidelinesError as exc:
            w.show_error("Cannot compare", str(exc), "Save a revision first: comparisons need at least one saved revision.")
            return None
        sides = self._sides()
        index = {s.revision: n for n, s in enumerate(sides)}
        for sha in (old_sha, new_sha):
            if sha not in index:
                try:
                    e = next(x for x in history.history(w.ws, w.slug) if x.sha == sha)
                    sides.append(Side(sha, self._label_for(e)))
                except (StopIteration, GuidelinesError):
                    sides.append(Side(sha, sha[:8]))
                index[sha] = len(sides) - 1
        cw = CompareWindow(w, sides, index[old_sha], index[new_sha])
        cw.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.compare_windows = [c for c in self.compare_windows if _alive(c)] + [cw]
        cw.show()
        return cw

    def restore_selected(self) -> None:
        shas = self.panel.selected_shas()
        if shas:
            self.restore(shas[0])

    def restore(self, sha: str, confirm: bool = True) -> str | None:
        w = self.window
        if confirm:
            answer = QMessageBox.question(
                w, "Restore revision",
                f"Make this revision the newest one?\n\n{self._entry_label(sha)}\n\n"
                "The current text stays in the history, so you can go back to it at any time.")
            if answer != QMessageBox.StandardButton.Yes:
                return None
        if not w.maybe_save():
            return None
        author = w.author()
        if author is None:
            return None
        try:
            commit = history.restore(w.ws, w.slug, sha, author)
        except GuidelinesError as exc:
            w.show_error("Cannot restore", str(exc))
            return None
        w.reload_document()
        if commit:
            w.revision_saved.emit(w.slug, commit)
            w.statusBar().showMessage(f"Restored revision {sha[:8]} as new revision {commit[:8]}", 8000)
        else:
            w.statusBar().showMessage("The document already has that content; nothing to restore", 6000)
        return commit

    def publish_dialog(self) -> PublishDialog | None:
        w = self.window
        if w.doc is None:
            return None
        if w.is_modified():
            answer = QMessageBox.question(w, "Save before publishing",
                                          "Your edits are not saved yet. Save them as a revision and publish them?")
            if answer != QMessageBox.StandardButton.Yes or not w.save_revision():
                return None
        try:
            dialog = PublishDialog(w, w.ws, w.slug)
        except GuidelinesError as exc:
            w.show_error("Cannot publish", str(exc))
            return None
        self.last_publish_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return dialog
        self.apply_publish(dialog)
        return dialog

    def apply_publish(self, dialog: PublishDialog) -> str | None:
        w = self.window
        author = w.author()
        if author is None:
            return None
        try:
            if dialog.chosen_status() == "approved":
                pub = history.publish(w.ws, w.slug, dialog.summary.toPlainText(), dialog.approver.text(), author,
                                      kind=dialog.kind())
                commit, message = pub.commit, f"Published version {pub.version}"
            else:
                commit = history.set_status(w.ws, w.slug, dialog.chosen_status(), author, dialog.summary.toPlainText())
                message = f"Status set to {dialog.chosen_status()}"
        except GuidelinesError as exc:
            w.show_error("Cannot publish", str(exc))
            return None
        w.reload_document()
        if commit:
            w.revision_saved.emit(w.slug, commit)
        w.statusBar().showMessage(message, 8000)
        return commit

    def blame_at_cursor(self, line: int | None = None) -> None:
        """Who last changed the paragraph at *line* (default: the cursor's).
        git blame reads the whole history, seconds on a long one, so it runs
        in the background and the answer shows when it is ready."""
        w = self.window
        if w.doc is None:
            return
        if line is None or isinstance(line, bool):
            line = w.editor.current_line()
        slug, text = w.slug, w.current_text()
        w.statusBar().showMessage("Looking up who changed this paragraph…")
        job = _Job(self._generation, w.ws.root, lambda ws: history.blame_at_line(ws, slug, line, text))
        job.signals.done.connect(lambda _gen, para: self._show_blame(slug, para))
        job.signals.failed.connect(lambda _gen, message: self._blame_failed(slug, message))
        self._start(job)

    def _blame_failed(self, slug: str, message: str) -> None:
        w = self.window
        w.statusBar().clearMessage()
        if slug == w.slug:
            w.show_error("Cannot tell who changed this", message)

    def _show_blame(self, slug: str, para) -> None:
        w = self.window
        w.statusBar().clearMessage()
        if slug != w.slug:
            return  # another document is open now
        if para is None:
            QMessageBox.information(w, "Who changed this paragraph?", "Put the cursor in a paragraph first.")
            return
        self.last_blame = para
        if para.uncommitted:
            text = "This paragraph has edits that are not saved yet."
        else:
            text = (f"Last changed by <b>{para.author}</b> on {para.date.strftime('%d %B %Y')}<br>"
                    f"in revision {para.sha[:8]}: “{para.summary}”")
        box = QMessageBox(QMessageBox.Icon.Information, "Who changed this paragraph?", text, QMessageBox.StandardButton.Close, w)
        box.setObjectName("blame-box")
        if not para.uncommitted:
            show = box.addButton("Show that revision", QMessageBox.ButtonRole.ActionRole)
            show.clicked.connect(lambda: self.view_revision(para.sha))
        box.setModal(False)
        box.show()
        self.last_blame_box = box
        self.blame_shown.emit(para)


def _alive(widget) -> bool:
    try:
        widget.isVisible()
        return True
    except RuntimeError:
        return False


def install(window) -> None:
    window.history_feature = HistoryFeature(window)
