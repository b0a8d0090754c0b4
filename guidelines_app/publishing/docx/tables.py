"""Tables: grid, borders, a shaded header row repeated on each page, banded
rows; cells hold inline text or blocks (lists included).  In a form
(``DocxWriter.fill_in_tables``) a table under a blank header row is a block
to fill in by hand: no header row, narrow shaded labels, wide white space to
write in, rows tall enough to sign."""

from __future__ import annotations

import re

from guidelines_app.publishing.docx.oxml import (
    BLOCK_TAGS,
    ParaBuffer,
    RunFormat,
    colspan,
)
from guidelines_app.publishing.docx.styles import ACCENT


class TablesMixin:
    """Tables of the writer (a mixin of ``DocxWriter``)."""

    def table(self, el, depth: int) -> None:
        rows = []
        header_rows = 0
        for section in [el, *el.iterchildren("thead", "tbody", "tfoot")]:
            for tr in section.iterchildren("tr"):
                cells = [c for c in tr if c.tag in ("td", "th")]
                is_header = section.tag == "thead" or (cells and all(c.tag == "th" for c in cells))
                rows.append((tr, cells, is_header))
        # thead rows first, as HTML renders them
        rows.sort(key=lambda r: 0 if r[0].getparent().tag == "thead" else 1)
        for _, _, is_header in rows:
            if not is_header:
                break
            header_rows += 1
        blank_header = header_rows and not any(c.text_content().strip() for _, cells, _ in rows[:header_rows] for c in cells)
        fill_in = bool(self.fill_in_tables and blank_header)
        if fill_in:
            rows, header_rows = rows[header_rows:], 0
        caption = el.find("caption")
        if caption is not None:
            self.mixed([caption.text or "", *caption], self.style("Summary", "Normal"), depth)
        if not rows:
            return
        ncols = max(sum(colspan(c) for c in cells) for _, cells, _ in rows) or 1
        texts: list[list[str]] = [[] for _ in range(ncols)]
        for _, cells, _ in rows:
            if all(colspan(c) == 1 for c in cells):
                for col, cell in enumerate(cells[:ncols]):
                    texts[col].append(cell.text_content())
        start, widths = self.table_start(ncols, texts, self.left, header=header_rows > 0, fill_in=fill_in)
        out = [start]
        cell_style = self.style("Table Text")
        for n, (_, cells, _) in enumerate(rows):
            header = n < header_rows
            out.append(row_start(header, height=FILL_IN_ROW if fill_in else 0))
            used = 0
            for cell in cells:
                span = min(colspan(cell), ncols - used) or 1
                look = (LABEL_SHADE if cell.text_content().strip() else "", "center") if fill_in else None
                out.append(self._cell(cell, span, sum(widths[used:used + span]), header, n, cell_style, look))
                used += span
            for col in range(used, ncols):
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[col]}" w:type="dxa"/></w:tcPr><w:p/></w:tc>')
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.out.append("".join(out))
        self.out.append(TABLE_GAP)

    def table_start(self, ncols: int, texts: list[list[str]] | None = None, left: int = 0, header: bool = True,
                    fill_in: bool = False) -> tuple[str, list[int]]:
        """The opening of a table of *ncols* columns (its properties and
        grid) as wide as the text, or from *left* (twips: in a list item,
        its text's column) to the right margin, and the column widths in
        twips: sized to the cells' *texts* per column (``column_widths``),
        else equal.  *header*: whether its first row is a header row."""
        total = self.text_width // 635 - left  # EMU -> twips
        widths = column_widths(texts or [[] for _ in range(ncols)], total, fill_in)
        width = f'<w:tblW w:w="{total}" w:type="dxa"/><w:tblInd w:w="{left}" w:type="dxa"/>' if left else \
            '<w:tblW w:w="5000" w:type="pct"/>'
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        look = "04A0" if header else "0480"  # (Word's bits: first row, no vertical banding)
        border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>'
        borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        return (
            f'<w:tbl><w:tblPr>{width}<w:tblBorders>{borders}</w:tblBorders>'
            '<w:tblLayout w:type="autofit"/><w:tblCellMar><w:left w:w="100" w:type="dxa"/>'
            '<w:right w:w="100" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="{look}" w:firstRow="{int(header)}" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        ), widths

    def _cell(self, cell, span: int, width: int, header: bool, row: int, style: str,
              look: tuple[str, str] | None = None) -> str:
        """A cell; *look*: (its shading, its vertical alignment) when not the
        header's or the banded rows' (``cell_start``)."""
        align = (cell.get("align") or "").lower()
        m = re.search(r"text-align:\s*(left|right|center)", cell.get("style") or "")
        if m:
            align = m.group(1)
        jc = {"center": '<w:jc w:val="center"/>', "right": '<w:jc w:val="right"/>'}.get(align, "")
        saved = len(self.out)
        fmt = RunFormat(bold=True, color="FFFFFF") if header else RunFormat()
        if any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in cell):
            with self.within(0, 0):  # (a cell's blocks are in from its own side)
                self.container(cell, 1, style)
        else:
            para = self.inline_children(cell, fmt, ParaBuffer())
            self._emit_para(para, style, jc, force=True)
        body = "".join(self.out[saved:]) or "<w:p/>"
        del self.out[saved:]
        return f"{cell_start(span, width, header, row, *(look or ()))}{body}</w:tc>"


# Word joins tables that touch; a small gap keeps them apart.
TABLE_GAP = '<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:rPr><w:sz w:val="8"/></w:rPr></w:pPr></w:p>'


# A fill-in table's rows (twips, at least: 1.27 cm, room to sign by hand), its labels' shading.
FILL_IN_ROW, LABEL_SHADE = 720, "F2F5FA"


def row_start(header: bool, change: str = "", height: int = 0) -> str:
    """A row's opening; a header row repeats on each page.  *change*: a
    w:ins / w:del mark when the whole row is tracked; *height*: its least
    height in twips."""
    tall = f'<w:trHeight w:val="{height}" w:hRule="atLeast"/>' if height else ""
    return f"<w:tr><w:trPr><w:cantSplit/>{tall}{'<w:tblHeader/>' if header else ''}{change}</w:trPr>"


# Twips a character of table text takes, about (9-10 pt text), and a
# cell's left and right margins together.
_CHAR_TWIPS, _CELL_MARGINS = 110, 200
_WORD_RE = re.compile(r"\S+")


def column_widths(texts: list[list[str]], total: int, fill_in: bool = False) -> list[int]:
    """Widths (twips, adding up to *total*) of columns whose cells hold
    *texts*: each column at least as wide as its longest word when the page
    allows (so no word is broken mid-word), the room left shared by how
    much text the columns hold (a column of "Yes" stays narrow).  Columns
    without text share alike.  *fill_in*: the columns without text are the
    space to write in: the labels' columns as narrow as their text allows
    (an inch at least, two fifths of the width at most), those share the rest."""
    n = len(texts) or 1
    has_text = [any(t.strip() for t in col) for col in texts]
    if not any(has_text):
        return [total // n] * n
    if fill_in and not all(has_text):
        labels = [min(max(1440, _CELL_MARGINS + _CHAR_TWIPS * max(len(" ".join(t.split())) for t in col)), total * 2 // 5)
                  if text else 0 for col, text in zip(texts, has_text)]
        room, blank = total - sum(labels), has_text.count(False)
        widths = [w if text else room // blank for w, text in zip(labels, has_text)]
        widths[-1] += total - sum(widths)
        return widths
    # (a very long word, a URL, may break rather than squeeze the others)
    least = [min(_CELL_MARGINS + _CHAR_TWIPS * max((len(w) for t in col for w in _WORD_RE.findall(t)), default=3),
                 total * 2 // 5) for col in texts]
    wanted = [max(lo, _CELL_MARGINS + _CHAR_TWIPS * min(max((len(" ".join(t.split())) for t in col), default=3), 60))
              for lo, col in zip(least, texts)]
    if sum(wanted) <= total:
        base, extra = wanted, [w for w in wanted]
    elif sum(least) <= total:
        base, extra = least, [w - lo for w, lo in zip(wanted, least)]
    else:
        base, extra = [0] * n, least
    room = total - sum(base)
    share = sum(extra) or 1
    widths = [b + room * e // share for b, e in zip(base, extra)]
    widths[-1] += total - sum(widths)
    return widths


def cell_start(span: int, col_w: int, header: bool, row: int, shade: str | None = None, v_align: str = "") -> str:
    """A cell's opening: width, span, and the shading of a header cell or of
    every other body row (*row* counts from 0 over all rows), or *shade*
    ("" for none); *v_align*: "center" or "bottom" when not at the top."""
    if shade is None:
        shade = ACCENT if header else "F2F5FA" if row % 2 == 0 else ""
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
    span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    align = f'<w:vAlign w:val="{v_align}"/>' if v_align else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{col_w * span}" w:type="dxa"/>{span_xml}{shading}{align}</w:tcPr>'

