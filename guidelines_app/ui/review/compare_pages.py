"""The Compare window's three views (the two columns of the side-by-side
layout and the inline view), filled in the order the user sees them.

Building a long policy's redline HTML, and laying it out in a view, takes far
longer than the comparison itself, so the first paint shows only the layout
that is selected, and of it only the first sections (a few screens: the
window opens at the top).  The whole pages, of every layout, are built on a
worker just after and replace the first sections where the user is reading;
a view needed at once (a change to go to, the other layout) is built on the
spot if the worker has not delivered it yet.
"""

from __future__ import annotations

import dataclasses

from guidelines_app.core.colours import LIGHT
from guidelines_app.review import redline

# The views each layout shows (the index of the layout box): side by side
# shows the two columns, inline one view.
MODE_SIDES = (("old", "new"), ("inline",))
ALL_SIDES = MODE_SIDES[0] + MODE_SIDES[1]
HEAD_BLOCKS = 60  # about the blocks of a few screens: what the first paint shows
_CSS = "h1,h2,h3,h4,h5,h6 { margin-top: 10px; } p { margin: 4px 0; }"


def render_pages(result, sides, colours=LIGHT) -> dict[str, str]:
    """The HTML of the views *sides* of the comparison *result*."""
    return {side: redline.render_html_fragment(result, side=side, qt=True, colours=colours) for side in sides}


def head_of(result):
    """(the first sections of *result*, a few screens' worth; whether that is
    all of it).  The rows are the same objects, so the change anchors and the
    shown text of these sections are those of the whole page."""
    blocks = 0
    for n, row in enumerate(result.rows, 1):
        blocks += len(row.blocks) + 1
        if blocks >= HEAD_BLOCKS and n < len(result.rows):
            return dataclasses.replace(result, rows=result.rows[:n]), False
    return result, True


class ComparePages:
    """Which view holds what of the current comparison, and the worker that
    builds the rest.  *window* is the CompareWindow (its jobs, its current
    change, its scroll-sync guard)."""

    def __init__(self, window, views: dict):
        self.window = window
        self.views = views  # side -> QTextBrowser
        self.full: set[str] = set()  # views holding their whole page
        self.head: set[str] = set()  # views holding the first sections only
        self.result = None
        self.colours = LIGHT

    def show_first(self, result, pages: dict[str, str], complete: bool, colours) -> None:
        """A new comparison: *pages* (the selected layout's first sections,
        or all of it when *complete*) now, the rest on a worker."""
        self.result, self.colours = result, colours
        self.full, self.head = set(), set()
        for view in self.views.values():
            view.clear()  # no view keeps an earlier comparison
        self._set(pages, complete)
        rest = [side for side in ALL_SIDES if side not in self.full]
        if rest:
            self.window.jobs.run(lambda: render_pages(result, rest, colours), self._on_built, key="pages")

    def drop(self) -> None:
        """A newer comparison is coming: the pages being built are not wanted."""
        self.window.jobs.drop("pages")

    def ensure(self, sides) -> None:
        """The whole pages of *sides*, built now if the worker has not
        delivered them yet (it skips what is shown by then)."""
        missing = [side for side in sides if side not in self.full]
        if missing and self.result is not None:
            self._set(render_pages(self.result, missing, self.colours), True)

    def _on_built(self, pages: dict[str, str]) -> None:
        self._set({side: html for side, html in pages.items() if side not in self.full}, True)

    def _set(self, pages: dict[str, str], whole: bool) -> None:
        """Fill views; each keeps the place the user reads (the first
        sections are the start of the whole page: the same scroll position),
        and a view filled late opens at the current change."""
        current = self.window.current
        self.window._syncing = True
        try:
            for side, html in pages.items():
                view = self.views[side]
                bar = view.verticalScrollBar()
                kept = bar.value() if side in self.head else None
                view.document().setDefaultStyleSheet(_CSS)
                view.setHtml(html)
                if kept:
                    bar.setValue(kept)
                elif whole and current >= 0:
                    view.scrollToAnchor(f"chg-{current}")
                (self.full if whole else self.head).add(side)
                if whole:
                    self.head.discard(side)
        finally:
            self.window._syncing = False
