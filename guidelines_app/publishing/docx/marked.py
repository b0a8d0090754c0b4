"""The redline mode of the Word writer: a document written from marked
pieces of display text (a comparison's layout) instead of an HTML tree.

It is the exporter's writer -- the same template or reference document,
styles, numbering definitions, table look, hyperlinks, header, footer and
title page -- fed paragraph by paragraph:

    writer = MarkedWriter(details, reference_docx, ChangeMarks(author, date))
    writer.title_page(subtitle, rows)
    writer.plan_headings(levels)
    writer.heading(level, pieces, whole)
    writer.paragraph(pieces, whole, kind, depth, marker)
    writer.table(rows)
    data = writer.finish()

*whole* is "equal", "insert" or "delete": the paragraph (or table row) as a
whole is inserted or deleted, and its paragraph mark (or row) is tracked.
Each list gets its own numbering instance, so it restarts at 1, and list
depths nest as levels.  With ``marks`` None nothing is tracked and deleted
text is left out (the clean copy).
"""

from __future__ import annotations

from pathlib import Path

from guidelines_app.publishing.docx.details import ExportDetails
from guidelines_app.publishing.docx.oxml import PLAIN, RunFormat
from guidelines_app.publishing.docx.tables import TABLE_GAP, cell_start, row_start
from guidelines_app.publishing.docx.tracked import ChangeMarks, TrackedRuns
from guidelines_app.publishing.docx.writer import DocxWriter

# The bookmark where a redline's body starts (after its title page).
BODY_BOOKMARK = "_GuidelineBody"
# How a table cell's paragraph is a list item: "" (a plain paragraph), or
# one of these.
BULLET, NUMBER = "bullet", "number"


class MarkedWriter(DocxWriter):
    """``DocxWriter`` in the redline mode (see the module's docstring)."""

    def __init__(self, details: ExportDetails, reference_docx: Path | str | None = None,
                 marks: ChangeMarks | None = None):
        super().__init__(details, None, reference_docx)
        self.marks = marks
        self.runs = TrackedRuns(self, marks)
        self.with_contents = False
        self.with_heading_note = False
        self.draft_marks = False
        self._lists: list[tuple[int, bool, int]] = []  # open lists: depth as written, ordered, numbering id
        self._last_item = -1  # index in self.out of the last list item written

    # ---- front matter --------------------------------------------------------

    def title_page(self, subtitle: str, rows: list[tuple[str, str]]) -> None:
        """The exporter's title page with what the redline compares, then
        the bookmark where the body starts."""
        self.title_block(self.details.organization, self.details.title, subtitle, rows)
        self._toc_at = len(self.out)
        self._bookmark += 1
        self.out.append(f'<w:bookmarkStart w:id="{self._bookmark}" w:name="{BODY_BOOKMARK}"/>'
                        f'<w:bookmarkEnd w:id="{self._bookmark}"/>')

    def plan_headings(self, levels: list[int]) -> None:
        """As the export: the highest of *levels* (the headings' levels as
        written, without a first heading that repeats the title) is written
        as Heading 1."""
        self.heading_shift = (min(levels) - 1) if levels else 0

    # ---- paragraphs ----------------------------------------------------------

    def heading(self, level: int, pieces, whole: str) -> None:
        if self._skipped(whole):
            return
        self._close_lists()
        level = self.word_level(level)
        self.last_heading_level = level
        self._para(self.style(f"Heading {level}", "Heading 4"), pieces, whole)

    def paragraph(self, pieces, whole: str, kind: str = "paragraph", depth: int = 0, marker: str = "") -> None:
        """*kind*: "paragraph", "quote", "code" or "item" (a list item at
        *depth* with its *marker* as written: "-" or "3.")."""
        if self._skipped(whole):
            return
        if kind == "item":
            self._item(pieces, whole, depth, marker)
            return
        self._close_lists()
        style = {"code": "Source Code", "quote": "Quote"}.get(kind, "Normal")
        self._para(self.style(style), pieces, whole)

    def _item(self, pieces, whole: str, depth: int, marker: str) -> None:
        """A list item; *depth* (its indentation as written) only orders
        items: the level is how many lists are open around it."""
        ordered = marker[:1].isdigit()
        while self._lists and self._lists[-1][0] > depth:
            self._lists.pop()
        if self._lists and self._lists[-1][0] == depth and self._lists[-1][1] != ordered:
            # A list of the other kind right after: a new list.
            if len(self._lists) == 1:
                self._close_lists()
            else:
                self._lists.pop()
        if not self._lists or self._lists[-1][0] != depth:
            digits = marker.rstrip(".)")
            start = int(digits) if ordered and digits.isdigit() else 1
            level = min(len(self._lists), 8)
            self._lists.append((depth, ordered, self.new_num(ordered, level, start)))
        level = min(len(self._lists) - 1, 8)
        numpr = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{self._lists[-1][2]}"/></w:numPr>'
        self._para(self.style("List Paragraph"), pieces, whole, numpr)
        self._last_item = len(self.out) - 1

    def _close_lists(self) -> None:
        """The end of a list: room before the next paragraph, as the export."""
        if self._lists and self._last_item == len(self.out) - 1:
            last = self.out[-1]
            ppr = last[:last.index("</w:pPr>")]
            cut = ppr.find("<w:rPr>") if "<w:rPr>" in ppr else len(ppr)
            self.out[-1] = last[:cut] + '<w:spacing w:after="160"/>' + last[cut:]
        self._lists = []

    def _para(self, style: str, pieces, whole: str, numpr: str = "", base: RunFormat = PLAIN) -> None:
        mark = self.runs.paragraph_mark(whole)
        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{numpr}{mark}</w:pPr>'
                        f"{self.runs.runs(pieces, base)}</w:p>")

    def _skipped(self, whole: str) -> bool:
        return whole == "delete" and self.marks is None

    # ---- tables --------------------------------------------------------------

    def table(self, rows) -> None:
        """*rows*: (whole, header, cells) with each cell a list of
        (item, pieces) paragraphs, *item* "", BULLET or NUMBER.  A whole
        inserted or deleted row is tracked as one (Word accepts or rejects
        it at once)."""
        self._close_lists()
        rows = [r for r in rows if not self._skipped(r[0])]
        if not rows:
            return
        ncols = max(max(len(cells) for _w, _h, cells in rows), 1)
        start, col_w = self.table_start(ncols)
        out = [start]
        for n, (whole, header, cells) in enumerate(rows):
            change = self.marks.mark(whole) if self.marks is not None else ""
            out.append(row_start(header, change))
            for cell in cells + [[]] * (ncols - len(cells)):
                out.append(f"{cell_start(1, col_w, header, n)}{self._cell(cell, header)}</w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.out.append("".join(out))
        self.out.append(TABLE_GAP)

    def _cell(self, paragraphs, header: bool) -> str:
        """A cell's paragraphs: its text, and one paragraph per list item
        (numbered as the export numbers a list in a cell)."""
        saved = len(self.out)
        base = RunFormat(bold=True, color="FFFFFF") if header else RunFormat()
        num, num_kind = 0, ""
        for item, pieces in paragraphs or [("", [])]:
            if not item:
                num_kind = ""
                self._para(self.style("Table Text"), pieces, "equal", "", base)
                continue
            if item != num_kind:
                num, num_kind = self.new_num(item == NUMBER, 1, 1), item
            numpr = f'<w:numPr><w:ilvl w:val="1"/><w:numId w:val="{num}"/></w:numPr>'
            self._para(self.style("List Paragraph"), pieces, "equal", numpr, base)
        body = "".join(self.out[saved:])
        del self.out[saved:]
        return body

    def finish(self) -> bytes:
        self._close_lists()
        return super().finish()
