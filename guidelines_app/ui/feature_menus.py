"""What each feature adds to the menus, as plain data: the window shows these
entries (with their shortcuts) from the start, and imports a feature's module
only after the first paint or when one of its entries is used
(``ui.feature_loader``).

Kept equal to what the features' ``install(window)`` builds:
tests/test_lazy_features.py compares every menu entry and shortcut of a
window whose features are not loaded yet with those of the loaded window, and
prints the up-to-date description when they differ.

Each feature has a list of places:

* ``("menu", name, title, object_name, entries)``: its own menu (before Help);
* ``("append", menu_name, entries)``: entries at the end of a window menu;
* ``("file", entries)``: a group of File entries above Quit;
* ``("rename", attribute, text, tip)``: a window action the feature renames.

An entry is ``"-"`` (a separator), ``(text, (shortcut, ...))`` (an action) or
``(text, [entries])`` (a submenu).  Within a feature, entries with the same
text are one action shown in two places.
"""

from __future__ import annotations

MENUS: dict[str, list[tuple]] = {
    "templates": [
        ("rename", "act_new", "&New Guideline…", "Start a guideline from a template and a short questionnaire"),
        ("menu", "Template", "&Template", "", [
            ("&Re-answer Questionnaire…", ("Ctrl+Shift+R",)),
            "-",
            ("&Clause Library", ("Ctrl+Shift+L",)),
            ("&To Be Decided", ("Ctrl+Shift+T",)),
            "-",
            ("Re&load Templates", ()),
        ]),
    ],
    "history": [
        ("menu", "History", "Hi&story", "history-menu", [
            ("Show &History Panel", ("Ctrl+Shift+H",)),
            "-",
            ("Compare with Last &Saved Revision", ("Ctrl+Shift+D",)),
            ("Compare with Last &Published Version", ("Ctrl+Alt+D",)),
            ("&Compare Revisions…", ()),
            "-",
            ("P&ublish Version…", ("Ctrl+Shift+U",)),
            ("&Who Changed This Paragraph?", ("Ctrl+Alt+B",)),
        ]),
        ("append", "View", [
            "-",
            ("Show &History Panel", ("Ctrl+Shift+H",)),
        ]),
    ],
    "export": [
        ("file", [
            ("&Export", [
                ("&Word Document…", ("Ctrl+E",)),
                ("&HTML Page…", ()),
                ("&PDF…", ()),
                "-",
                ("Saved &Revision…", ()),
                ("Word House &Style…", ()),
            ]),
            ("&Import Word Document…", ()),
        ]),
    ],
    "governance": [
        ("menu", "Governance", "&Governance", "governance-menu", [
            ("&Check Document", ("F7",)),
            ("Show Chec&k Panel", ("Ctrl+Shift+K",)),
            "-",
            ("Request &Review…", ()),
            ("&Sign Off…", ()),
            "-",
            ("&Acknowledgements…", ()),
        ]),
    ],
    "team": [
        ("menu", "Team", "&Team", "team-menu", [
            ("&Sync", ()),
            ("&Resolve Conflicts…", ()),
            "-",
            ("Shared &Copies…", ()),
        ]),
        ("file", [
            ("&Clone Workspace…", ()),
        ]),
    ],
}
