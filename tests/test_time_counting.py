"""How casepath counts time (domain.md §6), checked against dates worked out by hand.

Every expected value below is a literal with the arithmetic in a comment; none is computed by
casepath code. The rule: the starting day is not counted, N days from day D ends at the end
of day D + N; M months ends on the same day-number M months later, or the last day of a
shorter month; hours are real elapsed hours in Europe/Copenhagen.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from casepath.clock import Duration, Moment, add, expiry, extend, last_working_day_before
from casepath.locale import closed_reason as _closed_reason


def closed_reason(day: date, country: str) -> str | None:
    return _closed_reason(day, country, "en")

CPH = ZoneInfo("Europe/Copenhagen")
CET = timezone(timedelta(hours=1))  # winter time
CEST = timezone(timedelta(hours=2))  # summer time


def days(start: date, n: int) -> date:
    result = add(Moment(start), Duration.parse(f"{n} days"), CPH)
    assert type(result) is date
    return result


def months(start: date, n: int) -> date:
    result = add(Moment(start), Duration.parse(f"{n} months"), CPH)
    assert type(result) is date
    return result


# ---------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("30 days", 30, "days"),
        ("1 day", 1, "days"),
        ("6 months", 6, "months"),
        ("1 month", 1, "months"),
        ("2 years", 2, "years"),
        ("72 hours", 72, "hours"),
    ],
)
def test_duration_parse(text: str, amount: int, unit: str) -> None:
    assert Duration.parse(text) == Duration(amount, unit)


@pytest.mark.parametrize("text", ["thirty days", "30 weeks", "30", "-5 days", "days 30", ""])
def test_duration_parse_refuses_nonsense(text: str) -> None:
    with pytest.raises(ValueError):
        Duration.parse(text)


# ---------------------------------------------------------------- days


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # the starting day is not counted: 10 March + 1 day = 11 March
        (date(2022, 3, 10), 1, date(2022, 3, 11)),
        # domain.md §6: 10 March + 30: 21 days left in March (11..31), 9 more in April -> 9 April
        (date(2022, 3, 10), 30, date(2022, 4, 9)),
        # domain.md §6: 10 March + 120: March 21, April 30 (51), May 31 (82), June 30 (112), July 8 -> 8 July
        (date(2022, 3, 10), 120, date(2022, 7, 8)),
        # 1 Aug 2007 + 100: Aug 30 (2..31), Sep 30 (60), Oct 31 (91), Nov 9 -> 9 Nov 2007
        (date(2007, 8, 1), 100, date(2007, 11, 9)),
        # month end: 31 Jan 2022 + 30: February 28 (non-leap), then 2 March
        (date(2022, 1, 31), 30, date(2022, 3, 2)),
        # 30 April + 1 = 1 May
        (date(2022, 4, 30), 1, date(2022, 5, 1)),
        # year end: 15 Dec 2022 + 30: Dec 16 days (16..31), Jan 14 -> 14 Jan 2023
        (date(2022, 12, 15), 30, date(2023, 1, 14)),
        # 31 Dec 2024 + 1 = 1 Jan 2025
        (date(2024, 12, 31), 1, date(2025, 1, 1)),
        # leap day: 28 Feb 2024 + 1 = 29 Feb 2024; 29 Feb 2024 + 1 = 1 March 2024
        (date(2024, 2, 28), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 1, date(2024, 3, 1)),
        # no leap day in 2023: 28 Feb 2023 + 1 = 1 March 2023
        (date(2023, 2, 28), 1, date(2023, 3, 1)),
        # 30 Jan 2024 + 30: Jan 1 day (31), Feb 29 -> 29 Feb 2024
        (date(2024, 1, 30), 30, date(2024, 2, 29)),
        # 31 Jan 2024 + 30: Feb 29 (leap), then 1 March
        (date(2024, 1, 31), 30, date(2024, 3, 1)),
        # 29 Feb 2024 + 30: March 1..30 -> 30 March
        (date(2024, 2, 29), 30, date(2024, 3, 30)),
        # 10 Feb + 30: leap 2024 has 19 Feb days left (11..29), 11 March; 2023 has 18 left (11..28), 12 March
        (date(2024, 2, 10), 30, date(2024, 3, 11)),
        (date(2023, 2, 10), 30, date(2023, 3, 12)),
        # 1 Jan + 120: Jan 30 (2..31), Feb 29 (59), Mar 31 (90), Apr 30 -> 30 April 2024
        (date(2024, 1, 1), 120, date(2024, 4, 30)),
        # 1 Jan 2023 + 120: Jan 30, Feb 28 (58), Mar 31 (89), Apr 30 (119), May 1 -> 1 May 2023
        (date(2023, 1, 1), 120, date(2023, 5, 1)),
        # 5 Sep 2022 + 120: Sep 25, Oct 31 (56), Nov 30 (86), Dec 31 (117), Jan 3 -> 3 Jan 2023
        (date(2022, 9, 5), 120, date(2023, 1, 3)),
    ],
)
def test_days(start: date, n: int, expected: date) -> None:
    assert days(start, n) == expected


def test_days_ignore_the_time_of_day() -> None:
    # an event at 23:30 on 10 March still gives a 30-day period ending 9 April (a day-period, not 720 hours)
    late = Moment(date(2022, 3, 10), datetime(2022, 3, 10, 23, 30, tzinfo=CPH))
    assert add(late, Duration(30, "days"), CPH) == date(2022, 4, 9)


# ---------------------------------------------------------------- months and years


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # domain.md §6: 31 Aug 2022 + 6 months -> 31 Feb 2023 does not exist -> 28 Feb 2023
        (date(2022, 8, 31), 6, date(2023, 2, 28)),
        # 31 Aug 2024 + 6 months -> February 2025 has 28 days -> 28 Feb 2025
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        # 31 Aug 2023 + 6 months -> February 2024 is a leap month -> 29 Feb 2024
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        # 1 July 2022 + 6 months = 1 Jan 2023 (same day-number)
        (date(2022, 7, 1), 6, date(2023, 1, 1)),
        # 30 Nov 2010 + 3 months -> 30 Feb 2011 does not exist -> 28 Feb 2011
        (date(2010, 11, 30), 3, date(2011, 2, 28)),
        # 15 June 2010 + 3 months = 15 Sep 2010
        (date(2010, 6, 15), 3, date(2010, 9, 15)),
        # 31 March + 1 month -> 31 April does not exist -> 30 April
        (date(2022, 3, 31), 1, date(2022, 4, 30)),
        # 31 Jan 2024 + 1 month -> 29 Feb 2024 (leap)
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        # 30 June 2020 + 8 months -> 30 Feb 2021 does not exist -> 28 Feb 2021
        (date(2020, 6, 30), 8, date(2021, 2, 28)),
        # 10 March 2022 + 8 months = 10 Nov 2022
        (date(2022, 3, 10), 8, date(2022, 11, 10)),
    ],
)
def test_months_clamp_to_the_end_of_a_shorter_month(start: date, n: int, expected: date) -> None:
    assert months(start, n) == expected


def test_months_do_not_drift_after_clamping() -> None:
    # 6 months from 31 Aug is 28 Feb, but 12 months from 31 Aug is 31 Aug again (not 28 Aug)
    assert months(date(2022, 8, 31), 12) == date(2023, 8, 31)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # 20 April 2022 + 2 years = 20 April 2024
        (date(2022, 4, 20), date(2024, 4, 20)),
        # 29 Feb 2024 + 2 years -> 2026 has no 29 Feb -> 28 Feb 2026
        (date(2024, 2, 29), date(2026, 2, 28)),
    ],
)
def test_years(start: date, expected: date) -> None:
    assert add(Moment(start), Duration.parse("2 years"), CPH) == expected


# ---------------------------------------------------------------- hours


def hours_from(at: datetime, n: int) -> datetime:
    result = add(Moment(at.date(), at), Duration(n, "hours"), CPH)
    assert isinstance(result, datetime)
    return result


def test_72_hours_across_spring_dst() -> None:
    # Clocks go 02:00 -> 03:00 on Sunday 26 March 2023. 24 March 12:00+01:00 = 11:00 UTC;
    # + 72 h = 27 March 11:00 UTC = 13:00+02:00 (the wall clock shows 73 hours later)
    start = datetime(2023, 3, 24, 12, 0, tzinfo=CPH)
    end = hours_from(start, 72)
    assert end.isoformat() == "2023-03-27T13:00:00+02:00"
    assert end == datetime(2023, 3, 27, 13, 0, tzinfo=CEST)


def test_72_hours_across_autumn_dst() -> None:
    # Clocks go 03:00 -> 02:00 on Sunday 29 October 2023. 27 Oct 12:00+02:00 = 10:00 UTC;
    # + 72 h = 30 Oct 10:00 UTC = 11:00+01:00 (the wall clock shows 71 hours later)
    start = datetime(2023, 10, 27, 12, 0, tzinfo=CPH)
    end = hours_from(start, 72)
    assert end.isoformat() == "2023-10-30T11:00:00+01:00"
    assert end == datetime(2023, 10, 30, 11, 0, tzinfo=CET)


def test_72_hours_without_dst_change() -> None:
    # 1 June 2023 09:30+02:00 + 72 h = 4 June 09:30+02:00
    end = hours_from(datetime(2023, 6, 1, 9, 30, tzinfo=CPH), 72)
    assert end.isoformat() == "2023-06-04T09:30:00+02:00"


def test_72_hours_given_in_utc_is_shown_in_danish_time() -> None:
    # 24 March 2023 11:00 UTC = 12:00+01:00; + 72 h = 27 March 11:00 UTC = 13:00+02:00
    end = hours_from(datetime(2023, 3, 24, 11, 0, tzinfo=UTC), 72)
    assert end.isoformat() == "2023-03-27T13:00:00+02:00"


def test_hours_from_a_date_only_moment_start_at_midnight() -> None:
    # a detention with no time of day counts from 24 March 2023 00:00+01:00 = 23 March 23:00 UTC;
    # + 72 h = 26 March 23:00 UTC = 27 March 01:00+02:00
    end = add(Moment(date(2023, 3, 24)), Duration(72, "hours"), CPH)
    assert isinstance(end, datetime)
    assert end.isoformat() == "2023-03-27T01:00:00+02:00"


def test_extending_an_hour_deadline_across_autumn_dst() -> None:
    # a limit at 28 Oct 2023 12:00+02:00 (10:00 UTC) extended by 24 h = 29 Oct 10:00 UTC = 11:00+01:00
    end = extend(datetime(2023, 10, 28, 12, 0, tzinfo=CPH), Duration(24, "hours"), CPH)
    assert isinstance(end, datetime)
    assert end.isoformat() == "2023-10-29T11:00:00+01:00"


def test_extending_a_day_deadline_counts_from_that_day() -> None:
    # 9 April 2022 + 90 days: April 21 (10..30), May 31 (52), June 30 (82), July 8 -> 8 July 2022
    assert extend(date(2022, 4, 9), Duration(90, "days"), CPH) == date(2022, 7, 8)


def test_a_day_deadline_expires_at_the_first_instant_of_the_next_day() -> None:
    # last day 9 April 2022 -> over at 10 April 00:00 (summer time, +02:00)
    assert expiry(date(2022, 4, 9), CPH).isoformat() == "2022-04-10T00:00:00+02:00"
    # last day 31 Dec 2022 -> over at 1 Jan 2023 00:00 (winter time, +01:00)
    assert expiry(date(2022, 12, 31), CPH).isoformat() == "2023-01-01T00:00:00+01:00"


def test_an_hour_deadline_expires_at_its_instant() -> None:
    at = datetime(2023, 3, 27, 13, 0, tzinfo=CEST)
    assert expiry(at, CPH) == at


# ---------------------------------------------------------------- closed days


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2022, 4, 9), "a Saturday"),
        (date(2022, 4, 10), "a Sunday"),
        # Easter Sunday 17 April 2022 -> Easter Monday 18 April
        (date(2022, 4, 18), "a public holiday (Easter Monday)"),
        # Easter Sunday 9 April 2023 -> Easter Monday 10 April
        (date(2023, 4, 10), "a public holiday (Easter Monday)"),
        # Great Prayer Day = Easter + 26 days: 2022: 17 April + 26 = 13 May; 2023: 9 April + 26 = 5 May
        (date(2022, 5, 13), "a public holiday (Great Prayer Day)"),
        (date(2023, 5, 5), "a public holiday (Great Prayer Day)"),
        # Christmas 2023: Monday 25 and Tuesday 26 December
        (date(2023, 12, 25), "a public holiday (Christmas Day)"),
        (date(2023, 12, 26), "a public holiday (Second Day of Christmas)"),
    ],
)
def test_closed_days(day: date, reason: str) -> None:
    assert closed_reason(day, "DK") == reason


def test_christmas_on_a_sunday_is_still_closed() -> None:
    # 25 Dec 2022 is a Sunday and Christmas Day: closed either way
    reason = closed_reason(date(2022, 12, 25), "DK")
    assert reason is not None
    assert "Christmas" in reason or "Sunday" in reason


@pytest.mark.parametrize(
    "day",
    [
        date(2022, 4, 13),  # Wednesday before Easter 2022
        date(2022, 4, 8),  # Friday
        date(2022, 4, 11),  # Monday
        # Great Prayer Day was abolished from 2024: Easter 31 March 2024 + 26 = Friday 26 April 2024, a working day
        date(2024, 4, 26),
        # and in 2025: Easter 20 April 2025 + 26 = Friday 16 May 2025
        date(2025, 5, 16),
    ],
)
def test_working_days(day: date) -> None:
    assert closed_reason(day, "DK") is None


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Saturday 9 April 2022 -> Friday 8 April
        (date(2022, 4, 9), date(2022, 4, 8)),
        # Monday 11 April 2022 -> Sun 10, Sat 9 closed -> Friday 8 April
        (date(2022, 4, 11), date(2022, 4, 8)),
        # strictly before: Wednesday 13 April 2022 -> Tuesday 12 April
        (date(2022, 4, 13), date(2022, 4, 12)),
        # Easter Monday 18 April 2022 -> Sun 17, Sat 16, Good Friday 15, Maundy Thursday 14 closed -> Wed 13
        (date(2022, 4, 18), date(2022, 4, 13)),
        # Saturday 6 May 2023 -> Friday 5 May is Great Prayer Day -> Thursday 4 May
        (date(2023, 5, 6), date(2023, 5, 4)),
        # Saturday 27 April 2024 -> Friday 26 April 2024 (no Great Prayer Day any more)
        (date(2024, 4, 27), date(2024, 4, 26)),
        # Tuesday 26 Dec 2023 -> Mon 25 Christmas, Sun 24, Sat 23 -> Friday 22 Dec
        (date(2023, 12, 26), date(2023, 12, 22)),
        # Sunday 1 Jan 2023 (New Year) -> Sat 31 Dec -> Friday 30 Dec 2022
        (date(2023, 1, 1), date(2022, 12, 30)),
    ],
)
def test_last_working_day_before(day: date, expected: date) -> None:
    assert last_working_day_before(day, "DK") == expected


def test_a_day_in_iso_form_is_remembered_but_an_instant_never_is() -> None:
    # `iso_day` keeps the words of plain dates. Two instants can be equal (and hash alike) in
    # different zones and still print differently: those must never be answered from memory.
    from casepath.clock import iso_day

    assert iso_day(date(2024, 3, 10)) == "2024-03-10" == iso_day(date(2024, 3, 10))
    in_utc = datetime(2024, 3, 10, 11, 0, tzinfo=UTC)
    in_copenhagen = datetime(2024, 3, 10, 12, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    assert in_utc == in_copenhagen
    assert iso_day(in_utc) == "2024-03-10T11:00:00+00:00"
    assert iso_day(in_copenhagen) == "2024-03-10T12:00:00+01:00"
    assert Moment(date(2024, 3, 10), in_copenhagen).iso() == "2024-03-10T12:00:00+01:00"
    assert Moment(date(2024, 3, 10)).iso() == "2024-03-10"
