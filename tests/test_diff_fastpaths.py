"""The diff's fast paths give exactly what the general paths give.

The section-aware diff takes shortcuts for speed on long documents (block
opcodes without SequenceMatcher, word alignments whose WordOps are built on
first use and whose shared ends are set aside, split_blocks' shortcuts for
bullets, table rows and plain ASCII, one read of a shared details block,
all-pairs similarity in one call, a one-call history log, a one-round-trip
blob read).  Each test here compares a shortcut with the plain computation
on varied inputs.
"""

from __future__ import annotations

import gc
import random
import re
import subprocess
import sys
from difflib import SequenceMatcher

import pytest

from guidelines_app.review import diff as diffmod
from guidelines_app.review import history
from guidelines_app.review.diff import blocks, diff_texts, diff_words, model, pairing, sections, split_blocks, words

WORDS = ("the a of policy post staff brand account review approve legal crisis "
         "manager Über café 東京 naïve | 500 mg 1 g x").split()

# Words with punctuation, some of it Markdown: changed runs that share a
# word once punctuation is set apart are aligned again, finer.
PUNCTUATED = [*WORDS, "policy.", "owner,", "owner.", "(a)", "a.", "Legal.", "**must**", "[x](y)", "café.", "東京。",
              "well-known", "don't", "&amp;", "brand,", "x."]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _mutate_words(text: str, rng: random.Random) -> str:
    words = text.split(" ") if text else []
    for _ in range(rng.randint(0, 5)):
        roll = rng.random()
        if WORDS is PUNCTUATED and roll < 0.3 and words:  # punctuation changed: "owner." -> "owner,"
            k = rng.randrange(len(words))
            words[k] = words[k].rstrip(".,") + rng.choice([".", ",", "", ";"])
            words = [w for w in words if w]
        elif roll < 0.4 and words:
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        elif roll < 0.7:
            words.insert(rng.randint(0, len(words)), rng.choice(WORDS))
        elif words:
            del words[rng.randrange(len(words))]
    return " ".join(words)


SNIPPETS = [
    "- item one\n- item two\n  - nested item", "1. first\n2) second\n10. tenth", "| a | b |\n|---|:--:|\n| x | y |",
    "| a || b |", "```\ncode # not a heading\n  indented\n```", "~~~~\nfence\n~~~", "<div>html</div>",
    "Setext title\n============", "# Heading", "## Heading two ##", "### Same", "### Same", "\tTabbed\tline",
    "Para  with   spaces and trailing   ", "Non\u00a0breaking\u2003spaces", "Über café 東京オフィス対応。 naïve",
    "* star\n+ plus", "-", "1.", "| | |", "text\n- lazy continuation", "2024 is a year.", "> quote", "---",
    "- a\n\n- b", "   - deep\n      - deeper", "Line one\nline two of the same paragraph",
]


def _document(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(3, 30)):
        roll = rng.random()
        if roll < 0.45:
            parts.append(_text(rng, rng.randint(1, 30)).capitalize() + ".")
        elif roll < 0.6:
            parts.append("#" * rng.randint(1, 3) + " " + _text(rng, rng.randint(1, 4)).title())
        else:
            parts.append(rng.choice(SNIPPETS))
    return "".join(p + rng.choice(["\n\n", "\n\n", "\n", "\n \n"]) for p in parts)


def _edit(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(0, 8)):
        i = rng.randrange(len(lines))
        roll = rng.random()
        if roll < 0.35:
            lines[i] = _mutate_words(lines[i], rng)
        elif roll < 0.5:
            lines.insert(i, rng.choice(SNIPPETS))
        elif roll < 0.6:
            del lines[i]
            lines = lines or [""]
        elif roll < 0.7:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif roll < 0.8:
            lines[i] = lines[i].replace(" ", "  ", 1) + rng.choice(["", " ", "\t"])
        elif roll < 0.9:
            lines[i:i + 1] = lines[i].split(" ", 1)  # re-wrapped
        else:
            j = rng.randrange(len(lines))
            chunk = lines[j:j + rng.randint(1, 8)]
            del lines[j:j + len(chunk)]
            k = rng.randrange(len(lines) + 1)
            lines[k:k] = chunk  # a moved run of lines
    return "\n".join(lines)


def _flatten(d: diffmod.DocumentDiff):
    def block(b):
        return None if b is None else (b.kind, b.content, b.line, b.marker, b.depth)

    def section(s):
        return None if s is None else (s.title, s.level, s.line, s.occurrence, tuple(block(b) for b in s.blocks))

    rows = [(section(r.old), section(r.new), r.moved, r.renamed, r.level_changed, r.moved_from,
             [(w.kind, w.text) for w in r.title_words],
             [(c.kind, block(c.old), block(c.new), [(w.kind, w.text) for w in c.words]) for c in r.blocks])
            for r in d.rows]
    return rows, d.meta_changes, d.words_old, d.words_new, d.words_inserted, d.words_deleted, d.identical


def _general_paths(monkeypatch) -> None:
    """Switch every shortcut off: SequenceMatcher for blocks, WordOps built
    at once by diff_words, similarity pair by pair."""
    # Each stage's module looks these up in its own namespace.
    monkeypatch.setattr(pairing, "_block_opcodes",
                        lambda a, b: SequenceMatcher(None, a, b, autojunk=False).get_opcodes())
    monkeypatch.setattr(diffmod._Alignment, "applies", staticmethod(lambda old, new: False))
    for module in (model, sections):
        monkeypatch.setattr(module, "_word_count", lambda text: len(text.split()) - text.split().count("|"))
    monkeypatch.setattr(pairing, "_pair_scorer", lambda: None)
    # Every section split and its blocks compared, also where both sides hold the same lines.
    monkeypatch.setattr(blocks, "split_pair", lambda a, b: (blocks.split_sections(a), blocks.split_sections(b)))
    monkeypatch.setattr(blocks, "same_text", lambda old, new: False)


@pytest.mark.parametrize("alphabet", ["words", "punctuated"])
def test_fast_and_general_paths_give_the_same_diff(monkeypatch, alphabet):
    if alphabet == "punctuated":  # refined runs (see test_alignment_figures_match_the_word_ops) in every stage
        monkeypatch.setattr(sys.modules[__name__], "WORDS", PUNCTUATED)
    rng = random.Random(4)
    pairs = []
    for _ in range(250):
        a = _document(rng)
        b = _edit(a, rng) if rng.random() < 0.85 else _document(rng)
        pairs += [(a, b), (b, a)]
    fast = [_flatten(diff_texts(a, b)) for a, b in pairs]
    for a, _b in pairs[:100]:
        for sec in diffmod.split_sections(a):
            assert diffmod._keys(sec.blocks) == [blk.key for blk in sec.blocks]
    _general_paths(monkeypatch)
    general = [_flatten(diff_texts(a, b)) for a, b in pairs]
    assert sum(1 for f in fast if f[4] or f[5]) > 350  # most pairs really differ
    for n, (f, g) in enumerate(zip(fast, general)):
        assert f == g, pairs[n]


def test_sections_with_the_same_lines_are_neither_split_nor_compared():
    """A section whose lines both versions hold is left as it is: its blocks
    are split (and paired, all equal) only when someone looks at them, and
    then they are the blocks an eager split gives."""
    same = "".join(f"## Part {n}\n\nThe same text, number {n}.\n\n- an item\n- another\n\n" for n in range(6))
    old = f"# Policy\n\nFirst words.\n\n{same}## Last\n\nOld ending.\n"
    new = f"# Policy\n\nFirst words, changed.\n\n## Moved up\n\nNew text.\n\n{same}## Last\n\nNew ending.\n"
    result = diff_texts(old, new)
    lazy = [r for r in result.rows if isinstance(r, model.SameRow)]
    assert [r.title for r in lazy] == [f"Part {n}" for n in range(6)]
    assert all("_blocks" not in r.__dict__ and "_blocks" not in r.old.__dict__ and "_blocks" not in r.new.__dict__
               for r in lazy)
    assert result.verdict() == "Small changes: 1 section added; 2 sections edited; 5 words inserted, 1 deleted."
    assert all("_blocks" not in r.__dict__ for r in lazy)  # the verdict and the change list look at none
    from guidelines_app.review import blame

    wanted = blame._changed_lines(result, len(new.split("\n")), 0)  # the lines "who changed it" asks git about
    assert all("_blocks" not in r.__dict__ for r in lazy)
    assert sorted(n for lines in wanted.values() for n in lines) == [2, 3, 4, 5, 6, 7, 52, 53]
    assert [c.label for c in result.changes()] == ["Policy: changed paragraph", "Moved up: added", "Last: changed paragraph"]
    eager = {s.title: s for s in diffmod.split_sections(new)}
    for r in lazy:
        assert r.new.blocks == eager[r.title].blocks and r.new == eager[r.title] and eager[r.title] == r.new
        assert [b.kind for b in r.blocks] == ["equal"] * 3 and not r.content_changed and r.blocks[0].new.line > 0
        assert r == sections.SectionChange(r.old, r.new, pairing.diff_blocks(r.old.blocks, r.new.blocks))


def test_block_opcodes_match_sequencematcher():
    rng = random.Random(7)
    checked = 0
    for _ in range(20000):
        alphabet = "ABCDEFGHIJKLMNOP"[:rng.randint(1, 16)]
        a = [rng.choice(alphabet) for _ in range(rng.randint(0, 9))]
        if rng.random() < 0.5:
            a = list(dict.fromkeys(a))  # no key twice: the unique-keys shortcut
        b = list(a)
        for _ in range(rng.randint(0, 4)):
            roll = rng.random()
            if roll < 0.3 and b:
                del b[rng.randrange(len(b))]
            elif roll < 0.6:
                b.insert(rng.randint(0, len(b)), rng.choice(alphabet + "xyz"))
            elif b:
                b[rng.randrange(len(b))] = rng.choice(alphabet + "xyz")  # same length: the in-place shortcut
        expected = [tuple(op) for op in SequenceMatcher(None, a, b, autojunk=False).get_opcodes()]
        assert [tuple(op) for op in diffmod._block_opcodes(a, b)] == expected, (a, b)
        checked += a != b
    assert checked > 10000


def _segments_reference(opcodes):
    """The word runs by definition: the equal opcodes, and the changes
    between them merged (every word both lists share in the alignment is
    kept, however short)."""
    segs = []
    for tag, i1, i2, j1, j2 in opcodes:
        same = tag == "equal"
        if segs and segs[-1][0] == same:
            segs[-1][2], segs[-1][4] = i2, j2
        else:
            segs.append([same, i1, i2, j1, j2])
    return segs


@pytest.mark.parametrize("backend", ["rapidfuzz", "difflib"])
def test_word_runs_match_the_opcode_definition(monkeypatch, backend):
    rng = random.Random(9)
    if backend == "difflib":
        for module in (words, pairing):
            monkeypatch.setattr(module, "_Indel", None)
        opcodes = lambda a, b: SequenceMatcher(None, a, b, autojunk=False).get_opcodes()  # noqa: E731
    else:
        indel = pytest.importorskip("rapidfuzz.distance").Indel
        opcodes = lambda a, b: indel.opcodes(a, b).as_list()  # noqa: E731
    for _ in range(3000):
        a = _text(rng, rng.randint(0, 25)).split(" ")
        b = _mutate_words(" ".join(a), rng).split(" ") if rng.random() < 0.7 else _text(rng, rng.randint(0, 25)).split(" ")
        segs = diffmod._segments(a, b)
        assert [seg[:5] for seg in segs] == _segments_reference(opcodes(a, b))
        for same, i1, i2, j1, j2, refined in segs:
            if refined is None:
                continue
            # A refined run: words on both sides, its pieces their texts (and the space after, as the texts go on).
            assert not same and i1 < i2 and j1 < j2
            pieces, deleted, inserted, kept = refined
            assert "".join(t for k, t in pieces if k != "insert").rstrip(" ") == " ".join(a[i1:i2])
            assert "".join(t for k, t in pieces if k != "delete").rstrip(" ") == " ".join(b[j1:j2])
            assert 0 < deleted + inserted and deleted <= i2 - i1 and inserted <= j2 - j1
            assert kept == sum(len(t) for k, t in pieces if k == "equal")


@pytest.mark.parametrize("alphabet", [WORDS, PUNCTUATED], ids=["words", "punctuated"])
def test_alignment_figures_match_the_word_ops(alphabet):
    rng = random.Random(5)
    refined = 0
    for _ in range(3000):
        old = " ".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        new = " ".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        if rng.random() < 0.7:
            new = " ".join(w if rng.random() < 0.8 else rng.choice(alphabet) for w in _mutate_words(old, rng).split(" "))
        assert old == diffmod.normalize(old) and new == diffmod.normalize(new)
        aligned = diffmod._Alignment(old, new)
        assert aligned.segs == diffmod._segments(old.split(" ") if old else [], new.split(" ") if new else [])
        ops = diff_words(old, new)
        assert [(o.kind, o.text) for o in aligned.ops()] == [(o.kind, o.text) for o in ops]
        assert aligned.equal_chars == sum(len(o.text) for o in ops if o.kind == "equal")
        # A word counts once, changed in whole or in part; whole words changed count as before.
        assert (aligned.inserted, aligned.deleted) == diffmod.changed_words(ops)
        if not any(seg[5] for seg in aligned.segs):
            assert aligned.inserted == sum(diffmod._word_count(o.text) for o in ops if o.kind == "insert")
            assert aligned.deleted == sum(diffmod._word_count(o.text) for o in ops if o.kind == "delete")
        assert "".join(o.text for o in ops if o.kind != "insert") == old
        assert "".join(o.text for o in ops if o.kind != "delete") == new
        assert all(o.text for o in ops) and all(x.kind != y.kind for x, y in zip(ops, ops[1:]))
        refined += any(seg[5] for seg in aligned.segs)
    assert refined > 300 if alphabet is PUNCTUATED else refined == 0


def test_trimmed_alignment_matches_the_whole_lists():
    # _Alignment sets the words both texts share at either end aside (found
    # from their characters) and aligns only the middles; the runs, kept
    # characters and word counts must be those of aligning the whole lists.
    # Few distinct words (and words that are prefixes of others) make many
    # equally long alignments; 100 words spans several 64-bit blocks.
    rng = random.Random(12)
    alphabet = ["a", "b", "ab", "ba", "aa", "a.", "|", "x", "longerwordhere"]
    for _ in range(20000):
        words = alphabet[:rng.randint(1, len(alphabet))]
        a = [rng.choice(words) for _ in range(rng.choice([0, 1, 2, 3, 5, 10, 40, 100]))]
        b = list(a)
        for _ in range(rng.randint(0, 6)):
            roll = rng.random()
            if roll < 0.3 and b:
                b[rng.randrange(len(b))] = rng.choice(words + ["z"])
            elif roll < 0.6:
                b.insert(rng.randint(0, len(b)), rng.choice(words + ["z"]))
            elif b:
                del b[rng.randrange(len(b))]
        if rng.random() < 0.5:
            a, b = b, a
        aligned = diffmod._Alignment(" ".join(a), " ".join(b))
        segs, equal, deleted, inserted = diffmod._align(a, b)
        assert (aligned.segs, aligned.equal_chars, aligned.inserted, aligned.deleted) == (segs, equal, inserted, deleted), (a, b)


def test_word_ops_are_built_on_first_use_and_kept():
    d = diff_texts("# T\n\nGive 500 mg twice a day to staff.\n", "# T\n\nGive 1 g twice a day to staff.\n")
    change = next(b for r in d.rows for b in r.blocks if b.kind == "changed")
    assert (d.words_inserted, d.words_deleted) == (2, 2)
    assert change._aligned is not None  # not built yet
    words = change.words
    assert [(o.kind, o.text) for o in words] == [("equal", "Give "), ("delete", "500 mg "), ("insert", "1 g "),
                                                 ("equal", "twice a day to staff.")]
    assert change.words is words and change._aligned is None
    other = diffmod.BlockChange("changed", change.old, change.new, list(words))
    assert other == change and "500 mg" in repr(change)


def test_all_pairs_scores_match_pair_by_pair(monkeypatch):
    pytest.importorskip("numpy")
    monkeypatch.setattr(pairing, "ALL_PAIRS_FROM", 0)  # small runs too, to compare them
    rng = random.Random(3)
    for _ in range(200):
        olds = [diffmod.Block("paragraph", _text(rng, rng.randint(0, 20)), i) for i in range(rng.randint(1, 6))]
        news = [diffmod.Block("paragraph", _mutate_words(o.content, rng), i) for i, o in enumerate(olds)]
        news += [diffmod.Block("item", _text(rng, rng.randint(1, 8)), 9) for _ in range(rng.randint(0, 3))]
        rng.shuffle(news)
        ow, nw = [o.content.split() for o in olds], [n.content.split() for n in news]
        assert diffmod._pair_scorer() is not None
        together = diffmod._paired_scores(olds, news, ow, nw)
        with monkeypatch.context() as m:
            m.setattr(pairing, "_pair_scorer", lambda: None)
            one_by_one = diffmod._paired_scores(olds, news, ow, nw)
        expected = [(diffmod._similarity(o.content, n.content), i, j) for i, o in enumerate(olds)
                    for j, n in enumerate(news) if diffmod._similarity(o.content, n.content) >= diffmod.PAIR_THRESHOLD]
        assert together == one_by_one == expected


@pytest.mark.parametrize("line", ["plain words here", "  leading", "trailing  ", "double  space", "tab\there",
                                  "nbsp\u00a0here", "em\u2003space", "sep\x1fchar", "ok [link](http://x) 東京", "x"])
def test_one_line_blocks_are_normalised_like_longer_ones(line):
    expected = " ".join(line.split())
    for lines in ([line, ""], [line], ["- " + line, ""], ["- " + line, "- next"], ["x", "", line, "- item"]):
        contents = [b.content for b in split_blocks(lines)]
        assert expected in contents, (lines, contents)
        assert all(c == " ".join(c.split()) for c in contents)


def test_diff_leaves_the_garbage_collector_as_it_was():
    # (A window moves collection to the UI thread and turns it off: put
    # back whatever state the test found.)
    found = gc.isenabled()
    try:
        gc.enable()
        diff_texts("# A\n\nOne two.\n", "# A\n\nOne three.\n")
        assert gc.isenabled()
        gc.disable()
        diff_texts("# A\n\nOne two.\n", "# A\n\nOne three.\n")
        assert not gc.isenabled()
    finally:
        (gc.enable if found else gc.disable)()


# ---------------------------------------------------------------------------
# History: one git call for the log, one round trip for a file's content
# ---------------------------------------------------------------------------


def _commit(root, relpath, text, message, env):
    (root / relpath).write_text(text, encoding="utf-8")
    subprocess.run(["git", "add", relpath], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, check=True, env=env)


def test_fast_log_and_read_match_the_plain_ones(workspace, author, monkeypatch):
    import os

    from guidelines_app.core.document import Document

    doc = Document.new("Social media guidelines")
    slug, _ = workspace.create_document(doc, author)
    relpath = workspace.relpath(slug)
    root = workspace.root
    env = dict(os.environ, GIT_AUTHOR_NAME="Zoë Ünal", GIT_AUTHOR_EMAIL="z@example.org",
               GIT_COMMITTER_NAME="Zoë Ünal", GIT_COMMITTER_EMAIL="z@example.org")
    base = (root / relpath).read_text(encoding="utf-8")
    for n in range(6):
        _commit(root, relpath, base + f"\nEdit {n} café\n", f"Edit {n}: naïve\n\nBody line\nStatus: review", env)
    history.publish(workspace, slug, "First approved version", "A. Person", author)
    _commit(root, relpath, base + "\nAfter publishing\n", "Late edit", env)
    store = workspace.store
    assert store.log_with_tags_fast(relpath, slug) == store.log_with_tags(relpath, slug)
    tagged = [tags for _rev, tags in store.log_with_tags_fast(relpath, slug) if tags]
    assert tagged == [[f"{slug}/v1.0"]]
    entries = history.history(workspace, slug)
    assert [e.versions for e in entries if e.versions] == [["1.0"]]
    assert entries[0].status == "approved" and entries[-1].status == ""

    # A message holding the field separator still lists right (plain path).
    _commit(root, relpath, base + "\nOdd\n", "Odd \x1f message", env)
    assert store.log_with_tags_fast(relpath, slug) == store.log_with_tags(relpath, slug)

    for rev, _tags in store.log_with_tags(relpath, slug):
        assert store.read_fast(relpath, rev.sha) == store.read(relpath, rev.sha)
    first = store.log(relpath)[-1].sha
    with pytest.raises(Exception) as plain:
        store.read("guidelines/missing.md", first)
    with pytest.raises(type(plain.value)) as fast:
        store.read_fast("guidelines/missing.md", first)
    assert str(fast.value) == str(plain.value)


def _reference_block(line: str):
    """(kind, content, marker, depth) of a one-line item or table row by the
    regex definitions that split_blocks' shortcuts stand in for."""
    stripped = line.strip()
    m = diffmod._ITEM_RE.match(line)
    if m:
        return "item", diffmod.normalize(line[m.end():]), m.group(2), len(m.group(1).expandtabs(4)) // 2
    content = diffmod.normalize(stripped.strip("|"))
    if diffmod._RULE_ROW_RE.match(stripped):
        return "rule", content, "", 0
    return "row", diffmod.normalize(diffmod._PIPE_RE.sub(" | ", content)), "", 0


def test_item_and_row_shortcuts_match_the_regexes():
    # "- text" bullets are read without _ITEM_RE, and rows whose "|" all have
    # a space either side skip _PIPE_RE: the same blocks either way.
    rng = random.Random(21)
    spaces = ["", " ", "  ", "\t", "   ", "\u3000", "\xa0"]
    for _ in range(5000):
        if rng.random() < 0.6:
            text = _text(rng, rng.randint(0, 6))
            line = rng.choice(spaces) * rng.randint(0, 2) + rng.choice("-*+") + rng.choice(spaces) + text
            line += rng.choice(["", " ", "\t"])
        else:
            cells = [rng.choice(["", " ", "  "]) + _text(rng, rng.randint(0, 2)) + rng.choice(["", " "])
                     for _ in range(rng.randint(1, 4))]
            line = rng.choice(["", " "]) + "|" + "|".join(cells) + rng.choice(["|", "", "||"])
        if not line.strip() or not (diffmod._ITEM_RE.match(line) or line.strip()[:1] == "|"):
            continue
        blocks = split_blocks([line, ""])
        kind, content, marker, depth = _reference_block(line)
        if not content and kind != "item":
            assert blocks == [], line
            continue
        assert [(b.kind, b.content, b.marker, b.depth) for b in blocks] == [(kind, content, marker, depth)], line


def test_plain_bodies_split_as_with_the_printable_check():
    rng = random.Random(22)
    checked = 0
    for _ in range(300):
        text = _edit(_document(rng), rng)
        # The ASCII version (tabs as double spaces) is plain most of the time.
        for body in (text, text.encode("ascii", "ignore").decode().replace("\t", "  ")):
            lines = body.split("\n")
            plain = diffmod._plain_spaces(body)
            assert plain == (body.isascii() and all(c == " " or not c.isspace() for c in body.replace("\n", "")))
            if plain:
                assert split_blocks(lines, 0, True) == split_blocks(lines, 0, False), body
                checked += 1
    assert checked > 250
    assert not diffmod._plain_spaces("a\tb") and not diffmod._plain_spaces("a\x1fb") and not diffmod._plain_spaces("caf\xe9")
    assert diffmod._plain_spaces("a b\nc")


@pytest.mark.parametrize("new_front", ["same", "changed", "crlf", "bom", "none", "unclosed_newline"])
def test_shared_details_block_is_read_once_with_the_same_result(new_front):
    from guidelines_app.core.document import Document

    front = "---\ntitle: Policy\nversion: '1.0'\n---\n"
    old = front + "# A\n\nOne two.\n"
    body = "# A\n\nOne three.\n"
    new = {"same": front + body, "changed": front.replace("1.0", "1.1") + body,
           "crlf": (front + body).replace("\n", "\r\n"), "bom": "\ufeff" + front + body, "none": body,
           "unclosed_newline": front[:-1] + body}[new_front]
    d = diff_texts(old, new)
    old_doc = Document.parse(old)
    try:
        new_doc = Document.parse(new)
    except Exception:
        return  # a broken details block: the plain path compares the raw texts
    assert (d.old_body, d.new_body) == (old_doc.body, new_doc.body)
    expected = [(k, old_doc.meta.get(k), new_doc.meta.get(k)) for k in dict.fromkeys([*old_doc.meta, *new_doc.meta])
                if str(old_doc.meta.get(k)) != str(new_doc.meta.get(k))]
    assert d.meta_changes == expected


def test_table_rows_are_normalised_too():
    # An empty cell ("||") must not leave a double space: the word alignment
    # takes single spaces for granted in every block but code.
    contents = [b.content for b in split_blocks(["| a || b |", "|x|  y  |\t|", ""])]
    assert contents == ["a | | b", "x | y |"]
    assert all(c == diffmod.normalize(c) for c in contents)


def _shares_a_word_part(old: str, new: str) -> bool:
    """Refining's own test, without its quick exits: the parts of the two
    sides (see words._PARTS) share one holding a word character."""
    parts = set(re.findall(words._PARTS, old)).intersection(re.findall(words._PARTS, new))
    return any(words._WORD_PART_RE.search(part) for part in parts)


@pytest.mark.parametrize("backend", ["rapidfuzz", "difflib"])
@pytest.mark.parametrize("alphabet", ["words", "punctuated"])
def test_runs_are_refined_exactly_when_they_share_a_word_part(monkeypatch, backend, alphabet):
    # The alignment loop tells most changed runs that cannot share a part
    # without a call (one all-letters word for another, punctuation after
    # different words, runs of letters and digits only), and _refined has
    # quick exits of its own: together they must decide as the full test.
    if backend == "difflib":
        for module in (words, pairing):
            monkeypatch.setattr(module, "_Indel", None)
    else:
        pytest.importorskip("rapidfuzz")
    alphabet = [*PUNCTUATED, "a_b", "owner_", "review.", "review,", "x:y", "1.5", "owner;"] if alphabet == "punctuated" else WORDS
    rng = random.Random(21)
    refined = plain = 0
    for _ in range(2000):
        old = " ".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        new = " ".join(w if rng.random() < 0.7 else rng.choice(alphabet) for w in old.split(" ")) if old else ""
        if rng.random() < 0.5:
            new = " ".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        a, b = old.split(" ") if old else [], new.split(" ") if new else []
        segs = diffmod._segments(a, b)
        for same, i1, i2, j1, j2, pieces in segs:
            if same or i1 == i2 or j1 == j2:
                continue
            shares = _shares_a_word_part(" ".join(a[i1:i2]), " ".join(b[j1:j2]))
            assert (pieces is not None) == shares, (a[i1:i2], b[j1:j2])
            refined += shares
            plain += not shares
        if old and new:  # the split words given (as the similarity pairing does) or not: the same alignment
            given = diffmod._Alignment(old, new, old.split(), new.split())
            aligned = diffmod._Alignment(old, new)
            assert (given.segs, given.equal_chars, given.inserted, given.deleted) == \
                (aligned.segs, aligned.equal_chars, aligned.inserted, aligned.deleted)
    assert plain > 1000
    assert refined > 300 if alphabet is not WORDS else refined == 0


def test_matching_blocks_of_one_word_or_none_match_the_matcher():
    for a in ([], ["x"], ["y"], [""]):
        for b in ([], ["x"], ["y"], [""]):
            expected = [tuple(m) for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()]
            assert [tuple(m) for m in words._matching_blocks(a, b)] == expected, (a, b)


def test_pairing_shortcuts_match_the_plain_pairing():
    # diff_blocks of a section's very blocks (found unchanged in place) is
    # what comparing their keys gives; _pair_blocks reuses the edits in place
    # it tried (also the one below the threshold) and the similarity pairing
    # hands its split words to the alignment: both as pairing from scratch.
    rng = random.Random(8)
    blocks = tuple(diffmod.Block("paragraph", _text(rng, 8), i) for i in range(6))
    assert pairing.diff_blocks(blocks, blocks) == pairing.diff_blocks(blocks, tuple(blocks))
    assert [c.kind for c in pairing.diff_blocks(blocks, blocks)] == ["equal"] * 6
    reused = 0
    for _ in range(300):
        olds = [diffmod.Block("paragraph", _text(rng, rng.randint(1, 15)), i) for i in range(rng.randint(1, 5))]
        news = [diffmod.Block("paragraph", _mutate_words(o.content, rng) if rng.random() < 0.6 else _text(rng, 6), i)
                for i, o in enumerate(olds)]
        if rng.random() < 0.3:
            news.insert(rng.randint(0, len(news)), diffmod.Block("paragraph", _text(rng, 5), 9))
        news = [n for n in news if n.content]
        paired = pairing._pair_blocks(olds, news)
        assert paired == pairing._pair_by_similarity(olds, news)
        assert [(c.kind, c.words) for c in paired] == [(c.kind, c.words) for c in pairing._pair_by_similarity(olds, news)]
        reused += len(olds) == len(news) and any(c.kind != "changed" for c in paired)
    assert reused > 20
