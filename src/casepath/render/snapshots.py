"""The case as it stood after each step, for the HTML report's step-through.

The steps are taken by the simulator during the very run that made the report
(`api.simulate(..., steps=True)`, `Simulator.run(keep_steps=True)`): after each event it keeps
its own report of the case as it stood then. Nothing is re-read or re-run, so the steps always
agree with the report and exist for every report made that way — from `simulate`, `timeline`,
or any caller of the API. A report made without them has no step-through.

The time-driven steps the simulator takes before an event (a period running out) belong to
that event's step: they are listed as "before this event, automatically". An event that
breaks a rule gets a last step saying so; with `--on`, the clock run on to that day is a last
step of its own.
"""

from __future__ import annotations

from casepath.report import Report, Snapshot

__all__ = ["Snapshot", "take"]


def take(report: Report) -> list[Snapshot]:
    """The steps a report carries (empty when it was made without them)."""
    return list(report.steps or [])
