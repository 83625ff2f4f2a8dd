"""Load-time checks of workflow files: a workflow that does not hold together never runs.

Each test copies workflows/denmark.yaml into a temporary folder, breaks one thing (by text
replacement where the exact line matters, else through the parsed data), loads it with
`casepath.workflow.load.load` and expects an `InputProblem` naming the file, a line and the
place. The security tests make sure that no text in a workflow can reach Python: guard and
action names come from a fixed registry, and the state machines hold no string callbacks.
"""

from __future__ import annotations

import copy
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import casepath
from casepath import cli, yamlfile
from casepath.workflow import load as workflow_load
from casepath.workflow.compiled import SafeMachine

DENMARK = Path(__file__).resolve().parents[1] / "workflows" / "denmark.yaml"
TEXT = DENMARK.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    return yamlfile.load(DENMARK).data


def from_text(tmp_path: Path, text: str, name: str = "broken.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def from_data(tmp_path: Path, base: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> Path:
    data = copy.deepcopy(base)
    change(data)
    return from_text(tmp_path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000))


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the only occurrence of `needle` in `text`."""
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


def problem(path: Path, place: str, *words: str, line: int | None = None) -> str:
    """Load `path`; assert an InputProblem naming the file, a line, the place and the words."""
    with pytest.raises(casepath.InputProblem) as caught:
        workflow_load.load(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:"), message
    assert re.match(rf"{re.escape(str(path))}:\d+: ", message), f"no line number: {message}"
    if line is not None:
        assert message.startswith(f"{path}:{line}: "), message
    assert f": {place}: " in message, message
    for word in words:
        assert word in message, message
    return message


def test_the_copy_loads(tmp_path):
    compiled = workflow_load.load(from_text(tmp_path, TEXT, "denmark.yaml"))
    assert compiled.spec.id == "denmark"


def test_the_data_round_trip_loads(tmp_path, base):
    compiled = workflow_load.load(from_data(tmp_path, base, lambda d: None))
    assert compiled.spec.id == "denmark"


# ---------------------------------------------------------------- no Python from a workflow file

PROBE_MODULE = "casepath_probe_never_import"


@pytest.fixture
def probe(tmp_path, monkeypatch) -> Path:
    """A module that, if ever imported, creates a marker file (and whose function would too)."""
    marker = tmp_path / "IMPORTED"
    folder = tmp_path / "modules"
    folder.mkdir()
    (folder / f"{PROBE_MODULE}.py").write_text(
        "from pathlib import Path\n"
        f"Path({str(marker)!r}).touch()\n"
        "def boom(*args, **kwargs):\n"
        f"    Path({str(marker)!r} + '-called').touch()\n"
        "    return True\n"
    )
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, PROBE_MODULE, raising=False)
    return marker


def assert_never_ran(marker: Path) -> None:
    assert not marker.exists(), "the workflow imported a module named in it"
    assert not Path(str(marker) + "-called").exists(), "the workflow called a function named in it"
    assert PROBE_MODULE not in sys.modules


def test_the_probe_is_live(probe):
    """The probe really would leave a trace if anything imported and called it."""
    import importlib

    try:
        importlib.import_module(PROBE_MODULE).boom()
        assert probe.exists()
        assert Path(str(probe) + "-called").exists()
    finally:
        sys.modules.pop(PROBE_MODULE, None)


@pytest.mark.parametrize("name", ["os.system", "builtins.eval", "subprocess.call", f"{PROBE_MODULE}.boom"])
def test_unknown_guard_refused_at_load(tmp_path, probe, name):
    needle = (
        "      - {guard: fact_in, fact: residence, values: [undocumented]}\n"
        "    do:\n      - {action: set_fact, fact: identified_by"
    )
    text = TEXT.replace(needle, needle.replace("guard: fact_in", f"guard: {name}"), 1)
    assert text != TEXT
    path = from_text(tmp_path, text)
    line = line_of(text, f"guard: {name}")
    message = problem(path, "transitions[4].when[1].guard", f"unknown guard {name!r}", "registry", line=line)
    assert "fact_in" in message  # it lists what can be named
    assert_never_ran(probe)


def test_python_guard_refused_in_an_entitlement(tmp_path, base, probe):
    def change(d):
        d["entitlements"]["health_care"]["applies"][0]["when"][0] = {"guard": f"{PROBE_MODULE}.boom"}

    problem(from_data(tmp_path, base, change), "entitlements.health_care.applies[1].when[1].guard", "unknown guard")
    assert_never_ran(probe)


def test_python_action_refused(tmp_path, base, probe):
    def change(d):
        d["transitions"][0]["do"][0] = {"action": f"{PROBE_MODULE}.boom", "fact": "x"}

    problem(from_data(tmp_path, base, change), "transitions[1].do[1].action", "unknown action")
    assert_never_ran(probe)


def test_python_in_a_state_callback_refused(tmp_path, base, probe):
    def change(d):
        d["tracks"]["pathway"]["states"]["contacted"]["on_enter"] = [{"action": "os.system", "command": "true"}]

    problem(from_data(tmp_path, base, change), "tracks.pathway.states.contacted.on_enter[1].action", "unknown action")
    assert_never_ran(probe)


@pytest.mark.parametrize("key", ["conditions", "unless", "before", "after", "prepare", "on_enter"])
def test_transitions_library_keys_are_not_part_of_the_format(tmp_path, base, probe, key):
    """The library's own callback keys are unknown fields, not silently passed to it."""

    def change(d):
        d["transitions"][0][key] = f"{PROBE_MODULE}.boom"

    problem(from_data(tmp_path, base, change), f"transitions[1].{key}", "unknown field")
    assert_never_ran(probe)


def test_a_guard_argument_cannot_smuggle_python(tmp_path, base, probe):
    def change(d):
        d["transitions"][3]["when"][0]["callback"] = f"{PROBE_MODULE}.boom"

    problem(from_data(tmp_path, base, change), "transitions[4].when[1].callback", "unknown argument")
    assert_never_ran(probe)


def test_resolve_callable_refuses_strings():
    with pytest.raises(ValueError, match="refusing"):
        SafeMachine.resolve_callable("os.system", None)
    with pytest.raises(ValueError):
        SafeMachine.resolve_callable(f"{PROBE_MODULE}.boom", None)
    assert PROBE_MODULE not in sys.modules


def test_resolve_callable_passes_callables_through():
    def f():
        return None

    assert SafeMachine.resolve_callable(f, None) is f


def _callbacks(machine: Any) -> list[Any]:
    """Every callback a transitions.Machine holds: machine-wide, per state and per transition."""
    found: list[Any] = []
    for attr in (
        "before_state_change",
        "after_state_change",
        "prepare_event",
        "finalize_event",
        "on_exception",
        "on_final",
    ):
        found += list(getattr(machine, attr, None) or [])
    for state in machine.states.values():
        for attr in ("on_enter", "on_exit", "on_final", "on_timeout"):
            found += list(getattr(state, attr, None) or [])
    for event in machine.events.values():
        for transitions in event.transitions.values():
            for transition in transitions:
                found += [c.func for c in transition.conditions]
                for attr in ("before", "after", "prepare"):
                    found += list(getattr(transition, attr, None) or [])
    return found


def test_denmark_machines_hold_no_string_callbacks():
    compiled = casepath.load_workflow("denmark")
    assert compiled.machines
    for track, machine in compiled.machines.items():
        assert isinstance(machine, SafeMachine), track
        strings = [c for c in _callbacks(machine) if isinstance(c, str)]
        assert strings == [], f"{track}: {strings}"
        assert machine.events, track


def test_denmark_machines_have_no_auto_transitions():
    compiled = casepath.load_workflow("denmark")
    for machine in compiled.machines.values():
        assert not any(name.startswith("to_") for name in machine.events)


# ---------------------------------------------------------------- names that must be defined


def test_undefined_parameter(tmp_path):
    old = 'plus: "param:reflection_period"}'
    text = TEXT.replace(old, 'plus: "param:reflection_perod"}', 1)
    path = from_text(tmp_path, text)
    line = line_of(text, "param:reflection_perod")
    problem(
        path,
        "transitions[4].do[3]",
        "unknown parameter 'reflection_perod'",
        "did you mean 'reflection_period'",
        line=line,
    )


def test_undefined_parameter_in_an_entitlement(tmp_path, base):
    def change(d):
        d["entitlements"]["contact_person"]["applies"][0]["when"][1]["parameter"] = "cmm_contact"

    problem(
        from_data(tmp_path, base, change),
        "entitlements.contact_person.applies[1].when[2]",
        "unknown parameter 'cmm_contact'",
    )


def test_transition_to_unknown_state(tmp_path, base):
    def change(d):
        d["transitions"][0]["to"] = "contactd"

    problem(
        from_data(tmp_path, base, change), "transitions[1].to", "'contactd' is not a state", "did you mean 'contacted'"
    )


def test_transition_from_unknown_state(tmp_path, base):
    def change(d):
        d["transitions"][0]["from"] = ["strat"]

    problem(from_data(tmp_path, base, change), "transitions[1].from[1]", "'strat' is not a state")


def test_transition_for_unknown_event(tmp_path, base):
    def change(d):
        d["transitions"][0]["event"] = "contacted"

    problem(from_data(tmp_path, base, change), "transitions[1].event", "unknown event 'contacted'")


def test_unknown_initial_state(tmp_path, base):
    def change(d):
        d["tracks"]["detention"]["initial"] = "fre"

    problem(from_data(tmp_path, base, change), "tracks.detention.initial", "unknown initial state")


# ---------------------------------------------------------------- the shape of the graph


def test_state_no_transition_reaches(tmp_path, base):
    def change(d):
        d["tracks"]["pathway"]["states"]["limbo"] = {"label": "Limbo", "final": True}

    problem(from_data(tmp_path, base, change), "tracks.pathway.states.limbo", "no transition reaches", "'limbo'")


def test_non_final_state_without_a_way_out(tmp_path, base):
    def change(d):
        d["tracks"]["pathway"]["states"]["limbo"] = {"label": "Limbo"}
        d["transitions"].append(
            {"event": "placed", "from": "contacted", "to": "limbo", "sources": [{"decision": "leaving"}]}
        )

    problem(from_data(tmp_path, base, change), "tracks.pathway.states.limbo", "not final", "no transition leaves")


def test_final_state_with_a_way_out(tmp_path, base):
    def change(d):
        d["transitions"].append(
            {"event": "contact", "from": "departed", "to": "contacted", "sources": [{"decision": "leaving"}]}
        )

    problem(from_data(tmp_path, base, change), "tracks.pathway.states.departed", "final but a transition leaves")


def test_two_main_tracks(tmp_path, base):
    def change(d):
        d["tracks"]["detention"]["main"] = True

    problem(from_data(tmp_path, base, change), "tracks", "exactly one track")


# ---------------------------------------------------------------- every rule has a source


@pytest.mark.parametrize(
    ("where", "place"),
    [
        (lambda d: d["transitions"][0], "transitions[1].sources"),
        (lambda d: d["deadlines"]["reflection_end"], "deadlines.reflection_end.sources"),
        (lambda d: d["entitlements"]["health_care"]["applies"][0], "entitlements.health_care.applies[1].sources"),
        (
            lambda d: d["parameters"]["reflection_period"]["history"][1],
            "parameters.reflection_period.history[2].sources",
        ),
        (lambda d: d["refusals"][0], "refusals[1].sources"),
        (lambda d: d["tables"]["identifying_authority"], "tables.identifying_authority.sources"),
    ],
    ids=["transition", "deadline", "entitlement", "parameter-value", "refusal", "table"],
)
@pytest.mark.parametrize("how", ["empty", "missing"])
def test_rule_without_sources(tmp_path, base, where, place, how):
    def change(d):
        if how == "empty":
            where(d)["sources"] = []
        else:
            del where(d)["sources"]

    problem(from_data(tmp_path, base, change), place, "at least one source" if how == "empty" else "required")


def test_transition_without_sources_by_text(tmp_path):
    """The exact line: the `sources:` key of the first transition."""
    old = (
        "      - {action: set_fact, fact: contact_channel, from_field: by}\n"
        "    sources:\n"
        "      - {passage: eu-dk.assistance.2}\n"
        "      - {passage: tip-2023.prevention.1}\n"
    )
    new = "      - {action: set_fact, fact: contact_channel, from_field: by}\n    sources: []\n"
    text = TEXT.replace(old, new, 1)
    assert text != TEXT
    path = from_text(tmp_path, text)
    problem(path, "transitions[1].sources", "at least one source", line=line_of(text, "    sources: []\n"))


def test_citation_of_an_unknown_source_document(tmp_path):
    """In the table of passages: named at the passage, not at the rules that cite it."""
    old = '{doc: tip-2023, section: "Prevention", para: 1, check: "tip-2023:26"}'
    text = TEXT.replace(old, old.replace("doc: tip-2023", "doc: tip-2032"), 1)
    path = from_text(tmp_path, text)
    problem(
        path,
        "passages.tip-2023.prevention.1",
        "unknown source document 'tip-2032'",
        "did you mean 'tip-2023'",
        line=line_of(text, "doc: tip-2032"),
    )


def test_citation_written_out_of_an_unknown_source_document(tmp_path, base):
    def change(d):
        d["transitions"][0]["sources"][1] = {"doc": "tip-2032", "section": "Prevention", "para": 1}

    problem(from_data(tmp_path, base, change), "transitions[1].sources[2]", "unknown source document 'tip-2032'")


def test_citation_of_an_unknown_decision(tmp_path, base):
    def change(d):
        d["transitions"][4]["sources"][2] = {"decision": "reflection_begins"}

    problem(from_data(tmp_path, base, change), "transitions[5].sources[3]", "unknown modelling decision")


def test_citation_without_document_or_decision(tmp_path, base):
    def change(d):
        d["deadlines"]["permit_expiry"]["sources"][0] = {"section": "Protection"}

    problem(from_data(tmp_path, base, change), "deadlines.permit_expiry.sources[1]", "document")


# ---------------------------------------------------------------- error codes


def test_unknown_error_code_in_a_refusal(tmp_path):
    text = TEXT.replace("    error: not_a_victim\n", "    error: not_a_victm\n", 1)
    path = from_text(tmp_path, text)
    problem(
        path,
        "refusals[1].error",
        "unknown error code 'not_a_victm'",
        "did you mean 'not_a_victim'",
        line=line_of(text, "error: not_a_victm"),
    )


def test_unknown_error_code_in_a_check(tmp_path, base):
    def change(d):
        d["events"]["identified"]["checks"][0]["error"] = "wrong_authorty"

    problem(from_data(tmp_path, base, change), "events.identified.checks[1].error", "unknown error code")


def test_unknown_error_code_in_a_transition_check(tmp_path, base):
    def change(d):
        granted = next(t for t in d["transitions"] if t["event"] == "extension_granted" and t.get("checks"))
        granted["checks"][0]["error"] = "too_long"

    index = next(i for i, t in enumerate(base["transitions"]) if t["event"] == "extension_granted" and t.get("checks"))
    problem(from_data(tmp_path, base, change), f"transitions[{index + 1}].checks[1].error", "unknown error code")


# ---------------------------------------------------------------- other shapes


def test_unknown_key_anywhere(tmp_path, base):
    def change(d):
        d["deadlines"]["reflection_end"]["on_expiri"] = "departure_deadline_passed"

    problem(from_data(tmp_path, base, change), "deadlines.reflection_end.on_expiri", "unknown field")


def test_bad_guard_argument(tmp_path, base):
    def change(d):
        d["transitions"][3]["when"][0]["values"] = "undocumented"

    problem(from_data(tmp_path, base, change), "transitions[4].when[1].values", "guard fact_in")


def test_unknown_fact_in_a_guard(tmp_path, base):
    def change(d):
        d["transitions"][3]["when"][0]["fact"] = "residense"

    problem(from_data(tmp_path, base, change), "transitions[4].when[1]", "unknown fact 'residense'")


def test_bad_duration(tmp_path, base):
    def change(d):
        d["parameters"]["reflection_period"]["history"][1]["value"] = "thirty days"

    problem(from_data(tmp_path, base, change), "parameters.reflection_period.history[2].value")


def test_unknown_time_zone(tmp_path, base):
    def change(d):
        d["calendar"]["timezone"] = "Europe/Copenhagn"

    with pytest.raises(casepath.InputProblem) as caught:
        workflow_load.load(from_data(tmp_path, base, change))
    assert "calendar.timezone" in str(caught.value)
    assert "Europe/Copenhagn" in str(caught.value)


def test_broken_workflow_through_the_command_line(tmp_path, capsys):
    text = TEXT.replace("    error: not_a_victim\n", "    error: not_a_victm\n", 1)
    path = from_text(tmp_path, text)
    assert cli.main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert str(path) in err and "refusals[1].error" in err


def test_broken_workflow_given_to_simulate(tmp_path, capsys):
    text = TEXT.replace("    error: not_a_victim\n", "    error: not_a_victm\n", 1)
    workflow = from_text(tmp_path, text)
    scenario = from_text(
        tmp_path,
        "casepath: 1\ntitle: t\nperson: {residence: undocumented}\nevents:\n"
        "  - {date: 2022-03-01, event: contact, by: ngo}\n",
        "scenario.yaml",
    )
    assert cli.main(["simulate", str(scenario), "--workflow", str(workflow)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and str(workflow) in err


# ---------------------------------------------------------------- values simulate would crash on (issue 11)
# Each of these was accepted by `validate` and then ended `simulate` with an internal error.

IDENTIFIED_DO = '      - {action: set_deadline, id: extension_request_by, from: "deadline:reflection_end"}\n'
"""In the first `identified` transition, whose event has the choice field `by`."""


def _first(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def refused_at(path: Path, place: str, *words: str) -> str:
    """Load `path`; assert one line naming the file, a line, a place starting with `place`, and the words."""
    with pytest.raises(casepath.InputProblem) as caught:
        workflow_load.load(path)
    message = str(caught.value)
    assert "\n" not in message
    assert re.match(rf"{re.escape(str(path))}:\d+: {re.escape(place)}", message), message
    for word in words:
        assert word in message, message
    return message


@pytest.mark.parametrize(
    ("old", "new", "place", "words"),
    [
        ("  holidays: DK\n", "  holidays: XX\n", "calendar.holidays", ("'XX'", "holidays")),
        ("  holidays: DK\n", "  holidays: ../../etc/x\n", "calendar.holidays", ("pattern",)),
        ("    came_of_age: 18\n", "    came_of_age: 1000000000\n", "person.age_events.came_of_age", ("150",)),
        ("        value: 30 days\n", "        value: 999999 years\n", "parameters.", ("100 years",)),
        ("        value: 30 days\n", "        value: 36526 days\n", "parameters.", ("36525 days",)),
        (IDENTIFIED_DO, IDENTIFIED_DO.replace('"deadline:reflection_end"', '"field:by"'), "transitions[", ("date",)),
        (IDENTIFIED_DO, IDENTIFIED_DO.replace('"deadline:reflection_end"', '"fact:residence"'), "transitions[",
         ("plus",)),
        (IDENTIFIED_DO, IDENTIFIED_DO.replace('"}', '", plus: "field:by"}'), "transitions[", ("whole number",)),
        (IDENTIFIED_DO, IDENTIFIED_DO.replace('from: "deadline:reflection_end"',
         'from: "fact:residence", plus: "param:reflection_period"'), "transitions[", ("never holds a date",)),
        ("    label: Extension granted\n", '    label: "Extension\\ngranted"\n', "events.extension_granted.label",
         ("control character", "\\n")),
        ("    label: Extension granted\n", '    label: "Extension \\e[31mgranted"\n', "events.extension_granted.label",
         ("\\x1b",)),
    ],
)
def test_values_that_would_crash_a_simulation_are_refused_at_load(tmp_path, old, new, place, words):
    path = from_text(tmp_path, _first(TEXT, old, new))
    refused_at(path, place, *words)


def test_a_length_field_needs_a_bounded_maximum(tmp_path):
    field = "      hours: {type: integer, required: true, minimum: 1, maximum: 8760, unit: hours, label: extra hours}\n"
    path = from_text(tmp_path, _first(TEXT, field, field.replace("maximum: 8760, ", "")))
    refused_at(path, "transitions[", "hours", "876600")


def test_a_parameter_of_yes_and_no_is_not_a_length(tmp_path, base):
    def change(data):
        flag = next(n for n, p in data["parameters"].items() if isinstance(p["history"][-1]["value"], bool))
        for transition in data["transitions"]:
            for call in transition.get("do", []):
                if call.get("action") == "set_deadline" and str(call.get("plus", "")).startswith("param:"):
                    call["plus"] = f"param:{flag}"
                    return
        raise AssertionError("no set_deadline with plus: param")

    if not any(isinstance(p["history"][-1]["value"], bool) for p in base["parameters"].values()):
        pytest.fail("denmark.yaml has no yes/no parameter to test with")
    refused_at(from_data(tmp_path, base, change), "transitions[", "yes/no")


def test_a_country_the_holidays_library_knows_is_accepted(tmp_path):
    # SE has no committed table here: the library's list decides.
    workflow_load.load(from_text(tmp_path, _first(TEXT, "  holidays: DK\n", "  holidays: SE\n")))
