"""Days offices are closed that are not public holidays (domain.md §8.6): 24 and 31 December, and
5 June from noon. They are data in the workflow (`calendar.closed_days`), a deadline on one keeps
its date but is warned about, and "the last working day before it" skips them. Each expected
day is worked out by hand in the comment beside it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from casepath import cli, clock
from casepath.workflow import load

REPO = Path(__file__).resolve().parents[1]


def report(tmp_path: Path, capsys, identified: str, *extra: str) -> dict:
    path = tmp_path / "case.yaml"
    path.write_text(
        "casepath: 1\ntitle: closed days\nperson: {alias: A, residence: undocumented}\n"
        f"events:\n  - {{date: {identified}, event: identified, by: dis}}\n",
        encoding="utf-8",
    )
    assert cli.main(["simulate", "--format", "json", *extra, str(path)]) == 0
    return json.loads(capsys.readouterr().out)


def reflection_end(data: dict) -> dict:
    return next(d for d in data["deadlines"] if d["id"] == "reflection_end")


def assumed(data: dict) -> set[str]:
    return {a["parameter"] for a in data["assumptions"]}


def test_christmas_day_names_monday_the_23rd(tmp_path, capsys):
    # 2024-11-25 + 30 days: 5 days to 2024-11-30, 25 more to 2024-12-25 (Christmas Day, a Wednesday).
    # Before it: 24 Dec (Tue) is Christmas Eve, offices closed -> Monday 2024-12-23.
    data = report(tmp_path, capsys, "2024-11-25")
    end = reflection_end(data)
    assert end["due"] == "2024-12-25"
    assert "the last working day before it is Monday 2024-12-23" in end["warnings"][0]
    assert "office_closing_days" in assumed(data)  # the skipped 24 December is a modelling decision


def test_christmas_eve_is_warned_about(tmp_path, capsys):
    # 2024-11-24 + 30 days = 2024-12-24 (a Tuesday, no public holiday); the day before is Monday 2024-12-23.
    data = report(tmp_path, capsys, "2024-11-24")
    end = reflection_end(data)
    assert end["due"] == "2024-12-24"
    assert end["warnings"] == [
        "2024-12-24 is Christmas Eve: offices are closed. The date itself does not move; the last working "
        "day before it is Monday 2024-12-23."
    ]
    assert "office_closing_days" in assumed(data)


def test_new_years_eve_is_warned_about(tmp_path, capsys):
    # 2024-12-01 + 30 days = 2024-12-31 (a Tuesday); the day before is Monday 2024-12-30.
    end = reflection_end(report(tmp_path, capsys, "2024-12-01"))
    assert end["due"] == "2024-12-31"
    assert "New Year's Eve: offices are closed" in end["warnings"][0]
    assert "Monday 2024-12-30" in end["warnings"][0]


def test_new_years_day_skips_new_years_eve(tmp_path, capsys):
    # 2024-12-02 + 30 days: 29 days to 2024-12-31, one more to 2025-01-01 (New Year's Day, Wednesday).
    # Before it: 31 Dec (Tue) is closed -> Monday 2024-12-30.
    end = reflection_end(report(tmp_path, capsys, "2024-12-02"))
    assert end["due"] == "2025-01-01"
    assert "public holiday" in end["warnings"][0]
    assert "Monday 2024-12-30" in end["warnings"][0]


def test_constitution_day_closes_at_noon(tmp_path, capsys):
    # 2024-05-06 + 30 days: 25 days to 2024-05-31, 5 more to 2024-06-05 (Constitution Day, a Wednesday).
    # Offices close at noon; the last full working day before it is Tuesday 2024-06-04.
    data = report(tmp_path, capsys, "2024-05-06")
    end = reflection_end(data)
    assert end["due"] == "2024-06-05"
    assert end["warnings"] == [
        "2024-06-05 is Constitution Day: offices close at noon. The date itself does not move; the last "
        "full working day before it is Tuesday 2024-06-04."
    ]
    assert "office_closing_days" in assumed(data)


def test_constitution_day_on_a_sunday_is_a_sunday(tmp_path, capsys):
    # 2022-05-06 + 30 days: 25 days to 2022-05-31, 5 more to 2022-06-05 (a Sunday, and Whit Sunday).
    # Closed all day, not from noon; before it: Sat 4 June -> Friday 2022-06-03.
    end = reflection_end(report(tmp_path, capsys, "2022-05-06"))
    assert end["due"] == "2022-06-05"
    assert "close at noon" not in end["warnings"][0]
    assert "offices are closed" in end["warnings"][0]
    assert "Friday 2022-06-03" in end["warnings"][0]


def test_an_ordinary_day_has_no_warning_and_no_decision(tmp_path, capsys):
    # 2024-02-05 + 30 days: 24 days to 2024-02-29 (leap year), 6 more to 2024-03-06 (a Wednesday).
    data = report(tmp_path, capsys, "2024-02-05")
    end = reflection_end(data)
    assert end["due"] == "2024-03-06"
    assert end["warnings"] == []
    assert "office_closing_days" not in assumed(data)


def test_danish_words(tmp_path, capsys):
    # 2024-11-24 + 30 days = 2024-12-24 (see above); 2024-05-06 + 30 days = 2024-06-05.
    eve = reflection_end(report(tmp_path, capsys, "2024-11-24", "--lang", "da"))
    assert eve["warnings"][0].startswith("2024-12-24 er juleaftensdag: kontorerne er lukket.")
    assert "mandag 2024-12-23" in eve["warnings"][0]
    june = reflection_end(report(tmp_path, capsys, "2024-05-06", "--lang", "da"))
    assert june["warnings"][0].startswith("2024-06-05 er grundlovsdag: kontorerne lukker kl. 12.")
    assert "tirsdag 2024-06-04" in june["warnings"][0]


def test_the_clock_with_the_workflow_calendar():
    calendar = load.load("denmark").spec.calendar
    assert clock.last_working_day_before(date(2024, 12, 25), calendar) == date(2024, 12, 23)
    # 2023-12-26 (Tue, Second Day of Christmas) <- 25 Dec holiday, 24 Dec Sunday and closed,
    # 23 Dec Saturday -> Friday 2023-12-22.
    assert clock.last_working_day_before(date(2023, 12, 26), calendar) == date(2023, 12, 22)
    assert clock.closes_at_noon(date(2024, 6, 5), calendar)
    assert not clock.closes_at_noon(date(2022, 6, 5), calendar)  # a Sunday
    # A bare country code knows public holidays only: the day before Christmas Day is 24 Dec.
    assert clock.last_working_day_before(date(2024, 12, 25), "DK") == date(2024, 12, 24)


def test_ics_reminder_skips_christmas_eve(tmp_path, capsys):
    # The reminder of a deadline on 2024-12-25 is anchored on Monday 2024-12-23, not on 24 Dec.
    path = tmp_path / "case.yaml"
    path.write_text(
        "casepath: 1\ntitle: t\nperson: {alias: A, residence: undocumented}\n"
        "events:\n  - {date: 2024-11-25, event: identified, by: dis}\n",
        encoding="utf-8",
    )
    assert cli.main(["simulate", "--format", "ics", str(path)]) == 0
    out = capsys.readouterr().out
    # Identified 2024-11-25 + 30 days: Nov 5 (26..30), Dec 25 -> 2024-12-25 (Christmas Day). The reminder
    # is at 09:00 on the last working day before it, skipping 24 Dec (closed): Monday 2024-12-23,
    # 09:00 in Copenhagen (UTC+1) = 08:00 UTC. On 24 Dec it would read 20241224T080000Z.
    first = out[out.index("SUMMARY:Last day of the reflection period") :]
    assert "TRIGGER;VALUE=DATE-TIME:20241223T080000Z" in first.split("END:VEVENT", 1)[0]


@pytest.mark.parametrize(("month", "day"), [(2, 30), (13, 1), (4, 31)])
def test_a_closed_day_that_does_not_exist_is_refused(tmp_path, capsys, month, day):
    text = (REPO / "workflows" / "denmark.yaml").read_text(encoding="utf-8")
    old = "      month: 12\n      day: 24\n"
    assert old in text
    path = tmp_path / "wf.yaml"
    path.write_text(text.replace(old, f"      month: {month}\n      day: {day}\n"), encoding="utf-8")
    assert cli.main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "calendar.closed_days.christmas_eve" in err and err.count("\n") == 1, err


def test_a_closed_day_on_a_weekend_is_no_assumption(tmp_path, capsys):
    # 2022-12-02 + 30 days: 29 days to 2022-12-31, one more to 2023-01-01 (New Year's Day, a Sunday).
    # Before it: 31 Dec 2022 is a Saturday anyway -> Friday 2022-12-30; the closed-day rule decides nothing.
    data = report(tmp_path, capsys, "2022-12-02")
    end = reflection_end(data)
    assert end["due"] == "2023-01-01"
    assert "Friday 2022-12-30" in end["warnings"][0]
    assert "office_closing_days" not in assumed(data)
