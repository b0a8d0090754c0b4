"""Checking a Word file's archive before anything parses it.

A .docx is a zip archive.  A hostile or broken one can declare (or hide)
enormous contents: a few kilobytes that expand to gigabytes.  Before the
import reads it, the archive's declared sizes (each part, the total, the
compression ratio) are checked against limits, and each part is then read
in small pieces and counted, so a part that holds more than it declares is
refused after reading at most its declared size.  Nothing is kept in memory.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from guidelines_app.core.errors import GuidelinesError

MAX_TOTAL_BYTES = 200 * 1024 * 1024  # all parts together, uncompressed
MAX_PART_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for parts big enough to matter
RATIO_FROM_BYTES = 1024 * 1024
MAX_PARTS = 5000
_CHUNK = 1024 * 1024
_OLD_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class DocxArchiveError(GuidelinesError):
    """The file is not a Word document that can safely be read."""


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB"


def check_docx_archive(path: Path) -> None:
    """Raise DocxArchiveError unless *path* is a zip archive holding a Word
    document whose parts stay within the limits above."""
    name = path.name
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise DocxArchiveError(f"cannot read {name}: {exc.strerror or exc}") from None
    if head == _OLD_DOC:
        raise DocxArchiveError(f"{name} is not a Word document (.docx) but an old Word file (.doc): "
                               "open it in Word and save it as .docx; nothing was imported")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocxArchiveError(f"{name} is not a Word document (.docx): it is not a zip archive, "
                               "it may be damaged or of another kind; nothing was imported") from None
    with archive:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise DocxArchiveError(f"{name} is a zip archive but not a Word document (.docx); nothing was imported")
        _check_declared(name, infos)
        for info in infos:
            _check_actual(name, archive, info)


def _too_big(name: str, what: str) -> DocxArchiveError:
    return DocxArchiveError(f"{name} cannot be imported: {what}. A Word document that large is damaged or made to "
                            "harm (a 'zip bomb'); nothing was imported")


def _check_declared(name: str, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_PARTS:
        raise _too_big(name, f"it holds {len(infos):,} parts (at most {MAX_PARTS:,})")
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if size > MAX_PART_BYTES:
            raise _too_big(name, f"its part {info.filename} expands to {_mb(size)} (at most {_mb(MAX_PART_BYTES)})")
        if size >= RATIO_FROM_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
            raise _too_big(name, f"its part {info.filename} expands {size // max(info.compress_size, 1):,} times "
                                 f"(at most {MAX_RATIO} times)")
        if total > MAX_TOTAL_BYTES:
            raise _too_big(name, f"its contents expand to more than {_mb(MAX_TOTAL_BYTES)}")


def _check_actual(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read the part in pieces, counting: never more than declared + one piece."""
    if info.is_dir():
        return
    read = 0
    try:
        with archive.open(info) as part:
            while True:
                chunk = part.read(_CHUNK)
                if not chunk:
                    break
                read += len(chunk)
                if read > info.file_size:
                    raise _too_big(name, f"its part {info.filename} holds more than the {info.file_size:,} bytes it declares")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError,
            RuntimeError) as exc:
        detail = "it is encrypted" if isinstance(exc, RuntimeError) else f"its part {info.filename} is damaged"
        raise DocxArchiveError(f"{name} cannot be imported: {detail}; nothing was imported") from None
    if read != info.file_size:
        raise DocxArchiveError(f"{name} cannot be imported: its part {info.filename} is damaged; nothing was imported")
