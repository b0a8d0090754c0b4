"""The app finds its own files when run from a checkout that was never
installed (no site-packages, so no editable-install finder)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_checkout_finds_resources_and_templates_without_an_install():
    code = ("import sys; sys.path.insert(0, sys.argv[1]);"
            "from guidelines_app.core.paths import resources_dir, builtin_templates_dir;"
            "print(resources_dir()); print(builtin_templates_dir())")
    out = subprocess.run([sys.executable, "-S", "-c", code, str(ROOT)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    resources, templates = (Path(line) for line in out.stdout.split())
    assert resources == ROOT / "resources" and (resources / "preview.css").is_file()
    assert templates == ROOT / "policy_templates" and any(templates.glob("*/manifest.yaml"))
