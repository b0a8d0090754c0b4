"""The folder every export proposes: the one the user last exported to, or
their Documents folder (a Word export, a redline and an acknowledgement
form all proposed their own before: Documents, the home folder)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

_KEY = "export/last_dir"


def folder() -> Path:
    """The last export's folder while it exists, else Documents (else home)."""
    kept = QSettings().value(_KEY, "")
    if isinstance(kept, str) and kept and Path(kept).is_dir():
        return Path(kept)
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())


def remember(target: Path) -> None:
    """*target* was chosen to export to: its folder is proposed next time."""
    QSettings().setValue(_KEY, str(Path(target).parent))
