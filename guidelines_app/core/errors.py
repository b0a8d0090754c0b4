"""Errors the user can act on.

Every exception raised on purpose by the core derives from GuidelinesError and
carries a message written for a person, so the CLI can print it after
``error:`` and the app can show it in a dialog without translating it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Remedy:
    """A way forward the app can offer as a button: *label* names it
    ("Remove the Lock and Save Again"), *run()* does it (raising a
    GuidelinesError if it cannot), after which the failed action can be tried
    again.  The CLI prints *hint* instead (what to type or do)."""

    label: str
    run: Callable[[], None]
    hint: str = ""


class GuidelinesError(Exception):
    """A problem the user can fix; str(exc) is the plain-language message.
    *remedy*, when set, is a way forward the app can offer."""

    remedy: Remedy | None = None

    def with_remedy(self, remedy: Remedy | None) -> GuidelinesError:
        self.remedy = remedy
        return self


class WorkspaceError(GuidelinesError):
    pass


class DocumentNotFound(GuidelinesError):
    pass


class DocumentExists(GuidelinesError):
    pass


class FrontMatterError(GuidelinesError):
    """The document's details block (YAML front matter) cannot be read."""

    def __init__(self, path: Path | str | None, line: int | None, problem: str):
        self.path = Path(path) if path else None
        self.line = line
        self.problem = problem
        where = str(self.path) if self.path else "the document"
        if line is not None:
            where += f", line {line}"
        super().__init__(f"cannot read the document details in {where}: {problem}")


class NotUtf8Text(FrontMatterError):
    """A document's file is not UTF-8 text (saved by another program in
    another encoding, or damaged): nothing of it can be read, details or text."""

    def __init__(self, path: Path | str | None, byte: int):
        super().__init__(path, None, f"the file is not UTF-8 text (byte {byte})")
        self.byte = byte
        GuidelinesError.__init__(self, f"cannot read {self.path or 'the document'}: it is not UTF-8 text (byte {byte})")


class IdentityMissing(GuidelinesError):
    """No author name/e-mail is configured for commits."""


class RevisionError(GuidelinesError):
    pass


class TooFewRevisions(RevisionError):
    """A revision further back than the document's history goes (HEAD~N):
    *count* revisions are saved."""

    def __init__(self, message: str, count: int):
        super().__init__(message)
        self.count = count


# ---- git and the file system, in plain language ------------------------------
# The git gateway (gitstore) and the file helpers raise these, never a raw
# GitCommandError or OSError; each message says what happened and what to do.


class GitFault(GuidelinesError):
    """Git could not do what was asked (the base of the cases below)."""


class GitNotInstalled(GitFault):
    """The git program is not on this computer (or not on PATH)."""


class RepositoryLocked(GitFault):
    """Another git process holds the workspace's lock (index.lock), or a
    crashed one left it behind."""


class DetachedHead(GitFault):
    """The workspace is not on a branch: a save would be orphaned."""


class RepositoryDamaged(GitFault):
    """The workspace's history is missing or damaged (refs, objects)."""


class StorageError(GuidelinesError):
    """The disk is full, the folder is read-only, or it has disappeared;
    *cause* says which ("the disk is full") and *fix* what to do ("free
    some disk space"), when known, for a message of the caller's own."""

    cause: str = ""
    fix: str = ""


# ---- team sync: the shared copy of a workspace (a git remote) -------------------


class RemoteError(GitFault):
    """A remote (the shared copy colleagues sync with) could not be used;
    local work is untouched."""


class RemoteRefused(RemoteError):
    """A remote address that is refused before git ever sees it (a transport
    helper such as ext::, option-like text, an unsupported scheme)."""


class RemoteUnreachable(RemoteError):
    """The network or the host is down, or the address leads nowhere."""


class AuthenticationFailed(RemoteError):
    """The host refused the credentials (or none were available)."""


class PushRejected(RemoteError):
    """The remote refused our revisions: someone sent theirs first (twice
    in a row), or the host's rules refuse them (*someone_first* False)."""

    someone_first = True


class NotAWorkspace(RemoteError):
    """The remote holds something other than this workspace's history."""


class SyncPending(GitFault):
    """A sync is waiting for a person to resolve conflicts (or abort it)."""


class SyncRecordUnreadable(SyncPending):
    """The record of the unfinished sync cannot be read: abort it (the
    workspace is as it was before that sync) and sync again."""


class SyncHistoryMoved(SyncPending):
    """The workspace's history changed since the sync started (not by
    revisions saved on top of it): abort it and sync again."""
