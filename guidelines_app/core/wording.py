"""Counts and moments in the words a policy owner reads: "1 word", "3 words",
"today 06:17", "7 Dec 2026 14:14".  The one place for singular and plural,
so every count shown (status bar, compare view, diff summary, CLI reports,
To Be Decided) agrees, and for how the window writes a revision's date, so
the History panel, the compare window, the export of a saved revision and
"Who Changed This Paragraph?" name the same revision the same way."""

from __future__ import annotations

import datetime as _dt

# Nouns whose plural is not the noun with an "s".
_IRREGULAR = {
    "change": "changes",
    "person": "people",
    "entry": "entries",
    "policy": "policies",
    "reply": "replies",
    "is": "are",
    "was": "were",
}


def plural_of(noun: str) -> str:
    """The plural of *noun* ("word" -> "words", "entry" -> "entries")."""
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    head, _, last = noun.rpartition(" ")
    if head:  # "list item" -> "list items": the last word is the noun
        return f"{head} {plural_of(last)}"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and len(noun) > 1 and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def plural(count: int, noun: str, many: str | None = None) -> str:
    """*count* and *noun* in the right number: plural(1, "word") == "1 word",
    plural(1234, "word") == "1,234 words".  *many*: the plural when it is not
    regular.  Words after the noun go after the call:
    f"{plural(n, 'section')} edited"."""
    word = noun if count == 1 else (many or plural_of(noun))
    return f"{count:,} {word}"


def when(moment: _dt.datetime, now: _dt.datetime | None = None) -> str:
    """A moment as a person says it: "today 06:17", "yesterday 18:02",
    "5 Dec 2026 06:17".  *moment* and *now* in the same time zone (an aware
    *moment* is shown in local time)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
        now = now or _dt.datetime.now(moment.tzinfo)
    now = now or _dt.datetime.now()
    clock = moment.strftime("%H:%M")
    days = (now.date() - moment.date()).days
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"yesterday {clock}"
    return f"{moment.day} {moment.strftime('%b %Y')} {clock}"


def _local(moment: _dt.datetime) -> _dt.datetime:
    """An aware *moment* in the local time zone (git dates carry their
    author's offset: a colleague abroad saved at their clock's time)."""
    return moment.astimezone() if moment.tzinfo is not None else moment


def short_moment(moment: _dt.datetime) -> str:
    """A revision's date and time as the window shows it: "7 Dec 2026 14:14"
    (local time; short enough for a narrow panel)."""
    moment = _local(moment)
    return f"{moment.day} {moment.strftime('%b %Y %H:%M')}"


def long_day(moment: _dt.datetime | _dt.date) -> str:
    """A day written out: "7 December 2026" (an aware moment: its local day)."""
    if isinstance(moment, _dt.datetime):
        moment = _local(moment)
    return f"{moment.day} {moment.strftime('%B %Y')}"


def cut_at_word(text: str, limit: int | None) -> str:
    """*text* at most *limit* characters long, cut after a whole word and
    ending in "…" when cut ("Review of posts on o" read as a word of its own)."""
    if limit is None or len(text) <= limit:
        return text
    cut = text[:max(limit - 1, 1)]
    if text[len(cut)] != " " and " " in cut:  # (the next letter goes on the word: drop its start)
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–-") + "…"
