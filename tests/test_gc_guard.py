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


def test_a_window_moves_collection_to_the_ui_thread(qtbot, workspace, settings, monkeypatch):
    from guidelines_app.ui.main_window import MainWindow

    # The start's freezes (the features, the dictionary: another test's subject) would
    # freeze the garbage below too if they came while it exists, and it would stay.
    def ends_the_hold_only(stage: str) -> bool:
        gc_guard._held_until = 0.0
        return False

    monkeypatch.setattr(gc_guard, "freeze", ends_the_hold_only)
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


def test_full_collections_are_spaced_out(qtbot, monkeypatch):
    """A full pass over a long policy's objects takes a noticeable moment of
    the UI thread: it runs at most every FULL_EVERY_S seconds."""
    was_enabled = gc.isenabled()
    monkeypatch.setattr(gc_guard, "_held_until", 0.0)  # no hold left by an earlier test's window
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


def test_a_shorter_hold_does_not_end_a_longer_one(monkeypatch):
    """The History panel holds collections while its listing runs; that never
    cuts short the start's hold (the dictionary being loaded)."""
    was_enabled = gc.isenabled()
    monkeypatch.setattr(gc_guard, "_held_until", 0.0)
    collector = gc_guard.MainThreadCollector(interval_ms=60_000)
    try:
        def collections():
            return sum(stats["collections"] for stats in gc.get_stats())

        gc_guard.hold(60)
        gc_guard.hold(0)  # a short one meanwhile
        before = collections()
        garbage = [_Cycle() for _ in range(gc.get_threshold()[0] + 1)]
        del garbage
        collector.check()
        assert collections() == before  # still held
        monkeypatch.setattr(gc_guard, "_held_until", 0.0)
        collector.check()
        assert collections() == before + 1
    finally:
        collector.timer.stop()
        if was_enabled:
            gc.enable()


def test_no_collection_on_the_ui_thread_while_the_history_is_listed(qtbot, workspace, settings, author, monkeypatch):
    from guidelines_app.core.document import Document
    from guidelines_app.ui.main_window import MainWindow
    from guidelines_app.ui.review import feature as review_feature

    slug, _ = workspace.create_document(Document.new("Policy", body="# Policy\n\nText.\n"), author)
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    w.open_document(slug)
    f = w.features["history"]
    monkeypatch.setattr(gc_guard, "_held_until", 0.0)
    with qtbot.waitSignal(f.panel.loaded, timeout=10000):
        f.act_panel.trigger()
        assert gc_guard._held_until >= time.monotonic() + review_feature.LISTING_HOLD_S / 2
