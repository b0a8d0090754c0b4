"""What a template set is made of, and reading its manifest.

A template set is a folder::

    employee-social-media-guidelines/
        manifest.yaml      id, title, description, questions, sections
        sections/*.md      one clause per file: front matter + Markdown/Jinja2

Every problem is reported as a TemplateProblem naming the file and line, so
the person keeping the templates can go straight to it.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.drafting.yaml_lines import LineDict

CATEGORIES = ("who", "how", "when", "where", "governance")
QUESTION_TYPES = ("text", "multiline", "number", "choice", "multichoice", "boolean", "list", "table")
# Types whose blank answer becomes a visible "[to be decided: ...]" marker;
# a choice or a yes/no always has a value (blank takes the default).  A
# multi-choice left with nothing ticked is blank: templates see a marker.
BLANKABLE = ("text", "multiline", "number", "list", "table", "multichoice")

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SET_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CLAUSE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class TemplateProblem(GuidelinesError):
    """A template file that cannot be used; names the file and line."""

    def __init__(self, path: Path | str | None, line: int | None, problem: str):
        self.path = Path(path) if path else None
        self.line = line
        self.problem = problem
        where = str(self.path) if self.path else "a template"
        if line:
            where += f", line {line}"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Column:
    id: str
    label: str


@dataclass
class Question:
    id: str
    type: str
    label: str
    help: str = ""
    default: Any = None
    choices: list[Choice] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    marker: str = ""  # what a blank answer says is still to be decided
    page: str = "Questions"
    # An expression over the other answers ("governance_model == 'holistic'"):
    # when it does not hold, the questionnaire shows the question greyed out
    # (its answer kept, and unused by the templates that say so).
    asked_if: str | None = None
    asked_if_line: int = 0

    def choice_label(self, value: Any) -> str:
        for c in self.choices:
            if c.value == value:
                return c.label
        return str(value)

    def marker_label(self) -> str:
        return self.marker or self.label.rstrip("?:").strip().lower()

    def as_json(self) -> dict:
        data: dict[str, Any] = {"id": self.id, "type": self.type, "label": self.label, "default": self.default, "help": self.help}
        if self.type in ("choice", "multichoice"):
            data["choices"] = [c.value for c in self.choices]
            data["choice_labels"] = {c.value: c.label for c in self.choices}
        if self.type == "table":
            data["columns"] = [c.id for c in self.columns]
        for key, value in (("min", self.minimum), ("max", self.maximum), ("max_length", self.max_length), ("pattern", self.pattern)):
            if value is not None:
                data[key] = value
        return data


@dataclass
class SectionRef:
    clause: str
    condition: str | None
    line: int
    condition_line: int = 0


@dataclass
class Clause:
    id: str
    title: str
    category: str
    purpose: str
    set_id: str
    path: Path
    source: str  # the Markdown/Jinja2 body without the front matter
    first_line: int  # file line of the body's first line
    template: Any = None  # compiled jinja2 Template


@dataclass
class TemplateSet:
    id: str
    title: str
    description: str
    questions: list[Question]
    sections: list[SectionRef]
    clauses: dict[str, Clause]
    path: Path
    origin: str = "built-in"  # or "workspace"
    # When the set's legal notes were last checked against the law, and
    # when they must be checked again (ISO dates; "" when the manifest
    # does not say): the "as of" and "re-review by" of every legal note.
    legal_as_of: str = ""
    legal_review_by: str = ""
    conditions: dict[int, Any] = field(default_factory=dict)  # section index -> compiled expression
    asked: dict[str, Any] = field(default_factory=dict)  # question id -> its compiled ``asked_if``

    def question(self, qid: str) -> Question | None:
        for q in self.questions:
            if q.id == qid:
                return q
        return None

    def pages(self) -> list[tuple[str, list[Question]]]:
        """Questions grouped by page, in the order they first appear."""
        pages: dict[str, list[Question]] = {}
        for q in self.questions:
            pages.setdefault(q.page, []).append(q)
        return list(pages.items())

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "origin": self.origin,
            "questions": [q.as_json() for q in self.questions],
            "sections": [s.clause for s in self.sections],
            "legal_as_of": self.legal_as_of,
            "legal_review_by": self.legal_review_by,
        }


# ---- manifest parsing ------------------------------------------------------------


def _need_str(data: LineDict, key: str, path: Path, required: bool = True) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise TemplateProblem(path, data.line, f"'{key}' is missing")
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise TemplateProblem(path, data.line_of(key), f"'{key}' must be text")
    return str(value).strip()


def parse_question(raw: Any, path: Path, page_default: str) -> Question:
    if not isinstance(raw, LineDict):
        raise TemplateProblem(path, None, "each question must be a block of 'name: value' lines")
    qid = _need_str(raw, "id", path)
    if not _ID_RE.match(qid):
        raise TemplateProblem(path, raw.line_of("id"), f"question id '{qid}' must be lower-case letters, digits and _ (starting with a letter)")
    qtype = _need_str(raw, "type", path)
    if qtype not in QUESTION_TYPES:
        raise TemplateProblem(path, raw.line_of("type"), f"question '{qid}' has type '{qtype}'; allowed types: {', '.join(QUESTION_TYPES)}")
    known = {"id", "type", "label", "help", "default", "choices", "columns", "min", "max", "max_length", "pattern", "marker", "page",
             "asked_if"}
    for key in raw:
        if key not in known:
            raise TemplateProblem(path, raw.line_of(key), f"question '{qid}' has an unknown setting '{key}' (known: {', '.join(sorted(known))})")
    q = Question(
        id=qid,
        type=qtype,
        label=_need_str(raw, "label", path),
        help=_need_str(raw, "help", path, required=False),
        marker=_need_str(raw, "marker", path, required=False),
        page=_need_str(raw, "page", path, required=False) or page_default,
        default=raw.get("default"),
    )
    if raw.get("asked_if") not in (None, ""):
        q.asked_if, q.asked_if_line = str(raw["asked_if"]).strip(), raw.line_of("asked_if") or raw.line
    for key, attr in (("min", "minimum"), ("max", "maximum"), ("max_length", "max_length")):
        if key in raw:
            value = raw[key]
            if not isinstance(value, int) or isinstance(value, bool):
                raise TemplateProblem(path, raw.line_of(key), f"'{key}' of question '{qid}' must be a whole number")
            setattr(q, attr, value)
    if "pattern" in raw:
        try:
            re.compile(str(raw["pattern"]))
        except re.error as exc:
            raise TemplateProblem(path, raw.line_of("pattern"), f"'pattern' of question '{qid}' is not a valid pattern: {exc}") from None
        q.pattern = str(raw["pattern"])
    if qtype in ("choice", "multichoice"):
        choices = raw.get("choices")
        if not isinstance(choices, list) or not choices:
            raise TemplateProblem(path, raw.line_of("choices") if "choices" in raw else raw.line, f"choice question '{qid}' needs a list of choices")
        for c in choices:
            if isinstance(c, dict):
                value, label = str(c.get("value", "")).strip(), str(c.get("label", c.get("value", ""))).strip()
            else:
                value = label = str(c).strip()
            if not value:
                raise TemplateProblem(path, raw.line_of("choices"), f"choice question '{qid}' has a choice without a value")
            q.choices.append(Choice(value, label))
    if qtype == "table":
        columns = raw.get("columns")
        if not isinstance(columns, list) or not columns:
            raise TemplateProblem(path, raw.line_of("columns") if "columns" in raw else raw.line, f"table question '{qid}' needs a list of columns")
        for c in columns:
            if not isinstance(c, dict) or not _ID_RE.match(str(c.get("id", ""))):
                raise TemplateProblem(path, raw.line_of("columns"), f"each column of '{qid}' needs an id (lower-case letters, digits, _) and a label")
            q.columns.append(Column(str(c["id"]), str(c.get("label") or c["id"])))
    return q


def parse_manifest(data: Any, path: Path) -> tuple[dict, list[Question], list[SectionRef]]:
    """(header fields, questions, sections) from a loaded manifest.yaml."""
    if not isinstance(data, LineDict):
        raise TemplateProblem(path, 1, "the manifest must be a block of 'name: value' lines (id, title, description, questions, sections)")
    known = {"id", "title", "description", "questions", "sections", "legal_as_of", "legal_review_by"}
    for key in data:
        if key not in known:
            raise TemplateProblem(path, data.line_of(key), f"unknown setting '{key}' (known: {', '.join(sorted(known))})")
    header = {k: _need_str(data, k, path) for k in ("id", "title", "description")}
    if not _SET_ID_RE.match(header["id"]):
        raise TemplateProblem(path, data.line_of("id"), f"template id '{header['id']}' must be lower-case letters, digits and hyphens")
    header.update(_legal_dates(data, path))
    raw_questions = data.get("questions") or []
    if not isinstance(raw_questions, list):
        raise TemplateProblem(path, data.line_of("questions"), "'questions' must be a list")
    questions: list[Question] = []
    seen: set[str] = set()
    for raw in raw_questions:
        q = parse_question(raw, path, "Questions")
        if q.id in seen:
            raise TemplateProblem(path, raw.line_of("id"), f"question id '{q.id}' is used twice")
        seen.add(q.id)
        questions.append(q)
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise TemplateProblem(path, data.line_of("sections") if "sections" in data else data.line, "'sections' must list the clause files in order")
    sections: list[SectionRef] = []
    for raw in raw_sections:
        if isinstance(raw, str):
            sections.append(SectionRef(raw.strip(), None, data.line_of("sections")))
            continue
        if not isinstance(raw, LineDict) or "clause" not in raw:
            raise TemplateProblem(path, getattr(raw, "line", data.line_of("sections")),
                                  "each section is a clause id, or 'clause: ID' with an optional 'if: CONDITION'")
        for key in raw:
            if key not in ("clause", "if"):
                raise TemplateProblem(path, raw.line_of(key), f"unknown section setting '{key}' (use 'clause' and 'if')")
        condition = raw.get("if")
        sections.append(SectionRef(str(raw["clause"]).strip(), str(condition).strip() if condition not in (None, "") else None,
                                   raw.line_of("clause"), raw.line_of("if")))
    return header, questions, sections


def _legal_dates(data: LineDict, path: Path) -> dict[str, str]:
    """legal_as_of and legal_review_by: ISO dates, the second after the first."""
    dates: dict[str, str] = {}
    for key in ("legal_as_of", "legal_review_by"):
        if data.get(key) in (None, ""):
            continue
        text = str(data[key]).strip()
        try:
            dates[key] = _dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise TemplateProblem(path, data.line_of(key), f"'{key}' must be a date written as YYYY-MM-DD, not '{text}'") from None
    if len(dates) == 2 and dates["legal_review_by"] <= dates["legal_as_of"]:
        raise TemplateProblem(path, data.line_of("legal_review_by"), "'legal_review_by' must come after 'legal_as_of'")
    return dates


def parse_clause_header(meta: dict, path: Path, set_id: str) -> dict:
    missing = [k for k in ("id", "title", "category", "purpose") if not str(meta.get(k) or "").strip()]
    if missing:
        raise TemplateProblem(path, 1, f"the clause details need {', '.join(missing)}")
    cid = str(meta["id"]).strip()
    if not _CLAUSE_ID_RE.match(cid):
        raise TemplateProblem(path, 2, f"clause id '{cid}' must be lower-case letters, digits, '.', '-' and '_'")
    category = str(meta["category"]).strip().lower()
    if category not in CATEGORIES:
        raise TemplateProblem(path, 2, f"clause category '{category}' is not one of: {', '.join(CATEGORIES)}")
    return {"id": cid, "title": str(meta["title"]).strip(), "category": category, "purpose": str(meta["purpose"]).strip(), "set_id": set_id}
