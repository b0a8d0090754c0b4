"""Git plumbing for long histories, next to the git gateway (``gitstore``):
a document's log with the blobs each revision changed (what each commit
says kept by commit id in the log cache inside .git/), one revision's
details, status-line changes of chosen commits, and ``git blame`` limited
to line ranges and a commit range.

Every function takes the workspace's ``GitStore`` and runs git the way it
does (same program, same environment); revisions reaching git here are full
commit ids the gateway resolved, never text a user typed.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from guidelines_app.core import answercache, gitbatch, gitfaults, gitnotes, gitprocess, walkcache
from guidelines_app.core.errors import RevisionError
from guidelines_app.core.gitstore import _SHA_RE, _TAG_PREFIX_RE, STATUS_DIFF, BlameLine, GitStore, Revision

_FIELD = "\x1f"
_RECORD = "\x1e"
ZERO = "0" * 40
# The pattern today's exact statuses are read with (GitStore.field_changes).
STATUS_PATTERN = "^(status):"
# STATUS_DIFF (from gitstore): the line diff every reading and writing of
# status changes asks git for: git's default, whatever diff.algorithm a user
# prefers, so a revision's status change is the same for every reader (and a
# save can tell, without git, when that diff cannot touch a status line:
# statuscache.save_trailers).
_STATUS_PLUS_RE = re.compile(r"^\+(status):[ \t]*(.*?)[ \t]*$")


class LogEntry(NamedTuple):
    """One revision of a document's log: the revision, the tags under the
    asked prefix on it, the file's blob before and after it (None for a
    merge, which git lists without a diff) and its note under the asked
    notes ref ('' when none was asked or it has none)."""

    revision: Revision
    tags: list[str]
    blobs: tuple[str, str] | None
    note: str = ""


def run_git(store: GitStore, *args: str, stdin: bytes | None = None) -> bytes:
    """Output of ``git *args`` in the workspace, read from a temporary file
    (a long log is quicker that way than through a pipe)."""
    return gitprocess.start(store.root, *args, stdin=stdin)()


def start_git(store: GitStore, *args: str, stdin: bytes | None = None) -> Callable[[], bytes]:
    """Start ``git *args`` in the workspace and return at once; calling the
    returned function waits for git and gives its output (as ``run_git``),
    so the caller works meanwhile."""
    return gitprocess.start(store.root, *args, stdin=stdin)


def stream_git(store: GitStore, *args: str) -> Iterator[str]:
    """The output of ``git *args`` in the workspace as text, chunk by chunk
    as git writes it (``gitprocess.stream``)."""
    return gitprocess.stream(store.root, *args)


@gitfaults.guarded("read the history")
def log_entries(store: GitStore, relpath: str, tag_prefix: str, notes_ref: str | None = None) -> list[LogEntry] | None:
    """The revisions that changed *relpath*, newest first, with their tags
    under *tag_prefix*/, the blobs they changed and (with *notes_ref*) their
    notes under that ref.  None when a message, a name or a note holds the
    separators (the caller then reads the history the slower way).

    What a commit says (date, author, message, blobs) is fixed by its id, so
    it is kept in the log cache inside .git/ (``log_cache_path``): with the
    cache, git only walks the history for the ids, tags and notes (half the
    work of reading every commit) and reads the few commits the cache does
    not have yet (new saves, commits by other tools, a rewritten history).
    Without it (the first time, or many commits not in it), one git log
    reads everything and fills it."""
    store._check_relpath(relpath)
    if not _TAG_PREFIX_RE.match(tag_prefix):
        raise RevisionError(f"'{tag_prefix}' is not a usable tag prefix")
    if notes_ref is not None and not gitnotes._REF_RE.match(notes_ref):
        raise RevisionError(f"'{notes_ref}' is not a usable notes ref")
    path = log_cache_path(store, relpath)
    if path.is_file():
        walk = _start_walk(store, relpath, tag_prefix, notes_ref)  # git walks while the cache is read
        cache = _load_log_cache(path, relpath)
        walked = walk()
        if walked is None:
            return None
        missing = [sha for sha, _tags, _note in walked if sha not in cache]
        found = _commits(store, relpath, missing) if 0 < len(missing) <= _MOST_MISSING else {}
        if cache and found is not None and all(sha in found for sha in missing):
            _save_log_cache(path, relpath, found.values(), fresh=False)
            cache.update((e.revision.sha, (e.revision, e.blobs)) for e in found.values())
            entries, get = [], cache.__getitem__
            for sha, tags, note in walked:
                rev, blobs = get(sha)
                entries.append(LogEntry(rev, tags, blobs, note))
            if len(cache) > 2 * len(entries) + 100:  # mostly commits no longer in the history (amended, rebased)
                _save_log_cache(path, relpath, entries, fresh=True)
            return entries
    entries = _read_log(store, "log", f"--format=%H{_FIELD}%aI{_FIELD}%an{_FIELD}%ae{_FIELD}%B{_FIELD}%D{_FIELD}"
                        + (f"%N{_FIELD}" if notes_ref else ""), *_notes_args(notes_ref), "--raw", "--no-abbrev",
                        "--no-renames", "--no-color", f"--decorate-refs=refs/tags/{tag_prefix}/", "--", relpath,
                        extra=2 if notes_ref else 1)
    if entries:
        _save_log_cache(path, relpath, entries, fresh=True)
    return entries


_MOST_MISSING = 500  # more commits than that not in the log cache: read the whole log at once


def _notes_args(notes_ref: str | None) -> list[str]:
    # A notes ref nothing was recorded under yet only makes git warn (on stderr, not shown).
    return [f"--notes={notes_ref}"] if notes_ref else []


def _start_walk(store: GitStore, relpath: str, tag_prefix: str, notes_ref: str | None) -> Callable[[], list | None]:
    """Start git walking *relpath*'s revisions (or take the walk kept while
    nothing it depends on changed: ``walkcache``); the returned function
    gives (id, tags, note) of each, newest first, or None when a note holds
    the separator."""
    def walk_key() -> str | None:
        return walkcache.key(store.git_dir, store.common_dir, relpath, tag_prefix, notes_ref)

    before = walk_key()
    kept = walkcache.get(store.common_dir, relpath, before) if before else None
    collect = None if kept is not None else start_git(
        store, "log", f"--format=%H{_FIELD}%D{_FIELD}" + (f"%N{_FIELD}" if notes_ref else ""), *_notes_args(notes_ref),
        "--no-color", f"--decorate-refs=refs/tags/{tag_prefix}/", "--", relpath)
    width = 3 if notes_ref else 2

    def walked() -> list | None:
        if kept is not None:
            text = kept
        else:
            try:
                out = collect()
            except gitprocess.command_error():
                if not store.has_commits():  # a new workspace (a damaged branch raises here)
                    return []
                raise
            text = out.decode("utf-8", errors="replace")
            if before is not None and walk_key() == before:  # (not kept when a save moved HEAD meanwhile)
                walkcache.put(store.common_dir, relpath, before, text)
        fields = text.split(_FIELD)
        if len(fields) % width != 1:
            return None
        found = []
        for n in range(0, len(fields) - 1, width):
            sha, refs = fields[n].lstrip("\n"), fields[n + 1]
            if len(sha) not in (40, 64) or sha.strip("0123456789abcdef"):
                return None
            found.append((sha, [r[5:] for r in refs.split(", ") if r.startswith("tag: ")] if refs else [],
                          fields[n + 2].strip() if notes_ref else ""))
        return found

    return walked


def _commits(store: GitStore, relpath: str, commits: list[str]) -> dict[str, LogEntry] | None:
    """What the log says of each of *commits* (revisions of *relpath*), read
    by git for these commits only; None when a message holds a separator."""
    data = run_git(store, "log", "--stdin", "--no-walk=unsorted",
                   f"--format=%H{_FIELD}%aI{_FIELD}%an{_FIELD}%ae{_FIELD}%B{_FIELD}", "--raw", "--no-abbrev",
                   "--no-renames", "--no-color", "--", relpath, stdin=("\n".join(commits) + "\n").encode("ascii"))
    entries = _parse_log([data.decode("utf-8", errors="replace")], 0)
    return None if entries is None else {e.revision.sha: e for e in entries}


def _read_log(store: GitStore, *args: str, extra: int) -> list[LogEntry] | None:
    """``_parse_log`` of ``git *args``, read while git writes it."""
    chunks = stream_git(store, *args)
    try:
        return _parse_log(chunks, extra)
    except gitprocess.command_error():
        if not store.has_commits():  # a new workspace (a damaged branch raises here)
            return []
        raise
    finally:
        chunks.close()


def _parse_log(chunks, extra: int) -> list[LogEntry] | None:
    """Log entries from git's output in *chunks*: per revision the fields
    id, date, author, e-mail, message, then *extra* fields (decorations,
    then notes), each ending with a separator, then the raw line of its
    blobs (before the next id).  None when the fields do not line up."""
    new, parse_date = tuple.__new__, _dt.datetime.fromisoformat
    width = 5 + extra
    result: list[LogEntry] = []
    add = result.append
    fields: list[str] = []
    pending, done, last = "", 0, False
    chunks = iter(chunks)
    while not last:
        chunk = next(chunks, None)
        if chunk is None:  # the end: what follows the last separator is the last revision's raw line
            fields.append(pending)
            last = True
        else:
            fields += (pending + chunk).split(_FIELD)
            pending = fields.pop()
        # A revision is complete once the field after its own (its raw line, the next id) has come.
        while len(fields) - done > width:
            sha = fields[done].rpartition("\n")[2]
            if len(sha) not in (40, 64) or sha.strip("0123456789abcdef"):  # as _SHA_RE, quicker for thousands
                return None  # a separator inside a message, a name or a note
            rev = new(Revision, (sha, parse_date(fields[done + 1]), fields[done + 2], fields[done + 3],
                                 fields[done + 4].strip()))  # as Revision(...), minus its Python-level __new__
            refs = fields[done + 5] if extra else ""
            raw = fields[done + width].rpartition("\n")[0]
            at = raw.find(":")
            parts = raw[at:].split(" ", 4) if at >= 0 else ()
            add(LogEntry(rev, [r[5:] for r in refs.split(", ") if r.startswith("tag: ")] if refs else [],
                         (parts[2], parts[3]) if len(parts) == 5 else None,
                         fields[done + 6].strip() if extra > 1 else ""))
            done += width
    return result if len(fields) - done == 1 else None


# ---- the log cache: what each commit says, kept by commit id ---------------------

_LOG_CACHE_HEADER = "guidelines log cache 2"


def log_cache_path(store: GitStore, relpath: str) -> Path:
    return answercache.document_file(store.common_dir, "log-cache", relpath)


def _load_log_cache(path: Path, relpath: str) -> dict[str, tuple]:
    """{commit: (revision, blobs)} from the log cache; records that do not
    read (a write cut short) are left out, a wrong header empties it."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return {}
    head, _, body = text.partition("\n")
    if head != f"{_LOG_CACHE_HEADER}\t{relpath}":
        return {}
    new, parse_date = tuple.__new__, _dt.datetime.fromisoformat
    cache = {}
    records = body.split(_RECORD)
    records.pop()  # after the last record's end: nothing, or a record whose writing was cut short
    for record in records:
        parts = record.split(_FIELD)
        if len(parts) != 7:
            continue
        sha, date, author, email, old, new_blob, message = parts
        sha = sha[1:] if sha[:1] == "\n" else sha  # (a record under anything but a commit id is never asked for)
        try:
            when = parse_date(date)
        except ValueError:
            continue
        cache[sha] = new(Revision, (sha, when, author, email, message)), (old, new_blob) if old else None
    return cache


def _save_log_cache(path: Path, relpath: str, entries, fresh: bool) -> None:
    """Keep *entries* in the log cache (a new file when *fresh*, else added
    at its end); entries whose text holds a separator are not kept."""
    records = []
    for e in entries:
        r = e.revision
        old, new = e.blobs or ("", "")
        record = f"{r.sha}{_FIELD}{r.date.isoformat()}{_FIELD}{r.author}{_FIELD}{r.email}{_FIELD}{old}{_FIELD}{new}" \
                 f"{_FIELD}{r.message}"
        if record.count(_FIELD) == 6 and _RECORD not in record:
            records.append(record + _RECORD + "\n")
    if not records:
        return
    data = "".join(records).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:  # written aside, then put in place: a reader never sees half a file
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            try:
                with open(fd, "wb") as fh:
                    fh.write(f"{_LOG_CACHE_HEADER}\t{relpath}\n".encode() + data)
                os.replace(tmp, path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        else:
            with path.open("ab") as fh:
                fh.write(data)
    except OSError:
        pass  # only a cache: the next listing reads git again


@gitfaults.guarded("read the history")
def check_readable(store: GitStore, blobs: list[str]) -> None:
    """RepositoryDamaged when a revision's saved text is missing from the
    history (one git call for all of them: a listing never hides damage)."""
    objects = os.path.join(store.common_dir, "objects")
    wanted = [b for b in blobs if b and b != ZERO and b != "0" * 64 and not _stored(objects, b)]
    if not wanted:
        return
    out = run_git(store, "cat-file", "--batch-check=%(objectname)", stdin=("\n".join(wanted) + "\n").encode("ascii"))
    for line in out.decode("ascii", errors="replace").split("\n"):
        if line.endswith(" missing"):
            raise gitfaults.damaged(store.root, "read the history", f"the saved text {line.split()[0][:12]} is missing")


_PACK_INDEX_MAGIC = b"\xfftOc\x00\x00\x00\x02"  # a version 2 pack index


def _stored(objects: str, sha: str) -> bool:
    """True when the object store in *objects* holds *sha* where git looks
    for it first: its loose file, or its entry in a pack's index (with the
    pack beside it).  That is all ``git cat-file --batch-check`` reads to
    say an object is there; anything else (not found, an object store
    elsewhere, an unusual index) returns False, and git is asked."""
    if "GIT_OBJECT_DIRECTORY" in os.environ or "GIT_ALTERNATE_OBJECT_DIRECTORIES" in os.environ:
        return False
    try:
        if os.path.isfile(os.path.join(objects, sha[:2], sha[2:])):
            return True
        raw = bytes.fromhex(sha)
        size, first = len(raw), raw[0]
        packs = os.path.join(objects, "pack")
        for name in os.listdir(packs):
            if not name.endswith(".idx"):
                continue
            with open(os.path.join(packs, name), "rb") as fh:
                head = fh.read(8 + 256 * 4)  # the magic, then 256 running counts by first byte
                if len(head) < 8 + 256 * 4 or head[:8] != _PACK_INDEX_MAGIC:
                    continue
                lo = int.from_bytes(head[4 + 4 * first:8 + 4 * first], "big") if first else 0
                hi = int.from_bytes(head[8 + 4 * first:12 + 4 * first], "big")
                fh.seek(8 + 256 * 4 + lo * size)
                names = fh.read(max(0, hi - lo) * size)  # the sorted ids starting with that byte
            at = names.find(raw)
            while at >= 0 and at % size:
                at = names.find(raw, at + 1)
            if at >= 0 and os.path.isfile(os.path.join(packs, name[:-4] + ".pack")):
                return True
    except (OSError, ValueError):
        return False
    return False


@gitfaults.guarded("read the history")
def nth_revision(store: GitStore, relpath: str, back: int) -> tuple[str | None, int]:
    """The commit id of *relpath*'s revision *back* steps before its newest
    (0: the newest), and None with the number of revisions when there are
    not that many.  Git walks only as far as it needs to."""
    store._check_relpath(relpath)
    try:
        out = run_git(store, "rev-list", "--max-count=1", f"--skip={int(back)}", "HEAD", "--", relpath).decode().strip()
    except gitprocess.command_error():
        if not store.has_commits():  # a new workspace (a damaged branch raises here)
            return None, 0
        raise
    if out:
        return out, back + 1
    count = run_git(store, "rev-list", "--count", "HEAD", "--", relpath).decode().strip()
    return None, int(count or 0)




@gitfaults.guarded("read the history")
def recent_revisions(store: GitStore, relpath: str, count: int) -> list[str]:
    """The ids of *relpath*'s newest *count* revisions, newest first (fewer
    when it has fewer): one git walk for several HEAD~N at once."""
    store._check_relpath(relpath)
    try:
        out = run_git(store, "rev-list", f"--max-count={int(count)}", "HEAD", "--", relpath).decode().split()
    except gitprocess.command_error():
        if not store.has_commits():
            return []
        raise
    return out


@gitfaults.guarded("read the history")
def revision_count(store: GitStore, relpath: str) -> int:
    """How many revisions of *relpath* HEAD has (0 in a new workspace),
    counted by git (``rev-list --count``) rather than listed."""
    store._check_relpath(relpath)
    try:
        return int(run_git(store, "rev-list", "--count", "HEAD", "--", relpath).decode().strip() or 0)
    except gitprocess.command_error():
        if not store.has_commits():
            return 0
        raise


@gitfaults.guarded("read the history")
def revision_info(store: GitStore, sha: str) -> Revision:
    """Date, author and message of one commit (a full id), read through
    git's object reader (the one that reads the texts), or as a comparison
    read it with the texts (``gitbatch.read_sides``)."""
    if not _SHA_RE.match(sha):
        raise RevisionError("reading a revision needs a full commit id")
    kept = gitbatch.kept_revision(store, sha)
    if kept is not None:
        return kept
    _found, kind, data = store.read_object(sha) or ("", "", b"")
    return gitbatch.parse_revision(sha, kind, data)


def status_value(patch_lines) -> str | None:
    """What a revision's patch did to the status line, as today's exact
    statuses read it: the last added 'status:' value (quotes stripped), ''
    when such lines were only removed, None when none was touched."""
    touched, value, in_hunk = False, "", False
    for line in patch_lines:
        in_hunk = in_hunk or line.startswith("@@")
        if in_hunk and line[:1] in "+-" and re.match(STATUS_PATTERN, line[1:]):
            touched = True
            m = _STATUS_PLUS_RE.match(line)
            if m:
                value = m.group(2).strip("'\"")
    return value if touched else None


@gitfaults.guarded("read the history")
def status_changes(store: GitStore, relpath: str, commits: list[str]) -> dict[str, str | None]:
    """For each of *commits* (full ids of revisions in *relpath*'s log):
    its status-line change (see ``status_value``), read by git exactly as
    the whole-history reading does, for these commits only."""
    store._check_relpath(relpath)
    found: dict[str, str | None] = dict.fromkeys(commits)
    if not commits:
        return found
    out = run_git(store, "log", "--stdin", "--no-walk=unsorted", f"-G{STATUS_PATTERN}", f"--format={_RECORD}%H",
                  "-p", "--unified=0", "--no-color", "--no-ext-diff", STATUS_DIFF, "--", relpath,
                  stdin=("\n".join(commits) + "\n").encode("ascii"))
    line_re = re.compile(r"^\+(status):[ \t]*(.*?)[ \t]*$")
    for record in out.decode("utf-8", errors="replace").split(_RECORD)[1:]:
        sha, _, patch = record.partition("\n")
        value = ""
        for line in patch.split("\n"):
            m = line_re.match(line)
            if m:
                value = m.group(2).strip("'\"")
        found[sha.strip()] = value
    return found


def hash_blob(data: bytes, format_of: str) -> str:
    """The id git gives a blob of *data* as it is (no filter applied), in
    the object format of *format_of*, any id of the repository (40 hex
    digits: SHA-1, else SHA-256)."""
    digest = hashlib.sha1() if len(format_of) == 40 else hashlib.sha256()
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


@gitfaults.guarded("read a saved revision")
def blob_id(store: GitStore, spec: str) -> str | None:
    """The blob id of '<commit>:<path>' (None when there is none)."""
    status, out, _err = store.repo.git.rev_parse("--verify", "--quiet", "--end-of-options", spec,
                                                 with_extended_output=True, with_exceptions=False)
    return out.strip() if status == 0 and out.strip() else None


@gitfaults.guarded("save a revision")
def head_blob(store: GitStore, relpath: str) -> tuple[str, bytes] | None:
    """The blob id and bytes of *relpath* in the branch's newest revision,
    from one read by git: what a save compares with and names in its
    trailers.  None when that revision has no such file or there is none
    yet; a broken branch is damage, said as ``has_commits`` says it."""
    store._check_relpath(relpath)
    if "\n" in relpath or "\r" in relpath:  # not a line git's object reader can be asked
        old = blob_id(store, f"HEAD:{relpath}") if store.has_commits("save a revision") else None
        return (old, store.read(relpath, "HEAD")) if old else None
    found = store.read_object(f"HEAD:{relpath}")  # (a kept object reader reads HEAD afresh at each request)
    if found is not None and found[1] == "blob":
        return found[0], found[2]
    store.has_commits("save a revision")
    return None


@gitfaults.guarded("look up who changed what")
def blame_ranges(store: GitStore, relpath: str, ranges: list[tuple[int, int]], new: str, old: str | None = None,
                 contents: bytes | None = None) -> dict[int, BlameLine]:
    """Who last changed the lines in *ranges* (1-based, inclusive) of
    *relpath* at *new* (a full commit id), walking back no further than
    *old*: lines older than that are credited to a boundary commit.  With
    *contents*, the text blamed is those bytes on top of the latest
    revision (*new* must be its id; lines not saved yet get an all-zero
    id).  Returns {0-based line: BlameLine}."""
    store._check_relpath(relpath)
    if not _SHA_RE.match(new) or (old is not None and not _SHA_RE.match(old)):
        raise RevisionError("looking up who changed what needs full commit ids")
    if not ranges:
        return {}
    args = ["blame", "--line-porcelain"] + [f"-L{a},{b}" for a, b in ranges]
    tmp = None
    if contents is not None:
        fd, tmp = tempfile.mkstemp(prefix=".blame-", suffix=".tmp", dir=store.repo.git_dir)
        with open(fd, "wb") as fh:
            fh.write(contents)
        args += ["--contents", tmp]
    if contents is None:
        args.append(f"{old}..{new}" if old else new)
    elif old:
        args.append(f"^{old}")  # the text on top of the latest revision, as git blame --contents does
    try:
        out = run_git(store, *args, "--", relpath).decode("utf-8", errors="replace")
    finally:
        if tmp:
            os.unlink(tmp)
    lines: dict[int, BlameLine] = {}
    info: dict[str, str] = {}
    sha, final = "", 0
    for raw in out.split("\n"):
        if raw.startswith("\t"):
            when = _dt.datetime.fromtimestamp(int(info.get("author-time", "0")), _dt.UTC)
            lines[final - 1] = BlameLine(sha, info.get("author", ""), info.get("author-mail", "").strip("<>"), when,
                                         info.get("summary", ""))
            info = {}
            continue
        head, _, rest = raw.partition(" ")
        if len(head) in (40, 64) and all(c in "0123456789abcdef" for c in head):
            sha = head
            final = int(rest.split(" ")[1])
        elif head:
            info[head] = rest
    return lines
