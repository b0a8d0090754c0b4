"""What an export shows about a document (title page, header, footer and
document properties), and the export errors."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field

from guidelines_app.core.approval import Approval
from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError


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

    @classmethod
    def from_document(cls, doc: Document, **overrides) -> ExportDetails:
        details = cls(
            title=doc.title,
            organization=doc.organization,
            version=doc.version,
            status=doc.status,
            owners=doc.owners,
            subject=str(doc.meta.get("description") or ""),
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
        elif approval.since:
            self.version = ""
        return self

    @property
    def status_text(self) -> str:
        return self.status_label or self.status.capitalize()

    @property
    def is_approved(self) -> bool:
        return self.status == "approved"


Progress = Callable[[int, int], None]
