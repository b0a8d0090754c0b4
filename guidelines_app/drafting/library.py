"""The template library: loading template sets, checking them, and assembling
a first draft from questionnaire answers.

Templates are Jinja2 run in a SandboxedEnvironment with StrictUndefined: they
can read the answers and a few helpers, never Python internals, and a typo in
a variable name is an error rather than an empty gap in a policy.

Built-in sets live in the package (paths.builtin_templates_dir()); a
workspace's own ``templates/`` folder adds sets, replaces a built-in set with
the same id, or adds and replaces single clause files of a built-in set
(``templates/<set id>/sections/*.md`` without a manifest).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from guidelines_app.core.document import Document, add_months
from guidelines_app.core.errors import FrontMatterError, GuidelinesError
from guidelines_app.core.paths import builtin_templates_dir
from guidelines_app.drafting.answers import (
    AnswerError,
    blank_answers,
    check_answers,
    defaults,
    find_markers,
    is_decided,
    markdown_table,
    marker,
    render_values,
)
from guidelines_app.drafting.bounds import BoundedEnvironment, TemplateBoundsError, render_bounded
from guidelines_app.drafting.helpers import capfirst, every, long_date, plural, the
from guidelines_app.drafting.model import CATEGORIES, Clause, TemplateProblem, TemplateSet, parse_clause_header, parse_manifest
from guidelines_app.drafting.yaml_lines import YamlProblem, load_yaml, load_yaml_file, plain

__all__ = [
    "AnswerError", "Assembly", "Library", "TemplateProblem", "TemplateRenderError", "TemplateNotFound",
    "assemble", "details_from_answers", "find_markers", "load_library", "render_clause", "CATEGORIES", "RELATIONSHIPS_PER_PERSON",
]

WORKSPACE_TEMPLATES_DIR = "templates"
# About how many active relationships one committed person can keep up
# (Dunbar's number); used for the stated capacity.
RELATIONSHIPS_PER_PERSON = 150
# Names a template may use besides the set's question ids.
HELPER_NAMES = ("title", "today", "label", "table", "tbd", "relationships_per_person", "plural", "every", "the",
                "capfirst", "legal_as_of", "legal_review_by")

_BLANK_RUNS = re.compile(r"\n{3,}")
_HEADING_RE = re.compile(r"^#{1,6}\s")
_TAG_ONLY_RE = re.compile(r"^\s*(\{%.*%\}|\{#.*#\})\s*$")


class TemplateRenderError(GuidelinesError):
    pass


class TemplateNotFound(GuidelinesError):
    pass


def make_environment() -> SandboxedEnvironment:
    # The sandbox with bounds on time, output and memory (drafting.bounds).
    env = BoundedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,  # the output is Markdown, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.tests["decided"] = is_decided
    env.filters["capfirst"] = capfirst
    return env


_ENV = make_environment()


# ---- rendering -------------------------------------------------------------------


def _template_line(exc: BaseException, filename: str) -> int | None:
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _explain(exc: Exception) -> str:
    if isinstance(exc, SecurityError):
        return f"the template tried to reach Python internals, which templates may not do ({exc})"
    if isinstance(exc, MemoryError):
        return "the template needs more memory than this computer has (look for a repetition that grows)"
    if isinstance(exc, RecursionError):
        return "the template calls itself without end (a macro that calls itself)"
    if isinstance(exc, UndefinedError):
        return f"unknown variable or field: {exc.message}"
    return str(exc) or type(exc).__name__


def _context(tset: TemplateSet, answers: dict[str, Any], title: str, today: _dt.date | None) -> dict[str, Any]:
    values = render_values(tset, answers)

    def label(qid: str) -> str:
        q = tset.question(qid)
        if q is None:
            raise TemplateRenderError(f"label('{qid}'): the set has no question '{qid}'")
        return q.choice_label(answers.get(qid))

    def table(qid: str) -> str:
        q = tset.question(qid)
        if q is None or q.type != "table":
            raise TemplateRenderError(f"table('{qid}'): the set has no table question '{qid}'")
        return markdown_table(q, values[qid])

    values.update(
        title=title or tset.title,
        today=(today or _dt.date.today()).isoformat(),
        label=label,
        table=table,
        tbd=marker,
        relationships_per_person=RELATIONSHIPS_PER_PERSON,
        plural=plural,
        every=every,
        the=the,
        capfirst=capfirst,  # (also the filter "|capfirst"; in a table's cell the function: a "|" there splits the cell)
        legal_as_of=long_date(tset.legal_as_of, "date the legal notes were checked"),
        legal_review_by=long_date(tset.legal_review_by, "date the legal notes are checked again"),
    )
    return values


def _render(clause: Clause, ctx: dict[str, Any]) -> str:
    try:
        text = render_bounded(clause.template, ctx)
    except (TemplateError, TemplateRenderError, TemplateBoundsError, TypeError, ValueError, ArithmeticError,
            AttributeError, KeyError, MemoryError, RecursionError) as exc:
        line = _template_line(exc, str(clause.path))
        line = clause.first_line + line - 1 if line else None
        raise TemplateProblem(clause.path, line, _explain(exc)) from None
    return tidy(text)


def tidy(text: str) -> str:
    """One blank line between blocks, no trailing spaces, one final newline."""
    lines = [line.rstrip() for line in text.split("\n")]
    text = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")
    return text + "\n" if text else ""


def render_sections(tset: TemplateSet, answers: dict[str, Any], title: str = "", today: _dt.date | None = None) -> list[tuple[str, str]]:
    """(clause id, rendered text) for each section whose condition holds."""
    ctx = _context(tset, answers, title, today)
    chunks = []
    for index, ref in enumerate(tset.sections):
        condition = tset.conditions.get(index)
        if condition is not None:
            try:
                if not condition(**ctx):
                    continue
            except (TemplateError, TemplateBoundsError, TypeError, ValueError, ArithmeticError) as exc:
                raise TemplateProblem(tset.path / "manifest.yaml", ref.condition_line or ref.line,
                                      f"the condition '{ref.condition}' failed: {_explain(exc)}") from None
        text = _render(tset.clauses[ref.clause], ctx)
        if text:
            chunks.append((ref.clause, text))
    return chunks


def join_chunks(chunks: list[tuple[str, str]]) -> str:
    return "\n".join(text for _, text in chunks)


def render_clause(tset: TemplateSet, clause_id: str, answers: dict[str, Any] | None = None, title: str = "") -> str:
    """One clause as Markdown, for inserting at the cursor.  Answers the set
    does not ask about are ignored; missing ones take the defaults."""
    known = {q.id for q in tset.questions}
    given = {k: v for k, v in (answers or {}).items() if k in known}
    try:
        values = check_answers(tset, given, strict=False)
    except AnswerError:
        values = defaults(tset)
    return _render(tset.clauses[clause_id], _context(tset, values, title, None))


@dataclass
class Assembly:
    document: Document
    answers: dict[str, Any]
    chunks: list[tuple[str, str]]

    @property
    def markers(self) -> list[tuple[int, str]]:
        return find_markers(self.document.body)


def assemble(tset: TemplateSet, answers: dict[str, Any] | None = None, title: str = "", today: _dt.date | None = None,
             source: str = "") -> Assembly:
    """A new Document from the set and the answers (missing answers take the
    defaults; the answers are stored in the front matter)."""
    values = check_answers(tset, answers, source=source)
    title = (title or "").strip() or tset.title
    chunks = render_sections(tset, values, title, today)
    doc = Document.new(title, body=join_chunks(chunks), today=today)
    doc.meta["template"] = tset.id
    doc.meta["answers"] = plain(values)
    doc.meta.update(details_from_answers(tset, values, today))
    return Assembly(doc, values, chunks)


# Questions whose answer has a natural home in the document's details (the
# front matter the title page, header and document properties read):
# question id -> details key.  A set may name its owner question either way.
DETAIL_QUESTIONS = {
    "organization": "organization",
    "owner_role": "owners",
    "owners": "owners",
    "owner": "owners",
    "review_months": "review_cadence_months",
}


def details_from_answers(tset: TemplateSet, values: dict[str, Any], today: _dt.date | None = None) -> dict[str, Any]:
    """The details the answers decide ({details key: value}): the
    organization, the owners, the review cadence (and so the next review).
    An answer left blank ("to be decided") sets nothing: the details keep
    what they had, and the title page shows no marker text."""
    details: dict[str, Any] = {}
    for qid, key in DETAIL_QUESTIONS.items():
        if tset.question(qid) is None:
            continue
        value = values.get(qid)
        if key == "owners":
            names = value if isinstance(value, list) else [value]
            owners = [str(n).strip() for n in names if isinstance(n, str) and n.strip()]
            if owners:
                details["owners"] = owners
        elif key == "review_cadence_months":
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                details[key] = value
                details["next_review"] = add_months(today or _dt.date.today(), value).isoformat()
        elif isinstance(value, str) and value.strip():
            details[key] = value.strip()
    return details


# ---- loading ---------------------------------------------------------------------


@dataclass
class Library:
    sets: dict[str, TemplateSet] = field(default_factory=dict)
    problems: list[TemplateProblem] = field(default_factory=list)

    def get(self, set_id: str) -> TemplateSet:
        if set_id in self.sets:
            return self.sets[set_id]
        for p in self.problems:
            if p.path and set_id in p.path.parts:
                raise TemplateNotFound(f"the template '{set_id}' cannot be used: {p}")
        available = ", ".join(sorted(self.sets)) or "none"
        raise TemplateNotFound(f"there is no template '{set_id}' (available: {available})")

    def ordered(self) -> list[TemplateSet]:
        return sorted(self.sets.values(), key=lambda s: (s.origin != "built-in", s.title.casefold()))

    def clauses(self, category: str | None = None, search: str = "") -> list[tuple[TemplateSet, Clause]]:
        needle = search.strip().casefold()
        found = []
        for tset in self.ordered():
            for clause in tset.clauses.values():
                if category and clause.category != category:
                    continue
                if needle and needle not in f"{clause.title} {clause.purpose} {clause.id} {clause.source}".casefold():
                    continue
                found.append((tset, clause))
        found.sort(key=lambda pair: (CATEGORIES.index(pair[1].category), pair[0].title, pair[1].title.casefold()))
        return found


def _load_clause(path: Path, set_id: str, env: SandboxedEnvironment) -> Clause:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TemplateProblem(path, None, f"the file is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise TemplateProblem(path, None, f"cannot read the file ({exc.strerror or exc})") from None
    try:
        doc = Document.parse(text, path)
    except FrontMatterError as exc:
        raise TemplateProblem(path, exc.line, exc.problem) from None
    if not doc.meta:
        raise TemplateProblem(path, 1, "a clause file starts with a details block (--- id, title, category, purpose ---)")
    header = parse_clause_header(doc.meta, path, set_id)
    first_line = text[: len(text) - len(doc.body)].count("\n") + 1
    source = doc.body
    # Lines holding only a {% set %} or a {# comment #} may come before the heading.
    first = next((line for line in source.split("\n") if line.strip() and not _TAG_ONLY_RE.match(line)), "")
    if not _HEADING_RE.match(first):
        raise TemplateProblem(path, first_line, "a clause must start with a heading line such as '## Scope'")
    try:
        code = env.compile(source, name=path.name, filename=str(path))
    except TemplateSyntaxError as exc:
        raise TemplateProblem(path, first_line + (exc.lineno or 1) - 1, f"template syntax error: {exc.message}") from None
    clause = Clause(source=source, first_line=first_line, path=path, **header)
    clause.template = env.template_class.from_code(env, code, env.make_globals(None))
    return clause


def _line_of_name(source: str, name: str) -> int:
    pattern = re.compile(r"\b" + re.escape(name) + r"\b")
    for n, line in enumerate(source.split("\n"), 1):
        if ("{{" in line or "{%" in line) and pattern.search(line):
            return n
    return 1


def _check_clause_names(clause: Clause, allowed: set[str], env: SandboxedEnvironment) -> None:
    unknown = sorted(meta.find_undeclared_variables(env.parse(clause.source)) - allowed)
    if unknown:
        line = clause.first_line + _line_of_name(clause.source, unknown[0]) - 1
        questions = ", ".join(sorted(allowed - set(HELPER_NAMES)))
        raise TemplateProblem(clause.path, line, f"unknown variable '{unknown[0]}' (the questions of this template are: {questions})")


def _condition(env: SandboxedEnvironment, expression: str, allowed: set[str], path: Path, line: int):
    """*expression* (a section's "if", a question's "asked_if") compiled,
    over the answers and helpers in *allowed* only."""
    try:
        unknown = sorted(meta.find_undeclared_variables(env.parse("{{ " + expression + " }}")) - allowed)
        compiled = env.compile_expression(expression)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(path, line, f"the condition '{expression}' is not valid: {exc.message}") from None
    if unknown:
        raise TemplateProblem(path, line, f"the condition '{expression}' uses an unknown variable '{unknown[0]}'")
    return compiled


def not_asked(tset: TemplateSet, answers: dict[str, Any]) -> set[str]:
    """The questions whose ``asked_if`` does not hold for *answers* (the
    answers as given so far, the rest defaulted)."""
    if not tset.asked:
        return set()
    try:
        values = check_answers(tset, answers, strict=False)
    except AnswerError:
        values = defaults(tset)
    ctx = _context(tset, values, tset.title, None)
    out = set()
    for qid, condition in tset.asked.items():
        try:
            if not condition(**ctx):
                out.add(qid)
        except (TemplateError, TemplateBoundsError, TypeError, ValueError, ArithmeticError):
            pass  # (an expression that cannot be worked out for these answers: asked)
    return out


def load_set(folder: Path, origin: str = "built-in", extra_sections: dict[str, Path] | None = None,
             env: SandboxedEnvironment | None = None) -> TemplateSet:
    """One template set, fully checked: every clause is compiled and rendered
    with the default answers and with every answer blank."""
    env = env or _ENV
    manifest_path = folder / "manifest.yaml"
    try:
        data = load_yaml_file(manifest_path)
    except YamlProblem as exc:
        raise TemplateProblem(exc.path, exc.line, exc.problem) from None
    header, questions, sections = parse_manifest(data, manifest_path)
    files = {p.name: p for p in sorted((folder / "sections").glob("*.md"))}
    files.update(extra_sections or {})
    clauses: dict[str, Clause] = {}
    for path in files.values():
        clause = _load_clause(path, header["id"], env)
        if clause.id in clauses and clauses[clause.id].path.name != path.name:
            raise TemplateProblem(path, 2, f"clause id '{clause.id}' is also used by {clauses[clause.id].path.name}")
        clauses[clause.id] = clause
    tset = TemplateSet(questions=questions, sections=sections, clauses=clauses, path=folder, origin=origin, **header)
    allowed = {q.id for q in questions} | set(HELPER_NAMES)
    for index, ref in enumerate(sections):
        if ref.clause not in clauses:
            raise TemplateProblem(manifest_path, ref.line,
                                  f"section '{ref.clause}' has no clause file in {folder / 'sections'} (a file whose details say 'id: {ref.clause}')")
        if ref.condition:
            tset.conditions[index] = _condition(env, ref.condition, allowed, manifest_path, ref.condition_line or ref.line)
    for q in questions:
        if q.asked_if:
            tset.asked[q.id] = _condition(env, q.asked_if, allowed, manifest_path, q.asked_if_line)
    for clause in clauses.values():
        _check_clause_names(clause, allowed, env)
    # Defaults must be valid answers, and no answer combination we can
    # foresee may crash a template: try the defaults and all-blank answers.
    try:
        values = defaults(tset)
    except AnswerError as exc:
        raise TemplateProblem(manifest_path, None, f"a default does not fit its question: {exc}") from None
    for trial in (values, blank_answers(tset)):
        ctx = _context(tset, trial, tset.title, None)
        for clause in clauses.values():
            _render(clause, ctx)
        render_sections(tset, trial)
    return tset


def _set_folders(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def load_library(workspace_root: Path | str | None = None, builtin: Path | None = None) -> Library:
    """Every usable set; problems are collected, never stop the others."""
    lib = Library()
    builtin = builtin or builtin_templates_dir()
    folders: dict[str, tuple[Path, str]] = {}
    overlays: dict[str, dict[str, Path]] = {}
    for folder in _set_folders(builtin):
        if (folder / "manifest.yaml").is_file():
            folders[folder.name] = (folder, "built-in")
    if workspace_root is not None:
        for folder in _set_folders(Path(workspace_root) / WORKSPACE_TEMPLATES_DIR):
            if (folder / "manifest.yaml").is_file():
                folders[folder.name] = (folder, "workspace")
            elif (folder / "sections").is_dir():
                overlays[folder.name] = {p.name: p for p in sorted((folder / "sections").glob("*.md"))}
            else:
                lib.problems.append(TemplateProblem(folder, None, "this folder has no manifest.yaml and no sections/ folder, so it is not a template"))
    by_id: dict[str, TemplateSet] = {}
    for name, (folder, origin) in sorted(folders.items()):
        try:
            tset = load_set(folder, origin, overlays.pop(name, None) if origin == "built-in" else None)
        except TemplateProblem as exc:
            lib.problems.append(exc)
            continue
        except GuidelinesError as exc:
            lib.problems.append(TemplateProblem(folder, None, str(exc)))
            continue
        previous = by_id.get(tset.id)
        if previous is not None and previous.origin == tset.origin:
            lib.problems.append(TemplateProblem(folder / "manifest.yaml", 1, f"template id '{tset.id}' is also used by {previous.path}"))
            continue
        if previous is None or tset.origin == "workspace":
            by_id[tset.id] = tset
    for name in overlays:
        lib.problems.append(TemplateProblem(Path(workspace_root) / WORKSPACE_TEMPLATES_DIR / name, None,
                                            f"there is no built-in template '{name}' for these house clauses to join"))
    lib.sets = by_id
    return lib


def load_answers_file(path: Path) -> dict[str, Any]:
    """An answers file: question ids mapped to values."""
    data = load_yaml_file(path)  # YamlProblem names the file and line
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise GuidelinesError(f"{path}: an answers file maps question ids to answers, one 'id: value' line each")
    return plain(data)


def parse_answers_text(text: str, source: str = "") -> dict[str, Any]:
    data = load_yaml(text, source or None)
    return plain(data) if isinstance(data, dict) else {}
