"""The answer matrix the built-in templates are rendered over, and the checks
a draft must pass: no template syntax left, no seams from the machinery
(number agreement, reversed ranges, lower-case sentence starts, doubled
words, table pipes inside paragraphs), no repeated sentences, and the
approval text agreeing with its table.

Each check returns a list of problems ("what: the text"), so a failing test
names every seam at once and the answers that made it."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

MODELS = ("decentralised", "centralised", "hub_and_spoke", "multiple_hub_and_spoke", "holistic")
MATURITIES = ("novice", "intermediate", "advanced")
PATHS = ("reactive", "proactive")
COUNTRIES = ("us", "eu", "uk", "other")
# Every combination of countries a policy owner can tick (one to four).
JURISDICTIONS = tuple(list(c) for n in range(1, 5) for c in itertools.combinations(COUNTRIES, n))
SECTORS = ("general", "healthcare", "financial_services", "public_sector")
SET_IDS = ("employee-social-media-guidelines", "social-media-governance-policy", "social-media-strategy-brief")

# Edge answers, cycled through the matrix so each meets many combinations.
ORGANIZATIONS = ("northwind health", "Northwind Health", "eBay", "")
STAFF = (0, 1, 2, 10000, None)
PLAN_MONTHS = (1, 3, 12, 36, None)
REVIEW_MONTHS = (1, 12, 6, None)
TRAINING_MONTHS = (1, 12, 24)
BRANDS = ([], ["Northwind Foods"], ["Northwind Foods", "Northwind Pharma", "Southern region"])
APPROVAL_TABLES: tuple[Any, ...] = (
    None,  # the set's default table
    [{"post_type": "Every post on an official account", "approver": "A second trained person", "turnaround": "Same day"}],
    [{"post_type": "Replies to comments", "approver": "No prior approval", "turnaround": "Immediate"},
     {"post_type": "Campaigns", "approver": "", "turnaround": "3 working days"}],
    [],  # blank: to be decided
)


def matrix(tset) -> Iterator[dict[str, Any]]:
    """Answers for every model x maturity x path x jurisdiction combination
    x sector the set asks about, with the edge answers cycled through."""
    asks = {q.id for q in tset.questions}
    axes = [
        ("governance_model", MODELS),
        ("maturity", MATURITIES),
        ("approach", PATHS),
        ("jurisdiction", JURISDICTIONS),
        ("sector", SECTORS),
    ]
    axes = [(qid, values) for qid, values in axes if qid in asks]
    edges = [
        ("organization", ORGANIZATIONS), ("staff_count", STAFF), ("plan_months", PLAN_MONTHS),
        ("review_months", REVIEW_MONTHS), ("training_months", TRAINING_MONTHS), ("brands", BRANDS),
        ("approval_matrix", APPROVAL_TABLES),
    ]
    edges = [(qid, values) for qid, values in edges if qid in asks]
    for n, combo in enumerate(itertools.product(*(values for _, values in axes))):
        answers = dict(zip((qid for qid, _ in axes), combo))
        for k, (qid, values) in enumerate(edges):
            value = values[(n + 7 * k) % len(values)]
            if value is not None or qid != "approval_matrix":
                answers[qid] = value
        yield answers


# ---- seams ---------------------------------------------------------------------

_SYNTAX = ("{{", "}}", "{%", "%}", "{#", "#}")
_UNITS = r"(?:months?|years?|weeks?|days?|hours?|minutes?)"
_NUMBER_SEAMS = [
    (re.compile(r"\b1\s+(?:months|years|weeks|days|hours|minutes|people|persons|times|relationships)\b"), "plural after 1"),
    (re.compile(r"\b(?:[02-9]|\d\d+)\s+(?:month|year|week|day|hour|minute|person|relationship)\b(?!-)"), "singular after a number"),
    (re.compile(r"\b(?:every|first)\s+1\s+" + _UNITS), "'every 1 month' (say 'every month')"),
    (re.compile(r"\b(?:about|only|commits?)\s+0\b|\b0\s+(?:people|persons|full-time|active)\b"), "a count of zero read as an amount"),
]
_RANGES = [
    re.compile(r"(?i)\b" + _UNITS + r"\s+(\d+)\s*[–-]\s*(\d+)\b"),
    re.compile(r"\b(\d+)\s*[–-]\s*(\d+)\s+" + _UNITS + r"\b"),
]
_DOUBLED = re.compile(r"(?i)\b([a-z]+)\s+\1\b")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "no.", "cf.", "approx.")
_SENTENCE_START = re.compile(r"(?<=[.!?])[\"”’)]?\s+([\"“(]?)([A-Za-z])")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")
_TABLE_LINE = re.compile(r"^\s*\|.*\|\s*$")
_RULE_LINE = re.compile(r"^\s*\|[\s:|-]+\|\s*$")


_MARKER = re.compile(r"\[to be decided: [^\]]*\]")


def _plain(line: str) -> str:
    """The words of a line without Markdown marks for emphasis and quotes;
    a "[to be decided: ...]" marker reads as one capitalised word."""
    line = re.sub(r"^\s*(?:#+|>)\s*", "", line)
    return _MARKER.sub("Marker", re.sub(r"[*_`]", "", line))


def _starts_lower(text: str) -> bool:
    """A lower-case first letter; "eBay" (a capital second) is a name's own spelling."""
    text = text.lstrip("\"“([ ")
    if len(text) > 1 and text[1].isupper():
        return False
    return bool(text) and text[0].isalpha() and text[0].islower()


def seams(body: str) -> list[str]:
    """Every seam in a rendered draft."""
    problems = [f"template syntax {t!r}" for t in _SYNTAX if t in body]
    lines = body.split("\n")
    previous = ""
    for line in lines:
        stripped = line.strip()
        if (stripped and previous.strip().endswith((".", "!", "?")) and not _TABLE_LINE.match(line)
                and not _LIST_ITEM.match(stripped) and not stripped.startswith(("#", ">"))
                and not _LIST_ITEM.match(previous.strip()) and not previous.lstrip().startswith(("#", ">", "|"))):
            problems.append(f"two paragraphs run together (no blank line between): {stripped}")
        if (stripped and _LIST_ITEM.match(previous) and not _LIST_ITEM.match(line) and not line.startswith((" ", "\t"))
                and not _TABLE_LINE.match(line)):
            problems.append(f"a paragraph runs into the list item before it: {stripped}")
        is_table = bool(_TABLE_LINE.match(line))
        if is_table and previous.strip() and not _TABLE_LINE.match(previous):
            problems.append(f"table with no blank line before it (its first row shows as text): {stripped}")
        if not is_table and re.search(r"\s\|\s", stripped):
            problems.append(f"table pipe inside a paragraph: {stripped}")
        previous = line
        if not stripped or _RULE_LINE.match(line):
            continue
        text = _plain(stripped)
        for pattern, what in _NUMBER_SEAMS:
            for m in pattern.finditer(text):
                problems.append(f"{what}: '{m.group(0)}' in: {stripped}")
        for pattern in _RANGES:
            for m in pattern.finditer(text):
                if int(m.group(1)) > int(m.group(2)):
                    problems.append(f"reversed range '{m.group(0)}' in: {stripped}")
        for m in _DOUBLED.finditer(text):
            problems.append(f"doubled word '{m.group(0)}' in: {stripped}")
        if re.search(r"\s[,.;:](?:\s|$)|\(\s*\)|,\s*,|\)\s*\(", text):
            problems.append(f"stray punctuation in: {stripped}")
        if is_table:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", text)[1:-1]]
            for cell in cells:
                if _starts_lower(cell) and "@" not in cell and "://" not in cell:
                    problems.append(f"table cell starts in lower case: '{cell}'")
            continue
        if not _LIST_ITEM.match(stripped) and _starts_lower(text):
            problems.append(f"paragraph starts in lower case: {stripped}")
        text = _LIST_ITEM.sub("", text)
        for m in _SENTENCE_START.finditer(text):
            before = text[: m.start()].split()[-1].lower() if text[: m.start()].split() else ""
            if m.group(2).islower() and not any(before.endswith(a) for a in _ABBREVIATIONS):
                problems.append(f"sentence starts in lower case after '{before}': {stripped}")
    return problems


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[\"“])")


def sentences(body: str) -> list[str]:
    """The sentences of the paragraphs and list items (not headings, tables)."""
    found = []
    for line in body.split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or _TABLE_LINE.match(line):
            continue
        text = _LIST_ITEM.sub("", _plain(stripped))
        found.extend(s.strip() for s in _SENTENCE_SPLIT.split(text) if s.strip())
    return found


def repeated_sentences(body: str, min_words: int = 8) -> list[str]:
    seen: dict[str, int] = {}
    for s in sentences(body):
        if len(s.split()) >= min_words:
            seen[s] = seen.get(s, 0) + 1
    return [s for s, n in seen.items() if n > 1]


# ---- the approval text and its table ------------------------------------------

_UNIVERSAL = re.compile(r"(?i)\b(?:every|each|all)\s+(?:official\s+)?posts?\b[^.]*\b(?:approv|check|read|review)|whatever its type")
_OPEN_ROW = re.compile(r"(?i)no prior approval|without approval|^\s*none\b")


def approval_contradictions(section: str) -> list[str]:
    """A sentence saying every post is checked first, while a row of the
    table lets a type of post go out without approval (or the reverse: the
    text names rows without approval that the table does not have)."""
    rows = [line for line in section.split("\n") if _TABLE_LINE.match(line) and not _RULE_LINE.match(line)][1:]
    approvers = [re.split(r"(?<!\\)\|", row)[2].strip() for row in rows if row.count("|") >= 3]
    open_rows = [a for a in approvers if _OPEN_ROW.search(a)]
    text = "\n".join(line for line in section.split("\n") if not _TABLE_LINE.match(line))
    problems = []
    for sentence in sentences(text):
        if _UNIVERSAL.search(sentence) and open_rows and "official accounts only" not in sentence:
            problems.append(f"'{sentence}' while the table says '{open_rows[0]}'")
    if re.search(r"(?i)rows? marked .No prior approval", text) and not open_rows:
        problems.append("the text points to rows without prior approval; the table has none")
    return problems


# ---- reading level ---------------------------------------------------------------

def _syllables(word: str) -> int:
    word = word.lower().strip(".,;:!?\"'()[]*")
    if not word:
        return 0
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def grade_level(body: str) -> float:
    """Flesch-Kincaid grade of the paragraphs and list items."""
    found = sentences(body)
    words = [w for s in found for w in s.split() if re.search(r"[A-Za-z]", w)]
    if not found or not words:
        return 0.0
    syllables = sum(_syllables(w) for w in words)
    return 0.39 * len(words) / len(found) + 11.8 * syllables / len(words) - 15.59
