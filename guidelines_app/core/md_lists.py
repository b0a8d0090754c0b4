"""The list normaliser: Markdown lists indented by 2 spaces (as GitHub and
most people write them) re-indented to the 4-column steps Python-Markdown
nests at, inside block quotes too (a top-level quote's and one in a list
item), before ``core.markup`` parses a body.  Line count is preserved.
"""

from __future__ import annotations

from guidelines_app.core.md_lines import (
    ATX_HEADING_RE,
    FENCE_RE,
    LIST_ITEM_RE,
    QUOTE_MARK_RE,
    THEMATIC_BREAK_RE,
    quote_end,
)


def normalize_lists(lines: list[str]) -> list[str]:
    """Re-indent nested list items to the 4-column steps Python-Markdown wants.

    A list item is nested under the previous one when it starts at or beyond
    the previous item's content column (CommonMark's rule), so 2-, 3- and
    4-space nesting all work.  Lines that continue an item are shifted by the
    same amount; everything outside lists is left alone.

    A list that interrupts a paragraph (no blank line before it, as GitHub
    allows) gets a blank line, carried inside the same list element so line
    numbers stay valid.

    Long on purpose: one pass over the lines whose branches share their
    state (the open items, an open fence, the blank line before); split into
    helpers, each would take and hand back most of it.
    """
    out: list[str] = []
    # Per open item: (content column as written, content column we emit,
    # whether its list is ordered).
    stack: list[tuple[int, int, bool]] = []
    fence: str | None = None
    fence_shift = 0
    blank_before = True
    block_is_text = False  # the current block (since a blank line) began as text
    quoted_to = 0  # the end of a block quote's lines, normalised at once
    for n, line in enumerate(lines):
        if n < quoted_to:
            continue
        if fence is not None:
            out.append(_shift(line, fence_shift))
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            continue
        if not line.strip():
            out.append(line)
            blank_before = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent < 4 and line[indent] == ">" and (not stack or (blank_before and indent < stack[0][0])):
            # A block quote outside any list (a quote after a blank line
            # ends the list above): its inside is Markdown of its own, whose
            # lists nest by the same rule.
            quoted_to = quote_end(lines, n)
            out.extend(_normalize_quote(lines[n:quoted_to]))
            stack.clear()
            blank_before = block_is_text = False
            continue
        if (stack or LIST_ITEM_RE.match(line)) and THEMATIC_BREAK_RE.match(line[indent:]):
            keep = len(stack)
            while keep and indent < stack[keep - 1][0]:
                keep -= 1
            if indent - (stack[keep - 1][0] if keep else 0) < 4:
                # A rule ("- - -", "***"), not a list item: in the item
                # whose text column it reaches, moved with it; the items
                # right of it end.  (A blank line before "---" that ends
                # one: else Python-Markdown reads the item's text above
                # it as a heading.)
                ended = keep < len(stack) and not blank_before and set(line.strip()) == {"-"}
                del stack[keep:]
                if stack:
                    line = _shift(line, stack[-1][1] - stack[-1][0])
                out.append(("\n" if ended else "") + line)
                blank_before, block_is_text = True, False  # (a block of its own, as a heading)
                continue
        item = LIST_ITEM_RE.match(line)
        if item and not (not stack and indent >= 4 and blank_before):
            in_list = bool(stack)
            sibling = None
            while stack and indent < stack[-1][0]:
                sibling = stack.pop()
            new_indent = stack[-1][1] if stack else 0
            marker, gap = item.group(2), item.group(3) or " "
            content_col = indent + len(marker) + len(gap)
            ordered = marker[-1] in ".)"
            stack.append((content_col, new_indent + 4, ordered))
            interrupts = not blank_before and block_is_text and item.group(3)
            # "1)" items followed by "-" items (or the reverse) are two
            # lists (CommonMark), as the diff reads them: a blank line
            # between them tells Python-Markdown so.
            kind_changes = not blank_before and sibling is not None and sibling[2] != ordered
            text = line[indent:]
            if (in_list or blank_before) and not line[item.end():].strip():
                # An empty item ("-", "- ", "2."): Python-Markdown reads an
                # item only with a space after its marker, and "-" under a
                # line of text as that line's heading underline (it made
                # the item above a heading, "- " and all); "* " is an empty
                # item of the same list to it, as the outline and diff read it.
                # (Under a paragraph outside a list, "-" is that underline.)
                text = ("*" if marker == "-" else marker) + " "
            out.append(("\n" if interrupts or kind_changes else "") + " " * new_indent + text)
            blank_before = block_is_text = False
            continue
        if stack and (ATX_HEADING_RE.match(line) or FENCE_RE.match(line)):
            # A heading or a code fence written inside a list item ends the
            # list, as the outline and the diff read it: Python-Markdown
            # reads neither inside an item (the heading would print its
            # "#"s, the fence would become inline code).
            stack.clear()
            m = FENCE_RE.match(line)
            if m:
                fence, fence_shift = m.group(1), -indent
            out.append(("" if blank_before else "\n") + line[indent:])
            blank_before, block_is_text = not m, False  # a heading is a block of its own
            continue
        if blank_before:
            block_is_text = True
        if stack:
            # A line that continues a list item: belongs to the deepest item
            # whose content column it reaches.
            while stack and indent < stack[-1][0]:
                if not blank_before:
                    break  # lazy continuation of a paragraph
                stack.pop()
            if stack:
                written, emitted, _ordered = stack[-1]
                shift = emitted - written if indent >= written else 0
                if blank_before and written <= indent < written + 4 and line[indent] == ">":
                    # A block quote in the item: its lists nest by the same
                    # rule inside its marks, and it moves with the item.
                    inner = _Unindented(lines, n, written)
                    quoted_to = n + quote_end(inner, 0)
                    for at, text in enumerate(_normalize_quote(inner[:quoted_to - n])):
                        pad = " " * emitted if inner.unindented(at) else ""
                        out.append(pad + text.replace("\n", "\n" + pad))
                    blank_before, block_is_text = False, True  # (an item right after it is a new block)
                    continue
                line = _shift(line, shift)
                m = FENCE_RE.match(line)
                if m:
                    fence, fence_shift = m.group(1), shift
        if not stack and line[:1] in "`~":
            # Fenced code outside lists (Python-Markdown reads fences at
            # the left margin only): its "- " lines are not list items.
            m = FENCE_RE.match(line)
            if m:
                fence, fence_shift = m.group(1), 0
        out.append(line)
        blank_before = False
    return out


def _normalize_quote(lines: list[str]) -> list[str]:
    """A block quote's lines normalised inside their "> " marks (a lazy
    line without a mark is taken as it is)."""
    marks = [m.group(0) if (m := QUOTE_MARK_RE.match(line)) else "" for line in lines]
    inner = normalize_lists([line[len(mark):] for line, mark in zip(lines, marks, strict=True)])
    # (a blank line the normaliser put before a list is a quote's line too)
    return [mark + text.replace("\n", "\n" + (mark or ">")) for mark, text in zip(marks, inner, strict=True)]


class _Unindented:
    """The lines of *lines* from *start* on, less the *columns* of an item's
    indentation where they have it (a lazy line without it is as it is):
    the inside of an item, read a line at a time."""

    def __init__(self, lines: list[str], start: int, columns: int):
        self.lines, self.start, self.columns = lines, start, columns

    def __len__(self) -> int:
        return len(self.lines) - self.start

    def unindented(self, at: int) -> bool:
        return not self.lines[self.start + at][:self.columns].strip(" ")

    def __getitem__(self, at):
        if isinstance(at, slice):
            return [self[n] for n in range(*at.indices(len(self)))]
        line = self.lines[self.start + at]
        return line[self.columns:] if self.unindented(at) else line


def _shift(line: str, shift: int) -> str:
    if shift > 0:
        return " " * shift + line
    if shift < 0:
        lead = len(line) - len(line.lstrip(" "))
        return line[min(lead, -shift) :]
    return line
