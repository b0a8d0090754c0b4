"""The screenshot layout test: the main window with its panels, the compare
view and the New Guideline wizard at 1280x800 and 1920x1080, measured as a
user sees them (offscreen, real widgets).  No dock or pane is narrower than a
usable minimum, no button text is elided, no table header is clipped, and the
wizard opens in a usable state."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDockWidget,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTextEdit,
)

from guidelines_app.core.document import Document
from guidelines_app.drafting.library import load_library
from guidelines_app.review import history
from guidelines_app.ui.drafting.wizard import BLANK, NewGuidelineWizard
from guidelines_app.ui.main_window import MainWindow

SIZES = [(1280, 800), (1920, 1080)]
MIN_PANE = 220  # narrowest usable dock or pane, in pixels
MIN_DOCK_HEIGHT = 220

BODY = """# Social media guidelines

## Channels

| Channel | Owner | Safety review |
|---|---|---|
| Instagram | Communications | Weekly |
| Community forum | Customer service | Daily |

## Scope

These guidelines apply to everyone who posts for Northwind.
"""


def settle(qtbot, ms: int = 150) -> None:
    qtbot.wait(ms)
    QApplication.processEvents()


def visible(widget) -> bool:
    return widget.isVisibleTo(widget.window()) and widget.isVisible()


def elided_buttons(root) -> list[str]:
    """Texts of visible buttons under *root* whose text does not fit."""
    bad = []
    for b in root.findChildren(QAbstractButton):
        if not visible(b) or not b.text():
            continue
        text = b.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        # Qt sizes a button's hint to show its whole text (and menu arrow).
        need, room = b.sizeHint().width(), b.width()
        if need > room + 1:
            bad.append(f"{text!r} needs {need}px, has {room}px")
    return bad


def clipped_labels(root) -> list[str]:
    """Visible one-line labels under *root* cut off at their right edge."""
    bad = []
    for label in root.findChildren(QLabel):
        if not visible(label) or label.wordWrap() or not label.text() or label.pixmap() and not label.pixmap().isNull():
            continue
        if label.sizeHint().width() > label.width() + 2:
            bad.append(f"{label.text()[:40]!r} needs {label.sizeHint().width()}px, has {label.width()}px")
    return bad


def clipped_headers(root) -> list[str]:
    bad = []
    for table in root.findChildren(QTableWidget):
        if not visible(table):
            continue
        header: QHeaderView = table.horizontalHeader()
        for col in range(table.columnCount()):
            item = table.horizontalHeaderItem(col)
            if item is None or header.isSectionHidden(col):
                continue
            need = header.fontMetrics().horizontalAdvance(item.text()) + 12
            if header.sectionSize(col) < need:
                bad.append(f"{item.text()!r} needs {need}px, has {header.sectionSize(col)}px")
    return bad


def narrow_panes(root) -> list[str]:
    bad = []
    for split in root.findChildren(QSplitter):
        if not visible(split):
            continue
        for n in range(split.count()):
            w = split.widget(n)
            if not w.isVisible():
                continue
            size = w.width() if split.orientation().name == "Horizontal" else w.height()
            if size < (MIN_PANE if split.orientation().name == "Horizontal" else 100):
                bad.append(f"{split.objectName() or type(split).__name__} pane {n} ({type(w).__name__}) is {size}px")
    return bad


@pytest.fixture
def published_window(qtbot, workspace, settings, author):
    doc = Document.new("Social media guidelines", organization="Northwind")
    doc.body = BODY
    slug, _ = workspace.create_document(doc, author)
    # Long summaries make long captions: they wrap, they do not squeeze a pane.
    history.publish(workspace, slug, version="1.0", author=author, approver="Head of Communications",
                    summary="First approved version of the guidelines for every channel, with moderation rules")
    text = workspace.load(slug).to_text().replace("Weekly", "Every working day")
    workspace.save_text(slug, text, author, "Faster safety reviews on Instagram and a new owner for the forum")
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    yield w
    w.editor.document().setModified(False)
    w.doc = None


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_main_window_panels_are_usable(qtbot, published_window, size):
    w = published_window
    w.resize(*size)
    w.show()
    w.feature_loader.load()  # the features (and their panels) load just after the first paint
    docks = [d for d in w.findChildren(QDockWidget)]
    assert len(docks) >= 4  # clause library, to be decided, history, check
    for d in docks:
        d.show()
    settle(qtbot, 300)
    shown = [d for d in docks if d.isVisible() and not d.isFloating()]
    assert shown
    for d in shown:
        if d.visibleRegion().isEmpty():
            continue  # a tab behind another one
        assert d.width() >= MIN_PANE, f"{d.windowTitle()} dock is {d.width()}px wide"
        assert d.height() >= MIN_DOCK_HEIGHT, f"{d.windowTitle()} dock is {d.height()}px high"
    history_dock = w.features["history"].dock
    assert history_dock.width() <= 0.34 * size[0], "the History panel takes too much of the window"
    assert w.editor.parentWidget() is not None
    assert narrow_panes(w) == []
    assert elided_buttons(w) == []


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_compare_view_panes_captions_and_buttons_fit(qtbot, published_window, size):
    w = published_window
    w.show()
    compare = w.features["history"].open_compare("v1.0", "HEAD")
    assert compare is not None
    compare.resize(*size)
    qtbot.waitUntil(lambda: compare.diff is not None, timeout=10000)
    settle(qtbot, 300)
    before, after = compare.old_view, compare.new_view
    assert after.width() >= 0.8 * before.width(), (before.width(), after.width())
    assert after.width() >= MIN_PANE
    assert elided_buttons(compare) == []
    assert clipped_labels(compare) == []
    button = compare.export_button
    assert button.geometry().right() <= compare.width()
    compare.close()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_wizard_opens_usable_and_its_tables_fit(qtbot, workspace, size):
    wizard = NewGuidelineWizard(None, load_library(workspace.root), organization="Northwind")
    qtbot.addWidget(wizard)
    wizard.resize(min(size[0] - 80, 1180), min(size[1] - 80, 760))
    wizard.show()
    settle(qtbot)
    # The highlighted template is the one in use: its preview, its button.
    assert wizard.set_list.currentRow() == 0
    assert wizard.selected_set_id() != BLANK
    assert wizard.next_button.text() == "Next >" and wizard.next_button.isEnabled()
    qtbot.waitUntil(lambda: wizard.preview.last_rendered is not None, timeout=5000)
    text = wizard.preview.toPlainText()
    assert "A blank document" not in text and text.strip()
    assert elided_buttons(wizard) == []
    # The question pages: every table's headers readable.
    pages = 0
    while wizard.pages.currentIndex() < wizard.pages.count() - 1:
        wizard.go_next()
        settle(qtbot, 50)
        pages += 1
        assert clipped_headers(wizard) == [], wizard.pages.currentWidget().property("page_name")
        assert elided_buttons(wizard) == []
    assert pages >= 1
    assert any(isinstance(t, QTableWidget) for t in wizard.findChildren(QTableWidget))
    wizard.done(0)  # (closed as Cancel does, without its question about the answers)


def test_wizard_selection_change_follows(qtbot, workspace):
    """Switching to another set and back updates the preview each time."""
    wizard = NewGuidelineWizard(None, load_library(workspace.root))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.select_set(BLANK)
    assert wizard.next_button.text() == "Create >"
    qtbot.waitUntil(lambda: "A blank document" in wizard.preview.toPlainText(), timeout=5000)
    wizard.set_list.setCurrentRow(0)
    assert wizard.next_button.text() == "Next >"
    qtbot.waitUntil(lambda: wizard.preview.toPlainText().strip()
                    and "A blank document" not in wizard.preview.toPlainText(), timeout=5000)
    QTimer.singleShot(0, wizard.reject)


def test_preview_tables_do_not_break_words(qtbot, published_window):
    w = published_window
    w.resize(1280, 800)
    w.show()
    w.features["history"].dock.show()
    settle(qtbot, 400)
    qtbot.waitUntil(lambda: w.preview.last_rendered is not None, timeout=10000)
    settle(qtbot, 200)
    preview: QTextEdit = w.preview
    doc = preview.document()
    # The table fits the narrow pane (no sideways scrolling): only the widest
    # columns (Owner, then Channel) have their longest words split.
    assert preview.horizontalScrollBar().maximum() == 0
    block = doc.begin()
    words = {"Safety", "Channel"}
    found = set()
    while block.isValid():
        layout = block.layout()
        text = block.text()
        for word in words:
            at = text.find(word)
            if at >= 0 and layout is not None and layout.lineCount():
                first = layout.lineForTextPosition(at).lineNumber()
                last = layout.lineForTextPosition(at + len(word) - 1).lineNumber()
                assert first == last, f"{word!r} is broken over two lines"
                found.add(word)
        block = block.next()
    assert found == words
