"""What the Compare window's first screen needs, worked out on a worker in
one go (Qt-free: the window only puts it in place): both texts, the
comparison, the names of the two versions (without reading the history),
the first sections' pages, the verdict, the list of changed sections and
the lookup of who made the changes.

Building a long policy's redline, and laying it out in a view, takes far
longer than the comparison itself, so the first paint shows only the first
sections of the layout that is selected (``head_of``); the window builds
the whole pages after that paint.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from guidelines_app.core import gitbatch, wording
from guidelines_app.core.approval import tag_prefix
from guidelines_app.core.colours import LIGHT
from guidelines_app.core.document import detail_name
from guidelines_app.core.gitbatch import ObjectReader
from guidelines_app.core.workspace import Workspace
from guidelines_app.review import blame, history, redline
from guidelines_app.review import diff as diffmod
from guidelines_app.review.revisions import read_texts

HEAD_BLOCKS = 24  # at most, when the views' size is not known: about the blocks of the first screens
# With the views' size known (``Screen``), the first sections fill this many
# screens, as estimated from their text: the first screen whatever the
# estimate misses, and not the rest of the head, built again with the whole page.
SCREENS = 1.5
UNSAVED = "\x00unsaved"  # the editor's text, saved or not


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a revision the user can name, or the editor."""

    revision: str  # commit id, history.WORKING, or UNSAVED
    label: str | None = None  # None: read with the comparison (revision_label)


def entry_label(e: history.HistoryEntry, limit: int | None = 50) -> str:
    """How a revision of the history is named in the version boxes (its
    message cut at *limit* characters) and wherever the window names one:
    "v1.0 · 7 Dec 2026 14:14 · Dana Writer · Faster replies", cut after a word with "…"."""
    v = f"{e.version_label} · " if e.versions else ""
    return f"{v}{wording.short_moment(e.revision.date)} · {e.revision.author} · {wording.cut_at_word(e.revision.subject, limit)}"


def short_name(label: str) -> str:
    """A side's name where room is short (the Word redline's page header,
    on one line): an ``entry_label``'s version, else its moment ("v1.0",
    "7 Dec 2026 14:14"); another name ("Current text") as it is."""
    return label.split(" \u00b7 ", 1)[0]


def versions_by_commit(ws: Workspace, slug: str) -> dict[str, list[str]]:
    """{commit: its published versions, in order}."""
    versions: dict[str, list[str]] = {}
    for pub in history.publications(ws, slug):
        versions.setdefault(pub.commit, []).append(str(pub.version))
    return versions


def newest_entries(ws: Workspace, slug: str, count: int, versions=None) -> list[history.HistoryEntry]:
    """The document's newest *count* revisions as the version boxes name
    them (``entry_label``: no statuses), without reading the whole history;
    *versions*: ``versions_by_commit``, when the comparison has read them."""
    versions = versions_by_commit(ws, slug) if versions is None else versions
    return [history.HistoryEntry(rev, versions.get(rev.sha, [])) for rev in ws.history(slug, max_count=count)]


def render_pages(result, sides, colours=LIGHT, changes_only: bool = False) -> dict[str, str]:
    """The HTML of the views *sides* ("old", "new", "inline") of the
    comparison *result* (with *changes_only*, of its changed sections)."""
    return {side: redline.render_html_fragment(result, side=side, qt=True, changes_only=changes_only, colours=colours)
            for side in sides}


@dataclass(frozen=True)
class Screen:
    """What a view shows at once: *lines* of text of *chars* characters."""

    lines: int
    chars: int


def head_of(result, screen: Screen | None = None):
    """(the first sections of *result*, a few screens' worth, or SCREENS of
    *screen* when given; whether that is all of it).  The rows are the same
    objects, so the change anchors and the shown text of these sections are
    those of the whole page."""
    blocks, lines = 0, 0.0
    budget = None if screen is None else SCREENS * screen.lines
    # A block takes a line at least: short ones (list items, table rows) may fill the screen only past HEAD_BLOCKS.
    most = HEAD_BLOCKS if budget is None else max(HEAD_BLOCKS, budget)
    for n, row in enumerate(result.rows, 1):
        blocks += len(row.blocks) + 1
        if budget is not None:
            lines += _lines(row, screen.chars)
        if (blocks >= most or (budget is not None and lines >= budget)) and n < len(result.rows):
            return dataclasses.replace(result, rows=result.rows[:n]), False
    return result, True


def _lines(row, chars: int) -> float:
    """About the lines *row* takes in a view *chars* characters wide: its
    heading, and each block's longer side (Markdown marks counted as text),
    with the space between paragraphs."""
    lines = 2.0
    for b in row.blocks:
        longest = max(len(b.old.content) if b.old is not None else 0, len(b.new.content) if b.new is not None else 0)
        lines += -(-longest // chars) + 0.5
    return lines


def sections(result: diffmod.DocumentDiff, changes: list[diffmod.ChangeRef]) -> list[tuple[str, int, int | None]]:
    """The changed sections' list: (text, its first change or -1, its row or None for the details)."""
    first_change: dict[int, int] = {}
    for c in changes:
        first_change.setdefault(c.row, c.index)
    items = [(f"{'  ' * max(row.level - 1, 0)}{redline.label_text(row)} — {row.kind}", first_change.get(i, -1), i)
             for i, row in enumerate(result.rows) if row.changed]
    if result.meta_changes:
        items.insert(0, ("Document details — " + ", ".join(detail_name(k) for k, _, _ in result.meta_changes), -1, None))
    return items


@dataclass
class Computed:
    """A comparison as the window shows it, worked out on a worker."""

    result: diffmod.DocumentDiff
    labels: redline.Labels
    pages: dict[str, str]  # the first sections of the layout shown first (all of it when complete): HTML
    complete: bool
    new_text: str
    verdict: str
    changes: list[diffmod.ChangeRef]
    sections: list[tuple[str, int, int | None]]  # the changed sections' list: (text, first change, row)
    paged: diffmod.DocumentDiff  # the comparison the views are laid out from (the result, both texts whole)
    versions: dict[str, list[str]] | None = None  # the published versions by commit, when read for the names
    # Who made the changes (blame.change_authors): None when not looked up,
    # the answer when known at once, else the lookup, *authors(ws)*.
    authors: dict | Callable[[Workspace], dict] | None = None
    changes_only: bool = False  # a very large text: the pages show the changed sections only


def compare(ws: Workspace, slug: str, old: Side, new: Side, unsaved_text: str | None, author: str, sides, colours=LIGHT,
            reader: ObjectReader | None = None, authors: tuple[str, str] | None = None,
            screen: Screen | None = None, whole_up_to: int | None = None) -> Computed:
    """On a worker: the comparison, the first sections of the views *sides*
    (the layout shown first; ``head_of`` the views' *screen*) as HTML, and
    everything else the first screen shows.  Both texts and the revisions to name are one
    request to *reader* (a ``git cat-file`` kept running); the published
    versions, for those names, are listed by a git process started first
    and read last (it runs while the texts are compared).  With *authors*
    (the old revision and the new one, or ``WORKING`` for *unsaved_text*),
    the lookup of who made the changes, for the text compared and the ids
    read (nothing to look up: the answer).  A text longer than *whole_up_to*
    characters (a very large document) makes pages of the changed sections
    only: a whole page of tens of megabytes would hold the window for
    seconds as it is read into a view."""
    unnamed = [side.revision for side in (old, new) if side.label is None]  # full commit ids
    if unnamed:
        gitbatch.prefetch_tags(ws.store, tag_prefix(ws.check_slug(slug)))  # collected by versions_by_commit below
    try:
        commits = [side.revision for side in (old, new) if side.revision not in (UNSAVED, history.WORKING)]
        texts, revisions = read_texts(ws, slug, list(dict.fromkeys(commits)), list(dict.fromkeys(unnamed)), reader)
        for side in (old, new):
            if side.revision == UNSAVED:
                texts[side.revision] = unsaved_text or ""
            elif side.revision == history.WORKING:
                texts[side.revision] = history.text_at(ws, slug, side.revision)
        old_text, new_text = texts[old.revision], texts[new.revision]
        title = ws.saved_title(slug)
        result = diffmod.diff_texts(old_text, new_text)
        found = None
        if authors is not None and result.has_changes:
            found = {} if not any(row.changed for row in result.rows) else (
                lambda ws: blame.change_authors(ws, slug, result, *authors, new_text, resolved=True))
        # Both texts stay whole: a redline reads some blocks' lines from them
        # (the quotes a code block is in); the link definitions, read for
        # each view, are kept by md_refs.
        paged = result
        changes_only = whole_up_to is not None and max(len(old_text), len(new_text)) > whole_up_to
        head, complete = (paged, True) if changes_only else head_of(paged, screen)
        changes = result.changes()
        pages = render_pages(head, sides, colours, changes_only)
        verdict, listed = result.verdict(), sections(result, changes)
        versions = versions_by_commit(ws, slug) if unnamed else None  # last: git had all that time
    finally:
        gitbatch.drop_prefetched(ws.store)  # a listing not read (an error above): its git process waited for
    names = [side.label if side.label is not None
             else entry_label(history.HistoryEntry(revisions[side.revision], versions.get(side.revision, [])))
             for side in (old, new)]
    labels = redline.Labels(title, *names, author, header=" \u2192 ".join(short_name(name) for name in names))
    return Computed(result, labels, pages, complete, new_text, verdict, changes, listed, paged, versions, found,
                    changes_only=changes_only)
