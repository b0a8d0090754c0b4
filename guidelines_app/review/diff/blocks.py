"""Stage 1 of the diff: a body as sections (one per heading) of blocks
(paragraphs, list items, table rows, code, HTML lines), with their line
numbers.

The diff's own fast splitter: line-based, one pass, no parse tree, because
it runs on both versions of a 40,000-word document at every comparison.  It
reads headings, list items, fences and setext underlines by the line rules
in ``core.md_lines``, the rules of the outline and of the preview and export
parser; tests/test_markdown_structure.py holds the readings equal.
"""

from __future__ import annotations

import re
from dataclasses import FrozenInstanceError
from typing import NamedTuple

from guidelines_app.core.md_lines import ATX_HEADING_RE, QUOTE_MARK_RE, metadata_block, quote_end, unquote
from guidelines_app.core.md_lines import FENCE_RE as _FENCE_RE
from guidelines_app.core.md_lines import LIST_ITEM_RE as _ITEM_RE
from guidelines_app.core.md_lines import SETEXT_UNDERLINE_RE as _SETEXT_RE
from guidelines_app.core.md_lines import THEMATIC_BREAK_RE as _BREAK_RE
from guidelines_app.core.outline import scan_headings
from guidelines_app.review.diff.definitions import DEFINITION, DEFINITION_RE, TERM, open_definition
from guidelines_app.review.diff.list_items import item_chain, owner, sub_item, unindented

_RULE_ROW_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PIPE_RE = re.compile(r"\s*(?<!\\)\|\s*")  # (not an escaped "\\|": a "|" in a cell)
_SPECIAL_FIRST = frozenset("-*+_0123456789|<`~>:")


class Block(NamedTuple):
    """One paragraph, list item, table row or code block.  A tuple: a long
    document has thousands, made and freed on every comparison."""

    kind: str  # paragraph, item, row, rule (table separator), code, html, meta ("Title:" lines)
    content: str  # whitespace-normalised text without the list marker
    line: int  # 0-based line in the body
    marker: str = ""  # "-" or "1." for list items (as written)
    depth: int = 0  # list nesting (0 = top level)

    @property
    def key(self) -> str:
        return self.content if self.kind in ("paragraph", "html") else f"{self.kind}\x00{self.content}"

    @property
    def ordered(self) -> bool:
        return self.marker[:1].isdigit()


class SectionText:
    """A heading's title and level ("" and 0 for the text before the first
    heading), its line (or 0), its blocks and which occurrence of the title
    it is.  Frozen; written out rather than a frozen dataclass, whose
    making cost every comparison in a fresh process half a millisecond."""

    def __init__(self, title: str, level: int, line: int, blocks: tuple[Block, ...], occurrence: int = 1):
        d = self.__dict__
        d["title"], d["level"], d["line"], d["blocks"], d["occurrence"] = title, level, line, blocks, occurrence

    def __setattr__(self, name, value=None):
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    __delattr__ = __setattr__

    def _fields(self) -> tuple:
        return (self.title, self.level, self.line, self.blocks, self.occurrence)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return "{}(title={!r}, level={!r}, line={!r}, blocks={!r}, occurrence={!r})".format(
            type(self).__qualname__, *self._fields())

    @property
    def key(self) -> tuple[str, int]:
        return (self.title.casefold(), self.occurrence)


_new_tuple = tuple.__new__
_new_object = object.__new__


def _section(title: str, level: int, line: int, blocks: tuple[Block, ...], occurrence: int) -> SectionText:
    sec = _new_object(SectionText)  # as SectionText(...), minus the call of __init__
    d = sec.__dict__
    d["title"], d["level"], d["line"], d["blocks"], d["occurrence"] = title, level, line, blocks, occurrence
    return sec


def normalize(text: str) -> str:
    return " ".join(text.split())


def _block(kind: str, content: str, line: int, marker: str = "", depth: int = 0) -> Block:
    return _new_tuple(Block, (kind, content, line, marker, depth))  # Block(...) without its Python __new__


def split_blocks(lines: list[str], first_line: int = 0, plain: bool = False) -> list[Block]:
    """Blocks of a run of body lines (no headings among them).  *plain*: the
    lines hold no whitespace but spaces (see ``_plain_spaces``).

    Long on purpose: it is the diff's hot loop, run over
    every line of both versions.  The closing of a paragraph or item is
    written once, inline: moved into a helper called per block, it cost 6%
    of the loop (measured on the 40,000-word benchmark document: 1.77
    against 1.68 ms)."""
    blocks: list[Block] = []
    add = blocks.append
    new, block = _new_tuple, Block  # block tuples made without _block's call: thousands per document
    special = _SPECIAL_FIRST
    line_stripped = None  # the open block's one line, when it has no space at either end
    # The open paragraph or list item (tables, HTML lines and code close at once).
    buf: list[str] | None = None
    kind, start, marker, depth = "", 0, "", 0
    fence: str | None = None
    # An indented code block's lines (CommonMark: 4 columns in, after a blank
    # line; in a list item, 4 columns in from its text), the columns its
    # lines are in by, its depth, and whether a list item is open above.
    icode: list[str] | None = None
    icode_start, icode_cut, icode_depth, in_list = 0, 4, 0, False
    numbered = enumerate(lines, first_line)
    for n, line in numbered:
        if fence is not None:
            buf.append(line)
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
                content = _fenced(buf)
                if content:
                    add(new(block, ("code", content, start, "", depth)))
                buf = None
            continue
        stripped = line.strip()
        if icode is not None:  # an indented code block: up to a line indented less
            if not stripped or (line[:4] == "    " or line[:1] == "\t") and (
                    icode_cut == 4 or len(line[:len(line) - len(line.lstrip())].expandtabs(4)) >= icode_cut):
                icode.append(line)
                continue
            _indented_code(add, icode, icode_start, icode_cut, icode_depth)
            icode = None
        elif (buf is None and not in_list and stripped and (line[:4] == "    " or line[:1] == "\t")
              and (n == first_line or not lines[n - first_line - 1].strip()) and not _ITEM_RE.match(line)):
            # (after a blank line: an HTML block such as <summary> goes on
            # over the indented lines right under it)
            icode, icode_start, icode_cut, icode_depth = [line], n, 4, 0
            continue
        if stripped:
            first = stripped[0]
            opens = False  # does the line start a block of its own?
            rule = False
            if first in special:
                m = _FENCE_RE.match(line) if first in "`~" else None
                if m:
                    item = None
                elif first in "-*_" and stripped[-1] == first and _BREAK_RE.match(stripped) is not None and (
                        in_list or (line[:4] != "    " and line[:1] != "\t")):
                    # A rule ("- - -", "***"): a block of its own, no list
                    # item, and it ends the paragraph above (CommonMark; the
                    # preview's reading).  (A rule ends in its mark: most
                    # "- item" lines are told without the regex.)
                    rule, item = True, None
                elif first == ">":
                    # A block quote (m is True), up to 3 spaces in, or
                    # further in under a list item (told below); not a line
                    # of an open list item's text, which it carries on.
                    item = None
                    m = (buf is None or kind != "item") and (
                        QUOTE_MARK_RE.match(line) is not None or (in_list and buf is None and line[:1] in " \t"))
                elif first in "-*+" and stripped[1:2] == " " and not stripped[2:3].isspace():
                    # The usual bullet ("- text"): what _ITEM_RE finds, without it.
                    item = (stripped[2:], first, line[:line.index(first)])
                else:
                    item = _ITEM_RE.match(line)
                    if item:
                        item = (line[item.end():], item.group(2), item.group(1))
                    elif first == ":":
                        # A definition (m is ":") under its term: the paragraph
                        # right above, or above a blank line (see definitions).
                        m = DEFINITION_RE.match(line) is not None and (
                            kind == "paragraph" if buf is not None else bool(blocks)) and ":"  # (at the start: text)
                        if m and buf is not None:
                            # (the open paragraph ends: as the term, or a definition before)
                            marker, tight = TERM if marker != DEFINITION else marker, marker != DEFINITION
                        else:
                            tight = False
                opens = rule or m or item or first in "|<"
            if not opens:  # text: it opens a paragraph or continues the open block
                if buf is None:
                    buf, kind, start, marker, depth = [line], "paragraph", n, "", 0
                    if in_list and line[:1] in " \t":
                        # An item's further paragraph: depth, its item's plus
                        # one; or 0, not indented enough, and the list ends.
                        depth, column = owner(blocks, lines, first_line, line)
                        if depth and line[column:column + 4] == "    " and not lines[n - first_line - 1].strip():
                            # 4 columns in from the item's text, after a
                            # blank line: code in the item (it was read as
                            # a paragraph, its lines run together).
                            icode, icode_start, icode_cut, icode_depth, buf = [line], n, column + 4, depth, None
                            continue
                    in_list = depth > 0
                    line_stripped = stripped if stripped is line else None
                else:
                    buf.append(line)
                    if stripped is not line and line[-1] == " ":
                        line_stripped = None  # (a line break, maybe: only one line's block reads it else)
                continue
        # A blank line or a new block: the open paragraph or list item ends.
        if buf is not None:
            if len(buf) > 1:
                content = " ".join(buf)
                # A line break, "  " or "\\" at a line's end, maybe (a line
                # with a space at its end is noted as it comes, see above;
                # an item's first line is its text, stripped).
                if line_stripped is not None and "\\" not in content and (
                        kind != "item" or lines[start - first_line][-1] != " "):
                    content = " ".join(content.split())
                else:
                    content = _broken(buf, lines[start - first_line])
            else:
                content = buf[0]
                # Most blocks are one line that is normalised already: no
                # space at either end, no double space and (plain, or
                # printable) no whitespace but plain spaces.
                if content is not line_stripped or "  " in content or not (plain or content.isprintable()):
                    content = " ".join(content.split())
            if content or kind == "item":
                add(new(block, (kind, content, start, marker, depth)))
            buf = None
        if not stripped:
            continue
        # (a rule or a table indented to a list item's text is in it)
        inside = (owner(blocks, lines, first_line, line)[0]
                  if in_list and line[:1] in " \t" and (rule or first == "|") else 0)
        if rule:
            # (a paragraph, as "---" alone always was, that ``THEMATIC_BREAK_RE`` tells)
            in_list = inside > 0
            add(new(block, ("paragraph", " ".join(stripped.split()), n, "", inside)))
        elif m is True:
            at = n - first_line
            held, col = owner(blocks, lines, first_line, line) if in_list and line[:1] in " \t" else (0, 0)
            inner = unindented(lines, at, col) if held else None
            if not QUOTE_MARK_RE.match(inner[0] if held else line):
                # Text after all: 4 columns or more past the text of the
                # list item holding it (or of none, and no list item does).
                buf, kind, start, marker, depth, line_stripped = [line], "paragraph", n, "", held, None
                in_list = held > 0
                continue
            if held:
                # A quote in a list item: its lines less the item's
                # indentation, its blocks under the item as the export
                # shows them; the list goes on after it.
                end = at + quote_end(inner, 0)
                _quote(add, inner[:end - at], n, plain, held)
            else:
                end = quote_end(lines, at)
                _quote(add, lines[at:end], n, plain)
                in_list = False  # (a quote that no list item holds ends the list)
            for _ in range(end - at - 1):  # (its lines are read)
                next(numbered)
        elif m:
            if m == ":":  # a definition
                text, depth = open_definition(blocks, lines, first_line, n, tight)
                buf, kind, start, marker, line_stripped = [text], "paragraph", n, DEFINITION, None
                in_list = depth > 0
            else:
                # Fenced code: in the list item whose text it is indented to
                # (as the preview reads it, core.md_lists), else at the margin.
                fence = m.group(1)
                depth = owner(blocks, lines, first_line, line)[0] if in_list and line[:1] in " \t" else 0
                buf, kind, start, marker, in_list = [line], "code", n, "", depth > 0
        elif item:
            in_list = True
            text, marker, lead = item
            buf, kind, start = [text], "item", n
            line_stripped = text if text == text.strip() else None
            depth = len(lead.expandtabs(4)) // 2 if lead else 0
            if text[:1] in special and sub_item(text, stripped):
                # An item whose text starts with a list ("1. - nested"):
                # an item with no text of its own, holding that list.
                chain = item_chain(line)
                for mark_col, sub_marker, _text in chain[1:]:
                    add(new(block, ("item", "", n, marker, depth)))
                    marker, depth = sub_marker, mark_col // 2
                buf[0], line_stripped = chain[-1][2], None
        elif first == "|":
            _table_line(add, stripped, n, inside)
        else:
            add(new(block, ("html", " ".join(stripped.split()), n, "", 0)))
    if icode is not None:
        _indented_code(add, icode, icode_start, icode_cut, icode_depth)
    if buf is not None:
        if fence is not None:
            content = _fenced(buf)
        else:
            content = " ".join(buf)
            if line_stripped is not None and "\\" not in content and (
                    kind != "item" or lines[start - first_line][-1] != " "):  # (no line break: see above)
                content = " ".join(content.split())
            else:
                content = _broken(buf, lines[start - first_line])
        if content or kind == "item":
            add(new(block, (kind, content, start, marker, depth)))
    return blocks


def _broken(lines: list[str], first: str) -> str:
    """The content of a paragraph or list item whose *lines* hold a line
    break (a line that ends in two spaces, or in a backslash, before
    another line: the preview and the export start a new line there): its
    words single-spaced, a "\\n" in place of the space at each break (the
    break's backslash taken off).  The words are the same as without the
    breaks (``str.split`` reads "\\n" as a space), so the comparison
    aligns them as before and a break added or removed changes that space
    only (``breaks.BrokenAlignment``).  Without a break, the words
    single-spaced.  *first*: the block's first line as written (a list
    item's first line in *lines* is its text, maybe stripped)."""
    out: list[str] = []
    last = len(lines) - 1
    for n, line in enumerate(lines):
        words = line.split()
        brk = False
        if n < last:
            if n == 0:
                line = first
            if line[-2:] == "  ":
                brk = True
            elif line[-1:] == "\\" and (len(line) - len(line.rstrip("\\"))) % 2:  # (not an escaped backslash)
                brk = True
                words[-1] = words[-1][:-1]
                if not words[-1]:
                    words.pop()
        if words:
            out += [" ".join(words), "\n" if brk else " "]
        elif brk and out:
            out[-1] = "\n"
    return "".join(out[:-1])


def _quote(add, lines: list[str], n: int, plain: bool, inside: int = 0) -> None:
    """Add the blocks of the block quote of *lines* (from line *n*): its
    inside, the ">" marks taken off, read as a body of its own, so a list
    in it is items as the export shows them.  Its paragraphs and items keep
    a leading "> " in their content: that is what says they are quoted
    (``core.inline_markup`` shows it as a quote, without the mark).  In a
    list item (*inside*: its depth plus one, as for its further
    paragraphs) each block is deeper by as much."""
    inner = unquote(lines)
    for b in split_blocks(inner, n, plain):
        if b.kind in ("paragraph", "item") or inside:
            b = _new_tuple(Block, (b.kind, (f"> {b.content}" if b.content else ">") if b.kind in ("paragraph", "item")
                                   else b.content, b.line, b.marker, b.depth + inside))
        add(b)


def _fenced(lines: list[str]) -> str:
    """A fenced code block's content: its lines, the fence's indentation
    taken off each (as the preview takes it off: a fence written in a list
    item's text)."""
    cut = len(lines[0]) - len(lines[0].lstrip(" "))
    if cut:
        lines = [line[min(cut, len(line) - len(line.lstrip(" "))):] for line in lines]
    return "\n".join([ln.rstrip() for ln in lines]).strip("\n")


def _indented_code(add, lines: list[str], n: int, cut: int = 4, depth: int = 0) -> None:
    """Add the indented code block of *lines* (from line *n*), its *cut*
    columns of indentation taken off (4, or in a list item at *depth*, 4
    from its text), as the export shows it."""
    code = [line.expandtabs(4)[cut:].rstrip() for line in lines]
    while code and not code[-1]:
        code.pop()
    add(_new_tuple(Block, ("code", "\n".join(code), n, "", depth)))


def _table_line(add, stripped: str, n: int, depth: int = 0) -> None:
    """Add a table row (or the separator row under the header) at line
    *n*; *depth*: in a list item, as its further paragraphs."""
    content = " ".join(stripped.strip("|").split())
    if "--" in stripped and _RULE_ROW_RE.match(stripped):  # (a separator has "--": most rows are told without the regex)
        if content:
            add(_new_tuple(Block, ("rule", content, n, "", depth)))
        return
    if content.count("|") != content.count(" | "):  # else every "|" has its spaces already
        content = " ".join(_PIPE_RE.sub(" | ", content).split())  # "a || b": an empty cell
    if content:
        add(_new_tuple(Block, ("row", content, n, "", depth)))


def _plain_spaces(body: str) -> bool:
    """Whether *body* holds no whitespace but spaces and newlines: then a
    line's text needs no per-block ``isprintable`` scan.  Answered only for
    ASCII text (``isascii`` costs nothing, each ``in`` is one memchr)."""
    return body.isascii() and not any(c in body for c in "\t\x0b\x0c\r\x1c\x1d\x1e\x1f")


def split_sections(body: str) -> list[SectionText]:
    """The text before the first heading, then one entry per heading with
    the blocks up to the next heading of any level."""
    lines, runs = _runs(body)
    return _sections(body, lines, runs, [""] * len(runs), set())


class _LazySection(SectionText):
    """A section whose lines the other version has too, word for word: its
    blocks are split only when someone looks at them (the comparison never
    does; the pages of the compare window do, after the first paint)."""

    @property
    def blocks(self) -> tuple[Block, ...]:
        d = self.__dict__
        found = d.get("_blocks")
        if found is None:
            # (the run is kept: a view on another thread may ask at the same time)
            lines, start, end, plain = d["_run"]
            found = d["_blocks"] = tuple(split_blocks(lines[start:end], start, plain))
        return found

    def __eq__(self, other: object) -> bool:  # equal to a SectionText of the same fields
        if not isinstance(other, SectionText):
            return NotImplemented
        return ((self.title, self.level, self.line, self.blocks, self.occurrence)
                == (other.title, other.level, other.line, other.blocks, other.occurrence))

    __hash__ = SectionText.__hash__


def _lazy_section(title: str, level: int, line: int, run: tuple, occurrence: int) -> _LazySection:
    sec = _new_object(_LazySection)
    d = sec.__dict__
    d["title"], d["level"], d["line"], d["_run"], d["occurrence"] = title, level, line, run, occurrence
    return sec


def _runs(body: str) -> tuple[list[str], list[tuple[str, int, int, int, int]]]:
    """One pass over the lines, no block split: (the lines, and per heading
    (title, level, heading line, first and end line of its text))."""
    lines = body.split("\n")
    heads = scan_headings(lines)
    runs = []
    for n, (line, level, title) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        start = line + 1
        # A setext heading's underline belongs to the heading.
        if start < len(lines) and _SETEXT_RE.match(lines[start]) and not ATX_HEADING_RE.match(lines[line]):
            start += 1
        runs.append((title, level, line, start, end))
    return lines, runs


def split_pair(old_body: str, new_body: str) -> tuple[list[SectionText], list[SectionText]]:
    """``split_sections`` of two versions, the work bounded by what changed:
    one cheap pass finds each heading's lines, and a section whose lines
    the other version has too (the same text, wherever it is) is not split
    into blocks (``_LazySection``: split when asked).  ``same_text`` tells
    which pairs hold the same lines."""
    if old_body == new_body:  # only the details changed: the body is read once
        lines, runs = _runs(old_body)
        texts = ["\n".join(lines[start:end]) for _t, _l, _h, start, end in runs]
        old = _sections(old_body, lines, runs, texts, set(texts))
        return old, old
    old_lines, old_runs = _runs(old_body)
    new_lines, new_runs = _runs(new_body)
    old_texts = ["\n".join(old_lines[start:end]) for _t, _l, _h, start, end in old_runs]
    new_texts = ["\n".join(new_lines[start:end]) for _t, _l, _h, start, end in new_runs]
    old_set, new_set = set(old_texts), set(new_texts)
    old = _sections(old_body, old_lines, old_runs, old_texts, new_set)
    new = _sections(new_body, new_lines, new_runs, new_texts, old_set)
    return old, new


def same_text(old: SectionText, new: SectionText) -> bool:
    """Whether two sections of ``split_pair`` hold the same lines under
    their headings (then every block is the same: nothing to compare)."""
    a, b = old.__dict__, new.__dict__
    return "_text" in a and a.get("_text") == b.get("_text")


def _sections(body: str, lines: list[str], runs: list, texts: list[str], other: set[str]) -> list[SectionText]:
    plain = _plain_spaces(body)
    out: list[SectionText] = []
    first = runs[0][2] if runs else len(lines)
    pre = _pre_blocks(lines, first, plain)
    if pre:
        out.append(_section("", 0, 0, pre, 1))
    seen: dict[str, int] = {}
    for (title, level, line, start, end), text in zip(runs, texts):
        key = title.casefold()
        seen[key] = seen.get(key, 0) + 1
        if text in other:
            sec = _lazy_section(title, level, line, (lines, start, end, plain), seen[key])
            sec.__dict__["_text"] = text
        else:
            sec = _section(title, level, line, tuple(split_blocks(lines[start:end], start, plain)), seen[key])
        out.append(sec)
    return out


def _pre_blocks(lines: list[str], first: int, plain: bool) -> tuple[Block, ...]:
    """The blocks before the first heading (line *first*), a "Title: ..."
    metadata block among them read as the document's details."""
    pre = tuple(split_blocks(lines[:first], 0, plain))
    if pre and pre[0].kind == "paragraph" and lines[pre[0].line][:1].isalpha():
        meta_start, meta_end = metadata_block(lines[:first])
        if meta_end and pre[0].line == meta_start:
            # A "Title: ..." metadata block: the document's details, which
            # the export prints on its title page, not as text.
            pre = (_block("meta", pre[0].content.replace("\n", " "), pre[0].line),) + pre[1:]
    return pre
