"""HTML and Word redlines built from the section-aware diff."""

from __future__ import annotations

import re
import shutil
import subprocess

import docx
import pytest

from guidelines_app.core import markup
from guidelines_app.core.document import Document
from guidelines_app.review import redline
from guidelines_app.review.diff import diff_texts, split_sections

OLD = """---
title: Guidelines
---
# Guidelines

## Response time

We answer within 24 hours on working days.

- Pause scheduled posts.
- Collect screenshots.

## Old section

This whole section goes away.

| Channel | Owner |
| --- | --- |
| Twitter | Comms |
"""

NEW = """---
title: Guidelines
---
# Guidelines

## How fast we answer

We answer within 12 hours on working days, also at weekends.

- Pause scheduled posts.
- Collect screenshots and links.
- Tell the duty officer.

| Channel | Owner |
| --- | --- |
| Twitter | Comms |
| Threads | Comms |

## Privacy — Datenschutz

Never share customer data.
"""

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXPECTED_NEW = [
    "Guidelines", "How fast we answer", "We answer within 12 hours on working days, also at weekends.",
    "Pause scheduled posts.", "Collect screenshots and links.", "Tell the duty officer.",
    "Channel", "Owner", "Twitter", "Comms", "Threads", "Comms", "Privacy — Datenschutz", "Never share customer data.",
]

_TEXT_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "li", "summary", "pre"}


def exporter_texts(text: str) -> list[str]:
    """What the Word exporter writes for *text*, paragraph by paragraph (and
    cell by cell), from the same parse it uses: the words a reader sees."""
    out = []

    def own_text(el) -> str:
        parts = [el.text or ""]
        for child in el:
            if child.tag not in _TEXT_TAGS and child.tag not in ("ul", "ol", "table", "details"):
                parts.append(own_text(child))
            parts.append(child.tail or "")
        return "".join(parts)

    for el in markup.export_tree(Document.parse(text).body).iter():
        if el.tag in _TEXT_TAGS and not (el.tag == "p" and el.getparent().tag == "li"):
            words = " ".join(own_text(el).split())
            if words:
                out.append(words)
    return out


def content_tables(path) -> list:
    """The tables of a Word redline after its title page (whose details are
    the first table)."""
    tables = docx.Document(str(path)).tables
    assert tables[0].rows[0].cells[0].text in ("Compared", "Revision")
    return tables[1:]


def normalised(paragraphs: list[str]) -> list[str]:
    return [" ".join(p.split()) for p in paragraphs if p.strip()]


@pytest.fixture
def redline_docx(tmp_path):
    import datetime as dt

    d = diff_texts(OLD, NEW)
    labels = redline.Labels("Guidelines", "v1.0", "working file", "Dana Reviewer", dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC))
    return redline.write_docx_redline(d, tmp_path / "changes.docx", labels), d


def test_docx_has_tracked_changes_with_author_and_date(redline_docx):
    path, _ = redline_docx
    body = docx.Document(str(path)).element.body
    ins, dels = list(body.iter(f"{W}ins")), list(body.iter(f"{W}del"))
    assert ins and dels
    for el in ins + dels:
        assert el.get(f"{W}author") == "Dana Reviewer"
        assert el.get(f"{W}date") == "2024-05-06T07:08:09Z"
    ids = [el.get(f"{W}id") for el in ins + dels]
    assert len(ids) == len(set(ids))
    deleted = "".join(t.text for t in body.iter(f"{W}delText"))
    assert "24" in deleted and "This whole section goes away." in deleted


def test_docx_accept_all_gives_the_new_text(redline_docx):
    path, d = redline_docx
    assert redline.docx_paragraph_texts(path) == EXPECTED_NEW
    assert redline.new_text_paragraphs(d) == EXPECTED_NEW
    assert redline.docx_paragraph_texts(path) == exporter_texts(NEW)
    rejected = redline.docx_paragraph_texts(path, accept=False)
    assert "We answer within 24 hours on working days." in rejected and "Never share customer data." not in rejected


def test_docx_styles(redline_docx):
    path, _ = redline_docx
    styles = [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]
    assert ("Heading 1", "Guidelines") in styles
    # The export's list style: List Paragraph with a bullet numbering (was List Bullet).
    assert ("List Paragraph", "Pause scheduled posts.") in styles
    item = next(p for p in docx.Document(str(path)).paragraphs if p.text == "Pause scheduled posts.")
    assert item._p.find(f"{W}pPr/{W}numPr/{W}numId") is not None


def test_clean_copy(tmp_path):
    d = diff_texts(OLD, NEW)
    path = redline.write_docx_clean(d, tmp_path / "clean.docx")
    body = docx.Document(str(path)).element.body
    assert not list(body.iter(f"{W}ins")) and not list(body.iter(f"{W}del"))
    assert redline.docx_paragraph_texts(path) == EXPECTED_NEW


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_docx_redline_converts_to_pdf(redline_docx, tmp_path):
    path, _ = redline_docx
    result = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                            capture_output=True, text=True, timeout=180,
                            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "changes.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


def test_html_redline_marks_insertions_and_deletions():
    d = diff_texts(OLD, NEW)
    page = redline.render_html(d, redline.Labels("Guidelines", "v1.0", "v1.1"))
    assert "<ins>12 </ins>" in page and "<del>24 </del>" in page
    assert "text-decoration:underline" in page and "text-decoration:line-through" in page
    assert "Datenschutz" in page and 'name="chg-0"' in page
    assert len(re.findall(r'name="chg-\d+"', page)) == len(d.changes())


def test_side_by_side_columns_align():
    d = diff_texts(OLD, NEW)
    old_col = redline.render_html_fragment(d, side="old", qt=True)
    new_col = redline.render_html_fragment(d, side="new", qt=True)
    # Same blocks on both sides: an added block is a grey placeholder in the old column.
    assert old_col.count("<p") == new_col.count("<p")
    assert "Never share customer data." in old_col and redline.PLACEHOLDER_STYLE in old_col
    assert "12 " in new_col and "24 " not in new_col


def test_text_report():
    d = diff_texts(OLD, NEW)
    text = redline.render_text(d, redline.Labels("Guidelines", "v1.0", "v1.1"))
    assert "[-24-] {+12+}" in text
    assert "+ Threads | Comms" in text
    assert "Old section  [removed]" in text


MD_OLD = """---
title: Rules
---
# Rules
{:.no_toc}

## Posting

Staff **must** follow the [code of conduct](https://example.org/conduct) when posting.

<details markdown="1">
<summary markdown='span'>Why this matters</summary>

Posts are <b>public</b> &amp; permanent.

</details>

- Use *your own* account.
- Ask `#comms` first.

| Channel | Owner |
| --- | --- |
| **Twitter** | Comms |
"""

MD_NEW = """---
title: Rules
---
# Rules
{:.no_toc}

## Posting

Staff **must always** follow the [conduct handbook](https://example.org/handbook) when posting.

<details markdown="1">
<summary markdown='span'>Why this matters</summary>

Posts are <b>public</b> &amp; stay online.

</details>

- Use *your own* account.
- Ask `#comms` first, or [the duty officer](https://example.org/duty).

| Channel | Owner |
| --- | --- |
| **Twitter** | Comms |
| *Threads* | Comms |
"""

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@pytest.fixture
def markdown_redline(tmp_path):
    d = diff_texts(MD_OLD, MD_NEW)
    labels = redline.Labels("Rules", "v1.0", "v1.1", "Dana Reviewer")
    return redline.write_docx_redline(d, tmp_path / "rules.docx", labels), d


def test_redline_text_is_what_a_reader_sees(markdown_redline):
    path, d = markdown_redline
    accepted = redline.docx_paragraph_texts(path)
    assert normalised(accepted) == exporter_texts(MD_NEW)
    assert normalised(redline.docx_paragraph_texts(path, accept=False)) == exporter_texts(MD_OLD)
    assert normalised(redline.new_text_paragraphs(d)) == exporter_texts(MD_NEW)
    body = docx.Document(str(path)).element.body
    everything = "".join(t.text or "" for t in body.iter(f"{W}t", f"{W}delText"))
    for markup_text in ("**", "](", "<details", "<summary", "<b>", "{:", "&amp;", "`", "| "):
        assert markup_text not in everything


def test_redline_formats_runs_and_links(markdown_redline):
    path, _ = markdown_redline
    document = docx.Document(str(path))
    body = document.element.body
    bold = ["".join(t.text for t in r.iter(f"{W}t", f"{W}delText")) for r in body.iter(f"{W}r") if r.find(f"{W}rPr/{W}b") is not None]
    assert "must always" in bold and "public" in bold
    italic = ["".join(t.text for t in r.iter(f"{W}t")) for r in body.iter(f"{W}r") if r.find(f"{W}rPr/{W}i") is not None]
    assert "your own" in italic
    # Code is in the export's character style (it was Courier New).
    verbatim = document.styles["Verbatim Char"].style_id
    mono = [r for r in body.iter(f"{W}r") if r.find(f"{W}rPr/{W}rStyle[@{W}val='{verbatim}']") is not None]
    assert any("#comms" in "".join(t.text for t in r.iter(f"{W}t")) for r in mono)
    targets = {}
    for link in body.iter(f"{W}hyperlink"):
        rel = document.part.rels[link.get(f"{R}id")]
        targets["".join(t.text for t in link.iter(f"{W}t", f"{W}delText"))] = (rel.target_ref, [el.tag for el in link])
    # The inserted link is clickable and its text a tracked insertion with author and date.
    assert targets["conduct handbook"] == ("https://example.org/handbook", [f"{W}ins"])
    assert targets["code of conduct"] == ("https://example.org/conduct", [f"{W}del"])
    assert targets["the duty officer"][0] == "https://example.org/duty"
    for link in body.iter(f"{W}hyperlink"):
        for mark in link:
            assert mark.get(f"{W}author") == "Dana Reviewer" and mark.get(f"{W}date")


def test_redline_tables_are_word_tables_with_tracked_rows(markdown_redline):
    path, _ = markdown_redline
    tables = content_tables(path)
    assert len(tables) == 1
    rows = tables[0]._tbl.findall(f"{W}tr")
    cells = [["".join(t.text for t in c._tc.iter(f"{W}t")) for c in r.cells] for r in tables[0].rows]
    assert cells == [["Channel", "Owner"], ["Twitter", "Comms"], ["Threads", "Comms"]]
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert rows[1].find(f"{W}trPr/{W}ins") is None
    inserted = rows[2].find(f"{W}trPr/{W}ins")
    assert inserted is not None and inserted.get(f"{W}author") == "Dana Reviewer"


def test_deleted_table_row_goes_on_accept(tmp_path):
    d = diff_texts(MD_NEW, MD_OLD)
    path = redline.write_docx_redline(d, tmp_path / "back.docx")
    assert normalised(redline.docx_paragraph_texts(path)) == exporter_texts(MD_OLD)
    assert normalised(redline.docx_paragraph_texts(path, accept=False)) == exporter_texts(MD_NEW)
    row = content_tables(path)[0]._tbl.findall(f"{W}tr")[2]
    assert row.find(f"{W}trPr/{W}del") is not None


def test_clean_copy_of_markdown(tmp_path):
    path = redline.write_docx_clean(diff_texts(MD_OLD, MD_NEW), tmp_path / "clean.docx")
    assert normalised(redline.docx_paragraph_texts(path)) == exporter_texts(MD_NEW)
    assert len(content_tables(path)) == 1


def test_html_redline_shows_formatting_not_markdown():
    d = diff_texts(MD_OLD, MD_NEW)
    page = redline.render_html_fragment(d)
    assert "**" not in page and "](" not in page and "{:" not in page and "&lt;" not in page
    assert '<ins><a href="https://example.org/handbook">conduct handbook</a></ins>' in page
    assert "<b>must always</b>" in page and "<i>your own</i>" in page and "<code>#comms</code>" in page
    assert "<td" in page and "<ins><i>Threads</i></ins>" in page
    assert len(re.findall(r'name="chg-\d+"', page)) == len(d.changes())
    app = redline.render_html_fragment(d, side="new", qt=True)
    # In the app a link is underlined text, not something to click away to.
    assert "href=" not in app and redline.LINK_STYLE in app
    old = redline.render_html_fragment(d, side="old", qt=True)
    assert old.count("<tr>") == app.count("<tr>") == 3
    assert "code of conduct" in old and "conduct handbook" not in old


def test_text_report_shows_reader_text_and_changed_link_targets():
    old = "# T\n\n| Channel | Owner |\n| --- | --- |\n| Twitter | Comms team |\n\nSee the [site](https://a.example/x) <b>now</b>.\n"
    new = "# T\n\n| Channel | Owner |\n| --- | --- |\n| X | Comms team |\n\nSee the [site](https://b.example/x) <b>now</b>.\n\n- **Bold** item\n"
    text = redline.render_text(diff_texts(old, new))
    assert "~ [-Twitter-]{+X+} | Comms team" in text
    # Only the link's target changed: the report says from where to where.
    assert "[-site <https://a.example/x>-]" in text and "{+site <https://b.example/x>+}" in text
    assert "<b>" not in text and "now." in text
    assert "+ \u2022 Bold item" in text


def test_text_report_marks_moved_and_regrouped_text():
    old = "# T\n\nAlpha beta. Gamma delta.\n\n## B\n\n- apples\n- pears\n"
    new = "# T\n\nAlpha beta.\n\nGamma delta.\n\n## B\n\n- pears\n- apples\n"
    text = redline.render_text(diff_texts(old, new))
    assert "  = paragraph breaks changed: Alpha beta." in text and "  = paragraph breaks changed: Gamma delta." in text
    assert "  > moved here: \u2022 pears" in text and "  < moved away: \u2022 pears" in text
    assert "0 words inserted, 0 deleted" in text
    html = redline.render_html_fragment(diff_texts(old, new), side="new")
    assert "[moved here]" in html and "[paragraph breaks changed]" in html


def test_text_report_says_what_an_invisible_change_was():
    old = "# T\n\n<!-- old note -->\n\n| | x |\n| --- | --- |\n| a | b |\n"
    new = "# T\n\n<!-- reviewer: check this -->\n\n| | x |\n| --- | --- |\n| a | c |\n\n<div>\n"
    text = redline.render_text(diff_texts(old, new))
    assert "  ~ (markup) <!-- [-old note-] {+reviewer: check this+} -->" in text
    assert "  + (markup) <div>" in text
    assert "\n  ~ \n" not in text and "\n  + \n" not in text
    assert redline._block_text(split_sections("| | x |\n")[0].blocks[0]) == "| x"


def test_html_and_text_redlines_show_a_quote_s_list_as_items():
    """A quote holding a list was one flattened line in the HTML and text
    redlines too ("Before you post, ask: - Is it true? - ..."): each item
    is a bulleted line of its own, at its level, with the quote's bar in
    the HTML page, and the changed word marked in its item."""
    old = "# Q\n\n> Ask:\n>\n> - Is it true?\n> - Is it kind?\n>   - Would they agree?\n>\n> Then post.\n\nAfter.\n"
    result = diff_texts(old, old.replace("kind?", "fair?"))
    page = redline.render_html(result, redline.Labels("Q", "v1", "v2"))
    quoted = re.findall(r'<p class="quote"[^>]*>(.*?)</p>', page)
    assert [re.sub(r"<[^>]+>", "", q) for q in quoted] == [
        "Ask:", "•&nbsp;Is it true?", "•&nbsp;Is it kind?fair?", "•&nbsp;Would they agree?", "Then post."]
    assert "2.8em" in re.search(r'<p class="quote"[^>]*>[^\n]*Would they agree', page).group(0)  # nested
    text = redline.render_text(result)
    assert "~ > \u2022 Is it [-kind?-]{+fair?+}" in text and "Then post" not in text, text


def test_text_redline_marks_quoted_paragraphs_and_items():
    """The text redline printed a quote's paragraphs and items as any
    other text: a reader could not tell quoted words from the document's
    own.  They start with "> " (before an item's bullet, at its level),
    added, removed or changed alike; other blocks are unmarked."""
    old = ("# Q\n\nOwn words.\n\n> Ask:\n>\n> - Is it true?\n>   - Would they agree?\n>\n> Then post.\n\n"
           "## Later\n\n> Old saying.\n\n> Moving quote.\n")
    new = ("# Q\n\nOwn words, changed.\n\n> Ask now:\n>\n> - Is it true?\n>   - Would they all agree?\n"
           ">   - Is it kind?\n\nThen post.\n\n> Moving quote.\n\n## Later\n\n")
    text = redline.render_text(diff_texts(old, new))
    assert "  ~ Own words{+, changed+}." in text or "  ~ Own [-words.-]{+words, changed.+}" in text, text
    assert "  ~ > Ask {+now+}:" in text, text
    assert "  ~ >     \u2022 Would they {+all+} agree?" in text, text
    assert "  + >     \u2022 Is it kind?" in text, text
    assert "  - > Old saying." in text and "  + > Moving quote." in text and "  - > Moving quote." in text, text
    assert "  ~ (markup) [->-] Then post." in text, text  # (out of the quote: its mark went)
    assert "  ~ Own" in text and "> Own" not in text, text
