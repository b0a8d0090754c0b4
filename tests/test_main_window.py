"""The main window, driven like a user would, on the offscreen platform."""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from guidelines_app.core.document import Document
from guidelines_app.core.outline import outline
from guidelines_app.core.settings import Settings
from guidelines_app.ui.dialogs import IdentityDialog, NewDocumentDialog
from guidelines_app.ui.main_window import MainWindow

BODY = "# Social media guidelines\n\n## Who\n\nEveryone who posts.\n\n## How\n\nBe kind.\n\n## When\n\nDuring launches.\n"


def git_log(ws) -> list[str]:
    out = subprocess.run(["git", "-C", str(ws.root), "log", "--format=%s"], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()


@pytest.fixture
def window(qtbot, workspace, settings, author):
    doc = Document.new("Social media guidelines", "Acme", body=BODY)
    workspace.create_document(doc, author)
    w = MainWindow(workspace, settings)
    # pytest-qt closes widgets before fixtures are torn down: drop unsaved
    # edits first so closing does not wait on the "unsaved changes" prompt.
    qtbot.addWidget(w, before_close_func=_discard_edits)
    w.show()
    qtbot.waitUntil(lambda: "Be kind." in w.preview.toPlainText(), timeout=5000)
    return w


def _discard_edits(w: MainWindow) -> None:
    w.editor.document().setModified(False)
    if w.doc is not None and w.ws.exists(w.slug):
        w.doc = w.ws.load(w.slug)


def click_in_modal(button: QMessageBox.StandardButton, seen: list):
    def handler():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.button(button).click()
        else:
            QTimer.singleShot(50, handler)
    QTimer.singleShot(50, handler)


def test_window_opens_the_document_with_outline_and_preview(window, qtbot):
    assert window.slug == "social-media-guidelines"
    assert window.editor.text() == BODY
    titles = []
    it = [window.outline_view.topLevelItem(i) for i in range(window.outline_view.topLevelItemCount())]
    while it:
        item = it.pop(0)
        titles.append(item.text(0))
        it[:0] = [item.child(i) for i in range(item.childCount())]
    assert titles == ["Social media guidelines", "Who", "How", "When"]
    assert "Social media guidelines" in window.windowTitle()
    # A heading with marks is listed as the text shows it, not as Markdown writes it.
    window.sidebar.show_sections(outline("# Use **bold** and [a link](x)\n\n## 1\\. Scope\n"))
    shown = [window.outline_view.topLevelItem(0).text(0), window.outline_view.topLevelItem(0).child(0).text(0)]
    assert shown == ["Use bold and a link", "1. Scope"]
    # Counted, and read on a worker, after the first paint (the start waits for neither the count nor git).
    qtbot.waitUntil(lambda: window.words_label.text() == "13 words", timeout=5000)
    qtbot.waitUntil(lambda: window.revision_label.text().startswith("Saved today "), timeout=5000)  # no revision id


def test_the_start_shows_the_text_before_git_says_who_saved_it(qtbot, workspace, settings, author):
    """The latest revision ("Saved today ... by ...") is read on a worker
    once the window is painted; the status, from the text, is there at once;
    the document asked for is the one opened (the first one is not built)."""
    workspace.create_document(Document.new("Alpha", "Acme", body="First.\n"), author)
    second, _ = workspace.create_document(Document.new("Social media guidelines", "Acme", body=BODY), author)
    w = MainWindow(workspace, settings, second)
    qtbot.addWidget(w)
    assert w.slug == second and w.editor.text() == BODY
    assert w.revision_label.text() == ""
    assert w.status_label.text() == "Draft"  # (a draft's number is not a version: none was published)
    w.show()
    qtbot.waitUntil(lambda: w.revision_label.text() == f"Saved today {_clock(workspace, second)} by {author.name}",
                    timeout=5000)
    w.open_document(sorted(d.slug for d in workspace.documents())[0])  # after the start: at once
    assert w.revision_label.text().startswith("Saved today ")


def test_a_message_in_a_narrow_window_is_shown_whole_and_the_saved_label_gives_way(window, qtbot):
    """Qt shows the status bar's messages left of its permanent labels: in a
    window about 800 px wide "Saved revision “...” by ..." was cut short.
    The last saved revision's label narrows while a message is shown (its
    text cut with "…") and widens again once it is gone."""
    from PySide6.QtWidgets import QWidget

    qtbot.waitUntil(lambda: window.revision_label.text().startswith("Saved today "), timeout=5000)
    window.resize(800, 600)
    bar, label = window.statusBar(), window.revision_label
    qtbot.waitUntil(lambda: label.width() >= label.sizeHint().width())
    full = label.width()
    message = "Saved revision “Tone, escalation and response times” by Dana Reviewer"

    def room() -> int:  # the message's: left of the first permanent label
        shown = [w for w in bar.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                 if w.isVisible() and not w.isWindow()]
        return min(w.x() for w in shown)

    assert room() < bar.fontMetrics().horizontalAdvance(message)  # (it would be cut)
    bar.showMessage(message, 60000)
    qtbot.waitUntil(lambda: room() >= bar.fontMetrics().horizontalAdvance(message))
    assert label.isVisible() and label.minimumSizeHint().width() <= label.width() < full
    assert label.text().startswith("Saved today ")  # the text stays whole; only its painting is cut
    bar.clearMessage()
    qtbot.waitUntil(lambda: label.width() == full)


def _clock(workspace, slug) -> str:
    return workspace.history(slug, max_count=1)[0].date.astimezone().strftime("%H:%M")


def test_typing_updates_the_preview_and_ctrl_s_commits(window, qtbot):
    editor = window.editor
    editor.go_to_line(len(BODY.split("\n")))
    for line in ("", "## Where", "", "On LinkedIn only."):
        qtbot.keyClicks(editor, line)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert window.is_modified()
    assert window.isWindowModified()
    qtbot.waitUntil(lambda: "On LinkedIn only." in window.preview.toPlainText(), timeout=5000)
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # saved on a worker
    qtbot.waitUntil(lambda: not window.saving.running(), timeout=10000)
    assert not window.is_modified()
    assert git_log(window.ws)[0] == "Add Where"
    assert "On LinkedIn only." in window.ws.path(window.slug).read_text()
    assert window.state_label.text() == ""  # the revision label says it: "Saved today 06:17 by ..."
    assert window.revision_label.text().startswith("Saved today ")


def test_outline_click_moves_the_cursor_and_cursor_selects_outline(window, qtbot):
    item = window.outline_view.topLevelItem(0).child(2)  # When
    window.outline_view.itemClicked.emit(item, 0)
    assert window.editor.textCursor().block().text() == "## When"
    window.editor.go_to_line(4)  # "Everyone who posts." under Who
    assert window.outline_view.currentItem().text(0) == "Who"


def test_the_outline_keeps_its_items_while_the_headings_keep_their_levels(qtbot):
    """A pause in typing shows the outline again: the same levels, and the
    items stay (only a changed title is written), go where the headings are
    now, and stay collapsed where the reader collapsed them."""
    from guidelines_app.ui.sidebar import DocumentSidebar

    sidebar = DocumentSidebar()
    qtbot.addWidget(sidebar)
    chosen: list[int] = []
    sidebar.line_chosen.connect(chosen.append)
    sidebar.show_outline("# Policy\n\n## Who\n\nStaff.\n\n## When\n\nAlways.\n")
    items = list(sidebar._outline_items)
    top = sidebar.outline_view.topLevelItem(0)
    top.setExpanded(False)
    sidebar.show_outline("# Policy\n\nIntro.\n\nMore.\n\n## Who posts\n\nStaff.\n\n## When\n\nAlways.\n")
    assert sidebar._outline_items == items and not top.isExpanded()
    assert [i.text(0) for i in items] == ["Policy", "Who posts", "When"]
    sidebar.outline_view.itemClicked.emit(items[2], 0)
    assert chosen == [10]  # "## When", four lines further down now
    sidebar.show_outline("# Policy\n\n## Who\n\n### Staff\n\n## When\n")  # another heading: made again
    assert [sidebar.outline_view.topLevelItem(0).child(i).text(0) for i in range(2)] == ["Who", "When"]
    assert sidebar.outline_view.topLevelItem(0).child(0).child(0).text(0) == "Staff"


def test_close_with_unsaved_changes_asks_first(window, qtbot):
    qtbot.keyClicks(window.editor, "Draft words ")
    seen: list[str] = []
    click_in_modal(QMessageBox.StandardButton.Cancel, seen)
    assert window.close() is False
    assert seen and "Save your changes" in seen[0]
    assert window.isVisible() and window.is_modified()

    click_in_modal(QMessageBox.StandardButton.Save, seen)
    assert window.close() is True
    assert len(seen) == 2
    assert "Draft words" in window.ws.path("social-media-guidelines").read_text()
    assert len(git_log(window.ws)) == 2


def test_find_and_replace_all_is_one_undo_step(window, qtbot):
    """Find searches the view shown: the formatted one at first (it once
    searched the hidden Markdown until the view was switched), then the
    Markdown source when it is shown."""
    bar, editing = window.find_bar, window.editing
    assert editing.active() is editing.surface and bar.editor is editing.surface
    bar.open_bar(replace=True)
    bar.find_edit.setText("kind")
    assert bar.find_next() and editing.surface.textCursor().selectedText() == "kind"
    bar.replace_edit.setText("respectful")
    shapes = []  # the cursor while the text changes: the wait cursor (thousands of replacements take a while)
    editing.surface.document().contentsChange.connect(
        lambda *_: shapes.append(QGuiApplication.overrideCursor() and QGuiApplication.overrideCursor().shape()))
    assert bar.replace_all() == 1
    assert shapes and set(shapes) == {Qt.CursorShape.WaitCursor} and QGuiApplication.overrideCursor() is None
    editing.flush()
    assert "Be respectful." in window.editor.text()
    editing.undo()
    editing.flush()
    assert window.editor.text() == BODY
    editing.show_source(True)
    assert bar.editor is window.editor
    assert bar.replace_all() == 1 and "Be respectful." in window.editor.text()
    window.editor.undo()
    assert window.editor.text() == BODY


def test_identity_is_asked_once_when_none_is_configured(qtbot, tmp_path, config_dir, author):
    from guidelines_app.core.workspace import Workspace

    ws = Workspace.create(tmp_path / "fresh")
    (ws.root / "guidelines" / "draft.md").write_text("# Draft\n")
    w = MainWindow(ws, Settings())
    qtbot.addWidget(w)
    w.show()

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, IdentityDialog):
            QTimer.singleShot(50, answer)
            return
        dialog.name.setText("Riley Owner")
        dialog.email.setText("riley@example.org")
        dialog.buttons.accepted.emit()

    QTimer.singleShot(50, answer)
    assert w.save_revision()
    assert git_log(ws) == ["Create Draft"]
    assert Settings.load().author_name == "Riley Owner"
    log = subprocess.run(["git", "-C", str(ws.root), "log", "--format=%an <%ae>"], capture_output=True, text=True).stdout
    assert log.strip() == "Riley Owner <riley@example.org>"
    # Asked once: the next save uses the stored identity without a dialog.
    w.editor.setPlainText("# Draft\n\nMore.\n")
    assert w.save_revision()
    assert len(git_log(ws)) == 2


def test_new_document_dialog_creates_and_opens_a_document(window, qtbot):
    # The plain dialog (the template wizard, when installed, is tested on its own).
    window.features.ensure_loaded()  # (the templates feature, once in, offers its wizard instead)
    window.set_new_document_dialog(lambda: NewDocumentDialog(window, organization=window.doc.organization))

    def fill():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NewDocumentDialog):
            QTimer.singleShot(50, fill)
            return
        dialog.title.setText("Crisis playbook")
        dialog.buttons.accepted.emit()

    QTimer.singleShot(50, fill)
    window.new_document()
    assert window.slug == "crisis-playbook"
    assert window.doc.organization == "Acme"
    assert git_log(window.ws)[0] == "Create Crisis playbook"
    assert window.doc_list.count() == 2


def test_a_new_document_whose_first_revision_fails_is_kept_open_to_save_later(window, qtbot):
    """The questionnaire's draft is not thrown away with a lock in the
    way (the CLI's new document is all or nothing): it is open, its text
    whole, not saved as a revision yet, and the message says so."""
    lock = window.ws.root / ".git" / "index.lock"
    lock.write_bytes(b"")
    old = time.time() - 3600
    os.utime(lock, (old, old))
    window.features.ensure_loaded()  # (the templates feature, once in, offers its wizard instead)
    window.set_new_document_dialog(lambda: NewDocumentDialog(window, organization=window.doc.organization))
    seen = []

    def answer():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, NewDocumentDialog):
            dialog.title.setText("Crisis playbook")
            dialog.buttons.accepted.emit()
        elif dialog is not None:
            seen.append((dialog.text(), dialog.informativeText()))
            dialog.accept()
            return
        QTimer.singleShot(50, answer)

    QTimer.singleShot(50, answer)
    window.new_document()
    assert seen and "lock file" in seen[0][0] and "The new document is open with its text" in seen[0][1]
    assert window.slug == "crisis-playbook" and "Crisis playbook" in window.editor.text()
    assert window.ws.uncommitted_documents() == ["crisis-playbook"]
    lock.unlink()
    assert window.save_revision()
    assert window.ws.uncommitted_documents() == [] and window.ws.committed_text("crisis-playbook") is not None


def test_preview_never_loads_remote_images(window, qtbot, tmp_path):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    doc = window.preview.document()
    assert doc.loadResource(QTextDocument.ResourceType.ImageResource, QUrl("https://example.org/x.png")) is None
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"\x89PNG\r\n")
    assert doc.loadResource(QTextDocument.ResourceType.ImageResource, QUrl.fromLocalFile(str(outside))) is None


def test_a_wide_picture_is_fitted_to_the_preview_without_sideways_scrolling(window, qtbot):
    from PySide6.QtGui import QColor, QImage

    picture = QImage(3000, 120, QImage.Format.Format_RGB32)
    picture.fill(QColor("steelblue"))
    assert picture.save(str(window.ws.root / "guidelines" / "banner.png"))
    window.resize(900, 700)
    preview = window.preview
    qtbot.waitUntil(lambda: preview.viewport().width() > 200, timeout=5000)
    preview.render_now(BODY + "\n![Campaign banner](banner.png)\n")
    qtbot.waitUntil(lambda: preview.is_idle() and "<img" in preview.last_rendered.html, timeout=5000)
    assert preview.document().idealWidth() <= preview.viewport().width()
    assert preview.horizontalScrollBar().maximum() == 0
    narrow = preview.document().idealWidth()
    window.resize(1800, 700)  # wider: the picture grows with the page, up to its own size
    qtbot.waitUntil(lambda: preview.viewport().width() > 500, timeout=5000)
    qtbot.waitUntil(lambda: preview.is_idle() and preview.document().idealWidth() > narrow + 100, timeout=5000)
    assert preview.horizontalScrollBar().maximum() == 0


def test_format_menu_applies_markdown_for_the_user(window, qtbot):
    window.editing.show_source(True)  # View > Markdown Source: the Format menu writes Markdown there
    editor = window.editor
    editor.go_to_line(8)  # "Be kind."
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.EndOfBlock, cursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert "**Be kind.**" in editor.text()
    editor.go_to_line(8)
    window.editor.format_list(ordered=False)
    assert "- **Be kind.**" in editor.text()
    editor.go_to_line(2)  # "## Who"
    qtbot.keyClick(editor, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert "\n### Who\n" in editor.text()
    qtbot.waitUntil(lambda: any(sec.level == 3 and sec.title == "Who" for sec in window.sidebar.sections), timeout=5000)


def test_document_changed_outside_the_app_is_reloaded(window, qtbot):
    path = window.ws.path(window.slug)
    path.write_text(path.read_text() + "\n## Where\n\nChanged by a colleague.\n")
    qtbot.waitUntil(lambda: "Changed by a colleague." in window.editor.text(), timeout=5000)
    assert not window.is_modified()
    # And again: the watch survives the file being replaced.
    text = path.read_text().replace("Changed by a colleague.", "Changed twice.")
    tmp = path.with_name(".x.tmp")
    tmp.write_text(text)
    tmp.replace(path)
    qtbot.waitUntil(lambda: "Changed twice." in window.editor.text(), timeout=5000)


def test_no_two_menu_actions_share_a_shortcut(window):
    from PySide6.QtGui import QAction

    seen: dict[str, str] = {}
    clashes = []
    for action in window.findChildren(QAction):
        for seq in action.shortcuts():
            key = seq.toString()
            if not key:
                continue
            if key in seen and seen[key] != action.text():
                clashes.append((key, seen[key], action.text()))
            seen[key] = action.text()
    assert len(seen) > 20  # the menus really are there
    assert clashes == []


def test_switching_to_a_new_workspace(window, qtbot, tmp_path):
    target = tmp_path / "second-workspace"
    window.switch_workspace(target, create=True)
    assert window.ws.root == target
    assert (target / ".git").is_dir()
    assert window.slug is None and window.stack.currentIndex() == 0  # the welcome page
    assert str(target.resolve()) == window.settings.recent_workspaces[0]
    assert window.recent_menu.actions()[0].text() == str(target.resolve())


def test_background_jobs_drop_stale_results_and_word_failures_plainly(window, qtbot):
    import threading

    from PySide6.QtCore import QThreadPool

    from guidelines_app.core.errors import GuidelinesError
    from guidelines_app.ui.jobs import Jobs

    pool = QThreadPool(window)
    pool.setMaxThreadCount(2)
    jobs = Jobs(window, pool)
    gate = threading.Event()
    results, failures, progress = [], [], []

    def slow_old():
        gate.wait(10)
        return "old"

    jobs.run(slow_old, results.append, key="list")
    jobs.run(lambda: "new", results.append, key="list")  # supersedes the slow one
    qtbot.waitUntil(lambda: results == ["new"], timeout=5000)
    gate.set()
    qtbot.waitUntil(lambda: jobs.running() == 0, timeout=5000)
    assert results == ["new"]

    def broken():
        raise ValueError("bad value")

    def refused():
        raise GuidelinesError("The document is not in this workspace.")

    def counted(report):
        report(1, 2)
        report(2, 2)
        return "done"

    jobs.run(broken, None, lambda message, technical: failures.append((message, technical)))
    jobs.run(refused, None, lambda message, technical: failures.append((message, technical)))
    jobs.run(counted, results.append, progress=lambda done, total: progress.append((done, total)))
    qtbot.waitUntil(lambda: len(failures) == 2 and "done" in results, timeout=5000)
    by_message = dict(failures)
    assert by_message["The document is not in this workspace."] == ""  # its own words, nothing technical
    unexpected = next(m for m in by_message if m.startswith("Something unexpected went wrong"))
    assert "bad value" in unexpected and "Traceback" not in unexpected
    assert "Traceback" in by_message[unexpected] and "broken" in by_message[unexpected]
    assert progress == [(1, 2), (2, 2)]
    assert jobs.running() == 0


def test_what_a_job_held_is_let_go_once_it_reports(window, qtbot):
    """A comparison of two long versions, say: kept by the finished job, it
    stayed in memory (and in every garbage collection) until another job ran."""
    import weakref

    from guidelines_app.ui.jobs import Jobs

    class Held:
        pass

    def fails(held):
        raise ValueError("no")

    jobs = Jobs(window)
    for func in (lambda held: "done", fails):  # also when it fails (its traceback held the function)
        held = Held()
        gone = weakref.ref(held)
        results = []
        jobs.run(lambda held=held, func=func: func(held), results.append,
                 lambda message, _t, results=results: results.append(message))
        del held
        qtbot.waitUntil(lambda results=results: len(results) == 1, timeout=5000)
        qtbot.waitUntil(lambda gone=gone: gone() is None, timeout=5000)


def test_a_pane_the_user_closed_stays_closed_next_time(qtbot, workspace, settings, author):
    """View > Show Preview (and Show Sidebar) unticked: the next window
    showed both again, every session."""
    workspace.create_document(Document.new("Policy"), author)

    def opened() -> MainWindow:
        w = MainWindow(workspace, settings)
        qtbot.addWidget(w)
        w.show()
        return w

    first = opened()
    assert first.preview.isVisible() and first.sidebar.isVisible()  # shown, the first time
    first.act_toggle_preview.trigger()
    first.act_toggle_sidebar.trigger()
    assert not first.preview.isVisible() and not first.sidebar.isVisible()
    first.close()
    again = opened()
    assert again.preview.isHidden() and not again.act_toggle_preview.isChecked()
    assert again.sidebar.isHidden() and not again.act_toggle_sidebar.isChecked()
    again.act_toggle_preview.trigger()
    again.close()
    third = opened()
    assert third.preview.isVisible() and third.act_toggle_preview.isChecked() and third.sidebar.isHidden()


def test_document_details_ok_with_nothing_edited_changes_nothing(window):
    """A policy written elsewhere may lack the review details the dialog
    shows defaults for: OK with nothing edited wrote those defaults in, and
    the document counted as edited."""
    from guidelines_app.ui.dialogs import DetailsDialog

    doc = Document.parse(window.doc.to_text())
    for key in ("review_cadence_months", "next_review", "owners", "version"):
        doc.meta.pop(key, None)
    before = dict(doc.meta)
    dialog = DetailsDialog(window, doc)
    assert dialog.apply() is False and doc.meta == before
    dialog.cadence.setValue(6)  # edited: written, and only that
    assert dialog.apply() is True and doc.meta == {**before, "review_cadence_months": 6}
    dialog.deleteLater()


def test_details_dialog_names_statuses_as_the_history_does_and_shows_a_long_title_whole(window, qtbot):
    """The status list read "draft / in review / approved" while the History
    panel and Publish say "Draft", "In review", "Approved"; the dialog opened
    234 px wide and cut "Social media guidelines" to "…ial media guidelines"."""
    from guidelines_app.ui.dialogs import DetailsDialog

    doc = Document.parse(window.doc.to_text())
    doc.meta["title"] = "Social media guidelines for staff and contractors"
    dialog = DetailsDialog(window, doc)
    qtbot.addWidget(dialog)
    names = [dialog.status.itemText(n) for n in range(dialog.status.count())]
    # Approved only through Publish Version (checks, sign-offs, an approver): the dialog made a
    # draft "Approved · version 3.0" with none of them. An approved document can be withdrawn.
    assert names == ["Draft", "In review"] and dialog.version.isReadOnly()
    dialog.status.setCurrentIndex(names.index("In review"))
    assert dialog.apply() is True and doc.meta["status"] == "in review"  # the file keeps its key
    doc.meta["status"] = "approved"
    approved = DetailsDialog(window, doc)
    qtbot.addWidget(approved)
    assert [approved.status.itemText(n) for n in range(approved.status.count())] == ["Draft", "In review", "Approved"]
    assert approved.status.currentText() == "Approved" and approved.apply() is False
    dialog.show()
    qtbot.waitExposed(dialog)
    shown = dialog.title.fontMetrics().horizontalAdvance(doc.meta["title"])
    assert dialog.title.width() > shown


def test_a_changed_status_reads_as_the_window_names_it_in_comparisons():
    from guidelines_app.review import redline
    from guidelines_app.review.diff import diff_texts
    from guidelines_app.review.redline_text import render_text_body

    old = "---\ntitle: T\nstatus: approved\nreview_cadence_months: 12\n---\n# A\n\nText.\n"
    result = diff_texts(old, old.replace("approved", "in review").replace(": 12", ": 6"))
    text = render_text_body(result, {})
    assert "details: Status: Approved -> In review" in text and "Review every (months): 12 -> 6" in text
    page = redline.render_html(result, redline.Labels("T", "before", "after", "A", None))
    assert "<td>Status</td>" in page and "status" not in page.split("Document details", 1)[1].split("</table>")[0]


def test_the_status_bar_says_what_a_draft_changes_as_the_export_does(qtbot, workspace, settings, author):
    """After version 1.0 was published and the text edited and saved, the
    status bar said "Draft · version 1.0", as if the text on screen were
    the approved version; the export said "Draft: changes since version 1.0"."""
    from guidelines_app.review import history

    slug, _ = workspace.create_document(Document.new("Social media guidelines", "Acme", body=BODY), author)
    history.publish(workspace, slug, "First version", "Ann Lee", author)
    w = MainWindow(workspace, settings, slug)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.status_label.text() == "Approved · version 1.0", timeout=5000)
    w.editor.setPlainText(w.editor.text().replace("Be kind.", "Be kind and brief."))
    w.save_revision("Shorter")
    qtbot.waitUntil(lambda: w.status_label.text() == "Draft · changes since version 1.0", timeout=5000)
    assert workspace.load(slug).version == "1.0"  # (the details still name it: the bar does not)


def test_preferences_do_not_send_the_user_to_preferences(window, qtbot):
    """Edit > Preferences said "You can change it at any time in Edit >
    Preferences" while it was open; asked at a first save, it still says so."""
    from PySide6.QtWidgets import QLabel

    seen = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append((dialog.windowTitle(), " ".join(label.text() for label in dialog.findChildren(QLabel))))
        dialog.reject()

    QTimer.singleShot(0, look)
    window.edit_preferences()
    [(title, text)] = seen
    assert title == "Preferences" and "who made it" in text and "Edit > Preferences" not in text
    asked = IdentityDialog(window)
    qtbot.addWidget(asked)
    assert any("Edit > Preferences" in label.text() for label in asked.findChildren(QLabel))


def test_quit_has_ctrl_q_where_the_platform_gives_it_no_key(window):
    """File > Quit had no shortcut on platforms without a standard Quit key."""
    [quit_action] = [a for a in window.menus["File"].actions() if a.text() == "&Quit"]
    assert "Ctrl+Q" in [s.toString() for s in quit_action.shortcuts()]


def test_with_no_document_open_the_format_menu_is_greyed_out_as_save_is(qtbot, workspace, settings, author):
    """In an empty workspace Bold, the headings, lists and Insert Table were
    offered with nothing to format (Save and Document Details were greyed)."""
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    assert w.doc is None
    assert not w.act_save.isEnabled() and not w.menus["Format"].menuAction().isEnabled()
    slug, _ = workspace.create_document(Document.new("Policy", "Acme", body=BODY), author)
    w.refresh_documents()
    assert w.open_document(slug)
    assert w.act_save.isEnabled() and w.menus["Format"].menuAction().isEnabled()
