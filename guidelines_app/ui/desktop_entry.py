"""The app in the desktop's application menu (freedesktop: Linux and the
BSDs): a launcher (.desktop file), the icon in the hicolor theme and the
AppStream metadata, written into the user's data folder
(``$XDG_DATA_HOME``, by default ``~/.local/share``).  No Qt here: the
bundle's install step runs it before any window exists.

The Markdown association is offered, never forced: only with
``associate_md`` does the launcher say it opens ``text/markdown``, which puts
Guideline Studio in the file manager's "Open With" list; the default
application for Markdown files is left as the user set it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

from guidelines_app import __version__
from guidelines_app.core.fileio import atomic_write_text
from guidelines_app.core.paths import resources_dir

APP_ID = "org.guidelinestudio.GuidelineStudio"
MARKDOWN_MIME = "text/markdown"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def icon_paths() -> list[Path]:
    """The icon's PNGs, smallest first (what a window icon is built from)."""
    folder = resources_dir() / "icons"
    return [folder / f"guideline-studio-{size}.png" for size in ICON_SIZES]


def desktop_file_text(command: list[str], associate_md: bool = False) -> str:
    """The launcher, starting *command* (with the file to open after it)."""
    template = (resources_dir() / "desktop" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    text = template.replace("@EXEC@", " ".join(_desktop_quote(part) for part in command))
    if associate_md:
        text += f"MimeType={MARKDOWN_MIME};\n"
    return text


def _desktop_quote(arg: str) -> str:
    # The Desktop Entry spec's quoting: reserved characters inside double quotes.
    if all(c.isalnum() or c in "/._-+=:," for c in arg):
        return arg
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped}"'


def install(command: list[str], associate_md: bool = False, home: Path | None = None) -> list[Path]:
    """Write the launcher, icons and metadata under *home* (the data folder);
    the files written.  Running it again replaces them (a moved bundle)."""
    home = home or data_home()
    written: list[Path] = []
    launcher = home / "applications" / f"{APP_ID}.desktop"
    _write(launcher, desktop_file_text(command, associate_md), written)
    meta = (resources_dir() / "desktop" / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    _write(home / "metainfo" / f"{APP_ID}.metainfo.xml", meta.replace("@VERSION@", __version__), written)
    for size, png in zip(ICON_SIZES, icon_paths()):
        target = home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, target)
        written.append(target)
    svg = home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    svg.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(resources_dir() / "icons" / "guideline-studio.svg", svg)
    written.append(svg)
    _refresh_caches(home)
    return written


def _write(path: Path, text: str, written: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, text)
    written.append(path)


def _refresh_caches(home: Path) -> None:
    """Tell the desktop about the new launcher where its tools exist (optional)."""
    for tool, args in (("update-desktop-database", [str(home / "applications")]),
                       ("gtk-update-icon-cache", ["-f", "-t", str(home / "icons" / "hicolor")])):
        if shutil.which(tool):
            subprocess.run([tool, *args], capture_output=True, check=False, timeout=30)


def describe(command: list[str], written: list[Path], associate_md: bool) -> str:
    lines = [f"Installed {len(written)} files for the application menu, starting: {shlex.join(command)}"]
    lines += [f"  {path}" for path in written[:2]]
    if associate_md:
        lines.append("Guideline Studio is offered under 'Open With' for Markdown files "
                     "(your default application for them is unchanged).")
    else:
        lines.append("To offer Guideline Studio under 'Open With' for Markdown files, run the install step again "
                     "with --associate-md.")
    return "\n".join(lines)
