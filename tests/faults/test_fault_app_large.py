"""A 50 MB document opens without blocking the window: the event loop keeps
running while it loads, and heavy features are off with a notice."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer

from guidelines_app.core.document import Document
from guidelines_app.ui.large_document import NOTICE
from guidelines_app.ui.main_window import MainWindow

PARAGRAPH = "## Section\n\nEveryone who posts for the company says so, every time, on every channel. " * 4 + "\n\n"


def test_a_50_mb_document_opens_while_the_event_loop_keeps_running(qtbot, workspace, settings, author):
    workspace.create_document(Document.new("A short one", "Acme"), author)
    big = Document.new("Huge archive", "Acme", body=PARAGRAPH * (50_000_000 // len(PARAGRAPH)))
    workspace.path("zz-huge").write_text(big.to_text(), encoding="utf-8")
    window = MainWindow(workspace, settings)
    qtbot.addWidget(window, before_close_func=lambda w: w.editor.document().setModified(False))
    window.show()
    ticks: list[float] = []
    timer = QTimer(interval=20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    assert window.open_document("zz-huge")
    qtbot.waitUntil(lambda: window.slug == "zz-huge", timeout=60000)
    timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert len(ticks) > 10 and max(gaps) < 1.0, (len(ticks), max(gaps, default=None))
    assert window.editor.text() == big.body
    assert NOTICE in window.statusBar().currentMessage()
    assert window.heavy_features_off and not window.is_modified()
    window.editor.insertPlainText("typed at the top\n")  # typing works, preview stays off
    assert window.is_modified()
