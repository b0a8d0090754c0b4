"""The one place that talks to git.

Everything else asks this module for history, file contents and commits, and
never builds git command lines itself.  Rules kept here:

* a ``Repo`` is opened once per ``GitStore``, on the first operation that
  needs one, and closed with it (GitPython keeps helper processes per Repo);
  use one GitStore per thread.  Reads that are one git command each (status,
  a log, tags, a blob) run git through ``gitprocess`` without GitPython, so a
  short command never pays GitPython's import; they fail with the same
  GitCommandError, translated into plain words the same way;
* text from the user never reaches git as an option: revisions are checked
  against a strict pattern and resolved with ``--end-of-options`` first, and
  commit messages travel only as the value of ``-m``;
* GitPython's unsafe options and protocols are never enabled.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath

# Else importing GitPython without git installed raises; so it is reported when a workspace opens.
os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")

from guidelines_app.core import gitfaults, gitprocess, identity, names  # noqa: E402
from guidelines_app.core.errors import GuidelinesError, IdentityMissing, RepositoryDamaged, RevisionError, StorageError, WorkspaceError  # noqa: E402
from guidelines_app.core.gitrecords import BlameLine, Identity, Revision, TagRef  # noqa: E402, F401 (the gateway's records)

# How long a save waits for another program's lock or commit before giving up.
RETRY_SECONDS = 8.0
STATUS_DIFF = "--diff-algorithm=myers"  # the line diff status changes are read with (see gitlog)
_guarded = gitfaults.guarded
_command_error = gitprocess.command_error  # GitPython's GitCommandError, imported when a failure is handled



_TAG_PREFIX_RE = _TAG_NAME_RE = names.RefNames(r"^[A-Za-z0-9_][A-Za-z0-9_.+/-]*$")


# A revision the user may type: a commit id, HEAD with ~N/^N suffixes, or a
# tag/branch name made of ordinary characters.  Anything starting with "-" or
# containing spaces, colons, ".." ranges or shell-ish characters is refused.
_REVISION_RE = re.compile(r"^(?!-)(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_./+-]*(?:[~^][0-9]*)*$")
_SHA_RE = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
_FIELD = "\x1f"
_SHA_LINES_RE = re.compile(r"(?:\n?(?:[0-9a-f]{64}|[0-9a-f]{40}))*")
_RECORD = "\x1e"


def validate_revision(text: str) -> str:
    text = (text or "").strip()
    if not text or not _REVISION_RE.match(text) or text.endswith((".", "/", ".lock")):
        raise RevisionError(f"'{text}' is not a revision: give a commit id, a published version such as v1.2, or HEAD~N")
    return text


class GitStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        if gitfaults.git_program() is None:
            raise gitfaults.not_installed()
        if not self.root.is_dir():
            raise gitfaults.vanished(self.root, "open the workspace")
        self._repo = None
        # An ordinary checkout (<root>/.git) is opened when first needed; anything else is checked now.
        if not gitprocess.plain_checkout(self.root):
            self._repo = self._open_repo()

    @property
    def repo(self):
        """GitPython's ``Repo`` of the workspace, opened on first use."""
        if self._repo is None:
            self._repo = self._open_repo()
        return self._repo

    def repo_if_loaded(self):
        """The Repo (its git processes kept running) once GitPython is loaded anyway (the window's
        features load it after the first paint); None before (one git process beats loading it)."""
        if self._repo is None and "git" in sys.modules:
            with contextlib.suppress(GuidelinesError):  # (no repository now: the git process says so)
                self._repo = self._open_repo()
        return self._repo

    @property
    def git_dir(self) -> Path:
        """The repository folder (``.git``), without opening the Repo for it."""
        return Path(self._repo.git_dir if self._repo is not None else os.path.abspath(self.root / ".git"))

    @property
    def common_dir(self) -> Path:
        return Path(self._repo.common_dir) if self._repo is not None else self.git_dir

    def _open_repo(self):
        import git
        from git.exc import InvalidGitRepositoryError, NoSuchPathError

        try:
            repo = git.Repo(self.root)
        except (InvalidGitRepositoryError, NoSuchPathError):
            raise gitfaults.no_repository(self.root) from None
        except gitfaults.failures() as exc:
            raise gitfaults.translate(exc, self.root, "open the workspace") from None
        # Reading the state (git status) never takes the index lock nor writes (full disk, other saves).
        repo.git.update_environment(GIT_OPTIONAL_LOCKS="0")
        if repo.bare:
            repo.close()
            raise WorkspaceError(f"{self.root} is a bare git repository; open a checkout instead")
        work_tree = Path(repo.working_tree_dir).resolve()
        if work_tree != self.root.resolve():
            repo.close()
            raise WorkspaceError(f"{self.root} is inside the git repository {work_tree}; open that folder instead")
        return repo

    @classmethod
    def init(cls, root: Path) -> GitStore:
        root = Path(root)
        if gitfaults.git_program() is None:
            raise gitfaults.not_installed()
        import git

        try:
            root.mkdir(parents=True, exist_ok=True)
            repo = git.Repo.init(root, initial_branch="main")
        except GuidelinesError:
            raise
        except gitfaults.failures() as exc:
            parent = root if root.is_dir() else root.parent
            raise gitfaults.translate(exc, parent, f"create a workspace at {root}") from None
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
        if self._repo is not None:
            self._repo.close()

    def __enter__(self) -> GitStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- identity ----------------------------------------------------------

    @_guarded("read the author settings")
    def config_identity(self) -> Identity | None:
        """user.name / user.email as git sees them (repository, global, system)."""
        reader = self.repo.config_reader()
        try:
            name = str(reader.get_value("user", "name", default="")).strip()
            email = str(reader.get_value("user", "email", default="")).strip()
        finally:
            reader.release()
        return Identity(name, email) if name and email else None

    # ---- reading -----------------------------------------------------------

    @_guarded("read the history")
    def has_commits(self, what: str = "read the history") -> bool:
        """False for a new workspace; RepositoryDamaged when the branch points
        at nothing readable (an empty or corrupt ref, a missing commit)."""
        status, out, err = gitprocess.run_text(self.root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
        if status == 0 and out.strip():
            return True
        try:  # read by hand: git itself refuses a HEAD whose branch is broken
            head = (self.git_dir / "HEAD").read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            head = ""
        ref = head[len("ref:"):].strip() if head.startswith("ref:") else ""
        if not ref:
            raise gitfaults.damaged(self.root, what, "HEAD does not point at a saved revision")
        if (self.common_dir / ref).exists() or gitfaults.packed_ref(self.common_dir, ref):
            branch = ref.removeprefix("refs/heads/")
            raise gitfaults.damaged(self.root, what,
                                    f"the branch {branch} (.git/{ref}) does not point at a readable revision"
                                    + (f" ({gitfaults.first_line(err)})" if err.strip() else ""))
        return False  # a branch with no revision yet

    @_guarded("find the revision")
    def resolve(self, revision: str) -> str:
        """Full commit id for a revision the user typed."""
        revision = validate_revision(revision)
        try:
            return self._git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}").strip()
        except _command_error():
            self.has_commits("find the revision")  # a broken branch is damage, not a missing revision
            raise RevisionError(f"there is no revision '{revision}' in this workspace") from None

    @_guarded("read the versions")
    def tags(self, pattern: str = "*") -> list[str]:
        out = self._git("tag", "--list", "--end-of-options", pattern)
        return [t for t in out.splitlines() if t]

    @_guarded("read the history")
    def log(self, relpath: str, max_count: int | None = None) -> list[Revision]:
        """Revisions that changed *relpath*, newest first, in one git call."""
        self._check_relpath(relpath)
        args = [f"--format={_RECORD}%H{_FIELD}%aI{_FIELD}%an{_FIELD}%ae{_FIELD}%B", "--no-color"]
        if max_count:
            args.append(f"--max-count={int(max_count)}")
        try:  # HEAD is checked only when git fails (one git process, not two)
            out = self._git("log", *args, "--", relpath, strip=False)
        except _command_error():
            if not self.has_commits():
                return []
            raise
        revisions = []
        for record in out.split(_RECORD)[1:]:
            sha, date, author, email, message = record.split(_FIELD, 4)
            revisions.append(Revision(sha, _dt.datetime.fromisoformat(date), author, email, message.strip()))
        return revisions

    @_guarded("read a saved revision")
    def read(self, relpath: str, revision: str = "HEAD") -> bytes:
        """The bytes of *relpath* as committed at *revision*."""
        self._check_relpath(relpath)
        sha = revision if _SHA_RE.match(revision) else self.resolve(revision)
        try:
            blob = self.repo.commit(sha).tree / relpath
        except KeyError:
            raise RevisionError(f"{relpath} does not exist in revision {sha[:8]}") from None
        return blob.data_stream.read()

    @_guarded("read the workspace's state")
    def is_tracked(self, relpath: str) -> bool:
        self._check_relpath(relpath)
        return bool(self._git("ls-files", "--", relpath).strip())

    @_guarded("read the workspace's state")
    def has_changes(self, relpath: str) -> bool:
        """True when the file differs from its last commit (or is new)."""
        self._check_relpath(relpath)
        return bool(self._changed(relpath))

    @_guarded("read the workspace's state")
    def changed_paths(self, folder: str, check_head: bool = False) -> list[str]:
        """Files under *folder*/ that differ from the last revision or are new
        (deleted files not included).  With *check_head*, first what
        ``has_commits`` says of a broken branch (which would make every file
        look new), asked of git only when its status names no revision."""
        return self.changed_paths_later(folder, check_head)()

    @_guarded("read the workspace's state")
    def changed_paths_later(self, folder: str, check_head: bool = False) -> Callable[[], list[str]]:
        """``changed_paths``, git started at once: the returned function
        waits for it and answers (a command that only reads works on
        meanwhile; git takes no lock for it).  Both say what went wrong as
        ``changed_paths`` does."""
        self._check_relpath(folder)
        args = ("status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all", "--no-renames", "--", folder)
        return functools.partial(self._changed_answer, gitprocess.start(self.root, *args), check_head)

    @_guarded("read the workspace's state")
    def _changed_answer(self, collect: Callable[[], bytes], check_head: bool) -> list[str]:
        try:
            out = collect().decode("utf-8", "surrogateescape")
        except _command_error():
            if check_head:
                self.has_commits()
            raise
        return _changed_in(out, self if check_head else None)

    def _changed(self, relpath: str) -> str:  # git's status line of *relpath*: '' unchanged, '?? ...' a new file
        return self._git("status", "--porcelain", "--untracked-files=all", "--", relpath).strip()

    # ---- writing -----------------------------------------------------------

    @_guarded("save a revision")
    def commit_file(self, relpath: str, message: str, author: Identity) -> str | None:
        """Commit the working-tree state of *relpath* alone (other staged or modified files are left
        as they were): the new commit id, or None when the file has no changes.  A lock or a commit
        another program holds for a moment is waited for (backoff, up to RETRY_SECONDS); then the error
        says what to do."""
        self._check_relpath(relpath)
        if not author.name.strip() or not author.email.strip():
            raise IdentityMissing("an author name and e-mail are needed to save a revision")
        self.has_commits("save a revision")  # a damaged branch is reported as such, not as a detached HEAD
        self.check_on_branch()
        env = identity.commit_environment(author.name, author.email)  # git's GIT_COMMITTER_* win
        message = message.strip() or "Save revision"
        deadline, pause = time.monotonic() + RETRY_SECONDS, 0.05
        while True:
            try:
                if not (state := self._changed(relpath)):
                    return None
                with self.repo.git.custom_environment(**env):
                    if state.startswith("??"):  # a new file (git stages the others' changes with --only itself)
                        self.repo.git.add("--", relpath)
                    # --only: commit this path even if the user staged other things.
                    self.repo.git.commit("--quiet", "--only", "-m", message, "--", relpath)
                break
            except _command_error() as exc:
                if time.monotonic() > deadline or not gitfaults.is_retryable(exc, Path(self.repo.git_dir)):
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)
        # The newest commit of this file (HEAD may hold another program's commit made just after ours).
        return self.repo.git.rev_list("-1", "HEAD", "--", relpath).strip() or self.repo.head.commit.hexsha

    # ---- the branch (a save into a detached HEAD would be orphaned) ----------

    @_guarded("read the workspace's state")
    def check_on_branch(self) -> None:
        """DetachedHead, with a way back, when the workspace is not on a branch."""
        status, _out, _err = gitprocess.run_text(self.root, "symbolic-ref", "--quiet", "HEAD", check=False)
        if status != 0:
            raise gitfaults.detached_head(self.repo, self.root, self.return_to_branch)

    @_guarded("return to the branch")
    def return_to_branch(self) -> None:
        """Put the workspace back on its branch, keeping every edited file as
        it is on disk (see gitfaults.return_to_branch)."""
        gitfaults.return_to_branch(self.repo)

    # ---- tags, blame, status history (revision history feature) -------------

    @_guarded("publish the version")
    def create_tag(self, name: str, commit: str, message: str, tagger: Identity) -> None:
        """An annotated tag *name* on *commit*; refuses to move an existing tag."""
        if not _TAG_NAME_RE.match(name) or ".." in name or name.endswith((".", "/", ".lock")):
            raise RevisionError(f"'{name}' cannot be used as a version tag")
        if not _SHA_RE.match(commit):
            commit = self.resolve(commit)
        try:
            self.repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"refs/tags/{name}")
            raise RevisionError(f"version tag {name} already exists")
        except _command_error():
            pass
        env = identity.tagger_environment(tagger.name, tagger.email)
        with self.repo.git.custom_environment(**env):
            self.repo.git.tag("-a", "-m", message.strip() or name, "--end-of-options", name, commit)

    @_guarded("look up who changed what")
    def blame_lines(self, relpath: str, contents: bytes | None = None, revision: str | None = None) -> list[BlameLine]:
        """Who last changed each line of *relpath* (as committed at
        *revision*, default the latest; or as *contents* when given: lines
        not yet saved get an all-zero commit)."""
        self._check_relpath(relpath)
        if not self.has_commits():
            return []
        if revision is not None and (contents is not None or not _SHA_RE.match(revision)):
            raise RevisionError(f"'{revision}' is not a full commit id to look up")
        # As committed (HEAD by default: without a revision git reads the file on disk, unsaved edits and all).
        args = ["--line-porcelain"] + ([] if contents is not None else [revision or "HEAD"])
        tmp = None
        if contents is not None:
            import tempfile

            fd, tmp = tempfile.mkstemp(prefix=".blame-", suffix=".tmp", dir=self.git_dir)
            with open(fd, "wb") as fh:
                fh.write(contents)
            args += ["--contents", tmp]
        try:
            out = self._git("blame", *args, "--", relpath, strip=False)
        except _command_error() as exc:
            found = gitfaults.translate(exc, self.root, "look up who changed what")
            if isinstance(found, (RepositoryDamaged, StorageError)):
                raise found from None
            raise RevisionError(f"{relpath} has no saved revision to look up") from None
        finally:
            if tmp:
                Path(tmp).unlink(missing_ok=True)
        lines: list[BlameLine] = []
        info: dict[str, str] = {}
        sha = ""
        for raw in out.split("\n"):
            if raw.startswith("\t"):
                when = _dt.datetime.fromtimestamp(int(info.get("author-time", "0")), _dt.UTC)
                lines.append(BlameLine(sha, info.get("author", ""), info.get("author-mail", "").strip("<>"), when, info.get("summary", "")))
                info = {}
                continue
            head, _, rest = raw.partition(" ")
            if len(head) == 40 and all(c in "0123456789abcdef" for c in head):
                sha = head
            elif head:
                info[head] = rest
        return lines

    @_guarded("read the history")
    def commits_between(self, old: str, new: str, relpath: str) -> set[str]:
        """The commits that changed *relpath* after *old* up to *new* (full
        commit ids; empty when *new* does not come after *old*)."""
        self._check_relpath(relpath)
        if not (_SHA_RE.match(old) and _SHA_RE.match(new)):
            raise RevisionError("comparing needs full commit ids")
        out = self._git("rev-list", f"{old}..{new}", "--", relpath)
        return set(out.split())

    def is_commit(self, sha: str) -> bool:
        """True when the full commit id *sha* names a commit (see ``repo_if_loaded``)."""
        if not _SHA_RE.match(sha):
            return False
        try:
            if self.repo_if_loaded() is None:
                status, out, _err = gitprocess.run_text(self.root, "cat-file", "-t", sha, check=False)
                return status == 0 and out.strip() == "commit"
            return self.repo.odb.info(bytes.fromhex(sha)).type == b"commit"
        except (ValueError, KeyError, OSError, _command_error()):
            return False

    @_guarded("read the history")
    def log_with_tags(self, relpath: str, tag_prefix: str) -> list[tuple[Revision, list[str]]]:
        """Like ``log``, with the tags under *tag_prefix*/ pointing at each
        revision, still in one git call."""
        self._check_relpath(relpath)
        if not _TAG_PREFIX_RE.match(tag_prefix):
            raise RevisionError(f"'{tag_prefix}' is not a usable tag prefix")
        if not self.has_commits():
            return []
        out = self._git("log", f"--format={_RECORD}%H{_FIELD}%aI{_FIELD}%an{_FIELD}%ae{_FIELD}%D{_FIELD}%B", "--no-color",
                        f"--decorate-refs=refs/tags/{tag_prefix}/", "--", relpath, strip=False)
        result = []
        for record in out.split(_RECORD)[1:]:
            sha, date, author, email, refs, message = record.split(_FIELD, 5)
            tags = [r[5:] for r in refs.split(", ") if r.startswith("tag: ")]
            result.append((Revision(sha, _dt.datetime.fromisoformat(date), author, email, message.strip()), tags))
        return result

    @_guarded("read the history")
    def field_changes(self, relpath: str, keys: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
        """(commit, {key: new value}) for every revision that changed one of the
        top-level ``key: value`` lines *keys* of *relpath*, newest first.

        Slower than ``log`` (git compares every revision), so callers run it
        after the fast listing is shown."""
        self._check_relpath(relpath)
        if not self.has_commits() or not keys or not all(re.fullmatch(r"[a-z_]+", k) for k in keys):
            return []
        pattern = "^(" + "|".join(keys) + "):"
        out = self._git("log", f"-G{pattern}", f"--format={_RECORD}%H", "-p", "--unified=0", "--no-color",
                        "--no-ext-diff", STATUS_DIFF, "--", relpath, strip=False)
        found = []
        line_re = re.compile(r"^\+(" + "|".join(keys) + r"):[ \t]*(.*?)[ \t]*$")
        for record in out.split(_RECORD)[1:]:
            sha, _, patch = record.partition("\n")
            values = {}
            for line in patch.split("\n"):
                m = line_re.match(line)
                if m:
                    values[m.group(1)] = m.group(2).strip("'\"")
            found.append((sha.strip(), values))
        return found

    # ---- fast reads for long histories (revision history feature) ----------

    def _git(self, *args: str, strip: bool = True) -> str:
        """Output of a reading ``git *args`` (no Repo needed), as ``Repo.git``
        gives it; GitCommandError when git fails."""
        return gitprocess.run_text(self.root, *args, strip=strip)[1]

    def _git_to_file(self, *args: str) -> bytes:
        """Output of ``git *args``, written to a temporary file rather than a
        pipe: for a long log that is noticeably quicker (no pipe ping-pong)."""
        return gitprocess.start(self.root, *args)()

    @_guarded("read a saved revision")
    def read_fast(self, relpath: str, sha: str) -> bytes:
        """Same as ``read(relpath, sha)`` for a full commit id, in one round
        trip to git's object reader instead of one per tree level."""
        self._check_relpath(relpath)
        if not _SHA_RE.match(sha) or "\n" in relpath or "\r" in relpath:
            return self.read(relpath, sha)
        found = self.read_object(f"{sha}^{{commit}}:{relpath}")  # ^{commit}: as read(), a tree's id is refused
        if found is None or found[1] != "blob":
            return self.read(relpath, sha)  # no such path (or commit): read() says which
        return found[2]

    def read_object(self, spec: str) -> tuple[str, str, bytes] | None:
        """(id, type, bytes) of the object *spec* (one line) names, None when git has none: through
        the Repo's object reader, kept running, once GitPython is loaded (``repo_if_loaded``), else one git process."""
        if self.repo_if_loaded() is None:
            return gitprocess.read_objects(self.root, [spec], ids=True)[0]
        try:
            found, kind, _size, data = self._repo.git.get_object_data(spec)
        except ValueError:  # "missing"
            return None
        return found.decode(), kind.decode(), data

    @_guarded("read the history")
    def log_with_tags_fast(self, relpath: str, tag_prefix: str) -> list[tuple[Revision, list[str]]]:
        """Same result as ``log_with_tags``, with less work per revision: the
        history list of a document with thousands of revisions shows at once."""
        self._check_relpath(relpath)
        if not _TAG_PREFIX_RE.match(tag_prefix):
            raise RevisionError(f"'{tag_prefix}' is not a usable tag prefix")
        if not self.has_commits():
            return []
        # Every field ends with a separator, so one split cuts the whole log
        # into fields, six per revision; "\n" after each revision is git's.
        data = self._git_to_file("log", f"--format=%H{_FIELD}%aI{_FIELD}%an{_FIELD}%ae{_FIELD}%D{_FIELD}%B{_FIELD}",
                                 "--no-color", f"--decorate-refs=refs/tags/{tag_prefix}/", "--", relpath)
        fields = data.decode("utf-8", errors="replace").split(_FIELD)
        if len(fields) % 6 != 1 or not _SHA_LINES_RE.fullmatch("".join(fields[0:-1:6])):
            return self.log_with_tags(relpath, tag_prefix)  # a separator inside a message or a name
        new, parse_date = tuple.__new__, _dt.datetime.fromisoformat
        result = []
        add = result.append
        for n in range(0, len(fields) - 1, 6):
            # As Revision(...), minus its Python-level __new__ (thousands of revisions).
            rev = new(Revision, (fields[n].lstrip("\n"), parse_date(fields[n + 1]), fields[n + 2], fields[n + 3],
                                 fields[n + 5].strip()))
            refs = fields[n + 4]
            add((rev, [r[5:] for r in refs.split(", ") if r.startswith("tag: ")] if refs else []))
        return result

    # ---- helpers -----------------------------------------------------------

    @staticmethod
    def _check_relpath(relpath: str) -> None:
        p = PurePosixPath(relpath)
        if p.is_absolute() or ".." in p.parts or relpath.startswith("-") or not relpath:
            raise WorkspaceError(f"'{relpath}' is not a path inside the workspace")


def _changed_in(status: str, store: GitStore | None) -> list[str]:
    """The changed and new paths in git's ``status --porcelain=v2 --branch
    -z`` output; with *store*, a status naming no revision asks it
    ``has_commits`` (a broken branch would make every file look new)."""
    paths, head = [], ""
    for entry in status.split("\0"):
        kind = entry[:2]
        if kind == "# ":
            head = entry[len("# branch.oid "):] if entry.startswith("# branch.oid ") else head
        elif kind in ("1 ", "u ") and "D" not in entry[2:4]:  # changed; unmerged
            paths.append(entry.split(" ", 8 if kind == "1 " else 10)[-1])
        elif kind == "? ":
            paths.append(entry[2:])
    if store and not _SHA_RE.match(head):  # "(initial)": a new branch, or a broken one
        store.has_commits()
    return paths
