"""The spelling's right-click entries on the surface: suggestions for the
misspelt word under the pointer, and "Add to Dictionary" (the word goes
to the workspace's committed word list, ``core.spelling``, and its marks
come off).  A mixin of ``spelling.Spelling`` (its ``speller``,
``highlighter``, ``window`` and ``_frozen``)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QTextCursor

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.spelling import WORD_RE, add_workspace_word
from guidelines_app.core.surface_text import IMAGE, RULE, SOURCE
from guidelines_app.ui.fill import fill
from guidelines_app.ui.surface.formats import C_CODE, kind_of


def unchecked(block) -> list[tuple[int, int]]:
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


class SpellMenu:
    """Suggestions and Add to Dictionary on right-click."""

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
                if self.speller.known(m.group(0)) or any(m.start() < e and s < m.end() for s, e in unchecked(block)):
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
            none = menu.addAction(QCoreApplication.translate("Spelling", "(no suggestions)"))
            none.setEnabled(False)
            menu.insertAction(first, none)
        add = menu.addAction(QCoreApplication.translate("Spelling", "Add to Dictionary"))
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
                self.window.statusBar().showMessage(fill(QCoreApplication.translate(
                    "Spelling", "The word list could not be saved: %1"), exc), 8000)
        if self.highlighter is not None:
            self._frozen(lambda: self.highlighter.recheck(word))
