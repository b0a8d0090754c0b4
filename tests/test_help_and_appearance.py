"""Help > User Guide and Keyboard Shortcuts, View > Appearance, and text
contrast in the dark colour set, measured on what the widgets really use."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication

from guidelines_app.core import colours
from guidelines_app.core.document import Document
from guidelines_app.core.settings import Settings
from guidelines_app.ui import appearance, help
from guidelines_app.ui.main_window import MainWindow

BODY = ("# Social media guidelines\n\n## Who takes part\n\nEveryone who posts for us.\n\n"
        "### Approvals\n\nThe comms lead approves.\n")
GUIDE_TOPICS = ("Getting started", "Drafting from a template", "Saving and history", "Comparing and redlines",
                "Checking, sign-offs and acknowledgements",
                "Publishing", "Exporting", "Working with a team", "Keyboard shortcuts", "Where files live")


@pytest.fixture
def window(qtbot, workspace, settings, author):
    workspace.create_document(Document.new("Social media guidelines", "Acme", body=BODY), author)
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: "Everyone who posts" in w.preview.toPlainText(), timeout=5000)
    yield w
    appearance.choose(w, "system")  # the next test starts from the system's scheme


def menu_action(window, menu: str, text: str) -> QAction:
    for action in window.menus[menu].actions():
        if action.text().replace("&", "") == text:
            return action
        if action.menu() is not None:
            for sub in action.menu().actions():
                if sub.text().replace("&", "") == text:
                    return sub
    raise AssertionError(f"no {menu} > {text}")


def test_user_guide_has_every_topic_and_renders_with_the_preview(window, qtbot):
    menu_action(window, "Help", "User Guide").trigger()
    guide = window.guide_window
    qtbot.waitUntil(guide.isVisible)
    titles = [guide.contents.item(i).text() for i in range(guide.contents.count())]
    assert titles == list(GUIDE_TOPICS)
    assert "Guideline Studio is where you write" in guide.page.toPlainText()
    guide.show_titled("Where files live")
    assert "settings.json" in guide.page.toPlainText() and "#" not in guide.page.toPlainText().splitlines()[0]
    guide.show_titled("Keyboard shortcuts")
    text = guide.page.toPlainText()
    assert help.SHORTCUTS_MARK not in guide.chapter_text(guide.contents.currentRow())
    assert "Save Revision" in text and QKeySequence(QKeySequence.StandardKey.Save).toString(
        QKeySequence.SequenceFormat.NativeText) in text


def test_shortcut_list_is_generated_from_the_actions(window):
    rows = help.shortcut_rows(window)
    as_dict = {(menu, entry): keys for menu, entry, keys in rows}
    assert as_dict[("File", "Save Revision")] == QKeySequence(QKeySequence.StandardKey.Save).toString(
        QKeySequence.SequenceFormat.NativeText)
    assert ("History", "Show History Panel") in as_dict  # a feature's menu
    # A new action with a shortcut appears without anyone editing a list.
    window.add_action(window.menus["Edit"], "&Shout", lambda: None, "Ctrl+Alt+Shift+Y")
    assert ("Edit", "Shout", "Ctrl+Alt+Shift+Y") in help.shortcut_rows(window)
    dialog = help.ShortcutsDialog(window)
    cells = {dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert {"Shout", "Save Revision", "Undo"} <= cells
    dialog.deleteLater()


def test_standard_keys_where_qt_has_them(window):
    def has(menu, text, key):
        wanted = QKeySequence.keyBindings(key)
        return bool(wanted) and all(k in menu_action(window, menu, text).shortcuts() for k in wanted[:1])

    assert has("Edit", "Redo", QKeySequence.StandardKey.Redo)
    assert has("Edit", "Find…", QKeySequence.StandardKey.Find)
    assert has("File", "Save Revision with Message…", QKeySequence.StandardKey.SaveAs)
    assert has("Help", "User Guide", QKeySequence.StandardKey.HelpContents)
    assert QKeySequence("Ctrl+Y") in menu_action(window, "Edit", "Redo").shortcuts()  # kept for Windows habits


def test_view_appearance_switches_palette_preview_and_remembers(window, qtbot, config_dir):
    menu_action(window, "View", "Dark").trigger()
    assert appearance.current() is colours.DARK
    assert Settings.load().appearance == "dark"
    base = QApplication.palette().color(QPalette.ColorRole.Base).name()
    assert base == colours.DARK.background
    qtbot.waitUntil(lambda: _heading_colour(window) == colours.DARK.heading, timeout=5000)
    menu_action(window, "View", "Light").trigger()
    assert appearance.current() is colours.LIGHT and Settings.load().appearance == "light"
    qtbot.waitUntil(lambda: _heading_colour(window) == colours.LIGHT.heading, timeout=5000)
    menu_action(window, "View", "System").trigger()
    assert Settings.load().appearance == "system"


def _heading_colour(window) -> str:
    block = window.preview.document().begin()
    while block.isValid():
        if block.blockFormat().headingLevel() == 2:
            return block.begin().fragment().charFormat().foreground().color().name()
        block = block.next()
    return ""


def _colours_in(document, text_colour: str) -> list[tuple[str, str, str]]:
    """(kind, foreground, background) of every text fragment: heading, body,
    inserted or deleted (by its decoration); without a colour of its own a
    fragment is painted in the palette's *text_colour*."""
    found = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid() and fragment.text().strip():
                fmt = fragment.charFormat()
                kind = ("heading" if block.blockFormat().headingLevel() else "inserted" if fmt.fontUnderline()
                        else "deleted" if fmt.fontStrikeOut() else "body")
                background = fmt.background().color().name() if fmt.background().style().value else ""
                own = fmt.foreground().style() != Qt.BrushStyle.NoBrush
                found.append((kind, fmt.foreground().color().name() if own else text_colour, background))
            it += 1
        block = block.next()
    return found


def test_dark_mode_contrast_of_headings_body_and_changes(window, qtbot):
    menu_action(window, "View", "Dark").trigger()
    qtbot.waitUntil(lambda: _heading_colour(window) == colours.DARK.heading, timeout=5000)
    page = window.preview.palette().color(QPalette.ColorRole.Base).name()
    preview = _colours_in(window.preview.document(), window.preview.palette().color(QPalette.ColorRole.Text).name())
    assert {"heading", "body"} <= {kind for kind, _fg, _bg in preview}
    for kind, fg, bg in preview:
        assert colours.contrast(fg, bg or page) >= 4.5, (kind, fg, bg or page)
    # The compare view's change highlights, in the colours it is given.
    window.editor.setPlainText(BODY.replace("Everyone who posts for us.", "Everyone who posts or replies for us."))
    from guidelines_app.ui.review.compare_view import UNSAVED
    from guidelines_app.ui.review.feature import HistoryFeature

    history = window.features.get("history", HistoryFeature)
    compare = history.open_compare("HEAD", UNSAVED)
    qtbot.waitUntil(lambda: compare.diff is not None and "replies" in compare.inline_view.toPlainText(), timeout=10000)
    view = compare.inline_view
    changes = _colours_in(view.document(), view.palette().color(QPalette.ColorRole.Text).name())
    assert {"inserted", "heading", "body"} <= {kind for kind, _fg, _bg in changes}
    view_base = view.palette().color(QPalette.ColorRole.Base).name()
    for kind, fg, bg in changes:
        assert colours.contrast(fg, bg or view_base) >= 4.5, (kind, fg, bg or view_base)
    compare.close()
    # the editor's own highlighting
    heading_format = window.editor.highlighter.heading[1]
    assert colours.contrast(heading_format.foreground().color().name(), window.editor.palette().color(
        QPalette.ColorRole.Base).name()) >= 4.5


def _surface_colours(surface) -> list[tuple[str, str, str]]:
    """(text, foreground, background) of every fragment the rich surface
    paints: its own colour or the palette's text, on the fragment's, the
    block's or the table cell's shade, or the page."""
    from PySide6.QtGui import QTextCursor

    page = surface.palette().color(QPalette.ColorRole.Base).name()
    text = surface.palette().color(QPalette.ColorRole.Text).name()
    found = []
    block = surface.document().begin()
    while block.isValid():
        shade = block.blockFormat().background()
        table = QTextCursor(block).currentTable()
        cell_shade = table.cellAt(block.position()).format().background() if table is not None else None
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid() and fragment.text().strip() and not fragment.charFormat().isImageFormat():
                fmt = fragment.charFormat()
                bg = next((b.color().name() for b in (fmt.background(), shade, cell_shade)
                           if b is not None and b.style() != Qt.BrushStyle.NoBrush), page)
                fg = fmt.foreground().color().name() if fmt.foreground().style() != Qt.BrushStyle.NoBrush else text
                found.append((fragment.text(), fg, bg))
            it += 1
        block = block.next()
    return found


def test_dark_mode_is_readable_on_the_editing_surface(window, qtbot):
    """Headings, quotes, links, code, source chips and table headers on the
    rich surface, switched to Dark while the document is open."""
    window.editor.setPlainText(BODY + "\n> A quote.\n\nSee [the plan](https://example.org) and `code`.\n\n"
                               "| Kind | Who |\n| --- | --- |\n| Post | Hub |\n\n<div>raw html</div>\n")
    surface = window.editing.surface
    qtbot.waitUntil(lambda: "raw html" in surface.toPlainText(), timeout=5000)
    for name in ("Light", "Dark"):
        menu_action(window, "View", name).trigger()
        assert appearance.current().name == name.lower()
        page = QApplication.palette().color(QPalette.ColorRole.Base).name()  # the set's palette reaches the widgets soon after
        qtbot.waitUntil(lambda page=page: surface.palette().color(QPalette.ColorRole.Base).name() == page, timeout=5000)
        painted = _surface_colours(surface)
        assert {"Who takes part", "A quote.", "the plan", "code", "Kind", "<div>raw html</div>"} <= {t for t, _f, _b in painted}
        for text, fg, bg in painted:
            assert colours.contrast(fg, bg) >= 4.5, (name, text, fg, bg)
    assert surface.source() == window.editor.text()


def test_every_colour_pair_of_both_sets_reads(window):
    for c in (colours.LIGHT, colours.DARK):
        for name in ("text", "heading", "subheading", "link", "quote", "note", "error", "warning", "secondary"):
            assert colours.contrast(getattr(c, name), c.background) >= 4.5, (c.name, name)
        for fg, bg in (("inserted", "inserted_background"), ("deleted", "deleted_background"),
                       ("added", "added_background"), ("removed", "removed_background"),
                       ("banner", "banner_background"), ("heading", "table_head_background")):
            assert colours.contrast(getattr(c, fg), getattr(c, bg)) >= 4.5, (c.name, fg)
    assert round(colours.contrast("#000000", "#ffffff"), 1) == 21.0


def test_system_mode_follows_a_dark_desktop(window, monkeypatch):
    """Where the platform names no colour scheme, a dark system palette counts as dark."""
    from PySide6.QtGui import QGuiApplication

    s = appearance.state()
    monkeypatch.setattr(s, "system_palette", appearance.dark_palette())
    if QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Unknown:
        assert appearance.colours_for("system") is colours.DARK
        assert appearance.apply("system") is colours.DARK
        assert QApplication.palette().color(QPalette.ColorRole.Base).name() == colours.DARK.background
    monkeypatch.undo()
    assert appearance.apply("system") is appearance.colours_for("system")


def test_an_insertion_does_not_look_like_a_link():
    """Blue and underlined, an inserted phrase looked like the link beside
    it: insertions are green (and deletions red), in both sets."""
    import colorsys

    def hue(colour: str) -> float:
        r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        return colorsys.rgb_to_hls(r, g, b)[0] * 360

    for c in (colours.LIGHT, colours.DARK):
        assert 90 <= hue(c.inserted) <= 160 and 90 <= hue(c.inserted_background) <= 160  # green
        assert abs(hue(c.inserted) - hue(c.link)) > 60
        assert hue(c.deleted) < 20 or hue(c.deleted) > 340  # red
        assert colours.contrast(c.inserted, c.inserted_background) >= 4.5
