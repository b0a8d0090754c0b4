"""The app's icon (resources/icons: an SVG and its PNG sizes), for every
window and the task bar."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from guidelines_app.ui.desktop_entry import icon_paths


def app_icon() -> QIcon:
    """Built from the PNG sizes (no SVG image plugin needed)."""
    icon = QIcon()
    for path in icon_paths():
        if path.is_file():
            icon.addFile(str(path))
    return icon
