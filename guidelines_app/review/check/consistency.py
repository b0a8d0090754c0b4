"""Consistency across the workspace: the same role, approver, response
time or crisis lead stated differently in two documents.

Each document's statements are read as (subject, value) facts: "Complaints
are answered within 4 hours" is (response time: complaints, 4 hours);
"Crisis lead: Dana Reyes" or a table row "| Crisis lead | Dana Reyes |" is
(crisis lead, Dana Reyes); "official posts are approved by the
Communications team" is (approver: official posts, communications team).
A subject with different values in this document and another is flagged
here, naming the other document and what it says."""

from __future__ import annotations

import re
from dataclasses import dataclass

from guidelines_app.review.check.model import CheckContext, Finding, Rule, TextView, sentences

_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
            "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty-eight": 48, "twenty-four": 24, "seventy-two": 72}
_UNIT_HOURS = {"minute": 1 / 60, "hour": 1, "day": 24, "week": 168}
_RESPONSE_RE = re.compile(
    r"\b(?P<verb>respond|reply|replies|answer|acknowledge|triage|handle|address)\w*\b(?P<mid>[^.;]{0,80}?)\bwithin\s+"
    r"(?P<n>\d{1,3}|" + "|".join(_NUMBERS) + r")\s+(?P<kind>business |working |calendar )?(?P<unit>minute|hour|day|week)s?\b",
    re.IGNORECASE)
_SUBJECTS = ("complaint", "comment", "message", "question", "enquir", "inquir", "mention", "review", "request", "crisis",
             "incident", "direct message", "dm")
_ROLE_WORDS = r"(?:crisis lead|crisis (?:team )?(?:lead|leader|owner|coordinator|contact)|spokes(?:person|people)|policy owner|" \
              r"social media (?:lead|manager|owner)|approver|account owner|escalation contact|data protection officer|" \
              r"press contact|media contact)"
_LABEL_RE = re.compile(r"^\s*(?:[-*+]\s+)?\**(?P<role>" + _ROLE_WORDS + r")\**\s*[:：]\s*\**(?P<value>[^*\n]{2,80}?)\**\s*$",
                       re.IGNORECASE)
_ROW_RE = re.compile(r"^\s*\|\s*\**(?P<role>" + _ROLE_WORDS + r")\**\s*\|\s*(?P<value>[^|]{2,80}?)\s*\|", re.IGNORECASE)
_LED_RE = re.compile(r"\b(?P<what>crisis|emergency|incident)\w*\b[^.;]{0,60}?\b(?:led|coordinated|owned|managed|run)\s+by\s+"
                     r"(?:the\s+)?(?P<value>[A-Za-z][\w&' -]{1,60}?)(?=[.,;:()]|\s+(?:who|and|with|until|when|if)\b|$)",
                     re.IGNORECASE)
_APPROVED_RE = re.compile(r"\b(?P<what>(?:new |official |paid |sponsored |promoted |all )?(?:posts?|accounts?|campaigns?|statements?|"
                          r"announcements?|replies|responses|content|adverts?|ads))\b[^.;]{0,40}?\b(?:approved|signed off|cleared)\s+by\s+"
                          r"(?:the\s+|a\s+|an\s+)?(?P<value>[A-Za-z][\w&' -]{1,60}?)(?=[.,;:()]|\s+(?:before|who|and|or|with|when|if|at)\b|$)",
                          re.IGNORECASE)


@dataclass(frozen=True)
class Fact:
    subject: str  # "response time: complaints"
    value: str  # as written
    norm: str  # compared
    line: int
    start: int
    end: int


def _hours(n: str, unit: str, kind: str) -> str:
    number = int(n) if n.isdigit() else _NUMBERS[n.lower()]
    return f"{number * _UNIT_HOURS[unit.lower()]:g}h{' ' + kind.strip().lower() if kind else ''}"


def _norm(value: str) -> str:
    value = re.sub(r"\s+", " ", value.strip().strip("*_").casefold())
    return re.sub(r"^(the|our|a|an)\s+", "", value)


def facts(view: TextView) -> list[Fact]:
    """The statements of one document that other documents may contradict."""
    found: list[Fact] = []
    for para in view.paragraphs:
        for a, b in sentences(para.text):
            sentence = para.text[a:b]
            for m in _RESPONSE_RE.finditer(sentence):
                around = sentence.lower()
                subject = next((s for s in _SUBJECTS if s in around), "messages")
                line, col = para.locate(a + m.start())
                found.append(Fact(f"response time for {subject.rstrip('i')}s", m.group(0)[m.start("n") - m.start():],
                                  _hours(m.group("n"), m.group("unit"), m.group("kind") or ""), line, col, col + len(m.group(0))))
            for regex, prefix in ((_LED_RE, "who leads a "), (_APPROVED_RE, "who approves ")):
                for m in regex.finditer(sentence):
                    what = _norm(m.group("what"))
                    line, col = para.locate(a + m.start())
                    found.append(Fact(prefix + what, m.group("value").strip(), _norm(m.group("value")), line, col, col + len(m.group(0))))
    for n, line in enumerate(view.lines):
        if n in view.skipped:
            continue
        m = _LABEL_RE.match(line) or _ROW_RE.match(line)
        if m and not re.match(r"^[-:| ]*$", m.group("value")):
            role = _norm(m.group("role"))
            found.append(Fact(role, m.group("value").strip(), _norm(m.group("value")), n, m.start("value"), m.end("value")))
    return found


def workspace_consistency(ctx: CheckContext, rule: Rule) -> list[Finding]:
    mine = facts(ctx.view)
    if not mine or not ctx.others:
        return []
    theirs: dict[str, list[tuple[str, Fact]]] = {}
    for slug, doc in sorted(ctx.others.items()):
        if slug == ctx.slug:
            continue
        for fact in facts(TextView(doc.body)):
            theirs.setdefault(fact.subject, []).append((doc.title or slug, fact))
    found = []
    for fact in mine:
        differing = [(title, f) for title, f in theirs.get(fact.subject, []) if f.norm != fact.norm]
        if not differing:
            continue
        title, other = differing[0]
        found.append(ctx.finding(rule, fact.line, fact.value, fact.start, fact.end,
                                 title=f"{fact.subject.capitalize()}: “{fact.value}” here, “{other.value}” in {title}",
                                 suggestion=f"Make both documents say the same (“{other.value}” in {title}, line {other.line + 1})"))
    return found
