"""The window's arrangement kept from one session to the next (QSettings):
its size and place, the split between the editor and the preview, and
whether the preview and the sidebar are shown (View > Show Preview, Show
Sidebar: a pane the user closed stays closed)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

GEOMETRY, SPLIT, PREVIEW, SIDEBAR = "window/geometry", "window/split", "window/preview", "window/sidebar"


def restore(window) -> None:
    """*window* arranged as it was when last closed (as built, the first time)."""
    qs = QSettings()
    geometry = qs.value(GEOMETRY)
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    state = qs.value(SPLIT)
    if isinstance(state, QByteArray):
        window.content_split.restoreState(state)
    for key, action, show in ((PREVIEW, window.act_toggle_preview, window.set_preview_visible),
                              (SIDEBAR, window.act_toggle_sidebar, window.set_sidebar_visible)):
        shown = qs.value(key, True, type=bool)
        if not shown:
            action.setChecked(False)
            show(False)


def save(window) -> None:
    """*window*'s arrangement, for the next session."""
    qs = QSettings()
    qs.setValue(GEOMETRY, window.saveGeometry())
    qs.setValue(SPLIT, window.content_split.saveState())
    qs.setValue(PREVIEW, window.act_toggle_preview.isChecked())
    qs.setValue(SIDEBAR, window.act_toggle_sidebar.isChecked())
