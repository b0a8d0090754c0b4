"""The fault suite: kills, locks, fills and corrupts real workspaces in
temporary folders and checks that no text is lost.  It runs in the normal
test command; at the end pytest prints how many fault cases it tried."""

from __future__ import annotations

import pytest

_counts = {"passed": 0, "failed": 0, "skipped": 0}


def _is_fault_case(nodeid: str) -> bool:
    return nodeid.replace("\\", "/").startswith("tests/faults/") or "/faults/" in nodeid


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not _is_fault_case(report.nodeid):
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _counts[report.outcome] = _counts.get(report.outcome, 0) + 1


def pytest_terminal_summary(terminalreporter) -> None:
    tried = sum(_counts.values())
    if tried:
        terminalreporter.write_line(
            f"fault suite: {tried} cases tried, {_counts['passed']} held, {_counts['failed']} failed, {_counts['skipped']} skipped")


# ---- fixtures shared by the git and save fault cases --------------------------
# (helpers are handed out as fixtures: tests/faults is not a package)

import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def _git(root: Path, *args: str, check: bool = True) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=check, capture_output=True, text=True).stdout


def _fsck_clean(root: Path) -> bool:
    done = subprocess.run(["git", "-C", str(root), "fsck", "--no-dangling", "--no-progress"],
                          capture_output=True, text=True)
    return done.returncode == 0 and not done.stderr.strip()


def _cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["GUIDELINES_CLI_STRICT"] = "1"  # the CLI's last-resort handler re-raises: no case may reach it
    env.update(extra)
    return env


def _cli(cwd: Path, *args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "guidelines_app.cli", *args], cwd=cwd, env=env or _cli_env(),
                          capture_output=True, text=True, timeout=timeout)
    assert "Traceback" not in done.stderr, done.stderr  # includes: the last-resort handler was not reached
    return done


@pytest.fixture
def git():
    """git(root, *args) -> stdout of a real git command."""
    return _git


@pytest.fixture
def fsck_clean():
    """fsck_clean(root) -> True when 'git fsck --no-dangling' finds nothing."""
    return _fsck_clean


@pytest.fixture
def cli_env():
    """cli_env(**extra) -> the environment a CLI subprocess of this checkout needs."""
    return _cli_env


@pytest.fixture
def cli():
    """cli(cwd, *args, env=None) -> ``guidelines ARGS`` run in a fresh process, as a user would."""
    return _cli


@pytest.fixture
def fault_ws(tmp_path, settings, author):
    """A workspace with one saved document, 'policy' (author from settings)."""
    from guidelines_app.core.document import Document
    from guidelines_app.core.workspace import Workspace

    ws = Workspace.create(tmp_path / "ws")
    ws.create_document(Document.new("Policy", "Acme"), author, slug="policy")
    yield ws
    ws.close()
