"""The main window's own menus: File, Edit, Format, View and Help (features
add theirs through ``MainWindow.add_menu`` and ``add_action``).

Menu texts go through Qt's translation (``QCoreApplication.translate`` with
the context "Menus"; ``scripts/extract_strings.py`` collects them), and every
shortcut Qt has a standard key for uses it, so each platform gets its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from guidelines_app import APP_NAME, __version__
from guidelines_app.ui import appearance, help
from guidelines_app.ui.surface.menu import install_format_entries, install_view_entries

translate = QCoreApplication.translate
Std = QKeySequence.StandardKey


def keys(*wanted) -> list[QKeySequence]:
    """The platform's key for each standard key and the given key strings,
    each once, in order (for an action with more than one shortcut)."""
    found: list[QKeySequence] = []
    for item in wanted:
        sequence = QKeySequence(item)
        if not sequence.isEmpty() and sequence not in found:
            found.append(sequence)
    return found


@dataclass
class StandardActions:
    """The entries the window enables, checks or relabels later."""

    new: QAction
    save: QAction
    save_as: QAction
    details: QAction
    undo: QAction
    redo: QAction
    toggle_preview: QAction
    toggle_sidebar: QAction
    recent_menu: QMenu
    before_quit: QAction  # the separator above Quit: features' File entries go before it


def build_menus(window) -> StandardActions:
    """Fill *window*'s menu bar and ``window.menus``; the slots are the
    window's public methods and its editor's."""
    bar, add = window.menuBar(), window.add_action
    m = window.menus["File"] = bar.addMenu(translate("Menus", "&File"))
    new = add(m, translate("Menus", "&New Guideline…"), window.new_document, Std.New)
    add(m, translate("Menus", "&Open Document…"), lambda: open_document_dialog(window), Std.Open)
    m.addSeparator()
    # (A very large document saves in the background: the menu's Save does not wait for it.)
    save = add(m, translate("Menus", "&Save Revision"), lambda: window.save_revision(wait=False), Std.Save,
               translate("Menus", "Save the document as a new revision"))
    save_as = add(m, translate("Menus", "Save Revision with &Message…"), window.save_revision_with_message,
                  keys(Std.SaveAs, "Ctrl+Shift+S"))
    m.addSeparator()
    add(m, translate("Menus", "New &Workspace…"), lambda: workspace_dialog(window, create=True))
    add(m, translate("Menus", "Open Wor&kspace…"), lambda: workspace_dialog(window, create=False))
    recent_menu = m.addMenu(translate("Menus", "&Recent Workspaces"))
    before_quit = m.addSeparator()
    add(m, translate("Menus", "&Quit"), window.close, keys(Std.Quit, "Ctrl+Q"))  # (Ctrl+Q wherever the platform has no key for it)

    undo, redo, details = _build_edit_menu(window)
    _build_format_menu(window)

    m = window.menus["View"] = bar.addMenu(translate("Menus", "&View"))
    toggle_preview = add(m, translate("Menus", "Show &Preview"), window.set_preview_visible, "Ctrl+Shift+P")
    toggle_sidebar = add(m, translate("Menus", "Show &Sidebar"), window.set_sidebar_visible, "Ctrl+Shift+B")
    for action in (toggle_preview, toggle_sidebar):
        action.setCheckable(True)
        action.setChecked(True)
    appearance.install_menu(window, m)
    install_view_entries(window, m)

    m = window.menus["Help"] = bar.addMenu(translate("Menus", "&Help"))
    help.install(window, m)
    add(m, translate("Menus", "&About %s") % APP_NAME, lambda: show_about(window))
    window.menus["Format"].setEnabled(True)
    return StandardActions(new, save, save_as, details, undo, redo, toggle_preview, toggle_sidebar, recent_menu,
                           before_quit)


def open_document_dialog(window) -> None:
    """File > Open Document: one of the workspace's readable documents, by title."""
    from PySide6.QtWidgets import QInputDialog, QMessageBox  # with the dialogs: not before the first paint

    docs = [d for d in window.ws.documents() if not d.error]
    if not docs:
        QMessageBox.information(window, translate("MainWindow", "No documents"),
                                translate("MainWindow", "This workspace has no documents yet. Use File > New Guideline."))
        return
    labels = [f"{d.title}  ({d.slug})" for d in docs]
    choice, ok = QInputDialog.getItem(window, translate("MainWindow", "Open document"), translate("MainWindow", "Document:"),
                                      labels, 0, False)
    if ok:
        window.open_document(docs[labels.index(choice)].slug)


def workspace_dialog(window, create: bool) -> None:
    """File > New Workspace (*create*) or Open Workspace: a folder, then the window switches to it."""
    from guidelines_app.ui.workspace_chooser import ask_folder  # with the dialogs: not before the first paint

    folder = ask_folder(window, create=create)
    if folder:
        window.switch_workspace(folder, create=create)


def show_about(window) -> None:
    from PySide6.QtWidgets import QMessageBox

    from guidelines_app.ui.fill import fill

    QMessageBox.about(
        window, fill(translate("MainWindow", "About %1"), APP_NAME),
        fill(translate("MainWindow", "<b>%1</b> %2<p>Draft, revise, review and publish social media guidelines. "
                                     "Every saved revision is kept in the workspace folder:<br>%3</p>"),
             APP_NAME, __version__, window.ws.root),
    )


def insert_file_entries(menu: QMenu, before: QAction, entries) -> None:
    """A group of entries (actions or submenus) after a separator, before *before*."""
    menu.insertSeparator(before)
    for entry in entries:
        if isinstance(entry, QMenu):
            menu.insertMenu(before, entry)
        else:
            menu.insertAction(before, entry)


def _build_edit_menu(window) -> tuple[QAction, QAction, QAction]:
    # The commands go to the view in use: the rich surface or the source.
    add, editor, find_bar = window.add_action, window.editing, window.find_bar
    m = window.menus["Edit"] = window.menuBar().addMenu(translate("Menus", "&Edit"))
    undo = add(m, translate("Menus", "&Undo"), editor.undo, Std.Undo)
    # Ctrl+Y is kept beside the platform's own Redo (Ctrl+Shift+Z on Linux and macOS).
    redo = add(m, translate("Menus", "&Redo"), editor.redo, keys(Std.Redo, "Ctrl+Y", "Ctrl+Shift+Z"))
    undo.setEnabled(False)
    redo.setEnabled(False)
    editor.undoAvailable.connect(undo.setEnabled)
    editor.redoAvailable.connect(redo.setEnabled)
    m.addSeparator()
    add(m, translate("Menus", "Cu&t"), editor.cut, Std.Cut)
    add(m, translate("Menus", "&Copy"), editor.copy, Std.Copy)
    add(m, translate("Menus", "&Paste"), editor.paste, Std.Paste)
    add(m, translate("Menus", "Select &All"), editor.selectAll, Std.SelectAll)
    m.addSeparator()
    add(m, translate("Menus", "&Find…"), lambda: find_bar.open_bar(), Std.Find)
    add(m, translate("Menus", "Rep&lace…"), lambda: find_bar.open_bar(replace=True), keys(Std.Replace, "Ctrl+H"))
    add(m, translate("Menus", "Find &Next"), find_bar.find_next, Std.FindNext)
    add(m, translate("Menus", "Find Pre&vious"), find_bar.find_previous, Std.FindPrevious)
    m.addSeparator()
    details = add(m, translate("Menus", "Document &Details…"), window.edit_details, "Alt+Return")
    add(m, translate("Menus", "Pr&eferences…"), window.edit_preferences, Std.Preferences)
    return undo, redo, details


def format_commands(ed) -> list[tuple[str, Callable[[], None], object] | None]:
    """The Format menu's text commands on *ed* (the window's views, or a
    surface of a dialog's own: ``RichSurface`` has the same commands), as
    (label, run, shortcut); None where the menu has a separator."""
    heading = [(translate("Menus", "Heading &%d") % level, lambda _=False, n=level: ed.format_heading(n), f"Ctrl+{level}")
               for level in (1, 2, 3)]
    return [(translate("Menus", "&Bold"), lambda: ed.format_inline("**"), Std.Bold),
            (translate("Menus", "&Italic"), lambda: ed.format_inline("*"), Std.Italic),
            (translate("Menus", "&Link…"), ed.insert_link, "Ctrl+K"), None, *heading,
            (translate("Menus", "&Normal Text"), lambda: ed.format_heading(0), "Ctrl+Alt+0"),  # Ctrl+0: View > Actual Size
            None,
            (translate("Menus", "Bulleted Li&st"), lambda: ed.format_list(False), "Ctrl+Shift+8"),
            (translate("Menus", "Nu&mbered List"), lambda: ed.format_list(True), "Ctrl+Shift+7")]


def add_format_shortcuts(surface) -> None:
    """The Format menu's shortcuts (Ctrl+B, Ctrl+I, ...) on *surface*, a
    formatted text surface in a dialog of its own (the window's menu keys
    reach only the window's editor), while it has the keyboard."""
    for entry in format_commands(surface):
        if entry is not None:
            label, run, shortcut = entry
            action = QAction(label.replace("&", ""), surface)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(run)
            surface.addAction(action)


def _build_format_menu(window) -> None:
    add = window.add_action
    m = window.menus["Format"] = window.menuBar().addMenu(translate("Menus", "F&ormat"))
    for entry in format_commands(window.editing):
        if entry is None:
            m.addSeparator()
        else:
            add(m, *entry)
    m.addSeparator()
    install_format_entries(window, m)
