"""Sync a workspace with its shared copy: bring colleagues' revisions in,
put them together with ours, send ours out.

    result = sync(ws, author)            # fetch, fast-forward or merge, push
    result.conflicts                     # what a person must decide, if anything
    choose(ws, conflict, "theirs")       # ... one decision at a time
    finish(ws, author); sync(ws, author) # the merge revision, then send it
    abort(ws)                            # or: as if the sync never started

The merge is computed inside git's object store (``git merge-tree``), never
in the folder: while conflicts wait for a person, the files, the index and
HEAD are exactly as before the sync (so ``abort`` only forgets the pending
merge), and a document never holds conflict markers.  Finishing writes one
ordinary merge revision and moves the workspace to it in one step; revisions
saved while decisions wait go into it (each decision kept while its
conflict stays the same).  Version
tags and sign-off records (git notes under ``remotes.SIGNOFF_NOTES``, merged
line by line) travel with every sync; a push refused because someone pushed
first is retried once after bringing their revisions in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from guidelines_app.core import conflicts as merging
from guidelines_app.core import gitfaults, remotes
from guidelines_app.core.conflicts import Conflict, FileMerge
from guidelines_app.core.errors import (
    GuidelinesError,
    NotAWorkspace,
    PushRejected,
    SyncHistoryMoved,
    SyncPending,
    SyncRecordUnreadable,
    WorkspaceError,
)
from guidelines_app.core.fileio import atomic_write_text
from guidelines_app.core.gitstore import GitStore, Identity
from guidelines_app.core.sync_names import describe, shown
from guidelines_app.core.wording import plural
from guidelines_app.core.workspace import DOCS_DIR, Workspace

STATE_FILE = "guidelines-sync.json"
UP_TO_DATE, SENT, RECEIVED, MERGED, CONFLICTS = "up to date", "sent", "received", "merged", "conflicts"
STEPS = 3  # bring in, put together, send


@dataclass
class SyncResult:
    remote: str
    outcome: str
    # Documents (relative paths) colleagues' revisions changed, with their authors.
    received: dict[str, list[str]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    ahead: int = 0
    behind: int = 0


@dataclass
class PendingMerge:
    """A sync waiting for decisions (kept in .git/guidelines-sync.json)."""

    remote: str
    branch: str
    ours: str
    theirs: str
    base: str | None
    tree: str
    paths: list[str]
    choices: dict[str, dict[str, list[str]]]
    plans: dict[str, FileMerge] = field(default_factory=dict)
    # Conflicts decided once, then changed by revisions saved since (path -> keys): to decide again.
    again: dict[str, list[str]] = field(default_factory=dict)

    def open_conflicts(self) -> list[Conflict]:
        return [c for p in self.paths for c in self.plans[p].conflicts if c.key not in self.choices.get(p, {})]

    def all_conflicts(self) -> list[Conflict]:
        return [c for p in self.paths for c in self.plans[p].conflicts]


# ---- the sync ----------------------------------------------------------------------


def sync(ws: Workspace, author: Identity, remote: str | None = None,
         progress: Callable[[int, int], None] | None = None) -> SyncResult:
    """Fetch, then fast-forward or merge, then push (see the module's text).
    Returns the conflicts instead of merging when a person must decide; the
    workspace is then untouched until ``finish`` or ``abort``."""
    store = ws.store
    report = progress or (lambda _done, _total: None)
    state = pending(ws)
    if state is not None:
        if state.open_conflicts():
            return SyncResult(state.remote, CONFLICTS, conflicts=state.open_conflicts())
        finish(ws, author)
    name = remote or remotes.default_remote(store)
    url = remotes.url_of(store, name)
    _check_ready(ws)
    branch = _branch(store)
    before = _rev(store, "HEAD")
    outcome, sent = UP_TO_DATE, False
    for attempt in (1, 2):
        report(0, STEPS)
        remotes.fetch(store, name)
        _merge_notes(store, name, author)
        branch = _adopt_shared_branch(store, name, branch)
        report(1, STEPS)
        step, found = _integrate(ws, name, url, branch, author)
        if found:
            return SyncResult(name, CONFLICTS, _received(store, before, _rev(store, "HEAD")), found)
        outcome = step if step != UP_TO_DATE else outcome
        report(2, STEPS)
        if _rev(store, "HEAD") is None:
            break  # nothing saved on either side yet
        try:
            sent = _needs_push(store, name, branch)
            remotes.push(store, name, branch, with_notes=_rev(store, remotes.SIGNOFF_NOTES) is not None)
            # What the shared copy now holds (a push to an address does not record it).
            store.repo.git.update_ref(f"refs/remotes/{name}/{branch}", _rev(store, "HEAD"))
            break
        except PushRejected as refused:
            if attempt == 2 or not refused.someone_first:
                raise
    report(STEPS, STEPS)
    if outcome == UP_TO_DATE and sent:
        outcome = SENT
    ahead, behind = ahead_behind(ws, name) or (0, 0)
    return SyncResult(name, outcome, _received(store, before, _rev(store, "HEAD")), [], ahead, behind)


def _integrate(ws: Workspace, name: str, url: str, branch: str, author: Identity) -> tuple[str, list[Conflict]]:
    """Put the fetched revisions together with ours: (what happened, the
    conflicts waiting for a person)."""
    store = ws.store
    theirs = _rev(store, f"refs/remotes/{name}/{branch}")
    if theirs is None:
        others = store.repo.git.for_each_ref("--format=%(refname:lstrip=3)", f"refs/remotes/{name}/").split()
        others = [b for b in others if b != "HEAD"]
        if others:
            raise NotAWorkspace(f"cannot sync: the shared copy '{name}' ({url}) has no branch {branch} (it has "
                                f"{', '.join(others)}); it may hold something other than this workspace")
        return UP_TO_DATE, []
    _check_is_workspace(store, theirs, name, url)
    ours = _rev(store, "HEAD")
    if ours == theirs or (ours is not None and _is_ancestor(store, theirs, ours)):
        return UP_TO_DATE, []
    if ours is None or _is_ancestor(store, ours, theirs):
        _move_to(store, theirs)
        return RECEIVED, []
    state = _merged(store, name, branch, ours, theirs)
    if state.open_conflicts():
        _save(store, state)
        return CONFLICTS, state.open_conflicts()
    _move_to(store, _commit_merge(store, state, author))
    return MERGED, []


def _merged(store: GitStore, name: str, branch: str, ours: str, theirs: str) -> PendingMerge:
    """The merge of *ours* and *theirs* inside git's object store, planned:
    what merges by itself, and the conflicts (no decision yet)."""
    base = store.repo.git.merge_base(ours, theirs, with_exceptions=False).strip() or None
    status, out, err = store.repo.git.merge_tree("--write-tree", "-z", "--name-only", "--no-messages",
                                                 "--allow-unrelated-histories", ours, theirs,
                                                 with_extended_output=True, with_exceptions=False)
    if status not in (0, 1):
        raise gitfaults.damaged(store.root, "put the revisions together", err)
    tree, *paths = [p for p in out.split("\0") if p.strip()]
    state = PendingMerge(name, branch, ours, theirs, base, tree.strip(), sorted(set(paths)), {})
    _plan(store, state)
    return state


def _moved_on(store: GitStore, state: PendingMerge, head: str) -> PendingMerge:
    """The unfinished sync *state* as it stands after revisions were saved
    in the workspace since it started (*head* comes after its ``ours``):
    merged again from *head*, each decision kept where its conflict is still
    the same (both sides' texts as they were decided on); a conflict the
    saves changed, or a new one, is to decide (again)."""
    moved = _merged(store, state.remote, state.branch, head, state.theirs)
    decided_on = {(c.path, c.key): c for c in state.all_conflicts()}
    for c in moved.all_conflicts():
        choice = state.choices.get(c.path, {}).get(c.key)
        if choice is not None and decided_on.get((c.path, c.key)) == c:
            moved.choices.setdefault(c.path, {})[c.key] = choice
        elif choice is not None or c.key in state.again.get(c.path, []):
            moved.again.setdefault(c.path, []).append(c.key)
    return moved


def _needs_push(store: GitStore, name: str, branch: str) -> bool:
    return _rev(store, "HEAD") != _rev(store, f"refs/remotes/{name}/{branch}")


# ---- decisions, finishing, aborting -----------------------------------------------------


def pending(ws: Workspace) -> PendingMerge | None:
    """The sync waiting for decisions, or None.  Revisions saved in the
    workspace since it started are in it (``_moved_on``: worked out on each
    read, kept by the next decision)."""
    path = _state_path(ws.store)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        state = PendingMerge(**{k: data[k] for k in ("remote", "branch", "ours", "theirs", "base", "tree", "paths", "choices")},
                             again=data.get("again", {}))
    except (OSError, ValueError, KeyError, TypeError):
        raise SyncRecordUnreadable(f"the record of the unfinished sync ({path}) cannot be read; run 'guidelines sync --abort' "
                          "(your workspace is as it was before that sync) and sync again") from None
    _plan(ws.store, state)
    head = _rev(ws.store, "HEAD")
    if head is not None and head != state.ours and _is_ancestor(ws.store, state.ours, head):
        state = _moved_on(ws.store, state, head)
    return state


def choose(ws: Workspace, conflict: Conflict, how: str, text: str = "") -> PendingMerge:
    """Record one decision (ours, theirs, both or edit with *text*)."""
    if how not in merging.CHOICES:
        raise GuidelinesError(f"'{how}' is not a choice: use ours, theirs, both or edit")
    state = _pending_or_fail(ws)
    plan = state.plans.get(conflict.path)
    if plan is None or conflict.key not in {c.key for c in plan.conflicts}:
        raise GuidelinesError(f"the unfinished sync has no conflict over {describe([conflict])}")
    merging.check_choice(conflict, (how, text))  # refused before it is kept
    state.choices.setdefault(conflict.path, {})[conflict.key] = [how, text]
    _decided_again(state, conflict.path, [conflict.key])
    _save(ws.store, state)
    return state


def take(ws: Workspace, slug_or_path: str, how: str) -> PendingMerge:
    """Decide every conflict of one document (or file) as ours or theirs."""
    if how not in (merging.OURS, merging.THEIRS):
        raise GuidelinesError(f"'{how}' cannot be taken for a whole document: use ours or theirs")
    state = _pending_or_fail(ws)
    path = slug_or_path if slug_or_path in state.paths else f"{DOCS_DIR}/{slug_or_path.removesuffix('.md')}.md"
    if path not in state.paths:
        names = ", ".join(shown(p) for p in state.paths)
        raise GuidelinesError(f"'{slug_or_path}' has no conflicts in the unfinished sync (those with conflicts: {names})")
    for c in state.plans[path].conflicts:
        state.choices.setdefault(path, {})[c.key] = [how, ""]
    _decided_again(state, path, [c.key for c in state.plans[path].conflicts])
    _save(ws.store, state)
    return state


def _decided_again(state: PendingMerge, path: str, keys: list[str]) -> None:
    left = [k for k in state.again.get(path, []) if k not in keys]
    if left:
        state.again[path] = left
    else:
        state.again.pop(path, None)


def finish(ws: Workspace, author: Identity) -> str:
    """The merge revision from the decisions; the workspace moves to it."""
    store = ws.store
    state = _pending_or_fail(ws)
    left = state.open_conflicts()
    if left:
        raise SyncPending(f"cannot finish the sync: {plural(len(left), 'conflict')} still to decide: {describe(left)}")
    if _rev(store, "HEAD") != state.ours:  # (saves since it started are in it: the history was rewritten)
        raise SyncHistoryMoved("cannot finish the sync: this workspace's history changed since it started; abort it "
                          "('guidelines sync --abort') and sync again. Nothing is lost")
    _check_ready(ws)
    if _is_ancestor(store, state.theirs, state.ours):  # (their revisions came in meanwhile, by another way)
        _state_path(store).unlink(missing_ok=True)
        return state.ours
    commit = _commit_merge(store, state, author)
    _move_to(store, commit)
    _state_path(store).unlink(missing_ok=True)
    return commit


def abort(ws: Workspace) -> None:
    """Forget the unfinished sync: the files, the index and HEAD were never
    changed by it, so the workspace is exactly as before it started."""
    if not _state_path(ws.store).exists():
        raise WorkspaceError("there is no unfinished sync to abort")
    _state_path(ws.store).unlink(missing_ok=True)
    (Path(ws.store.repo.git_dir) / "guidelines-sync.index").unlink(missing_ok=True)


def ahead_behind(ws: Workspace, remote: str | None = None) -> tuple[int, int] | None:
    """(revisions not yet sent, revisions not yet brought in) as of the last
    sync, without the network; None without a shared copy."""
    store = ws.store
    try:
        name = remote or remotes.default_remote(store)
    except WorkspaceError:
        return None
    if _rev(store, "HEAD") is None:
        return (0, 0)
    theirs = _rev(store, f"refs/remotes/{name}/{_branch(store)}")
    if theirs is None:
        return (int(store.repo.git.rev_list("--count", "HEAD")), 0)
    out = store.repo.git.rev_list("--left-right", "--count", f"HEAD...{theirs}")
    ahead, behind = (int(n) for n in out.split())
    return ahead, behind


# ---- helpers ----------------------------------------------------------------------


def _state_path(store: GitStore) -> Path:
    return Path(store.repo.git_dir) / STATE_FILE


def _pending_or_fail(ws: Workspace) -> PendingMerge:
    state = pending(ws)
    if state is None:
        raise WorkspaceError("there is no unfinished sync (nothing to resolve)")
    return state


def _save(store: GitStore, state: PendingMerge) -> None:
    data = {k: getattr(state, k) for k in ("remote", "branch", "ours", "theirs", "base", "tree", "paths", "choices", "again")}
    atomic_write_text(_state_path(store), json.dumps(data, indent=1))


def _plan(store: GitStore, state: PendingMerge) -> None:
    for path in state.paths:
        sides = [_blob(store, sha, path) if sha else None for sha in (state.base, state.ours, state.theirs)]
        state.plans[path] = merging.plan(path, *sides)


def _blob(store: GitStore, sha: str, path: str) -> bytes | None:
    try:
        _found, kind, _size, data = store.repo.git.get_object_data(f"{sha}:{path}")
    except ValueError:
        return None
    return data if kind == b"blob" else None


def _rev(store: GitStore, ref: str) -> str | None:
    out = store.repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", with_exceptions=False)
    return out.strip() or None


def _is_ancestor(store: GitStore, older: str, newer: str) -> bool:
    status, _o, _e = store.repo.git.merge_base("--is-ancestor", older, newer,
                                               with_extended_output=True, with_exceptions=False)
    return status == 0


def _adopt_shared_branch(store: GitStore, name: str, branch: str) -> str:
    """The branch to sync: ours, or, when the shared copy has exactly one
    branch and it is named otherwise ("main" where ours is "master", as git
    versions and hosts name the first branch differently), that one; ours is
    renamed to match, which changes nothing a user sees."""
    if _rev(store, f"refs/remotes/{name}/{branch}") is not None:
        return branch
    theirs = [b for b in store.repo.git.for_each_ref("--format=%(refname:lstrip=3)", f"refs/remotes/{name}/").split()
              if b != "HEAD"]
    if len(theirs) != 1 or not _BRANCH_RE.match(theirs[0]):
        return branch
    (other,) = theirs
    if _rev(store, f"refs/heads/{other}") is not None:
        return branch  # a branch of that name exists here already: not ours to merge into
    store.repo.git.branch("-m", branch, other)  # both names checked: neither starts with "-"
    return other


_BRANCH_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,100}$")


def _branch(store: GitStore) -> str:
    store.check_on_branch()
    return store.repo.git.symbolic_ref("--short", "HEAD").strip()


def _check_ready(ws: Workspace) -> None:
    """Refuse to sync over work that is not saved as a revision (nothing is
    changed then), or in the middle of a merge someone started with git."""
    store = ws.store
    store.has_commits("sync")
    store.check_on_branch()
    if (Path(store.repo.git_dir) / "MERGE_HEAD").exists():
        raise WorkspaceError(f"cannot sync: a merge started with git is unfinished in {ws.root}; finish or abort it "
                             f"with git ('git -C {ws.root} merge --abort') first")
    out = store.repo.git.status("--porcelain", "-z", "--untracked-files=all", "--no-renames")
    unsaved = [entry[3:] for entry in out.split("\0") if len(entry) > 3 and (
        not entry.startswith("??") or entry[3:].startswith((f"{DOCS_DIR}/", ".guidelines/")))]
    if unsaved:
        names = ", ".join(shown(p) for p in unsaved[:5]) + (" ..." if len(unsaved) > 5 else "")
        raise WorkspaceError(f"cannot sync: {names} {'has' if len(unsaved) == 1 else 'have'} changes that are not saved "
                             "as a revision; save them (or undo them), then sync again. Nothing was changed")


def _check_is_workspace(store: GitStore, commit: str, name: str, url: str) -> None:
    entries = store.repo.git.ls_tree("--name-only", commit).split("\n")
    entries = [e for e in entries if e]
    if entries and DOCS_DIR not in entries and ".guidelines" not in entries:
        raise NotAWorkspace(f"cannot sync: the shared copy '{name}' ({url}) is not a guidelines workspace (it has no "
                            f"{DOCS_DIR}/ folder). Your documents and revisions here are untouched; check the address")


def _move_to(store: GitStore, commit: str) -> None:
    """Move the workspace (branch, index and files) forward to *commit*."""
    try:
        store.repo.git.merge("--ff-only", "--quiet", "--no-edit", commit)
    except gitfaults.GIT_FAILURES as exc:
        detail = gitfaults.first_line(getattr(exc, "stderr", "") or str(exc))
        if "would be overwritten" in str(getattr(exc, "stderr", "")):
            raise WorkspaceError("cannot sync: files in the workspace that are not saved as revisions would be "
                                 f"overwritten by colleagues' revisions ({detail}); move or save them, then sync "
                                 "again. Nothing was changed") from None
        raise gitfaults.translate(exc, store.root, "bring colleagues' revisions into the workspace") from None


def _commit_merge(store: GitStore, state: PendingMerge, author: Identity) -> str:
    """The merge revision: git's merged tree with each conflicted file
    replaced by its merge from the decisions (in a private index)."""
    git_dir = Path(store.repo.git_dir)
    index = git_dir / "guidelines-sync.index"
    env = {"GIT_INDEX_FILE": str(index), "GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email,
           "GIT_COMMITTER_NAME": author.name, "GIT_COMMITTER_EMAIL": author.email}
    g = store.repo.git
    try:
        with g.custom_environment(**env):
            g.read_tree(state.tree)
            for path in state.paths:
                data = state.plans[path].result({k: tuple(v) for k, v in state.choices.get(path, {}).items()})
                if data is None:
                    g.update_index("--force-remove", "--", path)
                    continue
                blob = git_dir / "guidelines-sync.blob"
                blob.write_bytes(data)
                try:
                    sha = g.hash_object("-w", "--no-filters", "--", str(blob)).strip()
                finally:
                    blob.unlink(missing_ok=True)
                mode = (g.ls_tree(state.ours, "--", path).split(" ", 1)[0] or "100644") if state.ours else "100644"
                g.update_index("--add", "--cacheinfo", f"{mode},{sha},{path}")
            tree = g.write_tree().strip()
            message = f"Bring in colleagues' revisions from {remotes.shown(state.remote)}"
            return g.commit_tree(tree, "-p", state.ours, "-p", state.theirs, "-m", message).strip()
    except GuidelinesError:
        raise
    except gitfaults.GIT_FAILURES as exc:
        raise gitfaults.translate(exc, store.root, "save the merge revision") from None
    finally:
        index.unlink(missing_ok=True)


def _merge_notes(store: GitStore, name: str, author: Identity) -> None:
    """Sign-off records from the shared copy joined with ours (each line of
    a note kept once: git's cat_sort_uniq)."""
    theirs_ref = f"refs/notes/remotes/{name}/guidelines-signoffs"
    theirs, ours = _rev(store, theirs_ref), _rev(store, remotes.SIGNOFF_NOTES)
    g = store.repo.git
    if theirs is None or theirs == ours:
        return
    if ours is None or _is_ancestor(store, ours, theirs):
        g.update_ref(remotes.SIGNOFF_NOTES, theirs)
        return
    if _is_ancestor(store, theirs, ours):
        return
    env = {"GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email,
           "GIT_COMMITTER_NAME": author.name, "GIT_COMMITTER_EMAIL": author.email}
    try:
        with g.custom_environment(**env):
            g.notes(f"--ref={remotes.SIGNOFF_NOTES}", "merge", "--quiet", "--strategy=cat_sort_uniq", theirs_ref)
    except gitfaults.GIT_FAILURES as exc:
        raise gitfaults.translate(exc, store.root, "bring in colleagues' sign-off records") from None


def _received(store: GitStore, before: str | None, after: str | None) -> dict[str, list[str]]:
    """Files colleagues' revisions changed between *before* and *after*, with
    the names of those who changed them."""
    if after is None or before == after:
        return {}
    if before is None:
        paths = store.repo.git.ls_tree("-r", "--name-only", "-z", after).split("\0")
        span = after
    else:
        paths = store.repo.git.diff("--name-only", "--no-renames", "-z", before, after).split("\0")
        span = f"{before}..{after}"
    found = {}
    for path in (p for p in paths if p):
        names = store.repo.git.log("--no-merges", "--format=%an", span, "--", path).splitlines()
        found[path] = sorted(set(names))
    return found
