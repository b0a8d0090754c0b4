"""Export targets that are not ordinary files: a FIFO, a device, a socket
and a folder are refused and stay as they were; a symbolic link is written
through only after saying so (the CLI prints a note; the core API asks for
``follow_symlink``), and stays a link.  Nothing is ever half-written."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
from pathlib import Path

import pytest
from test_fault_input_support import assert_refused, make_doc, run_cli

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.publishing.docx import ExportError, LinkedTarget
from guidelines_app.publishing.export import export, source_from_workspace

TEXT = "---\ntitle: Target Policy\n---\n# Rules\n\nBe kind online.\n"


@pytest.fixture
def doc(workspace, author):
    slug = make_doc(workspace, author, TEXT)
    # A second revision, so `diff` has something to compare.
    workspace.save_text(slug, TEXT + "\nAnd be brief.\n", author, "Second")
    return workspace, slug


def _device(tmp_path: Path) -> Path:
    """A character device to export onto: a private copy of /dev/null when
    this machine allows making one, else /dev/null itself when this user
    could not replace it anyway."""
    node = tmp_path / "null-device"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        return node
    except (PermissionError, OSError):
        pass
    if not os.access("/dev", os.W_OK):
        return Path("/dev/null")
    pytest.skip("cannot make a device node here, and /dev/null would be at risk as this user")


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def _not_files(tmp_path: Path):
    """(path, kind, check-it-is-unchanged) for each kind of non-file."""
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    device = _device(tmp_path)
    folder = tmp_path / "folder.html"
    folder.mkdir()
    (folder / "inside.txt").write_text("keep", encoding="utf-8")
    sock_path = tmp_path / "sock.html"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(sock_path))
    return sock, [
        (fifo, "pipe", lambda: stat.S_ISFIFO(os.lstat(fifo).st_mode)),
        (device, "device", lambda: stat.S_ISCHR(os.lstat(device).st_mode)),
        (folder, "folder", lambda: folder.is_dir() and [p.name for p in folder.iterdir()] == ["inside.txt"]),
        (sock_path, "socket", lambda: stat.S_ISSOCK(os.lstat(sock_path).st_mode)),
    ]


def test_core_export_refuses_what_is_not_a_file(doc, tmp_path):
    ws, slug = doc
    sock, targets = _not_files(tmp_path)
    try:
        for target, kind, unchanged in targets:
            for fmt in ("html", "docx"):
                with pytest.raises(ExportError, match=kind):
                    export(source_from_workspace(ws, slug), fmt, target)
                assert unchanged(), target
        assert _leftovers(tmp_path) == []
    finally:
        sock.close()


def test_cli_export_and_diff_refuse_what_is_not_a_file(doc, tmp_path):
    ws, slug = doc
    sock, targets = _not_files(tmp_path)
    try:
        for target, kind, unchanged in targets:
            assert_refused(run_cli(ws.root, "export", slug, "--format", "html", "-o", str(target), timeout=30),
                           str(target), kind)
            assert unchanged(), target
            assert_refused(run_cli(ws.root, "diff", slug, "HEAD~1", "HEAD", "--format", "html", "-o", str(target), timeout=30),
                           str(target), kind)
            assert unchanged(), target
        assert _leftovers(tmp_path) == []
    finally:
        sock.close()


def test_core_export_writes_through_a_link_only_when_told(doc, tmp_path):
    ws, slug = doc
    real = tmp_path / "real" / "policy.html"
    real.parent.mkdir()
    real.write_text("old export", encoding="utf-8")
    link = tmp_path / "link.html"
    link.symlink_to(real)
    with pytest.raises(LinkedTarget, match=f"{link} is a link to {real}"):
        export(source_from_workspace(ws, slug), "html", link)
    assert real.read_text(encoding="utf-8") == "old export" and link.is_symlink()
    export(source_from_workspace(ws, slug), "html", link, follow_symlink=True)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "Be kind online." in real.read_text(encoding="utf-8")
    assert _leftovers(tmp_path) == [] and _leftovers(real.parent) == []


def test_cli_says_so_and_writes_through_a_link(doc, tmp_path):
    ws, slug = doc
    real = tmp_path / "real" / "policy.docx"
    real.parent.mkdir()
    link = tmp_path / "link.docx"
    link.symlink_to(real)  # dangling: the export makes the file it points to
    proc = run_cli(ws.root, "export", slug, "-o", str(link))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith(f"note: {link} is a link to {real}") and proc.stderr.count("\n") == 1
    assert link.is_symlink() and real.is_file() and real.read_bytes()[:2] == b"PK"
    page = tmp_path / "real" / "changes.html"
    page.write_text("old", encoding="utf-8")
    page_link = tmp_path / "changes.html"
    page_link.symlink_to(page)
    proc = run_cli(ws.root, "diff", slug, "HEAD~1", "HEAD", "--format", "html", "-o", str(page_link))
    assert proc.returncode == 0 and proc.stderr.startswith(f"note: {page_link} is a link to {page}"), proc.stderr
    assert page_link.is_symlink() and "<ins>" in page.read_text(encoding="utf-8")
    assert _leftovers(tmp_path) == [] and _leftovers(real.parent) == []
    # A link to a device: only the error (no note), the device unchanged.
    device = _device(tmp_path)
    device_link = tmp_path / "device-link.html"
    device_link.symlink_to(device)
    assert_refused(run_cli(ws.root, "export", slug, "-o", str(device_link)), "device")
    assert device_link.is_symlink() and stat.S_ISCHR(os.stat(device).st_mode)


def test_core_redline_asks_before_writing_through_a_link(tmp_path):
    from guidelines_app.review import diff as diffmod
    from guidelines_app.review import redline

    result = diffmod.diff_texts("# Rules\n\nBe kind.\n", "# Rules\n\nBe kind and brief.\n")
    real = tmp_path / "real.docx"
    link = tmp_path / "link.docx"
    link.symlink_to(real)
    with pytest.raises(LinkedTarget, match=f"{link} is a link to {real}"):
        redline.write_docx_redline(result, link)
    assert not real.exists() and link.is_symlink()
    redline.write_docx_redline(result, link, follow_symlink=True)
    assert link.is_symlink() and real.read_bytes()[:2] == b"PK"
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    with pytest.raises(GuidelinesError, match="pipe"):
        redline.write_docx_redline(result, fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_exports_never_write_over_a_document_its_history_or_the_template_they_read(doc, tmp_path):
    """`diff -o policy.md` in the documents folder replaced the document
    with the report (its unsaved text with it); `export -o .git/HEAD`
    broke the history; `--reference-docx house.docx -o house.docx`
    replaced the house style it read.  Each is refused and left as it was."""
    ws, slug = doc
    document = ws.path(slug)
    document.write_text(TEXT + "\nAn edit not saved yet.\n", encoding="utf-8")
    kept = {p: p.read_bytes() for p in (document, ws.root / ".git" / "HEAD", ws.root / ".git" / "config")}
    for args, words in (
        (("diff", slug, "HEAD~1", "-o", str(document)), ("a document of the workspace", "choose another file name")),
        (("diff", slug, "HEAD~1", "--format", "html", "-o", str(document)), ("a document of the workspace",)),
        (("export", slug, "--format", "html", "-o", str(ws.root / ".git" / "HEAD")), ("where git keeps a history",)),
        (("export", slug, "-o", str(ws.root / ".git" / "config")), ("where git keeps a history",)),
        (("export", slug, "--format", "html", "-o", str(ws.root / "guidelines" / ".." / "guidelines" / f"{slug}.md")),
         ("a document of the workspace",)),
    ):
        proc = run_cli(ws.root, *args, timeout=30)
        # (after the note that the document has changes not saved yet)
        assert proc.stderr.startswith("note: policy has changes that are not saved"), proc.stderr
        proc.stderr = proc.stderr.split("\n", 1)[1]
        assert_refused(proc, *words)
    assert all(p.read_bytes() == data for p, data in kept.items())
    subprocess.run(["git", "checkout", "--", ws.relpath(slug)], cwd=ws.root, check=True)  # the edit let go: no note
    template = tmp_path / "house.docx"
    assert run_cli(ws.root, "export", slug, "-o", str(template), timeout=60).returncode == 0
    before = template.read_bytes()
    for fmt in ("docx", "pdf"):
        with pytest.raises(ExportError, match="whose styles the export uses"):
            export(source_from_workspace(ws, slug), fmt, template, reference_docx=template)
    assert_refused(run_cli(ws.root, "export", slug, "--reference-docx", str(template), "-o", str(template), timeout=30),
                   "whose styles the export uses")
    assert template.read_bytes() == before
    # A Word file among the documents is refused too (a file the workspace never saves: sync then
    # refused, with no command to save it); anywhere else it is written as before.
    beside = ws.root / "guidelines" / "policy.docx"
    assert_refused(run_cli(ws.root, "export", slug, "-o", str(beside), timeout=60), "documents folder")
    assert not beside.exists()
    elsewhere = ws.root / "policy.docx"
    assert run_cli(ws.root, "export", slug, "-o", str(elsewhere), timeout=60).returncode == 0 and elsewhere.is_file()
    assert _leftovers(ws.root / "guidelines") == [] and _leftovers(tmp_path) == []
