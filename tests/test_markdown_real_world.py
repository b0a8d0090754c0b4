"""Real-world Markdown read as its authors meant, in Word and HTML exports:
heading levels, in-document links, reference links inside raw HTML, the
title's fallbacks, no contents page without headings, and the heading
levels of an export -> import round trip.  The fixtures are written here
(no real policy's text)."""

from __future__ import annotations

import re
import zipfile

import docx
import lxml.etree
import lxml.html
import pytest
from export_fixtures import lengthened

from guidelines_app.core.document import Document
from guidelines_app.core.markup import outline, render_html, section_anchors
from guidelines_app.core.outline import Anchors
from guidelines_app.publishing.docx import ExportDetails, export_docx
from guidelines_app.publishing.export import ExportSource, html_document
from guidelines_app.publishing.import_docx import read_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

SIBLINGS = """---
title: Staff posting policy
---
# Staff posting policy

Everyone who posts for us reads this first.

## Scope

It covers the [platforms](#platforms) we use and [who to ask](#who-to-ask).

## Rules

Post kindly. The [rules again](#rules) and the [second rules](#rules-1).

### Platforms

Short video apps and photo apps.

# Appendix

## Rules

A second heading with the same words.

## Contacts {#who-to-ask}

The communications desk answers within a day.
"""

LEADING_TITLE = """# Harbour Cafe posting guide

## Scope

Staff accounts only.

### Detail

Even on weekends.

## Rules

Be polite.
"""

RAW_HTML_REFS = """# Club media note

## Sharing

<div class="note">

Read [the club charter][charter] before you share.

</div>

<details>
<summary>Why it matters</summary>

See [the charter][charter] and the [sharing section](#sharing).

</details>

Outside the block: [the charter][charter].

[charter]: https://example.org/club-charter
"""

PELICAN = """Title: Library volunteers online
Date: 2024-03-01
Tags: volunteers, library

Volunteers may post about events once they are public.

Nobody posts photos of children without consent.
"""

NO_HEADINGS = """Volunteers may post about events once they are public.

Nobody posts photos of children without consent.
"""


# ---- helpers -------------------------------------------------------------------


def _export(tmp_path, text: str, name: str = "doc.md", **details):
    doc = Document.parse(text, tmp_path / name)
    path = export_docx(doc, tmp_path / "out.docx", ExportDetails.from_document(doc, **details))
    return doc, path


def _body_xml(path):
    with zipfile.ZipFile(path) as z:
        return lxml.etree.fromstring(z.read("word/document.xml"))


def _settings_xml(path):
    with zipfile.ZipFile(path) as z:
        return lxml.etree.fromstring(z.read("word/settings.xml"))


def _paragraphs(path) -> list[tuple[str, str]]:
    """(style name, text including hyperlinks) of every body paragraph."""
    d = docx.Document(str(path))
    # (Word's own names as Word shows them: "toc 1" is "TOC 1".)
    styles = {s.style_id: s.name.replace("toc ", "TOC ") for s in d.styles}
    out = []
    for p in _body_xml(path).iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        name = styles.get(style.get(f"{W}val"), "Normal") if style is not None else "Normal"
        out.append((name, "".join(t.text or "" for t in p.iter(f"{W}t"))))
    return out


_FRONT_STYLES = {"Title", "Subtitle", "Title Page Detail", "Draft Notice", "TOC Heading"}


def _body_text(path) -> str:
    """The text a reader reads after the title and contents pages."""
    return "\n".join(t for s, t in _paragraphs(path) if s not in _FRONT_STYLES and not s.startswith("TOC "))


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _source_words(body: str) -> set[str]:
    """The words a reader should see: without link targets, reference
    definitions, attribute lists, tags and metadata keys."""
    text = re.sub(r"(?m)^\[[^\]]+\]:.*$", "", body)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"\]\[[^\]]*\]", "]", text)
    text = re.sub(r"\{#[^}]*\}", "", text)
    text = re.sub(r"<[^>]+>", "", text)
    return _words(text)


def _html(tmp_path, text: str, name: str = "doc.md"):
    doc = Document.parse(text, tmp_path / name)
    page = html_document(ExportSource(doc, ExportDetails.from_document(doc), tmp_path, "current text"))
    return lxml.html.document_fromstring(page)


def _headings(root) -> list[tuple[str, str]]:
    return [(el.tag, el.text_content().strip()) for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]


# ---- anchors -------------------------------------------------------------------


def test_anchors_follow_githubs_rule_and_explicit_ids():
    anchors = Anchors()
    assert anchors.add("Who can post?") == "who-can-post"
    assert anchors.add("Rules & tips: 2024") == "rules--tips-2024"
    assert anchors.add("Who can post?") == "who-can-post-1"
    assert anchors.add("Who can post") == "who-can-post-2"
    assert anchors.add("Anything", "my-id") == "my-id"
    assert anchors.add("Über uns") == "über-uns"
    body = "# A\n\n## Rules {#r}\n\n## Rules\n"
    assert section_anchors(outline(body), body.split("\n")) == ["a", "r", "rules"]


def test_preview_headings_carry_the_anchors_links_name():
    html = render_html(SIBLINGS.split("---\n", 2)[2])
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    ids = [el.get("id") for el in root.iter("h1", "h2", "h3")]
    assert ids == ["staff-posting-policy", "scope", "rules", "platforms", "appendix", "rules-1", "who-to-ask"]
    targets = {a.get("href")[1:] for a in root.iter("a") if (a.get("href") or "").startswith("#")}
    assert targets == {"platforms", "who-to-ask", "rules", "rules-1"} and targets <= set(ids)


# ---- heading levels ------------------------------------------------------------


def test_sibling_sections_get_the_same_word_level_in_body_and_contents(tmp_path):
    _doc, path = _export(tmp_path, SIBLINGS, contents=True)  # (short: a contents page when asked for)
    paras = _paragraphs(path)
    headings = [(s, t) for s, t in paras if s.startswith("Heading")]
    # Two "#" headings: neither is "the one leading # heading", both stay.
    assert headings == [
        ("Heading 1", "Staff posting policy"), ("Heading 2", "Scope"), ("Heading 2", "Rules"),
        ("Heading 3", "Platforms"), ("Heading 1", "Appendix"), ("Heading 2", "Rules"), ("Heading 2", "Contacts"),
    ]
    contents = [(s, t.split("\t")[0].strip()) for s, t in paras if s.startswith("TOC ") and s != "TOC Heading"]
    assert contents == [(s.replace("Heading", "TOC"), t) for s, t in headings]


def test_html_export_keeps_the_same_levels(tmp_path):
    root = _html(tmp_path, SIBLINGS)
    assert _headings(root) == [("h1", "Staff posting policy"), ("h2", "Scope"), ("h2", "Rules"), ("h3", "Platforms"),
                               ("h1", "Appendix"), ("h2", "Rules"), ("h2", "Contacts")]


def test_the_one_leading_heading_is_the_title_and_not_repeated(tmp_path):
    doc, path = _export(tmp_path, LEADING_TITLE)
    assert doc.title == "Harbour Cafe posting guide"
    paras = _paragraphs(path)
    assert ("Title", "Harbour Cafe posting guide") in paras
    assert [(s, t) for s, t in paras if s.startswith("Heading")] == [
        ("Heading 1", "Scope"), ("Heading 2", "Detail"), ("Heading 1", "Rules")]
    # The HTML shows the body's own heading and no second title.
    root = _html(tmp_path, LEADING_TITLE)
    assert _headings(root)[0] == ("h1", "Harbour Cafe posting guide")
    assert not root.find_class("export-title")


# ---- in-document links -----------------------------------------------------------


def test_word_links_reach_bookmarks_on_the_headings_they_name(tmp_path):
    _doc, path = _export(tmp_path, SIBLINGS)
    body = _body_xml(path)
    marks = {}
    for p in body.iter(f"{W}p"):
        for b in p.iter(f"{W}bookmarkStart"):
            marks[b.get(f"{W}name")] = "".join(t.text or "" for t in p.iter(f"{W}t"))
    links = {a.get(f"{W}anchor"): "".join(t.text or "" for t in a.iter(f"{W}t"))
             for a in body.iter(f"{W}hyperlink") if a.getparent().find(f"{W}pPr/{W}pStyle") is None
             or not a.getparent().find(f"{W}pPr/{W}pStyle").get(f"{W}val").startswith("TOC")}
    assert links == {"platforms": "platforms", "who_to_ask": "who to ask", "rules": "rules again",
                     "rules_1": "second rules"}
    assert marks["platforms"] == "Platforms"
    assert marks["who_to_ask"] == "Contacts"
    assert marks["rules"] == "Rules" and marks["rules_1"] == "Rules"
    ids = [b.get(f"{W}id") for b in body.iter(f"{W}bookmarkStart")]
    assert len(ids) == len(set(ids))


def test_html_links_reach_heading_ids(tmp_path):
    root = _html(tmp_path, SIBLINGS)
    ids = {el.get("id"): el.text_content() for el in root.iter("h1", "h2", "h3") if el.get("id")}
    hrefs = [a.get("href") for a in root.iter("a") if (a.get("href") or "").startswith("#")]
    assert hrefs and all(h[1:] in ids for h in hrefs)
    assert ids["who-to-ask"] == "Contacts" and ids["rules-1"] == "Rules"


def test_no_visible_markup_and_every_word_kept(tmp_path):
    for text in (SIBLINGS, RAW_HTML_REFS, LEADING_TITLE):
        doc, path = _export(tmp_path, text)
        words = _source_words(doc.body)
        shown = _body_text(path)
        if doc.body.lstrip().startswith("# " + doc.title):
            words -= _words(doc.title) - _words(shown)  # the title is on the title page
        for junk in ("#", "[", "]", "<", ">"):
            assert junk not in shown, (junk, shown)
        assert _words(shown) == words
        root = _html(tmp_path, text)
        page = root.find(".//body")
        header = page.find("header")
        header.getparent().remove(header)
        html_text = page.text_content()
        for junk in ("#", "[", "]", "<", ">"):
            assert junk not in html_text, (junk, html_text)
        assert _words(html_text) == _source_words(doc.body)


# ---- reference links inside raw HTML -----------------------------------------------


def test_reference_links_resolve_inside_html_blocks(tmp_path):
    _doc, path = _export(tmp_path, RAW_HTML_REFS)
    shown = _body_text(path)
    assert "[the club charter][charter]" not in shown and "the club charter" in shown
    rels = docx.Document(str(path)).part.rels.values()
    assert [r.target_ref for r in rels if r.reltype.endswith("/hyperlink")] == ["https://example.org/club-charter"]
    body = _body_xml(path)
    texts = {"".join(t.text or "" for t in a.iter(f"{W}t")) for a in body.iter(f"{W}hyperlink")}
    assert {"the club charter", "the charter", "sharing section"} <= texts
    root = _html(tmp_path, RAW_HTML_REFS)
    links = {a.text_content(): a.get("href") for a in root.iter("a")}
    assert links["the club charter"] == links["the charter"] == "https://example.org/club-charter"
    assert links["sharing section"] == "#sharing"


# ---- title fallbacks and the contents page -------------------------------------


@pytest.mark.parametrize("text, name, title", [
    ("---\ntitle: From the details\n---\n# Other words\n\ntext\n", "x.md", "From the details"),
    ("# From the heading\n\ntext\n", "x.md", "From the heading"),
    ("# One\n\n# Two\n\ntext\n", "two-sections.md", "Two sections"),
    (PELICAN, "x.md", "Library volunteers online"),
    (NO_HEADINGS, "social-media-policy.md", "Social media policy"),
    (NO_HEADINGS, "staff_posting_guide.md", "Staff posting guide"),
])
def test_title_falls_back_in_order(tmp_path, text, name, title):
    assert Document.parse(text, tmp_path / name).title == title


def test_metadata_lines_are_not_text_and_no_contents_without_headings(tmp_path):
    doc, path = _export(tmp_path, PELICAN, "library-volunteers.md")
    paras = _paragraphs(path)
    assert ("Title", "Library volunteers online") in paras
    shown = "\n".join(t for _, t in paras)
    assert "Title:" not in shown and "Tags:" not in shown and "2024-03-01" not in shown
    assert "Volunteers may post about events once they are public." in shown
    # No contents page, no TOC field, nothing asking to "update this field".
    assert not any(s == "TOC Heading" or s.startswith("TOC ") for s, _ in paras)
    assert "Update this field" not in shown and "Contents" not in shown
    assert b"TOC \\o" not in lxml.etree.tostring(_body_xml(path))
    assert _settings_xml(path).find(f"{W}updateFields") is None
    root = _html(tmp_path, PELICAN, "library-volunteers.md")
    assert [p.text_content() for p in root.find_class("export-title")] == ["Library volunteers online"]
    assert "Title:" not in root.text_content()
    assert "Title:" not in render_html(doc.body)


def test_plain_file_title_page_uses_the_readable_name(tmp_path):
    _doc, path = _export(tmp_path, NO_HEADINGS, "social-media-policy.md")
    assert ("Title", "Social media policy") in _paragraphs(path)


def test_documents_with_headings_still_get_contents(tmp_path):
    # (Long enough: a short one has none, see tests/test_export_contents.py.)
    _doc, path = _export(tmp_path, lengthened(LEADING_TITLE))
    assert [t for s, t in _paragraphs(path) if s == "TOC Heading"] == ["Contents"]


# ---- export -> import ------------------------------------------------------------


@pytest.mark.parametrize("text", [SIBLINGS, LEADING_TITLE, RAW_HTML_REFS,
                                  "---\ntitle: Posting guide\n---\n## Scope\n\n### Detail\n\n## Rules\n",
                                  "---\ntitle: Posting guide\n---\n# Our own heading\n\n## Scope\n\n## Rules\n"],
                         ids=["siblings", "leading-title", "raw-html", "no-level-1", "own-heading-not-the-title"])
def test_export_then_import_gives_back_the_heading_levels(tmp_path, text):
    doc, path = _export(tmp_path, text)
    imported = read_docx(path)
    assert imported.title == doc.title
    assert [(s.level, s.title) for s in outline(imported.body)] == \
        [(s.level, re.sub(r"\s*\{#[^}]*\}$", "", s.title)) for s in outline(doc.body)]


def test_import_of_other_word_files_keeps_title_over_heading_1(tmp_path):
    d = docx.Document()
    d.add_paragraph("Outside policy", style="Title")
    d.add_paragraph("Scope", style="Heading 1")
    d.add_paragraph("Words.")
    d.save(str(tmp_path / "outside.docx"))
    imported = read_docx(tmp_path / "outside.docx")
    assert [(s.level, s.title) for s in outline(imported.body)] == [(1, "Outside policy"), (2, "Scope")]


def test_markup_in_headings_is_not_in_titles_or_anchors(tmp_path):
    text = "# **Harbour** posting guide\n\n## [Our](https://example.org) *own* rules\n\nSee [them](#our-own-rules).\n"
    doc, path = _export(tmp_path, text)
    assert doc.title == "Harbour posting guide"
    paras = _paragraphs(path)
    assert ("Title", "Harbour posting guide") in paras
    assert [(s, t) for s, t in paras if s.startswith("Heading")] == [("Heading 1", "Our own rules")]
    preview = lxml.html.fragment_fromstring(render_html(doc.body), create_parent="div")
    exported = _html(tmp_path, text)
    assert [el.get("id") for el in preview.iter("h2")] == [el.get("id") for el in exported.iter("h2")] \
        == ["our-own-rules"]


def test_libreoffice_reads_the_bookmarks_and_links(tmp_path):
    """LibreOffice (as a reader's office suite) keeps each in-document link
    pointing at the bookmark on its heading."""
    import subprocess

    from guidelines_app.publishing.export import find_soffice

    soffice = find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    _doc, path = _export(tmp_path, SIBLINGS)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "html",
                    "--outdir", str(tmp_path), str(path)], capture_output=True, timeout=240, check=True,
                   stdin=subprocess.DEVNULL)
    page = lxml.html.parse(str(tmp_path / "out.html")).getroot()
    names = {a.get("name") for a in page.iter("a") if a.get("name")}
    links = {a.get("href")[1:]: " ".join(a.text_content().split()) for a in page.iter("a")
             if (a.get("href") or "").startswith("#") and not a.get("href").startswith("#_Ref")}
    assert links == {"platforms": "platforms", "who_to_ask": "who to ask", "rules": "rules again",
                     "rules_1": "second rules"}
    assert set(links) <= names


def test_a_link_to_the_title_heading_lands_on_the_title_page(tmp_path):
    text = LEADING_TITLE + "\nBack to [the top](#harbour-cafe-posting-guide).\n"
    _doc, path = _export(tmp_path, text)
    body = _body_xml(path)
    title = next(p for p in body.iter(f"{W}p") if "".join(t.text or "" for t in p.iter(f"{W}t")) == "Harbour Cafe posting guide")
    assert [b.get(f"{W}name") for b in title.iter(f"{W}bookmarkStart")] == ["harbour_cafe_posting_guide"]
    assert [a.get(f"{W}anchor") for a in body.iter(f"{W}hyperlink") if a.get(f"{W}anchor") and
            not a.get(f"{W}anchor").startswith("_Ref")] == ["harbour_cafe_posting_guide"]
