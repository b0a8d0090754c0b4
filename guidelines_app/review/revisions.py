"""A document's revisions as a user names them, and its published versions:
``v1.2``, ``HEAD~N`` (the document's own revisions) or a commit id resolved
to a commit, the text at a revision, a revision described for a reader
("version 1.2 (5 Dec 2026)"), and the version tags read as publications.

What a comparison needs of the history, and nothing of publishing,
statuses or review dates (``review.history``, which offers these names
too): a `guidelines diff` loads only this.  Revision text typed by a user
is validated here before git sees it.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import namedtuple

from guidelines_app.core import gitbatch, gitlog
from guidelines_app.core.approval import tag_prefix
from guidelines_app.core.errors import GuidelinesError, RevisionError, TooFewRevisions
from guidelines_app.core.gitstore import Revision, TagRef, validate_revision
from guidelines_app.core.wording import plural
from guidelines_app.core.workspace import Workspace

WORKING = "working"  # the file on disk (saved or not), as a diff side
_VERSION_RE = re.compile(r"^v?(\d{1,4})\.(\d{1,4})$")
_HEAD_RE = re.compile(r"^HEAD(?:~(\d{1,6})|(\^+))?$")
_HEX_RE = re.compile(r"^[0-9a-fA-F]{4,40}$")
_TRAILER_RE = re.compile(r"^(Status|Version|Approver|Override|Restored-from):[ \t]*(.+?)[ \t]*$", re.MULTILINE)


class PublishError(GuidelinesError):
    pass


# Named tuples rather than dataclasses: a dataclass costs an import about
# 0.3 ms to create, ten times a named tuple, and every comparison imports these.
class Version(namedtuple("Version", "major minor")):
    """A published version, MAJOR.MINOR (two ints), ordered as numbers."""

    __slots__ = ()

    @classmethod
    def parse(cls, text: str) -> Version:
        m = _VERSION_RE.match(str(text).strip())
        if not m:
            raise PublishError(f"'{text}' is not a version number: use MAJOR.MINOR, such as 1.2")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def parse_or_none(cls, text) -> Version | None:
        try:
            return cls.parse(str(text)) if text not in (None, "") else None
        except PublishError:
            return None

    def bump(self, kind: str) -> Version:
        if kind == "major":
            return Version(self.major + 1, 0)
        if kind == "minor":
            return Version(self.major, self.minor + 1)
        raise PublishError(f"'{kind}' is not a kind of change: use major (substantive) or minor (editorial)")

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


def tag_name(slug: str, version: Version) -> str:
    return f"{tag_prefix(slug)}/v{version}"


class Publication(namedtuple("Publication", "version tag commit approver summary status date publisher override",
                              defaults=("",))):
    """A published version of a document (its tag): the Version, the tag's
    name, the commit, approver, summary, status, date (or None), publisher,
    and the reason it was published although the publishing checks refused
    (override, "" when they did not)."""

    __slots__ = ()


def _parse_tag(ref: TagRef, name_re: re.Pattern) -> Publication | None:
    """*ref* as a Publication, when its name is one of *name_re*'s (the
    document's tag prefix, "/v", the version)."""
    m = name_re.match(ref.name)
    if not m:
        return None
    fields, lines = {}, []
    for line in ref.message.split("\n"):  # the trailers read, and the other lines kept, in one pass
        trailer = _TRAILER_RE.match(line)
        if trailer:
            fields[trailer.group(1).lower()] = trailer.group(2)
        else:
            lines.append(line)
    summary = "\n".join(lines).strip()
    # The first line of the tag message is "Version X.Y of <title>"; the rest is the summary.
    if summary.startswith("Version ") and "\n" in summary:
        summary = summary.split("\n", 1)[1].strip()
    return Publication(Version(int(m.group(1)), int(m.group(2))), ref.name, ref.commit, fields.get("approver", ""),
                       summary, fields.get("status", "approved"), ref.date, ref.tagger, fields.get("override", ""))


def publications(ws: Workspace, slug: str) -> list[Publication]:
    """Published versions of a document, oldest first."""
    prefix = tag_prefix(ws.check_slug(slug))
    name_re = re.compile(re.escape(prefix) + r"/v(\d+)\.(\d+)$")
    pubs = [p for p in (_parse_tag(r, name_re) for r in gitbatch.tag_refs(ws.store, prefix)) if p]
    return sorted(pubs, key=lambda p: p.version)


def last_publication(ws: Workspace, slug: str) -> Publication | None:
    pubs = publications(ws, slug)
    return pubs[-1] if pubs else None


def resolve(ws: Workspace, slug: str, text: str) -> str:
    """Commit id for a revision of *slug* typed by a user.

    Accepts a published version ('v1.2' or '1.2'), 'HEAD' / 'HEAD~N' (the
    document's own revisions: HEAD~1 is the revision before its latest,
    even when other documents were saved in between) or a commit id."""
    slug = ws.check_slug(slug)
    text = (text or "").strip()
    if text.startswith("-"):
        raise RevisionError(f"'{text}' is not a revision: a revision cannot start with '-'")
    validate_revision(text)
    m = _VERSION_RE.match(text)
    if m:
        version = Version(int(m.group(1)), int(m.group(2)))
        for pub in publications(ws, slug):
            if pub.version == version:
                return pub.commit
        raise RevisionError(f"{slug} has no published version {version}")
    m = _HEAD_RE.match(text)
    if m:
        back = int(m.group(1)) if m.group(1) is not None else len(m.group(2) or "")
        if not ws.exists(slug):
            ws.history(slug, max_count=1)  # raises DocumentNotFound when it never existed
        sha, count = gitlog.nth_revision(ws.store, ws.relpath(slug), back)
        if sha is None:
            raise TooFewRevisions(f"{slug} has only {plural(count, 'saved revision')}; {text} goes back further", count)
        return sha
    if not _HEX_RE.match(text):
        raise RevisionError(f"'{text}' is not a revision: give a commit id, a published version such as v1.2, or HEAD~N")
    if len(text) == 40 and (gitbatch.kept_revision(ws.store, text.lower()) or ws.store.is_commit(text.lower())):
        return text.lower()
    return ws.store.resolve(text)


def resolve_all(ws: Workspace, slug: str, texts: list[str], reader: gitbatch.ObjectReader | None = None) -> list[str]:
    """``resolve`` for several revisions of one command: every 'HEAD~N' among
    them from one walk of the history (through *reader*, a git object reader
    the command reads the texts with, when the walk is short)."""
    slug = ws.check_slug(slug)
    backs = []
    for text in texts:
        m = _HEAD_RE.match((text or "").strip())
        backs.append(None if m is None else int(m.group(1)) if m.group(1) is not None else len(m.group(2) or ""))
    recent: list[str] = []
    if sum(b is not None for b in backs) > 1:
        if not ws.exists(slug):
            ws.history(slug, max_count=1)  # raises DocumentNotFound when it never existed
        count = max(b for b in backs if b is not None) + 1
        recent = gitbatch.recent_revisions(reader, ws.relpath(slug), count) if reader is not None else None
        if recent is None:
            recent = gitlog.recent_revisions(ws.store, ws.relpath(slug), count)
    return [recent[b] if b is not None and b < len(recent) else resolve(ws, slug, text) for text, b in zip(texts, backs, strict=True)]


def text_of_commit(ws: Workspace, slug: str, sha: str) -> str:
    """The document's text in the commit *sha* (a full id ``resolve`` gave)."""
    try:
        data = ws.store.read_fast(ws.relpath(slug), sha)
    except RevisionError:
        raise RevisionError(f"{slug} did not exist yet in revision {sha[:8]}") from None
    return data.decode("utf-8", errors="replace")


def read_texts(ws: Workspace, slug: str, commits: list[str], infos: list[str],
               reader: gitbatch.ObjectReader | None = None) -> tuple[dict[str, str], dict[str, Revision]]:
    """({commit: the document's text in it} for *commits*, {commit: its
    Revision} for *infos*), all full commit ids, read by one request (to
    *reader* when given, a git object reader kept running); what that cannot
    read is read the usual way (``text_of_commit``, ``gitlog.revision_info``:
    the same texts, the same errors)."""
    found = None
    if commits or infos:
        try:
            found = gitbatch.read_sides(ws.store, ws.relpath(slug), commits, infos, reader)
        except GuidelinesError:
            found = None  # each side read the usual way says what is wrong
    texts = {sha: data.decode("utf-8", errors="replace") for sha, data in zip(commits, found or [])}
    for sha in commits:
        if sha not in texts:
            texts[sha] = text_of_commit(ws, slug, sha)
    return texts, {sha: gitlog.revision_info(ws.store, sha) for sha in infos}


def text_at(ws: Workspace, slug: str, revision: str) -> str:
    """The document's text at *revision* (as typed by a user), or the file on
    disk for ``WORKING``."""
    if revision == WORKING:
        return ws.load(slug).to_text()
    return text_of_commit(ws, slug, resolve(ws, slug, revision))


def describe(ws: Workspace, slug: str, revision: str, pubs: list[Publication] | None = None,
             resolved: bool = False) -> str:
    """A revision as a reader of a redline names it: 'version 1.2 (5 Dec
    2026)', 'revision of 5 Dec 2026 06:17 by Dana Writer' or 'the current
    file (not saved)'; no commit ids.  *pubs*: the document's publications,
    when already read; *resolved*: *revision* is a commit id ``resolve``
    gave (not checked again)."""
    if revision == WORKING:  # ("not saved" was said of a file that was)
        return "the current file (not saved)" if ws.has_unsaved_file_changes(slug) else "the current file"
    sha = revision if resolved else resolve(ws, slug, revision)
    versions = [f"version {p.version}" for p in (publications(ws, slug) if pubs is None else pubs) if p.commit == sha]
    rev = gitlog.revision_info(ws.store, sha)
    if versions:
        return f"{', '.join(versions)} ({_day(rev.date)})"
    return f"revision of {_day(rev.date)} {rev.date.astimezone():%H:%M} by {rev.author}"


def _day(moment: _dt.datetime) -> str:
    moment = moment.astimezone()
    return f"{moment.day} {moment.strftime('%b %Y')}"
