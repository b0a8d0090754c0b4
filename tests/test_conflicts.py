"""Merging two versions of a document against their common start: per
section, per details field, line by line where changes do not overlap."""

from __future__ import annotations

import pytest

from guidelines_app.core.conflicts import BOTH, EDIT, OURS, THEIRS, Conflict, check_choice, decide, outcome, plan
from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.line_merge import merge_lines

FRONT = "---\ntitle: Policy\nstatus: draft\nversion: '0.1'\nowners:\n- Ana\n---\n"
BODY = "Preamble.\n\n## Scope\n\nAll staff.\n\nAlso contractors.\n\n## Tone\n\nBe kind.\n"


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def test_line_merge_joins_changes_that_do_not_touch():
    base = _lines("a\nb\nc\nd\ne\n")
    ours = _lines("A\nb\nc\nd\ne\n")
    theirs = _lines("a\nb\nc\nd\nE\n")
    assert "".join(merge_lines(base, ours, theirs)) == "A\nb\nc\nd\nE\n"
    assert merge_lines(base, _lines("a\nB\nc\nd\ne\n"), _lines("a\nX\nc\nd\ne\n")) is None
    same = _lines("a\nSAME\nc\nd\ne\n")
    assert merge_lines(base, same, same) == same


def _plan(ours_body: str, theirs_body: str, ours_front: str = FRONT, theirs_front: str = FRONT):
    return plan("guidelines/p.md", (FRONT + BODY).encode(), (ours_front + ours_body).encode(),
                (theirs_front + theirs_body).encode())


def test_changes_in_different_sections_and_new_sections_merge_by_themselves():
    ours = BODY.replace("All staff.", "All staff, worldwide.")
    theirs = BODY.replace("Be kind.", "Be kind.\n\n## Escalation\n\nCall the press office.") + ""
    merge = _plan(ours, theirs)
    assert merge.conflicts == []
    text = merge.result({}).decode()
    assert "All staff, worldwide." in text and "## Escalation\n\nCall the press office." in text
    assert text.index("## Tone") < text.index("## Escalation")


def test_a_section_added_after_a_changed_last_line_merges():
    """The blank line before a section added at the end belongs to the
    section above it: it does not touch a change to that section's last line."""
    ours = BODY.replace("Be kind.", "Be kind and brief.")
    theirs = BODY + "\n## Escalation\n\nCall the press office.\n"
    for a, b in ((ours, theirs), (theirs, ours)):
        merge = _plan(a, b)
        assert merge.conflicts == []
        assert merge.result({}).decode().endswith("## Tone\n\nBe kind and brief.\n\n## Escalation\n\nCall the press office.\n")
    # Both changing the blank lines at the end differently still merges (ours kept), the text both changed still not.
    merge = _plan(BODY.replace("Be kind.", "Be kind.\n\n\n"), BODY.replace("Be kind.", "Be kind.\n"))
    assert merge.conflicts == [] and merge.result({}).decode().endswith("Be kind.\n\n\n\n")
    assert [c.label for c in _plan(BODY.replace("Be kind.", "Ours."), theirs.replace("Be kind.", "Theirs.")).conflicts] \
        == ["Section “Tone”"]


def test_changes_to_the_same_section_in_different_paragraphs_merge():
    merge = _plan(BODY.replace("All staff.", "Everyone."), BODY.replace("Also contractors.", "Also agencies."))
    assert merge.conflicts == []
    assert "Everyone.\n\nAlso agencies." in merge.result({}).decode()


def test_a_section_both_changed_is_one_conflict_with_every_choice():
    merge = _plan(BODY.replace("All staff.", "Ours."), BODY.replace("All staff.", "Theirs."))
    [c] = merge.conflicts
    assert c.label == "Section “Scope”" and c.kind == "section"
    with pytest.raises(GuidelinesError, match="still to decide"):
        merge.result({})
    assert "Ours." in merge.result({c.key: (OURS, "")}).decode()
    assert "Theirs." in merge.result({c.key: (THEIRS, "")}).decode()
    both = merge.result({c.key: (BOTH, "")}).decode()
    assert both.count("## Scope") == 1 and both.index("Ours.") < both.index("Theirs.")
    edited = merge.result({c.key: (EDIT, "## Scope\n\nMerged.\n\n")}).decode()
    assert "Merged." in edited and "Ours." not in edited and "Theirs." not in edited
    with pytest.raises(GuidelinesError, match="not a choice"):
        decide(c, ("mine", ""))


def test_details_merge_field_by_field():
    ours_front = FRONT.replace("status: draft", "status: in review").replace("- Ana", "- Ana\n- Bo")
    theirs_front = FRONT.replace("status: draft", "status: approved").replace("- Ana", "- Ana\n- Carla").replace(
        "'0.1'", "'0.2'")
    merge = _plan(BODY, BODY, ours_front, theirs_front)
    labels = sorted(c.label for c in merge.conflicts)
    assert labels == ["Detail “Owners”", "Detail “Status”"]
    choices = {"field:status": (THEIRS, ""), "field:owners": (BOTH, "")}
    doc = Document.parse(merge.result(choices).decode())
    assert (doc.status, doc.version, doc.owners) == ("approved", "0.2", ["Ana", "Bo", "Carla"])
    with pytest.raises(GuidelinesError, match="one value"):
        merge.result({"field:status": (BOTH, ""), "field:owners": (OURS, "")})
    edited = Document.parse(merge.result({"field:status": (EDIT, "in review"), "field:owners": (OURS, "")}).decode())
    assert edited.status == "in review" and edited.owners == ["Ana", "Bo"]


def test_conflicts_are_labelled_in_plain_words_with_the_names_the_app_gives_details():
    """A detail is named as the compare window and the redlines name it
    (``document.detail_name``), not by its key in the file ("Details:
    review_cadence_months"); a section by its heading as it reads; the
    text before the first heading without brackets."""
    front = FRONT.replace("---\ntitle", "---\nreview_cadence_months: 12\nnext_review: '2026-01-01'\ntitle")
    body = BODY.replace("## Scope", "## **Scope** of *use*")
    base = (front + body).encode()
    ours = front.replace("12", "6").replace("2026-01-01", "2026-02-01") + body.replace("Preamble.", "Ours.").replace(
        "All staff.", "Ours.")
    theirs = front.replace("12", "3").replace("2026-01-01", "2026-03-01") + body.replace("Preamble.", "Theirs.").replace(
        "All staff.", "Theirs.")
    merge = plan("guidelines/p.md", base, ours.encode(), theirs.encode())
    found = {c.label: c for c in merge.conflicts}
    assert sorted(found) == ["Detail “Next review”", "Detail “Review every (months)”", "Section “Scope of use”",
                             "The text before the first heading"]
    assert [found[label].name for label in sorted(found)] == ["Next review", "Review every (months)", "Scope of use", ""]
    assert {c.document for c in merge.conflicts} == {"Policy"}


def test_a_document_deleted_on_one_side_and_changed_on_the_other_is_decided_whole():
    merge = plan("guidelines/p.md", (FRONT + BODY).encode(), None, (FRONT + BODY + "More.\n").encode())
    [c] = merge.conflicts
    assert c.kind == "file" and c.ours is None
    assert merge.result({"file": (OURS, "")}) is None
    assert merge.result({"file": (THEIRS, "")}).decode().endswith("More.\n")


def test_choices_are_checked_before_they_are_kept():
    from guidelines_app.core.conflicts import check_choice

    merge = _plan(BODY, BODY, FRONT.replace("draft", "in review"), FRONT.replace("draft", "approved"))
    [status] = merge.conflicts
    with pytest.raises(GuidelinesError, match="one value"):
        check_choice(status, (BOTH, ""))
    check_choice(status, (EDIT, "approved"))
    binary = plan("logo.png", b"\x89PNG\x00\xff", b"\x89PNG\x00\xfe", b"\x89PNG\x00\xfd")
    [whole] = binary.conflicts
    with pytest.raises(GuidelinesError, match="not text"):
        check_choice(whole, (BOTH, ""))
    assert binary.result({"file": (THEIRS, "")}) == b"\x89PNG\x00\xfd"


# ---- Keep Both: what the two share once, both versions of what differs --------------

INTRO = ("# Guidelines\n\nThese guidelines are for everyone. They are meant to make it easier to take part.\n\n"
         "> **Why we have guidelines.** People talk about us online.\n> Where a rule seems strict, the reason is given.\n\n"
         "In short:\n\n- Talk about your work.\n- Only spokespeople speak for us.\n- Ask when unsure.\n\n"
         "| Post | Approver |\n|------|----------|\n| Replies | Nobody |\n| Campaigns | Legal |\n\n"
         "The appendices help.\n\n## Scope\n\nAll staff.\n")


def _both_of(old: str, ours_new: str, theirs_new: str, old_section: str = "# Guidelines") -> tuple[str, str, str]:
    """(Keep Both's body, ours, theirs) for a change of *old* in the opening section of INTRO."""
    ours, theirs = INTRO.replace(old, ours_new), INTRO.replace(old, theirs_new)
    merge = plan("guidelines/p.md", (FRONT + INTRO).encode(), (FRONT + ours).encode(),
                 (FRONT + theirs).encode())
    [c] = merge.conflicts
    assert c.label == f"Section “{old_section.lstrip('# ')}”"
    return Document.parse(merge.result({c.key: (BOTH, "")}).decode()).body, ours, theirs


def _words(text: str) -> set[str]:
    return set(text.split())


def test_keep_both_keeps_the_shared_paragraphs_once_and_both_versions_of_the_sentence():
    body, ours, theirs = _both_of("They are meant to make it easier to take part.", "They are meant to encourage you.",
                                  "They are meant to help you take part with confidence.")
    assert body.count("# Guidelines") == 1
    for shared in ("Why we have guidelines", "In short:", "- Talk about your work.", "| Replies | Nobody |",
                   "The appendices help.", "## Scope"):
        assert body.count(shared) == 1, shared
    mine = "These guidelines are for everyone. They are meant to encourage you.\n"
    yours = "These guidelines are for everyone. They are meant to help you take part with confidence.\n"
    assert f"# Guidelines\n\n{mine}\n{yours}\n> **Why we have guidelines.**" in body  # two paragraphs, mine first
    assert _words(ours) | _words(theirs) <= _words(body)


@pytest.mark.parametrize(("old", "ours_new", "theirs_new", "expected"), [
    ("- Only spokespeople speak for us.\n", "- Only named spokespeople speak for us.\n", "- Only spokespeople speak.\n",
     "- Talk about your work.\n- Only named spokespeople speak for us.\n- Only spokespeople speak.\n- Ask when unsure.\n"),
    ("| Replies | Nobody |\n", "| Replies | A trained owner |\n", "| Replies | No one |\n",
     "|------|----------|\n| Replies | A trained owner |\n| Replies | No one |\n| Campaigns | Legal |\n"),
    ("> Where a rule seems strict, the reason is given.\n", "> Where a rule is strict, we say why.\n",
     "> Where a rule seems strict, read the reason.\n",
     "> **Why we have guidelines.** People talk about us online.\n> Where a rule is strict, we say why.\n>\n"
     "> **Why we have guidelines.** People talk about us online.\n> Where a rule seems strict, read the reason.\n\nIn short:"),
], ids=["list item", "table row", "quote"])
def test_keep_both_keeps_a_list_a_table_and_a_quote_whole(old, ours_new, theirs_new, expected):
    body, ours, theirs = _both_of(old, ours_new, theirs_new)
    assert expected in body
    assert body.count("The appendices help.") == 1 and body.count("These guidelines are for everyone.") == 1
    assert _words(ours) | _words(theirs) <= _words(body)


def test_keep_both_of_paragraphs_added_and_removed_loses_no_words():
    body, ours, theirs = _both_of("In short:\n\n", "", "In short:\n\nFirst:\n\n")
    assert "People talk about us online.\n> Where a rule seems strict, the reason is given.\n\nIn short:\n\nFirst:\n\n- Talk" in body
    body, ours, theirs = _both_of("The appendices help.\n", "The appendices help you.\n\nA new closing paragraph.\n",
                                  "See the appendices.\n")
    assert "In short:" in body and body.count("- Ask when unsure.") == 1
    assert "The appendices help you.\n\nA new closing paragraph.\n\nSee the appendices.\n\n## Scope" in body
    assert _words(ours) | _words(theirs) <= _words(body)


def test_keep_both_of_a_whole_text_file_keeps_the_shared_lines_once():
    merge = plan("notes.txt", b"one\ntwo\nthree\n", b"one\nTWO\nthree\n", b"one\n2\nthree\n")
    assert merge.result({"file": (BOTH, "")}) == b"one\nTWO\n2\nthree\n"


@pytest.mark.parametrize("ours, theirs, kept", [
    ("## Scope\n", "## Scope\n\nNew.\n", "## Scope\n\nNew.\n"),
    ("## Scope\n\n\n", "## Scope\n\nNew.\n", "## Scope\n\nNew.\n"),
    ("## Scope\n\nMine.\n", "## Scope\n", "## Scope\n\nMine.\n"),
])
def test_keep_both_when_one_side_emptied_the_section(ours, theirs, kept):
    """One side deleted a section's text, the other edited it: Keep Both
    raised IndexError (in the resolver, on selecting the conflict)."""
    conflict = Conflict("guidelines/x.md", "section:scope", "Section “Scope”", "section", "## Scope\n\nOld.\n", ours, theirs)
    check_choice(conflict, (BOTH, ""))
    assert decide(conflict, (BOTH, "")) == kept


def test_keep_both_of_an_emptied_preamble():
    conflict = Conflict("guidelines/x.md", "preamble", "Introduction", "section", "Old intro.\n\n", "", "New intro.\n\n")
    assert decide(conflict, (BOTH, "")) == "New intro.\n\n"


def test_two_texts_merge_as_one_or_name_what_both_changed():
    """``merge_texts``: an outside change combined with unsaved edits (the
    window's Combine Both), by the sync's merge, without a display."""
    from guidelines_app.core.conflicts import merge_texts

    base = FRONT + BODY
    ours = FRONT + BODY.replace("All staff.", "All staff, worldwide.")
    theirs = FRONT.replace("status: draft", "status: in review") + BODY.replace("Be kind.", "Be kind and brief.")
    merged, found = merge_texts("guidelines/p.md", base, ours, theirs)
    assert found == [] and "All staff, worldwide." in merged and "Be kind and brief." in merged
    assert Document.parse(merged).meta["status"] == "in review"
    merged, found = merge_texts("guidelines/p.md", base, ours, FRONT + BODY.replace("All staff.", "Only staff."))
    assert merged is None and [c.label for c in found] == ["Section “Scope”"]


def test_a_list_detail_reads_and_is_typed_as_document_details_writes_it():
    """The owners (a list) in a conflict's texts as Document Details shows
    them, separated by commas (they were YAML's "[Ana, Bo]"); an edited text
    typed so, or one per line, is written back as a list (it became one
    text); a text detail keeps what was typed as it is ("yes" stays a text)."""
    ours_front = FRONT.replace("- Ana", "- Ana\n- Bo").replace("title: Policy", "title: Policy A")
    theirs_front = FRONT.replace("- Ana", "- Ana\n- Carla").replace("title: Policy", "title: Policy B")
    merge = _plan(BODY, BODY, ours_front, theirs_front)
    owners = next(c for c in merge.conflicts if c.key == "field:owners")
    assert (owners.base, owners.ours, owners.theirs) == ("Ana", "Ana, Bo", "Ana, Carla")
    assert outcome(owners, (BOTH, "")) == "Ana, Bo, Carla"
    for typed in ("Ana,  Di ", "Ana\nDi", "[Ana, Di]"):
        doc = Document.parse(merge.result({"field:owners": (EDIT, typed), "field:title": (EDIT, "yes")}).decode())
        assert doc.owners == ["Ana", "Di"] and doc.meta["owners"] == ["Ana", "Di"] and doc.meta["title"] == "yes"


def test_the_status_reads_and_is_typed_by_its_name():
    """The status in a conflict as Document Details names it ("In review"),
    and typed so, written as the file writes it ("in review")."""
    merge = _plan(BODY, BODY, FRONT.replace("status: draft", "status: in review"), FRONT.replace("status: draft",
                                                                                              "status: approved"))
    (status,) = merge.conflicts
    assert (status.base, status.ours, status.theirs) == ("Draft", "In review", "Approved")
    assert outcome(status, (THEIRS, "")) == "Approved"
    text = merge.result({"field:status": (EDIT, " in Review ")}).decode()
    assert "\nstatus: in review\n" in text
