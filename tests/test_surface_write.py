"""The editing surface's write-back of an edited paragraph: the opcodes that
say which stretch of its text changed, and the patch they make."""

from __future__ import annotations

import os
import random

from guidelines_app.core.inline_markup import PLAIN
from guidelines_app.core.surface_text import show
from guidelines_app.core.surface_write import Style, _text_opcodes, block_lines, edit_source


def _applied(a: str, b: str, ops) -> str:
    out, i, j = [], 0, 0
    for tag, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i, j)  # contiguous, in order
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
            out.append(a[i1:i2])
        else:
            out.append(b[j1:j2])
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))
    return "".join(out)


def test_the_opcodes_cover_both_texts_and_keep_what_is_the_same():
    rng = random.Random(5)
    for _ in range(400):
        a = "".join(rng.choice("ab c.") for _ in range(rng.randint(0, 40)))
        b = list(a)
        for _ in range(rng.randint(0, 4)):  # a few letters changed, added or taken away
            k = rng.randint(0, len(b))
            roll = rng.random()
            if roll < 0.4 and k < len(b):
                b[k] = rng.choice("ab c.x")
            elif roll < 0.7:
                b.insert(k, rng.choice("abx "))
            elif k < len(b):
                del b[k]
        b = "".join(b)
        ops = _text_opcodes(a, b)
        assert _applied(a, b, ops) == b
        kept = sum(i2 - i1 for tag, i1, i2, _j1, _j2 in ops if tag == "equal")
        p = next((n for n, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        assert kept >= p  # the shared start is kept whole


def test_an_edited_paragraph_keeps_its_line_breaks_and_markup():
    src = "Everyone who posts for the **company** says so,\nevery time, on every channel."
    style = Style()
    old = show(src, style.cells)
    new_text = old.text.replace("every time", "each time")
    new_fmts = list(old.fmts[:old.text.index("every time")]) + [PLAIN] * len("each time") + \
        list(old.fmts[old.text.index("every time") + len("every time"):])
    assert edit_source(src, new_text, new_fmts, style) == src.replace("every time", "each time")


def test_a_word_typed_at_any_space_changes_one_line_of_a_soft_wrapped_paragraph():
    """Typed as the editor types it (in the format of the letter before):
    a bold question on its own line with the answer under it, as FAQs and
    guides are written, keeps both lines; typed at the end of the question
    (where the line break shows as a space), the word goes inside the bold
    text, not after the break."""
    style = Style()
    for src in ("**A friend asks me to review one of our products. Can I?**\nYes, if you say that you work here.",
                "Right-click and choose **Who Changed This Paragraph?**\n(Ctrl+Alt+B) to see who changed it.",
                "Everyone who posts for the *company* says so,\nevery time, on `every` channel."):
        old = show(src, style.cells)
        for at in [k for k, ch in enumerate(old.text) if ch == " "]:
            fmt = old.fmts[at - 1] if at else PLAIN
            new_text = old.text[:at] + " zzq" + old.text[at:]
            new_fmts = list(old.fmts[:at]) + [fmt] * 4 + list(old.fmts[at:])
            got = edit_source(src, new_text, new_fmts, style)
            shown = show(got, style.cells)
            assert shown.text == new_text and shown.fmts == new_fmts, (src, at, got)
            changed = [n for n, (a, b) in enumerate(zip(src.split("\n"), got.split("\n"))) if a != b]
            assert got.count("\n") == src.count("\n") and len(changed) == 1, (src, at, got)


def test_the_opcodes_of_long_texts_changed_far_apart_cover_both_and_keep_the_rest():
    """Past LETTERS_UP_TO letters the middle is compared word by word first:
    the opcodes still cover both texts, and what is not edited is kept."""
    rng = random.Random(11)
    words = ["post", "team", "hub", "approval", "brand", ",", ".", "a", "the"]
    for _ in range(150):
        a = " ".join(rng.choice(words) for _ in range(rng.randint(20, 120)))
        b = a.split(" ")
        for _ in range(rng.randint(2, 6)):  # words changed, added or taken away, anywhere
            k = rng.randrange(len(b))
            roll = rng.random()
            if roll < 0.5:
                b[k] = rng.choice(words + ["press office", "sign-off", "x"])
            elif roll < 0.75:
                b.insert(k, rng.choice(words))
            elif len(b) > 1:
                del b[k]
        b = " ".join(b)
        ops = _text_opcodes(a, b)
        assert _applied(a, b, ops) == b
        kept = sum(i2 - i1 for tag, i1, i2, _j1, _j2 in ops if tag == "equal")
        assert kept >= len(os.path.commonprefix([a, b])) + len(os.path.commonprefix([a[::-1], b[::-1]])) - min(len(a), len(b)) \
            if len(os.path.commonprefix([a, b])) == min(len(a), len(b)) else kept >= len(os.path.commonprefix([a, b]))


def test_a_word_replaced_all_through_a_long_paragraph_changes_only_those_words():
    """A Replace All in a long paragraph (its changes far apart): every
    other byte of the source stays, its line breaks and markup style too."""
    style = Style.of("x")
    src = ("Every __approval__ is logged by the hub,\nand _each_ approval names who gave it; "
           + "the team keeps its posts short and plain, " * 6
           + "\nso that an approval is easy to find again.")
    old = show(src, style.cells)
    new_text = old.text.replace("approval", "sign-off")
    new_fmts, k = [], 0
    while k < len(old.text):
        if old.text.startswith("approval", k):
            new_fmts += [old.fmts[k]] * len("sign-off")
            k += len("approval")
        else:
            new_fmts.append(old.fmts[k])
            k += 1
    got = edit_source(src, new_text, new_fmts, style)
    assert got == src.replace("approval", "sign-off")


def _show_a_character_at_a_time(src: str, cells: bool = False):
    """``show`` reading every character on its own, as it did before it took
    unmarked stretches whole (the reference): the reading says every
    character is marked, so none is taken in a stretch."""
    from unittest import mock

    from guidelines_app.core import inline_markup, surface_text

    def all_marked(text, cells=False):
        found, _spans = inline_markup.annotate_spans(text, cells)
        return found, [(0, len(text))] if text else []

    with mock.patch.object(surface_text, "annotate_spans", all_marked):
        got = show(src, cells)
    return got.text, got.fmts, got.where


def test_show_takes_the_unmarked_stretches_whole_and_shows_what_a_character_at_a_time_shows():
    """Random inline sources of markup, breaks, quotes and table borders:
    ``show`` (plain stretches taken whole) gives the text, formats and
    source positions of the reading a character at a time."""
    rng = random.Random(23)
    pieces = ["word", "two words", " ", "**bold**", "*it*", "_it_", "`code`", "[link](https://example.org)",
              "&amp;", "&#169;", "<b>tag</b>", "<!-- note -->", "\\*", "\\", "  \n", "\\\n", "\n", "\n  ", "\n> ",
              "> ", "|", " | ", "~~gone~~", "![pic](a.png)", "<https://example.org>", "{: .x}", "\t", "é", "…"]
    checked = 0
    for _ in range(3000):
        src = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        for cells in (False, True):
            got = show(src, cells)
            assert (got.text, got.fmts, got.where) == _show_a_character_at_a_time(src, cells), repr(src)
            checked += 1
    assert checked == 6000
    assert show("a **b** c").fmts[0] is PLAIN and show("a **b** c").text == "a b c"


def test_a_typed_less_than_sign_reads_as_typed_in_preview_export_and_word(tmp_path):
    """The editor writes a typed "<" as "\\<" (so "<b>" stays text); preview
    and export kept the backslash ("3 \\< 5") and read "\\<b>" as a tag, so
    the Word file showed "3 \\< 5 and \\tags\\"."""
    import docx

    from guidelines_app.core.document import Document
    from guidelines_app.core.inline_markup import display_text
    from guidelines_app.core.markup import export_html, render_html
    from guidelines_app.publishing.docx import export_docx

    src = "We use it."
    typed = "Reply in < 1 hour; write <b>tags</b> as text."
    new_src = edit_source(src, typed, [PLAIN] * len(typed), Style.of(src))
    assert "\\<" in new_src and display_text(new_src) == typed  # the editor's own reading
    shown = "Reply in &lt; 1 hour; write &lt;b&gt;tags&lt;/b&gt; as text."
    assert shown in render_html(new_src) and shown in export_html(new_src)
    out = export_docx(Document.new("Replies", body=f"# Replies\n\n{new_src}\n"), tmp_path / "out.docx")
    assert typed in [p.text for p in docx.Document(str(out)).paragraphs]


def test_typed_punctuation_reads_back_as_typed_in_the_editor_and_in_export():
    """Whatever a user types into a paragraph, the editor shows it back and
    preview and export show the same characters: a typed "a{.}b" vanished
    from the editor (read as an attribute list, which Python-Markdown takes
    only at a text's end or after an element), and a typed "<" showed as
    "\\<" in export."""
    import html
    import re

    from guidelines_app.core.inline_markup import display_text
    from guidelines_app.core.markup import export_html
    from guidelines_app.core.surface_text import show

    rng = random.Random(11)
    punctuation = "ab cd<>&*_[]()`~!#|\\-+.:;\"'=^{}/$%@1"
    src = "Start x."
    for _ in range(1500):
        typed = " ".join("".join(rng.choice(punctuation) for _ in range(rng.randint(1, 14))).split())  # one space apart
        if not typed:
            continue
        line = f"Start {typed} end."
        new_src = edit_source(src, line, [PLAIN] * len(line), Style.of(src))
        assert show(new_src).text == line and display_text(new_src) == line, (typed, new_src)
        assert html.unescape(re.sub(r"<[^>]+>", "", export_html(new_src))).strip() == line, (typed, new_src)
        # At a paragraph's start (a typed ": " made a definition in export, without its ":") ...
        first = "\n".join(block_lines("paragraph", edit_source(src, typed + " end.", [PLAIN] * (len(typed) + 5),
                                                               Style.of(src))))
        assert show(first).text == typed + " end.", (typed, first)
        shown = html.unescape(re.sub(r"<[^>]+>", "", export_html(f"# T\n\n{first}\n"))).strip()
        assert shown == f"T\n{typed} end.", (typed, first)
        # ... and in a table's cell (a typed ">" there was hidden, read as a quote's marker).
        cell = edit_source("x", typed, [PLAIN] * len(typed), Style.of("x", cells=True))
        assert show(cell, True).text == typed, (typed, cell)
        found = re.findall(r"<td>(.*?)</td>", export_html(f"| A | B |\n|---|---|\n| {cell} | z |\n"), re.S)
        assert html.unescape(re.sub(r"<[^>]+>", "", found[0])).strip() == typed, (typed, cell)


def test_spaces_typed_at_a_paragraph_s_start_do_not_make_code_of_it():
    from guidelines_app.core.markup import export_html

    for kind, head in (("paragraph", ""), ("item", "- "), ("quote", "> ")):
        lines = block_lines(kind, "    Reply within a day.", head=head)
        html = export_html("# T\n\n" + "\n".join(lines) + "\n")
        assert "<code>" not in html and "<pre>" not in html and "Reply within a day." in html, (kind, lines)
