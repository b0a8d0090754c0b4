"""Tables: grid, borders, a shaded header row repeated on each page, banded
rows; cells hold inline text or blocks (lists included)."""

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
        caption = el.find("caption")
        if caption is not None:
            self.mixed([caption.text or "", *caption], self.style("Summary", "Normal"), depth)
        if not rows:
            return
        ncols = max(sum(colspan(c) for c in cells) for _, cells, _ in rows) or 1
        start, col_w = self.table_start(ncols)
        out = [start]
        cell_style = self.style("Table Text")
        for n, (_, cells, _) in enumerate(rows):
            header = n < header_rows
            out.append(row_start(header))
            used = 0
            for cell in cells:
                span = min(colspan(cell), ncols - used) or 1
                used += span
                out.append(self._cell(cell, span, col_w, header, n, cell_style))
            for _ in range(ncols - used):
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{col_w}" w:type="dxa"/></w:tcPr><w:p/></w:tc>')
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.out.append("".join(out))
        self.out.append(TABLE_GAP)

    def table_start(self, ncols: int) -> tuple[str, int]:
        """The opening of a full-width table of *ncols* equal columns (its
        properties and grid), and the column width in twips."""
        col_w = self.text_width // 635 // ncols  # EMU -> twips
        grid = "".join(f'<w:gridCol w:w="{col_w}"/>' for _ in range(ncols))
        border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>'
        borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        return (
            f'<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>{borders}</w:tblBorders>'
            '<w:tblLayout w:type="autofit"/><w:tblCellMar><w:left w:w="100" w:type="dxa"/>'
            '<w:right w:w="100" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        ), col_w

    def _cell(self, cell, span: int, col_w: int, header: bool, row: int, style: str) -> str:
        align = (cell.get("align") or "").lower()
        m = re.search(r"text-align:\s*(left|right|center)", cell.get("style") or "")
        if m:
            align = m.group(1)
        jc = {"center": '<w:jc w:val="center"/>', "right": '<w:jc w:val="right"/>'}.get(align, "")
        saved = len(self.out)
        fmt = RunFormat(bold=True, color="FFFFFF") if header else RunFormat()
        if any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in cell):
            self.container(cell, 1, style)
        else:
            para = self.inline_children(cell, fmt, ParaBuffer())
            self._emit_para(para, style, jc, force=True)
        body = "".join(self.out[saved:]) or "<w:p/>"
        del self.out[saved:]
        return f"{cell_start(span, col_w, header, row)}{body}</w:tc>"


# Word joins tables that touch; a small gap keeps them apart.
TABLE_GAP = '<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:rPr><w:sz w:val="8"/></w:rPr></w:pPr></w:p>'


def row_start(header: bool, change: str = "") -> str:
    """A row's opening; a header row repeats on each page.  *change*: a
    w:ins / w:del mark when the whole row is tracked."""
    return f"<w:tr><w:trPr><w:cantSplit/>{'<w:tblHeader/>' if header else ''}{change}</w:trPr>"


def cell_start(span: int, col_w: int, header: bool, row: int) -> str:
    """A cell's opening: width, span, and the shading of a header cell or of
    every other body row (*row* counts from 0 over all rows)."""
    shade = ""
    if header:
        shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{ACCENT}"/>'
    elif row % 2 == 0:
        shade = '<w:shd w:val="clear" w:color="auto" w:fill="F2F5FA"/>'
    span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{col_w * span}" w:type="dxa"/>{span_xml}{shade}</w:tcPr>'
