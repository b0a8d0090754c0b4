"""A workspace with a long history, as the benchmarks need it: one ~40,000-word
guideline with 2,000 or 20,000 revisions, built with ``git fast-import`` and
kept under ``benchmarks/.cache/`` (git-ignored) between runs.

The revisions look like years of use: small edits (a word here, a sentence
there, now and then a paragraph or a table row), a review and a published
version (annotated tag) every 100 revisions, the document reopened as a draft
after each.  Nine saves in ten are the app's (with the ``Guidelines-Status:``
and ``Guidelines-Version:`` trailers a save writes); one in ten is a commit
by plain git, without trailers.

    python3 benchmarks/long_history.py 2000      # build (or find) and print the folder
"""

from __future__ import annotations

import hashlib
import random
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from sample_document import _WORDS, generate  # noqa: E402

from guidelines_app.core.statuscache import with_trailers  # noqa: E402

SLUG = "social-media-guidelines"
RELPATH = f"guidelines/{SLUG}.md"
CACHE = HERE / ".cache"
FORMAT = 2  # bump when the generated history changes


def _edit(lines: list[str], rng: random.Random) -> None:
    """One revision's worth of editing, as people do it."""
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


def _blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _front(status: str, version: str) -> str:
    return (f"---\ntitle: Social media guidelines\norganization: Example Org\nstatus: {status}\n"
            f"version: '{version}'\nowners:\n- Communications\n---\n")


def build(root: Path, revisions: int, words: int = 40_000) -> None:
    """Long on purpose: one pass writes the whole fast-import stream, revision
    by revision (commit, trailers, tags), straight into git."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    (root / "guidelines").mkdir(exist_ok=True)
    rng = random.Random(11)
    text = generate(words)
    body = text[text.index("\n---\n", 4) + 5:].split("\n")
    status, version, major = "draft", "0.1", 0
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=root, stdin=subprocess.PIPE)
    out = proc.stdin
    old_blob = None
    t0 = 1_600_000_000
    for n in range(1, revisions + 1):
        set_status = n == 1
        subject = f"Edit revision {n}"
        extra = ""
        if n > 1:
            if n % 100 == 50:
                status, set_status, subject = "in review", True, "Set status to in review"
                extra = "\n\nStatus: in review"
            elif n % 100 == 0:
                major += 1
                status, version, set_status = "approved", f"{major}.0", True
                subject = f"Publish version {version}: periodic review"
                extra = f"\n\nperiodic review\n\nStatus: approved\nVersion: {version}\nApprover: A. Person"
            else:
                _edit(body, rng)
                if status != "draft":
                    status, set_status, extra = "draft", True, "\n\nStatus: draft"
        data = (_front(status, version) + "\n".join(body)).encode("utf-8")
        new_blob = _blob_id(data)
        by_app = n % 10 != 7
        message = subject + extra
        if by_app:
            how = "set" if set_status else "kept"
            trailers = (f"Guidelines-Status: {status} ({how}; {(old_blob or '0' * 12)[:12]} {new_blob[:12]})\n"
                        f"Guidelines-Version: {version}")
            message = with_trailers(message, trailers)
        msg = message.encode("utf-8")
        when = t0 + n * 3600
        who = f"Writer {n % 7} <w{n % 7}@example.org> {when} +0000"
        out.write(f"commit refs/heads/main\nmark :{n}\nauthor {who}\ncommitter {who}\n".encode())
        out.write(f"data {len(msg)}\n".encode() + msg + b"\n")
        out.write(f"M 100644 inline {RELPATH}\ndata {len(data)}\n".encode() + data + b"\n")
        if n % 100 == 0:
            tag_msg = f"Version {version} of Social media guidelines\nperiodic review\n\nStatus: approved\nApprover: A. Person\n".encode()
            out.write(f"tag {SLUG}/v{version}\nfrom :{n}\ntagger Lead <lead@example.org> {when} +0000\n".encode())
            out.write(f"data {len(tag_msg)}\n".encode() + tag_msg + b"\n")
        old_blob = new_blob
    out.close()
    if proc.wait():
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "--quiet", "-f", "main"], cwd=root, check=True)
    subprocess.run(["git", "gc", "--quiet"], cwd=root, check=True)
    exclude = root / ".git" / "info" / "exclude"
    exclude.write_text(exclude.read_text(encoding="utf-8") + "\n.*.tmp\n", encoding="utf-8")


def workspace(revisions: int, words: int = 40_000) -> Path:
    """The cached workspace with *revisions* revisions (built the first time:
    about a minute for 2,000, several for 20,000)."""
    root = CACHE / f"ws-{revisions}-{words}-v{FORMAT}"
    done = root / ".git" / "guidelines-benchmark-complete"
    if not done.exists():
        shutil.rmtree(root, ignore_errors=True)
        root.parent.mkdir(parents=True, exist_ok=True)
        build(root, revisions, words)
        done.write_text("complete\n", encoding="utf-8")
    return root


def revision_ids(root: Path) -> list[str]:
    """The document's revisions, oldest first."""
    out = subprocess.run(["git", "rev-list", "--reverse", "HEAD", "--", RELPATH], cwd=root, check=True,
                         capture_output=True, text=True)
    return out.stdout.split()


if __name__ == "__main__":
    print(workspace(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
