"""Counting time the way the workflow says: days, months and hours, and closed office days.

The rules (a workflow's modelling decision, documented in docs/workflow-format.md):

- a period of N days started on day D ends at the end of day D + N (the starting day is not
  counted);
- a period of M months started on day D ends on the same day-number M months later, or on
  the last day of that month if it is shorter (python-dateutil's relativedelta clamps so);
- a period of hours runs in real elapsed time, so it crosses a daylight-saving change
  correctly: the arithmetic is done in UTC and shown in the local time zone.

A day-period is over at the first instant of the day after its last day; an hour-period is
reached at its exact instant (its automatic step is dated then), and an act at that very
minute is still in time (`has_run_out`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from casepath.holiday_table import public_holidays
from casepath.memo import Remembered

Unit = Literal["days", "months", "years", "hours"]
_DURATION = re.compile(r"^\s*(\d{1,6})\s*(day|days|month|months|year|years|hour|hours)\s*$")

LONGEST: dict[str, int] = {"days": 36525, "months": 1200, "years": 100, "hours": 876600}
"""The longest period casepath counts, in each unit: 100 years. Rules run to months or a few years;
a bound keeps every date the engine computes within the calendar."""

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
"""Dates outside this range are refused as input: far beyond any rule, and a guard against overflow."""


@dataclass(frozen=True, slots=True)
class Duration:
    """A length of time in one unit, as the rules state it: "30 days", "6 months", "72 hours"."""

    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _DURATION.match(text)
        if not match:
            raise ValueError(f"{text!r} is not a duration such as '30 days', '6 months' or '72 hours'")
        unit = match.group(2) if match.group(2).endswith("s") else match.group(2) + "s"
        amount = int(match.group(1))
        if amount > LONGEST[unit]:
            raise ValueError(f"{text!r} is longer than the 100 years casepath counts (at most {LONGEST[unit]} {unit})")
        return cls(amount, unit)  # type: ignore[arg-type]

    @property
    def in_hours(self) -> bool:
        return self.unit == "hours"

    def __str__(self) -> str:
        word = self.unit if self.amount != 1 else self.unit[:-1]
        return f"{self.amount} {word}"


@dataclass(frozen=True, slots=True)
class Moment:
    """When something happened: a day, and the time of day when it is known.

    `at` is an aware datetime in the workflow's time zone, or None for a date-only event.
    Date-only events are ordered as if at the first instant of their day.
    """

    day: date
    at: datetime | None = None

    def instant(self, zone: ZoneInfo) -> datetime:
        return self.at if self.at is not None else start_of_day(self.day, zone)

    def iso(self) -> str:
        return self.at.isoformat() if self.at is not None else iso_day(self.day)

    def is_before(self, other: Moment) -> bool:
        """Earlier than `other`: by the instant when both have a time, else by the day (a date-only
        event on the same day as a timed one is not "before" it)."""
        if self.at is not None and other.at is not None:
            return self.at < other.at
        return self.day < other.day


_ISO_DAYS: Remembered[date, str] = Remembered(8192)


def iso_day(day: date) -> str:
    """`day.isoformat()`, remembered: a report writes the same few days many times over, and
    `date.isoformat` formats each number through C's sprintf (in Python 3.11, 14 % of a `simulate`'s
    instructions). Plain dates only: two datetimes can be equal in different zones and then
    print differently, so those are formatted every time."""
    if type(day) is not date:
        return day.isoformat()
    found = _ISO_DAYS.get(day)
    if found is None:
        found = _ISO_DAYS.keep(day, day.isoformat())
    return found


_MIDNIGHT = time(0, 0)


@lru_cache(maxsize=4096)
def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of `day` in `zone` (remembered: a case asks about the same days many times)."""
    return datetime.combine(day, _MIDNIGHT, tzinfo=zone)


ONE_DAY = timedelta(days=1)


def local(at: datetime, zone: ZoneInfo) -> datetime:
    """A datetime in the workflow's zone; a naive one is taken as local time there."""
    return at.replace(tzinfo=zone) if at.tzinfo is None else at.astimezone(zone)


def local_time_problem(naive: datetime, zone: ZoneInfo) -> str | None:
    """Why a wall-clock time cannot be read in `zone` without an offset, or None.

    At the change to summer time an hour is skipped (02:30 does not exist); at the change
    back an hour happens twice (02:30 is ambiguous). Guessing could move a deadline by an hour.
    """
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != naive:
        return "does not exist in local time (the clocks skipped that hour): add the offset, e.g. +01:00"
    return (
        f"happened twice in local time (the clocks went back): add the offset, "
        f"{first.isoformat()[-6:]} for the first or {second.isoformat()[-6:]} for the second"
    )


def add(start: Moment, length: Duration, zone: ZoneInfo) -> date | datetime:
    """The last day (for days/months/years) or the instant (for hours) of a period.

    Counting days and months ignores the time of day; counting hours uses real elapsed time.
    """
    if length.unit == "hours":
        begin = start.instant(zone).astimezone(UTC)
        return (begin + _step("hours", length.amount)).astimezone(zone)
    return start.day + _step(length.unit, length.amount)


@lru_cache(maxsize=256)
def _step(unit: str, amount: int) -> timedelta | relativedelta:
    """`amount` days or hours as a timedelta, months or years as a relativedelta (made once: making one
    costs more than adding it)."""
    if unit == "days":
        return timedelta(days=amount)
    if unit == "hours":
        return timedelta(hours=amount)
    return relativedelta(months=amount) if unit == "months" else relativedelta(years=amount)


def extend(due: date | datetime, length: Duration, zone: ZoneInfo) -> date | datetime:
    """Extend a deadline by a further period, counted from the deadline itself."""
    if isinstance(due, datetime):
        return add(Moment(due.date(), due), length, zone)
    return add(Moment(due), length, zone)


def expiry(due: date | datetime, zone: ZoneInfo) -> datetime:
    """The first instant at which a deadline has passed."""
    if isinstance(due, datetime):
        return due
    return start_of_day(due + ONE_DAY, zone)


def due_day(due: date | datetime) -> date:
    return due.date() if isinstance(due, datetime) else due


def birthday(born: date, years: int) -> date:
    """The day someone born on `born` reaches `years` of age.

    Someone born on 29 February reaches it on 1 March in a year without one: on 28 February
    they are not yet that age (never treated as older than they are).
    """
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February in a common year
        return date(born.year + years, 3, 1)


class ClosedDayRule(Protocol):
    """A day each year when offices are closed although it is no public holiday (a workflow's
    `calendar.closed_days` entry): its month and day, whether offices close at noon, and the
    sources it rests on (read-only: a workflow's models are frozen)."""

    @property
    def label(self) -> str: ...
    @property
    def month(self) -> int: ...
    @property
    def day(self) -> int: ...
    @property
    def half_day(self) -> bool: ...
    @property
    def sources(self) -> Sequence[Any]: ...


class OfficeCalendar(Protocol):
    """What counting closed office days needs of a workflow's `calendar:`."""

    @property
    def holidays(self) -> str: ...
    @property
    def closed_days(self) -> Mapping[str, ClosedDayRule]: ...


def _country(calendar: OfficeCalendar | str) -> str:
    return calendar if isinstance(calendar, str) else calendar.holidays


def closed_day(day: date, calendar: OfficeCalendar | str) -> ClosedDayRule | None:
    """The workflow's closed-office day that `day` is (24 December…), or None.

    A plain country code (no workflow calendar) knows public holidays only."""
    if isinstance(calendar, str):
        return None
    found = _CLOSED_BY_DAY.get(id(calendar))
    if found is None or found[0] is not calendar:
        by_day = {(rule.month, rule.day): rule for rule in list(calendar.closed_days.values())[::-1]}
        found = _CLOSED_BY_DAY.keep(id(calendar), (calendar, by_day))
    return found[1].get((day.month, day.day))


_CLOSED_BY_DAY: Remembered[int, tuple[OfficeCalendar, dict[tuple[int, int], ClosedDayRule]]] = Remembered(64)
"""A calendar's closed days by (month, day), made once per calendar (it is kept, so its id stays its
own; at most 64 are kept)."""


def is_closed(day: date, calendar: OfficeCalendar | str) -> bool:
    """Whether offices are closed on `day`: a weekend, a public holiday or one of the workflow's
    closed days (a half day, closed from noon, counts as closed). `locale.closed_reason` says why."""
    return day.weekday() >= 5 or day in _closed_dates(calendar, day.year)


def _closed_dates(calendar: OfficeCalendar | str, year: int) -> frozenset[date]:
    """The public holidays and the calendar's closed days in `year`, as one set (made once per calendar
    and year: every deadline set asks; the calendar is kept, so its id stays its own)."""
    key = (id(calendar), year)
    found = _CLOSED_DATES.get(key)
    if found is None or found[0] is not calendar:
        days = set(public_holidays(_country(calendar), year))
        if not isinstance(calendar, str):
            for rule in calendar.closed_days.values():
                with suppress(ValueError):  # 29 February, in a common year
                    days.add(date(year, rule.month, rule.day))
        found = _CLOSED_DATES.keep(key, (calendar, frozenset(days)))
    return found[1]


_CLOSED_DATES: Remembered[tuple[int, int], tuple[OfficeCalendar | str, frozenset[date]]] = Remembered(256)


def closed_only_by_rule(day: date, calendar: OfficeCalendar | str) -> ClosedDayRule | None:
    """The closed day `day` is when only that rule closes it (a weekday, no public holiday), or None:
    what a warning rests on when it says offices are closed because of the workflow's closed days."""
    rule = closed_day(day, calendar)
    if rule is None or day.weekday() >= 5 or day in public_holidays(_country(calendar), day.year):
        return None
    return rule


def closes_at_noon(day: date, calendar: OfficeCalendar | str) -> bool:
    """Offices open in the morning only: a half closed day that is not also a weekend or holiday."""
    rule = closed_only_by_rule(day, calendar)
    return rule is not None and rule.half_day


def has_run_out(due: date | datetime, instant: datetime, zone: ZoneInfo) -> bool:
    """Whether a deadline's time has run out at `instant`.

    A day deadline runs out at the first instant of the day after its last day (acting on the
    last day is in time). One counted in hours runs out just after its instant: a release at
    13:00 sharp against a 13:00 limit is in time; at 13:01 it is not."""
    if isinstance(due, datetime):
        return due < instant
    return expiry(due, zone) <= instant


def last_working_day_before(day: date, calendar: OfficeCalendar | str) -> date:
    """The last full working day before `day`: skipping weekends, public holidays and the
    workflow's closed days, half days included (2024-12-25 -> Monday 2024-12-23)."""
    candidate = day - ONE_DAY
    while is_closed(candidate, calendar):
        candidate -= ONE_DAY
    return candidate
