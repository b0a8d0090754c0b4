"""The acknowledgement form an employee signs (review.attest, written by the
one Word writer): "the rules in brief" is the document's own summary when
it has one, else rules that make sense on their own and fit the one page
the form promises; the signature block is a block to sign, not a table
with an empty header.  Checked in the Word file (python-docx) and, when
LibreOffice and poppler are installed, in the PDF it prints as."""

from __future__ import annotations

import math
import re
import shutil
import subprocess

import docx
import pytest

from guidelines_app.core.document import Document
from guidelines_app.review import attest_form, history

OWN_BRIEF = """# Posting rules

## Who takes part

Everyone who posts about Northwind.

## Confidential information

Do not post figures before they are announced.

{heading}

**On any account**

- Keep business secrets private.
- Say that you work here when you recommend our products.

{sub} On official accounts

- Get the approvals the [pre-approval table](#approvals) asks for.
- Correct mistakes *openly*.

Questions: the social media team.

## Appendix B: Examples

Do not use the logo on a personal account.
"""
OWN_ITEMS = ["Keep business secrets private.", "Say that you work here when you recommend our products.",
             "Get the approvals the pre-approval table asks for.", "Correct mistakes openly."]

PICKED = """# Posting rules

## What these guidelines cover

They apply to every account that mentions Northwind.

## Say who you work for

When you recommend, praise or review the products of Northwind, say in the same post that you work here.

## Confidential information

Do not post business information that Northwind keeps secret, namely:

- figures before they are announced;
- plans and prices.

## Your own views

A line such as "views are my own" helps readers. Do not present them as views of Northwind.

## Official accounts

Only the few rules named under "What these guidelines cover" reach them. Every post on an official account must be
checked by a second person.

## When you leave

Do not change its password on your way out. Hand official accounts over to your manager.

## Platforms

Ask there before starting anything new. Follow each platform's own rules.

## Security

These must be kept safe. Never share a password with anyone.

## Replies

See the table below for response times. Reply to complaints within a day.

## Summary of changes

Version 2 moved the rules on video to their own section.
"""
PICKED_RULES = {
    "When you recommend, praise or review the products of Northwind, say in the same post that you work here.",
    "Do not post business information that Northwind keeps secret.",
    "Every post on an official account must be checked by a second person.",
    "Hand official accounts over to your manager.",
    "Follow each platform's own rules.",
    "Never share a password with anyone.",
    "Reply to complaints within a day.",
}
# What a sentence leans on when it points outside itself (the reviewer's examples).
DANGLING = re.compile(r"^(?:they|them|it|its|this|these|there|such)\b|\b(?:them|its|there|above|below|named under)\b"
                      r"|[\"“]What these guidelines cover[\"”]", re.IGNORECASE)


def _published(ws, author, body, title="Posting rules"):
    slug, _ = ws.create_document(Document.new(title, body=body), author)
    history.publish(ws, slug, "First version", "Ann Lee", author, override_reason="a test of the form")
    return slug


def _items(markdown: str) -> list[str]:
    return [line[2:] for line in markdown.splitlines() if line.startswith("- ")]


def _brief_paragraphs(path):
    paragraphs = docx.Document(str(path)).paragraphs
    start = next(n for n, p in enumerate(paragraphs) if p.text.startswith("The rules in brief:"))
    return paragraphs[start + 1:]


@pytest.mark.parametrize(("heading", "sub"), [
    ("## Appendix A: The rules in brief", "###"),
    ("#### the RULES in brief", "#####"),  # any level, any case
    ("## Summary", "###"),
    ("Rules at a glance\n-----------------", "###"),  # an underlined heading
])
def test_the_documents_own_rules_in_brief_are_the_page(workspace, author, tmp_path, heading, sub):
    """The page was sentences picked from the whole policy, even when the
    document sums up its rules itself."""
    from guidelines_app.publishing.export import export_form

    slug = _published(workspace, author, OWN_BRIEF.format(heading=heading, sub=sub))
    parts, details = attest_form.acknowledgement_form(workspace, slug)
    # As written, its formatting kept (a link to a part left out: its words).
    assert _items(parts[1]) == OWN_ITEMS[:2] + ["Get the approvals the pre-approval table asks for.", "Correct mistakes *openly*."]
    assert "figures before they are announced" not in parts[1] and "Do not use the logo" not in parts[1]
    path = export_form(parts, details, "docx", tmp_path / "ack.docx")
    paragraphs = _brief_paragraphs(path)
    texts = [p.text for p in paragraphs]
    assert [t for t in texts if t in OWN_ITEMS] == OWN_ITEMS
    assert "Questions: the social media team." in texts
    label = next(p for p in paragraphs if p.text == "On any account")
    assert all(r.bold for r in label.runs if r.text.strip())  # its formatting kept
    assert [r.text for r in next(p for p in paragraphs if p.text == OWN_ITEMS[3]).runs if r.italic] == ["openly"]
    sub_heading = next(p for p in paragraphs if p.text == "On official accounts")
    assert sub_heading.style.name.startswith("Heading")
    assert not any("Appendix" in t or t in ("Summary", "Rules at a glance") for t in texts)


def test_the_employee_template_brings_its_own_rules_in_brief(workspace, author):
    from guidelines_app.drafting.library import assemble, load_library

    doc = assemble(load_library().get("employee-social-media-guidelines"), {"organization": "Brightwater"}).document
    lines = doc.body.split("\n")
    start = next(n for n, line in enumerate(lines) if line.startswith("## ") and "rules in brief" in line.lower())
    end = next(n for n in range(start + 1, len(lines)) if lines[n].startswith("## "))
    written = [line[2:] for line in lines[start:end] if line.startswith("- ")]
    slug, _ = workspace.create_document(doc, author)
    history.publish(workspace, slug, "First version", "Ann Lee", author, override_reason="a test of the form")
    parts, _details = attest_form.acknowledgement_form(workspace, slug)
    assert len(written) >= 10 and _items(parts[1]) == written


def test_picked_rules_make_sense_on_their_own(workspace, author):
    """Without a summary of its own, the page had "Do not present them as
    views of Brightwater", "Do not change its password", "Ask there before
    starting anything new", "Only the few rules named under ... reach
    them", and not the rule on confidential information."""
    slug = _published(workspace, author, PICKED)
    parts, _details = attest_form.acknowledgement_form(workspace, slug)
    chosen = _items(parts[1])
    assert [s for s in chosen if DANGLING.search(s)] == []
    assert set(chosen) == PICKED_RULES
    assert "A one-page summary of version 1.0" in parts[1]
    assert "## Summary of changes" not in parts[1]  # not the document's summary of its rules


def _long_policy() -> str:
    sections = []
    for n in range(1, 31):
        sections.append(
            f"## Topic {n}\n\n"
            f"Do not post about topic {n} on any account unless the team that owns topic {n} has agreed in writing "
            "to the words and the timing first.\n\n"
            f"Every post on topic {n} must name the person who approved it and the day it was approved, in the "
            "notes kept by the social media team.\n\n"
            f"Never answer a question on topic {n} from a journalist; pass the question to the press office on the "
            "same day.\n")
    return "# Long policy\n\n" + "\n".join(sections)


# An A4 page of the house style holds 46 lines of 11 pt text (15.5 pt apart);
# a bullet's line about 95 characters; the title takes 3.2 lines, a section's heading 2.4.
PAGE_LINES, LINE_CHARS = 46, 95


def test_the_rules_in_brief_fit_the_one_page_they_promise(workspace, author, tmp_path):
    """18 bullets of up to 30 words, whatever their length: a "one-page
    summary" of two pages."""
    from guidelines_app.publishing.export import export_form

    slug = _published(workspace, author, _long_policy(), "Long policy")
    parts, details = attest_form.acknowledgement_form(workspace, slug)
    brief = parts[1]
    headings = [line for line in brief.splitlines() if line.startswith("## ")]
    items = _items(brief)
    lines = 3.2 + 1 + 2.4 * len(headings) + sum(math.ceil(len(i) / LINE_CHARS) + 0.2 for i in items) + 2
    assert len(items) >= 8 and lines <= PAGE_LINES, (len(items), lines)
    assert "A one-page summary" in brief
    assert "Other rules, and the details of these, are in the full policy: “Long policy”, version 1.0." in brief
    assert all(i.endswith(".") and i[:1].isupper() for i in items)  # cut at a sentence
    if shutil.which("soffice") is None or shutil.which("pdfinfo") is None:
        pytest.skip("LibreOffice or poppler-utils is not installed: the PDF's pages are not counted")
    path = export_form(parts, details, "pdf", tmp_path / "ack.pdf")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+2$", info, re.MULTILINE), info  # the form, and the rules on one page


def test_the_signature_block_is_a_block_to_sign(workspace, author, tmp_path):
    """It was a table with an empty navy header row, the labels 70% of the
    width, the space to write in 30%, rows a line of text high."""
    from guidelines_app.publishing.docx import export_docx
    from guidelines_app.publishing.export import export_form

    slug = _published(workspace, author, PICKED)
    parts, details = attest_form.acknowledgement_form(workspace, slug)
    path = export_form(parts, details, "docx", tmp_path / "ack.docx")
    table = docx.Document(str(path)).tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [["Name", ""], ["Team", ""], ["Date", ""], ["Signature", ""]]
    assert not table._tbl.xpath(".//w:tblHeader")  # no header row
    label, space = (col.width for col in table.columns)
    assert space > 3 * label
    assert all(row.height is not None and row.height.cm >= 1.2 for row in table.rows)  # room to sign by hand
    # An ordinary export keeps a table's header row, blank or not (it reads back as written).
    doc = Document.new("Table", body="# Table\n\n| | |\n|---|---|\n| Name | Ann |\n")
    plain = docx.Document(str(export_docx(doc, tmp_path / "plain.docx"))).tables[-1]  # (after the title page's)
    assert len(plain.rows) == 2 and plain._tbl.xpath(".//w:tblHeader")


def test_a_title_with_markup_characters_reads_as_typed_on_the_form(workspace, author, tmp_path):
    """A title, organization or version summary with "*", "_" or "|" went
    into the form's Markdown as it was: "*all*" came out in italics."""
    from guidelines_app.publishing.export import export_form

    slug = _published(workspace, author, PICKED, title="Rules for *all* staff | 2027")
    parts, details = attest_form.acknowledgement_form(workspace, slug)
    path = export_form(parts, details, "docx", tmp_path / "ack.docx")
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "Acknowledgement: Rules for *all* staff | 2027" in texts
    assert "The rules in brief: Rules for *all* staff | 2027" in texts
    assert any("of “Rules for *all* staff | 2027”, understood it" in t for t in texts)


def test_every_page_of_the_form_has_the_header_and_footer(workspace, author, tmp_path):
    """The form has no title page, yet its first page went without the
    header and footer (as an export's title page does); its second had both."""
    from guidelines_app.publishing.export import export_form

    slug = _published(workspace, author, PICKED)
    parts, details = attest_form.acknowledgement_form(workspace, slug)
    section = docx.Document(str(export_form(parts, details, "docx", tmp_path / "ack.docx"))).sections[0]
    assert not section.different_first_page_header_footer
    assert "Posting rules" in section.header.paragraphs[0].text and "Page " in section.footer.paragraphs[0].text


THREE_RULES = """# Posting rules

## Personal accounts

1. Do not post sales figures before the results are announced.
2. Never share a password with anyone.
3. Say that you work here when you recommend our products.

## Questions

Ask the social media team.
"""


def test_a_sections_three_rules_are_all_on_the_page_that_has_room(workspace, author, tmp_path):
    """'guidelines export DOC --format acknowledgement' printed two of the
    three numbered rules of a section, on a page two-thirds empty."""
    import os
    import sys

    slug = _published(workspace, author, THREE_RULES)
    target = tmp_path / "ack.docx"
    done = subprocess.run([sys.executable, "-m", "guidelines_app.cli", "--workspace", str(workspace.root), "export", slug,
                           "--format", "acknowledgement", "-o", str(target)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.returncode == 0, done.stderr
    texts = [p.text for p in _brief_paragraphs(target)]
    at = texts.index("Personal accounts")
    assert texts[at + 1:at + 4] == ["Do not post sales figures before the results are announced.", "Never share a password with anyone.",
                                    "Say that you work here when you recommend our products."]
    assert "Ask the social media team." in texts
    assert not any(t.startswith("Other rules, and the details of these") for t in texts)  # nothing was left out
