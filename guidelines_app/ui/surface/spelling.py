"""Spelling on the surface: misspelt words underlined as you type, with
suggestions and "Add to Dictionary" on right-click.  The dictionary loads
in the background (``ui.jobs``); code, links and source chips are never
checked.  The words added go to the workspace's committed word list
(``core.spelling``)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextCursor

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.spelling import WORD_RE, Speller, add_workspace_word, workspace_words
from guidelines_app.core.surface_text import IMAGE, RULE, SOURCE
from guidelines_app.ui.jobs import Jobs
from guidelines_app.ui.surface.formats import C_CODE, kind_of


def _unchecked(block) -> list[tuple[int, int]]:
    """(start, end) in the block of code and link text."""
    spans = []
    it = block.begin()
    while not it.atEnd():
        frag = it.fragment()
        cf = frag.charFormat()
        if cf.property(C_CODE) or cf.isAnchor():
            start = frag.position() - block.position()
            spans.append((start, start + frag.length()))
        it += 1
    return spans


class SpellHighlighter(QSyntaxHighlighter):
    def __init__(self, document, speller: Speller):
        super().__init__(document)
        self.speller = speller
        self.mark = QTextCharFormat()
        self.mark.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self.mark.setUnderlineColor(QColor("#d0021b"))

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        block = self.currentBlock()
        if kind_of(block) in (SOURCE, RULE, IMAGE):
            return
        skip = _unchecked(block)
        for a, b in self.speller.misspelt(text):
            if not any(a < e and s < b for s, e in skip):
                self.setFormat(a, b - a, self.mark)


def _load(language: str, words: set[str], text: str) -> Speller:
    speller = Speller(language, words)
    for m in WORD_RE.finditer(text):  # the document's words, looked up once, here
        speller.known(m.group(0))
    return speller


class Spelling(QObject):
    """The window's spell checker: ``speller`` once loaded (None before or
    when spelling is off)."""

    ready = Signal()

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.jobs = Jobs(self)
        self.speller: Speller | None = None
        self.highlighter: SpellHighlighter | None = None
        window.editing.surface.reloaded.connect(self.attach)
        window.editing.surface.spelling = self
        window.workspace_changed.connect(self.start)

    def start(self) -> None:
        """(Re)load the dictionary of the language in the settings."""
        language = self.window.settings.spelling_language
        self.speller = None
        self._detach()
        if not language:
            return
        words = workspace_words(self.window.ws.root) if self.window.ws is not None else set()
        text = self.window.editor.text()
        self.jobs.run(lambda: _load(language, words, text), self._loaded, lambda *_: None, key="speller")

    def _loaded(self, speller: Speller) -> None:
        self.speller = speller
        self.attach()
        self.ready.emit()

    def _detach(self) -> None:
        if self.highlighter is not None:
            self.highlighter.setDocument(None)
            self.highlighter.deleteLater()
            self.highlighter = None

    def attach(self) -> None:
        """Check the surface's (new) document."""
        self._detach()
        if self.speller is not None:
            surface = self.window.editing.surface
            surface.freeze_changes(True)
            try:
                self.highlighter = SpellHighlighter(surface.document(), self.speller)
                self.highlighter.rehighlight()
            finally:
                surface.freeze_changes(False)

    def set_language(self, language: str) -> None:
        self.window.settings.spelling_language = language
        self.window.save_settings()
        self.start()

    # ---- right-click -------------------------------------------------------------

    def word_at(self, surface, pos) -> QTextCursor | None:
        """The misspelt word under *pos* (a cursor selecting it), or None."""
        if self.speller is None:
            return None
        cursor = surface.cursorForPosition(pos)
        block = cursor.block()
        if kind_of(block) in (SOURCE, RULE, IMAGE):
            return None
        offset = cursor.position() - block.position()
        for m in WORD_RE.finditer(block.text()):
            if m.start() <= offset <= m.end():
                if self.speller.known(m.group(0)) or any(m.start() < e and s < m.end() for s, e in _unchecked(block)):
                    return None
                word = QTextCursor(block)
                word.setPosition(block.position() + m.start())
                word.setPosition(block.position() + m.end(), QTextCursor.MoveMode.KeepAnchor)
                return word
        return None

    def extend_menu(self, surface, menu, pos) -> None:
        word = self.word_at(surface, pos)
        if word is None:
            return
        text = word.selectedText()
        first = menu.actions()[0] if menu.actions() else None
        suggestions = self.speller.suggest(text)
        for s in suggestions:
            action = menu.addAction(s)
            action.triggered.connect(lambda _=False, s=s: word.insertText(s))
            menu.insertAction(first, action)
        if not suggestions:
            none = menu.addAction("(no suggestions)")
            none.setEnabled(False)
            menu.insertAction(first, none)
        add = menu.addAction("Add to Dictionary")
        add.triggered.connect(lambda: self.add_word(text))
        menu.insertAction(first, add)
        menu.insertSeparator(first)

    def add_word(self, word: str) -> None:
        """Add *word* to the workspace's words (committed) and stop flagging it."""
        if self.speller is None:
            return
        self.speller.add(word)
        author = self.window.author()
        if author is not None and self.window.ws is not None:
            try:
                add_workspace_word(self.window.ws, word, author)
            except (GuidelinesError, OSError) as exc:
                self.window.statusBar().showMessage(f"The word list could not be saved: {exc}", 8000)
        if self.highlighter is not None:
            surface = self.window.editing.surface
            surface.freeze_changes(True)
            try:
                self.highlighter.rehighlight()
            finally:
                surface.freeze_changes(False)

