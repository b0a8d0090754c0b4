"""A workspace: a folder that is a git repository, with one Markdown file per
guideline document under ``guidelines/``.

Saving a revision = an atomic write of the file followed by a commit of that
file alone.  The app, the CLI and any git tool see the same folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

from guidelines_app.core import changes, gitlog, identity, statuscache
from guidelines_app.core.document import Document
from guidelines_app.core.errors import (
    DocumentExists,
    DocumentNotFound,
    FrontMatterError,
    GuidelinesError,
    IdentityMissing,
    RevisionError,
    WorkspaceError,
)
from guidelines_app.core.fileio import atomic_write_bytes, atomic_write_text, put_back, remove_abandoned_temp_files, utf8
from guidelines_app.core.gitfaults import failures, storage_error, vanished
from guidelines_app.core.gitstore import _SHA_RE, GitStore, Identity, Revision
from guidelines_app.core.names import WINDOWS_RESERVED, new_slug, slugify
from guidelines_app.core.settings import Settings, settings_path

DOCS_DIR = "guidelines"
# The message of a revision that saves a file written but never committed
# (a save killed between the two, or an edit made outside the app).
RECOVERED_MESSAGE = "Recovered changes saved outside a revision"
WORKSPACE_ENV = "GUIDELINES_WORKSPACE"
# A document's slug is its file name without ".md"; names a person gave a
# file by hand (spaces, capitals) are accepted, path tricks are not.
_SLUG_RE = re.compile(r"^[^/\\\x00-\x1f.-][^/\\\x00-\x1f]*$")
# A details block from its first line to the line that closes it (as
# Document.parse finds it, in a file with no carriage return before it).
_FRONT_RE = re.compile(rb"\A---[ \t]*\n.*?^(?:---|\.\.\.)[ \t]*$", re.MULTILINE | re.DOTALL)


def _details_only(path: Path) -> Document | None:
    """The document at *path* read for its details alone (title, status,
    version: its body left empty), when its details block names its title:
    the rest of a long policy is not parsed for them.  None when anything
    needs the whole file (no such block, no title in it, line ends not
    plain, the file unreadable or not UTF-8): ``Document.load`` says why."""
    try:
        data = path.read_bytes()
        if not data.isascii():
            data.decode("utf-8")  # a file that is not UTF-8 is refused as load refuses it
        front = _FRONT_RE.match(data)
        if front is None or b"\r" in front.group():
            return None
        doc = Document.parse(front.group().decode("utf-8"), path)
    except (OSError, ValueError, GuidelinesError):
        return None
    value = doc.meta.get("title")
    return doc if isinstance(value, str) and value.strip() else None  # (what Document.title reads first)


def default_workspace_dir() -> Path:
    return Path(platformdirs.user_documents_dir()) / "Guidelines"


def find_enclosing_workspace(start: Path) -> Path | None:
    """The workspace that contains *start*, if any (like git finds its repository)."""
    for folder in [start, *start.parents]:
        if (folder / ".git").exists():
            return folder if (folder / DOCS_DIR).is_dir() else None
    return None


def is_git_folder(folder: Path) -> bool:
    """Whether *folder* is git's own (a workspace's ``.git``, or a bare
    repository: a shared copy)."""
    return (folder / "HEAD").is_file() and (folder / "objects").is_dir() and (folder / "refs").is_dir()


def kept_by_workspace(path: Path) -> str | None:
    """Why no export may write over *path* (resolved): a document of a
    workspace, or a file inside a git folder (a workspace's history, or a
    shared copy); None when it is neither."""
    for folder in path.parents:
        if is_git_folder(folder):
            return f"inside {folder}, where git keeps a history of revisions: choose a file outside it"
    docs = path.parent
    if docs.name == DOCS_DIR and (docs.parent / ".git").exists():
        if path.suffix.lower() == ".md":
            return (f"a document of the workspace {docs.parent}: writing there would replace its text; "
                    "choose another file name")
        # (an export there is a file the workspace does not save: sync then refused, with no command to save it)
        return f"in the documents folder of the workspace {docs.parent}, which holds its documents only: choose another folder"
    return None


def choose_workspace_dir(explicit: str | os.PathLike | None = None, cwd: Path | None = None) -> Path:
    """--workspace, else $GUIDELINES_WORKSPACE, else the workspace the current
    folder is in (when *cwd* is given, as the CLI does), else the platform default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(WORKSPACE_ENV)
    if env:
        return Path(env).expanduser()
    if cwd is not None:
        found = find_enclosing_workspace(cwd.resolve())
        if found:
            return found
    return default_workspace_dir()


@dataclass(frozen=True)
class DocumentInfo:
    slug: str
    title: str
    status: str
    version: str
    path: Path
    error: str = ""  # set when the file cannot be read; the list still shows it


@dataclass(frozen=True)
class SaveResult:
    commit: str | None
    message: str
    # ``save_text``: the text it left in the file (the details may differ
    # from the text given: an approved text edited is a draft again).
    text: str | None = field(default=None, compare=False, repr=False)
    data: bytes | None = field(default=None, compare=False, repr=False)  # that text's bytes in the file

    @property
    def saved(self) -> bool:
        return self.commit is not None


class Workspace:
    def __init__(self, store: GitStore):
        self.store = store
        self.root = store.root

    # ---- opening -------------------------------------------------------------

    @classmethod
    def open(cls, root: Path | str) -> Workspace:
        root = Path(root).expanduser()
        if not root.is_dir():
            raise WorkspaceError(f"there is no workspace at {root} (run 'guidelines init' to create one)")
        ws = cls(GitStore(root))
        # Temporary files of saves killed before their rename: the document
        # itself is whole (old or new text), the leftover is only clutter.
        remove_abandoned_temp_files(ws.root / DOCS_DIR)
        return ws

    @classmethod
    def create(cls, root: Path | str) -> Workspace:
        """Create a workspace, or open it if the folder already is one."""
        root = Path(root).expanduser()
        if root.exists() and not root.is_dir():
            raise WorkspaceError(f"{root} is a file, not a folder")
        if GitStore.is_repository(root):
            ws = cls.open(root)
        else:
            enclosing = find_enclosing_workspace(root.resolve().parent)
            if enclosing is not None:  # (its documents would vanish from view inside the new one)
                raise WorkspaceError(f"{root} is inside the workspace {enclosing}: a workspace cannot hold another; "
                                     "use that one, or choose a folder outside it")
            try:
                ws = cls(GitStore.init(root))
            except OSError as exc:
                raise WorkspaceError(f"cannot create a workspace at {root}: {exc.strerror or exc}") from None
        try:
            (ws.root / DOCS_DIR).mkdir(exist_ok=True)
        except OSError as exc:
            ws.close()
            raise storage_error(exc, ws.root, f"create the {DOCS_DIR} folder") from None
        return ws

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- documents -----------------------------------------------------------

    @staticmethod
    def check_slug(slug: str) -> str:
        slug = slug.strip()
        if slug.endswith(".md"):
            slug = slug[:-3]
        if not slug or not _SLUG_RE.match(slug):
            raise DocumentNotFound(f"'{slug}' is not a document name (use the file name without .md, as 'guidelines list' shows)")
        return slug

    def relpath(self, slug: str) -> str:
        return f"{DOCS_DIR}/{self.check_slug(slug)}.md"

    def path(self, slug: str) -> Path:
        return self.root / self.relpath(slug)

    def exists(self, slug: str) -> bool:
        return self.path(slug).is_file()

    def documents(self) -> list[DocumentInfo]:
        folder = self.root / DOCS_DIR
        infos = []
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            slug = path.stem
            try:
                self.check_slug(slug)
            except GuidelinesError:
                continue
            try:
                doc = _details_only(path) or Document.load(path)
                infos.append(DocumentInfo(slug, doc.title, doc.status, doc.version, path))
            except FrontMatterError as exc:
                infos.append(DocumentInfo(slug, slug, "", "", path, error=str(exc)))
            except OSError as exc:  # unreadable, or removed meanwhile: the list still shows it
                name = f"{DOCS_DIR}/{path.name}"
                why = (f"{name} is a folder, not a document's file" if isinstance(exc, IsADirectoryError)
                       else f"cannot read {name}: {exc.strerror or exc}")
                infos.append(DocumentInfo(slug, slug, "", "", path, error=why))
        return infos

    def load(self, slug: str) -> Document:
        path = self.path(slug)
        if not path.is_file():
            self._check_root(f"open {slug}")
            raise self._not_found(slug)
        return self._load(path)

    def refuse_folder(self, slug: str) -> None:
        """DocumentNotFound, saying so, when a folder has taken *slug*'s file
        name (a save or a restore would fail on it naming a temporary file)."""
        if self.path(slug).is_dir():
            raise self._not_found(slug)

    def _not_found(self, slug: str) -> DocumentNotFound:
        """The error for *slug* whose file is not there: named as a folder
        when a folder has taken the file's name (saying only that there is
        no document sent the user looking for one)."""
        if self.path(slug).is_dir():
            return DocumentNotFound(f"{self.relpath(slug)} is a folder, not a document's file: move that folder out of "
                                    f"the {DOCS_DIR} folder (or rename it) to open '{slug}' again; its saved text can "
                                    f"then be restored")
        return DocumentNotFound(f"there is no document '{slug}' in {self.root / DOCS_DIR}")

    def saved_title(self, slug: str) -> str:
        """``load(slug).title``: the document's title as saved, read from its
        details block alone when that names it (the rest of a long policy is
        not parsed for it); anything else, or any doubt, the whole file."""
        details = _details_only(self.path(slug))
        return details.title if details is not None else self.load(slug).title

    def _load(self, path: Path) -> Document:
        try:
            return Document.load(path)
        except OSError as exc:
            raise storage_error(exc, self.root, f"read {path.name}") from None

    def unique_slug(self, title: str) -> str:
        base = slugify(title)
        if base in WINDOWS_RESERVED:  # a title "Con" or "Aux": a name Windows can hold
            base = f"{base}-policy"
        slug, n = base, 2
        while self.exists(slug):
            slug, n = f"{base}-{n}", n + 1
        return slug

    def create_document(self, doc: Document, author: Identity, slug: str | None = None, message: str | None = None,
                        keep_on_failure: bool = False) -> tuple[str, SaveResult]:
        """Write a new document and commit it as its first revision.  All or
        nothing: when the revision cannot be made (a lock, a full disk), the
        new file goes too, so that trying again makes the same document, not
        a second one beside it ('slug-2'); unless *keep_on_failure* (a draft
        a questionnaire made: kept, to be saved once that is mended)."""
        slug = new_slug(slug) if slug else self.unique_slug(doc.title)
        if self.exists(slug):
            raise DocumentExists(f"a document named '{slug}' already exists in this workspace")
        text = doc.to_text()
        try:
            result = self.save_text(slug, text, author, message or f"Create {doc.title}")
        except GuidelinesError:
            if not keep_on_failure:
                self._remove_new_file(slug, utf8(text))
            raise
        return slug, result

    def _remove_new_file(self, slug: str, data: bytes) -> None:
        """*slug*'s file, when it holds *data* (what was just written) and no
        revision has it: nothing of anyone's is lost."""
        path = self.path(slug)
        try:
            if path.is_file() and path.read_bytes() == data and self.committed_text(slug) is None:
                path.unlink()
        except (OSError, GuidelinesError):
            pass  # left as it is: the next listing shows it, as any file not saved yet

    # ---- revisions -----------------------------------------------------------

    def committed_text(self, slug: str, revision: str = "HEAD") -> str | None:
        """The document as of *revision*, or None if it was not committed then."""
        relpath = self.relpath(slug)
        if _SHA_RE.match(revision):  # a revision already read: one round trip, HEAD not checked again
            read = self.store.read_fast
        elif not self.store.has_commits():
            return None
        else:
            read = self.store.read
        try:
            return read(relpath, revision).decode("utf-8")
        except RevisionError:
            return None

    def read_at(self, slug: str, revision: str) -> str:
        data = self.store.read(self.relpath(slug), self.store.resolve(revision))
        return data.decode("utf-8", errors="replace")

    def history(self, slug: str, max_count: int | None = None) -> list[Revision]:
        relpath = self.relpath(slug)
        if not self.exists(slug) and not self.store.is_tracked(relpath):
            raise self._not_found(slug)
        return self.store.log(relpath, max_count)

    def has_unsaved_file_changes(self, slug: str) -> bool:
        return self.store.has_changes(self.relpath(slug))

    def save_text(self, slug: str, text: str, author: Identity, message: str | None = None,
                  all_or_nothing: bool = False) -> SaveResult:
        """Write *text* atomically and commit it; no commit when nothing changed.

        The text must parse (details block included): a file that cannot be
        read back is never committed.  When the file on disk holds changes
        that were never committed and are neither the last revision nor
        *text* (a killed save, an edit outside the app), those are committed
        first as their own revision (RECOVERED_MESSAGE), so no text is ever
        folded into an unrelated save or overwritten.

        A user's own text stays in the file when its revision cannot be made
        (a lock, a full disk): the next save commits it.  With
        *all_or_nothing* (a change the command makes itself: a status, a
        publication, a restore), the file is put back as it was instead, so
        a failed command leaves nothing behind to be saved by mistake.
        """
        self._check_root("save")
        Document.parse(text, self.path(slug))  # refuse unreadable text before touching anything
        path = self.path(slug)
        self.refuse_folder(slug)
        data = utf8(text)
        current = self._read_disk(path)
        head = gitlog.head_blob(self.store, self.relpath(slug))
        # The file as the newest revision has it holds no unsaved words: git need not be asked.
        # (A link put in the file's place is replaced by the text: what it points to stays where it is.)
        if current is not None and current != data and (head is None or current != head[1]) \
                and not path.is_symlink() and self.has_unsaved_file_changes(slug):
            self.commit_recovered(slug, author)
            head = statuscache.NOT_READ  # a revision more: read again when committing
        # (the newest revision's text as read above, when nothing was committed since)
        committed = statuscache.NOT_READ if head is statuscache.NOT_READ else head and head[1]
        text, reopened = self._reopen_if_approved_text_changed(slug, text, committed)
        if reopened:
            data = utf8(text)
        current = self._read_disk(path)
        if current != data or path.is_symlink():  # (a link is replaced by the text itself)
            try:
                atomic_write_bytes(path, data)
            except OSError as exc:
                raise storage_error(exc, self.root, f"save {slug}") from None
        try:
            result = self.commit_file(slug, author, message, reopened=reopened, head=head, approval_checked=True)
        except GuidelinesError:
            if all_or_nothing and current is not None and current != data:
                put_back(path, data, current)
            raise
        return replace(result, text=text, data=data)

    def _check_root(self, what: str) -> None:
        if not self.root.is_dir() or not (self.root / DOCS_DIR).is_dir():
            raise vanished(self.root, what)

    def _read_disk(self, path: Path) -> bytes | None:
        try:
            return path.read_bytes() if path.is_file() else None
        except OSError as exc:
            raise storage_error(exc, self.root, f"read {path.name}") from None

    def uncommitted_documents(self) -> list[str]:
        """Documents whose file on disk holds text no revision has: written
        by a save that was killed before its commit, or edited outside the app."""
        return self.uncommitted_documents_later()()

    def uncommitted_documents_later(self) -> Callable[[], list[str]]:
        """``uncommitted_documents``, git asked at once: the returned
        function waits for its answer (a command that only reads works
        on meanwhile)."""
        prefix = f"{DOCS_DIR}/"
        # check_head: a broken branch would make every file look new
        changed = self.store.changed_paths_later(prefix, check_head=True)

        def answer() -> list[str]:
            slugs = []
            for relpath in changed():
                name = relpath[len(prefix):]
                if "/" in name or not name.endswith(".md") or not (self.root / relpath).is_file():
                    continue
                try:
                    slugs.append(self.check_slug(name[:-3]))
                except GuidelinesError:
                    continue
            return sorted(slugs)

        return answer

    def commit_recovered(self, slug: str, author: Identity) -> SaveResult:
        """Commit the file as it is on disk as its own revision named for what
        it is (RECOVERED_MESSAGE).  A file whose details block cannot be read
        is committed as it is: keeping the words comes first."""
        try:
            result = self.commit_file(slug, author, RECOVERED_MESSAGE)
        except FrontMatterError:
            relpath = self.relpath(slug)
            commit = self.store.commit_file(relpath, self._with_trailers(relpath, RECOVERED_MESSAGE), author)
            result = SaveResult(commit, RECOVERED_MESSAGE)
        return result

    def _reopen_if_approved_text_changed(self, slug: str, text: str,
                                         committed: bytes | None | object = statuscache.NOT_READ) -> tuple[str, bool]:
        """An approved document whose text is edited is a draft again: the
        approval covers the published text, not the edits that follow.
        *committed*: the newest revision's bytes (None: not in it), when read already."""
        new = Document.parse(text, self.path(slug))
        if new.status != "approved" or str(new.meta.get("status", "")).strip().lower() != "approved":
            return text, False
        if committed is statuscache.NOT_READ:
            committed = self.committed_text(slug)
        elif committed is not None:
            committed = committed.decode("utf-8", errors="replace")  # as committed_text reads it
        if committed is None:
            return text, False
        try:
            old = Document.parse(committed)
        except GuidelinesError:
            return text, False
        if old.status != "approved" or old.body == new.body:
            return text, False
        new.meta["status"] = "draft"
        return new.to_text(), True

    def commit_file(self, slug: str, author: Identity, message: str | None = None, reopened: bool = False,
                    head=statuscache.NOT_READ, approval_checked: bool = False) -> SaveResult:
        """Commit the file as it is on disk (edited outside the app, or placed
        in guidelines/ by hand).  *head*: what ``gitlog.head_blob`` gives for
        it, when read already (the newest revision: unchanged since);
        *approval_checked*: the file on disk was written by ``save_text``,
        which made an approved text edited a draft already."""
        relpath = self.relpath(slug)
        path = self.path(slug)
        if not path.is_file():
            self._check_root("save")
            raise self._not_found(slug)
        if path.is_symlink():  # git would keep the link, not the text: a revision holding only a path
            raise WorkspaceError(f"{relpath} is a link to {os.path.realpath(path)}; a revision would keep only the link, "
                                 f"not the text: put a copy of that file in its place, then save")
        text = self._load(path).to_text()  # validates; raises with file and line
        if not reopened and not approval_checked:
            reopened_text, reopened = self._reopen_if_approved_text_changed(slug, text)
            if reopened:
                try:
                    atomic_write_text(path, reopened_text)
                except OSError as exc:
                    raise storage_error(exc, self.root, f"save {slug}") from None
                text = reopened_text
        if head is statuscache.NOT_READ:
            head = gitlog.head_blob(self.store, relpath)
        # Bytes other than the newest revision's are a change (or line endings git
        # converts: then the store finds none, below); the same bytes, git is asked.
        if head is not None and self._read_disk(path) == head[1] and not self.store.has_changes(relpath):
            return SaveResult(None, "")
        message = (message or "").strip() or changes.summarize(head[1].decode("utf-8") if head else None, text)
        # The trailer lets the history show the status without reading every revision.
        full = message + "\n\nStatus: draft" if reopened else message
        commit = self.store.commit_file(relpath, self._with_trailers(relpath, full, head), author)
        return SaveResult(commit, message if commit else "")

    def _with_trailers(self, relpath: str, message: str, head=statuscache.NOT_READ) -> str:
        """*message* with the status and version trailers every save carries
        (see core.statuscache); without them when they cannot be worked out
        (the save itself matters more; the history then asks git).  *head*:
        the file's blob id and bytes in the newest revision (None: not in
        it; ``gitlog.head_blob``), when read already."""
        old, data = (head, None) if head is statuscache.NOT_READ else (head[0], head[1]) if head else (None, None)
        try:
            return statuscache.with_trailers(message, statuscache.save_trailers(self.store, relpath, old, data))
        except (GuidelinesError, *failures()):
            return message

    # ---- identity ------------------------------------------------------------

    def identity(self, settings: Settings) -> Identity:
        """The author of new revisions: git's GIT_AUTHOR_NAME / GIT_AUTHOR_EMAIL
        in the environment, else the app's settings, else git config."""
        name, email = settings.author_name.strip(), settings.author_email.strip()
        if not (name and email):
            found = self.store.config_identity()
            name, email = (found.name, found.email) if found else ("", "")
        name, email = identity.author_from_environment(name, email)
        if name and email:
            return Identity(name, email)
        raise IdentityMissing(
            "no author is set for saved revisions: set author_name and author_email in "
            f"{settings_path()}, or run git config --global user.name \"Your Name\" and "
            "git config --global user.email you@example.org"
        )
