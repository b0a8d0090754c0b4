"""Block elements: the dispatch from HTML tags to writers, headings,
paragraphs, quotes, code, rules, details/summary and definition lists."""

from __future__ import annotations

import re

from guidelines_app.core.markup import HEADING_TAGS
from guidelines_app.publishing.docx.oxml import (
    BLOCK_TAGS,
    SKIP_TAGS,
    ParaBuffer,
    RunFormat,
    norm_space,
    text_content,
)


class BlocksMixin:
    """Blocks of the writer (a mixin of ``DocxWriter``)."""

    def _plan_headings(self, root) -> None:
        """Word documents start at Heading 1: drop the document's one leading
        "#" heading when it only repeats the title (the title page shows it),
        and lift all the others by the same amount so the highest is Heading
        1 (siblings stay siblings).  Each heading's anchor (its id, see
        ``markup.name_headings``) gets a Word bookmark name."""
        self._skip = None
        h1s = [el for el in root.iter("h1")]
        first = next(root.iter(*HEADING_TAGS), None)
        if (first is not None and first.tag == "h1" and len(h1s) == 1
                and norm_space(first.text_content()) == norm_space(self.details.title)):
            self._skip = first
        used: set[str] = set()
        self._anchor_marks = {el.get("id"): bookmark_name(el.get("id"), used)
                              for el in root.iter(*HEADING_TAGS) if el.get("id")}
        # kramdown's "- TOC / {:toc}" marker (and its "On this page" heading)
        # asks for a table of contents: the contents page is that.
        self._kramdown_toc = set()
        children = [el for el in root if isinstance(el.tag, str)]
        for n, el in enumerate(children):
            if el.tag == "ul" and len(el) == 1 and norm_space(el.text_content()) == "TOC":
                self._kramdown_toc.add(el)
                if n and children[n - 1].tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    self._kramdown_toc.add(children[n - 1])
        levels = [int(el.tag[1]) for el in root.iter(*HEADING_TAGS)
                  if el is not self._skip and el not in self._kramdown_toc]
        self.heading_shift = (min(levels) - 1) if levels else 0
        self.title_heading_dropped = self._skip is not None

    def word_level(self, level: int) -> int:
        """The Word heading level of a Markdown heading *level*: every
        heading lifted by the same amount, so the document's own levels hold
        (a heading that skips a level skips it in Word too)."""
        return max(1, min(level - self.heading_shift, 6))

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

    def container(self, el, depth: int, style: str | None = None, ppr_extra: str = "") -> None:
        """A block element holding blocks, inline content or both;
        *ppr_extra*: more properties of its own paragraphs (a quote's
        indentation)."""
        style = style or self.style("Normal")
        pending: list = []
        if el.text and el.text.strip():
            pending.append(el.text)
        for child in el:
            if isinstance(child.tag, str) and (child.tag in BLOCK_TAGS or child.tag in BLOCK_HANDLERS):
                self.mixed(pending, style, depth, ppr_extra)
                pending = []
                self.block_in(child, depth, style, ppr_extra)
                if child.tail and child.tail.strip():
                    pending.append(child.tail)
            else:
                pending.append(child)
        self.mixed(pending, style, depth, ppr_extra)

    def block_in(self, child, depth: int, style: str, ppr_extra: str = "") -> None:
        saved = child.tail
        child.tail = None
        try:
            if child.tag == "p" and style != self.style("Normal"):
                self.mixed([child.text or "", *child], style, depth, ppr_extra)
            else:
                self.block(child, depth)
        finally:
            child.tail = saved

    def within(self, left: int, list_base: int | None = None):
        """Blocks written with their text column at *left* (twips: a list
        item's text, a quote's), lists in them starting at level 0 from
        list depth *list_base*: a context manager."""
        return _Within(self, left, list_base)

    def heading(self, el, depth: int) -> None:
        if el is self._skip:
            return
        level = self.word_level(int(el.tag[1]))
        self.last_heading_level = level
        style = self.style(f"Heading {level}", "Heading 4")
        para = self.inline_children(el, RunFormat(), ParaBuffer())
        if not para.has_text:
            return
        self._bookmark += 1
        name = f"_Ref{self._bookmark:08d}"
        self._headings.append((level, norm_space(el.text_content()), name))
        mark = f'<w:bookmarkStart w:id="{self._bookmark}" w:name="{name}"/><w:bookmarkEnd w:id="{self._bookmark}"/>'
        anchor = self._anchor_marks.get(el.get("id"))
        if anchor:
            # The heading's anchor, which in-document links name (w:anchor).
            # Its ids are counted apart (from ANCHOR_IDS) so that the contents'
            # "_Ref" bookmarks keep their numbers.
            mark_id = ANCHOR_IDS + len(self._headings)
            mark += f'<w:bookmarkStart w:id="{mark_id}" w:name="{anchor}"/><w:bookmarkEnd w:id="{mark_id}"/>'
        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{mark}{"".join(para.runs)}</w:p>')

    def paragraph(self, el, depth: int) -> None:
        style = self.style("Normal")
        if any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in el):
            self.container(el, depth)
            return
        para = self.inline_children(el, RunFormat(), ParaBuffer())
        self._emit_para(para, style, "<w:keepNext/>" if _leads_in(el) else "")

    def blockquote(self, el, depth: int) -> None:
        """A quote, drawn inside what holds it: a quote in a quote, or in a
        list item, goes in by the Quote style's indentation from the text
        around it (all were drawn at the one place), its bar beside its
        text; a list in it starts at level 0 (``list_look``)."""
        indent, _bar = self.quote_look()
        left = self.left + indent
        self.quote_depth += 1
        try:
            with self.within(left, depth):
                self.container(el, depth, self.style("Quote"), "" if left == indent else f'<w:ind w:left="{left}"/>')
        finally:
            self.quote_depth -= 1

    def code_block(self, el, depth: int) -> None:
        runs = text_content(el.text_content().rstrip("\n"))
        style = self.style("Source Code")
        self.code_gap(style)
        ind = f'<w:ind w:left="{self.left}"/>' if self.left else ""  # (in a list item: under its text)
        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ind}</w:pPr><w:r>{runs}</w:r></w:p>')

    def code_gap(self, style: str) -> None:
        """Before a code block: when one ends right above, Word and
        LibreOffice would draw one shaded box round both; a small gap keeps
        them two."""
        if self.out and self.out[-1].startswith(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>'):
            self.out.append('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/></w:pPr></w:p>')

    def rule(self, el, depth: int) -> None:
        self.out.append(rule_paragraph(self.left))

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


ANCHOR_IDS = 1_000_000  # w:id of the first heading anchor's bookmark
_BOOKMARK_DROP_RE = re.compile(r"[^A-Za-z0-9_]")


def bookmark_name(anchor: str, used: set[str]) -> str:
    """A Word bookmark name for a heading's *anchor*: Word wants a letter
    first, then letters, digits and "_", at most 40 characters, so
    "social-media" is written "social_media"; unique among *used*."""
    base = _BOOKMARK_DROP_RE.sub("_", anchor)
    if not base[:1].isalpha():
        base = "h" + base
    base = base[:40]
    name, n = base, 0
    while name.lower() in used:  # Word compares bookmark names ignoring case
        n += 1
        name = f"{base[:40 - len(str(n)) - 1]}_{n}"
    used.add(name.lower())
    return name


def rule_paragraph(left: int = 0, mark: str = "") -> str:
    """A rule across the text (a thematic break, "---"): from *left*
    (twips: in a list item, its text's column) to the right margin.
    *mark*: a tracked change of its paragraph mark."""
    ind = f'<w:ind w:left="{left}"/>' if left else ""
    return ('<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="A6A6A6"/></w:pBdr>'
            f'<w:spacing w:before="120" w:after="240"/>{ind}{mark}</w:pPr></w:p>')


class _Within:
    def __init__(self, writer, left: int, list_base: int | None):
        self.writer, self.left, self.list_base = writer, left, list_base

    def __enter__(self):
        w = self.writer
        self.saved = (w.left, w.list_base)
        w.left = self.left
        if self.list_base is not None:
            w.list_base = self.list_base

    def __exit__(self, *exc):
        self.writer.left, self.writer.list_base = self.saved


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


def _leads_in(el) -> bool:
    """A paragraph that belongs with the next block, so a page must not
    end after it: a bold line alone (a heading in all but style, as real
    policies write them) or a line ending in ":" before a list."""
    children = [c for c in el if isinstance(c.tag, str)]
    if (len(children) == 1 and children[0].tag in ("strong", "b") and not (el.text or "").strip()
            and not (children[0].tail or "").strip() and len(children[0].text_content()) <= 200):
        return True
    following = el.getnext()
    return (following is not None and following.tag in ("ul", "ol")
            and el.text_content().rstrip().endswith(":"))
