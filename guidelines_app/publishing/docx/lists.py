"""Lists: a numbering instance per list (so each restarts), nested levels,
and the bullet and decimal definitions written into numbering.xml."""

from __future__ import annotations

from guidelines_app.publishing.docx.blocks import BLOCK_HANDLERS
from guidelines_app.publishing.docx.details import ReferenceDocxError
from guidelines_app.publishing.docx.opc import RT_NUMBERING, RT_STYLES
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

# The hidden bookmark on the first paragraph of the sub-list an item starts
# with: "_ItemOpens1_4" (the item's level, then a running number), and the
# first of their ids (apart from the headings' and their anchors').
ITEM_MARK = "_ItemOpens"
ITEM_MARK_IDS = 2_000_000
_MAX_GAP = 31  # points: Word's largest gap between a paragraph's left border and its text


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
        level = min(max(depth - self.list_base, 0), 8)  # (a list in a quote starts at level 0)
        base = self.left  # the text column of what holds the list (a quote's)
        try:
            start = int(el.get("start") or 1)
        except ValueError:
            start = 1
        num_id = self.new_num(ordered, level, start)
        numpr = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        style, num_ind, cont_ind, lead = self.list_look(level, self.quote_depth > 0, base)
        number, unnumbered = start, False  # this item's number; an item before it went without one
        began = len(self.out)
        for li in el:
            if not isinstance(li.tag, str):
                continue
            if li.tag not in ("li",):
                self.block(li, depth + 1)
                continue
            if unnumbered and ordered:
                # The items after one that had no numbered paragraph keep
                # their numbers: Word counts paragraphs, so they go on in a
                # numbering instance that starts at the next one's number.
                num_id = self.new_num(ordered, level, number)
                numpr = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
            number, unnumbered = number + 1, False
            numbered = False
            pending: list = [li.text] if li.text and li.text.strip() else []
            children = list(li)
            for child in children:
                is_block = isinstance(child.tag, str) and (child.tag in BLOCK_TAGS or child.tag in BLOCK_HANDLERS)
                if not is_block:
                    pending.append(child)
                    continue
                if pending:
                    numbered |= self._list_para(pending, style, numpr if not numbered else "", cont_ind, num_ind,
                                                lead=lead)
                    pending = []
                if child.tag == "p" and not any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in child):
                    numbered |= self._list_para([child.text or "", *child], style, numpr if not numbered else "",
                                                cont_ind, num_ind, lead=lead)
                elif child.tag in ("ul", "ol"):
                    opens = not numbered
                    if opens:
                        # An item that starts with a sub-list: its sub-list's
                        # items are its first lines, with no empty numbered
                        # paragraph (a stray bullet) above them; what follows
                        # in the item is its further paragraphs.
                        numbered = unnumbered = True
                    first = len(self.out)
                    self.list_(child, depth + 1)
                    if opens:
                        self._mark_opened_item(first, level)
                else:
                    numbered = self._block_in_item(child, numbered, (style, numpr, cont_ind, num_ind),
                                                   base + list_indent(level), depth)
                if child.tail and child.tail.strip():
                    pending.append(child.tail)
            if pending or not numbered:
                self._list_para(pending, style, numpr if not numbered else "", cont_ind, num_ind, force=not numbered,
                                lead=lead)
        if depth == self.list_base:
            self._room_after_list(began)

    def _block_in_item(self, child, numbered: bool, look: tuple[str, str, str, str], left: int, depth: int) -> bool:
        """A quote, code, a table or a rule in a list item: under its text
        (at *left*, twips), as the preview draws it.  *look*: the item's
        paragraph style, numbering, and indentations (``list_look``);
        whether the item has its numbered paragraph after it."""
        style, numpr, cont_ind, num_ind = look
        first = len(self.out)
        code_first = not numbered and child.tag == "pre" and not self.quote_depth
        if not numbered and not code_first:
            # The item starts with it: its number (or bullet) first, kept
            # with the block (it was drawn after the block, as the next item's).
            numbered = self._list_para([], style, "<w:keepNext/>" + numpr, cont_ind, num_ind, force=True)
        saved = child.tail
        child.tail = None
        with self.within(left, depth + 1):
            self.block(child, depth + 1)
        child.tail = saved
        return self._number_code(first, numpr) if code_first else numbered

    def _room_after_list(self, began: int) -> None:
        """Room between the end of a list (its paragraphs from ``out[began]``)
        and the next paragraph: the import's sign that the list ends there,
        after a quote or code in its last item too."""
        last = self.out[-1] if len(self.out) > began else ""
        ppr = last.split("</w:pPr>")[0]
        if last.startswith("<w:p><w:pPr><w:pStyle ") and "<w:spacing" not in ppr:
            cut = last.find("<w:ind ") if "<w:ind " in ppr else last.find("</w:pPr>")
            self.out[-1] = last[:cut] + '<w:spacing w:after="160"/>' + last[cut:]

    def _number_code(self, at: int, numpr: str) -> bool:
        """An item that starts with a code block: the code's paragraph
        (the first from ``out[at]``) carries the item's number, beside its
        first line as the preview draws it."""
        code = f'<w:p><w:pPr><w:pStyle w:val="{self.style("Source Code")}"/>'
        for n in range(at, len(self.out)):
            if self.out[n].startswith(code):
                head, tail = self.out[n].split("</w:pPr>", 1)
                head = head.replace("<w:ind ", f'{numpr}<w:ind w:hanging="360" ', 1)
                self.out[n] = f"{head}</w:pPr>{tail}"
                return True
        return False

    def _mark_opened_item(self, at: int, level: int) -> None:
        """The first paragraph of the sub-list an item at *level* starts
        with (``out[at]``, when numbered) gets a hidden bookmark saying so
        (``ITEM_MARK``): in Word, without the item's own numbered
        paragraph, it reads as a sub-list of the item above, and the
        import gives the item back by it."""
        if at < len(self.out) and self.out[at].startswith("<w:p>") and "<w:numPr>" in self.out[at].split("</w:pPr>", 1)[0]:
            self._item_marks += 1
            mark_id = ITEM_MARK_IDS + self._item_marks
            mark = (f'<w:bookmarkStart w:id="{mark_id}" w:name="{ITEM_MARK}{level}_{self._item_marks}"/>'
                    f'<w:bookmarkEnd w:id="{mark_id}"/>')
            head, tail = self.out[at].split("</w:pPr>", 1)
            self.out[at] = f"{head}</w:pPr>{mark}{tail}"

    def list_look(self, level: int, quoted: bool, base: int = 0) -> tuple[str, str, str, str]:
        """(paragraph style, pPr of an item's numbered paragraph, pPr of its
        further paragraphs, a run that starts those) of a list item at
        *level* in what has its text column at *base* (twips).

        A list inside a block quote is drawn inside it: the "Quote List"
        style (the quote's look and type), its items in from the quote's
        text, and the quote's bar moved out by as much as a paragraph's
        first character moves in (Word and LibreOffice draw a paragraph's
        bar beside its first character), so it runs on in line with the
        quote's.  Word's largest gap is 31 points: a paragraph cannot start
        further in than that with the bar in line (a third level's bullet,
        a second level's further paragraph), so it starts there, its text
        goes on at its own column (a hanging indentation), and the bullet
        stays at that first place or the further paragraph's text is moved
        on by a tab (the run)."""
        left = base + list_indent(level)
        if not quoted:
            if not base:
                return self.style("List Paragraph"), "", f'<w:ind w:left="{left}"/>', ""
            return self.style("List Paragraph"), f'<w:ind w:left="{left}" w:hanging="360"/>', f'<w:ind w:left="{left}"/>', ""
        _indent, bar = self.quote_look()
        space = bar[2] if bar is not None else 0
        reach = base + max(_MAX_GAP - space, 0) * 20  # the furthest in a first character may be (twips)
        number_at, text_at = min(left - 360, reach), min(left, reach)
        first = rest = ""
        if bar is not None:
            val, size, _space, color = bar
            bar_at = f'<w:pBdr><w:left w:val="{val}" w:sz="{size}" w:space="{{}}" w:color="{color}"/></w:pBdr>'
            first, rest = bar_at.format(space + (number_at - base) // 20), bar_at.format(space + (text_at - base) // 20)
        further = (f'{rest}<w:ind w:left="{left}" w:hanging="{left - text_at}"/>' if text_at < left
                   else f'{rest}<w:ind w:left="{left}"/>')
        return (self.style("Quote List", "List Paragraph"), f'{first}<w:ind w:left="{left}" w:hanging="{left - number_at}"/>',
                further, "<w:r><w:tab/></w:r>" if text_at < left else "")

    def quote_look(self) -> tuple[int, tuple[str, str, int, str] | None]:
        """The Quote style's left indentation (twips) and left bar (its
        kind, width, gap in points and colour; None without one), through
        the styles it is based on (the house style's or a reference
        document's)."""
        if self._quote_look is None:
            w = f"{{{W_NS}}}"
            styles = {s.get(f"{w}styleId"): s for s in self.part.related(RT_STYLES).read_only().iterchildren(f"{w}style")}
            indent, bar, style, seen = None, None, styles.get(self.style("Quote")), set()
            while style is not None and id(style) not in seen and (indent is None or bar is None):
                seen.add(id(style))
                ind, line = style.find(f"{w}pPr/{w}ind"), style.find(f"{w}pPr/{w}pBdr/{w}left")
                value = None if ind is None else ind.get(f"{w}left") or ind.get(f"{w}start")
                if indent is None and value is not None:
                    indent = int(value) if value.lstrip("-").isdigit() else 0
                if bar is None and line is not None and line.get(f"{w}val") not in (None, "nil", "none"):
                    space = line.get(f"{w}space") or "0"
                    bar = (line.get(f"{w}val"), line.get(f"{w}sz") or "4", int(space) if space.isdigit() else 0,
                           line.get(f"{w}color") or "auto")
                based = style.find(f"{w}basedOn")
                style = styles.get(based.get(f"{w}val")) if based is not None else None
            self._quote_look = (indent or 0, bar)
        return self._quote_look

    def _list_para(self, items: list, style: str, numpr: str, cont_ind: str, num_ind: str = "",
                   force: bool = False, lead: str = "") -> bool:
        """An item's paragraph: its numbered one (*numpr*) or a further
        one, which starts with *lead* (``list_look``) when it has text."""
        para = ParaBuffer()
        fmt = RunFormat()
        for item in items:
            if isinstance(item, str):
                self.text(item, fmt, para)
            else:
                self.inline(item, fmt, para)
                if item.tail:
                    self.text(item.tail, fmt, para)
        if lead and not numpr and para.has_text:
            para.runs.insert(0, lead)
        return self._emit_para(para, style, num_ind if numpr else cont_ind, numpr, force=force)

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
