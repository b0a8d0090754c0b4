"""Qt's background layout of a long text, paced (``ui.paced_layout``): the
ticks of its layout timer are taken over, a share each, and the text ends
laid out whole, as Qt alone lays it out, also after its width changes and
after an edit."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

from guidelines_app.ui import paced_layout

HTML = "".join(f"<h2>Section {n}</h2><p>{'Replies come within a working day. ' * 12}</p>" for n in range(1500))


def _laid_out_at_once(html: str, width: float) -> float:
    doc = QTextDocument()
    doc.setHtml(html)
    doc.setTextWidth(width)
    return doc.size().height()  # (asking the size lays it all out)


def _shown(qtbot, doc: QTextDocument) -> QTextEdit:
    view = QTextEdit()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    view.setDocument(doc)
    return view


def _settled(qtbot, doc: QTextDocument) -> None:
    """Until the last block is laid out and no tick has come for a while (the layout's timer stopped)."""
    last, seen = doc.lastBlock(), [-1, 0]  # the steps seen, and for how many checks 50 ms apart

    def still() -> bool:
        qtbot.wait(50)
        steps, seen[0] = seen[0], doc._paced.steps
        seen[1] = seen[1] + 1 if steps == seen[0] else 0
        return last.layout().lineCount() > 0 and seen[1] >= 3

    qtbot.waitUntil(still, timeout=20000)


def test_the_layout_is_paced_and_ends_whole(qtbot):
    doc = paced_layout.pace(QTextDocument())
    doc.setHtml(HTML)
    view = _shown(qtbot, doc)
    assert doc.characterCount() > 20 * paced_layout.STEP_CHARS
    _settled(qtbot, doc)
    assert doc._paced.steps >= doc.characterCount() // paced_layout.STEP_CHARS - 1  # its ticks, taken over
    width = doc.textWidth()
    assert doc.documentLayout().documentSize().height() == _laid_out_at_once(HTML, width)
    # Narrower: Qt lays it out again, paced again from the top.
    steps = doc._paced.steps
    view.resize(450, 500)
    qtbot.waitUntil(lambda: doc.textWidth() != width, timeout=5000)
    qtbot.waitUntil(lambda: doc._paced.steps > steps + 10, timeout=20000)
    _settled(qtbot, doc)
    assert doc.documentLayout().documentSize().height() == _laid_out_at_once(HTML, doc.textWidth())


def test_an_edit_is_laid_out_from_where_it_was_made(qtbot):
    doc = paced_layout.pace(QTextDocument())
    doc.setHtml(HTML)
    _shown(qtbot, doc)
    _settled(qtbot, doc)
    cursor = QTextCursor(doc.findBlockByNumber(doc.blockCount() // 2))
    cursor.insertText("A new line of words. " * 40)
    assert doc._paced._at <= cursor.position()
    _settled(qtbot, doc)
    html = doc.toHtml()
    assert doc.documentLayout().documentSize().height() == _laid_out_at_once(html, doc.textWidth())


def test_a_text_laid_out_whole_by_a_call_is_known_laid_out_to_its_end(qtbot):
    """A call that asks for the whole text (as a view asks for its size)
    lays it out with no tick to tell the pace; Qt then stops its timer.
    The text is laid out to its end: the spelling waited at the last step
    for good, polling at every turn of the event loop."""
    doc = paced_layout.pace(QTextDocument())
    doc.setHtml(HTML)
    _shown(qtbot, doc)
    qtbot.waitUntil(lambda: doc._paced.steps >= 2, timeout=5000)
    layout = doc.documentLayout()
    assert paced_layout._layout_timers(layout)  # part way: Qt has text left to lay out
    assert paced_layout.laid_out_to(doc) < doc.characterCount() // 2
    layout.documentSize()  # (lays out the rest at once)
    assert doc.lastBlock().layout().lineCount() > 0
    assert not paced_layout._layout_timers(layout)
    assert doc._paced._at < doc.characterCount() // 2  # no tick came to tell the pace
    assert paced_layout.laid_out_to(doc) == doc.characterCount()
    qtbot.wait(100)
    assert paced_layout.laid_out_to(doc) == doc.characterCount()


def test_a_new_width_part_way_paces_again_from_the_top(qtbot):
    """Qt lays a text out again from the top for a new width: asked for the
    place the pace had reached, it would lay out all of the text before it
    in one tick."""
    doc = paced_layout.pace(QTextDocument())
    doc.setHtml(HTML)
    pacer, asked = doc._paced, []
    real = pacer.eventFilter

    def step(watched, event):  # (Qt asks the Python object for its filter each time)
        taken = real(watched, event)
        if taken:
            asked.append(pacer._at)
        return taken

    pacer.eventFilter = step
    view = _shown(qtbot, doc)
    qtbot.waitUntil(lambda: pacer._at > doc.characterCount() // 3, timeout=20000)
    width, before = doc.textWidth(), len(asked)
    view.resize(450, 500)
    qtbot.waitUntil(lambda: doc.textWidth() != width and len(asked) > before + 2, timeout=5000)
    after = asked[before:]
    assert min(after[:3]) <= paced_layout.STEP_CHARS  # from the top within a tick or two
    _settled(qtbot, doc)
    assert doc.documentLayout().documentSize().height() == _laid_out_at_once(HTML, doc.textWidth())


def test_a_document_out_of_sight_is_laid_out_slowly_and_at_the_pace_once_shown(qtbot):
    """Out of sight, a step every HIDDEN_REST_S (not at every tick, nor
    never: its layout's timer kept the window waking 100 times a second for
    as long as it stayed hidden); shown, at the usual pace to the end."""
    view = QTextEdit()
    qtbot.addWidget(view)
    view.resize(700, 500)
    doc = paced_layout.pace(QTextDocument(view))  # the view's, as the app's documents are
    doc.setHtml(HTML)
    view.setDocument(doc)
    view.show()
    view.hide()
    qtbot.wait(100)
    steps = doc._paced.steps
    qtbot.wait(1000)
    hidden_steps = doc._paced.steps - steps
    assert 1 <= hidden_steps <= 1 / paced_layout.HIDDEN_REST_S + 1
    assert doc.lastBlock().layout().lineCount() == 0  # far from the end yet
    view.show()
    _settled(qtbot, doc)
    assert doc.documentLayout().documentSize().height() == _laid_out_at_once(HTML, doc.textWidth())


def test_a_document_out_of_sight_ends_laid_out_and_its_timer_stops(qtbot):
    text = "".join(f"<p>{'Replies come within a working day. ' * 12}</p>" for _ in range(300))  # a few steps
    view = QTextEdit()
    qtbot.addWidget(view)
    view.resize(700, 500)
    doc = paced_layout.pace(QTextDocument(view))
    doc.setHtml(text)
    view.setDocument(doc)
    view.show()
    view.hide()
    assert doc.characterCount() > 5 * paced_layout.STEP_CHARS
    layout = doc.documentLayout()
    qtbot.waitUntil(lambda: not paced_layout._layout_timers(layout), timeout=20000)
    assert doc.lastBlock().layout().lineCount() > 0
    assert paced_layout.laid_out_to(doc) == doc.characterCount()
    assert layout.documentSize().height() == _laid_out_at_once(text, doc.textWidth())


def test_the_pace_rests_longer_while_a_worker_is_at_its_work(qtbot):
    """A worker (a revision rendered, a comparison made) waits for the
    interpreter through each step: while one works, the steps are further
    apart; once it is done, the pace is as before, and the text ends whole."""
    import threading

    from guidelines_app.ui import jobs

    doc = paced_layout.pace(QTextDocument())
    doc.setHtml(HTML * 2)
    _shown(qtbot, doc)
    qtbot.waitUntil(lambda: doc._paced.steps > 0, timeout=5000)

    def steps_in(seconds: float) -> int:
        before = doc._paced.steps
        qtbot.wait(int(seconds * 1000))
        return doc._paced.steps - before

    qtbot.waitUntil(lambda: not jobs.workers_busy(), timeout=20000)  # (a job an earlier test left running)
    free = steps_in(0.6)
    release, started = threading.Event(), threading.Event()

    def work() -> None:
        with jobs.working():
            started.set()
            release.wait(10)

    worker = threading.Thread(target=work)
    worker.start()
    try:
        assert started.wait(5) and jobs.workers_busy()
        busy = steps_in(0.6)
    finally:
        release.set()
        worker.join()
    assert busy <= 0.6 / paced_layout.REST_WORKING_S + 1 < free, (busy, free)
    _settled(qtbot, doc)
    assert doc.documentLayout().documentSize().height() == _laid_out_at_once(HTML * 2, doc.textWidth())


def _left_out(doc: QTextDocument) -> list[int]:
    """The blocks shown that have no lines: never laid out."""
    out, block = [], doc.firstBlock()
    while block.isValid():
        if block.isVisible() and block.layout().lineCount() == 0:
            out.append(block.blockNumber())
        block = block.next()
    return out


def test_an_edit_while_the_text_is_laid_out_leaves_no_block_out_once_the_layout_is_over(qtbot, monkeypatch):
    """Qt's fault: a change to the text while it lays the text out in the
    background moves on over blocks never laid out, at no height, and takes
    them as laid out (a key typed at the top of a text half laid out left
    251 of 600 paragraphs out of the view for good).  Once the layout is
    over, the blocks left out are laid out."""
    from PySide6.QtCore import QTimer

    from guidelines_app.ui import layout_mend

    monkeypatch.setattr(layout_mend, "MEND_CHARS", 2000)  # (a turn's share: the stretch laid out over many turns)
    scans = []
    looked = layout_mend._left_out_stretches
    monkeypatch.setattr(layout_mend, "_left_out_stretches", lambda *a: scans.append(1) or looked(*a))
    doc = paced_layout.pace(QTextDocument())
    doc.setPlainText("".join(f"Paragraph {n} is about the team and its posts, with a few more words to wrap "
                             f"the line.\n" for n in range(600)))
    _shown(qtbot, doc)
    layout = doc.documentLayout()
    layout.blockBoundingRect(doc.findBlockByNumber(100))  # (laid out so far)
    assert paced_layout.laying_out(doc)
    QTextCursor(doc).insertText("X")  # typed at the top meanwhile
    layout.blockBoundingRect(doc.lastBlock())  # (the rest laid out: Qt's layout is over)
    assert not paced_layout.laying_out(doc)
    left_out = _left_out(doc)
    assert len(left_out) > 100  # (Qt's fault, as it stands)
    before = doc.documentLayout().blockBoundingRect(doc.lastBlock()).bottom()
    left_chars = sum(doc.findBlockByNumber(n).length() for n in left_out)
    turns = []
    ticker = QTimer(interval=0)
    ticker.timeout.connect(lambda: turns.append(doc._paced.mend.mended))
    ticker.start()
    try:
        qtbot.waitUntil(lambda: not _left_out(doc), timeout=5000)
    finally:
        ticker.stop()
    mended = doc._paced.mend.mended
    assert mended >= left_chars // 2000  # MEND_CHARS a turn, not all at once
    assert len(set(turns)) >= mended  # (the window turning between them)
    assert len(scans) == 1  # one look for them: the stretch laid out a share a turn, not a share a look
    # Each paragraph left out now has its height: the text is as tall as when laid out at once.
    after = doc.documentLayout().blockBoundingRect(doc.lastBlock()).bottom()
    whole = QTextDocument()
    whole.setPlainText(doc.toPlainText())
    _shown(qtbot, whole)
    assert after > before and after == whole.documentLayout().blockBoundingRect(whole.lastBlock()).bottom()


_FREED_ON_A_WORKER = r"""
import gc, sys, threading
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from PySide6.QtGui import QTextDocument
from guidelines_app.ui.paced_layout import pace

app = QApplication([])
for _ in range(20):
    pace(QTextDocument("A page read once and let go."))  # (in a cycle with its pace: only the collector frees it)


def churn():  # a worker making objects: the collector runs here when it runs by itself
    junk = []
    for n in range(200_000):
        junk.append([n])
        if len(junk) > 1000:
            junk.clear()


worker = threading.Thread(target=churn)
worker.start()
worker.join()
loop = QEventLoop()
QTimer.singleShot(600, loop.quit)  # the freed documents' timers would tick here
loop.exec()
print("still running")
"""


def test_a_paced_document_let_go_is_never_freed_on_a_worker_thread(tmp_path):
    """A paced document keeps a timer running (its mending's look) and is in
    a reference cycle with its pace: Python's collector, running on whatever
    thread happened to allocate, freed it on a worker thread, where Qt
    cannot stop a timer; its next tick reached the freed timer and crashed
    a preview pane used without a window (about one run in two).  Pacing a
    document moves the collector to the UI thread (``gc_guard``), as the
    main window does."""
    import os
    import subprocess
    import sys

    script = tmp_path / "freed.py"
    script.write_text(_FREED_ON_A_WORKER, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "still running" in done.stdout
    assert "another thread" not in done.stderr
