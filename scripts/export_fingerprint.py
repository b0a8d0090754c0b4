"""Fingerprint the Word and HTML exports of fixed inputs, to prove that a
refactoring left the output byte-identical.

    python3 scripts/export_fingerprint.py > before.txt
    ... change the code ...
    python3 scripts/export_fingerprint.py > after.txt && diff before.txt after.txt

It builds a workspace in a temporary folder (fixed author and dates), saves
the test fixtures of ``tests/export_fixtures.py`` and, when the folder is
there, each revision of ``../shared/corpus``, and runs the real CLI
(``python3 -m guidelines_app.cli``) to export each to .docx and .html. A .docx is
a zip whose member dates vary, so each member's bytes are hashed, not the
zip (less the export time in docProps/core.xml). Also fingerprints the redline of each corpus step (its member hashes),
which is printed separately because a redline may change on purpose.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "gitlab-social-media-policy"
ENV_DATES = {
    "GIT_AUTHOR_NAME": "Fingerprint",
    "GIT_AUTHOR_EMAIL": "fp@example.org",
    "GIT_COMMITTER_NAME": "Fingerprint",
    "GIT_COMMITTER_EMAIL": "fp@example.org",
    "GIT_AUTHOR_DATE": "2025-01-02T10:00:00+00:00",
    "GIT_COMMITTER_DATE": "2025-01-02T10:00:00+00:00",
}


def run(env: dict, *args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "guidelines_app.cli", *args], env=env,
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"error: guidelines {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout


def digest(path: Path) -> str:
    if path.suffix == ".docx":
        h = hashlib.sha256()
        with zipfile.ZipFile(path) as z:
            for name in sorted(z.namelist()):
                data = z.read(name)
                if name == "docProps/core.xml":  # created/modified: the time of the export
                    data = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", data)
                h.update(name.encode() + b"\0" + data + b"\0")
        return h.hexdigest()[:16]
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def inputs() -> list[tuple[str, str]]:
    sys.path.insert(0, str(ROOT / "tests"))
    import export_fixtures  # noqa: PLC0415

    found = [(name.lower(), value) for name, value in sorted(vars(export_fixtures).items())
             if name.isupper() and isinstance(value, str) and value.startswith("---")]
    if CORPUS.is_dir():
        found += [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("v*.md"))]
    return found


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        env = dict(os.environ, GUIDELINES_WORKSPACE=str(ws), HOME=tmp, XDG_CONFIG_HOME=f"{tmp}/cfg", **ENV_DATES)
        run(env, "init")
        for key, value in (("user.name", "Fingerprint"), ("user.email", "fp@example.org")):
            subprocess.run(["git", "-C", str(ws), "config", key, value], check=True)
        (ws / "guidelines").mkdir(exist_ok=True)
        corpus_slugs = []
        for name, text in inputs():
            slug = f"fp-{name}"
            target = ws / "guidelines" / f"{slug}.md"
            target.write_text(text, encoding="utf-8", newline="")
            run(env, "save", slug, "-m", f"Add {name}")
            for fmt in ("docx", "html"):
                out = Path(tmp) / f"{slug}.{fmt}"
                run(env, "export", slug, "-o", str(out))
                print(f"{slug}.{fmt}\t{digest(out)}")
            if name.startswith("v"):
                corpus_slugs.append(slug)
        # One document through all corpus revisions, for redlines between steps.
        if CORPUS.is_dir():
            slug = "fp-corpus"
            target = ws / "guidelines" / f"{slug}.md"
            for p in sorted(CORPUS.glob("v*.md")):
                target.write_text(p.read_text(encoding="utf-8"), encoding="utf-8", newline="")
                run(env, "save", slug, "-m", f"Revision {p.stem}")
            steps = len(list(CORPUS.glob("v*.md")))
            for back in range(steps - 1, 0, -1):
                out = Path(tmp) / f"redline-{back}.docx"
                run(env, "diff", slug, f"HEAD~{back}", f"HEAD~{back - 1}", "--format", "docx", "-o", str(out))
                print(f"redline HEAD~{back}..HEAD~{back - 1}.docx\t{digest(out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
