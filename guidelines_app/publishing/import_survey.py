"""What a Word import cannot carry into the Markdown, named for the user:
an import keeps every word of the body, but comments, the page header and
footer, symbol-font characters and the file's own tracked changes have no
place in a guideline's text.  They were left behind without a word (a
comment from Legal, an unaccepted deletion); the import now says so.
"""

from __future__ import annotations

from guidelines_app.core.wording import plural

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"


def left_out(document, ours: bool = False) -> str:
    """What the import of *document* (a python-docx Document) leaves out,
    and the tracked changes it takes as they stand, said in a sentence or
    two ("Left out: 2 comments and the page header and footer."); "" when
    nothing.  *ours*: this app's export wrote it (its running header and
    footer only repeat the title and status)."""
    body = document.element.body
    found = []
    comments = _comment_count(document)
    if comments:
        found.append(plural(comments, "comment"))
    if not ours and _has_header_or_footer_text(document):
        found.append("the page header and footer")
    symbols = sum(1 for _ in body.iter(f"{_W}sym"))
    if symbols:
        found.append(plural(symbols, "symbol-font character"))
    changes = sum(1 for _ in body.iter(f"{_W}ins", f"{_W}del", f"{_W}moveFrom", f"{_W}moveTo"))
    said = []
    if found:
        said.append("Left out: " + (", ".join(found[:-1]) + " and " + found[-1] if len(found) > 1 else found[0]) + ".")
    if changes:
        said.append(f"{plural(changes, 'tracked change')} in the file {'was' if changes == 1 else 'were'} taken as accepted.")
    return " ".join(said)


def _comment_count(document) -> int:
    for rel in document.part.rels.values():
        if rel.reltype == _COMMENTS and not rel.is_external:
            try:
                from lxml import etree

                return len(etree.fromstring(rel.target_part.blob).findall(f"{_W}comment"))
            except Exception:  # noqa: BLE001 - a comments part that does not read: still comments
                return 1
    return 0


def _has_header_or_footer_text(document) -> bool:
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            try:
                if not part.is_linked_to_previous and any(p.text.strip() for p in part.paragraphs):
                    return True
            except (KeyError, ValueError, AttributeError):
                continue
    return False
