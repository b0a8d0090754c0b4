"""The clause library panel: browse clauses by category, search them, read
one with the document's answers filled in, and insert it at the cursor."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.markup import render_html
from guidelines_app.drafting.library import CATEGORIES, Library, render_clause
from guidelines_app.ui.fill import fill

KEY_ROLE = Qt.ItemDataRole.UserRole
translate = QCoreApplication.translate
CATEGORY_NAMES = {"who": QT_TRANSLATE_NOOP("ClauseLibrary", "Who"), "how": QT_TRANSLATE_NOOP("ClauseLibrary", "How"),
                  "when": QT_TRANSLATE_NOOP("ClauseLibrary", "When"), "where": QT_TRANSLATE_NOOP("ClauseLibrary", "Where"),
                  "governance": QT_TRANSLATE_NOOP("ClauseLibrary", "Governance")}


def category_name(category: str) -> str:
    """A clause category's name in the user's language."""
    return translate("ClauseLibrary", CATEGORY_NAMES[category])


class ClauseLibraryPanel(QWidget):
    """*answers_for()* gives (answers, title) of the open document, so an
    inserted clause speaks of the right organization and model."""

    insert_requested = Signal(str)

    def __init__(self, library_provider: Callable[[], Library | None], answers_for: Callable[[], tuple[dict, str]], parent=None):
        super().__init__(parent)
        self._library = library_provider
        self._answers_for = answers_for
        self.category = QComboBox(objectName="clause-category", accessibleName=self.tr("Clause category"))
        self.category.addItem(translate("ClauseLibrary", "All categories"), "")
        for c in CATEGORIES:
            self.category.addItem(category_name(c), c)
        self.search = QLineEdit(objectName="clause-search", accessibleName=self.tr("Search clauses"))
        self.search.setPlaceholderText(translate("ClauseLibrary", "Search clauses"))
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget(objectName="clause-tree", accessibleName=self.tr("Clauses"))
        self.tree.setHeaderHidden(True)
        self.tree.setIndentation(12)  # three levels (category, template, clause) in a narrow panel
        self.view = QTextBrowser(objectName="clause-view", accessibleName=self.tr("Clause text"))
        self.insert_button = QPushButton(translate("ClauseLibrary", "Insert at Cursor"), objectName="clause-insert")
        self.insert_button.setEnabled(False)

        filters = QHBoxLayout()
        filters.addWidget(self.category)
        filters.addWidget(self.search, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(self.view)
        split.setSizes([300, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addWidget(self.insert_button)

        self.category.currentIndexChanged.connect(self.refresh)
        self.search.textChanged.connect(self.refresh)
        self.tree.currentItemChanged.connect(self.show_current)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self.insert_current() if item.data(0, KEY_ROLE) else None)
        self.insert_button.clicked.connect(self.insert_current)

    def refresh(self) -> None:
        self.tree.clear()
        lib = self._library()
        if lib is None:  # (its reading cancelled: shown again, it reads them again)
            return
        # Category, then the template a clause comes from (two templates each
        # have a "Who" part: side by side with no template named, they read as one listed twice).
        groups: dict[str, QTreeWidgetItem] = {}
        sets: dict[tuple[str, str], QTreeWidgetItem] = {}
        for tset, clause in lib.clauses(self.category.currentData() or None, self.search.text()):
            group = groups.get(clause.category)
            if group is None:
                group = groups[clause.category] = QTreeWidgetItem([category_name(clause.category)])
                group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                self.tree.addTopLevelItem(group)
            under = sets.get((clause.category, tset.id))
            if under is None:
                under = sets[clause.category, tset.id] = QTreeWidgetItem(group, [tset.title])
                under.setFlags(under.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                under.setForeground(0, self.palette().placeholderText())
            item = QTreeWidgetItem([clause.title])
            item.setToolTip(0, fill(translate("ClauseLibrary", "%1\n\nFrom: %2"), clause.purpose, tset.title))
            item.setData(0, KEY_ROLE, (tset.id, clause.id))
            under.addChild(item)
        self.tree.expandAll()
        self._hint()
        self.insert_button.setEnabled(False)

    def _hint(self) -> None:
        """What the empty text pane is for, until a clause is picked."""
        self.view.setHtml("<p style='color: gray'>" + translate(
            "ClauseLibrary", "Pick a clause to read it here, filled in with this document's answers. "
                             "Insert at Cursor puts it into the text where the cursor is.") + "</p>")

    def select(self, set_id: str, clause_id: str) -> bool:
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            for t in range(group.childCount()):
                under = group.child(t)
                for n in range(under.childCount()):
                    item = under.child(n)
                    if item.data(0, KEY_ROLE) == (set_id, clause_id):
                        self.tree.setCurrentItem(item)
                        return True
        return False

    def current_text(self) -> str | None:
        item = self.tree.currentItem()
        key = item.data(0, KEY_ROLE) if item else None
        if not key:
            return None
        lib = self._library()
        if lib is None:
            return None
        tset = lib.get(key[0])
        answers, title = self._answers_for()
        return render_clause(tset, key[1], answers, title)

    def show_current(self, *_args) -> None:
        """Show the clause picked in the tree (again, after the document changed)."""
        item = self.tree.currentItem()
        key = item.data(0, KEY_ROLE) if item else None
        self.insert_button.setEnabled(bool(key))
        if not key:
            self._hint()
            return
        try:
            lib = self._library()
            if lib is None:
                self.view.clear()
                return
            tset = lib.get(key[0])
            clause = tset.clauses[key[1]]
            text = self.current_text()
        except GuidelinesError as exc:
            self.view.setPlainText(str(exc))
            return
        heading = fill(translate("ClauseLibrary", "<p><i>%1</i><br><small>%2 · from %3</small></p><hr>"),
                       clause.purpose, category_name(clause.category), tset.title)
        self.view.setHtml(heading + render_html(text))

    def insert_current(self) -> None:
        try:
            text = self.current_text()
        except GuidelinesError as exc:
            self.view.setPlainText(str(exc))
            return
        if text:
            self.insert_requested.emit(text)


class ClauseLibraryDock(QDockWidget):
    def __init__(self, panel: ClauseLibraryPanel, parent=None):
        super().__init__(translate("ClauseLibrary", "Clause Library"), parent)
        self.setObjectName("clause-library-dock")
        self.panel = panel
        self.setWidget(panel)
