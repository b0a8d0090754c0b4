"""Garbage collection moves to the UI thread once a window exists (see
guidelines_app/ui/gc_guard.py): a worker thread never destroys Qt objects."""

from __future__ import annotations

import gc
import threading
import weakref

from guidelines_app.ui import gc_guard


class _Cycle:
    def __init__(self):
        self.me = self


def test_a_window_moves_collection_to_the_ui_thread(qtbot, workspace, settings):
    from guidelines_app.ui.main_window import MainWindow

    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    assert not gc.isenabled() and gc_guard._installed is not None
    # Garbage made and dropped on a worker thread is not collected there...
    refs = []

    def worker():
        for _ in range(20000):  # far past the first generation's threshold
            refs.append(weakref.ref(_Cycle()))

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert any(r() is not None for r in refs)
    # ...but by the collector's timer on the UI thread.
    qtbot.waitUntil(lambda: all(r() is None for r in refs), timeout=5000)
