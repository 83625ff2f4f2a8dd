"""The Markdown and iCalendar reports: checked by parsing them with real parsers (markdown-it-py, icalendar).

Expected dates are worked out by hand in each test, from the rules in docs/domain (30-day
reflection period, 120-day maximum, 6 months of reintegration support, 72 hours of detention
counted in real elapsed time).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import markdown_it  # markdown-it-py, a test dependency (pyproject.toml): missing, the tests fail
import pytest
from icalendar import Calendar

from casepath import api, cli
from casepath.render import ics, markdown
from casepath.report import Report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "dis-undocumented-prepared-return.yaml"
AUTUMN = ROOT / "examples" / "detention-across-autumn-clock-change.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _run(path: Path) -> tuple[Report, object]:
    scenario = api.load_scenario(path)
    workflow = api.load_workflow(scenario.workflow)
    return api.simulate(scenario, workflow), workflow


# ---------------------------------------------------------------------------------------- Markdown


def _parse(text: str) -> tuple[list[str], list[list[list[str]]]]:
    """Headings (h1, h2) and tables (rows of cell texts, header first) of a Markdown document."""
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(text)
    headings: list[str] = []
    tables: list[list[list[str]]] = []
    row: list[str] | None = None
    in_heading = False
    for token in tokens:
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            tables[-1].append(row or [])
            row = None
        elif token.type == "inline":
            plain = "".join(child.content for child in token.children or [] if child.type in ("text", "code_inline"))
            if in_heading:
                headings.append(plain)
            elif row is not None:
                row.append(plain)
    return headings, tables


def test_markdown_of_the_bundled_example_has_the_hand_worked_tables() -> None:
    report, workflow = _run(EXAMPLE)
    headings, tables = _parse(markdown.render_all([(report, workflow)]))
    assert headings[0] == "Undocumented woman identified by DIS accepts a prepared return (2022)"
    assert headings[1:8] == [
        "Key dates on 2022-07-01",  # the last event's date: the report's day
        "What happened",
        "Where the case stands",
        "Deadlines",
        "Entitlements",
        "Assumptions this report relies on",
        "Source documents",
    ]
    happened, stands, deadlines, entitlements = tables
    assert happened[0] == ["Date", "Event", "Change", "Note"]
    assert [r[0] for r in happened[1:]] == [
        "2022-03-01",
        "2022-03-10",
        "2022-04-01",
        "2022-04-05",
        "2022-06-20",
        "2022-07-01",
    ]
    assert happened[3][1] == "Extension of the reflection period requested (reason: cooperation on a prepared return)"
    assert happened[2][2] == "Stay and pathway: In contact with outreach or an authority → Reflection period running"
    assert stands[1] == ["Stay and pathway", "Returned home under a prepared return"]
    assert len(stands) == 1 + 5
    assert deadlines[0] == ["Due", "What", "Status", "How", "Warnings", "Sources"]
    # identified 2022-03-10: + 30 days = 2022-04-09 (a Saturday); + 120 days = 2022-07-08;
    # returned 2022-07-01 + 6 months = 2023-01-01 (New Year's Day).
    # In date order; looked at on the last event's day, 2022-07-01.
    assert [r[:3] for r in deadlines[1:]] == [
        ["2022-04-09", "Last day of the reflection period", "expired"],
        ["2022-04-09", "Last day to request an extension", "met"],  # asked for on 2022-04-01
        ["2022-04-09", "Departure deadline", "replaced by a later one"],  # the extension moved it
        ["2022-07-08", "Latest end an extension could reach", "no longer applies"],  # she returned on 07-01
        ["2022-07-08", "Departure deadline", "met"],  # she left on 07-01
        ["2023-01-01", "End of reintegration support", "upcoming"],
    ]
    assert "last working day before it is Friday 2022-04-08" in deadlines[1][4]
    assert "last working day before it is Friday 2022-12-30" in deadlines[6][4]
    assert deadlines[6][5].startswith("EU page on Denmark (2013), §3 Implementation — Reflection period, para 6")
    assert entitlements[0] == ["Entitlement", "From", "Until", "Sources"]
    assert entitlements[1][:3] == [
        "Safe accommodation (shelter, safe house or asylum centre)",
        "2022-03-10",
        "2022-07-01",
    ]
    assert entitlements[-1][:3] == ["Reintegration support after return", "2022-07-01", "2023-01-01"]
    assert len(entitlements) == 1 + 9


def test_markdown_cells_keep_pipes_and_special_characters_as_text() -> None:
    report, workflow = _run(EXAMPLE)
    nasty = "a | b *c* _d_ [e](f) <g> `h` \\ & # 1. ~i~"
    deadline = report.deadlines[0].model_copy(update={"label": nasty, "warnings": [nasty, "x|y"]})
    report = report.model_copy(update={"title": "# 1. " + nasty, "deadlines": [deadline], "alias": "- " + nasty})
    text = markdown.render(report, workflow)
    headings, tables = _parse(text)
    assert headings[0] == "# 1. " + nasty
    rows = tables[2]
    assert all(len(row) == 6 for row in rows)  # no pipe split a cell
    assert rows[1][1] == nasty
    assert rows[1][4] == nasty + "; x|y"
    assert "- **Person:** \\- a \\| b" in text


def test_markdown_shows_the_error_of_a_stopped_scenario() -> None:
    report, workflow = _run(ROOT / "examples" / "extension-beyond-100-day-maximum-in-2012.yaml")
    text = markdown.render(report, workflow)
    assert "> **Stopped at event 3: exceeds maximum.**" in text


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_renders_as_markdown_tables_of_even_width(path: Path) -> None:
    report, workflow = _run(path)
    _, tables = _parse(markdown.render_all([(report, workflow)]))
    assert tables
    for table in tables:
        assert len({len(row) for row in table}) == 1


# ---------------------------------------------------------------------------------------- iCalendar


def _calendar(reports: list) -> Calendar:
    return Calendar.from_ical(ics.render_all(reports))


def _events(calendar: Calendar) -> dict[str, object]:
    return {str(event["uid"]).split("-")[0] + "-" + str(event["uid"]).split("-")[1]: event for event in calendar.events}


def test_ics_of_the_bundled_example_has_the_hand_worked_days_and_reminders() -> None:
    report, workflow = _run(EXAMPLE)
    text = ics.render_all([(report, workflow)])
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    calendar = Calendar.from_ical(text)
    assert "casepath" in str(calendar["prodid"])
    events = _events(calendar)
    # The replaced departure deadline (2022-04-09) is left out; the one that replaced it is #1.
    assert sorted(events) == [
        "departure_deadline-1",
        "extension_request_by-1",
        "reflection_end-1",
        "reflection_max_end-1",
        "reintegration_support_end-1",
    ]
    expected = {
        "reflection_end-1": (date(2022, 4, 9), date(2022, 4, 10)),
        "extension_request_by-1": (date(2022, 4, 9), date(2022, 4, 10)),
        "reflection_max_end-1": (date(2022, 7, 8), date(2022, 7, 9)),
        "departure_deadline-1": (date(2022, 7, 8), date(2022, 7, 9)),
        "reintegration_support_end-1": (date(2023, 1, 1), date(2023, 1, 2)),
    }
    for key, (start, end) in expected.items():
        event = events[key]
        assert event.decoded("dtstart") == start and not isinstance(event.decoded("dtstart"), datetime)
        assert event.decoded("dtend") == end
        assert event["dtstart"].params.get("VALUE") == "DATE"
        # the last event's day, 2022-07-01, starts at 00:00 in Copenhagen (+02:00 in summer): 22:00 UTC the day before
        assert event.decoded("dtstamp") == datetime.fromisoformat("2022-06-30T22:00:00+00:00")
        assert "(A)" in str(event["summary"])
    assert str(events["reflection_end-1"]["summary"]) == "Last day of the reflection period (A) [expired]"
    assert str(events["departure_deadline-1"]["summary"]) == "Departure deadline (A) [met]"
    description = str(events["reflection_end-1"]["description"])
    assert "2022-04-09 is a Saturday" in description and "Friday 2022-04-08" in description
    assert "Sources: EU page on Denmark (2013), §2 Legislation, para 3, first point" in description
    # Reminders only for deadlines in force: the longest possible end no longer applies once she
    # returned (2022-07-01): marked, cancelled, no reminder. 2023-01-01 is a Sunday and New Year's Day;
    # Saturday 31 December is closed too: the last working day before is Friday 2022-12-30, at 09:00
    # in Copenhagen (+01:00 in winter) = 08:00 UTC.
    assert str(events["reflection_max_end-1"]["summary"]).endswith("[no longer applies]")
    assert str(events["reflection_max_end-1"]["status"]) == "CANCELLED"
    assert not events["reflection_max_end-1"].walk("VALARM")
    assert [a.decoded("trigger") for a in events["reintegration_support_end-1"].walk("VALARM")] == [
        datetime(2022, 12, 30, 8, 0, tzinfo=UTC)
    ]
    for key in ("reflection_end-1", "extension_request_by-1", "departure_deadline-1"):
        assert not events[key].walk("VALARM")


def _detained_in_spring() -> tuple[Report, object]:
    workflow = api.load_workflow("denmark")
    scenario = api.scenario_from_dict(
        {
            "casepath": 1,
            "title": "Detained before the change to summer time",
            "person": {"alias": "B", "residence": "undocumented"},
            "events": [{"date": "2022-03-25T10:00", "event": "detained"}],
        },
        workflow,
    )
    return api.simulate(scenario, workflow), workflow


def test_ics_hour_deadline_is_timed_in_copenhagen_across_the_spring_change() -> None:
    # 2022-03-25 10:00 +01:00 = 09:00 UTC; + 72 h = 2022-03-28 09:00 UTC = 11:00 +02:00 (summer time from 2022-03-27).
    report, workflow = _detained_in_spring()
    assert report.last_deadline("detention_limit").due == "2022-03-28T11:00:00+02:00"
    calendar = _calendar([(report, workflow)])
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Copenhagen"]
    (event,) = calendar.events
    start = event.decoded("dtstart")
    assert event["dtstart"].params["TZID"] == "Europe/Copenhagen"
    assert (start.year, start.month, start.day, start.hour, start.minute) == (2022, 3, 28, 11, 0)
    assert start.utcoffset() == timedelta(hours=2)
    assert "dtend" not in event
    # Due Monday 11:00, after 09:00 on a working day: reminded at 09:00 that day (+02:00) = 07:00 UTC.
    assert [a.decoded("trigger") for a in event.walk("VALARM")] == [datetime(2022, 3, 28, 7, 0, tzinfo=UTC)]
    assert "DTSTART;TZID=Europe/Copenhagen:20220328T110000" in ics.render_all([(report, workflow)])


def test_ics_hour_deadline_across_the_autumn_change_keeps_only_the_extended_limit() -> None:
    # 2022-10-28 08:00 +02:00 + 72 h = 2022-10-31 07:00 +01:00 (replaced); + 24 h = 2022-11-01 07:00 +01:00 (met).
    calendar = _calendar([_run(AUTUMN)])
    (event,) = calendar.events
    start = event.decoded("dtstart")
    assert (start.month, start.day, start.hour, start.utcoffset()) == (11, 1, 7, timedelta(hours=1))
    assert str(event["summary"]).endswith("[met]")
    assert not event.walk("VALARM")


def test_ics_is_the_same_bytes_for_the_same_case_and_uids_are_unique(tmp_path: Path) -> None:
    outputs = []
    for name in ("one.ics", "two.ics"):
        code = cli.main(["simulate", *map(str, EXAMPLES), "--format", "ics", "--output", str(tmp_path / name)])
        assert code in (0, 1)  # some examples stop on a rule on purpose
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    uids = [str(event["uid"]) for event in Calendar.from_ical(outputs[0]).events]
    assert len(uids) == len(set(uids)) > 20


def test_ics_uid_follows_the_deadline_not_its_date() -> None:
    """The departure deadline moves from 2022-04-09 to 2022-07-08 with an extension: same UID, new date."""
    workflow = api.load_workflow("denmark")
    base = {"casepath": 1, "title": "Extension case", "person": {"alias": "C", "residence": "undocumented"}}
    first = [{"date": "2022-03-10", "event": "identified", "by": "dis"}]
    later = [
        *first,
        {"date": "2022-04-01", "event": "extension_requested", "reason": "special_circumstances"},
        {"date": "2022-04-05", "event": "extension_granted"},
    ]
    found = []
    for events in (first, later):
        report = api.simulate(api.scenario_from_dict({**base, "events": events}, workflow), workflow)
        calendar = _calendar([(report, workflow)])
        departure = [e for e in calendar.events if "Departure deadline" in str(e["summary"])]
        assert len(departure) == 1
        found.append((str(departure[0]["uid"]), departure[0].decoded("dtstart")))
    assert found[0][0] == found[1][0]
    assert (found[0][1], found[1][1]) == (date(2022, 4, 9), date(2022, 7, 8))
    other = api.simulate(
        api.scenario_from_dict({**base, "person": {"alias": "D", "residence": "undocumented"}, "events": first}),
        workflow,
    )
    assert ics.uid(other, "departure_deadline", 1) != found[0][0]
