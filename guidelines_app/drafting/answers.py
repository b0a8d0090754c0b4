"""Questionnaire answers: checking them against a template set's questions,
and turning them into what templates see.

Answers are kept as plain data (text, numbers, lists, lists of rows) so they
can sit in a document's front matter and be edited later.  A blank answer is
kept blank; only when rendering does it become a visible marker such as
"[to be decided: approver]".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.inline_markup import display_text
from guidelines_app.core.markers import MARKER_PREFIX, MARKER_RE, find_markers  # noqa: F401  (drafting's names for them)
from guidelines_app.core.outline import outline, section_at_line
from guidelines_app.core.surface_write import plain_to_markdown
from guidelines_app.drafting.model import BLANKABLE, Question, TemplateSet


class AnswerError(GuidelinesError):
    """An answer that does not fit its question; names the field."""

    def __init__(self, field: str, message: str, source: str = ""):
        self.field = field
        prefix = f"{source}: " if source else ""
        super().__init__(f"{prefix}answer '{field}' {message}")


class Marker(str):
    """A blank answer as the reader sees it.  Arithmetic on it keeps the
    marker, so '{{ staff * 150 }}' with no staffing answer still says what is
    missing instead of repeating the text 150 times."""

    def __mul__(self, other):
        return self

    __rmul__ = __mul__

    def __truediv__(self, other):
        return self

    def __floordiv__(self, other):
        return self


class MarkerList(list):
    """A blank list or table answer: one placeholder item, so loops still show it."""


def marker(label: str) -> Marker:
    return Marker(f"{MARKER_PREFIX}{label}]")


def is_decided(value: Any) -> bool:
    return not isinstance(value, (Marker, MarkerList)) and value is not None


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, list) and not value)


def _spelled(text: str) -> str:
    """*text* as choices are compared: any case, spaces, "-" and "_" alike,
    and "-ize" or "-ise" alike ("Decentralized" is the choice
    "decentralised")."""
    return _ISE_RE.sub(r"is\1", re.sub(r"[\s_-]+", "_", text.casefold()))


_ISE_RE = re.compile(r"iz(e|ed|es|ing|ation|ations)\b")


def _choice_value(q: Question, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = str(value).strip()
    norm = _spelled(text)
    for c in q.choices:
        if text == c.value or norm == _spelled(c.value) or norm == _spelled(c.label):
            return c.value
    return None


def check_answer(q: Question, value: Any, source: str = "") -> Any:
    """The answer in its stored form, or AnswerError saying what is allowed."""
    if _is_blank(value):
        if q.type in BLANKABLE:
            return [] if q.type in ("list", "table", "multichoice") else ("" if q.type != "number" else None)
        return q.default
    if q.type in ("text", "multiline"):
        if isinstance(value, (list, dict)):
            raise AnswerError(q.id, "must be text, not a list", source)
        text = str(value).strip() if q.type == "text" else str(value).rstrip()
        if q.type == "text" and "\n" in text:
            raise AnswerError(q.id, "must be a single line of text", source)
        if q.max_length is not None and len(text) > q.max_length:
            raise AnswerError(q.id, f"is {len(text)} characters long; at most {q.max_length} are allowed", source)
        if q.pattern and not re.fullmatch(q.pattern, text):
            raise AnswerError(q.id, f"'{text}' does not look right ({q.help or 'see the question help'})", source)
        return text
    if q.type == "number":
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value.strip())
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                raise AnswerError(q.id, f"must be a whole number{_range(q)}, not {value!r}", source)
        if (q.minimum is not None and value < q.minimum) or (q.maximum is not None and value > q.maximum):
            raise AnswerError(q.id, f"is {value}; it must be a whole number{_range(q)}", source)
        return value
    if q.type == "choice":
        chosen = _choice_value(q, value)
        if chosen is None:
            allowed = ", ".join(c.value for c in q.choices)
            raise AnswerError(q.id, f"is {value!r}; allowed values: {allowed}", source)
        return chosen
    if q.type == "multichoice":
        return _multichoice(q, value, source)
    if q.type == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("yes", "no", "true", "false"):
            return value.strip().lower() in ("yes", "true")
        raise AnswerError(q.id, f"must be yes or no, not {value!r}", source)
    if q.type == "list":
        if isinstance(value, str):
            value = [line for line in value.splitlines()]
        if not isinstance(value, list) or any(isinstance(v, (list, dict)) for v in value):
            raise AnswerError(q.id, "must be a list of short texts", source)
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    if q.type == "table":
        if not isinstance(value, list):
            raise AnswerError(q.id, f"must be a list of rows, each with {_cols(q)}", source)
        rows = []
        ids = [c.id for c in q.columns]
        for n, row in enumerate(value, 1):
            if not isinstance(row, dict):
                raise AnswerError(q.id, f"row {n} must have {_cols(q)}", source)
            unknown = [k for k in row if k not in ids]
            if unknown:
                raise AnswerError(q.id, f"row {n} has an unknown column '{unknown[0]}'; columns: {', '.join(ids)}", source)
            clean = {}
            for c in ids:
                cell = row.get(c)
                if isinstance(cell, (list, dict)):
                    raise AnswerError(q.id, f"row {n}, column '{c}' must be text", source)
                clean[c] = "" if cell is None else str(cell).strip()
            if any(clean.values()):
                rows.append(clean)
        return rows
    raise AnswerError(q.id, f"has an unsupported type {q.type}", source)


def _multichoice(q: Question, value: Any, source: str) -> list[str]:
    """The chosen values in the question's own order.  One value alone ("us",
    as a single choice stored it) or "us, eu" are read as lists too."""
    if isinstance(value, str):
        value = [part for part in re.split(r"[,\n]", value) if part.strip()]
    if not isinstance(value, list):
        raise AnswerError(q.id, f"must be a list of choices ({', '.join(c.value for c in q.choices)})", source)
    chosen = set()
    for item in value:
        found = _choice_value(q, item)
        if found is None:
            allowed = ", ".join(c.value for c in q.choices)
            raise AnswerError(q.id, f"has {item!r}; allowed values: {allowed}", source)
        chosen.add(found)
    return [c.value for c in q.choices if c.value in chosen]


def _range(q: Question) -> str:
    if q.minimum is not None and q.maximum is not None:
        return f" from {q.minimum} to {q.maximum}"
    if q.minimum is not None:
        return f" of at least {q.minimum}"
    if q.maximum is not None:
        return f" of at most {q.maximum}"
    return ""


def _cols(q: Question) -> str:
    return ", ".join(c.id for c in q.columns)


def defaults(tset: TemplateSet) -> dict[str, Any]:
    return {q.id: check_answer(q, q.default) for q in tset.questions}


def check_answers(tset: TemplateSet, answers: dict[str, Any] | None, source: str = "", strict: bool = True) -> dict[str, Any]:
    """All of the set's answers: given ones checked, missing ones defaulted.

    With *strict*, an answer to a question the set does not ask is refused
    (a typo in an answers file should not vanish silently)."""
    answers = dict(answers or {})
    if strict:
        known = {q.id for q in tset.questions}
        for key in answers:
            if key not in known:
                raise AnswerError(str(key), f"is not a question of '{tset.id}'; its questions are: {', '.join(sorted(known))}", source)
    result = {}
    for q in tset.questions:
        result[q.id] = check_answer(q, answers[q.id], source) if q.id in answers else check_answer(q, q.default)
    return result


def blank_answers(tset: TemplateSet) -> dict[str, Any]:
    return {q.id: check_answer(q, None) for q in tset.questions}


def _typed(value: Any) -> Any:
    """A text a user typed, as Markdown that shows it as typed wherever a
    template puts it (``plain_to_markdown``): "Smith | Sons" split a table's
    row, "*Ltd*" came out in italics and "# Hub" at a line's start made a
    heading.  Anything else (numbers, markers) as it is."""
    if isinstance(value, str) and not isinstance(value, Marker):
        return plain_to_markdown(value)
    return value


def render_values(tset: TemplateSet, answers: dict[str, Any]) -> dict[str, Any]:
    """What templates see: blanks replaced by markers, and what users typed
    (text, lines of a list, a table's cells) as Markdown that shows it as
    typed.  Choices are the template's own values and stay as they are."""
    values: dict[str, Any] = {}
    for q in tset.questions:
        value = answers.get(q.id)
        if q.type == "table":
            cols = q.columns
            if not value:
                values[q.id] = MarkerList([{c.id: marker(c.label.lower()) for c in cols}])
            else:
                values[q.id] = [{c.id: _typed(row.get(c.id) or marker(c.label.lower())) for c in cols} for row in value]
        elif q.type == "list":
            values[q.id] = [_typed(item) for item in value] if value else MarkerList([marker(q.marker_label())])
        elif q.type == "multichoice":
            values[q.id] = list(value) if value else MarkerList([marker(q.marker_label())])
        elif q.type in BLANKABLE and _is_blank(value):
            values[q.id] = marker(q.marker_label())
        elif q.type in ("text", "multiline"):
            values[q.id] = _typed(value)
        else:
            values[q.id] = value
    return values


def markdown_table(q: Question, rows: list[dict]) -> str:
    """A table question's rows as a Markdown table; the cells as
    ``render_values`` gives them (a "|" typed in one already escaped)."""
    header = "| " + " | ".join(c.label for c in q.columns) + " |"
    rule = "|" + "|".join("---" for _ in q.columns) + "|"
    lines = [header, rule]
    for row in rows:
        cells = [str(row.get(c.id, "")).replace("\n", " ") for c in q.columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# A table row line and the "|" between its cells ("\\|" is a "|" in a cell).
_ROW_RE = re.compile(r"^\s*\|.*\|\s*$")
_CELL_SPLIT_RE = re.compile(r"(?<!\\)\|")
_RULE_CELL_RE = re.compile(r"^\s*:?-+:?\s*$")


@dataclass(frozen=True)
class MarkerPlace:
    """A "[to be decided: ...]" marker and where a reader finds it: the
    section it is in and, inside a table, the row (named by its first cell)."""

    line: int  # 0-based line of the body
    label: str  # what is to be decided
    section: str = ""  # the innermost section's title; "" before the first heading
    row: str = ""  # "Instagram row" (the row's first cell), or "row 3" when that cell is open too

    @property
    def where(self) -> str:
        """"Channels › Instagram row"; "" when the marker is before any heading."""
        return " › ".join(p for p in (self.section, self.row) if p)

    def describe(self) -> str:
        """"Channels › Instagram row: owner"."""
        return f"{self.where}: {self.label}" if self.where else self.label


def _row_name(lines: list[str], n: int) -> str:
    """The table row on line *n* as a reader names it: "Instagram row" (its
    first cell as shown), or "row 3" (its place) when that cell is open too."""
    cells = _CELL_SPLIT_RE.split(lines[n].strip())[1:-1]
    first = display_text(cells[0].strip()) if cells else ""
    if first and not MARKER_RE.search(first):
        return f"{first} row"
    start = n
    while start > 0 and _ROW_RE.match(lines[start - 1]):
        start -= 1
    rows = [i for i in range(start, n + 1)
            if not all(_RULE_CELL_RE.match(c) for c in _CELL_SPLIT_RE.split(lines[i].strip())[1:-1])]
    return f"row {len(rows) - 1}"  # the header row is not counted


def marker_places(body: str) -> list[MarkerPlace]:
    """Every marker with the section and table row it belongs to (the one
    structural reading of the body: core.outline)."""
    lines = body.split("\n")
    sections = outline(body)
    places = []
    for n, label in find_markers(body):
        index = section_at_line(sections, n)
        section = display_text(sections[index].title) if index is not None else ""
        row = _row_name(lines, n) if _ROW_RE.match(lines[n]) else ""
        places.append(MarkerPlace(n, label, section, row))
    return places
