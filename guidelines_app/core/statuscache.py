"""Exact statuses at any history length: what each revision did to the
document's status line, without reading every revision's diff.

The exact status of a revision (see ``review.history``) follows from which
revisions changed the top-level ``status:`` line and to what (git's ``-G``
over the whole history, seconds for thousands of revisions).  That change is
a property of a single commit, so it is known two cheaper ways:

* every save the app makes carries the trailers ``Guidelines-Status:`` and
  ``Guidelines-Version:``; the status trailer says whether this save set the
  status line ('set') or kept it ('kept'), with the file's blob ids before
  and after, so a commit amended or rebased by another tool (other blobs)
  is never taken at its word;
* for every other commit (plain git, other tools, merges) the answer is read
  by git for those commits only.

Either way the answer is kept in a cache inside ``.git/``, keyed by commit
id (a commit id fixes its content and parents, so an entry never goes
stale): a listing looks every revision up there, and reads trailers or asks
git only for commits it does not hold yet.  A missing or damaged cache is
rebuilt on demand.
"""

from __future__ import annotations

import re
from pathlib import Path

from guidelines_app.core import answercache, gitlog
from guidelines_app.core.document import STATUSES, Document
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.gitstore import GitStore

STATUS_TRAILER = "Guidelines-Status"
VERSION_TRAILER = "Guidelines-Version"
_ABBREV = 12
_NO_BLOB = "0" * _ABBREV
_STATUS_TRAILER_RE = re.compile(
    r"^Guidelines-Status:[ \t]*(.+?) \((set|kept); ([0-9a-f]{12}) ([0-9a-f]{12})\)[ \t]*$", re.MULTILINE)
_OWN_TRAILERS_RE = re.compile(r"\n?^Guidelines-(?:Status|Version):[^\n]*$", re.MULTILINE)
_TRAILER_LINE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*:[ \t]")
_CACHE_HEADER = "guidelines status cache 1"
_UNKNOWN = object()
NOT_READ = object()  # what a save has not read from git yet (``save_trailers``' *old*)


def normalized(value: str) -> str:
    value = value.lower()
    return value if value in STATUSES else "draft"


# ---------------------------------------------------------------------------
# Writing: the trailers of a save
# ---------------------------------------------------------------------------


def save_trailers(store: GitStore, relpath: str, old: str | None | object = NOT_READ,
                  old_data: bytes | None = None) -> str:
    """The trailer lines for committing *relpath* as it is on disk now;
    *old*: its blob id in the newest revision (None: not in it), when read
    already, and *old_data*: that blob's bytes, when read too."""
    path = store.root / relpath
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace")
    if old is NOT_READ:
        old = gitlog.blob_id(store, f"HEAD:{relpath}") if store.has_commits() else None
    new = store.repo.git.hash_object("-w", "--", relpath).strip()
    if old and old_data is not None and _stored_as_is(new, data) and not _may_touch_status(old_data, data):
        patch = []  # git's diff would touch no status line: not asked for
    elif old:
        patch = store.repo.git.diff("--unified=0", "--no-color", "--no-ext-diff", "--no-textconv", gitlog.STATUS_DIFF,
                                    old, new, strip_newline_in_stdout=False).split("\n")
    else:
        patch = ["@@"] + ["+" + line for line in text.split("\n")]
    change = gitlog.status_value(patch)
    try:
        doc = Document.parse(text)
        status, version = doc.status, doc.version.strip() or "none"
    except GuidelinesError:
        status, version = "draft", "none"
    value = normalized(change) if change is not None else status
    how = "set" if change is not None else "kept"
    old_id = old[:_ABBREV] if old else _NO_BLOB
    version = " ".join(version.split()) or "none"
    return f"{STATUS_TRAILER}: {value} ({how}; {old_id} {new[:_ABBREV]})\n{VERSION_TRAILER}: {version}"


_STATUS_LINE_RE = re.compile(rb"^status:", re.MULTILINE)  # gitlog.STATUS_PATTERN's lines
_CHUNK = 8192


def _stored_as_is(blob: str, data: bytes) -> bool:
    """Whether git stored *data* as blob *blob* unchanged (no line ends
    converted, no filter): the blob's id is the hash of these bytes."""
    return gitlog.hash_blob(data, blob) == blob


def _may_touch_status(old: bytes, new: bytes) -> bool:
    """Whether git's line diff of *old* to *new* (``gitlog.STATUS_DIFF``)
    may add or remove a status line: whether one lies between the whole
    lines both texts share at their start and at their end.  Git's diff
    sets those shared lines aside before it compares; it marks changed only
    lines of the rest, and a change it slides along equal lines swaps a
    line for an equal one, so a status line outside that rest is touched
    only when the rest holds one too."""
    size = min(len(old), len(new))
    at = 0  # the first byte that differs
    while at < size and old[at:at + _CHUNK] == new[at:at + _CHUNK]:
        at += _CHUNK
    while at < size and old[at] == new[at]:
        at += 1
    start = old.rfind(b"\n", 0, at) + 1  # (the same on both sides: the bytes before *at* are equal)
    tail, room = 0, size - at  # bytes both share at their end (none of them before *at*)
    while tail + _CHUNK <= room and old[len(old) - tail - _CHUNK:len(old) - tail] == new[len(new) - tail - _CHUNK:len(new) - tail]:
        tail += _CHUNK
    while tail < room and old[len(old) - tail - 1] == new[len(new) - tail - 1]:
        tail += 1
    for text in (old, new):
        end = text.find(b"\n", len(text) - tail)  # the first line wholly in the shared end starts after it
        if _STATUS_LINE_RE.search(text, start, len(text) if end < 0 else end + 1):
            return True
    return False


def with_trailers(message: str, trailers: str) -> str:
    """*message* with *trailers* in its last paragraph of trailers (a new
    paragraph when it has none)."""
    message = message.rstrip()
    last = message.rsplit("\n\n", 1)[-1] if "\n\n" in message else ""
    if last and all(_TRAILER_LINE_RE.match(line) for line in last.split("\n")):
        return f"{message}\n{trailers}"
    return f"{message}\n\n{trailers}"


def without_trailers(message: str) -> str:
    """*message* as a person wrote it: the app's own trailers left out."""
    if STATUS_TRAILER not in message and VERSION_TRAILER not in message:
        return message
    return _OWN_TRAILERS_RE.sub("", message).rstrip()


# ---------------------------------------------------------------------------
# Reading: each revision's status-line change
# ---------------------------------------------------------------------------


def _from_trailer(entry: gitlog.LogEntry):
    """The status change a trusted trailer records, else _UNKNOWN."""
    message = entry.revision.message
    at = message.rfind("\n" + STATUS_TRAILER + ":")  # the last one (a save's own comes after the text typed)
    if entry.blobs is None or at < 0:
        return _UNKNOWN
    end = message.find("\n", at + 1)
    found = _STATUS_TRAILER_RE.match(message, at + 1, end if end >= 0 else len(message))
    if not found:
        return _UNKNOWN
    value, how, old, new = found.groups()
    if not (entry.blobs[0].startswith(old) and entry.blobs[1].startswith(new)):
        return _UNKNOWN  # amended, rebased or rewritten: not the diff the trailer describes
    return normalized(value) if how == "set" else None


def cache_path(store: GitStore, relpath: str) -> Path:
    return answercache.document_file(store.common_dir, "status-cache", relpath)


def _load(path: Path, relpath: str) -> tuple[dict[str, str | None], bool]:
    """(the cache's entries, whether more can be added at its end: False
    when its last line was cut short, or it is not a cache)."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return {}, False
    if not lines or lines[0] != f"{_CACHE_HEADER}\t{relpath}":
        return {}, False
    cache: dict[str, str | None] = {}
    for line in lines[1:-1]:  # the last: nothing, or a line whose writing was cut short
        sha, sep, value = line.partition("\t")
        if sep and len(sha) in (40, 64) and value[:1] in ("-", "+"):
            cache[sha] = None if value == "-" else value[1:]
    return cache, lines[-1] == ""


def _save(path: Path, relpath: str, found: dict[str, str | None], fresh: bool) -> None:
    """Add *found* at the cache's end, or (*fresh*) write the cache anew
    with *found* alone: a line added after one cut short would be read
    with it as one wrong line."""
    lines = "".join(f"{sha}\t{'-' if v is None else '+' + v}\n" for sha, v in found.items())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            path.write_text(f"{_CACHE_HEADER}\t{relpath}\n{lines}", encoding="utf-8")
        else:
            with path.open("a", encoding="utf-8") as fh:
                fh.write(lines)
    except OSError:
        pass  # only a cache: the next reading asks git again


def status_changes(store: GitStore, relpath: str, entries: list[gitlog.LogEntry],
                   most: int | None = None) -> dict[str, str | None] | None:
    """{commit: what it did to the status line} for every entry of the
    document's log: a status value, '' when it removed the line, None when
    it did not touch it (as ``GitStore.field_changes`` reads it).  None
    when more than *most* commits would have to be read by git.

    Each commit's answer, once known (from its trailer or from git), is
    kept in the cache: a listing then looks each one up instead of reading
    thousands of trailers again (a quarter of the time of that reading)."""
    changes: dict[str, str | None] = {}
    path = cache_path(store, relpath)
    cache, clean = _load(path, relpath)
    get = cache.get
    found: dict[str, str | None] = {}  # not in the cache yet: kept after
    missing = []
    for entry in entries:
        sha = entry.revision.sha
        known = get(sha, _UNKNOWN)
        if known is _UNKNOWN:
            known = _from_trailer(entry)
            if known is _UNKNOWN:
                missing.append(sha)
                continue
            found[sha] = known
        changes[sha] = known
    if most is not None and len(missing) > most:
        _keep(path, relpath, cache, clean, found)
        return None
    if missing:
        read = gitlog.status_changes(store, relpath, missing)
        changes.update(read)
        found.update(read)
    _keep(path, relpath, cache, clean, found)
    return changes


def _keep(path: Path, relpath: str, cache: dict, clean: bool, found: dict) -> None:
    """Keep *found* (answers not in *cache* yet) in the cache file: added at
    its end, or, when it cannot be added to (*clean* False), the file
    written anew with all of them."""
    if found:
        _save(path, relpath, found if clean else {**cache, **found}, fresh=not clean)
