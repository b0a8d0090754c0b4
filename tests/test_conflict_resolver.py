"""The conflict resolver with two real workspaces sharing a bare repository
(pytest-qt, offscreen): Keep Both of a conflict over one sentence of a
section of several paragraphs, the list naming documents by their titles
and what is in conflict in plain words, the two sides shown as they read
with the words that differ marked, and the merged text showing what the
decision puts in the document, edited as it reads (the main editor's
surface)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from team_helpers import ANA, BO, edit, git, open_window, shared_pair

from guidelines_app.core import sync
from guidelines_app.core.colours import LIGHT
from guidelines_app.core.document import Document
from guidelines_app.core.settings import Settings
from guidelines_app.core.workspace import Workspace
from guidelines_app.ui.main_window import MainWindow
from guidelines_app.ui.team.feature import TeamFeature
from guidelines_app.ui.team.resolver import ConflictResolver

SCOPE = ("These guidelines cover all staff.\n\n> **Why everyone.** Anyone can be read as speaking for us.\n\n"
         "- Official accounts.\n- Personal accounts, where a post touches on work.\n\nAsk the press office when unsure.")


@pytest.fixture
def people(tmp_path, config_dir):
    """Ana's workspace (the window's) and Bo's, the Scope section of several paragraphs on both."""
    Settings(author_name=ANA.name, author_email=ANA.email).save()
    wa, wb, _url = shared_pair(tmp_path)
    edit(wa, ANA, "These guidelines cover all staff.", SCOPE)
    sync.sync(wa, ANA)
    sync.sync(wb, BO)
    root = wa.root
    wa.close()
    yield root, wb
    wb.close()


@pytest.fixture
def window(qtbot, people):
    return open_window(qtbot, people[0])


def _resolver_on_a_conflict_over_one_sentence(qtbot, window, wb):
    window.editor.selectAll()
    window.editor.insertPlainText(window.editor.text().replace("cover all staff.", "cover all staff, worldwide."))
    assert window.save_revision("Scope")
    edit(wb, BO, "cover all staff.", "cover everyone who works for us.")
    sync.sync(wb, BO)
    team = window.features.get("team", TeamFeature)
    assert team.sync_action.isEnabled()
    team.sync_action.trigger()
    qtbot.waitUntil(lambda: not team.running, timeout=30000)
    assert team.resolver is not None and team.resolver.isVisible()
    return team, team.resolver


def test_keep_both_sends_the_shared_paragraphs_once_and_both_sentences(qtbot, window, people):
    _root, wb = people
    team, resolver = _resolver_on_a_conflict_over_one_sentence(qtbot, window, wb)
    expected = ("## Scope\n\nThese guidelines cover all staff, worldwide.\n\nThese guidelines cover everyone who works for us."
                "\n\n> **Why everyone.** Anyone can be read as speaking for us.\n\n- Official accounts.\n"
                "- Personal accounts, where a post touches on work.\n\nAsk the press office when unsure.\n\n## Tone")
    assert resolver.merged_text() == expected.removesuffix("## Tone")  # what Keep Both gives, before it is chosen
    resolver.choice_buttons["ours"].click()  # the box shows what the decision gives
    assert "everyone who works for us" not in resolver.merged_text()
    assert "all staff, worldwide." in resolver.merged_text()
    resolver.choice_buttons["both"].click()
    assert resolver.merged_text() == expected.removesuffix("## Tone")
    resolver.finish_button.click()
    qtbot.waitUntil(lambda: not team.running and team.indicator.text() == "In step with the team", timeout=30000)
    sync.sync(wb, BO)
    text = wb.path("social").read_text(encoding="utf-8")
    assert expected in text
    assert text.count("Why everyone") == 1 and text.count("Ask the press office when unsure.") == 1


def test_the_resolver_names_the_document_and_shows_the_sides_as_they_read(qtbot, window, people):
    _root, wb = people
    _team, resolver = _resolver_on_a_conflict_over_one_sentence(qtbot, window, wb)
    entry = resolver.list.item(0).text()
    assert entry.startswith("Social media guidelines\n") and "Section “Scope”" in entry and "social" not in entry
    for side, words in ((resolver.ours, "worldwide"), (resolver.theirs, "everyone who works for us")):
        shown = side.toPlainText()
        assert "Scope" in shown and "Why everyone." in shown and "Official accounts." in shown
        assert "##" not in shown and "**" not in shown and "> " not in shown and "- Official" not in shown
        html = side.toHtml()
        marked = html.split(LIGHT.banner_background, 1)[1].split("</span>", 1)[0]
        assert words.split()[0] in marked  # the differing words are marked, the rest is not
        assert html.count(LIGHT.banner_background) <= 3 and "Why everyone" not in marked


def test_the_merged_text_is_edited_as_it_reads_and_keeps_its_formatting(qtbot, window, people):
    """The merged box is the main editor's formatted surface (it was a tab of
    Markdown source beside a read-only view): a word typed into one
    paragraph is all that changes, the heading, the quote's bold and the
    list are sent as they were."""
    _root, wb = people
    team, resolver = _resolver_on_a_conflict_over_one_sentence(qtbot, window, wb)
    surface = resolver.merged_surface
    assert resolver.merged_box.currentWidget() is surface and not surface.isReadOnly()
    shown = surface.toPlainText()
    assert "worldwide." in shown and "everyone who works for us." in shown and "Why everyone." in shown
    assert "##" not in shown and "**" not in shown and "> " not in shown and "- Official" not in shown
    before = resolver.merged_text()
    cursor = surface.document().find("cover everyone who works for us.")
    cursor.clearSelection()
    surface.setTextCursor(cursor)
    qtbot.keyClicks(surface, " And our partners.")
    assert resolver.merged_text() == before.replace("works for us.", "works for us. And our partners.")
    resolver.choice_buttons["edit"].click()
    assert "(✓ edited)" in resolver.list.item(0).text()
    resolver.finish_button.click()
    qtbot.waitUntil(lambda: not team.running and team.indicator.text() == "In step with the team", timeout=30000)
    sync.sync(wb, BO)
    text = wb.path("social").read_text(encoding="utf-8")
    assert ("## Scope\n\nThese guidelines cover all staff, worldwide.\n\nThese guidelines cover everyone who works for us. "
            "And our partners.\n\n> **Why everyone.** Anyone can be read as speaking for us.\n\n- Official accounts.\n"
            "- Personal accounts, where a post touches on work.\n\nAsk the press office when unsure.\n\n## Tone") in text


def test_finishing_refused_by_a_revision_saved_meanwhile_says_so_in_the_windows_words(qtbot, window, people):
    """Decided, then the section saved again before Finish: the resolver says
    what is left in its own words, on the conflict to decide again (it showed
    the core's "cannot finish the sync: 1 conflict(s) still to decide:
    social: Section: Scope", the document by its file name)."""
    _root, wb = people
    _team, resolver = _resolver_on_a_conflict_over_one_sentence(qtbot, window, wb)
    resolver.choice_buttons["ours"].click()
    assert resolver.finish_button.isEnabled()
    edit(window.ws, ANA, "all staff, worldwide.", "all staff, in every country.")
    resolver.finish_button.click()
    assert resolver.isVisible() and not resolver.finish_button.isEnabled()
    assert resolver.status.text() == "Not finished: 1 of 1 still to decide. Revisions saved since changed 1 you had decided."
    assert resolver.list.currentRow() == 0 and "(decide again)" in resolver.list.item(0).text()
    assert "in every country" in resolver.merged_text()


def test_finishing_refused_by_a_history_rewritten_meanwhile_says_what_to_do_in_the_window(qtbot, window, people):
    """The workspace's history rewritten by another tool while the sync
    waits (not revisions saved on top of it): Finish says to abort and sync
    again, in the window's words (it said to type 'guidelines sync --abort')."""
    _root, wb = people
    _team, resolver = _resolver_on_a_conflict_over_one_sentence(qtbot, window, wb)
    resolver.choice_buttons["ours"].click()
    git(window.ws.root, "reset", "--soft", "HEAD~1")  # another tool takes the last revision back
    resolver.finish_button.click()
    assert resolver.isVisible()
    assert resolver.status.text() == ("Not finished: this workspace's history changed since the sync started. "
                                      "Choose Abort Sync, then sync again; nothing is lost.")


def _resolver_of(qtbot, wa: Workspace) -> tuple[ConflictResolver, list[str]]:
    """The resolver of *wa*'s unfinished sync, in a window of its own (*wa* closed), and its list's entries."""
    root = wa.root
    wa.close()
    w = MainWindow(Workspace.open(root), Settings.load())
    qtbot.addWidget(w)
    resolver = ConflictResolver(w, lambda: None)
    qtbot.addWidget(resolver)
    return resolver, [resolver.list.item(n).text() for n in range(resolver.list.count())]


def test_details_decided_in_the_resolver_show_what_they_give(qtbot, tmp_path, config_dir):
    """A status both changed (one value: no Keep Both, the box shows yours)
    and owners both added to (Keep Both: everyone named on either side)."""
    Settings(author_name=ANA.name, author_email=ANA.email).save()
    wa, wb, _url = shared_pair(tmp_path)
    edit(wb, BO, "status: draft", "status: approved")
    edit(wb, BO, "- Ana Centre", "- Ana Centre\n- Bo Spoke")
    sync.sync(wb, BO)
    edit(wa, ANA, "status: draft", "status: in review")
    edit(wa, ANA, "- Ana Centre", "- Ana Centre\n- Cy Press")
    assert sync.sync(wa, ANA).outcome == sync.CONFLICTS
    resolver, labels = _resolver_of(qtbot, wa)
    assert resolver.merged_box.currentWidget() is resolver.merged  # (a detail's value: plain text)
    assert labels == ["Social media guidelines\nDetail “Status”  (to decide)", "Social media guidelines\nDetail “Owners”  (to decide)"]
    # (the status by the name Document Details gives it)
    assert resolver.merged.toPlainText() == "In review" and not resolver.choice_buttons["both"].isEnabled()
    assert (resolver.ours.toPlainText(), resolver.theirs.toPlainText()) == ("In review", "Approved")
    resolver.list.setCurrentRow(1)
    assert resolver.merged.toPlainText() == "Ana Centre, Cy Press, Bo Spoke" and resolver.choice_buttons["both"].isEnabled()
    resolver.choice_buttons["both"].click()
    resolver.list.setCurrentRow(1)
    assert resolver.merged.toPlainText() == "Ana Centre, Cy Press, Bo Spoke"
    assert "(✓ both)" in resolver.list.item(1).text()
    wb.close()


def test_a_whole_document_is_edited_as_it_reads_and_a_file_that_is_not_text_is_taken_whole(qtbot, tmp_path, config_dir):
    """A document Ana removed and Bo changed: the merged box shows its text as
    it reads, and the edited text keeps Bo's details as they were.  A
    picture both changed: no edited text (Use Edited Text said, in the
    window, the file's path and "is not text")."""
    Settings(author_name=ANA.name, author_email=ANA.email).save()
    wa, wb, _url = shared_pair(tmp_path)
    commit = ("-c", f"user.name={ANA.name}", "-c", f"user.email={ANA.email}", "commit", "-q", "-a", "-m")
    (wa.root / "logo.png").write_bytes(b"\x89PNG\x00\x01")
    git(wa.root, "add", "logo.png")
    git(wa.root, *commit, "Logo")
    sync.sync(wa, ANA)
    sync.sync(wb, BO)
    edit(wb, BO, "These guidelines cover all staff.", "These guidelines cover all staff and volunteers.")
    (wb.root / "logo.png").write_bytes(b"\x89PNG\x00\x02")
    git(wb.root, *commit, "Bo's logo")
    sync.sync(wb, BO)
    git(wa.root, "rm", "-q", "guidelines/social.md")
    (wa.root / "logo.png").write_bytes(b"\x89PNG\x00\x03")
    git(wa.root, *commit, "Ana's changes")
    assert sync.sync(wa, ANA).outcome == sync.CONFLICTS
    theirs = wb.path("social").read_text(encoding="utf-8")
    resolver, labels = _resolver_of(qtbot, wa)
    assert labels == ["Social media guidelines\nThe whole file  (to decide)", "logo.png\nThe whole file  (to decide)"]
    surface = resolver.merged_surface
    assert resolver.merged_box.currentWidget() is surface
    assert "volunteers." in surface.toPlainText() and "title:" not in surface.toPlainText() and "##" not in surface.toPlainText()
    assert resolver.merged_text() == theirs  # (Keep Both of a removed document: the other side's)
    cursor = surface.document().find("all staff and volunteers.")
    cursor.clearSelection()
    surface.setTextCursor(cursor)
    qtbot.keyClicks(surface, " Welcome.")
    resolver.choice_buttons["edit"].click()
    assert sync.pending(resolver.window_.ws).choices["guidelines/social.md"]["file"] == [
        "edit", theirs.replace("all staff and volunteers.", "all staff and volunteers. Welcome.")]
    resolver.list.setCurrentRow(1)
    assert resolver.merged_box.currentWidget() is resolver.merged and resolver.merged.isReadOnly()
    assert not resolver.choice_buttons["edit"].isEnabled() and not resolver.choice_buttons["both"].isEnabled()
    assert resolver.merged_label.text() == "This file is not text: keep yours or take theirs."
    resolver.choice_buttons["theirs"].click()
    resolver.finish_button.click()
    root = resolver.window_.ws.root
    assert (root / "logo.png").read_bytes() == b"\x89PNG\x00\x02"
    assert (root / "guidelines" / "social.md").read_text(encoding="utf-8") == theirs.replace(
        "all staff and volunteers.", "all staff and volunteers. Welcome.")
    wb.close()


def test_a_record_damaged_while_the_resolver_is_open_is_said_not_thrown(qtbot, window, people):
    """The unfinished sync's record damaged while the resolver is open (another
    program, a disk fault): Finish and a decision say to abort and sync again
    in the window's words; nothing escapes the buttons' handlers (the reload
    after the refusal read the record again and threw)."""
    _root, wb = people
    _team, resolver = _resolver_on_a_conflict_over_one_sentence(qtbot, window, wb)
    resolver.choice_buttons["ours"].click()
    (window.ws.root / ".git" / sync.STATE_FILE).write_text("{not json", encoding="utf-8")
    resolver.finish_button.click()
    assert resolver.isVisible() and not resolver.finish_button.isEnabled()
    assert resolver.status.text().startswith("The record of this unfinished sync cannot be read. Choose Abort Sync")
    resolver.choice_buttons["theirs"].click()
    assert resolver.status.text().startswith("The record of this unfinished sync cannot be read.")
    resolver.abort_now()  # (the way out it names; Abort Sync asks first)
    assert not resolver.isVisible() and sync.pending(window.ws) is None


def test_owners_are_shown_and_typed_as_in_document_details_and_written_as_a_list(qtbot, tmp_path, config_dir):
    """A list detail (the owners) reads in the resolver as Document Details
    shows it, the names separated by commas (it showed YAML's
    "[Ana Centre, Cy Press]"); names typed so are written back as the
    document's list of owners (they became one text: "owners: Ana Centre,
    Bo Spoke, Di Lane"), and reach the colleague so."""
    Settings(author_name=ANA.name, author_email=ANA.email).save()
    wa, wb, _url = shared_pair(tmp_path)
    edit(wb, BO, "- Ana Centre", "- Ana Centre\n- Bo Spoke")
    sync.sync(wb, BO)
    edit(wa, ANA, "- Ana Centre", "- Ana Centre\n- Cy Press")
    assert sync.sync(wa, ANA).outcome == sync.CONFLICTS
    resolver, labels = _resolver_of(qtbot, wa)
    assert labels == ["Social media guidelines\nDetail “Owners”  (to decide)"]
    assert (resolver.ours.toPlainText(), resolver.theirs.toPlainText()) == ("Ana Centre, Cy Press", "Ana Centre, Bo Spoke")
    assert resolver.merged.toPlainText() == "Ana Centre, Cy Press, Bo Spoke"  # (what Keep Both gives)
    resolver.merged.selectAll()
    qtbot.keyClicks(resolver.merged, "Ana Centre, Bo Spoke,  Di Lane")
    resolver.choice_buttons["edit"].click()
    assert "(✓ edited)" in resolver.list.item(0).text() and resolver.merged.toPlainText() == "Ana Centre, Bo Spoke, Di Lane"
    resolver.finish_button.click()
    text = resolver.window_.ws.path("social").read_text(encoding="utf-8")
    assert "owners:\n- Ana Centre\n- Bo Spoke\n- Di Lane\n" in text
    sync.sync(resolver.window_.ws, ANA)
    sync.sync(wb, BO)
    assert Document.parse(wb.path("social").read_text(encoding="utf-8")).owners == ["Ana Centre", "Bo Spoke", "Di Lane"]
    wb.close()


def test_ctrl_b_and_ctrl_i_format_the_merged_text_as_in_the_main_editor(qtbot, window, people):
    """The Format menu's shortcuts work on the resolver's formatted merged
    text (the window's menu keys reached only the main editor: Ctrl+B there
    did nothing), and what they make is sent."""
    _root, wb = people
    team, resolver = _resolver_on_a_conflict_over_one_sentence(qtbot, window, wb)
    resolver.activateWindow()
    surface = resolver.merged_surface
    surface.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is surface, timeout=5000)
    for word, key in (("worldwide", Qt.Key.Key_B), ("everyone", Qt.Key.Key_I)):
        surface.setTextCursor(surface.document().find(word))
        qtbot.keyClick(surface, key, Qt.KeyboardModifier.ControlModifier)
    assert "all staff, **worldwide**." in resolver.merged_text() and "cover *everyone* who works" in resolver.merged_text()
    resolver.choice_buttons["edit"].click()
    resolver.finish_button.click()
    qtbot.waitUntil(lambda: not team.running and team.indicator.text() == "In step with the team", timeout=30000)
    sync.sync(wb, BO)
    text = wb.path("social").read_text(encoding="utf-8")
    assert "These guidelines cover all staff, **worldwide**.\n\nThese guidelines cover *everyone* who works for us." in text


def test_a_lock_on_the_workspace_at_finish_is_said_in_plain_words_with_its_way_forward(qtbot, window, people):
    """Another program holds the workspace's lock as Finish moves it to the
    merge revision: the status line says so as a sentence, what becomes of
    the decisions and what to do (it showed the core's raw "cannot bring
    colleagues' revisions ..."), and offers the error's own way forward;
    taking it finishes the sync."""
    _root, wb = people
    team, resolver = _resolver_on_a_conflict_over_one_sentence(qtbot, window, wb)
    resolver.choice_buttons["theirs"].click()
    lock = window.ws.root / ".git" / "index.lock"
    lock.write_text("", encoding="utf-8")
    resolver.finish_button.click()
    assert resolver.isVisible() and lock.exists()
    said = resolver.status.text()
    assert said.startswith("Not done: Cannot bring colleagues' revisions into the workspace: another program is using")
    assert "Your decisions are kept" in said and "Abort Sync" in said
    assert resolver.remedy_button.isVisible() and resolver.remedy_button.text() == "Remove the Lock and Save Again"
    resolver.remedy_button.click()
    assert not lock.exists() and not resolver.isVisible()
    qtbot.waitUntil(lambda: not team.running and team.indicator.text() == "In step with the team", timeout=30000)
    sync.sync(wb, BO)
    assert "cover everyone who works for us." in window.ws.path("social").read_text(encoding="utf-8")


def test_a_disk_failure_in_the_resolver_is_told_without_the_editors_advice(tmp_path):
    """A read-only folder while keeping the decisions said "Your text is not
    lost; make it writable and save again, or save a copy elsewhere" (the
    editor's words: the resolver has no save and no copy), and a failed
    Abort Sync told the user to choose Abort Sync as the way back."""
    import errno

    from guidelines_app.core import gitfaults
    from guidelines_app.ui.team.resolver import sync_problem

    (tmp_path / "ws").mkdir()
    exc = gitfaults.storage_error(OSError(errno.EACCES, "Permission denied"), tmp_path / "ws",
                                  "keep the decisions of the unfinished sync")
    deciding, aborting = sync_problem(exc), sync_problem(exc, aborting=True)
    for said in (deciding, aborting):
        assert said.startswith("Not done: the workspace folder ") and "read-only" in said, said
        assert "save a copy" not in said and "Your text is not lost" not in said, said
    assert "Your decisions are kept" in deciding and "Decide Later" in deciding
    assert "The sync is not aborted yet" in aborting and "puts the workspace back" not in aborting
