"""The section-aware diff."""

from __future__ import annotations

from guidelines_app.review.diff import diff_texts, diff_words, split_sections

FRONT = "---\ntitle: Social media guidelines\nstatus: draft\nversion: '0.1'\n---\n"

BASE = FRONT + """# Social media guidelines

Intro paragraph for everyone.

## Who takes part

Every team member who posts about the company on social media follows these guidelines.

## Response time

We answer questions within 24 hours on working days.

| Channel | Owner | Turnaround |
| --- | --- | --- |
| Twitter | Comms | 4 hours |

## Crisis response

Call the duty officer first. Then inform legal.

- Pause scheduled posts.
- Collect screenshots.
"""


def changed_rows(d):
    return [r for r in d.rows if r.changed]


def test_identical_texts():
    d = diff_texts(BASE, BASE)
    assert d.identical and not d.has_changes and d.changes() == []
    assert d.verdict() == "No changes."


def test_changed_word_is_a_clean_replacement():
    d = diff_texts(BASE, BASE.replace("24 hours", "12 hours"))
    [row] = changed_rows(d)
    assert row.title == "Response time" and row.kind == "changed"
    [block] = [b for b in row.blocks if b.is_change]
    assert block.kind == "changed"
    assert [(op.kind, op.text) for op in block.words if op.kind != "equal"] == [("delete", "24 "), ("insert", "12 ")]
    assert d.words_inserted == 1 and d.words_deleted == 1
    assert "Small changes" in d.verdict()


def test_units_read_as_one_replacement():
    ops = diff_words("Give 500 mg twice a day.", "Give 1 g twice a day.")
    assert [(o.kind, o.text) for o in ops] == [("equal", "Give "), ("delete", "500 mg "), ("insert", "1 g "), ("equal", "twice a day.")]


def test_moved_section():
    moved = BASE.replace(
        "## Who takes part\n\nEvery team member who posts about the company on social media follows these guidelines.\n\n", "")
    moved += "\n## Who takes part\n\nEvery team member who posts about the company on social media follows these guidelines.\n"
    d = diff_texts(BASE, moved)
    kinds = {(r.title, r.kind) for r in changed_rows(d)}
    assert ("Who takes part", "moved") in kinds
    assert ("Who takes part", "moved away") in kinds
    assert not any(k == "changed" for _t, k in kinds)
    assert len(d.sections_with("moved")) == 1 and d.words_inserted == 0


def test_renamed_heading():
    d = diff_texts(BASE, BASE.replace("## Response time", "## How fast we answer"))
    [row] = changed_rows(d)
    assert row.renamed and not row.content_changed and row.kind == "renamed"
    assert row.old.title == "Response time" and row.new.title == "How fast we answer"
    assert not d.sections_with("added") and not d.sections_with("removed")


def test_reflowed_paragraph_and_whitespace_are_unchanged():
    reflowed = BASE.replace(
        "Every team member who posts about the company on social media follows these guidelines.",
        "Every team member who posts\nabout the company on social   media\n   follows these guidelines.  ")
    reflowed = reflowed.replace("| Twitter | Comms | 4 hours |", "|Twitter|Comms   |4 hours|")
    reflowed = reflowed.replace("\n\nCall the duty", "\n\n\n\nCall the duty")
    d = diff_texts(BASE, reflowed)
    assert not d.identical and not d.has_changes and d.formatting_only
    assert changed_rows(d) == [] and d.changes() == []
    assert d.verdict().startswith("Formatting only")


def test_new_table_row():
    new = BASE.replace("| Twitter | Comms | 4 hours |", "| Twitter | Comms | 4 hours |\n| LinkedIn | HR | 1 day |")
    d = diff_texts(BASE, new)
    [row] = changed_rows(d)
    [block] = [b for b in row.blocks if b.is_change]
    assert block.kind == "added" and block.new.kind == "row"
    assert block.new.content == "LinkedIn | HR | 1 day"
    assert d.words_inserted == 4  # LinkedIn, HR, 1, day: table pipes are not words


def test_non_ascii_text():
    old = FRONT + "# Richtlinien\n\n## Grüße\n\nWir antworten binnen 24 Stunden — immer höflich. 東京オフィス対応。\n"
    new = old.replace("höflich", "freundlich").replace("## Grüße", "## Grüße und Dank")
    d = diff_texts(old, new)
    [row] = changed_rows(d)
    assert row.renamed and row.old.title == "Grüße" and row.new.title == "Grüße und Dank"
    [block] = [b for b in row.blocks if b.is_change]
    assert ("delete", "höflich. ") in [(o.kind, o.text) for o in block.words]
    assert "".join(o.text for o in block.words if o.kind != "delete").endswith("東京オフィス対応。")


def test_added_and_removed_sections_and_details():
    new = BASE.replace("## Crisis response", "## Privacy\n\nNever share customer data.\n\n## Crisis response")
    new = new.replace("Intro paragraph for everyone.\n", "")
    new = new.replace("status: draft", "status: approved")
    d = diff_texts(BASE, new)
    assert [r.title for r in d.sections_with("added")] == ["Privacy"]
    assert ("status", "draft", "approved") in d.meta_changes
    first = d.rows[0]
    assert first.title == "Social media guidelines" and [b.kind for b in first.blocks] == ["removed"]
    nav = d.changes()
    assert [c.index for c in nav] == list(range(len(nav))) and len(nav) == 2


def test_list_marker_style_is_not_a_change():
    new = BASE.replace("- Pause", "* Pause").replace("- Collect", "* Collect")
    assert not diff_texts(BASE, new).has_changes


def test_rewrite_is_reported_as_rewrite():
    new = FRONT + "# Social media guidelines\n\n## Scope\n\nThis policy covers contractors and agencies too.\n"
    d = diff_texts(BASE, new)
    assert d.is_rewrite and d.verdict().startswith("Rewrite")


def test_sections_follow_markup_outline():
    secs = split_sections("Preface\n\nSetext title\n============\n\nBody text.\n\n```\n# not a heading\n```\n")
    assert [s.title for s in secs] == ["", "Setext title"]
    assert [b.kind for b in secs[1].blocks] == ["paragraph", "code"]


def test_paragraph_moved_within_and_across_sections_is_not_new_text():
    old = "# T\n\nOne one one one.\n\nTwo two two two.\n\n## B\n\n- apples\n- pears\n\nKeep in B.\n"
    new = "# T\n\nTwo two two two.\n\nOne one one one.\n\n## B\n\n- apples\n- pears\n\nKeep in B.\n\nKeep B too.\n"
    d = diff_texts(old, new)
    moved = [b for r in d.rows for b in r.blocks if b.moved]
    # Two paragraphs swapped: one of them counts as moved (either reading is right).
    assert sorted(b.kind for b in moved) == ["added", "removed"]
    assert len({b.block.content for b in moved}) == 1
    assert (d.words_inserted, d.words_deleted) == (3, 0)  # only "Keep B too." is new
    assert "1 paragraph moved" in d.verdict()
    labels = [c.label for c in d.changes()]
    assert "T: paragraph moved away" in labels and "T: paragraph moved here" in labels, labels
    # Across sections: taken out of one section, put into another.
    new2 = "# T\n\nTwo two two two.\n\n## B\n\n- apples\n- pears\n\nOne one one one.\n\nKeep in B.\n"
    d2 = diff_texts(old, new2)
    assert d2.blocks_moved == 1 and (d2.words_inserted, d2.words_deleted) == (0, 0)
    # A paragraph removed and a different one added is no move.
    d3 = diff_texts(old, old.replace("One one one one.", "Uno."))
    assert d3.blocks_moved == 0


def test_split_and_joined_paragraphs_keep_their_words():
    one = "# T\n\nAlpha beta gamma delta. Epsilon zeta eta theta.\n\nAfter.\n"
    two = "# T\n\nAlpha beta gamma delta.\n\nEpsilon zeta eta theta.\n\nAfter.\n"
    for old, new in ((one, two), (two, one)):
        d = diff_texts(old, new)
        changed = [b for r in d.rows for b in r.blocks if b.is_change]
        assert changed and all(b.regrouped for b in changed)
        assert (d.words_inserted, d.words_deleted) == (0, 0)
        assert "paragraph breaks changed" in d.verdict()
    # A split with a word changed as well is an edit, not only new breaks.
    d = diff_texts(one, two.replace("Epsilon", "Omega"))
    assert not any(b.regrouped for r in d.rows for b in r.blocks) and d.words_inserted >= 1


def test_heading_moved_to_another_level_is_in_the_verdict():
    d = diff_texts("# T\n\n## Scope\n\nText.\n", "# T\n\n### Scope\n\nText.\n")
    assert "1 heading moved to another level" in d.verdict()


def test_paragraph_break_moved_and_navigation_stops():
    old = "# T\n\nA b. C d.\n\nE f.\n"
    new = "# T\n\nA b.\n\nC d. E f.\n"
    d = diff_texts(old, new)
    assert all(b.regrouped for r in d.rows for b in r.blocks if b.is_change)
    assert (d.words_inserted, d.words_deleted) == (0, 0)
    # A split is one stop for next/previous change, not one per paragraph.
    split = diff_texts("# T\n\nA b. C d.\n", "# T\n\nA b.\n\nC d.\n")
    assert [c.label for c in split.changes()] == ["T: paragraph breaks changed"]


def test_moves_between_sections_need_more_than_a_short_phrase():
    old = "# T\n\n## A\n\nYes.\n\nKeep A.\n\n## B\n\nKeep B.\n"
    new = "# T\n\n## A\n\nKeep A.\n\n## B\n\nKeep B.\n\nYes.\n"
    assert diff_texts(old, new).blocks_moved == 0  # two different "Yes." more likely than a move
    longer = old.replace("Yes.", "Yes, we answer within a day.")
    assert diff_texts(longer, new.replace("Yes.", "Yes, we answer within a day.")).blocks_moved == 1
    items = diff_texts("# T\n\n- a\n- b\n- c\n", "# T\n\n- b\n- a\n- c\n")
    assert items.blocks_moved == 1 and "1 list item moved" in items.verdict()


def test_word_count_with_tabs_in_code():
    d = diff_texts("# T\n\n```\nq\n```\n", "# T\n\n```\nfoo\tbar\tbaz\n```\n")
    assert (d.words_inserted, d.words_deleted) == (3, 1)


def test_a_quote_in_a_list_item_is_shown_under_its_item():
    """A quote indented under a list item is the item's, as the export and
    the preview show it: the compare view draws it, and the item's
    paragraph after it, under the item's text (they were at the left
    margin, as if the quote had ended the list)."""
    from guidelines_app.review.redline_html import render_html_fragment

    old = "# T\n\n1. Ask the owner.\n\n   > Quoted words.\n\n   More about it.\n\n2. Next step.\n"
    new = old.replace("Quoted words.", "Quoted words here.").replace("More about it.", "More about it now.")
    d = diff_texts(old, new)
    changed = [b for r in d.rows for b in r.blocks if b.is_change]
    assert [(b.new.content, b.new.depth) for b in changed] == [("> Quoted words here.", 1), ("More about it now.", 1)]
    lines = render_html_fragment(d).splitlines()
    for words in ("Quoted words", "More about it"):
        line = next(line for line in lines if words in line)
        assert "margin-left:2.5em" in line, line
