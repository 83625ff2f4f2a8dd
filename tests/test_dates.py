"""A date is a date (domain.md §8.8): a plain number where a date or a date-time is expected is
refused with exit 2 and one line naming the place, never read as a Unix timestamp or a compact
date. Scenario files, command-line options and workflow files all go through
`casepath.dates`."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from casepath import cli
from casepath.dates import option_date, read_date, read_date_or_time
from casepath.problems import InputProblem

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / "workflows" / "denmark.yaml"
EXAMPLE = REPO / "examples" / "dis-undocumented-prepared-return.yaml"

GOOD = """\
casepath: 1
title: Undocumented woman identified by DIS
person:
  alias: A
  born: 1996-05-14
  residence: undocumented
events:
  - {date: 2022-03-01, event: contact, by: ngo}
  - {date: 2022-03-10, event: identified, by: dis}
  - {date: 2022-04-01, event: extension_requested, reason: cooperation_on_return}
  - {date: 2022-04-05, event: extension_granted, until: 2022-05-31}
"""
# line 5: born; line 9: events[2]; line 11: events[4]


def refused(capsys, *args: str) -> str:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


def scenario(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_good_scenario_runs(tmp_path, capsys):
    assert cli.main(["simulate", str(scenario(tmp_path, GOOD))]) == 0
    capsys.readouterr()


@pytest.mark.parametrize(
    ("old", "new", "place", "line"),
    [
        ("{date: 2022-03-10,", "{date: 20220310,", "events[2].date", 9),  # once read as 1970-08-23
        ("{date: 2022-03-10,", '{date: "20220310",', "events[2].date", 9),  # once read as 2022-03-10 00:00
        ("{date: 2022-03-10,", "{date: 1646870400,", "events[2].date", 9),  # a real timestamp of 2022-03-10
        ("{date: 2022-03-10,", "{date: 2022,", "events[2].date", 9),
        ("{date: 2022-03-10,", "{date: 0,", "events[2].date", 9),  # once read as 1970-01-01
        ("{date: 2022-03-10,", "{date: 2022.5,", "events[2].date", 9),
        ("  born: 1996-05-14\n", "  born: 19960514\n", "person.born", 5),
        ("  born: 1996-05-14\n", "  born: 0\n", "person.born", 5),
        ("until: 2022-05-31}", "until: 20220531}", "events[4].until", 11),
        ("title: Undocumented", "rules_as_of: 2022\ntitle: Undocumented", "rules_as_of", 2),
        ("title: Undocumented", "rules_as_of: 0\ntitle: Undocumented", "rules_as_of", 2),
    ],
)
def test_a_number_is_not_a_date_in_a_scenario(tmp_path, capsys, old, new, place, line):
    assert old in GOOD
    path = scenario(tmp_path, GOOD.replace(old, new, 1))
    message = refused(capsys, "simulate", str(path))
    assert f"{path}:{line}: {place}: " in message, message
    assert "is a number, not a date" in message, message


def test_a_compact_date_gets_its_written_form_as_a_hint(tmp_path, capsys):
    path = scenario(tmp_path, GOOD.replace("{date: 2022-03-10,", "{date: 20220310,"))
    assert "e.g. 2022-03-10" in refused(capsys, "simulate", str(path))


def test_a_number_in_an_expected_deadline_is_refused(tmp_path, capsys):
    path = scenario(tmp_path, GOOD + 'expect:\n  deadlines: {reflection_end: "20220409"}\n')
    message = refused(capsys, "test", str(path))
    assert "expect.deadlines.reflection_end" in message and "is a number" in message, message


def test_a_date_time_with_offset_still_reads(tmp_path, capsys):
    path = scenario(tmp_path, GOOD.replace("{date: 2022-03-10,", "{date: 2022-03-10T09:30+01:00,"))
    assert cli.main(["simulate", "--format", "json", str(path)]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("value", ["20220310", "2022", "0", "1646870400", "-1", "2022.0"])
def test_as_of_refuses_a_number(capsys, value):
    message = refused(capsys, "simulate", "--as-of", value, str(EXAMPLE))
    assert message.startswith(f"casepath: --as-of {value!r} is a number, not a date"), message
    assert "is a number, not a date" in message


def test_as_of_still_takes_a_date(capsys):
    assert cli.main(["simulate", "--format", "json", "--as-of", "2010-06-01", str(EXAMPLE)]) == 0
    assert '"rules_as_of": "2010-06-01"' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("old", "new", "line_text"),
    [
        ("rules_known_until: 2022-12-31", "rules_known_until: 20221231", "rules_known_until"),
        ("        from: 2007-08-01\n", "        from: 2007\n", "from"),
        ("        not_before: 2013-01-31\n", "        not_before: 20130131\n", "not_before"),
        ("        certain_from: 2007-08-01\n", "        certain_from: 0\n", "certain_from"),
    ],
)
def test_a_number_is_not_a_date_in_a_workflow(tmp_path, capsys, old, new, line_text):
    text = WORKFLOW.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "numbers.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    message = refused(capsys, "validate", str(path))
    assert str(path) in message and line_text in message and "is a number, not a date" in message, message
    line = int(message.split(":")[2])
    assert line_text in path.read_text(encoding="utf-8").splitlines()[line - 1]


def test_option_date_helper():
    day = date(2024, 12, 25)
    assert option_date("--on", "2022-04-20") == date(2022, 4, 20)
    assert option_date("--on", "today", today=day) == day
    assert option_date("--on", " Today ", today=day) == day
    assert option_date("--on", None) is None
    with pytest.raises(InputProblem, match=r"--on 'today' is not a date \(write it as YYYY-MM-DD\)"):
        option_date("--on", "today")  # no meaning for "today" given: refused like any word
    number = r"--on '20220420' is a number, not a date \(write it as YYYY-MM-DD or today, e.g. 2022-04-20\)"
    with pytest.raises(InputProblem, match=number):
        option_date("--on", "20220420", today=day)


def test_readers_refuse_numbers_and_accept_dates():
    assert read_date("2022-03-10") == date(2022, 3, 10)
    assert read_date(date(2022, 3, 10)) == date(2022, 3, 10)
    assert read_date_or_time("2023-03-24T12:00") == datetime(2023, 3, 24, 12, 0)
    for bad in (20220310, "20220310", 2022, 0, 1.5, "2022-3-10", "2022-02-30", datetime(2022, 3, 10)):
        with pytest.raises(ValueError):
            read_date(bad)
    for bad in (20220310, "20220310", "20220310T0930", 0):
        with pytest.raises(ValueError):
            read_date_or_time(bad)
