"""History > Publish Version: send for review, or approve and publish a
version (minor or major) with a change summary and the approver's name.
The dialog only collects the choice; the feature applies it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from guidelines_app.core.workspace import Workspace
from guidelines_app.review import history
from guidelines_app.ui.dialogs import FormDialog


class PublishDialog(FormDialog):
    """Send for review, or approve and publish a version."""

    def __init__(self, window, ws: Workspace, slug: str):
        doc = ws.load(slug)
        last = history.last_publication(ws, slug)
        super().__init__(
            window, "Publish version",
            f"“{doc.title}” is <b>{doc.status}</b>"
            + (f"; the last published version is <b>{last.version}</b>." if last else "; it has not been published yet."),
        )
        self.setObjectName("publish-dialog")
        self.ws, self.slug = ws, slug
        self.minor_version = history.next_version(ws, slug, "minor")
        self.major_version = history.next_version(ws, slug, "major")
        self.status = QComboBox(objectName="publish-status")
        self.status.addItem("Approved: publish this version", "approved")
        self.status.addItem("In review: send to the approver", "in review")
        self.status.addItem("Draft: back to drafting", "draft")
        self.status.currentIndexChanged.connect(self._update)
        self.minor = QRadioButton(f"Minor — editorial changes (version {self.minor_version})")
        self.major = QRadioButton(f"Major — substantive changes (version {self.major_version})")
        self.minor.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.minor)
        group.addButton(self.major)
        self.summary = QPlainTextEdit(objectName="publish-summary")
        self.summary.setPlaceholderText("What changed, in a sentence or two for readers of the policy")
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(90)
        self.approver = QLineEdit(objectName="publish-approver")
        self.approver.setPlaceholderText("Name of the person who approved it")
        form = self.form
        form.addRow("Status", self.status)
        self.version_box = QWidget()
        vb = QVBoxLayout(self.version_box)
        vb.setContentsMargins(0, 0, 0, 0)
        vb.addWidget(self.minor)
        vb.addWidget(self.major)
        form.addRow("Version", self.version_box)
        form.addRow("Change summary", self.summary)
        form.addRow("Approver", self.approver)
        self._update()

    def chosen_status(self) -> str:
        return self.status.currentData()

    def kind(self) -> str:
        return "major" if self.major.isChecked() else "minor"

    def _update(self, *_args) -> None:
        publishing = self.chosen_status() == "approved"
        self.version_box.setEnabled(publishing)
        self.approver.setEnabled(publishing)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Publish" if publishing else f"Set to {self.chosen_status()}")

    def problem(self) -> str:
        if self.chosen_status() != "approved":
            return ""
        if not self.summary.toPlainText().strip():
            return "Please write a change summary: readers see it with the version."
        if not self.approver.text().strip():
            return "Please name the approver of this version."
        return ""
