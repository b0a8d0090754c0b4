"""What one comparison reads of git at once (``core.gitbatch``): both sides'
texts and commits from one git process, the tag listing started beside the
other git work, and the same answers as the reads they replace; a `guidelines
diff` the first time runs four git processes (status, tags, the revisions,
the objects), asked again three."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from guidelines_app.core import gitbatch, gitlog, gitprocess
from guidelines_app.core.approval import tag_prefix
from guidelines_app.core.document import Document, shared_front
from guidelines_app.core.gitstore import GitStore

REPO = Path(__file__).resolve().parent.parent


def git(root: Path, *args: str) -> str:
    env = dict(os.environ, GIT_COMMITTER_NAME="Ann", GIT_COMMITTER_EMAIL="ann@example.org")
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


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


def test_a_first_diff_runs_four_git_processes_and_asked_again_three(saved, tmp_path):
    ws, slug = saved
    first = _git_commands(ws.root, tmp_path, "diff", slug, "HEAD~2", "HEAD", "--no-authors")
    assert first == ["cat-file", "for-each-ref", "rev-list", "status"]
    again = _git_commands(ws.root, tmp_path, "diff", slug, "HEAD~2", "HEAD", "--no-authors")
    assert again == ["for-each-ref", "rev-list", "status"]
