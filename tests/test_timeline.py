"""`casepath timeline`: a case from command-line options, answered like `casepath simulate`.

Expected dates are worked out by hand (docs: domain §6): identified 2022-03-10, the 30-day
reflection period not counting that day ends 2022-04-09; the 120-day maximum ends 2022-07-08.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casepath import cli


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["timeline", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _deadlines(out: str) -> list[tuple[str, str, str]]:
    return [(d["id"], d["due"], d["status"]) for d in json.loads(out)["deadlines"]]


def test_the_example_from_the_issue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--identified", "2022-03-10", "--residence", "undocumented", "-f", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["events"][0]["fields"] == {"by": "dis"}  # the authority the workflow fixes for undocumented
    assert report["alias"] == "Client"
    assert _deadlines(out) == [
        ("reflection_end", "2022-04-09", "upcoming"),
        ("extension_request_by", "2022-04-09", "upcoming"),
        ("departure_deadline", "2022-04-09", "upcoming"),
        ("reflection_max_end", "2022-07-08", "upcoming"),
    ]


def test_default_authority_for_an_eu_citizen_is_cmm(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--identified", "2022-03-10", "--residence", "eu_citizen", "-f", "json")
    assert code == 0
    assert json.loads(out)["events"][0]["fields"] == {"by": "cmm"}


def test_wrong_authority_given_is_a_broken_rule_not_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "--identified", "2022-03-10", "--residence", "undocumented", "--by", "cmm", "-f", "json"
    )
    assert code == 1
    assert json.loads(out)["error"]["code"] == "wrong_authority"


def test_shortcuts_and_generic_events_together(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys,
        "--identified", "2022-03-10",
        "--residence", "undocumented",
        "--extension-requested", "2022-04-01",
        "--reason", "cooperation_on_return",
        "--extension-granted", "2022-04-05",
        "--event", "2022-03-01:contact:by=ngo",
        "--event", "2022-03-25T10:00:detained",
        "-f", "json",
    )  # fmt: skip
    assert code == 0
    report = json.loads(out)
    assert [(e["date"], e["event"]) for e in report["events"]] == [
        ("2022-03-01", "contact"),
        ("2022-03-10", "identified"),
        # 2022-03-25 10:00 +01:00 + 72 h = 2022-03-28 11:00 +02:00 (summer time from 2022-03-27)
        ("2022-03-25T10:00:00+01:00", "detained"),
        ("2022-03-28T11:00:00+02:00", "detention_limit_reached"),
        ("2022-04-01", "extension_requested"),
        ("2022-04-05", "extension_granted"),
    ]
    departure = [d for d in report["deadlines"] if d["id"] == "departure_deadline"]
    assert departure[-1]["due"] == "2022-07-08"  # extension without an end date: runs to the 120-day maximum


def test_save_then_simulate_gives_the_same_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    args = [
        "--alias", "Mira",
        "--identified", "2022-03-10",
        "--residence", "undocumented",
        "--born", "1996-05-14",
        "--person", "citizenship=NG",
        "--person", "exploitation=sexual,labour",
        "--extension-requested", "2022-04-01",
        "--reason", "special_circumstances",
        "--event", "2022-04-05:extension_granted:until=2022-06-30",
        "--prepared-return-accepted", "2022-06-20",
        "--returned", "2022-07-01",
        "--as-of", "2022-06-01",
        "-f", "json",
    ]  # fmt: skip
    code, from_options, _ = _run(capsys, *args, "--save", "case.yaml")
    assert code == 0
    saved = (tmp_path / "case.yaml").read_text()
    assert "  - {date: 2022-04-05, event: extension_granted, until: 2022-06-30}" in saved
    assert "rules_as_of: 2022-06-01" in saved
    assert cli.main(["simulate", "case.yaml", "-f", "json"]) == 0
    assert capsys.readouterr().out == from_options
    # never overwritten without --force
    code, out, err = _run(capsys, *args, "--save", "case.yaml")
    assert (code, out) == (2, "")
    assert err == "casepath: case.yaml: exists already; give --force to replace it\n"
    assert (tmp_path / "case.yaml").read_text() == saved


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--identified", "2022-02-30"], "--identified '2022-02-30' is not a date (write it as YYYY-MM-DD)"),
        (["--identified", "10.03.2022"], "--identified '10.03.2022' is not a date (write it as YYYY-MM-DD)"),
        (["--identified", "2022-03-10", "--born", "1996-13-01"], "--born '1996-13-01' is not a date"),
        (["--event", "2022-03-1x:contact:by=ngo"], "--event '2022-03-1x:contact:by=ngo': write DATE:EVENT"),
        (["--event", "2022-03-10:identifed:by=dis"], "unknown event 'identifed' (did you mean 'identified'?)"),
        (["--event", "2022-03-10:contact:by=police:x=1"], "--event 2022-03-10:contact:by=police:x=1 (x): unknown"),
        (["--extension-requested", "2022-04-01"], "--extension-requested needs --reason"),
        (["--by", "dis", "--event", "2022-03-10:identified:by=dis"], "--by goes with --identified"),
        (["--identified", "2022-03-10", "--person", "name=Jane"], "scenario files hold no personal data"),
        (["--identified", "2022-03-10", "--residence", "martian"], "--residence: 'martian' is not one of"),
        (["--identified", "2022-03-10", "--age", "30", "--born", "1990-01-01"], "give --born or --age, not both"),
        ([], "no events"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    base = [] if "--residence" in args else ["--residence", "undocumented"]
    code, out, err = _run(capsys, *base, *args)
    assert code == 2
    assert out == ""
    assert err.startswith("casepath: ") and err.count("\n") == 1
    assert message in err


def test_the_person_needs_the_workflows_required_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "--identified", "2022-03-10")
    assert code == 2
    assert "the person needs the field 'residence'" in err


MINI = """\
casepath_workflow: 1
id: elsewhere
title: A small workflow of another country, without the Danish events
calendar: {timezone: Europe/Oslo, holidays: "NO"}
rules_known_until: 2023-12-31
sources:
  law: {title: An imagined law, describes: the law of 2023}
outcomes: {done: the case is closed}
tracks:
  case:
    label: The case
    main: true
    initial: open
    states:
      open: {label: Open}
      closed: {label: Closed, final: true, outcome: done}
events:
  opened: {label: Case opened, track: case, fields: {by: {type: choice, required: true, values: [office]}}}
  closed: {label: Case closed, track: case}
transitions:
  - {event: opened, from: open, sources: [{doc: law, section: "1"}]}
  - {event: closed, from: open, to: closed, sources: [{doc: law, section: "2"}]}
"""


def test_another_workflow_runs_with_generic_events(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "elsewhere.yaml"
    path.write_text(MINI)
    code, out, err = _run(
        capsys, "--workflow", str(path), "--event", "2023-01-02:opened:by=office", "--event", "2023-02-01:closed",
        "-f", "json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert json.loads(out)["outcome"] == "done"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--returned", "2023-07-01"], "--returned: the workflow 'elsewhere' has no event 'returned'; use --event"),
        (["--residence", "undocumented", "--event", "2023-01-02:closed"], "--residence: the workflow 'elsewhere' has"),
        (["--event", "2023-01-02:opened"], "--event 2023-01-02:opened: opened needs the field 'by'"),
    ],
)
def test_options_the_workflow_lacks_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    """Shortcuts must not invent events or fields another workflow does not have."""
    path = tmp_path / "elsewhere.yaml"
    path.write_text(MINI)
    code, _, err = _run(capsys, "--workflow", str(path), *args)
    assert code == 2
    assert err == f"casepath: {message}\n" or err.startswith(f"casepath: {message}"), err
