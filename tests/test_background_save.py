"""Every save runs on a worker (``ui.saving``), with pytest-qt: typing
goes on meanwhile and what is typed stays unsaved (and never mistaken for an
outside change); closing, or another save, waits for it; a failure is shown
as any save's, with Try Again.  Several tests set ``heavy_features_off`` (as
the loader does for a very large document), whose editor hands its text over
in parts; the worker's save is held back by a gate, so the typing happens
while it runs."""

from __future__ import annotations

import threading

import pytest
from test_history_ui import window  # noqa: F401 - the fixture: a policy saved twice, in the window

from guidelines_app.core.workspace import Workspace


@pytest.fixture
def gate(monkeypatch):
    """A save on a worker waits until the gate is set (for at most 10 s)."""
    opened = threading.Event()
    real = Workspace.save_text

    def save_text(self, *args, **kwargs):
        if threading.current_thread() is not threading.main_thread():  # a save in the background
            opened.wait(10)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Workspace, "save_text", save_text)
    return opened


def _type_at_end(w, words: str) -> None:
    from PySide6.QtGui import QTextCursor

    cursor = w.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    w.editor.setTextCursor(cursor)
    w.editor.insertPlainText(words)


def _newest_text(w) -> str:
    ws = w.ws
    return ws.store.read_fast(ws.relpath(w.slug), ws.history(w.slug)[0].sha).decode()


def test_typing_goes_on_while_a_very_large_document_saves(window, qtbot, gate):  # noqa: F811
    from PySide6.QtWidgets import QApplication

    window.heavy_features_off = True
    before = len(window.ws.history(window.slug))
    _type_at_end(window, "\nMore words.\n")
    assert window.save_revision(wait=False)  # the menu's Save: back at once
    assert window.saving.running() and "Saving" in window.statusBar().currentMessage()
    _type_at_end(window, "Typed while saving.\n")  # the editor takes it meanwhile
    assert "Typed while saving." in window.editor.text()
    gate.set()
    qtbot.waitUntil(lambda: not window.saving.running(), timeout=10000)
    assert len(window.ws.history(window.slug)) == before + 1
    newest = _newest_text(window)
    assert "More words." in newest and "Typed while saving." not in newest  # the text as it was when saved
    assert window.statusBar().currentMessage().startswith("Saved")
    assert window.is_modified() and "Typed while saving." in window.editor.text()  # not saved, not lost
    qtbot.wait(300)  # the file the save wrote is no outside change: no question, no reload
    assert QApplication.activeModalWidget() is None and "Typed while saving." in window.editor.text()
    assert window.save_revision()  # then saved as usual
    assert "Typed while saving." in _newest_text(window) and not window.is_modified()


def test_a_save_in_the_background_as_typing_goes_on_in_the_surface(window, qtbot, gate):  # noqa: F811
    """With every feature on: typed into the formatted surface, saved on a
    worker, and what is typed there meanwhile stays unsaved, not lost."""
    from PySide6.QtGui import QTextCursor

    surface = window.editing.surface
    assert window.editing.active() is surface and not window.heavy_features_off

    def type_in_surface(words: str) -> None:
        cursor = surface.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        surface.setTextCursor(cursor)
        surface.textCursor().insertText(words)

    before = len(window.ws.history(window.slug))
    type_in_surface(" Typed first.")
    assert window.save_revision(wait=False)  # the menu's Save: back at once
    assert window.saving.running()
    type_in_surface(" Typed while saving.")
    gate.set()
    qtbot.waitUntil(lambda: not window.saving.running(), timeout=10000)
    assert len(window.ws.history(window.slug)) == before + 1
    newest = _newest_text(window)
    assert "Typed first." in newest and "Typed while saving." not in newest
    qtbot.waitUntil(lambda: "Typed while saving." in window.editor.text(), timeout=5000)  # the surface's edit, in the source
    assert window.is_modified()
    assert window.save_revision()
    assert "Typed first. Typed while saving." in _newest_text(window) and not window.is_modified()


def test_undo_after_a_save_that_missed_some_typing_never_claims_saved(window, qtbot, gate):  # noqa: F811
    """What was typed while it saved is not in the revision: undoing it,
    and then the saved words too, gives a text that is neither what the
    save left on disk nor saved, so the document stays modified (Qt's
    undo would otherwise find its old "saved" point again)."""
    window.heavy_features_off = True
    saved_before = _newest_text(window)
    window.editor.document().clearUndoRedoStacks()  # (the undo history starts at the text saved)
    _type_at_end(window, "\nMore words.\n")
    assert window.save_revision(wait=False)
    _type_at_end(window, "Typed while saving.\n")
    gate.set()
    qtbot.waitUntil(lambda: not window.saving.running(), timeout=10000)
    assert "More words." in _newest_text(window) and window.is_modified()
    document = window.editor.document()
    while document.isUndoAvailable():  # back to the text of the revision before
        document.undo()
    assert "More words." not in window.editor.text() and "More words." not in saved_before
    assert window.is_modified() and window.isWindowModified()  # the revision on disk holds "More words."
    document.redo()
    assert window.is_modified()
    assert window.save_revision()  # then saved as shown
    assert not window.is_modified() and _newest_text(window).endswith(window.editor.text())


def test_a_usual_policy_saves_on_a_worker_too(window, qtbot, gate):  # noqa: F811
    """A policy of a few hundred characters, every feature on: the menu's
    Save returns while the save runs (stored on the UI thread, a save held
    the window 50-90 ms with a long history, and up to 8 s while another
    git program held the workspace's lock)."""
    assert not window.heavy_features_off
    _type_at_end(window, " A usual edit.")
    assert window.save_revision(wait=False) and window.saving.running()  # back at once, the save on a worker
    assert "Saving" in window.statusBar().currentMessage()
    gate.set()
    qtbot.waitUntil(lambda: not window.saving.running(), timeout=10000)
    assert "A usual edit." in _newest_text(window) and not window.is_modified()
    assert window.statusBar().currentMessage().startswith("Saved")


def test_keys_typed_while_a_usual_save_runs_are_no_outside_change(window, qtbot, monkeypatch):  # noqa: F811
    """Keys typed while a usual policy saves come in before Qt's word that
    the file changed (the save's own write): no "changed outside the app"
    question; the keys stay unsaved."""
    asked = []
    monkeypatch.setattr(type(window.outside_changes), "resolve", lambda _self, on_disk: asked.append(on_disk))
    _type_at_end(window, " Saved words.")
    assert window.save_revision(wait=False)
    _type_at_end(window, " Typed during the save.")  # (before any event: as keys typed while it runs)
    qtbot.waitUntil(lambda: not window.saving.running(), timeout=10000)
    qtbot.wait(400)  # Qt's file-changed signal comes
    assert asked == [] and window.is_modified()
    assert "Saved words." in _newest_text(window) and "Typed during the save." not in _newest_text(window)
    assert window.save_revision() and not window.is_modified()


def test_undo_in_the_surface_after_a_save_that_missed_some_typing_never_claims_saved(window, qtbot, gate):  # noqa: F811
    """As above, typed into the formatted surface."""
    from PySide6.QtGui import QTextCursor

    surface = window.editing.surface

    def type_in_surface(words: str) -> None:
        cursor = surface.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        surface.setTextCursor(cursor)
        surface.textCursor().insertText(words)

    type_in_surface(" Typed first.")
    assert window.save_revision(wait=False)
    type_in_surface(" Typed while saving.")
    gate.set()
    qtbot.waitUntil(lambda: not window.saving.running(), timeout=10000)
    assert "Typed first." in _newest_text(window)
    while surface.document().isUndoAvailable():
        surface.document().undo()
    qtbot.waitUntil(lambda: "Typed first." not in window.editor.text(), timeout=5000)  # written into the source
    qtbot.wait(100)
    assert window.is_modified() and window.isWindowModified()  # the revision on disk holds "Typed first."
    assert window.save_revision()  # then saved as shown
    assert not window.is_modified() and "Typed first." not in _newest_text(window)


def test_a_save_with_nothing_typed_meanwhile_leaves_the_document_saved(window, qtbot, gate):  # noqa: F811
    window.heavy_features_off = True
    _type_at_end(window, "\nMore words.\n")
    window.safekeeping.autosave_now()  # (a very large document's copy is made and written on a worker)
    qtbot.waitUntil(lambda: bool(window.safekeeping.area.list()), timeout=10000)
    gate.set()
    assert window.save_revision("More words")  # waits: the window paints meanwhile
    assert not window.is_modified() and not window.saving.running()
    assert not window.safekeeping.area.list()  # the recovery copy goes with the save
    assert "More words." in _newest_text(window) and window.ws.history(window.slug)[0].subject == "More words"


def test_closing_waits_for_the_save_in_the_background(window, qtbot, gate):  # noqa: F811
    from PySide6.QtCore import QTimer

    window.heavy_features_off = True
    before = len(window.ws.history(window.slug))
    _type_at_end(window, "\nMore words.\n")
    assert window.save_revision(wait=False)
    QTimer.singleShot(200, gate.set)  # the save ends while the window waits to close
    assert window.close()  # no question asked: the save ends, nothing is left unsaved
    assert not window.saving.running() and len(window.ws.history(window.slug)) == before + 1
    assert "More words." in _newest_text(window)


def test_opening_another_document_waits_for_the_save(window, qtbot, gate, author):  # noqa: F811
    from PySide6.QtCore import QTimer

    from guidelines_app.core.document import Document

    first = window.slug
    other, _ = window.ws.create_document(Document.new("Another", body="## One\n\nText.\n"), author)
    window.heavy_features_off = True
    _type_at_end(window, "\nMore words.\n")
    assert window.save_revision(wait=False)
    QTimer.singleShot(200, gate.set)
    assert window.open_document(other)
    assert window.slug == other and not window.saving.running()
    assert "More words." in window.ws.store.read_fast(window.ws.relpath(first), window.ws.history(first)[0].sha).decode()


def _answer_failure(qtbot, button: str, answered: list) -> None:
    """Click *button* of the save-failure dialog when it shows."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def click():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        answered.append(box.text())
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(20, click)


def test_a_failed_save_in_the_background_keeps_the_text_and_says_why(window, qtbot, monkeypatch):  # noqa: F811
    from guidelines_app.ui import large_document

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workspace, "save_text", full)
    window.heavy_features_off = True
    window.statusBar().showMessage(large_document.notice())
    before = len(window.ws.history(window.slug))
    _type_at_end(window, "\nMore words.\n")
    answered: list = []
    _answer_failure(qtbot, "Keep Editing", answered)
    assert not window.save_revision("More words")
    assert answered and "No space left on device" in answered[0]
    assert window.statusBar().currentMessage() == large_document.notice()  # not "Saving…"
    assert window.is_modified() and "More words." in window.editor.text()
    assert [c.slug for c in window.safekeeping.area.list()] == [window.slug]  # and in the recovery area
    assert len(window.ws.history(window.slug)) == before and not window.saving.running()
    window.editor.document().setModified(False)  # (the fixture's window closes without asking)


def test_try_again_saves_the_same_text_in_the_background(window, qtbot, monkeypatch):  # noqa: F811
    real, calls = Workspace.save_text, []

    def once_full(self, *args, **kwargs):
        calls.append(args[1])
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Workspace, "save_text", once_full)
    window.heavy_features_off = True
    _type_at_end(window, "\nMore words.\n")
    answered: list = []
    _answer_failure(qtbot, "Try Again", answered)
    assert window.save_revision("More words")
    assert len(calls) == 2 and calls[0] == calls[1] and answered
    assert "More words." in _newest_text(window) and not window.is_modified()


def test_save_with_message_suggests_the_changed_sections_worked_out_in_the_background(window, qtbot, monkeypatch):  # noqa: F811
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from guidelines_app.core import changes
    from guidelines_app.ui.dialogs import RevisionMessageDialog

    shown, real = threading.Event(), changes.summarize

    def summarize(*args):  # the suggestion is worked out once the dialog has shown
        shown.wait(10)
        return real(*args)

    monkeypatch.setattr(changes, "summarize", summarize)
    window.heavy_features_off = True
    text = window.editor.text().replace("Never share data.", "Never share personal data.")
    window.editor.setPlainText(text)
    seen: list = []

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RevisionMessageDialog):
            QTimer.singleShot(20, answer)
            return
        if not seen:  # shown at once, the suggestion still being worked out
            seen.append(dialog.message.toPlainText())
            shown.set()
        if not dialog.message.toPlainText():
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog.message.toPlainText())
        dialog.accept()

    QTimer.singleShot(0, answer)
    assert window.save_revision_with_message()
    assert seen[0] == "" and seen[-1] == "Edit Privacy"
    qtbot.waitUntil(lambda: not window.saving.running(), timeout=10000)
    assert window.ws.history(window.slug)[0].subject == "Edit Privacy" and not window.is_modified()


def test_details_changed_while_it_saves_are_kept_and_left_to_save(window, qtbot, gate):  # noqa: F811
    window.heavy_features_off = True
    _type_at_end(window, "\nMore words.\n")
    assert window.save_revision(wait=False)
    window.doc.meta["owners"] = ["Ann Lee"]  # as the Details dialog or the Check panel change them
    gate.set()
    qtbot.waitUntil(lambda: not window.saving.running(), timeout=10000)
    assert "More words." in _newest_text(window) and "Ann Lee" not in _newest_text(window)
    assert window.doc.meta["owners"] == ["Ann Lee"] and window.is_modified()  # kept, and not saved yet
    assert window.save_revision()
    assert "Ann Lee" in _newest_text(window) and not window.is_modified()


def test_what_writes_a_revision_waits_for_the_save_in_the_background(window, qtbot, gate):  # noqa: F811
    from PySide6.QtCore import QTimer

    from guidelines_app.review import signoff

    window.heavy_features_off = True
    _type_at_end(window, "\nMore words.\n")
    assert window.save_revision(wait=False)
    QTimer.singleShot(200, gate.set)
    # Asking for a review commits the reviewers: after the save, never under it.
    assert window.features["governance"].request_review_from([signoff.Reviewer("Legal", "Ann Lee")])
    assert not window.saving.running()
    subjects = [r.subject for r in window.ws.history(window.slug)]
    newest = _newest_text(window)
    assert "Ann Lee" in newest and "More words." in newest and len(subjects) >= 4
    assert window.doc.status == "in review"


def _written_meanwhile(monkeypatch, words: str) -> None:
    """Another tool (or a colleague's text coming in) adds *words* to the
    file as a save in the background commits it."""
    real = Workspace.commit_file

    def commit_file(self, slug, *args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            path = self.path(slug)
            path.write_text(path.read_text(encoding="utf-8") + f"\n{words}\n", encoding="utf-8")
        return real(self, slug, *args, **kwargs)

    monkeypatch.setattr(Workspace, "commit_file", commit_file)


def test_an_outside_change_made_while_it_saves_is_shown_after(window, qtbot, monkeypatch):  # noqa: F811
    _written_meanwhile(monkeypatch, "Outside words.")
    window.heavy_features_off = True
    _type_at_end(window, "\nMore words.\n")
    assert window.save_revision()
    # The file is not what the save wrote: the window shows it (no edits of the user's since: reloaded).
    qtbot.waitUntil(lambda: "Outside words." in window.editor.text(), timeout=5000)
    assert "More words." in window.editor.text() and "changed outside" in window.statusBar().currentMessage()


def _modal_dialogs_closed(found: list):
    """Close (and record) any modal dialog that shows, until the returned stop is called."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    timer = QTimer(interval=20)

    def look():
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            found.append(dialog.objectName() or type(dialog).__name__)
            dialog.reject()

    timer.timeout.connect(look)
    timer.start()
    return timer.stop


def test_a_windows_line_ended_document_saved_in_the_background_is_no_outside_change(window, qtbot, gate, author):  # noqa: F811
    slug = window.slug
    crlf = window.ws.path(slug).read_bytes().decode("utf-8").replace("\n", "\r\n")
    window.ws.save_text(slug, crlf, author, "Windows line ends")
    window.reload_document()
    window.heavy_features_off = True
    _type_at_end(window, "\nMore words.\n")
    assert window.save_revision(wait=False)
    _type_at_end(window, "Typed while saving.\n")
    found: list = []
    stop = _modal_dialogs_closed(found)
    gate.set()
    qtbot.waitUntil(lambda: not window.saving.running(), timeout=10000)
    qtbot.wait(300)
    stop()
    assert not found and "Reloaded" not in window.statusBar().currentMessage()
    assert window.is_modified() and "Typed while saving." in window.editor.text()
    on_disk = window.ws.path(slug).read_bytes()
    assert b"More words.\r\n" in on_disk and b"\n" not in on_disk.replace(b"\r\n", b"")  # its line ends kept
    window.editor.document().setModified(False)  # (the fixture's window closes without asking)


def test_no_outside_change_is_looked_at_after_the_save_while_watching_is_off(window, qtbot, monkeypatch):  # noqa: F811
    _written_meanwhile(monkeypatch, "Their words.")
    window.heavy_features_off = True
    window.outside_changes.watch(None)  # as while Team > Sync brings colleagues' work in: announced, never swapped in
    _type_at_end(window, "\nMore words.\n")
    assert window.save_revision()
    qtbot.wait(200)
    assert "Their words." not in window.editor.text()


@pytest.mark.qt_no_exception_capture
def test_whoever_waits_goes_on_when_the_end_of_a_save_goes_wrong(window, qtbot, monkeypatch):  # noqa: F811
    def broken(*_args, **_kwargs):
        raise RuntimeError("a fault after the commit")

    monkeypatch.setattr(window.saving, "after", broken)
    window.heavy_features_off = True
    _type_at_end(window, "\nMore words.\n")
    assert window.save_revision()  # saved (the commit was made), and the wait ended: no hang
    assert not window.saving.running() and "More words." in _newest_text(window)
    window.editor.document().setModified(False)  # (the fixture's window closes without asking)


def test_save_with_message_without_changes_says_so_and_asks_nothing(window, qtbot, monkeypatch):  # noqa: F811
    """The dialog opened and suggested "Tidy formatting" for no change at
    all; after OK the status bar said "No changes to save"."""
    from guidelines_app.ui.dialogs import RevisionMessageDialog

    asked = []
    monkeypatch.setattr(RevisionMessageDialog, "exec", lambda self: asked.append(self) or 0)
    before = len(window.ws.history(window.slug))
    assert not window.save_revision_with_message()
    assert asked == [] and window.statusBar().currentMessage() == "No changes to save"
    assert len(window.ws.history(window.slug)) == before
