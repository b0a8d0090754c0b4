"""``guidelines export`` and ``guidelines import``: Word, HTML and PDF out,
Word in."""

from __future__ import annotations

import sys
from pathlib import Path

from guidelines_app.cli.common import AddCommand, load_settings, open_workspace, out, reading_workspace, revision
from guidelines_app.core.errors import GuidelinesError


class ExportUsageError(GuidelinesError):
    pass


# A file name's ending and the format it names.
_SUFFIX_FORMATS = {".docx": "docx", ".html": "html", ".htm": "html", ".pdf": "pdf"}
_FORMAT_NAMES = {"docx": "a Word document", "html": "an HTML page", "pdf": "a PDF"}


def cmd_export(args) -> int:
    from guidelines_app.publishing.export import FORMATS, default_file_name, export, source_from_workspace

    if args.format == "acknowledgement":
        return _export_acknowledgement(args)
    fmt = args.format
    named = _SUFFIX_FORMATS.get(Path(args.output).suffix.lower()) if args.output and args.output != "-" else None
    if args.output and not args.format:
        fmt = named or Path(args.output).suffix.lower().lstrip(".") or "docx"
    fmt = fmt or "docx"
    if fmt not in FORMATS:
        raise ExportUsageError(f"'{fmt}' is not an export format: use --format docx, html or pdf")
    if named and named != fmt:  # an HTML page in a file named .docx opens in no program
        raise ExportUsageError(f"{args.output} is named as {_FORMAT_NAMES[named]} but --format {fmt} writes "
                               f"{_FORMAT_NAMES[fmt]}: name it {Path(args.output).stem}.{fmt}, or leave out --format")
    if args.output == "-" and fmt != "html":  # (a page is text; Word and PDF files are not)
        raise ExportUsageError(f"{_FORMAT_NAMES[fmt]} cannot be written to the screen: give a file name with -o")
    reference = args.reference_docx or load_settings().reference_docx or None
    if reference and fmt == "html":
        reference = None  # a Word style has nothing to say about HTML
    with reading_workspace(args) as (ws, _note):  # (git's status runs while the document is exported)
        slug = ws.check_slug(args.doc)
        # 'v1.0', HEAD~N or a commit id, as everywhere else in the CLI
        revision = None
        if args.revision:
            from guidelines_app.review import history

            revision = history.resolve(ws, slug, args.revision)
        source = source_from_workspace(ws, slug, revision)
        if args.output == "-":  # the page on standard output, as `diff` prints
            from guidelines_app.publishing.export import html_document

            sys.stdout.write(html_document(source))
            return 0
        target = Path(args.output) if args.output else Path.cwd() / default_file_name(source.doc, fmt, args.revision, source.details.version)
        written = export(source, fmt, target, reference_docx=reference, follow_symlink=note_if_link(target))
    out(str(written))
    return 0


def _export_acknowledgement(args) -> int:
    """The acknowledgement form and the rules in brief of the latest published
    version: Word, or PDF when -o ends in .pdf."""
    from guidelines_app.publishing.export import export_form
    from guidelines_app.review import attest_form

    if not args.output or args.output == "-" or Path(args.output).suffix.lower() not in (".docx", ".pdf"):
        # (a form named .html or "-" was written as a Word file under that name)
        raise ExportUsageError("an acknowledgement form is a Word or PDF file: add -o acknowledgement.docx (or .pdf)")
    target = Path(args.output)
    fmt = "pdf" if target.suffix.lower() == ".pdf" else "docx"
    reference = args.reference_docx or load_settings().reference_docx or None
    with open_workspace(args) as ws:
        parts, details = attest_form.acknowledgement_form(ws, args.doc, args.since)
        written = export_form(parts, details, fmt, target, reference, follow_symlink=note_if_link(target))
    out(str(written))
    return 0


def note_if_link(path: Path) -> bool:
    """Say so (a ``note:`` line on stderr) when *path* is a symbolic link,
    which the export then writes through; True when it is one."""
    from guidelines_app.publishing.docx import link_target, output_file

    points_to = link_target(path)
    if points_to is None:
        return False
    output_file(path, follow_symlink=True)  # a link to a device or a FIFO: only the error, no note
    sys.stderr.write(f"note: {path} is a link to {points_to}: writing {points_to} (the link stays)\n")
    return True


def cmd_import(args) -> int:
    from guidelines_app.publishing.import_docx import import_docx

    with open_workspace(args) as ws:
        author = ws.identity(load_settings())
        slug, result, imported = import_docx(ws, Path(args.file), author, title=args.title)
    out(f"{slug}\t{result.commit[:8]}\t{result.message}")
    if imported.left_out:
        sys.stderr.write(f"note: {imported.left_out}\n")
    return 0


def add_export_commands(add: AddCommand) -> None:
    p = add("export", cmd_export, "export a document (now, or at a revision) to Word, HTML or PDF")
    p.add_argument("doc", metavar="DOC", help="document name (file name without .md)")
    p.add_argument("--format", "-f", choices=("docx", "html", "pdf", "acknowledgement"),
                   help="output format (default: from -o's extension, else docx); acknowledgement: the acknowledgement form "
                        "and the rules in brief of the latest published version (Word, or PDF when -o ends in .pdf)")
    p.add_argument("-o", "--output", metavar="OUT", help="file to write (default: <title>-v<version>.<format> in the current folder; "
                                                          "- prints an HTML page); its ending names the format when --format is not given")
    p.add_argument("--revision", metavar="REV", type=revision, help="export this saved revision: commit id, published version or HEAD~N")
    p.add_argument("--since", metavar="X.Y", help="acknowledgement form: list the changes since this version "
                   "(default: since the previous major version)")
    p.add_argument("--reference-docx", metavar="FILE",
                   help="house-style Word document whose styles, page setup, header and footer are used (default: the reference_docx setting)")
    p = add("import", cmd_import, "import a Word document (.docx) as a new document; the import is its first revision")
    p.add_argument("file", metavar="FILE.docx")
    p.add_argument("--title", help="title for the new document (default: the Word document's title)")
