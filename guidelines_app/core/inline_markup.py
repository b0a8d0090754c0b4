"""Inline Markdown as a reader sees it, character by character, for views
that work on source text (the redlines and the compare view).

The diff compares Markdown source so that its word changes are exact; the
people reviewing a policy should still see **bold** as bold, a link as its
text, and no HTML tags or kramdown ``{:.no_toc}`` lines.  ``annotate`` maps
every source character to what it shows (its text, possibly "" for markup)
and its formatting; ``inline_diff.display_pieces`` applies that to a word
diff, so the inserted and deleted words keep their place and gain
formatting.

This is a small scanner, not a second Markdown parser: it covers what policy
documents use (emphasis, code, links, images, autolinks, entities, escapes,
inline HTML, attribute lists).  What it does not know stays visible as typed,
never dropped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from itertools import repeat

from guidelines_app.core.md_refs import REF_DEFS_RE, REF_USE_RE, current_references, reference_label

CELL = "\x1f"  # a table cell border in a row's display text


@dataclass(frozen=True)
class Fmt:
    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False
    link: str = ""  # the target URL of a link's text

    def with_(self, **kw) -> Fmt:
        # Asked per character of emphasised text: the formats made are kept
        # (a handful per document; frozen, so one object serves all).
        key = (self, *kw.items())
        found = _WITH.get(key)
        if found is None:
            if len(_WITH) > 4096:
                _WITH.clear()
            found = _WITH[key] = one_of(replace(self, **kw))
        return found


_WITH: dict[tuple, Fmt] = {}


def one_of(fmt: Fmt) -> Fmt:
    """The one object kept for *fmt*'s format (``with_`` and the rich
    surface's reading of a block make no other): lists of formats that are
    alike hold the same objects, and Python compares them without calling
    ``__eq__`` per character (the surface's writing compares a paragraph's
    formats several times)."""
    found = _ONE.get(fmt)
    if found is None:
        if len(_ONE) > 4096:  # (only a strange document has so many links)
            _ONE.clear()
        found = _ONE[fmt] = fmt
    return found


_ONE: dict[Fmt, Fmt] = {}
PLAIN = one_of(Fmt())
HIDDEN: tuple[str, Fmt] = ("", PLAIN)


@dataclass(frozen=True)
class Piece:
    """Display text of one kind (equal / insert / delete) and one format."""

    kind: str
    text: str
    fmt: Fmt = PLAIN


# The characters ``_Scanner.parse`` reads as more than themselves.
_SPECIAL_RE = re.compile(r"[\\`<&{\[!*_|]")
_PUNCT = frozenset("\\`*_{}[]()#+-.!|<>&\"'~:^=$%,;/?@")
_TAG_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s<>=/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'<>=`]+))?)*)\s*/?>")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_AUTOLINK_RE = re.compile(r"<((?:https?|ftp)://[^\s<>]+|mailto:[^\s<>]+|[^\s<>@]+@[^\s<>@]+\.[A-Za-z]{2,})>")
# A character reference as Python-Markdown reads it (preview and export): a
# named one with its ";", a number also without one when no letter or digit
# follows ("&#169 " shows "©"; "&#65b" is text).  The writers (the editor's,
# Word import's) escape an "&" where this reads one.
ENTITY_RE = re.compile(r"&(?:(?:#[0-9]+|#[xX][0-9a-fA-F]+)(?:;|(?!\w))|[A-Za-z][A-Za-z0-9]{1,31};)")
_ATTRS_RE = re.compile(r"\{:[^}\n]*\}|\{[#.][^}\n]*\}")
_FOOTNOTE_RE = re.compile(r"\[\^([^\]\s]{1,40})\]:?")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_ELEMENT_ENDS = frozenset("*_`)]")  # the last character of an emphasis, a code span, a link or an image
_HREF_RE = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_FENCE_LINE_RE = re.compile(r"^\s*(`{3,}|~{3,})")

_BOLD_TAGS = {"b", "strong", "mark"}
_ITALIC_TAGS = {"i", "em", "cite", "dfn", "var"}
_CODE_TAGS = {"code", "kbd", "samp", "tt"}
_STRIKE_TAGS = {"s", "del", "strike"}
_HIDDEN_CONTENT_TAGS = {"script", "style"}


def annotate(src: str, cells: bool = False) -> list[tuple[str, Fmt]]:
    """One (shown text, format) pair per character of *src*.  With *cells*,
    the "|" borders of a table row show as ``CELL``."""
    found = annotate_spans(src, cells)[0]
    return found.full() if isinstance(found, Written) else found


def annotate_spans(src: str, cells: bool = False) -> tuple[Written | list[tuple[str, Fmt]], list[tuple[int, int]]]:
    """``annotate`` as what its reading wrote (``Written``), and the spans
    of *src* it wrote (sorted, none overlapping): every character outside
    them shows as itself, unformatted (``PLAIN``), so a view can take those
    stretches whole rather than a character at a time."""
    refs = current_references()
    if refs and src[:4].lstrip()[:1] == "[" and REF_DEFS_RE.fullmatch(src):
        return [HIDDEN] * len(src), [(0, len(src))]  # link definitions: not text
    out = Written(src)
    quote = src.startswith(">") and not cells  # (a table's cell is never a quote: ">" there is text)
    _Scanner(src, out, cells).parse(0, len(src), PLAIN.with_(italic=True) if quote else PLAIN)
    if quote:
        # A block quote (its lines joined): the "> " markers are not text.
        for m in _QUOTE_MARK_RE.finditer(src):
            out[m.start() : m.end()] = [HIDDEN] * (m.end() - m.start())
    spans: list[tuple[int, int]] = []
    for lo, hi in sorted(out.spans):
        if spans and lo <= spans[-1][1]:
            if hi > spans[-1][1]:
                spans[-1] = (spans[-1][0], hi)
        elif lo < hi:
            spans.append((lo, hi))
    return out, spans


class Written:
    """An annotation as the scanner writes it: only the characters it wrote
    are kept (by position; markup is few of them), with the span of every
    write.  Every other character shows as itself, unformatted: a
    paragraph's annotation costs its markup, not a pair per character."""

    __slots__ = ("src", "marks", "spans")

    def __init__(self, src: str):
        self.src, self.marks, self.spans = src, {}, []

    def __len__(self) -> int:
        return len(self.src)

    def __getitem__(self, at: int) -> tuple[str, Fmt]:  # (the scanner reads one position at a time)
        found = self.marks.get(at)
        return found if found is not None else (self.src[at], PLAIN)

    def __setitem__(self, key, value) -> None:
        if key.__class__ is slice:
            start, stop, _step = key.indices(len(self.src))
            self.marks.update(zip(range(start, stop), value))
            self.spans.append((start, stop))
        else:
            at = key + len(self.src) if key < 0 else key
            self.marks[at] = value
            self.spans.append((at, at + 1))

    def chars(self, lo: int, hi: int) -> list[tuple[str, Fmt]]:
        """``annotate(src)[lo:hi]``."""
        marks, src = self.marks, self.src
        return [marks.get(k) or (src[k], PLAIN) for k in range(lo, hi)]

    def full(self) -> list[tuple[str, Fmt]]:
        """``annotate(src)``: a pair per character."""
        out = list(zip(self.src, repeat(PLAIN)))  # (a list comprehension takes longer)
        for at, value in self.marks.items():
            out[at] = value
        return out


_QUOTE_MARK_RE = re.compile(r"(?:^|(?<=\s))>+ ?")


def annotate_code(src: str) -> list[tuple[str, Fmt]]:
    """A fenced code block: its fence lines hidden, the rest monospaced."""
    code = PLAIN.with_(code=True)
    out = [(ch, code) for ch in src]
    lines = src.split("\n")
    if len(lines) >= 1 and _FENCE_LINE_RE.match(lines[0]):
        end = len(lines[0]) + (1 if len(lines) > 1 else 0)
        out[:end] = [HIDDEN] * end
        if len(lines) > 1 and _FENCE_LINE_RE.match(lines[-1]) and set(lines[-1].strip()) <= {"`", "~"}:
            start = len(src) - len(lines[-1])
            cut = start - 1 if start > end else start
            out[cut:] = [HIDDEN] * (len(src) - cut)
    return out


def display_text(src: str, cells: bool = False) -> str:
    if not has_markup_chars(src) and src[:1] != ">" and not (cells and "|" in src):
        return _tidy(src)  # no markup: every character shows as it is
    found, spans = annotate_spans(src, cells)
    if not isinstance(found, Written):
        return _tidy("".join([t for t, _f in found]))
    parts, at = [], 0
    for lo, hi in spans:  # what the reading did not write shows as written
        parts.append(src[at:lo])
        parts += [t for t, _f in found.chars(lo, hi)]
        at = hi
    parts.append(src[at:])
    return _tidy("".join(parts))


def _tidy(text: str) -> str:
    # (most texts hold no double space: one memchr scan, not a regex pass)
    return (re.sub(" {2,}", " ", text) if "  " in text else text).strip(" ")


class _Scanner:
    def __init__(self, src: str, out: list, cells: bool):
        self.s, self.out, self.cells = src, out, cells

    def hide(self, lo: int, hi: int) -> None:
        self.out[lo:hi] = [HIDDEN] * (hi - lo)

    def parse(self, lo: int, hi: int, fmt: Fmt) -> None:
        s, out = self.s, self.out
        tags: list[tuple[str, Fmt]] = []  # open inline HTML tags and the format before each
        delims: list[list] = []  # emphasis runs: [pos, char, length, can_open, can_close]
        i = lo
        while i < hi:
            ch = s[i]
            if ch == "\\" and i + 1 < hi and s[i + 1] in _PUNCT:
                out[i] = HIDDEN
                out[i + 1] = (s[i + 1], fmt)
                i += 2
                continue
            if ch == "`":
                i = self._code_span(i, hi, fmt)
                continue
            if ch == "<":
                found = self._angle(i, hi, fmt, tags)
                if found is not None:
                    i, fmt = found
                    continue
            elif ch == "&":
                end = self._entity(i, hi, fmt)
                if end is not None:
                    i = end
                    continue
            elif ch == "{":
                m = _ATTRS_RE.match(s, i, hi)
                # kramdown's "{:...}" anywhere (export drops its lines: markup.prepare); "{#id}" and
                # "{.class}" where Python-Markdown takes them (preview and export): at the end of
                # the text, or right after an element closes ("*so*{.note}").  Anywhere else they
                # are text both show: the editor hid a typed "a{.}b" there.
                if m and (s[i + 1] == ":" or not s[m.end():hi].strip() or (i > lo and s[i - 1] in _ELEMENT_ENDS)):
                    self.hide(i, m.end())
                    i = m.end()
                    continue
            elif ch == "[" or (ch == "!" and i + 1 < hi and s[i + 1] == "["):
                end = self._link(i, hi, fmt)
                if end is not None:
                    i = end
                    continue
            elif ch in "*_":
                n = _run_length(s, i, hi, ch)
                before = s[i - 1] if i > lo else " "
                after = s[i + n] if i + n < hi else " "
                can_open = not after.isspace() and (ch == "*" or not before.isalnum())
                can_close = not before.isspace() and (ch == "*" or not after.isalnum())
                for k in range(i, i + n):
                    out[k] = (s[k], fmt)
                if can_open or can_close:
                    delims.append([i, ch, n, can_open, can_close])
                i += n
                continue
            elif ch == "|" and self.cells:
                out[i] = (CELL, fmt)
                i += 1
                continue
            else:
                # A run of characters none of the branches above reads:
                # shown as they are, in one step.
                m = _SPECIAL_RE.search(s, i + 1, hi)
                end = m.start() if m else hi
                if fmt is not PLAIN:  # else ``annotate`` wrote them so already
                    out[i:end] = [(c, fmt) for c in s[i:end]]
                i = end
                continue
            out[i] = (ch, fmt)
            i += 1
        self._emphasis(delims)

    def _code_span(self, i: int, hi: int, fmt: Fmt) -> int:
        """A backtick run at ``i``: a code span up to the matching run, or
        the backticks as text.  Returns where scanning goes on."""
        s, out = self.s, self.out
        n = _run_length(s, i, hi, "`")
        close = _find_backticks(s, i + n, hi, n)
        if close < 0:
            for k in range(i, i + n):
                out[k] = (s[k], fmt)
            return i + n
        self.hide(i, i + n)
        self.hide(close, close + n)
        code = fmt.with_(code=True)
        a, b = i + n, close
        # One space just inside the backticks is padding.
        if b - a >= 2 and s[a] == " " and s[b - 1] == " ":
            out[a], out[b - 1] = HIDDEN, HIDDEN
            a, b = a + 1, b - 1
        for k in range(a, b):
            out[k] = (s[k], code)
        return close + n

    def _angle(self, i: int, hi: int, fmt: Fmt, tags: list[tuple[str, Fmt]]) -> tuple[int, Fmt] | None:
        """A ``<`` at ``i``: an HTML comment, an autolink or an inline tag
        (which opens or closes a format on ``tags``).  Returns where
        scanning goes on and the format from there, or None for a plain ``<``."""
        s, out = self.s, self.out
        m = _COMMENT_RE.match(s, i, hi)
        if m:
            self.hide(i, m.end())
            return m.end(), fmt
        m = _AUTOLINK_RE.match(s, i, hi)
        if m:
            url = m.group(1)
            if "@" in url and ":" not in url:
                url = "mailto:" + url
            self.hide(i, i + 1)
            self.hide(m.end() - 1, m.end())
            for k in range(i + 1, m.end() - 1):
                out[k] = (s[k], fmt.with_(link=url))
            return m.end(), fmt
        m = _TAG_RE.match(s, i, hi)
        if not m:
            return None
        self.hide(i, m.end())
        name = m.group(1).lower()
        closing = s[i + 1] == "/"
        if closing:
            for n in range(len(tags) - 1, -1, -1):
                if tags[n][0] == name:
                    fmt = tags[n][1]
                    del tags[n:]
                    break
        elif name == "br":
            out[i] = ("\n", fmt)
        elif not m.group(0).endswith("/>"):
            tags.append((name, fmt))
            fmt = _tag_format(name, m.group(2) or "", fmt)
        end = m.end()
        if not closing and name in _HIDDEN_CONTENT_TAGS:
            stop = s.lower().find(f"</{name}", end, hi)
            stop = hi if stop < 0 else stop
            self.hide(end, stop)
            end = stop
        return end, fmt

    def _entity(self, i: int, hi: int, fmt: Fmt) -> int | None:
        m = ENTITY_RE.match(self.s, i, hi)
        if not m:
            return None
        shown = html.unescape(m.group(0))
        if shown == m.group(0):
            return None
        self.hide(i, m.end())
        self.out[i] = (shown.replace("\xa0", " "), fmt)
        return m.end()

    def _link(self, i: int, hi: int, fmt: Fmt) -> int | None:
        """``[text](url)`` or ``![alt](src)`` at ``i``: the text stays, shown
        as a link (an image's alt text in italics); the rest is hidden."""
        s = self.s
        image = s[i] == "!"
        start = i + image
        if not image and s.startswith("[^", start):
            return self._footnote(start, hi, fmt)
        link = _link_at(s, start, hi)
        if link is None and not image:
            return self._reference(start, hi, fmt)
        if link is None or s.startswith("[^", start):
            return None
        text_end, url, end = link
        self.hide(i, start + 1)
        self.hide(text_end, end)
        self.parse(start + 1, text_end, fmt.with_(italic=True) if image else fmt.with_(link=url))
        return end

    def _footnote(self, i: int, hi: int, fmt: Fmt) -> int | None:
        """A footnote's mark "[^1]" (or its definition's "[^1]:") at ``i``,
        shown as export numbers it: "¹" (a label not a number: "[note]").
        The comparison and the Word redline showed the raw "[^1]"."""
        m = _FOOTNOTE_RE.match(self.s, i, hi)
        if m is None:
            return None
        label = m.group(1)
        self.hide(i, m.end())
        self.out[i] = (label.translate(_SUPERSCRIPT) if label.isdigit() else f"[{label}]", fmt)
        return m.end()

    def _reference(self, i: int, hi: int, fmt: Fmt) -> int | None:
        """``[text][ref]``, ``[text][]`` or ``[ref]`` at ``i`` naming a known
        definition: the text shown as a link to it, the brackets hidden."""
        refs = current_references()
        m = REF_USE_RE.match(self.s, i, hi) if refs else None
        if m is None:
            return None
        url = refs.get(reference_label(m.group(2) or m.group(1)))
        if url is None:
            return None
        self.hide(i, i + 1)
        self.hide(m.end(1), m.end())
        self.parse(i + 1, m.end(1), fmt.with_(link=url))
        return m.end()

    def _emphasis(self, delims: list[list]) -> None:
        """Pair * and _ runs (a simplified CommonMark rule) and apply bold
        (two) or italic (one) to the text between; unpaired ones stay."""
        out = self.out
        stack: list[list] = []  # openers: [pos, char, delimiters left, run length, can close too]
        for d in delims:
            pos, ch, n, can_open, can_close = d
            left = n
            both = can_open and can_close
            while can_close and left and stack:
                k = len(stack) - 1
                # CommonMark's rule of three: where either run could open and close, they
                # pair only if their lengths' sum is no multiple of 3 (unless both are):
                # "**Re*enter***" is bold "Re" and bold-italic "enter", not italic "Re".
                while k >= 0 and (stack[k][1] != ch or (
                        (both or stack[k][4]) and (stack[k][3] + n) % 3 == 0 and (stack[k][3] % 3 or n % 3))):
                    k -= 1
                if k < 0:
                    break
                opener = stack[k]
                del stack[k + 1:]
                use = 2 if opener[2] >= 2 and left >= 2 else 1
                o_end = opener[0] + opener[2]  # opener's delimiters are its last chars
                o_start = o_end - use
                c_start = pos + (n - left)
                for j in range(o_start, o_end):
                    out[j] = HIDDEN
                for j in range(c_start, c_start + use):
                    out[j] = HIDDEN
                key = "bold" if use == 2 else "italic"
                for j in range(o_end, c_start):
                    text, f = out[j]
                    if text:
                        out[j] = (text, f.with_(**{key: True}))
                opener[2] -= use
                left -= use
                if opener[2] == 0:
                    stack.pop(k)
            if left and can_open:  # (its last *left* characters: a closer uses a run's first)
                stack.append([pos + n - left, ch, left, n, can_close])


def _tag_format(name: str, attrs: str, fmt: Fmt) -> Fmt:
    if name in _BOLD_TAGS:
        return fmt.with_(bold=True)
    if name in _ITALIC_TAGS:
        return fmt.with_(italic=True)
    if name in _CODE_TAGS:
        return fmt.with_(code=True)
    if name in _STRIKE_TAGS:
        return fmt.with_(strike=True)
    if name == "a":
        m = _HREF_RE.search(attrs)
        if m:
            return fmt.with_(link=html.unescape(next(g for g in m.groups() if g is not None)))
    return fmt


def _run_length(s: str, i: int, hi: int, ch: str) -> int:
    n = i
    while n < hi and s[n] == ch:
        n += 1
    return n - i


def _find_backticks(s: str, i: int, hi: int, n: int) -> int:
    while True:
        k = s.find("`" * n, i, hi)
        if k < 0:
            return -1
        run = _run_length(s, k, hi, "`")
        if run == n:
            return k
        i = k + run


def _link_at(s: str, i: int, hi: int) -> tuple[int, str, int] | None:
    """For "[text](url "title")" at i: (index of "]", url, end)."""
    depth, k = 0, i
    while k < hi:
        c = s[k]
        if c == "\\":
            k += 2
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                break
        k += 1
    else:
        return None
    if k + 1 >= hi or s[k + 1] != "(":
        return None
    depth, j = 0, k + 1
    while j < hi:
        c = s[j]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                target = s[k + 2:j].strip()
                url = target.split()[0] if target else ""
                return k, url.strip("<>"), j + 1
        j += 1
    return None


# Characters that can start inline markup (see _Scanner.parse); text without
# any of them, single-spaced, shows exactly as written.
_MARKUP_CHARS_RE = re.compile(r"[\\`<&{\[*_]")


def has_markup_chars(text: str) -> bool:
    """``_MARKUP_CHARS_RE.search(text)``, as eight scans in C (memchr):
    ten times quicker on a paragraph, asked of every changed one."""
    return ("\\" in text or "`" in text or "<" in text or "&" in text or "{" in text or "[" in text
            or "*" in text or "_" in text)
