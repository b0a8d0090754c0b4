"""CLI commands for the template library: ``templates`` and ``clauses``.

``guidelines new --template ID`` lives in cli.cmd_new and uses
:func:`new_from_template` from here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from guidelines_app.cli.common import AddCommand, CliError, out
from guidelines_app.core.document import Document
from guidelines_app.core.wording import plural
from guidelines_app.core.workspace import Workspace, choose_workspace_dir
from guidelines_app.drafting.library import CATEGORIES, Library, assemble, load_answers_file, load_library


def _library(args) -> Library:
    """Built-in sets plus the workspace's own, when there is a workspace."""
    root = choose_workspace_dir(args.workspace, cwd=Path.cwd())
    lib = load_library(root if root.is_dir() else None)
    for problem in lib.problems:
        sys.stderr.write(f"warning: template skipped: {problem}\n")
    return lib


def cmd_templates(args) -> int:
    lib = _library(args)
    sets = lib.ordered()
    if args.json:
        out(json.dumps([s.as_json() for s in sets], indent=2, ensure_ascii=False))
        return 0
    for s in sets:
        origin = "" if s.origin == "built-in" else f"  ({s.origin})"
        out(f"{s.id}\t{s.title}{origin}")
        out(f"  {s.description}")
        for q in s.questions:
            default = q.default if q.type not in ("table", "list") else plural(len(q.default or []), "row" if q.type == "table" else "item")
            extra = f"  [{', '.join(c.value for c in q.choices)}]" if q.type in ("choice", "multichoice") else ""
            out(f"    {q.id}\t{q.type}\tdefault: {default}{extra}")
            if q.help:
                out(f"      {q.help}")
        out()
    return 0


def cmd_clauses(args) -> int:
    category = (args.category or "").strip().lower() or None
    if category and category not in CATEGORIES:
        raise CliError(f"'{args.category}' is not a clause category; use one of: {', '.join(CATEGORIES)}")
    for tset, clause in _library(args).clauses(category):
        out(f"{tset.id}/{clause.id}\t{clause.category}\t{clause.title}\t{clause.purpose}")
    return 0


def new_from_template(ws: Workspace, template_id: str, answers_path: str | None, title: str | None,
                      organization: str | None = None) -> Document:
    lib = load_library(ws.root)
    tset = lib.get(template_id)
    answers = load_answers_file(Path(answers_path)) if answers_path else {}
    given = answers.get("organization")
    if organization and given is not None and str(given).strip() != organization.strip():
        # (the file's answer was taken without a word: which one did the user mean?)
        raise CliError(f"--organization {organization!r} and the answers file's organization {str(given)!r} differ: "
                       f"give one of them")
    if organization and tset.question("organization") and "organization" not in answers:
        answers["organization"] = organization
    return assemble(tset, answers, title=title or "", source=str(answers_path) if answers_path else "").document


def add_template_commands(add: AddCommand) -> None:
    p = add("templates", cmd_templates, "list the template sets and their questions")
    p.add_argument("--json", action="store_true", help="print JSON: each set with id, title, description and questions")
    p = add("clauses", cmd_clauses, "list the clauses in the template library")
    p.add_argument("--category", metavar="C", help=f"only this category: {', '.join(CATEGORIES)}")
