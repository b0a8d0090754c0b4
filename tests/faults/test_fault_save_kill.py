"""A save killed (SIGKILL) at a random moment, many times over: between the
write and the commit, in the middle of the write, in the middle of git.  The
file is never half-written, the next open cleans up and notices what was
written but not committed, saving it makes a revision named for what it is,
and in the end every text whose write completed is in the history."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from guidelines_app.core.workspace import RECOVERED_MESSAGE, Workspace

ROUNDS = 32


def _git_running_in(root) -> bool:
    """A process working in the workspace (Linux /proc): the killed save's
    git command, also while it is still starting (before it becomes git)."""
    me = str(os.getpid())
    for entry in os.listdir("/proc"):
        if entry.isdigit() and entry != me:
            try:
                if os.readlink(f"/proc/{entry}/cwd") == os.path.realpath(root):
                    return True
            except OSError:
                continue
    return False


def _group_running(group: int) -> bool:
    """A process of *group* still runs (a zombie waiting to be reaped does not count)."""
    if not os.path.isdir("/proc/self"):
        try:
            os.killpg(group, 0)
            return True
        except ProcessLookupError:
            return False
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] not in "ZX" and int(fields[2]) == group:  # state, then ppid, then pgrp
                return True
    return False


def _wait_for_git(root, group: int | None = None, timeout: float = 30.0) -> None:
    """A killed save's git command runs on to its end: let it finish.

    *group*: the killed save's process group.  Every process it started is
    in it, also one forked an instant before the kill that has not yet moved
    into the workspace folder or become git (the folder test below cannot
    see that one; it then commits after the test has looked)."""
    lock = root / ".git" / "index.lock"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = lock.exists() or (os.path.isdir("/proc/self") and _git_running_in(root))
        if group is not None and not busy:
            busy = _group_running(group)
        if not busy:
            return
        time.sleep(0.01)


def _save_in_child(root, text: str, author, message: str) -> int:
    """Fork a process that saves *text* as the app does (write, then commit)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.setpgid(0, 0)  # a group of its own: the test waits for everything it started
            with Workspace.open(root) as ws:
                ws.save_text("policy", text, author, message)
            code = 0
        finally:
            os._exit(code)
    return pid


def _history_texts(ws) -> dict[str, str]:
    """Every committed text of 'policy' -> the first line of its revision's message."""
    return {ws.read_at("policy", rev.sha): rev.subject for rev in reversed(ws.history("policy"))}


def test_saves_killed_at_random_moments_lose_nothing(fault_ws, author, cli, fsck_clean):
    root, rng = fault_ws.root, random.Random(1010)
    fault_ws.close()
    base = fault_ws.path("policy").read_text(encoding="utf-8")
    # How long one save takes here: the kills land anywhere inside it.
    started = time.monotonic()
    pid = _save_in_child(root, base + "\nWarm-up.\n", author, "Warm-up")
    while (waited := os.waitpid(pid, os.WNOHANG)) == (0, 0):  # never wait forever on a stuck child
        if time.monotonic() - started > 30:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError("a save took more than 30 seconds")
        time.sleep(0.005)
    assert waited[1] == 0, "the warm-up save failed"
    span = time.monotonic() - started
    completed, interrupted, noted = [base + "\nWarm-up.\n"], set(), False
    for n in range(ROUNDS):
        text = base + "".join(f"\nParagraph {k} typed in round {k}.\n" for k in range(n + 1))
        before = fault_ws.path("policy").read_bytes()
        pid = _save_in_child(root, text, author, f"Round {n}")
        time.sleep(rng.uniform(0, span * 1.1))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert not (os.WIFEXITED(status) and os.WEXITSTATUS(status) != 0), f"round {n}: the save failed by itself"
        _wait_for_git(root, pid)
        on_disk = fault_ws.path("policy").read_bytes()
        assert on_disk in (before, text.encode()), f"round {n}: a half-written file"
        if on_disk == text.encode():
            completed.append(text)
        with Workspace.open(root) as ws:  # cleans up the temp file of a killed write
            assert list((root / "guidelines").glob(".*.tmp")) == []
            pending = ws.uncommitted_documents()
            if pending:
                assert pending == ["policy"] and ws.committed_text("policy") != on_disk.decode()
                interrupted.add(on_disk.decode())
            if pending and not noted:  # the CLI says so, once: it costs a process start
                note = cli(root, "list")
                assert "note: policy has changes that are not saved as a revision" in note.stderr
                assert "guidelines save policy" in note.stderr
                saved = cli(root, "save", "policy")
                assert saved.returncode == 0 and f"\t{RECOVERED_MESSAGE}: " in saved.stdout, saved
                noted = True
            elif pending and n % 2:
                assert ws.commit_recovered("policy", author).message == RECOVERED_MESSAGE
            # On the other rounds the next save finds the change and commits it first.
    assert len(interrupted) >= 3, f"only {len(interrupted)} kills landed between the write and the commit; tune the delays"
    with Workspace.open(root) as ws:
        if ws.uncommitted_documents():
            ws.commit_recovered("policy", author)
        history = _history_texts(ws)
        head = ws.committed_text("policy")
    assert head == fault_ws.path("policy").read_text(encoding="utf-8")
    missing = [n for n, text in enumerate(completed) if text not in history]
    assert missing == [], f"texts that were written but are in no revision: {missing}"
    # Each text a kill left uncommitted became its own revision, named for what it is.
    assert {history[text].split(":")[0] for text in interrupted} == {RECOVERED_MESSAGE}
    assert fsck_clean(root)


def test_cli_saves_killed_at_random_moments(fault_ws, author, cli, cli_env, fsck_clean):
    """`guidelines save DOC` killed while it commits an outside edit."""
    root, rng = fault_ws.root, random.Random(77)
    fault_ws.close()
    path = fault_ws.path("policy")
    edits = []
    for n in range(5):
        edits.append(path.read_text(encoding="utf-8") + f"\nOutside edit {n}.\n")
        path.write_text(edits[-1], encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "guidelines_app.cli", "save", "policy", "-m", f"Edit {n}"],
                                cwd=root, env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)  # its own process group (see _wait_for_git)
        time.sleep(rng.uniform(0.15, 0.6))
        proc.kill()
        proc.wait()
        _wait_for_git(root, proc.pid)
        assert path.read_text(encoding="utf-8") == edits[-1]
    done = cli(root, "save", "policy")
    assert done.returncode == 0 and "note:" not in done.stderr
    with Workspace.open(root) as ws:
        assert ws.uncommitted_documents() == [] and ws.committed_text("policy") == edits[-1]
        history = _history_texts(ws)
    assert edits[-1] in history
    assert fsck_clean(root)
