"""The one Markdown parse: preview HTML and the element tree that exporters
walk.

Python-Markdown does the block and inline parsing (instances from
``core.md_engine``).  Around it this module adds what real policy documents
need:

* a normaliser (``core.md_lists``) that makes lists indented by 2 spaces
  (as GitHub and most people write them) nest, which Python-Markdown alone
  does only at 4;
* removal of kramdown-only attribute lines such as ``{:.no_toc}`` and of
  a Pelican/mdBook metadata block ("Title: ..." lines at the top: the
  document's details, not its text);
* per-section rendering with a cache, so that after a one-word edit in a
  40,000-word document only the edited section is parsed again;
* an element tree for exporters, with raw HTML marked and the Markdown
  written inside it parsed.

The outline (headings, sections, word count) is ``core.outline``; the line
rules all readers share are ``core.md_lines``.  Their public names are
importable from here too.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import OrderedDict
from dataclasses import dataclass
from xml.etree import ElementTree

import markdown
from markdown.treeprocessors import Treeprocessor

from guidelines_app.core.md_engine import (  # noqa: F401 - re-exported
    _BLOCK_LITERALS,
    _PATTERN_LITERALS,
    EXTENSIONS,
    extensions_for,
    new_markdown,
)
from guidelines_app.core.md_lines import expand_tabs, metadata_block
from guidelines_app.core.md_lists import normalize_lists
from guidelines_app.core.outline import (  # noqa: F401
    Anchors,
    Section,
    outline,
    scan_headings,
    section_anchors,
    section_at_line,
    word_count,
)

_IAL_RE = re.compile(r"^[ \t]*\{:[^}]*\}[ \t]*$")

# ---------------------------------------------------------------------------
# Normalising real-world Markdown before Python-Markdown sees it
# ---------------------------------------------------------------------------


def prepare(body: str) -> list[str]:
    """The body as lines, ready for Python-Markdown.  Line count is preserved,
    so line numbers from ``outline`` stay valid."""
    lines = body.split("\n")
    # Tabs as the 4 columns Python-Markdown makes of them anyway, so that
    # the list normaliser reads tab-indented items as it will.
    lines = ["" if _IAL_RE.match(line) else expand_tabs(line) for line in lines]
    first, end = metadata_block(lines)
    lines[first:end] = [""] * (end - first)
    return normalize_lists(lines)


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

_REF_DEF_RE = re.compile(r"^ {0,3}\[[^\]^][^\]]*\]:[ \t]*\S")
_FOOTNOTE_DEF_RE = re.compile(r"^ {0,3}\[\^[^\]]+\]:")

class _KeepTree(Treeprocessor):
    """Keeps the finished element tree so exporters can walk it."""

    def run(self, root):
        self.md.last_tree = root
        return None


class _KeepTreeExtension(markdown.Extension):
    def extendMarkdown(self, md):
        md.registerExtension(self)
        md.treeprocessors.register(_KeepTree(md), "keep_tree", -100)


@dataclass
class Chunk:
    """A run of the document rendered on its own: the lines before the first
    heading, or one heading and the lines up to the next heading."""

    first_line: int
    section_index: int | None
    source: str
    html: str


@dataclass
class Rendered:
    sections: list[Section]
    chunks: list[Chunk]

    @property
    def html(self) -> str:
        return "\n".join(c.html for c in self.chunks)


def section_anchor(index: int) -> str:
    return f"section-{index}"


_OPEN_HEADING_RE = re.compile(r"^(\s*<h[1-6])([ >])")


def _with_heading_id(chunk_html: str, anchor: str) -> str:
    """A section's HTML with its heading named *anchor* (the target of
    in-document links), unless the heading has an id of its own."""
    m = _OPEN_HEADING_RE.match(chunk_html)
    if m is None or (m.group(2) == " " and " id=" in chunk_html[: chunk_html.find(">")]):
        return chunk_html
    return f'{m.group(1)} id="{html.escape(anchor)}"' + chunk_html[m.end(1):]


def _defused(text: str) -> str:
    """The text with raw HTML shown as text.  Python-Markdown can crash on
    some HTML (e.g. markdown="1" inside a footnote div); showing the tags is
    better than losing the section."""
    return text.replace("<", "&lt;")


class MarkdownRenderer:
    """Renders a body to HTML section by section, reusing the HTML of
    sections whose text did not change.  Not thread-safe: give each thread its
    own renderer."""

    def __init__(self, cache_size: int = 4096):
        # One Markdown instance per set of extensions (see extensions_for);
        # a document uses one or two, each built on first use.
        self._instances: dict[tuple[str, ...], markdown.Markdown] = {}
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._cache_size = cache_size

    def _markdown_for(self, text: str) -> markdown.Markdown:
        extensions = extensions_for(text)
        md = self._instances.get(extensions)
        if md is None:
            md = self._instances[extensions] = new_markdown(extensions, [_KeepTreeExtension()])
            self._configure(md)
        return md

    def _configure(self, md: markdown.Markdown) -> None:
        """Hook for subclasses to adjust a new Markdown instance."""

    def convert(self, text: str) -> str:
        md = self._last_md = self._markdown_for(text)
        try:
            md.reset()
            return md.convert(text)
        except Exception:  # noqa: BLE001 - see _defused
            text = _defused(text)
            md = self._last_md = self._markdown_for(text)
            md.reset()
            return md.convert(text)

    def tree(self, text: str) -> tuple[ElementTree.Element, markdown.Markdown]:
        """Element tree of *text* (already prepared) and the Markdown instance
        holding its raw-HTML stash; valid until the next call."""
        self.convert(text)
        return self._last_md.last_tree, self._last_md

    def render(self, body: str) -> Rendered:
        sections = outline(body)
        lines = prepare(body)
        refs = [ln for ln in lines if _REF_DEF_RE.match(ln)]
        whole = any(_FOOTNOTE_DEF_RE.match(ln) for ln in lines)
        ref_tail = "\n\n" + "\n".join(refs) if refs else ""
        starts = [] if whole else [s.line for s in sections]
        bounds = ([0] if not starts or starts[0] != 0 else []) + starts + [len(lines)]
        anchors = section_anchors(sections, lines)
        if 0 < self._cache_size < 2 * len(bounds):
            # Room for every section of this text and of the next: a long document's (11,000
            # sections in 4 MB) were all rendered again at each refresh, their HTML pushed out.
            self._cache_size = 2 * len(bounds)
        chunks = []
        section_iter = iter(range(len(sections)))
        for n in range(len(bounds) - 1):
            a, b = bounds[n], bounds[n + 1]
            index = None if (n == 0 and (not starts or starts[0] != 0)) else next(section_iter)
            source = "\n".join(lines[a:b])
            key = hashlib.blake2b((source + ref_tail).encode("utf-8"), digest_size=16).hexdigest()
            cached = self._cache.get(key)
            if cached is None:
                cached = self.convert(source + ref_tail)
                self._cache[key] = cached
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(key)
            anchor = ""
            if index is not None:
                anchor = f'<a name="{section_anchor(index)}"></a>'
                cached = _with_heading_id(cached, anchors[index])
            chunks.append(Chunk(a, index, source, anchor + cached))
        return Rendered(sections, chunks)


def render_html(body: str) -> str:
    """One-shot rendering of a body to an HTML fragment."""
    return MarkdownRenderer(cache_size=0).render(body).html


def html_page(fragment: str, title: str, css: str = "") -> str:
    """A standalone HTML page around a rendered fragment."""
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n<style>\n{css}\n</style>\n</head>\n"
        f"<body>\n{fragment}\n</body>\n</html>\n"
    )


# ---------------------------------------------------------------------------
# Element tree for exporters
# ---------------------------------------------------------------------------

RAW_HTML_CLASS = "md-raw-html"
# Markdown syntax that Python-Markdown leaves untouched inside raw HTML blocks
# (kramdown, which real policies were written for, parses it there).
_MD_IN_RAW_RE = re.compile(r"\[[^\]\n]+\](?:\([^)\s]+\)|\[[^\]\n]*\])"  # inline and reference links
                           r"|\*\*[^*\n]+\*\*|(?<![\w*])\*[^*\s][^*\n]*\*(?![\w*])|`[^`\n]+`|^\s*(?:[-*+]|\d+[.)])\s", re.M)
_NO_MARKDOWN_TAGS = {"a", "code", "pre", "script", "style", "kbd", "samp"}


class _MarkRawHtml(markdown.postprocessors.RawHtmlPostprocessor):
    """Puts raw HTML back like Python-Markdown does, but wraps each raw block
    in ``<div class="md-raw-html">`` so an exporter knows which text
    Python-Markdown did not parse."""

    def run(self, text: str) -> str:
        from markdown import util

        md = self.md
        if not md.htmlStash.html_counter:
            return text
        pattern = re.compile(f"<p>{util.HTML_PLACEHOLDER % r'([0-9]+)'}</p>|{util.HTML_PLACEHOLDER % r'([0-9]+)'}")

        def substitute(m: re.Match) -> str:
            key = int(m.group(1) or m.group(2))
            if key >= md.htmlStash.html_counter:
                return m.group(0)
            raw = pattern.sub(substitute, self.stash_to_string(md.htmlStash.rawHtmlBlocks[key]))
            if m.group(1) is not None:
                tag = "div" if self.isblocklevel(raw) else "p"
                return f'<{tag} class="{RAW_HTML_CLASS}">{raw}</{tag}>'
            return raw

        return pattern.sub(substitute, text)


class ExportRenderer(MarkdownRenderer):
    """The preview's parser (same extensions, same preparation), with raw
    HTML blocks marked for exporters."""

    def __init__(self):
        super().__init__(cache_size=0)

    def _configure(self, md: markdown.Markdown) -> None:
        md.postprocessors.register(_MarkRawHtml(md), "raw_html", 30)

    def export_html(self, body: str) -> str:
        return self.convert("\n".join(prepare(body)))


def export_html(body: str, renderer: ExportRenderer | None = None) -> str:
    """The body as one HTML fragment for exporters (see ExportRenderer)."""
    return (renderer or ExportRenderer()).export_html(body)


def export_tree(body: str, renderer: ExportRenderer | None = None):
    """An lxml tree (a ``<div>`` root) of the body for exporters to walk:
    raw HTML parsed into elements, and Markdown written inside raw HTML
    (links, emphasis, lists) parsed too, so nothing reaches a Word document
    as visible tags or asterisks."""
    import lxml.html

    root = lxml.html.fragment_fromstring(export_html(body, renderer) or "", create_parent="div")
    raws = root.find_class(RAW_HTML_CLASS)
    if raws:
        inline_md = MarkdownRenderer(cache_size=0)
        # Reference definitions, so "[text][ref]" inside raw HTML resolves.
        refs = "\n".join(ln for ln in prepare(body) if _REF_DEF_RE.match(ln))
        for raw in raws:
            _parse_markdown_in_raw(raw, inline_md, refs)
    name_headings(root)
    return root


HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def name_headings(root) -> None:
    """Give every heading of an export tree its anchor as its id (an id of
    its own, from ``{#id}``, is kept), in document order."""
    anchors = Anchors()
    for el in root.iter(*HEADING_TAGS):
        el.set("id", anchors.add(" ".join(el.text_content().split()), el.get("id")))


def _parse_markdown_in_raw(container, md: MarkdownRenderer, refs: str = "") -> None:
    import lxml.html

    def parsed(text: str) -> tuple[str | None, list, bool]:
        """(leading text, elements, inline?) of *text* parsed as Markdown; a
        single paragraph is inline, its <p> dropped."""
        root = lxml.html.fragment_fromstring(md.convert(text + ("\n\n" + refs if refs else "")), create_parent="div")
        children = list(root)
        inline = len(children) == 1 and children[0].tag == "p"
        source = children[0] if inline else root
        return (source.text if inline else (root.text or "")), list(source), inline

    def splice_text(el) -> None:
        """Replace el.text by parsed Markdown."""
        text = el.text
        if not text or not _MD_IN_RAW_RE.search(text):
            return
        lead, children, inline = parsed(text)
        el.text = lead
        for n, child in enumerate(children):
            el.insert(n, child)
        if inline and el.text is not None and text[:1].isspace():
            el.text = " " + el.text.lstrip()

    def splice_tail(el) -> None:
        tail = el.tail
        if not tail or not _MD_IN_RAW_RE.search(tail):
            return
        lead, children, _inline = parsed(tail)
        parent = el.getparent()
        el.tail = lead
        if el.tail is not None and tail[:1].isspace():
            el.tail = " " + el.tail.lstrip()
        pos = parent.index(el) + 1
        for n, child in enumerate(children):
            parent.insert(pos + n, child)

    for el in list(container.iter()):
        if not isinstance(el.tag, str) or any(a.tag in _NO_MARKDOWN_TAGS for a in [el, *el.iterancestors()] if isinstance(a.tag, str)):
            continue
        splice_text(el)
        for child in list(el):
            if isinstance(child.tag, str) and child.tag not in ("script", "style"):
                splice_tail(child)
