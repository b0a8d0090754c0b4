"""Faults of team sync: the network drops in the middle of a fetch (the
git daemon is killed while serving it), a push is refused (someone pushed
first, every time; or the host's rules refuse it).  Each time: a plain
message, no local revision or file lost, no half-done state left, and the
next sync works."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/team_helpers.py

from team_helpers import ANA, BO, GitDaemon, daemon_missing, edit, shared_pair  # noqa: E402

from guidelines_app.core import remotes, sync  # noqa: E402
from guidelines_app.core.errors import PushRejected, RemoteUnreachable  # noqa: E402


def _state(ws, git) -> tuple[str, str, bytes]:
    return git(ws.root, "rev-parse", "HEAD"), git(ws.root, "status", "--porcelain"), ws.path("social").read_bytes()


@pytest.fixture
def daemon_base(tmp_path):
    reason = daemon_missing()
    if reason:
        pytest.skip(reason)
    base = tmp_path / "shared"
    base.mkdir()
    return base


def test_the_network_drops_in_the_middle_of_a_fetch(tmp_path, daemon_base, git, fsck_clean, cli, cli_env):
    remotes.create_bare(daemon_base / "guidelines.git")
    with GitDaemon(daemon_base) as first:
        wa, wb, _url = shared_pair(tmp_path / "w", first.url("guidelines.git"))
    try:
        edit(wb, BO, "Be kind and accurate.", "Be kind, accurate and quick.")
        remotes.set_url(wb.store, "origin", str(daemon_base / "guidelines.git"))  # the daemon is down now
        sync.sync(wb, BO)
        edit(wa, ANA, "Intro for everyone.", "Intro, by Ana.")
        before = _state(wa, git)
        # A daemon whose access hook says "started" and then stalls: the fetch
        # has connected and asked for the repository when the daemon dies.
        started = tmp_path / "started"
        hook = tmp_path / "hook.sh"
        hook.write_text(f"#!/bin/sh\ntouch '{started}'\nsleep 30\n")
        hook.chmod(0o755)
        stalled = GitDaemon(daemon_base)
        stalled.extra = [f"--access-hook={hook}"]
        stalled.start()
        remotes.set_url(wa.store, "origin", stalled.url("guidelines.git"))
        import threading

        caught: list[BaseException] = []

        def run():
            try:
                from guidelines_app.core.workspace import Workspace

                with Workspace.open(wa.root) as ws:
                    sync.sync(ws, ANA)
            except BaseException as exc:  # noqa: BLE001 - inspected below
                caught.append(exc)

        worker = threading.Thread(target=run)
        worker.start()
        deadline = time.monotonic() + 20
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert started.exists(), "the fetch never reached the daemon"
        os.killpg(stalled.process.pid, signal.SIGKILL)  # the daemon and everything it started
        stalled.process.wait(timeout=10)
        worker.join(timeout=60)
        assert not worker.is_alive()
        assert len(caught) == 1 and isinstance(caught[0], RemoteUnreachable), caught
        message = str(caught[0])
        assert "cannot be reached" in message and "untouched" in message
        assert _state(wa, git) == before
        assert sync.pending(wa) is None and fsck_clean(wa.root)
        # The CLI says the same in one line, without a traceback.
        git(wa.root, "config", "user.name", ANA.name)
        git(wa.root, "config", "user.email", ANA.email)
        done = cli(wa.root, "sync", env=cli_env(GUIDELINES_CONFIG_DIR=str(tmp_path / "cfg")))
        assert done.returncode == 2 and "cannot be reached" in done.stderr
        # The connection is back: the next sync brings Bo's revision in and sends Ana's.
        with GitDaemon(daemon_base) as back:
            remotes.set_url(wa.store, "origin", back.url("guidelines.git"))
            assert sync.sync(wa, ANA).outcome == sync.MERGED
        text = wa.path("social").read_text(encoding="utf-8")
        assert "Intro, by Ana." in text and "accurate and quick." in text
    finally:
        wa.close()
        wb.close()


def test_a_push_refused_every_time_keeps_local_work(tmp_path, git, fsck_clean):
    wa, wb, _url = shared_pair(tmp_path)
    try:
        edit(wa, ANA, "Ask the press office.", "Ask the press office first.")
        before_head = git(wa.root, "rev-parse", "HEAD").strip()
        rounds = [0]

        def colleague_always_first(done, _total):
            if done == 2:
                rounds[0] += 1
                edit(wb, BO, "Intro", f"Intro {rounds[0]}")
                sync.sync(wb, BO)

        with pytest.raises(PushRejected, match="colleagues sent theirs") as caught:
            sync.sync(wa, ANA, progress=colleague_always_first)
        assert rounds[0] == 2  # tried, brought theirs in, tried once more
        assert caught.value.remedy is not None
        git(wa.root, "merge-base", "--is-ancestor", before_head, "HEAD")
        assert "press office first." in wa.path("social").read_text(encoding="utf-8")
        assert git(wa.root, "status", "--porcelain") == "" and fsck_clean(wa.root)
        assert sync.sync(wa, ANA).outcome in (sync.MERGED, sync.SENT)
    finally:
        wa.close()
        wb.close()


def test_a_push_the_hosts_rules_refuse_is_not_retried(tmp_path, git, fsck_clean):
    wa, wb, url = shared_pair(tmp_path)
    try:
        hook = Path(url) / "hooks" / "pre-receive"
        hook.write_text("#!/bin/sh\necho 'main is protected' >&2\nexit 1\n")
        hook.chmod(0o755)
        edit(wa, ANA, "Ask the press office.", "Ask the press office first.")
        head = git(wa.root, "rev-parse", "HEAD")
        with pytest.raises(PushRejected, match="refused your revisions") as caught:
            sync.sync(wa, ANA)
        assert "its rules" in str(caught.value) and caught.value.someone_first is False
        assert git(wa.root, "rev-parse", "HEAD") == head and fsck_clean(wa.root)
    finally:
        wa.close()
        wb.close()
