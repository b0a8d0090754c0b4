"""Housekeeping: a review date in the past, in-document links to headings
that do not exist, and links to workspace files that are missing."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from guidelines_app.core.inline_markup import display_text
from guidelines_app.core.outline import section_anchors
from guidelines_app.review.check.model import CheckContext, Finding, Rule

_LINK_RE = re.compile(r"(?<!!)\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REF_DEF_RE = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s|$)")
_HTML_ID_RE = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def review_date(ctx: CheckContext, rule: Rule) -> list[Finding]:
    due = ctx.doc.next_review
    if due is None or due >= ctx.today:
        return []
    days = (ctx.today - due).days
    return [ctx.finding(rule, None, due.isoformat(), title=f"The review date ({due.isoformat()}) is {days} day{'s' if days != 1 else ''} past")]


def _links(ctx: CheckContext):
    for n, line in enumerate(ctx.view.lines):
        if n in ctx.view.skipped:
            continue
        for m in _LINK_RE.finditer(line):
            yield n, m.start(2), m.end(2), m.group(2), m.group(1)
        m = _REF_DEF_RE.match(line)
        if m:
            yield n, m.start(2), m.end(2), m.group(2), m.group(1)


def _named(words: str, target: str) -> str:
    """A link as a reader knows it: by its words ("the link “crisis plan”"),
    the address after it for whoever mends it."""
    words = display_text(words).strip()
    return f"The link “{words}” ({target})" if words and not words.isdigit() else f"A link ({target})"


def links(ctx: CheckContext, rule: Rule) -> list[Finding]:
    view = ctx.view
    anchors = set(section_anchors(view.sections, view.lines))
    for line in view.lines:
        anchors.update(_HTML_ID_RE.findall(line))
        anchors.update(re.findall(r"\{#([\w:.-]+)\}", line))
    folder = (ctx.root / "guidelines") if ctx.root is not None else None
    found = []
    for n, start, end, target, words in _links(ctx):
        if target.startswith("#"):
            name = unquote(target[1:])
            if name and name not in anchors and name.lower() not in anchors:
                found.append(ctx.finding(rule, n, target, start, end,
                                         title=f"{_named(words, target)} goes to a heading this document does not have"))
            continue
        if _SCHEME_RE.match(target) or target.startswith(("/", "//")) or folder is None:
            continue  # a web address, or an address on the site the policy is published on
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if not path:
            continue
        resolved = (folder / path).resolve()
        inside = resolved == ctx.root.resolve() or ctx.root.resolve() in resolved.parents
        if not inside or not Path(resolved).exists():
            found.append(ctx.finding(rule, n, target, start, end,
                                     title=f"{_named(words, target)} goes to a page that is not in the workspace"))
    return found
