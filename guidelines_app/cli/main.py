"""The ``guidelines`` command: a thin adapter over the core.

Output is plain text a person can read and a script can parse (tab-separated
columns, ``--json`` where it helps).  Every failure is one line on stderr
starting with ``error:`` and exit status 2; never a traceback.

The commands are listed here, group by group: each group's module has one
``add_*_commands(add)``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from guidelines_app import __version__
from guidelines_app.cli.common import EXIT_ERROR, Parser
from guidelines_app.cli.interrupted import MESSAGE as INTERRUPTED
from guidelines_app.core.errors import GuidelinesError

# Set by the tests: an exception that is not a GuidelinesError is re-raised
# instead of being described, so a failure the core did not translate shows.
STRICT_ENV = "GUIDELINES_CLI_STRICT"


# Each group's module is imported only when one of its commands runs (or for
# the full list in --help): a command pays for what it uses, and
# `guidelines --version` for nothing.  tests/test_cli_startup.py checks that
# every command is listed here under the group that adds it.


def _documents(add) -> None:
    from guidelines_app.cli.documents import add_document_commands

    add_document_commands(add)


def _templates(add) -> None:
    from guidelines_app.cli.templates import add_template_commands

    add_template_commands(add)


def _history(add) -> None:
    from guidelines_app.cli.history import add_history_commands

    add_history_commands(add)


def _export(add) -> None:
    from guidelines_app.cli.export import add_export_commands

    add_export_commands(add)


def _governance(add) -> None:
    from guidelines_app.cli.governance import add_governance_commands

    add_governance_commands(add)


def _team(add) -> None:
    from guidelines_app.cli.team import add_team_commands

    add_team_commands(add)


GROUPS = (
    (("init", "list", "new", "show", "save", "history"), _documents),
    (("templates", "clauses"), _templates),
    (("diff", "restore", "publish", "status", "blame"), _history),
    (("export", "import"), _export),
    (("check", "review", "signoff", "attest"), _governance),
    (("remote", "clone", "sync", "resolve"), _team),
)


def command_word(argv: list[str]) -> str | None:
    """The command named in *argv* (None when there is none), skipping the
    options that come before it."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--workspace":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser, with the commands of *argv*'s group only when it names a
    known command (all of them otherwise, or with *argv* None)."""
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

    word = command_word(argv) if argv is not None else None
    groups = [adder for names, adder in GROUPS if word in names]
    if not groups and not (argv is not None and word is None and "--version" in argv):
        groups = [adder for _names, adder in GROUPS]  # help, an unknown command, or the whole list
    for adder in groups:
        adder(add)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    log = logging.getLogger("guidelines_app.cli")  # logs.logger("cli"): nowhere until a command runs (--version and --help log nothing)
    try:
        args = parser.parse_args(argv)
        from guidelines_app.core import logs

        logs.setup("cli")  # guidelines-cli.log in the log folder: what ran, and how it failed (the logger above)
        log.info("guidelines %s (version %s)", args.command, __version__)
        return args.func(args)
    except GuidelinesError as exc:
        log.warning("failed: %s", _one_line(str(exc)))
        sys.stderr.write(f"error: {_one_line(str(exc))}\n")
        if exc.remedy is not None and exc.remedy.hint:
            sys.stderr.write(f"hint: {_one_line(exc.remedy.hint)}\n")
    except KeyboardInterrupt:  # (every file is written whole or not at all: nothing is left half-written)
        _interrupted(log)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the CLI promises no tracebacks
        if os.environ.get(STRICT_ENV):
            raise  # the fault suite: reaching the safety net is a bug to see, with its traceback
        log.exception("unexpected failure")
        sys.stderr.write(f"error: {_describe(exc)}\n")
    return EXIT_ERROR


def run() -> int:
    """The command as a process (the ``guidelines`` script, ``python -m
    guidelines_app.cli``): ``main``, then Ctrl+C is ignored while Python
    ends.  The command's work is done by then; an interruption there only
    printed a traceback, or killed Python before it wrote out what the
    command printed."""
    import signal

    code = None
    try:
        code = main()
    except KeyboardInterrupt:  # (while the command was being read, or as main returned)
        if code is None:
            _interrupted(logging.getLogger("guidelines_app.cli"))
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    return EXIT_ERROR if code is None else code


def _interrupted(log: logging.Logger) -> None:
    sys.stderr.write(INTERRUPTED)
    # A git object read cut short leaves GitPython's reader, which
    # complains with a traceback when Python frees it at exit: logged, not shown.
    sys.unraisablehook = lambda what: log.info("after the interruption: %s", what.exc_value)


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
