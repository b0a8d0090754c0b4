"""Every interactive widget a keyboard or screen-reader user meets has a
name: the walk covers the main window, the New Guideline wizard (every
page), the History panel, the Compare window, the export and publish
dialogs, the user guide and the shortcut list.  The name is the one Qt's
accessibility layer gives an assistive technology (its own accessible name,
a button's text, or the label it is the buddy of), so a widget with nothing
but a placeholder or an icon fails."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

from guidelines_app.core.document import Document
from guidelines_app.ui.main_window import MainWindow

INTERACTIVE = (QAbstractButton, QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
               QAbstractSlider, QTabBar)
BODY = "# Policy\n\n## Who\n\nEveryone who posts.\n\n## How\n\nBe kind. [to be decided: approver]\n"


def accessible_name(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name).strip() if iface is not None else ""


def unnamed(root: QWidget) -> list[str]:
    """The interactive widgets under *root* a user can reach without a name.
    Left out: Qt's own parts (names starting qt_, headers, scroll bars, a
    line edit's clear button), which take no focus and Qt names itself."""
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, INTERACTIVE) or isinstance(widget, (QScrollBar, QHeaderView)):
            continue
        if widget.objectName().startswith("qt_") or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if isinstance(widget, QTabBar) and widget.count() == 0:  # a dock area's tab bar with no tabs yet: nothing to reach
            continue
        if widget.window() is not root.window():  # inside a popup of its own (a combo box's list)
            continue
        combo_name = isinstance(widget, QComboBox) and widget.accessibleName().strip()
        if isinstance(widget, QComboBox) and not combo_name and not _is_buddy(widget):
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} (a combo box says only its value)")
        elif not accessible_name(widget):
            parent = widget.parentWidget()
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} in {parent.objectName() if parent else ''!r}")
    return missing


def _is_buddy(widget: QWidget) -> bool:
    from PySide6.QtWidgets import QLabel

    window = widget.window()
    return any(label.buddy() is widget and label.text().strip() for label in window.findChildren(QLabel))


@pytest.fixture
def window(qtbot, workspace, settings, author):
    workspace.create_document(Document.new("Policy", "Acme", body=BODY), author)
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: "Everyone who posts" in w.preview.toPlainText(), timeout=5000)
    return w


def test_main_window_and_its_panels(window):
    window.find_bar.open_bar(replace=True)
    assert unnamed(window) == []


def test_wizard_on_every_page(window, qtbot):
    from guidelines_app.ui.drafting.feature import TemplatesFeature

    wizard = window.features.get("templates", TemplatesFeature).make_wizard()
    qtbot.addWidget(wizard)
    wizard.show()
    assert unnamed(wizard) == []
    pages = 0
    while wizard.next_button.isEnabled() and pages < 30:
        wizard.go_next()
        pages += 1
        assert unnamed(wizard) == [], f"page {pages}"
    assert pages >= 2


def test_history_compare_and_dialogs(window, qtbot):
    from guidelines_app.ui.help import GuideWindow, ShortcutsDialog
    from guidelines_app.ui.publishing.feature import RevisionDialog
    from guidelines_app.ui.review.compare_view import UNSAVED
    from guidelines_app.ui.review.feature import HistoryFeature
    from guidelines_app.ui.review.publish_dialog import PublishDialog

    history = window.features.get("history", HistoryFeature)
    assert unnamed(history.panel) == []
    window.editor.setPlainText(BODY.replace("Be kind.", "Be kind and accurate."))
    compare = history.open_compare("HEAD", UNSAVED)
    qtbot.addWidget(compare)
    qtbot.waitUntil(lambda: compare.diff is not None, timeout=10000)
    assert unnamed(compare) == []
    revisions = window.ws.history(window.slug)
    from guidelines_app.ui.dialogs import DetailsDialog, IdentityDialog, NewDocumentDialog, RevisionMessageDialog

    for dialog in (RevisionDialog(window, revisions, {}), PublishDialog(window, window.ws, window.slug),
                   GuideWindow(window), ShortcutsDialog(window), DetailsDialog(window, window.doc), IdentityDialog(window),
                   NewDocumentDialog(window), RevisionMessageDialog(window, "Edit How")):
        qtbot.addWidget(dialog)
        assert unnamed(dialog) == [], dialog.objectName() or type(dialog).__name__


def test_the_walk_finds_a_nameless_field(qtbot):
    box = QWidget()
    qtbot.addWidget(box)
    QLineEdit(box, placeholderText="Find")
    assert len(unnamed(box)) == 1


def test_tab_goes_through_the_window_in_reading_order(window, qtbot):
    from PySide6.QtWidgets import QApplication

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    window.doc_list.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.doc_list, timeout=5000)
    order = []
    for _ in range(6):
        order.append(accessible_name(QApplication.focusWidget()))
        window.focusNextChild()
    assert order == ["Documents", "New Guideline…", "Outline", "Document text", "Preview", "Documents"]


def test_a_form_dialog_starts_in_its_first_field_and_tabs_down_then_to_the_buttons(window, qtbot):
    """Request Review opened with the keyboard on OK, Tab went OK -> Cancel
    -> the first field (backwards), and in the reviewers box Tab typed a tab
    and there was no way out to OK but Ctrl+Tab."""
    from PySide6.QtWidgets import QApplication

    from guidelines_app.ui.governance.dialogs import RequestReviewDialog

    dialog = RequestReviewDialog(window, window.doc)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.lines, timeout=5000)
    before = dialog.lines.toPlainText()
    qtbot.keyClick(dialog.lines, Qt.Key.Key_Tab)
    assert dialog.lines.toPlainText() == before  # no tab typed into the reviewers
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert QApplication.focusWidget() is ok
    dialog.reject()
