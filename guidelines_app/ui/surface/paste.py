"""Pasting from Word or a web page: the structure comes along (headings,
paragraphs, bulleted and numbered items, bold, italic, links, code), the
styling noise (fonts, colours, sizes, spacing, classes) stays behind.  Each
pasted block becomes a block of the surface's own kinds, so it is written
as plain Markdown."""

from __future__ import annotations

from PySide6.QtGui import QFont, QTextDocument, QTextListFormat

from guidelines_app.core.inline_markup import Fmt
from guidelines_app.core.links import safe_link
from guidelines_app.core.surface_text import HEADING, ITEM, PARAGRAPH
from guidelines_app.ui.surface.formats import block_format, char_format, kind_of, level_of, unit_of

_ORDERED = {QTextListFormat.Style.ListDecimal, QTextListFormat.Style.ListLowerAlpha, QTextListFormat.Style.ListUpperAlpha,
            QTextListFormat.Style.ListLowerRoman, QTextListFormat.Style.ListUpperRoman}


def _fmt(cf) -> Fmt:
    """What pasted characters are, from how they looked."""
    link = safe_link(cf.anchorHref()) if cf.isAnchor() and cf.anchorHref() else ""
    families = " ".join(cf.fontFamilies() or []) if cf.fontFamilies() else ""
    return Fmt(bold=cf.fontWeight() >= QFont.Weight.DemiBold, italic=cf.fontItalic(),
               code=cf.fontFixedPitch() or "mono" in families.lower() or "courier" in families.lower(),
               strike=cf.fontStrikeOut(), link=link or "")


def _blocks(html: str):
    """(kind, level, ordered, runs) of each non-empty block of *html*."""
    doc = QTextDocument()
    doc.setHtml(html)
    block = doc.begin()
    while block.isValid():
        text = block.text().replace("\u2029", " ")
        if text.strip():
            runs = []
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                runs.append((frag.text(), _fmt(frag.charFormat())))
                it += 1
            heading = block.blockFormat().headingLevel()
            lst = block.textList()
            if heading:
                yield HEADING, min(heading, 6), False, [(t, f.with_(bold=False)) for t, f in runs]
            elif lst is not None:
                yield ITEM, max(0, lst.format().indent() - 1), lst.format().style() in _ORDERED, runs
            else:
                yield PARAGRAPH, 0, False, runs
        block = block.next()


def paste_html(surface, html: str) -> None:
    """Insert the blocks of *html* at the cursor, as one undo step."""
    cursor = surface.textCursor()
    cursor.beginEditBlock()
    cursor.removeSelectedText()
    for n, (kind, level, ordered, runs) in enumerate(_blocks(html)):
        if n:
            cursor.insertBlock(block_format(-1, kind, level, ordered), char_format(Fmt()))
            if kind == ITEM:
                surface.join_list(cursor, level, ordered)
            shown_as, shown_level = kind, level
        elif not cursor.block().text() and cursor.currentTable() is None:
            # Pasted into an empty line: that line becomes the pasted block.
            cursor.setBlockFormat(block_format(unit_of(cursor.block()), kind, level, ordered))
            if kind == ITEM:
                surface.join_list(cursor, level, ordered)
            shown_as, shown_level = kind, level
        else:  # the first pasted block joins the cursor's block
            shown_as, shown_level = kind_of(cursor.block()), level_of(cursor.block())
        for text, fmt in runs:
            cursor.insertText(text, char_format(fmt, shown_as, shown_level, surface.base_size))
    cursor.endEditBlock()
    surface.setTextCursor(cursor)
