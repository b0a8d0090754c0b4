"""Each `guidelines` command imports only what it uses (issue 16): the command
table in cli.main names every command under the group that adds it, and a
command's process never loads the features it does not use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from guidelines_app.cli import main as climain

REPO = Path(__file__).resolve().parent.parent


def _commands_of(adder) -> set[str]:
    parser = climain.Parser(prog="guidelines")
    sub = parser.add_subparsers(dest="command")
    adder(lambda name, func, help: sub.add_parser(name))
    return set(sub.choices)


def test_every_command_is_listed_under_the_group_that_adds_it():
    for names, adder in climain.GROUPS:
        assert _commands_of(adder) == set(names), adder.__name__
    every = [n for names, _adder in climain.GROUPS for n in names]
    assert len(every) == len(set(every))
    full = climain.build_parser()
    listed = next(a for a in full._actions if a.dest == "command").choices
    assert set(listed) == set(every)


def test_the_command_word_skips_the_options_before_it():
    assert climain.command_word(["--workspace", "list", "history", "doc"]) == "history"
    assert climain.command_word(["--workspace=x", "list"]) == "list"
    assert climain.command_word(["--version"]) is None


def _loaded(tmp_path, *args: str) -> set[str]:
    """The modules a `guidelines` process has loaded when its command is done."""
    code = ("import json, sys\nfrom guidelines_app.cli.main import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)) + '\\n')\n")
    env = dict(os.environ, PYTHONPATH=str(REPO), GUIDELINES_WORKSPACE=str(tmp_path / "ws"))
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                          check=False)
    line = [ln for ln in done.stderr.splitlines() if ln.startswith("MODULES ")][-1]
    return set(json.loads(line[len("MODULES "):]))


def test_version_loads_no_feature_and_list_no_history(tmp_path):
    version = _loaded(tmp_path, "--version")
    assert not {m for m in version if m.startswith(("git", "docx", "yaml", "markdown", "jinja2"))}
    ours = {m for m in version if m.startswith("guidelines_app.") and m.split(".")[1] in ("core", "review", "drafting", "publishing")}
    assert ours <= {"guidelines_app.core", "guidelines_app.core.errors"}
    subprocess.run([sys.executable, "-m", "guidelines_app.cli", "--workspace", str(tmp_path / "ws"), "init"],
                   cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(REPO)), check=True, capture_output=True)
    listing = _loaded(tmp_path, "list")
    assert "guidelines_app.core.workspace" in listing  # the command ran
    assert not {m for m in listing if m.startswith(("guidelines_app.review", "guidelines_app.drafting",
                                                    "guidelines_app.publishing", "docx", "jinja2"))}
    diff = _loaded(tmp_path, "diff", "nothing", "HEAD")
    assert "guidelines_app.review.revisions" in diff and "docx" not in diff  # a text redline needs no Word writer
    assert "guidelines_app.review.history" not in diff  # nor publishing, statuses and review dates


def test_a_text_diff_loads_no_markdown_renderer(workspace, author, tmp_path):
    """The text redline compares lines and words: it never renders Markdown
    (nor, with the same details on both sides, reads them as YAML)."""
    from guidelines_app.core.document import Document

    slug, _ = workspace.create_document(Document.new("Policy", "Acme"), author)
    text = workspace.load(slug).to_text()
    workspace.save_text(slug, text + "\nMore words.\n", author, "Second")
    env_root = tmp_path / "ws"
    assert workspace.root == env_root
    for args in (("HEAD~1", "HEAD"), ("HEAD~1", "HEAD", "--no-authors")):
        modules = _loaded(tmp_path, "diff", slug, *args)
        assert "guidelines_app.review.diff.sections" in modules  # the comparison ran
        assert not {m for m in modules if m.startswith(("markdown", "guidelines_app.core.markup", "yaml"))}
    listing = _loaded(tmp_path, "list")
    assert "guidelines_app.core.front_matter" in listing and "markdown" not in listing  # reads details, renders nothing
