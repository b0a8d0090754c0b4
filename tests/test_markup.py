"""The shared Markdown parse: outline, list nesting, per-section rendering."""

from __future__ import annotations

import re

from guidelines_app.core.markup import MarkdownRenderer, outline, render_html, section_at_line, word_count


def _nesting(html: str) -> list[tuple[int, str]]:
    """(depth, text) of every <li>, from the rendered HTML."""
    depth, items = 0, []
    for tag in re.finditer(r"<(/?)(ul|ol|li)>([^<]*)", html):
        closing, name, text = tag.groups()
        if name in ("ul", "ol"):
            depth += -1 if closing else 1
        elif not closing:
            items.append((depth, text.strip()))
    return items


def test_two_space_nested_lists_nest():
    html = render_html("- one\n  - two\n    - three\n- four\n")
    assert _nesting(html) == [(1, "one"), (2, "two"), (3, "three"), (1, "four")]


def test_four_space_and_ordered_nesting():
    html = render_html("1. first\n   - sub a\n   - sub b\n2. second\n\n* star\n    * deep\n")
    assert _nesting(html) == [(1, "first"), (2, "sub a"), (2, "sub b"), (1, "second"), (1, "star"), (2, "deep")]
    assert html.count("<ol>") == 1


def test_a_list_inside_a_block_quote_nests_as_outside():
    """A 2-space nested item inside a quote nests (it was a sibling: the
    quote's lines were never normalised), and the quote keeps its words."""
    html = render_html("> Before you post, ask:\n>\n> - Is it true?\n> - Is it kind?\n>   - Would the customer agree?\n"
                       ">\n> Then post.\n\n- one\n\n  > inside the item\n")
    quote = html[html.index("<blockquote>"):html.index("</blockquote>")]
    assert _nesting(quote) == [(1, "Is it true?"), (1, "Is it kind?"), (2, "Would the customer agree?")]
    assert "<p>Before you post, ask:</p>" in quote and "<p>Then post.</p>" in quote
    # (a quote inside a list item is still the item's)
    assert re.search(r"<li>\s*<p>one</p>\s*<blockquote>\s*<p>inside the item</p>", html)


def test_a_list_inside_a_quote_inside_a_list_item_nests_as_outside():
    """In a quote that is itself in a list item, a 2-space nested item
    was a sibling (the item's lines were shifted, the quote's inside was
    not normalised); it nests, the quote stays the item's, the item after
    it is the outer list's, and every word is kept."""
    html = render_html("- one\n\n  > Ask:\n  >\n  > - Is it true?\n  >   - Would the customer agree?\n"
                       "  >\n  > Then post.\n- two\n  - inner\n\n    > - deep\n    >   - deeper\n")
    quotes = re.findall(r"<blockquote>.*?</blockquote>", html, re.S)
    assert _nesting(quotes[0]) == [(1, "Is it true?"), (2, "Would the customer agree?")]
    assert _nesting(quotes[1]) == [(1, "deep"), (2, "deeper")]
    assert re.search(r"<li>\s*<p>one</p>\s*<blockquote>\s*<p>Ask:</p>", html)
    assert "<p>Then post.</p>" in quotes[0] and re.search(r"</blockquote>\s*</li>\s*<li>\s*<p>two</p>", html)


def test_a_list_in_a_quote_in_an_item_written_at_4_columns_nests():
    """The item's text at column 4 already ("-   one"): the quote in it
    is not moved, and its 2-space nested list nests all the same."""
    html = render_html("-   one\n\n    > - a\n    >   - b\n-   two\n")
    assert _nesting(html) == [(1, ""), (2, "a"), (3, "b"), (1, "")]
    assert re.search(r"<li>\s*<p>one</p>\s*<blockquote>", html) and "<p>two</p>" in html


def test_continuation_paragraph_stays_in_nested_item():
    html = render_html("- outer\n  - inner\n\n    more about inner\n- next\n")
    inner = html.index("inner")
    assert html.index("more about inner") > inner
    assert html.index("more about inner") < html.index("next")
    assert "<p>more about inner</p>" in html


def test_code_fence_inside_list_is_kept_verbatim():
    html = render_html("- item\n\n  ```\n  - not a list\n  ```\n")
    assert "<code>- not a list" in html


def test_outline_finds_atx_and_setext_headings_but_not_code():
    body = "Intro\n\n# Title\n\n## Who\ntext\n\nWhen\n----\n\n```\n# not a heading\n```\n### Deep ###\n"
    secs = outline(body)
    assert [(s.level, s.title) for s in secs] == [(1, "Title"), (2, "Who"), (2, "When"), (3, "Deep")]
    assert secs[0].end == len(body.split("\n"))  # the H1 spans the rest
    assert secs[1].end == secs[2].line  # Who ends where When starts
    assert section_at_line(secs, 0) is None
    assert secs[section_at_line(secs, 5)].title == "Who"


def test_sections_end_at_the_next_heading_as_high_and_a_line_is_in_the_innermost():
    """Against the definitions, on random outlines (both are worked out in one pass)."""
    import random

    rng = random.Random(4)
    for _ in range(300):
        parts = [rng.choice(("#", "##", "###", "####")) + f" H{i}" if rng.random() < 0.6 else "text"
                 for i in range(rng.randint(0, 25))]
        body = "\n\n".join(parts)
        secs = outline(body)
        for n, sec in enumerate(secs):
            later = [s.line for s in secs[n + 1:] if s.level <= sec.level]
            assert sec.end == (later[0] if later else len(body.split("\n")))
        for line in range(-1, body.count("\n") + 2):
            inside = [n for n, s in enumerate(secs) if s.line <= line < s.end]
            assert section_at_line(secs, line) == (inside[-1] if inside else None)


def test_kramdown_attribute_lines_do_not_show():
    html = render_html("## Introduction\n{:.no_toc}\n\nText\n\n- TOC\n{:toc .hidden-md}\n")
    assert "{:" not in html
    assert '<h2 id="introduction">Introduction</h2>' in html


def test_headings_carry_section_anchors():
    # The section anchor (for the outline) and the heading's own anchor (for
    # in-document links such as "[see](#b)").
    html = render_html("# A\n\ntext\n\n## B\n")
    assert '<a name="section-0"></a><h1 id="a">A</h1>' in html
    assert '<a name="section-1"></a><h2 id="b">B</h2>' in html


def test_reference_links_work_across_sections():
    html = render_html("# A\n\nSee [the policy][p].\n\n# B\n\n[p]: https://example.org/policy\n")
    assert 'href="https://example.org/policy"' in html


def test_rendering_reuses_unchanged_sections():
    renderer = MarkdownRenderer()
    body = "# A\n\nalpha\n\n# B\n\nbeta\n"
    first = renderer.render(body)
    calls = []
    original = renderer.convert
    renderer.convert = lambda text: calls.append(text) or original(text)
    second = renderer.render(body.replace("beta", "gamma"))
    assert len(calls) == 1 and "gamma" in calls[0]
    assert second.chunks[0].html == first.chunks[0].html
    assert "gamma" in second.html and "beta" not in second.html


def test_a_text_with_more_sections_than_the_cache_holds_reuses_them_too():
    """A long document (11,000 sections in 4 MB) had every section rendered
    again at each refresh: its HTML did not fit the cache."""
    renderer = MarkdownRenderer(cache_size=8)
    body = "".join(f"## Part {n}\n\nRule {n}.\n\n" for n in range(50))
    renderer.render(body)
    calls = []
    original = renderer.convert
    renderer.convert = lambda text: calls.append(text) or original(text)
    again = renderer.render(body.replace("Rule 7.", "Rule seven."))
    assert len(calls) == 1 and "Rule seven." in calls[0]
    assert again.html == MarkdownRenderer(cache_size=0).render(body.replace("Rule 7.", "Rule seven.")).html


def test_raw_html_details_block_renders_its_text():
    html = render_html("<details>\n  <summary>Do disclose</summary>\nSay who you work for.\n</details>\n")
    assert "Say who you work for." in html


def test_word_count():
    assert word_count("# Title\n\nIt’s a short, simple test.") == 6


def test_list_right_after_a_paragraph_is_a_list():
    html = render_html("Examples include:\n- blog posts\n- press releases\n")
    assert "<p>Examples include:</p>" in html
    assert _nesting(html) == [(1, "blog posts"), (1, "press releases")]


def test_html_that_crashes_python_markdown_still_renders_its_text():
    body = '# A\n\n<div class="footnote" markdown="1">\n\n- item one\n- item two\n\n</div>\n\nAfter.\n'
    html = render_html(body)
    assert "item one" in html and "After." in html


def test_outline_skips_html_comments_and_keeps_setext_rules():
    body = ("<!--\n# hidden heading\n-->\nReal\n===\n\n- item\n---\n\nText\n---\n"
            "\n```\nWhen\n---\n```\n    # indented code\n")
    assert [(s.level, s.title, s.line) for s in outline(body)] == [(1, "Real", 3), (2, "Text", 9)]


def test_a_backslash_at_a_line_s_end_is_a_line_break_as_the_editor_reads_it():
    """CommonMark's line break (and the editor's): preview and export showed
    the backslash and ran the lines together."""
    from guidelines_app.core.markup import export_html, render_html
    from guidelines_app.core.surface_text import HARD_BREAK, show

    src = "1 High Street\\\nSpringfield"
    assert show(src).text == f"1 High Street{HARD_BREAK}Springfield"
    for html in (render_html(src), export_html(src)):
        assert "1 High Street<br" in html and "\\" not in html, html
    assert "a \\\\ b" in render_html("a \\\\\\\\ b")  # an escaped backslash stays one


def test_an_emptied_bullet_is_an_empty_item_not_the_underline_of_a_heading(tmp_path):
    """Emptying an item's words ("- " or "-" left) made the item above it a
    heading, "- " and all, in the preview and both exports (Python-Markdown
    read the lone "-" as a heading's underline), while the editor, outline and
    comparison read a list with an empty item."""
    import io

    import docx

    from guidelines_app.core.document import Document
    from guidelines_app.publishing.docx import build_docx

    for empty in ("- ", "-"):
        body = f"# Scope\n\n- Employees and contractors\n{empty}\n- Directors\n"
        html = render_html(body)
        assert html.count("<li>") == 3 and "<h2" not in html and "- Employees" not in html
        assert [s.title for s in outline(body)] == ["Scope"]
        words = docx.Document(io.BytesIO(build_docx(Document.parse(body)))).paragraphs
        headings = [p.text for p in words if p.style.name.startswith("Heading")]
        assert "Employees and contractors" not in " ".join(headings)
        assert any(p.text == "Employees and contractors" for p in words)
    # Under a paragraph outside a list a "-" is a heading's underline, as ever.
    assert "<h2" in render_html("Intro\n-\n") and "<li>" not in render_html("Intro\n-\n")
