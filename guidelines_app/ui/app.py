"""Starting the desktop app: ``guidelines-app``, ``python main.py`` or
``python -m guidelines_app``."""

# ruff: noqa: E402 - the collector is held before the imports below (see _COLLECTING)
from __future__ import annotations

import gc

# No cyclic garbage collection while the window's modules are imported: they
# make only what lives as long as the app (modules, classes, functions), and
# the collector walked it some 50 times (4 ms of the start).  Back on once
# they are in, with what they made frozen (``gc.freeze``); the window then
# moves collection to the UI thread (ui.gc_guard).
_COLLECTING = gc.isenabled()
gc.disable()

import argparse
import os
import shutil
import sys
from pathlib import Path

# The core (and git, YAML, Markdown under it) before PySide6: PySide reads the
# source of every module imported after it (for its __feature__ switches),
# 20 ms of the start for these.
from guidelines_app import APP_NAME, __version__
from guidelines_app.core import logs
from guidelines_app.core.errors import GitNotInstalled, GuidelinesError
from guidelines_app.core.paths import resources_dir
from guidelines_app.core.settings import Settings
from guidelines_app.core.workspace import DOCS_DIR, Workspace, choose_workspace_dir, find_enclosing_workspace

# isort: split
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QThreadPool, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from guidelines_app.ui.crash import AUTOCLOSE_ENV, CrashHandler, autoclose, build_report, write_report
from guidelines_app.ui.desktop_entry import APP_ID
from guidelines_app.ui.main_window import MainWindow

if _COLLECTING:
    gc.freeze()  # what they made, out of every later collection (else the first one walked it all)
    gc.enable()
translate = QCoreApplication.translate


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="guidelines-app", description=f"Start {APP_NAME}.")
    parser.add_argument("--workspace", metavar="DIR", help="workspace folder to open (created if missing)")
    parser.add_argument("document", nargs="?",
                        help="document to open: its name (file name without .md), or the path of its .md file "
                             "(the workspace it is in is opened)")
    parser.add_argument("--install-desktop", action="store_true",
                        help="add the app to the desktop's application menu (Linux: ~/.local/share) and exit")
    parser.add_argument("--associate-md", action="store_true",
                        help="with --install-desktop: offer the app under 'Open With' for Markdown files")
    parser.add_argument("--self-test", action="store_true",
                        help="start without showing a window, print what works as JSON (menus, Word export) and exit")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def document_target(arg: str | None) -> tuple[Path | None, str | None, str]:
    """What the command line's DOCUMENT names: (workspace folder or None,
    document name or None, a note for the user or "").  A path of a .md file
    in a workspace's guidelines folder opens that workspace and document."""
    if not arg:
        return None, None, ""
    path = Path(arg).expanduser()
    if not (arg.endswith(".md") or path.is_file() or os.sep in arg or "/" in arg):
        return None, arg, ""  # a document's name
    path = path.resolve()
    root = find_enclosing_workspace(path.parent)
    if root is not None and path.parent == (root / DOCS_DIR).resolve():
        return root, path.stem, ""
    return None, None, (f"{path} is not a document of a {APP_NAME} workspace: documents live in the "
                        f"'{DOCS_DIR}' folder of a workspace. To bring this text in, create a document and paste it, "
                        "or move the file into a workspace's guidelines folder.")


def initial_workspace_dir(explicit: str | None, settings: Settings) -> Path:
    """--workspace or $GUIDELINES_WORKSPACE, else the last one used, else the default."""
    from guidelines_app.core.workspace import WORKSPACE_ENV

    if explicit or os.environ.get(WORKSPACE_ENV):
        return choose_workspace_dir(explicit)
    for folder in settings.recent_workspaces:
        if (Path(folder) / ".git").exists():
            return Path(folder)
    return choose_workspace_dir(None)


GIT_MISSING = QT_TRANSLATE_NOOP("App", "Guideline Studio keeps every revision with git, and git is not installed "
                                       "on this computer (or not on the PATH).")
GIT_INSTALL = {
    "win32": QT_TRANSLATE_NOOP("App", "Install Git for Windows (https://git-scm.com/download/win), then start "
                                      "Guideline Studio again."),
    "darwin": QT_TRANSLATE_NOOP("App", "Install Apple's command line tools, which include git: open Terminal and run "
                                       "'xcode-select --install'; then start Guideline Studio again."),
}.get(sys.platform, QT_TRANSLATE_NOOP("App", "Install git with your package manager (for example 'sudo apt install git' "
                                             "or 'sudo dnf install git'), then start Guideline Studio again."))


def _git_missing(exc: BaseException) -> bool:
    return isinstance(exc, GitNotInstalled) or type(exc).__name__ == "GitCommandNotFound" or shutil.which("git") is None


def explain_start_failure(exc: BaseException) -> None:
    """A dialog (and one stderr line) instead of a traceback; the details go to the log."""
    write_report(build_report(type(exc), exc, exc.__traceback__))
    if _git_missing(exc):
        title, message, detail = translate("App", "Git is not installed"), translate("App", GIT_MISSING), \
            translate("App", GIT_INSTALL)
    else:
        title, message = translate("App", "Cannot open the workspace"), str(exc) or type(exc).__name__
        detail = translate("App", "The details were written to the log folder.")
    sys.stderr.write(f"error: {message} {detail}\n")
    set_app_icon()
    from PySide6.QtWidgets import QMessageBox  # a start that fails only: its Python type is not made at every start

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
            from guidelines_app.ui.dialogs import show_error  # loaded when needed: not before the first paint

            set_app_icon()
            show_error(None, translate("App", "Cannot open the workspace"), str(exc),
                       translate("App", "Choose another folder for your guidelines."))
            from PySide6.QtWidgets import QFileDialog

            chosen = QFileDialog.getExistingDirectory(None, translate("App", "Choose a folder for your guidelines"))
            if not chosen:
                return None
            folder = Path(chosen)


def create_window(argv: list[str] | None = None) -> MainWindow | None:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    settings = Settings.load()
    folder, document, note = document_target(args.document)
    workspace = open_workspace(folder or initial_workspace_dir(args.workspace, settings))
    if workspace is None:
        return None
    logs.logger("app").info("workspace %s", workspace.root)
    window = MainWindow(workspace, settings, document)  # opened at once: the first document is not built first
    window.feature_loader.after_first_paint(set_app_icon)
    log = logs.logger("app")
    window.revision_saved.connect(lambda slug, commit: log.info("saved %s as revision %s", slug, commit[:12]))
    window.workspace_changed.connect(lambda: log.info("workspace %s", window.ws.root))
    if document:
        window.open_document(document)
    elif note:
        QTimer.singleShot(0, lambda: window.show_error("Cannot open that file", note))
    if settings.unreadable:  # (hand-edited with a slip: said, and kept aside when the settings are next saved)
        QTimer.singleShot(0, lambda: window.show_error(
            translate("App", "Your settings cannot be read"), settings.unreadable[:1].upper() + settings.unreadable[1:] + ".",
            translate("App", "Nothing of it is lost: when a setting is next changed, the file is kept beside the new one "
                             "as settings.json.unreadable.")))
    return window


def install_desktop(associate_md: bool) -> int:
    """--install-desktop: the launcher, icon and metadata for this app."""
    from guidelines_app.ui import desktop_entry

    if getattr(sys, "frozen", False):
        command = [str(Path(sys.executable).resolve())]
    else:
        command = [shutil.which("guidelines-app") or sys.executable]
        if not shutil.which("guidelines-app"):
            command.append(str(Path(__file__).resolve().parent.parent.parent / "main.py"))
    written = desktop_entry.install(command, associate_md=associate_md)
    sys.stdout.write(desktop_entry.describe(command, written, associate_md) + "\n")
    return 0


# How long a worker thread running Python keeps the interpreter before the UI
# thread gets it back (Python's default is 5 ms).  Every event the window
# handles in Python waits for it: with the start's workers (the features'
# imports, the preview, the spelling dictionary) the window stalled 0.1-0.25 s
# at times in the 2 s after it appeared; at 1 ms, about 0.06 s.
SWITCH_INTERVAL_S = 0.001


def set_app_icon() -> None:
    """The app's icon, for its windows and the task bar: set once the window is painted (the icon's
    Python types and files, 2 ms, are not needed for its first paint), or before a dialog shown first."""
    from guidelines_app.ui.icon import app_icon

    app = QApplication.instance()
    if app is not None:
        app.setWindowIcon(app_icon())


def _prepare_application() -> QApplication:
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    QCoreApplication.setOrganizationName("GuidelineStudio")
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    QGuiApplication.setDesktopFileName(APP_ID)  # Wayland and the task bar find the launcher and icon
    install_translations(app)
    return app


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own strings and ours in the user's language, where a translation
    exists (resources/translations/guideline-studio_LANG.qm; none ships yet:
    scripts/extract_strings.py collects the strings)."""
    installed = []
    locale = QLocale.system()
    for name, folder in (("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
                         ("guideline-studio", str(resources_dir() / "translations"))):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    if args.install_desktop:
        return install_desktop(args.associate_md)
    if args.self_test:  # nobody to see a window or answer a dialog
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        os.environ.setdefault(AUTOCLOSE_ENV, "100")
    logs.setup("app")
    import platform  # here: the window's start (ui.app imported) does without it

    logs.logger("app").info("%s %s started (Python %s on %s)", APP_NAME, __version__, platform.python_version(),
                            platform.platform())
    app = _prepare_application()
    try:
        window = create_window(argv)
    except Exception as exc:  # noqa: BLE001 - a dialog, never a traceback
        explain_start_failure(exc)
        return 1
    if window is None:
        return 1
    if args.self_test:
        from guidelines_app.ui.self_test import run

        set_app_icon()  # never shown: nothing waits for a paint

        code = run(window)
        finish_background_work()
        return code
    crash = CrashHandler()
    crash.install()
    window.show()
    try:
        return app.exec()
    finally:
        crash.uninstall()
        finish_background_work()


def finish_background_work(timeout_ms: int = 5000) -> None:
    """Let running background jobs (the features' imports, the spelling
    dictionary, a history listing: they start after the first paint) end
    before the interpreter does, which would delete the objects they report
    through under them."""
    QThreadPool.globalInstance().waitForDone(timeout_ms)


if __name__ == "__main__":
    raise SystemExit(main())
