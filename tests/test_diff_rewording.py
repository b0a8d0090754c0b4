"""Reworded text: the words marked changed are about those ``git diff
--word-diff`` marks, never much more.

Each case is a paragraph (or a few) reworded as an editor would: words
swapped for others, words inserted in the middle, clauses in another order,
punctuation changed.  Our count (``DocumentDiff.words_inserted`` +
``words_deleted``) is held against the words real git marks ``+`` or ``-``
in ``git diff --word-diff=porcelain`` on a temporary repository holding the
two versions.  The texts are made up for these tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from guidelines_app.review.diff import diff_texts

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

# (name, old body, new body)
CASES = [
    ("synonyms",
     "Staff may post about the company on personal accounts if they make clear that the views are their own "
     "and not those of the employer.",
     "Employees may write about the company on their personal accounts provided they state clearly that the "
     "opinions are their own rather than those of the employer."),
    ("short shared words between synonyms",
     "Staff can share news from the company page on their own profiles.",
     "Employees may repost news from our company page to their personal profiles."),
    ("passive voice",
     "We check every post for facts, tone and legal risk before it goes out.",
     "Each post is checked for accuracy, tone and legal exposure before it is published."),
    ("nouns swapped",
     "Tag the team in a comment, not in a new post, so the thread stays in one place.",
     "Mention the team in a reply, not in a separate post, so that the discussion stays in one place."),
    ("conditions reworded",
     "You may use the logo on a slide if it is the new one and is not cropped.",
     "You can put the logo on a slide when it is the current one and it is not stretched."),
    ("words inserted in the middle",
     "Reply to every complaint within one working day and keep the tone friendly.",
     "Reply to every public complaint within one working day, log it in the tracker and keep the tone friendly "
     "and factual."),
    ("clauses reordered",
     "Before posting, check the facts, ask a colleague to read the draft, and wait an hour if you are upset.",
     "If you are upset, wait an hour, ask a colleague to read the draft and check the facts before posting."),
    ("punctuation changed",
     "Questions about this guideline go to the policy owner. Urgent questions go to the duty officer, "
     "who decides whether to escalate.",
     "Questions about this guideline go to the policy owner and Legal. Urgent questions go to the duty officer; "
     "the officer decides whether to escalate!"),
    ("sentence recast",
     "Screenshots of internal chats must never be shared outside the team without the consent of everyone "
     "in the chat.",
     "Never share screenshots of internal chats outside the team unless everyone in the chat has agreed."),
    ("several sentences, one reworded",
     "Our accounts speak for the whole organisation. Posts are planned a week ahead in the shared calendar. "
     "Only the social media team schedules posts. Everyone else suggests topics through the request form.",
     "Our accounts speak for the whole organisation. Posts are planned two weeks ahead in the content calendar, "
     "which everyone can read. Only the social media team schedules posts. Everyone else suggests topics "
     "through the request form."),
    ("list items reworded",
     "- Pause all scheduled posts.\n- Collect screenshots of the original messages.\n- Tell the press office "
     "before you answer.",
     "- Pause every scheduled post at once.\n- Collect screenshots and links of the original messages.\n"
     "- Tell the press office and Legal before anyone answers."),
    ("heavy rewrite",
     "Interns do not post on official channels.",
     "During their first month, interns draft posts that a team lead reviews before anything appears on "
     "official channels."),
    ("table row reworded",
     "| Channel | Owner | Reply within |\n| --- | --- | --- |\n| Forum | Community team | two days |",
     "| Channel | Owner | Reply within |\n| --- | --- | --- |\n| Forum | Community and support team | one day |"),
    ("words removed",
     "You must always, without any exception, ask the brand team for written approval before you use the logo.",
     "Ask the brand team for approval before you use the logo."),
]


def _git(cwd, *args) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="T",
               GIT_COMMITTER_EMAIL="t@example.org", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


def git_word_counts(tmp_path, old: str, new: str) -> tuple[int, int]:
    """(inserted, deleted): the words git marks + and - in its word diff
    of *old* committed against *new* in the work tree."""
    _git(tmp_path, "init", "-q")
    doc = tmp_path / "policy.md"
    doc.write_text(old, encoding="utf-8")
    _git(tmp_path, "add", "policy.md")
    _git(tmp_path, "commit", "-q", "-m", "old")
    doc.write_text(new, encoding="utf-8")
    out = _git(tmp_path, "diff", "--word-diff=porcelain", "--", "policy.md")
    inserted = deleted = 0
    hunks = False
    for line in out.split("\n"):
        if line.startswith("@@"):
            hunks = True  # the header (--- a/..., +++ b/...) is over
        elif hunks and line.startswith("+"):
            inserted += len(line[1:].split())
        elif hunks and line.startswith("-"):
            deleted += len(line[1:].split())
    return inserted, deleted


def _document(body: str) -> str:
    return f"# Social media guidelines\n\n## Rules\n\n{body}\n\n## Contacts\n\nThe communications team.\n"


@pytest.mark.parametrize("name, old, new", CASES, ids=[c[0] for c in CASES])
def test_reworded_text_marks_at_most_one_and_a_half_times_what_git_marks(tmp_path, name, old, new):
    old_doc, new_doc = _document(old), _document(new)
    git_inserted, git_deleted = git_word_counts(tmp_path, old_doc, new_doc)
    d = diff_texts(old_doc, new_doc)
    ours = d.words_inserted + d.words_deleted
    theirs = git_inserted + git_deleted
    assert theirs > 0 and ours > 0
    assert ours <= 1.5 * theirs, (name, (d.words_inserted, d.words_deleted), (git_inserted, git_deleted))
    # The counts are those of the word diff a reader sees: every word of
    # each version is in it, as kept, deleted or inserted text.
    for row in d.rows:
        for b in row.blocks:
            if b.kind == "changed":
                assert "".join(op.text for op in b.words if op.kind != "insert") == b.old.content
                assert "".join(op.text for op in b.words if op.kind != "delete") == b.new.content


def _changed_block(old: str, new: str):
    d = diff_texts(_document(old), _document(new))
    [block] = [b for r in d.rows for b in r.blocks if b.kind == "changed"]
    return d, [(op.kind, op.text) for op in block.words]


def test_short_shared_words_between_changes_stay_unchanged():
    # "may", "they", "that the" sit between reworded words: kept, as git keeps them.
    d, ops = _changed_block(CASES[0][1], CASES[0][2])
    kept = "".join(t for k, t in ops if k == "equal")
    for word in ("may ", "they ", "that the "):
        assert word in kept
    assert (d.words_inserted, d.words_deleted) == (9, 8)


def test_a_word_that_only_gains_punctuation_or_words_after_it_stays_unchanged():
    d, ops = _changed_block("Questions go to the policy owner.", "Questions go to the policy owner and Legal.")
    assert ops == [("equal", "Questions go to the policy owner"), ("insert", " and Legal"), ("equal", ".")]
    assert (d.words_inserted, d.words_deleted) == (2, 0)
    # Only the punctuation changed: the word counts once on each side, as in git.
    d, ops = _changed_block("Ask the duty officer, then wait.", "Ask the duty officer; then wait.")
    assert ops == [("equal", "Ask the duty officer"), ("delete", ","), ("insert", ";"), ("equal", " then wait.")]
    assert (d.words_inserted, d.words_deleted) == (1, 1)


def test_markup_is_not_split_inside_a_word():
    # A change inside a link's target would not show in the text a reader
    # sees: the link is replaced whole.
    _d, ops = _changed_block("See the [site](https://a.example/x) first.", "See the [site](https://b.example/x) first.")
    assert ops == [("equal", "See the "), ("delete", "[site](https://a.example/x) "),
                   ("insert", "[site](https://b.example/x) "), ("equal", "first.")]
