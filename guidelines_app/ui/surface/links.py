"""Links on the surface: Ctrl+K asks for the address of the selected words
(or edits the link under the cursor); the words stay, the address is kept
in the characters' format and written as ``[words](address)``."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QInputDialog

from guidelines_app.core.links import safe_link
from guidelines_app.ui.surface.formats import char_format, fmt_of, kind_of, level_of


def link_span(surface) -> QTextCursor:
    """The selection, or the whole link under the cursor, or the word there."""
    cursor = surface.textCursor()
    if cursor.hasSelection():
        return cursor
    href = cursor.charFormat().anchorHref() if cursor.charFormat().isAnchor() else ""
    if href:
        block = cursor.block()
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.charFormat().anchorHref() == href and frag.position() <= cursor.position() <= frag.position() + frag.length():
                cursor.setPosition(frag.position())
                cursor.setPosition(frag.position() + frag.length(), QTextCursor.MoveMode.KeepAnchor)
                return cursor
            it += 1
    cursor.select(QTextCursor.SelectionType.WordUnderCursor)
    return cursor


def set_link(surface, cursor: QTextCursor, url: str) -> None:
    """Make the selected characters a link to *url* ("" removes the link)."""
    block = cursor.block()
    kind, level = kind_of(block), level_of(block)
    doc = surface.document()
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    edit = QTextCursor(doc)
    edit.beginEditBlock()
    for pos in range(start, end):
        probe = QTextCursor(doc)
        probe.setPosition(pos + 1)
        fmt = fmt_of(probe.charFormat()).with_(link=url)
        one = QTextCursor(doc)
        one.setPosition(pos)
        one.setPosition(pos + 1, QTextCursor.MoveMode.KeepAnchor)
        one.setCharFormat(char_format(fmt, kind, level, surface.base_size))
    edit.endEditBlock()


def edit_link(surface) -> None:
    cursor = link_span(surface)
    current = cursor.charFormat().anchorHref() if cursor.charFormat().isAnchor() else ""
    url, ok = QInputDialog.getText(surface, "Link", "Web address (empty removes the link):", text=current or "https://")
    if not ok:
        return
    url = url.strip()
    if url in ("", "https://"):
        url = ""
    else:
        url = safe_link(url)
        if not url:
            return
    if not cursor.hasSelection():
        cursor.insertText(url)
        cursor.setPosition(cursor.position() - len(url), QTextCursor.MoveMode.KeepAnchor)
    set_link(surface, cursor, url)
