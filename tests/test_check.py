"""The policy check (review.check): each legal rule on a text it must flag
and a lawful rewording it must not; seams, consistency, coverage,
readability and housekeeping on small fixtures of our own; rules files;
dismissals; and the drafts of the built-in templates."""

from __future__ import annotations

import datetime as _dt
import itertools

import pytest

from guidelines_app.core.document import Document
from guidelines_app.review.check import RulesError, check_document, check_text, dismiss, load_rules
from guidelines_app.review.check.readability import grade, syllables

TODAY = _dt.date(2026, 12, 5)
RULES = load_rules()


def doc(body: str, **meta) -> str:
    head = "".join(f"{k}: {v}\n" for k, v in meta.items())
    return f"---\ntitle: Test policy\n{head}---\n{body}"


def rules_hit(body: str, prefix: str = "", **meta) -> set[str]:
    found = check_text(doc(body, **meta), RULES, today=TODAY).findings
    return {f.rule for f in found if f.rule.startswith(prefix)}


# Each legal rule: (rule id, a text that must be flagged, a lawful rewording that must not).
LEGAL = [
    ("legal.confidential-blanket",
     "## Confidentiality\n\nDo not discuss confidential information on social media.\n",
     "## Confidentiality\n\nDo not share unreleased product plans or customers' personal data. Nothing in this policy limits "
     "your right to discuss your pay, benefits or working conditions with colleagues or others.\n"),
    ("legal.colleagues-gag",
     "## Colleagues\n\nNever post about your co-workers on social media.\n",
     "## Colleagues\n\nDo not post a colleague's health information or home address without their consent.\n"),
    ("legal.civility-personal",
     "## Tone\n\nDo not make disparaging remarks about the company or its managers.\n",
     "## Tone\n\nDo not harass, threaten or discriminate against colleagues, customers or anyone else.\n"),
    ("legal.logo-personal",
     "## Brand\n\nYou may not use the company logo in any post.\n",
     "## Brand\n\nDo not use the logo in a way that makes a personal account look like an official one. Do not create "
     "pages or groups that use the name or logo without agreement.\n"),
    ("legal.gag-legal-matters",
     "## Legal\n\nDo not discuss lawsuits or workplace accidents online.\n",
     "## Legal\n\nOnly the legal team comments on lawsuits on behalf of the organisation. Do not comment on lawsuits for the company.\n"),
    ("legal.media-government",
     "## Press\n\nNever talk to journalists about the company.\n",
     "## Press\n\nIf a journalist asks for the organisation's view, pass the request to the press office; "
     "do not speak to the media on behalf of the organisation. You do not need anyone's permission to talk to "
     "journalists about your own working conditions.\n"),
    ("legal.working-hours",
     "## Time\n\nPersonal use of social media is not allowed during working hours.\n",
     "## Time\n\nPersonal use of social media is not allowed during working time (breaks and meal periods are yours).\n"),
    ("legal.forced-identification",
     "## Disclosure\n\nYou must always state that you are an employee when you post.\n",
     "## Disclosure\n\nWhen you recommend our products, you must say that you work for us.\n"),
    ("legal.preapproval-personal",
     "## Review\n\nPosts on your personal accounts must be approved by the social media team.\n",
     "## Review\n\nPosts on official accounts are reviewed before they go out; personal posts need no approval.\n"),
    ("legal.personal-passwords",
     "## Security\n\nYou must provide the passwords of your personal accounts to IT on request.\n",
     "## Security\n\nWe will never ask for the password of, or access to, your personal accounts.\n"),
    ("legal.monitoring-unannounced",
     "## Monitoring\n\nWe monitor employees' social media accounts.\n",
     "## Monitoring\n\nWe monitor employees' public posts that mention us. The purpose of the monitoring is to answer customers; "
     "we monitor only public posts and keep what we collect for 90 days.\n"),
    ("legal.retention-missing",
     "## Contests\n\nWe keep the names and e-mail addresses of everyone who enters.\n",
     "## Contests\n\nWe keep the names and e-mail addresses of everyone who enters and delete them 90 days after the contest ends.\n"
     "\nKeep customers' personal data out of public posts.\n"),
    ("legal.work-discussion",
     "## Conduct\n\nTeam members should not discuss work-related situations in public forums.\n",
     "## Conduct\n\nYou may bring concerns about your work to your manager first; you remain free to discuss them anywhere.\n"),
    ("legal.work-discussion",  # "never" is about approval; the sentence grants the right
     "## Conduct\n\nDo not post about your pay in public channels.\n",
     "## Conduct\n\nPersonal posts are never pre-approved: people may discuss their working conditions freely.\n"),
    ("legal.reputation-harm",
     "## Conduct\n\nWe may act when a personal post damages our reputation.\n",
     "## Conduct\n\nWe may ask you to remove a post that makes knowingly false statements about the organisation.\n"),
]


def test_every_legal_rule_has_a_fixture():
    legal = {r.id for r in RULES if r.category == "legal"}
    assert legal == {rule for rule, _bad, _good in LEGAL}


@pytest.mark.parametrize(("rule", "flagged", "lawful"), LEGAL, ids=[r for r, _b, _g in LEGAL])
def test_legal_rule_flags_the_risky_text_and_not_the_rewording(rule, flagged, lawful):
    assert rule in rules_hit(flagged, "legal."), f"{rule} missed: {flagged!r}"
    assert rule not in rules_hit(lawful, "legal."), f"{rule} flagged the lawful rewording: {lawful!r}"


def test_legal_findings_carry_jurisdiction_date_and_a_better_wording():
    finding = next(f for f in check_text(doc(LEGAL[0][1]), RULES, today=TODAY).findings if f.rule == LEGAL[0][0])
    assert finding.severity == "error" and "NLRA" in finding.jurisdiction and finding.as_of == "2023-08-02"
    assert "Nothing in this policy limits" in finding.suggestion
    assert finding.section == "Confidentiality" and finding.line == 2


def test_working_hours_offers_the_replacement_in_place():
    text = "## Time\n\nNo personal posts during working hours, please.\n"
    finding = next(f for f in check_text(doc(text), RULES).findings if f.rule == "legal.working-hours")
    line = text.split("\n")[finding.line]
    assert line[finding.start:finding.end] == "during working hours"
    assert finding.replacement == "during working time"


def test_patterns_do_not_match_inside_link_addresses_or_code():
    body = "## Links\n\nSee [our page](https://example.org/do-not-discuss-confidential-information) and `never share confidential data`.\n"
    assert not rules_hit(body, "legal.")


@pytest.mark.parametrize(("text", "rule", "replacement"), [
    ("Accounts are reviewed every 1 months.", "seams.number-unit", "1 month"),
    ("We need 3 reviewer.", "seams.number-unit", "3 reviewers"),
    ("The team has 0 people for this.", "seams.number-unit", None),
    ("Pilot in Months 7-3 of the plan.", "seams.reversed-range", None),
    ("The plan runs. then it stops.", "seams.lowercase-start", "Then"),
    ("Post to the the official account.", "seams.repeated-word", "the"),
    ("Reply within {{ response_hours }} hours.", "seams.template-syntax", None),
    ("Decide this: [to be decided: approver].", "seams.to-be-decided", None),
])
def test_seams_are_flagged(text, rule, replacement):
    found = [f for f in check_text(doc(f"## Part\n\n{text}\n"), RULES).findings if f.rule == rule]
    assert found, f"{rule} missed {text!r}"
    if replacement is not None:
        assert found[0].replacement == replacement


@pytest.mark.parametrize("text", [
    "Accounts are reviewed every month, and 1 month after a launch.",
    "A 5 day window is enough; 3 reviewers sign off.",
    "Pilot in Months 3-7 of the plan, e.g. the first two quarters.",
    "She said that that was fine. We use iPhone apps.",
    "Headings keep their ids ## Scope {#scope} as written.",
])
def test_seams_leave_sound_text_alone(text):
    assert not rules_hit(f"## Part\n\n{text}\n", "seams.")


def test_empty_table_cell_is_flagged_but_not_the_separator_row():
    body = "## Channels\n\n| Channel | Owner |\n|---|---|\n| LinkedIn |  |\n| Mastodon | Ana |\n"
    found = [f for f in check_text(doc(body), RULES).findings if f.rule == "seams.empty-cell"]
    assert [f.line for f in found] == [4]


def _workspace_with(workspace, author, texts: dict[str, str]):
    for slug, body in texts.items():
        workspace.create_document(Document.parse(doc(body)), author, slug=slug)
    return workspace


def test_consistency_flags_two_documents_that_disagree(workspace, author):
    ws = _workspace_with(workspace, author, {
        "guidelines": "## Crisis\n\nCrisis lead: Dana Reyes\n\nWe answer complaints within 4 hours.\n",
        "governance": "## Crisis\n\nCrisis lead: Sam Okafor\n\nWe answer complaints within 1 day.\n",
        "brief": "## Crisis\n\nCrisis lead: Dana Reyes\n",
    })
    found = [f for f in check_document(ws, "guidelines").findings if f.rule == "consistency.workspace"]
    titles = " | ".join(f.title for f in found)
    assert len(found) == 2, titles
    assert "Sam Okafor" in titles and "1 day" in titles and "4 hours" in titles
    brief = [f.title for f in check_document(ws, "brief").findings if f.rule == "consistency.workspace"]
    assert len(brief) == 1 and "Sam Okafor" in brief[0]  # it agrees with the guidelines, not with the governance policy


def test_consistency_is_quiet_when_documents_agree(workspace, author):
    ws = _workspace_with(workspace, author, {
        "a": "## Crisis\n\n| Crisis lead | Dana Reyes |\n|---|---|\n\nComplaints are answered within 24 hours.\n",
        "b": "## Crisis\n\nThe crisis lead: Dana Reyes\n\nWe reply to complaints within one day.\n",
    })
    assert not [f for f in check_document(ws, "a").findings if f.rule == "consistency.workspace"]


def test_coverage_names_the_topics_a_document_does_not_cover():
    words = " ".join(["People who post for us follow these rules."] * 40)
    body = f"## Who\n\n{words}\n\n## Privacy\n\nProtect personal data. Use two-factor authentication on every account.\n"
    found = [f for f in check_text(doc(body), RULES).findings if f.rule == "coverage.clause-topics"]
    missing = {f.matched for f in found}
    assert "topic 12" not in missing and "topic 21" not in missing  # privacy, account security: covered
    assert "topic 26" in missing and "topic 37" in missing  # crisis plan, acknowledgement: not
    assert all(f.severity == "note" and f.line is None for f in found)


def test_who_how_when_where_on_a_document_that_skips_where():
    filler = " ".join(["Everyone in the team takes part."] * 40)
    body = f"## Who takes part\n\n{filler}\n\n## How we post\n\nKindly.\n\n## When\n\nWithin 4 hours.\n"
    found = {f.matched for f in check_text(doc(body), RULES).findings if f.rule == "coverage.who-how-when-where"}
    assert found == {"where"}


def test_syllables_and_grade_from_the_offline_dictionary():
    assert [syllables(w) for w in ("the", "policy", "organisation", "table")] == [1, 3, 5, 2]
    assert grade(100, 10, 150) == pytest.approx(0.39 * 10 + 11.8 * 1.5 - 15.59, abs=0.05)


def test_readability_reports_figures_against_the_target():
    hard = ("Notwithstanding organisational considerations, communications representatives necessarily "
            "coordinate comprehensive authorisation procedures. ") * 8
    easy = "We post. You read. We all help. It is fun. " * 12
    result = check_text(doc(f"## Hard\n\n{hard}\n\n## Easy\n\n{easy}\n"), RULES)
    graded = [f for f in result.findings if f.rule == "readability.grade"]
    assert [f.section for f in graded] == ["Hard"]
    assert result.figures["target"] == 10 and len(result.figures["sections"]) == 2
    relaxed = check_text(doc(f"## Hard\n\n{hard}\n", readability_target=60), RULES)
    assert not [f for f in relaxed.findings if f.rule == "readability.grade"]


def test_long_sentences_and_passive_paragraphs():
    long_one = "This sentence " + "goes on and " * 20 + "ends."
    passive = "Posts are approved by the team. Comments are moderated daily. Accounts are reviewed yearly. We smile."
    found = {f.rule for f in check_text(doc(f"## A\n\n{long_one}\n\n{passive}\n"), RULES).findings}
    assert {"readability.long-sentence", "readability.passive"} <= found
    found = {f.rule for f in check_text(doc("## A\n\nThe team approves posts. We moderate comments. We review accounts.\n"), RULES).findings}
    assert not {"readability.long-sentence", "readability.passive"} & found


def test_review_date_and_links(workspace, author):
    body = "## Scope\n\nSee [scope](#scope), [nowhere](#no-such-heading), [the plan](plan.md) and [web](https://example.org).\n"
    ws = _workspace_with(workspace, author, {"policy": body})
    text = doc(body, next_review="2025-01-31")
    found = [f for f in check_document(ws, "policy", text, today=TODAY).findings if f.category == "housekeeping"]
    assert sorted(f.matched for f in found) == ["#no-such-heading", "2025-01-31", "plan.md"]
    # Each link named by its words, as the reader sees it (the file name after, for whoever mends it).
    titles = {f.matched: f.title for f in found}
    assert titles["plan.md"] == "The link “the plan” (plan.md) goes to a page that is not in the workspace"
    assert titles["#no-such-heading"].startswith("The link “nowhere” (#no-such-heading) goes to a heading")
    (ws.root / "guidelines" / "plan.md").write_text("# Plan\n", encoding="utf-8")
    found = [f for f in check_document(ws, "policy", text.replace("2025-01-31", "2027-01-31"), today=TODAY).findings
             if f.category == "housekeeping"]
    assert [f.matched for f in found] == ["#no-such-heading"]


def test_dismissed_finding_stays_dismissed_with_its_reason():
    text = doc("## Time\n\nNo personal posts during working hours.\n")
    result = check_text(text, RULES)
    finding = next(f for f in result.findings if f.rule == "legal.working-hours")
    document = Document.parse(text)
    dismiss(document, finding, "Our staff are outside the US; counsel agreed.")
    again = check_text(document.to_text(), RULES)
    assert finding.key not in {f.key for f in again.findings}
    assert [(f.key, why) for f, why in again.dismissed] == [(finding.key, "Our staff are outside the US; counsel agreed.")]


def test_workspace_rules_add_replace_and_switch_off(workspace, author):
    ws = _workspace_with(workspace, author, {"policy": "## Tone\n\nAvoid synergy in posts, during working hours too.\n"})
    folder = ws.root / ".guidelines" / "checks"
    folder.mkdir(parents=True)
    (folder / "house.yaml").write_text(
        "rules:\n  - id: house.jargon\n    category: readability\n    severity: warning\n    title: Jargon\n"
        "    pattern: '\\bsynergy\\b'\n    explanation: Say what you mean.\n    replace: cooperation\n"
        "disabled: [legal.working-hours]\n", encoding="utf-8")
    rules = {f.rule: f for f in check_document(ws, "policy").findings}
    assert "house.jargon" in rules and rules["house.jargon"].replacement == "cooperation"
    assert "legal.working-hours" not in rules


_HEAD = "rules:\n  - id: x.one\n    category: "


@pytest.mark.parametrize(("content", "message"), [
    (_HEAD + "legal\n    severity: error\n    title: T\n    pattern: 'a'\n    explanation: E\n", "jurisdiction"),
    (_HEAD + "nonsense\n    severity: error\n    title: T\n    pattern: 'a'\n    explanation: E\n", "category 'nonsense'"),
    (_HEAD + "housekeeping\n    severity: error\n    title: T\n    pattern: '('\n    explanation: E\n", "'pattern' is not a valid"),
    (_HEAD + "housekeeping\n    severity: fatal\n    title: T\n    pattern: 'a'\n    explanation: E\n", "severity 'fatal'"),
    (_HEAD + "housekeeping\n    severity: note\n    title: T\n    builtin: nope\n    explanation: E\n", "no built-in check 'nope'"),
    (_HEAD + "housekeeping\n    severity: note\n    title: T\n    pattern: 'a'\n    explanation: E\n    applies_in: [United States]\n",
     "'applies_in' must list the answers"),
    ("rules: [\n", "line"),
])
def test_a_bad_rules_file_is_named_with_the_rule_and_field(tmp_path, content, message):
    folder = tmp_path / ".guidelines" / "checks"
    folder.mkdir(parents=True)
    (folder / "bad.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules(tmp_path)
    assert "bad.yaml" in str(info.value) and message in str(info.value)


# ---- the drafts of the built-in templates -----------------------------------------------


def _filled_answers(tset) -> dict:
    """Every answer given (text, lists and table cells filled in), as a policy owner would."""
    from guidelines_app.drafting.answers import defaults

    values = defaults(tset)
    for q in tset.questions:
        if q.type in ("text", "multiline") and not values.get(q.id):
            values[q.id] = f"Sample {q.id.replace('_', ' ')}"
        elif q.type == "list" and not values.get(q.id):
            values[q.id] = ["Sample entry"]
        elif q.type == "table":
            rows = values.get(q.id) or [{}]
            values[q.id] = [{c.id: (row.get(c.id) or f"Sample {c.id}") for c in q.columns} for row in rows]
    return values


def _matrix():
    from guidelines_app.drafting.library import load_library

    for tset in load_library().ordered():
        choices = [q for q in tset.questions if q.type == "choice"]
        base = _filled_answers(tset)
        for combo in itertools.product(*[[c.value for c in q.choices] for q in choices]):
            yield tset, {**base, **{q.id: v for q, v in zip(choices, combo)}}


def test_every_built_in_draft_has_no_error_level_finding():
    from guidelines_app.drafting.library import assemble

    errors = {}
    count = 0
    for tset, answers in _matrix():
        count += 1
        text = assemble(tset, answers, today=TODAY).document.to_text()
        for f in check_text(text, RULES, today=TODAY).at_or_above("error"):
            errors.setdefault((tset.id, f.rule, f.matched), answers)
    assert count >= 100  # every governance model, maturity, path and jurisdiction option
    assert not errors, "\n".join(f"{k}" for k in errors)


@pytest.mark.parametrize(("rule", "text"), [
    ("legal.retention-missing", "Keep business secrets and customers' personal data out of public posts."),
    ("legal.media-government", "You do not need anyone's permission to talk to journalists about your working conditions."),
    ("legal.logo-personal", "Do not create pages or groups that use the name or logo without the team's agreement."),
])
def test_lawful_sentences_seen_in_real_drafts_are_not_flagged(rule, text):
    assert rule not in rules_hit(f"## Part\n\n{text}\n", "legal.")


def test_the_same_text_checked_again_to_publish_gets_the_answer_before(workspace, author, monkeypatch):
    """Publishing checks the text as its dialog opens and again as it
    publishes: the second time is the first answer (a copy), unless the
    text, the rules or another document changed.  Any other check is made afresh."""
    from guidelines_app.review import check

    slug, _ = workspace.create_document(Document.new("Policy", body="# Policy\n\nPost during working hours.\n"), author)
    calls, real = [], check.check_text
    monkeypatch.setattr(check, "check_text", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    first = check_document(workspace, slug, reuse=True)
    first.findings.clear()  # whoever gets an answer may change it: the kept one stays whole
    again = check_document(workspace, slug, reuse=True)
    assert len(calls) == 1 and again.findings and again.findings == check_document(workspace, slug, reuse=True).findings
    check_document(workspace, slug)  # (the Check panel, the CLI)
    assert len(calls) == 2
    text = workspace.load(slug).to_text()
    check_document(workspace, slug, text + "\nMore.\n", reuse=True)
    assert len(calls) == 3
    workspace.create_document(Document.new("Other", body="# Other\n\nText.\n"), author)
    check_document(workspace, slug, text + "\nMore.\n", reuse=True)
    assert len(calls) == 4
    monkeypatch.setattr(check, "KEEP_SECONDS", 0.0)
    check_document(workspace, slug, text + "\nMore.\n", reuse=True)
    assert len(calls) == 5


def test_topics_searched_a_slice_at_a_time_are_the_topics_of_one_search():
    """The coverage searches a long text made lower case a slice of whole
    lines at a time: the same topics as one search of the whole ignoring
    case (no pattern reads past a line's end), phrases put at and around
    the slices' seams."""
    import random
    import re

    from guidelines_app.review.check import coverage

    for _n, _topic, rx in coverage._COMPILED:  # (searched in the text made lower case: phrases in lower case)
        assert not re.search(r"\\[sSWD]|\[\^", rx.pattern) and not rx.flags & re.DOTALL, rx.pattern
        assert not re.search(r"(?<!\\)[A-Z]", rx.pattern), rx.pattern
    for _heading, in_text in coverage._QUESTIONS.values():
        assert not re.search(r"\\[sSWD]|\[\^", in_text) and not re.search(r"(?<!\\)[A-Z]", in_text), in_text
    rng = random.Random(7)
    phrases = ["two-factor", "views are my own", "code of conduct", "within 4 hours", "crisis", "retention"]
    words = "we post kind words about our work and check facts first".split()
    for _ in range(2):
        lines = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 14))) for _ in range(3000)]
        for phrase in rng.sample(phrases, 3):
            at = rng.randrange(len(lines))
            lines[at] = f"{lines[at]} {phrase}"
        text = "\n".join(lines)
        text = text.replace("two-factor", "Two-Factor")  # (a search ignoring case finds it)
        whole = {n for n, _topic, rx in coverage._COMPILED if re.search(rx.pattern, text, re.IGNORECASE)}
        assert coverage.covered_topics(text) == whole and len(text) > 3 * coverage._SLICE
    for text in ("", "Crisis", "\n\ncrisis\n", "x" * coverage._SLICE + "\nCRISIS"):
        assert coverage.covered_topics(text) == {n for n, _topic, rx in coverage._COMPILED if re.search(rx.pattern, text, re.IGNORECASE)}
