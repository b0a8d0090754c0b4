"""Merging two people's versions of a file against the version both started
from, and naming what a person must decide (no git here: sync hands in the
three versions and writes the result).

A guideline document is merged in two parts:

* its details (front matter) field by field: a field only one side changed
  takes that change; a field both changed differently (status, version,
  owners, ...) is a conflict of its own.  No text markers ever go into a file;
* its body section by section (a section is a heading with the lines up to the
  next heading, see ``core.outline``): a section only one side changed takes
  that change; a section both changed is merged line by line when the changes
  do not overlap, else it is a conflict showing both versions.

Each conflict is decided as ``ours``, ``theirs``, ``both`` (what the two
share once, and where they differ ours, then theirs: no word of either is
lost) or ``edit`` (a merged text the person wrote).  Other files are merged
line by line, or decided as a whole.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from guidelines_app.core.document import STATUSES, Document, detail_name, status_name
from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.inline_markup import display_text
from guidelines_app.core.line_merge import merge_lines, merge_section
from guidelines_app.core.md_lines import ATX_HEADING_RE, SETEXT_UNDERLINE_RE, unquote
from guidelines_app.core.outline import scan_headings

OURS, THEIRS, BOTH, EDIT = "ours", "theirs", "both", "edit"
CHOICES = (OURS, THEIRS, BOTH, EDIT)
PREAMBLE = "The text before the first heading"
UNTITLED = "A section whose heading has no words"
WHOLE_FILE = "The whole file"
_ABSENT: Any = object()  # a field or section one side does not have


@dataclass(frozen=True)
class Conflict:
    """One decision: *key* names it within its file, *label* for people
    (``Section “Scope”``, ``Detail “Next review”``: ``label_of``); the
    texts are None where a side does not have it (deleted).  *document*:
    the title of the guideline document it is in ("" for another file);
    *name*: the section's title or the detail's name as a reader sees it
    (``document.detail_name``), "" for the text before the first heading
    and a whole file (for a window that writes the label in its language)."""

    path: str
    key: str
    label: str
    kind: str  # "field", "section" or "file"
    base: str | None
    ours: str | None
    theirs: str | None
    document: str = field(default="", compare=False)
    name: str = field(default="", compare=False)
    # A detail's (base, ours, theirs) values as the file holds them (``_ABSENT``: not there); its texts are
    # these as a person types them in Document Details (``typed``).
    values: tuple = field(default=(), compare=False, repr=False)


def label_of(kind: str, key: str, name: str) -> str:
    """A conflict's label: ``Section “Scope”``, ``Detail “Status”``, the text
    before the first heading, a section whose heading has no words, or the
    whole file.  It starts with a capital and reads after a colon, or
    lowered (``sync_names.describe``) within a sentence."""
    if kind == "field":
        return f"Detail “{name}”"
    if kind == "section" and key == "preamble":
        return PREAMBLE
    if kind == "section":
        return f"Section “{name}”" if name else UNTITLED
    return WHOLE_FILE


Choice = tuple[str, str]  # (one of CHOICES, the edited text for EDIT)


@dataclass
class FileMerge:
    """The merge of one file: the conflicts left for a person, and how to
    build the file from the decisions (``result``: None = the file is removed)."""

    path: str
    conflicts: list[Conflict] = field(default_factory=list)
    compose: Callable[[dict[str, Choice]], bytes | None] | None = None

    def result(self, choices: dict[str, Choice]) -> bytes | None:
        missing = [c.label for c in self.conflicts if c.key not in choices]
        if missing:
            raise GuidelinesError(f"{self.path}: still to decide: {', '.join(missing)}")
        return self.compose(choices)


def decide(conflict: Conflict, choice: Choice) -> str | None:
    """The text a decision gives for one conflict (None: left out)."""
    how, edited = choice
    if how == OURS:
        return conflict.ours
    if how == THEIRS:
        return conflict.theirs
    if how == EDIT:
        return edited
    if how == BOTH:
        return _both(conflict.ours, conflict.theirs, blocks=conflict.kind == "section",
                     heading=conflict.kind == "section" and conflict.key != "preamble")
    raise GuidelinesError(f"'{how}' is not a choice: use ours, theirs, both or edit")


def outcome(conflict: Conflict, choice: Choice) -> str | None:
    """What a decision puts in the file for *conflict*, as text (a field's
    value as it is written; None: left out); GuidelinesError when *choice*
    cannot decide it (an unknown choice, "both" for a single-valued field,
    "both" or "edit" of a file that is not text)."""
    if conflict.kind == "field":
        return typed(_field_value(conflict, choice), conflict.key)
    if conflict.kind == "file" and choice[0] in (BOTH, EDIT) and (conflict.ours or conflict.theirs or "").startswith(
            "(a file of "):
        raise GuidelinesError(f"{conflict.path} is not text: take yours or theirs")
    return decide(conflict, choice)


def check_choice(conflict: Conflict, choice: Choice) -> None:
    """GuidelinesError when *choice* cannot decide *conflict* (see ``outcome``)."""
    outcome(conflict, choice)


def _both(ours: str | None, theirs: str | None, blocks: bool = False, heading: bool = False) -> str | None:
    """Ours, then theirs, with what the two share kept once: the parts (the
    blocks of a section's text with *blocks*: paragraphs, list items, table
    rows, code; else lines) both have stay as they are, and where the two
    differ, our parts come first, then theirs.  Every word of both is kept.
    *heading*: the text opens with a section's heading, kept once when the
    two write it alike."""
    if ours is None or theirs is None:
        return ours if theirs is None else theirs
    if ours == theirs:
        return ours
    ours_lines, theirs_lines = ours.splitlines(keepends=True), theirs.splitlines(keepends=True)
    head = []
    if heading and ours_lines and theirs_lines:
        n, m = _heading_size(ours_lines), _heading_size(theirs_lines)
        if _key("".join(ours_lines[:n])).casefold() == _key("".join(theirs_lines[:m])).casefold():
            head, ours_lines, theirs_lines = ours_lines[:n], ours_lines[n:], theirs_lines[m:]
    if not "".join(ours_lines).strip() or not "".join(theirs_lines).strip():  # one side has only the heading
        return "".join(head + (theirs_lines if not "".join(ours_lines).strip() else ours_lines))
    if not blocks:
        parts = [line if line.endswith("\n") else line + "\n" for line in ours_lines]  # (a last line without its end)
        theirs_parts = [line if line.endswith("\n") else line + "\n" for line in theirs_lines]
        matcher = difflib.SequenceMatcher(None, parts, theirs_parts, autojunk=False)
        out = [part for tag, i1, i2, j1, j2 in matcher.get_opcodes()
               for part in (parts[i1:i2] if tag == "equal" else parts[i1:i2] + theirs_parts[j1:j2])]
        return "".join(head + out)
    return "".join(head) + _both_blocks(ours_lines, theirs_lines)


def _heading_size(lines: list[str]) -> int:
    """How many lines the heading that opens *lines* takes (an underlined one: 2)."""
    if len(lines) > 1 and not ATX_HEADING_RE.match(lines[0].rstrip("\r\n")) and SETEXT_UNDERLINE_RE.match(
            lines[1].rstrip("\r\n")):
        return 2
    return 1


def _key(text: str) -> str:
    return " ".join(text.split())


@dataclass
class _Part:
    """One block of a section's text: its lines, and the blank lines after it."""

    kind: tuple[bool, str]  # (in a quote, "item" / "row" / "code" / "text")
    lines: list[str]
    after: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return (self.kind, _key("".join(self.lines)))


def _parts(lines: list[str]) -> tuple[list[str], list[_Part]]:
    """The blank lines a text starts with, and its blocks as the editor
    reads them (``core.surface_text.split_units``: a paragraph, one list
    item, a code block ...), a table row by row and a quote block by block
    inside it, each block with its own lines and the blank lines after it."""
    from guidelines_app.core.surface_text import QUOTE, SOURCE, TABLE, split_units

    def read(texts: list[str], originals: list[str], quoted: bool) -> tuple[list[str], list[_Part]]:
        units = [unit for unit in split_units("\n".join(texts)) if unit.lines]
        lead = originals[:units[0].first] if units else list(originals)  # (blank lines only: no block)
        parts: list[_Part] = []
        for unit in units:
            own = originals[unit.first:unit.first + len(unit.lines)]
            after = originals[unit.first + len(unit.lines):unit.first + len(unit.lines) + len(unit.tail)]
            if unit.kind == QUOTE and not quoted:  # its paragraphs and items, each a block of the quote
                inner = unquote(unit.lines)
                inner_lead, inner_parts = read(inner, own, True)
                if inner_parts:
                    inner_parts[0].lines[:0] = inner_lead
                    inner_parts[-1].after += after
                    parts += inner_parts
                    continue
            if unit.kind == TABLE and len(own) > 2:  # its header (with the line under it), then row by row
                parts += [_Part((quoted, "row"), own[:2])] + [_Part((quoted, "row"), [row]) for row in own[2:]]
                parts[-1].after = after
                continue
            kind = {"item": "item", SOURCE: "code", TABLE: "row"}.get(unit.kind, "text")
            parts.append(_Part((quoted, kind), own, after))
        return lead, parts

    texts = [line.rstrip("\r\n") for line in lines]
    return read(texts, list(lines), False)


def _both_blocks(ours_lines: list[str], theirs_lines: list[str]) -> str:
    (lead, ours), (_lead, theirs) = _parts(ours_lines), _parts(theirs_lines)
    matcher = difflib.SequenceMatcher(None, [p.key for p in ours], [p.key for p in theirs], autojunk=False)
    # Each part kept, with where it is on each side that has it (to know what follows it there).
    kept: list[tuple[_Part, dict[str, int]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            kept += [(ours[i], {OURS: i, THEIRS: j}) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
        else:
            kept += [(ours[i], {OURS: i}) for i in range(i1, i2)] + [(theirs[j], {THEIRS: j}) for j in range(j1, j2)]
    out = list(lead)
    for n, (part, where) in enumerate(kept):
        body = part.lines[:]
        if not body[-1].endswith("\n"):
            body[-1] += "\n"
        out += body
        if n + 1 == len(kept):
            out += part.after
            continue
        following, at = kept[n + 1]
        sides = {OURS: ours, THEIRS: theirs}
        side = next((s for s, i in at.items() if where.get(s) == i - 1), None)
        if side is not None:  # as that side has it
            out += sides[side][where[side]].after
        elif part.kind == following.kind and part.kind[1] in ("item", "row"):
            pass  # the next item of the same list, the next row of the same table
        elif part.kind[0] and following.kind[0]:
            out.append(">\n")  # the next paragraph of the same quote
        else:
            out.append("\n")  # a paragraph of its own
    return "".join(out)


# ---- plans ----------------------------------------------------------------------


def merge_texts(path: str, base: str, ours: str, theirs: str) -> tuple[str | None, list[Conflict]]:
    """*ours* and *theirs*, both changed from *base*, as one text, as a sync
    merges them (``plan``), with no conflict; else None and the conflicts
    (the window's Combine Both of an outside change over unsaved edits)."""
    merge = plan(path, base.encode("utf-8"), ours.encode("utf-8"), theirs.encode("utf-8"))
    if merge.conflicts:
        return None, merge.conflicts
    merged = merge.result({})
    return (None if merged is None else merged.decode("utf-8")), []


def plan(path: str, base: bytes | None, ours: bytes | None, theirs: bytes | None) -> FileMerge:
    """How to merge one file both sides changed."""
    texts = [_text(b) for b in (base, ours, theirs)]
    decoded_ok = all(t is not None or b is None for t, b in zip(texts, (base, ours, theirs), strict=True))
    if not decoded_ok:
        return _whole_file(path, base, ours, theirs, text=False)
    b, o, t = texts
    if path.endswith(".md") and o is not None and t is not None:
        docs = _parse_all(b or "", o, t)
        if docs is not None:
            return _document(path, *docs)
    if o is not None and t is not None:
        merged = merge_lines((b or "").splitlines(keepends=True), o.splitlines(keepends=True), t.splitlines(keepends=True))
        if merged is not None:
            result = "".join(merged).encode("utf-8")
            return FileMerge(path, [], lambda _choices: result)
    return _whole_file(path, base, ours, theirs, text=True)


def _text(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _parse_all(*texts: str) -> tuple[Document, Document, Document] | None:
    try:
        return tuple(Document.parse(t) for t in texts)  # type: ignore[return-value]
    except GuidelinesError:
        return None


def _title(path: str, *texts: str | None) -> str:
    """The title of the guideline document *path* (the first of *texts* that reads as one)."""
    if not path.endswith(".md"):
        return ""
    for text in texts:
        if text is not None:
            try:
                return Document.parse(text).title
            except GuidelinesError:
                continue
    return ""


def _whole_file(path: str, base: bytes | None, ours: bytes | None, theirs: bytes | None, text: bool) -> FileMerge:
    def show(data: bytes | None) -> str | None:
        if data is None:
            return None
        return data.decode("utf-8", errors="replace") if text else f"(a file of {len(data)} bytes that is not text)"

    conflict = Conflict(path, "file", WHOLE_FILE, "file", show(base), show(ours), show(theirs),
                        _title(path, *(show(data) for data in (ours, theirs, base))) if text else "")

    def compose(choices: dict[str, Choice]) -> bytes | None:
        how, edited = choices["file"]
        if not text and how in (BOTH, EDIT):
            raise GuidelinesError(f"{path} is not text: take yours or theirs")
        if how == OURS:
            return ours
        if how == THEIRS:
            return theirs
        chosen = decide(conflict, (how, edited))
        return None if chosen is None else chosen.encode("utf-8")

    return FileMerge(path, [conflict], compose)


# ---- a guideline document -----------------------------------------------------------


def _document(path: str, base: Document, ours: Document, theirs: Document) -> FileMerge:
    conflicts: list[Conflict] = []
    meta, field_conflicts = _merge_fields(path, base.meta, ours.meta, theirs.meta)
    conflicts += field_conflicts
    parts, section_conflicts = _merge_sections(path, base.body, ours.body, theirs.body)
    conflicts += section_conflicts
    conflicts = [replace(c, document=ours.title) for c in conflicts]  # (as the list of documents names it)

    def compose(choices: dict[str, Choice]) -> bytes:
        resolved = dict(meta)
        for c in field_conflicts:
            value = _field_value(c, choices[c.key])
            if value is _ABSENT:
                resolved.pop(c.key.removeprefix("field:"), None)
            else:
                resolved[c.key.removeprefix("field:")] = value
        order = list(ours.meta) + [k for k in theirs.meta if k not in ours.meta]
        resolved = {k: resolved[k] for k in order if k in resolved} | {k: v for k, v in resolved.items() if k not in order}
        body = "".join(p if isinstance(p, str) else (decide(p, choices[p.key]) or "") for p in parts)
        doc = theirs if resolved == theirs.meta and resolved != ours.meta else ours
        out = Document.parse(doc.to_text())
        out.meta = resolved if resolved != doc.meta else out.meta
        out.body = body
        return out.to_text().encode("utf-8")

    return FileMerge(path, conflicts, compose)


def typed(value: Any, key: str = "") -> str | None:
    """A detail's value as a person types it in Document Details (None: the
    detail is not there): a list (the owners) its items separated by commas,
    the status by its name ("In review"), a text as it is, a number or a day
    as the file writes it.  *key*: the conflict's ("field:status")."""
    if value is _ABSENT:
        return None
    if key == "field:status" and value in STATUSES:
        return status_name(value)
    if isinstance(value, list):
        return ", ".join(item if isinstance(item, str) else typed(item) or "" for item in value)
    if isinstance(value, str):
        return value
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False).strip().removesuffix("...").strip()


def _read_typed(conflict: Conflict, text: str) -> Any:
    """A detail's value from the text a person typed for it (``typed``): a
    list for a detail that is a list on either side (split at commas or
    lines, as Document Details splits the owners), a text for a detail that
    is a text on both, else the value the text reads as in the file."""
    sides = [v for v in conflict.values if v is not _ABSENT and v is not None]
    stripped = text.strip()
    if conflict.key == "field:status":  # ("In review": the status the file writes "in review")
        named = {status_name(s).casefold(): s for s in STATUSES}
        if stripped.casefold() in named:
            return named[stripped.casefold()]
    if any(isinstance(v, list) for v in sides):
        if stripped.startswith("[") and stripped.endswith("]"):  # (written as the file writes a list on one line)
            try:
                listed = yaml.safe_load(stripped)
            except yaml.YAMLError:
                listed = None
            if isinstance(listed, list):
                return listed
        return [item.strip() for item in stripped.replace("\n", ",").split(",") if item.strip()]
    if sides and all(isinstance(v, str) for v in sides):
        return stripped
    try:
        return yaml.safe_load(stripped) if stripped else ""
    except yaml.YAMLError:
        return stripped


def _merge_fields(path: str, base: dict, ours: dict, theirs: dict) -> tuple[dict, list[Conflict]]:
    merged, conflicts = {}, []
    for key in list(ours) + [k for k in theirs if k not in ours]:
        b, o, t = base.get(key, _ABSENT), ours.get(key, _ABSENT), theirs.get(key, _ABSENT)
        if o == t or t == b:
            value = o
        elif o == b:
            value = t
        else:
            name = detail_name(key)
            texts = (typed(v, f"field:{key}") for v in (b, o, t))
            conflicts.append(Conflict(path, f"field:{key}", label_of("field", key, name), "field", *texts, name=name, values=(b, o, t)))
            continue
        if value is not _ABSENT:
            merged[key] = value
    return merged, conflicts


def _field_value(conflict: Conflict, choice: Choice) -> Any:
    how, edited = choice
    _base, ours, theirs = conflict.values
    if how == BOTH:
        if isinstance(ours, list) and isinstance(theirs, list):
            return ours + [v for v in theirs if v not in ours]  # owners: everyone named on either side
        raise GuidelinesError(f"{conflict.label} holds one value: take yours, theirs, or type the value")
    if how in (OURS, THEIRS):
        return ours if how == OURS else theirs
    decide(conflict, (how, edited))  # (refuses what is not a choice)
    return _read_typed(conflict, edited)


def _sections(body: str) -> list[tuple[str, str, str]]:
    """(key, title, text) of the body's parts: the text before the first
    heading (no title), then each heading with its lines up to the next heading."""
    lines = body.splitlines(keepends=True)
    titles = {line: title for line, _level, title in scan_headings([ln.rstrip("\r\n") for ln in lines])}
    parts, seen = [], {}
    bounds = [0, *titles, len(lines)]
    for n in range(len(bounds) - 1):
        text = "".join(lines[bounds[n]:bounds[n + 1]])
        if n == 0:
            parts.append(("preamble", "", text))
            continue
        title = titles[bounds[n]]
        count = seen[title.casefold()] = seen.get(title.casefold(), 0) + 1
        parts.append((f"section:{title.casefold()}#{count}", title, text))
    return parts


def _merge_sections(path: str, base: str, ours: str, theirs: str) -> tuple[list, list[Conflict]]:
    """The merged body as a list of texts and Conflicts (in order)."""
    b = {k: t for k, _label, t in _sections(base)}
    o_parts, t_parts = _sections(ours), _sections(theirs)
    o, t = {k: t for k, _label, t in o_parts}, {k: t for k, _label, t in t_parts}
    titles = {k: title for k, title, _t in t_parts} | {k: title for k, title, _t in o_parts}
    order = [k for k, _l, _t in o_parts]
    previous = None
    for k, _label, _text in t_parts:  # sections only theirs has go after the one they follow there
        if k not in order:
            order.insert(order.index(previous) + 1 if previous in order else len(order), k)
        previous = k
    parts, conflicts = [], []
    for key in order:
        bt, ot, tt = b.get(key), o.get(key), t.get(key)
        if ot == tt or tt == bt:
            chosen = ot
        elif ot == bt:
            chosen = tt
        elif ot is not None and tt is not None:
            merged = merge_section(bt or "", ot, tt)
            chosen = merged if merged is not None else _ABSENT
        else:
            chosen = _ABSENT
        if chosen is _ABSENT:
            name = display_text(titles[key])  # (as the outline shows it: no markup)
            conflict = Conflict(path, key, label_of("section", key, name), "section", bt, ot, tt, name=name)
            conflicts.append(conflict)
            parts.append(conflict)
        elif chosen is not None:
            parts.append(chosen)
    return parts, conflicts
