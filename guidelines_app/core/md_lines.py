"""The Markdown line rules: what one line of a body is, as a regular
expression, defined once.

Three readers share them: the outline scanner (``core.outline``: headings
with their line numbers), the preview and export parser (``core.markup``,
which teaches Python-Markdown the heading rule below) and the diff's fast
block splitter (``review.diff.blocks``).  They must agree on what is a
heading, a list item and a fence; tests/test_markdown_structure.py holds
them to it.  CommonMark is the yardstick where they used to differ.
"""

from __future__ import annotations

import re

# An ATX heading: 1 to 6 "#" followed by a space, a tab or the end of the
# line (CommonMark), so "#hashtag" starts a paragraph, not a heading.
# Groups: the "#"s, the title (with any closing "#"s).
ATX_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")

# The same rule where Python-Markdown applies it, to a block of lines: its
# own HashHeaderProcessor.RE with the space after the "#"s required, up to 3
# spaces allowed before them, and closing "#"s only after a space or a tab
# (Python-Markdown took any: "## C#" was a heading "C" in export).
ATX_HEADING_BLOCK_RE = re.compile(r"(?:^|\n)[ ]{0,3}(?P<level>#{1,6})(?=[ \t]|\n|$)"
                                  r"(?P<header>[^\n]*?)(?:[ \t]+#+)?[ \t]*(?:\n|$)")

# The closing "#"s of an ATX heading's title.
ATX_CLOSE_RE = re.compile(r"(?:^|[ \t]+)#+$")

# A setext heading's underline ("===" for level 1, "---" for level 2).
SETEXT_UNDERLINE_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")

# A line opening (or closing) fenced code; group 1 is the fence.  A fence
# closes at a line holding only the fence's character, at least as many.
FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})")

# A list item: indent, marker ("-", "*", "+", "1." or "1)"), then spaces or
# tabs or the end of the line.  Tabs count 4 columns (see ``expand_tabs``).
LIST_ITEM_RE = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)")

# A thematic break (a rule across the page): 3 or more "-", "*" or "_"
# with up to 2 spaces between them, as Python-Markdown reads it (its
# HRProcessor.RE; CommonMark allows more spaces).  It is no list item
# ("- - -"), and it ends an open paragraph ("Text" then "* * *").
THEMATIC_BREAK_RE = re.compile(r"^ {0,3}(?:-(?: {0,2}-){2,}|_(?: {0,2}_){2,}|\*(?: {0,2}\*){2,}) *$")

# A block quote's mark at the start of a line: up to 3 spaces, ">" and
# the one space after it that belongs to the mark.
QUOTE_MARK_RE = re.compile(r"^ {0,3}> ?")


def unquote(lines: list[str]) -> list[str]:
    """A block quote's lines without their marks (a lazy line without one as it is)."""
    return [line[m.end():] if (m := QUOTE_MARK_RE.match(line)) else line for line in lines]


def quote_end(lines: list[str], start: int) -> int:
    """The end of the block quote whose first line is *start*: its lines
    that start with ">" and the lines of text that carry its paragraph on
    without the mark (CommonMark's lazy lines), up to a blank line or a
    line that starts a block of its own (a rule or an empty item, "-",
    too: CommonMark's "> a" then "-" is a quote and an empty item)."""
    end = start + 1
    open_text = opens_paragraph(lines[start].lstrip(" >"))
    while end < len(lines):
        line = lines[end]
        if QUOTE_MARK_RE.match(line):
            open_text = opens_paragraph(line.lstrip(" >"))
        elif not (open_text and line.strip() and not BLOCK_START_RE.match(line) and not FENCE_RE.match(line)
                  and not line.startswith("    ") and not LIST_ITEM_RE.match(line)
                  and not THEMATIC_BREAK_RE.match(line)):
            break
        end += 1
    return end


def opens_paragraph(text: str) -> bool:
    """Whether *text*, a quote's or a list item's after its marks, starts
    a paragraph, which lines under it may carry on without the marks
    (CommonMark's lazy lines): no heading, fence, rule or empty item."""
    if not text.strip() or FENCE_RE.match(text) or ATX_HEADING_RE.match(text) or THEMATIC_BREAK_RE.match(text):
        return False
    item = LIST_ITEM_RE.match(text)
    return not item or bool(text[item.end():].strip())


# A line that starts a block of its own, so it cannot be the text of a
# setext heading: list item, quote, ATX heading, HTML, table row, fence.
BLOCK_START_RE = re.compile(r"^ {0,3}(?:[-*+] |\d{1,9}[.)] |>|#{1,6}(?:[ \t]|$)|<|\||```|~~~)")

TAB_SIZE = 4  # Python-Markdown's tab_length, and CommonMark's tab stop


def expand_tabs(line: str) -> str:
    """The line with its tabs as spaces, as Python-Markdown reads it (it
    expands every tab to the next multiple of 4 columns before parsing)."""
    return line.expandtabs(TAB_SIZE) if "\t" in line else line


# Metadata lines at the top of a body, as Pelican and mdBook write them:
# "Title: X", "Date: ...", one "Key: value" a line up to the first blank
# line.  They are the document's details, not its text.
_METADATA_LINE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*(?: [A-Za-z0-9_-]+){0,2}:(?:[ \t]+\S.*)?$")
_TITLE_LINE_RE = re.compile(r"^Title:[ \t]+(\S.*?)[ \t]*$", re.I)


def metadata_block(lines: list[str]) -> tuple[int, int]:
    """(first, end) line indexes of the metadata block at the top of the body
    *lines* (leading blank lines skipped), or (0, 0) when there is none.  A
    block counts only when it has a "Title:" line and all its lines are
    "Key: value" lines."""
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    end = first
    has_title = False
    while end < len(lines) and lines[end].strip():
        if not _METADATA_LINE_RE.match(lines[end]):
            return 0, 0
        has_title = has_title or bool(_TITLE_LINE_RE.match(lines[end]))
        end += 1
    return (first, end) if has_title else (0, 0)


def metadata_title(lines: list[str]) -> str:
    """The "Title:" of the body's metadata block, or ''."""
    first, end = metadata_block(lines)
    for line in lines[first:end]:
        m = _TITLE_LINE_RE.match(line)
        if m:
            return m.group(1)
    return ""


SPLIT_SLICE = 1 << 20  # characters: a longer text is split a slice at a time


def split_lines(text: str) -> list[str]:
    """``text.split("\n")``, a slice at a time for a very long text: one
    split of 50 MB holds the interpreter, and so the window's thread while
    a worker saves, a quarter of a second."""
    if len(text) <= SPLIT_SLICE:
        return text.split("\n")
    lines: list[str] = []
    start = 0
    while start < len(text):
        end = text.find("\n", start + SPLIT_SLICE)
        if end < 0:
            lines.extend(text[start:].split("\n"))
            return lines
        lines.extend(text[start:end].split("\n"))
        start = end + 1
    lines.append("")  # the text ended with a line break
    return lines
