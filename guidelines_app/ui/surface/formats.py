"""The surface's formats: what each block and character is (kept in user
properties that Qt copies on Enter and keeps through undo) and how it looks.

The look (sizes, weights, indents) never decides what is written: a heading
is bold to the eye, not bold in the file.  Readers use the properties.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QTextBlockFormat, QTextCharFormat, QTextFormat

from guidelines_app.core.inline_markup import Fmt, one_of
from guidelines_app.ui import appearance

_USER = QTextFormat.Property.UserProperty.value
P_UNIT = _USER + 1  # index of the source block this text block was made from; -1 = new
P_KIND = _USER + 2  # heading, paragraph, item, quote, table, rule, source
P_LEVEL = _USER + 3  # heading level, or list depth (0 = top level)
P_ORDERED = _USER + 4  # a numbered list item
C_BOLD, C_ITALIC, C_CODE, C_STRIKE = _USER + 10, _USER + 11, _USER + 12, _USER + 13
C_SOURCE = _USER + 14  # a picture's source line

HEADING_SIZES = {1: 2.0, 2: 1.6, 3: 1.3, 4: 1.15, 5: 1.05, 6: 1.0}


def colours():
    """The colour set on screen (light or dark, View > Appearance): the
    surface paints with it, and is built again when it changes."""
    return appearance.current()


def block_format(unit: int, kind: str, level: int = 0, ordered: bool = False) -> QTextBlockFormat:
    f = QTextBlockFormat()
    f.setProperty(P_UNIT, unit)
    f.setProperty(P_KIND, kind)
    f.setProperty(P_LEVEL, level)
    f.setProperty(P_ORDERED, ordered)
    if kind == "heading":
        f.setTopMargin(14 if level <= 2 else 10)
        f.setBottomMargin(6)
        f.setHeadingLevel(level)
    elif kind == "quote":
        f.setLeftMargin(28)
        f.setBottomMargin(8)
    elif kind == "source":
        source_look(f)
    elif kind == "image":
        f.setTopMargin(4)
        f.setBottomMargin(8)
    elif kind == "rule":
        f.setProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth, 1)
        f.setBottomMargin(8)
    elif kind in ("paragraph",):
        f.setBottomMargin(8)
    return f


def source_look(f: QTextBlockFormat) -> QTextBlockFormat:
    """*f* looking like a source chip."""
    f.setBackground(QColor(colours().pre_background))
    f.setNonBreakableLines(True)
    return f


def kind_of(block) -> str:
    kind = block.blockFormat().property(P_KIND)
    return kind if isinstance(kind, str) else "paragraph"


def unit_of(block) -> int:
    unit = block.blockFormat().property(P_UNIT)
    return unit if isinstance(unit, int) else -1


def kind_and_unit(block) -> tuple[str, int]:
    """``kind_of`` and ``unit_of`` of *block*, its format read once."""
    f = block.blockFormat()
    kind, unit = f.property(P_KIND), f.property(P_UNIT)
    return kind if isinstance(kind, str) else "paragraph", unit if isinstance(unit, int) else -1


def level_of(block) -> int:
    level = block.blockFormat().property(P_LEVEL)
    return level if isinstance(level, int) else 0


def char_format(fmt: Fmt, kind: str = "paragraph", level: int = 0, base_size: float = 10.0) -> QTextCharFormat:
    """How text with *fmt* looks in a block of *kind*, and what it is."""
    c = QTextCharFormat()
    c.setProperty(C_BOLD, fmt.bold)
    c.setProperty(C_ITALIC, fmt.italic)
    c.setProperty(C_CODE, fmt.code)
    c.setProperty(C_STRIKE, fmt.strike)
    bold = fmt.bold or kind == "heading"
    c.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
    c.setFontItalic(fmt.italic)
    c.setFontStrikeOut(fmt.strike)
    paint = colours()
    if kind == "heading":
        c.setFontPointSize(base_size * HEADING_SIZES.get(level, 1.0))
        c.setForeground(QColor(paint.heading if level <= 1 else paint.subheading))
    elif kind == "quote":
        c.setForeground(QColor(paint.quote))
    if fmt.code or kind == "source":
        c.setFontFamilies(["monospace"])
        c.setFontFixedPitch(True)
        c.setForeground(QColor(paint.code))
        if fmt.code and kind != "source":
            c.setBackground(QColor(paint.code_background))
    if fmt.link:
        c.setAnchor(True)
        c.setAnchorHref(fmt.link)
        c.setForeground(QColor(paint.link))
        c.setFontUnderline(True)
    return c


def fmt_of(c: QTextCharFormat) -> Fmt:
    """What a character is (bold, italic, code, struck, its link): one Fmt
    object for each (``one_of``), so that two readings of a block, or a
    reading and its source's display, compare as lists of the same objects,
    at C speed (``writing.write`` compares them for each edited block at
    every sync)."""
    link = c.anchorHref() if c.isAnchor() else ""
    key = (bool(c.property(C_BOLD)), bool(c.property(C_ITALIC)), bool(c.property(C_CODE)),
           bool(c.property(C_STRIKE)), link or "")
    found = _FMTS.get(key)
    if found is None:
        if len(_FMTS) > 4096:  # (links are many only in a strange document)
            _FMTS.clear()
        found = _FMTS[key] = one_of(Fmt(*key))
    return found


_FMTS: dict[tuple, Fmt] = {}


def read_block(block) -> tuple[str, list[Fmt]]:
    """A block's text and one Fmt per character."""
    text = block.text()
    fmts: list[Fmt] = []
    it = block.begin()
    while not it.atEnd():
        frag = it.fragment()
        if frag.isValid():
            # Counted in characters as the text is: Qt's length counts an emoji (a letter past
            # U+FFFF) twice, and every format after it landed a letter later in the saved file.
            fmts.extend([fmt_of(frag.charFormat())] * len(frag.text()))
        it += 1
    if len(fmts) != len(text):  # never expected; keep the text, lose nothing
        fmts = (fmts + [Fmt()] * len(text))[: len(text)]
    return text, fmts
