"""Starting the desktop app: ``guidelines-app``, ``python main.py`` or
``python -m guidelines_app``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QFileDialog

from guidelines_app import APP_NAME, __version__
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.settings import Settings
from guidelines_app.core.workspace import Workspace, choose_workspace_dir
from guidelines_app.ui.dialogs import show_error
from guidelines_app.ui.main_window import MainWindow


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="guidelines-app", description=f"Start {APP_NAME}.")
    parser.add_argument("--workspace", metavar="DIR", help="workspace folder to open (created if missing)")
    parser.add_argument("document", nargs="?", help="document to open (file name without .md)")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def initial_workspace_dir(explicit: str | None, settings: Settings) -> Path:
    """--workspace or $GUIDELINES_WORKSPACE, else the last one used, else the default."""
    import os

    from guidelines_app.core.workspace import WORKSPACE_ENV

    if explicit or os.environ.get(WORKSPACE_ENV):
        return choose_workspace_dir(explicit)
    for folder in settings.recent_workspaces:
        if (Path(folder) / ".git").exists():
            return Path(folder)
    return choose_workspace_dir(None)


def open_workspace(folder: Path) -> Workspace | None:
    """Open or create the workspace; on failure, let the user pick another folder."""
    while True:
        try:
            return Workspace.create(folder)
        except GuidelinesError as exc:
            show_error(None, "Cannot open the workspace", str(exc), "Choose another folder for your guidelines.")
            chosen = QFileDialog.getExistingDirectory(None, "Choose a folder for your guidelines")
            if not chosen:
                return None
            folder = Path(chosen)


def create_window(argv: list[str] | None = None) -> MainWindow | None:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    settings = Settings.load()
    workspace = open_workspace(initial_workspace_dir(args.workspace, settings))
    if workspace is None:
        return None
    window = MainWindow(workspace, settings)
    if args.document:
        window.open_document(args.document)
    return window


def main(argv: list[str] | None = None) -> int:
    QCoreApplication.setOrganizationName("GuidelineStudio")
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = create_window(argv)
    if window is None:
        return 1
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
