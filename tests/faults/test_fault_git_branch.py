"""A detached HEAD (someone checked out an old revision with git): saving
is refused with an explanation and a way back that keeps the edited text."""

from __future__ import annotations

import pytest

from guidelines_app.core.errors import DetachedHead


def _detach_at_previous_revision(ws, author, git) -> str:
    first = ws.path("policy").read_text(encoding="utf-8")
    ws.save_text("policy", first + "\nSecond revision.\n", author, "Second")
    git(ws.root, "checkout", "--quiet", "--detach", "HEAD~1")
    return first


def test_save_in_detached_head_is_refused_and_the_remedy_returns_to_the_branch(fault_ws, author, git, fsck_clean):
    first = _detach_at_previous_revision(fault_ws, author, git)
    head_before = git(fault_ws.root, "rev-parse", "HEAD")
    typed = first + "\nTyped while detached.\n"
    with pytest.raises(DetachedHead) as caught:
        fault_ws.save_text("policy", typed, author, "Detached edit")
    assert "not on a branch" in str(caught.value) and "main" in str(caught.value)
    assert git(fault_ws.root, "rev-parse", "HEAD") == head_before  # nothing committed
    assert fault_ws.path("policy").read_text(encoding="utf-8") == typed  # the text is on disk
    remedy = caught.value.remedy
    assert remedy is not None and remedy.label == "Return to main and Save"
    remedy.run()
    assert git(fault_ws.root, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    assert fault_ws.path("policy").read_text(encoding="utf-8") == typed  # kept through the switch
    result = fault_ws.save_text("policy", typed, author, "Edit made while detached")
    assert result.saved and fault_ws.committed_text("policy") == typed
    # The branch's second revision is still in the history, under the new one.
    subjects = git(fault_ws.root, "log", "--format=%s", "main").splitlines()
    assert subjects[:2] == ["Edit made while detached", "Second"]
    assert fsck_clean(fault_ws.root)


def test_untouched_files_follow_the_branch_and_revisions_made_while_detached_are_kept(fault_ws, author, git):
    from guidelines_app.core.document import Document

    fault_ws.create_document(Document.new("Other", "Acme"), author, slug="other")
    other_on_main = fault_ws.path("other").read_text(encoding="utf-8")
    git(fault_ws.root, "checkout", "--quiet", "--detach", "HEAD")
    git(fault_ws.root, "-c", "user.name=Git User", "-c", "user.email=g@example.org",
        "commit", "--quiet", "--allow-empty", "-m", "Made with git while detached")
    with pytest.raises(DetachedHead) as caught:
        fault_ws.save_text("other", other_on_main + "\nNew line.\n", author)
    caught.value.remedy.run()
    # The branch moved forward to the detached revision: nothing left behind.
    assert git(fault_ws.root, "log", "-1", "--format=%s", "main").strip() == "Made with git while detached"
    assert fault_ws.path("policy").is_file() and not fault_ws.uncommitted_documents() == ["policy"]


def test_detached_head_cli_says_how_to_get_back(fault_ws, author, git, cli):
    _detach_at_previous_revision(fault_ws, author, git)
    path = fault_ws.path("policy")
    path.write_text(path.read_text(encoding="utf-8") + "\nOutside edit.\n", encoding="utf-8")
    done = cli(fault_ws.root, "save", "policy")
    lines = done.stderr.splitlines()
    assert done.returncode == 2 and lines[0].startswith("error: cannot save a revision: the workspace is not on a branch")
    assert lines[1].startswith("hint: run 'git -C") and "switch main" in lines[1] and len(lines) == 2
