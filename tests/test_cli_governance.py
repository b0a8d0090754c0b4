"""``guidelines check``, ``review``, ``signoff``, ``attest`` and ``export
--format acknowledgement`` (the CLI run in-process on real workspaces):
exit statuses 0 clean / 1 findings / 2 usage error, one ``error:`` line
for bad input, and nothing changed then."""

from __future__ import annotations

import json
import subprocess

import docx
import pytest

from guidelines_app.cli import main as cli
from guidelines_app.core.document import Document
from guidelines_app.review import history

CLEAN = "# Policy\n\n## Scope\n\nEveryone who posts for us follows these guidelines.\n"
RISKY = CLEAN + "\nNever post about your co-workers.\n\nWe review accounts every 1 months.\n"


@pytest.fixture(autouse=True)
def _strict(monkeypatch):
    monkeypatch.setenv("GUIDELINES_CLI_STRICT", "1")


def run(ws, capsys, *argv):
    code = cli.main(["--workspace", str(ws.root), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _doc(ws, author, body, title="Policy"):
    slug, _ = ws.create_document(Document.new(title, body=body), author)
    return slug


def _head(ws) -> str:
    return subprocess.run(["git", "-C", str(ws.root), "rev-parse", "HEAD"], capture_output=True, text=True).stdout


def test_check_exit_statuses(workspace, author, capsys):
    clean, risky = _doc(workspace, author, CLEAN, "Clean"), _doc(workspace, author, RISKY, "Risky")
    seam = _doc(workspace, author, CLEAN + "\nWe review accounts every 1 months.\n", "Seam")
    code, out, _ = run(workspace, capsys, "check", clean)
    assert code == 0 and out == "clean: 0 errors, 0 warnings, 0 notes; grade 5.2 (target 10)\n"
    code, out, _ = run(workspace, capsys, "check", risky)
    assert code == 1
    front = workspace.load(risky).front_matter_lines  # lines are the file's, as an editor or CI log shows them
    lines = workspace.load(risky).to_text().split("\n")
    assert lines[front + 6] == "Never post about your co-workers."
    assert f"error\t{front + 7}\tlegal.colleagues-gag\tScope\t" in out and f"warning\t{front + 9}\tseams.number-unit" in out
    assert run(workspace, capsys, "check", seam)[0] == 0  # a warning, below the default --fail-on error
    assert run(workspace, capsys, "check", seam, "--fail-on", "warning")[0] == 1
    assert run(workspace, capsys, "check", clean, "--fail-on", "note")[0] == 0
    code, _, err = run(workspace, capsys, "check", "no-such-document")
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1
    # A file's path that is not there is said as such (it was "'/no/such' is not a document name").
    code, _, err = run(workspace, capsys, "check", "/no/such.md")
    assert code == 2 and err == "error: there is no file /no/such.md (to check a document of the workspace, give its name: " \
                               "'guidelines list' shows them)\n"
    with pytest.raises(SystemExit) as info:
        run(workspace, capsys, "check", risky, "--fail-on", "fatal")
    assert info.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_check_json_and_explain(workspace, author, capsys):
    risky = _doc(workspace, author, RISKY, "Risky")
    code, out, _ = run(workspace, capsys, "check", risky, "--json")
    data = json.loads(out)
    assert code == 1 and data["failed"] and data["counts"]["error"] == 1
    gag = next(f for f in data["findings"] if f["rule"] == "legal.colleagues-gag")
    assert gag["line"] == workspace.load(risky).front_matter_lines + 7 and gag["jurisdiction"].startswith("United States") and gag["suggestion"]
    assert data["readability"]["target"] == 10
    code, out, _ = run(workspace, capsys, "check", risky, "--explain")
    assert "\twhy: Employees may talk" in out and "\tbetter: 1 month" in out


def test_check_a_markdown_file_by_path(tmp_path, capsys, workspace):
    path = tmp_path / "outside.md"
    path.write_text("# P\n\nDo not discuss confidential information.\n", encoding="utf-8")
    code, out, _ = run(workspace, capsys, "check", str(path))
    assert code == 1 and "legal.confidential-blanket" in out


def test_review_signoff_publish_round_trip(workspace, author, capsys):
    slug = _doc(workspace, author, CLEAN)
    code, out, err = run(workspace, capsys, "review", "request", slug, "--reviewer", "Legal=Ann Lee", "--reviewer", "HR=Bo Chen")
    assert code == 0, err and "in review" in out
    code, out, err = run(workspace, capsys, "publish", slug, "--summary", "First", "--approver", "Ann")
    assert code == 2 and "Legal (Ann Lee): not signed off yet" in err
    assert run(workspace, capsys, "signoff", slug, "--name", "Ann Lee", "--role", "Legal", "--comment", "ok")[0] == 0
    assert run(workspace, capsys, "signoff", slug, "--name", "Bo Chen", "--role", "HR")[0] == 0
    code, out, _ = run(workspace, capsys, "review", "status", slug)
    assert out.count("signed off by") == 2
    code, out, err = run(workspace, capsys, "publish", slug, "--summary", "First", "--approver", "Ann")
    assert code == 0, err


@pytest.mark.parametrize(("argv", "message"), [
    (["signoff", "{slug}", "--name", "X", "--role", "Finance"], "unknown role 'Finance'"),
    (["signoff", "{slug}", "--name", "X", "--role", "Legal", "--revision", "abcdef12"], "there is no revision 'abcdef12' in this workspace"),
    (["review", "request", "{slug}", "--reviewer", "=nobody"], "ROLE=NAME"),
    # Each of these did something the user could not have meant, without a word:
    (["publish", "{slug}", "--summary", "s", "--approver", "A", "--major", "--version", "2.1"],
     "--version 2.1 and --major both say which version to publish"),
    (["attest", "report", "nosuch"], "there is no document 'nosuch'"),
    (["attest", "import", "{slug}", "{tmp}/heading-only.csv"], "lists nobody, only its heading row"),
    (["export", "{slug}", "-f", "acknowledgement", "-o", "{tmp}/ack.html"], "an acknowledgement form is a Word or PDF file"),
])
def test_bad_review_input_is_one_error_line_and_changes_nothing(workspace, author, capsys, tmp_path, argv, message):
    slug = _doc(workspace, author, CLEAN)
    run(workspace, capsys, "review", "request", slug, "--reviewer", "Legal=Ann")
    head = _head(workspace)
    (tmp_path / "heading-only.csv").write_text("name,email,team\n", encoding="utf-8")
    code, out, err = run(workspace, capsys, *[a.format(slug=slug, tmp=tmp_path) for a in argv])
    assert code == 2 and out == "" and err.startswith("error: ") and message in err and err.count("\n") == 1, err
    assert _head(workspace) == head and not (tmp_path / "ack.html").exists()
    assert "guidelines-signoffs" not in subprocess.run(["git", "-C", str(workspace.root), "notes", "--ref=refs/notes/guidelines-signoffs",
                                                        "list"], capture_output=True, text=True).stdout


def test_attest_import_report_and_acknowledgement_export(workspace, author, capsys, tmp_path):
    slug = _doc(workspace, author, CLEAN)
    assert run(workspace, capsys, "publish", slug, "--summary", "First version", "--approver", "Ann")[0] == 0
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email,team\nAnn,ann@example.org,Legal\nBo,bo@example.org,HR\nCy,cy@example.org,HR\n", encoding="utf-8")
    acks = tmp_path / "acks.csv"
    acks.write_text("email,version,date\nann@example.org,1.0,2026-12-01\n", encoding="utf-8")
    code, out, _ = run(workspace, capsys, "attest", "report", slug)  # no list yet: said, with the way to start
    assert code == 0 and out.startswith(f"No list of the people who must read {slug} yet") and "0 of 0" not in out
    assert f"'guidelines attest import {slug} FILE'" in out
    code, out, _ = run(workspace, capsys, "attest", "import", slug, str(roster))
    assert code == 0 and out.startswith("Imported 3 people into the roster")
    code, out, _ = run(workspace, capsys, "attest", "import", slug, str(acks))
    assert code == 0 and out.startswith("Imported 1 acknowledgement record of")  # (it said "record(s)")
    code, out, _ = run(workspace, capsys, "attest", "report", slug)
    assert code == 0 and "HR\tBo\tbo@example.org" in out and "1 of 3 have acknowledged" in out
    data = json.loads(run(workspace, capsys, "attest", "report", slug, "--json")[1])
    assert data["acknowledged"] == 1 and sorted(data["missing"]) == ["HR"]
    bad = tmp_path / "bad.csv"
    bad.write_text("email,version,date\nbo@example.org,1.0,2026-13-45\n", encoding="utf-8")
    head = _head(workspace)
    code, _, err = run(workspace, capsys, "attest", "import", slug, str(bad))
    assert code == 2 and "row 2" in err and "is not a date" in err and _head(workspace) == head
    code, out, err = run(workspace, capsys, "export", slug, "--format", "acknowledgement", "-o", str(tmp_path / "ack.docx"))
    assert code == 0, err
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "ack.docx")).paragraphs)
    assert "Acknowledgement: Policy" in text and "Version 1.0" in text


def test_publish_saves_unsaved_edits_without_a_note_to_save_them_and_refuses_an_empty_text(workspace, author, capsys):
    """publish of a file with unsaved edits saved them first, then its note
    still said to save them; a document of details alone was published."""
    slug = _doc(workspace, author, CLEAN)
    path = workspace.path(slug)
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more rule.\n", encoding="utf-8")
    code, out, err = run(workspace, capsys, "publish", slug, "--summary", "First", "--approver", "Ann")
    assert code == 0 and "note:" not in err and not workspace.has_unsaved_file_changes(slug), err
    empty = _doc(workspace, author, "", "Empty")
    code, out, err = run(workspace, capsys, "publish", empty, "--summary", "First", "--approver", "Ann")
    assert code == 2 and "the document has no text yet" in err and history.publications(workspace, empty) == []


def test_check_lists_only_the_findings_at_or_above_show(workspace, author, capsys):
    """--show warning lists errors and warnings and says what it left out; the
    counts and the exit status still take every finding."""
    words = " ".join(["The policy owner reviews this text with the team and writes down what people asked."] * 20)
    risky = _doc(workspace, author, RISKY + f"\n## Reading\n\n{words}\n", "Risky")
    counts = json.loads(run(workspace, capsys, "check", risky, "--json")[1])["counts"]
    assert all(counts.values())  # errors, warnings and notes
    summary = f"risky: {counts['error']} error, {counts['warning']} warnings, {counts['note']} notes"
    code, out, _ = run(workspace, capsys, "check", risky, "--show", "warning")
    *listed, last = out.splitlines()
    assert code == 1 and [line.split("\t")[0] for line in listed] == ["error"] + ["warning"] * counts["warning"]
    assert last.startswith(summary + " (notes not listed: --show note lists every finding); grade ")
    code, out, _ = run(workspace, capsys, "check", risky, "--show", "error")
    *listed, last = out.splitlines()
    assert [line.split("\t")[0] for line in listed] == ["error"]
    assert last.startswith(summary + " (warnings and notes not listed: --show note lists every finding)")
    assert run(workspace, capsys, "check", risky, "--show", "error", "--fail-on", "warning")[0] == 1  # fails on what it hides
    code, out, _ = run(workspace, capsys, "check", risky)
    assert len(out.splitlines()) == sum(counts.values()) + 1 and "not listed" not in out  # every finding by default
    data = json.loads(run(workspace, capsys, "check", risky, "--show", "warning", "--json")[1])
    assert data["show"] == "warning" and [f["severity"] for f in data["findings"]] == ["error"] + ["warning"] * counts["warning"]
    assert data["counts"] == counts
