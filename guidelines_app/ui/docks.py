"""The panels beside the text (Clause Library, To Be Decided, History): one
dock area on the right where they share the space as tabs rather than
stacking into slivers, at a width that leaves the text the larger part."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

AREA = Qt.DockWidgetArea.RightDockWidgetArea
SHARE = 0.3  # at most this part of the window's width
MIN_WIDTH = 300


def add_side_panel(window: QMainWindow, dock: QDockWidget) -> None:
    """Put *dock* in the right-hand area, as a tab beside the panels there."""
    dock.setMinimumWidth(240)
    others = [d for d in window.findChildren(QDockWidget)
              if d is not dock and window.dockWidgetArea(d) == AREA and not d.isFloating()]
    window.addDockWidget(AREA, dock)
    if others:
        window.tabifyDockWidget(others[0], dock)
    # Shown from a menu: its tab comes to the front.
    dock.toggleViewAction().triggered.connect(lambda checked: checked and dock.raise_())


def give_width(window: QMainWindow, dock: QDockWidget) -> None:
    """A shown panel gets a usable width, never most of the window."""
    if dock.isFloating():
        return
    want = max(MIN_WIDTH, int(window.width() * SHARE))
    if abs(dock.width() - want) > 40:
        window.resizeDocks([dock], [want], Qt.Orientation.Horizontal)
