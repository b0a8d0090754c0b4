"""The app's and the CLI's log: a rotating file in the platform's log folder
(``platformdirs.user_log_dir``), or in ``$GUIDELINES_LOG_DIR`` when set (the
tests point it at a temporary folder).

The desktop app writes ``guideline-studio.log`` (what it did, and the report
of any unexpected error), the ``guidelines`` command ``guidelines-cli.log``:
two files, so that the app and a command run at the same moment never rotate
one file under each other.  Each file is kept to LOG_BYTES, with BACKUPS older
files beside it.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

LOG_DIR_ENV = "GUIDELINES_LOG_DIR"
APP_LOG, CLI_LOG = "guideline-studio.log", "guidelines-cli.log"
LOG_BYTES = 1_000_000
BACKUPS = 3
LOGGER = "guidelines_app"

_handler: RotatingFileHandler | None = None
_file_name = APP_LOG


def log_dir() -> Path:
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir("GuidelineStudio", appauthor=False))


def log_file() -> Path:
    """The file this process logs to (the app's unless ``setup("cli")`` ran)."""
    return log_dir() / _file_name


def logger(name: str = "") -> logging.Logger:
    return logging.getLogger(f"{LOGGER}.{name}" if name else LOGGER)


def setup(program: str = "app") -> Path | None:
    """Send this process's log to its rotating file (again after the log
    folder changed); the file, or None when the folder cannot be written
    (logging then goes nowhere: never a reason to stop the app)."""
    global _handler, _file_name
    _file_name = CLI_LOG if program == "cli" else APP_LOG
    path = log_file()
    if _handler is not None and _handler.baseFilename == str(path.absolute()):
        return path
    close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _handler = handler
    return path


def close() -> None:
    """Stop writing the log file (and close it)."""
    global _handler
    if _handler is not None:
        logger().removeHandler(_handler)
        _handler.close()
        _handler = None


def write_report(report: str, program: str = "app") -> Path | None:
    """An error report, logged at once; the file it went to (None if it cannot be written)."""
    path = setup(program)
    if path is None:
        return None
    logger("crash").error(report)
    _handler.flush()
    return path if path.exists() else None
