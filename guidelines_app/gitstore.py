"""The one place that talks to git.

Everything else asks this module for history, file contents and commits, and
never builds git command lines itself.  Rules kept here:

* a ``Repo`` is opened once per ``GitStore`` and closed with it (GitPython
  keeps helper processes per Repo); use one GitStore per thread;
* text from the user never reaches git as an option: revisions are checked
  against a strict pattern and resolved with ``--end-of-options`` first, and
  commit messages travel only as the value of ``-m``;
* GitPython's unsafe options and protocols are never enabled.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import git
from git.exc import GitCommandError, InvalidGitRepositoryError, NoSuchPathError

from .errors import IdentityMissing, RevisionError, WorkspaceError


@dataclass(frozen=True)
class Identity:
    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True)
class Revision:
    sha: str
    date: _dt.datetime
    author: str
    email: str
    message: str

    @property
    def short(self) -> str:
        return self.sha[:8]

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]


# A revision the user may type: a commit id, HEAD with ~N/^N suffixes, or a
# tag/branch name made of ordinary characters.  Anything starting with "-" or
# containing spaces, colons, ".." ranges or shell-ish characters is refused.
_REVISION_RE = re.compile(r"^(?!-)(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_./+-]*(?:[~^][0-9]*)*$")
_SHA_RE = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
_FIELD = "\x1f"
_RECORD = "\x1e"


def validate_revision(text: str) -> str:
    text = (text or "").strip()
    if not text or not _REVISION_RE.match(text) or text.endswith((".", "/", ".lock")):
        raise RevisionError(f"'{text}' is not a revision: give a commit id, a published version such as v1.2, or HEAD~N")
    return text


class GitStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        try:
            self.repo = git.Repo(self.root)
        except (InvalidGitRepositoryError, NoSuchPathError):
            raise WorkspaceError(f"{self.root} is not a guidelines workspace (it is not a git repository)") from None
        if self.repo.bare:
            self.repo.close()
            raise WorkspaceError(f"{self.root} is a bare git repository; open a checkout instead")
        work_tree = Path(self.repo.working_tree_dir).resolve()
        if work_tree != self.root.resolve():
            self.repo.close()
            raise WorkspaceError(f"{self.root} is inside the git repository {work_tree}; open that folder instead")

    @classmethod
    def init(cls, root: Path) -> "GitStore":
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        repo = git.Repo.init(root, initial_branch="main")
        try:
            # Keep our temporary files out of every git tool's view without a commit.
            exclude = Path(repo.git_dir) / "info" / "exclude"
            exclude.parent.mkdir(parents=True, exist_ok=True)
            existing = exclude.read_text(encoding="utf-8") if exclude.exists() else ""
            if ".*.tmp" not in existing:
                exclude.write_text(existing + "\n# Guideline Studio temporary files\n.*.tmp\n", encoding="utf-8")
        finally:
            repo.close()
        return cls(root)

    @staticmethod
    def is_repository(root: Path) -> bool:
        return (Path(root) / ".git").exists()

    def close(self) -> None:
        self.repo.close()

    def __enter__(self) -> "GitStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- identity ----------------------------------------------------------

    def config_identity(self) -> Identity | None:
        """user.name / user.email as git sees them (repository, global, system)."""
        reader = self.repo.config_reader()
        try:
            name = str(reader.get_value("user", "name", default="")).strip()
            email = str(reader.get_value("user", "email", default="")).strip()
        finally:
            reader.release()
        if name and email:
            return Identity(name, email)
        return None

    # ---- reading -----------------------------------------------------------

    def has_commits(self) -> bool:
        try:
            self.repo.head.commit
            return True
        except ValueError:
            return False

    def resolve(self, revision: str) -> str:
        """Full commit id for a revision the user typed."""
        revision = validate_revision(revision)
        try:
            return self.repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}").strip()
        except GitCommandError:
            raise RevisionError(f"there is no revision '{revision}' in this workspace") from None

    def tags(self, pattern: str = "*") -> list[str]:
        out = self.repo.git.tag("--list", "--end-of-options", pattern)
        return [t for t in out.splitlines() if t]

    def log(self, relpath: str, max_count: int | None = None) -> list[Revision]:
        """Revisions that changed *relpath*, newest first, in one git call."""
        self._check_relpath(relpath)
        if not self.has_commits():
            return []
        args = [f"--format={_RECORD}%H{_FIELD}%aI{_FIELD}%an{_FIELD}%ae{_FIELD}%B", "--no-color"]
        if max_count:
            args.append(f"--max-count={int(max_count)}")
        out = self.repo.git.log(*args, "--", relpath, strip_newline_in_stdout=False)
        revisions = []
        for record in out.split(_RECORD)[1:]:
            sha, date, author, email, message = record.split(_FIELD, 4)
            revisions.append(Revision(sha, _dt.datetime.fromisoformat(date), author, email, message.strip()))
        return revisions

    def read(self, relpath: str, revision: str = "HEAD") -> bytes:
        """The bytes of *relpath* as committed at *revision*."""
        self._check_relpath(relpath)
        sha = revision if _SHA_RE.match(revision) else self.resolve(revision)
        try:
            blob = self.repo.commit(sha).tree / relpath
        except KeyError:
            raise RevisionError(f"{relpath} does not exist in revision {sha[:8]}") from None
        return blob.data_stream.read()

    def is_tracked(self, relpath: str) -> bool:
        self._check_relpath(relpath)
        return bool(self.repo.git.ls_files("--", relpath).strip())

    def has_changes(self, relpath: str) -> bool:
        """True when the file differs from its last commit (or is new)."""
        self._check_relpath(relpath)
        return bool(self.repo.git.status("--porcelain", "--untracked-files=all", "--", relpath).strip())

    # ---- writing -----------------------------------------------------------

    def commit_file(self, relpath: str, message: str, author: Identity) -> str | None:
        """Commit the working-tree state of *relpath* alone.

        Other staged or modified files are left exactly as they were.  Returns
        the new commit id, or None when the file has no changes.
        """
        self._check_relpath(relpath)
        if not self.has_changes(relpath):
            return None
        if not author.name.strip() or not author.email.strip():
            raise IdentityMissing("an author name and e-mail are needed to save a revision")
        env = {
            "GIT_AUTHOR_NAME": author.name,
            "GIT_AUTHOR_EMAIL": author.email,
            "GIT_COMMITTER_NAME": author.name,
            "GIT_COMMITTER_EMAIL": author.email,
        }
        message = message.strip() or "Save revision"
        with self.repo.git.custom_environment(**env):
            self.repo.git.add("--", relpath)
            # --only: commit this path even if the user staged other things.
            self.repo.git.commit("--quiet", "--only", "-m", message, "--", relpath)
        return self.repo.head.commit.hexsha

    # ---- helpers -----------------------------------------------------------

    @staticmethod
    def _check_relpath(relpath: str) -> None:
        p = PurePosixPath(relpath)
        if p.is_absolute() or ".." in p.parts or relpath.startswith("-") or not relpath:
            raise WorkspaceError(f"'{relpath}' is not a path inside the workspace")

