"""What a check reports (``Finding``), what a rule is (``Rule``), and the
text a check reads (``TextView``): the body's prose paragraphs with
markup masked, so a pattern never matches inside a link address, a code
span or an HTML tag, and every match still maps back to its line and column.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from guidelines_app.core.document import Document
from guidelines_app.core.markers import MARKER_RE
from guidelines_app.core.md_lines import FENCE_RE
from guidelines_app.core.outline import Section, outline, section_at_line
from guidelines_app.core.wording import long_day

SEVERITIES = ("error", "warning", "note")  # most serious first
CATEGORIES = {
    "legal": "Legal risk",
    "open-items": "Open items and seams",
    "consistency": "Consistency across the workspace",
    "coverage": "Coverage",
    "readability": "Readability",
    "housekeeping": "Housekeeping",
}


def severity_rank(severity: str) -> int:
    """0 for an error, 1 a warning, 2 a note: lower is more serious."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


@dataclass(frozen=True)
class Rule:
    """One check, as its rules file states it (see ``check.rules``)."""

    id: str
    category: str
    severity: str
    title: str
    explanation: str
    pattern: re.Pattern | None = None  # what it matches, or
    builtin: str = ""  # the named built-in check that runs it
    unless_sentence: re.Pattern | None = None  # not flagged when the same sentence says this
    unless_document: re.Pattern | None = None  # not flagged when the document says this anywhere
    replace: str | None = None  # the matched words' better wording (a regex replacement template)
    suggestion: str = ""  # a better wording, in prose
    jurisdiction: str = ""
    as_of: _dt.date | None = None
    params: dict = field(default_factory=dict)
    source: str = ""  # the rules file it came from
    applies_in: tuple[str, ...] = ()  # the "whose law applies" answers (us, eu, uk) it belongs to; () everywhere


@dataclass(frozen=True)
class Finding:
    """One thing a careful reviewer would flag.  *line* is the 0-based body
    line (the editor's), None for the whole document; *start*/*end* the
    columns of the matched words on that line."""

    rule: str
    category: str
    severity: str
    title: str
    why: str
    matched: str = ""
    line: int | None = None
    start: int = 0
    end: int = 0
    section: str = ""
    replacement: str | None = None  # applying it replaces line[start:end]
    suggestion: str = ""
    jurisdiction: str = ""
    as_of: str = ""

    @property
    def as_of_day(self) -> str:
        """The date the legal reading is as of, in the house form ("2 August 2023"); the JSON keeps ``as_of`` ISO."""
        return long_day(_dt.date.fromisoformat(self.as_of)) if self.as_of else ""

    @property
    def key(self) -> str:
        """What a dismissal names: the rule and the words it matched (not
        the line, which moves as the text is edited)."""
        words = " ".join(self.matched.split()).casefold()[:80]
        return f"{self.rule}:{words}"

    def as_dict(self, front_lines: int = 0) -> dict:
        """As JSON: *line* is 1-based in the file (after *front_lines* of details)."""
        return {"rule": self.rule, "category": self.category, "severity": self.severity, "title": self.title,
                "why": self.why, "matched": self.matched, "line": None if self.line is None else self.line + front_lines + 1,
                "section": self.section, "replacement": self.replacement, "suggestion": self.suggestion,
                "jurisdiction": self.jurisdiction, "as_of": self.as_of, "key": self.key}


@dataclass(frozen=True)
class Paragraph:
    """A run of prose lines.  ``text`` joins them with spaces, markup masked
    to spaces of the same length, so ``text[i]`` sits on ``locate(i)``."""

    first: int  # 0-based body line
    lines: tuple[str, ...]
    text: str
    kind: str = "prose"  # "prose", "list" (a list item), "table", "heading"

    def locate(self, offset: int) -> tuple[int, int]:
        """(body line, column) of a character of ``text``."""
        for n, line in enumerate(self.lines):
            if offset <= len(line):
                return self.first + n, offset
            offset -= len(line) + 1
        return self.first + len(self.lines) - 1, len(self.lines[-1])


_LINK_URL_RE = re.compile(r"(\]\()([^)\s]*(?:\s+\"[^\"]*\")?)(\))")
_AUTOLINK_RE = re.compile(r"<(?:https?://|mailto:)[^>\s]+>|https?://[^\s)>\]]+")
_CODE_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_TAG_RE = re.compile(r"</?[A-Za-z][^>\n]*>")
_EMPHASIS_RE = re.compile(r"(\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|~~)")
_REF_DEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s")
_LIST_RE = re.compile(r"^(\s*(?:[-*+]|\d{1,9}[.)])\s+)(?:\[[ xX]\]\s+)?")
_ATTR_LINE_RE = re.compile(r"^\s*\{:.*\}\s*$")
_HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+")
_TRAILING_ATTRS_RE = re.compile(r"\{[:#.][^}]*\}\s*$")


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def mask(line: str) -> str:
    """*line* with markup turned into spaces (same length): link addresses,
    bare URLs, code spans, HTML tags, emphasis marks and brackets; and
    "[to be decided: ...]" markers, which their own check reports."""
    line = MARKER_RE.sub(_blank, line)
    line = _LINK_URL_RE.sub(lambda m: " " * len(m.group(0)), line)
    line = _AUTOLINK_RE.sub(_blank, line)
    line = _CODE_RE.sub(_blank, line)
    line = _TAG_RE.sub(_blank, line)
    line = _EMPHASIS_RE.sub(_blank, line)
    line = _TRAILING_ATTRS_RE.sub(_blank, line)
    return line.replace("[", " ").replace("]", " ")


class TextView:
    """The body as the checks read it: sections (``core.outline``), the
    prose paragraphs, and the lines inside code fences and HTML comments,
    which no check reads."""

    def __init__(self, body: str):
        self.body = body
        self.lines = body.split("\n")
        self.sections: list[Section] = outline(body)
        self.skipped: set[int] = self._skipped_lines()
        self.paragraphs: list[Paragraph] = self._paragraphs()

    def _skipped_lines(self) -> set[int]:
        skipped, fence, comment = set(), None, False
        for n, line in enumerate(self.lines):
            if fence is not None:
                skipped.add(n)
                if line.strip().startswith(fence) and set(line.strip()) == {fence[0]}:
                    fence = None
                continue
            if comment:
                skipped.add(n)
                comment = "-->" not in line
                continue
            m = FENCE_RE.match(line)
            if m:
                fence = m.group(1)
                skipped.add(n)
            elif line.lstrip().startswith("<!--"):
                skipped.add(n)
                comment = "-->" not in line
        return skipped

    def _paragraphs(self) -> list[Paragraph]:
        found: list[Paragraph] = []
        current: list[str] = []
        start = 0

        def close():
            if current:
                found.append(Paragraph(start, tuple(current), " ".join(mask(x) for x in current)))
                current.clear()

        heading_lines = {s.line for s in self.sections}
        for n, line in enumerate(self.lines):
            stripped = line.strip()
            if n in self.skipped or not stripped or _REF_DEF_RE.match(line) or _ATTR_LINE_RE.match(line) \
                    or set(stripped) <= set("-=*_ |:"):
                close()
                continue
            kind = "heading" if n in heading_lines or _HEADING_RE.match(line) else (
                "table" if stripped.startswith("|") else ("list" if _LIST_RE.match(line) else ""))
            if kind:
                close()
                lead = _LIST_RE.match(line) if kind == "list" else _HEADING_RE.match(line) if kind == "heading" else None
                masked = mask(line)
                if lead:
                    masked = " " * lead.end() + masked[lead.end():]
                found.append(Paragraph(n, (line,), masked, kind))
                continue
            if not current:
                start = n
            current.append(line)
        close()
        return found

    def section_title(self, line: int | None) -> str:
        if line is None:
            return ""
        index = section_at_line(self.sections, line)
        return self.sections[index].title if index is not None else ""


_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'’”)]*\s+(?=[\"'“‘(]*[A-Z0-9])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "approx.", "no.", "mr.", "ms.", "mrs.", "dr.", "st.", "inc.", "ltd.", "co.")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a paragraph's text."""
    spans, start = [], 0
    for m in _SENTENCE_END_RE.finditer(text):
        before = text[start:m.start()].rstrip()
        if before.lower().endswith(_ABBREVIATIONS):
            continue
        spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


@dataclass
class CheckContext:
    """What a check may read: the document, its text view, the workspace's
    other documents (slug -> Document, for consistency) and today."""

    doc: Document
    view: TextView
    slug: str = ""
    root: Path | None = None
    others: dict[str, Document] = field(default_factory=dict)
    today: _dt.date = field(default_factory=_dt.date.today)
    figures: dict = field(default_factory=dict)  # readability figures, filled by that check

    def finding(self, rule: Rule, line: int | None, matched: str = "", start: int = 0, end: int = 0, **extra) -> Finding:
        values = dict(rule=rule.id, category=rule.category, severity=rule.severity, title=rule.title, why=rule.explanation,
                      matched=matched, line=line, start=start, end=end, section=self.view.section_title(line),
                      suggestion=rule.suggestion, jurisdiction=rule.jurisdiction,
                      as_of=rule.as_of.isoformat() if rule.as_of else "")
        values.update(extra)
        return Finding(**values)
