"""Revision history on real git repositories: publish, tags and statuses,
restore, blame, revision arguments."""

from __future__ import annotations

import datetime as _dt

import pytest

from guidelines_app.core.document import Document
from guidelines_app.core.errors import DocumentNotFound, RevisionError
from guidelines_app.core.gitstore import Identity
from guidelines_app.review import blame, history
from guidelines_app.review.diff import diff_revisions, diff_texts

OTHER = Identity("Second Writer", "second@example.org")


def _doc(body: str, title: str = "Social media guidelines") -> Document:
    return Document.new(title, organization="Example Org", body=body, today=_dt.date(2024, 1, 15))


def _edit(ws, slug, old, new, author, message=None):
    text = ws.load(slug).to_text()
    assert old in text
    return ws.save_text(slug, text.replace(old, new), author, message).commit


@pytest.fixture
def doc_ws(workspace, author):
    body = "# Social media guidelines\n\n## Who takes part\n\nEvery team member who posts.\n\n## Response time\n\nWe answer within 24 hours.\n"
    slug, _ = workspace.create_document(_doc(body), author)
    _edit(workspace, slug, "24 hours", "12 hours", OTHER, "Faster answers")
    return workspace, slug


def test_publish_tags_version_status_and_review_date(doc_ws, author):
    ws, slug = doc_ws
    pub = history.publish(ws, slug, "First approved version", "Dana Approver", author, kind="major",
                          today=_dt.date(2024, 3, 10))
    assert str(pub.version) == "1.0" and pub.tag == f"{slug}/v1.0"
    doc = ws.load(slug)
    assert doc.status == "approved" and doc.version == "1.0"
    assert doc.meta["next_review"] == "2025-03-10"  # default cadence: 12 months
    # The tag is annotated and carries approver and summary; it points at the publish commit.
    [p] = history.publications(ws, slug)
    assert p.approver == "Dana Approver" and p.summary == "First approved version"
    assert p.commit == ws.history(slug, max_count=1)[0].sha
    assert not ws.has_unsaved_file_changes(slug)
    # Minor then major numbering; going backwards or reusing a number is refused.
    _edit(ws, slug, "12 hours", "one business day", author)
    assert str(history.next_version(ws, slug, "minor")) == "1.1"
    assert str(history.next_version(ws, slug, "major")) == "2.0"
    assert str(history.publish(ws, slug, "Editorial fix", "Dana", author).version) == "1.1"
    with pytest.raises(history.PublishError, match="not after"):
        history.publish(ws, slug, "Again", "Dana", author, version="1.1")
    with pytest.raises(history.PublishError, match="summary"):
        history.publish(ws, slug, "  ", "Dana", author)
    with pytest.raises(history.PublishError, match="approver"):
        history.publish(ws, slug, "Something", "", author)


def test_publish_uses_review_cadence(workspace, author):
    doc = _doc("# T\n\nText.\n")
    doc.meta["review_cadence_months"] = 6
    slug, _ = workspace.create_document(doc, author)
    history.publish(workspace, slug, "Go", "Dana", author, today=_dt.date(2024, 8, 31))
    assert workspace.load(slug).meta["next_review"] == "2025-02-28"


def test_history_lists_versions_and_statuses(doc_ws, author):
    ws, slug = doc_ws
    history.set_status(ws, slug, "in review", author, "Please review")
    history.publish(ws, slug, "Approved", "Dana", author)
    _edit(ws, slug, "Every team member", "Each team member", author)
    entries = history.history(ws, slug)
    # Editing the approved text makes it a draft again (the approval covers v1.0).
    assert [e.status for e in entries] == ["draft", "approved", "in review", "", ""]
    assert entries[1].versions == ["1.0"] and entries[0].versions == []
    assert entries[1].version_label == "v1.0"
    exact = history.history(ws, slug, exact_status=True)
    assert [e.status for e in exact] == ["draft", "approved", "in review", "draft", "draft"]
    # A status changed by hand in the details (no trailer) is found by the exact pass.
    doc = ws.load(slug)
    doc.meta["status"] = "draft"
    ws.save_text(slug, doc.to_text(), author, "Back to draft")
    assert history.history(ws, slug, exact_status=True)[0].status == "draft"


def test_overdue_review():
    doc = _doc("# T\n")
    doc.meta["next_review"] = "2024-01-01"
    state = history.review_state(doc, today=_dt.date(2024, 2, 1))
    assert state.overdue and "overdue" in state.message() and "31 days ago" in state.message()
    soon = history.review_state(doc, today=_dt.date(2023, 12, 20))
    assert soon.due_soon and not soon.overdue
    assert not history.review_state(doc, today=_dt.date(2023, 1, 1)).due_soon


def test_restore_is_a_new_revision(doc_ws, author):
    ws, slug = doc_ws
    first = ws.history(slug)[-1].sha
    before = len(ws.history(slug))
    commit = history.restore(ws, slug, "HEAD~1", author)
    assert commit is not None and len(ws.history(slug)) == before + 1
    assert "24 hours" in ws.load(slug).body
    assert ws.read_at(slug, commit) == ws.read_at(slug, first)
    assert "Restored-from: " + first in ws.history(slug, max_count=1)[0].message
    assert history.restore(ws, slug, first, author) is None  # same content: nothing to do


def test_resolve_versions_head_and_ids(doc_ws, author):
    ws, slug = doc_ws
    revs = ws.history(slug)
    pub = history.publish(ws, slug, "Approved", "Dana", author)
    assert history.resolve(ws, slug, "v1.0") == pub.commit
    assert history.resolve(ws, slug, "1.0") == pub.commit
    assert history.resolve(ws, slug, "HEAD") == pub.commit
    assert history.resolve(ws, slug, "HEAD~1") == revs[0].sha
    assert history.resolve(ws, slug, revs[1].sha[:10]) == revs[1].sha
    # HEAD~N counts this document's revisions, not other documents' saves.
    ws.create_document(_doc("# Other\n", "Other policy"), author)
    assert history.resolve(ws, slug, "HEAD~1") == revs[0].sha
    with pytest.raises(RevisionError, match="no published version 9.9"):
        history.resolve(ws, slug, "v9.9")
    with pytest.raises(RevisionError, match="goes back further"):
        history.resolve(ws, slug, "HEAD~50")


@pytest.mark.parametrize("bad", ["--output=/tmp/x", "-p", "HEAD;rm", "a..b", "HEAD:file", "", "v1.0 --all"])
def test_revision_starting_with_dash_is_refused_before_git(doc_ws, bad, monkeypatch):
    ws, slug = doc_ws
    calls = []
    import git

    original = git.cmd.Git.execute

    def spy(self, command, *args, **kwargs):
        calls.append(command)
        return original(self, command, *args, **kwargs)

    monkeypatch.setattr(git.cmd.Git, "execute", spy)
    with pytest.raises(RevisionError):
        history.resolve(ws, slug, bad)
    with pytest.raises(RevisionError):
        history.text_at(ws, slug, bad)
    assert not any(bad and bad in " ".join(map(str, c)) for c in calls)


def test_blame_per_paragraph(doc_ws, author):
    ws, slug = doc_ws
    paragraphs = blame.blame(ws, slug)
    by_text = {p.text: p for p in paragraphs}
    assert by_text["We answer within 12 hours."].author == OTHER.name
    assert by_text["We answer within 12 hours."].summary == "Faster answers"
    assert by_text["Every team member who posts."].author == author.name
    assert by_text["## Response time"].first_line == 6
    # Unsaved text in the editor: the edited paragraph is not saved yet.
    text = ws.load(slug).to_text().replace("Every team member", "Each team member")
    para = blame.blame_at_line(ws, slug, 4, text)
    assert para is not None and para.uncommitted
    assert blame.blame_at_line(ws, slug, 8, text).author == OTHER.name


def test_missing_document(workspace):
    with pytest.raises(DocumentNotFound):
        history.history(workspace, "nope")


def test_who_made_the_changes_since_a_published_version(doc_ws, author):
    """What changed since the approved version, and who changed it?"""
    ws, slug = doc_ws
    third = Identity("Third Person", "third@example.org")
    pub = history.publish(ws, slug, "Approved", "Dana Approver", author, today=_dt.date(2024, 3, 10))
    approved = f"v{pub.version}"
    _edit(ws, slug, "Every team member who posts.", "Every team member who posts on our behalf.", third, "Scope")
    _edit(ws, slug, "We answer within 12 hours.", "We answer within 12 hours.\n\nUrgent posts: one hour.", OTHER, "Urgent")
    result = diff_revisions(ws, slug, approved, "HEAD")
    authors = blame.change_authors(ws, slug, result, approved, "HEAD")
    by_title = {result.rows[i].title: [(b.author, b.summary) for b in found] for i, found in authors.items()}
    # The "12 hours" edit by Second Writer came before the approval: not listed.
    assert by_title == {"Who takes part": [("Third Person", "Scope")], "Response time": [("Second Writer", "Urgent")]}
    # Against the text in the editor: unsaved edits are "not saved yet".
    text = ws.load(slug).to_text().replace("Urgent posts", "Very urgent posts").replace("## Response time", "## Response times")
    result = diff_texts(history.text_at(ws, slug, approved), text)
    authors = blame.change_authors(ws, slug, result, approved, history.WORKING, text)
    row = next(i for i, r in enumerate(result.rows) if r.title == "Response times")
    assert [b.sha == blame.UNSAVED_SHA for b in authors[row]] == [True]
    assert all(b.author != author.name for found in authors.values() for b in found)
    # Compared backwards (the new side older than the old one): nobody to name.
    first = ws.history(slug)[-1].sha
    backwards = diff_texts(history.text_at(ws, slug, "HEAD"), history.text_at(ws, slug, first))
    assert backwards.has_changes and blame.change_authors(ws, slug, backwards, "HEAD", first) == {}


def test_change_authors_keep_to_each_block(workspace, author):
    """Headings and list items with no blank line between them: an edit to
    one is never credited to its neighbour's section or item."""
    body = "# Policy\n\n## A\nText a.\n## B\nText b.\n\n- one\n- two\n"
    slug, _ = workspace.create_document(_doc(body), author)
    first = workspace.history(slug)[0].sha
    third = Identity("Third Person", "third@example.org")
    _edit(workspace, slug, "## B\n", "## Bee\n", OTHER, "Rename B")
    _edit(workspace, slug, "Text a.", "Text a, changed.", third, "Edit A")
    _edit(workspace, slug, "- two", "- two and more", author, "Item")
    result = diff_revisions(workspace, slug, first, "HEAD")
    authors = blame.change_authors(workspace, slug, result, first, "HEAD")
    by_title = {result.rows[i].title: [b.summary for b in found] for i, found in authors.items()}
    assert by_title == {"A": ["Edit A"], "Bee": ["Item", "Rename B"]} or by_title == {"A": ["Edit A"], "Bee": ["Rename B", "Item"]}


def test_a_version_tag_reads_its_trailers_and_summary():
    import re

    from guidelines_app.core.gitrecords import TagRef
    from guidelines_app.review.revisions import Version, _parse_tag

    name_re = re.compile(re.escape("policy") + r"/v(\d+)\.(\d+)$")
    message = ("Version 2.1 of Policy\n\nNew response times.\nStatus: draft (kept)\nSecond line of the summary.\n"
               "Approver:  Dana Reviewer \nApprover: Lee Chen\nOverride: the check was wrong\nNot-a-trailer: x\n")
    pub = _parse_tag(TagRef("policy/v2.1", "c" * 40, "Pat", "pat@example.org", None, message), name_re)
    assert pub.version == Version(2, 1) and pub.commit == "c" * 40 and pub.publisher == "Pat"
    assert pub.approver == "Lee Chen"  # the last of a repeated trailer
    assert pub.status == "draft (kept)" and pub.override == "the check was wrong"
    assert pub.summary == "New response times.\nSecond line of the summary.\nNot-a-trailer: x"
    plain = _parse_tag(TagRef("policy/v3.0", "d" * 40, "", "", None, ""), name_re)
    assert plain.status == "approved" and plain.approver == "" and plain.summary == ""
    assert _parse_tag(TagRef("policy/v3.0-rc", "d" * 40, "", "", None, ""), name_re) is None
    assert _parse_tag(TagRef("policy-two/v1.0", "d" * 40, "", "", None, ""), name_re) is None
