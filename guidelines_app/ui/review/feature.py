"""Revision history in the app: the History menu and its actions (panel,
compare, restore, publish, "Who changed this paragraph?") and the
overdue-review banner, installed into the main window through its hooks.

Widgets only: every decision is made by ``guidelines_app.review.history``
and ``guidelines_app.review.diff``; git is read on worker threads, each with
its own Workspace (one GitStore per thread).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDockWidget, QMessageBox

from guidelines_app.core.document import status_name
from guidelines_app.core.errors import GuidelinesError, TooFewRevisions
from guidelines_app.core.wording import long_day, plural
from guidelines_app.review import blame, history
from guidelines_app.review.compare_first import entry_label, newest_entries
from guidelines_app.ui import gc_guard
from guidelines_app.ui.docks import add_side_panel, give_width
from guidelines_app.ui.fill import fill
from guidelines_app.ui.jobs import Jobs, in_workspace, wait_for
from guidelines_app.ui.relayout import TextRelayout
from guidelines_app.ui.review.compare_view import UNSAVED, CompareWindow, Side
from guidelines_app.ui.review.history_panel import DOCK_SHARE, HistoryPanel
from guidelines_app.ui.review.publish_dialog import PublishDialog, gate_in_background
from guidelines_app.ui.review.review_banner import ReviewBanner
from guidelines_app.ui.review.revision_view import RevisionView
from guidelines_app.ui.saving import same_as_saved

# Commits from other tools the History panel reads before showing the list
# (once read, they are kept in the status cache).
QUICK_UNKNOWN = 300
# The revisions the compare window's version boxes offer (they stay usable;
# older ones are compared from the History panel).
SIDES_OFFERED = 500
LISTING_HOLD_S = 1.0  # no garbage collection on the UI thread for this long after the listing starts
RELAYOUT_AFTER_MS = 16  # the text's layout for its new width resumes a frame after the list is painted


class HistoryFeature(QObject):
    """The History menu, panel and banner of one main window."""

    blame_shown = Signal(object)  # the ParagraphBlame just shown

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.jobs = Jobs(self)
        self.compare_windows: list[CompareWindow] = []
        self._spare: CompareWindow | None = None  # a closed compare window, opened again for the next comparison
        self.panel = HistoryPanel(self)
        # The dock takes width from the text: Qt lays out the 40,000 words again, which
        # waits (a slice at a time) until the list has arrived and is painted.
        self.relayout = TextRelayout(self, self._text_views)
        self._listing_early = False  # the listing was started before the dock was shown
        self.dock = QDockWidget(self.tr("History"), window)
        self.dock.setObjectName("history-dock")
        self.dock.setWidget(self.panel)
        add_side_panel(window, self.dock)
        self.dock.hide()
        self.dock.visibilityChanged.connect(self._on_dock_visibility)
        self.banner = ReviewBanner(self.publish_dialog)
        window.add_banner(self.banner)
        self._build_menu()
        self._install_blame_menu()
        window.document_opened.connect(self._on_document_opened)
        window.revision_saved.connect(lambda _slug, _commit: self._after_change())
        window.workspace_changed.connect(self.reload)

    # ---- construction ------------------------------------------------------

    def _build_menu(self) -> None:
        w = self.window
        menu = w.add_menu("History", self.tr("Hi&story"), "history-menu")

        def act(text, slot, shortcut=None, tip=""):
            return w.add_action(menu, text, slot, shortcut, tip)

        self.act_panel = self.dock.toggleViewAction()
        self.act_panel.setText(self.tr("Show &History Panel"))
        self.act_panel.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.act_panel.toggled.connect(self._on_panel_toggled)  # before the dock is shown (it listens to triggered)
        menu.addAction(self.act_panel)
        menu.addSeparator()
        self.act_compare_saved = act(self.tr("Compare with Last &Saved Revision"), self.compare_with_saved, "Ctrl+Shift+D",
                                     self.tr("Your unsaved edits against the last saved revision"))
        self.act_compare_published = act(self.tr("Compare with Last &Published Version"), self.compare_with_published, "Ctrl+Alt+D",
                                         self.tr("What changed since the last approved version"))
        self.act_compare = act(self.tr("&Compare Revisions…"), lambda: self.open_compare("HEAD~1", "HEAD"))
        menu.addSeparator()
        self.act_publish = act(self.tr("P&ublish Version…"), self.publish_dialog, "Ctrl+Shift+U",
                               self.tr("Set the status, version number and approver"))
        self.act_blame = act(self.tr("&Who Changed This Paragraph?"), self.blame_at_cursor, "Ctrl+Alt+B")
        self._doc_actions = [self.act_compare_saved, self.act_compare_published, self.act_compare, self.act_publish, self.act_blame]
        # Also reachable from View, where people look for panels.
        w.menus["View"].addSeparator()
        w.menus["View"].addAction(self.act_panel)

    def _install_blame_menu(self) -> None:
        editor = self.window.editor
        editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        editor.customContextMenuRequested.connect(self._editor_menu)
        editing = getattr(self.window, "editing", None)
        if editing is not None:
            editing.surface.menu_entries.append(self._surface_menu)

    def _surface_menu(self, menu, _pos) -> None:
        """The surface's right-click menu: who changed the current paragraph
        (the one clicked: the click moves the cursor)."""
        menu.addSeparator()
        a = menu.addAction(self.tr("Who Changed This Paragraph?"))
        a.setEnabled(self.window.doc is not None and not self.window.editing.surface.building())
        a.triggered.connect(self._blame_on_surface)

    def _blame_on_surface(self) -> None:
        editing = self.window.editing
        editing.flush()  # the surface's lines as the source has them now
        self.blame_at_cursor(editing.current_line())

    def _editor_menu(self, pos) -> None:
        editor = self.window.editor
        menu = editor.createStandardContextMenu(pos)
        menu.addSeparator()
        a = menu.addAction(self.tr("Who Changed This Paragraph?"))
        a.setEnabled(self.window.doc is not None)
        a.triggered.connect(lambda: self.blame_at_cursor(editor.cursorForPosition(pos).blockNumber()))
        menu.exec(editor.viewport().mapToGlobal(pos))
        menu.deleteLater()

    # ---- loading -----------------------------------------------------------

    def _text_views(self) -> list:
        """The views of the open text that the dock takes width from."""
        editing = getattr(self.window, "editing", None)
        views = [editing.surface] if editing is not None else []
        return [v for v in (*views, self.window.preview) if v.isVisible()]

    def _on_panel_toggled(self, checked: bool) -> None:
        """Show History Panel: the listing starts on its worker before the
        dock is shown (and the window laid out for it)."""
        if checked and not self.dock.isVisible():
            self.relayout.hold()
            self._listing_early = True
            self.reload(showing=True)
            QTimer.singleShot(0, self, self._listing_shown)  # in case the dock does not show

    def _listing_shown(self) -> None:
        self._listing_early = False

    def _on_dock_visibility(self, visible: bool) -> None:
        if not visible:
            self.panel.drop_after_paint()
            self.relayout.release()
            return
        early, self._listing_early = self._listing_early, False
        if not early:
            self.relayout.hold()
            self.reload()
        give_width(self.window, self.dock, DOCK_SHARE)

    def _on_document_opened(self, slug: str) -> None:
        for a in self._doc_actions:
            a.setEnabled(bool(slug))
        self.banner.update_for(self.window.doc if slug else None)
        self.reload()

    def _after_change(self) -> None:
        self.banner.update_for(self.window.doc)
        self.reload()

    def reload(self, showing: bool = False) -> None:
        """List the open document's revisions in the panel (when it is shown,
        or *showing*)."""
        # Whatever is still being read is for another document or state now.
        self.jobs.drop("history", "statuses")
        slug = self.window.slug
        if not slug or self.window.ws is None:
            self.panel.model.set_entries([])
            self.panel.state.setText(self.tr("No document open"))
            self.relayout.release()
            return
        if not (showing or self.dock.isVisible()):
            return  # loaded when the panel is shown
        self.panel.state.setText(self.tr("Loading history…"))
        self.panel.state.setToolTip("")

        def listing(ws):
            # Exact statuses cost one git log (trailers and the status cache:
            # core.statuscache); unless many commits from other tools must be
            # read first, then the list shows at once and they follow.
            if not (ws.exists(slug) or ws.store.is_tracked(ws.relpath(slug))):
                return [], 0
            entries = history.history(ws, slug, exact_status=True, most_unknown=QUICK_UNKNOWN, signoffs=True)
            return entries, sum(1 for e in entries if e.versions)  # counted here: the UI thread only shows

        # The listing makes a hundred thousand objects at 20,000 revisions: the
        # UI thread does not walk them (a collection) while the user waits for
        # the list, but a moment after it is shown.
        gc_guard.hold(LISTING_HOLD_S)
        self.jobs.run(in_workspace(self.window.ws.root, listing), self._on_loaded, self._on_failed, key="history")

    def _on_loaded(self, listed) -> None:
        entries, published = listed
        self.panel.model.set_entries(entries)
        self.panel.lay_out_now()
        self.panel.state.setText(fill(self.tr("%1, %2"), plural(len(entries), "revision"), plural(published, "published version")))
        self.panel.update_buttons()
        self.panel.after_paint(lambda: self.relayout.release(RELAYOUT_AFTER_MS))
        self.panel.loaded.emit()
        if entries and not entries[0].status_exact:
            slug = self.window.slug
            self.jobs.run(in_workspace(self.window.ws.root, lambda ws: history.history(ws, slug, exact_status=True)),
                          self.panel.model.refresh_statuses, key="statuses")

    def _on_failed(self, message: str, technical: str) -> None:
        self.panel.state.setText(fill(self.tr("Cannot read the history: %1"), message))
        self.panel.state.setToolTip(technical)
        self.relayout.release()

    # ---- actions -----------------------------------------------------------

    def _entry_label(self, sha: str) -> str:
        for e in self.panel.model.entries:
            if e.sha == sha:
                return entry_label(e, limit=None)
        return self.tr("an earlier revision")

    def view_selected(self) -> None:
        shas = self.panel.selected_shas()
        if shas:
            self.view_revision(shas[0])

    def view_revision(self, sha: str) -> RevisionView | None:
        try:
            text = history.text_at(self.window.ws, self.window.slug, sha)
        except GuidelinesError as exc:
            self.window.show_error(self.tr("Cannot open the revision"), str(exc))
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
            self.window.show_error(self.tr("Cannot compare"), str(exc))
            return None
        shas = [e.sha for e in entries]
        at = shas.index(sha) if sha in shas else -1
        if at < 0 or at + 1 >= len(shas):
            QMessageBox.information(self.window, self.tr("First revision"),
                                    self.tr("This revision created the document: there is no earlier one to compare it with."))
            return None
        return self.open_compare(shas[at + 1], sha)

    def compare_with_published(self) -> CompareWindow | None:
        try:
            last = history.last_publication(self.window.ws, self.window.slug)
        except GuidelinesError as exc:
            self.window.show_error(self.tr("Cannot compare"), str(exc))
            return None
        if last is None:
            QMessageBox.information(self.window, self.tr("Not published yet"),
                                    self.tr("This document has no published version yet. Use History > Publish Version."))
            return None
        return self.open_compare(last.commit, UNSAVED)

    def _side_list(self, entries) -> list[Side]:
        """The versions the combo boxes offer: the editor's text (said to be
        not saved only when it is not: the redline's page header repeats
        the name) and the newest revisions."""
        current = self.tr("Current text (not saved)") if self.window.is_modified() else self.tr("Current text")
        return ([Side(UNSAVED, current)]
                + [Side(e.sha, entry_label(e)) for e in entries[:SIDES_OFFERED]])

    def _offer_sides(self, cw: CompareWindow) -> None:
        """After a comparison's first paint: every version to choose from,
        from the History panel's list or (not loaded) read on a worker."""
        if self.panel.model.entries:
            cw.add_sides(self._side_list(self.panel.model.entries))
            return
        slug, versions = cw.slug, cw.versions  # the published versions, when the comparison read them
        cw.jobs.run(in_workspace(self.window.ws.root, lambda ws: newest_entries(ws, slug, SIDES_OFFERED, versions)),
                    lambda entries: cw.add_sides(self._side_list(entries)), key="sides")

    def compare_with_saved(self) -> CompareWindow | None:
        """Your edits against the last saved revision; with none, the status
        bar says so (a window of two equal texts, its buttons live, said
        nothing more)."""
        if same_as_saved(self.window):
            self.window.statusBar().showMessage(self.tr("No changes since the last saved revision"), 5000)
            return None
        return self.open_compare("HEAD", UNSAVED)

    def open_compare(self, old: str, new: str) -> CompareWindow | None:
        """The comparison of *old* and *new* (revisions as typed, or UNSAVED)
        in a compare window.  Here only the two are named (one git call at
        most) and the window shown (a closed one is opened again); the texts,
        the comparison and the other versions are read on workers."""
        w = self.window
        if w.doc is None:
            return None
        try:
            found = iter(history.resolve_all(w.ws, w.slug, [r for r in (old, new) if r != UNSAVED]))
            old_sha = old if old == UNSAVED else next(found)
            new_sha = new if new == UNSAVED else next(found)
        except TooFewRevisions as exc:  # said with the document's title, not as the CLI's HEAD~N
            if exc.count == 0:
                w.show_error(self.tr("Nothing to compare yet"),
                             fill(self.tr("“%1” has no saved revision yet, so there is nothing to compare it with."), w.doc.title),
                             self.tr("Save a revision first (File > Save Revision): your later edits can then be compared with it."))
            else:
                w.show_error(self.tr("Nothing to compare yet"),
                             fill(self.tr("“%1” has only one saved revision so far: there is no earlier one to compare it with."),
                                  w.doc.title),
                             self.tr("Save another revision after your next edits: Compare Revisions then shows what changed."))
            return None
        except GuidelinesError as exc:
            w.show_error(self.tr("Cannot compare"), str(exc))
            return None
        # Only the two versions compared before the first paint: the other
        # versions to choose from come after it (_offer_sides).  A version
        # the panel has not listed is named by the comparison's worker.
        listed = {e.sha: e for e in self.panel.model.entries[:SIDES_OFFERED]}
        sides = self._side_list([])
        for sha in dict.fromkeys((old_sha, new_sha)):
            if sha != UNSAVED:
                sides.append(Side(sha, entry_label(listed[sha]) if sha in listed else None))
        index = {s.revision: n for n, s in enumerate(sides)}
        cw, self._spare = self._spare, None
        if cw is not None and _alive(cw) and not cw.isVisible():
            cw.start(sides, index[old_sha], index[new_sha], self._offer_sides)
        else:
            cw = CompareWindow(w, sides, index[old_sha], index[new_sha], self._offer_sides)
            cw.closed.connect(lambda cw=cw: self._on_compare_closed(cw))
        self.compare_windows = [c for c in self.compare_windows if _alive(c) and c is not cw] + [cw]
        cw.show()
        return cw

    def _on_compare_closed(self, cw: CompareWindow) -> None:
        """One closed compare window is kept (hidden, its pages let go) for
        the next comparison; the others are deleted."""
        if self._spare is None and not cw.exporting():
            self._spare = cw
        elif cw is not self._spare:
            cw.deleteLater()

    def can_restore(self, sha: str) -> bool:
        """Whether restoring *sha* would change anything: an earlier revision,
        or the newest one while the text has edits not saved (it takes them back)."""
        entries = self.panel.model.entries
        return not (entries and entries[0].sha == sha) or self.window.is_modified()

    def restore_selected(self) -> None:
        shas = self.panel.selected_shas()
        if not shas:
            return
        if not self.can_restore(shas[0]):
            self.window.statusBar().showMessage(self.tr("This is already the newest revision, and the text has no unsaved edits"), 5000)
            return
        self.restore(shas[0])

    def restore(self, sha: str, confirm: bool = True) -> str | None:
        w = self.window
        if confirm:
            answer = QMessageBox.question(
                w, self.tr("Restore revision"),
                fill(self.tr("Make this revision the newest one?\n\n%1\n\n"
                             "The current text stays in the history, so you can go back to it at any time."), self._entry_label(sha)))
            if answer != QMessageBox.StandardButton.Yes:
                return None
        if not w.maybe_save():
            return None
        author = w.author()
        if author is None:
            return None
        slug = w.slug  # (a very large document reloads in the background: no document is open meanwhile)
        try:  # (written on a worker: a commit waits for git, and for another program's lock)
            with w.outside_changes.own_change():
                commit = wait_for(w, in_workspace(w.ws.root, lambda ws: history.restore(ws, slug, sha, author)),
                                  self.tr("Restoring the revision…"), self.tr("Restore revision"), cancellable=False)
        except GuidelinesError as exc:
            w.show_error(self.tr("Cannot restore"), str(exc))
            return None
        w.reload_document()
        if commit:
            w.revision_saved.emit(slug, commit)
            w.statusBar().showMessage(fill(self.tr("Restored %1: saved as a new revision"), history.describe(w.ws, slug, sha)), 8000)
        else:
            w.statusBar().showMessage(self.tr("The document already has that content; nothing to restore"), 6000)
        return commit

    def publish_dialog(self) -> PublishDialog | None:
        w = self.window
        if w.doc is None:
            return None
        if w.is_modified():
            answer = QMessageBox.question(w, self.tr("Save before publishing"),
                                          self.tr("Your edits are not saved yet. Save them as a revision and publish them?"))
            if answer != QMessageBox.StandardButton.Yes or not w.save_revision():
                return None
        try:
            problems = gate_in_background(w, w.ws, w.slug)
            if problems is None:  # cancelled while checking
                return None
            dialog = PublishDialog(w, w.ws, w.slug, problems)
        except GuidelinesError as exc:
            w.show_error(self.tr("Cannot publish"), str(exc))
            return None
        self.last_publish_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            if dialog.jump_line is not None:  # "go to this marker"
                w.editor.go_to_line(dialog.jump_line)
            return dialog
        self.apply_publish(dialog)
        return dialog

    def apply_publish(self, dialog: PublishDialog) -> str | None:
        w = self.window
        author = w.author()
        if author is None:
            return None
        slug, status, summary = w.slug, dialog.chosen_status(), dialog.summary.toPlainText()
        try:  # (written on a worker: a commit and a tag wait for git, and for another program's lock)
            with w.outside_changes.own_change():
                commit, message = self._publish_or_set(dialog, slug, status, summary, author)
        except GuidelinesError as exc:
            w.show_error(self.tr("Cannot publish"), str(exc))
            return None
        w.reload_document()
        if commit:
            w.revision_saved.emit(slug, commit)
        w.statusBar().showMessage(message, 8000)
        return commit

    def _publish_or_set(self, dialog, slug: str, status: str, summary: str, author) -> tuple[str | None, str]:
        """Publish the version the dialog asks for, or set the status it
        chose, on a worker; (the new commit, what the status bar says)."""
        w = self.window
        if status == "approved":
            approver, kind, reason = dialog.approver.text(), dialog.kind(), dialog.override_reason()
            pub = wait_for(w, in_workspace(w.ws.root, lambda ws: history.publish(
                ws, slug, summary, approver, author, kind=kind, override_reason=reason)),
                self.tr("Publishing the version…"), self.tr("Publish version"), cancellable=False)
            if pub.override:
                return pub.commit, fill(self.tr("Published version %1 (checks overridden: %2)"), pub.version, pub.override)
            return pub.commit, fill(self.tr("Published version %1"), pub.version)
        commit = wait_for(w, in_workspace(w.ws.root, lambda ws: history.set_status(ws, slug, status, author, summary)),
                          self.tr("Setting the status…"), self.tr("Publish version"), cancellable=False)
        return commit, fill(self.tr("Status set to %1"), status_name(status))

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
        w.statusBar().showMessage(self.tr("Looking up who changed this paragraph…"))
        self.jobs.run(in_workspace(w.ws.root, lambda ws: blame.blame_at_line(ws, slug, line, text)),
                      lambda para: self._show_blame(slug, para),
                      lambda message, technical: self._blame_failed(slug, message, technical), waits=True)

    def _blame_failed(self, slug: str, message: str, technical: str) -> None:
        w = self.window
        w.statusBar().clearMessage()
        if slug == w.slug:
            w.show_error(self.tr("Cannot tell who changed this"), message, technical=technical)

    def _show_blame(self, slug: str, para) -> None:
        w = self.window
        w.statusBar().clearMessage()
        if slug != w.slug:
            return  # another document is open now
        if para is None:
            QMessageBox.information(w, self.tr("Who changed this paragraph?"), self.tr("Put the cursor in a paragraph first."))
            return
        self.last_blame = para
        if para.uncommitted:
            text = self.tr("This paragraph has edits that are not saved yet.")
        else:
            text = fill(self.tr("Last changed by <b>%1</b> on %2<br>in the revision “%3”"),
                        html.escape(para.author), long_day(para.date), html.escape(para.summary))
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Who changed this paragraph?"), text, QMessageBox.StandardButton.Close, w)
        box.setObjectName("blame-box")
        if not para.uncommitted:
            show = box.addButton(self.tr("Show That Revision"), QMessageBox.ButtonRole.ActionRole)
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


def install(window) -> HistoryFeature:
    """Add the History menu, panel and banner to *window*."""
    return HistoryFeature(window)
