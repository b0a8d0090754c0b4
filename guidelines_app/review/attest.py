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
import datetime as _dt
import io
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.fileio import atomic_write_text, put_back, utf8
from guidelines_app.core.gitstore import Identity
from guidelines_app.core.workspace import Workspace
from guidelines_app.review import history

ATTEST_DIR = ".guidelines/attest"
ROSTER = "roster.csv"
ACKS = "acknowledgements.csv"
_EMAIL_RE = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_ALIASES = {
    "name": ("name", "full name", "employee", "person"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "respondent email"),
    "team": ("team", "department", "group", "unit"),
    "version": ("version", "policy version", "document version"),
    "date": ("date", "acknowledged", "acknowledged on", "timestamp", "submitted", "completed", "signed",
             "completion time", "start time", "submitted at", "submission date"),
}


class AttestError(GuidelinesError):
    pass


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


def _columns(header: list[str], wanted: tuple[str, ...], source: str) -> dict[str, int]:
    names = [" ".join(h.strip().lower().replace("_", " ").split()) for h in header]
    found = {}
    for key in wanted:
        index = next((n for n, h in enumerate(names) if h in _ALIASES[key]), None)
        if index is None:
            raise AttestError(f"{source}: no '{key}' column (the first row names the columns: {', '.join(wanted)})")
        found[key] = index
    return found


_DAY_MONTH_RE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T,]+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?$")


def _day_first(dates: list[str]) -> bool | None:
    """Whether a file writes the day first (True) or the month first
    (False), as its dates that read only one way show; None when none
    does, or they disagree."""
    orders = set()
    for text in dates:
        m = _DAY_MONTH_RE.match(text.strip())
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a > 12 >= b:
                orders.add(True)
            elif b > 12 >= a:
                orders.add(False)
    return orders.pop() if len(orders) == 1 else None


def _date(text: str, where: str, day_first: bool | None = None) -> str:
    """A record's day as YYYY-MM-DD: ISO dates (with a time or not), and a
    day and month in either order (15/01/2026, 1/15/2026 10:32:15, as form
    tools write them) when only one reading is a date, or the file's other
    dates tell the order (*day_first*: ``_day_first``).  Otherwise
    05/01/2026 is refused: 5 January or 1 May (it was read as 5 January
    without a word)."""
    text = text.strip()
    m = _DAY_MONTH_RE.match(text)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        readings = {(day, month) for day, month in ((a, b), (b, a)) if 1 <= month <= 12 and 1 <= day <= 31}
        if len(readings) > 1 and day_first is not None:
            readings = {(a, b) if day_first else (b, a)}
        if len(readings) > 1:
            raise AttestError(f"{where}: '{text}' could be {_spelled(a, b, year)} or {_spelled(b, a, year)}: "
                              f"write the dates as YYYY-MM-DD (such as {year}-{b:02d}-{a:02d})")
        for day, month in readings:
            try:
                return _dt.date(year, month, day).isoformat()
            except ValueError:
                break
        raise AttestError(f"{where}: '{text}' is not a date (use YYYY-MM-DD, such as 2026-12-05)")
    for fmt in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return _dt.datetime.strptime(text[:19] if "T" in text or ":" in text else text, fmt).date().isoformat()
        except ValueError:
            continue
    try:
        return _dt.datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        raise AttestError(f"{where}: '{text}' is not a date (use YYYY-MM-DD, such as 2026-12-05)") from None


def _spelled(day: int, month: int, year: int) -> str:
    return f"{day} {_dt.date(2000, month, 1):%B} {year}"


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


def parse_acknowledgements(text: str, source: str = "acknowledgements", published: set[str] | None = None) -> list[Acknowledgement]:
    """The records of a CSV file; with *published*, a version not in it is refused."""
    header, rows = _rows(text, source)
    cols = _columns(header, ("email", "version", "date"), source)
    # 05/01/2026 read as the file's unambiguous dates (25/01/2026: day first) write theirs.
    day_first = _day_first([_cell(row, cols["date"]) for _n, row in rows])
    found = []
    for n, row in rows:
        email, version, date = (_cell(row, cols[k]) for k in ("email", "version", "date"))
        where = f"{source}, row {n}"
        if not _EMAIL_RE.match(email):
            raise AttestError(f"{where}: '{email}' is not an e-mail address")
        if history.Version.parse_or_none(version) is None:
            raise AttestError(f"{where}: '{version}' is not a version number (use MAJOR.MINOR, such as 2.0)")
        version = str(history.Version.parse(version))
        if published is not None and version not in published:
            raise AttestError(f"{where}: version {version} was never published")
        found.append(Acknowledgement(email.lower(), version, _date(date, where, day_first)))
    return found


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


def import_csv(ws: Workspace, slug: str, source: Path, author: Identity) -> tuple[str, int]:
    """Import a roster (name, email, team: replaces the roster) or
    acknowledgement records (email, version, date: added to those kept),
    told apart by their columns, and commit the result.  Returns (what, rows)."""
    slug = ws.check_slug(slug)
    ws.load(slug)  # the document exists
    text = _read_text(Path(source))
    header, _rows_ = _rows(text, str(source))
    names = {" ".join(h.strip().lower().replace("_", " ").split()) for h in header}
    # Records name a version; a roster names people or teams and no version.
    is_roster = not names & set(_ALIASES["version"]) and bool(names & set(_ALIASES["name"] + _ALIASES["team"]))
    target = folder(ws, slug)
    if is_roster:
        people = parse_roster(text, str(source))
        if not people:  # (the roster is replaced: a file of headings alone emptied it without a word)
            raise AttestError(f"{Path(source).name} lists nobody, only its heading row: importing it would empty the "
                              f"list of people who must read {slug}; add them, one a row (name, email, team)")
        path, header, rows = target / ROSTER, ["name", "email", "team"], [[p.name, p.email, p.team] for p in people]
        relpath, what, count = f"{ATTEST_DIR}/{slug}/{ROSTER}", "roster", len(people)
    else:
        new = parse_acknowledgements(text, str(source), {str(p.version) for p in history.publications(ws, slug)})
        kept = acknowledgements(ws, slug)
        merged = list(dict.fromkeys(kept + new))
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
    return what, count


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


# ---- the acknowledgement form and the rules in brief ----------------------------------

# A heading that names the document's own summary of its rules, at any level: the first
# pattern that any heading matches wins ("The rules in brief" before "Summary").
_BRIEF_HEADINGS = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"\brules?\b.*\b(?:in brief|at a glance|on (?:a|one) page)\b",
    r"\bin brief\b|\bat a glance\b|\bon (?:a|one) page\b|\bone[- ]page\b",
    r"\bsummary\b|\bsummari[sz]ed\b"))
_NOT_BRIEF_RE = re.compile(r"\b(?:changes?|revisions?|versions?|history)\b", re.IGNORECASE)  # "Summary of changes"
_RULE_START_RE = re.compile(r"^(?:(?:when|if|before|after|whenever|while|unless|once)\b[^;:]*?,\s*)?"
                            r"(?:do not|don['’]t|never|always|only|use|ask|tell|report|keep|protect|be|say|pass|share|check|"
                            r"follow|respect|disclose|get|make|turn on|send|think|post|correct|answer|reply|hand|remove|inform|contact)\b", re.IGNORECASE)
_RULE_WORDS_RE = re.compile(r"\b(?:must|may not|must not|should not|are expected to|need to|is not allowed)\b", re.IGNORECASE)
_STRONG_RE = re.compile(r"\b(?:must|never|do not|don['’]t|always|only|may not|is not allowed)\b", re.IGNORECASE)
# Words that point at something the sentence does not hold: shown alone, it makes no sense.
_POINTING_START_RE = re.compile(r"^(?:they|them|their|theirs|it|its|it['’]s|this|these|that|those|there|here|such|he|she|"
                                r"his|her|him|then|also|otherwise|instead|however|likewise|similarly|both|either|neither|"
                                r"the same|the above|the following|as such)\b", re.IGNORECASE)
_POINTING_RE = re.compile(
    r"\b(?:above|below|aforementioned|the following|as follows|(?:named|listed|described|set out|mentioned) (?:under|in)|"
    r"see (?:also|the|section|appendix|page|chapter|part)|(?:this|that|the (?:next|previous|last)) "
    r"(?:section|part|chapter|paragraph|appendix|table|list)|(?:section|appendix|chapter|table) [A-Z0-9]\b|"
    r"there\b(?! (?:is|are|was|were|will|may|might|can|could|should|must|has|have|had)\b)|"
    r"(?:this|these)\b(?! (?:policy|guidelines?|document)\b)|"
    r"such\b(?! as\b)|those\b(?! (?:who|which|that|of)\b))", re.IGNORECASE)
_PRONOUN_RE = re.compile(r"\b(?:(it|its|it['’]s)|(they|them|their))\b", re.IGNORECASE)
_SINGULAR_BEFORE_RE = re.compile(r"\b(?i:a|an|the|your|our|each|every|any|one)\s+(?!behalf\b)\w|(?<=\s)[A-Z]\w+")  # or a name
_PLURAL_BEFORE_RE = re.compile(r"\b(?!(?:is|was|has|does|this|us|its|yours|ours|always|unless|as|less|across|access)\b)"
                               r"\w{3,}(?:s|s['’]|['’]s)\b|\b(?:people|children|staff|men|women|colleagues)\b", re.IGNORECASE)
_CLAUSE_RE = re.compile(r"[,;]|\b(?:that|who|which|when|whenever|if|because|unless|until|but)\b")
_QUOTED_RE = re.compile(r"[\"“‘']([^\"”’']{3,})[\"”’']")
_LEAD_IN_RE = re.compile(r",?\s*(?:namely|including|such as|for example|for instance|as follows)\s*:$", re.IGNORECASE)
_MARKUP_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`]+|<[^>]+>")
# The page the rules in brief must fit, in lines of body text (11 pt, 15.5 pt apart in
# the house style): an A4 page holds 46.6, a Letter page 43.4; a few are spared for a
# reference document's fonts.  A bullet's line holds about _LINE_CHARS characters.
BRIEF_PAGE_LINES = 42
_LINE_CHARS = 90


def _lines(text: str, chars: int = _LINE_CHARS) -> int:
    return len(textwrap.wrap(text, chars)) or 1


def _page_lines(title: str, intro: list[str], sections: list[tuple[str, list[str]]]) -> float:
    """About how many lines of body text the brief takes, as LibreOffice
    lays out the house style: the title (17 pt, spaced: 3.2 lines), the
    paragraphs of *intro*, each section's heading (14 pt, spaced: 2.4) and
    its bullets (0.2 apart)."""
    return (1.55 * _lines(title, 55) + 1.65 + sum(_lines(p, 95) for p in intro) + 1
            + sum(1.5 * _lines(t, 60) + 0.95 + sum(_lines(r) + 0.2 for r in rules) for t, rules in sections))


def _stands_alone(sentence: str, headings: set[str]) -> bool:
    """Whether *sentence* makes sense away from the text around it: it does
    not start with or lean on a word pointing elsewhere ("Do not change its
    password", "Ask there first", "named under ...", "the table below") nor
    quote another heading."""
    if _POINTING_START_RE.match(sentence) or _POINTING_RE.search(sentence):
        return False
    if any(q.strip().casefold() in headings for q in _QUOTED_RE.findall(sentence)):
        return False
    for m in _PRONOUN_RE.finditer(sentence):  # "its": a thing named before it; "them": before, in another clause
        before = sentence[: m.start()]
        named = (_SINGULAR_BEFORE_RE if m.group(1) else _PLURAL_BEFORE_RE).finditer(before)
        if not any(m.group(1) or _CLAUSE_RE.search(before, n.end()) for n in named):
            return False
    return True


def _rule(sentence: str, headings: set[str]) -> int:
    """How strongly *sentence* states a rule on its own: 2 with a rule's
    words (must, never, do not, always, only), 1 an instruction, 0 none."""
    if (not (sentence[:1].isupper() and sentence.endswith((".", "!"))) or len(sentence.split()) > 30
            or not (_RULE_START_RE.match(sentence) or _RULE_WORDS_RE.search(sentence)) or not _stands_alone(sentence, headings)):
        return 0
    return 2 if _STRONG_RE.search(sentence) else 1


def _candidates(body: str) -> list[tuple[int, str, list[tuple[int, int, str]]]]:
    """(order, section title, [(strength, order, sentence)]) of each section
    with rules: of each paragraph or list item the strongest sentence that
    stands alone, at most two a section, the strongest."""
    from guidelines_app.core.inline_markup import display_text
    from guidelines_app.core.outline import outline
    from guidelines_app.review.check.model import TextView, sentences

    view = TextView(body)
    headings = {display_text(s.title).casefold() for s in view.sections}
    found = []
    sections = [s for s in outline(body) if s.level >= 2] or outline(body)
    for sec in sections:
        nested = [s.line for s in sections if sec.line < s.line < sec.end]
        stop = min(nested) if nested else sec.end
        picked: list[tuple[int, int, str]] = []
        for para in (p for p in view.paragraphs if sec.line < p.first < stop and p.kind in ("prose", "list")):
            if para.lines[0].lstrip().startswith(">"):  # a quote explains; it is no rule
                continue
            raw = _MARKUP_RE.sub(lambda m: m.group(1) or "", " ".join(line.strip() for line in para.lines))
            raw = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", raw)
            best = None
            for a, b in sentences(raw):
                sentence = " ".join(raw[a:b].split())
                if sentence.endswith(":") and _LEAD_IN_RE.search(sentence):  # "Do not post ..., namely:" and a list
                    sentence = _LEAD_IN_RE.sub("", sentence) + "."
                strength = _rule(sentence, headings)
                if strength and (best is None or strength > best[0]):
                    best = (strength, para.first, sentence)
            if best:
                picked.append(best)
        if picked:
            picked = sorted(sorted(picked, key=lambda r: -r[0])[:2], key=lambda r: r[1])
            found.append((sec.line, display_text(sec.title), picked))
    return found


def rules_in_brief(body: str, title: str = "", intro: tuple[str, ...] = (),
                   lines: float = BRIEF_PAGE_LINES) -> tuple[list[tuple[str, list[str]]], bool]:
    """((section title, its rules), whether rules were left out) for a
    one-page summary under *title* and *intro*: the sentences of each section
    that tell the reader what to do and make sense alone (``_stands_alone``).
    Each section's strongest rule first, then the second ones, in the
    document's order, as many as the page holds (*lines*: ``_page_lines``)."""
    chosen: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    cut = False
    for _rank, line, order, name, sentence in sorted((rank, line, order, name, sentence) for line, name, picked in _candidates(body)
                                                     for rank, (_strength, order, sentence) in enumerate(picked)):
        trial = dict(chosen)
        trial[line] = (name, [*chosen.get(line, (name, []))[1], (order, sentence)])
        if _page_lines(title, list(intro), [(n, [s for _o, s in r]) for n, r in trial.values()]) > lines:
            cut = True  # a shorter one may still fit
            continue
        chosen = trial
    return [(name, [s for _o, s in sorted(rules)]) for _line, (name, rules) in sorted(chosen.items())], cut


def own_brief(body: str) -> str | None:
    """The document's own rules in brief, as Markdown under the form's
    title: the text of the section whose heading says "rules in brief" (or
    "in brief", "at a glance", "on one page", "summary"), at any level, its
    own headings a level under the form's title.  None when it has none."""
    from guidelines_app.core.inline_markup import display_text
    from guidelines_app.core.md_lines import ATX_HEADING_RE
    from guidelines_app.core.outline import outline

    sections = outline(body)
    if sum(s.level == 1 for s in sections) == 1 and len(sections) > 1:  # the document's title
        sections = [s for s in sections if s.level > 1]
    sec = next((s for pattern in _BRIEF_HEADINGS for s in sections
                if pattern.search(display_text(s.title)) and not _NOT_BRIEF_RE.search(s.title)), None)
    if sec is None:
        return None
    lines = body.split("\n")
    inner = {s.line: s for s in sections if sec.line < s.line < sec.end}
    out, n = [], sec.line + (1 if ATX_HEADING_RE.match(lines[sec.line]) else 2)
    while n < sec.end:
        if n in inner:  # (an underlined heading: its line and the line under it)
            out.append("#" * min(6, 1 + inner[n].level - sec.level) + " " + inner[n].title)
        else:
            out.append(lines[n])
        n += 2 if n in inner and not ATX_HEADING_RE.match(lines[n]) else 1
    # A picture (no folder to take it from) by its description; a link to a part left out by its words.
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\(#[^)]*\)", lambda m: m.group(1) or m.group(2) or "", "\n".join(out))
    return text.strip() or None


def changes_since(ws: Workspace, slug: str, since: str | None = None) -> tuple[str, list[history.Publication]]:
    """(the version the reader last acknowledged, the publications after it)
    for the form's "what changed"; *since* defaults to the last version of
    the previous major version (none: every publication)."""
    pubs = history.publications(ws, slug)
    if not pubs:
        return "", []
    current = pubs[-1].version
    if since:
        base = history.Version.parse(since)
        if not any(p.version == base for p in pubs):
            raise AttestError(f"{slug} has no published version {base}")
    else:
        earlier = [p.version for p in pubs if p.version.major < current.major]
        base = earlier[-1] if earlier else None
    after = [p for p in pubs if base is None or p.version > base]
    return (str(base) if base else ""), after


def acknowledgement_form(ws: Workspace, slug: str, since: str | None = None, today: _dt.date | None = None):
    """([form, brief] as Markdown, ExportDetails) for the latest published
    version: the form (title, version, date, what changed since the version
    the reader last acknowledged, a signature block) and "the rules in
    brief", each on a page of its own."""
    from guidelines_app.core.approval import approval_of
    from guidelines_app.core.document import Document
    from guidelines_app.publishing.docx import ExportDetails

    slug = ws.check_slug(slug)
    last = history.last_publication(ws, slug)
    if last is None:
        raise AttestError(f"{slug} has no published version yet: publish it first, then ask people to acknowledge it")
    text = ws.read_at(slug, last.commit)
    doc = Document.parse(text, ws.path(slug))
    base, changed = changes_since(ws, slug, since)
    day = (last.date.date() if last.date else (today or _dt.date.today()))
    lines = [f"# Acknowledgement: {doc.title}", "",
             f"**Version {last.version}**, published {day.day} {day.strftime('%B %Y')}"
             + (f" by {doc.organization}" if doc.organization else "") + ".", "",
             "## What changed" + (f" since version {base}" if base else ""), ""]
    lines += [f"- **Version {p.version}:** {' '.join(p.summary.split())}" for p in changed] or ["- This is the first version."]
    # No header row (a blank one): the writer draws it as a block to fill in by hand.
    lines += ["", "## Your confirmation", "",
              f"I have read version {last.version} of “{doc.title}”, understood it, and will follow it.", "",
              "| | |", "|---|---|", "| Name | |", "| Team | |", "| Date | |", "| Signature | |", ""]
    details = ExportDetails.from_document(doc).apply_approval(approval_of(ws, slug, text))
    details.date = day
    return ["\n".join(lines), brief_page(doc.title, str(last.version), doc.body)], details


def brief_page(title: str, version: str, body: str) -> str:
    """The page of the rules in brief as Markdown: the document's own summary of its
    rules as written (``own_brief``), else its rules picked to fit a page
    (``rules_in_brief``), saying when some were left out."""
    heading = f"The rules in brief: {title}"
    own = own_brief(body)
    if own is not None:
        return "\n".join([f"# {heading}", "", f"The policy's own summary of its rules, version {version}. "
                          "The policy itself is what counts.", "", own, ""])
    intro = [f"A one-page summary of version {version}. The policy itself is what counts."]
    note = f"Other rules, and the details of these, are in the full policy: “{title}”, version {version}."
    rules, cut = rules_in_brief(body, heading, (intro[0], note))
    brief = [f"# {heading}", "", intro[0], ""]
    for name, said in rules:
        brief += [f"## {name}", ""] + [f"- {r}" for r in said] + [""]
    return "\n".join(brief + ([note, ""] if cut else []))

