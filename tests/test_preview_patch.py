"""A preview refresh put in place section by section (``ui/preview_patch``)
shows exactly what the page read whole shows: over random edits of a policy
with headings, lists, tables, quotes, code and links, the patched page is
compared with one read whole, block by block and format by format, and most
refreshes are patched (the page stays the same document)."""

from __future__ import annotations

import random

import pytest
from PySide6.QtGui import QTextCursor

from guidelines_app.core.markup import MarkdownRenderer
from guidelines_app.ui.preview import PreviewPane, _page
from guidelines_app.ui.preview_patch import changed_span


def _policy(sections: int) -> list[str]:
    lines = ["Intro for **everyone** who posts.", ""]
    for n in range(sections):
        lines += [f"## {n + 1}. Part {n}", "", f"The rule of part {n} with a [link](https://example.org/{n}).", ""]
        if n % 3 == 0:
            lines += ["- first item", "- second item with *emphasis*", "  - nested item", ""]
        if n % 4 == 1:
            lines += ["| Post | Approver |", "| --- | --- |", f"| Update {n} | Hub editor |", ""]
        if n % 5 == 2:
            lines += ["1. step one", "2. step two", "", "> A quote to keep.", ""]
        if n % 7 == 3:
            lines += [f"### {n + 1}.1 Detail", "", "```", "code stays as it is", "```", ""]
    return lines


def _edit(lines: list[str], rng: random.Random) -> None:
    k = rng.randrange(len(lines))
    how = rng.choice(["word", "word", "word", "item", "paragraph", "delete", "heading", "row"])
    if how == "word":
        lines[k] = lines[k] + " more words"
    elif how == "item":
        lines.insert(k, "- a new item")
    elif how == "paragraph":
        lines[k:k] = ["", "A new paragraph.", ""]
    elif how == "delete" and not lines[k].startswith("#"):
        del lines[k]
    elif how == "heading":
        lines[k:k] = ["", "## A new heading", ""]
    elif how == "row" and lines[k].startswith("| Update"):
        lines.insert(k + 1, "| Added | Legal |")


def _described(doc) -> list:
    """Each block as a reader sees it: its text, its formats and its fragments'."""
    blocks = []
    block = doc.begin()
    while block.isValid():
        bf, listed = block.blockFormat(), block.textList()
        table = QTextCursor(block).currentTable()
        pieces = []
        it = block.begin()
        while not it.atEnd():
            cf = it.fragment().charFormat()
            pieces.append((it.fragment().text(), cf.fontPointSize(), cf.fontWeight(), cf.fontItalic(), cf.isAnchor(),
                           tuple(cf.anchorNames()), cf.anchorHref(), cf.foreground().color().name(),
                           cf.background().color().name(), tuple(cf.fontFamilies() or ()), cf.fontFixedPitch()))
            it += 1
        blocks.append((block.text(), tuple(block.charFormat().anchorNames()), block.charFormat().fontPointSize(),
                       bf.headingLevel(), bf.topMargin(), bf.bottomMargin(), bf.leftMargin(), bf.indent(),
                       int(bf.alignment()), bf.background().color().name(),
                       (listed.format().style(), listed.format().indent(), listed.itemNumber(block)) if listed else None,
                       (table.rows(), table.columns()) if table else None, tuple(pieces)))
        block = block.next()
    return blocks


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_patched_page_reads_as_the_page_read_whole(qtbot, seed):
    pane = PreviewPane(delay_ms=0)
    qtbot.addWidget(pane)
    pane.resize(700, 600)
    pane.show()
    rng = random.Random(seed)
    lines = _policy(40)
    try:
        pane.render_now("\n".join(lines))
        qtbot.waitUntil(lambda: pane.last_rendered is not None, timeout=10000)
        patched = 0
        for _ in range(30):
            before, shown = pane.document(), pane.last_rendered
            _edit(lines, rng)
            pane.render_now("\n".join(lines))
            qtbot.waitUntil(lambda shown=shown: pane.last_rendered is not shown, timeout=10000)
            rendered = pane.last_rendered
            css, root, width = pane._made_with
            whole = _page(rendered.html, css, root, width)
            assert _described(pane.document()) == _described(whole)
            span = changed_span(shown.chunks, rendered.chunks)
            if pane.document() is before and span is not None:
                patched += 1
        assert patched >= 15  # most edits change one section: put in place, the page kept
    finally:
        pane.shutdown()


def test_a_long_documents_part_is_patched_as_it_reads_whole(qtbot, monkeypatch):
    """A long document shows the sections around the cursor's between links
    to the others: a refresh that shows the same part is put in place too."""
    from guidelines_app.ui import preview

    monkeypatch.setattr(preview, "WINDOW_CHARS", 6000)
    monkeypatch.setattr(preview, "PART_CHARS", 4000)
    pane = PreviewPane(delay_ms=0)
    qtbot.addWidget(pane)
    pane.resize(700, 600)
    pane.show()
    rng = random.Random(5)
    lines = _policy(40)
    try:
        pane.render_now("\n".join(lines))
        qtbot.waitUntil(lambda: pane.last_rendered is not None, timeout=10000)
        pane.show_section(20)  # the part around section 20
        part = pane.shown_part
        assert part is not None and part[0] > 0 and part[1] < len(pane.last_rendered.chunks)
        patched = 0
        for _ in range(30):
            before, shown = pane.document(), pane.last_rendered
            at = rng.choice([n for n, line in enumerate(lines) if line.startswith("The rule of part 2")])
            _edit_at(lines, at, rng)
            pane.render_now("\n".join(lines))
            qtbot.waitUntil(lambda shown=shown: pane.last_rendered is not shown, timeout=10000)
            css, root, width = pane._made_with
            whole = _page(pane._html_of(pane.last_rendered, None)[0], css, root, width)
            assert _described(pane.document()) == _described(whole)
            patched += pane.document() is before
        assert patched >= 15
    finally:
        pane.shutdown()


def _edit_at(lines: list[str], k: int, rng: random.Random) -> None:
    how = rng.choice(["word", "word", "item", "paragraph"])
    if how == "word":
        lines[k] = lines[k] + " more words"
    elif how == "item":
        lines[k + 1:k + 1] = ["", "- a new item"]
    else:
        lines[k + 1:k + 1] = ["", "A new paragraph."]


def test_an_edit_of_one_section_keeps_the_page_and_a_new_heading_everywhere_reads_it_whole(qtbot):
    pane = PreviewPane(delay_ms=0)
    qtbot.addWidget(pane)
    pane.resize(700, 600)
    pane.show()
    lines = _policy(30)
    try:
        pane.render_now("\n".join(lines))
        qtbot.waitUntil(lambda: pane.last_rendered is not None, timeout=10000)
        shown = pane.last_rendered
        pane.render_now("\n".join(lines) + "\n")  # (the first page's scroll bar narrowed the text: read whole again)
        qtbot.waitUntil(lambda: pane.last_rendered is not shown, timeout=10000)
        page = pane.document()
        at = lines.index("The rule of part 12 with a [link](https://example.org/12).")
        lines[at] = "The rule of part 12, now changed."
        shown = pane.last_rendered
        pane.render_now("\n".join(lines))
        qtbot.waitUntil(lambda: pane.last_rendered is not shown, timeout=10000)
        assert pane.document() is page and "now changed." in pane.toPlainText()
        lines[2:2] = ["## A heading before every part", ""]  # every later section's anchor is renamed
        shown = pane.last_rendered
        pane.render_now("\n".join(lines))
        qtbot.waitUntil(lambda: pane.last_rendered is not shown, timeout=10000)
        assert pane.document() is not page and "A heading before every part" in pane.toPlainText()
    finally:
        pane.shutdown()


def test_a_page_that_shows_something_else_is_read_whole_again(qtbot):
    """The window puts a notice (or nothing) in the preview as another
    document opens: the next render of the same text is shown whole, not
    taken as shown already."""
    pane = PreviewPane(delay_ms=0)
    qtbot.addWidget(pane)
    text = "\n".join(_policy(5))
    try:
        pane.render_now(text)
        qtbot.waitUntil(lambda: pane.last_rendered is not None, timeout=10000)
        pane.setPlainText("")
        shown = pane.last_rendered
        pane.render_now(text)
        qtbot.waitUntil(lambda: pane.last_rendered is not shown, timeout=10000)
        assert "The rule of part 4" in pane.toPlainText()
    finally:
        pane.shutdown()


def _refreshed(qtbot, pane, text: str):
    shown = pane.last_rendered
    pane.render_now(text)
    qtbot.waitUntil(lambda: pane.last_rendered is not shown, timeout=10000)
    css, root, width = pane._made_with
    return _page(pane._html_of(pane.last_rendered, None)[0], css, root, width)


@pytest.mark.parametrize("text, edit", [
    # A first heading whose own id is a section's name ("Section 1" has the id section-1).
    ("# Section 1\n\nOne.\n\n## Section 2\n\nTwo.\n\n## Section 3\n\nThree.\n", ("Two.", "Two, changed.")),
    # Raw HTML opened in one section and closed in a later one: read whole, the later ones are inside it.
    ('Intro.\n\n<div align="center">\n\n## Title\n\nText.\n\n## Next\n\nMore.\n\n</div>\n\n## Last\n\nEnd.\n',
     ("More.", "More, changed.")),
    ("Intro.\n\n<blockquote>\n\n## Title\n\nText.\n\n## Next\n\nMore.\n\n</blockquote>\n\n## Last\n\nEnd.\n",
     ("More.", "More, changed.")),
])
def test_pages_that_cannot_be_patched_read_as_the_page_read_whole(qtbot, text, edit):
    pane = PreviewPane(delay_ms=0)
    qtbot.addWidget(pane)
    pane.resize(700, 600)
    pane.show()
    try:
        _refreshed(qtbot, pane, text)
        _refreshed(qtbot, pane, text + "\n")  # (the first page's scroll bar narrowed the text)
        whole = _refreshed(qtbot, pane, text.replace(*edit))
        assert _described(pane.document()) == _described(whole)
    finally:
        pane.shutdown()


def test_a_page_with_a_picture_is_read_whole_at_each_refresh(qtbot, tmp_path):
    """Its pictures are read again, as one changed on disk shows."""
    from PySide6.QtGui import QColor, QImage

    picture = QImage(40, 20, QImage.Format.Format_RGB32)
    picture.fill(QColor("red"))
    (tmp_path / "guidelines").mkdir()
    assert picture.save(str(tmp_path / "guidelines" / "logo.png"))  # where a document's pictures are looked for
    pane = PreviewPane(delay_ms=0)
    qtbot.addWidget(pane)
    pane.set_workspace_root(tmp_path)
    pane.resize(700, 600)
    pane.show()
    text = "Intro.\n\n![Logo](logo.png)\n\n## One\n\nFirst.\n\n## Two\n\nSecond.\n"
    try:
        _refreshed(qtbot, pane, text)
        _refreshed(qtbot, pane, text + "\n")
        page = pane.document()
        assert page.picture_widths
        whole = _refreshed(qtbot, pane, text.replace("Second.", "Second, changed."))
        assert pane.document() is not page and _described(pane.document()) == _described(whole)
    finally:
        pane.shutdown()


def test_changed_span_names_the_run_that_differs():
    renderer = MarkdownRenderer()
    old = renderer.render("Intro.\n\n## A\n\nOne.\n\n## B\n\nTwo.\n\n## C\n\nThree.\n").chunks
    new = renderer.render("Intro.\n\n## A\n\nOne.\n\n## B\n\nTwo, changed.\n\n## C\n\nThree.\n").chunks
    assert changed_span(old, new) == (2, 3, 3)
    assert changed_span(old, old) is None
