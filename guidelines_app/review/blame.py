"""Who changed what: the paragraph that was last changed by whom ("Who
changed this paragraph?"), and the people behind each changed section of a
comparison.  Both read ``git blame`` through the git gateway; a paragraph or
section is credited to the revisions that last touched its lines."""

from __future__ import annotations

import bisect
from collections import namedtuple

from guidelines_app.core import blamecache
from guidelines_app.core.document import Document
from guidelines_app.core.errors import RevisionError
from guidelines_app.core.gitstore import BlameLine
from guidelines_app.core.outline import scan_headings
from guidelines_app.core.workspace import Workspace
from guidelines_app.review.revisions import WORKING, resolve, text_at


class ParagraphBlame(namedtuple("ParagraphBlame", (*BlameLine._fields, "first_line", "last_line", "text"),
                                defaults=(0, 0, ""))):
    """The newest change among a paragraph's lines (sha all zeros when the
    paragraph has unsaved changes): a BlameLine's fields, then the
    paragraph's first and last line (0-based, in the body) and its text."""

    __slots__ = ()
    uncommitted = BlameLine.uncommitted


def _front_lines(text: str, body: str | None = None) -> int:
    """How many lines of *text* come before its body: *body* when the
    comparison already split it off (counted, not read again as YAML)."""
    if body and text.endswith(body):
        return text[:len(text) - len(body)].count("\n")
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


def change_authors(ws: Workspace, slug: str, result, old: str, new: str, new_text: str | None = None,
                   reference: bool = False, resolved: bool = False) -> dict[int, list[BlameLine]]:
    """Who made the changes of *result*, the diff from revision *old* to *new*.

    For each changed section (an index into ``result.rows``), the revisions
    after *old* that last touched its edited, added or moved paragraphs (or
    its renamed heading), newest first.  *new* is a revision, or ``WORKING``
    with *new_text* the text compared (unsaved edits count as one revision
    with the id ``UNSAVED_SHA``).  Removed text has no author here: the new
    version no longer holds it.

    Only the lines of the changed blocks are looked up, over the revisions
    from *old* to *new* (``git blame -L... old..new``; the answer is kept in
    ``core.blamecache``), so the time follows the change, not the history.
    *reference* looks up every line over the whole history instead: the
    same answer, slower (the tests compare the two).  *resolved*: *old* and
    *new* (unless ``WORKING``) are full commit ids ``resolve`` gave, not
    checked again (a comparison has read both)."""
    relpath = ws.relpath(slug)
    old_sha = old if resolved else resolve(ws, slug, old)
    contents = None
    if new == WORKING:
        if new_text is None:
            new_text = ws.load(slug).to_text()
        new_sha = resolve(ws, slug, "HEAD")
        contents = new_text.encode("utf-8")
    else:
        new_sha = new if resolved else resolve(ws, slug, new)
        if new_text is None:
            new_text = text_at(ws, slug, new_sha)
    text_lines = new_text.split("\n")
    offset = _front_lines(new_text, getattr(result, "new_body", None))
    wanted = _changed_lines(result, len(text_lines), offset)
    if not wanted:
        return {}  # no section changed in the body (the details alone, or nothing)
    since = ws.store.commits_between(old_sha, new_sha, relpath)
    if contents is not None:
        since |= {UNSAVED_SHA}
    if not since:
        return {}
    if reference:
        if contents is not None:
            every = ws.store.blame_lines(relpath, contents=contents)
        else:
            every = ws.store.blame_lines(relpath, revision=new_sha)
        lines = {n: every[n] for n in range(len(every))}
    else:
        ranges = _ranges(n for n in sorted(set().union(*wanted.values())) if text_lines[n].strip())
        lines = blamecache.blame(ws.store, relpath, ranges, new_sha, old_sha, contents)
    out: dict[int, list[BlameLine]] = {}
    for i, numbers in wanted.items():
        found: dict[str, BlameLine] = {}
        for n in numbers:
            if n in lines and text_lines[n].strip() and lines[n].sha in since:
                found.setdefault(lines[n].sha, lines[n])
        if found:
            out[i] = sorted(found.values(), key=lambda b: (b.uncommitted, b.date), reverse=True)
    return out


def _changed_lines(result, count: int, offset: int) -> dict[int, list[int]]:
    """{row index: the 0-based file lines of its changed blocks (or renamed
    heading)}, in order, for the rows of *result* that changed."""
    # Where every heading and block of the new version starts (body lines):
    # a block's lines run to the next start.  The blocks of a section that
    # did not change are left out: no line of theirs is wanted, and its
    # heading, which comes first, ends whatever runs into it (so a section
    # whose lines are the same on both sides is never split for this).
    every_start = sorted({row.new.line for row in result.rows if row.new is not None and row.new.title}
                         | {b.new.line for row in result.rows if row.changed for b in row.blocks if b.new is not None})

    def block_lines(first: int) -> range:
        at = bisect.bisect_right(every_start, first)
        end = every_start[at] if at < len(every_start) else count - offset
        return range(offset + first, min(offset + end, count))

    wanted: dict[int, list[int]] = {}
    for i, row in enumerate(result.rows):
        if row.new is None or not row.changed:
            continue
        whole = row.added or row.moved
        starts = [row.new.line] if (whole or row.renamed or row.level_changed) and row.new.title else []
        starts += [b.new.line for b in row.blocks if b.new is not None and (whole or b.kind in ("changed", "added"))]
        numbers = [n for start in starts for n in block_lines(start)]
        if numbers:
            wanted[i] = numbers
    return wanted


def _ranges(numbers) -> list[tuple[int, int]]:
    """0-based line numbers (sorted) as 1-based inclusive ranges, runs joined."""
    ranges: list[list[int]] = []
    for n in numbers:
        if ranges and n <= ranges[-1][1] + 1:
            ranges[-1][1] = n + 1
        else:
            ranges.append([n + 1, n + 1])
    return [(a, b) for a, b in ranges]
