"""Another program edits the open file while the window has unsaved edits:
for each choice no text is lost and the outside change is a revision."""

from __future__ import annotations

import subprocess

import pytest
from app_helpers import BODY, fsck, log, on_modal, window_with_typing
from PySide6.QtWidgets import QLabel, QPushButton

from guidelines_app.core.document import Document
from guidelines_app.ui import large_document

MINE = "\n## Where\n\nOnly on approved channels.\n"


@pytest.fixture
def window(qtbot, workspace, settings, author):
    return window_with_typing(qtbot, workspace, settings, author, MINE)


def _edit_outside_and_choose(window, qtbot, choice: str) -> str:
    slug = window.slug
    path = window.ws.path(slug)
    outside = path.read_text(encoding="utf-8").replace("Everyone who posts.", "Only staff, said legal.")
    seen = []
    on_modal(lambda d: d.findChild(QPushButton, f"outside-{choice}").click(), seen, "outside-change-dialog")
    path.write_text(outside, encoding="utf-8")  # another editor saves the file
    qtbot.waitUntil(lambda: bool(seen) and not window.outside_changes._asking, timeout=5000)
    diff = seen[0].findChild(object, "outside-change-diff").toPlainText()
    assert "Only staff, said legal." in diff and "Only on approved channels." in diff
    # Each side's changes apart, from the text the edits started from: the change made elsewhere is not shown as the user's.
    theirs, yours = (seen[0].findChild(object, name).toPlainText() for name in ("outside-theirs", "outside-yours"))
    assert "Only staff, said legal." in theirs and "Only on approved channels." not in theirs
    assert "Only on approved channels." in yours and "Only staff, said legal." not in yours
    relpath = window.ws.relpath(slug)
    assert f"Outside change to {relpath}" in log(window.ws.root, relpath)
    shown = subprocess.run(["git", "-C", str(window.ws.root), "show", f"HEAD:{relpath}"],
                           capture_output=True, text=True, check=True).stdout
    assert shown == outside  # the outside change is a revision of its own
    return outside


def test_keep_mine(window, qtbot):
    _edit_outside_and_choose(window, qtbot, "mine")
    assert window.editor.text() == BODY + MINE and window.is_modified()
    assert window.save_revision()
    assert window.ws.load(window.slug).body == BODY + MINE
    fsck(window.ws.root)


def test_take_the_version_on_disk(window, qtbot):
    outside = _edit_outside_and_choose(window, qtbot, "disk")
    assert window.editor.text() == Document.parse(outside).body and not window.is_modified()
    # The edits the user gave up are still in the recovery area, under their own name.
    kept = [c.text for c in window.safekeeping.area.list()]
    assert any(text.endswith(MINE) for text in kept), kept
    fsck(window.ws.root)


def test_take_the_version_on_disk_of_a_very_large_document(window, qtbot, monkeypatch):
    monkeypatch.setattr(large_document, "LARGE_BYTES", 100)  # it counts as very large: it reloads in the background
    slug = window.slug
    outside = _edit_outside_and_choose(window, qtbot, "disk")
    qtbot.waitUntil(lambda: window.slug == slug and not window.large_documents.loading(), timeout=10000)
    assert window.editor.text() == Document.parse(outside).body and not window.is_modified()
    kept = {c.slug: c.text for c in window.safekeeping.area.list()}
    assert slug not in kept  # the copy of the text given up is not offered as the document's own
    assert any(text.endswith(MINE) for text in kept.values()), kept  # it is kept under its own name
    fsck(window.ws.root)


def test_keep_both(window, qtbot):
    outside = _edit_outside_and_choose(window, qtbot, "both")
    assert window.editor.text() == BODY + MINE and window.is_modified()
    copies = [d for d in window.ws.documents() if d.title.endswith("(changed elsewhere)")]
    assert len(copies) == 1
    assert window.ws.load(copies[0].slug).body == Document.parse(outside).body
    fsck(window.ws.root)


def test_combine_both_when_the_edits_and_the_change_are_in_different_parts(window, qtbot):
    outside = _edit_outside_and_choose(window, qtbot, "combine")
    combined = Document.parse(outside).body + MINE  # theirs in "Who", mine in the new section "Where"
    assert window.editor.text() == combined and window.is_modified()
    window.editor.undo()  # one step: the user's own text back
    assert window.editor.text() == BODY + MINE
    window.editor.redo()
    assert window.save_revision()
    assert window.ws.load(window.slug).body == combined
    fsck(window.ws.root)


def test_after_keeping_mine_a_later_change_is_combined_with_what_was_kept(window, qtbot):
    """Keep Mine counts the user's edits from the version on disk: a second
    outside change elsewhere combines with them, and does not bring the
    first change (given up) back."""
    _edit_outside_and_choose(window, qtbot, "mine")
    path = window.ws.path(window.slug)
    seen = []
    qtbot.wait(300)  # (the file, replaced, is watched again)
    on_modal(lambda d: d.findChild(QPushButton, "outside-combine").click(), seen, "outside-change-dialog")
    path.write_text(path.read_text(encoding="utf-8").replace("# Social media guidelines", "# Social media rules"),
                    encoding="utf-8")
    qtbot.waitUntil(lambda: bool(seen) and not window.outside_changes._asking, timeout=5000)
    assert window.editor.text() == BODY.replace("guidelines", "rules") + MINE


def test_edits_and_a_change_in_the_same_place_are_not_combined(qtbot, workspace, settings, author):
    w = window_with_typing(qtbot, workspace, settings, author, "Ask first.\n")  # under "Everyone who posts."
    path = w.ws.path(w.slug)
    seen = []
    on_modal(lambda d: d.findChild(QPushButton, "outside-mine").click(), seen, "outside-change-dialog")
    path.write_text(path.read_text(encoding="utf-8").replace("Everyone who posts.", "Only staff."), encoding="utf-8")
    qtbot.waitUntil(lambda: bool(seen) and not w.outside_changes._asking, timeout=5000)
    dialog = seen[0]
    assert not dialog.findChild(QPushButton, "outside-combine").isEnabled()
    note = dialog.findChild(QLabel, "outside-combine-note").text()
    assert "cannot be combined: Section “Who”." in note
    assert w.editor.text() == BODY + "Ask first.\n" and w.is_modified()


def test_a_rewatch_due_from_a_save_does_not_watch_the_teams_work_coming_in(window, qtbot, monkeypatch):
    """A save replaces the file, and the watch asks to watch the new one a
    moment later.  A team sync started in that moment turns watching off
    while it writes colleagues' text: that late request, and Qt's word of
    the sync's write, ask nothing over the unsaved edits (the sync announces
    the text itself).  It hung the window on the outside-change question."""
    asked = []
    monkeypatch.setattr(type(window.outside_changes), "resolve", lambda _self, on_disk: asked.append(on_disk))
    watch = window.outside_changes
    path = window.ws.path(window.slug)
    assert window.save_revision()
    watch._on_file_changed(str(path))  # Qt's word of the save's write: a rewatch is due
    assert watch._rewatch_timer.isActive() and asked == []
    window.editor.insertPlainText("\nTyped after the save.\n")
    watch.watch(None)  # the sync starts: colleagues' text is announced, never swapped in unasked
    path.write_text(path.read_text(encoding="utf-8").replace("Everyone who posts.", "Theirs."), encoding="utf-8")
    qtbot.wait(300)  # the rewatch's moment, and Qt's word of the write
    watch._on_file_changed(str(path))  # (as Qt would tell of it, had the file still been watched)
    assert asked == [] and not watch._watcher.files() and window.is_modified()
    watch.watch(path)  # the sync ends
    assert watch._watcher.files() == [str(path)]


def test_combining_a_change_of_the_details_shows_them_in_the_window(window, qtbot):
    """The outside change retitled the document and changed its status: once
    combined, the window's title and status bar say so (they kept the title
    and status from before until something else refreshed them)."""
    path = window.ws.path(window.slug)
    text = path.read_text(encoding="utf-8")
    assert "title: Social media guidelines" in text and "status: draft" in text
    seen = []
    on_modal(lambda d: d.findChild(QPushButton, "outside-combine").click(), seen, "outside-change-dialog")
    path.write_text(text.replace("title: Social media guidelines", "title: Social media rules")
                    .replace("status: draft", "status: in review"), encoding="utf-8")
    qtbot.waitUntil(lambda: bool(seen) and not window.outside_changes._asking, timeout=5000)
    assert window.doc.title == "Social media rules" and window.editor.text() == BODY + MINE
    assert window.windowTitle().startswith("Social media rules[*]")
    labels = " ".join(label.text() for label in window.statusBar().findChildren(QLabel))
    assert "In review" in labels and "Draft" not in labels, labels
