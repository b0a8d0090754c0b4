"""The guidelines command, run as a real process in real folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _no_safety_net(monkeypatch):
    """The CLI's last-resort handler re-raises: no case here may need it."""
    monkeypatch.setenv("GUIDELINES_CLI_STRICT", "1")

REPO = Path(__file__).resolve().parent.parent


def run(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "guidelines_app.cli", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def folder(tmp_path, settings) -> Path:
    path = tmp_path / "new-folder"
    path.mkdir()
    return path


def test_init_new_history_in_a_new_folder_matches_git_log(folder):
    assert run(folder, "init").returncode == 0
    created = run(folder, "new", "--title", "Social media guidelines")
    assert created.returncode == 0, created.stderr
    history = run(folder, "history", "social-media-guidelines")
    assert history.returncode == 0
    lines = history.stdout.strip().splitlines()
    assert len(lines) == 1
    fields = lines[0].split("\t")
    short, author, message = fields[0], fields[2], fields[-1]
    assert message == "Create Social media guidelines" and author == "Test Author"
    git_log = subprocess.run(["git", "log", "--format=%h %s"], cwd=folder, capture_output=True, text=True).stdout
    assert git_log.split()[0].startswith(short[:7]) or short.startswith(git_log.split()[0])
    assert "Create Social media guidelines" in git_log
    assert (folder / "guidelines" / "social-media-guidelines.md").is_file()


def test_init_inside_a_workspace_makes_no_second_one(folder):
    """`init` in the documents folder made a workspace inside the workspace:
    its documents vanished from every command run there."""
    assert run(folder, "init").returncode == 0
    assert run(folder, "new", "--title", "Policy").returncode == 0
    for inside in (folder / "guidelines", folder / "guidelines" / "drafts"):
        inside.mkdir(exist_ok=True)
        refused = run(inside, "init")
        assert refused.returncode == 2 and refused.stderr.startswith("error: ")
        assert f"is inside the workspace {folder}" in refused.stderr and "Traceback" not in refused.stderr
        assert not (inside / ".git").exists() and not (inside / "guidelines").exists()
    listed = run(folder / "guidelines", "list")  # the workspace around it, as before
    assert listed.returncode == 0 and listed.stdout.startswith("policy\t")
    assert run(folder, "init").stdout.strip() == f"{folder} is already a workspace"


def test_a_settings_file_that_cannot_be_read_is_said_once_before_what_it_causes(folder, config_dir):
    """Broken JSON in settings.json: "no author is set: set author_name and
    author_email in settings.json", which the user had set."""
    assert run(folder, "init").returncode == 0
    (config_dir / "settings.json").write_text('{"author_name": "Test Author", "author_email": "t@example.org",,}',
                                              encoding="utf-8")
    empty_home = folder.parent / "home"
    empty_home.mkdir()
    done = run(folder, "new", "--title", "Policy", env={"HOME": str(empty_home), "GIT_CONFIG_GLOBAL": "/dev/null",
                                                          "GIT_CONFIG_NOSYSTEM": "1"})
    lines = done.stderr.splitlines()
    assert done.returncode == 2 and len(lines) == 2, done.stderr
    assert lines[0].startswith("note: the settings file ") and "cannot be read (line 1: " in lines[0]
    assert lines[1].startswith("error: no author is set") and "Traceback" not in done.stderr
    assert (config_dir / "settings.json").read_text(encoding="utf-8").endswith(",,}")  # the user's file as it was


def test_list_show_save_and_json(folder):
    run(folder, "init")
    run(folder, "new", "--title", "Policy", "--organization", "Acme", "--owner", "Comms")
    listing = run(folder, "list")
    assert listing.stdout.strip().split("\t") == ["policy", "draft", "0.1", "Policy"]
    assert json.loads(run(folder, "list", "--json").stdout)[0]["title"] == "Policy"

    path = folder / "guidelines" / "policy.md"
    original = path.read_text()
    assert run(folder, "show", "policy").stdout == original

    path.write_text(original + "## Where\n\nOur blog.\n")
    noted = run(folder, "list")  # any command notes the change no revision has
    assert "note: policy has changes that are not saved as a revision" in noted.stderr
    assert "guidelines save policy" in noted.stderr
    saved = run(folder, "save", "policy")  # without -m: named for what it is
    assert saved.returncode == 0 and "Recovered changes saved outside a revision: " in saved.stdout
    assert "note:" not in saved.stderr and "note:" not in run(folder, "list").stderr
    unchanged = run(folder, "save", "policy")
    assert unchanged.returncode == 0 and "No changes" in unchanged.stdout

    history = json.loads(run(folder, "history", "policy", "--json").stdout)
    assert [h["message"] for h in history] == ["Recovered changes saved outside a revision: Add Where", "Create Policy"]
    assert run(folder, "show", "policy", "--revision", history[1]["commit"]).stdout == original
    assert run(folder, "show", "policy", "--revision", "HEAD~1").stdout == original

    path.write_text(original + "More.\n")
    custom = run(folder, "save", "policy", "-m", "Tighten wording after review")
    assert "Tighten wording after review" in custom.stdout


def test_save_refuses_an_emptied_or_unreadable_file_with_a_way_forward(folder):
    """An emptied file was saved as a revision without a word; a file in
    another encoding got "not UTF-8 text (byte N)" and nothing else, after
    a note that had said to save it."""
    run(folder, "init")
    run(folder, "new", "--title", "Policy")
    path = folder / "guidelines" / "policy.md"
    original = path.read_bytes()
    path.write_bytes(b"")
    refused = run(folder, "save", "policy")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert "is empty, so saving it would make a revision with no text" in refused.stderr
    assert "'guidelines restore policy HEAD --force'" in refused.stderr and "--allow-empty" in refused.stderr
    assert len(json.loads(run(folder, "history", "policy", "--json").stdout)) == 1
    assert run(folder, "save", "policy", "--allow-empty").returncode == 0
    assert len(json.loads(run(folder, "history", "policy", "--json").stdout)) == 2
    path.write_bytes(original.replace(b"Policy", b"Pol\xe9cy"))  # written by a program in Latin-1
    refused = run(folder, "save", "policy")
    assert refused.returncode == 2 and "it is not UTF-8 text" in refused.stderr
    assert "save it again as UTF-8 text in a text editor" in refused.stderr and "HEAD~1" not in refused.stderr
    back = run(folder, "restore", "policy", "HEAD", "--force")  # the way it names: the Latin-1 file is kept in the history
    assert back.returncode == 0, back.stderr
    assert path.read_bytes() == b"" and b"Pol\xe9cy" in subprocess.run(
        ["git", "show", "HEAD~1:guidelines/policy.md"], cwd=folder, capture_output=True).stdout


def test_diff_notes_unsaved_changes_before_its_output_and_on_failure(folder):
    """The diff asks git which documents hold unsaved changes while it
    compares: the note still comes, once, and before an error too."""
    run(folder, "init")
    run(folder, "new", "--title", "Policy")
    path = folder / "guidelines" / "policy.md"
    path.write_text(path.read_text() + "## Where\n\nOur blog.\n")
    assert run(folder, "save", "policy", "-m", "Add where").returncode == 0
    path.write_text(path.read_text() + "Unsaved words.\n")
    note = "note: policy has changes that are not saved as a revision"
    compared = run(folder, "diff", "policy", "HEAD~1", "HEAD", "--no-authors")
    assert compared.returncode == 0, compared.stderr
    assert compared.stderr.count(note) == 1 and "## Where  [added]\n  + Our blog." in compared.stdout
    failed = run(folder, "diff", "policy", "HEAD~9", "HEAD")
    assert failed.returncode == 2
    lines = failed.stderr.splitlines()
    assert lines[0].startswith(note) and lines[1].startswith("error: ") and len(lines) <= 3, failed.stderr
    path.write_text(path.read_text().replace("Unsaved words.\n", ""))
    assert "note:" not in run(folder, "diff", "policy", "HEAD~1", "HEAD").stderr


def test_a_damaged_index_leaves_the_diff_working_and_other_commands_saying_why(folder):
    """git's status fails on a damaged index (git's log still works): the
    diff, which only reads, still compares (no note); the note's question
    never escapes as git's own words or a traceback (strict mode)."""
    run(folder, "init")
    run(folder, "new", "--title", "Policy")
    path = folder / "guidelines" / "policy.md"
    path.write_text(path.read_text() + "## Where\n\nOur blog.\n")
    assert run(folder, "save", "policy", "-m", "Add where").returncode == 0
    (folder / ".git" / "index").write_bytes(b"DIRC" + b"\0" * 40)
    assert subprocess.run(["git", "status"], cwd=folder, capture_output=True).returncode != 0
    compared = run(folder, "diff", "policy", "HEAD~1", "HEAD", "--no-authors")
    assert compared.returncode == 0, compared.stderr
    assert "+ Our blog." in compared.stdout and "Traceback" not in compared.stderr
    for args in (("history", "policy"), ("show", "policy"), ("list",)):
        result = run(folder, *args)
        assert "Traceback" not in result.stderr and "unexpected" not in result.stderr, (args, result.stderr)
        assert result.returncode in (0, 2), (args, result.stderr)


@pytest.mark.parametrize(
    "args, needle",
    [
        (("show", "missing"), "no document 'missing'"),
        (("show", "policy", "--revision=--output=x"), "is not a revision"),
        (("show", "policy", "--revision", "0123456789abcdef"), "no revision"),
        (("history", "../../etc/passwd"), "not a document name"),
        (("frobnicate",), "invalid choice"),
        (("new",), "title"),
    ],
)
def test_errors_are_one_line_with_status_2(folder, args, needle):
    run(folder, "init")
    run(folder, "new", "--title", "Policy")
    result = run(folder, *args)
    assert result.returncode == 2
    assert result.stderr.startswith("error:") and result.stderr.count("\n") == 1, result.stderr
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_file_is_refused_and_left_alone(folder):
    run(folder, "init")
    run(folder, "new", "--title", "Policy")
    path = folder / "guidelines" / "policy.md"
    path.write_text("---\ntitle: Policy\nowners: [Comms\n---\n# Policy\n")
    result = run(folder, "save", "policy")
    assert result.returncode == 2 and "policy.md, line 3" in result.stderr
    assert path.read_text().startswith("---\ntitle: Policy\nowners: [Comms")
    assert len(json.loads(run(folder, "history", "policy", "--json").stdout)) == 1


def test_missing_identity_names_the_setting(tmp_path, config_dir):
    folder = tmp_path / "ws"
    folder.mkdir()
    run(folder, "init")
    result = run(folder, "new", "--title", "Policy")
    assert result.returncode == 2
    assert "author_name" in result.stderr and "git config --global user.name" in result.stderr
    assert not (folder / "guidelines" / "policy.md").exists()


def test_workspace_option_and_environment(tmp_path, settings):
    target = tmp_path / "elsewhere"
    assert run(tmp_path, "--workspace", str(target), "init").returncode == 0
    assert (target / ".git").is_dir()
    run(tmp_path, "--workspace", str(target), "new", "--title", "By option")
    by_env = run(tmp_path, "list", env={"GUIDELINES_WORKSPACE": str(target)})
    assert by_env.stdout.startswith("by-option\t")
