"""Guided drafting in the app: File > New Guideline (the wizard), the clause
library panel, Template > Re-answer Questionnaire and the list of points
still to be decided."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog, QMessageBox

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.wording import plural
from guidelines_app.drafting.answers import check_answers
from guidelines_app.drafting.library import Library, details_from_answers, load_library
from guidelines_app.drafting.reanswer import plan_reanswer
from guidelines_app.ui.docks import add_side_panel
from guidelines_app.ui.drafting.clause_library import (
    ClauseLibraryDock,
    ClauseLibraryPanel,
)
from guidelines_app.ui.drafting.reanswer_dialog import MarkersDock, ReanswerDialog
from guidelines_app.ui.drafting.wizard import NewGuidelineWizard
from guidelines_app.ui.fill import fill
from guidelines_app.ui.jobs import CANCELLED, wait_for

translate = QCoreApplication.translate


class TemplatesFeature:
    """The wizard, clause library, re-answering and to-be-decided list of
    one main window."""

    def __init__(self, window):
        self.window = window
        self._library: Library | None = None
        self._library_root = None
        self._warned: set[str] = set()

        window.set_new_document_dialog(self.make_wizard)
        window.act_new.setText(translate("Templates", "&New Guideline…"))
        window.act_new.setStatusTip(translate("Templates", "Start a guideline from a template and a short questionnaire"))

        self.panel = ClauseLibraryPanel(self.library, self.document_answers)
        self.panel.insert_requested.connect(self.insert_text)
        self.clause_dock = ClauseLibraryDock(self.panel, window)
        add_side_panel(window, self.clause_dock)
        self.clause_dock.hide()
        self.markers_dock = MarkersDock(window)
        add_side_panel(window, self.markers_dock)
        self.markers_dock.hide()

        menu = window.add_menu("Template", translate("Templates", "&Template"))
        self.act_reanswer = menu.addAction(translate("Templates", "&Re-answer Questionnaire…"))
        self.act_reanswer.setShortcut("Ctrl+Shift+R")
        self.act_reanswer.setStatusTip(translate("Templates", "Change the answers this draft was made from, and see what would change first"))
        self.act_reanswer.triggered.connect(self.reanswer)
        menu.addSeparator()
        self.act_library = self.clause_dock.toggleViewAction()
        self.act_library.setText(translate("Templates", "&Clause Library"))
        self.act_library.setShortcut("Ctrl+Shift+L")
        menu.addAction(self.act_library)
        self.act_markers = self.markers_dock.toggleViewAction()
        self.act_markers.setText(translate("Templates", "&To Be Decided"))
        self.act_markers.setShortcut("Ctrl+Shift+T")
        menu.addAction(self.act_markers)
        menu.addSeparator()
        reload_action = menu.addAction(translate("Templates", "Re&load Templates"))
        reload_action.setStatusTip(translate("Templates", "Read the templates again, after editing the workspace's templates/ folder"))
        reload_action.triggered.connect(self.reload_library)

        self.clause_dock.visibilityChanged.connect(lambda visible: visible and self.panel.tree.topLevelItemCount() == 0 and self.panel.refresh())
        window.document_opened.connect(self._on_document_opened)
        window.workspace_changed.connect(self.reload_library)

    # ---- library -----------------------------------------------------------------

    def library(self) -> Library | None:
        """The templates (built in and the workspace's), read once per
        workspace, on a worker: reading and compiling them held the window
        0.4-0.6 s at the first New Guideline.  A progress dialog shows
        after a moment; None when the user chose its Cancel."""
        root = self.window.ws.root if self.window.ws is not None else None
        if self._library is None or root != self._library_root:
            found = wait_for(self.window, lambda: load_library(root), translate("Templates", "Reading the templates…"),
                             translate("Templates", "Templates"))
            if found is CANCELLED:
                return None
            self._library, self._library_root = found, root
            self._report_problems()
        return self._library

    def reload_library(self) -> None:
        self._library = None
        self._warned.clear()
        if self.clause_dock.isVisible():
            self.panel.refresh()

    def _report_problems(self) -> None:
        new = [str(p) for p in self._library.problems if str(p) not in self._warned]
        if not new:
            return
        self._warned.update(new)
        self.window.statusBar().showMessage(fill(translate("Templates", "%1 could not be used; see Template > Reload Templates"),
                                                 plural(len(new), "template")), 10000)
        if self.window.isVisible():
            self.window.show_error(translate("Templates", "Some templates cannot be used"),
                                   translate("Templates", "These templates were skipped; the others are available."),
                                   "\n".join(new))

    # ---- new guideline -------------------------------------------------------------

    def make_wizard(self) -> NewGuidelineWizard | None:
        """File > New Guideline's wizard (None: the templates' reading was cancelled)."""
        organization = self.window.doc.organization if self.window.doc else ""
        library = self.library()
        return None if library is None else NewGuidelineWizard(self.window, library, organization=organization)

    # ---- document answers ------------------------------------------------------------

    def document_answers(self) -> tuple[dict, str]:
        doc = self.window.doc
        if doc is None:
            return {}, ""
        answers = doc.meta.get("answers")
        return (answers if isinstance(answers, dict) else {}), doc.title

    def _on_document_opened(self, _slug: str) -> None:
        doc = self.window.doc
        self.act_reanswer.setEnabled(bool(doc and doc.meta.get("template")))
        if self.clause_dock.isVisible() and self.panel.tree.currentItem() is not None:
            self.panel.show_current()

    # ---- clause library --------------------------------------------------------------

    def insert_text(self, text: str) -> None:
        if self.window.doc is None:
            self.window.show_error(translate("Templates", "No document open"),
                                   translate("Templates", "Open or create a document first, then insert the clause where the cursor is."))
            return
        editor = self.window.editor
        cursor = editor.textCursor()
        block_text = cursor.block().text()
        # Keep the clause a block of its own: blank lines around it.
        before = ""
        if cursor.positionInBlock() > 0 or block_text.strip():
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            before = "\n\n"
        elif cursor.block().previous().isValid() and cursor.block().previous().text().strip():
            before = "\n"
        cursor.insertText(before + text.rstrip("\n") + "\n\n")
        editor.setTextCursor(cursor)
        editor.setFocus()
        self.window.statusBar().showMessage(translate("Templates", "Clause inserted"), 4000)

    # ---- re-answering ----------------------------------------------------------------

    def reanswer(self) -> None:
        window = self.window
        doc = window.doc
        if doc is None or not doc.meta.get("template"):
            QMessageBox.information(window, translate("Templates", "No questionnaire"),
                                    translate("Templates", "This document was not made from a template, so there is no questionnaire to re-answer."))
            return
        try:
            library = self.library()
            if library is None:
                return
            tset = library.get(str(doc.meta["template"]))
        except GuidelinesError as exc:
            window.show_error(translate("Templates", "Cannot re-open the questionnaire"), str(exc))
            return
        old_answers = doc.meta.get("answers") if isinstance(doc.meta.get("answers"), dict) else {}
        wizard = NewGuidelineWizard(window, library, fixed_set=tset, answers=old_answers, title=doc.title)
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return
        self.review_and_apply(tset, old_answers, wizard.current_answers())

    def review_and_apply(self, tset, old_answers: dict, new_answers: dict) -> bool:
        window = self.window
        try:
            plan = plan_reanswer(tset, old_answers, new_answers, window.editor.text(), window.doc.title)
        except GuidelinesError as exc:
            window.show_error(translate("Templates", "Cannot apply the answers"), str(exc))
            return False
        self.last_plan = plan
        if not plan.changes:
            self._apply_answers(tset, old_answers, plan.new_answers)
            window.editor.document().setModified(True)  # the answers changed: offer to save
            window.statusBar().showMessage(translate("Templates", "The new answers do not change the text"), 6000)
            return True
        dialog = ReanswerDialog(window, plan)
        self.last_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.apply_body(dialog.new_body())
        self._apply_answers(tset, old_answers, plan.new_answers)
        window.editor.document().setModified(True)  # the answers changed: offer to save
        window.statusBar().showMessage(translate("Templates", "Draft updated from the new answers; save a revision to keep it"), 8000)
        return True

    def _apply_answers(self, tset, old_answers: dict, new_answers: dict) -> None:
        """Store the new answers; details they decide (owners, organization,
        review cadence) follow the answers that changed."""
        meta = self.window.doc.meta
        meta["answers"] = new_answers
        try:
            before = details_from_answers(tset, check_answers(tset, old_answers, strict=False))
            after = details_from_answers(tset, check_answers(tset, new_answers, strict=False))
        except GuidelinesError:
            return
        for key, value in after.items():
            if key != "next_review" and before.get(key) != value:
                meta[key] = value
                if key == "review_cadence_months":
                    meta["next_review"] = after["next_review"]

    def apply_body(self, body: str) -> None:
        self.window.editor.replace_text(body)  # one undo step: Ctrl+Z brings the text from before re-answering back


def install(window) -> TemplatesFeature:
    """Add File > New Guideline, the Template menu and its panels to *window*."""
    return TemplatesFeature(window)
