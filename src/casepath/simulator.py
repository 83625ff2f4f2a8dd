"""Stepping a scenario through its workflow on a virtual clock.

Events are applied in date order. Between two events the simulator takes the time-driven
steps itself: a deadline with an `on_expiry` event fires it the moment the deadline has
passed (a day-deadline at the first instant of the next day, an hour-deadline at its exact
instant), and an age event fires on the birthday. Such steps appear in the report marked
automatic. Nothing is fired after the last event: the report shows the case as it stands
then, with the deadlines still running.

An event is applied in two phases, so that a refused event changes nothing: first every
track's transition is chosen and every check is made; then the machines move and the
actions run. One `Simulator` reuses its machines and thin models across scenarios, so it
is cheap to run many; it is not for use from several threads at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from casepath import clock, journal
from casepath.case import Case, DeadlineRecord, EntitlementPeriod, Step
from casepath.clock import Moment
from casepath.journal import Refusal, StepRecord
from casepath.memo import Remembered
from casepath.report import Report
from casepath.scenario import Event, Scenario
from casepath.status import Status
from casepath.workflow.compiled import CompiledWorkflow, Transition

MAX_AUTOMATIC_STEPS = 1000
"""Time-driven steps one case may take. Real pathways take a handful; more means a loop."""

StepKind = Literal["event", "refused", "clock", "on"]
"""A step kept by `Simulator.run(keep_steps=True)`: an event applied or refused, a moment the clock
took steps on its own before the next event, or the clock run on to the day looked at (`--on`)."""


_Choices = tuple[Transition, ...]


class _TrackModel:
    """The thin object a track's state machine moves (never a pydantic model: see shared notes)."""

    state: str


class _Refused(Exception):
    """An event cannot happen: why, as the journal records it (the event's number is added later)."""

    def __init__(self, code: str, reason: journal.Reason, possible: tuple[str, ...] | None = None) -> None:
        self.code, self.reason, self.possible = code, reason, possible

    def at(self, number: int) -> journal.Refusal:
        return journal.Refusal(self.code, self.reason, number, self.possible)


@dataclass(slots=True)
class Run:
    """One scenario being simulated: its case and what the report will show. Copy it to branch."""

    scenario: Scenario
    case: Case
    journal: list[StepRecord] = field(default_factory=list)
    """One record per event applied and per time-driven step taken, in order."""
    error: Refusal | None = None
    previous: Event | None = None
    applied: int = 0
    fired_ages: set[str] = field(default_factory=set)
    clock: Moment | None = None
    """Where `wait` left the virtual clock, if it moved past the last event."""

    def copy(self) -> Run:
        return Run(
            self.scenario,
            self.case.copy(),
            self.journal.copy(),
            self.error,
            self.previous,
            self.applied,
            self.fired_ages.copy(),
            self.clock,
        )


class Simulator:
    """Runs scenarios through one compiled workflow.

    What it records is typed (`Run.journal`, `Run.case`, `Run.error`: `casepath.journal`);
    `report` hands a run to `casepath.wording`, which puts it into words in the language of
    the workflow it is given."""

    def __init__(self, workflow: CompiledWorkflow) -> None:
        self.wf = workflow.base
        self.words = workflow
        """The workflow whose language reports are in, unless told otherwise (`report`)."""
        self.models = {track: _TrackModel() for track in self.wf.machines}
        for track, machine in self.wf.machines.items():
            machine.add_model(self.models[track])
        self._movers = {track: (m.set_state, m.states, self.models[track]) for track, m in self.wf.machines.items()}
        """Per track: its machine's `set_state`, its `State` objects by name, and this simulator's model
        (read once: a `transitions.Machine` has a `__getattr__`, so each attribute read goes through it)."""
        self._owner: Run | None = None
        self._possible: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._plans: dict[tuple[str, ...], Any] = {}
        self._settled: dict[tuple[Any, ...], dict[str, Any]] = {}
        """Per plan key, the rules its gates settle and how (`_to_visit` compares two keys' answers)."""
        self._routes: dict[tuple[str, ...], Any] = {}
        self._refusable = frozenset(event for refusal in self.wf.refusals for event in refusal.events)
        """The events a refusal rule names (its guards run when the event finds no transition)."""
        self._visits: dict[tuple[Any, tuple[str | bool, ...]], Any] = {}
        self._birthdays_of: tuple[date | None, list[tuple[str, datetime]]] = (None, [])
        self._recounted = [name for name, spec in self.wf.spec.deadlines.items() if spec.follows_rule_changes]
        self._if_passed = {name: Status(spec.if_passed) for name, spec in self.wf.spec.deadlines.items()}
        self._on_expiry = {name: spec.on_expiry for name, spec in self.wf.spec.deadlines.items() if spec.on_expiry}
        self._rule_changes: Remembered[tuple[str, date, frozenset[str]], datetime | None] = Remembered(20_000)
        self._age_events = len(self.wf.spec.person.age_events)
        gates = (g.fact_gate for rule in self.wf.entitlements for guards, _ in rule.bases for g in guards)
        self._fact_gates = tuple(dict.fromkeys(gate for gate in gates if gate is not None))
        """The fact tests of the entitlement rules' guards (`registry.Args.fact_gate`), each once: their
        answers are part of the key the entitlements are planned by (`_update_entitlements`)."""

    def close(self) -> None:
        """Detach the models from the shared machines (so they can be freed)."""
        for track, machine in self.wf.machines.items():
            machine.remove_model(self.models[track])

    # ------------------------------------------------------------------ running
    def run(
        self,
        scenario: Scenario,
        as_of: date | None = None,
        variants: tuple[str, ...] = (),
        on: Moment | None = None,
        keep_steps: bool = False,
        words: CompiledWorkflow | None = None,
    ) -> Report:
        """Run a whole scenario and report on it as it stands on `on` (default: the last event's moment).

        With `keep_steps` the report also carries the case as it stood after each event
        (`Report.steps`, for a step-through), taken during this same run: the time-driven steps
        before an event are taken one moment at a time and kept too. The report's words come
        from `words` (this workflow in another language), by default the workflow's own.

        With `on`, the time-driven steps due up to then are taken after the last event, and every
        deadline is judged on that moment. `on` must not be before the last event (see `looked_at`)."""
        steps: list[tuple[Run, StepKind]] | None = [] if keep_steps else None
        return self.report(self.play(scenario, as_of, variants, on, steps), words, steps)

    def play(
        self,
        scenario: Scenario,
        as_of: date | None = None,
        variants: tuple[str, ...] = (),
        on: Moment | None = None,
        steps: list[tuple[Run, StepKind]] | None = None,
    ) -> Run:
        """What `run` reports on, without the report: the whole scenario applied until an event is
        refused, then the clock run on to `on`. Into `steps`, if given, a copy of the run after each
        step (see `run`)."""
        run = self.begin(scenario, as_of, variants)
        for event in scenario.events:
            if steps is not None:
                self._clock_steps(run, event.moment, steps)
            applied = self.advance(run, event)
            if steps is not None:
                steps.append((run.copy(), "event" if applied else "refused"))
            if not applied:
                break
        if on is not None and run.error is None:
            self.look_at(run, on)
            if steps is not None and (run.previous is not None or not steps):
                steps.append((run.copy(), "on"))
        return run

    def _clock_steps(self, run: Run, until: Moment, steps: list[tuple[Run, StepKind]]) -> None:
        """Take the time-driven steps due before `until` (the next event) one moment at a time, keeping
        the run after each moment that did something. They are the steps `advance` would take."""
        limit = until.instant(self.wf.zone)
        while run.previous is not None and run.error is None:
            due = self._next_timer(run.case, run.fired_ages)
            if due is None or not self._due(due[0], due[1], limit, until):
                return
            since = len(run.journal)
            if not self.wait(run):
                run.error = None  # too many steps: `advance` meets the same refusal and names the event
                return
            if len(run.journal) > since:
                steps.append((run.copy(), "clock"))

    def look_at(self, run: Run, on: Moment) -> None:
        """Let the clock run, with no further event, to `on`: the case as it stands then."""
        if run.previous is None:
            return
        self._sync(run)
        self._owner = run
        try:
            self._run_timers(run.case, on, run.journal, run.fired_ages, len(run.journal) - run.applied)
        except _Refused as refused:
            run.error = refused.at(run.applied + 1)
            return
        run.clock = on

    def begin(self, scenario: Scenario, as_of: date | None = None, variants: tuple[str, ...] = ()) -> Run:
        """A run of `scenario` with no event applied yet (its events are not applied: see `advance`)."""
        case = Case(
            wf=self.wf,
            facts=dict(scenario.person.facts),
            born=scenario.person.born,
            age_at_start=scenario.person.age,
            first_day=None,
            rules_as_of=as_of or scenario.rules_as_of,
            variants=frozenset(scenario.variants) | frozenset(variants),
        )
        for track, choices in self.wf.initial.items():
            case.states[track] = choices[0][0]
        return Run(scenario=scenario, case=case)

    def advance(self, run: Run, event: Event) -> bool:
        """Apply one more event (after the time-driven steps due before it). False once the run has an error."""
        if run.error is not None:
            return False
        case = run.case
        number = run.applied + 1
        moment = event.moment  # (an event is a pydantic model: each attribute read goes through a hook)
        previous = run.previous
        if previous is None:
            case.first_day = moment.day
            self._enter_initial_states(case, moment)
        else:
            self._sync(run)
            if moment.is_before(previous.moment):
                reason = journal.OutOfOrder(number, event.name, moment, previous.name, previous.moment)
                run.error = journal.Refusal("events_out_of_order", reason, number)
                return False
        self._owner = run
        try:
            self._run_timers(case, moment, run.journal, run.fired_ages, len(run.journal) - run.applied)
            run.journal.append(self._apply(case, event.name, event.fields, moment, number))
        except _Refused as refused:
            run.error = refused.at(number)
            run.clock = moment  # the steps due before it were taken: the case as it stood then
            return False
        run.previous = event
        run.applied = number
        run.clock = None
        return True

    def wait(self, run: Run) -> bool:
        """Let the clock run to the next time-driven step and take it. False if nothing is due.

        Used to explore a case with no event until its next deadline passes; a following
        event must be dated at or after `run.clock`."""
        if run.previous is None or run.error is not None:
            return False
        self._sync(run)
        due = self._next_timer(run.case, run.fired_ages)
        if due is None:
            return False
        instant, is_day = due[0], due[1]
        until = Moment(instant.date()) if is_day else Moment(instant.date(), instant + timedelta(minutes=1))
        try:
            self._run_timers(run.case, until, run.journal, run.fired_ages, len(run.journal) - run.applied)
        except _Refused as refused:
            run.error = refused.at(run.applied + 1)
            return False
        run.clock = until
        return True

    def _sync(self, run: Run) -> None:
        """Put the shared machines' models in this run's states (when another run used them last)."""
        if self._owner is not run:
            states = run.case.states
            for track, (set_state, by_name, model) in self._movers.items():
                if model.state != states[track]:
                    set_state(by_name[states[track]], model=model)
            self._owner = run

    def _enter_initial_states(self, case: Case, moment: Moment) -> None:
        step = Step(case, None, {}, moment)
        for track, choices in self.wf.initial.items():
            state = choices[-1][0]  # the last choice when no other's tests all pass
            for choice, when in choices:
                for guard in when:
                    if not guard(step):
                        break
                else:  # every test of this choice passed (or it has none)
                    state = choice
                    break
            case.states[track] = state
            set_state, by_name, model = self._movers[track]
            if model.state != state:
                set_state(by_name[state], model=model)
        self._owner = None
        for track in self.wf.initial:
            for action in self.wf.on_enter[(track, case.states[track])]:
                action(step)

    # ------------------------------------------------------------------ time-driven steps
    def _run_timers(
        self, case: Case, until: Moment, records: list[journal.StepRecord], fired_ages: set[str], taken: int = 0
    ) -> None:
        """Fire, in time order, every deadline expiry, age event and rule change due before `until`.

        A rule change is a step too: a deadline that follows rule changes is counted again on
        the day the rule it was counted with changes, whatever events came before or after.
        Each firing closes its deadline, but a workflow may set it again: a case is refused once
        it has taken MAX_AUTOMATIC_STEPS time-driven steps (`taken` so far), never left to run on."""
        zone = self.wf.zone
        limit = until.instant(zone)
        while True:
            due = self._next_timer(case, fired_ages)
            if due is None:
                return
            instant, is_day, kind, name, record = due
            if not self._due(instant, is_day, limit, until):
                return
            moment = Moment(instant.date(), None if is_day else instant)
            if kind == "rule":
                Step(case, None, {}, moment, automatic=True).recount(record)
                continue
            if taken >= MAX_AUTOMATIC_STEPS:
                raise _Refused("too_many_automatic_steps", journal.TooManySteps(taken, name, moment))
            if kind == "age":
                fired_ages.add(name)
            else:
                record.ran_out = True
            # A day-based step happens at the first instant of a day: what it ends, ended the day before.
            ends_on = moment.day - clock.ONE_DAY if is_day else moment.day
            if name not in self._refusable and not self._routed(name, case.states)[0]:
                continue  # no transition leaves the states it finds, and no rule refuses it: no effect
            try:
                entry = self._apply(case, name, {}, moment, None, ends_on)
            except _Refused:
                continue  # the step has no effect in the current state
            records.append(entry)
            taken += 1

    @staticmethod
    def _due(instant: datetime, is_day: bool, limit: datetime, until: Moment) -> bool:
        """Whether a time-driven step at `instant` is taken before `until` (at `limit`): at the same
        instant a day's step is, an hour's only when `until` has no time of day."""
        return instant < limit or (instant == limit and (is_day or until.at is None))

    def _next_timer(self, case: Case, fired_ages: set[str]):
        best = None
        on_expiry = self._on_expiry
        for deadline_id, record in case.latest.items():
            if record.settled is not None or record.ran_out:
                continue
            expiry_event = on_expiry.get(deadline_id)
            if expiry_event is None:
                continue
            instant = record.expires
            if best is None or instant < best[0]:
                best = (instant, not isinstance(record.due, datetime), "deadline", expiry_event, record)
        birth = case.estimated_birth() if len(fired_ages) < self._age_events else None  # (else all fired)
        if birth is not None:
            for event, instant in self._birthdays(birth):
                if event in fired_ages:
                    continue
                if best is None or instant < best[0]:
                    best = (instant, True, "age", event, None)
        if self._recounted and case.rules_as_of is None:
            for deadline_id in self._recounted:
                record = case.latest.get(deadline_id)
                if record is None or record.settled is not None or record.ran_out or record.counted is None:
                    continue
                instant = self._rule_change_instant(record.counted[0], record.counted[1], case.variants)
                if instant is not None and instant < record.expires and (best is None or instant < best[0]):
                    best = (instant, True, "rule", deadline_id, record)
        return best

    def _rule_change_instant(self, plus: str, after: date, variants: frozenset[str]) -> datetime | None:
        """The first instant of `_next_rule_change`, remembered (asked at every step; at most 20,000 kept)."""
        key = (plus, after, variants)
        if key in self._rule_changes:
            return self._rule_changes[key]
        change = self._next_rule_change(plus, after, variants)
        return self._rule_changes.keep(key, None if change is None else clock.start_of_day(change, self.wf.zone))

    def _birthdays(self, birth: date) -> list[tuple[str, datetime]]:
        """The age events of someone born on `birth`, each with the first instant of its birthday."""
        if self._birthdays_of[0] != birth:
            zone = self.wf.zone
            ages = self.wf.spec.person.age_events.items()
            self._birthdays_of = (birth, [(e, clock.start_of_day(clock.birthday(birth, y), zone)) for e, y in ages])
        return self._birthdays_of[1]

    def _next_rule_change(self, plus: str, after: date, variants: frozenset[str]) -> date | None:
        """The first day after `after` on which the parameter named in `plus` ("param:NAME") changes."""
        kind, _, name = plus.partition(":")
        if kind != "param":
            return None
        starts = [
            e.from_
            for e in self.wf.spec.parameters[name].history
            if e.from_ is not None and e.from_ > after and (e.variant is None or e.variant in variants)
        ]
        return min(starts, default=None)

    # ------------------------------------------------------------------ one event
    def _apply(
        self, case: Case, name: str, fields: dict, moment: Moment, number: int | None, ends_on: date | None = None
    ) -> journal.StepRecord:
        wf = self.wf
        step = Step(case, name, fields, moment, number is None)  # (the last: automatic)
        states = case.states
        here, followers = self._routed(name, states)
        if not here:
            raise self._refusal(case, step, name)
        for check in wf.event_checks[name]:
            if not check.guard(step):
                raise _Refused(check.error, journal.CheckFailed(check.where))
        picked = None
        for transition in here:
            for guard in transition.when:
                if not guard.entry.run(step, guard.args):
                    break
            else:
                picked = transition
                break
        if picked is None:
            first = here[0]
            unmet = next(k for k, g in enumerate(first.when) if not g(step))
            raise _Refused(
                "event_not_allowed", journal.ConditionUnmet(name, first.index, unmet), self._possible_now(case)
            )
        chosen = [picked]
        for transitions in followers:
            for transition in transitions:
                for guard in transition.when:
                    if not guard.entry.run(step, guard.args):
                        break
                else:
                    chosen.append(transition)
                    break
        for transition in chosen:
            for check in transition.checks:
                if not check.guard(step):
                    raise _Refused(check.error, journal.CheckFailed(check.where))
        # Everything is decided: move the machines and run the actions.
        moves: list[tuple[str, str, str]] = []
        taken: list[int] = []
        for transition in chosen:
            track = transition.track
            before = states[track]
            # The transition was chosen and its guards checked above: the machine is only moved to its
            # destination (its trigger would look the transition up and evaluate it all again).
            after = before if transition.to is None else transition.to
            if after != before:
                set_state, by_name, model = self._movers[track]
                set_state(by_name[after], model=model)
            case.trail.append(transition.index)
            states[track] = after
            for action in transition.do:
                action.entry.run(step, action.args)
            if transition.described_until is not None and step.rules_date > transition.described_until:
                step.rule_used("event", transition.event, transition.sources_cited)
            if transition.to is not None:
                for action in wf.on_enter[(track, after)]:
                    action.entry.run(step, action.args)
            moves.append((track, before, after))
            taken.append(transition.index)
        self._update_entitlements(case, moment, ends_on or moment.day)
        effects = tuple(case.effects)
        case.effects.clear()
        return journal.StepRecord(number, moment, name, fields, tuple(moves), tuple(taken), effects)

    def _routed(self, name: str, states: dict[str, str]) -> tuple[_Choices, tuple[_Choices, ...]]:
        """`_route`, remembered per (event, states)."""
        key = (name, *states.values())
        route = self._routes.get(key)
        if route is None:
            route = self._routes[key] = self._route(name, states)
        return route

    def _route(self, name: str, states: dict[str, str]) -> tuple[_Choices, tuple[_Choices, ...]]:
        """Where event `name` can go from these tracks' states: the transitions of its own track that
        leave its state, in the order written, and the same for each other track it moves (in the
        workflow's order of tracks); worked out once per combination of states."""
        candidates = self.wf.by_event.get(name, {})
        primary = self.wf.spec.events[name].track
        here = tuple(t for t in candidates.get(primary, ()) if states[primary] in t.sources)
        followers = tuple(
            found
            for track, transitions in candidates.items()
            if track != primary
            for found in [tuple(t for t in transitions if states[track] in t.sources)]
            if found
        )
        return here, followers

    def _refusal(self, case: Case, step: Step, name: str) -> _Refused:
        for refusal in self.wf.refusals:
            if name in refusal.events and all(g(step) for g in refusal.when):
                return _Refused(refusal.error, journal.RefusedByRule(refusal.index), self._possible_now(case))
        track = self.wf.spec.events[name].track
        return _Refused(
            "event_not_allowed", journal.WrongState(name, track, case.states[track]), self._possible_now(case)
        )

    def _possible_now(self, case: Case) -> tuple[str, ...]:
        """The events a person could bring about in the case's states (not the automatic ones)."""
        key = tuple(case.states.values())
        found = self._possible.get(key)
        if found is None:
            found = self._possible[key] = tuple(
                event
                for event, spec in self.wf.spec.events.items()
                if not spec.automatic
                and any(
                    case.states[spec.track] in t.sources for t in self.wf.by_event.get(event, {}).get(spec.track, ())
                )
            )
        return found

    # ------------------------------------------------------------------ entitlements
    def _update_entitlements(self, case: Case, moment: Moment, ends_on: date) -> None:
        """Open and close entitlement periods after a step; a closed period's `until` is its last day.

        Each rule applies on the first of its bases whose guards all hold. The guards that test
        only a track's state, or only one fact (gates: `registry.Args.state_gate`, `fact_gate`),
        are answered once per combination of the tracks' states and the fact tests' answers
        (`_plan`); the others (parameters, …) run after every step, in the order written, as far
        as the gates let them — exactly the guards a plain loop would run, as gates have no side
        effect. A rule the gates settle, and settled alike at the case's previous update, is not
        looked at (`_to_visit`)."""
        key = tuple(case.states.values())
        if self._fact_gates:
            facts = case.facts
            answers = []  # (a loop: a comprehension is a function call of its own before Python 3.12)
            for fact, values, inside in self._fact_gates:
                answers.append((facts.get(fact) in values) is inside)
            key += tuple(answers)
        rules_date = case.rules_as_of or moment.day
        last = case.entitlements_checked
        case.entitlements_checked = (key, rules_date)
        last_key = None if last is None else last[0]
        visits = self._visits.get((last_key, key))
        if visits is None:
            visits = self._visits[(last_key, key)] = self._to_visit(last_key, key)
        rules, fuller, watched = visits
        if last is None:
            if case.open_entitlements:  # (never, for a case `begin` made: only this opens periods)
                rules = fuller
        else:
            for until in watched:
                if last[1] <= until < rules_date:
                    rules = fuller  # a rule in force is used past its sources' last day for the first time
                    break
        if not rules:
            return
        step = Step(case, None, {}, moment)
        opened = case.open_entitlements
        for rule, fixed, bases in rules:
            if bases is None:  # the gates alone decide: no guard to run
                basis, until = fixed
            else:
                basis = until = None
                for guards, holds, sources, described_until in bases:
                    for guard in guards:
                        if not guard.entry.run(step, guard.args):
                            break
                    else:
                        if holds:
                            basis, until = sources, described_until
                            break
            period = opened.get(rule)
            if basis is not None and until is not None and step.rules_date > until:
                step.rule_used("entitlement", rule, basis)
            if basis is not None and period is None:
                opened[rule] = EntitlementPeriod(rule, moment.day, basis)
                case.effects.append(journal.EntitlementOpened(rule, moment.day))
            elif basis is None and period is not None:
                del opened[rule]
                case.closed_entitlements.append(EntitlementPeriod(rule, period.start, period.sources, ends_on))
                case.effects.append(journal.EntitlementClosed(rule, ends_on))

    def _to_visit(self, last: tuple[Any, ...] | None, key: tuple[Any, ...]) -> Any:
        """The rules of the plan for `key` (the tracks' states and the fact gates' answers) that a step
        coming from `last` (the key at the case's previous update, None for the first) must look at, in
        the workflow's order.

        A rule the gates settle is left out when they settled it the same way at `last` (out of
        force, or in force on the same basis): its period is as that update left it, and it changes
        nothing now. One in force whose sources describe the law only up to a day (`until`) would
        note that assumption the first time the rules' day passes it, and only then (the rules' day
        never goes back in a case; the note, once made, stays): so there are two lists, without those
        rules and with them, and the days to watch. Returned as (rules, the fuller list, the watched
        days). At a case's first update (`last` None) the rules the gates keep out of force are left
        out, with nothing open yet to close, and the fuller list is the whole plan."""
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._plan(key)
        if last is None:  # the first update: a rule kept out of force has no period to close
            return tuple(item for item in plan if item[2] is not None or item[1][0] is not None), plan, ()
        settled_before = self._settled.get(last)
        if settled_before is None:
            before = self._plans.get(last)
            if before is None:
                before = self._plans[last] = self._plan(last)
            settled_before = self._settled[last] = {rule: fixed for rule, fixed, bases in before if bases is None}
        visit, fuller, watched = [], [], []
        for rule, fixed, bases in plan:
            # settled alike: both out of force, or both in force on the same basis (whose sources the
            # note names)
            if bases is None and rule in settled_before and settled_before[rule][0] is fixed[0]:
                if fixed[1] is not None:  # in force at both, its sources described up to fixed[1]
                    fuller.append((rule, fixed, bases))
                    watched.append(fixed[1])
                continue
            visit.append((rule, fixed, bases))
            fuller.append((rule, fixed, bases))
        return tuple(visit), tuple(fuller), tuple(watched)

    def _plan(self, key: tuple[Any, ...]) -> tuple[tuple[str, Any, Any], ...]:
        """For `key` (the tracks' states, then the answers of `_fact_gates`), per entitlement rule: (its
        id, the decision when the gates alone make it, else None, and else its bases as (the guards
        still to run, whether the basis holds when they all pass, its sources, the last day they
        describe)). A basis stops at its first failing guard: the guards before a failing gate still
        run (they may note an assumption), those after do not. A decision is (sources, last day
        described), or (None, None)."""
        tracks = self.wf.initial  # the tracks, in the order of the case's states (`begin`)
        states = dict(zip(tracks, key, strict=False))
        answers = dict(zip(self._fact_gates, key[len(tracks) :], strict=True))
        plan: list[tuple[str, Any, Any]] = []
        for rule in self.wf.entitlements:
            bases = []
            for guards, sources in rule.bases:
                to_run = []
                holds = True
                for guard in guards:
                    gate = guard.gate
                    if gate is not None:
                        if (states[gate[0]] in gate[1]) is not gate[2]:
                            holds = False
                            break
                    elif guard.fact_gate is not None:
                        if not answers[guard.fact_gate]:
                            holds = False
                            break
                    else:
                        to_run.append(guard)
                if to_run or holds:
                    bases.append((tuple(to_run), holds, sources, self.wf.described_until(sources)))
            if not bases:
                plan.append((rule.id, (None, None), None))
            elif not bases[0][0]:  # the first basis left has no guard to run: it holds
                plan.append((rule.id, (bases[0][2], bases[0][3]), None))
            else:
                plan.append((rule.id, None, tuple(bases)))
        return tuple(plan)

    # ------------------------------------------------------------------ the report
    def report(
        self, run: Run, words: CompiledWorkflow | None = None, steps: list[tuple[Run, StepKind]] | None = None
    ) -> Report:
        """The report of a run as it stands, in the language of `words` (default: this workflow's).

        `steps` are copies of the run after each step (see `run`), for `Report.steps`."""
        from casepath import wording

        return wording.report(self, run, words or self.words, steps)

    @staticmethod
    def looked_at(run: Run) -> Moment | None:
        """The moment the report judges the case on: where `look_at` left the clock, else the last event."""
        if run.clock is not None:
            return run.clock
        return run.previous.moment if run.previous else None

    def status_of(self, record: DeadlineRecord, judged: datetime | None) -> Status:
        """A deadline's status on the judged instant: settled by a step, else by its date."""
        if record.settled is not None:
            return record.settled
        if record.ran_out or (judged is not None and clock.has_run_out(record.due, judged, self.wf.zone)):
            return self._if_passed[record.id]
        return Status.UPCOMING

    def listing_order(self, records: list[DeadlineRecord]) -> list[DeadlineRecord]:
        """Deadlines in date order (ties: the order they were set), except that one that a later deadline
        with the same id took the place of is listed just before it when that one is earlier: the last
        entry with an id is always the one in force (a departure deadline made "immediately")."""
        anchor: list[datetime] = [r.expires for r in records]
        successor_anchor: dict[str, datetime] = {}
        for index in range(len(records) - 1, -1, -1):
            later = successor_anchor.get(records[index].id)
            if later is not None and later < anchor[index]:
                anchor[index] = later
            successor_anchor[records[index].id] = anchor[index]
        order = sorted(range(len(records)), key=lambda i: (anchor[i], i))
        return [records[i] for i in order]
