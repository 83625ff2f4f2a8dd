"""`walk` reads the steps the simulator kept while it ran the scenario once (issue 9, item 3).

One model of "the steps of a scenario": `Simulator.run(keep_steps=True)` keeps, for each event,
the case as it stood after it and each moment the clock took steps on its own before it
(`Snapshot.clock`); the walk shows those as they are, the HTML step-through folds the clock's
moments into the event that follows. Dates are worked out by hand in the comments.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_hardening import _looping_workflow

from casepath import api, simulator, walk
from casepath.clock import Moment
from casepath.render import snapshots
from casepath.scenario import load
from casepath.simulator import Simulator

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
PARTIAL = EXAMPLES / "partial-extension-then-disappeared.yaml"
PREPARED = EXAMPLES / "dis-undocumented-prepared-return.yaml"


def test_the_simulator_keeps_each_moment_of_the_clock_before_the_event_it_precedes() -> None:
    scenario, wf = load(PARTIAL)
    report = api.simulate(scenario, wf, steps=True)
    steps = report.steps
    assert steps is not None
    assert [len(s.clock) for s in steps] == [0, 0, 0, 0, 0, 1]  # 6 events; one moment before the 6th
    (moment,) = steps[5].clock
    # the extension ran until 2022-10-14: the departure deadline passes at the start of 2022-10-15
    assert [(e.date, e.event, e.automatic) for e in moment.entries] == [
        ("2022-10-15", "departure_deadline_passed", True)
    ]
    assert moment.automatic and moment.report.on == "2022-10-15"
    assert moment.report.states["pathway"] == "departure_due"
    # identified 2022-08-15 + 30 days = 2022-09-14, replaced by the extension's 2022-10-14: passed, still here
    departure = moment.report.last_deadline("departure_deadline")
    assert departure is not None and (departure.due, departure.status) == ("2022-10-14", "missed")
    # the event's own step still lists the clock's step first (the HTML step-through shows it so)
    assert [e.event for e in steps[5].entries] == ["departure_deadline_passed", "disappeared"]
    assert steps[-1].report is report


def test_the_walk_shows_the_kept_steps_themselves() -> None:
    scenario, wf = load(PARTIAL)
    sim = Simulator(wf)
    steps = walk.plan(sim, sim.begin(scenario))
    kept = steps[-1].report.steps
    assert kept is not None
    # the walk's step 6 is the moment the simulator kept before event 6; step 7 is event 6 itself
    assert steps[5].kept is kept[5].clock[0] and steps[5].automatic and steps[5].event is None
    assert steps[6].kept is kept[5] and steps[6].event is scenario.events[5]
    assert [e.event for e in steps[6].entries] == ["disappeared"]
    assert [s.report for s in steps[:5]] == [s.report for s in kept[:5]]


def test_a_scenario_walk_applies_each_event_once(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario, wf = load(PARTIAL)
    applied: list[str] = []
    advance = Simulator.advance

    def counted(self: Simulator, run: simulator.Run, event: object) -> bool:
        applied.append(event.name)  # type: ignore[attr-defined]
        return advance(self, run, event)  # type: ignore[arg-type]

    monkeypatch.setattr(Simulator, "advance", counted)
    answers = iter(["", "", "", "", "", "?", "", "b", "", "", "", "q"])
    said: list[str] = []
    walk.walk_scenario(scenario, wf, lambda prompt: next(answers, None), said.append)
    assert applied == [e.name for e in scenario.events]  # one run: no trial copies, nothing re-run
    assert any(s.startswith("Step 6 of 7 · 2022-10-15 · the clock runs on") for s in said)


def test_on_a_later_day_the_last_event_keeps_its_own_day_and_the_step_through_folds_the_empty_step() -> None:
    scenario, wf = load(PREPARED)
    # returned 2022-07-01; looked at on 2022-07-02, one day on: no time-driven step in between
    on = Moment(date(2022, 7, 2))
    report = api.simulate(scenario, wf, on=date(2022, 7, 2), steps=True)
    kept = report.steps
    assert kept is not None and len(kept) == 7  # 6 events and the run on to 2022-07-02
    assert kept[-1].automatic and kept[-1].entries == [] and kept[-1].report is report
    assert kept[-2].report.on == "2022-07-01" and report.on == "2022-07-02"
    shown = snapshots.take(report)
    assert len(shown) == 6 and shown[-1].report is report  # the HTML's last step is the report itself
    sim = Simulator(wf)
    steps = walk.plan(sim, sim.begin(scenario), on)
    assert [s.automatic for s in steps] == [False] * 6 + [True]
    assert steps[-1].until == on and steps[-1].report.model_dump() == report.model_dump()
    assert steps[-2].report.on == "2022-07-01"


@pytest.fixture
def looping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """Denmark with a detention limit that sets itself again 72 hours on, and a limit of 5 steps."""
    path = _looping_workflow(tmp_path)
    monkeypatch.setattr(simulator, "MAX_AUTOMATIC_STEPS", 5)
    wf = api.load_workflow(str(path))
    scenario = api.scenario_from_dict(
        {
            "casepath": 1,
            "title": "Held",
            "person": {"alias": "H", "age": 30, "citizenship": "NG", "residence": "undocumented"},
            "events": [
                {"date": "2022-03-01", "event": "contact", "by": "police"},
                {"date": "2022-03-01T10:00", "event": "detained"},
                {"date": "2023-01-01", "event": "identified", "by": "dis"},
            ],
        },
        wf,
    )
    return scenario, wf


def test_too_many_time_driven_steps_stop_at_the_same_place_with_or_without_kept_steps(looping) -> None:
    scenario, wf = looping
    plain = api.simulate(scenario, wf)
    kept = api.simulate(scenario, wf, steps=True)
    assert kept.model_dump() == plain.model_dump()
    assert plain.error is not None and plain.error.code == "too_many_automatic_steps" and plain.error.event == 3
    # detained 2022-03-01 10:00; the limit is reached every 72 hours: 03-04, 03-07, 03-10, 03-13, 03-16 10:00
    sim = Simulator(wf)
    steps = walk.plan(sim, sim.begin(scenario))
    assert [s.automatic for s in steps] == [False, False, True, True, True, True, True, False]
    assert [s.entries[0].date[:10] for s in steps[2:7]] == [
        "2022-03-04",
        "2022-03-07",
        "2022-03-10",
        "2022-03-13",
        "2022-03-16",
    ]
    refused = steps[-1]
    assert refused.error is not None and refused.error.code == "too_many_automatic_steps"
    assert refused.entries == [] and refused.event is scenario.events[2]


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_keeping_the_steps_changes_no_answer(example: Path) -> None:
    scenario, wf = load(example)
    last = scenario.events[-1].moment.day
    for on in (None, last, date(last.year + 2, last.month, 1)):
        plain = api.simulate(scenario, wf, on=on)
        kept = api.simulate(scenario, wf, on=on, steps=True)
        assert kept.model_dump() == plain.model_dump()
        assert kept.steps and kept.steps[-1].report is kept
