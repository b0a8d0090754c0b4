"""The `guidelines` commands a user runs, timed end to end as whole processes,
against git's (or pandoc's) own way to the same answer, on a ~40,000-word
guideline with 2,000 and 20,000 revisions (``long_history``; built once and
cached under benchmarks/.cache/).

A CLI figure is the command's time above its floor, the time of
``guidelines list`` on the same workspace (the interpreter and imports),
which is printed beside it: the median of each round's difference
(``Timings.above``; the difference of the two medians printed beside).
Every figure is the median of --repeat runs (at least 5), ours and the
reference run in turn so a busy machine slows both alike.  One line per figure:

    RESULT name ours_s=... reference_s=... ratio=... target=<=2 met=yes

Figures: `--version` against `python3 -c pass`; `history DOC` against
`git log` (asked again: what each commit says kept in the log cache, and
the walk of the history kept while nothing changed; the listing walked
afresh, as after a save, and the one without the log cache printed
beside); `diff DOC HEAD~N HEAD --no-authors` against
`git diff --word-diff=porcelain` (N = 1, 150, 1,500), the first time (no
kept answer: ``.git/guidelines/answer-cache`` cleared before each run) and
asked again (the kept answer); `diff DOC HEAD~N HEAD` with authors the
first time (kept answers and kept blame cleared) against that plus
`git blame --line-porcelain -L<changed lines> A..B`, and asked again
against the word diff alone; `export DOC` (Word) against `pandoc` as whole
commands.

    python3 benchmarks/bench_commands.py [--revisions 2000 20000] [--repeat 5] [--only export]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import long_history  # noqa: E402

SLUG = long_history.SLUG
RELPATH = long_history.RELPATH
ENV = dict(os.environ, PYTHONPATH=str(REPO), GIT_CONFIG_NOSYSTEM="1")
# As installed: Python's compiled modules are written once and used after
# (a setting that forbids them would time the compiling of every module).
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
GUIDELINES = [sys.executable, "-m", "guidelines_app.cli"]


def run(cmd: list[str], cwd: Path) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


class Timings(dict):
    """{job: its median seconds} of jobs run in turn, and every round's
    seconds (``rounds``), for figures above the floor (``above``)."""

    def __init__(self, rounds: dict[str, list[float]]):
        super().__init__({name: statistics.median(ts) for name, ts in rounds.items()})
        self.rounds = rounds

    def above(self, name: str, floor: str = "floor") -> float:
        """The median of *name*'s time above *floor*'s in the same round.
        Each round runs both within a second, so a moment when the machine
        is busy slows both alike; the difference of the two medians (printed
        beside each figure) mixes rounds, and swung from run to run by more
        than a figure of a few milliseconds."""
        return statistics.median(a - b for a, b in zip(self.rounds[name], self.rounds[floor], strict=True))


def medians(jobs: dict[str, callable], repeat: int) -> Timings:
    """Median seconds of each job, the jobs run in turn *repeat* times."""
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(repeat):
        for name, job in jobs.items():
            times[name].append(job())
    return Timings(times)


def result_above(name: str, m: Timings, ours: str, reference: float, target: float) -> bool:
    """A command's figure above the floor (``Timings.above``); the difference
    of the medians is printed beside it."""
    met = result(name, m.above(ours), reference, target)
    print(f"  (the medians' difference: ours_s={m[ours] - m['floor']:.4f} "
          f"ratio={(m[ours] - m['floor']) / reference:.2f})", flush=True)
    return met


def result(name: str, ours: float, reference: float, target: float) -> bool:
    ratio = ours / reference if reference > 0 else float("inf")
    met = ratio <= target
    print(f"RESULT {name} ours_s={ours:.4f} reference_s={reference:.4f} ratio={ratio:.2f} target=<={target:g} "
          f"met={'yes' if met else 'NO'}", flush=True)
    if ours < 0:  # a figure above the floor: this command did less than `guidelines list`
        print("  (below zero: quicker than the floor, `guidelines list`, which reads every document and its details)",
              flush=True)
    return met


def git_out(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, env=ENV, check=True, capture_output=True, text=True).stdout


def changed_line_ranges(root: Path, a: str, b: str) -> list[str]:
    """-L arguments for the new side's changed lines (git diff -U0 hunks)."""
    ranges = []
    for line in git_out(root, "diff", "-U0", "--no-color", a, b, "--", RELPATH).splitlines():
        if line.startswith("@@"):
            new = line.split(" ")[2][1:]
            start, _, count = new.partition(",")
            count = int(count) if count else 1
            if count:
                ranges.append(f"-L{start},+{count}")
    return ranges


def clear_history_caches(root: Path, statuses: bool = True) -> None:
    """Forget what the history listing keeps (the log cache and the kept
    walk; with *statuses* also the statuses read for commits by plain git)."""
    shutil.rmtree(root / ".git" / "guidelines" / "log-cache", ignore_errors=True)
    clear_walk_cache(root)
    if statuses:
        shutil.rmtree(root / ".git" / "guidelines" / "status-cache", ignore_errors=True)


def clear_walk_cache(root: Path) -> None:
    """Forget the kept walks (``core.walkcache``): as after a save, the
    history is walked by git afresh."""
    shutil.rmtree(root / ".git" / "guidelines" / "walk-cache", ignore_errors=True)


def clear_blame_cache(root: Path) -> None:
    shutil.rmtree(root / ".git" / "guidelines" / "blame-cache", ignore_errors=True)


def clear_answer_cache(root: Path) -> None:
    """The kept text redlines (``core.answercache``): a first comparison."""
    shutil.rmtree(root / ".git" / "guidelines" / "answer-cache", ignore_errors=True)


def bench_history_and_diff(revisions: int, repeat: int) -> bool:
    """Long on purpose: one figure after another for one workspace, each with
    its reference in the same loop."""
    root = long_history.workspace(revisions)
    print(f"workspace: {root} ({len(long_history.revision_ids(root))} revisions)", flush=True)
    clear_history_caches(root)
    first = run([*GUIDELINES, "history", SLUG], root)
    print(f"  first history run (reads the commits by plain git, then kept in the status cache and the log cache): "
          f"{first:.2f} s", flush=True)
    floor = [*GUIDELINES, "list"]
    history = [*GUIDELINES, "history", SLUG]
    git_log = ["git", "log", "--format=%H%x1f%aI%x1f%an%x1f%ae%x1f%D%x1f%B%x1e", "--", RELPATH]
    ok = True

    def uncached():
        clear_history_caches(root, statuses=False)
        return run(history, root)

    def walked():
        clear_walk_cache(root)
        return run(history, root)

    m = medians({"floor": lambda: run(floor, root), "ours": lambda: run(history, root), "git": lambda: run(git_log, root),
                 "uncached": uncached, "walked": walked}, repeat)
    print(f"  floor (guidelines list): {m['floor']:.3f} s", flush=True)
    ok &= result_above(f"history_{revisions}", m, "ours", m["git"], 2)
    # Beside it, the listing with the history walked by git afresh (after a save, a tag, a sign-off) ...
    print(f"  history walked afresh (as after a save): ours_s={m.above('walked'):.4f} "
          f"ratio={m.above('walked') / m['git']:.2f}", flush=True)
    # ... and the listing that fills the log cache (after a history was rewritten, or the first time).
    print(f"  history without the log cache: ours_s={m.above('uncached'):.4f} "
          f"ratio={m.above('uncached') / m['git']:.2f}", flush=True)
    for gap in (1, 150, 1500):
        a = git_out(root, "rev-list", "--max-count=1", f"--skip={gap}", "HEAD", "--", RELPATH).strip()
        b = git_out(root, "rev-parse", "HEAD").strip()
        word_diff = ["git", "diff", "--word-diff=porcelain", "--no-color", a, b, "--", RELPATH]
        blame = ["git", "blame", "--line-porcelain", *changed_line_ranges(root, a, b), f"{a}..{b}", "--", RELPATH]
        diff = [*GUIDELINES, "diff", SLUG, f"HEAD~{gap}", "HEAD"]

        def first_time(cmd):
            clear_answer_cache(root)
            clear_blame_cache(root)
            return run(cmd, root)

        # First time: no kept answer (nor kept blame); asked again: the
        # answer written by the run before.
        m = medians({"floor": lambda: run(floor, root),
                     "no_authors_first": lambda diff=diff: first_time([*diff, "--no-authors"]),
                     "no_authors_again": lambda diff=diff: run([*diff, "--no-authors"], root),
                     "word_diff": lambda wd=word_diff: run(wd, root),
                     "authors_first": lambda diff=diff: first_time(diff),
                     "git_blame": lambda wd=word_diff, bl=blame: run(wd, root) + run(bl, root),
                     "authors_again": lambda diff=diff: run(diff, root)},
                    repeat)
        ok &= result_above(f"diff_no_authors_first_{revisions}_gap{gap}", m, "no_authors_first", m["word_diff"], 2)
        ok &= result_above(f"diff_no_authors_cached_{revisions}_gap{gap}", m, "no_authors_again", m["word_diff"], 2)
        ok &= result_above(f"diff_authors_first_{revisions}_gap{gap}", m, "authors_first", m["git_blame"], 2)
        ok &= result_above(f"diff_authors_cached_{revisions}_gap{gap}", m, "authors_again", m["word_diff"], 2)
    return ok


def bench_version(repeat: int) -> bool:
    cwd = Path(tempfile.gettempdir())
    m = medians({"ours": lambda: run([*GUIDELINES, "--version"], cwd),
                 "bare": lambda: run([sys.executable, "-c", "pass"], cwd)}, repeat)
    return result("version", m["ours"], m["bare"], 3)


def bench_export(repeat: int) -> bool:
    """`guidelines export DOC -o x.docx` (the working copy, every feature on:
    title page, contents, status from the versions, revision count) against
    `pandoc DOC.md -o x.docx`, both whole commands; the first export after
    an install (which builds the house template into the cache folder) is
    printed beside them."""
    if not shutil.which("pandoc"):
        print("export: skipped (pandoc is not installed)")
        return True
    root = long_history.workspace(2000)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.md"
        source.write_bytes((root / RELPATH).read_bytes())
        ours = [*GUIDELINES, "export", SLUG, "-o", str(Path(tmp) / "ours.docx")]
        cache = subprocess.run([sys.executable, "-c", "from guidelines_app.publishing.docx.styles import house_template_cache as c; "
                                "print(c() or '')"], env=ENV, check=True, capture_output=True, text=True).stdout.strip()
        if cache:
            Path(cache).unlink(missing_ok=True)
        first = run(ours, root)
        print(f"  first export (builds the house template into {cache or 'no cache folder'}): {first:.3f} s", flush=True)
        m = medians({"ours": lambda: run(ours, root),
                     "pandoc": lambda: run(["pandoc", str(source), "-o", str(Path(tmp) / "pandoc.docx")], root)},
                    repeat)
    return result("export_40000_words", m["ours"], m["pandoc"], 0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--revisions", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=("version", "history-diff", "export"), help="run only these figures")
    args = parser.parse_args()
    repeat = max(5, args.repeat)
    ok = True
    if args.only in (None, "version"):
        ok &= bench_version(repeat)
    if args.only in (None, "history-diff"):
        for revisions in args.revisions:
            ok &= bench_history_and_diff(revisions, repeat)
    if args.only in (None, "export"):
        ok &= bench_export(repeat)
    print("all targets met" if ok else "some targets NOT met")


if __name__ == "__main__":
    main()
