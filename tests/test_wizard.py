"""GUI: the New Guideline wizard, the clause library, re-answering and the
to-be-decided list, with real widgets and a real workspace."""

from __future__ import annotations

import pytest
from dialog_watchdog import on_modal
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from guidelines_app.drafting.library import assemble, load_library
from guidelines_app.ui.drafting.reanswer_dialog import ReanswerDialog
from guidelines_app.ui.drafting.wizard import NewGuidelineWizard
from guidelines_app.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, workspace, settings):
    w = MainWindow(workspace, settings)
    w.show()
    yield w
    # Close without the "save your changes?" prompt a modified draft would
    # raise (qtbot.addWidget would close it before this could run).
    w.editor.document().setModified(False)
    w.doc = None
    w.close()
    w.deleteLater()


def open_template_doc(window, author, answers=None, set_id="employee-social-media-guidelines"):
    doc = assemble(load_library().get(set_id), answers or {"organization": "Northwind"}).document
    slug, _ = window.ws.create_document(doc, author)
    window.refresh_documents()
    window.open_document(slug)
    return slug


def marked_words(document):
    """The struck-through (deleted) and underlined, highlighted (inserted)
    text of a view of changes."""
    marked = {"deleted": "", "inserted": ""}
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.fontStrikeOut():
                marked["deleted"] += fragment.text()
            elif fmt.fontUnderline() and fmt.background().style() != Qt.BrushStyle.NoBrush:
                marked["inserted"] += fragment.text()
            it += 1
        block = block.next()
    return marked


def heading_texts(document):
    block, found = document.begin(), []
    while block.isValid():
        if block.blockFormat().headingLevel():
            found.append(block.text())
        block = block.next()
    return " | ".join(found)


def test_complete_the_wizard_creates_and_commits_the_draft(qtbot, window):
    seen = {}

    def drive(wizard):
        wizard.select_set("social-media-governance-policy")
        wizard.title_edit.setText("Northwind social media policy")
        wizard.go_next()
        wizard.field("organization").set_value("Northwind Health")
        wizard.field("governance_model").set_value("centralised")
        wizard.go_next()
        wizard.field("staff_count").set_value(3)
        wizard.refresh_preview()
        # The live preview shows the answers before the draft is created.
        qtbot.waitUntil(lambda: "about 450 active relationships" in wizard.preview.toPlainText(), timeout=5000)
        seen["preview"] = wizard.preview.toPlainText()
        wizard.finish()

    on_modal(NewGuidelineWizard, drive)  # (once the templates are read, on a worker)
    window.act_new.trigger()
    qtbot.waitUntil(lambda: window.slug is not None, timeout=5000)
    assert window.slug == "northwind-social-media-policy"
    history = window.ws.history(window.slug)
    assert len(history) == 1
    assert not window.ws.has_unsaved_file_changes(window.slug)
    assert window.doc.meta["template"] == "social-media-governance-policy"
    assert window.doc.meta["answers"]["governance_model"] == "centralised"
    text = window.editor.text()
    assert "about 450 active relationships" in text
    assert "### Our governance model: centralized" in text
    assert "Northwind Health" in seen["preview"]


def test_the_templates_are_read_on_a_worker_and_cancelling_opens_no_wizard(qtbot, window, monkeypatch):
    """Reading and compiling the templates held the window 0.4-0.6 s at the
    first New Guideline: they are read on a worker, a progress dialog with
    Cancel after a moment; cancelled, no wizard opens and nothing is made."""
    import threading

    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from guidelines_app.ui.drafting import feature

    threads, release = [], threading.Event()

    def slow(root):
        threads.append(threading.current_thread())
        release.wait(10)
        return load_library(root)

    monkeypatch.setattr(feature, "load_library", slow)
    shown = []

    def cancel(dialog):
        shown.append(dialog.labelText())
        dialog.findChild(QPushButton).click()  # its Cancel button

    on_modal(QProgressDialog, cancel)
    before = [d.slug for d in window.ws.documents()]
    window.act_new.trigger()  # returns once cancelled
    release.set()
    assert shown == ["Reading the templates…"] and threads and threads[0] is not threading.main_thread()
    assert window.slug is None and [d.slug for d in window.ws.documents()] == before
    templates = window.features["templates"]
    assert templates._library is None  # (cancelled: read again next time)

    on_modal(NewGuidelineWizard, lambda wizard: shown.append("wizard") or wizard.reject())
    window.act_new.trigger()
    assert shown[-1] == "wizard" and len(threads) == 2 and threads[1] is not threading.main_thread()


def test_wizard_keeps_answers_when_going_back_and_switching_sets(qtbot, window):
    wizard = NewGuidelineWizard(window, load_library())
    qtbot.addWidget(wizard)
    wizard.select_set("social-media-strategy-brief")
    wizard.go_next()
    wizard.field("organization").set_value("Contoso")
    wizard.field("approach").set_value("proactive")
    wizard.go_next()
    wizard.go_back()
    wizard.go_back()
    assert wizard.pages.currentIndex() == 0
    wizard.select_set("employee-social-media-guidelines")
    assert wizard.field("organization").value() == "Contoso"  # shared answers carry over
    wizard.select_set("social-media-strategy-brief")
    assert wizard.field("approach").value() == "proactive"
    wizard.refresh_preview()
    assert "**proactive**" in wizard.assembly().document.body
    qtbot.waitUntil(lambda: "proactive" in wizard.preview.toPlainText(), timeout=5000)
    wizard.grab().save(str(window.ws.root / "wizard.png"))
    assert (window.ws.root / "wizard.png").stat().st_size > 10_000
    wizard.done(0)  # (closed as Cancel does, without its question about the answers)


def test_wizard_blank_document_still_possible(qtbot, window):
    wizard = NewGuidelineWizard(window, load_library())
    qtbot.addWidget(wizard)
    wizard.select_set("__blank__")
    wizard.finish()
    assert not wizard.result()  # a blank document needs a title
    wizard.title_edit.setText("From scratch")
    wizard.finish()
    assert wizard.result()
    doc = wizard.document()
    assert doc.title == "From scratch" and doc.meta["template"] == ""


def test_the_first_page_asks_once_and_each_name_stands_above_its_description(qtbot, window):
    """"What are you writing?" was asked twice (the heading and the list's
    label), and a template's name had the weight of its description."""
    from PySide6.QtWidgets import QLabel

    from guidelines_app.ui.drafting.wizard import TitledItems

    wizard = NewGuidelineWizard(window, load_library())
    qtbot.addWidget(wizard)
    wizard.resize(1100, 700)
    wizard.show()
    qtbot.waitExposed(wizard)
    asked = [label for label in wizard.findChildren(QLabel) if label.isVisible() and "What are you writing?" in label.text()]
    assert len(asked) == 1
    items = wizard.set_list
    assert isinstance(items.itemDelegate(), TitledItems)
    # The name and the description each get their room: the description wraps at a narrower width.
    index = items.model().index(0, 0)
    wide = items.visualRect(index).height()
    wizard.resize(700, 700)
    qtbot.waitUntil(lambda: items.visualRect(index).height() > wide, timeout=5000)
    name_line = items.fontMetrics().height()
    assert items.visualRect(index).height() >= 3 * name_line


def test_insert_clause_from_the_library(qtbot, window, author):
    open_template_doc(window, author, {"organization": "Northwind"})
    feature = window.features["templates"]
    window.features["templates"].act_library.trigger()
    assert feature.clause_dock.isVisible()
    panel = feature.panel
    panel.category.setCurrentIndex(panel.category.findData("where"))
    assert all(panel.tree.topLevelItem(n).text(0) == "Where" for n in range(panel.tree.topLevelItemCount()))
    # Under the category, the template each clause comes from: two "Where (part heading)" no longer sit side by side unnamed.
    where = panel.tree.topLevelItem(0)
    templates = [where.child(n).text(0) for n in range(where.childCount())]
    assert len(templates) == len(set(templates)) >= 2 and "Social media governance policy" in templates
    for n in range(where.childCount()):
        titles = [where.child(n).child(k).text(0) for k in range(where.child(n).childCount())]
        assert titles and len(titles) == len(set(titles))
    assert "Pick a clause" in panel.view.toPlainText()  # the empty pane says what it is for
    panel.search.setText("impostor")
    assert panel.select("social-media-governance-policy", "where.unauthorised")
    assert "impostor" in panel.view.toPlainText()
    cursor = window.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    before = window.editor.text()
    panel.insert_button.click()
    after = window.editor.text()
    assert after.startswith(before.rstrip("\n"))
    assert "### Unofficial and impostor accounts" in after
    # Rendered with the document's own answers.
    assert "uses the name, logo or products of Northwind" in after
    assert window.is_modified()


def test_reanswer_shows_diff_before_applying_and_keeps_hand_edits(qtbot, window, author):
    open_template_doc(window, author, {"organization": "Northwind", "governance_model": "hub_and_spoke"})
    editor = window.editor
    text = editor.text().replace("### Training\n\n", "### Training\n\nOur own training sentence.\n\n")
    editor.setPlainText(text)
    feature = window.features["templates"]
    tset = load_library().get("employee-social-media-guidelines")
    new_answers = dict(window.doc.meta["answers"], governance_model="centralised")
    seen = {}

    def inspect():
        dialog = _reanswer_dialog(seen)
        if dialog is None:
            return
        seen["diff"] = dialog.diff_view.toPlainText()
        seen["marked"] = marked_words(dialog.diff_view.document())
        seen["headings"] = heading_texts(dialog.diff_view.document())
        seen["checked"] = dialog.accepted_ids()
        seen["text_before_apply"] = editor.text()
        dialog.accept()

    QTimer.singleShot(0, inspect)
    assert feature.review_and_apply(tset, window.doc.meta["answers"], new_answers)
    # Shown as the Compare view shows changes: text, not Markdown or diff lines.
    assert "Northwind runs social media" in seen["diff"]
    assert "**" not in seen["diff"]
    assert not any(line.startswith(("#", "> ", "+ ", "- ")) for line in seen["diff"].splitlines())
    assert "centrally" in seen["marked"]["inserted"] and "hub and spoke" in seen["marked"]["deleted"]
    assert "Who does what" in seen["headings"]
    assert "who.roles" in seen["checked"] and "who.training" not in seen["checked"]
    assert "hub and spoke" in seen["text_before_apply"]  # nothing applied before the dialog was accepted
    result = editor.text()
    assert "runs social media **centrally**" in result
    assert "Our own training sentence." in result
    assert window.doc.meta["answers"]["governance_model"] == "centralised"
    assert window.is_modified()
    editor.undo()
    assert "hub and spoke" in editor.text()


def test_reanswer_says_plainly_that_a_section_edited_by_hand_keeps_the_old_answer(qtbot, window, author):
    """A new contact is not filled into a section edited by hand unless it
    is ticked: the note next to it and the view of the changes say so, and
    ticking it shows (and applies) the new contact there too."""
    open_template_doc(window, author, {"organization": "Northwind", "contact": "Ann Lee"})
    editor = window.editor
    heading = "### Complaints and questions you come across\n\n"
    assert heading in editor.text()
    editor.setPlainText(editor.text().replace(heading, heading + "Our own complaints sentence.\n\n"))
    tset = load_library().get("employee-social-media-guidelines")
    seen = {}

    def inspect():
        dialog = _reanswer_dialog(seen)
        if dialog is None:
            return
        item = next(dialog.sections.topLevelItem(n) for n in range(dialog.sections.topLevelItemCount())
                    if dialog.sections.topLevelItem(n).data(0, Qt.ItemDataRole.UserRole) == "how.complaints")
        seen["ticked"], seen["note"] = item.checkState(0) == Qt.CheckState.Checked, item.text(2)
        seen["before"] = dialog.diff_view.toPlainText()
        item.setCheckState(0, Qt.CheckState.Checked)  # as a click on its box does
        seen["after"] = dialog.diff_view.toPlainText()
        seen["marked"] = marked_words(dialog.diff_view.document())
        dialog.accept()

    QTimer.singleShot(0, inspect)
    assert window.features["templates"].review_and_apply(tset, window.doc.meta["answers"],
                                                         dict(window.doc.meta["answers"], contact="Bob Stone"))
    assert "unexpected" not in seen
    assert not seen["ticked"]
    assert "You edited this section: tick it to replace your edits with the new answers" in seen["note"]
    assert "Not changed, as you edited them and they are not ticked: “Complaints and questions you come across”" in seen["before"]
    assert "Not changed" not in seen["after"] and "Complaints and questions you come across" in seen["after"]
    assert "Our own complaints sentence." in seen["marked"]["deleted"]
    assert "Bob Stone" in seen["marked"]["inserted"]
    assert "Our own complaints sentence." not in editor.text()
    assert "Ann Lee" not in editor.text()


def test_reanswer_cancel_changes_nothing(qtbot, window, author):
    open_template_doc(window, author)
    before = window.editor.text()
    tset = load_library().get("employee-social-media-guidelines")
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())
    applied = window.features["templates"].review_and_apply(tset, window.doc.meta["answers"],
                                                        dict(window.doc.meta["answers"], maturity="advanced"))
    assert not applied
    assert window.editor.text() == before
    assert window.doc.meta["answers"]["maturity"] == "novice"


def test_reanswer_menu_opens_questionnaire_with_stored_answers(qtbot, window, author):
    open_template_doc(window, author, {"organization": "Northwind", "staff_count": 5}, set_id="social-media-governance-policy")
    assert window.features["templates"].act_reanswer.isEnabled()
    seen = {}

    def look(wizard):
        seen["org"] = wizard.field("organization").value()
        seen["staff"] = wizard.field("staff_count").value()
        seen["page"] = wizard.pages.currentIndex()
        wizard.done(0)  # (closed as Cancel does, without its question about the answers)

    on_modal(NewGuidelineWizard, look)  # (once the templates are read, on a worker)
    window.features["templates"].act_reanswer.trigger()
    assert seen == {"org": "Northwind", "staff": 5, "page": 1}


def test_to_be_decided_list_and_jump(qtbot, window, author):
    open_template_doc(window, author, {"organization": "Northwind", "contact": ""})
    feature = window.features["templates"]
    feature.act_markers.trigger()
    dock = feature.markers_dock
    dock.refresh()
    labels = [dock.list.item(n).text() for n in range(dock.list.count())]
    # Each entry says where it is: the section (and the table row), then what is open.
    assert any(label.endswith(": contact for questions") for label in labels)
    item = dock.list.item(labels.index(next(label for label in labels if label.endswith(": contact for questions"))))
    dock._jump(item)
    line = window.editor.textCursor().block().text()
    assert "[to be decided: contact for questions]" in line


def _reanswer_dialog(seen: dict):
    """The Re-answer dialog that is open (None, noted in *seen*, when another is)."""
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, ReanswerDialog):
        seen["unexpected"] = repr(dialog)
        if dialog is not None:
            dialog.close()
        return None
    return dialog


def test_cancelling_the_questionnaire_asks_before_throwing_answers_away(qtbot, window):
    """Esc or Cancel after answering closed the wizard at once, every answer lost."""
    from PySide6.QtWidgets import QMessageBox

    wizard = NewGuidelineWizard(window, load_library())
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.reject()  # nothing answered yet: closed without a question
    assert not wizard.isVisible()
    wizard = NewGuidelineWizard(window, load_library())
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.select_set("employee-social-media-guidelines")
    wizard.go_next()
    wizard.field("organization").set_value("Brightwater Logistics")
    asked = []

    def answer(label):
        def press(box):
            asked.append(box.text())
            next(b for b in box.buttons() if b.text() == label).click()
        return press

    on_modal(QMessageBox, answer("Keep Answering"))
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert asked == ["Discard your answers?"] and wizard.isVisible()
    assert wizard.field("organization").value() == "Brightwater Logistics"
    on_modal(QMessageBox, answer("Discard Answers"))
    wizard.cancel_button.click()
    assert len(asked) == 2 and not wizard.isVisible() and wizard.result() == 0
