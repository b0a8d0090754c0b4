"""Re-answering the questionnaire of a document made from a template.

The draft the old answers produced is rebuilt and compared, section by
section, with the text as it is now.  A section that still reads exactly as
the old answers made it may be replaced by what the new answers make; a
section the user edited by hand is only replaced if they say so.  Nothing
here writes a file: the caller shows the plan and the diff, then applies it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.drafting.answers import check_answers
from guidelines_app.drafting.library import render_sections, tidy
from guidelines_app.drafting.model import TemplateSet
from guidelines_app.drafting.yaml_lines import plain

UPDATE, ADD, REMOVE = "update", "add", "remove"
_HEADING_RE = re.compile(r"^#{1,6}\s")


class ReanswerError(GuidelinesError):
    pass


@dataclass
class SectionChange:
    clause: str
    title: str
    kind: str  # update, add or remove
    edited: bool  # the current text differs from what the old answers made
    current: str  # the section as it is now ("" when added or missing)
    proposed: str  # what the new answers make ("" when removed)

    @property
    def apply_by_default(self) -> bool:
        return not self.edited


@dataclass
class ReanswerPlan:
    template: str
    old_answers: dict[str, Any]
    new_answers: dict[str, Any]
    current_body: str
    changes: list[SectionChange] = field(default_factory=list)
    # (clause id, current text) in the order found in the current body, with
    # None as the id of text that belongs to no template section.
    _spans: list[tuple[str | None, str]] = field(default_factory=list)
    _new_order: list[str] = field(default_factory=list)
    _new_texts: dict[str, str] = field(default_factory=dict)

    @property
    def edited(self) -> list[SectionChange]:
        return [c for c in self.changes if c.edited]

    def apply(self, accepted: set[str] | None = None) -> str:
        """The new body.  *accepted*: clause ids to change; by default the
        sections that were not edited by hand."""
        if accepted is None:
            accepted = {c.clause for c in self.changes if c.apply_by_default}
        by_id = {c.clause: c for c in self.changes}
        result: list[tuple[str | None, str]] = []
        for cid, text in self._spans:
            change = by_id.get(cid) if cid else None
            if change is None or cid not in accepted:
                result.append((cid, text))
            elif change.kind == UPDATE:
                result.append((cid, change.proposed))
            # REMOVE accepted: left out
        present = {cid for cid, _ in result if cid}
        for n, cid in enumerate(self._new_order):
            change = by_id.get(cid)
            if cid in present or change is None or change.kind != ADD or cid not in accepted:
                continue
            # After the nearest earlier section of the new draft that is present.
            at = 0
            for earlier in reversed(self._new_order[:n]):
                idx = next((i for i, (c, _) in enumerate(result) if c == earlier), None)
                if idx is not None:
                    at = idx + 1
                    break
            result.insert(at, (cid, change.proposed))
            present.add(cid)
        return _join([text for _, text in result])


def _norm(text: str) -> str:
    return tidy(text).strip("\n")


def _join(parts: list[str]) -> str:
    parts = [p.strip("\n") for p in parts if p.strip()]
    return "\n\n".join(parts) + "\n" if parts else ""


def _heading(text: str) -> str:
    return next((line.rstrip() for line in text.split("\n") if line.strip()), "")


def _split_current(body: str, old_chunks: list[tuple[str, str]]) -> list[tuple[str | None, str]]:
    """Cut the current body where the old sections' headings are found, in order."""
    lines = body.split("\n")
    starts: list[tuple[int, str]] = []
    pos = 0
    for cid, text in old_chunks:
        head = _heading(text)
        for i in range(pos, len(lines)):
            if lines[i].rstrip() == head and _HEADING_RE.match(head):
                starts.append((i, cid))
                pos = i + 1
                break
    spans: list[tuple[str | None, str]] = []
    first = starts[0][0] if starts else len(lines)
    if "\n".join(lines[:first]).strip():
        spans.append((None, "\n".join(lines[:first])))
    for n, (i, cid) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        spans.append((cid, "\n".join(lines[i:end])))
    return spans


def plan_reanswer(tset: TemplateSet, old_answers: dict[str, Any] | None, new_answers: dict[str, Any], current_body: str,
                  title: str = "") -> ReanswerPlan:
    """What changing the answers would do to the current text."""
    old_values = check_answers(tset, old_answers or {}, source="the document's stored answers", strict=False)
    new_values = check_answers(tset, new_answers, source="the new answers")
    old_chunks = render_sections(tset, old_values, title)
    new_chunks = render_sections(tset, new_values, title)
    old_texts = dict(old_chunks)
    new_texts = dict(new_chunks)
    spans = _split_current(current_body, old_chunks)
    current = {cid: text for cid, text in spans if cid}
    plan = ReanswerPlan(tset.id, plain(old_values), plain(new_values), current_body, _spans=spans,
                        _new_order=[cid for cid, _ in new_chunks], _new_texts=new_texts)
    for cid, new_text in new_chunks:
        title_line = _heading(new_text).lstrip("#").strip()
        if cid in old_texts:
            if _norm(old_texts[cid]) == _norm(new_text):
                continue
            now = current.get(cid)
            if now is None:
                # The user deleted or renamed it: do not bring it back unasked.
                plan.changes.append(SectionChange(cid, title_line, ADD, True, "", new_text))
            else:
                plan.changes.append(SectionChange(cid, title_line, UPDATE, _norm(now) != _norm(old_texts[cid]), now, new_text))
        elif cid in current:
            # Present in the text though the old answers did not produce it
            # (added from the clause library, say): treat as an update.
            now = current[cid]
            if _norm(now) != _norm(new_text):
                plan.changes.append(SectionChange(cid, title_line, UPDATE, True, now, new_text))
        else:
            plan.changes.append(SectionChange(cid, title_line, ADD, False, "", new_text))
    for cid, old_text in old_chunks:
        if cid in new_texts or cid not in current:
            continue
        now = current[cid]
        title_line = _heading(old_text).lstrip("#").strip()
        plan.changes.append(SectionChange(cid, title_line, REMOVE, _norm(now) != _norm(old_text), now, ""))
    return plan

