"""A comparison's printed answer, kept inside ``.git/`` so that asking the
same question again costs a file read instead of a diff (and a ``git
blame``).

An answer is keyed by everything it depends on, given by the caller as
plain strings: the ids of the two texts compared (git's blob ids, which
name their content, or ``text_id`` of a text not saved yet), the options,
a format version, the code that writes it (``code_stamp``) and, when the
answer names the revisions behind a change, the commit ids of both sides
(a commit id fixes the history behind it, so an amended or rebased history,
or commits made by other tools, give new ids and so new keys).  A missing
or unreadable entry is simply answered again.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from guidelines_app.core import gitfaults, gitprocess, logs
from guidelines_app.core.gitstore import GitStore

FOLDER = "answer-cache"
KEEP_ENTRIES = 600  # answers kept (up to three a comparison); the oldest go first
_SHA_RE = re.compile(r"^[0-9a-f]{40}$|^[0-9a-f]{64}$")


def folder(store: GitStore) -> Path:
    return Path(store.common_dir) / "guidelines" / FOLDER


def document_file(common_dir: str | os.PathLike, kind: str, relpath: str) -> Path:
    """The file a per-document cache (*kind*: "log-cache", "status-cache",
    "walk-cache") keeps for *relpath* inside ``.git/guidelines/``, named by
    a hash of the document's path."""
    name = hashlib.sha1(relpath.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return Path(common_dir) / "guidelines" / kind / f"{name}.txt"


def text_id(text: str) -> str:
    """The id of a text that has no blob (the file as it is now)."""
    return "text:" + hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def code_stamp(paths: list[str | os.PathLike]) -> str:
    """Size and modification time of the source files that write an answer:
    a changed program never reads an answer an older one wrote."""
    parts = []
    for p in paths:
        try:
            st = os.stat(p)
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append("-")
    return ",".join(parts)


@gitfaults.guarded("read a saved revision")
def blob_ids(store: GitStore, relpath: str, commits: list[str]) -> list[str | None]:
    """The blob id of *relpath* in each of *commits* (full ids), None where
    it has none, through git's persistent object reader (no new process
    after the first)."""
    store._check_relpath(relpath)
    if store._repo is None:  # no Repo opened (a command): one git process, no GitPython loaded for it
        return _blob_ids_by_process(store, relpath, commits)
    out: list[str | None] = []
    for sha in commits:
        if not _SHA_RE.match(sha) or "\n" in relpath or "\r" in relpath:
            out.append(None)
            continue
        try:
            hexsha, kind, _size = store.repo.git.get_object_header(f"{sha}:{relpath}")
        except ValueError:  # no such path in that commit
            out.append(None)
            continue
        kind = kind.decode("ascii") if isinstance(kind, bytes) else kind
        hexsha = hexsha.decode("ascii") if isinstance(hexsha, bytes) else hexsha
        out.append(hexsha if kind == "blob" else None)
    return out


def _blob_ids_by_process(store: GitStore, relpath: str, commits: list[str]) -> list[str | None]:
    usable = [sha for sha in commits if _SHA_RE.match(sha) and "\n" not in relpath and "\r" not in relpath]
    found: dict[str, str | None] = {}
    if usable:
        specs = "".join(f"{sha}:{relpath}\n" for sha in usable).encode("utf-8", "surrogateescape")
        lines = gitprocess.start(store.root, "cat-file", "--batch-check", stdin=specs)().decode().splitlines()
        for sha, line in zip(usable, lines):
            fields = line.split()  # "<id> <type> <size>", or "<spec> missing"
            found[sha] = fields[0] if len(fields) == 3 and fields[1] == "blob" else None
    return [found.get(sha) for sha in commits]


def _entry(store: GitStore, parts: tuple[str, ...]) -> Path:
    key = hashlib.sha256()
    for part in parts:
        key.update(part.encode("utf-8", errors="surrogatepass") + b"\0")
    return folder(store) / f"{key.hexdigest()[:40]}.txt"


def get(store: GitStore, parts: tuple[str, ...]) -> str | None:
    """The answer kept for *parts*, or None when there is none."""
    path = _entry(store, parts)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    # The key's parts lead the entry, so a damaged or foreign file is never
    # taken for an answer.
    head, sep, text = data.partition(b"\0\0")
    if not sep or head != "\0".join(parts).encode("utf-8", errors="surrogatepass"):
        return None
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        return None


def put(store: GitStore, parts: tuple[str, ...], text: str) -> None:
    """Keep *text* as the answer for *parts* (quietly nothing when the
    folder cannot be written: it is only a cache)."""
    if any(not part or "\0" in part for part in parts):
        # Never read back (the parts are joined by NULs, and two end the key): the heading
        # of every text redline was worked out again each time so (it had an empty part).
        logs.logger("core").warning("an answer not kept: its key has an empty part or a NUL: %r", parts)
        return
    path = _entry(store, parts)
    try:
        data = "\0".join(parts).encode("utf-8", errors="surrogatepass") + b"\0\0" + text.encode("utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        names = os.listdir(path.parent)  # counted without a stat each
        if len(names) > KEEP_ENTRIES:
            entries = [path.parent / name for name in names if name.endswith(".txt")]
            entries.sort(key=lambda p: p.stat().st_mtime)
            for old in entries[: len(entries) - KEEP_ENTRIES]:
                old.unlink(missing_ok=True)
    except (OSError, UnicodeEncodeError):
        pass
