"""Exporting a document (as it is now, or at any saved or published
revision) to Word, standalone HTML or PDF.

Word is written by export_docx; HTML uses the preview's style sheet; PDF is
the Word export converted by LibreOffice (``soffice --headless``) with a
fresh profile per run, so a running LibreOffice or a damaged profile never
gets in the way.  Output files are written atomically: a failure leaves no
file behind and keeps an existing file as it was.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from guidelines_app.core import gitlog
from guidelines_app.core.approval import approval_of
from guidelines_app.core.document import Document
from guidelines_app.publishing.docx import (
    ExportDetails,
    ExportError,
    Progress,
    build_docx,
    build_form_docx,
    check_writable,
    output_file,
    write_output,
)

FORMATS = ("docx", "html", "pdf")
SUFFIXES = {"docx": ".docx", "html": ".html", "pdf": ".pdf"}
PDF_TIMEOUT_S = 240


class PdfError(ExportError):
    pass


@dataclass
class ExportSource:
    """What to export: the document text and the details of its revision."""

    doc: Document
    details: ExportDetails
    workspace_root: Path | None
    label: str  # "current text" or "revision of 05 Dec 2026 06:17"


def source_from_workspace(ws, slug: str, revision: str | None = None, text: str | None = None,
                          history: list | None = None) -> ExportSource:
    """The document *slug* as saved at *revision*, or *text* (the editor's
    current text), or the file as it is now, with the status that text may
    claim (``core.approval``: approved only when it is a published version's
    text).  *history*: the document's revisions (``Workspace.history``),
    when read already."""
    if revision:
        history = ws.history(slug) if history is None else history
        sha = ws.store.resolve(revision)
        text = ws.store.read_fast(ws.relpath(slug), sha).decode("utf-8", errors="replace")  # as read_at, resolved once
        index = next((n for n, r in enumerate(history) if r.sha == sha), None)
        rev = history[index] if index is not None else None
        number = len(history) - index if index is not None else len(history)
        label = f"revision of {rev.date.astimezone():%d %b %Y %H:%M}" if rev is not None else "an earlier revision"
    else:
        if text is None:
            text = ws.load(slug).to_text()
        # The newest revision and how many there are: not the whole history
        # read and parsed (most of a short export's time in a long one).
        # The committed text is the newest revision's (read by its id).
        newest = ws.history(slug, max_count=1)
        rev = newest[0] if newest else None
        count = gitlog.revision_count(ws.store, ws.relpath(slug)) if newest else 0
        committed = ws.committed_text(slug, rev.sha) if rev is not None else None
        number = count + (1 if committed != text else 0)
        label = "current text"
    doc = Document.parse(text, ws.path(slug))
    details = ExportDetails.from_document(doc).apply_approval(approval_of(ws, slug, text))
    details.revision_number = max(1, number)
    if rev is not None:
        details.author = rev.author
        if revision:
            details.modified = rev.date
            details.date = rev.date.date()
    return ExportSource(doc, details, ws.root, label)


def default_file_name(doc: Document, fmt: str, revision: str | None = None, version: str | None = None) -> str:
    """'<title>-v<version>[-<revision>].<fmt>'; *version*: the version the
    export prints (``ExportSource.details.version``), which a draft edited
    since its last publication does not have, though its details name one."""
    from guidelines_app.core.names import slugify

    stem = slugify(doc.title)
    version = doc.version if version is None else version
    if version:
        stem += f"-v{re.sub(r'[^A-Za-z0-9.]+', '-', version)}"
    if revision:
        stem += f"-{re.sub(r'[^A-Za-z0-9.]+', '-', revision)[:20]}"  # (a day and time whole: 2026-12-07-1650)
    return stem + SUFFIXES[fmt]


def export(source: ExportSource, fmt: str, out_path: Path | str, reference_docx: Path | str | None = None,
           progress: Progress | None = None, follow_symlink: bool = False) -> Path:
    """Write *source* as *fmt* to *out_path*: only to an ordinary file (or a
    new one); a symbolic link raises LinkedTarget (whose message names where
    it points) unless *follow_symlink*, which writes the file it points to
    and keeps the link."""
    if fmt not in FORMATS:
        raise ExportError(f"'{fmt}' is not an export format: use one of {', '.join(FORMATS)}")
    out_path = Path(out_path).expanduser()
    check_writable(output_file(out_path, follow_symlink, (reference_docx,)))
    if fmt == "docx":
        data = build_docx(source.doc, source.details, source.workspace_root, reference_docx, progress)
    elif fmt == "html":
        data = html_document(source).encode("utf-8")
        if progress:
            progress(1, 1)
    else:
        data = pdf_bytes(source, reference_docx, progress)
    return write_output(out_path, data, follow_symlink, (reference_docx,))


def export_form(parts: list[str], details: ExportDetails, fmt: str, out_path: Path | str, reference_docx: Path | str | None = None,
                follow_symlink: bool = False) -> Path:
    """Write short forms (Markdown *parts*, each on pages of its own: the
    acknowledgement form and the rules in brief) as Word or PDF, by the one
    Word writer."""
    if fmt not in ("docx", "pdf"):
        raise ExportError(f"'{fmt}' is not a format for the acknowledgement form: use docx or pdf")
    out_path = Path(out_path).expanduser()
    check_writable(output_file(out_path, follow_symlink, (reference_docx,)))
    data = build_form_docx(parts, details, reference_docx)
    if fmt == "pdf":
        with tempfile.TemporaryDirectory(prefix="guidelines-pdf-") as tmp:
            docx_path = Path(tmp) / "form.docx"
            docx_path.write_bytes(data)
            data = docx_to_pdf(docx_path, Path(tmp)).read_bytes()
    return write_output(out_path, data, follow_symlink, (reference_docx,))


# ---- HTML ----------------------------------------------------------------------


def html_document(source: ExportSource) -> str:
    """A standalone page styled like the preview; local images from the
    workspace are embedded so the page works wherever it is copied."""
    # The HTML path's modules, imported when it runs (a Word export needs none).
    import lxml.html

    from guidelines_app.core import markup
    from guidelines_app.core.colours import LIGHT, page_css
    from guidelines_app.publishing.html_safety import clean_body, with_csp

    doc, d = source.doc, source.details
    root = markup.export_tree(doc.body)
    for img in list(root.iter("img")):
        _embed_image(img, source.workspace_root)
    _kramdown_contents(root)
    fragment = "".join(lxml.html.tostring(child, encoding="unicode") for child in root)
    if root.text and root.text.strip():
        fragment = f"<p>{_html_escape(root.text)}</p>" + fragment
    fragment = clean_body(fragment)
    facts = [f"Version {d.version}" if d.version else "", d.status_text,
             d.organization, ", ".join(d.owners)]
    banner = "" if d.is_approved else '<p class="export-draft">DRAFT — not approved for distribution</p>'
    # The title, unless the body's leading "#" heading shows it already.
    first = next(root.iter(*markup.HEADING_TAGS), None)
    shown = first is not None and first.tag == "h1" and " ".join(first.text_content().split()) == " ".join(d.title.split())
    title = "" if shown else f'<p class="export-title">{_html_escape(d.title)}</p>'
    header = (f'<header class="export-details">{title}<p>{_html_escape(" · ".join(f for f in facts if f))}</p>{banner}</header>')
    css = page_css(LIGHT) + _EXTRA_CSS  # on paper-white, also when the app is dark
    return with_csp(markup.html_page(header + "\n" + fragment, d.title, css))


def _kramdown_contents(root) -> None:
    """kramdown's "- TOC" marker (a list of one item, "TOC") asks for a
    table of contents there: it becomes one, a list of links to the
    headings after it (the Word export has its contents page instead)."""
    from lxml.html import Element

    from guidelines_app.core import markup

    for ul in [el for el in root if el.tag == "ul" and len(el) == 1 and " ".join(el.text_content().split()) == "TOC"]:
        headings = [h for h in ul.itersiblings() if h.tag in markup.HEADING_TAGS and h.get("id")]
        if not headings:
            ul.getparent().remove(ul)  # (tail text of a list is whitespace)
            continue
        top = min(int(h.tag[1]) for h in headings)
        ul[0].getparent().remove(ul[0])
        ul.set("class", "contents")
        for h in headings:
            li = Element("li", style=f"margin-left: {1.5 * (int(h.tag[1]) - top)}em")
            link = Element("a", href=f"#{h.get('id')}")
            link.text = " ".join(h.text_content().split())
            li.append(link)
            ul.append(li)


_EXTRA_CSS = """
body { max-width: 50em; margin: 2em auto; padding: 0 1em; }
.export-details { color: #595959; font-size: 90%; border-bottom: 1px solid #d9d9d9; margin-bottom: 1.5em; }
.export-draft { color: #c00000; font-weight: bold; }
.export-title { color: #1f1f1f; font-size: 200%; font-weight: bold; margin: 0.4em 0 0.2em; }
img { max-width: 100%; }
ul.contents { list-style: none; padding-left: 0; }
"""


def _html_escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def _embed_image(img, root: Path | None) -> None:
    src = (img.get("src") or "").strip()
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]+:", src) and not src.startswith("data:image/"):
        _image_as_link(img, src)
        return
    if not src or src.startswith("data:") or root is None:
        return
    path = Path(src)
    if not path.is_absolute():
        path = root / "guidelines" / path
    try:
        path = path.resolve()
        path.relative_to(root.resolve())
    except (OSError, ValueError):
        raise ExportError(f"the image {src} is outside the workspace; copy it into {root} and link to the copy") from None
    if not path.is_file():
        raise ExportError(f"the image {src} does not exist (looked for {path})")
    import base64
    import mimetypes

    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    img.set("src", f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii"))


def _image_as_link(img, src: str) -> None:
    """A picture from elsewhere is never loaded: the reader gets a link to it
    ("Image: <alt>"), as in the Word export; other schemes only the text."""
    import lxml.html

    from guidelines_app.core.links import safe_link

    alt = (img.get("alt") or "").strip()
    target = safe_link(src) if src.lower().startswith(("http:", "https:")) else None
    new = lxml.html.Element("a", href=target) if target else lxml.html.Element("span")
    new.text = f"Image: {alt or src}"
    new.tail = img.tail
    img.getparent().replace(img, new)


# ---- PDF -----------------------------------------------------------------------


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
        r"C:\Program Files\LibreOffice\program\soffice.exe",
        r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    ):
        if Path(candidate).is_file():
            return candidate
    return None


def docx_to_pdf(docx_path: Path, out_dir: Path, soffice: str | None = None) -> Path:
    """Convert with LibreOffice using a throw-away profile in *out_dir*."""
    soffice = soffice or find_soffice()
    if soffice is None:
        raise PdfError(
            "PDF export needs LibreOffice, which is not installed: install LibreOffice "
            "(or export to Word and save it as PDF from Word)"
        )
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-", dir=out_dir))
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=PDF_TIMEOUT_S,
                                stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise PdfError(f"LibreOffice took more than {PDF_TIMEOUT_S} seconds to make the PDF and was stopped") from None
    except OSError as exc:
        raise PdfError(f"cannot start LibreOffice ({soffice}): {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = out_dir / (docx_path.stem + ".pdf")
    if result.returncode in (-signal.SIGINT, 128 + signal.SIGINT, -signal.SIGTERM):
        raise KeyboardInterrupt  # Ctrl+C reached LibreOffice first: the user stopped it (LibreOffice did not fail)
    if not pdf.is_file() or pdf.stat().st_size == 0:
        detail = (result.stderr or result.stdout or "").strip().splitlines()
        raise PdfError("LibreOffice could not convert the document to PDF" + (f": {detail[-1]}" if detail else ""))
    return pdf


def pdf_bytes(source: ExportSource, reference_docx=None, progress: Progress | None = None) -> bytes:
    """The PDF: the Word export made a PDF by LibreOffice in one rendering,
    which fills in the contents' page numbers as it lays the pages out
    (``build_docx(for_pdf=True)``)."""
    with tempfile.TemporaryDirectory(prefix="guidelines-pdf-") as tmp:
        folder = Path(tmp)
        docx_path = folder / "export.docx"
        docx_path.write_bytes(build_docx(source.doc, source.details, source.workspace_root, reference_docx, for_pdf=True))
        if progress:
            progress(2, 10)
        pdf = docx_to_pdf(docx_path, folder)
        if progress:
            progress(10, 10)
        return pdf.read_bytes()


def pdf_pages_text(pdf: Path) -> list[str] | None:
    """The text of each page of *pdf* (None without pdftotext)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    try:
        result = subprocess.run([tool, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.decode("utf-8", errors="replace").split("\f")
