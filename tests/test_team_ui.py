"""The window's team sync with pytest-qt: Team > Sync in the background,
the indicator, the notice when colleagues' revisions of the open document
arrive (shown only when asked; unsaved edits never overwritten), the
conflict resolver, remote settings and cloning."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from team_helpers import ANA, BO, edit, git, open_window, shared_pair

from guidelines_app.core import remotes, sync
from guidelines_app.core.document import Document
from guidelines_app.core.settings import Settings
from guidelines_app.core.workspace import Workspace
from guidelines_app.ui.main_window import MainWindow
from guidelines_app.ui.team.feature import INDICATOR, TeamFeature


@pytest.fixture
def people(tmp_path, config_dir):
    Settings(author_name=ANA.name, author_email=ANA.email).save()
    wa, wb, url = shared_pair(tmp_path)
    wa_root = wa.root
    wa.close()
    yield wa_root, wb
    wb.close()


@pytest.fixture
def window(qtbot, people):
    return open_window(qtbot, people[0])


def _state_read(qtbot, w) -> None:
    """Wait for the sync state the indicator shows: it is read on a worker."""
    _team(w)  # installed (the features come after the first paint)
    qtbot.waitUntil(lambda: not w.jobs.busy(INDICATOR), timeout=10000)


def _type(w, text: str) -> None:
    """Replace the editor's text as typing would (the document is modified)."""
    w.editor.selectAll()
    w.editor.insertPlainText(text)


def _team(w) -> TeamFeature:
    return w.features.get("team", TeamFeature)


def _sync_and_wait(qtbot, w) -> None:
    team = _team(w)
    assert team.sync_action.isEnabled()
    team.sync_action.trigger()
    qtbot.waitUntil(lambda: not team.running, timeout=30000)


def test_sync_brings_colleagues_revisions_and_asks_before_showing_them(qtbot, window, people):
    _root, wb = people
    team = _team(window)
    assert team.indicator.text() == "In step with the team"
    edit(wb, BO, "Be kind and accurate.", "Be kind, accurate and quick.")
    sync.sync(wb, BO)
    assert team.button.isVisible() and team.button.text() == "Sync"
    progress_seen = []
    team.progress.valueChanged.connect(progress_seen.append)
    qtbot.mouseClick(team.button, qtbot_button())  # the Sync button in the status bar
    qtbot.waitUntil(lambda: not team.running, timeout=30000)
    assert progress_seen and max(progress_seen) == sync.STEPS and not team.progress.isVisible()
    assert "Be kind, accurate and quick." in window.ws.path("social").read_text(encoding="utf-8")
    assert "quick" not in window.editor.text()  # not swapped in unasked
    assert team.notice.isVisible()
    assert "Bo Spoke" in team.notice.label.text()
    qtbot.mouseClick(team.notice.show_button, qtbot_button())
    assert "Be kind, accurate and quick." in window.editor.text()
    assert not team.notice.isVisible()
    assert team.indicator.text() == "In step with the team"


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_sync_sends_saved_revisions_and_unsaved_edits_stay(qtbot, window, people):
    _root, wb = people
    _type(window, window.editor.text().replace("Intro for everyone.", "Intro, saved."))
    assert window.save_revision("Intro")
    team = _team(window)
    _state_read(qtbot, window)
    assert team.indicator.text().startswith("↑1 to send")
    edit(wb, BO, "Ask the press office.", "Ask the press office first.")
    sync.sync(wb, BO)
    _type(window, window.editor.text() + "\nNot saved yet.\n")
    assert window.is_modified()
    said = []
    window.statusBar().messageChanged.connect(said.append)
    _sync_and_wait(qtbot, window)
    assert "Not saved yet." in window.editor.text() and window.is_modified()
    # In words, not git's: the status bar said "Synced with origin", the history "... from origin".
    assert any(m.startswith("Synced with the shared copy: ") for m in said), said
    assert window.ws.history("social", max_count=1)[0].subject == "Bring in colleagues' revisions from the shared copy"
    assert "unsaved edits" in team.notice.label.text()
    sync.sync(wb, BO)
    assert "Intro, saved." in wb.path("social").read_text(encoding="utf-8")


def test_conflicts_are_resolved_in_the_window(qtbot, window, people):
    _root, wb = people
    _type(window, window.editor.text().replace("These guidelines cover all staff.", "Ana's scope."))
    assert window.save_revision("Scope")
    edit(wb, BO, "These guidelines cover all staff.", "Bo's scope.")
    sync.sync(wb, BO)
    head = git(window.ws.root, "rev-parse", "HEAD")
    _sync_and_wait(qtbot, window)
    team = _team(window)
    resolver = team.resolver
    assert resolver is not None and resolver.isVisible()
    assert resolver.list.count() == 1 and "Section “Scope”" in resolver.list.item(0).text()
    assert "Ana's scope." in resolver.ours.toPlainText() and "Bo's scope." in resolver.theirs.toPlainText()
    assert git(window.ws.root, "rev-parse", "HEAD") == head
    assert not resolver.finish_button.isEnabled()
    _state_read(qtbot, window)
    assert "conflict" in team.indicator.text()
    resolver.merged_surface.load("## Scope\n\nEveryone's scope.\n\n")
    resolver.choice_buttons["edit"].click()
    assert resolver.finish_button.isEnabled()
    resolver.finish_button.click()
    qtbot.waitUntil(lambda: not team.running and team.indicator.text() == "In step with the team", timeout=30000)
    assert "Everyone's scope." in window.ws.path("social").read_text(encoding="utf-8")
    assert team.notice.isVisible()
    team.notice.show_button.click()
    assert "Everyone's scope." in window.editor.text()
    sync.sync(wb, BO)
    assert "Everyone's scope." in wb.path("social").read_text(encoding="utf-8")


def test_abort_in_the_resolver_leaves_the_workspace_as_before(qtbot, window, people):
    _root, wb = people
    _type(window, window.editor.text().replace("Be kind and accurate.", "Mine."))
    assert window.save_revision("Tone")
    edit(wb, BO, "Be kind and accurate.", "Theirs.")
    sync.sync(wb, BO)
    head = git(window.ws.root, "rev-parse", "HEAD")
    _sync_and_wait(qtbot, window)
    _team(window).resolver.abort_now()
    assert sync.pending(window.ws) is None
    assert git(window.ws.root, "rev-parse", "HEAD") == head
    assert git(window.ws.root, "status", "--porcelain") == ""


def test_a_revision_saved_while_conflicts_wait_is_what_the_resolver_shows_and_finishes_with(qtbot, window, people):
    """A conflict decided, the resolver closed (Decide Later), the section
    rewritten and saved: Sync opens the resolver on the conflict as it
    stands now (the saved text on this side, to decide again), and Finish
    makes the merge with it (it refused before: "abort it and sync again")."""
    _root, wb = people
    _type(window, window.editor.text().replace("These guidelines cover all staff.", "Ana's scope."))
    assert window.save_revision("Scope")
    edit(wb, BO, "These guidelines cover all staff.", "Bo's scope.")
    sync.sync(wb, BO)
    _sync_and_wait(qtbot, window)
    team = _team(window)
    team.resolver.choice_buttons["theirs"].click()  # decided, but not finished: Decide Later
    team.resolver.reject()
    _type(window, window.editor.text().replace("Ana's scope.", "Ana's newer scope.").replace(
        "Ask the press office.", "Ask the press office first."))
    assert window.save_revision("Scope again")
    _state_read(qtbot, window)
    team.sync_action.trigger()  # an unfinished sync: the resolver, on it as it stands
    resolver = team.resolver
    assert resolver.isVisible() and resolver.list.count() == 1
    assert "Ana's newer scope." in resolver.ours.toPlainText() and "Bo's scope." in resolver.theirs.toPlainText()
    assert "(decide again)" in resolver.list.item(0).text()
    assert resolver.status.text() == "1 of 1 still to decide. Revisions saved since changed 1 you had decided."
    assert not resolver.finish_button.isEnabled()
    resolver.choice_buttons["ours"].click()
    resolver.finish_button.click()
    qtbot.waitUntil(lambda: not team.running and team.indicator.text() == "In step with the team", timeout=30000)
    text = window.ws.path("social").read_text(encoding="utf-8")
    assert "Ana's newer scope." in text and "Ask the press office first." in text and "Bo's scope." not in text
    sync.sync(wb, BO)
    assert wb.path("social").read_text(encoding="utf-8") == text


def test_the_sync_state_is_read_off_the_ui_thread_and_a_bad_record_says_so(qtbot, window, monkeypatch):
    """The indicator's git reads (counting what is left to send walks the
    history) run on a worker after a save; an unfinished sync's record that
    cannot be read says so, with the way forward."""
    import threading
    from pathlib import Path

    read_on: list[threading.Thread] = []
    counted = sync.ahead_behind
    monkeypatch.setattr(sync, "ahead_behind", lambda ws, *a: read_on.append(threading.current_thread()) or counted(ws, *a))
    _type(window, window.editor.text().replace("Intro for everyone.", "Intro, saved."))
    assert window.save_revision("Intro")
    team = _team(window)
    _state_read(qtbot, window)
    assert read_on and threading.main_thread() not in read_on
    assert team.indicator.text().startswith("↑1 to send") and team.button.isVisible()
    (Path(window.ws.store.repo.git_dir) / sync.STATE_FILE).write_text("{not json", encoding="utf-8")
    team.update_indicator()
    _state_read(qtbot, window)
    assert team.indicator.text() == "Sync unfinished: its record cannot be read"
    assert team.indicator.toolTip() == "Team > Sync offers to abort it and sync again"  # (not a command to type)


def test_a_failed_sync_says_so_plainly(qtbot, window, monkeypatch):
    from team_helpers import free_port

    remotes.set_url(window.ws.store, "origin", f"git://127.0.0.1:{free_port()}/gone.git")
    seen = []
    monkeypatch.setattr(window, "show_error", lambda title, message, *a: seen.append((title, message)))
    _sync_and_wait(qtbot, window)
    assert seen and seen[0][0] == "Cannot sync" and "cannot be reached" in seen[0][1]


def test_remote_settings_and_clone(qtbot, window, tmp_path, monkeypatch):
    from guidelines_app.ui.team.dialogs import CloneDialog, RemoteSettingsDialog

    dialog = RemoteSettingsDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1
    dialog.name.setText("evil")
    dialog.url.setText(f"ext::sh -c touch% {tmp_path / 'pwned'}")
    dialog.add()
    assert "cannot be used as a shared copy" in dialog.message.text()
    assert not (tmp_path / "pwned").exists() and dialog.list.count() == 1
    spare = remotes.create_bare(tmp_path / "spare.git")
    dialog.url.setText(spare)
    dialog.add()
    assert dialog.list.count() == 2
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    dialog.remove()  # asked first: No keeps it
    assert dialog.list.count() == 2 and "Stop syncing with “evil”?" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.remove()
    assert dialog.list.count() == 1
    opened = []
    clone = CloneDialog(window, opened.append)
    qtbot.addWidget(clone)
    clone.url.setText(remotes.url_of(window.ws.store, "origin"))
    clone.folder.setText(str(tmp_path / "carla"))
    clone.start()
    qtbot.waitUntil(lambda: bool(opened), timeout=30000)
    assert (opened[0] / "guidelines" / "social.md").is_file()


def test_remote_settings_offer_only_what_can_be_done_in_plain_words(qtbot, tmp_path, author):
    """With no shared copy, Change Address and Remove were enabled (and
    failed); the help spoke of git hosts, credential helpers and bare
    repositories; the first shared copy's name stays what git tools expect."""
    from PySide6.QtWidgets import QLabel

    from guidelines_app.ui.team.dialogs import RemoteSettingsDialog

    ws = Workspace.create(tmp_path / "solo")
    ws.create_document(Document.new("Solo"), author)
    w = MainWindow(ws, Settings(author_name=author.name, author_email=author.email))
    qtbot.addWidget(w, before_close_func=lambda w: w.editor.document().setModified(False))
    dialog = RemoteSettingsDialog(w)
    qtbot.addWidget(dialog)
    enabled = {name: b.isEnabled() for name, b in dialog.buttons.items()}
    assert enabled == {"remote-add": False, "remote-change": False, "remote-remove": False}  # (no address typed yet)
    assert dialog.name.text() == "origin"
    assert not dialog.name.isVisibleTo(dialog)  # the first shared copy needs only its address
    assert dialog.windowTitle() == "Shared Copies"
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "git" not in shown.lower().replace("git@", "") and "repository" not in shown
    dialog.url.setText("")
    assert not dialog.buttons["remote-add"].isEnabled()  # no address yet: nothing to add
    dialog.url.setText(remotes.create_bare(tmp_path / "shared.git"))
    dialog.add()
    assert dialog.list.count() == 1 and not dialog.buttons["remote-add"].isEnabled()
    # Listed as what it is, not by git's name for it ("origin"); a second one can now be named.
    assert dialog.list.item(0).text().startswith("Shared copy  —  ") and dialog.name.isVisibleTo(dialog)
    assert dialog.buttons["remote-remove"].isEnabled() and not dialog.buttons["remote-change"].isEnabled()  # same address
    dialog.url.setText(remotes.create_bare(tmp_path / "moved.git"))
    assert dialog.buttons["remote-change"].isEnabled()
    dialog.name.setText("second")  # a new name: only Add
    assert dialog.buttons["remote-add"].isEnabled() and not dialog.buttons["remote-remove"].isEnabled()


def _answer_outside_change_dialog(choice: str, seen: list) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QPushButton

    from guidelines_app.ui.outside_changes import OutsideChangeDialog

    def handler():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, OutsideChangeDialog):
            seen.append(dialog.windowTitle())
            dialog.findChild(QPushButton, f"outside-{choice}").click()
        else:
            QTimer.singleShot(50, handler)

    QTimer.singleShot(50, handler)


@pytest.mark.parametrize("choice", ["mine", "disk"])
def test_showing_arrivals_over_unsaved_edits_asks_and_loses_nothing(qtbot, window, people, choice):
    _root, wb = people
    edit(wb, BO, "Ask the press office.", "Ask the press office first.")
    sync.sync(wb, BO)
    _type(window, window.editor.text().replace("Intro for everyone.", "My unsaved intro."))
    _sync_and_wait(qtbot, window)
    team = _team(window)
    assert team.notice.isVisible()
    seen: list[str] = []
    _answer_outside_change_dialog(choice, seen)
    team.notice.show_button.click()
    assert seen == ["Document Changed Elsewhere"]
    text = window.editor.text()
    if choice == "mine":
        assert "My unsaved intro." in text and window.is_modified()
    else:
        assert "press office first." in text and "My unsaved intro." not in text
        kept = window.safekeeping.area.list()  # the edits wait in the recovery area
        assert any("My unsaved intro." in copy.text for copy in kept)


def _arrivals_over_unsaved_edits(qtbot, w, people) -> None:
    """A colleague's revision of the open document comes in by a sync over
    unsaved edits ("My unsaved intro."): announced, not shown."""
    _root, wb = people
    edit(wb, BO, "Ask the press office.", "Ask the press office first.")
    sync.sync(wb, BO)
    _type(w, w.editor.text().replace("Intro for everyone.", "My unsaved intro."))
    _sync_and_wait(qtbot, w)
    assert _team(w).notice.isVisible()


@pytest.mark.parametrize("choice", ["mine", "disk"])
def test_saving_over_arrivals_not_shown_asks_first(qtbot, window, people, choice):
    """Colleagues' revisions came in over unsaved edits and the notice was
    not clicked: Save asks about their text first (it once wrote the
    user's text over it, and the newest revision silently undid theirs)."""
    _arrivals_over_unsaved_edits(qtbot, window, people)
    seen: list[str] = []
    _answer_outside_change_dialog(choice, seen)
    assert window.save_revision("Mine")
    assert seen == ["Document Changed Elsewhere"]
    newest = window.ws.path("social").read_text(encoding="utf-8")
    assert not window.is_modified() and newest == window.current_text()
    if choice == "mine":  # the user chose their text, knowing
        assert "My unsaved intro." in newest and "press office first." not in newest
    else:
        assert "press office first." in newest and "My unsaved intro." not in newest
        assert any("My unsaved intro." in copy.text for copy in window.safekeeping.area.list())
    seen.clear()
    _type(window, window.editor.text() + "\nMore.\n")
    assert window.save_revision("More") and not seen  # asked once


def test_a_save_while_a_sync_runs_waits_for_it_and_asks_about_what_it_brought(qtbot, window, people, monkeypatch):
    """Save pressed while the sync is bringing colleagues' revisions in
    (held here just after it moved the branch and wrote the file): the
    save waits for the sync to end, then asks about their text rather than
    write the user's over it unseen."""
    import threading

    from PySide6.QtCore import QTimer

    _root, wb = people
    edit(wb, BO, "Ask the press office.", "Ask the press office first.")
    sync.sync(wb, BO)
    _type(window, window.editor.text().replace("Intro for everyone.", "My unsaved intro."))
    gate, moved = threading.Event(), threading.Event()
    real = sync._integrate

    def integrate(*args, **kwargs):
        found = real(*args, **kwargs)
        moved.set()
        gate.wait(10)
        return found

    monkeypatch.setattr(sync, "_integrate", integrate)
    team = _team(window)
    _type(window, window.editor.text())  # (still modified, the same text)
    team.sync_action.trigger()
    assert moved.wait(10) and team.running
    QTimer.singleShot(200, gate.set)
    seen: list[str] = []
    _answer_outside_change_dialog("disk", seen)
    assert window.save_revision("Mine")  # waits for the sync, then asks
    assert not team.running and seen == ["Document Changed Elsewhere"]
    newest = window.ws.path("social").read_text(encoding="utf-8")
    assert "press office first." in newest and "My unsaved intro." not in newest
    assert any("My unsaved intro." in copy.text for copy in window.safekeeping.area.list())


def test_a_document_opened_again_after_arrivals_saves_without_asking(qtbot, window, people):
    """The arrivals' hold ends when the document is opened again (here:
    its edits discarded and the file read again, their text in it): a later
    save has nothing to ask about."""
    _arrivals_over_unsaved_edits(qtbot, window, people)
    window.editor.document().setModified(False)  # the user discards their edits
    window.reload_document()
    assert "press office first." in window.editor.text() and not _team(window).notice.isVisible()
    _type(window, window.editor.text().replace("Intro for everyone.", "A new intro."))
    seen: list[str] = []
    _answer_outside_change_dialog("disk", seen)  # (would answer, were it asked)
    assert window.save_revision("New intro")
    qtbot.wait(100)
    assert not seen
    newest = window.ws.path("social").read_text(encoding="utf-8")
    assert "A new intro." in newest and "press office first." in newest


def test_a_save_can_stop_waiting_for_a_long_sync_and_writes_nothing(qtbot, window, people, monkeypatch):
    """A sync that takes long (held here): after a moment a dialog says the
    save waits for it, with Don't Wait; chosen, nothing is written, the
    text stays, and the window says so."""
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    _root, wb = people
    _type(window, window.editor.text().replace("Intro for everyone.", "My unsaved intro."))
    gate = threading.Event()
    real = sync.sync

    def held(*args, **kwargs):
        gate.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(sync, "sync", held)
    team = _team(window)
    team.sync_action.trigger()
    assert team.running
    seen: list[str] = []

    def answer():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QProgressDialog):
            seen.append(dialog.labelText())
            [button] = dialog.findChildren(QPushButton)
            assert button.text() == "Don't Wait"
            button.click()
        else:
            QTimer.singleShot(50, answer)

    QTimer.singleShot(50, answer)
    before = window.ws.path("social").read_text(encoding="utf-8")
    assert not window.save_revision("Mine")
    assert seen and "Waiting for the team sync" in seen[0]
    assert window.ws.path("social").read_text(encoding="utf-8") == before
    assert "My unsaved intro." in window.editor.text() and window.is_modified()
    assert window.statusBar().currentMessage().startswith("Not saved: the team sync is still running")
    gate.set()
    qtbot.waitUntil(lambda: not team.running, timeout=30000)
    assert window.save_revision("Mine") and "My unsaved intro." in window.ws.path("social").read_text(encoding="utf-8")


def test_an_unreadable_record_of_an_unfinished_sync_is_aborted_from_the_window(qtbot, window, people):
    """The record of an unfinished sync damaged: the indicator says so, and
    Team > Sync (Resolve Conflicts alike) offers to abort it and sync again,
    in the window (it threw an unexpected error, and the core's message
    named a command to type)."""
    from dialog_watchdog import on_modal

    _root, wb = people
    record = window.ws.root / ".git" / sync.STATE_FILE
    record.write_text("{damaged", encoding="utf-8")
    edit(wb, BO, "Be kind and accurate.", "Be kind, accurate and quick.")
    sync.sync(wb, BO)
    team = _team(window)
    team.update_indicator()
    _state_read(qtbot, window)
    assert team.indicator.text() == "Sync unfinished: its record cannot be read"
    assert team.resolve_action.isEnabled() and team.sync_action.isEnabled()
    asked = []
    on_modal(QMessageBox, lambda box: asked.append(box.text()) or box.reject())
    team.resolve_action.trigger()  # Cancel: nothing done
    assert asked == ["The record of the unfinished sync cannot be read (it may have been damaged)."]
    assert record.exists() and not team.running
    on_modal(QMessageBox, lambda box: next(b for b in box.buttons() if b.text() == "Abort and Sync Again").click())
    team.sync_action.trigger()
    qtbot.waitUntil(lambda: not team.running and not window.jobs.busy(INDICATOR), timeout=30000)
    assert not record.exists()
    assert "Be kind, accurate and quick." in window.ws.path("social").read_text(encoding="utf-8")
    assert team.indicator.text() == "In step with the team"


def test_the_arrival_notice_follows_the_appearance(qtbot, window):
    """Its light blue under the dark appearance's light text was unreadable."""
    from PySide6.QtGui import QColor

    from guidelines_app.core import colours
    from guidelines_app.ui import appearance

    notice = _team(window).notice
    notice.label.setText("Bo Spoke saved 1 revision of this document.")
    notice.show()
    try:
        for mode, c in (("dark", colours.DARK), ("light", colours.LIGHT)):
            appearance.choose(window, mode)
            image = notice.grab().toImage()
            assert QColor(image.pixel(notice.width() // 2, 1)).name() == c.table_head_background
            assert f"color: {c.text}" in notice.styleSheet()
            assert colours.contrast(c.text, c.table_head_background) >= 4.5
    finally:
        appearance.choose(window, "system")
