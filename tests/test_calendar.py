"""Calendars a caseworker can trust (issue 12): UIDs, reminders, statuses, SEQUENCE, an empty case.

Every file is checked with two parsers and the RFC 5545 rules (tests/calendar_check.py).
Dates worked out by hand: identified 2022-03-10 + 30 days = 2022-04-09 (a Saturday); the 120-day
maximum is 2022-07-08 (a Friday). Copenhagen is +02:00 from 27 March to 30 October 2022, +01:00
outside it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from calendar_check import strict

from casepath import api, cli, clock, render

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").rglob("*.yaml"))


def _timeline_ics(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["timeline", *args, "-f", "ics"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _uids(text: str) -> set[str]:
    return {str(event["uid"]) for event in strict(text).events}


def _case(events: list[dict], alias: str = "C", **head) -> dict:
    person = {"alias": alias, "residence": "undocumented"}
    return {"casepath": 1, "title": "Case", **head, "person": person, "events": events}


def _ics(data: dict, name: str = "<scenario>", on: date | None = None) -> str:
    workflow = api.load_workflow("denmark")
    scenario = api.scenario_from_dict(data, workflow)
    if name != "<scenario>":
        scenario = scenario.model_copy(update={"file": name})
    return render.render_all("ics", [(api.simulate(scenario, workflow, on=on), workflow)], single=True)


IDENTIFIED = [{"date": "2022-03-10", "event": "identified", "by": "dis"}]
EXTENDED = [
    *IDENTIFIED,
    {"date": "2022-04-01", "event": "extension_requested", "reason": "special_circumstances"},
    {"date": "2022-04-05", "event": "extension_granted"},
]


# ------------------------------------------------------------------------------- UIDs


def test_two_clients_of_the_issue_never_share_a_uid(capsys) -> None:
    # The issue's case: two timelines with the default alias and title, identified on different days.
    code, first, _ = _timeline_ics(capsys, "--identified", "2022-03-10", "--residence", "undocumented")
    assert code == 0
    code, second, _ = _timeline_ics(capsys, "--identified", "2023-09-01", "--residence", "undocumented")
    assert code == 0
    assert _uids(first) and _uids(second) and not _uids(first) & _uids(second)


def test_a_case_keeps_its_uids_across_runs_and_as_it_goes_on(capsys) -> None:
    code, again, _ = _timeline_ics(capsys, "--identified", "2022-03-10", "--residence", "undocumented")
    assert code == 0
    code, once, _ = _timeline_ics(capsys, "--identified", "2022-03-10", "--residence", "undocumented")
    assert code == 0 and once == again  # the same case gives the same bytes
    before, after = _ics(_case(IDENTIFIED)), _ics(_case(EXTENDED))
    # A later event keeps the UIDs of the deadlines the case already had.
    assert _uids(before) <= _uids(after)


def test_uids_come_from_the_case_ref_when_given_else_from_file_and_person() -> None:
    # The same case_ref names the same case, whatever the file or the title.
    one = _ics(_case(IDENTIFIED, case_ref="2023-017"), name="a/one.yaml")
    two = _ics({**_case(IDENTIFIED, case_ref="2023-017"), "title": "Renamed"}, name="b/two.yaml")
    assert _uids(one) == _uids(two)
    assert not _uids(one) & _uids(_ics(_case(IDENTIFIED, case_ref="2023-018"), name="a/one.yaml"))
    # Without it: the same content in two files is two cases; so is another person in one file.
    in_a, in_b = _ics(_case(IDENTIFIED), name="a/case.yaml"), _ics(_case(IDENTIFIED), name="b/case.yaml")
    assert not _uids(in_a) & _uids(in_b)
    assert not _uids(in_a) & _uids(_ics(_case(IDENTIFIED, alias="D"), name="a/case.yaml"))


def test_the_same_file_gives_the_same_uids_from_any_folder(tmp_path: Path, monkeypatch, capsys) -> None:
    path = tmp_path / "cases" / "c.yaml"
    path.parent.mkdir()
    cli.main(["timeline", "--identified", "2022-03-10", "--residence", "undocumented", "--save", str(path)])
    capsys.readouterr()
    texts = []
    for folder in (tmp_path, path.parent):
        monkeypatch.chdir(folder)
        assert cli.main(["simulate", str(path.relative_to(folder)), "-f", "ics"]) == 0
        texts.append(capsys.readouterr().out)
    assert texts[0] == texts[1]


# ------------------------------------------------------------------------------- reminders


def _alarms(text: str) -> list[tuple[str, datetime, str]]:
    out = []
    for event in strict(text).events:
        for alarm in event.walk("VALARM"):
            out.append((str(event["summary"]), alarm.decoded("trigger"), str(alarm["description"])))
    return out


def test_three_deadlines_on_a_saturday_get_one_reminder_on_the_friday_at_nine() -> None:
    # Looked at on 2022-04-01: reflection end, last day to ask for an extension and departure
    # deadline all fall on Saturday 2022-04-09. One reminder: Friday 2022-04-08 09:00 +02:00 = 07:00 UTC.
    # The 120-day maximum, Friday 2022-07-08: Thursday 2022-07-07 09:00 +02:00 = 07:00 UTC.
    alarms = _alarms(_ics(_case(IDENTIFIED), on=date(2022, 4, 1)))
    assert [trigger for _, trigger, _ in alarms] == [
        datetime(2022, 4, 8, 7, 0, tzinfo=UTC),
        datetime(2022, 7, 7, 7, 0, tzinfo=UTC),
    ]
    first = alarms[0][2]
    for label in ("Last day of the reflection period", "Last day to request an extension", "Departure deadline"):
        assert label in first


def test_a_reminder_skips_easter() -> None:
    # Identified 2022-03-19: + 30 days = Easter Monday 2022-04-18. Before it: Easter Sunday, Saturday,
    # Good Friday (15th), Maundy Thursday (14th): the last working day is Wednesday 2022-04-13,
    # 09:00 +02:00 = 07:00 UTC.
    text = _ics(_case([{"date": "2022-03-19", "event": "identified", "by": "dis"}]))
    triggers = {trigger for _, trigger, _ in _alarms(text)}
    assert datetime(2022, 4, 13, 7, 0, tzinfo=UTC) in triggers


@pytest.mark.parametrize("day", [date(2022, 1, 1) + (date(2022, 1, 8) - date(2022, 1, 1)) * n for n in range(0, 53)])
def test_reminders_are_never_on_a_closed_day_and_come_before_the_due_day(day: date) -> None:
    # One identification a week through 2022: every reminder at 09:00 Copenhagen time on an open day.
    workflow = api.load_workflow("denmark")
    text = _ics(_case([{"date": day.isoformat(), "event": "identified", "by": "dis"}]))
    for event in strict(text).events:
        start = event.decoded("dtstart")
        due = start.date() if isinstance(start, datetime) else start
        for alarm in event.walk("VALARM"):
            local = alarm.decoded("trigger").astimezone(workflow.zone)
            assert (local.hour, local.minute) == (9, 0)
            assert not clock.is_closed(local.date(), "DK"), local
            assert local.date() < due


def test_no_reminder_for_what_no_longer_applies_and_marked_so() -> None:
    # The bundled example returns on 2022-07-01: the 120-day maximum (2022-07-08) no longer applies.
    scenario = api.load_scenario(ROOT / "examples" / "dis-undocumented-prepared-return.yaml")
    workflow = api.load_workflow("denmark")
    text = render.render_all("ics", [(api.simulate(scenario, workflow), workflow)], single=True)
    for event in strict(text).events:
        summary = str(event["summary"])
        if "no longer applies" in summary:
            assert str(event["status"]) == "CANCELLED" and not event.walk("VALARM")
        if summary.endswith(("[met]", "[expired]")):
            assert str(event["status"]) == "CONFIRMED" and not event.walk("VALARM")
    summaries = [str(e["summary"]) for e in strict(text).events]
    assert "Latest end an extension could reach (A) [no longer applies]" in summaries


def test_a_moved_deadline_keeps_its_uid_with_a_higher_sequence() -> None:
    # The extension granted on 2022-04-05 moves the departure deadline from 2022-04-09 to 2022-07-08.
    def departure(text: str):
        (event,) = [e for e in strict(text).events if str(e["summary"]).startswith("Departure deadline")]
        return str(event["uid"]), int(event["sequence"]), event.decoded("dtstart")

    before, after = departure(_ics(_case(IDENTIFIED))), departure(_ics(_case(EXTENDED)))
    assert before[0] == after[0]
    assert (before[1], before[2]) == (0, date(2022, 4, 9))
    assert (after[1], after[2]) == (1, date(2022, 7, 8))


def test_a_case_without_deadlines_gives_an_empty_valid_calendar_and_a_notice(capsys) -> None:
    example = ROOT / "examples" / "not-identified-after-assessment.yaml"
    code = cli.main(["simulate", str(example), "-f", "ics"])
    captured = capsys.readouterr()
    assert code == 0
    calendar = strict(captured.out)
    assert list(calendar.events) == [] and [tz.tz_name for tz in calendar.timezones] == ["Europe/Copenhagen"]
    assert captured.err == f"casepath: {example}: no deadline, so the calendar has no event for this case\n"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_calendar_passes_the_strict_check(example: Path) -> None:
    scenario = api.load_scenario(example)
    workflow = api.load_workflow(scenario.workflow)
    strict(render.render_all("ics", [(api.simulate(scenario, workflow), workflow)], single=True))
