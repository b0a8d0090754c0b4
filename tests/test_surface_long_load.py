"""A long document's formatted surface is built a slice per event-loop turn
(``ui.surface.long_load``), with pytest-qt: a notice shows meanwhile and
takes no typing, the text shown at the end is the one a build at once
makes, what asks for the surface's text meanwhile gets the document's, a
newer text replaces the one being built, and the preview waits for the
surface and the outline.  Here "long" is made small (``large_document.LONG_CHARS``)."""

from __future__ import annotations

import pytest
from test_surface import POLICY, make_window  # noqa: F401 - the fixture: a window opening a body

from guidelines_app.ui import large_document
from guidelines_app.ui.surface import build, long_load
from guidelines_app.ui.surface.editor import RichSurface

BODY = POLICY + "".join(f"\n## Part {n}\n\nRule {n} applies to **every** post.\n\n- One\n- Two\n" for n in range(60))


@pytest.fixture
def sliced(monkeypatch):
    """Bodies over 2,000 characters count as long, built 5 blocks a turn."""
    monkeypatch.setattr(large_document, "LONG_CHARS", 2_000)
    monkeypatch.setattr(long_load, "SLICE_S", 0.0)
    monkeypatch.setattr(build, "STEP_UNITS", 5)


def test_a_long_document_shows_a_notice_then_the_text_a_build_at_once_makes(qtbot, make_window, sliced,  # noqa: F811
                                                                           monkeypatch):
    w, _ = make_window(BODY)
    surface = w.editing.surface
    assert surface.building() and surface.isReadOnly()
    assert "Opening the document" in surface.toPlainText() and "Rule 59" not in surface.toPlainText()
    assert "Rule 59 applies" in w.editor.text()  # the Markdown is all there at once
    turns = []
    surface.progress.connect(turns.append)
    qtbot.waitUntil(lambda: not surface.building(), timeout=10000)
    assert len(turns) > 3 and turns == sorted(turns) and 0 <= turns[0] < turns[-1] <= 100
    monkeypatch.setattr(large_document, "LONG_CHARS", 10**9)
    at_once = RichSurface()
    qtbot.addWidget(at_once)
    at_once.load(w.doc.body)
    assert not at_once.building()
    assert surface.toPlainText() == at_once.toPlainText()
    assert surface.document().blockCount() == at_once.document().blockCount()
    assert not surface.isReadOnly() and not w.is_modified()
    assert surface.source() == w.doc.body and surface.block_lines() == at_once.block_lines()
    qtbot.keyClicks(surface, "Typed. ")  # then it is edited as any
    w.editing.flush()
    assert "# Typed. Social media guidelines" in w.editor.text()
    assert w.is_modified()


def test_while_it_is_built_its_text_is_the_documents_and_a_save_saves_that(qtbot, make_window, sliced):  # noqa: F811
    w, slug = make_window(BODY)
    surface = w.editing.surface
    assert surface.building()
    assert surface.source() == w.doc.body  # not the notice's words
    w.editor.appendPlainText("Added in the Markdown.")
    assert w.save_revision("while building")
    saved = w.ws.load(slug).body
    assert "Opening the document" not in saved and "Rule 59 applies" in saved and "Added in the Markdown." in saved
    qtbot.waitUntil(lambda: not surface.building() and "Added in the Markdown." in surface.toPlainText(), timeout=10000)


def test_a_newer_text_replaces_the_one_being_built(qtbot, make_window, sliced, workspace, author):  # noqa: F811
    from guidelines_app.core.document import Document

    w, _ = make_window(BODY)
    surface = w.editing.surface
    assert surface.building()
    other, _ = workspace.create_document(Document.new("Short one", body="# Short one\n\nOnly this.\n"), author)
    w.refresh_documents()
    w.open_document(other)
    assert not surface.building() and "Only this." in surface.toPlainText()
    qtbot.wait(300)  # the first one's turns are over: it never shows
    assert "Only this." in surface.toPlainText() and "Rule 59" not in surface.toPlainText()


def test_a_line_asked_for_while_it_is_built_is_gone_to_once_shown(qtbot, make_window, sliced):  # noqa: F811
    w, _ = make_window(BODY)
    surface = w.editing.surface
    line = next(n for n, text in enumerate(w.editor.text().split("\n")) if text == "Rule 40 applies to **every** post.")
    surface.go_to_line(line)
    qtbot.waitUntil(lambda: not surface.building(), timeout=10000)
    assert surface.textCursor().block().text() == "Rule 40 applies to every post."


def test_the_preview_waits_for_the_surface_and_the_outline(qtbot, make_window, sliced, monkeypatch):  # noqa: F811
    """Rendering on a worker holds the interpreter half the time: a long
    document's preview starts once its surface is shown and its outline
    made, not while they are built."""
    from guidelines_app.ui import main_window, preview

    order = []
    real_render, real_outline = preview.PreviewPane.render_now, main_window.MainWindow._refresh_outline
    monkeypatch.setattr(preview.PreviewPane, "render_now",
                        lambda self, body: order.append(("preview", self.window().editing.surface.building()))
                        or real_render(self, body))
    monkeypatch.setattr(main_window.MainWindow, "_refresh_outline",
                        lambda self: order.append(("outline", self.editing.surface.building())) or real_outline(self))
    w, _ = make_window(BODY)
    qtbot.waitUntil(lambda: any(step == "preview" for step, _building in order), timeout=10000)
    previews = [n for n, (step, _building) in enumerate(order) if step == "preview"]
    outlines = [n for n, (step, _building) in enumerate(order) if step == "outline"]
    assert outlines and outlines[0] < previews[0]
    assert order[previews[0]] == ("preview", False)  # the surface was shown
    qtbot.waitUntil(lambda: "Rule 59 applies" in w.preview.toPlainText() or w.preview.shown_part is not None, timeout=10000)


def test_a_long_documents_word_count_comes_on_a_turn_of_its_own(qtbot, make_window, sliced):  # noqa: F811
    from guidelines_app.core.outline import word_count

    w, _ = make_window(BODY)
    qtbot.waitUntil(lambda: not w.editing.surface.building(), timeout=10000)
    w.editor.appendPlainText("\nFour more words here.\n")
    w.status_labels.words_label.setText("")
    w._refresh_outline()  # (as after a pause in typing)
    assert w.status_labels.words_label.text() == ""  # the outline now, the count a moment later
    expected = word_count(w.editor.text())
    qtbot.waitUntil(lambda: w.status_labels.words_label.text() == f"{expected:,} words", timeout=5000)


def test_no_edit_reaches_the_notice_while_it_is_built(qtbot, make_window, sliced):  # noqa: F811
    """Paste, the Format menu, a table or a line, and Enter on the notice
    would be thrown away with it: none of them edits it."""
    from PySide6.QtCore import QMimeData, Qt

    w, _ = make_window(BODY)
    surface = w.editing.surface
    assert surface.building()
    notice = surface.toPlainText()
    pasted = QMimeData()
    pasted.setText("Pasted text")
    surface.insertFromMimeData(pasted)  # Edit > Paste
    w.editing.format_inline("**")  # Format > Bold
    w.editing.format_heading(2)
    for text in ("&Quote", "Hori&zontal Line"):
        next(a for a in w.menus["Format"].actions() if a.text() == text).trigger()
    qtbot.keyClick(surface, Qt.Key.Key_Return)
    qtbot.keyClicks(surface, "typed")
    assert surface.toPlainText() == notice
    qtbot.waitUntil(lambda: not surface.building(), timeout=10000)
    assert "Pasted text" not in surface.toPlainText() and surface.source() == w.doc.body
    assert w.editor.text() == w.doc.body and not w.is_modified()


def test_a_build_that_fails_keeps_the_text_and_says_so(qtbot, make_window, sliced, monkeypatch):  # noqa: F811
    """A part built is never shown as the whole (its first edit would write
    the rest away): the notice says the formatted view cannot show it, and
    the document's text stays what is saved."""
    real = build.build_steps

    def broken(units, *args, **kwargs):
        steps = real(units, *args, **kwargs)
        if len(units) < 50:  # a short text (built at once): as ever
            yield from steps
            return
        yield next(steps)
        raise RuntimeError("a block Qt could not take")

    monkeypatch.setattr(build, "build_steps", broken)
    w, slug = make_window(BODY)
    surface = w.editing.surface
    qtbot.waitUntil(lambda: "cannot show this document" in surface.toPlainText(), timeout=10000)
    assert surface.building() and surface.source() == w.doc.body
    qtbot.wait(100)
    assert "cannot show this document" in surface.toPlainText() and not w.is_modified()
    w.find_bar.open_bar()
    w.find_bar.find_edit.setText("Rule 59")
    assert not w.find_bar.find_next()  # searching the notice would find nothing: it says where to search
    assert w.find_bar.status.text() == "Cannot search the formatted view: use View > Markdown Source"
    w.editing.show_source(True)
    assert w.find_bar.find_next() and w.editor.textCursor().selectedText() == "Rule 59"
    w.editing.show_source(False)
    w.editor.appendPlainText("Added in the Markdown.")
    assert w.save_revision("after the failure")
    saved = w.ws.load(slug).body
    assert "Rule 59 applies" in saved and "Added in the Markdown." in saved and "cannot show" not in saved


def test_what_happens_during_the_build_is_kept_when_it_is_shown(qtbot, make_window, sliced):  # noqa: F811
    """A line gone to, a zoom, and text changed in the Markdown while the
    surface is built: the shown document goes to that line, in that size,
    and shows (and previews) the newer text."""
    w, _ = make_window(BODY)
    surface = w.editing.surface
    qtbot.waitUntil(lambda: not surface.building(), timeout=10000)
    surface.go_to_line(next(n for n, t in enumerate(w.editor.text().split("\n")) if t == "Rule 10 applies to **every** post."))
    w.editor.appendPlainText("\nAdded while it opened.\n")  # the source changed: the surface is built again
    w.editing.refresh_surface()  # (as its timer does, at once)
    assert surface.building()
    w.editing.set_zoom(3)
    target = next(n for n, t in enumerate(w.editor.text().split("\n")) if t == "Rule 50 applies to **every** post.")
    surface.go_to_line(target)
    qtbot.waitUntil(lambda: not surface.building(), timeout=10000)
    assert surface.textCursor().block().text() == "Rule 50 applies to every post."  # not the line before the reload
    assert surface.document().defaultFont().pointSizeF() == surface.font().pointSizeF()
    assert "Added while it opened." in surface.toPlainText()
    qtbot.waitUntil(lambda: "Added while it opened." in w.preview.toPlainText()
                    or (w.preview.shown_part is not None and w.preview.last_rendered is not None
                        and "Added while it opened." in w.preview.last_rendered.html), timeout=10000)


def test_the_last_documents_outline_preview_and_count_go_at_once(qtbot, make_window, sliced, workspace, author):  # noqa: F811
    """A long document's outline, preview and word count come a moment
    after it opens: the document shown before leaves none of its own."""
    from guidelines_app.core.document import Document

    w, long_slug = make_window(BODY)
    short, _ = workspace.create_document(Document.new("Short one", body="# Short one\n\nOnly this.\n"), author)
    w.refresh_documents()
    w.open_document(short)
    qtbot.waitUntil(lambda: "Only this." in w.preview.toPlainText(), timeout=10000)
    assert w.sidebar.outline_view.topLevelItemCount() and w.status_labels.words_label.text() != ""
    w.open_document(long_slug)
    assert w.editing.surface.building()
    assert "Only this." not in w.preview.toPlainText() and w.status_labels.words_label.text() == ""
    assert w.sidebar.outline_view.topLevelItemCount() == 0
    qtbot.waitUntil(lambda: w.sidebar.outline_view.topLevelItemCount() > 0 and w.status_labels.words_label.text() != "", timeout=10000)


def test_find_asked_for_while_it_is_built_finds_once_it_is_shown(qtbot, make_window, sliced):  # noqa: F811
    """Find (and the line "who changed this" looks up) while the surface
    holds only its notice: the search says the document is still opening
    and runs once it is shown; the line is the source's, not line 0."""
    w, _ = make_window(BODY)
    surface, bar = w.editing.surface, w.find_bar
    assert surface.building() and bar.editor is surface
    w.editor.go_to_line(w.editor.text().split("\n").index("## Part 40"))
    assert w.editing.current_line() == w.editor.current_line() > 0
    bar.open_bar()
    bar.find_edit.setText("Rule 59")
    assert not bar.find_next()
    assert bar.status.text() == "Still opening the document…"
    assert bar.replace_all() == 0 and "Rule 59 applies" in w.editor.text()  # nothing replaced in the notice
    qtbot.waitUntil(lambda: not surface.building(), timeout=10000)
    qtbot.waitUntil(lambda: surface.textCursor().selectedText() == "Rule 59", timeout=5000)
    assert bar.status.text() in ("", "Wrapped around")
    bar.close_bar()


def test_a_search_waiting_for_one_document_is_not_run_in_the_next(qtbot, make_window, sliced, workspace, author):  # noqa: F811
    from guidelines_app.core.document import Document

    other, _ = workspace.create_document(Document.new("Other", body="# Other\n\nRule 59 is here too.\n"), author)
    w, _ = make_window(BODY)
    bar = w.find_bar
    bar.open_bar()
    bar.find_edit.setText("Rule 59")
    assert not bar.find_next() and bar.status.text() == "Still opening the document…"
    assert w.open_document(other)
    qtbot.wait(300)
    assert w.editing.surface.textCursor().selectedText() == ""  # not searched unasked


def test_the_features_are_imported_once_a_long_documents_surface_is_built(qtbot, make_window, sliced):  # noqa: F811
    """The features' imports run on a worker, which would take the
    interpreter from the build (GitPython's with them: a 4 MB document's
    longest stall while opening went 0.48 -> 0.82 s): they start once the
    whole text is on the surface, as for a first part, or once its build failed."""
    w, _ = make_window(BODY)
    surface, loader = w.editing.surface, w.feature_loader
    built_when_painted = []
    loader.after_first_paint(lambda: built_when_painted.append(not surface.building()))
    assert surface.building()
    qtbot.waitUntil(lambda: loader.loaded, timeout=20000)
    assert built_when_painted == [True]
    waited = []
    surface.load(BODY.replace("Rule 59", "Rule 61"))  # another long text, then its build fails
    surface.when_whole(lambda: waited.append(surface.building()))
    assert surface.building() and waited == []
    surface._build_failed(RuntimeError("never seen"))
    assert waited == [True]  # (told, though the notice stays)


def test_a_long_documents_blocks_outline_and_count_are_worked_out_on_workers(qtbot, make_window, sliced,  # noqa: F811
                                                                            monkeypatch):
    """The blocks (``split_units``), the outline and the word count of a
    long document: each held the window 0.1-0.4 s of 4 MB on its thread."""
    import threading

    from guidelines_app.core import outline as outline_module
    from guidelines_app.core.surface_text import split_units
    from guidelines_app.ui import main_window

    threads: dict[str, set] = {"units": set(), "outline": set(), "count": set()}

    def on_thread(name, func):
        return lambda *args: threads[name].add(threading.current_thread() is threading.main_thread()) or func(*args)

    monkeypatch.setattr(long_load, "split_units", on_thread("units", split_units))
    monkeypatch.setattr(main_window, "outline", on_thread("outline", outline_module.outline))
    real_count = outline_module.WordCounter.count
    monkeypatch.setattr(outline_module.WordCounter, "count", lambda self, body: on_thread("count", real_count)(self, body))
    w, _ = make_window(BODY)
    qtbot.waitUntil(lambda: not w.editing.surface.building() and w.sidebar.outline_view.topLevelItemCount() > 0
                    and w.status_labels.words_label.text() != "", timeout=10000)
    assert threads == {"units": {False}, "outline": {False}, "count": {False}}  # never on the UI thread
    assert "Rule 59 applies" in w.editing.surface.toPlainText() and w.editing.surface.source() == w.doc.body
    assert [w.sidebar.outline_view.topLevelItem(0).child(n).text(0) for n in range(2)][0] != ""
