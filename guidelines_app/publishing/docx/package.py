"""The .docx package: core properties, settings, the body spliced into the
main part, and writing the file atomically."""

from __future__ import annotations

import datetime as _dt
import io
import os
import stat
from pathlib import Path

from docx.opc.pkgwriter import PackageWriter
from docx.oxml import parse_xml
from lxml import etree

from guidelines_app.core.fileio import atomic_write_bytes
from guidelines_app.publishing.docx.details import ExportError
from guidelines_app.publishing.docx.oxml import (
    BODY_MARKER,
    BODY_NAMESPACES,
    BODY_NSDECL,
    NSDECL,
    W_NS,
)

# Document variables (settings.xml) telling an importer how the Markdown
# heading levels became Word's (see PackageMixin._heading_levels_note).
HEADING_SHIFT_VAR = "GuidelineStudioHeadingShift"
TITLE_HEADING_VAR = "GuidelineStudioTitleHeading"


class PackageMixin:
    """Assembling the package (a mixin of ``DocxWriter``)."""

    def _properties(self) -> None:
        d = self.details
        cp = self.doc.core_properties
        cp.title = d.title
        cp.author = d.author or ", ".join(d.owners) or d.organization
        cp.subject = d.subject or (f"{d.organization} social media guidelines" if d.organization else "Social media guidelines")
        cp.keywords = d.keywords or "; ".join(x for x in ("social media", "guidelines", d.organization, d.status) if x)
        cp.version = d.version
        cp.revision = max(1, int(d.revision_number))
        cp.content_status = d.status
        cp.category = d.organization
        cp.comments = "; ".join(d.owners)
        cp.last_modified_by = d.author or cp.author
        modified = d.modified or _dt.datetime.now(_dt.UTC)
        if modified.tzinfo is not None:
            modified = modified.astimezone(_dt.UTC).replace(tzinfo=None)
        cp.modified = modified
        cp.created = modified

    def _heading_levels_note(self, settings) -> None:
        """Document variables that say how the Markdown heading levels became
        Word's, so importing the file gives the same levels back: the shift
        (Markdown level = Word level + shift) and whether the title page
        stands for the document's leading "#" heading."""
        values = {HEADING_SHIFT_VAR: str(self.heading_shift),
                  TITLE_HEADING_VAR: "1" if self.title_heading_dropped else "0"}
        doc_vars = settings.find(f"{{{W_NS}}}docVars")
        if doc_vars is None:
            doc_vars = parse_xml(f"<w:docVars {NSDECL}/>")
            compat = settings.find(f"{{{W_NS}}}compat")
            if compat is not None:
                compat.addnext(doc_vars)  # its place in the schema's order
            else:
                settings.append(doc_vars)
        for var in list(doc_vars):
            if var.get(f"{{{W_NS}}}name") in values:
                doc_vars.remove(var)
        for name, value in values.items():
            doc_vars.append(parse_xml(f'<w:docVar {NSDECL} w:name="{name}" w:val="{value}"/>'))

    def finish(self) -> bytes:
        # No contents page for a document without headings to list.
        self.with_contents = self.with_contents and any(lvl <= 3 for lvl, _, _ in self._headings)
        if self.with_contents:
            self.out.insert(self._toc_at, self._contents())
        self.toc_entries = [text for lvl, text, _ in self._headings if lvl <= 3]
        body = self.doc.element.body
        body_xml = "".join(self.out)
        sect = body.find(f"{{{W_NS}}}sectPr")
        # The body is written into the saved XML as text when the document
        # declares the namespaces it uses (always, with the house template):
        # parsing it into python-docx's tree only for it to be serialised
        # again is a third of the writing time.
        splice = all(self.doc.element.nsmap.get(prefix) == uri for prefix, uri in BODY_NAMESPACES.items())
        if splice:
            # Still parsed once, so a mistake here fails the export instead
            # of writing a file Word refuses.
            check = etree.XMLParser(resolve_entities=False)  # one per call: parsers are not thread-safe
            etree.fromstring(f"<w:body {BODY_NSDECL}>{body_xml}</w:body>".encode(), check)
            marker = etree.Comment(BODY_MARKER)
            if sect is not None:
                sect.addprevious(marker)
            else:
                body.append(marker)
        else:
            for child in list(parse_xml(f"<w:body {NSDECL}>{body_xml}</w:body>")):
                if sect is not None:
                    sect.addprevious(child)
                else:
                    body.append(child)
        self._numbering()
        self._header_footer()
        self._properties()
        settings = self.doc.settings.element
        if self.with_heading_note:
            self._heading_levels_note(settings)
        if self.with_contents and settings.find(f"{{{W_NS}}}updateFields") is None:
            update = parse_xml(f'<w:updateFields {NSDECL} w:val="true"/>')
            # updateFields belongs after w:view/zoom/... ; Word accepts it near the top.
            anchor = settings.find(f"{{{W_NS}}}defaultTabStop")
            if anchor is not None:
                anchor.addprevious(update)
            else:
                settings.insert(0, update)
        buffer = io.BytesIO()
        if not splice:
            self.doc.save(buffer)
            return buffer.getvalue()
        # What Document.save does, with the main part's XML given as bytes.
        package = self.part.package
        parts = list(package.iter_parts())
        for part in parts:
            part.before_marshal()
        blob = self.part.blob
        marker = f"<!--{BODY_MARKER}-->".encode("ascii")
        if blob.count(marker) != 1:
            raise ExportError("the Word document could not be assembled (internal error); please report it")
        blob = blob.replace(marker, body_xml.encode("utf-8"))
        parts = [_PartBlob(part, blob) if part is self.part else part for part in parts]
        PackageWriter.write(buffer, package.rels, parts)
        return buffer.getvalue()


class _PartBlob:
    """A package part with its serialised content given (for PackageWriter)."""

    def __init__(self, part, blob: bytes):
        self.partname, self.content_type, self.rels, self.blob = part.partname, part.content_type, part.rels, blob

class LinkedTarget(ExportError):
    """The file to write is a symbolic link: the export goes to the file it
    points to, but only when the caller says so (``follow_symlink=True``),
    after telling the user; the link itself is never replaced."""

    def __init__(self, link: Path, points_to: Path):
        self.link, self.points_to = link, points_to
        super().__init__(f"{link} is a link to {points_to}: choose another file name, "
                         "or confirm that the export should be written to the file the link points to")


_NOT_FILES = ((stat.S_ISDIR, "a folder: give a file name to export to"),
              (stat.S_ISFIFO, "a pipe (FIFO), not a file: choose an ordinary file to export to"),
              (stat.S_ISCHR, "a device, not a file: choose an ordinary file to export to"),
              (stat.S_ISBLK, "a device, not a file: choose an ordinary file to export to"),
              (stat.S_ISSOCK, "a socket, not a file: choose an ordinary file to export to"))


def link_target(out_path: Path | str) -> Path | None:
    """Where *out_path* points when it is a symbolic link, else None."""
    out_path = Path(out_path).expanduser()
    return Path(os.path.realpath(out_path)) if out_path.is_symlink() else None


def output_file(out_path: Path | str, follow_symlink: bool = False) -> Path:
    """The file an export to *out_path* really writes: *out_path* itself, or
    with *follow_symlink* the file a symbolic link points to.  Refuses
    anything that is not an ordinary file (a folder, a device such as
    /dev/null, a FIFO, a socket), so none of them is ever replaced."""
    out_path = Path(out_path).expanduser()
    points_to = link_target(out_path)
    if points_to is not None:
        if not follow_symlink:
            raise LinkedTarget(out_path, points_to)
        out_path = points_to
    try:
        mode = os.stat(out_path).st_mode
    except FileNotFoundError:
        return out_path  # a new file
    except OSError as exc:
        raise ExportError(f"cannot write {out_path}: {exc.strerror or exc}") from None
    for test, what in _NOT_FILES:
        if test(mode):
            raise ExportError(f"{out_path} is {what}")
    if not stat.S_ISREG(mode):
        raise ExportError(f"{out_path} is not an ordinary file: choose an ordinary file to export to")
    return out_path


def write_output(out_path: Path | str, data: bytes, follow_symlink: bool = False) -> Path:
    """Write *data* atomically (a temporary file in the target's folder,
    renamed over it) to an ordinary file; see output_file.  Returns the
    path given (the link, when writing through one)."""
    given = Path(out_path).expanduser()
    real = output_file(given, follow_symlink)
    try:
        atomic_write_bytes(real, data)
    except OSError as exc:
        raise ExportError(f"cannot write {real}: {exc.strerror or exc}") from None
    return given
