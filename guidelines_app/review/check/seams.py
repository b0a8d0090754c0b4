"""Open items and template seams: what a questionnaire or a hurried edit
leaves behind ("[to be decided: ...]", "every 1 months", "Months 7-3", a word
twice in a row, an empty table cell, leftover template syntax)."""

from __future__ import annotations

import re

from guidelines_app.core.markers import MARKER_RE
from guidelines_app.review.check.model import CheckContext, Finding, Rule

_PLURAL = {"person": "people", "people": "people"}
_ONE_PLURAL_RE = re.compile(r"\b(?<![.,\d])(1|one)\s+(minutes|hours|days|weeks|months|years|people|members|times|posts|employees|"
                            r"accounts|channels|reviewers|working days|business days)\b", re.IGNORECASE)
_MANY_SINGULAR_RE = re.compile(r"\b(?<![.,\d-])([02-9]|[1-9]\d+)\s+(minute|hour|day|week|month|year|person|member|post|employee|"
                               r"account|channel|reviewer)\b(?![-'’]\w)", re.IGNORECASE)
_ZERO_RE = re.compile(r"\b(?<![.,\d])0\s+(people|persons|members|staff|employees|reviewers|posts|hours|days|weeks|months)\b", re.IGNORECASE)
_RANGE_RE = re.compile(r"\b(months?|weeks?|days?|years?|hours?|phases?|steps?|stages?|levels?|quarters?|pages?|sections?)\s+"
                       r"(\d{1,3})\s*(?:-|–|—|to)\s*(\d{1,3})\b", re.IGNORECASE)
_FROM_TO_RE = re.compile(r"\bfrom\s+(month|week|day|year|phase|step|stage|level)\s+(\d{1,3})\s+to\s+(?:\1\s+)?(\d{1,3})\b", re.IGNORECASE)
_REPEAT_RE = re.compile(r"\b([A-Za-z][A-Za-z'’]*)\s+(\1)\b", re.IGNORECASE)
_REPEAT_OK = {"that", "had", "is", "bye", "ha", "no", "very", "so"}
_LOWER_START_RE = re.compile(r"[a-z]")
_TEMPLATE_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{\{|\}\}|\{%|%\}|\$\{[A-Za-z_][\w.]*\}|<<\s*[A-Za-z_]\w*\s*>>")
_TABLE_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def markers(ctx: CheckContext, rule: Rule) -> list[Finding]:
    found = []
    for n, line in enumerate(ctx.view.lines):
        if n in ctx.view.skipped:
            continue
        for m in MARKER_RE.finditer(line):
            found.append(ctx.finding(rule, n, m.group(0), m.start(), m.end(), title=f"Still to be decided: {m.group(1)}"))
    return found


def _agree(number: str, unit: str, singular: bool) -> str:
    if singular:
        word = {"people": "person"}.get(unit.lower(), unit[:-1] if unit.lower().endswith("s") else unit)
        return f"{number} {word}"
    plural = _PLURAL.get(unit.lower(), unit + "s")
    return f"{number} {plural}"


def number_unit(ctx: CheckContext, rule: Rule) -> list[Finding]:
    found = []
    for para in ctx.view.paragraphs:
        if para.kind == "heading":
            continue
        for regex, singular in ((_ONE_PLURAL_RE, True), (_MANY_SINGULAR_RE, False)):
            for m in regex.finditer(para.text):
                if not singular and _used_as_adjective(para.text, m.end()):
                    continue
                line, col = para.locate(m.start())
                fix = _agree(m.group(1), m.group(2), singular)
                found.append(ctx.finding(rule, line, m.group(0), col, col + len(m.group(0)), replacement=fix,
                                         title=f"Number and unit disagree: “{m.group(0)}”"))
        for m in _ZERO_RE.finditer(para.text):
            line, col = para.locate(m.start())
            found.append(ctx.finding(rule, line, m.group(0), col, col + len(m.group(0)),
                                     title=f"A count of zero: “{m.group(0)}” (an answer left at 0?)"))
    return found


def _used_as_adjective(text: str, end: int) -> bool:
    """'a 5 day window', 'the 2 year plan': a singular unit before a noun is fine in speech; flag only when
    it ends the phrase (followed by punctuation, 'of', 'and', 'or', 'after', 'before', ...)."""
    rest = text[end:end + 20].lstrip()
    if not rest or rest[0] in ".,;:)!?":
        return False
    word = re.match(r"[A-Za-z]+", rest)
    return not (word and word.group(0).lower() in {"of", "and", "or", "after", "before", "from", "to", "in", "a", "an", "the",
                                                     "later", "ago", "each", "per", "at", "until", "for", "with", "on"})


def reversed_range(ctx: CheckContext, rule: Rule) -> list[Finding]:
    found = []
    for para in ctx.view.paragraphs:
        for regex in (_RANGE_RE, _FROM_TO_RE):
            for m in regex.finditer(para.text):
                a, b = int(m.group(2)), int(m.group(3))
                if a > b:
                    line, col = para.locate(m.start())
                    found.append(ctx.finding(rule, line, m.group(0), col, col + len(m.group(0)),
                                             title=f"A range that runs backwards: “{m.group(0)}”"))
    return found


_AFTER_STOP_RE = re.compile(r"(?<=[.!?])[\"'’”)]*\s+[\"'“‘(]*(?=[a-z])")
_ABBREVIATED = ("e.g.", "i.e.", "etc.", "vs.", "approx.", "incl.", "cf.", "a.m.", "p.m.", "no.", "p.", "inc.", "ltd.", "corp.", "co.", "llc.", "dept.")


def lowercase_start(ctx: CheckContext, rule: Rule) -> list[Finding]:
    found = []
    for para in ctx.view.paragraphs:
        if para.kind in ("table", "heading", "list"):
            continue
        lead = len(para.text) - len(para.text.lstrip(" \"'“‘("))
        starts = [(0, lead)] + [(m.start(), m.end()) for m in _AFTER_STOP_RE.finditer(para.text)
                                if not para.text[:m.start()].rstrip().lower().endswith(_ABBREVIATED)]
        raw = " ".join(para.lines)  # the text before masking, of the same length
        for before, offset in starts:
            if MARKER_RE.search(raw, before, offset):
                continue  # "[to be decided: organization name] runs ...": the marker is the sentence's first words
            word = re.match(r"[\w’'-]+", para.text[offset:])
            if not word or not _LOWER_START_RE.match(word.group(0)) or re.match(r"[a-z]+[A-Z]", word.group(0)):
                continue  # 'iPhone', 'eBay': a name that starts in lower case
            line, col = para.locate(offset)
            if ctx.view.lines[line][col:col + len(word.group(0))] != word.group(0):
                continue
            found.append(ctx.finding(rule, line, word.group(0), col, col + len(word.group(0)),
                                     replacement=word.group(0)[:1].upper() + word.group(0)[1:],
                                     title=f"A sentence starts in lower case: “{para.text[offset:offset + 40].strip()}”"))
    return found


def repeated_word(ctx: CheckContext, rule: Rule) -> list[Finding]:
    found = []
    for para in ctx.view.paragraphs:
        for m in _REPEAT_RE.finditer(para.text):
            if m.group(1).lower() in _REPEAT_OK:
                continue
            line, col = para.locate(m.start())
            end_line, end_col = para.locate(m.end())
            if end_line != line:
                continue
            found.append(ctx.finding(rule, line, ctx.view.lines[line][col:end_col], col, end_col, replacement=m.group(1),
                                     title=f"A word twice in a row: “{m.group(1)} {m.group(2)}”"))
    return found


def empty_cells(ctx: CheckContext, rule: Rule) -> list[Finding]:
    found = []
    for para in ctx.view.paragraphs:
        if para.kind != "table":
            continue
        line = para.lines[0]
        if _TABLE_SEPARATOR_RE.match(line):
            continue
        cells = line.strip().strip("|").split("|")
        empty = [n for n, c in enumerate(cells, 1) if not c.strip()]
        if empty and len(cells) > 1:
            found.append(ctx.finding(rule, para.first, line.strip(), 0, 0,
                                     title=f"An empty table cell (column {empty[0]})"))
    return found


def template_syntax(ctx: CheckContext, rule: Rule) -> list[Finding]:
    found = []
    for n, line in enumerate(ctx.view.lines):
        if n in ctx.view.skipped:
            continue
        for m in _TEMPLATE_RE.finditer(line):
            found.append(ctx.finding(rule, n, m.group(0), m.start(), m.end(), title=f"Leftover template syntax: “{m.group(0)[:40]}”"))
    return found
