"""The Danish rules (domain.md, workflows/denmark.yaml), one test per rule, through the Python API.

Every expected date is a literal worked out by hand, with the arithmetic in a comment. Counting
(domain.md §6): the starting day is not counted, so N days from day D ends at the end of D + N;
months end on the same day-number or the last day of a shorter month.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import casepath
from casepath.report import Report

# ---------------------------------------------------------------- helpers


def ev(day: str, event: str, **fields: Any) -> dict[str, Any]:
    return {"date": day, "event": event, **fields}


def run(
    *events: dict[str, Any],
    residence: str = "undocumented",
    born: str | None = "1990-01-01",
    unaccompanied: bool | None = None,
    rules_as_of: str | None = None,
    scenario_variants: list[str] | None = None,
    as_of: date | None = None,
    variants: tuple[str, ...] = (),
    on: date | None = None,
) -> Report:
    person: dict[str, Any] = {"alias": "T", "residence": residence}
    if born is not None:
        person["born"] = born
    if unaccompanied is not None:
        person["unaccompanied"] = unaccompanied
    data: dict[str, Any] = {"casepath": 1, "title": "test", "person": person, "events": list(events)}
    if rules_as_of is not None:
        data["rules_as_of"] = rules_as_of
    if scenario_variants is not None:
        data["variants"] = scenario_variants
    return casepath.simulate(casepath.scenario_from_dict(data), as_of=as_of, variants=variants, on=on)


def ok(report: Report) -> Report:
    assert report.error is None, report.error
    return report


def due(report: Report, deadline_id: str) -> str:
    entry = report.last_deadline(deadline_id)
    assert entry is not None, f"no {deadline_id} in {[d.id for d in report.deadlines]}"
    return entry.due


def ids(report: Report) -> set[str]:
    return {d.id for d in report.deadlines}


def entitlement(report: Report, entitlement_id: str):
    found = [e for e in report.entitlements if e.id == entitlement_id]
    assert len(found) == 1, f"{entitlement_id}: {found}"
    return found[0]


def has_entitlement(report: Report, entitlement_id: str) -> bool:
    return any(e.id == entitlement_id for e in report.entitlements)


def assumed(report: Report, parameter: str) -> list[str]:
    return [a.note for a in report.assumptions if a.parameter == parameter]


def automatic(report: Report) -> list[tuple[str, str]]:
    return [(e.event, e.date) for e in report.events if e.automatic]


def error_code(report: Report) -> tuple[str, int] | None:
    return (report.error.code, report.error.event) if report.error else None


IDENTIFIED_2022 = ev("2022-03-10", "identified", by="dis")
# 10 March 2022 + 30 days: 21 days left in March (11..31) + 9 in April -> 9 April 2022 (a Saturday)
# 10 March 2022 + 120 days: March 21, April 30 (51), May 31 (82), June 30 (112), July 8 -> 8 July 2022


# ---------------------------------------------------------------- the reflection period


def test_reflection_period_is_30_days_from_identification() -> None:
    report = ok(run(ev("2022-03-01", "contact", by="ngo"), IDENTIFIED_2022))
    assert report.state == "reflection"
    assert due(report, "reflection_end") == "2022-04-09"


def test_reflection_period_30_days_across_a_year_end() -> None:
    # 15 Dec 2022 + 30: 16 days left in December (16..31) + 14 in January -> 14 Jan 2023
    report = ok(run(ev("2022-12-15", "identified", by="dis")))
    assert due(report, "reflection_end") == "2023-01-14"


def test_extension_request_by_is_the_last_day_of_the_period() -> None:
    report = ok(run(IDENTIFIED_2022))
    assert due(report, "extension_request_by") == "2022-04-09"


def test_maximum_was_30_days_before_1_august_2007() -> None:
    # 31 July 2007 + 30: 0 days left in July, 30 in August -> 30 Aug 2007; no extension existed: max = 30 days
    report = ok(run(ev("2007-07-31", "identified", by="dis")))
    assert due(report, "reflection_end") == "2007-08-30"
    assert due(report, "reflection_max_end") == "2007-08-30"


def test_maximum_is_100_days_from_1_august_2007() -> None:
    # 1 Aug 2007 + 30: 30 days left in August (2..31) -> 31 Aug 2007
    # 1 Aug 2007 + 100: Aug 30, Sep 30 (60), Oct 31 (91), Nov 9 -> 9 Nov 2007
    report = ok(run(ev("2007-08-01", "identified", by="dis")))
    assert due(report, "reflection_end") == "2007-08-31"
    assert due(report, "reflection_max_end") == "2007-11-09"


def test_no_extension_could_be_asked_for_before_1_august_2007() -> None:
    # domain.md §8.1: before 2007-08-01 the 30 days were practice, with no extension.
    # 1 March 2005 + 30: 30 days left in March (2..31) -> 31 March 2005, which is also the maximum
    report = run(
        ev("2005-03-01", "identified", by="dis"),
        ev("2005-03-20", "extension_requested", reason="special_circumstances"),
    )
    assert due(report, "reflection_max_end") == "2005-03-31"
    assert error_code(report) == ("event_not_allowed", 2)
    assert "1 August 2007" in report.error.message
    # the last day before the rule, and the first day of it
    identified = ev("2007-07-10", "identified", by="dis")  # + 30: July 21 (11..31), Aug 9 -> 2007-08-09
    report = run(identified, ev("2007-07-31", "extension_requested", reason="special_circumstances"))
    assert error_code(report) == ("event_not_allowed", 2)
    report = ok(run(identified, ev("2007-08-01", "extension_requested", reason="special_circumstances")))
    assert report.state == "extension_requested"


def test_as_of_before_2007_refuses_an_extension_asked_for_in_2022() -> None:
    events = [IDENTIFIED_2022, ev("2022-03-20", "extension_requested", reason="special_circumstances")]
    report = run(*events, as_of=date(2006, 1, 1))
    assert error_code(report) == ("event_not_allowed", 2)
    assert ok(run(*events, as_of=date(2007, 8, 1))).state == "extension_requested"


def test_an_extension_granted_after_the_2007_change_runs_to_100_days() -> None:
    # domain.md §8.2: identified 2007-07-31 (30 days, no extension then: both ends 2007-08-30);
    # asked for on 2007-08-20, granted on 2007-08-24 without an end date: the maximum in force on the
    # day of the grant, 100 days: Aug 31 (1..31), Sep 30 (61), Oct 31 (92), Nov 8 -> 2007-11-08.
    report = ok(
        run(
            ev("2007-07-31", "identified", by="dis"),
            ev("2007-08-20", "extension_requested", reason="cooperation_on_return"),
            ev("2007-08-24", "extension_granted"),
        )
    )
    assert due(report, "reflection_end") == "2007-08-30"
    assert due(report, "departure_deadline") == "2007-11-08"
    assert due(report, "reflection_max_end") == "2007-11-08"
    first_max = next(d for d in report.deadlines if d.id == "reflection_max_end")
    assert (first_max.due, first_max.status) == ("2007-08-30", "replaced")
    assert any("2007-08-01" in w for w in report.last_deadline("reflection_max_end").warnings)


def test_maximum_is_100_days_in_2010_and_an_extension_to_it_is_accepted() -> None:
    # 3 May 2010 + 100: May 28 (4..31), June 30 (58), July 31 (89), Aug 11 -> 11 Aug 2010
    events = [
        ev("2010-05-03", "identified", by="dis"),
        ev("2010-05-20", "extension_requested", reason="cooperation_on_return"),
    ]
    report = ok(run(*events, ev("2010-05-25", "extension_granted", until="2010-08-11")))
    assert due(report, "reflection_max_end") == "2010-08-11"
    assert due(report, "departure_deadline") == "2010-08-11"
    # one day more than the maximum is refused
    report = run(*events, ev("2010-05-25", "extension_granted", until="2010-08-12"))
    assert error_code(report) == ("exceeds_maximum", 3)


def test_maximum_is_120_days_from_the_assumed_1_july_2013() -> None:
    # 30 June 2013 (100 days): July 31, Aug 31 (62), Sep 30 (92), Oct 8 -> 8 Oct 2013
    before = ok(run(ev("2013-06-30", "identified", by="dis")))
    assert due(before, "reflection_max_end") == "2013-10-08"
    # 1 July 2013 (120 days): July 30 (2..31), Aug 31 (61), Sep 30 (91), Oct 29 -> 29 Oct 2013
    after = ok(run(ev("2013-07-01", "identified", by="dis")))
    assert due(after, "reflection_max_end") == "2013-10-29"
    # both dates depend on the assumed in-force day, so both reports say so
    assert assumed(before, "reflection_maximum")
    assert assumed(after, "reflection_maximum")


@pytest.mark.parametrize(
    ("day", "max_end", "uncertain"),
    [
        # 30 Jan 2013 (the bill was presented that day; not_before is 31 Jan) + 100:
        # Jan 1 (31), Feb 28 (29), Mar 31 (60), Apr 30 (90), May 10 -> 10 May 2013
        ("2013-01-30", "2013-05-10", False),
        # 31 Jan 2013 + 100: Feb 28, Mar 31 (59), Apr 30 (89), May 11 -> 11 May 2013
        ("2013-01-31", "2013-05-11", True),
        # 15 March 2017 + 120: Mar 16 (16..31), Apr 30 (46), May 31 (77), Jun 30 (107), Jul 13 -> 13 July 2017
        ("2017-03-15", "2017-07-13", True),
        # 31 Dec 2021 + 120: Jan 31, Feb 28 (59), Mar 31 (90), Apr 30 -> 30 April 2022
        ("2021-12-31", "2022-04-30", True),
        # 1 Jan 2022 + 120: Jan 30 (2..31), Feb 28 (58), Mar 31 (89), Apr 30 (119), May 1 -> 1 May 2022
        ("2022-01-01", "2022-05-01", False),
    ],
)
def test_reflection_maximum_assumption_listed_only_in_the_uncertain_window(
    day: str, max_end: str, uncertain: bool
) -> None:
    report = ok(run(ev(day, "identified", by="dis")))
    assert due(report, "reflection_max_end") == max_end
    assert bool(assumed(report, "reflection_maximum")) is uncertain


def test_2022_case_lists_no_reflection_maximum_assumption() -> None:
    report = ok(run(IDENTIFIED_2022))
    assert due(report, "reflection_max_end") == "2022-07-08"
    assert assumed(report, "reflection_maximum") == []


def test_as_of_applies_the_rules_of_that_date_to_every_event() -> None:
    # the rules of 2010 (100 days) for an identification on 10 March 2022:
    # March 21 (11..31), April 30 (51), May 31 (82), June 18 -> 18 June 2022
    report = ok(run(IDENTIFIED_2022, as_of=date(2010, 1, 1)))
    assert due(report, "reflection_max_end") == "2022-06-18"
    assert report.rules_as_of == "2010-01-01"
    # the rules of 2005 (no extension: 30 days) -> the maximum is the 30-day end, 9 April 2022
    report = ok(run(IDENTIFIED_2022, as_of=date(2005, 1, 1)))
    assert due(report, "reflection_max_end") == "2022-04-09"


def test_rules_as_of_in_the_scenario_works_like_as_of() -> None:
    # same as above, 100 days from 10 March 2022 -> 18 June 2022
    report = ok(run(IDENTIFIED_2022, rules_as_of="2010-01-01"))
    assert due(report, "reflection_max_end") == "2022-06-18"


def test_as_of_given_to_simulate_overrides_the_scenarios_rules_as_of() -> None:
    # the scenario says 2010 (100 days), the caller says 2022 (120 days) -> 8 July 2022
    report = ok(run(IDENTIFIED_2022, rules_as_of="2010-01-01", as_of=date(2022, 6, 1)))
    assert due(report, "reflection_max_end") == "2022-07-08"


def test_pandemic_variant_gives_8_months() -> None:
    # 10 March 2022 + 8 months = 10 Nov 2022
    report = ok(run(IDENTIFIED_2022, variants=("pandemic",)))
    assert due(report, "reflection_max_end") == "2022-11-10"
    # the reflection period itself stays 30 days
    assert due(report, "reflection_end") == "2022-04-09"
    assert assumed(report, "reflection_maximum"), "the pandemic rule's dates are not stated: an assumption"


def test_pandemic_variant_clamps_to_the_month_end_and_works_from_the_scenario() -> None:
    # 30 June 2020 + 8 months -> 30 Feb 2021 does not exist -> 28 Feb 2021
    report = ok(run(ev("2020-06-30", "identified", by="dis"), scenario_variants=["pandemic"]))
    assert due(report, "reflection_max_end") == "2021-02-28"
    # without the variant: 120 days: July 31, Aug 31 (62), Sep 30 (92), Oct 28 -> 28 Oct 2020
    report = ok(run(ev("2020-06-30", "identified", by="dis")))
    assert due(report, "reflection_max_end") == "2020-10-28"


# ---------------------------------------------------------------- departure deadline and extensions

# 5 Sep 2022 + 30: 25 days left in September (6..30) + 5 in October -> 5 Oct 2022 (a Wednesday)
# 5 Sep 2022 + 120: Sep 25, Oct 31 (56), Nov 30 (86), Dec 31 (117), Jan 3 -> 3 Jan 2023
IDENTIFIED_SEP = ev("2022-09-05", "identified", by="dis")
REQUEST_SEP = ev("2022-09-20", "extension_requested", reason="cooperation_on_return")


def test_departure_deadline_is_reflection_end_without_extension() -> None:
    report = ok(run(IDENTIFIED_SEP))
    assert due(report, "reflection_end") == "2022-10-05"
    assert due(report, "departure_deadline") == "2022-10-05"


def test_departure_deadline_is_reflection_max_end_with_a_default_grant() -> None:
    report = ok(run(IDENTIFIED_SEP, REQUEST_SEP, ev("2022-09-25", "extension_granted")))
    assert due(report, "reflection_max_end") == "2023-01-03"
    assert due(report, "departure_deadline") == "2023-01-03"
    assert report.last_deadline("departure_deadline").status == "upcoming"  # looked at on 2022-09-25
    assert assumed(report, "extension_default")


def test_departure_deadline_is_until_with_a_partial_grant() -> None:
    report = ok(run(IDENTIFIED_SEP, REQUEST_SEP, ev("2022-09-25", "extension_granted", until="2022-11-30")))
    assert due(report, "departure_deadline") == "2022-11-30"
    # the 30-day deadline stays in the list, replaced
    first = next(d for d in report.deadlines if d.id == "departure_deadline")
    assert (first.due, first.status) == ("2022-10-05", "replaced")


def test_extension_requested_on_the_last_day_is_accepted() -> None:
    # last day of the period: 9 April 2022
    report = ok(run(IDENTIFIED_2022, ev("2022-04-09", "extension_requested", reason="cooperation_on_return")))
    assert report.state == "extension_requested"
    assert automatic(report) == []


def test_extension_requested_the_day_after_is_too_late() -> None:
    report = run(IDENTIFIED_2022, ev("2022-04-10", "extension_requested", reason="cooperation_on_return"))
    assert error_code(report) == ("extension_after_deadline", 2)
    # the period ran out at the end of 9 April: the automatic step is dated 10 April
    assert automatic(report) == [("departure_deadline_passed", "2022-04-10")]


def test_a_timely_request_granted_after_the_last_day_is_accepted() -> None:
    # requested on the last day (9 April), granted on 12 April: the request was pending, so it counts
    report = ok(
        run(
            IDENTIFIED_2022,
            ev("2022-04-09", "extension_requested", reason="special_circumstances"),
            ev("2022-04-12", "extension_granted"),
        )
    )
    assert report.state == "extended"
    assert due(report, "departure_deadline") == "2022-07-08"


def test_a_timely_request_refused_after_the_last_day_leaves_the_last_day_as_departure_deadline() -> None:
    report = ok(
        run(
            IDENTIFIED_2022,
            ev("2022-04-09", "extension_requested", reason="special_circumstances"),
            ev("2022-04-20", "extension_refused"),
        )
    )
    assert report.state == "departure_due"
    assert due(report, "departure_deadline") == "2022-04-09"


def test_extension_granted_without_a_request_is_refused() -> None:
    report = run(IDENTIFIED_2022, ev("2022-03-20", "extension_granted"))
    assert error_code(report) == ("extension_not_requested", 2)


def test_extension_until_beyond_the_maximum_is_refused() -> None:
    request = ev("2022-03-20", "extension_requested", reason="cooperation_on_return")
    # maximum 8 July 2022: 9 July is one day too many
    report = run(IDENTIFIED_2022, request, ev("2022-03-25", "extension_granted", until="2022-07-09"))
    assert error_code(report) == ("exceeds_maximum", 3)
    # the error report covers the events before it: the departure deadline is still the 30-day one
    assert due(report, "departure_deadline") == "2022-04-09"
    # exactly the maximum is fine
    report = ok(run(IDENTIFIED_2022, request, ev("2022-03-25", "extension_granted", until="2022-07-08")))
    assert due(report, "departure_deadline") == "2022-07-08"


# ---------------------------------------------------------------- identification


@pytest.mark.parametrize(
    ("residence", "right", "wrong"),
    [
        ("danish_citizen", "cmm", "dis"),
        ("eu_citizen", "cmm", "dis"),
        ("lawful_resident", "cmm", "dis"),
        ("asylum_seeker", "dis", "cmm"),
        ("undocumented", "dis", "cmm"),
    ],
)
@pytest.mark.parametrize("event", ["identified", "not_identified"])
def test_identifying_authority_by_residence_status(residence: str, right: str, wrong: str, event: str) -> None:
    contact = ev("2022-03-01", "contact", by="ngo")
    report = run(contact, ev("2022-03-10", event, by=wrong), residence=residence)
    assert error_code(report) == ("wrong_authority", 2)
    assert report.state == "contacted"
    report = ok(run(contact, ev("2022-03-10", event, by=right), residence=residence))
    assert report.state != "contacted"


@pytest.mark.parametrize(
    "step",
    [
        ev("2022-03-20", "extension_requested", reason="cooperation_on_return"),
        ev("2022-03-20", "extension_granted"),
        ev("2022-03-20", "extension_refused"),
        ev("2022-03-20", "reflection_refused", reason="exceptional"),
        ev("2022-03-20", "prepared_return_accepted"),
        ev("2022-03-20", "prepared_return_declined"),
        ev("2022-03-20", "returned"),
    ],
    ids=lambda e: e["event"],
)
def test_victim_only_steps_after_a_negative_identification(step: dict[str, Any]) -> None:
    report = run(ev("2022-03-10", "not_identified", by="dis"), step)
    assert error_code(report) == ("not_a_victim", 2)
    assert report.outcome == "not_identified"
    assert "reflection_end" not in ids(report)


def test_not_identified_gives_no_reflection_period() -> None:
    report = ok(run(ev("2022-03-10", "not_identified", by="dis")))
    assert report.outcome == "not_identified"
    assert ids(report) == set()
    assert not has_entitlement(report, "safe_accommodation")


def test_asylum_seeker_identified_by_dis_gets_reflection_only_after_refusal() -> None:
    identified = ev("2022-02-01", "identified", by="dis")
    report = ok(run(identified, residence="asylum_seeker"))
    assert report.state == "with_permission"
    assert ids(report) == set()
    # refusal on 20 May 2022 + 30: May 11 (21..31), June 19 -> 19 June 2022
    # + 120: May 11, June 30 (41), July 31 (72), Aug 31 (103), Sep 17 -> 17 Sep 2022
    report = ok(run(identified, ev("2022-05-20", "asylum_refused"), residence="asylum_seeker"))
    assert report.state == "reflection"
    assert due(report, "reflection_end") == "2022-06-19"
    assert due(report, "extension_request_by") == "2022-06-19"
    assert due(report, "reflection_max_end") == "2022-09-17"
    assert due(report, "departure_deadline") == "2022-06-19"


# ---------------------------------------------------------------- reintegration support


def prepared_return(identified: str, accepted: str, returned: str) -> Report:
    return run(
        ev(identified, "identified", by="dis"),
        ev(accepted, "prepared_return_accepted"),
        ev(returned, "returned"),
    )


def test_no_reintegration_support_before_2008() -> None:
    report = ok(prepared_return("2007-10-01", "2007-10-15", "2007-12-10"))
    assert report.outcome == "prepared_return"
    assert "reintegration_support_end" not in ids(report)
    assert not has_entitlement(report, "reintegration_support")
    assert any("reintegration" in w.lower() for w in report.warnings), report.warnings


def test_reintegration_support_is_3_months_in_2010() -> None:
    # 15 June 2010 + 3 months = 15 Sep 2010
    report = ok(prepared_return("2010-05-03", "2010-05-20", "2010-06-15"))
    assert due(report, "reintegration_support_end") == "2010-09-15"
    support = entitlement(report, "reintegration_support")
    assert (support.from_, support.until) == ("2010-06-15", "2010-09-15")


def test_reintegration_support_is_6_months_in_2015() -> None:
    # 31 Aug 2015 + 6 months -> 31 Feb 2016 does not exist -> 29 Feb 2016 (leap year)
    report = ok(prepared_return("2015-08-03", "2015-08-20", "2015-08-31"))
    assert due(report, "reintegration_support_end") == "2016-02-29"
    support = entitlement(report, "reintegration_support")
    assert (support.from_, support.until) == ("2015-08-31", "2016-02-29")


def test_reintegration_support_is_6_months_in_2022() -> None:
    # domain.md §6: 31 Aug 2022 + 6 months -> 28 Feb 2023
    report = ok(prepared_return("2022-08-01", "2022-08-15", "2022-08-31"))
    assert due(report, "reintegration_support_end") == "2023-02-28"
    support = entitlement(report, "reintegration_support")
    assert (support.from_, support.until) == ("2022-08-31", "2023-02-28")
    assert report.last_deadline("departure_deadline").status == "met"


def test_returned_without_accepting_a_prepared_return_is_refused() -> None:
    report = run(IDENTIFIED_2022, ev("2022-03-20", "returned"))
    assert error_code(report) == ("event_not_allowed", 2)


# ---------------------------------------------------------------- detention


def test_detention_limit_is_72_hours_across_spring_dst() -> None:
    # 24 March 2023 12:00+01:00 = 11:00 UTC; + 72 h = 27 March 11:00 UTC = 13:00+02:00
    report = ok(run(ev("2023-03-24T12:00", "detained")))
    assert due(report, "detention_limit") == "2023-03-27T13:00:00+02:00"


def test_detention_limit_is_72_hours_across_autumn_dst() -> None:
    # 27 Oct 2023 12:00+02:00 = 10:00 UTC; + 72 h = 30 Oct 10:00 UTC = 11:00+01:00
    report = ok(run(ev("2023-10-27T12:00", "detained")))
    assert due(report, "detention_limit") == "2023-10-30T11:00:00+01:00"


def test_detention_extended_adds_hours_to_the_current_limit() -> None:
    # limit 27 March 13:00+02:00; + 24 h = 28 March 13:00+02:00 (not counted from the extension's time)
    report = ok(
        run(
            ev("2023-03-24T12:00", "detained"),
            ev("2023-03-26T10:00", "detention_extended", hours=24),
        )
    )
    assert due(report, "detention_limit") == "2023-03-28T13:00:00+02:00"
    assert report.states["detention"] == "extended"


def test_detention_limit_reached_is_an_automatic_step() -> None:
    report = ok(
        run(
            ev("2023-03-24T12:00", "detained"),
            ev("2023-03-26T10:00", "detention_extended", hours=24),
            ev("2023-03-29T09:00", "released"),
        )
    )
    steps = [(e.event, e.date, e.automatic) for e in report.events]
    assert steps == [
        ("detained", "2023-03-24T12:00:00+01:00", False),
        ("detention_extended", "2023-03-26T10:00:00+02:00", False),
        ("detention_limit_reached", "2023-03-28T13:00:00+02:00", True),
        ("released", "2023-03-29T09:00:00+02:00", False),
    ]
    assert any("detention limit was reached" in w for w in report.warnings)


def test_release_before_the_limit_takes_no_automatic_step() -> None:
    report = ok(run(ev("2023-03-24T12:00", "detained"), ev("2023-03-27T12:59", "released")))
    assert automatic(report) == []
    assert report.last_deadline("detention_limit").status == "met"


def test_release_exactly_at_the_limit_is_in_time() -> None:
    report = ok(run(ev("2023-03-24T12:00", "detained"), ev("2023-03-27T13:00", "released")))
    assert automatic(report) == []


# ---------------------------------------------------------------- departure deadline passing, removal


def test_departure_deadline_passed_is_an_automatic_step() -> None:
    report = ok(run(IDENTIFIED_2022, ev("2022-04-20", "removed")))
    entries = [(e.event, e.date, e.automatic) for e in report.events]
    # 9 April is the last day, so the deadline has passed on 10 April
    assert entries == [
        ("identified", "2022-03-10", False),
        ("departure_deadline_passed", "2022-04-10", True),
        ("removed", "2022-04-20", False),
    ]
    assert report.outcome == "removed"


def test_removal_is_refused_during_the_reflection_period() -> None:
    # 9 April is still inside the period
    report = run(IDENTIFIED_2022, ev("2022-04-09", "removed"))
    assert error_code(report) == ("event_not_allowed", 2)
    assert report.outcome == "in_progress"


def test_removal_is_accepted_the_day_after_the_deadline() -> None:
    report = ok(run(IDENTIFIED_2022, ev("2022-04-10", "removed")))
    assert report.outcome == "removed"


def test_removal_is_refused_during_an_extension() -> None:
    report = run(
        IDENTIFIED_2022,
        ev("2022-03-20", "extension_requested", reason="cooperation_on_return"),
        ev("2022-03-25", "extension_granted"),
        ev("2022-06-01", "removed"),
    )
    assert error_code(report) == ("event_not_allowed", 4)


def test_events_out_of_order() -> None:
    report = run(ev("2022-03-10", "contact", by="ngo"), ev("2022-03-09", "identified", by="dis"))
    assert error_code(report) == ("events_out_of_order", 2)
    assert report.state == "contacted"


# ---------------------------------------------------------------- children

# born 15 June 2006 -> 18th birthday on 15 June 2024


def test_personal_representative_for_an_unaccompanied_child() -> None:
    report = ok(
        run(
            ev("2022-03-01", "contact", by="red_cross"),
            ev("2022-03-10", "identified", by="dis"),
            ev("2022-03-15", "personal_representative_appointed"),
            born="2006-06-15",
            unaccompanied=True,
            residence="asylum_seeker",
        )
    )
    assert report.states["child"] == "represented"
    assert entitlement(report, "personal_representative").from_ == "2022-03-01"
    assert entitlement(report, "child_protection").from_ == "2022-03-10"


def test_no_personal_representative_for_an_accompanied_child() -> None:
    events = [ev("2022-03-01", "contact", by="ngo"), ev("2022-03-10", "identified", by="dis")]
    report = ok(run(*events, born="2006-06-15", unaccompanied=False))
    assert not has_entitlement(report, "personal_representative")
    assert entitlement(report, "child_protection").from_ == "2022-03-10"
    report = run(*events, ev("2022-03-15", "personal_representative_appointed"), born="2006-06-15")
    assert error_code(report) == ("event_not_allowed", 3)


def test_no_personal_representative_for_an_unaccompanied_adult() -> None:
    report = ok(run(ev("2022-03-10", "identified", by="dis"), born="1990-01-01", unaccompanied=True))
    assert report.states["child"] == "adult"
    assert not has_entitlement(report, "personal_representative")
    assert not has_entitlement(report, "child_protection")


def test_child_protection_only_for_identified_child_victims() -> None:
    report = ok(run(ev("2022-03-10", "not_identified", by="dis"), born="2006-06-15"))
    assert not has_entitlement(report, "child_protection")
    report = ok(run(ev("2022-03-01", "contact", by="ngo"), born="2006-06-15"))
    assert not has_entitlement(report, "child_protection")


def test_came_of_age_on_the_18th_birthday_ends_child_entitlements() -> None:
    report = ok(
        run(
            ev("2022-03-01", "contact", by="red_cross"),
            ev("2022-03-10", "identified", by="dis"),
            ev("2022-03-15", "personal_representative_appointed"),
            ev("2024-07-01", "compensation_claimed"),
            born="2006-06-15",
            unaccompanied=True,
            residence="asylum_seeker",
        )
    )
    # born 15 June 2006 + 18 years = 15 June 2024: 18 from the first instant of that day, so the
    # child entitlements' last day (`until` is a last day) is the day before, 14 June 2024
    assert automatic(report) == [("came_of_age", "2024-06-15")]
    assert report.states["child"] == "adult"
    assert entitlement(report, "personal_representative").until == "2024-06-14"
    assert entitlement(report, "child_protection").until == "2024-06-14"
    # being an adult does not end the assistance of an identified victim
    assert entitlement(report, "safe_accommodation").until is None


def test_came_of_age_does_not_fire_the_day_before_the_birthday() -> None:
    report = ok(
        run(
            ev("2022-03-10", "identified", by="dis"),
            ev("2024-06-14", "compensation_claimed"),
            born="2006-06-15",
            residence="asylum_seeker",
        )
    )
    assert automatic(report) == []
    assert report.states["child"] == "child"
    assert entitlement(report, "child_protection").until is None


def test_came_of_age_for_a_leap_day_birthday() -> None:
    # born 29 Feb 2004: 2022 has no 29 Feb. On 28 Feb 2022 the person is still 17 (a birthday has not
    # come), so the 18th birthday is 1 March 2022: never treated as older than they are.
    report = ok(
        run(
            ev("2022-02-01", "identified", by="dis"),
            ev("2022-03-05", "compensation_claimed"),
            born="2004-02-29",
            residence="asylum_seeker",
        )
    )
    assert automatic(report) == [("came_of_age", "2022-03-01")]


# ---------------------------------------------------------------- criminal case


def test_witness_entitlements() -> None:
    # 2015: no CMM contact person yet, so the contact person here comes only from testifying
    report = ok(
        run(
            ev("2015-03-02", "identified", by="cmm"),
            ev("2015-03-10", "investigation_opened"),
            ev("2015-04-01", "testifies"),
            ev("2015-06-30", "proceedings_ended"),
            residence="lawful_resident",
        )
    )
    assert entitlement(report, "restitution_claim").from_ == "2015-03-10"
    assert entitlement(report, "restitution_claim").until == "2015-06-30"
    for witness_only in ("stay_for_proceedings", "legal_assistance_at_trial", "contact_person"):
        period = entitlement(report, witness_only)
        assert (period.from_, period.until) == ("2015-04-01", "2015-06-30"), witness_only


def test_witness_entitlements_need_an_identified_victim() -> None:
    report = ok(
        run(
            ev("2022-03-10", "not_identified", by="dis"),
            ev("2022-03-12", "investigation_opened"),
            ev("2022-03-20", "testifies"),
        )
    )
    for entitlement_id in ("stay_for_proceedings", "legal_assistance_at_trial", "restitution_claim"):
        assert not has_entitlement(report, entitlement_id)


def test_non_punishment_for_a_non_serious_charge_of_an_identified_victim() -> None:
    report = ok(
        run(IDENTIFIED_2022, ev("2022-03-15", "victim_charged", serious=False), ev("2022-03-25", "charges_withdrawn"))
    )
    period = entitlement(report, "non_punishment")
    assert (period.from_, period.until) == ("2022-03-15", "2022-03-25")


def test_no_non_punishment_for_a_serious_charge() -> None:
    report = ok(run(IDENTIFIED_2022, ev("2022-03-15", "victim_charged", serious=True)))
    assert report.states["charges"] == "charged_serious"
    assert not has_entitlement(report, "non_punishment")


def test_no_non_punishment_for_someone_not_identified() -> None:
    report = ok(run(ev("2022-03-10", "not_identified", by="dis"), ev("2022-03-15", "victim_charged", serious=False)))
    assert not has_entitlement(report, "non_punishment")


def test_no_non_punishment_before_identification() -> None:
    report = ok(run(ev("2022-03-01", "contact", by="police"), ev("2022-03-05", "victim_charged", serious=False)))
    assert not has_entitlement(report, "non_punishment")


# ---------------------------------------------------------------- residence permits


def test_ukraine_special_act_permit_is_2_years() -> None:
    # 20 April 2022 + 2 years = 20 April 2024
    report = ok(
        run(
            ev("2022-04-04", "identified", by="dis"),
            ev("2022-04-20", "residence_permit_granted", kind="ukraine_special_act"),
        )
    )
    assert report.outcome == "residence_permit"
    assert due(report, "permit_expiry") == "2024-04-20"
    assert report.last_deadline("departure_deadline").status == "ended"


def test_ukraine_special_act_from_a_leap_day() -> None:
    # 29 Feb 2024 + 2 years -> no 29 Feb in 2026 -> 28 Feb 2026
    report = ok(run(ev("2024-02-29", "residence_permit_granted", kind="ukraine_special_act")))
    assert due(report, "permit_expiry") == "2026-02-28"


def test_no_ukraine_special_act_before_2022() -> None:
    report = run(ev("2021-06-01", "residence_permit_granted", kind="ukraine_special_act"))
    assert error_code(report) == ("event_not_allowed", 1)


# ---------------------------------------------------------------- warnings


def test_warning_when_events_are_after_rules_known_until() -> None:
    report = ok(run(ev("2023-01-02", "identified", by="dis")))
    assert any("2022-12-31" in w for w in report.warnings), report.warnings


def test_no_rules_known_until_warning_on_the_last_known_day() -> None:
    report = ok(run(ev("2022-12-31", "identified", by="dis")))
    assert not any("2022-12-31" in w for w in report.warnings), report.warnings


def test_closed_day_warning_on_a_weekend_deadline() -> None:
    # 9 April 2022 is a Saturday: the last working day before it is Friday 8 April
    report = ok(run(IDENTIFIED_2022))
    warnings = report.last_deadline("reflection_end").warnings
    assert len(warnings) == 1
    assert "Saturday" in warnings[0]
    assert "2022-04-08" in warnings[0]


def test_closed_day_warning_on_a_holiday_deadline() -> None:
    # 19 March 2022 + 30: March 12 (20..31), April 18 -> 18 April 2022, Easter Monday;
    # Sun 17, Sat 16, Good Friday 15, Maundy Thursday 14 -> last working day Wednesday 13 April
    report = ok(run(ev("2022-03-19", "identified", by="dis")))
    assert due(report, "reflection_end") == "2022-04-18"
    warnings = report.last_deadline("reflection_end").warnings
    assert len(warnings) == 1
    assert "Easter Monday" in warnings[0]
    assert "2022-04-13" in warnings[0]


def test_no_closed_day_warning_on_a_working_day() -> None:
    # 14 March 2022 + 30: March 17 (15..31), April 13 -> Wednesday 13 April 2022
    report = ok(run(ev("2022-03-14", "identified", by="dis")))
    assert due(report, "reflection_end") == "2022-04-13"
    assert report.last_deadline("reflection_end").warnings == []


def test_no_closed_day_warning_on_a_detention_limit() -> None:
    # 25 March 2023 (a Saturday) 10:00+01:00 + 72 h = 09:00 UTC + 72 h = 28 March 09:00 UTC = 11:00+02:00;
    # detention limits are hour deadlines: no closed-office warning applies
    report = ok(run(ev("2023-03-22T10:00", "detained")))
    # 22 March 2023 10:00+01:00 = 09:00 UTC; + 72 h = 25 March 09:00 UTC = 10:00+01:00 (a Saturday)
    assert due(report, "detention_limit") == "2023-03-25T10:00:00+01:00"
    assert report.last_deadline("detention_limit").warnings == []


# ---------------------------------------------------------------- leaving


@pytest.mark.parametrize(("event", "outcome"), [("departed", "departed"), ("disappeared", "disappeared")])
def test_entitlements_end_on_the_day_the_person_leaves(event: str, outcome: str) -> None:
    report = ok(run(IDENTIFIED_2022, ev("2022-03-25", event)))
    assert report.outcome == outcome
    for entitlement_id in ("safe_accommodation", "health_care", "psychological_assistance", "contact_person"):
        period = entitlement(report, entitlement_id)
        assert (period.from_, period.until) == ("2022-03-10", "2022-03-25"), entitlement_id


def test_entitlements_end_on_the_day_of_a_prepared_return() -> None:
    report = ok(prepared_return("2022-08-01", "2022-08-15", "2022-08-31"))
    period = entitlement(report, "safe_accommodation")
    assert (period.from_, period.until) == ("2022-08-01", "2022-08-31")


# ---------------------------------------------------------------- more on the rule history


def test_30_days_before_august_2007_rest_on_an_assumption() -> None:
    # before 1 Aug 2007 the 30 days were administrative practice from an unstated date
    before = ok(run(ev("2007-07-31", "identified", by="dis")))
    assert assumed(before, "reflection_period")
    after = ok(run(ev("2007-08-01", "identified", by="dis")))
    assert assumed(after, "reflection_period") == []


def test_the_maximum_in_force_on_the_day_of_the_grant_applies() -> None:
    # domain.md §8.2. Identified 15 June 2013 under the 100-day rule: June 15 (16..30), July 31 (46),
    # Aug 31 (77), Sep 23 -> 23 Sep 2013. The 120-day rule is assumed in force from 2013-07-01, so on
    # 10 July the longest period is 120 days: June 15, July 31 (46), Aug 31 (77), Sep 30 (107), Oct 13
    # -> 13 Oct 2013. An extension to 24 Sep is now within it; one to 14 Oct is one day too many.
    events = [
        ev("2013-06-15", "identified", by="dis"),
        ev("2013-07-05", "extension_requested", reason="cooperation_on_return"),
    ]
    report = ok(run(*events, ev("2013-07-10", "extension_granted", until="2013-09-24")))
    assert due(report, "departure_deadline") == "2013-09-24"
    assert due(report, "reflection_max_end") == "2013-10-13"
    assert assumed(report, "maximum_on_decision_day")
    assert assumed(report, "reflection_maximum")  # the 120 days rest on an assumed date
    report = run(*events, ev("2013-07-10", "extension_granted", until="2013-10-14"))
    assert error_code(report) == ("exceeds_maximum", 3)
    # a default grant runs to the maximum of the day of the grant
    report = ok(run(*events, ev("2013-07-10", "extension_granted")))
    assert due(report, "departure_deadline") == "2013-10-13"
    # the change inside the running period is pointed out, and the earlier end stays, replaced
    maxima = [(d.due, d.status) for d in report.deadlines if d.id == "reflection_max_end"]
    assert maxima == [("2013-09-23", "replaced"), ("2013-10-13", "upcoming")]
    assert any("2013-07-01" in w and "2013-09-23" in w for w in report.last_deadline("reflection_max_end").warnings)


def test_the_latest_end_follows_the_rules_on_the_day_the_case_is_looked_at() -> None:
    # Identified 15 June 2013 with nothing after it: on its own day the longest end is 23 Sep 2013
    # (100 days, above); looked at on 2 July 2013 (the 120 days assumed from 1 July) it is 13 Oct 2013.
    identified = ev("2013-06-15", "identified", by="dis")
    assert due(ok(run(identified)), "reflection_max_end") == "2013-09-23"
    report = ok(run(identified, on=date(2013, 7, 2)))
    assert due(report, "reflection_max_end") == "2013-10-13"
    # with the rules of one date chosen for every event (--as-of), nothing is counted again
    report = ok(run(identified, as_of=date(2013, 6, 15), on=date(2013, 7, 2)))
    assert due(report, "reflection_max_end") == "2013-09-23"


# ---------------------------------------------------------------- more on extensions


def test_an_extension_cannot_end_before_the_30_days() -> None:
    request = ev("2022-03-20", "extension_requested", reason="special_circumstances")
    # the 30 days end on 9 April 2022: an extension to 8 April would shorten them
    report = run(IDENTIFIED_2022, request, ev("2022-03-22", "extension_granted", until="2022-04-08"))
    assert error_code(report) == ("event_not_allowed", 3)
    assert due(report, "departure_deadline") == "2022-04-09"
    report = ok(run(IDENTIFIED_2022, request, ev("2022-03-22", "extension_granted", until="2022-04-09")))
    assert due(report, "departure_deadline") == "2022-04-09"


def test_a_partial_extension_can_be_extended_again_up_to_the_maximum() -> None:
    report = ok(
        run(
            IDENTIFIED_2022,
            ev("2022-03-20", "extension_requested", reason="cooperation_on_return"),
            ev("2022-03-25", "extension_granted", until="2022-05-31"),
            # the extended period's last day is now the last day to ask again
            ev("2022-05-31", "extension_requested", reason="cooperation_on_return"),
            ev("2022-06-03", "extension_granted"),
        )
    )
    assert automatic(report) == []
    # the second grant runs to the maximum, 8 July 2022
    assert due(report, "departure_deadline") == "2022-07-08"


def test_a_second_request_after_a_partial_extension_ran_out_is_too_late() -> None:
    report = run(
        IDENTIFIED_2022,
        ev("2022-03-20", "extension_requested", reason="cooperation_on_return"),
        ev("2022-03-25", "extension_granted", until="2022-05-31"),
        ev("2022-06-01", "extension_requested", reason="cooperation_on_return"),
    )
    assert due(report, "extension_request_by") == "2022-05-31"
    assert error_code(report) == ("extension_after_deadline", 4)
    # 31 May was the last day: the deadline passed at the start of 1 June
    assert automatic(report) == [("departure_deadline_passed", "2022-06-01")]


def test_a_default_grant_after_asking_for_a_number_of_days_warns() -> None:
    report = ok(
        run(
            IDENTIFIED_2022,
            ev("2022-03-20", "extension_requested", reason="special_circumstances", days=60),
            ev("2022-03-22", "extension_granted"),
        )
    )
    # no `until`: it runs to the maximum, 8 July 2022, and says the request named a length
    assert due(report, "departure_deadline") == "2022-07-08"
    assert any("no end date" in w for w in report.warnings), report.warnings


def test_reflection_assistance_ends_on_the_last_day_of_the_period() -> None:
    # the period's last day is 9 April 2022; it has passed on 10 April
    report = ok(run(IDENTIFIED_2022, ev("2022-04-20", "prepared_return_accepted")))
    assert report.state == "departure_due"
    for entitlement_id in ("safe_accommodation", "health_care", "psychological_assistance"):
        period = entitlement(report, entitlement_id)
        assert (period.from_, period.until) == ("2022-03-10", "2022-04-09"), entitlement_id
    # what a victim who has to leave keeps
    assert entitlement(report, "prepared_return_offer").until is None
    assert entitlement(report, "expulsion_protection").until is None


def test_asylum_application_during_the_reflection_period_then_refusal_starts_a_new_one() -> None:
    report = ok(
        run(
            IDENTIFIED_2022,
            ev("2022-03-20", "asylum_applied"),
            ev("2022-06-01", "asylum_refused"),
        )
    )
    assert report.state == "reflection"
    # 1 June 2022 + 30: June 29 (2..30), July 1 -> 1 July 2022
    # 1 June 2022 + 120: June 29, July 31 (60), Aug 31 (91), Sep 29 -> 29 Sep 2022
    assert due(report, "reflection_end") == "2022-07-01"
    assert due(report, "reflection_max_end") == "2022-09-29"
    assert due(report, "departure_deadline") == "2022-07-01"
    # the first period's departure deadline was ended by the application, not met or passed
    first = next(d for d in report.deadlines if d.id == "departure_deadline")
    assert (first.due, first.status) == ("2022-04-09", "ended")
    assert automatic(report) == []


def test_asylum_application_ends_the_running_reflection_deadlines() -> None:
    report = ok(run(IDENTIFIED_2022, ev("2022-03-20", "asylum_applied")))
    assert report.state == "with_permission"
    for deadline_id in ("reflection_end", "extension_request_by", "reflection_max_end"):
        assert report.last_deadline(deadline_id).status == "ended", deadline_id


# ---------------------------------------------------------------- more on reintegration


@pytest.mark.parametrize(
    ("identified", "returned", "support_end", "uncertain"),
    [
        # 2008 is the first year, its day is assumed (certain from 2009): 1 Feb 2008 + 3 months = 1 May 2008
        ("2008-01-10", "2008-02-01", "2008-05-01", True),
        # 31 Dec 2012, still 3 months: 31 March 2013
        ("2012-12-10", "2012-12-31", "2013-03-31", False),
        # 2 Jan 2013, the assumed 6 months of the finance bill 2013: 2 July 2013
        ("2012-12-20", "2013-01-02", "2013-07-02", True),
    ],
)
def test_reintegration_support_around_its_changes(
    identified: str, returned: str, support_end: str, uncertain: bool
) -> None:
    report = ok(
        run(
            ev(identified, "identified", by="dis"),
            ev(identified, "prepared_return_accepted"),
            ev(returned, "returned"),
        )
    )
    assert due(report, "reintegration_support_end") == support_end
    assert bool(assumed(report, "reintegration_period")) is uncertain


# ---------------------------------------------------------------- more on detention


def test_detention_cannot_be_extended_after_the_limit() -> None:
    report = run(
        ev("2023-03-24T12:00", "detained"),
        ev("2023-03-27T14:00", "detention_extended", hours=24),
    )
    # the limit was 27 March 13:00+02:00; the extension an hour later comes too late
    assert automatic(report) == [("detention_limit_reached", "2023-03-27T13:00:00+02:00")]
    assert error_code(report) == ("event_not_allowed", 2)


def test_detention_without_a_time_of_day_counts_from_midnight() -> None:
    # 24 March 2023 00:00+01:00 = 23 March 23:00 UTC; + 72 h = 26 March 23:00 UTC = 27 March 01:00+02:00
    report = ok(run(ev("2023-03-24", "detained")))
    assert due(report, "detention_limit") == "2023-03-27T01:00:00+02:00"
    assert assumed(report, "detention_time_unknown")


def test_a_detention_at_an_ambiguous_autumn_time_must_give_its_offset() -> None:
    # 02:30 on 29 Oct 2023 happens twice; guessing could move the limit by an hour
    with pytest.raises(casepath.InputProblem, match="happened twice"):
        run(ev("2023-10-29T02:30", "detained"))
    # with the offset it is clear: 02:30+02:00 = 00:30 UTC, + 72 h = 1 Nov 00:30 UTC = 01:30+01:00
    report = ok(run(ev("2023-10-29T02:30+02:00", "detained")))
    assert due(report, "detention_limit") == "2023-11-01T01:30:00+01:00"


def test_a_detention_at_a_time_skipped_by_the_spring_change_is_refused() -> None:
    with pytest.raises(casepath.InputProblem, match="does not exist"):
        run(ev("2023-03-26T02:30", "detained"))


def test_detention_goes_on_after_a_negative_identification() -> None:
    # other tracks go on (decision negative_identification_ends_pathway)
    report = ok(run(ev("2022-03-10", "not_identified", by="dis"), ev("2022-03-11T09:00", "detained")))
    # 11 March 2022 09:00+01:00 + 72 h = 14 March 09:00+01:00 (no clock change)
    assert due(report, "detention_limit") == "2022-03-14T09:00:00+01:00"
    assert report.outcome == "not_identified"


# ---------------------------------------------------------------- more on children


def test_an_age_gives_the_latest_birthday_consistent_with_it() -> None:
    # "17" on 10 March 2022 -> born 11 March 2004 .. 10 March 2005; the latest, 10 March 2005,
    # makes the 18th birthday 10 March 2023 (never treated as older than stated)
    data = {
        "casepath": 1,
        "title": "test",
        "person": {"alias": "T", "residence": "asylum_seeker", "age": 17, "unaccompanied": True},
        "events": [ev("2022-03-10", "identified", by="dis"), ev("2023-04-01", "compensation_claimed")],
    }
    report = ok(casepath.simulate(casepath.scenario_from_dict(data)))
    assert automatic(report) == [("came_of_age", "2023-03-10")]
    # last day as a child: 9 March 2023
    assert entitlement(report, "child_protection").until == "2023-03-09"
    assert assumed(report, "age")


# ---------------------------------------------------------------- more on closed days and warnings


def test_closed_day_warning_on_christmas_day() -> None:
    # 25 Nov 2023 + 30: Nov 5 (26..30), Dec 25 -> Monday 25 Dec 2023, Christmas Day;
    # Sun 24, Sat 23 -> last working day Friday 22 Dec
    report = ok(run(ev("2023-11-25", "identified", by="dis")))
    assert due(report, "reflection_end") == "2023-12-25"
    warnings = report.last_deadline("reflection_end").warnings
    assert len(warnings) == 1
    assert "Christmas" in warnings[0]
    assert "2023-12-22" in warnings[0]


def test_great_prayer_day_closes_offices_in_2023_but_not_in_2024() -> None:
    # 5 April 2023 + 30: April 25 (6..30), May 5 -> Friday 5 May 2023, Great Prayer Day;
    # the last working day before it is Thursday 4 May
    report = ok(run(ev("2023-04-05", "identified", by="dis")))
    assert due(report, "reflection_end") == "2023-05-05"
    warnings = report.last_deadline("reflection_end").warnings
    assert len(warnings) == 1
    assert "2023-05-04" in warnings[0]
    # 27 March 2024 + 30: March 4 (28..31), April 26 -> Friday 26 April 2024, a working day since 2024
    report = ok(run(ev("2024-03-27", "identified", by="dis")))
    assert due(report, "reflection_end") == "2024-04-26"
    assert report.last_deadline("reflection_end").warnings == []


def test_closed_day_warning_on_a_permit_expiry() -> None:
    # 20 April 2022 + 2 years = 20 April 2024, a Saturday -> Friday 19 April 2024
    report = ok(run(ev("2022-04-20", "residence_permit_granted", kind="ukraine_special_act")))
    warnings = report.last_deadline("permit_expiry").warnings
    assert len(warnings) == 1
    assert "2024-04-19" in warnings[0]


def test_warning_when_as_of_is_after_rules_known_until() -> None:
    report = ok(run(IDENTIFIED_2022, as_of=date(2023, 6, 1)))
    assert any("2022-12-31" in w for w in report.warnings), report.warnings


# ---------------------------------------------------------------- permission to stay


@pytest.mark.parametrize("residence", ["danish_citizen", "eu_citizen", "lawful_resident"])
def test_no_reflection_period_for_someone_with_permission_to_stay(residence: str) -> None:
    report = ok(run(ev("2022-03-10", "identified", by="cmm"), residence=residence))
    assert report.state == "recovery"  # a recovery period (restitutionsperiode), domain.md §8.4
    assert ids(report) == set()
    # assistance without a reflection period, and nothing tied to having to leave
    assert entitlement(report, "safe_accommodation").from_ == "2022-03-10"
    assert not has_entitlement(report, "prepared_return_offer")
    assert not has_entitlement(report, "expulsion_protection")
    # a person with permission to stay cannot be removed or ask for an extension
    report = run(ev("2022-03-10", "identified", by="cmm"), ev("2022-03-20", "removed"), residence=residence)
    assert error_code(report) == ("event_not_allowed", 2)


def test_extension_requested_late_on_the_last_day_is_in_time() -> None:
    # the period runs to the end of 9 April 2022: 23:59 that day is still in time
    report = ok(run(IDENTIFIED_2022, ev("2022-04-09T23:59", "extension_requested", reason="cooperation_on_return")))
    assert report.state == "extension_requested"
    assert automatic(report) == []
    # midnight starting 10 April is too late
    report = run(IDENTIFIED_2022, ev("2022-04-10T00:00", "extension_requested", reason="cooperation_on_return"))
    assert error_code(report) == ("extension_after_deadline", 2)


def test_a_release_without_a_time_on_the_limit_day_is_not_silently_in_time() -> None:
    # limit: 24 March 2023 12:00+01:00 + 72 h = 27 March 13:00+02:00; released "2023-03-27", time unknown
    report = ok(run(ev("2023-03-24T12:00", "detained"), ev("2023-03-27", "released")))
    limit = report.last_deadline("detention_limit")
    assert limit.due == "2023-03-27T13:00:00+02:00"
    said = [*report.warnings, *limit.warnings, *(a.note for a in report.assumptions)]
    assert limit.status != "met" or any("time" in s and "releas" in s.lower() for s in said), said


# ---------------------------------------------------------------- as_of reaches every rule


def test_as_of_in_the_uncertain_window_lists_the_maximum_assumption() -> None:
    # rules of 2015 for a 2022 event: 120 days (assumed in force from 1 July 2013) -> 8 July 2022
    report = ok(run(IDENTIFIED_2022, as_of=date(2015, 1, 1)))
    assert due(report, "reflection_max_end") == "2022-07-08"
    assert assumed(report, "reflection_maximum")


def test_as_of_applies_to_reintegration_support() -> None:
    # the rules of 2010 (3 months) for a return on 31 Aug 2022 -> 30 Nov 2022 (no 31 Nov)
    report = ok(
        run(
            ev("2022-08-01", "identified", by="dis"),
            ev("2022-08-15", "prepared_return_accepted"),
            ev("2022-08-31", "returned"),
            as_of=date(2010, 1, 1),
        )
    )
    assert due(report, "reintegration_support_end") == "2022-11-30"


# ---------------------------------------------------------------- leaving ends the reflection deadlines


def _status(report: Report, deadline_id: str) -> str:
    entry = report.last_deadline(deadline_id)
    assert entry is not None
    return entry.status


def test_leaving_ends_the_reflection_deadlines_that_still_ran() -> None:
    # Identified 2022-03-10: the 30 days end 2022-04-09, the longest possible end is 2022-07-08
    # (120 days). She departs on 2022-03-20, before either: both no longer apply ("ended").
    report = ok(run(ev("2022-03-10", "identified", by="dis"), ev("2022-03-20", "departed")))
    assert (due(report, "reflection_end"), _status(report, "reflection_end")) == ("2022-04-09", "ended")
    assert (due(report, "reflection_max_end"), _status(report, "reflection_max_end")) == ("2022-07-08", "ended")
    assert "reflection_ends_with_case" in {a.parameter for a in report.assumptions}


def test_leaving_with_no_reflection_period_running_does_not_cite_that_decision() -> None:
    # An EU citizen identified by CMM has no reflection period (domain.md §2): nothing to close.
    report = ok(run(ev("2022-05-09", "identified", by="cmm"), ev("2022-06-01", "departed"), residence="eu_citizen"))
    assert report.last_deadline("reflection_end") is None
    assert "reflection_ends_with_case" not in {a.parameter for a in report.assumptions}


def test_a_period_that_ran_out_before_leaving_stays_expired() -> None:
    # Extended to the maximum (2022-07-08), prepared return, home on 2022-07-01: the 30 days
    # (2022-04-09) had run out before she left, so that period "expired"; the maximum had not: "ended";
    # the departure deadline (2022-07-08) was kept: "met"; the extension was asked for in time: "met".
    report = ok(
        run(
            ev("2022-03-10", "identified", by="dis"),
            ev("2022-04-01", "extension_requested", reason="cooperation_on_return"),
            ev("2022-04-05", "extension_granted"),
            ev("2022-06-01", "prepared_return_accepted"),
            ev("2022-07-01", "returned"),
        )
    )
    assert _status(report, "reflection_end") == "expired"
    assert _status(report, "extension_request_by") == "met"
    assert _status(report, "reflection_max_end") == "ended"
    assert (due(report, "departure_deadline"), _status(report, "departure_deadline")) == ("2022-07-08", "met")


# ---------------------------------------------------------------- the stay for criminal proceedings (domain.md §8.3)


def test_a_victim_who_testifies_does_not_have_to_leave_while_the_proceedings_run() -> None:
    # identified 2022-03-10: 30 days -> 2022-04-09. Investigation on 03-20, testifies on 03-25: the
    # departure deadline no longer runs (ended), the state is not "must leave", the offers go on.
    events = [
        IDENTIFIED_2022,
        ev("2022-03-20", "investigation_opened"),
        ev("2022-03-25", "testifies"),
    ]
    report = ok(run(*events, on=date(2022, 6, 1)))
    assert report.state == "proceedings_stay"
    assert report.last_deadline("departure_deadline").status == "ended"
    assert report.last_deadline("reflection_end").status == "ended"
    assert automatic(report) == []  # no "departure deadline passed" on 2022-04-10
    for offer in ("safe_accommodation", "health_care", "stay_for_proceedings", "legal_assistance_at_trial"):
        assert has_entitlement(report, offer), offer
        assert entitlement(report, offer).until is None, offer
    # a prepared return was offered while she had to leave, until the day she testified (an event
    # ends what it ends on its own day)
    assert entitlement(report, "prepared_return_offer").until == "2022-03-25"
    assert assumed(report, "proceedings_stay")
    # she cannot be removed while she stays for the proceedings
    refused = run(*events, ev("2022-05-01", "removed"))
    assert error_code(refused) == ("event_not_allowed", 4)


def test_after_the_proceedings_she_must_leave_with_no_period_shown() -> None:
    report = ok(
        run(
            IDENTIFIED_2022,
            ev("2022-03-20", "investigation_opened"),
            ev("2022-03-25", "testifies"),
            ev("2022-09-01", "proceedings_ended"),
        )
    )
    assert report.state == "proceedings_over"
    assert assumed(report, "after_proceedings")
    assert any("2022-09-01" in w and "no departure deadline" in w for w in report.warnings)
    # no new departure deadline: the last one is the ended 2022-04-09
    assert [(d.due, d.status) for d in report.deadlines if d.id == "departure_deadline"] == [("2022-04-09", "ended")]
    offers = [(e.from_, e.until) for e in report.entitlements if e.id == "prepared_return_offer"]
    assert offers == [("2022-03-10", "2022-03-25"), ("2022-09-01", None)]


def test_testifying_after_the_departure_deadline_does_not_undo_the_missed_deadline() -> None:
    report = ok(
        run(IDENTIFIED_2022, ev("2022-03-20", "investigation_opened"), ev("2022-04-20", "testifies"))
    )
    assert report.state == "proceedings_stay"
    assert report.last_deadline("departure_deadline").status == "missed"  # 2022-04-09 passed while here


def test_a_permit_for_the_proceedings_gives_the_stay_without_testifying() -> None:
    report = ok(
        run(IDENTIFIED_2022, ev("2022-03-20", "residence_permit_granted", kind="criminal_proceedings"))
    )
    assert entitlement(report, "stay_for_proceedings").from_ == "2022-03-20"
    assert report.last_deadline("departure_deadline").status == "ended"


# ---------------------------------------------------------------- the recovery period (domain.md §8.4)


def test_a_lawful_resident_is_in_a_recovery_period_not_a_reflection_period() -> None:
    report = ok(run(ev("2015-05-04", "identified", by="cmm"), residence="lawful_resident"))
    assert report.state == "recovery"
    assert report.deadlines == []
    assert report.state_labels["pathway"].startswith("Recovery period")
    # the offers the sources describe for victims with a right to stay in 2015 (eu-dk:180), not legal
    # counselling, which the sources give them only with equal assistance (assumed from 2022-01-01)
    assert entitlement(report, "safe_accommodation").from_ == "2015-05-04"
    assert not has_entitlement(report, "legal_counselling")
    report = ok(run(ev("2022-05-04", "identified", by="cmm"), residence="lawful_resident"))
    assert entitlement(report, "legal_counselling").from_ == "2022-05-04"
