"""The headings of a Word import and the pages around the text: how deep
a heading is in the Markdown, which Heading 1 is the document's title, and
which paragraphs are a contents page's entries (the app makes the contents
itself).
"""

from __future__ import annotations

import re

from guidelines_app.publishing.docx.package import HEADING_SHIFT_VAR, TITLE_HEADING_VAR

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"

# Paragraph styles of the title and contents pages an export adds (and the
# contents' heading as Word and LibreOffice name it), in lower case.
_SKIP_STYLES = {"toc heading", "contents heading", "draft notice", "title page detail"}
# A contents entry's style: the export's "TOC 1", Word's "toc 1", LibreOffice's "Contents 1".
_CONTENTS_RE = re.compile(r"^(?:toc|contents) [1-9]$", re.IGNORECASE)
_PAGE_NUMBER_RE = re.compile(r"\t\s*(?:\d+|[ivxlcdm]+)\s*$", re.IGNORECASE)  # (an entry's "…<tab>12")
_HEADING_RE = re.compile(r"^[Hh]eading (\d)$")


def heading_level(style_name: str) -> int:
    """The Word heading level of a paragraph style ("Heading 2": 2); 0 for text."""
    m = _HEADING_RE.match(style_name or "")
    return int(m.group(1)) if m else 0


def not_text(p, style_name: str) -> bool:
    """Whether paragraph *p* (of style *style_name*) belongs to a title or
    contents page, not the text: the export's title page details and draft
    notice, a contents heading, a contents entry (not words a writer put
    in an entry's style: an entry links to its heading or has its page
    number)."""
    name = style_name.lower()
    if name in _SKIP_STYLES:
        return True
    if not _CONTENTS_RE.match(name):
        return False
    if any(link.get(f"{_W}anchor") for link in p.iter(f"{_W}hyperlink")):
        return True
    if any("PAGEREF" in (t.text or "") for t in p.iter(f"{_W}instrText")):
        return True
    raw = "".join("\t" if el.tag == f"{_W}tab" else el.text or "" for el in p.iter(f"{_W}t", f"{_W}tab")
                  if el.getparent().tag == f"{_W}r")
    return bool(_PAGE_NUMBER_RE.search(raw))


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
