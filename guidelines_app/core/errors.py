"""Errors the user can act on.

Every exception raised on purpose by the core derives from GuidelinesError and
carries a message written for a person, so the CLI can print it after
``error:`` and the app can show it in a dialog without translating it.
"""

from __future__ import annotations

from pathlib import Path


class GuidelinesError(Exception):
    """A problem the user can fix; str(exc) is the plain-language message."""


class WorkspaceError(GuidelinesError):
    pass


class DocumentNotFound(GuidelinesError):
    pass


class DocumentExists(GuidelinesError):
    pass


class FrontMatterError(GuidelinesError):
    """The document's details block (YAML front matter) cannot be read."""

    def __init__(self, path: Path | str | None, line: int | None, problem: str):
        self.path = Path(path) if path else None
        self.line = line
        self.problem = problem
        where = str(self.path) if self.path else "the document"
        if line is not None:
            where += f", line {line}"
        super().__init__(f"cannot read the document details in {where}: {problem}")


class IdentityMissing(GuidelinesError):
    """No author name/e-mail is configured for commits."""


class RevisionError(GuidelinesError):
    pass
