"""Shared by the hostile-input fault cases (no tests here): running the real
CLI in a child process, and a workspace the child can use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from guidelines_app.core.document import Document

ROOT = Path(__file__).resolve().parents[2]


def run_cli(ws_root: Path, *args: str, timeout: float = 60, measure: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m guidelines_app.cli ARGS`` on *ws_root*, this checkout's
    code.  With *measure*, the child writes its peak memory (KB) there."""
    env = dict(os.environ, GUIDELINES_WORKSPACE=str(ws_root), PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "guidelines_app.cli", *args]
    if measure is not None:
        command = [sys.executable, "-c",
                   # VmHWM is this process's own peak: getrusage's ru_maxrss
                   # would start from the (large) test process it was forked from.
                   "import atexit, re, runpy, sys; "
                   "peak = lambda: re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1); "
                   f"atexit.register(lambda: open({str(measure)!r}, 'w').write(peak())); "
                   "sys.argv = ['guidelines', *sys.argv[1:]]; runpy.run_module('guidelines_app.cli', run_name='__main__')",
                   *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, cwd=ws_root.parent,
                          stdin=subprocess.DEVNULL)


def assert_refused(proc: subprocess.CompletedProcess, *words: str) -> str:
    """Exit 2, one ``error:`` line on stderr saying *words*, no traceback."""
    err = proc.stderr
    assert proc.returncode == 2, (proc.returncode, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    for word in words:
        assert word in err, (word, err)
    return err


def make_doc(workspace, author, text: str, slug: str = "policy") -> str:
    """Save *text* as a new document of *workspace*; its slug."""
    workspace.create_document(Document.parse(text), author, slug=slug)
    return slug
