from __future__ import annotations

import docx
import pytest
from export_fixtures import QUIRKY, ROUND_TRIP

from guidelines_app.cli.main import main
from guidelines_app.core.document import Document
from guidelines_app.publishing.docx import export_docx


@pytest.fixture(autouse=True)
def _no_safety_net(monkeypatch):
    """The CLI's last-resort handler re-raises: no case here may need it."""
    monkeypatch.setenv("GUIDELINES_CLI_STRICT", "1")


@pytest.fixture
def ws_with_doc(workspace, author, monkeypatch):
    monkeypatch.setenv("GUIDELINES_WORKSPACE", str(workspace.root))
    slug, _ = workspace.create_document(Document.parse(QUIRKY), author, slug="policy")
    return workspace, slug


def test_export_docx_and_html(ws_with_doc, tmp_path, capsys):
    _, slug = ws_with_doc
    assert main(["export", slug, "--format", "docx", "-o", str(tmp_path / "p.docx")]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "p.docx")
    assert docx.Document(str(tmp_path / "p.docx")).core_properties.title == "Example Social Media Policy"
    assert main(["export", slug, "-o", str(tmp_path / "p.html")]) == 0  # format from the extension
    assert "<!DOCTYPE html>" in (tmp_path / "p.html").read_text(encoding="utf-8")


def test_export_default_name_and_revision(ws_with_doc, tmp_path, monkeypatch, capsys):
    _, slug = ws_with_doc
    monkeypatch.chdir(tmp_path)
    assert main(["export", slug, "--format", "docx", "--revision", "HEAD"]) == 0
    written = capsys.readouterr().out.strip()
    assert written.endswith("example-social-media-policy-v2.1-HEAD.docx")


def test_export_errors_are_one_line(ws_with_doc, tmp_path, capsys):
    _, slug = ws_with_doc
    bad_ref = tmp_path / "ref.docx"
    bad_ref.write_text("nope")
    assert main(["export", slug, "-o", str(tmp_path / "x.docx"), "--reference-docx", str(bad_ref)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "not a Word document" in err
    assert not (tmp_path / "x.docx").exists()
    assert main(["export", slug, "--revision=--bad"]) == 2
    assert "not a revision" in capsys.readouterr().err
    assert main(["export", "missing", "-o", str(tmp_path / "y.docx")]) == 2
    assert "no document 'missing'" in capsys.readouterr().err


@pytest.mark.parametrize("args, says", [
    (["-f", "html", "-o", "{tmp}/x.docx"], "x.docx is named as a Word document but --format html writes an HTML page"),
    (["-f", "docx", "-o", "{tmp}/x.pdf"], "x.pdf is named as a PDF but --format docx writes a Word document"),
    (["-o", "-"], "a Word document cannot be written to the screen"),
    (["-o", "{tmp}/typo/deeper/x.docx"], "the folder {tmp}/typo/deeper does not exist"),
    # A Word file among the documents: one the workspace never saves, and sync then refused.
    (["-o", "{ws}/guidelines/p.docx"], "in the documents folder of the workspace"),
])
def test_an_export_the_user_did_not_mean_is_refused(ws_with_doc, tmp_path, capsys, monkeypatch, args, says):
    """An HTML page written into x.docx (Word cannot open it), a Word file
    named "-", and a mistyped folder made in passing: each is said instead."""
    ws, slug = ws_with_doc
    monkeypatch.chdir(tmp_path)  # (where a file named "-" would go)
    before = sorted(tmp_path.rglob("*"))
    assert main(["export", slug, *[a.format(tmp=tmp_path, ws=ws.root) for a in args]]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and says.format(tmp=tmp_path) in err
    assert not (ws.root / "guidelines" / "p.docx").exists()
    assert sorted(tmp_path.rglob("*")) == before  # nothing written, no folder made


def test_an_html_export_to_dash_prints_the_page(ws_with_doc, tmp_path, capsys, monkeypatch):
    _, slug = ws_with_doc
    monkeypatch.chdir(tmp_path)
    assert main(["export", slug, "-f", "html", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>") and not (tmp_path / "-").exists()
    assert main(["diff", slug, "HEAD", "HEAD", "--format", "docx", "-o", "-"]) == 2
    assert "cannot be written to the screen" in capsys.readouterr().err and not (tmp_path / "-").exists()


def test_control_characters_typed_into_the_details_export_and_list_cleanly(workspace, author, tmp_path, capsys, monkeypatch):
    """A NUL or a terminal colour code in the title, organisation or owners
    (typed by hand, or an answers file) crashed the Word and PDF export with
    lxml's "All strings must be XML compatible", and broke `list`'s columns."""
    monkeypatch.setenv("GUIDELINES_WORKSPACE", str(workspace.root))
    doc = Document.parse('---\ntitle: "Ctl\\x0b2\\x1b[31m"\norganization: "A\\0B"\nowners: ["C\\tD"]\n---\n# Body\n\nText.\n')
    assert (doc.title, doc.organization, doc.owners) == ("Ctl 2 [31m", "A B", ["C D"])
    slug, _ = workspace.create_document(doc, author, slug="ctl")
    assert main(["export", slug, "-o", str(tmp_path / "c.docx")]) == 0
    props = docx.Document(str(tmp_path / "c.docx")).core_properties
    assert props.title == "Ctl 2 [31m" and props.category == "A B"
    capsys.readouterr()
    assert main(["list"]) == 0
    assert capsys.readouterr().out.split("\n")[0].split("\t") == ["ctl", "draft", "", "Ctl 2 [31m"]


def test_a_title_or_legal_name_longer_than_a_word_property_exports_whole_on_the_page(workspace, author, tmp_path,
                                                                                     capsys, monkeypatch):
    """A regulated firm's full legal name (over 255 characters) or a long
    title failed the Word export and the Word redline with "a document
    property holds at most 255 characters": the properties are cut after a
    word, and the title page keeps them whole."""
    monkeypatch.setenv("GUIDELINES_WORKSPACE", str(workspace.root))
    org = "Acme Holdings Limited, " + ", ".join(f"trading as Acme Brand {n} (firm reference number {n:06d})"
                                                 for n in range(1, 6))
    title = "Social media guidelines for " + " and ".join(f"the staff of division {n}" for n in range(1, 12))
    assert len(org) > 255 and len(title) > 255
    doc = Document.parse(f'---\ntitle: "{title}"\norganization: "{org}"\n---\n# Body\n\nText.\n')
    slug, _ = workspace.create_document(doc, author, slug="long")
    assert main(["export", slug, "-o", str(tmp_path / "l.docx")]) == 0
    written = docx.Document(str(tmp_path / "l.docx"))
    props = written.core_properties
    assert len(props.title) <= 255 and props.title.endswith("…") and title.startswith(props.title[:-1])
    assert len(props.category) <= 255 and org.startswith(props.category[:-1])
    words = "\n".join(p.text for p in written.paragraphs)
    assert title in words
    assert main(["diff", slug, "HEAD", "--format", "docx", "-o", str(tmp_path / "d.docx")]) == 0
    assert (tmp_path / "d.docx").is_file()


def test_a_word_redline_and_its_clean_copy_are_written_both_or_neither(ws_with_doc, tmp_path, capsys):
    """`diff --format docx` wrote the redline, then refused its clean copy
    (a folder of that name) and failed, leaving half of the pair."""
    _, slug = ws_with_doc
    (tmp_path / "d (clean).docx").mkdir()
    assert main(["diff", slug, "HEAD", "--format", "docx", "-o", str(tmp_path / "d.docx")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "d (clean).docx is a folder" in err
    assert not (tmp_path / "d.docx").exists()
    (tmp_path / "d (clean).docx").rmdir()
    assert main(["diff", slug, "HEAD", "--format", "docx", "-o", str(tmp_path / "d.docx")]) == 0
    assert (tmp_path / "d.docx").is_file() and (tmp_path / "d (clean).docx").is_file()


def test_reference_docx_from_settings(ws_with_doc, settings, tmp_path):
    _, slug = ws_with_doc
    ref = docx.Document()
    ref.sections[0].header.paragraphs[0].text = "House header"
    ref.save(tmp_path / "ref.docx")
    settings.reference_docx = str(tmp_path / "ref.docx")
    settings.save()
    assert main(["export", slug, "-o", str(tmp_path / "p.docx")]) == 0
    assert "House header" in docx.Document(str(tmp_path / "p.docx")).sections[0].header.paragraphs[0].text


def test_import(ws_with_doc, tmp_path, capsys):
    ws, _ = ws_with_doc
    path = export_docx(Document.parse(ROUND_TRIP), tmp_path / "Round.docx")
    assert main(["import", str(path), "--title", "From Word"]) == 0
    slug, commit, message = capsys.readouterr().out.strip().split("\t")
    assert slug == "from-word" and message == "Imported from Round.docx"
    assert ws.load(slug).title == "From Word"
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"junk")
    assert main(["import", str(junk)]) == 2
    assert "not a Word document" in capsys.readouterr().err


def test_a_saved_revisions_file_name_keeps_its_whole_time():
    """Export a Saved Revision named its file after the day and time the
    revision was saved, cut to "2026-12-07-1": two saves of a day, one name."""
    from guidelines_app.publishing.export import default_file_name

    doc = Document.new("Social media guidelines")
    assert default_file_name(doc, "docx", "2026-12-07-1650", "") == "social-media-guidelines-2026-12-07-1650.docx"
    assert default_file_name(doc, "pdf", "v1.2", "1.2") == "social-media-guidelines-v1.2-v1.2.pdf"
