"""Choosing a workspace folder: File > New Workspace, Open Workspace and
Recent Workspaces ask here; the window switches to what they return."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.workspace import Workspace
from guidelines_app.ui.dialogs import show_error
from guidelines_app.ui.fill import fill

translate = QCoreApplication.translate


def ask_folder(parent: QWidget, create: bool) -> Path | None:
    title = (translate("Workspace", "Choose or create a folder for the new workspace") if create
             else translate("Workspace", "Open a workspace folder"))
    folder = QFileDialog.getExistingDirectory(parent, title)
    return Path(folder) if folder else None


def open_folder(parent: QWidget, folder: Path, create: bool) -> Workspace | None:
    """The workspace in *folder*; a folder that is not one yet becomes one
    if the reader agrees (always, when *create*).  None: stay where we are."""
    try:
        if not create and not (folder / ".git").exists():
            answer = QMessageBox.question(
                parent, translate("Workspace", "Not a workspace yet"),
                fill(translate("Workspace", "%1 is not a guidelines workspace yet.\n\nMake it one? Your files in it are not changed."),
                     folder),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        return Workspace.create(folder)
    except GuidelinesError as exc:
        show_error(parent, translate("Workspace", "Cannot open workspace"), str(exc),
                   translate("Workspace", "Choose another folder with File > Open Workspace."))
        return None
