"""What every benchmark that opens the window sets up first."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

RECOVERY_DIR_ENV = "GUIDELINES_RECOVERY_DIR"  # as core.recovery reads it


def own_recovery_area() -> None:
    """A recovery area of the run's own, which its child processes inherit:
    a copy that a run's typing leaves (the autosave) never reaches the
    user's own area, nor stops a later run's window with its dialog."""
    if RECOVERY_DIR_ENV not in os.environ:
        os.environ[RECOVERY_DIR_ENV] = tempfile.mkdtemp(prefix="bench-recovery-")
        atexit.register(shutil.rmtree, os.environ[RECOVERY_DIR_ENV], True)
