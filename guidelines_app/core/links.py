"""Which link targets an exported document may keep.

One rule for every exporter (Word, HTML, PDF, the redlines): web links
(``http``, ``https``), e-mail (``mailto``), places in the document
(``#anchor``) and relative links (to files next to the document) stay;
site-relative links ("/handbook/") lead nowhere outside their website and
any other scheme (``javascript:``, ``data:``, ``file:``, ``vbscript:``, ...)
are dropped, so the link text stays as plain text.
"""

from __future__ import annotations

import re

ALLOWED_SCHEMES = frozenset(("http", "https", "mailto"))
# Browsers ignore tabs, newlines and other control characters inside a URL
# ("java\tscript:"), so they are ignored when reading the scheme too.
_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def safe_link(url: str | None) -> str | None:
    """*url* (trimmed) when an exported document may keep it as a link, else
    None (show the link text only)."""
    if url is None:
        return None
    url = url.strip()
    if not url:
        return None
    if url.startswith("#"):
        return url
    squeezed = _IGNORED.sub("", url)
    if squeezed.startswith(("//", "\\\\", "/\\", "\\/")):
        # Protocol-relative or a network path: the scheme would come from
        # wherever the page is opened (file: when opened from disk).
        return None
    if squeezed.startswith("/"):
        # Site-relative ("/handbook/"): it names a page of the website the
        # text was written for, which a Word file or a saved page is not on.
        return None
    match = _SCHEME.match(squeezed)
    if match is None:
        return url
    return url if match.group(1).lower() in ALLOWED_SCHEMES else None
