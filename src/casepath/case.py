"""The running state of one case, and the view of it that guards and actions get.

`Case` holds what a simulation accumulates: facts, the states of every track, deadlines,
entitlement periods, assumptions relied on and warnings. `Step` is one event (or one
time-driven step) seen from inside: the registry's guards and actions use only its
methods, so they never touch the state machines or the simulator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from casepath import clock
from casepath.clock import Duration, Moment
from casepath.locale import closed_reason, duration_text, translate, weekday
from casepath.status import Status
from casepath.workflow.compiled import CompiledWorkflow
from casepath.workflow.rulebook import Assumption, describe, value_on
from casepath.workflow.spec import Citation


@dataclass(slots=True)
class DeadlineRecord:
    """A deadline as set by a step. `settled` is what a later step made of it (met, replaced, ended,
    cancelled) or None while nothing has; `ran_out` says its time ran out while it was open. The
    status a report shows follows from these and the report's date (`Simulator.status_of`)."""

    id: str
    due: date | datetime
    rule: str
    set_on: Moment
    sources: list[Citation]
    warnings: list[str] = field(default_factory=list)
    settled: Status | None = None
    ran_out: bool = False
    counted: tuple[Moment | date | datetime, str, str, date] | None = None
    """(start, how the start reads, `plus`, the day whose rules counted it) when it was counted
    from a start and a length: what `Step.recount` needs to count it again under other rules."""

    def copy(self) -> DeadlineRecord:
        # Written out: dataclasses.replace costs several times more, and explore copies millions.
        return DeadlineRecord(
            self.id,
            self.due,
            self.rule,
            self.set_on,
            self.sources,
            list(self.warnings),
            self.settled,
            self.ran_out,
            self.counted,
        )


@dataclass(slots=True)
class EntitlementPeriod:
    id: str
    start: date
    sources: tuple[Citation, ...]
    end: date | None = None

    def copy(self) -> EntitlementPeriod:
        return EntitlementPeriod(self.id, self.start, self.sources, self.end)


@dataclass
class Case:
    """Everything one simulation has established so far."""

    wf: CompiledWorkflow
    facts: dict[str, Any]
    born: date | None
    age_at_start: int | None
    first_day: date | None
    rules_as_of: date | None
    variants: frozenset[str]
    states: dict[str, str] = field(default_factory=dict)
    deadlines: list[DeadlineRecord] = field(default_factory=list)
    latest: dict[str, DeadlineRecord] = field(default_factory=dict)
    assumptions: dict[tuple[str, str], Assumption] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    open_entitlements: dict[str, EntitlementPeriod] = field(default_factory=dict)
    closed_entitlements: list[EntitlementPeriod] = field(default_factory=list)
    trail: list[int] = field(default_factory=list)
    """Indices of the workflow transitions taken, in order (for coverage)."""
    _birth: tuple[date, date] | None = field(default=None, repr=False)

    def copy(self) -> Case:
        """An independent copy, to branch a simulation (the workflow is shared, not copied)."""
        records = {id(r): r.copy() for r in self.deadlines}
        return Case(
            wf=self.wf,
            facts=dict(self.facts),
            born=self.born,
            age_at_start=self.age_at_start,
            first_day=self.first_day,
            rules_as_of=self.rules_as_of,
            variants=self.variants,
            states=dict(self.states),
            deadlines=list(records.values()),
            latest={k: records[id(r)] for k, r in self.latest.items()},
            assumptions=dict(self.assumptions),
            warnings=list(self.warnings),
            open_entitlements={k: p.copy() for k, p in self.open_entitlements.items()},
            closed_entitlements=list(self.closed_entitlements),
            trail=list(self.trail),
        )

    def assume(self, assumption: Assumption) -> None:
        self.assumptions.setdefault((assumption.parameter, assumption.note), assumption)

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def estimated_birth(self) -> date | None:
        """Date of birth or, from an age on the first event's date, the latest birth date consistent with it.

        Someone "17" on 2022-03-10 was born between 2004-03-11 and 2005-03-10; taking the latest
        makes them never older than stated, so protections for children are never cut short.
        """
        if self.born is not None:
            return self.born
        if self.age_at_start is None or self.first_day is None:
            return None
        if self._birth is None or self._birth[0] != self.first_day:
            self._birth = (self.first_day, self.first_day - relativedelta(years=self.age_at_start))
        return self._birth[1]


class Step:
    """One event or time-driven step, as guards and actions see it."""

    __slots__ = ("automatic", "case", "event", "fields", "moment", "rules_date")

    def __init__(
        self, case: Case, event: str | None, fields: dict[str, Any], moment: Moment, automatic: bool = False
    ) -> None:
        self.case = case
        self.event = event
        self.fields = fields
        self.moment = moment
        self.automatic = automatic
        self.rules_date = case.rules_as_of or moment.day

    # ---------------------------------------------------------------- reading
    def fact(self, name: str) -> Any:
        return self.case.facts.get(name)

    def field(self, name: str) -> Any:
        return self.fields.get(name)

    def table(self, name: str) -> dict[str, str]:
        return self.case.wf.spec.tables[name].rows

    def param(self, name: str) -> Any:
        return self.lookup(name).value

    def lookup(self, name: str):
        found = value_on(
            name, self.case.wf.spec.parameters[name], self.rules_date, self.case.variants, self.case.wf.lang
        )
        for assumption in found.assumptions:
            self.case.assume(self._in_language(assumption, found.entry))
        return found

    def rule_used(self, key: str, label: str, citations: Sequence[Citation]) -> None:
        """Note that a rule was applied now: if its sources describe the law only up to an
        earlier day, the report lists it as assumed still in force (`rulebook.still_in_force`)."""
        found = self.case.wf.still_in_force(key, label, citations, self.rules_date)
        if found is not None:
            self.case.assume(found)

    def tr(self, text: str, /, **values: Any) -> str:
        """A text casepath writes into the report, in the workflow's language."""
        return translate(text, self.case.wf.lang, **values)

    def _in_language(self, assumption: Assumption, chosen: Any) -> Assumption:
        """The rulebook writes the tail of an assumption's note in English; translate it."""
        lang = self.case.wf.lang
        if lang == "en":
            return assumption
        note = assumption.note
        tails = (
            (" (used: ", lambda: self.tr("(used: {value})", value=self.describe(chosen))),
            (" (rule variant '", lambda: self.tr("(rule variant '{name}' asked for)", name=chosen.variant)),
            (
                " (on ",
                lambda: self.tr(
                    "(on {date} the earlier rule is taken to be still in force)", date=self.rules_date.isoformat()
                ),
            ),
        )
        for start, tail in tails:
            at = note.rfind(start)
            if at >= 0 and note.endswith(")"):
                return Assumption(assumption.parameter, f"{note[:at]} {tail()}")
        return assumption

    def describe(self, entry: Any) -> str:
        """ "120 days from 2013-07-01 (date assumed)" in the workflow's language (see `rulebook.describe`)."""
        lang = self.case.wf.lang
        if lang == "en":
            return describe(entry)
        value = entry.value
        if value is None:
            text = self.tr("none")
        elif isinstance(value, bool):
            text = self.tr("yes") if value else self.tr("no")
        else:
            text = duration_text(value, lang)
        if entry.from_ is None:
            return self.tr("{value}, since before the sources' time", value=text)
        if entry.certainty == "stated":
            return self.tr("{value} from {date}", value=text, date=entry.from_.isoformat())
        return self.tr("{value} from {date} (date assumed)", value=text, date=entry.from_.isoformat())

    def state_of(self, track: str) -> str:
        return self.case.states[track]

    def tags_of(self, track: str) -> frozenset[str]:
        return self.case.wf.tags[(track, self.case.states[track])]

    def deadline(self, deadline_id: str) -> DeadlineRecord | None:
        return self.case.latest.get(deadline_id)

    def has_passed(self, due: date | datetime) -> bool:
        zone = self.case.wf.zone
        return clock.has_run_out(due, self.moment.instant(zone), zone)

    def age(self) -> int | None:
        case = self.case
        birth = case.estimated_birth()
        if birth is None:
            case.assume(
                Assumption("age", self.tr("neither date of birth nor age is given: the person is treated as an adult"))
            )
            return None
        if case.born is None:
            case.assume(
                Assumption(
                    "age",
                    self.tr(
                        "only the age is given: the birthday is taken as the latest one consistent with it "
                        "({date}), so the person is never treated as older than stated",
                        date=birth.isoformat(),
                    ),
                )
            )
        day = self.moment.day
        return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))

    # ---------------------------------------------------------------- changing
    def set_fact(self, name: str, value: Any) -> None:
        self.case.facts[name] = value

    def warn(self, text: str) -> None:
        self.case.warn(text)

    def assume_decision(self, decision: str) -> None:
        spec = self.case.wf.spec.decisions[decision]
        self.case.assume(Assumption(decision, f"{spec.label}: {spec.note}"))

    def close_deadline(self, deadline_id: str, status: Status) -> bool:
        """Settle an open deadline as met, ended or cancelled; True if it did.

        One whose time ran out before this step is not settled (unless cancelled): what it
        asked for was not done in time, or its period came, and the report says so."""
        record = self.case.latest.get(deadline_id)
        if record is None or record.settled is not None:
            return False
        zone = self.case.wf.zone
        ran_out = record.ran_out or clock.has_run_out(record.due, self.moment.instant(zone), zone)
        if status is Status.CANCELLED or not ran_out:
            record.settled = status
            return True
        record.ran_out = True
        return False

    def set_deadline(self, deadline_id: str, start: str, plus: str | None, otherwise: str | None) -> None:
        origin = self._start(start) or (self._start(otherwise) if otherwise else None)
        if origin is not None:
            self._count(deadline_id, origin, plus)

    def recount(self, record: DeadlineRecord) -> bool:
        """Count a running deadline again under the rules in force at this step; True if that moved it.

        For deadlines that follow rule changes (`follows_rule_changes`): the latest end a
        reflection period could reach is the one the rules allow on the day it is looked at,
        not the day it started. A move replaces the record and says why on the new one."""
        if record.counted is None:
            return False
        base, base_text, plus, _ = record.counted
        record.counted = (base, base_text, plus, self.rules_date)
        kind, _, name = plus.partition(":")
        if kind != "param":
            return False
        found = value_on(name, self.case.wf.spec.parameters[name], self.rules_date, self.case.variants)
        if not isinstance(found.value, Duration):
            return False
        zone = self.case.wf.zone
        length = found.value
        due = clock.add(base, length, zone) if isinstance(base, Moment) else clock.extend(base, length, zone)
        if due == record.due:
            return False
        self._count(record.id, (base, base_text), plus)
        changed = found.entry.from_ if found.entry is not None and found.entry.from_ else self.moment.day
        self.case.latest[record.id].warnings.insert(
            0,
            self.tr(
                "The rule changed on {date}, while this period ran: counted again under the rules in force from "
                "then ({rule}); it was {before}.",
                date=changed.isoformat(),
                rule=self.describe(found.entry),
                before=record.due.isoformat(),
            ),
        )
        return True

    def _count(self, deadline_id: str, origin: tuple[Moment | date | datetime, str], plus: str | None) -> None:
        wf = self.case.wf
        spec = wf.spec.deadlines[deadline_id]
        base, base_text = origin
        sources = list(spec.sources)
        if plus is None:
            # With no length, a deadline set from the event falls on the event's day.
            due, rule = (base.day if isinstance(base, Moment) else base), base_text
        else:
            length, length_text, length_sources = self._length(plus, spec.label)
            if length is None:
                return
            sources += length_sources
            due = clock.add(base, length, wf.zone) if isinstance(base, Moment) else clock.extend(base, length, wf.zone)
            said = {"start": base_text, "length": duration_text(length, wf.lang), "why": length_text}
            if length.unit == "hours":
                rule = self.tr("{start} + {length}, in real elapsed hours; {why}", **said)
            else:
                rule = self.tr("{start} + {length}, not counting that first day; {why}", **said)
        for decision in spec.assumes:
            self.assume_decision(decision)
        previous = self.case.latest.get(deadline_id)
        if previous is not None and previous.settled is None:
            previous.settled = Status.REPLACED
        record = DeadlineRecord(deadline_id, due, rule, self.moment, sources)
        if plus is not None:
            record.counted = (base, base_text, plus, self.rules_date)
        self.rule_used(deadline_id, spec.label, spec.sources)
        if spec.closed_day_warning and not isinstance(due, datetime):
            calendar = wf.spec.calendar
            reason = closed_reason(due, calendar, wf.lang)
            if reason:
                before = clock.last_working_day_before(due, calendar)
                said = {
                    "date": due.isoformat(),
                    "reason": reason,
                    "weekday": weekday(before, wf.lang),
                    "before": before.isoformat(),
                }
                if clock.closes_at_noon(due, calendar):
                    text = self.tr(
                        "{date} is {reason}: offices close at noon. The date itself does not move; the last "
                        "full working day before it is {weekday} {before}.",
                        **said,
                    )
                else:
                    text = self.tr(
                        "{date} is {reason}: offices are closed. The date itself does not move; the last "
                        "working day before it is {weekday} {before}.",
                        **said,
                    )
                record.warnings.append(text)
                # A closed day that is no public holiday is a modelling decision: list it when the
                # warning rests on one (the deadline's day, or a day skipped to find the one before).
                for offset in range((due - before).days):
                    closed = clock.closed_only_by_rule(due - timedelta(days=offset), calendar)
                    for citation in closed.sources if closed is not None else ():
                        if citation.decision is not None:
                            self.assume_decision(citation.decision)
        self.case.deadlines.append(record)
        self.case.latest[deadline_id] = record

    def _start(self, spec: str) -> tuple[Moment | date | datetime, str] | None:
        kind, _, name = spec.partition(":")
        if kind == "event":
            label = self.case.wf.spec.events[self.event].label if self.event else self.tr("this step")
            return self.moment, f"{self.moment.iso()} ({label.lower()})"
        if kind == "fact":
            value = self.case.facts.get(name)
            if isinstance(value, date):
                return Moment(value), f"{value.isoformat()} ({self.case.wf.fact_label(name)})"
            return None
        if kind == "deadline":
            record = self.case.latest.get(name)
            if record is None:
                return None
            label = self.case.wf.spec.deadlines[name].label.lower()
            return record.due, f"{label} ({record.due.isoformat()})"
        value = self.fields.get(name)
        if value is None:
            return None
        return value, self.tr("the date given ({date})", date=value.isoformat())

    def _length(self, spec: str, label: str) -> tuple[Duration | None, str, list[Citation]]:
        kind, _, name = spec.partition(":")
        if kind == "param":
            found = self.lookup(name)
            param = self.case.wf.spec.parameters[name]
            if not isinstance(found.value, Duration):
                self.case.warn(
                    self.tr(
                        "No {rule} was in force on {date}, so there is no {deadline}.",
                        rule=param.label.lower(),
                        date=self.rules_date.isoformat(),
                        deadline=label.lower(),
                    )
                )
                return None, "", []
            assert found.entry is not None
            return (
                found.value,
                f"{param.label.lower()}: {self.describe(found.entry)}",
                list(found.entry.sources),
            )
        amount = self.fields.get(name)
        if amount is None:
            return None, "", []
        assert self.event is not None
        unit = self.case.wf.spec.events[self.event].fields[name].unit or "days"
        length = Duration(int(amount), unit)
        return length, self.tr("{length} as given in the event", length=duration_text(length, self.case.wf.lang)), []
