"""Link reference definitions ("[ref]: https://...") and the references
that name them ("[text][ref]", "[text][]", "[ref]").

A block of a comparison is shown on its own, away from the definitions at
the end of the document; ``link_references`` makes a document's definitions
known while a redline is laid out, so ``core.inline_markup`` shows such a
link as its text, linked, as the export does.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

_REFERENCES: ContextVar[dict[str, str] | None] = ContextVar("link_references", default=None)
_REF_DEF_LINE_RE = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*<?([^\s>]+)>?", re.M)
# A block made of definitions only (the diff joins their lines).
REF_DEFS_RE = re.compile(r"""(?:\s*\[[^\]^][^\]]*\]:\s*\S+(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?)+\s*""")
# A reference: "[text]" and an optional "[label]" (empty: the text is the label).
REF_USE_RE = re.compile(r"\[((?:[^\[\]\\]|\\.)+)\](?:\[([^\[\]]*)\])?")


def reference_label(text: str) -> str:
    """A label as CommonMark matches it: case and runs of spaces ignored."""
    return " ".join(text.split()).casefold()


def reference_definitions(body: str) -> dict[str, str]:
    """The link reference definitions of *body*: label -> URL.  The last
    two bodies' are kept: a comparison's views each ask for both texts'
    (a regex over a whole long text, about 3 ms, for every view)."""
    if "]:" not in body:  # no definition at all: one scan in C instead of a regex per line
        return {}
    return dict(_definitions(body))


@lru_cache(maxsize=2)
def _definitions(body: str) -> tuple[tuple[str, str], ...]:
    # (a body asked for again is the same string: found by its kept hash and its identity)
    return tuple({reference_label(m.group(1)): m.group(2) for m in _REF_DEF_LINE_RE.finditer(body)}.items())


def current_references() -> dict[str, str] | None:
    """The definitions made known by the ``link_references`` in force."""
    return _REFERENCES.get()


@contextmanager
def link_references(*bodies: str):
    """While in the ``with``: reference links resolve to the definitions of
    *bodies* (a later body's win), and a block of definitions shows
    nothing, as in the export."""
    refs: dict[str, str] = {}
    for body in bodies:
        refs.update(reference_definitions(body))
    token = _REFERENCES.set(refs)
    try:
        yield refs
    finally:
        _REFERENCES.reset(token)
