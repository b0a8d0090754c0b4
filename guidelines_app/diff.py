"""The section-aware diff: what changed between two versions of a document,
in the terms a reviewer uses.

Three levels, each small enough to stay fast on a 40,000-word policy:

1. sections are aligned by heading (``markup.scan_headings``); sections
   whose heading changed are paired by content (renamed) and sections out of
   order are reported as moved;
2. inside a pair of sections, blocks (paragraphs, list items, table rows,
   code) are aligned by their whitespace-normalised text, so re-wrapped lines
   and spacing edits are not changes;
3. only inside a changed paragraph are words compared.  Tokens keep their
   trailing whitespace, so "500 mg" -> "1 g" reads as one clean replacement.

A word-level diff never runs over the whole document (quadratic).  The
result (``DocumentDiff``) feeds the text, HTML and Word renderers in
``redline`` and the app's compare view.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .document import Document
from .errors import GuidelinesError
from .markup import scan_headings

_WS_RE = re.compile(r"\s+")
_TOKEN_RE = re.compile(r"\S+\s*")
_ITEM_RE = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])(\s+|$)")
_FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})")
_RULE_ROW_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PIPE_RE = re.compile(r"\s*\|\s*")
_SPECIAL_FIRST = frozenset("-*+0123456789|<`~")

# Below this similarity two blocks in the same place are a removal and an
# addition, not an edit of one paragraph.
PAIR_THRESHOLD = 0.3
# Sections whose headings differ are the same section renamed when this
# share of their blocks (or of the heading's words) is the same.
RENAME_THRESHOLD = 0.5
REWRITE_RATIO = 0.5


# ---------------------------------------------------------------------------
# Blocks and sections
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    kind: str  # paragraph, item, row, rule (table separator), code, html
    content: str  # whitespace-normalised text without the list marker
    line: int  # 0-based line in the body
    marker: str = ""  # "-" or "1." for list items (as written)
    depth: int = 0  # list nesting (0 = top level)

    @property
    def key(self) -> str:
        return self.content if self.kind in ("paragraph", "html") else f"{self.kind}\x00{self.content}"

    @property
    def ordered(self) -> bool:
        return self.marker[:1].isdigit()


@dataclass(frozen=True)
class SectionText:
    title: str  # "" for the text before the first heading
    level: int  # 0 for the text before the first heading
    line: int  # the heading's line (or 0)
    blocks: tuple[Block, ...]
    occurrence: int = 1

    @property
    def key(self) -> tuple[str, int]:
        return (self.title.casefold(), self.occurrence)


def normalize(text: str) -> str:
    return " ".join(text.split())


def split_blocks(lines: list[str], first_line: int = 0) -> list[Block]:
    """Blocks of a run of body lines (no headings among them)."""
    blocks: list[Block] = []
    buf: list[str] = []
    buf_kind, buf_line, buf_marker, buf_depth = "", 0, "", 0
    fence: str | None = None

    def flush() -> None:
        nonlocal buf
        if buf:
            if buf_kind == "code":
                content = "\n".join(ln.rstrip() for ln in buf).strip("\n")
            else:
                content = normalize(" ".join(buf))
            if buf_kind == "row":
                content = _PIPE_RE.sub(" | ", content).strip()
            if content or buf_kind == "item":
                blocks.append(Block(buf_kind, content, buf_line, buf_marker, buf_depth))
        buf = []

    for n, line in enumerate(lines, start=first_line):
        if fence is not None:
            buf.append(line)
            if line.strip().startswith(fence) and set(line.strip()) == {fence[0]}:
                fence = None
                flush()
            continue
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        first = stripped[0]
        if first not in _SPECIAL_FIRST:
            if not buf or buf_kind in ("html", "row", "rule"):
                flush()
                buf, buf_kind, buf_line, buf_marker, buf_depth = [], "paragraph", n, "", 0
            buf.append(line)
            continue
        m = _FENCE_RE.match(line)
        if m:
            flush()
            fence = m.group(1)
            buf, buf_kind, buf_line, buf_marker, buf_depth = [line], "code", n, "", 0
            continue
        item = _ITEM_RE.match(line)
        if item:
            flush()
            indent = len(item.group(1).expandtabs(4))
            buf, buf_kind, buf_line = [line[item.end():]], "item", n
            buf_marker, buf_depth = item.group(2), indent // 2
            continue
        if stripped.startswith("|"):
            flush()
            kind = "rule" if _RULE_ROW_RE.match(stripped) else "row"
            buf, buf_kind, buf_line, buf_marker, buf_depth = [stripped.strip("|")], kind, n, "", 0
            flush()
            continue
        if stripped.startswith("<"):
            flush()
            buf, buf_kind, buf_line, buf_marker, buf_depth = [stripped], "html", n, "", 0
            flush()
            continue
        if not buf or buf_kind in ("html", "row", "rule"):
            flush()
            buf, buf_kind, buf_line, buf_marker, buf_depth = [], "paragraph", n, "", 0
        buf.append(line)
    flush()
    return blocks


def split_sections(body: str) -> list[SectionText]:
    """The text before the first heading, then one entry per heading with
    the blocks up to the next heading of any level."""
    lines = body.split("\n")
    heads = scan_headings(lines)
    out: list[SectionText] = []
    first = heads[0][0] if heads else len(lines)
    pre = split_blocks(lines[:first], 0)
    if pre:
        out.append(SectionText("", 0, 0, tuple(pre)))
    seen: dict[str, int] = {}
    for n, (line, level, title) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        start = line + 1
        # A setext heading's underline belongs to the heading.
        if start < len(lines) and re.match(r"^ {0,3}(=+|-+)[ \t]*$", lines[start]) and lines[line].strip()[:1] != "#":
            start += 1
        key = title.casefold()
        seen[key] = seen.get(key, 0) + 1
        out.append(SectionText(title, level, line, tuple(split_blocks(lines[start:end], start)), seen[key]))
    return out


# ---------------------------------------------------------------------------
# Result structure
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WordOp:
    kind: str  # equal, insert, delete
    text: str


@dataclass
class BlockChange:
    kind: str  # equal, changed, added, removed
    old: Block | None
    new: Block | None
    words: list[WordOp] = field(default_factory=list)  # for "changed"

    @property
    def is_change(self) -> bool:
        return self.kind != "equal"

    @property
    def block(self) -> Block:
        return self.new if self.new is not None else self.old


@dataclass
class SectionChange:
    old: SectionText | None
    new: SectionText | None
    blocks: list[BlockChange] = field(default_factory=list)
    moved: bool = False
    renamed: bool = False
    level_changed: bool = False
    moved_from: bool = False  # a marker at the old place of a moved section
    title_words: list[WordOp] = field(default_factory=list)  # heading diff when renamed

    @property
    def added(self) -> bool:
        return self.old is None and not self.moved_from

    @property
    def removed(self) -> bool:
        return self.new is None and not self.moved_from

    @property
    def content_changed(self) -> bool:
        return any(b.is_change for b in self.blocks)

    @property
    def changed(self) -> bool:
        return (self.added or self.removed or self.moved or self.moved_from or self.renamed or self.level_changed
                or self.content_changed)

    @property
    def kind(self) -> str:
        if self.moved_from:
            return "moved away"
        if self.added:
            return "added"
        if self.removed:
            return "removed"
        parts = [k for k, on in (("moved", self.moved), ("renamed", self.renamed),
                                 ("changed", self.content_changed or self.level_changed)) if on]
        return " and ".join(parts) if parts else "unchanged"

    @property
    def title(self) -> str:
        sec = self.new or self.old
        return sec.title if sec else ""

    @property
    def level(self) -> int:
        sec = self.new or self.old
        return sec.level if sec else 0

    @property
    def label(self) -> str:
        if self.renamed and self.old and self.new:
            return f"{self.old.title} \u2192 {self.new.title}"
        return self.title or "(before the first heading)"


@dataclass(frozen=True)
class ChangeRef:
    """One stop for next/previous navigation."""

    index: int
    row: int
    block: int | None  # None: the section as a whole (added, removed, moved, renamed)
    label: str


@dataclass
class DocumentDiff:
    rows: list[SectionChange]
    meta_changes: list[tuple[str, object, object]]
    words_old: int = 0
    words_new: int = 0
    words_inserted: int = 0
    words_deleted: int = 0
    identical: bool = False

    @property
    def change_ratio(self) -> float:
        total = self.words_old + self.words_new
        return (self.words_inserted + self.words_deleted) / total if total else 0.0

    @property
    def has_changes(self) -> bool:
        return bool(self.meta_changes) or any(r.changed for r in self.rows)

    @property
    def formatting_only(self) -> bool:
        return not self.identical and not self.has_changes

    @property
    def is_rewrite(self) -> bool:
        return self.change_ratio >= REWRITE_RATIO

    def sections_with(self, kind: str) -> list[SectionChange]:
        return [r for r in self.rows if not r.moved_from and getattr(r, kind)]

    def changes(self) -> list[ChangeRef]:
        refs: list[ChangeRef] = []
        for i, row in enumerate(self.rows):
            whole = row.added or row.removed or row.moved_from
            if whole or row.moved or row.renamed or row.level_changed:
                refs.append(ChangeRef(len(refs), i, None, f"{row.label}: {row.kind}"))
            if whole:
                continue
            for j, b in enumerate(row.blocks):
                if b.is_change and b.block.kind != "rule":
                    refs.append(ChangeRef(len(refs), i, j, f"{row.label}: {b.kind} {b.block.kind if b.block.kind != 'row' else 'table row'}"))
        return refs

    def verdict(self) -> str:
        """One line for a reviewer: how big is this change?"""
        if self.identical:
            return "No changes."
        if self.formatting_only:
            return "Formatting only: line wrapping or spacing changed, the text did not."
        counts = []
        for kind in ("added", "removed", "moved", "renamed"):
            n = len(self.sections_with(kind))
            if n:
                counts.append(f"{n} section{'s' if n != 1 else ''} {kind}")
        edited = sum(1 for r in self.rows if not r.moved_from and not r.added and not r.removed and r.content_changed)
        if edited:
            counts.append(f"{edited} section{'s' if edited != 1 else ''} edited")
        if self.meta_changes:
            counts.append("details: " + ", ".join(k.replace("_", " ") for k, _, _ in self.meta_changes))
        words = f"{self.words_inserted} words inserted, {self.words_deleted} deleted"
        size = "Rewrite" if self.is_rewrite else ("Substantial changes" if self.change_ratio >= 0.1 else "Small changes")
        return f"{size}: " + "; ".join(counts + [words]) + "."


# ---------------------------------------------------------------------------
# Diffing
# ---------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


try:  # C++ LCS: ~20x faster than difflib on paragraph-sized token lists
    from rapidfuzz.distance import Indel as _Indel
except ImportError:  # pragma: no cover - difflib gives the same kind of result
    _Indel = None


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    if _Indel is not None:
        return [tuple(op) for op in _Indel.opcodes(a, b)]
    return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _segments(a: list[str], b: list[str]) -> list[list]:
    """[same?, i1, i2, j1, j2] runs; tiny common words stranded between two
    changes ("the", "a") are folded into the change so it reads as one."""
    segs: list[list] = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        same = tag == "equal"
        if segs and segs[-1][0] == same:
            segs[-1][2], segs[-1][4] = i2, j2
        else:
            segs.append([same, i1, i2, j1, j2])
    n = 1
    while n < len(segs) - 1:
        same, i1, i2, j1, j2 = segs[n]
        if same and i2 - i1 <= 2 and sum(len(t) for t in a[i1:i2]) <= 12:
            prev, nxt = segs[n - 1], segs[n + 1]
            prev[2], prev[4] = nxt[2], nxt[4]
            del segs[n:n + 2]
            continue
        n += 1
    return segs


def diff_words(old: str, new: str) -> list[WordOp]:
    """Word-level diff of two (short) texts; tokens keep trailing spaces."""
    ops: list[WordOp] = []

    def emit(kind: str, text: str) -> None:
        if not text:
            return
        if ops and ops[-1].kind == kind:
            ops[-1] = WordOp(kind, ops[-1].text + text)
        else:
            ops.append(WordOp(kind, text))

    if "\n" in old or "\n" in new or "  " in old or "  " in new or old != old.strip() or new != new.strip():
        a, b = tokens(old), tokens(new)
        for same, i1, i2, j1, j2 in _segments([t.rstrip() for t in a], [t.rstrip() for t in b]):
            if same:
                for x, y in zip(a[i1:i2], b[j1:j2]):
                    stem = y.rstrip()
                    emit("equal", stem)
                    if x != y:  # same word, different spacing after it
                        emit("delete", x[len(stem):])
                    emit("insert" if x != y else "equal", y[len(stem):])
            else:
                emit("delete", "".join(a[i1:i2]))
                emit("insert", "".join(b[j1:j2]))
        return ops
    # Normalised text (single spaces): words are split(" ") and a run's text
    # is its words joined, plus a space unless it ends the paragraph.
    a, b = old.split(" ") if old else [], new.split(" ") if new else []
    na, nb = len(a), len(b)
    for same, i1, i2, j1, j2 in _segments(a, b):
        old_tail = " " if i2 < na else ""
        new_tail = " " if j2 < nb else ""
        if same:
            emit("equal", " ".join(b[j1:j2]))
            if old_tail == new_tail:
                emit("equal", new_tail)
            else:
                emit("delete", old_tail)
                emit("insert", new_tail)
        else:
            if i2 > i1:
                emit("delete", " ".join(a[i1:i2]) + old_tail)
            if j2 > j1:
                emit("insert", " ".join(b[j1:j2]) + new_tail)
    return ops


def _similarity(a: str, b: str) -> float:
    """Share of words in common (0..1)."""
    if _Indel is not None:
        return _Indel.normalized_similarity(a.split(), b.split())
    ta, tb = a.split(), b.split()
    if not ta or not tb:
        return 1.0 if ta == tb else 0.0
    sa, sb = set(ta), set(tb)
    return len(sa & sb) / max(len(sa), len(sb))


def _pair_blocks(olds: list[Block], news: list[Block]) -> list[BlockChange]:
    """Pair the blocks of a replaced run: similar ones are edits, the rest
    additions and removals, in document order."""
    if len(olds) == len(news):
        # The usual case: each paragraph edited in place.  The word diff
        # itself tells whether the two are still the same paragraph.
        edits = []
        for o, n in zip(olds, news):
            words = diff_words(o.content, n.content)
            same = sum(len(op.text) for op in words if op.kind == "equal")
            if same < PAIR_THRESHOLD * max(len(o.content), len(n.content)):
                break
            edits.append(BlockChange("changed", o, n, words))
        else:
            return edits
    if len(olds) * len(news) > 2500:  # huge rewrite of one run: keep it linear
        pairs = {}
    else:
        scored = sorted(((_similarity(o.content, n.content), i, j) for i, o in enumerate(olds) for j, n in enumerate(news)),
                        reverse=True)
        pairs, used_new = {}, set()
        for score, i, j in scored:
            if score < PAIR_THRESHOLD:
                break
            if i in pairs or j in used_new:
                continue
            pairs[i] = j
            used_new.add(j)
        # Keep pairs in order (no crossing), so the result reads top to bottom.
        kept, last = {}, -1
        for i in sorted(pairs):
            if pairs[i] > last:
                kept[i], last = pairs[i], pairs[i]
        pairs = kept
    out: list[BlockChange] = []
    j = 0
    for i, old in enumerate(olds):
        if i in pairs:
            while j < pairs[i]:
                out.append(BlockChange("added", None, news[j]))
                j += 1
            new = news[j]
            out.append(BlockChange("changed", old, new, diff_words(old.content, new.content)))
            j += 1
        else:
            out.append(BlockChange("removed", old, None))
    while j < len(news):
        out.append(BlockChange("added", None, news[j]))
        j += 1
    return out


def diff_blocks(olds: tuple[Block, ...], news: tuple[Block, ...]) -> list[BlockChange]:
    a, b = [x.key for x in olds], [x.key for x in news]
    if a == b:
        return [BlockChange("equal", o, n) for o, n in zip(olds, news)]
    out: list[BlockChange] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(BlockChange("equal", o, n) for o, n in zip(olds[i1:i2], news[j1:j2]))
        elif tag == "delete":
            out.extend(BlockChange("removed", o, None) for o in olds[i1:i2])
        elif tag == "insert":
            out.extend(BlockChange("added", None, n) for n in news[j1:j2])
        else:
            out.extend(_pair_blocks(list(olds[i1:i2]), list(news[j1:j2])))
    return out


def _longest_increasing(seq: list[int]) -> set[int]:
    """Positions in *seq* of one longest strictly increasing subsequence."""
    tails: list[int] = []
    tail_pos: list[int] = []
    prev = [-1] * len(seq)
    for pos, value in enumerate(seq):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_pos.append(pos)
        else:
            tails[k], tail_pos[k] = value, pos
        prev[pos] = tail_pos[k - 1] if k else -1
    keep: set[int] = set()
    pos = tail_pos[-1] if tail_pos else -1
    while pos != -1:
        keep.add(pos)
        pos = prev[pos]
    return keep


def _match_sections(old: list[SectionText], new: list[SectionText]) -> dict[int, int]:
    """old index -> new index."""
    new_by_key = {s.key: j for j, s in enumerate(new)}
    match = {i: new_by_key[s.key] for i, s in enumerate(old) if s.key in new_by_key}
    used = set(match.values())
    rest_old = [i for i in range(len(old)) if i not in match]
    rest_new = [j for j in range(len(new)) if j not in used]
    if not rest_old or not rest_new:
        return match
    # Renamed sections: same blocks (found through an index, not all pairs),
    # or for short sections a similar heading at the same level.
    index: dict[str, list[int]] = {}
    for j in rest_new:
        for key in {b.key for b in new[j].blocks}:
            index.setdefault(key, []).append(j)
    candidates = []
    for i in rest_old:
        keys = {b.key for b in old[i].blocks}
        shared: dict[int, int] = {}
        for key in keys:
            for j in index.get(key, ()):
                shared[j] = shared.get(j, 0) + 1
        for j, n in shared.items():
            score = n / max(len(keys), len({b.key for b in new[j].blocks}))
            if score >= RENAME_THRESHOLD:
                candidates.append((score + 1.0, i, j))
        if len(rest_new) <= 200:
            old_text = " ".join(b.content for b in old[i].blocks)
            for j in rest_new:
                if j in shared:
                    continue
                title = _similarity(old[i].title.casefold(), new[j].title.casefold())
                if old[i].level != new[j].level:
                    title -= 0.3  # a new level and a new heading: only if nearly the same words
                new_text = " ".join(b.content for b in new[j].blocks)
                content = 1.0 if not old_text and not new_text else _similarity(old_text, new_text)
                if (title >= RENAME_THRESHOLD and content >= RENAME_THRESHOLD) or (title >= 0.2 and content >= 0.8):
                    candidates.append((title * content, i, j))
    for _score, i, j in sorted(candidates, reverse=True):
        if i not in match and j not in used:
            match[i] = j
            used.add(j)
    # One unmatched section on each side between the same two neighbours,
    # with much of its text kept: the heading was rewritten.
    gaps_old: dict[int, list[int]] = {}
    gaps_new: dict[int, list[int]] = {}
    anchor = -1
    for i in range(len(old)):
        if i in match:
            anchor = match[i]
        else:
            gaps_old.setdefault(anchor, []).append(i)
    anchor = -1
    by_new = {j: i for i, j in match.items()}
    for j in range(len(new)):
        if j in by_new:
            anchor = j
        else:
            gaps_new.setdefault(anchor, []).append(j)
    for anchor, olds in gaps_old.items():
        news = gaps_new.get(anchor, [])
        if not news or len(olds) * len(news) > 100:
            continue
        scored = []
        for i in olds:
            a = " ".join(b.content for b in old[i].blocks)
            for j in news:
                b = " ".join(x.content for x in new[j].blocks)
                if a and b and old[i].level == new[j].level:
                    scored.append((_similarity(a, b), i, j))
        taken: set[int] = set()
        for score, i, j in sorted(scored, reverse=True):
            if score >= 0.4 and i not in match and j not in taken:
                match[i] = j
                taken.add(j)
    return match


def diff_bodies(old_body: str, new_body: str) -> list[SectionChange]:
    old, new = split_sections(old_body), split_sections(new_body)
    match = _match_sections(old, new)
    by_new = {j: i for i, j in match.items()}
    # Sections whose order relative to the others changed are "moved".
    matched_new = sorted(by_new)
    stable_pos = _longest_increasing([by_new[j] for j in matched_new])
    moved_new = {j for pos, j in enumerate(matched_new) if pos not in stable_pos}

    # Removed (and moved-away) sections are shown after the nearest earlier
    # old section that stayed in place.
    after: dict[int, list[SectionChange]] = {}
    last_anchor = -1
    for i, sec in enumerate(old):
        j = match.get(i)
        if j is not None and j not in moved_new:
            last_anchor = j
            continue
        if j is None:
            after.setdefault(last_anchor, []).append(SectionChange(sec, None, [BlockChange("removed", b, None) for b in sec.blocks]))
        else:
            after.setdefault(last_anchor, []).append(SectionChange(sec, None, moved_from=True))
    rows: list[SectionChange] = list(after.get(-1, []))
    for j, sec in enumerate(new):
        i = by_new.get(j)
        if i is None:
            rows.append(SectionChange(None, sec, [BlockChange("added", None, b) for b in sec.blocks]))
        else:
            o = old[i]
            row = SectionChange(o, sec, diff_blocks(o.blocks, sec.blocks), moved=j in moved_new,
                                renamed=o.title != sec.title, level_changed=o.level != sec.level)
            if row.renamed:
                row.title_words = diff_words(o.title, sec.title)
            rows.append(row)
        rows.extend(after.get(j, []))
    return rows


def _word_count(text: str) -> int:
    return sum(1 for t in text.split() if t != "|")


def diff_texts(old_text: str, new_text: str) -> DocumentDiff:
    """Compare two whole documents (details block and body)."""
    if old_text == new_text:
        identical = True
    else:
        identical = False
    try:
        old_doc, new_doc = Document.parse(old_text), Document.parse(new_text)
        old_body, new_body = old_doc.body, new_doc.body
        keys = list(dict.fromkeys(list(old_doc.meta) + list(new_doc.meta)))
        meta = [(k, old_doc.meta.get(k), new_doc.meta.get(k)) for k in keys
                if str(old_doc.meta.get(k)) != str(new_doc.meta.get(k))]
    except GuidelinesError:
        old_body, new_body, meta = old_text, new_text, []
    rows = diff_bodies(old_body, new_body)
    result = DocumentDiff(rows, meta, identical=identical)
    result.words_old, result.words_new = _word_count(old_body), _word_count(new_body)
    for row in rows:
        if row.moved_from:
            continue
        for b in row.blocks:
            if b.kind == "equal":
                continue
            if b.kind == "added":
                result.words_inserted += _word_count(b.new.content)
            elif b.kind == "removed":
                result.words_deleted += _word_count(b.old.content)
            elif b.kind == "changed":
                for op in b.words:
                    if op.kind == "insert":
                        result.words_inserted += _word_count(op.text)
                    elif op.kind == "delete":
                        result.words_deleted += _word_count(op.text)
    return result


def diff_revisions(ws, slug: str, rev_a: str, rev_b: str | None = None) -> DocumentDiff:
    """Compare two revisions of a document as typed by a user; *rev_b* None
    (or ``history.WORKING``) is the file on disk."""
    from . import history

    old = history.text_at(ws, slug, rev_a)
    new = history.text_at(ws, slug, rev_b or history.WORKING)
    return diff_texts(old, new)
