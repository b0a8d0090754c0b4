"""The details block read without PyYAML (core.front_matter): whatever it
reads, PyYAML's safe loader reads the same way, to the same values and
types; anything else it leaves to PyYAML."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
import yaml

from guidelines_app.core.document import Document, dump_meta
from guidelines_app.core.front_matter import simple_details

REPO = Path(__file__).resolve().parent.parent

NAMES = ["title", "organization", "status", "version", "owners", "next-review", "_x", "yes", "No", "null", "on",
         "y", "n", "a1", "1a", "ti tle", "TRUE", "key_with_underscore"]
VALUES = ["Social media guidelines", "Example Org", "draft", "in review", "'20.0'", "'0.1'", "12", "0", "012", "1_000",
          "1.5", "2024-01-05", "'2024-01-05'", "yes", "Yes", "no", "NO", "on", "off", "true", "False", "null", "Null",
          "~", "", " ", "x ", " x", "a: b", "a #b", "a#b", "[]", "{}", "[a]", "{a: 1}", "'it''s'", "'it's'", "\"plain\"",
          "\"esc\\n\"", "\"a'b\"", "Org's rules", "R&D", "Terms & Conditions", "a, b", "e.g. this", "Wert’s",
          "Ünïcødé title", "日本語", "x\ty", "*alias", "&anchor x", "!tag x", "%x", "@x", "`x`", "|", ">", "-x", "- x",
          "?x", "a+b", "a/b (c)", ".inf", ".nan", "-1", "+1", "0x1A", "0o7", "1:30", "=", "<<", "''", "'a''", "y", "n",
          "\u00a0x", "x\u00a0", "caf\u00e9", "a;b", "A-Z", "x_y", "_x"]
ITEMS = ["- Communications", "- Legal", "  - Legal", " - Legal", "- 'Quoted'", "- 7", "- yes", "- ", "-", "- a: b",
         "- [x]", "  nested: 1", "- x # c"]


def _typed(value):
    """Value and type, all the way down (True == 1, but not here)."""
    if isinstance(value, dict):
        return ("dict", [(k, _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, value)


def _yaml(text: str):
    try:
        meta = yaml.safe_load(text)
    except yaml.YAMLError:
        return "error"
    if meta is None:
        return {}
    return {str(k): v for k, v in meta.items()} if isinstance(meta, dict) else "not a mapping"


def _random_block(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(0, 6)):
        roll = rng.random()
        name = rng.choice(NAMES)
        if roll < 0.6:
            lines.append(f"{name}: {rng.choice(VALUES)}")
        elif roll < 0.8:
            lines.append(f"{name}:")
            lines += [rng.choice(ITEMS) for _ in range(rng.randint(0, 3))]
        elif roll < 0.9:
            lines.append("")
        else:
            lines.append(rng.choice(["# comment", "  indented: 1", f"{name}:{rng.choice(VALUES)}", f"{name} : x",
                                     "- top", "...", " ", "\t"]))
    return "\n".join(lines) + rng.choice(["\n", ""])


def test_what_it_reads_pyyaml_reads_the_same_way():
    rng = random.Random(16)
    read = 0
    for _ in range(20000):
        text = _random_block(rng)
        simple = simple_details(text)
        if simple is None:
            continue
        read += 1
        assert _typed(simple) == _typed(_yaml(text)), text
    assert read > 2000  # the plain blocks among them were read here, not left to PyYAML


@pytest.mark.parametrize("value", VALUES)
def test_each_value_alone_and_as_a_list_item(value):
    for text in (f"title: {value}\n", f"owners:\n- {value}\n", f"owners:\n  - {value}\n"):
        simple = simple_details(text)
        if simple is not None:
            assert _typed(simple) == _typed(_yaml(text)), text


def test_the_details_the_app_writes_are_read_without_pyyaml():
    doc = Document.new("Social media guidelines", "Example Org", ["Communications", "Legal"],
                       today=dt.date(2026, 12, 5))
    text = dump_meta(doc.meta)
    assert simple_details(text) == yaml.safe_load(text) == doc.meta
    bench = "title: Social media guidelines\norganization: Example Org\nstatus: approved\nversion: '20.0'\n" \
            "owners:\n- Communications\n"
    assert simple_details(bench) == {"title": "Social media guidelines", "organization": "Example Org",
                                     "status": "approved", "version": "20.0", "owners": ["Communications"]}


def test_what_is_not_plain_is_left_to_pyyaml():
    for text in ("title: Policy: social media\n", "approved: yes\n", "next_review: 2027-01-05\n",
                 "answers:\n  audience: staff\n", "title: \"a\\tb\"\n", "# a comment\ntitle: x\n",
                 "title: x\ntitle: y\n", "version: 1.0\n", "owners: [a, b]\n", "title:  x\n", "yes: 1\n"):
        assert simple_details(text) is None, text


def test_every_details_block_in_the_repository_reads_as_pyyaml_reads_it():
    checked = read = 0
    for path in sorted([*REPO.glob("policy_templates/**/*.md"), *REPO.glob("tests/**/*.md"),
                        *REPO.glob("docs/**/*.md"), *REPO.glob("resources/**/*.md")]):
        text = path.read_text(encoding="utf-8", errors="replace")
        if not text.startswith("---\n"):
            continue
        end = text.find("\n---", 3)
        if end < 0:
            continue
        block = text[4: end + 1]
        checked += 1
        simple = simple_details(block)
        if simple is not None:
            read += 1
            assert _typed(simple) == _typed(_yaml(block)), path
    assert checked and read  # the repository has such blocks, and plain ones among them


def test_a_document_reads_the_same_with_and_without_the_plain_reader(tmp_path, monkeypatch):
    text = ("---\ntitle: Social media guidelines\norganization: Example Org\nstatus: approved\nversion: '20.0'\n"
            "owners:\n- Communications\nreview_cadence_months: 12\nnext_review: '2027-01-05'\nanswers: {}\n---\n# Body\n")
    plain = Document.parse(text)
    monkeypatch.setattr("guidelines_app.core.document.simple_details", lambda _text: None)  # PyYAML reads it
    with_yaml = Document.parse(text)
    assert _typed(plain.meta) == _typed(with_yaml.meta)
    assert plain.to_text() == text == with_yaml.to_text()
