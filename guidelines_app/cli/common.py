"""What every ``guidelines`` command shares: the one-line error, the output
helper and opening the workspace named on the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.workspace import Workspace, choose_workspace_dir

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


def open_workspace(args) -> Workspace:
    return Workspace.open(choose_workspace_dir(args.workspace, cwd=Path.cwd()))
