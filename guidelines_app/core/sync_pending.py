"""A sync waiting for decisions: the merge of our revisions and colleagues'
worked out inside git's object store (``git merge-tree``), never in the
folder, kept in .git/guidelines-sync.json while a person decides its
conflicts one at a time (``choose``, ``take``), then made one ordinary merge
revision the workspace moves to in one step (``finish``), or forgotten
(``abort``: the files, the index and HEAD were never changed by it).
Revisions saved while decisions wait go into it, each decision kept while
its conflict stays the same (``pending``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from guidelines_app.core import conflicts as merging
from guidelines_app.core import gitfaults, remotes
from guidelines_app.core.conflicts import Conflict, FileMerge
from guidelines_app.core.errors import (
    GuidelinesError,
    SyncHistoryMoved,
    SyncPending,
    SyncRecordUnreadable,
    WorkspaceError,
)
from guidelines_app.core.fileio import atomic_write_text
from guidelines_app.core.gitstore import GitStore, Identity
from guidelines_app.core.sync_names import describe, shown
from guidelines_app.core.sync_workspace import check_ready, is_ancestor, move_to, rev
from guidelines_app.core.wording import plural
from guidelines_app.core.workspace import DOCS_DIR, Workspace

STATE_FILE = "guidelines-sync.json"


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


def merged(store: GitStore, name: str, branch: str, ours: str, theirs: str) -> PendingMerge:
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
    moved = merged(store, state.remote, state.branch, head, state.theirs)
    decided_on = {(c.path, c.key): c for c in state.all_conflicts()}
    for c in moved.all_conflicts():
        choice = state.choices.get(c.path, {}).get(c.key)
        if choice is not None and decided_on.get((c.path, c.key)) == c:
            moved.choices.setdefault(c.path, {})[c.key] = choice
        elif choice is not None or c.key in state.again.get(c.path, []):
            moved.again.setdefault(c.path, []).append(c.key)
    return moved


def pending(ws: Workspace) -> PendingMerge | None:
    """The sync waiting for decisions, or None.  Revisions saved in the
    workspace since it started are in it (``_moved_on``: worked out on each
    read, kept by the next decision)."""
    path = state_path(ws.store)
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
    head = rev(ws.store, "HEAD")
    if head is not None and head != state.ours and is_ancestor(ws.store, state.ours, head):
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
    save(ws.store, state)
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
    save(ws.store, state)
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
    if rev(store, "HEAD") != state.ours:  # (saves since it started are in it: the history was rewritten)
        raise SyncHistoryMoved("cannot finish the sync: this workspace's history changed since it started; abort it "
                          "('guidelines sync --abort') and sync again. Nothing is lost")
    check_ready(ws)
    if is_ancestor(store, state.theirs, state.ours):  # (their revisions came in meanwhile, by another way)
        state_path(store).unlink(missing_ok=True)
        return state.ours
    commit = commit_merge(store, state, author)
    move_to(store, commit)
    state_path(store).unlink(missing_ok=True)
    return commit


def abort(ws: Workspace) -> None:
    """Forget the unfinished sync: the files, the index and HEAD were never
    changed by it, so the workspace is exactly as before it started."""
    if not state_path(ws.store).exists():
        raise WorkspaceError("there is no unfinished sync to abort")
    try:
        state_path(ws.store).unlink(missing_ok=True)
        (Path(ws.store.repo.git_dir) / "guidelines-sync.index").unlink(missing_ok=True)
    except OSError as exc:
        raise gitfaults.storage_error(exc, ws.root, "abort the sync") from None


def state_path(store: GitStore) -> Path:
    return Path(store.repo.git_dir) / STATE_FILE


def _pending_or_fail(ws: Workspace) -> PendingMerge:
    state = pending(ws)
    if state is None:
        raise WorkspaceError("there is no unfinished sync (nothing to resolve)")
    return state


def save(store: GitStore, state: PendingMerge) -> None:
    data = {k: getattr(state, k) for k in ("remote", "branch", "ours", "theirs", "base", "tree", "paths", "choices", "again")}
    try:
        atomic_write_text(state_path(store), json.dumps(data, indent=1))
    except OSError as exc:  # (a full disk, a folder made read-only)
        raise gitfaults.storage_error(exc, store.root, "keep the decisions of the unfinished sync") from None


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


def commit_merge(store: GitStore, state: PendingMerge, author: Identity) -> str:
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
