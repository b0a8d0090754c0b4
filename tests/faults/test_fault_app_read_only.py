"""A read-only workspace folder met in the window: the save-failure dialog
offers each way forward once, and a Word import into it is told as an
import (the document named by its title, the Word file untouched, another
workspace folder to choose), not as the editor's failed save."""

from __future__ import annotations

import docx
import pytest
from app_helpers import BODY, button, on_modal, window_with_typing
from test_fault_save_storage import immutable  # noqa: F401 - the fixture

from guidelines_app.core.document import Document

TYPED = "\n## Where\n\nOnly on approved channels.\n"


def test_the_save_failure_dialog_offers_try_again_once(qtbot, workspace, settings, author, immutable):  # noqa: F811
    """The buttons were "Try Again, Try Again, Show Details…, Save a Copy
    Elsewhere…, Keep Editing": the error's own remedy (try again once the
    folder is writable) and the dialog's."""
    w = window_with_typing(qtbot, workspace, settings, author, TYPED)
    immutable(workspace.root / "guidelines")
    seen, offered, said = [], [], []

    def handle(box):
        offered.extend(b.text() for b in box.buttons())
        said.append(box.text())
        box.grab().save(str(workspace.root.parent / "save-failed.png"))
        button(box, "Keep Editing").click()

    on_modal(handle, seen, "save-failed")
    assert w.save_revision() is False
    assert seen, "no save-failure dialog"
    assert offered.count("Try Again") == 1, offered
    assert {"Save a Copy Elsewhere…", "Keep Editing"} <= set(offered)
    # Named by its title, not its file's name ("cannot save social-media-policy: …"), with what to do.
    assert said[0].startswith(f"“{w.doc.title}” could not be saved: the folder "), said
    assert w.slug not in said[0] and "read-only" in said[0] and "writable and choose Try Again" in said[0], said
    assert w.editor.text() == BODY + TYPED


def _word_file(path, title):
    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, 0)
    document.add_paragraph("Do not share passwords.")
    document.save(str(path))
    return path


@pytest.mark.parametrize("locked", ["guidelines", ".git"])
def test_an_import_into_a_read_only_folder_is_told_as_an_import(qtbot, workspace, settings, author, tmp_path, immutable,  # noqa: F811
                                                                 locked):
    """It said "cannot save social-media-policy-2: … Your text is not lost;
    make it writable and save again, or save a copy elsewhere": the file's
    internal name, and the editor's advice."""
    from guidelines_app.ui.main_window import MainWindow

    workspace.create_document(Document.new("Social media policy", "Acme", body=BODY), author)
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    source = _word_file(tmp_path / "policy.docx", "Social media policy")
    before = source.read_bytes()
    immutable(workspace.root / locked)
    told = []

    def handle(box):
        told.append((box.windowTitle(), box.text(), box.informativeText()))
        box.grab().save(str(tmp_path / f"import-failed-{locked.strip('.')}.png"))
        box.accept()

    on_modal(handle, [], "")
    w.features["export"].start_import(source)
    qtbot.waitUntil(lambda: bool(told), timeout=20000)
    title, message, detail = told[0]
    assert title == "Import failed"
    assert message.startswith("“Social media policy” could not be imported: ") and "is read-only" in message
    assert "social-media-policy-2" not in message + detail and "save again" not in message + detail
    assert detail.startswith("The Word file policy.docx is untouched, and nothing in the workspace was changed.")
    assert "Choose another workspace folder (File > Open Workspace…), or make " in detail and detail.endswith(
        " writable, then import the file again.")
    assert source.read_bytes() == before
    assert [d.slug for d in workspace.documents()] == ["social-media-policy"]


def test_a_vanished_workspace_folder_is_named_in_the_way_forward(tmp_path):
    """"To save it, put it back and choose Try Again": what "it" was, after
    a sentence naming the document, was left to guess."""
    from guidelines_app.core import gitfaults
    from guidelines_app.ui.save_failure import describe

    message, _ = describe(gitfaults.vanished(tmp_path / "gone", "save policy"), "Policy", "policy")
    assert message.startswith("“Policy” could not be saved: the workspace folder ") and "is gone" in message, message
    assert "To save it, put the workspace folder back (or reconnect its drive) and choose Try Again" in message, message
