"""No author identity anywhere (app settings empty, no git user.name): the
save is refused with what to set, and the text stays on disk."""

from __future__ import annotations


def test_save_without_an_author_says_what_to_set(fault_ws, tmp_path, cli, cli_env, git):
    empty_config = tmp_path / "no-identity"
    empty_config.mkdir()
    (empty_config / "gitconfig").write_text("", encoding="utf-8")
    env = cli_env(GUIDELINES_CONFIG_DIR=str(empty_config / "app"), GIT_CONFIG_GLOBAL=str(empty_config / "gitconfig"))
    path = fault_ws.path("policy")
    typed = path.read_text(encoding="utf-8") + "\nTyped by someone with no name yet.\n"
    path.write_text(typed, encoding="utf-8")
    before = git(fault_ws.root, "rev-parse", "HEAD")
    done = cli(fault_ws.root, "save", "policy", env=env)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("error: no author is set for saved revisions") and done.stderr.count("\n") == 1
    assert 'git config --global user.name "Your Name"' in done.stderr
    assert path.read_text(encoding="utf-8") == typed and git(fault_ws.root, "rev-parse", "HEAD") == before
    # Once a name is set, the same command saves it.
    git(fault_ws.root, "config", "user.name", "Named Now")
    git(fault_ws.root, "config", "user.email", "named@example.org")
    saved = cli(fault_ws.root, "save", "policy", env=env)
    assert saved.returncode == 0 and git(fault_ws.root, "log", "-1", "--format=%an").strip() == "Named Now"
