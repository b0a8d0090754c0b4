"""A very large document in the window, with pytest-qt: an old
revision is shown as Markdown a slice at a time, and a comparison shows the
changed sections only, so the window keeps responding (a 20 MB revision's
formatted page held it 75 s, a comparison's whole pages 1.8 s); a restore
or a review asked for names the document while it reloads in the
background (its save: ``test_background_save``)."""

from __future__ import annotations

from test_history_ui import window  # noqa: F401 - the fixture: a policy saved twice, in the window

from guidelines_app.ui import large_document
from guidelines_app.ui.review.compare_pages import ALL_SIDES


def test_a_very_large_old_revision_is_shown_as_markdown_a_slice_at_a_time(window, qtbot, workspace, monkeypatch):  # noqa: F811
    monkeypatch.setattr(large_document, "LARGE_BYTES", 100)  # this small policy counts as very large
    monkeypatch.setattr(large_document, "SLICE", 40)
    f = window.features["history"]
    first = workspace.history(window.slug)[-1].sha
    text = workspace.store.read_fast(workspace.relpath(window.slug), first).decode()
    formatted = []
    view = f.view_revision(first)
    qtbot.addWidget(view)
    view.formatted.connect(lambda: formatted.append(True))
    assert view.tabs.currentWidget() is view.raw  # the Markdown shows, the formatted page says why it does not
    assert "very large" in view.rendered.toPlainText()
    assert len(view.raw.toPlainText()) < len(text)  # not all in one go: the window turns between slices
    with qtbot.waitSignal(view.filled, timeout=10000):
        pass
    assert view.raw.toPlainText() == text
    assert view.raw.document().isUndoAvailable() is False and view.raw.isUndoRedoEnabled()
    qtbot.wait(50)
    assert not formatted and "very large" in view.rendered.toPlainText()
    import shiboken6

    view.close()  # closed, it goes, with its text
    qtbot.waitUntil(lambda: not shiboken6.isValid(view), timeout=5000)


def test_an_old_revision_of_usual_size_is_formatted(window, qtbot, workspace):  # noqa: F811
    f = window.features["history"]
    view = f.view_revision(workspace.history(window.slug)[-1].sha)
    qtbot.addWidget(view)
    assert view.tabs.currentWidget() is view.rendered
    with qtbot.waitSignal(view.formatted, timeout=10000):
        pass
    assert "We answer within 24 hours." in view.rendered.toPlainText()


def test_a_long_old_revision_is_formatted_a_part_at_a_time(window, qtbot, workspace, author, monkeypatch):  # noqa: F811
    """A revision whose formatted page is long (the 4 MB one held the window
    2 s, read whole) shows the sections at its start, with a link to the
    ones after, as the preview shows a long document."""
    from guidelines_app.ui import preview

    monkeypatch.setattr(preview, "WINDOW_CHARS", 2_000)
    monkeypatch.setattr(preview, "PART_CHARS", 1_000)
    text = workspace.load(window.slug).to_text()
    parts = "".join(f"\n## Part {n}\n\nRule {n} applies to every post we make.\n" for n in range(1, 80))
    workspace.save_text(window.slug, text + parts, author, "Many parts")
    window.reload_document()
    view = window.features["history"].view_revision(workspace.history(window.slug)[0].sha)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.formatted, timeout=10000):
        pass
    shown = view.rendered.toPlainText()
    assert view.rendered.shown_part is not None and view.rendered.shown_part[0] == 0
    assert "We answer within 12 hours." in shown and "Rule 79 applies" not in shown
    assert "Show the sections after" in shown and "##" not in shown
    view.rendered.go_to_anchor(preview.LATER)  # the link at its end
    after = view.rendered.toPlainText()
    assert view.rendered.shown_part[0] > 0 and "Show the sections before" in after
    assert "We answer within 12 hours." not in after
    assert "Rule 79 applies" in view.raw.toPlainText()  # the Markdown tab: all of it


def test_a_long_old_revisions_markdown_goes_in_a_slice_at_a_time_beside_its_formatted_page(window, qtbot, workspace,  # noqa: F811
                                                                                             monkeypatch):
    monkeypatch.setattr(large_document, "LONG_CHARS", 100)  # this policy counts as long (not very large)
    monkeypatch.setattr(large_document, "SLICE", 40)
    first = workspace.history(window.slug)[-1].sha
    text = workspace.store.read_fast(workspace.relpath(window.slug), first).decode()
    view = window.features["history"].view_revision(first)
    qtbot.addWidget(view)
    assert view.tabs.currentWidget() is view.rendered  # formatted, as a usual one
    assert len(view.raw.toPlainText()) < len(text)  # its Markdown not all in one go
    with qtbot.waitSignals([view.filled, view.formatted], timeout=10000):
        pass
    assert view.raw.toPlainText() == text and "We answer within 24 hours." in view.rendered.toPlainText()


def test_a_very_large_comparison_shows_the_changed_sections_only(window, qtbot, monkeypatch):  # noqa: F811
    from guidelines_app.ui import gc_guard

    settled = []
    monkeypatch.setattr(gc_guard, "settle", lambda: settled.append(True))
    f = window.features["history"]
    shas = [e.sha for e in window.ws.history(window.slug)]
    usual = f.open_compare(shas[1], shas[0])
    qtbot.waitUntil(lambda: usual.diff is not None and set(usual.pages.full) == set(ALL_SIDES), timeout=10000)
    assert settled == []  # a usual comparison's objects are collected as any
    assert "Never share data." in usual.new_view.toPlainText()  # a whole page, unchanged sections with it
    assert "very large" not in usual.verdict.text()
    usual.close()

    monkeypatch.setattr(large_document, "LARGE_BYTES", 100)  # this small policy counts as very large
    cw = f.open_compare(shas[1], shas[0])
    qtbot.waitUntil(lambda: cw.diff is not None and set(cw.pages.full) == set(ALL_SIDES), timeout=10000)
    assert "only the changed sections are shown" in cw.verdict.text()
    assert settled == [True]  # a very large one's are left out of later collections (gc_guard.settle)
    for view in (cw.old_view, cw.new_view, cw.inline_view):  # every layout, built after the first paint too
        assert "Never share data." not in view.toPlainText() and "Privacy" not in view.toPlainText()
    assert "12 hours" in cw.new_view.toPlainText() and "24 hours" in cw.old_view.toPlainText()
    cw.next_button.click()
    assert cw.current == 0 and cw.position.text() == "Change 1 of 2"
    assert cw.section_list.currentItem().text().strip().startswith("Response time")


def test_restoring_a_very_large_document_names_it_while_it_reloads(window, qtbot, workspace, monkeypatch):  # noqa: F811
    monkeypatch.setattr(large_document, "LARGE_BYTES", 100)  # this small policy counts as very large: it reloads in the background
    f = window.features["history"]
    slug = window.slug
    first = workspace.history(slug)[-1].sha
    saved = []
    window.revision_saved.connect(lambda *args: saved.append(args))
    commit = f.restore(first, confirm=False)
    assert commit and saved == [(slug, commit)]
    assert "Restored" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.slug == slug and not window.large_documents.loading(), timeout=10000)
    assert "24 hours" in window.editor.text()  # the old text is the newest now


def test_asking_for_review_of_a_very_large_document_names_it_while_it_reloads(window, qtbot, monkeypatch):  # noqa: F811
    from guidelines_app.review import signoff

    monkeypatch.setattr(large_document, "LARGE_BYTES", 100)
    slug = window.slug
    saved = []
    window.revision_saved.connect(lambda *args: saved.append(args))
    assert window.features["governance"].request_review_from([signoff.Reviewer("Legal", "Ann Lee")])
    assert [args[0] for args in saved] == [slug]
    qtbot.waitUntil(lambda: window.slug == slug and not window.large_documents.loading(), timeout=10000)
    assert window.doc.status == "in review"


def test_changing_the_appearance_leaves_highlighting_off_where_it_was_off(window):  # noqa: F811
    from guidelines_app.ui import appearance

    window.editor.highlighter.setDocument(None)  # as for a very large document (highlighting it would freeze typing)
    changes = []
    window.editor.document().contentsChange.connect(lambda *args: changes.append(args))
    appearance.restyle(window)
    assert window.editor.highlighter.document() is None
    assert changes == []  # its lines untouched: a very large document's copy is not read again
    window.editor.highlighter.setDocument(window.editor.document())
    appearance.restyle(window)  # where it was on, it stays on, in the new colours
    assert window.editor.highlighter.document() is window.editor.document()


def test_what_settles_is_left_out_of_later_collections_and_freed_when_let_go():
    import gc
    import weakref

    from guidelines_app.ui import gc_guard

    class Row:
        pass

    rows = [Row() for _ in range(1000)]
    first = weakref.ref(rows[0])
    before = gc.get_freeze_count()
    gc_guard.settle()
    assert gc.get_freeze_count() >= before + 1000
    del rows
    assert first() is None  # freed when nothing refers to it, frozen or not
