"""`casepath schema`: a valid JSON Schema (draft 2020-12) that accepts the real scenario files and refuses bad ones.

Checked with the `jsonschema` library. Files are read the way casepath and editors read YAML
(YAML 1.2: dates stay text), through casepath's own reader.
"""

from __future__ import annotations

import copy
import io
import json
import os
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from casepath import cli, yamlfile
from casepath.problems import InputProblem

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"  # the team's shared folder, beside the repository
ACCEPTANCE = SHARED / "acceptance" / "cases"
IN_CI = bool(os.environ.get("CI"))


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["schema"]) == 0
    schema = json.loads(out.getvalue())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def scenario_files() -> list[Path]:
    files = sorted((ROOT / "examples").glob("*.yaml"))
    if ACCEPTANCE.is_dir():
        files += sorted(ACCEPTANCE.glob("*/scenario.yaml"))
    return files


@pytest.mark.skipif(not IN_CI and not ACCEPTANCE.is_dir(), reason=f"{ACCEPTANCE} absent (allowed outside CI)")
def test_the_shared_acceptance_cases_are_found():
    # Outside CI a clone without the shared folder checks the examples alone; in CI (CI=true) the
    # folder must exist beside the repository (.ci/run runs its acceptance cases from there).
    assert ACCEPTANCE.is_dir(), f"{ACCEPTANCE} is missing: CI runs beside the shared folder"
    assert any(p.name == "scenario.yaml" for p in scenario_files())


def read(path: Path) -> Any:
    return yamlfile.load(path).data


def test_the_schema_is_a_valid_draft_2020_12_schema(validator: Draft202012Validator):
    schema = validator.schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    # help for editors comes from the workflow's labels
    contact = next(rule["then"] for rule in schema["properties"]["events"]["items"]["allOf"] if "contact" in str(rule))
    assert contact["title"] == "First contact"


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_scenario_file_validates(validator: Draft202012Validator, path: Path):
    expected = path.with_name("expected.json")
    refused = expected.is_file() and json.loads(expected.read_text(encoding="utf-8")).get("exit") == 2
    if refused:  # an acceptance case about a bad file: casepath must refuse it, and so must the schema
        try:
            data = read(path)
        except InputProblem:
            return  # not YAML at all: there is nothing for a schema to check
        assert list(validator.iter_errors(data)) != [], f"{path}: the schema accepts a file casepath refuses"
        return
    data = read(path)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


BASE: dict[str, Any] = {
    "casepath": 1,
    "title": "Pseudonymous test case",
    "person": {"alias": "A", "born": "1996-05-14", "residence": "undocumented", "exploitation": ["sexual"]},
    "events": [
        {"date": "2022-03-01", "event": "contact", "by": "ngo"},
        {"date": "2022-03-10", "event": "identified", "by": "dis"},
        {"date": "2022-04-01", "event": "extension_requested", "reason": "cooperation_on_return", "days": 100},
        {"date": "2023-03-24T12:00", "event": "detained"},
    ],
    "expect": {"outcome": "in_progress", "deadlines": {"reflection_end": "2022-04-09"}},
}


def changed(change) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    change(data)
    return data


def test_the_hand_made_scenario_is_accepted(validator: Draft202012Validator):
    assert list(validator.iter_errors(BASE)) == []


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: d["events"].append({"date": "2022-05-01", "event": "vanished"}), id="unknown event"),
        pytest.param(lambda d: d["events"][0].pop("by"), id="missing required field"),
        pytest.param(lambda d: d["events"][1].update(by="police"), id="wrong choice"),
        pytest.param(lambda d: d["events"][0].update(reason="x"), id="field of another event"),
        pytest.param(lambda d: d["events"][2].update(days=0), id="number below the minimum"),
        pytest.param(lambda d: d["events"][0].update(date="1 March 2022"), id="not a date"),
        pytest.param(lambda d: d["person"].update(name="Jane Doe"), id="personal data: name"),
        pytest.param(lambda d: d["person"].update(age=26), id="born and age"),
        pytest.param(lambda d: d["person"].pop("residence"), id="missing required person field"),
        pytest.param(lambda d: d["person"].update(citizenship="Nigeria"), id="country not a code"),
        pytest.param(lambda d: d["person"].update(exploitation=["fishing"]), id="wrong choice in a list"),
        pytest.param(lambda d: d.update(casepath=2), id="format version"),
        pytest.param(lambda d: d.pop("title"), id="no title"),
        pytest.param(lambda d: d.update(notes="x"), id="unknown top-level key"),
        pytest.param(lambda d: d["expect"].update(outcome="happy"), id="unknown outcome"),
        pytest.param(lambda d: d["expect"]["deadlines"].update(reflection_ends="2022-04-09"), id="unknown deadline"),
        pytest.param(lambda d: d["expect"].update(entitlements=["housing"]), id="unknown entitlement"),
        pytest.param(lambda d: d["events"].append({"date": "2022-05-01", "event": "came_of_age"}), id="automatic"),
        pytest.param(lambda d: d.update(variants=["tuesday"]), id="unknown variant"),
    ],
)
def test_bad_scenarios_are_rejected(validator: Draft202012Validator, change):
    assert list(validator.iter_errors(changed(change))) != []


def test_schema_writes_to_a_file_and_refuses_to_overwrite(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    target = tmp_path / "casepath.schema.json"
    assert cli.main(["schema", "--output", str(target)]) == 0
    Draft202012Validator.check_schema(json.loads(target.read_text(encoding="utf-8")))
    assert cli.main(["schema", "--output", str(target)]) == 2
    assert "exists already" in capsys.readouterr().err


def test_an_unknown_workflow_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]):
    assert cli.main(["schema", "--workflow", "atlantis"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("casepath: unknown workflow 'atlantis'")
