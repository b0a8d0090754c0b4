"""Pictures on the surface.  A paragraph that is one picture from the
workspace (``![alt](path)``) shows the picture, scaled down to the width of
the page; its source line stays as it was.  Pictures from elsewhere (URLs)
are never loaded: they show as their source line, like a missing picture.
Format > Insert Image picks a picture inside the workspace folder and adds
it as a paragraph of its own."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QTextCursor, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import QFileDialog, QMessageBox

from guidelines_app.core.inline_markup import PLAIN
from guidelines_app.core.surface_text import IMAGE, image_line, local_target
from guidelines_app.core.workspace import DOCS_DIR
from guidelines_app.ui.surface.formats import C_SOURCE, P_KIND, block_format, char_format, source_look

_SCHEME = "surface-picture"


def _resolve(root: Path | None, target: str) -> Path | None:
    """The file a picture's *target* names (relative to the documents'
    folder, as the preview and the exports read it), if inside *root*."""
    if root is None or not local_target(target):
        return None
    try:
        path = (root / DOCS_DIR / target).resolve()
        path.relative_to(root.resolve())
    except (OSError, ValueError):
        return None
    return path if path.is_file() else None


class Pictures:
    """The pictures one surface shows: the originals, and their copies at
    the page's width registered as the document's resources."""

    def __init__(self) -> None:
        self.root: Path | None = None  # the workspace folder; None: no pictures
        self.width = 0  # the page width the copies are made for (0: not known yet)
        self._originals: dict[str, QImage] = {}

    def clear(self) -> None:
        self._originals.clear()

    def insert(self, cursor: QTextCursor, line: str) -> bool:
        """Show the picture that *line* is at *cursor*; False when it is not
        one from the workspace (then nothing is inserted)."""
        parsed = image_line(line)
        path = _resolve(self.root, parsed[1]) if parsed else None
        image = QImage(str(path)) if path is not None else None
        if image is None or image.isNull():
            return False
        name = f"{_SCHEME}:{len(self._originals)}"
        self._originals[name] = image
        cursor.document().addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(name), self._fit(image))
        fmt = QTextImageFormat()
        fmt.setName(name)
        fmt.setProperty(C_SOURCE, line)  # what it is written as
        fmt.setToolTip(parsed[0])
        cursor.insertImage(fmt)
        return True

    def _fit(self, image: QImage) -> QImage:
        width = self.width or 640
        return image if image.width() <= width else image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)

    def fit_to(self, document: QTextDocument, width: int) -> None:
        """Scale the pictures to a page *width* pixels wide (after a resize)."""
        width = max(64, width)
        if not self._originals or abs(width - self.width) < 8:
            self.width = width if not self._originals else self.width or width
            return
        self.width = width
        for name, image in self._originals.items():
            document.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(name), self._fit(image))
        block = document.begin()
        while block.isValid():
            if block.blockFormat().property(P_KIND) == IMAGE:
                document.markContentsDirty(block.position(), block.length())
            block = block.next()


def picture_source(block) -> str:
    """What a picture block is written as: its text, each picture as its source line."""
    out = []
    it = block.begin()
    while not it.atEnd():
        fragment = it.fragment()
        if fragment.isValid():
            fmt = fragment.charFormat()
            source = fmt.property(C_SOURCE) if fmt.isImageFormat() else None
            out.append(source * fragment.length() if isinstance(source, str) else fragment.text())
        it += 1
    return "".join(out)

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.svg *.webp)"


def image_markdown(image: Path, root: Path) -> str | None:
    """The Markdown of *image*, relative to the documents' folder of the
    workspace *root* (where the preview and the exports look), or None when
    it is outside the workspace (it would not travel with it)."""
    try:
        image.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    alt = image.stem.replace("-", " ").replace("_", " ").strip() or "image"
    target = Path(os.path.relpath(image.resolve(), (root / DOCS_DIR).resolve())).as_posix()
    if " " in target or "(" in target or ")" in target:
        target = f"<{target}>"
    return f"![{alt}]({target})"


def insert_image_line(surface, markdown: str) -> None:
    """Add the picture *markdown* as a paragraph of its own after the
    cursor's block (shown as its source line when it cannot be shown)."""
    cursor = surface.textCursor()
    cursor.beginEditBlock()
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    cursor.insertBlock(block_format(-1, IMAGE), char_format(PLAIN))
    if not surface.pictures.insert(cursor, markdown):
        cursor.setBlockFormat(source_look(block_format(-1, IMAGE)))
        cursor.insertText(markdown, char_format(PLAIN, "source"))
    cursor.endEditBlock()
    surface.setTextCursor(cursor)


def insert_image(window) -> None:
    if window.ws is None or window.doc is None or window.editing.editable() is None:
        return  # (nor on a long document's notice while it opens)
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
