"""The Markdown a Word import writes: a paragraph's runs (text, bold,
italic, code, a link) as inline Markdown that reads back as the words
Word showed, escaped where Markdown would read them as markup.  The
converter that reads the Word file is ``import_docx``.
"""

from __future__ import annotations

import re

from guidelines_app.core.inline_markup import ENTITY_RE

# A line break (Shift+Enter in Word) as the editor writes one: two spaces
# at the line's end.
BREAK = "  \n"
# A footnote's mark ("fn:1") or way back ("fnref:1") in a piece's link place.
FOOTNOTE = "\x00footnote "
_ESCAPE_RE = re.compile(r"([\\`*_\[\]<>|{])")
# A blank answer's marker, escaped: written back as the questionnaire wrote
# it (the policy check finds it so), unless a "(", "[" or ":" after it would
# make it a link.
_ESCAPED_MARKER_RE = re.compile(r"\\\[(to be decided: [^\]\n\\]+)\\\](?![(\[:])")


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).replace("&amp;", "&")  # (as _escape wrote it)


def _escape(text: str) -> str:
    # (an "&" that preview and export would read as a character reference: "&#169 " is a "©")
    text = _ESCAPE_RE.sub(r"\\\1", ENTITY_RE.sub(lambda m: "&amp;" + m.group(0)[1:], text))
    text = _ESCAPED_MARKER_RE.sub(r"[\1]", text)
    # A line that would read as a list item or heading stays text: the mark
    # escaped (a number's dot: a backslash before a digit escapes nothing,
    # and "\\1. Personal accounts" showed its backslash).
    return re.sub(r"(?m)^(\s*)(?:(#|[-+](?=\s))|(\d+)([.)])(?=\s))",
                  lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)), text)


def render_pieces(pieces) -> str:
    # Merge neighbours with the same formatting first, so "**a****b**" never appears.
    merged: list[list] = []
    for text, bold, italic, code, link in pieces:
        if merged and merged[-1][1:] == [bold, italic, code, link]:
            merged[-1][0] += text
        else:
            merged.append([text, bold, italic, code, link])
    out = []
    n = 0
    while n < len(merged):
        text, bold, italic, code, link = merged[n]
        if link.startswith(FOOTNOTE):  # "[^1]" for a mark; the way back makes its paragraph the definition
            kind, _, label = link[len(FOOTNOTE):].partition(":")
            out.append(f"[^{label}]" if kind == "fn" else f"\x00[^{label}]")
            n += 1
            continue
        if link:
            group = []
            while n < len(merged) and merged[n][4] == link:
                group.append(merged[n][:4] + [""])
                n += 1
            label = render_pieces([tuple(g) for g in group]) or link
            out.append(f"[{label}]({link.replace(' ', '%20').replace(')', '%29').replace('|', '%7C')})")
            continue
        out.append(_format(text, bold, italic, code))
        n += 1
    result = "".join(out)
    return result.replace("\n", BREAK)


def _format(text: str, bold: bool, italic: bool, code: bool) -> str:
    if code and text.strip():
        ticks = "``" if "`" in text else "`"
        return f"{ticks}{text}{ticks}"
    body = _escape(text)
    if not (bold or italic) or not text.strip():
        return body
    # Markers hug the words: spaces stay outside.
    lead = body[: len(body) - len(body.lstrip())]
    trail = body[len(body.rstrip()):]
    core = body.strip()
    mark = "***" if bold and italic else ("**" if bold else "*")
    return f"{lead}{mark}{core}{mark}{trail}"


def footnote_definition(text: str) -> str | None:
    """A paragraph holding a footnote's way back (``render_pieces`` marks it)
    as that footnote's definition ("[^1]: The source must be public."); None
    for any other paragraph."""
    at = text.find("\x00[^")
    if at < 0:
        return None
    label = text[at + 3: text.index("]", at)]
    words = (text[:at] + text[text.index("]", at) + 1:]).strip()
    return f"[^{label}]: {words}"
