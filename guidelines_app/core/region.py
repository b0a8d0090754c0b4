"""The computer's language and region setting, read one way for everything
that follows it (the spelling's first language, the order of a date such as
08/12/2026): from the environment (LC_ALL, then the category's own, then
LANG), else what Python's locale module says (Windows' own names,
"English_United Kingdom")."""

from __future__ import annotations

import os
import re

# Windows names a region in words: the ones whose English or dates differ
# from the British; any other English-speaking region reads as British.
_WINDOWS_REGIONS = {"united states": "US", "philippines": "PH", "canada": "CA"}


def system_locale(category: str = "LC_MESSAGES") -> str:
    """The setting for *category* ("LC_MESSAGES", "LC_TIME") as the
    environment names it, else as Python's locale module does ("" when
    neither names one)."""
    for var in ("LC_ALL", category, "LANG"):
        if os.environ.get(var):
            return os.environ[var]
    import locale

    try:
        return locale.getlocale()[0] or ""
    except ValueError:
        return ""


def language_and_region(name: str | None) -> tuple[str, str]:
    """("en", "GB") of a setting's *name* ("en_GB.UTF-8", "en-US",
    "English_United Kingdom"); "" for a part it does not name ("C": ("c", ""))."""
    base = re.split(r"[.@]", (name or "").strip())[0]
    language, _sep, region = base.replace("-", "_").partition("_")
    language = language.lower()
    if language == "english":
        language = "en"
    if len(region) > 2:  # Windows' names
        region = _WINDOWS_REGIONS.get(region.lower(), "GB")
    region = region.upper() if len(region) == 2 and region.isalpha() else ""
    return language, region
