"""The named built-in checks a rules file may call (``builtin: <name>``)."""

from __future__ import annotations

from guidelines_app.review.check import consistency, coverage, housekeeping, readability, seams

BUILTINS = {
    "markers": seams.markers,
    "number-unit": seams.number_unit,
    "reversed-range": seams.reversed_range,
    "lowercase-start": seams.lowercase_start,
    "repeated-word": seams.repeated_word,
    "empty-cells": seams.empty_cells,
    "template-syntax": seams.template_syntax,
    "workspace-consistency": consistency.workspace_consistency,
    "clause-topics": coverage.clause_topics,
    "who-how-when-where": coverage.who_how_when_where,
    "grade-level": readability.grade_level,
    "long-sentences": readability.long_sentences,
    "passive-paragraphs": readability.passive_paragraphs,
    "review-date": housekeeping.review_date,
    "review-cadence": housekeeping.review_cadence,
    "links": housekeeping.links,
}
