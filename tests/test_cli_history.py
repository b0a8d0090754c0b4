"""The history commands of the CLI, run in-process on real workspaces."""

from __future__ import annotations

import json

import docx
import pytest

from guidelines_app.cli import main as cli
from guidelines_app.core.document import Document


@pytest.fixture(autouse=True)
def _no_safety_net(monkeypatch):
    """The CLI's last-resort handler re-raises: no case here may need it."""
    monkeypatch.setenv("GUIDELINES_CLI_STRICT", "1")


@pytest.fixture
def ws_doc(workspace, author):
    body = "# Policy\n\n## Response time\n\nWe answer within 24 hours.\n"
    slug, _ = workspace.create_document(Document.new("Policy", body=body), author)
    text = workspace.load(slug).to_text()
    workspace.save_text(slug, text.replace("24 hours", "12 hours"), author, "Faster")
    return workspace, slug


def run(ws, capsys, *argv):
    code = cli.main(["--workspace", str(ws.root), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_publish_history_show_diff(ws_doc, capsys, tmp_path):
    ws, slug = ws_doc
    code, out, err = run(ws, capsys, "publish", slug, "--version", "1.0", "--summary", "First version", "--approver", "Dana")
    assert code == 0, err
    assert "version 1.0" in out
    code, out, _ = run(ws, capsys, "history", slug, "--json")
    entries = json.loads(out)
    assert entries[0]["versions"] == ["1.0"] and entries[0]["status"] == "approved"
    assert entries[-1]["status"] == "draft"
    code, out, _ = run(ws, capsys, "history", slug)
    assert "\tv1.0\tapproved\t" in out.splitlines()[0]
    code, out, _ = run(ws, capsys, "show", slug, "--revision", "HEAD~2")
    assert code == 0 and "24 hours" in out
    code, out, _ = run(ws, capsys, "show", slug, "--revision", "v1.0")
    assert "12 hours" in out and "status: approved" in out
    code, out, _ = run(ws, capsys, "diff", slug, "HEAD~2", "v1.0")
    assert code == 0 and "[-24-] {+12+}" in out
    # Who made the change: the revision after HEAD~2 that wrote "12 hours".
    faster = ws.history(slug)[1]
    assert f"  by {faster.author}, {faster.date.astimezone():%Y-%m-%d}: Faster ({faster.sha[:8]})" in out
    target = tmp_path / "red.docx"
    code, out, err = run(ws, capsys, "diff", slug, "HEAD~2", "--format", "docx", "-o", str(target))
    assert code == 0, err
    assert target.exists() and (tmp_path / "red (clean).docx").exists()
    assert docx.Document(str(target)).paragraphs
    code, out, _ = run(ws, capsys, "diff", slug, "HEAD~2", "--format", "html", "-o", str(tmp_path / "red.html"))
    assert "<del>24 </del>" in (tmp_path / "red.html").read_text(encoding="utf-8")


def test_restore_and_blame(ws_doc, capsys):
    ws, slug = ws_doc
    code, out, err = run(ws, capsys, "restore", slug, "HEAD~1")
    assert code == 0, err
    assert "24 hours" in ws.load(slug).body and len(ws.history(slug)) == 3
    code, out, _ = run(ws, capsys, "blame", slug, "--json")
    paras = json.loads(out)
    assert any(p["text"] == "We answer within 24 hours." and p["message"].startswith("Restore") for p in paras)


def test_a_deleted_file_is_restored_without_force_and_a_folder_in_its_place_is_named(ws_doc, capsys):
    # Deleted, the file holds no text of the user's: restore brings it back (it advised a save,
    # which said there was no document), and says what it did, not "nothing to restore".
    ws, slug = ws_doc
    saved = ws.path(slug).read_text(encoding="utf-8")
    ws.path(slug).unlink()
    code, out, err = run(ws, capsys, "restore", slug, "HEAD")
    assert code == 0, err
    assert "it was missing" in out and "no new revision" in out
    assert ws.path(slug).read_text(encoding="utf-8") == saved and len(ws.history(slug)) == 2
    ws.path(slug).unlink()
    code, out, err = run(ws, capsys, "restore", slug, "HEAD~1")
    assert code == 0, err
    assert "24 hours" in ws.load(slug).body and len(ws.history(slug)) == 3
    # A folder that took the file's name: every command says so (they said there was no document;
    # restore --force failed naming a temporary file), and nothing is written into it.
    ws.path(slug).unlink()
    ws.path(slug).mkdir()
    for argv in (["show", slug], ["save", slug], ["restore", slug, "HEAD"], ["restore", slug, "HEAD~1", "--force"],
                 ["diff", slug, "HEAD~1"], ["status", slug, "approved"], ["check", slug]):
        code, out, err = run(ws, capsys, *argv)
        assert code == 2 and err.startswith("error: ") and "is a folder, not a document's file" in err, (argv, err)
        assert "Traceback" not in err and ".tmp" not in err
    assert list(ws.path(slug).iterdir()) == [] and len(ws.history(slug)) == 3


def test_blame_lists_every_paragraph_of_the_file_and_marks_what_is_not_saved(ws_doc, capsys):
    """The saved text was blamed by the lines of the file on disk: a file
    cut short listed nothing, and an edited paragraph showed the saved
    words credited to "Not Committed Yet"."""
    from guidelines_app.review import blame

    ws, slug = ws_doc
    saved = ws.path(slug).read_text(encoding="utf-8")
    ws.path(slug).write_text(saved.replace("We answer within 12 hours.", "We answer within 2 hours.") +
                             "\nA paragraph not saved yet.\n", encoding="utf-8")
    code, out, err = run(ws, capsys, "blame", slug, "--json")
    assert code == 0, err
    paras = json.loads(out)
    assert [p["text"] for p in paras] == ["# Policy", "## Response time", "We answer within 2 hours.",
                                          "A paragraph not saved yet."]
    assert [p["saved"] for p in paras] == [True, True, False, False]
    assert paras[0]["message"].startswith("Create") and paras[2]["commit"] is None and paras[2]["author"] is None
    code, out, _ = run(ws, capsys, "blame", slug)
    lines = out.splitlines()
    assert len(lines) == 4 and "Not Committed" not in out and "00000000" not in out
    assert lines[2].startswith("--------\t") and "\t(not saved yet)\t" in lines[2] and lines[2].endswith("We answer within 2 hours.")
    # Cut short on disk: what is left is listed, not nothing.
    ws.path(slug).write_text(saved.split("## Response time")[0], encoding="utf-8")
    code, out, _ = run(ws, capsys, "blame", slug, "--json")
    assert [p["text"] for p in json.loads(out)] == ["# Policy"]
    # The core without the editor's text: the saved revision, each paragraph by its saved author.
    assert [(p.text, p.uncommitted) for p in blame.blame(ws, slug)] == [
        ("# Policy", False), ("## Response time", False), ("We answer within 12 hours.", False)]


@pytest.mark.parametrize("argv", [
    ["show", "{slug}", "--revision=--output=/tmp/owned"],
    ["diff", "{slug}", "--", "--exec=sh"],
    ["restore", "{slug}", "--", "-p"],
])
def test_option_like_revision_is_refused(ws_doc, capsys, argv):
    ws, slug = ws_doc
    code, out, err = run(ws, capsys, *[a.replace("{slug}", slug) for a in argv])
    assert code == 2
    assert err.startswith("error: ") and "revision" in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["show", "{slug}", "--revision", ""], ["diff", "{slug}", " "], ["diff", "{slug}", "HEAD", ""],
    ["restore", "{slug}", ""], ["export", "{slug}", "--revision", "", "-o", "{out}"],
])
def test_an_empty_revision_is_refused_not_taken_as_the_current_file(ws_doc, capsys, tmp_path, argv):
    ws, slug = ws_doc
    out = tmp_path / "out.html"
    with pytest.raises(SystemExit) as done:
        cli.main(["--workspace", str(ws.root), *[a.replace("{slug}", slug).replace("{out}", str(out)) for a in argv]])
    err = capsys.readouterr().err
    assert done.value.code == 2 and err.startswith("error: argument ") and "a revision cannot be empty" in err
    assert err.count("\n") == 1 and not out.exists()


def test_plain_errors(ws_doc, capsys):
    ws, slug = ws_doc
    code, _, err = run(ws, capsys, "publish", slug, "--summary", " ", "--approver", "Dana")
    assert code == 2 and "summary" in err
    code, _, err = run(ws, capsys, "diff", slug, "v7.0")
    assert code == 2 and "no published version 7.0" in err
    code, _, err = run(ws, capsys, "diff", slug, "HEAD~1", "--format", "docx")
    assert code == 2 and "-o" in err


def test_the_current_file_is_called_not_saved_only_when_it_is_not(ws_doc, capsys):
    """`diff DOC HEAD~1` named its newer side "the current file (not saved)"
    when the file was the saved revision."""
    ws, slug = ws_doc
    code, out, _ = run(ws, capsys, "diff", slug, "HEAD~1")
    assert code == 0 and out.split("\n")[0].endswith(" with the current file"), out
    path = ws.path(slug)
    path.write_text(path.read_text(encoding="utf-8") + "\nAn edit not saved.\n", encoding="utf-8")
    code, out, _ = run(ws, capsys, "diff", slug, "HEAD~1")
    assert code == 0 and out.split("\n")[0].endswith(" with the current file (not saved)"), out
