"""The git gateway's cost in a short command (issue 16): how many git
processes `guidelines list` and `guidelines export` start (counted with
GIT_TRACE on a real workspace, not timed), GitPython left unloaded when a
command needs no ``Repo``, and the cheaper reads giving the same answers as
the ones they replace."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from git_helpers import git

from guidelines_app.core import gitlog, gitprocess
from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError, RepositoryDamaged, RevisionError, WorkspaceError
from guidelines_app.core.gitstore import GitStore

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def saved(workspace, author):
    """A workspace with one document saved twice and published as v1.0."""
    slug, _ = workspace.create_document(Document.new("Policy", "Acme"), author)
    text = workspace.load(slug).to_text()
    workspace.save_text(slug, text + "\nMore words.\n", author, "Second")
    git(workspace.root, "tag", "-a", "-m", "Approver: Ann", f"{slug}/v1.0")
    return workspace, slug


def _run_cli(root: Path, tmp_path: Path, *args: str) -> tuple[list[str], set[str]]:
    """(git commands traced, modules loaded) of one `guidelines` process."""
    trace = tmp_path / "trace.txt"
    trace.unlink(missing_ok=True)
    code = ("import json, sys\nfrom guidelines_app.cli.main import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)) + '\\n')\n")
    env = dict(os.environ, PYTHONPATH=str(REPO), GUIDELINES_WORKSPACE=str(root), GIT_TRACE=str(trace))
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=tmp_path, env=env, capture_output=True, text=True)
    line = [ln for ln in done.stderr.splitlines() if ln.startswith("MODULES ")][-1]
    commands = [ln.split("built-in: ", 1)[1] for ln in trace.read_text().splitlines() if "built-in: " in ln]
    return commands, set(json.loads(line[len("MODULES "):]))


def test_list_runs_one_git_status_and_never_loads_gitpython(saved, tmp_path):
    ws, _slug = saved
    commands, modules = _run_cli(ws.root, tmp_path, "list")
    assert [c.split()[1] for c in commands] == ["status"]
    assert "git" not in modules and "gitdb" not in modules


def test_export_runs_a_few_git_commands_and_never_loads_gitpython(saved, tmp_path):
    ws, slug = saved
    commands, modules = _run_cli(ws.root, tmp_path, "export", slug, "-o", str(tmp_path / "out.docx"))
    assert (tmp_path / "out.docx").is_file()
    # (a text that claims a published version adds one more cat-file for that version's text)
    assert sorted(c.split()[1] for c in commands) == ["cat-file", "for-each-ref", "log", "rev-list", "status"]
    assert not any(c.startswith(("git version", "git rev-parse")) for c in commands)
    assert "git" not in modules


def test_a_save_asks_git_once_for_the_newest_revision_and_once_for_the_files_state(saved, author, tmp_path,
                                                                                      monkeypatch):
    """A save reads the file's newest revision once (its bytes, for the
    message, the trailers and whether the file holds unsaved words) and asks
    git's status once (the commit's own check): it asked three times, and
    resolved HEAD five times."""
    ws, slug = saved
    trace = tmp_path / "trace.txt"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    result = ws.save_text(slug, ws.load(slug).to_text() + "\nEven more words.\n", author)
    assert result.saved and result.message
    names = [ln.split("built-in: ", 1)[1].split()[1] for ln in trace.read_text().splitlines() if "built-in: " in ln]
    assert names.count("status") == 1 and names.count("rev-parse") == 1, names
    assert {"commit", "hash-object"} <= set(names)
    # A file git knows is staged by `commit --only` itself; an edit far from
    # the status line needs no diff to tell the status trailer it was kept.
    assert "add" not in names and "diff" not in names, names
    assert "Guidelines-Status: draft (kept;" in gitlog.revision_info(ws.store, result.commit).message


def test_a_new_document_and_a_status_change_still_ask_git(workspace, author, tmp_path, monkeypatch):
    """The other side of the two steps a usual save leaves out: a file git
    does not know yet is added, and a status line changed is read from git's diff."""
    trace = tmp_path / "trace.txt"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    slug, _ = workspace.create_document(Document.new("Policy", "Acme"), author)
    assert " add " in trace.read_text() and not workspace.has_unsaved_file_changes(slug)
    trace.unlink()
    doc = workspace.load(slug)
    doc.meta["status"] = "in review"
    result = workspace.save_text(slug, doc.to_text(), author, "For review")
    assert " diff " in trace.read_text()
    assert "Guidelines-Status: in review (set;" in gitlog.revision_info(workspace.store, result.commit).message


def test_the_first_edit_after_approval_reads_the_newest_revision_once(saved, author, tmp_path, monkeypatch):
    """An approved policy edited is saved as a draft again: that check used
    the newest revision's bytes the save had read already (it read the
    revision twice more, each time resolving HEAD twice)."""
    ws, slug = saved
    doc = ws.load(slug)
    doc.meta["status"] = "approved"
    ws.save_text(slug, doc.to_text(), author, "Approved")
    trace = tmp_path / "trace.txt"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    result = ws.save_text(slug, doc.to_text() + "\nAn edit after approval.\n", author)
    assert result.saved and ws.load(slug).status == "draft"
    assert "Status: draft" in gitlog.revision_info(ws.store, result.commit).message
    names = [ln.split("built-in: ", 1)[1].split()[1] for ln in trace.read_text().splitlines() if "built-in: " in ln]
    assert names.count("status") == 1 and names.count("rev-parse") == 1, names


@pytest.mark.parametrize("args", [("history",), ("diff", "HEAD~1", "HEAD"), ("diff", "HEAD~1", "HEAD", "--no-authors")],
                         ids=["history", "diff", "diff-no-authors"])
def test_history_and_diff_never_load_gitpython(saved, tmp_path, args):
    ws, slug = saved
    for _ in range(2):  # the first time (nothing kept yet) and asked again (the kept answers)
        commands, modules = _run_cli(ws.root, tmp_path, args[0], slug, *args[1:])
        assert commands and "git" not in modules and "gitdb" not in modules
        assert not any(c.startswith("git version") for c in commands)


def test_a_plain_checkout_opens_gitpython_only_when_an_operation_needs_it(saved):
    ws, slug = saved
    with GitStore(ws.root) as store:
        assert store.log(ws.relpath(slug), 1)[0].subject == "Second"
        assert store._repo is None
        assert store.config_identity() is None or store._repo is not None
        assert store._repo is not None


def test_unusual_repositories_are_still_checked_when_opened(tmp_path):
    bare = tmp_path / "bare.git"
    git(tmp_path, "init", "--bare", "-q", str(bare))
    assert not gitprocess.plain_checkout(bare)
    with pytest.raises(WorkspaceError, match="bare"):
        GitStore(bare)
    outer = tmp_path / "outer"
    git(tmp_path, "init", "-q", str(outer))
    (outer / "inner").mkdir()
    with pytest.raises(GuidelinesError):
        GitStore(outer / "inner")
    assert gitprocess.plain_checkout(outer)


def test_the_changed_paths_are_read_as_before(saved):
    ws, slug = saved
    folder = ws.root / "guidelines"
    (folder / "new doc.md").write_text("new\n", encoding="utf-8")
    (folder / f"{slug}.md").write_text("edited\n", encoding="utf-8")
    assert sorted(ws.store.changed_paths("guidelines/")) == ["guidelines/new doc.md", f"guidelines/{slug}.md"]
    (folder / f"{slug}.md").unlink()  # a deleted file is not a change to save
    assert ws.store.changed_paths("guidelines/", check_head=True) == ["guidelines/new doc.md"]


@pytest.mark.parametrize("content", ["", "0" * 39 + "1\n"])
def test_a_broken_branch_is_still_reported_by_the_status_read(saved, content):
    ws, _slug = saved
    (ws.root / ".git" / "refs" / "heads" / "main").write_text(content, encoding="utf-8")
    with pytest.raises(RepositoryDamaged, match="branch main"):  # not "every file is new"
        ws.uncommitted_documents()


def test_the_revision_count_and_the_fast_reads_agree_with_the_slow_ones(saved):
    ws, slug = saved
    relpath = ws.relpath(slug)
    assert gitlog.revision_count(ws.store, relpath) == len(gitlog.recent_revisions(ws.store, relpath, 100)) == 2
    newest = ws.history(slug, 1)[0]
    assert ws.committed_text(slug, newest.sha) == ws.committed_text(slug) == ws.store.read(relpath, "HEAD").decode()
    tree = git(ws.root, "rev-parse", "HEAD^{tree}").strip()
    with pytest.raises(GuidelinesError):  # a tree's id is not a revision, for the fast read as for read()
        ws.store.read_fast(relpath, tree)
    with pytest.raises(RevisionError):
        ws.store.read_fast("guidelines/none.md", newest.sha)


def test_a_new_workspace_counts_no_revision(workspace):
    assert gitlog.revision_count(workspace.store, "guidelines/x.md") == 0
    assert workspace.store.log("guidelines/x.md") == []
    assert workspace.uncommitted_documents() == []


def test_an_export_of_the_published_text_says_approved(saved, author):
    from guidelines_app.publishing.export import source_from_workspace

    ws, slug = saved
    text = ws.load(slug).to_text().replace("status: draft", "status: approved").replace("version: '0.1'", "version: '1.0'")
    assert "status: approved" in text and "version: '1.0'" in text
    ws.save_text(slug, text, author, "Publish")
    git(ws.root, "tag", "-a", "-f", "-m", "Approver: Ann", f"{slug}/v1.0")
    source = source_from_workspace(ws, slug)
    assert source.details.revision_number == 3
    assert (source.details.status, source.details.version, source.details.approver) == ("approved", "1.0", "Ann")
    (ws.path(slug)).write_text(text + "An edit.\n", encoding="utf-8")  # not saved: a fourth revision, a draft
    source = source_from_workspace(ws, slug)
    assert source.details.revision_number == 4 and source.details.status == "draft"


def test_a_vanished_workspace_is_a_plain_error_not_a_crash(saved, tmp_path):
    """The reads that run git without a Repo meet a missing folder as the
    gateway's plain error (as a git process run through GitPython did)."""
    import shutil

    ws, _slug = saved
    store = GitStore(ws.root)
    moved = tmp_path / "moved"
    shutil.move(str(ws.root), str(moved))
    try:
        with pytest.raises(GuidelinesError):
            store.check_on_branch()
        assert store.is_commit("0" * 40) is False
    finally:
        shutil.move(str(moved), str(ws.root))
