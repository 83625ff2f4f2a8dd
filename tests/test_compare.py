"""`casepath compare`: one scenario under the rules of several dates, with dates worked out by hand.

Counting (domain.md §6): the day of the event is not counted, N days from day D end at the end of
D + N. Identified on 2010-03-10:
- 100 days (the maximum from 2007-08-01): 21 days to 2010-03-31, +30 April = 51, +31 May = 82,
  +18 June = 100 -> 2010-06-18;
- 120 days (the maximum from the assumed 2013-07-01): 20 more days, 12 to 2010-06-30, 8 in July
  -> 2010-07-08;
- 30 days (the reflection period): 21 to 2010-03-31, +9 April -> 2010-04-09.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import casepath
from casepath import api, cli, compare

SCENARIO = """\
casepath: 1
title: Woman identified by DIS in 2010 is granted an extension
person:
  alias: B
  born: 1988-02-02
  residence: undocumented
events:
  - {date: 2010-03-01, event: contact, by: ngo}
  - {date: 2010-03-10, event: identified, by: dis}
  - {date: 2010-04-01, event: extension_requested, reason: cooperation_on_return}
  - {date: 2010-04-05, event: extension_granted}
"""


@pytest.fixture()
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "extension-2010.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def run(path: Path, *dates: date) -> compare.Comparison:
    scenario = api.load_scenario(path)
    return compare.compare(scenario, casepath.load_workflow("denmark"), list(dates))


def differences(result: compare.Comparison) -> dict[tuple[str, str], list]:
    return {(row.kind, row.id): row.values for row in result.differences()}


def test_the_extension_ends_on_2010_06_18_under_2010_rules_and_2010_07_08_under_2022_rules(scenario_file) -> None:
    result = run(scenario_file, date(2010, 6, 1), date(2022, 6, 1))
    assert [r.label for r in result.runs] == ["rules of 2010-06-01", "rules of 2022-06-01"]
    found = differences(result)
    assert found[("deadline", "reflection_max_end")] == [
        {"due": "2010-06-18", "status": "upcoming"},
        {"due": "2010-07-08", "status": "upcoming"},
    ]
    assert [v["due"] for v in found[("deadline", "departure_deadline")]] == ["2010-06-18", "2010-07-08"]
    assert ("deadline", "reflection_end") not in found  # 2010-04-09 under both
    assert ("outcome", "outcome") not in found and ("error", "error") not in found
    # the maximum itself is listed as a rule that differs
    assert found[("rule", "reflection_maximum")] == [
        "100 days, since 2007-08-01",
        "120 days, since 2013-07-01 (date assumed)",
    ]
    # a CMM contact person exists only under the 2022 rules (assumed from 2022-01-01)
    assert found[("entitlement", "contact_person")] == [[], [{"from": "2010-03-10", "until": None}]]


def test_text_puts_the_runs_side_by_side_and_summarises_what_is_the_same(scenario_file) -> None:
    text = compare.render(run(scenario_file, date(2010, 6, 1), date(2022, 6, 1)))
    assert "    Latest end an extension could reach     2010-06-18 upcoming  2010-07-08 upcoming\n" in text
    assert "  2 deadlines the same: Last day of the reflection period; Last day to request an extension\n" in text
    assert "  Outcome: in progress\n" in text
    assert "    rules of 2010-06-01: 100 days, since 2007-08-01\n" in text


def test_one_date_is_compared_with_the_scenarios_own_dates(scenario_file) -> None:
    result = run(scenario_file, date(2022, 6, 1))
    assert [(r.label, r.as_of) for r in result.runs] == [("rules of 2022-06-01", "2022-06-01"), ("own dates", None)]
    found = differences(result)
    # the events of 2010 under their own dates get the 100-day maximum
    assert [v["due"] for v in found[("deadline", "reflection_max_end")]] == ["2010-07-08", "2010-06-18"]
    assert not any(kind == "rule" for kind, _ in found)  # one dated run: no rules to set against each other


def test_own_dates_set_aside_a_rules_as_of_in_the_file(tmp_path) -> None:
    path = tmp_path / "pinned.yaml"
    path.write_text(SCENARIO.replace("person:", "rules_as_of: 2022-06-01\nperson:"), encoding="utf-8")
    found = differences(run(path, date(2022, 6, 1)))
    assert [v["due"] for v in found[("deadline", "reflection_max_end")]] == ["2010-07-08", "2010-06-18"]


def test_a_run_that_breaks_a_rule_is_part_of_the_answer(tmp_path, capsys) -> None:
    # until 2010-07-08 is beyond the 100-day maximum of 2010 (2010-06-18), within the 120 days of 2022
    path = tmp_path / "until.yaml"
    path.write_text(SCENARIO.replace("event: extension_granted}", "event: extension_granted, until: 2010-07-08}"))
    found = differences(run(path, date(2010, 6, 1), date(2022, 6, 1)))
    assert found[("error", "error")] == [{"code": "exceeds_maximum", "event": 4}, None]
    assert cli.main(["compare", str(path), "--as-of", "2010-06-01", "--as-of", "2022-06-01"]) == 0
    out = capsys.readouterr().out
    assert "Under rules of 2010-06-01 the scenario stops at event 4:" in out


def test_json_holds_the_reports_and_the_differences(scenario_file, capsys) -> None:
    assert (
        cli.main(["compare", str(scenario_file), "--as-of", "2010-06-01", "--as-of", "2022-06-01", "-f", "json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert [r["rules_as_of"] for r in data["reports"]] == ["2010-06-01", "2022-06-01"]
    rows = {(d["kind"], d["id"]): d["values"] for d in data["differences"]}
    assert [v["due"] for v in rows[("deadline", "reflection_max_end")]] == ["2010-06-18", "2010-07-08"]
    assert data["same"]["deadline"] == 2


def test_input_problems_exit_2(scenario_file, capsys) -> None:
    assert cli.main(["compare", str(scenario_file)]) == 2
    assert cli.main(["compare", str(scenario_file), "--as-of", "2010-02-30"]) == 2
    assert cli.main(["compare", str(scenario_file) + ".missing", "--as-of", "2010-06-01"]) == 2
    assert cli.main(["compare", str(scenario_file), "--as-of", "2010-06-01", "--variant", "nope"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 4 and all(line.startswith("casepath: ") for line in err)
