"""List items in the Word redline and its clean copy drawn as the Word
export draws them: an item's further paragraphs indented under it (they
were at the left margin), and an item that starts with a sub-list ("1. -
nested") as that sub-list one level in, with no stray marker text ("-
nested" was its text) and no item drawn a level too high.  Real .docx
files, reopened; changes inside such items are still tracked."""

from __future__ import annotations

import datetime as dt
import zipfile

import docx
import lxml.html
from lxml import etree

from guidelines_app.core.document import Document
from guidelines_app.publishing.docx import export_docx
from guidelines_app.review import redline
from guidelines_app.review.diff import diff_texts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LABELS = redline.Labels("Doc", "v1", "v2", "Dana Reviewer", dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC))


def paragraphs(path) -> dict[str, object]:
    """Accepted text of each body paragraph -> the paragraph (the last one
    with that text: the body's, not a title page's)."""
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    return {"".join(t.text or "" for t in p.iter(f"{W}t")): p for p in body.iter(f"{W}p")}


def numbering(p) -> tuple[str, int] | None:
    num = p.find(f"{W}pPr/{W}numPr")
    if num is None:
        return None
    return num.find(f"{W}numId").get(f"{W}val"), int(num.find(f"{W}ilvl").get(f"{W}val"))


def _look(p) -> tuple:
    """What draws a paragraph: its style, list level, indentation and bar."""
    ppr = p.find(f"{W}pPr")
    ind, bar, style = ppr.find(f"{W}ind"), ppr.find(f"{W}pBdr/{W}left"), ppr.find(f"{W}pStyle")
    return (None if style is None else style.get(f"{W}val"), numbering(p)[1] if numbering(p) else None,
            None if ind is None else dict(ind.attrib), None if bar is None else dict(bar.attrib))

ITEMS_OLD = """# Items

Intro text.

- First point.

  More about the first point.
- Second point.
  - A detail.

    More about the detail.

  Back to the second point.

After the list.

> - Quoted point.
>
>   More about the quoted point.

Closing.
"""

SUBLISTS_OLD = """# Sub-lists

Intro text.

-
  - Nested under an empty item.
- After it.

Between the lists.

1. - Nested under one.
2. Two.
3. Three.

Closing.
""".replace("-\n", "- \n")  # (the marker and its space, nothing after: as typed)


def _written(tmp_path, old: str, new: str):
    result = diff_texts(old, new)
    red = redline.write_docx_redline(result, tmp_path / "red.docx", LABELS)
    clean = redline.write_docx_clean(result, tmp_path / "clean.docx", LABELS)
    export = export_docx(Document.new("Doc", body=new), tmp_path / "export.docx")
    return red, clean, export


def _start(path, p) -> int:
    """The number the list of numbered paragraph *p* starts at."""
    with zipfile.ZipFile(path) as z:
        nums = etree.fromstring(z.read("word/numbering.xml"))
    num_id, level = numbering(p)
    num = nums.find(f"{W}num[@{W}numId='{num_id}']")
    override = num.find(f"{W}lvlOverride[@{W}ilvl='{level}']/{W}startOverride")
    return int(override.get(f"{W}val")) if override is not None else 1


def test_an_items_further_paragraphs_are_indented_under_it_as_exported(tmp_path):
    new = ITEMS_OLD.replace("More about the first", "More on the first").replace(
        "More about the detail", "More on the detail").replace("about the quoted", "on the quoted")
    red, clean, export = _written(tmp_path, ITEMS_OLD, new)
    exported = paragraphs(export)
    further = ("More on the first point.", "More on the detail.", "Back to the second point.",
               "More on the quoted point.")
    for text in further:
        assert _look(exported[text])[2], text  # (the export indents them: what the redline must match)
    for path in (red, clean):
        paras = paragraphs(path)
        for text in ("First point.", "Second point.", "A detail.", "Quoted point.", "After the list.", "Closing",
                     *further):
            text = text if text in paras else text + "."
            assert _look(paras[text]) == _look(exported[text]), (path.name, text)
        # The list goes on after them: one numbering for its top-level items.
        assert numbering(paras["First point."]) == numbering(paras["Second point."])
    changed = paragraphs(red)["More on the first point."]
    assert [d.text for d in changed.iter(f"{W}delText")] == ["about "]
    old_text = ["Intro text.", "First point.", "More about the first point.", "Second point.", "A detail.",
                "More about the detail.", "Back to the second point.", "After the list.", "Quoted point.",
                "More about the quoted point.", "Closing."]
    assert redline.docx_paragraph_texts(red, accept=False)[-11:] == old_text
    assert redline.docx_paragraph_texts(red, accept=True)[-11:] == [t.replace("about", "on") for t in old_text]
    assert redline.docx_paragraph_texts(clean)[-11:] == [t.replace("about", "on") for t in old_text]


def test_an_item_that_starts_with_a_sub_list_is_drawn_as_exported(tmp_path):
    new = SUBLISTS_OLD.replace("Nested under one", "Nested under the first")
    red, clean, export = _written(tmp_path, SUBLISTS_OLD, new)
    exported = paragraphs(export)
    items = ("Nested under an empty item.", "After it.", "Nested under the first.", "Two.", "Three.")
    for path in (red, clean):
        texts = [p.text for p in docx.Document(str(path)).paragraphs]
        assert not any(t.lstrip().startswith("-") for t in texts), texts  # no marker read as text
        paras = paragraphs(path)
        for text in items:
            assert _look(paras[text]) == _look(exported[text]), (path.name, text)
        assert numbering(paras["Nested under an empty item."])[1] == 1  # (was drawn at level 0)
        # "2." and "3." keep their numbers after the item with no numbered paragraph.
        assert _start(path, paras["Two."]) == _start(export, exported["Two."]) == 2
        assert numbering(paras["Two."]) == numbering(paras["Three."])
    changed = paragraphs(red)["Nested under the first."]
    assert [d.text for d in changed.iter(f"{W}delText")] == ["one."]
    old_text = ["Intro text.", "Nested under an empty item.", "After it.", "Between the lists.", "Nested under one.",
                "Two.", "Three.", "Closing."]
    assert redline.docx_paragraph_texts(red, accept=False)[-8:] == old_text
    assert redline.docx_paragraph_texts(red, accept=True)[-8:] == [t.replace("one.", "the first.") for t in old_text]


def test_the_html_redline_shows_them_under_their_items_too():
    """The HTML redline (the compare window's, and ``--format html``): the
    further paragraph indented past its item's margin, and the item that
    starts with a sub-list without "-" as its text."""
    from guidelines_app.review.redline_html import render_html_fragment

    html = render_html_fragment(diff_texts(ITEMS_OLD + SUBLISTS_OLD, ITEMS_OLD.replace("about the first", "on the first")
                                           + SUBLISTS_OLD))
    para = lxml.html.fragment_fromstring(next(line for line in html.splitlines() if "the first point." in line and "<del>" in line)
                            .split("</a>")[-1])
    item = lxml.html.fragment_fromstring(next(line for line in html.splitlines() if "First point." in line))
    margin = float(para.get("style").split("margin-left:")[1].split("em")[0])
    assert margin > float(item.get("style").split("0.15em 0 0.15em ")[1].split("em")[0])
    assert "Nested under one." in html and "-\u00a0Nested" not in html and "- Nested" not in html


BLOCKS_OLD = """# Blocks

Intro text.

1. Item one.

   > Quote inside the item.
   >
   > - Listed in the quote.
   >   - Deeper in the quote.
   >
   > After the list in the quote.
2. Item two.

   | Channel | Owner |
   |---|---|
   | X | Press |

   After the table.
3. Item three.

       indented code line
       other code line

   After the code.

   - - -

   Past the rule.
4. Item four.

> Level one.
>
> > Level two.

Text before a rule.
* * *
Text after the rule.
"""


def _body(path):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml")).find(f"{W}body")


def _table_indents(body) -> list[dict]:
    """The indentation of each indented table (the title page's is not)."""
    return [dict(ind.attrib) for t in body.iter(f"{W}tbl") if (ind := t.find(f"{W}tblPr/{W}tblInd")) is not None]


def test_a_quote_a_table_code_and_a_rule_in_an_item_are_drawn_as_exported(tmp_path):
    """The redline and its clean copy drew a quote in a list item at the
    left of the page (its list a level off), a table and a rule there too
    and the item's paragraph after the table after the list; code 4
    columns in from the item's text was a plain paragraph with its lines
    run together; a quote in a quote was drawn one deep, and "* * *" was a
    paragraph reading "* * *".  Each is where the export draws it now,
    changes inside them still tracked, no word lost."""
    new = (BLOCKS_OLD.replace("inside the item", "in the item").replace("Press", "Comms")
           .replace("other code", "second code").replace("Past the rule", "After the rule"))
    red, clean, export = _written(tmp_path, BLOCKS_OLD, new)
    exported = paragraphs(export)
    texts = ("Item one.", "Quote in the item.", "Listed in the quote.", "Deeper in the quote.",
             "After the list in the quote.", "Item two.", "After the table.", "Item three.",
             "indented code linesecond code line", "After the code.", "After the rule.", "Item four.", "Level one.",
             "Level two.", "Text before a rule.", "Text after the rule.")
    assert _look(exported["Quote in the item."])[2]  # (the export draws it in the item: what the redline must match)
    for path in (red, clean):
        paras = paragraphs(path)
        for text in texts:
            assert _look(paras[text]) == _look(exported[text]), (path.name, text)
        code = paras["indented code linesecond code line"]
        assert code.find(f".//{W}br") is not None  # (its two lines)
        body, export_body = _body(path), _body(export)
        assert _table_indents(body) == _table_indents(export_body) == [{f"{W}w": "360", f"{W}type": "dxa"}]
        rules = [p.find(f"{W}pPr/{W}ind") for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None
                 and p.find(f"{W}pPr/{W}rPr/{W}del") is None]
        assert [r is not None and r.get(f"{W}left") for r in rules] == ["360", False]
    old_text = ["Intro text.", "Item one.", "Quote inside the item.", "Listed in the quote.", "Deeper in the quote.",
                "After the list in the quote.", "Item two.", "Channel", "Owner", "X", "Press", "After the table.",
                "Item three.", "indented code line\nother code line", "After the code.", "Past the rule.", "Item four.",
                "Level one.", "Level two.", "Text before a rule.", "Text after the rule."]
    new_text = [t.replace("inside the", "in the").replace("Press", "Comms").replace("other code", "second code")
                .replace("Past the", "After the") for t in old_text]
    assert redline.docx_paragraph_texts(red, accept=False)[-21:] == old_text
    assert redline.docx_paragraph_texts(red, accept=True)[-21:] == new_text
    assert redline.docx_paragraph_texts(clean)[-21:] == new_text


def test_a_quoted_paragraph_changed_into_a_rule_keeps_its_words(tmp_path):
    """A rule is drawn as one; but a paragraph whose words were replaced
    by one ("> quoted" into "> ---") is a change of words, tracked as
    such: drawn as a rule, the deleted words were lost from the redline."""
    red, clean, _export = _written(tmp_path, "# D\n\nIntro.\n\n> quoted words\n\nEnd.\n",
                                   "# D\n\nIntro.\n\n> ---\n\nEnd.\n")
    assert redline.docx_paragraph_texts(red, accept=False)[-3:] == ["Intro.", "quoted words", "End."]
    assert "".join(d.text for d in _body(red).iter(f"{W}delText")).strip() == "quoted words"


def test_a_quote_after_a_list_and_a_quote_after_a_blank_line_are_quotes_of_their_own(tmp_path):
    """A quote right after a list whose list starts indented (">   - a")
    was taken for a quote in the list's item, and drawn a level in; a
    quote after a blank line went on with the list of the quote above
    (a level too deep).  Both are drawn as the export draws them."""
    body = ("# Q\n\n- Item.\n\n>   - Starts indented.\n\nText.\n\n> - First quote's item.\n\n"
            ">   - Second quote's item.\n")
    _red, clean, export = _written(tmp_path, body, body)
    exported, drawn = paragraphs(export), paragraphs(clean)
    for text in ("Item.", "Starts indented.", "First quote's item.", "Second quote's item."):
        assert _look(drawn[text]) == _look(exported[text]), text
    assert _look(exported["Second quote's item."])[1] == 0
