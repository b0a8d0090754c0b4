"""Publishing gates: no version is published with open "[to be decided: ...]"
markers or with nothing changed, unless a reason is given, which the
version's tag records (real git; the CLI run in-process)."""

from __future__ import annotations

import subprocess

import pytest

from guidelines_app.cli import main as cli
from guidelines_app.core.document import Document
from guidelines_app.review import history

BODY = ("# Posting policy\n\n## Scope\n\nEvery [to be decided: team or department] member who posts.\n\n"
        "## Response time\n\nWe answer within [to be decided: response time].\n")


@pytest.fixture(autouse=True)
def _strict(monkeypatch):
    monkeypatch.setenv("GUIDELINES_CLI_STRICT", "1")


@pytest.fixture
def marked(workspace, author):
    slug, _ = workspace.create_document(Document.new("Posting policy", body=BODY), author)
    return workspace, slug


def _tag_message(ws, tag: str) -> str:
    return subprocess.run(["git", "-C", str(ws.root), "for-each-ref", "--format=%(contents)", f"refs/tags/{tag}"],
                          capture_output=True, text=True, check=True).stdout


def _lines_of(ws, slug, needle):
    return [n + 1 for n, line in enumerate(ws.load(slug).to_text().split("\n")) if needle in line]


def test_open_markers_block_publish_with_the_list(marked, author):
    ws, slug = marked
    with pytest.raises(history.PublishBlocked) as caught:
        history.publish(ws, slug, "First", "Dana", author, kind="major")
    problems = caught.value.problems
    assert [p.kind for p in problems] == ["marker", "marker"]
    # The text names the file's line; .line is the body's line (what the editor shows).
    assert [p.text.split(":")[0] for p in problems] == [f"line {n}" for n in _lines_of(ws, slug, "[to be decided:")]
    body = ws.load(slug).body.split("\n")
    assert [body[p.line] for p in problems] == [line for line in body if "[to be decided:" in line]
    assert [p.label for p in problems] == ["team or department", "response time"]
    assert "2 '[to be decided: ...]' markers remain" in str(caught.value)
    assert history.publications(ws, slug) == [] and ws.load(slug).status == "draft"


def test_cli_refuses_with_exit_2_and_one_marker_a_line(marked, capsys):
    ws, slug = marked
    code = cli.main(["--workspace", str(ws.root), "publish", slug, "--summary", "First", "--approver", "Dana"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err[0].startswith("error: ") and "markers remain" in err[0]
    scope, response = _lines_of(ws, slug, "team or department")[0], _lines_of(ws, slug, "response time]")[0]
    assert f"  line {scope}: [to be decided: team or department]" in err
    assert f"  line {response}: [to be decided: response time]" in err
    assert history.publications(ws, slug) == []


def test_cli_override_records_the_reason_in_the_tag(marked, capsys):
    ws, slug = marked
    code = cli.main(["--workspace", str(ws.root), "publish", slug, "--summary", "First", "--approver", "Dana",
                     "--major", "--override-reason", "Board approved it with the open points"])
    out = capsys.readouterr().out
    assert code == 0 and "reason recorded" in out
    assert "Override: Board approved it with the open points" in _tag_message(ws, f"{slug}/v1.0")
    [pub] = history.publications(ws, slug)
    assert pub.override == "Board approved it with the open points" and pub.summary == "First"
    # The history shows it: the publishing revision says the checks were overridden.
    entry = history.history(ws, slug)[0]
    assert entry.versions == ["1.0"] and "checks overridden" in entry.revision.subject
    assert "Override: Board approved it" in entry.revision.message


def test_unchanged_text_is_not_published_again(workspace, author, capsys):
    slug, _ = workspace.create_document(Document.new("Posting policy", body="# Posting policy\n\nWe post.\n"), author)
    history.publish(workspace, slug, "First", "Dana", author, kind="major")
    with pytest.raises(history.PublishBlocked, match="nothing changed since version 1.0"):
        history.publish(workspace, slug, "Again", "Dana", author)
    code = cli.main(["--workspace", str(workspace.root), "publish", slug, "--summary", "Again", "--approver", "Dana"])
    err = capsys.readouterr().err
    assert code == 2 and "nothing changed since version 1.0" in err
    assert err.count("nothing changed") == 1 and len(err.splitlines()) == 2  # the error, then the hint: said once
    assert [str(p.version) for p in history.publications(workspace, slug)] == ["1.0"]
    # A reason publishes it anyway (a re-approval), recorded in the tag.
    pub = history.publish(workspace, slug, "Re-approved", "Dana", author, override_reason="Yearly re-approval")
    assert str(pub.version) == "1.1" and "Override: Yearly re-approval" in _tag_message(workspace, pub.tag)
    # A real change needs no reason, and its tag has no Override line.
    text = workspace.load(slug).to_text()
    workspace.save_text(slug, text.replace("We post.", "We post daily."), author, "Daily")
    pub = history.publish(workspace, slug, "Daily", "Dana", author)
    assert pub.override == "" and "Override" not in _tag_message(workspace, pub.tag)


def test_first_publish_labels_come_from_next_version(workspace, author):
    slug, _ = workspace.create_document(Document.new("Posting policy", body="# Posting policy\n\nWe post.\n"), author)
    assert str(history.next_version(workspace, slug, "major")) == "1.0"
    assert str(history.next_version(workspace, slug, "minor")) == "0.1"  # the draft's own 0.1
    assert str(history.next_version(workspace, slug, None)) == "1.0"  # the usual first step
    assert str(history.publish(workspace, slug, "Trial", "Dana", author, kind="minor").version) == "0.1"
    assert str(history.next_version(workspace, slug, "minor")) == "0.2"
    assert str(history.next_version(workspace, slug, "major")) == "1.0"
