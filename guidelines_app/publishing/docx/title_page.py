"""The title page (organisation, title, subject, version/status/date/owners)
and the contents page (a TOC field pre-filled with the headings)."""

from __future__ import annotations

import datetime as _dt
import re

from guidelines_app.publishing.docx.blocks import ANCHOR_IDS
from guidelines_app.publishing.docx.details import long_date
from guidelines_app.publishing.docx.oxml import esc
from guidelines_app.publishing.docx.styles import ACCENT, GREY

# A contents page is for a document a reader leafs through: one with fewer
# listed headings than this, or less text than about a page, has none (the
# title page and the text are the whole document).
CONTENTS_MIN_HEADINGS = 4
CONTENTS_MIN_WORDS = 450
# What one contents page holds in the house style (``styles``: TOC 1 to 3),
# in entries of level 2 or 3 (a level 1 entry, with space above it, counts
# 1.25: 35 of them fill the page, or 44 of level 2); a document with more
# lists heading levels 1 and 2 only, as the contents of a long report do.
CONTENTS_ONE_PAGE = 42


class TitlePageMixin:
    """Title and contents pages of the writer (a mixin of ``DocxWriter``)."""

    def _title_page(self) -> None:
        d = self.details
        date = d.date or _dt.date.today()
        rows = [
            ("Version", d.version or "—"),
            ("Status", d.status_text),
            ("Date", long_date(date)),
            ("Owners", ", ".join(d.owners) or "—"),
        ]
        if d.approval_text:
            rows.append(("Approved by", d.approval_text))
        if d.review_text:
            rows.append(("Review", d.review_text))
        notice = "" if d.is_approved else "DRAFT — not approved for distribution"
        # Links to the leading "#" heading the title page stands for land on the title.
        skipped = getattr(self, "_skip", None)
        mark = self._anchor_marks.get(skipped.get("id")) if skipped is not None else None
        self.title_block(d.organization, d.title, d.subject, rows, "" if d.is_approved else "Status", notice, mark or "")
        self._toc_at = len(self.out)

    def title_block(self, kicker: str, title: str, subtitle: str, rows: list[tuple[str, str]],
                    red_label: str = "", notice: str = "", bookmark: str = "") -> None:
        """A title page: *kicker* (the organisation) above the title, a
        subtitle, a table of label/value *rows* (the value of *red_label* in
        red) and a red *notice*, then a page break.  *bookmark*: a bookmark
        name for the title."""
        out = self.out
        out.append('<w:p><w:pPr><w:spacing w:before="2400" w:after="0"/></w:pPr></w:p>')
        if kicker:
            out.append(
                f'<w:p><w:pPr><w:pStyle w:val="{self.style("Subtitle")}"/></w:pPr>'
                f'<w:r><w:rPr><w:caps/></w:rPr><w:t xml:space="preserve">{esc(kicker)}</w:t></w:r></w:p>'
            )
        mark = (f'<w:bookmarkStart w:id="{ANCHOR_IDS - 1}" w:name="{bookmark}"/><w:bookmarkEnd w:id="{ANCHOR_IDS - 1}"/>'
                if bookmark else "")
        out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.style("Title")}"/></w:pPr>{mark}'
                   f'<w:r><w:t xml:space="preserve">{esc(title)}</w:t></w:r></w:p>')
        if subtitle:
            out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.style("Subtitle")}"/></w:pPr>'
                       f'<w:r><w:t xml:space="preserve">{esc(subtitle)}</w:t></w:r></w:p>')
        out.append('<w:p><w:pPr><w:spacing w:before="600" w:after="0"/></w:pPr></w:p>')
        style = self.style("Title Page Detail", "Normal")
        cells = []
        for label, value in rows:
            color = '<w:color w:val="C00000"/>' if red_label and label == red_label else ""
            cells.append(
                '<w:tr>'
                f'<w:tc><w:tcPr><w:tcW w:w="1700" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
                f'<w:r><w:rPr><w:b/><w:color w:val="{GREY}"/></w:rPr><w:t>{esc(label)}</w:t></w:r></w:p></w:tc>'
                f'<w:tc><w:tcPr><w:tcW w:w="6000" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
                f'<w:r><w:rPr>{color}</w:rPr><w:t xml:space="preserve">{esc(value)}</w:t></w:r></w:p></w:tc>'
                '</w:tr>'
            )
        out.append(
            '<w:tbl><w:tblPr><w:tblW w:w="7700" w:type="dxa"/><w:tblBorders>'
            f'<w:top w:val="single" w:sz="12" w:space="0" w:color="{ACCENT}"/>'
            '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="D9D9D9"/>'
            f'<w:bottom w:val="single" w:sz="12" w:space="0" w:color="{ACCENT}"/></w:tblBorders>'
            '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="60" w:type="dxa"/><w:bottom w:w="60" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid><w:gridCol w:w="1700"/><w:gridCol w:w="6000"/></w:tblGrid>'
            + "".join(cells) + "</w:tbl>"
        )
        if notice:
            out.append(
                f'<w:p><w:pPr><w:pStyle w:val="{self.style("Draft Notice")}"/><w:spacing w:before="480"/></w:pPr>'
                f'<w:r><w:t xml:space="preserve">{esc(notice)}</w:t></w:r></w:p>'
            )
        out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def contents_depth(self) -> int:
        """The heading levels the contents lists: 1 to 3, or 1 to 2 when
        levels 1 to 3 would not fit one page."""
        height = sum(1.25 if lvl == 1 else 1 for lvl, _, _ in self._headings if lvl <= 3)
        return 3 if height <= CONTENTS_ONE_PAGE else 2

    def contents_entries(self) -> list[tuple[int, str, str]]:
        """(level, text, bookmark) of the headings the contents lists."""
        depth = self.contents_depth()
        return [(lvl, text, mark) for lvl, text, mark in self._headings if lvl <= depth]

    def wants_contents(self) -> bool:
        """Whether the document gets a contents page: *with_contents* when
        it says (a form never, the details' ``contents`` when given), else
        only a document long enough to leaf through (see above); never
        without headings to list."""
        entries = self.contents_entries()
        wanted = self.with_contents
        if wanted is None:
            wanted = self.details.contents
        if wanted is None:
            wanted = len(entries) >= CONTENTS_MIN_HEADINGS and self.body_words >= CONTENTS_MIN_WORDS
        return bool(wanted and entries)

    def _contents(self) -> str:
        """The contents page: a TOC field Word updates when the file opens
        (settings updateFields), pre-filled with the headings and dot
        leaders so LibreOffice and a first look in Word already show them;
        the page numbers are PAGEREF fields in it, which Word fills then.
        With *live_page_numbers* (for a PDF made by LibreOffice) the entries
        stand without the TOC field around them: LibreOffice leaves a TOC
        field's entries as written (the numbers blank) but works out a
        PAGEREF field outside one as it lays the pages out.  Written only
        when ``wants_contents`` (see ``finish``)."""
        heading = (f'<w:p><w:pPr><w:pStyle w:val="{self.style("TOC Heading")}"/><w:outlineLvl w:val="9"/></w:pPr>'
                   '<w:r><w:t>Contents</w:t></w:r></w:p>')
        entries = self.contents_entries()
        parts = [heading]
        begin = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
                 f'<w:r><w:instrText xml:space="preserve"> TOC \\o "1-{self.contents_depth()}" \\h \\z \\u </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        if self.live_page_numbers:
            begin = end = ""
        tab = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{self.text_width // 635}"/></w:tabs>'
        for n, (lvl, text, mark) in enumerate(entries):
            style = self.style(f"TOC {lvl}", "Normal")
            first = begin if n == 0 else ""
            last = end if n == len(entries) - 1 else ""
            page = (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGEREF {mark} \\h </w:instrText></w:r>'
                    f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t></w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
            parts.append(
                f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{tab}</w:pPr>{first}'
                f'<w:hyperlink w:anchor="{mark}" w:history="1"><w:r><w:t xml:space="preserve">{esc(text)}</w:t></w:r>'
                f'<w:r><w:tab/></w:r>{page}</w:hyperlink>{last}</w:p>'
            )
        return "".join(parts)

    def insert_contents(self) -> None:
        """The contents page after the title page, the text on a page of its
        own after it: its first paragraph starts a page (a paragraph holding
        a page break after a full contents page would leave a blank page)."""
        first = self.out[self._toc_at] if self._toc_at < len(self.out) else ""
        starts, n = _FIRST_PPR.subn(r"\1<w:pageBreakBefore/>", first, count=1)
        if not n and first.startswith("<w:p>"):
            starts = "<w:p><w:pPr><w:pageBreakBefore/></w:pPr>" + first[len("<w:p>"):]
        elif not n:  # a table first: a paragraph with a page break
            starts = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>' + first
        self.out[self._toc_at:self._toc_at + 1] = [self._contents(), starts]


# A paragraph's properties up to where pageBreakBefore goes (the schema's order).
_FIRST_PPR = re.compile(r"^(<w:p><w:pPr>(?:<w:pStyle [^>]*/>)?(?:<w:keepNext/>)?(?:<w:keepLines/>)?)")
