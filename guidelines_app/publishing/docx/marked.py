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

from guidelines_app.publishing.docx.blocks import rule_paragraph
from guidelines_app.publishing.docx.details import ExportDetails
from guidelines_app.publishing.docx.oxml import PLAIN, RunFormat, list_indent
from guidelines_app.publishing.docx.tables import TABLE_GAP, cell_start, row_start
from guidelines_app.publishing.docx.tracked import ChangeMarks, TrackedRuns
from guidelines_app.publishing.docx.writer import DocxWriter

# The bookmark where a redline's body starts (after its title page).
BODY_BOOKMARK = "_GuidelineBody"
# How a table cell's paragraph is a list item: "" (a plain paragraph), or
# one of these.
BULLET, NUMBER = "bullet", "number"
# How far in a definition list's definition is (twips), as the export sets it (docx.blocks).
DEFINITION_INDENT = 567


def _label(n: int, level: int) -> str:
    """Item *n*'s number as the export's numbering writes it at *level*:
    1., a., i., then again."""
    kind = level % 3
    if kind == 1:
        text = ""
        while n > 0:
            n, rest = divmod(n - 1, 26)
            text = chr(ord("a") + rest) + text
        return f"{text}."
    if kind == 2:
        text = ""
        for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                               (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
            while n >= value:
                text, n = text + numeral, n - value
        return f"{text}."
    return f"{n}."


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
        self._lists_quoted = False  # the open lists are inside a block quote
        self._last_item = -1  # index in self.out of the last list item written
        # The numbered items since the lists opened: (index in self.out,
        # level, numbering id, start, whole).
        self._numbered: list[tuple[int, int, int, int, str]] = []
        self._starts: dict[int, int] = {}  # numbering id -> the number its list starts at
        # Numbering id -> its items so far (not deleted), and the ids of
        # lists with an item drawn without a numbered paragraph (one that
        # starts with a sub-list): the items after it go on with the next
        # number in a numbering of their own, as the export numbers them.
        self._counts: dict[int, int] = {}
        self._unnumbered: set[int] = set()
        # The open quote: (its depth as written, how many quotes deep), the
        # column of its text (twips), and the lists of the item it is in,
        # set aside while it is drawn (its own lists are ``_lists``).
        self._quote: tuple[int, int] | None = None
        self._quote_col = 0
        self._outer: tuple | None = None

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

    def heading(self, level: int, pieces, whole: str, old_level: int | None = None) -> None:
        """*old_level*: the level the heading had before (a heading moved to
        another level: tracked, so Reject All gives its old level back)."""
        if self._skipped(whole):
            return
        self._end_lists()
        level = self.word_level(level)
        self.last_heading_level = level
        change = ""
        if old_level is not None and self.marks is not None and self.word_level(old_level) != level:
            change = self.marks.style_change(self.style(f"Heading {self.word_level(old_level)}", "Heading 4"))
        self._para(self.style(f"Heading {level}", "Heading 4"), pieces, whole, change=change)

    def paragraph(self, pieces, whole: str, kind: str = "paragraph", depth: int = 0, marker: str = "",
                  quotes: int = 0, within: int = 0, starts: bool = False) -> None:
        """*kind*: "paragraph", "quote", "code", "rule", "summary" (of a
        <details>), "term" and "definition" (of a definition list: the
        Summary style, and a paragraph in by ``DEFINITION_INDENT``, as the
        export draws them), "item" (a list item at *depth* with its *marker* as
        written: "-" or "3.") or "quote item" (one of a list inside a block
        quote).  A paragraph, code or a rule at a *depth* is in the list
        item at *depth* - 1, under its text.  A quote's: *quotes* deep in
        quotes, in the list item at *within* - 1 (0: in none), *depth*
        counted inside the quote; *starts*: the first of a quote."""
        if self._skipped(whole):
            return
        if quotes:
            self._enter_quote(within, quotes, starts)
        else:
            self._leave_quote()
        if kind in ("item", "quote item"):
            self._item(pieces, whole, depth, marker, kind == "quote item")
            return
        quoted = quotes > 0
        if depth and kind in ("paragraph", "quote") and self._further(pieces, whole, depth - 1, quoted):
            return
        left = self._item_left(depth - 1, quoted) if depth and kind in ("code", "rule", "term", "definition") else None
        if left is None:
            self._close_lists()
            left = self._quote_col if quoted else 0
        if kind == "rule":
            self.out.append(rule_paragraph(left, self.runs.paragraph_mark(whole)))
            return
        style = self.style({"code": "Source Code", "quote": "Quote", "summary": "Summary", "term": "Summary"}.get(
            kind, "Normal"))
        if kind == "code":
            self.code_gap(style)
        elif kind == "definition":
            left += DEFINITION_INDENT
        indent = self.quote_look()[0] if kind == "quote" else 0  # (the style's own)
        self._para(style, pieces, whole, f'<w:ind w:left="{left}"/>' if left != indent else "")

    # ---- quotes --------------------------------------------------------------

    def _enter_quote(self, within: int, quotes: int, starts: bool = False) -> None:
        """A quote's block: in the quote open, or in a new one, drawn as the
        export draws it: in from what holds it by the Quote style's
        indentation for each quote, its lists of their own.  In a list item
        the item's lists are set aside, and go on after it."""
        if self._quote == (within, quotes) and not starts:
            return
        if self._lists_quoted:
            self._close_lists()  # (the lists of the quote before)
        if within and self._outer is None and self._lists and not self._lists_quoted:
            self._outer = (self._lists, self._numbered, self._last_item)
            self._lists, self._numbered = [], []
        outer = self._outer[0] if self._outer is not None else []
        while outer and outer[-1][0] > within - 1:
            outer.pop()  # (lists deeper than the item end)
        host = list_indent(min(len(outer) - 1 if outer else within - 1, 8)) if within else 0
        self._quote, self._quote_col = (within, quotes), host + self.quote_look()[0] * quotes

    def _leave_quote(self) -> None:
        """After a quote: the lists of the item it was in go on."""
        if self._quote is None:
            return
        if self._lists_quoted:
            self._close_lists()
        if self._outer is not None:
            self._lists, self._numbered, self._last_item = self._outer
            self._lists_quoted, self._outer = False, None
        self._quote = None

    def end_lists(self) -> None:
        """Every list ends here: a line that shows nothing (an HTML
        comment) at the margin ends them, as the preview ends them."""
        self._end_lists()

    def _end_lists(self) -> None:
        """Every list ends (a heading, a table outside them, the end)."""
        self._leave_quote()
        self._close_lists()

    def _item(self, pieces, whole: str, depth: int, marker: str, quoted: bool = False) -> None:
        """A list item; *depth* (its indentation as written) only orders
        items: the level is how many lists are open around it.  *quoted*:
        inside a block quote, drawn inside it as the export draws it."""
        ordered = marker[:1].isdigit()
        if self._lists and self._lists_quoted != quoted:
            self._close_lists()  # a list in a quote and one outside it are two lists
        self._lists_quoted = quoted
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
            self._starts[self._lists[-1][2]] = start
        level = min(len(self._lists) - 1, 8)
        num_id = self._lists[-1][2]
        if num_id in self._unnumbered:
            start = self._starts[num_id] + self._counts.get(num_id, 0)
            num_id = self.new_num(ordered, level, start)
            self._lists[-1] = (depth, ordered, num_id)
            self._starts[num_id] = start
        if whole != "delete":
            self._counts[num_id] = self._counts.get(num_id, 0) + 1
        if not any(p.text.strip() for p in pieces):
            # An item that starts with a sub-list ("1. - nested"): its
            # level is open for the sub-list, with no numbered paragraph
            # (a stray bullet or number) above it, as the export draws it.
            self._unnumbered.add(num_id)
            return
        numpr = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        style, indent, _further, _lead = self.list_look(level, quoted, self._quote_col if quoted else 0)
        self._para(style, pieces, whole, numpr + indent)
        self._last_item = len(self.out) - 1
        if ordered and self.marks is not None:
            self._numbered.append((self._last_item, level, num_id, self._starts[num_id], whole))

    def _further(self, pieces, whole: str, depth: int, quoted: bool) -> bool:
        """A further paragraph of the open list item at *depth* (as
        written), indented under its text as the export draws it; the
        lists deeper than it end.  False when no such list is open."""
        if self._item_left(depth, quoted) is None:
            return False
        style, _numbered, further, lead = self.list_look(min(len(self._lists) - 1, 8), quoted,
                                                         self._quote_col if quoted else 0)
        # (the tab that moves a further paragraph on to its text: tracked with it)
        lead = self.runs.run("\t", PLAIN, whole) if lead and any(p.text.strip() for p in pieces) else ""
        self._para(style, pieces, whole, further, lead=lead)
        self._last_item = len(self.out) - 1
        return True

    def _item_left(self, depth: int, quoted: bool) -> int | None:
        """The text column (twips) of the open list item at *depth* (as
        written), the lists deeper than it ended; None when no such list
        is open."""
        if not self._lists or self._lists_quoted != quoted or self._lists[0][0] > depth:
            return None
        while self._lists[-1][0] > depth:
            self._lists.pop()
        return (self._quote_col if quoted else 0) + list_indent(min(len(self._lists) - 1, 8))

    def _close_lists(self) -> None:
        """The end of a list: room before the next paragraph, as the export."""
        if self._lists and self._last_item == len(self.out) - 1:
            last = self.out[-1]
            ppr = last[:last.index("</w:pPr>")]
            cut = next((ppr.find(tag) for tag in ("<w:ind ", "<w:rPr>") if tag in ppr), len(ppr))
            self.out[-1] = last[:cut] + '<w:spacing w:after="160"/>' + last[cut:]
        self._lists = []
        self._number_by_hand()

    def _number_by_hand(self) -> None:
        """A numbered list with a tracked deletion in one of its items (or
        right after a deleted paragraph, which LibreOffice joins to it) gets
        its numbers as text, tracked too (a renumbered item shows its old
        number deleted and the new one inserted).  LibreOffice shows every
        automatically numbered item holding a deletion as a deleted item
        ("[2.]", and the next item renumbered); written by hand, the numbers
        read right in Word and LibreOffice, and accepting (or rejecting)
        every change gives the new (or old) numbers."""
        numbered, self._numbered = self._numbered, []
        by_hand = {num_id for at, _l, num_id, _s, _w in numbered
                   if "<w:del " in self.out[at] or (at and "<w:del " in self.out[at - 1].split("</w:pPr>")[0])}
        counts: dict[int, list[int]] = {}
        for at, level, num_id, start, whole in numbered:
            if num_id not in by_hand:
                continue
            old, new = counts.setdefault(num_id, [start - 1, start - 1])
            if whole != "insert":
                old += 1
            if whole != "delete":
                new += 1
            counts[num_id] = [old, new]
            if whole == "insert":
                number = self.runs.run(f"{_label(new, level)}\t", PLAIN, "insert")
            elif whole == "delete":
                number = self.runs.run(f"{_label(old, level)}\t", PLAIN, "delete")
            elif old != new:
                number = (self.runs.run(_label(old, level), PLAIN, "delete")
                          + self.runs.run(_label(new, level), PLAIN, "insert") + self.runs.run("\t", PLAIN))
            else:
                number = self.runs.run(f"{_label(new, level)}\t", PLAIN)
            para = self.out[at]
            head, tail = para.split("</w:pPr>", 1)
            head = head[:head.index("<w:numPr>")] + head[head.index("</w:numPr>") + len("</w:numPr>"):]
            cut = head.find("<w:rPr>") if "<w:rPr>" in head else len(head)
            # (an item in a quote has its indentation already)
            indent = "" if "<w:ind " in head else f'<w:ind w:left="{list_indent(level)}" w:hanging="360"/>'
            self.out[at] = head[:cut] + indent + head[cut:] + "</w:pPr>" + number + tail

    def _para(self, style: str, pieces, whole: str, numpr: str = "", base: RunFormat = PLAIN, change: str = "",
              lead: str = "") -> None:
        mark = self.runs.paragraph_mark(whole)
        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{numpr}{mark}{change}</w:pPr>'
                        f"{lead}{self.runs.runs(pieces, base)}</w:p>")

    def _skipped(self, whole: str) -> bool:
        return whole == "delete" and self.marks is None

    # ---- tables --------------------------------------------------------------

    def table(self, rows, depth: int = 0, aligns: list[str] | None = None) -> None:
        """*rows*: (whole, header, cells) with each cell a list of
        (item, pieces) paragraphs, *item* "", BULLET or NUMBER.  A whole
        inserted or deleted row is tracked as one (Word accepts or rejects
        it at once).  At a *depth*: in the list item at *depth* - 1, from
        its text to the right margin.  *aligns*: each column's "center",
        "right" or other, as the export aligns the column's text."""
        rows = [r for r in rows if not self._skipped(r[0])]
        if not rows:
            return
        self._leave_quote()
        left = self._item_left(depth - 1, False) if depth else None
        if left is None:
            self._close_lists()
            left = 0
        ncols = max(max(len(cells) for _w, _h, cells in rows), 1)
        texts: list[list[str]] = [[] for _ in range(ncols)]
        for _w, _h, cells in rows:
            for col, cell in enumerate(cells[:ncols]):
                texts[col].append(" ".join(p.text for _item, pieces in cell for p in pieces))
        start, widths = self.table_start(ncols, texts, left)
        out = [start]
        for n, (whole, header, cells) in enumerate(rows):
            change = self.marks.mark(whole) if self.marks is not None else ""
            out.append(row_start(header, change))
            for col, cell in enumerate(cells + [[]] * (ncols - len(cells))):
                align = aligns[col] if aligns and col < len(aligns) else ""
                out.append(f"{cell_start(1, widths[col], header, n)}{self._cell(cell, header, align)}</w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.out.append("".join(out))
        self.out.append(TABLE_GAP)

    def _cell(self, paragraphs, header: bool, align: str = "") -> str:
        """A cell's paragraphs: its text (*align*: "center" or "right" when
        so aligned), and one paragraph per list item (numbered as the
        export numbers a list in a cell)."""
        saved = len(self.out)
        base = RunFormat(bold=True, color="FFFFFF") if header else RunFormat()
        jc = f'<w:jc w:val="{align}"/>' if align in ("center", "right") else ""
        num, num_kind = 0, ""
        for item, pieces in paragraphs or [("", [])]:
            if not item:
                num_kind = ""
                self._para(self.style("Table Text"), pieces, "equal", jc, base)
                continue
            if item != num_kind:
                num, num_kind = self.new_num(item == NUMBER, 1, 1), item
            numpr = f'<w:numPr><w:ilvl w:val="1"/><w:numId w:val="{num}"/></w:numPr>'
            self._para(self.style("List Paragraph"), pieces, "equal", numpr, base)
        body = "".join(self.out[saved:])
        del self.out[saved:]
        return body

    def finish(self) -> bytes:
        self._end_lists()
        return super().finish()
