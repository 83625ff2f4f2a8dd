"""Deadline statuses say what happened, judged on the day the case is looked at (contract: "Deadline statuses").

Every expected status and date here is worked out by hand from domain.md §6 (the day of the event is
not counted; a day-deadline has passed at the first instant of the next day; an hour-deadline at its
exact instant) and §8.7.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from test_danish_rules import ev, ok, run

from casepath import cli
from casepath.report import Report
from casepath.status import Status, word

IDENTIFIED = ev("2022-03-10", "identified", by="dis")  # + 30 days: Mar 21 (11..31), Apr 9 -> 2022-04-09


def statuses(report: Report, deadline_id: str) -> list[tuple[str, str]]:
    return [(d.due, d.status) for d in report.deadlines if d.id == deadline_id]


def last(report: Report, deadline_id: str) -> Any:
    entry = report.last_deadline(deadline_id)
    assert entry is not None
    return entry.status


# ---------------------------------------------------------------- upcoming, expired, missed by the date


def test_on_its_own_last_day_a_deadline_is_upcoming_and_the_day_after_it_has_passed() -> None:
    on_the_day = ok(run(IDENTIFIED, on=date(2022, 4, 9)))
    assert last(on_the_day, "reflection_end") == "upcoming"
    assert last(on_the_day, "departure_deadline") == "upcoming"
    assert on_the_day.on == "2022-04-09"
    day_after = ok(run(IDENTIFIED, on=date(2022, 4, 10)))
    assert last(day_after, "reflection_end") == "expired"  # a period's end came
    assert last(day_after, "extension_request_by") == "expired"  # a chance not taken
    assert last(day_after, "departure_deadline") == "missed"  # still here, no permission
    assert day_after.state == "departure_due"  # the automatic step was taken on 2022-04-10


def test_without_on_the_case_is_judged_on_its_last_event() -> None:
    report = ok(run(IDENTIFIED))
    assert report.on == "2022-03-10"
    assert {d.status for d in report.deadlines} == {Status.UPCOMING}


def test_an_extension_asked_for_on_the_last_day_is_met_and_the_day_after_is_refused() -> None:
    in_time = ok(run(IDENTIFIED, ev("2022-04-09", "extension_requested", reason="special_circumstances")))
    assert last(in_time, "extension_request_by") == "met"
    late = run(IDENTIFIED, ev("2022-04-10", "extension_requested", reason="special_circumstances"))
    assert late.error is not None and late.error.code == "extension_after_deadline"
    assert last(late, "extension_request_by") == "expired"
    assert last(late, "departure_deadline") == "missed"


def test_leaving_before_the_departure_deadline_meets_it_and_leaving_after_misses_it() -> None:
    before = ok(run(IDENTIFIED, ev("2022-04-09", "departed")))
    assert last(before, "departure_deadline") == "met"
    assert last(before, "reflection_end") == "ended"  # she left while the period ran: no longer applies
    after = ok(run(IDENTIFIED, ev("2022-04-12", "departed")))
    assert last(after, "departure_deadline") == "missed"
    assert last(after, "reflection_end") == "expired"


def test_a_replaced_deadline_is_replaced_even_after_its_day() -> None:
    # extension asked for in time, granted on 2022-04-12 (after the 30 days) until 2022-05-31
    report = ok(
        run(
            IDENTIFIED,
            ev("2022-04-01", "extension_requested", reason="cooperation_on_return"),
            ev("2022-04-12", "extension_granted", until="2022-05-31"),
            on=date(2022, 4, 20),
        )
    )
    assert statuses(report, "departure_deadline") == [("2022-04-09", "replaced"), ("2022-05-31", "upcoming")]
    assert statuses(report, "extension_request_by") == [("2022-04-09", "met"), ("2022-05-31", "upcoming")]


def test_a_refused_reflection_period_cancels_its_deadlines_and_departure_is_immediate() -> None:
    report = ok(run(IDENTIFIED, ev("2022-03-15", "reflection_refused", reason="public order")))
    assert {last(report, d) for d in ("reflection_end", "extension_request_by", "reflection_max_end")} == {"cancelled"}
    # the 30-day departure deadline was cancelled; "immediately" is the day of the refusal, and the
    # one in force is listed last among the departure deadlines (just after the one it took over from)
    assert statuses(report, "departure_deadline") == [("2022-04-09", "cancelled"), ("2022-03-15", "upcoming")]
    assert (
        last(ok(run(IDENTIFIED, ev("2022-03-15", "reflection_refused"), on=date(2022, 3, 16))), "departure_deadline")
        == "missed"
    )


def test_when_the_period_ran_out_without_an_extension_its_longest_end_no_longer_applies() -> None:
    report = ok(run(IDENTIFIED, on=date(2022, 5, 1)))
    assert last(report, "reflection_max_end") == "ended"  # 2022-07-08 can no longer be reached


# ---------------------------------------------------------------- hours: the exact instant


@pytest.mark.parametrize(
    ("released", "status"),
    [
        ("2023-03-27T12:59", "met"),  # one minute before the limit
        ("2023-03-27T13:00", "met"),  # at the limit: held 72 hours, not longer: in time
        ("2023-03-27T13:01", "missed"),  # one minute after
    ],
)
def test_detention_limit_at_the_exact_instant(released: str, status: str) -> None:
    # 2023-03-24 12:00 (+01:00) + 72 real hours across the change to summer time = 2023-03-27 13:00 (+02:00)
    report = ok(run(ev("2023-03-24T12:00", "detained"), ev(released, "released")))
    assert report.last_deadline("detention_limit").due == "2023-03-27T13:00:00+02:00"
    assert last(report, "detention_limit") == status


def test_still_held_after_the_limit_is_missed_when_looked_at_later() -> None:
    held = ev("2023-03-24T12:00", "detained")
    assert last(ok(run(held, on=datetime(2023, 3, 27, 12, 59))), "detention_limit") == "upcoming"
    assert last(ok(run(held, on=date(2023, 3, 28))), "detention_limit") == "missed"


# ---------------------------------------------------------------- order, --on on the command line


def test_deadlines_are_listed_in_date_order() -> None:
    report = ok(run(IDENTIFIED, ev("2022-03-11T10:00", "detained")))
    # detention: 2022-03-11 10:00 + 72 h = 2022-03-14 10:00, before the 2022-04-09 deadlines; the longest
    # end, 2022-03-10 + 120 days = Mar 21, Apr 30 (51), May 31 (82), Jun 30 (112), Jul 8 -> 2022-07-08, last
    assert [(d.id, d.due) for d in report.deadlines] == [
        ("detention_limit", "2022-03-14T10:00:00+01:00"),
        ("reflection_end", "2022-04-09"),
        ("extension_request_by", "2022-04-09"),
        ("departure_deadline", "2022-04-09"),
        ("reflection_max_end", "2022-07-08"),
    ]


def test_on_before_the_last_event_is_one_line_and_exit_2(tmp_path, capsys) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        "casepath: 1\ntitle: t\nperson: {alias: A, residence: undocumented}\n"
        "events:\n  - {date: 2022-03-10, event: identified, by: dis}\n",
        encoding="utf-8",
    )
    assert cli.main(["simulate", str(path), "--on", "2022-03-09"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and "before the scenario's last event" in err
    for bad in ("20220310", "2022", "10/03/2022", "2022-02-30"):
        assert cli.main(["simulate", str(path), "--on", bad]) == 2
        assert "--on" in capsys.readouterr().err
    # "today" is now, and the day is the workflow's (Copenhagen's): from 23:00 UTC in winter that is
    # already tomorrow for a machine on UTC. Read before and after the run, in case midnight falls between.
    copenhagen = ZoneInfo("Europe/Copenhagen")
    before = datetime.now(copenhagen).date()
    assert cli.main(["simulate", str(path), "--on", "today", "--format", "json"]) == 0
    out, after = capsys.readouterr().out, datetime.now(copenhagen).date()
    assert f'"on": "{before.isoformat()}"' in out or f'"on": "{after.isoformat()}"' in out


# ---------------------------------------------------------------- the words


def test_only_a_missed_deadline_reads_missed_in_either_language() -> None:
    assert word(Status.MISSED, "en") == "MISSED"
    assert word(Status.MISSED, "da") == "OVERSKREDET"
    for status in Status:
        if status is not Status.MISSED:
            assert "MISSED" not in word(status, "en").upper()
            assert "OVERSKREDET" not in word(status, "da").upper()
            assert "PASSED" not in word(status, "en").upper()
    assert word(Status.UPCOMING, "da") == "løber"
    assert word(Status.MET, "da") == "overholdt"
