"""The compare window's reader: one ``git cat-file --batch`` kept running
gives the same texts and revisions as the usual reads (and the same errors
when it cannot), also for commits made after it started; and a comparison
made of details alone knows its (no) authors without asking git."""

from __future__ import annotations

import subprocess

import pytest

from guidelines_app.core import gitlog
from guidelines_app.core.document import Document
from guidelines_app.core.errors import RevisionError
from guidelines_app.core.gitbatch import ObjectReader
from guidelines_app.review import blame, history
from guidelines_app.review.diff import diff_texts
from guidelines_app.review.revisions import read_texts


@pytest.fixture
def saved(workspace, author):
    slug, _ = workspace.create_document(Document.new("Policy", body="# Policy\n\n## Rules\n\nBe kind.\n"), author)
    text = workspace.load(slug).to_text()
    workspace.save_text(slug, text.replace("Be kind.", "Be kind and quick."), author, "Quicker")
    return workspace, slug


def test_one_request_reads_both_texts_and_both_revisions(saved):
    ws, slug = saved
    new, old = (rev.sha for rev in ws.history(slug))
    reader = ObjectReader(ws.root)
    try:
        texts, revisions = read_texts(ws, slug, [old, new], [old, new], reader)
        assert texts == {sha: history.text_of_commit(ws, slug, sha) for sha in (old, new)}
        assert "Be kind and quick." in texts[new] and "Be kind and quick." not in texts[old]
        assert revisions == {sha: gitlog.revision_info(ws.store, sha) for sha in (old, new)}
        proc = reader._proc
        assert proc is not None and proc.poll() is None  # kept running for the next comparison
        # A commit made after the reader started is read by the same process.
        ws.save_text(slug, texts[new].replace("quick", "quicker"), _author(), "Later")
        newest = ws.history(slug)[0].sha
        later, _ = read_texts(ws, slug, [newest], [], reader)
        assert "Be kind and quicker." in later[newest] and reader._proc is proc
    finally:
        reader.close()
    assert proc.poll() is not None  # closed: git has ended
    assert read_texts(ws, slug, [old], [], reader)[0][old] == texts[old]  # asked again: started again
    reader.close()


def test_a_reader_told_its_input_ended_lets_git_go_and_starts_again(saved):
    ws, slug = saved
    new, old = (rev.sha for rev in ws.history(slug))
    reader = ObjectReader(ws.root)
    try:
        first, _ = read_texts(ws, slug, [old], [], reader)
        proc = reader._proc
        reader.end_input()  # (what `guidelines diff` does once both texts are read)
        assert reader._proc is None
        assert proc.wait(timeout=10) == 0  # git saw the end of its input and ended by itself
        again, _ = read_texts(ws, slug, [new, old], [], reader)  # a later request: another process
        assert again[old] == first[old] and "Be kind and quick." in again[new]
        assert reader._proc is not None and reader._proc is not proc
        assert not reader._ending  # the ended process, gone by then, was collected when the next one started
        reader.end_input()
        assert len(reader._ending) == 1
    finally:
        reader.close()
    assert not reader._ending  # the ended process was collected by close


def _author():
    from guidelines_app.core.gitstore import Identity

    return Identity("Lee Chen", "lee@example.org")


def test_what_the_reader_cannot_read_fails_as_the_usual_read(saved):
    ws, slug = saved
    first = ws.history(slug)[-1].sha
    tree = subprocess.run(["git", "rev-parse", f"{first}^{{tree}}"], cwd=ws.root, capture_output=True, text=True,
                          check=True).stdout.strip()
    reader = ObjectReader(ws.root)
    try:
        with pytest.raises(RevisionError) as usual:
            history.text_of_commit(ws, "other-doc", first)
        with pytest.raises(RevisionError) as read:
            read_texts(ws, "other-doc", [first], [], reader)
        assert str(read.value) == str(usual.value)
        with pytest.raises(RevisionError, match="is not a revision"):
            read_texts(ws, slug, [], [tree], reader)  # a tree, not a commit
        assert reader._proc.poll() is None  # a missing object is an answer, not a failure
    finally:
        reader.close()


def test_a_reader_whose_git_went_away_reads_the_usual_way(saved):
    ws, slug = saved
    new = ws.history(slug)[0].sha
    reader = ObjectReader(ws.root)
    try:
        read_texts(ws, slug, [new], [], reader)
        reader._proc.kill()
        reader._proc.wait()
        texts, revisions = read_texts(ws, slug, [new], [new], reader)
        assert texts[new] == history.text_of_commit(ws, slug, new) and revisions[new].sha == new
    finally:
        reader.close()


def test_an_unusual_repository_is_read_the_usual_way(saved, monkeypatch):
    ws, slug = saved
    new = ws.history(slug)[0].sha
    monkeypatch.setenv("GIT_DIR", str(ws.root / ".git"))  # git told where the repository is: not a plain checkout
    reader = ObjectReader(ws.root)
    assert reader.read([new]) == [None] and reader._proc is None
    assert read_texts(ws, slug, [new], [], reader)[0][new] == history.text_of_commit(ws, slug, new)


def test_resolved_ids_give_the_same_authors(saved):
    ws, slug = saved
    new, old = (rev.sha for rev in ws.history(slug))
    result = diff_texts(history.text_of_commit(ws, slug, old), history.text_of_commit(ws, slug, new))
    found = blame.change_authors(ws, slug, result, old, new, resolved=True)
    assert found and found == blame.change_authors(ws, slug, result, old, new)


def test_a_comparison_of_the_details_alone_shows_no_names_without_asking_git(qtbot, saved, settings, monkeypatch):
    from guidelines_app.ui.main_window import MainWindow

    ws, slug = saved
    doc = ws.load(slug)
    doc.meta["status"] = "approved"
    ws.save_text(slug, doc.to_text(), _author(), "Approved")
    w = MainWindow(ws, settings)
    qtbot.addWidget(w)
    w.show()
    asked = []
    monkeypatch.setattr(blame, "change_authors", lambda *args, **kwargs: asked.append(args) or {})
    cw = w.features["history"].open_compare("HEAD~1", "HEAD")
    with qtbot.waitSignal(cw.authors_found, timeout=10000):
        pass
    assert cw.diff is not None and cw.diff.meta_changes and not any(row.changed for row in cw.diff.rows)
    assert asked == [] and cw.authors == {} and "Changed by" not in cw.verdict.text()
    # A change to the text is looked up.
    qtbot.waitUntil(lambda: cw.old_combo.count() == 4, timeout=10000)  # the other versions, offered after the paint
    cw.old_combo.setCurrentIndex(3)  # the first revision
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=10000)


def test_the_window_reads_every_comparison_with_one_git_process_and_ends_it_when_it_goes(qtbot, saved, settings):
    from guidelines_app.ui.main_window import MainWindow

    ws, _slug = saved
    w = MainWindow(ws, settings)
    qtbot.addWidget(w)
    w.show()
    f = w.features["history"]
    cw = f.open_compare("HEAD~1", "HEAD")
    qtbot.waitUntil(lambda: cw.diff is not None and cw.diff.has_changes, timeout=10000)
    proc = cw.reader._proc
    assert proc is not None and proc.poll() is None
    cw.close()
    again = f.open_compare("HEAD", "HEAD~1")  # the closed window, opened again
    qtbot.waitUntil(lambda: again.diff is not None and again.diff.has_changes, timeout=10000)
    assert again is cw and cw.reader._proc is proc
    cw._reader_idle.timeout.emit()  # unused for a while: git goes
    assert proc.poll() is not None and cw.reader._proc is None
    cw.recompute()  # asked again: started again
    qtbot.waitUntil(lambda: cw.reader._proc is not None, timeout=10000)
    proc = cw.reader._proc
    cw.close()
    cw.deleteLater()
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=5000)  # the window gone: git too


def test_closing_never_waits_for_a_request_under_way(saved):
    """The window's thread closes the reader (idle, closed, another
    workspace): while a worker's request runs, close returns at once and the
    request lets git go when it ends."""
    ws, slug = saved
    new = ws.history(slug)[0].sha
    reader = ObjectReader(ws.root)
    assert reader.read([new])[0][0] == "commit"
    proc = reader._proc
    reader._lock.acquire()  # as a request under way on a worker
    try:
        reader.close()  # returns at once
        assert proc.poll() is None and reader._close_after
    finally:
        reader._lock.release()
    assert reader.read([new])[0][0] == "commit"  # the request that ends lets its process go
    assert reader._proc is None and proc.poll() is not None
    reader.close()
