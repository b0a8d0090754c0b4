""""Who changed these lines", bounded and remembered: ``git blame`` over the
given line ranges and commit range only (``gitlog.blame_ranges``), with the
answer kept inside ``.git/`` so asking again costs a file read.

An answer is keyed by everything it depends on: the file, the commit
blamed (its id fixes the text and the history behind it), the commit the
walk stops at, the line ranges and, for text not saved yet, that text.  A
missing or unreadable entry is simply asked of git again.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from pathlib import Path

from guidelines_app.core import gitlog
from guidelines_app.core.gitstore import BlameLine, GitStore

KEEP_ENTRIES = 400  # answers kept; the oldest go first


def _entry_path(store: GitStore, relpath: str, ranges, new: str, old: str | None, contents: bytes | None) -> Path:
    key = hashlib.sha256()
    for part in (relpath, new, old or "", repr(list(ranges))):
        key.update(part.encode("utf-8") + b"\0")
    if contents is not None:
        key.update(b"contents\0" + hashlib.sha256(contents).digest())
    return Path(store.common_dir) / "guidelines" / "blame-cache" / f"{key.hexdigest()[:40]}.json"


def blame(store: GitStore, relpath: str, ranges: list[tuple[int, int]], new: str, old: str | None = None,
          contents: bytes | None = None) -> dict[int, BlameLine]:
    """``gitlog.blame_ranges``, answered from the cache when asked before."""
    if not ranges:
        return {}
    path = _entry_path(store, relpath, ranges, new, old, contents)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return {int(n): BlameLine(sha, author, email, _dt.datetime.fromtimestamp(when, _dt.UTC), summary)
                for n, (sha, author, email, when, summary) in stored.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        pass  # not asked before, or a damaged entry: ask git
    lines = gitlog.blame_ranges(store, relpath, ranges, new, old, contents)
    _store(path, {n: [b.sha, b.author, b.email, int(b.date.timestamp()), b.summary] for n, b in lines.items()})
    return lines


def _store(path: Path, data: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
        entries = list(path.parent.glob("*.json"))
        if len(entries) > KEEP_ENTRIES:
            entries.sort(key=lambda p: p.stat().st_mtime)
            for old in entries[: len(entries) - KEEP_ENTRIES]:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # only a cache: the next time git is asked again
