"""What a sync reads and moves in the workspace itself: a revision by
name, which revision comes after which, the branch, whether the workspace
is ready (every change saved as a revision, no merge someone started with
git unfinished), and moving it forward to a revision.  ``core.sync`` and
``core.sync_pending`` take these steps."""

from __future__ import annotations

from pathlib import Path

from guidelines_app.core import gitfaults
from guidelines_app.core.errors import WorkspaceError
from guidelines_app.core.gitstore import GitStore
from guidelines_app.core.sync_names import shown
from guidelines_app.core.workspace import DOCS_DIR, Workspace


def rev(store: GitStore, ref: str) -> str | None:
    """The revision *ref* names, or None (no such branch, nothing saved yet)."""
    out = store.repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", with_exceptions=False)
    return out.strip() or None


def is_ancestor(store: GitStore, older: str, newer: str) -> bool:
    """True when revision *newer* comes after *older* (or is it)."""
    status, _o, _e = store.repo.git.merge_base("--is-ancestor", older, newer,
                                               with_extended_output=True, with_exceptions=False)
    return status == 0


def current_branch(store: GitStore) -> str:
    """The branch the workspace is on (a workspace off every branch: refused)."""
    store.check_on_branch()
    return store.repo.git.symbolic_ref("--short", "HEAD").strip()


def check_ready(ws: Workspace) -> None:
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


def move_to(store: GitStore, commit: str) -> None:
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
