"""The desktop app: the only part of the package that imports Qt."""

import os

# Without git on PATH, GitPython refuses to import unless told to stay quiet;
# the app then explains what to install instead of dying with a traceback.
os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
