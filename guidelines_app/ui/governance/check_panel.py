"""The Check panel: findings grouped by section and severity, with why each
matters and a better wording; jump to one, apply its suggested wording, or
dismiss it with a reason.  Widgets only: the feature runs the check
(``review.check``) and acts on the buttons."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from guidelines_app.core.wording import plural
from guidelines_app.review.check import CATEGORIES, CheckResult, Finding, severity_rank
from guidelines_app.ui import appearance
from guidelines_app.ui.fill import fill

_MARK = {"error": QT_TRANSLATE_NOOP("CheckPanel", "Error"), "warning": QT_TRANSLATE_NOOP("CheckPanel", "Warning"),
         "note": QT_TRANSLATE_NOOP("CheckPanel", "Note")}
WHOLE = QT_TRANSLATE_NOOP("CheckPanel", "Whole document")


class CheckPanel(QWidget):
    """What the check found, section by section."""

    jump = Signal(object)  # Finding
    apply = Signal(object)  # Finding
    dismiss = Signal(object)  # Finding
    recheck = Signal()
    target_changed = Signal(float)  # the readability target the owner set

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("check-panel")
        self.summary = QLabel(self.tr("Press Check to review this document."), objectName="check-summary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(objectName="check-findings")
        # One column, the whole width: the section heading above a finding says
        # where it is (a line number meant nothing in the formatted editor,
        # which shows none, and took the room the finding needs).
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(self.tr("Findings"))
        self.tree.setAccessibleDescription(self.tr("What the check found, by section and severity; Enter goes to it"))
        self.tree.currentItemChanged.connect(self._on_current)
        self.tree.itemActivated.connect(lambda item, _col: self._emit(self.jump, item))
        self.detail = QLabel(objectName="check-detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.go_button = QPushButton(self.tr("Go To"), objectName="check-go-to")
        self.apply_button = QPushButton(self.tr("Apply Suggestion"), objectName="check-apply")
        self.dismiss_button = QPushButton(self.tr("Dismiss…"), objectName="check-dismiss")
        self.again_button = QPushButton(self.tr("Check Again"), objectName="check-again")
        self.go_button.clicked.connect(lambda: self._emit(self.jump, self.tree.currentItem()))
        self.apply_button.clicked.connect(lambda: self._emit(self.apply, self.tree.currentItem()))
        self.dismiss_button.clicked.connect(lambda: self._emit(self.dismiss, self.tree.currentItem()))
        self.again_button.clicked.connect(self.recheck.emit)
        self.target = QDoubleSpinBox(objectName="check-target")
        self.target.setRange(4, 20)
        self.target.setDecimals(0)
        self.target.setPrefix(self.tr("Target grade "))
        self.target.setAccessibleName(self.tr("Target reading grade"))
        self.target.setToolTip(self.tr("The reading grade this document should not exceed (kept with its details)"))
        self.target.editingFinished.connect(lambda: self.target_changed.emit(self.target.value()))
        # Errors and warnings without a screen of notes (readability, coverage) between them.
        self.hide_notes = QCheckBox(self.tr("Hide Notes"), objectName="check-hide-notes")
        self.hide_notes.setToolTip(self.tr("List only the errors and warnings; the summary still counts the notes"))
        self.hide_notes.toggled.connect(self._show_again)
        buttons = QHBoxLayout()
        for b in (self.go_button, self.apply_button, self.dismiss_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.target)
        buttons.addWidget(self.again_button)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()  # beside the summary it filters (the row of buttons has no room left in a narrow panel)
        top.addWidget(self.summary, 1)
        top.addWidget(self.hide_notes, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        self.result: CheckResult | None = None
        self._on_current(None, None)
        # Shown again in the new colours when the appearance changes (dark red on near-black was unreadable).
        appearance.follow(self, lambda _colours: self._colour())

    # ---- showing -----------------------------------------------------------

    def _colour(self, groups: list[QTreeWidgetItem] | None = None) -> None:
        """Errors and warnings in the colours of the appearance shown (again when it changes)."""
        if groups is None:
            groups = [self.tree.topLevelItem(n) for n in range(self.tree.topLevelItemCount())]
        brushes = {severity: _brush(severity) for severity in ("error", "warning")}
        text = self.palette().text()
        for group in groups:
            group.setForeground(0, brushes["error"] if group.data(0, _WORST) == 0 else text)
            for n in range(group.childCount()):
                item = group.child(n)
                item.setForeground(0, brushes.get(item.data(0, Qt.ItemDataRole.UserRole).severity, text))

    def show_result(self, result: CheckResult) -> None:
        self.result = result
        counts = result.counts()
        figures = result.figures
        text = fill(self.tr("%1, %2, %3"), plural(counts["error"], "error"), plural(counts["warning"], "warning"),
                    plural(counts["note"], "note"))
        if result.dismissed:
            text = fill(self.tr("%1 (%2 dismissed)"), text, len(result.dismissed))
        hiding = self.hide_notes.isChecked() and counts["note"] > 0
        if hiding:
            text = fill(self.tr("%1 (notes hidden)"), text)
        if figures.get("target"):
            self.target.blockSignals(True)
            self.target.setValue(figures["target"])
            self.target.blockSignals(False)
        if figures.get("words"):
            text = fill(self.tr("%1. Readability: grade %2 against a target of %3, %4 words a sentence."), text,
                        f"{figures['grade']:g}", f"{figures['target']:g}", f"{figures['words_per_sentence']:g}")
        self.summary.setText(text)
        self.tree.clear()
        # The items are made apart from the tree and put in it at once, then
        # expanded at once: added one by one under groups already expanded, each
        # made the tree measure the rows above it (1,400 findings of a 40,000-word
        # policy held the window 5-10 s).
        groups: dict[str, QTreeWidgetItem] = {}
        listed = [f for f in result.findings if not (hiding and f.severity == "note")]
        ordered = sorted(listed, key=lambda f: (f.line is None, f.line if f.line is not None else 0))
        by_section: dict[str, list[Finding]] = {}  # sections in the document's order
        for finding in ordered:
            by_section.setdefault(finding.section or self.tr(WHOLE), []).append(finding)
        # Within a section the errors first, then the warnings, then the notes (each in the text's order).
        ordered = [f for found in by_section.values() for f in sorted(found, key=lambda f: severity_rank(f.severity))]
        for finding in ordered:
            title = finding.section or self.tr(WHOLE)
            group = groups.get(title)
            if group is None:
                group = groups[title] = QTreeWidgetItem([title])
                group.setData(0, Qt.ItemDataRole.UserRole, None)
            shown = fill(self.tr("%1: %2"), self.tr(_MARK[finding.severity]), finding.title)
            item = QTreeWidgetItem(group, [shown])
            item.setData(0, Qt.ItemDataRole.UserRole, finding)
            item.setToolTip(0, f"{shown}\n\n{finding.why}")  # the whole finding, where a narrow panel cuts it short
        for title, group in groups.items():
            worst = min(severity_rank(group.child(n).data(0, Qt.ItemDataRole.UserRole).severity) for n in range(group.childCount()))
            group.setText(0, fill(self.tr("%1 (%2)"), title, group.childCount()))
            group.setData(0, _WORST, worst)
        self._colour(list(groups.values()))
        self.tree.addTopLevelItems(list(groups.values()))
        self.tree.expandAll()
        first = self._first_finding()
        if first is not None:
            self.tree.setCurrentItem(first)
        else:
            self._on_current(None, None)

    def _show_again(self, _hide: bool) -> None:
        if self.result is not None:
            self.show_result(self.result)

    def findings_shown(self) -> list[Finding]:
        found = []
        for n in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(n)
            found += [group.child(k).data(0, Qt.ItemDataRole.UserRole) for k in range(group.childCount())]
        return found

    def select(self, finding: Finding) -> None:
        for n in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(n)
            for k in range(group.childCount()):
                if group.child(k).data(0, Qt.ItemDataRole.UserRole) == finding:
                    self.tree.setCurrentItem(group.child(k))
                    return

    def current_finding(self) -> Finding | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def _first_finding(self) -> QTreeWidgetItem | None:
        group = self.tree.topLevelItem(0)
        return group.child(0) if group is not None and group.childCount() else None

    def _on_current(self, item, _previous) -> None:
        finding = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        self.go_button.setEnabled(finding is not None and finding.line is not None)
        self.apply_button.setEnabled(finding is not None and finding.replacement is not None)
        self.dismiss_button.setEnabled(finding is not None)
        if finding is None:
            self.detail.setText("")
            return
        lines = [f"<b>{_esc(finding.title)}</b> <i>({CATEGORIES.get(finding.category, finding.category)})</i>",
                 _esc(finding.why)]
        if finding.replacement is not None:
            lines.append(fill(self.tr("Better: “%1” in place of “%2”."), _esc(finding.replacement), _esc(finding.matched)))
        elif finding.suggestion:
            lines.append(fill(self.tr("Better: %1"), _esc(finding.suggestion)))
        if finding.jurisdiction:
            lines.append(fill(self.tr("<small>%1; as of %2.</small>"), _esc(finding.jurisdiction), finding.as_of_day))
        self.detail.setText("<br>".join(lines))

    def _emit(self, signal, item) -> None:
        finding = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if finding is not None:
            signal.emit(finding)


_WORST = Qt.ItemDataRole.UserRole + 1  # a section's worst finding (0: an error)


def _brush(severity: str):
    """The severity's colour in the appearance shown (light or dark)."""
    from PySide6.QtGui import QBrush, QColor

    colours = appearance.current()
    return QBrush(QColor({"error": colours.error, "warning": colours.warning}.get(severity, colours.secondary)))


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
