"""Coverage: whether the document answers who, how, when and where, and
which clause topics of a complete social media policy it does not cover
(the checklist in the domain notes: topics, not wording).

A topic counts as covered when the document's text (headings included)
says any of its telling phrases; the phrases are deliberately specific
("two-factor", "views are my own"), so a passing mention of a common word
does not count."""

from __future__ import annotations

import re

from guidelines_app.review.check.model import CheckContext, Finding, Rule

# (number, topic, what covers it): the checklist's 39 topics, named as a
# user reads them ("Not covered: ..."); the number is for dismissals and
# settings (``params: {skip: [20]}``), never shown.  The phrases include the
# built-in templates' own wording and its common paraphrases
# (tests/test_check_drafts.py renders every set over varied answers).
TOPICS: tuple[tuple[int, str, str], ...] = (
    (1, "What counts as social media, and whom and when the rules reach (on and off duty, anonymous posts)",
     r"\bscope\b|what counts as social media|social media\"? (here |in (this|these) \w+ )?means|"
     r"appl(y|ies) to (all|every|anyone|everyone)|on and off duty|off[- ]duty|anonymous|pseudonym|aliases?\b|"
     r"who (this|these) (policy|guidelines?) (is|are) for|who (this|these) (policy|guidelines?) appl|"
     r"(this|these) (policy|guidelines?) (appl(y|ies)|(is|are) for) (to )?(everyone|all|anyone|every)"),
    (2, "Official spokespeople versus everyone else", r"spokes(person|people|man|woman)|speak(s|ing)? (for|on behalf of|in the name of)|"
     r"official (voice|statements?)|authori[sz]ed to (speak|post)"),
    (3, "Roles and responsibilities", r"roles? and responsibilit|responsibilit(y|ies)\b|center of excellence|centre of excellence|"
     r"\bowner of\b|accountable|who does what|responsible for|account owners?"),
    (4, "Training before posting on the organization's behalf", r"\btrain(ing|ed)\b|certif(y|ied|ication)|onboarding|course"),
    (5, "Personal and official accounts; no organization name in personal handles",
     r"personal (and|versus|vs\.?|or) (official|work|business)|official (and|versus|vs\.?|or) personal|personal accounts?|handles?"),
    (6, "Agencies, vendors and influencers, and their disclosure", r"agenc(y|ies)|vendors?|influencers?|#ad\b|paid partner|contractors?|freelancer"),
    (7, "Updating profiles when someone leaves or changes role", r"(leave|leaves|leaving|left) (the (organi[sz]ation|company)|us)|"
     r"chang(e|es|ing) (your |their |a )?(role|job)|move(s)? (role|jobs?)|off-?boarding|when (you|someone|people|an? \w+) leaves?|"
     r"(your|their|a person's|someone's) last (working )?day|a role (you|they) (have|has) left"),
    (8, "Disclosing one's affiliation", r"disclos\w* (your|their|the) (affiliation|relationship|connection|employment|role)|"
     r"say (that )?you work (for|at|here)|say\b.{0,40}\bthat you work (for|at|here)|\bi work (at|for|here)\b|"
     r"identify yourself as|material connection|say who you work for"),
    (9, "\"Views are my own\" statements", r"views? (are|is) (my|their|your) own|own (views|opinions)|speak(ing)? for (yourself|"
     r"themselves)|personal opinions?"),
    (10, "Confidential information", r"confidential|non-public|forward-looking|unreleased|trade secret|business secrets?|insider"),
    (11, "Legal matters and litigation", r"legal (matters?|issues?|cases?|information|questions|team|counsel|department|proceedings)|"
     r"litigation|lawsuits?|#legal\b"),
    (12, "Privacy of customers and co-workers; personal data", r"privacy|personal data|personal information|data protection|gdpr|consent"),
    (13, "Copyright, trademarks, logos, attribution", r"copyright|trademarks?|logos?|attribut\w+|licen[cs]e[ds]?|fair use|intellectual property"),
    (14, "Civility and respect; harassment; politics and religion",
     r"harass\w*|respect\w*|civil(ity)?\b|politic\w*|religio\w*|discriminat\w*|bully\w*"),
    (15, "Competitors: no disparagement, claims substantiated", r"competitors?|rivals?|substantiat\w*|comparative"),
    (16, "Correcting mistakes openly", r"mistakes?|correct(ion|ing|ed)?\b|errors?\b|retract\w*|apologi[sz]\w*"),
    (17, "Review and pre-approval of official posts", r"pre-?approv\w*|approv(al|ed|e)\b|review(ed)? before|sign-?off|vetting|vetted"),
    (18, "Responding to complaints: triage and escalation", r"complaints?|triage|escalat\w*"),
    (19, "Comment and moderation rules for official pages", r"moderat\w*|house rules|community (rules|guidelines|standards)|comment polic|"
     r"(hide|hid|hidden|remove|removed|delete|deleted)( or (hide|remove|delete))? (a |the |your |any )?comments?|"
     r"comments (we|are) (hide|hidden|remove|removed|delete|deleted)"),
    (20, "Contests, sweepstakes and surveys", r"contests?|sweepstakes?|giveaways?|competitions?|surveys?|prize draws?|polls?"),
    (21, "Account security: credentials, two-factor, revoking access",
     r"two-factor|2fa|multi-factor|mfa|passwords?|credentials|password manager|revok\w* access|"
     r"access (is|to .{1,60}) removed"),
    (22, "Accessibility: alt text, captions", r"accessib\w*|alt text|alternative text|captions?|subtitles?|screen readers?"),
    (23, "Time for social media in people's work; use during work time and on work equipment",
     r"work(ing)? time|time allocat\w*|during work|work equipment|company (devices?|equipment)|"
     r"hours (a|per|each) week|time (in|for) (people's|their|your) schedules?|full-time equivalent|"
     r"(have|has|had) the time agreed|time (it takes )?each week|commit\w* (the |its |their )?(own )?time"),
    (24, "Response-time targets and how often channels are checked", r"respon\w* (time|within)|within \d+ (hours?|minutes?|days?)|(checked|monitored) (every|"
     r"daily|hourly|at least)|response targets?|first reply|repl(y|ies) within"),
    (25, "Launches and embargoes", r"launch\w*|embargo\w*|announce\w* (first|publicly)|only what (is|has been) (published|announced)"),
    (26, "Crisis and emergency plan; pausing scheduled posts", r"crisis|crises|emergenc\w*|pause (all |the )?scheduled|incident response"),
    (27, "Account life cycle; retiring inactive accounts", r"inactive|dormant|retir\w* (an? |the )?accounts?|clos(e|ing) (an? |the )?accounts?|"
     r"life ?cycle|archiv\w* (an? |the )?accounts?"),
    (28, "A list of every official account, with its owner and purpose",
     r"inventory|register of (accounts|channels)|list of (official )?(accounts|channels)|"
     r"channel (list|register|owner)|account owners?|(every|each) (official )?(channel|account) has (a |one )?(named )?owner"),
    (29, "Approved platforms; terms and privacy review before opening an account",
     r"approved (platforms?|channels?|tools?)|new (accounts?|channels?|platforms?)|"
     r"open(ing)? (an? |new )?(official )?accounts?|terms of (service|use)"),
    (30, "No unauthorized official-looking accounts", r"unauthori[sz]ed|official-looking|impersonat\w*|fake accounts?|look(s)? official"),
    (31, "Following each platform's own terms; internal versus external tools",
     r"platform'?s? (own )?(terms|rules|promotion rules)|terms of (service|use)|internal (tools?|channels?|"
     r"platforms?|collaboration tools?)|external (tools?|platforms?)"),
    (32, "Links to the code of conduct and related policies", r"code of (conduct|ethics)|related polic\w*|other polic\w*|handbook|see also"),
    (33, "Employees' rights the policy does not limit; local law prevails",
     r"section 7|national labor relations|nlra|protected concerted|working conditions|local law|"
     r"whistleblow\w*|nothing in (this|these) (policy|guidelines?)"),
    (34, "Records retention and archiving of official posts", r"retention|retain\w*|archiv\w*|records? (management|keeping)|"
     r"record-keeping|kept as records?|public records?|kept for \d+"),
    (35, "Measurement: metrics, reporting, return on investment", r"metrics?|measur\w*|\bkpis?\b|return on investment|\broi\b|analytics|reporting"),
    (36, "Consequences of violations", r"consequences?|violat\w*|breach\w*|disciplin\w*|sanctions?"),
    (37, "Acknowledgement: employees confirm they have read the policy",
     r"acknowledg\w*|confirms? (that )?(they|you) (have )?read|confirms?\b.{0,40}\bthat (they|you) (have|has) read|"
     r"attest\w*|sign(ed)? to confirm"),
    (38, "How often the policy is reviewed, and how changes are announced",
     r"review(ed|s)? (every|annually|yearly|once a)|next review|review cadence|changes (are|will be) announced|"
     r"reviews? (it|them|this \w+|these \w+)\b.{0,80}\bevery\b|changes are\b.{0,80}\bannounced|"
     r"revis(e|ed|ion)s? (of|to) (this|the) (policy|guidelines)|keeping (this|these) \w+ (current|up to date)|"
     r"updates? (to |of )?(this|the) (policy|guidelines)|updates? (are|will be) (announced|communicated)"),
    (39, "Who to ask: a contact for questions", r"questions?\b.{0,60}\b(contact|ask|reach|e-?mail|channel|write to)|(contact|ask|"
     r"reach) .{0,40} (with|for|if you have) (any )?questions?|who to ask|"
     r"(contact|consult|ask|reach out to) (the )?[#@]?[\w-]+ (slack )?channel|for guidance|"
     r"\bask .{1,80} (about anything|if you are unsure|whenever you are unsure|when you are unsure)|"
     r"(any |your )?questions? about (this|these) (policy|guidelines|brief)"),
)
# Searched in the text made lower case (the phrases are written in lower
# case): five times quicker than a search ignoring case (0.7 -> 0.14 s for
# 40,000 words), the same answer but for a few letters no English policy
# has (the long s, say).
_COMPILED = [(n, topic, re.compile(rx)) for n, topic, rx in TOPICS]

# (in a heading, in the text): a heading answers the question, or the text says so plainly.
_QUESTIONS = {
    "who": (r"\bwho\b|roles?|responsib\w*|spokes\w*|team|owners?|scope|people",
            r"applies to|who (may|can|should)|spokes\w+|responsible for|\broles?\b"),
    "how": (r"\bhow\b|guidelines?|rules?|process|review|approv\w*|steps?|principles?|conduct",
            r"how to|process|must be (reviewed|approved)|\bsteps?\b"),
    "when": (r"\bwhen\b|response|hours?|schedul\w*|crisis|cadence|timing|time",
             r"within (\d+|an?|one|two|three) (minutes?|hours?|days?)|response times?|hours? (a|per)|cadence|every \d+|"
             r"crisis|during work|as soon as|urgen\w+"),
    "where": (r"\bwhere\b|channels?|platforms?|accounts?|sites?|networks?",
              r"\bchannels?\b|\bplatforms?\b|official accounts?"),
}


_SLICE = 20_000  # characters of whole lines one search reads at a time


def found_in(rx: re.Pattern, text: str) -> bool:
    """Whether *rx* (no pattern here reads past a line's end: no
    ``\\s``, ``\\W`` or ``[^...]``, and ``.`` stops at it) is found in
    *text*, searched a slice of whole lines at a time: the check runs on a
    worker, and one search of a 40,000-word policy for a phrase it lacks
    held the interpreter, and so the window, up to half a second."""
    start = 0
    while start <= len(text):
        end = text.find("\n", start + _SLICE)
        end = len(text) if end < 0 else end
        if rx.search(text, start, end):
            return True
        start = end + 1
    return False


def covered_topics(text: str) -> set[int]:
    lowered = text.lower()
    return {n for n, _topic, rx in _COMPILED if found_in(rx, lowered)}


def clause_topics(ctx: CheckContext, rule: Rule) -> list[Finding]:
    if ctx.view.sections and len(ctx.view.body.split()) < int(rule.params.get("min_words", 150)):
        return []  # a note or a stub, not a policy yet
    if str(ctx.doc.meta.get("template") or "") in set(map(str, rule.params.get("not_for_templates", []))):
        return []  # a plan drafted from a template that is not a policy (a strategy brief): the checklist is a policy's
    text = ctx.view.body
    have = covered_topics(text)
    skip = {int(n) for n in rule.params.get("skip", []) if str(n).isdigit()}
    return [ctx.finding(rule, None, f"topic {n}", title=f"Not covered: {topic}")
            for n, topic, _rx in _COMPILED if n not in have and n not in skip]


def who_how_when_where(ctx: CheckContext, rule: Rule) -> list[Finding]:
    if len(ctx.view.body.split()) < int(rule.params.get("min_words", 150)):
        return []  # a note or a stub, not guidelines yet
    headings = " ".join(s.title for s in ctx.view.sections)
    lowered = ctx.view.body.lower()
    found = []
    for question, (in_heading, in_text) in _QUESTIONS.items():
        if not re.search(in_heading, headings, re.IGNORECASE) and not found_in(re.compile(in_text), lowered):
            found.append(ctx.finding(rule, None, question, title=f"The document does not say {question}"))
    return found
