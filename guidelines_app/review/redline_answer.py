"""The text redline of two revisions, as ``guidelines diff`` prints it,
kept once written (``core.answercache``): asked again, it is a file read
instead of a diff and a ``git blame``, and git is asked only for the
revisions typed and the tags.

Only the first line names the sides ("Comparing version 1.2 (...) with
..."): it is kept by the two commit ids, the versions published from them
(the tags are read afresh every time: a version published since names a
revision anew) and the local time zone.  The rest depends on the two texts
alone, so it is keyed by their blob ids (what git says a commit holds is
kept too: a commit id fixes it); with "who changed it" also by the commit
ids of both sides (the history between them) and the time zone (the dates
shown).  Every key holds the code that writes the answer (``_code_stamp``).
This module imports the diff only when the answer is not kept yet.
"""

from __future__ import annotations

import functools
import os
import re
import time
from pathlib import Path

from guidelines_app.core import answercache, gitbatch, gitlog
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.workspace import Workspace
from guidelines_app.review import revisions

_ID_RE = re.compile(r"^[0-9a-f]{40}$|^[0-9a-f]{64}$")
# Bump when the text redline changes in a way the code stamp cannot see.
FORMAT = "text-redline 1"
_PACKAGE = Path(__file__).resolve().parent.parent
# The code that writes an answer: every module of the review and the core
# (the diff, the redline, the Markdown readings, blame).
_CODE_DIRS = (_PACKAGE / "core", _PACKAGE / "review", _PACKAGE / "review" / "diff")


@functools.cache
def _code_stamp() -> str:
    files: list[str] = []
    for folder in _CODE_DIRS:
        try:
            files += sorted(str(folder / name) for name in os.listdir(folder) if name.endswith(".py"))
        except OSError:
            files.append(str(folder))
    return answercache.code_stamp(files)


def _zone() -> str:
    return f"{os.environ.get('TZ', '')}|{time.tzname}|{time.timezone}|{time.altzone}|{time.daylight}"


def _blob_ids(ws: Workspace, relpath: str, commits: list[str]) -> list[str | None]:
    """The blob of *relpath* in each of *commits*: a commit id fixes its
    files for good, so what git said once is kept too."""
    parts = ("blobs", relpath, *commits)
    kept = (answercache.get(ws.store, parts) or "").split()
    if len(kept) == len(commits) and all(_ID_RE.match(blob) for blob in kept):
        return kept
    found = answercache.blob_ids(ws.store, relpath, commits)
    if None not in found:
        answercache.put(ws.store, parts, " ".join(found))
    return found


def _texts_with_ids(ws: Workspace, relpath: str, commits: list[str], reader: gitbatch.ObjectReader | None = None,
                    meanwhile=None) -> tuple[list[str], list[str]] | None:
    """The blob ids of *relpath* in *commits* (kept as ``_blob_ids`` keeps
    them) and its texts, from one read of each blob: git names each blob's
    id as it gives it (or the id is the hash git gives the blob's bytes),
    so a first comparison asks git for the texts only.  None when a side
    cannot be read (the slow road says why).  *meanwhile*: work done while
    git reads."""
    if not all(_ID_RE.match(sha) for sha in commits):
        return None
    try:
        # Both texts and both commits (for the heading) in one request (*reader*'s, when given).
        found = gitbatch.read_sides(ws.store, relpath, commits, reader=reader, ids=True, meanwhile=meanwhile)
        if found is None:
            found = [(None, ws.store.read_fast(relpath, sha)) for sha in commits]
    except GuidelinesError:
        return None
    ids, texts = [], []
    for sha, (blob, data) in zip(commits, found, strict=True):
        if blob is None:
            blob = gitlog.hash_blob(data, sha)
        ids.append(blob)
        texts.append(data.decode("utf-8", errors="replace"))  # as revisions.text_of_commit
    answercache.put(ws.store, ("blobs", relpath, *commits), " ".join(ids))
    return ids, texts


def answer_key(ws: Workspace, slug: str, sha_a: str, sha_b: str, new_text: str | None,
               authors: bool, ids: list[str] | None = None) -> tuple[str, ...] | None:
    """The key of the text redline from full commit id *sha_a* to *sha_b*
    (or ``revisions.WORKING`` with *new_text*, the file as it is now); None
    when a side has no saved text (the comparison then says so itself).
    *ids*: the two sides' blob ids, when already known."""
    relpath = ws.relpath(slug)
    if sha_b == revisions.WORKING:
        [old_id] = _blob_ids(ws, relpath, [sha_a])
        new_id = answercache.text_id(new_text or "")
    else:
        old_id, new_id = ids or _blob_ids(ws, relpath, [sha_a, sha_b])
    if old_id is None or new_id is None:
        return None
    parts = (FORMAT, _code_stamp(), old_id, new_id)
    if authors:
        # Who changed it: the history from one side to the other (the
        # branch's newest commit for the file as it is now) and the zone
        # its dates are shown in.
        newest = ws.store.resolve("HEAD") if sha_b == revisions.WORKING else sha_b
        parts += ("authors", relpath, sha_a, newest, _zone())
    return parts


def text_redline(ws: Workspace, slug: str, sha_a: str, sha_b: str, authors: bool = True,
                 reader: gitbatch.ObjectReader | None = None) -> str:
    """The text redline of *slug* from *sha_a* to *sha_b* (full commit ids,
    or ``revisions.WORKING`` for *sha_b*), with who made each section's
    changes unless *authors* is False; *reader*: a git object reader the
    command keeps, to read the texts with."""
    new_text = revisions.text_at(ws, slug, sha_b) if sha_b == revisions.WORKING else None
    ids = texts = None
    pubs: list = []
    if sha_b != revisions.WORKING:
        relpath = ws.relpath(slug)
        kept = (answercache.get(ws.store, ("blobs", relpath, sha_a, sha_b)) or "").split()
        if len(kept) == 2 and all(_ID_RE.match(blob) for blob in kept):
            ids = kept  # compared before: the ids kept then (not read from the cache again)
        else:  # not compared before: the texts are read at once, their ids with them
            ids, texts = _texts_with_ids(ws, relpath, [sha_a, sha_b], reader,
                                         lambda: _while_reading(ws, slug, pubs)) or (None, None)
    if reader is not None:
        reader.end_input()  # nothing more to read through it: git exits while the texts are compared
    key = answer_key(ws, slug, sha_a, sha_b, new_text, authors, ids)
    body = answercache.get(ws.store, key) if key is not None else None
    if body is None:
        body, complete = _body(ws, slug, sha_a, sha_b, new_text, authors, texts)
        if key is not None and complete:
            answercache.put(ws.store, key, body)
    return _heading(ws, slug, sha_a, sha_b, pubs[0] if pubs else None) + body


def _while_reading(ws: Workspace, slug: str, pubs: list) -> None:
    """What a first comparison does while git reads the texts: the code
    that compares them is imported and stamped, and the versions published
    are read (into *pubs*; left empty when they cannot be, and the heading
    then reads them and says why)."""
    from guidelines_app.review import redline_text as _text  # noqa: F401

    _code_stamp()
    try:
        pubs.append(revisions.publications(ws, slug))
    except GuidelinesError:
        pass


def _body(ws: Workspace, slug: str, sha_a: str, sha_b: str, new_text: str | None,
          authors: bool, texts: list[str] | None = None) -> tuple[str, bool]:
    """The redline after its first line, and whether it is complete (False
    when who made the changes could not be read: not kept then).  *texts*:
    the two sides' texts, when already read."""
    from guidelines_app.review import diff as diffmod
    from guidelines_app.review.redline_text import render_text_body

    if texts is not None:
        old, new = texts
    else:
        new = new_text if new_text is not None else revisions.text_of_commit(ws, slug, sha_b)
        old = revisions.text_of_commit(ws, slug, sha_a)
    result = diffmod.diff_texts(old, new, changes_only=True)  # the text redline shows changed sections only
    found, complete = {}, True
    if authors:
        from guidelines_app.review import blame

        try:
            found = blame.change_authors(ws, slug, result, sha_a, sha_b, new)
        except GuidelinesError:
            complete = False  # who made the changes is extra; the comparison stands without it
    return render_text_body(result, found), complete


def text_heading(old: str, new: str) -> str:
    """The text redline's first line, naming the two sides."""
    return f"Comparing {old} with {new}\n"


def _heading(ws: Workspace, slug: str, sha_a: str, sha_b: str, pubs: list | None = None) -> str:
    """The first line, for these two sides as they are named now: the
    versions published from them (the tags, read afresh every time), and
    otherwise each commit's date and author (fixed by its id), in the
    local time zone.  *pubs*: the versions published, when read already."""
    if sha_b == revisions.WORKING and ws.exists(slug):
        ws.load(slug)  # the file compared: one that cannot be read says so
    if pubs is None:
        pubs = revisions.publications(ws, slug)
    versions = [(str(p.version), p.commit) for p in pubs if p.commit in (sha_a, sha_b)]
    # (the current file's words; never an empty part: a key's parts are joined by NULs)
    unsaved = f"unsaved={ws.has_unsaved_file_changes(slug)}" if sha_b == revisions.WORKING else "revision"
    parts = ("heading", FORMAT, _code_stamp(), sha_a, sha_b, repr(versions), _zone(), unsaved)
    line = answercache.get(ws.store, parts)
    if line is None or not line.startswith("Comparing ") or line.find("\n") != len(line) - 1:
        line = text_heading(revisions.describe(ws, slug, sha_a, pubs, resolved=True),
                            revisions.describe(ws, slug, sha_b, pubs, resolved=True))
        answercache.put(ws.store, parts, line)
    return line
