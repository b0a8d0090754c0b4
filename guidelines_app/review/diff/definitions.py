"""Definition lists in the diff's splitter: a term (a line of text) with
its definition under it (a line starting ": "), as the preview and the
export read them (Python-Markdown's def_list): the export draws the term
on a line of its own and the definition indented under it, so the
comparison keeps them apart (they read as one paragraph, "Term : meaning").

A term and a definition are paragraphs (``Block.kind`` "paragraph", so
they are compared, paired and quoted as paragraphs are), told apart by
their ``marker``: ``TERM`` and ``DEFINITION``.
"""

from __future__ import annotations

import re

TERM, DEFINITION = "term", ":"

# ": meaning", up to 3 spaces in, 1 to 3 spaces after the colon (Python-Markdown's reading).
DEFINITION_RE = re.compile(r" {0,3}: {1,3}(?=\S)")


def _term(block, lines: list[str], first_line: int) -> bool:
    """Whether *block*, above a blank line and a definition, is its term: a
    paragraph of text at the margin (not in a quote, no rule).  (After a
    list, a table or a rule a definition has no term, as the export reads
    it; at the start a ": " line is text.)"""
    from guidelines_app.core.md_lines import THEMATIC_BREAK_RE

    return (block.kind == "paragraph" and block.marker in ("", TERM) and not block.depth
            and block.content[:1] != ">" and THEMATIC_BREAK_RE.match(lines[block.line - first_line].strip()) is None)


def open_definition(blocks: list, lines: list[str], first_line: int, n: int, tight: bool) -> tuple[str, int]:
    """At the ": " line *n*, the paragraph above it made its term (each of
    its lines a line of the term, as the export draws each one on a line of
    its own), or none; (the definition's text, its depth: its term's, or
    0).  *tight*: the paragraph was open right above (no blank line)."""
    prev = blocks[-1]
    depth = prev.depth if tight or prev.marker == DEFINITION else 0
    if tight or (prev.marker != DEFINITION and _term(prev, lines, first_line)):
        term = lines[prev.line - first_line:n - first_line]
        while term and not term[-1].strip():
            term.pop()
        content = prev.content
        if len(term) > 1:
            content = "\n".join(" ".join(line.split()) for line in term)
        blocks[-1] = prev._replace(content=content, marker=TERM)
    line = lines[n - first_line]
    return line[DEFINITION_RE.match(line).end():], depth
