"""The ``guidelines`` command: a thin adapter over the core.

Output is plain text a person can read and a script can parse (tab-separated
columns, ``--json`` where it helps).  Every failure is one line on stderr
starting with ``error:`` and exit status 2; never a traceback.

The commands are listed here, group by group: each group's module has one
``add_*_commands(add)``.
"""

from __future__ import annotations

import argparse
import os
import sys

from guidelines_app import __version__
from guidelines_app.cli.common import EXIT_ERROR, Parser
from guidelines_app.cli.documents import add_document_commands
from guidelines_app.cli.export import add_export_commands
from guidelines_app.cli.governance import add_governance_commands
from guidelines_app.cli.history import add_history_commands
from guidelines_app.cli.templates import add_template_commands
from guidelines_app.core.errors import GuidelinesError

# Set by the tests: an exception that is not a GuidelinesError is re-raised
# instead of being described, so a failure the core did not translate shows.
STRICT_ENV = "GUIDELINES_CLI_STRICT"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="guidelines", description="Manage social media guideline documents kept in a git workspace.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--workspace", metavar="DIR",
                        help="workspace folder (default: $GUIDELINES_WORKSPACE, else the workspace the current folder is in, else ~/Documents/Guidelines)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True

    def add(name: str, func, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    add_document_commands(add)
    add_template_commands(add)
    add_history_commands(add)
    add_export_commands(add)
    add_governance_commands(add)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return args.func(args)
    except GuidelinesError as exc:
        sys.stderr.write(f"error: {_one_line(str(exc))}\n")
        if exc.remedy is not None and exc.remedy.hint:
            sys.stderr.write(f"hint: {_one_line(exc.remedy.hint)}\n")
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the CLI promises no tracebacks
        if os.environ.get(STRICT_ENV):
            raise  # the fault suite: reaching the safety net is a bug to see, with its traceback
        sys.stderr.write(f"error: {_describe(exc)}\n")
    return EXIT_ERROR


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _describe(exc: Exception) -> str:
    """A safety net only: every failure the core knows of arrives as a
    GuidelinesError; this names anything else without a traceback."""
    from git.exc import GitCommandError

    if isinstance(exc, GitCommandError):
        detail = (exc.stderr or "").strip().replace("\n", " ") or str(exc)
        return f"git failed: {detail}"
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    return f"unexpected problem ({type(exc).__name__}): {exc}".replace("\n", " ")


if __name__ == "__main__":
    raise SystemExit(main())
