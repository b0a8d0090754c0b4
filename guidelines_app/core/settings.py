"""The app's settings: one typed dataclass, stored as JSON in the user's
configuration folder.

Window geometry and similar view state are kept by Qt (QSettings) in the UI
layer; everything that affects what the core does lives here so the CLI and
the app agree.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import platformdirs

from guidelines_app.core.fileio import atomic_write_text
from guidelines_app.core.region import language_and_region, system_locale

CONFIG_DIR_ENV = "GUIDELINES_CONFIG_DIR"
MAX_RECENT = 8


def config_dir() -> Path:
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("GuidelineStudio", appauthor=False))


def settings_path() -> Path:
    return config_dir() / "settings.json"


def locale_spelling() -> str:
    """The spelling the desktop's language suggests (``core.region``):
    British for English outside the United States (en_GB, en_IE, en_AU,
    en_NZ, en_IN, en_ZA…; Windows says "English_United Kingdom"), American
    otherwise (and where the language is not set)."""
    language, region = language_and_region(system_locale("LC_MESSAGES"))
    return "en_GB" if language == "en" and region and region not in ("US", "PH", "UM") else "en_US"


@dataclass
class Settings:
    # Author of saved revisions; empty means "use git config".
    author_name: str = ""
    author_email: str = ""
    # Most recently opened first.
    recent_workspaces: list[str] = field(default_factory=list)
    # Milliseconds of quiet typing before the preview refreshes.
    preview_delay_ms: int = 300
    editor_font_size: int = 10
    # Zoom steps of the editor and preview (View > Zoom In / Out, Ctrl+0 resets).
    zoom: int = 0
    # Spelling: "en_US" or "en_GB" ("" = no spell checking); at first, as
    # the desktop's language suggests.
    spelling_language: str = field(default_factory=locale_spelling)
    # Optional house-style .docx for Word export.
    reference_docx: str = ""
    # View > Appearance: "system" (follow the desktop's colour scheme), "light" or "dark".
    appearance: str = "system"

    # Why the file could not be read (then every setting is its default), for
    # the user to be told; None when it was read, or there is none yet.
    unreadable: ClassVar[str | None] = None

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Read settings; a missing or damaged file gives the defaults (a
        damaged one says why in ``unreadable``, and ``save`` keeps it aside).

        Unknown keys are ignored and values of the wrong type fall back to
        their default, so an old or hand-edited file never stops the app.
        """
        path = path or settings_path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except UnicodeDecodeError:
            return cls._damaged(path, "it is not UTF-8 text")
        except json.JSONDecodeError as exc:
            return cls._damaged(path, f"line {exc.lineno}: {exc.msg}")
        except (OSError, ValueError) as exc:
            return cls._damaged(path, getattr(exc, "strerror", None) or str(exc))
        if not isinstance(raw, dict):
            return cls._damaged(path, "it holds no settings (a JSON object of names and values)")
        defaults = cls()
        values = {}
        for f in dataclasses.fields(cls):
            if f.name not in raw:
                continue
            value, default = raw[f.name], getattr(defaults, f.name)
            if isinstance(default, list):
                ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            elif isinstance(default, bool):
                ok = isinstance(value, bool)
            elif isinstance(default, int):
                ok = isinstance(value, int) and not isinstance(value, bool)
            else:
                ok = isinstance(value, type(default))
            if ok:
                values[f.name] = value
        return cls(**values)

    @classmethod
    def _damaged(cls, path: Path, why: str) -> Settings:
        found = cls()
        found.unreadable = (f"the settings file {path} cannot be read ({why}): the default settings are used "
                            "until it is mended or deleted")
        return found

    def save(self, path: Path | None = None) -> None:
        """Write the settings; a file there that cannot be read (hand-edited
        with a slip) is first kept aside as ``settings.json.unreadable``,
        never written over."""
        path = path or settings_path()
        if path.is_file() and Settings.load(path).unreadable is not None:
            aside = path.with_name(path.name + ".unreadable")
            n = 1
            while aside.exists():
                n += 1
                aside = path.with_name(f"{path.name}.unreadable-{n}")
            path.rename(aside)
        atomic_write_text(path, json.dumps(dataclasses.asdict(self), indent=2) + "\n")

    def remember_workspace(self, folder: Path | str) -> None:
        folder = str(Path(folder).resolve())
        self.recent_workspaces = [folder] + [w for w in self.recent_workspaces if w != folder]
        del self.recent_workspaces[MAX_RECENT:]
