"""``guidelines init``, ``list``, ``new``, ``show``, ``save`` and ``history``:
the workspace and its documents."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from guidelines_app.cli.common import AddCommand, CliError, load_settings, open_workspace, out, reading_workspace, revision
from guidelines_app.core.errors import NotUtf8Text

# Each command imports what it uses (see cli.main): listing documents does not load the history or the templates.


def cmd_init(args) -> int:
    from guidelines_app.core.workspace import WORKSPACE_ENV, Workspace, choose_workspace_dir

    # Like 'git init': without --workspace or $GUIDELINES_WORKSPACE, the
    # current folder becomes the workspace.
    if args.workspace or os.environ.get(WORKSPACE_ENV):
        root = choose_workspace_dir(args.workspace)
    else:
        root = Path.cwd()
        if root.resolve() == Path.home().resolve():
            raise CliError("will not turn your home folder into a workspace: run this in a new folder, or use --workspace DIR")
    existed = (root / ".git").exists()
    with Workspace.create(root) as ws:
        if existed:
            out(f"{ws.root} is already a workspace")
        else:
            out(f"Created workspace {ws.root}")
    return 0


def cmd_list(args) -> int:
    with reading_workspace(args) as (ws, _note):  # (git's status runs while the documents are read)
        docs = ws.documents()
    if args.json:
        out(json.dumps([{"slug": d.slug, "title": d.title, "status": d.status, "version": d.version, "error": d.error} for d in docs], indent=2))
        return 0
    for d in docs:
        if d.error:
            out(f"{d.slug}\t!\t\t{d.error}")
        else:
            out(f"{d.slug}\t{d.status}\t{d.version}\t{d.title}")
    return 0


def cmd_new(args) -> int:
    from guidelines_app.cli.templates import new_from_template
    from guidelines_app.core.document import Document

    title = (args.title or "").strip()
    template = getattr(args, "template", None)
    if args.answers and not template:
        raise CliError("--answers needs --template ID (see 'guidelines templates')")
    if not title and not template:
        raise CliError("a title is needed: guidelines new --title \"Social media guidelines\"")
    with open_workspace(args) as ws:
        author = ws.identity(load_settings())
        if template:
            doc = new_from_template(ws, template, args.answers, title, organization=args.organization)
            if args.owner:
                doc.meta["owners"] = list(args.owner)
        else:
            doc = Document.new(title, organization=args.organization or "", owners=args.owner or [])
        slug, result = ws.create_document(doc, author, slug=args.slug)
    out(f"{slug}\t{result.commit[:8]}\t{result.message}")
    return 0


def cmd_show(args) -> int:
    from guidelines_app.review import history

    with reading_workspace(args) as (ws, _note):
        if args.revision:
            text = history.text_at(ws, args.doc, args.revision)
        else:
            text = ws.load(args.doc).to_text()
    sys.stdout.write(text)
    return 0


def cmd_save(args) -> int:
    from guidelines_app.core import changes
    from guidelines_app.core.workspace import RECOVERED_MESSAGE, Workspace

    with open_workspace(args, saving=Workspace.check_slug(args.doc)) as ws:
        author = ws.identity(load_settings())
        # Without -m, the revision says what it is (changes made outside a
        # save of the app) and what they changed, section by section.
        message = args.message
        if ws.exists(args.doc):
            text = _savable_text(ws, args.doc, args.allow_empty)
            if not message:
                message = f"{RECOVERED_MESSAGE}: {changes.summarize(ws.committed_text(args.doc), text)}"
        result = ws.commit_file(args.doc, author, message)
    if result.saved:
        out(f"{result.commit[:8]}\t{result.message}")
    else:
        out(f"No changes to save in {args.doc}")
    return 0


def _savable_text(ws, slug: str, allow_empty: bool) -> str:
    """The file's text, when saving it is what the user means: not a file
    another program wrote in another encoding (said with the ways forward),
    nor one emptied by mistake (unless *allow_empty*)."""
    back = f"put back its last saved text with 'guidelines restore {slug} HEAD --force'"
    try:
        text = ws.load(slug).to_text()
    except NotUtf8Text as exc:
        raise CliError(f"{exc}, so it cannot be saved as a revision: save it again as UTF-8 text in a text editor, "
                       f"or {back} (the file as it is now is kept in the history)") from None
    if not text.strip() and not allow_empty and (ws.committed_text(slug) or "").strip():
        raise CliError(f"{ws.relpath(slug)} is empty, so saving it would make a revision with no text: {back}, "
                       f"or add --allow-empty to save it empty all the same")
    return text


def cmd_history(args) -> int:
    from guidelines_app.review import history

    with reading_workspace(args) as (ws, _note):  # git's log and its status at the same time
        entries = history.history(ws, args.doc, exact_status=True, signoffs=True)
    if args.json:
        out(json.dumps([
            {"commit": e.sha, "short": e.revision.short, "date": e.revision.date.isoformat(), "author": e.revision.author,
             "email": e.revision.email, "message": e.message, "versions": e.versions, "status": e.status,
             "signoffs": e.signoffs}
            for e in entries
        ], indent=2))
        return 0
    lines = []
    add = lines.append
    for e in entries:  # thousands of revisions: Revision.short, .subject and version_label spelled out
        r = e.revision
        message = r.message
        at = message.find("\n")
        when = r.date.isoformat(" ", "minutes")[:16]  # as strftime('%Y-%m-%d %H:%M'), quicker for thousands
        label = ", ".join(f"v{v}" for v in e.versions) if e.versions else ""
        signed = f" (signed off: {'; '.join(e.signoffs)})" if e.signoffs else ""
        add(f"{r.sha[:8]}\t{when}\t{r.author}\t{label}\t{e.status}{signed}\t{message if at < 0 else message[:at]}")
    if lines:
        out("\n".join(lines))
    return 0


def add_document_commands(add: AddCommand) -> None:
    add("init", cmd_init, "make the current folder (or --workspace DIR) a workspace: a git repository with a guidelines/ folder")
    p = add("list", cmd_list, "list the documents: slug, status, version, title")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = add("new", cmd_new, "create a document (blank, or a first draft from a template) and save it as its first revision")
    p.add_argument("--title", help="the document's title (needed without --template; default: the template's title)")
    p.add_argument("--template", metavar="ID", help="assemble a first draft from this template set (see 'guidelines templates')")
    p.add_argument("--answers", metavar="FILE.yaml", help="questionnaire answers: question ids mapped to values; missing answers take the defaults")
    p.add_argument("--organization", help="the organization the guidelines are for")
    p.add_argument("--owner", action="append", help="an owner of the document (repeatable)")
    p.add_argument("--slug", help="file name to use instead of one made from the title")
    p = add("show", cmd_show, "print a document, as it is now or at a revision")
    p.add_argument("doc", metavar="DOC", help="document name (file name without .md)")
    p.add_argument("--revision", metavar="REV", type=revision, help="commit id, published version (v1.2) or HEAD~N (N revisions of this document back)")
    p = add("save", cmd_save, "save the file as edited outside the app as a new revision")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("-m", "--message", help="revision message (default: describes the change by section)")
    p.add_argument("--allow-empty", action="store_true", help="save the file even when it is empty (it is refused: emptied by mistake)")
    p = add("history", cmd_history, "list the revisions of a document, newest first: commit, date, author, published version, status, message")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--json", action="store_true", help="print JSON")
