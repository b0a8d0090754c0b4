"""The document format: front matter + Markdown, byte-identical round trips."""

from __future__ import annotations

import datetime as dt

import pytest

from guidelines_app.core.document import Document, add_months
from guidelines_app.core.errors import FrontMatterError
from guidelines_app.core.names import slugify

ROUND_TRIP_CASES = {
    "app document": ("---\ntitle: Social media guidelines\norganization: Acme\nstatus: draft\nversion: '0.1'\nowners:\n- Comms\n---\n"
                     "# Social media guidelines\n\n## Who\n\nEveryone.\n"),
    "blank lines and empty values in details": ("---\nlayout: handbook-page-toc\ntitle: Team Policy \ndescription: x\ntwitter_image: \n\n---\n"
                                                "## On this page\n{:.no_toc}\n"),
    "no final newline": "---\ntitle: T\n---\nLast line without newline",
    "no details block": "# Just Markdown\n\n- a\n  - b\n",
    "CRLF line endings": "---\r\ntitle: Windows\r\n---\r\n# Windows\r\n\r\nText.\r\n",
    "byte order mark": "\ufeff---\ntitle: BOM\n---\nbody\n",
    "curly quotes and trailing spaces": "---\ntitle: “Quoted”\n---\nIt’s fine.   \n\n",
    "details closed with dots": "---\ntitle: Dots\n...\nbody\n",
    "empty details": "---\n---\nbody\n",
}


@pytest.mark.parametrize("text", ROUND_TRIP_CASES.values(), ids=ROUND_TRIP_CASES.keys())
def test_unchanged_document_round_trips_byte_for_byte(text):
    assert Document.parse(text).to_text() == text


def test_parse_reads_details_and_body():
    doc = Document.parse(ROUND_TRIP_CASES["app document"])
    assert doc.title == "Social media guidelines"
    assert doc.organization == "Acme"
    assert doc.status == "draft"
    assert doc.version == "0.1"
    assert doc.owners == ["Comms"]
    assert doc.body.startswith("# Social media guidelines\n")


def test_crlf_body_is_presented_with_plain_newlines_and_written_back_as_crlf():
    doc = Document.parse(ROUND_TRIP_CASES["CRLF line endings"])
    assert "\r" not in doc.body
    doc.body += "More.\n"
    assert doc.to_text().endswith("Text.\r\n\r\nMore.\r\n") or doc.to_text().endswith("More.\r\n")
    assert "\n" not in doc.to_text().replace("\r\n", "")


def test_changed_detail_rewrites_only_the_details_block():
    text = ROUND_TRIP_CASES["app document"]
    doc = Document.parse(text)
    doc.meta["status"] = "in review"
    out = doc.to_text()
    assert "status: in review" in out
    assert out.endswith(doc.body)
    again = Document.parse(out)
    assert again.status == "in review" and again.title == "Social media guidelines"


def test_new_document_has_every_standard_detail():
    doc = Document.new("Social media guidelines", "Acme", ["Comms"], today=dt.date(2026, 1, 31))
    reparsed = Document.parse(doc.to_text())
    for key in ("title", "organization", "status", "version", "owners", "template", "answers",
                "review_cadence_months", "next_review"):
        assert key in reparsed.meta, key
    assert reparsed.status == "draft"
    assert reparsed.next_review == dt.date(2027, 1, 31)
    assert reparsed.body == "# Social media guidelines\n\n"


@pytest.mark.parametrize(
    "text, line",
    [
        ("---\ntitle: ok\nowners: [unclosed\n---\nbody\n", 3),
        ("---\ntitle: ok\n  bad: indentation\n---\n", 3),
        ("---\n- just\n- a list\n---\n", 2),
    ],
)
def test_malformed_details_name_the_file_and_line(text, line, tmp_path):
    path = tmp_path / "broken.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrontMatterError) as info:
        Document.load(path)
    message = str(info.value)
    assert "broken.md" in message
    assert f"line {line}" in message


@pytest.mark.parametrize("block, says", [
    ("title: x\n  bad: indentation", "indented under one that has its value already"),
    ("title: Social: media", "a value holds ': ' (put the value in quotes)"),
    ("owners: [Comms, HR", "a list in [ ] is not closed"),
    ("title: 'unclosed", "a quote is opened and never closed"),
    ("title: x\nowners\nversion: 1", "a line is not a 'name: value' line (its ':' is missing)"),
    ("title: 'x' y", "a value goes on after its closing quote"),
    ("title: @home", "a value starts with"),
])
def test_details_that_cannot_be_read_are_said_in_plain_words(block, says):
    """PyYAML's words ("expected <block end>, but found '<scalar>'") named
    its parser's states; the details block, an answers file and a rules
    file say what to mend in the line they name."""
    from guidelines_app.drafting.yaml_lines import YamlProblem, load_yaml

    with pytest.raises(FrontMatterError) as info:
        Document.parse(f"---\n{block}\n---\n# T\n")
    for message in (str(info.value), _answers_problem(load_yaml, YamlProblem, block)):
        assert says in message and "expected" not in message and "<" not in message, message


def test_a_yaml_alias_is_refused_before_it_can_expand():
    """Nine aliases of nine in a 400-byte answers file expanded to gigabytes:
    `new --answers` ran for minutes and out of memory."""
    from guidelines_app.drafting.yaml_lines import YamlProblem, load_yaml

    levels = "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefg", "bcdefgh", strict=True))
    bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + levels + "brands: [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
    with pytest.raises(YamlProblem, match="line 2: a value starts with '\\*' \\(a YAML alias"):
        load_yaml(bomb, "bomb.yaml")
    with pytest.raises(FrontMatterError, match="a YAML alias"):
        Document.parse(f"---\n{bomb}---\n# T\n")
    assert Document.parse('---\ntitle: "Rules *for* staff"\n---\n# T\n').title == "Rules *for* staff"


def _answers_problem(load_yaml, problem, block: str) -> str:
    """An answers file's message (read by the pure-Python reader, whose words differ from libyaml's)."""
    with pytest.raises(problem) as info:
        load_yaml(block, "answers.yaml")
    return str(info.value)


def test_unclosed_details_block_is_reported():
    with pytest.raises(FrontMatterError, match="never closed"):
        Document.parse("---\ntitle: x\n\n# Heading\n")


def test_non_utf8_file_is_reported(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes("café".encode("latin-1"))
    with pytest.raises(FrontMatterError, match="not UTF-8"):
        Document.load(path)


@pytest.mark.parametrize("typed, shown", [("1.2", "1.2"), ("'2.0'", "2.0"), ("3", "3"), ("{a: 1}", ""), ("[1, 2]", ""),
                                          ("true", ""), ("", "")])
def test_a_version_typed_by_hand_is_shown_only_when_it_is_one(typed, shown):
    """`guidelines list` showed a mapping typed as the version as Python writes it: {'a': 1}."""
    assert Document.parse(f"---\ntitle: T\nversion: {typed}\n---\n# T\n").version == shown


def test_title_falls_back_to_first_heading():
    assert Document.parse("# From Heading\n\ntext\n").title == "From Heading"


@pytest.mark.parametrize(
    "title, slug",
    [("Social media guidelines", "social-media-guidelines"), ("Règles & “Médias” 2026", "regles-medias-2026"), ("!!!", "untitled"),
     # Letters of other scripts are kept (they made "untitled", "untitled-2", ...); Latin ones lose their accents.
     ("Правила для соцсетей", "правила-для-соцсетей"), ("社交媒体指南 2026", "社交媒体指南-2026"),
     ("Ελληνικοί ΚΑΝΌΝΕΣ", "ελληνικοί-κανόνες"), ("नीति दिशानिर्देश", "नीति-दिशानिर्देश"),
     ("Straße & Łódź", "strasse-lodz"), ("İstanbul ①", "istanbul-1")],
)
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_a_slug_fits_a_file_name_in_any_script():
    """A file name holds 255 bytes: 80 Chinese letters are 240 of them."""
    slug = slugify("指南" * 100)
    assert set(slug) == set("指南") and len(slug.encode("utf-8")) <= 180
    assert slugify("x" * 300) == "x" * 80


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 15), 14) == dt.date(2028, 1, 15)
