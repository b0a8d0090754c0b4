"""What every ``guidelines`` command shares: the one-line error, the output
helper and opening the workspace named on the command line."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
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


def revision(text: str) -> str:
    """A revision typed on the command line (argparse's type): an empty one
    is refused, not taken as "the file as it is now"."""
    if not text.strip():
        raise argparse.ArgumentTypeError("a revision cannot be empty: give a commit id, a published version "
                                         "such as v1.2, or HEAD~N")
    return text


_told: set[str] = set()


def load_settings():
    """The user's settings (``Settings.load``); a settings file that cannot
    be read is said once, in a ``note:`` line on stderr (its defaults are
    used: an author "not set" is then the file's fault, not the user's)."""
    from guidelines_app.core.settings import Settings

    settings = Settings.load()
    if settings.unreadable and settings.unreadable not in _told:
        _told.add(settings.unreadable)
        sys.stderr.write(f"note: {settings.unreadable}\n")
    return settings


def open_workspace(args, saving: str | None = None) -> Workspace:
    """The workspace; a one-line note on stderr names the documents whose
    file holds changes no revision has (except *saving*, the one the command
    is about to save)."""
    ws, note = _open(args, saving)
    note()
    return ws


@contextlib.contextmanager
def reading_workspace(args) -> Iterator[tuple[Workspace, Callable[[], None]]]:
    """``open_workspace`` for a command that only reads, as ``with
    reading_workspace(args) as (ws, note)``: git works out which documents
    hold unsaved changes while the command works on; ``note()`` writes the
    note (waiting for git; once).  Call it before the command's output; it
    is called on the way out too (before an error is told)."""
    ws, note = _open(args, None)
    with ws:
        try:
            yield ws, note
        finally:
            with contextlib.suppress(Exception):  # (what the command raised is the error to tell)
                note()


def _open(args, saving: str | None) -> tuple[Workspace, Callable[[], None]]:
    from guidelines_app.core.workspace import Workspace, choose_workspace_dir

    ws = Workspace.open(choose_workspace_dir(args.workspace, cwd=Path.cwd()))
    try:
        pending = ws.uncommitted_documents_later()
    except GuidelinesError:
        pending = list  # a damaged history: the command itself will say so
    written = []

    def note() -> None:
        if written:
            return
        written.append(True)
        try:
            names = [slug for slug in pending() if slug != saving]
        except GuidelinesError:
            names = []
        if names:
            how = f"guidelines save {names[0]}" if len(names) == 1 else "guidelines save DOC"
            sys.stderr.write(f"note: {', '.join(names)} {'has' if len(names) == 1 else 'have'} changes that are not "
                             f"saved as a revision (an interrupted save, or an edit outside the app); save them with "
                             f"'{how}'\n")

    return ws, note
