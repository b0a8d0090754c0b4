"""The .docx package: core properties, settings, the body spliced into the
main part, and writing the file atomically."""

from __future__ import annotations

import datetime as _dt
import os
import stat
from pathlib import Path

from lxml import etree

from guidelines_app.core.fileio import atomic_write_bytes
from guidelines_app.core.wording import cut_at_word
from guidelines_app.core.workspace import kept_by_workspace
from guidelines_app.publishing.docx.details import ExportError, ReferenceDocxError
from guidelines_app.publishing.docx.opc import RT_CORE, RT_SETTINGS, Part
from guidelines_app.publishing.docx.oxml import (
    BAD_XML_CHARS,
    BODY_MARKER,
    BODY_NAMESPACES,
    BODY_NSDECL,
    NSDECL,
    W_NS,
    parse_xml,
)

# Document variables (settings.xml) telling an importer how the Markdown
# heading levels became Word's (see PackageMixin._heading_levels_note).
HEADING_SHIFT_VAR = "GuidelineStudioHeadingShift"
TITLE_HEADING_VAR = "GuidelineStudioTitleHeading"

_DC = ("dc", "http://purl.org/dc/elements/1.1/")
_CP = ("cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties")
_DCTERMS = ("dcterms", "http://purl.org/dc/terms/")
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SETTINGS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"


def first_section(document):
    """The first section's properties (w:sectPr) of a document element."""
    found = document.xpath("./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr", namespaces={"w": W_NS})
    if not found:
        raise ReferenceDocxError("the Word template has no page settings (section properties)")
    return found[0]


_UNITS = {"mm": 36000, "cm": 360000, "in": 914400, "pt": 12700, "pc": 152400, "pi": 152400}


def _emu(value: str | None) -> int:
    """A page measure (twips, or a number with a unit) in EMU."""
    if value is None:
        raise ReferenceDocxError("the Word template's page size or margins are missing")
    if value[-2:] in _UNITS:
        return int(round(float(value[:-2]) * _UNITS[value[-2:]]))
    return int(value) * 635


def text_width(sect_pr) -> int:
    """The width between the margins, in EMU."""
    size, margins = sect_pr.find(f"{{{W_NS}}}pgSz"), sect_pr.find(f"{{{W_NS}}}pgMar")
    if size is None or margins is None:
        raise ReferenceDocxError("the Word template's page size or margins are missing")
    w = f"{{{W_NS}}}"
    return _emu(size.get(w + "w")) - _emu(margins.get(w + "left")) - _emu(margins.get(w + "right"))


PROPERTY_LIMIT = 255


def _set_core(root, name: str, ns: tuple[str, str], value) -> None:
    """Set a core property (docProps/core.xml), adding its element at the
    end when missing."""
    if isinstance(value, _dt.datetime):
        text = value.strftime("%Y-%m-%dT%H:%M:%SZ")
    else:
        # (characters XML cannot hold); Word's properties hold at most 255
        # characters: a long title or legal name is cut after a word there
        # (the title page and the text keep it whole).
        text = cut_at_word(BAD_XML_CHARS.sub("", str(value)), PROPERTY_LIMIT)
    tag = f"{{{ns[1]}}}{name}"
    element = root.find(tag)
    if element is None:
        element = root.makeelement(tag, nsmap={ns[0]: ns[1]})
        root.append(element)
    element.text = text
    if name in ("created", "modified"):
        # W3CDTF dates name their type; the xsi prefix is declared on the
        # root (set and removed there first) rather than on each element.
        root.set(f"{{{_XSI}}}foo", "bar")
        element.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")
        del root.attrib[f"{{{_XSI}}}foo"]


class PackageMixin:
    """Assembling the package (a mixin of ``DocxWriter``)."""

    def _properties(self) -> None:
        d = self.details
        core = self.package.related(RT_CORE)
        if core is None:
            raise ExportError("the Word template has no document properties (internal error); please report it")
        root = core.element
        author = d.author or ", ".join(d.owners) or d.organization
        modified = d.modified or _dt.datetime.now(_dt.UTC)
        if modified.tzinfo is not None:
            modified = modified.astimezone(_dt.UTC).replace(tzinfo=None)
        for name, ns, value in (
            ("title", _DC, d.title),
            ("creator", _DC, author),
            ("subject", _DC, d.subject or (f"{d.organization} social media guidelines" if d.organization else "Social media guidelines")),
            ("keywords", _CP, d.keywords or "; ".join(x for x in ("social media", "guidelines", d.organization, d.status) if x)),
            ("version", _CP, d.version),
            ("revision", _CP, max(1, int(d.revision_number))),
            ("contentStatus", _CP, d.status),
            ("category", _CP, d.organization),
            ("description", _DC, "; ".join(d.owners)),
            ("lastModifiedBy", _CP, d.author or author),
            ("modified", _DCTERMS, modified),
            ("created", _DCTERMS, modified),
        ):
            _set_core(root, name, ns, value)

    def _settings(self):
        """settings.xml's root, the part added (as Word's default) when the
        template has none."""
        part = self.part.related(RT_SETTINGS)
        if part is None:
            from guidelines_app.publishing.docx.styles import python_docx_file

            part = Part("/word/settings.xml", _SETTINGS_TYPE,
                        element=parse_xml(python_docx_file("templates", "default-settings.xml").read_bytes()))
            self.part.relate(part, RT_SETTINGS)
        return part.element

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
        self.with_contents = self.wants_contents()
        if self.with_contents:
            self.insert_contents()
        document = self.part.element
        body = document.find(f"{{{W_NS}}}body")
        body_xml = "".join(self.out)
        sect = body.find(f"{{{W_NS}}}sectPr")
        # The body is written into the saved XML as text when the document
        # declares the namespaces it uses (always, with the house template):
        # parsing it into the tree only for it to be serialised again is a
        # third of the writing time.
        splice = all(document.nsmap.get(prefix) == uri for prefix, uri in BODY_NAMESPACES.items())
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
        settings = self._settings()
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
        if not splice:
            return self.package.to_bytes()
        blob = self.part.blob
        marker = f"<!--{BODY_MARKER}-->".encode("ascii")
        if blob.count(marker) != 1:
            raise ExportError("the Word document could not be assembled (internal error); please report it")
        return self.package.to_bytes({self.part.partname: blob.replace(marker, body_xml.encode("utf-8"))})


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


def output_file(out_path: Path | str, follow_symlink: bool = False, keep=()) -> Path:
    """The file an export to *out_path* really writes: *out_path* itself, or
    with *follow_symlink* the file a symbolic link points to.  Refuses
    anything that is not an ordinary file (a folder, a device such as
    /dev/null, a FIFO, a socket), so none of them is ever replaced; and a
    workspace's own files (``kept_by_workspace``: a document, its history)
    and *keep*'s (the files the export reads: a house-style template)."""
    out_path = Path(out_path).expanduser()
    points_to = link_target(out_path)
    if points_to is not None:
        if not follow_symlink:
            raise LinkedTarget(out_path, points_to)
        out_path = points_to
    real = Path(os.path.realpath(out_path))
    why = kept_by_workspace(real)
    if why is not None:
        raise ExportError(f"{out_path} is {why}")
    if any(k and os.path.realpath(Path(k).expanduser()) == str(real) for k in keep):
        raise ExportError(f"{out_path} is the Word document whose styles the export uses: choose another file name")
    try:
        mode = os.stat(out_path).st_mode
    except FileNotFoundError:
        folder = out_path.parent
        if not folder.is_dir():  # a mistyped folder is said, not made
            what = "is not a folder" if folder.exists() else "does not exist"
            raise ExportError(f"cannot write {out_path}: the folder {folder} {what} (create it first, or choose another place)") from None
        return out_path  # a new file
    except OSError as exc:
        raise ExportError(f"cannot write {out_path}: {exc.strerror or exc}") from None
    for test, what in _NOT_FILES:
        if test(mode):
            raise ExportError(f"{out_path} is {what}")
    if not stat.S_ISREG(mode):
        raise ExportError(f"{out_path} is not an ordinary file: choose an ordinary file to export to")
    return out_path


def check_writable(out_path: Path) -> None:
    """Fail before the slow work when the output cannot be written; *out_path*
    as ``output_file`` gives it (its folder exists: a missing one is refused there)."""
    folder = out_path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {out_path}: the folder {folder} is not writable (choose another place)")
    if out_path.exists() and not os.access(out_path, os.W_OK):
        raise ExportError(f"cannot write {out_path}: the file is read-only")


def write_output(out_path: Path | str, data: bytes, follow_symlink: bool = False, keep=()) -> Path:
    """Write *data* atomically (a temporary file in the target's folder,
    renamed over it) to an ordinary file; see output_file (*keep*: the
    files the export read, never written over).  Returns the path given
    (the link, when writing through one)."""
    given = Path(out_path).expanduser()
    real = output_file(given, follow_symlink, keep)
    try:
        atomic_write_bytes(real, data)
    except OSError as exc:
        raise ExportError(f"cannot write {real}: {exc.strerror or exc}") from None
    return given
