"""The plain-text redline (CLI): a ``diff.DocumentDiff`` as lines a reader
can follow in a terminal, deletions [-so-] and insertions {+so+}, each
changed section with who made its changes when asked.  Its first line,
which names the two sides, is ``redline_answer.text_heading``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from guidelines_app.core.document import detail_name
from guidelines_app.core.inline_diff import _plain
from guidelines_app.core.inline_markup import CELL, Piece, display_text, has_markup_chars
from guidelines_app.review.diff.model import OPENING
from guidelines_app.review.redline_layout import (
    BREAK_MARK,
    block_pieces,
    block_prefix,
    detail_values,
    heading_level,
    shown,
    title_pieces,
)
from guidelines_app.review.redline_numbers import ItemNumbers

if TYPE_CHECKING:
    from guidelines_app.review.diff import Block, DocumentDiff, SectionChange, WordOp


def _marked(kind: str, text: str) -> str:
    """[-deleted-] or {+inserted+}, spaces at either end kept outside."""
    core = text.strip()
    if not core:
        return text
    lead, tail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return lead + ("[-" + core + "-]" if kind == "delete" else "{+" + core + "+}") + tail


def _pieces_text(pieces: list[Piece], indent: str = "") -> str:
    """A word diff as a reader sees it, in plain text: formatting dropped,
    deletions [-so-] and insertions {+so+}; a changed link names its
    target, since the target may be all that changed.  A line break inside
    the paragraph starts a new line, in by *indent*; one added or taken
    away on its own is marked {+↵+} or [-↵-] (the new text's lines: a
    break taken away starts none)."""
    runs: list[list] = []  # [kind, text]
    for p in pieces:
        text = p.text.replace(CELL, " | ")
        if p.kind != "equal" and p.fmt.link and text.strip():
            core = text.rstrip()
            text = f"{core} <{p.fmt.link}>{text[len(core):]}"
        if runs and runs[-1][0] == p.kind:
            runs[-1][1] += text
        else:
            runs.append([p.kind, text])
    out = []
    for kind, text in runs:
        if kind != "equal" and "\n" in text and not text.strip():
            mark = BREAK_MARK * text.count("\n")
            out.append("{+" + mark + "+}\n" if kind == "insert" else "[-" + mark + "-]")
        else:
            out.append(text if kind == "equal" else _marked(kind, text))
    line = "".join(out)
    return line.replace("\n", "\n" + indent) if "\n" in line else line


def _changes_show(pieces: list[Piece]) -> bool:
    """Whether a change among *pieces* shows: a word, or a line break."""
    return any(p.kind != "equal" and (p.text.strip() or "\n" in p.text) for p in pieces)


def _plain_ops(b) -> list | None:
    """The word diff of a changed paragraph or list item without markup on
    either side, as (kind, text) pairs: shown exactly as its source (what
    ``display_pieces`` gives for it), without working out shown pieces (nor
    WordOps, when the alignment has not made them yet).  None when a side
    holds markup."""
    aligned = b._aligned
    if aligned is not None:  # normalised text: the sides are the blocks' contents
        if not (_plain(aligned.old) and _plain(aligned.new)):
            return None
        return aligned.runs()
    ops = [(op.kind, op.text) for op in b.words]
    if not (_plain("".join([t for k, t in ops if k != "insert"])) and _plain("".join([t for k, t in ops if k != "delete"]))):
        return None
    return ops


def _marked_ops(ops) -> tuple[str, bool]:
    """(kind, text) pairs as one line, deletions [-so-] and insertions
    {+so+} (as ``_marked``), neighbours of the same kind joined first and
    empty ones dropped; and whether any change shows a word.

    One pass, no list of runs in between: it is the text redline's loop
    over every changed paragraph."""
    out: list[str] = []
    add = out.append
    shows = False
    kind, run = None, ""
    for k, text in ops + [(None, "x")]:  # the sentinel closes the last run
        if not text:
            continue
        if k == kind:
            run += text
            continue
        if kind == "equal":
            add(run)
        elif kind is not None:
            core = run.strip()
            if not core:
                add(run)
            else:
                shows = True
                mark = "[-" + core + "-]" if kind == "delete" else "{+" + core + "+}"
                if core is run:  # (strip gives the string itself when there is nothing to strip)
                    add(mark)
                else:
                    add(run[:len(run) - len(run.lstrip())] + mark + run[len(run.rstrip()):])
        kind, run = k, text
    return "".join(out), shows


def _plain_pair(old: str, new: str) -> bool:
    """``_plain(old) and _plain(new)`` for the normalised texts of an
    alignment (single spaces, none at either end): both looked at in one
    pass of each scan."""
    both = old + new
    return not has_markup_chars(both) and both.isprintable() and old[:1] != ">" and new[:1] != ">"


def _aligned_line(a: list[str], b: list[str], segs: list[list]) -> str | None:
    """The marked line of a plain paragraph's word alignment (``words.
    _Alignment``: its words *a* and *b* and its runs *segs*), what
    ``_marked_ops`` of its runs gives, worked out from the runs at once;
    None when a run was refined or a run kept ends one text only (a space
    left over: ``_marked_ops`` of ``_Alignment.runs`` tells those).

    Runs alternate kept and changed, words are never empty, and a changed
    run's words are marked whole, with the space after them (when its
    text goes on) outside the mark."""
    na, nb = len(a), len(b)
    out: list[str] = []
    add = out.append
    join = " ".join
    for same, i1, i2, j1, j2, refined in segs:
        if refined is not None:
            return None
        if same:
            if i2 < na and j2 < nb:
                add(join(b[j1:j2]) + " ")
            elif i2 == na and j2 == nb:
                add(join(b[j1:j2]))
            else:
                return None
            continue
        if i2 > i1:
            add("[-" + join(a[i1:i2]) + ("-] " if i2 < na else "-]"))
        if j2 > j1:
            add("{+" + join(b[j1:j2]) + ("+} " if j2 < nb else "+}"))
    return "".join(out)


def _changed_line(b, number: str | None = None) -> str:
    """The line of a changed block: its word diff as shown, or in source
    form when only markup changed.  *number*: see ``block_prefix``."""
    if b.block.kind not in ("row", "code"):
        aligned = b._aligned
        if aligned is not None and _plain_pair(aligned.old, aligned.new):
            line = _aligned_line(*aligned._split(), aligned.segs)
            if line is not None and ("[-" in line or "{+" in line):
                return f"  ~ {block_prefix(b.new, number)}" + line
        ops = _plain_ops(b)
        if ops is not None:
            line, shows = _marked_ops(ops)
            if shows:
                return f"  ~ {block_prefix(b.new, number)}" + line
            return f"  ~ (markup) {_ops_source(b.words)}"
    pieces = block_pieces(b)
    if _changes_show(pieces):
        lead = f"  ~ {block_prefix(b.new, number)}"
        return lead + _pieces_text(pieces, " " * len(lead))
    return f"  ~ (markup) {_ops_source(b.words)}"  # only markup changed (a comment, a tag line)


def _block_text(block: Block, number: str | None = None) -> str:
    """A block's line as shown; *number*: see ``block_prefix``."""
    if block.kind == "code":
        return block.content
    if block.kind == "row":  # the outer borders are gone already: every cell counts, empty or not
        shown_text = " | ".join(c.strip() for c in display_text(block.content, True).split(CELL)).strip()
    else:
        prefix = block_prefix(block, number)
        shown_text = prefix + display_text(block.content)
        if "\n" in shown_text:  # a line break inside it: the next line under its text
            shown_text = shown_text.replace("\n", "\n" + " " * (4 + len(prefix)))
    # A block of markup only (an HTML tag line, a comment) shows nothing to a
    # reader; the report still says what it was rather than print a blank.
    return shown_text if shown_text.strip(" |>\u2022") else f"(markup) {block.content}"


def _ops_source(ops: list[WordOp]) -> str:
    """A word diff in source form, for changes a reader cannot see."""
    return "".join(op.text if op.kind == "equal" else _marked(op.kind, op.text) for op in ops)


def _head(row: SectionChange) -> str:
    """A changed section's heading line: its "#"s and title (a renamed one's
    words marked, a heading taken away struck through at its old level);
    the text before the first heading named as such."""
    level = heading_level(row)
    if not level:
        return OPENING
    title = _pieces_text(title_pieces(row, "renamed")) if row.renamed else display_text(row.title)
    return f"{'#' * level} {title}"


def render_text_body(diff: DocumentDiff, authors: dict | None = None) -> str:
    """The text redline after its first line (``redline_answer.text_heading``):
    the verdict, changed details, then each changed section."""
    authors = authors or {}
    if authors:
        from guidelines_app.review.blame import change_line
    lines = [diff.verdict(), ""]
    for key, old, new in diff.meta_changes:
        before, after = detail_values(key, old, new)
        lines.append(f"  details: {detail_name(key)}: {before} -> {after}")
    if diff.meta_changes:
        lines.append("")
    numbers = ItemNumbers(diff)  # (a numbered item's number as its side reads it)
    for i, row in enumerate(diff.rows):
        if not row.changed:
            continue
        lines.append(f"{_head(row)}  [{row.kind}]")
        for b in authors.get(i, []):
            lines.append(f"  by {change_line(b)}")
        if row.moved_from:
            lines.append("  (moved from here; see its new place)")
            lines.append("")
            continue
        for j, b in enumerate(row.blocks):
            if b.kind == "equal" or not (shown(b.old) or shown(b.new)):  # (most blocks: no call)
                continue
            # (a changed item: its number in the new text; removed: in the old)
            number = numbers.label(i, j, b, "inline") if b.block.kind == "item" else None
            if b.moved:
                lines.append(f"  {'>' if b.kind == 'added' else '<'} {b.label}: {_block_text(b.block, number)}")
            elif b.regrouped:
                if b.kind == "added":  # the new paragraphs; the old ones held the same words
                    lines.append(f"  = {b.label}: {_block_text(b.new, number)}")
            elif b.kind == "added":
                lines.append(f"  + {_block_text(b.new, number)}")
            elif b.kind == "removed":
                lines.append(f"  - {_block_text(b.old, number)}")
            else:
                lines.append(_changed_line(b, number))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
