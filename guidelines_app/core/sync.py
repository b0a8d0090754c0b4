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

This module is the round with the shared copy; the sync waiting for
decisions (``pending``, ``choose``, ``take``, ``finish``, ``abort``, named
here as before) is ``core.sync_pending``, the steps in the workspace itself
``core.sync_workspace``, the names in its messages ``core.sync_names``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from guidelines_app.core import gitfaults, remotes
from guidelines_app.core.conflicts import Conflict
from guidelines_app.core.errors import NotAWorkspace, PushRejected, WorkspaceError
from guidelines_app.core.gitstore import GitStore, Identity
from guidelines_app.core.sync_pending import (  # noqa: F401 - the unfinished sync, by its usual names (sync.pending, ...)
    STATE_FILE,
    PendingMerge,
    abort,
    choose,
    commit_merge,
    finish,
    merged,
    pending,
    save,
    take,
)
from guidelines_app.core.sync_workspace import check_ready, current_branch, is_ancestor, move_to, rev
from guidelines_app.core.workspace import DOCS_DIR, Workspace

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
    check_ready(ws)
    branch = current_branch(store)
    before = rev(store, "HEAD")
    outcome, sent = UP_TO_DATE, False
    for attempt in (1, 2):
        report(0, STEPS)
        remotes.fetch(store, name)
        _merge_notes(store, name, author)
        branch = _adopt_shared_branch(store, name, branch)
        report(1, STEPS)
        step, found = _integrate(ws, name, url, branch, author)
        if found:
            return SyncResult(name, CONFLICTS, _received(store, before, rev(store, "HEAD")), found)
        outcome = step if step != UP_TO_DATE else outcome
        report(2, STEPS)
        if rev(store, "HEAD") is None:
            break  # nothing saved on either side yet
        try:
            sent = _needs_push(store, name, branch)
            remotes.push(store, name, branch, with_notes=rev(store, remotes.SIGNOFF_NOTES) is not None)
            # What the shared copy now holds (a push to an address does not record it).
            store.repo.git.update_ref(f"refs/remotes/{name}/{branch}", rev(store, "HEAD"))
            break
        except PushRejected as refused:
            if attempt == 2 or not refused.someone_first:
                raise
    report(STEPS, STEPS)
    if outcome == UP_TO_DATE and sent:
        outcome = SENT
    ahead, behind = ahead_behind(ws, name) or (0, 0)
    return SyncResult(name, outcome, _received(store, before, rev(store, "HEAD")), [], ahead, behind)


def _integrate(ws: Workspace, name: str, url: str, branch: str, author: Identity) -> tuple[str, list[Conflict]]:
    """Put the fetched revisions together with ours: (what happened, the
    conflicts waiting for a person)."""
    store = ws.store
    theirs = rev(store, f"refs/remotes/{name}/{branch}")
    if theirs is None:
        others = store.repo.git.for_each_ref("--format=%(refname:lstrip=3)", f"refs/remotes/{name}/").split()
        others = [b for b in others if b != "HEAD"]
        if others:
            raise NotAWorkspace(f"cannot sync: the shared copy '{name}' ({url}) has no branch {branch} (it has "
                                f"{', '.join(others)}); it may hold something other than this workspace")
        return UP_TO_DATE, []
    _check_is_workspace(store, theirs, name, url)
    ours = rev(store, "HEAD")
    if ours == theirs or (ours is not None and is_ancestor(store, theirs, ours)):
        return UP_TO_DATE, []
    if ours is None or is_ancestor(store, ours, theirs):
        move_to(store, theirs)
        return RECEIVED, []
    state = merged(store, name, branch, ours, theirs)
    if state.open_conflicts():
        save(store, state)
        return CONFLICTS, state.open_conflicts()
    move_to(store, commit_merge(store, state, author))
    return MERGED, []


def _needs_push(store: GitStore, name: str, branch: str) -> bool:
    return rev(store, "HEAD") != rev(store, f"refs/remotes/{name}/{branch}")


def ahead_behind(ws: Workspace, remote: str | None = None) -> tuple[int, int] | None:
    """(revisions not yet sent, revisions not yet brought in) as of the last
    sync, without the network; None without a shared copy."""
    store = ws.store
    try:
        name = remote or remotes.default_remote(store)
    except WorkspaceError:
        return None
    if rev(store, "HEAD") is None:
        return (0, 0)
    theirs = rev(store, f"refs/remotes/{name}/{current_branch(store)}")
    if theirs is None:
        return (int(store.repo.git.rev_list("--count", "HEAD")), 0)
    out = store.repo.git.rev_list("--left-right", "--count", f"HEAD...{theirs}")
    ahead, behind = (int(n) for n in out.split())
    return ahead, behind


def _adopt_shared_branch(store: GitStore, name: str, branch: str) -> str:
    """The branch to sync: ours, or, when the shared copy has exactly one
    branch and it is named otherwise ("main" where ours is "master", as git
    versions and hosts name the first branch differently), that one; ours is
    renamed to match, which changes nothing a user sees."""
    if rev(store, f"refs/remotes/{name}/{branch}") is not None:
        return branch
    theirs = [b for b in store.repo.git.for_each_ref("--format=%(refname:lstrip=3)", f"refs/remotes/{name}/").split()
              if b != "HEAD"]
    if len(theirs) != 1 or not _BRANCH_RE.match(theirs[0]):
        return branch
    (other,) = theirs
    if rev(store, f"refs/heads/{other}") is not None:
        return branch  # a branch of that name exists here already: not ours to merge into
    store.repo.git.branch("-m", branch, other)  # both names checked: neither starts with "-"
    return other


_BRANCH_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,100}$")

def _check_is_workspace(store: GitStore, commit: str, name: str, url: str) -> None:
    entries = store.repo.git.ls_tree("--name-only", commit).split("\n")
    entries = [e for e in entries if e]
    if entries and DOCS_DIR not in entries and ".guidelines" not in entries:
        raise NotAWorkspace(f"cannot sync: the shared copy '{name}' ({url}) is not a guidelines workspace (it has no "
                            f"{DOCS_DIR}/ folder). Your documents and revisions here are untouched; check the address")


def _merge_notes(store: GitStore, name: str, author: Identity) -> None:
    """Sign-off records from the shared copy joined with ours (each line of
    a note kept once: git's cat_sort_uniq)."""
    theirs_ref = f"refs/notes/remotes/{name}/guidelines-signoffs"
    theirs, ours = rev(store, theirs_ref), rev(store, remotes.SIGNOFF_NOTES)
    g = store.repo.git
    if theirs is None or theirs == ours:
        return
    if ours is None or is_ancestor(store, ours, theirs):
        g.update_ref(remotes.SIGNOFF_NOTES, theirs)
        return
    if is_ancestor(store, theirs, ours):
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
