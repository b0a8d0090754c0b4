"""Inline Markdown shown as a reader sees it (for the redlines)."""

from guidelines_app.core.inline_diff import display_pieces, side_text, split_cells
from guidelines_app.core.inline_markup import CELL, PLAIN, Fmt, Piece, annotate, display_text
from guidelines_app.review.diff import diff_words


def formats(src: str) -> dict[str, Fmt]:
    out: dict[str, Fmt] = {}
    for piece in display_pieces([("equal", src)]):
        out[piece.text] = piece.fmt
    return out


def test_markup_is_hidden_and_text_kept():
    assert display_text("Staff **must** use *their* `own` [account](https://x.example/a \"t\").") == "Staff must use their own account."
    assert display_text("<summary markdown='span'>Read <b>more</b></summary>") == "Read more"
    assert display_text('<details markdown="1">') == ""
    assert display_text("{:.no_toc}") == ""
    assert display_text("Heading text {: #anchor}") == "Heading text"
    assert display_text("Fish &amp; chips, \\*literally\\*") == "Fish & chips, *literally*"
    assert display_text("See <https://example.org/x> now") == "See https://example.org/x now"
    assert display_text("Keep snake_case_names and 2 * 3 * 4") == "Keep snake_case_names and 2 * 3 * 4"
    assert display_text("An unclosed **star stays") == "An unclosed **star stays"


def test_formatting_follows_the_markup():
    f = formats("a **bold** b *it* c `code` d [link](https://e.example) e ***both***")
    assert f["bold"] == PLAIN.with_(bold=True)
    assert f["it"] == PLAIN.with_(italic=True)
    assert f["code"] == PLAIN.with_(code=True)
    assert f["link"] == PLAIN.with_(link="https://e.example")
    assert f["both"] == PLAIN.with_(bold=True, italic=True)
    html = formats('<a href="https://h.example">site</a> and <strong>strong</strong>')
    assert html["site"].link == "https://h.example" and html["strong"].bold


def test_word_diff_keeps_changes_and_gains_formatting():
    ops = diff_words("Use **bold** words here.", "Use **strong** words here.")
    pieces = display_pieces(ops)
    assert Piece("delete", "bold", PLAIN.with_(bold=True)) in pieces
    assert Piece("insert", "strong", PLAIN.with_(bold=True)) in pieces
    assert side_text(pieces, "new") == "Use strong words here."
    assert side_text(pieces, "old") == "Use bold words here."


def test_link_target_change_is_no_visible_text_change():
    ops = diff_words("Read [the handbook](https://a.example/old) today.", "Read [the handbook](https://a.example/new) today.")
    pieces = display_pieces(ops)
    assert side_text(pieces, "new") == side_text(pieces, "old") == "Read the handbook today."
    assert any(p.fmt.link == "https://a.example/new" for p in pieces if p.kind != "delete")


def test_spaces_left_by_hidden_markup_collapse():
    pieces = display_pieces([("equal", "Title "), ("insert", "{:.no_toc} "), ("equal", "text")])
    assert side_text(pieces, "new") == "Title text"


def test_row_cells():
    pieces = display_pieces(diff_words("**Twitter** | Comms", "**Threads** | Comms | Daily"), kind="row")
    cells = split_cells(pieces, "new")
    assert [side_text(c, "new") for c in cells] == ["Threads", "Comms", "Daily"]
    assert [side_text(c, "old") for c in split_cells(display_pieces(diff_words("a | b", "a | b")), "new")] == ["a | b"]
    assert CELL in "".join(t for t, _f in annotate("a | b", cells=True))


def test_code_block_fences_hidden():
    pieces = display_pieces([("equal", "```yaml\nkey: value\n```")], kind="code")
    assert side_text(pieces) == "key: value" and pieces[0].fmt.code


def test_block_quote_markers_are_not_shown_and_the_quote_is_italic():
    from guidelines_app.core.inline_markup import annotate, display_text

    assert display_text("> Personal posts are **never** pre-approved") == "Personal posts are never pre-approved"
    assert display_text("> first line > second line") == "first line second line"
    assert annotate("> Hi")[2][1].italic
    assert display_text("a > b") == "a > b"  # only a quote's own markers


def test_plain_text_shortcut_gives_what_the_scanner_gives(monkeypatch):
    """Markup-free, single-spaced text skips the character-by-character
    scan; the pieces must be the same as the scan's."""
    import random

    from guidelines_app.core import inline_diff
    from guidelines_app.review.diff import diff_words

    rng = random.Random(12)
    words = "the a policy post staff Über café 東京 500 mg x. (note) > - # ! | [a] *b* _c_ `d` <b>e</b> &amp; {:.x}".split(" ")
    cases = []
    for _ in range(3000):
        old = " ".join(rng.choice(words) for _ in range(rng.randint(0, 12)))
        new = " ".join(w if rng.random() < 0.8 else rng.choice(words) for w in old.split(" ")) if old else "x"
        if rng.random() < 0.1:
            new = "  " + new + "\t"
        cases.append(diff_words(old, new))
    plain = sum(1 for ops in cases if inline_diff._plain("".join(o.text for o in ops if o.kind != "insert")))
    fast = [display_pieces(ops, side, kind) for ops in cases for side in ("old", "new") for kind in ("text", "row")]
    monkeypatch.setattr(inline_diff, "_plain", lambda text: False)
    runs = [display_pieces(ops, side, kind) for ops in cases for side in ("old", "new") for kind in ("text", "row")]
    # And character by character: no run-by-run shortcut either.
    tight = sum(1 for ops in cases for side in ("old", "new") if inline_diff._tight_pieces(
        [(o.kind, o.text) for o in ops], annotate("".join(o.text for o in ops if o.kind != "insert")),
        annotate("".join(o.text for o in ops if o.kind != "delete")), side) is not None)
    monkeypatch.setattr(inline_diff, "_tight_pieces", lambda *args: None)
    slow = [display_pieces(ops, side, kind) for ops in cases for side in ("old", "new") for kind in ("text", "row")]
    assert plain > 500 and tight > 1000  # the shortcuts were taken often
    assert fast == runs == slow


def test_bold_and_italic_inside_one_word_read_as_preview_shows_them():
    """The editor writes bold "Reenter" with italic "enter" as
    "**Re*enter***"; read again, it showed italic "Reenter" and a literal
    "**" (the runs were paired without CommonMark's rule of three, and a run
    that closed one and opened another was read from the wrong end)."""
    cases = {
        "Please **Re*enter*** now.": [("Please ", ""), ("Re", "B"), ("enter", "BI"), (" now.", "")],
        "*non****essential***": [("non", "I"), ("essential", "BI")],
        "*some***words**": [("some", "I"), ("words", "B")],
        "**a *b* c**": [("a ", "B"), ("b", "BI"), (" c", "B")],
    }
    for src, want in cases.items():
        runs: list[list[str]] = []
        for text, fmt in annotate(src):
            tag = ("B" if fmt.bold else "") + ("I" if fmt.italic else "")
            if text and runs and runs[-1][1] == tag:
                runs[-1][0] += text
            elif text:
                runs.append([text, tag])
        assert [tuple(r) for r in runs] == want, src
