"""Who new revisions are by: asked once when nothing is configured, and
changed in Edit > Preferences.  Kept in the app's settings."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from guidelines_app.core import identity
from guidelines_app.core.errors import IdentityMissing
from guidelines_app.core.gitstore import Identity
from guidelines_app.ui.dialogs import IdentityDialog
from guidelines_app.ui.fill import fill


def author_of(window) -> Identity | None:
    """The identity for *window*'s new revisions (its ``ws``, ``settings``);
    None when the reader cancels."""
    try:
        return window.ws.identity(window.settings)
    except IdentityMissing:
        dialog = IdentityDialog(window)
        if dialog.exec() != IdentityDialog.DialogCode.Accepted:
            return None
        identity = dialog.identity()
        _remember(window, identity)
        return identity


def edit_identity(window) -> None:
    """Edit > Preferences: the name and e-mail new revisions are saved under."""
    settings = window.settings
    if settings.author_name:
        current = Identity(settings.author_name, settings.author_email)
    else:
        current = window.ws.store.config_identity()
    dialog = IdentityDialog(window, current, asked=False)
    dialog.setWindowTitle(QCoreApplication.translate("Dialogs", "Preferences"))
    overridden = [name for name in (identity.AUTHOR_NAME, identity.AUTHOR_EMAIL) if os.environ.get(name, "").strip()]
    if overridden:  # as for git: the environment wins
        note = QLabel(fill(QCoreApplication.translate("Dialogs", "%1 set in the environment: revisions are saved under that, "
                                                      "as git does, whatever is entered here."),
                           QCoreApplication.translate("Dialogs", " and ").join(overridden)),
                      objectName="identity-environment-note")
        note.setWordWrap(True)
        dialog.layout_.insertWidget(0, note)
    if dialog.exec() == IdentityDialog.DialogCode.Accepted:
        _remember(window, dialog.identity())


def _remember(window, identity: Identity) -> None:
    window.settings.author_name, window.settings.author_email = identity.name, identity.email
    window.save_settings()
