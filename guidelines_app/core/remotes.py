"""The shared copies of a workspace (git remotes): checking an address before
git sees it, adding, changing, listing and removing remotes, cloning a
workspace, and the two network commands (fetch and push) sync is built on.

Rules kept here:

* an address is checked before use: only ``https://``, ``ssh://``, scp-style
  ``user@host:path``, ``git://`` on a loopback address (for testing) and the
  path of an existing bare repository are accepted; transport helpers
  (``ext::``, ``fd::``, any ``x::``) and anything option-like are refused, and
  git is told to allow only those protocols (``GIT_ALLOW_PROTOCOL``);
  GitPython's own unsafe-protocol and unsafe-option checks run too and are
  never switched off;
* git never prompts: no terminal prompt, SSH in batch mode; sign-in comes from
  git's credential helpers and the SSH agent only, and a failure says which
  one to set up (``gitfaults.credential_advice``).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")

# GitPython itself is imported by the functions that use it: a window or a
# command that only names this module does not pay for its import.

from guidelines_app.core import gitfaults  # noqa: E402
from guidelines_app.core.errors import GuidelinesError, NotAWorkspace, RemoteRefused, WorkspaceError  # noqa: E402
from guidelines_app.core.gitstore import GitStore  # noqa: E402
from guidelines_app.core.workspace import is_git_folder  # noqa: E402

SIGNOFF_NOTES = "refs/notes/guidelines-signoffs"
DEFAULT_REMOTE = "origin"
# Slow networks are fine; a connection that carries nothing for this long is dropped.
LOW_SPEED_SECONDS = 60
# Longest a single fetch, push or clone may take before it is given up.
NETWORK_TIMEOUT_SECONDS = 900

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
_HOST = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])"
_USER = r"[A-Za-z0-9._~%+][A-Za-z0-9._~%+-]*"
_PATH = r"[^\s\\\"'`$;|&<>]*"
_HTTPS_RE = re.compile(rf"^https://(?:{_USER}@)?{_HOST}(?::[0-9]{{1,5}})?(?:/{_PATH})?$")
_SSH_RE = re.compile(rf"^ssh://(?:{_USER}@)?{_HOST}(?::[0-9]{{1,5}})?/{_PATH}$")
_SCP_RE = re.compile(rf"^{_USER}@{_HOST}:(?!/?-){_PATH}$")
_GIT_LOOPBACK_RE = re.compile(rf"^git://(?:127(?:\.[0-9]{{1,3}}){{3}}|localhost|\[::1\])(?::[0-9]{{1,5}})?/{_PATH}$")
# Text git could read as an option or a helper, anywhere in the address.
_OPTION_LIKE_RE = re.compile(r"(?:^|[\s=])-|::|--|%0[0-9a-f]|[\x00-\x1f\x7f]", re.IGNORECASE)
ALLOWED_PROTOCOLS = "https:ssh:git:file"


@dataclass(frozen=True)
class Remote:
    name: str
    url: str


def shown(name: str) -> str:
    """A shared copy as a sentence names it: "the shared copy" (the one a
    workspace has, git's "origin"), or "the shared copy “backup”"."""
    return "the shared copy" if name == DEFAULT_REMOTE else f"the shared copy “{name}”"


def refuse(url: str, why: str) -> RemoteRefused:
    shown = url if len(url) <= 120 else url[:117] + "..."
    return RemoteRefused(f"the address '{shown}' cannot be used as a shared copy: {why}. Use an https:// or ssh:// "
                         "address, user@host:path, or the folder of a bare git repository")


def validate_url(url: str) -> str:
    """*url* if it may be given to git as a remote, else RemoteRefused (and
    nothing is run)."""
    url = (url or "").strip()
    if not url:
        raise refuse(url, "it is empty")
    if url.startswith("-"):
        raise refuse(url, "it starts with '-', which git would read as an option")
    if "::" in url:
        raise refuse(url, "it names a git transport helper ('x::...'), which can run programs")
    if _OPTION_LIKE_RE.search(url):
        raise refuse(url, "it contains text git could read as an option or a command")
    import git
    from git.exc import UnsafeOptionError, UnsafeProtocolError

    try:  # GitPython's own checks, kept on (never allow_unsafe_*)
        git.Git.check_unsafe_protocols(url)
        git.Git.check_unsafe_options([url], ["--upload-pack", "-u", "--config", "-c"])
    except (UnsafeProtocolError, UnsafeOptionError) as exc:
        raise refuse(url, f"git would treat it as unsafe ({exc})") from None
    if re.match(r"^[a-z]+://[^/@]*:[^/@]*@", url, re.IGNORECASE):
        raise refuse(url, "it holds a password, which would be kept in plain text; sign in through a git credential "
                          "helper (https) or the SSH agent (ssh) instead")
    if url.startswith("https://"):
        ok = bool(_HTTPS_RE.match(url))
    elif url.startswith("ssh://"):
        ok = bool(_SSH_RE.match(url))
    elif url.startswith("git://"):
        if not _GIT_LOOPBACK_RE.match(url):
            raise refuse(url, "git:// is unencrypted and allowed only on this computer (127.0.0.1) for testing")
        ok = True
    elif url.startswith("file://"):
        return _bare_path(url, Path(url[len("file://"):]))
    elif re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url):
        raise refuse(url, "only https://, ssh:// and (on this computer) git:// addresses are supported")
    elif _SCP_RE.match(url):
        ok = True
    else:
        return _bare_path(url, Path(url).expanduser())
    if not ok:
        raise refuse(url, "it is not a well-formed address (a host name, then the repository's path)")
    return url


def _bare_path(url: str, path: Path) -> str:
    """A local address: the folder of an existing bare repository, made absolute."""
    if not path.is_absolute():
        path = path.resolve()
    if not path.is_dir():
        raise refuse(url, f"there is no folder {path}")
    if not is_git_folder(path):
        # A workspace, a folder inside one, or any folder of files: 'git init --bare' there is no help.
        inside = next((f for f in path.parents if (f / ".git").exists()), None)
        if inside is not None or any(path.iterdir()):
            what = f"inside {inside} (a workspace, or another git repository)" if inside is not None else \
                "a folder of files (a workspace, or another git repository)"
            raise refuse(url, f"{path} is {what}, not a shared copy; a shared copy is a bare git repository in a folder "
                              "of its own (create one in a new, empty folder with 'git init --bare FOLDER')")
        raise refuse(url, f"{path} is not a bare git repository (create one with 'git init --bare {path}')")
    return str(path)


def create_bare(path: Path) -> str:
    """A new, empty bare repository at *path* (a shared copy on a shared drive)."""
    path = Path(path).expanduser()
    if path.exists() and any(path.iterdir()):
        raise WorkspaceError(f"{path} is not empty; choose a new folder for the shared copy")
    import git

    try:
        git.Repo.init(path, bare=True, initial_branch="main").close()
    except gitfaults.GIT_FAILURES as exc:
        raise gitfaults.translate(exc, path.parent, f"create a shared copy at {path}") from None
    return str(path.resolve())


def check_name(name: str) -> str:
    """*name* as a shared copy's name, or why it cannot be one, in the rule
    it breaks.  (git took "a..b" and then refused every later sync, and its
    removal too: its names must be ones a branch could have.)"""
    name = (name or "").strip()
    why = ""
    if not name:
        why = "it is empty"
    elif len(name) > 63:
        why = "it is longer than 63 characters"
    elif not _NAME_RE.match(name):
        why = "use letters, digits, '.', '_' or '-', starting with a letter or digit"
    elif ".." in name:
        why = "it holds '..'"
    elif name.endswith((".lock", ".")):
        why = "it ends with '.lock' or '.'"
    if why:
        shown = name if len(name) <= 40 else name[:40] + "…"
        raise RemoteRefused(f"'{shown}' cannot name a shared copy: {why} (for example team-copy)")
    return name


def network_env() -> dict[str, str]:
    """The environment of every git command that talks to a remote: never
    prompt (so nothing hangs waiting for a password), only the allowed
    protocols, SSH in batch mode (keys from the agent)."""
    env = {"GIT_TERMINAL_PROMPT": "0", "GIT_ALLOW_PROTOCOL": ALLOWED_PROTOCOLS, "GCM_INTERACTIVE": "never",
           "LANGUAGE": "C", "LC_ALL": "C"}
    if not os.environ.get("GIT_SSH_COMMAND") and not os.environ.get("GIT_SSH"):
        env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes -o ConnectTimeout=20"
    return env


NETWORK_CONFIG = ("-c", "http.lowSpeedLimit=1", "-c", f"http.lowSpeedTime={LOW_SPEED_SECONDS}",
                  "-c", "protocol.ext.allow=never", "-c", "protocol.fd.allow=never")


# ---- remotes of a workspace ------------------------------------------------------


def remotes(store: GitStore) -> list[Remote]:
    """The workspace's remotes and their addresses, by name."""
    try:
        out = store.repo.git.config("--get-regexp", r"^remote\..*\.url$", with_exceptions=False)
    except gitfaults.GIT_FAILURES as exc:
        raise gitfaults.translate(exc, store.root, "read the shared copies") from None
    found = []
    for line in out.splitlines():
        key, _, url = line.partition(" ")
        found.append(Remote(key[len("remote."):-len(".url")], url))
    return sorted(found, key=lambda r: r.name)


def url_of(store: GitStore, name: str) -> str:
    for remote in remotes(store):
        if remote.name == name:
            return remote.url
    raise WorkspaceError(f"there is no shared copy named '{name}' (see 'guidelines remote list')")


def default_remote(store: GitStore) -> str:
    names = [r.name for r in remotes(store)]
    if not names:
        raise WorkspaceError("this workspace has no shared copy yet: add one with 'guidelines remote add origin URL' "
                             "(or Team > Shared Copies in the app)")
    return DEFAULT_REMOTE if DEFAULT_REMOTE in names else names[0]


def add_remote(store: GitStore, name: str, url: str) -> Remote:
    name, url = check_name(name), validate_url(url)
    if any(r.name == name for r in remotes(store)):
        raise WorkspaceError(f"a shared copy named '{name}' exists already; change its address instead")
    _config(store, "add the shared copy", f"remote.{name}.url", url)
    _config(store, "add the shared copy", f"remote.{name}.fetch", f"+refs/heads/*:refs/remotes/{name}/*")
    return Remote(name, url)


def set_url(store: GitStore, name: str, url: str) -> Remote:
    """A new address for *name*: what was known of the old one is
    forgotten (its branches as last seen), so the next sync compares with
    the new copy (to an empty one it sent everything and said "up to date")."""
    name, url = check_name(name), validate_url(url)
    old = url_of(store, name)
    _config(store, "change the shared copy's address", f"remote.{name}.url", url)
    if url != old:
        try:
            known = store.repo.git.for_each_ref("--format=%(refname)", f"refs/remotes/{name}/",
                                                f"refs/notes/remotes/{name}/").split()
            for ref in known:
                store.repo.git.update_ref("-d", ref)
        except gitfaults.GIT_FAILURES as exc:
            raise gitfaults.translate(exc, store.root, "change the shared copy's address") from None
    return Remote(name, url)


def remove_remote(store: GitStore, name: str) -> None:
    name = check_name(name)
    url_of(store, name)
    try:
        store.repo.git.remote("remove", "--", name)
    except gitfaults.GIT_FAILURES as exc:
        raise gitfaults.translate(exc, store.root, "remove the shared copy") from None


def _config(store: GitStore, what: str, key: str, value: str) -> None:
    try:
        store.repo.git.config("--replace-all", key, value)
    except gitfaults.GIT_FAILURES as exc:
        raise gitfaults.translate(exc, store.root, what) from None


# ---- network: fetch, push, clone ----------------------------------------------------


def fetch(store: GitStore, name: str) -> None:
    """Bring the remote's branches (as remote-tracking branches), its version
    tags and its sign-off records (kept aside for merging) into the
    workspace.  Local branches and files are not touched."""
    url = validate_url(url_of(store, name))
    refspecs = [f"+refs/heads/*:refs/remotes/{name}/*", "refs/tags/*:refs/tags/*",
                f"+{SIGNOFF_NOTES}*:refs/notes/remotes/{name}/guidelines-signoffs*"]
    _network(store, name, url, "bring in colleagues' revisions",
             "fetch", "--no-progress", "--no-write-fetch-head", "--no-recurse-submodules", "--end-of-options", url, *refspecs)


def push(store: GitStore, name: str, branch: str, with_notes: bool) -> None:
    """Send *branch*, every version tag and the sign-off records."""
    url = validate_url(url_of(store, name))
    refspecs = [f"refs/heads/{branch}:refs/heads/{branch}", "refs/tags/*:refs/tags/*"]
    if with_notes:
        refspecs.append(f"{SIGNOFF_NOTES}:{SIGNOFF_NOTES}")
    _network(store, name, url, "send your revisions", "push", "--quiet", "--porcelain", "--no-recurse-submodules",
             "--end-of-options", url, *refspecs)


def _network(store: GitStore, name: str, url: str, what: str, *args: str) -> str:
    try:
        with store.repo.git.custom_environment(**network_env()):
            return store.repo.git.execute(["git", *NETWORK_CONFIG, *args], kill_after_timeout=NETWORK_TIMEOUT_SECONDS)
    except GuidelinesError:
        raise
    except gitfaults.GIT_FAILURES as exc:
        raise gitfaults.remote_failure(exc, store.root, what, name, url) from None


def clone(url: str, dest: Path) -> Path:
    """A new workspace at *dest* holding the shared copy at *url* (its
    documents, revisions, version tags and sign-off records)."""
    url = validate_url(url)
    dest = Path(dest).expanduser()
    if dest.exists() and not dest.is_dir():
        raise WorkspaceError(f"{dest} is a file, not a folder; choose a new folder for the copy")
    if dest.exists() and any(dest.iterdir()):
        raise WorkspaceError(f"{dest} is not an empty folder; choose a new folder for the copy")
    _check_can_make(dest)
    if gitfaults.git_program() is None:
        raise gitfaults.not_installed()
    created = not dest.exists()
    import git

    try:
        repo = git.Repo.clone_from(url, dest, env=network_env(), multi_options=["--no-recurse-submodules"])
        repo.close()
    except GuidelinesError:
        raise
    except gitfaults.GIT_FAILURES as exc:
        _remove_failed(dest, created)
        said = gitfaults.first_line(gitfaults.git_said(exc))
        if "could not create leading directories" in said or "could not create work tree dir" in said:
            # The place chosen, not the shared copy (read-only where a check as root cannot tell).
            raise WorkspaceError(f"cannot make the folder {dest} for the copy (git said: {said}); "
                                 "choose another place") from None
        raise gitfaults.remote_failure(exc, dest.parent, f"copy the workspace into {dest}", "", url) from None
    try:
        with GitStore(dest) as store:
            _exclude_temp_files(store)
            fetch(store, DEFAULT_REMOTE)
            _check_out_a_branch(store)
            notes = f"refs/notes/remotes/{DEFAULT_REMOTE}/guidelines-signoffs"
            if store.repo.git.rev_parse("--verify", "--quiet", notes, with_exceptions=False):
                store.repo.git.update_ref(SIGNOFF_NOTES, notes)
        _check_is_workspace(dest, url)
        (dest / "guidelines").mkdir(exist_ok=True)
    except BaseException:
        _remove_failed(dest, created)
        raise
    return dest


def _check_can_make(dest: Path) -> None:
    """Refuse a place the copy cannot be made in, before asking the shared
    copy for anything: the nearest folder that exists must be one this user
    may write in (a failure there was told as the shared copy's)."""
    place = dest
    while not place.exists() and place != place.parent:
        place = place.parent
    if not place.is_dir():
        raise WorkspaceError(f"cannot make the folder {dest}: {place} is a file; choose another place for the copy")
    if not os.access(place, os.W_OK | os.X_OK):
        raise WorkspaceError(f"cannot make the folder {dest}: {place} is not a folder you can write in; "
                             "choose another place for the copy")


def _check_out_a_branch(store: GitStore) -> None:
    """After cloning a copy whose HEAD names a branch it does not have (a bare
    repository made with git's older default, master, holding main): check out
    main, else master, else its only branch."""
    g = store.repo.git
    if g.rev_parse("--verify", "--quiet", "HEAD^{commit}", with_exceptions=False).strip():
        return
    prefix = f"refs/remotes/{DEFAULT_REMOTE}/"
    branches = [b for b in g.for_each_ref("--format=%(refname:lstrip=3)", prefix).split() if b != "HEAD"]
    for name in ("main", "master", *sorted(branches)):
        if name in branches:
            g.checkout("--quiet", "-B", name, f"{prefix}{name}")
            return


def _check_is_workspace(dest: Path, url: str) -> None:
    has_files = any(p.name != ".git" for p in dest.iterdir())
    if has_files and not (dest / "guidelines").is_dir():
        raise NotAWorkspace(f"the shared copy at {url} is not a guidelines workspace (it has no guidelines/ folder); "
                            "nothing was copied")


def _exclude_temp_files(store: GitStore) -> None:
    exclude = Path(store.repo.git_dir) / "info" / "exclude"
    exclude.parent.mkdir(parents=True, exist_ok=True)
    existing = exclude.read_text(encoding="utf-8") if exclude.exists() else ""
    if ".*.tmp" not in existing:
        exclude.write_text(existing + "\n# Guideline Studio temporary files\n.*.tmp\n", encoding="utf-8")


def _remove_failed(dest: Path, created: bool) -> None:
    """Take away what a failed clone left (only what it made)."""
    if created:
        shutil.rmtree(dest, ignore_errors=True)
    elif dest.is_dir():
        for child in dest.iterdir():
            shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink(missing_ok=True)
