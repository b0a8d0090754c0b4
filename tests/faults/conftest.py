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
