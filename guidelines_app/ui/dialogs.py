"""Small dialogs: author identity, new document, revision message, document
details, and the plain-language error box."""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from guidelines_app.core import logs
from guidelines_app.core.document import STATUSES, Document, add_months, status_name
from guidelines_app.core.gitstore import Identity
from guidelines_app.ui import appearance

translate = QCoreApplication.translate
_EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")


def show_error(parent: QWidget | None, title: str, message: str, detail: str = "", technical: str = "") -> None:
    """A warning: *message* and *detail* in plain words; *technical* (such as
    a traceback) stays folded behind "Show Details…".  What the user was
    told also goes to the log (with the technical part)."""
    logs.logger("ui").warning("%s: %s%s", title, message, f"\n{technical}" if technical else "")
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    if detail:
        box.setInformativeText(detail)
    if technical:
        box.setDetailedText(technical)
    box.exec()


class FormDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, intro: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.layout_ = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            self.layout_.addWidget(label)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = QLabel()
        self.error.setWordWrap(True)  # (a long complaint was cut at the dialog's edge)
        self.error.setStyleSheet(f"color: {appearance.current().error}")
        self.error.hide()
        self.layout_.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)

    def problem(self) -> str:
        """Empty when the input is acceptable, else what to fix."""
        return ""

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """The first time: the keyboard starts in the first field and Tab
        goes down the form, then to the buttons (the buttons, made first,
        came first: focus opened on OK and Tab went backwards), and Tab
        leaves a box of several lines rather than typing a tab in it."""
        if not getattr(self, "_ordered", False):
            self._ordered = True
            fields = []
            for row in range(self.form.rowCount()):
                item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
                widget = item.widget() if item is not None else None
                if widget is not None and widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget.isEnabled():
                    if isinstance(widget, QPlainTextEdit):
                        widget.setTabChangesFocus(True)
                    fields.append(widget)
            chain = fields + [b for b in self.buttons.buttons()]
            for before, after in zip(chain, chain[1:]):
                QWidget.setTabOrder(before, after)
            editable = [w for w in fields if not (hasattr(w, "isReadOnly") and w.isReadOnly())]
            if editable:
                editable[0].setFocus(Qt.FocusReason.OtherFocusReason)
        super().showEvent(event)

    def _try_accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        self.accept()


class IdentityDialog(FormDialog):
    """Asked once: the name and e-mail recorded with each saved revision."""

    def __init__(self, parent: QWidget | None, current: Identity | None = None, asked: bool = True):
        """*asked*: at a first save (the text says where to change it later),
        else opened from Edit > Preferences itself."""
        why = translate("Dialogs", "Each saved revision records who made it, so reviewers can see who changed what.")
        super().__init__(
            parent,
            translate("Dialogs", "Who is saving?"),
            why + " " + translate("Dialogs", "You can change it at any time in Edit > Preferences.") if asked else why,
        )
        self.name = QLineEdit(current.name if current else "")
        self.email = QLineEdit(current.email if current else "")
        self.name.setPlaceholderText("Jane Doe")
        self.email.setPlaceholderText("jane.doe@example.org")
        self.form.addRow(translate("Dialogs", "Your name"), self.name)
        self.form.addRow(translate("Dialogs", "E-mail"), self.email)

    def problem(self) -> str:
        if not self.name.text().strip():
            return translate("Dialogs", "Please enter your name.")
        if not _EMAIL_RE.match(self.email.text().strip()):
            return translate("Dialogs", "Please enter an e-mail address such as jane.doe@example.org.")
        return ""

    def identity(self) -> Identity:
        return Identity(self.name.text().strip(), self.email.text().strip())


class NewDocumentDialog(FormDialog):
    def __init__(self, parent: QWidget | None, organization: str = ""):
        super().__init__(parent, translate("Dialogs", "New Guideline"))
        self.title = QLineEdit()
        self.title.setPlaceholderText("Social media guidelines")
        self.organization = QLineEdit(organization)
        self.owners = QLineEdit()
        self.owners.setPlaceholderText("Communications team, HR")
        self.form.addRow(translate("Dialogs", "Title"), self.title)
        self.form.addRow(translate("Dialogs", "Organization"), self.organization)
        self.form.addRow(translate("Dialogs", "Owners"), self.owners)

    def problem(self) -> str:
        return "" if self.title.text().strip() else translate("Dialogs", "Please give the document a title.")

    def document(self) -> Document:
        owners = [o.strip() for o in self.owners.text().split(",") if o.strip()]
        return Document.new(self.title.text().strip(), self.organization.text().strip(), owners)


class RevisionMessageDialog(FormDialog):
    def __init__(self, parent: QWidget | None, suggested: str):
        super().__init__(parent, translate("Dialogs", "Save Revision"),
                         translate("Dialogs", "Describe what changed. The suggestion lists the sections you edited."))
        self.message = QPlainTextEdit(suggested)
        self.message.setTabChangesFocus(True)
        self.message.selectAll()
        self.form.addRow(translate("Dialogs", "Message"), self.message)

    def problem(self) -> str:
        return "" if self.text() else translate("Dialogs", "Please describe the change.")

    def text(self) -> str:
        return self.message.toPlainText().strip()


class DetailsDialog(FormDialog):
    """The document's details (front matter), without showing YAML."""

    def __init__(self, parent: QWidget | None, doc: Document):
        super().__init__(parent, translate("Dialogs", "Document Details"))
        self.doc = doc
        self.title = QLineEdit(doc.title)
        self.organization = QLineEdit(doc.organization)
        self.status = QComboBox()
        # Named as the History panel and the status bar name them (the file keeps the key).  Approved
        # only by History > Publish Version (checks, sign-offs, approver, tag): here it can be
        # kept, or withdrawn, never given; nor is the version a published one claims.
        for status in STATUSES:
            if status != "approved" or doc.status == "approved":
                self.status.addItem(status_name(status), status)
        self.status.setCurrentIndex(max(0, self.status.findData(doc.status)))
        self.status.setToolTip(translate("Dialogs", "A document is approved by History > Publish Version"))
        self.version = QLineEdit(doc.version, readOnly=True)
        self.version.setToolTip(translate("Dialogs", "Set by History > Publish Version"))
        self.owners = QLineEdit(", ".join(doc.owners))
        self.cadence = QSpinBox(minimum=1, maximum=60, suffix=" months")
        cadence = doc.meta.get("review_cadence_months", 12)
        self.cadence.setValue(cadence if isinstance(cadence, int) and not isinstance(cadence, bool) else 12)
        self.next_review = QDateEdit(calendarPopup=True)
        self.next_review.setDisplayFormat("d MMM yyyy")  # as the History panel writes a day
        day = doc.next_review or add_months(_dt.date.today(), self.cadence.value())
        self.next_review.setDate(QDate(day.year, day.month, day.day))
        for label, widget in (
            (translate("Dialogs", "Title"), self.title),
            (translate("Dialogs", "Organization"), self.organization),
            (translate("Dialogs", "Status"), self.status),
            (translate("Dialogs", "Version"), self.version),
            (translate("Dialogs", "Owners"), self.owners),
            (translate("Dialogs", "Review every"), self.cadence),
            (translate("Dialogs", "Next review"), self.next_review),
        ):
            self.form.addRow(label, widget)
        # Wide enough to read the title and the owners whole (up to 80 characters' room).
        metrics, char = self.title.fontMetrics(), self.title.fontMetrics().averageCharWidth()
        longest = max(metrics.horizontalAdvance(self.title.text()), metrics.horizontalAdvance(self.owners.text()))
        self.title.setMinimumWidth(min(max(longest + 3 * char, 44 * char), 80 * char))
        self._shown = self._values()  # a detail the document lacks, left as shown, is not written

    def problem(self) -> str:
        return "" if self.title.text().strip() else translate("Dialogs", "The title cannot be empty.")

    def apply(self) -> bool:
        """Write the edited values into the document; True if anything changed
        (OK with nothing edited leaves it as it was, though it lacks a
        detail the dialog shows a default for: the review dates, say)."""
        before = dict(self.doc.meta)
        for key, value in self._values().items():
            if key not in self.doc.meta and value == self._shown[key]:
                continue
            current = self.doc.meta.get(key)
            same = current == value or (key == "next_review" and str(current) == value) or (
                key in ("status", "version", "title", "organization") and str(current or "") == value
            )
            if not same:
                self.doc.meta[key] = value
        return self.doc.meta != before

    def _values(self) -> dict:
        return {
            "title": self.title.text().strip(),
            "organization": self.organization.text().strip(),
            "status": self.status.currentData(),
            "version": self.version.text().strip(),
            "owners": [o.strip() for o in self.owners.text().split(",") if o.strip()],
            "review_cadence_months": self.cadence.value(),
            "next_review": self.next_review.date().toString("yyyy-MM-dd"),
        }


def ask_unsaved(parent: QWidget, title: str) -> QMessageBox.StandardButton:
    box = QMessageBox(parent)
    box.setObjectName("unsaved-prompt")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(translate("Dialogs", "Unsaved changes"))
    box.setText(translate("Dialogs", "Save your changes to “%s” as a new revision?") % title)
    box.setInformativeText(translate("Dialogs", "If you don't save, your changes since the last revision will be lost."))
    box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    return QMessageBox.StandardButton(box.exec())


def confirm_write_through_link(parent: QWidget, path: Path) -> bool | None:
    """Before an export to *path*: None when it is not a symbolic link (write
    as usual); else ask whether to write the file the link points to (the
    link itself stays).  True: write through it; False: the user declined."""
    from guidelines_app.publishing.docx import link_target  # the Word writer loads when an export needs it

    points_to = link_target(path)
    if points_to is None:
        return None
    box = QMessageBox(QMessageBox.Icon.Question, translate("Dialogs", "Export through a link"),
                      translate("Dialogs", "%s is a link to %s.") % (path.name, points_to), parent=parent)
    box.setInformativeText(translate("Dialogs", "Write the export to that file? The link stays as it is."))
    write = box.addButton(translate("Dialogs", "Write to the Linked File"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(write)
    box.exec()
    return box.clickedButton() is write
