"""``guidelines check``, ``review``, ``signoff`` and ``attest``: the policy
check, sign-offs and attestation (review.check, review.signoff,
review.attest).

``guidelines check`` exits 0 when clean, 1 when a finding is at or above
--fail-on (default: error), 2 on a usage error, so an organisation can run it
in its own CI."""

from __future__ import annotations

import json
from pathlib import Path

from guidelines_app.cli.common import AddCommand, CliError, load_settings, open_workspace, out, revision
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.wording import plural, plural_of
from guidelines_app.core.workspace import Workspace, choose_workspace_dir
from guidelines_app.review import attest, check, signoff

EXIT_FINDINGS = 1


def _check_file(args, path: Path) -> check.CheckResult:
    """A Markdown file given by path: the rules of the workspace it is in (if any)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        ws = Workspace.open(choose_workspace_dir(args.workspace, cwd=Path.cwd()))
    except GuidelinesError:
        return check.check_text(text, check.load_rules())
    with ws:
        root = ws.root.resolve()
        inside = root in path.resolve().parents and path.resolve().parent.name == "guidelines"
        slug = path.stem if inside else ""
        others = check.other_documents(ws, slug)
        return check.check_text(text, check.load_rules(ws.root), slug, ws.root, others)


def cmd_check(args) -> int:
    path = Path(args.doc)
    if args.doc.endswith(".md") and path.is_file():
        result, name = _check_file(args, path), str(path)
    elif "/" in args.doc or "\\" in args.doc:  # a file's path, not a document's name ("policy.md" is one)
        raise CliError(f"{args.doc} is a folder, not a Markdown file" if path.is_dir() else
                       f"there is no file {args.doc} (to check a document of the workspace, give its name: "
                       f"'guidelines list' shows them)")
    else:
        with open_workspace(args) as ws:
            result, name = check.check_document(ws, args.doc), ws.check_slug(args.doc)
    failing = result.at_or_above(args.fail_on)
    shown = result.at_or_above(args.show)  # the counts, and --fail-on, still count every finding
    if args.json:
        out(json.dumps({"document": name, "counts": result.counts(), "fail_on": args.fail_on, "failed": bool(failing),
                        "show": args.show, "findings": [f.as_dict(result.front_lines) for f in shown],
                        "dismissed": [dict(f.as_dict(result.front_lines), reason=why) for f, why in result.dismissed],
                        "readability": result.figures}, indent=2, ensure_ascii=False))
        return EXIT_FINDINGS if failing else 0
    for f in shown:
        line = str(f.line + result.front_lines + 1) if f.line is not None else "-"  # the file's line, as editors show it
        out(f"{f.severity}\t{line}\t{f.rule}\t{f.section or '(whole document)'}\t{f.title}")
        if args.explain:
            out(f"\twhy: {f.why}")
            if f.replacement or f.suggestion:
                out(f"\tbetter: {f.replacement or f.suggestion}")
    counts = result.counts()
    figures = result.figures
    grade = f"; grade {figures['grade']:g} (target {figures['target']:g})" if figures.get("words") else ""
    dismissed = f", {len(result.dismissed)} dismissed" if result.dismissed else ""
    hidden = [severity for severity in check.SEVERITIES
              if counts[severity] and check.severity_rank(severity) > check.severity_rank(args.show)]
    unlisted = f" ({' and '.join(map(plural_of, hidden))} not listed: --show note lists every finding)" \
        if hidden else ""
    out(f"{name}: {plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
        f"{plural(counts['note'], 'note')}{dismissed}{unlisted}{grade}")
    return EXIT_FINDINGS if failing else 0


def cmd_review(args) -> int:
    reviewers = [signoff.parse_reviewer(r) for r in args.reviewer or []]
    with open_workspace(args, saving=args.doc) as ws:
        author = ws.identity(load_settings())
        commit = signoff.request_review(ws, args.doc, reviewers, author)
    out(f"{commit[:8]}\t{args.doc} is in review; sign-offs needed from: {', '.join(map(str, reviewers))}")
    return 0


def cmd_review_status(args) -> int:
    with open_workspace(args) as ws:
        states = signoff.state(ws, args.doc)
    if args.json:
        out(json.dumps([{"role": s.reviewer.role, "name": s.reviewer.name, "signed": s.signed,
                         "signoff": s.current.__dict__ if s.current else None,
                         "earlier": [e.__dict__ for e in s.earlier]} for s in states], indent=2))
        return 0
    if not states:
        out(f"{args.doc} names no reviewers (use 'guidelines review request {args.doc} --reviewer ROLE=NAME')")
    for s in states:
        out(s.describe())
    return 0


def cmd_signoff(args) -> int:
    with open_workspace(args) as ws:
        author = ws.identity(load_settings())
        signed = signoff.sign_off(ws, args.doc, args.name, args.role, author, args.comment or "", args.revision)
    out(f"{signed.commit[:8]}\t{signed.role} signed off by {signed.name} on {signed.date}")
    return 0


def cmd_attest_import(args) -> int:
    from guidelines_app.review.attest_dates import system_locale

    day_first = {"day-first": True, "month-first": False}.get(args.dates)
    with open_workspace(args) as ws:
        author = ws.identity(load_settings())
        try:
            done = attest.import_csv(ws, args.doc, Path(args.file), author, day_first, system_locale())
        except attest.AmbiguousDate as exc:
            raise attest.AttestError(f"{exc}; or say which comes first: --dates day-first or --dates month-first") from None
    what = f"{plural(done.count, 'person', 'people')} into the roster" if done.what == "roster" else plural(
        done.count, "acknowledgement record")
    out(f"Imported {what} of {args.doc}")
    if done.dates:
        out(done.dates + f" If that is wrong, import the file again with --dates {'month' if 'read day' in done.dates else 'day'}-first.")
    return 0


def cmd_attest_report(args) -> int:
    with open_workspace(args) as ws:
        report = attest.report(ws, args.doc)
    if args.json:
        out(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return 0
    if report.major is None:
        out(f"{args.doc} has no published version yet: there is nothing to acknowledge")
        return 0
    if not report.total:
        out(f"No list of the people who must read {args.doc} yet: import one (a CSV file of name, email and team) with "
            f"'guidelines attest import {args.doc} FILE' to see who has acknowledged version {report.version}")
        return 0
    for team, people in report.missing.items():
        for p in people:
            out(f"{team}\t{p.name}\t{p.email}")
    out(f"{report.acknowledged} of {report.total} have acknowledged version {report.major}.x (current: {report.version}); "
        f"{report.missing_count} have not")
    return 0


def add_governance_commands(add: AddCommand) -> None:
    p = add("check", cmd_check, "check a document as a careful reviewer would: legal risk, open items, consistency, "
                                "coverage, readability, housekeeping (exit 1 when a finding is at or above --fail-on)")
    p.add_argument("doc", metavar="DOC", help="document name (file name without .md), or the path of a Markdown file")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--fail-on", choices=("error", "warning", "note"), default="error",
                   help="exit with status 1 when a finding is at or above this level (default: error)")
    p.add_argument("--explain", action="store_true", help="say why each finding matters and the better wording")
    p.add_argument("--show", choices=("error", "warning", "note"), default="note",
                   help="list only the findings at or above this level, such as --show warning for errors and warnings "
                        "(default: note, every finding); the counts and --fail-on still take every finding")

    p = add("review", cmd_review, "ask for sign-offs: name the required reviewers and set the status to in review")
    review = p.add_subparsers(dest="review_command", metavar="ACTION", parser_class=type(p))
    review.required = True
    r = review.add_parser("request", help="name the reviewers and send the document for review")
    r.set_defaults(func=cmd_review)
    r.add_argument("doc", metavar="DOC")
    r.add_argument("--reviewer", action="append", metavar="ROLE=NAME", required=True,
                   help="a required reviewer, such as Legal=Ann Lee (repeatable)")
    r = review.add_parser("status", help="who has signed off the text as it is, and whose sign-off is void")
    r.set_defaults(func=cmd_review_status)
    r.add_argument("doc", metavar="DOC")
    r.add_argument("--json", action="store_true", help="print JSON")

    p = add("signoff", cmd_signoff, "record a reviewer's sign-off of the latest saved revision (a git note on it)")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--name", required=True, help="the reviewer's name")
    p.add_argument("--role", required=True, help="the role they sign off for (one of the document's reviewers)")
    p.add_argument("--comment", help="an optional comment")
    p.add_argument("--revision", metavar="REV", type=revision, help="the revision they read (default: the latest saved one)")

    p = add("attest", cmd_attest_import, "acknowledgements: import a roster or records, report who has not confirmed")
    sub = p.add_subparsers(dest="attest_command", metavar="ACTION", parser_class=type(p))
    sub.required = True
    a = sub.add_parser("import", help="import a roster (name, email, team) or acknowledgement records (email, version, date) from CSV")
    a.set_defaults(func=cmd_attest_import)
    a.add_argument("doc", metavar="DOC")
    a.add_argument("file", metavar="FILE.csv")
    a.add_argument("--dates", choices=("day-first", "month-first"),
                   help="how to read a date such as 08/12/2026 when the file's other dates do not tell "
                        "(default: as the policy's jurisdiction answer, else this computer's region setting, writes dates)")
    a = sub.add_parser("report", help="who has not acknowledged the current major version, by team")
    a.set_defaults(func=cmd_attest_report)
    a.add_argument("doc", metavar="DOC")
    a.add_argument("--json", action="store_true", help="print JSON")
