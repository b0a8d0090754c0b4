"""Who changed what: the paragraph that was last changed by whom ("Who
changed this paragraph?"), and the people behind each changed section of a
comparison.  Both read ``git blame`` through the git gateway; a paragraph or
section is credited to the revisions that last touched its lines."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from guidelines_app.core.document import Document
from guidelines_app.core.errors import RevisionError
from guidelines_app.core.gitstore import BlameLine
from guidelines_app.core.markup import scan_headings
from guidelines_app.core.workspace import Workspace
from guidelines_app.review.history import WORKING, resolve, text_at


@dataclass(frozen=True)
class ParagraphBlame(BlameLine):
    """The newest change among a paragraph's lines (sha all zeros when the
    paragraph has unsaved changes)."""

    first_line: int = 0  # 0-based, in the body
    last_line: int = 0
    text: str = ""


def _front_lines(text: str) -> int:
    doc = Document.parse(text)
    return doc.front_matter_lines


def blame(ws: Workspace, slug: str, text: str | None = None) -> list[ParagraphBlame]:
    """For each paragraph of the body (blank-line separated; headings on
    their own), the latest revision that changed any of its lines.

    *text* is the document as the editor has it (unsaved edits show as not
    saved yet); without it, the file as saved."""
    relpath = ws.relpath(slug)
    if text is None:
        text = ws.committed_text(slug)
        if text is None:
            raise RevisionError(f"{slug} has no saved revision yet")
        lines_info = ws.store.blame_lines(relpath)
    else:
        lines_info = ws.store.blame_lines(relpath, contents=text.encode("utf-8"))
    offset = _front_lines(text)
    body_lines = text.split("\n")[offset:]
    heading_lines = {line for line, _level, _title in scan_headings(body_lines)}
    out: list[ParagraphBlame] = []
    start = None

    def flush(end: int) -> None:
        infos = [lines_info[offset + i] for i in range(start, end + 1) if offset + i < len(lines_info)]
        if not infos:
            return
        newest = max(infos, key=lambda b: (b.uncommitted, b.date))
        out.append(ParagraphBlame(newest.sha, newest.author, newest.email, newest.date, newest.summary,
                                  first_line=start, last_line=end, text="\n".join(body_lines[start:end + 1])))

    for i, line in enumerate(body_lines):
        if not line.strip():
            if start is not None:
                flush(i - 1)
                start = None
            continue
        if i in heading_lines:
            if start is not None:
                flush(i - 1)
            start = i
            flush(i)
            start = None
            continue
        if start is None:
            start = i
    if start is not None:
        flush(len(body_lines) - 1)
    return out


def blame_at_line(ws: Workspace, slug: str, body_line: int, text: str | None = None) -> ParagraphBlame | None:
    for para in blame(ws, slug, text):
        if para.first_line <= body_line <= para.last_line:
            return para
    return None


# ---------------------------------------------------------------------------
# Who made the changes of a comparison
# ---------------------------------------------------------------------------

UNSAVED_SHA = "0" * 40  # blame's id for lines not saved yet


def change_line(b: BlameLine) -> str:
    """One revision that changed something, for a reader: 'Name, 2026-11-23:
    message (ab12cd34)', or 'you (not saved yet)' for edits in the editor."""
    if b.uncommitted:
        return "you (not saved yet)"
    return f"{b.author}, {b.date.astimezone():%Y-%m-%d}: {b.summary} ({b.sha[:8]})"


def change_authors(ws: Workspace, slug: str, result, old: str, new: str,
                   new_text: str | None = None) -> dict[int, list[BlameLine]]:
    """Who made the changes of *result*, the diff from revision *old* to *new*.

    For each changed section (an index into ``result.rows``), the revisions
    after *old* that last touched its edited, added or moved paragraphs (or
    its renamed heading), newest first.  *new* is a revision, or ``WORKING``
    with *new_text* the text compared (unsaved edits count as one revision
    with the id ``UNSAVED_SHA``).  Removed text has no author here: the new
    version no longer holds it."""
    relpath = ws.relpath(slug)
    old_sha = resolve(ws, slug, old)
    if new == WORKING:
        if new_text is None:
            new_text = ws.load(slug).to_text()
        lines = ws.store.blame_lines(relpath, contents=new_text.encode("utf-8"))
        since = ws.store.commits_between(old_sha, resolve(ws, slug, "HEAD"), relpath) | {UNSAVED_SHA}
    else:
        new_sha = resolve(ws, slug, new)
        new_text = text_at(ws, slug, new_sha)
        lines = ws.store.blame_lines(relpath, revision=new_sha)
        since = ws.store.commits_between(old_sha, new_sha, relpath)
    if not since:
        return {}
    text_lines = new_text.split("\n")
    offset = _front_lines(new_text)
    # Where every heading and block of the new version starts (body lines):
    # a block's lines run to the next start.
    every_start = sorted({row.new.line for row in result.rows if row.new is not None and row.new.title}
                         | {b.new.line for row in result.rows for b in row.blocks if b.new is not None})

    def block_lines(first: int) -> range:
        at = bisect.bisect_right(every_start, first)
        end = every_start[at] if at < len(every_start) else len(text_lines) - offset
        return range(offset + first, offset + end)

    out: dict[int, list[BlameLine]] = {}
    for i, row in enumerate(result.rows):
        if row.new is None or not row.changed:
            continue
        whole = row.added or row.moved
        starts = [row.new.line] if (whole or row.renamed or row.level_changed) and row.new.title else []
        starts += [b.new.line for b in row.blocks if b.new is not None and (whole or b.kind in ("changed", "added"))]
        found: dict[str, BlameLine] = {}
        for start in starts:
            for n in block_lines(start):
                if n < len(lines) and text_lines[n].strip() and lines[n].sha in since:
                    found.setdefault(lines[n].sha, lines[n])
        if found:
            out[i] = sorted(found.values(), key=lambda b: (b.uncommitted, b.date), reverse=True)
    return out
