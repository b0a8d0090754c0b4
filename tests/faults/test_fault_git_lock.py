"""Locks and concurrent saves: a stale index.lock, a lock a live git holds
for a moment, and two processes saving different documents at once."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from guidelines_app.core.errors import RepositoryLocked
from guidelines_app.core.workspace import Workspace


def _stale_lock(ws) -> os.PathLike:
    lock = ws.root / ".git" / "index.lock"
    lock.write_bytes(b"")
    old = time.time() - 3600  # left behind an hour ago by a git that crashed
    os.utime(lock, (old, old))
    return lock


def test_stale_lock_cli_says_what_and_how(fault_ws, cli):
    lock = _stale_lock(fault_ws)
    path = fault_ws.path("policy")
    text = path.read_text(encoding="utf-8") + "\nA sentence typed before the lock.\n"
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    done = cli(fault_ws.root, "save", "policy", "-m", "Add a sentence")
    assert done.returncode == 2, done
    lines = done.stderr.splitlines()
    assert lines[0].startswith("error: cannot save a revision: git left a lock file behind")
    assert lines[1].startswith("hint: ") and str(lock) in lines[1]
    assert len(lines) == 2 and "Traceback" not in done.stderr
    assert time.monotonic() - started < 5  # a stale lock is not waited for
    assert path.read_text(encoding="utf-8") == text and lock.exists()


@pytest.mark.parametrize("command", [["status", "policy", "approved"], ["restore", "policy", "HEAD~1"],
                                     ["review", "request", "policy", "--reviewer", "Legal=Ann Lee"]])
def test_a_command_that_fails_on_a_lock_leaves_the_file_as_it_was(fault_ws, author, cli, command):
    """`status` (and restore, review) wrote its change into the file, then
    failed on the lock: the file then said "approved" with no revision
    saying so, and the next `save` would have committed it unasked."""
    fault_ws.save_text("policy", fault_ws.path("policy").read_text(encoding="utf-8") + "\nA second revision.\n", author, "More")
    before = fault_ws.path("policy").read_bytes()
    _stale_lock(fault_ws)
    done = cli(fault_ws.root, *command)
    assert done.returncode == 2 and "lock file" in done.stderr, done
    assert fault_ws.path("policy").read_bytes() == before
    assert not fault_ws.has_unsaved_file_changes("policy")


def test_stale_lock_remedy_removes_it_and_the_save_succeeds(fault_ws, author, fsck_clean):
    lock = _stale_lock(fault_ws)
    text = fault_ws.path("policy").read_text(encoding="utf-8") + "\nKept through the lock.\n"
    with pytest.raises(RepositoryLocked) as caught:
        fault_ws.save_text("policy", text, author, "Add a line")
    assert caught.value.remedy is not None and "Remove the Lock" in caught.value.remedy.label
    assert fault_ws.path("policy").read_text(encoding="utf-8") == text  # written, not yet committed
    caught.value.remedy.run()
    assert not lock.exists()
    result = fault_ws.save_text("policy", text, author, "Add a line")
    assert result.saved and fault_ws.committed_text("policy") == text
    assert fsck_clean(fault_ws.root)


def test_a_live_lock_is_waited_for(fault_ws, author, fsck_clean):
    lock = fault_ws.root / ".git" / "index.lock"
    lock.write_bytes(b"")  # fresh: a git program is working right now
    release = threading.Timer(1.0, lock.unlink)
    release.start()
    try:
        text = fault_ws.path("policy").read_text(encoding="utf-8") + "\nSaved after the wait.\n"
        started = time.monotonic()
        result = fault_ws.save_text("policy", text, author, "After the wait")
    finally:
        release.join()
    assert result.saved and time.monotonic() - started >= 0.9
    assert fault_ws.committed_text("policy") == text and fsck_clean(fault_ws.root)


_SAVER = textwrap.dedent("""
    import sys, time
    from guidelines_app.core.gitstore import Identity
    from guidelines_app.core.workspace import Workspace
    root, slug, rounds, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    author = Identity("Saver " + slug, slug + "@example.org")
    time.sleep(max(0.0, start - time.time()))  # both begin at the same moment
    with Workspace.open(root) as ws:
        base = ws.path(slug).read_text(encoding="utf-8")
        for n in range(rounds):
            result = ws.save_text(slug, base + f"\\nRound {n} of {slug}.\\n", author, f"{slug} round {n}")
            assert result.saved, n
    print("done")
""")


def test_two_processes_save_different_documents_at_once(fault_ws, author, git, cli_env, fsck_clean):
    from guidelines_app.core.document import Document

    fault_ws.create_document(Document.new("Other", "Acme"), author, slug="other")
    before = int(git(fault_ws.root, "rev-list", "--count", "HEAD"))
    rounds, start = 20, time.time() + 1.5
    procs = [subprocess.Popen([sys.executable, "-c", _SAVER, str(fault_ws.root), slug, str(rounds), str(start)],
                              env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for slug in ("policy", "other")]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0 and out.strip() == "done", err
    assert int(git(fault_ws.root, "rev-list", "--count", "HEAD")) == before + 2 * rounds
    for slug in ("policy", "other"):
        subjects = git(fault_ws.root, "log", "--format=%s", "--", f"guidelines/{slug}.md").splitlines()
        assert [s for s in subjects if " round " in s] == [f"{slug} round {n}" for n in reversed(range(rounds))]
    with Workspace.open(fault_ws.root) as ws:
        assert ws.uncommitted_documents() == []
        assert ws.committed_text("other").endswith("Round 19 of other.\n")
    assert fsck_clean(fault_ws.root)


def test_a_lock_held_too_long_gives_a_clear_message(fault_ws, author, monkeypatch):
    from guidelines_app.core import gitstore

    monkeypatch.setattr(gitstore, "RETRY_SECONDS", 1.0)  # the real wait is longer; the behaviour is the same
    lock = fault_ws.root / ".git" / "index.lock"
    lock.write_bytes(b"")
    stop = threading.Event()

    def busy() -> None:  # a git program that keeps working (its lock stays fresh)
        while not stop.wait(0.1):
            os.utime(lock)

    worker = threading.Thread(target=busy)
    worker.start()
    text = fault_ws.path("policy").read_text(encoding="utf-8") + "\nWaiting for the other program.\n"
    try:
        started = time.monotonic()
        with pytest.raises(RepositoryLocked, match="another program is using the workspace's history right now"):
            fault_ws.save_text("policy", text, author, "Blocked")
        assert 0.9 <= time.monotonic() - started < 5
    finally:
        stop.set()
        worker.join()
    assert fault_ws.path("policy").read_text(encoding="utf-8") == text
    lock.unlink()
    assert fault_ws.save_text("policy", text, author, "After the other program").saved


def test_a_new_document_or_import_a_lock_stops_leaves_nothing_and_goes_through_when_tried_again(fault_ws, cli, tmp_path):
    """The file stayed when its first revision could not be made: trying
    again after the lock was gone made 'locked-2' beside 'locked'."""
    from guidelines_app.core.document import Document
    from guidelines_app.publishing.docx import export_docx

    word = export_docx(Document.parse("---\ntitle: From Word\n---\n# From Word\n\nText.\n"), tmp_path / "from-word.docx")
    before = sorted(p.name for p in (fault_ws.root / "guidelines").iterdir())
    lock = _stale_lock(fault_ws)
    for args in (("new", "--title", "Locked"), ("import", str(word), "--title", "Lock import")):
        done = cli(fault_ws.root, *args)
        assert done.returncode == 2 and "lock file" in done.stderr, done
        assert sorted(p.name for p in (fault_ws.root / "guidelines").iterdir()) == before
    lock.unlink()
    for args, slug in ((("new", "--title", "Locked"), "locked"), (("import", str(word), "--title", "Lock import"), "lock-import")):
        done = cli(fault_ws.root, *args)
        assert done.returncode == 0 and done.stdout.startswith(f"{slug}\t"), done
    assert sorted(p.name for p in (fault_ws.root / "guidelines").iterdir()) == sorted([*before, "locked.md", "lock-import.md"])
    assert fault_ws.uncommitted_documents() == []


def test_an_acknowledgements_import_that_fails_on_a_lock_leaves_nothing_behind(fault_ws, cli, tmp_path):
    """`attest import` wrote the roster, then failed on the lock: the file
    stayed unsaved, and sync refused with advice to save a file that no
    command saves."""
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email,team\nAnn Lee,ann@example.org,Legal\n", encoding="utf-8")
    _stale_lock(fault_ws)
    done = cli(fault_ws.root, "attest", "import", "policy", str(roster))
    assert done.returncode == 2 and "lock file" in done.stderr, done
    status = subprocess.run(["git", "-C", str(fault_ws.root), "status", "--porcelain", "--untracked-files=all"],
                            capture_output=True, text=True).stdout
    assert status == ""
