from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from export_fixtures import QUIRKY

from guidelines_app.core.document import Document
from guidelines_app.publishing.docx import ExportDetails, ExportError, ImageError, ReferenceDocxError, export_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _png(width: int = 40, height: int = 20) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x1f\x38\x64" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PNG = _png()


@pytest.fixture
def exported(tmp_path) -> Path:
    doc = Document.parse(QUIRKY)
    details = ExportDetails.from_document(doc, revision_number=3, author="Test Author")
    return export_docx(doc, tmp_path / "out.docx", details)


def _paras(path):
    d = docx.Document(str(path))
    return d, [(p.style.name, p.text) for p in d.paragraphs]


def test_headings_map_to_word_styles_and_levels_are_fixed(exported):
    _, paras = _paras(exported)
    headings = [(s, t) for s, t in paras if s.startswith("Heading")]
    assert ("Heading 1", "Purpose") in headings
    assert ("Heading 1", "Channels") in headings
    # Every heading is lifted by the same amount, so "####" under "##" keeps
    # its distance (Heading 3 under Heading 1), as the HTML export shows it.
    assert ("Heading 3", "Skipped level heading") in headings
    # kramdown's "On this page / TOC" marker is replaced by the contents page.
    assert not any(t in ("On this page", "TOC") for _, t in paras)


def test_no_visible_tags_or_kramdown(exported):
    _, paras = _paras(exported)
    text = "\n".join(t for _, t in paras)
    for junk in ("<b>", "<details", "<summary", "</", "{:", "<br", "](", "**"):
        assert junk not in text
    assert "Do say who you work for" in text
    assert "Mention your role when you post about work." in text
    assert "Never post customer names." in text
    assert "“curly quotes”" in text
    assert "After a break." in text


def test_lists_have_real_numbering_with_levels_and_restarts(exported):
    d, _ = _paras(exported)
    items = {}
    for p in d.paragraphs:
        numpr = p._p.find(f"{W}pPr/{W}numPr")
        if numpr is not None:
            items[p.text] = (int(numpr.find(f"{W}ilvl").get(f"{W}val")), numpr.find(f"{W}numId").get(f"{W}val"))
    assert items["Official accounts"][0] == 0
    assert items["Main account"][0] == 1
    assert items["Daily posts"][0] == 2
    assert items["Sub step"][0] == 1
    assert items["Never post customer names."][0] == 0  # raw HTML <ul>
    first, again = items["First step"][1], items["Starts again"][1]
    assert first != again
    numbering = d.part.numbering_part.element
    for num_id in (first, again):
        num = next(n for n in numbering.findall(f"{W}num") if n.get(f"{W}numId") == num_id)
        start = num.find(f"{W}lvlOverride/{W}startOverride")
        assert start is not None and start.get(f"{W}val") == "1"
        abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
        abstract = next(a for a in numbering.findall(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract_id)
        assert abstract.find(f"{W}lvl/{W}numFmt").get(f"{W}val") == "decimal"


def test_hyperlinks_are_real(exported):
    d, _ = _paras(exported)
    targets = {}
    for p in d.paragraphs:
        for link in p.hyperlinks:
            if link.address:
                targets[link.text] = link.address
    assert targets["code of conduct"] == "https://example.org/conduct"
    assert targets["the disclosure page"] == "https://example.org/disclose"
    assert targets["privacy team"] == "https://example.org/privacy"
    # Markdown inside a raw HTML block is parsed as well.
    assert targets["the privacy notice"] == "https://example.org/notice"


def test_table_quote_code_rule_and_inline_formats(exported):
    d, paras = _paras(exported)
    body_tables = [t for t in d.tables if t.cell(0, 0).text == "Channel"]
    assert len(body_tables) == 1
    table = body_tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Channel", "Owner", "Hours"]
    assert [c.text for c in table.rows[2].cells] == ["Forum", "Support", "48"]
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert ("Quote", "Quoted guidance for everyone.") in paras
    assert ("Source Code", "code line one\n    indented line") in paras
    assert any(p._p.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None for p in d.paragraphs)
    runs = {r.text: r for p in d.paragraphs for r in p.runs}
    assert runs["bold"].bold and runs["italic"].italic
    assert runs["inline code"].style.name == "Verbatim Char"


def test_title_page_header_footer_and_draft_marking(exported):
    d, paras = _paras(exported)
    assert ("Title", "Example Social Media Policy") in paras
    assert ("Subtitle", "Example Org") in paras
    details = d.tables[0]
    assert [r.cells[0].text for r in details.rows] == ["Version", "Status", "Date", "Owners"]
    assert details.cell(0, 1).text == "2.1" and details.cell(3, 1).text == "Communications, Legal"
    assert any("DRAFT" in t for _, t in paras)
    # A short document: no contents page (tests/test_export_contents.py).
    assert 'TOC \\o' not in d.element.xml
    section = d.sections[0]
    assert "Example Social Media Policy" in section.header.paragraphs[0].text
    assert "Version 2.1" in section.header.paragraphs[0].text
    assert "DRAFT" in section.header._element.xml  # text and watermark
    footer_xml = section.footer._element.xml
    assert "Page " in section.footer.paragraphs[0].text and " of " in section.footer.paragraphs[0].text
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml


def test_approved_document_has_no_draft_marking(tmp_path):
    doc = Document.parse(QUIRKY.replace("status: draft", "status: approved"))
    out = export_docx(doc, tmp_path / "a.docx")
    d = docx.Document(str(out))
    assert "DRAFT" not in d.sections[0].header._element.xml
    assert not any("DRAFT" in p.text for p in d.paragraphs)


def test_core_properties(exported):
    cp = docx.Document(str(exported)).core_properties
    assert cp.title == "Example Social Media Policy"
    assert cp.author == "Test Author"
    assert "Example Org" in cp.subject
    assert "social media" in cp.keywords
    assert cp.version == "2.1"
    assert cp.revision == 3
    assert cp.last_modified_by == "Test Author"
    assert cp.modified is not None
    assert cp.content_status == "draft"


def test_reference_docx_styles_page_setup_and_header_are_used(tmp_path):
    ref = docx.Document()
    ref.styles["Heading 1"].font.name = "Georgia"
    section = ref.sections[0]
    section.left_margin = docx.shared.Cm(4)
    section.header.paragraphs[0].text = "ACME house header"
    ref.add_paragraph("template text that must not appear")
    ref_path = tmp_path / "ref.docx"
    ref.save(ref_path)
    out = export_docx(Document.parse(QUIRKY), tmp_path / "out.docx", reference_docx=ref_path)
    d = docx.Document(str(out))
    assert d.styles["Heading 1"].font.name == "Georgia"
    assert abs(d.sections[0].left_margin - docx.shared.Cm(4)) < docx.shared.Cm(0.01)
    assert "ACME house header" in d.sections[0].header.paragraphs[0].text
    assert not any("template text" in p.text for p in d.paragraphs)


def test_reference_docx_without_styles_is_rejected(tmp_path):
    ref = docx.Document()
    styles = ref.styles.element
    for style in list(styles):
        if style.get(f"{W}styleId") in ("Heading3", "Heading4"):
            styles.remove(style)
    ref_path = tmp_path / "ref.docx"
    ref.save(ref_path)
    with pytest.raises(ReferenceDocxError, match="Heading 3, Heading 4"):
        export_docx(Document.parse(QUIRKY), tmp_path / "out.docx", reference_docx=ref_path)
    assert not (tmp_path / "out.docx").exists()
    bad = tmp_path / "bad.docx"
    bad.write_text("not a zip")
    with pytest.raises(ReferenceDocxError, match="not a Word document"):
        export_docx(Document.parse(QUIRKY), tmp_path / "out.docx", reference_docx=bad)


def test_local_image_embedded_remote_becomes_link_outside_refused(tmp_path):
    root = tmp_path / "ws"
    (root / "guidelines" / "img").mkdir(parents=True)
    (root / "guidelines" / "img" / "logo.png").write_bytes(PNG)
    body = "# T\n\n![Logo](img/logo.png)\n\n![Remote](https://example.org/x.png)\n"
    out = export_docx(Document.parse(body), tmp_path / "img.docx", workspace_root=root)
    d = docx.Document(str(out))
    assert len(d.inline_shapes) == 1
    links = [link.address for p in d.paragraphs for link in p.hyperlinks]
    assert "https://example.org/x.png" in links
    with zipfile.ZipFile(out) as z:
        assert any(n.startswith("word/media/") for n in z.namelist())
    (tmp_path / "secret.png").write_bytes(PNG)
    with pytest.raises(ImageError, match="outside the workspace"):
        export_docx(Document.parse("![x](../../secret.png)"), tmp_path / "bad.docx", workspace_root=root)
    assert not (tmp_path / "bad.docx").exists()


def test_unwritable_output_gives_clear_message(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="cannot write"):
        export_docx(Document.parse(QUIRKY), blocker / "out.docx")
    with pytest.raises(ExportError, match="is a folder"):
        export_docx(Document.parse(QUIRKY), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_existing_file_kept_when_export_fails(tmp_path):
    target = tmp_path / "out.docx"
    target.write_bytes(b"old")
    with pytest.raises(ImageError):
        export_docx(Document.parse("![x](/etc/passwd)"), target, workspace_root=tmp_path / "ws")
    assert target.read_bytes() == b"old"


def test_a_link_with_bold_words_is_one_link(tmp_path):
    """"[the **official** guide](...)" was three hyperlinks with unlinked
    spaces between them (and came back from Word as three links)."""
    from guidelines_app.publishing.import_docx import read_docx

    doc = Document.new("Links", body="# Links\n\nSee [the **official** guide](https://example.org/g) today.\n")
    out = export_docx(doc, tmp_path / "links.docx")
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    links = re.findall(r"<w:hyperlink\b.*?</w:hyperlink>", xml)
    assert len(links) == 1 and re.sub(r"<[^>]+>", "", links[0]) == "the official guide", links
    assert "[the **official** guide](https://example.org/g)" in read_docx(out).body


QUOTE_LIST = ("# Quotes\n\n> Before you post, ask:\n>\n> - Is it true?\n> - Is it kind?\n>   - Would the customer agree?\n"
              ">\n> Then post.\n\nText after.\n")


def _bar_at(d, p) -> tuple[int, bool]:
    """Where a paragraph's left bar is drawn (twips from the margin: its
    first character less the bar's gap), through its style; and whether
    it has one."""
    found = {}
    chain = [p._p.find(f"{W}pPr")]
    style = p.style
    while style is not None:
        chain.append(style.element.find(f"{W}pPr"))
        style = style.base_style
    for ppr in chain:
        if ppr is None:
            continue
        ind, bar = ppr.find(f"{W}ind"), ppr.find(f"{W}pBdr/{W}left")
        if ind is not None and "ind" not in found:
            found["ind"] = int(ind.get(f"{W}left") or 0) - int(ind.get(f"{W}hanging") or 0)
        if bar is not None and "bar" not in found:
            found["bar"] = int(bar.get(f"{W}space") or 0) * 20
    return found.get("ind", 0) - found.get("bar", 0), "bar" in found


def test_a_list_inside_a_block_quote_is_drawn_inside_the_quote(tmp_path):
    """The items of a list in a quote were plain 'List Paragraph's beside
    it: no quote bar, no quote indentation.  They are 'Quote List'
    paragraphs (the quote's look), numbered at their levels, indented past
    the quote's text, with the quote's bar in line with the quote's."""
    out = export_docx(Document.new("Quotes", body=QUOTE_LIST), tmp_path / "q.docx")
    d, paras = _paras(out)
    body = paras[[t for _s, t in paras].index("Before you post, ask:"):]
    assert body[:6] == [("Quote", "Before you post, ask:"), ("Quote List", "Is it true?"), ("Quote List", "Is it kind?"),
                        ("Quote List", "Would the customer agree?"), ("Quote", "Then post."), ("Normal", "Text after.")]
    assert d.styles["Quote List"].base_style.name == "Quote"
    by_text = {p.text: p for p in d.paragraphs}
    quote = by_text["Before you post, ask:"]
    levels = {t: int(by_text[t]._p.find(f"{W}pPr/{W}numPr/{W}ilvl").get(f"{W}val"))
              for t in ("Is it true?", "Is it kind?", "Would the customer agree?")}
    assert levels == {"Is it true?": 0, "Is it kind?": 0, "Would the customer agree?": 1}
    quote_bar = _bar_at(d, quote)
    assert quote_bar[1]
    for text in levels:
        item = by_text[text]
        assert item.paragraph_format.left_indent > quote.style.paragraph_format.left_indent
        assert _bar_at(d, item) == quote_bar, text  # the bar runs on in line with the quote's


def test_a_list_in_a_quote_follows_a_reference_documents_quote(tmp_path):
    """With a reference document whose Quote has no bar, a list in a quote
    gets none either (and 'Quote List' is added to its styles)."""
    ref = docx.Document()
    ref.styles["Quote"].paragraph_format.left_indent = docx.shared.Pt(36)
    ref.save(tmp_path / "ref.docx")
    out = export_docx(Document.new("Quotes", body=QUOTE_LIST), tmp_path / "q.docx", reference_docx=tmp_path / "ref.docx")
    d, paras = _paras(out)
    item = next(p for p in d.paragraphs if p.text == "Is it true?")
    assert item.style.name == "Quote List" and not _bar_at(d, item)[1]
    assert item.paragraph_format.left_indent == docx.shared.Pt(36) + docx.shared.Twips(360)  # (its bullet where the quote text starts)


def test_an_item_that_starts_with_a_sub_list_has_no_empty_bullet(tmp_path):
    """An item whose first block is a list ("- " then nested items, "1. -
    nested", a loose item opening with a list) had an empty numbered
    paragraph above its sub-list: a stray bullet or number with nothing
    after it.  The sub-list's items are its first lines, and the items
    after it keep their numbers."""
    body = ("- \n  - nested one\n  - nested two\n- plain item\n\n"
            "1. - nested in ordered\n   - second nested\n2. second ordered\n3. third ordered\n\n"
            "- Loose first.\n\n- - loose nested\n\n  Its own paragraph.\n\n- Loose last.\n")
    d = docx.Document(str(export_docx(Document.new("Lists", body=body), tmp_path / "l.docx")))
    listed = [p for p in d.paragraphs if p.style.name == "List Paragraph"]
    assert all(p.text.strip() for p in listed), [p.text for p in listed]
    numbers = {n.get(f"{W}numId"): n for n in d.part.numbering_part.element.findall(f"{W}num")}

    def numbering(text):
        p = next(p for p in listed if p.text == text)
        numpr = p._p.find(f"{W}pPr/{W}numPr")
        if numpr is None:
            return None
        num_id = numpr.find(f"{W}numId").get(f"{W}val")
        start = numbers[num_id].find(f"{W}lvlOverride/{W}startOverride")
        return int(numpr.find(f"{W}ilvl").get(f"{W}val")), num_id, start.get(f"{W}val") if start is not None else None

    assert numbering("nested one")[0] == numbering("nested two")[0] == 1
    assert numbering("plain item")[0] == 0
    assert numbering("nested in ordered")[0] == 1
    second, third = numbering("second ordered"), numbering("third ordered")
    assert second[0] == 0 and second[2] == "2" and third == second  # "2." and "3." as written
    assert numbering("loose nested")[0] == 1
    assert numbering("Its own paragraph.") is None  # the item's further paragraph, not a numbered one
    assert numbering("Loose first.")[1] == numbering("Loose last.")[1]


NESTED_QUOTES = ("> Level one.\n>\n> > Level two.\n> >\n> > > Level three.\n> > >\n> > > - In three\n"
                 "> > >   - Deeper in three\n> >\n> > Back in two.\n>\n> Back in one.\n\n"
                 "1. Item one.\n\n   > Quote in the item.\n   >\n   > - Listed in it\n   >   - Deeper in it\n"
                 "   >     - Deepest in it\n   >\n   >       More on the deepest.\n   >\n   >   More on deeper.\n"
                 "   >\n   > After its list.\n2. Item two.\n")


def test_quotes_in_quotes_and_in_list_items_are_drawn_inside_what_holds_them(tmp_path):
    """A quote three deep was drawn at the place of a quote one deep, and
    a quote in a list item at the left of the page; a list in the quote in
    the item started at its second level, and its bar went out of line
    past Word's largest gap (31 points).  Each quote goes in from what
    holds it, its bar beside its text; a list in it starts at its first
    level, and every paragraph of one quote has its bar at the one place."""
    d = docx.Document(str(export_docx(Document.new("Quotes", body=NESTED_QUOTES), tmp_path / "q.docx")))
    by_text = {p.text.strip(): p for p in d.paragraphs}  # (a further paragraph far in starts with a tab)
    bars = {t: _bar_at(d, p) for t, p in by_text.items() if p.style.name in ("Quote", "Quote List")}
    assert len(bars) == 14 and all(has for _at, has in bars.values()), bars
    assert bars["Level one."][0] < bars["Level two."][0] < bars["Level three."][0]
    assert bars["Back in one."] == bars["Level one."] and bars["Back in two."] == bars["Level two."]
    assert bars["In three"] == bars["Deeper in three"] == bars["Level three."]
    in_item = [t for t in bars if "in it" in t or t.startswith(("Quote in", "More on", "After its"))]
    assert len(in_item) == 7 and {bars[t] for t in in_item} == {bars["Quote in the item."]}, in_item
    item = by_text["Item one."]
    item_text = int(item._p.find(f"{W}pPr/{W}numPr/{W}ilvl").get(f"{W}val")) * 360 + 360
    assert bars["Quote in the item."][0] > item_text > bars["Level one."][0]
    assert int(by_text["Listed in it"]._p.find(f"{W}pPr/{W}numPr/{W}ilvl").get(f"{W}val")) == 0
    lefts = [by_text[t].paragraph_format.left_indent for t in ("Listed in it", "Deeper in it", "Deepest in it")]
    assert lefts == sorted(lefts) and len(set(lefts)) == 3  # (each level's text further in)
    for p in d.paragraphs:
        gap = p._p.find(f"{W}pPr/{W}pBdr/{W}left")
        assert gap is None or int(gap.get(f"{W}space")) <= 31, p.text


def test_a_blank_answers_marker_is_highlighted(tmp_path):
    """"[to be decided: …]" left by the questionnaire came out as plain
    text, lost in the page for whoever reads the draft in Word."""
    from docx.enum.text import WD_COLOR_INDEX

    from guidelines_app.publishing.import_docx import read_docx

    body = ("# Training\n\nThe training is refreshed every [to be decided: training interval in months], and "
            "**led by [to be decided: trainer]** in person.\n")
    out = export_docx(Document.new("Training", body=body), tmp_path / "markers.docx")
    runs = [r for p in docx.Document(str(out)).paragraphs if "refreshed" in p.text for r in p.runs]
    marked = [(r.text, r.bold) for r in runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert marked == [("[to be decided: training interval in months]", None), ("[to be decided: trainer]", True)]
    assert all(r.font.highlight_color is None for r in runs if "to be decided" not in r.text)
    assert "[to be decided: training interval in months]" in read_docx(out).body  # (and read back as written)
