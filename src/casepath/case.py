"""The running state of one case, and the view of it that guards and actions get.

`Case` holds what a simulation accumulates: facts, the states of every track, deadlines,
entitlement periods, assumptions relied on and warnings. `Step` is one event (or one
time-driven step) seen from inside: the registry's guards and actions use only its
methods, so they never touch the state machines or the simulator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from dateutil.relativedelta import relativedelta

from casepath import clock, journal
from casepath.clock import Duration, Moment
from casepath.status import Status
from casepath.workflow.compiled import CompiledWorkflow
from casepath.workflow.rulebook import Lookup
from casepath.workflow.spec import Citation


@dataclass(slots=True)
class DeadlineRecord:
    """A deadline as set by a step. `settled` is what a later step made of it (met, replaced, ended,
    cancelled) or None while nothing has; `ran_out` says its time ran out while it was open. The
    status a report shows follows from these and the report's date (`Simulator.status_of`).

    Steps change a record only while it is its id's latest (`Case.latest`) and not settled; after
    that it is final, and copies of a case share it (`Case.copy`)."""

    id: str
    due: date | datetime
    counting: journal.Counting
    set_on: Moment
    sources: tuple[Citation, ...]
    """What it rests on (`CompiledWorkflow.deadline_sources`: one tuple kept by the workflow)."""
    expires: datetime
    """`clock.expiry` of `due`: the first instant it has passed (worked out once; the clock asks often)."""
    remarks: list[journal.DeadlineRemark] = field(default_factory=list)
    settled: Status | None = None
    ran_out: bool = False
    counted: tuple[str, date] | None = None
    """(`plus`, the day whose rules counted it) when it was counted from a start and a length:
    what `Step.recount` needs to count it again under other rules."""

    def copy(self) -> DeadlineRecord:
        # Written out: dataclasses.replace costs several times more, and explore copies millions.
        return DeadlineRecord(
            self.id,
            self.due,
            self.counting,
            self.set_on,
            self.sources,
            self.expires,
            self.remarks.copy(),
            self.settled,
            self.ran_out,
            self.counted,
        )


@dataclass(slots=True)
class EntitlementPeriod:
    """A period an entitlement applied: open while `end` is None. Never changed once made (closing
    one makes the closed period anew), so copies of a case share them (`Case.copy`)."""

    id: str
    start: date
    sources: tuple[Citation, ...]
    end: date | None = None


@dataclass(slots=True)
class Case:
    """Everything one simulation has established so far (typed facts: `casepath.journal`)."""

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
    assumptions: dict[journal.Assumption, None] = field(default_factory=dict)
    """Assumptions relied on, in the order first relied on (a dict: each is listed once)."""
    warnings: list[journal.CaseWarning] = field(default_factory=list)
    open_entitlements: dict[str, EntitlementPeriod] = field(default_factory=dict)
    closed_entitlements: list[EntitlementPeriod] = field(default_factory=list)
    trail: list[int] = field(default_factory=list)
    """Indices of the workflow transitions taken, in order (for coverage)."""
    effects: list[journal.Effect] = field(default_factory=list)
    """What the steps changed since the simulator last collected them into a `StepRecord`."""
    entitlements_checked: tuple[tuple[str | bool, ...], date] | None = field(default=None, repr=False)
    """The tracks' states (and the answers of the fact tests entitlements are planned by) and the
    rules' day when the entitlements were last brought up to date (`Simulator._update_entitlements`)."""
    _birth: tuple[date, date] | None = field(default=None, repr=False)

    def copy(self) -> Case:
        """An independent copy, to branch a simulation (the workflow is shared, not copied).

        A deadline record no step can change any more is shared, not copied: steps reach records
        only through `latest`, so one a later record of the same id took the place of is history,
        and a settled one is never settled again (see `DeadlineRecord`). The open records are copied,
        and `latest` and `deadlines` name the same copies. Entitlement periods never change: shared."""
        latest = self.latest.copy()  # (`.copy()`, not `dict(...)`/`list(...)`: a method costs half the call)
        copies: dict[int, DeadlineRecord] = {}
        for key, record in latest.items():
            if record.settled is None:
                copies[id(record)] = latest[key] = record.copy()
        deadlines = [copies.get(id(r), r) for r in self.deadlines] if copies else self.deadlines.copy()
        return Case(  # by position, in the order of the fields (keywords cost more; explore copies millions)
            self.wf,
            self.facts.copy(),
            self.born,
            self.age_at_start,
            self.first_day,
            self.rules_as_of,
            self.variants,
            self.states.copy(),
            deadlines,
            latest,
            self.assumptions.copy(),
            self.warnings.copy(),
            self.open_entitlements.copy(),
            self.closed_entitlements.copy(),
            self.trail.copy(),
            self.effects.copy(),
            self.entitlements_checked,
        )

    def assume(self, assumption: journal.Assumption) -> None:
        self.assumptions[assumption] = None

    def warn(self, warning: journal.CaseWarning) -> None:
        self.warnings.append(warning)

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


_DECISIONS: dict[str, journal.DecisionRelied] = {}
"""One record per decision name relied on (a step relies on a few at every step: made once)."""


class Step:
    """One event or time-driven step, as guards and actions see it.

    What a step establishes is recorded as typed values (`casepath.journal`): which start and
    length a deadline was counted from, which value of which rule, which decision it relies on.
    No words: `casepath.wording` makes them, in the language a report is asked for."""

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

    def lookup(self, name: str) -> Lookup:
        found = self.case.wf.value_on(name, self.rules_date, self.case.variants)
        for assumption in found.assumptions:
            self.case.assume(assumption)
        return found

    def rule_used(self, kind: journal.RuleKind, name: str, citations: Sequence[Citation]) -> None:
        """Note that a rule was applied now: if its sources describe the law only up to an
        earlier day, the report lists it as assumed still in force (`rulebook.still_in_force`)."""
        found = self.case.wf.still_in_force(kind, name, citations, self.rules_date)
        if found is not None:
            self.case.assume(found)

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
            case.assume(journal.AgeUnknown())
            return None
        if case.born is None:
            case.assume(journal.BirthdayFromAge(birth))
        day = self.moment.day
        return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))

    # ---------------------------------------------------------------- changing
    def set_fact(self, name: str, value: Any) -> None:
        self.case.facts[name] = value
        self.case.effects.append(journal.FactSet(name, value))

    def warn(self, code: str) -> None:
        """The workflow's warning `code` (its text, with `{date}` this step's, is the workflow's)."""
        self.case.warn(journal.WorkflowWarning(code, self.moment))

    def assume_decision(self, decision: str) -> None:
        relied = _DECISIONS.get(decision)
        if relied is None:
            relied = _DECISIONS[decision] = journal.DecisionRelied(decision)
        self.case.assumptions[relied] = None

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
            self.case.effects.append(journal.DeadlineSettled(deadline_id, status))
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
        plus = record.counted[0]
        record.counted = (plus, self.rules_date)
        kind, _, name = plus.partition(":")
        if kind != "param":
            return False
        found = self.case.wf.value_on(name, self.rules_date, self.case.variants)
        if not isinstance(found.value, Duration) or found.index is None:
            return False
        zone = self.case.wf.zone
        base = record.counting.start.at
        length = found.value
        due = clock.add(base, length, zone) if isinstance(base, Moment) else clock.extend(base, length, zone)
        if due == record.due:
            return False
        self._count(record.id, record.counting.start, plus)
        changed = found.entry.from_ if found.entry is not None and found.entry.from_ else self.moment.day
        self.case.latest[record.id].remarks.insert(0, journal.RuleChanged(changed, name, found.index, record.due))
        return True

    def _count(self, deadline_id: str, start: journal.CountedFrom, plus: str | None) -> None:
        wf = self.case.wf
        spec = wf.spec.deadlines[deadline_id]
        base = start.at
        length: journal.LengthFromRule | journal.LengthGiven | None = None
        if plus is None:
            # With no length, a deadline set from the event falls on the event's day.
            due = base.day if isinstance(base, Moment) else base
            sources = wf.deadline_sources(deadline_id, ())
        else:
            found = self._length(plus, deadline_id)
            if found is None:
                return
            length, length_sources = found
            sources = wf.deadline_sources(deadline_id, length_sources)
            amount = length.length
            due = clock.add(base, amount, wf.zone) if isinstance(base, Moment) else clock.extend(base, amount, wf.zone)
        for decision in spec.assumes:
            self.assume_decision(decision)
        previous = self.case.latest.get(deadline_id)
        if previous is not None and previous.settled is None:
            previous.settled = Status.REPLACED
        counting = journal.Counting(start, length)
        record = DeadlineRecord(deadline_id, due, counting, self.moment, sources, clock.expiry(due, wf.zone))
        if plus is not None:
            record.counted = (plus, self.rules_date)
        self.rule_used("deadline", deadline_id, spec.sources)
        if spec.closed_day_warning and not isinstance(due, datetime):
            calendar = wf.spec.calendar
            if clock.is_closed(due, calendar):
                before = clock.last_working_day_before(due, calendar)
                record.remarks.append(journal.ClosedDay(due, before, clock.closes_at_noon(due, calendar)))
                # A closed day that is no public holiday is a modelling decision: list it when the
                # warning rests on one (the deadline's day, or a day skipped to find the one before).
                day = due
                while day > before:
                    closed = clock.closed_only_by_rule(day, calendar)
                    for citation in closed.sources if closed is not None else ():
                        if citation.decision is not None:
                            self.assume_decision(citation.decision)
                    day -= clock.ONE_DAY
        self.case.deadlines.append(record)
        self.case.latest[deadline_id] = record
        self.case.effects.append(journal.DeadlineSet(deadline_id, due))

    def _start(self, spec: str) -> journal.CountedFrom | None:
        kind, _, name = spec.partition(":")
        if kind == "event":
            return journal.CountedFrom("event", self.event, self.moment)
        if kind == "fact":
            value = self.case.facts.get(name)
            if isinstance(value, date):
                return journal.CountedFrom("fact", name, Moment(value))
            return None
        if kind == "deadline":
            record = self.case.latest.get(name)
            if record is None:
                return None
            return journal.CountedFrom("deadline", name, record.due)
        value = self.fields.get(name)
        if value is None:
            return None
        return journal.CountedFrom("field", name, value)

    def _length(
        self, spec: str, deadline_id: str
    ) -> tuple[journal.LengthFromRule | journal.LengthGiven, Sequence[Citation]] | None:
        kind, _, name = spec.partition(":")
        if kind == "param":
            found = self.lookup(name)
            if not isinstance(found.value, Duration) or found.entry is None or found.index is None:
                self.case.warn(journal.NoRuleInForce(name, self.rules_date, deadline_id))
                return None
            return journal.LengthFromRule(name, found.index, found.value), found.entry.sources
        amount = self.fields.get(name)
        if amount is None:
            return None
        assert self.event is not None
        unit = self.case.wf.spec.events[self.event].fields[name].unit or "days"
        return journal.LengthGiven(name, Duration(int(amount), unit)), ()
