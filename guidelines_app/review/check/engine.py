"""Running the rules over a document: pattern rules here, named built-in
checks in ``check.builtins``; dismissed findings (kept in the document's
details, ``check_dismissed``) are set apart with their reasons."""

from __future__ import annotations

import dataclasses
import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from guidelines_app.core.document import DISMISSED_KEY, Document
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.review.check.builtins import BUILTINS
from guidelines_app.review.check.model import CheckContext, Finding, Rule, TextView, sentences, severity_rank

# DISMISSED_KEY ("check_dismissed" in the details): [{finding: <Finding.key>, reason: "..."}]


@dataclass
class CheckResult:
    findings: list[Finding]  # in force, most serious first, then in text order
    dismissed: list[tuple[Finding, str]]  # (finding, the reason it was dismissed)
    figures: dict  # readability: the document's figures and the target
    front_lines: int = 0  # lines of the details block: a finding's line in the file is line + front_lines

    def at_or_above(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if severity_rank(f.severity) <= severity_rank(severity)]

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "note": 0}
        for f in self.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        return counts


def run_pattern(ctx: CheckContext, rule: Rule) -> list[Finding]:
    """Every match of the rule's pattern in the prose, sentence by sentence,
    unless the sentence or the document says what makes it fine."""
    if rule.unless_document is not None and rule.unless_document.search(ctx.view.body):
        return []
    found = []
    for para in ctx.view.paragraphs:
        if para.kind == "heading":
            continue  # a heading names a rule; the rule itself is in the text below it
        for a, b in sentences(para.text):
            sentence = para.text[a:b]
            if rule.unless_sentence is not None and rule.unless_sentence.search(sentence):
                continue
            for m in rule.pattern.finditer(sentence):
                if not m.group(0).strip():
                    continue
                line, col = para.locate(a + m.start())
                end_line, end_col = para.locate(a + m.end())
                replacement = None
                if rule.replace is not None and end_line == line:
                    replacement = _keep_case(m.group(0), m.expand(rule.replace))
                original = ctx.view.lines[line][col:end_col] if end_line == line else m.group(0)
                found.append(ctx.finding(rule, line, original or m.group(0), col, end_col if end_line == line else col,
                                         replacement=replacement))
    return found


# The answers of the "whose law applies" question, as the user reads them.
PLACES = {"us": "the United States", "eu": "the European Union", "uk": "the United Kingdom", "other": "other countries"}


def answered_places(doc: Document) -> set[str] | None:
    """The jurisdictions the document's questionnaire answers name (``us``,
    ``eu``, ...), or None when it has no such answer (written by hand,
    imported, or the question left blank)."""
    answers = doc.meta.get("answers")
    value = answers.get("jurisdiction") if isinstance(answers, dict) else None
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list):
        return None
    places = {v.strip().lower() for v in value if isinstance(v, str) and v.strip()}
    return places or None


def _place_names(codes: tuple[str, ...]) -> str:
    names = [PLACES.get(c, c.upper()) for c in codes]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def outside_answers(findings: list[Finding], rule: Rule, places: set[str] | None) -> list[Finding]:
    """*findings* of *rule*, made notes that say where the rule matters when
    the document's answers leave out every jurisdiction it belongs to (a US
    labour-law rule in guidelines for staff in the UK and the EU): they
    do not block publishing.  Unchanged when the rule belongs everywhere,
    when an answered jurisdiction is one of its own, or when there is no answer."""
    if not findings or not rule.applies_in or places is None or places & set(rule.applies_in):
        return findings
    where = _place_names(rule.applies_in)
    them = "its" if len(rule.applies_in) == 1 else "their"
    why = (f"Only matters if you employ people in {where}, or {them} law applies to you in another way: the "
           f"document's answer to \"whose law applies\" does not include {'it' if them == 'its' else 'them'}. ")
    return [dataclasses.replace(f, severity="note", title=f"{f.title} (only matters if you employ people in {where})",
                                why=why + f.why) for f in findings]


def _keep_case(old: str, new: str) -> str:
    return new[:1].upper() + new[1:] if old[:1].isupper() and new[:1].islower() else new


def dismissals(doc: Document) -> dict[str, str]:
    """{finding key: reason} from the document's details."""
    value = doc.meta.get(DISMISSED_KEY)
    found = {}
    for entry in value if isinstance(value, list) else []:
        if isinstance(entry, dict) and entry.get("finding"):
            found[str(entry["finding"])] = str(entry.get("reason") or "")
    return found


def dismiss(doc: Document, finding: Finding, reason: str) -> None:
    """Keep *finding* dismissed, with *reason*, in the document's details."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise GuidelinesError("a reason is needed to dismiss a finding: say why it does not apply")
    entries = [e for e in (doc.meta.get(DISMISSED_KEY) or []) if isinstance(e, dict) and e.get("finding") != finding.key]
    entries.append({"finding": finding.key, "reason": reason})
    doc.meta[DISMISSED_KEY] = entries


def check_text(text: str, rules: list[Rule], slug: str = "", root: Path | None = None,
               others: dict[str, Document] | None = None, today: _dt.date | None = None) -> CheckResult:
    """Run *rules* over a document's text (details and body)."""
    doc = Document.parse(text)
    ctx = CheckContext(doc, TextView(doc.body), slug, root, dict(others or {}), today or _dt.date.today())
    found: list[Finding] = []
    places = answered_places(doc)
    for rule in rules:
        found += outside_answers(BUILTINS[rule.builtin](ctx, rule) if rule.builtin else run_pattern(ctx, rule), rule, places)
    unique = list(dict.fromkeys(found))
    off = dismissals(doc)
    active = [f for f in unique if f.key not in off]
    active.sort(key=lambda f: (severity_rank(f.severity), f.line if f.line is not None else -1, f.start))
    return CheckResult(active, [(f, off[f.key]) for f in unique if f.key in off], ctx.figures, doc.front_matter_lines)
