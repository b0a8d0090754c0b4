"""What one comparison reads of git at once (part of the git gateway, with
``gitstore`` and ``gitlog``): both sides' texts and commits from one run of
git's object reader, and the version tags read by a git process that runs
beside the others.

A short command pays about as much for starting a git process as for what
git does in it, so a comparison asks for everything it needs from the two
commits in one ``git cat-file --batch`` (each side's file, and each
commit's date, author and message, kept for ``gitlog.revision_info``),
finds a recent revision (``HEAD~N`` for a small N) by walking the commits
through that same reader (``recent_revisions``), and starts the tag
listing before it resolves the revisions, collecting it when the heading
is written.  A commit id fixes what the commit says, so what was read once
is kept for as long as the ``GitStore`` is open.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import weakref
from collections.abc import Callable

from guidelines_app.core import gitfaults, gitprocess
from guidelines_app.core.errors import GuidelinesError, RevisionError
from guidelines_app.core.gitstore import _FIELD, _RECORD, _SHA_RE, _TAG_PREFIX_RE, GitStore, Revision, TagRef

_TAG_FORMAT = _RECORD + _FIELD.join(["%(refname)", "%(objectname)", "%(*objectname)", "%(taggername)",
                                     "%(taggeremail)", "%(taggerdate:iso-strict)", "%(contents)"])
_AUTHOR_RE = re.compile(r"^author (.*) <([^>]*)> (\d+) ([+-])(\d\d)(\d\d)$", re.MULTILINE)
_PARENT_RE = re.compile(rb"^parent ([0-9a-f]{40}|[0-9a-f]{64})$", re.MULTILINE)
# Commits walked at most by ``recent_revisions`` (a longer walk is git's own).
WALK_LIMIT = 64

# A git object reader kept running beside a window (the compare window's, asked
# for full ids only) or for one command: created through the gateway, as every
# git process.
ObjectReader = gitprocess.ObjectReader

# Per open GitStore: the commits read (id -> Revision) and the tag listings
# started and not collected yet (prefix -> collect).
_revisions: weakref.WeakKeyDictionary[GitStore, dict[str, Revision]] = weakref.WeakKeyDictionary()
_pending_tags: weakref.WeakKeyDictionary[GitStore, dict[str, Callable[[], bytes]]] = weakref.WeakKeyDictionary()


def parse_revision(sha: str, kind: str, data: bytes) -> Revision:
    """The Revision a commit object's bytes say (*kind* is git's type for
    the object); RevisionError when it is not a commit."""
    text = data.decode("utf-8", errors="replace")
    head, _, message = text.partition("\n\n")
    m = _AUTHOR_RE.search(head)
    if kind != "commit" or m is None:
        raise RevisionError(f"{sha[:8]} is not a revision")
    offset = _dt.timedelta(hours=int(m.group(5)), minutes=int(m.group(6))) * (-1 if m.group(4) == "-" else 1)
    when = _dt.datetime.fromtimestamp(int(m.group(3)), _dt.timezone(offset))
    return Revision(sha, when, m.group(1), m.group(2), message.strip())


def kept_revision(store: GitStore, sha: str) -> Revision | None:
    """The commit *sha* as read before through this store, if it was."""
    return _revisions.get(store, {}).get(sha)


@gitfaults.guarded("read a saved revision")
def read_sides(store: GitStore, relpath: str, shas: list[str], infos: list[str] | None = None,
               reader: ObjectReader | None = None, ids: bool = False,
               meanwhile: Callable[[], object] | None = None) -> list | None:
    """The bytes of *relpath* in each commit of *shas* (full ids), read with
    the commits *infos* (all of *shas* when not given; kept for
    ``gitlog.revision_info``) in one request: to *reader*, a git object
    reader kept running, or else to one new git process.  None when one
    side is not a file there, or when it cannot be asked here (without
    *reader*, GitPython's Repo open already): the caller then reads each
    side as usual, which says what is wrong.  With *ids*, (blob id, bytes)
    for each side.  *meanwhile*: work of the caller's, done while git reads
    the second side (without *reader*, once git has read), when git reads."""
    store._check_relpath(relpath)
    infos = list(shas) if infos is None else list(infos)
    if "\n" in relpath or "\r" in relpath or not all(_SHA_RE.match(s) for s in (*shas, *infos)):
        return None
    # ^{commit}: as GitStore.read, a tree's id is refused rather than read.
    specs = [f"{sha}^{{commit}}:{relpath}" for sha in shas] + infos
    if reader is not None:
        found = reader.read(specs, ids=True, meanwhile=meanwhile)
    elif store._repo is None:
        found = gitprocess.read_objects(store.root, specs, ids=True)
        if meanwhile is not None:
            meanwhile()
    else:
        return None
    blobs, commits = found[:len(shas)], [answer and answer[1:] for answer in found[len(shas):]]
    kept = _revisions.setdefault(store, {})
    for sha, commit in zip(infos, commits, strict=True):
        if commit is not None and sha not in kept:
            try:
                kept[sha] = parse_revision(sha, *commit)
            except RevisionError:
                pass  # revision_info says so when it is asked
    if any(blob is None or blob[1] != "blob" for blob in blobs):
        return None
    return [(blob[0], blob[2]) if ids else blob[2] for blob in blobs]


def recent_revisions(reader: ObjectReader, relpath: str, count: int) -> list[str] | None:
    """The ids of *relpath*'s newest *count* revisions, newest first (fewer
    when it has fewer), as ``git rev-list --max-count=<count> HEAD --
    <relpath>`` lists them, from HEAD's commits read through *reader*: the
    revision before the latest costs two small objects a commit, not a git
    process.  A commit is one of the file's revisions when the file (or its
    absence) differs from its parent's.  None when this walk cannot say the
    same as git: a merge on the way (git simplifies the history there), a
    commit or folder git cannot read, a shallow clone or grafts (git walks
    other parents than the commits name), or more than WALK_LIMIT commits to
    walk; then ask git (``gitlog.recent_revisions``).  *reader*: one started
    for this command (HEAD is read as it is now)."""
    folder, _, name = relpath.rpartition("/")
    git_dir = reader.root / ".git"
    if (not 0 < count <= WALK_LIMIT or not name or "GIT_GRAFT_FILE" in os.environ or "GIT_SHALLOW_FILE" in os.environ
            or (git_dir / "info" / "grafts").exists() or (git_dir / "shallow").exists()):
        return None
    [head] = reader.read(["HEAD"], ids=True)
    if head is None or head[1] != "commit":
        return None  # no revision yet, or not a commit: git says what
    sha, found = head[0], []
    name_bytes, width = name.encode(), len(sha) // 2  # an id's bytes in a tree: 20, or 32 (SHA-256)
    step = _walk_step(reader, sha, folder, name_bytes, width)
    for _ in range(WALK_LIMIT):
        if step is None or len(step[0]) > 1:
            return None
        parents, entry = step
        if not parents:  # the first commit: the file's first revision when it has it
            return found + [sha] if entry is not None else found
        step = _walk_step(reader, parents[0], folder, name_bytes, width)
        if step is not None and step[1] != entry:
            found.append(sha)
            if len(found) == count:
                return found
        sha = parents[0]
    return None


def _walk_step(reader: ObjectReader, sha: str, folder: str, name: bytes, width: int) -> tuple[list[str], bytes | None] | None:
    """(the parents of commit *sha*, its tree entry for *name* in *folder*
    (mode and id; None when absent)), or None when git cannot read them."""
    commit, tree = reader.read([sha, f"{sha}:{folder}"])
    if commit is None or commit[0] != "commit":
        return None
    head = commit[1].partition(b"\n\n")[0]
    parents = [p.decode() for p in _PARENT_RE.findall(head)]
    if tree is None or tree[0] != "tree":  # no such folder in this commit (or a file of that name)
        return parents, None
    data, at = tree[1], 0
    while at < len(data):
        space, nul = data.find(b" ", at), data.find(b"\0", at)
        if space < 0 or nul < 0 or nul + 1 + width > len(data):
            return None  # not a tree git wrote
        if data[space + 1:nul] == name:
            return parents, data[at:nul + 1 + width]  # mode, name and id
        at = nul + 1 + width
    return parents, None


def prefetch_tags(store: GitStore, prefix: str) -> None:
    """Start listing the tags named *prefix*... now; ``tag_refs`` collects
    the listing when it is asked next (a failure to start is left for it)."""
    if _TAG_PREFIX_RE.match(prefix) and prefix not in _pending_tags.get(store, {}):
        try:
            collect = gitprocess.start(store.root, "for-each-ref", f"--format={_TAG_FORMAT}", "--end-of-options",
                                       f"refs/tags/{prefix}")
        except (OSError, GuidelinesError):
            return
        _pending_tags.setdefault(store, {})[prefix] = collect


@gitfaults.guarded("read the versions")
def tag_refs(store: GitStore, prefix: str) -> list[TagRef]:
    """Tags named *prefix*..., with the commit each points at, in one call
    (the one ``prefetch_tags`` started, if any).

    Annotated tags carry tagger, date and message; lightweight ones only
    the commit."""
    if not _TAG_PREFIX_RE.match(prefix):
        raise RevisionError(f"'{prefix}' is not a usable tag prefix")
    collect = _pending_tags.get(store, {}).pop(prefix, None)
    if collect is None:
        collect = gitprocess.start(store.root, "for-each-ref", f"--format={_TAG_FORMAT}", "--end-of-options",
                                   f"refs/tags/{prefix}")
    out = collect().decode("utf-8", "surrogateescape")
    refs = []
    for record in out.split(_RECORD)[1:]:
        ref, obj, peeled, name, email, date, message = record.split(_FIELD, 6)
        when = _dt.datetime.fromisoformat(date) if date else None
        refs.append(TagRef(ref.removeprefix("refs/tags/"), peeled or obj, name, email.strip("<>"), when, message.strip()))
    return refs


def drop_prefetched(store: GitStore) -> None:
    """Wait for the tag listings started for *store* and never asked for (a
    command that stopped before its heading), so no git process is left."""
    for collect in _pending_tags.pop(store, {}).values():
        try:
            collect()
        except Exception:  # noqa: BLE001 - nobody asked for the listing: what it says goes unread
            pass
