"""UI text is ready for translation: scripts/extract_strings.py collects the
user-visible strings of every window, panel and dialog with pyside6-lupdate,
and a translation made from that file (compiled with pyside6-lrelease)
changes the menus, the New Guideline wizard and the History panel."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parent.parent
# Round 1 (menus, dialogs, start-up, crash, Help, Appearance) found 169;
# every window, panel, dialog and status message brings it over 500.
AT_LEAST = 500

pytestmark = pytest.mark.skipif(shutil.which("pyside6-lupdate") is None or shutil.which("pyside6-lrelease") is None,
                                reason="pyside6-lupdate / pyside6-lrelease (PySide6's tools) are not on PATH")


@pytest.fixture(scope="module")
def strings(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ts") / "guideline-studio.ts"
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "extract_strings.py"), str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out


def test_menus_and_dialogs_are_collected(strings):
    text = strings.read_text(encoding="utf-8")
    contexts = set(re.findall(r"<name>([^<]+)</name>", text))
    assert {"Menus", "Dialogs", "Help", "Appearance", "App", "Crash"} <= contexts
    for source in ("&amp;File", "Save Revision with &amp;Message…", "Who is saving?", "&amp;User Guide",
                   "Keyboard Shortcuts", "&amp;Dark", "Git is not installed", "Copy Report"):
        assert f"<source>{source}</source>" in text, source


def test_every_part_of_the_window_is_collected(strings):
    text = strings.read_text(encoding="utf-8")
    assert len(re.findall(r"<source>", text)) >= AT_LEAST
    contexts = set(re.findall(r"<name>([^<]+)</name>", text))
    assert {"MainWindow", "Status", "FindReplaceBar", "NewGuidelineWizard", "Fields", "History", "HistoryPanel",
            "Publish", "Team", "ConflictResolver", "CheckPanel", "Governance", "Recovery", "SaveFailure",
            "CompareWindow", "Spelling"} <= contexts
    # Sentences with values keep one whole sentence for the translator; constants
    # translated later (QT_TRANSLATE_NOOP) are collected too.
    for source in ("Saved %1 by %2", "Step %1 of %2", "Filter by author, message, version or status",
                   "Very large document: preview, outline, highlighting and word count are off to keep typing fast",
                   "Whole document", "Sending your revisions…", "Change %1 of %2", "Compare Revisions — %1",
                   "Add to Dictionary", "Nothing to compare yet", "No changes since the last saved revision",
                   "Your settings cannot be read", "Who Changed This Paragraph?"):
        assert f"<source>{source}</source>" in text, source


def _translate(text: str, pairs, context: str | None = None) -> str:
    """*text* (a .ts file) with each (source, translation) of *pairs* filled
    in, within *context* when given (a source may occur in several)."""
    for source, translated in pairs:
        pattern = rf"(<source>{re.escape(source)}</source>\s*)<translation type=\"unfinished\"></translation>"
        if context is None:
            text = re.sub(pattern, rf"\g<1><translation>{translated}</translation>", text, count=1)
        else:
            head, found, rest = text.partition(f"<name>{context}</name>")
            assert found, context
            body, end, tail = rest.partition("</context>")
            text = head + found + re.sub(pattern, rf"\g<1><translation>{translated}</translation>", body, count=1) + end + tail
        assert f"<translation>{translated}</translation>" in text, source
    return text


def test_a_translation_changes_the_menus_wizard_and_history(strings, tmp_path, qtbot, workspace, settings):
    text = _translate(strings.read_text(encoding="utf-8"),
                      (("&amp;File", "&amp;Datei"), ("&amp;Help", "&amp;Hilfe"), ("&amp;User Guide", "&amp;Handbuch")))
    text = _translate(text, (("New Guideline", "Neue Richtlinie"),
                             ("&lt;h3&gt;What are you writing?&lt;/h3&gt;Pick a starting point. You can change every answer "
                              "later with Template &gt; Re-answer Questionnaire.",
                              "&lt;h3&gt;Was schreiben Sie?&lt;/h3&gt;Wählen Sie einen Ausgangspunkt.")),
                      context="NewGuidelineWizard")
    text = _translate(text, (("Date", "Datum"), ("Author", "Autor")), context="History")
    ts = tmp_path / "guideline-studio_de.ts"
    ts.write_text(text, encoding="utf-8")
    qm = tmp_path / "guideline-studio_de.qm"
    subprocess.run(["pyside6-lrelease", str(ts), "-qm", str(qm)], capture_output=True, check=True, timeout=120)
    translator = QTranslator()
    assert translator.load(str(qm))
    QApplication.instance().installTranslator(translator)
    try:
        from guidelines_app.ui.main_window import MainWindow

        window = MainWindow(workspace, settings)
        qtbot.addWidget(window)
        titles = [a.text() for a in window.menuBar().actions()]
        assert "&Datei" in titles and "&Hilfe" in titles and "&File" not in titles
        assert "&Handbuch" in [a.text() for a in window.menus["Help"].actions()]

        from guidelines_app.drafting.library import load_library
        from guidelines_app.ui.drafting.wizard import NewGuidelineWizard

        wizard = NewGuidelineWizard(window, load_library())
        qtbot.addWidget(wizard)
        assert wizard.windowTitle() == "Neue Richtlinie"
        heading = wizard.heading.text()
        wizard.done(0)  # (closed as Cancel does, without its question about the answers)
        assert heading.startswith("<h3>Was schreiben Sie?</h3>")

        window.features.ensure_loaded()
        model = window.features["history"].panel.model
        headers = [model.headerData(n, Qt.Orientation.Horizontal) for n in range(model.columnCount())]
        assert headers == ["Datum", "Autor", "Version", "Status", "Message"]
    finally:
        QApplication.instance().removeTranslator(translator)
