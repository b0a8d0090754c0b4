"""One input widget per question type, all with value(), set_value() and a
changed signal, so the wizard treats them alike."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from guidelines_app.drafting.model import Question

translate = QCoreApplication.translate


class QuestionField(QWidget):
    changed = Signal()

    def __init__(self, question: Question, parent: QWidget | None = None):
        super().__init__(parent)
        self.question = question
        self.setObjectName(f"q_{question.id}")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError


class TextField(QuestionField):
    def __init__(self, question: Question, parent=None):
        super().__init__(question, parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(translate("Fields", "Leave blank to mark it “to be decided”"))
        if question.max_length:
            self.edit.setMaxLength(question.max_length)
        self.edit.textChanged.connect(self.changed)
        self.layout_.addWidget(self.edit)

    def value(self):
        return self.edit.text()

    def set_value(self, value):
        self.edit.setText("" if value is None else str(value))


class MultilineField(QuestionField):
    def __init__(self, question: Question, parent=None, placeholder: str = ""):
        super().__init__(question, parent)
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText(placeholder or translate("Fields", "Leave blank to mark it “to be decided”"))
        self.edit.setFixedHeight(84)
        self.edit.textChanged.connect(self.changed)
        self.layout_.addWidget(self.edit)

    def value(self):
        return self.edit.toPlainText()

    def set_value(self, value):
        self.edit.setPlainText("" if value is None else str(value))


class ListField(MultilineField):
    def __init__(self, question: Question, parent=None):
        super().__init__(question, parent, placeholder=translate("Fields", "One per line"))

    def value(self):
        return [line.strip() for line in self.edit.toPlainText().splitlines() if line.strip()]

    def set_value(self, value):
        self.edit.setPlainText("\n".join(value or []))


class NumberField(QuestionField):
    def __init__(self, question: Question, parent=None):
        super().__init__(question, parent)
        self.spin = QSpinBox()
        low = question.minimum if question.minimum is not None else 0
        # One below the minimum shows as "to be decided" (a blank answer).
        self.spin.setRange(low - 1, question.maximum if question.maximum is not None else 1_000_000)
        self.spin.setSpecialValueText(translate("Fields", "to be decided"))
        self.spin.valueChanged.connect(self.changed)
        self.layout_.addWidget(self.spin)

    def value(self):
        v = self.spin.value()
        return None if v == self.spin.minimum() else v

    def set_value(self, value):
        self.spin.setValue(self.spin.minimum() if value is None else int(value))


class ChoiceField(QuestionField):
    def __init__(self, question: Question, parent=None):
        super().__init__(question, parent)
        self.combo = QComboBox()
        for c in question.choices:
            self.combo.addItem(c.label, c.value)
        self.combo.currentIndexChanged.connect(self.changed)
        self.layout_.addWidget(self.combo)

    def value(self):
        return self.combo.currentData()

    def set_value(self, value):
        index = self.combo.findData(value)
        self.combo.setCurrentIndex(max(index, 0))


class MultiChoiceField(QuestionField):
    """One tick box per choice; nothing ticked is a blank answer ("to be decided")."""

    def __init__(self, question: Question, parent=None):
        super().__init__(question, parent)
        self.boxes: dict[str, QCheckBox] = {}
        for c in question.choices:
            box = QCheckBox(c.label)
            box.setObjectName(f"q_{question.id}_{c.value}")
            box.toggled.connect(self.changed)
            self.boxes[c.value] = box
            self.layout_.addWidget(box)

    def value(self):
        return [v for v, box in self.boxes.items() if box.isChecked()]

    def set_value(self, value):
        chosen = [value] if isinstance(value, str) else list(value or [])
        for v, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(v in chosen)
            box.blockSignals(False)
        self.changed.emit()


class BooleanField(QuestionField):
    def __init__(self, question: Question, parent=None):
        super().__init__(question, parent)
        self.box = QCheckBox(translate("Fields", "Yes"))
        self.box.toggled.connect(self.changed)
        self.layout_.addWidget(self.box)

    def value(self):
        return self.box.isChecked()

    def set_value(self, value):
        self.box.setChecked(bool(value))


class TableField(QuestionField):
    def __init__(self, question: Question, parent=None):
        super().__init__(question, parent)
        self.table = QTableWidget(0, len(question.columns))
        self.table.setHorizontalHeaderLabels([c.label for c in question.columns])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(170)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        buttons = QHBoxLayout()
        add = QPushButton(translate("Fields", "Add Row"))
        add.clicked.connect(self.add_row)
        remove = QPushButton(translate("Fields", "Remove Row"))
        remove.clicked.connect(self.remove_row)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        self.layout_.addWidget(self.table)
        self.layout_.addLayout(buttons)

    def add_row(self) -> None:
        self.table.insertRow(self.table.rowCount())
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def value(self):
        rows = []
        for r in range(self.table.rowCount()):
            row = {}
            for c, col in enumerate(self.question.columns):
                item = self.table.item(r, c)
                row[col.id] = item.text().strip() if item else ""
            if any(row.values()):
                rows.append(row)
        return rows

    def set_value(self, value):
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for row in value or []:
            r = self.table.rowCount()
            self.table.insertRow(r)
            for c, col in enumerate(self.question.columns):
                self.table.setItem(r, c, QTableWidgetItem(str(row.get(col.id, ""))))
        self.table.blockSignals(False)
        self.changed.emit()


FIELD_TYPES = {
    "text": TextField,
    "multiline": MultilineField,
    "list": ListField,
    "number": NumberField,
    "choice": ChoiceField,
    "multichoice": MultiChoiceField,
    "boolean": BooleanField,
    "table": TableField,
}


def make_field(question: Question) -> QuestionField:
    """The question's input; its controls carry the question as their
    accessible name (and its help as description) for screen readers, and
    the first one takes the focus the question's label gives."""
    field = FIELD_TYPES[question.type](question)
    inputs = [w for w in field.findChildren(QWidget)
              if isinstance(w, (QLineEdit, QPlainTextEdit, QSpinBox, QComboBox, QTableWidget, QCheckBox))]
    for widget in inputs:
        widget.setAccessibleName(question.label)
        widget.setAccessibleDescription(question.help or "")
    if inputs:
        field.setFocusProxy(inputs[0])
    return field
