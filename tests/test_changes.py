"""The default revision message ("Edit When; add Where"): what it says, and
that comparing the sections as written first (whitespace is normalised only
where they differ) says what normalising every section says."""

from __future__ import annotations

import random
import re

from guidelines_app.core import changes
from guidelines_app.core.document import Document
from guidelines_app.core.outline import scan_headings

BODY = ("Intro words.\n\n# Policy\n\n## Who\n\nEveryone who posts.\n\n### Staff\n\nStaff post.\n\n"
        "## When\n\nWithin a day.\n\n## Where\n\nOn approved channels.\n")


def _doc(body: str, **meta) -> str:
    doc = Document.new("Policy", "Acme", body=body)
    doc.meta.update(meta)
    return doc.to_text()


def test_the_message_names_what_changed_by_section():
    old = _doc(BODY)
    assert changes.summarize(None, old) == "Create Policy"
    assert changes.summarize(old, _doc(BODY.replace("Staff post.", "Staff post often."))) == "Edit Staff"
    assert changes.summarize(old, _doc(BODY.replace("Within a day.", "Within an hour.") + "\n## Why\n\nTrust.\n")) == \
        "Edit When; add Why"
    assert changes.summarize(old, _doc(BODY.replace("## Where\n\nOn approved channels.\n", ""))) == "Remove Where"
    assert changes.summarize(old, _doc(BODY.replace("Intro words.", "Intro, words."))) == "Edit introduction"
    assert changes.summarize(old, _doc(BODY, status="approved")) == "Update status"
    # A heading retitled over the same text is renamed, not one section removed and one added.
    assert changes.summarize(old, _doc(BODY.replace("## When", "## When we answer"))) == "Rename When to When we answer"
    # Details by the names the details dialog gives them; dismissed check findings counted.
    assert changes.summarize(old, _doc(BODY, review_cadence_months=24)) == "Update review every (months)"
    dismissed = _doc(BODY, check_dismissed=[{"finding": "tone:1", "reason": "Legal agreed"}])
    assert changes.summarize(old, dismissed) == "Dismiss 1 check finding"
    assert changes.summarize(dismissed, old) == "Bring back 1 check finding"
    # Whitespace alone is not a change of the words: re-wrapped or re-spaced text.
    assert changes.summarize(old, _doc(BODY.replace("Everyone who posts.", "Everyone  who\nposts.  "))) == "Tidy formatting"


_WS = re.compile(r"\s+")


def _normalising_every_section(old_text: str, new_text: str) -> str:
    """The message as worked out before, every section's text normalised."""
    def own(body):
        lines = body.split("\n")
        heads = scan_headings(lines)
        pre = _WS.sub(" ", "\n".join(lines[:heads[0][0] if heads else len(lines)])).strip()
        secs, seen = {}, {}
        for n, (line, _level, title) in enumerate(heads):
            end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
            key = title.casefold()
            seen[key] = seen.get(key, 0) + 1
            secs[(key, seen[key])] = (title or "untitled section", _WS.sub(" ", "\n".join(lines[line + 1:end])).strip())
        return pre, secs

    old, new = Document.parse(old_text), Document.parse(new_text)
    (old_pre, old_secs), (new_pre, new_secs) = own(old.body), own(new.body)
    edited = [new_secs[k][0] for k in new_secs if k in old_secs and old_secs[k][1] != new_secs[k][1]]
    if old_pre != new_pre:
        edited.insert(0, "introduction")
    added = [k for k in new_secs if k not in old_secs]
    removed = [k for k in old_secs if k not in new_secs]
    renamed = []
    for k in list(added):  # the same text under a new heading
        same = [r for r in removed if old_secs[r][1] == new_secs[k][1]]
        if same:
            renamed.append(f"{old_secs[same[0]][0]} to {new_secs[k][0]}")
            added.remove(k)
            removed.remove(same[0])
    return edited, renamed, [new_secs[k][0] for k in added], [old_secs[k][0] for k in removed]


def test_comparing_as_written_first_says_what_normalising_every_section_says():
    rng = random.Random(16)
    words = ["posts", "staff", "  ", "\n", "\t", "day", "Who", "#"]
    lines = BODY.split("\n")
    for _ in range(300):
        new_lines = list(lines)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(new_lines))
            kind = rng.random()
            if kind < 0.4:  # words or whitespace added to a line
                new_lines[at] = new_lines[at] + rng.choice(words)
            elif kind < 0.6:  # a line re-spaced
                new_lines[at] = new_lines[at].replace(" ", rng.choice([" ", "  ", "\t"]))
            elif kind < 0.8:
                new_lines.insert(at, rng.choice(["", "## Added", "More text.", "   "]))
            else:
                del new_lines[at]
        old_text, new_text = _doc(BODY), _doc("\n".join(new_lines))
        edited, renamed, added, removed = _normalising_every_section(old_text, new_text)
        message = changes.summarize(old_text, new_text)
        expected = "; ".join(part for part in (
            "edit " + changes._names(edited) if edited else "",
            "rename " + changes._names(renamed) if renamed else "",
            "add " + changes._names(added) if added else "",
            "remove " + changes._names(removed) if removed else "") if part)
        expected = expected[0].upper() + expected[1:] if expected else "Tidy formatting"
        assert message == expected, (new_lines, message, expected)


def test_long_texts_are_split_into_the_same_lines_a_slice_at_a_time(monkeypatch):
    import random

    from guidelines_app.core import md_lines

    monkeypatch.setattr(md_lines, "SPLIT_SLICE", 7)
    rng = random.Random(16)
    texts = ["", "\n", "\n\n", "a", "a\n", "abcdefghij\n", "abcdefgh\nij", "abcdefghijklmnop", "a" * 7 + "\n" + "b" * 7 + "\n"]
    texts += ["".join(rng.choice("ab\n") for _ in range(rng.randrange(0, 60))) for _ in range(2000)]
    for text in texts:
        assert md_lines.split_lines(text) == text.split("\n"), repr(text)


def test_sections_are_named_as_the_text_shows_their_headings():
    """A heading imported from Word as "6\\. Breaches" (escaped so that it is
    not a list) was named "Edit 6\\. Breaches" in the status bar, the History
    panel and `guidelines history`; bold and links showed their marks too."""
    body = "# Rules\n\n## 6\\. Breaches\n\nReport them.\n\n## Use **bold** [care](https://example.org)\n\nText.\n"
    old = _doc(body)
    edited = body.replace("Report them.", "Report them at once.").replace("Text.", "More text.")
    assert changes.summarize(old, _doc(edited)) == "Edit 6. Breaches and Use bold care"
    renamed = body.replace("## 6\\. Breaches", "## 7\\. Breaches")
    assert changes.summarize(old, _doc(renamed)) == "Rename 6. Breaches to 7. Breaches"
