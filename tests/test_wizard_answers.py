"""Questionnaire answers that have a home in the document's details land
there, and the Word title page shows them: through assemble, the real
wizard (pytest-qt) and the CLI's `new --template --answers`.  Re-answering
moves the details with the answers that changed."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn

from guidelines_app.cli.main import main
from guidelines_app.core.document import Document, add_months
from guidelines_app.drafting.library import DETAIL_QUESTIONS, assemble, load_library
from guidelines_app.publishing.docx.details import ExportDetails
from guidelines_app.publishing.export import ExportSource, export
from guidelines_app.ui.drafting.wizard import NewGuidelineWizard

LIBRARY = load_library()
TODAY = _dt.date(2026, 12, 5)
# A value a template default could never produce, per details field.
ANSWERS = {"organization": "Quillfeather Cooperative", "owners": "Head of Member Voice", "review_cadence_months": 7}
# What the Word title page shows of each details field (None: the title page
# has no row for it; the details still carry it for the header, the
# properties and the next-review date).
ON_TITLE_PAGE = {"organization": lambda v: v.upper(), "owners": lambda v: v,
                 "review_cadence_months": lambda v: f"ReviewEvery {v} months; next by "}

CASES = [(tset.id, q.id, DETAIL_QUESTIONS[q.id]) for tset in LIBRARY.ordered()
         for q in tset.questions if q.id in DETAIL_QUESTIONS]


def test_every_set_asks_for_organization_and_each_governing_set_for_an_owner():
    """The cases below are not empty by accident: the sets' own questions."""
    asked = {(s, key) for s, _, key in CASES}
    for tset in LIBRARY.ordered():
        assert (tset.id, "organization") in asked
        assert (tset.id, "review_cadence_months") in asked
    assert ("social-media-governance-policy", "owners") in asked
    assert ("employee-social-media-guidelines", "owners") in asked


def title_page_text(path: Path) -> str:
    """The text of the title page: every paragraph and table cell before
    the first page break, in order."""
    body = WordDocument(str(path)).element.body
    parts = []
    for element in body.iterchildren():
        parts.append("".join(t.text or "" for t in element.iter(qn("w:t"))))
        if any(br.get(qn("w:type")) == "page" for br in element.iter(qn("w:br"))):
            break
    return "\n".join(parts)


def check_lands(doc: Document, key: str, tmp_path: Path, today: _dt.date) -> None:
    value = ANSWERS[key]
    if key == "owners":
        assert doc.owners == [value]
    else:
        assert doc.meta[key] == value
    if key == "review_cadence_months":
        assert doc.next_review == add_months(today, 7)
    # Saved and read back, the details keep the answer.
    again = Document.parse(doc.to_text())
    assert again.meta[key] == doc.meta[key]
    shown = ON_TITLE_PAGE[key]
    if shown is None:
        return
    out = export(ExportSource(doc, ExportDetails.from_document(doc), None, "current text"), "docx", tmp_path / "t.docx")
    page = title_page_text(out)
    assert shown(value) in page or value in page
    if key == "owners":
        assert "Owners" + value in page  # the label cell, then its value


@pytest.mark.parametrize(("set_id", "qid", "key"), CASES)
def test_answer_reaches_details_and_title_page_through_assemble(set_id, qid, key, tmp_path):
    doc = assemble(LIBRARY.get(set_id), {qid: ANSWERS[key]}, today=TODAY).document
    check_lands(doc, key, tmp_path, TODAY)


@pytest.mark.parametrize(("set_id", "qid", "key"), CASES)
def test_answer_reaches_details_and_title_page_through_the_wizard(qtbot, set_id, qid, key, tmp_path):
    wizard = NewGuidelineWizard(None, LIBRARY)
    qtbot.addWidget(wizard)
    wizard.select_set(set_id)
    wizard.go_next()
    wizard.field(qid).set_value(ANSWERS[key])
    wizard.finish()
    assert wizard.result() == NewGuidelineWizard.DialogCode.Accepted
    check_lands(wizard.document(), key, tmp_path, _dt.date.today())


def test_default_owner_is_on_the_title_page_not_a_dash(tmp_path):
    doc = assemble(LIBRARY.get("social-media-governance-policy"), {}).document
    assert doc.owners == ["Head of Communications"]
    page = title_page_text(export(ExportSource(doc, ExportDetails.from_document(doc), None, "x"), "docx", tmp_path / "d.docx"))
    assert "Head of Communications" in page


def test_blank_owner_sets_no_owner_and_no_marker_text_in_details():
    doc = assemble(LIBRARY.get("social-media-governance-policy"), {"owner_role": ""}).document
    assert doc.owners == []
    assert "[to be decided: owner of the policy]" in doc.body  # the body still says it is open


@pytest.fixture(autouse=True)
def _strict_cli(monkeypatch):
    monkeypatch.setenv("GUIDELINES_CLI_STRICT", "1")


@pytest.mark.parametrize(("set_id", "qid", "key"), CASES)
def test_cli_new_from_answers_file_fills_the_details(workspace, capsys, tmp_path, set_id, qid, key):
    answers = tmp_path / "answers.yaml"
    answers.write_text(f"{qid}: {ANSWERS[key]}\n", encoding="utf-8")
    code = main(["--workspace", str(workspace.root), "new", "--template", set_id, "--answers", str(answers),
                 "--title", "Answers land"])
    assert code == 0, capsys.readouterr().err
    doc = workspace.load("answers-land")
    value = ANSWERS[key]
    assert (doc.owners == [value]) if key == "owners" else doc.meta[key] == value


def test_reanswering_moves_the_details_with_the_changed_answers(qtbot, workspace, settings, author, tmp_path):
    """Re-answer "who owns this policy" and the review cadence in an open
    draft: the details and the title page follow; details the owner set by
    hand for answers that did not change are kept."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from guidelines_app.publishing.export import source_from_workspace
    from guidelines_app.ui.drafting.reanswer_dialog import ReanswerDialog
    from guidelines_app.ui.main_window import MainWindow

    tset = LIBRARY.get("social-media-governance-policy")
    doc = assemble(tset, {"organization": "Northwind"}, today=TODAY).document
    doc.meta["organization"] = "Northwind Ltd"  # set by hand; its answer is not re-answered
    slug, _ = workspace.create_document(doc, author)
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    w.open_document(slug)
    owner_q = next(q.id for q in tset.questions if DETAIL_QUESTIONS.get(q.id) == "owners")
    cadence_q = next(q.id for q in tset.questions if DETAIL_QUESTIONS.get(q.id) == "review_cadence_months")
    seen = []

    def answer_dialogs():  # whatever the plan shows (the text changes or not), accept it; nothing else may appear
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            return
        seen.append(type(dialog).__name__)
        dialog.accept() if isinstance(dialog, ReanswerDialog) else dialog.reject()

    timer = QTimer(interval=50)
    timer.timeout.connect(answer_dialogs)
    timer.start()
    try:
        new = dict(w.doc.meta["answers"], **{owner_q: ANSWERS["owners"], cadence_q: 7})
        assert w.features["templates"].review_and_apply(tset, w.doc.meta["answers"], new)
    finally:
        timer.stop()
    assert set(seen) <= {"ReanswerDialog"}
    assert w.doc.owners == [ANSWERS["owners"]]
    assert w.doc.meta["review_cadence_months"] == 7
    assert w.doc.next_review == add_months(_dt.date.today(), 7)
    assert w.doc.organization == "Northwind Ltd"
    page = title_page_text(export(source_from_workspace(w.ws, w.slug, text=w.current_text()), "docx", tmp_path / "r.docx"))
    assert "Owners" + ANSWERS["owners"] in page and "ReviewEvery 7 months; next by " in page
    # Close without the "save your changes?" prompt the changed details would raise.
    w.editor.document().setModified(False)
    w.doc = None
