"""The law as it was on each day, from the public sources of domain.md §7 (issue 10, items 2 and 3).

Every expected date and value is worked out by hand in the comment beside it, from
domain.md §5/§7/§8, never computed by the code under test."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

import casepath
from casepath import citations
from casepath.clock import Duration
from casepath.report import Report
from casepath.wording import words_for
from casepath.workflow import load
from casepath.workflow.rulebook import value_on
from casepath.workflow.spec import SourceDocument

WF = load.load("denmark")
SPEC = WF.spec


def ev(day: str, event: str, **fields: Any) -> dict[str, Any]:
    return {"date": day, "event": event, **fields}


def run(
    *events: dict[str, Any], residence: str = "undocumented", as_of: date | None = None, lang: str = "en"
) -> Report:
    data = {
        "casepath": 1,
        "title": "test",
        "person": {"alias": "T", "residence": residence, "born": "1990-01-01"},
        "events": list(events),
    }
    workflow = casepath.load_workflow("denmark", lang)
    return casepath.simulate(casepath.scenario_from_dict(data, workflow), workflow, as_of=as_of)


def assumed(report: Report, key: str) -> list[str]:
    return [a.note for a in report.assumptions if a.parameter == key]


def lookup(name: str, day: str):
    return value_on(name, SPEC.parameters[name], date.fromisoformat(day))


# ---------------------------------------------------------------- s. 262a and s. 262b


def test_262a_ten_years_from_march_2012():
    # Act no. 275 of March 2012, in force the day after publication; the day is assumed to be
    # 2012-03-31, not before 2012-03-01, certain from 2012-04-01.
    before = lookup("trafficking_max_penalty", "2012-02-29")
    assert before.value == Duration(8, "years")
    inside = lookup("trafficking_max_penalty", "2012-03-15")
    assert inside.value == Duration(8, "years") and inside.assumptions  # the change may already have come
    assumed_day = lookup("trafficking_max_penalty", "2012-03-31")
    assert assumed_day.value == Duration(10, "years") and assumed_day.assumptions
    after = lookup("trafficking_max_penalty", "2012-04-01")
    assert after.value == Duration(10, "years") and after.assumptions == ()
    entry = after.entry
    assert entry is not None and entry.certainty == "assumed" and entry.not_before == date(2012, 3, 1)
    assert any(c.doc == "ft-l57-2011" for c in entry.sources)


def test_262b_six_years_from_1_june_2022_stated():
    assert lookup("exploitation_max_penalty", "2022-05-31").value is None
    found = lookup("exploitation_max_penalty", "2022-06-01")
    assert found.value == Duration(6, "years")
    assert found.assumptions == ()  # a stated date, confirmed by the newest source
    assert found.entry is not None and {c.doc for c in found.entry.sources} == {"ft-l111-2021", "tip-2023"}


# ---------------------------------------------------------------- the Ukraine special act


def test_ukraine_special_act_from_17_march_2022():
    refused = run(ev("2022-03-16", "residence_permit_granted", kind="ukraine_special_act"))
    assert refused.error is not None and refused.error.code == "event_not_allowed"
    report = run(ev("2022-03-17", "residence_permit_granted", kind="ukraine_special_act"))
    assert report.error is None
    # 2022-03-17 + 2 years = 2024-03-17
    assert report.last_deadline("permit_expiry").due == "2024-03-17"
    assert assumed(report, "ukraine_permit_period") == []  # stated by althr-2022: no assumption


# ---------------------------------------------------------------- s. 9 c(5): permit for criminal proceedings


def test_proceedings_permit_after_2013_is_the_9c5_permit():
    # In force assumed 2013-07-01 (like the 120 days), certain from 2022-01-01.
    report = run(
        ev("2022-03-10", "identified", by="dis"),
        ev("2022-04-01", "residence_permit_granted", kind="criminal_proceedings", until="2022-12-31"),
    )
    assert report.error is None and report.outcome == "residence_permit"
    assert report.last_deadline("permit_expiry").due == "2022-12-31"
    assert assumed(report, "proceedings_permit_before_2013") == []
    assert assumed(report, "proceedings_permit") == []
    assert any("s. 9 c(5)" in e.note for e in report.events if e.note)


def test_proceedings_permit_before_2013_is_accepted_with_a_note():
    # 2010: before s. 9 c(5); other routes existed, so it is not refused (decision proceedings_permit_before_2013).
    report = run(
        ev("2010-03-10", "identified", by="dis"),
        ev("2010-04-01", "residence_permit_granted", kind="criminal_proceedings"),
    )
    assert report.error is None and report.outcome == "residence_permit"
    assert assumed(report, "proceedings_permit_before_2013")
    assert "permit_expiry" not in {d.id for d in report.deadlines}  # no `until`: no expiry shown


def test_proceedings_permit_inside_the_2013_window_names_both_doubts():
    # 2013-03-01: after the earliest possible day (2013-01-31), before the assumed 2013-07-01.
    report = run(ev("2013-03-01", "residence_permit_granted", kind="criminal_proceedings"))
    assert report.error is None
    assert assumed(report, "proceedings_permit_before_2013")
    assert any("still in force" in note for note in assumed(report, "proceedings_permit"))


# ---------------------------------------------------------------- reintegration support


def test_six_months_of_reintegration_support_confirmed_for_2022():
    # 2022-08-31 + 6 months = 2023-02-28 (no 31 February); cmm-prepared-return confirms 6 months for 2022.
    report = run(
        ev("2022-08-01", "identified", by="dis"),
        ev("2022-08-20", "prepared_return_accepted"),
        ev("2022-08-31", "returned"),
    )
    assert report.last_deadline("reintegration_support_end").due == "2023-02-28"
    assert assumed(report, "reintegration_period") == []
    entry = lookup("reintegration_period", "2022-08-31").entry
    assert entry is not None
    assert "tip-2023" not in {c.doc for c in entry.sources}  # the TIP paragraph gives no duration
    assert "cmm-prepared-return" in {c.doc for c in entry.sources}


def test_six_months_in_2015_rests_on_the_assumed_day():
    # 2015: between the assumed 2013-01-01 and the confirmation for 2022.
    assert lookup("reintegration_period", "2015-06-01").assumptions


# ---------------------------------------------------------------- inferred from silence: assumed


@pytest.mark.parametrize(
    ("parameter", "value_id"), [("reintegration_period", "no_programme"), ("equal_assistance", "by_residence")]
)
def test_values_inferred_from_silence_are_assumed(parameter, value_id):
    entry = next(e for e in SPEC.parameters[parameter].history if e.id == value_id)
    assert entry.certainty == "assumed"
    assert entry.note and "silence" in entry.note


def test_no_reintegration_support_before_2008_is_an_assumption():
    found = lookup("reintegration_period", "2007-06-01")
    assert found.value is None and found.assumptions


# ---------------------------------------------------------------- "assumed still in force" (domain.md §8.5)


def test_a_value_last_described_in_2013_is_assumed_still_in_force_later():
    # equal_assistance "no" is cited only to the 2013 page (describes up to 2013-01-30).
    early = lookup("equal_assistance", "2012-06-01")
    assert not any("still in force" in words_for(WF).assumption(a) for a in early.assumptions)
    later = [words_for(WF).assumption(a) for a in lookup("equal_assistance", "2015-06-01").assumptions]
    assert any("last described for 2013" in n and "2015-06-01" in n for n in later), later


def test_a_rule_last_described_in_2013_is_assumed_still_in_force_in_2022():
    # Protection from expulsion is cited only to eu-dk:117 (2013): in 2022 it is assumed still in force.
    report = run(ev("2022-03-10", "identified", by="dis"))
    notes = assumed(report, "expulsion_protection")
    assert len(notes) == 1 and "last described for 2013" in notes[0], report.assumptions
    # The 30 days, the departure deadline and the 120 days are confirmed for 2022 (tip-2023): no such note.
    for key in ("reflection_end", "departure_deadline", "reflection_max_end", "reflection_maximum"):
        assert not any("still in force" in n for n in assumed(report, key)), key


def test_no_still_in_force_note_while_the_2013_page_describes_the_law():
    report = run(ev("2012-04-01", "identified", by="dis"))
    assert assumed(report, "expulsion_protection") == []


def test_the_note_in_danish():
    report = run(ev("2022-03-10", "identified", by="dis"), lang="da")
    (note,) = assumed(report, "expulsion_protection")
    assert "senest beskrevet for 2013" in note and "antages fortsat at gælde" in note


# ---------------------------------------------------------------- request by the last day, now cited


def test_a_first_request_is_cited_not_assumed():
    report = run(
        ev("2022-03-10", "identified", by="dis"),
        ev("2022-04-01", "extension_requested", reason="cooperation_on_return"),
    )
    assert assumed(report, "request_by_last_day") == []
    sources = report.last_deadline("extension_request_by").sources
    assert any("REU" in s and "815" in s for s in sources), sources
    assert not any("Modelling decision" in s for s in sources)


def test_a_further_request_during_an_extension_rests_on_the_decision():
    report = run(
        ev("2022-03-10", "identified", by="dis"),
        ev("2022-04-01", "extension_requested", reason="cooperation_on_return"),
        ev("2022-04-05", "extension_granted", until="2022-05-31"),
        ev("2022-05-20", "extension_requested", reason="special_circumstances"),
    )
    assert report.error is None
    assert assumed(report, "request_by_last_day")


# ---------------------------------------------------------------- reflection refused: departure "immediately"


def test_reflection_refused_means_departure_immediately():
    # Identified 2022-03-10; refused 2022-03-20: the departure deadline is the day of the refusal.
    report = run(
        ev("2022-03-10", "identified", by="dis"), ev("2022-03-20", "reflection_refused", reason="public order")
    )
    assert report.error is None and report.state == "no_reflection"
    # The one the reflection period had set (2022-04-09) is cancelled; the one in force is listed last.
    departures = [(d.due, d.status) for d in report.deadlines if d.id == "departure_deadline"]
    assert departures == [("2022-04-09", "cancelled"), ("2022-03-20", "upcoming")]
    assert report.last_deadline("reflection_end").status == "cancelled"
    assert assumed(report, "departure_immediately")
    assert any("L 197" in s for e in report.events for s in e.sources if e.event == "reflection_refused")


# ---------------------------------------------------------------- sources with their addresses


def test_every_new_source_has_an_https_address_or_says_why_not():
    for name, document in SPEC.sources.items():
        if name in ("eu-dk", "tip-2023"):
            continue
        assert (document.url or "").startswith("https://") or document.note, name
        assert document.describes_until is not None, name


@pytest.mark.parametrize("url", ["http://ft.dk/x", "ftp://ft.dk/x", "ft.dk/x", "https://", "https://ft.dk/a b"])
def test_a_source_address_must_be_https(url):
    with pytest.raises(ValidationError, match="https"):
        SourceDocument(title="t", describes="d", url=url)


def test_citations_carry_the_address():
    citation = next(
        c for c in SPEC.parameters["exploitation_max_penalty"].history[1].sources if c.doc == "ft-l111-2021"
    )
    text = citations.cite(SPEC, citation, with_address=True)
    assert text.endswith("<https://www.ft.dk/samling/20211/lovforslag/l111/20211_l111_som_fremsat.htm>")
    assert citations.address_of(SPEC, citations.cite(SPEC, citation)) == SPEC.sources["ft-l111-2021"].url
    assert citations.address_of(SPEC, "Modelling decision: something") is None


def test_the_text_report_lists_the_addresses(capsys):
    from casepath import cli

    assert cli.main(["simulate", "examples/dis-undocumented-prepared-return.yaml"]) == 0
    out = capsys.readouterr().out
    assert "https://cmm.dk/tilbud-til-ofre/forberedt-hjemsendelse" in out
