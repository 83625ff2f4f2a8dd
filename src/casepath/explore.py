"""Walking a workflow's state space systematically, checking the invariants on every run.

From a set of people (every residence status and child/adult variant the workflow's person
fields allow) and start dates around every rule change (the eve and the day), the explorer
tries every event that could happen next, with field values that steer the rules and dates
around each running deadline (the last day, the day after), and also lets the clock run to
the next deadline. Each distinct situation is expanded once, up to `depth` events. Every
new situation is checked against `casepath.invariants`, and a sample is re-run from scratch
to prove the same input gives the same report: the run from the start must equal the branched
run in everything a report is worded from (`_same_run`).

A situation is the states of all tracks, the facts guards read, the status of each deadline
and — while only the main track has moved — each deadline's date counted from the start, so
the same steps under rules with other periods (30, 100, 120 days) are checked separately.

Tracks other than the main one are explored pairwise with it: a situation in which two of
them have both left their starting states is checked but not expanded further, and once one
has moved, runs that differ only in their rules period are merged. The tracks interact
through the main one, and this keeps the search to seconds.

For each situation it keeps what it takes to reach it again — the person, the events and the
transitions taken (`ExploredPath`) — not its report: the invariants are first read in the run's
case (`invariants.Screen`), and the report is made only for a run that might break one (the
checks on the report then decide) and for the sample run again from the start. What to try
from a run depends only on where it stands (its tracks' states, its moment and, for a date
field the rules read, the days of its open deadlines): each list is worked out once
(`_Plan.tries`).

It also checks the workflow statically: a transition that can never be taken because an
earlier one for the same event and state has no condition, and which states and
transitions the rules of each period close; and, on every run, timers of one track that
fire at the same instant.
"""

from __future__ import annotations

import gc
import itertools
import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from dateutil.relativedelta import relativedelta

from casepath import invariants, outfile
from casepath.clock import Moment
from casepath.problems import InputProblem
from casepath.report import Report
from casepath.scenario import Event, Person, Scenario
from casepath.simulator import Run, Simulator
from casepath.workflow.compiled import CompiledWorkflow
from casepath.workflow.rulebook import value_on


@dataclass
class Finding:
    problems: list[str]
    scenario: Scenario
    report: Report


@dataclass(frozen=True, slots=True)
class ExploredPath:
    """A situation the explorer checked, kept as what it takes to reach it again: the person (a scenario
    with no events), the events, and the transitions taken (for `export`'s coverage) — not its report."""

    start: Scenario
    events: tuple[Event, ...]
    trail: frozenset[int]

    def scenario(self) -> Scenario:
        return self.start.model_copy(update={"events": self.events})


@dataclass
class Exploration:
    depth: int
    runs: int = 0
    situations: int = 0
    states_all: set[tuple[str, str]] = field(default_factory=set)
    states_reached: set[tuple[str, str]] = field(default_factory=set)
    transitions_all: int = 0
    transitions_reached: set[int] = field(default_factory=set)
    static_problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    finding: Finding | None = None
    stopped_early: bool = False
    paths: list[ExploredPath] = field(default_factory=list)
    per_level: list[tuple[int, int]] = field(default_factory=list)
    """(runs, new situations) at each depth."""

    @property
    def sound(self) -> bool:
        return self.finding is None and not self.static_problems


# ---------------------------------------------------------------------- static checks


def static_problems(wf: CompiledWorkflow) -> list[str]:
    """Shadowed transitions and timers that could race, found without running anything."""
    out = []
    for event, tracks in wf.by_event.items():
        for track, transitions in tracks.items():
            for i, later in enumerate(transitions):
                for earlier in transitions[:i]:
                    overlap = earlier.sources & later.sources
                    if overlap and not earlier.when:
                        out.append(
                            f"transition {later.index + 1} ({event} in {track}) can never be taken from "
                            f"{', '.join(sorted(overlap))}: transition {earlier.index + 1} before it has no "
                            f"conditions"
                        )
    return out


def rule_eras(wf: CompiledWorkflow) -> list[str]:
    """What the rules of each period allow: states no transition can reach while a rule they
    need (a `param_in_force` guard or check) had no value, and transitions open only in some periods.

    Found on the transition graph alone, with every other condition taken as possible, so a
    state listed is certainly unreachable under those rules; the rest is what `explore` runs."""
    spec = wf.spec
    days = sorted({e.from_ for p in spec.parameters.values() for e in p.history if e.from_ and not e.variant})
    starts = [date.min, *days]
    transitions = [t for tracks in wf.by_event.values() for ts in tracks.values() for t in ts]
    closed_in: dict[int, list[date]] = {}
    out = []
    for index, start in enumerate(starts):
        end = starts[index + 1] - timedelta(days=1) if index + 1 < len(starts) else None
        open_now = []
        for t in transitions:
            needs = [g for g in (*t.when, *(c.guard for c in t.checks)) if g.entry.name == "param_in_force"]
            if all(_in_force(spec.parameters[_args(g).parameter], start) for g in needs):
                open_now.append(t)
            else:
                closed_in.setdefault(t.index, []).append(start)
        unreachable = _unreachable(wf, open_now)
        if unreachable:
            period = _period(start, end)
            out.append(f"under the rules {period}, no transition reaches: {', '.join(unreachable)}")
    for index, closed in sorted(closed_in.items()):
        t = spec.transitions[index]
        opened = [s for s in starts if s not in closed]
        since = ", ".join(_period(s, None).removeprefix("from ") for s in opened[:1]) or "never"
        out.append(f"transition {index + 1} ({t.event} to {t.to}) is open only from {since}")
    return out


def _in_force(parameter: Any, day: date) -> bool:
    value = value_on("", parameter, day).value
    return value is not None and value is not False


def _period(start: date, end: date | None) -> str:
    if start == date.min:
        return f"before {(end + timedelta(days=1)).isoformat()}" if end else "of every date"
    return f"from {start.isoformat()}" + (f" to {end.isoformat()}" if end else "")


def _unreachable(wf: CompiledWorkflow, transitions: list) -> list[str]:
    reached = {(track, state) for track, choices in wf.initial.items() for state, _ in choices}
    grew = True
    while grew:
        grew = False
        for t in transitions:
            if t.to and (t.track, t.to) not in reached and any((t.track, s) in reached for s in t.sources):
                reached.add((t.track, t.to))
                grew = True
    every = [(name, state) for name, track in wf.spec.tracks.items() for state in track.states]
    return [f"{track}.{state}" for track, state in every if (track, state) not in reached]


def _expiry_tracks(wf: CompiledWorkflow) -> dict[str, str]:
    """For each deadline that fires an event when it passes, the track of that event."""
    spec = wf.spec
    return {d: spec.events[e.on_expiry].track for d, e in spec.deadlines.items() if e.on_expiry is not None}


def _timer_race(run: Run, tracks: dict[str, str]) -> list[str]:
    """Two running deadlines that would fire events on the same track (`tracks`: `_expiry_tracks`) at
    the same instant."""
    seen: dict[tuple[str, datetime], str] = {}
    out = []
    for deadline_id, record in run.case.latest.items():
        track = tracks.get(deadline_id)
        if track is None or record.settled is not None or record.ran_out:
            continue
        key = (track, record.expires)
        if key in seen:
            out.append(f"the deadlines {seen[key]} and {deadline_id} would fire on the same track at {key[1]}")
        seen[key] = deadline_id
    return out


# ---------------------------------------------------------------------- what to try


class _Plan:
    """The people, start dates, field values and dates the explorer tries, derived from the workflow."""

    def __init__(self, wf: CompiledWorkflow) -> None:
        self.wf = wf
        spec = wf.spec
        self._events: dict[tuple[str, ...], list[str]] = {}
        self._fields: dict[str, list[tuple[tuple[str, Any], ...]]] = {}
        self.value_tests = self._value_tests()
        self.relevant_facts = self._relevant_facts()
        self.key_facts = self._relevant_facts(initial=False)
        self._key_facts = sorted(self.key_facts)
        self._eras: dict[date, tuple] = {}
        self._tries: dict[tuple, list[Event]] = {}
        self.relevant_fields = self._relevant_fields()
        self.dated_events = {
            event
            for event, names in self.relevant_fields.items()
            for name, field_spec in spec.events[event].fields.items()
            if field_spec.type == "date" and name in names
        }
        """Events with a date field the rules read: tried on the days of the run's open deadlines."""
        self.timed_events = {
            event
            for event, tracks in wf.by_event.items()
            for ts in tracks.values()
            for t in ts
            if any(g.entry.name == "event_has_time" for g in t.when)
        }
        used = self._used_parameters()
        changes = sorted(
            {e.from_ for n, p in spec.parameters.items() if n in used for e in p.history if e.from_ and not e.variant}
        )
        days = {d for c in changes for d in (c - timedelta(days=1), c)}
        self.start_days = sorted(d for d in days if d <= spec.rules_known_until) or [spec.rules_known_until]

    def _relevant_facts(self, initial: bool = True) -> set[str]:
        """Facts some guard reads (with `initial`, also the guards choosing initial states)."""
        out: set[str] = set()
        calls = [g for e in self.wf.entitlements for guards, _ in e.bases for g in guards]
        calls += [g for tracks in self.wf.by_event.values() for ts in tracks.values() for t in ts for g in t.when]
        calls += [
            c.guard for tracks in self.wf.by_event.values() for ts in tracks.values() for t in ts for c in t.checks
        ]
        calls += [c.guard for checks in self.wf.event_checks.values() for c in checks]
        calls += [g for r in self.wf.refusals for g in r.when]
        if initial:
            calls += [g for choices in self.wf.initial.values() for _, when in choices for g in when]
        for call in calls:
            out |= {name for kind, name in call.args.refs() if kind == "fact"}
        return out

    def _value_tests(self) -> dict[tuple[str, str], list]:
        """For each fact or field, how guards look at its value: the value lists and tables they use."""
        tests: dict[tuple[str, str], list] = {}
        binds = [g for e in self.wf.entitlements for guards, _ in e.bases for g in guards]
        binds += [g for r in self.wf.refusals for g in r.when]
        binds += [g for choices in self.wf.initial.values() for _, when in choices for g in when]
        binds += [c.guard for checks in self.wf.event_checks.values() for c in checks]
        for tracks in self.wf.by_event.values():
            for ts in tracks.values():
                for t in ts:
                    binds += [*t.when, *(c.guard for c in t.checks)]
        for bound in binds:
            args = _args(bound)
            values = getattr(args, "values", None)
            if values is not None:
                kind = "fact" if hasattr(args, "fact") else "field"
                tests.setdefault((kind, getattr(args, kind)), []).append(frozenset(values))
            if bound.entry.name == "field_matches_table":
                rows = self.wf.spec.tables[args.table].rows
                tests.setdefault(("fact", args.key_fact), []).append(tuple(sorted(rows.items())))
                tests.setdefault(("field", args.field), []).append("all")
        return tests

    def representatives(self, kind: str, name: str, values: list) -> list:
        """One value of each group that every guard treats alike (e.g. EU and Danish citizens)."""
        tests = self.value_tests.get((kind, name), [])
        if "all" in tests:
            return list(values)
        seen: dict[tuple, object] = {}
        for value in values:
            signature = tuple(
                (value in test) if isinstance(test, frozenset) else dict(test).get(str(value)) for test in tests
            )
            seen.setdefault(signature, value)
        return list(seen.values())

    def _used_parameters(self) -> set[str]:
        """Parameters a guard or a deadline reads (others are only shown to students)."""
        out: set[str] = set()
        binds = [g for e in self.wf.entitlements for guards, _ in e.bases for g in guards]
        for tracks in self.wf.by_event.values():
            for ts in tracks.values():
                for t in ts:
                    binds += [*t.when, *(c.guard for c in t.checks), *t.do]
        binds += [a for actions in self.wf.on_enter.values() for a in actions]
        for bound in binds:
            out |= {n for k, n in bound.args.refs() if k == "parameter"}
        return out

    def _relevant_fields(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for event, tracks in self.wf.by_event.items():
            names: set[str] = set()
            for ts in tracks.values():
                for t in ts:
                    for call in [*t.when, *(c.guard for c in t.checks)]:
                        names |= {n for k, n in call.args.refs() if k == "field"}
                    for action in t.do:
                        args = _args(action)
                        if getattr(args, "from_field", None) and getattr(args, "fact", None) in self.relevant_facts:
                            names.add(args.from_field)
            for check in self.wf.event_checks.get(event, ()):
                names |= {n for k, n in check.guard.args.refs() if k == "field"}
            out[event] = names
        return out

    def people(self, start: date) -> Iterator[Person]:
        fields = self.wf.spec.person.fields
        choices: list[list[tuple[str, Any]]] = []
        for name, spec in fields.items():
            if spec.type == "choice":
                listed = spec.values or []
                values = self.representatives("fact", name, listed) if name in self.relevant_facts else listed[:1]
            elif spec.type == "bool":
                values = [False, True] if name in self.relevant_facts else [False]
            elif spec.type == "choices":
                values = [tuple((spec.values or [])[:1])]
            elif spec.type == "country":
                values = ["NO"]
            else:
                values = [None]
            choices.append([(name, v) for v in values])
        ages = sorted(set(self.wf.spec.person.age_events.values()))
        for combo in itertools.product(*choices):
            facts = dict(combo)
            yield Person(alias="X", born=start - relativedelta(years=30), facts=facts)
            for age in ages:
                # someone who reaches the age ten days after the start, so age events are reached too
                yield Person(alias="X", born=start - relativedelta(years=age) + timedelta(days=10), facts=facts)

    def field_values(self, event: str, run: Run) -> list[tuple[tuple[str, Any], ...]]:
        """The field values to try the event with, each combination as (name, value) pairs. Only dates
        depend on the run (the running deadlines'): the others are worked out once per event."""
        fixed = self._fields.get(event)
        if fixed is not None:
            return fixed
        spec = self.wf.spec.events[event].fields
        options: list[list[tuple[str, Any]]] = []
        by_run = False
        for name, field_spec in spec.items():
            relevant = name in self.relevant_fields.get(event, set())
            if field_spec.type == "choice":
                every = list(field_spec.values or [])
                values: list[Any] = self.representatives("field", name, every) if relevant else every[:1]
                if not field_spec.required:
                    values = [None, *values] if relevant else [None]
            elif field_spec.type == "bool":
                values = [False, True] if relevant or field_spec.required else [None]
            elif field_spec.type == "integer":
                values = [field_spec.minimum or 1]
                if not field_spec.required:
                    values = [None, *values] if relevant else [None]
            elif field_spec.type == "date":
                values = [None]
                if relevant:
                    by_run = True
                    for due in _open_days(run):
                        values += [due, due + timedelta(days=1)]
                values = list(dict.fromkeys(values))[:5]
            elif field_spec.type == "choices":
                values = [tuple((field_spec.values or [])[:1])]
            else:
                values = [None if not field_spec.required else "x"]
            options.append([(name, v) for v in values])
        combos = [tuple((k, v) for k, v in combo if v is not None) for combo in itertools.product(*options)]
        if not by_run:
            self._fields[event] = combos
        return combos

    def moments(self, run: Run, event: str, start: date) -> list[Moment]:
        """When to try the event: now (the start day, the last event's moment, or where waiting left
        the clock); an event that reads the time of day is also tried at noon."""
        now = _now(run, start)
        out = [now]
        if event in self.timed_events and now.at is None:
            out.append(Moment(now.day, datetime(now.day.year, now.day.month, now.day.day, 12, 0, tzinfo=self.wf.zone)))
        return out

    def tries(self, run: Run, start: date, made: _Events) -> list[Event]:
        """The events to try next from `run`, in order: each event some transition accepts now (`events`),
        at each moment (`moments`), with each combination of field values (`field_values`). An event's
        tries depend only on where the run stands (`_now`) and, for an event with a date field the rules
        read, the days the run's open deadlines fall on (`_open_days`): worked out once for each."""
        now = _now(run, start)
        out: list[Event] = []
        dues: tuple[date, ...] | None = None
        for event in self.events(run):
            if event in self.dated_events:
                if dues is None:
                    dues = _open_days(run)
                key: tuple = (now, event, dues)
            else:
                key = (now, event)
            found = self._tries.get(key)
            if found is None:
                values = self.field_values(event, run)
                moments = self.moments(run, event, start)
                found = self._tries[key] = [made.get(moment, event, fields) for moment in moments for fields in values]
            out += found
        return out

    def events(self, run: Run) -> list[str]:
        """Events some transition accepts now; victim-only ones also after a negative outcome (to prove refusal)."""
        key = tuple(run.case.states.values())
        cached = self._events.get(key)
        if cached is not None:
            return cached
        wf = self.wf
        main = wf.main_track
        negative = wf.spec.tracks[main].states[run.case.states[main]].outcome in wf.spec.negative_outcomes
        out = self._events[key] = []
        for name, spec in wf.spec.events.items():
            if spec.automatic:
                continue
            here = run.case.states[spec.track]
            possible = any(here in t.sources for t in wf.by_event.get(name, {}).get(spec.track, ()))
            if possible or (negative and spec.victim_only):
                out.append(name)
        return out

    def situation(self, run: Run, start: date, with_rules: bool, dated: bool) -> tuple:
        """What makes two runs alike for what can follow: the states of all tracks, the facts guards
        read, each deadline's status and, while only the main track has moved (`dated`), each
        deadline's date counted from the run's start day — so that the same steps under rules with
        other periods (30, 100 or 120 days) stay apart and each is checked against the limits."""
        case = run.case
        known = case.facts
        facts = tuple([(k, str(known[k])) for k in self._key_facts if k in known])
        running = sorted(case.latest.items())  # ids are unique: sorted by id
        if dated:
            first = start.toordinal()
            deadlines = tuple([(k, r.settled, r.ran_out, _days(r.due, start, first)) for k, r in running])
        else:
            deadlines = tuple([(k, r.settled, r.ran_out) for k, r in running])
        era: tuple = ()
        if with_rules:
            era = self._era(run.previous.moment.day if run.previous else date.min)
        # The tracks are always in the workflow's order (`Simulator.begin`): their states alone tell runs apart.
        return (tuple(case.states.values()), facts, deadlines, era, run.error is not None)

    def _era(self, day: date) -> tuple:
        """Which value of each parameter is in force on `day` (worked out once per day)."""
        era = self._eras.get(day)
        if era is None:
            parameters = self.wf.spec.parameters.items()
            era = self._eras[day] = tuple(id(value_on(n, p, day).entry) for n, p in parameters)
        return era


def _first_time(seen: set[tuple], situation: tuple) -> bool:
    """Add `situation` to `seen`; True if it was not there. One hash of the (large) tuple instead of two
    (`in`, then `add`): a tuple does not keep its hash, and explore meets tens of thousands."""
    before = len(seen)
    seen.add(situation)
    return len(seen) > before


def _open_days(run: Run) -> tuple[date, ...]:
    """The days the run's open deadlines fall on (not those due at a time of day), in `latest`'s order."""
    return tuple([r.due for r in run.case.latest.values() if r.settled is None and not isinstance(r.due, datetime)])


def _now(run: Run, start: date) -> Moment:
    """Where the run stands: where waiting left the clock, else the last event's moment, else the start day."""
    if run.clock is not None:
        return run.clock
    if run.previous is not None:
        return run.previous.moment
    return Moment(start)


def _args(bound: Any) -> Any:
    """A bound guard's or action's arguments: each registry entry has its own argument model, so
    code that reads arguments of several kinds reads them untyped (and checks with getattr)."""
    return bound.args


def _days(due: date | datetime, start: date, first: int) -> int | tuple[int, str]:
    """A due day counted from the start day (`first`, its ordinal); a due time also by its time of day."""
    return due.toordinal() - first if type(due) is date else _offset(due, start)


def _offset(due: date | datetime, start: date) -> tuple[int, str]:
    if isinstance(due, datetime):
        return (due.date() - start).days, due.timetz().isoformat()
    return (due - start).days, ""  # type: ignore[operator]  # a date here: datetimes returned above


# ---------------------------------------------------------------------- exploring

RULE_LEVELS = 1
"""For the first events, situations under different rules (eras) are kept apart; deeper, they merge.

Every start date around a rule change is tried, and the first event under each era's
rules; after that, a situation already seen under other rules is not expanded again. This
keeps the search to seconds while every rule change is still crossed."""


def explore(wf: CompiledWorkflow, depth: int = 6, max_runs: int = 400_000) -> Exploration:
    """Explore every situation reachable in at most `depth` events; stop at the first broken invariant.

    The search makes hundreds of thousands of small objects (runs, deadline records) and no cyclic
    garbage: each run is freed by its reference count once it is checked or expanded (a collection
    after the search finds nothing; `tests/test_explore.py` holds it to that). The cyclic collector
    would only walk the live ones again and again, so it is off while the search runs, and the
    objects made before it (the workflow, its machines) are frozen out of its reach for good measure;
    both are restored after."""
    enabled = gc.isenabled()
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        return _explore(wf, depth, max_runs)
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _explore(wf: CompiledWorkflow, depth: int, max_runs: int) -> Exploration:
    result = Exploration(depth=depth)
    result.states_all = {(t, s) for t, track in wf.spec.tracks.items() for s in track.states}
    result.transitions_all = len(wf.spec.transitions)
    result.static_problems = static_problems(wf)
    result.notes = rule_eras(wf)
    checker = _Checker(wf, result)
    plan = _Plan(wf)
    simulator = checker.simulator
    seen: set[tuple] = set()
    events = _Events()
    frontier: deque[tuple[Run, date, tuple[Event, ...]]] = deque()
    roots: dict[int, dict[str, str]] = {}
    secondary = [track for track in wf.spec.tracks if track != wf.main_track]
    for start in plan.start_days:
        for person in plan.people(start):
            scenario = Scenario.model_construct(
                title="Found by casepath explore",
                workflow=wf.spec.id,
                rules_as_of=None,
                variants=(),
                person=person,
                events=(),
                expect=None,
                file=None,
            )
            run = simulator.begin(scenario)
            roots[id(scenario)] = {}
            frontier.append((run, start, ()))
            for track, state in run.case.states.items():
                result.states_reached.add((track, state))
    reached = result.transitions_reached
    try:
        for level in range(depth):
            # Runs of the last level are checked, never expanded: they are not kept.
            expand = level < depth - 1
            with_rules = level < RULE_LEVELS
            next_frontier: deque[tuple[Run, date, tuple[Event, ...]]] = deque()
            kept = 0
            while frontier:
                run, start, path = frontier.popleft()  # dropped once expanded: the runs of one level at a time
                first = roots[id(run.scenario)]
                waited = run.copy()
                if simulator.wait(waited):
                    result.runs += 1
                    reached.update(waited.case.trail)
                    moved = _secondary_tracks_moved(waited, first, secondary)
                    situation = plan.situation(waited, start, with_rules=with_rules, dated=moved == 0)
                    if _first_time(seen, situation):
                        if checker.check(waited, path, rerun=False):
                            raise _Stop
                        kept += 1
                        if expand:
                            next_frontier.append((waited, start, path))
                # What to try is worked out from the run before any is tried: the last try then takes
                # the run itself instead of a copy (nothing reads it after).
                tries = plan.tries(run, start, events)
                last = len(tries)
                for number, event in enumerate(tries, 1):
                    if result.runs >= max_runs:
                        result.stopped_early = True
                        raise _Stop
                    child = run if number == last else run.copy()
                    result.runs += 1
                    if not simulator.advance(child, event):
                        continue
                    reached.update(child.case.trail)
                    moved = _secondary_tracks_moved(child, first, secondary)
                    situation = plan.situation(child, start, with_rules=with_rules, dated=moved == 0)
                    if not _first_time(seen, situation):
                        continue
                    if checker.check(child, (*path, event), rerun=len(seen) % 20 == 1):
                        raise _Stop
                    if moved < 2:
                        kept += 1
                        if expand:
                            next_frontier.append((child, start, (*path, event)))
            result.per_level.append((result.runs - sum(r for r, _ in result.per_level), kept))
            frontier = next_frontier
            if not frontier:
                break
    except _Stop:
        pass
    result.situations = len(seen)
    return result


class _Checker:
    """Checks each new situation against the invariants and keeps its path (not its report)."""

    def __init__(self, wf: CompiledWorkflow, result: Exploration) -> None:
        self.wf = wf
        self.result = result
        self.simulator = Simulator(wf)
        self.screen = invariants.Screen(wf)
        self._expiry_tracks = _expiry_tracks(wf)
        self._trails: dict[frozenset[int], frozenset[int]] = {}
        """One copy of each trail (many paths take the same transitions)."""

    def check(self, run: Run, events: tuple[Event, ...], rerun: bool) -> bool:
        """Check one new situation; record it as a path; True if an invariant broke.

        Its report is made only when the screen lets it through (`invariants.Screen`) or with `rerun`:
        the checks on the report then decide. With `rerun` (a sample of paths) the path is also run
        again from the start, and the run must be the same (`_same_run`): that proves determinism and
        that branching a run copies it fully. Only when it is not are both reports made and shown."""
        wf, simulator, case = self.wf, self.simulator, run.case
        races = _timer_race(run, self._expiry_tracks)
        if rerun or races or self.screen.might_break(case):
            problems = invariants.violations(simulator.report(run), wf) + races
            if rerun or problems:
                scenario = run.scenario.model_copy(update={"events": events})
                again = simulator.play(scenario, on=run.clock)
                if not _same_run(run, again):
                    problems.append("the same events gave a different report when run again from the start")
                if problems:
                    self.result.finding = Finding(problems, scenario, simulator.report(again))
                    return True
        self.result.states_reached.update(case.states.items())
        trail = frozenset(case.trail)
        self.result.paths.append(ExploredPath(run.scenario, events, self._trails.setdefault(trail, trail)))
        return False


def _same_run(branched: Run, again: Run) -> bool:
    """Whether two runs of the same person and events are the same in everything their reports are
    made from (`wording.report` reads only these, the scenario's own fields and the workflow), in order.

    As strong a proof that the same input gives the same report as making and comparing both
    reports, and stronger for branching: a report is worded from exactly these values, so equal runs
    give equal reports; what it leaves to the words (that `wording` is a function of the run) is
    checked by `tests/test_same_answers.py` against reports made in another process. It also compares
    what a report does not show but later steps read (the trail, the ages fired, which deadline
    record `latest` names, the states the entitlements were last brought up to date for), so a copy
    that shares or loses something shows here at once."""
    a, b = branched.case, again.case
    if (
        branched.journal != again.journal
        or branched.error != again.error
        or branched.previous != again.previous
        or branched.applied != again.applied
        or branched.clock != again.clock
        or branched.fired_ages != again.fired_ages
    ):
        return False
    if (a.first_day, a.born, a.age_at_start, a.rules_as_of, a.variants, a.entitlements_checked) != (
        b.first_day,
        b.born,
        b.age_at_start,
        b.rules_as_of,
        b.variants,
        b.entitlements_checked,
    ):
        return False
    return (
        list(a.facts.items()) == list(b.facts.items())
        and list(a.states.items()) == list(b.states.items())
        and a.deadlines == b.deadlines
        and _latest(a) == _latest(b)
        and list(a.assumptions) == list(b.assumptions)
        and a.warnings == b.warnings
        and list(a.open_entitlements.items()) == list(b.open_entitlements.items())
        and a.closed_entitlements == b.closed_entitlements
        and a.trail == b.trail
        and a.effects == b.effects
    )


def _latest(case: Any) -> list[tuple[str, int | None]]:
    """Which of the case's deadline records each id's latest is (by place: the same object, not an equal one)."""
    place = {id(record): number for number, record in enumerate(case.deadlines)}
    return [(deadline_id, place.get(id(record))) for deadline_id, record in case.latest.items()]


class _Events:
    """Event objects shared by the runs that try the same event (they are never changed)."""

    def __init__(self) -> None:
        self._made: dict[tuple, Event] = {}

    def get(self, moment: Moment, name: str, fields: tuple[tuple[str, Any], ...]) -> Event:
        key = (moment, name, fields)
        event = self._made.get(key)
        if event is None:
            event = self._made[key] = Event.model_construct(moment=moment, name=name, fields=dict(fields))
        return event


def _secondary_tracks_moved(run: Run, first: dict[str, str], secondary: list[str]) -> int:
    """How many tracks other than the main one have left the state the run's first event put them in."""
    states = run.case.states
    if not first:
        first.update(states)
    moved = 0
    for track in secondary:
        if states[track] != first[track]:
            moved += 1
    return moved


class _Stop(Exception):
    pass


# ---------------------------------------------------------------------- scenario files


def scenario_yaml(scenario: Scenario, report: Report, title: str) -> str:
    """A scenario file (with an expect: block from the report) that reproduces a run."""
    person: dict[str, Any] = {"alias": scenario.person.alias}
    if scenario.person.born is not None:
        person["born"] = scenario.person.born.isoformat()
    elif scenario.person.age is not None:
        person["age"] = scenario.person.age
    for key, value in scenario.person.facts.items():
        if value is not None and value != () and value is not False:
            person[key] = list(value) if isinstance(value, tuple) else value
    events = []
    for event in scenario.events:
        item: dict[str, Any] = {
            "date": event.moment.at.isoformat() if event.moment.at else event.moment.day.isoformat(),
            "event": event.name,
        }
        for key, value in event.fields.items():
            item[key] = value.isoformat() if isinstance(value, date) else value
        events.append(item)
    expect: dict[str, Any] = {"outcome": report.outcome}
    if report.error:
        expect["error"] = report.error.code
    last: dict[str, str] = {}
    for deadline in report.deadlines:
        last[deadline.id] = deadline.due
    if last:
        expect["deadlines"] = last
    if report.entitlements:
        expect["entitlements"] = sorted({e.id for e in report.entitlements})
    data = {
        "casepath": 1,
        "title": title,
        "workflow": scenario.workflow,
        "person": person,
        "events": events,
        "expect": expect,
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def export(result: Exploration, wf: CompiledWorkflow, folder: Path) -> list[Path]:
    """Write teaching cases: paths that together take every transition reached, each with its expect:
    block, and a README.md that lists them by how they end.

    The paths are taken in turn from each start day the explorer tried (the eve and the day of
    each rule change), so the cases spread over the rule periods instead of all starting on the
    first day. Each made-up person is made coherent (see `_teaching_person`); each file is run
    again from its own events, so its expect: block is what `casepath test` will find (a path
    that ended by waiting for a deadline shows the case before it passed). Existing files are
    never replaced: the names are checked before anything is written."""
    simulator = Simulator(wf)
    plan = _Plan(wf)
    by_day: dict[date, list[ExploredPath]] = {}
    for path in result.paths:
        if path.events:
            by_day.setdefault(path.events[0].moment.day, []).append(path)
    covered: set[int] = set()
    picked: list[Scenario] = []
    queues = [deque(paths) for _, paths in sorted(by_day.items())]
    while any(queues):
        for queue in queues:  # one new path from each start day in turn
            while queue:
                path = queue.popleft()
                if not path.trail <= covered:
                    covered |= path.trail
                    picked.append(path.scenario())
                    break
    chosen: list[tuple[str, str, Scenario, Report]] = []
    used = dict.fromkeys(plan.start_days, 0)
    for explored in picked:
        used[explored.events[0].moment.day] = used.get(explored.events[0].moment.day, 0) + 1
    for number, explored in enumerate(picked, 1):
        scenario = explored.model_copy(
            update={"person": _teaching_person(explored.person, explored.events, number, plan)}
        )
        report = simulator.run(scenario)
        scenario, report = _spread(scenario, report, simulator, used)
        name = f"{number:03d}-{scenario.events[-1].name}-{report.outcome}.yaml".replace("_", "-")
        title = teaching_title(scenario, report, wf)
        scenario = scenario.model_copy(update={"title": title})
        chosen.append((name, scenario_yaml(scenario, report, title), scenario, report))
    if folder.exists() and not folder.is_dir():
        raise InputProblem("is a file, expected a folder", file=str(folder))
    clash = [name for name in [c[0] for c in chosen] + [README] if os.path.lexists(folder / name)]
    if clash:
        raise InputProblem(f"{clash[0]} exists already there; export into a new or empty folder", file=str(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputProblem(f"cannot be written ({err.strerror or err})", file=str(folder)) from None
    written = []
    for name, text, _, _ in chosen:
        outfile.write(folder / name, text, force=False)
        written.append(folder / name)
    outfile.write(folder / README, teaching_readme([(n, s, r) for n, _, s, r in chosen], wf), force=False)
    return written


def _spread(scenario: Scenario, report: Report, simulator: Simulator, used: dict[date, int]) -> tuple[Scenario, Report]:
    """The case moved to the start day used least so far, if it takes the very same steps there.

    The explorer follows only the first events under each period's rules (see RULE_LEVELS), so its
    longer paths all start on the first day it tries (2007). Moved, with every date and the
    birthday by the same number of days, a path teaches the same steps under later rules; a move
    that changes a single step (a period of another length, an event the rules of the new day do
    not provide) is not made."""
    first = scenario.events[0].moment.day
    steps = [(e.event, e.from_, e.to, e.automatic) for e in report.events]
    for day in sorted(used, key=lambda d: (used[d], d)):
        if used[day] >= used.get(first, 0) - 1:
            break
        moved = _moved(scenario, day - first)
        again = simulator.run(moved)
        if [(e.event, e.from_, e.to, e.automatic) for e in again.events] == steps and (
            (again.error is None) == (report.error is None)
        ):
            used[first] -= 1
            used[day] += 1
            return moved, again
    return scenario, report


def _moved(scenario: Scenario, by: timedelta) -> Scenario:
    """The same case `by` days later: every event, and the birthday, so the person keeps their age."""
    events = tuple(
        e.model_copy(update={"moment": Moment(e.moment.day + by, e.moment.at + by if e.moment.at else None)})
        for e in scenario.events
    )
    born = scenario.person.born + by if scenario.person.born else None
    return scenario.model_copy(update={"events": events, "person": scenario.person.model_copy(update={"born": born})})


README = "README.md"
TITLE_STEPS = 160
"""Characters of steps in a teaching case's title at most (a scenario title holds 300)."""
PSEUDONYMS = "ABCDEFGHJKLMNPRSTUVWYZ"


def _teaching_person(person: Person, events: tuple[Event, ...], number: int, plan: _Plan) -> Person:
    """The explorer's made-up person made coherent for a class: a pseudonym of its own; a choice the
    rules treat alike turned in rotation (a Danish citizen, then an EU citizen, then a lawful
    resident: the rules give them the same steps), leaving out a value the workflow's `examples`
    call unlikely for one of the `events`; and countries from `examples` that fit (a Danish citizen
    from DK, an EU citizen from an EU country)."""
    spec = plan.wf.spec.person
    facts = dict(person.facts)
    happens = {event.name for event in events}
    unlikely = {(e.by, value): set(names) for e in spec.examples.values() for value, names in e.unlikely.items()}
    for name, field_spec in spec.fields.items():
        value = facts.get(name)
        if field_spec.type == "choice" and name in plan.relevant_facts and value in (field_spec.values or []):
            alike = [v for v in field_spec.values or [] if plan.representatives("fact", name, [value, v]) == [value]]
            alike = [v for v in alike if not unlikely.get((name, v), set()) & happens] or alike
            facts[name] = alike[number % len(alike)]
    for name, examples in spec.examples.items():
        countries = examples.values.get(str(facts.get(examples.by)))
        if countries:
            facts[name] = countries[number % len(countries)]
    alias = PSEUDONYMS[(number - 1) % len(PSEUDONYMS)] + ("" if number <= len(PSEUDONYMS) else str(number))
    return person.model_copy(update={"alias": alias, "facts": facts})


def _lower_first(text: str) -> str:
    """'Formally identified…' -> 'formally identified…', but 'CMM…' and 'EU citizen' stay."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def teaching_title(scenario: Scenario, report: Report, wf: CompiledWorkflow) -> str:
    """A title that says what happens, in the workflow's own words: who the person is, the steps
    after first contact, and how the case ends ("EU citizen: formally identified as a victim (by: CMM);
    returned home under the prepared return — left Denmark under a prepared return")."""
    from casepath.render.common import details

    spec = wf.spec
    who = [
        field.value_label(scenario.person.facts[name])
        for name, field in spec.person.fields.items()
        if field.type == "choice" and field.labels and scenario.person.facts.get(name) in field.labels
    ]
    first = scenario.events[0].moment.day
    ages = spec.person.age_events.values()
    if scenario.person.born is not None and ages:
        age = relativedelta(first, scenario.person.born).years
        if age < max(ages):  # a child, who turns 18 during the case: the age is the point
            who.append(f"aged {age}")
    steps = []
    for event in scenario.events:
        fields = details(spec, event.name, dict(event.fields))
        steps.append(_lower_first(spec.events[event.name].label) + (f" ({fields})" if fields else ""))
    if len("; ".join(steps)) > TITLE_STEPS:  # too long to read: the steps without their fields
        steps = [_lower_first(spec.events[event.name].label) for event in scenario.events]
    if len("; ".join(steps)) > TITLE_STEPS:  # still: the first step, the last two, and … between
        steps = [steps[0], "…", *steps[-2:]]
    title = ", ".join(who) or "A person"
    title = title[:1].upper() + title[1:]
    if report.error is not None:
        ending = f"refused: {report.error.message}"
    elif report.outcome == "in_progress":
        ending = "the case is still open"
    else:
        ending = spec.outcomes.get(report.outcome, report.outcome.replace("_", " "))
    return f"{title}: {'; '.join(steps)} — {ending}"


def teaching_readme(cases: list[tuple[str, Scenario, Report]], wf: CompiledWorkflow) -> str:
    """The folder's README: the cases listed by how they end (the teaching point), with their dates."""
    spec = wf.spec
    groups: dict[str, list[tuple[str, Scenario, Report]]] = {}
    for case in cases:
        _, _, report = case
        key = "error" if report.error is not None else report.outcome
        groups.setdefault(key, []).append(case)
    headings = {outcome: f"Ends: {meaning}" for outcome, meaning in spec.outcomes.items()}
    headings["in_progress"] = "Still open: what runs, and what comes next"
    headings["error"] = "A step the rules do not allow (the report says why, and stops there)"
    order = [*spec.outcomes, "in_progress", "error"]
    lines = [
        f"# Teaching cases: {spec.title}",
        "",
        f"{len(cases)} made-up cases written by `casepath explore --export`. Together they take every step",
        "of the workflow the explorer reached. Each starts on the eve or the day of a rule change, so the",
        "cases spread over the periods of the rules (the start day is given below).",
        "",
        "**The `expect:` blocks were written by casepath's own simulator from its own run.** They are",
        "regression snapshots — `casepath test` tells you when casepath's answer changes — not proofs",
        "that the answer is right. Check a case against the sources (`casepath simulate FILE`, and",
        "`casepath explain` for each rule) before you teach it.",
        "",
        "The persons are made up (pseudonyms, countries that fit their residence status).",
        "",
    ]
    for key in sorted(groups, key=order.index):
        lines += [f"## {headings[key]}", ""]
        for name, scenario, _ in groups[key]:
            lines.append(
                f"- [{name}]({name}) — from {scenario.events[0].moment.day.isoformat()}: {_title_of(name, cases)}"
            )
        lines.append("")
    return "\n".join(lines)


def _title_of(name: str, cases: list[tuple[str, Scenario, Report]]) -> str:
    return next(s.title for n, s, _ in cases if n == name)
