"""No text document is made off the UI thread.

PySide keeps the interpreter lock through every Qt call: a worker making or
laying out a QTextDocument holds it while taking Qt's own locks, and the UI
thread, deleting an object (which asks Python about it) while holding one of
those locks, then waits for the worker as the worker waits for it.  The
tests once hung so (a worker in ``QTextDocument.size`` against a window
being deleted).  Workers hand over HTML; the UI thread makes the documents:
the preview's, the compare window's views (first sections and whole pages)
and an old revision's formatted page (a preview pane's)."""

from __future__ import annotations

import sys
import threading

from guidelines_app.core.document import Document
from guidelines_app.ui.main_window import MainWindow
from guidelines_app.ui.review import compare_pages


def _recording(base, made: list):
    class Recorded(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            maker = sys._getframe(1).f_globals["__name__"]  # the module whose code made it
            made.append((maker, threading.current_thread() is threading.main_thread()))

    return Recorded


def test_text_documents_are_made_on_the_ui_thread(qtbot, workspace, settings, author, monkeypatch):
    from guidelines_app.ui import preview

    made: list[tuple[str, bool]] = []
    monkeypatch.setattr(preview, "SafeTextDocument", _recording(preview.SafeTextDocument, made))
    monkeypatch.setattr(compare_pages, "QTextDocument", _recording(compare_pages.QTextDocument, made))
    body = "".join(f"## Part {n}\n\nRule {n} applies to every post.\n\n" for n in range(1, 60))
    slug, _ = workspace.create_document(Document.new("Policy", body=body), author)
    text = workspace.load(slug).to_text()
    workspace.save_text(slug, text.replace("Rule 1 applies", "Rule 1 always applies"), author, "Always")
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: "Rule 1 always applies" in w.preview.toPlainText(), timeout=10000)
    feature = w.features["history"]
    cw = feature.open_compare("HEAD~1", "HEAD")
    qtbot.waitUntil(lambda: len(cw.pages.full) == len(compare_pages.ALL_SIDES), timeout=20000)
    assert "Part 59" in cw.inline_view.toPlainText()  # the whole pages, from the worker's HTML
    pages = sum(maker == preview.__name__ for maker, _ui in made)
    view = feature.view_revision(workspace.history(slug)[-1].sha)
    with qtbot.waitSignal(view.formatted, timeout=10000):
        pass
    assert "Rule 1 applies" in view.rendered.toPlainText()
    assert sum(maker == preview.__name__ for maker, _ui in made) > pages  # the old revision's page: a preview pane's
    view.close()
    makers = {maker for maker, _ui in made}
    assert {preview.__name__, compare_pages.__name__} <= makers  # each made its own
    assert [entry for entry in made if not entry[1]] == []  # none made on a worker


def test_wait_for_runs_the_work_on_a_worker_while_the_window_turns(qtbot):
    """``jobs.wait_for``: the result of work done on a worker, the event
    loop turning meanwhile (a timer fires), a progress dialog with Cancel
    after a moment, and a failure raised in plain words."""
    import pytest
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

    from guidelines_app.core.errors import GuidelinesError
    from guidelines_app.ui import jobs

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    turned, gate = [], threading.Event()
    QTimer.singleShot(20, lambda: (turned.append(True), gate.set()))

    def work():
        gate.wait(10)  # until the window has turned
        return threading.current_thread()

    assert jobs.wait_for(parent, work, "Reading…", "Test") is not threading.main_thread() and turned

    seen, release = [], threading.Event()

    def cancel(left=400):
        box = QApplication.activeModalWidget()
        if isinstance(box, QProgressDialog):
            seen.append(box.labelText())
            box.findChild(QPushButton).click()  # its Cancel button
        elif left:
            QTimer.singleShot(25, lambda: cancel(left - 1))

    QTimer.singleShot(0, cancel)
    assert jobs.wait_for(parent, lambda: release.wait(10), "Checking the policy…", "Test") is jobs.CANCELLED
    release.set()
    assert seen == ["Checking the policy…"]

    def fail():
        raise GuidelinesError("the workspace folder has gone")

    with pytest.raises(GuidelinesError, match="folder has gone"):
        jobs.wait_for(parent, fail, "Reading…", "Test")


def test_wait_for_a_change_has_no_cancel_and_drops_keys_and_shortcuts_meant_for_the_window(qtbot):
    """A change to the workspace (a restore, a publish) waits without
    Cancel, and what is typed meanwhile is dropped as a modal dialog drops
    it: it would go into the text the document is then reloaded over."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QApplication, QLineEdit, QProgressDialog, QPushButton, QVBoxLayout, QWidget

    from guidelines_app.ui import jobs

    parent = QWidget()
    qtbot.addWidget(parent)
    edit = QLineEdit(parent)
    QVBoxLayout(parent).addWidget(edit)
    fired = []
    action = QAction("Save", parent, shortcut="Ctrl+K", triggered=lambda: fired.append(True))
    action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # (whichever window is active)
    parent.addAction(action)
    parent.show()
    qtbot.waitExposed(parent)
    edit.setFocus()
    gate, seen = threading.Event(), []

    def typed():  # before the progress dialog shows
        qtbot.keyClicks(edit, "lost")
        qtbot.keyClick(edit, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)

    def shown(left=100):  # once it shows
        box = QApplication.activeModalWidget()
        if isinstance(box, QProgressDialog):
            seen.append((box.labelText(), box.findChild(QPushButton)))
            gate.set()
        elif left:
            QTimer.singleShot(20, lambda: shown(left - 1))

    QTimer.singleShot(50, typed)
    QTimer.singleShot(100, shown)
    assert jobs.wait_for(parent, lambda: gate.wait(10) and "written", "Writing…", "Test", cancellable=False) == "written"
    assert edit.text() == "" and fired == [] and seen == [("Writing…", None)]  # no Cancel button
    qtbot.keyClicks(edit, "kept")  # after the wait: as ever
    qtbot.keyClick(edit, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert edit.text() == "kept" and fired == [True]


def test_step_through_runs_a_part_per_turn_and_gives_the_window_back_on_an_error(qtbot):
    """``jobs.step_through``: a part of UI-thread work per event-loop turn
    (a timer fires between them), True at the end; a part that fails ends
    it at once, its error raised, no dialog left and the window's input
    no longer held (it once waited for Stop, the window held)."""
    import pytest
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

    from guidelines_app.ui import jobs

    parent = QWidget()
    qtbot.addWidget(parent)
    edit = QLineEdit(parent)
    QVBoxLayout(parent).addWidget(edit)
    parent.show()
    qtbot.waitExposed(parent)
    ticks: list[int] = []
    ticker = QTimer(interval=0)
    ticker.timeout.connect(lambda: ticks.append(len(done)))
    done: list[int] = []

    def parts(fail_at=None):
        for n in range(5):
            if n == fail_at:
                raise ValueError("the text has gone")
            done.append(n)
            yield n + 1, 5

    ticker.start()
    try:
        assert jobs.step_through(parent, parts(), "Working…", "Test", "Stop") is True
        assert done == [0, 1, 2, 3, 4] and len(set(ticks) & {1, 2, 3, 4}) >= 3  # the loop turned between parts
        done.clear()
        with pytest.raises(ValueError, match="has gone"):
            jobs.step_through(parent, parts(fail_at=2), "Working…", "Test", "Stop")
    finally:
        ticker.stop()
    assert done == [0, 1] and QApplication.activeModalWidget() is None
    edit.setFocus()
    qtbot.keyClicks(edit, "typed")  # the window's input is not held any more
    assert edit.text() == "typed"


def test_a_job_and_a_preview_render_say_they_are_at_work_while_they_are(qtbot, monkeypatch):
    """The window's background layout gives way to a worker at its work
    (``jobs.workers_busy``, read by ``paced_layout``): a job's function (not
    one that mostly waits) and the preview's render are marked so, and only
    while they run."""
    from guidelines_app.core.markup import MarkdownRenderer
    from guidelines_app.ui import jobs
    from guidelines_app.ui.preview import PreviewPane

    seen: list[tuple[str, bool]] = []
    owner = jobs.Jobs()
    qtbot.waitUntil(lambda: not jobs.workers_busy(), timeout=20000)  # (a job an earlier test left running)
    done = []
    owner.run(lambda: seen.append(("job", jobs.workers_busy())), lambda _result: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    # One that mostly waits (for git, the network) is not counted: nothing gives way to it.
    owner.run(lambda: seen.append(("waiting job", jobs.workers_busy())), lambda _result: done.append(True), waits=True)
    qtbot.waitUntil(lambda: len(done) == 2, timeout=5000)
    real = MarkdownRenderer.render

    def render(renderer, body):
        seen.append(("preview", jobs.workers_busy()))
        return real(renderer, body)

    monkeypatch.setattr(MarkdownRenderer, "render", render)
    pane = PreviewPane(delay_ms=0)
    qtbot.addWidget(pane)
    try:
        pane.render_now("## One\n\nFirst.\n")
        qtbot.waitUntil(lambda: pane.last_rendered is not None, timeout=5000)
    finally:
        pane.shutdown()
    assert seen == [("job", True), ("waiting job", False), ("preview", True)]
    qtbot.waitUntil(lambda: not jobs.workers_busy(), timeout=20000)  # (and no longer once they are done)
