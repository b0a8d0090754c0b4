"""Formatting commands as pure text edits, so people who do not know Markdown
can use Bold, Italic, Heading and List from a menu.  The editor applies them
to the selected text; here they are plain functions that are easy to test."""

from __future__ import annotations

import re

_HEADING_RE = re.compile(r"^(\s{0,3})(#{1,6})[ \t]+")
_BULLET_RE = re.compile(r"^(\s*)[-*+][ \t]+")
_NUMBER_RE = re.compile(r"^(\s*)\d{1,9}[.)][ \t]+")


def toggle_inline(selected: str, marker: str) -> str:
    """Wrap the selection in *marker* (``**`` bold, ``*`` italic, `` ` `` code),
    or unwrap it if it is already wrapped.  Surrounding spaces stay outside so
    the result is valid Markdown."""
    if len(selected) >= 2 * len(marker) and selected.startswith(marker) and selected.endswith(marker):
        inner = selected[len(marker) : -len(marker)]
        if marker != "*" or not (inner.startswith("*") and inner.endswith("*")) or inner.startswith("**"):
            return inner
    stripped = selected.strip()
    if not stripped:
        return f"{marker}{marker}"
    lead = selected[: len(selected) - len(selected.lstrip())]
    trail = selected[len(selected.rstrip()) :]
    return f"{lead}{marker}{stripped}{marker}{trail}"


def set_heading(line: str, level: int) -> str:
    """Make *line* a heading of *level* (1-6), or plain text with level 0.
    Asking for the level it already has makes it plain text again."""
    m = _HEADING_RE.match(line)
    text = line[m.end() :] if m else line.lstrip()
    current = len(m.group(2)) if m else 0
    if level == 0 or level == current:
        return text
    return "#" * level + " " + text


def toggle_list(lines: list[str], ordered: bool) -> list[str]:
    """Turn lines into a bulleted or numbered list, or back into plain lines
    when they all already are that kind of list.  Blank lines stay blank."""
    pattern = _NUMBER_RE if ordered else _BULLET_RE
    filled = [ln for ln in lines if ln.strip()]
    if filled and all(pattern.match(ln) for ln in filled):
        return [pattern.sub(r"\1", ln, count=1) for ln in lines]
    out, n = [], 0
    for ln in lines:
        if not ln.strip():
            out.append(ln)
            continue
        indent = ln[: len(ln) - len(ln.lstrip())]
        text = _NUMBER_RE.sub("", _BULLET_RE.sub("", ln.lstrip(), count=1), count=1)
        n += 1
        out.append(f"{indent}{n}. {text}" if ordered else f"{indent}- {text}")
    return out


def make_link(selected: str, url: str) -> str:
    text = selected.strip() or url
    return f"[{text}]({url.strip()})"
