"""The policy check: what a careful reviewer would flag in a document,
section by section (legal risk, open items and seams, consistency across
the workspace, coverage, readability, housekeeping).

Rules are data (``check.rules``: YAML in the template library and in the
workspace); this package runs them (``check.engine``) with the built-in
checks (``check.builtins``).  Qt-free: the Check panel and
``guidelines check`` are adapters over ``check_document``.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import time

from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.review.check.engine import DISMISSED_KEY, CheckResult, check_text, dismiss, dismissals
from guidelines_app.review.check.model import CATEGORIES, SEVERITIES, Finding, Rule, severity_rank
from guidelines_app.review.check.rules import RulesError, load_rules

__all__ = ["CATEGORIES", "DISMISSED_KEY", "SEVERITIES", "CheckResult", "Finding", "Rule", "RulesError", "check_document",
           "check_text", "dismiss", "dismissals", "load_rules", "other_documents", "severity_rank"]


def other_documents(ws, slug: str) -> dict[str, Document]:
    """The workspace's other readable documents (for the consistency check)."""
    found = {}
    for info in ws.documents():
        if info.slug == slug or info.error:
            continue
        try:
            found[info.slug] = ws.load(info.slug)
        except GuidelinesError:
            continue
    return found


# The last answer, kept a short while for publishing, which checks the text
# when its dialog opens and again as it publishes (seconds each for a long
# policy).  Its key holds what the answer follows from but the clock and the
# files links point to (so the Check panel, checking again after a file was
# added, never takes it).
KEEP_SECONDS = 120.0
_last: list = []  # [(key, the time it was made, CheckResult)]; replaced whole (workers share it)


def check_document(ws, slug: str, text: str | None = None, today: _dt.date | None = None,
                   reuse: bool = False) -> CheckResult:
    """Check document *slug* of workspace *ws* (its *text*, default the file
    on disk) by the workspace's rules, against its other documents.  With
    *reuse* (publishing), the same text, rules and other documents checked
    so within KEEP_SECONDS get the answer of the time before."""
    slug = ws.check_slug(slug)
    if text is None:
        text = ws.load(slug).to_text()
    rules, others = load_rules(ws.root), other_documents(ws, slug)
    if not reuse:
        return check_text(text, rules, slug, ws.root, others, today)
    key = (str(ws.root), slug, text, today or _dt.date.today(), repr(rules),
           tuple((name, doc.to_text()) for name, doc in sorted(others.items())))
    now = time.monotonic()
    kept = _last[0] if _last else None
    if kept is not None and kept[0] == key and now - kept[1] < KEEP_SECONDS:
        return _copy(kept[2])
    result = check_text(text, rules, slug, ws.root, others, today)
    _last[:] = [(key, now, _copy(result))]
    return result


def _copy(result: CheckResult) -> CheckResult:
    """A copy whose lists and figures whoever gets it may change (the findings are frozen)."""
    return dataclasses.replace(result, findings=list(result.findings), dismissed=list(result.dismissed),
                               figures=dict(result.figures))
