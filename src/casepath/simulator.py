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

from casepath import caseid, citations, clock
from casepath.case import Case, DeadlineRecord, EntitlementPeriod, Step
from casepath.clock import Moment
from casepath.locale import translator
from casepath.report import (
    AssumptionEntry,
    DeadlineEntry,
    EntitlementEntry,
    ErrorEntry,
    EventEntry,
    Report,
    Snapshot,
    TrackMove,
)
from casepath.scenario import Event, Scenario
from casepath.status import Status
from casepath.workflow.compiled import CompiledWorkflow, Transition
from casepath.workflow.spec import Citation

MAX_AUTOMATIC_STEPS = 1000
"""Time-driven steps one case may take. Real pathways take a handful; more means a loop."""


class _TrackModel:
    """The thin object a track's state machine moves (never a pydantic model: see shared notes)."""

    state: str


@dataclass
class _Refused(Exception):
    code: str
    message: str


@dataclass
class Run:
    """One scenario being simulated: its case and what the report will show. Copy it to branch."""

    scenario: Scenario
    case: Case
    entries: list[EventEntry] = field(default_factory=list)
    error: ErrorEntry | None = None
    previous: Event | None = None
    applied: int = 0
    fired_ages: set[str] = field(default_factory=set)
    clock: Moment | None = None
    """Where `wait` left the virtual clock, if it moved past the last event."""

    def copy(self) -> Run:
        return Run(
            self.scenario,
            self.case.copy(),
            list(self.entries),
            self.error,
            self.previous,
            self.applied,
            set(self.fired_ages),
            self.clock,
        )


class Simulator:
    """Runs scenarios through one compiled workflow."""

    def __init__(self, workflow: CompiledWorkflow) -> None:
        self.wf = workflow
        self.models = {track: _TrackModel() for track in workflow.machines}
        for track, machine in workflow.machines.items():
            machine.add_model(self.models[track])
        self._citations: dict[int, str] = {}
        self._transition_sources: dict[int, list[str]] = {}
        self._owner: Run | None = None
        self._tr = translator(workflow.lang)
        """The engine's own phrases in the workflow's language (its labels come translated already)."""
        self._possible: dict[tuple[str, ...], str] = {}
        self._recounted = [name for name, spec in workflow.spec.deadlines.items() if spec.follows_rule_changes]

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
    ) -> Report:
        """Run a whole scenario and report on it as it stands on `on` (default: the last event's moment).

        With `keep_steps` the report also carries the case as it stood after each event
        (`Report.steps`, for a step-through), taken during this same run.

        With `on`, the time-driven steps due up to then are taken after the last event, and every
        deadline is judged on that moment. `on` must not be before the last event (see `looked_at`)."""
        run = self.begin(scenario, as_of, variants)
        steps: list[Snapshot] | None = [] if keep_steps else None
        for event in scenario.events:
            applied = self.advance(run, event)
            if steps is not None:
                self._snapshot(run, steps, refused=not applied)
            if not applied:
                break
        if on is not None and run.error is None:
            self.look_at(run, on)
            if steps is not None and len(run.entries) > sum(len(s.entries) for s in steps):
                self._snapshot(run, steps)
        report = self.report(run)
        if steps is not None:
            if steps:  # the last step is the report itself, judged on the same day
                steps[-1].report = report
            report._steps = steps
        return report

    def _snapshot(self, run: Run, steps: list[Snapshot], refused: bool = False) -> None:
        """Keep the case as it stands after a step (its report, and what the step added)."""
        seen = sum(len(s.entries) for s in steps)
        steps.append(
            Snapshot(
                number=len(steps) + 1,
                report=self.report(run),
                entries=list(run.entries[seen:]),
                applying=[(p.id, p.start.isoformat()) for p in run.case.open_entitlements.values()],
                refused=refused,
            )
        )

    def look_at(self, run: Run, on: Moment) -> None:
        """Let the clock run, with no further event, to `on`: the case as it stands then."""
        if run.previous is None:
            return
        self._sync(run)
        self._owner = run
        try:
            self._run_timers(run.case, on, run.entries, run.fired_ages, len(run.entries) - run.applied)
        except _Refused as refused:
            run.error = ErrorEntry.model_construct(code=refused.code, message=refused.message, event=run.applied + 1)
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
        if run.previous is None:
            case.first_day = event.moment.day
            self._enter_initial_states(case, event.moment)
        else:
            self._sync(run)
            if event.moment.is_before(run.previous.moment):
                run.error = ErrorEntry(
                    code="events_out_of_order",
                    message=self._tr(
                        "event {number} ({event}, {date}) is dated before the event above it ({before}, "
                        "{before_date}); events must be in date order",
                        number=number,
                        event=event.name,
                        date=event.moment.iso(),
                        before=run.previous.name,
                        before_date=run.previous.moment.iso(),
                    ),
                    event=number,
                )
                return False
        self._owner = run
        try:
            self._run_timers(case, event.moment, run.entries, run.fired_ages, len(run.entries) - run.applied)
            run.entries.append(self._apply(case, event.name, event.fields, event.moment, number))
        except _Refused as refused:
            run.error = ErrorEntry(code=refused.code, message=refused.message, event=number)
            run.clock = event.moment  # the steps due before it were taken: the case as it stood then
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
            self._run_timers(run.case, until, run.entries, run.fired_ages, len(run.entries) - run.applied)
        except _Refused as refused:
            run.error = ErrorEntry.model_construct(code=refused.code, message=refused.message, event=run.applied + 1)
            return False
        run.clock = until
        return True

    def _sync(self, run: Run) -> None:
        """Put the shared machines' models in this run's states (when another run used them last)."""
        if self._owner is not run:
            states = run.case.states
            for track, machine in self.wf.machines.items():
                model = self.models[track]
                if model.state != states[track]:
                    machine.set_state(states[track], model=model)
            self._owner = run

    def _enter_initial_states(self, case: Case, moment: Moment) -> None:
        step = Step(case, None, {}, moment)
        for track, choices in self.wf.initial.items():
            state = next((s for s, when in choices if all(g(step) for g in when)), choices[-1][0])
            case.states[track] = state
            self.wf.machines[track].set_state(state, model=self.models[track])
        self._owner = None
        for track in self.wf.initial:
            for action in self.wf.on_enter[(track, case.states[track])]:
                action(step)

    # ------------------------------------------------------------------ time-driven steps
    def _run_timers(
        self, case: Case, until: Moment, entries: list[EventEntry], fired_ages: set[str], taken: int = 0
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
            if not (instant < limit or (instant == limit and (is_day or until.at is None))):
                return
            moment = Moment(instant.date(), None if is_day else instant)
            if kind == "rule":
                Step(case, None, {}, moment, automatic=True).recount(record)
                continue
            if taken >= MAX_AUTOMATIC_STEPS:
                raise _Refused(
                    "too_many_automatic_steps",
                    self._tr(
                        "the workflow has taken {count} time-driven steps in this case and would take another "
                        "({event} on {date}): its deadlines keep setting each other again. The workflow needs "
                        "fixing; the report stops here.",
                        count=taken,
                        event=name,
                        date=moment.iso(),
                    ),
                )
            if kind == "age":
                fired_ages.add(name)
            else:
                record.ran_out = True
            # A day-based step happens at the first instant of a day: what it ends, ended the day before.
            ends_on = moment.day - timedelta(days=1) if is_day else moment.day
            try:
                entry = self._apply(case, name, {}, moment, None, ends_on)
            except _Refused:
                continue  # the step has no effect in the current state
            entries.append(entry)
            taken += 1

    def _next_timer(self, case: Case, fired_ages: set[str]):
        zone = self.wf.zone
        best = None
        for deadline_id, record in case.latest.items():
            expiry_event = self.wf.spec.deadlines[deadline_id].on_expiry
            if expiry_event is None or record.settled is not None or record.ran_out:
                continue
            instant = clock.expiry(record.due, zone)
            candidate = (instant, not isinstance(record.due, datetime), "deadline", expiry_event, record)
            if best is None or instant < best[0]:
                best = candidate
        birth = case.estimated_birth()
        if birth is not None:
            for event, years in self.wf.spec.person.age_events.items():
                if event in fired_ages:
                    continue
                instant = clock.start_of_day(clock.birthday(birth, years), zone)
                if best is None or instant < best[0]:
                    best = (instant, True, "age", event, None)
        if self._recounted and case.rules_as_of is None:
            for deadline_id in self._recounted:
                record = case.latest.get(deadline_id)
                if record is None or record.settled is not None or record.ran_out or record.counted is None:
                    continue
                change = self._next_rule_change(record.counted[2], record.counted[3], case.variants)
                if change is None:
                    continue
                instant = clock.start_of_day(change, zone)
                if instant < clock.expiry(record.due, zone) and (best is None or instant < best[0]):
                    best = (instant, True, "rule", deadline_id, record)
        return best

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
    ) -> EventEntry:
        wf = self.wf
        spec = wf.spec.events[name]
        step = Step(case, name, fields, moment, automatic=number is None)
        primary = spec.track
        candidates = wf.by_event.get(name, {})
        here = [t for t in candidates.get(primary, ()) if case.states[primary] in t.sources]
        if not here:
            raise self._refusal(case, step, name)
        for check in wf.event_checks[name]:
            if not check.guard(step):
                raise _Refused(check.error, check.message)
        chosen: dict[str, Transition] = {}
        picked = next((t for t in here if all(g(step) for g in t.when)), None)
        if picked is None:
            unmet = next(g for g in here[0].when if not g(step))
            raise _Refused(
                "event_not_allowed",
                self._tr(
                    "{event} cannot happen now: it needs {what}.", event=spec.label, what=unmet.describe(self.wf.lang)
                )
                + " "
                + self._possible_now(case),
            )
        chosen[primary] = picked
        for track, transitions in candidates.items():
            if track == primary:
                continue
            follow = next(
                (t for t in transitions if case.states[track] in t.sources and all(g(step) for g in t.when)), None
            )
            if follow is not None:
                chosen[track] = follow
        for transition in chosen.values():
            for check in transition.checks:
                if not check.guard(step):
                    raise _Refused(check.error, check.message)
        # Everything is decided: move the machines and run the actions.
        moves: list[tuple[str, str, str]] = []
        notes: list[str] = []
        for track, transition in chosen.items():
            before = case.states[track]
            # The transition was chosen and its guards checked above: the machine is only moved to its
            # destination (its trigger would look the transition up and evaluate it all again).
            after = before if transition.to is None else transition.to
            wf.machines[track].set_state(after, model=self.models[track])
            case.trail.append(transition.index)
            case.states[track] = after
            for action in transition.do:
                action(step)
            step.rule_used(transition.event, wf.spec.events[transition.event].label, transition.sources_cited)
            if transition.to is not None:
                for action in wf.on_enter[(track, after)]:
                    action(step)
            moves.append((track, before, after))
            if transition.note:
                notes.append(transition.note)
        self._update_entitlements(case, moment, ends_on or moment.day)
        return EventEntry.built(
            number=number,
            date=moment.iso(),
            event=name,
            label=spec.label,
            automatic=number is None,
            track=primary,
            from_=moves[0][1],
            to=moves[0][2],
            also=[TrackMove.built(track=t, from_=b, to=a) for t, b, a in moves[1:]],
            fields={
                k: (v.isoformat() if isinstance(v, date) else list(v) if isinstance(v, tuple) else v)
                for k, v in fields.items()
            },
            note=" ".join(notes) or None,
            sources=self._sources_of(picked),
        )

    def _refusal(self, case: Case, step: Step, name: str) -> _Refused:
        for refusal in self.wf.refusals:
            if name in refusal.events and all(g(step) for g in refusal.when):
                return _Refused(refusal.error, f"{refusal.message} {self._possible_now(case)}")
        spec = self.wf.spec.events[name]
        track = spec.track
        state = self.wf.label(track, case.states[track])
        return _Refused(
            "event_not_allowed",
            self._tr(
                "{event} cannot happen now: the {track} track is at '{state}'.",
                event=spec.label,
                track=self.wf.spec.tracks[track].label.lower(),
                state=state,
            )
            + " "
            + self._possible_now(case),
        )

    def _possible_now(self, case: Case) -> str:
        key = tuple(case.states.values())
        text = self._possible.get(key)
        if text is None:
            names = [
                event
                for event, spec in self.wf.spec.events.items()
                if not spec.automatic
                and any(
                    case.states[spec.track] in t.sources for t in self.wf.by_event.get(event, {}).get(spec.track, ())
                )
            ]
            if self.wf.lang != "en":  # ids are English words: in another language, the events' labels
                names = [self.wf.spec.events[event].label for event in names]
            text = (
                self._tr("Possible now: {names}.", names=", ".join(names))
                if names
                else self._tr("No event is possible now.")
            )
            self._possible[key] = text
        return text

    # ------------------------------------------------------------------ entitlements
    def _update_entitlements(self, case: Case, moment: Moment, ends_on: date) -> None:
        """Open and close entitlement periods after a step; a closed period's `until` is its last day."""
        step = Step(case, None, {}, moment)
        states = case.states
        for rule in self.wf.entitlements:
            # The first basis whose guards all hold (loops written out and track-state guards tested
            # inline: this runs after every step).
            basis = None
            for guards, sources in rule.bases:
                for guard in guards:
                    gate = guard.gate
                    if gate is not None:
                        if (states[gate[0]] in gate[1]) is not gate[2]:
                            break
                    elif not guard.entry.run(step, guard.args):
                        break
                else:
                    basis = sources
                    break
            period = case.open_entitlements.get(rule.id)
            if basis is not None:
                step.rule_used(rule.id, self.wf.spec.entitlements[rule.id].label, basis)
            if basis is not None and period is None:
                case.open_entitlements[rule.id] = EntitlementPeriod(rule.id, moment.day, basis)
            elif basis is None and period is not None:
                period.end = ends_on
                case.closed_entitlements.append(case.open_entitlements.pop(rule.id))

    # ------------------------------------------------------------------ the report
    def _sources_of(self, transition: Transition) -> list[str]:
        cited = self._transition_sources.get(transition.index)
        if cited is None:
            cited = self._transition_sources[transition.index] = [self._cite(c) for c in transition.sources_cited]
        return list(cited)

    def _cite(self, citation: Citation) -> str:
        # Keyed by identity: citations live as long as the workflow, and hashing a model is slow.
        text = self._citations.get(id(citation))
        if text is None:
            text = self._citations[id(citation)] = citations.cite(self.wf.spec, citation, self.wf.lang)
        return text

    def report(self, run: Run) -> Report:
        """The report of a run as it stands."""
        wf = self.wf
        scenario, case, entries, error = run.scenario, run.case, run.entries, run.error
        rules_as_of = case.rules_as_of
        known = wf.spec.rules_known_until
        warnings = list(case.warnings)
        last_day = run.previous.moment.day if run.previous else None
        for day in (rules_as_of, last_day):
            if day is not None and day > known:
                warnings.append(
                    f"The sources describe the rules up to {known.isoformat()}; for later dates "
                    f"({day.isoformat()}) the rules may have changed since."
                )
                break
        spec = wf.spec
        rules = {r.id: r for r in wf.entitlements}
        periods = [*case.closed_entitlements, *case.open_entitlements.values()]
        periods.sort(key=lambda p: (p.start, list(spec.entitlements).index(p.id)))
        entitlements = []
        for period in periods:
            end = period.end
            capped_by = rules[period.id].ends_with_deadline
            record = case.latest.get(capped_by) if capped_by else None
            if record is not None and record.settled is not Status.REPLACED:
                cap = clock.due_day(record.due)
                end = cap if end is None or cap < end else end
            entitlements.append(
                EntitlementEntry.built(
                    id=period.id,
                    from_=period.start.isoformat(),
                    until=end.isoformat() if end else None,
                    label=spec.entitlements[period.id].label,
                    sources=self._unique(period.sources),
                )
            )
        looked_at = self.looked_at(run)
        judged = looked_at.instant(wf.zone) if looked_at else None
        records = sorted(enumerate(case.deadlines), key=self._listing_key(case.deadlines))
        deadlines = [
            DeadlineEntry.built(
                id=d.id,
                due=d.due.isoformat(),
                label=spec.deadlines[d.id].label,
                rule=d.rule,
                status=self.status_of(d, judged),
                set_on=d.set_on.iso(),
                sources=self._unique(d.sources),
                warnings=list(d.warnings),
            )
            for _, d in records
        ]
        main = wf.main_track
        # Every value below is already checked (the scenario on the way in, the rest made here): the
        # typed report is built without validating it again.
        return Report.model_construct(
            title=scenario.title,
            case_ref=scenario.case_ref,
            workflow=spec.id,
            alias=scenario.person.alias,
            file=scenario.file,
            rules_as_of=rules_as_of.isoformat() if rules_as_of else None,
            variants=sorted(case.variants),
            rules_known_until=spec.rules_known_until.isoformat(),
            on=looked_at.day.isoformat() if looked_at else None,
            outcome=wf.outcome_of(case.states[main]),
            state=case.states[main],
            states=dict(case.states),
            state_labels={t: wf.label(t, s) for t, s in case.states.items()},
            events=list(entries),  # a copy: the run goes on adding to its own list
            deadlines=deadlines,
            entitlements=entitlements,
            assumptions=[
                AssumptionEntry.built(parameter=a.parameter, note=a.note) for a in case.assumptions.values()
            ],
            warnings=warnings,
            error=error,
            case_key=caseid.key(scenario),
        )

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
            return Status(self.wf.spec.deadlines[record.id].if_passed)
        return Status.UPCOMING

    def _listing_key(self, records: list[DeadlineRecord]):
        """Deadlines in date order (ties: the order they were set), except that one that a later deadline
        with the same id took the place of is listed just before it when that one is earlier: the last
        entry with an id is always the one in force (a departure deadline made "immediately")."""
        zone = self.wf.zone
        anchor: list[datetime] = [clock.expiry(r.due, zone) for r in records]
        successor_anchor: dict[str, datetime] = {}
        for index in range(len(records) - 1, -1, -1):
            later = successor_anchor.get(records[index].id)
            if later is not None and later < anchor[index]:
                anchor[index] = later
            successor_anchor[records[index].id] = anchor[index]
        return lambda item: (anchor[item[0]], item[0])

    def _unique(self, citations) -> list[str]:
        out: list[str] = []
        for citation in citations:
            text = self._cite(citation)
            if text not in out:
                out.append(text)
        return out
