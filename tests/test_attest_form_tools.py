"""Acknowledgement records as a form tool exports them (review.attest,
review.attest_dates): told from a roster by their columns (an e-mail and a
completion time, a version asked as a question), "Completion time" taken
over "Start time", and a date that reads both ways (08/12/2026) read in an
order the file, the user, the policy's jurisdiction or the computer's
region setting gives, said in the import's summary."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from guidelines_app.core.document import Document
from guidelines_app.review import attest, history
from guidelines_app.review.attest_dates import locale_day_first

# A Microsoft Forms export's columns (the version asked as a question), as a new user met it.
FORMS_HEADER = "ID,Start time,Completion time,Email,Name,Which version of the policy did you read?"


def _published(workspace, author, places=None):
    doc = Document.new("Posting policy", body="# Posting policy\n\n## Accounts\n\nDo not share passwords.\n")
    if places is not None:
        doc.meta["answers"] = {"jurisdiction": places}
    slug, _ = workspace.create_document(doc, author)
    history.publish(workspace, slug, "First version for everyone", "Ann Lee", author)
    return slug


def _forms_file(tmp_path, rows):
    path = tmp_path / "forms.csv"
    path.write_text("\n".join([FORMS_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


UK_ROWS = ["1,08/12/2026 08:59:02,08/12/2026 09:01:10,ann@example.org,Ann Lee,1.0",
           "2,07/12/2026 23:58:40,08/12/2026 00:00:05,bo@example.org,Bo Berg,Version 1.0"]


def test_a_form_tools_records_are_not_taken_for_a_roster(workspace, author, tmp_path):
    """It said "no 'team' column (the first row names the columns: name,
    email, team)": the Name column made it a roster."""
    slug = _published(workspace, author)
    done = attest.import_csv(workspace, slug, _forms_file(tmp_path, UK_ROWS), author, day_first=True)
    assert (done.what, done.count) == ("acknowledgements", 2)
    # When the person confirmed ("Completion time"), not when they opened the form ("Start time").
    assert {(a.email, a.version, a.date) for a in attest.acknowledgements(workspace, slug)} == {
        ("ann@example.org", "1.0", "2026-12-08"), ("bo@example.org", "1.0", "2026-12-08")}
    assert done.dates == "Dates such as 08/12/2026 09:01:10 were read day first (8 December 2026), as you chose."
    assert attest.roster(workspace, slug) == []


def test_without_a_version_question_an_email_and_a_completion_time_are_records(workspace, author, tmp_path):
    slug = _published(workspace, author)
    path = tmp_path / "forms.csv"
    path.write_text("ID,Start time,Completion time,Email,Name,I have read the policy\n"
                    "1,2026-12-08 08:59,2026-12-08 09:01,ann@example.org,Ann Lee,Yes\n", encoding="utf-8")
    with pytest.raises(attest.AttestError, match="no 'version' column"):
        attest.import_csv(workspace, slug, path, author)
    assert attest.is_roster(["Full Name", "E-mail Address", "Department", "Start date"])  # a roster stays one


@pytest.mark.parametrize(("places", "locale_name", "read", "why"), [
    (["uk"], None, "2026-12-08", "the policy is for the United Kingdom"),
    (["us"], "en_GB.UTF-8", "2026-08-12", "the policy is for the United States"),
    (["us", "uk"], "en_GB.UTF-8", "2026-12-08", "this computer's language and region setting (en_GB)"),
    (None, "en_US.UTF-8", "2026-08-12", "this computer's language and region setting (en_US)"),
])
def test_uk_dates_are_read_in_a_default_order_said_in_the_summary(workspace, author, tmp_path, places, locale_name, read, why):
    """08/12/2026 09:01:10 was refused as 8 December or 12 August, with no
    way to say which short of rewriting every date."""
    slug = _published(workspace, author, places)
    done = attest.import_csv(workspace, slug, _forms_file(tmp_path, UK_ROWS[:1]), author, locale_name=locale_name)
    assert [a.date for a in attest.acknowledgements(workspace, slug)] == [read]
    assert why in done.dates and ("read day first" if read.endswith("12-08") else "read month first") in done.dates


def test_a_date_with_a_day_over_12_decides_and_nothing_else_is_assumed(workspace, author, tmp_path):
    slug = _published(workspace, author, ["us"])  # the jurisdiction says month first: the file's own dates win
    rows = ["1,13/12/2026 08:59:02,13/12/2026 09:01:10,ann@example.org,Ann Lee,1.0",
            "2,08/12/2026 08:59:02,08/12/2026 09:01:10,bo@example.org,Bo Berg,1.0"]
    done = attest.import_csv(workspace, slug, _forms_file(tmp_path, rows), author, locale_name="en_US")
    assert {a.email: a.date for a in attest.acknowledgements(workspace, slug)}["bo@example.org"] == "2026-12-08"
    assert done.dates.endswith("as the file's other dates write the day first.")
    # Imported again, read the other way: the person's record is replaced, not doubled.
    attest.import_csv(workspace, slug, _forms_file(tmp_path, rows[1:]), author, day_first=False)
    assert {a.email: a.date for a in attest.acknowledgements(workspace, slug)} == {
        "ann@example.org": "2026-12-13", "bo@example.org": "2026-08-12"}


def test_with_nothing_to_go_by_the_date_is_still_refused(workspace, author, tmp_path):
    slug = _published(workspace, author)
    with pytest.raises(attest.AmbiguousDate, match="could be 8 December 2026 or 12 August 2026"):
        attest.import_csv(workspace, slug, _forms_file(tmp_path, UK_ROWS[:1]), author, locale_name="C.UTF-8")


@pytest.mark.parametrize(("name", "day_first"), [
    ("en_GB.UTF-8", True), ("de_DE", True), ("en-US", False), ("en_PH.utf8", False), ("fr_CA", None),
    ("C", None), ("POSIX", None), ("C.UTF-8", None), ("", None), (None, None), ("en", None),
    ("English_United Kingdom", True), ("English_United States", False), ("sr_RS@latin", True)])
def test_a_region_setting_says_which_comes_first(name, day_first):
    assert locale_day_first(name) is day_first


def test_the_cli_takes_the_order_and_says_it(workspace, author, tmp_path):
    slug = _published(workspace, author)
    run = [sys.executable, "-m", "guidelines_app.cli", "--workspace", str(workspace.root), "attest", "import", slug,
           str(_forms_file(tmp_path, UK_ROWS))]
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONPATH": ":".join(sys.path)}  # a region setting that tells nothing
    refused = subprocess.run(run, capture_output=True, text=True, env=env)
    assert refused.returncode != 0 and "--dates day-first or --dates month-first" in refused.stderr
    done = subprocess.run([*run, "--dates", "day-first"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "Imported 2 acknowledgement records of" in done.stdout
    assert "were read day first (8 December 2026), as you chose. If that is wrong" in done.stdout
    assert "--dates month-first" in done.stdout


def test_the_window_imports_a_forms_file_and_says_how_it_read_the_dates(qtbot, workspace, settings, author, tmp_path):
    """Governance > Acknowledgements > Import CSV: the import's summary says the order assumed."""
    from PySide6.QtWidgets import QMessageBox

    from guidelines_app.ui.main_window import MainWindow

    slug = _published(workspace, author, ["uk"])
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    w.show()
    w.open_document(slug)
    feature = w.features["governance"]
    dialog = feature.show_attestation()
    assert feature.import_csv(str(_forms_file(tmp_path, UK_ROWS)))
    qtbot.waitUntil(lambda: w.findChild(QMessageBox, "attest-dates") is not None, timeout=5000)
    box = w.findChild(QMessageBox, "attest-dates")
    assert box.text() == ("Imported 2 acknowledgement records.\n\nDates such as 08/12/2026 09:01:10 were read day first "
                          "(8 December 2026), as the policy is for the United Kingdom (its answer to “whose law applies”).")
    assert "year-month-day" in box.informativeText()
    box.grab().save(str(tmp_path / "dates-box.png"))
    box.accept()
    assert [a.date for a in attest.acknowledgements(workspace, slug)] == ["2026-12-08", "2026-12-08"]
    dialog.close()
