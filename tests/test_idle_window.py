"""An idle window does no work: once a long policy is open, laid out and
checked for spelling, the event loop sleeps until something happens (after
a zoom and a visit to the Markdown source too).  A slice that waits for
something that never comes would poll at every turn of the event loop and
keep a core busy for good: the spelling did, in a 40,000-word policy,
waiting for a layout finished without a tick of its pace; and the text
behind the Markdown source, never laid out while out of sight, kept its
layout's timer ticking 100 times a second."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication
from test_surface import close_unprompted

from guidelines_app.core.document import Document
from guidelines_app.ui import paced_layout
from guidelines_app.ui.main_window import MainWindow

# Wake-ups allowed in an idle second: the cursor's blink and the window's own
# few timers (the status bar, the check for changes made outside), not a loop.
IDLE_WAKEUPS = 40


class _Wakeups(QObject):
    """Counts the timer events and queued calls the application delivers."""

    def __init__(self):
        super().__init__()
        self.count = 0
        self.kinds: dict[str, int] = {}

    def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.Timer, QEvent.Type.MetaCall):
            self.count += 1
            key = f"{event.type().name} {type(watched).__name__}"
            self.kinds[key] = self.kinds.get(key, 0) + 1
        return False


def _spelling_done(w) -> bool:
    highlighter = getattr(w.spelling, "highlighter", None)
    return w.spelling.speller is None and not w.settings.spelling_language or (
        highlighter is not None and highlighter.swept)


def _idle_wakeups(qtbot, w) -> tuple[int, dict[str, int]]:
    """Wake-ups in one second, once the window has settled."""
    qtbot.waitUntil(lambda: _spelling_done(w), timeout=60000)
    # Every text laid out to its end, in sight or not (out of sight, a step every HIDDEN_REST_S): the
    # surface's, the preview's.
    docs = [d for d in w.findChildren(QTextDocument) if d.characterCount() > 100_000]
    assert len(docs) >= 2
    for doc in docs:
        layout = doc.documentLayout()
        qtbot.waitUntil(lambda layout=layout: not paced_layout._layout_timers(layout), timeout=60000)
    qtbot.wait(500)  # (what the last action left: a blink restarted)
    wakeups = _Wakeups()
    app = QApplication.instance()
    app.installEventFilter(wakeups)
    try:
        qtbot.wait(1000)
    finally:
        app.removeEventFilter(wakeups)
    return wakeups.count, wakeups.kinds


@pytest.fixture
def long_window(qtbot, workspace, settings, author):
    try:
        import spylls.hunspell  # noqa: F401
    except ImportError:
        pytest.skip("spylls is not installed: the spelling's sweep is what this test watches")
    doc = Document.new("Policy", organization="Northwind")
    # About 260,000 characters: the layout is paced over a dozen steps, the spelling
    # swept in slices, and the misspellings run far beyond its first steps.
    doc.body = "".join(f"## Section {s}\n\n" + "".join(
        f"Paragraph {s}.{n} {'has a mistaik in it' if n % 5 == 0 else 'says when replies are due'}, "
        f"and who answers on which channel.\n\n" for n in range(40)) for s in range(100))
    slug, _ = workspace.create_document(doc, author)
    w = MainWindow(workspace, settings)
    w.resize(1000, 700)
    w.show()
    w.open_document(slug)
    qtbot.waitUntil(lambda: not w.editing.surface.building(), timeout=30000)  # (built a slice per turn)
    assert w.editing.surface.document().characterCount() > 200_000
    yield w
    # Deleted now: a window of this size left to the garbage collector is deleted in the middle of a later test.
    close_unprompted(w)
    qtbot.wait(50)


def test_an_idle_window_with_a_long_policy_sleeps(qtbot, long_window):
    w = long_window
    count, kinds = _idle_wakeups(qtbot, w)
    assert count <= IDLE_WAKEUPS, kinds
    # After a zoom (the text laid out again for the new font) and back.
    w.editing.set_zoom(2)
    count, kinds = _idle_wakeups(qtbot, w)
    assert count <= IDLE_WAKEUPS, kinds
    w.editing.set_zoom(0)
    # After a visit to the Markdown source, the surface shown again.
    w.editing.show_source(True)
    count, kinds = _idle_wakeups(qtbot, w)
    assert count <= IDLE_WAKEUPS, kinds
    w.editing.show_source(False)
    count, kinds = _idle_wakeups(qtbot, w)
    assert count <= IDLE_WAKEUPS, kinds
