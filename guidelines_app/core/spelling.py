"""Spelling for the rich editor: which words of a text are misspelt, with
suggestions, and the workspace's own word list.

Hunspell dictionaries ship with the app (``resources/dictionaries``), read
by ``spylls`` (pure Python, the same in every install) with a word cache;
pyenchant is used instead when it imports and has the language.  Words in
code, links and the document's details are never checked: the editor only
passes plain words of text.  The workspace's words are a committed file,
``.guidelines/words.txt`` (one a line), so the team shares them.
"""

from __future__ import annotations

import functools
import re
import threading
from pathlib import Path

from guidelines_app.core.fileio import atomic_write_text
from guidelines_app.core.paths import resources_dir

LANGUAGES = {"en_US": "English (US)", "en_GB": "English (UK)"}
WORDS_FILE = ".guidelines/words.txt"
# A word as the checker sees it: letters with inner apostrophes or hyphens.
WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_CACHE_LIMIT = 200_000
# Texts (paragraphs) whose misspelt words are kept, at most: an edit of many
# paragraphs (a Replace All, its undo) has Qt check every paragraph between
# the first and the last changed again, most of them as they were (2,253 for
# 582 changed in a 40,000-word policy, 0.05-0.1 s of the window's).
_TEXTS_LIMIT = 50_000
_TEXTS_CHARS = 8_000_000  # and at most this many characters of them (each text typed into is kept anew)


def dictionaries_dir() -> Path:
    """The shipped dictionaries (installed, or in this checkout)."""
    for folder in (resources_dir() / "dictionaries", Path(__file__).resolve().parents[2] / "resources" / "dictionaries"):
        if (folder / "en_US.aff").is_file():
            return folder
    return resources_dir() / "dictionaries"


_LOCK = threading.Lock()


@functools.cache
def _loaded(language: str):
    from spylls.hunspell import Dictionary, readers
    from spylls.hunspell.readers.file_reader import FileReader

    opened = []

    class Reader(FileReader):
        """spylls' file reader, with every file it opens closed afterwards."""

        def _open(self, path, encoding):
            handle = open(path, encoding=encoding, errors="surrogateescape")  # noqa: SIM115 - closed below
            opened.append(handle)
            return handle

    path = str(dictionaries_dir() / language)
    try:
        aff, context = readers.read_aff(Reader(path + ".aff"))
        dic = readers.read_dic(Reader(path + ".dic", encoding=context.encoding), aff=aff, context=context)
    finally:
        for handle in opened:
            handle.close()
    return Dictionary(aff, dic)


def _dictionary(language: str):
    """The language's Hunspell dictionary, read once per run (half a second)."""
    with _LOCK:
        return _loaded(language)


class Speller:
    """One language's checker.  ``known(word)`` is cached: a document's
    words are checked once, then looked up."""

    def __init__(self, language: str = "en_US", extra: set[str] | None = None):
        if language not in LANGUAGES:
            raise ValueError(f"no dictionary for {language!r}")
        self.language = language
        self.extra = {w.casefold() for w in (extra or set())}
        self._cache: dict[str, bool] = {}
        self._texts: dict[str, tuple[tuple[int, int], ...]] = {}
        self._texts_chars = 0
        self._enchant = None
        self._spylls = None
        try:
            import enchant  # type: ignore[import-not-found]

            if enchant.dict_exists(language):
                self._enchant = enchant.Dict(language)
        except Exception:  # noqa: BLE001 - no pyenchant or no C library: spylls
            self._enchant = None
        if self._enchant is None:
            self._spylls = _dictionary(language)

    @property
    def engine(self) -> str:
        return "pyenchant" if self._enchant is not None else "spylls"

    def known(self, word: str) -> bool:
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        plain = word.replace("’", "'")
        ok = (len(word) < 2 or plain.casefold() in self.extra or word.isupper() or not _latin(word)
              or self._lookup(plain))
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = ok
        return ok

    def _lookup(self, word: str) -> bool:
        if "-" in word:
            # "pre-approved": known as a whole, or each longer part known
            # (short parts are prefixes: pre-, co-, re-, e-).
            return self._lookup_one(word) or all(len(p) <= 3 or self._lookup_one(p) for p in word.split("-"))
        return self._lookup_one(word)

    def _lookup_one(self, word: str) -> bool:
        if self._enchant is not None:
            return bool(self._enchant.check(word))
        return bool(self._spylls.lookup(word))

    def suggest(self, word: str, limit: int = 6) -> list[str]:
        plain = word.replace("’", "'")
        if self._enchant is not None:
            found = self._enchant.suggest(plain)
        else:
            found = []
            for s in self._spylls.suggest(plain):
                found.append(s)
                if len(found) >= limit:
                    break
        return found[:limit]

    def add(self, word: str) -> None:
        self.extra.add(word.casefold())
        self._cache.pop(word, None)
        self._cache = {w: ok for w, ok in self._cache.items() if ok}
        self._texts, self._texts_chars = {}, 0  # (a text with the word in it has one misspelling fewer)

    def misspelt(self, text: str) -> tuple[tuple[int, int], ...]:
        """(start, end) of each misspelt word of plain *text* (kept by text:
        a paragraph checked again as it was is looked up)."""
        found = self._texts.get(text)
        if found is None:
            found = tuple((m.start(), m.end()) for m in WORD_RE.finditer(text) if not self.known(m.group(0)))
            if len(self._texts) >= _TEXTS_LIMIT or self._texts_chars > _TEXTS_CHARS:
                self._texts, self._texts_chars = {}, 0
            self._texts[text] = found
            self._texts_chars += len(text)
        return found


def _latin(word: str) -> bool:
    """Whether *word* is written in Latin letters, the English dictionary's:
    a word in Cyrillic, Greek or Chinese (a Russian title) is not marked
    misspelt by it."""
    if word.isascii():
        return True
    import unicodedata

    return any(c.isascii() or unicodedata.name(c, "").startswith("LATIN") for c in word if c.isalpha())


# ---------------------------------------------------------------------------
# The workspace's words
# ---------------------------------------------------------------------------


_ORGANIZATION_RE = re.compile(r"^organization:[ \t]*['\"]?(.*?)['\"]?[ \t]*$", re.M)


def workspace_words(root: Path) -> set[str]:
    """The workspace's own words (its word list) and the words of the
    organization names its documents give: "Northwind" is no misspelling
    in Northwind's own guidelines."""
    return _listed_words(root) | _organization_words(Path(root) / "guidelines")


def _listed_words(root: Path) -> set[str]:
    try:
        text = (Path(root) / WORDS_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    return {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}


def _organization_words(folder: Path) -> set[str]:
    words: set[str] = set()
    try:
        paths = sorted(folder.glob("*.md"))[:200]
    except OSError:
        return words
    for path in paths:
        try:
            with path.open(encoding="utf-8", errors="replace") as f:
                head = f.read(4096)  # the details block is at the top
        except OSError:
            continue
        if head.startswith("---"):
            for m in _ORGANIZATION_RE.finditer(head.split("\n---", 1)[0]):
                words.update(w.group(0) for w in WORD_RE.finditer(m.group(1)))
    return words


def add_workspace_word(ws, word: str, author) -> None:
    """Add *word* to the workspace's word list and commit the list alone."""
    path = Path(ws.root) / WORDS_FILE
    words = _listed_words(ws.root) | {word.strip()}
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, "\n".join(sorted(words, key=str.casefold)) + "\n")
    ws.store.commit_file(WORDS_FILE, f"Spelling: “{word.strip()}” added to the workspace's words", author)
