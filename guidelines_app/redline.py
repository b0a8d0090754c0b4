"""Renderers of a ``diff.DocumentDiff``: plain text (CLI), HTML redline
(export and the app's compare view) and a Word redline with native tracked
changes, plus a clean Word copy.

Insertions are underlined and deletions struck through, so the redline reads
the same printed in greyscale; colours (dark blue / dark red on light tints)
only help on screen.

The Word writer is deliberately small: headings as Heading N, paragraphs,
list items as List Bullet / List Number, table rows as paragraphs with cells
separated by " | ".  Inline Markdown (links, emphasis) is kept as typed.
"""

from __future__ import annotations

import datetime as _dt
import html
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .diff import Block, BlockChange, DocumentDiff, SectionChange, WordOp
from .errors import GuidelinesError

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
.row {{ font-family: sans-serif; font-size: 0.95em; }}
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


def block_display(block: Block) -> str:
    """The text a reader sees for a block (markers simplified)."""
    return block_prefix(block) + block.content


def shown(block: Block | None) -> bool:
    return block is not None and block.kind != "rule"


def new_text_paragraphs(diff: DocumentDiff) -> list[str]:
    """The new version as the Word redline lays it out (accept-all result)."""
    out = []
    for row in diff.rows:
        if row.moved_from or row.new is None:
            continue
        if row.new.level:
            out.append(row.new.title)
        out.extend(_word_text(b.new) for b in row.blocks if b.new is not None and shown(b.new))
    return out


def old_text_paragraphs(diff: DocumentDiff) -> list[str]:
    """The old version as the Word redline lays it out (reject-all result)."""
    out: list[tuple[int, list[str]]] = []
    # Reject-all follows the old order; moved sections are there at their old place.
    for row in diff.rows:
        sec = row.old
        if sec is None or row.moved:
            continue
        paras = ([sec.title] if sec.level else []) + [_word_text(b.old) for b in row.blocks if b.old is not None and shown(b.old)]
        if row.moved_from:
            paras = ([sec.title] if sec.level else []) + [_word_text(b) for b in sec.blocks if shown(b)]
        out.append((sec.line, paras))
    return [p for _line, paras in out for p in paras]


def _word_text(block: Block) -> str:
    if block.kind == "item":
        return block.content
    return block.content


# ---------------------------------------------------------------------------
# Plain text (CLI)
# ---------------------------------------------------------------------------


def _ops_text(ops: list[WordOp]) -> str:
    parts = []
    for op in ops:
        if op.kind == "equal":
            parts.append(op.text)
        else:
            text, tail = op.text.rstrip(), op.text[len(op.text.rstrip()):]
            parts.append(("[-" + text + "-]" if op.kind == "delete" else "{+" + text + "+}") + tail)
    return "".join(parts)


def render_text(diff: DocumentDiff, labels: Labels | None = None) -> str:
    labels = labels or Labels()
    lines = [f"Comparing {labels.old} with {labels.new}", diff.verdict(), ""]
    for key, old, new in diff.meta_changes:
        lines.append(f"  details: {key.replace('_', ' ')}: {_value(old)} -> {_value(new)}")
    if diff.meta_changes:
        lines.append("")
    for row in diff.rows:
        if not row.changed:
            continue
        head = "#" * max(row.level, 1) if row.title else "(before the first heading)"
        title = _ops_text(row.title_words) if row.renamed else row.title
        lines.append(f"{head} {title}  [{row.kind}]".replace("(before the first heading) ", "(before the first heading)"))
        if row.moved_from:
            lines.append("  (moved from here; see its new place)")
            lines.append("")
            continue
        for b in row.blocks:
            if not b.is_change or not (shown(b.old) or shown(b.new)):
                continue
            if b.kind == "added":
                lines.append(f"  + {block_display(b.new)}")
            elif b.kind == "removed":
                lines.append(f"  - {block_display(b.old)}")
            else:
                lines.append(f"  ~ {block_prefix(b.new)}{_ops_text(b.words)}")
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


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _span(kind: str, text: str, qt: bool) -> str:
    if qt:
        style = INS_STYLE if kind == "insert" else DEL_STYLE
        return f'<span style="{style}">{_esc(text)}</span>'
    tag = "ins" if kind == "insert" else "del"
    return f"<{tag}>{_esc(text)}</{tag}>"


def _ops_html(ops: list[WordOp], side: str, qt: bool) -> str:
    out = []
    for op in ops:
        if op.kind == "equal":
            out.append(_esc(op.text))
        elif op.kind == "delete" and side in ("inline", "old"):
            out.append(_span("delete", op.text, qt))
        elif op.kind == "insert" and side in ("inline", "new"):
            out.append(_span("insert", op.text, qt))
    return "".join(out)


def _wrap_block(block: Block, inner: str, extra_style: str = "") -> str:
    style = f' style="{extra_style}"' if extra_style else ""
    if block.kind == "code":
        return f"<pre{style}>{inner}</pre>"
    if block.kind == "item":
        indent = 1.4 * (block.depth + 1)
        marker = _esc(block.marker if block.ordered else "\u2022")
        return f'<p style="margin:0.15em 0 0.15em {indent}em;{extra_style}">{marker}&nbsp;{inner}</p>'
    if block.kind == "row":
        return f'<p class="row" style="font-family:sans-serif;margin:0.1em 0;{extra_style}">| {inner} |</p>'
    return f"<p{style}>{inner}</p>"


def _block_html(change: BlockChange, side: str, qt: bool) -> str:
    """One block for one side ('inline', 'old' or 'new').  In side-by-side
    columns a block missing on one side leaves a grey band of the same
    height, so the two columns stay aligned."""
    block = change.new if change.new is not None else change.old
    if change.kind == "equal":
        return _wrap_block(block, _esc(block.content))
    if change.kind == "changed":
        return _wrap_block(change.new if side != "old" else change.old, _ops_html(change.words, side, qt))
    kind = "insert" if change.kind == "added" else "delete"
    present = (side == "inline") or (side == "new" and kind == "insert") or (side == "old" and kind == "delete")
    if present:
        return _wrap_block(block, _span(kind, block.content, qt))
    return _wrap_block(block, _esc(block.content), PLACEHOLDER_STYLE)


def _heading_html(row: SectionChange, side: str, qt: bool, anchor: str) -> str:
    level = min(max(row.level, 1), 6)
    if row.renamed and row.title_words:
        inner = _ops_html(row.title_words, side, qt)
    elif row.added:
        inner = _span("insert", row.title, qt) if side != "old" else f'<span style="{PLACEHOLDER_STYLE}">{_esc(row.title)}</span>'
    elif row.removed:
        inner = _span("delete", row.title, qt) if side != "new" else f'<span style="{PLACEHOLDER_STYLE}">{_esc(row.title)}</span>'
    else:
        inner = _esc(row.title)
    badge = ""
    if row.changed and side != "old":
        badge = f' <span class="badge" style="font-size:small;color:#333;">[{_esc(row.kind)}]</span>'
    elif row.changed and side == "old" and (row.removed or row.moved_from):
        badge = f' <span class="badge" style="font-size:small;color:#333;">[{_esc(row.kind)}]</span>'
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
            note = f"Section “{_esc(row.old.title)}” was moved from here to a new place."
            out.append(f'{anchor}<p class="moved-note" style="font-style:italic;color:#444;">{note}</p>')
            continue
        if row.title:
            out.append(_heading_html(row, side, qt, anchor))
        elif anchor:
            out.append(anchor)
        for j, change in enumerate(row.blocks):
            if not (shown(change.old) or shown(change.new)):
                continue
            if changes_only and not change.is_change:
                continue
            a = f'<a name="chg-{index[(i, j)]}"></a>' if (i, j) in index else ""
            out.append(a + _block_html(change, side, qt))
    return "\n".join(out)


def summary_html(diff: DocumentDiff, labels: Labels) -> str:
    items = "".join(f"<li>{_esc(r.label)}: <b>{_esc(r.kind)}</b></li>" for r in diff.rows if r.changed and not r.moved_from)
    return (f'<div class="summary"><p><b>Comparing</b> {_esc(labels.old)} <b>with</b> {_esc(labels.new)}</p>'
            f"<p>{_esc(diff.verdict())}</p>" + (f"<ul>{items}</ul>" if items else "") +
            "<p>Key: <ins>inserted text</ins> is underlined, <del>deleted text</del> is struck through.</p></div>")


def render_html(diff: DocumentDiff, labels: Labels | None = None) -> str:
    """A standalone HTML redline page."""
    from .markup import html_page

    labels = labels or Labels()
    body = f"<h1>Changes to {_esc(labels.title)}</h1>\n" + summary_html(diff, labels) + "\n" + render_html_fragment(diff)
    return html_page(body, f"Changes to {labels.title}", CSS)


# ---------------------------------------------------------------------------
# Word (.docx) with tracked changes
# ---------------------------------------------------------------------------


class _DocxWriter:
    def __init__(self, labels: Labels, track: bool = True):
        import docx

        self.labels = labels
        self.track = track
        self.doc = docx.Document()
        self.next_id = 1
        date = labels.date or _dt.datetime.now(_dt.timezone.utc)
        if date.tzinfo is None:
            date = date.replace(tzinfo=_dt.timezone.utc)
        self.date = date.astimezone(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
        styles = {s.name for s in self.doc.styles}
        self.styles = styles

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
    def _run(text: str, deleted: bool = False, mono: bool = False):
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        r = OxmlElement("w:r")
        if mono:
            rpr = OxmlElement("w:rPr")
            fonts = OxmlElement("w:rFonts")
            for attr in ("w:ascii", "w:hAnsi", "w:cs"):
                fonts.set(qn(attr), "Courier New")
            rpr.append(fonts)
            r.append(rpr)
        lines = text.split("\n")
        for n, line in enumerate(lines):
            if n:
                r.append(OxmlElement("w:br"))
            t = OxmlElement("w:delText" if deleted else "w:t")
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = line
            r.append(t)
        return r

    def _append(self, p, kind: str, text: str, mono: bool = False) -> None:
        if not text:
            return
        if kind == "equal" or not self.track:
            if kind != "delete":
                p._p.append(self._run(text, mono=mono))
            return
        wrapper = self._mark("w:ins" if kind == "insert" else "w:del")
        wrapper.append(self._run(text, deleted=(kind == "delete"), mono=mono))
        p._p.append(wrapper)

    def _paragraph_mark(self, p, kind: str) -> None:
        """Track the paragraph itself as inserted or deleted, so accepting or
        rejecting all changes leaves no empty paragraph behind."""
        if not self.track or kind == "equal":
            return
        from docx.oxml import OxmlElement

        ppr = p._p.get_or_add_pPr()
        rpr = ppr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rPr")
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

    def paragraph(self, style: str, pieces: list[tuple[str, str]], whole: str = "equal", mono: bool = False):
        p = self.doc.add_paragraph(style=style)
        for kind, text in pieces:
            self._append(p, kind, text, mono)
        self._paragraph_mark(p, whole)
        return p

    # -- document structure
    def heading(self, row: SectionChange, title_kind: str, sec_title: str) -> None:
        if title_kind == "renamed":
            pieces = [(op.kind, op.text) for op in row.title_words]
            self.paragraph(self._style_for(None, row.level), pieces)
        else:
            kind = {"added": "insert", "removed": "delete"}.get(title_kind, "equal")
            self.paragraph(self._style_for(None, row.level), [(kind, sec_title)], kind)

    def block(self, change: BlockChange) -> None:
        b = change.new if change.new is not None else change.old
        if not shown(b):
            return
        mono = b.kind == "code"
        style = self._style_for(b)
        if change.kind == "equal":
            self.paragraph(style, [("equal", _word_text(b))], mono=mono)
        elif change.kind == "changed":
            self.paragraph(style, [(op.kind, op.text) for op in change.words], mono=mono)
        elif change.kind == "added":
            self.paragraph(style, [("insert", _word_text(b))], "insert", mono)
        else:
            self.paragraph(style, [("delete", _word_text(b))], "delete", mono)

    def whole_section(self, sec, kind: str) -> None:
        """A moved section: deleted at its old place, inserted at the new."""
        if sec.level:
            self.paragraph(self._style_for(None, sec.level), [(kind, sec.title)], kind)
        for b in sec.blocks:
            if shown(b):
                self.paragraph(self._style_for(b), [(kind, _word_text(b))], kind, b.kind == "code")

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
    for row in diff.rows:
        if row.moved_from:
            if track:
                w.whole_section(row.old, "delete")
            continue
        if track and row.moved:
            w.whole_section(row.new, "insert")
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
            w.heading(row, kind, row.title)
        for change in row.blocks:
            if not track:
                if change.new is not None:
                    w.block(BlockChange("equal", change.new, change.new))
                continue
            w.block(change)
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
