"""What the window shows when a save fails: a plain-language message, the
technical detail folded, and ways forward (the error's own remedy, Try
Again, Save a Copy Elsewhere…, and when closing, quitting with the text kept
in the recovery area)."""

from __future__ import annotations

import traceback
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from guidelines_app.core.errors import GuidelinesError, StorageError
from guidelines_app.core.fileio import atomic_write_text
from guidelines_app.ui.fill import fill

RETRY, CANCEL, QUIT = "retry", "cancel", "quit"
translate = QCoreApplication.translate
KEPT = QT_TRANSLATE_NOOP("SaveFailure", "Your text is still in the editor and a copy is kept in the recovery area; nothing was lost.")


def describe(exc: BaseException, title: str | None = None, slug: str | None = None) -> tuple[str, str]:
    """(message for people, technical detail); with the document's *title*
    (and *slug*, its file's name), the document is named by its title."""
    technical = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if isinstance(exc, GuidelinesError):
        if title and isinstance(exc, StorageError) and exc.cause:
            return fill(translate("SaveFailure", "“%1” could not be saved: %2. To save it, %3 and choose Try Again, "
                                  "or save a copy elsewhere."), title, exc.cause, exc.fix), technical
        if title and slug:  # ("cannot save social-media-guidelines: …", the file's name, in the core's words)
            return str(exc).replace(f"cannot save {slug}:", fill(translate("SaveFailure", "cannot save “%1”:"), title)), technical
        return str(exc), technical
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        return fill(translate("SaveFailure", "The document could not be written to the workspace folder (%1)."), reason), technical
    return fill(translate("SaveFailure", "The revision could not be saved: git or the disk reported a problem "
                          "(%1). The details below say more."), type(exc).__name__), technical


def creation_failed(window, exc: BaseException, slug: str | None) -> None:
    """A new document's first revision could not be made: said, and the draft
    a questionnaire wrote (when it is there) open, to be saved once mended."""
    message, technical = describe(exc)
    kept = slug is not None and window.ws.exists(slug)
    if kept:
        window.refresh_documents()
        window.open_document(slug)
    window.show_error(translate("SaveFailure", "Cannot create document"), message,
                      translate("SaveFailure", "The new document is open with its text, not saved as a revision yet: "
                                               "save it once this is mended.") if kept else "", technical)


def ask_after_failure(parent: QWidget, exc: BaseException, text: str, closing: bool = False,
                      title: str | None = None, slug: str | None = None) -> str:
    """Show the failure; run what the user picks.  RETRY: save again; QUIT:
    close anyway (the text stays in the recovery area); CANCEL: keep editing.
    *title*, *slug*: the document's (it is named by its title)."""
    message, technical = describe(exc, title, slug)
    box = QMessageBox(QMessageBox.Icon.Warning, translate("SaveFailure", "Cannot save"), message, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("save-failed")
    box.setInformativeText(translate("SaveFailure", KEPT))
    box.setDetailedText(technical)
    remedy = getattr(exc, "remedy", None)
    try_again = translate("SaveFailure", "Try Again")
    if remedy is not None and remedy.label in ("Try Again", try_again):
        remedy = None  # (a remedy that only says to try again, as a full disk's or a read-only folder's: the dialog's own)
    remedy_button = box.addButton(remedy.label, QMessageBox.ButtonRole.AcceptRole) if remedy else None
    retry = box.addButton(try_again, QMessageBox.ButtonRole.AcceptRole)
    elsewhere = box.addButton(translate("SaveFailure", "Save a Copy Elsewhere…"), QMessageBox.ButtonRole.ActionRole)
    quit_button = (box.addButton(translate("SaveFailure", "Quit (Text Kept for Recovery)"), QMessageBox.ButtonRole.DestructiveRole)
                   if closing else None)
    keep = box.addButton(translate("SaveFailure", "Keep Editing"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(remedy_button or retry)
    box.setEscapeButton(keep)
    box.exec()
    clicked = box.clickedButton()
    if remedy_button is not None and clicked is remedy_button:
        try:
            remedy.run()
        except Exception as remedy_exc:  # noqa: BLE001 - shown, the text stays
            return ask_after_failure(parent, remedy_exc, text, closing, title, slug)
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
    name, _ = QFileDialog.getSaveFileName(parent, translate("SaveFailure", "Save a copy elsewhere"), str(Path.home() / "guideline-copy.md"),
                                          translate("SaveFailure", "Markdown (*.md);;All files (*)"))
    if not name:
        return None
    try:
        atomic_write_text(Path(name), text)
    except OSError as exc:
        QMessageBox.warning(parent, translate("SaveFailure", "Cannot save the copy"),
                            fill(translate("SaveFailure", "%1 could not be written: %2"), name, exc.strerror or exc))
        return None
    return Path(name)
