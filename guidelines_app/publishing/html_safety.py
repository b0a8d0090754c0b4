"""Making exported HTML safe to open: the converted document body is run
through a maintained sanitiser (nh3) and the page carries a
Content-Security-Policy that forbids scripts and remote loads.

What a document may hold stays: text, headings, lists, tables, emphasis,
details blocks, classes and inline styles, links that pass
``core.links.safe_link`` and images embedded as ``data:image/...`` URIs.
What goes: scripts, event handlers (``onclick``...), frames, objects and
embeds, forms, ``<link>``/``<style>``/``<meta>`` in the body, and links with
any other scheme (the link text stays).
"""

from __future__ import annotations

import nh3

from guidelines_app.core.links import safe_link

CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'

_TAGS = frozenset(nh3.ALLOWED_TAGS | {"input", "tfoot", "section", "main", "font", "big", "label", "address", "caption"})
# Harmless on any element (no URL, no script): layout, language and the
# attributes Markdown extensions and kramdown-style raw HTML write.
_GENERIC = frozenset((
    "id", "class", "style", "title", "lang", "dir", "align", "valign", "width", "height", "markdown",
    "colspan", "rowspan", "scope", "headers", "start", "reversed", "open", "type", "checked", "disabled",
    "value", "datetime", "span", "border", "cellpadding", "cellspacing", "color", "size",
))
_ATTRIBUTES = {"*": set(_GENERIC), "a": {"href", "name", "hreflang"}, "img": {"src", "alt"}}
_URL_ATTRIBUTES = frozenset(("href", "src", "cite"))


def _filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "href" and tag == "a":
        return safe_link(value)
    if attr == "src" and tag == "img":
        # Only pictures embedded by the export (data:image/...) or a
        # relative path; remote pictures were turned into links before.
        return value if value.startswith("data:image/") or safe_link(value) == value and ":" not in value else None
    if attr in _URL_ATTRIBUTES:
        return None
    if attr == "type" and tag == "input" and value != "checkbox":
        return None
    return value


def clean_body(fragment: str) -> str:
    """*fragment* (the converted document body) with everything that could
    run code, load something remote or leave the page removed."""
    return nh3.clean(
        fragment,
        tags=set(_TAGS),
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template", "textarea",
                            "select", "frame", "frameset", "applet", "svg", "math"},
        attributes={k: set(v) for k, v in _ATTRIBUTES.items()},
        attribute_filter=_filter,
        url_schemes={"http", "https", "mailto", "data"},
        link_rel=None,
        strip_comments=True,
    )


def with_csp(page: str) -> str:
    """A standalone page (``markup.html_page``) with the policy as the first
    element of its head, before anything that could load."""
    head = page.find("<head>")
    if head < 0:
        raise ValueError("not a page from markup.html_page")
    at = head + len("<head>")
    return page[:at] + "\n" + CSP_META + page[at:]
