"""`casepath walk`: step through a case one event at a time, for a trainer in front of a class.

Two ways in. A scenario file is walked step by step: before each step the screen shows
the next event, the state of every track, the deadlines running, the entitlements in force,
the events that could come next and, for every other event, why it cannot happen now. The
time-driven steps the simulator takes between two events (a deadline passing) are steps of
their own, marked automatic. In a free walk (`--free`) the trainer builds a case from
nothing, picking each next event from the ones the rules allow, and can save it as a
scenario file.

When input or output is not a terminal (a pipe, a file, a CI job), a scenario walk prints
every step at once, without waiting: a handout for the class. A free walk then reads its
answers line by line and shows them. The end of input always means quit, so nothing hangs.

Everything is derived from the compiled workflow (nothing here knows a country), and all
input and output go through two functions given by the caller (`Ask`, `Say`), so the core
runs the same in a terminal and in a test. A scenario's steps are the ones the simulator kept
while it ran the scenario once (`Simulator.run(keep_steps=True)`, `Report.steps`): each screen
shows a kept report, nothing is simulated again, and `b` just shows the step before. A free
walk keeps the simulator's `Run` after each accepted event (a stack of copies) and branches a
copy to try the next one.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from casepath import wording, yamlfile
from casepath.case import Step
from casepath.clock import Moment
from casepath.dates import read_date
from casepath.locale import translator
from casepath.problems import InputProblem
from casepath.render.common import details, error_name, outcome_text
from casepath.report import ErrorEntry, EventEntry, Report, Snapshot
from casepath.scenario import MAX_EVENTS, Event, Scenario, from_dict, parse_moment
from casepath.simulator import Run, Simulator
from casepath.status import Status, word
from casepath.visible import visible
from casepath.workflow.compiled import CompiledWorkflow
from casepath.workflow.spec import FieldSpec

Ask = Callable[[str], "str | None"]
"""Show a prompt and read one line; None at the end of input (which always means: quit)."""
Say = Callable[[str], None]
"""Print a block of text."""
Write = Callable[[Path, str, bool], None]
"""Write a whole file (path, text, force); refuses to replace a file without force (cli._write)."""

WIDTH = 92
_DECIDED_NOW = {"fact_in", "fact_not_in", "fact_given", "in_state", "not_in_state"}
"""Guards that read only facts and track states, so the current case decides them. Every other
guard reads the event's fields, its date or time, or the rules on its date: those are shown as
conditions of a possible event instead."""


# ====================================================================== the steps of a scenario


@dataclass
class WalkStep:
    """One step of a walk, as the simulator kept it when it ran the scenario (`report.Snapshot`): an
    event (with any refusal), the time-driven steps the clock took at one moment before an event,
    or the clock run on to the day given with `--on`."""

    kept: Snapshot
    entries: list[EventEntry]
    """What the step did, as report entries (empty for a refused event)."""
    event: Event | None = None
    """The scenario's event this step applied or refused (None for a step of the clock)."""
    until: Moment | None = None
    """For the last step of a walk `--on` a day: the clock ran on to that day, with no event."""

    @property
    def automatic(self) -> bool:
        return self.kept.automatic

    @property
    def report(self) -> Report:
        """The report as it stood right after the step."""
        return self.kept.report

    @property
    def after(self) -> Run:
        """The run right after the step, to ask what could come next."""
        assert self.kept.run is not None  # the simulator keeps it with every step
        return self.kept.run

    @property
    def error(self) -> ErrorEntry | None:
        return self.kept.report.error if self.kept.refused else None


def plan(sim: Simulator, start: Run, on: Moment | None = None) -> list[WalkStep]:
    """Every step of a scenario, in order: the steps the simulator kept as it ran it (`Report.steps`),
    each moment the clock took steps on its own before an event a step of its own.

    `start` is the run before the first event (`Simulator.begin`), whose rules date and variants
    are used. With `on` (at or after the last event), a last step lets the clock run on to it."""
    case = start.case
    report = sim.run(start.scenario, case.rules_as_of, tuple(sorted(case.variants)), on=on, keep_steps=True)
    steps: list[WalkStep] = []
    events = iter(start.scenario.events)
    for kept in report.steps or []:
        if kept.automatic:  # only ever the last step: on to `on` (a case with no event stays where it is)
            if kept.run is not None and kept.run.previous is not None:
                steps.append(WalkStep(kept, kept.entries, until=on))
            continue
        steps += [WalkStep(moment, moment.entries) for moment in kept.clock]
        taken = sum(len(moment.entries) for moment in kept.clock)
        steps.append(WalkStep(kept, kept.entries[taken:], next(events)))
    return steps


# ====================================================================== what the case looks like now


def now_of(run: Run) -> Moment | None:
    """The moment of the run's last step (where waiting left the clock, or the last event)."""
    if run.clock is not None:
        return run.clock
    return run.previous.moment if run.previous is not None else None


def states_of(wf: CompiledWorkflow, run: Run, first: Moment | None) -> dict[str, str | None]:
    """Each track's state; before the first event, the one the first event's date will choose
    (None where that depends on a date not known yet)."""
    if run.previous is not None:
        return dict(run.case.states)
    out: dict[str, str | None] = {}
    case = run.case.copy()
    if first is not None:
        case.first_day = first.day
    for track, choices in wf.initial.items():
        if len(choices) == 1 or first is None:
            out[track] = choices[0][0] if len(choices) == 1 else None
            continue
        step = Step(case, None, {}, first)
        out[track] = next((s for s, when in choices if all(g(step) for g in when)), choices[-1][0])
    return out


@dataclass
class Options:
    """The events that could come next (with conditions still open) and why the others cannot."""

    possible: list[tuple[str, str | None]] = field(default_factory=list)
    impossible: list[tuple[str, str | None, str]] = field(default_factory=list)
    """(event, the track whose state blocks it or None, why)."""


def options(wf: CompiledWorkflow, run: Run, at: Moment | None) -> Options:
    """Which events have a transition from the current states, judged on the facts and states now.

    A guard that reads the event's own fields, its date or the rules on its date cannot be
    decided before the event: it is shown as a condition. An event with no transition from
    here is explained by the refusal that would apply, else by the states it needs."""
    spec = wf.spec
    case = run.case.copy()  # guards may record assumptions: never on the real case
    if run.previous is None:
        for track, state in states_of(wf, run, at).items():
            if state is not None:
                case.states[track] = state
    undecided = {t for t, s in states_of(wf, run, at).items() if s is None}
    moment = at or Moment(date.today())
    tr = translator(wf.lang)
    out = Options()
    for name, event in spec.events.items():
        if event.automatic:
            continue
        track = event.track
        if track in undecided:
            out.possible.append(
                (
                    name,
                    tr("the first event's date puts {track} in a state that allows it", track=spec.tracks[track].label),
                )
            )
            continue
        state = case.states[track]
        every = wf.by_event.get(name, {}).get(track, ())
        here = [t for t in every if state in t.sources]
        step = Step(case, name, {}, moment)
        if not here:
            refusal = next((r for r in wf.refusals if name in r.events and all(g(step) for g in r.when)), None)
            if refusal is not None:
                out.impossible.append(
                    (name, None, tr(
                            "refused now ({code}): {message}",
                            code=refusal.error,
                            message=wording.refusal_message(refusal.index, wf),
                        ))
                )
                continue
            states = [s for s in spec.tracks[track].states if any(s in t.sources for t in every)]
            labels = [f"'{wf.label(track, s)}'" for s in states]
            if len(labels) > 3:
                labels = [*labels[:2], tr("{count} other states", count=len(labels) - 2)]
            reason = tr("needs {what}", what=tr(" or ").join(labels)) if labels else tr("no transition takes it")
            out.impossible.append((name, track, reason))
            continue
        refused = _failed_check(wf, wf.event_checks.get(name, ()), step)
        if refused is not None:
            out.impossible.append((name, None, refused))
            continue
        conditions: list[str] = []
        failed: list[str] = []
        checked: list[str] = []
        free = False
        for transition in here:
            pending: list[str] = []
            unmet = None
            for guard in transition.when:
                if guard.entry.name not in _DECIDED_NOW:
                    pending.append(wording.describe(guard, wf.lang))
                elif not guard(step):
                    unmet = wording.describe(guard, wf.lang)
                    break
            if unmet is None:  # the transition's checks the case decides now (a prepared return accepted…)
                check = _failed_check(wf, transition.checks, step)
                if check is not None:
                    checked.append(check)
                    continue
            if unmet is not None:
                failed.append(unmet)
            elif not pending:
                free = True
                break
            else:
                conditions.append(tr(" and ").join(pending))
        if free:
            out.possible.append((name, None))
        elif conditions:
            out.possible.append((name, tr("; or ").join(dict.fromkeys(conditions))))
        elif failed:
            out.impossible.append((name, None, tr("needs {what}", what=tr(" or ").join(dict.fromkeys(failed)))))
        else:
            out.impossible.append((name, None, checked[0]))
    return out


def _failed_check(wf: CompiledWorkflow, checks: tuple[Any, ...], step: Step) -> str | None:
    """The message of the first check the case as it stands already fails (checks that read the
    event's own fields or date are left for the simulator to judge when the event comes)."""
    for check in checks:
        if check.guard.entry.name in _DECIDED_NOW and not check.guard(step):
            return wording.check_message(check.where, wf)
    return None


def describe_event(wf: CompiledWorkflow, event: Event) -> str:
    """'2022-03-10  Formally identified as a victim (by: dis)'."""
    label = wf.spec.events[event.name].label
    if event.fields:
        label += " (" + details(wf.spec, event.name, dict(event.fields), wf.lang) + ")"
    return f"{event.moment.iso()}  {label}"


def _show(value: Any, lang: str) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        tr = translator(lang)
        return tr("yes") if value else tr("no")
    return str(value)


def _wrap(text: str, indent: int, hang: int = 0) -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=" " * indent, subsequent_indent=" " * (indent + hang), break_on_hyphens=False
    ) or [""]


def render_entries(wf: CompiledWorkflow, entries: list[EventEntry], *, moves: bool = True) -> list[str]:
    """What a step did: each entry with (unless `moves` is False) its moves between states, and its note."""
    lines: list[str] = []
    tracks = wf.spec.tracks
    tr = translator(wf.lang)
    for entry in entries:
        what = entry.label
        if entry.fields:
            what += " (" + details(wf.spec, entry.event, entry.fields, wf.lang) + ")"
        if entry.automatic:
            what = tr("[automatic]") + " " + what
        lines += _wrap(f"{shown_when(entry.date)}  {what}", 2, 4)
        pairs = [(entry.track, entry.from_, entry.to), *((m.track, m.from_, m.to) for m in entry.also)]
        for track, before, after in pairs if moves else ():
            if before != after:
                lines += _wrap(f"{tracks[track].label}: {wf.label(track, before)} → {wf.label(track, after)}", 6, 4)
        if entry.note:
            lines += _wrap(entry.note, 6)
    return lines


def render_case(
    wf: CompiledWorkflow, sim: Simulator, run: Run, first: Moment | None, *, coming: bool = True
) -> list[str]:
    """The case as it stands: every track, the deadlines running, the entitlements in force,
    the events that could come next and why the others cannot."""
    spec = wf.spec
    tr = translator(wf.lang)
    at = now_of(run)
    report = sim.report(run)
    if at:
        lines = [tr("Where the case stands on {date}", date=at.iso())]
    else:
        lines = [tr("Where the case stands (before the first event)")]
    for track, state in states_of(wf, run, first).items():
        label = wf.label(track, state) if state is not None else tr("(decided on the first event's date)")
        lines.append(f"  {spec.tracks[track].label:<40} {label}")
    lines += ["", tr("Deadlines running")]
    running = [d for d in report.deadlines if d.status in (Status.UPCOMING, Status.MISSED)]  # in date order
    if not running:
        lines.append("  " + tr("(none)"))
    warned: set[str] = set()
    for deadline in running:
        mark = f"  [{word(deadline.status, wf.lang)}]"
        lines.append(f"  {deadline.due:<12} {deadline.label}{mark}")
        for warning in deadline.warnings:
            if warning not in warned:  # several deadlines on one Saturday: say it once
                warned.add(warning)
                lines += _wrap("! " + warning, 15, 2)
    lines += ["", tr("Entitlements in force")]
    current = _in_force(report, run)
    if not current:
        lines.append("  " + tr("(none)"))
    for item in current:
        if item.until:
            span = tr("since {start}, until {end}", start=item.from_, end=item.until)
        else:
            span = tr("since {start}", start=item.from_)
        lines.append(f"  {item.label} ({span})")
    if coming and report.error is None and not ended(wf, run):
        found = options(wf, run, at if run.previous is not None else first)
        lines += ["", tr("Could come next")]
        for name, condition in found.possible:
            text = spec.events[name].label + (" " + tr("(if {condition})", condition=condition) if condition else "")
            lines += _wrap(f"- {text}", 2, 2)
        lines += render_impossible(wf, run, found, first)
    return lines


def ended(wf: CompiledWorkflow, run: Run) -> bool:
    """The main track is in a final state: nothing can follow."""
    return wf.spec.tracks[wf.main_track].states[run.case.states[wf.main_track]].final


def render_impossible(
    wf: CompiledWorkflow, run: Run, found: Options, first: Moment | None, *, compact: bool = False
) -> list[str]:
    """Why the other events cannot happen now, grouped by the track whose state stands in the way.

    `compact` (a walk's `?` screen, which must fit a terminal) names the events a track's state
    blocks in one wrapped line instead of one line each with the states they need."""
    spec = wf.spec
    tr = translator(wf.lang)
    if not found.impossible:
        return []
    lines = ["", tr("Cannot happen now")]
    if compact:
        lines = lines[1:]
    for name, track, reason in found.impossible:
        if track is None:
            lines += _wrap(f"- {spec.events[name].label}: {reason}", 2, 2)
    states = states_of(wf, run, first)
    for blocking in spec.tracks:
        blocked = [(name, reason) for name, track, reason in found.impossible if track == blocking]
        state = states.get(blocking)
        if blocked and state is not None and compact:
            lines += _wrap(
                tr(
                    "{track} is at '{state}', so not:",
                    track=spec.tracks[blocking].label,
                    state=wf.label(blocking, state),
                )
                + " "
                + "; ".join(spec.events[name].label for name, _ in blocked),
                2,
                4,
            )
        elif blocked and state is not None:
            lines.append(
                "  "
                + tr("{track} is at '{state}', so:", track=spec.tracks[blocking].label, state=wf.label(blocking, state))
            )
            for name, reason in blocked:
                lines += _wrap(f"- {spec.events[name].label}: {reason}", 4, 2)
    return lines


def _rule(title: str) -> list[str]:
    return [title, "=" * min(len(title), WIDTH)]


HEIGHT = 38
"""Lines a screen may take: a 40-line terminal keeps the prompt and one spare line below it."""


def _fit(sections: list[list[str]], height: int = HEIGHT) -> list[str]:
    """The sections one after another, cut to `height` lines: the longest section gives up its
    last lines first (each cut says so), so every section keeps its heading and first lines."""
    sections = [list(s) for s in sections if s]
    tr_more = "  …"
    while sum(len(s) for s in sections) + len(sections) - 1 > height:
        longest = max(sections, key=len)
        if len(longest) <= 3:
            break
        if longest[-1] != tr_more:
            longest[-1:] = [tr_more]
        else:
            del longest[-2]
    lines: list[str] = []
    for section in sections:
        lines += ([""] if lines else []) + section
    return lines[:height]


def changed_tracks(wf: CompiledWorkflow, entries: list[EventEntry]) -> list[str]:
    """Each track a step moved, once: 'Stay and pathway: In contact … → Reflection period running'."""
    first: dict[str, str] = {}
    last: dict[str, str] = {}
    for entry in entries:
        for track, before, after in [
            (entry.track, entry.from_, entry.to),
            *((m.track, m.from_, m.to) for m in entry.also),
        ]:
            if before != after:
                first.setdefault(track, before)
                last[track] = after
    tracks = wf.spec.tracks
    return [
        f"{tracks[t].label}: {wf.label(t, first[t])} → {wf.label(t, last[t])}"
        for t in tracks
        if t in last and first[t] != last[t]
    ]


def shown_when(text: str) -> str:
    """A report date or date-time for the screen: '2022-04-09', '2022-10-31 07:00 +01:00'."""
    if "T" not in text:
        return text
    return f"{text[:10]} {text[11:16]} {text[19:]}".rstrip()


def _deadline_line(wf: CompiledWorkflow, deadline: Any) -> str:
    return f"  {shown_when(deadline.due):<23} {deadline.label}  [{word(deadline.status, wf.lang)}]"


def _in_force(report: Report, run: Run) -> list[Any]:
    """The entitlements open in the case after the step (one that ended on that day is not in force)."""
    open_now = {(p.id, p.start.isoformat()) for p in run.case.open_entitlements.values()}
    at = now_of(run)
    day = at.day.isoformat() if at is not None else ""
    # An open period can still be over on the day looked at: one capped by a deadline that has passed.
    return [e for e in report.entitlements if (e.id, e.from_) in open_now and (e.until is None or e.until >= day)]


def step_screen(wf: CompiledWorkflow, start: Run, steps: list[WalkStep], number: int) -> str:
    """The screen of step `number` (counting from 1): what happened, the tracks that changed, the
    deadlines running (and the ones this step settled), the entitlements in force, new warnings."""
    tr = translator(wf.lang)
    step = steps[number - 1]
    previous = steps[number - 2] if number > 1 else None
    before = previous.report if previous is not None else None
    after = step.report
    last = step.entries[-1].date if step.entries else (step.event.moment.iso() if step.event else "")
    if step.until is not None:
        last = step.until.iso()
    when = shown_when(last)
    if step.automatic:
        heading = tr(
            "Step {number} of {count} · {date} · the clock runs on", number=number, count=len(steps), date=when
        )
    else:
        heading = tr("Step {number} of {count} · {date}", number=number, count=len(steps), date=when)
    top = _rule(heading)
    top += _wrap(visible(start.scenario.title), 0)
    happened = [tr("What happened")]
    if step.error is not None:
        assert step.event is not None
        happened += render_entries(wf, step.entries)
        happened += _wrap(describe_event(wf, step.event), 2, 4)
        happened += _wrap(
            tr("REFUSED ({code}): {message}", code=_code(wf, step.error.code), message=step.error.message), 2, 2
        )
        happened.append("  " + tr("The case stays as it was before this event."))
    else:
        happened += render_entries(wf, step.entries, moves=False)
        if step.until is not None and not step.entries:
            happened.append("  " + tr("(nothing happened on the way to {date})", date=step.until.iso()))
    changed = changed_tracks(wf, step.entries) if step.error is None else []
    tracks = [tr("Tracks that changed"), *[line for text in changed for line in _wrap(text, 2, 4)]]
    if not changed:
        tracks.append("  " + tr("(none)"))
    was = {(d.id, d.set_on, d.due): d.status for d in (before.deadlines if before else [])}
    shown = [
        d
        for d in after.deadlines
        if d.status in (Status.UPCOMING, Status.MISSED) or was.get((d.id, d.set_on, d.due)) != d.status
    ]
    deadlines = [tr("Deadlines running, and those this step settled")]
    deadlines += [_deadline_line(wf, d) for d in shown] or ["  " + tr("(none)")]
    in_force = _in_force(after, step.after)
    rights = [tr("Entitlements in force")]
    rights += _wrap(", ".join(e.label for e in in_force), 2, 2) if in_force else ["  " + tr("(none)")]
    ended_now = [
        e.label
        for e in (_in_force(previous.report, previous.after) if previous else [])
        if e.id not in {i.id for i in in_force}
    ]
    if ended_now:
        rights += _wrap(tr("Ended at this step: {list}", list=", ".join(ended_now)), 2, 4)
    warnings = _new_warnings(before, after, shown)
    said = [tr("Warnings"), *[line for w in warnings for line in _wrap("! " + w, 2, 2)]] if warnings else []
    return "\n".join(_fit([top, happened, tracks, deadlines, rights, said]))


def _new_warnings(before: Report | None, after: Report, shown: list[Any]) -> list[str]:
    """The report's warnings this step added, and the warnings of the deadlines on the screen (once each)."""
    old = set(before.warnings) if before else set()
    out = [w for w in after.warnings if w not in old]
    for deadline in shown:
        if deadline.status in (Status.UPCOMING, Status.MISSED):
            out += [w for w in deadline.warnings if w not in out]
    return out


def end_screen(wf: CompiledWorkflow, sim: Simulator, start: Run, steps: list[WalkStep]) -> str:
    """The end: the outcome, every track, the deadlines still running, what is in force, every warning."""
    tr = translator(wf.lang)
    run = steps[-1].after if steps else start
    report = steps[-1].report if steps else sim.report(start)  # a scenario with no events: the case before any
    top = _rule(tr("End of the scenario"))[:1] + _wrap(visible(start.scenario.title), 0)
    top.insert(1, "=" * len(top[0]))
    top += _wrap(tr("Outcome: {outcome}", outcome=outcome_text(report.outcome, wf.spec, wf.lang)), 0, 2)
    if report.error is not None:
        top += _wrap(
            tr(
                "Stopped at event {number}: REFUSED ({code}): {message}",
                number=report.error.event,
                code=_code(wf, report.error.code),
                message=report.error.message,
            ),
            0,
            2,
        )
    at = now_of(run)
    stands = [tr("Where the case stands on {date}", date=at.iso()) if at else tr("Where the case stands")]
    for track, state in report.states.items():
        stands.append(f"  {wf.spec.tracks[track].label:<40} {wf.label(track, state)}")
    running = [d for d in report.deadlines if d.status in (Status.UPCOMING, Status.MISSED)]
    deadlines = [tr("Deadlines running"), *([_deadline_line(wf, d) for d in running] or ["  " + tr("(none)")])]
    in_force = _in_force(report, run)
    rights = [tr("Entitlements in force")]
    rights += _wrap(", ".join(e.label for e in in_force), 2, 2) if in_force else ["  " + tr("(none)")]
    warnings = list(dict.fromkeys([*report.warnings, *(w for d in running for w in d.warnings)]))
    said = [tr("Warnings"), *[line for w in warnings for line in _wrap("! " + w, 2, 2)]] if warnings else []
    return "\n".join(_fit([top, stands, deadlines, rights, said]))


def why_screen(wf: CompiledWorkflow, start: Run, steps: list[WalkStep], number: int) -> str:
    """On `?`: after step `number`, what could come next and what cannot happen now, and why."""
    tr = translator(wf.lang)
    spec = wf.spec
    run = steps[number - 1].after if number else start
    events = start.scenario.events
    first = events[0].moment if events else None
    at = now_of(run)
    top = _rule(tr("After step {number}: what could come next, and what cannot happen now", number=number))
    if ended(wf, run) or run.error is not None:
        return "\n".join([*top, tr("The case has ended: nothing can follow.")])
    found = options(wf, run, at if run.previous is not None else first)
    coming = [tr("Could come next")]
    for name, condition in found.possible:
        text = spec.events[name].label + (" " + tr("(if {condition})", condition=condition) if condition else "")
        coming += _wrap(f"- {text}", 2, 2)
    cannot = render_impossible(wf, run, found, first, compact=True)
    return "\n".join(_fit([top, coming, cannot]))


def screen(wf: CompiledWorkflow, sim: Simulator, start: Run, steps: list[WalkStep], index: int) -> str:
    """Screen `index`: step `index` (counting from 1), or the end when `index` is past the last step."""
    if 1 <= index <= len(steps):
        return step_screen(wf, start, steps, index)
    return end_screen(wf, sim, start, steps)


NEXT = ("", "n", "right", "enter", "down")
BACK = ("b", "left", "up")
QUIT = ("q", "escape")


def walk_scenario(
    scenario: Scenario,
    wf: CompiledWorkflow,
    ask: Ask,
    say: Say,
    *,
    wait: bool = True,
    as_of: date | None = None,
    clear: Callable[[], None] | None = None,
    on: Moment | None = None,
) -> int:
    """Show a scenario step by step, one screen per step. With `wait` False every screen is printed,
    one after the other (a handout). `ask` returns a line or, on a terminal, one key ("right",
    "left", "enter", a character); `clear` (terminals only) wipes the screen before each one.

    With `on` (a moment at or after the last event) a last step lets the clock run on to it: the
    end screen shows the case as it stands on that day (`simulate --on`)."""
    tr = translator(wf.lang)
    help_step = tr("Enter/space/→: next   b/←: back   ?: what cannot happen now   q: quit > ")
    help_end = tr("End. b/←: back   q or Enter: quit > ")
    sim = Simulator(wf)
    try:
        start = sim.begin(scenario, as_of)
        steps = plan(sim, start, on)
        last = len(steps) + 1  # the end screen
        if not wait:
            for index in range(1, last + 1):
                say(screen(wf, sim, start, steps, index) + "\n")
            return 0
        index = 1
        text = screen(wf, sim, start, steps, index)
        note = ""
        while True:
            if clear is not None:
                clear()
            say(text + ("\n" + note if note else ""))
            note = ""
            answer = ask(help_end if index == last else help_step)
            if answer is None:
                return 0
            answer = answer.strip().lower() if len(answer) != 1 else answer.lower().strip()
            if answer in QUIT or (answer in NEXT and index == last):
                return 0
            if answer in BACK:
                if index == 1:
                    note = tr("(this is the first step)")
                index = max(1, index - 1)
                text = screen(wf, sim, start, steps, index)
            elif answer in NEXT:
                index += 1
                text = screen(wf, sim, start, steps, index)
            elif answer == "?":
                if index < last:
                    text = why_screen(wf, start, steps, index)
            else:
                note = tr("({answer}: press Enter for the next step, b to go back, q to quit)", answer=repr(answer))
    finally:
        sim.close()


# ====================================================================== a free walk


class _Quit(Exception):
    """End of input, or the trainer asked to quit."""


YES = ("y", "yes", "true", "j", "ja")
"""Answers that mean yes, in every language casepath speaks (the commands stay the same letters)."""
NO = ("n", "no", "false", "nej")


def parse_value(spec: FieldSpec, text: str, lang: str = "en") -> Any:
    """A field value typed by the trainer, as it would be written in a scenario file.

    A choice may be given by its number in the list shown or by its name; raises ValueError
    with a message a trainer understands (in `lang`)."""
    tr = translator(lang)
    text = text.strip()
    values = spec.values or []
    if spec.type == "choice":
        return _choice(values, text, lang)
    if spec.type == "choices":
        return [_choice(values, part, lang) for part in re.split(r"[,\s]+", text) if part]
    if spec.type == "bool":
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise ValueError(tr("{text}: answer y or n", text=repr(text)))
    if spec.type == "integer":
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError(tr("{text} is not a whole number", text=repr(text)))
        number = int(text)
        if spec.minimum is not None and number < spec.minimum:
            raise ValueError(
                tr("{number} is less than the smallest allowed, {limit}", number=number, limit=spec.minimum)
            )
        if spec.maximum is not None and number > spec.maximum:
            raise ValueError(
                tr("{number} is more than the largest allowed, {limit}", number=number, limit=spec.maximum)
            )
        return number
    if spec.type == "date":
        try:
            return read_date(text)
        except ValueError:
            raise ValueError(tr("{text} is not a date (write it as YYYY-MM-DD)", text=repr(text))) from None
    if spec.type == "country":
        if not re.fullmatch(r"[A-Za-z]{2}", text):
            raise ValueError(tr("{text} is not a two-letter country code (e.g. NG)", text=repr(text)))
        return text.upper()
    if len(text) > 200:
        raise ValueError(tr("at most 200 characters"))
    return text


def _choice(values: list[str], text: str, lang: str) -> str:
    if text.isdigit() and 1 <= int(text) <= len(values):
        return values[int(text) - 1]
    if text in values:
        return text
    raise ValueError(
        translator(lang)(
            "{text}: give a number from 1 to {count} or one of the names", text=repr(text), count=len(values)
        )
    )


def _field_prompt(name: str, spec: FieldSpec, lang: str = "en") -> tuple[list[str], str]:
    """The lines listing a field's choices, and its prompt."""
    tr = translator(lang)
    title = spec.label or name
    lines: list[str] = []
    hint = {
        "bool": tr("y/n"),
        "integer": tr("a whole number of {unit}", unit=spec.unit) if spec.unit else tr("a whole number"),
        "date": "YYYY-MM-DD",
        "country": tr("two-letter country code"),
        "text": tr("text"),
        "choice": f"1-{len(spec.values or [])}",
        "choices": tr("numbers separated by commas"),
    }[spec.type]
    if spec.type in ("choice", "choices"):
        lines = [f"{title}:", *(f"  {i:>2}  {spec.value_label(v)}" for i, v in enumerate(spec.values or [], 1))]
        title = tr("Choose")
    skip = "" if spec.required else tr(", Enter: leave out")
    return lines, f"{title} ({hint}{skip}) > "


class FreeWalk:
    """A case built event by event by the trainer; every accepted event is kept with the run after it."""

    def __init__(
        self, wf: CompiledWorkflow, workflow_ref: str, person: dict[str, Any], case_ref: str | None = None
    ) -> None:
        self.wf = wf
        self.workflow_ref = workflow_ref
        self.person = person
        self.case_ref = case_ref
        self.sim = Simulator(wf)
        self.scenario = self._scenario([])
        self.runs: list[Run] = [self.sim.begin(self.scenario)]
        self.events: list[dict[str, Any]] = []
        self.saved = 0
        """How many events the last save held (to warn before quitting with unsaved events)."""

    @property
    def run(self) -> Run:
        return self.runs[-1]

    def _scenario(self, events: list[dict[str, Any]], title: str = "walk") -> Scenario:
        data = {"casepath": 1, "title": title, **self._ref(), "workflow": self.workflow_ref, "person": self.person}
        return from_dict({**data, "events": events}, self.wf, name="casepath walk")

    def _ref(self) -> dict[str, str]:
        return {"case_ref": self.case_ref} if self.case_ref is not None else {}

    def try_event(self, raw: dict[str, Any]) -> tuple[list[EventEntry], ErrorEntry | None]:
        """Apply one event (a scenario file's entry). Kept if accepted; a refusal changes nothing."""
        event = self._scenario([raw]).events[0]
        trial = self.run.copy()
        accepted = self.sim.advance(trial, event)
        entries = wording.entries(trial.journal[len(self.run.journal) :], self.sim.words)
        if not accepted:
            return entries, wording.error(trial.error, self.sim.words)
        self.runs.append(trial)
        self.events.append(raw)
        return entries, None

    def set_person(self, person: dict[str, Any]) -> None:
        """Change the person before the first event (a field asked once the first date is known)."""
        assert not self.events
        self.person = person
        self.scenario = self._scenario([])
        self.runs = [self.sim.begin(self.scenario)]

    def undo(self) -> bool:
        if len(self.runs) == 1:
            return False
        self.runs.pop()
        self.events.pop()
        return True

    def report(self) -> Report:
        return self.sim.report(self.run)

    def scenario_text(self, title: str) -> str:
        """The events so far as a scenario file, with an `expect:` block from what the walk showed."""
        report = self.report()
        expect: dict[str, Any] = {"outcome": report.outcome}
        last = {d.id: d.due for d in report.deadlines}
        if last:
            expect["deadlines"] = last
        if report.entitlements:
            expect["entitlements"] = sorted({e.id for e in report.entitlements})
        order = ["alias", "born", "age", *self.wf.spec.person.fields]
        person = {k: self.person[k] for k in order if k in self.person}
        head = {"casepath": 1, "title": title, **self._ref(), "workflow": self.workflow_ref, "person": person}
        lines = [
            "# Built with `casepath walk --free`. `casepath test` checks the expect: block.",
            yaml.safe_dump(head, sort_keys=False, allow_unicode=True, width=100).rstrip(),
            "events:",
        ]
        for raw in self.events:
            flow = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True, default_flow_style=True, width=1000)
            lines.append(f"  - {flow.strip()}")
        lines.append(yaml.safe_dump({"expect": expect}, sort_keys=False, allow_unicode=True, width=100).rstrip())
        return "\n".join(lines) + "\n"


def _ask(ask: Ask, prompt: str) -> str:
    answer = ask(prompt)
    if answer is None:
        raise _Quit
    return answer.strip()


def ask_field(ask: Ask, say: Say, name: str, spec: FieldSpec, lang: str = "en") -> Any:
    """Ask for one field until the answer is valid; None when an optional field is left out."""
    lines, prompt = _field_prompt(name, spec, lang)
    if lines:
        say("\n".join(lines))
    while True:
        text = _ask(ask, prompt)
        if not text:
            if not spec.required:
                return [] if spec.type == "choices" else None
            say("  " + translator(lang)("(this field is needed)"))
            continue
        try:
            return parse_value(spec, text, lang)
        except ValueError as err:
            say(f"  {err}")


def ask_person(wf: CompiledWorkflow, ask: Ask, say: Say, given: dict[str, Any]) -> dict[str, Any]:
    """The person of a free walk: the fields not given as options are asked for, in the workflow's order."""
    person = dict(given)
    tr = translator(wf.lang)
    if "alias" not in person:
        alias = _ask(ask, tr("Alias (a pseudonym, never a real name) [A] > ")) or "A"
        person["alias"] = alias[:40]
    if "born" not in person and "age" not in person:
        while True:
            text = _ask(ask, tr("Date of birth (YYYY-MM-DD) or age in years (Enter: not known) > "))
            if not text:
                break
            if text.isdigit() and int(text) <= 120:
                person["age"] = int(text)
                break
            try:
                person["born"] = read_date(text)
                break
            except ValueError:
                say("  " + tr("{text} is neither a date (YYYY-MM-DD) nor an age", text=repr(text)))
    for name, spec in wf.spec.person.fields.items():
        if name in person or applies(spec, person) is not True:
            continue  # not for this person, or asked with the first event's date (see `_ask_event`)
        value = ask_field(ask, say, name, spec, wf.lang)
        if value is not None and value != []:
            person[name] = value
    return person


def applies(spec: FieldSpec, person: dict[str, Any], on: date | None = None) -> bool | None:
    """Whether a person field means something for this person: one meaningful only below an age
    (unaccompanied) is not asked of someone that old. With a date of birth the answer depends on
    the first event's date: None until `on` gives it."""
    limit = spec.only_below_age
    if limit is None:
        return True
    age = person.get("age")
    if isinstance(age, int):
        return age < limit
    born = person.get("born")
    if isinstance(born, date):
        if on is None:
            return None
        return (on.year - born.year - ((on.month, on.day) < (born.month, born.day))) < limit
    return True  # age not known: it may be a child


def _moment(wf: CompiledWorkflow, text: str) -> Moment:
    doc = yamlfile.Document(data=None, file="date")
    try:
        return parse_moment(text, wf, doc, ())
    except InputProblem as problem:
        raise ValueError(problem.message) from None


def walk_free(
    wf: CompiledWorkflow,
    workflow_ref: str,
    ask: Ask,
    say: Say,
    write: Write,
    given: dict[str, Any],
    case_ref: str | None = None,
) -> int:
    """Build a case event by event, as the trainer picks them. Ends on q or at the end of input.

    `case_ref` (`--case-ref`) is written into the saved scenario file."""
    try:
        person = ask_person(wf, ask, say, given)
    except _Quit:
        say("")
        return 0
    try:
        free = FreeWalk(wf, workflow_ref, person, case_ref)
    except InputProblem as problem:
        say(f"casepath: {problem.message}")
        return 2
    spec = wf.spec
    tr = translator(wf.lang)
    show_state = True
    try:
        while True:
            at = now_of(free.run)
            if show_state:
                say("")
                say("\n".join(render_case(wf, free.sim, free.run, at, coming=False)))
            show_state = True
            found = Options() if ended(wf, free.run) else options(wf, free.run, at)
            say("")
            so_far = tr("Events so far: {count}", count=len(free.events))
            say(so_far + ("   " + tr("The case has ended.") if ended(wf, free.run) else ""))
            for number, (name, condition) in enumerate(found.possible, 1):
                text = f"{number:>3}  {spec.events[name].label}"
                if condition:
                    text += " - " + tr("if {condition}", condition=condition)
                say("\n".join(_wrap(text, 0, 7)))
            answer = _ask(
                ask, tr("Next event (number or name)   ?: why not the others   b: undo   s FILE: save   q: quit > ")
            )
            word, _, rest = answer.partition(" ")
            show_state = False
            if answer == "q":
                unsaved = len(free.events) - free.saved
                if (
                    unsaved
                    and _ask(ask, tr("{count} event(s) not saved. Quit anyway? [y/N] > ", count=unsaved)).lower()
                    not in YES
                ):
                    continue
                return 0
            if answer == "?":
                say("\n".join(render_impossible(wf, free.run, found, at)[1:] or [tr("(every event is possible now)")]))
                continue
            if answer == "b":
                undone = free.undo()
                say(tr("Undone: the last event.") if undone else tr("(nothing to undo)"))
                show_state = undone
                continue
            if word == "s":
                _save(free, ask, say, write, rest.strip())
                continue
            if not answer:
                continue
            possible = found.possible
            name = possible[int(answer) - 1][0] if answer.isdigit() and 0 < int(answer) <= len(possible) else answer
            if name not in spec.events or spec.events[name].automatic:
                say("  " + tr("{answer}: give the number of an event above, or an event's name", answer=repr(answer)))
                continue
            if len(free.events) >= MAX_EVENTS:
                say(
                    "  "
                    + tr("The case has {count} events, the most a scenario holds: save it or quit.", count=MAX_EVENTS)
                )
                continue
            raw = _ask_event(wf, free, ask, say, name)
            entries, error = free.try_event(raw)
            say("")
            if error is not None:
                say("\n".join(render_entries(wf, entries)))  # automatic steps before it, if any (not kept)
                say(
                    "\n".join(
                        _wrap(
                            tr("REFUSED ({code}): {message}", code=_code(wf, error.code), message=error.message), 0, 2
                        )
                    )
                )
                say(tr("The event is not kept; pick again."))
            else:
                say(tr("Done:"))
                say("\n".join(render_entries(wf, entries)))
                show_state = True
    except _Quit:
        say("")
        return 0


def _ask_event(wf: CompiledWorkflow, free: FreeWalk, ask: Ask, say: Say, name: str) -> dict[str, Any]:
    """The date and fields of one event, as a scenario file's entry."""
    previous = free.events[-1]["date"] if free.events else None
    last = free.run.previous.moment if free.run.previous is not None else None
    tr = translator(wf.lang)
    while True:
        default = f" [{previous}]" if previous else ""
        text = _ask(ask, tr("Date (YYYY-MM-DD, or YYYY-MM-DDTHH:MM for a time)") + f"{default} > ") or (previous or "")
        if not text:
            continue
        try:
            moment = _moment(wf, text)
        except ValueError as err:
            say(f"  {err}")
            continue
        if last is not None and moment.is_before(last):
            say(
                "  "
                + tr(
                    "{date} is before the previous event ({before}); events go in date order",
                    date=moment.iso(),
                    before=last.iso(),
                )
            )
            continue
        break
    if not free.events:
        _ask_person_on(wf, free, ask, say, moment.day)
    raw: dict[str, Any] = {"date": moment.day if moment.at is None else text, "event": name}
    for field_name, spec in wf.spec.events[name].fields.items():
        value = ask_field(ask, say, field_name, spec, wf.lang)
        if value is not None and value != []:
            raw[field_name] = value
    return raw


def _ask_person_on(wf: CompiledWorkflow, free: FreeWalk, ask: Ask, say: Say, day: date) -> None:
    """The person fields that depend on the age on the first event's date, asked once it is known."""
    person = dict(free.person)
    for name, spec in wf.spec.person.fields.items():
        if name not in person and applies(spec, person) is None and applies(spec, person, day):
            value = ask_field(ask, say, name, spec, wf.lang)
            if value is not None and value != []:
                person[name] = value
    if person != free.person:
        free.set_person(person)


def _save(free: FreeWalk, ask: Ask, say: Say, write: Write, target: str) -> None:
    tr = translator(free.wf.lang)
    if not target:
        say("  " + tr("give a file name: s FILE"))
        return
    path = Path(target)
    force = False
    if path.exists():
        if _ask(ask, tr("{path} exists. Replace it? [y/N] > ", path=path)).lower() not in YES:
            say("  " + tr("not saved"))
            return
        force = True
    default = tr("Case built with casepath walk")
    title = _ask(ask, tr("Title [{default}] > ", default=default)) or default
    try:
        write(path, free.scenario_text(title), force)
    except InputProblem as problem:
        say("  " + tr("not saved: {problem}", problem=problem))
        return
    free.saved = len(free.events)
    say(tr("Saved {count} event(s) to {path}", count=len(free.events), path=path))


def person_options(wf: CompiledWorkflow, pairs: list[str]) -> dict[str, Any]:
    """`--person FIELD=VALUE` options, checked against the workflow's person fields."""
    fields = wf.spec.person.fields
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip()
        if not sep or name not in fields:
            known = ", ".join(fields) or "none"
            raise InputProblem(f"--person {pair!r}: write FIELD=VALUE, FIELD one of: {known}")
        try:
            out[name] = parse_value(fields[name], text)
        except ValueError as err:
            choices = f" (one of: {', '.join(fields[name].values or [])})" if fields[name].values else ""
            raise InputProblem(f"--person {name}: {err}{choices}") from None
    return out


def _code(wf: CompiledWorkflow, code: str) -> str:
    """A broken rule's code: as it is in English (the id a scenario writer looks up), else in words."""
    return code if wf.lang == "en" else error_name(code, wf.spec, wf.lang)
