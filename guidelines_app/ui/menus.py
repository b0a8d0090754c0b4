"""The main window's own menus: File, Edit, Format, View and Help (features
add theirs through ``MainWindow.add_menu`` and ``add_action``)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from guidelines_app import APP_NAME
from guidelines_app.ui.crash import open_log_folder
from guidelines_app.ui.surface.menu import install_format_entries, install_view_entries


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
    m = window.menus["File"] = bar.addMenu("&File")
    new = add(m, "&New Document…", window.new_document, QKeySequence.StandardKey.New)
    add(m, "&Open Document…", window.open_document_dialog, QKeySequence.StandardKey.Open)
    m.addSeparator()
    save = add(m, "&Save Revision", window.save_revision, QKeySequence.StandardKey.Save,
               "Save the document as a new revision")
    save_as = add(m, "Save Revision with &Message…", window.save_revision_with_message, "Ctrl+Shift+S")
    m.addSeparator()
    add(m, "New &Workspace…", window.new_workspace_dialog)
    add(m, "Open Wor&kspace…", window.open_workspace_dialog)
    recent_menu = m.addMenu("&Recent Workspaces")
    before_quit = m.addSeparator()
    add(m, "&Quit", window.close, QKeySequence.StandardKey.Quit)

    undo, redo, details = _build_edit_menu(window)
    _build_format_menu(window)

    m = window.menus["View"] = bar.addMenu("&View")
    toggle_preview = add(m, "Show &Preview", window.set_preview_visible, "Ctrl+Shift+P")
    toggle_sidebar = add(m, "Show &Sidebar", window.set_sidebar_visible, "Ctrl+Shift+B")
    for action in (toggle_preview, toggle_sidebar):
        action.setCheckable(True)
        action.setChecked(True)
    install_view_entries(window, m)

    m = window.menus["Help"] = bar.addMenu("&Help")
    add(m, "Open &Log Folder", open_log_folder, tip="The folder with the reports of unexpected errors")
    add(m, f"&About {APP_NAME}", window.show_about)
    window.menus["Format"].setEnabled(True)
    return StandardActions(new, save, save_as, details, undo, redo, toggle_preview, toggle_sidebar, recent_menu,
                           before_quit)


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
    m = window.menus["Edit"] = window.menuBar().addMenu("&Edit")
    undo = add(m, "&Undo", editor.undo, QKeySequence.StandardKey.Undo)
    redo = add(m, "&Redo", editor.redo, ["Ctrl+Y", "Ctrl+Shift+Z"])
    undo.setEnabled(False)
    redo.setEnabled(False)
    editor.undoAvailable.connect(undo.setEnabled)
    editor.redoAvailable.connect(redo.setEnabled)
    m.addSeparator()
    add(m, "Cu&t", editor.cut, QKeySequence.StandardKey.Cut)
    add(m, "&Copy", editor.copy, QKeySequence.StandardKey.Copy)
    add(m, "&Paste", editor.paste, QKeySequence.StandardKey.Paste)
    add(m, "Select &All", editor.selectAll, QKeySequence.StandardKey.SelectAll)
    m.addSeparator()
    add(m, "&Find and Replace…", lambda: find_bar.open_bar(), "Ctrl+F")
    add(m, "Replace…", lambda: find_bar.open_bar(replace=True), "Ctrl+H")
    add(m, "Find &Next", find_bar.find_next, QKeySequence.StandardKey.FindNext)
    add(m, "Find Pre&vious", find_bar.find_previous, QKeySequence.StandardKey.FindPrevious)
    m.addSeparator()
    details = add(m, "Document &Details…", window.edit_details, "Alt+Return")
    add(m, "Pr&eferences…", window.edit_preferences)
    return undo, redo, details


def _build_format_menu(window) -> None:
    add, ed = window.add_action, window.editing
    m = window.menus["Format"] = window.menuBar().addMenu("F&ormat")
    add(m, "&Bold", lambda: ed.format_inline("**"), QKeySequence.StandardKey.Bold)
    add(m, "&Italic", lambda: ed.format_inline("*"), QKeySequence.StandardKey.Italic)
    add(m, "&Link…", ed.insert_link, "Ctrl+K")
    m.addSeparator()
    for level in (1, 2, 3):
        add(m, f"Heading &{level}", lambda _=False, n=level: ed.format_heading(n), f"Ctrl+{level}")
    add(m, "&Normal Text", lambda: ed.format_heading(0), "Ctrl+Alt+0")  # Ctrl+0: View > Actual Size
    m.addSeparator()
    add(m, "Bulleted Li&st", lambda: ed.format_list(False), "Ctrl+Shift+8")
    add(m, "Nu&mbered List", lambda: ed.format_list(True), "Ctrl+Shift+7")
    m.addSeparator()
    install_format_entries(window, m)
