"""The text laid out again for a new width (``ui.relayout``) when the History
panel takes width from it: the part on screen at once, the rest held while
the list is read and then laid out a slice at a time; and the preview
rendered again on a resize only for a picture that no longer fits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QTextEdit, QWidget

from guidelines_app.core.document import Document
from guidelines_app.ui.relayout import TextRelayout, laying_out

WORDS = "policy team post review approval channel response crisis audience privacy moderation owner".split()


def _long_text(paragraphs: int = 700) -> str:
    """About 240,000 characters: Qt lays it out in several steps of its timer."""
    return "\n\n".join(" ".join(WORDS[(p + i) % len(WORDS)] for i in range(60)) for p in range(paragraphs))


def _view(qtbot, text: str, width: int, parent: QWidget | None = None) -> QTextEdit:
    view = QTextEdit(parent)
    view.setCursorWidth(0)  # no blinking caret in the pictures compared
    view.setPlainText(text)
    view.resize(width, 500)
    if parent is None:
        qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: not laying_out(view.document().documentLayout()), timeout=10000)
    return view


def _fits(view: QTextEdit) -> bool:
    """Every block laid out within the view's width (a block still laid
    out for a wider one would stick out: clipped text)."""
    doc = view.document()
    layout, width = doc.documentLayout(), doc.textWidth()
    block = doc.begin()
    while block.isValid():
        if layout.blockBoundingRect(block).right() > width + 1:
            return False
        block = block.next()
    return True


def test_held_steps_wait_and_then_the_rest_is_laid_out_in_slices(qtbot):
    text = _long_text()
    window = QWidget()  # one window: both drawn as in the same (active or not) window
    window.resize(1900, 600)
    qtbot.addWidget(window)
    window.show()
    held, free = _view(qtbot, text, 900, window), _view(qtbot, text, 900, window)
    free.move(950, 0)
    relayout = TextRelayout(held, lambda: [held])
    relayout.hold()
    held.resize(500, 500)  # narrower, as when a side panel opens
    free.resize(500, 500)
    layout = held.document().documentLayout()
    assert laying_out(layout)
    # Qt's own steps finish the twin; the held view waits (what shows is laid out already).
    qtbot.waitUntil(lambda: not laying_out(free.document().documentLayout()), timeout=10000)
    qtbot.wait(100)
    assert laying_out(layout) and relayout.busy()
    assert held.viewport().grab().toImage() == free.viewport().grab().toImage()
    relayout.release()
    QApplication.processEvents()  # one slice: far from the whole text
    assert laying_out(layout) and relayout.busy()
    qtbot.waitUntil(lambda: not relayout.busy(), timeout=10000)
    assert not laying_out(layout)
    assert held.document().size() == free.document().size()  # the same layout as Qt's own
    assert _fits(held)
    # The scroll bar takes the finished size from Qt's size report, one event-loop turn later.
    qtbot.waitUntil(lambda: held.verticalScrollBar().maximum() == free.verticalScrollBar().maximum(), timeout=2000)
    for view in (held, free):
        view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    assert held.viewport().grab().toImage() == free.viewport().grab().toImage()


def test_a_width_change_while_slicing_starts_the_slices_again_from_the_top(qtbot):
    text = _long_text()
    view = _view(qtbot, text, 900)
    relayout = TextRelayout(view, lambda: [view])
    relayout.hold()
    view.resize(500, 500)
    relayout.release()
    QApplication.processEvents()
    view.resize(700, 500)  # the panel closed again meanwhile
    qtbot.waitUntil(lambda: not relayout.busy(), timeout=10000)
    assert not laying_out(view.document().documentLayout())
    assert view.document().textWidth() == view.viewport().width() and _fits(view)


def test_a_hold_nobody_releases_ends_by_itself(qtbot, monkeypatch):
    from guidelines_app.ui import relayout as relayout_module

    monkeypatch.setattr(relayout_module, "HOLD_AT_MOST_MS", 200)
    view = _view(qtbot, _long_text(), 900)
    relayout = TextRelayout(view, lambda: [view])
    relayout.hold()
    view.resize(500, 500)
    qtbot.waitUntil(lambda: not relayout.busy(), timeout=10000)
    assert not laying_out(view.document().documentLayout()) and _fits(view)


@pytest.fixture
def long_window(qtbot, workspace, settings, author):
    body = "# Policy\n\n" + "\n\n".join(f"## Part {n}\n\n{p}" for n, p in enumerate(_long_text(300).split("\n\n")))
    slug, _ = workspace.create_document(Document.new("Policy", body=body), author)
    workspace.save_text(slug, workspace.load(slug).to_text().replace("Part 1\n", "Part one\n"), author, "Second")
    from guidelines_app.ui.main_window import MainWindow

    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.resize(1400, 800)
    w.show()
    w.open_document(slug)
    qtbot.waitUntil(lambda: w.preview.last_rendered is not None, timeout=10000)
    views = (w.editing.surface, w.preview)
    qtbot.waitUntil(lambda: not any(laying_out(v.document().documentLayout()) for v in views), timeout=10000)
    return w


def test_the_panel_lists_before_it_shows_and_the_text_fits_its_new_width(long_window, qtbot):
    w = long_window
    f = w.features["history"]
    started = []
    real_run = f.jobs.run
    f.jobs.run = lambda *a, **k: (started.append(k.get("key")), real_run(*a, **k))[1]
    running_when_shown = []

    class Shown(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Show:
                running_when_shown.append(f.jobs.running())
            return False

    spy = Shown()
    f.dock.installEventFilter(spy)
    surface, preview = w.editing.surface, w.preview
    surface.setCursorWidth(0)  # no blinking caret in the pictures compared below
    wide = surface.document().textWidth()
    with qtbot.waitSignal(f.panel.loaded, timeout=10000):
        f.act_panel.trigger()  # History > Show History Panel
    assert running_when_shown[:1] == [1]  # the listing was under way when the dock appeared
    assert started.count("history") == 1  # and started once
    assert f.panel.model.rowCount() == 2
    assert surface.document().textWidth() < wide - 100  # the dock took width from the text
    shown = [v.viewport().grab().toImage() for v in (surface, preview)]
    assert f.relayout.busy()  # the rest waits until the list is painted
    qtbot.waitUntil(lambda: not f.relayout.busy(), timeout=10000)
    for view in (surface, preview):
        assert not laying_out(view.document().documentLayout())
        assert view.document().textWidth() == view.viewport().width() and _fits(view)
    # What showed was laid out for the new width all along (only the scroll bars' lengths were estimates).
    assert [v.viewport().grab().toImage() for v in (surface, preview)] == shown


def test_closing_the_panel_while_it_lists_lets_the_text_be_laid_out(long_window, qtbot):
    f = long_window.features["history"]
    f.act_panel.trigger()
    f.act_panel.trigger()  # closed again at once
    assert not f.dock.isVisible()
    qtbot.waitUntil(lambda: not f.relayout.busy(), timeout=10000)
    surface = long_window.editing.surface
    assert not laying_out(surface.document().documentLayout()) and _fits(surface)


def test_the_preview_is_rendered_again_on_a_resize_only_for_a_picture_that_no_longer_fits(long_window, qtbot):
    from PySide6.QtGui import QColor, QImage

    w = long_window
    preview = w.preview
    for name, width in (("small.png", 80), ("wide.png", 3000)):
        picture = QImage(width, 40, QImage.Format.Format_RGB32)
        picture.fill(QColor("steelblue"))
        assert picture.save(str(w.ws.root / "guidelines" / name))
    renders = []
    preview.rendered.connect(renders.append)
    preview.render_now("# Policy\n\n![Logo](small.png)\n\nText.\n")
    qtbot.waitUntil(lambda: len(renders) == 1 and preview.is_idle(), timeout=5000)
    assert list(preview.document().picture_widths.values()) == [80]
    w.resize(1000, 800)  # narrower, still wider than the picture: only laid out again
    qtbot.wait(int(w.settings.preview_delay_ms) + 300)
    assert len(renders) == 1 and preview.is_idle()
    preview.render_now("# Policy\n\n![Banner](wide.png)\n\nText.\n")
    qtbot.waitUntil(lambda: len(renders) == 2 and preview.is_idle(), timeout=5000)
    fitted = preview.document().max_width
    assert list(preview.document().picture_widths.values()) == [3000] and fitted < 3000
    w.resize(1400, 800)  # wider: the banner can be shown larger
    qtbot.waitUntil(lambda: len(renders) == 3 and preview.is_idle(), timeout=5000)
    assert preview.document().max_width > fitted
