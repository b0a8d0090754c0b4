"""Collects the desktop app's user-visible strings for translators, with
Qt's own tool (pyside6-lupdate, part of PySide6).

    python3 scripts/extract_strings.py [OUT.ts]

Scans every module of guidelines_app/ui (the strings marked with ``self.tr``
or ``QCoreApplication.translate``) and writes a Qt Linguist file, by default
build/translations/guideline-studio.ts.  Running it again on an existing
file keeps the translations already made.  A finished translation is
compiled with pyside6-lrelease into resources/translations/
guideline-studio_LANG.qm (for example guideline-studio_de.qm), where the app
picks it up for that language; none ships yet.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "build" / "translations" / "guideline-studio.ts"


def lupdate_program() -> list[str] | None:
    found = shutil.which("pyside6-lupdate")
    if found:
        return [found]
    try:
        import PySide6
    except ImportError:
        return None
    folder = Path(PySide6.__file__).parent
    for candidate in (folder / "lupdate", folder / "Qt" / "libexec" / "lupdate", folder / "lupdate.exe"):
        if candidate.is_file():
            return [str(candidate)]
    return None


def sources() -> list[Path]:
    return sorted((REPO / "guidelines_app" / "ui").rglob("*.py"))


def extract(out: Path = DEFAULT_OUT) -> subprocess.CompletedProcess:
    program = lupdate_program()
    if program is None:
        raise SystemExit("error: pyside6-lupdate was not found (it comes with PySide6)")
    out.parent.mkdir(parents=True, exist_ok=True)
    files = [str(p.relative_to(REPO)) for p in sources()]
    return subprocess.run([*program, *files, "-ts", str(out)], cwd=REPO, capture_output=True, text=True, check=False)


def main(argv: list[str]) -> int:
    out = Path(argv[0]).resolve() if argv else DEFAULT_OUT
    done = extract(out)
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    if done.returncode == 0:
        print("wrote", out)
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
