"""File > New Guideline: pick what to write, answer the questionnaire and
watch the draft assemble beside the questions.

The same dialog re-opens the questionnaire of an existing document
(re-answer mode): the set is fixed and the answers start from the
document's front matter.  All assembling is done by guidelines_app.templates;
this module only collects answers and shows results.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from guidelines_app.core.document import Document
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.drafting.answers import check_answers
from guidelines_app.drafting.library import Assembly, Library, TemplateSet, assemble, not_asked
from guidelines_app.ui import appearance
from guidelines_app.ui.drafting.fields import QuestionField, make_field
from guidelines_app.ui.fill import fill
from guidelines_app.ui.preview import PreviewPane

BLANK = "__blank__"
SET_ROLE = Qt.ItemDataRole.UserRole


class NewGuidelineWizard(QDialog):
    def __init__(self, parent: QWidget | None, library: Library, organization: str = "",
                 fixed_set: TemplateSet | None = None, answers: dict[str, Any] | None = None, title: str = ""):
        super().__init__(parent)
        self.setObjectName("new-guideline-wizard")
        self.library = library
        self.reanswer = fixed_set is not None
        self.setWindowTitle(self.tr("Re-answer Questionnaire") if self.reanswer else self.tr("New Guideline"))
        self._organization = organization
        # Answers per set, kept while the user goes back and forth.
        self._answers: dict[str, dict[str, Any]] = {}
        if fixed_set is not None:
            self._answers[fixed_set.id] = dict(answers or {})
        self._fields: dict[str, QuestionField] = {}
        self._tset: TemplateSet | None = None
        self._assembly: Assembly | None = None
        self._building = False
        self._visited: set[str] = set()  # sets whose questions were shown: their answers are kept
        self._answered = False  # an answer or the title typed or changed: Cancel asks before it throws them away

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self._build_questions_side(title))
        split.addWidget(self._build_preview_side())
        split.setSizes([520, 620])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(self._build_buttons())

        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.refresh_preview)
        self.resize(1180, 760)
        if fixed_set is not None:
            self._use_set(fixed_set)
            self.pages.setCurrentIndex(1)
            self._update_buttons()
            self.refresh_preview()
        else:
            # Selected once everything is built and connected, so the
            # highlighted set is the one in use: its questions, its preview
            # and its buttons (it used to open highlighted but unused).
            self.set_list.setCurrentRow(0)

    def _build_questions_side(self, title: str) -> QWidget:
        """The pages (what to write, then its questions), with the step's
        heading, the points still to decide and any problem."""
        self.pages = QStackedWidget()
        self.choose_page = self._build_choose_page(title)
        self.pages.addWidget(self.choose_page)

        self.heading = QLabel()
        self.heading.setObjectName("wizard-heading")
        self.heading.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("wizard-error")
        self.error.setStyleSheet(f"color: {appearance.current().error}")
        self.error.setWordWrap(True)
        self.error.hide()
        self.markers_label = QLabel()
        self.markers_label.setWordWrap(True)
        self.markers_label.setStyleSheet(f"color: {appearance.current().warning}")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        left_layout.addWidget(self.heading)
        left_layout.addWidget(self.pages, 1)
        left_layout.addWidget(self.markers_label)
        left_layout.addWidget(self.error)
        return left

    def _build_preview_side(self) -> QWidget:
        self.preview = PreviewPane(delay_ms=150)
        self.preview.setObjectName("wizard-preview")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        right_layout.addWidget(QLabel(self.tr("<b>Draft preview</b> — updates as you answer")))
        right_layout.addWidget(self.preview, 1)
        return right

    def _build_buttons(self) -> QHBoxLayout:
        self.back_button = QPushButton(self.tr("< Back"))
        self.next_button = QPushButton(self.tr("Next >"))
        self.finish_button = QPushButton(self.tr("Show Changes…") if self.reanswer else self.tr("Create Draft"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.finish_button.clicked.connect(self.finish)
        self.cancel_button.clicked.connect(self.reject)
        self.next_button.setDefault(True)
        self.step_label = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.step_label, 1)
        for b in (self.back_button, self.next_button, self.finish_button, self.cancel_button):
            buttons.addWidget(b)
        return buttons

    # ---- page 0: what are you writing? ----------------------------------------

    def _build_choose_page(self, title: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.set_list = QListWidget(objectName="template-sets", accessibleName=self.tr("What are you writing?"))
        self.set_list.setWordWrap(True)
        self.set_list.setSpacing(3)
        self.set_list.setResizeMode(QListView.ResizeMode.Adjust)  # the descriptions wrap again at a new width
        self.set_list.setItemDelegate(TitledItems(self.set_list))
        for tset in self.library.ordered():
            origin = "" if tset.origin == "built-in" else self.tr("   (this workspace)")
            item = QListWidgetItem(f"{tset.title}{origin}\n{tset.description}")
            item.setData(SET_ROLE, tset.id)
            item.setToolTip(tset.description)
            self.set_list.addItem(item)
        blank = QListWidgetItem(self.tr("Blank document\nAn empty document with a title, to write from scratch."))
        blank.setData(SET_ROLE, BLANK)
        self.set_list.addItem(blank)
        self.set_list.currentItemChanged.connect(self._on_set_changed)
        self.set_list.itemDoubleClicked.connect(lambda _item: self.go_next())
        self.title_edit = QLineEdit(title)
        self.title_edit.setObjectName("wizard-title")
        self.title_edit.setPlaceholderText(self.tr("Leave blank to use the template's name"))
        self.title_edit.textChanged.connect(self._schedule)
        form = QFormLayout()
        form.addRow(self.tr("Title"), self.title_edit)
        layout.addWidget(self.set_list, 1)  # (the page's heading asks "What are you writing?")
        layout.addLayout(form)
        return page

    def selected_set_id(self) -> str:
        item = self.set_list.currentItem()
        return item.data(SET_ROLE) if item else BLANK

    def select_set(self, set_id: str) -> None:
        for row in range(self.set_list.count()):
            if self.set_list.item(row).data(SET_ROLE) == set_id:
                self.set_list.setCurrentRow(row)
                return
        raise KeyError(set_id)

    def _on_set_changed(self, *_args) -> None:
        set_id = self.selected_set_id()
        self._use_set(None if set_id == BLANK else self.library.get(set_id))
        self._update_buttons()
        self.refresh_preview()

    # ---- question pages ----------------------------------------------------------

    def _use_set(self, tset: TemplateSet | None) -> None:
        if self._tset is not None and (self.reanswer or self._tset.id in self._visited):
            self._answers[self._tset.id] = self.current_answers()
        while self.pages.count() > 1:
            widget = self.pages.widget(1)
            self.pages.removeWidget(widget)
            widget.deleteLater()
        self._fields = {}
        self._conditional: dict[str, tuple] = {}  # question id -> (label, field, help): asked only if …
        self._tset = tset
        if tset is None:
            return
        stored = self._answers.get(tset.id)
        if stored is None:
            # Answers shared by several sets (organization, model...) carry over.
            stored = {}
            for other in self._answers.values():
                stored.update({k: v for k, v in other.items() if tset.question(k)})
            if self._organization and "organization" not in stored:
                stored["organization"] = self._organization
        try:
            values = check_answers(tset, stored, strict=False)
        except GuidelinesError:
            values = check_answers(tset, {}, strict=False)
        self._building = True
        for name, questions in tset.pages():
            content = QWidget()
            column = QVBoxLayout(content)
            column.setSpacing(4)
            for q in questions:
                field = make_field(q)
                field.set_value(values.get(q.id))
                field.changed.connect(self._schedule)
                self._fields[q.id] = field
                label = QLabel(f"<b>{html.escape(q.label)}</b>")
                label.setWordWrap(True)
                label.setBuddy(field)
                column.addWidget(label)
                column.addWidget(field)
                help_label = None
                if q.help:
                    help_label = QLabel(q.help)
                    help_label.setWordWrap(True)
                    help_label.setStyleSheet(f"color: {appearance.current().secondary}")
                    column.addWidget(help_label)
                if q.asked_if:  # greyed out while the other answers leave it unused (``_update_asked``)
                    self._conditional[q.id] = (label, field, help_label)
                column.addSpacing(10)
            column.addStretch(1)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(content)
            scroll.setProperty("page_name", name)
            self.pages.addWidget(scroll)
        self._building = False
        self._update_asked()

    def _update_asked(self) -> None:
        """Questions the other answers leave unused greyed out (their answers
        kept: the templates do not use them), the others as usual."""
        if self._tset is None or not self._conditional:
            return
        unused = not_asked(self._tset, self.current_answers())
        for qid, widgets in self._conditional.items():
            for widget in widgets:
                if widget is not None:
                    widget.setEnabled(qid not in unused)

    def current_answers(self) -> dict[str, Any]:
        return {qid: field.value() for qid, field in self._fields.items()}

    def field(self, qid: str) -> QuestionField:
        return self._fields[qid]

    # ---- navigation --------------------------------------------------------------

    def _first_page(self) -> int:
        return 1 if self.reanswer else 0

    def go_next(self) -> None:
        if self.selected_set_id() == BLANK and not self.reanswer:
            self.finish()
            return
        if self.pages.currentIndex() < self.pages.count() - 1:
            self.pages.setCurrentIndex(self.pages.currentIndex() + 1)
            if self._tset is not None:
                self._visited.add(self._tset.id)
        self._update_buttons()

    def go_back(self) -> None:
        if self.pages.currentIndex() > self._first_page():
            self.pages.setCurrentIndex(self.pages.currentIndex() - 1)
        self._update_buttons()

    def _update_buttons(self) -> None:
        index = self.pages.currentIndex()
        last = self.pages.count() - 1
        blank = self._tset is None
        self.back_button.setEnabled(index > self._first_page())
        self.next_button.setEnabled(index < last or (blank and index == 0))
        self.next_button.setText(self.tr("Create >") if blank and index == 0 else self.tr("Next >"))
        self.finish_button.setEnabled(not blank or index == 0)
        if index == 0:
            self.heading.setText(self.tr("<h3>What are you writing?</h3>Pick a starting point. You can change every answer later "
                                         "with Template > Re-answer Questionnaire."))
            self.step_label.setText("")
        else:
            name = self.pages.widget(index).property("page_name")
            total = self.pages.count() - 1
            self.heading.setText(f"<h3>{name}</h3>{self._tset.title if self._tset else ''}")
            self.step_label.setText(fill(self.tr("Step %1 of %2"), index, total))

    # ---- assembling ----------------------------------------------------------------

    def _schedule(self) -> None:
        if not self._building:
            self._answered = True
            self._update_asked()
            self._timer.start()

    def reject(self) -> None:
        """Cancel, Esc or the window's close button (``QDialog.closeEvent``
        rejects): with answers given, asks before throwing them away (a
        questionnaire takes a while to answer)."""
        if self._answered and not self._discard_confirmed():
            return
        super().reject()

    def _discard_confirmed(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(),
                          self.tr("Discard your answers?") if not self.reanswer else self.tr("Discard the new answers?"),
                          parent=self, objectName="discard-answers")
        box.setInformativeText(self.tr("The answers given here are not kept anywhere else.") if not self.reanswer
                               else self.tr("The document keeps its text and its earlier answers."))
        discard = box.addButton(self.tr("Discard Answers"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Keep Answering"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        if box.clickedButton() is discard:
            self._answered = False
            return True
        return False

    def title(self) -> str:
        return self.title_edit.text().strip()

    def refresh_preview(self) -> None:
        self._timer.stop()
        self._assembly = None
        if self._tset is None:
            title = self.title() or self.tr("Untitled guideline")
            self.preview.render_now(fill(self.tr("# %1\n\nA blank document: write it from scratch.\n"), title))
            self.markers_label.setText("")
            self.error.hide()
            return
        try:
            self._assembly = assemble(self._tset, self.current_answers(), title=self.title())
        except GuidelinesError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.error.hide()
        self.preview.render_now(self._assembly.document.body)
        labels = sorted({label for _, label in self._assembly.markers})
        if labels:
            self.markers_label.setText(fill(self.tr("Still to be decided (%1): %2. You can finish now; the draft marks them clearly."),
                                            len(labels), ", ".join(labels)))
        else:
            self.markers_label.setText(self.tr("Every question is answered."))

    def assembly(self) -> Assembly | None:
        return self._assembly

    def finish(self) -> None:
        if self._tset is not None:
            self.refresh_preview()
            if self._assembly is None:
                return
        elif not self.title():
            self.error.setText(self.tr("Please give the blank document a title."))
            self.error.show()
            self.title_edit.setFocus()
            return
        self.accept()

    def document(self) -> Document:
        """The new document (after the dialog was accepted)."""
        if self._tset is None:
            return Document.new(self.title(), organization=self._organization)
        if self._assembly is None:
            self.refresh_preview()
        return self._assembly.document

    def done(self, result: int) -> None:
        self.preview.shutdown()
        super().done(result)


class TitledItems(QStyledItemDelegate):
    """A list item whose first line is a name, shown bold, above its
    description (the templates: names and descriptions in one weight made
    the list hard to scan)."""

    _PAD = 4

    def _parts(self, index) -> tuple[str, str]:
        name, _, description = (index.data() or "").partition("\n")
        return name, description

    def _rects(self, option, index, width: int) -> tuple[QRect, QRect]:
        name, description = self._parts(index)
        flags = int(Qt.TextFlag.TextWordWrap)
        top = QRect(0, 0, width - 2 * self._PAD, 10_000)
        name_rect = _text_room(_bold(option.font), top, flags, name)
        text_rect = _text_room(option.font, top, flags, description) if description else QRect()
        return name_rect, text_rect

    def sizeHint(self, option, index) -> QSize:
        width = self.parent().viewport().width() - 2 * self.parent().spacing()
        name_rect, text_rect = self._rects(option, index, width)
        return QSize(width, name_rect.height() + text_rect.height() + 2 * self._PAD)

    def paint(self, painter, option, index) -> None:
        self.initStyleOption(option, index)
        name, description = self._parts(index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = option.palette.ColorRole.HighlightedText if selected else option.palette.ColorRole.Text
        painter.save()
        painter.setPen(option.palette.color(role))
        name_rect, text_rect = self._rects(option, index, option.rect.width())
        area = option.rect.adjusted(self._PAD, self._PAD, -self._PAD, -self._PAD)
        painter.setFont(_bold(option.font))
        painter.drawText(QRect(area.left(), area.top(), area.width(), name_rect.height()), int(Qt.TextFlag.TextWordWrap), name)
        painter.setFont(option.font)
        painter.drawText(QRect(area.left(), area.top() + name_rect.height(), area.width(), text_rect.height()),
                         int(Qt.TextFlag.TextWordWrap), description)
        painter.restore()


def _bold(font) -> QFont:
    """A bold copy of *font* (an item's own font is not changed)."""
    bold = QFont(font)
    bold.setBold(True)
    return bold


def _text_room(font, rect: QRect, flags: int, text: str) -> QRect:
    """The room *text* takes in *font*, wrapped to *rect*'s width."""
    return QFontMetrics(font).boundingRect(rect, flags, text)
