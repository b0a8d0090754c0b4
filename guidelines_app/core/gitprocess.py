"""How the git gateway (``gitstore``, with its plumbing in ``gitlog``) runs
git when it needs no GitPython ``Repo``: the program, its environment, one
command's output, and GitPython's exception classes, imported only when a
failure is handled.

Importing GitPython costs a command ~30 ms and two ``git version`` runs, so
reads that are one git command each (status, a log, a tag listing, a blob)
run git here directly; they fail with GitPython's ``GitCommandError``, the
same error GitPython raises, so every failure is translated into plain
words the same way (``gitfaults.translate``).  Only the gateway's modules
(``gitstore``, ``gitlog``, ``gitbatch``) use this module.
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
import sys
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

# As GitPython runs git: messages in English (the translation reads them),
# and reading the state (git status) never takes the index lock nor writes.
_ENV = {"LANGUAGE": "C", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}
# Settings that move the repository or its work tree away from <root>/.git:
# with one of them GitPython opens the workspace at once, as it always did.
_MOVING_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
               "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM")
_UNUSUAL_CONFIG_RE = re.compile(r"^\s*(?:worktree|bare\s*=\s*(?:true|yes|on|1)\b|\[include)", re.IGNORECASE | re.MULTILINE)
_HEAD_RE = re.compile(r"^(?:ref: refs/\S+|[0-9a-f]{40}|[0-9a-f]{64})\n?$")
# On Windows a program without a console (the app) would give each git a console window of its own.
_NO_WINDOW = {"creationflags": subprocess.CREATE_NO_WINDOW} if sys.platform == "win32" else {}


def executable() -> str:
    """The git program, as GitPython runs it (its setting, when GitPython is
    loaded and was told another one)."""
    loaded = sys.modules.get("git")
    exe = getattr(getattr(loaded, "Git", None), "GIT_PYTHON_GIT_EXECUTABLE", None) if loaded else None
    return exe or os.path.expanduser(os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or "git")


def command_error() -> type:
    """GitPython's GitCommandError, imported when a failure is handled (the
    class GitPython raises, so ``except command_error():`` catches both)."""
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
    from git.exc import GitCommandError

    return GitCommandError


def plain_checkout(root: Path) -> bool:
    """True when *root* is an ordinary checkout whose repository is the
    folder ``<root>/.git`` as ``git init`` makes it: what GitPython's ``Repo``
    would open without a word.  Anything else (a linked work tree, a bare
    repository, a moved one, a damaged HEAD) is False: GitPython decides."""
    if any(name in os.environ for name in _MOVING_ENV):
        return False
    git_dir = root / ".git"
    try:
        if git_dir.is_symlink() or not git_dir.is_dir() or (git_dir / "commondir").exists():
            return False
        if not ((git_dir / "objects").is_dir() and (git_dir / "refs").is_dir()):
            return False
        head = (git_dir / "HEAD").read_text(encoding="utf-8")
        config = (git_dir / "config").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return bool(_HEAD_RE.match(head)) and not _UNUSUAL_CONFIG_RE.search(config)


def run_text(root: Path, *args: str, check: bool = True, strip: bool = True) -> tuple[int, str, str]:
    """(status, output, messages) of ``git *args`` in *root*, as GitPython's
    ``Repo.git`` gives them (with *strip*, one trailing newline stripped);
    with *check*, GitCommandError when git fails."""
    proc = subprocess.run([executable(), *args], cwd=root, capture_output=True, stdin=subprocess.DEVNULL, **_NO_WINDOW,
                          env={**os.environ, **_ENV})
    out, err = proc.stdout.removesuffix(b"\n") if strip else proc.stdout, proc.stderr.removesuffix(b"\n")
    if check and proc.returncode:
        raise command_error()(["git", *args], proc.returncode, err, out)
    return proc.returncode, out.decode("utf-8", "surrogateescape"), err.decode("utf-8", "surrogateescape")


def read_objects(root: Path, specs: list[str], ids: bool = False) -> list[tuple | None]:
    """(type, bytes) of each object *specs* name (one line each), all read by
    one ``git cat-file --batch``; None for one git has not; with *ids*,
    (id, type, bytes)."""
    proc = subprocess.run([executable(), "cat-file", "--batch"], cwd=root, **_NO_WINDOW,
                          input="".join(f"{spec}\n" for spec in specs).encode(), capture_output=True,
                          env={**os.environ, **_ENV})
    if proc.returncode:
        raise command_error()(["git", "cat-file", "--batch"], proc.returncode, proc.stderr.removesuffix(b"\n"))
    out, at, found = proc.stdout, 0, []
    for _spec in specs:
        end = out.find(b"\n", at)
        fields = out[at:end].split() if end >= 0 else []
        if len(fields) != 3 or not fields[2].isdigit():
            found.append(None)  # "<spec> missing" / "ambiguous"
            at = end + 1 if end >= 0 else len(out)
            continue
        size = int(fields[2])
        kind, data = fields[1].decode(), out[end + 1:end + 1 + size]
        found.append((fields[0].decode(), kind, data) if ids else (kind, data))
        at = end + 1 + size + 1  # the object, then git's newline after it
    return found


def start(root: Path, *args: str, stdin: bytes | None = None) -> Callable[[], bytes]:
    """Start ``git *args`` in *root* and return at once; calling the
    returned function waits for git and gives its output (read from a
    temporary file: a long log is quicker that way than through a pipe)."""
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    inp = subprocess.DEVNULL
    try:
        if stdin is not None:
            inp = tempfile.TemporaryFile()
            inp.write(stdin)
            inp.seek(0)
        proc = subprocess.Popen([executable(), *args], cwd=root, stdin=inp, stdout=out, stderr=err, **_NO_WINDOW,
                                env={**os.environ, **_ENV})
    except BaseException:
        out.close()
        err.close()
        raise
    finally:
        if stdin is not None:
            inp.close()

    def collect() -> bytes:
        with out, err:
            status = proc.wait()
            if status:
                err.seek(0)
                raise command_error()(["git", *args], status, err.read(4000))
            out.seek(0)
            return out.read()

    return collect


def stream(root: Path, *args: str) -> Iterator[str]:
    """The output of ``git *args`` in *root* as text, chunk by chunk as git
    writes it: the caller reads a long log while git is still walking the
    history.  GIT_FLUSH=0 lets git fill its buffer before each write (to a
    pipe it would write every commit on its own).  Raises GitCommandError
    when git fails (after the last chunk)."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([executable(), *args], cwd=root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, **_NO_WINDOW,
                                stderr=err, env={**os.environ, **_ENV, "GIT_FLUSH": "0"})
        decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        fd, read, finished = proc.stdout.fileno(), os.read, False
        try:
            while chunk := read(fd, 1 << 16):
                yield decode(chunk)
            yield decode(b"", True)
            finished = True
        finally:
            proc.stdout.close()  # a reader that stops early: git stops at its next write
            status = proc.wait()
        if finished and status:
            err.seek(0)
            raise command_error()(["git", *args], status, err.read(4000))


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


def _widen_pipe(pipe) -> None:
    """On Linux, let git write a whole document (up to 1 MiB) into *pipe*
    at once rather than 64 KiB at a time, each waiting for the reader."""
    if sys.platform.startswith("linux"):
        import fcntl

        try:
            fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
        except (OSError, AttributeError):  # a lower system limit: the usual size
            pass


class ObjectReader:
    """``git cat-file --batch`` for one workspace, started when first asked
    and kept until ``close`` or ``end_input`` (the compare window keeps one beside it: a
    comparison is then one request to a process already running, not four
    git processes; ``guidelines diff`` keeps one for the command).  The
    window asks it only for objects named by full ids, so keeping it changes
    no answer; a name such as HEAD is read as it is at the request.
    Thread-safe: one request at a time.  Only for an ordinary checkout
    (``plain_checkout``); anywhere else, or once git fails, it answers None
    for everything and the usual reads say why."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._finalizer = None
        self._close_after = False  # asked to close while a request ran: closed when it ends
        # Processes told their input ended (``end_input``), with what stops each.
        self._ending: list[tuple[subprocess.Popen, weakref.finalize]] = []

    def read(self, specs: list[str], ids: bool = False, meanwhile: Callable[[], object] | None = None) -> list[tuple | None]:
        """(type, bytes) of the object each of *specs* names, None for one
        git does not have, or None for all when git cannot be asked here;
        with *ids*, (id, type, bytes).  *meanwhile*: work of the caller's,
        done once the first object is read, while git reads the others
        (its pipe holds a whole document: git does not wait for it); it
        must not ask this reader (one request at a time), and what it
        raises is raised once the answers are read."""
        if any("\n" in spec or "\r" in spec for spec in specs) or not specs:
            return [None] * len(specs)
        failed: BaseException | None = None  # what *meanwhile* raised
        with self._lock:
            try:
                proc = self._process()
                if proc is None:
                    return [None] * len(specs)
                proc.stdin.write("".join(f"{spec}\n" for spec in specs).encode("utf-8"))
                proc.stdin.flush()
                found = [self._answer(proc.stdout)]
                if meanwhile is not None:
                    try:
                        meanwhile()
                    except Exception as exc:  # noqa: BLE001 - the caller's own error: raised below, not git's
                        failed = exc
                found += [self._answer(proc.stdout) for _ in specs[1:]]
                if not ids:
                    found = [answer and answer[1:] for answer in found]
            except (OSError, ValueError):  # git went away: the usual reads say why
                self._close_locked()
                return [None] * len(specs)
            except BaseException:  # answers left unread would be taken for the next request's
                self._close_locked()
                raise
            finally:
                if self._close_after:
                    self._close_locked()
        if failed is not None:
            raise failed
        return found

    def start(self) -> None:
        """Start git now, for a request to come: it gets ready while the
        caller works on (where it cannot start, the request says so)."""
        with self._lock:
            try:
                self._process()
            except OSError:
                self._close_locked()

    def close(self) -> None:
        """Let the git process go (the next request starts another).  Never
        waits for a request under way (the window's thread calls it): that
        request lets the process go when it ends."""
        self._close_after = True  # (a request ending now sees it, or the lock is free below)
        if self._lock.acquire(blocking=False):
            try:
                self._close_locked()
            finally:
                self._lock.release()

    def end_input(self) -> None:
        """Tell the git process no more requests are coming for now: it
        exits while the caller works on (``close`` then finds it gone
        rather than waiting for it), and a later request starts another."""
        with self._lock:
            if self._proc is not None:
                try:
                    self._proc.stdin.close()
                except OSError:
                    pass
                self._ending.append((self._proc, self._finalizer))
                self._proc = self._finalizer = None

    def _close_locked(self) -> None:
        self._close_after = False
        while self._ending:
            self._ending.pop()[1]()  # exited by now, as a rule: collected
        if self._finalizer is not None:
            self._finalizer()  # stops the process
        self._proc = self._finalizer = None

    def _process(self) -> subprocess.Popen | None:
        gone = [ended for ended in self._ending if ended[0].poll() is not None]
        for ended in gone:  # processes told their input ended and gone since: collected, not left as zombies
            self._ending.remove(ended)
            ended[1]()
        if self._proc is None:
            if not plain_checkout(self.root):
                return None
            self._proc = subprocess.Popen([executable(), "cat-file", "--batch"], cwd=self.root, **_NO_WINDOW,
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                          env={**os.environ, **_ENV})
            self._finalizer = weakref.finalize(self, _stop, self._proc)
            _widen_pipe(self._proc.stdout)
        return self._proc

    @staticmethod
    def _answer(out) -> tuple[str, str, bytes] | None:
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
        return fields[0].decode(), fields[1].decode(), data[:size]
