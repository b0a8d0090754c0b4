"""Behaving like a desktop app: a .md path on the command line opens its
workspace and document, the app and the CLI log to rotating files in the log
folder, Help > Show Log Folder, and the launcher files of the install step."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guidelines_app.core import logs
from guidelines_app.core.document import Document
from guidelines_app.core.workspace import Workspace
from guidelines_app.ui import desktop_entry
from guidelines_app.ui.app import create_window, document_target

REPO = Path(__file__).resolve().parent.parent


def test_a_document_name_a_path_and_a_stray_file(workspace, author, tmp_path):
    slug, _ = workspace.create_document(Document.new("Crisis playbook", "Acme"), author)
    path = workspace.path(slug)
    assert document_target(str(path)) == (workspace.root.resolve(), slug, "")
    assert document_target("crisis-playbook") == (None, "crisis-playbook", "")
    stray = tmp_path / "notes.md"
    stray.write_text("# Notes\n", encoding="utf-8")
    folder, name, note = document_target(str(stray))
    assert folder is None and name is None and "not a document" in note and str(stray) in note
    assert document_target(None) == (None, None, "")


def test_guidelines_app_path_opens_that_workspace_and_document(qtbot, tmp_path, settings, author):
    other = Workspace.create(tmp_path / "other-ws")
    other.create_document(Document.new("First", "Acme", body="# First\n\nOne.\n"), author)
    slug, _ = other.create_document(Document.new("Second", "Acme", body="# Second\n\nTwo.\n"), author)
    path = other.path(slug)
    other.close()
    window = create_window([str(path)])
    qtbot.addWidget(window)
    assert window.ws.root.resolve() == (tmp_path / "other-ws").resolve()
    assert window.slug == "second" and "Two." in window.editor.text()


def test_app_log_rotates_and_reports_land_in_it(tmp_path, monkeypatch):
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(tmp_path / "logs"))
    monkeypatch.setattr(logs, "LOG_BYTES", 2000)
    try:
        path = logs.setup("app")
        assert path == tmp_path / "logs" / logs.APP_LOG
        for n in range(100):
            logs.logger("app").info("line %d of a long session", n)
        assert logs.write_report("=== the report") == path
        assert "=== the report" in path.read_text(encoding="utf-8")
        backups = sorted(p.name for p in (tmp_path / "logs").iterdir())
        assert f"{logs.APP_LOG}.1" in backups and len(backups) <= 1 + logs.BACKUPS
        assert path.stat().st_size <= 2000 + 200
    finally:
        logs.close()
    assert not any(isinstance(h, logging.FileHandler) for h in logs.logger().handlers)


def test_the_cli_logs_what_ran_and_what_failed(tmp_path, settings):
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               GUIDELINES_LOG_DIR=str(tmp_path / "logs"))
    subprocess.run([sys.executable, "-m", "guidelines_app.cli", "init"], cwd=tmp_path, env=env, capture_output=True,
                   timeout=60, check=True)
    failed = subprocess.run([sys.executable, "-m", "guidelines_app.cli", "show", "no-such-document"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=60)
    assert failed.returncode == 2
    logged = (tmp_path / "logs" / logs.CLI_LOG).read_text(encoding="utf-8")
    assert "guidelines init" in logged and "guidelines show" in logged and "no-such-document" in logged


def test_help_menu_shows_the_log_folder(qtbot, workspace, settings, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from guidelines_app.ui.main_window import MainWindow

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    window = MainWindow(workspace, settings)
    qtbot.addWidget(window)
    action = next(a for a in window.menus["Help"].actions() if a.text().replace("&", "") == "Show Log Folder")
    action.trigger()
    assert opened == [os.environ[logs.LOG_DIR_ENV]]


def test_launcher_quotes_its_command_and_offers_markdown_only_when_asked(tmp_path):
    plain = desktop_entry.desktop_file_text(["/opt/Guideline Studio/guidelines-app"])
    assert 'Exec="/opt/Guideline Studio/guidelines-app" %f' in plain and "MimeType" not in plain
    assert "Icon=org.guidelinestudio.GuidelineStudio" in plain
    offered = desktop_entry.desktop_file_text(["/usr/bin/guidelines-app"], associate_md=True)
    assert offered.rstrip().endswith("MimeType=text/markdown;")
    written = desktop_entry.install(["/usr/bin/guidelines-app"], home=tmp_path)
    assert (tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "org.guidelinestudio.GuidelineStudio.svg") in written
    assert all(p.is_file() for p in written)


def test_the_app_logs_saves_and_the_errors_it_shows(qtbot, workspace, settings, author, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from guidelines_app.ui.dialogs import show_error

    slug, _ = workspace.create_document(Document.new("Policy", "Acme", body="# Policy\n\nText.\n"), author)
    root = workspace.root
    workspace.close()
    path = logs.setup("app")
    try:
        window = create_window(["--workspace", str(root), slug])
        qtbot.addWidget(window)
        window.editor.setPlainText("# Policy\n\nText, changed.\n")
        assert window.save_revision("Changed")
        monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
        show_error(window, "Cannot export", "The disk is full.", technical="OSError: [Errno 28]")
        logged = path.read_text(encoding="utf-8")
    finally:
        logs.close()
    assert f"saved {slug} as revision" in logged
    assert "Cannot export: The disk is full." in logged and "Errno 28" in logged


def test_the_installed_appstream_metadata_validates(tmp_path):
    tool = shutil.which("appstreamcli")
    if tool is None:
        pytest.skip("appstreamcli (AppStream's validator) is not installed")
    desktop_entry.install(["/usr/bin/guidelines-app"], home=tmp_path)
    meta = tmp_path / "metainfo" / f"{desktop_entry.APP_ID}.metainfo.xml"
    assert "@VERSION@" not in meta.read_text(encoding="utf-8")
    done = subprocess.run([tool, "validate", "--no-net", str(meta)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_app_gives_the_ui_thread_the_interpreter_back_quickly(tmp_path):
    """A worker running Python (the features' imports, the preview) hands the
    interpreter back within SWITCH_INTERVAL_S, not Python's 5 ms: every event
    the window handles in Python waits for it."""
    code = ("import sys; from guidelines_app.ui.app import SWITCH_INTERVAL_S, _prepare_application; "
            "before = sys.getswitchinterval(); _prepare_application(); "
            "print(before, sys.getswitchinterval(), SWITCH_INTERVAL_S)")
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen", GUIDELINES_CONFIG_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True)
    before, after, wanted = (float(x) for x in done.stdout.split())
    assert before == 0.005 and after == wanted <= 0.001


def test_the_app_says_when_its_settings_cannot_be_read(qtbot, workspace, config_dir, author, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    slug, _ = workspace.create_document(Document.new("Policy", "Acme", body="# Policy\n\nText.\n"), author)
    (config_dir / "settings.json").write_text('{"appearance": "dark",', encoding="utf-8")
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append((self.windowTitle(), self.text(), self.informativeText())) or 0)
    window = create_window(["--workspace", str(workspace.root), slug])
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    title, text, advice = shown[0]
    assert title == "Your settings cannot be read" and text.startswith("The settings file ") and "cannot be read (line 1" in text
    assert "settings.json.unreadable" in advice
    assert (config_dir / "settings.json").read_text(encoding="utf-8") == '{"appearance": "dark",'
