"""Starting the desktop app: ``guidelines-app``, ``python main.py`` or
``python -m guidelines_app``."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from guidelines_app import APP_NAME, __version__
from guidelines_app.core.errors import GitNotInstalled, GuidelinesError
from guidelines_app.core.settings import Settings
from guidelines_app.core.workspace import Workspace, choose_workspace_dir
from guidelines_app.ui.crash import CrashHandler, autoclose, build_report, write_report
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


GIT_MISSING = ("Guideline Studio keeps every revision with git, and git is not installed on this computer "
               "(or not on the PATH).")
GIT_INSTALL = ("Install git from https://git-scm.com/downloads (Linux: your package manager, for example "
               "'sudo apt install git'; macOS: 'xcode-select --install'), then start Guideline Studio again.")


def _git_missing(exc: BaseException) -> bool:
    return isinstance(exc, GitNotInstalled) or type(exc).__name__ == "GitCommandNotFound" or shutil.which("git") is None


def explain_start_failure(exc: BaseException) -> None:
    """A dialog (and one stderr line) instead of a traceback; the details go to the log."""
    write_report(build_report(type(exc), exc, exc.__traceback__))
    if _git_missing(exc):
        title, message, detail = "Git is not installed", GIT_MISSING, GIT_INSTALL
    else:
        title, message = "Cannot open the workspace", str(exc) or type(exc).__name__
        detail = "The details were written to the log folder."
    sys.stderr.write(f"error: {message} {detail}\n")
    box = QMessageBox(QMessageBox.Icon.Critical, title, message)
    box.setInformativeText(detail)
    autoclose(box)
    box.exec()


def open_workspace(folder: Path) -> Workspace | None:
    """Open or create the workspace; on failure, let the user pick another
    folder (git missing or an unexpected failure: explain and give up)."""
    while True:
        try:
            return Workspace.create(folder)
        except GitNotInstalled as exc:
            explain_start_failure(exc)
            return None
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
    try:
        window = create_window(argv)
    except Exception as exc:  # noqa: BLE001 - a dialog, never a traceback
        explain_start_failure(exc)
        return 1
    if window is None:
        return 1
    crash = CrashHandler()
    crash.install()
    window.show()
    try:
        return app.exec()
    finally:
        crash.uninstall()


if __name__ == "__main__":
    raise SystemExit(main())
