"""Status follows the text: an export says "Approved, version 1.0" only when
its text is the text published as version 1.0 (real git, real .docx files
reopened with python-docx, the CLI run in-process)."""

from __future__ import annotations

import shutil

import docx
import pytest

from guidelines_app.cli import main as cli
from guidelines_app.core.approval import approval_of
from guidelines_app.core.document import Document
from guidelines_app.publishing.export import export, source_from_workspace
from guidelines_app.review import history

BODY = "# Posting policy\n\n## Scope\n\nEvery team member who posts.\n\n## Response time\n\nWe answer within 24 hours.\n"


@pytest.fixture
def published(workspace, author):
    """A document published as version 1.0 (major), and its slug."""
    slug, _ = workspace.create_document(Document.new("Posting policy", organization="Example Org", body=BODY), author)
    history.publish(workspace, slug, "First approved version", "Dana Approver", author, kind="major")
    assert workspace.load(slug).status == "approved"
    return workspace, slug


def _status_row(path) -> str:
    d = docx.Document(str(path))
    rows = {r.cells[0].text: r.cells[1].text for r in d.tables[0].rows}
    return rows["Status"], rows.get("Version", rows.get("Revision"))


def _has_watermark(path) -> bool:
    d = docx.Document(str(path))
    section = d.sections[0]
    parts = (section.header, section.first_page_header)
    return any('string="DRAFT"' in p._element.xml for p in parts)


def _draft_notice(path) -> bool:
    return any(p.text == "DRAFT — not approved for distribution" for p in docx.Document(str(path)).paragraphs)


def test_unsaved_edit_after_publish_is_a_draft(published, tmp_path):
    ws, slug = published
    edited = ws.load(slug).to_text().replace("24 hours", "12 hours")  # typed, not saved
    assert approval_of(ws, slug, edited).label == "Draft: changes since version 1.0"
    out = export(source_from_workspace(ws, slug, text=edited), "docx", tmp_path / "edited.docx")
    assert _status_row(out) == ("Draft: changes since version 1.0", "—")
    assert _has_watermark(out) and _draft_notice(out)
    html = export(source_from_workspace(ws, slug, text=edited), "html", tmp_path / "edited.html").read_text("utf-8")
    assert "Draft: changes since version 1.0" in html and "DRAFT — not approved" in html
    assert "Approved" not in html


def test_later_saved_revision_with_approved_front_matter_is_a_draft(published, tmp_path, author):
    ws, slug = published
    # Committed with git outside the app, so the details still claim "approved, 1.0".
    ws.path(slug).write_text(ws.load(slug).to_text().replace("24 hours", "one business day"), encoding="utf-8")
    ws.store.commit_file(ws.relpath(slug), "Slower", author)
    assert "status: approved" in ws.read_at(slug, "HEAD") and not ws.has_unsaved_file_changes(slug)
    out = export(source_from_workspace(ws, slug), "docx", tmp_path / "later.docx")
    assert _status_row(out) == ("Draft: changes since version 1.0", "—")
    assert _has_watermark(out)


def test_export_of_the_published_revision_is_approved(published, tmp_path, author):
    ws, slug = published
    assert approval_of(ws, slug, ws.load(slug).to_text()).label == "Approved, version 1.0"
    out = export(source_from_workspace(ws, slug), "docx", tmp_path / "now.docx")
    assert _status_row(out) == ("Approved", "1.0")
    assert not _has_watermark(out) and not _draft_notice(out)
    # Saved again with changes, the published revision itself stays approved.
    ws.save_text(slug, ws.load(slug).to_text().replace("24 hours", "2 days"), author, "Later")
    tag_commit = history.resolve(ws, slug, "v1.0")
    old = export(source_from_workspace(ws, slug, revision=tag_commit), "docx", tmp_path / "v1.docx")
    assert _status_row(old) == ("Approved", "1.0") and not _has_watermark(old)


def test_never_published_is_plain_draft(workspace, author, tmp_path):
    slug, _ = workspace.create_document(Document.new("Posting policy", body=BODY), author)
    text = workspace.load(slug).to_text().replace("status: draft", "status: approved").replace("version: '0.1'", "version: '1.0'")
    assert approval_of(workspace, slug, text).label == "Draft"
    out = export(source_from_workspace(workspace, slug, text=text), "docx", tmp_path / "claim.docx")
    assert _status_row(out)[0] == "Draft" and _has_watermark(out)


def test_cli_export_revision_v1_0(published, tmp_path, capsys, author, monkeypatch):
    monkeypatch.setenv("GUIDELINES_CLI_STRICT", "1")
    ws, slug = published
    ws.save_text(slug, ws.load(slug).to_text().replace("24 hours", "2 days"), author, "Later")
    base = ["--workspace", str(ws.root), "export", slug]
    assert cli.main([*base, "--revision", "v1.0", "-o", str(tmp_path / "v1.docx")]) == 0
    assert cli.main([*base, "-o", str(tmp_path / "now.docx")]) == 0
    capsys.readouterr()
    assert _status_row(tmp_path / "v1.docx") == ("Approved", "1.0") and not _has_watermark(tmp_path / "v1.docx")
    assert _status_row(tmp_path / "now.docx") == ("Draft: changes since version 1.0", "—")
    assert _has_watermark(tmp_path / "now.docx")
    # Default file names: the draft's name claims no version; the published one's does.
    monkeypatch.chdir(tmp_path)
    assert cli.main(base) == 0
    assert capsys.readouterr().out.strip().endswith("posting-policy.docx")
    assert cli.main([*base, "--revision", "v1.0"]) == 0
    assert capsys.readouterr().out.strip().endswith("posting-policy-v1.0-v1.0.docx")


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) and pdftotext are needed for the PDF")
def test_pdf_of_an_unsaved_edit_says_draft(published, tmp_path):
    from guidelines_app.publishing.export import pdf_pages_text

    ws, slug = published
    edited = ws.load(slug).to_text().replace("24 hours", "12 hours")
    out = export(source_from_workspace(ws, slug, text=edited), "pdf", tmp_path / "edited.pdf")
    first = " ".join(pdf_pages_text(out)[0].split())
    assert "Draft: changes since version 1.0" in first and "DRAFT — not approved" in first
    assert "Approved" not in first


def test_redline_and_clean_copy_print_the_new_texts_status(published, tmp_path, capsys, author, monkeypatch):
    monkeypatch.setenv("GUIDELINES_CLI_STRICT", "1")
    ws, slug = published
    base = ["--workspace", str(ws.root), "diff", slug, "--format", "docx"]
    # Up to the published version: the new side is approved version 1.0.
    assert cli.main([*base, "HEAD~1", "v1.0", "-o", str(tmp_path / "to-v1.docx")]) == 0
    clean = tmp_path / "to-v1 (clean).docx"
    rows = _title_rows(clean)
    assert rows["Status"] == "Approved" and rows["Revision"].startswith("Version 1.0 (")
    assert history.resolve(ws, slug, "v1.0")[:7] not in " ".join(rows.values())  # no commit ids on paper
    assert not _has_watermark(clean)
    # The file as it is now, edited since: the redline and its clean copy say it is a draft.
    ws.path(slug).write_text(ws.load(slug).to_text().replace("24 hours", "2 days"), encoding="utf-8")
    assert cli.main([*base, "v1.0", "-o", str(tmp_path / "since.docx")]) == 0
    capsys.readouterr()
    clean = tmp_path / "since (clean).docx"
    assert _status_row(clean)[0] == "Draft: changes since version 1.0" and _has_watermark(clean)
    rows = {r.cells[0].text: r.cells[1].text for r in docx.Document(str(tmp_path / "since.docx")).tables[0].rows}
    assert rows["New text"] == "Draft: changes since version 1.0"


def test_window_export_and_compare_view_of_an_unsaved_edit(qtbot, published, settings, tmp_path):
    """The window's own routes: the export of the editor's text and the
    compare view's clean copy of it, typed after publishing, not saved."""
    from guidelines_app.ui.main_window import MainWindow
    from guidelines_app.ui.review.compare_view import UNSAVED

    ws, slug = published
    w = MainWindow(ws, settings)
    qtbot.addWidget(w)
    w.show()
    w.open_document(slug)
    w.editor.set_text(w.editor.text().replace("24 hours", "12 hours"))
    w.editor.document().setModified(True)
    source = source_from_workspace(w.ws, w.slug, text=w.current_text())  # as File > Export builds it
    out = export(source, "docx", tmp_path / "window.docx")
    assert _status_row(out) == ("Draft: changes since version 1.0", "—") and _has_watermark(out)
    cw = w.features["history"].open_compare(history.resolve(ws, slug, "v1.0"), UNSAVED)
    qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
    with qtbot.waitSignal(cw.exported, timeout=20000):
        cw.export("docx", str(tmp_path / "changes.docx"))
    clean = tmp_path / "changes (clean).docx"
    assert _status_row(clean)[0] == "Draft: changes since version 1.0" and _has_watermark(clean)
    w.editor.document().setModified(False)


def _title_rows(path) -> dict[str, str]:
    return {r.cells[0].text: r.cells[1].text for r in docx.Document(str(path)).tables[0].rows}


def test_title_page_names_the_approver_and_the_review_cadence(published, tmp_path):
    ws, slug = published
    out = export(source_from_workspace(ws, slug), "docx", tmp_path / "now.docx")
    rows = _title_rows(out)
    assert rows["Approved by"].startswith("Dana Approver, ")
    doc = ws.load(slug)
    assert rows["Review"].startswith(f"Every {doc.meta['review_cadence_months']} months; next by ")
    assert str(doc.next_review.year) in rows["Review"]
    # A draft names no approver: nobody approved its text.
    edited = ws.load(slug).to_text().replace("24 hours", "12 hours")
    draft = _title_rows(export(source_from_workspace(ws, slug, text=edited), "docx", tmp_path / "draft.docx"))
    assert "Approved by" not in draft and draft["Review"] == rows["Review"]


def test_status_set_back_by_hand_is_not_printed_as_approved(published, tmp_path):
    ws, slug = published
    text = ws.load(slug).to_text().replace("status: approved", "status: in review")
    assert approval_of(ws, slug, text).label == "In review: changes since version 1.0"
    out = export(source_from_workspace(ws, slug, text=text), "docx", tmp_path / "review.docx")
    assert _status_row(out)[0] == "In review: changes since version 1.0" and _has_watermark(out)


def test_html_redline_prints_the_new_texts_status(published, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GUIDELINES_CLI_STRICT", "1")
    ws, slug = published
    base = ["--workspace", str(ws.root), "diff", slug, "--format", "html"]
    assert cli.main([*base, "HEAD~1", "v1.0", "-o", str(tmp_path / "to-v1.html")]) == 0
    page = (tmp_path / "to-v1.html").read_text("utf-8")
    assert "Approved, version 1.0" in page and "DRAFT" not in page
    ws.path(slug).write_text(ws.load(slug).to_text().replace("24 hours", "2 days"), encoding="utf-8")
    assert cli.main([*base, "v1.0", "-o", str(tmp_path / "since.html")]) == 0
    capsys.readouterr()
    page = (tmp_path / "since.html").read_text("utf-8")
    assert "Draft: changes since version 1.0" in page and "DRAFT — not approved for distribution" in page
    assert "Approved, version" not in page
