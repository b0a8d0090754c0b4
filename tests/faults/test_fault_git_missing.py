"""No git on this computer: opening or creating a workspace says what to
install, in one line, with no traceback (the core and the CLI)."""

from __future__ import annotations

import sys

import pytest


@pytest.fixture
def no_git_env(tmp_path, cli_env):
    """A PATH holding only python3: git cannot be found."""
    bin_dir = tmp_path / "bin-without-git"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(sys.executable)
    env = cli_env(PATH=str(bin_dir))
    env.pop("GIT_PYTHON_GIT_EXECUTABLE", None)
    env.pop("GIT_PYTHON_REFRESH", None)  # as on a user's computer: the app must cope on its own
    return env


@pytest.mark.parametrize("command", [["list"], ["init"], ["history", "policy"]])
def test_cli_without_git_says_what_to_install(fault_ws, cli, no_git_env, command):
    fault_ws.close()
    done = cli(fault_ws.root, *command, env=no_git_env)
    assert done.returncode == 2 and done.stdout == "", done
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in done.stderr
    assert errors[0].startswith("error: git is not installed")
    assert "install git (https://git-scm.com; on Debian/Ubuntu: sudo apt install git)" in errors[0]
    assert all(line.startswith(("error:", "hint:")) for line in done.stderr.splitlines())


def test_core_without_git_raises_git_not_installed(fault_ws, tmp_path, monkeypatch):
    from guidelines_app.core.errors import GitNotInstalled
    from guidelines_app.core.workspace import Workspace

    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(GitNotInstalled, match="sudo apt install git"):
        Workspace.open(fault_ws.root)
    with pytest.raises(GitNotInstalled):
        Workspace.create(tmp_path / "another")
    assert not (tmp_path / "another").exists()
