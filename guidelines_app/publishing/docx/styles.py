"""The house style (fonts, sizes, colours, page) and the reference document
an organisation may give instead; the styles every export needs; style
names resolved to ids once.

Both are built with python-docx, whose style objects make that easy; an
export then reads the result with ``opc`` (python-docx is a third of a
whole export's time to import and to load and save a package with).  The
house template is built once and kept in the user's cache folder under a
name made from what it is built from (python-docx's own template and
version, and this module's code), so a change to either builds it again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from guidelines_app.publishing.docx.details import ReferenceDocxError
from guidelines_app.publishing.docx.opc import Package
from guidelines_app.publishing.docx.oxml import W_NS, set_ppr_extra

# Styles a reference document must define: everything else is added when missing.
REQUIRED_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4")

ACCENT = "1F3864"  # dark navy: headings, table header
ACCENT_LIGHT = "D9E2F3"
GREY = "595959"

_HOUSE_TEMPLATE: bytes | None = None
_DAMAGED = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, EOFError, etree.XMLSyntaxError)


def python_docx_file(*path: str) -> Path:
    """A file of the installed python-docx (its templates), found without
    importing it."""
    spec = importlib.util.find_spec("docx")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:  # not a plain folder (a frozen bundle may differ): ask the package
        import docx

        locations = [str(Path(docx.__file__).parent)]
    return Path(locations[0]).joinpath(*path)


def _house_template_key() -> str:
    digest = hashlib.sha256()
    for source in (python_docx_file("__init__.py"), python_docx_file("templates", "default.docx"),
                   Path(__file__), Path(__file__).with_name("oxml.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:20]


def house_template_cache() -> Path | None:
    """Where the house template is kept (None when there is no cache folder)."""
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("GuidelineStudio", appauthor=False)) / f"house-template-{_house_template_key()}.docx"
    except (OSError, ImportError):
        return None


def house_template_bytes(rebuild: bool = False) -> bytes:
    """The house template (python-docx's template with the house style),
    built once and kept in the cache folder (see above); *rebuild*: build
    it again (the kept one could not be read)."""
    global _HOUSE_TEMPLATE
    if _HOUSE_TEMPLATE is None or rebuild:
        cached = house_template_cache()
        data = None
        if cached is not None and not rebuild:
            try:
                data = cached.read_bytes()
            except OSError:
                data = None
        if data is None:
            data = build_house_template()
            if cached is not None:
                _keep(cached, data)
        _HOUSE_TEMPLATE = data
    return _HOUSE_TEMPLATE


def _keep(path: Path, data: bytes) -> None:
    from guidelines_app.core.fileio import atomic_write_bytes

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)
        for old in path.parent.glob("house-template-*.docx"):
            if old.name != path.name:
                old.unlink(missing_ok=True)  # built by an earlier version
    except OSError:
        pass  # a read-only cache folder: built again next time


def build_house_template() -> bytes:
    """python-docx's template with the house style applied, as a .docx."""
    import docx

    document = docx.Document()
    _apply_house_style(document)
    # Added here once rather than on every export (looking a style up by
    # name walks all of them).
    ensure_styles(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def open_template(reference: Path | None) -> Package:
    """The package an export starts from: the house template, or the
    reference document emptied of its text, with the styles it lacks."""
    if reference is None:
        try:
            return Package.from_bytes(house_template_bytes())
        except _DAMAGED:  # the kept copy was damaged (reading checks every part's checksum)
            return Package.from_bytes(house_template_bytes(rebuild=True))
    return Package.from_bytes(_prepared_reference(reference))


def _prepared_reference(reference: Path) -> bytes:
    import docx

    if not reference.is_file():
        raise ReferenceDocxError(f"the reference Word document {reference} does not exist")
    try:
        document = docx.Document(str(reference))
    except Exception:  # noqa: BLE001 - any failure here means "not a usable .docx"
        raise ReferenceDocxError(
            f"{reference} is not a Word document (.docx) that can be read; "
            "save it from Word as 'Word Document (.docx)' and try again"
        ) from None
    names = {s.name for s in document.styles}
    missing = [n for n in REQUIRED_STYLES if n not in names]
    if missing:
        raise ReferenceDocxError(
            f"the reference Word document {reference.name} lacks the styles "
            f"{', '.join(missing)}; a reference document needs Normal, Title and Heading 1 to 4 "
            "(in Word, use each of them once, save, then delete the text)"
        )
    body = document.element.body
    for child in list(body):
        if child.tag != f"{{{W_NS}}}sectPr":
            body.remove(child)
    ensure_styles(document)
    document.core_properties  # noqa: B018 - made now when missing (the export sets every field it has)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def ensure_styles(document) -> None:
    """Adds the styles the writer uses that *document* (python-docx's) lacks."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    styles = document.styles
    names = {_UI_NAMES.get(s.name, s.name) for s in styles}  # ("toc 1" as Word names it is "TOC 1")

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
    # A list inside a block quote: the quote's look, spaced as a list.
    quote_list = add("Quote List", WD_STYLE_TYPE.PARAGRAPH, "Quote")
    if quote_list is not None:
        quote_list.paragraph_format.space_before = Pt(0)
        quote_list.paragraph_format.space_after = Pt(3)
    for level in (5, 6):
        add(f"Heading {level}", WD_STYLE_TYPE.PARAGRAPH, "Heading 4")
    link = add("Hyperlink", WD_STYLE_TYPE.CHARACTER, None, color="0563C1")
    if link is not None:
        link.font.underline = True
    code = add("Source Code", WD_STYLE_TYPE.PARAGRAPH, "Normal", name="Consolas", size=Pt(9))
    if code is not None:
        pf = code.paragraph_format
        pf.space_before, pf.space_after, pf.line_spacing = Pt(4), Pt(8), 1.0
        set_ppr_extra(code, '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>'
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
    # Contents entries single-spaced, a level 1 entry with a little space
    # above it: about forty entries on one page (title_page.CONTENTS_ONE_PAGE).
    # They are Word's own contents styles ("toc 1", as Word names them in
    # the file), which Word applies when it updates the contents: a custom
    # "TOC 1" would give way to Word's default look there (and a second
    # style of the same id beside a reference document's own).
    for level in (1, 2, 3):
        toc = add(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH, "Normal", size=Pt(11))
        if toc is not None:
            element = toc.element
            element.name_val = f"toc {level}"
            element.set(f"{{{W_NS}}}styleId", f"TOC{level}")
            element.attrib.pop(f"{{{W_NS}}}customStyle", None)
            pf = toc.paragraph_format
            pf.left_indent = Pt(14 * (level - 1))
            pf.space_before, pf.space_after, pf.line_spacing = Pt(6 if level == 1 else 0), Pt(2), 1.0
            if level == 1:
                toc.font.bold = True


# Built-in styles whose name styles.xml spells in lower case.
_UI_NAMES = {"caption": "Caption", "header": "Header", "footer": "Footer",
             **{f"heading {n}": f"Heading {n}" for n in range(1, 10)},
             **{f"toc {n}": f"TOC {n}" for n in range(1, 10)}}


def style_ids(styles_part) -> dict[str, str]:
    """Style name (as Word shows it) -> style id, from the styles part."""
    w_name, w_val, w_id = f"{{{W_NS}}}name", f"{{{W_NS}}}val", f"{{{W_NS}}}styleId"
    ids = {}
    for style in styles_part.read_only().iterchildren(f"{{{W_NS}}}style"):
        name = style.find(w_name)
        value = name.get(w_val) if name is not None else None
        ids[_UI_NAMES.get(value, value) if value is not None else None] = style.get(w_id)
    return ids


def _apply_house_style(document) -> None:
    """The look of an export without a reference document: calm, readable,
    one accent colour; A4 with comfortable margins."""
    from docx.shared import Cm, Pt, RGBColor

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
    set_ppr_extra(quote, f'<w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="{ACCENT_LIGHT}"/></w:pBdr>')
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
