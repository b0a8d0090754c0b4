"""Inline content: runs with their formatting, HTML white-space rules,
hyperlinks, and paragraphs split at blank lines."""

from __future__ import annotations

import re

from guidelines_app.core.links import safe_link
from guidelines_app.core.markers import MARKER_PREFIX
from guidelines_app.publishing.docx.opc import RT_HYPERLINK
from guidelines_app.publishing.docx.oxml import (
    BLANK_LINE_RE,
    BLOCK_TAGS,
    SKIP_TAGS,
    WS_RE,
    ParaBuffer,
    RunFormat,
    esc,
)

_MARKER_SPLIT_RE = re.compile("(" + re.escape(MARKER_PREFIX) + r"[^\]\n]+\])")  # a marker kept by ``split``


class RunsMixin:
    """Runs of the writer (a mixin of ``DocxWriter``)."""

    def mixed(self, items: list, style: str, depth: int, ppr_extra: str = "") -> None:
        """Inline content (strings and inline elements, whose tails are part
        of it), split into paragraphs at blank lines."""
        if not items:
            return
        para = ParaBuffer()
        fmt = RunFormat()
        for item in items:
            if isinstance(item, str):
                para = self._text_splitting(item, fmt, para, style, ppr_extra)
            else:
                para = self.inline(item, fmt, para, style, ppr_extra, split=True)
                if item.tail:
                    para = self._text_splitting(item.tail, fmt, para, style, ppr_extra)
        self._emit_para(para, style, ppr_extra)

    def _text_splitting(self, text, fmt, para, style, ppr_extra):
        parts = BLANK_LINE_RE.split(text)
        for n, part in enumerate(parts):
            if n:
                self._emit_para(para, style, ppr_extra)
                para = ParaBuffer()
            self.text(part, fmt, para)
        return para

    def _emit_para(self, para: ParaBuffer, style: str, ppr_extra: str = "", numpr: str = "", force: bool = False) -> bool:
        if not para.has_text and not force:
            return False
        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{numpr}{ppr_extra}</w:pPr>{"".join(para.runs)}</w:p>')
        return True

    def _paragraph_from_text(self, text: str, style: str) -> None:
        self.mixed([text], style, 0)

    def text(self, text: str, fmt: RunFormat, para: ParaBuffer) -> None:
        """HTML white-space rules across runs: runs of spaces and newlines
        become one space, none at the start of a paragraph.  A space next to
        a link goes outside it, so it is not underlined."""
        if not text:
            return
        collapsed = WS_RE.sub(" ", text)
        if collapsed.startswith(" "):
            para.space_pending = para.has_text and not para.ends_space
            collapsed = collapsed[1:]
        if not collapsed:
            return
        decorated = bool(fmt.link or fmt.underline or fmt.strike or fmt.code)
        if para.space_pending:
            para.space_pending = False
            if fmt.link and self._in_link(para, fmt.link):  # a space between words of one link is the link's
                self._add(para, f'<w:r>{self.run_props(fmt)}<w:t xml:space="preserve"> </w:t></w:r>', fmt.link)
            elif decorated:
                para.runs.append('<w:r><w:t xml:space="preserve"> </w:t></w:r>')
            else:
                collapsed = " " + collapsed
        if collapsed.endswith(" ") and decorated:
            collapsed = collapsed[:-1]
            para.space_pending = True
        elif collapsed.endswith(" "):
            # Kept in this run; a following leading space is dropped.
            para.space_pending = False
            self._add(para, self.run(collapsed, fmt, wrap=False), fmt.link)
            para.has_text = True
            para.ends_space = True
            return
        self._add(para, self.run(collapsed, fmt, wrap=False), fmt.link)
        para.has_text = True
        para.ends_space = False

    def _in_link(self, para: ParaBuffer, link: str) -> bool:
        """Whether the paragraph's last run is in a hyperlink to *link*."""
        last = para.runs[-1] if para.runs else ""
        return last.endswith("</w:hyperlink>") and last.startswith(self.hyperlink(link, "")[: -len("</w:hyperlink>")])

    def _add(self, para: ParaBuffer, run: str, link: str) -> None:
        """*run* at the paragraph's end, in a hyperlink to *link* when given:
        the one before when it links there too ("[the **official** guide]"
        was three hyperlinks with unlinked spaces between them)."""
        if not link:
            para.runs.append(run)
        elif self._in_link(para, link):
            para.runs[-1] = para.runs[-1][: -len("</w:hyperlink>")] + run + "</w:hyperlink>"
        else:
            para.runs.append(self.hyperlink(link, run))

    def run(self, text: str, fmt: RunFormat, wrap: bool = True) -> str:
        """A run of *text*; in a hyperlink of its own when *fmt* links
        (unless not *wrap*: the caller puts it in one)."""
        props = self.run_props(fmt)
        if MARKER_PREFIX in text:  # a blank answer's "[to be decided: …]" highlighted, as a reviewer looks for them
            marked = self.run_props(fmt.with_(highlight="yellow"))
            body = "".join(f'<w:r>{marked if n % 2 else props}<w:t xml:space="preserve">{esc(part)}</w:t></w:r>'
                           for n, part in enumerate(_MARKER_SPLIT_RE.split(text)) if part)
        else:
            body = f'<w:r>{props}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>'
        if fmt.link and wrap:
            return self.hyperlink(fmt.link, body)
        return body

    def hyperlink(self, link: str, runs: str) -> str:
        """*runs* made clickable: *link* is a relationship id or "#anchor"."""
        if link.startswith("#"):
            return f'<w:hyperlink w:anchor="{esc(self._anchor_marks.get(link[1:], link[1:]))}">{runs}</w:hyperlink>'
        return f'<w:hyperlink r:id="{link}" w:history="1">{runs}</w:hyperlink>'

    def run_props(self, fmt: RunFormat) -> str:
        """The w:rPr of a run with *fmt* ("" when plain)."""
        rpr = []
        if fmt.link:
            rpr.append(f'<w:rStyle w:val="{self.style("Hyperlink")}"/>')
        elif fmt.code:
            rpr.append(f'<w:rStyle w:val="{self.style("Verbatim Char")}"/>')
        if fmt.bold:
            rpr.append("<w:b/><w:bCs/>")
        if fmt.italic:
            rpr.append("<w:i/><w:iCs/>")
        if fmt.strike:
            rpr.append("<w:strike/>")
        if fmt.color:
            rpr.append(f'<w:color w:val="{fmt.color}"/>')
        if fmt.highlight:
            rpr.append(f'<w:highlight w:val="{fmt.highlight}"/>')
        if fmt.underline and not fmt.link:
            rpr.append('<w:u w:val="single"/>')
        if fmt.vert:
            rpr.append(f'<w:vertAlign w:val="{fmt.vert}"/>')
        return f"<w:rPr>{''.join(rpr)}</w:rPr>" if rpr else ""

    def link_id(self, url: str) -> str:
        """The relationship id of an external link (*url* already passed
        safe_link: the callers keep other targets as plain text)."""
        rid = self._link_ids.get(url)
        if rid is None:
            rid = self.part.relate(url, RT_HYPERLINK)
            self._link_ids[url] = rid
        return rid

    def inline(self, el, fmt: RunFormat, para: ParaBuffer, style: str = "", ppr_extra: str = "", split: bool = False) -> ParaBuffer:
        """Append the runs for *el* (not its tail).  Returns the paragraph to
        continue with (a new one if a blank line split it)."""
        tag = el.tag
        if not isinstance(tag, str) or tag in SKIP_TAGS:
            return para
        if tag in ("strong", "b"):
            fmt = fmt.with_(bold=True)
        elif tag in ("em", "i", "cite", "dfn", "var"):
            fmt = fmt.with_(italic=True)
        elif tag in ("code", "kbd", "samp", "tt"):
            fmt = fmt.with_(code=True)
        elif tag in ("u", "ins"):
            fmt = fmt.with_(underline=True)
        elif tag in ("s", "del", "strike"):
            fmt = fmt.with_(strike=True)
        elif tag == "sup":
            fmt = fmt.with_(vert="superscript")
        elif tag == "sub":
            fmt = fmt.with_(vert="subscript")
        elif tag == "mark":
            fmt = fmt.with_(bold=True)
        elif tag == "br":
            para.runs.append("<w:r><w:br/></w:r>")
            para.space_pending = False
            para.ends_space = True
            return para
        elif tag == "img":
            self.image(el, fmt, para)
            return para
        elif tag == "a":
            href = (el.get("href") or "").strip()
            target = safe_link(href)
            if target and not fmt.link:
                fmt = fmt.with_(link=target if target.startswith("#") else self.link_id(target))
            elif not href and el.get("name") is not None and not el.text and not len(el):
                return para  # an anchor target: nothing to show
        elif tag == "input" and el.get("type") == "checkbox":
            self.text("☑ " if el.get("checked") is not None else "☐ ", fmt, para)
            return para
        if el.text:
            if split:
                para = self._text_splitting(el.text, fmt, para, style, ppr_extra)
            else:
                self.text(el.text, fmt, para)
        for child in el:
            if isinstance(child.tag, str) and child.tag in BLOCK_TAGS and split:
                # A block inside inline content (say <p> in <span>): a new paragraph.
                self._emit_para(para, style, ppr_extra)
                para = ParaBuffer()
                para = self.inline(child, fmt, para, style, ppr_extra, split)
                self._emit_para(para, style, ppr_extra)
                para = ParaBuffer()
            else:
                para = self.inline(child, fmt, para, style, ppr_extra, split)
            if child.tail:
                if split:
                    para = self._text_splitting(child.tail, fmt, para, style, ppr_extra)
                else:
                    self.text(child.tail, fmt, para)
        return para

    def inline_children(self, el, fmt: RunFormat, para: ParaBuffer) -> ParaBuffer:
        """el's text and children (not el itself) as runs of one paragraph."""
        if el.text:
            self.text(el.text, fmt, para)
        for child in el:
            self.inline(child, fmt, para)
            if child.tail:
                self.text(child.tail, fmt, para)
        return para
