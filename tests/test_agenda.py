"""`casepath agenda`: a caseload looked at on one day (issue 12), on the cases in examples/caseload/.

Hand-worked (each file's expect: block has the arithmetic), looked at on Monday 2022-05-23:
- Cy (no case_ref): departure deadline 2022-04-14, missed; overdue since 2022-04-15;
  2022-05-23 - 2022-04-14 = 16 days to 30 April + 23 = 39 days: days_left -39.
- Ana (2022-031): three deadlines on 2022-05-26, Ascension Day: 3 days left.
- Dee (2022-040): departure deadline and last day to ask for more, 2022-06-06, Whit Monday:
  8 days to 31 May + 6 = 14 days left (inside --days 14, which counts the 14th day).
- Bo (2022-027): departure deadline 2022-07-26, 64 days away: not on a 14-day agenda.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from calendar_check import strict

from casepath import api, cli, render

ROOT = Path(__file__).resolve().parents[1]
CASELOAD = ROOT / "examples" / "caseload"


def _agenda(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["agenda", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def caseload(monkeypatch) -> Path:
    monkeypatch.chdir(ROOT / "examples")
    return Path("caseload")


def test_json_lists_the_contract_fields_in_date_order(capsys, caseload) -> None:
    code, out, err = _agenda(capsys, str(caseload), "--from", "2022-05-23", "-f", "json")
    assert (code, err) == (0, "")
    items = json.loads(out)
    assert [(i["case_ref"], i["id"], i["due"], i["status"], i["days_left"]) for i in items] == [
        (None, "departure_deadline", "2022-04-14", "missed", -39),
        ("2022-031", "reflection_end", "2022-05-26", "upcoming", 3),
        ("2022-031", "extension_request_by", "2022-05-26", "upcoming", 3),
        ("2022-031", "departure_deadline", "2022-05-26", "upcoming", 3),
        ("2022-040", "departure_deadline", "2022-06-06", "upcoming", 14),
        ("2022-040", "extension_request_by", "2022-06-06", "upcoming", 14),
    ]
    assert set(items[0]) == {"case_ref", "file", "alias", "title", "id", "label", "due", "status", "days_left"}
    assert items[0]["file"] == "caseload/cy-march.yaml" and items[0]["alias"] == "Cy"
    # One day fewer: Dee's 2022-06-06 is 14 days away, outside --days 13.
    code, out, _ = _agenda(capsys, str(caseload), "--from", "2022-05-23", "--days", "13", "-f", "json")
    assert [i["alias"] for i in json.loads(out)] == ["Cy", "Ana", "Ana", "Ana"]


def test_text_groups_by_week_and_names_each_case_and_closed_day_once(capsys, caseload) -> None:
    code, out, err = _agenda(capsys, str(caseload), "--from", "2022-05-23")
    assert (code, err) == (0, "")
    headings = [line for line in out.splitlines() if re.match(r"^(Week|Missed)", line)]
    assert headings == [
        "Missed before the week of 2022-05-23",
        "Week 21: 2022-05-23 to 2022-05-29",  # ISO week 21 of 2022 starts Monday 23 May
        "Week 23: 2022-06-06 to 2022-06-12",
    ]
    assert "  2022-05-26 Thu  case 2022-031, Ana (caseload/ana-2022-031.yaml)\n" in out
    assert out.count("case 2022-031, Ana") == 1  # the case once for its three deadlines that day
    assert out.count("Ascension Day") == 1 and "Wednesday 2022-05-25" in out
    assert "Friday 2022-06-03" in out  # before Whit Monday: Sunday 5 and Saturday 4 June are closed
    assert "Departure deadline: MISSED, overdue since 2022-04-15" in out
    assert "Bo" not in out
    assert "6 on the agenda, from 3 of 4 cases read." in out


def test_a_broken_file_is_named_once_and_the_rest_still_shows(tmp_path: Path, capsys) -> None:
    shutil.copytree(CASELOAD, tmp_path / "cases")
    (tmp_path / "cases" / "broken.yaml").write_text("casepath: 1\ntitle: x\nevents: [\n", encoding="utf-8")
    code, out, err = _agenda(capsys, str(tmp_path / "cases"), "--from", "2022-05-23", "-f", "json")
    assert code == 2
    assert err.count("\n") == 1 and "broken.yaml" in err and err.startswith("casepath: ")
    assert len(json.loads(out)) == 6


def test_a_case_with_events_after_from_is_looked_at_on_its_last_event(tmp_path: Path, capsys) -> None:
    shutil.copytree(CASELOAD, tmp_path / "cases")
    code, _, err = _agenda(capsys, str(tmp_path / "cases"), "--from", "2022-04-26", "-f", "json")
    # Ana's last event is on 2022-04-26 itself (not after), Bo's on 2022-05-10 and Dee's on 2022-05-02: two notices.
    assert code == 0 and err.count("\n") == 2 and "bo-2022-027.yaml: its last event (2022-05-10)" in err


def test_bad_from_is_exit_2(capsys, caseload) -> None:
    code, out, err = _agenda(capsys, str(caseload), "--from", "23/05/2022")
    assert code == 2 and out == "" and err.startswith("casepath: --from '23/05/2022' is not a date")


def test_from_today_runs(capsys, caseload) -> None:
    code, out, _ = _agenda(capsys, str(caseload), "-f", "json")
    assert code == 0
    # Long after 2022, every case's deadlines are settled or missed: Cy's and Ana's departure deadlines.
    assert {i["status"] for i in json.loads(out)} <= {"missed", "upcoming"}


def test_markdown_html_and_danish(capsys, caseload) -> None:
    code, out, _ = _agenda(capsys, str(caseload), "--from", "2022-05-23", "-f", "markdown")
    assert code == 0 and "## Week 21: 2022-05-23 to 2022-05-29" in out
    assert "| 2022-04-14 (Thu) | Departure deadline | **MISSED, overdue since 2022-04-15** |" in out
    code, page, _ = _agenda(capsys, str(caseload), "--from", "2022-05-23", "-f", "html")
    assert page.count("<section>") == 3 and page.count('<tr class="missed">') == 1
    assert not re.search(r"""(src|href)=["']?https?:""", page) and "<style>" in page  # self-contained
    assert "@media print" in page and '<p class="note">A checking aid' in page
    assert "&lt;" not in page  # no markup escaped twice
    code, out, _ = _agenda(capsys, str(caseload), "--from", "2022-05-23", "--lang", "da")
    assert "Uge 21: 2022-05-23 til 2022-05-29" in out
    assert "Udrejsefrist: OVERSKREDET, overskredet siden 2022-04-15" in out
    assert "løber, 3 dage tilbage" in out and "Kristi himmelfartsdag" in out
    for english in ("Week", "days left", "Departure deadline", "upcoming", "Missed"):
        assert english not in out


def test_ics_is_one_strict_calendar_with_the_cases_own_uids(capsys, caseload) -> None:
    code, out, _ = _agenda(capsys, str(caseload), "--from", "2022-05-23", "-f", "ics")
    assert code == 0
    calendar = strict(out)
    events = list(calendar.events)
    assert len(events) == 6
    # The same UIDs as each case's own calendar: importing both never doubles an event.
    ana = api.load_scenario(caseload / "ana-2022-031.yaml")
    workflow = api.load_workflow("denmark")
    own = strict(render.render_all("ics", [(api.simulate(ana, workflow), workflow)], single=True))
    assert {str(e["uid"]) for e in own.events} & {str(e["uid"]) for e in events} == {
        str(e["uid"]) for e in own.events if "2022-05-26" in str(e["description"])
    }
    triggers = sorted(a.decoded("trigger") for e in events for a in e.walk("VALARM"))
    # One reminder for Ana's three deadlines: Wednesday 2022-05-25 09:00 +02:00 = 07:00 UTC; one for
    # Dee's two: Friday 2022-06-03 09:00 +02:00. The missed one has none.
    assert triggers == [datetime(2022, 5, 25, 7, 0, tzinfo=UTC), datetime(2022, 6, 3, 7, 0, tzinfo=UTC)]
