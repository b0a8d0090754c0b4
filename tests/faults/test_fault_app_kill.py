"""The app is killed (SIGKILL) while it holds typed text, in an existing and
in a just-created, never-saved document; the next launch offers the text and
Restore puts exactly that text back in the editor."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from app_helpers import button, fsck, on_modal

from guidelines_app.core.document import Document
from guidelines_app.core.recovery import RecoveryArea
from guidelines_app.core.workspace import Workspace
from guidelines_app.ui.main_window import MainWindow

HERE = Path(__file__).parent
BODY = "# Social media guidelines\n\n## Who\n\nEveryone who posts.\n"
TYPED = "\n## Where\n\nOnly on channels the team approved, mid-sent"

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")


def _type_and_kill(root: Path, slug: str, *extra: str, after_saving_s: float | None = None) -> str:
    """Type TYPED in the app, kill it once the recovery copy is written (or,
    with *after_saving_s*, that long after a save in the background began)."""
    more = ("--save-in-background",) if after_saving_s is not None else ()
    with subprocess.Popen([sys.executable, str(HERE / "app_typist.py"), str(root), slug, TYPED, *extra, *more],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy()) as proc:
        try:
            line = proc.stdout.readline()
            if more and line.startswith("ready"):
                assert proc.stdout.readline().startswith("saving")
                time.sleep(after_saving_s)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        errors = proc.stderr.read()
    assert line.startswith("ready"), line + errors
    assert proc.returncode == -signal.SIGKILL
    return line.split()[1]


def _relaunch_and_restore(qtbot, root: Path, settings, slug: str) -> MainWindow:
    seen = []
    on_modal(lambda dialog: button(dialog, "Restore").click(), seen, "recovery-dialog")
    window = MainWindow(Workspace.open(root), settings)
    qtbot.addWidget(window, before_close_func=lambda w: w.editor.document().setModified(False))
    window.show()
    qtbot.waitUntil(lambda: bool(seen) and window.is_modified(), timeout=5000)
    assert "mid-sent" in seen[0].findChild(object, "recovery-diff").toPlainText()
    return window


def test_killed_while_typing_in_a_saved_document(qtbot, workspace, settings, author):
    slug, _ = workspace.create_document(Document.new("Social media guidelines", "Acme", body=BODY), author)
    _type_and_kill(workspace.root, slug)
    assert workspace.load(slug).body == BODY  # the kill left the document as saved
    window = _relaunch_and_restore(qtbot, workspace.root, settings, slug)
    assert window.slug == slug
    assert window.editor.text() == BODY + TYPED
    assert window.isWindowModified()
    assert window.save_revision()
    assert workspace.load(slug).body == BODY + TYPED
    assert RecoveryArea(workspace.root).list() == []  # saved: the copy is gone
    fsck(workspace.root)


def test_killed_while_typing_in_a_new_never_saved_document(qtbot, workspace, settings, author):
    slug = _type_and_kill(workspace.root, "", "--new", "Crisis playbook")
    assert slug == "crisis-playbook"
    window = _relaunch_and_restore(qtbot, workspace.root, settings, slug)
    assert window.slug == slug
    assert window.editor.text() == "# Crisis playbook\n\n" + TYPED
    fsck(workspace.root)


@pytest.mark.parametrize("after_saving_s", [0.0, 0.02, 0.05, 0.1, 0.3])
def test_killed_while_a_very_large_document_saves_in_the_background(qtbot, workspace, settings, author, after_saving_s):
    """Wherever the kill lands in the save on a worker, the typed text is in
    the newest revision, or on disk (offered as a revision of its own), or
    offered for recovery; git's store stays whole."""
    from app_helpers import log

    slug, _ = workspace.create_document(Document.new("Social media guidelines", "Acme", body=BODY), author)
    _type_and_kill(workspace.root, slug, after_saving_s=after_saving_s)
    fsck(workspace.root)
    saved = TYPED in Workspace.open(workspace.root).committed_text(slug)
    on_disk = TYPED in workspace.path(slug).read_text(encoding="utf-8")
    seen = []
    stop = on_modal(lambda dialog: button(dialog, "Restore").click(), seen, "recovery-dialog")
    window = MainWindow(Workspace.open(workspace.root), settings)
    qtbot.addWidget(window, before_close_func=lambda w: w.editor.document().setModified(False))
    window.show()
    if saved:  # the save was done: the copy it left is the saved text, dropped without a question
        qtbot.waitUntil(lambda: RecoveryArea(workspace.root).list() == [], timeout=5000)
        qtbot.wait(100)
        assert not seen and not window.is_modified()
        assert log(workspace.root, workspace.relpath(slug))[0] == "Add Where"  # its default message
    elif on_disk:  # written, not committed: the next start offers it as a revision of its own
        qtbot.waitUntil(lambda: window.safekeeping.uncommitted == [slug], timeout=5000)
    else:  # killed before the file was written: the recovery copy is offered
        qtbot.waitUntil(lambda: bool(seen) and window.is_modified(), timeout=5000)
    stop()
    assert TYPED in window.editor.text()
