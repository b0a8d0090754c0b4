"""A definition list ("Term" line, then ": meaning") is a term and an
indented definition in the redlines, as the export draws it (they read as
one paragraph, "Term : meaning").  Real .docx files reopened with
python-docx, HTML read with lxml."""

from __future__ import annotations

import docx
import lxml.html
import pytest

from guidelines_app.core.document import Document
from guidelines_app.core.markup import render_html
from guidelines_app.publishing.docx import export_docx
from guidelines_app.review import redline
from guidelines_app.review.diff import diff_texts, split_blocks
from guidelines_app.review.redline_html import render_html_fragment

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LABELS = redline.Labels(title="Terms", old="v1", new="v2", author="Reviewer")

OLD = """# Terms

Official account
: An account that speaks for the organisation.

Personal account
: An account in your own name.
: Also one you share with family.

Plain words after.
"""
NEW = OLD.replace("speaks for the organisation", "speaks for the whole organisation").replace(
    "Personal account", "Private account")


@pytest.mark.parametrize("body", [
    "Term\n: meaning",
    "Term\n: one\n: two\n\nAfter.",
    "Term\n\n: loose\n\n: loose two",
    "A\nB\n: def\nlazy",
    ": no term",
    "Words\n:smile: here",
    "- item\n\n: after a list",
    "> Quoted term\n> : quoted meaning",
])
def test_the_splitter_reads_terms_and_definitions_as_the_export_does(body):
    """Each <dt> of the export's reading is a term (its lines one term's
    lines), each <dd> a definition; the rest paragraphs of text."""
    page = lxml.html.fragment_fromstring(render_html(body), create_parent="div")
    export = [(el.tag, " ".join(el.text_content().split())) for el in page.iter("dt", "dd", "p")
              if el.tag != "p" or el.getparent().tag != "dd"]
    ours = []
    for b in split_blocks(body.split("\n")):
        if b.kind != "paragraph":
            continue  # (a list item: its <li>)
        text = b.content.removeprefix("> ")
        if b.marker == "term":
            ours += [("dt", line) for line in text.split("\n")]
        else:
            ours.append(("dd" if b.marker == ":" else "p", text))
    assert ours == export


def _styles(path) -> dict[str, tuple[str, str | None]]:
    out = {}
    for p in docx.Document(str(path)).paragraphs:
        ind = p._p.find(f"{W}pPr/{W}ind")
        text = "".join(t.text or "" for t in p._p.iter(f"{W}t"))
        out[text] = (p.style.name, None if ind is None else ind.get(f"{W}left"))
    return out


def test_word_redline_draws_terms_and_definitions_as_the_export(tmp_path):
    result = diff_texts(OLD, NEW)
    export = _styles(export_docx(Document.new("Terms", body=NEW.replace("# Terms\n\n", "")), tmp_path / "export.docx"))
    assert export["Official account"] == ("Summary", None)
    assert export["An account in your own name."] == ("Normal", "567")
    for path in (redline.write_docx_redline(result, tmp_path / "red.docx", LABELS),
                 redline.write_docx_clean(result, tmp_path / "clean.docx", LABELS)):
        red = _styles(path)
        for text in ("Official account", "An account that speaks for the whole organisation.", "Private account",
                     "An account in your own name.", "Also one you share with family.", "Plain words after."):
            assert red[text] == export[text], (path.name, text)
    accepted = redline.docx_paragraph_texts(tmp_path / "red.docx", accept=True)
    assert accepted[1:4] == ["Official account", "An account that speaks for the whole organisation.", "Private account"]
    assert redline.docx_paragraph_texts(tmp_path / "red.docx", accept=False)[3] == "Personal account"


@pytest.mark.parametrize("qt", [False, True])
def test_html_redline_draws_a_term_and_an_indented_definition(qt):
    result = diff_texts(OLD, NEW)
    for side in ("inline", "old", "new"):
        page = lxml.html.fragment_fromstring(render_html_fragment(result, side=side, qt=qt), create_parent="div")
        paras = {" ".join(p.text_content().split()): p.get("style") or "" for p in page.iter("p")}
        assert not any(" : " in text for text in paras), paras
        term = next(style for text, style in paras.items() if text.startswith("Official"))
        meaning = next(style for text, style in paras.items() if text.startswith("An account that"))
        assert "font-weight:bold" in term and "margin-left" not in term
        assert "margin-left:2.5em" in meaning and "font-weight" not in meaning
        assert "margin-left" not in paras["Plain words after."]


def test_text_redline_puts_the_definition_under_its_term():
    lines = redline.render_text(diff_texts(OLD, NEW)).splitlines()
    assert "  ~     An account that speaks for the {+whole+} organisation." in lines
    assert "  ~ [-Personal-] {+Private+} account" in lines
