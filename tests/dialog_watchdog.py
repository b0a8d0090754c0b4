"""A pytest hook (conftest.py imports it): a test that leaves a modal
dialog waiting for an answer fails, naming the dialog, instead of hanging
the run until CI's own time limit.

While a test runs with a QApplication, a timer looks at the active modal
widget every second; one that stays open for ``LIMIT_S`` (the environment's
GUIDELINES_TEST_DIALOG_LIMIT_S, else 60 s: far past any test's own wait for
a dialog it expects) is closed, and the test fails with its title and text.
Tests that answer dialogs do it within a second or two (``on_modal``).
"""

from __future__ import annotations

import os
import sys
import time

import pytest

LIMIT_S = float(os.environ.get("GUIDELINES_TEST_DIALOG_LIMIT_S", "60"))


def on_modal(kind, answer, every_ms: int = 20, tries: int = 500) -> None:
    """Call *answer(dialog)* once the active modal widget is a *kind*,
    looked for every *every_ms* from the next event-loop turn on (a dialog
    may open only after work on a worker, ``jobs.wait_for``)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def look(left: int) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            answer(dialog)
        elif left:
            QTimer.singleShot(every_ms, lambda: look(left - 1))

    QTimer.singleShot(0, lambda: look(tries))


def _describe(widget) -> str:
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    return f"{type(widget).__name__} {widget.windowTitle()!r}" + (f": {text}" if text else "")


class _Watch:
    """The timer and what it closed."""

    def __init__(self, app):
        from PySide6.QtCore import QTimer

        self.closed: list[str] = []
        self._widget, self._since = None, 0.0
        self.timer = QTimer()
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._look)
        self.timer.start()
        self._app = app

    def _look(self) -> None:
        widget = self._app.activeModalWidget()
        if widget is not self._widget:
            self._widget, self._since = widget, time.monotonic()
            return
        if widget is not None and time.monotonic() - self._since >= LIMIT_S:
            self.closed.append(_describe(widget))
            self._widget = None
            if hasattr(widget, "reject"):
                widget.reject()  # its exec() returns: the test goes on, and fails below
            else:
                widget.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    app = None
    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
    watch = _Watch(app) if app is not None else None
    try:
        return (yield)
    finally:
        if watch is not None:
            watch.timer.stop()
            if watch.closed:  # (named even when the test failed on its own after the dialog closed)
                pytest.fail(f"a modal dialog waited {LIMIT_S:g} s for an answer nobody gave, and was closed: "
                            + "; ".join(watch.closed), pytrace=False)
