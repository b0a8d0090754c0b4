"""Renderers of a ``diff.DocumentDiff``: plain text (CLI: ``redline_text``,
kept once written by ``redline_answer``), HTML
redline (export and the app's compare view: ``redline_html``) and a Word
redline with native tracked changes, plus a clean Word copy
(``redline_docx``, written by the exporter's Word writer).  The layout the
renderers share (blocks as shown pieces, walked into headings, paragraphs
and tables) is in ``redline_layout``.

Insertions are underlined and deletions struck through, so the redline reads
the same printed in greyscale; colours (dark blue / dark red on light tints)
only help on screen.

Reviewers never see Markdown: the diff works on source words, and
``inline_markup`` turns each changed paragraph's words into shown text with
its formatting (bold, italic, code, links as their text, HTML tags and
kramdown attribute lines hidden).
"""

from __future__ import annotations

from guidelines_app.review.diff import DocumentDiff
from guidelines_app.review.redline_answer import text_heading
from guidelines_app.review.redline_layout import (  # noqa: F401
    Labels,
    RedlineError,
    _value,
    block_pieces,
    block_prefix,
    label_text,
    new_text_paragraphs,
    old_text_paragraphs,
    shown,
    title_pieces,
)
from guidelines_app.review.redline_text import _block_text, render_text_body  # noqa: F401

# The HTML and Word redlines' public names, loaded on first use: a text
# redline pays for neither (nor for the colours of the HTML one), an HTML
# redline not for the Word writer.
_HTML_NAMES = ("CSS", "DEL_STYLE", "INS_STYLE", "LINK_STYLE", "PLACEHOLDER_STYLE", "render_html",
               "render_html_fragment", "summary_html")
_DOCX_NAMES = ("clean_copy_path", "docx_paragraph_texts", "write_docx_clean", "write_docx_pair", "write_docx_redline")


def __getattr__(name: str):
    if name in _HTML_NAMES:
        from guidelines_app.review import redline_html

        return getattr(redline_html, name)
    if name in _DOCX_NAMES:
        from guidelines_app.review import redline_docx

        return getattr(redline_docx, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render_text(diff: DocumentDiff, labels: Labels | None = None, authors: dict | None = None) -> str:
    """The diff as plain text (``redline_text``); *authors*
    (``blame.change_authors``) adds who made each section's changes."""
    labels = labels or Labels()
    return text_heading(labels.old, labels.new) + render_text_body(diff, authors)
