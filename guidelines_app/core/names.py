"""The names a workspace gives: a document's file name (its slug) made
from its title or given by hand, and the names of its versions' tags.

A new name is one every system and git tool takes as it is: lower-case
letters (of any script: a Russian title names its file in Russian), digits,
'-' and '_'; Latin letters lose their accents.
"""

from __future__ import annotations

import re
import unicodedata

from guidelines_app.core.errors import WorkspaceError

# A new document's name: one every system and git tool takes as it is (a
# file written by hand may have any name the workspace accepts; a new one is made portable).
_NEW_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
# Names Windows keeps for devices, with any extension: a colleague's copy there could not hold the file.
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))})

# Latin letters with no accent to take off (NFKD leaves them whole): spelt as ASCII.
_LATIN_LETTERS = {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ł": "l", "þ": "th", "ð": "d", "ı": "i", "ŀ": "l"}
SLUG_MAX_CHARS, SLUG_MAX_BYTES = 80, 180  # (a file name holds 255 bytes: a Chinese letter is 3 of them)


def slug_letter(ch: str) -> bool:
    """Whether *ch* may stand in a slug beside ASCII letters, digits, '-'
    and '_': a letter, mark or digit of another script."""
    return not ch.isascii() and unicodedata.category(ch)[0] in "LMN"


def slugify(title: str) -> str:
    """File-name-safe slug: 'Social media guidelines' -> 'social-media-guidelines'.
    Latin letters lose their accents ('Règles' -> 'regles', 'Straße' ->
    'strasse'); letters of other scripts stay as they are, in lower case
    ('Правила' -> 'правила', '社交媒体指南' as it is): a title in Russian or
    Chinese names its file as readably as an English one."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", title).lower():
        if ch.isascii():
            out.append(ch if ch.isalnum() else "-")
            continue
        spelt = _LATIN_LETTERS.get(ch) or unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        if spelt.isalnum() and spelt.isascii():  # é -> e, ﬁ -> fi, ² -> 2
            out.append(spelt.lower())
        elif slug_letter(ch) and unicodedata.category(ch) not in ("No", "Lm"):
            if unicodedata.category(ch)[0] != "M" or (out and not out[-1].isascii()):
                out.append(ch)  # (a mark on a letter spelt as ASCII goes with its accent: 'İ' -> 'i')
        else:
            out.append("-")
    slug = "-".join(part for part in unicodedata.normalize("NFC", "".join(out)).split("-") if part)
    slug = slug[:SLUG_MAX_CHARS]
    while len(slug.encode("utf-8")) > SLUG_MAX_BYTES:
        slug = slug[:-1]
    return slug.rstrip("-") or "untitled"


def new_slug(slug: str) -> str:
    """*slug* as a new document's name, or why it cannot be one: lower-case
    letters (of any script: 'правила' as well as 'rules'), digits, '-' and
    '_' (no spaces: a name typed in a command needs none quoted), and no
    name Windows keeps for a device."""
    name = slug.strip().removesuffix(".md")
    if not _portable_name(name):
        suggestion = slugify(name)
        raise WorkspaceError(f"'{slug}' cannot name a new document: use lower-case letters, digits, '-' or '_' "
                               f"(up to 100), such as {suggestion if suggestion != 'untitled' else 'social-media-policy'}")
    if name in WINDOWS_RESERVED:
        raise WorkspaceError(f"'{slug}' cannot name a document: Windows keeps that name for a device, so a colleague's "
                               f"copy there could not hold it; use another, such as {name}-policy")
    return name


def _portable_name(name: str) -> bool:
    """Whether *name* is one every system and git tool takes as it is: ASCII
    lower-case letters, digits, '-' and '_', or letters of another script
    (as ``slugify`` keeps them: lower case, composed), starting with a
    letter or digit, at most 100 characters and 200 bytes."""
    if _NEW_SLUG_RE.match(name):
        return True
    if not name or len(name) > 100 or len(name.encode("utf-8")) > 200 or name != name.lower():
        return False
    if unicodedata.normalize("NFC", name) != name or not (name[0].isalnum() and unicodedata.category(name[0])[0] != "M"):
        return False
    return all(_NEW_SLUG_RE.match(ch) or ch in "_-" or slug_letter(ch) for ch in name)


class RefNames:
    """Which tag names (and prefixes) git takes as they are: ASCII letters,
    digits and ``_.+/-`` (*ascii*), or among them letters, digits and marks
    of other scripts (the versions of правила.md are правила/v1.0).  Never
    a name starting with "-" or "." (an option, or a hidden name)."""

    def __init__(self, ascii: str):
        self._ascii = re.compile(ascii)

    def match(self, name: str) -> bool:
        if self._ascii.match(name):
            return True
        if name.isascii() or not name[:1].isalnum():
            return False
        return all(ch.isalnum() or ch in "_.+/-" or unicodedata.category(ch)[0] == "M" for ch in name)
