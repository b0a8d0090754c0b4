"""The policy check: what a careful reviewer would flag in a document,
section by section (legal risk, open items and seams, consistency across
the workspace, coverage, readability, housekeeping).

Rules are data (``check.rules``: YAML in the template library and in the
workspace); this package runs them (``check.engine``) with the built-in
checks (``check.builtins``).  Qt-free: the Check panel and
``guidelines check`` are adapters over ``check_document``.
"""

from __future__ import annotations

import datetime as _dt

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


def check_document(ws, slug: str, text: str | None = None, today: _dt.date | None = None) -> CheckResult:
    """Check document *slug* of workspace *ws* (its *text*, default the file
    on disk) by the workspace's rules, against its other documents."""
    slug = ws.check_slug(slug)
    if text is None:
        text = ws.load(slug).to_text()
    return check_text(text, load_rules(ws.root), slug, ws.root, other_documents(ws, slug), today)
