"""What changed between two versions of a document, in words a policy owner
uses: "Edit When; add Where".  Used for default revision messages."""

from __future__ import annotations

import re

from guidelines_app.core.document import DISMISSED_KEY, Document, detail_name
from guidelines_app.core.inline_markup import display_text
from guidelines_app.core.md_lines import split_lines
from guidelines_app.core.outline import scan_headings

_WS = re.compile(r"\s+")
_MAX_NAMES = 3


def _own_text(body: str) -> tuple[str, dict[tuple[str, int], tuple[str, str]]]:
    """(text before the first heading, {(title key, occurrence): (title, own text)}),
    each text as written (``_same`` compares them as a reader reads them).

    A section's own text runs to the next heading of any level, so an edit in
    a subsection is reported against the subsection, not its parent.
    """
    lines = split_lines(body)  # (a slice at a time: a worker saving 50 MB leaves the window its turns)
    heads = scan_headings(lines)
    preamble_end = heads[0][0] if heads else len(lines)
    preamble = "\n".join(lines[:preamble_end])
    sections: dict[tuple[str, int], tuple[str, str]] = {}
    seen: dict[str, int] = {}
    for n, (line, _level, title) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        key = title.casefold()
        seen[key] = seen.get(key, 0) + 1
        # Named as the text shows the heading: "6. Breaches", not "6\\. Breaches".
        sections[(key, seen[key])] = (display_text(title) or "untitled section", "\n".join(lines[line + 1 : end]))
    return preamble, sections


def _same(old: str, new: str) -> bool:
    """Whether two texts read the same: equal once every run of whitespace
    is one space (worked out only for texts not equal as written: a
    document of tens of megabytes has hundreds of thousands of sections)."""
    return old == new or _WS.sub(" ", old).strip() == _WS.sub(" ", new).strip()


def _names(titles: list[str]) -> str:
    if len(titles) <= _MAX_NAMES:
        if len(titles) == 1:
            return titles[0]
        return ", ".join(titles[:-1]) + " and " + titles[-1]
    return ", ".join(titles[:_MAX_NAMES]) + f" and {len(titles) - _MAX_NAMES} more"


def summarize(old_text: str | None, new_text: str) -> str:
    """A one-line revision message describing the change by section."""
    new = Document.parse(new_text)
    if old_text is None:
        return f"Create {new.title}"
    try:
        old = Document.parse(old_text)
    except Exception:
        return "Edit document"
    old_pre, old_secs = _own_text(old.body)
    new_pre, new_secs = _own_text(new.body)
    edited = [new_secs[k][0] for k in new_secs if k in old_secs and not _same(old_secs[k][1], new_secs[k][1])]
    added = [k for k in new_secs if k not in old_secs]
    removed = [k for k in old_secs if k not in new_secs]
    renamed = []
    for k in list(added):  # a heading retitled, its text the same: renamed (not one removed and one added)
        was = next((r for r in removed if _same(old_secs[r][1], new_secs[k][1])), None)
        if was is not None:
            renamed.append(f"{old_secs[was][0]} to {new_secs[k][0]}")
            added.remove(k)
            removed.remove(was)
    if not _same(old_pre, new_pre):
        edited.insert(0, "introduction")
    parts = []
    if edited:
        parts.append("edit " + _names(edited))
    if renamed:
        parts.append("rename " + _names(renamed))
    if added:
        parts.append("add " + _names([new_secs[k][0] for k in added]))
    if removed:
        parts.append("remove " + _names([old_secs[k][0] for k in removed]))
    parts += _details_changed(old.meta, new.meta)
    if not parts:
        return "Tidy formatting"
    message = "; ".join(parts)
    return message[0].upper() + message[1:]


def _details_changed(old: dict, new: dict) -> list[str]:
    """The parts of the message for the details: "update status and owners"
    (as the details dialog names them), "dismiss 2 check findings"."""
    parts = []
    changed = [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
    if DISMISSED_KEY in changed:
        changed.remove(DISMISSED_KEY)
        before, after = (len(meta.get(DISMISSED_KEY) or []) for meta in (old, new))
        if after != before:
            count = abs(after - before)
            finding = "check finding" if count == 1 else "check findings"
            parts.append(f"{'dismiss' if after > before else 'bring back'} {count} {finding}")
        else:
            parts.append("update the reasons for dismissed check findings")
    if changed:
        names = [detail_name(k) for k in changed]
        parts.insert(0, "update " + _names([n[:1].lower() + n[1:] for n in names]))
    return parts
