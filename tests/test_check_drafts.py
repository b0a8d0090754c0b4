"""The policy check on drafts of the built-in templates, as a policy owner
outside the United States meets them: a rule of one jurisdiction only
blocks publishing where the document's own "whose law applies" answer
includes that jurisdiction (or there is no answer); and the coverage check
recognises the topics the templates cover, whatever the answers."""

from __future__ import annotations

import datetime as _dt

import pytest

from guidelines_app.core.document import Document
from guidelines_app.drafting.library import assemble, load_library
from guidelines_app.review import history
from guidelines_app.review.check import check_text, load_rules

TODAY = _dt.date(2026, 12, 5)
RULES = load_rules()
EMPLOYEE = "employee-social-media-guidelines"
# What the reviewer added to the guidelines of a UK logistics company.
NEGATIVE = "Employees must never post negative comments about the company or management."
HOURS = "Do not use personal social media during working hours."


@pytest.fixture(scope="module")
def library():
    lib = load_library()
    assert lib.problems == []
    return lib


def uk_answers(**more) -> dict:
    answers = {"organization": "Northwind Logistics", "contact": "hr-helpdesk@northwind.co.uk",
               "media_contact": "press@northwind.co.uk", "code_of_conduct": "the Northwind code of conduct",
               "jurisdiction": ["eu", "uk", "other"]}
    answers.update(more)
    return answers


def draft_with(tset, answers: dict, *sentences: str) -> Document:
    doc = assemble(tset, answers, today=TODAY).document
    doc.body = doc.body.rstrip("\n") + "\n\n## House rules\n\n" + "\n\n".join(sentences) + "\n"
    return doc


def legal(doc: Document) -> dict:
    return {f.rule: f for f in check_text(doc.to_text(), RULES, today=TODAY).findings if f.category == "legal"}


def test_a_us_rule_is_a_note_only_where_the_answers_leave_the_us_out(library):
    tset = library.get(EMPLOYEE)
    found = legal(draft_with(tset, uk_answers(), NEGATIVE, HOURS))
    civility, hours = found["legal.civility-personal"], found["legal.working-hours"]
    for finding in (civility, hours):
        assert finding.severity == "note"
        assert "only matters if you employ people in the United States" in finding.title
        assert finding.why.startswith("Only matters if you employ people in the United States")
        assert "NLRA" in finding.jurisdiction and finding.as_of == "2023-08-02"  # still says whose law it is
    assert civility.title.startswith('A "no disparaging" or civility rule')
    assert hours.replacement == "during working time"  # the better wording is still offered
    # Where the answers include the United States, it applies in full.
    for jurisdiction in (["us"], ["uk", "us"], ["us", "eu", "uk", "other"]):
        found = legal(draft_with(tset, uk_answers(jurisdiction=jurisdiction), NEGATIVE, HOURS))
        assert found["legal.civility-personal"].severity == "error", jurisdiction
        assert found["legal.working-hours"].severity == "warning", jurisdiction
        assert "only matters" not in found["legal.civility-personal"].title
    # An imported or hand-written document has no answers, and a blank answer
    # (nothing ticked) says nothing either: both are checked as before.
    imported = Document.new("Guidelines", body=f"## Conduct\n\n{NEGATIVE}\n")
    assert legal(imported)["legal.civility-personal"].severity == "error"
    blank = draft_with(tset, uk_answers(jurisdiction=[]), NEGATIVE)
    assert legal(blank)["legal.civility-personal"].severity == "error"


def test_a_rule_of_several_jurisdictions_applies_where_one_of_them_is_answered(library):
    text = "Do not discuss lawsuits or workplace accidents online."
    tset = library.get(EMPLOYEE)
    assert legal(draft_with(tset, uk_answers(jurisdiction=["uk"]), text))["legal.gag-legal-matters"].severity == "error"
    other = legal(draft_with(tset, uk_answers(jurisdiction=["other"]), text))["legal.gag-legal-matters"]
    assert other.severity == "note"
    assert "the United States, the European Union or the United Kingdom" in other.title
    # A data-protection rule (EU and UK) in guidelines for US staff only.
    monitoring = legal(draft_with(tset, uk_answers(jurisdiction=["us"]), "We monitor employees' social media accounts."))
    assert monitoring["legal.monitoring-unannounced"].severity == "note"
    assert "the European Union or the United Kingdom" in monitoring["legal.monitoring-unannounced"].title


def test_publishing_is_not_blocked_by_the_law_of_a_country_not_answered(library, workspace, author):
    tset = library.get(EMPLOYEE)
    slug, _ = workspace.create_document(draft_with(tset, uk_answers(), NEGATIVE), author)
    assert history.publish_gate(workspace, slug) == []
    us, _ = workspace.create_document(draft_with(tset, uk_answers(jurisdiction=["uk", "us"]), NEGATIVE), author)
    assert [(p.kind, p.label) for p in history.publish_gate(workspace, us)] == [("finding", "legal.civility-personal")]


# ---- coverage: the topics the templates cover are recognised --------------------------

POLICY, BRIEF = "social-media-governance-policy", "social-media-strategy-brief"
# What each clause of the built-in sets covers (the checklist's topic numbers),
# read from the clauses themselves.
COVERS = {
    EMPLOYEE: {
        "who.scope": {1}, "who.spokespeople": {2}, "who.roles": {3}, "who.training": {4}, "who.personal-accounts": {5},
        "who.influencers": {6}, "who.leaving": {7}, "how.disclosure": {8}, "how.own-views": {9}, "how.confidential": {10},
        "how.legal-matters": {11}, "how.privacy": {12}, "how.copyright": {13}, "how.respect": {14},
        "how.competitors": {15}, "how.mistakes": {16}, "how.approval": {17}, "how.complaints": {18},
        "when.work-time": {23}, "when.launches": {25}, "when.crisis": {26}, "where.platforms": {29, 31},
        "where.fake-accounts": {30}, "governance.rights": {33}, "governance.related-policies": {32},
        "governance.violations": {36}, "governance.acknowledgement": {37}, "governance.questions": {39},
        "governance.revision": {38},
    },
    POLICY: {
        "intro": {1, 2}, "who.model": {3}, "who.responsibilities": {3}, "who.staffing": {23}, "who.certification": {4},
        "who.agencies": {6}, "how.review": {17}, "how.moderation": {19}, "how.triage": {18}, "how.contests": {20},
        "how.security": {21}, "how.accessibility": {22}, "when.response-times": {24}, "when.crisis": {26},
        "when.calendar": {25}, "when.lifecycle": {7, 27}, "where.inventory": {28}, "where.new-accounts": {29},
        "where.unauthorised": {30}, "governance.records": {34}, "governance.measurement": {35},
        "governance.legal": {32, 33}, "governance.revision": {38}, "governance.contact": {39},
        "appendix.crisis-playbook": {26}, "appendix.house-rules": {19}, "appendix.data-protection": {12},
    },
    BRIEF: {
        "who.team": {3}, "who.capacity": {23}, "when.roadmap": {23, 25}, "where.channels": {28},
        "governance.measurement": {35}, "governance.revision": {38},
    },
}
# The sector clause, by the sector answer.
SECTOR_COVERS = {"healthcare": {12}, "financial_services": {17, 34}, "public_sector": {19, 22, 34}}
# Answers a policy owner gives (so no topic is "covered" by the words of a "[to be decided: ...]" marker).
GIVEN = {"organization": "Northwind Logistics", "contact": "hr-helpdesk@northwind.co.uk",
         "media_contact": "press@northwind.co.uk", "code_of_conduct": "https://intranet.northwind.co.uk/code",
         "sponsor": "the Chief Operating Officer", "coe_name": "Group Communications"}
COVERAGE = [r for r in RULES if r.id == "coverage.clause-topics"]


def varied_answers(tset):
    """The defaults, then every seventh answers set of the template matrix
    (models, maturities, paths, countries, sectors, edge answers), with the
    yes/no questions alternating and the contacts given."""
    from template_matrix import matrix

    yield {}
    for n, answers in enumerate(matrix(tset)):
        if n % 7 == 0 or tset.id == BRIEF:
            answers = {**answers, **{q: v for q, v in GIVEN.items() if tset.question(q) is not None}}
            answers.update({q.id: n % 2 == 0 for q in tset.questions if q.type == "boolean"})
            yield answers


def renamed_headings(body: str) -> str:
    """Every heading renamed to say nothing about its topic, as a policy owner may rename them."""
    lines = body.split("\n")
    return "\n".join(f"{line.split(' ', 1)[0]} Part {n}" if line.startswith("#") else line for n, line in enumerate(lines))


@pytest.mark.parametrize("set_id", [EMPLOYEE, POLICY, BRIEF])
def test_the_coverage_check_recognises_every_topic_the_templates_cover(library, set_id):
    tset = library.get(set_id)
    assert set(COVERS[set_id]) <= set(tset.clauses)
    problems, count = {}, 0
    for answers in varied_answers(tset):
        count += 1
        result = assemble(tset, answers, today=TODAY)
        covered = set().union(*(COVERS[set_id].get(clause, set()) for clause, _text in result.chunks))
        if "how.sector" in dict(result.chunks):
            covered |= SECTOR_COVERS[result.answers["sector"]]
        doc = result.document
        for body in (doc.body, renamed_headings(doc.body)):
            doc.body = body
            for f in check_text(doc.to_text(), COVERAGE, today=TODAY).findings:
                if int(f.matched.split()[-1]) in covered:
                    problems.setdefault(f.title, answers)
    assert count >= (30 if set_id == BRIEF else 100)
    assert not problems, "\n".join(f"{title}\n    with {answers}" for title, answers in problems.items())


def test_a_topic_not_covered_is_named_in_plain_words():
    words = " ".join(["People who post for us follow these rules."] * 40)
    found = [f for f in check_text(f"---\ntitle: T\n---\n## Who\n\n{words}\n", COVERAGE).findings]
    assert found and all(f.title.startswith("Not covered: ") for f in found)
    assert not [f.title for f in found if "checklist" in f.title or any(c.isdigit() for c in f.title)]
