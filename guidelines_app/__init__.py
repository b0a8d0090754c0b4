"""Guideline Studio: draft, revise, review and publish social media guidelines.

The package is split in two layers:

* the Qt-free core (every module directly in this package), which knows about
  workspaces, documents, Markdown, git history and settings, and is tested
  without a display;
* thin adapters over it: ``guidelines_app.cli`` (the ``guidelines`` command)
  and ``guidelines_app.ui`` (the desktop app, the only place that imports Qt).
"""

__version__ = "0.1.0"
APP_NAME = "Guideline Studio"
