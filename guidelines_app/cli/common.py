"""What every ``guidelines`` command shares: the one-line error, the output
helper and opening the workspace named on the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from guidelines_app.core.errors import GuidelinesError

if TYPE_CHECKING:
    from guidelines_app.core.workspace import Workspace

EXIT_ERROR = 2

# add(name, func, help) -> the command's sub-parser; each command group
# module has one add_*_commands(add) that calls it.
AddCommand = Callable[[str, Callable, str], argparse.ArgumentParser]


class CliError(GuidelinesError):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage dump
        sys.stderr.write(f"error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(EXIT_ERROR)


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def open_workspace(args, saving: str | None = None) -> Workspace:
    """The workspace; a one-line note on stderr names the documents whose
    file holds changes no revision has (except *saving*, the one the command
    is about to save)."""
    from guidelines_app.core.workspace import Workspace, choose_workspace_dir

    ws = Workspace.open(choose_workspace_dir(args.workspace, cwd=Path.cwd()))
    try:
        pending = [slug for slug in ws.uncommitted_documents() if slug != saving]
    except GuidelinesError:
        pending = []  # a damaged history: the command itself will say so
    if pending:
        names = ", ".join(pending)
        how = f"guidelines save {pending[0]}" if len(pending) == 1 else "guidelines save DOC"
        sys.stderr.write(f"note: {names} {'has' if len(pending) == 1 else 'have'} changes that are not saved as a "
                         f"revision (an interrupted save, or an edit outside the app); save them with '{how}'\n")
    return ws
