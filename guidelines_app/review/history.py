"""A document's revision history as a policy owner sees it: revisions with
their published version and status, content at a revision, restore,
publish (version tags), review dates and "who changed this paragraph".

Every git access goes through ``GitStore``; revision text typed by a user is
resolved here (``v1.2``, ``HEAD~N``, a commit id) and validated before git
sees it.
"""

from __future__ import annotations

import datetime as _dt
import gc
import re
from dataclasses import dataclass, field

from guidelines_app.core import gitbatch, gitlog, statuscache
from guidelines_app.core.approval import content_key, tag_prefix
from guidelines_app.core.document import DEFAULT_CADENCE_MONTHS, STATUSES, Document, add_months
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.gitstore import Identity, Revision
from guidelines_app.core.markers import MARKER_RE, find_markers
from guidelines_app.core.workspace import Workspace
from guidelines_app.review.revisions import (  # noqa: F401 - the revisions' names, offered here too
    _TRAILER_RE,
    WORKING,
    Publication,
    PublishError,
    Version,
    describe,
    last_publication,
    publications,
    resolve,
    resolve_all,
    tag_name,
    text_at,
    text_of_commit,
)

DUE_SOON_DAYS = 30



@dataclass(frozen=True)
class GateProblem:
    """A reason not to publish: an open marker or an error-level check
    finding (with its 0-based line in the body, to jump to), a required
    sign-off the text does not have, or unchanged text."""

    kind: str  # "marker", "finding", "signoff", "check" (the checks cannot run), "empty" or "unchanged"
    text: str  # 'line 12: [to be decided: approver]' (a line of the file) or 'nothing changed since version 1.0'
    line: int | None = None  # a marker's 0-based line in the body (the editor's lines)
    label: str = ""  # what a marker says is to be decided


class PublishBlocked(PublishError):
    """Publishing refused: *problems* says why; a reason overrides it."""

    def __init__(self, slug: str, problems: list[GateProblem]):
        self.problems = problems
        markers = sum(1 for p in problems if p.kind == "marker")
        findings = sum(1 for p in problems if p.kind == "finding")
        why = []
        if markers:
            why.append(f"{markers} '[to be decided: ...]' marker{'s' if markers != 1 else ''} remain{'s' if markers == 1 else ''}")
        if findings:
            why.append(f"the check found {findings} error{'s' if findings != 1 else ''} ('guidelines check {slug}' lists them)")
        why += [p.text for p in problems if p.kind not in ("marker", "finding")]
        fix = "decide them, or give a reason to publish anyway" if markers else "give a reason to publish anyway"
        super().__init__(f"{slug} is not published: {'; '.join(why)} ({fix})")


# ---------------------------------------------------------------------------
# Versions
# ---------------------------------------------------------------------------


def next_version(ws: Workspace, slug: str, kind: str) -> Version:
    """The number the next published version gets for a *kind* of change
    ('major', 'minor', or None: the usual step, minor after a first
    publication and 1.0 for the first).

    A first publication is 1.0 as a major change and a 0.x version as a
    minor one (the draft's own 0.x number, else 0.1), unless the details
    already carry a version from 1.0 on, which is then bumped."""
    last = last_publication(ws, slug)
    if last is not None:
        return last.version.bump(kind or "minor")
    try:
        current = Version.parse_or_none(ws.load(slug).version)
    except GuidelinesError:
        current = None
    if current is not None and current >= Version(1, 0):
        return current.bump(kind or "minor")
    if kind == "minor":
        return current if current is not None and current > Version(0, 0) else Version(0, 1)
    Version(0, 0).bump(kind or "major")  # refuses a kind that is not one
    return Version(1, 0)


# ---------------------------------------------------------------------------
# History listing
# ---------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    revision: Revision
    versions: list[str] = field(default_factory=list)  # published versions at this revision
    status: str = ""  # the document's status in this revision ("" = not known yet)
    status_exact: bool = False
    signoffs: list[str] = field(default_factory=list)  # "Legal: Ann Lee, 2026-12-05" (see signoff.attach)

    @property
    def sha(self) -> str:
        return self.revision.sha

    @property
    def message(self) -> str:
        """The revision's message without the app's own trailers."""
        return statuscache.without_trailers(self.revision.message)

    @property
    def version_label(self) -> str:
        return ", ".join(f"v{v}" for v in self.versions)


def _trailers(message: str) -> dict[str, str]:
    return {k.lower(): v for k, v in _TRAILER_RE.findall(message)}


def history(ws: Workspace, slug: str, exact_status: bool = False, most_unknown: int | None = None,
            signoffs: bool = False) -> list[HistoryEntry]:
    """Every revision of a document, newest first, with published versions.

    Statuses come from version tags and from the 'Status:' line the app
    writes into publish and review commits, carried forward to later
    revisions.  *exact_status* also takes every revision that changed the
    status line by hand into account, from the trailers of the app's saves
    and, for commits made by other tools, from a cache inside .git/ filled
    by git for those commits only (``core.statuscache``): the same answer as
    ``reference_history``, which reads every revision's diff.  With
    *most_unknown*, when more commits than that are neither the app's nor
    in the cache (a history imported from elsewhere, read the first time),
    the quick listing comes back instead (``status_exact`` False).  With
    *signoffs*, each entry's sign-offs are filled in (as ``signoff.attach``
    does), read by the same git log.  What each commit says is kept by
    commit id in the log cache inside .git/ (``gitlog.log_entries``)."""
    # Tens of thousands of small objects and no reference cycles: the cyclic
    # garbage collector would only walk the whole heap again and again.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _history(ws, slug, exact_status, most_unknown, signoffs)
    finally:
        if paused:
            gc.enable()


def _history(ws: Workspace, slug: str, exact_status: bool, most_unknown: int | None, signoffs: bool) -> list[HistoryEntry]:
    from guidelines_app.review import signoff  # only a listing with sign-offs needs it

    slug = ws.check_slug(slug)
    if not ws.exists(slug):
        ws.history(slug, max_count=1)  # raises DocumentNotFound when it never existed
    relpath, prefix = ws.relpath(slug), tag_prefix(slug)
    if not exact_status:
        entries = _entries(ws.store.log_with_tags_fast(relpath, prefix), prefix, None)
        return signoff.attach(ws, slug, entries) if signoffs else entries
    logged = gitlog.log_entries(ws.store, relpath, prefix, signoff.SIGNOFF_REF if signoffs else None)
    if logged is None:  # a separator inside a message: the whole-history reading
        entries = reference_history(ws, slug)
        return signoff.attach(ws, slug, entries) if signoffs else entries
    # The newest text must be readable (git log alone never reads a text: a missing one would go unnoticed).
    gitlog.check_readable(ws.store, [e.blobs[1] for e in logged[:1] if e.blobs])
    changes = statuscache.status_changes(ws.store, relpath, logged, most_unknown)
    entries = _entries([(e.revision, e.tags) for e in logged], prefix, changes)
    if signoffs:
        signoff.attach(ws, slug, entries, {e.revision.sha: e.note for e in logged if e.note})
    return entries


def reference_history(ws: Workspace, slug: str) -> list[HistoryEntry]:
    """``history(..., exact_status=True)`` the slow way: git compares every
    revision to find those that changed the status line.  Seconds for
    thousands of revisions; the reference the fast reading is tested against."""
    slug = ws.check_slug(slug)
    if not ws.exists(slug):
        ws.history(slug, max_count=1)
    relpath, prefix = ws.relpath(slug), tag_prefix(slug)
    logged = ws.store.log_with_tags_fast(relpath, prefix)
    changes = {sha: values.get("status", "") for sha, values in ws.store.field_changes(relpath, ("status",))}
    return _entries(logged, prefix, changes)


def _entries(logged, prefix: str, changes: dict[str, str | None] | None) -> list[HistoryEntry]:
    """History entries from the log (newest first); *changes* (None: not
    known) says what each revision did to the status line."""
    version_re = re.compile(re.escape(prefix) + r"/v(\d+)\.(\d+)$")
    known: dict[str, str] = {}
    published: dict[str, list[str]] = {}
    # Thousands of revisions: only the few with a tag or a status line need more than a glance.
    for rev, tags in logged:
        versions = None
        if tags:
            versions = [Version(int(m.group(1)), int(m.group(2))) for m in map(version_re.match, tags) if m]
            if versions:
                published[rev.sha] = [str(v) for v in sorted(versions)]
        message = rev.message
        has_line = message.startswith("Status:") or "\nStatus:" in message  # the regex's own test, quicker
        status = _trailers(message).get("status", "").lower() if has_line else ""
        if status in STATUSES:
            known[rev.sha] = status
        elif versions:
            known[rev.sha] = "approved"  # a published version is an approved one
    exact = changes is not None
    if exact:
        for sha, value in changes.items():
            if value is not None:
                value = value.lower()
                known[sha] = value if value in STATUSES else "draft"
    entries = []
    add = entries.append
    current = "draft" if exact else ""
    get_known, get_published = known.get, published.get
    for rev, _tags in reversed(logged):  # oldest first, carrying the status forward
        sha = rev.sha
        current = get_known(sha, current)
        add(HistoryEntry(rev, get_published(sha) or [], current, exact))
    entries.reverse()
    return entries


# ---------------------------------------------------------------------------
# Revisions (resolved, read and described in review.revisions)
# ---------------------------------------------------------------------------


def restore(ws: Workspace, slug: str, revision: str, author: Identity, message: str | None = None) -> str | None:
    """Make the content of an old revision the newest revision (history is
    never rewritten).  Returns the new commit, or None if nothing changed."""
    sha = resolve(ws, slug, revision)
    text = text_at(ws, slug, sha)
    label = describe(ws, slug, sha)
    message = (message or "").strip() or f"Restore {label}\n\nRestored-from: {sha}"
    return ws.save_text(slug, text, author, message, all_or_nothing=True).commit


# ---------------------------------------------------------------------------
# Status, publishing and review dates
# ---------------------------------------------------------------------------


def set_status(ws: Workspace, slug: str, status: str, author: Identity, note: str = "") -> str | None:
    """Move a document to *status* (e.g. send for review) as a new revision."""
    status = status.strip().lower()
    if status not in STATUSES:
        raise PublishError(f"'{status}' is not a status: use one of {', '.join(STATUSES)}")
    doc = ws.load(slug)
    doc.meta["status"] = status
    message = f"Set status to {status}" + (f"\n\n{note.strip()}" if note.strip() else "") + f"\n\nStatus: {status}"
    return ws.save_text(slug, doc.to_text(), author, message, all_or_nothing=True).commit


def publish_gate(ws: Workspace, slug: str, text: str | None = None) -> list[GateProblem]:
    """Why *text* (default: the file on disk) should not be published: open
    '[to be decided: ...]' markers, error-level findings of the policy check
    (not dismissed), required sign-offs it does not have, or nothing changed
    since the last published version.  Empty when it may be published."""
    slug = ws.check_slug(slug)
    text = ws.load(slug).to_text() if text is None else text
    body = Document.parse(text).body
    front = text[: len(text) - len(body)].count("\n") if text.endswith(body) else 0
    problems = [GateProblem("marker", f"line {front + n + 1}: [to be decided: {label}]", n, label)
                for n, label in find_markers(body)]
    if not body.strip():  # (details alone were published as version 1.0, without a word)
        problems.append(GateProblem("empty", "the document has no text yet: there is nothing to publish"))
    problems += _check_and_signoff_problems(ws, slug, text, front)
    last = last_publication(ws, slug)
    if last is not None:
        try:
            published = Document.parse(ws.read_at(slug, last.commit))
            unchanged = content_key(published) == content_key(Document.parse(text))
        except GuidelinesError:
            unchanged = False
        if unchanged:
            problems.append(GateProblem("unchanged", f"nothing changed since version {last.version}"))
    return problems


def _check_and_signoff_problems(ws: Workspace, slug: str, text: str, front: int) -> list[GateProblem]:
    # Imported here: only publishing runs the checks, and the check package
    # (its rule patterns compiled at import) is most of what `history` and
    # `diff` would import beyond `list` otherwise.
    from guidelines_app.review import check, signoff

    problems = []
    try:
        findings = check.check_document(ws, slug, text, reuse=True).at_or_above("error")  # (asked twice to publish)
    except check.RulesError as exc:
        problems.append(GateProblem("check", f"the policy check cannot run: {exc}"))
        findings = []
    for f in findings:
        if MARKER_RE.fullmatch(f.matched):
            continue  # listed above, as a marker
        where = f"line {front + f.line + 1}: " if f.line is not None else ""
        problems.append(GateProblem("finding", f"{where}{f.title}", f.line, f.rule))
    problems += [GateProblem("signoff", s.describe()) for s in signoff.missing(ws, slug, text)]
    return problems


def publish(ws: Workspace, slug: str, summary: str, approver: str, author: Identity,
            version: str | None = None, kind: str | None = None, today: _dt.date | None = None,
            override_reason: str = "") -> Publication:
    """Publish the document as it is on disk: status 'approved', the new
    version and the next review date are written into its details and saved
    as one revision, which gets the annotated tag '<slug>/vX.Y'.

    Refuses (``PublishBlocked``, with the list) when ``publish_gate`` finds
    a problem, unless *override_reason* says why it is published anyway;
    the reason is then recorded in the commit and the tag ('Override:')."""
    slug = ws.check_slug(slug)
    summary, approver = (summary or "").strip(), (approver or "").strip()
    reason = " ".join((override_reason or "").split())
    if not summary:
        raise PublishError("a change summary is needed to publish: say what changed for readers of the policy")
    if not approver:
        raise PublishError("an approver is needed to publish: give the name of the person who approved this version")
    last = last_publication(ws, slug)
    new = Version.parse(version) if version else next_version(ws, slug, kind)
    if last is not None and new <= last.version:
        raise PublishError(f"version {new} is not after the last published version {last.version}")
    tag = tag_name(slug, new)
    if gitbatch.tag_refs(ws.store, tag):
        raise PublishError(f"version {new} of {slug} is already published")
    problems = publish_gate(ws, slug)
    if problems and not reason:
        raise PublishBlocked(slug, problems)
    trailer = f"\nOverride: {reason}" if problems else ""
    today = today or _dt.date.today()
    doc = ws.load(slug)
    doc.meta["status"] = "approved"
    doc.meta["version"] = str(new)
    cadence = doc.meta.get("review_cadence_months")
    if not isinstance(cadence, int) or isinstance(cadence, bool) or cadence < 1:
        cadence = DEFAULT_CADENCE_MONTHS
    doc.meta["next_review"] = add_months(today, cadence).isoformat()
    first_line = summary.split("\n", 1)[0]
    overridden = " (checks overridden)" if problems else ""  # seen in every history listing
    message = f"Publish version {new}{overridden}: {first_line}\n\n{summary}\n\nStatus: approved\nVersion: {new}\nApprover: {approver}{trailer}"
    result = ws.save_text(slug, doc.to_text(), author, message, all_or_nothing=True)
    commit = result.commit or ws.history(slug, max_count=1)[0].sha
    tag_message = f"Version {new} of {doc.title}\n{summary}\n\nStatus: approved\nApprover: {approver}{trailer}"
    ws.store.create_tag(tag, commit, tag_message, author)
    return Publication(new, tag, commit, approver, summary, "approved",
                       _dt.datetime.now(_dt.UTC), author.name, reason if problems else "")


@dataclass(frozen=True)
class ReviewState:
    next_review: _dt.date | None
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def due_soon(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= DUE_SOON_DAYS

    def message(self) -> str:
        if self.next_review is None:
            return ""
        day = self.next_review.strftime("%d %B %Y").lstrip("0")
        if self.overdue:
            n = -self.days_left
            return f"The review of this policy is overdue: it was due on {day} ({n} day{'s' if n != 1 else ''} ago)."
        if self.due_soon:
            return f"The review of this policy is due on {day} (in {self.days_left} day{'s' if self.days_left != 1 else ''})."
        return f"Next review: {day}."


def review_state(doc: Document, today: _dt.date | None = None) -> ReviewState:
    due = doc.next_review
    if due is None:
        return ReviewState(None, None)
    return ReviewState(due, (due - (today or _dt.date.today())).days)
