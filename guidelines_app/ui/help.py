"""Help > User Guide and Help > Keyboard Shortcuts.

The guide ships with the app (resources/guide/*.md, one chapter a file, in
file-name order) and is shown with the preview's own Markdown rendering and
style sheet, in the current colours; nothing is fetched from the network.
The shortcut list (in its own dialog, and as the guide's Keyboard
Shortcuts chapter, at the ``<!-- shortcuts -->`` line) is read from the
window's actions when it is shown, never kept by hand.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
)

from guidelines_app.core.colours import page_css
from guidelines_app.core.paths import resources_dir
from guidelines_app.ui import appearance

translate = QCoreApplication.translate
SHORTCUTS_MARK = "<!-- shortcuts -->"


def guide_dir() -> Path:
    return resources_dir() / "guide"


def chapters() -> list[tuple[str, Path]]:
    """(title, file) of every chapter, in order; the title is the file's first heading."""
    found = []
    for path in sorted(guide_dir().glob("*.md")):
        text = path.read_text(encoding="utf-8")
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
        found.append((title, path))
    return found


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def shortcut_rows(window) -> list[tuple[str, str, str]]:
    """(menu, entry, keys) for every menu entry of *window* that has a
    shortcut, in menu order, then the window's other actions with one.
    The features are installed first, so the rows list their own entries
    (stand-ins stand for those not in yet; the same texts and keys)."""
    features = getattr(window, "features", None)
    if features is not None:
        features.ensure_loaded()
    rows: list[tuple[str, str, str]] = []
    seen = set()

    def walk(menu, path: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if sub is not None:
                walk(sub, f"{path} > {_plain(action.text())}")
                continue
            seen.add(id(action))
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
            if keys and not action.isSeparator():
                rows.append((path, _plain(action.text()).rstrip("…").rstrip("."), ", ".join(keys)))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), _plain(top.text()))
    for action in window.findChildren(QAction):
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
        if id(action) not in seen and keys and action.text():
            seen.add(id(action))
            rows.append((translate("Help", "Window"), _plain(action.text()), ", ".join(keys)))
    return rows


def shortcuts_markdown(window) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")

    lines = [f"| {translate('Help', 'Menu')} | {translate('Help', 'Command')} | {translate('Help', 'Keys')} |",
             "| --- | --- | --- |"]
    lines += [f"| {cell(menu)} | {cell(entry)} | {cell(keys)} |" for menu, entry, keys in shortcut_rows(window)]
    return "\n".join(lines)


class GuideWindow(QDialog):
    """The user guide: chapters on the left, the chapter on the right."""

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.setObjectName("user-guide")
        self.setWindowTitle(translate("Help", "Guideline Studio User Guide"))
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.resize(980, 720)
        from guidelines_app.core.markup import MarkdownRenderer  # not at import: the menus are built before the first paint

        self.renderer = MarkdownRenderer(cache_size=0)
        self.contents = QListWidget(objectName="guide-chapters")
        self.contents.setAccessibleName(translate("Help", "Chapters"))
        self.contents.setAccessibleDescription(translate("Help", "The chapters of the user guide; choose one to read it"))
        self.page = QTextBrowser(objectName="guide-page")
        self.page.setOpenLinks(False)
        self.page.anchorClicked.connect(self._open_link)
        self.page.setAccessibleName(translate("Help", "Chapter text"))
        self.chapters = chapters()
        for title, _path in self.chapters:
            self.contents.addItem(title)
        self.contents.currentRowChanged.connect(self.show_chapter)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.contents)
        split.addWidget(self.page)
        split.setSizes([240, 740])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        if self.chapters:
            self.contents.setCurrentRow(0)

    def chapter_text(self, row: int) -> str:
        text = self.chapters[row][1].read_text(encoding="utf-8")
        if SHORTCUTS_MARK in text:
            text = text.replace(SHORTCUTS_MARK, shortcuts_markdown(self.window_))
        return text

    def show_chapter(self, row: int) -> None:
        if not 0 <= row < len(self.chapters):
            return
        self.page.document().setDefaultStyleSheet(page_css(appearance.current()))
        self.page.setHtml(self.renderer.render(self.chapter_text(row)).html)

    def show_titled(self, title: str) -> None:
        for row, (name, _path) in enumerate(self.chapters):
            if name == title:
                self.contents.setCurrentRow(row)

    def _open_link(self, url: QUrl) -> None:
        target = url.toString()
        for row, (_title, path) in enumerate(self.chapters):
            if target == path.name:  # a link to another chapter: [Saving](03-saving-and-history.md)
                self.contents.setCurrentRow(row)
                return
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)


class ShortcutsDialog(QDialog):
    """Help > Keyboard Shortcuts: every shortcut the window's actions have."""

    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("keyboard-shortcuts")
        self.setWindowTitle(translate("Help", "Keyboard Shortcuts"))
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3, objectName="shortcut-table")
        self.table.setHorizontalHeaderLabels([translate("Help", "Menu"), translate("Help", "Command"),
                                              translate("Help", "Keys")])
        self.table.setAccessibleName(translate("Help", "Keyboard shortcuts"))
        self.table.setAccessibleDescription(translate("Help", "Every command with a shortcut: its menu, its name and its keys"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.resize(620, 560)


def show_guide(window) -> GuideWindow:
    guide = getattr(window, "guide_window", None)
    if guide is None:
        guide = window.guide_window = GuideWindow(window)
    guide.show()
    guide.raise_()
    guide.activateWindow()
    return guide


def show_shortcuts(window) -> None:
    ShortcutsDialog(window).exec()


def install(window, menu) -> None:
    """Help's entries above About: the guide, the shortcuts and the log folder."""
    from guidelines_app.ui.crash import open_log_folder

    add = window.add_action
    add(menu, translate("Help", "&User Guide"), lambda: show_guide(window), QKeySequence.StandardKey.HelpContents,
        translate("Help", "How to draft, save, compare, publish and export guidelines"))
    add(menu, translate("Help", "&Keyboard Shortcuts"), lambda: show_shortcuts(window), None,
        translate("Help", "Every keyboard shortcut of the menus"))
    menu.addSeparator()
    add(menu, translate("Help", "Show &Log Folder"), open_log_folder, None,
        translate("Help", "The folder with the app's log and the reports of unexpected errors"))
    menu.addSeparator()
