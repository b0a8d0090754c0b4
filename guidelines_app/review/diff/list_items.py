"""The diff's splitter (``blocks.split_blocks``) on list items: the items
one line opens ("1. - a"), and which open item an indented paragraph,
quote, table or code belongs to.  Worked out only when such a line comes,
so ordinary items cost the splitter nothing more."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from guidelines_app.core.md_lines import LIST_ITEM_RE as _ITEM_RE
from guidelines_app.core.md_lines import THEMATIC_BREAK_RE as _BREAK_RE

if TYPE_CHECKING:
    from guidelines_app.review.diff.blocks import Block


def sub_item(text: str, stripped: str) -> re.Match | None:
    """The list item that *text*, an item's text, starts with, as the
    export reads it (a marker alone is text, and "- - -" a rule)."""
    m = _ITEM_RE.match(text)
    if m is None or m.group(1) or not m.group(3) or not text[m.end():].strip():
        return None
    if (stripped[0] in "-*" and len(set(stripped.replace(" ", ""))) == 1) or _BREAK_RE.match(text):
        return None  # a thematic break ("1. - - -": an item holding a rule)
    return m


def item_chain(line: str) -> list[tuple[int, str, str]]:
    """The list items an item's line opens, outermost first ("1. - a":
    two): per item its marker's column (tabs count 4), marker and text."""
    m = _ITEM_RE.match(line)
    mark_col, text = len(m.group(1).expandtabs(4)), line[m.end():]
    chain = [(mark_col, m.group(2), text)]
    stripped = line.strip()
    while (m := sub_item(text, stripped)) is not None:
        mark_col = len(line[:len(line) - len(text) + m.end(2)].expandtabs(4)) - len(m.group(2))
        text = text[m.end():]
        chain.append((mark_col, m.group(2), text))
    return chain


def owner(blocks: list[Block], lines: list[str], first_line: int, line: str) -> tuple[int, int]:
    """The depth, plus one, of the open list item that the indented
    paragraph starting at *line* belongs to (CommonMark: the innermost whose
    text column it reaches), or 0; and the column its text is at (the last
    one's on its line, "a" of "1. - a": code in it is 4 further in).  Worked out
    from the blocks above only when such a paragraph opens, so list items
    cost the splitter nothing more.  Walking back: the items still open are
    those indented less than every later one; a further paragraph (or a
    quote, code or a table in an item) closed the items above it whose text
    is right of it; any other block ends the list.  Of the items of one
    line ("1. - a") only the first holds paragraphs, as the export's list
    reading (``core.md_lists``) has it."""
    indent = len(line[:len(line) - len(line.lstrip())].expandtabs(4))
    limit = right = 1 << 30
    at = len(blocks)
    while at:
        b = blocks[at - 1]
        at -= 1
        if b.depth and (b.kind != "item" or b.content[:1] == ">"):
            # A further paragraph or a quote's block, in an item (or an
            # item nested in a quote outside the list: it ends at the quote,
            # whose lines are less indented than any item's text).
            para = lines[b.line - first_line]
            right = min(right, len(para[:len(para) - len(para.lstrip())].expandtabs(4)))
            continue
        if b.kind != "item" or b.content[:1] == ">":
            return 0, 0
        while at and blocks[at - 1].line == b.line and blocks[at - 1].kind == "item":
            at -= 1  # (the items of one line: the first is the one)
        item = lines[b.line - first_line]
        m = _ITEM_RE.match(item)
        mark_col = len(m.group(1).expandtabs(4))
        col = len(item[:m.end()].expandtabs(4)) if item[m.end():].strip() else mark_col + len(m.group(2)) + 1
        if mark_col < limit and col <= right:
            if col <= indent:
                if blocks[at] is not b:  # ("1. - a": code in it is 4 columns in from the text of "a", while open)
                    text = item_chain(item)[-1][2]
                    col = max(col, min(len(item[:len(item) - len(text)].expandtabs(4)), right))
                return blocks[at].depth + 1, col
            limit = mark_col
    return 0, 0


def unindented(lines: list[str], at: int, columns: int) -> list[str]:
    """The lines from *at* up to a blank line (a block quote ends there),
    less the *columns* of a list item's indentation where they have it (a
    lazy line without it as it is): a quote in the item, as its own."""
    out = []
    while at < len(lines) and lines[at].strip():
        line = lines[at]
        at += 1
        lead = line[:len(line) - len(line.lstrip(" \t"))]
        if "\t" in lead:
            line = lead.expandtabs(4) + line[len(lead):]
        out.append(line if line[:columns].strip(" ") else line[columns:])
    return out
