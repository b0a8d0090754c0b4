"""What the git gateway (``gitstore``) hands back: an author, a revision, a
version tag, a line's last change.  Plain records, no git in them.

Named tuples rather than dataclasses: every command and the window's start
import these, and a frozen dataclass costs about 0.3 ms to create (a named
tuple a tenth of that); they are made by the thousand in a long history,
where a tuple is also the quickest to make."""

from __future__ import annotations

from collections import namedtuple


class Identity(namedtuple("Identity", "name email")):
    """Who saves: a name and an e-mail address."""

    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Revision(namedtuple("Revision", "sha date author email message")):
    """A commit: its id, date (an aware datetime), author, e-mail and message."""

    __slots__ = ()

    @property
    def short(self) -> str:
        return self.sha[:8]

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]


class TagRef(namedtuple("TagRef", "name commit tagger email date message")):
    """A version tag: its name, the commit it points at, and for an annotated
    tag who made it, when (None for a lightweight one) and its message."""

    __slots__ = ()


class BlameLine(namedtuple("BlameLine", "sha author email date summary")):
    """A line's last change: the commit, its author, e-mail, date and subject."""

    __slots__ = ()

    @property
    def uncommitted(self) -> bool:
        return set(self.sha) == {"0"}
