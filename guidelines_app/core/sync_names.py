"""How a sync's messages name what it found: documents by their title (a
file that is not a guideline document by its path), the conflicts in a
sentence ("section “Scope” and detail “Status” in “Social media
guidelines”")."""

from __future__ import annotations

from guidelines_app.core.conflicts import Conflict
from guidelines_app.core.workspace import DOCS_DIR


def describe(found: list[Conflict]) -> str:
    """The conflicts *found* as a sentence names them, document by document
    (by its title, as the list of documents and the resolver name it; a file
    that is not a guideline document by its path): 'section “Scope” and
    detail “Status” in “Social media guidelines”'."""
    by_file: dict[str, list[Conflict]] = {}
    for c in found:
        by_file.setdefault(c.path, []).append(c)
    return "; ".join(f"{_listed([c.label[:1].lower() + c.label[1:] for c in cs])} in “{named(cs[0])}”"
                     for cs in by_file.values())


def named(conflict: Conflict) -> str:
    """The document a conflict is in, by its title (a file that is not a guideline document: its path)."""
    return conflict.document or shown(conflict.path)


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def shown(path: str) -> str:
    return path.removeprefix(f"{DOCS_DIR}/").removesuffix(".md") if path.startswith(f"{DOCS_DIR}/") else path
