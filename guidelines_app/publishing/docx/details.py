"""What an export shows about a document (title page, header, footer and
document properties), and the export errors."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field

from guidelines_app.core.approval import Approval
from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.wording import plural


class ExportError(GuidelinesError):
    pass


class ReferenceDocxError(ExportError):
    pass


class ImageError(ExportError):
    pass


@dataclass
class ExportDetails:
    """What the title page, header, footer and document properties show."""

    title: str
    organization: str = ""
    version: str = ""
    status: str = "draft"
    date: _dt.date | None = None
    owners: list[str] = field(default_factory=list)
    author: str = ""
    revision_number: int = 1
    modified: _dt.datetime | None = None
    subject: str = ""
    keywords: str = ""
    status_label: str = ""  # the title page's status when it says more than the status ("Draft: changes since ...")
    approver: str = ""  # who approved the printed version (only for an approved text)
    approved_on: _dt.date | None = None
    review_months: int | None = None  # the review cadence in months
    next_review: _dt.date | None = None
    contents: bool | None = None  # a contents page: None for "when the document is long enough"

    @classmethod
    def from_document(cls, doc: Document, **overrides) -> ExportDetails:
        details = cls(
            title=doc.title,
            organization=doc.organization,
            version=doc.version,
            status=doc.status,
            owners=doc.owners,
            subject=str(doc.meta.get("description") or ""),
            review_months=_months(doc.meta.get("review_cadence_months")),
            next_review=doc.next_review,
        )
        for key, value in overrides.items():
            if value is not None:
                setattr(details, key, value)
        return details

    def apply_approval(self, approval: Approval) -> ExportDetails:
        """Print what ``core.approval`` decided: 'Approved' with the approved
        version, or the draft label (and no version once one was published,
        as the text is not that version)."""
        self.status = approval.status
        self.status_label = "" if approval.approved else approval.status_text
        if approval.approved:
            self.version = approval.version
            self.approver, self.approved_on = approval.approver, approval.approved_on
        elif approval.since:
            self.version = ""
        return self

    @property
    def review_text(self) -> str:
        """'Every 12 months; next by 5 December 2027', or '' when the document says neither."""
        parts = []
        if self.review_months:
            parts.append(f"Every {plural(self.review_months, 'month')}")
        if self.next_review:
            parts.append(f"next by {long_date(self.next_review)}" if parts else f"Next by {long_date(self.next_review)}")
        return "; ".join(parts)

    @property
    def approval_text(self) -> str:
        """'Jane Roe, 5 December 2026' for an approved text, else ''."""
        if not self.is_approved or not self.approver:
            return ""
        return f"{self.approver}, {long_date(self.approved_on)}" if self.approved_on else self.approver

    @property
    def status_text(self) -> str:
        return self.status_label or self.status.capitalize()

    @property
    def is_approved(self) -> bool:
        return self.status == "approved"


Progress = Callable[[int, int], None]


def long_date(day: _dt.date) -> str:
    """'5 December 2026'."""
    return f"{day.day} {day.strftime('%B %Y')}"


def _months(value) -> int | None:
    try:
        months = int(value)
    except (TypeError, ValueError):
        return None
    return months if months > 0 else None
