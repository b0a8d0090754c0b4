"""Who new revisions are by: asked once when nothing is configured, and
changed in Edit > Preferences.  Kept in the app's settings."""

from __future__ import annotations

from guidelines_app.core.errors import IdentityMissing
from guidelines_app.core.gitstore import Identity
from guidelines_app.ui.dialogs import IdentityDialog


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
    dialog = IdentityDialog(window, current)
    dialog.setWindowTitle("Preferences")
    if dialog.exec() == IdentityDialog.DialogCode.Accepted:
        _remember(window, dialog.identity())


def _remember(window, identity: Identity) -> None:
    window.settings.author_name, window.settings.author_email = identity.name, identity.email
    window.save_settings()
