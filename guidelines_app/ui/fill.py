"""Values into a translated sentence.  A translator sees one whole sentence
with numbered places ("Saved %1 by %2", as Qt's QString.arg numbers them)
and may reorder them; ``fill`` puts the values in, in one pass, so a value
that itself contains "%2" (a revision message, a file name) stays as it is."""

from __future__ import annotations

import re

_PLACE = re.compile(r"%(\d+)")


def fill(sentence: str, *values: object) -> str:
    """*sentence* with %1 replaced by the first of *values*, %2 by the
    second, and so on; a place without a value stays as written."""

    def value(match: re.Match) -> str:
        number = int(match.group(1))
        return str(values[number - 1]) if 0 < number <= len(values) else match.group(0)

    return _PLACE.sub(value, sentence)
