"""Running git by hand in the tests' repositories (the committer named, as
an annotated tag or a commit by another tool needs one)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git(root: Path, *args: str) -> str:
    env = dict(os.environ, GIT_COMMITTER_NAME="Ann", GIT_COMMITTER_EMAIL="ann@example.org")
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout
