"""The dates of acknowledgement records as form and survey tools write them,
and which comes first in 08/12/2026, the day or the month.

A file's own dates decide when one reads only one way (25/01/2026: the day
first); else the order the user chose, the document's answer to "whose law
applies" (the United States alone: the month first; the United Kingdom or
the European Union without it: the day first), or the computer's language
and region settings.  An import says which it assumed (``DateOrder.said``);
with none of these, a date that reads both ways is refused."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from guidelines_app.core import region as _region
from guidelines_app.core.errors import GuidelinesError

_DAY_MONTH_RE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T,]+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?$")
# Where dates are written month first (en_US: 12/08/2026 is 8 December); Canada writes both.
_MONTH_FIRST = {"US", "PH", "FM", "MH", "PW", "GU", "AS", "MP", "PR", "VI", "UM"}
_EITHER = {"CA"}


class AttestError(GuidelinesError):
    """An acknowledgement file or form that cannot be read or made (``review.attest``)."""


class AmbiguousDate(AttestError):
    """A date that reads both ways, and nothing that says which."""


@dataclass(frozen=True)
class DateOrder:
    """Whether the day comes first (None: not known) and why, in words that
    finish "as ...": "the file's other dates show", "you chose"."""

    day_first: bool | None = None
    why: str = ""

    def said(self, example: str) -> str:
        """The sentence an import's summary adds after reading *example*,
        a date that reads both ways, in this order."""
        m = _DAY_MONTH_RE.match(example.strip())
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        day, month = (a, b) if self.day_first else (b, a)
        return (f"Dates such as {example.strip()} were read {'day' if self.day_first else 'month'} first "
                f"({_spelled(day, month, year)}), as {self.why}.")


def locale_day_first(name: str | None) -> bool | None:
    """Whether the language and region setting *name* ("en_GB.UTF-8",
    "en-US", Windows' "English_United Kingdom") writes the day first; None
    when it names no region ("C", "POSIX", "en") or one that writes both."""
    region = _region.language_and_region(name)[1]
    if not region:
        return None
    return None if region in _EITHER else region not in _MONTH_FIRST


def system_locale() -> str:
    """The computer's language and region setting for dates (``core.region``)."""
    return _region.system_locale("LC_TIME")


def places_day_first(places: set[str] | None) -> bool | None:
    """The order the answered jurisdictions (``us``, ``uk``, ``eu``) write
    dates in, when they agree; None when they do not, or there is none."""
    orders = {code != "us" for code in (places or set()) if code in ("us", "uk", "eu")}
    return orders.pop() if len(orders) == 1 else None


def default_order(chosen: bool | None = None, places: set[str] | None = None, locale_name: str | None = None) -> DateOrder:
    """The order to read a date that reads both ways in, when the file's own
    dates do not tell it: *chosen* by the user, else the document's
    jurisdiction (*places*: ``us``, ``uk``, ``eu``), else the language and
    region setting *locale_name*; not known without any."""
    if chosen is not None:
        return DateOrder(chosen, "you chose")
    from guidelines_app.review.check.engine import PLACES

    by_place = places_day_first(places)
    if by_place is not None:
        named = " and ".join(PLACES[c] for c in sorted(places or ()) if c in ("us", "uk", "eu"))
        return DateOrder(by_place, f"the policy is for {named} (its answer to \u201cwhose law applies\u201d)")
    by_locale = locale_day_first(locale_name)
    if by_locale is not None:
        return DateOrder(by_locale, f"this computer's language and region setting ({re.split(r'[.@]', locale_name)[0]}) writes them so")
    return DateOrder()


def choose_order(dates: list[str], default: DateOrder | None = None) -> DateOrder:
    """The order to read *dates* in: as those that read one way only show
    (25/01/2026: the day first), else *default* (``default_order``)."""
    shown = file_day_first(dates)
    if shown is not None:
        return DateOrder(shown, f"the file's other dates write the {'day' if shown else 'month'} first")
    return default or DateOrder()


def file_day_first(dates: list[str]) -> bool | None:
    """Whether a file writes the day first (True) or the month first
    (False), as its dates that read only one way show; None when none
    does, or they disagree."""
    orders = set()
    for text in dates:
        m = _DAY_MONTH_RE.match(text.strip())
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a > 12 >= b:
                orders.add(True)
            elif b > 12 >= a:
                orders.add(False)
    return orders.pop() if len(orders) == 1 else None


def reads_both_ways(text: str) -> bool:
    """Whether *text* is a date whose day and month could swap (05/01/2026; not 05/05/2026)."""
    m = _DAY_MONTH_RE.match(text.strip())
    return bool(m) and int(m.group(1)) != int(m.group(2)) and 1 <= int(m.group(1)) <= 12 and 1 <= int(m.group(2)) <= 12


def read_date(text: str, where: str, day_first: bool | None = None) -> str:
    """A record's day as YYYY-MM-DD: ISO dates (with a time or not), and a
    day and month in either order (15/01/2026, 1/15/2026 10:32:15, as form
    tools write them) when only one reading is a date, or *day_first* tells
    the order (``choose_order``).  Otherwise 05/01/2026 is refused: 5 January
    or 1 May (it was read as 5 January without a word)."""
    text = text.strip()
    m = _DAY_MONTH_RE.match(text)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        readings = {(day, month) for day, month in ((a, b), (b, a)) if 1 <= month <= 12 and 1 <= day <= 31}
        if len(readings) > 1 and day_first is not None:
            readings = {(a, b) if day_first else (b, a)}
        if len(readings) > 1:
            raise AmbiguousDate(f"{where}: '{text}' could be {_spelled(a, b, year)} or {_spelled(b, a, year)}: "
                            f"write the dates as YYYY-MM-DD (such as {year}-{b:02d}-{a:02d})")
        for day, month in readings:
            try:
                return _dt.date(year, month, day).isoformat()
            except ValueError:
                break
        raise AttestError(f"{where}: '{text}' is not a date (use YYYY-MM-DD, such as 2026-12-05)")
    for fmt in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return _dt.datetime.strptime(text[:19] if "T" in text or ":" in text else text, fmt).date().isoformat()
        except ValueError:
            continue
    try:
        return _dt.datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        raise AttestError(f"{where}: '{text}' is not a date (use YYYY-MM-DD, such as 2026-12-05)") from None


def _spelled(day: int, month: int, year: int) -> str:
    return f"{day} {_dt.date(2000, month, 1):%B} {year}"
