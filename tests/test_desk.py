"""A caseworker's desk (issue 12): `case_ref`, `--on` on every command that shows a case, and Key dates.

Dates worked out by hand (domain.md §3, §6), for a person staying without permission whom DIS
identifies on 2022-03-10 (a Thursday):
- reflection period, 30 days not counting the first day: 2022-03-10 + 30 = 2022-04-09, a Saturday;
  the last day to ask for an extension and the first departure deadline are the same day;
- the 120-day maximum with an extension: 2022-03-10 + 120 = 2022-07-08 (21 days to 31 March, 30 in
  April, 31 in May, 30 in June = 112, + 8 in July).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from casepath import api, cli, render

IDENTIFIED = ["--identified", "2022-03-10", "--residence", "undocumented"]


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _scenario(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


CASE = """\
casepath: 1
title: Identified by DIS
case_ref: {ref}
person: {{alias: B, residence: undocumented}}
events:
  - {{date: 2022-03-10, event: identified, by: dis}}
"""


# ------------------------------------------------------------------------------- case_ref


def test_case_ref_is_read_reported_and_in_the_schema(tmp_path: Path, capsys) -> None:
    path = _scenario(tmp_path, CASE.format(ref="2023-017"))
    assert api.load_scenario(path).case_ref == "2023-017"
    code, out, err = _cli(capsys, "simulate", str(path), "-f", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["case_ref"] == "2023-017"
    assert "case_key" not in json.loads(out)  # the calendar key stays out of the JSON report
    code, out, _ = _cli(capsys, "schema")
    prop = json.loads(out)["properties"]["case_ref"]
    assert prop["maxLength"] == 40 and "string" in prop["type"]


def test_a_case_ref_that_reads_as_a_date_stays_the_text_written(tmp_path: Path) -> None:
    assert api.load_scenario(_scenario(tmp_path, CASE.format(ref="2023-01-17"))).case_ref == "2023-01-17"


@pytest.mark.parametrize(
    ("ref", "says"),
    [
        ("140589-1234", "personal identity number"),  # the shape of a Danish CPR number
        ('"1405891234"', "personal identity number"),
        ("'" + "x" * 41 + "'", "at most 40 characters"),
        ('"two\\nlines"', "is not a short file number"),  # would break a calendar line
        ("2023017", "valid string"),  # a plain number is not text
    ],
)
def test_a_bad_case_ref_is_one_line_exit_2(tmp_path: Path, capsys, ref: str, says: str) -> None:
    path = _scenario(tmp_path, CASE.format(ref=ref))
    code, out, err = _cli(capsys, "simulate", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"{path}:3: case_ref" in err and says in err, err


def test_timeline_case_ref_is_reported_and_saved(tmp_path: Path, capsys) -> None:
    saved = tmp_path / "saved.yaml"
    code, out, err = _cli(capsys, "timeline", *IDENTIFIED, "--case-ref", "2023-017", "--save", str(saved), "-f", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["case_ref"] == "2023-017"
    assert "\ncase_ref: 2023-017\n" in saved.read_text(encoding="utf-8")
    assert api.load_scenario(saved).case_ref == "2023-017"  # what --save writes reads back
    code, _, err = _cli(capsys, "timeline", *IDENTIFIED, "--case-ref", "010190-1234")
    assert code == 2 and err.startswith("casepath: --case-ref: ") and "identity number" in err


def test_walk_free_writes_case_ref(tmp_path: Path, capsys, monkeypatch) -> None:
    target = tmp_path / "walked.yaml"
    # born, citizenship, unaccompanied, exploitation left out; then one event, save, quit
    answers = ["", "", "", "", "identified", "2022-03-10", "dis", f"s {target}", "A case", "q"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(answers) + "\n"))
    code, _, err = _cli(
        capsys, "walk", "--free", "--residence", "undocumented", "--alias", "B", "--case-ref", "2023-017"
    )
    assert (code, err) == (0, "")
    text = target.read_text(encoding="utf-8")
    assert "case_ref: 2023-017" in text
    scenario = api.load_scenario(target)
    assert scenario.case_ref == "2023-017" and scenario.person.alias == "B"
    code, _, err = _cli(capsys, "walk", str(target), "--case-ref", "2023-018")
    assert code == 2 and "--case-ref is for --free" in err


# ------------------------------------------------------------------------------- --on


def test_timeline_on_judges_the_statuses_on_that_day(capsys) -> None:
    # On 2022-05-01 the departure deadline of 2022-04-09 has passed with the person still here
    # (missed); the 120-day maximum (2022-07-08) can no longer be reached: no extension was asked for
    # by the last day, so it no longer applies (ended).
    code, out, err = _cli(capsys, "timeline", *IDENTIFIED, "--on", "2022-05-01", "-f", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["on"] == "2022-05-01"
    found = {d["id"]: (d["due"], d["status"]) for d in report["deadlines"]}
    assert found["departure_deadline"] == ("2022-04-09", "missed")
    assert found["reflection_end"] == ("2022-04-09", "expired")
    assert found["reflection_max_end"] == ("2022-07-08", "ended")
    code, _, err = _cli(capsys, "timeline", *IDENTIFIED, "--on", "2022-03-01")
    assert code == 2 and "before the scenario's last event" in err


def test_compare_on_looks_at_every_run_on_that_day(capsys) -> None:
    example = "examples/partial-extension-then-disappeared.yaml"
    code, out, err = _cli(capsys, "compare", example, "--as-of", "2012-01-01", "--on", "2026-01-05", "-f", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["on"] == "2026-01-05"
    assert [r["on"] for r in data["reports"]] == ["2026-01-05", "2026-01-05"]
    code, out, _ = _cli(capsys, "compare", example, "--as-of", "2012-01-01", "--on", "2026-01-05")
    assert "Looked at on 2026-01-05" in out
    code, _, err = _cli(capsys, "compare", example, "--as-of", "2012-01-01", "--on", "2022-01-01")
    assert code == 2 and "before the scenario's last event" in err


def test_walk_on_ends_with_the_case_on_that_day(capsys) -> None:
    # The example's last event is 2022-07-01 (returned); reintegration support (6 months from
    # 2022-07-01) ends 2023-01-01. On 2023-02-01 the clock has run past it: expired, nothing running.
    example = "examples/dis-undocumented-prepared-return.yaml"
    code, out, err = _cli(capsys, "walk", example, "--all", "--on", "2023-02-01")
    assert (code, err) == (0, "")
    last = out.split("Step 7 of 7 · 2023-02-01 · the clock runs on")[1].split("End of the scenario")[0]
    assert "(nothing happened on the way to 2023-02-01)" in last
    assert "2023-01-01              End of reintegration support  [expired]" in last
    end = out.split("End of the scenario")[-1]
    assert "Where the case stands on 2023-02-01" in end
    assert "Deadlines running\n  (none)" in end
    assert "Reintegration support after return" not in end  # it ended on 2023-01-01
    code, _, err = _cli(capsys, "walk", "--free", "--on", "2023-02-01")
    assert code == 2 and "--on are for walking a scenario file" in err


# ------------------------------------------------------------------------------- key dates


def _timeline_report(on: str, lang: str = "en"):
    workflow = api.load_workflow("denmark", lang)
    scenario = api.scenario_from_dict(
        {
            "casepath": 1,
            "title": "Key dates",
            "person": {"alias": "B", "residence": "undocumented"},
            "events": [{"date": "2022-03-10", "event": "identified", "by": "dis"}],
        },
        workflow,
    )
    from datetime import date

    return api.simulate(scenario, workflow, on=date.fromisoformat(on)), workflow


def _block(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def test_text_key_dates_come_first_in_date_order_with_one_note_per_day() -> None:
    # On 2022-04-01: three deadlines on Saturday 2022-04-09 (8 days later: 1 April + 8), one note for
    # the day (the Friday before, 2022-04-08); then 2022-07-08 (30 days of April to 1 May, 31 of May,
    # 30 of June, 7 of July: 98 days).
    report, workflow = _timeline_report("2022-04-01")
    text = render.render_all("text", [(report, workflow)], single=True)
    assert text.index("Key dates on 2022-04-01") < text.index("What happened")
    block = _block(text, "Key dates on 2022-04-01\n-----------------------\n", "\nWhat happened")
    assert block.splitlines()[:4] == [
        "  2022-04-09 Sat  Last day of the reflection period: upcoming, 8 days left",
        "                  Last day to request an extension: upcoming, 8 days left",
        "                  Departure deadline: upcoming, 8 days left",
        "                  ! 2022-04-09 is a Saturday: offices are closed; the last working day",
    ]
    assert block.count("offices are closed") == 1
    assert "before it is Friday 2022-04-08." in block
    assert "  2022-07-08 Fri  Latest end an extension could reach: upcoming, 98 days left" in block


def test_key_dates_show_what_was_missed_and_leave_out_what_is_settled() -> None:
    # On 2022-05-01 the departure deadline (last day 2022-04-09) is missed: overdue from the day after,
    # 2022-04-10. The reflection period's end and the extension's last day expired: not key dates.
    report, workflow = _timeline_report("2022-05-01")
    text = render.render_all("text", [(report, workflow)], single=True)
    block = _block(text, "Key dates on 2022-05-01\n-----------------------\n", "\nWhat happened")
    assert block.splitlines() == [
        "  2022-04-09 Sat  Departure deadline: MISSED, overdue since 2022-04-10",
    ]  # the longest end (2022-07-08) no longer applies once the period ran out without a request
    assert "offices are closed" not in block  # a past day's note says nothing to act on


def test_key_dates_on_the_day_itself_say_due_today() -> None:
    report, workflow = _timeline_report("2022-04-09")
    text = render.render_all("text", [(report, workflow)], single=True)
    assert "2022-04-09 Sat  Last day of the reflection period: upcoming, due today" in text


def test_markdown_and_html_key_dates() -> None:
    report, workflow = _timeline_report("2022-04-01")
    md = render.render_all("markdown", [(report, workflow)], single=True)
    assert md.index("## Key dates on 2022-04-01") < md.index("## What happened")
    block = _block(md, "## Key dates on 2022-04-01\n\n", "\n## What happened")
    assert "- **2022-04-09 (Sat)** Departure deadline: upcoming, 8 days left" in block
    assert block.count("offices are closed") == 1
    page = render.render_all("html", [(report, workflow)], single=True)
    section = _block(page, 'class="key-dates"', "</section>")
    assert "Key dates on 2022-04-01" in section and section.count("<li") == 4
    assert section.count("offices are closed") == 1
    assert page.index('class="key-dates"') < page.index("What happened")


def test_danish_key_dates_use_the_official_terms() -> None:
    report, workflow = _timeline_report("2022-05-01", "da")
    text = render.render_all("text", [(report, workflow)], single=True)
    block = _block(text, "Vigtige datoer pr. 2022-05-01", "Hvad der er sket")
    assert "Udrejsefrist: OVERSKREDET, overskredet siden 2022-04-10" in block
    report, workflow = _timeline_report("2022-04-01", "da")
    block = _block(render.render_all("text", [(report, workflow)], single=True), "Vigtige datoer", "Hvad der er sket")
    assert "løber, 98 dage tilbage" in block  # 2022-04-01 to 2022-07-08: 29 + 31 + 30 + 8
    report, workflow = _timeline_report("2022-04-01", "da")
    text = render.render_all("markdown", [(report, workflow)], single=True)
    assert "2022-04-09 er en lørdag: kontorerne er lukket; den sidste arbejdsdag før den er fredag 2022-04-08" in text
    assert "OVERSKREDET" not in text  # nothing was missed on 2022-04-01


def test_a_case_with_nothing_ahead_says_so() -> None:
    example = api.load_scenario(Path("examples/not-identified-after-assessment.yaml"))
    workflow = api.load_workflow("denmark")
    text = render.render_all("text", [(api.simulate(example, workflow), workflow)], single=True)
    assert "Key dates on 2022-03-30\n-----------------------\n  (nothing upcoming or missed)\n" in text
