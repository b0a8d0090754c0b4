"""Governance dialogs: request review (name the reviewers), sign off, and
acknowledgements (import a roster or records, see who has not confirmed,
export the acknowledgement form).  They collect input and show state; the
decisions are ``review.signoff`` and ``review.attest``."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.review import attest, signoff
from guidelines_app.ui.dialogs import FormDialog
from guidelines_app.ui.fill import fill

translate = QCoreApplication.translate


class RequestReviewDialog(FormDialog):
    """The required reviewers, one 'Role = Name' a line."""

    def __init__(self, parent, doc):
        super().__init__(parent, translate("Governance", "Request Review"),
                         translate("Governance", "Name who must sign off this document, one reviewer a line as <b>Role = Name</b> "
                                                 "(for example <i>Legal = Ann Lee</i>). The document is set to <b>in review</b>, and each "
                                                 "reviewer's sign-off is recorded against the revision they read."))
        self.setObjectName("request-review-dialog")
        self.lines = QPlainTextEdit(objectName="review-reviewers")
        current = signoff.required_reviewers(doc)
        self.lines.setPlainText("\n".join(f"{r.role} = {r.name}" for r in current) or "Legal = \nHR = \nCommunications = ")
        self.form.addRow(translate("Governance", "Reviewers"), self.lines)

    def reviewers(self) -> list[signoff.Reviewer]:
        return [signoff.parse_reviewer(line) for line in self.lines.toPlainText().split("\n") if line.strip()]

    def problem(self) -> str:
        try:
            found = self.reviewers()
        except GuidelinesError as exc:
            return str(exc)
        if not found:
            return translate("Governance", "Name at least one reviewer.")
        missing = next((r.role for r in found if not r.name), None)
        return fill(translate("Governance", "Give the name of the %1 reviewer, after an equals sign: "
                                            "%1 = Ann Lee."), missing) if missing else ""


class SignOffDialog(FormDialog):
    """A reviewer signs off the latest saved revision."""

    def __init__(self, parent, states: list[signoff.ReviewerState], default_name: str = ""):
        super().__init__(parent, translate("Governance", "Sign Off"),
                         translate("Governance", "The sign-off is recorded against the latest saved revision; a later edit voids it."))
        self.setObjectName("signoff-dialog")
        state = QLabel("<br>".join(s.describe() for s in states), objectName="signoff-state")
        state.setWordWrap(True)
        self.form.addRow(translate("Governance", "So far"), state)
        self.role = QComboBox(objectName="signoff-role")
        for s in states:
            self.role.addItem(str(s.reviewer), s.reviewer)
        self.name = QLineEdit(objectName="signoff-name")
        self.comment = QLineEdit(objectName="signoff-comment")
        self.comment.setPlaceholderText(translate("Governance", "Optional"))
        self.role.currentIndexChanged.connect(self._fill_name)
        self.form.addRow(translate("Governance", "Role"), self.role)
        self.form.addRow(translate("Governance", "Name"), self.name)
        self.form.addRow(translate("Governance", "Comment"), self.comment)
        first_open = next((n for n, s in enumerate(states) if not s.signed), 0)
        self.role.setCurrentIndex(first_open)
        self._fill_name()
        if default_name and not self.name.text():
            self.name.setText(default_name)

    def _fill_name(self, *_args) -> None:
        reviewer = self.role.currentData()
        if reviewer is not None and reviewer.name:
            self.name.setText(reviewer.name)

    def problem(self) -> str:
        return "" if self.name.text().strip() else translate("Governance", "Please give the reviewer's name.")


class AttestationDialog(QDialog):
    """Who has not acknowledged the current major version, by team; import
    buttons and the form export are wired by the feature."""

    def __init__(self, parent):
        super().__init__(parent)
        self.setObjectName("attestation-dialog")
        self.setWindowTitle(translate("Governance", "Acknowledgements"))
        self.state = QLabel(objectName="attest-state")
        self.state.setWordWrap(True)
        self.tree = QTreeWidget(objectName="attest-missing")
        self.tree.setHeaderLabels([translate("Governance", "Team / person"), translate("Governance", "E-mail")])
        self.tree.setAccessibleName(self.tr("Not yet acknowledged"))
        self.tree.setAccessibleDescription(self.tr("Who has not confirmed reading the current major version, by team"))
        self.tree.setColumnWidth(0, 260)
        self.import_button = QPushButton(translate("Governance", "Import CSV…"), objectName="attest-import")
        self.import_button.setToolTip(translate("Governance", "A roster (name, email, team) or acknowledgement records (email, version, date) "
                                                              "from any form or survey tool"))
        self.form_button = QPushButton(translate("Governance", "Export Acknowledgement Form…"), objectName="attest-export-form")
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.form_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.resize(620, 480)

    def show_report(self, report: attest.Report) -> None:
        self.tree.clear()
        if report.major is None:
            self.state.setText(translate("Governance", "This document has no published version yet: publish it, then ask people to acknowledge it."))
            return
        if not report.total:  # ("0 of 0 people have acknowledged version 1.x; 0 have not" said nothing)
            self.state.setText(fill(translate("Governance", "No list of the people who must read it yet. Import one (a CSV file "
                                                            "of name, email and team) to see who has acknowledged version %1."),
                                    report.version))
            return
        sentence = translate("Governance", "%1 of %2 people have acknowledged version %3.x (current: %4); %5 have not.")
        self.state.setText(fill(sentence, report.acknowledged, report.total, report.major, report.version, report.missing_count))
        for team, people in report.missing.items():
            group = QTreeWidgetItem(self.tree, [fill(translate("Governance", "%1 (%2)"), team, len(people)), ""])
            for p in people:
                QTreeWidgetItem(group, [p.name, p.email])
            group.setExpanded(len(report.missing) <= 6)
