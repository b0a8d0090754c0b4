"""The Python-Markdown instances behind preview and export: which
extensions a text needs, the heading rule, and speed-ups that keep
Python-Markdown's output unchanged.

* "extra"'s rarely used extensions load only for text that uses their
  syntax;
* inline patterns and block tests are skipped for text lacking the
  character they need;
* the line rules of ``md_lines`` (CommonMark's, which the outline and the
  diff follow too): an ATX heading needs a space after its "#"s, so
  "#hashtag" at the start of a line stays text, and may be indented up to 3
  spaces; "1)" starts an ordered list item as "1." does.
"""

from __future__ import annotations

import importlib
import re

import markdown
from markdown.inlinepatterns import SubstituteTagInlineProcessor
from markdown.treeprocessors import InlineProcessor

from guidelines_app.core.md_lines import ATX_HEADING_BLOCK_RE

# Python-Markdown's "extra" (these, in its order: the order breaks ties in
# priority) and sane_lists.  Every document is parsed with all of them, except
# that an extension is left out when the text has none of its syntax: each
# one costs time on every paragraph (block tests, tree passes) but changes
# nothing in a text without its syntax.  The patterns below match a superset
# of what each extension acts on, so leaving one out never changes the HTML;
# tests/test_markup_extensions.py compares with plain Python-Markdown "extra".
EXTENSIONS = ["fenced_code", "footnotes", "attr_list", "def_list", "tables", "abbr", "md_in_html", "sane_lists"]
_OPTIONAL_SYNTAX = {
    # a fence of ``` or ~~~; loading this extension also loads codehilite,
    # which imports Pygments when installed (about 35 ms a process)
    "fenced_code": re.compile(r"```|~~~"),
    # definitions [^1]: ...; its tree pass also acts on class="footnote" divs
    "footnotes": re.compile(r"\[\^|footnote"),
    # {: .class} / {#id} / {.class}: braces on one line
    "attr_list": re.compile(r"\{[^}\n]*\}"),
    # a line starting ": " (after quote markers, list markers or a tag)
    "def_list": re.compile(r"^(?:[ \t>]|[-*+][ \t]|\d+[.)][ \t]|<[^>\n]*>)*:[ \t]", re.M),
    # definitions *[HTML]: ...
    "abbr": re.compile(r"\*\["),
}


def extensions_for(text: str) -> tuple[str, ...]:
    """The Python-Markdown extensions that parsing *text* needs (see above).
    The one place that decides it, for preview and export alike."""
    return tuple(name for name in EXTENSIONS
                 if name not in _OPTIONAL_SYNTAX or _OPTIONAL_SYNTAX[name].search(text))


# Inline patterns and a literal each of their matches contains.  Python-Markdown
# tries every pattern on every piece of text; a pattern whose literal is not
# in the text cannot match, so trying it is skipped (the result is the same).
_PATTERN_LITERALS = {
    "backtick": ("`",), "escape": ("\\",), "footnote": ("[^",),
    "reference": ("[",), "link": ("[",), "short_reference": ("[",),
    "image_link": ("![",), "image_reference": ("![",), "short_image_ref": ("![",),
    "autolink": ("<",), "automail": ("<",), "html": ("<",), "entity": ("&",),
    "linebreak": ("  \n",), "backslash_linebreak": ("\\\n",),
    "em_strong": ("*", "_"), "not_strong": ("*", "_"), "em_strong2": ("_",),
}
_APPLY_PATTERN = "_InlineProcessor__applyPattern"  # Python-Markdown's per-pattern step


class _LiteralCheckingInlineProcessor(InlineProcessor):
    """Python-Markdown's inline pass, skipping patterns whose literal is
    absent from the text at hand (it roughly halves the pass on prose)."""

    def __init__(self, md):
        super().__init__(md)
        self._literals: dict[int, tuple[str, ...]] = {}

    def run(self, root, *args, **kwargs):
        patterns = self.md.inlinePatterns
        self._literals = {id(patterns[name]): literals for name, literals in _PATTERN_LITERALS.items() if name in patterns}
        # A plain list: indexing the registry re-sorts it on every lookup.
        self.inlinePatterns = list(patterns)
        try:
            return super().run(root, *args, **kwargs)
        finally:
            self.inlinePatterns = patterns

    def _InlineProcessor__applyPattern(self, pattern, data, *args):
        literals = self._literals.get(id(pattern))
        if literals is not None:
            for literal in literals:
                if literal in data:
                    break
            else:
                return data, False, 0  # what the original returns for "no match"
        return _apply_pattern(self, pattern, data, *args)


_apply_pattern = getattr(InlineProcessor, _APPLY_PATTERN, None)

# Block processors whose test is a regular expression search over the whole
# block, and a literal each block they accept contains.  The block parser
# tests every block against each of them in turn.
_BLOCK_LITERALS = {
    "hashheader": ("#",), "setextheader": ("=", "-"), "hr": ("-", "_", "*"), "quote": (">",), "table": ("|",),
}


def _atx_heading_test(_parent, block: str) -> bool:
    """Whether *block* holds an ATX heading (``md_lines``' rule)."""
    return ATX_HEADING_BLOCK_RE.search(block) is not None


def _literal_gate(test, literals):
    def gated(parent, block):
        for literal in literals:
            if literal in block:
                return test(parent, block)
        return False

    return gated


def _extension(name: str):
    """Python-Markdown's own extension *name*, as an object: given a name,
    Python-Markdown first looks it up among every installed package's entry
    points (10 ms or more in each process that parses)."""
    return importlib.import_module(f"markdown.extensions.{name}").makeExtension()


def new_markdown(extensions: tuple[str, ...] | list[str], extra: list | None = None) -> markdown.Markdown:
    """A Python-Markdown instance with *extensions* (plus extension objects
    *extra*) and the literal-checking inline pass."""
    md = markdown.Markdown(extensions=[_extension(name) for name in extensions] + list(extra or []),
                           output_format="html")
    # "\<" is a "<" (any ASCII punctuation may be escaped: CommonMark, and the
    # outline's and the editor's reading, core.inline_markup).  The editor and
    # Word import write "3 \< 5" for a typed "3 < 5"; Python-Markdown alone
    # kept the backslash in preview and export, and read "\<b>" as a tag.
    md.ESCAPED_CHARS = [*md.ESCAPED_CHARS, "<"]
    # A backslash at a line's end is a line break (CommonMark, and the
    # editor's reading, core.surface_text.show), as two spaces are; Python-
    # Markdown showed the backslash and ran the lines together.  Before the
    # escapes, which take a backslash with the character after it.
    md.inlinePatterns.register(SubstituteTagInlineProcessor(r"\\\n", "br"), "backslash_linebreak", 185)
    if _apply_pattern is not None and "inline" in md.treeprocessors:
        # Same priority as Python-Markdown's own inline pass (20).
        md.treeprocessors.register(_LiteralCheckingInlineProcessor(md), "inline", 20)
    processors = md.parser.blockprocessors
    # Instance attributes: Python-Markdown's classes keep their own rules.
    # Its test too, not only its rule: Markdown 3.11.4 tests for a line
    # starting with "#" before its rule, which passed an indented heading by.
    if "hashheader" in processors:
        processors["hashheader"].RE = ATX_HEADING_BLOCK_RE
        processors["hashheader"].test = _atx_heading_test
    for name, literals in _BLOCK_LITERALS.items():
        if name in processors:
            processor = processors[name]
            processor.test = _literal_gate(processor.test, literals)
    # "1)" starts an ordered list item as "1." does (md_lines.LIST_ITEM_RE):
    # in the rules for a list, for its items and for items nested in them.
    for name in ("olist", "ulist"):
        if name in processors:
            lists = processors[name]
            for rule in ("RE", "CHILD_RE", "INDENT_RE"):
                pattern = getattr(lists, rule).pattern
                if r"\d+\." in pattern:
                    setattr(lists, rule, re.compile(pattern.replace(r"\d+\.", r"\d+[.)]")))
    return md
