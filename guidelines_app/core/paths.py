"""Where the app's own files are: resources (style sheets, icons) and the
built-in policy templates.

In the repository they sit at the top level (``resources/``,
``policy_templates/``); an installed wheel carries them inside the package as
``guidelines_app.resources`` and ``guidelines_app.policy_templates``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[2]  # guidelines_app/core/paths.py -> the checkout


def _locate(package: str, folder: str) -> Path:
    bundled = getattr(sys, "_MEIPASS", None)  # a PyInstaller bundle (scripts/build_app.py)
    if bundled:
        return Path(bundled) / package.replace(".", "/")
    if (_REPO_ROOT / "pyproject.toml").is_file() and (_REPO_ROOT / folder / "__init__.py").is_file():
        return _REPO_ROOT / folder  # this checkout's own (also when another checkout is installed)
    # Installed (or editable) next: a checkout's parent folder could hold an
    # unrelated "resources" folder when the package is installed elsewhere.
    from importlib import resources

    try:
        found = Path(str(resources.files(package)))
        if found.is_dir():
            return found
    except (ModuleNotFoundError, TypeError):
        pass
    return _REPO_ROOT / folder  # running from a checkout that was never installed


def resources_dir() -> Path:
    return _locate("guidelines_app.resources", "resources")


def builtin_templates_dir() -> Path:
    return _locate("guidelines_app.policy_templates", "policy_templates")


def read_resource_text(name: str) -> str:
    return (resources_dir() / name).read_text(encoding="utf-8")
