"""The number a reader sees on each numbered list item of a comparison, on
each side (the HTML and text redlines and the compare window; the Word
redline's writer numbers its own lists as it writes them,
``publishing.docx.marked``, by the same counting).

An item's marker is kept as written, and many lists are written "1. / 1. /
1." (Word's import writes every list so); the preview, the export and
CommonMark number a list from its first item's number on.  Counted as the
Word redline's writer counts: per list and nesting depth; a list ends at a
block less deep than its items (a further paragraph, table or code of an
item around it ends the lists inside that item), at a list of the other
kind at its depth, at any block outside the lists (a paragraph, a table,
code, an HTML line), at a block quote at the margin, and at a heading
(each section is counted on its own).  A change of delimiter ("1." then
"1)") does not end a list: the preview and the export read one list there.

Each side is counted within its own blocks: an item inserted above moves
the next one's number on that side only.  Numbering alone is no change of
an item (``diff.blocks``: a block's marker is not in its key)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from guidelines_app.review.redline_layout import quote_marks

if TYPE_CHECKING:
    from guidelines_app.review.diff import Block, BlockChange, DocumentDiff


def list_start(marker: str) -> int:
    """The number a list whose first item's marker is *marker* ("3." or
    "3)") starts at, as the export's numbering starts it (1 for a bullet)."""
    digits = marker.rstrip(".)")
    return int(digits) if digits.isdigit() else 1


def item_numbers(blocks: list[tuple[int, Block]]) -> dict[int, int]:
    """The numbers of the numbered items among *blocks* (one side's blocks
    of one section, in order, each with a key), by key."""
    lists: list[list] = []  # open lists, outermost first: [quotes, depth, ordered, items so far]
    out: dict[int, int] = {}
    for key, (kind, content, _line, marker, depth) in blocks:
        item = kind == "item"
        quotes = quote_marks(content) if content[:1] == ">" and (item or kind == "paragraph") else 0
        if quotes and not depth and lists and lists[0][0] < quotes:
            # A quote's block at depth 0: a quote no list item holds (in an
            # item, its blocks are deeper than the item): the lists outside it end.
            lists = [open_ for open_ in lists if open_[0] >= quotes]
        while lists:
            top = lists[-1]
            # A list ends at an item less deep or a block as deep or less
            # (a further paragraph of the item around it), or out of its quote.
            if top[0] > quotes or top[0] == quotes and (top[1] > depth or not item and top[1] >= depth):
                lists.pop()
            else:
                break
        if not item:
            continue
        ordered = marker[:1].isdigit()
        top = lists[-1] if lists else None
        if top is not None and (top[0] != quotes or top[1] != depth or top[2] != ordered):
            if top[0] == quotes and top[1] == depth:
                lists.pop()  # a list of the other kind right after: a new list
            top = None
        if top is None:
            top = [quotes, depth, ordered, list_start(marker) - 1 if ordered else 0]
            lists.append(top)
        top[3] += 1
        if ordered:
            out[key] = top[3]
    return out


class ItemNumbers:
    """The numbers of a comparison's numbered items, each section's worked
    out when first asked (the renderers ask only of a list item)."""

    def __init__(self, diff: DocumentDiff):
        self.diff = diff
        self._rows: dict[tuple[int, str], dict[int, str]] = {}

    def label(self, row: int, index: int, change: BlockChange, view: str) -> str | None:
        """The marker *change*, block *index* of section *row*, shows in
        *view* ("old", "new" or "inline": "3."), or None when it is no
        numbered item.  A block on one side only shows that side's number;
        one on both, the view's side's (the new one inline).  So the inline
        view numbers as the Word redline does: a removed item as the old
        text did, every other as the new text does."""
        block = change.new if change.new is not None else change.old
        if not block.marker[:1].isdigit():
            return None
        kind = change.kind
        side = "old" if kind == "removed" or view == "old" and kind != "added" else "new"
        labels = self._rows.get((row, side))
        if labels is None:
            blocks = [(j, b) for j, c in enumerate(self.diff.rows[row].blocks)
                      if (b := (c.old if side == "old" else c.new)) is not None]
            labels = self._rows[(row, side)] = {j: f"{n}." for j, n in item_numbers(blocks).items()}
        return labels.get(index)
