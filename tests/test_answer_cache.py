"""The kept text redline (issue 16): `guidelines diff` asked again reads the
answer written the first time, byte for byte the same as a fresh one, and
never a stale one: after an amended or rebased history, commits by other
tools, a new tag, an edited file, or a damaged entry, the answer is the one
the comparison gives without any cache."""

from __future__ import annotations

import os
import subprocess

import pytest

from guidelines_app.cli import main as cli
from guidelines_app.core import answercache
from guidelines_app.core.document import Document
from guidelines_app.core.gitstore import Identity
from guidelines_app.review import blame, history, redline
from guidelines_app.review.diff import diff_texts
from guidelines_app.review.redline_answer import FORMAT, text_redline

OTHER = Identity("Other Person", "other@example.org")


@pytest.fixture(autouse=True)
def _strict(monkeypatch):
    monkeypatch.setenv("GUIDELINES_CLI_STRICT", "1")


def _git(ws, *args, name="Plain Git"):
    done = subprocess.run(["git", *args], cwd=ws.root, capture_output=True, text=True, check=False,
                          env=dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL="p@example.org",
                                   GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL="p@example.org"))
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def ws_doc(workspace, author):
    body = ("# Policy\n\n## Response time\n\nWe answer within 24 hours.\n\n## Tone\n\nBe kind and brief.\n\n"
            "## Escalation\n\nCall the duty officer.\n")
    slug, _ = workspace.create_document(Document.new("Policy", body=body), author)
    text = workspace.load(slug).to_text()
    text = text.replace("24 hours", "12 hours")
    workspace.save_text(slug, text, author, "Faster")
    workspace.save_text(slug, text.replace("kind and brief", "kind, brief and clear"), OTHER, "Clearer tone")
    return workspace, slug


def run(ws, capsys, *argv) -> str:
    code = cli.main(["--workspace", str(ws.root), *argv])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def fresh(ws, slug, rev_a, rev_b, authors=True) -> str:
    """The redline as written without any kept answer."""
    sha_a = history.resolve(ws, slug, rev_a)
    sha_b = rev_b if rev_b == history.WORKING else history.resolve(ws, slug, rev_b)
    new = history.text_at(ws, slug, sha_b)
    result = diff_texts(history.text_at(ws, slug, sha_a), new)
    found = blame.change_authors(ws, slug, result, sha_a, sha_b, new) if authors else {}
    pubs = history.publications(ws, slug)
    labels = redline.Labels(old=history.describe(ws, slug, sha_a, pubs), new=history.describe(ws, slug, sha_b, pubs))
    return redline.render_text(result, labels, found)


def entries(ws) -> list:
    """The kept redlines (beside them: first lines and blob ids)."""
    return sorted(p for p in answercache.folder(ws.store).glob("*.txt") if p.read_bytes().startswith(FORMAT.encode()))


def test_asked_again_reads_the_kept_answer(ws_doc, capsys):
    ws, slug = ws_doc
    first = run(ws, capsys, "diff", slug, "HEAD~2", "HEAD")
    assert "[-24-] {+12+}" in first and "by Other Person" in first
    assert first == fresh(ws, slug, "HEAD~2", "HEAD")
    assert len(entries(ws)) == 1
    assert run(ws, capsys, "diff", slug, "HEAD~2", "HEAD") == first
    # Without authors: an answer of its own, the same text minus the "by" lines.
    plain = run(ws, capsys, "diff", slug, "HEAD~2", "HEAD", "--no-authors")
    assert len(entries(ws)) == 2
    assert plain == fresh(ws, slug, "HEAD~2", "HEAD", authors=False)
    assert plain == "".join(line for line in first.splitlines(keepends=True) if not line.startswith("  by "))
    # The entry is what is printed: changed on disk, the change shows (so the
    # second run above did read it).
    for path in entries(ws):
        path.write_bytes(path.read_bytes().replace(b"{+12+}", b"{+KEPT+}"))
    assert "{+KEPT+}" in run(ws, capsys, "diff", slug, "HEAD~2", "HEAD")


def test_a_first_comparison_keeps_the_blob_ids_git_gives(ws_doc, capsys):
    """The first time, the blob ids come from hashing the texts read (no
    separate ask of git): they must be the ids git itself gives."""
    ws, slug = ws_doc
    sha_a, sha_b = history.resolve(ws, slug, "HEAD~2"), history.resolve(ws, slug, "HEAD")
    run(ws, capsys, "diff", slug, "HEAD~2", "HEAD", "--no-authors")
    relpath = ws.relpath(slug)
    kept = answercache.get(ws.store, ("blobs", relpath, sha_a, sha_b))
    assert kept == _git(ws, "rev-parse", f"{sha_a}:{relpath}", f"{sha_b}:{relpath}").replace("\n", " ").strip()
    assert kept.split()[0] != kept.split()[1]


def test_a_damaged_entry_is_answered_again(ws_doc, capsys):
    ws, slug = ws_doc
    first = run(ws, capsys, "diff", slug, "HEAD~1", "HEAD")
    [path] = entries(ws)
    path.write_bytes(b"\x00garbage\xff")
    assert run(ws, capsys, "diff", slug, "HEAD~1", "HEAD") == first
    path.write_bytes(b"")
    assert run(ws, capsys, "diff", slug, "HEAD~1", "HEAD") == first
    # Every entry damaged (the first line's and the blob ids' too).
    kept = list(answercache.folder(ws.store).glob("*.txt"))
    assert len(kept) == 3
    for path in kept:
        path.write_bytes(path.read_bytes()[:40] + b"\xff\x00" + path.read_bytes()[42:])
    assert run(ws, capsys, "diff", slug, "HEAD~1", "HEAD") == first


def test_a_new_tag_names_a_side_anew(ws_doc, capsys):
    ws, slug = ws_doc
    before = run(ws, capsys, "diff", slug, "HEAD~2", "HEAD~1")
    assert "version 1.0" not in before
    sha = history.resolve(ws, slug, "HEAD~1")
    _git(ws, "tag", "-a", f"{history.tag_prefix(slug)}/v1.0", sha, "-m", "Published version 1.0")
    after = run(ws, capsys, "diff", slug, "HEAD~2", "HEAD~1")
    assert " with version 1.0 (" in after.splitlines()[0]
    assert after == fresh(ws, slug, "HEAD~2", "HEAD~1")
    assert after.splitlines()[1:] == before.splitlines()[1:]


def test_amended_history_is_never_answered_from_the_old_one(ws_doc, capsys):
    """The newest revision amended by plain git with other text, then with
    the same text by someone else: each answer is the fresh one."""
    ws, slug = ws_doc
    first = run(ws, capsys, "diff", slug, "HEAD~1", "HEAD")
    assert "by Other Person" in first
    path = ws.root / ws.relpath(slug)
    path.write_text(path.read_text(encoding="utf-8").replace("Call the duty officer.", "Call the press office."),
                    encoding="utf-8")
    _git(ws, "commit", "-q", "--amend", "-a", "-m", "Amended by plain git")
    amended = run(ws, capsys, "diff", slug, "HEAD~1", "HEAD")
    assert "{+press office.+}" in amended.replace("[-duty officer.-] ", "")
    assert amended == fresh(ws, slug, "HEAD~1", "HEAD")
    # Same text again, other author (a rebase that rewrote who): same blobs,
    # new commits, so the authors are read anew.
    _git(ws, "commit", "-q", "--amend", "--reset-author", "-m", "Rewritten", name="Rebased Author")
    rebased = run(ws, capsys, "diff", slug, "HEAD~1", "HEAD")
    assert "by Rebased Author" in rebased and "by Plain Git" not in rebased
    assert rebased == fresh(ws, slug, "HEAD~1", "HEAD")
    # Without authors the same two texts share one answer.
    plain = run(ws, capsys, "diff", slug, "HEAD~1", "HEAD", "--no-authors")
    count = len(entries(ws))
    _git(ws, "commit", "-q", "--amend", "-m", "Only the message", name="Third Person")
    assert run(ws, capsys, "diff", slug, "HEAD~1", "HEAD", "--no-authors") == plain
    assert len(entries(ws)) == count


def test_commits_by_other_tools_and_the_working_file(ws_doc, capsys):
    ws, slug = ws_doc
    path = ws.root / ws.relpath(slug)
    path.write_text(path.read_text(encoding="utf-8").replace("Be kind", "Be warm"), encoding="utf-8")
    working = run(ws, capsys, "diff", slug, "HEAD")
    assert "[-kind,-] {+warm,+}" in working and "by you (not saved yet)" in working
    assert working == fresh(ws, slug, "HEAD", history.WORKING)
    assert run(ws, capsys, "diff", slug, "HEAD", "working") == working
    # The file edited again: a new answer.
    path.write_text(path.read_text(encoding="utf-8").replace("Be warm", "Be calm"), encoding="utf-8")
    calm = run(ws, capsys, "diff", slug, "HEAD")
    assert "{+calm,+}" in calm and "warm" not in calm
    # Saved by plain git: the unsaved edit now has an author, although the
    # compared texts are the same.
    _git(ws, "commit", "-q", "-a", "-m", "Calm by plain git")
    committed = run(ws, capsys, "diff", slug, "HEAD~1")
    assert "by Plain Git" in committed and "not saved yet" not in committed
    assert [ln for ln in committed.splitlines() if "~" in ln] == [ln for ln in calm.splitlines() if "~" in ln]
    assert committed == fresh(ws, slug, "HEAD~1", history.WORKING)


def test_text_redline_without_a_cache_folder(ws_doc, capsys):
    """A workspace whose .git/guidelines cannot be written still answers."""
    ws, slug = ws_doc
    folder = answercache.folder(ws.store)
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("not a folder", encoding="utf-8")
    sha_a, sha_b = history.resolve_all(ws, slug, ["HEAD~2", "HEAD"])
    first = text_redline(ws, slug, sha_a, sha_b)
    assert first == text_redline(ws, slug, sha_a, sha_b) == fresh(ws, slug, "HEAD~2", "HEAD")


def _loaded(ws, *args: str) -> tuple[str, set[str]]:
    """What a `guidelines` process prints and the modules it has loaded."""
    import json
    import sys
    from pathlib import Path

    code = ("import json, sys\nfrom guidelines_app.cli.main import main\n"
            "main(sys.argv[1:])\n"
            "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)) + '\\n')\n")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    done = subprocess.run([sys.executable, "-c", code, "--workspace", str(ws.root), *args], cwd=ws.root, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    line = [ln for ln in done.stderr.splitlines() if ln.startswith("MODULES ")][-1]
    return done.stdout, set(json.loads(line[len("MODULES "):]))


def test_a_text_redline_loads_what_it_prints(ws_doc):
    """The first time: the diff and the text redline, not the HTML or Word
    redlines or their colours; asked again: not even the diff."""
    ws, slug = ws_doc
    first, modules = _loaded(ws, "diff", slug, "HEAD~2", "HEAD", "--no-authors")
    assert "{+12+}" in first and "guidelines_app.review.diff.words" in modules
    assert not {m for m in modules if m.startswith(("guidelines_app.review.redline_html", "guidelines_app.core.colours",
                                                    "guidelines_app.review.redline_docx", "docx"))}
    again, modules = _loaded(ws, "diff", slug, "HEAD~2", "HEAD", "--no-authors")
    assert again == first
    assert "guidelines_app.review.redline_answer" in modules
    assert not {m for m in modules if m.startswith(("guidelines_app.review.diff", "guidelines_app.review.redline_text",
                                                    "guidelines_app.review.redline_layout", "guidelines_app.review.blame",
                                                    "rapidfuzz"))}


def test_the_local_time_zone_is_part_of_the_answer(ws_doc, capsys, monkeypatch):
    """The first line shows a revision's time, the authors their dates, in
    the local time zone: another zone, another answer."""
    import time

    ws, slug = ws_doc
    answers = {}
    for zone in ("UTC", "NPT-5:45", "UTC"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        answers.setdefault(zone, set()).add(run(ws, capsys, "diff", slug, "HEAD~2", "HEAD~1"))
        assert fresh(ws, slug, "HEAD~2", "HEAD~1") in answers[zone]
    monkeypatch.undo()
    time.tzset()
    assert len(answers["UTC"]) == 1 and answers["UTC"] != answers["NPT-5:45"]


def test_the_oldest_answers_go_first(ws_doc, monkeypatch):
    ws, slug = ws_doc
    monkeypatch.setattr(answercache, "KEEP_ENTRIES", 3)
    for n in range(6):
        answercache.put(ws.store, ("test", str(n)), f"answer {n}")
        os.utime(answercache._entry(ws.store, ("test", str(n))), (1_000_000 + n, 1_000_000 + n))
    assert len(list(answercache.folder(ws.store).glob("*.txt"))) <= 4
    assert answercache.get(ws.store, ("test", "5")) == "answer 5"
    assert answercache.get(ws.store, ("test", "0")) is None


@pytest.mark.parametrize("front_old, front_new, body_new", [
    ("status: draft", "status: approved", None),  # the details alone
    ("status: draft", "status:   draft", None),  # the details' spacing alone
    ("status: draft", "status: draft", None),  # nothing
    ("status: draft", "status: approved", "# Policy\n\n## Tone\n\nBe warm.\n"),  # the body too
])
def test_changes_only_reads_an_unchanged_body_not_at_all(front_old, front_new, body_new):
    body = "# Policy\n\n## Tone\n\nBe kind.\n\n## Escalation\n\n- Call the duty officer.\n"
    old = f"---\ntitle: Policy\n{front_old}\n---\n{body}"
    new = f"---\ntitle: Policy\n{front_new}\n---\n{body_new or body}"
    whole, brief = diff_texts(old, new), diff_texts(old, new, changes_only=True)
    assert redline.render_text(brief) == redline.render_text(whole)
    assert brief.verdict() == whole.verdict()
    if body_new is None:
        assert brief.rows == [] and len(whole.rows) == 3
    else:
        assert brief.rows == whole.rows and "{+warm.+}" in redline.render_text(brief)


def test_a_key_with_an_empty_part_is_not_kept_as_an_answer_it_could_not_read_back(workspace):
    """Parts are joined by NULs and two end the key: an empty part made an
    entry that was written at every run and never read (the text redline's
    heading was worked out again each time)."""
    answercache.put(workspace.store, ("heading", "a", ""), "Comparing x with y\n")
    assert answercache.get(workspace.store, ("heading", "a", "")) is None
    assert not list((workspace.root / ".git" / "guidelines").rglob("*.txt"))
    answercache.put(workspace.store, ("heading", "a", "b"), "Comparing x with y\n")
    assert answercache.get(workspace.store, ("heading", "a", "b")) == "Comparing x with y\n"
