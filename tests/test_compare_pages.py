"""The compare view's pages: what the views are built from gives the same
pages as the whole comparison."""

from __future__ import annotations

import dataclasses

import pytest

from guidelines_app.core.colours import LIGHT
from guidelines_app.core.document import Document
from guidelines_app.review.compare_first import head_of, render_pages
from guidelines_app.review.diff import diff_texts
from guidelines_app.ui.review.compare_pages import ALL_SIDES

OLD = """# Policy

## Links

Read the [Handbook][hb] and the [press  Guide] before posting.

Ask the [team][] first.

[HB]: https://example.org/handbook
[Press Guide]: <https://example.org/press>
[team]: https://example.org/team "Team page"
"""

NEW = """# Policy

## Links

Read the [Handbook][hb] and the [Press guide] before you post.

Ask the [team][] first, and the [legal desk].

[HB]: https://example.org/handbook-2
[Press Guide]: <https://example.org/press>
[team]: https://example.org/team "Team page"
[legal desk]: https://example.org/legal
"""


def _texts():
    return (Document.new("Policy", body=OLD).to_text(), Document.new("Policy", body=NEW).to_text())


def test_the_pages_link_references_by_the_definitions_of_both_texts_read_once():
    from guidelines_app.core import md_refs

    result = diff_texts(*_texts())
    md_refs._definitions.cache_clear()
    pages = render_pages(result, ALL_SIDES, LIGHT)
    # Each view asks for both texts' definitions: read once each, then kept.
    assert md_refs._definitions.cache_info().misses == 2 and md_refs._definitions.cache_info().hits >= 4
    assert pages == render_pages(result, ALL_SIDES, LIGHT)
    # The definitions count: without them the references show as typed.
    assert "[Handbook][hb]" not in pages["new"]
    unresolved = dataclasses.replace(diff_texts(*_texts()), old_body="", new_body="")  # new blocks: they keep what they showed
    assert "[Handbook][hb]" in render_pages(unresolved, ("new",))["new"]


RICH_OLD = """# Rules

Posts name their author, **always**, in *every* channel, with `#tags` and a [link](https://example.org/a).

## Lists

- Ask first
- Then post
  - With a second look
1. Draft
2. Approve

> Quoted guidance
> over two lines

```
code <b>kept</b> & as typed
  indented
```

| Channel | Owner |
| --- | --- |
| Site | Web team |
| Feed | Social team |

## Moved later

Words that move.

## Other

A line{hard break}broken by hand, and a paragraph that goes.

![](badge.png)

## ![](logo.png)

```
```

---

Last words.
""".replace("{hard break}", "  \n")


def _rich_new() -> str:
    new = (RICH_OLD.replace("Then post", "Then post it").replace("![](badge.png)", "![](badge.png) A caption")
           .replace("## ![](logo.png)", "## ![](logo.png) Logo").replace("```\n```", "```\nprint(1)\n```")
           .replace("| Feed | Social team |", "| Feed | Social desk |\n| Blog | Editors |")
           .replace("A line  \nbroken by hand, and a paragraph that goes.\n\n", "")
           .replace("## Moved later\n\nWords that move.\n\n", ""))
    return new + "\n## Moved later\n\nWords that move.\n\n| Added | Table |\n| --- | --- |\n| a | b |\n\n## Added\n\nMore.\n"


def test_a_page_cut_into_parts_is_whole_elements_that_join_to_it():
    from guidelines_app.review.redline_html import _shows_nothing, page_parts

    result = diff_texts(Document.new("Rules", "Acme", body=RICH_OLD).to_text(),
                        Document.new("Rules", "Legal", body=_rich_new()).to_text())
    for page in render_pages(result, ALL_SIDES).values():
        for chars in (1, 200, 10_000_000):
            parts = page_parts(page, chars)
            assert "\n".join(parts) == page
            assert all(len(part) >= chars for part in parts[:-1])
            assert all(part.startswith(("<h", "<p")) for part in parts[1:])  # never a table's start, nor an anchor
            # Nor next to an element with nothing to show (Qt drops its paragraph from the whole page).
            assert not any(_shows_nothing(part.split("\n")[-1]) for part in parts[:-1])
            assert not any(_shows_nothing(part.split("\n")[0]) for part in parts[1:])
        assert len(page_parts(page, 1)) >= 12 and page_parts(page, 10_000_000) == [page]


def test_a_page_read_in_parts_is_the_document_the_whole_page_makes(qtbot):
    """Every element read as a part of its own where a part may end (a
    table ending one, anchors, the document details, grey placeholders,
    elements with nothing to show): the same formats, blocks and anchors
    as the whole page read at once."""
    from PySide6.QtGui import QFont

    from guidelines_app.ui.review.compare_pages import PageReading

    result = diff_texts(Document.new("Rules", "Acme", body=RICH_OLD).to_text(),
                        Document.new("Rules", "Legal", body=_rich_new()).to_text())
    font = QFont("DejaVu Sans", 11)
    # (and a page with elements that show nothing, which the renderer no longer writes: ``_kept``)
    bare = ('<p>Intro.</p>\n<p>More.</p>\n<a name="chg-0"></a><p></p>\n<p>After.</p>\n<p>Again.</p>\n<h2></h2>\n'
            '<p>Then.</p>\n<p>So.</p>\n<pre></pre>\n<p>End.</p>')
    for side, page in [*render_pages(result, ALL_SIDES).items(), ("bare", bare)]:
        whole = PageReading(page, font, chars=10_000_000)
        assert whole.step()  # one part: all of it
        parts = PageReading(page, font, chars=1)
        steps = 1
        while not parts.step():
            steps += 1
        assert steps >= (4 if side == "bare" else 12), side
        assert parts.doc.toHtml() == whole.doc.toHtml(), side
        assert parts.doc.blockCount() == whole.doc.blockCount()
        assert _anchors(parts.doc) == _anchors(whole.doc) and "chg-0" in _anchors(parts.doc), side
        assert "Then post" in parts.doc.toPlainText() or side == "bare"


def test_a_side_with_nothing_to_show_keeps_its_line_beside_the_other_column(qtbot):
    """An image-only paragraph given a caption, an image-only heading given
    a title, an empty code block filled: the old column keeps a line for
    each (Qt drops an empty paragraph), so both columns have as many lines."""
    from PySide6.QtGui import QFont

    from guidelines_app.ui.review.compare_pages import PageReading

    result = diff_texts(Document.new("Rules", "Acme", body=RICH_OLD).to_text(),
                        Document.new("Rules", "Legal", body=_rich_new()).to_text())
    pages = render_pages(result, ALL_SIDES)
    for empty in ("<p></p>", "<h2></h2>", "<pre></pre>"):
        assert empty not in pages["old"]
    assert '<a name="chg-5"></a><p>&nbsp;</p>' in pages["old"]
    docs = {side: PageReading(pages[side], QFont("DejaVu Sans", 11)).finish() for side in ("old", "new")}
    assert docs["old"].blockCount() == docs["new"].blockCount()


def test_the_parts_are_read_by_one_timer_at_a_time(qtbot, monkeypatch):
    """Pages finished on the spot (a change gone to) while the next part's
    timer is set, then another page delivered: it waits for that timer,
    and no two parts are read in one turn."""
    import time

    from PySide6.QtWidgets import QTextBrowser, QWidget

    from guidelines_app.ui.jobs import Jobs
    from guidelines_app.ui.review import compare_pages
    from guidelines_app.ui.review.compare_pages import ComparePages, PageReading

    window = QWidget()
    qtbot.addWidget(window)
    window.current, window._syncing, window.jobs = -1, False, Jobs(window)
    pages = ComparePages(window, {side: QTextBrowser(window) for side in ALL_SIDES})
    result = diff_texts(Document.new("Rules", "Acme", body=RICH_OLD).to_text(),
                        Document.new("Rules", "Legal", body=_rich_new()).to_text())
    html = render_pages(result, ALL_SIDES)
    pages.result = result
    monkeypatch.setattr(compare_pages, "PART_CHARS", 100)
    steps = []
    real = PageReading.step
    monkeypatch.setattr(PageReading, "step", lambda reading: steps.append(time.perf_counter()) or real(reading))
    token = pages._built_for
    pages.building.update(("old", "new", "inline"))
    pages._on_built({"old": html["old"], "new": html["new"]}, ("old", "new"), token)  # a part read, the next one's timer set
    pages.ensure(("old", "new"))  # the rest of both read at once
    assert pages.full == {"old", "new"}
    steps.clear()
    pages._on_built({"inline": html["inline"]}, ("inline",), token)
    assert steps == []  # the timer set reads it
    qtbot.waitUntil(lambda: "inline" in pages.full, timeout=10000)
    assert len(steps) > 3 and pages.building == set()
    assert all(later - earlier >= 0.005 for earlier, later in zip(steps, steps[1:])), steps


def _anchors(doc) -> list[str]:
    """The anchor names of *doc*'s text, in order (an anchor before a
    paragraph is the paragraph's)."""
    names = []
    block = doc.begin()
    while block.isValid():
        names += block.charFormat().anchorNames()
        it = block.begin()
        while not it.atEnd():
            names += it.fragment().charFormat().anchorNames()
            it += 1
        block = block.next()
    return names


def test_the_first_sections_are_the_start_of_the_whole_page(monkeypatch):
    from guidelines_app.review import compare_first

    body = "".join(f"## Part {n}\n\nRule {n} applies.\n\n" for n in range(1, 30))
    result = diff_texts(Document.new("Long", body=body).to_text(),
                        Document.new("Long", body=body.replace("Rule 1 applies", "Rule 1 always applies")).to_text())
    monkeypatch.setattr(compare_first, "HEAD_BLOCKS", 6)
    head, complete = head_of(result)
    assert not complete and 0 < len(head.rows) < len(result.rows)
    assert head.rows == result.rows[:len(head.rows)] and head.changes() == result.changes()[:len(head.changes())]
    monkeypatch.setattr(compare_first, "HEAD_BLOCKS", 10_000)
    assert head_of(result) == (result, True)


def test_the_first_sections_fill_the_views_screen_and_not_much_more():
    from guidelines_app.review.compare_first import HEAD_BLOCKS, SCREENS, Screen

    paragraph = " ".join(["Every post names its author and the team that approved it."] * 3)  # 3 lines at 60 characters
    body = "".join(f"## Part {n}\n\n{paragraph}\n\n" for n in range(1, 40))
    result = diff_texts(Document.new("Long", body=body).to_text(),
                        Document.new("Long", body=body.replace("Part 1\n", "Part one\n")).to_text())
    by_blocks, _ = head_of(result)
    screen = Screen(lines=20, chars=60)
    head, complete = head_of(result, screen)
    assert not complete and head.rows == result.rows[:len(head.rows)] and len(head.rows) < len(by_blocks.rows)
    # Each section: its heading (2 lines) and its paragraph (3 lines and a half): the first screen and a half,
    # not a section more.
    assert len(head.rows) == -(-SCREENS * screen.lines // 5.5)
    assert head_of(result, Screen(lines=10_000, chars=60)) == (result, True)  # a screen taller than the page: all of it
    assert sum(len(row.blocks) + 1 for row in by_blocks.rows) >= HEAD_BLOCKS


def test_the_views_screen_is_known_once_they_were_laid_out(qtbot):
    from PySide6.QtWidgets import QTextBrowser

    from guidelines_app.ui.review.compare_pages import screen_of, text_widths

    view = QTextBrowser()
    qtbot.addWidget(view)
    assert screen_of({"old": view}, text_widths({"old": view}), view.font()) is None  # never shown: its size is not known yet
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    screen = screen_of({"old": view}, text_widths({"old": view}), view.font())
    line = view.fontMetrics().lineSpacing()
    assert screen.lines == view.viewport().height() // line and screen.lines * line > 200
    assert 0 < screen.chars * view.fontMetrics().averageCharWidth() <= view.viewport().width()


def test_after_paint_calls_back_once_after_the_next_paint(qtbot):
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QLabel

    from guidelines_app.ui.review.compare_pages import PAINT_WAIT_MS, AfterPaint

    owner = QObject()
    after = AfterPaint(owner)
    label = QLabel("Before")
    qtbot.addWidget(label)
    calls = []
    after.arm(label, lambda: calls.append("hidden"))  # never painted: at once (after this event)
    assert calls == []
    qtbot.waitUntil(lambda: calls == ["hidden"], timeout=2000)
    label.show()
    qtbot.waitExposed(label)
    after.arm(label, lambda: calls.append("painted"))
    after.arm(label, lambda: calls.append("again"))  # a newer wish replaces the older one
    label.setText("After")  # asks for a paint
    qtbot.waitUntil(lambda: calls == ["hidden", "again"], timeout=2000)
    after.arm(label, lambda: calls.append("dropped"))
    after.disarm()
    label.update()
    qtbot.wait(PAINT_WAIT_MS + 100)  # past the wait for a paint that never comes, too
    assert calls == ["hidden", "again"]


def test_the_saved_title_is_the_one_the_whole_file_gives(workspace, author):
    import pytest

    from guidelines_app.core.errors import GuidelinesError

    slug, _ = workspace.create_document(Document.new("Policy", body=OLD), author)
    path = workspace.path(slug)
    text = path.read_text(encoding="utf-8")
    cases = [text,  # named in the details
             text.replace("title: Policy\n", "title: '  '\n"),  # a blank title: the body's heading
             text.replace("title: Policy\n", ""),  # none: the body's heading
             text.replace("\n", "\r\n"),  # Windows line ends
             "\ufeff" + text.replace("title: Policy", "title: Press policy"),  # a byte order mark
             text.replace("title: Policy", "title: Post policy").replace("\n---\n", "\n...\n", 1)]
    for case in cases:
        path.write_bytes(case.encode("utf-8"))
        assert workspace.saved_title(slug) == workspace.load(slug).title
    assert workspace.saved_title(slug) == "Post policy"  # the last case: read from its details block
    path.write_bytes(text.encode("utf-8") + b"\xff\xfe not UTF-8\n")
    with pytest.raises(GuidelinesError) as whole:
        workspace.load(slug)
    with pytest.raises(GuidelinesError) as front:
        workspace.saved_title(slug)
    assert str(front.value) == str(whole.value)


_SHAPES = {
    # Long paragraphs: few blocks to a screen.
    "paragraphs": lambda n: f"## Part {n}\n\n" + " ".join([f"Rule {n} applies to every post, on every channel."] * 6) + "\n\n",
    # Short list items: many blocks of one line each.
    "list items": lambda n: f"## Part {n}\n\n" + "".join(f"- Item {n}.{k}\n" for k in range(1, 5)) + "\n",
    # Table rows under a short heading.
    "table rows": lambda n: f"### Part {n}\n\n| Channel | Owner |\n| --- | --- |\n| Site {n} | Team {n} |\n\n",
}


@pytest.mark.parametrize("shape", sorted(_SHAPES))
def test_the_first_paint_fills_the_view(qtbot, workspace, settings, author, monkeypatch, shape):
    """The first sections (``head_of`` the views' screen) fill the view they
    are painted in: no blank space below them while the whole page is built."""
    import threading

    from guidelines_app.ui.main_window import MainWindow
    from guidelines_app.ui.review import compare_pages

    body = "".join(_SHAPES[shape](n) for n in range(1, 121))
    slug, _ = workspace.create_document(Document.new("Long policy", body=body), author)
    text = workspace.load(slug).to_text()
    workspace.save_text(slug, text.replace("Part 1\n", "Part one\n").replace("Part 120\n", "Part last\n"), author, "Renamed")
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    building, release = compare_pages.build_pages, threading.Event()

    def held(*args):  # the whole pages wait until the test has seen the first paint
        release.wait(10)
        return building(*args)

    monkeypatch.setattr(compare_pages, "build_pages", held)
    try:
        # The second comparison is the one the estimate is for: the views' size is known then.
        cw = w.features["history"].open_compare("HEAD~1", "HEAD")
        qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
        release.set()
        qtbot.waitUntil(lambda: not cw.jobs.running(), timeout=10000)
        cw.close()
        release.clear()
        cw = w.features["history"].open_compare("HEAD~1", "HEAD")
        qtbot.waitExposed(cw)
        qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
        assert "Part last" not in cw.new_view.toPlainText()  # the first sections only: the whole page is held
        for view in (cw.old_view, cw.new_view):
            assert view.viewport().height() > 100
            assert view.document().size().height() >= view.viewport().height(), shape
    finally:
        release.set()


def test_the_whole_pages_are_read_a_part_per_turn_letting_the_window_turn(qtbot, workspace, settings, author, monkeypatch):
    """Each whole page is read into its view a part per event-loop turn,
    with the timers due (typing, painting) run between: a 4 MB policy's page
    took 0.2-0.45 s to read at once, and two pages once held the window as
    one.  A page is shown once all of it is in."""
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QTextDocument

    from guidelines_app.ui.main_window import MainWindow
    from guidelines_app.ui.review import compare_pages

    body = "".join(_SHAPES["paragraphs"](n) for n in range(1, 40))
    slug, _ = workspace.create_document(Document.new("Long policy", body=body), author)
    workspace.save_text(slug, workspace.load(slug).to_text().replace("Part 1\n", "Part one\n"), author, "Renamed")
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    monkeypatch.setattr(compare_pages, "PART_CHARS", 2000)  # several parts a page
    steps, ticks, shown, finishing = [], [], [], []
    real_step, real_finish = compare_pages.PageReading.step, compare_pages.PageReading.finish
    real_place = compare_pages.ComparePages._place

    def slow(reading):  # a long page's part: reading it holds the UI thread a while
        time.sleep(0.03)
        if not finishing:  # (the first paint's pages are read at once)
            steps.append(time.perf_counter())
        return real_step(reading)

    def finish(reading):
        finishing.append(reading)
        try:
            return real_finish(reading)
        finally:
            finishing.pop()

    def place(pages, side, doc, whole):
        if whole:
            shown.append((side, doc.toPlainText()))
        return real_place(pages, side, doc, whole)

    monkeypatch.setattr(compare_pages.PageReading, "step", slow)
    monkeypatch.setattr(compare_pages.PageReading, "finish", finish)
    monkeypatch.setattr(compare_pages.ComparePages, "_place", place)
    tick = QTimer(interval=20)
    tick.timeout.connect(lambda: ticks.append(time.perf_counter()))
    tick.start()
    pairs = []
    for _ in range(3):  # (a posted call sometimes came after the timers due, too: three comparisons)
        steps.clear()
        cw = w.features["history"].open_compare("HEAD~1", "HEAD")
        qtbot.waitUntil(lambda cw=cw: len(cw.pages.full) == len(ALL_SIDES), timeout=20000)
        pairs += list(zip(steps, steps[1:]))
        qtbot.wait(50)  # (the pages replaced: deleted later)
        for view in cw.pages.views.values():  # the page shown, and no page it replaced, kept by the view
            assert [d for d in view.findChildren(QTextDocument) if d.parent() is view] == [view.document()]
        cw.close()
    tick.stop()
    assert len(pairs) >= 3 * 3 * len(ALL_SIDES)  # parts of every page, on turns of their own
    for before, after in pairs:
        assert any(before < t < after - 0.02 for t in ticks), "no timer ran between two parts"
    assert {side for side, _text in shown} == set(ALL_SIDES)
    assert all("Part 39" in text for _side, text in shown)  # each shown whole, never a page part-read
