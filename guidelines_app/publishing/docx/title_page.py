"""The title page (organisation, title, subject, version/status/date/owners)
and the contents page (a TOC field pre-filled with the headings)."""

from __future__ import annotations

import datetime as _dt

from guidelines_app.publishing.docx.blocks import ANCHOR_IDS
from guidelines_app.publishing.docx.details import long_date
from guidelines_app.publishing.docx.oxml import esc
from guidelines_app.publishing.docx.styles import ACCENT, GREY


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

    def _contents(self) -> str:
        """The contents page: a TOC field Word updates when the file opens
        (settings updateFields), pre-filled with the headings so LibreOffice
        and a first look in Word already show them.  Written only when there
        are headings to list (see ``finish``)."""
        heading = (f'<w:p><w:pPr><w:pStyle w:val="{self.style("TOC Heading")}"/><w:outlineLvl w:val="9"/></w:pPr>'
                   '<w:r><w:t>Contents</w:t></w:r></w:p>')
        entries = [(lvl, text, mark) for lvl, text, mark in self._headings if lvl <= 3]
        parts = [heading]
        begin = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
                 '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        tab = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{self.text_width // 635}"/></w:tabs>'
        for n, (lvl, text, mark) in enumerate(entries):
            style = self.style(f"TOC {lvl}", "Normal")
            number = str(self.toc_pages[n]) if self.toc_pages and n < len(self.toc_pages) else ""
            first = begin if n == 0 else ""
            last = end if n == len(entries) - 1 else ""
            page = (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGEREF {mark} \\h </w:instrText></w:r>'
                    f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{number}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
            parts.append(
                f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{tab}</w:pPr>{first}'
                f'<w:hyperlink w:anchor="{mark}" w:history="1"><w:r><w:t xml:space="preserve">{esc(text)}</w:t></w:r>'
                f'<w:r><w:tab/></w:r>{page}</w:hyperlink>{last}</w:p>'
            )
        parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        return "".join(parts)
