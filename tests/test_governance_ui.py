"""The Check panel and the governance actions in the real window
(pytest-qt, offscreen): jump to a finding, apply its wording as an undoable
edit, dismiss it with a reason kept in the details; request review, sign
off, and the acknowledgements dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from guidelines_app.core.document import Document
from guidelines_app.review import attest, check, history, signoff

BODY = ("# Policy\n\n## Time\n\nPersonal posts are fine outside work. No personal posts during working hours.\n\n"
        "## Reviews\n\nWe review accounts every 1 months.\n")


@pytest.fixture
def window(qtbot, workspace, settings, author):
    workspace.create_document(Document.new("Policy", body=BODY), author)
    from guidelines_app.ui.main_window import MainWindow

    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    w.open_document(workspace.documents()[0].slug)
    return w


def _checked(qtbot, feature):
    with qtbot.waitSignal(feature.checked, timeout=10000) as blocker:
        feature.show_and_check()
    return blocker.args[0]


def _finding(result, rule):
    return next(f for f in result.findings if f.rule == rule)


def test_the_panel_groups_findings_by_section_and_jumps(qtbot, window):
    feature = window.features["governance"]
    result = _checked(qtbot, feature)
    assert feature.dock.isVisible()
    groups = [feature.panel.tree.topLevelItem(n).text(0) for n in range(feature.panel.tree.topLevelItemCount())]
    assert groups[:2] == ["Time (1)", "Reviews (1)"]
    hours = _finding(result, "legal.working-hours")
    feature.panel.select(hours)
    assert "working time" in feature.panel.detail.text() and "NLRA" in feature.panel.detail.text()
    feature.panel.go_button.click()
    cursor = window.editor.textCursor()
    assert cursor.blockNumber() == hours.line and cursor.selectedText() == "during working hours"
    # One column the whole width (a "Line" column gave a number the formatted editor does
    # not show); the whole finding, which a narrow panel cuts short, in its tooltip.
    tree = feature.panel.tree
    assert tree.columnCount() == 1 and tree.isHeaderHidden()
    item = tree.currentItem()
    assert item.toolTip(0).startswith(item.text(0)) and hours.why in item.toolTip(0)


def test_check_document_checks_once_and_shows_every_finding_expanded(qtbot, window, monkeypatch):
    """F7 on a hidden panel: showing it starts the check, and Check
    Document no longer starts a second one (two workers checked the whole
    policy, the first answer thrown away); each section's findings show."""
    feature = window.features["governance"]
    calls, real = [], check.check_document
    monkeypatch.setattr(check, "check_document", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    result = _checked(qtbot, feature)
    qtbot.wait(200)  # (a second check would have reported by now)
    assert calls == [window.slug]
    tree = feature.panel.tree
    groups = [tree.topLevelItem(n) for n in range(tree.topLevelItemCount())]
    assert all(g.isExpanded() for g in groups)
    assert sum(g.childCount() for g in groups) == len(result.findings) == len(feature.panel.findings_shown())
    feature.show_and_check()  # shown already: F7 checks again, once
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=10000)
    qtbot.wait(200)
    assert len(calls) == 2


def test_apply_is_an_undoable_edit(qtbot, window):
    feature = window.features["governance"]
    result = _checked(qtbot, feature)
    seam = _finding(result, "seams.number-unit")
    feature.panel.select(seam)
    assert feature.panel.apply_button.isEnabled()
    with qtbot.waitSignal(feature.checked, timeout=10000) as blocker:
        feature.panel.apply_button.click()
    assert "every 1 month." in window.editor.text() and "1 months" not in window.editor.text()
    assert "seams.number-unit" not in {f.rule for f in blocker.args[0].findings}
    window.editor.undo()
    assert "every 1 months." in window.editor.text()


def test_apply_refuses_when_the_text_moved(qtbot, window):
    feature = window.features["governance"]
    seam = _finding(_checked(qtbot, feature), "seams.number-unit")
    window.editor.setPlainText(window.editor.text().replace("every 1 months", "each month"))
    from PySide6.QtWidgets import QMessageBox

    shown = []
    original = QMessageBox.information
    QMessageBox.information = staticmethod(lambda *a, **k: shown.append(a[2]))
    try:
        assert feature.apply(seam) is False
    finally:
        QMessageBox.information = original
    assert shown and "changed" in shown[0]


def test_dismiss_keeps_the_reason_in_the_details_and_saves_with_them(qtbot, window, workspace):
    feature = window.features["governance"]
    hours = _finding(_checked(qtbot, feature), "legal.working-hours")
    with qtbot.waitSignal(feature.checked, timeout=10000) as blocker:
        assert feature.dismiss(hours, "Our staff are in Germany; the works council agreed")
    assert hours.key not in {f.key for f in blocker.args[0].findings}
    assert window.is_modified()
    assert window.save_revision("Dismiss a finding")
    kept = check.dismissals(workspace.load(window.slug))
    assert kept == {hours.key: "Our staff are in Germany; the works council agreed"}


def test_request_review_sign_off_and_publish_from_the_window(qtbot, window, workspace, author, monkeypatch):
    import threading

    feature = window.features["governance"]
    threads = []
    for name in ("request_review", "sign_off"):
        real = getattr(signoff, name)
        monkeypatch.setattr(signoff, name, lambda *a, real=real, **k: threads.append(threading.current_thread()) or real(*a, **k))
    said = []
    window.statusBar().messageChanged.connect(said.append)
    assert feature.request_review_from([signoff.Reviewer("Legal", "Ann Lee")])
    assert workspace.load(window.slug).status == "in review"
    qtbot.wait(300)  # (Qt tells of the file written meanwhile: the app's own change, not an outside one)
    assert "Review requested from Legal (Ann Lee)" in said and not any("outside the app" in m for m in said), said
    problems = history.publish_gate(workspace, window.slug)
    assert [p.kind for p in problems] == ["signoff"]
    assert feature.record_signoff("Legal", "Ann Lee", "fine")
    assert window.statusBar().currentMessage() == "Sign-off recorded: Ann Lee for Legal"
    assert history.publish_gate(workspace, window.slug) == []
    assert len(threads) == 2 and threading.main_thread() not in threads  # both written on a worker
    history.publish(workspace, window.slug, "First version", "Ann Lee", author)


def test_acknowledgements_dialog_imports_and_reports(qtbot, window, workspace, author, tmp_path):
    history.publish(workspace, window.slug, "First version", "Ann Lee", author)
    feature = window.features["governance"]
    dialog = feature.show_attestation()
    qtbot.waitUntil(lambda: "version 1.0" in dialog.state.text(), timeout=10000)
    # No list yet: said so, and how to start ("0 of 0 people have acknowledged version 1.x; 0 have not").
    assert dialog.state.text().startswith("No list of the people who must read it yet") and "0 of 0" not in dialog.state.text()
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email,team\nAnn,ann@example.org,Legal\nBo,bo@example.org,HR\n", encoding="utf-8")
    assert feature.import_csv(str(roster))
    assert "0 of 2 people" in dialog.state.text() and dialog.tree.topLevelItemCount() == 2
    acks = tmp_path / "acks.csv"
    acks.write_text("email,version,date\nbo@example.org,1.0,2026-12-05\n", encoding="utf-8")
    assert feature.import_csv(str(acks))
    assert "1 of 2 people" in dialog.state.text()
    assert attest.report(workspace, window.slug).missing_count == 1
    with qtbot.waitSignal(feature.form_exported, timeout=20000) as blocker:
        feature.export_form(str(tmp_path / "ack.docx"))
    assert blocker.args[0].is_file()
    dialog.close()


def test_exporting_the_form_says_where_it_went(qtbot, window, workspace, author, tmp_path):
    """The main export says "Exported to ..." in the status bar; the form's
    export said nothing at all."""
    history.publish(workspace, window.slug, "First version", "Ann Lee", author)
    feature = window.features["governance"]
    target = tmp_path / "ack.docx"
    with qtbot.waitSignal(feature.form_exported, timeout=20000):
        feature.export_form(str(target))
        assert "Exporting the acknowledgement form" in window.statusBar().currentMessage()
    assert target.is_file()
    assert window.statusBar().currentMessage() == f"Exported to {target}"


def test_the_owner_sets_the_readability_target(qtbot, window):
    feature = window.features["governance"]
    result = _checked(qtbot, feature)
    assert result.figures["target"] == 10 and feature.panel.target.value() == 10
    with qtbot.waitSignal(feature.checked, timeout=10000) as blocker:
        feature.panel.target.setValue(8)
        feature.panel.target.editingFinished.emit()
    assert blocker.args[0].figures["target"] == 8 and window.doc.meta["readability_target"] == 8
    assert window.is_modified()
    assert window.save_revision("Readability target 8")
    assert window.ws.load(window.slug).meta["readability_target"] == 8


def _with_dialog(fill, action):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog

    seen = {}

    def step(left=400):  # (a dialog that reads git first opens once that is done: ``jobs.wait_for``)
        d = QApplication.activeModalWidget()
        if d is None or isinstance(d, QProgressDialog):
            if left:
                QTimer.singleShot(25, lambda: step(left - 1))
            return
        seen["d"] = d
        try:
            fill(d)
        except BaseException as exc:  # noqa: BLE001 - reported after the dialog is closed
            seen["error"] = exc
            d.reject()

    QTimer.singleShot(0, step)
    result = action()
    if "error" in seen:
        raise seen["error"]
    return result


def test_request_review_and_sign_off_through_their_dialogs(qtbot, window, workspace):
    feature = window.features["governance"]

    def name_reviewers(d):
        assert d.objectName() == "request-review-dialog"
        d.lines.setPlainText("Legal = \n")
        d.buttons.accepted.emit()
        assert d.error.isVisible() and "Legal" in d.error.text()  # a role without a person is refused
        d.lines.setPlainText("Legal = Ann Lee\nCommunications = Cy Diaz\n")
        d.buttons.accepted.emit()

    assert _with_dialog(name_reviewers, feature.request_review)
    assert [r.role for r in signoff.required_reviewers(workspace.load(window.slug))] == ["Legal", "Communications"]

    def sign(d):
        assert d.objectName() == "signoff-dialog"
        assert "Legal (Ann Lee): not signed off yet" in d.findChild(type(d.error), "signoff-state").text()
        assert d.role.currentData().role == "Legal" and d.name.text() == "Ann Lee"
        d.comment.setText("Carve-out is there")
        d.buttons.accepted.emit()

    assert _with_dialog(sign, feature.sign_off)
    legal, comms = signoff.state(workspace, window.slug)
    assert legal.signed and legal.current.comment == "Carve-out is there" and not comms.signed


def test_the_check_panel_colours_follow_the_appearance(qtbot, window):
    """Errors were dark red (#a40000) in dark mode too: barely readable on
    the near-black panel."""
    from PySide6.QtGui import QColor

    from guidelines_app.core import colours
    from guidelines_app.review.check import severity_rank
    from guidelines_app.ui import appearance

    feature = window.features["governance"]
    result = _checked(qtbot, feature)
    tree = feature.panel.tree

    def shown(severity: str) -> set[str]:
        return {tree.topLevelItem(g).child(n).foreground(0).color().name()
                for g in range(tree.topLevelItemCount()) for n in range(tree.topLevelItem(g).childCount())
                if tree.topLevelItem(g).child(n).data(0, Qt.ItemDataRole.UserRole).severity == severity}

    worst = min(result.findings, key=lambda f: severity_rank(f.severity)).severity
    assert worst in ("error", "warning")
    try:
        appearance.choose(window, "dark")
        expected = QColor(getattr(colours.DARK, worst)).name()
        assert shown(worst) == {expected}
        from PySide6.QtGui import QPalette

        qtbot.waitUntil(lambda: tree.palette().color(QPalette.ColorRole.Base).lightness() < 128, timeout=5000)
        assert colours.contrast(expected, tree.palette().color(QPalette.ColorRole.Base).name()) >= 4.5
        appearance.choose(window, "light")
        assert shown(worst) == {QColor(getattr(colours.LIGHT, worst)).name()}
    finally:
        appearance.choose(window, "system")


def test_a_sections_findings_show_the_errors_first(qtbot):
    """Errors were mixed among a section's notes in the text's order, so a
    publishing-blocking one could sit below a screen of reading-grade notes."""
    from guidelines_app.review.check import CheckResult, Finding
    from guidelines_app.ui.governance.check_panel import CheckPanel

    def finding(rule, severity, line, section):
        return Finding(rule, "legal", severity, f"{severity} {rule}", "why", line=line, section=section)

    panel = CheckPanel()
    qtbot.addWidget(panel)
    panel.show_result(CheckResult([finding("a", "note", 1, "Who"), finding("b", "warning", 2, "Who"),
                                   finding("c", "error", 3, "Who"), finding("d", "note", 4, "Who"),
                                   finding("e", "error", 9, "Where"), finding("f", "note", None, "")], [], {}))
    shown = [[panel.tree.topLevelItem(g).child(n).data(0, Qt.ItemDataRole.UserRole).rule
              for n in range(panel.tree.topLevelItem(g).childCount())] for g in range(panel.tree.topLevelItemCount())]
    assert shown == [["c", "b", "a", "d"], ["e"], ["f"]]  # sections in the text's order, each most serious first
