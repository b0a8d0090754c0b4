from __future__ import annotations

import shutil
import subprocess

import pytest
from export_fixtures import QUIRKY, lengthened

from guidelines_app.core.document import Document
from guidelines_app.publishing.docx import ExportError, export_docx
from guidelines_app.publishing.export import PdfError, docx_to_pdf, export, source_from_workspace

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")


@pytest.fixture
def saved(workspace, author):
    slug, first = workspace.create_document(Document.parse(QUIRKY), author, slug="policy")
    second_text = QUIRKY.replace("## Channels", "## Channels we use").replace("version: '2.1'", "version: '2.2'")
    second = workspace.save_text(slug, second_text, author, "Rename channels")
    return slug, first.commit, second.commit


def test_html_export_uses_preview_style_and_has_no_raw_tags(workspace, saved, tmp_path):
    slug, _, _ = saved
    out = export(source_from_workspace(workspace, slug), "html", tmp_path / "p.html")
    html = out.read_text(encoding="utf-8")
    from guidelines_app.core.colours import LIGHT, page_css

    css = page_css(LIGHT).strip().splitlines()[0]
    assert css in html and "$" not in css and LIGHT.text in css
    assert "<title>Example Social Media Policy</title>" in html
    assert '<a href="https://example.org/notice">the privacy notice</a>' in html
    assert "{:" not in html and "DRAFT" in html
    assert "Channels we use" in html


def test_export_of_an_earlier_revision(workspace, saved, tmp_path):
    import docx

    slug, first, _ = saved
    source = source_from_workspace(workspace, slug, revision=first[:10])
    assert source.details.version == "2.1" and source.details.revision_number == 1
    out = export(source, "docx", tmp_path / "old.docx")
    d = docx.Document(str(out))
    texts = [p.text for p in d.paragraphs]
    assert "Channels" in texts and "Channels we use" not in texts
    assert d.core_properties.revision == 1
    current = source_from_workspace(workspace, slug)
    assert current.details.revision_number == 2


def test_the_working_copy_is_counted_and_signed_as_the_whole_history_says(workspace, saved):
    # The working copy's revision number and author come from the newest
    # revision and a count, not the whole history: the same answer with a
    # commit by plain git from someone else, one that leaves the document
    # alone, and changes not saved yet.
    slug, _, _ = saved
    root = workspace.root

    def git(*args):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)

    path = workspace.path(slug)
    path.write_text(path.read_text(encoding="utf-8") + "\nAdded by hand.\n", encoding="utf-8")
    git("add", "-A")
    git("-c", "user.name=Other Person", "-c", "user.email=other@example.org", "commit", "-q", "-m", "By hand")
    (root / "notes.txt").write_text("not the document\n", encoding="utf-8")
    git("add", "-A")
    git("-c", "user.name=Third", "-c", "user.email=third@example.org", "commit", "-q", "-m", "Notes")
    history = workspace.history(slug)
    source = source_from_workspace(workspace, slug)
    assert (source.details.revision_number, source.details.author) == (len(history), history[0].author) == (3, "Other Person")
    path.write_text(path.read_text(encoding="utf-8") + "\nNot saved yet.\n", encoding="utf-8")
    assert source_from_workspace(workspace, slug).details.revision_number == 4


def test_bad_format_and_unwritable_path(workspace, saved, tmp_path):
    slug, _, _ = saved
    source = source_from_workspace(workspace, slug)
    with pytest.raises(ExportError, match="not an export format"):
        export(source, "rtf", tmp_path / "x.rtf")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for fmt in ("docx", "html", "pdf"):
        with pytest.raises(ExportError, match="cannot write"):
            export(source, fmt, blocker / f"x.{fmt}")
    assert [p.name for p in tmp_path.iterdir() if p.name != "ws" and p.name != "config"] == ["file"]


def test_pdf_needs_libreoffice(tmp_path, monkeypatch):
    docx_path = export_docx(Document.parse(QUIRKY), tmp_path / "a.docx")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr("guidelines_app.publishing.export.find_soffice", lambda: None)
    with pytest.raises(PdfError, match="needs LibreOffice"):
        docx_to_pdf(docx_path, tmp_path)


@needs_soffice
@needs_pdftotext
def test_pdf_export_opens_in_libreoffice_with_text_and_pages(workspace, author, tmp_path):
    # Long enough for a contents page (a short document has none).
    slug, _ = workspace.create_document(Document.parse(lengthened(QUIRKY)), author, slug="policy")
    out = export(source_from_workspace(workspace, slug), "pdf", tmp_path / "p.pdf")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout if shutil.which("pdfinfo") else ""
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 3  # title page, contents, body
    if info:
        assert "Pages:" in info
    assert "Example Social Media Policy" in pages[0]
    assert "Contents" in pages[1]
    # The contents page got page numbers from the first rendering.
    assert any(line.rstrip().endswith("3") and "Purpose" in line for line in pages[1].splitlines())
    joined = " ".join(text.split())
    assert "Never post customer names." in joined
    assert "Page 3 of" in joined
    assert "<b>" not in joined and "{:" not in joined


@needs_soffice
@needs_pdftotext
def test_exported_docx_converts_with_separate_profiles(tmp_path):
    docx_path = export_docx(Document.parse(QUIRKY), tmp_path / "a.docx")
    for n in range(2):
        folder = tmp_path / f"run{n}"
        folder.mkdir()
        pdf = docx_to_pdf(docx_path, folder)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "Skipped level heading" in text
        # The throw-away profile was removed.
        assert not any(p.name.startswith("lo-profile-") for p in folder.iterdir())


@pytest.mark.parametrize("url, kept", [
    ("https://example.org/a?b=c", True), ("HTTP://example.org", True), ("mailto:team@example.org", True),
    ("#scope", True), ("other-policy.md", True), ("../images/logo.png", True),
    ("javascript:alert(1)", False), (" JaVa\tScRipt:alert(1)", False), ("data:text/html,hi", False),
    ("file:///etc/passwd", False), ("vbscript:msgbox", False), ("//evil.example/x", False), ("", False),
    ("/handbook/", False),
])
def test_one_rule_decides_which_links_an_export_keeps(url, kept):
    from guidelines_app.core.links import safe_link

    assert (safe_link(url) is not None) is kept
    if kept:
        assert safe_link(url) == url.strip()
