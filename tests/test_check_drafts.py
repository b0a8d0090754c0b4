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
