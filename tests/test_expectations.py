"""`casepath test` fed each kind of wrong expectation: it fails (exit 1) and says what was expected and what came.

The case: identified 2022-03-10 (the 30 days end 2022-04-09; the 120 days: 21 + 30 + 31 + 30 = 112 to
30 June, + 8 -> 2022-07-08), an extension asked for 04-01 and granted 04-05 without an end date, so the
departure deadline in force is 2022-07-08 (the 04-09 one was replaced). She is in the reflection period:
its offers apply, reintegration support does not. (There is no `state:` expectation in the scenario
format; the outcome is what a scenario states about where the case ended.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casepath import cli

CASE = """\
casepath: 1
title: Expectations under test
person: {alias: A, born: 1990-01-01, residence: undocumented}
events:
  - {date: 2022-03-10, event: identified, by: dis}
  - {date: 2022-04-01, event: extension_requested, reason: special_circumstances}
  - {date: 2022-04-05, event: extension_granted}
"""
DETAINED = """\
casepath: 1
title: A detention under test
person: {alias: A, born: 1990-01-01, residence: undocumented}
events:
  - {date: 2023-03-24T12:00, event: detained}
"""  # + 72 real hours across the change to summer time: 2023-03-27T13:00+02:00


def casepath_test(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> tuple[int, list[str]]:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    code = cli.main(["test", str(path)])
    out = capsys.readouterr().out
    return code, [line.strip() for line in out.splitlines()[1:-1]]  # between "FAIL/ok FILE" and the count


@pytest.mark.parametrize(
    "expect",
    [
        "expect:\n  outcome: in_progress\n",
        "expect:\n  deadlines: {departure_deadline: 2022-07-08, reflection_end: 2022-04-09}\n",
        "expect:\n  deadlines_absent: [reintegration_support_end, permit_expiry]\n",
        "expect:\n  entitlements: [safe_accommodation, legal_counselling, prepared_return_offer]\n",
        "expect:\n  entitlements_absent: [reintegration_support, stay_for_proceedings]\n",
        "expect:\n  assumptions: true\n",
    ],
)
def test_right_expectations_pass(tmp_path, capsys, expect: str) -> None:
    code, lines = casepath_test(tmp_path, capsys, CASE + expect)
    assert (code, lines) == (0, [])


@pytest.mark.parametrize(
    ("expect", "said"),
    [
        pytest.param("outcome: departed", "outcome: expected departed, got in_progress", id="wrong outcome"),
        pytest.param(
            "deadlines: {departure_deadline: 2022-04-09}",  # the replaced one: the one in force is 07-08
            "deadline departure_deadline: expected 2022-04-09, got 2022-07-08",
            id="wrong deadline date",
        ),
        pytest.param(
            "deadlines: {reintegration_support_end: 2023-01-01}",
            "deadline reintegration_support_end: expected 2023-01-01, got none",
            id="missing deadline",
        ),
        pytest.param(
            "deadlines_absent: [reflection_max_end]",
            "deadline reflection_max_end: expected none, got 2022-07-08",
            id="deadline that should be absent",
        ),
        pytest.param(
            "entitlements: [reintegration_support]",
            "entitlement reintegration_support: expected, got none",
            id="missing entitlement",
        ),
        pytest.param(
            "entitlements_absent: [legal_counselling]",
            "entitlement legal_counselling: expected none, got it",
            id="entitlement that should be absent",
        ),
        pytest.param(
            "error: exceeds_maximum", "error: expected exceeds_maximum, got none", id="an error that did not happen"
        ),
    ],
)
def test_each_kind_of_wrong_expectation_fails_with_expected_and_got(tmp_path, capsys, expect: str, said: str) -> None:
    code, lines = casepath_test(tmp_path, capsys, CASE + f"expect:\n  {expect}\n")
    assert (code, lines) == (1, [said])


def test_an_unexpected_error_is_named_with_its_message(tmp_path, capsys) -> None:
    # until 2022-07-31 is beyond the longest period (2022-07-08): refused
    text = CASE.replace("event: extension_granted}", "event: extension_granted, until: 2022-07-31}")
    code, lines = casepath_test(tmp_path, capsys, text + "expect:\n  outcome: in_progress\n")
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith("error: expected none, got exceeds_maximum (")


def test_assumptions_expected_none_but_some_were_made(tmp_path, capsys) -> None:
    code, lines = casepath_test(tmp_path, capsys, CASE + "expect:\n  assumptions: false\n")
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith("assumptions: expected none, got ")
    assert int(lines[0].rsplit(" ", 1)[1]) > 0


def test_every_wrong_expectation_is_listed_not_only_the_first(tmp_path, capsys) -> None:
    expect = (
        "expect:\n  outcome: removed\n  deadlines: {reflection_end: 2022-04-10}\n"
        "  entitlements: [reintegration_support]\n"
    )
    code, lines = casepath_test(tmp_path, capsys, CASE + expect)
    assert code == 1
    assert lines == [
        "outcome: expected removed, got in_progress",
        "deadline reflection_end: expected 2022-04-10, got 2022-04-09",
        "entitlement reintegration_support: expected, got none",
    ]


@pytest.mark.parametrize(
    ("written", "passes"),
    [
        ("2023-03-27T13:00:00+02:00", True),
        ("2023-03-27T13:00+02:00", True),  # the same instant, written shorter
        ("2023-03-27T11:00:00+00:00", True),  # the same instant in UTC
        ("2023-03-27T12:00:00+02:00", False),  # an hour early (the daylight-saving change forgotten)
        ("2023-03-27", False),  # a day is not the instant
    ],
)
def test_an_hour_deadline_is_compared_as_an_instant(tmp_path, capsys, written: str, passes: bool) -> None:
    expect = f"expect:\n  deadlines: {{detention_limit: '{written}'}}\n"
    code, lines = casepath_test(tmp_path, capsys, DETAINED + expect)
    if passes:
        assert (code, lines) == (0, [])
    else:
        assert (code, lines) == (1, [f"deadline detention_limit: expected {written}, got 2023-03-27T13:00:00+02:00"])
