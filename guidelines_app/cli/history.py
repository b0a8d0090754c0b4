"""CLI commands for revision history: diff, restore, publish, blame.

(``history`` and ``show`` live in cli.py and use ``history`` too.)"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from guidelines_app.cli.common import AddCommand, load_settings, open_workspace, out, reading_workspace, revision
from guidelines_app.cli.export import note_if_link
from guidelines_app.core import gitbatch
from guidelines_app.core.approval import tag_prefix
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.review import revisions

if TYPE_CHECKING:
    from guidelines_app.review import redline


class CliHistoryError(GuidelinesError):
    pass


def _labels(ws, slug: str, sha_a: str, sha_b: str, author: str) -> redline.Labels:
    """The redline's heading, from revisions already resolved (full ids or
    WORKING): the tags read once, the newer side's author and date from
    that one commit."""
    from guidelines_app.core import gitlog
    from guidelines_app.review import redline

    try:
        title = ws.load(slug).title if ws.exists(slug) else slug
    except GuidelinesError:
        title = slug  # the file's details cannot be read now: a comparison of saved revisions stands
    date = None
    if sha_b != revisions.WORKING:
        info = gitlog.revision_info(ws.store, sha_b)
        date, author = info.date, info.author
    pubs = revisions.publications(ws, slug)
    return redline.Labels(title, revisions.describe(ws, slug, sha_a, pubs, resolved=True),
                          revisions.describe(ws, slug, sha_b, pubs, resolved=True), author, date)


def cmd_diff(args) -> int:
    # Which documents hold unsaved changes (the note) is asked of git at
    # once and told before the output: git answers while the sides are read.
    with reading_workspace(args) as (ws, note):
        # The versions' tags name the sides: listed by git while the revisions are resolved.
        gitbatch.prefetch_tags(ws.store, tag_prefix(ws.check_slug(args.doc)))
        # One git object reader walks back to the revisions typed (and reads both texts for the text redline),
        # started at once: git gets ready while a revision far back is looked up.
        reader = gitbatch.ObjectReader(ws.root)
        try:
            reader.start()
            return _diff(args, ws, reader, note)
        finally:
            reader.close()
            gitbatch.drop_prefetched(ws.store)


def _diff(args, ws, reader: gitbatch.ObjectReader, note=lambda: None) -> int:
    """The diff of an open workspace, printed or written; *note*: called
    before anything is printed or written."""
    if args.output == "-":  # the screen, as without -o
        if args.format == "docx":
            raise CliHistoryError("a Word redline cannot be written to the screen: give a file name with -o changes.docx")
        args.output = None
    rev_b = args.rev_b or revisions.WORKING
    if rev_b.lower() in ("working", "work", "file"):
        rev_b = revisions.WORKING
    # Each revision the user typed is resolved once; the full ids go everywhere after.
    if rev_b == revisions.WORKING:
        [sha_a], sha_b = revisions.resolve_all(ws, args.doc, [args.rev_a], reader), rev_b
    else:
        sha_a, sha_b = revisions.resolve_all(ws, args.doc, [args.rev_a, rev_b], reader)
    if args.format == "text":
        # Kept once written: asked again, a file read (and only what the
        # first line, naming the sides, needs from git).
        from guidelines_app.review.redline_answer import text_redline

        text = text_redline(ws, args.doc, sha_a, sha_b, authors=not args.no_authors, reader=reader)
    else:
        reader.end_input()  # the HTML and Word redlines read the texts the usual way: git may exit now
        result, labels, approval = _compare_for_document(ws, args.doc, sha_a, sha_b)
    note()
    if args.format == "docx":
        return _write_docx(args, result, labels, approval)
    if args.format == "html":
        from guidelines_app.review import redline

        text = redline.render_html(result, labels, approval)
    if args.output:
        from guidelines_app.publishing.docx import write_output

        write_output(Path(args.output), text.encode("utf-8"), note_if_link(Path(args.output)))
        out(f"Wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def _compare_for_document(ws, slug: str, sha_a: str, sha_b: str):
    """The diff, the labels and the new side's approval (what its title page
    may claim) for an HTML or Word redline, from full ids."""
    # Imported here: publishing or restoring needs none of the comparison.
    from guidelines_app.core.approval import approval_of
    from guidelines_app.review import diff as diffmod

    new = revisions.text_at(ws, slug, sha_b) if sha_b == revisions.WORKING else revisions.text_of_commit(ws, slug, sha_b)
    old = revisions.text_of_commit(ws, slug, sha_a)
    result = diffmod.diff_texts(old, new)
    try:
        author = ws.identity(load_settings()).name
    except GuidelinesError:
        author = "Guideline Studio"
    labels = _labels(ws, slug, sha_a, sha_b, author)
    return result, labels, approval_of(ws, ws.check_slug(slug), new)


def _write_docx(args, result, labels, approval) -> int:
    from guidelines_app.review import redline

    if not args.output:
        raise CliHistoryError("a Word redline needs a file name: add -o changes.docx")
    reference = load_settings().reference_docx or None  # the house style, as `guidelines export`
    target = Path(args.output)
    follow = (note_if_link(target), note_if_link(redline.clean_copy_path(target)))
    path, clean = redline.write_docx_pair(result, target, labels, reference, follow, approval=approval)
    out(f"Wrote {path} (tracked changes) and {clean} (clean copy)")
    return 0


def cmd_restore(args) -> int:
    from guidelines_app.review import history  # publishing, restoring and statuses: not a comparison's

    with open_workspace(args) as ws:
        author = ws.identity(load_settings())
        ws.refuse_folder(args.doc)  # (its file "deleted": not changes a save could keep)
        # A deleted file holds no text of the user's: it is written back without --force.
        missing = not os.path.lexists(ws.path(args.doc))
        if not missing and ws.has_unsaved_file_changes(args.doc) and not args.force:
            raise CliHistoryError(f"{args.doc} has changes that are not saved as a revision; save them first "
                                  f"('guidelines save {args.doc}') or add --force to replace them")
        commit = history.restore(ws, args.doc, args.revision, author, args.message)
    if commit:
        out(f"{commit[:8]}\tRestored {args.doc} to {args.revision}")
    elif missing:
        out(f"Restored the file of {args.doc} (it was missing) with its text in {args.revision}, the newest saved "
            f"text: no new revision")
    else:
        out(f"{args.doc} already has the content of {args.revision}; nothing to restore")
    return 0


def cmd_publish(args) -> int:
    from guidelines_app.review import history  # publishing, restoring and statuses: not a comparison's

    if args.version and (args.major or args.minor):  # (one of them was quietly ignored: 2.0 -> 2.1 as "--major")
        raise CliHistoryError(f"--version {args.version} and --{'major' if args.major else 'minor'} both say which "
                              f"version to publish: give one of them")
    with open_workspace(args, saving=args.doc) as ws:  # (it saves the file's unsaved edits first: no note to save them)
        author = ws.identity(load_settings())
        try:
            pub = history.publish(ws, args.doc, args.summary, args.approver, author, version=args.version,
                                  kind="major" if args.major else ("minor" if args.minor else None), override_reason=args.override_reason or "")
        except history.PublishBlocked as exc:
            # The error line, then the markers and findings it counts, one a line with its line
            # number (the other reasons are in the error line already: not said twice).
            sys.stderr.write(f"error: {exc}\n")
            for problem in exc.problems:
                if problem.kind in ("marker", "finding"):
                    sys.stderr.write(f"  {problem.text}\n")
            sys.stderr.write('hint: to publish anyway, add --override-reason "why" (it is recorded in the version\'s tag)\n')
            return 2
        doc = ws.load(args.doc)
    out(f"Published {args.doc} version {pub.version} ({pub.commit[:8]}, tag {pub.tag}); next review {doc.meta.get('next_review')}")
    if pub.override:
        out(f"Published despite the publishing checks; reason recorded in the tag: {pub.override}")
    return 0


def cmd_status(args) -> int:
    from guidelines_app.review import history  # publishing, restoring and statuses: not a comparison's

    with open_workspace(args, saving=args.doc) as ws:  # (as publish)
        author = ws.identity(load_settings())
        commit = history.set_status(ws, args.doc, args.status, author, args.note or "")
    out(f"{commit[:8]}\t{args.doc} is now {args.status}" if commit else f"{args.doc} is already {args.status}")
    return 0


def cmd_blame(args) -> int:
    from guidelines_app.review import blame

    with open_workspace(args) as ws:
        # The file as it is now: a paragraph with changes not saved yet is
        # listed as such (the saved text beside the file's lines dropped or
        # misplaced paragraphs).
        paragraphs = blame.blame(ws, args.doc, revisions.text_at(ws, args.doc, revisions.WORKING))
    if args.json:
        import json

        out(json.dumps([{"first_line": p.first_line + 1, "last_line": p.last_line + 1, "saved": not p.uncommitted,
                         "commit": None if p.uncommitted else p.sha, "author": None if p.uncommitted else p.author,
                         "email": None if p.uncommitted else p.email, "date": None if p.uncommitted else p.date.isoformat(),
                         "message": None if p.uncommitted else p.summary, "text": p.text}
                        for p in paragraphs], indent=2))
        return 0
    for p in paragraphs:
        first = p.text.split("\n", 1)[0]
        first = first if len(first) <= 60 else first[:57] + "..."
        if p.uncommitted:
            out(f"--------\t          \t(not saved yet)\t{p.first_line + 1}-{p.last_line + 1}\t{first}")
        else:
            out(f"{p.sha[:8]}\t{p.date.strftime('%Y-%m-%d')}\t{p.author}\t{p.first_line + 1}-{p.last_line + 1}\t{first}")
    return 0


def add_history_commands(add: AddCommand) -> None:
    rev_help = "a commit id, a published version such as v1.2, or HEAD~N (N revisions of this document back)"
    p = add("diff", cmd_diff, "show what changed between two revisions, section by section")
    p.add_argument("doc", metavar="DOC", help="document name (file name without .md)")
    p.add_argument("rev_a", metavar="REV_A", type=revision, help=rev_help)
    p.add_argument("rev_b", metavar="REV_B", nargs="?", type=revision, help="as REV_A (default: the file as it is now, saved or not)")
    p.add_argument("--format", choices=("text", "html", "docx"), default="text",
                   help="text (default), an HTML redline, or a Word file with tracked changes plus a clean copy")
    p.add_argument("-o", "--output", metavar="OUT", help="write to this file instead of the screen")
    p.add_argument("--no-authors", action="store_true", help="leave out who made each change (text format)")

    p = add("restore", cmd_restore, "make an old revision the newest one (history is kept)")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("revision", metavar="REV", type=revision, help=rev_help)
    p.add_argument("-m", "--message", help="revision message (default: 'Restore revision ...')")
    p.add_argument("--force", action="store_true", help="replace changes to the file that are not saved yet")

    p = add("publish", cmd_publish, "publish the document: approved status, version number, tag, next review date")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--version", dest="version", metavar="X.Y",
                   help="version number (default: 1.0 for the first publication, then the next minor; see --major, --minor)")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--major", action="store_true", help="a substantive change: next major version")
    kind.add_argument("--minor", action="store_true", help="an editorial change: next minor version (0.x for a first publication)")
    p.add_argument("--summary", required=True, help="what changed, for readers of the policy")
    p.add_argument("--approver", required=True, help="who approved this version")
    p.add_argument("--override-reason", metavar="REASON",
                   help="publish although '[to be decided: ...]' markers remain or nothing changed; the reason is recorded in the tag")

    p = add("status", cmd_status, "set the document's status (draft, 'in review', approved) as a new revision")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("status", choices=("draft", "in review", "approved"))
    p.add_argument("--note", help="a note for the revision message")

    p = add("blame", cmd_blame, "show who last changed each paragraph, and in which revision")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--json", action="store_true", help="print JSON")
