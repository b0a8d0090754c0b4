"""The details block's plain lines, read without the YAML library.

A document's details are mostly ``name: value`` lines the app wrote itself
(``title: Social media guidelines``, ``version: '0.1'``, a list of owners).
``simple_details`` reads exactly those and nothing else: each line must be
one a YAML safe loader reads in one obvious way, to the same value, and at
the first line that is not, it answers None and the caller asks PyYAML
(which is then imported: a few milliseconds the window's start need not
pay for a document whose details are plain).

What it reads (every other line, and any duplicated name, means None):

* ``name: value`` at the start of a line; the name is letters, digits, "_"
  and "-", starting with a letter or "_", and not a YAML word (yes, no, on,
  off, true, false, null, in any of YAML's spellings);
* a value that is a single-quoted string (``''`` for a quote), a
  double-quoted string without backslashes or quotes, a whole number
  without leading zeros or signs, ``[]``, ``{}``, or plain words: letters,
  digits, spaces and ``.,;()/&'’+_-`` starting with a letter, that are not a
  YAML word;
* ``name:`` alone, followed by list items ``- value`` (all at column 0 or
  all at column 2) of the values above but ``[]`` and ``{}``, or by nothing
  (the value is then None);
* empty lines.
"""

from __future__ import annotations

import re
from typing import Any

# Words a YAML 1.1 safe loader reads as true/false or null, not as text.
_YAML_WORDS = frozenset(
    "yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF null Null NULL".split())
_NAME_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?")
_PLAIN_RE = re.compile(r"[^\W\d_][\w .,;()/&'’+-]*")
_NUMBER_RE = re.compile(r"0|[1-9][0-9]*")
_SINGLE_RE = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE_RE = re.compile(r'"([^"\\]*)"')
_ITEM_RE = re.compile(r"( {0,2})- (.*)")
_NOT_READ = object()


def _scalar(value: str) -> Any:
    """The value of one written scalar, or _NOT_READ."""
    if value != value.strip() or not value.isprintable():
        return _NOT_READ
    if _PLAIN_RE.fullmatch(value):
        return value if value not in _YAML_WORDS else _NOT_READ
    if _NUMBER_RE.fullmatch(value):
        return int(value)
    m = _SINGLE_RE.fullmatch(value)
    if m:
        return m.group(1).replace("''", "'")
    m = _DOUBLE_RE.fullmatch(value)
    if m:
        return m.group(1)
    return _NOT_READ


def simple_details(text: str) -> dict[str, Any] | None:
    """The details block *text* (between the ``---`` lines) as a safe YAML
    loader reads it, when every line is one of those above; else None."""
    meta: dict[str, Any] = {}
    lines = text.split("\n")
    n = 0
    while n < len(lines):
        line = lines[n]
        n += 1
        if not line:
            continue
        m = _NAME_RE.fullmatch(line)
        if m is None or m.group(1) in _YAML_WORDS or m.group(1) in meta:
            return None
        name, written = m.group(1), m.group(2)
        if written is None:
            items, indent = [], None
            while n < len(lines) and lines[n][:1] in (" ", "-"):
                item = _ITEM_RE.fullmatch(lines[n])
                if item is None or indent not in (None, item.group(1)):
                    return None
                indent = item.group(1)
                value = _scalar(item.group(2))
                if value is _NOT_READ:
                    return None
                items.append(value)
                n += 1
            meta[name] = items if items else None
        elif written in ("[]", "{}"):
            meta[name] = [] if written == "[]" else {}
        else:
            value = _scalar(written)
            if value is _NOT_READ:
                return None
            meta[name] = value
    return meta


ALIAS_PROBLEM = "a value starts with '*' (a YAML alias, which repeats another value)"

# What the YAML reader says is wrong, in the words of someone who edited a
# details block (or an answers or rules file) by hand; its own words
# ("expected <block end>, but found '<scalar>'") name its parser's states.
_YAML_PROBLEMS = (
    (re.compile(r"mapping values are not allowed"),
     "a line is indented under one that has its value already, or a value holds ': ' (put the value in quotes)"),
    (re.compile(r"expected ',' or '\]'"), "a list in [ ] is not closed, or a value in it needs quotes"),
    (re.compile(r"expected ',' or '\}'"), "a group in { } is not closed, or a value in it needs quotes"),
    (re.compile(r"found character '\\t' that cannot start any token"), "a tab indents the line: indent with spaces"),
    (re.compile(r"found character '(.)' that cannot start any token"), r"a value starts with '\1' (put the value in quotes)"),
    (re.compile(r"found character that cannot start any token"),  # (libyaml's words: the character unnamed)
     "a value starts with a character that needs quotes (such as @, ` or %), or a tab indents the line (indent with spaces)"),
    (re.compile(r"did not find expected '-' indicator"), "a line under a list ('- ...') is neither an item nor indented under one"),
    (re.compile(r"found undefined alias"), "a value starts with '*' (put the value in quotes)"),
    (re.compile(re.escape(ALIAS_PROBLEM)), ALIAS_PROBLEM + ": write the value out, or put it in quotes"),
    (re.compile(r"found unexpected end of stream"), "a quote is opened and never closed"),
    (re.compile(r"could not find expected ':'"), "a line is not a 'name: value' line (its ':' is missing)"),
    (re.compile(r"expected <block end>, but found|did not find expected key"),
     "a line is indented differently from the lines around it, or a value goes on after its closing quote"),
)


def plain_yaml_problem(problem: str) -> str | None:
    """PyYAML's *problem* in plain words, or None when it has none here."""
    for pattern, words in _YAML_PROBLEMS:
        m = pattern.search(problem)
        if m:
            return m.expand(words)
    return None


def refuse_aliases(text: str, loader) -> None:
    """Raise a YAML error at the first alias (``*name``) in *text*: a file
    typed by hand needs none, and nine aliases of nine make a few hundred
    bytes that expand to gigabytes (the reader then ran out of memory).
    Read as events only (nothing is built); a text without '*' is not read."""
    if "*" not in text:
        return
    import yaml

    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, ALIAS_PROBLEM, event.start_mark)

