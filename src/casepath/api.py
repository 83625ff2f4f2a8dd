"""The Python API: load a workflow once, simulate many scenarios, get typed reports.

    >>> import casepath
    >>> workflow = casepath.load_workflow("denmark")
    >>> report = casepath.simulate_file("examples/dis-undocumented-prepared-return.yaml")
    >>> report.outcome
    'prepared_return'

Scenarios can also be built in code with `scenario_from_dict` (checked exactly like a file).
Problems with the input raise `InputProblem`; a scenario that breaks a rule is not an
exception: its report carries `error`.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from casepath import clock
from casepath import scenario as scenario_module
from casepath.clock import Moment
from casepath.problems import InputProblem
from casepath.report import Report
from casepath.scenario import Scenario
from casepath.simulator import Simulator
from casepath.workflow import load as workflow_load
from casepath.workflow.compiled import CompiledWorkflow

_simulators: dict[int, tuple[CompiledWorkflow, Simulator]] = {}


def load_workflow(ref: str | Path = workflow_load.DEFAULT, lang: str = "en") -> CompiledWorkflow:
    """A shipped workflow by name ("denmark") or a workflow file by path, checked and compiled.

    `lang="da"` gives its texts in Danish, from the translation file beside it (`denmark.da.yaml`)."""
    return workflow_load.load(ref, lang)


def in_language(workflow: CompiledWorkflow, lang: str) -> CompiledWorkflow:
    """The same workflow with its texts (and the reports made with it) in `lang`.

    Cases run the same whatever the language: this is the one compiled workflow with other
    texts (`CompiledWorkflow.in_language`), never a second one."""
    if workflow.lang == lang:
        return workflow
    if lang == "en":
        return workflow.base
    return workflow_load.load(Path(workflow.base.file), lang)


def load_scenario(path: str | Path, workflow: str | None = None) -> Scenario:
    """Read and check a scenario file."""
    return scenario_module.load(path, workflow)[0]


def scenario_from_dict(data: dict[str, Any], workflow: CompiledWorkflow | None = None) -> Scenario:
    """Check a scenario given as data (the same format as a file)."""
    return scenario_module.from_dict(data, workflow)


def simulator_for(workflow: CompiledWorkflow) -> Simulator:
    """The (reused) simulator of a workflow, in whatever language. Not for use from several threads at once.

    Its reports are in the workflow's own language; `Simulator.report(run, words=...)` words a
    run in another."""
    base = workflow.base
    cached = _simulators.get(id(base))
    if cached is None or cached[0] is not base:
        cached = (base, Simulator(base))
        _simulators[id(base)] = cached
    return cached[1]


def simulate(
    scenario: Scenario,
    workflow: CompiledWorkflow | None = None,
    *,
    as_of: date | None = None,
    variants: tuple[str, ...] = (),
    on: date | datetime | None = None,
    steps: bool = False,
) -> Report:
    """Run one scenario.

    `steps` keeps the case as it stood after each event in the report (`Report.steps`), for the
    HTML step-through.

    `as_of` applies the rules in force on that date to every event (which rules). `on` is the
    day (or moment) the case is looked at: the time-driven steps due until then are taken and
    every deadline's status is judged then; without it, on the last event. A date means the
    start of that day; `on` before the last event is an `InputProblem`."""
    compiled = workflow or load_workflow(scenario.workflow)
    looked_at = None if on is None else looking_at(on, scenario, compiled)
    return simulator_for(compiled).run(
        scenario, as_of=as_of, variants=variants, on=looked_at, keep_steps=steps, words=compiled
    )


def looking_at(on: date | datetime, scenario: Scenario, workflow: CompiledWorkflow) -> Moment:
    """`on` as a moment in the workflow's time zone, checked against the scenario's last event."""
    if isinstance(on, datetime):
        at = clock.local(on, workflow.zone)
        moment = Moment(at.date(), at)
    else:
        moment = Moment(on)
    if scenario.events and moment.is_before(scenario.events[-1].moment):
        last = scenario.events[-1].moment
        raise InputProblem(
            f"--on {moment.iso()} is before the scenario's last event ({last.iso()}): a case can be looked at "
            "on the day of its last event or later",
            file=scenario.file,
        )
    return moment


def simulate_file(
    path: str | Path,
    *,
    as_of: date | None = None,
    workflow: str | None = None,
    variants: tuple[str, ...] = (),
    on: date | datetime | None = None,
) -> Report:
    """Read, check and run a scenario file."""
    scenario, compiled = scenario_module.load(path, workflow)
    return simulate(scenario, compiled, as_of=as_of, variants=variants, on=on)
