"""The HTML redline: a standalone page (export) and the fragments the app's
compare view shows (inline, or old/new columns kept aligned)."""

from __future__ import annotations

import html
import re
from contextvars import ContextVar
from dataclasses import dataclass

from guidelines_app.core.colours import LIGHT, Colours, fill
from guidelines_app.core.document import detail_name
from guidelines_app.core.inline_diff import display_pieces, side_text
from guidelines_app.core.inline_markup import CELL, Piece, display_text
from guidelines_app.core.links import safe_link
from guidelines_app.core.md_refs import link_references
from guidelines_app.review.diff import (
    Block,
    BlockChange,
    DocumentDiff,
    SectionChange,
    WordOp,
)
from guidelines_app.review.diff.definitions import DEFINITION, TERM
from guidelines_app.review.redline_layout import (
    BREAK_MARK,
    Labels,
    _has_text,
    _Sources,
    _table_rows,
    block_pieces,
    column_aligns,
    detail_values,
    heading_level,
    is_rule,
    label_text,
    quote_marks,
    shown,
    summary_line,
    title_pieces,
    toc_marker,
)
from guidelines_app.review.redline_numbers import ItemNumbers


@dataclass(frozen=True)
class Styles:
    """The redline's inline styles in one colour set (core.colours): the
    app's compare view passes the set it shows, exports use LIGHT."""

    inserted: str
    deleted: str
    placeholder: str
    link: str
    badge: str
    note: str


def styles_for(colours: Colours) -> Styles:
    c = colours
    return Styles(
        inserted=f"color:{c.inserted};background-color:{c.inserted_background};text-decoration:underline",
        deleted=f"color:{c.deleted};background-color:{c.deleted_background};text-decoration:line-through",
        placeholder=f"color:{c.placeholder};background-color:{c.placeholder}",
        link=f"color:{c.link};text-decoration:underline",
        badge=f"font-size:small;color:{c.note};",
        note=f"font-style:italic;color:{c.note};",
    )


_LIGHT = styles_for(LIGHT)
# The styles of the render running on this thread (render_html_fragment's colours).
_STYLES: ContextVar[Styles] = ContextVar("redline_styles", default=_LIGHT)
INS_STYLE, DEL_STYLE, PLACEHOLDER_STYLE, LINK_STYLE = _LIGHT.inserted, _LIGHT.deleted, _LIGHT.placeholder, _LIGHT.link

CSS = fill("""
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46em; margin: 2em auto; line-height: 1.5; color: $text; }
ins { $ins }
del { $del }
.badge { font: 600 0.7em sans-serif; border: 1px solid $note; border-radius: 3px; padding: 0 0.4em; margin-left: 0.6em; vertical-align: middle; color: $note; }
.removed-section, .added-section { border-left: 4px solid $note; padding-left: 0.8em; }
.removed-section { border-left-style: dashed; }
.moved-note { font: italic 0.9em sans-serif; color: $note; border: 1px dashed $secondary; padding: 0.2em 0.6em; }
.summary { font-family: sans-serif; font-size: 0.9em; background: $summary_background; border: 1px solid $border; padding: 0.6em 1em; }
.summary li { margin: 0.1em 0; }
.draft-notice { color: $error; font-weight: bold; }
pre { background: $pre_background; padding: 0.4em; white-space: pre-wrap; }
.quote { border-left: 3px solid $secondary; padding-left: 0.8em; }
table { border-collapse: collapse; }
td, th { border: 1px solid $secondary; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
@media print { .summary { background: none; } }
""".replace("$ins", _LIGHT.inserted.replace(";", "; ") + ";").replace("$del", _LIGHT.deleted.replace(";", "; ") + ";"), LIGHT)


# How far in a definition list's definition is: the Word export's 1 cm.
_DEFINITION_EM = 2.5


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _span_html(kind: str, inner: str, qt: bool) -> str:
    if qt:
        styles = _STYLES.get()
        style = styles.inserted if kind == "insert" else styles.deleted
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
        target = safe_link(fmt.link)
        if qt:
            out = f'<span style="{_STYLES.get().link}">{out}</span>'
        elif target:
            out = f'<a href="{html.escape(target)}">{out}</a>'
    return out


def _pieces_html(pieces: list[Piece], side: str, qt: bool) -> str:
    out = []
    for p in pieces:
        if (p.kind == "delete" and side == "new") or (p.kind == "insert" and side == "old"):
            continue
        if p.kind != "equal" and "\n" in p.text and not p.text.strip():
            # A line break added or taken away, and nothing else: its mark
            # (a mark on a new line alone shows nothing), then the new line
            # where this side has it (the inline view reads as the new text).
            inner = BREAK_MARK * p.text.count("\n") + ("<br>" if p.kind == "insert" or side == "old" else "")
            if not qt:
                inner = f'<span title="{"Line break added" if p.kind == "insert" else "Line break removed"}">{inner}</span>'
        else:
            inner = _fmt_html(p.text, p.fmt, qt)
        out.append(inner if p.kind == "equal" else _span_html(p.kind, inner, qt))
    return "".join(out)


def _ops_html(ops: list[WordOp], side: str, qt: bool) -> str:
    return _pieces_html(display_pieces(ops, "old" if side == "old" else "new"), side, qt)


_TAG = re.compile(r"<[^>]*>")


def _shows_nothing(html_text: str) -> bool:
    """Whether *html_text* (an element, or what is inside one) holds no text
    (tags only, or nothing)."""
    return not _TAG.sub("", html_text).strip()


def _kept(inner: str) -> str:
    """*inner*, or, when it shows no text (a side of an image-only paragraph
    or heading, an empty code block), a space that keeps its line: Qt drops
    an empty paragraph, and the other column's line would have nothing
    beside it."""
    if inner[:1].isalnum() or not _shows_nothing(inner):
        return inner
    return inner + "&nbsp;"


def _wrap_block(block: Block, inner: str, extra_style: str = "", code_quotes: int = 0, summary: bool = False,
                number: str | None = None) -> str:
    """*code_quotes*: how many quotes a code block is in (``_Sources.
    code_quotes``); *summary*: a <details> block's summary line, bold as
    the preview and the export draw it (``redline_layout.summary_line``);
    *number*: a numbered item's number as its side reads it ("2.",
    ``redline_numbers``; None: as written)."""
    if summary or block.marker == TERM and block.kind == "paragraph":
        # (a definition list's term: as the Word redline and export draw it, in the Summary style)
        extra_style = "font-weight:bold;" + extra_style
    style = f' style="{extra_style}"' if extra_style else ""
    inner = _kept(inner)
    if block.kind == "code":
        # In a quote: in it, as the export draws it (and as a paragraph
        # there); in a list item: under its text, as its further paragraphs.
        quote = ' class="quote"' if code_quotes else ""
        left = 1.5 * (code_quotes - 1) if code_quotes else 0
        left += 1.4 * block.depth + 1.1 if block.depth else 0
        if left:
            return f'<pre{quote} style="margin-left:{left:.1f}em;{extra_style}">{inner}</pre>'
        return f"<pre{quote}{style}>{inner}</pre>"
    # A block quote's paragraph or list item (diff.blocks marks them "> "):
    # the page's bar beside it (a view without the page's CSS shows it as before).
    quote = ' class="quote"' if block.content[:1] == ">" and block.kind in ("paragraph", "item") else ""
    # A quote inside a quote: in from the one around it, as the export draws it.
    nest = 1.5 * (quote_marks(block.content) - 1) if quote else 0
    if block.kind == "item":
        indent = 1.4 * (block.depth + 1) + nest
        marker = _esc((number or block.marker) if block.ordered else "\u2022")
        return f'<p{quote} style="margin:0.15em 0 0.15em {indent:g}em;{extra_style}">{marker}&nbsp;{inner}</p>'
    if block.marker == DEFINITION and block.kind == "paragraph":
        nest += _DEFINITION_EM  # a definition list's definition: in under its term, as the export draws it
    if block.kind == "paragraph" and block.depth:
        # A list item's further paragraph (depth: its item's plus one): under the item's text.
        return f'<p{quote} style="margin-left:{1.4 * block.depth + 1.1 + nest:.1f}em;{extra_style}">{inner}</p>'
    if nest:
        return f'<p{quote} style="margin-left:{nest:g}em;{extra_style}">{inner}</p>'
    return f"<p{quote}{style}>{inner}</p>"


def _present(change: BlockChange, side: str) -> bool:
    return (change.kind in ("equal", "changed") or side == "inline"
            or (side == "new" and change.kind == "added") or (side == "old" and change.kind == "removed"))


def _badge(text: str) -> str:
    """A small grey note after a heading or block: [changed], [moved here]
    (none where the styles give notes no style: a view that is no redline)."""
    if not _STYLES.get().badge:
        return ""
    return f' <span class="badge" style="{_STYLES.get().badge}">[{_esc(text)}]</span>'


def _block_html(change: BlockChange, side: str, qt: bool, code_quotes: int = 0, summary: bool = False,
                number: str | None = None) -> str:
    """One block for one side ('inline', 'old' or 'new').  In side-by-side
    columns a block missing on one side leaves a grey band of the same
    height, so the two columns stay aligned.  *code_quotes*, *summary* and
    *number*: see ``_wrap_block``."""
    view = "old" if side == "old" else "new"
    pieces = block_pieces(change, view)
    if change.kind in ("equal", "changed"):
        return _wrap_block(change.new if side != "old" else change.old, _pieces_html(pieces, side, qt), "",
                           code_quotes, summary, number)
    if _present(change, side):
        badge = _badge(change.label) if change.moved or change.regrouped else ""  # the same words elsewhere
        return _wrap_block(change.block, _pieces_html(pieces, side, qt) + badge, "", code_quotes, summary, number)
    return _wrap_block(change.block, _placeholder(pieces, change), _STYLES.get().placeholder, code_quotes, summary,
                       number)


def _placeholder(pieces: list[Piece], change: BlockChange) -> str:
    """The text of a grey band in the column without the block (or table
    row): the other side's, its line breaks kept so the band is as high."""
    return _esc(side_text(pieces, "new" if change.kind == "added" else "old")).replace("\n", "<br>")


_COLOUR = re.compile(r"(?:^|;)\s*(?:background-)?color:\s*([^;]+)")


def _rule_html(change: BlockChange, side: str) -> str:
    """A rule across the page ("---", "- - -", "* * *"), drawn as the
    export draws it, not its marks as text.  One added is a double line in
    the inserted colour, one removed a dashed line in the deleted colour
    (told apart printed in grey too; Qt colours a line by its background);
    in a column without it, a line in the placeholder's grey."""
    styles = _STYLES.get()
    margin = f"margin-left:{1.4 * change.block.depth + 1.1:.1f}em;" if change.block.depth else ""
    if change.kind in ("equal", "changed"):
        return f'<hr style="{margin}">' if margin else "<hr>"
    if not _present(change, side):
        colour = _COLOUR.search(styles.placeholder)
        return f'<hr style="{margin}border:0;border-top:1px solid {colour.group(1)};background-color:{colour.group(1)}">' \
            if colour else f'<hr style="{margin}">'
    added = change.kind == "added"
    colour = _COLOUR.search(styles.inserted if added else styles.deleted)
    line = "3px double" if added else "2px dashed"
    look = f"border:0;border-top:{line} {colour.group(1)};background-color:{colour.group(1)}" if colour else ""
    return f'<hr title="{"Line added" if added else "Line removed"}" style="{margin}{look}">'


def _table_html(changes: list[BlockChange], anchors: dict[int, str], side: str, qt: bool) -> str:
    view = "old" if side == "old" else "new"
    rows = _table_rows(changes, view)
    if not rows:
        return "".join(anchors.values())
    width = max(len(cells) for _w, _h, cells, _c in rows)
    aligns = column_aligns(changes)
    # In a list item (depth: its item's plus one): under the item's text, as a further paragraph.
    depth = changes[0].block.depth
    left = f"{1.4 * depth + 1.1:.1f}em" if depth else "0"
    out = [f'<table border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse;margin:0.4em 0 0.4em {left};">']
    for _whole, header, cells, change in rows:
        tag = "th" if header else "td"
        present = _present(change, side)
        style = "" if present else _STYLES.get().placeholder
        tds = []
        for k, cell in enumerate(cells + [[]] * (width - len(cells))):
            inner = _pieces_html(cell, side, qt) if present else _placeholder(cell, change)
            if k == 0:
                inner = anchors.get(id(change), "") + inner
            # (the column's alignment as the export's; a style too, as the page's CSS sets "left")
            align = aligns[k] if k < len(aligns) and aligns[k] in ("center", "right") else "left"
            look = (f"text-align:{align};" if align != "left" else "") + style
            tds.append(f'<{tag} align="{align}"' + (f' style="{look}"' if look else "") + f">{inner}</{tag}>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _heading_html(row: SectionChange, side: str, qt: bool, anchor: str) -> str:
    heading = row.heading_change  # a heading taken away (or added above the opening text)
    level = min(max(heading_level(row), 1), 6)
    view = "old" if side == "old" else "new"
    if heading and side == ("new" if heading == "heading removed" else "old"):
        # The column without the heading: a grey band of the same height.
        title = row.old.title if heading == "heading removed" else row.new.title
        inner = f'<span style="{_STYLES.get().placeholder}">{_esc(display_text(title))}</span>'
    elif row.renamed and row.title_words:
        inner = _pieces_html(title_pieces(row, "renamed", view), side, qt)
    elif row.added:
        inner = (_pieces_html(title_pieces(row, "added"), side, qt) if side != "old"
                 else f'<span style="{_STYLES.get().placeholder}">{_esc(display_text(row.title))}</span>')
    elif row.removed:
        inner = (_pieces_html(title_pieces(row, "removed", "old"), side, qt) if side != "new"
                 else f'<span style="{_STYLES.get().placeholder}">{_esc(display_text(row.title))}</span>')
    else:
        inner = _pieces_html(title_pieces(row, "equal", view), side, qt)
    shown_here = side != "old" or row.removed or row.moved_from
    badge = _badge(row.kind) if row.changed and shown_here else ""
    return f"{anchor}<h{level}>{_kept(inner + badge)}</h{level}>"


def render_html_fragment(diff: DocumentDiff, side: str = "inline", qt: bool = False, changes_only: bool = False,
                         colours: Colours = LIGHT, styles: Styles | None = None) -> str:
    """The body of a redline.  *side* is 'inline' (both), 'old' or 'new'
    (columns of a side-by-side view, with aligned placeholders).  Every
    change gets an anchor 'chg-N' in the order of ``diff.changes()``.
    *colours*: the set the app shows (``core.colours``); *styles*, when
    given, how changed words are marked instead (a view that is no redline:
    the two sides of a conflict; an empty ``badge`` style: no notes such
    as "[changed]")."""
    token = _STYLES.set(styles or (_LIGHT if colours is LIGHT else styles_for(colours)))
    try:
        with link_references(diff.old_body, diff.new_body):
            return _fragment(diff, side, qt, changes_only)
    finally:
        _STYLES.reset(token)


# Where a page (``render_html_fragment``) may be cut into parts read one after
# the other: between two top-level elements (a newline joins them; a newline
# in the text is "<br>", or, in a grey placeholder or a detail's value, never
# before "<"), before a heading, a paragraph or code (a part starting with a
# table is read with an empty paragraph before it) and after a closed one, or
# a table, never after an anchor (it names the element after it), nor next to
# an element with nothing to show (``_kept`` writes none; Qt drops one from
# the whole page, and a part read alone would keep it).
_PART_BREAK = re.compile(r"(?:(?<=p>)|(?<=[1-6]>)|(?<=re>)|(?<=le>))\n(?=<[hp])")


def page_parts(page: str, chars: int) -> list[str]:
    """*page* (``render_html_fragment``'s) in parts of whole top-level
    elements, each at least *chars* long but the last: read one after the
    other into a text document, each at the end of a new paragraph taking
    the format of its first one (``ui.review.compare_pages``), they make
    the document the whole page makes."""
    parts: list[str] = []
    start = at = 0
    while (cut := _PART_BREAK.search(page, max(at, start + max(1, chars)))) is not None:
        at = cut.end()
        before = page[page.rfind("\n", start, cut.start()) + 1:cut.start()]
        after = page[cut.end():page.find("\n", cut.end()) % (len(page) + 1)]
        if _shows_nothing(before) or _shows_nothing(after):
            continue  # (the next place, further on)
        parts.append(page[start:cut.start()])
        start = cut.end()
    parts.append(page[start:])
    return parts


def _fragment(diff: DocumentDiff, side: str, qt: bool, changes_only: bool) -> str:
    index = {(c.row, c.block): c.index for c in diff.changes()}
    sources = _Sources(diff)  # (the quotes a code block is in, read from its first line)
    numbers = ItemNumbers(diff)  # (a numbered item's number as its side reads it)
    out: list[str] = []
    if diff.meta_changes:
        rows = "".join(
            f"<tr><td>{_esc(detail_name(k))}</td><td>"
            + (_span("delete", before, qt) if side != "new" else "")
            + (" " if side == "inline" else "")
            + (_span("insert", after, qt) if side != "old" else "")
            + "</td></tr>"
            for k, o, n in diff.meta_changes for before, after in [detail_values(k, o, n)])
        out.append(f'<table class="details" cellpadding="3"><tr><th colspan="2" align="left">Document details</th></tr>{rows}</table>')
    for i, row in enumerate(diff.rows):
        if changes_only and not row.changed:
            continue
        if row.title and toc_marker(row):
            # Left out as the export leaves it out; its changes keep their stops.
            out.extend(f'<a name="chg-{index[k]}"></a>' for k in [(i, None)] + [(i, j) for j in range(len(row.blocks))]
                       if k in index)
            continue
        anchor = f'<a name="chg-{index[(i, None)]}"></a>' if (i, None) in index else ""
        if row.moved_from:
            note = f"Section “{_esc(display_text(row.old.title))}” was moved from here to a new place."
            out.append(f'{anchor}<p class="moved-note" style="{_STYLES.get().note}">{note}</p>')
            continue
        if row.title or row.heading_change:
            out.append(_heading_html(row, side, qt, anchor))
        elif anchor:
            out.append(anchor)
        table: list[BlockChange] = []
        table_anchors: dict[int, str] = {}
        in_summary = False  # (see redline_layout.summary_line)
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
            if is_rule(change):
                out.append(a + _rule_html(change, side))
                continue
            summary, in_summary = summary_line(change.block, in_summary)
            if not shown(change.block) or not _has_text(block_pieces(change)):
                # Only markup (an HTML tag line, "{:.no_toc}"): nothing to show but its stop.
                if a:
                    out.append(a)
                continue
            quotes = sources.code_quotes(change) if change.block.kind == "code" else 0
            number = numbers.label(i, j, change, side) if change.block.kind == "item" else None
            out.append(a + _block_html(change, side, qt, quotes, summary, number))
    return "\n".join(out)


def summary_html(diff: DocumentDiff, labels: Labels, approval=None) -> str:
    """The page's head: what is compared, the status of the new text
    (*approval*, from ``core.approval``; a draft gets the DRAFT line an export
    has), the verdict and the changed sections."""
    items = "".join(f"<li>{_esc(label_text(r))}: <b>{_esc(r.kind)}</b></li>" for r in diff.rows if r.changed and not r.moved_from)
    status = ""
    if approval is not None:
        status = f"<p><b>New text:</b> {_esc(approval.label)}</p>"
        if not approval.approved:
            status += '<p class="draft-notice">DRAFT — not approved for distribution</p>'
    return (f'<div class="summary"><p><b>Comparing</b> {_esc(labels.old)} <b>with</b> {_esc(labels.new)}</p>{status}'
            f"<p>{_esc(diff.verdict())}</p>" + (f"<ul>{items}</ul>" if items else "") +
            "<p>Key: <ins>inserted text</ins> is underlined, <del>deleted text</del> is struck through.</p></div>")


def render_html(diff: DocumentDiff, labels: Labels | None = None, approval=None) -> str:
    """A standalone HTML redline page.  Every text is escaped and every link
    passed safe_link; the page also carries the export's
    Content-Security-Policy (no scripts, nothing loaded from elsewhere).
    *approval*: what ``core.approval`` says of the new text (printed at the top)."""
    from guidelines_app.core.markup import html_page
    from guidelines_app.publishing.html_safety import with_csp

    labels = labels or Labels()
    body = f"<h1>Changes to {_esc(labels.title)}</h1>\n" + summary_html(diff, labels, approval) + "\n" + render_html_fragment(diff)
    return with_csp(html_page(body, f"Changes to {labels.title}", CSS))
