"""The recovery area: copies of the text being edited, kept outside the
workspace and outside git, so a crash, a kill or a power cut loses nothing.

One folder per workspace (named by a hash of its resolved path) under the
platform's app-data folder, or under ``$GUIDELINES_RECOVERY_DIR`` when set
(the tests point it at a temporary folder).  One JSON file per open document,
written atomically; a copy equal to the saved text is not kept.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.fileio import atomic_write_bytes, atomic_write_text

RECOVERY_DIR_ENV = "GUIDELINES_RECOVERY_DIR"


def recovery_root() -> Path:
    override = os.environ.get(RECOVERY_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("GuidelineStudio", appauthor=False)) / "recovery"


def _key(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:20]



JSON_SLICE = 1 << 20  # characters of a long text put in JSON at a time


def record_bytes(record: dict, text: str) -> bytes:
    """``json.dumps(record | {"text": text}, ensure_ascii=False)`` in UTF-8,
    the text put in a slice at a time: one call on tens of megabytes holds
    the interpreter (and so, from a worker, the window) a tenth of a
    second.  (JSON escapes each character on its own, so the slices' pieces
    joined are the whole text's.)"""
    head = json.dumps(record, ensure_ascii=False)[:-1] + (', "text": "' if record else '"text": "')
    pieces = [head.encode("utf-8")]
    for at in range(0, len(text), JSON_SLICE):
        pieces.append(json.dumps(text[at:at + JSON_SLICE], ensure_ascii=False)[1:-1].encode("utf-8"))
    pieces.append(b'"}')
    return b"".join(pieces)


def recovered_document(text: str, path: Path) -> Document:
    """A recovered copy's *text* as the document at *path*: its details
    read from the copy or, when they cannot be, the saved file's, with the
    copy's text as its body."""
    try:
        return Document.parse(text, path)
    except GuidelinesError:
        doc = Document.load(path)
        doc.body = text
        return doc


@dataclass(frozen=True)
class RecoveredCopy:
    slug: str  # the copy's name in the recovery area
    saved_at: _dt.datetime  # when the copy was written (UTC)
    text: str  # the whole document (details block + body), as it was in the editor
    path: Path  # the copy's own file
    of: str = ""  # the document it is the text of, when kept under a name of its own ("policy (unsaved text of …)")

    @property
    def document(self) -> str:
        """The document this copy is the text of."""
        return self.of or self.slug


class RecoveryArea:
    """The recovery copies of one workspace."""

    def __init__(self, workspace_root: Path | str, base: Path | None = None):
        self.workspace_root = Path(workspace_root).resolve()
        self.folder = (base or recovery_root()) / _key(str(self.workspace_root))

    def _file(self, slug: str) -> Path:
        return self.folder / f"{_key(slug)}.json"

    def write(self, slug: str, text: str, saved_text: str | None = None, of: str = "") -> bool:
        """Keep *text* as *slug*'s copy; False (and no copy) when it equals
        *saved_text*, the document as saved.  *of*: the document it is the
        text of, when *slug* is a name of its own (a copy set aside)."""
        if saved_text is not None and text == saved_text:
            self.remove(slug)
            return False
        if not self.folder.is_dir():
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.folder / "workspace.txt", str(self.workspace_root) + "\n")
        record = {"slug": slug, "saved_at": _dt.datetime.now(_dt.UTC).isoformat()}
        if of:
            record["of"] = of
        atomic_write_bytes(self._file(slug), record_bytes(record, text))
        return True

    def read(self, slug: str) -> RecoveredCopy | None:
        return self._load(self._file(slug))

    def list(self) -> list[RecoveredCopy]:
        """Every copy of this workspace, oldest first (unreadable files are skipped)."""
        if not self.folder.is_dir():
            return []
        found = [c for c in (self._load(p) for p in sorted(self.folder.glob("*.json"))) if c is not None]
        return sorted(found, key=lambda c: c.saved_at)

    def remove(self, slug: str) -> None:
        try:
            self._file(slug).unlink()
        except FileNotFoundError:
            pass

    @staticmethod
    def _load(path: Path) -> RecoveredCopy | None:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            return RecoveredCopy(str(record["slug"]), _dt.datetime.fromisoformat(record["saved_at"]),
                                 str(record["text"]), path, str(record.get("of") or ""))
        except (OSError, ValueError, KeyError, TypeError):
            return None
