"""WordprocessingML text helpers shared by the writer's parts: namespaces,
escaping, the inline format and paragraph-in-progress records, and small
pPr/part helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from guidelines_app.publishing.docx.opc import xml_parser

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)

BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
WS_RE = re.compile(r"[ \t\r\n\f\v]+")
BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")


def esc(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return BAD_XML_CHARS.sub("", text)


BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 ul ol li blockquote pre table thead tbody tfoot tr td th hr details summary "
    "section article header footer nav aside dl dt dd figure figcaption main address center form fieldset "
    "legend hgroup caption".split()
)
SKIP_TAGS = frozenset(("script", "style", "template", "head", "title", "meta", "link"))


@dataclass(frozen=True)
class RunFormat:
    bold: bool = False
    italic: bool = False
    code: bool = False
    underline: bool = False
    strike: bool = False
    vert: str = ""
    link: str = ""  # relationship id or "#anchor"
    color: str = ""
    highlight: str = ""  # Word's highlight colour name ("yellow"): a blank answer's marker

    def with_(self, **kw) -> RunFormat:
        values = dict(self.__dict__)
        values.update(kw)
        return RunFormat(**values)


PLAIN = RunFormat()


class ParaBuffer:
    """Runs of one paragraph being built."""

    __slots__ = ("runs", "space_pending", "has_text", "ends_space")

    def __init__(self):
        self.runs: list[str] = []
        self.space_pending = False
        self.has_text = False
        self.ends_space = False

BODY_MARKER = "guideline-studio-body"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
# Prefixes the body text uses without declaring them (a: and pic: are
# declared where an image uses them, as Word does).
BODY_NAMESPACES = {
    "w": W_NS,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}
BODY_NSDECL = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in BODY_NAMESPACES.items())


def text_content(text: str, tag: str = "w:t") -> str:
    """A run's content for *text*: line breaks as w:br, tabs as w:tab, the
    rest in *tag* elements (w:t, or w:delText inside a tracked deletion)."""
    parts = []
    for n, line in enumerate(text.split("\n")):
        if n:
            parts.append("<w:br/>")
        for m, chunk in enumerate(line.split("\t")):
            if m:
                parts.append("<w:tab/>")
            if chunk:
                parts.append(f'<{tag} xml:space="preserve">{esc(chunk)}</{tag}>')
    return "".join(parts)


def list_indent(level: int) -> int:
    return 360 + 360 * level


def colspan(cell) -> int:
    try:
        return max(1, int(cell.get("colspan") or 1))
    except ValueError:
        return 1


def norm_space(text: str) -> str:
    return WS_RE.sub(" ", text or "").strip()


def leading_text(root) -> str:
    return root.text if root.text and root.text.strip() else ""


def parse_xml(xml: str | bytes):
    """An element from WordprocessingML text, read as the package's parts are."""
    return etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml, xml_parser())


def has_content(element) -> bool:
    """Whether a header's or footer's root element shows any text or picture."""
    return any(t.text and t.text.strip() for t in element.iter(f"{{{W_NS}}}t")) or \
        any(True for _ in element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"))


def replace_paragraphs(element, paragraph_xml: str) -> None:
    for p in element.findall(f"{{{W_NS}}}p"):
        element.remove(p)
    element.append(parse_xml(paragraph_xml))


def set_ppr_extra(style, xml: str) -> None:
    """Add pPr children to a python-docx style (building a template)."""
    from docx.oxml import parse_xml as docx_parse_xml

    ppr = style.element.get_or_add_pPr()
    for child in docx_parse_xml(f"<w:pPr {NSDECL}>{xml}</w:pPr>"):
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
