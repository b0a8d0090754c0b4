"""Tracked changes: the run-writer of the redline mode.

A redline is written from *pieces* of display text (``core.inline_markup``'s
``Piece``: a kind -- "equal", "insert" or "delete" -- a text and a format).
``TrackedRuns`` writes each piece as the exporter writes a run (the same
character styles for links and code, the same bold/italic/strike) and, when
tracking, wraps inserted runs in w:ins and deleted ones in w:del (their text
as w:delText), every mark with the author and date.  In the clean mode
(``marks`` None) deleted pieces are left out and nothing is marked.
"""

from __future__ import annotations

import datetime as _dt

from guidelines_app.core.links import safe_link
from guidelines_app.publishing.docx.oxml import PLAIN, RunFormat, esc, text_content

_TAGS = {"insert": "ins", "delete": "del"}


class ChangeMarks:
    """Author, date and the running id of tracked-change marks."""

    def __init__(self, author: str, date: _dt.datetime | None = None):
        date = date or _dt.datetime.now(_dt.UTC)
        if date.tzinfo is None:
            date = date.replace(tzinfo=_dt.UTC)
        self.date = date.astimezone(_dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.author = author
        self.next_id = 1

    def _attrs(self) -> str:
        attrs = f'w:id="{self.next_id}" w:author="{esc(self.author)}" w:date="{self.date}"'
        self.next_id += 1
        return attrs

    def mark(self, kind: str) -> str:
        """An empty w:ins / w:del: in a paragraph mark's rPr (the paragraph
        itself inserted or deleted) or in a row's trPr (the whole row)."""
        return f"<w:{_TAGS[kind]} {self._attrs()}/>" if kind in _TAGS else ""

    def style_change(self, old_style: str) -> str:
        """A w:pPrChange: the paragraph's style was *old_style* (a heading
        moved to another level), so Reject All gives that back."""
        return f'<w:pPrChange {self._attrs()}><w:pPr><w:pStyle w:val="{old_style}"/></w:pPr></w:pPrChange>'

    def wrap(self, kind: str, runs: str) -> str:
        if kind not in _TAGS:
            return runs
        return f"<w:{_TAGS[kind]} {self._attrs()}>{runs}</w:{_TAGS[kind]}>"


class TrackedRuns:
    """Pieces -> runs of one paragraph, for a ``DocxWriter`` (its run
    properties and hyperlink relationships)."""

    def __init__(self, writer, marks: ChangeMarks | None):
        self.writer = writer
        self.marks = marks

    def paragraph_mark(self, whole: str) -> str:
        """The pPr's rPr tracking a whole inserted or deleted paragraph, so
        accepting or rejecting every change leaves no empty paragraph."""
        if self.marks is None or whole not in _TAGS:
            return ""
        return f"<w:rPr>{self.marks.mark(whole)}</w:rPr>"

    def runs(self, pieces, base: RunFormat = PLAIN) -> str:
        """Neighbouring pieces of one link share one clickable w:hyperlink
        (with the tracked runs inside it)."""
        out: list[str] = []
        link_url, link_runs = "", []
        for piece in pieces:
            if not piece.text or (piece.kind == "delete" and self.marks is None):
                continue
            url = safe_link(piece.fmt.link) or "" if piece.fmt.link else ""  # other schemes: plain text
            if url != link_url and link_runs:
                out.append(self.writer.hyperlink(self._target(link_url), "".join(link_runs)))
                link_runs = []
            link_url = url
            fmt = base.with_(bold=base.bold or piece.fmt.bold, italic=piece.fmt.italic, code=piece.fmt.code,
                             strike=piece.fmt.strike, link="x" if url else "")
            run = self.run(piece.text, fmt, piece.kind)
            (link_runs if url else out).append(run)
        if link_runs:
            out.append(self.writer.hyperlink(self._target(link_url), "".join(link_runs)))
        return "".join(out)

    def run(self, text: str, fmt: RunFormat, kind: str = "equal") -> str:
        """One run: line breaks as w:br and tabs as w:tab; in w:ins / w:del
        when *kind* is a tracked insertion or deletion."""
        tag = "w:delText" if kind == "delete" and self.marks is not None else "w:t"
        run = f"<w:r>{self.writer.run_props(fmt)}{text_content(text, tag)}</w:r>"
        if self.marks is None or kind == "equal":
            return run
        return self.marks.wrap(kind, run)

    def _target(self, url: str) -> str:
        return url if url.startswith("#") else self.writer.link_id(url)
