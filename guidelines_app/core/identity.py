"""Who a revision is by, following git's own conventions: ``GIT_AUTHOR_NAME``
and ``GIT_AUTHOR_EMAIL`` in the environment win over the app's settings and
git config, and ``GIT_COMMITTER_NAME`` / ``GIT_COMMITTER_EMAIL`` win for the
committer (and the tagger of a published version), as they do for git.
Without them the committer is the author."""

from __future__ import annotations

import os
from collections.abc import Mapping

AUTHOR_NAME, AUTHOR_EMAIL = "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL"
COMMITTER_NAME, COMMITTER_EMAIL = "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"


def _env(name: str, environ: Mapping[str, str] | None) -> str:
    return (os.environ if environ is None else environ).get(name, "").strip()


def author_from_environment(name: str, email: str, environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(name, email) with each part the environment sets replacing the given one."""
    return _env(AUTHOR_NAME, environ) or name, _env(AUTHOR_EMAIL, environ) or email


def commit_environment(name: str, email: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The variables a commit by *name* <*email*> runs git with: that author,
    and as committer whoever the environment names, else the author."""
    return {
        AUTHOR_NAME: name,
        AUTHOR_EMAIL: email,
        **tagger_environment(name, email, environ),
    }


def tagger_environment(name: str, email: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The committer variables (git's tagger too): the environment's, else *name* <*email*>."""
    return {
        COMMITTER_NAME: _env(COMMITTER_NAME, environ) or name,
        COMMITTER_EMAIL: _env(COMMITTER_EMAIL, environ) or email,
    }
