"""Exact-instant boundaries: at, one minute before and one minute after a deadline, a birthday, a rule change.

Counting (domain.md §6): identified on 2022-03-10, the 30 days run 11 March .. 9 April (21 days to
31 March + 9 = 30), so the last day is 2022-04-09 and the deadline has passed at 2022-04-10 00:00,
Copenhagen time. An hour-limit passes at its exact instant; an act at that very instant is in time
(docs/workflow-format.md): released at the limit's instant is not "before the limit", so missed
(tests/test_statuses.py). Every expected value is worked out here.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from test_danish_rules import automatic, ev, has_entitlement, ok, run

import casepath
from casepath.report import Report
from casepath.wording import words_for
from casepath.workflow.rulebook import still_in_force, value_on
from casepath.workflow.spec import Citation

IDENTIFIED = ev("2022-03-10", "identified", by="dis")  # last day 2022-04-09 (see above)
BEFORE, AT, AFTER = "2022-04-09T23:59", "2022-04-10T00:00", "2022-04-10T00:01"  # around 2022-04-10 00:00
DETAINED = ev("2023-03-24T12:00", "detained")  # 12:00 +01:00 = 11:00 UTC; + 72 h = 2023-03-27 11:00 UTC
# = 13:00 +02:00 (summer time from 26 March): the limit is 2023-03-27T13:00+02:00.
LIMIT = "2023-03-27T13:00:00+02:00"


def status(report: Report, deadline_id: str) -> str:
    entry = report.last_deadline(deadline_id)
    assert entry is not None, deadline_id
    return entry.status


# ---------------------------------------------------------------- a day deadline


@pytest.mark.parametrize(
    ("when", "departure", "passed_step"),
    [(BEFORE, "met", []), (AT, "missed", [("departure_deadline_passed", "2022-04-10")]),
     (AFTER, "missed", [("departure_deadline_passed", "2022-04-10")])],
)  # fmt: skip
def test_leaving_around_the_departure_deadline(when: str, departure: str, passed_step: list) -> None:
    report = ok(run(IDENTIFIED, ev(when, "departed")))
    assert report.outcome == "departed"
    assert status(report, "departure_deadline") == departure
    assert automatic(report) == passed_step


@pytest.mark.parametrize(("when", "error"), [(BEFORE, None), (AT, "extension_after_deadline"),
                                             (AFTER, "extension_after_deadline")])  # fmt: skip
def test_asking_for_an_extension_around_the_last_day(when: str, error: str | None) -> None:
    report = run(IDENTIFIED, ev(when, "extension_requested", reason="special_circumstances"))
    assert (report.error.code if report.error else None) == error
    assert status(report, "extension_request_by") == ("met" if error is None else "expired")


@pytest.mark.parametrize(
    ("on", "statuses", "state"),
    [(BEFORE, ("upcoming", "upcoming", "upcoming"), "reflection"),
     (AT, ("expired", "expired", "missed"), "departure_due"),
     (AFTER, ("expired", "expired", "missed"), "departure_due")],
)  # fmt: skip
def test_judged_on_around_the_last_day(on: str, statuses: tuple[str, ...], state: str) -> None:
    report = ok(run(IDENTIFIED, on=datetime.fromisoformat(on)))
    got = tuple(status(report, d) for d in ("reflection_end", "extension_request_by", "departure_deadline"))
    assert got == statuses
    assert report.state == state


@pytest.mark.parametrize(("when", "state"), [("2022-04-09T23:59", "reflection"), ("2022-04-10", "departure_due"),
                                             ("2022-04-10T00:01", "departure_due")])  # fmt: skip
def test_a_refusal_at_the_instant_the_period_ran_out_means_she_must_leave(when: str, state: str) -> None:
    # asked on the last day (in time); refused before the end -> the 30 days run on; refused at
    # 2022-04-10 00:00 or later -> the deadline has passed (the `deadline_passed` guard at its instant)
    asked = ev("2022-04-09", "extension_requested", reason="special_circumstances")
    report = ok(run(IDENTIFIED, asked, ev(when, "extension_refused")))
    assert report.state == state


# ---------------------------------------------------------------- an hour deadline


@pytest.mark.parametrize(
    ("when", "limit_status", "steps"),
    [("12:59", "met", []), ("13:00", "met", []), ("13:01", "missed", [("detention_limit_reached", LIMIT)])],
)
def test_release_around_the_detention_limit(when: str, limit_status: str, steps: list) -> None:
    # Released at 13:00 sharp: held 72 hours, not longer: in time (met), and no automatic step. At 13:01
    # the person was held beyond the limit: the limit was reached first (missed).
    report = ok(run(DETAINED, ev(f"2023-03-27T{when}", "released")))
    assert report.last_deadline("detention_limit").due == LIMIT
    assert status(report, "detention_limit") == limit_status
    assert automatic(report) == steps


@pytest.mark.parametrize(("when", "error"), [("12:59", None), ("13:01", "event_not_allowed")])
def test_extending_a_detention_around_its_limit(when: str, error: str | None) -> None:
    report = run(DETAINED, ev(f"2023-03-27T{when}", "detention_extended", hours=24))
    assert (report.error.code if report.error else None) == error
    if error is None:  # 13:00 + 24 h = 2023-03-28T13:00 (no clock change)
        assert report.last_deadline("detention_limit").due == "2023-03-28T13:00:00+02:00"


@pytest.mark.parametrize(
    ("on", "limit_status", "state"),
    [("2023-03-27T12:59", "upcoming", "held"), ("2023-03-27T13:00", "upcoming", "held"),
     ("2023-03-27T13:01", "missed", "limit_passed")],
)  # fmt: skip
def test_a_detention_judged_around_its_limit(on: str, limit_status: str, state: str) -> None:
    report = ok(run(DETAINED, on=datetime.fromisoformat(on)))
    assert status(report, "detention_limit") == limit_status
    assert report.states["detention"] == state


# ---------------------------------------------------------------- age on the 18th birthday


def placed(day: str, **person) -> Report:
    return run(ev("2022-01-05", "identified", by="dis"), ev(day, "placed", where="foster_care"), **person)


@pytest.mark.parametrize(
    ("born", "day", "accepted"),
    [
        ("2004-03-10", "2022-03-09", True),  # 17 the day before the 18th birthday
        ("2004-03-10", "2022-03-10", False),  # 18 on the birthday itself: no child placement
        ("2004-02-29", "2022-02-28", True),  # leap-day birthday: still 17 on 28 February 2022
        ("2004-02-29", "2022-03-01", False),  # 18 on 1 March in a common year
    ],
)
def test_a_child_placement_around_the_18th_birthday(born: str, day: str, accepted: bool) -> None:
    report = placed(day, born=born)
    assert (report.error is None) is accepted, report.error


def test_the_leap_day_child_comes_of_age_on_1_march() -> None:
    # born 2004-02-29: 18 on 2022-03-01 (2022 has no 29 February); the child entitlements end the day before
    report = ok(run(ev("2022-01-05", "identified", by="dis"), born="2004-02-29", on=date(2022, 3, 1)))
    assert [s for s in automatic(report) if s[0] == "came_of_age"] == [("came_of_age", "2022-03-01")]
    child = [e for e in report.entitlements if e.id == "child_protection"]
    assert [(e.from_, e.until) for e in child] == [("2022-01-05", "2022-02-28")]


def aged(*events, age: int, on: date | None = None) -> Report:
    """A person known only by her age on the first event."""
    person = {"alias": "T", "residence": "undocumented", "age": age}
    data = {"casepath": 1, "title": "test", "person": person, "events": list(events)}
    return casepath.simulate(casepath.scenario_from_dict(data), on=on)


def test_an_age_only_person_is_never_older_than_stated() -> None:
    # 17 on the first event 2022-03-10: born between 2004-03-11 and 2005-03-10; the latest, 2005-03-10,
    # is taken, so she is 18 on 2023-03-10: placed on 2023-03-09 is accepted, on 2023-03-10 refused.
    first = ev("2022-03-10", "identified", by="dis")
    day_before = aged(first, ev("2023-03-09", "placed", where="foster_care"), age=17)
    assert day_before.error is None, day_before.error
    birthday = aged(first, ev("2023-03-10", "placed", where="foster_care"), age=17)
    assert birthday.error is not None and birthday.error.code == "event_not_allowed"
    looked = ok(aged(first, age=17, on=date(2023, 3, 11)))
    assert [s for s in automatic(looked) if s[0] == "came_of_age"] == [("came_of_age", "2023-03-10")]
    assert any("2005-03-10" in a.note for a in looked.assumptions if a.parameter == "age")


def test_an_age_only_person_first_seen_on_a_leap_day() -> None:
    # 17 on 2020-02-29: someone born 2003-03-01 is only 16 that day, someone born 2003-02-28 is 17:
    # the latest consistent birthday is 2003-02-28, so she turns 18 on 2021-02-28.
    report = ok(aged(ev("2020-02-29", "contact", by="ngo"), age=17, on=date(2021, 3, 1)))
    assert [s for s in automatic(report) if s[0] == "came_of_age"] == [("came_of_age", "2021-02-28")]


def test_a_person_of_unknown_age_is_treated_as_an_adult() -> None:
    report = ok(run(ev("2022-03-10", "identified", by="dis"), born=None, unaccompanied=None))
    assert report.states["child"] == "adult"
    assert not has_entitlement(report, "child_protection")
    assert any(a.parameter == "age" for a in report.assumptions)
    refused = run(ev("2022-03-10", "identified", by="dis"), ev("2022-03-11", "placed", where="foster_care"), born=None)
    assert refused.error is not None and refused.error.code == "event_not_allowed"


# -------------------------------------------------------- rule history: not_before, certain_from, described_until

WORKFLOW = casepath.load_workflow("denmark")
DENMARK = WORKFLOW.spec
MAXIMUM = DENMARK.parameters["reflection_maximum"]


def notes(on: date) -> list[str]:
    """The assumptions a lookup on `on` rests on, in the words a report gives them."""
    return [words_for(WORKFLOW).assumption(a) for a in value_on("reflection_maximum", MAXIMUM, on).assumptions]


def test_the_120_days_window_opens_on_its_not_before_day() -> None:
    # 100 days (2007 act; its documents describe the law up to eu-dk's 2013-01-30) on both days.
    assert value_on("reflection_maximum", MAXIMUM, date(2013, 1, 30)).value.amount == 100
    assert notes(date(2013, 1, 30)) == []
    # On 2013-01-31 (the 120-day act's not_before) two things become uncertain: the 120 days may
    # already apply, and the 100 days are last described on 2013-01-30.
    on_31 = notes(date(2013, 1, 31))
    assert len(on_31) == 2, on_31
    assert any("the earlier rule is taken to be still in force" in n for n in on_31)
    assert any("last described for 2013" in n for n in on_31)


def test_the_120_days_are_certain_from_2022() -> None:
    # assumed in force from 2013-07-01, certain_from 2022-01-01: an assumption on 2021-12-31, none on 2022-01-01
    assert value_on("reflection_maximum", MAXIMUM, date(2013, 6, 30)).value.amount == 100
    assert value_on("reflection_maximum", MAXIMUM, date(2013, 7, 1)).value.amount == 120
    assert [n for n in notes(date(2021, 12, 31)) if "(used: 120 days from 2013-07-01" in n] != []
    assert notes(date(2022, 1, 1)) == []


def test_a_rule_is_assumed_still_in_force_only_after_its_sources_last_day() -> None:
    # eu-dk describes the law up to 2013-01-30: a rule citing only it is fine on that day, assumed the day after
    cited = [Citation(doc="eu-dk", section="§3")]
    assert still_in_force(DENMARK, "deadline", "reflection_end", cited, date(2013, 1, 30)) is None
    later = still_in_force(DENMARK, "deadline", "reflection_end", cited, date(2013, 1, 31))
    assert later is not None
    assert words_for(WORKFLOW).assumption(later) == (
        "Last day of the reflection period: last described for 2013 (EU page on Denmark (2013)); "
        "assumed still in force on later dates"
    )


# ---------------------------------------------------------------- a permit's last day and the day it is granted


@pytest.mark.parametrize(("until", "error"), [("2022-03-29", "event_not_allowed"), ("2022-03-30", None),
                                              ("2022-03-31", None)])  # fmt: skip
def test_a_permit_may_end_on_the_day_it_is_granted_but_not_before(until: str, error: str | None) -> None:
    grant = ev("2022-03-30", "residence_permit_granted", kind="humanitarian", until=until)
    report = run(IDENTIFIED, grant)
    assert (report.error.code if report.error else None) == error
    if error is None:
        assert report.last_deadline("permit_expiry").due == until
        assert report.outcome == "residence_permit"
