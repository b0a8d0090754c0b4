"""The conflict resolver: each section (or detail) both people changed,
shown side by side, decided as mine / theirs / both / an edited text.  The
decisions are kept by the core as they are made (a sync can be finished
later); Finish makes the merge revision, Abort returns the workspace to
exactly where it was before the sync.

The merged text of a section is shown and edited on the main editor's
formatted surface (``ui.surface.editor.RichSurface``: as the document
reads, written back as the text it was made from with only the edited
paragraphs rewritten); a detail's value, and a file that is not a guideline
document, in a plain text box."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from guidelines_app.core import sync, sync_names
from guidelines_app.core.conflicts import BOTH, EDIT, OURS, THEIRS, Conflict, outcome
from guidelines_app.core.document import Document
from guidelines_app.core.errors import (
    GuidelinesError,
    Remedy,
    StorageError,
    SyncHistoryMoved,
    SyncPending,
    SyncRecordUnreadable,
)
from guidelines_app.ui import appearance
from guidelines_app.ui.fill import fill
from guidelines_app.ui.jobs import describe_failure
from guidelines_app.ui.menus import add_format_shortcuts
from guidelines_app.ui.surface.editor import RichSurface

translate = QCoreApplication.translate
CHOICE_WORDS = {OURS: QT_TRANSLATE_NOOP("ConflictResolver", "yours"), THEIRS: QT_TRANSLATE_NOOP("ConflictResolver", "theirs"),
                BOTH: QT_TRANSLATE_NOOP("ConflictResolver", "both"), EDIT: QT_TRANSLATE_NOOP("ConflictResolver", "edited")}


def _shown(text: str | None) -> str:
    return translate("ConflictResolver", "(removed on this side)") if text is None else text


def conflict_name(c: Conflict) -> str:
    """What is in conflict, in the window's language (``conflicts.label_of``
    writes it for the core's messages and the command line)."""
    if c.kind == "field":
        return fill(translate("ConflictResolver", "Detail “%1”"), c.name)
    if c.kind == "section" and c.key == "preamble":
        return translate("ConflictResolver", "The text before the first heading")
    if c.kind == "section":
        return fill(translate("ConflictResolver", "Section “%1”"), c.name) if c.name else translate(
            "ConflictResolver", "A section whose heading has no words")
    return translate("ConflictResolver", "The whole file")


def sync_problem(exc: BaseException, aborting: bool = False) -> str:
    """*exc*, from the unfinished sync, in the window's words (the core's
    name the command line's way out of it); another failure worded as the
    window words a failed job (``jobs.describe_failure``), with what becomes
    of the decisions and the ways forward."""
    if isinstance(exc, SyncHistoryMoved):
        return translate("ConflictResolver", "Not finished: this workspace's history changed since the sync started. "
                                             "Choose Abort Sync, then sync again; nothing is lost.")
    if isinstance(exc, SyncRecordUnreadable):
        return translate("ConflictResolver", "The record of this unfinished sync cannot be read. Choose Abort Sync "
                                             "(the workspace stays as it was before that sync), then sync again.")
    if isinstance(exc, StorageError) and exc.cause:
        # (the core's words are a save's: "your text is not lost … save a copy elsewhere")
        if aborting:
            return fill(translate("ConflictResolver", "Not done: %1. The sync is not aborted yet: %2, then choose "
                                                      "Abort Sync again."), exc.cause, exc.fix)
        return fill(translate("ConflictResolver", "Not done: %1. Your decisions are kept: %2, then try again, or "
                                                  "Decide Later; Abort Sync puts the workspace back as it was before "
                                                  "the sync."), exc.cause, exc.fix)
    message = describe_failure(exc)[0].strip()
    message = message[:1].upper() + message[1:] + ("" if message.endswith((".", "?", "!")) else ".")
    way = (translate("ConflictResolver", "Your decisions are kept: once that is mended, try again, or Decide Later; "
                                         "Abort Sync puts the workspace back as it was before the sync."))
    return fill(translate("ConflictResolver", "Not done: %1 %2"), message, way)


def _body(text: str) -> str:
    try:
        return Document.parse(text).body
    except GuidelinesError:
        return text


def _document(c: Conflict, text: str) -> Document | None:
    """*text* as a guideline document, when *c* is over a whole one (its
    details are kept as they are, its body edited on the surface)."""
    if c.kind != "file" or not c.path.endswith(".md"):
        return None
    try:
        return Document.parse(text)
    except GuidelinesError:
        return None


def _readable(c: Conflict) -> tuple[str, str] | None:
    """The two sides of a conflict in a document's text as the document
    reads (no Markdown), the words that differ between them marked on
    each; None for a details field or a file that is not a document."""
    if c.kind == "field" or (c.kind == "file" and not c.path.endswith(".md")) or (c.ours or c.theirs) is None:
        return None
    from guidelines_app.review import diff as diffmod  # loaded when shown: not before the first paint
    from guidelines_app.review import redline
    from guidelines_app.review.redline_html import styles_for

    colours = appearance.current()
    mark = f"color:{colours.banner};background-color:{colours.banner_background}"
    # The redline's styles, with the changed words of either side marked alike and no "[changed]" notes.
    marks = dataclasses.replace(styles_for(colours), inserted=mark, deleted=mark, badge="")
    ours, theirs = (_body(t) if c.kind == "file" and t is not None else t for t in (c.ours, c.theirs))
    removed = "<p><i>" + translate("ConflictResolver", "(removed on this side)") + "</i></p>"
    compared = diffmod.diff_texts(ours if ours is not None else theirs, theirs if theirs is not None else ours)
    return tuple(removed if text is None else redline.render_html_fragment(compared, side=side, qt=True, colours=colours,
                                                                            styles=marks)
                 for text, side in ((ours, "old"), (theirs, "new")))


def _show_first_mark(view: QTextBrowser) -> None:
    """Scroll *view* to its first marked words (``_readable``), a third of the way down."""
    marked = appearance.current().banner_background
    block = view.document().begin()
    while block.isValid():
        part = block.begin()
        while not part.atEnd():
            fragment = part.fragment()
            if fragment.charFormat().background().color().name() == marked:
                cursor = QTextCursor(view.document())
                cursor.setPosition(fragment.position())
                view.setTextCursor(cursor)
                bar = view.verticalScrollBar()
                bar.setValue(bar.value() + view.cursorRect(cursor).top() - view.viewport().height() // 3)
                return
            part += 1
        block = block.next()


class ConflictResolver(QDialog):
    """Decides the conflicts of the workspace's unfinished sync.  *on_finished*
    runs after the merge revision is made (the feature then sends it)."""

    def __init__(self, window, on_finished: Callable[[], None]):
        super().__init__(window)
        self.setObjectName("conflict-resolver")
        self.setWindowTitle(self.tr("Resolve Sync Conflicts"))
        self.window_, self.on_finished = window, on_finished
        intro = QLabel(self.tr("You and a colleague changed the same parts of these documents. For each one, keep yours, take "
                               "theirs, keep both, or edit a merged text. Nothing in your workspace changes until you finish; "
                               "Abort Sync puts everything back as it was before the sync."))
        intro.setWordWrap(True)
        self.list = QListWidget(objectName="conflict-list")
        self.list.currentRowChanged.connect(self._show_current)
        self.list.setWordWrap(True)
        self.ours = QTextBrowser(objectName="conflict-ours")
        self.theirs = QTextBrowser(objectName="conflict-theirs")
        for view in (self.ours, self.theirs):
            view.setOpenLinks(False)  # (a link in the text: the view stays on it)
        # The merged text: a section's (a document's) as it reads, edited as in the main editor; a detail's
        # value (a file that is not a document) as plain text.
        self.merged_surface = RichSurface()
        self.merged_surface.setObjectName("conflict-merged-surface")
        self.merged_surface.pictures.root = Path(window.ws.root)
        add_format_shortcuts(self.merged_surface)  # Ctrl+B, Ctrl+I, ... as in the main editor
        self.merged = QPlainTextEdit(objectName="conflict-merged")
        for box in (self.merged_surface, self.merged):
            box.setPlaceholderText(self.tr("Write the merged text here, then choose Use Edited Text"))
        self.merged_box = QStackedWidget(objectName="conflict-merged-box")
        self.merged_box.addWidget(self.merged_surface)
        self.merged_box.addWidget(self.merged)
        self._document: Document | None = None  # a whole document's details, kept as they are (``_document``)
        self.pending: sync.PendingMerge | None = None  # the unfinished sync, as last read
        for widget, name in ((self.list, self.tr("Conflicts to decide")), (self.ours, self.tr("Your version")),
                             (self.theirs, self.tr("Their version")), (self.merged_surface, self.tr("Merged text")),
                             (self.merged, self.tr("Merged text"))):
            widget.setAccessibleName(name)
        self.merged_surface.setAccessibleDescription(self.tr("The merged text, formatted as readers see it; type to edit"))
        sides = QWidget()
        grid = QGridLayout(sides)
        grid.addWidget(QLabel(self.tr("Yours (what differs from theirs is marked):")), 0, 0)
        grid.addWidget(QLabel(self.tr("Theirs (what differs from yours is marked):")), 0, 1)
        grid.addWidget(self.ours, 1, 0)
        grid.addWidget(self.theirs, 1, 1)
        self.merged_label = QLabel(objectName="conflict-merged-label")
        grid.addWidget(self.merged_label, 2, 0, 1, 2)
        grid.addWidget(self.merged_box, 3, 0, 1, 2)
        row = QDialogButtonBox()
        self.choice_buttons = {}
        for how, label in ((OURS, self.tr("Keep Mine")), (THEIRS, self.tr("Take Theirs")), (BOTH, self.tr("Keep Both")),
                           (EDIT, self.tr("Use Edited Text"))):
            button = QPushButton(label, objectName=f"take-{how}")
            button.clicked.connect(lambda _=False, h=how: self.choose(h))
            row.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            self.choice_buttons[how] = button
        grid.addWidget(row, 4, 0, 1, 2)
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(sides)
        split.setSizes([220, 740])
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)
        self._add_bottom(layout)
        self.conflicts: list[Conflict] = []
        self.decided: dict[str, dict[str, list[str]]] = {}
        self.resize(960, 620)
        self.reload()

    def _add_bottom(self, layout: QVBoxLayout) -> None:
        """The status line (with a failure's way forward), then Finish, Abort and Decide Later."""
        self.status = QLabel(objectName="resolver-status")
        self.status.setWordWrap(True)
        # A failure's own way forward (the error's remedy: remove a lock left behind, ...), then the step again.
        self.remedy_button = QPushButton(objectName="resolver-remedy")
        self.remedy_button.hide()
        self.remedy_button.clicked.connect(self._run_remedy)
        self._remedy: tuple[Remedy, Callable[[], None]] | None = None
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.remedy_button)
        bottom = QDialogButtonBox()
        self.finish_button = QPushButton(self.tr("Finish Sync"), objectName="finish-sync")
        self.abort_button = QPushButton(self.tr("Abort Sync"), objectName="abort-sync")
        later = QPushButton(self.tr("Decide Later"), objectName="decide-later")
        bottom.addButton(self.finish_button, QDialogButtonBox.ButtonRole.AcceptRole)
        bottom.addButton(self.abort_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        bottom.addButton(later, QDialogButtonBox.ButtonRole.RejectRole)
        self.finish_button.clicked.connect(self.finish)
        self.abort_button.clicked.connect(self.abort)
        later.clicked.connect(self.reject)
        layout.addLayout(status_row)
        layout.addWidget(bottom)

    # ---- state ------------------------------------------------------------------

    def reload(self) -> None:
        """Show the unfinished sync as the core keeps it (its record no longer
        readable: said, and Finish off; Abort Sync is the way out)."""
        self._offer_remedy(None)
        try:
            state = sync.pending(self.window_.ws)
        except GuidelinesError as exc:
            self.pending = None
            self.finish_button.setEnabled(False)
            self._failed(exc, self.reload)
            return
        if state is None:
            self.conflicts, decided = [], {}
        else:
            self.conflicts, decided = state.all_conflicts(), state.choices
        self.decided = decided
        self.pending = state
        row = max(self.list.currentRow(), 0)
        self.list.blockSignals(True)
        self.list.clear()
        left = again = 0
        for c in self.conflicts:
            choice = decided.get(c.path, {}).get(c.key)
            changed = state is not None and c.key in state.again.get(c.path, [])
            if choice is None:
                left += 1
                again += changed
            mark = ("✓ " + self.tr(CHOICE_WORDS[choice[0]]) if choice
                    else self.tr("decide again") if changed else self.tr("to decide"))
            item = QListWidgetItem(f"{sync_names.named(c)}\n{conflict_name(c)}  ({mark})")
            item.setToolTip(item.text())
            item.setData(Qt.ItemDataRole.UserRole, bool(choice))
            if changed and not choice:
                item.setToolTip(item.text() + "\n" + self.tr("A revision saved since you decided this changed it: decide it "
                                                              "again."))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.finish_button.setEnabled(state is not None and left == 0)
        if left == 0:
            self.status.setText(self.tr("Everything is decided: Finish Sync makes the merge revision and sends it."))
        else:
            status = fill(self.tr("%1 of %2 still to decide."), left, len(self.conflicts))
            if again:
                status += " " + fill(self.tr("Revisions saved since changed %1 you had decided."), again)
            self.status.setText(status)
        if self.conflicts:
            self.list.setCurrentRow(min(row, len(self.conflicts) - 1))
            self._show_current(self.list.currentRow())

    def _show_current(self, row: int) -> None:
        if not 0 <= row < len(self.conflicts):
            return
        c = self.conflicts[row]
        readable = _readable(c)
        if readable is None:
            self.ours.setPlainText(_shown(c.ours))
            self.theirs.setPlainText(_shown(c.theirs))
        else:
            for view, html in zip((self.ours, self.theirs), readable, strict=True):
                view.setHtml(html)
                QTimer.singleShot(0, view, lambda v=view: _show_first_mark(v))  # (once laid out at its size)
        # The text the file gets: the decision's, or, undecided, Keep Both's (a field: yours).
        choice = self.decided.get(c.path, {}).get(c.key)
        try:
            both = outcome(c, (BOTH, "")) or ""  # (worked out once: shown below when undecided)
        except GuidelinesError:  # (a field of one value, a file that is not text)
            both = None
        try:
            chosen = None if choice is None else outcome(c, (choice[0], choice[1]))
        except GuidelinesError:  # (a decision no longer possible: decided again before finishing)
            choice = chosen = None
        try:
            outcome(c, (EDIT, ""))
            editable = True
        except GuidelinesError:  # (a file that is not text)
            editable = False
        if not editable:  # (what stands for it: the chosen side's, or yours)
            self._show_merged(c, (chosen if choice is not None else c.ours) or "", plain=True)
            self.merged_label.setText(self.tr("This file is not text: keep yours or take theirs."))
        elif choice is not None:
            self._show_merged(c, chosen or "")
            self.merged_label.setText(fill(self.tr("The text you chose (%1); to change it, edit it, then Use Edited Text:"),
                                           self.tr(CHOICE_WORDS[choice[0]])))
        elif both is None:
            self._show_merged(c, c.ours or "")
            self.merged_label.setText(self.tr("Merged text (yours; to change it, edit it, then Use Edited Text):"))
        else:
            self._show_merged(c, both)
            self.merged_label.setText(self.tr("Merged text (what Keep Both gives; to change it, edit it, then Use Edited Text):"))
        self.choice_buttons[BOTH].setEnabled(both is not None)
        self.choice_buttons[EDIT].setEnabled(editable)
        self.merged.setReadOnly(not editable)

    def _show_merged(self, c: Conflict, text: str, plain: bool = False) -> None:
        """*text* in the merged box: a section's, a document's body, on the
        surface; a detail's value or another file's text (*plain*: one that
        is not text, what stands for it) as it is."""
        self._document = None if plain else _document(c, text)
        if not plain and (c.kind == "section" or self._document is not None):
            self.merged_surface.load(text if self._document is None else self._document.body)
            self.merged_box.setCurrentWidget(self.merged_surface)
        else:
            self.merged.setPlainText(text)
            self.merged_box.setCurrentWidget(self.merged)

    def merged_text(self) -> str:
        """The text in the merged box, as the file will have it (a document's
        details as they were, with the body as edited)."""
        if self.merged_box.currentWidget() is self.merged:
            return self.merged.toPlainText()
        body = self.merged_surface.source()
        if self._document is None:
            return body
        self._document.body = body
        return self._document.to_text()

    # ---- decisions ------------------------------------------------------------------

    def choose(self, how: str) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.conflicts):
            return
        try:
            sync.choose(self.window_.ws, self.conflicts[row], how, self.merged_text())
        except GuidelinesError as exc:
            self._failed(exc, lambda: self.choose(how))
            return
        self.reload()
        undecided = [n for n in range(self.list.count()) if not self.list.item(n).data(Qt.ItemDataRole.UserRole)]
        if undecided:
            self.list.setCurrentRow(undecided[0])

    def finish(self) -> None:
        w = self.window_
        author = w.author()
        if author is None:
            return
        try:
            sync.finish(w.ws, author)
        except GuidelinesError as exc:
            self.reload()  # (what is left to decide, as it stands now: revisions saved meanwhile changed what was decided)
            undecided = [n for n in range(self.list.count()) if not self.list.item(n).data(Qt.ItemDataRole.UserRole)]
            if isinstance(exc, SyncPending) and self.pending is not None and undecided:
                self.status.setText(self.tr("Not finished:") + " " + self.status.text())
                self.list.setCurrentRow(undecided[0])
            else:
                self._failed(exc, self.finish)
            return
        self.accept()
        self.on_finished()

    def abort(self) -> None:
        answer = QMessageBox.question(self, self.tr("Abort Sync"), self.tr("Abandon this sync? Your workspace stays exactly as it was "
                                                                           "before it; your decisions here are forgotten. You can sync again at any time."))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.abort_now()

    def abort_now(self) -> None:
        try:
            sync.abort(self.window_.ws)
        except GuidelinesError as exc:
            self._failed(exc, self.abort_now, aborting=True)
            return
        self.reject()

    # ---- failures ------------------------------------------------------------------

    def _failed(self, exc: GuidelinesError, again: Callable[[], None], aborting: bool = False) -> None:
        """*exc* said in the status line in the window's words; its remedy,
        when it has one, offered as a button that runs it, then *again*.
        *aborting*: Abort Sync is what failed."""
        self.status.setText(sync_problem(exc, aborting))
        self._offer_remedy(None if exc.remedy is None else (exc.remedy, again))

    def _offer_remedy(self, offer: tuple[Remedy, Callable[[], None]] | None) -> None:
        self._remedy = offer
        self.remedy_button.setText(offer[0].label if offer else "")
        self.remedy_button.setVisible(offer is not None)

    def _run_remedy(self) -> None:
        if self._remedy is None:
            return
        (remedy, again), self._remedy = self._remedy, None
        self._offer_remedy(None)
        try:
            remedy.run()
        except GuidelinesError as exc:
            self._failed(exc, again)
            return
        again()
