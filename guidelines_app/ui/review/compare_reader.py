"""The compare window's reader of saved texts and revisions: one ``git
cat-file --batch`` kept running beside the window, asked for both texts and
both commits of a comparison at once.

Starting git is most of what reading a saved text costs (a few
milliseconds each, more in a large application's process; and on a long
history git loads its pack index again each time): a comparison read its
two texts and its two revisions with four processes.  Here they are one
request to a process already running.  What it is asked for is named by
full commit ids (a commit's text never changes), so keeping the process
changes no answer; an object git does not have is read the usual way (which
says why in plain words).  The window lets the process go once unused for a
while (``close``), and when it goes; the process also ends at exit.

Only for an ordinary checkout (``gitprocess.plain_checkout``); anything
else, or a process that fails, is read the usual way.
"""

from __future__ import annotations

import os
import subprocess
import threading
import weakref
from pathlib import Path

from guidelines_app.core import gitlog, gitprocess
from guidelines_app.core.gitstore import Revision
from guidelines_app.core.workspace import Workspace
from guidelines_app.review import history


def _stop(proc: subprocess.Popen) -> None:
    """End *proc* (git ends at the end of its input) and close its pipes."""
    for pipe in (proc.stdin, proc.stdout):
        try:
            pipe.close()
        except OSError:
            pass
    try:
        proc.wait(timeout=2)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class ObjectReader:
    """``git cat-file --batch`` for one workspace, started when first asked
    and kept until ``close``.  Thread-safe: one request at a time."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._finalizer = None

    def read(self, specs: list[str]) -> list[tuple[bytes, bytes] | None]:
        """(type, bytes) of the object each of *specs* names, None for one
        git does not have, or None for all when git cannot be asked here."""
        if any("\n" in spec or "\r" in spec for spec in specs):
            return [None] * len(specs)
        with self._lock:
            try:
                proc = self._process()
                if proc is None:
                    return [None] * len(specs)
                proc.stdin.write("".join(f"{spec}\n" for spec in specs).encode("utf-8"))
                proc.stdin.flush()
                found = [self._answer(proc.stdout) for _ in specs]
            except (OSError, ValueError):  # git went away: the usual reads say why
                self._close_locked()
                return [None] * len(specs)
            except BaseException:  # answers left unread would be taken for the next request's
                self._close_locked()
                raise
            return found

    def close(self) -> None:
        """Let the git process go (the next request starts another)."""
        with self._lock:
            self._close_locked()

    def _close_locked(self) -> None:
        if self._finalizer is not None:
            self._finalizer()  # stops the process
        self._proc = self._finalizer = None

    def _process(self) -> subprocess.Popen | None:
        if self._proc is None:
            if not gitprocess.plain_checkout(self.root):
                return None
            # As gitprocess runs git: the same program and environment.
            self._proc = subprocess.Popen([gitprocess.executable(), "cat-file", "--batch"], cwd=self.root,
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                          env={**os.environ, **gitprocess._ENV})
            self._finalizer = weakref.finalize(self, _stop, self._proc)
        return self._proc

    @staticmethod
    def _answer(out) -> tuple[bytes, bytes] | None:
        header = out.readline()
        if not header.endswith(b"\n"):
            raise ValueError("git cat-file stopped")
        fields = header.split()
        if len(fields) != 3 or not fields[2].isdigit():
            return None  # "<spec> missing" / "ambiguous"
        size = int(fields[2])
        data = out.read(size + 1)  # the object and the newline after it
        if len(data) != size + 1:
            raise ValueError("git cat-file stopped")
        return fields[1], data[:size]


def read_sides(reader: ObjectReader | None, ws: Workspace, slug: str, commits: list[str],
               infos: list[str]) -> tuple[dict[str, str], dict[str, Revision]]:
    """({commit: the document's text in it} for *commits*, {commit: its
    Revision} for *infos*), all full commit ids: one request to *reader*,
    whatever it cannot answer read the usual way (``history.text_of_commit``,
    ``gitlog.revision_info``: the same texts, the same errors)."""
    relpath = ws.relpath(slug)
    specs = [f"{sha}^{{commit}}:{relpath}" for sha in commits] + list(infos)
    found = reader.read(specs) if reader is not None and specs else [None] * len(specs)
    texts: dict[str, str] = {}
    for sha, got in zip(commits, found[:len(commits)]):
        if got is not None and got[0] == b"blob":
            texts[sha] = got[1].decode("utf-8", errors="replace")
        else:
            texts[sha] = history.text_of_commit(ws, slug, sha)
    revisions: dict[str, Revision] = {}
    for sha, got in zip(infos, found[len(commits):]):
        revisions[sha] = gitlog.commit_revision(sha, *got) if got is not None else gitlog.revision_info(ws.store, sha)
    return texts, revisions
