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
from pathlib import Path

import platformdirs

LOG_DIR_ENV = "GUIDELINES_LOG_DIR"
APP_LOG, CLI_LOG = "guideline-studio.log", "guidelines-cli.log"
LOG_BYTES = 1_000_000
BACKUPS = 3
LOGGER = "guidelines_app"

class RotatingFile(logging.FileHandler):
    """A log file kept under *max_bytes*: when a record would take it past,
    it becomes ``<file>.1`` (the older ones ``.2`` ... ``.<backups>``, the
    oldest dropped), as ``logging.handlers.RotatingFileHandler`` does,
    without importing that module (sockets, pickling, queues: a few
    milliseconds of every start and every command)."""

    def __init__(self, path: Path, max_bytes: int, backups: int):
        super().__init__(path, encoding="utf-8", delay=True)
        self.max_bytes, self.backups = max_bytes, backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream is None:
                self.stream = self._open()
            self.stream.seek(0, 2)  # the end (on Windows an appending file may not start there)
            at = self.stream.tell()
            if at and at + len(self.format(record)) + 1 >= self.max_bytes and os.path.isfile(self.baseFilename):
                self._rotate()
        except (OSError, ValueError):
            self.handleError(record)
            return
        super().emit(record)

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        for n in range(self.backups - 1, 0, -1):
            older, newer = f"{self.baseFilename}.{n}", f"{self.baseFilename}.{n + 1}"
            if os.path.exists(older):
                if os.path.exists(newer):
                    os.remove(newer)
                os.rename(older, newer)
        first = f"{self.baseFilename}.1"
        if os.path.exists(first):
            os.remove(first)
        if os.path.exists(self.baseFilename):
            os.rename(self.baseFilename, first)


_handler: RotatingFile | None = None
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
        handler = RotatingFile(path, LOG_BYTES, BACKUPS)
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
