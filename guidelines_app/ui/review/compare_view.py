"""The Compare window: two versions of a document side by side (with
synchronised scrolling) or inline, the list of changed sections, next /
previous change, and export of a redline.

The diff is computed on a worker thread by the core (``diff``); this module
only shows ``redline`` HTML (Markdown shown as formatting, never as
source) and moves between the change anchors.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guidelines_app.core.colours import LIGHT
from guidelines_app.core.gitbatch import ObjectReader
from guidelines_app.review import blame, history, redline
from guidelines_app.review import diff as diffmod
from guidelines_app.review.compare_first import UNSAVED, Computed, Side, compare
from guidelines_app.ui import appearance, export_folder, gc_guard, large_document
from guidelines_app.ui.dialogs import confirm_write_through_link
from guidelines_app.ui.fill import fill
from guidelines_app.ui.jobs import Jobs, in_workspace
from guidelines_app.ui.review.compare_export import start_export
from guidelines_app.ui.review.compare_pages import MODE_SIDES, AfterPaint, ComparePages, screen_of, text_widths

_ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # a section list item's index into the diff's rows
# After the first paint, the whole pages wait this long for the names (git
# blame over a long range takes seconds: the pages are not kept from a
# reader who scrolls on that long).
AUTHORS_WAIT_MS = 500
# The git process that reads the texts compared is kept this long after a
# comparison (the next one is read without starting git again).
READER_IDLE_MS = 15_000


class CompareWindow(QDialog):
    """Non-modal: stays open beside the editor.  Closed, it lets its pages
    go and can be opened again for another comparison (``start``): opening
    it then paints at once, without building a window."""

    computed = Signal()
    authors_found = Signal()
    exported = Signal(str)  # the file written
    closed = Signal()  # closed by the user (not minimised)

    def __init__(self, window, sides: list[Side], old_index: int, new_index: int, offer_sides=None, start: bool = True):
        """*sides* are the versions to choose from; *offer_sides(self)*, when
        given, offers more after the first paint (``add_sides``).  Without
        *start*, the window is empty until ``start`` is called."""
        super().__init__(window)
        self.window_ = window
        self.setObjectName("compare-window")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.resize(1200, 780)
        self.diff: diffmod.DocumentDiff | None = None
        self.authors: dict = {}  # row index -> revisions that made its changes (blame.change_authors)
        self.labels: redline.Labels | None = None
        self.versions: dict | None = None  # the published versions by commit, when the comparison read them
        self._new_text = ""  # the new side's text (its status is what the Word copies may print)
        self.changes: list[diffmod.ChangeRef] = []
        self.current = -1
        self._syncing = False
        self.jobs = Jobs(self)
        self._exporting = False
        self._colours = LIGHT  # the colours the current comparison is shown in
        self._verdict = ""  # the comparison's verdict, before the names are in
        self._generation = 0  # of the comparison shown: work deferred for an older one is dropped
        self._waiting_for: set[str] | None = None  # what the rest waits for ("paint", "authors"); None: started
        self._lookup = None  # who made the changes, looked up once the comparison is painted
        self.after_paint = AfterPaint(self)
        self.reader = ObjectReader(window.ws.root)
        self._reader_idle = QTimer(self, singleShot=True, interval=READER_IDLE_MS)
        self._reader_idle.timeout.connect(lambda: self.reader.close())
        self.destroyed.connect(self.reader.close)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_toolbar())
        self.verdict = QLabel(objectName="compare-verdict")
        self.verdict.setWordWrap(True)
        layout.addWidget(self.verdict)
        layout.addWidget(self._build_views(), 1)
        self.pages = ComparePages(self, {"old": self.old_view, "new": self.new_view, "inline": self.inline_view})
        self._build_shortcuts()
        if start:
            self.start(sides, old_index, new_index, offer_sides)

    def start(self, sides: list[Side], old_index: int, new_index: int, offer_sides=None) -> None:
        """Compare the versions at *old_index* and *new_index* of *sides*
        (a new window, or a closed one opened again), in the side-by-side
        layout."""
        window = self.window_
        self.setWindowTitle(fill(self.tr("Compare Revisions — %1"), window.doc.title if window.doc else ""))
        self.slug = window.slug
        self.sides = list(sides)
        self._offer_sides = offer_sides
        self.diff, self.labels, self.changes, self.current, self.authors = None, None, [], -1, {}
        self.section_list.clear()
        self.old_header.setText("<b>Before</b>")
        self.new_header.setText("<b>After</b>")
        self._fill_combos(old_index, new_index)
        self.mode.blockSignals(True)
        self.mode.setCurrentIndex(0)
        self.stack.setCurrentIndex(0)
        self.mode.blockSignals(False)
        self.recompute()

    def _fill_combos(self, old_index: int, new_index: int) -> None:
        for combo, index in ((self.old_combo, old_index), (self.new_combo, new_index)):
            combo.blockSignals(True)  # the choice stays: nothing to compare again
            combo.clear()
            combo.addItems([side.label or self.tr("Reading…") for side in self.sides])
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
            self._whole_names(combo)

    def _whole_names(self, combo: QComboBox) -> None:
        """A version's whole name where the box cuts it (date, author, then
        the message that tells revisions of one day apart): its tooltip, and
        its list as wide as the longest (up to the screen's width)."""
        combo.setToolTip(combo.currentText())
        metrics = combo.view().fontMetrics()
        widest = max((metrics.horizontalAdvance(combo.itemText(n)) for n in range(combo.count())), default=0)
        screen = combo.screen().availableGeometry().width() if combo.screen() is not None else 1200
        combo.view().setMinimumWidth(min(widest + 40, screen - 40))

    def add_sides(self, sides: list[Side]) -> None:
        """More versions to choose from (the history, read after the first
        paint); the versions compared stay chosen."""
        chosen = [self.sides[self.old_combo.currentIndex()], self.sides[self.new_combo.currentIndex()]]
        offered = {side.revision for side in sides}
        self.sides = list(sides) + [side for side in dict.fromkeys(chosen) if side.revision not in offered]
        index = {side.revision: n for n, side in enumerate(self.sides)}
        self._fill_combos(index[chosen[0].revision], index[chosen[1].revision])

    def _build_toolbar(self) -> QHBoxLayout:
        """The two versions, the view mode, previous / next change and export."""
        self.old_combo, self.new_combo = QComboBox(objectName="compare-old"), QComboBox(objectName="compare-new")
        self.old_combo.setAccessibleName(self.tr("Older version"))
        self.new_combo.setAccessibleName(self.tr("Newer version"))
        for combo in (self.old_combo, self.new_combo):
            combo.setMinimumContentsLength(18)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.old_combo.currentIndexChanged.connect(self.recompute)
        self.new_combo.currentIndexChanged.connect(self.recompute)
        for combo in (self.old_combo, self.new_combo):
            combo.currentIndexChanged.connect(lambda _n, combo=combo: combo.setToolTip(combo.currentText()))
        self.mode = QComboBox(objectName="compare-mode", accessibleName=self.tr("Layout"))
        self.mode.addItems([self.tr("Side by side"), self.tr("Inline")])
        self.mode.currentIndexChanged.connect(self._show_mode)
        self.prev_button = QToolButton(text=self.tr("◀ Previous change"), objectName="prev-change")
        self.next_button = QToolButton(text=self.tr("Next change ▶"), objectName="next-change")
        self.prev_button.clicked.connect(self.previous_change)
        self.next_button.clicked.connect(self.next_change)
        self.position = QLabel()
        export = QPushButton(self.tr("Export Redline"), objectName="export-redline")  # its menu arrow drawn beside the text
        menu = QMenu(export)
        menu.addAction(self.tr("Word document with tracked changes (.docx)…"), lambda: self.export("docx"))
        menu.addAction(self.tr("Web page (.html)…"), lambda: self.export("html"))
        export.setMenu(menu)
        self.export_button = export

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Compare")))
        top.addWidget(self.old_combo, 1)
        top.addWidget(QLabel(self.tr("with")))
        top.addWidget(self.new_combo, 1)
        top.addWidget(self.mode)
        top.addSpacing(12)
        top.addWidget(self.prev_button)
        top.addWidget(self.next_button)
        top.addWidget(self.position)
        top.addStretch(0)
        top.addWidget(export)
        return top

    def _build_views(self) -> QSplitter:
        """The changed sections beside the two columns (or the inline view)."""
        self.section_list = QListWidget(objectName="compare-sections", accessibleName=self.tr("Changed sections"))
        self.section_list.setWordWrap(True)  # names after long headings stay readable
        self.section_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.section_list.itemActivated.connect(self._on_section_clicked)
        self.section_list.itemClicked.connect(self._on_section_clicked)

        self.old_view, self.new_view, self.inline_view = (QTextBrowser(objectName=n) for n in ("compare-left", "compare-right", "compare-inline"))
        for view, name in ((self.old_view, self.tr("Older version's text")), (self.new_view, self.tr("Newer version's text")),
                           (self.inline_view, self.tr("Changes inline"))):
            view.setOpenLinks(False)
            view.setAccessibleName(name)
        self.old_view.verticalScrollBar().valueChanged.connect(lambda v: self._sync(self.old_view, self.new_view))
        self.new_view.verticalScrollBar().valueChanged.connect(lambda v: self._sync(self.new_view, self.old_view))
        pair = QSplitter(Qt.Orientation.Horizontal)
        for title, view in ((self.tr("Before"), self.old_view), (self.tr("After"), self.new_view)):
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            header = QLabel(f"<b>{title}</b>")
            # A long caption wraps: it never makes its column wider than the other one.
            header.setWordWrap(True)
            header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            lay.addWidget(header)
            lay.addWidget(view)
            pair.addWidget(box)
        pair.setStretchFactor(0, 1)
        pair.setStretchFactor(1, 1)
        pair.setChildrenCollapsible(False)
        self.old_header = pair.widget(0).findChild(QLabel)
        self.new_header = pair.widget(1).findChild(QLabel)
        pair.splitterMoved.connect(lambda *_: self._even_headers())
        self.stack = QStackedWidget()
        self.stack.addWidget(pair)
        self.stack.addWidget(self.inline_view)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel(f"<b>{self.tr('Changed sections')}</b>"))
        ll.addWidget(self.section_list)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.stack)
        split.setSizes([290, 910])
        return split

    def _build_shortcuts(self) -> None:
        for keys, slot in ((["F8", "Alt+Down"], self.next_change), (["Shift+F8", "Alt+Up"], self.previous_change)):
            act = QAction(self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.triggered.connect(slot)
            self.addAction(act)
        self.next_button.setToolTip(self.tr("Next change (F8, Alt+Down)"))
        self.prev_button.setToolTip(self.tr("Previous change (Shift+F8, Alt+Up)"))

    # ---- computing -----------------------------------------------------------

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        if not event.spontaneous():  # closed, not minimised
            self._generation += 1
            self.after_paint.disarm()
            self.jobs.drop("compare", "authors", "sides")
            self._lookup = None
            self.pages.clear()
            self.diff, self.changes, self.authors, self._new_text = None, [], {}, ""
            self.closed.emit()

    def recompute(self) -> None:
        old, new = self.sides[self.old_combo.currentIndex()], self.sides[self.new_combo.currentIndex()]
        self._generation += 1
        self.after_paint.disarm()
        self.verdict.setText(self.tr("Comparing…"))
        self._set_navigation_enabled(False)
        unsaved = self.window_.current_text() if UNSAVED in (old.revision, new.revision) and self.window_.doc else None
        author = self.window_.settings.author_name or "Guideline Studio"
        slug, colours = self.slug, appearance.current()
        # A newer choice of versions supersedes this comparison, and the
        # names found for it.
        self.jobs.drop("authors")
        self._lookup = None
        self.pages.drop()
        self._colours = colours
        sides = MODE_SIDES[self.mode.currentIndex()]  # the layout the user sees: the others come after its first paint
        root, font = self.window_.ws.root, QFont(self.old_view.font())
        if self.reader.root != root:  # another workspace is open now
            self.reader.close()
            self.reader = ObjectReader(root)
            self.destroyed.connect(self.reader.close)
        reader = self.reader
        self._reader_idle.start()
        views = {side: self.pages.views[side] for side in sides}
        widths = text_widths(views)
        screen = screen_of(views, widths, font)
        # Who made the changes, looked up from the moment the comparison is
        # known: of saved revisions, or of the text compared against them.
        authors = None if old.revision in (UNSAVED, history.WORKING) or new.revision == history.WORKING else (
            old.revision, history.WORKING if new.revision == UNSAVED else new.revision)
        self.jobs.run(in_workspace(root, lambda ws: compare(ws, slug, old, new, unsaved, author, sides, colours, reader,
                                                            authors, screen, large_document.LARGE_BYTES)),
                      self._on_done, self._on_failed, key="compare")

    def _on_failed(self, message: str, technical: str) -> None:
        self.verdict.setText(fill(self.tr("Cannot compare: %1"), message))
        self._offer_more_sides()  # other versions may compare
        self.window_.show_error(self.tr("Cannot compare versions"), message, technical=technical)

    def _on_done(self, computed: Computed) -> None:
        result, labels, pages, self._new_text = computed.result, computed.labels, computed.pages, computed.new_text
        self.diff, self.labels, self.versions = result, labels, computed.versions
        self.authors, self._waiting_for = {}, {"paint"}
        known = self._find_authors(computed.authors)
        for at, name in ((self.old_combo.currentIndex(), labels.old), (self.new_combo.currentIndex(), labels.new)):
            if self.sides[at].label is None:  # read with the comparison
                self.sides[at] = Side(self.sides[at].revision, name)
                for box in (self.old_combo, self.new_combo):  # (the other box lists it too: not "Reading…" there)
                    box.setItemText(at, name)
                    self._whole_names(box)
        self.changes = computed.changes
        self.current = -1
        self._verdict = computed.verdict
        if computed.changes_only:
            self._verdict += " The document is very large: only the changed sections are shown."
            gc_guard.settle()  # its comparison's objects: not walked by every collection while it is open
        self.verdict.setText(self._verdict)
        self.old_header.setText(f"<b>Before:</b> {labels.old}")
        self.new_header.setText(f"<b>After:</b> {labels.new}")
        self._even_headers()
        self.pages.show_first(computed.paged, pages, computed.complete, self._colours, computed.changes_only)
        if any(side not in pages for side in MODE_SIDES[self.mode.currentIndex()]):
            self.pages.ensure(MODE_SIDES[self.mode.currentIndex()])  # the layout was switched while comparing
        self.section_list.clear()
        for text, first_change, row in computed.sections:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, first_change)
            if row is not None:
                item.setData(_ROW_ROLE, row)
            self.section_list.addItem(item)
        self._set_navigation_enabled(True)
        self._update_position()
        generation = self._generation
        self.after_paint.arm(self._views()[0].viewport(), lambda: self._then_the_rest(generation, "paint"))
        if known is not None:
            self._on_authors(known)
        self.computed.emit()

    def _then_the_rest(self, generation: int, done: str) -> None:
        """What the first screen does not need (the whole pages, the other
        versions to choose from), once it is painted and the names are in
        (built meanwhile, they would slow down both: one Python at a time),
        or, for the layout shown, AUTHORS_WAIT_MS after the paint when git
        takes longer."""
        if generation != self._generation or self._waiting_for is None:
            return  # another comparison (or none) is shown now, or the rest is under way
        self._waiting_for.discard(done)
        if done == "paint":
            self._look_up_authors(generation)
        if done == "paint" and self._waiting_for:
            QTimer.singleShot(AUTHORS_WAIT_MS, self, lambda: self._then_the_rest(generation, "waited"))
        if "paint" in self._waiting_for:
            return
        if self._waiting_for:  # waited for the names long enough: the layout shown, the rest after them
            if done == "waited":
                self.pages.build_rest(MODE_SIDES[self.mode.currentIndex()])
                self._offer_more_sides()
            return
        self._waiting_for = None
        self.pages.build_rest()
        self._offer_more_sides()

    def _offer_more_sides(self) -> None:
        if self._offer_sides is not None:  # once per window opened
            offer, self._offer_sides = self._offer_sides, None
            offer(self)

    def _find_authors(self, found) -> dict | None:
        """Who made the changes (``Computed.authors``): the answer when it is
        known at once, else looked up on a worker once the comparison is
        painted (``_then_the_rest``): git blame over a long range is seconds
        of a processor the first paint would otherwise share."""
        if found is None or isinstance(found, dict):
            return found
        self._waiting_for.add("authors")
        self._lookup = found
        return None

    def _look_up_authors(self, generation: int) -> None:
        lookup, self._lookup = self._lookup, None
        if lookup is not None:
            # Names are extra: the comparison stands without them, so a
            # failure is not reported.
            self.jobs.run(in_workspace(self.window_.ws.root, lookup), self._on_authors, key="authors", waits=True,
                          on_failed=lambda _message, _technical: self._then_the_rest(generation, "authors"))

    def _on_authors(self, found) -> None:
        self.authors = found
        for n in range(self.section_list.count()):
            item = self.section_list.item(n)
            people = found.get(item.data(_ROW_ROLE), [])
            if people:
                names = list(dict.fromkeys(self.tr("you (not saved yet)") if b.uncommitted else b.author for b in people))
                item.setText(f"{item.text()} · {', '.join(names)}")
                item.setToolTip(self.tr("Last changed by:") + "\n" + "\n".join(blame.change_line(b) for b in people))
        saved = sorted((b for people in found.values() for b in people if not b.uncommitted),
                       key=lambda b: b.date, reverse=True)
        everyone = list(dict.fromkeys(b.author for b in saved))  # the latest change first
        if everyone:
            self.verdict.setText(f"{self._verdict} Changed by {', '.join(everyone)}.")
        self.authors_found.emit()
        self._then_the_rest(self._generation, "authors")

    # ---- navigation ----------------------------------------------------------

    def _set_navigation_enabled(self, on: bool) -> None:
        for w in (self.prev_button, self.next_button):
            w.setEnabled(on)
        self.export_button.setEnabled(on and not self._exporting)  # one export at a time

    def _views(self) -> list[QTextBrowser]:
        return [self.inline_view] if self.mode.currentIndex() == 1 else [self.new_view, self.old_view]

    def go_to_change(self, index: int) -> None:
        if not self.changes:
            return
        self.current = max(0, min(index, len(self.changes) - 1))
        self.pages.ensure(MODE_SIDES[self.mode.currentIndex()])  # the whole page, if only its start is shown yet
        anchor = f"chg-{self.current}"
        self._syncing = True
        try:
            for view in (self.old_view, self.new_view, self.inline_view):
                view.scrollToAnchor(anchor)
        finally:
            self._syncing = False
        row = self.changes[self.current].row
        for n in range(self.section_list.count()):
            item = self.section_list.item(n)
            target = item.data(Qt.ItemDataRole.UserRole)
            if target >= 0 and self.changes[target].row == row:
                self.section_list.setCurrentItem(item)
                break
        self._update_position()

    def next_change(self) -> None:
        if self.changes:
            self.go_to_change(min(self.current + 1, len(self.changes) - 1))

    def previous_change(self) -> None:
        if self.changes:
            self.go_to_change(max(self.current - 1, 0))

    def _update_position(self) -> None:
        n = len(self.changes)
        if not n:
            self.position.setText(self.tr("No changes"))
        else:
            self.position.setText(fill(self.tr("Change %1 of %2"), self.current + 1, n) if self.current >= 0
                                  else self.tr("1 change") if n == 1 else fill(self.tr("%1 changes"), f"{n:,}"))

    def _on_section_clicked(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target is not None and target >= 0:
            self.go_to_change(target)
        else:
            for view in (self.old_view, self.new_view, self.inline_view):
                view.verticalScrollBar().setValue(0)

    def _show_mode(self, index: int) -> None:
        self.pages.ensure(MODE_SIDES[index])
        self.stack.setCurrentIndex(index)
        if self.current >= 0:
            self.go_to_change(self.current)

    def _even_headers(self) -> None:
        """Both captions as tall as the taller one (a long one wraps), so the
        two columns' first lines stay side by side."""
        heads = (self.old_header, self.new_header)
        for h in heads:
            h.setMinimumHeight(0)
        tallest = max(h.heightForWidth(max(1, h.width())) for h in heads)
        for h in heads:
            h.setMinimumHeight(tallest)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._even_headers()

    def _sync(self, source: QTextBrowser, target: QTextBrowser) -> None:
        """Columns hold the same blocks (placeholders fill the gaps), so the
        same share of the way down is the same place."""
        if self._syncing:
            return
        self._syncing = True
        try:
            s, t = source.verticalScrollBar(), target.verticalScrollBar()
            t.setValue(round(s.value() / s.maximum() * t.maximum()) if s.maximum() else 0)
        finally:
            self._syncing = False

    # ---- export ----------------------------------------------------------------

    def export(self, kind: str, path: str | None = None) -> Path | None:
        """Write the redline (a .docx with tracked changes and a clean copy,
        or a web page) in the background; ``exported`` reports the file.
        Returns the file being written, or None when cancelled."""
        if self.diff is None:
            return None
        if path is None:
            suggested = str(export_folder.folder() / f"{self.slug}-changes.{kind}")
            filters = self.tr("Word document (*.docx)") if kind == "docx" else self.tr("Web page (*.html)")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export redline"), suggested, filters)
            if not path:
                return None
        target = Path(path)
        if target.suffix.lower() != f".{kind}":
            target = target.with_name(target.name + f".{kind}")
        through_link = confirm_write_through_link(self, target)
        if through_link is False:
            return None
        export_folder.remember(target)
        job = start_export(self.window_, kind, target, self.diff, self.labels, self.slug, self._new_text, bool(through_link))
        job.signals.finished.connect(self._on_exported)
        job.signals.failed.connect(self._on_export_failed)
        self._exporting = True
        self.export_button.setEnabled(False)
        return target

    def exporting(self) -> bool:
        """A redline is being written for this window."""
        return self._exporting

    def _on_exported(self, target) -> None:
        self._exporting = False
        self.export_button.setEnabled(self.diff is not None)
        self.exported.emit(str(target))

    def _on_export_failed(self, _message: str, _technical: str) -> None:
        self._exporting = False
        self.export_button.setEnabled(self.diff is not None)

