"""The publish dialog's checks in the real window (pytest-qt): the list of
open markers with a jump to each, the reason field, the version labels."""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from guidelines_app.core.document import Document
from guidelines_app.review import history

BODY = ("# Policy\n\n## Response time\n\nWe answer within [to be decided: response time].\n\n"
        "## Channels\n\nWe post on [to be decided: channels].\n")


@pytest.fixture
def window(qtbot, workspace, settings, author):
    workspace.create_document(Document.new("Policy", body=BODY), author)
    from guidelines_app.ui.main_window import MainWindow

    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    return w


def _run_dialog(window, fill):
    seen = {}

    def step(left=400):  # the dialog opens once the checks, worked out on a worker, are in
        d = QApplication.activeModalWidget()
        if d is None or d.objectName() != "publish-dialog":
            if left:
                QTimer.singleShot(25, lambda: step(left - 1))
            return
        seen["d"] = d
        try:
            fill(d)
        except BaseException as exc:  # noqa: BLE001 - reported after the dialog is closed
            seen["error"] = exc
            d.reject()

    QTimer.singleShot(0, step)
    window.features["history"].publish_dialog()
    if "error" in seen:
        raise seen["error"]
    return seen["d"]


def test_first_publish_offers_two_different_numbers(window):
    def fill(d):
        assert "(version 0.1)" in d.minor.text() and "(version 1.0)" in d.major.text()
        assert d.major.isChecked()  # the usual first step
        d.reject()

    d = _run_dialog(window, fill)
    assert str(d.minor_version) == str(history.next_version(window.ws, window.slug, "minor"))


def test_markers_are_listed_and_jump_to_the_editor(window, workspace):
    text = workspace.load(window.slug).body.split("\n")  # the editor shows the body
    channels = next(n for n, line in enumerate(text) if "[to be decided: channels]" in line)

    def fill(d):
        assert d.checks_box.isVisible() and d.reason.isVisible()
        items = [d.problem_list.item(n).text() for n in range(d.problem_list.count())]
        # Where each is, by its section: the editor shows no line numbers.
        assert items == ["[to be decided: response time] — in “Response time”",
                         "[to be decided: channels] — in “Channels”"]
        d.summary.setPlainText("First")
        d.approver.setText("Dana")
        d.buttons.accepted.emit()  # no reason: refused
        assert d.error.isVisible() and "reason" in d.error.text()
        d.status.setCurrentIndex(d.status.findData("in review"))  # the checks hidden: their complaint goes too
        assert not d.error.isVisible() and d.buttons.button(d.buttons.StandardButton.Ok).text() == "Set to In review"
        d.status.setCurrentIndex(d.status.findData("approved"))
        d.problem_list.setCurrentRow(1)
        d.go_button.click()

    d = _run_dialog(window, fill)
    assert d.jump_line == channels and window.editor.current_line() == channels
    assert history.publications(workspace, window.slug) == []


def _publish_anyway(d):
    """Fill the dialog and publish over the checks' objections, with a reason."""
    d.summary.setPlainText("First")
    d.approver.setText("Dana")
    d.reason.setText("Approved with open points by the board")
    d.buttons.accepted.emit()


def test_reason_overrides_and_is_recorded_in_the_tag(window, workspace):
    _run_dialog(window, _publish_anyway)
    [pub] = history.publications(workspace, window.slug)
    assert str(pub.version) == "1.0" and pub.override == "Approved with open points by the board"
    tag = subprocess.run(["git", "-C", str(workspace.root), "tag", "-n9", "-l", pub.tag],
                         capture_output=True, text=True, check=True).stdout
    assert "Override: Approved with open points by the board" in tag
    assert "checks overridden" in window.statusBar().currentMessage()


def test_unchanged_text_is_listed(window, workspace, author):
    text = workspace.load(window.slug).to_text().replace("[to be decided: response time]", "a day")
    workspace.save_text(window.slug, text.replace("[to be decided: channels]", "two channels"), author, "Decided")
    history.publish(workspace, window.slug, "First", "Dana", author)
    window.reload_document()

    def fill(d):
        assert [d.problem_list.item(n).text() for n in range(d.problem_list.count())] == ["nothing changed since version 1.0"]
        assert not d.go_button.isVisible()
        assert "(version 1.1)" in d.minor.text() and "(version 2.0)" in d.major.text()
        d.reject()

    _run_dialog(window, fill)


def test_the_policy_is_checked_once_on_a_worker_to_publish(window, workspace, monkeypatch):
    """The checks are worked out on a worker before the dialog opens (they
    held the window seconds for a long policy, twice: for the dialog and
    again to publish); publishing the same text uses that answer."""
    import threading

    from guidelines_app.review import check
    from guidelines_app.review.check import engine

    threads, real = [], engine.check_text
    monkeypatch.setattr(check, "check_text", lambda *a, **k: threads.append(threading.current_thread()) or real(*a, **k))
    _run_dialog(window, _publish_anyway)
    assert [str(p.version) for p in history.publications(workspace, window.slug)] == ["1.0"]
    assert len(threads) == 1 and threads[0] is not threading.main_thread()
