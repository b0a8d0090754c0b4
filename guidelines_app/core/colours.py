"""The colours the app paints text with, as two sets: light and dark.

Plain data, no Qt: the desktop app chooses a set (``ui.appearance``: the
system's colour scheme, or View > Appearance), the preview's style sheet and
the compare view's redline are filled from it, and exports (HTML pages, the
standalone redline), which are read and printed on paper-white, always use
LIGHT.  Every colour the app shows comes from here.

Inserted words are green and deleted ones red, as reviewers know them
(blue and underlined, an insertion looked like the link beside it).

The dark set keeps every text colour at a contrast of at least 4.5:1 (WCAG
AA) against its background; ``contrast()`` computes it and the tests check
it.
"""

from __future__ import annotations

from collections import namedtuple
from string import Template

# The names of the colours, in groups: the page (preview, editor, guide); the
# editor's Markdown highlighting; changes (the redline: inserted, deleted, a
# side's missing block, and previews of changes); messages in dialogs and
# banners.  A named tuple, not a dataclass: the window's start imports it, and
# a dataclass of 33 fields costs over a millisecond to create.
_NAMES = ("name "
          "text background heading subheading link code code_background pre_background quote border "
          "table_head_background "
          "markup list_marker rule source_link "
          "inserted inserted_background deleted deleted_background placeholder note summary_background added "
          "added_background removed removed_background "
          "error warning secondary banner banner_background banner_border")


class Colours(namedtuple("Colours", _NAMES)):
    """One set of the app's colours (``#rrggbb`` each), by name."""

    __slots__ = ()

    def as_dict(self) -> dict[str, str]:
        return self._asdict()


LIGHT = Colours(
    name="light", text="#1d1d1f", background="#ffffff", heading="#1f4e79", subheading="#2e5d8a", link="#0b5cad",
    code="#8a3b12", code_background="#f1f3f5", pre_background="#f6f8fa", quote="#4a4a4a", border="#c8d3df",
    table_head_background="#e8eef5", markup="#6e6e6e", list_marker="#a65300", rule="#767676", source_link="#0b6e4f",
    inserted="#0a5c1a", inserted_background="#dff5e4", deleted="#9b0000", deleted_background="#fde6e6",
    placeholder="#eeeeee", note="#444444", summary_background="#f5f5f5", added="#0a5c1a", added_background="#e6ffec",
    removed="#82071e", removed_background="#ffebe9", error="#a40000", warning="#8a5a00", secondary="#555555",
    banner="#3b3000", banner_background="#fff4ce", banner_border="#c8a600",
)

DARK = Colours(
    name="dark", text="#e8e8e8", background="#1e1e1e", heading="#8cc4ff", subheading="#a8d2ff", link="#7fbaff",
    code="#f2a97a", code_background="#2c2c2c", pre_background="#262626", quote="#bdbdbd", border="#4d5866",
    table_head_background="#243140", markup="#a0a0a0", list_marker="#f0a848", rule="#9a9a9a", source_link="#62d3a4",
    inserted="#95e6a8", inserted_background="#173d22", deleted="#ffaaaa", deleted_background="#4d1f1f",
    placeholder="#333333", note="#c4c4c4", summary_background="#2a2a2a", added="#95e6a8", added_background="#173d22",
    removed="#ffb0b0", removed_background="#4a1d22", error="#ff8a8a", warning="#f2bd5c", secondary="#b4b4b4",
    banner="#fff1b8", banner_background="#463b0c", banner_border="#8a7300",
)

SETS = {c.name: c for c in (LIGHT, DARK)}


def fill(template: str, colours: Colours) -> str:
    """*template* (a style sheet with ``$heading``-style names) in *colours*;
    a name that is not a colour raises KeyError."""
    return Template(template).substitute(colours.as_dict())


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG's contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def page_css(colours: Colours = LIGHT) -> str:
    """The document's style sheet (resources/preview.css) in *colours*: the
    preview's and the guide's, and in LIGHT the HTML export's."""
    from guidelines_app.core.paths import read_resource_text

    return fill(read_resource_text("preview.css"), colours)
