"""The test run's own guard (tests/dialog_watchdog.py): a test that leaves a
modal dialog waiting for an answer fails, naming the dialog, instead of
hanging the run (a CI run hung 40 minutes on one this round)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

STUCK = '''
from PySide6.QtWidgets import QMessageBox


def test_leaves_a_question_open(qtbot):
    box = QMessageBox(QMessageBox.Icon.Question, "Stuck", "Nobody answers this.")
    box.exec()  # no on_modal: nothing answers it


def test_answers_its_question(qtbot):
    from PySide6.QtCore import QTimer

    box = QMessageBox(QMessageBox.Icon.Question, "Answered", "Yes?")
    QTimer.singleShot(200, box.accept)
    box.exec()
'''


def test_a_dialog_left_waiting_fails_its_test_and_the_run_goes_on(tmp_path):
    (tmp_path / "conftest.py").write_text("from dialog_watchdog import pytest_runtest_call  # noqa: F401\n")
    (tmp_path / "test_stuck.py").write_text(STUCK)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
               GUIDELINES_TEST_DIALOG_LIMIT_S="2", QT_QPA_PLATFORM="offscreen")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "qt_api=pyside6",
                           str(tmp_path)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert time.monotonic() - started < 60
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed, 1 passed" in done.stdout, done.stdout
    assert "a modal dialog waited 2 s for an answer nobody gave, and was closed: QMessageBox 'Stuck': Nobody answers this." \
        in done.stdout, done.stdout
