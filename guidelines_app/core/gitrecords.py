"""What the git gateway (``gitstore``) hands back: an author, a revision, a
version tag, a line's last change.  Plain records, no git in them."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True)
class Revision:
    sha: str
    date: _dt.datetime
    author: str
    email: str
    message: str

    @property
    def short(self) -> str:
        return self.sha[:8]

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]


@dataclass(frozen=True)
class TagRef:
    name: str
    commit: str
    tagger: str
    email: str
    date: _dt.datetime | None
    message: str


@dataclass(frozen=True)
class BlameLine:
    sha: str
    author: str
    email: str
    date: _dt.datetime
    summary: str

    @property
    def uncommitted(self) -> bool:
        return set(self.sha) == {"0"}
