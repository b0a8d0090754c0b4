"""Readability: Flesch-Kincaid grade per section (syllables from pyphen's
hyphenation dictionaries, which work offline), sentences over a length,
and paragraphs where most sentences are passive.  The figures go beside the
target the owner sets (the rule's ``params``, or ``readability_target`` in
the document's details)."""

from __future__ import annotations

import functools
import re

from guidelines_app.review.check.model import CheckContext, Finding, Rule, sentences

DEFAULT_TARGET = 10.0
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_PASSIVE_RE = re.compile(r"\b(?:is|are|was|were|be|been|being|get|gets|got)\s+(?:\w+ly\s+)?"
                         r"(?:\w+ed|\w+en|made|done|kept|given|taken|sent|shown|known|held|told|left|set|put|read|paid|built|"
                         r"bought|brought|found|run|sold|won|seen|written)\b", re.IGNORECASE)
_NOT_PARTICIPLES = {"open", "often", "even", "seven", "eleven", "kitchen", "garden", "children", "listen", "need", "feed", "seed",
                    "speed", "bed", "red", "shed", "wed", "hundred", "sacred", "naked", "wicked", "ten", "then", "when", "hen"}


@functools.cache
def _dictionary():
    import pyphen

    return pyphen.Pyphen(lang="en_US", left=1, right=1)


@functools.lru_cache(maxsize=20000)
def syllables(word: str) -> int:
    """Syllables of an English word: the hyphenation points pyphen finds
    (with one-letter ends allowed), at least one per word."""
    word = word.lower().strip("'’-")
    if not word:
        return 0
    parts = [p for p in _dictionary().inserted(word).split("-") if p]
    count = sum(1 for p in parts if re.search(r"[aeiouy]", p))
    if word.endswith("le") and len(word) > 2 and word[-3] not in "aeiouy" and len(parts) > 0 and not parts[-1].endswith("le"):
        count += 1  # 'table', 'simple': pyphen keeps the final 'ble'/'ple' with the syllable before
    return max(1, count)


def grade(words: int, sentence_count: int, syllable_count: int) -> float:
    """The Flesch-Kincaid grade level."""
    if not words or not sentence_count:
        return 0.0
    return round(0.39 * words / sentence_count + 11.8 * syllable_count / words - 15.59, 1)


def _target(ctx: CheckContext, rule: Rule) -> float:
    value = ctx.doc.meta.get("readability_target", rule.params.get("target", DEFAULT_TARGET))
    try:
        return float(value)
    except (TypeError, ValueError):
        return DEFAULT_TARGET


def _section_texts(ctx: CheckContext):
    """(title, first line, [sentence texts]) for the text of each section
    up to its first subsection (and the text before the first heading)."""
    view = ctx.view
    starts = sorted({s.line for s in view.sections})
    bounds = [(-1, "")] + [(s.line, s.title) for s in view.sections]
    for n, (line, title) in enumerate(bounds):
        nxt = next((s for s in starts if s > line), len(view.lines))
        paras = [p for p in view.paragraphs if line < p.first < nxt and p.kind in ("prose", "list")]
        spans = [p.text[a:b] for p in paras for a, b in sentences(p.text)]
        if spans:
            yield title, max(line, 0) if n else paras[0].first, spans


def grade_level(ctx: CheckContext, rule: Rule) -> list[Finding]:
    target = _target(ctx, rule)
    min_words = int(rule.params.get("min_words", 60))
    found, totals, per_section = [], [0, 0, 0], []
    for title, line, spans in _section_texts(ctx):
        words = [w for s in spans for w in _WORD_RE.findall(s)]
        counted = [len(words), len(spans), sum(syllables(w) for w in words)]
        totals = [a + b for a, b in zip(totals, counted)]
        level = grade(*counted)
        per_section.append({"section": title, "line": line + 1, "words": counted[0], "grade": level})
        if counted[0] >= min_words and level > target:
            found.append(ctx.finding(rule, line, title, title=f"Grade level {level:g} (target {target:g})",
                                     section=title or ctx.view.section_title(line)))
    ctx.figures.update(target=target, grade=grade(*totals), words=totals[0], sentences=totals[1],
                       words_per_sentence=round(totals[0] / totals[1], 1) if totals[1] else 0.0, sections=per_section)
    return found


def long_sentences(ctx: CheckContext, rule: Rule) -> list[Finding]:
    limit = int(rule.params.get("max_words", 35))
    found = []
    for para in ctx.view.paragraphs:
        if para.kind in ("table", "heading"):
            continue
        for a, b in sentences(para.text):
            count = len(_WORD_RE.findall(para.text[a:b]))
            if count > limit:
                text = para.text[a:b].strip()
                line, col = para.locate(a + len(para.text[a:b]) - len(para.text[a:b].lstrip()))
                found.append(ctx.finding(rule, line, " ".join(text.split()[:8]), col, col,
                                         title=f"A sentence of {count} words (more than {limit})"))
    return found


def passive_paragraphs(ctx: CheckContext, rule: Rule) -> list[Finding]:
    share = float(rule.params.get("share", 0.5))
    least = int(rule.params.get("min_sentences", 3))
    found = []
    for para in ctx.view.paragraphs:
        if para.kind != "prose":
            continue
        spans = sentences(para.text)
        if len(spans) < least:
            continue
        passive = sum(1 for a, b in spans if any(m.group(0).split()[-1].lower() not in _NOT_PARTICIPLES
                                                 for m in _PASSIVE_RE.finditer(para.text[a:b])))
        if passive / len(spans) > share:
            found.append(ctx.finding(rule, para.first, " ".join(para.text.split()[:8]),
                                     title=f"{passive} of {len(spans)} sentences are passive: say who does what"))
    return found
