"""CLI commands for working as a team through a shared copy (a git remote):
``remote add|set-url|list|remove``, ``clone``, ``sync`` (and ``--abort``)
and ``resolve``.

``sync`` exits with status 3 (EXIT_CONFLICTS) and lists the conflicting
documents and sections when a person must decide; ``resolve DOC --take
ours|theirs`` decides a document for scripts, and the sync is finished once
nothing is left to decide.
"""

from __future__ import annotations

import sys
from pathlib import Path

from guidelines_app.cli.common import AddCommand, load_settings, open_workspace, out
from guidelines_app.core import remotes, sync, sync_names
from guidelines_app.core.wording import plural
from guidelines_app.core.workspace import Workspace

EXIT_CONFLICTS = 3


def cmd_remote_add(args) -> int:
    with open_workspace(args) as ws:
        remote = remotes.add_remote(ws.store, args.name, args.url)
    out(f"Added the shared copy {remote.name} ({remote.url}); run 'guidelines sync' to send and receive revisions")
    return 0


def cmd_remote_set_url(args) -> int:
    with open_workspace(args) as ws:
        remote = remotes.set_url(ws.store, args.name, args.url)
    out(f"The shared copy {remote.name} is now {remote.url}")
    return 0


def cmd_remote_list(args) -> int:
    with open_workspace(args) as ws:
        for remote in remotes.remotes(ws.store):
            out(f"{remote.name}\t{remote.url}")
    return 0


def cmd_remote_remove(args) -> int:
    with open_workspace(args) as ws:
        remotes.remove_remote(ws.store, args.name)
    out(f"Removed the shared copy {args.name} (the copy itself is not changed)")
    return 0


def cmd_clone(args) -> int:
    dest = remotes.clone(args.url, Path(args.dir))
    with Workspace.open(dest) as ws:
        count = len(ws.documents())
    out(f"Copied the workspace into {dest} ({count} document{'s' if count != 1 else ''})")
    return 0


def _conflict_lines(found, again: dict[str, list[str]]) -> None:
    """One line per conflict (for scripts: conflict, the document's name as
    ``resolve DOC`` takes it, what is in conflict: ``Section “Scope”``),
    then, on stderr, those decided once and changed since by revisions
    saved meanwhile (*again*: ``PendingMerge.again``), named as the core's
    messages name them (``sync_names.describe``: by the document's title)."""
    for c in found:
        out(f"conflict\t{sync_names.shown(c.path)}\t{c.label}")
    changed = [c for c in found if c.key in again.get(c.path, ())]
    if changed:
        sys.stderr.write(f"Decided before, then changed by revisions saved since: {sync_names.describe(changed)}. Decide again\n")


def cmd_sync(args) -> int:
    with open_workspace(args) as ws:
        if args.abort:
            sync.abort(ws)
            out("The unfinished sync was abandoned: the workspace is as it was before it")
            return 0
        remote = args.remote or remotes.default_remote(ws.store)  # before the author: first things first
        result = sync.sync(ws, ws.identity(load_settings()), remote=remote)
        if result.conflicts:
            state = sync.pending(ws)
            _conflict_lines(result.conflicts, state.again if state is not None else {})
            count = len(result.conflicts)
            sys.stderr.write(f"{plural(count, 'conflict')} {'needs' if count == 1 else 'need'} a decision; nothing in the workspace was changed. "
                             "Decide them in the app (Team > Sync), or run 'guidelines resolve DOC --take ours|theirs', "
                             "or 'guidelines sync --abort'\n")
            return EXIT_CONFLICTS
        for path, names in sorted(result.received.items()):
            out(f"received\t{sync_names.shown(path)}\t{', '.join(names)}")
        out(f"Synced with {result.remote}: {result.outcome}")
    return 0


def cmd_resolve(args) -> int:
    with open_workspace(args) as ws:
        state = sync.take(ws, args.doc, args.take)
        left = state.open_conflicts()
        if left:
            _conflict_lines(left, state.again)
            out(f"Took {args.take} for {args.doc}; {plural(len(left), 'conflict')} still to decide")
            return EXIT_CONFLICTS
        commit = sync.finish(ws, ws.identity(load_settings()))
    out(f"All conflicts decided: merge revision {commit[:8]} saved; run 'guidelines sync' to send it")
    return 0


def add_team_commands(add: AddCommand) -> None:
    p = add("remote", None, "the shared copies (git remotes) this workspace syncs with")
    sub = p.add_subparsers(dest="remote_command", metavar="ACTION", parser_class=type(p))
    sub.required = True
    a = sub.add_parser("add", help="add a shared copy: https://, ssh://, user@host:path, or a bare repository's folder")
    a.add_argument("name", metavar="NAME")
    a.add_argument("url", metavar="URL")
    a.set_defaults(func=cmd_remote_add)
    a = sub.add_parser("set-url", help="change the address of a shared copy")
    a.add_argument("name", metavar="NAME")
    a.add_argument("url", metavar="URL")
    a.set_defaults(func=cmd_remote_set_url)
    a = sub.add_parser("list", help="list the shared copies: name, address")
    a.set_defaults(func=cmd_remote_list)
    a = sub.add_parser("remove", help="forget a shared copy (the copy itself is not changed)")
    a.add_argument("name", metavar="NAME")
    a.set_defaults(func=cmd_remote_remove)
    p = add("clone", cmd_clone, "copy a shared workspace from URL into the new folder DIR")
    p.add_argument("url", metavar="URL")
    p.add_argument("dir", metavar="DIR")
    p = add("sync", cmd_sync, "send your revisions to the shared copy and bring in colleagues' (exit status 3: conflicts to decide)")
    p.add_argument("--remote", metavar="NAME", help="the shared copy to sync with (default: origin, or the only one)")
    p.add_argument("--abort", action="store_true", help="abandon an unfinished sync: the workspace returns exactly to its state before it")
    p = add("resolve", cmd_resolve, "decide the conflicts of one document of an unfinished sync (for scripts)")
    p.add_argument("doc", metavar="DOC", help="document name (file name without .md), or a file's path")
    p.add_argument("--take", required=True, choices=("ours", "theirs"), help="keep your version, or take theirs")
