"""The acknowledgement form a reader signs for the latest published version
of a policy (what changed since the version they last acknowledged, and a
signature block), and its page of "the rules in brief": the document's own
summary of its rules, else rules picked to stand on their own and fit one
page.  The records of who signed are ``review.attest``."""

from __future__ import annotations

import datetime as _dt
import re
import textwrap

from guidelines_app.core.surface_write import plain_to_markdown
from guidelines_app.core.workspace import Workspace
from guidelines_app.review import history
from guidelines_app.review.attest import AttestError

# A heading that names the document's own summary of its rules, at any level: the first
# pattern that any heading matches wins ("The rules in brief" before "Summary").
_BRIEF_HEADINGS = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"\brules?\b.*\b(?:in brief|at a glance|on (?:a|one) page)\b",
    r"\bin brief\b|\bat a glance\b|\bon (?:a|one) page\b|\bone[- ]page\b",
    r"\bsummary\b|\bsummari[sz]ed\b"))
_NOT_BRIEF_RE = re.compile(r"\b(?:changes?|revisions?|versions?|history)\b", re.IGNORECASE)  # "Summary of changes"
_RULE_START_RE = re.compile(r"^(?:(?:when|if|before|after|whenever|while|unless|once)\b[^;:]*?,\s*)?"
                            r"(?:do not|don['’]t|never|always|only|use|ask|tell|report|keep|protect|be|say|pass|share|check|"
                            r"follow|respect|disclose|get|make|turn on|send|think|post|correct|answer|reply|hand|remove|inform|contact)\b", re.IGNORECASE)
_RULE_WORDS_RE = re.compile(r"\b(?:must|may not|must not|should not|are expected to|need to|is not allowed)\b", re.IGNORECASE)
_STRONG_RE = re.compile(r"\b(?:must|never|do not|don['’]t|always|only|may not|is not allowed)\b", re.IGNORECASE)
# Words that point at something the sentence does not hold: shown alone, it makes no sense.
_POINTING_START_RE = re.compile(r"^(?:they|them|their|theirs|it|its|it['’]s|this|these|that|those|there|here|such|he|she|"
                                r"his|her|him|then|also|otherwise|instead|however|likewise|similarly|both|either|neither|"
                                r"the same|the above|the following|as such)\b", re.IGNORECASE)
_POINTING_RE = re.compile(
    r"\b(?:above|below|aforementioned|the following|as follows|(?:named|listed|described|set out|mentioned) (?:under|in)|"
    r"see (?:also|the|section|appendix|page|chapter|part)|(?:this|that|the (?:next|previous|last)) "
    r"(?:section|part|chapter|paragraph|appendix|table|list)|(?:section|appendix|chapter|table) [A-Z0-9]\b|"
    r"there\b(?! (?:is|are|was|were|will|may|might|can|could|should|must|has|have|had)\b)|"
    r"(?:this|these)\b(?! (?:policy|guidelines?|document)\b)|"
    r"such\b(?! as\b)|those\b(?! (?:who|which|that|of)\b))", re.IGNORECASE)
_PRONOUN_RE = re.compile(r"\b(?:(it|its|it['’]s)|(they|them|their))\b", re.IGNORECASE)
_SINGULAR_BEFORE_RE = re.compile(r"\b(?i:a|an|the|your|our|each|every|any|one)\s+(?!behalf\b)\w|(?<=\s)[A-Z]\w+")  # or a name
_PLURAL_BEFORE_RE = re.compile(r"\b(?!(?:is|was|has|does|this|us|its|yours|ours|always|unless|as|less|across|access)\b)"
                               r"\w{3,}(?:s|s['’]|['’]s)\b|\b(?:people|children|staff|men|women|colleagues)\b", re.IGNORECASE)
_CLAUSE_RE = re.compile(r"[,;]|\b(?:that|who|which|when|whenever|if|because|unless|until|but)\b")
_QUOTED_RE = re.compile(r"[\"“‘']([^\"”’']{3,})[\"”’']")
_LEAD_IN_RE = re.compile(r",?\s*(?:namely|including|such as|for example|for instance|as follows)\s*:$", re.IGNORECASE)
_MARKUP_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`]+|<[^>]+>")
# The page the rules in brief must fit, in lines of body text (11 pt, 15.5 pt apart in
# the house style): an A4 page holds 46.6, a Letter page 43.4; a few are spared for a
# reference document's fonts.  A bullet's line holds about _LINE_CHARS characters.
BRIEF_PAGE_LINES = 42
_LINE_CHARS = 90


def _lines(text: str, chars: int = _LINE_CHARS) -> int:
    return len(textwrap.wrap(text, chars)) or 1


def _page_lines(title: str, intro: list[str], sections: list[tuple[str, list[str]]]) -> float:
    """About how many lines of body text the brief takes, as LibreOffice
    lays out the house style: the title (17 pt, spaced: 3.2 lines), the
    paragraphs of *intro*, each section's heading (14 pt, spaced: 2.4) and
    its bullets (0.2 apart)."""
    return (1.55 * _lines(title, 55) + 1.65 + sum(_lines(p, 95) for p in intro) + 1
            + sum(1.5 * _lines(t, 60) + 0.95 + sum(_lines(r) + 0.2 for r in rules) for t, rules in sections))


def _stands_alone(sentence: str, headings: set[str]) -> bool:
    """Whether *sentence* makes sense away from the text around it: it does
    not start with or lean on a word pointing elsewhere ("Do not change its
    password", "Ask there first", "named under ...", "the table below") nor
    quote another heading."""
    if _POINTING_START_RE.match(sentence) or _POINTING_RE.search(sentence):
        return False
    if any(q.strip().casefold() in headings for q in _QUOTED_RE.findall(sentence)):
        return False
    for m in _PRONOUN_RE.finditer(sentence):  # "its": a thing named before it; "them": before, in another clause
        before = sentence[: m.start()]
        named = (_SINGULAR_BEFORE_RE if m.group(1) else _PLURAL_BEFORE_RE).finditer(before)
        if not any(m.group(1) or _CLAUSE_RE.search(before, n.end()) for n in named):
            return False
    return True


def _rule(sentence: str, headings: set[str]) -> int:
    """How strongly *sentence* states a rule on its own: 2 with a rule's
    words (must, never, do not, always, only), 1 an instruction, 0 none."""
    if (not (sentence[:1].isupper() and sentence.endswith((".", "!"))) or len(sentence.split()) > 30
            or not (_RULE_START_RE.match(sentence) or _RULE_WORDS_RE.search(sentence)) or not _stands_alone(sentence, headings)):
        return 0
    return 2 if _STRONG_RE.search(sentence) else 1


def _candidates(body: str) -> list[tuple[int, str, list[tuple[int, int, str]]]]:
    """(order, section title, [(strength, order, sentence)]) of each section
    with rules: of each paragraph or list item the strongest sentence that
    stands alone, the strongest rules first (how many the page holds is
    ``rules_in_brief``'s choice: three numbered rules of a section on a
    page two-thirds empty were cut to two)."""
    from guidelines_app.core.inline_markup import display_text
    from guidelines_app.core.outline import outline
    from guidelines_app.review.check.model import TextView, sentences

    view = TextView(body)
    headings = {display_text(s.title).casefold() for s in view.sections}
    found = []
    sections = [s for s in outline(body) if s.level >= 2] or outline(body)
    for sec in sections:
        nested = [s.line for s in sections if sec.line < s.line < sec.end]
        stop = min(nested) if nested else sec.end
        picked: list[tuple[int, int, str]] = []
        for para in (p for p in view.paragraphs if sec.line < p.first < stop and p.kind in ("prose", "list")):
            if para.lines[0].lstrip().startswith(">"):  # a quote explains; it is no rule
                continue
            raw = _MARKUP_RE.sub(lambda m: m.group(1) or "", " ".join(line.strip() for line in para.lines))
            raw = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", raw)
            best = None
            for a, b in sentences(raw):
                sentence = " ".join(raw[a:b].split())
                if sentence.endswith(":") and _LEAD_IN_RE.search(sentence):  # "Do not post ..., namely:" and a list
                    sentence = _LEAD_IN_RE.sub("", sentence) + "."
                strength = _rule(sentence, headings)
                if strength and (best is None or strength > best[0]):
                    best = (strength, para.first, sentence)
            if best:
                picked.append(best)
        if picked:  # the strongest first, in the document's order among equals
            found.append((sec.line, display_text(sec.title), sorted(picked, key=lambda r: (-r[0], r[1]))))
    return found


def rules_in_brief(body: str, title: str = "", intro: tuple[str, ...] = (),
                   lines: float = BRIEF_PAGE_LINES) -> tuple[list[tuple[str, list[str]]], bool]:
    """((section title, its rules), whether rules were left out) for a
    one-page summary under *title* and *intro*: the sentences of each section
    that tell the reader what to do and make sense alone (``_stands_alone``).
    Each section's strongest rule first, then the second strongest ones,
    then the third and so on, in the document's order, as many as the page
    holds (*lines*: ``_page_lines``), each shown in the document's order."""
    chosen: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    cut = False
    for _rank, line, order, name, sentence in sorted((rank, line, order, name, sentence) for line, name, picked in _candidates(body)
                                                     for rank, (_strength, order, sentence) in enumerate(picked)):
        trial = dict(chosen)
        trial[line] = (name, [*chosen.get(line, (name, []))[1], (order, sentence)])
        if _page_lines(title, list(intro), [(n, [s for _o, s in r]) for n, r in trial.values()]) > lines:
            cut = True  # a shorter one may still fit
            continue
        chosen = trial
    return [(name, [s for _o, s in sorted(rules)]) for _line, (name, rules) in sorted(chosen.items())], cut


def own_brief(body: str) -> str | None:
    """The document's own rules in brief, as Markdown under the form's
    title: the text of the section whose heading says "rules in brief" (or
    "in brief", "at a glance", "on one page", "summary"), at any level, its
    own headings a level under the form's title.  None when it has none."""
    from guidelines_app.core.inline_markup import display_text
    from guidelines_app.core.md_lines import ATX_HEADING_RE
    from guidelines_app.core.outline import outline

    sections = outline(body)
    if sum(s.level == 1 for s in sections) == 1 and len(sections) > 1:  # the document's title
        sections = [s for s in sections if s.level > 1]
    sec = next((s for pattern in _BRIEF_HEADINGS for s in sections
                if pattern.search(display_text(s.title)) and not _NOT_BRIEF_RE.search(s.title)), None)
    if sec is None:
        return None
    lines = body.split("\n")
    inner = {s.line: s for s in sections if sec.line < s.line < sec.end}
    out, n = [], sec.line + (1 if ATX_HEADING_RE.match(lines[sec.line]) else 2)
    while n < sec.end:
        if n in inner:  # (an underlined heading: its line and the line under it)
            out.append("#" * min(6, 1 + inner[n].level - sec.level) + " " + inner[n].title)
        else:
            out.append(lines[n])
        n += 2 if n in inner and not ATX_HEADING_RE.match(lines[n]) else 1
    # A picture (no folder to take it from) by its description; a link to a part left out by its words.
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\(#[^)]*\)", lambda m: m.group(1) or m.group(2) or "", "\n".join(out))
    return text.strip() or None


def changes_since(ws: Workspace, slug: str, since: str | None = None) -> tuple[str, list[history.Publication]]:
    """(the version the reader last acknowledged, the publications after it)
    for the form's "what changed"; *since* defaults to the last version of
    the previous major version (none: every publication)."""
    pubs = history.publications(ws, slug)
    if not pubs:
        return "", []
    current = pubs[-1].version
    if since:
        base = history.Version.parse(since)
        if not any(p.version == base for p in pubs):
            raise AttestError(f"{slug} has no published version {base}")
    else:
        earlier = [p.version for p in pubs if p.version.major < current.major]
        base = earlier[-1] if earlier else None
    after = [p for p in pubs if base is None or p.version > base]
    return (str(base) if base else ""), after


def acknowledgement_form(ws: Workspace, slug: str, since: str | None = None, today: _dt.date | None = None):
    """([form, brief] as Markdown, ExportDetails) for the latest published
    version: the form (title, version, date, what changed since the version
    the reader last acknowledged, a signature block) and "the rules in
    brief", each on a page of its own."""
    from guidelines_app.core.approval import approval_of
    from guidelines_app.core.document import Document
    from guidelines_app.publishing.docx import ExportDetails

    slug = ws.check_slug(slug)
    last = history.last_publication(ws, slug)
    if last is None:
        raise AttestError(f"{slug} has no published version yet: publish it first, then ask people to acknowledge it")
    text = ws.read_at(slug, last.commit)
    doc = Document.parse(text, ws.path(slug))
    base, changed = changes_since(ws, slug, since)
    day = (last.date.date() if last.date else (today or _dt.date.today()))
    # What people typed (a title, an organization, a version's summary) as Markdown that shows it as typed.
    title, organization = plain_to_markdown(doc.title), plain_to_markdown(doc.organization)
    lines = [f"# Acknowledgement: {title}", "",
             f"**Version {last.version}**, published {day.day} {day.strftime('%B %Y')}"
             + (f" by {organization}" if organization else "") + ".", "",
             "## What changed" + (f" since version {base}" if base else ""), ""]
    lines += [f"- **Version {p.version}:** {plain_to_markdown(' '.join(p.summary.split()))}" for p in changed] or [
        "- This is the first version."]
    # No header row (a blank one): the writer draws it as a block to fill in by hand.
    lines += ["", "## Your confirmation", "",
              f"I have read version {last.version} of “{title}”, understood it, and will follow it.", "",
              "| | |", "|---|---|", "| Name | |", "| Team | |", "| Date | |", "| Signature | |", ""]
    details = ExportDetails.from_document(doc).apply_approval(approval_of(ws, slug, text))
    details.date = day
    return ["\n".join(lines), brief_page(title, str(last.version), doc.body)], details


def brief_page(title: str, version: str, body: str) -> str:
    """The page of the rules in brief as Markdown (*title* as Markdown): the document's own summary of its
    rules as written (``own_brief``), else its rules picked to fit a page
    (``rules_in_brief``), saying when some were left out."""
    heading = f"The rules in brief: {title}"
    own = own_brief(body)
    if own is not None:
        return "\n".join([f"# {heading}", "", f"The policy's own summary of its rules, version {version}. "
                          "The policy itself is what counts.", "", own, ""])
    intro = [f"A one-page summary of version {version}. The policy itself is what counts."]
    note = f"Other rules, and the details of these, are in the full policy: “{title}”, version {version}."
    rules, cut = rules_in_brief(body, heading, (intro[0], note))
    brief = [f"# {heading}", "", intro[0], ""]
    for name, said in rules:
        brief += [f"## {name}", ""] + [f"- {r}" for r in said] + [""]
    return "\n".join(brief + ([note, ""] if cut else []))

