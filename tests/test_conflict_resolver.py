"""The conflict resolver with two real workspaces sharing a bare repository
(pytest-qt, offscreen): Keep Both of a conflict over one sentence of a
section of several paragraphs, the list naming documents by their titles,
the two sides shown as they read with the words that differ marked, and the
merged text showing what the decision puts in the document."""

from __future__ import annotations

import pytest
from team_helpers import ANA, BO, edit, open_window, shared_pair

from guidelines_app.core import sync
from guidelines_app.core.colours import LIGHT
from guidelines_app.core.settings import Settings
from guidelines_app.core.workspace import Workspace
from guidelines_app.ui.main_window import MainWindow
from guidelines_app.ui.team.feature import TeamFeature

SCOPE = ("These guidelines cover all staff.\n\n> **Why everyone.** Anyone can be read as speaking for us.\n\n"
         "- Official accounts.\n- Personal accounts, where a post touches on work.\n\nAsk the press office when unsure.")


@pytest.fixture
def people(tmp_path, config_dir):
    """Ana's workspace (the window's) and Bo's, the Scope section of several paragraphs on both."""
    Settings(author_name=ANA.name, author_email=ANA.email).save()
    wa, wb, _url = shared_pair(tmp_path)
    edit(wa, ANA, "These guidelines cover all staff.", SCOPE)
    sync.sync(wa, ANA)
    sync.sync(wb, BO)
    root = wa.root
    wa.close()
    yield root, wb
    wb.close()


@pytest.fixture
def window(qtbot, people):
    return open_window(qtbot, people[0])


def _resolver_on_a_conflict_over_one_sentence(qtbot, window, wb):
    window.editor.selectAll()
    window.editor.insertPlainText(window.editor.text().replace("cover all staff.", "cover all staff, worldwide."))
    assert window.save_revision("Scope")
    edit(wb, BO, "cover all staff.", "cover everyone who works for us.")
    sync.sync(wb, BO)
    team = window.features.get("team", TeamFeature)
    assert team.sync_action.isEnabled()
    team.sync_action.trigger()
    qtbot.waitUntil(lambda: not team.running, timeout=30000)
    assert team.resolver is not None and team.resolver.isVisible()
    return team, team.resolver


def test_keep_both_sends_the_shared_paragraphs_once_and_both_sentences(qtbot, window, people):
    _root, wb = people
    team, resolver = _resolver_on_a_conflict_over_one_sentence(qtbot, window, wb)
    expected = ("## Scope\n\nThese guidelines cover all staff, worldwide.\n\nThese guidelines cover everyone who works for us."
                "\n\n> **Why everyone.** Anyone can be read as speaking for us.\n\n- Official accounts.\n"
                "- Personal accounts, where a post touches on work.\n\nAsk the press office when unsure.\n\n## Tone")
    assert resolver.merged.toPlainText() == expected.removesuffix("## Tone")  # what Keep Both gives, before it is chosen
    resolver.choice_buttons["ours"].click()  # the box shows what the decision gives
    assert "everyone who works for us" not in resolver.merged.toPlainText()
    assert "all staff, worldwide." in resolver.merged.toPlainText()
    resolver.choice_buttons["both"].click()
    assert resolver.merged.toPlainText() == expected.removesuffix("## Tone")
    resolver.finish_button.click()
    qtbot.waitUntil(lambda: not team.running and team.indicator.text() == "In step with the team", timeout=30000)
    sync.sync(wb, BO)
    text = wb.path("social").read_text(encoding="utf-8")
    assert expected in text
    assert text.count("Why everyone") == 1 and text.count("Ask the press office when unsure.") == 1


def test_the_resolver_names_the_document_and_shows_the_sides_as_they_read(qtbot, window, people):
    _root, wb = people
    _team, resolver = _resolver_on_a_conflict_over_one_sentence(qtbot, window, wb)
    entry = resolver.list.item(0).text()
    assert entry.startswith("Social media guidelines\n") and "Section “Scope”" in entry and "social" not in entry
    for side, words in ((resolver.ours, "worldwide"), (resolver.theirs, "everyone who works for us")):
        shown = side.toPlainText()
        assert "Scope" in shown and "Why everyone." in shown and "Official accounts." in shown
        assert "##" not in shown and "**" not in shown and "> " not in shown and "- Official" not in shown
        html = side.toHtml()
        marked = html.split(LIGHT.banner_background, 1)[1].split("</span>", 1)[0]
        assert words.split()[0] in marked  # the differing words are marked, the rest is not
        assert html.count(LIGHT.banner_background) <= 3 and "Why everyone" not in marked
    shown = resolver.merged_view.toPlainText()  # the merged text as it will read, then as text to edit
    assert "worldwide." in shown and "everyone who works for us." in shown and "##" not in shown and "**" not in shown
    resolver.merged_tabs.setCurrentWidget(resolver.merged)
    assert not resolver.merged.isReadOnly()
    resolver.merged.setPlainText("## Scope\n\nThese guidelines cover all of us.\n\n")
    resolver.merged_tabs.setCurrentWidget(resolver.merged_view)
    assert resolver.merged_view.toPlainText().split() == ["Scope", "These", "guidelines", "cover", "all", "of", "us."]
    resolver.choice_buttons["edit"].click()
    assert resolver.merged.toPlainText() == "## Scope\n\nThese guidelines cover all of us.\n\n"


def test_finishing_refused_by_a_revision_saved_meanwhile_says_so_in_the_windows_words(qtbot, window, people):
    """Decided, then the section saved again before Finish: the resolver says
    what is left in its own words, on the conflict to decide again (it showed
    the core's "cannot finish the sync: 1 conflict(s) still to decide:
    social: Section: Scope", the document by its file name)."""
    _root, wb = people
    _team, resolver = _resolver_on_a_conflict_over_one_sentence(qtbot, window, wb)
    resolver.choice_buttons["ours"].click()
    assert resolver.finish_button.isEnabled()
    edit(window.ws, ANA, "all staff, worldwide.", "all staff, in every country.")
    resolver.finish_button.click()
    assert resolver.isVisible() and not resolver.finish_button.isEnabled()
    assert resolver.status.text() == "Not finished: 1 of 1 still to decide. Revisions saved since changed 1 you had decided."
    assert resolver.list.currentRow() == 0 and "(decide again)" in resolver.list.item(0).text()
    assert "in every country" in resolver.merged.toPlainText()


def test_details_decided_in_the_resolver_show_what_they_give(qtbot, tmp_path, config_dir):
    """A status both changed (one value: no Keep Both, the box shows yours)
    and owners both added to (Keep Both: everyone named on either side)."""
    from guidelines_app.ui.team.resolver import ConflictResolver

    Settings(author_name=ANA.name, author_email=ANA.email).save()
    wa, wb, _url = shared_pair(tmp_path)
    edit(wb, BO, "status: draft", "status: approved")
    edit(wb, BO, "- Ana Centre", "- Ana Centre\n- Bo Spoke")
    sync.sync(wb, BO)
    edit(wa, ANA, "status: draft", "status: in review")
    edit(wa, ANA, "- Ana Centre", "- Ana Centre\n- Cy Press")
    assert sync.sync(wa, ANA).outcome == sync.CONFLICTS
    root = wa.root
    wa.close()
    w = MainWindow(Workspace.open(root), Settings.load())
    qtbot.addWidget(w)
    resolver = ConflictResolver(w, lambda: None)
    qtbot.addWidget(resolver)
    labels = [resolver.list.item(n).text() for n in range(resolver.list.count())]
    assert labels == ["Social media guidelines\nDetail “Status”  (to decide)", "Social media guidelines\nDetail “Owners”  (to decide)"]
    assert resolver.merged.toPlainText() == "in review" and not resolver.choice_buttons["both"].isEnabled()
    resolver.list.setCurrentRow(1)
    assert resolver.merged.toPlainText() == "[Ana Centre, Cy Press, Bo Spoke]" and resolver.choice_buttons["both"].isEnabled()
    resolver.choice_buttons["both"].click()
    resolver.list.setCurrentRow(1)
    assert resolver.merged.toPlainText() == "[Ana Centre, Cy Press, Bo Spoke]"
    assert "(✓ both)" in resolver.list.item(1).text()
    wb.close()
