"""Stage 4 of the diff, and its entry points: sections of two versions
matched by heading (renamed sections by content, sections out of order
reported as moved), then each pair's blocks diffed (``pairing``) and the
words counted into a ``DocumentDiff``.
"""

from __future__ import annotations

import bisect
import gc
from typing import TYPE_CHECKING

from guidelines_app.core.document import Document, shared_front
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.review.diff.model import (
    BlockChange,
    DocumentDiff,
    SameRow,
    SectionChange,
    _word_count,
)

if TYPE_CHECKING:
    from guidelines_app.review.diff.blocks import SectionText

# The splitter, the pairing and the word alignment are imported where they
# are used: two versions with the same body (only the details changed, as
# after a status change) need none of them.

# Sections whose headings differ are the same section renamed when this
# share of their blocks (or of the heading's words) is the same.
RENAME_THRESHOLD = 0.5


def _longest_increasing(seq: list[int]) -> set[int]:
    """Positions in *seq* of one longest strictly increasing subsequence."""
    tails: list[int] = []
    tail_pos: list[int] = []
    prev = [-1] * len(seq)
    for pos, value in enumerate(seq):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_pos.append(pos)
        else:
            tails[k], tail_pos[k] = value, pos
        prev[pos] = tail_pos[k - 1] if k else -1
    keep: set[int] = set()
    pos = tail_pos[-1] if tail_pos else -1
    while pos != -1:
        keep.add(pos)
        pos = prev[pos]
    return keep


def _match_sections(old: list[SectionText], new: list[SectionText]) -> dict[int, int]:
    """old index -> new index."""
    from guidelines_app.review.diff.words import _similarity

    new_by_key = {s.key: j for j, s in enumerate(new)}
    match = {i: new_by_key[s.key] for i, s in enumerate(old) if s.key in new_by_key}
    used = set(match.values())
    rest_old = [i for i in range(len(old)) if i not in match]
    rest_new = [j for j in range(len(new)) if j not in used]
    if not rest_old or not rest_new:
        return match
    # Renamed sections: same blocks (found through an index, not all pairs),
    # or for short sections a similar heading at the same level.
    index: dict[str, list[int]] = {}
    for j in rest_new:
        for key in {b.key for b in new[j].blocks}:
            index.setdefault(key, []).append(j)
    candidates = []
    for i in rest_old:
        keys = {b.key for b in old[i].blocks}
        shared: dict[int, int] = {}
        for key in keys:
            for j in index.get(key, ()):
                shared[j] = shared.get(j, 0) + 1
        for j, n in shared.items():
            score = n / max(len(keys), len({b.key for b in new[j].blocks}))
            if score >= RENAME_THRESHOLD:
                candidates.append((score + 1.0, i, j))
        if len(rest_new) <= 200:
            old_text = " ".join(b.content for b in old[i].blocks)
            for j in rest_new:
                if j in shared:
                    continue
                title = _similarity(old[i].title.casefold(), new[j].title.casefold())
                if old[i].level != new[j].level:
                    title -= 0.3  # a new level and a new heading: only if nearly the same words
                new_text = " ".join(b.content for b in new[j].blocks)
                content = 1.0 if not old_text and not new_text else _similarity(old_text, new_text)
                if (title >= RENAME_THRESHOLD and content >= RENAME_THRESHOLD) or (title >= 0.2 and content >= 0.8):
                    candidates.append((title * content, i, j))
    for _score, i, j in sorted(candidates, reverse=True):
        if i not in match and j not in used:
            match[i] = j
            used.add(j)
    _match_gaps(old, new, match)
    return match


def _match_gaps(old: list[SectionText], new: list[SectionText], match: dict[int, int]) -> None:
    """Add to *match* the sections left unmatched between the same two
    matched neighbours, one on each side, with much of their text kept, or
    both a heading alone (such as the title): the heading was rewritten."""
    from guidelines_app.review.diff.words import _similarity

    gaps_old: dict[int, list[int]] = {}
    gaps_new: dict[int, list[int]] = {}
    anchor = -1
    for i in range(len(old)):
        if i in match:
            anchor = match[i]
        else:
            gaps_old.setdefault(anchor, []).append(i)
    anchor = -1
    by_new = {j: i for i, j in match.items()}
    for j in range(len(new)):
        if j in by_new:
            anchor = j
        else:
            gaps_new.setdefault(anchor, []).append(j)
    for anchor, olds in gaps_old.items():
        news = gaps_new.get(anchor, [])
        if not news or len(olds) * len(news) > 100:
            continue
        scored = []
        for i in olds:
            a = " ".join(b.content for b in old[i].blocks)
            for j in news:
                b = " ".join(x.content for x in new[j].blocks)
                if old[i].level != new[j].level:
                    continue
                if a and b:
                    scored.append((_similarity(a, b), i, j))
                elif not a and not b and len(olds) == len(news) == 1:
                    scored.append((1.0, i, j))
        taken: set[int] = set()
        for score, i, j in sorted(scored, reverse=True):
            if score >= 0.4 and i not in match and j not in taken:
                match[i] = j
                taken.add(j)


def diff_bodies(old_body: str, new_body: str) -> list[SectionChange]:
    from guidelines_app.review.diff.blocks import same_text, split_pair
    from guidelines_app.review.diff.pairing import diff_blocks
    from guidelines_app.review.diff.words import diff_words

    old, new = split_pair(old_body, new_body)  # sections with the same lines on both sides are not split
    match = _match_sections(old, new)
    by_new = {j: i for i, j in match.items()}
    # Sections whose order relative to the others changed are "moved".
    matched_new = sorted(by_new)
    stable_pos = _longest_increasing([by_new[j] for j in matched_new])
    moved_new = {j for pos, j in enumerate(matched_new) if pos not in stable_pos}

    # Removed (and moved-away) sections are shown after the nearest earlier
    # old section that stayed in place.
    after: dict[int, list[SectionChange]] = {}
    last_anchor = -1
    for i, sec in enumerate(old):
        j = match.get(i)
        if j is not None and j not in moved_new:
            last_anchor = j
            continue
        if j is None:
            after.setdefault(last_anchor, []).append(SectionChange(sec, None, [BlockChange("removed", b, None) for b in sec.blocks]))
        else:
            after.setdefault(last_anchor, []).append(SectionChange(sec, None, moved_from=True))
    rows: list[SectionChange] = list(after.get(-1, []))
    for j, sec in enumerate(new):
        i = by_new.get(j)
        if i is None:
            rows.append(SectionChange(None, sec, [BlockChange("added", None, b) for b in sec.blocks]))
        else:
            o = old[i]
            # (a heading taken away or added above the opening text is no
            # heading moved to another level: model.heading_change)
            level_changed = o.level != sec.level and o.level > 0 and sec.level > 0
            if same_text(o, sec):  # the same lines: every block equal, nothing to compare
                row = SameRow(o, sec, moved=j in moved_new, renamed=o.title != sec.title, level_changed=level_changed)
            else:
                row = SectionChange(o, sec, diff_blocks(o.blocks, sec.blocks), moved=j in moved_new,
                                    renamed=o.title != sec.title, level_changed=level_changed)
            if row.renamed:
                row.title_words = diff_words(o.title, sec.title)
            rows.append(row)
        rows.extend(after.get(j, []))
    return rows


def diff_texts(old_text: str, new_text: str, changes_only: bool = False) -> DocumentDiff:
    """Compare two whole documents (details block and body).  With
    *changes_only* (a report of what changed, as the text redline), a body
    that is the same on both sides is not read at all: no rows."""
    # Tens of thousands of small objects and no reference cycles: the cyclic
    # garbage collector would only walk the whole heap again and again.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _diff_texts(old_text, new_text, changes_only)
    finally:
        if paused:
            gc.enable()


def _changed_details(keys: list[str], old: dict, new: dict) -> list[tuple[str, object, object]]:
    """(key, old value, new value) of each detail that changed; a group of
    details (the questionnaire's answers) by the answers in it that changed,
    as "answers.organization" (it was one line of both groups whole, as
    Python writes a mapping: thousands of characters)."""
    changed = []
    for key in keys:
        a, b = old.get(key), new.get(key)
        if str(a) == str(b):
            continue
        if isinstance(a, dict) or isinstance(b, dict):
            a, b = a if isinstance(a, dict) else {}, b if isinstance(b, dict) else {}
            inner = list(dict.fromkeys([*a, *b]))
            changed += [(f"{key}.{k}", a.get(k), b.get(k)) for k in inner if str(a.get(k)) != str(b.get(k))]
        else:
            changed.append((key, a, b))
    return changed


def _diff_texts(old_text: str, new_text: str, changes_only: bool = False) -> DocumentDiff:
    if old_text == new_text:
        identical = True
    else:
        identical = False
    try:
        front = shared_front(old_text, new_text)
        if front:
            # The same details block, as most revisions have: not read at all.
            old_body, new_body, meta = old_text[len(front):], new_text[len(front):], []
        else:
            old_doc = Document.parse(old_text)
            new_doc = Document.parse(new_text)
            old_body, new_body = old_doc.body, new_doc.body
            keys = list(dict.fromkeys(list(old_doc.meta) + list(new_doc.meta)))
            meta = _changed_details(keys, old_doc.meta, new_doc.meta)
    except GuidelinesError:
        old_body, new_body, meta = old_text, new_text, []
    rows = [] if changes_only and old_body == new_body else diff_bodies(old_body, new_body)
    if rows:
        meta = meta + _body_details(rows, old_body, new_body)
    if not rows:
        return DocumentDiff(rows, meta, identical=identical, old_body=old_body, new_body=new_body)
    from guidelines_app.review.diff.pairing import _mark_moves
    from guidelines_app.review.diff.words import changed_words

    result = DocumentDiff(rows, meta, identical=identical, old_body=old_body, new_body=new_body,
                          blocks_moved=_mark_moves(rows))
    for row in rows:
        if row.moved_from or not row.content_changed:  # no word of an unchanged section is new or gone
            continue
        for b in row.blocks:
            if b.kind == "equal" or b.moved or b.regrouped:  # no word is new or gone
                continue
            if b.kind == "added":
                result.words_inserted += _word_count(b.new.content)
            elif b.kind == "removed":
                result.words_deleted += _word_count(b.old.content)
            elif b.kind == "changed":
                aligned = b._aligned
                if aligned is not None:  # counted without building the WordOps
                    result.words_inserted += aligned.inserted
                    result.words_deleted += aligned.deleted
                    continue
                inserted, deleted = changed_words(b.words)
                result.words_inserted += inserted
                result.words_deleted += deleted
    return result


def _body_details(rows: list[SectionChange], old_body: str, new_body: str) -> list[tuple[str, object, object]]:
    """The changes of a "Title: ..." details block at the top of the
    bodies (``blocks._pre_blocks``, as Pelican and mdBook write one), as
    changes of the document's details, by key ("Status: draft" ->
    "Status: approved" is the status changed): the export prints that block
    on its title page, not as text.  Its blocks' changes leave *rows* (no
    section is changed by them, and none of their words counts as inserted
    or deleted), and so does a section that held nothing else."""
    found = False
    emptied = []
    for row in rows:
        sec = row.new if row.new is not None else row.old
        if sec is None or sec.level and (row.old is None or row.old.level):
            continue  # (not the opening text, before the first heading, on either side)
        if row.moved_from or not row.content_changed:
            continue
        kept = []
        for b in row.blocks:
            if b.block.kind != "meta" or b.kind == "equal":
                kept.append(b)
            else:
                found = True
                if b.kind == "changed":  # (the same as text: its changes are the details')
                    kept.append(BlockChange("equal", b.old, b.new))
        row.blocks = kept
        if not kept and (row.added or row.removed):
            emptied.append(row)
    if not found:
        return []
    rows[:] = [row for row in rows if all(row is not gone for gone in emptied)]
    old, new = _details_block(old_body), _details_block(new_body)
    return [(key, old.get(key), new.get(key)) for key in dict.fromkeys([*old, *new]) if old.get(key) != new.get(key)]


def _details_block(body: str) -> dict[str, str]:
    """The "Key: value" lines of the details block at the top of *body*,
    by key in lower case ("Status" is the status)."""
    from guidelines_app.core.md_lines import metadata_block

    lines = body.split("\n")
    first, end = metadata_block(lines)
    details: dict[str, str] = {}
    for line in lines[first:end]:
        key, _, value = line.partition(":")
        details.setdefault(key.strip().lower(), value.strip())
    return details


def diff_revisions(ws, slug: str, rev_a: str, rev_b: str | None = None) -> DocumentDiff:
    """Compare two revisions of a document as typed by a user; *rev_b* None
    (or ``history.WORKING``) is the file on disk."""
    from guidelines_app.review import history

    old = history.text_at(ws, slug, rev_a)
    new = history.text_at(ws, slug, rev_b or history.WORKING)
    return diff_texts(old, new)
