"""Ctrl+C during `guidelines save` of a large document, at moments spread
over the whole save: the terminal sends SIGINT to the command and to the
git it runs.  Every time, the user's file is as it was, the command says
one line (or saves), and no traceback is shown: an object read by
GitPython cut short used to print one as Python exited."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from guidelines_app.core.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]

POINTS = 30
STARTED = 0.1  # seconds, at least (``_python_started``)


def _python_started() -> float:
    """How long Python itself takes to start here (its site packages read),
    twice over: a Ctrl+C before that makes Python print its own fatal error,
    out of the app's reach.  The command's own imports come after: a Ctrl+C
    there says one line (``cli.entry``)."""
    times = []
    for _ in range(3):
        start = time.monotonic()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.monotonic() - start)
    return max(STARTED, 2 * max(times))


def _cli(root, *args: str) -> subprocess.Popen:
    def child():  # pragma: no cover - in the child
        os.setpgid(0, 0)  # a group of its own, as a terminal's foreground job
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # (a test runner may start us with SIGINT ignored)

    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               GUIDELINES_CLI_STRICT="1")  # (the CLI's last-resort handler re-raises: no case may reach it)
    return subprocess.Popen([sys.executable, "-m", "guidelines_app.cli", "--workspace", str(root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=child, env=env)


def _big_text(rng: random.Random, sections: int) -> str:
    words = "policy post brand staff account review crisis channel approval audience".split()
    return "# Big\n\n" + "".join(f"## Part {n}\n\n{' '.join(rng.choice(words) for _ in range(600))}\n\n"
                                 for n in range(sections))


def test_ctrl_c_at_any_moment_of_a_large_save(tmp_path, author):
    rng = random.Random(7)
    with Workspace.create(tmp_path / "ws") as ws:
        from guidelines_app.core.document import Document

        slug, _ = ws.create_document(Document.new("Big", body="# Big\n\nStart.\n"), author)
        path = ws.path(slug)
    root = tmp_path / "ws"
    for key, value in (("user.name", "Dana Writer"), ("user.email", "dana@example.org")):
        subprocess.run(["git", "-C", str(root), "config", key, value], check=True)
    path.write_text(_big_text(rng, 1500), encoding="utf-8")  # about 5 MB
    start = time.monotonic()
    saving = _cli(root, "save", slug, "-m", "whole")
    _out, err = saving.communicate(timeout=120)
    assert saving.returncode == 0, err
    took = time.monotonic() - start
    started = _python_started()
    interrupted = saved = 0
    for n in range(POINTS):
        text = path.read_text(encoding="utf-8") + f"\nEdit {n}.\n"
        path.write_text(text, encoding="utf-8")
        proc = _cli(root, "save", slug, "-m", f"edit {n}")
        # (once Python itself has started: a Ctrl+C before any of our
        # code runs makes Python print its own fatal error)
        time.sleep(started + max(took - started, 0.2) * (n + 0.5) / POINTS)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=120)
        assert "Traceback" not in err and "Exception" not in err, err
        assert path.read_text(encoding="utf-8") == text  # the user's words, untouched
        newest = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%s"], capture_output=True,
                                text=True, check=True).stdout.strip()
        # Saved, and silent (also when the signal came as Python ended, its
        # work done: Python's own exit by the signal); or one line saying so.
        assert proc.returncode in (0, 2, -signal.SIGINT), (n, proc.returncode, err)
        if err:
            interrupted += 1
            assert proc.returncode != 0 and err.count("\n") == 1 and err.startswith("error: interrupted"), (n, err)
        else:
            saved += 1
            assert proc.returncode != 2 and newest == f"edit {n}", (n, proc.returncode, newest)
    assert interrupted, f"no save was interrupted (a save took {took:.2f} s)"
    # The next save keeps every word, whatever the interruptions left.
    final = _cli(root, "save", slug, "-m", "after")
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0 or "No changes" in out + err, err
    with Workspace.open(root) as ws:
        assert ws.committed_text(slug) == path.read_text(encoding="utf-8")
        assert not ws.has_unsaved_file_changes(slug)
    assert saved + interrupted == POINTS


def test_ctrl_c_while_the_command_is_still_being_imported(tmp_path):
    """A Ctrl+C while the command's modules load (a busy machine: a good
    part of a second) printed Python's traceback of the import it cut."""
    runner = tmp_path / "runner.py"
    runner.write_text(
        "import os, runpy, signal, sys\n"
        "class Cut:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'guidelines_app.core.errors':  # (imported by the command's main module)\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "        return None\n"
        "sys.meta_path.insert(0, Cut())\n"
        "sys.argv = ['guidelines', 'list']\n"
        "runpy.run_module('guidelines_app.cli', run_name='__main__', alter_sys=True)\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, str(runner)], capture_output=True, text=True, env=env, timeout=60,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert done.stderr == "error: interrupted; nothing was half-written\n" and done.returncode == 2, done.stderr
