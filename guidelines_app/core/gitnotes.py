"""Git notes: records attached to a commit without changing it (sign-offs
of a revision).  Beside ``gitstore`` (the git gateway, full), with its
rules: user text reaches git only as the value of ``-m``; commits are full
ids checked against a strict pattern; failures come back in plain words.

Notes live under their own ref (``refs/notes/<name>``), so any git tool
reads them (``git log --notes=<ref>``) and they can travel with fetch and
push like tags."""

from __future__ import annotations

import re

from guidelines_app.core import gitfaults
from guidelines_app.core.errors import IdentityMissing, RevisionError
from guidelines_app.core.gitstore import GitStore, Identity

_REF_RE = re.compile(r"^refs/notes/[a-z0-9][a-z0-9-]{0,60}$")
_SHA_RE = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
_FIELD = "\x1f"
_RECORD = "\x1e"


class GitNotes:
    """The notes under one ref of a workspace's repository."""

    def __init__(self, store: GitStore, ref: str):
        if not _REF_RE.match(ref):
            raise RevisionError(f"'{ref}' is not a usable notes ref")
        self.store, self.ref, self.root = store, ref, store.root

    @gitfaults.guarded("record the sign-off")
    def append(self, commit: str, text: str, author: Identity) -> None:
        """Add *text* to the note of *commit* (a new note, or a paragraph
        appended to the one it has)."""
        if not _SHA_RE.match(commit):
            raise RevisionError(f"'{commit}' is not a full commit id")
        if not author.name.strip() or not author.email.strip():
            raise IdentityMissing("an author name and e-mail are needed to record a sign-off")
        env = {"GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email,
               "GIT_COMMITTER_NAME": author.name, "GIT_COMMITTER_EMAIL": author.email}
        with self.store.repo.git.custom_environment(**env):
            self.store.repo.git.notes(f"--ref={self.ref}", "append", "-m", text.strip(), commit)

    @gitfaults.guarded("read the sign-offs")
    def for_path(self, relpath: str) -> dict[str, str]:
        """{commit: note text} for the revisions of *relpath* that have a note."""
        self.store._check_relpath(relpath)
        if not self.store.has_commits() or not self.exists():
            return {}
        out = self.store.repo.git.log(f"--notes={self.ref}", f"--format={_RECORD}%H{_FIELD}%N", "--", relpath,
                                      strip_newline_in_stdout=False)
        found = {}
        for record in out.split(_RECORD)[1:]:
            sha, _, note = record.partition(_FIELD)
            if note.strip():
                found[sha.strip()] = note.strip()
        return found

    def exists(self) -> bool:
        """Whether any note was recorded under the ref (one cheap call)."""
        status, _out, _err = self.store.repo.git.rev_parse("--verify", "--quiet", "--end-of-options", self.ref,
                                                           with_extended_output=True, with_exceptions=False)
        return status == 0

    @gitfaults.guarded("read the sign-offs")
    def of(self, commit: str) -> str:
        """The note of one commit ('' when it has none)."""
        if not _SHA_RE.match(commit):
            raise RevisionError(f"'{commit}' is not a full commit id")
        status, out, _err = self.store.repo.git.notes(f"--ref={self.ref}", "show", commit,
                                                      with_extended_output=True, with_exceptions=False)
        return out.strip() if status == 0 else ""
