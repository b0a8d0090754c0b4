"""Tables fitted to the page's width, as a word processor does: the columns
narrow and their text wraps between words; a word is broken only when it
alone cannot fit its column.

Qt's own table layout never makes a column narrower than its longest word
(with word wrapping), so a table of five or six columns ran off the right
edge of a narrow pane; wrapping anywhere instead lets Qt narrow a column to
one letter ("Chan nel").  So the documents wrap anywhere (a paragraph still
breaks a word only when the word alone is wider than the line) and every
table gets column widths, as shares of its width, worked out here from its
cells: each column's longest word is its floor and its text's length its
weight (``column_shares``).  The shares always add up to the whole width:
a table never makes its pane scroll sideways."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QFontMetricsF,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextLength,
    QTextOption,
    QTextTable,
    QTextTableCellFormat,
)

WRAP = QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
SLACK = 2.0  # pixels more than a column's widest word, against rounding
NARROWEST = 48.0  # pixels: a column narrowed to fit keeps about five letters


def column_shares(floors: list[float], naturals: list[float], width: float,
                  words: list[list[float]] | None = None) -> list[float]:
    """Each column's share of *width* in percent: columns whose text all fits
    on one line each (*naturals*) widened alike; else narrowed towards their
    longest words (*floors*), those with the most text to wrap first; a table
    whose longest words alone are too wide for *width* breaks the words of
    as few columns as it can, the widest (``_cut``), or, given each column's
    *words* (their widths), as few words as it can (``_fewest_broken``)."""
    naturals = [max(n, f) for n, f in zip(naturals, floors)]
    total_floor, total_natural = sum(floors), sum(naturals)
    if total_natural <= 0:
        return [100 / len(floors)] * len(floors)
    if total_natural <= width:
        widths = naturals
    elif total_floor <= width:
        spare, wrap = width - total_floor, total_natural - total_floor
        widths = [f + spare * (n - f) / wrap for f, n in zip(floors, naturals)]
    else:
        widths = _fewest_broken(floors, words, width) if words else _cut(floors, width)
    total = sum(widths)
    return [100 * w / total for w in widths]


def _cut(floors: list[float], width: float) -> list[float]:
    """Column widths adding up to *width*, less than *floors* in all: as few
    columns as can be are narrowed, the widest, to about one width (each keeps
    at least ``NARROWEST`` if it can); only their longest words break."""
    order = sorted(range(len(floors)), key=lambda i: -floors[i])
    deficit = sum(floors) - width
    for k in range(1, len(floors) + 1):
        cut = order[:k]
        total = sum(floors[i] for i in cut)
        if total - deficit >= k * NARROWEST:
            break
    widths, room = list(floors), max(total - deficit, 0.0)
    for n, i in enumerate(sorted(cut, key=lambda i: floors[i])):  # the room shared out, the narrowest first
        widths[i] = min(floors[i], room / (len(cut) - n))
        room -= widths[i]
    return widths


def _fewest_broken(floors: list[float], words: list[list[float]], width: float) -> list[float]:
    """Column widths adding up to *width* (less than *floors*) that break as
    few words (*words*: each column's words' widths) as can be: step by step,
    the column that gives the most room for each word it breaks is narrowed
    to its next narrower word (none below ``NARROWEST``)."""
    widths, deficit = list(floors), sum(floors) - width
    while deficit > 1e-6:
        best = None
        for i, ws in enumerate(words):
            below = [w for w in ws if w < widths[i] - 1e-6]
            to = max(max(below, default=NARROWEST), NARROWEST)
            gain = widths[i] - to
            if gain <= 1e-6:
                continue
            rate = sum(1 for w in ws if w > to + 1e-6) / gain  # the words it breaks, per pixel
            if best is None or rate < best[0] - 1e-9:
                best = (rate, i, gain)
        if best is None:
            return _cut(floors, width)
        _rate, i, gain = best
        step = min(gain, deficit)
        widths[i] -= step
        deficit -= step
    return widths


def _measure(doc: QTextDocument, table: QTextTable) -> tuple[list[float], list[float], list[list[float]]]:
    """Each column's widest word, widest line unwrapped and its words' widths, with its cells' padding."""
    base = doc.defaultFont()
    metrics: dict = {}
    fmt = table.format()
    floors, naturals = [0.0] * table.columns(), [0.0] * table.columns()
    words: list[list[float]] = [[] for _ in range(table.columns())]
    for r in range(table.rows()):
        for c in range(table.columns()):
            cell = table.cellAt(r, c)
            if cell.columnSpan() > 1:
                continue
            padding = _padding(cell.format().toTableCellFormat(), fmt.cellPadding())
            block, last = doc.findBlock(cell.firstPosition()), cell.lastPosition()  # (no cursors: 60 µs each)
            while block.isValid() and block.position() <= last:
                line = 0.0
                it = block.begin()
                while not it.atEnd():
                    fragment = it.fragment()
                    font = fragment.charFormat().font().resolve(base)
                    key = font.key()
                    fm = metrics.get(key) or metrics.setdefault(key, QFontMetricsF(font))
                    text = fragment.text()
                    line += fm.horizontalAdvance(text)
                    for word in text.split():
                        words[c].append(fm.horizontalAdvance(word) + SLACK + padding)
                        floors[c] = max(floors[c], words[c][-1])
                    it += 1
                naturals[c] = max(naturals[c], line + SLACK + padding)
                block = block.next()
            floors[c] = max(floors[c], padding + SLACK)
    return floors, naturals, words


def _padding(cell: QTextTableCellFormat, table_padding: float) -> float:
    """A cell's padding left and right: its own (the preview's style sheet sets it), else its table's."""
    left = QTextFormat.Property.TableCellLeftPadding
    right = QTextFormat.Property.TableCellRightPadding
    return ((cell.leftPadding() if cell.hasProperty(left) else table_padding)
            + (cell.rightPadding() if cell.hasProperty(right) else table_padding))


def tables_of(doc: QTextDocument) -> list[QTextTable]:
    """Every table of *doc*, tables in tables too."""
    found, frames = [], [doc.rootFrame()]
    while frames:
        frame = frames.pop()
        if isinstance(frame, QTextTable):
            found.append(frame)
        frames.extend(frame.childFrames())
    return found


def fit_table(doc: QTextDocument, table: QTextTable, page_width: float) -> bool:
    """Give *table* the column widths for a page *page_width* wide (the
    text's width: the pane less its margins); whether they changed."""
    fmt = table.format()
    # What Qt shares out among the columns: the page less the table's margins, padding and
    # border, and the borders between and around the cells (one between two, when collapsed).
    cols, border = table.columns(), fmt.border()
    width = (page_width - fmt.leftMargin() - fmt.rightMargin() - 2 * (fmt.padding() + border)
             - cols * 2 * border - (cols + 1) * fmt.cellSpacing() - ((cols - 1) * border if fmt.borderCollapse() else 0))
    floors, naturals, words = _measure(doc, table)
    width = max(width - 2, 1.0)  # 2 pixels spare: Qt rounds each column's width up
    shares = [math.floor(s * width / (width + 2) * 10) / 10 for s in column_shares(floors, naturals, width, words)]
    if [length.rawValue() for length in fmt.columnWidthConstraints()] == shares:
        return False
    fmt.setColumnWidthConstraints([QTextLength(QTextLength.Type.PercentageLength, s) for s in shares])
    table.setFormat(fmt)
    return True


def fit_tables(doc: QTextDocument, page_width: float, new_only: bool = False) -> None:
    """``fit_table`` for every table of *doc* (*new_only*: every one not fitted yet)."""
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()  # the page laid out again once, not once a table
    try:
        for table in tables_of(doc):
            if not (new_only and table.format().columnWidthConstraints()):
                fit_table(doc, table, page_width)
    finally:
        cursor.endEditBlock()


def page_width(pane, doc: QTextDocument | None = None) -> float:
    """The text's width in *pane* (a QTextEdit) showing *doc* (by default
    its own document) with its vertical scroll bar
    shown, whether it is or not: fitted to the width without it, a page
    grown taller would show the bar, narrowing the page to fit again, which
    could hide the bar again, and so on."""
    width = pane.viewport().width()
    bar = pane.verticalScrollBar()
    if not bar.isVisible() and pane.verticalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
        width -= bar.sizeHint().width()
    return width - 2 * (doc or pane.document()).documentMargin()
