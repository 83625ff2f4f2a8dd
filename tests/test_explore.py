"""`casepath explore`: the whole Danish workflow is walked and found sound, and a broken one is caught.

The depth-5 exploration is run once for the module and shared by its tests (about 10 seconds): it is the depth at
which every state and every transition of workflows/denmark.yaml is reached.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Hashable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

import casepath
from casepath import cli, yamlfile
from casepath.explore import Exploration, _Plan, explore, rule_eras, static_problems

DENMARK = Path(__file__).resolve().parents[1] / "workflows" / "denmark.yaml"
FULL_DEPTH = 5


@pytest.fixture(scope="module")
def denmark() -> Any:
    return casepath.load_workflow("denmark")


@pytest.fixture(scope="module")
def full(denmark: Any) -> Exploration:
    return explore(denmark, depth=FULL_DEPTH)


def test_every_state_and_transition_is_reached(full: Exploration):
    assert not full.stopped_early
    assert full.states_all - full.states_reached == set()
    assert len(full.states_all) == sum(len(t["states"]) for t in _data()["tracks"].values())
    assert full.transitions_all == len(_data()["transitions"])
    assert set(range(full.transitions_all)) == full.transitions_reached


def test_no_invariant_breaks_and_no_static_problem(full: Exploration):
    assert full.finding is None, full.finding and full.finding.problems
    assert full.static_problems == []
    assert full.sound


def test_the_explorer_crosses_the_rule_changes(full: Exploration, denmark: Any):
    # Runs start on the eve and the day of every change of a rule the guards and deadlines read:
    # among them the 100-day maximum of 2007-08-01 and the 120 days of 2013-07-01 (domain.md §3).
    starts = set(_Plan(denmark).start_days)
    for day in ("2007-07-31", "2007-08-01", "2013-06-30", "2013-07-01"):
        assert date.fromisoformat(day) in starts


def test_the_ukraine_permit_is_open_only_from_the_special_act(denmark: Any):
    # The special act for persons displaced from Ukraine: passed 16 March 2022, in force 17 March 2022
    # (domain.md §7, althr-2022); the s. 9 c(5) permit for criminal proceedings with the 120-day act
    # (assumed 1 July 2013, like the 120 days).
    notes = rule_eras(denmark)
    assert any("residence_permit_granted" in n and "only from 2022-03-17" in n for n in notes), notes
    assert any("residence_permit_granted" in n and "only from 2013-07-01" in n for n in notes), notes


def _data() -> dict[str, Any]:
    return yamlfile.load(DENMARK).data


def _workflow_file(tmp_path: Path, change) -> Path:
    data = copy.deepcopy(_data())
    change(data)
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    return path


def test_a_broken_limit_gives_a_counterexample_that_reproduces(tmp_path, capsys):
    # Declare that the departure deadline may never pass the first 30 days: any granted extension
    # breaks it, and explore must say so with a scenario that shows it when simulated.
    def tighten(data: dict[str, Any]) -> None:
        data["limits"] = {"departure_deadline": "reflection_end"}

    path = _workflow_file(tmp_path, tighten)
    code = cli.main(["explore", "--workflow", str(path), "--depth", "3"])
    out = capsys.readouterr().out
    assert code == 1
    assert "COUNTEREXAMPLE" in out
    assert "departure_deadline" in out and "is later than reflection_end" in out
    scenario_text = out.split("after saving this as FILE:\n\n", 1)[1].split("\nStatic checks:", 1)[0]
    scenario_file = tmp_path / "counterexample.yaml"
    scenario_file.write_text(scenario_text.replace("workflow: denmark", f"workflow: {path}"), encoding="utf-8")
    report = casepath.simulate_file(scenario_file, workflow=str(path))
    departure = report.last_deadline("departure_deadline")
    first = report.last_deadline("reflection_end")
    assert departure is not None and first is not None
    assert departure.due > first.due


def test_a_shadowed_transition_is_found_statically(tmp_path):
    # Put an unconditional copy of the first conditional `identified` transition in front of it:
    # the original can then never be taken.
    def shadow(data: dict[str, Any]) -> None:
        transitions = data["transitions"]
        index = next(i for i, t in enumerate(transitions) if t["event"] == "identified" and t.get("when"))
        copy_of = {k: copy.deepcopy(v) for k, v in transitions[index].items() if k != "when"}
        copy_of["id"] = "unconditional_copy"
        transitions.insert(index, copy_of)

    workflow = casepath.load_workflow(_workflow_file(tmp_path, shadow))
    problems = static_problems(workflow)
    assert problems, "the shadowed transition was not found"
    assert all("can never be taken" in p for p in problems)
    assert any("identified in pathway" in p for p in problems), problems


# EU member states (ISO 3166-1 alpha-2), Denmark apart: written out by hand, not read from the workflow.
EU = {"AT", "BE", "BG", "HR", "CY", "CZ", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT"}
EU |= {"LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
NOT_FOR_A_CITIZEN = {"residence_permit_granted", "asylum_applied", "asylum_granted", "removed", "departed", "returned"}


def _a_teaching_case(data: dict) -> None:
    """A person who makes sense and a title that says what happens."""
    person, events = data["person"], {e["event"] for e in data["events"]}
    country = person.get("citizenship")
    if person["residence"] == "danish_citizen":
        assert country == "DK" and not events & NOT_FOR_A_CITIZEN, data
    elif person["residence"] == "eu_citizen":
        assert country in EU, data
    else:  # lawful residents, asylum seekers and undocumented persons: from outside the EU
        assert country not in EU | {"DK"}, data
    title = data["title"]
    assert not title.startswith("Explored path") and "_" not in title, title
    endings = {
        "prepared_return": "left Denmark under a prepared return",
        "departed": "left Denmark without a prepared return",
        "in_progress": "the case is still open",
    }
    if data["expect"]["outcome"] in endings and "error" not in data["expect"]:
        assert title.endswith(endings[data["expect"]["outcome"]]), title


def test_export_writes_scenarios_that_pass_casepath_test(tmp_path, capsys):
    folder = tmp_path / "paths"
    assert cli.main(["explore", "--depth", "2", "--export", str(folder)]) == 0
    out = capsys.readouterr().out
    files = sorted(folder.glob("*.yaml"))
    assert files and f"Wrote {len(files)} scenario files" in out
    starts = []
    for file in files:
        data = yamlfile.load(file).data
        assert data["expect"]["outcome"]
        assert "name" not in data["person"]
        _a_teaching_case(data)
        starts.append(str(data["events"][0]["date"]))
    # spread over the rule periods: the explorer starts on the eve and the day of each rule change
    # (2007-08-01, 2008-01-01, 2013-01-01, 2013-07-01, 2022-01-01, 2022-03-17: workflows/denmark.yaml)
    assert len({day[:4] for day in starts}) >= 4
    assert max(starts.count(day) for day in starts) <= len(files) / 4, sorted(starts)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert all(f"]({file.name})" in readme for file in files)
    assert "regression snapshots" in readme and "not proofs" in readme
    assert "## Ends: left Denmark without a prepared return" in readme
    assert cli.main(["test", str(folder)]) == 0
    assert f"{len(files)} passed, 0 failed" in capsys.readouterr().out
    # Exporting again into the same folder never replaces a file.
    before = {f: f.read_bytes() for f in files}
    assert cli.main(["explore", "--depth", "2", "--export", str(folder)]) == 2
    assert "exists already" in capsys.readouterr().err
    assert {f: f.read_bytes() for f in files} == before


def test_an_unknown_workflow_is_one_line_and_exit_2(capsys):
    assert cli.main(["explore", "--workflow", "atlantis"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "atlantis" in err


def test_person_examples_must_name_the_fields_they_fit(tmp_path, capsys):
    """`person.examples` may only give countries to a country field, by the values of a choice field."""
    text = (Path(__file__).resolve().parents[1] / "workflows" / "denmark.yaml").read_text(encoding="utf-8")
    assert "      by: residence\n" in text
    for wrong in ("      by: citizenship\n", "      by: nobody\n"):
        says = "not a choice field"
        path = tmp_path / "denmark.yaml"
        path.write_text(text.replace("      by: residence\n", wrong), encoding="utf-8")
        assert cli.main(["validate", str(path)]) == 2
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and says in err, err


def test_a_teaching_title_of_a_long_path_stays_a_title() -> None:
    """A scenario title holds 300 characters: a long path's title drops the fields, then the middle steps."""
    from casepath import api
    from casepath.explore import teaching_title

    scenario = api.load_scenario(
        Path(__file__).resolve().parents[1] / "examples" / "detention-across-autumn-clock-change.yaml"
    )
    workflow = api.load_workflow("denmark")
    many = scenario.model_copy(update={"events": scenario.events * 4})  # the title reads only the events
    title = teaching_title(many, api.simulate(scenario, workflow), workflow)
    assert len(title) <= 300 and "…" in title, title
    assert title.count(" — ") == 1  # how the case ends is still said


def test_a_branch_that_shares_an_open_deadline_is_caught(denmark: Any, monkeypatch):
    # The determinism sample runs paths again from the start and compares the runs: were copies to share
    # a deadline still open (a later branch settling it for its siblings too), a sibling would differ
    # from the same events run from the start.
    from casepath.case import DeadlineRecord

    monkeypatch.setattr(DeadlineRecord, "copy", lambda self: self)
    result = explore(denmark, depth=3)
    assert result.finding is not None
    assert result.finding.problems == ["the same events gave a different report when run again from the start"]


def test_runs_are_the_same_only_when_equal_in_order_and_in_which_record_is_latest(denmark: Any):
    from casepath.explore import _same_run

    examples = Path(__file__).resolve().parents[1] / "examples"
    scenario = casepath.load_scenario(examples / "dis-undocumented-prepared-return.yaml")
    simulator = casepath.simulator_for(denmark)

    def run() -> Any:
        made = simulator.begin(scenario)
        for event in scenario.events:
            assert simulator.advance(made, event)
        return made

    first, second = run(), run()
    assert _same_run(first, second) and _same_run(first, first.copy())
    assert len(first.case.deadlines) > len(first.case.latest)  # some records were replaced: history
    # an equal record that is not the one `deadlines` lists (a copy gone astray)
    deadline_id, record = next(iter(second.case.latest.items()))
    second.case.latest[deadline_id] = record.copy()
    assert record == second.case.latest[deadline_id] and not _same_run(first, second)
    # the same facts in another order
    third = run()
    third.case.facts = dict(reversed(list(third.case.facts.items())))
    assert third.case.facts == first.case.facts and not _same_run(first, third)
    # one event fewer
    shorter = simulator.begin(scenario)
    for event in scenario.events[:-1]:
        assert simulator.advance(shorter, event)
    assert not _same_run(first, shorter)


def _three_events_in(denmark: Any) -> tuple[Any, Any, Any]:
    """An example run to its third event: (its scenario, the simulator, the run)."""
    examples = Path(__file__).resolve().parents[1] / "examples"
    scenario = casepath.load_scenario(examples / "dis-undocumented-prepared-return.yaml")
    simulator = casepath.simulator_for(denmark)
    run = simulator.begin(scenario)
    for event in scenario.events[:3]:
        assert simulator.advance(run, event)
    return scenario, simulator, run


def test_a_copy_shares_only_the_deadline_records_no_step_can_change(denmark: Any):
    # Settled records (every replaced one among them) are final and shared; an open one is copied, and
    # the steps that settle it on the copy leave the original's record open.
    scenario, simulator, run = _three_events_in(denmark)
    branch = run.copy()
    pairs = list(zip(run.case.deadlines, branch.case.deadlines, strict=True))
    assert any(a.settled is not None for a, _ in pairs) and any(a.settled is None for a, _ in pairs)
    for original, copied in pairs:
        assert (copied is original) == (original.settled is not None)
        assert copied == original
    assert all(any(r is branch.case.latest[k] for r in branch.case.deadlines) for k in branch.case.latest)
    for event in scenario.events[3:]:
        assert simulator.advance(branch, event)
    settled_later = [i for i, (a, _) in enumerate(pairs) if a.settled is None and branch.case.deadlines[i].settled]
    assert settled_later  # the branch settled some of them ...
    assert all(run.case.deadlines[i].settled is None for i in settled_later)  # ... the original's are still open


def test_a_copy_equals_its_original_and_shares_no_container_with_it(denmark: Any):
    # A field added to Case later must be immutable or copied by Case.copy, or branches of a run
    # (explore's tries) would change each other.
    _, _, run = _three_events_in(denmark)
    copied = run.case.copy()
    assert type(copied) is type(run.case)
    for field in dataclasses.fields(run.case):
        mine, theirs = getattr(run.case, field.name), getattr(copied, field.name)
        assert theirs == mine, field.name
        if isinstance(mine, list | dict | set):
            assert theirs is not mine, f"{field.name} is shared between a case and its copy"
        else:
            assert isinstance(mine, Hashable) or field.name == "wf", f"{field.name} is mutable and not copied"
