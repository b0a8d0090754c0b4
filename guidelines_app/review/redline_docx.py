"""The Word redline: the comparison's layout written by the exporter's Word
writer in its redline mode (``publishing.docx.marked``), so it has the
export's house style (or the reference document's), title page, headings,
numbered lists, tables, links, header and footer, with native tracked
changes (w:ins / w:del with author and date) on top; and the clean copy.
Also reads a .docx's text back with every change accepted or rejected."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from guidelines_app.core.approval import Approval
from guidelines_app.core.inline_markup import display_text
from guidelines_app.core.md_refs import link_references
from guidelines_app.publishing.docx import ExportDetails, ExportError
from guidelines_app.publishing.docx.marked import BODY_BOOKMARK, MarkedWriter
from guidelines_app.publishing.docx.package import LinkedTarget, check_writable, output_file, write_output
from guidelines_app.publishing.docx.tracked import ChangeMarks
from guidelines_app.review.diff import DocumentDiff
from guidelines_app.review.redline_layout import Labels, RedlineError, _walk, heading_level, toc_marker


def _write(diff: DocumentDiff, path: Path, labels: Labels, track: bool, reference_docx=None,
           follow_symlink: bool = False, approval: Approval | None = None) -> None:
    _put(path, _build(diff, labels, track, reference_docx, approval), follow_symlink, reference_docx)


def _build(diff: DocumentDiff, labels: Labels, track: bool, reference_docx=None, approval: Approval | None = None) -> bytes:
    """The redline (*track*) or the clean copy, as a .docx's bytes.
    *approval*: what ``core.approval`` says of the new text; the title
    page prints it, and a clean copy of a text that is not an approved
    version carries the DRAFT marks like an export."""
    date = labels.date or _dt.datetime.now(_dt.UTC)
    details = ExportDetails(title=labels.title, status="", author=labels.author, modified=date,
                            subject=f"Changes from {labels.old} to {labels.new}" if track else labels.new,
                            keywords="redline; tracked changes" if track else "")
    try:
        writer = MarkedWriter(details, reference_docx, ChangeMarks(labels.author, date) if track else None)
    except ExportError as exc:
        raise RedlineError(str(exc)) from None
    if track:
        writer.header_note = labels.header or f"{labels.old} \u2192 {labels.new}"
        writer.footer_note = "Tracked changes"
        rows = [("Compared", f"{labels.old} \u2192 {labels.new}"), ("Changes", diff.verdict()),
                ("Tracked as", labels.author), ("Date", f"{date.day} {date.strftime('%B %Y')}")]
        if approval is not None:
            rows.insert(2, ("New text", approval.label))
        writer.title_page("Changes, tracked in Word: review them with Accept and Reject", rows)
    else:
        writer.header_note = labels.new
        writer.footer_note = "Clean copy"
        rows = [("Revision", labels.new[:1].upper() + labels.new[1:]), ("Date", f"{date.day} {date.strftime('%B %Y')}")]
        if approval is not None:
            rows.insert(1, ("Status", approval.status_text))
            writer.draft_marks = not approval.approved  # the DRAFT watermark and header mark
        writer.title_page("Clean copy of the new version (no tracked changes)", rows)
    headings = [row for row in diff.rows if (row.title or track and row.heading_change) and not toc_marker(row)]
    if headings and headings[0].level == 1 and not headings[0].changed and \
            " ".join(display_text(headings[0].title).split()) == " ".join(labels.title.split()):
        headings = headings[1:]  # the title again: kept (it is text), but the sections are Heading 1 as exported
    writer.plan_headings([heading_level(row) for row in headings])
    with link_references(diff.old_body, diff.new_body):
        _walk(diff, track, writer)
    try:
        return writer.finish()
    except ExportError as exc:
        raise RedlineError(str(exc)) from None


def _put(path: Path, data: bytes, follow_symlink: bool, reference_docx=None) -> None:
    try:
        write_output(path, data, follow_symlink, (reference_docx,))
    except LinkedTarget:
        raise  # the caller may ask whether to write through the link
    except ExportError as exc:
        raise RedlineError(str(exc)) from None


def write_docx_redline(diff: DocumentDiff, path: Path | str, labels: Labels | None = None,
                       reference_docx: Path | str | None = None, follow_symlink: bool = False,
                       approval: Approval | None = None) -> Path:
    """A .docx whose tracked changes (w:ins / w:del with author and date)
    turn the old version into the new one: accepting all gives the new text.
    *reference_docx*: the organisation's Word document whose styles to use
    (as ``guidelines export`` does)."""
    path = Path(path)
    _write(diff, path, labels or Labels(), True, reference_docx, follow_symlink, approval)
    return path


def write_docx_clean(diff: DocumentDiff, path: Path | str, labels: Labels | None = None,
                     reference_docx: Path | str | None = None, follow_symlink: bool = False,
                     approval: Approval | None = None) -> Path:
    """The new version alone, laid out like the redline (no tracked changes)."""
    path = Path(path)
    _write(diff, path, labels or Labels(), False, reference_docx, follow_symlink, approval)
    return path


def write_docx_pair(diff: DocumentDiff, path: Path | str, labels: Labels | None = None,
                    reference_docx: Path | str | None = None, follow_symlink: tuple[bool, bool] = (False, False),
                    approval: Approval | None = None) -> tuple[Path, Path]:
    """The redline at *path* and its clean copy beside it (``clean_copy_path``),
    both or neither: where either cannot be written (a folder of that name,
    a read-only file) nothing is, and both are made before either is written
    (the redline was written, then the clean copy refused).  *follow_symlink*:
    for each, whether to write through a link in its place."""
    path, labels = Path(path), labels or Labels()
    clean = clean_copy_path(path)
    try:
        for target, follow in zip((path, clean), follow_symlink, strict=True):
            check_writable(output_file(target, follow, (reference_docx,)))  # (as an export checks its file)
    except LinkedTarget:
        raise
    except ExportError as exc:
        raise RedlineError(str(exc)) from None
    marked = _build(diff, labels, True, reference_docx, approval)
    plain = _build(diff, labels, False, reference_docx, approval)
    _put(path, marked, follow_symlink[0], reference_docx)
    _put(clean, plain, follow_symlink[1], reference_docx)
    return path, clean


def clean_copy_path(path: Path | str) -> Path:
    path = Path(path)
    return path.with_name(path.stem + " (clean)" + path.suffix)


# ---------------------------------------------------------------------------
# Reading tracked changes back (tests, and a check after writing)
# ---------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _content(body) -> list:
    """The body's paragraphs a reader counts as text: after the redline's
    title page (its body bookmark) when there is one, and without layout-only
    body paragraphs (no run at all: the gap after a table, page spacers)."""
    children = list(body)
    for n, child in enumerate(children):
        if child.tag == f"{_W}bookmarkStart" and child.get(f"{_W}name") == BODY_BOOKMARK:
            children = children[n + 1:]
            break
    out = []
    for child in children:
        if child.tag == f"{_W}p":
            if child.find(f".//{_W}r") is not None:
                out.append(child)
        else:
            out.extend(child.iter(f"{_W}p"))
    return out


def docx_paragraph_texts(path: Path | str, accept: bool = True) -> list[str]:
    """Body paragraphs of a .docx with every tracked change accepted (or,
    with accept=False, rejected)."""
    import docx

    body = docx.Document(str(path)).element.body
    skip = f"{_W}del" if accept else f"{_W}ins"
    out = []
    for p in _content(body):
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
