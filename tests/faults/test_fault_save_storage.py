"""The disk says no: a read-only workspace, a workspace folder that was
deleted, a full disk (when writing the file and when git writes its
objects).  Each gives a StorageError in plain words; the file on disk is
never half-written and nothing already saved is lost."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess

import pytest

from guidelines_app.core.errors import StorageError, WorkspaceError
from guidelines_app.core.workspace import Workspace


def _temp_files(ws) -> list:
    return sorted((ws.root / "guidelines").glob(".*.tmp"))


@pytest.fixture
def immutable():
    """immutable(path): make *path* unwritable even for root (chattr +i)."""
    locked = []

    def make(path):
        if os.geteuid() != 0 and os.access(path, os.W_OK):
            path.chmod(0o555)
            locked.append((path, "chmod"))
            return
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot make a folder read-only here as root (chattr +i failed: {done.stderr.strip()})")
        locked.append((path, "chattr"))

    yield make
    for path, how in reversed(locked):
        if how == "chattr":
            subprocess.run(["chattr", "-i", str(path)], check=False)
        else:
            path.chmod(0o755)


def test_read_only_documents_folder(fault_ws, author, immutable, cli):
    path = fault_ws.path("policy")
    before = path.read_bytes()
    immutable(fault_ws.root / "guidelines")
    with pytest.raises(StorageError, match="read-only") as caught:
        fault_ws.save_text("policy", before.decode() + "\nCannot be written.\n", author, "Blocked")
    assert "Traceback" not in str(caught.value) and f"the folder {fault_ws.root / 'guidelines'} is read-only" in str(caught.value)
    assert path.read_bytes() == before and _temp_files(fault_ws) == []


def test_a_read_only_file_is_blamed_not_its_folder(fault_ws, author, immutable):
    """A document file marked read-only (its folder writable) was reported as
    "the workspace folder … is read-only", with the advice to make the
    folder writable: the folder was, and the file stayed as it was."""
    path = fault_ws.path("policy")
    before = path.read_bytes()
    immutable(path)
    with pytest.raises(StorageError) as caught:
        fault_ws.save_text("policy", before.decode() + "\nCannot be written.\n", author, "Blocked")
    assert f"the file {path} is read-only" in str(caught.value) and caught.value.remedy.hint == f"make {path} writable, then run the command again"
    assert path.read_bytes() == before and _temp_files(fault_ws) == []


def test_read_only_history(fault_ws, author, immutable, fsck_clean):
    path = fault_ws.path("policy")
    typed = path.read_text(encoding="utf-8") + "\nWritten, but git cannot record it.\n"
    objects = fault_ws.root / ".git" / "objects"
    for folder in [objects, *objects.iterdir()]:
        if folder.is_dir():
            immutable(folder)
    immutable(fault_ws.root / ".git")
    with pytest.raises(StorageError, match="read-only"):
        fault_ws.save_text("policy", typed, author, "Blocked by git")
    assert path.read_text(encoding="utf-8") == typed  # the words are on disk, uncommitted
    assert fault_ws.uncommitted_documents() == ["policy"]


def test_deleted_workspace_folder(fault_ws, author, cli):
    text = fault_ws.path("policy").read_text(encoding="utf-8")
    shutil.rmtree(fault_ws.root)
    with pytest.raises(StorageError, match="is gone"):
        fault_ws.save_text("policy", text + "\nTyped after the folder went.\n", author, "Gone")
    assert not fault_ws.root.exists()  # not silently re-created half-empty
    with pytest.raises(WorkspaceError, match="no workspace"):
        Workspace.open(fault_ws.root)
    done = cli(fault_ws.root.parent, "--workspace", str(fault_ws.root), "save", "policy")
    assert done.returncode == 2 and done.stderr.startswith("error: there is no workspace at")
    assert done.stderr.count("\n") == 1


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB file system (tmpfs), unmounted afterwards; skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {done.stderr.strip() or done.returncode}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder, leave: int) -> None:
    """Fill the disk, then free *leave* bytes."""
    filler = folder / "filler"
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    try:
        (folder / "filler2").write_bytes(b"\0" * 4096 * 16)
    except OSError:
        pass
    os.truncate(filler, max(0, filler.stat().st_size - leave))


def _random_text(n: int) -> str:
    return base64.b64encode(os.urandom(n)).decode()


def test_full_disk_when_writing_the_file(small_disk, author, settings, fsck_clean):
    from guidelines_app.core.document import Document

    ws = Workspace.create(small_disk / "ws")
    ws.create_document(Document.new("Policy", "Acme"), author, slug="policy")
    before = ws.path("policy").read_bytes()
    _fill(small_disk, 0)
    big = before.decode() + "\n" + _random_text(300_000) + "\n"
    with pytest.raises(StorageError, match="disk is full") as caught:
        ws.save_text("policy", big, author, "Too big")
    assert "Nothing was half-written" in str(caught.value)
    assert ws.path("policy").read_bytes() == before and _temp_files(ws) == []
    (small_disk / "filler").unlink()
    (small_disk / "filler2").unlink(missing_ok=True)
    assert ws.save_text("policy", big, author, "Room again").saved
    assert ws.committed_text("policy") == big and fsck_clean(ws.root)
    ws.close()


def test_full_disk_when_git_writes_objects(small_disk, author, settings, fsck_clean):
    from guidelines_app.core.document import Document

    ws = Workspace.create(small_disk / "ws")
    ws.create_document(Document.new("Policy", "Acme"), author, slug="policy")
    big = ws.path("policy").read_text(encoding="utf-8") + "\n" + _random_text(150_000) + "\n"
    _fill(small_disk, 300_000)  # room for the file (200 kB), not for git's copy of it as well
    with pytest.raises(StorageError, match="disk is full"):
        ws.save_text("policy", big, author, "No room for git")
    assert ws.path("policy").read_text(encoding="utf-8") == big  # the words are on disk
    assert ws.uncommitted_documents() == ["policy"]
    (small_disk / "filler").unlink()
    (small_disk / "filler2").unlink(missing_ok=True)
    assert ws.commit_recovered("policy", author).saved
    assert ws.committed_text("policy") == big and fsck_clean(ws.root)
    ws.close()
