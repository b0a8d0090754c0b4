"""The template engine: sandbox, error reporting, workspace templates,
answers checking and re-answering."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.paths import builtin_templates_dir
from guidelines_app.drafting.answers import AnswerError
from guidelines_app.drafting.library import assemble, load_answers_file, load_library
from guidelines_app.drafting.reanswer import plan_reanswer

MANIFEST = """\
id: tiny
title: Tiny policy
description: A small set for tests.
questions:
  - id: organization
    type: text
    label: Organization name
    default: Acme
  - id: governance_model
    type: choice
    label: Model
    default: hub_and_spoke
    choices: [decentralised, centralised, hub_and_spoke]
  - id: approver
    type: text
    label: Approver
    default: ""
sections:
  - intro
  - clause: extra
    if: governance_model == 'centralised'
"""

INTRO = """\
---
id: intro
title: Intro
category: who
purpose: Opens the tiny policy.
---
# {{ title }}

{{ organization }} runs {{ governance_model }}. Approved by {{ approver }}.
"""

EXTRA = """\
---
id: extra
title: Extra
category: how
purpose: Only for the centralised model.
---
## Central posting

One team posts.
"""


def make_set(root: Path, name: str = "tiny", manifest: str = MANIFEST, intro: str = INTRO, extra: str | None = EXTRA) -> Path:
    folder = root / name
    (folder / "sections").mkdir(parents=True)
    (folder / "manifest.yaml").write_text(manifest, encoding="utf-8")
    (folder / "sections" / "intro.md").write_text(intro, encoding="utf-8")
    if extra is not None:
        (folder / "sections" / "extra.md").write_text(extra, encoding="utf-8")
    return folder


@pytest.fixture
def builtin(tmp_path) -> Path:
    root = tmp_path / "builtin"
    make_set(root)
    return root


def test_tiny_set_assembles_with_condition_and_marker(builtin):
    lib = load_library(builtin=builtin)
    assert lib.problems == []
    tset = lib.get("tiny")
    result = assemble(tset, {"governance_model": "centralised"})
    body = result.document.body
    assert "Acme runs centralised. Approved by [to be decided: approver]." in body
    assert "## Central posting" in body
    assert result.markers == [(2, "approver")]
    assert "Central posting" not in assemble(tset, {}).document.body
    assert result.document.meta["template"] == "tiny"
    assert result.document.meta["answers"] == {"organization": "Acme", "governance_model": "centralised", "approver": ""}


def test_sandbox_refuses_python_internals(tmp_path):
    bad = INTRO.replace("{{ organization }}", "{{ ''.__class__.__mro__ }}")
    make_set(tmp_path / "b", intro=bad)
    lib = load_library(builtin=tmp_path / "b")
    assert lib.sets == {}
    (problem,) = lib.problems
    message = str(problem)
    assert "intro.md, line 9" in message
    assert "Python internals" in message and "__class__" in message


def test_sandbox_refuses_internals_reached_through_answers(builtin):
    # Answers are data: a string that looks like a template is printed, not run.
    tset = load_library(builtin=builtin).get("tiny")
    body = assemble(tset, {"organization": "{{ ''.__class__.__mro__ }}"}).document.body
    from guidelines_app.core.inline_markup import display_text

    assert "{{ ''.__class__.__mro__ }} runs" in display_text(body)  # shown as typed (its "_" escaped in the text)
    assert "object" not in body


@pytest.mark.parametrize(
    "change, where, words",
    [
        (("intro", INTRO.replace("{{ approver }}.", "{% if approver %}")), "intro.md, line 9", "syntax error"),
        (("intro", INTRO.replace("{{ approver }}", "{{ aprover }}")), "intro.md, line 9", "unknown variable 'aprover'"),
        (("manifest", MANIFEST.replace("  - intro\n", "  - intro\n  - missing-clause\n")), "manifest.yaml", "missing-clause"),
        (("manifest", MANIFEST.replace("type: choice", "type: dropdown")), "manifest.yaml, line 10", "allowed types"),
        (("manifest", MANIFEST.replace("description: A small set for tests.\n", "")), "manifest.yaml, line 1", "'description' is missing"),
        (("manifest", MANIFEST + "  - [unclosed\n"), "manifest.yaml, line 2", ""),
        (("manifest", MANIFEST.replace("if: governance_model == 'centralised'", "if: governance_model ==")), "manifest.yaml, line 21", "condition"),
        (("intro", INTRO.replace("category: who", "category: why")), "intro.md", "who, how, when, where, governance"),
        (("manifest", MANIFEST.replace('    default: ""\n', '    default: ""\n    asked_if: governance_modle == "x"\n')),
         "manifest.yaml, line 18", "unknown variable 'governance_modle'"),
    ],
)
def test_bad_template_is_reported_and_others_still_load(tmp_path, change, where, words):
    kind, text = change
    root = tmp_path / "lib"
    make_set(root, "good")
    if kind == "intro":
        make_set(root, "broken", manifest=MANIFEST.replace("id: tiny", "id: broken"), intro=text)
    else:
        make_set(root, "broken", manifest=text.replace("id: tiny", "id: broken"))
    lib = load_library(builtin=root)
    assert list(lib.sets) == ["tiny"]
    (problem,) = lib.problems
    assert str(problem.path).startswith(str(root / "broken"))
    assert where in str(problem), str(problem)
    assert words in str(problem)
    with pytest.raises(GuidelinesError, match="cannot be used"):
        lib.get("broken")


def test_missing_clause_file_names_the_manifest_line(tmp_path):
    make_set(tmp_path / "lib", extra=None)
    lib = load_library(builtin=tmp_path / "lib")
    (problem,) = lib.problems
    assert "manifest.yaml, line 20" in str(problem)
    assert "section 'extra' has no clause file" in str(problem)


def test_workspace_templates_add_and_override(tmp_path, builtin):
    ws_root = tmp_path / "ws"
    # A whole new set, and house clauses added to a built-in set.
    make_set(ws_root / "templates", "house", manifest=MANIFEST.replace("id: tiny", "id: house").replace("Tiny policy", "House policy"))
    house_clause = EXTRA.replace("id: extra", "id: house-rule").replace("One team posts.", "Our own house rule.")
    (ws_root / "templates" / "tiny" / "sections").mkdir(parents=True)
    (ws_root / "templates" / "tiny" / "sections" / "house-rule.md").write_text(house_clause, encoding="utf-8")
    # Overriding a built-in clause file by name.
    (ws_root / "templates" / "tiny" / "sections" / "intro.md").write_text(INTRO.replace("runs", "operates"), encoding="utf-8")
    lib = load_library(ws_root, builtin=builtin)
    assert lib.problems == []
    assert set(lib.sets) == {"tiny", "house"}
    assert lib.get("house").origin == "workspace"
    assert "house-rule" in lib.get("tiny").clauses
    assert "Acme operates" in assemble(lib.get("tiny")).document.body
    # A full set with a built-in id replaces the built-in one.
    make_set(ws_root / "templates", "tiny2", manifest=MANIFEST.replace("Tiny policy", "Our tiny policy"))
    shutil.rmtree(ws_root / "templates" / "tiny")
    lib = load_library(ws_root, builtin=builtin)
    assert lib.get("tiny").title == "Our tiny policy"
    assert lib.get("tiny").origin == "workspace"


def test_builtin_library_is_found_and_clean():
    lib = load_library()
    assert builtin_templates_dir().is_dir()
    assert lib.problems == []
    assert len(lib.sets) >= 3
    assert {c.category for _, c in lib.clauses()} == {"who", "how", "when", "where", "governance"}
    assert all(c.category == "when" for _, c in lib.clauses("when"))
    found = lib.clauses(search="embargo")
    assert found and all("embargo" in (c.title + c.purpose + c.source).lower() for _, c in found)


@pytest.mark.parametrize(
    "answers, field, words",
    [
        ({"governance_model": "matrix"}, "governance_model", "allowed values: decentralised, centralised, hub_and_spoke"),
        ({"staff_count": "many"}, "staff_count", "whole number from 0 to 10000"),
        ({"staff_count": -3}, "staff_count", "from 0 to 10000"),
        ({"runs_contests": "perhaps"}, "runs_contests", "yes or no"),
        ({"organization": ["a", "b"]}, "organization", "must be text"),
        ({"channels": [{"channel": "X", "colour": "blue"}]}, "channels", "unknown column 'colour'"),
        ({"channels": "LinkedIn"}, "channels", "list of rows"),
        ({"colour": "blue"}, "colour", "is not a question"),
    ],
)
def test_bad_answers_are_refused_naming_the_field(answers, field, words):
    tset = load_library().get("social-media-governance-policy")
    with pytest.raises(AnswerError) as info:
        assemble(tset, answers)
    assert info.value.field == field
    assert f"'{field}'" in str(info.value) and words in str(info.value)


def test_answers_accept_labels_and_friendly_spellings():
    tset = load_library().get("social-media-governance-policy")
    result = assemble(tset, {"governance_model": "Hub and spoke", "staff_count": "3", "uses_agencies": "no"})
    assert result.answers["governance_model"] == "hub_and_spoke"
    assert result.answers["staff_count"] == 3
    assert result.answers["uses_agencies"] is False
    # Either spelling of a choice ("Decentralized", the value "decentralised"), and a label as it read before.
    for typed in ("Decentralized", "decentralised", "Decentralised: each team runs its own accounts"):
        assert assemble(tset, {"governance_model": typed}).answers["governance_model"] == "decentralised", typed


def test_answers_file_errors_name_file_and_line(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("organization: Acme\ngovernance_model: [unclosed\n", encoding="utf-8")
    with pytest.raises(GuidelinesError, match=r"answers.yaml, line \d"):
        load_answers_file(path)
    with pytest.raises(GuidelinesError, match="does not exist"):
        load_answers_file(tmp_path / "nope.yaml")


# ---- re-answering ------------------------------------------------------------------


def test_reanswer_updates_untouched_sections_and_protects_edited_ones():
    tset = load_library().get("employee-social-media-guidelines")
    old = {"organization": "Northwind", "governance_model": "hub_and_spoke"}
    doc = assemble(tset, old).document
    body = doc.body.replace("### Training\n\n", "### Training\n\nOur own sentence about training.\n\n")
    new = dict(doc.meta["answers"], governance_model="centralised")
    plan = plan_reanswer(tset, doc.meta["answers"], new, body, doc.title)
    by_id = {c.clause: c for c in plan.changes}
    assert by_id["who.roles"].kind == "update" and not by_id["who.roles"].edited
    assert by_id["who.training"].edited
    assert "Our own sentence" in by_id["who.training"].current
    result = plan.apply()
    assert "runs social media **centrally**" in result
    assert "Our own sentence about training." in result  # kept: edited by hand
    assert "Each team's account owner and deputy" in result  # the old training text stays
    forced = plan.apply({c.clause for c in plan.changes})
    assert "Our own sentence" not in forced
    assert "Only members of the" in forced


def test_reanswer_adds_and_removes_conditional_sections():
    tset = load_library().get("social-media-governance-policy")
    doc = assemble(tset, {"runs_contests": False, "uses_agencies": True}).document
    plan = plan_reanswer(tset, doc.meta["answers"], dict(doc.meta["answers"], runs_contests=True, uses_agencies=False), doc.body, doc.title)
    kinds = {c.clause: c.kind for c in plan.changes}
    assert kinds == {"how.contests": "add", "who.agencies": "remove"}
    result = plan.apply()
    assert "### Contests, giveaways and surveys" in result
    assert "### Agencies, freelancers and influencers" not in result
    assert result.index("### Comments and moderation") < result.index("### Contests") < result.index("### Account security")
    # Re-answering with the same answers changes nothing.
    assert plan_reanswer(tset, doc.meta["answers"], doc.meta["answers"], doc.body, doc.title).changes == []


def test_reanswer_keeps_text_the_template_never_made():
    tset = load_library().get("social-media-strategy-brief")
    doc = assemble(tset).document
    body = doc.body + "\n## Appendix\n\nNotes added by hand.\n"
    plan = plan_reanswer(tset, doc.meta["answers"], dict(doc.meta["answers"], staff_count=5), body, doc.title)
    result = plan.apply()
    assert "about 750 active relationships" in result
    # The appendix sits inside the last template section, which now differs
    # from what the template made, so that section is protected, not lost.
    assert "Notes added by hand." in result


def test_bounds_change_no_built_in_text():
    """Every built-in clause renders exactly as in Jinja's plain sandbox (the
    bounds of drafting.bounds only refuse; they never alter text)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from guidelines_app.drafting.answers import blank_answers, defaults, is_decided
    from guidelines_app.drafting.helpers import capfirst
    from guidelines_app.drafting.library import _context, render_clause, tidy

    plain = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True,
                                 keep_trailing_newline=True)
    plain.tests["decided"] = is_decided
    plain.filters["capfirst"] = capfirst
    lib = load_library(None)
    checked = 0
    for tset in lib.ordered():
        for answers in (defaults(tset), blank_answers(tset)):
            ctx = _context(tset, answers, "A Title", None)
            for cid, clause in tset.clauses.items():
                expected = tidy(plain.from_string(clause.source).render(ctx))
                assert render_clause(tset, cid, answers, title="A Title") == expected, (tset.id, cid)
                checked += 1
    assert checked > 50


def test_typed_answers_show_as_typed_and_leave_the_draft_s_structure_alone(tmp_path):
    """Answers went into the draft as Markdown: "Smith | Sons" split the
    cells of a table's row, "*Ltd*" came out in italics, "<b>" and "[a](b)"
    became a tag and a link, and "# Hub" at a line's start a heading."""
    import docx

    from guidelines_app.core.document import Document
    from guidelines_app.core.inline_markup import display_text
    from guidelines_app.core.outline import outline
    from guidelines_app.publishing.docx import export_docx
    from guidelines_app.review.diff import split_sections

    tset = load_library().get("social-media-governance-policy")
    typed = {"organization": "Smith | Sons *Ltd* <b>x</b> [a](b) _c_", "coe_name": "# Hub",
             "governance_model": "multiple_hub_and_spoke", "brands": ["1. North | East", "- West *"],
             "channels": [{"channel": "Insta|gram", "purpose": "*Stories*", "owner": "> Team"}]}
    plain = {"organization": "Smith and Sons", "coe_name": "The Hub", "governance_model": "multiple_hub_and_spoke",
             "brands": ["North East", "West"], "channels": [{"channel": "Instagram", "purpose": "Stories", "owner": "Team"}]}
    a, b = assemble(tset, typed).document, assemble(tset, plain).document

    def shape(body):  # headings, then each section's kinds of blocks and the cells of each row
        return [(s.title, [(k.kind, k.content.count("\x1f") if k.kind == "row" else 0) for k in s.blocks])
                for s in split_sections(body)]

    assert [s.title for s in outline(a.body)] == [s.title for s in outline(b.body)]
    assert shape(a.body) == shape(b.body)
    shown = display_text(a.body)
    for words in ("how Smith | Sons *Ltd* <b>x</b> [a](b) _c_ runs", "1. North | East", "- West *", "*Stories*", "> Team"):
        assert words in shown, words
    out = export_docx(Document.parse(a.to_text()), tmp_path / "typed.docx")
    word = docx.Document(str(out))
    assert any("Smith | Sons *Ltd* <b>x</b> [a](b) _c_ runs" in p.text for p in word.paragraphs)
    rows = [[c.text for c in row.cells] for t in word.tables for row in t.rows]
    assert any(r[0] == "Insta|gram" and {"> Team", "*Stories*"} <= set(r) for r in rows), rows


def test_a_question_asked_only_for_some_answers(builtin, tmp_path):
    """``asked_if``: the questionnaire greys a question out while the other
    answers leave it unused (the brands of the hub-and-spoke model were
    asked whatever the model, their answers silently unused)."""
    from guidelines_app.drafting.library import not_asked

    make_set(tmp_path / "lib", manifest=MANIFEST.replace('    default: ""\n',
                                                         "    default: \"\"\n    asked_if: governance_model == 'centralised'\n"))
    tset = load_library(builtin=tmp_path / "lib").get("tiny")
    assert tset.question("approver").asked_if == "governance_model == 'centralised'"
    assert not_asked(tset, {}) == {"approver"}
    assert not_asked(tset, {"governance_model": "centralised"}) == set()
    assert not_asked(load_library(builtin=builtin).get("tiny"), {}) == set()  # (no asked_if: every question asked)
