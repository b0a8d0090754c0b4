"""A guideline document: YAML front matter (the document's details) + a
Markdown body whose headings are its sections.

Round trip guarantee: ``Document.parse(text).to_text() == text`` for any text
that parses, byte for byte, as long as the details were not changed.  The raw
front matter is kept and only re-written when a detail is changed, so opening
and saving a document never makes a noise commit.
"""

from __future__ import annotations

import copy
import datetime as _dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from guidelines_app.core.errors import FrontMatterError, NotUtf8Text
from guidelines_app.core.fileio import from_utf8
from guidelines_app.core.front_matter import plain_yaml_problem, refuse_aliases, simple_details
from guidelines_app.core.inline_markup import display_text
from guidelines_app.core.md_lines import metadata_title
from guidelines_app.core.outline import scan_headings

STATUSES = ("draft", "in review", "approved")
DEFAULT_CADENCE_MONTHS = 12

# How the details are named where a reader sees them (the compare window,
# the redlines, Edit > Document Details); the file keeps the keys.
_STATUS_NAMES = {"draft": "Draft", "in review": "In review", "approved": "Approved"}
DISMISSED_KEY = "check_dismissed"  # the policy check's dismissed findings, with their reasons (``review.check``)
_DETAIL_NAMES = {"review_cadence_months": "Review every (months)", "next_review": "Next review",
                 "answers": "Questionnaire answers", "readability_target": "Readability target",
                 DISMISSED_KEY: "Dismissed check findings"}


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def one_line(value: str) -> str:
    """A detail as one line of text: control characters (a tab, a NUL, a
    terminal's colour codes typed into the details by hand) become a space.
    A Word file cannot hold them at all, and a listing's columns break."""
    return " ".join(_CONTROL_RE.sub(" ", value).split())


def status_name(status: str) -> str:
    """A status as a reader sees it: "in review" -> "In review"."""
    return _STATUS_NAMES.get(status, status[:1].upper() + status[1:])


def detail_name(key: str) -> str:
    """A detail's key as a reader sees it: "next_review" -> "Next review",
    "answers.governance_model" -> "Questionnaire answers: governance model"."""
    group, _, inner = key.partition(".")
    if inner:
        return f"{detail_name(group)}: {inner.replace('_', ' ')}"
    name = _DETAIL_NAMES.get(key) or key.replace("_", " ")
    return name[:1].upper() + name[1:]

# The keys a document written by the app carries, in the order they are written.
STANDARD_KEYS = (
    "title",
    "organization",
    "status",
    "version",
    "owners",
    "template",
    "answers",
    "review_cadence_months",
    "next_review",
)

_OPEN_RE = re.compile(r"---[ \t]*\n")
_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)

def readable_name(stem: str) -> str:
    """A file name as a title: 'social-media-policy' -> 'Social media policy'."""
    words = " ".join(re.split(r"[-_\s]+", stem)).strip()
    return (words[:1].upper() + words[1:]) or "Untitled"


def leading_title_heading(lines: list[str]) -> str:
    """The title of the body's one leading "#" heading (as a reader sees it,
    without its markup): the first heading, at level 1, when no other
    heading is at level 1; else ''."""
    heads = scan_headings(lines)
    if heads and heads[0][1] == 1 and not any(level == 1 for _, level, _ in heads[1:]):
        return " ".join(display_text(heads[0][2]).split())
    return ""


def add_months(day: _dt.date, months: int) -> _dt.date:
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return _dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class Document:
    body: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    # What was read, so an unchanged document is written back unchanged.
    _raw_front: str = ""
    _meta_as_read: dict[str, Any] = field(default_factory=dict)
    _newline: str = "\n"
    _bom: str = ""

    # ---- reading and writing -------------------------------------------------

    @classmethod
    def parse(cls, text: str, path: Path | str | None = None) -> Document:
        path = Path(path) if path else None
        bom = ""
        if text.startswith("\ufeff"):
            bom, text = "\ufeff", text[1:]
        newline = "\n"
        # "\r" first: one character is found at memory speed, "\r\n" is a slow scan of the whole text
        if "\r" in text and "\r\n" in text and text.count("\r\n") == text.count("\n"):
            newline, text = "\r\n", text.replace("\r\n", "\n")
        raw_front, meta, body = "", {}, text
        opening = _OPEN_RE.match(text)
        if opening:
            closing = _CLOSE_RE.search(text, opening.end())
            if closing is None:
                raise FrontMatterError(path, 1, "the details block that starts with '---' is never closed by another '---' line")
            yaml_text = text[opening.end() : closing.start()]
            end = closing.end()
            if end < len(text) and text[end] == "\n":
                end += 1
            raw_front, body = text[:end], text[end:]
            meta = _load_yaml(yaml_text, path)
        doc = cls(body=body, meta=meta, path=path)
        doc._raw_front = raw_front
        doc._meta_as_read = copy.deepcopy(meta)
        doc._newline = newline
        doc._bom = bom
        return doc

    @classmethod
    def load(cls, path: Path) -> Document:
        data = Path(path).read_bytes()
        try:
            text = from_utf8(data)
        except UnicodeDecodeError as exc:
            raise NotUtf8Text(path, exc.start) from None
        return cls.parse(text, path)

    def details_copy(self) -> Document:
        """A copy with these details (its own, to change freely) and no body:
        the document's text made later, elsewhere (on a worker), with them."""
        return replace(self, body="", meta=copy.deepcopy(self.meta))

    def to_text(self) -> str:
        if self.meta == self._meta_as_read:
            front = self._raw_front
        else:
            front = "---\n" + dump_meta(self.meta) + "---\n"
        text = front + self.body
        if self._newline != "\n":
            text = text.replace("\n", self._newline)
        return self._bom + text

    @property
    def front_matter_text(self) -> str:
        """The details block exactly as read (``---`` lines included), or ''."""
        return self._raw_front

    @property
    def front_matter_lines(self) -> int:
        """How many lines the details block, as read, takes before the body."""
        return self._raw_front.count("\n")

    # ---- details -------------------------------------------------------------

    @classmethod
    def new(
        cls,
        title: str,
        organization: str = "",
        owners: list[str] | None = None,
        body: str | None = None,
        today: _dt.date | None = None,
    ) -> Document:
        today = today or _dt.date.today()
        meta: dict[str, Any] = {
            "title": title,
            "organization": organization,
            "status": "draft",
            "version": "0.1",
            "owners": list(owners or []),
            "template": "",
            "answers": {},
            "review_cadence_months": DEFAULT_CADENCE_MONTHS,
            "next_review": add_months(today, DEFAULT_CADENCE_MONTHS).isoformat(),
        }
        if body is None:
            body = f"# {title}\n\n"
        doc = cls(body=body, meta=meta)
        doc._meta_as_read = {}
        return doc

    @property
    def title(self) -> str:
        value = self.meta.get("title")
        if isinstance(value, str) and value.strip():
            return one_line(value)
        lines = self.body.split("\n")
        heading = leading_title_heading(lines)
        if heading:
            return heading
        title = metadata_title(lines)
        if title:
            return title
        return readable_name(self.path.stem) if self.path else "Untitled"

    @property
    def status(self) -> str:
        value = str(self.meta.get("status") or "draft").strip().lower()
        return value if value in STATUSES else "draft"

    @property
    def version(self) -> str:
        """The version the details give: a number such as 1.2 (a list or a
        mapping typed there by hand is no version, and is not shown as Python
        writes it: "{'a': 1}")."""
        value = self.meta.get("version")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return ""
        return str(value)

    @property
    def organization(self) -> str:
        return one_line(str(self.meta.get("organization") or ""))

    @property
    def owners(self) -> list[str]:
        value = self.meta.get("owners")
        if isinstance(value, list):
            return [one_line(str(v)) for v in value if v is not None]
        return [one_line(str(value))] if value else []

    @property
    def next_review(self) -> _dt.date | None:
        value = self.meta.get("next_review")
        if isinstance(value, _dt.datetime):
            return value.date()
        if isinstance(value, _dt.date):
            return value
        if isinstance(value, str):
            try:
                return _dt.date.fromisoformat(value.strip())
            except ValueError:
                return None
        return None

    def details_changed(self) -> bool:
        return self.meta != self._meta_as_read


def shared_front(old: str, new: str) -> str:
    """The details block both texts open with, byte for byte (``---``
    lines included), found without reading it as YAML: the same block means
    the same details, so a comparison needs no YAML reader for it.  '' when
    they differ, when there is none, when it is not plain lines
    (``core.front_matter``), or when the texts are written in a way
    ``Document.parse`` reads differently (a byte order mark, Windows line
    ends)."""
    opening = _OPEN_RE.match(old)
    if opening is None:
        return ""
    closing = _CLOSE_RE.search(old, opening.end())
    if closing is None or closing.end() >= len(old) or old[closing.end()] != "\n":
        return ""
    front = old[:closing.end() + 1]
    if "\r" in front or not new.startswith(front):
        return ""  # (lines that end "\n" alone: neither text is all Windows line ends)
    # Details that are plain lines read without YAML; others might not read
    # at all, and then the whole text is compared (as Document.parse fails).
    return front if simple_details(old[opening.end():closing.start()]) is not None else ""


def dump_meta(meta: dict[str, Any]) -> str:
    ordered = {k: meta[k] for k in STANDARD_KEYS if k in meta}
    ordered.update({k: v for k, v in meta.items() if k not in ordered})
    import yaml  # not at import: reading a document needs it only for details that are not plain lines

    return yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


def _load_yaml(yaml_text: str, path: Path | None) -> dict[str, Any]:
    simple = simple_details(yaml_text)  # plain lines, read as YAML reads them, without importing it
    if simple is not None:
        return simple
    import yaml

    # libyaml's safe loader when PyYAML was built with it: same results, faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        refuse_aliases(yaml_text, loader)
        meta = yaml.load(yaml_text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        context_mark = getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        plain = plain_yaml_problem(problem)
        if context_mark is not None and (mark is None or "end" in problem):
            # An unclosed bracket or quote is reported at the end of the block;
            # where it was opened is what the user needs to find.
            mark = context_mark
            problem = plain or f"{problem} ({getattr(exc, 'context', '') or 'unfinished value'})"
        problem = plain or problem
        # +2: lines are 1-based and the block starts after the opening '---'.
        line = mark.line + 2 if mark is not None else None
        filled = [n for n, text in enumerate(yaml_text.split("\n")) if text.strip()]
        if line is not None and filled and line > filled[-1] + 2:
            line = filled[-1] + 2  # "found end of block": point at the last written line
        raise FrontMatterError(path, line, problem) from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise FrontMatterError(path, 2, "the details block must be a list of 'name: value' lines")
    return {str(k): v for k, v in meta.items()}
