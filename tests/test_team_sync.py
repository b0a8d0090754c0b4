"""Team sync with real git: a bare repository in a temporary folder and the
same served by ``git daemon`` on 127.0.0.1; two workspaces, two authors."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from team_helpers import ANA, BO, GitDaemon, daemon_missing, edit, git, shared_pair

from guidelines_app.core import remotes, sync
from guidelines_app.core.conflicts import BOTH, EDIT, OURS, THEIRS
from guidelines_app.core.document import Document
from guidelines_app.core.errors import (
    GuidelinesError,
    NotAWorkspace,
    PushRejected,
    RemoteRefused,
    RemoteUnreachable,
    SyncPending,
    WorkspaceError,
)
from guidelines_app.core.workspace import Workspace


@pytest.fixture
def pair(tmp_path):
    wa, wb, url = shared_pair(tmp_path)
    yield wa, wb
    wa.close()
    wb.close()


@pytest.fixture
def daemon(tmp_path):
    reason = daemon_missing()
    if reason:
        pytest.skip(reason)
    (tmp_path / "shared").mkdir(exist_ok=True)
    with GitDaemon(tmp_path / "shared") as d:
        yield d


def _authors(ws: Workspace) -> list[str]:
    return git(ws.root, "log", "--format=%an", "--no-merges").split("\n")


def _keep_in_step(wa: Workspace, wb: Workspace) -> None:
    edit(wa, ANA, "These guidelines cover all staff.", "These guidelines cover all staff and contractors.")
    edit(wb, BO, "Be kind and accurate.", "Be kind, accurate and quick.")
    assert sync.sync(wa, ANA).outcome == sync.SENT
    result = sync.sync(wb, BO)
    assert result.outcome == sync.MERGED
    assert result.received == {"guidelines/social.md": [ANA.name]}
    assert sync.sync(wa, ANA).outcome == sync.RECEIVED
    for ws in (wa, wb):
        text = ws.path("social").read_text(encoding="utf-8")
        assert "all staff and contractors." in text and "Be kind, accurate and quick." in text
        assert {ANA.name, BO.name} <= set(_authors(ws))
        assert sync.ahead_behind(ws) == (0, 0)
    assert git(wa.root, "rev-parse", "HEAD") == git(wb.root, "rev-parse", "HEAD")


def test_two_people_keep_one_set_of_guidelines_through_a_bare_repository(pair):
    _keep_in_step(*pair)


def test_two_people_keep_one_set_of_guidelines_through_git_daemon(tmp_path, daemon):
    remotes.create_bare(tmp_path / "shared" / "guidelines.git")
    wa, wb, url = shared_pair(tmp_path / "w", daemon.url("guidelines.git"))
    try:
        assert url.startswith("git://127.0.0.1:")
        assert remotes.remotes(wb.store)[0].url == url
        _keep_in_step(wa, wb)
    finally:
        wa.close()
        wb.close()


def _conflict_in_scope(wa, wb):
    edit(wa, ANA, "These guidelines cover all staff.", "These guidelines cover every employee.")
    edit(wb, BO, "These guidelines cover all staff.", "These guidelines cover staff in every country.")
    sync.sync(wa, ANA)
    head = git(wb.root, "rev-parse", "HEAD")
    return sync.sync(wb, BO), head


@pytest.mark.parametrize("how", [OURS, THEIRS, BOTH, EDIT])
def test_a_conflict_in_the_same_paragraph_is_decided_each_way(pair, how):
    wa, wb = pair
    result, head = _conflict_in_scope(wa, wb)
    assert result.outcome == sync.CONFLICTS
    [conflict] = result.conflicts
    assert (conflict.path, conflict.label) == ("guidelines/social.md", "Section “Scope”")
    assert "every country" in conflict.ours and "every employee" in conflict.theirs
    assert git(wb.root, "rev-parse", "HEAD") == head  # nothing moved while a person decides
    assert "<<<<<<<" not in wb.path("social").read_text(encoding="utf-8")
    sync.choose(wb, conflict, how, "## Scope\n\nThese guidelines cover everyone, everywhere.\n\n")
    sync.finish(wb, BO)
    text = wb.path("social").read_text(encoding="utf-8")
    expected = {OURS: ["every country"], THEIRS: ["every employee"], BOTH: ["every country", "every employee"],
                EDIT: ["everyone, everywhere"]}[how]
    for words in expected:
        assert words in text
    assert text.count("## Scope") == 1
    assert ("every country" in text) == (how in (OURS, BOTH))
    parents = git(wb.root, "log", "-1", "--format=%P").split()
    assert len(parents) == 2  # an ordinary merge revision
    assert git(wb.root, "status", "--porcelain") == ""
    assert sync.sync(wb, BO).outcome in (sync.SENT, sync.UP_TO_DATE)
    assert sync.sync(wa, ANA).outcome == sync.RECEIVED
    assert wa.path("social").read_text(encoding="utf-8") == text


def test_front_matter_conflicts_are_decided_field_by_field(pair):
    wa, wb = pair
    a = Document.parse(wa.path("social").read_text(encoding="utf-8"))
    a.meta["status"], a.meta["version"] = "in review", "0.2"
    wa.save_text("social", a.to_text(), ANA)
    b = Document.parse(wb.path("social").read_text(encoding="utf-8"))
    b.meta["status"], b.meta["owners"] = "approved", ["Ana Centre", "Bo Spoke"]
    wb.save_text("social", b.to_text(), BO)
    sync.sync(wa, ANA)
    result = sync.sync(wb, BO)
    assert [c.label for c in result.conflicts] == ["Detail “Status”"]  # version and owners merged by themselves
    [status] = result.conflicts
    assert (status.ours, status.theirs, status.base) == ("Approved", "In review", "Draft")  # (as Document Details names them)
    sync.choose(wb, status, THEIRS)
    sync.finish(wb, BO)
    merged = Document.parse(wb.path("social").read_text(encoding="utf-8"))
    assert (merged.status, merged.version, merged.owners) == ("in review", "0.2", ["Ana Centre", "Bo Spoke"])
    assert "<<<<<<<" not in wb.path("social").read_text(encoding="utf-8")


def _snapshot(ws: Workspace) -> dict[str, bytes]:
    files = {str(p.relative_to(ws.root)): p.read_bytes() for p in ws.root.rglob("*")
             if p.is_file() and ".git" not in p.relative_to(ws.root).parts}
    git_dir = ws.root / ".git"
    files[".git/index"] = (git_dir / "index").read_bytes()
    files[".git/HEAD"] = (git_dir / "HEAD").read_bytes()
    files["HEAD commit"] = git(ws.root, "rev-parse", "HEAD").encode()
    return files


def test_abort_returns_the_workspace_byte_for_byte_to_before_the_sync(pair):
    wa, wb = pair
    edit(wa, ANA, "Be kind and accurate.", "Be kind.")
    sync.sync(wa, ANA)
    edit(wb, BO, "Be kind and accurate.", "Be accurate.")
    before = _snapshot(wb)
    result = sync.sync(wb, BO)
    assert result.conflicts
    sync.choose(wb, result.conflicts[0], OURS)  # a decision made, then the whole sync abandoned
    sync.abort(wb)
    after = _snapshot(wb)
    assert {k: hashlib.sha256(v).hexdigest() for k, v in after.items()} == \
        {k: hashlib.sha256(v).hexdigest() for k, v in before.items()}
    assert sync.pending(wb) is None
    with pytest.raises(Exception, match="no unfinished sync"):
        sync.abort(wb)


def test_an_unfinished_sync_is_reported_until_decided(pair):
    wa, wb = pair
    _conflict_in_scope(wa, wb)
    again = sync.sync(wb, BO)
    assert again.outcome == sync.CONFLICTS and again.conflicts[0].label == "Section “Scope”"
    with pytest.raises(SyncPending, match="still to decide"):
        sync.finish(wb, BO)
    sync.take(wb, "social", THEIRS)
    result = sync.sync(wb, BO)  # finishes the merge, then sends it
    assert result.outcome == sync.SENT
    assert "every employee" in wb.path("social").read_text(encoding="utf-8")


def test_what_is_left_to_decide_is_named_by_each_documents_title(pair):
    """Finishing with conflicts left names them as the app does: the
    document by its title (it said "social: Section: Scope; social:
    Details: organization"), what is in conflict in plain words, one
    document after the other."""
    wa, wb = pair
    crisis = Document.new("Crisis playbook", "Acme", owners=["Ana Centre"])
    crisis.body = "# Crisis playbook\n\n## First hour\n\nCall the lead.\n"
    wa.create_document(crisis, ANA, slug="crisis")
    sync.sync(wa, ANA)
    sync.sync(wb, BO)
    for ws, who, words in ((wa, ANA, "Ana's"), (wb, BO, "Bo's")):
        edit(ws, who, "organization: Acme", f"organization: Acme ({words} team)")
        edit(ws, who, "These guidelines cover all staff.", f"{words} scope.")
        edit(ws, who, "Call the lead.", f"Call {words} lead.", slug="crisis")
    sync.sync(wa, ANA)
    assert len(sync.sync(wb, BO).conflicts) == 3
    with pytest.raises(SyncPending) as refused:
        sync.finish(wb, BO)
    assert str(refused.value) == ("cannot finish the sync: 3 conflicts still to decide: section “First hour” in “Crisis "
                                  "playbook”; detail “Organization” and section “Scope” in “Social media guidelines”")


def _two_conflicts_decided(wa, wb) -> None:
    """Ana and Bo both rewrote Scope and Tone; Bo's sync stops at the two
    conflicts, and he decides Scope as theirs (Ana's) and Tone as ours."""
    edit(wa, ANA, "These guidelines cover all staff.", "These guidelines cover every employee.")
    edit(wa, ANA, "Be kind and accurate.", "Be kind.")
    sync.sync(wa, ANA)
    edit(wb, BO, "These guidelines cover all staff.", "These guidelines cover staff in every country.")
    edit(wb, BO, "Be kind and accurate.", "Be accurate.")
    scope, tone = sorted(sync.sync(wb, BO).conflicts, key=lambda c: c.label)
    assert (scope.label, tone.label) == ("Section “Scope”", "Section “Tone”")
    sync.choose(wb, scope, THEIRS)
    sync.choose(wb, tone, OURS)


def test_revisions_saved_while_a_sync_waits_for_decisions_go_into_it_and_the_decisions_stay(pair):
    """A sync stopped at conflicts, then a revision saved: finishing
    refused ("abort it and sync again"), and every decision was lost with
    the abort.  The saves go into the merge; a decision stays while its
    conflict is the same, and a conflict the saves changed is asked again."""
    wa, wb = pair
    _two_conflicts_decided(wa, wb)
    # A revision saved elsewhere in the text: both decisions stand, and it is in the merge.
    edit(wb, BO, "Ask the press office.", "Ask the press office first.")
    assert sync.pending(wb).open_conflicts() == []
    sync.finish(wb, BO)
    text = wb.path("social").read_text(encoding="utf-8")
    assert "every employee" in text and "Be accurate." in text and "Ask the press office first." in text
    assert "every country" not in text and "Be kind." not in text
    assert git(wb.root, "status", "--porcelain") == ""
    assert sync.sync(wb, BO).outcome == sync.SENT
    assert sync.sync(wa, ANA).outcome == sync.RECEIVED
    assert wa.path("social").read_text(encoding="utf-8") == text


def test_a_revision_saved_in_a_conflicting_section_asks_for_that_decision_again(pair):
    wa, wb = pair
    _two_conflicts_decided(wa, wb)
    # Bo rewrites the Scope he decided on: that decision no longer stands; Tone's does.
    edit(wb, BO, "These guidelines cover staff in every country.", "These guidelines cover staff and volunteers.")
    state = sync.pending(wb)
    [left] = state.open_conflicts()
    assert left.label == "Section “Scope”" and "volunteers" in left.ours
    assert state.again == {left.path: [left.key]}  # (the resolver says it was decided once: decide it again)
    with pytest.raises(SyncPending) as refused:
        sync.finish(wb, BO)
    assert str(refused.value) == "cannot finish the sync: 1 conflict still to decide: section “Scope” in “Social media guidelines”"
    assert sync.sync(wb, BO).conflicts == [left]  # (the indicator and Sync say the same)
    sync.choose(wb, left, OURS)
    assert sync.pending(wb).again == {}
    sync.finish(wb, BO)
    text = wb.path("social").read_text(encoding="utf-8")
    assert "staff and volunteers" in text and "Be accurate." in text and "every employee" not in text


def test_decisions_to_make_again_are_kept_while_others_are_made(pair):
    """Both decided sections rewritten since: both to decide again; deciding
    one keeps the other marked (the record keeps it, HEAD no longer moved)."""
    wa, wb = pair
    _two_conflicts_decided(wa, wb)
    edit(wb, BO, "These guidelines cover staff in every country.", "These guidelines cover staff and volunteers.")
    edit(wb, BO, "Be accurate.", "Be accurate and quick.")
    scope, tone = sorted(sync.pending(wb).open_conflicts(), key=lambda c: c.label)
    assert sorted(sync.pending(wb).again[scope.path]) == sorted([scope.key, tone.key])
    sync.choose(wb, tone, OURS)
    state = sync.pending(wb)
    assert state.ours == git(wb.root, "rev-parse", "HEAD").strip()  # (the record moved on with the decision)
    assert state.again == {scope.path: [scope.key]} and state.open_conflicts() == [scope]
    sync.take(wb, "social", THEIRS)
    assert sync.pending(wb).again == {}


def test_published_versions_and_sign_off_records_travel(pair):
    wa, wb = pair
    head = git(wa.root, "rev-parse", "HEAD").strip()
    wa.store.create_tag("social/v1.0", head, "Version 1.0", ANA)
    who = ("-c", "user.name=Someone", "-c", "user.email=someone@example.org")
    git(wa.root, *who, "notes", "--ref=guidelines-signoffs", "add", "-m", "signed-off: Ana Centre (legal)", head)
    git(wb.root, *who, "notes", "--ref=guidelines-signoffs", "add", "-m", "signed-off: Bo Spoke (spokes)", head)
    sync.sync(wa, ANA)
    sync.sync(wb, BO)  # brings in Ana's tag and record, joins both records, sends them
    sync.sync(wa, ANA)
    for ws in (wa, wb):
        assert "social/v1.0" in ws.store.tags()
        note = git(ws.root, "notes", "--ref=guidelines-signoffs", "show", head)
        assert "signed-off: Ana Centre (legal)" in note and "signed-off: Bo Spoke (spokes)" in note
    clone = Workspace.open(remotes.clone(remotes.url_of(wa.store, "origin"), wa.root.parent / "carla"))
    try:
        assert "social/v1.0" in clone.store.tags()
        assert "Bo Spoke" in git(clone.root, "notes", "--ref=guidelines-signoffs", "show", head)
    finally:
        clone.close()


def test_a_push_rejected_because_someone_pushed_first_is_retried_once(pair):
    wa, wb = pair
    edit(wa, ANA, "Ask the press office.", "Ask the press office first.")
    edit(wb, BO, "Intro for everyone.", "Intro for all of us.")

    def bo_pushes_just_before_ana(done, total):
        if done == 2 and not pushed:  # Ana has fetched and merged; her push comes next
            pushed.append(sync.sync(wb, BO).outcome)

    pushed: list[str] = []
    result = sync.sync(wa, ANA, progress=bo_pushes_just_before_ana)
    assert pushed == [sync.SENT]
    assert result.outcome == sync.MERGED  # brought in Bo's revision after the refusal, then sent
    text = wa.path("social").read_text(encoding="utf-8")
    assert "press office first." in text and "Intro for all of us." in text
    assert sync.ahead_behind(wa) == (0, 0)


def test_a_second_refusal_says_so_and_keeps_local_work(pair):
    wa, wb = pair
    edit(wa, ANA, "Ask the press office.", "Ask the press office first.")
    n = [0]

    def bo_always_first(done, total):
        if done == 2:
            n[0] += 1
            edit(wb, BO, "Intro", f"Intro {n[0]}", slug="social")
            sync.sync(wb, BO)

    head = git(wa.root, "rev-parse", "HEAD")
    with pytest.raises(PushRejected, match="colleagues sent theirs at the same time") as caught:
        sync.sync(wa, ANA, progress=bo_always_first)
    assert caught.value.remedy is not None
    assert "press office first." in wa.path("social").read_text(encoding="utf-8")
    assert git(wa.root, "merge-base", "--is-ancestor", head.strip(), "HEAD") == ""  # nothing of Ana's lost


REFUSED = ["ext::sh -c touch% {marker}", "--upload-pack=touch {marker}", "-oProxyCommand=touch {marker}",
           "ssh://-oProxyCommand=touch%20{marker}/x", "fd::17", "http://example.org/repo.git",
           "git://example.org/repo.git", "https://example.org/repo.git --upload-pack=touch {marker}",
           "https://ana:secret@example.org/repo.git"]


@pytest.mark.parametrize("template", REFUSED)
def test_refused_urls_never_run_anything(tmp_path, workspace, template):
    marker = tmp_path / "pwned"
    url = template.format(marker=marker)
    pwned_before = Path("/tmp/pwned").exists()
    with pytest.raises(RemoteRefused, match="cannot be used as a shared copy"):
        remotes.add_remote(workspace.store, "origin", url)
    with pytest.raises(RemoteRefused):
        remotes.clone(url, tmp_path / "copy")
    assert remotes.remotes(workspace.store) == []
    assert not (tmp_path / "copy").exists()
    assert not marker.exists()
    assert Path("/tmp/pwned").exists() == pwned_before


def test_accepted_addresses(tmp_path):
    bare = remotes.create_bare(tmp_path / "b.git")
    for url in ("https://github.com/acme/guidelines.git", "ssh://git@gitlab.example.org:2222/acme/guidelines.git",
                "git@github.com:acme/guidelines.git", "git://127.0.0.1:9418/guidelines.git", bare):
        assert remotes.validate_url(url) == url
    (tmp_path / "empty").mkdir()
    with pytest.raises(RemoteRefused, match="not a bare git repository"):
        remotes.validate_url(str(tmp_path / "empty"))


def test_a_workspace_or_a_folder_of_files_is_no_shared_copy_and_git_init_there_is_not_advised(tmp_path, workspace):
    """The advice was "create one with 'git init --bare <that folder>'", on a
    folder holding a workspace's files."""
    for folder in (workspace.root, tmp_path / "ws" / "guidelines"):
        with pytest.raises(RemoteRefused, match="is (a folder of files|inside ).*, not a shared copy") as caught:
            remotes.validate_url(str(folder))
        assert f"git init --bare {folder}" not in str(caught.value) and "new, empty folder" in str(caught.value)


def test_a_copy_is_refused_where_it_cannot_be_made_without_blaming_the_shared_copy(tmp_path):
    bare = remotes.create_bare(tmp_path / "shared.git")
    afile = tmp_path / "notes.txt"
    afile.write_text("x", encoding="utf-8")
    for dest, words in ((afile, "is a file, not a folder"), (afile / "copy", "notes.txt is a file; choose another place"),
                        (Path("/proc/no-such/copy"), "cannot make the folder /proc/no-such/copy")):
        with pytest.raises(WorkspaceError, match=re.escape(words)) as caught:
            remotes.clone(bare, dest)
        assert "shared copy at" not in str(caught.value) and "untouched" not in str(caught.value)
    assert afile.read_text(encoding="utf-8") == "x"


def test_a_remote_that_is_not_a_workspace(tmp_path, workspace, author):
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q", "-b", "main")
    (other / "README.txt").write_text("not guidelines\n")
    git(other, "add", "README.txt")
    git(other, "-c", "user.name=x", "-c", "user.email=x@y", "commit", "-qm", "x")
    bare = tmp_path / "other.git"
    git(tmp_path, "clone", "-q", "--bare", str(other), str(bare))
    with pytest.raises(NotAWorkspace, match="not a guidelines workspace"):
        remotes.clone(str(bare), tmp_path / "copy")
    assert not (tmp_path / "copy").exists()
    workspace.create_document(Document.new("Policy", "Acme"), author, slug="policy")
    remotes.add_remote(workspace.store, "origin", str(bare))
    head = git(workspace.root, "rev-parse", "HEAD")
    with pytest.raises(NotAWorkspace, match="untouched"):
        sync.sync(workspace, author)
    assert git(workspace.root, "rev-parse", "HEAD") == head


def test_an_unreachable_remote_leaves_local_work_alone(tmp_path, workspace, author):
    from team_helpers import free_port

    workspace.create_document(Document.new("Policy", "Acme"), author, slug="policy")
    remotes.add_remote(workspace.store, "origin", f"git://127.0.0.1:{free_port()}/nothing.git")
    head = git(workspace.root, "rev-parse", "HEAD")
    with pytest.raises(RemoteUnreachable, match="cannot be reached") as caught:
        sync.sync(workspace, author)
    assert "untouched" in str(caught.value)
    assert git(workspace.root, "rev-parse", "HEAD") == head
    assert git(workspace.root, "status", "--porcelain") == ""


def test_a_git_daemon_without_that_repository_is_said_as_missing_not_a_sign_in(tmp_path, workspace, author, daemon):
    """git daemon says "access denied or repository not exported" for an
    address it serves nothing at: that was reported as a sign-in the shared
    copy did not accept (git:// has no sign-in), with credential advice."""
    from team_helpers import GitDaemon

    workspace.create_document(Document.new("Policy", "Acme"), author, slug="policy")
    (tmp_path / "plain").mkdir()
    with GitDaemon(tmp_path / "plain", informative=False) as plain:
        remotes.add_remote(workspace.store, "origin", plain.url("nosuch.git"))
        with pytest.raises(GuidelinesError) as caught:
            sync.sync(workspace, author)
    said = str(caught.value)
    assert "sign-in" not in said and "credential" not in said, said
    assert "untouched" in said


def test_sync_refuses_to_run_over_unsaved_file_changes(pair):
    wa, wb = pair
    path = wb.path("social")
    path.write_text(path.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    with pytest.raises(Exception, match="not saved as a revision"):
        sync.sync(wb, BO)
    assert path.read_text(encoding="utf-8").endswith("More.\n")


def test_credential_advice_names_the_helper_to_set_up():
    from guidelines_app.core.gitfaults import credential_advice

    assert "credential helper" in credential_advice("https://github.com/acme/g.git")
    assert "SSH agent" in credential_advice("git@github.com:acme/g.git")
    assert "SSH agent" in credential_advice("ssh://git@host/acme/g.git")


def test_remotes_are_added_changed_listed_and_removed(tmp_path, workspace):
    one, two = remotes.create_bare(tmp_path / "one.git"), remotes.create_bare(tmp_path / "two.git")
    remotes.add_remote(workspace.store, "origin", one)
    with pytest.raises(Exception, match="exists already"):
        remotes.add_remote(workspace.store, "origin", two)
    remotes.set_url(workspace.store, "origin", two)
    assert remotes.remotes(workspace.store) == [remotes.Remote("origin", two)]
    with pytest.raises(RemoteRefused):
        remotes.add_remote(workspace.store, "-x", one)
    remotes.remove_remote(workspace.store, "origin")
    assert remotes.remotes(workspace.store) == []
    assert sync.ahead_behind(workspace) is None


def test_a_version_published_differently_on_both_sides_is_named(pair):
    wa, wb = pair
    edit(wa, ANA, "Intro for everyone.", "Intro A.")
    edit(wb, BO, "Ask the press office.", "Ask B.")
    wa.store.create_tag("social/v2.0", git(wa.root, "rev-parse", "HEAD").strip(), "2.0", ANA)
    wb.store.create_tag("social/v2.0", git(wb.root, "rev-parse", "HEAD").strip(), "2.0", BO)
    sync.sync(wa, ANA)
    head = git(wb.root, "rev-parse", "HEAD")
    with pytest.raises(Exception, match=r"published version social/v2.0 exists here and in .* different revisions"):
        sync.sync(wb, BO)
    assert git(wb.root, "rev-parse", "HEAD") == head


def test_the_first_sync_of_a_new_workspace_brings_the_shared_documents(pair, tmp_path):
    wa, _wb = pair
    fresh = Workspace.create(tmp_path / "fresh")
    try:
        remotes.add_remote(fresh.store, "origin", remotes.url_of(wa.store, "origin"))
        result = sync.sync(fresh, BO)
        assert result.outcome == sync.RECEIVED and "guidelines/social.md" in result.received
        assert fresh.path("social").is_file()
    finally:
        fresh.close()


def test_a_refused_sign_in_names_the_credential_helper_to_set_up(tmp_path, workspace, author, monkeypatch):
    import shutil

    from team_helpers import SignInRequired

    from guidelines_app.core.errors import AuthenticationFailed

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test server's certificate")
    monkeypatch.setenv("GIT_SSL_NO_VERIFY", "1")  # the test server's own certificate
    server = SignInRequired(tmp_path)
    try:
        workspace.create_document(Document.new("Policy", "Acme"), author, slug="policy")
        remotes.add_remote(workspace.store, "origin", server.url("guidelines.git"))
        head = git(workspace.root, "rev-parse", "HEAD")
        with pytest.raises(AuthenticationFailed, match="did not accept your sign-in") as caught:
            sync.sync(workspace, author)  # git must not wait for a password: the test would hang
        assert "credential helper" in str(caught.value) and "credential" in caught.value.remedy.hint
        assert git(workspace.root, "rev-parse", "HEAD") == head
        with pytest.raises(AuthenticationFailed):
            remotes.clone(server.url("guidelines.git"), tmp_path / "copy")
        assert not (tmp_path / "copy").exists()
    finally:
        server.stop()


def test_a_damaged_record_of_an_unfinished_sync_can_still_be_aborted(pair):
    wa, wb = pair
    _conflict_in_scope(wa, wb)
    record = wb.root / ".git" / sync.STATE_FILE
    record.write_text("{not json", encoding="utf-8")
    with pytest.raises(SyncPending, match="cannot be read.*sync --abort"):
        sync.sync(wb, BO)
    sync.abort(wb)
    assert not record.exists()
    assert sync.sync(wb, BO).outcome == sync.CONFLICTS  # the same sync, from the start


def test_a_workspace_whose_branch_is_named_otherwise_syncs_with_the_shared_branch(pair, tmp_path):
    """git versions and hosts name the first branch "master" or "main": a
    workspace started under another name takes the shared copy's one branch."""
    wa, _wb = pair
    shared_branch = git(wa.root, "symbolic-ref", "--short", "HEAD").strip()
    fresh = Workspace.create(tmp_path / "fresh")
    try:
        git(fresh.root, "symbolic-ref", "HEAD", "refs/heads/trunk")
        remotes.add_remote(fresh.store, "origin", remotes.url_of(wa.store, "origin"))
        assert sync.sync(fresh, BO).outcome == sync.RECEIVED
        assert git(fresh.root, "symbolic-ref", "--short", "HEAD").strip() == shared_branch
        edit(fresh, BO, "Be kind and accurate.", "Be kind, accurate and quick.")
        assert sync.sync(fresh, BO).outcome == sync.SENT
        assert sync.sync(wa, ANA).outcome == sync.RECEIVED
        assert "Be kind, accurate and quick." in wa.path("social").read_text(encoding="utf-8")
        assert git(fresh.root, "branch", "--format=%(refname:short)").split() == [shared_branch]
    finally:
        fresh.close()


def test_a_new_address_is_synced_with_as_a_new_copy(pair, tmp_path):
    """After `remote set-url` to a new, empty shared copy, sync sent every
    revision there but said "up to date": it compared with what it had last
    seen at the old address."""
    wa, _wb = pair
    fresh = remotes.create_bare(tmp_path / "moved" / "guidelines.git")
    remotes.set_url(wa.store, "origin", fresh)
    result = sync.sync(wa, ANA)
    assert result.outcome == sync.SENT
    assert git(wa.root, "rev-parse", "HEAD") == git(Path(fresh), "rev-parse", "HEAD")
