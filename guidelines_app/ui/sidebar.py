"""The window's left side: the workspace's documents and the open
document's outline (its headings), which follows the cursor."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from guidelines_app.core.inline_markup import display_text
from guidelines_app.core.outline import Section, outline, section_at_line
from guidelines_app.ui.fill import fill

SLUG_ROLE = Qt.ItemDataRole.UserRole
INDEX_ROLE = Qt.ItemDataRole.UserRole + 1  # an outline item's section (``sections``: their lines move as the text is edited)


class DocumentSidebar(QWidget):
    """Shows what it is given and says what the reader chose; opening
    documents and moving the cursor are the window's."""

    document_chosen = Signal(str)  # slug
    new_requested = Signal()
    line_chosen = Signal(int)  # the heading's line in the body

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.sections = []  # markup.outline() of the body last shown
        self.current_section: int | None = None
        self._outline_items: list[QTreeWidgetItem] = []
        self.doc_list = QListWidget(objectName="documents", accessibleName=self.tr("Documents"))
        self.doc_list.setAccessibleDescription(self.tr("The documents of this workspace; Enter opens one"))
        self.doc_list.itemActivated.connect(self._on_doc_activated)
        self.doc_list.itemClicked.connect(self._on_doc_activated)
        self.outline_view = QTreeWidget(objectName="outline", accessibleName=self.tr("Outline"))
        self.outline_view.setAccessibleDescription(self.tr("The sections of the open document; Enter goes to one"))
        self.outline_view.setHeaderHidden(True)
        # One line each: the view places an item without measuring every row above it (going to the
        # last of a long policy's 11,500 headings measured them all: 0.15 s at each move of the cursor there).
        self.outline_view.setUniformRowHeights(True)
        self.outline_view.itemClicked.connect(self._on_outline_clicked)
        self.outline_view.itemActivated.connect(self._on_outline_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(QLabel(self.tr("<b>Documents</b>")))
        layout.addWidget(self.doc_list, 2)
        new_button = QPushButton(self.tr("New Guideline…"))
        new_button.clicked.connect(self.new_requested)
        layout.addWidget(new_button)
        layout.addWidget(QLabel(self.tr("<b>Outline</b>")))
        layout.addWidget(self.outline_view, 3)

    # ---- documents -----------------------------------------------------------

    def show_documents(self, infos, current_slug: str | None) -> None:
        """List the workspace's documents (``Workspace.documents()``)."""
        self.doc_list.clear()
        for info in infos:
            label = info.title if not info.error else fill(self.tr("%1 (cannot be read)"), info.slug)
            item = QListWidgetItem(label)
            item.setData(SLUG_ROLE, info.slug)
            item.setToolTip(info.error or fill(self.tr("%1\nStatus: %2   Version: %3"), info.title, info.status, info.version))
            self.doc_list.addItem(item)
            if info.slug == current_slug:
                item.setSelected(True)
                self.doc_list.setCurrentItem(item)

    def select_document(self, slug: str | None) -> None:
        for row in range(self.doc_list.count()):
            item = self.doc_list.item(row)
            if item.data(SLUG_ROLE) == slug:
                self.doc_list.setCurrentItem(item)
                return
        self.doc_list.clearSelection()

    def _on_doc_activated(self, item: QListWidgetItem) -> None:
        self.document_chosen.emit(item.data(SLUG_ROLE))

    # ---- outline -------------------------------------------------------------

    def show_outline(self, body: str) -> None:
        """The headings of *body*, nested by level; no section is current."""
        self.show_sections(outline(body))

    def show_sections(self, sections: list[Section]) -> None:
        """``show_outline`` of the sections *sections* (``core.outline.outline``).
        Headings of the same levels as shown (a pause in typing, most often)
        change only the titles that differ: the tree of a long policy's
        11,500 headings took 0.1 s to make again (over 0.5 s while the
        preview was rendered on its thread)."""
        self.current_section = None
        old, self.sections = self.sections, sections
        if len(old) == len(sections) and len(self._outline_items) == len(sections) \
                and all(a.level == b.level for a, b in zip(old, sections, strict=True)):
            for item, a, b in zip(self._outline_items, old, sections, strict=True):
                if a.title != b.title:
                    item.setText(0, display_text(b.title) or self.tr("(untitled)"))
            return
        self.outline_view.clear()
        self._outline_items = []
        parents: list[tuple[int, QTreeWidgetItem]] = []
        for n, sec in enumerate(sections):
            # As the text shows the heading: "Use bold", not "Use **bold**"; "1. Scope", not "1\\. Scope".
            item = QTreeWidgetItem([display_text(sec.title) or self.tr("(untitled)")])
            item.setData(0, INDEX_ROLE, n)
            while parents and parents[-1][0] >= sec.level:
                parents.pop()
            if parents:
                parents[-1][1].addChild(item)
            else:
                self.outline_view.addTopLevelItem(item)
            parents.append((sec.level, item))
            self._outline_items.append(item)
        self.outline_view.expandAll()

    def clear_outline(self) -> None:
        self.sections, self._outline_items, self.current_section = [], [], None
        self.outline_view.clear()

    def follow_line(self, line: int) -> bool:
        """Highlight the section *line* is in; True when that is a newly
        current section, or the text before the first heading (None): the
        preview should show it too."""
        index = section_at_line(self.sections, line)
        if index == self.current_section:
            return False
        self.current_section = index
        if index is None or index >= len(self._outline_items):
            self.outline_view.clearSelection()
            return index is None
        self.outline_view.blockSignals(True)
        self.outline_view.setCurrentItem(self._outline_items[index])
        self.outline_view.blockSignals(False)
        return True

    def _on_outline_clicked(self, item: QTreeWidgetItem) -> None:
        n = item.data(0, INDEX_ROLE)
        if isinstance(n, int) and 0 <= n < len(self.sections):
            self.line_chosen.emit(self.sections[n].line)
