"""Lists: a numbering instance per list (so each restarts), nested levels,
and the bullet and decimal definitions written into numbering.xml."""

from __future__ import annotations

from guidelines_app.publishing.docx.blocks import BLOCK_HANDLERS
from guidelines_app.publishing.docx.details import ReferenceDocxError
from guidelines_app.publishing.docx.opc import RT_NUMBERING
from guidelines_app.publishing.docx.oxml import (
    BLOCK_TAGS,
    NSDECL,
    W_NS,
    ParaBuffer,
    RunFormat,
    list_indent,
    parse_xml,
)
from guidelines_app.publishing.docx.styles import ACCENT


class ListsMixin:
    """Lists of the writer (a mixin of ``DocxWriter``)."""

    def _numbering_element(self):
        part = self.part.related(RT_NUMBERING)
        if part is None:
            raise ReferenceDocxError("the reference Word document has no list definitions (numbering); "
                                     "in Word, use a bulleted list once, save, then delete the text")
        return part.element

    def _numbering_ids(self) -> tuple[int, int]:
        numbering = self._numbering_element()
        nums = [int(n.get(f"{{{W_NS}}}numId")) for n in numbering.findall(f"{{{W_NS}}}num")]
        abstracts = [int(n.get(f"{{{W_NS}}}abstractNumId")) for n in numbering.findall(f"{{{W_NS}}}abstractNum")]
        return max(nums, default=0) + 1, max(abstracts, default=-1) + 1

    def new_num(self, ordered: bool, level: int, start: int) -> int:
        num_id = self._next_num
        self._next_num += 1
        abstract = self._abstract_decimal if ordered else self._abstract_bullet
        override = ""
        if ordered:
            # Every list restarts: Word would otherwise continue counting
            # across lists that share a definition.
            override = f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        self._nums.append(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>{override}</w:num>')
        return num_id

    def list_(self, el, depth: int) -> None:
        ordered = el.tag == "ol"
        level = min(depth, 8)
        try:
            start = int(el.get("start") or 1)
        except ValueError:
            start = 1
        num_id = self.new_num(ordered, level, start)
        numpr = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        style = self.style("List Paragraph")
        cont_ind = f'<w:ind w:left="{list_indent(level)}"/>'
        for li in el:
            if not isinstance(li.tag, str):
                continue
            if li.tag not in ("li",):
                self.block(li, depth + 1)
                continue
            numbered = False
            pending: list = [li.text] if li.text and li.text.strip() else []
            children = list(li)
            for child in children:
                is_block = isinstance(child.tag, str) and (child.tag in BLOCK_TAGS or child.tag in BLOCK_HANDLERS)
                if not is_block:
                    pending.append(child)
                    continue
                if pending:
                    numbered |= self._list_para(pending, style, numpr if not numbered else "", cont_ind)
                    pending = []
                if child.tag == "p" and not any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in child):
                    numbered |= self._list_para([child.text or "", *child], style, numpr if not numbered else "", cont_ind)
                elif child.tag in ("ul", "ol"):
                    if not numbered:
                        # An item that starts with a sub-list still gets its number.
                        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{numpr}</w:pPr></w:p>')
                        numbered = True
                    self.list_(child, depth + 1)
                else:
                    saved = child.tail
                    child.tail = None
                    self.block(child, depth + 1)
                    child.tail = saved
                if child.tail and child.tail.strip():
                    pending.append(child.tail)
            if pending or not numbered:
                self._list_para(pending, style, numpr if not numbered else "", cont_ind, force=not numbered)
        if depth == 0 and self.out and self.out[-1].startswith(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>'):
            # Room between the end of a list and the next paragraph.
            last = self.out[-1]
            cut = last.find("<w:ind ") if "<w:ind " in last.split("</w:pPr>")[0] else last.find("</w:pPr>")
            self.out[-1] = last[:cut] + '<w:spacing w:after="160"/>' + last[cut:]

    def _list_para(self, items: list, style: str, numpr: str, cont_ind: str, force: bool = False) -> bool:
        para = ParaBuffer()
        fmt = RunFormat()
        for item in items:
            if isinstance(item, str):
                self.text(item, fmt, para)
            else:
                self.inline(item, fmt, para)
                if item.tail:
                    self.text(item.tail, fmt, para)
        return self._emit_para(para, style, "" if numpr else cont_ind, numpr, force=force)

    def _numbering(self) -> None:
        numbering = self._numbering_element()
        bullets = ["•", "◦", "▪"]
        formats = [("decimal", "%{n}."), ("lowerLetter", "%{n}."), ("lowerRoman", "%{n}.")]
        bullet_lvls, decimal_lvls = [], []
        for lvl in range(9):
            ind = f'<w:pPr><w:ind w:left="{list_indent(lvl)}" w:hanging="360"/></w:pPr>'
            bullet_lvls.append(
                f'<w:lvl w:ilvl="{lvl}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
                f'<w:lvlText w:val="{bullets[lvl % 3]}"/><w:lvlJc w:val="left"/>{ind}'
                f'<w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/><w:color w:val="{ACCENT}"/></w:rPr></w:lvl>'
            )
            fmt, text = formats[lvl % 3]
            decimal_lvls.append(
                f'<w:lvl w:ilvl="{lvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:lvlText w:val="{text.format(n=lvl + 1)}"/><w:lvlJc w:val="left"/>{ind}</w:lvl>'
            )
        abstracts = (
            f'<w:abstractNum w:abstractNumId="{self._abstract_bullet}"><w:multiLevelType w:val="hybridMultilevel"/>{"".join(bullet_lvls)}</w:abstractNum>'
            f'<w:abstractNum w:abstractNumId="{self._abstract_decimal}"><w:multiLevelType w:val="hybridMultilevel"/>{"".join(decimal_lvls)}</w:abstractNum>'
        )
        wrapper = parse_xml(f"<w:numbering {NSDECL}>{abstracts}{''.join(self._nums)}</w:numbering>")
        first_num = numbering.find(f"{{{W_NS}}}num")
        for child in list(wrapper):
            if child.tag == f"{{{W_NS}}}abstractNum" and first_num is not None:
                first_num.addprevious(child)
            else:
                numbering.append(child)
