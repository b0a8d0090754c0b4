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


def test_app_saves_need_no_git_reading_and_the_cache_fills_for_plain_git(workspace, author):
    slug = _new(workspace, author)
    history.set_status(workspace, slug, "in review", author)
    path = statuscache.cache_path(workspace.store, workspace.relpath(slug))
    _same_as_reference(workspace, slug)
    assert not path.exists()  # every revision had a trusted trailer
    _by_hand(workspace, slug, "status: in review", "status: approved")
    _git(workspace, "commit", "-q", "-am", "Approved by hand")
    _by_hand(workspace, slug, "24 hours", "a day")
    _git(workspace, "commit", "-q", "-am", "Wording by hand")
    entries = _same_as_reference(workspace, slug)
    assert [e.status for e in entries] == ["approved", "approved", "in review", "draft"]
    cached = path.read_text(encoding="utf-8")
    assert cached.count("\n") == 3 and "\t+approved\n" in cached and "\t-\n" in cached
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
