"""Fingerprint what a comparison shows, to prove that a change to the diff left
it byte-identical: `guidelines diff` (text with and without authors, HTML) of
a dozen pairs of revisions of the long-history benchmark workspace, and the
compare window's pages (both columns and the inline view, the verdict, the
change list) of the same pairs.

    python3 scripts/diff_fingerprint.py > before.txt
    ... change the code ...
    python3 scripts/diff_fingerprint.py > after.txt && diff before.txt after.txt

The kept answers (``.git/guidelines/answer-cache``) are cleared first, so
every text redline is worked out afresh.  ``--full`` prints the outputs
themselves rather than their hashes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import long_history  # noqa: E402

PAIRS = [("HEAD~1", "HEAD"), ("HEAD~2", "HEAD~1"), ("HEAD~7", "HEAD"), ("HEAD~40", "HEAD~10"),
         ("HEAD~150", "HEAD"), ("HEAD~300", "HEAD~150"), ("HEAD~700", "HEAD~650"), ("HEAD~1000", "HEAD~400"),
         ("HEAD~1500", "HEAD"), ("HEAD~1990", "HEAD"), ("HEAD", "HEAD~90"), ("HEAD~1234", "HEAD~1233")]
ENV = dict(os.environ, PYTHONPATH=str(ROOT), GIT_CONFIG_NOSYSTEM="1", TZ="UTC")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def main() -> None:
    full = "--full" in sys.argv
    root = long_history.workspace(2000)
    shutil.rmtree(root / ".git" / "guidelines" / "answer-cache", ignore_errors=True)
    show = (lambda text: "\n" + text) if full else _digest
    for a, b in PAIRS:
        for extra in (["--no-authors"], [], ["--format", "html"]):
            cmd = [sys.executable, "-m", "guidelines_app.cli", "diff", long_history.SLUG, a, b, *extra]
            out = subprocess.run(cmd, cwd=root, env=ENV, check=True, capture_output=True, text=True).stdout
            print(f"diff {a} {b} {' '.join(extra)}: {show(out)}", flush=True)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from guidelines_app.core.workspace import Workspace
    from guidelines_app.review import compare_first, history
    from guidelines_app.review import diff as diffmod
    from guidelines_app.ui.review import compare_pages

    ws = Workspace.open(root)
    for a, b in PAIRS:
        sha_a, sha_b = history.resolve_all(ws, long_history.SLUG, [a, b])
        result = diffmod.diff_texts(history.text_of_commit(ws, long_history.SLUG, sha_a),
                                    history.text_of_commit(ws, long_history.SLUG, sha_b))
        paged = compare_first.for_pages(result)
        head, complete = compare_first.head_of(paged)
        changes = result.changes()
        parts = [result.verdict(), repr([(c.index, c.row, c.block, c.label) for c in changes]),
                 repr(compare_first.sections(result, changes)), repr(complete)]
        parts += [f"{side}:{html}" for side, html in compare_first.render_pages(paged, compare_pages.ALL_SIDES).items()]
        parts += [f"head {side}:{html}" for side, html in compare_first.render_pages(head, ("old", "new")).items()]
        print(f"window {a} {b}: {show(chr(10).join(parts))}", flush=True)


if __name__ == "__main__":
    main()
