"""Markdown -> Word (.docx), from the same parse the preview shows.

The template (the house template, or the organisation's reference document,
both prepared by python-docx in ``styles``) is read and the package written
by ``opc``; the body itself is written here as WordprocessingML text and
parsed once.  Looking styles up by name and building each run through
python-docx's objects is what made large exports slow, so styles are
resolved to ids once and runs are plain strings.

What a reader gets: a title page (title, organisation, version, status, date,
owners), a table of contents Word fills in when the file is opened, the body
with real Word headings, numbering, hyperlinks and tables, a running header
and a "Page X of Y" footer, and a DRAFT watermark until the status is
"approved".
"""

from __future__ import annotations

import threading
from pathlib import Path

from guidelines_app.core import markup
from guidelines_app.core.document import Document
from guidelines_app.publishing.docx.blocks import BlocksMixin
from guidelines_app.publishing.docx.details import ExportDetails, Progress
from guidelines_app.publishing.docx.header_footer import HeaderFooterMixin
from guidelines_app.publishing.docx.images import ImagesMixin
from guidelines_app.publishing.docx.lists import ListsMixin
from guidelines_app.publishing.docx.opc import RT_DOCUMENT, RT_STYLES
from guidelines_app.publishing.docx.oxml import leading_text
from guidelines_app.publishing.docx.package import PackageMixin, first_section, text_width, write_output
from guidelines_app.publishing.docx.runs import RunsMixin
from guidelines_app.publishing.docx.styles import open_template, style_ids
from guidelines_app.publishing.docx.tables import TablesMixin
from guidelines_app.publishing.docx.title_page import TitlePageMixin


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
    return write_output(out_path, data, keep=(reference_docx,))


def build_docx(
    doc: Document,
    details: ExportDetails | None = None,
    workspace_root: Path | None = None,
    reference_docx: Path | str | None = None,
    progress: Progress | None = None,
    for_pdf: bool = False,
) -> bytes:
    """The .docx file as bytes.  *for_pdf*: to be made a PDF by LibreOffice,
    which then fills in the contents' page numbers (``_contents``)."""
    details = details or ExportDetails.from_document(doc)
    writer = DocxWriter(details, workspace_root, reference_docx)
    writer.live_page_numbers = for_pdf
    writer.write_body(markup.export_tree(doc.body, _renderer()), progress)
    return writer.finish()


def build_form_docx(parts: list[str], details: ExportDetails, reference_docx: Path | str | None = None) -> bytes:
    """Short forms written by the same writer (the acknowledgement form and
    "the rules in brief"): each Markdown part on pages of its own, without
    a title page or a contents page; a part's first heading is its title,
    and a table with a blank header row is a block to fill in by hand."""
    writer = DocxWriter(details, None, reference_docx)
    writer.with_contents = False
    writer.with_title_page = False
    writer.with_heading_note = False
    writer.fill_in_tables = True  # a table under a blank header row: a block to fill in (a signature)
    writer._toc_at = 0
    for n, body in enumerate(parts):
        if n:
            writer.out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        root = markup.export_tree(body, _renderer())
        writer._plan_headings(root)
        writer._skip = None  # a form's heading is not a title page's: keep it
        for el in list(root):
            writer.block(el, 0)
    writer.title_heading_dropped = False
    return writer.finish()


_local = threading.local()


def _renderer() -> markup.ExportRenderer:
    # One per thread (a Markdown instance is not thread-safe); building it
    # costs as much as parsing a long chapter.
    renderer = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _local.renderer = markup.ExportRenderer()
    return renderer


class DocxWriter(BlocksMixin, RunsMixin, ImagesMixin, ListsMixin, TablesMixin, TitlePageMixin,
                 HeaderFooterMixin, PackageMixin):
    """Writes one document: the body as WordprocessingML text (``out``),
    then ``finish`` assembles the package.  Each concept lives in its mixin's
    module; this class holds the shared state."""

    def __init__(self, details: ExportDetails, workspace_root: Path | None, reference_docx: Path | str | None):
        self.details = details
        self.root = Path(workspace_root).resolve() if workspace_root else None
        self.reference = Path(reference_docx).expanduser() if reference_docx else None
        self.package = open_template(self.reference)
        self.part = self.package.related(RT_DOCUMENT)  # the main document part
        self.sid = style_ids(self.part.related(RT_STYLES))
        self.out: list[str] = []
        self._link_ids: dict[str, str] = {}
        self._bookmark = 0
        self._headings: list[tuple[int, str, str]] = []  # level, text, bookmark
        self._anchor_marks: dict[str, str] = {}  # heading anchor -> its Word bookmark
        self.title_heading_dropped = False
        self._nums: list[str] = []
        self._next_num, self._next_abstract = self._numbering_ids()
        self._abstract_bullet = self._next_abstract
        self._abstract_decimal = self._next_abstract + 1
        self.sect_pr = first_section(self.part.element)
        self.text_width = text_width(self.sect_pr)
        self.heading_shift = 0
        self.last_heading_level = 0
        self.quote_depth = 0  # block quotes open around the block being written
        self.left = 0  # the text column (twips) of what holds the block being written: a quote's, a list item's
        self.list_base = 0  # the list depth where a list in it is at level 0 (a list in a quote starts at 0)
        self._item_marks = 0  # hidden bookmarks on items that start with a sub-list (lists.ITEM_MARK)
        self._quote_look = None  # the Quote style's indentation and bar, read when a list in a quote asks
        self.live_page_numbers = False  # the contents without the TOC field, for LibreOffice (title_page._contents)
        # What the header shows on the right and the footer on the left, when
        # not the version and the organisation/status (a redline says what it compares).
        self.header_note: str | None = None
        self.footer_note: str | None = None
        self.draft_marks = not details.is_approved  # the DRAFT watermark and header mark
        # The contents page after the title page: None for "when the document
        # is long enough" (title_page.wants_contents), False for none.
        self.with_contents: bool | None = None
        self.body_words = 0  # the words of the text (a short text has no contents page)
        self.with_title_page = True  # a title page first, without the header and footer (a form has none)
        self.with_heading_note = True  # how heading levels map, for import (package.py)
        self.fill_in_tables = False  # a form's table under a blank header row is to fill in by hand (tables.py)

    def style(self, name: str, fallback: str = "Normal") -> str:
        return self.sid.get(name) or self.sid.get(fallback) or "Normal"

    def write_body(self, root, progress: Progress | None) -> None:
        blocks = list(root)
        self.body_words = len(root.text_content().split())
        self._plan_headings(root)
        self._title_page()
        lead = leading_text(root)
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
