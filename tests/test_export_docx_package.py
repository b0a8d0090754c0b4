"""The Word writer's own package layer (publishing/docx/opc) and the kept
house template: the files are what python-docx itself writes, byte for
byte, and a Word export runs without importing python-docx (issue 16)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
from lxml import etree
from test_export_docx import PNG, _png

from guidelines_app.core.document import Document
from guidelines_app.publishing.docx import ExportDetails, build_docx, styles
from guidelines_app.publishing.docx.opc import Package, xml_parser

REPO = Path(__file__).resolve().parent.parent
BODY = """# Rules

Say **who you work for**, read the [policy](https://example.org/policy) and the [policy](https://example.org/policy) again.

![Logo](logo.png)

Again: ![Logo](logo.png) and ![Other](other.png)

- one
  - two
1. first

| Channel | Owner |
| --- | --- |
| Blog | Comms |
"""


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def _as_read(data: bytes) -> list[tuple[str, bytes]]:
    """The members, XML as it reads (text written into the main part, and
    empty properties, are spelled differently when a tree is serialised
    again: <w:rPr/> for <w:rPr></w:rPr>)."""
    return [(name, etree.tostring(etree.fromstring(blob, xml_parser())) if name.endswith((".xml", ".rels")) else blob)
            for name, blob in _members(data)]


def _resaved_by_python_docx(data: bytes) -> bytes:
    buffer = io.BytesIO()
    docx.Document(io.BytesIO(data)).save(buffer)
    return buffer.getvalue()


def _workspace(tmp_path: Path) -> Path:
    (tmp_path / "guidelines").mkdir()
    (tmp_path / "guidelines" / "logo.png").write_bytes(PNG)
    (tmp_path / "guidelines" / "other.png").write_bytes(_png(30, 10))
    return tmp_path


def test_a_package_python_docx_wrote_is_written_back_unchanged(tmp_path):
    source = docx.Document()
    source.add_paragraph("text")
    source.sections[0].header.paragraphs[0].text = "a header"
    (tmp_path / "p.png").write_bytes(PNG)
    source.add_picture(str(tmp_path / "p.png"))
    buffer = io.BytesIO()
    source.save(buffer)
    data = buffer.getvalue()
    assert _members(Package.from_bytes(data).to_bytes()) == _members(data)


def test_an_export_is_what_python_docx_writes_for_it(tmp_path):
    # Opening the export with python-docx and saving it again changes
    # nothing: same parts, same order, same bytes (content types and
    # relationships included), with pictures, links and a new header.
    details = ExportDetails.from_document(Document.parse(BODY), revision_number=4, author="Ann")
    data = build_docx(Document.parse(BODY), details, workspace_root=_workspace(tmp_path))
    names = [name for name, _ in _members(data)]
    assert "word/media/image1.png" in names and "word/media/image2.png" in names  # the same picture once
    assert "word/media/image3.png" not in names
    assert _as_read(_resaved_by_python_docx(data)) == _as_read(data)


def test_an_export_on_a_reference_document_is_what_python_docx_writes_for_it(tmp_path):
    reference = docx.Document()
    reference.sections[0].footer.paragraphs[0].text = "ACME footer"
    reference.add_paragraph("template text")
    path = tmp_path / "ref.docx"
    reference.save(path)
    data = build_docx(Document.parse(BODY), workspace_root=_workspace(tmp_path), reference_docx=path)
    assert _as_read(_resaved_by_python_docx(data)) == _as_read(data)
    out = docx.Document(io.BytesIO(data))
    assert out.sections[0].footer.paragraphs[0].text == "ACME footer"
    assert not any("template text" in p.text for p in out.paragraphs)


def test_the_kept_house_template_is_a_fresh_build_and_a_damaged_one_is_rebuilt(tmp_path, monkeypatch):
    fresh = styles.build_house_template()
    assert _members(styles.house_template_bytes()) == _members(fresh)
    kept = styles.house_template_cache()
    assert kept is not None and kept.is_file()
    kept.write_bytes(fresh[: len(fresh) // 2])  # cut short, as by a full disk
    earlier = kept.with_name("house-template-0123456789abcdef0123.docx")  # an earlier version's
    earlier.write_bytes(fresh)
    monkeypatch.setattr(styles, "_HOUSE_TEMPLATE", None)
    data = build_docx(Document.parse("# T\n\nText.\n"))
    assert "Text." in "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert _members(kept.read_bytes()) == _members(fresh)  # written again, whole
    assert not earlier.exists()


def test_the_kept_house_template_is_named_after_what_it_is_built_from(tmp_path, monkeypatch):
    before = styles.house_template_cache()
    changed = tmp_path / "styles.py"
    changed.write_text(Path(styles.__file__).read_text(encoding="utf-8") + "\n# a change\n", encoding="utf-8")
    (tmp_path / "oxml.py").write_bytes(Path(styles.__file__).with_name("oxml.py").read_bytes())
    monkeypatch.setattr(styles, "__file__", str(changed))
    assert styles.house_template_cache() != before


def test_a_word_export_does_not_import_python_docx(tmp_path):
    styles.house_template_bytes()  # kept in this sandbox's cache folder, as after a first export
    code = ("import sys\nfrom guidelines_app.core.document import Document\n"
            "from guidelines_app.publishing.docx import export_docx\n"
            f"export_docx(Document.parse(open({str(REPO / 'scripts' / 'sample_guideline.md')!r}).read()), {str(tmp_path / 'x.docx')!r})\n"
            "print(sorted(m for m in sys.modules if m == 'docx' or m.startswith('docx.')))\n")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert (tmp_path / "x.docx").stat().st_size > 0
