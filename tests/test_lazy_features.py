"""Features loaded on first need (issue 16): the window shows every feature's
menu entries and shortcuts from the start, exactly as the loaded features
install them, imports the features only after the first paint, and a
stand-in entry used before that runs the real one."""

from __future__ import annotations

import os
import pprint
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from guidelines_app.ui.feature_loader import FEATURES, menu_bar_entries

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def make_window(qtbot, workspace, settings):
    def make():
        from guidelines_app.ui.main_window import MainWindow

        w = MainWindow(workspace, settings)
        qtbot.addWidget(w)
        return w

    return make


def _feature_menus(w) -> dict:
    """The entries of the features' places, in feature_menus' terms (for the message)."""
    return {title: entries for title, entries in menu_bar_entries(w)}


def test_every_menu_entry_and_shortcut_is_there_before_the_features_load(make_window):
    lazy = make_window()
    assert not lazy.feature_loader.loaded
    before = menu_bar_entries(lazy)
    eager = make_window()
    eager.feature_loader.load()  # as installing every feature at start did
    loaded = menu_bar_entries(eager)
    assert before == loaded, ("ui/feature_menus.py no longer matches what the features install; the menus "
                              "with the features loaded are:\n" + pprint.pformat(_feature_menus(eager), width=120))
    titles = [title for title, _entries in loaded]
    assert titles == ["&File", "&Edit", "F&ormat", "&View", "&Template", "Hi&story", "&Governance", "&Team", "&Help"]
    seen: set[str] = set()
    shortcuts = [s for _title, entries in loaded for s in _shortcuts(entries, seen)]
    assert len(shortcuts) == len(set(shortcuts))  # no shortcut twice (a shared action counts once)
    assert {"Ctrl+Shift+H", "Ctrl+E", "Ctrl+Shift+R", "Ctrl+Alt+B"} <= set(shortcuts)
    lazy.feature_loader.load()
    assert menu_bar_entries(lazy) == loaded  # and the stand-ins leave no trace


def _shortcuts(entries, seen=None) -> list[str]:
    seen = set() if seen is None else seen
    found = []
    for entry in entries:
        if entry == "-":
            continue
        text, rest = entry
        if isinstance(rest, list):
            found += _shortcuts(rest, seen)
        elif text not in seen:
            seen.add(text)
            found += list(rest)
    return found


def test_a_stand_in_entry_loads_the_features_and_runs_the_real_one(make_window, qtbot):
    w = make_window()
    w.show()
    history_menu = w.menus["History"]
    panel = next(a for a in history_menu.actions() if a.text() == "Show &History Panel")
    panel.trigger()
    assert w.feature_loader.loaded
    dock = w.features["history"].dock
    qtbot.waitUntil(dock.isVisible, timeout=5000)
    assert w.menus["History"] is not history_menu  # the feature's own menu replaced the stand-in


def test_features_load_after_the_first_paint(make_window, qtbot):
    w = make_window()
    assert not w.feature_loader.loaded
    w.show()
    qtbot.waitUntil(lambda: w.feature_loader.loaded, timeout=5000)
    assert [name for name, _install in FEATURES] == list(w.features)


def test_no_feature_module_is_imported_before_the_first_paint(tmp_path):
    code = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from guidelines_app.core.workspace import Workspace
from guidelines_app.core.settings import Settings
from guidelines_app.ui.main_window import MainWindow
w = MainWindow(Workspace.create(Path(sys.argv[1])), Settings())
features = ("guidelines_app.ui.review.feature", "guidelines_app.ui.drafting.feature", "guidelines_app.ui.publishing.feature",
            "guidelines_app.publishing.docx", "guidelines_app.drafting.library", "guidelines_app.review.diff")
print("BEFORE", sorted(m for m in features if m in sys.modules))
w.show()
import time
deadline = time.monotonic() + 60  # imported on a worker thread, then installed
while not w.feature_loader.loaded and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
print("AFTER", sorted(m for m in features if m in sys.modules))
w.close()
"""
    env = dict(os.environ, PYTHONPATH=str(REPO), GUIDELINES_CONFIG_DIR=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "ws")], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    lines = {ln.split(" ", 1)[0]: ln.split(" ", 1)[1] for ln in done.stdout.splitlines() if " " in ln}
    assert lines.get("BEFORE") == "[]", done.stdout + done.stderr
    assert "guidelines_app.ui.review.feature" in lines.get("AFTER", ""), done.stdout + done.stderr
    QApplication.processEvents()


def test_background_work_after_the_start_waits_for_the_features(make_window, qtbot):
    """after_start: once the features are installed after the first paint
    (the spelling dictionary loads then, not while they import); a window
    never shown runs it anyway."""
    shown, hidden = make_window(), make_window()
    seen: dict[str, tuple[bool, bool]] = {}
    for name, w in (("shown", shown), ("hidden", hidden)):
        w.feature_loader.after_start(lambda name=name, w=w: seen.setdefault(
            name, (w.feature_loader.painted, w.feature_loader.loaded)))
    shown.show()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=20000)
    painted, loaded = seen["shown"]
    assert loaded or not painted  # never while the features load after the paint
    assert seen["hidden"] == (False, False)


def test_the_features_install_one_per_event_loop_turn_and_load_finishes_them(make_window):
    """After the first paint each feature installs on its own event-loop
    turn (the window keeps turning); code asking for a feature meanwhile
    gets them all installed, with the same menus as installing at once."""
    eager = make_window()
    eager.feature_loader.load()
    whole = menu_bar_entries(eager)
    w = make_window()
    loader = w.feature_loader
    loader._install_next()
    assert len(loader._installed_names) == 1 and not loader.loaded
    assert menu_bar_entries(w) == whole  # the others' stand-ins stay, in their places: no menu blinks out
    loader._install_next()
    assert len(loader._installed_names) == 2 and not loader.loaded
    assert loader._installed_names == {"templates", "history"} and menu_bar_entries(w) == whole
    assert w.menus["History"].objectName() == "history-menu"  # the real menu, where its stand-in was
    assert w.features["team"] is not None  # asking installs the rest at once
    assert loader.loaded and list(w.features) == [name for name, _install in FEATURES]
    assert menu_bar_entries(w) == menu_bar_entries(eager)


def test_the_shortcut_list_is_whole_while_the_features_install(make_window):
    """Between the first feature's install and the last, the list of
    shortcuts is read with every feature in (the real entries, not stand-ins)."""
    from guidelines_app.ui import help

    w = make_window()
    w.feature_loader._install_next()
    rows = {(menu, entry) for menu, entry, _keys in help.shortcut_rows(w)}
    assert ("History", "Show History Panel") in rows and w.feature_loader.loaded


def test_a_shown_window_slow_to_paint_keeps_what_waits_for_its_paint(make_window, qtbot):
    w = make_window()
    ran = []
    w.feature_loader.after_first_paint(lambda: ran.append(w.feature_loader.painted))
    w.show()
    w.feature_loader._run_after_paint()  # the fallback for a window never shown, come before the paint
    assert ran == []
    qtbot.waitUntil(lambda: ran == [True], timeout=5000)


def test_the_side_panels_tab_bars_are_named_once_the_features_are_in(make_window, qtbot):
    """The dock area's tab bars are named (for screen readers) without the
    window looking at each child added to it."""
    from PySide6.QtWidgets import QTabBar, QTabWidget

    w = make_window()
    w.show()
    qtbot.waitUntil(lambda: w.feature_loader.loaded, timeout=5000)
    w.features["history"].dock.show()

    def bars():
        return [b for b in w.findChildren(QTabBar) if not isinstance(b.parent(), QTabWidget)]

    qtbot.waitUntil(lambda: bool(bars()) and all(b.accessibleName() == "Side panels" for b in bars()), timeout=5000)
    later = QTabBar(w)  # as Qt adds one when panels are docked together later
    qtbot.waitUntil(lambda: later.accessibleName() == "Side panels", timeout=5000)


def test_each_shortcut_is_listed_once_after_the_features_replaced_their_stand_ins(make_window, qtbot):
    """The stand-ins left the menus but stayed the window's children: Help >
    Keyboard Shortcuts listed eleven entries again under "Window"
    ("Publish Version… Ctrl+Shift+U")."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from guidelines_app.ui import help

    w = make_window()
    w.feature_loader.load()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    rows = help.shortcut_rows(w)
    in_menus = {entry for menu, entry, _keys in rows if menu != "Window"}
    again = [(menu, entry, keys) for menu, entry, keys in rows if menu == "Window" and entry.rstrip("…") in in_menus]
    assert again == []
    assert ("History", "Publish Version", "Ctrl+Shift+U") in rows
    entries = [(entry, keys) for _menu, entry, keys in rows]
    # Only the History panel's entry is in two menus on purpose (View, where people look for panels, and History).
    assert {e for e in entries if entries.count(e) > 1} <= {("Show History Panel", "Ctrl+Shift+H")}


def test_every_menu_entry_has_its_own_access_key(make_window):
    """Alt and a letter reach each entry: "Replace…", "Clone Workspace…" and
    others had none, and "&Italic" / "Insert &Image…" or "&Normal Text" /
    "Horizontal Li&ne" shared one (Alt+I went to the first)."""
    w = make_window()
    w.feature_loader.load()
    missing, shared = [], []

    def walk(menu, path):
        keys: dict[str, list[str]] = {}
        for action in menu.actions():
            text = action.text()
            if action.isSeparator() or not text or path.endswith("Recent Workspaces"):  # (folders, listed as they are)
                continue
            at = text.replace("&&", "").find("&")
            if at < 0 or at + 1 >= len(text):
                missing.append(f"{path} > {text}")
            else:
                keys.setdefault(text.replace("&&", "")[at + 1].lower(), []).append(text)
            if action.menu() is not None:
                walk(action.menu(), f"{path} > {text}")
        shared.extend(f"{path}: {entries}" for entries in keys.values() if len(entries) > 1)

    for top in w.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), top.text())
    assert missing == [] and shared == [], (missing, shared)
