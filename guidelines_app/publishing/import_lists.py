"""Lists and block quotes of a Word import: which list (level, kind,
number) a paragraph is an item of, read from the numbering definitions
and counted as Word counts (``import_numbering``), and the Markdown lines
of list items and quotes, a list inside a quote written inside it
("> - item").

A list is inside a quote when its items have a quote's paragraph style:
this app's export writes them in "Quote List" (based on "Quote"), and a
Word user who puts bullets on a "Quote" paragraph means the same.

A quote's depth (a quote in a quote) is its indentation: the export moves
each quote in by the Quote style's indentation from what holds it.  A
quote, a code block or a table indented into an open list's item is in
that item, as the export draws it (``item_block``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from guidelines_app.publishing.docx.lists import ITEM_MARK
from guidelines_app.publishing.docx.oxml import list_indent
from guidelines_app.publishing.import_numbering import left_indent

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"

# Paragraph styles that are a block quote, and the export's list in one.
QUOTE_STYLES = ("Quote", "Intense Quote", "Block Text")
QUOTE_LIST_STYLE = "Quote List"


class EmptyItem(NamedTuple):
    """An empty numbered paragraph, waiting on what follows it."""

    numbering: tuple[int, bool, int, int | None]  # as ``_num`` gives it
    quoted: int  # the depth of the quote it is in
    num_id: str  # its list's numId


class ListsMixin:
    """Lists and quotes of the import's ``_Converter``: it holds ``lines``
    (the Markdown being written), ``part``, ``numbers`` (the lists,
    counted) and the open list's state (``in_list``, ``list_stack``,
    ``list_quoted``)."""

    # ---- items -----------------------------------------------------------------

    def list_item(self, numbering: tuple[int, bool, int, int | None], text: str, quoted: int = 0,
                  opens: tuple[int, bool | None, int] | None = None) -> None:
        """An item; *numbering* is (level, ordered?, the number its list
        starts at, the left indentation of its text in twips or None).
        *opens*: (level, ordered? or None when not known, number) of a new
        item this one's list starts (``opened_item``), when there is one.
        *quoted*: the depth of the quote the list is in (0: none)."""
        level, ordered, start, left = numbering
        if self.in_list and quoted != self.list_quoted:
            self.end_list()  # a list in a quote and one outside it are two lists
        if not self.in_list and self.lines and self.lines[-1] != "":
            self.lines.append("")
        if not self.in_list and quoted:
            self._join_quote(quoted, self.list_prefix)
        self.in_list, self.list_quoted = True, quoted
        mark = self.list_prefix + "> " * quoted
        opened_kind, opened_first = None, True
        if opens is not None and opens[0] < level:
            # The item at that level is a new one, not the open one: its
            # list's next item (of its kind), or one that starts a list.
            at = min(opens[0], len(self.list_stack))
            if at < len(self.list_kinds) and self.list_kinds[at] is not None and opens[1] in (None, self.list_kinds[at]):
                opened_kind, opened_first = self.list_kinds[at], False
            else:
                opened_kind = opens[1]
            del self.list_stack[at:], self.list_lefts[at:], self.list_kinds[at:]
            self.list_parents = {n: line for n, line in self.list_parents.items() if n < at}
            opens = (at, opened_kind, opens[2])
        else:
            opens = None
        if level < len(self.list_kinds) and self.list_kinds[level] is None:
            self._settle_parent(level, ordered, start)
        # The first item of its list at this level, or one of the other kind
        # (a bullet list, then a numbered one: two lists).
        first = len(self.list_stack) <= level or self.list_kinds[level] != ordered
        if first and ordered and start != 1 and level < len(self.list_stack):
            self.lines.append(mark.rstrip())  # (else "2." would run on as the line above's words)
        del self.list_stack[level:], self.list_lefts[level:], self.list_kinds[level:]
        self.list_parents = {at: line for at, line in self.list_parents.items() if at < level}
        indent = self.list_stack[-1] if self.list_stack else 0
        parents = ""
        while len(self.list_stack) < level:
            # An item with no item above it at the level over it.  In this
            # app's export that is an item that started with its sub-list
            # (written without an empty item): it opens with its own empty
            # parents ("- - item").  (Not in a quote, unless marked: there
            # such a list is most often that of a quote in an item.)
            # Elsewhere, it is indented by 2 a level, which reads as a list
            # of its own.
            at = len(self.list_stack)
            parent = (opens is not None and at >= opens[0]) or (self.ours and not quoted)
            kind = opened_kind if opens is not None and at == opens[0] else None
            if parent and kind is None:
                self.list_parents[at] = len(self.lines)
            if not parent:
                parents += "  "
            elif kind:
                parents += "1. " if not opened_first else f"{opens[2]}. "
            else:
                parents += "- "
            self.list_stack.append(indent + len(parents))
            # (its text's indentation: the export's, a level further out, so a
            # block in it is found there)
            self.list_lefts.append(left - _LEVEL * (level - at) if parent and self.ours and left is not None else None)
            self.list_kinds.append(kind if parent else False)  # (None: its kind is the next item's)
        marker = (f"{start}. " if first else "1. ") if ordered else "- "  # (a list "5., 6." began at 1)
        column = indent + len(parents) + len(marker)
        self.list_stack.append(column)
        self.list_lefts.append(left)
        self.list_kinds.append(ordered)
        self.lines.append(mark + " " * indent + parents + marker + text.replace("\n", "\n" + mark + " " * column))
        self.bare_item = len(self.lines) - 1 if not text else None

    def block_start(self, code: bool, style, numbering, left: int | None) -> int | None:
        """Where what holds a paragraph (*code*, or of paragraph *style*;
        numbered: *numbering*, from ``_num``) starts when it is indented on
        its own to *left* (twips): a quote's or code's in a list item, a
        list's in a quote in one; else None."""
        if left is None or not (code or self.quoted_style(style)):
            return None
        if code:
            return left
        if numbering is not None:
            return left - list_indent(numbering[0]) - self._quote_unit()
        return left - self._quote_unit() if style.name in QUOTE_STYLES else None

    def settle_empty(self, empty: EmptyItem, numbering, block_left: int | None,
                     goes_on: bool = False) -> tuple[int, bool, int] | None:
        """What an empty numbered paragraph (*empty*) is, now the next
        paragraph is known (its *numbering*, from ``_num``, or where it
        starts when a quote, code or a table indented on its own, else
        None; *goes_on*: it is a further paragraph of the open list's
        item): an empty item, written, when an item of its list at its
        level or above follows (Word counts it: the list goes on), a
        block indented into it or an item's further paragraph; otherwise
        nothing, its list ended (None), or the item a deeper item opens
        (``list_item``'s *opens*)."""
        level, left = empty.numbering[0], empty.numbering[3]
        if (numbering is not None and numbering[0] <= level and self.last_num_id == empty.num_id) or goes_on or (
                block_left is not None and left is not None and block_left >= left - _SLACK):
            self.list_item(empty.numbering, "", empty.quoted)
            return None
        if numbering is None or numbering[0] <= level:
            self.end_list()  # (nothing in it: its list ends there, as before)
            return None
        return empty.numbering[:3]

    def opened_item(self, p) -> int | None:
        """The level of the item that paragraph *p* (a list item) starts
        the sub-list of, as this app's export marks it (a hidden bookmark,
        ``ITEM_MARK``), or None."""
        levels = [int(m.group(1)) for b in p.iterchildren(f"{_W}bookmarkStart")
                  if (m := _ITEM_MARK_RE.match(b.get(f"{_W}name") or ""))]
        return min(levels) if levels else None

    def _settle_parent(self, level: int, ordered: bool, start: int) -> None:
        """An empty parent item ``list_item`` wrote as "- " takes the kind of
        the next item at its level: "1. - item" when that one is numbered
        (its number one before, as the export's numbering says it)."""
        at = self.list_parents.pop(level, None)
        self.list_kinds[level] = ordered
        if at is None or not ordered:
            return
        column = self.list_stack[level] - 2  # where its "- " is
        marker = f"{max(start - 1, 0)}. "
        shift = len(marker) - 2
        lines = "\n".join(self.lines[at:]).split("\n")
        lines[0] = lines[0][:column] + marker + lines[0][column + 2:]
        for n in range(1, len(lines)):  # what is in it moves along with its text
            if len(lines[n]) > column and not lines[n][:column].strip():
                lines[n] = lines[n][:column] + " " * shift + lines[n][column:]
        self.lines[at:] = lines
        self.list_stack[level] += shift

    def item_paragraph(self, text: str, left: int | None = None) -> None:
        """A further paragraph of an open list's item: the deepest one whose
        text it is indented as far as (*left*, twips), the last when not
        known; deeper lists end there."""
        at = len(self.list_stack) - 1
        while at > 0 and left is not None and self.list_lefts[at] is not None and left < self.list_lefts[at] - _SLACK:
            at -= 1
        self._close_below(at)
        mark = self.list_prefix + "> " * self.list_quoted
        indent = " " * (self.list_stack[-1] if self.list_stack else 0)
        self.lines.append(mark.rstrip())
        self.lines.append(mark + indent + text.replace("\n", "\n" + mark + indent))

    def _close_below(self, at: int) -> None:
        """The open list's levels deeper than *at* end."""
        del self.list_stack[at + 1:], self.list_lefts[at + 1:], self.list_kinds[at + 1:]
        self.list_parents = {n: line for n, line in self.list_parents.items() if n <= at}

    def item_at(self, left: int | None) -> int | None:
        """The level of the open list's item a block (a quote, code, a
        table) whose text starts at *left* (twips, its own indentation) is
        in: the deepest whose text it is indented as far as; None when it
        is not indented so far, or no list is open."""
        if not self.in_list or left is None:
            return None
        found = None
        for at, column in enumerate(self.list_lefts):
            if column is not None and left >= column - _SLACK:
                found = at
        return found

    def in_item(self, at: int, code: str, text: str, left: int | None) -> None:
        """A code paragraph (its lines indented as code, *code*) or else a
        quote's (*text*) in the open list's item at level *at*, indented
        on its own to *left* (twips): code in a quote in it too."""
        depth = self.code_quote_depth(left, self.list_lefts[at]) if code else 0
        if depth:
            self.item_quote(at, code, depth)
        elif code:
            self.item_block(at, code.split("\n"))
        else:
            self.item_quote(at, text, self.quote_depth(left, self.list_lefts[at]))

    def item_block(self, at: int, lines: list[str], first: bool = False) -> None:
        """A code block or a table (*lines*) in the open list's item at
        level *at*; *first*: it may start on the line of an item with
        nothing before it ("- | a | b |", as the item was written)."""
        self._close_below(at)
        mark = self.list_prefix + "> " * self.list_quoted
        indent = mark + " " * self.list_stack[at]
        if self._on_bare_item() and first:
            self.lines[-1] += lines[0]
            lines = lines[1:]
        else:
            self.lines.append(mark.rstrip())
        self.lines.extend((indent + line).rstrip() if line else mark.rstrip() for line in lines)

    def _on_bare_item(self) -> bool:
        """Whether the last line is an item with nothing on it yet (it is
        not empty after this)."""
        if self.bare_item != len(self.lines) - 1:
            return False
        self.bare_item = None
        return True

    def item_quote(self, at: int, text: str, depth: int) -> None:
        """A quote's paragraph (*depth* quotes in) in the open list's item
        at level *at*; right after one of the item's quotes it is that
        quote's next paragraph."""
        self._close_below(at)
        mark = self.list_prefix + "> " * self.list_quoted  # (a quote in a quote's list's item: "> - a" then ">   > quoted")
        indent = mark + " " * self.list_stack[at]
        prefix = indent + "> " * depth
        if "\n" not in text and self._on_bare_item():  # (the item starts with the quote: "- > quoted")
            self.lines[-1] += prefix[len(indent):] + text
            self.marker_quote = len(self.lines) - 1
            return
        self._unmark_quote(mark, len(indent))
        if not self._join_quote(depth, indent):
            self.lines.append(mark.rstrip())
        self.lines.append(prefix + text.replace("\n", "\n" + prefix))

    def _unmark_quote(self, mark: str, column: int) -> None:
        """A quote written on its item's line ("- > quoted", as the item
        was written) that goes on (another paragraph, a list in it) starts
        on a line of its own: the preview reads what follows such a line
        as code.  *mark*: what starts the list's lines (its quote's "> ");
        *column*: where the item's text starts."""
        end = len(self.lines)
        while end and self.lines[end - 1] == "":
            end -= 1
        if self.marker_quote is None or self.marker_quote != end - 1:
            return
        line = self.lines[end - 1]
        marker = line[:column].rstrip() + " "  # (an empty "- " is an empty item to the preview too: core.md_lists)
        self.lines[end - 1:end] = [marker, mark.rstrip(), mark + " " * (column - len(mark)) + line[column:]]
        self.marker_quote = None

    def quote_depth(self, left: int | None, base: int = 0) -> int:
        """How many quotes in a quote paragraph is whose own indentation is
        *left* (twips; None: the style's) in what has its text at *base*:
        the export moves each by the Quote style's indentation; in another
        program's file, a further Word indentation step (half an inch) is a
        quote in the one above."""
        unit = self._quote_unit()
        step = unit if self.ours and unit else 720
        if left is None:
            return 1
        return 1 + max(0, round((left - base - unit) / step))

    def code_quote_depth(self, left: int | None, base: int = 0) -> int:
        """How many quotes in a code paragraph of this app's export is whose
        own indentation is *left* in what has its text at *base* (twips):
        the export indents code in a quote as the quote's text."""
        unit = self._quote_unit()
        if not self.ours or not unit or left is None:
            return 0
        return max(0, round((left - base) / unit))

    def quoted_list_depth(self, style, numbering) -> int:
        """The depth of the quote a list item (*numbering*, from ``_num``)
        of paragraph *style* is in: 0 when not in one; in the export's
        file, its text's indentation less its list level's."""
        if not self.quoted_style(style):
            return 0
        unit, left = self._quote_unit(), numbering[3]
        if not self.ours or not unit or left is None:
            return 1
        return max(1, round((left - list_indent(numbering[0]) - self.prefix_left) / unit))

    def enter_quoted_list(self, style, numbering) -> None:
        """A list in a quote (an item of it, of paragraph *style*:
        *numbering*, from ``_num``) inside the open list's item, as the
        export draws it ("- a" then "  > - b"): the open list waits
        (``outer``) while this one is written in its item."""
        unit, left = self._quote_unit(), numbering[3]
        if self.list_quoted or not self.in_list or not self.ours or not unit or left is None or not self.quoted_style(style):
            return
        at = self.item_at(left - list_indent(numbering[0]) - unit)
        if at is None:
            return
        self._close_below(at)
        self._unmark_quote(self.list_prefix, len(self.list_prefix) + self.list_stack[at])
        self.outer.append((self.list_stack, self.list_lefts, self.list_kinds, self.list_parents, self.list_prefix,
                           self.prefix_left))
        self.list_prefix, self.prefix_left = self.list_prefix + " " * self.list_stack[at], self.list_lefts[at]
        self.list_stack, self.list_lefts, self.list_kinds, self.list_parents = [], [], [], {}
        self.in_list, self.list_quoted = False, 0

    def leave_quoted_list(self) -> bool:
        """The list in a quote in an item ends: the list around it goes on
        (``enter_quoted_list``).  Whether there was one."""
        if not self.outer:
            return False
        self.list_stack, self.list_lefts, self.list_kinds, self.list_parents, self.list_prefix, self.prefix_left = \
            self.outer.pop()
        self.in_list, self.list_quoted = True, 0
        self.lines.append("")
        return True

    def _quote_unit(self) -> int:
        """The Quote style's left indentation (twips), through the styles it is based on."""
        if self._unit is None:
            style = next((s for s in self.styles.values() if s.name == "Quote"), None)
            self._unit, seen = 0, 0
            while style is not None and seen < 20:
                indent = style.paragraph_format.left_indent
                if indent is not None:
                    self._unit = max(0, int(indent.twips))
                    break
                style, seen = style.base_style, seen + 1
        return self._unit

    def rule(self, left: int | None) -> None:
        """A rule across the page ("---"): in the open list's item whose
        text it is indented as far as (the export draws one there), else
        a block of its own.  (It was left out: a rule left no text.)"""
        if self.in_list and not self.list_quoted and left is not None and self.list_lefts \
                and left >= (self.list_lefts[0] or 0) - _SLACK:
            self.item_paragraph("---", left)
        else:
            self.end_list()
            self.emit("---")

    def ends_list(self, ppr) -> None:
        """This app's export ends a list with room after its last paragraph
        (``w:spacing w:after="160"``): an item after it, even a deeper one,
        is in another list."""
        if self.list_end_marked(ppr) and not self.leave_quoted_list():
            self.end_list()

    def list_end_marked(self, ppr) -> bool:
        spacing = ppr.find(f"{_W}spacing") if ppr is not None and self.ours else None
        return spacing is not None and spacing.get(f"{_W}after") == "160"

    def continues_item(self, name: str) -> bool:
        """Whether a paragraph of style *name* (not numbered, indented)
        carries the open list's last item on."""
        return self.in_list and (name == "List Paragraph" or (name == QUOTE_LIST_STYLE and self.list_quoted))

    def end_list(self) -> None:
        if self.in_list:
            self.lines.append("")
        self.in_list, self.list_quoted = False, 0
        self.list_stack, self.list_lefts, self.list_kinds = [], [], []
        self.list_parents = {}
        self.outer, self.list_prefix, self.prefix_left = [], "", 0

    # ---- quotes ----------------------------------------------------------------

    def emit_quote(self, text: str, depth: int = 1) -> None:
        """A quote's paragraph, *depth* quotes in; right after a quote (or
        a list in one) it is that quote's next paragraph, as the export
        wrote them, or a quote in it."""
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
        self._join_quote(depth)
        self.lines.append("> " * depth + text.replace("\n", "\n" + "> " * depth))
        self.lines.append("")

    def _join_quote(self, depth: int = 1, indent: str = "") -> bool:
        """The blank lines at the end of ``lines``, right after a quote's
        line (at *indent*), become one quote line (">", "> >" as deep as
        both it and the next quote, *depth*, are): what follows is in that
        quote.  Whether there was one."""
        end = len(self.lines)
        while end and self.lines[end - 1] == "":
            end -= 1
        before = _QUOTE_RE.match(self.lines[end - 1][len(indent):]) if end and self.lines[end - 1].startswith(indent) else None
        if before is None:
            return False
        self.lines[end:] = [(indent + "> " * min(depth, before.group(0).count(">"))).rstrip()]
        return True

    def quoted_style(self, style) -> bool:
        """Whether paragraph *style* (python-docx's) is a quote's, itself or
        through the styles it is based on."""
        seen = 0
        while style is not None and seen < 20:
            if style.name in QUOTE_STYLES or style.name == QUOTE_LIST_STYLE:
                return True
            style, seen = style.base_style, seen + 1
        return False

    # ---- numbering -------------------------------------------------------------

    def _num(self, ppr, style) -> tuple[int, bool, int, int | None] | None:
        """(level, ordered?, its number, the left indentation of its text:
        the paragraph's own, else its list level's) of a list item, read
        once per paragraph in order: its number counts on from the items
        of its list above it, as Word counts them (after a table or a
        quote in an item, the next item goes on with the next number)."""
        named, chain = style, []
        num_id = ilvl = None
        numprs = [ppr.find(f"{_W}numPr") if ppr is not None else None]
        while style is not None and len(chain) < 20:
            # (what the paragraph does not say, its style does: Word's numbered
            # "Heading 2" has its list in the style, its level maybe too)
            chain.append(style.style_id)
            sppr = style.element.find(f"{_W}pPr")
            numprs.append(sppr.find(f"{_W}numPr") if sppr is not None else None)
            style = style.base_style
        for numpr in numprs:
            if numpr is not None:
                num_id = num_id if num_id is not None else numpr.find(f"{_W}numId")
                ilvl = ilvl if ilvl is not None else numpr.find(f"{_W}ilvl")
        if num_id is None or _val(num_id) == "0":
            return None
        level = min(_int(_val(ilvl)) if ilvl is not None else 0, 8)
        if ilvl is None and named is not None:
            # Word's "List Bullet 2" and "List Number 3" styles are the levels
            # their names say (each is level 1 of a list of its own, drawn
            # further in); another style, the level tied to it (Word's
            # "Heading 2" to level 2 of the headings' list).
            found = self.numbers.lists.get(_val(num_id))
            tied = [at for at, lvl in sorted(found.levels.items()) if lvl.style and lvl.style in chain] if found else []
            m = _LIST_STYLE_LEVEL_RE.match(named.name or "")
            level = int(m.group(1)) - 1 if m else min(tied[0], 8) if tied else level
        ordered, _, left = self.numbers.level(_val(num_id), level)[:3]
        self.last_num_id = _val(num_id)
        own = left_indent(ppr)
        return level, ordered, self.numbers.count(_val(num_id), level), own if own is not None else left

    def heading_number(self, ppr, style) -> str:
        """The number Word shows before a heading ("3.", "2.1", "B."),
        counted with the rest of its list; "" for a heading not numbered."""
        numbering = self._num(ppr, style)
        return self.numbers.shown(self.last_num_id, numbering[0]) if numbering is not None else ""


def _val(el) -> str:
    return el.get(f"{_W}val") or ""


def _int(text: str | None, default: int = 0) -> int:
    return int(text) if text and text.isdigit() else default


def export_gap(ppr) -> bool:
    """Whether paragraph properties *ppr* are those of the export's gap
    (no room before or after) below a table or between two code blocks."""
    spacing = ppr.find(f"{_W}spacing") if ppr is not None else None
    return spacing is not None and spacing.get(f"{_W}before") == "0" and spacing.get(f"{_W}after") == "0"


# How much less than an item's text a further paragraph may be indented
# and still be that item's (twips: half a level of the export's lists).
_SLACK = 180
_LEVEL = list_indent(1) - list_indent(0)  # how much further in the export draws each level (twips)
_QUOTE_RE = re.compile(r"^(?:> ?)+")
_ITEM_MARK_RE = re.compile(re.escape(ITEM_MARK) + r"(\d)_\d+$")
_LIST_STYLE_LEVEL_RE = re.compile(r"^List (?:Bullet|Number|Continue|Paragraph)? ?([2-9])$")
