"""Properties that check rules, not only shape (issue 15), over generated days and cases.

- The longest reflection period is 30, 100 or 120 days from its start, by the rules in force on the
  day it is decided (domain.md §5, §8.1-8.2): 30 before 2007-08-01 (no extension existed), 100 from
  2007-08-01, 120 from the assumed 2013-07-01.
- A status never says missed when the act was done in time: an extension asked for by the last day
  makes extension_request_by met; leaving by the departure deadline makes it met.
- Judged `--on` a later day, a met deadline stays met (and nothing settled changes).

Expected values are counted here with plain date arithmetic, never by casepath. In CI hypothesis is
derandomized (tests/conftest.py); examples that once mattered are kept as `@example`s.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_danish_rules import ev, run
from test_properties import cases, simulate

import casepath

ACT_2007 = date(2007, 8, 1)  # extensions and the 100 days (stated)
ACT_2013 = date(2013, 7, 1)  # the 120 days (assumed day)
RULES = settings(max_examples=60, deadline=None)
days = st.dates(min_value=date(2005, 1, 1), max_value=date(2024, 12, 31))


def longest(decided: date) -> int:
    return 30 if decided < ACT_2007 else 100 if decided < ACT_2013 else 120


@RULES
@given(days)
@example(date(2007, 7, 31)).via("the eve of the 2007 act")
@example(date(2007, 8, 1)).via("the 2007 act")
@example(date(2013, 6, 30)).via("the eve of the assumed 120 days")
@example(date(2013, 7, 1)).via("the assumed 120 days")
def test_the_longest_end_on_identification_follows_the_era(identified: date) -> None:
    report = run(ev(identified.isoformat(), "identified", by="dis"))
    assert report.error is None
    assert report.last_deadline("reflection_end").due == (identified + timedelta(days=30)).isoformat()
    expected = identified + timedelta(days=longest(identified))
    assert report.last_deadline("reflection_max_end").due == expected.isoformat()


@RULES
@given(days, st.integers(0, 30), st.integers(0, 60))
@example(date(2007, 7, 31), 1, 23).via("domain.md §8.2: identified 07-31, granted 08-24 -> 100 days")
@example(date(2007, 7, 2), 29, 0).via("asked on the eve of the 2007 act: refused")
@example(date(2013, 6, 1), 10, 25).via("identified under 100 days, granted under 120")
def test_an_extension_runs_to_the_maximum_in_force_on_the_day_it_is_granted(
    identified: date, asked_after: int, granted_after: int
) -> None:
    asked = identified + timedelta(days=asked_after)  # at most the 30th day: in time
    granted = asked + timedelta(days=granted_after)
    report = run(
        ev(identified.isoformat(), "identified", by="dis"),
        ev(asked.isoformat(), "extension_requested", reason="special_circumstances"),
        ev(granted.isoformat(), "extension_granted"),
    )
    if asked < ACT_2007:  # no extension existed under the rules of the day it was asked for
        assert report.error is not None and report.error.code == "event_not_allowed"
        return
    assert report.error is None, report.error
    expected = identified + timedelta(days=longest(granted))
    assert report.last_deadline("departure_deadline").due == expected.isoformat()
    assert report.last_deadline("extension_request_by").status == "met"


@RULES
@given(days, st.integers(0, 40), st.sampled_from(["departed", "extension_requested"]))
@example(date(2022, 3, 10), 30, "departed").via("left on the last day")
@example(date(2022, 3, 10), 31, "departed").via("left the day after")
@example(date(2022, 3, 10), 30, "extension_requested").via("asked on the last day")
def test_an_act_in_time_is_met_and_a_late_one_never_is(identified: date, after: int, act: str) -> None:
    if act == "extension_requested" and identified < ACT_2007:
        identified = ACT_2007  # before 2007-08-01 no extension could be asked for at all
    when = identified + timedelta(days=after)
    fields = {"reason": "special_circumstances"} if act == "extension_requested" else {}
    report = run(ev(identified.isoformat(), "identified", by="dis"), ev(when.isoformat(), act, **fields))
    watched = "departure_deadline" if act == "departed" else "extension_request_by"
    entry = report.last_deadline(watched)
    in_time = after <= 30  # the last day is identified + 30
    if in_time:
        assert report.error is None, report.error
        assert entry.status == "met"
    else:
        assert entry.status != "met"
        assert entry.status == ("missed" if act == "departed" else "expired")


@settings(max_examples=60, deadline=None)
@given(cases, st.integers(0, 800))
@example(
    {
        "casepath": 1,
        "title": "left in time, looked at a year later",
        "person": {"alias": "A", "residence": "undocumented", "born": "1990-01-01"},
        "events": [
            {"date": "2022-03-10", "event": "identified", "by": "dis"},
            {"date": "2022-04-09", "event": "departed"},
        ],
    },
    365,
).via("met on the last day stays met")
def test_judged_on_a_later_day_a_met_deadline_stays_met(data, later: int) -> None:
    report = simulate(data)
    if report.error is not None or not data["events"] or report.on is None:
        return
    on = date.fromisoformat(report.on) + timedelta(days=later)
    scenario = casepath.scenario_from_dict(data)
    looked = casepath.simulate(scenario, on=on)
    then = {(d.id, d.due, d.set_on): d.status for d in looked.deadlines}
    for deadline in report.deadlines:
        key = (deadline.id, deadline.due, deadline.set_on)
        if deadline.status in ("met", "replaced", "ended", "cancelled"):
            assert then[key] == deadline.status, (key, deadline.status, then[key])
        if then.get(key) == "missed":
            assert deadline.status in ("upcoming", "missed"), (key, deadline.status)
