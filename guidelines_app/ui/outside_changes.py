"""Noticing when the open document's file is changed by someone else (the
command line, a git pull, another editor) and offering to load that
version."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer
from PySide6.QtWidgets import QMessageBox


class OutsideChangeWatch(QObject):
    """Watches one file for the main window (its parent); uses only the
    window's public surface."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_file_changed)
        self._rewatch_timer = QTimer(self, singleShot=True, interval=100)
        self._rewatch_timer.timeout.connect(self._rewatch)

    def watch(self, path: Path | None) -> None:
        """Watch *path* (None: nothing) instead of the file watched so far."""
        if self._watcher.files():
            self._watcher.removePaths(self._watcher.files())
        if path is not None and path.exists():
            self._watcher.addPath(str(path))

    def _rewatch(self) -> None:
        w = self.window
        self.watch(w.ws.path(w.slug) if w.slug else None)

    def _on_file_changed(self, _path: str) -> None:
        w = self.window
        if w.doc is None or w.slug is None:
            return
        path = w.ws.path(w.slug)
        self._rewatch_timer.start()  # editors and git replace files: watch the new one
        try:
            on_disk = path.read_text(encoding="utf-8")
        except OSError:
            return  # removed or mid-replace; the next change event tells more
        if on_disk == w.current_text():
            return
        if w.is_modified():
            answer = QMessageBox.question(
                w, "Document changed elsewhere",
                f"“{w.doc.title}” was changed outside the app (for example restored, or updated from a colleague).\n\n"
                "Load that version? Your unsaved edits here would be discarded. Choose No to keep editing "
                "your version; saving it will make it the newest revision.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        w.reload_document()
        w.statusBar().showMessage("Reloaded: the document was changed outside the app", 8000)
