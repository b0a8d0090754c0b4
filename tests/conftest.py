"""Test configuration: no display needed, and nothing outside tmp is touched.

Qt runs on the offscreen platform; the app's settings, Qt's QSettings and
git's global configuration all point into a temporary folder, so tests never
read or change the developer's own files and identity."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_SANDBOX = Path(tempfile.mkdtemp(prefix="guidelines-tests-"))
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["HOME"] = str(_SANDBOX / "home")
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "config")
os.environ["GUIDELINES_CONFIG_DIR"] = str(_SANDBOX / "app-config")
os.environ["GIT_CONFIG_NOSYSTEM"] = "1"
os.environ["GIT_CONFIG_GLOBAL"] = str(_SANDBOX / "home" / ".gitconfig")
os.environ.pop("GUIDELINES_WORKSPACE", None)
# Every write of the editing surface around its changes is checked against a walk of the whole document.
os.environ["GUIDELINES_CHECK_WRITES"] = "1"
for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
    os.environ.pop(var, None)
(_SANDBOX / "home").mkdir(parents=True, exist_ok=True)

from dialog_watchdog import pytest_runtest_call  # noqa: E402, F401 - the hook: a dialog left waiting fails the test

from guidelines_app.core.gitstore import Identity  # noqa: E402
from guidelines_app.core.settings import Settings  # noqa: E402
from guidelines_app.core.workspace import Workspace  # noqa: E402

AUTHOR = Identity("Test Author", "author@example.org")


@pytest.fixture
def config_dir(tmp_path, monkeypatch) -> Path:
    """A fresh, empty settings folder for this test."""
    folder = tmp_path / "config"
    monkeypatch.setenv("GUIDELINES_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def settings(config_dir) -> Settings:
    """Settings with an author identity, saved where the app and CLI look."""
    s = Settings(author_name=AUTHOR.name, author_email=AUTHOR.email)
    s.save()
    return s


@pytest.fixture
def workspace(tmp_path, settings):
    """A new, empty workspace in a temporary folder."""
    ws = Workspace.create(tmp_path / "ws")
    yield ws
    ws.close()


@pytest.fixture
def author() -> Identity:
    return AUTHOR


@pytest.fixture(autouse=True)
def _own_recovery_and_log_folders(tmp_path_factory, monkeypatch):
    """Every test gets its own recovery area and log folder (never the user's)."""
    folder = tmp_path_factory.mktemp("app-data")
    monkeypatch.setenv("GUIDELINES_RECOVERY_DIR", str(folder / "recovery"))
    monkeypatch.setenv("GUIDELINES_LOG_DIR", str(folder / "logs"))


@pytest.fixture(autouse=True)
def _no_key_held_after_a_test():
    """A key click with Ctrl (qtbot.keyClick(..., ControlModifier)) leaves Qt
    believing Ctrl is still held until the next key event: a later test's
    ``selectRow`` then toggled the row off (Ctrl+click) and failed, or not,
    with the order the tests ran in.  A key released with no modifier after
    each test lets the next one start with none held."""
    yield
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    if QApplication.instance() is None or QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier:
        return
    target = QWidget()
    QTest.keyRelease(target, Qt.Key.Key_Control)  # (an event sent by hand leaves Qt's idea of the keys as it was)
    target.deleteLater()


@pytest.fixture(autouse=True)
def _window_arrangement_forgotten():
    """The window's arrangement (ui/view_state: its size, the split, the
    panes shown) is kept in QSettings when a window closes: forgotten after
    each test, so that a test that hides the preview hides it for no other."""
    yield
    import sys

    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QSettings

        QSettings().remove("window")


@pytest.fixture(autouse=True)
def _garbage_collected_on_the_main_thread():
    """Once a window has moved garbage collection to the UI thread (see
    guidelines_app/ui/gc_guard.py), collect what a test left behind here, on
    the main thread, before the next test starts its worker threads."""
    yield
    import gc
    import sys

    guard = sys.modules.get("guidelines_app.ui.gc_guard")
    if guard is not None and guard._installed is not None:
        gc.collect(1)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item):
    """Before pytest-qt closes the windows a test gave it (its own teardown
    hook, which runs before any fixture's), a document left unsaved (a test
    that failed half-way) is discarded without asking: the question would
    wait for an answer nobody gives, and the run would hang instead of
    failing."""
    import sys

    dialogs = None
    if "guidelines_app.ui.main_window" in sys.modules:
        from PySide6.QtWidgets import QMessageBox

        from guidelines_app.ui import dialogs

        asked = dialogs.ask_unsaved
        dialogs.ask_unsaved = lambda *_args: QMessageBox.StandardButton.Discard
    try:
        return (yield)
    finally:
        if dialogs is not None:
            dialogs.ask_unsaved = asked
