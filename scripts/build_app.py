"""Builds Guideline Studio as a one-folder desktop bundle with PyInstaller,
for the platform it runs on (Linux, Windows or macOS: the same script).

    python3 -m pip install -e '.[bundle]'
    python3 scripts/build_app.py [--dist DIR] [--work DIR] [--archive]

The result is DIST/GuidelineStudio/ with the program ``guidelines-app``
(``guidelines-app.exe`` on Windows) and everything it needs: Python, Qt,
every feature module, the templates, the resources (style sheets, icon,
user guide, launcher files) and python-docx's data.  It uses the computer's
own git.  On Linux, ``install.sh`` in that folder adds the app to the
desktop's application menu.  ``--archive`` also packs the folder into
DIST/GuidelineStudio-VERSION-PLATFORM.tar.gz (.zip on Windows).

The feature modules are taken from the window's explicit FEATURES list
(``guidelines_app.ui.main_window``) and checked in the finished bundle: a
feature that did not make it in fails the build, not the user.
"""

from __future__ import annotations

import argparse
import dis
import importlib.util
import os
import platform
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NAME = "GuidelineStudio"
PROGRAM = "guidelines-app"
# Third-party packages whose files (not only their code) the app needs, and
# those that load their own modules by name at run time.
COLLECT_DATA = ["guidelines_app", "docx"]
COLLECT_SUBMODULES = ["guidelines_app", "markdown"]
# Large parts of the dependencies the app never uses.
EXCLUDES = ["tkinter", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtQuick", "PySide6.QtQml",
            "PySide6.Qt3DCore", "PySide6.QtMultimedia", "PySide6.QtCharts", "PySide6.QtDataVisualization", "pytest",
            "hypothesis", "IPython"]
INSTALL_SH = """#!/bin/sh
# Adds Guideline Studio to this computer's application menu: a launcher,
# the icon and the AppStream metadata in ~/.local/share (nothing outside
# your home folder).  Add --associate-md to also offer it under "Open With"
# for Markdown files; your default application for them is not changed.
here="$(cd "$(dirname "$0")" && pwd)"
exec "$here/guidelines-app" --install-desktop "$@"
"""
README_TXT = """Guideline Studio {version}

Start the app: run {program} in this folder{launcher}.
The app keeps every revision with git: install git if it is not on this
computer (Windows: Git for Windows; macOS: the Xcode command line tools,
'xcode-select --install'; Linux: your package manager).
Check the bundle without opening a window: {program} --self-test
"""


def feature_list() -> tuple:
    """The window's explicit FEATURES list: (name, install) pairs."""
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from guidelines_app.ui.self_test import feature_list as listed

    return listed()


def feature_modules() -> list[str]:
    """The modules of the window's features: each install's own module, or
    the modules it imports when it loads its feature on first need."""
    modules: list[str] = []
    for entry in feature_list():
        install = entry[1]
        if isinstance(install, str):
            found = [install.split(":", 1)[0]]
        else:
            found = [i.argval for i in dis.get_instructions(install)
                     if i.opname == "IMPORT_NAME" and str(i.argval).startswith("guidelines_app.")] or [install.__module__]
        modules += [m for m in found if m not in modules]
    return modules


def package_data_dirs() -> dict[str, Path]:
    """Packages whose folder sits elsewhere in the repository (pyproject's package-dir)."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config.get("tool", {}).get("setuptools", {}).get("package-dir", {})
    return {package: REPO / folder for package, folder in mapping.items() if package}


def pyinstaller_args(dist: Path, work: Path, spec_dir: Path) -> list[str]:
    sep = os.pathsep  # PyInstaller's SOURCE{sep}DEST
    args = ["--noconfirm", "--clean", "--onedir", "--windowed", "--name", PROGRAM, "--contents-directory", "_internal",
            "--distpath", str(dist), "--workpath", str(work), "--specpath", str(spec_dir), "--paths", str(REPO)]
    if importlib.util.find_spec("PIL") is not None:  # PyInstaller converts the PNG to .ico / .icns with Pillow
        args += ["--icon", str(REPO / "resources" / "icons" / "guideline-studio-256.png")]
    for module in feature_modules():
        args += ["--hidden-import", module]
    for package in COLLECT_DATA:
        args += ["--collect-data", package]
    for package in COLLECT_SUBMODULES:
        args += ["--collect-submodules", package]
    for package, folder in package_data_dirs().items():
        args += ["--add-data", f"{folder}{sep}{package.replace('.', '/')}"]
    # python-docx finds its templates as docx/parts/../templates: the folder
    # docx/parts must exist in the bundle, also when all its code is archived.
    parts = spec_dir / "docx-parts"
    parts.mkdir(parents=True, exist_ok=True)
    (parts / "README.txt").write_text("python-docx resolves docx/templates from this folder.\n", encoding="utf-8")
    args += ["--add-data", f"{parts}{sep}docx/parts"]
    for module in EXCLUDES:
        args += ["--exclude-module", module]
    return args + [str(REPO / "main.py")]


def check_bundle(folder: Path) -> None:
    """Every feature module and data folder made it into *folder*, else SystemExit."""
    internal = folder / "_internal"
    missing = [str(p) for p in (internal / "docx" / "templates" / "default-header.xml", internal / "docx" / "parts")
               if not p.exists()]
    missing += [package for package in package_data_dirs() if not (internal / package.replace(".", "/")).is_dir()]
    archive = _archived_modules(folder)
    if archive is not None:
        missing += [m for m in feature_modules() if m not in archive]
    if missing:
        raise SystemExit("error: the bundle is missing: " + ", ".join(missing))


def _archived_modules(folder: Path) -> set[str] | None:
    """The modules in the bundle's archive (PyInstaller's own reader)."""
    try:
        from PyInstaller.archive.readers import CArchiveReader
    except ImportError:
        return None
    exe = folder / (PROGRAM + (".exe" if sys.platform == "win32" else ""))
    reader = CArchiveReader(str(exe))
    names: set[str] = set()
    for name in reader.toc:
        if name.endswith("PYZ.pyz") or name == "PYZ-00.pyz":
            names |= set(reader.open_embedded_archive(name).toc)
    if not names:
        from PyInstaller.archive.readers import ZlibArchiveReader

        pyz = next(iter(sorted((folder / "_internal").glob("*.pyz"))), None) or next(iter(sorted(folder.rglob("PYZ*.pyz"))), None)
        if pyz is not None:
            names |= set(ZlibArchiveReader(str(pyz)).toc)
    return names or None


def finish(folder: Path, version: str) -> None:
    launcher = ""
    if sys.platform.startswith("linux"):
        script = folder / "install.sh"
        script.write_text(INSTALL_SH, encoding="utf-8")
        script.chmod(0o755)
        launcher = "; ./install.sh adds it to your application menu"
    (folder / "README.txt").write_text(README_TXT.format(version=version, program=PROGRAM, launcher=launcher),
                                       encoding="utf-8")


def archive(folder: Path, version: str) -> Path:
    system = {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    base = folder.parent / f"{NAME}-{version}-{system}-{platform.machine().lower()}"
    fmt = "zip" if sys.platform == "win32" else "gztar"
    return Path(shutil.make_archive(str(base), fmt, root_dir=folder.parent, base_dir=folder.name))


def build(dist: Path, work: Path | None = None, make_archive: bool = False) -> Path:
    """Build the bundle into DIST/GuidelineStudio; its folder."""
    import PyInstaller.__main__

    sys.path.insert(0, str(REPO))
    from guidelines_app import __version__

    dist = dist.resolve()
    work = (work or Path(tempfile.mkdtemp(prefix="guidelines-build-"))).resolve()
    target = dist / NAME
    if target.exists():
        shutil.rmtree(target)
    PyInstaller.__main__.run(pyinstaller_args(work / "dist", work / "build", work / "spec"))
    dist.mkdir(parents=True, exist_ok=True)
    shutil.move(str(work / "dist" / PROGRAM), str(target))
    check_bundle(target)
    finish(target, __version__)
    if make_archive:
        print("archive:", archive(target, __version__))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build Guideline Studio as a one-folder desktop bundle.")
    parser.add_argument("--dist", default=str(REPO / "dist"), help="output folder (default: dist/)")
    parser.add_argument("--work", help="PyInstaller's working folder (default: a temporary one)")
    parser.add_argument("--archive", action="store_true", help="also pack the bundle into a .tar.gz (.zip on Windows)")
    args = parser.parse_args(argv)
    folder = build(Path(args.dist), Path(args.work) if args.work else None, args.archive)
    print("bundle:", folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
