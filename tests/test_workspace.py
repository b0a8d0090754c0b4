"""Workspaces on real git repositories: create, save revisions, history."""

from __future__ import annotations

import subprocess

import pytest

from guidelines_app.core.document import Document
from guidelines_app.core.errors import DocumentExists, FrontMatterError, IdentityMissing, RevisionError, WorkspaceError
from guidelines_app.core.gitstore import Identity
from guidelines_app.core.settings import Settings
from guidelines_app.core.workspace import Workspace, choose_workspace_dir


def git(ws, *args) -> str:
    return subprocess.run(["git", "-C", str(ws.root), *args], check=True, capture_output=True, text=True).stdout


def test_create_workspace_is_a_git_repository_with_a_guidelines_folder(tmp_path):
    with Workspace.create(tmp_path / "new") as ws:
        assert (ws.root / ".git").is_dir()
        assert (ws.root / "guidelines").is_dir()
        assert git(ws, "rev-parse", "--is-inside-work-tree").strip() == "true"
    # Creating again opens the same workspace.
    with Workspace.create(tmp_path / "new") as again:
        assert again.documents() == []


def test_open_refuses_a_folder_that_is_not_a_workspace(tmp_path):
    with pytest.raises(WorkspaceError, match="not a guidelines workspace"):
        Workspace.open(tmp_path)
    with pytest.raises(WorkspaceError, match="no workspace"):
        Workspace.open(tmp_path / "missing")


def test_first_revision_and_history(workspace, author):
    slug, result = workspace.create_document(Document.new("Social media guidelines", "Acme"), author)
    assert slug == "social-media-guidelines"
    assert result.saved and result.message == "Create Social media guidelines"
    log = git(workspace, "log", "--format=%H|%an|%ae|%s").strip().splitlines()
    assert log == [f"{result.commit}|{author.name}|{author.email}|Create Social media guidelines"]
    history = workspace.history(slug)
    assert [r.sha for r in history] == [result.commit]
    assert history[0].author == author.name


def test_save_commits_only_that_file_with_a_section_message(workspace, author):
    slug, _ = workspace.create_document(Document.new("Policy"), author)
    doc = workspace.load(slug)
    doc.body += "## When\n\nDuring launches.\n"
    (workspace.root / "notes.txt").write_text("not part of the save\n")
    result = workspace.save_text(slug, doc.to_text(), author)
    assert result.message == "Add When"
    files = git(workspace, "show", "--name-only", "--format=", "HEAD").split()
    assert files == ["guidelines/policy.md"]
    assert "notes.txt" in git(workspace, "status", "--porcelain")

    doc = workspace.load(slug)
    doc.body = doc.body.replace("During launches.", "During launches and crises.") + "## Where\n\nLinkedIn.\n"
    result = workspace.save_text(slug, doc.to_text(), author)
    assert result.message == "Edit When; add Where"
    assert len(workspace.history(slug)) == 3


def test_saving_unchanged_text_makes_no_commit(workspace, author):
    slug, first = workspace.create_document(Document.new("Policy"), author)
    text = workspace.path(slug).read_text()
    result = workspace.save_text(slug, text, author)
    assert not result.saved
    # Loading and writing back the document is byte-identical: no noise commit.
    result = workspace.save_text(slug, workspace.load(slug).to_text(), author)
    assert not result.saved
    assert [r.sha for r in workspace.history(slug)] == [first.commit]


def test_a_file_git_reads_as_unchanged_is_no_revision_though_its_bytes_differ(workspace, author):
    """Line endings git converts (core.autocrlf): the bytes on disk are not
    the newest revision's, yet git sees no change, and no revision is made
    (a save compares bytes first, and leaves the last word to git)."""
    slug, first = workspace.create_document(Document.new("Policy"), author)
    subprocess.run(["git", "config", "core.autocrlf", "true"], cwd=workspace.root, check=True)
    path = workspace.path(slug)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    subprocess.run(["git", "add", "--", workspace.relpath(slug)], cwd=workspace.root, check=True)  # as a checkout leaves it
    assert not workspace.has_unsaved_file_changes(slug)  # git: the same text
    result = workspace.commit_file(slug, author)
    assert not result.saved and result.message == ""
    assert [r.sha for r in workspace.history(slug)] == [first.commit]
    # A change in the words is still one.
    path.write_bytes(path.read_bytes() + b"More words.\r\n")
    assert workspace.commit_file(slug, author).saved and len(workspace.history(slug)) == 2


def test_content_at_each_revision(workspace, author):
    slug, first = workspace.create_document(Document.new("Policy"), author)
    v1 = workspace.path(slug).read_text()
    doc = workspace.load(slug)
    doc.body += "Second paragraph.\n"
    second = workspace.save_text(slug, doc.to_text(), author)
    assert workspace.read_at(slug, first.commit) == v1
    assert workspace.read_at(slug, first.commit[:8]) == v1
    assert workspace.read_at(slug, "HEAD~1") == v1
    assert workspace.read_at(slug, "HEAD").endswith("Second paragraph.\n")
    assert workspace.read_at(slug, second.commit) == workspace.path(slug).read_text()


@pytest.mark.parametrize("bad", ["--output=/tmp/x", "-p", "HEAD..main", "a b", "HEAD:file", "", "$(id)"])
def test_revision_text_that_is_not_a_revision_is_refused_before_git(workspace, author, bad):
    slug, _ = workspace.create_document(Document.new("Policy"), author)
    with pytest.raises(RevisionError):
        workspace.read_at(slug, bad)


def test_unknown_revision_is_a_clear_error(workspace, author):
    slug, _ = workspace.create_document(Document.new("Policy"), author)
    with pytest.raises(RevisionError, match="no revision 'deadbeef'"):
        workspace.read_at(slug, "deadbeef")


def test_save_is_atomic_and_refuses_malformed_details(workspace, author):
    slug, _ = workspace.create_document(Document.new("Policy"), author)
    before = workspace.path(slug).read_bytes()
    with pytest.raises(FrontMatterError, match="line 3"):
        workspace.save_text(slug, "---\ntitle: x\nowners: [oops\n---\nbody\n", author)
    assert workspace.path(slug).read_bytes() == before
    assert not list(workspace.path(slug).parent.glob(".*.tmp"))


def test_commit_file_edited_outside_the_app(workspace, author):
    path = workspace.root / "guidelines" / "placed-by-hand.md"
    path.write_text("# Placed by hand\n\nSome text.\n")
    result = workspace.commit_file("placed-by-hand", author)
    assert result.saved and result.message == "Create Placed by hand"
    assert not workspace.commit_file("placed-by-hand", author).saved
    path.write_text("---\ntitle: Broken\nowners: [\n---\n")
    with pytest.raises(FrontMatterError, match="placed-by-hand.md, line 3"):
        workspace.commit_file("placed-by-hand", author)
    assert len(workspace.history("placed-by-hand")) == 1


def test_documents_list_shows_unreadable_files_instead_of_hiding_them(workspace, author):
    workspace.create_document(Document.new("Good"), author)
    (workspace.root / "guidelines" / "bad.md").write_text("---\ntitle: [\n---\n")
    infos = {i.slug: i for i in workspace.documents()}
    assert infos["good"].title == "Good" and not infos["good"].error
    assert "bad.md" in infos["bad"].error


@pytest.mark.parametrize("slug, says", [("CON", "lower-case letters"), ("a b", "such as a-b"), ("con", "Windows keeps"),
                                        ("lpt1", "Windows keeps"), ("-x", "lower-case letters")])
def test_a_new_document_gets_a_name_every_copy_can_hold(workspace, author, slug, says):
    """`new --slug CON` or `--slug "a b"` made CON.md (which a colleague's
    copy on Windows cannot hold) and a name every command needs quoted."""
    with pytest.raises(WorkspaceError, match=says):
        workspace.create_document(Document.new("X"), author, slug=slug)
    assert list((workspace.root / "guidelines").iterdir()) == []


def test_a_title_windows_keeps_for_a_device_gets_a_name_it_can_hold(workspace, author):
    assert workspace.create_document(Document.new("Aux"), author)[0] == "aux-policy"
    assert workspace.create_document(Document.new("My policy"), author, slug="my_policy-2")[0] == "my_policy-2"


def test_a_folder_named_like_a_document_is_listed_in_words(workspace):
    """`list` said only "Is a directory" (the system's words) for it."""
    (workspace.root / "guidelines" / "notes.md").mkdir()
    [info] = workspace.documents()
    assert info.slug == "notes" and info.error == "guidelines/notes.md is a folder, not a document's file"


def test_a_document_file_replaced_by_a_link_is_never_saved_as_the_link(workspace, author, tmp_path):
    """`save` of a document whose file had become a symbolic link committed
    the link (git mode 120000): the revision held only a path, and a restore
    replaced the policy with it."""
    slug, _ = workspace.create_document(Document.new("Sym", body="# Sym\n\nText.\n"), author)
    outside = tmp_path / "outside.md"
    outside.write_text(workspace.path(slug).read_text(encoding="utf-8") + "Outside edit.\n", encoding="utf-8")
    workspace.path(slug).unlink()
    workspace.path(slug).symlink_to(outside)
    with pytest.raises(WorkspaceError, match="is a link to .*a revision would keep only the link"):
        workspace.commit_file(slug, author, "Edit")
    assert len(workspace.history(slug)) == 1
    # Saved from the app: the text replaces the link; the file it pointed to stays as it was.
    result = workspace.save_text(slug, workspace.load(slug).to_text(), author, "Saved in the app")
    assert result.saved and not workspace.path(slug).is_symlink()
    assert "Outside edit." in workspace.committed_text(slug) and "Outside edit." in outside.read_text(encoding="utf-8")
    mode = subprocess.run(["git", "-C", str(workspace.root), "ls-tree", "HEAD", workspace.relpath(slug)],
                          capture_output=True, text=True).stdout.split()[0]
    assert mode == "100644"


def test_titles_in_other_scripts_name_their_files_and_versions(workspace, author):
    """Titles in Russian or Chinese all became untitled.md, untitled-2.md;
    a hand-named файл shared the tags "untitled/v…" with every other, so the
    second one's first publication became version 1.1."""
    from guidelines_app.review import history

    ru, _ = workspace.create_document(Document.new("Правила для соцсетей"), author)
    zh, _ = workspace.create_document(Document.new("社交媒体指南"), author)
    assert (ru, zh) == ("правила-для-соцсетей", "社交媒体指南")
    assert workspace.path(ru).name == "правила-для-соцсетей.md" and workspace.load(zh).title == "社交媒体指南"
    (workspace.root / "guidelines" / "Политика.md").write_text("# Политика\n\nТекст.\n", encoding="utf-8")
    assert workspace.commit_file("Политика", author, "By hand").saved
    first = history.publish(workspace, ru, "First", "Dana", author)
    other = history.publish(workspace, "Политика", "First", "Dana", author)
    assert (str(first.version), str(other.version)) == ("1.0", "1.0")
    assert (first.tag, other.tag) == ("правила-для-соцсетей/v1.0", "Политика/v1.0")  # (as an ASCII name keeps its capitals)
    assert [p.tag for p in history.publications(workspace, "Политика")] == ["Политика/v1.0"]
    # Two names that differ by "_" and "-" keep their own versions (slugify would make both правила-v2).
    from guidelines_app.core.approval import tag_prefix

    assert (tag_prefix("правила_v2"), tag_prefix("правила-v2"), tag_prefix("rules_v2")) == ("правила_v2", "правила-v2", "rules_v2")
    # Named by hand: a name of lower-case letters in any script; capitals and spaces are refused, with a suggestion.
    assert workspace.create_document(Document.new("X"), author, slug="политика-2")[0] == "политика-2"
    with pytest.raises(WorkspaceError, match="such as политика-3"):
        workspace.create_document(Document.new("X"), author, slug="Политика 3")


def test_duplicate_titles_get_distinct_slugs(workspace, author):
    a, _ = workspace.create_document(Document.new("Policy"), author)
    b, _ = workspace.create_document(Document.new("Policy"), author)
    assert (a, b) == ("policy", "policy-2")
    with pytest.raises(DocumentExists):
        workspace.create_document(Document.new("Other"), author, slug="policy")


def test_identity_comes_from_settings_then_git_config(tmp_path, config_dir):
    with Workspace.create(tmp_path / "ws") as ws:
        with pytest.raises(IdentityMissing, match="author_name"):
            ws.identity(Settings())
        git(ws, "config", "user.name", "Config Person")
        git(ws, "config", "user.email", "config@example.org")
        assert ws.identity(Settings()) == Identity("Config Person", "config@example.org")
        assert ws.identity(Settings(author_name="App Person", author_email="app@example.org")).name == "App Person"


def test_workspace_folder_choice(tmp_path, monkeypatch):
    monkeypatch.delenv("GUIDELINES_WORKSPACE", raising=False)
    assert choose_workspace_dir(str(tmp_path / "a")) == tmp_path / "a"
    monkeypatch.setenv("GUIDELINES_WORKSPACE", str(tmp_path / "b"))
    assert choose_workspace_dir(None) == tmp_path / "b"
    monkeypatch.delenv("GUIDELINES_WORKSPACE")
    assert choose_workspace_dir(None).name == "Guidelines"
    with Workspace.create(tmp_path / "c") as ws:
        assert choose_workspace_dir(None, cwd=ws.root / "guidelines") == ws.root


def test_settings_survive_damage(config_dir):
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "settings.json").write_text('{"author_name": 5, "preview_delay_ms": 120, "recent_workspaces": "x"')
    assert Settings.load() == Settings()
    (config_dir / "settings.json").write_text('{"author_name": 5, "preview_delay_ms": 120, "unknown": 1}')
    loaded = Settings.load()
    assert loaded.author_name == "" and loaded.preview_delay_ms == 120
    assert loaded.unreadable is None  # (read: a value of the wrong type falls back to its default)


@pytest.mark.parametrize("content, why", [
    (b'{"author_name": "Dana", ', "line 1: Expecting property name"),
    ('{"author_name": "Dana Öz"}'.encode("utf-16"), "not UTF-8 text"),
    (b'["Dana"]', "holds no settings"),
])
def test_settings_that_cannot_be_read_say_why_and_are_kept_aside_not_written_over(config_dir, content, why):
    """A slip in a hand-edited settings.json: every setting was its default
    without a word, and the next change of a setting wrote over the file."""
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "settings.json"
    path.write_bytes(content)
    loaded = Settings.load()
    assert loaded == Settings() and why in loaded.unreadable and str(path) in loaded.unreadable
    assert Settings().unreadable is None and Settings.load(config_dir / "none.json").unreadable is None
    loaded.author_name = "Riley"
    loaded.save()
    assert (config_dir / "settings.json.unreadable").read_bytes() == content
    assert Settings.load().author_name == "Riley" and Settings.load().unreadable is None
    path.write_bytes(content)  # damaged again: the first copy stays, a second beside it
    Settings.load().save()
    assert (config_dir / "settings.json.unreadable").read_bytes() == content
    assert (config_dir / "settings.json.unreadable-2").read_bytes() == content


def test_editing_an_approved_document_makes_it_a_draft_again(workspace, author):
    from guidelines_app.review import history

    slug, _ = workspace.create_document(Document.new("Policy", body="# Policy\n\nRule one.\n"), author)
    history.publish(workspace, slug, summary="First version", approver="Head of Comms", author=author, version="1.0")
    assert workspace.load(slug).status == "approved"
    # Saving the approved text again changes nothing.
    assert not workspace.save_text(slug, workspace.path(slug).read_text(), author).saved
    doc = workspace.load(slug)
    doc.body += "\nRule two.\n"
    result = workspace.save_text(slug, doc.to_text(), author)
    assert result.saved and "\n" not in result.message
    reopened = workspace.load(slug)
    assert reopened.status == "draft" and reopened.version == "1.0"
    entries = history.history(workspace, slug)
    assert entries[0].status == "draft" and entries[1].status == "approved"
    # The same rule for a file edited outside the app and saved from the command line.
    history.publish(workspace, slug, summary="Second", approver="Head of Comms", author=author, version="1.1")
    path = workspace.path(slug)
    path.write_text(path.read_text() + "\nRule three.\n")
    assert workspace.commit_file(slug, author).saved
    assert workspace.load(slug).status == "draft"


# ---- changes no revision has, and what a killed save leaves behind -------------


def test_uncommitted_documents_and_their_recovery(workspace, author):
    from guidelines_app.core.workspace import RECOVERED_MESSAGE

    slug, _ = workspace.create_document(Document.new("Policy", "Acme"), author)
    assert workspace.uncommitted_documents() == []
    path = workspace.path(slug)
    outside = path.read_text(encoding="utf-8") + "\nWritten, never committed.\n"
    path.write_text(outside, encoding="utf-8")
    (workspace.root / "guidelines" / "new-one.md").write_text("---\ntitle: New\n---\n# New\n", encoding="utf-8")
    assert workspace.uncommitted_documents() == ["new-one", slug]
    result = workspace.commit_recovered(slug, author)
    assert result.saved and result.message == RECOVERED_MESSAGE
    assert workspace.committed_text(slug) == outside
    assert git(workspace, "log", "-1", "--format=%s").strip() == RECOVERED_MESSAGE
    assert workspace.uncommitted_documents() == ["new-one"]


def test_save_commits_an_outside_change_first_as_its_own_revision(workspace, author):
    from guidelines_app.core.workspace import RECOVERED_MESSAGE

    slug, _ = workspace.create_document(Document.new("Policy", "Acme"), author)
    path = workspace.path(slug)
    committed = path.read_text(encoding="utf-8")
    outside = committed + "\nAn edit made outside the app.\n"
    path.write_text(outside, encoding="utf-8")
    mine = committed + "\nMy own edit in the app.\n"
    workspace.save_text(slug, mine, author, "My edit")
    subjects = git(workspace, "log", "--format=%s").splitlines()
    assert subjects[:2] == ["My edit", RECOVERED_MESSAGE]
    assert workspace.read_at(slug, "HEAD~1") == outside and workspace.committed_text(slug) == mine
    # Saving the text that is already on disk is one revision, not two.
    path.write_text(mine + "\nMore.\n", encoding="utf-8")
    workspace.save_text(slug, mine + "\nMore.\n", author, "More")
    assert git(workspace, "log", "-1", "--format=%s").strip() == "More"
    assert git(workspace, "log", "-2", "--format=%s").splitlines()[1] == "My edit"


def test_open_removes_abandoned_temp_files_but_not_a_save_in_progress(workspace):
    import fcntl

    folder = workspace.root / "guidelines"
    abandoned = folder / ".policy.md.abc123.tmp"
    abandoned.write_text("half of a killed save", encoding="utf-8")
    in_progress = folder / ".policy.md.def456.tmp"
    with open(in_progress, "wb") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)  # as atomic_write does while it writes
        with Workspace.open(workspace.root):
            pass
        assert not abandoned.exists() and in_progress.exists()
    with Workspace.open(workspace.root):
        pass
    assert not in_progress.exists()


def test_open_leaves_another_programs_temp_files_alone(workspace):
    """An editor writing the document through its own temporary file (then
    renamed over it): opening the workspace meanwhile (as each of the
    window's background jobs does) removed that file, and the editor's save failed."""
    folder = workspace.root / "guidelines"
    theirs = [folder / ".x.tmp", folder / ".policy.md.tmp", folder / ".policy.md.swp.tmp"]
    for path in theirs:
        path.write_text("another program's save, about to be renamed", encoding="utf-8")
    ours = folder / ".policy.md.k2_9xq0a.tmp"  # as tempfile.mkstemp names ours
    ours.write_text("half of a killed save", encoding="utf-8")
    with Workspace.open(workspace.root):
        pass
    assert all(path.exists() for path in theirs) and not ours.exists()


def test_a_vanished_workspace_folder_is_named(workspace, author):
    import shutil

    from guidelines_app.core.errors import StorageError

    slug, _ = workspace.create_document(Document.new("Policy", "Acme"), author)
    shutil.rmtree(workspace.root)
    with pytest.raises(StorageError, match="is gone"):
        workspace.load(slug)
    with pytest.raises(StorageError, match="is gone"):
        workspace.commit_file(slug, author, "x")


@pytest.mark.parametrize("raw", [
    b"---\ntitle: Social media\nstatus: approved\nversion: '2.1'\n---\n# Another heading\n\nBody.\n",
    b"---\ntitle: Caf\xc3\xa9 rules\nstatus: in review\n---\nBody \xf0\x9f\x98\x80\n",
    b"---\nstatus: approved\n---\n# Title from the heading\n\nBody.\n",  # no title in the details: the body's
    b"# Only a heading\n\nBody.\n",
    b"---\r\ntitle: Windows lines\r\nstatus: approved\r\n---\r\nBody.\r\n",
    b"\xef\xbb\xbf---\ntitle: With a BOM\n---\nBody.\n",
    b"---\ntitle: [unclosed\n---\nBody.\n",  # details that cannot be read
    b"---\ntitle: Not UTF-8\n---\nBody \xff\n",
    b"---\ntitle: Never closed\nBody.\n",
    b"---\ntitle: ''\nversion: 3\n---\n## Heading\n",
])
def test_the_list_reads_each_document_as_loading_it_would(workspace, raw):
    path = workspace.root / "guidelines" / "listed.md"
    path.write_bytes(raw)
    [info] = [i for i in workspace.documents() if i.slug == "listed"]
    try:
        doc = Document.load(path)
    except FrontMatterError:
        assert info.error and info.title == "listed"
        return
    assert (info.title, info.status, info.version, info.error) == (doc.title, doc.status, doc.version, "")
    assert workspace.saved_title("listed") == doc.title
