"""The case as it stood after each step, for the HTML report's step-through.

The steps are taken by the simulator during the very run that made the report
(`api.simulate(..., steps=True)`, `Simulator.run(keep_steps=True)`): after each event it keeps
its own report of the case as it stood then. Nothing is re-read or re-run, so the steps always
agree with the report and exist for every report made that way — from `simulate`, `timeline`,
or any caller of the API. A report made without them has no step-through.

The time-driven steps the simulator takes before an event (a period running out) belong to
that event's step: they are listed as "before this event, automatically" (`walk` shows each
moment of them as a step of its own: `Snapshot.clock`). An event that breaks a rule gets a last
step saying so; with `--on`, the clock run on to that day is a last step of its own when
something happened on the way, else the last event's step is shown as it stands on that day.
"""

from __future__ import annotations

from dataclasses import replace

from casepath.report import Report, Snapshot

__all__ = ["Snapshot", "take"]


def take(report: Report) -> list[Snapshot]:
    """The steps of the step-through (empty when the report was made without them)."""
    steps = list(report.steps or [])
    if len(steps) > 1 and steps[-1].automatic and not steps[-1].entries:
        looked = steps.pop()  # on to `--on` with nothing on the way: the last event's step, judged that day
        steps[-1] = replace(steps[-1], made=looked.report)
    return steps
