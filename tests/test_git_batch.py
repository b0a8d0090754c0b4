"""What one comparison reads of git at once (``core.gitbatch``): both sides'
texts and commits from one git process, the tag listing started beside the
other git work, and the same answers as the reads they replace; a `guidelines
diff` runs three git processes (status, tags, and one object reader that
walks back to the revisions typed and reads both texts), and the walk lists
the revisions git's rev-list lists, or leaves the question to it."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from git_helpers import git

from guidelines_app.core import gitbatch, gitlog, gitprocess
from guidelines_app.core.approval import tag_prefix
from guidelines_app.core.document import Document, shared_front
from guidelines_app.core.gitstore import GitStore

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def saved(workspace, author):
    """A document saved three times, the second revision published as v1.0
    (annotated) and the third tagged v1.1 by hand (a lightweight tag)."""
    slug, _ = workspace.create_document(Document.new("Policy", "Acme"), author)
    text = workspace.load(slug).to_text()
    workspace.save_text(slug, text + "\nMore words.\n", author, "Second\n\nWith a body.")
    git(workspace.root, "tag", "-a", "-m", "Approver: Ann", f"{slug}/v1.0")
    workspace.save_text(slug, text + "\nMore words.\nAnd more.\n", author, "Third")
    git(workspace.root, "tag", f"{slug}/v1.1")
    return workspace, slug


def test_read_sides_gives_the_texts_and_commits_the_single_reads_give(saved):
    ws, slug = saved
    relpath = ws.relpath(slug)
    shas = [r.sha for r in ws.store.log(relpath)]
    with GitStore(ws.root) as fresh, GitStore(ws.root) as single:
        found = gitbatch.read_sides(fresh, relpath, shas)
        assert found == [single.read_fast(relpath, sha) for sha in shas]
        for sha in shas:  # kept from the same read: no git process asked for it again
            kept = gitbatch.kept_revision(fresh, sha)
            assert kept == gitlog.revision_info(single, sha)
            assert gitlog.revision_info(fresh, sha) is kept
        assert gitbatch.kept_revision(single, shas[0]) is None  # kept per open store
    with GitStore(ws.root) as fresh:  # with ids: the id git names each side's blob by
        with_ids = gitbatch.read_sides(fresh, relpath, shas, ids=True)
    reader = gitbatch.ObjectReader(ws.root)
    try:
        assert gitbatch.read_sides(ws.store, relpath, shas, reader=reader, ids=True) == with_ids
    finally:
        reader.close()
    assert [data for _blob, data in with_ids] == found
    assert [blob for blob, _data in with_ids] == [git(ws.root, "rev-parse", f"{sha}:{relpath}").strip() for sha in shas]


def test_the_callers_work_runs_once_while_git_reads_and_changes_no_answer(saved):
    ws, slug = saved
    relpath = ws.relpath(slug)
    shas = [r.sha for r in ws.store.log(relpath)]
    with GitStore(ws.root) as store:
        expected = gitbatch.read_sides(store, relpath, shas, ids=True)
    reader = gitbatch.ObjectReader(ws.root)
    try:
        reader.start()  # git started before the first request: the same answers
        seen = []
        found = gitbatch.read_sides(ws.store, relpath, shas, reader=reader, ids=True, meanwhile=lambda: seen.append(1))
        assert found == expected and seen == [1]
        # The work runs inside the request (after its first answer, the others still to be read).
        specs = [f"{sha}:{relpath}" for sha in shas]
        alone = reader.read(specs)
        during = []
        assert reader.read(specs, meanwhile=lambda: during.append(reader._lock.locked())) == alone
        assert during == [True]

        for error in (RuntimeError, ValueError, OSError):  # (git's own failures are OSError and ValueError)
            def fails(error=error):
                raise error("the caller's work failed")

            process = reader._proc
            with pytest.raises(error, match="caller's work"):
                reader.read(specs, meanwhile=fails)
            assert reader._proc is process  # every answer read: the same git answers the next request
            assert reader.read(specs) == alone
    finally:
        reader.close()
    seen = []  # without a reader: after git has read
    with GitStore(ws.root) as store:
        assert gitbatch.read_sides(store, relpath, shas, ids=True, meanwhile=lambda: seen.append(1)) == expected
    assert seen == [1]


def test_a_reader_whose_git_cannot_start_answers_none(saved, monkeypatch):
    ws, slug = saved
    monkeypatch.setattr(gitprocess, "executable", lambda: str(ws.root / "no-such-git"))
    reader = gitbatch.ObjectReader(ws.root)
    try:
        reader.start()  # no error: the request says what it can
        assert reader.read(["HEAD"]) == [None]
    finally:
        reader.close()


def test_a_reader_started_where_git_may_not_run_answers_none(tmp_path):
    (tmp_path / ".git").mkdir()  # not a repository git init makes
    reader = gitbatch.ObjectReader(tmp_path)
    try:
        reader.start()
        seen = []
        assert reader.read(["HEAD", "HEAD"], meanwhile=lambda: seen.append(1)) == [None, None]
        assert seen == []
        assert reader.read([]) == []
    finally:
        reader.close()


def test_read_sides_leaves_what_is_not_a_file_to_the_usual_read(saved):
    ws, slug = saved
    relpath = ws.relpath(slug)
    head = ws.store.log(relpath)[0].sha
    with GitStore(ws.root) as store:
        assert gitbatch.read_sides(store, "guidelines/nothing.md", [head]) is None
        assert gitbatch.read_sides(store, relpath, [head, "0" * 40]) is None
        assert gitbatch.read_sides(store, relpath, ["HEAD"]) is None  # full ids only
        assert gitbatch.kept_revision(store, head) is not None  # the commit read is still kept


def test_read_objects_reads_each_spec_in_order_and_says_none_for_a_missing_one(saved):
    ws, slug = saved
    head = git(ws.root, "rev-parse", "HEAD").strip()
    found = gitprocess.read_objects(ws.root, [f"{head}:{ws.relpath(slug)}", "0" * 40, head, f"{head}:missing.md"])
    assert found[0] == ("blob", (ws.root / ws.relpath(slug)).read_bytes())
    assert found[1] is None and found[3] is None
    assert found[2][0] == "commit" and found[2][1].startswith(b"tree ")


def test_tags_prefetched_are_the_tags_listed(saved):
    ws, slug = saved
    prefix = tag_prefix(slug)
    with GitStore(ws.root) as store:
        listed = gitbatch.tag_refs(store, prefix)
        gitbatch.prefetch_tags(store, prefix)
        assert gitbatch.tag_refs(store, prefix) == listed
        names = sorted(r.name for r in listed)
        assert names == [f"{slug}/v1.0", f"{slug}/v1.1"]
        annotated = next(r for r in listed if r.name.endswith("v1.0"))
        assert annotated.message == "Approver: Ann" and annotated.date is not None
        # A listing started and never asked for is waited for, not left running.
        gitbatch.prefetch_tags(store, prefix)
        gitbatch.drop_prefetched(store)
        assert not gitbatch._pending_tags.get(store)


def test_shared_front_is_the_details_block_parse_reads(saved):
    ws, slug = saved
    text = ws.load(slug).to_text()
    front = Document.parse(text).front_matter_text
    assert shared_front(text, text + "\nnew words\n") == front
    assert shared_front(text, text.replace("Acme", "Acme Ltd")) == ""  # other details
    assert shared_front(text.replace("\n", "\r\n"), text.replace("\n", "\r\n")) == ""  # parse rewrites these
    assert shared_front("# no details\n", "# no details\n") == ""
    broken = "---\ntitle: Foo: bar\n---\n# Policy\n"  # not YAML: compared as text, as Document.parse fails
    assert shared_front(broken, broken + "more\n") == ""


def _git_commands(root: Path, tmp_path: Path, *args: str) -> list[str]:
    trace = tmp_path / "trace.txt"
    trace.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(REPO), GUIDELINES_WORKSPACE=str(root), GIT_TRACE=str(trace))
    done = subprocess.run([sys.executable, "-m", "guidelines_app.cli", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return sorted(ln.split("built-in: ", 1)[1].split()[1] for ln in trace.read_text().splitlines() if "built-in: " in ln)


def test_a_diff_runs_three_git_processes_the_first_time_and_asked_again(saved, tmp_path):
    ws, slug = saved
    first = _git_commands(ws.root, tmp_path, "diff", slug, "HEAD~2", "HEAD", "--no-authors")
    assert first == ["cat-file", "for-each-ref", "status"]
    again = _git_commands(ws.root, tmp_path, "diff", slug, "HEAD~2", "HEAD", "--no-authors")
    assert again == ["cat-file", "for-each-ref", "status"]


def _rev_list(root: Path, relpath: str, count: int) -> list[str]:
    return git(root, "rev-list", f"--max-count={count}", "HEAD", "--", relpath).split()


def _walk(root: Path, relpath: str, count: int) -> list[str] | None:
    reader = gitbatch.ObjectReader(root)
    try:
        return gitbatch.recent_revisions(reader, relpath, count)
    finally:
        reader.close()


def _random_history(root: Path, rng: random.Random, steps: int, merges: bool) -> None:
    """Commits that change, delete and re-add guidelines/a.md, change other
    files, make and remove a folder of that name's sibling, and (with
    *merges*) merge a side branch."""
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Ann")
    git(root, "config", "user.email", "ann@example.org")
    (root / "guidelines").mkdir()
    (root / "guidelines" / "a.md").write_text("first\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    for step in range(steps):
        doc = root / "guidelines" / "a.md"
        choice = rng.random()
        if choice < 0.4:
            doc.write_text(f"words {step} {rng.random()}\n")
        elif choice < 0.5 and doc.exists():
            doc.unlink()
        elif choice < 0.55:
            doc.write_text(doc.read_text() if doc.exists() else "first\n")  # back as it was once
        elif choice < 0.6 and doc.exists():
            os.chmod(doc, 0o755 if not os.access(doc, os.X_OK) else 0o644)  # the mode alone
        elif choice < 0.7 and merges:
            git(root, "checkout", "-q", "-b", f"side{step}")
            doc.write_text(f"side {step}\n")
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", "side")
            git(root, "checkout", "-q", "main")
            (root / "other.md").write_text(f"other {step}\n")
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", "other")
            git(root, "merge", "-q", "--no-edit", "-X", "theirs", f"side{step}")
            continue
        else:
            (root / "guidelines" / f"b{step % 3}.md").write_text(f"another {step}\n")
        git(root, "add", "-A")
        git(root, "commit", "-q", "--allow-empty", "-m", f"step {step}")


@pytest.mark.parametrize("seed", range(6))
def test_the_walk_lists_what_rev_list_lists_in_a_history_without_merges(tmp_path, seed):
    _random_history(tmp_path, random.Random(seed), 40, merges=False)
    for relpath in ("guidelines/a.md", "guidelines/b1.md", "guidelines/none.md", "guidelines/a.md/x", "top.md"):
        for count in (1, 2, 3, 5, 8, 30):
            assert _walk(tmp_path, relpath, count) == _rev_list(tmp_path, relpath, count), (relpath, count)


@pytest.mark.parametrize("seed", range(4))
def test_the_walk_lists_what_rev_list_lists_or_leaves_a_merge_to_it(tmp_path, seed):
    _random_history(tmp_path, random.Random(100 + seed), 30, merges=True)
    asked = 0
    for count in (1, 2, 4, 10):
        walked = _walk(tmp_path, "guidelines/a.md", count)
        if walked is not None:
            assert walked == _rev_list(tmp_path, "guidelines/a.md", count)
            asked += 1
    merges = git(tmp_path, "rev-list", "--merges", "HEAD").split()
    assert asked == 4 or merges  # only a merge on the way sends the question to git


def test_the_walk_leaves_to_git_what_it_cannot_say(saved, tmp_path):
    ws, slug = saved
    relpath = ws.relpath(slug)
    assert _walk(ws.root, relpath, gitbatch.WALK_LIMIT + 1) is None  # a long walk: git's own
    assert _walk(ws.root, relpath, 3) == _rev_list(ws.root, relpath, 3)
    grafts = ws.root / ".git" / "info" / "grafts"
    grafts.parent.mkdir(exist_ok=True)
    grafts.write_text("")
    assert _walk(ws.root, relpath, 3) is None  # grafts change the parents git walks
    grafts.unlink()
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{ws.root}", str(shallow))
    assert _walk(shallow, relpath, 3) is None  # the parent is not there: git decides
    made_shallow = tmp_path / "made-shallow"  # a full clone made shallow: the parents are still there
    git(tmp_path, "clone", "-q", f"file://{ws.root}", str(made_shallow))
    git(made_shallow, "fetch", "-q", "--depth", "1", "origin")
    git(made_shallow, "reset", "-q", "--hard", "origin/HEAD")
    assert (made_shallow / ".git" / "shallow").exists()
    assert _rev_list(made_shallow, relpath, 3) != _rev_list(ws.root, relpath, 3)  # git stops at the boundary
    assert _walk(made_shallow, relpath, 3) is None
    empty = tmp_path / "empty"
    git(tmp_path, "init", "-q", str(empty))
    assert _walk(empty, relpath, 1) is None  # no revision yet
