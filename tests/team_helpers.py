"""Shared parts of the team sync tests: a real ``git daemon`` serving bare
repositories on 127.0.0.1, and a workspace pair (two people, two authors)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from guidelines_app.core import remotes
from guidelines_app.core.document import Document
from guidelines_app.core.gitstore import Identity
from guidelines_app.core.workspace import Workspace

ANA = Identity("Ana Centre", "ana@example.org")
BO = Identity("Bo Spoke", "bo@example.org")
BODY = ("# Social media guidelines\n\nIntro for everyone.\n\n## Scope\n\nThese guidelines cover all staff.\n\n"
        "## Tone\n\nBe kind and accurate.\n\n## Escalation\n\nAsk the press office.\n")


def daemon_missing() -> str | None:
    """Why ``git daemon`` cannot run here, or None."""
    if shutil.which("git") is None:
        return "git is not installed"
    done = subprocess.run(["git", "daemon", "--help"], capture_output=True, text=True)
    exec_path = subprocess.run(["git", "--exec-path"], capture_output=True, text=True).stdout.strip()
    if done.returncode != 0 and not (Path(exec_path) / "git-daemon").exists():
        return "git daemon is not installed (Debian/Ubuntu: it comes with the git package; else git-daemon-run)"
    if not (Path(exec_path) / "git-daemon").exists():
        return f"git daemon is not installed ({exec_path}/git-daemon is missing)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class GitDaemon:
    """``git daemon`` serving the bare repositories under *base* (read and
    write) on 127.0.0.1; ``url(name)`` is the address of one of them."""

    def __init__(self, base: Path, informative: bool = True):
        self.base = base
        # --informative-errors names a missing repository; without it (as daemons are often run) git says
        # "access denied or repository not exported".
        self.informative = informative
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.extra: list[str] = []  # more options (an --access-hook)

    def start(self) -> GitDaemon:
        self.process = subprocess.Popen(
            ["git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack",
             *(["--informative-errors"] if self.informative else []), f"--base-path={self.base}",
             "--listen=127.0.0.1", f"--port={self.port}", *self.extra, str(self.base)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("git daemon did not start")

    def url(self, name: str) -> str:
        return f"git://127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:  # the daemon and the servers it started for each connection
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)

    def __enter__(self) -> GitDaemon:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def shared_pair(tmp_path: Path, url: str | None = None) -> tuple[Workspace, Workspace, str]:
    """Ana's workspace with one document, sent to a new bare repository
    (or *url* serving it), and Bo's workspace cloned from it."""
    bare = remotes.create_bare(tmp_path / "shared" / "guidelines.git")
    url = url or bare
    wa = Workspace.create(tmp_path / "ana")
    remotes.add_remote(wa.store, "origin", url)
    doc = Document.new("Social media guidelines", "Acme", owners=["Ana Centre"])
    doc.body = BODY
    wa.create_document(doc, ANA, slug="social")
    from guidelines_app.core import sync

    sync.sync(wa, ANA)
    wb = Workspace.open(remotes.clone(url, tmp_path / "bo"))
    return wa, wb, url


def edit(ws: Workspace, author: Identity, old: str, new: str, slug: str = "social") -> None:
    text = ws.path(slug).read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {slug}"
    ws.save_text(slug, text.replace(old, new), author)


class SignInRequired:
    """An HTTPS server on 127.0.0.1 that answers every request with "401:
    sign in" (a git host whose credentials are missing or wrong).  Its
    certificate is made on the spot with openssl; git is told not to check
    it (GIT_SSL_NO_VERIFY) by the test."""

    def __init__(self, folder: Path):
        import http.server
        import ssl
        import threading

        cert, key = folder / "cert.pem", folder / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server name
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="guidelines"')
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, name: str) -> str:
        return f"https://127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def open_window(qtbot, root: Path):
    """The window on workspace *root* (its "social" document open), its
    unsaved edits discarded at the test's end, once the Team feature has
    read the sync state its indicator shows (on a worker, after the first paint)."""
    from guidelines_app.core.settings import Settings
    from guidelines_app.ui.main_window import MainWindow
    from guidelines_app.ui.team.feature import INDICATOR, TeamFeature

    w = MainWindow(Workspace.open(root), Settings.load())
    qtbot.addWidget(w, before_close_func=lambda win: win.editor.document().setModified(False))
    w.show()
    qtbot.waitUntil(lambda: w.slug == "social", timeout=5000)
    w.features.get("team", TeamFeature)
    qtbot.waitUntil(lambda: not w.jobs.busy(INDICATOR), timeout=10000)
    return w
