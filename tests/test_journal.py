"""The engine records typed facts; words are made only at the edge (issue 9).

- The engine's modules make no sentence: they import nothing that words things and call no
  translator (checked on their source).
- A report in Danish and one in English come from the same run: every id, date, status, the
  outcome and the states agree, for every example and for generated cases.
- One compiled workflow serves every language.
- The journal's effects tell the same story as the case they built (deadlines set and
  settled, entitlements opened and closed), and the user events can be read back from it.
"""

from __future__ import annotations

import ast
import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import casepath
from casepath import api, journal
from casepath.clock import Moment
from casepath.simulator import Simulator
from casepath.status import Status

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "casepath"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
ENGLISH = casepath.load_workflow("denmark")
DANISH = casepath.load_workflow("denmark", lang="da")

ENGINE = ["case.py", "simulator.py", "journal.py", "clock.py", "workflow/rulebook.py", "workflow/compiled.py"]
WORD_MAKERS = {"translate", "translator", "tr", "_tr", "duration_text", "closed_reason", "cite", "value_text"}


@pytest.mark.parametrize("name", ENGINE)
def test_the_engine_makes_no_sentence(name: str) -> None:
    # Nothing that words things is imported or called (a sentence would be a str made from those).
    tree = ast.parse((SRC / name).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.module not in ("casepath.locale", "casepath.citations", "casepath.render"), (name, node.module)
            assert not {a.name for a in node.names} & WORD_MAKERS, (name, node.lineno)
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            assert called not in WORD_MAKERS, (name, node.lineno, called)


def test_one_compiled_workflow_serves_every_language() -> None:
    assert DANISH.base is ENGLISH and ENGLISH.base is ENGLISH
    assert DANISH.machines is ENGLISH.machines and DANISH.by_event is ENGLISH.by_event
    assert DANISH.spec.deadlines["departure_deadline"].label == "Udrejsefrist"
    assert api.simulator_for(DANISH) is api.simulator_for(ENGLISH)


def _facts(report: Any) -> dict[str, Any]:
    """Everything of a report that is not words."""
    return {
        "outcome": report.outcome,
        "state": report.state,
        "states": report.states,
        "on": report.on,
        "events": [
            (e.number, e.date, e.event, e.automatic, e.track, e.from_, e.to, [(m.track, m.from_, m.to) for m in e.also])
            for e in report.events
        ],
        "deadlines": [(d.id, d.due, d.status, d.set_on, len(d.warnings)) for d in report.deadlines],
        "entitlements": [(k.id, k.from_, k.until) for k in report.entitlements],
        "assumptions": [a.parameter for a in report.assumptions],
        "warnings": len(report.warnings),
        "error": (report.error.code, report.error.event) if report.error else None,
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_danish_and_english_reports_agree_on_every_fact(path: Path) -> None:
    scenario = casepath.load_scenario(path)
    english = casepath.simulate(scenario, ENGLISH)
    danish = casepath.simulate(scenario, DANISH)
    assert _facts(danish) == _facts(english)
    assert danish.state_labels != english.state_labels  # really in Danish


EVENTS = st.sampled_from(
    [
        {"event": "contact", "by": "ngo"},
        {"event": "identified", "by": "dis"},
        {"event": "identified", "by": "cmm"},
        {"event": "not_identified", "by": "dis"},
        {"event": "extension_requested", "reason": "special_circumstances"},
        {"event": "extension_granted"},
        {"event": "extension_refused"},
        {"event": "prepared_return_accepted"},
        {"event": "returned"},
        {"event": "disappeared"},
        {"event": "detained"},
        {"event": "released"},
        {"event": "asylum_applied"},
        {"event": "asylum_refused"},
    ]
)
RESIDENCE = st.sampled_from(["undocumented", "asylum_seeker", "eu_citizen", "lawful_resident"])


def _scenario(events: list[dict[str, Any]], residence: str = "undocumented", **person: Any) -> Any:
    data = {
        "casepath": 1,
        "title": "t",
        "workflow": "denmark",
        "person": {"alias": "A", "residence": residence, **person},
        "events": events,
    }
    return casepath.scenario_from_dict(data, ENGLISH)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.dates(min_value=date(2005, 1, 1), max_value=date(2024, 12, 31)),
    steps=st.lists(st.tuples(st.integers(0, 140), EVENTS), min_size=1, max_size=6),
    residence=RESIDENCE,
    age=st.none() | st.integers(10, 40),
)
def test_generated_cases_agree_in_both_languages(
    start: date, steps: list[tuple[int, dict[str, str]]], residence: str, age: int | None
) -> None:
    day = start.toordinal()
    events = []
    for gap, event in steps:
        day += gap
        events.append({"date": date.fromordinal(day).isoformat(), **event})
    scenario = _scenario(events, residence, **({} if age is None else {"age": age}))
    english = casepath.simulate(scenario, ENGLISH)
    danish = casepath.simulate(scenario, DANISH)
    assert _facts(danish) == _facts(english)
    if english.error is not None:
        assert danish.error is not None and danish.error.message != english.error.message


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_journal_tells_what_the_case_became(path: Path) -> None:
    scenario = casepath.load_scenario(path)
    sim = Simulator(ENGLISH)
    run = sim.begin(scenario)
    for event in scenario.events:
        if not sim.advance(run, event):
            break
    effects = [e for record in run.journal for e in record.effects]
    # Every deadline set, in the order set, and each settlement made by a step.
    assert [(e.id, e.due) for e in effects if isinstance(e, journal.DeadlineSet)] == [
        (d.id, d.due) for d in run.case.deadlines
    ]
    settled = {e.id: e.status for e in effects if isinstance(e, journal.DeadlineSettled)}
    for record in run.case.latest.values():
        if record.settled not in (None, Status.REPLACED):
            assert settled[record.id] is record.settled
    opened = [(e.id, e.start) for e in effects if isinstance(e, journal.EntitlementOpened)]
    periods = [*run.case.closed_entitlements, *run.case.open_entitlements.values()]
    assert sorted(opened) == sorted((p.id, p.start) for p in periods)
    closed = [(e.id, e.last_day) for e in effects if isinstance(e, journal.EntitlementClosed)]
    assert sorted(closed) == sorted((p.id, p.end) for p in run.case.closed_entitlements)
    # The user's events are in the journal as they were given.
    given = [(r.event, r.at) for r in run.journal if not r.automatic]
    assert given == [(e.name, e.moment) for e in scenario.events[: run.applied]]


def test_a_refusal_is_recorded_as_a_reason_not_a_sentence() -> None:
    scenario = _scenario([{"date": "2022-03-10", "event": "extension_granted"}])
    sim = Simulator(ENGLISH)
    run = sim.begin(scenario)
    assert not sim.advance(run, scenario.events[0])
    assert run.error is not None and run.error.code == "event_not_allowed" and run.error.event == 1
    assert isinstance(run.error.reason, journal.WrongState)
    assert run.error.reason.event == "extension_granted"
    assert run.error.possible and "contact" in run.error.possible
    english, danish = casepath.simulate(scenario, ENGLISH), casepath.simulate(scenario, DANISH)
    assert english.error is not None and danish.error is not None
    assert "cannot happen now" in english.error.message and "kan ikke ske nu" in danish.error.message


def test_the_rules_known_until_warning_is_in_the_language_of_the_report() -> None:
    # The Danish sources describe the rules up to rules_known_until; a 2026 case is after it.
    scenario = _scenario([{"date": "2026-03-10", "event": "identified", "by": "dis"}])
    danish = casepath.simulate(scenario, DANISH)
    english = casepath.simulate(scenario, ENGLISH)
    assert any(w.startswith("The sources describe the rules up to") for w in english.warnings)
    assert any(w.startswith("Kilderne beskriver reglerne frem til") for w in danish.warnings)
    assert not any("sources describe" in w for w in danish.warnings)


def test_the_rules_view_after_the_sources_warns_in_danish() -> None:
    from casepath.rulesview import rules_in_force

    view = rules_in_force(DANISH, date(2024, 1, 1))
    assert view.warnings == [
        "Kilderne beskriver reglerne frem til 2022-12-31; for 2024-01-01 er dette de senest kendte regler, "
        "og de kan være ændret siden."
    ]


def _records() -> list[type]:
    return [
        value
        for value in vars(journal).values()
        if isinstance(value, type) and issubclass(value, journal.Record) and value is not journal.Record
    ]


def test_every_record_is_a_slotted_dataclass_whose_fields_are_its_annotations() -> None:
    # Record's equality, hash and repr read `_fields`, taken from the annotations: they must be the
    # dataclass's fields, all compared, hashed and shown, as a frozen dataclass's own methods would.
    records = _records()
    assert len(records) == 29
    for cls in records:
        params = cls.__dataclass_params__  # type: ignore[attr-defined]
        assert not params.eq and not params.repr, cls
        assert "__slots__" in cls.__dict__, cls
        fields = dataclasses.fields(cls)
        assert cls._fields == tuple(f.name for f in fields), cls  # type: ignore[attr-defined]
        assert all(f.compare and f.repr and f.hash is None for f in fields), cls


def test_records_are_frozen_to_the_type_checker(tmp_path: Path) -> None:
    # The records have no run-time guard (see `journal.record`): it is mypy, run by CI over src/,
    # that refuses an assignment to a field. Here it is asked to check code that assigns one.
    from mypy import api as mypy

    code = tmp_path / "assigns.py"
    code.write_text(
        "from casepath import journal\n"
        "a = journal.VariantValue('reflection_period', 2)\n"
        "a.entry = 3\n"
        "b = journal.VariantValue('reflection_period', 2)\n"
    )
    out, _, status = mypy.run(["--no-incremental", "--cache-dir", str(tmp_path / "cache"), str(code)])
    assert status == 1, out
    assert [line.split(":")[1] for line in out.splitlines() if ": error:" in line] == ["3"], out


def test_records_compare_hash_and_show_like_frozen_dataclasses() -> None:
    a = journal.VariantValue("reflection_period", 2)
    same = journal.VariantValue("reflection_period", 2)
    other_entry = journal.VariantValue("reflection_period", 3)
    other_kind = journal.ValueOnAssumedDate("reflection_period", 2)  # the same fields, another class
    assert a == same and hash(a) == hash(same)
    assert a != other_entry and a != other_kind and other_kind != a
    assert a != ("reflection_period", 2)
    assert len({a, same, other_entry, other_kind}) == 3
    assert journal.AgeUnknown() == journal.AgeUnknown() and len({journal.AgeUnknown(), journal.AgeUnknown()}) == 1
    assert journal.AgeUnknown() != journal.BirthdayFromAge(date(2000, 1, 1))
    assert repr(a) == "VariantValue(parameter='reflection_period', entry=2)"
    assert repr(journal.AgeUnknown()) == "AgeUnknown()"
    with pytest.raises((AttributeError, TypeError)):  # no field of that name: no room for it (slots)
        a.note = "x"  # type: ignore[attr-defined]
    assert dataclasses.replace(a, entry=3) == other_entry
    match other_kind:
        case journal.ValueOnAssumedDate(parameter, entry):
            assert (parameter, entry) == ("reflection_period", 2)
        case _:
            pytest.fail("a record matches by its fields in order")


def test_a_record_keeps_its_hash_but_never_hands_it_on() -> None:
    # `Record.__hash__` keeps the hash it works out (records never change). A string's hash differs
    # from process to process, so a copy or a pickled record (the workflow cache) must work it out anew.
    import copy
    import pickle

    a = journal.VariantValue("reflection_period", 2)
    assert hash(a) == hash(("reflection_period", 2)) == hash(a)
    for again in (pickle.loads(pickle.dumps(a)), copy.copy(a), copy.deepcopy(a)):
        assert again == a and getattr(again, "_hash", None) is None
        assert hash(again) == hash(a)
    start = journal.CountedFrom("event", "identified", Moment(date(2024, 3, 10)))
    nested, same = journal.Counting(start, None), journal.Counting(dataclasses.replace(start), None)
    assert nested == same and hash(nested) == hash(same) == hash((start, None))
