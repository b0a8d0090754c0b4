"""Git failures in plain language: the translation table of the git gateway.

Only ``gitstore`` uses this module.  ``translate`` turns whatever git or
GitPython raised (a failed command, a broken repository, a missing program, an
OSError) into one of the error classes of ``core.errors`` with a message that
says what happened, what still works and what to do next.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import shutil
import time
import zlib
from pathlib import Path

# Importing GitPython on a computer without git fails unless told to be quiet;
# the missing program is then reported when a workspace is opened.
os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")

from guidelines_app.core import gitprocess  # noqa: E402
from guidelines_app.core.errors import (  # noqa: E402
    AuthenticationFailed,
    DetachedHead,
    GitFault,
    GitNotInstalled,
    GuidelinesError,
    NotAWorkspace,
    PushRejected,
    Remedy,
    RemoteUnreachable,
    RepositoryDamaged,
    RepositoryLocked,
    StorageError,
    WorkspaceError,
)

INSTALL_GIT = "install git (https://git-scm.com; on Debian/Ubuntu: sudo apt install git)"
# A lock younger than this may belong to a git program that is still running:
# wait for it.  An older one was left behind by a program that crashed.
STALE_LOCK_SECONDS = 5.0
TEXT_IS_SAFE = "Your documents in guidelines/ are untouched and can still be read and edited"


class _OnFailure:
    """A pattern that reads git's messages, compiled on its first use (only
    a failure reads them: a command that fails nowhere never compiles them)."""

    __slots__ = ("pattern", "flags")

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern, self.flags = pattern, flags

    def search(self, text: str) -> re.Match | None:
        return re.compile(self.pattern, self.flags).search(text)  # compiled once, kept by re's cache


_LOCK_RE = _OnFailure(r"Unable to create '([^']+\.lock)': File exists")
_REF_RACE_RE = _OnFailure(r"is at [0-9a-f]+ but expected|unable to update local ref|"
                         r"cannot lock ref '[^']+': (?:is at|reference already exists)")
_DAMAGE_RE = _OnFailure(r"corrupt|bad object|bad tree|unable to read|invalid sha1 pointer|broken|"
                       r"missing (?:blob|tree|commit)|not a valid object|inflate|header for \S+ too long|"
                       r"does not point to a valid|fatal: bad default revision|invalid object|"
                       r"could not parse|unable to parse|not a git repository|bad signature|"
                       r"index file smaller than expected|unknown index entry", re.IGNORECASE)
_NO_SPACE_RE = _OnFailure(r"No space left on device|disk quota exceeded|Out of diskspace", re.IGNORECASE)
_READ_ONLY_RE = _OnFailure(r"Read-only file system|Permission denied|Operation not permitted", re.IGNORECASE)


def git_program() -> str | None:
    """The git program GitPython runs, or None when there is none."""
    exe = gitprocess.executable()
    return shutil.which(exe) if not os.path.isabs(exe) else (exe if os.access(exe, os.X_OK) else None)


def not_installed() -> GitNotInstalled:
    return GitNotInstalled(f"git is not installed (no 'git' program was found): {INSTALL_GIT}; "
                           "Guideline Studio keeps every revision with git")


def _noop() -> None:
    return None


def failures() -> tuple[type[BaseException], ...]:
    """What GitPython and git raise when something outside our control goes
    wrong (``GIT_FAILURES``).  GitPython's classes are imported here, when a
    failure is handled: a command that never needed GitPython never loads it."""
    from git.exc import GitError
    from gitdb.exc import ODBError

    return (GitError, ODBError, ValueError, AssertionError, OSError, zlib.error)


def __getattr__(name: str):
    """``gitfaults.GIT_FAILURES``, built when first asked for (``failures``)."""
    if name == "GIT_FAILURES":
        return failures()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def guarded(what: str):
    """Decorate a GitStore method: every git failure it meets is translated
    into an error for the user (what = the action, "save a revision")."""

    def wrap(method):
        @functools.wraps(method)
        def run(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except GuidelinesError:
                raise
            except failures() as exc:
                raise translate(exc, self.root, what) from None

        return run

    return wrap


# ---- locks ---------------------------------------------------------------------


def lock_in(detail: str, git_dir: Path) -> Path | None:
    """The lock file a failed git command names (index.lock, HEAD.lock, ...)."""
    m = _LOCK_RE.search(detail)
    if not m:
        return None
    path = Path(m.group(1))
    return path if path.is_absolute() else git_dir.parent / path


def lock_age(path: Path) -> float | None:
    try:
        return max(0.0, time.time() - path.stat().st_mtime)
    except OSError:
        return None


def is_stale(path: Path) -> bool:
    age = lock_age(path)
    return age is not None and age >= STALE_LOCK_SECONDS


def locked_error(lock: Path, action: str = "save a revision") -> RepositoryLocked:
    """The workspace's lock is still there after waiting: offer to remove it."""
    if is_stale(lock):
        what = (f"git left a lock file behind ({lock.name}, from a git program that stopped before it finished); "
                "no git program is using the workspace now")
    else:
        what = f"another program is using the workspace's history right now (it holds {lock.name}) and did not finish in time"

    def remove() -> None:
        try:
            lock.unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot remove the lock file {lock}: {exc.strerror or exc}") from None

    return RepositoryLocked(f"cannot {action}: {what}. Your text is not lost. "
                            f"Removing the lock file lets saving work again ({lock})").with_remedy(
        Remedy("Remove the Lock and Save Again", remove,
               f"if no other git program is running, delete {lock} and run the command again"))


def is_retryable(exc: BaseException, git_dir: Path) -> bool:
    """A failure another process causes for a moment: a lock it holds, or a
    branch it moved while we were committing."""
    detail = git_said(exc)
    lock = lock_in(detail, git_dir)
    if lock is not None:
        return not is_stale(lock)
    return bool(_REF_RACE_RE.search(detail))


# ---- the translation -------------------------------------------------------------


# GitPython's words for an object git could not give (its ids as Python bytes).
_UNRESOLVED = re.compile(r"SHA b?'?([0-9a-f]{7,64})'? could not be resolved, git returned: b?'?(?:[0-9a-f]+ )?([a-z ]*)")


def git_said(exc: BaseException) -> str:
    """What git said about *exc* (its error output), in words."""
    stderr = getattr(exc, "stderr", None)
    if isinstance(stderr, bytes):
        stderr = stderr.decode("utf-8", errors="replace")
    text = (stderr or "").strip()
    if text.startswith("stderr:"):
        text = text[len("stderr:"):].strip()
    text = text.strip("'\" \n")
    if not text:
        text = str(exc)
        unresolved = _UNRESOLVED.search(text)
        if unresolved is not None:
            state = "missing" if unresolved[2].strip() == "missing" else "unreadable"
            return f"a part of a saved revision (git object {unresolved[1][:12]}) is {state}"
    return text


def first_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    fatal = [ln for ln in lines if ln.startswith(("fatal:", "error:"))]
    return (fatal[-1] if fatal else lines[-1] if lines else "").removeprefix("fatal: ").removeprefix("error: ")


def storage_error(exc: OSError, root: Path, what: str) -> StorageError:
    """An OSError while writing in the workspace, in plain words.  Its
    ``cause`` and ``fix`` say the same in parts, for a message of its own
    (an import's: the Word file is untouched, choose another folder)."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return _told(StorageError(f"cannot {what}: the disk is full. Nothing was half-written; "
                                  "free some space and save again").with_remedy(
            Remedy("Try Again", _noop, "free some disk space, then run the command again")), "the disk is full", "free some disk space")
    if not root.is_dir():
        return vanished(root, what)
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        kind, where = _unwritable(exc, root)
        return _told(StorageError(f"cannot {what}: {kind} {where} is read-only (no permission to change it). "
                                  "Your text is not lost; make it writable and save again, or save a copy elsewhere").with_remedy(
            Remedy("Try Again", _noop, f"make {where} writable, then run the command again")),
            f"{kind} {where} is read-only (no permission to change it)", f"make {where} writable")
    name = f" ({exc.filename})" if exc.filename else ""
    return StorageError(f"cannot {what}: {exc.strerror or exc}{name}")


def _told(error: StorageError, cause: str, fix: str) -> StorageError:
    error.cause, error.fix = cause, fix
    return error


def _unwritable(exc: OSError, root: Path) -> tuple[str, Path]:
    """What cannot be written, as ("the file", X) or ("the folder", Y): the
    file being replaced when its folder may be written in (a file marked
    read-only or locked), else the nearest folder that may not (it was
    always "the workspace folder", writable or not)."""
    import os

    target = Path(exc.filename2 or exc.filename) if (exc.filename2 or exc.filename) else None
    if target is not None and exc.errno != errno.EROFS:
        target = target if not target.name.endswith(".tmp") else target.parent  # (the temporary file: its folder)
        folder = target if target.is_dir() else target.parent
        if target.is_file() and os.access(folder, os.W_OK | os.X_OK):
            return "the file", target
        while folder != folder.parent and not folder.is_dir():
            folder = folder.parent
        return "the folder", folder
    return "the workspace folder", root


def vanished(root: Path, what: str) -> StorageError:
    gone = f"the workspace folder {root} is gone (moved, deleted, or on a drive that is no longer connected)"
    return _told(StorageError(f"cannot {what}: {gone}. Put it back, or save your text as a copy elsewhere"), gone,
                 "put the workspace folder back (or reconnect its drive)")


def damaged(root: Path, what: str, detail: str) -> RepositoryDamaged:
    detail = first_line(detail) or detail
    return RepositoryDamaged(f"cannot {what}: the workspace's history (the .git folder in {root}) is damaged: {detail}. "
                             f"{TEXT_IS_SAFE}; saving revisions and showing history need the history repaired "
                             f"(restore the .git folder from a backup, or ask someone who knows git; 'git -C {root} fsck' "
                             "lists what is damaged)")


def translate(exc: BaseException, root: Path, what: str) -> GuidelinesError:
    """One error for the user from anything git or GitPython raised while
    trying to *what* ("save a revision", "read the history")."""
    from git.exc import GitCommandNotFound

    if isinstance(exc, GuidelinesError):
        return exc
    if isinstance(exc, GitCommandNotFound) or (isinstance(exc, OSError) and git_program() is None):
        return not_installed()
    if not root.is_dir():
        return vanished(root, what)
    if isinstance(exc, OSError):
        return storage_error(exc, root, what)
    detail = git_said(exc)
    git_dir = root / ".git"
    lock = lock_in(detail, git_dir)
    if lock is not None:
        return locked_error(lock, what)
    if _NO_SPACE_RE.search(detail):
        return storage_error(OSError(errno.ENOSPC, "No space left on device"), root, what)
    if _READ_ONLY_RE.search(detail):
        return storage_error(OSError(errno.EACCES, "Permission denied"), root, what)
    if not git_dir.exists():
        return RepositoryDamaged(f"cannot {what}: the workspace's history (the .git folder in {root}) is missing. "
                                 f"{TEXT_IS_SAFE}; revisions cannot be saved or shown until it is restored")
    if isinstance(exc, (ValueError, AssertionError, zlib.error, KeyError)) or _DAMAGE_RE.search(detail):
        return damaged(root, what, detail or f"{type(exc).__name__}")
    if _REF_RACE_RE.search(detail):
        return GitFault(f"cannot {what}: another program kept changing the workspace's history at the same time. "
                        "Your text is not lost; save again in a moment")
    return GitFault(f"cannot {what}: git reported: {first_line(detail) or detail}")


def packed_ref(common_dir: Path, ref: str) -> bool:
    """True when *ref* is listed in the repository's packed-refs file."""
    try:
        text = (common_dir / "packed-refs").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return any(line.endswith(" " + ref) for line in text.splitlines())


def no_repository(root: Path) -> GuidelinesError:
    """GitPython found no repository at *root*: missing history, or not a workspace."""
    if (root / ".git").exists():
        return damaged(root, "open the workspace", "git does not recognize it as a repository")
    if (root / "guidelines").is_dir():
        return RepositoryDamaged(
            f"the workspace's history (the .git folder in {root}) is missing. {TEXT_IS_SAFE}; "
            "restore the .git folder from a backup to get the revisions back, or run 'guidelines init' "
            "to start a new history from the documents as they are")
    return WorkspaceError(f"{root} is not a guidelines workspace (it is not a git repository)")


# ---- detached HEAD: refuse, explain, offer the way back ---------------------------


def detached_head(repo, root: Path, return_to_branch) -> DetachedHead:
    branch = branch_to_return_to(repo)
    where = f"the branch {branch}" if branch else "a branch"
    return DetachedHead(
        "cannot save a revision: the workspace is not on a branch (git calls this a detached HEAD: someone "
        "checked out an old revision with git). A revision saved now would drop out of the history at the next "
        f"checkout. Your text is not lost: return to {where} and save again").with_remedy(
        Remedy(f"Return to {branch or 'the Branch'} and Save", return_to_branch,
               f"run 'git -C {root} switch {branch or 'main'}' (your edited files are kept), then save again"))


def branch_to_return_to(repo) -> str | None:
    """The branch the workspace was on before it left it (the newest
    checkout in the reflog that moved away from a branch), else main/master."""
    heads = set(repo.git.for_each_ref("--format=%(refname:short)", "refs/heads/").split())
    status, out, _err = repo.git.reflog("show", "--format=%gs", "HEAD", "--",
                                        with_extended_output=True, with_exceptions=False)
    for line in out.splitlines() if status == 0 else []:
        m = re.match(r"checkout: moving from (\S+) to ", line)
        if m and m.group(1) in heads:
            return m.group(1)
    for name in ("main", "master"):
        if name in heads:
            return name
    return sorted(heads)[0] if heads else None


def return_to_branch(repo) -> None:
    """Put the workspace back on its branch, keeping every edited file as it
    is on disk (edits show as unsaved changes and can then be saved).  When the
    detached revision is newer than the branch, the branch moves forward to it,
    so no revision is left behind."""
    branch = branch_to_return_to(repo)
    if branch is None:
        raise GitFault("there is no branch to return to: create one with 'git switch -c main'")
    head = repo.git.rev_parse("--verify", "HEAD^{commit}").strip()
    ref = f"refs/heads/{branch}"
    tip = repo.git.rev_parse("--verify", f"{ref}^{{commit}}").strip()
    status, _o, _e = repo.git.merge_base("--is-ancestor", tip, head, with_extended_output=True, with_exceptions=False)
    if status == 0 and tip != head:
        repo.git.update_ref("-m", "guidelines: return to branch", ref, head, tip)
        tip = head
    out = repo.git.status("--porcelain", "-z", "--untracked-files=all", "--no-renames")
    edited = {entry[3:] for entry in out.split("\0") if len(entry) > 3}
    repo.git.symbolic_ref("-m", "guidelines: return to branch", "HEAD", ref)
    repo.git.reset("--quiet", "--mixed", tip)
    # Files nobody edited take the branch's text (theirs is in the revision we
    # left); edited files stay as they are.
    root = Path(repo.working_tree_dir)
    for path in repo.git.diff("--name-only", "--no-renames", "-z", head, tip).split("\0"):
        if not path or path in edited:
            continue
        if repo.git.ls_files("--", path).strip():
            repo.git.checkout("--", path)
        else:
            (root / path).unlink(missing_ok=True)


# ---- the shared copy (a remote): network, sign-in, refusals -----------------------

LOCAL_WORK_SAFE = "Your documents and revisions here are untouched"
_AUTH_RE = _OnFailure(r"Authentication failed|could not read (?:Username|Password)|terminal prompts disabled|"
                     r"Permission denied \(|Host key verification failed|HTTP Basic: Access denied|"
                     # (git daemon's "access denied or repository not exported" is a missing repository: git:// has no sign-in)
                     r"The requested URL returned error: 40[13]|invalid credentials|access denied(?! or repository not exported)",
                     re.IGNORECASE)
_REJECTED_RE = _OnFailure(r"\[rejected\]|non-fast-forward|fetch first|Updates were rejected", re.IGNORECASE)
_TAG_CLASH_RE = _OnFailure(r"\[rejected\]\s+(\S+)\s+->\s+\S+\s+\(would clobber existing tag\)|"
                          r"refs/tags/([^\s:]+)\S*\s+\[rejected\] \(already exists\)")
_REFUSED_BY_HOST_RE = _OnFailure(r"\[remote rejected\][^(\n]*(?:\(([^)\n]*)\))?|hook declined|protected branch",
                                re.IGNORECASE)
_NOT_FOUND_RE = _OnFailure(r"does not appear to be a git repository|Repository not found|repository '[^']*' not found|"
                          r"not a git repository|access denied or repository not exported",
                          re.IGNORECASE)
_UNREACHABLE_RE = _OnFailure(r"Could not resolve host|Connection refused|Connection timed out|timed out|"
                            r"Network is unreachable|No route to host|unable to access|unable to connect|"
                            r"remote end hung up|early EOF|Connection reset|Could not read from remote repository|"
                            r"unexpected disconnect|protocol error|fetch-pack: invalid index-pack output|"
                            r"index-pack failed|RPC failed|unable to look up|SSL|TLS", re.IGNORECASE)


def credential_advice(url: str) -> str:
    """Which of git's own ways of signing in to set up for *url* (the app
    never asks for nor keeps a password)."""
    if url.startswith("https://"):
        return ("set up a git credential helper that signs you in to this host, for example Git Credential Manager "
                "('git config --global credential.helper manager'; on macOS 'osxkeychain', on Linux 'libsecret'), "
                "sign in once with 'git fetch' in a terminal, then sync again")
    if url.startswith("ssh://") or "@" in url.split(":", 1)[0]:
        return ("add your SSH key to the SSH agent ('ssh-add', or your system's key manager), register its public key "
                "with the host, and connect once with 'ssh' in a terminal so the host key is known; then sync again")
    return "check that you may read and write the shared copy, then sync again"


def remote_failure(exc: BaseException, root: Path, what: str, remote: str, url: str) -> GuidelinesError:
    """A failed fetch, push or clone in plain words, with what to do."""
    if isinstance(exc, GuidelinesError):
        return exc
    detail = git_said(exc) if not isinstance(exc, OSError) else ""
    stdout = getattr(exc, "stdout", "") or ""
    if isinstance(stdout, bytes):
        stdout = stdout.decode("utf-8", errors="replace")
    detail = f"{detail}\n{stdout.strip()}".strip() if stdout.strip() else detail
    where = f"the shared copy '{remote}' ({url})" if remote else f"the shared copy at {url}"
    again = Remedy("Try Again", _noop, "run the command again")
    if detail and _AUTH_RE.search(detail):
        advice = credential_advice(url)
        return AuthenticationFailed(f"cannot {what}: {where} did not accept your sign-in. {LOCAL_WORK_SAFE}. To sign in, "
                                    f"{advice}").with_remedy(Remedy("Try Again", _noop, advice))
    tag = _TAG_CLASH_RE.search(detail) if detail else None
    if tag:
        name = tag.group(1) or tag.group(2)
        return GitFault(f"cannot {what}: the published version {name} exists here and in {where}, but on different "
                        f"revisions, and a published version never moves. {LOCAL_WORK_SAFE}; agree with colleagues "
                        f"which one stands, and remove the other (here: 'git tag -d {name}'), then sync again")
    host_refused = _REFUSED_BY_HOST_RE.search(detail) if detail else None
    if host_refused:
        reason = (host_refused.group(1) or "").strip() or first_line(detail)
        refused = PushRejected(f"cannot {what}: {where} refused your revisions ({reason}): its rules do not let you "
                               f"send to it this way (a protected branch, or a check on the host). {LOCAL_WORK_SAFE}; "
                               "ask whoever looks after the shared copy")
        refused.someone_first = False
        return refused
    if detail and _REJECTED_RE.search(detail):
        return PushRejected(f"cannot {what}: {where} refused your revisions because colleagues sent theirs at the same "
                            f"time. {LOCAL_WORK_SAFE}; sync again to bring theirs in first").with_remedy(again)
    if detail and _NOT_FOUND_RE.search(detail):
        return NotAWorkspace(f"cannot {what}: there is no shared workspace at {where} (the address leads to nothing "
                             f"git can read). {LOCAL_WORK_SAFE}; check the address in the remote settings")
    if (detail and _UNREACHABLE_RE.search(detail)) or isinstance(exc, (OSError, TimeoutError)):
        return RemoteUnreachable(f"cannot {what}: {where} cannot be reached (no network, the host is down, or the "
                                 f"connection dropped). {LOCAL_WORK_SAFE}; keep working and sync again when the "
                                 "connection is back").with_remedy(again)
    found = translate(exc, root, what) if root.is_dir() else None
    if found is not None and type(found) is not GitFault:
        return found
    said = first_line(detail) if (getattr(exc, "stderr", "") or stdout).strip() else ""
    said = f"git said: {said}" if said else f"git stopped with an error ({type(exc).__name__})"
    return RemoteUnreachable(f"cannot {what}: {where} could not be used ({said}). {LOCAL_WORK_SAFE}").with_remedy(again)
