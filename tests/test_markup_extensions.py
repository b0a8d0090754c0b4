"""The parse loads Python-Markdown's rarely used extensions (footnotes,
abbreviations, definition lists, attribute lists) only when the text uses
their syntax, and skips inline patterns whose literal is absent.  Neither
may change what preview or export show: the HTML must equal plain
Python-Markdown with "extra", and documents using that syntax must still
render it in the preview and in Word."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import docx
import markdown
import pytest

from guidelines_app.core import markup
from guidelines_app.core.document import Document
from guidelines_app.core.markup import MarkdownRenderer, extensions_for, prepare, render_html
from guidelines_app.publishing.docx import export_docx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from sample_document import generate  # noqa: E402

OPTIONAL = {"footnotes", "abbr", "def_list", "attr_list"}

PLAIN = """# Social media guidelines

Staff who post about work say so. See the [code of conduct](https://example.org/conduct) and
**ask first** when in doubt, or _ask_ the *team*; a star * alone and 2 * 3 stay as they are.

## Channels

- Official accounts  
  with a hard line break
  - nested item with `code` and an escaped \\*star\\*
1. first
2. second

| Post type | Approver |
| --- | --- |
| Launch | Legal & Comms |

<details><summary>Raw HTML</summary>
Mention <b>your role</b>. &copy; 2024 &amp; more, <https://example.org> and <team@example.org>.
</details>

![logo](logo.png) ![ref image][logo] [a reference][conduct] and [conduct][] and [conduct].

```python
x = [1, 2]  # code is not parsed
```

> A quote with *emphasis*.

[conduct]: https://example.org/conduct "Conduct"
[logo]: https://example.org/logo.png
"""

FOOTNOTES = "Posts need approval.[^1] Again.[^1]\n\n[^1]: By the communications lead.\n"
ABBR = "The CEO approves.\n\n*[CEO]: Chief Executive Officer\n"
DEF_LIST = "Owner\n: The person who answers for an account.\n\nModerator\n:   Reads comments.\n"
ATTR_LIST = "## Channels {#channels .wide}\n\nA paragraph.\n{: .note }\n\n```{.python #code}\nx = 1\n```\n"
MD_IN_HTML = '<div markdown="1">\n*Emphasis* inside HTML and a [link](https://example.org).\n</div>\n'
FOOTNOTE_CLASS = '<div class="footnote" markdown="1">\nplain *text* in a footnote-classed div\n</div>\n'
NESTED_DEF = "- Term\n\n    : a definition inside a list item\n\n> Quoted term\n> : quoted definition\n"


def _reference(text: str) -> str:
    md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    return md.convert(text)


@pytest.mark.parametrize("text", [PLAIN, FOOTNOTES, ABBR, DEF_LIST, ATTR_LIST, MD_IN_HTML, FOOTNOTE_CLASS, NESTED_DEF,
                                  PLAIN + FOOTNOTES + ABBR + DEF_LIST + ATTR_LIST],
                         ids=["plain", "footnotes", "abbr", "def_list", "attr_list", "md_in_html", "footnote_class",
                              "nested_def", "all"])
def test_html_is_exactly_python_markdown_extra(text):
    renderer = MarkdownRenderer(cache_size=0)
    assert renderer.convert(text) == _reference(text)
    prepared = "\n".join(prepare(text))
    assert renderer.convert(prepared) == _reference(prepared)


def test_generated_guideline_is_exactly_python_markdown_extra():
    body = Document.parse(generate(6000)).body
    prepared = "\n".join(prepare(body))
    assert MarkdownRenderer(cache_size=0).convert(prepared) == _reference(prepared)


def test_plain_text_leaves_rarely_used_extensions_out():
    used = set(extensions_for(PLAIN))
    assert not used & OPTIONAL
    assert {"tables", "fenced_code", "md_in_html", "sane_lists"} <= used
    # Without a fence, no fenced_code (it loads codehilite and, with it, Pygments).
    assert "fenced_code" not in extensions_for(PLAIN.replace("```", ""))


@pytest.mark.parametrize("text, extension", [
    (FOOTNOTES, "footnotes"), (FOOTNOTE_CLASS, "footnotes"), (ABBR, "abbr"), (DEF_LIST, "def_list"),
    (NESTED_DEF, "def_list"), (ATTR_LIST, "attr_list"), ("Text {: #id}\n", "attr_list"),
    ("Text.\n\n~~~\ncode\n~~~\n", "fenced_code"), ("Text.\n\n```\ncode\n```\n", "fenced_code"),
], ids=["footnotes", "footnote_class", "abbr", "def_list", "nested_def", "attr_list", "inline_attr",
        "tilde_fence", "backtick_fence"])
def test_syntax_loads_its_extension(text, extension):
    assert extension in extensions_for(text)


def test_inline_literals_are_needed_for_every_skipped_pattern():
    """Property check of the shortcut: a pattern only ever matches text that
    contains one of its literals, so skipping it otherwise changes nothing."""
    md = markdown.Markdown(extensions=list(markup.EXTENSIONS), output_format="html")
    rng = random.Random(5)
    alphabet = list("[]^!<>&*_`\\ \n(){}:#.-@/ab1;") + ["  \n", "![", "[^", "<a>", "&amp;", "http://"]
    checked = 0
    for name, literals in markup._PATTERN_LITERALS.items():
        if name not in md.inlinePatterns:
            continue
        regex = md.inlinePatterns[name].getCompiledRegExp()
        for _ in range(4000):
            sample = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
            if regex.search(sample):
                assert any(lit in sample for lit in literals), (name, sample)
        checked += 1
    assert checked >= 12


def test_block_literals_are_needed_for_every_gated_test():
    """Same check for the block processors whose test is skipped when the
    block lacks their literal: Python-Markdown's own test never accepts
    such a block."""
    import xml.etree.ElementTree as ET

    md = markdown.Markdown(extensions=list(markup.EXTENSIONS), output_format="html")
    rng = random.Random(9)
    alphabet = list("#=-_*>|: \nab1.") + ["\n---", "\n===", "# ", "> ", "| a | b |\n| - | - |", "***", "___"]
    checked = 0
    for name, literals in markup._BLOCK_LITERALS.items():
        assert name in md.parser.blockprocessors
        processor = md.parser.blockprocessors[name]
        for _ in range(4000):
            block = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
            if processor.test(ET.Element("div"), block):
                assert any(lit in block for lit in literals), (name, block)
        checked += 1
    assert checked == 5


def test_preview_renders_footnotes_abbreviations_definitions_and_attributes():
    html = render_html(FOOTNOTES + "\n" + ABBR + "\n" + DEF_LIST + "\n" + ATTR_LIST)
    assert '<sup id="fnref:1">' in html and 'class="footnote"' in html
    assert '<abbr title="Chief Executive Officer">CEO</abbr>' in html
    assert "<dl>" in html and "<dt>Owner</dt>" in html
    assert 'id="channels"' in html and "{#channels" not in html and "{: .note" not in html


def test_word_export_renders_footnotes_abbreviations_definitions_and_attributes(tmp_path):
    body = "# Rules\n\n" + FOOTNOTES + "\n" + ABBR + "\n" + DEF_LIST + "\n" + ATTR_LIST
    out = export_docx(Document.parse(body), tmp_path / "rules.docx")
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "By the communications lead." in text  # the footnote's text
    assert "The CEO approves." in text and "*[CEO]" not in text
    assert "The person who answers for an account." in text and "\n: " not in text
    assert "Channels" in text and "{#channels" not in text and "{: .note" not in text


def test_renderer_keeps_one_instance_per_extension_set():
    renderer = MarkdownRenderer(cache_size=0)
    renderer.convert(PLAIN)
    renderer.convert(PLAIN + "\nmore")
    renderer.convert(FOOTNOTES)
    assert len(renderer._instances) == 2
