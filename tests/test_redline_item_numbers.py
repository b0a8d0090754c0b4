"""The HTML and text redlines (and the compare window's pages) number a
numbered list as a reader of each side sees it: a list written "1. / 1. /
1." (as Word's import writes every list) reads 1, 2, 3, as in the editor,
the preview and the Word redline.  They showed every item as "1.", and told
a reviewer that rule 2 was rule 1."""

from __future__ import annotations

import re

import lxml.html
import pytest

from guidelines_app.core.markup import render_html
from guidelines_app.review import redline
from guidelines_app.review.diff import diff_texts
from guidelines_app.review.redline_html import render_html_fragment

RULES = """# Rules

1. Be kind to everyone online.
1. Do not speak on behalf of the company.
1. Ask the press office first.
"""

EDITED = RULES.replace("of the company.", "of the company unless you are asked to.")


def _items(page: str) -> list[str]:
    """The list items' lines of a page, as a reader reads them ("2. Do not ...")."""
    root = lxml.html.fragment_fromstring(page, create_parent="div")
    return [" ".join(p.text_content().replace("\xa0", " ").split()) for p in root.iter("p")
            if "margin:0.15em 0 0.15em" in (p.get("style") or "")]


def _numbers(page: str) -> list[str]:
    return [line.split(" ", 1)[0] for line in _items(page)]


def test_text_redline_names_the_rule_by_its_number():
    text = redline.render_text(diff_texts(RULES, EDITED))
    assert "  ~ 2. Do not speak on behalf of the company {+unless you are asked to+}." in text.splitlines()


@pytest.mark.parametrize("side", ["old", "new", "inline"])
def test_html_redline_numbers_each_rule(side):
    diff = diff_texts(RULES, EDITED)
    assert _numbers(render_html_fragment(diff, side)) == ["1.", "2.", "3."]
    assert _numbers(render_html_fragment(diff, side, qt=True, changes_only=True)) == ["2."]  # (the changed one)
    page = redline.render_html(diff)
    assert "2. Do not speak on behalf of the company unless you are asked to." in _items(page)


def test_each_column_counts_its_own_side():
    """An item put in at the top and one taken away lower down: each column
    numbers its own text; the inline view numbers a removed item as the
    old text did and every other one as the new text does (as the Word
    redline numbers them)."""
    old = "1. Alpha rule.\n1. Beta rule.\n1. Gamma rule.\n1. Delta rule.\n"
    new = "1. New first rule.\n1. Alpha rule.\n1. Beta rule.\n1. Delta rule.\n"
    diff = diff_texts(old, new)
    assert [c.kind for c in diff.rows[0].blocks] == ["added", "equal", "equal", "removed", "equal"]
    # (a column's grey band for the other side's item shows that side's number)
    assert _items(render_html_fragment(diff, "old")) == [
        "1. New first rule.", "1. Alpha rule.", "2. Beta rule.", "3. Gamma rule.", "4. Delta rule."]
    assert _items(render_html_fragment(diff, "new")) == [
        "1. New first rule.", "2. Alpha rule.", "3. Beta rule.", "3. Gamma rule.", "4. Delta rule."]
    assert _items(render_html_fragment(diff, "inline")) == [
        "1. New first rule.", "2. Alpha rule.", "3. Beta rule.", "3. Gamma rule.", "4. Delta rule."]
    lines = redline.render_text(diff).splitlines()
    assert "  + 1. New first rule." in lines and "  - 3. Gamma rule." in lines
    # The Word redline gives the same numbers: accepting every change the new, rejecting every change the old.
    from guidelines_app.review.redline_layout import new_text_paragraphs, old_text_paragraphs
    assert new_text_paragraphs(diff) == ["New first rule.", "Alpha rule.", "Beta rule.", "Delta rule."]
    assert old_text_paragraphs(diff) == ["Alpha rule.", "Beta rule.", "Gamma rule.", "Delta rule."]


def test_word_redline_numbers_match(tmp_path):
    old = "1. Alpha rule.\n1. Beta rule.\n1. Gamma rule.\n1. Delta rule.\n"
    new = "1. New first rule.\n1. Alpha rule.\n1. Beta rule.\n1. Delta rule.\n"
    diff = diff_texts(old, new)
    path = redline.write_docx_redline(diff, tmp_path / "r.docx")
    accepted = [t for t in redline.docx_paragraph_texts(path) if t.endswith("rule.")]
    rejected = [t for t in redline.docx_paragraph_texts(path, accept=False) if t.endswith("rule.")]
    shown_new = [line for line in _items(render_html_fragment(diff, "new"))]
    shown_old = [line for line in _items(render_html_fragment(diff, "old"))]
    assert accepted == [line.replace(" ", "", 1) for line in shown_new if "Gamma" not in line]
    assert rejected == [line.replace(" ", "", 1) for line in shown_old if "New first" not in line]


def test_renumbering_alone_is_no_change_of_an_item():
    """An item put in above moves the others' numbers on: they are not
    changed (written "1. / 1." or "1. / 2.", as before), only shown with
    the number each side reads."""
    for old, new in (("1. Alpha rule.\n1. Beta rule.\n", "1. New rule.\n1. Alpha rule.\n1. Beta rule.\n"),
                     ("1. Alpha rule.\n2. Beta rule.\n", "1. New rule.\n2. Alpha rule.\n3. Beta rule.\n")):
        diff = diff_texts("# Rules\n\n" + old, "# Rules\n\n" + new)
        assert [c.kind for c in diff.rows[0].blocks] == ["added", "equal", "equal"]
        assert len(diff.changes()) == 1
        assert [line for line in redline.render_text(diff).splitlines() if line.startswith("  ")] == ["  + 1. New rule."]
        assert _numbers(render_html_fragment(diff, "old")) == ["1.", "1.", "2."]
        assert _numbers(render_html_fragment(diff, "new")) == ["1.", "2.", "3."]


# Bodies and the numbers their numbered items read, in order.
LISTS = [
    ("3. a\n1. b\n1. c\n", ["3.", "4.", "5."]),  # a list starts at its first item's number
    ("1. a\n1. b\n\nText between.\n\n1. c\n1. d\n", ["1.", "2.", "1.", "2."]),  # a paragraph ends it
    ("1. a\n1. b\n\n<!-- two lists -->\n\n1. c\n", ["1.", "2.", "1."]),  # so does an HTML line
    ("1. a\n\n```\ncode\n```\n\n1. b\n", ["1.", "1."]),  # and code
    ("1. a\n- b\n1. c\n", ["1.", "1."]),  # a list of the other kind
    ("1. a\n1. b\n\n# Next\n\n1. c\n", ["1.", "2.", "1."]),  # a heading
    ("1. a\n\n1. b\n\n\n1. c\n", ["1.", "2.", "3."]),  # blank lines do not
    ("1. a\n   1. x\n   1. y\n1. b\n   1. z\n", ["1.", "1.", "2.", "2.", "1."]),  # nesting: per level
    ("1. a\n    1. x\n    1. y\n1. b\n", ["1.", "1.", "2.", "2."]),
    ("- a\n  1. x\n  1. y\n- b\n  1. z\n", ["1.", "2.", "1."]),
    ("1. a\n1) b\n", ["1.", "2."]),  # "1)" carries the list on, as the preview reads it
    ("> 1. a\n> 1. b\n", ["1.", "2."]),  # in a quote
    ("> 1. a\n>    1. x\n> 1. b\n", ["1.", "1.", "2."]),
    ("1. a\n\n> Quoted.\n\n1. b\n", ["1.", "1."]),  # a quote at the margin ends a list
    ("1. a\n\n   > Quoted in a.\n\n1. b\n", ["1.", "2."]),  # one in an item does not
    ("1. a\n\n   > 1. q\n   > 1. r\n\n1. b\n", ["1.", "1.", "2.", "2."]),  # nor its own list
    ("1. a\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n1. b\n", ["1.", "1."]),  # a table ends it
    ("1. a\n\n   | x | y |\n   |---|---|\n   | 1 | 2 |\n\n1. b\n", ["1.", "2."]),  # one in an item does not
    ("1. a\n\nTerm\n: Its definition.\n\n1. b\n", ["1.", "1."]),  # a definition list
    ("1. a\n2. b\n5. c\n", ["1.", "2.", "3."]),  # numbers as written after the first are not read
]


def _preview_numbers(body: str) -> list[str]:
    """The numbers the preview gives a body's numbered items, in order."""
    root = lxml.html.fragment_fromstring(render_html(body), create_parent="div")
    out = []
    for li in root.iter("li"):
        ol = li.getparent()
        if ol.tag == "ol":
            out.append(f"{int(ol.get('start', 1)) + [c for c in ol if c.tag == 'li'].index(li)}.")
    return out


@pytest.mark.parametrize(("body", "numbers"), LISTS)
def test_lists_end_where_the_preview_ends_them(body, numbers):
    assert _preview_numbers(body) == numbers  # what a reader of the preview sees
    diff = diff_texts(body, body + "\nAn added last line.\n")
    for side in ("old", "new", "inline"):
        page = render_html_fragment(diff, side)
        assert re.findall(r"(\d+\.)&nbsp;", page) == numbers, side


def test_an_item_that_starts_with_a_list_has_its_number():
    """"1. 1. a": an item with no text of its own, holding a list (not
    drawn: the preview's number 1 on an empty line); the next item is 2."""
    body = "1. 1. a\n   1. b\n1. c\n"
    assert _preview_numbers(body) == ["1.", "1.", "2.", "2."]
    diff = diff_texts(body, body + "\nAn added last line.\n")
    assert re.findall(r"(\d+\.)&nbsp;", render_html_fragment(diff, "new")) == ["1.", "2.", "2."]


def test_a_further_paragraph_ends_the_lists_inside_its_item():
    """CommonMark (and the Word redline): a paragraph of item "a" after its
    sub-list ends the sub-list; the next sub-list starts again."""
    body = "1. a\n   1. x\n   1. y\n\n   More of a.\n\n   1. z\n1. b\n"
    diff = diff_texts(body, body.replace("More of a.", "More of item a."))
    assert re.findall(r"(\d+\.)&nbsp;", render_html_fragment(diff, "new")) == ["1.", "1.", "2.", "1.", "2."]


def test_cli_diff_numbers_the_rules(workspace, author, tmp_path, capsys, monkeypatch):
    """`guidelines diff DOC A B`, as text and as HTML, from saved revisions."""
    from guidelines_app.cli.main import main
    from guidelines_app.core.document import Document

    monkeypatch.setenv("GUIDELINES_WORKSPACE", str(workspace.root))
    slug, _ = workspace.create_document(Document.new("Rules", body=RULES.replace("# Rules\n\n", "")), author,
                                        slug="rules")
    text = (workspace.root / "guidelines" / f"{slug}.md").read_text(encoding="utf-8")
    workspace.save_text(slug, text.replace("of the company.", "of the company unless you are asked to."), author)
    capsys.readouterr()
    assert main(["diff", slug, "HEAD~1", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert "  ~ 2. Do not speak on behalf of the company {+unless you are asked to+}." in out.splitlines()
    assert main(["diff", slug, "HEAD~1", "HEAD", "--format", "html", "-o", str(tmp_path / "d.html")]) == 0
    page = lxml.html.parse(str(tmp_path / "d.html")).getroot()
    items = [" ".join(p.text_content().replace("\xa0", " ").split()) for p in page.iter("p")
             if p.text_content().replace("\xa0", " ")[:3] in ("1. ", "2. ", "3. ")]
    assert items == ["1. Be kind to everyone online.",
                     "2. Do not speak on behalf of the company unless you are asked to.",
                     "3. Ask the press office first."]
    capsys.readouterr()


def test_compare_window_numbers_the_rules(qtbot, workspace, settings, author, tmp_path):
    """History > Compare: both columns and the inline view read 1, 2, 3;
    the changed sections' list names the section (no item numbers)."""
    from guidelines_app.core.document import Document
    from guidelines_app.ui.main_window import MainWindow

    slug, _ = workspace.create_document(Document.new("Rules", body=RULES.replace("# Rules\n\n", "## Rules\n\n")),
                                        author)
    text = workspace.load(slug).to_text()
    workspace.save_text(slug, text.replace("of the company.", "of the company unless you are asked to."), author)
    window = MainWindow(workspace, settings)
    qtbot.addWidget(window)
    window.show()
    f = window.features["history"]
    with qtbot.waitSignal(f.panel.loaded, timeout=10000):
        f.act_panel.trigger()
    f.panel.select_rows(0, 1)
    cw = f.compare_selected()
    qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
    cw.mode.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "Ask the press" in cw.inline_view.toPlainText(), timeout=10000)
    for view, rule_two in ((cw.old_view, "2. Do not speak on behalf of the company."),
                           (cw.new_view, "2. Do not speak on behalf of the company unless you are asked to."),
                           (cw.inline_view, "2. Do not speak on behalf of the company unless you are asked to.")):
        lines = [" ".join(line.replace("\xa0", " ").split()) for line in view.toPlainText().splitlines()]
        assert rule_two in lines
        assert "1. Be kind to everyone online." in lines and "3. Ask the press office first." in lines
    assert [cw.section_list.item(n).text().strip() for n in range(cw.section_list.count())] == ["Rules — changed"]
    cw.mode.setCurrentIndex(0)
    cw.grab().save(str(tmp_path / "compare.png"))


def test_word_redline_lists_end_at_an_html_line_as_the_preview_ends_them(tmp_path):
    """A line that shows nothing (an HTML comment) between two lists ended
    the first in the preview and the other redlines, but the Word redline
    counted on: "1. 2. <!-- --> 1. 2." came out 1, 2, 3, 4."""
    old = "1. Alpha rule.\n1. Beta rule.\n\n<!-- the second list -->\n\n1. Gamma rule.\n1. Delta rule.\n"
    new = old.replace("Delta rule.", "Delta, the last rule.")
    diff = diff_texts(old, new)
    path = redline.write_docx_redline(diff, tmp_path / "r.docx")
    import docx

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    lists = [p._p.find(f"{w}pPr/{w}numPr/{w}numId").get(f"{w}val")
             for p in docx.Document(str(path)).paragraphs if p.text.endswith("rule.")]
    # Two lists, each numbered from 1 by a numbering of its own.
    assert len(lists) == 4 and lists[0] == lists[1] != lists[2] == lists[3], lists
    assert _numbers(render_html_fragment(diff, "new")) == ["1.", "2.", "1.", "2."]
