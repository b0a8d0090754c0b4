"""UI text is ready for translation: scripts/extract_strings.py collects the
menu and dialog strings with pyside6-lupdate, and a translation made from
that file (compiled with pyside6-lrelease) changes the menus."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parent.parent

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


def test_a_translation_changes_the_menus(strings, tmp_path, qtbot, workspace, settings):
    text = strings.read_text(encoding="utf-8")
    for source, translated in (("&amp;File", "&amp;Datei"), ("&amp;Help", "&amp;Hilfe"), ("&amp;User Guide", "&amp;Handbuch")):
        text = re.sub(rf"(<source>{re.escape(source)}</source>\s*)<translation type=\"unfinished\"></translation>",
                      rf"\g<1><translation>{translated}</translation>", text, count=1)
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
    finally:
        QApplication.instance().removeTranslator(translator)
