"""`casepath sweep`: one scenario moved through the years, with every expected date worked out by hand.

The bundled example `dis-undocumented-prepared-return.yaml`, first event on day D: identified D+9,
extension requested D+31, granted D+35, prepared return accepted D+111, returned D+122.
Counting (domain.md §6): N days from day X end at the end of X + N, the first day not counted.

Boundaries where the rules reach this case (rule dates from workflows/denmark.yaml):
- extensions exist from 2007-08-01, by the rules of the request's date D+31:
  D = 2007-06-30 asks on 2007-07-31 (refused, event_not_allowed); D = 2007-07-01 asks on 2007-08-01.
- reintegration support: 3 months from 2008-01-01, 6 months from 2013-01-01, by the return's date D+122:
  2007-09-01 + 122 = 2008-01-01 (Sep 29 -> 30th, +31 Oct = 60, +30 Nov = 90, +31 Dec = 121, +1 = 122);
  2012-09-01 + 122 = 2013-01-01 (the same months).
- the longest stay: 100 days from 2007-08-01, 120 days from 2013-07-01, and a reflection period still
  running on 2013-07-01 is counted again under the new maximum:
  D = 2013-03-13: identified 2013-03-22, + 100 days = 2013-06-30 (9 to 03-31, +30 Apr = 39, +31 May = 70,
  +30 Jun = 100): over before 2013-07-01, stays 100 days;
  D = 2013-03-14: identified 2013-03-23, + 100 days = 2013-07-01, still running on 2013-07-01, so
  + 120 days = 2013-07-21 (8 to 03-31, +30 = 38, +31 = 69, +30 = 99, +21 Jul = 120).
- the departure deadline is the maximum in force when the extension is granted (D+35): D = 2013-05-26 is
  granted 2013-06-30 (5 to 05-31, +30 Jun = 35): identified 2013-06-04 + 100 = 2013-09-12 (26 to 06-30, +31
  Jul = 57, +31 Aug = 88, +12 = 100); D = 2013-05-27 granted 2013-07-01: identified 2013-06-05 + 120 days
  = 2013-10-03 (25 to 06-30, +31 = 56, +31 = 87, +30 Sep = 117, +3 = 120).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from casepath import api, cli, sweep
from casepath.simulator import Simulator

EXAMPLE = Path(__file__).parents[1] / "examples" / "dis-undocumented-prepared-return.yaml"


def rows(capsys, *args: str, file: Path = EXAMPLE) -> list[dict]:
    assert cli.main(["sweep", str(file), *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def by_day(found: list[dict]) -> dict[str, dict]:
    return {row["first_event"]: row for row in found}


def test_the_first_day_extensions_existed(capsys) -> None:
    found = by_day(rows(capsys, "--from", "2007-06-30", "--to", "2007-07-01"))
    before, after = found["2007-06-30"], found["2007-07-01"]
    assert before["identified"] == "2007-07-09" and before["error"] == "event_not_allowed"
    assert before["outcome"] == "in_progress"
    # 2007-07-10 + 30 days = 2007-08-09 (21 to 07-31, +9); the maximum 2007-10-18 (21, +31 Aug = 52, +30 Sep = 82, +18)
    assert after["error"] is None and after["outcome"] == "prepared_return"
    assert after["deadlines"]["reflection_end"] == "2007-08-09"
    assert after["deadlines"]["reflection_max_end"] == "2007-10-18"


def test_the_reintegration_period_goes_from_none_to_three_to_six_months(capsys) -> None:
    found = by_day(rows(capsys, "--from", "2007-08-31", "--to", "2007-09-01"))
    assert "reintegration_support_end" not in found["2007-08-31"]["deadlines"]  # returned 2007-12-31: none then
    # returned 2008-01-01 + 3 months = 2008-04-01
    assert found["2007-09-01"]["deadlines"]["reintegration_support_end"] == "2008-04-01"
    found = by_day(rows(capsys, "--from", "2012-08-31", "--to", "2012-09-01"))
    # returned 2012-12-31 + 3 months = 2013-03-31; returned 2013-01-01 + 6 months = 2013-07-01
    assert found["2012-08-31"]["deadlines"]["reintegration_support_end"] == "2013-03-31"
    assert found["2012-09-01"]["deadlines"]["reintegration_support_end"] == "2013-07-01"


def test_the_longest_stay_becomes_120_days_for_a_period_running_on_2013_07_01(capsys) -> None:
    found = by_day(rows(capsys, "--from", "2013-03-13", "--to", "2013-03-14"))
    assert found["2013-03-13"]["deadlines"]["reflection_max_end"] == "2013-06-30"
    assert found["2013-03-14"]["deadlines"]["reflection_max_end"] == "2013-07-21"
    found = by_day(rows(capsys, "--from", "2013-05-26", "--to", "2013-05-27"))
    assert found["2013-05-26"]["deadlines"]["departure_deadline"] == "2013-09-12"
    assert found["2013-05-27"]["deadlines"]["departure_deadline"] == "2013-10-03"


def test_text_shows_the_periods_between_the_boundaries(capsys) -> None:
    assert cli.main(["sweep", str(EXAMPLE), "--from", "2006-01-01", "--to", "2022-12-31"]) == 0
    out = capsys.readouterr().out
    assert "(6209 runs)" in out  # 2006..2022: 17 years, 4 of them leap years: 17 * 365 + 4 = 6209
    spans = [line.split(": ", 1)[0].strip() for line in out.splitlines() if line.startswith("  ")]
    assert spans == [
        "2006-01-01 … 2007-06-30",
        "2007-07-01 … 2007-08-31",
        "2007-09-01 … 2012-08-31",
        "2012-09-01 … 2013-03-13",
        "2013-03-14 … 2013-05-26",
        "2013-05-27 … 2022-12-31",
    ]
    assert "Latest end an extension could reach: 100 days" in out and ": 120 days" in out
    assert "End of reintegration support: 3 months" in out and "End of reintegration support: 6 months" in out
    assert "The same throughout: Last day of the reflection period: 30 days" in out


def test_html_is_one_page_with_a_chart_and_no_script(capsys, tmp_path) -> None:
    page = tmp_path / "sweep.html"
    args = ["sweep", str(EXAMPLE), "--from", "2006-01-01", "--to", "2022-12-31", "--step", "month"]
    assert cli.main([*args, "--format", "html", "--output", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert "<svg" in html and "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    for length in ("30 days", "100 days", "120 days", "3 months", "6 months"):
        assert f">{length}</text>" in html
    assert cli.main([*args, "--format", "html", "--output", str(page)]) == 2  # never replaces a file unasked


def test_csv_has_a_column_per_deadline(capsys) -> None:
    assert cli.main(["sweep", str(EXAMPLE), "--from", "2013-05-27", "--to", "2013-05-27", "--format", "csv"]) == 0
    header, line = capsys.readouterr().out.splitlines()
    assert header.split(",")[:4] == ["first_event", "identified", "outcome", "error"]
    values = dict(zip(header.split(","), line.split(","), strict=True))
    assert values["departure_deadline"] == "2013-10-03" and values["error"] == ""


def test_a_month_step_from_the_31st_keeps_to_month_ends(capsys) -> None:
    found = rows(capsys, "--from", "2022-01-31", "--to", "2022-04-30", "--step", "month")
    assert [r["first_event"] for r in found] == ["2022-01-31", "2022-02-28", "2022-03-31", "2022-04-30"]
    found = rows(capsys, "--from", "2022-01-01", "--to", "2022-01-29", "--step", "week")
    assert [r["first_event"] for r in found] == ["2022-01-01", "2022-01-08", "2022-01-15", "2022-01-22", "2022-01-29"]


MOVING = """\
casepath: 1
title: Detained, identified, a partial extension
person: {alias: M, born: 1990-06-15, citizenship: AL, residence: undocumented}
events:
  - {date: 2022-03-20T08:00, event: contact, by: police}
  - {date: 2022-03-20T08:00, event: detained}
  - {date: 2022-03-21, event: identified, by: dis}
  - {date: 2022-04-01, event: extension_requested, reason: special_circumstances}
  - {date: 2022-04-02, event: extension_granted, until: 2022-05-31}
"""


def test_every_date_moves_and_times_keep_their_wall_clock(tmp_path) -> None:
    path = tmp_path / "moving.yaml"
    path.write_text(MOVING)
    scenario = api.load_scenario(path)
    workflow = api.load_workflow()
    # 2022-03-20 -> 2022-03-27 is 7 days; the clocks go forward on Sunday 2022-03-27 at 02:00, after 08:00
    # is summer time: 08:00 +01:00 becomes 08:00 +02:00 (the same wall-clock time, an hour less apart).
    later = sweep.moved(scenario, 7, workflow)
    assert later.events[0].moment.iso() == "2022-03-27T08:00:00+02:00"
    assert later.events[2].moment.iso() == "2022-03-28"
    assert later.events[4].fields["until"].isoformat() == "2022-06-07"
    assert later.person.born.isoformat() == "1990-06-22"  # the same age on the first event
    assert scenario.events[0].moment.iso() == "2022-03-20T08:00:00+01:00"  # the original is untouched
    # Moved onto the day the clocks go forward, 02:30 does not exist: read as 03:30 summer time.
    night = path.with_name("night.yaml")
    night.write_text(MOVING.replace("2022-03-20T08:00", "2022-03-20T02:30"))
    early = sweep.moved(api.load_scenario(night), 7, workflow)
    assert early.events[1].moment.iso() == "2022-03-27T03:30:00+02:00"
    # detained 08:00 +01:00 = 07:00 UTC, + 72 h = 2022-03-23T07:00 UTC = 08:00 +01:00; moved: 06:00 UTC + 72 h
    # = 2022-03-30T06:00 UTC = 08:00 +02:00
    result = sweep.sweep(scenario, workflow, date.fromisoformat("2022-03-20"), date.fromisoformat("2022-03-27"), "week")
    assert [r.deadlines["detention_limit"] for r in result.rows] == [
        "2022-03-23T08:00:00+01:00",
        "2022-03-30T08:00:00+02:00",
    ]
    assert [r.deadlines["departure_deadline"] for r in result.rows] == ["2022-05-31", "2022-06-07"]


def test_no_report_is_built(monkeypatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("a sweep reads its rows from the case; it builds no report")

    monkeypatch.setattr(Simulator, "report", refuse)
    scenario, workflow = api.load_scenario(EXAMPLE), api.load_workflow()
    result = sweep.sweep(scenario, workflow, date.fromisoformat("2013-01-01"), date.fromisoformat("2013-12-31"))
    assert len(result.rows) == 365


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--from", "2013-02-01", "--to", "2013-01-01"], "--from 2013-02-01 is after --to 2013-01-01"),
        (["--from", "2013-01-01", "--to", "2013-02-01", "--step", "fortnight"], "--step 'fortnight'"),
        (["--from", "2013-01-01", "--to", "20130201"], "--to"),
        (["--from", "1800-01-01", "--to", "1800-01-02"], "outside the years casepath handles"),
        (["--from", "1000-01-01", "--to", "2100-01-01"], "more than 40,000 runs"),
        (["--from", "2013-01-01"], "--to"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(capsys, args, says) -> None:
    assert cli.main(["sweep", str(EXAMPLE), *args]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and says in err[0], err


def test_a_bad_file_and_rules_as_of_are_one_line_and_exit_2(capsys, tmp_path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(MOVING.replace("event: identified", "event: identifed"))
    fixed = tmp_path / "fixed-rules.yaml"
    fixed.write_text(MOVING.replace("person:", "rules_as_of: 2012-01-01\nperson:"))
    for path, says in ((broken, "unknown event 'identifed'"), (fixed, "rules_as_of fixes the rules")):
        assert cli.main(["sweep", str(path), "--from", "2013-01-01", "--to", "2013-01-02"]) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and says in err[0] and str(path) in err[0], err
