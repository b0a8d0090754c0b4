"""The headings of a Word import: how deep a heading is in the Markdown,
and which Heading 1 is the document's title.
"""

from __future__ import annotations

import re

from guidelines_app.publishing.docx.package import HEADING_SHIFT_VAR, TITLE_HEADING_VAR

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"

_HEADING_RE = re.compile(r"^[Hh]eading (\d)$")


def heading_level(style_name: str) -> int:
    """The Word heading level of a paragraph style ("Heading 2": 2); 0 for text."""
    m = _HEADING_RE.match(style_name or "")
    return int(m.group(1)) if m else 0


def leading_heading(body, p, style_name) -> tuple[bool, bool]:
    """For a Heading 1 *p* that comes first in the text of *body* (the
    document's body element; *style_name*: a paragraph's style's name):
    (whether it may name a document that has no title: it is the file's
    only Heading 1, or a heading follows it, not the text of a section;
    whether it is the only Heading 1)."""
    paragraphs = [q for q in body.iter(f"{_W}p") if "".join(t.text or "" for t in q.iter(f"{_W}t")).strip()]
    levels = [heading_level(style_name(q)) for q in paragraphs]
    at = next((n for n, q in enumerate(paragraphs) if q is p), len(paragraphs))
    only = levels.count(1) == 1
    return only or levels[at + 1:at + 2] not in ([], [0]), only


def heading_levels_note(document) -> tuple[int, bool, bool]:
    """(Markdown level minus Word level, whether the title page stands for a
    leading "# title" heading, whether this app's export wrote the file), as
    the export notes them in the settings; for other files: Heading 1 is "##"
    under the "# title", and False."""
    try:
        doc_vars = document.settings.element.find(f"{_W}docVars")
    except (KeyError, ValueError, AttributeError):
        doc_vars = None
    found = {v.get(f"{_W}name"): v.get(f"{_W}val") or "" for v in (doc_vars if doc_vars is not None else [])}
    shift = found.get(HEADING_SHIFT_VAR, "")
    if not shift.isdigit():
        return 1, True, False
    return int(shift), found.get(TITLE_HEADING_VAR) == "1", True
