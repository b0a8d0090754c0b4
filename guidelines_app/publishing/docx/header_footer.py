"""The running header (title, DRAFT, version), the 'Page X of Y' footer and
the DRAFT watermark; the header and footer of a reference document are kept."""

from __future__ import annotations

from guidelines_app.publishing.docx.opc import RT_BASE, Part
from guidelines_app.publishing.docx.oxml import (
    NSDECL,
    W_NS,
    esc,
    has_content,
    parse_xml,
    replace_paragraphs,
)
from guidelines_app.publishing.docx.styles import GREY, python_docx_file

R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# The children of w:sectPr after its header and footer references, in schema order.
_SECT_ORDER = ("footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType",
               "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
               "rtlGutter", "docGrid", "printerSettings", "sectPrChange")


def _insert(parent, element, before: tuple[str, ...]) -> None:
    """Put *element* before the first child named in *before* (tried in
    that order), else last."""
    for name in before:
        successor = parent.find(f"{{{W_NS}}}{name}")
        if successor is not None:
            successor.addprevious(element)
            return
    parent.append(element)


class HeaderFooterMixin:
    """Header and footer of the writer (a mixin of ``DocxWriter``)."""

    def _hdrftr(self, kind: str, which: str):
        """The root (w:hdr or w:ftr) of the first section's *kind* ("header"
        or "footer") for *which* pages ("default" or "first"), its part
        added (empty, as Word's) when the section has none."""
        sect, w = self.sect_pr, f"{{{W_NS}}}"
        for ref in sect.findall(f"{w}{kind}Reference"):
            if ref.get(f"{w}type") == which:
                return self.part.rels[ref.get(R_ID)].target.element
        template = python_docx_file("templates", f"default-{kind}.xml").read_bytes()
        part = Part(self.package.next_partname(f"/word/{kind}%d.xml"),
                    f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml", element=parse_xml(template))
        rid = self.part.relate(part, RT_BASE + kind)
        ref = sect.makeelement(f"{w}{kind}Reference", nsmap={"w": W_NS})
        ref.set(f"{w}type", which)
        ref.set(R_ID, rid)
        _insert(sect, ref, _SECT_ORDER)
        return part.element

    def _different_first_page(self) -> None:
        """The first page (the title page) without the header and footer;
        every page with them when there is no title page (a form's first
        page had none, its second had both)."""
        sect, tag = self.sect_pr, f"{{{W_NS}}}titlePg"
        title_pg = sect.find(tag)
        if not self.with_title_page:
            if title_pg is not None:  # (a house style's own setting)
                sect.remove(title_pg)
            return
        if title_pg is None:
            title_pg = sect.makeelement(tag, nsmap={"w": W_NS})
            _insert(sect, title_pg, _SECT_ORDER[14:])
        title_pg.attrib.pop(f"{{{W_NS}}}val", None)

    def _header_footer(self) -> None:
        d = self.details
        self._different_first_page()
        right = self.text_width // 635
        watermark = _WATERMARK if self.draft_marks else ""
        keep_reference = self.reference is not None and (has_content(self._hdrftr("header", "default"))
                                                          or has_content(self._hdrftr("footer", "default")))
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
            replace_paragraphs(self._hdrftr("header", "default"), header)
            replace_paragraphs(self._hdrftr("footer", "default"), footer)
            first = f'<w:p {NSDECL}><w:pPr><w:pStyle w:val="{self.style("Header", "Normal")}"/></w:pPr>{watermark}</w:p>'
            replace_paragraphs(self._hdrftr("header", "first"), first)
            replace_paragraphs(self._hdrftr("footer", "first"), f'<w:p {NSDECL}/>')
        elif watermark:
            for hdr in (self._hdrftr("header", "default"), self._hdrftr("header", "first")):
                paragraph = hdr.find(f"{{{W_NS}}}p")
                if paragraph is None:
                    paragraph = hdr.makeelement(f"{{{W_NS}}}p", nsmap={"w": W_NS})
                    hdr.append(paragraph)
                for run in parse_xml(f"<w:p {NSDECL}>{watermark}</w:p>"):
                    paragraph.append(run)


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
