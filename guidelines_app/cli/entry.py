"""The ``guidelines`` process's first module (the script, and ``python -m
guidelines_app.cli``): nothing but ``sys`` is imported before the guard, so
a Ctrl+C while the command's modules are still being imported (a slow or
busy machine: a good part of a second) says one line, as an interruption
of the command does, and shows no traceback."""

from __future__ import annotations

import sys

from guidelines_app.cli.interrupted import MESSAGE

EXIT_ERROR = 2  # (``common.EXIT_ERROR``: not imported, it is what the guard is for)


def run() -> int:
    try:
        from guidelines_app.cli.main import run as run_command

        return run_command()
    except KeyboardInterrupt:  # (before the command's own handling was in place)
        sys.stderr.write(MESSAGE)
        return EXIT_ERROR
