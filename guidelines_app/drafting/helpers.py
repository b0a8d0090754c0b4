"""Small helpers templates call so counts, intervals, dates and sentence
starts read naturally whatever the answers are: "1 month" and "3 months",
"every month" rather than "every 1 months", "5 December 2026", and a
lower-case organisation name capitalised where it starts a sentence.

A blank answer reaches a template as a marker ("[to be decided: ...]"); each
helper keeps the marker visible rather than hiding or mangling it.
"""

from __future__ import annotations

import datetime as _dt
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


def long_date(iso: str, missing: str) -> str:
    """"2026-12-05" -> "5 December 2026"; no date -> a marker naming *missing*."""
    if not iso:
        return marker(missing)
    day = _dt.date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B')} {day.year}"
