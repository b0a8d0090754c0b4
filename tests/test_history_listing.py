"""The history listing in one git process (issue 16): sign-offs read from the
log's own notes, the log read while git writes it, the newest text's
presence read from the object store, and commits by plain git arriving after
the status cache, each checked against the slower readings (real git
repositories in tmp folders)."""

from __future__ import annotations

import datetime as _dt
import os
import subprocess

import pytest

from guidelines_app.core import gitlog, statuscache
from guidelines_app.core.document import Document
from guidelines_app.core.errors import RepositoryDamaged
from guidelines_app.review import history, signoff

BODY = "# Posting policy\n\n## Scope\n\nEveryone who posts for us follows these guidelines.\n"


def _git(ws, *args: str, check: bool = True) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Plain Git", GIT_AUTHOR_EMAIL="plain@example.org",
               GIT_COMMITTER_NAME="Plain Git", GIT_COMMITTER_EMAIL="plain@example.org")
    done = subprocess.run(["git", *args], cwd=ws.root, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0 or not check, done.stderr
    return done.stdout if done.returncode == 0 else ""


def _doc(ws, author) -> str:
    slug, _ = ws.create_document(Document.new("Posting policy", body=BODY, today=_dt.date(2024, 1, 15)), author)
    return slug


def _edit(ws, slug, author, n: int) -> str:
    doc = ws.load(slug)
    doc.body += f"\nLine {n}.\n"
    return ws.save_text(slug, doc.to_text(), author, f"Edit {n}").commit


def _listing(entries):
    return [(e.sha, e.status, e.status_exact, e.versions, e.signoffs, e.message) for e in entries]


def test_signoffs_from_the_logs_notes_are_the_signoffs_read_on_their_own(workspace, author):
    slug = _doc(workspace, author)
    reviewers = [signoff.parse_reviewer("Legal=Ann Lee"), signoff.parse_reviewer("HR=Bo Chen")]
    reviewed = signoff.request_review(workspace, slug, reviewers, author)
    signoff.sign_off(workspace, slug, "Ann Lee", "Legal", author, today=_dt.date(2026, 12, 5))
    signoff.sign_off(workspace, slug, "Bo Chen", "HR", author, today=_dt.date(2026, 12, 6))
    _edit(workspace, slug, author, 1)
    # A note naming another document on this document's revision: not one of its sign-offs.
    _git(workspace, "notes", f"--ref={signoff.SIGNOFF_REF}", "append", "-m",
         "Sign-off: Legal\nName: Cy Other\nDate: 2026-12-07\nDocument: another-policy", reviewed)
    together = history.history(workspace, slug, exact_status=True, signoffs=True)
    apart = signoff.attach(workspace, slug, history.history(workspace, slug, exact_status=True))
    assert _listing(together) == _listing(apart)
    assert [e.signoffs for e in together[:2]] == [[], ["Legal: Ann Lee, 2026-12-05", "HR: Bo Chen, 2026-12-06"]]
    assert together[1].sha == reviewed
    # A note holding the log's separator: the slower reading, the same listing.
    _git(workspace, "notes", f"--ref={signoff.SIGNOFF_REF}", "append", "-m", "Comment: odd \x1f text", together[0].sha)
    assert gitlog.log_entries(workspace.store, workspace.relpath(slug), slug, signoff.SIGNOFF_REF) is None
    assert _listing(history.history(workspace, slug, exact_status=True, signoffs=True)) == \
           _listing(signoff.attach(workspace, slug, history.history(workspace, slug, exact_status=True)))


def test_a_workspace_without_signoffs_lists_none(workspace, author):
    slug = _doc(workspace, author)
    _edit(workspace, slug, author, 1)
    entries = history.history(workspace, slug, exact_status=True, signoffs=True)
    assert len(entries) == 2 and all(e.signoffs == [] for e in entries)
    assert all(e.note == "" for e in gitlog.log_entries(workspace.store, workspace.relpath(slug), slug, signoff.SIGNOFF_REF))


def test_a_log_longer_than_a_pipe_reads_as_the_plain_log(workspace, author):
    """Hundreds of kilobytes of log: fields cut across the chunks git writes
    are put together again (compared with the plain reading)."""
    slug = _doc(workspace, author)
    relpath = workspace.relpath(slug)
    head = _git(workspace, "rev-parse", "HEAD").strip()
    text = workspace.path(slug).read_text(encoding="utf-8")
    stream = []
    for n in range(1, 121):
        data = (text + f"\nLine {n}.\n").encode()
        message = (f"Edit {n} ü\n\n" + f"Paragraph {n} of a long message, with ünïcode. " * 60 + "\n").encode()
        stream.append(b"commit refs/heads/main\nmark :%d\ncommitter Plain Git <plain@example.org> %d +0100\n"
                      b"data %d\n%s\n" % (n, 1_700_000_000 + n, len(message), message))
        stream.append((f"from {head}\n" if n == 1 else f"from :{n - 1}\n").encode())
        stream.append(f"M 100644 inline {relpath}\ndata {len(data)}\n".encode() + data + b"\n")
    done = subprocess.run(["git", "fast-import", "--quiet"], cwd=workspace.root, input=b"".join(stream),
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    _git(workspace, "reset", "-q", "--hard", "main")
    entries = gitlog.log_entries(workspace.store, relpath, slug, signoff.SIGNOFF_REF)
    assert len(entries) == 121
    assert [(e.revision, e.tags) for e in entries] == workspace.store.log_with_tags(relpath, slug)
    assert all(e.blobs and len(e.blobs[1]) == 40 for e in entries)
    assert [e.blobs[1] for e in entries[:1]] == [_git(workspace, "rev-parse", f"HEAD:{relpath}").strip()]
    fast = history.history(workspace, slug, exact_status=True)
    slow = history.reference_history(workspace, slug)
    assert [(e.sha, e.status, e.versions) for e in fast] == [(e.sha, e.status, e.versions) for e in slow]


def test_the_newest_text_is_found_loose_or_packed_and_a_missing_one_is_damage(workspace, author):
    slug = _doc(workspace, author)
    relpath = workspace.relpath(slug)
    objects = os.path.join(workspace.store.repo.common_dir, "objects")
    loose = _git(workspace, "rev-parse", f"HEAD:{relpath}").strip()
    assert gitlog._stored(objects, loose)
    _git(workspace, "gc", "-q")
    assert not os.path.exists(os.path.join(objects, loose[:2], loose[2:]))  # now in a pack
    assert gitlog._stored(objects, loose)
    assert not gitlog._stored(objects, "0123456789abcdef" * 2 + "01234567")
    history.history(workspace, slug, exact_status=True)  # readable
    # A newer text saved as a loose object, then lost: git is asked, and says it is missing.
    _edit(workspace, slug, author, 1)
    newest = _git(workspace, "rev-parse", f"HEAD:{relpath}").strip()
    workspace.close()
    os.unlink(os.path.join(objects, newest[:2], newest[2:]))
    assert not gitlog._stored(objects, newest)
    with pytest.raises(RepositoryDamaged, match="is missing"):
        history.history(workspace, slug, exact_status=True)


def test_a_new_workspace_lists_nothing(workspace):
    assert gitlog.log_entries(workspace.store, "guidelines/none.md", "none", signoff.SIGNOFF_REF) == []


def test_commits_by_plain_git_after_the_cache_are_read_then_kept(workspace, author):
    slug = _doc(workspace, author)
    relpath = workspace.relpath(slug)
    path = statuscache.cache_path(workspace.store, relpath)
    workspace.path(slug).write_text(workspace.path(slug).read_text(encoding="utf-8").replace(
        "status: draft", "status: in review"), encoding="utf-8")
    _git(workspace, "commit", "-q", "-am", "In review by hand")
    first = history.history(workspace, slug, exact_status=True, signoffs=True)
    assert [e.status for e in first] == ["in review", "draft"]
    assert path.read_text(encoding="utf-8").count("\n") == 3  # the header, the app's save (its trailer) and the commit by plain git
    # The cache exists; then another tool commits twice (one of them amended).
    workspace.path(slug).write_text(workspace.path(slug).read_text(encoding="utf-8").replace(
        "status: in review", "status: approved"), encoding="utf-8")
    _git(workspace, "commit", "-q", "-am", "Approved by hand")
    _edit(workspace, slug, author, 1)  # an app save on top
    workspace.path(slug).write_text(workspace.path(slug).read_text(encoding="utf-8") + "\nBy hand.\n", encoding="utf-8")
    _git(workspace, "commit", "-q", "--amend", "-a", "--no-edit")  # the app's save amended: its trailer no longer fits
    later = history.history(workspace, slug, exact_status=True, signoffs=True)
    slow = history.reference_history(workspace, slug)
    assert [(e.sha, e.status) for e in later] == [(e.sha, e.status) for e in slow]
    assert [e.status for e in later] == ["draft", "approved", "in review", "draft"]  # the app's edit set it back to draft
    assert all(e.status_exact for e in later)
    assert path.read_text(encoding="utf-8").count("\n") == 5  # the two new commits by other tools were added


def _log(ws, slug):
    entries = gitlog.log_entries(ws.store, ws.relpath(slug), slug, signoff.SIGNOFF_REF)
    return [(e.revision, e.tags, e.blobs, e.note) for e in entries]


def _cached_and_whole(ws, slug):
    """The listing read with the log cache, then read whole (no cache): the same."""
    path = gitlog.log_cache_path(ws.store, ws.relpath(slug))
    assert path.is_file()
    cached = _log(ws, slug)
    path.unlink()
    whole = _log(ws, slug)
    assert cached == whole
    assert path.is_file()  # filled again by the whole reading
    return cached


def test_the_log_cache_gives_the_log_read_whole_after_every_kind_of_change(workspace, author):
    slug = _doc(workspace, author)
    relpath = workspace.relpath(slug)
    path = gitlog.log_cache_path(workspace.store, relpath)
    _edit(workspace, slug, author, 1)
    assert not path.exists()
    first = _log(workspace, slug)
    assert path.read_text(encoding="utf-8").count("\x1e") == 2
    assert _cached_and_whole(workspace, slug) == first
    # A new save: read by git on its own and added at the end of the cache.
    _edit(workspace, slug, author, 2)
    assert len(_log(workspace, slug)) == 3 and path.read_text(encoding="utf-8").count("\x1e") == 3
    _cached_and_whole(workspace, slug)
    # Tags and notes change without a new commit: they come with the walk, never from the cache.
    reviewers = [signoff.parse_reviewer("Legal=Ann Lee")]
    signoff.request_review(workspace, slug, reviewers, author)
    signoff.sign_off(workspace, slug, "Ann Lee", "Legal", author, today=_dt.date(2026, 12, 5))
    assert _cached_and_whole(workspace, slug)[0][3].startswith("Sign-off: Legal")
    history.publish(workspace, slug, "First", "Dana", author, override_reason="test")
    assert _cached_and_whole(workspace, slug)[0][1] == [f"{slug}/v1.0"]
    _git(workspace, "tag", "-d", f"{slug}/v1.0")
    assert _cached_and_whole(workspace, slug)[0][1] == []
    # Another tool amends, rewinds and rebuilds, merges: new commit ids, read by git.
    workspace.path(slug).write_text(workspace.path(slug).read_text(encoding="utf-8") + "\nAmended.\n", encoding="utf-8")
    _git(workspace, "commit", "-q", "--amend", "-a", "-m", "Amended by hand")
    _cached_and_whole(workspace, slug)
    _git(workspace, "reset", "-q", "--hard", "HEAD~2")
    _edit(workspace, slug, author, 3)
    _cached_and_whole(workspace, slug)
    _git(workspace, "checkout", "-q", "-b", "side", "HEAD~1")
    workspace.path(slug).write_text(workspace.path(slug).read_text(encoding="utf-8") + "\nSide.\n", encoding="utf-8")
    _git(workspace, "commit", "-q", "-am", "Side by hand")
    _git(workspace, "checkout", "-q", "main")
    text = workspace.path(slug).read_text(encoding="utf-8")
    if not _git(workspace, "merge", "--no-edit", "side", check=False):  # both sides added at the end: keep both
        workspace.path(slug).write_text(text + "\nSide.\n", encoding="utf-8")
        _git(workspace, "commit", "-q", "-am", "Merge side")
    merged = _cached_and_whole(workspace, slug)
    assert any(blobs is None for _rev, _tags, blobs, _note in merged)  # the merge: no blobs, as the whole log has it
    fast = history.history(workspace, slug, exact_status=True)
    slow = history.reference_history(workspace, slug)
    assert [(e.sha, e.status, e.versions) for e in fast] == [(e.sha, e.status, e.versions) for e in slow]


def test_the_log_cache_is_read_and_a_damaged_one_is_read_again(workspace, author):
    slug = _doc(workspace, author)
    _edit(workspace, slug, author, 1)
    path = gitlog.log_cache_path(workspace.store, workspace.relpath(slug))
    whole = _log(workspace, slug)
    # A planted author shows the cached path reads the cache, not git.
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"\x1f{whole[0][0].author}\x1f", "\x1fPlanted Name\x1f", 1), encoding="utf-8")
    assert _log(workspace, slug)[0][0].author == "Planted Name"
    # A write cut short: the cut record is read by git again, the rest still from the cache.
    path.write_text(text[:-30], encoding="utf-8")
    assert _log(workspace, slug) == whole
    assert path.read_text(encoding="utf-8").count("\x1e") == 2
    # Not a cache at all: the whole log is read and the cache written anew.
    path.write_text("garbage\n", encoding="utf-8")
    assert _log(workspace, slug) == whole
    assert path.read_text(encoding="utf-8").startswith("guidelines log cache 2\t")


def test_a_status_cache_line_cut_short_is_read_by_git_again(workspace, author):
    slug = _doc(workspace, author)
    workspace.path(slug).write_text(workspace.path(slug).read_text(encoding="utf-8").replace(
        "status: draft", "status: approved"), encoding="utf-8")
    _git(workspace, "commit", "-q", "-am", "Approved by hand")
    assert history.history(workspace, slug, exact_status=True)[0].status == "approved"
    path = statuscache.cache_path(workspace.store, workspace.relpath(slug))
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\t+approved\n")
    path.write_text(text[:-len("roved\n")], encoding="utf-8")  # '+app': a write cut short
    assert history.history(workspace, slug, exact_status=True)[0].status == "approved"


def test_answers_are_not_added_after_a_status_cache_line_cut_short(workspace, author):
    # Added after the line cut short, the next answer would join it: one line with a wrong status.
    slug = _doc(workspace, author)
    for old, new in (("status: draft", "status: in review"), ("Posting", "Posting by hand")):
        workspace.path(slug).write_text(workspace.path(slug).read_text(encoding="utf-8").replace(old, new, 1),
                                        encoding="utf-8")
        _git(workspace, "commit", "-q", "-am", f"{new} by hand")
        history.history(workspace, slug, exact_status=True)
        path = statuscache.cache_path(workspace.store, workspace.relpath(slug))
        text = path.read_text(encoding="utf-8")
        path.write_text(text[:-3], encoding="utf-8")  # the last line's end not written
    for _ in range(2):
        fast = history.history(workspace, slug, exact_status=True)
        assert [(e.sha, e.status) for e in fast] == [(e.sha, e.status) for e in history.reference_history(workspace, slug)]
    assert [e.status for e in fast] == ["in review", "in review", "draft"]
    assert path.read_text(encoding="utf-8").endswith("\n") and path.read_text(encoding="utf-8").count("\n") == 4


def test_a_log_cache_mostly_of_commits_gone_is_written_anew(workspace, author):
    slug = _doc(workspace, author)
    _edit(workspace, slug, author, 1)
    path = gitlog.log_cache_path(workspace.store, workspace.relpath(slug))
    whole = _log(workspace, slug)
    text = path.read_text(encoding="utf-8")
    # Records of commits no longer in the history (amended or rebased away long ago).
    gone = "".join(f"{n:040x}\x1f2024-01-15T10:00:00+00:00\x1fGone\x1fgone@example.org\x1f\x1f\x1fGone {n}\x1e\n"
                   for n in range(1, 151))
    path.write_text(text + gone, encoding="utf-8")
    assert _log(workspace, slug) == whole
    assert path.read_text(encoding="utf-8") == text


def _kept_and_walked(ws, slug):
    """The listing as a second reading gives it (the walk kept by the first)
    and as git walks it afresh (no kept walk): the same."""
    from guidelines_app.core import walkcache

    relpath = ws.relpath(slug)
    first = _log(ws, slug)  # (the log cache's first reading reads the whole log: no walk)
    assert _log(ws, slug) == first
    walk_key = walkcache.key(ws.store.git_dir, ws.store.common_dir, relpath, slug, signoff.SIGNOFF_REF)
    assert walkcache.get(ws.store.common_dir, relpath, walk_key) is not None  # kept by the first reading
    kept = _log(ws, slug)
    walkcache._path(ws.store.common_dir, relpath).unlink()
    walked = _log(ws, slug)
    assert first == kept == walked
    return kept


def test_a_kept_walk_gives_the_walk_git_makes_after_every_kind_of_change(workspace, author):
    """The walk of a document's revisions (ids, version tags, sign-off
    notes) is kept while HEAD, the tags, the notes and what shapes the
    history stay the same: after each change below, the listing from the
    kept walk is the one git walks afresh."""
    slug = _doc(workspace, author)
    _edit(workspace, slug, author, 1)
    assert len(_kept_and_walked(workspace, slug)) == 2
    _edit(workspace, slug, author, 2)  # a save: HEAD moved
    assert len(_kept_and_walked(workspace, slug)) == 3
    reviewers = [signoff.parse_reviewer("Legal=Ann Lee")]
    signoff.request_review(workspace, slug, reviewers, author)
    signoff.sign_off(workspace, slug, "Ann Lee", "Legal", author, today=_dt.date(2026, 12, 5))  # a note
    assert _kept_and_walked(workspace, slug)[0][3].startswith("Sign-off: Legal")
    history.publish(workspace, slug, "First", "Dana", author, override_reason="test")  # a tag
    assert _kept_and_walked(workspace, slug)[0][1] == [f"{slug}/v1.0"]
    _git(workspace, "pack-refs", "--all")  # the refs moved into packed-refs
    assert _kept_and_walked(workspace, slug)[0][1] == [f"{slug}/v1.0"]
    _git(workspace, "tag", "-d", f"{slug}/v1.0")  # a packed tag deleted by another tool
    assert _kept_and_walked(workspace, slug)[0][1] == []
    _git(workspace, "tag", "-a", "-m", "by hand", f"{slug}/v0.9", "HEAD~1")  # an annotated tag by another tool
    assert _kept_and_walked(workspace, slug)[1][1] == [f"{slug}/v0.9"]
    head = _git(workspace, "rev-parse", "HEAD").strip()
    workspace.path(slug).write_text(workspace.path(slug).read_text(encoding="utf-8") + "\nAmended.\n", encoding="utf-8")
    _git(workspace, "commit", "-q", "--amend", "-a", "-m", "Amended by hand")
    amended = _kept_and_walked(workspace, slug)
    assert amended[0][0].sha != head
    _git(workspace, "reset", "-q", "--hard", head)  # back where a walk was once kept (another one since)
    listed = _kept_and_walked(workspace, slug)
    assert listed[0][0].sha == head
    _git(workspace, "replace", head, "HEAD~1")  # a replacement ref reshapes the history
    assert _kept_and_walked(workspace, slug) != listed
    _git(workspace, "replace", "-d", head)
    assert _kept_and_walked(workspace, slug) == listed


def test_a_walk_made_while_a_save_moves_head_is_not_kept(workspace, author):
    from guidelines_app.core import walkcache

    slug = _doc(workspace, author)
    relpath = workspace.relpath(slug)
    kept = walkcache._path(workspace.store.common_dir, relpath)
    walk = gitlog._start_walk(workspace.store, relpath, slug, signoff.SIGNOFF_REF)  # git walks from here
    _edit(workspace, slug, author, 1)  # ... while a save moves HEAD
    assert len(walk()) in (1, 2)
    assert not kept.exists()
    _log(workspace, slug)  # (the log cache filled: the whole log read)
    assert len(_log(workspace, slug)) == 2  # walked afresh, then kept
    assert kept.exists()
