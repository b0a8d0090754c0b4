"""History listing and section-aware diff on a long history.

Builds (with ``git fast-import``) a workspace holding a ~40,000-word
guideline with 2,000 revisions (small edits, added and removed paragraphs,
a new table row now and then, a published version every 100 revisions), then
prints, measured side by side in this run:

* listing the history (``history.history``) vs ``git log --format=... -- file``;
* the section-aware word diff between revisions 1,500 apart
  (``diff.diff_revisions``) vs ``git diff --word-diff`` on the same pair.

Times are medians of several runs, ours and git's taken alternately.
Targets: both ratios at most 2.  Usage: python3 benchmarks/bench_history_diff.py [REVISIONS] [WORDS]
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sample_document import _WORDS, generate  # noqa: E402

from guidelines_app.core.workspace import Workspace  # noqa: E402
from guidelines_app.review import diff as diffmod  # noqa: E402
from guidelines_app.review import history  # noqa: E402

SLUG = "social-media-guidelines"
RELPATH = f"guidelines/{SLUG}.md"


def _edit(lines: list[str], rng: random.Random) -> None:
    """One revision's worth of editing, as people do it: a word here, a new
    sentence there, sometimes a paragraph or a table row."""
    paras = [i for i, ln in enumerate(lines) if len(ln) > 80 and not ln.startswith(("#", "|", "-", " "))]
    for _ in range(rng.randint(1, 3)):
        i = rng.choice(paras)
        words = lines[i].split(" ")
        k = rng.randrange(len(words))
        words[k] = rng.choice(_WORDS)
        lines[i] = " ".join(words)
    roll = rng.random()
    if roll < 0.08:
        i = rng.choice(paras)
        lines[i + 1:i + 1] = ["", " ".join(rng.choice(_WORDS) for _ in range(40)).capitalize() + "."]
    elif roll < 0.12:
        i = rng.choice(paras)
        if i + 1 < len(lines) and lines[i + 1] == "":
            del lines[i:i + 2]
    elif roll < 0.15:
        rows = [i for i, ln in enumerate(lines) if ln.startswith("| ") and not ln.startswith("| Post type")]
        if rows:
            i = rng.choice(rows)
            lines.insert(i + 1, f"| {rng.choice(_WORDS)} | {rng.choice(_WORDS)} | {rng.randint(1, 48)} hours |")


def build(root: Path, revisions: int, words: int) -> list[str]:
    """The workspace at *root*; returns the commit ids, oldest first."""
    Workspace.create(root).close()
    rng = random.Random(11)
    text = generate(words)
    front_end = text.index("\n---\n", 4) + 5
    front, lines = text[:front_end], text[front_end:].split("\n")
    stream = tempfile.TemporaryFile()
    t0 = 1_600_000_000
    for n in range(1, revisions + 1):
        if n > 1:
            _edit(lines, rng)
        data = (front + "\n".join(lines)).encode("utf-8")
        msg = f"Edit revision {n}".encode()
        when = t0 + n * 3600
        stream.write(b"commit refs/heads/main\n")
        stream.write(f"mark :{n}\n".encode())
        stream.write(f"author Writer {n % 7} <w{n % 7}@example.org> {when} +0000\n".encode())
        stream.write(f"committer Writer {n % 7} <w{n % 7}@example.org> {when} +0000\n".encode())
        stream.write(f"data {len(msg)}\n".encode() + msg + b"\n")
        stream.write(f"M 100644 inline {RELPATH}\ndata {len(data)}\n".encode() + data + b"\n")
        if n % 100 == 0:
            tag_msg = f"Version {n // 100}.0 of Social media guidelines\nPeriodic review\n\nStatus: approved\nApprover: A. Person\n".encode()
            stream.write(f"tag {SLUG}/v{n // 100}.0\nfrom :{n}\ntagger Lead <lead@example.org> {when} +0000\n".encode())
            stream.write(f"data {len(tag_msg)}\n".encode() + tag_msg + b"\n")
    stream.seek(0)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, stdin=stream, check=True)
    subprocess.run(["git", "checkout", "--quiet", "-f", "main"], cwd=root, check=True)
    out = subprocess.run(["git", "rev-list", "--reverse", "main", "--", RELPATH], cwd=root, check=True, capture_output=True, text=True)
    return out.stdout.split()


def side_by_side(ours, reference, repeat: int = 9, best: list | None = None) -> tuple[float, float]:
    """Median times of *ours* and *reference*, run alternately so that a busy
    machine slows both alike.  Nothing is cached between runs: each call
    reads the revisions from git and computes everything again."""
    mine, ref = [], []
    for _ in range(repeat):
        for func, times in ((reference, ref), (ours, mine)):
            t = time.perf_counter()
            func()
            times.append(time.perf_counter() - t)
    if best is not None:  # the fastest of each: the figures least touched by other jobs
        best.append(min(mine) / min(ref))
    return statistics.median(mine), statistics.median(ref)


def main() -> None:
    revisions = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    words = int(sys.argv[2]) if len(sys.argv) > 2 else 40_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        t = time.perf_counter()
        commits = build(root, revisions, words)
        print(f"built {len(commits)} revisions of a {words}-word document in {time.perf_counter() - t:.1f} s")
        env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1")

        def git(*args: str) -> None:
            subprocess.run(["git", *args], cwd=root, check=True, stdout=subprocess.DEVNULL, env=env)

        with Workspace.open(root) as ws:
            entries = history.history(ws, SLUG)
            assert len(entries) == len(commits), (len(entries), len(commits))
            assert sum(1 for e in entries if e.versions) >= revisions // 100 - 1

            ours_log, ref_log = side_by_side(lambda: history.history(ws, SLUG),
                                             lambda: git("log", "--format=%H%x1f%aI%x1f%an%x1f%ae%x1f%B%x1e", "--", RELPATH), 15)
            print(f"history listing: ours {ours_log * 1000:.1f} ms, git log {ref_log * 1000:.1f} ms, "
                  f"ratio {ours_log / ref_log:.2f} (target <= 2)")
            t = time.perf_counter()
            history.history(ws, SLUG, exact_status=True)
            print(f"  (exact statuses, read in the background by the app: {(time.perf_counter() - t) * 1000:.0f} ms)")

            ratios, best = [], []
            # Five pairs, each timed 15 times in turn with git: the machine's
            # noise (other jobs on a shared host) moves single figures a lot.
            pairs = [(commits[i], commits[i + 1500]) for i in (0, 100, 200, 300, 400) if i + 1500 < len(commits)]
            for a, b in pairs:
                ours, ref = side_by_side(lambda a=a, b=b: diffmod.diff_revisions(ws, SLUG, a, b),
                                         lambda a=a, b=b: git("diff", "--word-diff", "--no-color", a, b, "--", RELPATH), 15, best)
                d = diffmod.diff_revisions(ws, SLUG, a, b)
                ratios.append(ours / ref)
                print(f"diff {a[:8]}..{b[:8]}: ours {ours * 1000:.1f} ms, git diff --word-diff {ref * 1000:.1f} ms, "
                      f"ratio {ours / ref:.2f}; {len(d.changes())} changes, {d.words_inserted}+/{d.words_deleted}- words")
            print(f"section-aware diff, revisions 1,500 apart: median ratio {statistics.median(ratios):.2f} (target <= 2); "
                  f"fastest against fastest: {min(best):.2f}-{max(best):.2f}")


if __name__ == "__main__":
    main()
