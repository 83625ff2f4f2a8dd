"""What must hold for every run of every workflow: the invariants `casepath explore` checks.

Each invariant is a function of one finished run (a report and the workflow) that returns
a list of violations in plain words. They are stated here, in one place, so a reviewer can
read what "the workflow is sound" means:

1. the outcome is one of the workflow's outcomes, or `in_progress`;
2. a run still in progress is not stuck: some event can still happen (no trap state);
3. no deadline is later than the limit the workflow sets for it (`limits:`), e.g. the
   departure deadline never beyond the longest reflection period in force;
4. once the case has ended — the main track reached an outcome the workflow lists in
   `ending_outcomes:` (the person left) — no entitlement stays open unless it is bounded by a
   deadline (`ends_with_deadline`), like support after a return;
5. an event marked `victim_only` is never accepted after the main track reached a state
   whose outcome the workflow names as negative (`negative_outcomes:`);
6. every deadline and entitlement in a report carries at least one source;
7. the same input gives the same report (checked by the explorer on a sample: the path run
   again from the start must give the same run, in everything the report is worded from).

`Screen` is how the explorer checks tens of thousands of runs without making a report for
each: a quick look at a run's case that can only say "this might break one" (then the report is
made and the checks above decide) or "none of them can break here".
"""

from __future__ import annotations

from datetime import date, datetime

from casepath import clock
from casepath.case import Case
from casepath.report import Report
from casepath.status import Status
from casepath.workflow.compiled import CompiledWorkflow


def _when(text: str) -> date | datetime:
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)


def _day(text: str) -> date:
    value = _when(text)
    return value.date() if isinstance(value, datetime) else value


def known_outcome(report: Report, wf: CompiledWorkflow) -> list[str]:
    """Every run ends in one of the workflow's outcomes, or is still in progress."""
    allowed = set(wf.spec.outcomes) | {"in_progress"}
    return [] if report.outcome in allowed else [f"unknown outcome {report.outcome!r}"]


def not_stuck(report: Report, wf: CompiledWorkflow) -> list[str]:
    """No state is a trap: a case in progress can always move on."""
    if report.outcome != "in_progress" or report.error is not None:
        return []
    main = wf.main_track
    state = report.states[main]
    if wf.spec.tracks[main].states[state].final:
        return []
    can_move = any(state in t.sources for tracks in wf.by_event.values() for t in tracks.get(main, ()))
    return [] if can_move else [f"the case is stuck in {main}.{state}: no event can happen"]


def deadlines_within_limits(report: Report, wf: CompiledWorkflow) -> list[str]:
    """No deadline is later than the limit in force for it."""
    out = []
    for deadline_id, limit_id in wf.spec.limits.items():
        entry, limit = report.last_deadline(deadline_id), report.last_deadline(limit_id)
        if entry is None or limit is None or entry.status in (Status.REPLACED, Status.CANCELLED):
            continue
        if _day(entry.due) > _day(limit.due):
            out.append(f"{deadline_id} {entry.due} is later than {limit_id} {limit.due}")
    return out


def entitlements_end_with_the_case(report: Report, wf: CompiledWorkflow) -> list[str]:
    """Entitlements stop when the person leaves or the case ends."""
    main = wf.main_track
    if wf.spec.tracks[main].states[report.states[main]].outcome not in wf.spec.ending_outcomes:
        return []
    bounded = {name for name, spec in wf.spec.entitlements.items() if spec.ends_with_deadline}
    return [
        f"entitlement {e.id} stays open after the case ended ({report.states[main]})"
        for e in report.entitlements
        if e.until is None and e.id not in bounded
    ]


def no_victim_steps_after_negative(report: Report, wf: CompiledWorkflow) -> list[str]:
    """A victim-only step never follows a negative identification."""
    main = wf.main_track
    negative = set(wf.spec.negative_outcomes)
    reached_negative = False
    out = []
    for entry in report.events:
        spec = wf.spec.events[entry.event]
        if reached_negative and spec.victim_only:
            out.append(f"victim-only step {entry.event} accepted on {entry.date} after a negative outcome")
        moves = [(entry.track, entry.to)] + [(m.track, m.to) for m in entry.also]
        for track, state in moves:
            if track == main and wf.spec.tracks[main].states[state].outcome in negative:
                reached_negative = True
    return out


def everything_sourced(report: Report, wf: CompiledWorkflow) -> list[str]:
    """Every deadline and entitlement cites its source."""
    out = [f"deadline {d.id} has no source" for d in report.deadlines if not d.sources]
    out += [f"entitlement {e.id} has no source" for e in report.entitlements if not e.sources]
    return out


CHECKS = (
    known_outcome,
    not_stuck,
    deadlines_within_limits,
    entitlements_end_with_the_case,
    no_victim_steps_after_negative,
    everything_sourced,
)


SAME_REPORT = "The same input always gives the same report."


def statements() -> list[str]:
    """Each invariant in one sentence, as `casepath explore` lists them."""
    return [(check.__doc__ or check.__name__).strip() for check in CHECKS] + [SAME_REPORT]


def violations(report: Report, wf: CompiledWorkflow) -> list[str]:
    """Every invariant this run breaks (empty when sound)."""
    return [problem for check in CHECKS for problem in check(report, wf)]


class Screen:
    """What each check above reads in a report, read in the run's case instead, erring on the side of
    "might break": `might_break` is False only when none of the checks can find anything in the report
    of that case. `casepath explore` makes a report only for the runs it lets through (and for its
    sample of runs checked again from the start), and lets the checks above decide.

    `tests/test_invariants.py` holds it to the checks: on runs of workflows broken on purpose, every
    run whose report breaks an invariant is one it let through."""

    def __init__(self, wf: CompiledWorkflow) -> None:
        spec = wf.spec
        main = wf.main_track
        states = spec.tracks[main].states
        transitions = [t for tracks in wf.by_event.values() for ts in tracks.values() for t in ts]
        allowed = set(spec.outcomes) | {"in_progress"}
        self.main = main
        self.limits = list(spec.limits.items())
        # known_outcome: main states whose outcome the workflow does not list.
        self.unknown = {s for s in states if wf.outcome_of(s) not in allowed}
        # not_stuck: main states that are not final and that no transition leaves.
        leave = {s for t in transitions if t.track == main for s in t.sources}
        self.traps = {s for s, state in states.items() if not state.final and s not in leave}
        # entitlements_end_with_the_case: the main states that end the case; entitlements a deadline bounds.
        self.ending = {s for s, state in states.items() if state.outcome in spec.ending_outcomes}
        self.bounded = {name for name, e in spec.entitlements.items() if e.ends_with_deadline}
        # no_victim_steps_after_negative, on the trail of transitions taken: the transition of an event's
        # own track stands for the event (taken first, before those of tracks that follow it); the main
        # track reaches a negative outcome by a transition into such a state, or starts in one.
        negative = set(spec.negative_outcomes)
        self.victim_steps = {
            t.index for t in transitions if spec.events[t.event].victim_only and t.track == spec.events[t.event].track
        }
        self.to_negative = {
            t.index for t in transitions if t.track == main and t.to and states[t.to].outcome in negative
        }
        self.negative_at_start = any(states[s].outcome in negative for s, _ in wf.initial[main])

    def might_break(self, case: Case) -> bool:
        """False only when no check above can find anything in this case's report."""
        state = case.states[self.main]
        if state in self.unknown or state in self.traps:
            return True
        latest = case.latest
        for deadline_id, limit_id in self.limits:
            entry, limit = latest.get(deadline_id), latest.get(limit_id)
            # every status counted (the check leaves out replaced and cancelled deadlines)
            if entry is not None and limit is not None and clock.due_day(entry.due) > clock.due_day(limit.due):
                return True
        if state in self.ending and any(e not in self.bounded for e in case.open_entitlements):
            return True
        # (a trail that never reaches a negative outcome, from a start that is not one, has nothing to check)
        if self.victim_steps and (self.negative_at_start or not self.to_negative.isdisjoint(case.trail)):
            negative = self.negative_at_start
            for index in case.trail:
                if negative and index in self.victim_steps:
                    return True
                if index in self.to_negative:
                    negative = True
        if any(not record.sources for record in case.deadlines):
            return True
        periods = (*case.closed_entitlements, *case.open_entitlements.values())
        return any(not period.sources for period in periods)
