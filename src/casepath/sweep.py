"""One scenario moved through the years: how the answer changes with the date it happens.

`casepath sweep FILE --from DATE --to DATE [--step day|week|month]` moves the whole scenario
so that its first event falls on each date from FROM to TO, and runs every moved copy under
the rules of its own (moved) dates. Each run gives one row:

    {"first_event": "2013-07-01", "identified": "2013-07-10", "outcome": "prepared_return",
     "error": null, "deadlines": {"reflection_end": "2013-08-09", ...}}

`deadlines` holds, per deadline id, the due of the last deadline with that id (the one in
force at the end, whatever its status).

What moves: every event's date or date-time (by the same number of days; a date-time keeps
its wall-clock time, read again in local time, see `_moved_time`), every date field of an
event (`until`) and of the person, and the date of birth, so the person has the same age on
the first event. What does not: `rules_as_of`, which fixes the rules of every event whatever
its date; a sweep would then show the calendar only, so a scenario with it is refused (use
`casepath compare --as-of` for that question).

Periods: consecutive dates with the same *answer pattern* are one period. The pattern is the
outcome, the error code, and for every deadline its length: the length of the rule it was
counted with when a parameter gave it ("100 days", "6 months"), else its distance in days from
the first event (which moving the scenario by whole days does not change). So a period ends
exactly where a rule change reaches the case.

Speed: one workflow, one `Simulator`, moved scenarios built without validation (the file was
checked once, and moving by whole days keeps every check true except the range of years,
which is checked up front), and no report built: a row reads the run's case directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from casepath import clock
from casepath.clock import Duration, Moment
from casepath.journal import LengthFromRule
from casepath.problems import InputProblem
from casepath.scenario import Event, Person, Scenario
from casepath.simulator import Simulator
from casepath.workflow.compiled import CompiledWorkflow

STEPS = ("day", "week", "month")
IDENTIFIED = "identified"
"""The contract's event of formal identification (its date is a column of every row)."""
MAX_RUNS = 40_000
"""More than a century day by day: a sweep beyond it is refused rather than left to run for minutes."""


@dataclass(frozen=True, slots=True)
class Row:
    """One moved run: the public row, and the answer pattern that groups rows into periods."""

    first_event: date
    identified: date | None
    outcome: str
    error: str | None
    deadlines: dict[str, str]
    lengths: dict[str, tuple[str, Duration | int]]
    """Per deadline id: ("rule", the parameter's length) or ("offset", days from the first event)."""

    @property
    def pattern(self) -> tuple:
        return (self.outcome, self.error, tuple(sorted(self.lengths.items(), key=lambda kv: kv[0])))

    def as_json_data(self) -> dict[str, Any]:
        return {
            "first_event": self.first_event.isoformat(),
            "identified": self.identified.isoformat() if self.identified else None,
            "outcome": self.outcome,
            "error": self.error,
            "deadlines": dict(self.deadlines),
        }


@dataclass
class Period:
    """Consecutive swept dates with the same answer pattern."""

    first: Row
    last: Row
    runs: int = 1


@dataclass
class Sweep:
    scenario: Scenario
    workflow: CompiledWorkflow
    start: date
    end: date
    step: str
    rows: list[Row] = field(default_factory=list)

    def periods(self) -> list[Period]:
        out: list[Period] = []
        for row in self.rows:
            if out and out[-1].last.pattern == row.pattern:
                out[-1].last = row
                out[-1].runs += 1
            else:
                out.append(Period(row, row))
        return out

    def deadline_ids(self) -> list[str]:
        """Every deadline id any row has, in the workflow's order."""
        seen = {d for row in self.rows for d in row.deadlines}
        return [d for d in self.workflow.spec.deadlines if d in seen]

    def changing(self) -> list[str]:
        """The deadline ids whose length (or presence) differs between rows: the key deadlines of the sweep."""
        out = []
        for deadline_id in self.deadline_ids():
            if len({row.lengths.get(deadline_id) for row in self.rows}) > 1:
                out.append(deadline_id)
        return out


def dates(start: date, end: date, step: str) -> list[date]:
    """The first-event dates of a sweep: from `start` to `end` inclusive, a day, a week or a month apart
    (a month from the 31st is the month's last day: 31 Jan, 28 Feb, 31 Mar, counted from the start)."""
    if step not in STEPS:
        raise InputProblem(f"--step {step!r}: choose day, week or month")
    if end < start:
        raise InputProblem(f"--from {start.isoformat()} is after --to {end.isoformat()}: give --from first")
    out: list[date] = []
    if step == "month":
        n = 0
        while (day := start + relativedelta(months=n)) <= end:
            out.append(day)
            n += 1
            if n > MAX_RUNS:
                break
    else:
        every = timedelta(days=7 if step == "week" else 1)
        count = (end - start) // every + 1
        if count <= MAX_RUNS:
            out = [start + every * i for i in range(count)]
    if not out or len(out) > MAX_RUNS:
        raise InputProblem(
            f"the sweep would take more than {MAX_RUNS:,} runs: choose a shorter span or a longer --step"
        )
    return out


def sweep(scenario: Scenario, workflow: CompiledWorkflow, start: date, end: date, step: str = "day") -> Sweep:
    """Run `scenario` moved to every date of the sweep. `InputProblem` when it cannot be swept."""
    days = dates(start, end, step)
    where = scenario.file
    if scenario.rules_as_of is not None:
        raise InputProblem(
            "rules_as_of fixes the rules of every event, so moving the scenario would change nothing the rules "
            "decide: remove it to sweep (or use casepath compare --as-of to compare rules)",
            file=where,
        )
    if not scenario.events:
        raise InputProblem("the scenario has no events: there is nothing to move", file=where)
    first = scenario.events[0].moment.day
    _check_range(scenario, (days[0] - first).days, (days[-1] - first).days)
    result = Sweep(scenario, workflow, start, end, step)
    simulator = Simulator(workflow)
    try:
        for day in days:
            result.rows.append(_row(simulator, moved(scenario, (day - first).days, workflow)))
    finally:
        simulator.close()
    return result


def moved(scenario: Scenario, days: int, workflow: CompiledWorkflow) -> Scenario:
    """`scenario` with every date moved by `days` days (built directly: the original was checked)."""
    if days == 0:
        return scenario
    delta = timedelta(days=days)
    spec = workflow.spec
    events = []
    for event in scenario.events:
        fields = event.fields
        date_fields = _date_fields(workflow, event.name)
        if date_fields:
            fields = {k: (v + delta if k in date_fields and isinstance(v, date) else v) for k, v in fields.items()}
        moment = event.moment
        if moment.at is None:
            moment = Moment(moment.day + delta)
        else:
            at = _moved_time(moment.at, delta, workflow)
            moment = Moment(at.date(), at)
        events.append(Event.model_construct(moment=moment, name=event.name, fields=fields))
    person = scenario.person
    facts = person.facts
    person_dates = [k for k, f in spec.person.fields.items() if f.type == "date"]
    if person_dates:
        facts = {k: (v + delta if k in person_dates and isinstance(v, date) else v) for k, v in facts.items()}
    person = Person.model_construct(
        alias=person.alias, born=person.born + delta if person.born else None, age=person.age, facts=facts
    )
    values = dict(scenario.__dict__)
    values.update(person=person, events=tuple(events))
    return Scenario.model_construct(**values)


def _moved_time(at: datetime, delta: timedelta, workflow: CompiledWorkflow) -> datetime:
    """The same wall-clock time `delta` days later, in local time. Where that time does not exist on
    the new day (the hour skipped when summer time begins) it is read as the instant the clock shows
    after the jump, as Python's zone rules do (fold=0); where it happens twice, the first time."""
    naive = at.replace(tzinfo=None) + delta
    return naive.replace(tzinfo=workflow.zone, fold=0).astimezone(UTC).astimezone(workflow.zone)


_DATE_FIELDS: dict[tuple[int, str], frozenset[str]] = {}


def _date_fields(workflow: CompiledWorkflow, event: str) -> frozenset[str]:
    key = (id(workflow), event)
    found = _DATE_FIELDS.get(key)
    if found is None:
        spec = workflow.spec.events[event]
        found = _DATE_FIELDS[key] = frozenset(k for k, f in spec.fields.items() if f.type == "date")
    return found


def _check_range(scenario: Scenario, least: int, most: int) -> None:
    """Every moved date must stay within the years casepath handles."""
    days = [e.moment.day for e in scenario.events]
    for event in scenario.events:
        days += [v for v in event.fields.values() if isinstance(v, date)]
    days += [v for v in scenario.person.facts.values() if isinstance(v, date)]
    if scenario.person.born is not None:
        days.append(scenario.person.born)
    low, high = min(days) + timedelta(days=least), max(days) + timedelta(days=most)
    if low < clock.EARLIEST or high > clock.LATEST:
        raise InputProblem(
            f"moved to these dates the scenario would reach {(low if low < clock.EARLIEST else high).isoformat()}, "
            f"outside the years casepath handles ({clock.EARLIEST.year}-{clock.LATEST.year})",
            file=scenario.file,
        )


def _row(simulator: Simulator, scenario: Scenario) -> Row:
    """Run one moved scenario and read its row from the case (no report is built)."""
    wf = simulator.wf
    run = simulator.play(scenario)
    case = run.case
    first = scenario.events[0].moment.day
    identified = next(
        (e.moment.day for e in scenario.events[: run.applied] if e.name == IDENTIFIED),
        None,
    )
    deadlines: dict[str, str] = {}
    lengths: dict[str, tuple[str, Duration | int]] = {}
    for deadline_id, record in case.latest.items():
        deadlines[deadline_id] = record.due.isoformat()
        length: tuple[str, Duration | int] | None = None
        if isinstance(record.counting.length, LengthFromRule):
            length = ("rule", record.counting.length.length)
        if length is None:
            length = ("offset", (clock.due_day(record.due) - first).days)
        lengths[deadline_id] = length
    return Row(
        first_event=first,
        identified=identified,
        outcome=wf.outcome_of(case.states[wf.main_track]),
        error=run.error.code if run.error is not None else None,
        deadlines=deadlines,
        lengths=lengths,
    )
