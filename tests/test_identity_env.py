"""git's conventions for who a revision is by: GIT_AUTHOR_* and
GIT_COMMITTER_* in the environment win over the app's settings and git
config, in the CLI and in the window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from guidelines_app.core import identity
from guidelines_app.core.document import Document
from guidelines_app.core.errors import IdentityMissing
from guidelines_app.core.settings import Settings
from guidelines_app.core.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
ENV_AUTHOR = {"GIT_AUTHOR_NAME": "Env Author", "GIT_AUTHOR_EMAIL": "env.author@example.org"}
ENV_COMMITTER = {"GIT_COMMITTER_NAME": "Env Committer", "GIT_COMMITTER_EMAIL": "env.committer@example.org"}


def last_commit(root: Path) -> list[str]:
    out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%an%n%ae%n%cn%n%ce"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()


def test_each_environment_part_replaces_its_own_part_only():
    env = {"GIT_AUTHOR_EMAIL": "e@example.org"}
    assert identity.author_from_environment("Name", "n@example.org", env) == ("Name", "e@example.org")
    assert identity.author_from_environment("Name", "n@example.org", {}) == ("Name", "n@example.org")
    committer = identity.commit_environment("A", "a@example.org", ENV_COMMITTER)
    assert committer["GIT_AUTHOR_NAME"] == "A" and committer["GIT_COMMITTER_NAME"] == "Env Committer"
    assert identity.commit_environment("A", "a@example.org", {})["GIT_COMMITTER_EMAIL"] == "a@example.org"


def test_environment_wins_over_settings_and_git_config(workspace, settings, monkeypatch):
    subprocess.run(["git", "-C", str(workspace.root), "config", "user.name", "Config Person"], check=True)
    subprocess.run(["git", "-C", str(workspace.root), "config", "user.email", "config@example.org"], check=True)
    assert workspace.identity(settings).name == "Test Author"  # settings over git config
    assert workspace.identity(Settings()).name == "Config Person"
    for key, value in ENV_AUTHOR.items():
        monkeypatch.setenv(key, value)
    assert str(workspace.identity(settings)) == "Env Author <env.author@example.org>"
    assert str(workspace.identity(Settings())) == "Env Author <env.author@example.org>"


def test_environment_alone_is_enough(tmp_path, config_dir, monkeypatch):
    ws = Workspace.create(tmp_path / "ws")
    try:
        with pytest.raises(IdentityMissing):
            ws.identity(Settings())
        for key, value in ENV_AUTHOR.items():
            monkeypatch.setenv(key, value)
        assert ws.identity(Settings()).email == "env.author@example.org"
    finally:
        ws.close()


def test_cli_save_takes_author_and_committer_from_the_environment(tmp_path, settings):
    folder = tmp_path / "cli-ws"
    folder.mkdir()
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))

    def run(*args, extra=None):
        return subprocess.run([sys.executable, "-m", "guidelines_app.cli", *args], cwd=folder, env={**env, **(extra or {})},
                              capture_output=True, text=True, timeout=60)

    assert run("init").returncode == 0
    assert run("new", "--title", "Policy").returncode == 0
    assert last_commit(folder) == ["Test Author", "author@example.org", "Test Author", "author@example.org"]
    path = folder / "guidelines" / "policy.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA new rule.\n", encoding="utf-8")
    saved = run("save", "policy", "-m", "Env save", extra={**ENV_AUTHOR, **ENV_COMMITTER})
    assert saved.returncode == 0, saved.stderr
    assert last_commit(folder) == ["Env Author", "env.author@example.org", "Env Committer", "env.committer@example.org"]


def test_window_saves_under_the_environment_author(qtbot, workspace, settings, author, monkeypatch):
    from guidelines_app.ui.main_window import MainWindow

    workspace.create_document(Document.new("Policy", "Acme", body="# Policy\n\nText.\n"), author)
    window = MainWindow(workspace, settings)
    qtbot.addWidget(window)
    for key, value in ENV_AUTHOR.items():
        monkeypatch.setenv(key, value)
    window.editor.setPlainText("# Policy\n\nText, changed.\n")
    assert window.save_revision("Changed in the window")
    assert last_commit(workspace.root) == ["Env Author", "env.author@example.org", "Env Author", "env.author@example.org"]


def test_preferences_say_when_the_environment_decides(qtbot, workspace, settings, monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    from guidelines_app.ui.dialogs import IdentityDialog
    from guidelines_app.ui.main_window import MainWindow

    window = MainWindow(workspace, settings)
    qtbot.addWidget(window)
    notes = []

    def look_and_cancel():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, IdentityDialog):
            QTimer.singleShot(20, look_and_cancel)
            return
        label = dialog.findChild(QLabel, "identity-environment-note")
        notes.append(label.text() if label is not None else None)
        dialog.reject()

    QTimer.singleShot(20, look_and_cancel)
    window.edit_preferences()
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "env.author@example.org")
    QTimer.singleShot(20, look_and_cancel)
    window.edit_preferences()
    assert notes[0] is None
    assert "GIT_AUTHOR_EMAIL set in the environment" in notes[1]
