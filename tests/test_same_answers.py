"""The speed work of issue 14 changes no answer.

`tests/golden/reports.json.gz` holds the JSON reports the engine gave BEFORE that work (made
by `tests/golden/make_golden.py`, commit named in the file): the bundled examples (plain, step
by step, in Danish, looked at 400 days on, under the rules of 2011) and 300 generated scenarios
(plain and looked at a later day). Each is run again here and must give the same report, twice:
with the workflow read and checked now, and with the workflow as a new process takes it from the
workflow cache (casepath.workflow.cache).

If an answer changes on purpose (a rule corrected), regenerate the file in that commit and say
why in its message; never to make this test pass.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).parent / "golden"
sys.path.insert(0, str(GOLDEN))

import make_golden  # noqa: E402


def _first_difference(want: Any, got: Any, path: str = "") -> str | None:
    if type(want) is not type(got):
        return f"{path or '.'}: expected {want!r}, got {got!r}"
    if isinstance(want, dict):
        for key in sorted(set(want) | set(got)):
            if key not in got or key not in want:
                return f"{path}.{key}: expected {want.get(key)!r}, got {got.get(key)!r}"
            found = _first_difference(want[key], got[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(want, list):
        for index, (a, b) in enumerate(zip(want, got, strict=False)):
            found = _first_difference(a, b, f"{path}[{index}]")
            if found:
                return found
        if len(want) != len(got):
            return f"{path}: expected {len(want)} items, got {len(got)}"
        return None
    return None if want == got else f"{path or '.'}: expected {want!r}, got {got!r}"


def _golden() -> list[dict[str, Any]]:
    return json.loads(gzip.decompress((GOLDEN / "reports.json.gz").read_bytes()))["cases"]


def test_the_golden_file_covers_what_it_claims() -> None:
    cases = _golden()
    examples = {c["example"] for c in cases if "example" in c}
    assert len(examples) == len(list((GOLDEN.parents[1] / "examples").glob("*.yaml")))
    assert sum("scenario" in c for c in cases) == 2 * make_golden.GENERATED
    outcomes = {c["report"]["outcome"] for c in cases if isinstance(c["report"], dict)}
    # Every outcome, and rule errors, are among the answers held.
    assert {"prepared_return", "residence_permit", "departed", "disappeared", "removed", "not_identified",
            "in_progress"} <= outcomes  # fmt: skip
    assert any(isinstance(c["report"], dict) and c["report"]["error"] for c in cases)


def _checked_now(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The English workflow read and checked from its file (the workflow cache turned off)."""
    from casepath.workflow import load as workflow_load

    with monkeypatch.context() as patch:
        patch.setenv("CASEPATH_NO_CACHE", "1")
        workflow_load._load_cached.cache_clear()
        fresh = workflow_load.load("denmark")
    workflow_load._load_cached.cache_clear()
    return fresh


def _kept_between_processes(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The English workflow as a new process gets it from the workflow cache (never checked again)."""
    from casepath.workflow import load as workflow_load

    monkeypatch.delenv("CASEPATH_NO_CACHE", raising=False)
    workflow_load._load_cached.cache_clear()
    workflow_load.load("denmark")  # fills the cache if it is empty
    workflow_load._load_cached.cache_clear()

    def not_again(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the workflow was read and checked again instead of taken from the cache")

    with monkeypatch.context() as patch:
        patch.setattr(workflow_load, "compile_document", not_again)
        kept = workflow_load.load("denmark")
    workflow_load._load_cached.cache_clear()
    return kept


@pytest.mark.parametrize("source", ["checked now", "kept between processes"])
@pytest.mark.parametrize("kind", ["examples", "generated"])
def test_every_report_is_the_same_as_before(kind: str, source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    workflows: dict[str, Any] = {}
    workflows["en"] = (_checked_now if source == "checked now" else _kept_between_processes)(monkeypatch)
    differences = []
    for number, case in enumerate(_golden()):
        if ("example" in case) != (kind == "examples"):
            continue
        question = {k: v for k, v in case.items() if k != "report"}
        got = json.loads(json.dumps(make_golden.answer(question, workflows)))
        found = _first_difference(case["report"], got)
        if found:
            what = case.get("example") or case["scenario"]["title"]
            differences.append(f"case {number} ({what}, {sorted(question)}): {found}")
    assert not differences, f"{len(differences)} answers changed; first: " + "\n".join(differences[:5])


def test_a_report_the_engine_makes_has_every_field_and_private_attribute() -> None:
    # `Report.made` sets the private attributes by name, without pydantic's defaults: one added to the
    # class and not there would be missing from every report the engine makes.
    import casepath
    from casepath.report import Report

    report = casepath.simulate_file(Path(__file__).parents[1] / "examples" / "dis-undocumented-prepared-return.yaml")
    assert set(report.__pydantic_private__ or {}) == set(Report.__private_attributes__)
    assert report.model_fields_set == set(Report.model_fields)
    assert report.steps is None and report.case_key


def test_entries_share_their_fields_set_and_assigning_a_field_keeps_it_whole() -> None:
    # `report.built` gives every entry of a model one shared set of all its field names: safe only
    # while nothing takes a name out. Assigning a field (pydantic adds its name) and copying must
    # leave every entry with all its fields set, and a copy's set its own.
    import casepath
    from casepath.report import EventEntry

    report = casepath.simulate_file(Path(__file__).parents[1] / "examples" / "dis-undocumented-prepared-return.yaml")
    first, second = report.events[0], report.events[1]
    first.note = "changed by a reader"
    assert first.model_fields_set == second.model_fields_set == set(EventEntry.model_fields)
    copied = first.model_copy(update={"note": "a copy"})
    copied.model_fields_set.discard("note")
    assert first.model_fields_set == set(EventEntry.model_fields) and second.note != "changed by a reader"
    assert json.loads(second.model_dump_json(by_alias=True))["from"] == second.from_


def test_reports_share_their_assumption_entries_which_cannot_be_changed() -> None:
    # One entry per assumption as worded, shared by every report that lists it (`Words.listed_entry`):
    # safe only because it is frozen, so one report's reader cannot change another's.
    import pydantic

    import casepath

    example = Path(__file__).parents[1] / "examples" / "dis-undocumented-prepared-return.yaml"
    first, second = casepath.simulate_file(example), casepath.simulate_file(example)
    assert first.assumptions and all(a is b for a, b in zip(first.assumptions, second.assumptions, strict=True))
    with pytest.raises(pydantic.ValidationError):
        first.assumptions[0].note = "changed"
    assert second.assumptions[0].note != "changed"
