"""How the Word file is put together: the body is written into the saved XML
as text when the document declares the namespaces it uses (the house
template always does), and parsed into python-docx's tree otherwise (a
reference document with few declarations).  Both must give a complete,
readable file."""

from __future__ import annotations

import io
import re
import zipfile

import docx
from lxml import etree
from test_export_docx import PNG

from guidelines_app.core.document import Document
from guidelines_app.publishing.docx import W_NS, build_docx, export_docx

TEXT = """# Rules

Say **who you work for** when you post, and read the [policy](https://example.org/policy).

![Our logo](logo.png)

- one
  - two

| Channel | Owner |
| --- | --- |
| Blog | Comms & Legal "team" |
"""


def _workspace(tmp_path):
    (tmp_path / "guidelines").mkdir()
    (tmp_path / "guidelines" / "logo.png").write_bytes(PNG)
    return tmp_path


def _check(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml")
    root = etree.fromstring(xml)  # well-formed, every prefix declared
    assert b"guideline-studio-body" not in xml
    body = root.find(f"{{{W_NS}}}body")
    assert body[-1].tag == f"{{{W_NS}}}sectPr"  # the body comes before the section properties
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Say who you work for when you post, and read the policy." in text
    assert document.tables[-1].cell(1, 1).text == 'Comms & Legal "team"'
    assert len(document.inline_shapes) == 1
    assert any(r.reltype.endswith("/hyperlink") and r.target_ref == "https://example.org/policy"
               for r in document.part.rels.values())


def test_house_template_export_is_complete(tmp_path):
    data = build_docx(Document.parse(TEXT), workspace_root=_workspace(tmp_path))
    _check(data)


def test_reference_document_with_few_namespace_declarations(tmp_path):
    # A reference document whose main XML declares only w: and r: (as some
    # tools write it): the body cannot be spliced in as text there.
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    src = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    reference = tmp_path / "reference.docx"
    with zipfile.ZipFile(reference, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                root = etree.fromstring(data)
                body = root.find(f"{{{W_NS}}}body")
                minimal = etree.Element(f"{{{W_NS}}}document", nsmap={"w": W_NS, "r": root.nsmap["r"]})
                minimal.append(etree.fromstring(etree.tostring(body)))
                data = etree.tostring(minimal, xml_declaration=True, encoding="UTF-8", standalone=True)
                assert not re.search(rb'xmlns:wp=', data.split(b">", 2)[1])
            out.writestr(info, data)
    out_path = export_docx(Document.parse(TEXT), tmp_path / "out.docx", workspace_root=_workspace(tmp_path),
                           reference_docx=reference)
    _check(out_path.read_bytes())
