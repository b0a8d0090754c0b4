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
   trailing whitespace, so "500 mg" -> "1 g" reads as one clean replacement;
   words both versions share stay unchanged, also when only punctuation
   next to them changed ("owner." -> "owner and Legal.").

A word-level diff never runs over the whole document (quadratic).  The
result (``DocumentDiff``) feeds the text, HTML and Word renderers in
``redline`` and the app's compare view.

The stages, one module each: ``blocks`` (sections and blocks of a body),
``pairing`` (blocks of two sections paired), ``words`` (word alignment of a
changed block), ``sections`` (sections matched; the entry points) and
``model`` (the result).  Their public names are importable from here, each
stage loaded on first use: a comparison whose bodies are the same (only
the details changed) loads neither the splitter nor the pairing.
"""

import importlib

# The stage module that holds each name.
_STAGES = {
    "blocks": ('_ITEM_RE', '_PIPE_RE', '_RULE_ROW_RE', 'Block', 'SectionText', '_plain_spaces', 'normalize', 'split_blocks', 'split_sections'),
    "model": ('REWRITE_RATIO', 'BlockChange', 'ChangeRef', 'DocumentDiff', 'SectionChange', 'WordOp', '_word_count'),
    "pairing": ('PAIR_THRESHOLD', '_block_opcodes', '_keys', '_pair_scorer', '_paired_scores', 'diff_blocks'),
    "sections": ('RENAME_THRESHOLD', 'diff_bodies', 'diff_revisions', 'diff_texts'),
    "words": ('_align', '_Alignment', '_segments', '_similarity', 'changed_words', 'diff_words', 'tokens'),
}
_HOME = {name: stage for stage, found in _STAGES.items() for name in found}


def __getattr__(name: str):
    stage = _HOME.get(name)
    if stage is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{stage}"), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))


__all__ = [
    "PAIR_THRESHOLD", "RENAME_THRESHOLD", "REWRITE_RATIO",
    "Block", "BlockChange", "ChangeRef", "DocumentDiff", "SectionChange", "SectionText", "WordOp",
    "changed_words", "diff_blocks", "diff_bodies", "diff_revisions", "diff_texts", "diff_words",
    "normalize", "split_blocks", "split_sections", "tokens",
    # The stages' internals that the tests of the fast paths compare.
    "_ITEM_RE", "_PIPE_RE", "_RULE_ROW_RE", "_Alignment", "_align", "_block_opcodes", "_keys",
    "_pair_scorer", "_paired_scores", "_plain_spaces", "_segments", "_similarity", "_word_count",
]
