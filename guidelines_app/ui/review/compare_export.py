"""The compare window's redline export: the file written on a worker (a Word
document with tracked changes and its clean copy, or a web page), reported
by the main window (it tells how it went, even if the compare window is
closed before the file is written)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from guidelines_app.core.approval import approval_of
from guidelines_app.publishing.docx import write_output
from guidelines_app.review import redline
from guidelines_app.ui.fill import fill
from guidelines_app.ui.jobs import in_workspace

translate = QCoreApplication.translate


def write_redline(kind: str, target: Path, result, labels, reference_docx: str | None, follow_symlink: bool,
                  approval=None) -> Path:
    """On a worker: the redline file (seconds for a long policy in Word), in
    the house style of *reference_docx* (the Word export's setting)."""
    if kind == "docx":  # the redline and its clean copy: both or neither
        redline.write_docx_pair(result, target, labels, reference_docx=reference_docx, follow_symlink=(follow_symlink, False),
                                approval=approval)
    else:
        write_output(target, redline.render_html(result, labels, approval).encode("utf-8"), follow_symlink)
    return target


def start_export(window, kind: str, target: Path, result, labels, slug: str, new_text: str, through_link: bool):
    """Write the redline of *result* to *target* with the main *window*'s
    jobs; returns the job (its signals say when it is done)."""
    reference = (window.settings.reference_docx or "").strip() or None
    job = window.jobs.run(
        in_workspace(window.ws.root, lambda ws: write_redline(kind, target, result, labels, reference, through_link,
                                                              approval_of(ws, slug, new_text))),
        lambda path: _export_done(window, path),
        lambda message, technical: _export_failed(window, message, technical),
        expected=(OSError,))
    window.statusBar().showMessage(fill(translate("CompareExport", "Exporting the redline to %1…"), target.name))
    return job


def _export_done(window, target: Path) -> None:
    if target.suffix.lower() == ".docx":
        said = fill(translate("CompareExport", "Exported %1 and a clean copy %2"), target, redline.clean_copy_path(target).name)
    else:
        said = fill(translate("CompareExport", "Exported %1"), target)
    window.statusBar().showMessage(said, 8000)


def _export_failed(window, message: str, technical: str) -> None:
    window.statusBar().clearMessage()
    window.show_error("Cannot export the redline", message, "Choose another folder or file name.", technical)
