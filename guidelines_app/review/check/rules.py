"""Checks as data: the rules files.

Built-in rules are YAML files in the template library
(``policy_templates/checks/*.yaml``); a workspace adds its own, replaces a
built-in rule by using its id, or switches rules off, in
``.guidelines/checks/*.yaml`` (committed with the workspace, so everyone
checks by the same rules).  A rules file::

    rules:
      - id: legal.working-hours          # unique; letters, digits, ".", "-"
        category: legal                  # see model.CATEGORIES
        severity: warning                # error, warning or note
        title: ...                       # the finding's one line
        pattern: '\\bduring working hours\\b'   # a regular expression (case-insensitive), or
        builtin: markers                 # a named built-in check (check.builtins)
        unless_sentence: '...'           # not flagged when the sentence also says this
        unless_document: '...'           # not flagged when the document says this anywhere
        replace: 'working time'          # a better wording for the matched words
        suggestion: '...'                # a better wording, in prose
        explanation: ...                 # why it matters
        jurisdiction: United States (NLRA section 7)   # legal rules: both of these
        as_of: 2023-08-02
        applies_in: [us]                 # the answers to "whose law applies" it belongs to
        params: {max_words: 35}          # a built-in check's settings
    disabled: [readability.grade]        # ids switched off (workspace files)

A rule with ``applies_in`` belongs to those jurisdictions: when the
document's own questionnaire answer to "whose law applies" (its details,
``answers: {jurisdiction: [...]}``) names none of them, its findings are
notes saying where it would matter, so they never block publishing; a
document without that answer is checked as if every rule applied.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

import yaml

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.front_matter import plain_yaml_problem, refuse_aliases
from guidelines_app.core.paths import builtin_templates_dir
from guidelines_app.review.check.builtins import BUILTINS
from guidelines_app.review.check.model import CATEGORIES, SEVERITIES, Rule

CHECKS_DIR = "checks"  # in the template library
WORKSPACE_CHECKS_DIR = ".guidelines/checks"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,80}$")
_FIELDS = {"id", "category", "severity", "title", "explanation", "pattern", "builtin", "unless_sentence", "unless_document",
           "replace", "suggestion", "jurisdiction", "as_of", "params", "applies_in"}
_PLACE_RE = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")


class RulesError(GuidelinesError):
    """A rules file that cannot be used: names the file, the rule and the field."""


def builtin_rules_dir() -> Path:
    # A checkout that is run (not installed) keeps its own rules beside the
    # package; an installed app finds them in the template library.
    beside = Path(__file__).resolve().parents[3] / "policy_templates" / CHECKS_DIR
    return beside if beside.is_dir() else builtin_templates_dir() / CHECKS_DIR


def _line_of(text: str, rule_id: str) -> int | None:
    m = re.search(r"^\s*-?\s*id:\s*['\"]?" + re.escape(rule_id) + r"['\"]?\s*$", text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _regex(value, where: str, name: str) -> re.Pattern | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise RulesError(f"{where}: '{name}' must be a regular expression in quotes")
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise RulesError(f"{where}: '{name}' is not a valid regular expression ({exc})") from None


def _text(entry: dict, key: str, where: str, required: bool = False) -> str:
    value = entry.get(key)
    if value is None or value == "":
        if required:
            raise RulesError(f"{where}: the field '{key}' is missing")
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise RulesError(f"{where}: '{key}' must be text")
    return " ".join(str(value).split())


def parse_rule(entry, where: str, source: str, builtins: set[str]) -> Rule:
    """One rule from its YAML mapping; RulesError names *where* and the field."""
    if not isinstance(entry, dict):
        raise RulesError(f"{where}: a rule is a list of 'field: value' lines starting with 'id:'")
    unknown = sorted(set(map(str, entry)) - _FIELDS)
    if unknown:
        raise RulesError(f"{where}: unknown field '{unknown[0]}' (the fields are: {', '.join(sorted(_FIELDS))})")
    rule_id = _text(entry, "id", where, True)
    if not _ID_RE.match(rule_id):
        raise RulesError(f"{where}: the id '{rule_id}' may only use lower-case letters, digits, '.' and '-'")
    category = _text(entry, "category", where, True)
    if category not in CATEGORIES:
        raise RulesError(f"{where}: the category '{category}' is not one of {', '.join(CATEGORIES)}")
    severity = _text(entry, "severity", where, True)
    if severity not in SEVERITIES:
        raise RulesError(f"{where}: the severity '{severity}' is not one of {', '.join(SEVERITIES)}")
    pattern = _regex(entry.get("pattern"), where, "pattern")
    builtin = _text(entry, "builtin", where)
    if (pattern is None) == (not builtin):
        raise RulesError(f"{where}: a rule has either a 'pattern' or a 'builtin' (one of them)")
    if builtin and builtin not in builtins:
        raise RulesError(f"{where}: there is no built-in check '{builtin}' (there are: {', '.join(sorted(builtins))})")
    as_of = entry.get("as_of")
    if isinstance(as_of, str):
        try:
            as_of = _dt.date.fromisoformat(as_of.strip())
        except ValueError:
            raise RulesError(f"{where}: 'as_of' must be a date such as 2023-08-02") from None
    if as_of is not None and not isinstance(as_of, _dt.date):
        raise RulesError(f"{where}: 'as_of' must be a date such as 2023-08-02")
    jurisdiction = _text(entry, "jurisdiction", where)
    if category == "legal" and not (jurisdiction and as_of):
        raise RulesError(f"{where}: a legal rule names its 'jurisdiction' and the date its reading is 'as_of'")
    params = entry.get("params") or {}
    if not isinstance(params, dict):
        raise RulesError(f"{where}: 'params' must be a list of 'name: value' lines")
    replace = entry.get("replace")
    if replace is not None and not isinstance(replace, str):
        raise RulesError(f"{where}: 'replace' must be text")
    applies_in = entry.get("applies_in") or []
    applies_in = [applies_in] if isinstance(applies_in, str) else applies_in
    if not isinstance(applies_in, list) or not all(isinstance(p, str) and _PLACE_RE.match(p.strip().lower())
                                                    for p in applies_in):
        raise RulesError(f"{where}: 'applies_in' must list the answers to \"whose law applies\" the rule belongs to, "
                         f"such as [us] or [eu, uk]")
    return Rule(rule_id, category, severity, _text(entry, "title", where, True), _text(entry, "explanation", where, True),
                pattern, builtin, _regex(entry.get("unless_sentence"), where, "unless_sentence"),
                _regex(entry.get("unless_document"), where, "unless_document"), replace, _text(entry, "suggestion", where),
                jurisdiction, as_of, dict(params), source, tuple(p.strip().lower() for p in applies_in))


def load_rules_file(path: Path, builtins: set[str]) -> tuple[list[Rule], list[str]]:
    """(rules, ids switched off) of one file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: cannot read the rules file ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        refuse_aliases(text, yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise RulesError(f"{path}{line}: {plain_yaml_problem(problem) or problem}") from None
    if data is None:
        return [], []
    if not isinstance(data, dict) or set(map(str, data)) - {"rules", "disabled"}:
        raise RulesError(f"{path}: a rules file has a 'rules:' list and/or a 'disabled:' list of rule ids, nothing else")
    entries = data.get("rules") or []
    disabled = data.get("disabled") or []
    if not isinstance(entries, list):
        raise RulesError(f"{path}: 'rules' must be a list (each rule starts with '- id: ...')")
    if not isinstance(disabled, list) or not all(isinstance(d, str) for d in disabled):
        raise RulesError(f"{path}: 'disabled' must be a list of rule ids")
    rules, seen = [], set()
    for n, entry in enumerate(entries, 1):
        rule_id = str(entry.get("id", "")) if isinstance(entry, dict) else ""
        line = _line_of(text, rule_id) if rule_id else None
        where = f"{path}, line {line}, rule '{rule_id}'" if line else f"{path}, rule {n}"
        rule = parse_rule(entry, where, str(path), builtins)
        if rule.id in seen:
            raise RulesError(f"{where}: the id '{rule.id}' is used twice in this file")
        seen.add(rule.id)
        rules.append(rule)
    return rules, [d.strip() for d in disabled]


def load_rules(workspace_root: Path | str | None = None, builtin_dir: Path | None = None) -> list[Rule]:
    """The rules in force: the built-in ones, then the workspace's own (a
    rule with a built-in id replaces it), minus those switched off."""
    names = set(BUILTINS)
    by_id: dict[str, Rule] = {}
    off: set[str] = set()
    folders = [builtin_dir or builtin_rules_dir()]
    if workspace_root is not None:
        folders.append(Path(workspace_root) / WORKSPACE_CHECKS_DIR)
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            rules, disabled = load_rules_file(path, names)
            by_id.update((r.id, r) for r in rules)
            off.update(disabled)
    return [r for r in by_id.values() if r.id not in off]
