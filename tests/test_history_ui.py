"""The history features in the real window, with pytest-qt."""

from __future__ import annotations

import datetime as _dt
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from guidelines_app.core.document import Document
from guidelines_app.core.gitstore import Identity
from guidelines_app.review import history
from guidelines_app.ui.review.compare_view import UNSAVED


@pytest.fixture
def window(qtbot, workspace, settings, author):
    body = ("# Policy\n\n## Response time\n\nWe answer within 24 hours.\n\n"
            "## Channels\n\nWe post on two channels.\n\n## Privacy\n\nNever share data.\n")
    slug, _ = workspace.create_document(Document.new("Policy", body=body), author)
    text = workspace.load(slug).to_text()
    text = text.replace("24 hours", "12 hours").replace("two channels", "three channels")
    workspace.save_text(slug, text, author, "Faster answers, more channels")
    from guidelines_app.ui.main_window import MainWindow

    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    return w


def feature(w):
    return w.features["history"]


def test_history_panel_lists_revisions(window, qtbot):
    f = feature(window)
    assert "History" in window.menus
    with qtbot.waitSignal(f.panel.loaded, timeout=10000):
        f.act_panel.trigger()
    assert f.dock.isVisible()
    assert f.panel.model.rowCount() == 2
    assert f.panel.model.data(f.panel.model.index(0, 4)) == "Faster answers, more channels"
    qtbot.waitUntil(lambda: f.panel.model.data(f.panel.model.index(1, 3)) == "Draft", timeout=10000)


def _compare_two_newest(window, qtbot):
    """The compare window of the two newest revisions, chosen in the History panel, compared."""
    f = feature(window)
    with qtbot.waitSignal(f.panel.loaded, timeout=10000):
        f.act_panel.trigger()
    f.panel.select_rows(0, 1)
    cw = f.compare_selected()
    qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
    return cw


def test_compare_two_revisions_and_step_through_changes(window, qtbot, tmp_path):
    cw = _compare_two_newest(window, qtbot)
    assert len(cw.changes) == 2 and cw.section_list.count() == 2
    assert "Small changes" in cw.verdict.text()
    assert "12" in cw.new_view.toPlainText() and "24" in cw.old_view.toPlainText()
    cw.next_button.click()
    assert cw.current == 0 and cw.position.text() == "Change 1 of 2"
    assert cw.section_list.currentItem().text().strip().startswith("Response time")
    cw.next_button.click()
    assert cw.current == 1 and cw.section_list.currentItem().text().strip().startswith("Channels")
    cw.next_button.click()
    assert cw.current == 1  # stays on the last change
    cw.prev_button.click()
    assert cw.current == 0
    cw.mode.setCurrentIndex(1)
    assert cw.stack.currentIndex() == 1 and "12" in cw.inline_view.toPlainText()
    with qtbot.waitSignal(cw.exported, timeout=20000) as done:
        out = cw.export("docx", str(tmp_path / "changes.docx"))  # written in the background
    assert done.args == [str(out)] and out.exists() and (tmp_path / "changes (clean).docx").exists()
    assert window.statusBar().currentMessage() == f"Exported {out} and a clean copy changes (clean).docx"
    cw.grab().save(str(tmp_path / "compare.png"))


def _record_page_builds(monkeypatch) -> list:
    from guidelines_app.review import compare_first

    built = []  # the views each build of pages made, in order
    real = compare_first.render_pages

    def recording(result, sides, colours=None, changes_only=False):
        built.append(tuple(sides))
        return real(result, sides, changes_only=changes_only)

    monkeypatch.setattr(compare_first, "render_pages", recording)
    return built


def test_compare_paints_the_chosen_layout_first_and_builds_the_other_after(window, qtbot, monkeypatch):
    built = _record_page_builds(monkeypatch)
    f = feature(window)
    cw = f.open_compare("HEAD~1", "HEAD")
    qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
    assert built[0] == ("old", "new")  # side by side, the layout shown: only its two columns before the first paint
    assert "12" in cw.new_view.toPlainText() and "24" in cw.old_view.toPlainText()
    qtbot.waitUntil(lambda: "12" in cw.inline_view.toPlainText(), timeout=10000)  # the inline view, built after
    assert built[1] == ("inline",)
    cw.mode.setCurrentIndex(1)
    built.clear()
    cw.recompute()  # with the inline layout chosen, it comes first
    qtbot.waitUntil(lambda: cw.diff is not None and len(built) >= 2, timeout=10000)
    assert built == [("inline",), ("old",), ("new",)]  # (the whole pages: a view at a time)
    qtbot.waitUntil(lambda: "24" in cw.old_view.toPlainText(), timeout=10000)


def test_compare_of_a_long_policy_paints_its_first_sections_then_the_whole(qtbot, workspace, settings, author, monkeypatch):
    from guidelines_app.review import compare_first
    from guidelines_app.ui.main_window import MainWindow
    from guidelines_app.ui.review import compare_pages

    monkeypatch.setattr(compare_first, "HEAD_BLOCKS", 4)
    body = "".join(f"## Part {n}\n\nRule {n} applies to every post.\n\n" for n in range(1, 41))
    slug, _ = workspace.create_document(Document.new("Long policy", body=body), author)
    text = workspace.load(slug).to_text().replace("Rule 1 applies", "Rule 1 always applies")
    workspace.save_text(slug, text.replace("Rule 40 applies", "Rule 40 never applies"), author, "Two rules")
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    built = _record_page_builds(monkeypatch)
    building, release = compare_pages.build_pages, threading.Event()

    def held(*args):  # the worker's whole pages wait until the test has seen the first paint
        release.wait(10)
        return building(*args)

    monkeypatch.setattr(compare_pages, "build_pages", held)
    cw = w.features["history"].open_compare("HEAD~1", "HEAD")
    qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
    first = cw.new_view.toPlainText()
    assert "Rule 1 always applies" in first and "Part 40" not in first  # the first sections only
    assert built[0] == ("old", "new")
    assert "Part 40" not in cw.inline_view.toPlainText()
    cw.next_change()
    cw.next_change()  # the second change is in the last section: the whole page is there to go to
    assert cw.current == 1 and "Rule 40 never applies" in cw.new_view.toPlainText()
    release.set()
    qtbot.waitUntil(lambda: "Part 40" in cw.inline_view.toPlainText(), timeout=10000)  # the rest, from the worker
    assert cw.old_view.toPlainText().count("Part ") == 40 and cw.inline_view.toPlainText().count("Part ") == 40


def test_compare_names_who_made_each_change(window, qtbot, workspace, author):
    other = Identity("Lee Chen", "lee@example.org")
    text = workspace.load(window.slug).to_text().replace("three channels", "four channels")
    workspace.save_text(window.slug, text, other, "Add a channel")
    window.reload_document()
    f = feature(window)
    first = workspace.history(window.slug)[-1].sha
    cw = f.open_compare(first, "HEAD")
    with qtbot.waitSignal(cw.authors_found, timeout=10000):
        pass
    items = {cw.section_list.item(n).text().split(" — ")[0].strip(): cw.section_list.item(n) for n in range(cw.section_list.count())}
    assert items["Response time"].text().endswith("· " + author.name)
    assert items["Channels"].text().endswith("· Lee Chen")
    assert "Lee Chen" in items["Channels"].toolTip() and "Add a channel" in items["Channels"].toolTip()
    changed_by = cw.verdict.text().split("Changed by ")[1].rstrip(".")
    assert sorted(changed_by.split(", ")) == sorted(["Lee Chen", author.name])


def test_compare_unsaved_edits_with_last_saved(window, qtbot):
    f = feature(window)
    window.editor.set_text(window.editor.text().replace("Never share data.", "Never share personal data."))
    window.editor.document().setModified(True)
    cw = f.open_compare("HEAD", UNSAVED)
    qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
    assert [r.title for r in cw.diff.rows if r.changed] == ["Privacy"]
    assert "personal" in cw.new_view.toPlainText()  # the layout shown first
    qtbot.waitUntil(lambda: "personal" in cw.inline_view.toPlainText(), timeout=10000)  # the other one, built after
    window.editor.document().setModified(False)  # no "save changes?" prompt at teardown


def test_publish_a_version(window, qtbot, workspace, monkeypatch):
    f = feature(window)
    dialog_box = {}
    threads = _on_threads(monkeypatch, history, "publish")

    def fill(left=2400):  # the dialog opens once the checks, worked out on a worker, are in (a minute, at most)
        d = QApplication.activeModalWidget()
        if d is None or d.objectName() != "publish-dialog":
            if left:
                QTimer.singleShot(25, lambda: fill(left - 1))
            return
        dialog_box["d"] = d
        d.major.setChecked(True)
        d.buttons.accepted.emit()  # empty summary: refused with a message
        assert d.error.isVisible() and "summary" in d.error.text()
        d.summary.setPlainText("First approved version")
        d.approver.setText("Dana Approver")
        d.buttons.accepted.emit()

    QTimer.singleShot(0, fill)
    f.publish_dialog()
    assert dialog_box["d"].objectName() == "publish-dialog"
    [pub] = history.publications(workspace, window.slug)
    assert str(pub.version) == "1.0" and pub.approver == "Dana Approver"
    assert threads and threads[0] is not threading.main_thread()  # the commit and tag written on a worker
    assert window.doc.status == "approved" and window.doc.version == "1.0"
    with qtbot.waitSignal(f.panel.loaded, timeout=10000):
        f.act_panel.trigger()
    assert f.panel.model.data(f.panel.model.index(0, 2)) == "v1.0"
    assert f.panel.model.data(f.panel.model.index(0, 3)) == "Approved"


def _on_threads(monkeypatch, module, name: str) -> list:
    """The threads *module.name* runs on, from now on."""
    threads, real = [], getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a, **k: threads.append(threading.current_thread()) or real(*a, **k))
    return threads


def test_restore_from_panel(window, qtbot, monkeypatch):
    f = feature(window)
    with qtbot.waitSignal(f.panel.loaded, timeout=10000):
        f.act_panel.trigger()
    oldest = f.panel.model.entries[-1].sha
    threads = _on_threads(monkeypatch, history, "restore")
    commit = f.restore(oldest, confirm=False)
    assert commit and "24 hours" in window.editor.text()
    assert threads and threads[0] is not threading.main_thread()  # the commit written on a worker
    qtbot.waitUntil(lambda: f.panel.model.rowCount() == 3, timeout=10000)


def test_blame_and_overdue_banner(window, qtbot, author):
    f = feature(window)
    window.editor.go_to_line(window.editor.text().split("\n").index("We answer within 12 hours."))
    with qtbot.waitSignal(f.blame_shown, timeout=10000) as shown:
        f.blame_at_cursor()  # git blame runs in the background
    para = shown.args[0]
    assert para.author == author.name and para.summary == "Faster answers, more channels"
    assert "12 hours" in para.text and f.last_blame_box.isVisible()
    f.last_blame_box.close()
    assert not f.banner.isVisible()
    window.doc.meta["next_review"] = (_dt.date.today() - _dt.timedelta(days=3)).isoformat()
    window.save_revision("Review date passed")
    assert f.banner.isVisible() and "overdue" in f.banner.label.text()


def test_redline_export_problem_is_told_in_plain_words(window, qtbot, tmp_path):
    f = feature(window)
    cw = f.open_compare("HEAD~1", "HEAD")
    qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
    seen = {}

    def answer():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, answer)  # the export runs in the background
            return
        seen["text"] = box.text() + " " + box.informativeText()
        box.accept()

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    QTimer.singleShot(20, answer)
    cw.export("docx", str(blocker / "changes.docx"))
    qtbot.waitUntil(lambda: "text" in seen, timeout=20000)
    assert "Choose another folder" in seen["text"] and "Traceback" not in seen["text"]
    # The button comes back once the message box's own event loop has returned.
    qtbot.waitUntil(cw.export_button.isEnabled, timeout=5000)
    assert not (blocker / "changes.docx").exists()


def test_filter_history_and_see_what_one_revision_changed(window, qtbot):
    f = feature(window)
    with qtbot.waitSignal(f.panel.loaded, timeout=10000):
        f.act_panel.trigger()
    panel = f.panel
    assert panel.table.model() is panel.model  # no filter: the list is the model itself
    panel.select_rows(0)
    panel.filter.setText("FASTER")  # case does not matter
    assert panel.proxy.rowCount() == 1 and panel.model.rowCount() == 2
    assert panel.table.model() is panel.proxy
    # The selection kept through the filter, and the buttons follow it.
    assert panel.selected_shas() == [panel.model.entries[0].sha] and panel.view_button.isEnabled()
    panel.filter.clear()
    assert panel.table.model() is panel.model and panel.selected_shas() == [panel.model.entries[0].sha]
    panel.select_rows(1)  # the older revision, which the filter hides
    panel.filter.setText("FASTER")
    assert panel.selected_shas() == [] and not panel.view_button.isEnabled()
    panel.table.clearSelection()
    panel.table.selectRow(0)
    assert panel.view_button.isEnabled()  # the filtered list's selection is watched too
    panel.table.selectRow(0)
    assert panel.selected_shas() == [panel.model.entries[0].sha]  # mapped through the filter
    cw = f.compare_with_previous()
    qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
    assert [r.title for r in cw.diff.rows if r.changed] == ["Response time", "Channels"]
    # The older revision is row 0 of the filtered view but row 1 of the history.
    panel.filter.setText(panel.model.entries[1].revision.subject[:12])
    assert panel.proxy.rowCount() == 1
    panel.table.selectRow(0)
    assert panel.selected_shas() == [panel.model.entries[1].sha]
    panel.filter.clear()
    assert panel.proxy.rowCount() == 2
    # The first revision has nothing before it: said in words, no compare window.
    shown = {}

    def answer():
        box = QApplication.activeModalWidget()
        shown["text"] = box.text()
        box.accept()

    QTimer.singleShot(0, answer)
    assert f.compare_with_previous(panel.model.entries[-1].sha) is None
    assert "created the document" in shown["text"]


def test_redline_export_finishes_after_its_window_is_closed(window, qtbot, tmp_path):
    f = feature(window)
    cw = f.open_compare("HEAD~1", "HEAD")
    qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
    target = cw.export("docx", str(tmp_path / "late.docx"))
    # No event is handled before the asserts, so the export is surely running.
    assert not cw.export_button.isEnabled()
    cw.old_combo.setCurrentIndex(cw.new_combo.currentIndex())  # another comparison meanwhile
    cw._set_navigation_enabled(True)  # as when that comparison is shown
    assert not cw.export_button.isEnabled()  # still one export at a time
    cw.close()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Exported"), timeout=20000)
    assert target.exists() and str(target) in window.statusBar().currentMessage()


def test_authors_follow_the_text_compared_not_later_typing(window, qtbot, workspace):
    other = Identity("Lee Chen", "lee@example.org")
    text = workspace.load(window.slug).to_text().replace("three channels", "four channels")
    workspace.save_text(window.slug, text, other, "More channels")
    window.reload_document()
    window.editor.set_text(window.editor.text().replace("Never share data.", "Never share personal data."))
    window.editor.document().setModified(True)
    first = workspace.history(window.slug)[-1].sha
    cw = feature(window).open_compare(first, UNSAVED)
    # Typing while the comparison runs moves every line down.
    window.editor.set_text(window.editor.text().replace("# Policy\n", "# Policy\n\nOne.\n\nTwo.\n\nThree.\n\n"))
    with qtbot.waitSignal(cw.authors_found, timeout=10000):
        pass
    items = {cw.section_list.item(n).text().split(" — ")[0].strip(): cw.section_list.item(n).text()
             for n in range(cw.section_list.count())}
    assert items["Channels"].endswith("· Lee Chen")
    assert items["Privacy"].endswith("· you (not saved yet)")
    window.editor.document().setModified(False)


def test_redline_from_the_compare_view_uses_the_house_style(window, qtbot, tmp_path):
    import docx
    from docx.shared import Pt

    house = docx.Document()
    house.styles["Heading 1"].font.name = "Georgia"
    house.styles["Heading 1"].font.size = Pt(27)
    house.save(tmp_path / "house.docx")
    window.settings.reference_docx = str(tmp_path / "house.docx")
    cw = feature(window).open_compare("HEAD~1", "HEAD")
    qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
    with qtbot.waitSignal(cw.exported, timeout=20000):
        target = cw.export("docx", str(tmp_path / "changes.docx"))
    for written in (target, tmp_path / "changes (clean).docx"):
        styles = docx.Document(str(written)).styles
        assert styles["Heading 1"].font.name == "Georgia" and styles["Heading 1"].font.size == Pt(27), written


def test_compare_from_the_menu_names_the_versions_without_reading_the_history_first(window, qtbot, workspace, author, monkeypatch):
    from guidelines_app.review.compare_first import entry_label
    from guidelines_app.ui.review import feature as feature_module

    history.publish(workspace, window.slug, "First approved version", "Dana Approver", author, kind="major")
    window.reload_document()
    f = feature(window)
    assert not f.panel.model.entries  # the History panel was never opened
    real, reads = history.history, []

    def recorded(*args, **kwargs):
        reads.append((threading.current_thread() is threading.main_thread(), cw_box and cw_box[0].diff is not None))
        return real(*args, **kwargs)

    cw_box = []
    monkeypatch.setattr(feature_module.history, "history", recorded)
    cw = f.open_compare("HEAD~1", "HEAD")
    cw_box.append(cw)
    qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
    entries = real(workspace, window.slug)
    # Named as the panel names them (the published version too), read with the comparison.
    assert cw.old_combo.currentText() == entry_label(entries[1]) and "v1.0 · " in cw.new_combo.currentText()
    assert cw.new_header.text() == f"<b>After:</b> {entry_label(entries[0])}"
    # The other versions to choose from come after the first paint, read on a worker.
    qtbot.waitUntil(lambda: cw.old_combo.count() == len(entries) + 1, timeout=10000)
    assert not any(on_ui for on_ui, _compared in reads)  # nothing of the whole history on the UI thread
    assert [cw.sides[cw.old_combo.currentIndex()].revision, cw.sides[cw.new_combo.currentIndex()].revision] == [e.sha for e in entries[1::-1]]
    assert [cw.new_combo.itemText(n) for n in range(1, cw.new_combo.count())] == [entry_label(e) for e in entries]
    # Only the newest revisions are offered, and the ones compared stay.
    monkeypatch.setattr(feature_module, "SIDES_OFFERED", 1)
    cw.close()
    again = f.open_compare(entries[-1].sha, "HEAD")
    qtbot.waitUntil(lambda: again.diff is not None and again.sides[1].revision == entries[0].sha, timeout=10000)
    assert [side.revision for side in again.sides] == [UNSAVED, entries[0].sha, entries[-1].sha]
    assert again.old_combo.currentText() == entry_label(entries[-1]) and again.new_combo.currentIndex() == 1


def test_a_closed_compare_window_is_opened_again_for_the_next_comparison(window, qtbot):
    f = feature(window)
    first = f.open_compare("HEAD~1", "HEAD")
    qtbot.waitUntil(lambda: first.diff is not None and len(first.pages.full) == 3, timeout=10000)
    first.mode.setCurrentIndex(1)
    first.close()
    assert "12" not in first.inline_view.toPlainText()  # closed, it lets its pages go
    again = f.open_compare("HEAD", UNSAVED)
    assert again is first and again.isVisible() and again.diff is None and again.mode.currentIndex() == 0
    qtbot.waitUntil(lambda: again.diff is not None, timeout=10000)
    assert not again.diff.has_changes and again.section_list.count() == 0
    assert again.sides[again.new_combo.currentIndex()].revision == UNSAVED
    other = f.open_compare("HEAD~1", "HEAD")  # while that one is open: a new window
    assert other is not first
    qtbot.waitUntil(lambda: other.diff is not None, timeout=10000)
    assert len(other.changes) == 2 and "24" in other.old_view.toPlainText()


def test_view_an_old_revision_markdown_at_once_formatted_when_ready(window, qtbot, workspace):
    f = feature(window)
    first = workspace.history(window.slug)[-1].sha
    view = f.view_revision(first)
    qtbot.addWidget(view)
    assert "We answer within 24 hours." in view.raw.toPlainText() and "## Response time" in view.raw.toPlainText()
    with qtbot.waitSignal(view.formatted, timeout=10000):
        pass
    shown = view.rendered.toPlainText()
    assert "We answer within 24 hours." in shown and "Response time" in shown and "##" not in shown
    assert "12 hours" not in shown  # that revision's text, not the newest
    from guidelines_app.core.colours import page_css
    from guidelines_app.ui import appearance

    assert view.rendered.document().defaultStyleSheet() == page_css(appearance.current())  # the preview's look


def test_the_whole_pages_do_not_wait_long_for_the_names(window, qtbot, monkeypatch):
    from guidelines_app.review import blame, compare_first
    from guidelines_app.ui.review import compare_pages, compare_view

    real, release = blame.change_authors, threading.Event()

    def slow(*args, **kwargs):  # git blame over a long range: seconds
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(blame, "change_authors", slow)
    monkeypatch.setattr(compare_view, "AUTHORS_WAIT_MS", 100)
    monkeypatch.setattr(compare_first, "HEAD_BLOCKS", 2)  # the first paint shows the first sections only
    cw = feature(window).open_compare("HEAD~1", "HEAD")
    qtbot.waitUntil(lambda: cw.diff is not None, timeout=5000)
    assert "Never share data." not in cw.old_view.toPlainText()
    # The layout shown: its whole pages; the other layout's come after the names.
    qtbot.waitUntil(lambda: cw.pages.full == set(compare_pages.MODE_SIDES[0]) and not cw.pages.building, timeout=5000)
    assert "Never share data." in cw.old_view.toPlainText() and not cw.authors and not cw.inline_view.toPlainText()
    with qtbot.waitSignal(cw.authors_found, timeout=10000):
        release.set()
    assert cw.authors
    qtbot.waitUntil(lambda: "12" in cw.inline_view.toPlainText(), timeout=5000)


def test_the_two_columns_start_level_when_one_caption_wraps(qtbot, workspace, settings, author):
    long_message = "Faster answers " + "and a much longer message that wraps " * 4
    body = "# Policy\n\n## Response time\n\nWe answer within 24 hours.\n"
    slug, _ = workspace.create_document(Document.new("Policy", body=body), author)
    workspace.save_text(slug, workspace.load(slug).to_text().replace("24", "12"), author, long_message)
    from guidelines_app.ui.main_window import MainWindow
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    cw = feature(w).open_compare("HEAD~1", "HEAD")
    cw.resize(900, 600)
    qtbot.waitUntil(lambda: cw.diff is not None and long_message.strip()[:20] in cw.new_header.text(), timeout=10000)
    qtbot.waitUntil(lambda: cw.new_header.height() > cw.new_header.fontMetrics().height() * 1.5, timeout=5000)
    top = cw.old_view.mapTo(cw, cw.old_view.rect().topLeft()).y()
    assert top == cw.new_view.mapTo(cw, cw.new_view.rect().topLeft()).y()
    cw.close()


def test_compare_revisions_with_too_few_says_so_in_words(qtbot, workspace, settings, author):
    """One saved revision: "policy has only 1 saved revision; HEAD~1 goes
    back further" (the CLI's words) and advice to save a revision first,
    which the user had done."""
    from guidelines_app.ui.main_window import MainWindow

    workspace.create_document(Document.new("Social Policy", body="# Social Policy\n\nBe kind.\n"), author)
    (workspace.root / "guidelines" / "fresh.md").write_text("---\ntitle: Fresh Notes\n---\n# Fresh\n", encoding="utf-8")
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    shown = []

    def answer():
        box = QApplication.activeModalWidget()
        shown.append((box.windowTitle(), box.text(), box.informativeText()))
        box.accept()

    for slug, action, words in (("social-policy", "act_compare", "“Social Policy” has only one saved revision so far"),
                                ("fresh", "act_compare_saved", "“Fresh Notes” has no saved revision yet")):
        w.open_document(slug)
        before = len(shown)
        QTimer.singleShot(0, answer)
        getattr(feature(w), action).trigger()  # (the box's own event loop answers it)
        assert len(shown) == before + 1
        title, text, advice = shown[-1]
        assert title == "Nothing to compare yet" and words in text
        assert "HEAD" not in text + advice and slug not in text + advice
    assert "Save another revision" in shown[0][2] and "Save a revision first" in shown[1][2]
    assert not [c for c in feature(w).compare_windows if c.isVisible()]


def test_compare_with_the_saved_revision_without_edits_says_so_and_opens_nothing(window, qtbot):
    f = feature(window)
    assert f.compare_with_saved() is None
    assert window.statusBar().currentMessage() == "No changes since the last saved revision"
    assert not [c for c in f.compare_windows if c.isVisible()]
    window.editor.setPlainText(window.editor.text().replace("12 hours", "6 hours"))
    cw = f.compare_with_saved()
    qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
    assert cw.isVisible() and len(cw.changes) == 1


def test_the_version_boxes_show_each_whole_name_where_they_cut_it(window, qtbot):
    """At 1,300 px the boxes read "... · Dana Reviewer · Publ": the message
    that tells revisions of one day apart was cut, with nothing to show it."""
    f = feature(window)
    cw = f.open_compare("HEAD~1", "HEAD")
    qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
    for combo in (cw.old_combo, cw.new_combo):
        assert "·" in combo.currentText() and combo.toolTip() == combo.currentText()
        widest = max(combo.view().fontMetrics().horizontalAdvance(combo.itemText(n)) for n in range(combo.count()))
        assert combo.view().minimumWidth() >= min(widest, combo.screen().availableGeometry().width() - 80)
    assert "Faster answers, more channels" in cw.new_combo.toolTip()
    cw.new_combo.setCurrentIndex(cw.old_combo.currentIndex())
    assert cw.new_combo.toolTip() == cw.old_combo.currentText()
    cw.close()


def test_restore_is_offered_only_where_it_changes_something(window, qtbot):
    """Restore… on the newest revision asked "Make this revision the newest
    one?" of the newest one, and did nothing."""
    f = feature(window)
    with qtbot.waitSignal(f.panel.loaded, timeout=10000):
        f.act_panel.trigger()
    panel = f.panel
    panel.select_rows(0)
    assert not panel.restore_button.isEnabled() and panel.view_button.isEnabled()
    before = len(window.ws.history(window.slug))
    f.restore_selected()  # (a key or a stale menu: said, nothing asked)
    assert window.statusBar().currentMessage().startswith("This is already the newest revision")
    assert len(window.ws.history(window.slug)) == before
    panel.select_rows(1)
    assert panel.restore_button.isEnabled()
    window.editor.setPlainText(window.editor.text() + "\nAn edit not saved.\n")
    window.editor.document().setModified(True)  # (as typing leaves it)
    assert window.is_modified()
    panel.select_rows(0)  # the newest, with edits not saved: restoring it takes them back
    assert panel.restore_button.isEnabled()


def test_a_revision_tooltip_starts_with_its_author_not_its_id(window, qtbot):
    f = feature(window)
    with qtbot.waitSignal(f.panel.loaded, timeout=10000):
        f.act_panel.trigger()
    model = f.panel.model
    tip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    r = model.entries[0].revision
    assert tip.startswith(f"{r.author} <{r.email}>\n{r.date.day} ") and tip.endswith(f"Revision {r.short}")
    assert "Faster answers, more channels" in tip


def test_every_export_proposes_the_folder_of_the_last_one(window, qtbot, tmp_path, monkeypatch):
    """A Word export proposed the folder last exported to; the redline
    proposed the home folder, as "<name> changes.docx"."""
    from PySide6.QtWidgets import QFileDialog

    folder = tmp_path / "Exports"
    folder.mkdir()
    proposed = []

    def ask(_parent, _title, suggested, *_rest, **_kw):
        proposed.append(suggested)
        return (str(folder / f"answer-{len(proposed)}.docx"), "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    controller = window.features["export"]
    with qtbot.waitSignal(controller.export_done, timeout=20000):
        controller.export_current("docx")
    cw = _compare_two_newest(window, qtbot)
    with qtbot.waitSignal(cw.exported, timeout=20000):
        cw.export("docx")
    assert proposed[1] == str(folder / f"{window.slug}-changes.docx")
