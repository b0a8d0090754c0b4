"""The "[to be decided: ...]" markers a questionnaire leaves where an answer
is missing: how they look and where they are in a text.  Drafting writes
them; publishing refuses to publish a text that still has them."""

from __future__ import annotations

import re

MARKER_PREFIX = "[to be decided: "
MARKER_RE = re.compile(r"\[to be decided: ([^\]\n]+)\]")


def find_markers(body: str) -> list[tuple[int, str]]:
    """(0-based line, what is to be decided) for every marker in the text."""
    found = []
    for n, line in enumerate(body.split("\n")):
        for m in MARKER_RE.finditer(line):
            found.append((n, m.group(1)))
    return found
