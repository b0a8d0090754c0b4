"""Writing files so that a crash or a full disk never leaves half a file."""

from __future__ import annotations

import codecs
import errno
import os
import re
import tempfile
from pathlib import Path

try:  # POSIX: a save in progress holds a lock on its temporary file
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

TEMP_SUFFIX = ".tmp"
# The name of this module's temporary files (``.NAME.`` + mkstemp's random
# part + TEMP_SUFFIX): another program's temporary file is never taken for one.
_OWN_TEMP_RE = re.compile(r"\.[^/\\]+\.[a-z0-9_]{6,}\.tmp")
# Without file locks (Windows), a temporary file is taken as abandoned only
# when it is older than this.
_ABANDONED_AFTER = 60.0


# A long text is encoded and decoded a slice at a time: one call on tens of
# megabytes holds the interpreter a tenth of a second, and from a worker (a
# very large document's save) that is the window's thread waiting.
UTF8_SLICE = 1 << 20


def utf8(text: str) -> bytes:
    """``text.encode("utf-8")``, a slice at a time for a long text."""
    if len(text) <= UTF8_SLICE:
        return text.encode("utf-8")
    return b"".join(text[at:at + UTF8_SLICE].encode("utf-8") for at in range(0, len(text), UTF8_SLICE))


def from_utf8(data: bytes) -> str:
    """``data.decode("utf-8")``, a slice at a time for long data (its
    UnicodeDecodeError, when it is not UTF-8, the same)."""
    if len(data) <= UTF8_SLICE:
        return data.decode("utf-8")
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        parts = [decoder.decode(view[at:at + UTF8_SLICE]) for at in range(0, len(data), UTF8_SLICE)]
        parts.append(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        return data.decode("utf-8")  # raises, saying where in the whole
    return "".join(parts)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write *data* to *path* via a temporary file in the same folder + rename.

    The data and then the folder are flushed to disk (fsync), so after a
    power cut the file is either the old one or the new one, never a mixture
    or an empty file.  While it is written the temporary file is locked, so
    ``remove_abandoned_temp_files`` leaves a save in progress alone.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fh, tmp = _locked_temp_file(path)
    try:
        with fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            if path.exists():
                # Keep the permissions the user gave the original file.
                os.chmod(tmp, path.stat().st_mode & 0o7777)
            else:
                os.chmod(tmp, 0o644)
            if fcntl is not None:
                os.replace(tmp, path)  # still locked: nobody removes it meanwhile
        if fcntl is None:
            os.replace(tmp, path)  # Windows renames only a closed file
        _fsync_folder(path.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _locked_temp_file(path: Path):
    """A new temporary file next to *path*, open and locked.  Another
    process's clean-up could remove it in the instant between its creation and
    the lock: then take another one."""
    for _attempt in range(5):
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
        fh = os.fdopen(fd, "wb")
        if fcntl is None:
            return fh, tmp
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            if os.stat(tmp).st_ino == os.fstat(fh.fileno()).st_ino:
                return fh, tmp
        except FileNotFoundError:
            pass
        fh.close()
    raise OSError(f"cannot create a temporary file next to {path}")


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; folders cannot be opened on Windows)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        # Some file systems cannot flush a folder; the file itself is safe.
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def atomic_write_text(path: Path, text: str) -> None:
    # newline="" semantics: the text is written exactly as given.
    atomic_write_bytes(path, utf8(text))


def remove_abandoned_temp_files(folder: Path) -> list[Path]:
    """Delete the temporary files of saves that were killed before their
    rename (``.NAME.*.tmp``, named as this module names them: another
    program's ``.x.tmp``, written just before its own rename, is left
    alone); a save still in progress holds a lock on its file and is left
    alone.  Returns what was removed."""
    removed = []
    try:
        candidates = sorted(p for p in Path(folder).glob(f".*{TEMP_SUFFIX}") if _OWN_TEMP_RE.fullmatch(p.name))
    except OSError:
        return removed
    for tmp in candidates:
        try:
            if _abandoned(tmp):
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue  # read-only folder, or gone already: nothing to clean
    return removed


def _abandoned(tmp: Path) -> bool:
    if fcntl is None:
        import time

        return time.time() - tmp.stat().st_mtime > _ABANDONED_AFTER
    fd = os.open(tmp, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def put_back(path: Path, written: bytes, before: bytes | None) -> None:
    """*path* as it was before a change that could not be saved: *before*
    (None: no file then), when it still holds what was just *written*
    (nobody changed it since); quietly left as it is when it cannot be
    (the next command then notes a change not saved)."""
    try:
        if path.read_bytes() != written:
            return
        if before is None:
            path.unlink()
        else:
            atomic_write_bytes(path, before)
    except OSError:
        pass

