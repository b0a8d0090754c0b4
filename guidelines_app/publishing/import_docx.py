"""Word (.docx) -> Markdown, so a policy kept in Word can carry on in the app.

Headings, paragraphs, bold and italic, hyperlinks, nested lists and tables
become their Markdown form.  Anything else keeps its text (a picture becomes
"[Image: name]", a text box its words): an import never loses a sentence.
A document exported by this app comes back without its title page and
contents page, which the app makes itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from guidelines_app.core.document import STATUSES, Document
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.publishing.docx_archive import DocxArchiveError, check_docx_archive
from guidelines_app.publishing.import_headings import heading_level, heading_levels_note, leading_heading, not_text
from guidelines_app.publishing.import_lists import QUOTE_LIST_STYLE, QUOTE_STYLES, EmptyItem, ListsMixin, export_gap
from guidelines_app.publishing.import_markdown import BREAK, FOOTNOTE, footnote_definition, render_pieces, unescape
from guidelines_app.publishing.import_numbering import Numbers, left_indent, read_numbering
from guidelines_app.publishing.import_survey import left_out

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = f"{{{W}}}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_ALTERNATE, _CHOICE, _FALLBACK = f"{_MC}AlternateContent", f"{_MC}Choice", f"{_MC}Fallback"

_CODE_STYLES = ("Source Code", "HTML Preformatted", "Macro Text", "macro")
_IMAGE_RE = re.compile(r"^\s*\\?\[Image: ")  # (a picture's note: a logo above the title)
_MONO_FONTS = ("consolas", "courier", "mono", "menlo", "monaco", "source code")


class DocxImportError(GuidelinesError):
    pass


@dataclass
class Imported:
    title: str
    organization: str = ""
    version: str = ""
    status: str = "draft"
    owners: list[str] = field(default_factory=list)
    body: str = ""
    left_out: str = ""  # what the text could not carry, said for the user (``import_survey``)


def read_docx(path: Path | str, title: str | None = None) -> Imported:
    path = Path(path).expanduser()
    if not path.is_file():
        raise DocxImportError(f"there is no file {path}")
    try:
        check_docx_archive(path)  # before any parsing: sizes within limits, really a .docx
    except DocxArchiveError as exc:
        raise DocxImportError(str(exc)) from None
    try:
        import docx

        document = docx.Document(str(path))
    except Exception:  # noqa: BLE001 - zip, XML and package errors all mean "not a .docx"
        hint = " (an old .doc file: open it in Word and save it as .docx)" if _is_old_doc(path) else ""
        raise DocxImportError(f"{path.name} is not a Word document (.docx) that can be read{hint}; nothing was imported") from None
    return _Converter(document, path, title).convert()


def import_docx(ws, path: Path | str, author, title: str | None = None) -> tuple[str, object, Imported]:
    """Convert and commit as a new document's first revision.  Returns
    (slug, SaveResult, what was read).  On any error the workspace is left
    unchanged."""
    path = Path(path).expanduser()
    imported = read_docx(path, title)
    return (*ws.create_document(new_document(imported, path.name), author, message=f"Imported from {path.name}"), imported)


def new_document(imported: Imported, file_name: str) -> Document:
    """The new document an import makes: a draft like any new document,
    whatever the file says.  A status or version found in the file (an
    approval belongs to the published version it was given to, not to a
    copy) is kept only as a note of where the text came from, in the
    details: ``imported_from: policy.docx (marked approved, version 1.0)``."""
    doc = Document.new(imported.title, organization=imported.organization, owners=imported.owners, body=imported.body)
    found = []
    if imported.status and imported.status != "draft":
        found.append(f"marked {imported.status}")
    if imported.version:
        found.append(f"version {imported.version}")
    doc.meta["imported_from"] = file_name + (f" ({', '.join(found)})" if found else "")
    return doc


def _is_old_doc(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    except OSError:
        return False


class _Converter(ListsMixin):
    def __init__(self, document, path: Path, title: str | None):
        self.document = document
        self.part = document.part
        self.path = path
        cp = document.core_properties
        self.props_title = (cp.title or "").strip()
        self.title = (title or "").strip() or self.props_title
        # A title given for the import renames the document: its own title
        # paragraph is that title, not a heading under the new one.
        self.renamed = bool((title or "").strip())
        self.organization = (cp.category or "").strip()
        self.subject = (cp.subject or "").strip()
        self.styles = {s.style_id: s for s in document.styles}
        self._style_info: dict[str, tuple[bool, bool, bool]] = {}
        self.numbers = Numbers(read_numbering(self.part))  # the lists and their count so far (``_num``)
        self.lines: list[str] = []
        self.list_stack: list[int] = []  # content column per open list level
        self.list_lefts: list[int | None] = []  # per open level: its item's text's indentation in Word (twips)
        self.list_kinds: list[bool | None] = []  # per open level: numbered?
        self.list_parents: dict[int, int] = {}  # open level -> index in lines of its empty item's line
        self.empty_item: EmptyItem | None = None  # an empty numbered paragraph just read
        self.in_list = False
        self.list_quoted = 0  # the depth of the quote the open list is in
        self.outer, self.list_prefix, self.prefix_left = [], "", 0  # a list in a quote in an item (``enter_quoted_list``)
        self.last_num_id = ""  # the list (numId) of the numbered paragraph read last (``_num``)
        self.bare_item: int | None = None  # the line of an empty item just written, in ``lines``
        self.marker_quote: int | None = None  # the line of a quote written on its item's (``item_quote``)
        self._unit: int | None = None  # the Quote style's indentation (``_quote_unit``)
        self.field_depth = 0
        self.toc_depth: int | None = None
        self.seen_heading = False
        self.heading_shift, self.title_heading, self.ours = heading_levels_note(document)

    # ---- document ------------------------------------------------------------

    def convert(self) -> Imported:
        cp = self.document.core_properties
        for child in self.document.element.body:
            self.block(child)
        if not self.title:
            self.title = self.path.stem.replace("_", " ").strip() or "Imported document"
        body = "\n".join(self.lines).strip("\n")
        body = re.sub(r"\n{3,}", "\n\n", body)
        status = (cp.content_status or "").strip().lower()
        # The owners this app's export wrote in the description; another file's
        # description and author are anything (a program's name, whoever saved
        # it last): left for the owner to fill in, not guessed.
        owners = [o.strip() for o in re.split(r"[;]", cp.comments or "") if o.strip()] if self.ours else []
        return Imported(
            title=self.title,
            organization=self.organization,
            version=(cp.version or "").strip(),
            status=status if status in STATUSES else "draft",
            owners=owners,
            body=(f"# {self.title}\n\n" if self.title_heading else "") + (body + "\n" if body else ""),
            left_out=left_out(self.document, self.ours),
        )

    def block(self, el) -> None:
        tag = el.tag
        if tag == f"{_W}p":
            self.paragraph(el)
        elif tag == f"{_W}tbl":
            self.table(el)
        elif tag == f"{_W}sdt":
            content = el.find(f"{_W}sdtContent")
            for child in content if content is not None else []:
                self.block(child)
        elif tag in (f"{_W}customXml", f"{_W}ins"):
            for child in el:
                self.block(child)

    # ---- paragraphs ----------------------------------------------------------

    def paragraph(self, p) -> None:
        ppr = p.find(f"{_W}pPr")
        style_id = _val(ppr.find(f"{_W}pStyle")) if ppr is not None and ppr.find(f"{_W}pStyle") is not None else ""
        style = self.styles.get(style_id)
        name = style.name if style is not None else "Normal"
        toc_field = self._toc_field_state(p)
        if toc_field or not_text(p, name):
            return  # (the app makes the contents itself)
        text = self.inline(p)
        plain = text.strip()
        definition = footnote_definition(plain)
        if definition is not None:  # the export's list of footnotes: their definitions again
            self.end_list()
            self.emit(definition)
            return
        heading = heading_level(name)
        if name == "Title":
            if not self.title:
                self.title = unescape(plain)
            if unescape(plain) == self.title or not plain or (self.renamed and not self.seen_heading):
                self.renamed = False  # (only the first: a later one is the document's text)
                return
            heading = 1
        if name == "Subtitle" and not self.seen_heading and unescape(plain) in (self.organization, self.subject):
            return
        # (a heading Word numbers: its number is its text's, as Word shows it;
        # in this app's export, the number a house style's headings add)
        number = self.heading_number(ppr, style) if heading and not self.ours else ""
        if heading == 1 and plain and not number and self._names_document(p, unescape(plain)):
            return
        numbering = self._num(ppr, style) if not heading else None
        empty_item, self.empty_item = self.empty_item, None
        if self.outer and not (self.quoted_style(style) and (numbering is not None or name == QUOTE_LIST_STYLE)):
            self.leave_quoted_list()  # (a list in a quote in an item ends: the item goes on)
        if not plain:
            self._empty_paragraph(ppr, style, text, numbering, empty_item)
            return
        if heading:
            self.end_list()
            self.seen_heading = True
            number = render_pieces([(number + " ", False, False, False, "")]) if number else ""  # ("3\. Rules": not a list)
            self.emit("#" * max(1, min(6, heading + self.heading_shift)) + " " + number + plain.replace("\n", " "))
            return
        self._text_paragraph(p, ppr, style, name, plain, numbering, empty_item)

    def _names_document(self, p, text: str) -> bool:
        """Whether a Heading 1 (*p*, its text *text*, not numbered) is the document's
        title, not a section: the first words of another program's file,
        the title it has (its properties', its Title paragraph's, the one
        given), or, when it has none, this heading if it is the file's only
        Heading 1 or a heading follows it (the file's name is the title
        only when nothing in the file names it).  The heading is then the
        "# title" line, not a heading under it; a Heading 2 after the only
        Heading 1 is a section ("##")."""
        if self.ours or self.seen_heading or any(line and not _IMAGE_RE.match(line) for line in self.lines):
            return False
        if self.title and text != self.title:
            return False
        names, only = leading_heading(self.document.element.body, p, self._style_name)
        if not self.title:
            if not names:
                return False
            self.title = text
        if only:
            self.heading_shift = 0
        return True

    def _style_name(self, p) -> str:
        ps = p.find(f"{_W}pPr/{_W}pStyle")
        style = self.styles.get(_val(ps)) if ps is not None else None
        return style.name if style is not None else "Normal"

    def _empty_paragraph(self, ppr, style, text: str, numbering, empty_item) -> None:
        """A paragraph with no words (*text*: a picture's note, if any)."""
        if numbering is not None and "[Image" not in text:
            # An empty numbered paragraph (a Word user's item that
            # starts with its sub-list, an item left empty, the export's
            # item that starts with a quote, code or a table): an item,
            # if something in it or an item of its list follows.
            self.enter_quoted_list(style, numbering)
            self.empty_item = EmptyItem(numbering, self.quoted_list_depth(style, numbering), self.last_num_id)
            if self.list_end_marked(ppr):  # (the export's last item)
                self.settle_empty(self.empty_item, numbering, None)
                self.empty_item = None
                self.end_list()
            return
        if numbering is None and _rule(ppr) and "[Image" not in text:
            self.rule(left_indent(ppr))  # (an empty paragraph with a line under it: the export's "---")
            return
        if "[Image" in text:
            self.emit(text)
        elif self.in_list and export_gap(ppr) and self.ours:
            self.empty_item = empty_item  # (the export's gap after a table or code: the list goes on)
            return
        self.end_list()

    def _text_paragraph(self, p, ppr, style, name: str, plain: str, numbering, empty_item) -> None:
        """A paragraph with words, not a heading: a list item, an item's
        further paragraph, a quote's, code or text."""
        own_left = left_indent(ppr)
        block_left = self.block_start(name in _CODE_STYLES, style, numbering, own_left)
        goes_on = ppr is not None and ppr.find(f"{_W}ind") is not None and self.continues_item(name)
        opens = self.settle_empty(empty_item, numbering, block_left, goes_on) if empty_item is not None else None
        if numbering is not None:
            marked = self.opened_item(p)
            if marked is not None and (opens is None or marked < opens[0]):
                opens = (marked, None, 1)
            self.enter_quoted_list(style, numbering)
            code = name in _CODE_STYLES  # (the export's item that starts with code: its number beside it)
            self.list_item(numbering, "" if code else plain, self.quoted_list_depth(style, numbering), opens)
            if code:
                self.item_block(len(self.list_stack) - 1, ["    " + line for line in self.inline(p, code_block=True).split("\n")])
            self.ends_list(ppr)
            return
        if goes_on:
            self.item_paragraph(plain, own_left)  # a second paragraph of a list item
            self.ends_list(ppr)
            return
        at = self.item_at(block_left)  # a quote or code in a list item
        code = "\n".join("    " + line for line in self.inline(p, code_block=True).split("\n")) if name in _CODE_STYLES else ""
        if at is not None:
            self.in_item(at, code, plain, own_left)
            self.ends_list(ppr)
            return
        self.end_list()
        if code and self.code_quote_depth(own_left):
            self.emit_quote(code, self.code_quote_depth(own_left))  # (the export's code in a quote: in by the quote's indentation)
        elif code:
            self.emit("```\n" + self.inline(p, code_block=True) + "\n```")
        elif name == "Summary" and "**" not in plain:
            self.emit(f"**{plain}**")
        elif name in QUOTE_STYLES:
            self.emit_quote(plain, self.quote_depth(own_left))
        elif name == QUOTE_LIST_STYLE:
            self.emit_quote(plain)
        else:
            self.emit(plain)

    def emit(self, text: str) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
        self.lines.append(text)
        self.lines.append("")

    def _toc_field_state(self, p) -> bool:
        """True for paragraphs inside a TOC field: its cached entries are
        not content (fields nest, so depth is tracked)."""
        inside = self.toc_depth is not None
        for el in p.iter(f"{_W}fldChar", f"{_W}instrText"):
            if el.tag == f"{_W}instrText":
                if self.toc_depth is None and (el.text or "").strip().upper().startswith("TOC"):
                    self.toc_depth = self.field_depth
                    inside = True
            elif el.get(f"{_W}fldCharType") == "begin":
                self.field_depth += 1
            elif el.get(f"{_W}fldCharType") == "end":
                if self.toc_depth == self.field_depth:
                    self.toc_depth = None
                self.field_depth = max(0, self.field_depth - 1)
        return inside

    # ---- runs ----------------------------------------------------------------

    def inline(self, p, code_block: bool = False, plain_bold: bool = False) -> str:
        pieces: list[tuple[str, bool, bool, bool, str]] = []  # text, bold, italic, code, link
        self._collect(p, pieces, "", code_block)
        if code_block:
            return "".join(t for t, *_ in pieces)
        if plain_bold:
            pieces = [(t, False, i, c, link) for t, _b, i, c, link in pieces]
        return render_pieces(pieces)

    def _collect(self, el, pieces, link: str, code_block: bool) -> None:
        for child in el:
            tag = child.tag
            if tag == f"{_W}r":
                self._run(child, pieces, link, code_block)
            elif tag == f"{_W}hyperlink":
                rid, anchor = child.get(f"{{{R}}}id"), child.get(f"{_W}anchor") or ""
                if anchor.startswith(("fn:", "fnref:")):
                    # A footnote's mark and its way back, as this app's export writes them:
                    # "[^1]" and the definition's "[^1]:" again (they came in as "source.1"
                    # and a numbered item ending in a visible "↩").
                    pieces.append(("", False, False, False, FOOTNOTE + anchor))
                    continue
                target = ""
                if rid and rid in self.part.rels:
                    target = self.part.rels[rid].target_ref
                self._collect(child, pieces, target or link, code_block)
            elif tag in (f"{_W}del", f"{_W}pPr", f"{_W}moveFrom"):
                continue
            elif tag == f"{_W}fldSimple" or tag in (f"{_W}ins", f"{_W}smartTag", f"{_W}customXml", f"{_W}sdt",
                                                      f"{_W}sdtContent", f"{_W}moveTo"):
                self._collect(child, pieces, link, code_block)

    def _run(self, r, pieces, link: str, code_block: bool) -> None:
        rpr = r.find(f"{_W}rPr")
        bold, italic, mono = self._run_format(rpr)
        parts = []
        for c in r:
            tag = c.tag
            if tag == f"{_W}t":
                parts.append(c.text or "")
            elif tag == f"{_W}tab":
                parts.append("\t" if code_block else " ")
            elif tag in (f"{_W}br", f"{_W}cr"):
                if c.get(f"{_W}type") in ("page", "column"):
                    continue
                parts.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            elif tag in (f"{_W}drawing", f"{_W}pict", f"{_W}object"):
                parts.append(self._embedded(c))
            elif tag == _ALTERNATE:
                # A text box or picture as Word 2010 and later save it: the
                # same content twice, for newer and older readers; the first.
                choice = c.find(_CHOICE)
                if choice is None:
                    choice = c.find(_FALLBACK)
                if choice is not None and len(choice):
                    parts.append(self._embedded(choice))
        text = "".join(parts)
        if text:
            pieces.append((text, bold, italic, mono and not code_block, link))

    def _embedded(self, el) -> str:
        """A picture or text box: its words, or a note that a picture was here."""
        box_text = [" ".join(t.text or "" for t in p.iter(f"{_W}t")) for p in el.iter(f"{_W}p")]
        box_text = [t for t in box_text if t.strip()]
        if box_text:
            return " " + " ".join(box_text) + " "  # (apart from the words around it)
        name = ""
        for node in el.iter():
            if node.tag.endswith("}docPr") or node.tag.endswith("}cNvPr"):
                name = node.get("descr") or node.get("title") or node.get("name") or ""
                if name:
                    break
        return f" [Image: {name or 'picture'}] "

    def _run_format(self, rpr) -> tuple[bool, bool, bool]:
        bold = italic = mono = False
        if rpr is not None:
            rstyle = rpr.find(f"{_W}rStyle")
            if rstyle is not None:
                bold, italic, mono = self._char_style(_val(rstyle))
            b, i = rpr.find(f"{_W}b"), rpr.find(f"{_W}i")
            if b is not None:
                bold = _on(b)
            if i is not None:
                italic = _on(i)
            fonts = rpr.find(f"{_W}rFonts")
            if fonts is not None:
                face = (fonts.get(f"{_W}ascii") or fonts.get(f"{_W}hAnsi") or "").lower()
                if any(m in face for m in _MONO_FONTS):
                    mono = True
        return bold, italic, mono

    def _char_style(self, style_id: str) -> tuple[bool, bool, bool]:
        if style_id in self._style_info:
            return self._style_info[style_id]
        style = self.styles.get(style_id)
        info = (False, False, False)
        if style is not None:
            font = style.font
            name = (style.name or "").lower()
            mono = bool(font.name and any(m in font.name.lower() for m in _MONO_FONTS)) or "code" in name or "verbatim" in name
            info = (bool(font.bold) or name == "strong", bool(font.italic) or name == "emphasis", mono)
        self._style_info[style_id] = info
        return info

    # ---- tables --------------------------------------------------------------

    def table(self, tbl) -> None:
        rows = []
        for n, tr in enumerate(tbl.findall(f"{_W}tr")):
            cells = []
            for tc in tr.findall(f"{_W}tc"):
                # The header row is bold in Markdown anyway.
                texts = [self.inline(p, plain_bold=n == 0).strip() for p in tc.iter(f"{_W}p")]
                # (a "|" typed in a cell is escaped with the rest of its text: escaped twice, it
                # ended the cell there, and the words after it were lost)
                # (a footnote's way back has no place in a cell: its mark, "\x00", is dropped)
                cell = "<br>".join(t.replace(BREAK, "<br>").replace("\n", " ").replace("\x00", "") for t in texts if t)
                cells.append(cell)
                span = tc.find(f"{_W}tcPr/{_W}gridSpan")
                if span is not None:
                    cells.extend([""] * (int(_val(span) or 1) - 1))
            rows.append(cells)
        if not rows:
            return
        if self._title_page_table(tbl):
            return
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join(" --- " for _ in range(width)) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        ind = tbl.find(f"{_W}tblPr/{_W}tblInd")  # (the export's table in a list item: under its text)
        left = int(ind.get(f"{_W}w")) if ind is not None and (ind.get(f"{_W}w") or "").isdigit() else None
        empty_item, self.empty_item = self.empty_item, None
        self.leave_quoted_list()
        if empty_item is not None:
            self.settle_empty(empty_item, None, left)
        at = self.item_at(left)
        if at is not None:
            self.item_block(at, lines, first=True)
            return
        self.end_list()
        if self.code_quote_depth(left):  # (the export's table in a quote: in by the quote's indentation)
            self.emit_quote("\n".join(lines), self.code_quote_depth(left))
        else:
            self.emit("\n".join(lines))

    def _title_page_table(self, tbl) -> bool:
        names = set()
        for p in tbl.iter(f"{_W}p"):
            ps = p.find(f"{_W}pPr/{_W}pStyle")
            style = self.styles.get(_val(ps)) if ps is not None else None
            names.add(style.name if style is not None else "Normal")
        return names == {"Title Page Detail"}


def _val(el) -> str:
    return el.get(f"{_W}val") or ""


def _rule(ppr) -> bool:
    """Whether paragraph properties *ppr* draw a line under it."""
    bottom = ppr.find(f"{_W}pBdr/{_W}bottom") if ppr is not None else None
    return bottom is not None and _val(bottom) not in ("", "nil", "none")


def _on(el) -> bool:
    return (el.get(f"{_W}val") or "true").lower() not in ("0", "false", "off", "none")
