"""Markdown -> Word (.docx), from the same parse the preview shows.

python-docx opens the template (its own, or the organisation's reference
document) and writes the package; the body itself is written here as
WordprocessingML text and parsed once.  Looking styles up by name and
building each run through python-docx's objects is what makes large exports
slow, so styles are resolved to ids once and runs are plain strings.

What a reader gets: a title page (title, organisation, version, status, date,
owners), a table of contents Word fills in when the file is opened, the body
with real Word headings, numbering, hyperlinks and tables, a running header
and a "Page X of Y" footer, and a DRAFT watermark until the status is
"approved".
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlparse

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import parse_xml
from docx.shared import Pt, RGBColor
from lxml import etree

from guidelines_app.core import markup
from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.fileio import atomic_write_bytes

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NSDECL = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)

# Styles a reference document must define: everything else is added when missing.
REQUIRED_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4")

ACCENT = "1F3864"  # dark navy: headings, table header
ACCENT_LIGHT = "D9E2F3"
GREY = "595959"


class ExportError(GuidelinesError):
    pass


class ReferenceDocxError(ExportError):
    pass


class ImageError(ExportError):
    pass


@dataclass
class ExportDetails:
    """What the title page, header, footer and document properties show."""

    title: str
    organization: str = ""
    version: str = ""
    status: str = "draft"
    date: _dt.date | None = None
    owners: list[str] = field(default_factory=list)
    author: str = ""
    revision_number: int = 1
    modified: _dt.datetime | None = None
    subject: str = ""
    keywords: str = ""

    @classmethod
    def from_document(cls, doc: Document, **overrides) -> "ExportDetails":
        details = cls(
            title=doc.title,
            organization=doc.organization,
            version=doc.version,
            status=doc.status,
            owners=doc.owners,
            subject=str(doc.meta.get("description") or ""),
        )
        for key, value in overrides.items():
            if value is not None:
                setattr(details, key, value)
        return details

    @property
    def is_approved(self) -> bool:
        return self.status == "approved"


Progress = Callable[[int, int], None]


# ---------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------


def export_docx(
    doc: Document,
    out_path: Path | str,
    details: ExportDetails | None = None,
    workspace_root: Path | None = None,
    reference_docx: Path | str | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write *doc* as a .docx at *out_path* (atomically: a failed export
    leaves no file behind and an existing file untouched)."""
    data = build_docx(doc, details, workspace_root, reference_docx, progress)
    return write_output(out_path, data)


def build_docx(
    doc: Document,
    details: ExportDetails | None = None,
    workspace_root: Path | None = None,
    reference_docx: Path | str | None = None,
    progress: Progress | None = None,
    toc_pages: list[int] | None = None,
) -> bytes:
    """The .docx file as bytes.  *toc_pages*: page numbers of the headings
    listed in the contents (known after a first PDF rendering)."""
    return build_docx_with_contents(doc, details, workspace_root, reference_docx, progress, toc_pages)[0]


def build_docx_with_contents(doc, details=None, workspace_root=None, reference_docx=None, progress=None, toc_pages=None):
    """(.docx bytes, the heading texts its contents page lists)."""
    details = details or ExportDetails.from_document(doc)
    writer = _DocxWriter(details, workspace_root, reference_docx)
    writer.toc_pages = toc_pages
    writer.write_body(markup.export_tree(doc.body, _renderer()), progress)
    data = writer.finish()
    return data, writer.toc_entries


_local = threading.local()


def _renderer() -> "markup.ExportRenderer":
    # One per thread (a Markdown instance is not thread-safe); building it
    # costs as much as parsing a long chapter.
    renderer = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _local.renderer = markup.ExportRenderer()
    return renderer


_HOUSE_TEMPLATE: bytes | None = None


def _house_template():
    """python-docx's template with the house style applied, built once."""
    global _HOUSE_TEMPLATE
    if _HOUSE_TEMPLATE is None:
        document = docx.Document()
        _apply_house_style(document)
        # Added here once rather than on every export (looking a style up by
        # name walks all of them).
        _DocxWriter._ensure_styles(document)
        buffer = io.BytesIO()
        document.save(buffer)
        _HOUSE_TEMPLATE = buffer.getvalue()
    return docx.Document(io.BytesIO(_HOUSE_TEMPLATE))


def write_output(out_path: Path | str, data: bytes) -> Path:
    out_path = Path(out_path).expanduser()
    if out_path.is_dir():
        raise ExportError(f"{out_path} is a folder: give a file name to export to")
    try:
        atomic_write_bytes(out_path, data)
    except OSError as exc:
        raise ExportError(f"cannot write {out_path}: {exc.strerror or exc}") from None
    return out_path


# ---------------------------------------------------------------------------
# XML helpers
# ---------------------------------------------------------------------------

_BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WS_RE = re.compile(r"[ \t\r\n\f\v]+")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")


def _esc(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return _BAD_XML_CHARS.sub("", text)


BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 ul ol li blockquote pre table thead tbody tfoot tr td th hr details summary "
    "section article header footer nav aside dl dt dd figure figcaption main address center form fieldset "
    "legend hgroup caption".split()
)
SKIP_TAGS = frozenset(("script", "style", "template", "head", "title", "meta", "link"))


@dataclass(frozen=True)
class _Fmt:
    bold: bool = False
    italic: bool = False
    code: bool = False
    underline: bool = False
    strike: bool = False
    vert: str = ""
    link: str = ""  # relationship id or "#anchor"
    color: str = ""

    def with_(self, **kw) -> "_Fmt":
        values = dict(self.__dict__)
        values.update(kw)
        return _Fmt(**values)


class _Para:
    """Runs of one paragraph being built."""

    __slots__ = ("runs", "space_pending", "has_text", "ends_space")

    def __init__(self):
        self.runs: list[str] = []
        self.space_pending = False
        self.has_text = False
        self.ends_space = False


# ---------------------------------------------------------------------------
# The writer
# ---------------------------------------------------------------------------


class _DocxWriter:
    def __init__(self, details: ExportDetails, workspace_root: Path | None, reference_docx: Path | str | None):
        self.details = details
        self.root = Path(workspace_root).resolve() if workspace_root else None
        self.reference = Path(reference_docx).expanduser() if reference_docx else None
        self.doc = self._open_template()
        self.part = self.doc.part
        if self.reference is not None:
            self._ensure_styles(self.doc)  # the house template has them already
        self.sid = _style_ids(self.doc)
        self.out: list[str] = []
        self._link_ids: dict[str, str] = {}
        self._bookmark = 0
        self._headings: list[tuple[int, str, str]] = []  # level, text, bookmark
        self._nums: list[str] = []
        self._next_num, self._next_abstract = self._numbering_ids()
        self._abstract_bullet = self._next_abstract
        self._abstract_decimal = self._next_abstract + 1
        section = self.doc.sections[0]
        self.text_width = int(section.page_width - section.left_margin - section.right_margin)
        self.heading_shift = 0
        self.last_heading_level = 0
        self.toc_pages: list[int] | None = None

    # ---- template and styles -------------------------------------------------

    def _open_template(self):
        if self.reference is None:
            return _house_template()
        if not self.reference.is_file():
            raise ReferenceDocxError(f"the reference Word document {self.reference} does not exist")
        try:
            document = docx.Document(str(self.reference))
        except Exception:  # noqa: BLE001 - any failure here means "not a usable .docx"
            raise ReferenceDocxError(
                f"{self.reference} is not a Word document (.docx) that can be read; "
                "save it from Word as 'Word Document (.docx)' and try again"
            ) from None
        names = {s.name for s in document.styles}
        missing = [n for n in REQUIRED_STYLES if n not in names]
        if missing:
            raise ReferenceDocxError(
                f"the reference Word document {self.reference.name} lacks the styles "
                f"{', '.join(missing)}; a reference document needs Normal, Title and Heading 1 to 4 "
                "(in Word, use each of them once, save, then delete the text)"
            )
        body = document.element.body
        for child in list(body):
            if child.tag != f"{{{W_NS}}}sectPr":
                body.remove(child)
        return document

    @staticmethod
    def _ensure_styles(document) -> None:
        """Adds the styles the writer uses that *document* lacks."""
        styles = document.styles
        names = {s.name for s in styles}

        def add(style_name, kind, base=None, **font):
            if style_name in names:
                return None
            style = styles.add_style(style_name, kind)
            if base and base in names:
                style.base_style = styles[base]
            f = style.font
            for key, value in font.items():
                if key == "color":
                    f.color.rgb = RGBColor.from_string(value)
                else:
                    setattr(f, key, value)
            names.add(style_name)
            return style

        add("Subtitle", WD_STYLE_TYPE.PARAGRAPH, "Normal", size=Pt(14), color=GREY)
        add("TOC Heading", WD_STYLE_TYPE.PARAGRAPH, "Heading 1")
        add("List Paragraph", WD_STYLE_TYPE.PARAGRAPH, "Normal")
        add("Quote", WD_STYLE_TYPE.PARAGRAPH, "Normal", italic=True, color=GREY)
        for level in (5, 6):
            add(f"Heading {level}", WD_STYLE_TYPE.PARAGRAPH, "Heading 4")
        link = add("Hyperlink", WD_STYLE_TYPE.CHARACTER, None, color="0563C1")
        if link is not None:
            link.font.underline = True
        code = add("Source Code", WD_STYLE_TYPE.PARAGRAPH, "Normal", name="Consolas", size=Pt(9))
        if code is not None:
            pf = code.paragraph_format
            pf.space_before, pf.space_after, pf.line_spacing = Pt(4), Pt(8), 1.0
            _set_ppr_extra(code, '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>'
                           '<w:ind w:left="144" w:right="144"/>')
        add("Verbatim Char", WD_STYLE_TYPE.CHARACTER, None, name="Consolas", size=Pt(9.5))
        summary = add("Summary", WD_STYLE_TYPE.PARAGRAPH, "Normal", bold=True, color=ACCENT)
        if summary is not None:
            summary.paragraph_format.keep_with_next = True
            summary.paragraph_format.space_before = Pt(8)
            summary.paragraph_format.space_after = Pt(2)
        cell = add("Table Text", WD_STYLE_TYPE.PARAGRAPH, "Normal", size=Pt(10))
        if cell is not None:
            cell.paragraph_format.space_before = Pt(2)
            cell.paragraph_format.space_after = Pt(2)
        detail = add("Title Page Detail", WD_STYLE_TYPE.PARAGRAPH, "Normal", size=Pt(11))
        if detail is not None:
            detail.paragraph_format.space_after = Pt(2)
        add("Draft Notice", WD_STYLE_TYPE.PARAGRAPH, "Normal", bold=True, color="C00000", size=Pt(12))
        for level in (1, 2, 3):
            toc = add(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH, "Normal", size=Pt(11))
            if toc is not None:
                toc.paragraph_format.left_indent = Pt(14 * (level - 1))
                toc.paragraph_format.space_after = Pt(3 if level > 1 else 4)
                if level == 1:
                    toc.font.bold = True

    def _numbering_ids(self) -> tuple[int, int]:
        numbering = self.part.numbering_part.element
        nums = [int(n.get(f"{{{W_NS}}}numId")) for n in numbering.findall(f"{{{W_NS}}}num")]
        abstracts = [int(n.get(f"{{{W_NS}}}abstractNumId")) for n in numbering.findall(f"{{{W_NS}}}abstractNum")]
        return max(nums, default=0) + 1, max(abstracts, default=-1) + 1

    def style(self, name: str, fallback: str = "Normal") -> str:
        return self.sid.get(name) or self.sid.get(fallback) or "Normal"

    # ---- body ----------------------------------------------------------------

    def write_body(self, root, progress: Progress | None) -> None:
        blocks = list(root)
        self._plan_headings(root)
        self._title_page()
        lead = _leading_text(root)
        if lead:
            self._paragraph_from_text(lead, self.style("Normal"))
        total = len(blocks)
        step = max(1, total // 100)
        for n, el in enumerate(blocks):
            self.block(el, 0)
            if progress is not None and n % step == 0:
                progress(n, total)
        if progress is not None:
            progress(total, total)

    def _plan_headings(self, root) -> None:
        """Word documents start at Heading 1: drop a first heading that only
        repeats the title (the title page shows it) and lift the rest so the
        highest one is Heading 1."""
        self._skip = None
        first = next((el for el in root if isinstance(el.tag, str)), None)
        if first is not None and first.tag == "h1" and _norm(first.text_content()) == _norm(self.details.title):
            self._skip = first
        # kramdown's "- TOC / {:toc}" marker (and its "On this page" heading)
        # asks for a table of contents: the contents page is that.
        self._kramdown_toc = set()
        children = [el for el in root if isinstance(el.tag, str)]
        for n, el in enumerate(children):
            if el.tag == "ul" and len(el) == 1 and _norm(el.text_content()) == "TOC":
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
        handler = _BLOCK_HANDLERS.get(tag)
        if handler is not None:
            handler(self, el, depth)
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
            if isinstance(child.tag, str) and (child.tag in BLOCK_TAGS or child.tag in _BLOCK_HANDLERS):
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

    def mixed(self, items: list, style: str, depth: int, ppr_extra: str = "") -> None:
        """Inline content (strings and inline elements, whose tails are part
        of it), split into paragraphs at blank lines."""
        if not items:
            return
        para = _Para()
        fmt = _Fmt()
        for item in items:
            if isinstance(item, str):
                para = self._text_splitting(item, fmt, para, style, ppr_extra)
            else:
                para = self.inline(item, fmt, para, style, ppr_extra, split=True)
                if item.tail:
                    para = self._text_splitting(item.tail, fmt, para, style, ppr_extra)
        self._emit_para(para, style, ppr_extra)

    def _text_splitting(self, text, fmt, para, style, ppr_extra):
        parts = _BLANK_LINE_RE.split(text)
        for n, part in enumerate(parts):
            if n:
                self._emit_para(para, style, ppr_extra)
                para = _Para()
            self.text(part, fmt, para)
        return para

    def _emit_para(self, para: _Para, style: str, ppr_extra: str = "", numpr: str = "", force: bool = False) -> bool:
        if not para.has_text and not force:
            return False
        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{numpr}{ppr_extra}</w:pPr>{"".join(para.runs)}</w:p>')
        return True

    def _paragraph_from_text(self, text: str, style: str) -> None:
        self.mixed([text], style, 0)

    # ---- inline --------------------------------------------------------------

    def text(self, text: str, fmt: _Fmt, para: _Para) -> None:
        """HTML white-space rules across runs: runs of spaces and newlines
        become one space, none at the start of a paragraph.  A space next to
        a link goes outside it, so it is not underlined."""
        if not text:
            return
        collapsed = _WS_RE.sub(" ", text)
        if collapsed.startswith(" "):
            para.space_pending = para.has_text and not para.ends_space
            collapsed = collapsed[1:]
        if not collapsed:
            return
        decorated = bool(fmt.link or fmt.underline or fmt.strike or fmt.code)
        if para.space_pending:
            para.space_pending = False
            if decorated:
                para.runs.append('<w:r><w:t xml:space="preserve"> </w:t></w:r>')
            else:
                collapsed = " " + collapsed
        if collapsed.endswith(" ") and decorated:
            collapsed = collapsed[:-1]
            para.space_pending = True
        elif collapsed.endswith(" "):
            # Kept in this run; a following leading space is dropped.
            para.space_pending = False
            para.runs.append(self.run(collapsed, fmt))
            para.has_text = True
            para.ends_space = True
            return
        para.runs.append(self.run(collapsed, fmt))
        para.has_text = True
        para.ends_space = False

    def run(self, text: str, fmt: _Fmt) -> str:
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
        if fmt.underline and not fmt.link:
            rpr.append('<w:u w:val="single"/>')
        if fmt.vert:
            rpr.append(f'<w:vertAlign w:val="{fmt.vert}"/>')
        props = f"<w:rPr>{''.join(rpr)}</w:rPr>" if rpr else ""
        body = f'<w:r>{props}<w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'
        if fmt.link:
            if fmt.link.startswith("#"):
                return f'<w:hyperlink w:anchor="{_esc(fmt.link[1:])}">{body}</w:hyperlink>'
            return f'<w:hyperlink r:id="{fmt.link}" w:history="1">{body}</w:hyperlink>'
        return body

    def link_id(self, url: str) -> str:
        rid = self._link_ids.get(url)
        if rid is None:
            rid = self.part.relate_to(url, RT.HYPERLINK, is_external=True)
            self._link_ids[url] = rid
        return rid

    def inline(self, el, fmt: _Fmt, para: _Para, style: str = "", ppr_extra: str = "", split: bool = False) -> _Para:
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
            if href and not fmt.link:
                fmt = fmt.with_(link=href if href.startswith("#") else self.link_id(href))
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
                para = _Para()
                para = self.inline(child, fmt, para, style, ppr_extra, split)
                self._emit_para(para, style, ppr_extra)
                para = _Para()
            else:
                para = self.inline(child, fmt, para, style, ppr_extra, split)
            if child.tail:
                if split:
                    para = self._text_splitting(child.tail, fmt, para, style, ppr_extra)
                else:
                    self.text(child.tail, fmt, para)
        return para

    def inline_children(self, el, fmt: _Fmt, para: _Para) -> _Para:
        """el's text and children (not el itself) as runs of one paragraph."""
        if el.text:
            self.text(el.text, fmt, para)
        for child in el:
            self.inline(child, fmt, para)
            if child.tail:
                self.text(child.tail, fmt, para)
        return para

    # ---- images --------------------------------------------------------------

    def image(self, el, fmt: _Fmt, para: _Para) -> None:
        src = (el.get("src") or "").strip()
        alt = (el.get("alt") or "").strip()
        parsed = urlparse(src)
        if parsed.scheme and len(parsed.scheme) > 1 and parsed.scheme != "file":
            # Remote images are never fetched: the reader gets a link instead.
            label = f"Image: {alt}" if alt else f"Image: {src}"
            if parsed.scheme in ("http", "https"):
                self.text(label, fmt.with_(link=self.link_id(src)), para)
            else:
                self.text(label, fmt, para)
            return
        path = self._local_image(unquote(parsed.path) if parsed.scheme == "file" else src)
        try:
            rid, image = self.part.get_or_add_image(str(path))
            width, height = image.width, image.height
        except Exception:  # noqa: BLE001 - unreadable or unsupported picture formats
            raise ImageError(f"the image {src} cannot be put in a Word document (use PNG, JPEG or GIF)") from None
        max_width = self.text_width
        if width > max_width:
            height = int(height * max_width / width)
            width = max_width
        self._bookmark += 1
        pic_id = self._bookmark
        name = _esc(path.name)
        descr = _esc(alt)
        para.runs.append(
            f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{width}" cy="{height}"/><wp:docPr id="{pic_id}" name="{name}" descr="{descr}"/>'
            f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{_A_NS}" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            f'<a:graphic xmlns:a="{_A_NS}"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic xmlns:pic="{_PIC_NS}"><pic:nvPicPr><pic:cNvPr id="{pic_id}" name="{name}" descr="{descr}"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        )
        para.has_text = True

    def _local_image(self, src: str) -> Path:
        if self.root is None:
            raise ImageError(f"the image {src} can only be exported from a document in a workspace")
        path = Path(src)
        if not path.is_absolute():
            path = self.root / "guidelines" / path
        try:
            resolved = path.resolve()
            resolved.relative_to(self.root)
        except (OSError, ValueError):
            raise ImageError(
                f"the image {src} is outside the workspace; copy it into the workspace folder "
                f"({self.root}) and link to the copy"
            ) from None
        if not resolved.is_file():
            raise ImageError(f"the image {src} does not exist (looked for {resolved})")
        return resolved

    # ---- block handlers ------------------------------------------------------

    def heading(self, el, depth: int) -> None:
        if el is self._skip:
            return
        level = int(el.tag[1]) - self.heading_shift
        # A heading that skips levels (## then ####) still nests one step down.
        level = max(1, min(level, self.last_heading_level + 1, 6))
        self.last_heading_level = level
        style = self.style(f"Heading {level}", "Heading 4")
        para = self.inline_children(el, _Fmt(), _Para())
        if not para.has_text:
            return
        self._bookmark += 1
        name = f"_Ref{self._bookmark:08d}"
        self._headings.append((level, _norm(el.text_content()), name))
        mark = f'<w:bookmarkStart w:id="{self._bookmark}" w:name="{name}"/><w:bookmarkEnd w:id="{self._bookmark}"/>'
        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{mark}{"".join(para.runs)}</w:p>')

    def paragraph(self, el, depth: int) -> None:
        style = self.style("Normal")
        if any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in el):
            self.container(el, depth)
            return
        para = self.inline_children(el, _Fmt(), _Para())
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
                    runs.append(f'<w:t xml:space="preserve">{_esc(piece)}</w:t>')
        self.out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.style("Source Code")}"/></w:pPr><w:r>{"".join(runs)}</w:r></w:p>')

    def rule(self, el, depth: int) -> None:
        self.out.append(
            '<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="A6A6A6"/></w:pBdr>'
            '<w:spacing w:before="120" w:after="240"/></w:pPr></w:p>'
        )

    def details(self, el, depth: int) -> None:
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

    # ---- lists ---------------------------------------------------------------

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
        cont_ind = f'<w:ind w:left="{_list_indent(level)}"/>'
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
                is_block = isinstance(child.tag, str) and (child.tag in BLOCK_TAGS or child.tag in _BLOCK_HANDLERS)
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
        para = _Para()
        fmt = _Fmt()
        for item in items:
            if isinstance(item, str):
                self.text(item, fmt, para)
            else:
                self.inline(item, fmt, para)
                if item.tail:
                    self.text(item.tail, fmt, para)
        return self._emit_para(para, style, "" if numpr else cont_ind, numpr, force=force)

    # ---- tables --------------------------------------------------------------

    def table(self, el, depth: int) -> None:
        rows = []
        header_rows = 0
        for section in [el, *el.iterchildren("thead", "tbody", "tfoot")]:
            for tr in section.iterchildren("tr"):
                cells = [c for c in tr if c.tag in ("td", "th")]
                is_header = section.tag == "thead" or (cells and all(c.tag == "th" for c in cells))
                rows.append((tr, cells, is_header))
        # thead rows first, as HTML renders them
        rows.sort(key=lambda r: 0 if r[0].getparent().tag == "thead" else 1)
        for _, _, is_header in rows:
            if not is_header:
                break
            header_rows += 1
        caption = el.find("caption")
        if caption is not None:
            self.mixed([caption.text or "", *caption], self.style("Summary", "Normal"), depth)
        if not rows:
            return
        ncols = max(sum(_span(c) for c in cells) for _, cells, _ in rows) or 1
        col_w = self.text_width // 635 // ncols  # EMU -> twips
        grid = "".join(f'<w:gridCol w:w="{col_w}"/>' for _ in range(ncols))
        border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>'
        borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        out = [
            f'<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>{borders}</w:tblBorders>'
            '<w:tblLayout w:type="autofit"/><w:tblCellMar><w:left w:w="100" w:type="dxa"/>'
            '<w:right w:w="100" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        ]
        cell_style = self.style("Table Text")
        for n, (_, cells, _) in enumerate(rows):
            header = n < header_rows
            tr_pr = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
            out.append(f"<w:tr>{tr_pr}")
            used = 0
            for cell in cells:
                span = min(_span(cell), ncols - used) or 1
                used += span
                out.append(self._cell(cell, span, col_w, header, n, cell_style))
            for _ in range(ncols - used):
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{col_w}" w:type="dxa"/></w:tcPr><w:p/></w:tc>')
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.out.append("".join(out))
        # Word joins tables that touch; a small gap keeps them apart.
        self.out.append('<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:rPr><w:sz w:val="8"/></w:rPr></w:pPr></w:p>')

    def _cell(self, cell, span: int, col_w: int, header: bool, row: int, style: str) -> str:
        shade = ""
        if header:
            shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{ACCENT}"/>'
        elif row % 2 == 0:
            shade = '<w:shd w:val="clear" w:color="auto" w:fill="F2F5FA"/>'
        span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        align = (cell.get("align") or "").lower()
        m = re.search(r"text-align:\s*(left|right|center)", cell.get("style") or "")
        if m:
            align = m.group(1)
        jc = {"center": '<w:jc w:val="center"/>', "right": '<w:jc w:val="right"/>'}.get(align, "")
        saved = len(self.out)
        fmt = _Fmt(bold=True, color="FFFFFF") if header else _Fmt()
        if any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in cell):
            self.container(cell, 1, style)
        else:
            para = self.inline_children(cell, fmt, _Para())
            self._emit_para(para, style, jc, force=True)
        body = "".join(self.out[saved:]) or "<w:p/>"
        del self.out[saved:]
        return (f'<w:tc><w:tcPr><w:tcW w:w="{col_w * span}" w:type="dxa"/>{span_xml}{shade}</w:tcPr>{body}</w:tc>')

    # ---- title page, contents, header and footer -----------------------------

    def _title_page(self) -> None:
        d = self.details
        out = self.out
        out.append('<w:p><w:pPr><w:spacing w:before="2400" w:after="0"/></w:pPr></w:p>')
        if d.organization:
            out.append(
                f'<w:p><w:pPr><w:pStyle w:val="{self.style("Subtitle")}"/></w:pPr>'
                f'<w:r><w:rPr><w:caps/></w:rPr><w:t xml:space="preserve">{_esc(d.organization)}</w:t></w:r></w:p>'
            )
        out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.style("Title")}"/></w:pPr>'
                   f'<w:r><w:t xml:space="preserve">{_esc(d.title)}</w:t></w:r></w:p>')
        if d.subject:
            out.append(f'<w:p><w:pPr><w:pStyle w:val="{self.style("Subtitle")}"/></w:pPr>'
                       f'<w:r><w:t xml:space="preserve">{_esc(d.subject)}</w:t></w:r></w:p>')
        out.append('<w:p><w:pPr><w:spacing w:before="600" w:after="0"/></w:pPr></w:p>')
        date = d.date or _dt.date.today()
        rows = [
            ("Version", d.version or "—"),
            ("Status", d.status.capitalize()),
            ("Date", f"{date.day} {date.strftime('%B %Y')}"),
            ("Owners", ", ".join(d.owners) or "—"),
        ]
        style = self.style("Title Page Detail", "Normal")
        cells = []
        for label, value in rows:
            color = '<w:color w:val="C00000"/>' if label == "Status" and not d.is_approved else ""
            cells.append(
                '<w:tr>'
                f'<w:tc><w:tcPr><w:tcW w:w="1700" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
                f'<w:r><w:rPr><w:b/><w:color w:val="{GREY}"/></w:rPr><w:t>{_esc(label)}</w:t></w:r></w:p></w:tc>'
                f'<w:tc><w:tcPr><w:tcW w:w="6000" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
                f'<w:r><w:rPr>{color}</w:rPr><w:t xml:space="preserve">{_esc(value)}</w:t></w:r></w:p></w:tc>'
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
        if not d.is_approved:
            out.append(
                f'<w:p><w:pPr><w:pStyle w:val="{self.style("Draft Notice")}"/><w:spacing w:before="480"/></w:pPr>'
                f'<w:r><w:t xml:space="preserve">DRAFT — not approved for distribution</w:t></w:r></w:p>'
            )
        out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        self._toc_at = len(out)

    def _contents(self) -> str:
        """The contents page: a TOC field Word updates when the file opens
        (settings updateFields), pre-filled with the headings so LibreOffice
        and a first look in Word already show them."""
        heading = (f'<w:p><w:pPr><w:pStyle w:val="{self.style("TOC Heading")}"/><w:outlineLvl w:val="9"/></w:pPr>'
                   '<w:r><w:t>Contents</w:t></w:r></w:p>')
        entries = [(lvl, text, mark) for lvl, text, mark in self._headings if lvl <= 3]
        parts = [heading]
        begin = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
                 '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        tab = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{self.text_width // 635}"/></w:tabs>'
        if not entries:
            parts.append(f"<w:p>{begin}<w:r><w:t>Update this field to list the headings.</w:t></w:r>{end}</w:p>")
        for n, (lvl, text, mark) in enumerate(entries):
            style = self.style(f"TOC {lvl}", "Normal")
            number = str(self.toc_pages[n]) if self.toc_pages and n < len(self.toc_pages) else ""
            first = begin if n == 0 else ""
            last = end if n == len(entries) - 1 else ""
            page = (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGEREF {mark} \\h </w:instrText></w:r>'
                    f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{number}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
            parts.append(
                f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{tab}</w:pPr>{first}'
                f'<w:hyperlink w:anchor="{mark}" w:history="1"><w:r><w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'
                f'<w:r><w:tab/></w:r>{page}</w:hyperlink>{last}</w:p>'
            )
        parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        return "".join(parts)

    def _numbering(self) -> None:
        numbering = self.part.numbering_part.element
        bullets = ["•", "◦", "▪"]
        formats = [("decimal", "%{n}."), ("lowerLetter", "%{n}."), ("lowerRoman", "%{n}.")]
        bullet_lvls, decimal_lvls = [], []
        for lvl in range(9):
            ind = f'<w:pPr><w:ind w:left="{_list_indent(lvl)}" w:hanging="360"/></w:pPr>'
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
        wrapper = parse_xml(f"<w:numbering {_NSDECL}>{abstracts}{''.join(self._nums)}</w:numbering>")
        first_num = numbering.find(f"{{{W_NS}}}num")
        for child in list(wrapper):
            if child.tag == f"{{{W_NS}}}abstractNum" and first_num is not None:
                first_num.addprevious(child)
            else:
                numbering.append(child)

    def _header_footer(self) -> None:
        d = self.details
        section = self.doc.sections[0]
        section.different_first_page_header_footer = True
        right = self.text_width // 635
        watermark = "" if d.is_approved else _WATERMARK
        keep_reference = self.reference is not None and (_has_content(section.header) or _has_content(section.footer))
        if not keep_reference:
            version = f"Version {d.version}" if d.version else ""
            draft = ("" if d.is_approved else
                     '<w:r><w:rPr><w:b/><w:color w:val="C00000"/></w:rPr><w:t xml:space="preserve">DRAFT  </w:t></w:r>')
            header = (
                f'<w:p {_NSDECL}><w:pPr><w:pStyle w:val="{self.style("Header", "Normal")}"/>'
                f'<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="BFBFBF"/></w:pBdr>'
                f'<w:tabs><w:tab w:val="clear" w:pos="4680"/><w:tab w:val="clear" w:pos="9360"/><w:tab w:val="right" w:pos="{right}"/></w:tabs></w:pPr>'
                f'<w:r><w:rPr><w:color w:val="{GREY}"/><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">{_esc(d.title)}</w:t></w:r>'
                f'<w:r><w:tab/></w:r>{draft}<w:r><w:rPr><w:color w:val="{GREY}"/><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">{_esc(version)}</w:t></w:r>'
                f"{watermark}</w:p>"
            )
            small = f'<w:rPr><w:color w:val="{GREY}"/><w:sz w:val="18"/></w:rPr>'

            def field(code: str) -> str:
                return (f'<w:r>{small}<w:fldChar w:fldCharType="begin"/></w:r><w:r>{small}<w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
                        f'<w:r>{small}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{small}<w:t>1</w:t></w:r><w:r>{small}<w:fldChar w:fldCharType="end"/></w:r>')

            left = " · ".join(x for x in (d.organization, d.status.capitalize() if not d.is_approved else "") if x)
            footer = (
                f'<w:p {_NSDECL}><w:pPr><w:pStyle w:val="{self.style("Footer", "Normal")}"/>'
                f'<w:tabs><w:tab w:val="clear" w:pos="4680"/><w:tab w:val="clear" w:pos="9360"/><w:tab w:val="right" w:pos="{right}"/></w:tabs></w:pPr>'
                f'<w:r>{small}<w:t xml:space="preserve">{_esc(left)}</w:t></w:r><w:r>{small}<w:tab/></w:r>'
                f'<w:r>{small}<w:t xml:space="preserve">Page </w:t></w:r>{field("PAGE")}'
                f'<w:r>{small}<w:t xml:space="preserve"> of </w:t></w:r>{field("NUMPAGES")}</w:p>'
            )
            _replace_paragraphs(section.header, header)
            _replace_paragraphs(section.footer, footer)
            first = f'<w:p {_NSDECL}><w:pPr><w:pStyle w:val="{self.style("Header", "Normal")}"/></w:pPr>{watermark}</w:p>'
            _replace_paragraphs(section.first_page_header, first)
            _replace_paragraphs(section.first_page_footer, f'<w:p {_NSDECL}/>')
        elif watermark:
            for hdr in (section.header, section.first_page_header):
                paragraph = hdr.paragraphs[0] if hdr.paragraphs else hdr.add_paragraph()
                for run in parse_xml(f"<w:p {_NSDECL}>{watermark}</w:p>"):
                    paragraph._p.append(run)

    def _properties(self) -> None:
        d = self.details
        cp = self.doc.core_properties
        cp.title = d.title
        cp.author = d.author or ", ".join(d.owners) or d.organization
        cp.subject = d.subject or (f"{d.organization} social media guidelines" if d.organization else "Social media guidelines")
        cp.keywords = d.keywords or "; ".join(x for x in ("social media", "guidelines", d.organization, d.status) if x)
        cp.version = d.version
        cp.revision = max(1, int(d.revision_number))
        cp.content_status = d.status
        cp.category = d.organization
        cp.comments = "; ".join(d.owners)
        cp.last_modified_by = d.author or cp.author
        modified = d.modified or _dt.datetime.now(_dt.timezone.utc)
        if modified.tzinfo is not None:
            modified = modified.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        cp.modified = modified
        cp.created = modified

    def finish(self) -> bytes:
        self.out.insert(self._toc_at, self._contents())
        self.toc_entries = [text for lvl, text, _ in self._headings if lvl <= 3]
        body = self.doc.element.body
        body_xml = "".join(self.out)
        sect = body.find(f"{{{W_NS}}}sectPr")
        # The body is written into the saved XML as text when the document
        # declares the namespaces it uses (always, with the house template):
        # parsing it into python-docx's tree only for it to be serialised
        # again is a third of the writing time.
        splice = all(self.doc.element.nsmap.get(prefix) == uri for prefix, uri in _BODY_NAMESPACES.items())
        if splice:
            # Still parsed once, so a mistake here fails the export instead
            # of writing a file Word refuses.
            check = etree.XMLParser(resolve_entities=False)  # one per call: parsers are not thread-safe
            etree.fromstring(f"<w:body {_BODY_NSDECL}>{body_xml}</w:body>".encode("utf-8"), check)
            marker = etree.Comment(_BODY_MARKER)
            if sect is not None:
                sect.addprevious(marker)
            else:
                body.append(marker)
        else:
            for child in list(parse_xml(f"<w:body {_NSDECL}>{body_xml}</w:body>")):
                if sect is not None:
                    sect.addprevious(child)
                else:
                    body.append(child)
        self._numbering()
        self._header_footer()
        self._properties()
        settings = self.doc.settings.element
        if settings.find(f"{{{W_NS}}}updateFields") is None:
            update = parse_xml(f'<w:updateFields {_NSDECL} w:val="true"/>')
            # updateFields belongs after w:view/zoom/... ; Word accepts it near the top.
            anchor = settings.find(f"{{{W_NS}}}defaultTabStop")
            if anchor is not None:
                anchor.addprevious(update)
            else:
                settings.insert(0, update)
        buffer = io.BytesIO()
        if not splice:
            self.doc.save(buffer)
            return buffer.getvalue()
        # What Document.save does, with the main part's XML given as bytes.
        package = self.part.package
        parts = list(package.iter_parts())
        for part in parts:
            part.before_marshal()
        blob = self.part.blob
        marker = f"<!--{_BODY_MARKER}-->".encode("ascii")
        if blob.count(marker) != 1:
            raise ExportError("the Word document could not be assembled (internal error); please report it")
        blob = blob.replace(marker, body_xml.encode("utf-8"))
        parts = [_PartBlob(part, blob) if part is self.part else part for part in parts]
        PackageWriter.write(buffer, package.rels, parts)
        return buffer.getvalue()


class _PartBlob:
    """A package part with its serialised content given (for PackageWriter)."""

    def __init__(self, part, blob: bytes):
        self.partname, self.content_type, self.rels, self.blob = part.partname, part.content_type, part.rels, blob


_BODY_MARKER = "guideline-studio-body"
_A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
# Prefixes the body text uses without declaring them (a: and pic: are
# declared where an image uses them, as Word does).
_BODY_NAMESPACES = {
    "w": W_NS,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}
_BODY_NSDECL = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in _BODY_NAMESPACES.items())


_BLOCK_HANDLERS = {
    "h1": _DocxWriter.heading, "h2": _DocxWriter.heading, "h3": _DocxWriter.heading,
    "h4": _DocxWriter.heading, "h5": _DocxWriter.heading, "h6": _DocxWriter.heading,
    "p": _DocxWriter.paragraph,
    "ul": _DocxWriter.list_, "ol": _DocxWriter.list_,
    "blockquote": _DocxWriter.blockquote,
    "pre": _DocxWriter.code_block,
    "hr": _DocxWriter.rule,
    "table": _DocxWriter.table,
    "details": _DocxWriter.details,
    "summary": _DocxWriter.summary,
    "dl": _DocxWriter.definition_list,
}

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


def _style_ids(document) -> dict[str, str]:
    """Style name (as Word shows it) -> style id, like python-docx's
    ``{s.name: s.style_id for s in document.styles}`` but reading the XML
    directly, which is several times faster."""
    from docx.styles import BabelFish

    w_name, w_val, w_id = f"{{{W_NS}}}name", f"{{{W_NS}}}val", f"{{{W_NS}}}styleId"
    ids = {}
    for style in document.styles.element.iterchildren(f"{{{W_NS}}}style"):
        name = style.find(w_name)
        value = name.get(w_val) if name is not None else None
        ids[BabelFish.internal2ui(value) if value is not None else None] = style.get(w_id)
    return ids


def _list_indent(level: int) -> int:
    return 360 + 360 * level


def _span(cell) -> int:
    try:
        return max(1, int(cell.get("colspan") or 1))
    except ValueError:
        return 1


def _norm(text: str) -> str:
    return _WS_RE.sub(" ", text or "").strip()


def _leading_text(root) -> str:
    return root.text if root.text and root.text.strip() else ""


def _has_content(part) -> bool:
    element = part._element
    return any(t.text and t.text.strip() for t in element.iter(f"{{{W_NS}}}t")) or \
        any(True for _ in element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"))


def _replace_paragraphs(part, paragraph_xml: str) -> None:
    element = part._element
    for p in element.findall(f"{{{W_NS}}}p"):
        element.remove(p)
    element.append(parse_xml(paragraph_xml))


def _set_ppr_extra(style, xml: str) -> None:
    ppr = style.element.get_or_add_pPr()
    for child in parse_xml(f"<w:pPr {_NSDECL}>{xml}</w:pPr>"):
        ppr.append(child)
    _sort_ppr(ppr)


# Schema order of pPr children (Word refuses files with them out of order).
_PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers",
    "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
    "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
    "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange",
]


def _sort_ppr(ppr) -> None:
    order = {f"{{{W_NS}}}{name}": n for n, name in enumerate(_PPR_ORDER)}
    children = sorted(ppr, key=lambda c: order.get(c.tag, 99))
    for child in children:
        ppr.append(child)


def _apply_house_style(document) -> None:
    """The look of an export without a reference document: calm, readable,
    one accent colour; A4 with comfortable margins."""
    from docx.shared import Cm

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.3)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)
    styles = document.styles

    def restyle(name, size=None, bold=None, color=None, before=None, after=None, italic=None, font="Calibri"):
        style = styles[name]
        f = style.font
        f.name = font
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(f"{{{W_NS}}}rFonts")
        if fonts is not None:
            for attr in list(fonts.attrib):
                if attr.endswith("Theme}") or "Theme" in attr:
                    del fonts.attrib[attr]
            fonts.set(f"{{{W_NS}}}ascii", font)
            fonts.set(f"{{{W_NS}}}hAnsi", font)
            fonts.set(f"{{{W_NS}}}cs", font)
        if size is not None:
            f.size = Pt(size)
        if bold is not None:
            f.bold = bold
        if italic is not None:
            f.italic = italic
        if color is not None:
            f.color.rgb = RGBColor.from_string(color)
        pf = style.paragraph_format
        if before is not None:
            pf.space_before = Pt(before)
        if after is not None:
            pf.space_after = Pt(after)
        return style

    normal = restyle("Normal", size=11, after=6)
    normal.paragraph_format.line_spacing = 1.15
    restyle("Title", size=30, bold=True, color=ACCENT, after=6)
    title = styles["Title"].element.get_or_add_pPr()
    border = title.find(f"{{{W_NS}}}pBdr")
    if border is not None:
        title.remove(border)
    restyle("Subtitle", size=13, color=GREY, after=4, italic=False)
    restyle("Heading 1", size=17, bold=True, color=ACCENT, before=20, after=6)
    restyle("Heading 2", size=14, bold=True, color=ACCENT, before=14, after=4)
    restyle("Heading 3", size=12, bold=True, color="2F5496", before=12, after=3)
    restyle("Heading 4", size=11, bold=True, color="2F5496", before=10, after=2, italic=False)
    for level in (5, 6):
        restyle(f"Heading {level}", size=11, bold=True, color=GREY, before=8, after=2, italic=False)
    restyle("TOC Heading", size=17, bold=True, color=ACCENT, before=0, after=12)
    quote = restyle("Quote", size=11, italic=True, color="404040", before=6, after=6)
    quote.paragraph_format.left_indent = Pt(18)
    _set_ppr_extra(quote, f'<w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="{ACCENT_LIGHT}"/></w:pBdr>')
    lp = styles["List Paragraph"]
    lp.paragraph_format.space_after = Pt(3)
    ppr = lp.element.get_or_add_pPr()
    for child in ppr.findall(f"{{{W_NS}}}contextualSpacing"):
        ppr.remove(child)
    for name in ("Header", "Footer"):
        restyle(name, size=9, color=GREY)
    # The template's Heading 1 has an outline colour theme; our accent wins.
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4", "Title"):
        rpr = styles[name].element.get_or_add_rPr()
        color = rpr.find(f"{{{W_NS}}}color")
        if color is not None:
            for attr in ("themeColor", "themeShade", "themeTint"):
                color.attrib.pop(f"{{{W_NS}}}{attr}", None)
