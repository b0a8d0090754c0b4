"""What a Word import cannot carry into the Markdown, named for the user:
an import keeps every word of the body, but comments, the page header and
footer, symbol-font characters and the file's own tracked changes have no
place in a guideline's text.  They were left behind without a word (a
comment from Legal, an unaccepted deletion); the import now says so, and
names the words of the header and footer ("CONFIDENTIAL", a reference).
"""

from __future__ import annotations

from guidelines_app.core.wording import plural

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"


def left_out(document, ours: bool = False) -> str:
    """What the import of *document* (a python-docx Document) leaves out,
    and the tracked changes it takes as they stand, said in a sentence or
    two ("Left out: 2 comments and the page header (“CONFIDENTIAL”)."); "" when
    nothing.  *ours*: this app's export wrote it (its running header and
    footer only repeat the title and status)."""
    body = document.element.body
    found = []
    comments = _comment_count(document)
    if comments:
        found.append(plural(comments, "comment"))
    if not ours:
        found += [f"the page {where} ({_quoted(texts)})" for where, texts in _header_footer_texts(document) if texts]
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


def _header_footer_texts(document) -> list[tuple[str, list[str]]]:
    """("header", the words of its lines) and ("footer", …) of every
    section (first-page and even-page ones too, tables and text boxes in
    them), each line's words once."""
    found: dict[str, list[str]] = {"header": [], "footer": []}
    for section in document.sections:
        for where, part in (("header", section.header), ("header", section.first_page_header), ("header", section.even_page_header),
                            ("footer", section.footer), ("footer", section.first_page_footer), ("footer", section.even_page_footer)):
            try:
                if part.is_linked_to_previous:
                    continue
                element = part.part.element
            except (KeyError, ValueError, AttributeError):
                continue
            lines: dict = {}  # paragraph -> its words, in order
            for t in element.iter(f"{_W}t"):
                ancestors = list(t.iterancestors())
                if any(a.tag == _FALLBACK for a in ancestors):
                    continue  # (a text box's words again, for older readers)
                p = next((a for a in ancestors if a.tag == f"{_W}p"), None)
                lines.setdefault(p, []).append(t.text or "")
            for words in (" ".join("".join(texts).split()) for texts in lines.values()):
                if words and words not in found[where]:
                    found[where].append(words)
    return list(found.items())


def _quoted(texts: list[str]) -> str:
    """A header's or footer's lines as the note names them: “CONFIDENTIAL”,
    “COMP-SM-004”; a long line shortened, past three lines a count."""
    shown = [f"“{_short(text)}”" for text in texts[:_LINES]]
    more = len(texts) - _LINES
    return ", ".join(shown) + (f" and {plural(more, 'more line')}" if more > 0 else "")


def _short(text: str) -> str:
    if len(text) <= _LONG:
        return text
    cut = text[:_LONG - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[_LONG // 2:] else cut).rstrip(" ,;:–-") + "…"


_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_LINES = 3  # lines of a header or footer named, at most
_LONG = 60  # characters of a line named, at most
