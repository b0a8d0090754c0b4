from __future__ import annotations

import docx
import pytest
from export_fixtures import QUIRKY, ROUND_TRIP
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from guidelines_app.core.document import Document
from guidelines_app.core.wording import short_moment
from guidelines_app.publishing.docx import export_docx


@pytest.fixture
def window(qtbot, workspace, settings, author):
    workspace.create_document(Document.parse(QUIRKY), author, slug="policy")
    from guidelines_app.ui.main_window import MainWindow

    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    return w


def _action(menu, text):
    for a in menu.actions():
        if a.text().replace("&", "") == text:
            return a
    raise AssertionError(f"no menu item {text}: {[a.text() for a in menu.actions()]}")


def test_file_menu_has_export_and_import(window):
    file_menu = window.menus["File"]
    export_menu = _action(file_menu, "Export").menu()
    labels = [a.text().replace("&", "") for a in export_menu.actions() if not a.isSeparator()]
    assert labels[:3] == ["Word Document…", "HTML Page…", "PDF…"]
    assert "Saved Revision…" in labels
    assert _action(file_menu, "Import Word Document…").isEnabled()
    texts = [a.text().replace("&", "") for a in file_menu.actions()]
    assert texts.index("Import Word Document…") < texts.index("Quit")


def test_export_word_from_menu_shows_progress_and_writes_file(window, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "from-menu.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.editor.set_text(window.editor.text() + "\n\nAn unsaved closing sentence.\n")
    controller = window.features["export"]
    export_menu = _action(window.menus["File"], "Export").menu()
    with qtbot.waitSignal(controller.export_done, timeout=20000) as blocker:
        _action(export_menu, "Word Document…").trigger()
        assert controller.busy and controller.progress.isVisible()
        assert not _action(export_menu, "Word Document…").isEnabled()  # one export at a time
    assert blocker.args == [str(target)]
    assert target.is_file()
    assert not controller.progress.isVisible() and not controller.busy
    d = docx.Document(str(target))
    assert any(p.text == "An unsaved closing sentence." for p in d.paragraphs)  # the current text
    assert "Exported to" in window.statusBar().currentMessage()


def _close_next_message_box() -> list[str]:
    """Close the next message box once it shows; its text is put in the list returned."""
    seen: list[str] = []

    def close_box():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(50, close_box)

    QTimer.singleShot(50, close_box)
    return seen


def test_export_error_is_a_dialog_and_no_file(window, qtbot, tmp_path, monkeypatch):
    blocker_file = tmp_path / "file"
    blocker_file.write_text("x")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(blocker_file / "x.docx"), ""))
    seen = _close_next_message_box()
    window.features["export"].export_current("docx")
    qtbot.waitUntil(lambda: bool(seen), timeout=20000)
    assert "cannot write" in seen[0]
    assert not window.features["export"].busy


def test_import_word_document_from_menu(window, qtbot, tmp_path, monkeypatch):
    path = export_docx(Document.parse(ROUND_TRIP), tmp_path / "Word Policy.docx")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    with qtbot.waitSignal(window.features["export"].import_done, timeout=20000) as blocker:
        _action(window.menus["File"], "Import Word Document…").trigger()
    slug = blocker.args[0]
    assert window.slug == slug
    assert "## Scope" in window.editor.text()
    assert window.ws.history(slug)[0].subject == "Imported from Word Policy.docx"
    # Named by its title, as the documents list names it (it said "as round-trip-policy").
    assert window.statusBar().currentMessage() == "Imported Word Policy.docx as “Round Trip Policy”"


def _answer_question(button_text: str, seen: dict):
    """Press *button_text* in the next modal question, noting its text."""
    def answer():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen["text"] = box.text() + " " + box.informativeText()
        for button in box.buttons():
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        raise AssertionError(f"no button {button_text}: {[b.text() for b in box.buttons()]}")

    QTimer.singleShot(20, answer)


@pytest.mark.parametrize("choice", ["Write to the Linked File", "Cancel"])
def test_export_onto_a_link_asks_first_and_keeps_the_link(window, qtbot, tmp_path, choice):
    real = tmp_path / "shared" / "policy.docx"
    real.parent.mkdir()
    real.write_bytes(b"an older export")
    link = tmp_path / "latest.docx"
    link.symlink_to(real)
    controller = window.features["export"]
    seen: dict = {}
    _answer_question(choice, seen)
    if choice == "Cancel":
        controller.start_export(_source(window), "docx", link)
        qtbot.waitUntil(lambda: "text" in seen, timeout=5000)
        assert not controller.busy and real.read_bytes() == b"an older export"
    else:
        with qtbot.waitSignal(controller.export_done, timeout=20000):
            controller.start_export(_source(window), "docx", link)
        assert docx.Document(str(real)).paragraphs  # the linked file now holds the export
    assert str(real) in seen["text"]
    assert link.is_symlink() and link.resolve() == real


def _source(window):
    from guidelines_app.publishing.export import source_from_workspace

    return source_from_workspace(window.ws, window.slug)


def test_export_a_saved_revision_reads_the_revisions_on_a_worker(window, qtbot, tmp_path, monkeypatch, author):
    """File > Export > Saved Revision: the revisions and the versions (one
    git read for all of them) are read in the background, then the dialog
    names the published one, and the file is that revision's text."""
    import threading

    from guidelines_app.core.workspace import Workspace
    from guidelines_app.review import history
    from guidelines_app.ui.publishing.feature import RevisionDialog

    ws = window.ws
    pub = history.publish(ws, "policy", "First", "Dana", author, override_reason="test")
    published = ws.history("policy")[0].sha
    ws.save_text("policy", ws.load("policy").to_text() + "\nA later sentence.\n", author, "Later")
    window.reload_document()
    threads, real = [], Workspace.history
    monkeypatch.setattr(Workspace, "history", lambda self, *a: threads.append(threading.current_thread()) or real(self, *a))
    target = tmp_path / "v1.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    labels = []

    def pick():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RevisionDialog):
            QTimer.singleShot(20, pick)
            return
        model = dialog.list.model()
        labels.extend(model.index(n, 0).data() for n in range(model.rowCount()))
        dialog.list.setCurrentIndex(model.index(1, 0))  # the published revision, before "Later"
        dialog.accept()

    QTimer.singleShot(0, pick)
    controller = window.features["export"]
    with qtbot.waitSignal(controller.export_done, timeout=20000):
        _action(_action(window.menus["File"], "Export").menu(), "Saved Revision…").trigger()
    assert threads and all(t is not threading.main_thread() for t in threads)
    # Named as the History panel and the compare window name a revision: version, date, author, message.
    rev = ws.history("policy")[1]
    assert labels[1] == f"v{pub.version} · {short_moment(rev.date)} · {rev.author} · {rev.subject}"
    assert "Later" in labels[0]
    assert ws.history("policy")[1].sha == published
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "A later sentence." not in text and text.strip()


def test_an_import_that_leaves_something_out_says_so(window, qtbot, tmp_path):
    """A comment and the page header went without a word."""
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = "Acme Confidential"
    commented = word.add_paragraph("Check this sentence.")
    word.add_comment(commented.runs[0], text="Please check with Legal", author="Legal", initials="L")
    word.save(tmp_path / "reviewed.docx")
    seen = _close_next_message_box()
    with qtbot.waitSignal(window.features["export"].import_done, timeout=20000):
        window.features["export"].start_import(tmp_path / "reviewed.docx")
    assert seen and "Left out: 1 comment and the page header (“Acme Confidential”)." in seen[0], seen
    assert "Check this sentence." in window.editor.text()
