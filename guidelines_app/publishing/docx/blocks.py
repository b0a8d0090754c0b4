"""Block elements: the dispatch from HTML tags to writers, headings,
paragraphs, quotes, code, rules, details/summary and definition lists."""

from __future__ import annotations

from guidelines_app.publishing.docx.oxml import (
    BLOCK_TAGS,
    SKIP_TAGS,
    ParaBuffer,
    RunFormat,
    esc,
    norm_space,
)


class BlocksMixin:
    """Blocks of the writer (a mixin of ``DocxWriter``)."""

    def _plan_headings(self, root) -> None:
        """Word documents start at Heading 1: drop a first heading that only
        repeats the title (the title page shows it) and lift the rest so the
        highest one is Heading 1."""
        self._skip = None
        first = next((el for el in root if isinstance(el.tag, str)), None)
        if first is not None and first.tag == "h1" and norm_space(first.text_content()) == norm_space(self.details.title):
            self._skip = first
        # kramdown's "- TOC / {:toc}" marker (and its "On this page" heading)
        # asks for a table of contents: the contents page is that.
        self._kramdown_toc = set()
        children = [el for el in root if isinstance(el.tag, str)]
        for n, el in enumerate(children):
            if el.tag == "ul" and len(el) == 1 and norm_space(el.text_content()) == "TOC":
                self._kramdown_toc.add(el)
                if n and children[n - 1].tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    self._kramdown_toc.add(children[n - 1])
        levels = [int(el.tag[1]) for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6")
                  if el is not self._skip and el not in self._kramdown_toc]
        self.heading_shift = (min(levels) - 1) if levels else 0

    def block(self, el, depth: int) -> None:
        tag = el.tag
        if el in self._kramdown_toc:
            return
        if not isinstance(tag, str):  # comments, processing instructions
            if el.tail and el.tail.strip():
                self._paragraph_from_text(el.tail, self.style("Normal"))
            return
        handler = BLOCK_HANDLERS.get(tag)
        if handler is not None:
            getattr(self, handler)(el, depth)
        elif tag in SKIP_TAGS:
            pass
        elif tag in BLOCK_TAGS or any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in el):
            self.container(el, depth)
        else:
            self.mixed([el], self.style("Normal"), depth)
            return  # mixed() already took the tail into account
        if el.tail and el.tail.strip() and el.getparent() is not None and el.getparent().tag == "div":
            self._paragraph_from_text(el.tail, self.style("Normal"))

    def container(self, el, depth: int, style: str | None = None) -> None:
        """A block element holding blocks, inline content or both."""
        style = style or self.style("Normal")
        pending: list = []
        if el.text and el.text.strip():
            pending.append(el.text)
        for child in el:
            if isinstance(child.tag, str) and (child.tag in BLOCK_TAGS or child.tag in BLOCK_HANDLERS):
                self.mixed(pending, style, depth)
                pending = []
                self.block_in(child, depth, style)
                if child.tail and child.tail.strip():
                    pending.append(child.tail)
            else:
                pending.append(child)
        self.mixed(pending, style, depth)

    def block_in(self, child, depth: int, style: str) -> None:
        saved = child.tail
        child.tail = None
        try:
            if child.tag == "p" and style != self.style("Normal"):
                self.mixed([child.text or "", *child], style, depth)
            else:
                self.block(child, depth)
        finally:
            child.tail = saved

    def heading(self, el, depth: int) -> None:
        if el is self._skip:
            return
        level = int(el.tag[1]) - self.heading_shift
        # A heading that skips levels (## then ####) still nests one step down.
        level = max(1, min(level, self.last_heading_level + 1, 6))
        self.last_heading_level = level
        style = self.style(f"Heading {level}", "Heading 4")
        para = self.inline_children(el, RunFormat(), ParaBuffer())
        if not para.has_text:
            return
        self._bookmark += 1
        name = f"_Ref{self._bookmark:08d}"
        self._headings.append((level, norm_space(el.text_content()), name))
        mark = f'<w:bookmarkStart w:id="{self._bookmark}" w:name="{name}"/><w:bookmarkEnd w:id="{self._bookmark}"/>'
        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{mark}{"".join(para.runs)}</w:p>')

    def paragraph(self, el, depth: int) -> None:
        style = self.style("Normal")
        if any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in el):
            self.container(el, depth)
            return
        para = self.inline_children(el, RunFormat(), ParaBuffer())
        self._emit_para(para, style)

    def blockquote(self, el, depth: int) -> None:
        self.container(el, depth, self.style("Quote"))

    def code_block(self, el, depth: int) -> None:
        text = el.text_content().rstrip("\n")
        runs = []
        for n, line in enumerate(text.split("\n")):
            if n:
                runs.append("<w:br/>")
            for m, piece in enumerate(line.split("\t")):
                if m:
                    runs.append("<w:tab/>")
                if piece:
                    runs.append(f'<w:t xml:space="preserve">{esc(piece)}</w:t>')
        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.style("Source Code")}"/></w:pPr><w:r>{"".join(runs)}</w:r></w:p>')

    def rule(self, el, depth: int) -> None:
        self.out.append(
            '<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="A6A6A6"/></w:pBdr>'
            '<w:spacing w:before="120" w:after="240"/></w:pPr></w:p>'
        )

    def details_block(self, el, depth: int) -> None:
        self.container(el, depth)

    def summary(self, el, depth: int) -> None:
        self.mixed([el.text or "", *el], self.style("Summary", "Normal"), depth)

    def definition_list(self, el, depth: int) -> None:
        for child in el:
            if child.tag == "dt":
                self.mixed([child.text or "", *child], self.style("Summary", "Normal"), depth)
            elif child.tag == "dd":
                self.mixed([child.text or "", *child], self.style("Normal"), depth, '<w:ind w:left="567"/>')
            else:
                self.block(child, depth)


# Tag -> name of the writer method that writes it.
BLOCK_HANDLERS = {
    "h1": "heading", "h2": "heading", "h3": "heading",
    "h4": "heading", "h5": "heading", "h6": "heading",
    "p": "paragraph",
    "ul": "list_", "ol": "list_",
    "blockquote": "blockquote",
    "pre": "code_block",
    "hr": "rule",
    "table": "table",
    "details": "details_block",  # (self.details is the ExportDetails)
    "summary": "summary",
    "dl": "definition_list",
}
