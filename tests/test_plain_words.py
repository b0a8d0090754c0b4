"""Plain words where a policy owner looks: counts in the right number
(core/wording.py used everywhere), the status bar saying when and by whom a
document was saved (the revision id only in the tooltip), and the To Be
Decided list naming the section and table row of each marker."""

from __future__ import annotations

import datetime as _dt

import pytest

from guidelines_app.cli.main import main
from guidelines_app.core.document import Document
from guidelines_app.core.wording import long_day, plural, short_moment, when
from guidelines_app.drafting.answers import marker_places
from guidelines_app.drafting.library import assemble, load_library
from guidelines_app.review.diff import diff_texts
from guidelines_app.ui.main_window import MainWindow
from guidelines_app.ui.status_bar import saved_text

# ---- the helper --------------------------------------------------------------------


@pytest.mark.parametrize(("count", "noun", "expected"), [
    (0, "word", "0 words"), (1, "word", "1 word"), (2, "word", "2 words"), (1234, "word", "1,234 words"),
    (1, "change", "1 change"), (3, "change", "3 changes"), (1, "revision", "1 revision"),
    (2, "list item", "2 list items"), (1, "table row", "1 table row"), (2, "entry", "2 entries"),
    (2, "day", "2 days"), (2, "approval matrix", "2 approval matrixes"),
])
def test_plural(count, noun, expected):
    assert plural(count, noun) == expected


def test_when_says_today_yesterday_or_the_date():
    now = _dt.datetime(2026, 12, 5, 9, 30)
    assert when(_dt.datetime(2026, 12, 5, 6, 17), now) == "today 06:17"
    assert when(_dt.datetime(2026, 12, 4, 18, 2), now) == "yesterday 18:02"
    assert when(_dt.datetime(2026, 11, 28, 6, 17), now) == "28 Nov 2026 06:17"
    assert saved_text(_dt.datetime(2026, 11, 28, 6, 17), "Dana Reviewer", now) == "Saved 28 Nov 2026 06:17 by Dana Reviewer"


# ---- the diff summary, the CLI text report and the compare view -----------------------

BASE = "# Policy\n\n## Who\n\nEveryone who posts.\n\n## How\n\nBe kind and be quick.\n"


def test_revision_dates_are_written_one_way_in_local_time(monkeypatch):
    """A colleague abroad saved at 14:14 their time (+02:00): a reader in
    UTC sees 12:14, written as the History panel writes it."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        saved = _dt.datetime(2026, 12, 7, 14, 14, tzinfo=_dt.timezone(_dt.timedelta(hours=2)))
        assert short_moment(saved) == "7 Dec 2026 12:14"
        assert long_day(saved.replace(hour=1)) == "6 December 2026"  # 23:00 the day before, here
        assert long_day(_dt.date(2027, 1, 5)) == "5 January 2027"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_window_names_a_revision_the_same_way_everywhere(window, qtbot, saved_twice):
    """The History panel's date, the compare window's version boxes and the
    restore question agree (they used four formats: "7 Dec 2026 14:14",
    "2026-12-07 14:14", "07 Dec 2026 14:15", "07 December 2026")."""
    from guidelines_app.review.compare_first import entry_label

    window.open_document(saved_twice)
    feature = window.features["history"]
    feature.dock.show()
    qtbot.waitUntil(lambda: feature.panel.model.rowCount() >= 2, timeout=10000)
    entry = feature.panel.model.entries[0]
    shown = feature.panel.model.index(0, 0).data()
    assert shown == short_moment(entry.revision.date)
    assert entry_label(entry).split(" · ")[:2] == [shown, entry.revision.author]
    assert feature._entry_label(entry.sha) == entry_label(entry, limit=None)


def test_diff_verdict_says_one_in_the_singular():
    one = diff_texts(BASE, BASE.replace("Everyone who posts.", "Everyone who posts daily."))
    verdict = one.verdict()
    assert "1 section edited" in verdict and "1 word inserted" in verdict
    assert "sections" not in verdict and "words" not in verdict
    two = diff_texts(BASE, BASE.replace("who posts.", "who posts here daily.").replace("be quick.", "be very quick."))
    assert "2 sections edited" in two.verdict() and "3 words inserted" in two.verdict()


@pytest.fixture
def saved_twice(workspace, author):
    slug, _ = workspace.create_document(Document.new("Policy", body=BASE), author)
    text = workspace.load(slug).to_text().replace("Everyone who posts.", "Everyone who posts daily.")
    workspace.save_text(slug, text, author, "Daily")
    return slug


def test_cli_diff_report_counts_in_the_singular(workspace, saved_twice, capsys, monkeypatch):
    monkeypatch.setenv("GUIDELINES_CLI_STRICT", "1")
    code = main(["--workspace", str(workspace.root), "diff", saved_twice, "HEAD~1", "HEAD"])
    out = capsys.readouterr().out
    assert code == 0
    assert "1 section edited" in out and "1 word inserted" in out and "1 words" not in out


@pytest.fixture
def window(qtbot, workspace, settings):
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w, before_close_func=lambda w: w.editor.document().setModified(False))
    w.show()
    return w


def test_compare_view_counts_one_change(window, qtbot, saved_twice):
    window.open_document(saved_twice)
    cw = window.features["history"].open_compare("HEAD~1", "HEAD")
    qtbot.waitUntil(lambda: cw.diff is not None, timeout=10000)
    assert cw.position.text() == "1 change"
    assert "1 section edited" in cw.verdict.text() and "1 word inserted" in cw.verdict.text()


# ---- the status bar ---------------------------------------------------------------------


def test_status_bar_says_when_and_by_whom_not_the_revision_id(window, qtbot, workspace, author):
    slug, result = workspace.create_document(Document.new("One", body="Hello\n"), author)
    window.refresh_documents()
    window.open_document(slug)
    label = window.status_labels.revision_label
    clock = workspace.history(slug, max_count=1)[0].date.astimezone().strftime("%H:%M")
    assert label.text() == f"Saved today {clock} by {author.name}"
    assert result.commit[:8] not in label.text() and result.commit[:7] not in label.text()
    assert result.commit[:8] in label.toolTip()
    assert window.status_labels.words_label.text() == "1 word"
    assert window.status_labels.state_label.text() == ""
    window.editor.insertPlainText("Two ")
    qtbot.waitUntil(lambda: window.status_labels.words_label.text() == "2 words", timeout=5000)
    assert window.status_labels.state_label.text() == "Unsaved changes"
    # Saving says so in words, without the new revision's id.
    assert window.save_revision("Two words")
    head = workspace.history(slug, max_count=1)[0]
    message = window.statusBar().currentMessage()
    assert message.startswith("Saved") and head.short not in message


# ---- To Be Decided ------------------------------------------------------------------------

TABLE_BODY = """[to be decided: title of the policy]

# Policy

## Channels

| Channel | Owner |
|---|---|
| Instagram | [to be decided: owner] |
| [to be decided: channel] | Marketing |

## Review

Reviewed by [to be decided: reviewer].
"""


def test_marker_places_name_section_and_row():
    found = [(p.line, p.describe()) for p in marker_places(TABLE_BODY)]
    assert found == [
        (0, "title of the policy"),  # before any heading: no place to name
        (8, "Channels › Instagram row: owner"),
        (9, "Channels › row 2: channel"),  # the row's first cell is open too: its place
        (13, "Review: reviewer"),
    ]


def test_to_be_decided_dock_says_where_each_marker_is(window, qtbot, workspace, author):
    tset = load_library().get("social-media-governance-policy")
    answers = {"organization": "Northwind", "channels": [{"channel": "Instagram", "handle": "@northwind",
                                                          "owner": "", "purpose": "News", "response_target": "1 day",
                                                          "checked": "2026-12-01"}]}
    slug, _ = workspace.create_document(assemble(tset, answers).document, author)
    window.refresh_documents()
    window.open_document(slug)
    feature = window.features["templates"]
    feature.act_markers.trigger()
    dock = feature.markers_dock
    dock.refresh()
    labels = [dock.list.item(n).text() for n in range(dock.list.count())]
    assert "Channel inventory › Instagram row: owner" in labels
    item = dock.list.item(labels.index("Channel inventory › Instagram row: owner"))
    assert item.toolTip().startswith("Line ")
    dock._jump(item)
    assert window.editor.textCursor().block().text().startswith("| Instagram |")
    count = len(labels)
    assert dock.summary.text() == f"{count} {'point' if count == 1 else 'points'} still to be decided."


def test_to_be_decided_dock_scans_the_text_only_while_shown(window, qtbot, workspace, author, monkeypatch):
    """Hidden (as it starts), the dock does not scan the document at each
    pause in typing (0.3 s of a 4 MB document); shown, it lists the text as
    it is then, and follows edits."""
    from guidelines_app.ui.drafting import reanswer_dialog

    scans = []
    real = reanswer_dialog.marker_places
    monkeypatch.setattr(reanswer_dialog, "marker_places", lambda text: scans.append(1) or real(text))
    slug, _ = workspace.create_document(Document.new("Open points", body="# One\n\n## Who\n\n[to be decided: owner]\n"), author)
    window.refresh_documents()
    window.open_document(slug)
    window.editor.appendPlainText("\n## When\n\n[to be decided: date]\n")
    qtbot.wait(600)  # past the dock's pause
    assert scans == []
    feature = window.features["templates"]
    dock = feature.markers_dock
    feature.act_markers.trigger()
    qtbot.waitUntil(lambda: dock.list.count() == 2, timeout=5000)
    assert dock.summary.text() == "2 points still to be decided." and len(scans) == 1
    window.editor.appendPlainText("\n## Where\n\n[to be decided: channel]\n")
    qtbot.waitUntil(lambda: dock.list.count() == 3, timeout=5000)


def test_to_be_decided_summary_in_the_singular(window, workspace, author):
    slug, _ = workspace.create_document(Document.new("One open point", body="# One\n\n## Who\n\n[to be decided: owner]\n"), author)
    window.refresh_documents()
    window.open_document(slug)
    feature = window.features["templates"]
    feature.act_markers.trigger()
    feature.markers_dock.refresh()
    assert feature.markers_dock.summary.text() == "1 point still to be decided."
    assert feature.markers_dock.list.item(0).text() == "Who: owner"


@pytest.mark.parametrize("text, cut", [
    ("Edit Правила для соцсетей and Review of posts on our channels", "Edit Правила для соцсетей and Review of posts on…"),
    ("Faster replies", "Faster replies"),
    ("A" * 60, "A" * 49 + "…"),
    ("Tone, escalation and response times for every channel we run", "Tone, escalation and response times for every…"),
])
def test_a_revision_name_is_cut_after_a_word(text, cut):
    """The compare window's version boxes read "… Review of posts on o":
    cut mid-word, with nothing to say it was cut."""
    from guidelines_app.core.wording import cut_at_word

    assert cut_at_word(text, 50) == cut and len(cut) <= 50
