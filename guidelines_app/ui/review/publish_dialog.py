"""History > Publish Version: send for review, or approve and publish a
version (minor or major) with a change summary and the approver's name.
When the publishing checks object (open "[to be decided: ...]" markers,
error-level check findings, missing sign-offs, nothing changed), it lists
why, each marker and finding with a way to jump to it, and
asks for a reason to publish anyway.  The dialog only collects the choice;
the feature applies it."""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from guidelines_app.core.document import status_name
from guidelines_app.core.inline_markup import display_text
from guidelines_app.core.outline import outline, section_at_line
from guidelines_app.core.workspace import Workspace
from guidelines_app.review import history
from guidelines_app.ui import appearance
from guidelines_app.ui.dialogs import FormDialog
from guidelines_app.ui.fill import fill
from guidelines_app.ui.jobs import CANCELLED, in_workspace, wait_for

translate = QCoreApplication.translate
CHECKING = QT_TRANSLATE_NOOP("Publish", "Checking the policy before publishing…")


def gate_in_background(window, ws: Workspace, slug: str) -> list[history.GateProblem] | None:
    """The publishing checks' objections to *slug* as saved
    (``history.publish_gate``), worked out on a worker (``jobs.wait_for``):
    the policy check reads the whole text, seconds for a long policy, and
    held the window meanwhile.  None when the user cancelled; a check that
    cannot run raises its GuidelinesError."""
    found = wait_for(window, in_workspace(ws.root, lambda ws_: history.publish_gate(ws_, slug)),
                     translate("Publish", CHECKING), translate("Publish", "Publish version"))
    return None if found is CANCELLED else found


_LINE_PREFIX_RE = re.compile(r"^line \d+: ")  # a finding's "line N: " (the file's line)


class PublishDialog(FormDialog):
    """Send for review, or approve and publish a version."""

    def __init__(self, window, ws: Workspace, slug: str, problems: list[history.GateProblem] | None = None):
        """*problems*: the publishing checks' objections, when worked out
        already (``gate_in_background``); else they are worked out here."""
        doc = ws.load(slug)
        last = history.last_publication(ws, slug)
        super().__init__(
            window, translate("Publish", "Publish version"),
            fill(translate("Publish", "“%1” is <b>%2</b>; the last published version is <b>%3</b>."), doc.title, doc.status, last.version)
            if last else fill(translate("Publish", "“%1” is <b>%2</b>; it has not been published yet."), doc.title, doc.status),
        )
        self.setObjectName("publish-dialog")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 90)  # (it opened 416 px wide)
        self.ws, self.slug = ws, slug
        self.minor_version = history.next_version(ws, slug, "minor")
        self.major_version = history.next_version(ws, slug, "major")
        self.status = QComboBox(objectName="publish-status")
        self.status.addItem(translate("Publish", "Approved: publish this version"), "approved")
        self.status.addItem(translate("Publish", "In review: send to the approver"), "in review")
        self.status.addItem(translate("Publish", "Draft: back to drafting"), "draft")
        self.status.currentIndexChanged.connect(self._update)
        # The labels say the numbers publish will really give (a first publication: 0.x or 1.0).
        self.minor = QRadioButton(fill(translate("Publish", "Minor — editorial changes (version %1)"), self.minor_version))
        self.major = QRadioButton(fill(translate("Publish", "Major — substantive changes (version %1)"), self.major_version))
        (self.minor if last is not None else self.major).setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.minor)
        group.addButton(self.major)
        self.summary = QPlainTextEdit(objectName="publish-summary")
        self.summary.setPlaceholderText(translate("Publish", "What changed, in a sentence or two for readers of the policy"))
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(90)
        self.approver = QLineEdit(objectName="publish-approver")
        self.approver.setPlaceholderText(translate("Publish", "Name of the person who approved it"))
        form = self.form
        form.addRow(translate("Publish", "Status"), self.status)
        self.version_box = QWidget()
        vb = QVBoxLayout(self.version_box)
        vb.setContentsMargins(0, 0, 0, 0)
        vb.addWidget(self.minor)
        vb.addWidget(self.major)
        form.addRow(translate("Publish", "Version"), self.version_box)
        form.addRow(translate("Publish", "Change summary"), self.summary)
        form.addRow(translate("Publish", "Approver"), self.approver)
        self.jump_line: int | None = None  # set when the user asks to go to a marker
        self._sections = outline(doc.body)  # where each objection is, by its section (the editor shows no line numbers)
        self._add_checks(history.publish_gate(ws, slug) if problems is None else problems)
        self._update()

    def _add_checks(self, problems: list[history.GateProblem]) -> None:
        """The publishing checks' objections, a 'Go to' for each marker, and
        the reason field that appears with them."""
        self.problems = problems
        self.checks_box = QWidget(objectName="publish-checks")
        box = QVBoxLayout(self.checks_box)
        box.setContentsMargins(0, 0, 0, 0)
        note = QLabel(translate("Publish", "Not ready to publish:") if problems else "")
        note.setStyleSheet(f"color: {appearance.current().error}; font-weight: bold")
        box.addWidget(note)
        self.problem_list = QListWidget(objectName="publish-problems", accessibleName=self.tr("Not ready to publish"))
        for problem in problems:
            # Where it is, by the section it is in: two line numbers counted two ways
            # (the body's for markers, the file's for findings) pointed at no line the editor shows.
            if problem.kind == "marker":
                shown = f"[to be decided: {problem.label}]"
            else:  # a check finding ("line N: ..."), a missing sign-off, unchanged text
                shown = _LINE_PREFIX_RE.sub("", problem.text) if problem.kind == "finding" else problem.text
            where = self._section_of(problem.line)
            if where:
                shown = fill(translate("Publish", "%1 — in “%2”"), shown, where)
            item = QListWidgetItem(shown)
            item.setToolTip(shown)
            item.setData(Qt.ItemDataRole.UserRole, problem.line)
            if problem.line is not None:
                item.setToolTip(shown + "\n" + translate("Publish", "Double-click to go there in the editor"))
            self.problem_list.addItem(item)
        self.problem_list.itemActivated.connect(self._go_to_item)
        self.problem_list.setMaximumHeight(110)
        self.problem_list.setWordWrap(True)  # a finding read whole, not behind a sideways scroll bar
        box.addWidget(self.problem_list)
        self.go_button = QPushButton(translate("Publish", "&Go To"), objectName="publish-go-to")
        self.go_button.clicked.connect(lambda: self._go_to_item(self.problem_list.currentItem()))
        self.go_button.setVisible(any(p.line is not None for p in problems))
        box.addWidget(self.go_button)
        self.reason = QLineEdit(objectName="publish-override-reason", accessibleName=self.tr("Reason to publish anyway"))
        self.reason.setPlaceholderText(translate("Publish", "Why publish anyway? (recorded with the version)"))
        box.addWidget(QLabel(translate("Publish", "Reason to publish anyway")))
        box.addWidget(self.reason)
        self.form.addRow(self.checks_box)
        self.checks_box.setVisible(bool(problems))
        if problems:
            self.problem_list.setCurrentRow(0)

    def _section_of(self, line: int | None) -> str:
        """The title of the section holding the body's *line*, as the text shows it ("" before the first)."""
        if line is None:
            return ""
        n = section_at_line(self._sections, line)
        return display_text(self._sections[n].title) if n is not None else ""

    def _go_to_item(self, item: QListWidgetItem | None) -> None:
        line = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if line is None:
            return
        self.jump_line = int(line)
        self.reject()  # the feature moves the editor's cursor there

    def override_reason(self) -> str:
        return self.reason.text().strip() if self.problems else ""

    def chosen_status(self) -> str:
        return self.status.currentData()

    def kind(self) -> str:
        return "major" if self.major.isChecked() else "minor"

    def _update(self, *_args) -> None:
        publishing = self.chosen_status() == "approved"
        self.version_box.setEnabled(publishing)
        self.approver.setEnabled(publishing)
        self.checks_box.setVisible(publishing and bool(self.problems))
        self.error.hide()  # (a complaint about the checks stayed up once they were hidden)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(translate("Publish", "Publish") if publishing
                   else fill(translate("Publish", "Set to %1"), status_name(self.chosen_status())))

    def problem(self) -> str:
        if self.chosen_status() != "approved":
            return ""
        if not self.summary.toPlainText().strip():
            return translate("Publish", "Please write a change summary: readers see it with the version.")
        if not self.approver.text().strip():
            return translate("Publish", "Please name the approver of this version.")
        if self.problems and not self.override_reason():
            return translate("Publish", "The checks above object: fix them first, or give a reason to publish anyway.")
        return ""
