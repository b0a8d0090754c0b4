"""Small helpers templates call so counts, intervals, dates and sentence
starts read naturally whatever the answers are: "1 month" and "3 months",
"every month" rather than "every 1 months", "5 December 2026", a
lower-case organisation name capitalised where it starts a sentence, and a
team's or role's name with "the" only where it takes one ("the Digital
Team", "Group Communications").

A blank answer reaches a template as a marker ("[to be decided: ...]"); each
helper keeps the marker visible rather than hiding or mangling it.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from guidelines_app.core.wording import plural as _plural
from guidelines_app.core.wording import plural_of
from guidelines_app.drafting.answers import Marker, marker


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def plural(count: Any, noun: str) -> str:
    """"1 month", "3 months", "1,500 people"; a marker keeps its place:
    "[to be decided: staff] people"."""
    if _is_count(count):
        return _plural(count, noun)
    if isinstance(count, Marker) and count.removesuffix("]").endswith((f" {plural_of(noun)}", f" {noun}")):
        return str(count)  # "[to be decided: training interval in months]", not "… in months] months"
    return f"{count} {plural_of(noun)}"


def every(count: Any, noun: str) -> str:
    """"every month" for 1, "every 6 months" otherwise."""
    if _is_count(count) and count == 1:
        return f"every {noun}"
    return f"every {plural(count, noun)}"


def capfirst(value: Any) -> str:
    """The text with its first letter in upper case, for a sentence start:
    "northwind" -> "Northwind".  A name whose second letter is a capital
    ("eBay") is a brand's own spelling and stays as it is."""
    text = str(value)
    if isinstance(value, Marker) or not text or not text[0].islower():
        return text
    if len(text) > 1 and text[1].isupper():
        return text
    return text[0].upper() + text[1:]


# The last word of a name that makes it a common noun, which takes "the":
# "the Digital Team", "the Social Media Center of Excellence", "the Head of
# Communications".  A name without one is a proper name and stands alone:
# "Group Communications", "Comms", "Marketing", "Dana Reyes".
_TAKES_THE = frozenset("""
    team teams office centre center unit department dept group hub desk function board committee council squad
    cell division lab studio agency network crew panel taskforce force circle guild collective secretariat bureau
    newsroom programme program practice coe
    head director manager officer lead leader chief executive president chair chairman chairwoman chairperson
    coordinator co-ordinator editor specialist adviser advisor partner owner controller secretary administrator
    supervisor principal counsel strategist analyst consultant
""".split())
_DETERMINERS = ("the", "our", "your", "its", "their", "each", "every", "this", "that")
_ASIDE = re.compile(r"\([^)]*\)")


def the(value: Any) -> Any:
    """A team's or a role's name as it reads inside a sentence: with "the"
    when its last word (before "of") names a team or a role ("the Digital
    Team", "the Head of Communications"), alone when it is a proper name
    ("Group Communications", "Comms"), and never "the the" when the answer
    already says "the" ("The Digital Team" -> "the Digital Team").  Use
    ``|capfirst`` where it starts a sentence.  A marker stays as it is."""
    if isinstance(value, Marker):
        return value
    text = " ".join(str(value).split())
    if not text:
        return text
    first, _, rest = text.partition(" ")
    if first.lower() in _DETERMINERS and rest:
        return f"{first.lower()} {rest}"
    head = re.split(r"\s+of\s+", _ASIDE.sub(" ", text), maxsplit=1, flags=re.IGNORECASE)[0].split()
    word = re.sub(r"[^\w-]", "", head[-1]).lower() if head else ""
    return f"the {text}" if word in _TAKES_THE else text


def long_date(iso: str, missing: str) -> str:
    """"2026-12-05" -> "5 December 2026"; no date -> a marker naming *missing*."""
    if not iso:
        return marker(missing)
    day = _dt.date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B')} {day.year}"
