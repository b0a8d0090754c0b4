"""Formatting commands for people who do not write Markdown."""

from guidelines_app.core.formatting import make_link, set_heading, toggle_inline, toggle_list
from guidelines_app.core.markup import render_html


def test_bold_wraps_and_unwraps():
    assert toggle_inline("important", "**") == "**important**"
    assert toggle_inline("**important**", "**") == "important"
    assert toggle_inline(" spaced words ", "**") == " **spaced words** "
    assert "<strong>spaced words</strong>" in render_html("Some" + toggle_inline(" spaced words ", "**") + "here")


def test_italic_does_not_unwrap_bold():
    assert toggle_inline("**bold**", "*") == "***bold***"
    assert toggle_inline("*it*", "*") == "it"


def test_empty_selection_inserts_markers():
    assert toggle_inline("", "**") == "****"


def test_heading_levels():
    assert set_heading("Who takes part", 2) == "## Who takes part"
    assert set_heading("## Who takes part", 3) == "### Who takes part"
    assert set_heading("## Who takes part", 2) == "Who takes part"
    assert set_heading("# Title", 0) == "Title"


def test_lists_toggle():
    assert toggle_list(["First", "", "Second"], ordered=False) == ["- First", "", "- Second"]
    assert toggle_list(["- First", "- Second"], ordered=False) == ["First", "Second"]
    assert toggle_list(["- First", "  - Sub"], ordered=True) == ["1. First", "  2. Sub"]
    assert toggle_list(["1. a", "2. b"], ordered=True) == ["a", "b"]


def test_link():
    assert make_link("our policy", "https://example.org") == "[our policy](https://example.org)"
    assert make_link("", "https://example.org") == "[https://example.org](https://example.org)"
