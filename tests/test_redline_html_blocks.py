"""The HTML redline (and the compare view, which shows it) draws blocks as
the preview and the export draw them: a <details> block's summary line in
bold (the Word redline and export give it the Summary style), and code
inside a quote inside the quote (as the Word redline does since it was
mended).  HTML read with lxml."""

from __future__ import annotations

import re

import lxml.html
import pytest
from test_redline_details import OLD

from guidelines_app.review.diff import diff_texts
from guidelines_app.review.redline_html import render_html, render_html_fragment

DETAILS = OLD + "\nPlain words after.\n"  # (the Word redline's test's details blocks)

CODE_IN_QUOTES = ("# Replies\n\n> Reply with:\n>\n>     Thanks, we are on it.\n>\n> Then wait.\n\n- Item\n\n  > In the item:\n  >\n"
                  "  >     Code in the item's quote.\n\nPlain.\n\n    > code starting with a mark\n\n"
                  "> > Deep:\n> >\n> >     Deep code.\n")


def _page(fragment: str):
    return lxml.html.fragment_fromstring(fragment, create_parent="div")


def _element(page, tag: str, start: str):
    return next(el for el in page.iter(tag) if el.text_content().startswith(start))


def _bold(el) -> bool:
    return "font-weight:bold" in (el.get("style") or "").replace(" ", "")


@pytest.mark.parametrize("side", ["inline", "old", "new"])
@pytest.mark.parametrize("qt", [False, True])
def test_a_details_summary_line_is_bold_as_the_preview_draws_it(side, qt):
    result = diff_texts(DETAILS, DETAILS.replace("in your profile", "in your profile or post"))
    page = _page(render_html_fragment(result, side=side, qt=qt))
    for summary in ("Do say who you work for", "Do keep it civil"):
        assert _bold(_element(page, "p", summary)), summary
    for text in ("Say it in your profile", "Be kind.", "Plain words after."):
        assert not _bold(_element(page, "p", text)), text


def test_an_added_summary_is_bold_and_its_placeholder_as_high():
    new = DETAILS.replace("Plain words after.", "<details><summary>Do ask first</summary>\n\nAsk.\n</details>")
    result = diff_texts(DETAILS, new)
    for side in ("inline", "old", "new"):
        assert _bold(_element(_page(render_html_fragment(result, side=side)), "p", "Do ask first")), side


def _left(el) -> float:
    style = el.get("style") or ""
    m = re.search(r"margin-left:([\d.]+)em", style) or re.search(r"margin:[\d.]+em 0 [\d.]+em ([\d.]+)em", style)
    return float(m.group(1)) if m else 0.0


@pytest.mark.parametrize("qt", [False, True])
def test_code_in_a_quote_is_in_the_quote(qt):
    """Code inside a quote sat at the margin, outside the quote, also in a
    list item's quote and in a quote inside a quote."""
    result = diff_texts(CODE_IN_QUOTES, CODE_IN_QUOTES.replace("Then wait.", "Then wait a day."))
    page = _page(render_html_fragment(result, qt=qt))
    for quote, code in (("Reply with:", "Thanks, we are on it."), ("In the item:", "Code in the item's quote."),
                        ("Deep:", "Deep code.")):
        para, pre = _element(page, "p", quote), _element(page, "pre", code)
        assert pre.get("class") == para.get("class") == "quote", code
        assert _left(pre) == _left(para), code
    assert _left(_element(page, "pre", "Code in the item's")) > 0
    assert _left(_element(page, "pre", "Deep code.")) > _left(_element(page, "pre", "Thanks"))
    outside = _element(page, "pre", "> code starting with a mark")  # (indented code whose text starts with ">")
    assert outside.get("class") is None and _left(outside) == 0


def test_code_in_a_quote_has_the_quote_bar_on_the_page():
    page = render_html(diff_texts(CODE_IN_QUOTES, CODE_IN_QUOTES.replace("Then wait.", "Then wait a day.")))
    assert ".quote {" in page
    assert '<pre class="quote">' in page


@pytest.mark.parametrize("qt", [False, True])
def test_fenced_code_in_a_list_item_is_under_the_item_as_the_preview_draws_it(qt):
    """The comparison read a fence indented to an item's text as code at the
    margin, ending the list, while the preview and the export keep it in the
    item (core.md_lists); a fence at the margin still ends the list."""
    from guidelines_app.core.markup import render_html as preview

    text = "# Steps\n\n1. Copy this:\n\n   ```\n   Thanks, we are on it.\n   ```\n\n   Then wait.\n2. Reply.\n\n```\nAt the margin.\n```\n"
    assert "<li>" in preview(text).split("Thanks")[0].rsplit("<ol>", 1)[1]  # (the preview's reading)
    result = diff_texts(text, text.replace("Then wait.", "Then wait a day."))
    page = _page(render_html_fragment(result, qt=qt))
    inside, margin = _element(page, "pre", "Thanks"), _element(page, "pre", "At the margin.")
    assert _left(inside) > 0 and _left(inside) == _left(_element(page, "p", "Then wait")) and _left(margin) == 0
    assert [c.new.depth for c in result.rows[-1].blocks if c.new.kind == "code"] == [1, 0]
