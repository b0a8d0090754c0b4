"""Sign-offs: a document names its required reviewers (role and person,
``reviewers`` in its details); "request review" records the revision under
review and sets the status to in review; each reviewer's sign-off (name,
role, date, comment) is a git note on the exact revision they read, under
``refs/notes/guidelines-signoffs``, readable by any git tool::

    git log --notes=refs/notes/guidelines-signoffs -- guidelines/<slug>.md

A sign-off counts for a text only while the text says what the signed
revision said (``core.approval.content_key``: body, title, organisation,
owners, description); an edit voids it, and it is shown as a sign-off of an
earlier revision.  Changing the status or other details does not.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from guidelines_app.core.approval import content_key
from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError, RevisionError
from guidelines_app.core.gitnotes import GitNotes
from guidelines_app.core.gitstore import Identity
from guidelines_app.core.wording import long_day
from guidelines_app.core.workspace import Workspace
from guidelines_app.review.revisions import resolve

SIGNOFF_REF = "refs/notes/guidelines-signoffs"
REVIEWERS_KEY = "reviewers"
_FIELD_RE = re.compile(r"^(Sign-off|Name|Date|Document|Comment|Entered-by):[ \t]*(.*?)[ \t]*$")


class SignOffError(GuidelinesError):
    pass


@dataclass(frozen=True)
class Reviewer:
    role: str
    name: str

    def __str__(self) -> str:
        return f"{self.role} ({self.name})" if self.name else self.role


@dataclass(frozen=True)
class SignOff:
    role: str
    name: str
    date: str  # YYYY-MM-DD
    commit: str
    document: str
    comment: str = ""
    entered_by: str = ""  # who recorded it, when not the reviewer (a sign-off given by e-mail, entered by the owner)


@dataclass
class ReviewerState:
    """One required reviewer: their sign-off of the current text (or None)
    and their sign-offs of earlier texts, which do not count."""

    reviewer: Reviewer
    current: SignOff | None = None
    earlier: list[SignOff] = field(default_factory=list)

    @property
    def signed(self) -> bool:
        return self.current is not None

    def describe(self) -> str:
        """Where this reviewer stands, in words (a day written out, no commit id)."""
        if self.current:
            s = self.current
            entered = f" (entered by {s.entered_by})" if s.entered_by else ""
            return f"{self.reviewer}: signed off by {s.name} on {_day(s.date)}{entered}"
        if self.earlier:
            s = self.earlier[-1]
            return f"{self.reviewer}: signed off an earlier revision on {_day(s.date)}; the text has changed since"
        return f"{self.reviewer}: not signed off yet"


def _day(iso: str) -> str:
    """A sign-off's day as the window writes days: "7 December 2026"."""
    try:
        return long_day(_dt.date.fromisoformat(iso))
    except ValueError:
        return iso


def parse_reviewer(text: str) -> Reviewer:
    """'Legal=Ann Lee' (role=name), 'Legal: Ann Lee' as people also write it, or 'Legal'."""
    text = text or ""
    role, _, name = text.partition("=" if "=" in text else ":")
    role, name = " ".join(role.split()), " ".join(name.split())
    if not role:
        raise SignOffError(f"reviewer '{text}': give it as ROLE=NAME, such as Legal=Ann Lee")
    return Reviewer(role, name)


def required_reviewers(doc: Document) -> list[Reviewer]:
    value = doc.meta.get(REVIEWERS_KEY)
    found = []
    for entry in value if isinstance(value, list) else []:
        if isinstance(entry, dict) and str(entry.get("role") or "").strip():
            found.append(Reviewer(str(entry["role"]).strip(), str(entry.get("name") or "").strip()))
        elif isinstance(entry, str) and entry.strip():
            found.append(parse_reviewer(entry))
    return found


def request_review(ws: Workspace, slug: str, reviewers: list[Reviewer], author: Identity) -> str:
    """Name the required reviewers and send the document for review, as one
    revision (status 'in review'); returns the revision under review."""
    slug = ws.check_slug(slug)
    if not reviewers:
        raise SignOffError("name at least one reviewer: --reviewer ROLE=NAME, such as --reviewer Legal=Ann Lee")
    roles = [r.role.casefold() for r in reviewers]
    twice = next((r.role for r in reviewers if roles.count(r.role.casefold()) > 1), None)
    if twice:
        raise SignOffError(f"the role '{twice}' is named twice: one reviewer per role")
    doc = ws.load(slug)
    doc.meta[REVIEWERS_KEY] = [{"role": r.role, "name": r.name} for r in reviewers]
    doc.meta["status"] = "in review"
    who = ", ".join(map(str, reviewers))
    message = f"Request review from {who}\n\nStatus: in review"
    result = ws.save_text(slug, doc.to_text(), author, message, all_or_nothing=True)
    return result.commit or ws.history(slug, max_count=1)[0].sha


def _notes(ws: Workspace) -> GitNotes:
    return GitNotes(ws.store, SIGNOFF_REF)


def _parse(note: str, commit: str) -> list[SignOff]:
    found = []
    for block in re.split(r"\n[ \t]*\n", note):
        values = {}
        for line in block.split("\n"):
            m = _FIELD_RE.match(line.strip())
            if m:
                values[m.group(1).lower()] = m.group(2)
        if values.get("sign-off") and values.get("name"):
            found.append(SignOff(values["sign-off"], values["name"], values.get("date", ""), commit,
                                 values.get("document", ""), values.get("comment", ""), values.get("entered-by", "")))
    return found


def signoffs(ws: Workspace, slug: str) -> list[SignOff]:
    """Every sign-off of the document's revisions, oldest revision first."""
    slug = ws.check_slug(slug)
    notes = _notes(ws).for_path(ws.relpath(slug))
    order = [r.sha for r in reversed(ws.history(slug))] if notes else []
    found = []
    for sha in order:
        if sha in notes:
            found += [s for s in _parse(notes[sha], sha) if s.document in ("", slug)]
    return found


def attach(ws: Workspace, slug: str, entries: list, notes: dict[str, str] | None = None) -> list:
    """Fill each history entry's ``signoffs`` ('Legal: Ann Lee, 2026-12-05')
    with the sign-offs recorded against its revision.  *notes*: {commit:
    note under SIGNOFF_REF} of the document's revisions, when the history's
    own log already read them (else they are read here)."""
    if notes is not None:
        slug = ws.check_slug(slug)
        found = [s for sha, note in notes.items() for s in _parse(note, sha) if s.document in ("", slug)]
    else:
        found = signoffs(ws, slug)
    by_commit: dict[str, list[str]] = {}
    for s in found:
        by_commit.setdefault(s.commit, []).append(f"{s.role}: {s.name}, {s.date}")
    for e in entries:
        e.signoffs = by_commit.get(e.sha, [])
    return entries


def _revision_of(ws: Workspace, slug: str, revision: str | None) -> str:
    revisions = ws.history(slug)
    if not revisions:
        raise RevisionError(f"{slug} has no saved revision to sign off")
    if revision is None:
        return revisions[0].sha
    sha = resolve(ws, slug, revision)  # as every command reads a revision: v1.0, HEAD~N, a commit id
    if sha not in {r.sha for r in revisions}:
        raise RevisionError(f"revision '{revision}' is not a revision of {slug}")
    return sha


def sign_off(ws: Workspace, slug: str, name: str, role: str, author: Identity, comment: str = "",
             revision: str | None = None, today: _dt.date | None = None) -> SignOff:
    """Record *name*'s sign-off, as *role*, of a revision (default: the
    latest saved one, which must be what is on disk)."""
    slug = ws.check_slug(slug)
    name, role, comment = " ".join((name or "").split()), " ".join((role or "").split()), " ".join((comment or "").split())
    if not name:
        raise SignOffError("a sign-off needs the reviewer's name (--name)")
    doc = ws.load(slug)
    reviewers = required_reviewers(doc)
    match = next((r for r in reviewers if r.role.casefold() == role.casefold()), None)
    if match is None:
        named = ", ".join(r.role for r in reviewers) or "none (use 'guidelines review request' first)"
        raise SignOffError(f"unknown role '{role}': the reviewers of {slug} are {named}")
    if revision is None and ws.has_unsaved_file_changes(slug):
        raise SignOffError(f"{slug} has changes that are not saved as a revision: save them first, so the sign-off names what was read")
    sha = _revision_of(ws, slug, revision)
    for earlier in signoffs(ws, slug):  # signed off already: kept once (it was recorded again at each try)
        if earlier.commit == sha and earlier.role.casefold() == match.role.casefold() and earlier.name == name:
            return earlier
    date = (today or _dt.date.today()).isoformat()
    entered_by = author.name if author.name.casefold() != name.casefold() else ""
    record = (f"Sign-off: {match.role}\nName: {name}\nDate: {date}\nDocument: {slug}" + (f"\nComment: {comment}" if comment else "")
              + (f"\nEntered-by: {entered_by}" if entered_by else ""))
    _notes(ws).append(sha, record, author)
    return SignOff(match.role, name, date, sha, slug, comment, entered_by)


def state(ws: Workspace, slug: str, text: str | None = None) -> list[ReviewerState]:
    """Each required reviewer of the document with their sign-offs, judged
    against *text* (default: the file on disk)."""
    slug = ws.check_slug(slug)
    text = ws.load(slug).to_text() if text is None else text
    doc = Document.parse(text)
    reviewers = required_reviewers(doc)
    if not reviewers:
        return []
    key = content_key(doc)
    keys: dict[str, tuple | None] = {}
    states = [ReviewerState(r) for r in reviewers]
    by_role = {s.reviewer.role.casefold(): s for s in states}
    for signed in signoffs(ws, slug):
        entry = by_role.get(signed.role.casefold())
        if entry is None:
            continue
        if signed.commit not in keys:
            try:
                keys[signed.commit] = content_key(Document.parse(ws.read_at(slug, signed.commit)))
            except GuidelinesError:
                keys[signed.commit] = None
        if keys[signed.commit] == key:
            entry.current = signed
        else:
            entry.earlier.append(signed)
    return states


def missing(ws: Workspace, slug: str, text: str | None = None) -> list[ReviewerState]:
    """The required sign-offs the text does not have."""
    return [s for s in state(ws, slug, text) if not s.signed]
