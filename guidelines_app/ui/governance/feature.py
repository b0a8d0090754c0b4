"""Governance in the app: the Governance menu, the Check panel (a dock),
review requests, sign-offs and acknowledgements, installed into the main
window through its hooks.

Widgets only: the check is ``review.check`` (run on a worker, with its own
Workspace), sign-offs ``review.signoff``, acknowledgements
``review.attest``; applying a suggested wording is an ordinary undoable
edit, and a dismissal is kept in the document's details (saved with it)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QTextCursor
from PySide6.QtWidgets import QDockWidget, QFileDialog, QInputDialog, QMessageBox

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.wording import plural
from guidelines_app.review import attest, attest_form, check, signoff
from guidelines_app.ui import export_folder
from guidelines_app.ui.docks import add_side_panel, give_width
from guidelines_app.ui.fill import fill
from guidelines_app.ui.governance.check_panel import CheckPanel
from guidelines_app.ui.governance.dialogs import AttestationDialog, RequestReviewDialog, SignOffDialog
from guidelines_app.ui.jobs import CANCELLED, Jobs, in_workspace, wait_for

RECHECK_AFTER_MS = 1200  # after the last keystroke, while the panel is open


class GovernanceFeature(QObject):
    checked = Signal(object)  # the CheckResult just shown
    form_exported = Signal(object)  # the Path written

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.jobs = Jobs(self)
        self.panel = CheckPanel()
        self.dock = QDockWidget(self.tr("Check"), window)
        self.dock.setObjectName("check-dock")
        self.dock.setWidget(self.panel)
        add_side_panel(window, self.dock)  # a tab beside the other panels, never a sliver under them
        self.dock.hide()
        self.dock.visibilityChanged.connect(lambda visible: visible and self.run_check())
        self.panel.jump.connect(self.jump_to)
        self.panel.apply.connect(self.apply)
        self.panel.dismiss.connect(lambda f: self.dismiss(f))
        self.panel.recheck.connect(self.run_check)
        self.panel.target_changed.connect(self.set_target)
        self.timer = QTimer(self, singleShot=True, interval=RECHECK_AFTER_MS)
        self.timer.timeout.connect(self.run_check)
        window.editor.textChanged.connect(self._on_text_changed)
        window.document_opened.connect(self._on_document_opened)
        window.revision_saved.connect(lambda _slug, _commit: self.dock.isVisible() and self.run_check())
        self.attestation: AttestationDialog | None = None
        self._checks = 0  # checks started (Check Document starts one, unless showing the panel did)
        self._build_menu()

    def _build_menu(self) -> None:
        w = self.window
        menu = w.add_menu("Governance", self.tr("&Governance"), "governance-menu")
        self.act_check = w.add_action(menu, self.tr("&Check Document"), self.show_and_check, "F7",
                                      self.tr("What a careful reviewer would flag, section by section"))
        self.act_panel = self.dock.toggleViewAction()
        self.act_panel.setText(self.tr("Show Chec&k Panel"))
        self.act_panel.setShortcut(QKeySequence("Ctrl+Shift+K"))
        menu.addAction(self.act_panel)
        menu.addSeparator()
        self.act_request = w.add_action(menu, self.tr("Request &Review…"), self.request_review, tip=self.tr("Name the reviewers who must sign off"))
        self.act_signoff = w.add_action(menu, self.tr("&Sign Off…"), self.sign_off, tip=self.tr("Record a reviewer's sign-off of this revision"))
        menu.addSeparator()
        self.act_attest = w.add_action(menu, self.tr("&Acknowledgements…"), self.show_attestation,
                                       tip=self.tr("Who has not confirmed reading the current version"))
        self._doc_actions = [self.act_check, self.act_request, self.act_signoff, self.act_attest]
        for a in self._doc_actions:
            a.setEnabled(False)

    # ---- the check -----------------------------------------------------------

    def _on_document_opened(self, slug: str) -> None:
        for a in self._doc_actions:
            a.setEnabled(bool(slug))
        self.panel.tree.clear()
        if slug and self.dock.isVisible():
            self.run_check()

    def _on_text_changed(self) -> None:
        # A very large document is checked on request only (Check Again), as its preview is off.
        if self.dock.isVisible() and self.window.doc is not None and not self.window.heavy_features_off:
            self.timer.start()

    def show_and_check(self) -> None:
        """Check Document (F7): the panel shown, and the document checked
        once (the panel coming into view starts a check itself)."""
        started = self._checks
        self.dock.show()
        self.dock.raise_()
        give_width(self.window, self.dock)
        if self._checks == started:
            self.run_check()

    def run_check(self) -> None:
        w = self.window
        if w.doc is None or w.ws is None or not w.slug:
            return
        self._checks += 1
        self.timer.stop()
        slug, text = w.slug, w.current_text()
        self.panel.summary.setText(self.tr("Checking…"))
        self.jobs.run(in_workspace(w.ws.root, lambda ws: check.check_document(ws, slug, text)),
                      self._on_checked, self._on_failed, key="check")

    def _on_checked(self, result) -> None:
        self.panel.show_result(result)
        self.checked.emit(result)

    def _on_failed(self, message: str, _technical: str) -> None:
        self.panel.summary.setText(fill(self.tr("The check cannot run: %1"), message))

    def jump_to(self, finding: check.Finding) -> None:
        if finding.line is None:
            return
        editor = self.window.editor
        editor.go_to_line(finding.line)
        block = editor.document().findBlockByNumber(finding.line)
        if finding.end > finding.start and block.text()[finding.start:finding.end] == finding.matched:
            cursor = QTextCursor(block)
            cursor.setPosition(block.position() + finding.start)
            cursor.setPosition(block.position() + finding.end, QTextCursor.MoveMode.KeepAnchor)
            editor.setTextCursor(cursor)

    def apply(self, finding: check.Finding) -> bool:
        """Put the suggested wording in place of the matched words, as one
        undoable edit; refused when the text there has changed since."""
        if finding.replacement is None or finding.line is None:
            return False
        editor = self.window.editor
        block = editor.document().findBlockByNumber(finding.line)
        if not block.isValid() or block.text()[finding.start:finding.end] != finding.matched:
            QMessageBox.information(self.window, self.tr("Text changed"), self.tr("The text there has changed since the check: check again first."))
            return False
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + finding.start)
        cursor.setPosition(block.position() + finding.end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(finding.replacement)  # one step on the editor's undo stack
        editor.setTextCursor(cursor)
        self.run_check()
        return True

    def dismiss(self, finding: check.Finding, reason: str | None = None) -> bool:
        """Keep *finding* dismissed, with a reason, in the document's details
        (saved with the next revision)."""
        if self.window.doc is None:
            return False
        if reason is None:
            reason, ok = QInputDialog.getText(self.window, self.tr("Dismiss finding"),
                                              fill(self.tr("Why does “%1” not apply? (kept with the document)"), finding.title))
            if not ok:
                return False
        try:
            check.dismiss(self.window.doc, finding, reason)
        except GuidelinesError as exc:
            self.window.show_error(self.tr("Cannot dismiss"), str(exc))
            return False
        self.window.editor.document().setModified(True)  # the details changed: there is something to save
        self.run_check()
        return True

    def set_target(self, grade: float) -> None:
        """The owner's readability target, kept in the document's details."""
        doc = self.window.doc
        if doc is None or doc.meta.get("readability_target") == grade:
            return
        doc.meta["readability_target"] = int(grade) if float(grade).is_integer() else grade
        self.window.editor.document().setModified(True)
        self.run_check()

    # ---- sign-offs -----------------------------------------------------------

    def _saved_first(self) -> bool:
        w = self.window
        if w.doc is None:
            return False
        if w.is_modified() and not w.save_revision():
            return False
        return True

    def request_review(self) -> bool:
        if not self._saved_first():
            return False
        dialog = RequestReviewDialog(self.window, self.window.doc)
        if dialog.exec() != RequestReviewDialog.DialogCode.Accepted:
            return False
        return self.request_review_from(dialog.reviewers())

    def request_review_from(self, reviewers: list[signoff.Reviewer]) -> bool:
        w = self.window
        author = w.author()
        if author is None:
            return False
        slug = w.slug  # (a very large document reloads in the background: no document is open meanwhile)
        try:  # (written on a worker: a commit waits for git, and for another program's lock)
            with w.outside_changes.own_change():
                commit = wait_for(w, in_workspace(w.ws.root, lambda ws: signoff.request_review(ws, slug, reviewers, author)),
                                  self.tr("Requesting the review…"), self.tr("Request Review"), cancellable=False)
        except GuidelinesError as exc:
            w.show_error(self.tr("Cannot request review"), str(exc))
            return False
        w.reload_document()
        w.revision_saved.emit(slug, commit)  # a new revision: the history and the status bar follow
        w.statusBar().showMessage(fill(self.tr("Review requested from %1"), ", ".join(map(str, reviewers))), 8000)
        return True

    def sign_off(self) -> bool:
        if not self._saved_first():
            return False
        w = self.window
        slug = w.slug
        try:  # (the sign-offs are read from the history: a moment with a long one)
            states = wait_for(w, in_workspace(w.ws.root, lambda ws: signoff.state(ws, slug)),
                              self.tr("Reading the sign-offs…"), self.tr("Sign Off"))
        except GuidelinesError as exc:
            w.show_error(self.tr("Cannot read the sign-offs"), str(exc))
            return False
        if states is CANCELLED or w.slug != slug:
            return False
        if not states:
            QMessageBox.information(w, self.tr("No reviewers"), self.tr("This document names no reviewers yet: use Request Review first."))
            return False
        author = w.author()
        dialog = SignOffDialog(w, states, author.name if author else "")
        if dialog.exec() != SignOffDialog.DialogCode.Accepted:
            return False
        return self.record_signoff(dialog.role.currentData().role, dialog.name.text(), dialog.comment.text())

    def record_signoff(self, role: str, name: str, comment: str = "") -> bool:
        w = self.window
        author = w.author()
        if author is None:
            return False
        slug = w.slug
        try:  # (written on a worker: git waits for another program's lock)
            wait_for(w, in_workspace(w.ws.root, lambda ws: signoff.sign_off(ws, slug, name, role, author, comment)),
                     self.tr("Recording the sign-off…"), self.tr("Sign Off"), cancellable=False)
        except GuidelinesError as exc:
            w.show_error(self.tr("Cannot record the sign-off"), str(exc))
            return False
        if "history" in w.features:  # no new revision, but the history shows sign-offs
            w.features["history"].reload()
        w.statusBar().showMessage(fill(self.tr("Sign-off recorded: %1 for %2"), name.strip(), role), 8000)
        return True

    # ---- acknowledgements ----------------------------------------------------

    def show_attestation(self) -> AttestationDialog | None:
        w = self.window
        if w.doc is None:
            return None
        if self.attestation is None:
            self.attestation = AttestationDialog(w)
            self.attestation.import_button.clicked.connect(lambda: self.import_csv())
            self.attestation.form_button.clicked.connect(lambda: self.export_form())
        self.refresh_attestation()
        self.attestation.show()
        self.attestation.raise_()
        return self.attestation

    def refresh_attestation(self) -> None:
        try:
            self.attestation.show_report(attest.report(self.window.ws, self.window.slug))
        except GuidelinesError as exc:
            self.attestation.state.setText(fill(self.tr("Cannot read the acknowledgements: %1"), exc))

    def import_csv(self, path: str | None = None) -> bool:
        w = self.window
        if path is None:
            path, _ = QFileDialog.getOpenFileName(w, self.tr("Import a roster or acknowledgements"), str(Path.home()),
                                                  self.tr("CSV files (*.csv)"))
            if not path:
                return False
        author = w.author()
        if author is None:
            return False
        try:
            done = attest.import_csv(w.ws, w.slug, Path(path), author, locale_name=QLocale.system().name())
        except GuidelinesError as exc:
            w.show_error(self.tr("Cannot import"), str(exc), self.tr("Nothing was changed."))
            return False
        if self.attestation is not None:
            self.refresh_attestation()
        said = (fill(self.tr("Imported %1 into the list of readers"), plural(done.count, "person", "people"))
                if done.what == "roster"
                else fill(self.tr("Imported %1"), plural(done.count, "acknowledgement record")))
        w.statusBar().showMessage(said, 10000)
        if done.dates:  # an order assumed: said where it cannot be missed, without stopping the window
            box = QMessageBox(QMessageBox.Icon.Information, self.tr("Acknowledgements imported"), f"{said}.\n\n{done.dates}",
                              QMessageBox.StandardButton.Ok, self.attestation or w, objectName="attest-dates")
            box.setInformativeText(self.tr("If that is wrong, write the dates in the file as year-month-day "
                                           "(such as 2026-12-08) and import it again: its records replace these."))
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
        return True

    def export_form(self, path: str | None = None) -> None:
        """Write the acknowledgement form and the rules in brief (Word, or
        PDF for a .pdf name) on a worker; the status bar says where, as
        for the main export, and ``form_exported`` tells the path."""
        from guidelines_app.publishing.export import export_form

        w = self.window
        if path is None:
            path, _ = QFileDialog.getSaveFileName(w, self.tr("Export the acknowledgement form"), str(export_folder.folder() / f"{w.slug}-acknowledgement.docx"),
                                                  self.tr("Word document (*.docx);;PDF (*.pdf)"))
            if not path:
                return
        target, slug, reference = Path(path), w.slug, w.settings.reference_docx or None
        export_folder.remember(target)
        fmt = "pdf" if target.suffix.lower() == ".pdf" else "docx"

        def work(ws):
            parts, details = attest_form.acknowledgement_form(ws, slug)
            return export_form(parts, details, fmt, target, reference)

        w.statusBar().showMessage(self.tr("Exporting the acknowledgement form…"))
        self.jobs.run(in_workspace(w.ws.root, work), self._form_written, self._form_failed, key="form")

    def _form_written(self, path: Path) -> None:
        # Said as the main export says it (File > Export).
        self.window.statusBar().showMessage(fill(self.tr("Exported to %1"), path), 10000)
        self.form_exported.emit(path)

    def _form_failed(self, message: str, technical: str) -> None:
        self.window.statusBar().clearMessage()
        self.window.show_error(self.tr("Cannot export the form"), message, technical=technical)


def install(window) -> GovernanceFeature:
    """Add the Governance menu and the Check panel to *window*."""
    return GovernanceFeature(window)
