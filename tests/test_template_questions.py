"""Question types and helpers the new templates rely on: the multi-choice
question (answers, markers, old single-choice answers, the wizard's tick
boxes), the dated legal notes of a manifest, and the wording helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidelines_app.drafting.answers import AnswerError, check_answers, marker
from guidelines_app.drafting.helpers import capfirst, every, long_date, plural
from guidelines_app.drafting.library import assemble, load_library
from guidelines_app.ui.drafting.wizard import NewGuidelineWizard

MANIFEST = """\
id: tiny
title: Tiny policy
description: A small set for tests.
{dates}questions:
  - id: countries
    type: multichoice
    label: Countries
    default: [us]
    marker: countries
    choices:
      - {{value: us, label: United States}}
      - {{value: eu, label: European Union}}
      - {{value: other, label: Other countries}}
sections:
  - intro
  - clause: eu-note
    if: "'eu' in countries"
"""

INTRO = """\
---
id: intro
title: Intro
category: governance
purpose: Names the countries.
---
# {{ title }}

{% for c in countries %}{{ c }}{% if not loop.last %}, {% endif %}{% endfor %}. As of {{ legal_as_of }}, check by {{ legal_review_by }}.
"""

EU_NOTE = """\
---
id: eu-note
title: EU note
category: governance
purpose: Only when the EU is chosen.
---
## European Union

The GDPR applies.
"""


def make_set(root: Path, dates: str = "legal_as_of: 2026-12-05\nlegal_review_by: 2027-06-05\n") -> Path:
    folder = root / "tiny"
    (folder / "sections").mkdir(parents=True)
    (folder / "manifest.yaml").write_text(MANIFEST.format(dates=dates), encoding="utf-8")
    (folder / "sections" / "intro.md").write_text(INTRO, encoding="utf-8")
    (folder / "sections" / "eu-note.md").write_text(EU_NOTE, encoding="utf-8")
    return root


def test_multichoice_answers_are_lists_in_the_questions_order(tmp_path):
    tset = load_library(builtin=make_set(tmp_path)).get("tiny")
    assert check_answers(tset, {})["countries"] == ["us"]
    assert check_answers(tset, {"countries": ["other", "EU", "us", "eu"]})["countries"] == ["us", "eu", "other"]
    # A single value (as a single choice stored it) and a comma list are read too.
    assert check_answers(tset, {"countries": "eu"})["countries"] == ["eu"]
    assert check_answers(tset, {"countries": "us, European Union"})["countries"] == ["us", "eu"]
    with pytest.raises(AnswerError) as err:
        check_answers(tset, {"countries": ["us", "mars"]})
    assert "'mars'" in str(err.value) and "us, eu, other" in str(err.value)
    with pytest.raises(AnswerError):
        check_answers(tset, {"countries": {"us": True}})


def test_multichoice_drives_conditions_and_blank_is_a_marker(tmp_path):
    tset = load_library(builtin=make_set(tmp_path)).get("tiny")
    both = assemble(tset, {"countries": ["us", "eu"]}).document.body
    assert "us, eu. As of 5 December 2026, check by 5 June 2027." in both
    assert "## European Union" in both
    assert "## European Union" not in assemble(tset, {"countries": ["us"]}).document.body
    blank = assemble(tset, {"countries": []})
    assert "[to be decided: countries]" in blank.document.body
    assert blank.answers["countries"] == []


def test_legal_dates_are_checked_and_missing_ones_are_markers(tmp_path):
    lib = load_library(builtin=make_set(tmp_path / "none", dates=""))
    body = assemble(lib.get("tiny"), {}).document.body
    assert "As of [to be decided: date the legal notes were checked]" in body
    lib = load_library(builtin=make_set(tmp_path / "bad", dates="legal_as_of: 5 Dec 2026\n"))
    assert lib.sets == {} and "YYYY-MM-DD" in str(lib.problems[0])
    lib = load_library(builtin=make_set(tmp_path / "order", dates="legal_as_of: 2027-01-01\nlegal_review_by: 2026-01-01\n"))
    assert lib.sets == {} and "must come after" in str(lib.problems[0])


def test_old_single_choice_answers_still_assemble():
    """Documents drafted when the jurisdiction was a single choice keep working."""
    tset = load_library().get("employee-social-media-guidelines")
    result = assemble(tset, {"jurisdiction": "other"})
    assert result.answers["jurisdiction"] == ["other"]
    assert "**Other countries.**" in result.document.body


def test_wording_helpers():
    assert plural(1, "month") == "1 month" and plural(3, "month") == "3 months"
    assert plural(1500000, "active relationship") == "1,500,000 active relationships"
    assert plural(2, "full-time equivalent person") == "2 full-time equivalent people"
    assert every(1, "month") == "every month" and every(6, "month") == "every 6 months"
    # A blank answer whose marker names the unit already does not say it twice.
    assert every(marker("training interval in months"), "month") == "every [to be decided: training interval in months]"
    assert plural(marker("staff"), "person") == "[to be decided: staff] people"
    assert capfirst("northwind") == "Northwind" and capfirst("eBay") == "eBay" and capfirst("Acme") == "Acme"
    assert long_date("2027-06-05", "x") == "5 June 2027"
    assert long_date("", "check date") == "[to be decided: check date]"


def test_a_team_or_role_name_takes_the_only_where_it_reads_so():
    from guidelines_app.drafting.answers import marker
    from guidelines_app.drafting.helpers import the

    assert the("Social Media Center of Excellence") == "the Social Media Center of Excellence"
    assert the("Digital Team") == "the Digital Team" and the("Head of Communications") == "the Head of Communications"
    assert the("Group Communications") == "Group Communications" and the("Comms") == "Comms"
    assert the("Dana Reyes") == "Dana Reyes"
    assert the("the Digital Team") == "the Digital Team" and the("The Digital Team") == "the Digital Team"
    assert capfirst(the("the Digital Team")) == "The Digital Team" and capfirst(the("comms")) == "Comms"
    assert the("Social Media Team (Marketing)") == "the Social Media Team (Marketing)"
    blank = marker("name of the central social media team")
    assert the(blank) is blank and the("") == ""


def _questions_of(qtbot, set_id: str) -> NewGuidelineWizard:
    """The questionnaire on the first page of *set_id*'s questions."""
    wizard = NewGuidelineWizard(None, load_library())
    qtbot.addWidget(wizard)
    wizard.select_set(set_id)
    wizard.go_next()
    return wizard


def test_wizard_multichoice_tick_boxes(qtbot):
    wizard = _questions_of(qtbot, "employee-social-media-guidelines")
    field = wizard.field("jurisdiction")
    assert field.value() == ["us"]
    field.boxes["eu"].setChecked(True)
    field.boxes["uk"].setChecked(True)
    field.boxes["us"].setChecked(False)
    assert field.value() == ["eu", "uk"]
    wizard.refresh_preview()
    body = wizard.assembly().document.body
    assert "**European Union.**" in body and "**United Kingdom.**" in body and "**United States.**" not in body
    qtbot.waitUntil(lambda: "European Union." in wizard.preview.toPlainText(), timeout=5000)
    # Answers carry over to the governance policy, which asks the same question.
    wizard.select_set("social-media-governance-policy")
    assert wizard.field("jurisdiction").value() == ["eu", "uk"]
    # An old stored single value, and nothing ticked (to be decided).
    wizard.field("jurisdiction").set_value("us")
    assert wizard.field("jurisdiction").value() == ["us"]
    wizard.field("jurisdiction").set_value([])
    wizard.refresh_preview()
    assert "[to be decided: countries whose law applies]" in wizard.assembly().document.body
    wizard.done(0)  # (closed as Cancel does, without its question about the answers)


def test_the_brands_question_is_greyed_out_unless_the_model_has_a_hub_per_brand(qtbot):
    wizard = _questions_of(qtbot, "employee-social-media-guidelines")
    brands = wizard.field("brands")
    wizard.field("governance_model").set_value("hub_and_spoke")
    assert not brands.isEnabled()
    wizard.field("governance_model").set_value("multiple_hub_and_spoke")
    assert brands.isEnabled()
    brands.set_value(["Nordics", "Iberia"])
    wizard.field("governance_model").set_value("centralised")
    assert not brands.isEnabled() and brands.value() == ["Nordics", "Iberia"]  # (greyed out, its answer kept)
    wizard.done(0)  # (closed as Cancel does, without its question about the answers)
