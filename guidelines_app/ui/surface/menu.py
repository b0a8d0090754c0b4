"""The surface's menu entries: View > Markdown Source and the zoom, Format
> Table.  Installed by ``ui.menus`` with the window's own menus."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QActionGroup, QKeySequence

from guidelines_app.core.spelling import LANGUAGES
from guidelines_app.ui.surface import tables
from guidelines_app.ui.surface.images import insert_image
from guidelines_app.ui.surface.spelling import Spelling

translate = QCoreApplication.translate


def install_view_entries(window, menu) -> None:
    add, views = window.add_action, window.editing
    menu.addSeparator()
    source = add(menu, translate("Menus", "&Markdown Source"), views.show_source, "Ctrl+Shift+M",
                 translate("Menus", "Show and edit the document as Markdown source (and back)"))
    source.setCheckable(True)
    views.view_changed.connect(source.setChecked)
    window.act_markdown_source = source
    menu.addSeparator()

    def zoom(steps: int) -> None:
        window.settings.zoom = views.set_zoom(steps, window.preview)
        window.save_settings()

    add(menu, translate("Menus", "Zoom &In"), lambda: zoom(views.zoom + 1), [QKeySequence.StandardKey.ZoomIn, "Ctrl+="])
    add(menu, translate("Menus", "Zoom &Out"), lambda: zoom(views.zoom - 1), QKeySequence.StandardKey.ZoomOut)
    add(menu, translate("Menus", "Act&ual Size"), lambda: zoom(0), "Ctrl+0")
    views.set_zoom(window.settings.zoom, window.preview)
    _install_spelling(window, menu)


def _install_spelling(window, menu) -> None:
    window.spelling = Spelling(window)
    sub = menu.addMenu(translate("Menus", "Spe&lling"))
    group = QActionGroup(sub)
    # Each language with an access key (translated when the menu is made, not at import); another language its name.
    entries = {"en_US": translate("Menus", "English (&US)"), "en_GB": translate("Menus", "English (U&K)")}
    for code, label in [*LANGUAGES.items(), ("", translate("Menus", "&Off"))]:
        action = sub.addAction(entries.get(code, label))
        action.setCheckable(True)
        action.setChecked(window.settings.spelling_language == code)
        action.triggered.connect(lambda _=False, c=code: window.spelling.set_language(c))
        group.addAction(action)


def install_format_entries(window, menu) -> None:
    add = window.add_action
    sub = menu.addMenu(translate("Menus", "&Table"))
    surface = window.editing.surface

    def on_surface(action):
        def run():
            if window.editing.editable() is surface:  # (not a long document's notice while it opens)
                action(surface)
        return run

    add(sub, translate("Menus", "&Insert Table"), on_surface(tables.insert_table), "Ctrl+Alt+T")
    sub.addSeparator()
    add(sub, translate("Menus", "Add &Row Below"), on_surface(tables.add_row), "Ctrl+Alt+Return")
    add(sub, translate("Menus", "Remove Ro&w"), on_surface(tables.remove_row))
    add(sub, translate("Menus", "Add &Column Right"), on_surface(tables.add_column))
    add(sub, translate("Menus", "Remove C&olumn"), on_surface(tables.remove_column))
    add(menu, translate("Menus", "Insert Ima&ge…"), lambda: insert_image(window), tip=translate("Menus", "A picture from the workspace folder"))
    add(menu, translate("Menus", "&Quote"), on_surface(lambda s: s.format_quote()), "Ctrl+Shift+Q")
    add(menu, translate("Menus", "Hori&zontal Line"), on_surface(lambda s: s.insert_rule()))
