"""Exact statuses without reading every revision (issue 16): the trailers of
the app's saves and the cache inside .git/ give the same answer as the
whole-history reading (``history.reference_history``) on repositories with
commits by plain git, amended commits, merges and rebased branches."""

from __future__ import annotations

import datetime as _dt
import os
import random
import subprocess

import pytest

from guidelines_app.core import gitlog, statuscache
from guidelines_app.core.document import Document
from guidelines_app.core.gitstore import Identity
from guidelines_app.review import history

OTHER = Identity("Second Writer", "second@example.org")


def _git(ws, *args: str, check: bool = True) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Plain Git", GIT_AUTHOR_EMAIL="plain@example.org",
               GIT_COMMITTER_NAME="Plain Git", GIT_COMMITTER_EMAIL="plain@example.org")
    done = subprocess.run(["git", *args], cwd=ws.root, env=env, capture_output=True, text=True, check=False)
    if check and done.returncode:
        raise AssertionError(done.stderr)
    return done.stdout


def _new(ws, author, body="# Policy\n\nEvery team member who posts.\n\n## Response time\n\nWe answer within 24 hours.\n"):
    doc = Document.new("Policy", organization="Example Org", body=body, today=_dt.date(2024, 1, 15))
    slug, _ = ws.create_document(doc, author)
    return slug


def _by_hand(ws, slug, old, new):
    path = ws.path(slug)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _same_as_reference(ws, slug):
    fast = history.history(ws, slug, exact_status=True)
    slow = history.reference_history(ws, slug)
    assert [(e.sha, e.status, e.versions, e.status_exact) for e in fast] == \
           [(e.sha, e.status, e.versions, e.status_exact) for e in slow]
    return fast


def test_every_save_carries_status_and_version_trailers(workspace, author):
    slug = _new(workspace, author)
    history.set_status(workspace, slug, "in review", author, "Please review")
    history.publish(workspace, slug, "Approved", "Dana", author)
    ws_text = workspace.load(slug).to_text().replace("24 hours", "12 hours")
    workspace.save_text(slug, ws_text, author, "Faster")
    messages = [r.message for r in workspace.history(slug)]
    assert all("\nGuidelines-Status: " in m and "\nGuidelines-Version: " in m for m in messages)
    newest, published, review, created = messages
    assert "Guidelines-Status: draft (set; " in newest  # editing approved text reopens it
    assert "Guidelines-Status: approved (set; " in published and "Guidelines-Version: 1.0" in published
    assert "Guidelines-Status: in review (set; " in review
    assert "Guidelines-Status: draft (set; " in created  # the first revision adds the line
    # The trailers join the publish commit's own trailer paragraph, so git reads them all as trailers.
    trailers = _git(workspace, "log", "-1", "--skip=1", "--format=%(trailers:only,unfold)")
    assert "Approver: Dana" in trailers and "Guidelines-Version: 1.0" in trailers
    plain = workspace.load(slug).to_text().replace("Every team member", "Each team member")
    workspace.save_text(slug, plain, author, "Wording")
    assert "Guidelines-Status: draft (kept; " in workspace.history(slug, max_count=1)[0].message
    _same_as_reference(workspace, slug)


def test_app_saves_need_no_git_reading_and_the_cache_fills_for_plain_git(workspace, author, tmp_path, monkeypatch):
    slug = _new(workspace, author)
    history.set_status(workspace, slug, "in review", author)
    path = statuscache.cache_path(workspace.store, workspace.relpath(slug))
    trace = tmp_path / "git-trace.txt"
    monkeypatch.setenv("GIT_TRACE", str(trace))  # every git command run, as git itself writes them
    assert [e.status for e in history.history(workspace, slug, exact_status=True)] == ["in review", "draft"]
    assert trace.exists() and "trace: built-in: git log" in trace.read_text(encoding="utf-8")
    assert f"-G{gitlog.STATUS_PATTERN}" not in trace.read_text(encoding="utf-8")  # every revision had a trusted trailer
    monkeypatch.delenv("GIT_TRACE")
    # What the trailers said is kept (a listing looks it up, not the trailers again).
    assert path.read_text(encoding="utf-8").count("\n") == 3  # the header and both app saves
    _same_as_reference(workspace, slug)
    _by_hand(workspace, slug, "status: in review", "status: approved")
    _git(workspace, "commit", "-q", "-am", "Approved by hand")
    _by_hand(workspace, slug, "24 hours", "a day")
    _git(workspace, "commit", "-q", "-am", "Wording by hand")
    entries = _same_as_reference(workspace, slug)
    assert [e.status for e in entries] == ["approved", "approved", "in review", "draft"]
    cached = path.read_text(encoding="utf-8")
    assert cached.count("\n") == 5 and "\t+approved\n" in cached and "\t-\n" in cached
    # Asked again, the answer comes from the cache (a planted wrong entry shows it is read, not git).
    relpath = workspace.relpath(slug)
    newest = workspace.history(slug, max_count=1)[0].sha
    path.write_text(cached.replace(f"{newest}\t-", f"{newest}\t+planted"), encoding="utf-8")
    changes = statuscache.status_changes(workspace.store, relpath, gitlog.log_entries(workspace.store, relpath, "x"))
    assert list(changes.values()) == ["planted", "approved", "in review", "draft"]
    # A damaged or missing cache is rebuilt on demand, with the same answer.
    path.write_text("garbage\n", encoding="utf-8")
    _same_as_reference(workspace, slug)
    assert path.read_text(encoding="utf-8").startswith("guidelines status cache 1\t")
    path.unlink()
    assert [e.status for e in _same_as_reference(workspace, slug)] == ["approved", "approved", "in review", "draft"]


def test_amended_commits_are_not_taken_at_their_trailers_word(workspace, author):
    slug = _new(workspace, author)
    text = workspace.load(slug).to_text().replace("24 hours", "12 hours")
    workspace.save_text(slug, text, author, "Faster")  # trailer: status kept
    # Amended by plain git, within the same second: the status changes, the message (and trailer) stays.
    _by_hand(workspace, slug, "status: draft", "status: approved")
    _git(workspace, "commit", "-q", "-a", "--amend", "--no-edit")
    assert "(kept; " in workspace.history(slug, max_count=1)[0].message
    assert _same_as_reference(workspace, slug)[0].status == "approved"
    # And the other way round: a save that set the status, amended to keep it after all.
    history.set_status(workspace, slug, "in review", author)
    _by_hand(workspace, slug, "status: in review", "status: approved")
    _by_hand(workspace, slug, "12 hours", "6 hours")
    _git(workspace, "commit", "-q", "-a", "--amend", "--no-edit")
    assert "in review (set; " in workspace.history(slug, max_count=1)[0].message
    # The reference still reads the message's own 'Status: in review' line; what matters is agreeing with it.
    assert _same_as_reference(workspace, slug)[0].status == "in review"


def test_merges_and_rebased_branches_match_the_reference(workspace, author):
    slug = _new(workspace, author)
    base = _git(workspace, "rev-parse", "HEAD").strip()
    _git(workspace, "checkout", "-q", "-b", "side")
    history.set_status(workspace, slug, "in review", author)
    workspace.save_text(slug, workspace.load(slug).to_text().replace("24 hours", "8 hours"), author, "Side edit")
    _git(workspace, "checkout", "-q", "main")
    workspace.save_text(slug, workspace.load(slug).to_text().replace("Every team", "Each team"), OTHER, "Main edit")
    history.set_status(workspace, slug, "approved", OTHER)
    _git(workspace, "merge", "-q", "side", "-m", "Merge side", check=False)  # a conflict on the status line
    _by_hand(workspace, slug, "<<<<<<< HEAD\nstatus: approved\n=======\nstatus: in review\n>>>>>>> side\n",
             "status: in review\n")
    _git(workspace, "commit", "-q", "-a", "--no-edit")
    assert len(_git(workspace, "rev-list", "--merges", "HEAD").split()) == 1
    _same_as_reference(workspace, slug)
    # A branch rebased onto a base whose status changed: its trailers describe other blobs now.
    _git(workspace, "checkout", "-q", "-b", "topic", base)
    workspace.save_text(slug, workspace.load(slug).to_text().replace("24 hours", "2 hours"), author, "Topic edit")
    history.set_status(workspace, slug, "in review", author)
    _git(workspace, "rebase", "-q", "main", check=False)
    if _git(workspace, "status", "--porcelain").strip():  # conflicts: keep the topic's text
        _git(workspace, "checkout", "--theirs", "--", workspace.relpath(slug))
        _git(workspace, "add", "--", workspace.relpath(slug))
        subprocess.run(["git", "-c", "core.editor=true", "rebase", "--continue"], cwd=workspace.root,
                       capture_output=True, check=False)
    _same_as_reference(workspace, slug)


def test_odd_status_lines_match_the_reference(workspace, author):
    slug = _new(workspace, author, body="# Policy\n\nstatus: of this text is a body line.\n\nMore.\n")
    _same_as_reference(workspace, slug)
    _by_hand(workspace, slug, "status: of this text", "status: 'approved' is a body line")
    _git(workspace, "commit", "-q", "-am", "Body line")
    _by_hand(workspace, slug, "status: draft\n", "")
    _git(workspace, "commit", "-q", "-am", "No status line")
    _by_hand(workspace, slug, "title: Policy\n", "title: Policy\nstatus: \"In Review\"\n")
    _git(workspace, "commit", "-q", "-am", "Quoted")
    text = workspace.load(slug).to_text().replace("More.", "More and more.")
    workspace.save_text(slug, text, author, "App save over odd lines")
    _same_as_reference(workspace, slug)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_histories_match_the_reference(workspace, author, seed):
    rng = random.Random(seed)
    slug = _new(workspace, author)
    for n in range(30):
        roll = rng.random()
        if roll < 0.25:
            history.set_status(workspace, slug, rng.choice(["draft", "in review", "approved"]), author)
        elif roll < 0.45:
            _by_hand(workspace, slug, "\nstatus: ", f"\nstatus: {rng.choice(['draft', 'approved', 'odd'])}\n# was: ")
            _git(workspace, "commit", "-q", "-am", f"By hand {n}")
            text = workspace.path(slug).read_text(encoding="utf-8").replace("\n# was: ", "\nx_was: ")
            workspace.path(slug).write_text(text, encoding="utf-8")
            _git(workspace, "commit", "-q", "-am", f"Tidy {n}")
        elif roll < 0.55:
            _git(workspace, "commit", "-q", "--amend", "-m", f"Reworded {n}")
        elif roll < 0.65 and "approved" not in workspace.load(slug).status:
            history.publish(workspace, slug, f"Version {n}", "Dana", author, override_reason="test")
        else:
            text = workspace.load(slug).to_text()
            workspace.save_text(slug, text.replace("Every team member", f"Team member {n}")
                                .replace("Team member", "Every team member") + f"\nLine {n}.\n", author, f"Edit {n}")
    _same_as_reference(workspace, slug)


def test_the_log_with_blobs_reads_as_the_plain_log(workspace, author):
    slug = _new(workspace, author)
    history.publish(workspace, slug, "First", "Dana", author, override_reason="test")
    _by_hand(workspace, slug, "24 hours", "a day")
    _git(workspace, "commit", "-q", "-am", "By hand\n\nwith a body")
    relpath, prefix = workspace.relpath(slug), f"{slug}"
    entries = gitlog.log_entries(workspace.store, relpath, prefix)
    assert [(e.revision, e.tags) for e in entries] == workspace.store.log_with_tags(relpath, prefix)
    assert all(e.blobs and len(e.blobs[1]) == 40 for e in entries) and entries[-1].blobs[0] == "0" * 40
    # A message holding the log's separator: read the slow way, the same answer.
    _by_hand(workspace, slug, "a day", "two days")
    _git(workspace, "commit", "-q", "-am", "Odd \x1f message")
    assert gitlog.log_entries(workspace.store, relpath, prefix) is None
    assert [e.status for e in _same_as_reference(workspace, slug)][:2] == ["approved", "approved"]


def test_a_budget_of_unknown_commits_gives_the_quick_listing(workspace, author):
    slug = _new(workspace, author)
    history.set_status(workspace, slug, "in review", author)
    assert all(e.status_exact for e in history.history(workspace, slug, exact_status=True, most_unknown=0))
    _by_hand(workspace, slug, "status: in review", "status: approved")
    _git(workspace, "commit", "-q", "-am", "By hand")
    quick = history.history(workspace, slug, exact_status=True, most_unknown=0)
    assert not any(e.status_exact for e in quick)  # one commit to read: over the budget of none
    assert [e.status for e in history.history(workspace, slug, exact_status=True, most_unknown=1)] == \
           ["approved", "in review", "draft"]
    # Read once, it is cached: no longer unknown.
    assert all(e.status_exact for e in history.history(workspace, slug, exact_status=True, most_unknown=0))


_LINES = ["---", "status: draft", "status: approved", "status: draft ", "title: Policy", "", "Text.", "More text."]


def _git_status_change(tmp_path, old: bytes, new: bytes) -> str | None:
    """What git's own diff (the one the trailers are written from) does to the status line."""
    (tmp_path / "old.md").write_bytes(old)
    (tmp_path / "new.md").write_bytes(new)
    done = subprocess.run(["git", "diff", "--no-index", "--unified=0", "--no-color", gitlog.STATUS_DIFF, "old.md", "new.md"],
                          cwd=tmp_path, capture_output=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    return gitlog.status_value(done.stdout.decode("utf-8").split("\n"))


@pytest.mark.parametrize("seed", range(4))
def test_a_save_asks_git_for_no_diff_only_when_git_would_touch_no_status_line(tmp_path, seed):
    """``_may_touch_status`` says False only where git's diff leaves every
    status line alone: random texts of few distinct lines (so git's diff
    slides its changes along equal lines), random edits."""
    rng = random.Random(seed)
    skipped = 0
    for _ in range(60):
        old = [rng.choice(_LINES) for _ in range(rng.randint(0, 14))]
        new = list(old)
        for _ in range(rng.randint(1, 3)):
            at = rng.randint(0, len(new))
            kind = rng.random()
            if kind < 0.4 or not new[at:]:
                new[at:at] = [rng.choice(_LINES) for _ in range(rng.randint(1, 3))]
            elif kind < 0.7:
                del new[at:at + rng.randint(1, 2)]
            else:
                new[at] = rng.choice(_LINES)
        end_old, end_new = rng.choice(["\n", ""]), rng.choice(["\n", ""])
        old_bytes = ("\n".join(old) + end_old if old else "").encode()
        new_bytes = ("\n".join(new) + end_new if new else "").encode()
        if not statuscache._may_touch_status(old_bytes, new_bytes):
            skipped += 1
            assert _git_status_change(tmp_path, old_bytes, new_bytes) is None, (old_bytes, new_bytes)
    assert skipped > 5  # the shortcut was tried on enough pairs to mean something


def test_the_diff_is_skipped_only_where_nothing_near_a_status_line_changed():
    head = b"---\ntitle: Policy\nstatus: draft\n---\n# Policy\n\n" + b"Text.\n" * 3000
    body_edit = head.replace(b"Text.\n", b"Text!\n", 1)[:-6] + b"Tail.\n"
    assert not statuscache._may_touch_status(head, body_edit)
    assert statuscache._may_touch_status(head, head.replace(b"draft", b"approved"))
    assert statuscache._may_touch_status(head, head + b"status: approved\n")  # a body line git reads as one too
    assert statuscache._may_touch_status(b"status: draft", b"status: draft\n")  # the last line's end added


def test_statuses_ignore_a_users_preferred_diff_algorithm(workspace, author):
    """The trailers are written, and other commits read, with git's default
    line diff whatever ``diff.algorithm`` says (it changes which lines a
    diff marks, and so what a revision did to the status line)."""
    _git(workspace, "config", "diff.algorithm", "histogram")
    slug = _new(workspace, author)
    for n, status in enumerate(["in review", "approved", "draft"]):
        history.set_status(workspace, slug, status, author)
        text = workspace.load(slug).to_text()
        workspace.save_text(slug, text + f"\nstatus: line {n} of the body\n", author, f"Edit {n}")
        _by_hand(workspace, slug, "\nstatus: ", "\nstatus: approved\nx_was: ")
        _git(workspace, "commit", "-q", "-am", f"By hand {n}")
    _same_as_reference(workspace, slug)
