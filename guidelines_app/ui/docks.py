"""The panels beside the text (Clause Library, To Be Decided, History): one
dock area on the right where they share the space as tabs rather than
stacking into slivers, at a width that leaves the text the larger part."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar, QTabWidget

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
    # Qt makes the tabs of the shared area when it lays the docks out: each is named as it comes.
    if window.findChild(_TabNamer) is None:
        window.installEventFilter(_TabNamer(window))
    _name_tabs(window)
    # Shown from a menu: its tab comes to the front.
    dock.toggleViewAction().triggered.connect(lambda checked: checked and dock.raise_())


class _TabNamer(QObject):
    """Names the tab bars Qt adds to the window for tabbed docks.  A child
    added is not looked at (``event.child()`` makes a Python object of every
    child of the window, building the Python types of their classes: tens of
    milliseconds while the features install); the bars are looked for once
    the children added in one go are in."""

    due = False

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.ChildAdded and not self.due:
            self.due = True
            QTimer.singleShot(0, self, lambda: self._name(watched))
        return False

    def _name(self, window) -> None:
        self.due = False
        _name_tabs(window)


def _name_tabs(window: QMainWindow) -> None:
    """The dock area's tab bars, named for screen readers."""
    for bar in window.findChildren(QTabBar):
        if not bar.accessibleName() and not isinstance(bar.parent(), QTabWidget):
            bar.setAccessibleName(QCoreApplication.translate("MainWindow", "Side panels"))
            bar.setAccessibleDescription(QCoreApplication.translate("MainWindow", "Choose which panel beside the text is shown"))
            # Tab moves between the panels' contents; their menu entries bring a panel to the front.
            bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)


def give_width(window: QMainWindow, dock: QDockWidget, share: float = SHARE) -> None:
    """A shown panel gets a usable width, never most of the window (at most
    *share* of it, unless that is below MIN_WIDTH)."""
    if dock.isFloating():
        return
    want = max(MIN_WIDTH, int(window.width() * share))
    if abs(dock.width() - want) > 40:
        window.resizeDocks([dock], [want], Qt.Orientation.Horizontal)
