"""Showing what re-answering would change before anything is applied, and
the list of "[to be decided: ...]" markers.

The changes are shown as the Compare view shows them (``review.diff`` and
the HTML redline of ``review.redline``): the changed sections as text, with
headings as headings, deleted words struck through and inserted words
highlighted; never Markdown.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from guidelines_app.core.wording import plural
from guidelines_app.drafting.answers import marker_places
from guidelines_app.drafting.reanswer import ADD, REMOVE, ReanswerPlan
from guidelines_app.ui import appearance
from guidelines_app.ui.fill import fill

ID_ROLE = Qt.ItemDataRole.UserRole
translate = QCoreApplication.translate
_KIND_TEXT = {"update": QT_TRANSLATE_NOOP("Reanswer", "Changes"), ADD: QT_TRANSLATE_NOOP("Reanswer", "Added"),
              REMOVE: QT_TRANSLATE_NOOP("Reanswer", "Removed")}


# As the Compare view lays out its pages (``ui.review.compare_pages``).
_CSS = "h1,h2,h3,h4,h5,h6 { margin-top: 10px; } p { margin: 4px 0; } .quote { margin-left: 12px; }"


def changes_html(old: str, new: str) -> str:
    """The sections that differ between the bodies *old* and *new*, as the
    Compare view shows changes (the redline of ``review.diff``)."""
    from guidelines_app.review import diff as diffmod  # loaded when shown, as the other views of changes do
    from guidelines_app.review import redline

    result = diffmod.diff_texts(old, new, changes_only=True)
    if not any(row.changed for row in result.rows):
        return translate("Reanswer", "<p><i>Nothing would change with the sections selected.</i></p>")
    return redline.render_html_fragment(result, side="inline", qt=True, changes_only=True, colours=appearance.current())


class ReanswerDialog(QDialog):
    """Lists the sections the new answers change, with the diff; sections
    edited by hand are unticked unless the user ticks them."""

    def __init__(self, parent: QWidget | None, plan: ReanswerPlan):
        super().__init__(parent)
        self.setObjectName("reanswer-dialog")
        self.setWindowTitle(translate("Reanswer", "Apply the new answers?"))
        self.plan = plan
        intro = QLabel(translate("Reanswer", "These sections would change. Sections you edited yourself are <b>not</b> ticked: "
                                 "your text stays as it is and the new answers are not filled into it unless you tick them. "
                                 "Below is what will change: deleted words are struck through, new words are underlined."))
        intro.setWordWrap(True)
        self.sections = QTreeWidget(objectName="reanswer-sections")
        self.sections.setHeaderLabels([translate("Reanswer", "Section"), translate("Reanswer", "Change"), translate("Reanswer", "Note")])
        for change in plan.changes:
            note = translate("Reanswer", "You edited this section: tick it to replace your edits with the new answers") \
                if change.edited else ""
            item = QTreeWidgetItem([change.title, translate("Reanswer", _KIND_TEXT[change.kind]), note])
            item.setData(0, ID_ROLE, change.clause)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if change.apply_by_default else Qt.CheckState.Unchecked)
            if change.edited:
                item.setForeground(2, QColor(appearance.current().error))
                for column in range(3):
                    item.setToolTip(column, note)
            self.sections.addTopLevelItem(item)
        self.sections.resizeColumnToContents(0)
        self.sections.resizeColumnToContents(1)
        self.sections.itemChanged.connect(lambda *_: self._refresh())
        self.diff_view = QTextBrowser(objectName="reanswer-diff")
        self.diff_view.document().setDefaultStyleSheet(_CSS)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.sections)
        split.addWidget(self.diff_view)
        split.setSizes([160, 440])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).setText(translate("Reanswer", "Apply to draft"))
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)
        self.resize(900, 680)
        self._refresh()

    def accepted_ids(self) -> set[str]:
        ids = set()
        for n in range(self.sections.topLevelItemCount()):
            item = self.sections.topLevelItem(n)
            if item.checkState(0) == Qt.CheckState.Checked:
                ids.add(item.data(0, ID_ROLE))
        return ids

    def set_checked(self, clause_id: str, checked: bool) -> None:
        for n in range(self.sections.topLevelItemCount()):
            item = self.sections.topLevelItem(n)
            if item.data(0, ID_ROLE) == clause_id:
                item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def new_body(self) -> str:
        return self.plan.apply(self.accepted_ids())

    def _refresh(self) -> None:
        ticked = self.accepted_ids()
        kept = [html.escape(f"“{c.title}”") for c in self.plan.changes if c.edited and c.clause not in ticked]
        note = ""
        if kept:  # their old text (an old contact, say) stays: say so where the changes are read
            note = fill(translate("Reanswer", "<p><i>Not changed, as you edited them and they are not ticked: %1.</i></p>"),
                        ", ".join(kept))
        self.diff_view.setHtml(note + changes_html(self.plan.current_body, self.plan.apply(ticked)))


class MarkersDock(QDockWidget):
    """Every "[to be decided: ...]" in the open document; click to jump."""

    def __init__(self, window):
        super().__init__(translate("Reanswer", "To Be Decided"), window)
        self.setObjectName("markers-dock")
        self.window_ = window
        self.list = QListWidget(objectName="markers-list", accessibleName=self.tr("Markers to be decided"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.setWidget(box)
        self.list.itemActivated.connect(self._jump)
        self.list.itemClicked.connect(self._jump)
        # Listed while shown: hidden (as it starts), an edit or a document
        # opened only marks the list stale, and showing it lists afresh (the
        # scan of a 4 MB document held the window 0.3 s at every pause in typing).
        self._stale = True
        self._timer = QTimer(self, singleShot=True, interval=400)
        self._timer.timeout.connect(self.refresh)
        window.editor.textChanged.connect(self._changed)
        window.document_opened.connect(lambda _slug: self._changed(at_once=True))
        self.visibilityChanged.connect(lambda shown: shown and self._stale and self.refresh())

    def _changed(self, at_once: bool = False) -> None:
        self._stale = True
        if not self.isVisible():
            self._timer.stop()
        elif at_once:
            self.refresh()
        else:
            self._timer.start()

    def refresh(self) -> None:
        self._stale = False
        self.list.clear()
        if self.window_.doc is None:
            self.summary.setText(translate("Reanswer", "No document open."))
            return
        if self.window_.heavy_features_off:  # a very large document: scanning it would freeze typing
            self.summary.setText(translate("Reanswer", "Not listed for a very large document."))
            return
        markers = marker_places(self.window_.editor.text())
        for place in markers:
            # Where the reader finds it ("Channels › Instagram row: owner");
            # the line number is for those who want it.
            item = QListWidgetItem(place.describe())
            item.setToolTip(fill(translate("Reanswer", "Line %1"), place.line + 1))
            item.setData(ID_ROLE, place.line)
            self.list.addItem(item)
        self.summary.setText(fill(translate("Reanswer", "%1 still to be decided."), plural(len(markers), "point")) if markers
                             else translate("Reanswer", "Nothing is marked “to be decided”."))

    def _jump(self, item: QListWidgetItem) -> None:
        self.window_.editor.go_to_line(item.data(ID_ROLE))
