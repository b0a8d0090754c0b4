"""``guidelines remote|clone|sync|resolve``: two people on two workspaces,
run as a user would (a fresh process per command)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from team_helpers import ANA, BO, edit, git, shared_pair

from guidelines_app.core import remotes, sync, sync_names
from guidelines_app.core.conflicts import OURS, THEIRS

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _strict(monkeypatch, config_dir):
    monkeypatch.setenv("GUIDELINES_CLI_STRICT", "1")  # no case may reach the CLI's last-resort handler


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run([sys.executable, "-m", "guidelines_app.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _person(root: Path, name: str) -> None:
    git(root, "config", "user.name", name)
    git(root, "config", "user.email", f"{name.split()[0].lower()}@example.org")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def people(tmp_path):
    """Ana's workspace (one document, sent) and Bo's clone, through the CLI."""
    bare = remotes.create_bare(tmp_path / "shared.git")
    ana, bo = tmp_path / "ana", tmp_path / "bo"
    ana.mkdir()
    assert run(ana, "init").returncode == 0
    _person(ana, "Ana Centre")
    assert run(ana, "new", "--title", "Policy", "--slug", "policy").returncode == 0
    (ana / "guidelines" / "policy.md").write_text(
        (ana / "guidelines" / "policy.md").read_text(encoding="utf-8") + "\n## Scope\n\nAll staff.\n", encoding="utf-8")
    assert run(ana, "save", "policy", "-m", "Add scope").returncode == 0
    added = run(ana, "remote", "add", "origin", bare)
    assert added.returncode == 0, added.stderr
    listed = run(ana, "remote", "list")
    assert listed.stdout == f"origin\t{bare}\n"
    assert run(ana, "sync").returncode == 0
    cloned = run(tmp_path, "clone", bare, "bo")
    assert cloned.returncode == 0, cloned.stderr
    assert "1 document" in cloned.stdout
    _person(bo, "Bo Spoke")
    return ana, bo


def test_sync_without_conflict_and_the_history_shows_who_did_what(people):
    ana, bo = people
    _replace(bo / "guidelines" / "policy.md", "All staff.", "All staff and contractors.")
    assert run(bo, "save", "policy").returncode == 0
    sent = run(bo, "sync")
    assert sent.returncode == 0 and "Synced with origin: sent" in sent.stdout
    received = run(ana, "sync")
    assert received.returncode == 0, received.stderr
    assert "received\tpolicy\tBo Spoke" in received.stdout
    assert "contractors" in (ana / "guidelines" / "policy.md").read_text(encoding="utf-8")
    assert git(ana, "log", "-2", "--format=%an").split("\n")[:2] == ["Bo Spoke", "Ana Centre"]


def test_a_conflict_exits_3_with_the_list_then_resolve_and_abort(people):
    ana, bo = people
    _replace(ana / "guidelines" / "policy.md", "All staff.", "Every employee.")
    assert run(ana, "save", "policy").returncode == 0
    assert run(ana, "sync").returncode == 0
    _replace(bo / "guidelines" / "policy.md", "All staff.", "Staff in every country.")
    assert run(bo, "save", "policy").returncode == 0
    head = git(bo, "rev-parse", "HEAD")
    conflicted = run(bo, "sync")
    assert conflicted.returncode == 3
    assert conflicted.stdout == "conflict\tpolicy\tSection “Scope”\n"
    assert conflicted.stderr.startswith("1 conflict needs a decision;")  # (it said "1 conflict(s) need")
    assert "guidelines resolve DOC --take ours|theirs" in conflicted.stderr
    aborted = run(bo, "sync", "--abort")
    assert aborted.returncode == 0 and git(bo, "rev-parse", "HEAD") == head
    assert run(bo, "sync").returncode == 3
    wrong = run(bo, "resolve", "nothing", "--take", "ours")
    assert wrong.returncode == 2 and "has no conflicts" in wrong.stderr
    resolved = run(bo, "resolve", "policy", "--take", "theirs")
    assert resolved.returncode == 0, resolved.stderr
    assert "merge revision" in resolved.stdout
    assert "Every employee." in (bo / "guidelines" / "policy.md").read_text(encoding="utf-8")
    assert run(bo, "sync").returncode == 0
    assert run(ana, "sync").returncode == 0
    assert git(ana, "rev-parse", "HEAD") == git(bo, "rev-parse", "HEAD")


@pytest.mark.parametrize("url", ["ext::sh -c touch% {marker}", "--upload-pack=touch {marker}",
                                 "-oProxyCommand=touch {marker}"])
def test_refused_urls_on_the_command_line_never_run_anything(tmp_path, url):
    marker = tmp_path / "pwned"
    ws = tmp_path / "ws"
    ws.mkdir()
    assert run(ws, "init").returncode == 0
    url = url.format(marker=marker)
    added = run(ws, "remote", "add", "origin", "--", url) if url.startswith("-") else run(ws, "remote", "add", "origin", url)
    assert added.returncode == 2 and "cannot be used as a shared copy" in added.stderr
    cloned = run(tmp_path, "clone", "--", url, "copy") if url.startswith("-") else run(tmp_path, "clone", url, "copy")
    assert cloned.returncode == 2 and "cannot be used as a shared copy" in cloned.stderr
    assert not marker.exists() and not (tmp_path / "copy").exists()
    assert run(ws, "remote", "list").stdout == ""


@pytest.mark.parametrize("name, why", [("a..b", "it holds '..'"), ("x.", "ends with '.lock' or '.'"),
                                       (".x", "starting with a letter or digit"), ("n" * 300, "longer than 63")])
def test_a_shared_copy_name_git_cannot_use_is_refused_with_its_rule(tmp_path, name, why):
    """`remote add a..b` was taken; then every sync failed on git's "invalid
    refspec", and `remote remove a..b` too: only editing git's config by hand undid it."""
    ws = tmp_path / "ws"
    ws.mkdir()
    assert run(ws, "init").returncode == 0
    bare = remotes.create_bare(tmp_path / "s.git")
    added = run(ws, "remote", "add", name, bare)
    assert added.returncode == 2 and why in added.stderr and added.stderr.count("\n") == 1, added.stderr
    assert run(ws, "remote", "list").stdout == ""
    assert subprocess.run(["git", "-C", str(ws), "config", "--get-regexp", "^remote\\."], capture_output=True).stdout == b""


def test_remote_remove_and_sync_without_remote(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    assert run(ws, "init").returncode == 0
    bare = remotes.create_bare(tmp_path / "s.git")
    assert run(ws, "remote", "add", "team", bare).returncode == 0
    assert run(ws, "remote", "remove", "team").returncode == 0
    assert run(ws, "remote", "list").stdout == ""
    lonely = run(ws, "sync")
    assert lonely.returncode == 2 and "guidelines remote add origin URL" in lonely.stderr


def test_sync_names_the_conflicts_to_decide_again(tmp_path):
    """Decided in the app, then the section rewritten by a revision saved
    meanwhile: the CLI lists it as a conflict again and says why."""
    wa, wb, _url = shared_pair(tmp_path)
    try:
        edit(wa, ANA, "These guidelines cover all staff.", "These guidelines cover every employee.")
        edit(wa, ANA, "Be kind and accurate.", "Be kind.")
        sync.sync(wa, ANA)
        edit(wb, BO, "These guidelines cover all staff.", "These guidelines cover staff in every country.")
        edit(wb, BO, "Be kind and accurate.", "Be accurate.")
        git(wb.root, "config", "user.name", BO.name)  # (the CLI's author: Bo)
        git(wb.root, "config", "user.email", BO.email)
        first = run(wb.root, "sync")
        assert first.returncode == 3 and first.stdout.count("conflict\t") == 2
        assert "Decide again" not in first.stderr  # (nothing decided yet)
        scope, tone = sorted(sync.pending(wb).open_conflicts(), key=lambda c: c.label)
        sync.choose(wb, scope, THEIRS)
        sync.choose(wb, tone, OURS)
        edit(wb, BO, "These guidelines cover staff in every country.", "These guidelines cover staff and volunteers.")
        again = run(wb.root, "sync")
        assert again.returncode == 3
        assert again.stdout == f"conflict\t{sync_names.shown(scope.path)}\tSection “Scope”\n"
        # (named by the document's title, as the app and the core's messages name it; the line above, for scripts
        # and 'resolve DOC', by the name resolve takes)
        assert "then changed by revisions saved since: section “Scope” in “Social media guidelines”. Decide again" in again.stderr
        done = run(wb.root, "resolve", "social", "--take", "ours")
        assert done.returncode == 0, done.stderr
        assert "staff and volunteers" in wb.path("social").read_text(encoding="utf-8")
    finally:
        wa.close()
        wb.close()
