"""Background work for the Qt layer: the one helper every feature uses to run
something slow (reading git, comparing, writing a file) off the UI thread.

    jobs = Jobs(self)                                   # one per owner
    jobs.run(func, on_done, on_failed, key="history")   # func() on a worker

- One signal shape: ``finished(result)``, ``failed(message, technical)`` and
  ``progress(done, total)`` (when ``run(..., progress=...)`` is given, *func*
  is called with a ``report(done, total)`` callable).
- One error wording: a ``GuidelinesError`` (or an exception listed in
  ``expected``) reports its own message; anything else becomes a
  plain-language sentence, the traceback kept as *technical* detail for a
  "Show Details" box, never shown as the message.
- Stale results are dropped: a newer ``run`` with the same *key* supersedes
  an older one still running (its result is never delivered), and
  ``drop(key)`` discards a running one without starting another.
- Running jobs are kept referenced until they report: a signals object must
  outlive the worker thread that emits on it.  Reports reach the callbacks
  only while the owner (the Jobs' Qt parent) exists.

Work that touches git opens its own ``Workspace`` on the worker thread (one
GitStore per thread): wrap it with ``in_workspace(root, func)``.

A job makes no Qt object (a text document, say): it returns plain Python
(HTML, records) and the callback makes the Qt objects on the UI thread.
PySide keeps the interpreter lock through most Qt calls, so a worker making
one holds it while taking Qt's own locks, and the UI thread, deleting an
object (which asks Python about it) while holding one of them, would wait
for the worker as the worker waits for it, for ever.  (A job's report is
still a signal emitted on the worker: 112,000 jobs reported to owners made
and deleted as fast as the UI thread could, in a minute, without a stall.)

Not here: the live preview's render thread (``ui/preview.py``).  It is one
long-lived QThread that keeps the incremental Markdown renderer (only the
sections that changed are parsed again); pooled one-shot jobs would lose
that state, so it keeps its own coalescing (at most one stale render).
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.workspace import Workspace

# Every job started, kept (on the UI thread) until a moment after its run()
# has returned: a job and its signals object must be destroyed on the UI
# thread, never on the worker's, also when the Jobs that started it (and its
# window) are gone first.  Touched on the UI thread only.
RELEASE_AFTER_S = 2.0
_kept: list[Job] = []


# Workers at their work (a job's function, unless it mostly waits for git,
# the network or a file; a preview's render), for the UI thread's own
# background work to give way to (``paced_layout``): PySide keeps the
# interpreter lock through a Qt call, so each step of that work is a step a
# worker waits.
_working = 0
_working_lock = threading.Lock()


@contextmanager
def working():
    """Around a worker's work: ``workers_busy()`` meanwhile."""
    global _working
    with _working_lock:
        _working += 1
    try:
        yield
    finally:
        with _working_lock:
            _working -= 1


def workers_busy() -> bool:
    """Whether a worker is at its work now (``working``)."""
    return _working > 0


def _release_returned() -> None:
    now = time.monotonic()
    _kept[:] = [job for job in _kept if job.returned_at is None or now - job.returned_at <= RELEASE_AFTER_S]


# The key of the team's sync job in the window's jobs: what writes a revision waits for it (``ui.saving``).
TEAM_SYNC = "team-sync"


class JobSignals(QObject):
    finished = Signal(object)  # the function's result
    failed = Signal(str, str)  # message for people, technical detail (a traceback, or "")
    progress = Signal(int, int)  # done, total


def describe_failure(exc: BaseException, expected: tuple[type[BaseException], ...] = ()) -> tuple[str, str]:
    """The one wording of a failed job: (message, technical detail)."""
    if isinstance(exc, (GuidelinesError, *expected)):
        return str(exc), ""
    technical = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return f"Something unexpected went wrong ({type(exc).__name__}: {exc}).", technical


class Job(QRunnable):
    """Runs one function on a pool thread and reports through ``signals``."""

    def __init__(self, func: Callable, with_progress: bool = False,
                 expected: tuple[type[BaseException], ...] = (), waits: bool = False):
        super().__init__()
        self.func, self.with_progress, self.expected = func, with_progress, expected
        self.waits = waits  # mostly waits (for git, the network, a file): not counted as at work
        self.signals = JobSignals()
        # Not deleted by the pool on the worker thread: the Jobs that started
        # it lets it go on the UI thread once run() has returned (see _forget).
        self.setAutoDelete(False)
        self.returned_at: float | None = None  # set by the worker as run() ends

    def run(self) -> None:
        failure = None
        try:
            with nullcontext() if self.waits else working():
                if self.with_progress:
                    result = self.func(lambda done, total: self.signals.progress.emit(done, total))
                else:
                    result = self.func()
        except Exception as exc:  # noqa: BLE001 - reported, never a crash
            failure = describe_failure(exc, self.expected)
        # Reported only now, the failure's traceback gone: nothing here holds
        # the function (or what it holds) when the UI thread lets go of it.
        try:
            if failure is not None:
                self.signals.failed.emit(*failure)
            else:
                self.signals.finished.emit(result)
        except RuntimeError:  # its signals object went with the app, which ended while it ran: nobody to tell
            pass
        finally:
            self.returned_at = time.monotonic()


def in_workspace(root: Path, func: Callable[[Any], Any]) -> Callable[[], Any]:
    """*func(ws)* with a Workspace opened (and closed) on the worker thread."""

    def work():
        with Workspace.open(root) as ws:
            return func(ws)

    return work


class _Delivery(QObject):
    """Hands one job's report to its callbacks on the UI thread.  A child of
    the Jobs (and so of their owner): once the owner is gone, nothing is
    delivered to it."""

    def __init__(self, parent: QObject, finished: Callable, failed: Callable, progress: Callable):
        super().__init__(parent)
        self._finished, self._failed, self._progress = finished, failed, progress

    @Slot(object)
    def finished(self, result) -> None:
        self._finished(result)

    @Slot(str, str)
    def failed(self, message: str, technical: str) -> None:
        self._failed(message, technical)

    @Slot(int, int)
    def progress(self, done: int, total: int) -> None:
        self._progress(done, total)


class Jobs(QObject):
    """Starts jobs for one owner (its Qt parent), keeps them until they
    report, and drops results superseded by a newer job with the same key."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None):
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._running: dict[Job, _Delivery] = {}  # kept until each reports
        self._latest: dict[Hashable, Job] = {}

    def run(self, func: Callable, on_done: Callable[[Any], None] | None = None,
            on_failed: Callable[[str, str], None] | None = None, *, key: Hashable | None = None,
            progress: Callable[[int, int], None] | None = None,
            expected: tuple[type[BaseException], ...] = (), waits: bool = False) -> Job:
        """Run *func* in the background.  *on_done(result)* and
        *on_failed(message, technical)* are called on the UI thread, unless a
        newer job with the same *key* was started (or ``drop(key)`` called)
        meanwhile, or the owner is gone; without *on_failed* a failure is
        ignored.  Slots connected to the returned job's ``signals`` directly
        always hear from it.  *waits*: *func* mostly waits (for git, the
        network, a file), so it is not counted as at work (``working``)."""
        job = Job(func, with_progress=progress is not None, expected=expected, waits=waits)
        if key is not None:
            self._latest[key] = job

        def current() -> bool:
            return key is None or self._latest.get(key) is job

        def finished(result) -> None:
            deliver = current()
            self._forget(job, key)
            if on_done is not None and deliver:
                on_done(result)

        def failed(message: str, technical: str) -> None:
            deliver = current()
            self._forget(job, key)
            if on_failed is not None and deliver:
                on_failed(message, technical)

        def progressed(done: int, total: int) -> None:
            if progress is not None and current():
                progress(done, total)

        delivery = _Delivery(self, finished, failed, progressed)
        self._running[job] = delivery
        job.signals.finished.connect(delivery.finished)
        job.signals.failed.connect(delivery.failed)
        job.signals.progress.connect(delivery.progress)
        _release_returned()
        _kept.append(job)
        self.pool.start(job)
        return job

    def drop(self, *keys: Hashable) -> None:
        """Results of the running jobs with these keys will not be delivered."""
        for key in keys:
            self._latest.pop(key, None)

    def running(self) -> int:
        return len(self._running)

    def busy(self, key: Hashable) -> bool:
        """Whether a job with *key* runs and will report (``run``)."""
        return key in self._latest

    def _forget(self, job: Job, key: Hashable | None) -> None:
        # The job itself stays in _kept a moment longer; what its function
        # holds (a comparison of two long versions, say) goes now.
        job.func = None
        delivery = self._running.pop(job, None)
        if delivery is not None:
            delivery.deleteLater()
        _release_returned()
        if key is not None and self._latest.get(key) is job:
            del self._latest[key]


CANCELLED = object()  # what ``wait_for`` gives when the user cancelled
SHOW_AFTER_MS = 400  # ``wait_for``: work this quick shows no progress dialog


def wait_for(parent, work: Callable[[], Any], message: str, title: str, cancellable: bool = True) -> Any:
    """*work()* run on a worker while the caller waits: its result, or
    CANCELLED when the user chose Cancel in the progress dialog that says
    *message* after a moment (the window paints meanwhile).  For a step a
    dialog needs before it opens (reading git or checking a long policy
    held the window seconds), and for a change to the workspace (a commit,
    a tag): *cancellable* false, it has no Cancel, as a change half made
    cannot be taken back.  Keys and clicks meant for *parent*'s window,
    and shortcuts, are dropped meanwhile, as a modal dialog drops them:
    words typed while a restore or a publish was written would go into the
    text the document is reloaded over.  A failure raises its
    GuidelinesError (plain words; anything unexpected as
    ``describe_failure`` words it)."""
    from PySide6.QtCore import QEventLoop

    progress = _progress_dialog(parent, message, title, cancellable)
    answer: list = []
    loop = QEventLoop()

    def done(result) -> None:
        answer.append(result)
        loop.quit()
    Jobs(progress).run(work, done, lambda failure, _technical: done(GuidelinesError(failure)))
    if cancellable:
        progress.canceled.connect(loop.quit)
    with _input_held(parent):
        try:
            if not answer:
                loop.exec()
        finally:
            progress.hide()
            progress.deleteLater()  # with its jobs: a result that comes after Cancel goes nowhere
    if not answer:
        return CANCELLED
    if isinstance(answer[0], GuidelinesError):
        raise answer[0]
    return answer[0]


def step_through(parent, steps: Iterator[tuple[int, int]], message: str, title: str, stop: str) -> bool:
    """For slow work that must run on the UI thread (an edit of a long
    text): *steps* does a part of it at each ``next()``, each a fraction of
    a second, and yields (done, total); one part per event-loop turn, the
    window painting between them.  After a moment, the progress dialog of
    ``wait_for`` says *message*, with a button named *stop*; input to
    *parent*'s window is held as there.  True when *steps* came to its end,
    False when the user stopped it (*steps* is closed then: the parts done
    stay done).  An error in a part ends it, and is raised here."""
    from PySide6.QtCore import QEventLoop, QTimer

    progress = _progress_dialog(parent, message, title, True)
    progress.setCancelButtonText(stop)
    loop = QEventLoop()
    finished: list[bool] = []
    failed: list[BaseException] = []
    turn = QTimer(progress, singleShot=True, interval=0)

    def step() -> None:
        if progress.wasCanceled():  # (``cancel()`` called, not the button clicked: no ``canceled`` signal)
            loop.quit()
            return
        try:
            done, total = next(steps)
        except StopIteration:
            finished.append(True)
            loop.quit()
            return
        except BaseException as exc:  # raised again below, once the window is given back
            failed.append(exc)
            loop.quit()
            return
        progress.setMaximum(max(total, 1))
        progress.setValue(min(done, total))  # (modal and shown: Qt turns the event loop here too)
        turn.start()

    turn.timeout.connect(step)
    progress.canceled.connect(loop.quit)
    with _input_held(parent):
        try:
            turn.start()
            loop.exec()
        finally:
            turn.stop()
            steps.close()
            progress.hide()
            progress.deleteLater()
    if failed:
        raise failed[0]
    return bool(finished)


def _progress_dialog(parent, message: str, title: str, cancellable: bool):
    """The progress dialog of ``wait_for`` and ``step_through``: modal to
    *parent*'s window, shown after SHOW_AFTER_MS."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QProgressDialog

    progress = QProgressDialog(message, QCoreApplication.translate("Jobs", "Cancel"), 0, 0, parent)
    progress.setWindowTitle(title)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(SHOW_AFTER_MS)
    if not cancellable:
        progress.setCancelButton(None)
    progress.setValue(0)  # (starts the moment after which it shows: else Qt's 4 s from its making)
    return progress


@contextmanager
def _input_held(parent):
    """Input meant for *parent*'s window dropped meanwhile (``_HeldInput``)."""
    from PySide6.QtCore import QCoreApplication

    held = _HeldInput(parent.window() if parent is not None else None)
    QCoreApplication.instance().installEventFilter(held)
    try:
        yield
    finally:
        QCoreApplication.instance().removeEventFilter(held)


class _HeldInput(QObject):
    """While ``wait_for`` waits: the input meant for *window* (a key, a
    click, a wheel turn, a drop) and every shortcut are dropped, as a modal
    dialog would drop them (``wait_for``'s progress dialog only shows, and
    holds the window, after a moment)."""

    def __init__(self, window):
        super().__init__()
        from PySide6.QtCore import QEvent

        self._window = window
        self._shortcut = {QEvent.Type.Shortcut, QEvent.Type.ShortcutOverride}
        self._input = self._shortcut | {
            QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel, QEvent.Type.ContextMenu, QEvent.Type.InputMethod,
            QEvent.Type.Drop, QEvent.Type.DragEnter, QEvent.Type.DragMove}

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind not in self._input:
            return False
        if kind in self._shortcut:
            return True
        window = getattr(obj, "window", None)
        # (PySide keeps one Python object per Qt object while it lives: ``is`` tells them apart)
        return self._window is not None and callable(window) and window() is self._window
