"""The built-in template sets rendered over a broad matrix of answers (every
governance model x maturity x path x jurisdiction combination x sector, with
edge answers cycled through): no seams, no contradictions, the employee
guidelines and the governance policy agree, and the governance model shapes
the operations.  The checks live in tests/template_matrix.py."""

from __future__ import annotations

import difflib
import itertools
import re

import pytest
from template_matrix import (
    JURISDICTIONS,
    MATURITIES,
    MODELS,
    SECTORS,
    SET_IDS,
    approval_contradictions,
    grade_level,
    matrix,
    repeated_sentences,
    seams,
)

from guidelines_app.drafting.library import assemble, load_library

EMPLOYEE, POLICY, BRIEF = SET_IDS
COUNTRY_NAMES = {"us": "United States", "eu": "European Union", "uk": "United Kingdom", "other": "Other countries"}


@pytest.fixture(scope="module")
def library():
    lib = load_library()
    assert lib.problems == []
    return lib


def drafts(tset):
    """(answers, chunks as a dict, body) for every answers set of the matrix."""
    for answers in matrix(tset):
        result = assemble(tset, answers)
        yield answers, dict(result.chunks), result.document.body


def section(body: str, heading: str) -> str:
    """The text from a heading line to the next heading of the same or a higher level."""
    lines = body.split("\n")
    start = next(n for n, line in enumerate(lines) if line.startswith("#") and heading in line)
    level = len(lines[start]) - len(lines[start].lstrip("#"))
    end = next((n for n in range(start + 1, len(lines))
                if lines[n].startswith("#") and len(lines[n]) - len(lines[n].lstrip("#")) <= level), len(lines))
    return "\n".join(lines[start:end])


def table_rows(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.startswith("|")]


# ---- seams and repetition ---------------------------------------------------------


@pytest.mark.parametrize("set_id", SET_IDS)
def test_no_seams_over_the_whole_matrix(library, set_id):
    tset = library.get(set_id)
    problems, count = {}, 0
    for answers, _, body in drafts(tset):
        count += 1
        for problem in seams(body) + [f"repeated sentence: {s}" for s in repeated_sentences(body)]:
            problems.setdefault(problem, answers)
    assert count >= (30 if set_id == BRIEF else 900)
    assert not problems, "\n".join(f"{p}\n    with {a}" for p, a in list(problems.items())[:10])


def test_the_seam_checks_catch_the_seams_of_the_issue():
    """Each seam the review found, as it looked, is caught by the checks."""
    found = [
        "The training is repeated every 1 months and whenever these guidelines change.",
        "| Grow | Months 7–3 | Widen participation |",
        "Write the plans within the first 1 months.",
        "northwind commits **0** full-time equivalent people, so our capacity is about 0 active relationships.",
        "Posts follow one review process.\n| Type of post | Who approves |\n|---|---|\n| Replies | No prior approval |",
        "| Get organized | Months 1–3 | set up the team |",
        "Legal reviews reviews this section.",
        "It is done. then it goes out.",
        "The first paragraph ends here.\nThe second one runs into it.",
        "As the law requires (Section 508) (the 2018 Regulations): captions.",
    ]
    for text in found:
        assert seams(text), text
    assert seams("Everything is fine: 1 month, 3 months, every month, Months 1–3.\n\n| A | B |\n|---|---|\n| Yes | No |") == []


# ---- approval text and table ------------------------------------------------------


@pytest.mark.parametrize("set_id, clause", [(EMPLOYEE, "how.approval"), (POLICY, "how.review")])
def test_approval_text_agrees_with_its_table(library, set_id, clause):
    tset = library.get(set_id)
    problems = []
    for answers, chunks, _ in drafts(tset):
        text = chunks[clause]
        problems += [(p, answers.get("maturity")) for p in approval_contradictions(text)]
        assert len(table_rows(text)) >= 3  # header, rule and at least one row
    assert problems == []
    # The check itself catches the clash the review found.
    clash = ("While we are starting out, every post on an official account is read by a second trained person.\n\n"
             "| Type of post | Who approves | Turnaround |\n|---|---|---|\n| Replies | No prior approval | Immediate |")
    assert approval_contradictions(clash)


# ---- the two governing documents agree --------------------------------------------


def _shared_answers():
    leads = ("Head of Communications", "Director of Corporate Affairs")
    tables = (None, [{"post_type": "Job adverts", "approver": "Recruiting lead", "turnaround": "1 day"}])
    for model, lead, table, months in itertools.product(MODELS, leads, tables, (1, 12)):
        answers = {"organization": "Northwind", "governance_model": model, "crisis_lead": lead, "training_months": months,
                   "jurisdiction": ["us", "eu"], "sector": "general"}
        if table is not None:
            answers["approval_matrix"] = table
        yield answers


def test_guidelines_and_policy_agree_on_the_same_answers(library):
    guidelines, policy = library.get(EMPLOYEE), library.get(POLICY)
    assert guidelines.question("approval_matrix").default == policy.question("approval_matrix").default
    for answers in _shared_answers():
        g = dict(assemble(guidelines, answers).chunks)
        p = dict(assemble(policy, answers).chunks)
        # The same approval table, the same approver of crisis statements and the same first reply.
        assert table_rows(g["how.approval"]) == table_rows(p["how.review"])
        lead = answers["crisis_lead"]
        for text in (g["how.approval"], p["how.review"], g["when.crisis"], p["when.crisis"]):
            assert f"crisis lead ({lead})" in text
        times = {re.search(r"acknowledge\w*\**\s+(?:goes out\s+)?within (\d+ hours?)", t, re.I).group(1)
                 for t in (g["how.approval"], p["how.review"], g["when.crisis"], p["when.crisis"])}
        assert times == {"1 hour"}
        assert "Crisis lead" not in p["how.review"]  # no fixed text standing in for the answer
        # The same training interval.
        months = answers["training_months"]
        interval = "every month" if months == 1 else f"every {months} months"
        assert interval in g["who.training"] and interval in p["who.certification"]
        # The certification interval is its own answer, not the review interval.
        assert "every 12 months" in assemble(policy, dict(answers, review_months=12, training_months=6)).document.body
        assert "renews their certification every 6 months" in assemble(policy, dict(answers, review_months=12, training_months=6)).document.body


# ---- the governance model shapes the operations -----------------------------------

MODEL_SECTIONS = {
    EMPLOYEE: ("who.roles", "who.spokespeople", "how.approval", "how.complaints", "when.crisis", "appendix.faq"),
    POLICY: ("who.model", "who.responsibilities", "who.staffing", "who.certification", "how.triage", "how.review",
             "when.response-times", "when.crisis", "when.calendar", "governance.measurement", "appendix.crisis-playbook"),
    BRIEF: ("who.team",),
}
# The operations of the governance policy: each must differ substantially between any two models.
OPERATIONS = ("who.staffing", "how.triage", "when.response-times", "when.crisis", "when.calendar")


def _word_difference(a: str, b: str) -> float:
    wa, wb = a.split(), b.split()
    same = sum(block.size for block in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_matching_blocks())
    return 1 - same / max(len(wa), len(wb))


@pytest.mark.parametrize("set_id", SET_IDS)
def test_model_specific_sections_differ_between_every_pair_of_models(library, set_id):
    tset = library.get(set_id)
    for maturity in MATURITIES:
        chunks = {m: dict(assemble(tset, {"governance_model": m, "maturity": maturity, "organization": "Northwind"}).chunks)
                  for m in MODELS}
        for clause in MODEL_SECTIONS[set_id]:
            texts = {m: chunks[m][clause] for m in MODELS}
            assert len(set(texts.values())) == len(MODELS), (clause, maturity)


def test_the_model_runs_the_operations_differently(library):
    tset = library.get(POLICY)
    chunks = {m: dict(assemble(tset, {"governance_model": m, "organization": "Northwind"}).chunks) for m in MODELS}
    for clause in OPERATIONS:
        for a, b in itertools.combinations(MODELS, 2):
            assert _word_difference(chunks[a][clause], chunks[b][clause]) > 0.1, (clause, a, b)
    # Side by side, any two model drafts differ in more than a few words (the review found 4%).
    bodies = {m: assemble(tset, {"governance_model": m, "organization": "Northwind"}).document.body for m in MODELS}
    for a, b in itertools.combinations(MODELS, 2):
        assert _word_difference(bodies[a], bodies[b]) > 0.07, (a, b)
    # A centralised policy has no deputies outside the central team to plan cover with.
    central = "\n".join(chunks["centralised"].values())
    assert not re.search(r"(?i)(owner|cover|absence)[^.|]*deput|deput[^.|]*(owner|cover|takes over)", central)
    assert re.search(r"(?i)(owner|cover|absence)[^.|]*deput", "\n".join(chunks["hub_and_spoke"].values()))
    assert "rota" in chunks["centralised"]["when.response-times"]


@pytest.mark.parametrize("set_id", (EMPLOYEE, POLICY))
def test_decentralised_teams_never_need_the_centres_consent(library, set_id):
    """Decentralised: teams open accounts themselves; no clause makes them ask the central team."""
    tset = library.get(set_id)
    consent = re.compile(r"(?i)\b(agreement|agrees?|approv\w*|permission|ask\w*|decides?|signs? off)\b")
    coe = tset.question("coe_name").default
    for answers in matrix(tset):
        if answers["governance_model"] != "decentralised":
            continue
        for cid, text in assemble(tset, answers).chunks:
            for line in text.split("\n"):
                if line.startswith("|"):
                    # A table row: the central team is never the one responsible for opening or approving.
                    cells = [c.strip() for c in line.strip("|").split("|")]
                    if len(cells) > 1 and consent.search(cells[0]) and "table" not in cells[0]:
                        assert coe not in cells[1], (cid, line)
                    continue
                for sentence in re.split(r"(?<=[.;])\s+", line):
                    if coe in sentence and consent.search(sentence):
                        assert "when a team asks for it" in sentence, (cid, sentence)


# ---- legal notes ------------------------------------------------------------------------


@pytest.mark.parametrize("set_id, clause", [(EMPLOYEE, "governance.rights"), (POLICY, "governance.legal")])
def test_rights_are_dated_and_present_for_every_country_choice(library, set_id, clause):
    tset = library.get(set_id)
    for countries in list(JURISDICTIONS) + [[]]:
        chunks = dict(assemble(tset, {"jurisdiction": countries}).chunks)
        assert clause in chunks, countries
        text = chunks[clause]
        assert "as of 5 December 2026" in text and "by 5 June 2027" in text
        for code, name in COUNTRY_NAMES.items():
            assert (f"**{name}.**" in text) == (code in countries), (countries, name)
        if not countries:
            assert "[to be decided: countries whose law applies]" in text
        assert "will not be applied that way" not in text


def test_country_notes_carry_what_each_law_needs(library):
    guidelines, policy = library.get(EMPLOYEE), library.get(POLICY)
    us = assemble(guidelines, {"jurisdiction": ["us"]}).document.body
    assert "Section 7 of the National Labor Relations Act" in us and "Stericycle" in us
    assert "California Labor Code section 980" in us  # personal-account passwords
    eu = assemble(guidelines, {"jurisdiction": ["eu"]}).document.body
    assert "Whistleblowing Directive (2019/1937)" in eu and "Stericycle" not in eu
    for countries in (["eu"], ["uk"], ["us", "uk"], ["eu", "uk", "other"]):
        annex = dict(assemble(policy, {"jurisdiction": countries}).chunks)["appendix.data-protection"]
        for topic in ("Lawful basis", "Data minimisation", "Retention", "Subject access requests",
                      "Joint controllership", "Notice to employees"):
            assert f"**{topic}.**" in annex, (countries, topic)
        notice = dict(assemble(guidelines, {"jurisdiction": countries}).chunks)["how.monitoring"]
        assert "necessary, proportionate and announced" in notice
    for countries in (["us"], ["other"], ["us", "other"]):
        assert "appendix.data-protection" not in dict(assemble(policy, {"jurisdiction": countries}).chunks)


# Words that only a United States legal note uses.
US_LAW = re.compile(r"United States|National Labor|NLRB|NLRA|Stericycle|Federal Trade|FTC|16 CFR|HIPAA|FINRA|\bSEC\b|"
                    r"Regulation FD|Hatch Act|Section 508|Lindke|NARA|California|Illinois")


@pytest.mark.parametrize("set_id", SET_IDS)
def test_us_law_appears_only_where_the_us_is_ticked(library, set_id):
    """Guidelines for a UK company (EU, UK and other countries ticked) said
    "because the standards change: the National Labor Relations Board's
    changed in 2004, 2017 and 2023": US law, in broken English."""
    tset = library.get(set_id)
    asks = {q.id for q in tset.questions}
    found = {}
    for countries in [c for c in JURISDICTIONS if "us" not in c] + [[]]:
        for sector in SECTORS:
            answers = {"jurisdiction": countries, "sector": sector, "runs_contests": True, "uses_agencies": True}
            body = assemble(tset, {k: v for k, v in answers.items() if k in asks}).document.body
            for m in US_LAW.finditer(body):
                found.setdefault(m.group(0), (countries, sector, body[max(0, m.start() - 80):m.end() + 40]))
    assert not found, found
    with_us = assemble(tset, {"jurisdiction": ["uk", "us"]} if "jurisdiction" in asks else {}).document.body
    assert "Board's changed" not in with_us
    if set_id == EMPLOYEE:
        assert "National Labor Relations Board changed its standard for work rules in 2004, 2017 and 2023" in with_us


# ---- labour-law risk --------------------------------------------------------------------

# Rules the review found a labour regulator would strike down, as they were worded.
RISKY = [
    r"Do not comment on the incident",
    r"Posting anonymously about .* does not put a post outside",
    r"When you write about .* our field, say that you work here",
    r"Do not copy internal posts to public platforms",
    r"logo and brand assets of .* on official accounts only",
    r"Ask colleagues before you post a photo",
    r"^- Disagree about ideas, not about people",
    r"do not speculate about their outcome",
    r"During working hours",
    r"will not be applied that way",
]


def test_labour_law_risky_rules_are_gone_from_every_draft(library):
    tset = library.get(EMPLOYEE)
    patterns = [re.compile(p, re.M) for p in RISKY]
    for answers, chunks, body in drafts(tset):
        found = [p.pattern for p in patterns if p.search(body)]
        assert found == [], (found, answers)
        # Disclosure is asked for endorsements, not for everything about work.
        assert "recommend" in chunks["how.disclosure"]
        assert "Personal accounts are not pre-approved" in chunks["how.approval"]


def test_no_ghost_writing_and_the_reactive_path_is_coherent(library):
    policy = assemble(library.get(POLICY), {"uses_agencies": True}).document.body
    agencies = section(policy, "Agencies, freelancers")
    assert "No ghost-writing" in agencies and "approved by that person" not in agencies
    brief = library.get(BRIEF)
    for model in MODELS:
        body = assemble(brief, {"approach": "reactive", "governance_model": model}).document.body
        assert "proactive" in body
        assert "keep a decentralised" not in body.lower()


# ---- sectors ----------------------------------------------------------------------------

SECTOR_MARKS = {
    "healthcare": {EMPLOYEE: ("how.privacy", "patient"), POLICY: ("governance.records", "patient")},
    "financial_services": {EMPLOYEE: ("how.confidential", "shares or bonds"), POLICY: ("governance.records", "cannot be changed")},
    "public_sector": {EMPLOYEE: ("how.respect", "Political activity"), POLICY: ("how.moderation", "viewpoint")},
}


@pytest.mark.parametrize("sector", [s for s in SECTORS if s != "general"])
def test_each_sector_adds_and_changes_clauses(library, sector):
    for set_id in (EMPLOYEE, POLICY):
        tset = library.get(set_id)
        general = dict(assemble(tset, {"sector": "general"}).chunks)
        chosen = dict(assemble(tset, {"sector": sector}).chunks)
        assert "how.sector" in chosen and "how.sector" not in general
        clause, words = SECTOR_MARKS[sector][set_id]
        assert words in chosen[clause] and words not in general[clause], (set_id, clause)
    us = dict(assemble(library.get(POLICY), {"sector": sector, "jurisdiction": ["us"]}).chunks)["how.sector"]
    law = {"healthcare": "HIPAA", "financial_services": "FINRA Rule 2210", "public_sector": "Lindke v. Freed"}[sector]
    assert law in us
    other = dict(assemble(library.get(POLICY), {"sector": sector, "jurisdiction": ["other"]}).chunks)["how.sector"]
    assert law not in other


# ---- appendices, maturity and reading level ---------------------------------------------


def test_appendices_a_policy_owner_would_otherwise_write(library):
    policy = assemble(library.get(POLICY), {"organization": "Northwind"}).document.body
    playbook = section(policy, "Appendix A: Crisis playbook")
    for part in ("Severity levels", "Holding statements", "Contact tree", "Pausing scheduled posts", "Reaching each account's log-in"):
        assert f"### {part}" in playbook
    assert "Welcome to the pages of Northwind" in section(policy, "Appendix B: House rules")
    guidelines = assemble(library.get(EMPLOYEE), {"organization": "Northwind"}).document.body
    assert "## Appendix A: The rules in brief" in guidelines
    faq = section(guidelines, "Appendix B: Questions and examples")
    assert len(re.findall(r"^\*\*[^*]+\*\*$", faq, re.M)) >= 8
    support = section(guidelines, "Appendix C: Support if you are harassed online")
    assert "not your fault" in support and "emergency services" in support


@pytest.mark.parametrize("set_id", SET_IDS)
def test_maturity_keeps_its_promise(library, set_id):
    """Novice explains, intermediate gives short reasons, advanced leaves the explanations out."""
    tset = library.get(set_id)
    words = {}
    for maturity in MATURITIES:
        body = assemble(tset, {"maturity": maturity}).document.body
        words[maturity] = len(body.split())
        boxes = body.count("> **Why")
        assert (boxes == 0) == (maturity != "novice"), (maturity, boxes)
        # A promise about the draft's own shape is kept ("each part ends with practical steps" was not).
        if re.search(r"(?i)each part ends with", body):
            parts = [p for p in re.split(r"\n(?=## )", body)[1:]]
            assert all("practical steps" in p.lower() for p in parts), maturity
    assert words["novice"] > words["intermediate"] > words["advanced"]
    assert words["advanced"] < 0.91 * words["novice"]
    assert "rules only" not in tset.question("maturity").help


@pytest.mark.parametrize("set_id", SET_IDS)
def test_plain_language_holds(library, set_id):
    tset = library.get(set_id)
    for model in MODELS:
        body = assemble(tset, {"governance_model": model}).document.body
        assert grade_level(body) < 10.5, model
