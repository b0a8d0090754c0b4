"""Python's cyclic garbage collector on the UI thread only.

The collector runs wherever an allocation happens to trigger it, also on a
worker thread (a job starting git, building a redline).  If the garbage it
finds holds Qt objects (a closed window and the closures connected to its
signals), their C++ destructors then run on that worker thread, which Qt
does not allow: the app can crash at random.  So while the app runs,
automatic collection is off and a timer on the UI thread collects instead,
using the collector's own thresholds (cheap when there is nothing to do),
with full collections at most every FULL_EVERY_S seconds.

What the start creates (modules, classes, the window, the features) lives
as long as the app: ``freeze`` leaves it out of every later collection
(``gc.freeze``), else each of the first collections walked all of it
(0.1 s of the UI thread each, just after the window appeared).  Objects it
froze are still freed when nothing refers to them; only a cycle among them
would stay.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500
# CPython's own collector puts off a full collection until the long-lived
# objects grew by a quarter; Python does not expose that count, so a time
# floor stands in for it: with a long policy open a full pass takes 0.1-0.2 s
# of the UI thread, and running it at every threshold froze the window.
FULL_EVERY_S = 30.0

_installed: MainThreadCollector | None = None
_frozen: set[str] = set()  # the stages frozen in this process
_held_until = 0.0  # time.monotonic(): no collection before (what is being made will be frozen)


class MainThreadCollector(QObject):
    def __init__(self, interval_ms: int = INTERVAL_MS):
        super().__init__()
        gc.disable()
        self.last_full = time.monotonic()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        """Collect the youngest generation whose count passed its threshold,
        as the automatic collector would."""
        if time.monotonic() < _held_until:
            return
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                if generation == 2:
                    if time.monotonic() - self.last_full < FULL_EVERY_S:
                        generation = 1  # the young ones now, everything later
                    else:
                        self.last_full = time.monotonic()
                gc.collect(generation)
                return


def install() -> MainThreadCollector:
    """Move garbage collection to the UI thread (once per process)."""
    global _installed
    if _installed is None:
        _installed = MainThreadCollector()
    return _installed


def hold(seconds: float) -> None:
    """No collection for up to *seconds* (a longer hold already on stays),
    or until the next ``freeze``: the objects being made now (the features)
    are about to be frozen, or a worker is making them while the user waits
    (a collection then would walk them on the UI thread)."""
    global _held_until
    _held_until = max(_held_until, time.monotonic() + seconds)


def freeze(stage: str) -> bool:
    """Leave every object alive now out of later collections, once per
    *stage* of the start in a process (and end a ``hold``); True if it did."""
    global _held_until
    _held_until = 0.0
    if stage in _frozen:
        return False
    _frozen.add(stage)
    gc.freeze()
    return True


def settle() -> None:
    """Leave every object alive now out of later collections: the million
    objects of a very large document's comparison, say, made on a worker,
    which each later collection walked (0.4 s for the young ones, 0.55 s at
    every full collection while the window stayed open, with 50 MB
    compared).  They are still freed when nothing refers to them; only a
    cycle among the objects alive now would stay, so it is for results that
    large."""
    gc.freeze()
