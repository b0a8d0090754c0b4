"""The app is killed (SIGKILL) while it holds typed text, in an existing and
in a just-created, never-saved document; the next launch offers the text and
Restore puts exactly that text back in the editor."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
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


def _type_and_kill(root: Path, slug: str, *extra: str) -> str:
    with subprocess.Popen([sys.executable, str(HERE / "app_typist.py"), str(root), slug, TYPED, *extra],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy()) as proc:
        try:
            line = proc.stdout.readline()
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
