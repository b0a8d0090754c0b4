"""The running header (title, DRAFT, version), the 'Page X of Y' footer and
the DRAFT watermark; the header and footer of a reference document are kept."""

from __future__ import annotations

from docx.oxml import parse_xml

from guidelines_app.publishing.docx.oxml import (
    NSDECL,
    esc,
    has_content,
    replace_paragraphs,
)
from guidelines_app.publishing.docx.styles import GREY


class HeaderFooterMixin:
    """Header and footer of the writer (a mixin of ``DocxWriter``)."""

    def _header_footer(self) -> None:
        d = self.details
        section = self.doc.sections[0]
        section.different_first_page_header_footer = True
        right = self.text_width // 635
        watermark = _WATERMARK if self.draft_marks else ""
        keep_reference = self.reference is not None and (has_content(section.header) or has_content(section.footer))
        if not keep_reference:
            version = f"Version {d.version}" if d.version else ""
            if self.header_note is not None:  # a redline says what it compares instead
                version = self.header_note
            draft = ("" if not self.draft_marks else
                     '<w:r><w:rPr><w:b/><w:color w:val="C00000"/></w:rPr><w:t xml:space="preserve">DRAFT  </w:t></w:r>')
            header = (
                f'<w:p {NSDECL}><w:pPr><w:pStyle w:val="{self.style("Header", "Normal")}"/>'
                f'<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="BFBFBF"/></w:pBdr>'
                f'<w:tabs><w:tab w:val="clear" w:pos="4680"/><w:tab w:val="clear" w:pos="9360"/><w:tab w:val="right" w:pos="{right}"/></w:tabs></w:pPr>'
                f'<w:r><w:rPr><w:color w:val="{GREY}"/><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">{esc(d.title)}</w:t></w:r>'
                f'<w:r><w:tab/></w:r>{draft}<w:r><w:rPr><w:color w:val="{GREY}"/><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">{esc(version)}</w:t></w:r>'
                f"{watermark}</w:p>"
            )
            small = f'<w:rPr><w:color w:val="{GREY}"/><w:sz w:val="18"/></w:rPr>'

            def field(code: str) -> str:
                return (f'<w:r>{small}<w:fldChar w:fldCharType="begin"/></w:r><w:r>{small}<w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
                        f'<w:r>{small}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{small}<w:t>1</w:t></w:r>'
                        f'<w:r>{small}<w:fldChar w:fldCharType="end"/></w:r>')

            left = " · ".join(x for x in (d.organization, d.status_text if not d.is_approved else "") if x)
            if self.footer_note is not None:
                left = self.footer_note
            footer = (
                f'<w:p {NSDECL}><w:pPr><w:pStyle w:val="{self.style("Footer", "Normal")}"/>'
                f'<w:tabs><w:tab w:val="clear" w:pos="4680"/><w:tab w:val="clear" w:pos="9360"/><w:tab w:val="right" w:pos="{right}"/></w:tabs></w:pPr>'
                f'<w:r>{small}<w:t xml:space="preserve">{esc(left)}</w:t></w:r><w:r>{small}<w:tab/></w:r>'
                f'<w:r>{small}<w:t xml:space="preserve">Page </w:t></w:r>{field("PAGE")}'
                f'<w:r>{small}<w:t xml:space="preserve"> of </w:t></w:r>{field("NUMPAGES")}</w:p>'
            )
            replace_paragraphs(section.header, header)
            replace_paragraphs(section.footer, footer)
            first = f'<w:p {NSDECL}><w:pPr><w:pStyle w:val="{self.style("Header", "Normal")}"/></w:pPr>{watermark}</w:p>'
            replace_paragraphs(section.first_page_header, first)
            replace_paragraphs(section.first_page_footer, f'<w:p {NSDECL}/>')
        elif watermark:
            for hdr in (section.header, section.first_page_header):
                paragraph = hdr.paragraphs[0] if hdr.paragraphs else hdr.add_paragraph()
                for run in parse_xml(f"<w:p {NSDECL}>{watermark}</w:p>"):
                    paragraph._p.append(run)


_WATERMARK = (
    '<w:r><w:rPr><w:noProof/></w:rPr><w:pict>'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">'
    '<v:path textpathok="t" o:connecttype="custom"/><v:textpath on="t" fitshape="t"/></v:shapetype>'
    '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:140pt;rotation:315;z-index:-251657216;'
    'mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;'
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d9d9d9" stroked="f">'
    '<v:fill opacity=".5"/><v:textpath style="font-family:&quot;Calibri&quot;;font-size:1pt" string="DRAFT"/>'
    '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
)
