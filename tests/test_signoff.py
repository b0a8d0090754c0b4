"""Sign-offs (review.signoff): recorded as git notes against the exact
revision read, voided by a later edit, and required by the publishing gate
(real git repositories in tmp folders)."""

from __future__ import annotations

import datetime as _dt
import subprocess

import pytest

from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError, RevisionError
from guidelines_app.review import history, signoff

BODY = "# Posting policy\n\n## Scope\n\nEveryone who posts for us follows these guidelines.\n"


@pytest.fixture
def in_review(workspace, author):
    slug, _ = workspace.create_document(Document.new("Posting policy", body=BODY), author)
    reviewers = [signoff.parse_reviewer("Legal=Ann Lee"), signoff.parse_reviewer("HR=Bo Chen")]
    commit = signoff.request_review(workspace, slug, reviewers, author)
    return workspace, slug, commit


def test_request_review_names_the_reviewers_and_sets_in_review(in_review):
    ws, slug, commit = in_review
    doc = ws.load(slug)
    assert doc.status == "in review"
    assert signoff.required_reviewers(doc) == [signoff.Reviewer("Legal", "Ann Lee"), signoff.Reviewer("HR", "Bo Chen")]
    assert ws.history(slug, max_count=1)[0].sha == commit
    assert [s.signed for s in signoff.state(ws, slug)] == [False, False]


def test_a_signoff_is_a_git_note_on_the_revision_read(in_review, author):
    ws, slug, commit = in_review
    signed = signoff.sign_off(ws, slug, "Ann Lee", "legal", author, comment="Carve-out present")
    assert signed.commit == commit and signed.role == "Legal"
    note = subprocess.run(["git", "-C", str(ws.root), "notes", "--ref=refs/notes/guidelines-signoffs", "show", commit],
                          capture_output=True, text=True, check=True).stdout
    assert "Sign-off: Legal" in note and "Name: Ann Lee" in note and "Comment: Carve-out present" in note
    states = signoff.state(ws, slug)
    assert states[0].signed and states[0].current.name == "Ann Lee" and not states[1].signed


def test_a_signoff_names_its_revision_as_every_command_does_and_is_kept_once(in_review, author):
    """`signoff --revision v1.0` said the revision did not exist, though
    `show --revision v1.0` found it (and HEAD~N counted every document's
    revisions); signing off again recorded the same sign-off again."""
    ws, slug, commit = in_review
    ws.save_text(slug, ws.load(slug).to_text().replace("follows", "follows closely"), author, "Later")
    signed = signoff.sign_off(ws, slug, "Ann Lee", "Legal", author, revision="HEAD~1")
    assert signed.commit == commit
    again = signoff.sign_off(ws, slug, "Ann Lee", "Legal", author, revision=commit[:10])
    assert again == signed and [s.commit for s in signoff.signoffs(ws, slug)] == [commit]
    said = signoff.state(ws, slug)[0].describe()  # in words: a day written out, no commit id
    assert said.startswith("Legal (Ann Lee): signed off an earlier revision on ") and commit[:8] not in said
    with pytest.raises(RevisionError, match="has no published version 9.0"):
        signoff.sign_off(ws, slug, "Ann Lee", "Legal", author, revision="v9.0")


def test_a_signoff_entered_for_someone_else_says_who_entered_it(in_review, author):
    """The owner could record "Ann Lee" as signing off for Legal, and nothing
    said the owner entered it."""
    ws, slug, _commit = in_review
    entered = signoff.sign_off(ws, slug, "Ann Lee", "Legal", author)
    assert entered.entered_by == author.name
    states = signoff.state(ws, slug)
    assert states[0].describe().endswith(f"(entered by {author.name})")
    own = signoff.sign_off(ws, slug, author.name, "HR", author)  # signed by the one who enters it: nothing more to say
    assert own.entered_by == "" and "entered by" not in signoff.state(ws, slug)[1].describe()


def test_a_later_edit_voids_the_signoff_and_shows_it_as_earlier(in_review, author):
    ws, slug, commit = in_review
    signoff.sign_off(ws, slug, "Ann Lee", "Legal", author)
    doc = ws.load(slug)
    doc.body += "\nA new rule nobody has read.\n"
    ws.save_text(slug, doc.to_text(), author, "Add a rule")
    legal = signoff.state(ws, slug)[0]
    assert not legal.signed and [s.commit for s in legal.earlier] == [commit]
    assert "earlier revision" in legal.describe()
    # Details that do not change what a reader sees (the status) leave it standing.
    history.set_status(ws, slug, "in review", author)
    signoff.sign_off(ws, slug, "Ann Lee", "Legal", author)
    history.set_status(ws, slug, "draft", author)
    assert signoff.state(ws, slug)[0].signed


def test_publish_is_blocked_until_the_last_signoff_then_allowed(in_review, author):
    ws, slug, _ = in_review
    signoff.sign_off(ws, slug, "Ann Lee", "Legal", author)
    with pytest.raises(history.PublishBlocked) as info:
        history.publish(ws, slug, "First version", "Ann Lee", author)
    assert [p.kind for p in info.value.problems] == ["signoff"]
    assert "HR (Bo Chen): not signed off yet" in str(info.value)
    assert not history.publications(ws, slug)
    signoff.sign_off(ws, slug, "Bo Chen", "HR", author)
    pub = history.publish(ws, slug, "First version", "Ann Lee", author)
    assert str(pub.version) == "1.0" and not pub.override


def test_error_findings_block_publish_and_an_override_records_the_reason(workspace, author):
    body = BODY + "\nDo not discuss confidential information with anyone.\n"
    slug, _ = workspace.create_document(Document.new("Posting policy", body=body), author)
    problems = history.publish_gate(workspace, slug)
    assert [(p.kind, p.label) for p in problems] == [("finding", "legal.confidential-blanket")]
    assert problems[0].line == body.split("\n").index("Do not discuss confidential information with anyone.")
    pub = history.publish(workspace, slug, "First", "Ann", author, override_reason="Counsel approved the wording")
    assert pub.override == "Counsel approved the wording"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"role": "Finance"}, "unknown role 'Finance'"),
    ({"revision": "0123abcd"}, "there is no revision '0123abcd'"),
    ({"name": "  "}, "needs the reviewer's name"),
])
def test_bad_signoffs_are_refused_and_change_nothing(in_review, author, kwargs, message):
    ws, slug, commit = in_review
    args = {"name": "Ann Lee", "role": "Legal", **kwargs}
    with pytest.raises(GuidelinesError) as info:
        signoff.sign_off(ws, slug, args.pop("name"), args.pop("role"), author, **args)
    assert message in str(info.value)
    assert signoff.signoffs(ws, slug) == []


def test_a_revision_of_another_document_is_refused(in_review, author):
    ws, slug, _ = in_review
    _other, saved = ws.create_document(Document.new("Other", body="# Other\n"), author)
    with pytest.raises(RevisionError, match="not a revision of"):
        signoff.sign_off(ws, slug, "Ann Lee", "Legal", author, revision=saved.commit)


def test_a_signoff_of_unsaved_changes_is_refused(in_review, author):
    ws, slug, _ = in_review
    ws.path(slug).write_text(ws.load(slug).to_text() + "\nTyped outside the app.\n", encoding="utf-8")
    with pytest.raises(GuidelinesError, match="not saved as a revision"):
        signoff.sign_off(ws, slug, "Ann Lee", "Legal", author)


def test_reviewer_roles_must_be_distinct(workspace, author):
    slug, _ = workspace.create_document(Document.new("P", body=BODY), author)
    with pytest.raises(GuidelinesError, match="named twice"):
        signoff.request_review(workspace, slug, [signoff.Reviewer("Legal", "A"), signoff.Reviewer("legal", "B")], author)
    with pytest.raises(GuidelinesError, match="ROLE=NAME"):
        signoff.parse_reviewer("=Ann")


@pytest.mark.parametrize("line", ["Legal=Ann Lee", "Legal = Ann Lee", "Legal: Ann Lee", " Legal :Ann  Lee "])
def test_a_reviewer_is_written_as_people_write_it(line):
    """"Legal: Ann Lee" was read as a role with no name ("Give the name of the Legal: Ann Lee reviewer")."""
    assert signoff.parse_reviewer(line) == signoff.Reviewer("Legal", "Ann Lee")


def test_history_shows_signoffs_per_revision(in_review, author):
    ws, slug, commit = in_review
    signoff.sign_off(ws, slug, "Ann Lee", "Legal", author, today=_dt.date(2026, 12, 5))
    doc = ws.load(slug)
    doc.body += "\nMore.\n"
    ws.save_text(slug, doc.to_text(), author, "More")
    entries = signoff.attach(ws, slug, history.history(ws, slug))
    assert [e.signoffs for e in entries[:2]] == [[], ["Legal: Ann Lee, 2026-12-05"]]
    assert entries[1].sha == commit


def test_history_panel_and_cli_show_signoffs(in_review, author, capsys):
    import json

    from guidelines_app.cli import main as cli
    from guidelines_app.ui.review.history_model import HistoryModel

    ws, slug, commit = in_review
    signoff.sign_off(ws, slug, "Ann Lee", "Legal", author, today=_dt.date(2026, 12, 5))
    assert cli.main(["--workspace", str(ws.root), "history", slug, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["commit"] == commit and rows[0]["signoffs"] == ["Legal: Ann Lee, 2026-12-05"]
    model = HistoryModel()
    model.set_entries(signoff.attach(ws, slug, history.history(ws, slug)))
    assert model.data(model.index(0, 3)) == "In review · signed off (1)"
    from PySide6.QtCore import Qt

    assert "Signed off: Legal: Ann Lee, 2026-12-05" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)


def test_a_dismissed_error_finding_no_longer_blocks_publish(workspace, author):
    from guidelines_app.review import check

    body = BODY + "\nDo not discuss confidential information with anyone.\n"
    slug, _ = workspace.create_document(Document.new("Posting policy", body=body), author)
    finding = check.check_document(workspace, slug).at_or_above("error")[0]
    doc = workspace.load(slug)
    check.dismiss(doc, finding, "Staff are all in the EU; counsel reviewed it")
    workspace.save_text(slug, doc.to_text(), author, "Dismiss a finding")
    assert history.publish_gate(workspace, slug) == []


def test_a_broken_rules_file_blocks_publish_with_its_reason(workspace, author):
    slug, _ = workspace.create_document(Document.new("Posting policy", body=BODY), author)
    folder = workspace.root / ".guidelines" / "checks"
    folder.mkdir(parents=True)
    (folder / "house.yaml").write_text("rules: [\n", encoding="utf-8")
    problems = history.publish_gate(workspace, slug)
    assert [p.kind for p in problems] == ["check"] and "house.yaml" in problems[0].text
