"""guidelines templates / clauses / new --template."""

from __future__ import annotations

import json

import pytest

from guidelines_app.cli.main import main
from guidelines_app.core.document import Document


@pytest.fixture(autouse=True)
def _no_safety_net(monkeypatch):
    """The CLI's last-resort handler re-raises: no case here may need it."""
    monkeypatch.setenv("GUIDELINES_CLI_STRICT", "1")

SET_IDS = ("employee-social-media-guidelines", "social-media-governance-policy", "social-media-strategy-brief")


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_templates_json_lists_sets_and_questions(workspace, capsys):
    code, out, err = run(capsys, "--workspace", str(workspace.root), "templates", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert [s["id"] for s in data] == list(SET_IDS)
    for s in data:
        assert s["title"] and s["description"] and s["questions"]
        for q in s["questions"]:
            assert {"id", "type", "default", "help"} <= set(q)
            if q["type"] == "choice":
                assert isinstance(q["choices"], list) and q["default"] in q["choices"]
    model = next(q for q in data[0]["questions"] if q["id"] == "governance_model")
    assert model["choices"] == ["decentralised", "centralised", "hub_and_spoke", "multiple_hub_and_spoke", "holistic"]
    assert model["default"] == "hub_and_spoke"


def test_templates_text_and_clauses(workspace, capsys):
    code, out, _ = run(capsys, "--workspace", str(workspace.root), "templates")
    assert code == 0 and "social-media-strategy-brief\tSocial media strategy brief" in out
    code, out, _ = run(capsys, "--workspace", str(workspace.root), "clauses", "--category", "where")
    rows = [line.split("\t") for line in out.strip().splitlines()]
    assert rows and all(r[1] == "where" for r in rows)
    assert any(r[0] == "social-media-governance-policy/where.inventory" for r in rows)
    code, _, err = run(capsys, "--workspace", str(workspace.root), "clauses", "--category", "why")
    assert code == 2 and err.startswith("error: 'why' is not a clause category")


@pytest.mark.parametrize("set_id", SET_IDS)
def test_new_from_each_template_is_the_first_revision(workspace, capsys, set_id):
    code, out, err = run(capsys, "--workspace", str(workspace.root), "new", "--template", set_id)
    assert code == 0, err
    slug = out.split("\t")[0]
    doc = Document.load(workspace.path(slug))
    assert doc.meta["template"] == set_id
    assert doc.meta["answers"]["governance_model"] == "hub_and_spoke"
    assert len(workspace.history(slug)) == 1
    assert not workspace.has_unsaved_file_changes(slug)


def test_new_with_answers_file_and_title(workspace, capsys, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("organization: Northwind Health\ngovernance_model: centralised\nstaff_count: 3\n", encoding="utf-8")
    code, out, err = run(capsys, "--workspace", str(workspace.root), "new", "--template", "social-media-governance-policy",
                         "--answers", str(answers), "--title", "Northwind social media policy")
    assert code == 0, err
    doc = Document.load(workspace.path(out.split("\t")[0]))
    assert doc.title == "Northwind social media policy"
    assert doc.organization == "Northwind Health"
    assert doc.meta["answers"]["staff_count"] == 3
    assert "about 450 active relationships" in doc.body
    assert "### Our governance model: centralized" in doc.body


@pytest.mark.parametrize(
    "content, words",
    [
        ("governance_model: matrix\n", "answer 'governance_model' is 'matrix'; allowed values: decentralised, centralised, hub_and_spoke"),
        ("staff_count: lots\n", "answer 'staff_count' must be a whole number"),
        ("colour: blue\n", "answer 'colour' is not a question"),
        # The same answer twice: the last was taken without a word.
        ("organization: Acme\norganization: Northwind\n", "line 2: 'organization' is given twice (also on line 1)"),
    ],
)
def test_bad_answers_file_is_refused(workspace, capsys, tmp_path, content, words):
    answers = tmp_path / "answers.yaml"
    answers.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "--workspace", str(workspace.root), "new", "--template", "social-media-governance-policy", "--answers", str(answers))
    assert code == 2
    assert err.startswith("error: ") and words in err and err.count("\n") == 1
    assert workspace.documents() == []


def test_new_without_template_still_needs_title(workspace, capsys):
    code, _, err = run(capsys, "--workspace", str(workspace.root), "new")
    assert code == 2 and "a title is needed" in err
    code, out, err = run(capsys, "--workspace", str(workspace.root), "new", "--title", "Blank one")
    assert code == 0 and Document.load(workspace.path("blank-one")).meta["template"] == ""
    code, _, err = run(capsys, "--workspace", str(workspace.root), "new", "--template", "nope")
    assert code == 2 and "there is no template 'nope'" in err


def test_workspace_template_with_problem_is_warned_about(workspace, capsys):
    broken = workspace.root / "templates" / "broken"
    (broken / "sections").mkdir(parents=True)
    (broken / "manifest.yaml").write_text("id: broken\ntitle: [oops\n", encoding="utf-8")
    code, out, err = run(capsys, "--workspace", str(workspace.root), "templates", "--json")
    assert code == 0
    assert len(json.loads(out)) == 3
    assert "warning: template skipped:" in err and "manifest.yaml, line" in err


def test_an_organization_given_twice_and_differently_is_refused(workspace, capsys, tmp_path):
    """`--organization Other` with an answers file that names another was
    overridden by the file without a word."""
    answers = tmp_path / "answers.yaml"
    answers.write_text("organization: Northwind\n", encoding="utf-8")
    code, out, err = run(capsys, "--workspace", str(workspace.root), "new", "--template", "social-media-governance-policy",
                         "--answers", str(answers), "--organization", "Other")
    assert code == 2 and "--organization 'Other' and the answers file's organization 'Northwind' differ" in err
    assert err.count("\n") == 1 and workspace.documents() == []
