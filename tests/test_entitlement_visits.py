"""After a step the simulator looks only at the entitlement rules that can change (issue 14): a rule
the tracks' states settle the same way before and after the step is left out. These tests hold the
two cases where leaving one out would lose a note that a rule is used past its sources' last day:
the rule stays in force but on another basis (other sources), and the rules' day passes that last day
while the states stay as they were. Each is worked through a workflow changed for the purpose, with
its dates reasoned by hand."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

import casepath
from casepath import yamlfile

DENMARK = Path(__file__).resolve().parents[1] / "workflows" / "denmark.yaml"


def _workflow(tmp_path: Path, applies: list[dict[str, Any]]) -> Any:
    """Denmark's workflow with safe accommodation applying on the bases given."""
    data = copy.deepcopy(yamlfile.load(DENMARK).data)
    data["entitlements"]["safe_accommodation"]["applies"] = applies
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    return casepath.load_workflow(str(path))


def _notes(workflow: Any, events: list[dict[str, Any]]) -> list[str]:
    scenario = casepath.scenario_from_dict(
        {
            "casepath": 1,
            "title": "Safe accommodation on two bases",
            "workflow": workflow.spec.id,
            "person": {"alias": "Test", "born": "1990-01-01", "residence": "undocumented"},
            "events": events,
        },
        workflow,
    )
    report = casepath.simulate(scenario, workflow)
    assert report.error is None, report.error
    return [a.note for a in report.assumptions if a.parameter == "safe_accommodation"]


def test_a_rule_in_force_on_another_basis_notes_that_basis_past_its_sources(tmp_path: Path) -> None:
    # While the period runs, safe accommodation rests on the US TIP report (described up to 2022-12-31);
    # once an extension is asked for, on the EU page alone (described up to 2013-01-30). In 2016 the
    # first basis is within its sources, the second is not: asking for the extension on 2016-03-20
    # must add "last described for 2013", although the rule was in force on both sides of that step.
    workflow = _workflow(
        tmp_path,
        [
            {"when": [{"guard": "in_state", "track": "pathway", "states": ["reflection"]}],
             "sources": [{"passage": "tip-2023.protection.2"}]},
            {"when": [{"guard": "in_state", "track": "pathway", "states": ["extension_requested", "extended"]}],
             "sources": [{"passage": "eu-dk.reflection.5"}]},
        ],
    )  # fmt: skip
    identified = [
        {"date": "2016-03-01", "event": "contact", "by": "health_clinic"},
        {"date": "2016-03-08", "event": "identified", "by": "dis"},
    ]
    assert _notes(workflow, identified) == []  # 2016 is within the TIP report's years
    asked = {"date": "2016-03-20", "event": "extension_requested", "reason": "cooperation_on_return"}
    notes = _notes(workflow, [*identified, asked])
    assert len(notes) == 1 and "last described for 2013" in notes[0], notes


def test_a_rule_in_force_notes_its_sources_end_the_first_day_past_it(tmp_path: Path) -> None:
    # Safe accommodation in force on the EU page alone (described up to 2013-01-30) from identification
    # on 2013-01-20. An extension asked for on 2013-01-25 keeps every track where it was as far as the
    # rule goes (the reflection tag both before and after); the next step, on 2013-02-05, is the first
    # past 2013-01-30 and must add the note, though the rule's basis and the states it reads did not change.
    workflow = _workflow(
        tmp_path,
        [
            {"when": [{"guard": "in_state", "track": "pathway", "tags": ["reflection"]}],
             "sources": [{"passage": "eu-dk.reflection.5"}]},
        ],
    )  # fmt: skip
    before = [
        {"date": "2013-01-15", "event": "contact", "by": "health_clinic"},
        {"date": "2013-01-20", "event": "identified", "by": "dis"},
        {"date": "2013-01-25", "event": "extension_requested", "reason": "cooperation_on_return"},
    ]
    assert _notes(workflow, before) == []  # every step on or before 2013-01-30
    notes = _notes(workflow, [*before, {"date": "2013-02-05", "event": "extension_granted"}])
    assert len(notes) == 1 and "last described for 2013" in notes[0], notes


def test_a_rule_a_fact_test_settles_follows_that_fact_though_no_track_moves(tmp_path: Path) -> None:
    # The fact tests (fact_given, fact_in, fact_not_in) are answered in the plan, like the state tests:
    # their answers must be part of what the plan is chosen by, or a step that sets a fact and moves no
    # track would leave the rule as it was. Here safe accommodation applies while the person is placed
    # in a shelter or a safe house. `placed` moves no track. Placed in a shelter on 2024-03-05: the
    # period opens that day; moved to a safe house on 2024-03-10: it runs on, not closed and opened
    # again; moved to an asylum centre on 2024-03-20: it ends that day (an event's own day is the last
    # day of what it ends).
    workflow = _workflow(
        tmp_path,
        [
            {"when": [{"guard": "fact_in", "fact": "placement", "values": ["shelter", "safe_house"]}],
             "sources": [{"passage": "eu-dk.reflection.5"}]},
        ],
    )  # fmt: skip
    scenario = casepath.scenario_from_dict(
        {
            "casepath": 1,
            "title": "Placed, moved, moved again",
            "workflow": workflow.spec.id,
            "person": {"alias": "Test", "born": "1990-01-01", "residence": "undocumented"},
            "events": [
                {"date": "2024-03-01", "event": "contact", "by": "ngo"},
                {"date": "2024-03-05", "event": "placed", "where": "shelter"},
                {"date": "2024-03-10", "event": "placed", "where": "safe_house"},
                {"date": "2024-03-20", "event": "placed", "where": "asylum_centre"},
            ],
        },
        workflow,
    )
    report = casepath.simulate(scenario, workflow)
    assert report.error is None, report.error
    assert report.state == "contacted"  # no event moved the pathway past first contact
    periods = [(e.from_, e.until) for e in report.entitlements if e.id == "safe_accommodation"]
    assert periods == [("2024-03-05", "2024-03-20")]


def test_every_fact_gate_answers_as_its_guard_does() -> None:
    # The plan decides a guard with a fact gate without calling it: the gate, written beside the guard
    # in the registry, must give the guard's own answer for any value the fact can have.
    from casepath.workflow import registry

    class Reads:  # what these guards read of a step: one fact
        def __init__(self, value: Any) -> None:
            self.value = value

        def fact(self, name: str) -> Any:
            return self.value

    arguments = {"fact": "placement", "values": ["shelter", True, 3]}
    gated = 0
    for name, entry in registry.GUARDS.items():
        fields = entry.args.model_fields
        if not fields or not set(fields) <= set(arguments):
            continue  # (its arguments are not a fact's: no fact gate)
        args = entry.args.model_validate({k: v for k, v in arguments.items() if k in fields})
        gate = args.fact_gate()
        if gate is None:
            continue
        gated += 1
        fact, values, inside = gate
        assert fact == "placement", name
        for value in (None, "shelter", "safe_house", True, False, 3, 1, [], ""):
            assert entry.run(Reads(value), args) is ((value in values) is inside), (name, value)  # type: ignore[arg-type]
    assert gated == 3  # fact_given, fact_in, fact_not_in
