"""Broken and hostile Word files: a zip bomb (a small file that expands to
1.5 GB), a part that holds more than it declares, a file that is no zip and
a zip that is no Word document are refused quickly, with little memory and a
plain message, and leave the workspace as it was."""

from __future__ import annotations

import io
import resource
import struct
import time
import zipfile
import zlib

import pytest
from test_fault_input_support import assert_refused, run_cli

from guidelines_app.core.document import Document
from guidelines_app.publishing.docx import export_docx
from guidelines_app.publishing.import_docx import DocxImportError, import_docx

BOMB_BYTES = 1536 * 1024 * 1024  # 1.5 GB of zeros in one part


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    """A real .docx whose document part really expands to 1.5 GB, written
    streaming (the test never holds it): a few MB on disk."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    good = export_docx(Document.parse("---\ntitle: Small\n---\n# Small\n\nText.\n"), path.with_name("good.docx"))
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info.filename, src.read(info.filename))
        zeros = bytes(16 * 1024 * 1024)
        with out.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(BOMB_BYTES // len(zeros)):
                part.write(zeros)
    return path


def _lying(tmp_path):
    """A .docx whose document part holds 50 MB but declares 2 KB."""
    path = tmp_path / "liar.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", bytes(50 * 1024 * 1024))
    data = bytearray(buffer.getvalue())
    local = data.find(b"PK\x03\x04", data.find(b"word/document.xml") - 40)
    assert data[local + 30:local + 30 + 17] == b"word/document.xml"
    struct.pack_into("<I", data, local + 22, 2048)  # uncompressed size in the local header
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/document.xml"))
    struct.pack_into("<I", data, central + 24, 2048)  # and in the central directory
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as z:
        assert z.getinfo("word/document.xml").file_size == 2048
    return path


def _zip_not_docx(tmp_path):
    path = tmp_path / "photos.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("photo.txt", "not a Word document")
    return path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _nothing_imported(workspace, before):
    assert sorted(p.name for p in (workspace.root / "guidelines").iterdir()) == before
    assert not workspace.store.has_commits()


def test_zip_bomb_is_refused_quickly_without_memory(workspace, author, bomb):
    assert bomb.stat().st_size < 20 * 1024 * 1024
    before, peak = sorted(p.name for p in (workspace.root / "guidelines").iterdir()), _peak_mb()
    started = time.monotonic()
    with pytest.raises(DocxImportError, match="bomb.docx cannot be imported.*expands"):
        import_docx(workspace, bomb, author)
    assert time.monotonic() - started < 2
    assert _peak_mb() - peak < 100
    _nothing_imported(workspace, before)


def test_part_larger_than_declared_is_refused(workspace, author, tmp_path):
    liar = _lying(tmp_path)
    before, peak = sorted(p.name for p in (workspace.root / "guidelines").iterdir()), _peak_mb()
    with pytest.raises(DocxImportError, match="liar.docx cannot be imported"):
        import_docx(workspace, liar, author)
    assert _peak_mb() - peak < 100
    _nothing_imported(workspace, before)


@pytest.mark.parametrize("content, words", [
    (b"plain text, not a zip", "not a zip archive"),
    (b"PK\x03\x04 a broken zip", "not a zip archive"),
    (zlib.compress(b"compressed but not a zip"), "not a zip archive"),
])
def test_not_a_zip_gives_a_plain_message(workspace, author, tmp_path, content, words):
    path = tmp_path / "bad.docx"
    path.write_bytes(content)
    with pytest.raises(DocxImportError, match=f"bad.docx is not a Word document.*{words}"):
        import_docx(workspace, path, author)
    assert not workspace.store.has_commits()


def test_zip_that_is_not_a_word_document(workspace, author, tmp_path):
    with pytest.raises(DocxImportError, match="photos.docx is a zip archive but not a Word document"):
        import_docx(workspace, _zip_not_docx(tmp_path), author)
    assert not workspace.store.has_commits()


def test_cli_refuses_each_bad_word_file(workspace, tmp_path, bomb):
    measure = tmp_path / "peak-kb"
    started = time.monotonic()
    proc = run_cli(workspace.root, "import", str(bomb), measure=measure)
    assert time.monotonic() - started < 20
    assert_refused(proc, "bomb.docx cannot be imported", "zip bomb")
    assert int(measure.read_text()) < 300 * 1024  # KB: the 1.5 GB never entered memory
    assert_refused(run_cli(workspace.root, "import", str(_lying(tmp_path))), "liar.docx cannot be imported")
    (tmp_path / "text.docx").write_text("just text", encoding="utf-8")
    assert_refused(run_cli(workspace.root, "import", str(tmp_path / "text.docx")), "text.docx is not a Word document")
    assert_refused(run_cli(workspace.root, "import", str(_zip_not_docx(tmp_path))), "not a Word document")
    assert not list((workspace.root / "guidelines").glob("*.md"))
    assert not workspace.store.has_commits()


def _inflate_fails(tmp_path):
    """A real .docx with one byte of its document part's compressed data
    changed so that inflating it fails (zlib's error, not a wrong checksum)."""
    good = export_docx(Document.parse("---\ntitle: Small\n---\n# Small\n\n" + "Text of the rules. " * 200 + "\n"),
                       tmp_path / "good.docx")
    data = good.read_bytes()
    with zipfile.ZipFile(good) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for at in range(start, start + info.compress_size):
        for flip in (0xFF, 0x55, 0x0F):
            broken = bytearray(data)
            broken[at] ^= flip
            try:
                with zipfile.ZipFile(io.BytesIO(bytes(broken))) as z:
                    z.read("word/document.xml")
            except zlib.error:
                path = tmp_path / "inflate.docx"
                path.write_bytes(bytes(broken))
                return path
            except zipfile.BadZipFile:
                continue
    pytest.fail("no single byte change made inflating fail")


def test_a_part_that_cannot_be_inflated_is_damaged_not_a_traceback(workspace, author, tmp_path):
    path = _inflate_fails(tmp_path)
    with pytest.raises(DocxImportError, match="inflate.docx cannot be imported: its part word/document.xml is damaged"):
        import_docx(workspace, path, author)
    assert not workspace.store.has_commits()
    assert_refused(run_cli(workspace.root, "import", str(path)), "word/document.xml is damaged")
