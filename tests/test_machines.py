"""The `transitions` machines stay the case's state machine: after every step the model of each
track is in the state the case records, however runs of different scenarios interleave on one
simulator (it reuses its machines and skips moves that change nothing)."""

from __future__ import annotations

from pathlib import Path

import casepath
from casepath.simulator import Run, Simulator

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
WORKFLOW = casepath.load_workflow("denmark")


def _in_step(simulator: Simulator, run: Run) -> None:
    for track, state in run.case.states.items():
        assert simulator.models[track].state == state, (run.scenario.title, track)
        # and the machine itself agrees: transitions' own view of the model
        assert simulator.wf.machines[track].get_model_state(simulator.models[track]).name == state


def test_every_track_is_in_the_cases_state_after_every_event() -> None:
    simulator = Simulator(WORKFLOW)
    try:
        scenarios = [casepath.load_scenario(path) for path in EXAMPLES]
        assert len(scenarios) >= 10
        for scenario in scenarios:
            run = simulator.begin(scenario)
            for event in scenario.events:
                simulator.advance(run, event)
                if run.error is None:
                    _in_step(simulator, run)
    finally:
        simulator.close()


def test_interleaved_runs_each_find_their_own_states() -> None:
    # Two cases stepped alternately on one simulator: each step starts from its own case's states.
    simulator = Simulator(WORKFLOW)
    try:
        first, second = (casepath.load_scenario(EXAMPLES[k]) for k in (0, -1))
        runs = [simulator.begin(first), simulator.begin(second)]
        alone = [casepath.simulate(first, WORKFLOW), casepath.simulate(second, WORKFLOW)]
        for k in range(max(len(first.events), len(second.events))):
            for run in runs:
                if k < len(run.scenario.events) and simulator.advance(run, run.scenario.events[k]):
                    _in_step(simulator, run)
        for run, report in zip(runs, alone, strict=True):
            assert run.case.states == report.states
    finally:
        simulator.close()
