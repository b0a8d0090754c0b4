"""Attestation (review.attest): roster and acknowledgement records kept as
committed CSV in the workspace, the report of who has not acknowledged the
current major version, and the acknowledgement form written by the one Word
writer (reopened with python-docx; converted by LibreOffice when present)."""

from __future__ import annotations

import shutil
import subprocess

import docx
import pytest

from guidelines_app.core.document import Document
from guidelines_app.review import attest, attest_form, history

BODY = ("# Posting policy\n\n## Personal accounts\n\nDo not use the logo as your profile picture. "
        "Personal posts need no approval.\n\n## Official accounts\n\nEvery post on an official account must be reviewed "
        "by a second person.\n\n## Questions\n\nAsk the social media team.\n")
TEAMS = ("Sales", "Support", "Engineering", "Legal")


@pytest.fixture
def published(workspace, author):
    slug, _ = workspace.create_document(Document.new("Posting policy", body=BODY), author)
    history.publish(workspace, slug, "First version for everyone", "Ann Lee", author)
    return workspace, slug


def _write(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _imported(done):
    return done.what, done.count


def _roster(tmp_path, count=200):
    rows = ["Full Name,E-mail Address,Department,Start date"]
    rows += [f"Person {n},person{n}@example.org,{TEAMS[n % len(TEAMS)]},2020-01-01" for n in range(count)]
    return _write(tmp_path, "roster.csv", rows)


def test_report_on_a_roster_of_200_with_partial_acknowledgements(published, tmp_path, author):
    ws, slug = published
    assert _imported(attest.import_csv(ws, slug, _roster(tmp_path), author)) == ("roster", 200)
    acks = ["Timestamp,Respondent email,Policy version"]
    acks += [f"2026-12-0{1 + n % 5}T10:00:00,Person{n}@example.org,1.0" for n in range(0, 200, 3)]  # 67 people
    assert _imported(attest.import_csv(ws, slug, _write(tmp_path, "form.csv", acks), author)) == ("acknowledgements", 67)
    report = attest.report(ws, slug)
    assert (report.version, report.total, report.acknowledged, report.missing_count) == ("1.0", 200, 67, 133)
    assert set(report.missing) == set(TEAMS)
    assert sum(len(p) for p in report.missing.values()) == 133
    assert all(int(p.email[6:].split("@")[0]) % 3 for people in report.missing.values() for p in people)
    # Committed data: each import is a revision, and the working tree is clean.
    log = subprocess.run(["git", "-C", str(ws.root), "log", "--format=%s", "-2"], capture_output=True, text=True).stdout
    assert "Import acknowledgements" in log and "Import roster" in log
    status = subprocess.run(["git", "-C", str(ws.root), "status", "--porcelain"], capture_output=True, text=True).stdout
    assert status == ""


def test_a_minor_version_keeps_acknowledgements_and_a_major_one_asks_everyone_again(published, tmp_path, author):
    ws, slug = published
    attest.import_csv(ws, slug, _roster(tmp_path, 10), author)
    attest.import_csv(ws, slug, _write(tmp_path, "a.csv", ["email,version,date"] +
                                       [f"person{n}@example.org,1.0,2026-12-01" for n in range(10)]), author)
    assert attest.report(ws, slug).missing_count == 0

    def edit_and_publish(kind, words):
        doc = ws.load(slug)
        doc.body += f"\n{words}\n"
        ws.save_text(slug, doc.to_text(), author, words)
        history.publish(ws, slug, words, "Ann Lee", author, kind=kind)

    edit_and_publish("minor", "A typo fixed.")
    assert (attest.report(ws, slug).version, attest.report(ws, slug).missing_count) == ("1.1", 0)
    edit_and_publish("major", "A new rule on live video.")
    report = attest.report(ws, slug)
    assert (report.version, report.acknowledged, report.missing_count) == ("2.0", 0, 10)
    attest.import_csv(ws, slug, _write(tmp_path, "b.csv", ["email,version,date", "person3@example.org,2.0,2026-12-05"]), author)
    assert attest.report(ws, slug).acknowledged == 1


@pytest.mark.parametrize(("rows", "message"), [
    (["name,email", "Ann,ann@example.org"], "no 'team' column"),
    (["name,email,team", "Ann,not-an-address,Sales"], "row 2: 'not-an-address' is not an e-mail address"),
    (["name,email,team", "Ann,ann@example.org,Sales", "Bo,ann@example.org,HR"], "row 3: ann@example.org is listed twice"),
    (["email,version,date", "ann@example.org,1.0,last week"], "row 2: 'last week' is not a date"),
    (["email,version,date", "ann@example.org,one,2026-12-01"], "row 2: 'one' is not a version number"),
    (["email,version,date", "ann@example.org,1.0,2026-12-01", "bo@example.org,3.0,2026-12-01"], "row 3: version 3.0 was never published"),
    (["email,date", "ann@example.org,2026-12-01"], "no 'version' column"),
    # A day and month that read both ways: it was taken as day first without a word.
    (["email,version,date", "ann@example.org,1.0,05/01/2026"], "row 2: '05/01/2026' could be 5 January 2026 or 1 May 2026"),
])
def test_bad_csv_names_the_row_or_field_and_changes_nothing(published, tmp_path, author, rows, message):
    ws, slug = published
    head = subprocess.run(["git", "-C", str(ws.root), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    with pytest.raises(attest.AttestError) as info:
        attest.import_csv(ws, slug, _write(tmp_path, "bad.csv", rows), author)
    assert message in str(info.value)
    assert not (ws.root / attest.ATTEST_DIR).exists()
    assert subprocess.run(["git", "-C", str(ws.root), "rev-parse", "HEAD"], capture_output=True, text=True).stdout == head


@pytest.mark.parametrize(("encoding", "separator"), [("utf-8", ";"), ("utf-16", "\t"), ("utf-8-sig", ","), ("utf-16", ",")])
def test_rosters_as_excel_saves_them_are_read(published, tmp_path, author, encoding, separator):
    """Excel's "Unicode Text" (UTF-16, tabs) got Python's "'utf-8' codec
    can't decode byte 0xff"; a semicolon CSV (where the decimal mark is a
    comma) "no 'email' column"."""
    ws, slug = published
    rows = ["Name,E-mail,Team", "Zoë Müller,zoe@example.org,Vertrieb", "Bo Berg,bo@example.org,Support"]
    path = tmp_path / "roster.csv"
    path.write_bytes(("\r\n".join(r.replace(",", separator) for r in rows) + "\r\n").encode(encoding))
    assert _imported(attest.import_csv(ws, slug, path, author)) == ("roster", 2)
    assert [(p.name, p.team) for p in attest.roster(ws, slug)] == [("Zoë Müller", "Vertrieb"), ("Bo Berg", "Support")]


def test_a_csv_in_another_encoding_is_refused_with_the_way_to_save_it(published, tmp_path, author):
    ws, slug = published
    path = tmp_path / "latin.csv"
    path.write_bytes("name,email,team\nZoë,zoe@example.org,Sales\n".encode("latin-1"))
    with pytest.raises(attest.AttestError, match="it is not UTF-8 text; in Excel, save it as 'CSV UTF-8"):
        attest.import_csv(ws, slug, path, author)
    assert not (ws.root / attest.ATTEST_DIR).exists()


def test_rules_in_brief_takes_the_instructions_of_each_section():
    brief = dict(attest_form.rules_in_brief(BODY)[0])
    assert brief["Personal accounts"] == ["Do not use the logo as your profile picture."]
    assert brief["Official accounts"] == ["Every post on an official account must be reviewed by a second person."]
    assert brief["Questions"] == ["Ask the social media team."]


def test_acknowledgement_form_by_the_word_writer(published, tmp_path, author):
    from guidelines_app.publishing.export import export_form

    ws, slug = published
    doc = ws.load(slug)
    doc.body += "\nNew: live video needs a second person.\n"
    ws.save_text(slug, doc.to_text(), author, "Live video")
    history.publish(ws, slug, "Live video needs a second person", "Ann Lee", author, kind="major")
    parts, details = attest_form.acknowledgement_form(ws, slug, since="1.0")
    path = export_form(parts, details, "docx", tmp_path / "ack.docx")
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Acknowledgement: Posting policy" in text and "Version 2.0" in text
    assert "What changed since version 1.0" in text and "Live video needs a second person" in text
    assert "First version for everyone" not in text  # acknowledged already: 1.0
    assert "The rules in brief: Posting policy" in text and "Do not use the logo as your profile picture." in text
    cells = [c.text for t in docx.Document(str(path)).tables for row in t.rows for c in row.cells]
    assert {"Name", "Team", "Date", "Signature"} <= set(cells)
    with pytest.raises(attest.AttestError, match="no published version 7.0"):
        attest_form.acknowledgement_form(ws, slug, since="7.0")


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_acknowledgement_form_as_pdf(published, tmp_path):
    from guidelines_app.publishing.export import export_form

    ws, slug = published
    parts, details = attest_form.acknowledgement_form(ws, slug)
    path = export_form(parts, details, "pdf", tmp_path / "ack.pdf")
    assert path.read_bytes().startswith(b"%PDF")


def test_no_form_before_a_version_is_published(workspace, author):
    slug, _ = workspace.create_document(Document.new("Draft", body=BODY), author)
    with pytest.raises(attest.AttestError, match="no published version yet"):
        attest_form.acknowledgement_form(workspace, slug)
    assert attest.report(workspace, slug).major is None


def test_records_as_form_tools_export_them_are_read(published, tmp_path, author):
    """A Google Forms file ("Timestamp", "Email Address", "1/15/2026
    10:32:15") was refused as not a date; a Microsoft Forms one ("Completion
    time") had "no 'date' column"."""
    ws, slug = published
    google = _write(tmp_path, "google.csv", ["Timestamp,Email Address,Policy version",
                                             "1/15/2026 10:32:15,ann@example.org,1.0"])
    assert _imported(attest.import_csv(ws, slug, google, author)) == ("acknowledgements", 1)
    microsoft = _write(tmp_path, "microsoft.csv", ["ID,Start time,Completion time,Email,Policy version",
                                                   "1,15/01/2026 10:30,15/01/2026 10:32,bo@example.org,1.0"])
    assert _imported(attest.import_csv(ws, slug, microsoft, author)) == ("acknowledgements", 1)
    assert {(a.email, a.date) for a in attest.acknowledgements(ws, slug)} == {("ann@example.org", "2026-01-15"),
                                                                              ("bo@example.org", "2026-01-15")}


@pytest.mark.parametrize(("dates", "read"), [
    (["25/01/2026", "05/01/2026"], "2026-01-05"),  # the file writes the day first
    (["1/15/2026 10:32:15", "05/01/2026 09:00:00"], "2026-05-01"),  # the month first, as Google Forms does
])
def test_a_date_that_reads_both_ways_is_read_as_the_file_writes_its_others(published, tmp_path, author, dates, read):
    """05/01/2026 was refused even where the file's other dates (25/01/2026)
    show which comes first; a file whose dates disagree still has it refused."""
    ws, slug = published
    rows = ["email,version,date"] + [f"p{n}@example.org,1.0,{d}" for n, d in enumerate(dates)]
    attest.import_csv(ws, slug, _write(tmp_path, "acks.csv", rows), author)
    assert {a.email: a.date for a in attest.acknowledgements(ws, slug)}["p1@example.org"] == read
    mixed = ["email,version,date", "a@example.org,1.0,25/01/2026", "b@example.org,1.0,1/15/2026",
             "c@example.org,1.0,05/01/2026"]
    with pytest.raises(attest.AttestError, match="could be 5 January 2026 or 1 May 2026"):
        attest.import_csv(ws, slug, _write(tmp_path, "mixed.csv", mixed), author)
