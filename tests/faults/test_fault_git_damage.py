"""A damaged or missing history: an empty branch ref, a truncated or missing
object, no .git at all.  Each gives a clear error (exit 2 in the CLI), never
a traceback or an empty answer, and the document's text stays readable."""

from __future__ import annotations

import shutil

import pytest

from guidelines_app.core.errors import RepositoryDamaged
from guidelines_app.core.workspace import Workspace


def _second_revision(ws, author) -> str:
    text = ws.path("policy").read_text(encoding="utf-8") + "\nSecond revision.\n"
    ws.save_text("policy", text, author, "Second")
    return text


def _empty_branch_ref(ws) -> None:
    (ws.root / ".git" / "refs" / "heads" / "main").write_bytes(b"")


def _object_file(ws, git, sha: str):
    return ws.root / ".git" / "objects" / sha[:2] / sha[2:]


def _truncate_head_commit(ws, git) -> None:
    obj = _object_file(ws, git, git(ws.root, "rev-parse", "HEAD").strip())
    obj.chmod(0o644)
    obj.write_bytes(obj.read_bytes()[:12])


def _remove_head_blob(ws, git) -> None:
    _object_file(ws, git, git(ws.root, "rev-parse", "HEAD:guidelines/policy.md").strip()).unlink()


DAMAGES = {"empty branch ref": _empty_branch_ref, "truncated commit": _truncate_head_commit,
           "missing object": _remove_head_blob}


@pytest.mark.parametrize("damage", DAMAGES)
def test_history_on_damaged_repository_fails_with_a_message(fault_ws, author, git, cli, damage):
    text = _second_revision(fault_ws, author)
    fault_ws.close()
    damager = DAMAGES[damage]
    damager(fault_ws, git) if damage != "empty branch ref" else damager(fault_ws)
    done = cli(fault_ws.root, "history", "policy")
    assert done.returncode == 2 and done.stdout == "", done
    first = done.stderr.splitlines()[0]
    assert first.startswith("error: cannot read the history: the workspace's history") and "damaged" in first
    assert "documents in guidelines/ are untouched" in first and "Traceback" not in done.stderr
    # What still works: the text is on disk and the CLI can show it.
    assert fault_ws.path("policy").read_text(encoding="utf-8") == text
    shown = cli(fault_ws.root, "show", "policy")
    assert shown.returncode == 0 and shown.stdout == text


@pytest.mark.parametrize("damage", ["empty branch ref", "truncated commit"])
def test_save_on_damaged_repository_keeps_the_text(fault_ws, author, git, damage):
    _second_revision(fault_ws, author)
    damager = DAMAGES[damage]
    damager(fault_ws, git) if damage != "empty branch ref" else damager(fault_ws)
    typed = fault_ws.path("policy").read_text(encoding="utf-8") + "\nTyped after the damage.\n"
    with Workspace.open(fault_ws.root) as ws:  # opening still works: the documents are readable
        assert [d.slug for d in ws.documents()] == ["policy"]
        with pytest.raises(RepositoryDamaged) as caught:
            ws.save_text("policy", typed, author, "After damage")
        assert "damaged" in str(caught.value)
        with pytest.raises(RepositoryDamaged):
            ws.history("policy")
    assert fault_ws.path("policy").read_text(encoding="utf-8") in (typed, typed.replace("\nTyped after the damage.\n", ""))


def test_missing_history_folder(fault_ws, cli):
    text = fault_ws.path("policy").read_text(encoding="utf-8")
    fault_ws.close()
    shutil.rmtree(fault_ws.root / ".git")
    with pytest.raises(RepositoryDamaged, match=r"\.git folder .* is missing"):
        Workspace.open(fault_ws.root)
    done = cli(fault_ws.root, "--workspace", str(fault_ws.root), "history", "policy")
    assert done.returncode == 2 and done.stderr.startswith("error: the workspace's history") and done.stdout == ""
    assert fault_ws.path("policy").read_text(encoding="utf-8") == text


def test_a_missing_object_is_named_and_the_rest_still_works(fault_ws, author, git, cli, fsck_clean):
    text = _second_revision(fault_ws, author)
    fault_ws.close()
    _remove_head_blob(fault_ws, git)
    shown = cli(fault_ws.root, "show", "policy", "--revision", "HEAD")
    assert shown.returncode == 2 and shown.stderr.startswith("error: cannot read a saved revision: the workspace's history")
    assert "Traceback" not in shown.stderr and shown.stdout == ""
    # In words: not GitPython's ("SHA b'06b5...' could not be resolved, git returned: b'... missing'").
    assert "a part of a saved revision (git object " in shown.stderr and ") is missing." in shown.stderr
    assert "b'" not in shown.stderr and "SHA" not in shown.stderr
    # Saving a new revision does not need the lost object: the words are kept in history again.
    with Workspace.open(fault_ws.root) as ws:
        assert ws.save_text("policy", text + "\nAfter the loss.\n", author, "After").saved
    assert not fsck_clean(fault_ws.root)  # the old revision stays damaged, and git says so


def test_a_revision_on_a_broken_branch_is_damage_not_a_missing_revision(fault_ws, author, cli):
    _second_revision(fault_ws, author)
    fault_ws.close()
    _empty_branch_ref(fault_ws)
    for command in (["show", "policy", "--revision", "HEAD~1"], ["diff", "policy", "HEAD~1"]):
        done = cli(fault_ws.root, *command)
        assert done.returncode == 2 and done.stdout == "", done
        assert "is damaged" in done.stderr and "there is no revision" not in done.stderr
