"""Attestation: who has confirmed reading the current version of a policy.

Kept in the workspace as committed data, per document, under
``.guidelines/attest/<slug>/``: ``roster.csv`` (name, email, team) and
``acknowledgements.csv`` (email, version, date), so the records travel with
the history like any other revision.  Imports accept the CSV files of any
form or survey tool (columns found by name, in any order, any extra columns
ignored); a bad row stops the import with its row number and field, and
nothing is changed.

An acknowledgement counts for the current *major* version: after 2.0 every
reader is asked again; 2.1 asks no one.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.fileio import atomic_write_text, put_back, utf8
from guidelines_app.core.gitstore import Identity
from guidelines_app.core.workspace import Workspace
from guidelines_app.review import history
from guidelines_app.review.attest_dates import AmbiguousDate as AmbiguousDate  # (said by the CLI)
from guidelines_app.review.attest_dates import AttestError as AttestError
from guidelines_app.review.attest_dates import DateOrder, choose_order, default_order, read_date, reads_both_ways

ATTEST_DIR = ".guidelines/attest"
ROSTER = "roster.csv"
ACKS = "acknowledgements.csv"
_EMAIL_RE = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
# Each column's names, the better first: a form tool's "Completion time" is when the
# person confirmed, its "Start time" when they opened the form.
_ALIASES = {
    "name": ("name", "full name", "employee", "person"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "respondent email"),
    "team": ("team", "department", "group", "unit"),
    "version": ("version", "policy version", "document version"),
    "date": ("date", "acknowledged", "acknowledged on", "completion time", "completed", "submitted", "submitted at",
             "submission date", "signed", "timestamp", "start time"),
}
# A version column named by the question a form asked ("Which version of the policy did you read?").
_VERSION_WORD_RE = re.compile(r"\bversion\b")
_VERSION_CELL_RE = re.compile(r"^(?:version|v)\s*(?=\d)", re.IGNORECASE)  # an answer "Version 2.0"


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    team: str


@dataclass(frozen=True)
class Acknowledgement:
    email: str
    version: str
    date: str  # YYYY-MM-DD


@dataclass
class Report:
    """Who has not acknowledged the current major version, by team."""

    version: str  # the current published version ("" when none)
    major: int | None
    total: int
    acknowledged: int
    missing: dict[str, list[Person]]  # team -> people

    @property
    def missing_count(self) -> int:
        return sum(len(p) for p in self.missing.values())

    def as_dict(self) -> dict:
        return {"version": self.version, "major": self.major, "total": self.total, "acknowledged": self.acknowledged,
                "missing": {team: [{"name": p.name, "email": p.email} for p in people] for team, people in self.missing.items()}}


def folder(ws: Workspace, slug: str) -> Path:
    return ws.root / ATTEST_DIR / ws.check_slug(slug)


def _names(header: list[str]) -> list[str]:
    return [" ".join(h.strip().lower().replace("_", " ").split()) for h in header]


def _column(names: list[str], key: str) -> int | None:
    """The column of *key*: the first of its names (``_ALIASES``) found; a
    version also by a question that says "version"."""
    index = next((names.index(alias) for alias in _ALIASES[key] if alias in names), None)
    if index is None and key == "version":
        index = next((n for n, h in enumerate(names) if _VERSION_WORD_RE.search(h)), None)
    return index


def _columns(header: list[str], wanted: tuple[str, ...], source: str) -> dict[str, int]:
    names = _names(header)
    found = {}
    for key in wanted:
        index = _column(names, key)
        if index is None:
            raise AttestError(f"{source}: no '{key}' column (the first row names the columns: {', '.join(wanted)})")
        found[key] = index
    return found


def is_roster(header: list[str]) -> bool:
    """Whether a file's first row names a roster's columns (name, email,
    team) rather than acknowledgement records': records have a version
    column, or an e-mail and a date column and no team column (a form
    tool's export: "Email", "Name", "Completion time" and a question)."""
    names = _names(header)
    if _column(names, "version") is not None:
        return False
    if _column(names, "email") is not None and _column(names, "date") is not None and _column(names, "team") is None:
        return False
    return _column(names, "name") is not None or _column(names, "team") is not None


def _delimiter(text: str) -> str:
    """The separator of a CSV file's columns, as its first row shows it: a
    comma, or a semicolon (Excel's CSV where the decimal mark is a comma),
    or a tab (Excel's "Unicode Text")."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: (counts[sep], sep == ","))
    return best if counts[best] else ","


def _rows(text: str, source: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    try:
        rows = [(n, row) for n, row in enumerate(reader, 1) if any(c.strip() for c in row)]
    except csv.Error as exc:
        raise AttestError(f"{source}: not a CSV file ({exc})") from None
    if not rows:
        raise AttestError(f"{source}: the file is empty")
    return rows[0][1], rows[1:]


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def parse_roster(text: str, source: str = "roster") -> list[Person]:
    header, rows = _rows(text, source)
    cols = _columns(header, ("name", "email", "team"), source)
    people, seen = [], set()
    for n, row in rows:
        name, email, team = (_cell(row, cols[k]) for k in ("name", "email", "team"))
        where = f"{source}, row {n}"
        if not name:
            raise AttestError(f"{where}: the name is empty")
        if not _EMAIL_RE.match(email):
            raise AttestError(f"{where}: '{email}' is not an e-mail address")
        if email.lower() in seen:
            raise AttestError(f"{where}: {email} is listed twice")
        seen.add(email.lower())
        people.append(Person(name, email.lower(), team or "(no team)"))
    return people


def parse_acknowledgements(text: str, source: str = "acknowledgements", published: set[str] | None = None,
                           order: DateOrder | None = None) -> list[Acknowledgement]:
    """The records of a CSV file; with *published*, a version not in it is
    refused.  A date that reads both ways (05/01/2026) is read in *order*,
    unless the file's other dates show it (25/01/2026: day first)."""
    return _records(text, source, published, order)[0]


def _records(text: str, source: str, published: set[str] | None, order: DateOrder | None) -> tuple[list[Acknowledgement], str]:
    """(the records, the sentence that says how a date that reads both ways was read, or "")."""
    header, rows = _rows(text, source)
    cols = _columns(header, ("email", "version", "date"), source)
    dates = [_cell(row, cols["date"]) for _n, row in rows]
    order = choose_order(dates, order)
    found = []
    for n, row in rows:
        email, version, date = (_cell(row, cols[k]) for k in ("email", "version", "date"))
        where = f"{source}, row {n}"
        if not _EMAIL_RE.match(email):
            raise AttestError(f"{where}: '{email}' is not an e-mail address")
        version = _VERSION_CELL_RE.sub("", version)
        if history.Version.parse_or_none(version) is None:
            raise AttestError(f"{where}: '{version}' is not a version number (use MAJOR.MINOR, such as 2.0)")
        version = str(history.Version.parse(version))
        if published is not None and version not in published:
            raise AttestError(f"{where}: version {version} was never published")
        found.append(Acknowledgement(email.lower(), version, read_date(date, where, order.day_first)))
    both = next((d for d in dates if reads_both_ways(d)), None)
    return found, (order.said(both) if both else "")


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> bytes:
    """Write the CSV file; the bytes written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, buffer.getvalue())
    return utf8(buffer.getvalue())


def roster(ws: Workspace, slug: str) -> list[Person]:
    path = folder(ws, slug) / ROSTER
    return parse_roster(path.read_text(encoding="utf-8"), str(path)) if path.is_file() else []


def acknowledgements(ws: Workspace, slug: str) -> list[Acknowledgement]:
    path = folder(ws, slug) / ACKS
    return parse_acknowledgements(path.read_text(encoding="utf-8"), str(path)) if path.is_file() else []


def _read_text(source: Path) -> str:
    """A CSV file's text: UTF-8 (with or without its mark) or UTF-16 with its
    mark (Excel's "Unicode Text"); any other encoding is refused with the
    way to save it, never guessed (a guess can change the letters of names)."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise AttestError(f"cannot read {source}: {exc.strerror or exc}") from None
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AttestError(f"cannot read {source}: it is not UTF-8 text; in Excel, save it as "
                          "'CSV UTF-8 (Comma delimited)'") from None


@dataclass(frozen=True)
class Imported:
    """What an import did: "roster" or "acknowledgements", how many rows,
    and how a date that reads both ways was read ("" when none did)."""

    what: str
    count: int
    dates: str = ""


def import_csv(ws: Workspace, slug: str, source: Path, author: Identity, day_first: bool | None = None,
               locale_name: str | None = None) -> Imported:
    """Import a roster (name, email, team: replaces the roster) or
    acknowledgement records (email, version, date: added to those kept),
    told apart by their columns (``is_roster``), and commit the result.
    A date of the records that reads both ways (08/12/2026) is read as the
    file's other dates, else *day_first*, else the document's jurisdiction,
    else the language and region setting *locale_name* say
    (``attest_dates.default_order``); ``Imported.dates`` says which."""
    from guidelines_app.review.check.engine import answered_places

    slug = ws.check_slug(slug)
    doc = ws.load(slug)  # the document exists
    text = _read_text(Path(source))
    header, _rows_ = _rows(text, str(source))
    target, dates = folder(ws, slug), ""
    if is_roster(header):
        people = parse_roster(text, str(source))
        if not people:  # (the roster is replaced: a file of headings alone emptied it without a word)
            raise AttestError(f"{Path(source).name} lists nobody, only its heading row: importing it would empty the "
                              f"list of people who must read {slug}; add them, one a row (name, email, team)")
        path, header, rows = target / ROSTER, ["name", "email", "team"], [[p.name, p.email, p.team] for p in people]
        relpath, what, count = f"{ATTEST_DIR}/{slug}/{ROSTER}", "roster", len(people)
    else:
        order = default_order(day_first, answered_places(doc), locale_name)
        new, dates = _records(text, str(source), {str(p.version) for p in history.publications(ws, slug)}, order)
        kept = acknowledgements(ws, slug)
        # A person's record of a version imported again (its dates read the other way) replaces the one kept.
        merged = list({(a.email, a.version): a for a in kept + new}.values())
        path, header, rows = target / ACKS, ["email", "version", "date"], [[a.email, a.version, a.date] for a in merged]
        relpath, what, count = f"{ATTEST_DIR}/{slug}/{ACKS}", "acknowledgements", len(new)
    # All or nothing: a file written and not saved as a revision (a lock, a full disk)
    # left sync refusing, with advice to save a file no command saves.
    before = path.read_bytes() if path.is_file() else None
    written = _write_csv(path, header, rows)
    try:
        ws.store.commit_file(relpath, f"Import {what} for {slug} ({count} row{'s' if count != 1 else ''} from {Path(source).name})", author)
    except GuidelinesError:
        put_back(path, written, before)
        raise
    return Imported(what, count, dates)


def report(ws: Workspace, slug: str) -> Report:
    """Who on the roster has not acknowledged the current major version."""
    slug = ws.check_slug(slug)
    if not ws.exists(slug):
        ws.history(slug, max_count=1)  # raises DocumentNotFound when it never existed ("nothing to acknowledge" was said)
    last = history.last_publication(ws, slug)
    people = roster(ws, slug)
    if last is None:
        return Report("", None, len(people), 0, {})
    major = last.version.major
    done = {a.email for a in acknowledgements(ws, slug) if history.Version.parse(a.version).major == major
            and history.Version.parse(a.version) <= last.version}
    missing: dict[str, list[Person]] = {}
    for p in people:
        if p.email not in done:
            missing.setdefault(p.team, []).append(p)
    return Report(str(last.version), major, len(people), len(people) - sum(len(v) for v in missing.values()),
                  dict(sorted(missing.items())))
