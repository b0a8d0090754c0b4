"""Team > Shared Copies (the shared copies this workspace syncs with) and
File > Clone Workspace (a colleague's shared workspace, copied from its
address into a new folder, in the background)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from guidelines_app.core import remotes
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.workspace import default_workspace_dir
from guidelines_app.ui.fill import fill
from guidelines_app.ui.jobs import Jobs

translate = QCoreApplication.translate

CONNECT_HELP = QT_TRANSLATE_NOOP("Team", "Paste the address of the shared copy your IT team gave you: it starts with https:// or "
                                "git@, or is a folder on a shared drive. Signing in uses the sign-in your computer keeps; the app never "
                                "asks for or keeps a password.")
# For the IT team (the help text's tooltip): what the address and the sign-in are, in git's words.
CONNECT_DETAIL = QT_TRANSLATE_NOOP("Team", "For your IT team: any git remote URL works. https://… signs in through a git credential helper "
                                   "(such as Git Credential Manager); git@host:path or ssh://… through the SSH agent; a folder holds a "
                                   "bare repository (git init --bare).")


class RemoteSettingsDialog(QDialog):
    """Add, change and remove the workspace's shared copies (no network)."""

    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("remote-settings")
        self.setWindowTitle(translate("Team", "Shared Copies"))
        self.ws = window.ws
        help_text = QLabel(translate("Team", CONNECT_HELP))
        help_text.setToolTip(translate("Team", CONNECT_DETAIL))
        help_text.setWordWrap(True)
        self.list = QListWidget(objectName="remote-list")
        self.list.currentRowChanged.connect(self._pick)
        # The first shared copy gets the name git tools look for; later ones a name the user gives.
        self.name = QLineEdit(objectName="remote-name")
        self.name.setPlaceholderText(translate("Team", "A short name, such as team-copy"))
        self.name.textChanged.connect(self._update_buttons)
        self.url = QLineEdit(objectName="remote-url")
        self.url.setPlaceholderText("https://git.example.org/team/guidelines.git")
        self.url.textChanged.connect(self._update_buttons)
        form = self.form = QFormLayout()
        form.addRow(translate("Team", "Name:"), self.name)
        form.addRow(translate("Team", "Address:"), self.url)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for label, slot, name in ((translate("Team", "&Add"), self.add, "remote-add"),
                                  (translate("Team", "&Change Address"), self.change, "remote-change"),
                                  (translate("Team", "&Remove"), self.remove, "remote-remove")):
            button = self.buttons[name] = QPushButton(label, objectName=name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.message = QLabel(objectName="remote-message")
        self.message.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(help_text)
        layout.addWidget(self.list)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.resize(620, 420)
        self.refresh()

    def refresh(self) -> None:
        self.remotes = remotes.remotes(self.ws.store)
        self.list.clear()
        for r in self.remotes:
            # (the one a workspace has is git's "origin": shown as what it is)
            shown = translate("Team", "Shared copy") if r.name == remotes.DEFAULT_REMOTE else r.name
            self.list.addItem(f"{shown}  —  {r.url}")
        if not self.remotes and not self.name.text().strip():
            self.name.setText(remotes.DEFAULT_REMOTE)
        # The first shared copy needs only its address: its name (git's
        # "origin") is asked for only beside another one.
        self.form.setRowVisible(self.name, bool(self.remotes))
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        """Add for a new name with an address; Change Address for a shared
        copy's name with another address; Remove for a shared copy's name."""
        urls = {r.name: r.url for r in self.remotes}
        name, url = self.name.text().strip(), self.url.text().strip()
        self.buttons["remote-add"].setEnabled(name not in urls and bool(url))
        self.buttons["remote-change"].setEnabled(name in urls and bool(url) and url != urls[name])
        self.buttons["remote-remove"].setEnabled(name in urls)

    def _pick(self, row: int) -> None:
        if 0 <= row < len(self.remotes):
            self.name.setText(self.remotes[row].name)
            self.url.setText(self.remotes[row].url)

    def _do(self, action: Callable[[], str]) -> None:
        try:
            self.message.setText(action())
        except GuidelinesError as exc:
            self.message.setText(str(exc))
        self.refresh()

    def add(self) -> None:
        self._do(lambda: fill(translate("Team", "Added %1; Team > Sync sends and brings in revisions"),
                              remotes.add_remote(self.ws.store, self.name.text(), self.url.text()).name))

    def change(self) -> None:
        self._do(lambda: fill(translate("Team", "%1 now points to %2"),
                              remotes.set_url(self.ws.store, self.name.text(), self.url.text()).name, self.url.text().strip()))

    def remove(self) -> None:
        name = self.name.text().strip()
        answer = QMessageBox.question(
            self, translate("Team", "Remove Shared Copy"),
            fill(translate("Team", "Stop syncing with “%1”?"), name) + "\n\n" + translate(
                "Team", "The shared copy itself and everyone's revisions in it stay as they are; you can add it again later."))
        if answer != QMessageBox.StandardButton.Yes:
            return

        def run() -> str:
            remotes.remove_remote(self.ws.store, self.name.text())
            return fill(translate("Team", "Removed %1 (the shared copy itself is not changed)"), self.name.text().strip())

        self._do(run)


class CloneDialog(QDialog):
    """Copy a shared workspace into a new folder; *on_cloned(folder)* opens it."""

    def __init__(self, parent, on_cloned: Callable[[Path], None]):
        super().__init__(parent)
        self.setObjectName("clone-workspace")
        self.setWindowTitle(translate("Team", "Clone Workspace"))
        self.on_cloned = on_cloned
        self.jobs = Jobs(self)
        help_text = QLabel(translate("Team", "Copy a workspace colleagues share into a new folder on this computer.") + " " + translate("Team", CONNECT_HELP))
        help_text.setToolTip(translate("Team", CONNECT_DETAIL))
        help_text.setWordWrap(True)
        self.url = QLineEdit(objectName="clone-url")
        self.url.setPlaceholderText("https://git.example.org/team/guidelines.git")
        self.folder = QLineEdit(str(default_workspace_dir().with_name("Guidelines (team)")), objectName="clone-folder")
        browse = QPushButton(translate("Team", "Browse…"))
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow(translate("Team", "Address:"), self.url)
        form.addRow(translate("Team", "New folder:"), where)
        self.progress = QProgressBar(objectName="clone-progress")
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.message = QLabel(objectName="clone-message")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.clone_button = self.buttons.addButton(translate("Team", "Clone"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.clone_button.setObjectName("clone-start")
        self.clone_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(help_text)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(620, 260)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, translate("Team", "Folder to hold the new workspace"), self.folder.text())
        if folder:
            self.folder.setText(str(Path(folder) / "Guidelines (team)"))

    def start(self) -> None:
        url, folder = self.url.text().strip(), Path(self.folder.text().strip()).expanduser()
        try:
            remotes.validate_url(url)  # refused at once, before anything runs
        except GuidelinesError as exc:
            self.message.setText(str(exc))
            return
        self.clone_button.setEnabled(False)
        self.progress.show()
        self.message.setText(fill(translate("Team", "Copying the workspace from %1…"), url))
        self.jobs.run(lambda: remotes.clone(url, folder), self._done, self._failed, key="clone", waits=True)

    def _done(self, folder: Path) -> None:
        self.progress.hide()
        self.accept()
        self.on_cloned(folder)

    def _failed(self, message: str, _technical: str) -> None:
        self.progress.hide()
        self.clone_button.setEnabled(True)
        self.message.setText(message)
