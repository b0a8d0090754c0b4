"""Starting the app without git on PATH: a clear message naming what to
install (the dialog closes itself for the test), no traceback on stderr,
exit status 1, the details in the log file."""

from __future__ import annotations

import os
import subprocess
import sys


def test_git_missing_at_start_is_explained_without_a_traceback(tmp_path):
    empty_bin = tmp_path / "bin-without-git"
    empty_bin.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "GIT_PYTHON_GIT_EXECUTABLE"}
    env.update(PATH=str(empty_bin), GUIDELINES_AUTOCLOSE_DIALOGS_MS="100", GUIDELINES_LOG_DIR=str(tmp_path / "logs"),
               PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    env.pop("GIT_PYTHON_REFRESH", None)
    done = subprocess.run([sys.executable, "-m", "guidelines_app", "--workspace", str(tmp_path / "ws")],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "git is not installed" in done.stderr and "Install git" in done.stderr
    assert "GitCommandNotFound" in (tmp_path / "logs" / "guideline-studio.log").read_text(encoding="utf-8") \
        or "GitNotInstalled" in (tmp_path / "logs" / "guideline-studio.log").read_text(encoding="utf-8")
