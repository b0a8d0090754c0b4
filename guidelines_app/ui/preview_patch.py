"""A preview refresh put in place section by section.

Read whole into a new text document, the 40,000-word benchmark policy held
the window 120-230 ms at every pause in typing: reading its HTML (about
40 ms), then laying out again everything above the place shown (up to
60 ms more), and Qt's paint of the new page.  A refresh usually changes one
section, so the sections whose HTML changed are put in place in the page
shown (``SectionPatch.apply``): the rest of the page, and its layout, stay
as they were (about 6 ms).

What is put in place is read by Qt as the whole page would be (the same
style sheet, the same HTML), and the first block of the sections put in
place, which Qt's HTML insertion leaves with the format of the block it
went into, is given the formats a whole page gives it (read from the same
HTML after a paragraph, as in the page).  Tests hold a patched page equal to
one read whole, block by block, format by format, over random edits.

A long document's part (``PreviewPane``: the sections around the cursor's,
between links to the sections before and after) is patched the same way
while the refresh shows the same part.

Not patched (read whole, as before): the first section changed being the
text before the first heading, sections added or removed without others
changed beside them, many sections changed at once (a heading added renames
every later section's anchor), a page with pictures or raw HTML (a tag
may open a container a later section closes), another part of a long
document, and a page made with another style sheet or width.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtGui import QTextBlock, QTextCursor, QTextDocument

# Raw HTML in a section's Markdown (a tag, a comment; not an autolink such as
# <https://...> or <name@example.org>): it may open a container a later
# section closes, which a section read on its own would not show.
RAW_HTML_RE = re.compile(r"<(?:[!/?]|[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$))")
MOST_CHUNKS = 8  # sections changed (on either side) beyond which the page is read whole


def changed_span(old: list, new: list) -> tuple[int, int, int] | None:
    """(the first chunk that differs, the end of the differing run in *old*,
    its end in *new*), from the chunks' HTML; None when they are all the same."""
    first, most = 0, min(len(old), len(new))
    while first < most and old[first].html == new[first].html:
        first += 1
    if first == len(old) == len(new):
        return None
    same = 0
    while same < most - first and old[-1 - same].html == new[-1 - same].html:
        same += 1
    return first, len(old) - same, len(new) - same


class SectionPatch:
    """Puts a new render's changed sections in place in the page that shows
    the render before; keeps where each section's heading block is."""

    def __init__(self) -> None:
        # Section index -> its heading's block (None: the name is on two blocks).
        self._blocks: dict[int, QTextBlock | None] = {}
        self._missing: set[int] = set()  # sections the page was searched for in vain

    def forget(self) -> None:
        """The page was replaced: its blocks are no more."""
        self._blocks.clear()
        self._missing.clear()

    def apply(self, doc: QTextDocument, old: list, new: list, page: Callable[[str], QTextDocument],
              lead: bool = False, tail: bool = False) -> bool:
        """Make *doc*, which shows the chunks *old*, show *new*: whether it
        was done (else *doc* is untouched).  *page(html)*: *html* read as the
        page is (style sheet, pictures' width).  *lead*, *tail*: the page
        has a paragraph of its own before the chunks, or after them (a long
        document's part: the links to the sections before and after)."""
        span = changed_span(old, new)
        if span is None:
            return True
        first, old_end, new_end = span
        if ((first == 0 and not lead) or first >= old_end or first >= new_end or old_end - first > MOST_CHUNKS
                or new_end - first > MOST_CHUNKS or old[first].section_index is None
                or new[first].section_index is None):
            return False
        html = "\n".join(chunk.html for chunk in new[first:new_end])
        if "<img" in html or _raw_html(old) or _raw_html(new):
            return False
        start = self._position(doc, old[first].section_index)
        if old_end < len(old):
            end = self._position(doc, old[old_end].section_index)
        else:
            end = doc.lastBlock().position() if tail else doc.characterCount()
        if not start or end is None or end <= start:  # (the first block: Qt names its heading otherwise)
            return False
        end -= 1  # up to the end of the last block changed: the block after it (a heading, the link) stays
        # After a paragraph, as in the page: Qt names the heading's section there as it does in the page.
        model_page = page("<p>x</p>\n" + html)  # (kept: its blocks are read below)
        model = model_page.begin().next()
        size = doc.characterCount()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        try:
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            cursor.insertHtml(html)
            self._as_in_page(doc.findBlock(start), model)
        finally:
            cursor.endEditBlock()
        for index in range(old[first].section_index, old[old_end - 1].section_index + 1):
            self._blocks.pop(index, None)
        self._note(doc.findBlock(start), start + (end - start) + (doc.characterCount() - size))
        return True

    @staticmethod
    def _as_in_page(block: QTextBlock, model: QTextBlock) -> None:
        """*block* (the first put in place) with the formats of *model*, the
        same block as a page reads it."""
        listed = block.textList()
        if listed is not None:
            listed.remove(block)
        fix = QTextCursor(block)
        fix.setBlockFormat(model.blockFormat())
        fix.setBlockCharFormat(model.charFormat())
        shift = block.position() - model.position()
        pieces = model.begin()
        while not pieces.atEnd():
            piece = pieces.fragment()
            fix.setPosition(piece.position() + shift)
            fix.setPosition(piece.position() + shift + piece.length(), QTextCursor.MoveMode.KeepAnchor)
            fix.setCharFormat(piece.charFormat())
            pieces += 1

    def _position(self, doc: QTextDocument, index: int) -> int | None:
        """Where section *index*'s heading block starts in *doc*, or None."""
        from guidelines_app.core.markup import section_anchor  # (imported by the first render: not before the first paint)

        block = self._blocks.get(index)
        if index in self._blocks and block is None:
            return None  # named twice: not to be told apart
        if block is None or not block.isValid() or section_anchor(index) not in block.charFormat().anchorNames():
            if index in self._missing:
                return None
            self._blocks.clear()
            self._note(doc.begin(), doc.characterCount())
            block = self._blocks.get(index)
            if block is None:
                self._missing.add(index)
        return block.position() if block is not None else None

    def _note(self, block: QTextBlock, until: int) -> None:
        """Keep the section heading blocks from *block* to position *until*.
        Not the first block: Qt gives it its heading's own id there (a
        heading "Section 2" has the id section-2), not the section's name."""
        while block.isValid() and block.position() < until:
            if block.position() > 0:
                for name in block.charFormat().anchorNames():
                    if name.startswith("section-") and name[8:].isdigit():
                        index = int(name[8:])
                        known = self._blocks.get(index, block)
                        self._blocks[index] = block if known == block else None
                        self._missing.discard(index)
            block = block.next()


def _raw_html(chunks: list) -> bool:
    """Whether the Markdown of any of *chunks* holds raw HTML."""
    return any("<" in chunk.source and RAW_HTML_RE.search(chunk.source) for chunk in chunks)
