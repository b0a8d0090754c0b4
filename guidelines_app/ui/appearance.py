"""Light and dark: which colour set the app shows, and View > Appearance.

The sets themselves are plain data in ``core.colours`` (exports use them
too, always LIGHT); this module chooses one: the system's colour scheme
(``QGuiApplication.styleHints().colorScheme()``, or a dark system palette
where the platform does not say), or what the user picked under
View > Appearance (System, Light, Dark; remembered in the settings as
``appearance``).  Choosing a set also sets the application's palette, so the
widgets, the editor and the preview's background follow, and re-styles the
open window's editor and preview.

Everything in ui/ that paints a colour of its own takes it from ``current()``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMenu

from guidelines_app.core.colours import DARK, LIGHT, Colours, page_css

MODES = ("system", "light", "dark")
translate = QCoreApplication.translate


class _State(QObject):
    changed = Signal(str)  # the colour set's name

    def __init__(self) -> None:
        super().__init__()
        self.mode = "system"
        self.colours: Colours | None = None
        self.system_palette: QPalette | None = None
        self.watching = False
        self.asking = False  # while the app itself tells the platform its choice


_state: _State | None = None


def state() -> _State:
    global _state
    if _state is None:
        _state = _State()
    return _state


def system_is_dark() -> bool:
    """The desktop's colour scheme; where the platform does not tell, whether its palette is dark."""
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme != Qt.ColorScheme.Unknown:
        return scheme == Qt.ColorScheme.Dark
    palette = state().system_palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def current() -> Colours:
    """The colour set on screen now."""
    s = state()
    if s.colours is None:
        s.colours = DARK if system_is_dark() else LIGHT
    return s.colours


def colours_for(mode: str) -> Colours:
    if mode == "dark":
        return DARK
    if mode == "light":
        return LIGHT
    return DARK if system_is_dark() else LIGHT


def dark_palette(c: Colours = DARK) -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, "#2a2a2a"), (roles.WindowText, c.text), (roles.Base, c.background),
                         (roles.AlternateBase, "#262626"), (roles.Text, c.text), (roles.Button, "#333333"),
                         (roles.ButtonText, c.text), (roles.BrightText, "#ffffff"), (roles.Highlight, "#2f65a8"),
                         (roles.HighlightedText, "#ffffff"), (roles.Link, c.link), (roles.LinkVisited, c.subheading),
                         (roles.ToolTipBase, "#333333"), (roles.ToolTipText, c.text), (roles.PlaceholderText, "#a0a0a0"),
                         (roles.Light, "#444444"), (roles.Midlight, "#3a3a3a"), (roles.Mid, "#303030"),
                         (roles.Dark, "#1a1a1a"), (roles.Shadow, "#000000")):
        palette.setColor(role, QColor(colour))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#8a8a8a"))
    return palette


def apply(mode: str) -> Colours:
    """Show *mode*'s colours ('system', 'light' or 'dark'; anything else is 'system')."""
    s = state()
    app = QApplication.instance()
    if s.system_palette is None:
        s.system_palette = QPalette(app.palette())
    if not s.watching:
        QGuiApplication.styleHints().colorSchemeChanged.connect(_system_changed)
        s.watching = True
    s.mode = mode if mode in MODES else "system"
    _ask_platform(s.mode)
    colours = colours_for(s.mode)
    if s.mode == "system":
        palette = s.system_palette
    elif colours is DARK:
        palette = dark_palette()
    else:
        palette = app.style().standardPalette()
    if app.palette() != palette:
        app.setPalette(palette)
    changed = s.colours is not colours
    s.colours = colours
    if changed:
        s.changed.emit(colours.name)
    return colours


def _ask_platform(mode: str) -> None:
    """Qt 6.8+: tell the platform's own style (Windows, macOS) the scheme
    too, so its title bars and native controls match; platforms without
    such a style ignore it, and the palette above does the work."""
    hints = QGuiApplication.styleHints()
    s = state()
    s.asking = True
    try:
        if mode == "system" and hasattr(hints, "unsetColorScheme"):
            hints.unsetColorScheme()
        elif mode != "system" and hasattr(hints, "setColorScheme"):
            hints.setColorScheme(Qt.ColorScheme.Dark if mode == "dark" else Qt.ColorScheme.Light)
    finally:
        s.asking = False


def _system_changed(*_args) -> None:
    s = state()
    if s.mode == "system" and not s.asking:
        apply("system")


def restyle(window) -> None:
    """The window's editor highlighting and preview in the current colours."""
    editor = window.editor
    old = getattr(editor, "highlighter", None)
    if old is not None:  # a new one of its kind takes the current colours
        shown = old.document() is not None  # (not for a very large document, or the surface in use)
        old.detach()
        old.deleteLater()
        editor.highlighter = type(old)(editor, attach=shown)
    window.preview.set_page_css(page_css(current()), render_again=window.doc is not None and not window.heavy_features_off)


def install_menu(window, view_menu: QMenu) -> QActionGroup:
    """View > Appearance: System, Light, Dark; applies the remembered choice."""
    menu = view_menu.addMenu(translate("Appearance", "&Appearance"))
    menu.setObjectName("appearance-menu")
    group = QActionGroup(menu)
    group.setExclusive(True)
    labels = {"system": translate("Appearance", "&System"), "light": translate("Appearance", "&Light"),
              "dark": translate("Appearance", "&Dark")}
    tips = {"system": translate("Appearance", "Follow the desktop's light or dark colour scheme"),
            "light": translate("Appearance", "Dark text on a light background"),
            "dark": translate("Appearance", "Light text on a dark background")}
    chosen = window.settings.appearance if window.settings.appearance in MODES else "system"
    for mode in MODES:
        action = QAction(labels[mode], menu, checkable=True)
        action.setStatusTip(tips[mode])
        action.setData(mode)
        action.setChecked(mode == chosen)
        action.triggered.connect(lambda _=False, m=mode: choose(window, m))
        group.addAction(action)
        menu.addAction(action)
    window.appearance_actions = group
    apply(chosen)
    follow(window, lambda _colours: restyle(window))
    return group


def follow(widget, paint: Callable[[Colours], object]) -> None:
    """*paint(colours)* now, and again whenever the colours change, for as long as *widget* lives."""
    def repaint(_name: str) -> None:
        try:
            paint(current())
        except RuntimeError:  # the widget is gone
            _disconnect(repaint)
    state().changed.connect(repaint)
    widget.destroyed.connect(lambda *_: _disconnect(repaint))
    paint(current())


def _disconnect(slot) -> None:
    try:
        state().changed.disconnect(slot)
    except (RuntimeError, TypeError):
        pass


def choose(window, mode: str) -> None:
    """View > Appearance > *mode*: shown at once and remembered."""
    window.settings.appearance = mode
    window.save_settings()
    apply(mode)
