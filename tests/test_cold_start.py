"""The window's start (issue 16, cold start): what waits for the first paint
(the outline, the word count, the preview, the app's icon) still arrives, and what the
first paint does not need is not imported before it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from guidelines_app.core.document import Document
from guidelines_app.core.outline import word_count

REPO = Path(__file__).resolve().parent.parent

CHILD = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import gc
collecting = gc.isenabled()
from guidelines_app.ui.app import _prepare_application, create_window
print("COLLECTING", collecting == gc.isenabled())
app = _prepare_application()
window = create_window(["--workspace", sys.argv[1], "policy"])
from PySide6.QtCore import QEvent, QObject, QTimer
watched = ("markdown", "yaml", "guidelines_app.core.markup", "guidelines_app.core.md_engine")


class FirstPaint(QObject):
    seen = False

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            print("BEFORE", sorted(m for m in watched if m in sys.modules))
            print("WORDS", repr(window.words_label.text()))
            print("OUTLINE", [s.title for s in window.sidebar.sections], window.outline_view.topLevelItemCount())
            print("ICON", window.windowIcon().isNull())
        return False


first = FirstPaint(app)
window.editing.surface.viewport().installEventFilter(first)
window.show()
import time
deadline = time.monotonic() + 60
while not (window.feature_loader.loaded and window.preview.toPlainText().strip() and window.words_label.text()) \\
        and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
print("AFTER", sorted(m for m in watched if m in sys.modules))
print("WORDS", repr(window.words_label.text()))
print("OUTLINE", [s.title for s in window.sidebar.sections], window.outline_view.topLevelItemCount())
print("ICON", window.windowIcon().isNull())
print("PREVIEW", "Second part" in window.preview.toPlainText())
window.close()
"""


def test_the_first_paint_needs_neither_markdown_nor_yaml_and_what_waits_for_it_arrives(tmp_path, workspace, author):
    body = "# Policy\n\n## First part\n\nSome words here.\n\n## Second part\n\nMore words, and [a link](https://example.org).\n"
    workspace.create_document(Document.new("Policy", "Example Org", ["Communications"], body=body), author)
    env = dict(os.environ, PYTHONPATH=str(REPO), GUIDELINES_CONFIG_DIR=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, "-c", CHILD, str(workspace.root)], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    out = [line.split(" ", 1) for line in done.stdout.splitlines() if " " in line]
    seen = {}
    for key, value in out:
        seen.setdefault(key, []).append(value)
    report = done.stdout + done.stderr
    assert seen.get("COLLECTING") == ["True"], report  # importing the app leaves the collector as it was
    assert seen.get("BEFORE") == ["[]"], report  # the details block is plain: read without PyYAML
    assert "'guidelines_app.core.markup'" in seen.get("AFTER", [""])[0] and "'markdown'" in seen["AFTER"][0], report
    count = word_count(body)
    assert seen.get("WORDS") == ["''", repr(f"{count} words")], report  # counted just after the first paint
    assert seen.get("OUTLINE") == ["[] 0", "['Policy', 'First part', 'Second part'] 1"], report  # outlined after it
    assert seen.get("PREVIEW") == ["True"], report  # rendered after it
    assert seen.get("ICON") == ["True", "False"], report  # the app's icon: set once painted
