"""The case as it stood after each event, for the HTML report's step-through.

A report holds only the end of a case, so the snapshots come from simulating again: the
scenario is read back from the report's file and stepped through the same workflow, with
the same rules date and variants, one event at a time (`Simulator.begin` + `advance`),
taking the simulator's own report after each event. Nothing is inferred from dates, so a
snapshot says exactly what casepath would report if the scenario had stopped there.

The time-driven steps the simulator takes before an event (a period running out) belong to
that event's snapshot: they are listed as "before this event, automatically". An event
that breaks a rule gets a last snapshot saying so.

If the scenario file is gone, or running it again does not give the very report being
rendered (the file changed in between), there are no snapshots: a step-through that
might disagree with the report is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from casepath import yamlfile
from casepath.problems import InputProblem
from casepath.report import EventEntry, Report
from casepath.scenario import from_dict
from casepath.simulator import Simulator
from casepath.workflow.compiled import CompiledWorkflow


@dataclass
class Snapshot:
    """One step: the event (and the automatic steps before it), and the case right after it."""

    number: int
    report: Report
    entries: list[EventEntry]
    """The report entries this step added: automatic steps first, then the event itself."""
    applying: list[tuple[str, str]]
    """The entitlement periods open right after this step: (id, first day)."""
    refused: bool = False


def take(report: Report, workflow: CompiledWorkflow) -> list[Snapshot]:
    """The snapshots of a report's scenario, one per event applied (empty if they cannot be made exactly)."""
    if not report.file:
        return []
    try:
        document = yamlfile.load(report.file)
        if not isinstance(document.data, dict):
            return []
        scenario = from_dict(document.data, workflow, name=document.file)
    except InputProblem:
        return []
    as_of = date.fromisoformat(report.rules_as_of) if report.rules_as_of else None
    simulator = Simulator(workflow)
    try:
        run = simulator.begin(scenario, as_of, tuple(report.variants))
        snapshots: list[Snapshot] = []
        seen = 0
        for event in scenario.events:
            applied = simulator.advance(run, event)
            after = simulator.report(run)
            snapshots.append(
                Snapshot(
                    number=len(snapshots) + 1,
                    report=after,
                    entries=list(after.events[seen:]),
                    applying=[(p.id, p.start.isoformat()) for p in run.case.open_entitlements.values()],
                    refused=not applied,
                )
            )
            seen = len(after.events)
            if not applied:
                break
        final = simulator.report(run)
    finally:
        simulator.close()
    if final.as_json_data() != report.as_json_data():
        return []
    return snapshots
