"""The window's features, loaded when first needed: nothing heavy before the
first paint.

At start the window shows every feature's menu entries and shortcuts from
their light description (``ui.feature_menus``), as stand-in actions.  The
features' modules (templates, history, export: Word writer, diff, template
engine) are imported and installed in one go, in menu order:

* after the window is painted: imported on a worker thread (``ui.jobs``;
  half a second of imports the window would otherwise freeze for), then
  installed on the UI thread, one feature per event-loop turn (all at once
  froze the window for a fifth of a second just after it appeared);
* at once when a stand-in entry is used (its real action then runs);
* at once when code asks ``window.features`` for a feature.

Work that would compete with the first paint (the first preview of a long
document) waits for it too: ``after_first_paint``; so does the rest of it, of
a long policy whose first part is painted first, until its whole text is on
the surface (``ui.surface.long_load``: a worker would slow that build down).

Installing a feature replaces its stand-ins by its own menus and actions in
the same places (the other features' stand-ins stay until theirs are in: no
menu blinks out and no shortcut is dead meanwhile); once all are in, the
features are told the current workspace and document (the signals they
would have seen had they been installed first).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from guidelines_app.ui import gc_guard
from guidelines_app.ui.feature_menus import MENUS
from guidelines_app.ui.jobs import Jobs

# A window never shown still gets what waits for its first paint, this late.
AFTER_PAINT_AT_THE_LATEST_MS = 250
# No garbage collection while the features load (at most this long): it
# would walk every object their imports make, just before they are frozen.
HOLD_COLLECTIONS_S = 10.0


def _install_templates(window):
    from guidelines_app.ui.drafting.feature import install

    return install(window)


def _install_history(window):
    from guidelines_app.ui.review.feature import install

    return install(window)


def _install_export(window):
    from guidelines_app.ui.publishing.feature import install

    return install(window)


def _install_governance(window):
    from guidelines_app.ui.governance.feature import install

    return install(window)


def _install_team(window):
    from guidelines_app.ui.team.feature import install

    return install(window)


def _import_features() -> None:
    """The modules the installs below import (on a worker thread: importing
    them creates no Qt object)."""
    # GitPython: once it is loaded, the window's git reads go through its kept processes
    # (``GitStore.repo_if_loaded``); imported on the UI thread it held the window 0.05-0.13 s.
    import git  # noqa: F401

    import guidelines_app.ui.drafting.feature  # noqa: F401
    import guidelines_app.ui.governance.feature  # noqa: F401
    import guidelines_app.ui.publishing.feature  # noqa: F401
    import guidelines_app.ui.review.feature  # noqa: F401
    import guidelines_app.ui.team.feature  # noqa: F401


# The window's features, in menu order, with the names ``window.features``
# knows them by; each one's install(window) adds its menus, panels and
# dialogs through the window's public hooks and returns the feature.
FEATURES = (("templates", _install_templates), ("history", _install_history), ("export", _install_export),
            ("governance", _install_governance), ("team", _install_team))


def menu_entries(menu: QMenu) -> list:
    """A menu's entries in ``feature_menus``' terms (the tests compare them)."""
    out: list = []
    for action in menu.actions():
        if action.isSeparator():
            out.append("-")
        elif action.menu() is not None:
            out.append((action.text(), menu_entries(action.menu())))
        else:
            out.append((action.text(), tuple(s.toString() for s in action.shortcuts())))
    return out


def menu_bar_entries(window) -> list:
    """Every menu of the window's menu bar, with its entries."""
    return [(a.text(), menu_entries(a.menu())) for a in window.menuBar().actions() if a.menu() is not None]


class FeatureLoader(QObject):
    """Stand-in menus now, the features on first need (see the module)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.loaded = False
        self._loading = False
        self._installed_names: set[str] = set()  # the features installed so far
        self._menus: list[tuple[str, str, QMenu]] = []  # stand-in menus: (feature, name, menu)
        self._entries: list[tuple[str, QMenu, QAction]] = []  # stand-in entries in the window's own menus: (feature, ...)
        self._made: dict[str, list[QAction]] = {}  # each feature's stand-in actions (children of the window)
        for name, places in MENUS.items():
            shared: dict[str, QAction] = {}
            for place in places:
                self._add_place(place, name, shared)
            self._made[name] = list(shared.values())
        self.painted = False
        self._after_paint: list = []
        self._after_load: list = []
        self.jobs = Jobs(self)
        window.features.set_loader(self.load)
        window.installEventFilter(self)

    # ---- stand-ins -------------------------------------------------------------

    def _add_place(self, place: tuple, feature: str, shared: dict[str, QAction]) -> None:
        w = self.window
        if place[0] == "menu":
            _kind, name, title, object_name, entries = place
            menu = w.add_menu(name, title, object_name)
            self._menus.append((feature, name, menu))
            self._fill(menu, entries, [title], shared)
        elif place[0] == "append":
            _kind, menu_name, entries = place
            menu = w.menus[menu_name]
            before = list(menu.actions())
            self._fill(menu, entries, [menu.title()], shared)
            self._entries += [(feature, menu, a) for a in menu.actions() if a not in before]
        elif place[0] == "file":
            menu = w.menus["File"]
            before = list(menu.actions())
            objects = [self._entry(menu, entry, [menu.title()], shared) for entry in place[1]]
            w.add_file_entries(*objects)
            self._entries += [(feature, menu, a) for a in menu.actions() if a not in before]
        elif place[0] == "rename":
            _kind, attribute, text, tip = place
            action = getattr(w, attribute)
            action.setText(text)
            action.setStatusTip(tip)
        else:
            raise ValueError(f"unknown place {place[0]!r} in the menus of {feature}")

    def _fill(self, menu: QMenu, entries: list, path: list[str], shared: dict[str, QAction]) -> None:
        for entry in entries:
            if entry == "-":
                menu.addSeparator()
                continue
            made = self._entry(menu, entry, path, shared)
            if isinstance(made, QMenu):
                menu.addMenu(made)
            else:
                menu.addAction(made)

    def _entry(self, parent: QMenu, entry: tuple, path: list[str], shared: dict[str, QAction]) -> QAction | QMenu:
        text, rest = entry
        if isinstance(rest, list):
            sub = QMenu(text, parent)
            self._fill(sub, rest, [*path, text], shared)
            return sub
        if text in shared:
            return shared[text]
        action = QAction(text, self.window)
        action.setShortcuts([QKeySequence(s) for s in rest])
        action.triggered.connect(lambda _checked=False, p=(*path, text): self._use(p))
        shared[text] = action
        return action

    def _use(self, path: tuple[str, ...]) -> None:
        """A stand-in was used: load the features and run the real entry."""
        self.load()
        real = self._find(path)
        if real is not None:
            real.trigger()

    def _find(self, path: tuple[str, ...]) -> QAction | None:
        actions = [a for a in self.window.menuBar().actions() if a.menu() is not None]
        for step, text in enumerate(path):
            found = next((a for a in actions if a.text() == text or (a.menu() is not None and a.menu().title() == text)), None)
            if found is None:
                return None
            if step == len(path) - 1:
                return found
            actions = list(found.menu().actions()) if found.menu() is not None else []
        return None

    # ---- loading ------------------------------------------------------------------

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() in (QEvent.Type.Paint, QEvent.Type.UpdateRequest):
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self._first_paint_done)  # after this paint is on screen
        return False

    def after_first_paint(self, callback) -> None:
        """Run *callback* once the window has been painted (now, if it has;
        within a moment anyway, for a window that is never shown)."""
        if self.painted:
            callback()
            return
        self._after_paint.append(callback)
        QTimer.singleShot(AFTER_PAINT_AT_THE_LATEST_MS, self._run_after_paint)

    def after_start(self, callback) -> None:
        """Run *callback* once the start is over: when the features are
        installed after the first paint (a window never shown: when
        ``after_first_paint`` would).  For background work that would
        otherwise share the interpreter with the start's."""

        def run() -> None:
            if self.loaded or not self.painted:
                callback()
            else:
                self._after_load.append(callback)

        self.after_first_paint(run)

    def _run_after_paint(self) -> None:
        if not self.painted and self.window.isVisible():
            return  # shown but slow to paint (a busy machine): its paint runs them
        callbacks, self._after_paint = self._after_paint, []
        for callback in callbacks:
            callback()

    def _first_paint_done(self) -> None:
        # (a long policy's first part, or a long document's notice, is painted first: its whole text is
        # built before any worker starts; the features' imports, GitPython's too, took the interpreter
        # from a 4 MB document's build: its longest stall 0.48 -> 0.82 s)
        self.window.editing.surface.when_whole(lambda: QTimer.singleShot(0, self, self._painted_and_whole))

    def _painted_and_whole(self) -> None:
        if self.painted:
            return
        self.painted = True
        self._run_after_paint()
        gc_guard.freeze("window")  # the start's objects, out of every later collection
        # Installed once imported; a failed import is raised by load() itself.
        gc_guard.hold(HOLD_COLLECTIONS_S)  # the imports' objects are frozen once installed
        self.jobs.run(_import_features, lambda _: self._install_next(), lambda *_: self.load())

    def _install_next(self) -> None:
        """Install the next feature not installed yet; the one after on the
        next event-loop turn (``load`` finishes them all if asked meanwhile)."""
        if self.loaded or self._loading:
            return
        name, install = next((n, i) for n, i in FEATURES if n not in self._installed_names)
        self._install(name, install)
        if len(self._installed_names) == len(FEATURES):
            self._loading = True  # every one is in: what they missed comes on the next turn
            QTimer.singleShot(0, self, self._installed)
        else:
            QTimer.singleShot(0, self, self._install_next)

    def _remove_stand_ins(self, feature: str) -> None:
        """*feature*'s stand-ins, once its own menus and entries are in."""
        w = self.window
        for _feature, name, menu in [m for m in self._menus if m[0] == feature]:
            w.menuBar().removeAction(menu.menuAction())
            if w.menus.get(name) is menu:
                w.menus.pop(name)
            menu.deleteLater()
        for _feature, menu, action in [e for e in self._entries if e[0] == feature]:
            menu.removeAction(action)
        for action in self._made.pop(feature, []):
            action.deleteLater()  # (kept, the window's children: Help > Keyboard Shortcuts listed them again)
        self._menus = [m for m in self._menus if m[0] != feature]
        self._entries = [e for e in self._entries if e[0] != feature]

    def load(self) -> None:
        """Import and install every feature (once), replacing the stand-ins."""
        if self.loaded or self._loading:
            return
        self._loading = True
        for name, install in FEATURES:
            if name not in self._installed_names:
                self._install(name, install)
        self._installed()

    def _install(self, name: str, install) -> None:
        """One feature in, in its stand-ins' places (``MainWindow.add_menu``
        puts a menu where the one of its name is), then its stand-ins
        out: the other features' menus and shortcuts stay meanwhile (no
        event runs between the two, so no key finds a shortcut twice)."""
        self.window.features.add(name, install(self.window))
        self._remove_stand_ins(name)
        self._installed_names.add(name)

    def _installed(self) -> None:
        """Every feature is in: tell them what they missed, run what waited."""
        w = self.window
        self.loaded, self._loading = True, False
        gc_guard.freeze("features")
        # What the features would have heard had they been there from the start.
        if w.ws is not None:
            w.workspace_changed.emit()
            w.document_opened.emit(w.slug or "")
        callbacks, self._after_load = self._after_load, []
        for callback in callbacks:
            callback()
