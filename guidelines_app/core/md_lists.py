"""The list normaliser: Markdown lists indented by 2 spaces (as GitHub and
most people write them) re-indented to the 4-column steps Python-Markdown
nests at, inside block quotes too (a top-level quote's and one in a list
item), before ``core.markup`` parses a body.  Line count is preserved.
"""

from __future__ import annotations

import re

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

    Blocks in an item as CommonMark reads them: a quote that starts on the
    item's line ("- > a") keeps its later lines, and fenced code written
    in an item becomes indented code in it (Python-Markdown reads fences
    only at the left margin; see ``_fenced_in_item``).
    """
    out: list[str] = []
    # Per open item: (content column as written, content column we emit,
    # whether its list is ordered).
    stack: list[tuple[int, int, bool]] = []
    fence: str | None = None
    fence_shift = 0
    blank_before = True
    block_is_text = False  # the current block (since a blank line) began as text
    taken_to = 0  # the end of a block quote's (or an item's code's) lines, normalised at once
    for n, line in enumerate(lines):
        if n < taken_to:
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
            taken_to = quote_end(lines, n)
            out.extend(_normalize_quote(lines[n:taken_to]))
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
        item = _ITEM_RE.match(line)
        if item and not (not stack and indent >= 4 and blank_before):
            in_list = bool(stack)
            sibling = None
            while stack and indent < stack[-1][0]:
                sibling = stack.pop()
            new_indent = stack[-1][1] if stack else 0
            _, marker, gap, opener = item.groups()
            content_col = indent + len(marker) + (len(gap) or 1)
            ordered = marker[-1] in ".)"
            stack.append((content_col, new_indent + 4, ordered))
            # (A quote just ended, outside lists: an item right under it is
            # no lazy line of it, in CommonMark; to Python-Markdown it was.)
            interrupts = not blank_before and (block_is_text and (gap or in_list)
                                               or (taken_to == n and not in_list and marker[0] in "-*+1"))
            # "1)" items followed by "-" items (or the reverse) are two
            # lists (CommonMark), as the diff reads them: a blank line
            # between them tells Python-Markdown so.
            kind_changes = not blank_before and sibling is not None and sibling[2] != ordered
            text = line[indent:]
            rest = line[item.end(3):]
            if (in_list or blank_before or (taken_to == n and marker[0] in "-*+1")) and not rest.strip():
                # An empty item ("-", "- ", "2."): Python-Markdown reads an
                # item only with a space after its marker, and "-" under a
                # line of text as that line's heading underline (it made
                # the item above a heading, "- " and all); "* " is an empty
                # item of the same list to it, as the outline and diff read it.
                # (Under a paragraph outside a list, "-" is that underline;
                # under a quote, an item.)
                text = ("*" if marker == "-" else marker) + " "
            head = ("\n" if interrupts or kind_changes else "") + " " * new_indent
            if opener:
                opened = _opened_on_item_line(lines, n, item, content_col, new_indent)
                if opened:
                    emitted, taken_to, blank_before = opened
                    out.append(head + emitted[0])
                    out.extend(emitted[1:])
                    block_is_text = False
                    continue
            out.append(head + text)
            blank_before = block_is_text = False
            continue
        if stack and line[indent] in "`~" and _fence_at(line, indent):
            keep = len(stack)
            while keep and indent < stack[keep - 1][0]:
                keep -= 1
            if keep and indent < stack[keep - 1][0] + 4:
                # Fenced code in the item whose text column it is at (up to
                # 3 columns in: CommonMark), as code in that item.
                del stack[keep:]
                code, taken_to = _fenced_in_item(lines, n, *stack[-1][:2])
                out.extend(code[1:] + [""] if blank_before else code)  # (a blank line before it)
                blank_before, block_is_text = True, False
                continue
        if stack and (ATX_HEADING_RE.match(line) or (line[indent] in "`~" and FENCE_RE.match(line)
                                                     and indent < stack[0][0])):
            # A heading written inside a list item ends the list, as the
            # outline and the diff read it: Python-Markdown reads none inside
            # an item (it would print its "#"s); so does a code fence left of
            # the list's text.
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
                    taken_to = n + quote_end(inner, 0)
                    for at, text in enumerate(_normalize_quote(inner[:taken_to - n])):
                        pad = " " * emitted if inner.unindented(at) else ""
                        out.append(pad + text.replace("\n", "\n" + pad))
                    blank_before, block_is_text = False, True  # (an item right after it is a new block)
                    continue
                line = _shift(line, shift)  # (a fence 4 columns in from the text: code, or the text's)
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


# A list item (``LIST_ITEM_RE``) and what may start a quote or fenced code
# on its line (group 4).
_ITEM_RE = re.compile(LIST_ITEM_RE.pattern + "([>`~])?")


def _opened_on_item_line(lines: list[str], n: int, item, written: int,
                         list_indent: int) -> tuple[list[str], int, bool] | None:
    """A block quote or fenced code that starts on the item's line *lines[n]*
    (*item*: its ``_ITEM_RE`` match; the item's text at column *written*,
    its list emitted at *list_indent*): its lines from the item's as
    emitted (less the list's indentation), the end of its lines, and
    whether a blank line ends them; None when it is neither."""
    line, at = lines[n], item.end(3)
    if line[at] == ">":
        # A quote that goes on ("- > a", "  > b"): the item's text is the
        # quote (CommonMark).  Python-Markdown reads its later lines as the
        # quote's only 0 to 3 columns in from the item's list (4 in, code).
        inner = _Unindented(lines, n, written, line[at:])
        end = n + quote_end(inner, 0)
        quoted = _normalize_quote(inner[:end - n])
        pad = " " * list_indent
        return ([line[len(line) - len(line.lstrip(" ")):at] + quoted[0]]
                + [(pad if inner.unindented(k) else "") + text.replace("\n", "\n" + pad)
                   for k, text in enumerate(quoted[1:], 1)], end, False)
    if _fence_at(line, at):
        # Code fenced on the item's line ("- ```"): the item, empty, then
        # the code in it (see _fenced_in_item).
        code, end = _fenced_in_item(lines, n, written, list_indent + 4, at)
        marker = item.group(2)
        return [("*" if marker == "-" else marker) + " ", *code[1:]], end, True
    return None


def _fence_at(line: str, column: int) -> bool:
    """Whether a code fence starts at *column* of *line* (a fence of
    backticks is none with a backtick after it: "```a```" is inline code)."""
    m = FENCE_RE.match(line[column:])
    return bool(m) and not (line[column] == "`" and "`" in line[column + m.end():])


def _fenced_in_item(lines: list[str], start: int, written: int, emitted: int,
                    column: int | None = None) -> tuple[list[str], int]:
    """The fenced code opened at *lines[start]* (its fence at *column*, by
    default the line's indentation) in a list item whose text is at column
    *written*, emitted at *emitted*; and the end of its lines.

    Python-Markdown reads fences only at the left margin, so the code
    becomes indented code in the item, line for line: the fences blank
    lines (the blank line before code in an item, and after it), each
    line of code 4 columns in from the item's text, less the fence's own
    indentation (CommonMark).  The code ends at its closing fence, or where
    the item ends (a line left of its text)."""
    first = lines[start]
    column = len(first) - len(first.lstrip(" ")) if column is None else column
    fence = FENCE_RE.match(first[column:]).group(1)
    cut = column - written
    pad = " " * (emitted + 4)
    out = [""]
    for n in range(start + 1, len(lines)):
        line = lines[n]
        text = line.lstrip(" ")
        if not text:
            out.append("")
            continue
        indent = len(line) - len(text)
        if indent < written:
            out[-1] += "\n"  # (indented code goes on up to a blank line)
            return out, n
        if indent < written + 4 and text.startswith(fence) and not text.rstrip().strip(fence[0]):
            out.append("")
            return out, n + 1
        out.append(pad + line[written + min(cut, indent - written):])
    return out, len(lines)


class _Unindented:
    """The lines of *lines* from *start* on, less the *columns* of an item's
    indentation where they have it (a lazy line without it is as it is):
    the inside of an item, read a line at a time.  *first*: the first line
    when it is not the line's end (an item's text after its marker)."""

    def __init__(self, lines: list[str], start: int, columns: int, first: str | None = None):
        self.lines, self.start, self.columns, self.first = lines, start, columns, first

    def __len__(self) -> int:
        return len(self.lines) - self.start

    def unindented(self, at: int) -> bool:
        return not self.lines[self.start + at][:self.columns].strip(" ") or (at == 0 and self.first is not None)

    def __getitem__(self, at):
        if isinstance(at, slice):
            return [self[n] for n in range(*at.indices(len(self)))]
        if at == 0 and self.first is not None:
            return self.first
        line = self.lines[self.start + at]
        return line[self.columns:] if self.unindented(at) else line


def _shift(line: str, shift: int) -> str:
    if shift > 0:
        return " " * shift + line
    if shift < 0:
        lead = len(line) - len(line.lstrip(" "))
        return line[min(lead, -shift) :]
    return line
