"""The crash handler: an unexpected exception first puts every open
document's unsaved text in the recovery area, then writes a report to the
log folder and shows it in a dialog the user can copy from.

The report goes to the app's rotating log file (``core.logs``: the
platform's log folder, or ``$GUIDELINES_LOG_DIR``), and the dialog names that
file; Help > Show Log Folder opens the folder.
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer, QtMsgType, QUrl, qInstallMessageHandler
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from guidelines_app import APP_NAME, __version__
from guidelines_app.core.logs import LOG_DIR_ENV, log_dir, write_report  # noqa: F401 - LOG_DIR_ENV: for the tests

translate = QCoreApplication.translate
# Milliseconds after which the app's own error dialogs close by themselves
# (for tests that run the app in a subprocess); unset: they wait for the user.
AUTOCLOSE_ENV = "GUIDELINES_AUTOCLOSE_DIALOGS_MS"


def autoclose(box) -> None:
    """Close *box* after $GUIDELINES_AUTOCLOSE_DIALOGS_MS, when that is set."""
    ms = os.environ.get(AUTOCLOSE_ENV, "")
    if ms.isdigit():
        QTimer.singleShot(int(ms), box.reject)


def open_log_folder() -> None:
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def build_report(exc_type, exc, tb) -> str:
    import platform  # here: the window's start does without it

    when = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    lines = "".join(traceback.format_exception(exc_type, exc, tb))
    return (f"=== {APP_NAME} {__version__}: unexpected error at {when}\n"
            f"Python {platform.python_version()} on {platform.platform()}\n"
            f"What happened: {exc_type.__name__}: {exc}\n\n{lines}")


def _autosave_everything() -> int:
    saved = 0
    for widget in QApplication.topLevelWidgets():
        keeper = getattr(widget, "safekeeping", None)
        if keeper is None:
            continue
        try:
            saved += bool(keeper.autosave_now(wait=True))
        except Exception:  # noqa: BLE001 - the report still goes out
            pass
    return saved


class CrashHandler:
    """Installed as ``sys.excepthook`` for the app's lifetime."""

    def __init__(self):
        self.previous = None
        self._handling = False
        self.last_report = ""

    def install(self) -> None:
        self.previous, sys.excepthook = sys.excepthook, self
        self.previous_qt = qInstallMessageHandler(self.qt_message)

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self.previous
        qInstallMessageHandler(self.previous_qt)

    def qt_message(self, kind, context, message: str) -> None:
        """Qt's messages go on to stderr as before; a fatal one (Qt ends the
        process right after) first saves the unsaved text and the report."""
        if self.previous_qt is not None:
            self.previous_qt(kind, context, message)
        else:
            sys.stderr.write(message + "\n")
        if kind == QtMsgType.QtFatalMsg:
            _autosave_everything()
            when = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            write_report(f"=== {APP_NAME} {__version__}: Qt stopped the app at {when}\n{message}\n")

    def __call__(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt) or self._handling:
            sys.__excepthook__(exc_type, exc, tb)
            return
        self._handling = True
        try:
            kept = _autosave_everything()
            self.last_report = report = build_report(exc_type, exc, tb)
            path = write_report(report)
            sys.stderr.write(report)
            if QApplication.instance() is not None:
                self._show(report, path, kept)
        finally:
            self._handling = False

    @staticmethod
    def _show(report: str, path: Path | None, kept: int) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, translate("Crash", "%s ran into a problem") % APP_NAME,
                          translate("Crash", "Something unexpected went wrong. ")
                          + (translate("Crash", "Your unsaved text was put in the recovery area first. ") if kept else "")
                          + translate("Crash", "You can keep working; if it happens again, please send the report below."))
        box.setObjectName("crash-report")
        box.setInformativeText(translate("Crash", "The report was written to the log file %s (Help > Show Log Folder opens "
                                           "its folder).") % path if path else translate("Crash", "The report could not be written."))
        box.setDetailedText(report)
        copy = box.addButton(translate("Crash", "Copy Report"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Ok)
        autoclose(box)
        box.exec()
        if box.clickedButton() is copy:
            QGuiApplication.clipboard().setText(report)
