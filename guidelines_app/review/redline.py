"""Renderers of a ``diff.DocumentDiff``: plain text (CLI), HTML redline
(export and the app's compare view) and a Word redline with native tracked
changes, plus a clean Word copy.

Insertions are underlined and deletions struck through, so the redline reads
the same printed in greyscale; colours (dark blue / dark red on light tints)
only help on screen.

Reviewers never see Markdown: the diff works on source words, and
``inline_markup`` turns each changed paragraph's words into shown text with
its formatting (bold, italic, code, links as their text, HTML tags and
kramdown attribute lines hidden).  The Word writer is deliberately small:
headings as Heading N, paragraphs, list items as List Bullet / List Number,
tables as Word tables (a whole inserted or deleted row is tracked as such),
links as real hyperlinks.
"""

from __future__ import annotations

import datetime as _dt
import html
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from guidelines_app.review.diff import Block, BlockChange, DocumentDiff, SectionChange, WordOp
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.review.history import change_line
from guidelines_app.core.inline_markup import CELL, Piece, display_pieces, display_text, side_text, split_cells

INS_STYLE = "color:#00408a;background-color:#e3eeff;text-decoration:underline"
DEL_STYLE = "color:#9b0000;background-color:#fde6e6;text-decoration:line-through"
PLACEHOLDER_STYLE = "color:#eeeeee;background-color:#eeeeee"

CSS = f"""
body {{ font-family: Georgia, 'Times New Roman', serif; max-width: 46em; margin: 2em auto; line-height: 1.5; color: #111; }}
ins {{ {INS_STYLE.replace(';', '; ')}; }}
del {{ {DEL_STYLE.replace(';', '; ')}; }}
.badge {{ font: 600 0.7em sans-serif; border: 1px solid #555; border-radius: 3px; padding: 0 0.4em; margin-left: 0.6em; vertical-align: middle; color: #333; }}
.removed-section, .added-section {{ border-left: 4px solid #555; padding-left: 0.8em; }}
.removed-section {{ border-left-style: dashed; }}
.moved-note {{ font: italic 0.9em sans-serif; color: #444; border: 1px dashed #777; padding: 0.2em 0.6em; }}
.summary {{ font-family: sans-serif; font-size: 0.9em; background: #f5f5f5; border: 1px solid #ccc; padding: 0.6em 1em; }}
.summary li {{ margin: 0.1em 0; }}
pre {{ background: #f6f6f6; padding: 0.4em; white-space: pre-wrap; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #777; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }}
@media print {{ .summary {{ background: none; }} }}
"""


class RedlineError(GuidelinesError):
    pass


@dataclass(frozen=True)
class Labels:
    """What the two sides are, for headers and tracked-change authorship."""

    title: str = "Document"
    old: str = "old version"
    new: str = "new version"
    author: str = "Guideline Studio"
    date: _dt.datetime | None = None


# ---------------------------------------------------------------------------
# Block display
# ---------------------------------------------------------------------------


def block_prefix(block: Block) -> str:
    if block.kind == "item":
        return ("    " * block.depth) + (block.marker if block.ordered else "\u2022") + " "
    return ""


def shown(block: Block | None) -> bool:
    return block is not None and block.kind != "rule"


def _markup_kind(block: Block) -> str:
    return {"row": "row", "code": "code"}.get(block.kind, "text")


def _change_ops(change: BlockChange) -> list[tuple[str, str]]:
    b = change.block
    if change.kind == "changed":
        return [(op.kind, op.text) for op in change.words]
    return [({"equal": "equal", "added": "insert"}.get(change.kind, "delete"), b.content)]


def block_pieces(change: BlockChange, side: str = "new") -> list[Piece]:
    """A block's word diff as shown text with formatting (no Markdown)."""
    return display_pieces(_change_ops(change), side, _markup_kind(change.block))


def title_pieces(row: SectionChange, kind: str, side: str = "new") -> list[Piece]:
    if kind == "renamed":
        return display_pieces([(op.kind, op.text) for op in row.title_words], side)
    op = {"added": "insert", "removed": "delete"}.get(kind, "equal")
    return display_pieces([(op, row.title)], side)


def _has_text(pieces: list[Piece]) -> bool:
    return any(p.text.replace(CELL, "").strip() for p in pieces)


def label_text(row: SectionChange) -> str:
    """A section's label (for lists of changes) without Markdown."""
    if row.renamed and row.old and row.new:
        return f"{display_text(row.old.title)} \u2192 {display_text(row.new.title)}"
    return display_text(row.title) if row.title else "(before the first heading)"


def new_text_paragraphs(diff: DocumentDiff) -> list[str]:
    """The new version as the Word redline lays it out (accept-all result):
    one entry per paragraph and per table cell, as shown text."""
    sink = _TextSink(accept=True)
    _walk(diff, True, sink)
    return sink.out


def old_text_paragraphs(diff: DocumentDiff) -> list[str]:
    """The old version as the Word redline lays it out (reject-all result)."""
    sink = _TextSink(accept=False)
    _walk(diff, True, sink)
    return sink.out


# ---------------------------------------------------------------------------
# Layout shared by the Word writer and the accept/reject-all texts
# ---------------------------------------------------------------------------

_WHOLE = {"added": "insert", "removed": "delete", "equal": "equal", "changed": "equal"}


def _walk(diff: DocumentDiff, track: bool, sink) -> None:
    """Feed *sink* (heading / paragraph / table calls) the redline's layout.
    Without *track* only the new version is laid out (the clean copy)."""
    for row in diff.rows:
        if row.moved_from:
            if track:
                _whole_section(row.old, "delete", sink)
            continue
        if track and row.moved:
            _whole_section(row.new, "insert", sink)
            continue
        if row.removed and not track:
            continue
        if row.title:
            if row.added:
                kind = "added"
            elif row.removed:
                kind = "removed"
            elif row.renamed and track:
                kind = "renamed"
            else:
                kind = "equal"
            pieces = title_pieces(row, kind)
            sink.heading(row.level, pieces, _WHOLE.get(kind, "equal"))
        if track:
            changes = row.blocks
        else:
            changes = [BlockChange("equal", c.new, c.new) for c in row.blocks if c.new is not None]
        _walk_blocks(changes, sink)


def _whole_section(sec, op: str, sink) -> None:
    """A moved section: deleted at its old place, inserted at the new."""
    if sec.level:
        sink.heading(sec.level, display_pieces([(op, sec.title)]), op)
    if op == "insert":
        changes = [BlockChange("added", None, b) for b in sec.blocks]
    else:
        changes = [BlockChange("removed", b, None) for b in sec.blocks]
    _walk_blocks(changes, sink)


def _walk_blocks(changes: list[BlockChange], sink) -> None:
    table: list[BlockChange] = []
    for change in changes + [None]:
        if change is not None and change.block.kind in ("row", "rule"):
            table.append(change)
            continue
        if table:
            rows = _table_rows(table)
            if rows:
                sink.table(rows)
            table = []
        if change is None or not shown(change.block):
            continue
        pieces = block_pieces(change)
        # A block that is only markup (an HTML tag line, "{:.no_toc}") shows nothing.
        if _has_text(pieces):
            sink.paragraph(change.block, pieces, _WHOLE[change.kind], change.block.kind == "code")


def _table_rows(changes: list[BlockChange], side: str = "new") -> list[tuple[str, bool, list[list[Piece]], BlockChange]]:
    """(whole-row change, header?, cells, change) per table row; the rows
    before the separator line are the header."""
    has_rule = any(c.block.kind == "rule" for c in changes)
    header = has_rule
    rows = []
    for c in changes:
        if c.block.kind == "rule":
            header = False
            continue
        row_side = "old" if c.kind == "removed" else "new" if c.kind == "added" else side
        rows.append((_WHOLE[c.kind], header, split_cells(block_pieces(c, row_side), row_side), c))
    return rows


class _TextSink:
    """Paragraph texts after accepting (or rejecting) every change."""

    def __init__(self, accept: bool):
        self.skip = "delete" if accept else "insert"
        self.out: list[str] = []

    def heading(self, level: int, pieces: list[Piece], whole: str) -> None:
        self.paragraph(None, pieces, whole, False)

    def paragraph(self, block, pieces: list[Piece], whole: str, mono: bool) -> None:
        if whole != self.skip:
            self.out.append("".join(p.text for p in pieces if p.kind != self.skip))

    def table(self, rows) -> None:
        width = max(len(cells) for _w, _h, cells, _c in rows)
        for whole, _header, cells, _c in rows:
            if whole == self.skip:
                continue
            for cell in cells + [[]] * (width - len(cells)):
                self.out.append("".join(p.text for p in cell if p.kind != self.skip))


# ---------------------------------------------------------------------------
# Plain text (CLI)
# ---------------------------------------------------------------------------


def _marked(kind: str, text: str) -> str:
    """[-deleted-] or {+inserted+}, spaces at either end kept outside."""
    core = text.strip()
    if not core:
        return text
    lead, tail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return lead + ("[-" + core + "-]" if kind == "delete" else "{+" + core + "+}") + tail


def _pieces_text(pieces: list[Piece]) -> str:
    """A word diff as a reader sees it, in plain text: formatting dropped,
    deletions [-so-] and insertions {+so+}; a changed link names its
    target, since the target may be all that changed."""
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
    return "".join(text if kind == "equal" else _marked(kind, text) for kind, text in runs)


def _block_text(block: Block) -> str:
    if block.kind == "code":
        return block.content
    if block.kind == "row":  # the outer borders are gone already: every cell counts, empty or not
        shown_text = " | ".join(c.strip() for c in display_text(block.content, True).split(CELL)).strip()
    else:
        shown_text = block_prefix(block) + display_text(block.content)
    # A block of markup only (an HTML tag line, a comment) shows nothing to a
    # reader; the report still says what it was rather than print a blank.
    return shown_text if shown_text.strip(" |\u2022") else f"(markup) {block.content}"


def _ops_source(ops: list[WordOp]) -> str:
    """A word diff in source form, for changes a reader cannot see."""
    return "".join(op.text if op.kind == "equal" else _marked(op.kind, op.text) for op in ops)


def render_text(diff: DocumentDiff, labels: Labels | None = None, authors: dict | None = None) -> str:
    """The diff as plain text; *authors* (``history.change_authors``) adds
    who made each section's changes."""
    labels = labels or Labels()
    authors = authors or {}
    lines = [f"Comparing {labels.old} with {labels.new}", diff.verdict(), ""]
    for key, old, new in diff.meta_changes:
        lines.append(f"  details: {key.replace('_', ' ')}: {_value(old)} -> {_value(new)}")
    if diff.meta_changes:
        lines.append("")
    for i, row in enumerate(diff.rows):
        if not row.changed:
            continue
        head = "#" * max(row.level, 1) if row.title else "(before the first heading)"
        title = _pieces_text(title_pieces(row, "renamed")) if row.renamed else display_text(row.title)
        lines.append(f"{head} {title}  [{row.kind}]".replace("(before the first heading) ", "(before the first heading)"))
        for b in authors.get(i, []):
            lines.append(f"  by {change_line(b)}")
        if row.moved_from:
            lines.append("  (moved from here; see its new place)")
            lines.append("")
            continue
        for b in row.blocks:
            if not b.is_change or not (shown(b.old) or shown(b.new)):
                continue
            if b.moved:
                lines.append(f"  {'>' if b.kind == 'added' else '<'} {b.label}: {_block_text(b.block)}")
            elif b.regrouped:
                if b.kind == "added":  # the new paragraphs; the old ones held the same words
                    lines.append(f"  = {b.label}: {_block_text(b.new)}")
            elif b.kind == "added":
                lines.append(f"  + {_block_text(b.new)}")
            elif b.kind == "removed":
                lines.append(f"  - {_block_text(b.old)}")
            else:
                pieces = block_pieces(b)
                if any(p.kind != "equal" and p.text.strip() for p in pieces):
                    lines.append(f"  ~ {block_prefix(b.new)}{_pieces_text(pieces)}")
                else:  # only markup changed (a comment, a tag line)
                    lines.append(f"  ~ (markup) {_ops_source(b.words)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _value(value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

LINK_STYLE = "color:#1a3f7a;text-decoration:underline"


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _span_html(kind: str, inner: str, qt: bool) -> str:
    if qt:
        style = INS_STYLE if kind == "insert" else DEL_STYLE
        return f'<span style="{style}">{inner}</span>'
    tag = "ins" if kind == "insert" else "del"
    return f"<{tag}>{inner}</{tag}>"


def _span(kind: str, text: str, qt: bool) -> str:
    return _span_html(kind, _esc(text), qt)


def _fmt_html(text: str, fmt, qt: bool) -> str:
    out = _esc(text.replace(CELL, " | ")).replace("\n", "<br>")
    if fmt.code:
        out = f"<code>{out}</code>"
    if fmt.bold:
        out = f"<b>{out}</b>"
    if fmt.italic:
        out = f"<i>{out}</i>"
    if fmt.strike:
        out = f"<s>{out}</s>"
    if fmt.link:
        # In the app a link is underlined text: clicking it must not leave the comparison.
        out = f'<span style="{LINK_STYLE}">{out}</span>' if qt else f'<a href="{html.escape(fmt.link)}">{out}</a>'
    return out


def _pieces_html(pieces: list[Piece], side: str, qt: bool) -> str:
    out = []
    for p in pieces:
        if (p.kind == "delete" and side == "new") or (p.kind == "insert" and side == "old"):
            continue
        inner = _fmt_html(p.text, p.fmt, qt)
        out.append(inner if p.kind == "equal" else _span_html(p.kind, inner, qt))
    return "".join(out)


def _ops_html(ops: list[WordOp], side: str, qt: bool) -> str:
    return _pieces_html(display_pieces(ops, "old" if side == "old" else "new"), side, qt)


def _wrap_block(block: Block, inner: str, extra_style: str = "") -> str:
    style = f' style="{extra_style}"' if extra_style else ""
    if block.kind == "code":
        return f"<pre{style}>{inner}</pre>"
    if block.kind == "item":
        indent = 1.4 * (block.depth + 1)
        marker = _esc(block.marker if block.ordered else "\u2022")
        return f'<p style="margin:0.15em 0 0.15em {indent}em;{extra_style}">{marker}&nbsp;{inner}</p>'
    return f"<p{style}>{inner}</p>"


def _present(change: BlockChange, side: str) -> bool:
    return (change.kind in ("equal", "changed") or side == "inline"
            or (side == "new" and change.kind == "added") or (side == "old" and change.kind == "removed"))


def _badge(text: str) -> str:
    """A small grey note after a heading or block: [changed], [moved here]."""
    return f' <span class="badge" style="font-size:small;color:#333;">[{_esc(text)}]</span>'


def _block_html(change: BlockChange, side: str, qt: bool) -> str:
    """One block for one side ('inline', 'old' or 'new').  In side-by-side
    columns a block missing on one side leaves a grey band of the same
    height, so the two columns stay aligned."""
    view = "old" if side == "old" else "new"
    pieces = block_pieces(change, view)
    if change.kind in ("equal", "changed"):
        return _wrap_block(change.new if side != "old" else change.old, _pieces_html(pieces, side, qt))
    if _present(change, side):
        badge = _badge(change.label) if change.moved or change.regrouped else ""  # the same words elsewhere
        return _wrap_block(change.block, _pieces_html(pieces, side, qt) + badge)
    return _wrap_block(change.block, _esc(side_text(pieces, "new" if change.kind == "added" else "old")), PLACEHOLDER_STYLE)


def _table_html(changes: list[BlockChange], anchors: dict[int, str], side: str, qt: bool) -> str:
    view = "old" if side == "old" else "new"
    rows = _table_rows(changes, view)
    if not rows:
        return "".join(anchors.values())
    width = max(len(cells) for _w, _h, cells, _c in rows)
    out = ['<table border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse;margin:0.4em 0;">']
    for n, (_whole, header, cells, change) in enumerate(rows):
        tag = "th" if header else "td"
        present = _present(change, side)
        style = "" if present else f' style="{PLACEHOLDER_STYLE}"'
        tds = []
        for k, cell in enumerate(cells + [[]] * (width - len(cells))):
            inner = _pieces_html(cell, side, qt) if present else _esc(side_text(cell, "new" if change.kind == "added" else "old"))
            if k == 0:
                inner = anchors.get(id(change), "") + inner
            tds.append(f'<{tag} align="left"{style}>{inner}</{tag}>')
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _heading_html(row: SectionChange, side: str, qt: bool, anchor: str) -> str:
    level = min(max(row.level, 1), 6)
    view = "old" if side == "old" else "new"
    if row.renamed and row.title_words:
        inner = _pieces_html(title_pieces(row, "renamed", view), side, qt)
    elif row.added:
        inner = (_pieces_html(title_pieces(row, "added"), side, qt) if side != "old"
                 else f'<span style="{PLACEHOLDER_STYLE}">{_esc(display_text(row.title))}</span>')
    elif row.removed:
        inner = (_pieces_html(title_pieces(row, "removed", "old"), side, qt) if side != "new"
                 else f'<span style="{PLACEHOLDER_STYLE}">{_esc(display_text(row.title))}</span>')
    else:
        inner = _pieces_html(title_pieces(row, "equal", view), side, qt)
    shown_here = side != "old" or row.removed or row.moved_from
    badge = _badge(row.kind) if row.changed and shown_here else ""
    return f"{anchor}<h{level}>{inner}{badge}</h{level}>"


def render_html_fragment(diff: DocumentDiff, side: str = "inline", qt: bool = False, changes_only: bool = False) -> str:
    """The body of a redline.  *side* is 'inline' (both), 'old' or 'new'
    (columns of a side-by-side view, with aligned placeholders).  Every
    change gets an anchor 'chg-N' in the order of ``diff.changes()``."""
    index = {(c.row, c.block): c.index for c in diff.changes()}
    out: list[str] = []
    if diff.meta_changes:
        rows = "".join(
            f"<tr><td>{_esc(k.replace('_', ' '))}</td><td>"
            + (_span("delete", _value(o), qt) if side != "new" else "")
            + (" " if side == "inline" else "")
            + (_span("insert", _value(n), qt) if side != "old" else "")
            + "</td></tr>"
            for k, o, n in diff.meta_changes)
        out.append(f'<table class="details" cellpadding="3"><tr><th colspan="2" align="left">Document details</th></tr>{rows}</table>')
    for i, row in enumerate(diff.rows):
        if changes_only and not row.changed:
            continue
        anchor = f'<a name="chg-{index[(i, None)]}"></a>' if (i, None) in index else ""
        if row.moved_from:
            note = f"Section “{_esc(display_text(row.old.title))}” was moved from here to a new place."
            out.append(f'{anchor}<p class="moved-note" style="font-style:italic;color:#444;">{note}</p>')
            continue
        if row.title:
            out.append(_heading_html(row, side, qt, anchor))
        elif anchor:
            out.append(anchor)
        table: list[BlockChange] = []
        table_anchors: dict[int, str] = {}
        for j, change in enumerate(row.blocks + [None]):
            if change is not None and changes_only and not change.is_change:
                continue
            a = f'<a name="chg-{index[(i, j)]}"></a>' if (i, j) in index else ""
            if change is not None and change.block.kind in ("row", "rule"):
                table.append(change)
                if a:
                    table_anchors[id(change)] = a
                continue
            if table:
                out.append(_table_html(table, table_anchors, side, qt))
                table, table_anchors = [], {}
            if change is None:
                continue
            if not shown(change.block) or not _has_text(block_pieces(change)):
                # Only markup (an HTML tag line, "{:.no_toc}"): nothing to show but its stop.
                if a:
                    out.append(a)
                continue
            out.append(a + _block_html(change, side, qt))
    return "\n".join(out)


def summary_html(diff: DocumentDiff, labels: Labels) -> str:
    items = "".join(f"<li>{_esc(label_text(r))}: <b>{_esc(r.kind)}</b></li>" for r in diff.rows if r.changed and not r.moved_from)
    return (f'<div class="summary"><p><b>Comparing</b> {_esc(labels.old)} <b>with</b> {_esc(labels.new)}</p>'
            f"<p>{_esc(diff.verdict())}</p>" + (f"<ul>{items}</ul>" if items else "") +
            "<p>Key: <ins>inserted text</ins> is underlined, <del>deleted text</del> is struck through.</p></div>")


def render_html(diff: DocumentDiff, labels: Labels | None = None) -> str:
    """A standalone HTML redline page."""
    from guidelines_app.core.markup import html_page

    labels = labels or Labels()
    body = f"<h1>Changes to {_esc(labels.title)}</h1>\n" + summary_html(diff, labels) + "\n" + render_html_fragment(diff)
    return html_page(body, f"Changes to {labels.title}", CSS)


# ---------------------------------------------------------------------------
# Word (.docx) with tracked changes
# ---------------------------------------------------------------------------

LINK_COLOR = "1F4E9A"


class _DocxWriter:
    """A sink for ``_walk`` that writes Word paragraphs and tables."""

    def __init__(self, labels: Labels, track: bool = True):
        import docx

        self.labels = labels
        self.track = track
        self.doc = docx.Document()
        self.next_id = 1
        self._link_ids: dict[str, str] = {}
        date = labels.date or _dt.datetime.now(_dt.timezone.utc)
        if date.tzinfo is None:
            date = date.replace(tzinfo=_dt.timezone.utc)
        self.date = date.astimezone(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.styles = {s.name for s in self.doc.styles}

    # -- low-level OXML
    def _mark(self, tag: str):
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        el = OxmlElement(tag)
        el.set(qn("w:id"), str(self.next_id))
        el.set(qn("w:author"), self.labels.author)
        el.set(qn("w:date"), self.date)
        self.next_id += 1
        return el

    @staticmethod
    def _run(text: str, fmt=None, deleted: bool = False, mono: bool = False, bold: bool = False):
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        r = OxmlElement("w:r")
        props = []  # in the schema's order
        if mono or (fmt and fmt.code):
            fonts = OxmlElement("w:rFonts")
            for attr in ("w:ascii", "w:hAnsi", "w:cs"):
                fonts.set(qn(attr), "Courier New")
            props.append(fonts)
        if bold or (fmt and fmt.bold):
            props += [OxmlElement("w:b"), OxmlElement("w:bCs")]
        if fmt and fmt.italic:
            props += [OxmlElement("w:i"), OxmlElement("w:iCs")]
        if fmt and fmt.strike:
            props.append(OxmlElement("w:strike"))
        if fmt and fmt.link:
            color = OxmlElement("w:color")
            color.set(qn("w:val"), LINK_COLOR)
            underline = OxmlElement("w:u")
            underline.set(qn("w:val"), "single")
            props += [color, underline]
        if props:
            rpr = OxmlElement("w:rPr")
            for el in props:
                rpr.append(el)
            r.append(rpr)
        for n, line in enumerate(text.split("\n")):
            if n:
                r.append(OxmlElement("w:br"))
            t = OxmlElement("w:delText" if deleted else "w:t")
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = line
            r.append(t)
        return r

    def _tracked(self, piece: Piece, mono: bool, bold: bool):
        """The run for one piece, inside w:ins / w:del when tracked; None
        for deleted text in the clean copy."""
        if piece.kind == "equal" or not self.track:
            if piece.kind == "delete":
                return None
            return self._run(piece.text, piece.fmt, mono=mono, bold=bold)
        wrapper = self._mark("w:ins" if piece.kind == "insert" else "w:del")
        wrapper.append(self._run(piece.text, piece.fmt, deleted=piece.kind == "delete", mono=mono, bold=bold))
        return wrapper

    def _hyperlink(self, url: str):
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        link = OxmlElement("w:hyperlink")
        if url.startswith("#"):
            link.set(qn("w:anchor"), url[1:])
            return link
        rid = self._link_ids.get(url)
        if rid is None:
            rid = self._link_ids[url] = self.doc.part.relate_to(url, RT.HYPERLINK, is_external=True)
        link.set(qn("r:id"), rid)
        link.set(qn("w:history"), "1")
        return link

    def _fill(self, p_el, pieces: list[Piece], mono: bool = False, bold: bool = False) -> None:
        """Runs for *pieces*; neighbouring pieces of one link share one
        clickable w:hyperlink (tracked runs inside it)."""
        link_el, link_url = None, ""
        for piece in pieces:
            if not piece.text:
                continue
            el = self._tracked(piece, mono, bold)
            if el is None:
                continue
            url = piece.fmt.link
            if not url:
                link_el, link_url = None, ""
                p_el.append(el)
                continue
            if link_el is None or url != link_url:
                link_el, link_url = self._hyperlink(url), url
                p_el.append(link_el)
            link_el.append(el)

    def _paragraph_mark(self, p, kind: str) -> None:
        """Track the paragraph itself as inserted or deleted, so accepting or
        rejecting all changes leaves no empty paragraph behind."""
        if not self.track or kind == "equal":
            return
        from docx.oxml import OxmlElement

        ppr = p._p.get_or_add_pPr()
        rpr = ppr.find(f"{_W}rPr")
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            ppr.append(rpr)
        rpr.append(self._mark("w:ins" if kind == "insert" else "w:del"))

    def _style_for(self, block: Block | None, level: int = 0) -> str:
        if block is None:
            name = f"Heading {min(max(level, 1), 9)}"
        elif block.kind == "item":
            base = "List Number" if block.ordered else "List Bullet"
            name = base if block.depth == 0 else f"{base} {min(block.depth + 1, 3)}"
        else:
            name = "Normal"
        return name if name in self.styles else "Normal"

    # -- the sink
    def heading(self, level: int, pieces: list[Piece], whole: str) -> None:
        self._add(self._style_for(None, level), pieces, whole)

    def paragraph(self, block: Block, pieces: list[Piece], whole: str, mono: bool) -> None:
        self._add(self._style_for(block), pieces, whole, mono)

    def _add(self, style: str, pieces: list[Piece], whole: str, mono: bool = False):
        if whole == "delete" and not self.track:
            return None
        p = self.doc.add_paragraph(style=style)
        self._fill(p._p, pieces, mono)
        self._paragraph_mark(p, whole)
        return p

    def table(self, rows) -> None:
        from docx.oxml import OxmlElement

        if not self.track:
            rows = [r for r in rows if r[0] != "delete"]
            if not rows:
                return
        width = max(len(cells) for _w, _h, cells, _c in rows)
        table = self.doc.add_table(rows=0, cols=max(width, 1))
        if "Table Grid" in self.styles:
            table.style = "Table Grid"
        for whole, header, cells, _change in rows:
            row = table.add_row()
            if header:
                trpr = row._tr.get_or_add_trPr()
                trpr.append(OxmlElement("w:tblHeader"))
            if self.track and whole != "equal":
                # A whole inserted or deleted row: Word accepts or rejects it as one.
                row._tr.get_or_add_trPr().append(self._mark("w:ins" if whole == "insert" else "w:del"))
            for cell, pieces in zip(row.cells, cells + [[]] * (width - len(cells))):
                self._fill(cell.paragraphs[0]._p, pieces, bold=header)
        # Keep the next paragraph from running into the table.

    def header(self, text: str) -> None:
        section = self.doc.sections[0]
        para = section.header.paragraphs[0] if section.header.paragraphs else section.header.add_paragraph()
        para.text = text

    def save(self, path: Path) -> None:
        path = Path(path)
        props = self.doc.core_properties
        props.title = self.labels.title
        props.author = self.labels.author
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            self.doc.save(tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _write(diff: DocumentDiff, path: Path, labels: Labels, track: bool) -> None:
    w = _DocxWriter(labels, track)
    if track:
        w.header(f"{labels.title}: changes from {labels.old} to {labels.new} (tracked changes)")
    else:
        w.header(f"{labels.title}: {labels.new}")
    _walk(diff, track, w)
    try:
        w.save(path)
    except OSError as exc:
        raise RedlineError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_docx_redline(diff: DocumentDiff, path: Path | str, labels: Labels | None = None) -> Path:
    """A .docx whose tracked changes (w:ins / w:del with author and date)
    turn the old version into the new one: accepting all gives the new text."""
    path = Path(path)
    _write(diff, path, labels or Labels(), track=True)
    return path


def write_docx_clean(diff: DocumentDiff, path: Path | str, labels: Labels | None = None) -> Path:
    """The new version alone, laid out like the redline (no tracked changes)."""
    path = Path(path)
    _write(diff, path, labels or Labels(), track=False)
    return path


def clean_copy_path(path: Path | str) -> Path:
    path = Path(path)
    return path.with_name(path.stem + " (clean)" + path.suffix)


# ---------------------------------------------------------------------------
# Reading tracked changes back (tests, and a check after writing)
# ---------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_paragraph_texts(path: Path | str, accept: bool = True) -> list[str]:
    """Body paragraphs of a .docx with every tracked change accepted (or,
    with accept=False, rejected)."""
    import docx

    body = docx.Document(str(path)).element.body
    skip = f"{_W}del" if accept else f"{_W}ins"
    out = []
    for p in body.iter(f"{_W}p"):
        row = next(p.iterancestors(f"{_W}tr"), None)
        if row is not None and row.find(f"{_W}trPr/{skip}") is not None:
            continue  # a whole row that accepting (rejecting) removes
        mark = p.find(f"{_W}pPr/{_W}rPr/{skip}")
        parts = []
        for el in p.iter(f"{_W}t", f"{_W}delText", f"{_W}br"):
            tracked = [a for a in el.iterancestors(f"{_W}ins", f"{_W}del")]
            if tracked and tracked[0].tag == skip:
                continue
            if el.tag == f"{_W}br":
                parts.append("\n")
            else:
                parts.append(el.text or "")
        text = "".join(parts)
        if mark is not None:
            # The paragraph itself is gone: its remaining text joins the next.
            if text:
                out.append(text)
            continue
        out.append(text)
    return out
