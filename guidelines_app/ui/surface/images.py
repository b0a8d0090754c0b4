"""Images from the workspace: Format > Insert Image picks a picture inside
the workspace folder and adds ``![name](path)`` as a line of its own (a
source chip: the picture shows in the preview and the exports)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog, QMessageBox

from guidelines_app.core.inline_markup import PLAIN
from guidelines_app.core.surface_text import SOURCE
from guidelines_app.ui.surface.formats import block_format, char_format

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.svg *.webp)"


def image_markdown(image: Path, root: Path) -> str | None:
    """The Markdown of *image* relative to the workspace *root*, or None
    when it is outside the workspace (it would not travel with it)."""
    try:
        relative = image.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    alt = image.stem.replace("-", " ").replace("_", " ").strip() or "image"
    target = relative.as_posix()
    if " " in target or "(" in target or ")" in target:
        target = f"<{target}>"
    return f"![{alt}]({target})"


def insert_image_line(surface, markdown: str) -> None:
    """Add *markdown* as a line of its own after the cursor's block."""
    cursor = surface.textCursor()
    cursor.beginEditBlock()
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    cursor.insertBlock(block_format(-1, SOURCE), char_format(PLAIN, SOURCE))
    cursor.insertText(markdown, char_format(PLAIN, SOURCE))
    cursor.endEditBlock()
    surface.setTextCursor(cursor)


def insert_image(window) -> None:
    if window.ws is None or window.doc is None:
        return
    root = Path(window.ws.root)
    name, _ = QFileDialog.getOpenFileName(window, "Insert image", str(root), IMAGE_FILTER)
    if not name:
        return
    markdown = image_markdown(Path(name), root)
    if markdown is None:
        QMessageBox.information(window, "Insert image", "Copy the image into the workspace folder first, "
                                "so that it is saved and shared with the document.")
        return
    if window.editing.source_view():
        window.editor.textCursor().insertText(markdown)
    else:
        insert_image_line(window.editing.surface, markdown)
