"""Working as a team in the window: Team > Sync (in the background, with
progress), Team > Shared Copies, File > Clone Workspace, what is left to
send and bring in (status bar), the conflict resolver, and the notice when
colleagues' revisions of the open document arrive.

The open document is never replaced behind the user's back: while a sync
runs, the window's outside-change watch is paused; afterwards, new text from
colleagues is announced and shown only when the user agrees (with unsaved
edits, through the outside-change dialog: combine both, keep mine, take
theirs, keep both as two documents; nothing is lost either way).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QProgressBar, QPushButton, QToolButton

from guidelines_app.core import gitfaults, remotes, sync
from guidelines_app.core.errors import GuidelinesError, SyncRecordUnreadable, WorkspaceError
from guidelines_app.core.wording import plural
from guidelines_app.ui import appearance
from guidelines_app.ui.fill import fill
from guidelines_app.ui.jobs import TEAM_SYNC, in_workspace
from guidelines_app.ui.team.dialogs import CloneDialog, RemoteSettingsDialog
from guidelines_app.ui.team.resolver import ConflictResolver

translate = QCoreApplication.translate
INDICATOR = "team-indicator"  # the key of the sync state's read in the window's jobs
STEP_WORDS = {0: QT_TRANSLATE_NOOP("Team", "Bringing in colleagues' revisions…"), 1: QT_TRANSLATE_NOOP("Team", "Putting the revisions together…"),
              2: QT_TRANSLATE_NOOP("Team", "Sending your revisions…")}


class ArrivalNotice(QFrame):
    """"New revisions of this document arrived" with Show Them / Not Now."""

    def __init__(self, on_show):
        super().__init__()
        self.setObjectName("arrival-notice")
        # (in the appearance's colours: a light blue under the dark appearance's light text was unreadable)
        appearance.follow(self, lambda c: self.setStyleSheet(
            f"#arrival-notice {{ background: {c.table_head_background}; border-bottom: 1px solid {c.border}; }} "
            f"QLabel {{ color: {c.text}; }}"))
        self.label = QLabel(objectName="arrival-text")
        self.label.setWordWrap(True)
        self.show_button = QPushButton(translate("Team", "Show Them"), objectName="arrival-show")
        self.show_button.clicked.connect(on_show)
        later = QPushButton(translate("Team", "Not Now"), objectName="arrival-later")
        later.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.show_button)
        layout.addWidget(later)
        self.hide()


class TeamFeature(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.resolver: ConflictResolver | None = None
        self.running = False
        self._watched_slug: str | None = None
        self._disk_before: str | None = None
        menu = window.add_menu("Team", translate("Team", "&Team"), "team-menu")
        self.sync_action = window.add_action(menu, translate("Team", "&Sync"), self.sync_now,
                                             tip=translate("Team", "Send your revisions to the shared copy and bring in colleagues'"))
        self.sync_action.setObjectName("team-sync")
        self.resolve_action = window.add_action(menu, translate("Team", "&Resolve Conflicts…"), self.open_resolver,
                                                tip=translate("Team", "Decide the conflicts of an unfinished sync"))
        menu.addSeparator()
        window.add_action(menu, translate("Team", "Shared &Copies…"), self.remote_settings,
                          tip=translate("Team", "The shared copies this workspace syncs with"))
        self.clone_action = window.add_action(window.menus["File"], translate("Team", "&Clone Workspace…"), self.clone_workspace,
                                              tip=translate("Team", "Copy a workspace colleagues share into a new folder"))
        window.add_file_entries(self.clone_action)
        self.indicator = QLabel(objectName="sync-indicator")
        self.progress = QProgressBar(objectName="sync-progress")
        self.progress.setMaximumWidth(140)
        self.progress.setTextVisible(False)
        self.progress.setRange(0, sync.STEPS)
        self.progress.hide()
        self.button = QToolButton(objectName="sync-button")  # the Sync button, beside what is left to send
        self.button.setDefaultAction(self.sync_action)
        self.button.setAutoRaise(True)
        self.button.hide()  # until the sync state is read (update_indicator)
        self.sync_action.setEnabled(False)
        window.status_labels.add_indicator(self.progress)
        window.status_labels.add_indicator(self.button)
        window.status_labels.add_indicator(self.indicator)
        self.notice = ArrivalNotice(self.show_arrivals)
        window.add_banner(self.notice)
        window.workspace_changed.connect(self.update_indicator)
        window.revision_saved.connect(lambda *_: self.update_indicator())
        window.document_opened.connect(self._on_document_opened)
        self.update_indicator()

    def _on_document_opened(self, _slug: str) -> None:
        self.notice.hide()
        if self.running:  # opened while a sync runs: its text is announced too, never swapped unasked
            self.window.outside_changes.watch(None)

    # ---- the indicator ------------------------------------------------------------------

    def update_indicator(self) -> None:
        """Read the sync state on a worker and show it when it comes: git
        walks the history to count what is left to send (20 ms at 20,000
        revisions), and an unfinished sync's conflicts are worked out again
        from the three versions of each document.  A newer read (a save, a
        sync ending) supersedes one still running; until the first answer,
        the Sync button stays hidden and disabled."""
        w = self.window
        if w.ws is None:
            w.jobs.drop(INDICATOR)
            return
        w.jobs.run(in_workspace(w.ws.root, _read_state), self._show_state, self._state_failed, key=INDICATOR, waits=True)

    def _state_failed(self, message: str, _technical: str) -> None:
        self.indicator.setText(translate("Team", "Sync unavailable"))
        self.indicator.setToolTip(message)

    def _show_state(self, read: SyncState) -> None:
        state, counts, name, unreadable = read
        self.resolve_action.setEnabled(state is not None or unreadable)
        self.sync_action.setEnabled((counts is not None or unreadable) and not self.running)
        self.button.setVisible(counts is not None or unreadable)
        if unreadable:
            self.indicator.setText(translate("Team", "Sync unfinished: its record cannot be read"))
            self.indicator.setToolTip(translate("Team", "Team > Sync offers to abort it and sync again"))
        elif state is not None:
            left = len(state.open_conflicts())
            self.indicator.setText(fill(translate("Team", "Sync unfinished: %1 to decide"), plural(left, "conflict")))
            self.indicator.setToolTip(translate("Team", "Team > Resolve Conflicts… to decide them, or abort the sync there"))
        elif counts is None:
            self.indicator.setText("")
            self.indicator.setToolTip(translate("Team", "Team > Shared Copies… connects this workspace to a shared copy"))
        else:
            ahead, behind = counts
            self.indicator.setText(translate("Team", "In step with the team") if counts == (0, 0)
                                   else fill(translate("Team", "↑%1 to send · ↓%2 to bring in"), ahead, behind))
            self.indicator.setToolTip(fill(translate("Team", "As of the last sync with %1: %2 not yet sent, "
                                                             "%3 not yet brought in. Team > Sync brings them in step."),
                                           name, plural(ahead, "revision"), plural(behind, "revision")))

    # ---- sync ----------------------------------------------------------------------------

    def sync_now(self) -> None:
        w = self.window
        if w.ws is None or self.running:
            return
        try:
            waiting = sync.pending(w.ws) is not None
        except SyncRecordUnreadable:
            if not self._abort_unreadable():
                return
            waiting = False
        if waiting:
            self.open_resolver()
            return
        author = w.author()
        if author is None:
            return
        self.running = True
        self.sync_action.setEnabled(False)
        self._watched_slug = w.slug
        self._disk_before = self._disk_text()
        w.outside_changes.watch(None)  # colleagues' text is announced, never swapped in unasked
        self.progress.setValue(0)
        self.progress.show()
        w.statusBar().showMessage(translate("Team", STEP_WORDS[0]))
        root = w.ws.root

        def work(report):
            return in_workspace(root, lambda ws: sync.sync(ws, author, progress=report))()

        w.jobs.run(work, self._synced, self._failed, key=TEAM_SYNC, progress=self._progressed, waits=True)

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        if done in STEP_WORDS:
            self.window.statusBar().showMessage(translate("Team", STEP_WORDS[done]))

    def _end(self) -> None:
        w = self.window
        self.running = False
        self.progress.hide()
        w.outside_changes.watch(w.ws.path(w.slug) if w.slug else None)
        self.update_indicator()

    def _synced(self, result: sync.SyncResult) -> None:
        self._end()
        w = self.window
        w.refresh_documents()
        if result.conflicts:
            w.statusBar().showMessage(fill(translate("Team", "Sync needs you: %1 to decide"), plural(len(result.conflicts), "conflict")), 10000)
            self.open_resolver()
            return
        words = {sync.UP_TO_DATE: translate("Team", "already in step"), sync.SENT: translate("Team", "your revisions were sent"),
                 sync.RECEIVED: translate("Team", "colleagues' revisions were brought in"),
                 sync.MERGED: translate("Team", "colleagues' revisions were brought in and yours sent")}
        w.statusBar().showMessage(fill(translate("Team", "Synced with %1: %2"), _shared_copy(result.remote), words.get(result.outcome, result.outcome)), 10000)
        self._announce(result.received)

    def _failed(self, message: str, technical: str) -> None:
        self._end()
        self.window.statusBar().showMessage(translate("Team", "Sync failed; your work here is untouched"), 10000)
        self.window.show_error(translate("Team", "Cannot sync"), message, "", technical)

    # ---- colleagues' new text of the open document -----------------------------------------

    def _disk_text(self) -> str | None:
        w = self.window
        try:
            return w.ws.path(w.slug).read_text(encoding="utf-8") if w.slug else None
        except (OSError, UnicodeDecodeError, GuidelinesError):
            return None

    def _announce(self, received: dict[str, list[str]]) -> None:
        w = self.window
        if w.slug is None or w.slug != self._watched_slug:
            return
        now = self._disk_text()
        if now is None or now == self._disk_before or now == w.current_text():
            return
        names = received.get(w.ws.relpath(w.slug), [])
        who = ", ".join(names) if names else translate("Team", "colleagues")
        if w.is_modified():
            text = translate("Team", "New revisions of “%1” arrived from %2. The text shown is still the one you had. "
                                     "You have unsaved edits: you will choose what to keep.")
        else:
            text = translate("Team", "New revisions of “%1” arrived from %2. The text shown is still the one you had.")
        self.notice.label.setText(fill(text, w.doc.title, who))
        self.notice.show()
        w.outside_changes.hold(w.slug)  # a save asks about their text first: it never writes over it unseen

    def show_arrivals(self) -> None:
        """Show colleagues' text: at once without unsaved edits, else through
        the outside-change dialog (keep mine / take theirs / keep both)."""
        w = self.window
        self.notice.hide()
        w.outside_changes.hold(None)  # shown now
        w.saving.wait()  # a save in the background writes the file: theirs is compared with what it left
        now = self._disk_text()
        if now is None or w.slug is None:
            return
        if not w.is_modified():
            w.reload_document()
            return
        w.outside_changes.resolve(now)

    # ---- conflicts, remotes, cloning ----------------------------------------------------------

    def open_resolver(self) -> None:
        w = self.window
        try:
            waiting = sync.pending(w.ws) is not None
        except SyncRecordUnreadable:
            if self._abort_unreadable():
                self.sync_now()
            return
        if not waiting:
            self.update_indicator()
            return
        self._watched_slug, self._disk_before = w.slug, self._disk_text()
        w.outside_changes.watch(None)
        self.resolver = ConflictResolver(w, self._resolved)
        self.resolver.finished.connect(lambda _result: self._after_resolver())
        self.resolver.open()

    def _abort_unreadable(self) -> bool:
        """The unfinished sync's record cannot be read: asks to abort it
        (the workspace is as it was before it); True once aborted."""
        w = self.window
        box = QMessageBox(QMessageBox.Icon.Warning, translate("Team", "Unfinished Sync Cannot Be Read"),
                          translate("Team", "The record of the unfinished sync cannot be read (it may have been damaged)."),
                          parent=w, objectName="unreadable-sync")
        box.setInformativeText(translate("Team", "Abort that sync and sync again? The workspace is as it was before that "
                                                 "sync started: nothing you saved is lost; only the decisions made in it "
                                                 "are forgotten."))
        again = box.addButton(translate("Team", "Abort and Sync Again"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(again)
        box.exec()
        if box.clickedButton() is not again:
            return False
        try:
            sync.abort(w.ws)
        except GuidelinesError as exc:
            w.show_error(translate("Team", "Cannot abort the sync"), str(exc))
            return False
        self.update_indicator()
        return True

    def _after_resolver(self) -> None:
        if not self.running:
            self._end()

    def _resolved(self) -> None:
        """The merge revision is made: announce what changed, then send it."""
        self._end()
        self._announce({})
        self.sync_now()

    def remote_settings(self) -> None:
        if self.window.ws is None:
            return
        RemoteSettingsDialog(self.window).exec()
        self.update_indicator()

    def clone_workspace(self) -> None:
        CloneDialog(self.window, self._open_clone).open()

    def _open_clone(self, folder: Path) -> None:
        try:
            self.window.switch_workspace(folder, create=False)
        except WorkspaceError as exc:
            self.window.show_error(translate("Team", "Cannot open the copied workspace"), str(exc))


class SyncState(NamedTuple):
    """What the indicator shows, read on a worker."""

    pending: sync.PendingMerge | None  # an unfinished sync waiting for decisions
    counts: tuple[int, int] | None  # (to send, to bring in); None: no shared copy
    remote: str  # the shared copy counted against ("" without one)
    unreadable: bool = False  # an unfinished sync whose record cannot be read


def _read_state(ws) -> SyncState:
    try:
        try:
            state, unreadable = sync.pending(ws), False
        except SyncRecordUnreadable:
            state, unreadable = None, True
        counts = sync.ahead_behind(ws)
        return SyncState(state, counts, remotes.default_remote(ws.store) if counts is not None else "", unreadable)
    except gitfaults.failures() as exc:  # e.g. the folder went away while git ran
        raise gitfaults.translate(exc, ws.root, "read the sync state") from None


def install(window) -> TeamFeature:
    """Add the Team menu, File > Clone Workspace and the sync indicator."""
    return TeamFeature(window)


def _shared_copy(name: str) -> str:
    """``remotes.shown`` in the window's language: "the shared copy" (git's "origin"), or "the shared copy “backup”"."""
    if name == remotes.DEFAULT_REMOTE:
        return translate("Team", "the shared copy")
    return fill(translate("Team", "the shared copy “%1”"), name)
