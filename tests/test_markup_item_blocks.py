"""Blocks inside list items as CommonMark reads them, in the preview and
the exports (Python-Markdown, after ``core.md_lists.normalize_lists``):
a quote that starts on the item's line and goes on, fenced code written
in an item, and an emptied item after an item of two lines, which the
outline read as a heading's underline."""

from __future__ import annotations

import re

import docx
import pytest

from guidelines_app.core.document import Document
from guidelines_app.core.markup import export_tree, outline, prepare, render_html, scan_headings
from guidelines_app.publishing.docx import export_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _code(tree) -> list[str]:
    return [pre.text_content() for pre in tree.iter("pre")]


def _same_line_count(body: str) -> None:
    assert len(prepare(body)) == len(body.split("\n"))


# -- a quote on the item's line that goes on -------------------------------

@pytest.mark.parametrize("body", [
    "- > Ask first.\n  >\n  > Then post.\n",
    "1. > Ask first.\n   >\n   > Then post.\n",
    "10. > Ask first.\n    >\n    > Then post.\n",
    "- Intro\n  - > Ask first.\n    >\n    > Then post.\n",
    "- > Ask first.\n  >\n  > Then post.\n-\n",
], ids=["bullet", "numbered", "wide_number", "nested", "then_an_emptied_item"])
def test_a_quote_on_an_item_s_line_that_goes_on_is_the_item_s_quote(body):
    """It came out as the quote's first line and the rest as code ("> Then
    post." in a code box) in the preview, the HTML and the Word document.
    (A "-" under it is an empty item, no lazy line of the quote: CommonMark.)"""
    html = render_html(body)
    assert "<pre>" not in html and "&gt;" not in html and "<h2" not in html
    assert html.count("<li>") == 1 + ("Intro" in body) + body.endswith("\n-\n")
    assert re.search(r"<li>\s*<blockquote>\s*<p>Ask first.</p>\s*<p>Then post.</p>\s*</blockquote>\s*</li>", html)
    tree = export_tree(body)
    quote = tree.find(".//li/blockquote")
    assert [p.text for p in quote.iter("p")] == ["Ask first.", "Then post."] and not _code(tree)
    _same_line_count(body)


def test_a_quote_on_an_item_s_line_keeps_its_list_its_lazy_line_and_the_items_around_it():
    body = ("Rules:\n\n- First.\n- > Before you post, ask:\n  > - Is it true?\n  >   - Would the customer agree?\n"
            "  > Then post,\n  and not before.\n- Last.\n")
    html = render_html(body)
    assert html.count("<ul>") == 3 and "<pre>" not in html
    tree = export_tree(body)
    outer = tree.find("ul")
    assert [li.text_content().split()[0] for li in outer.findall("li")] == ["First.", "Before", "Last."]
    quote = outer.findall("li")[1].find("blockquote")
    assert [li.text_content().split("\n")[0].strip() for li in quote.iter("li")] == [
        "Is it true?", "Would the customer agree?"]
    assert quote.find("ul/li/ul/li") is not None  # (nested at 2 columns, as outside a quote)
    assert "Then post, and not before." in " ".join(quote.text_content().split())
    _same_line_count(body)


def test_a_quote_on_an_item_s_line_goes_into_word_inside_the_item(tmp_path):
    body = "# Rules\n\n1. > Ask first.\n   >\n   > Then post.\n2. Second.\n"
    d = docx.Document(str(export_docx(Document.new("Rules", body=body), tmp_path / "q.docx")))
    by_text = {p.text.strip(): p for p in d.paragraphs}
    assert {by_text[t].style.name for t in ("Ask first.", "Then post.")} <= {"Quote", "Quote List"}
    assert not [p for p in d.paragraphs if "Then post" in p.text and p.style.name == "Source Code"]
    numbers = [p for p in d.paragraphs if p._p.find(f"{W}pPr/{W}numPr") is not None]
    assert "Second." in [p.text for p in numbers]
    num_ids = {p._p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") for p in numbers}
    assert len(num_ids) == 1  # one list: the second item is "2."


# -- fenced code in an item ---------------------------------------------------

FENCED = {
    "backticks": ("1. Add the tag:\n   ```html\n   <a href=\"/policy\">Policy</a>\n   - not an item\n   ```\n"
                  "2. Save.\n", "<a href=\"/policy\">Policy</a>\n- not an item\n", ["Add the tag:", "Save."]),
    "tildes_blank_and_after": ("- Copy:\n\n  ~~~\n  line one\n\n  line three\n  ~~~\n\n  Then paste.\n- Done.\n",
                               "line one\n\nline three\n", ["Copy:", "Done."]),
    "indented_fence": ("- Copy:\n   ```\n    two in\n   one in\n  ```\n- Done.\n", " two in\none in\n", ["Copy:", "Done."]),
    "unclosed": ("- Copy:\n  ```\n  x = 1\n- Done.\n", "x = 1\n", ["Copy:", "Done."]),
    "on_the_item_s_line": ("- ```\n  x = 1\n  ```\n- Done.\n", "x = 1\n", ["", "Done."]),
}


@pytest.mark.parametrize("body, code, items", FENCED.values(), ids=FENCED.keys())
def test_fenced_code_in_an_item_stays_in_the_item(body, code, items):
    """It ended the list: the code outside it, the list cut in two (the
    second half numbered anew from 2)."""
    tree = export_tree(body)
    outer = tree.find("ol") if body.startswith("1.") else tree.find("ul")
    assert len([el for el in tree if el.tag in ("ul", "ol")]) == 1
    lis = outer.findall("li")
    assert [(li.text or "").strip() or (li.findtext("p") or "").strip() for li in lis] == items
    pre = tree.find(".//li//pre")
    assert pre is not None and _code(tree) == [code]
    assert not re.search("<h[1-6]", render_html(body))
    assert [s.title for s in outline(body)] == []
    _same_line_count(body)


def test_fenced_code_in_a_nested_item_stays_in_it_and_the_outer_item_goes_on():
    body = "- Outer\n  - Inner:\n\n    ```\n      kept in\n    # not a heading\n    ```\n  Outer again.\n"
    tree = export_tree(body)
    assert [el.tag for el in tree] == ["ul"] and _code(tree) == ["  kept in\n# not a heading\n"]
    outer = tree.find("ul/li")
    assert outer.find("ul/li/pre") is not None and outer[-1].tag == "p" and outer[-1].text == "Outer again."
    assert outline(body) == []
    _same_line_count(body)


def test_code_in_an_item_is_the_code_a_fence_shows_outside_lists():
    code = "  indented\n<b>tag</b> & [link](x) *not emphasis*\n\n- dash\n    four in\n"
    outside = render_html("```\n" + code + "```\n")
    inside = render_html("- Item\n\n  ```\n" + "\n".join(("  " + line) if line else "" for line in code.split("\n"))
                         + "  ```\n")
    assert "```" not in inside and re.search(r"<li>\s*(<p>)?Item(</p>)?\s*<pre>", inside)
    found = re.findall(r"<pre>.*?</pre>", inside, re.S)
    assert found == re.findall(r"<pre>.*?</pre>", outside, re.S) and "<li>" in inside


def test_a_fence_four_columns_in_from_the_item_s_text_is_code_with_its_backticks():
    """CommonMark: indented code in the item, the fence lines its text;
    a fence left of the item's text ends the list, as ever."""
    tree = export_tree("- Item\n\n      ```\n      x\n      ```\n")
    assert _code(tree) == ["```\nx\n```\n"] and tree.find(".//li/pre") is not None
    tree = export_tree("- Item\n```\nx\n```\n- Next\n")
    assert [el.tag for el in tree] == ["ul", "div", "ul"] and tree[1].find("pre") is not None


def test_fenced_code_in_an_item_goes_into_word_in_the_item_and_the_list_goes_on(tmp_path):
    body = "# Steps\n\n1. Add the tag:\n   ```html\n   <a href=\"/policy\">Policy</a>\n   ```\n2. Save.\n"
    d = docx.Document(str(export_docx(Document.new("Steps", body=body), tmp_path / "c.docx")))
    code = [p for p in d.paragraphs if p.style.name == "Source Code"]
    assert [p.text for p in code] == ['<a href="/policy">Policy</a>']
    numbered = [p for p in d.paragraphs if p._p.find(f"{W}pPr/{W}numPr") is not None]
    assert [p.text for p in numbered] == ["Add the tag:", "Save."]
    assert len({p._p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") for p in numbered}) == 1
    assert code[0].paragraph_format.left_indent > 0  # (under the item's text)


# -- an emptied item after an item of two lines ------------------------------

@pytest.mark.parametrize("body", [
    "- Employees\n  and contractors\n-\n",
    "- Employees\n  and contractors\n- \n",
    "- Employees\n\n  and contractors\n-\n",
    "- Employees\n  - Staff\n\n  and contractors\n-\n",
    "- Employees\nand contractors\n\n  and agencies\n-\n",
    "> Employees\n-\n",
], ids=["lone_dash", "dash_space", "later_paragraph", "nested_then_later_paragraph", "after_a_lazy_line",
        "after_a_quote"])
def test_an_emptied_item_after_an_item_of_two_lines_is_an_empty_item(body):
    """The outline read the item's last line as a heading ("-" its
    underline): a section in the contents, and the preview cut there (the
    line shown as code)."""
    lines = body.split("\n")
    assert scan_headings(lines) == [] and outline(body) == []
    html = render_html(body)
    assert "<pre>" not in html and not re.search("<h[1-6]", html)
    assert html.count("<li>") == 2 + ("Staff" in body) - body.startswith(">") and "Employees" in html
    _same_line_count(body)


SETEXT = [
    ("  Title\n-\n", [(0, 2, "Title")]),
    ("Intro\n\n  Title\n-\n", [(2, 2, "Title")]),
    ("- Item\n\n Title\n-\n", [(2, 2, "Title")]),  # (not indented to the item's text: the list ended)
    ("> Quoted\n\n  Title\n===\n", [(2, 1, "Title")]),
    ("```\n- code\n```\nTitle\n---\n", [(3, 2, "Title")]),
    ("> Quoted\nand carried on\n---\n", []),
    ("> \nTitle\n---\n", [(1, 2, "Title")]),  # (no paragraph open in the quote: none carried on)
    ("-\n-\n", []),
]


def test_a_setext_underline_makes_a_heading_only_of_text_in_its_own_block():
    """A quote's lazy line over "---" is no heading (CommonMark: the rule's
    line cannot carry the quote on, so it is a rule), nor is an empty item
    over "-"; text outside lists and quotes over an underline still is."""
    for body, headings in SETEXT:
        assert scan_headings(body.split("\n")) == headings, body
        html = render_html(body)
        assert bool(re.search("<h[1-6]", html)) == bool(headings), body
        assert ("<hr" in html) == (not headings and body.endswith("---\n")), body
    assert render_html("-\n-\n").count("<li>") == 2
