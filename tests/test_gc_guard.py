"""Garbage collection moves to the UI thread once a window exists (see
guidelines_app/ui/gc_guard.py): a worker thread never destroys Qt objects."""

from __future__ import annotations

import gc
import threading
import time
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


def test_full_collections_are_spaced_out(qtbot):
    """A full pass over a long policy's objects takes a noticeable moment of
    the UI thread: it runs at most every FULL_EVERY_S seconds."""
    was_enabled = gc.isenabled()
    collector = gc_guard.MainThreadCollector(interval_ms=60_000)
    try:
        def push_generation_two():
            for _ in range(gc.get_threshold()[2] + 1):
                gc.collect(1)  # each counts once towards the oldest generation

        push_generation_two()
        full_before = gc.get_stats()[2]["collections"]
        collector.last_full = time.monotonic()  # one just ran
        collector.check()
        assert gc.get_stats()[2]["collections"] == full_before  # the young generations only
        collector.last_full -= gc_guard.FULL_EVERY_S + 1
        push_generation_two()
        collector.check()
        assert gc.get_stats()[2]["collections"] == full_before + 1
    finally:
        collector.timer.stop()
        if was_enabled:
            gc.enable()


def test_the_start_s_objects_are_frozen_once_and_no_collection_walks_them_meanwhile(monkeypatch):
    """What the start makes lives as long as the app: frozen (once per stage
    in a process), and not collected while it is being made."""
    was_enabled = gc.isenabled()
    monkeypatch.setattr(gc_guard, "_frozen", set())
    collector = gc_guard.MainThreadCollector(interval_ms=60_000)
    try:
        def collections():
            return sum(stats["collections"] for stats in gc.get_stats())

        before = collections()
        gc_guard.hold(60)
        garbage = [_Cycle() for _ in range(gc.get_threshold()[0] + 1)]
        del garbage
        collector.check()
        assert collections() == before  # held
        kept = _Cycle()
        assert gc_guard.freeze("features")
        assert gc.is_tracked(kept) and gc.get_freeze_count() > 0
        assert not gc_guard.freeze("features")  # once
        garbage = [_Cycle() for _ in range(gc.get_threshold()[0] + 1)]
        del garbage
        collector.check()
        assert collections() == before + 1  # the hold ended with the freeze
    finally:
        collector.timer.stop()
        gc.unfreeze()
        if was_enabled:
            gc.enable()
