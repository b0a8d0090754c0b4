"""What the window shows when a save fails: a plain-language message, the
technical detail folded, and ways forward (the error's own remedy, Try
Again, Save a Copy Elsewhere…, and when closing, quitting with the text kept
in the recovery area)."""

from __future__ import annotations

import traceback
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.fileio import atomic_write_text

RETRY, CANCEL, QUIT = "retry", "cancel", "quit"
KEPT = "Your text is still in the editor and a copy is kept in the recovery area; nothing was lost."


def describe(exc: BaseException) -> tuple[str, str]:
    """(message for people, technical detail)."""
    technical = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if isinstance(exc, GuidelinesError):
        return str(exc), technical
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        return f"The document could not be written to the workspace folder ({reason}).", technical
    return ("The revision could not be saved: git or the disk reported a problem "
            f"({type(exc).__name__}). The details below say more."), technical


def ask_after_failure(parent: QWidget, exc: BaseException, text: str, closing: bool = False) -> str:
    """Show the failure; run what the user picks.  RETRY: save again; QUIT:
    close anyway (the text stays in the recovery area); CANCEL: keep editing."""
    message, technical = describe(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, "Cannot save", message, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("save-failed")
    box.setInformativeText(KEPT)
    box.setDetailedText(technical)
    remedy = getattr(exc, "remedy", None)
    remedy_button = box.addButton(remedy.label, QMessageBox.ButtonRole.AcceptRole) if remedy else None
    retry = box.addButton("Try Again", QMessageBox.ButtonRole.AcceptRole)
    elsewhere = box.addButton("Save a Copy Elsewhere…", QMessageBox.ButtonRole.ActionRole)
    quit_button = (box.addButton("Quit (Text Kept for Recovery)", QMessageBox.ButtonRole.DestructiveRole)
                   if closing else None)
    keep = box.addButton("Keep Editing", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(remedy_button or retry)
    box.setEscapeButton(keep)
    box.exec()
    clicked = box.clickedButton()
    if remedy_button is not None and clicked is remedy_button:
        try:
            remedy.run()
        except Exception as remedy_exc:  # noqa: BLE001 - shown, the text stays
            return ask_after_failure(parent, remedy_exc, text, closing)
        return RETRY
    if clicked is retry:
        return RETRY
    if clicked is elsewhere:
        save_copy_elsewhere(parent, text)
        return CANCEL
    if quit_button is not None and clicked is quit_button:
        return QUIT
    return CANCEL


def save_copy_elsewhere(parent: QWidget, text: str) -> Path | None:
    """Write *text* to a file the user picks (outside the workspace's history)."""
    name, _ = QFileDialog.getSaveFileName(parent, "Save a copy elsewhere", str(Path.home() / "guideline-copy.md"),
                                          "Markdown (*.md);;All files (*)")
    if not name:
        return None
    try:
        atomic_write_text(Path(name), text)
    except OSError as exc:
        QMessageBox.warning(parent, "Cannot save the copy", f"{name} could not be written: {exc.strerror or exc}")
        return None
    return Path(name)
