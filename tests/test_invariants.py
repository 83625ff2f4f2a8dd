"""`invariants.Screen`: the quick look at a case that spares `casepath explore` a report per situation
never lets a broken run pass.

Each workflow below is the Danish one broken on purpose so that one invariant fails on some runs. The
runs are the paths a depth-3 exploration of the sound workflow checked, replayed under the broken
workflow (and then left to wait for their next two deadlines): every run whose report breaks an
invariant must be one the screen lets through, and some runs must break, or the test proves nothing.
"""

from __future__ import annotations

import copy
import gc
from pathlib import Path
from typing import Any

import pytest
import yaml

import casepath
from casepath import invariants, yamlfile
from casepath.explore import Exploration, explore
from casepath.simulator import Run, Simulator

DENMARK = Path(__file__).resolve().parents[1] / "workflows" / "denmark.yaml"


def _tight_limit(data: dict[str, Any]) -> None:
    # The departure deadline may never pass the first 30 days: a granted extension breaks it.
    data["limits"] = {"departure_deadline": "reflection_end"}


def _support_without_end(data: dict[str, Any]) -> None:
    # Reintegration support is no longer bounded by its deadline: after a return it stays open.
    del data["entitlements"]["reintegration_support"]["ends_with_deadline"]


def _victim_only_detention(data: dict[str, Any]) -> None:
    # Detention made a victim-only step: it is still accepted after a negative identification (the
    # detention track does not look at the pathway).
    data["events"]["detained"]["victim_only"] = True


def _in_memory(state: str, **change: Any):
    """A change the workflow check refuses in a file (a state no transition leaves, an outcome the
    workflow does not list), made to the loaded workflow instead: these invariants hold by the check,
    and the explorer checks them again on every run."""

    def apply(wf: Any) -> None:
        states = wf.spec.tracks[wf.main_track].states
        states[state] = states[state].model_copy(update=change)

    return apply


BROKEN = {
    "deadline beyond its limit": (_tight_limit, None, "is later than reflection_end"),
    "entitlement open after the case ended": (_support_without_end, None, "stays open after the case ended"),
    "victim-only step after a negative outcome": (_victim_only_detention, None, "victim-only step detained"),
    "a state no event leaves": (
        None,
        _in_memory("not_identified", final=False, outcome=None),
        "the case is stuck in pathway.not_identified",
    ),
    "an outcome the workflow does not list": (None, _in_memory("departed", outcome="vanished"), "unknown outcome"),
}


def _broken(tmp_path: Path, name: str) -> Any:
    in_file, in_memory, _ = BROKEN[name]
    data = copy.deepcopy(yamlfile.load(DENMARK).data)
    if in_file:
        in_file(data)
    path = tmp_path / "broken.yaml"  # a file of its own: the loaded workflow is not the shared one
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    wf = casepath.load_workflow(path)
    if in_memory:
        in_memory(wf)
    return wf


@pytest.fixture(scope="module")
def sound() -> Exploration:
    return explore(casepath.load_workflow("denmark"), depth=3)


def _runs(wf: Any, result: Exploration):
    """Every prefix of every explored path, run under `wf`, then the clock run on twice."""
    simulator = Simulator(wf)
    for path in result.paths:
        run = simulator.begin(path.start)
        for event in path.events:
            if not simulator.advance(run, event):
                break
            yield simulator, run
        else:
            for _ in range(2):
                waited = run.copy()
                if not simulator.wait(waited):
                    break
                yield simulator, waited
                run = waited


@pytest.mark.parametrize("name", list(BROKEN))
def test_the_screen_lets_every_broken_run_through(name: str, sound: Exploration, tmp_path: Path):
    wf, says = _broken(tmp_path, name), BROKEN[name][2]
    screen = invariants.Screen(wf)
    broken = 0
    for simulator, run in _runs(wf, sound):
        problems = invariants.violations(simulator.report(run), wf)
        if problems:
            broken += 1
            let_through = screen.might_break(run.case)
            assert let_through, f"{problems} after {[r.event for r in run.journal]}"
            assert any(says in problem for problem in problems), problems
    assert broken > 0, "no run broke the invariant: the test proves nothing"


@pytest.mark.parametrize("name", list(BROKEN))
def test_explore_finds_each_broken_invariant(name: str, tmp_path: Path):
    result, says = explore(_broken(tmp_path, name), depth=3), BROKEN[name][2]
    assert result.finding is not None
    assert any(says in problem for problem in result.finding.problems), result.finding.problems


def test_the_screen_passes_the_sound_workflow_almost_everywhere(sound: Exploration):
    # Were it to let most runs through, explore would make a report for each again: the time and the
    # memory it exists to save. On the sound workflow no invariant breaks, so few should be let through.
    wf = casepath.load_workflow("denmark")
    screen = invariants.Screen(wf)
    runs = [run for _, run in _runs(wf, sound)]
    through = sum(1 for run in runs if screen.might_break(run.case))
    assert len(runs) > 1000
    assert through < len(runs) / 20, (through, len(runs))


def test_a_deadline_or_entitlement_without_a_source_is_let_through():
    # Workflow files cannot leave a rule unsourced (load refuses them), so the case is changed by hand.
    wf = casepath.load_workflow("denmark")
    simulator = Simulator(wf)
    scenario = casepath.load_scenario(DENMARK.parents[1] / "examples" / "dis-undocumented-prepared-return.yaml")
    run = simulator.begin(scenario)
    for event in scenario.events:
        assert simulator.advance(run, event)
    screen = invariants.Screen(wf)
    assert not screen.might_break(run.case)
    assert run.case.deadlines and (run.case.open_entitlements or run.case.closed_entitlements)
    unsourced = _copy_with(run, lambda case: setattr(case.deadlines[0], "sources", []))
    assert screen.might_break(unsourced.case)
    assert any("has no source" in p for p in invariants.violations(simulator.report(unsourced), wf))
    period = next(iter(run.case.open_entitlements.values()), None) or run.case.closed_entitlements[0]
    without = _copy_with(run, lambda case: setattr(_same_period(case, period), "sources", ()))
    assert screen.might_break(without.case)
    assert any("has no source" in p for p in invariants.violations(simulator.report(without), wf))


def _copy_with(run: Run, change) -> Run:
    branch = run.copy()
    change(branch.case)
    return branch


def _same_period(case: Any, period: Any) -> Any:
    found = case.open_entitlements.get(period.id)
    return found if found is not None else next(p for p in case.closed_entitlements if p.start == period.start)


def test_the_search_leaves_no_cyclic_garbage():
    # explore turns the cyclic collector off while it searches: that is only free if the search makes
    # no reference cycles (it would hold their memory until the end). A collection right after finds none.
    wf = casepath.load_workflow("denmark")
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        explore(wf, depth=2)
        assert not gc.isenabled()  # explore restores the collector as it found it
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()
    assert gc.isenabled() == enabled
