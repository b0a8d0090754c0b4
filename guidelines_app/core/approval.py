"""Whether a text is an approved version: the one place that decides what
status an export, a redline or a clean copy may print.

A text is "Approved, version X.Y" only when the published version it names
(its ``version`` detail, the tag ``<slug>/vX.Y``) exists and the text's body
and the details a reader sees (title, organisation, owners, description,
version) are those of that published revision.  Anything else is a draft:
"Draft: changes since version X.Y" once a version was published, plain
"Draft" (or "In review") before.
"""

from __future__ import annotations

import re
from collections import namedtuple

from guidelines_app.core import gitbatch
from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.names import RefNames, slugify

# A slug git takes as a tag's first part: in another script too (правила_v2/v1.0).
_TAG_SAFE = RefNames(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")
_TAG_VERSION_RE = re.compile(r"/v(\d{1,4})\.(\d{1,4})$")
_VERSION_RE = re.compile(r"^v?(\d{1,4})\.(\d{1,4})$")


def tag_prefix(slug: str) -> str:
    """Tags of a document are '<slug>/vX.Y'; a hand-named file with spaces
    gets a tag-safe form of its name."""
    return slug if _TAG_SAFE.match(slug) and not slug.endswith((".", ".lock")) else slugify(slug)


# A named tuple, not a dataclass: ten times quicker to create, and every comparison imports it.
class Approval(namedtuple("Approval", "status version since approver approved_on", defaults=("", "", None))):
    """What a reader is told about a text's status: status ("approved",
    "draft" or "in review"); version, the approved version ("1.0", "" when
    the text is not one); since, the last published version a draft changes
    ("" when never published); approver, who approved the version (its
    tag's "Approver:" line), for an approved text; approved_on, the date
    that version was published (or None)."""

    __slots__ = ()

    @property
    def approved(self) -> bool:
        return self.status == "approved"

    @property
    def label(self) -> str:
        """'Approved, version 1.0', 'Draft: changes since version 1.0' or 'Draft'."""
        if self.approved:
            return f"Approved, version {self.version}"
        word = self.status.capitalize()
        return f"{word}: changes since version {self.since}" if self.since else word

    @property
    def status_text(self) -> str:
        """The status row of a title page: 'Approved' or the draft label."""
        return "Approved" if self.approved else self.label


def content_key(doc: Document) -> tuple:
    """What a reader of the text sees, apart from its version and status:
    two texts with the same key say the same."""
    return (doc.body.strip(), doc.title, doc.organization, tuple(doc.owners), str(doc.meta.get("description") or ""))


def _key(doc: Document) -> tuple:
    return content_key(doc) + (_version_key(doc.version),)


def _version_key(text) -> tuple[int, int] | None:
    m = _VERSION_RE.match(str(text or "").strip())
    return (int(m.group(1)), int(m.group(2))) if m else None


_APPROVER_RE = re.compile(r"^Approver:[ \t]*(.+?)[ \t]*$", re.MULTILINE)


def _version_tags(ws, slug: str) -> dict[tuple[int, int], object]:
    """{(major, minor): TagRef} of the document's version tags."""
    prefix = tag_prefix(slug)
    found = {}
    for ref in gitbatch.tag_refs(ws.store, prefix):
        if not ref.name.startswith(prefix + "/"):
            continue
        m = _TAG_VERSION_RE.search(ref.name)
        if m and ref.name == f"{prefix}/v{m.group(1)}.{m.group(2)}":
            found[(int(m.group(1)), int(m.group(2)))] = ref
    return found


def published_versions(ws, slug: str) -> dict[tuple[int, int], str]:
    """{(major, minor): commit} of the document's version tags."""
    return {key: ref.commit for key, ref in _version_tags(ws, slug).items()}


def approval_of(ws, slug: str, text: str) -> Approval:
    """The status *text* (of document *slug* in workspace *ws*) may claim."""
    try:
        doc = Document.parse(text)
    except GuidelinesError:
        return Approval("draft", "")
    try:
        versions = _version_tags(ws, slug)
    except GuidelinesError:
        versions = {}
    named = _version_key(doc.version)
    ref = versions.get(named) if named is not None else None
    # A status set back by hand ("draft", "in review") is what the owner says of the text: it is not printed as approved.
    if ref is not None and doc.status == "approved":
        try:
            # The tag's commit id is known: one read, no lookup of it first.
            published = Document.parse(ws.store.read_fast(ws.relpath(slug), ref.commit).decode("utf-8", errors="replace"))
        except GuidelinesError:
            published = None
        if published is not None and _key(published) == _key(doc):
            m = _APPROVER_RE.search(ref.message or "")
            return Approval("approved", f"{named[0]}.{named[1]}", approver=m.group(1) if m else "",
                            approved_on=ref.date.date() if ref.date else None)
    since = ""
    if versions:  # the version the text names when it was published, else the last one
        base = named if named in versions else max(versions)
        since = f"{base[0]}.{base[1]}"
    status = doc.status if doc.status != "approved" else "draft"
    return Approval(status, "", since)
