"""The .docx package itself (the Open Packaging Conventions zip): parts,
their relationships and content types, read and written without
python-docx.

Importing python-docx and letting it load and save the package was a third
of a whole ``guidelines export`` (its package ``__init__`` imports every part
and registers every element class).  The writer only reads a template
python-docx wrote (the house template it built once, see ``styles``, or a
reference document it prepared), changes a few parts and writes the whole
package, so this module does just that, in the form python-docx gives a
package it saves: parts in the order of a depth-first walk of the
relationships, each part's XML serialised with an XML declaration,
relationship targets relative to their source, ``[Content_Types].xml``
with the standard extensions as defaults and the rest as overrides.  The
Word file is byte for byte what python-docx wrote (``scripts/export_fingerprint.py``).
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
RT_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
RT_DOCUMENT = RT_BASE + "officeDocument"
RT_STYLES = RT_BASE + "styles"
RT_NUMBERING = RT_BASE + "numbering"
RT_SETTINGS = RT_BASE + "settings"
RT_HYPERLINK = RT_BASE + "hyperlink"
RT_IMAGE = RT_BASE + "image"
RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
EXTERNAL = "External"

# Extensions whose content type [Content_Types].xml gives once, as a default
# (ISO/IEC 29500-2's usual ones); every other part gets an override.
_IMAGE_DEFAULTS = {("bmp", "image/bmp"), ("gif", "image/gif"), ("jpe", "image/jpeg"), ("jpeg", "image/jpeg"),
                   ("jpg", "image/jpeg"), ("png", "image/png"), ("tif", "image/tiff"), ("tiff", "image/tiff")}
_ALWAYS_DEFAULTS = (("rels", RELS_TYPE), ("xml", "application/xml"))


def xml_parser() -> etree.XMLParser:
    """A parser reading part XML as python-docx does (whitespace-only text
    between elements dropped, entities left alone).  One per package or
    call: parsers are not thread-safe."""
    return etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def serialise(element) -> bytes:
    return etree.tostring(element, encoding="UTF-8", standalone=True)


class Rel:
    __slots__ = ("rid", "reltype", "target", "external")

    def __init__(self, rid: str, reltype: str, target, external: bool):
        self.rid, self.reltype, self.target, self.external = rid, reltype, target, external


class _RelSource:
    """Something with relationships: the package or a part."""

    partname = "/"

    def __init__(self):
        self.rels: dict[str, Rel] = {}

    @property
    def base(self) -> str:
        return posixpath.dirname(self.partname)

    def related(self, reltype: str) -> Part | None:
        """The part of the (first) relationship of *reltype*, or None."""
        for rel in self.rels.values():
            if rel.reltype == reltype and not rel.external:
                return rel.target
        return None

    def relate(self, target: Part | str, reltype: str) -> str:
        """The id of the relationship to *target* (a part, or an external
        address), added when there is none yet: the first free rIdN."""
        external = isinstance(target, str)
        for rel in self.rels.values():
            if rel.reltype == reltype and rel.external == external and rel.target == target:
                return rel.rid
        rid = next(f"rId{n}" for n in range(1, len(self.rels) + 2) if f"rId{n}" not in self.rels)
        self.rels[rid] = Rel(rid, reltype, target, external)
        return rid

    def rels_xml(self) -> bytes:
        root = etree.Element(f"{{{PR_NS}}}Relationships", nsmap={None: PR_NS})
        for rel in self.rels.values():
            target = rel.target if rel.external else posixpath.relpath(rel.target.partname, self.base)
            child = etree.SubElement(root, f"{{{PR_NS}}}Relationship")
            child.set("Id", rel.rid)
            child.set("Type", rel.reltype)
            child.set("Target", target)
            if rel.external:
                child.set("TargetMode", EXTERNAL)
        return serialise(root)


class Part(_RelSource):
    """One part: its bytes, or its XML once something asked for it."""

    def __init__(self, partname: str, content_type: str, blob: bytes | None = None, element=None):
        super().__init__()
        self.partname, self.content_type = partname, content_type
        self._blob, self._element = blob, element

    @property
    def element(self):
        """The part's XML root, parsed on first use; the part is written
        from it from then on."""
        if self._element is None:
            self._element = etree.fromstring(self._blob, xml_parser())
        return self._element

    def read_only(self):
        """The part's XML root for reading only (written back unchanged)."""
        return self._element if self._element is not None else etree.fromstring(self._blob, xml_parser())

    @property
    def blob(self) -> bytes:
        return serialise(self._element) if self._element is not None else self._blob


class Package(_RelSource):
    """A .docx package: relationships from the package down to every part."""

    def __init__(self):
        super().__init__()
        self.default_types = set(_ALWAYS_DEFAULTS) | _IMAGE_DEFAULTS

    @classmethod
    def from_bytes(cls, data: bytes) -> Package:
        package = cls()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            types = etree.fromstring(archive.read("[Content_Types].xml"), xml_parser())
            defaults = {d.get("Extension").lower(): d.get("ContentType") for d in types.iter(f"{{{CT_NS}}}Default")}
            overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{{{CT_NS}}}Override")}
            package.default_types |= set(defaults.items())
            parts: dict[str, Part] = {}

            def load_rels(source: _RelSource) -> None:
                folder, name = posixpath.split(source.partname)
                member = posixpath.join(folder, "_rels", name + ".rels").lstrip("/")
                if member not in names:
                    return
                for rel in etree.fromstring(archive.read(member), xml_parser()).iter(f"{{{PR_NS}}}Relationship"):
                    rid, reltype, target = rel.get("Id"), rel.get("Type"), rel.get("Target")
                    if rel.get("TargetMode") == EXTERNAL:
                        source.rels[rid] = Rel(rid, reltype, target, True)
                        continue
                    partname = posixpath.normpath(posixpath.join(source.base, target))
                    part = parts.get(partname)
                    if part is None:
                        ext = partname.rsplit(".", 1)[-1].lower()
                        content_type = overrides.get(partname) or defaults.get(ext)
                        part = parts[partname] = Part(partname, content_type, archive.read(partname.lstrip("/")))
                        load_rels(part)
                    source.rels[rid] = Rel(rid, reltype, part, False)

            load_rels(package)
        return package

    def parts(self) -> list[Part]:
        """Every part, in the order of a depth-first walk of the relationships."""
        found: list[Part] = []
        seen: set[int] = set()

        def walk(source: _RelSource) -> None:
            for rel in source.rels.values():
                if rel.external or id(rel.target) in seen:
                    continue
                seen.add(id(rel.target))
                found.append(rel.target)
                walk(rel.target)

        walk(self)
        return found

    def targets(self, reltype: str) -> list[Part]:
        """The parts some relationship of *reltype* points to."""
        found = []
        for source in [self, *self.parts()]:
            for rel in source.rels.values():
                if rel.reltype == reltype and not rel.external and rel.target not in found:
                    found.append(rel.target)
        return found

    def next_partname(self, template: str) -> str:
        """*template* ('/word/header%d.xml') with the first number no part uses."""
        used = {part.partname for part in self.parts()}
        return next(template % n for n in range(1, len(used) + 2) if template % n not in used)

    def content_types_xml(self, parts: list[Part]) -> bytes:
        defaults = dict(_ALWAYS_DEFAULTS)
        overrides = {}
        for part in parts:
            ext = posixpath.splitext(part.partname)[1][1:]
            if (ext.lower(), part.content_type) in self.default_types:
                defaults[ext.lower()] = part.content_type
            else:
                overrides[part.partname] = part.content_type
        root = etree.Element(f"{{{CT_NS}}}Types", nsmap={None: CT_NS})
        for ext in sorted(defaults):
            child = etree.SubElement(root, f"{{{CT_NS}}}Default")
            child.set("Extension", ext)
            child.set("ContentType", defaults[ext])
        for partname in sorted(overrides):
            child = etree.SubElement(root, f"{{{CT_NS}}}Override")
            child.set("PartName", partname)
            child.set("ContentType", overrides[partname])
        return serialise(root)

    def to_bytes(self, blobs: dict[str, bytes] | None = None) -> bytes:
        """The package as a .docx file; *blobs*: part contents given as
        bytes (partname -> bytes) instead of the parts' own."""
        blobs = blobs or {}
        parts = self.parts()
        buffer = io.BytesIO()
        # Deflate's fastest level: a third of the level Word and python-docx
        # use's time (9 ms less for 40,000 words), a third bigger file.
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.writestr("[Content_Types].xml", self.content_types_xml(parts))
            archive.writestr("_rels/.rels", self.rels_xml())
            for part in parts:
                archive.writestr(part.partname.lstrip("/"), blobs.get(part.partname) or part.blob)
                if part.rels:
                    folder, name = posixpath.split(part.partname)
                    archive.writestr(posixpath.join(folder, "_rels", name + ".rels").lstrip("/"), part.rels_xml())
        return buffer.getvalue()
