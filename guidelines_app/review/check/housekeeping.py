"""Housekeeping: a review date in the past, a review interval too long
for social media (the details' "review every … months", or the text's
"reviewed every three years"), in-document links to headings that do not
exist, and links to workspace files that are missing."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from guidelines_app.core.inline_markup import display_text
from guidelines_app.core.outline import section_anchors
from guidelines_app.core.wording import long_day, plural
from guidelines_app.review.check.model import CheckContext, Finding, Rule, sentences

_LINK_RE = re.compile(r"(?<!!)\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REF_DEF_RE = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s|$)")
_HTML_ID_RE = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def review_date(ctx: CheckContext, rule: Rule) -> list[Finding]:
    due = ctx.doc.next_review
    if due is None or due >= ctx.today:
        return []
    days = (ctx.today - due).days
    return [ctx.finding(rule, None, due.isoformat(), title=f"The review date ({long_day(due)}) is {plural(days, 'day')} past")]


_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eighteen": 18, "twenty-four": 24,
           "thirty-six": 36}
_EVERY_RE = re.compile(r"\bevery\s+(?:(\d{1,3}|" + "|".join(_COUNTS) + r")\s+)?(years?|months?)\b", re.IGNORECASE)
_REVIEWED_RE = re.compile(r"\b(?:review|revis)\w*\b", re.IGNORECASE)


def _months(count: str | None, unit: str) -> int:
    number = 1 if count is None else int(count) if count.isdigit() else _COUNTS[count.lower()]
    return number * (12 if unit.lower().startswith("year") else 1)


_CLAUSE_BREAK_RE = re.compile(r"[;:,()]|\s(?:and|but|while|whereas)\s", re.IGNORECASE)


def _clause_around(sentence: str, start: int, end: int) -> str:
    """The clause of *sentence* that holds its words from *start* to *end*:
    up to the comma, semicolon or "and" either side."""
    before = [m.end() for m in _CLAUSE_BREAK_RE.finditer(sentence, 0, start)]
    after = _CLAUSE_BREAK_RE.search(sentence, end)
    if after is not None and not sentence[end:after.start()].strip() and not sentence[before[-1] if before else 0:start].strip():
        after = _CLAUSE_BREAK_RE.search(sentence, after.end())  # (a phrase of its own, "Every year, we review…": with what follows)
    return sentence[before[-1] if before else 0:after.start() if after else len(sentence)]


def _stated_intervals(ctx: CheckContext):
    """(months, line, start, end, words) of each review interval the text states: "reviews them every 36 months"."""
    for para in ctx.view.paragraphs:
        if para.kind == "heading":
            continue
        for a, b in sentences(para.text):
            sentence = para.text[a:b]
            if not _REVIEWED_RE.search(sentence):
                continue
            for m in _EVERY_RE.finditer(sentence):
                if not _REVIEWED_RE.search(_clause_around(sentence, m.start(), m.end())):
                    continue  # ("staff train every two years, and managers review the records": not the review's)
                line, col = para.locate(a + m.start())
                end_line, end = para.locate(a + m.end())
                yield _months(m.group(1), m.group(2)), line, col, end if end_line == line else col, m.group(0)


def review_cadence(ctx: CheckContext, rule: Rule) -> list[Finding]:
    """A review interval longer than ``note_over`` months is a note, longer
    than ``warn_over`` a warning: the platforms, their terms and the law
    move faster than that."""
    note_over, warn_over = int(rule.params.get("note_over", 12)), int(rule.params.get("warn_over", 24))

    def finding(months: int, line, start: int, end: int, matched: str) -> Finding | None:
        if months <= note_over:
            return None
        years = f"{months // 12} years" if months % 12 == 0 and months >= 24 else plural(months, "month")
        return ctx.finding(rule, line, matched, start, end, severity="warning" if months > warn_over else "note",
                           title=f"Reviewed every {years}: social media changes faster than that")

    cadence = ctx.doc.meta.get("review_cadence_months")
    found = []
    if isinstance(cadence, int) and not isinstance(cadence, bool):
        found.append(finding(cadence, None, 0, 0, f"review every {plural(cadence, 'month')}"))
    for months, line, start, end, words in _stated_intervals(ctx):
        if months != cadence:  # the text saying what the details say is the same finding
            found.append(finding(months, line, start, end, words))
    return [f for f in found if f is not None]


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
