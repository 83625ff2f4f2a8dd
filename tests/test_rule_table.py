"""Entitlement x basis x era: the whole list of offers, each with its first and last day, for each basis.

The bases (workflows/denmark.yaml, `entitlements:`): the reflection period (victims without lawful
residence), the recovery period (lawful residence, cmm-reflection), an asylum case pending, a residence
permit, the stay for criminal proceedings (domain.md §8.3). The eras: 2015 (assistance by residence
status; no CMM contact person described) and 2022 (the 2022-2025 action plan: the same assistance for
all, assumed from 2022-01-01). Each row lists every entitlement the report must show — one missing, one
too many, or a day off, fails. An offer that ends with a step ends on that step's day (`until`).

Dates: identified 2015-03-10 or 2022-03-10; the 30 days end on 04-09, so every later step here
(03-15, 03-20, 03-30) falls inside the period.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from test_danish_rules import ev, ok, run

WITHOUT_LEGAL = ("safe_accommodation", "health_care", "psychological_assistance", "social_counselling")
REFLECTION = (*WITHOUT_LEGAL, "legal_counselling")
LEAVING = ("prepared_return_offer", "expulsion_protection")  # for everyone who has to leave


def rows(ids: tuple[str, ...], start: str, until: str | None = None) -> set[tuple[str, str, str | None]]:
    return {(i, start, until) for i in ids}


def identified(year: int, by: str = "dis") -> dict[str, Any]:
    return ev(f"{year}-03-10", "identified", by=by)


CASES = [
    # ---- the reflection period: every offer, and a CMM contact person only in 2022
    pytest.param(
        "undocumented", [identified(2015)],
        rows(REFLECTION + LEAVING, "2015-03-10"),
        id="reflection-2015",
    ),
    pytest.param(
        "undocumented", [identified(2022)],
        rows((*REFLECTION, "contact_person", *LEAVING), "2022-03-10"),
        id="reflection-2022",
    ),
    # ---- the recovery period (lawful residence): no departure, so no prepared return and no
    # expulsion protection; legal counselling and the contact person only with equal assistance (2022)
    pytest.param(
        "lawful_resident", [identified(2015, by="cmm")],
        rows(WITHOUT_LEGAL, "2015-03-10"),
        id="recovery-2015",
    ),
    pytest.param(
        "lawful_resident", [identified(2022, by="cmm")],
        rows((*REFLECTION, "contact_person"), "2022-03-10"),
        id="recovery-2022",
    ),
    pytest.param(
        "eu_citizen", [identified(2022, by="cmm")],
        rows((*REFLECTION, "contact_person"), "2022-03-10"),
        id="recovery-eu-citizen-2022",
    ),
    # ---- the day equal assistance begins (assumed 2022-01-01): identified on the eve, or on the day
    pytest.param(
        "lawful_resident", [ev("2021-12-31", "identified", by="cmm")],
        rows(WITHOUT_LEGAL, "2021-12-31"),
        id="recovery-2021-12-31",
    ),
    pytest.param(
        "lawful_resident", [ev("2022-01-01", "identified", by="cmm")],
        rows((*REFLECTION, "contact_person"), "2022-01-01"),
        id="recovery-2022-01-01",
    ),
    # ---- an asylum seeker identified: the asylum case gives permission to stay, no reflection period
    pytest.param(
        "asylum_seeker", [identified(2015)],
        rows(WITHOUT_LEGAL, "2015-03-10"),
        id="asylum-pending-2015",
    ),
    pytest.param(
        "asylum_seeker", [identified(2022)],
        rows((*REFLECTION, "contact_person"), "2022-03-10"),
        id="asylum-pending-2022",
    ),
    # ---- a residence permit on 03-30 during the reflection period: the offers of a victim with a right
    # to stay go on (one period from 03-10); having to leave ends on 03-30. In 2015 legal counselling
    # was an offer of the reflection period only, so it ends with the permit.
    pytest.param(
        "undocumented", [identified(2015), ev("2015-03-30", "residence_permit_granted", kind="humanitarian")],
        rows(WITHOUT_LEGAL, "2015-03-10")
        | rows(("legal_counselling", *LEAVING), "2015-03-10", "2015-03-30"),
        id="permit-2015",
    ),
    pytest.param(
        "undocumented", [identified(2022), ev("2022-03-30", "residence_permit_granted", kind="humanitarian")],
        rows((*REFLECTION, "contact_person"), "2022-03-10") | rows(LEAVING, "2022-03-10", "2022-03-30"),
        id="permit-2022",
    ),
    pytest.param(
        "undocumented",
        [identified(2022), ev("2022-03-30", "residence_permit_granted", kind="criminal_proceedings")],
        rows((*REFLECTION, "contact_person"), "2022-03-10")
        | rows(LEAVING, "2022-03-10", "2022-03-30")
        | rows(("stay_for_proceedings",), "2022-03-30"),
        id="permit-for-proceedings-2022",
    ),
    pytest.param(
        "asylum_seeker", [identified(2022), ev("2022-03-30", "asylum_granted")],
        rows((*REFLECTION, "contact_person"), "2022-03-10"),
        id="asylum-granted-2022",
    ),
    # ---- the stay for criminal proceedings (domain.md §8.3): investigation 03-15, testifies 03-20,
    # proceedings end 06-01. From 03-20 she does not have to leave (prepared return and expulsion
    # protection end); the offers of her stay go on until the proceedings end; then she has to leave
    # again (after_proceedings): a prepared return is offered anew from 06-01.
    pytest.param(
        "undocumented",
        [identified(2022), ev("2022-03-15", "investigation_opened"), ev("2022-03-20", "testifies"),
         ev("2022-06-01", "proceedings_ended")],
        rows((*REFLECTION, "contact_person"), "2022-03-10", "2022-06-01")
        | rows(LEAVING, "2022-03-10", "2022-03-20")
        | rows(LEAVING, "2022-06-01")
        | rows(("restitution_claim",), "2022-03-15", "2022-06-01")
        | rows(("stay_for_proceedings", "legal_assistance_at_trial"), "2022-03-20", "2022-06-01"),
        id="proceedings-stay-2022",
    ),
    pytest.param(
        "undocumented",
        [identified(2015), ev("2015-03-15", "investigation_opened"), ev("2015-03-20", "testifies")],
        rows(REFLECTION, "2015-03-10")
        | rows(LEAVING, "2015-03-10", "2015-03-20")
        | rows(("restitution_claim",), "2015-03-15")
        | rows(("stay_for_proceedings", "legal_assistance_at_trial", "contact_person"), "2015-03-20"),
        id="proceedings-stay-2015",
    ),
    # ---- reintegration support: none before the 2008 programme (assumed); 3 months in 2010:
    # returned 2010-06-15 + 3 months = 2010-09-15
    pytest.param(
        "undocumented",
        [ev("2006-03-10", "identified", by="dis"), ev("2006-03-20", "prepared_return_accepted"),
         ev("2006-03-25", "returned")],
        rows(REFLECTION + LEAVING, "2006-03-10", "2006-03-25")
        | rows(("child_protection",), "2006-03-10", "2006-03-25"),  # born 1990-01-01: 16 in 2006
        id="returned-2006",
    ),
    pytest.param(
        "undocumented",
        [ev("2010-06-01", "identified", by="dis"), ev("2010-06-10", "prepared_return_accepted"),
         ev("2010-06-15", "returned")],
        rows(REFLECTION + LEAVING, "2010-06-01", "2010-06-15")
        | rows(("reintegration_support",), "2010-06-15", "2010-09-15"),
        id="returned-2010",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("residence", "events", "expected"), CASES)
def test_every_entitlement_with_its_first_and_last_day(
    residence: str, events: list[dict[str, Any]], expected: set[tuple[str, str, str | None]]
) -> None:
    report = ok(run(*events, residence=residence))
    got = [(e.id, e.from_, e.until) for e in report.entitlements]
    assert len(got) == len(set(got)), got
    assert set(got) == expected


def test_a_child_victim_gets_child_protection_and_a_representative_until_the_day_before_18() -> None:
    # born 2005-06-15, unaccompanied, identified 2022-03-10: a child until 2023-06-14; the offers of the
    # reflection period end with it on 2022-04-09 (the departure deadline passes 2022-04-10)
    report = ok(run(identified(2022), born="2005-06-15", unaccompanied=True, on=date(2023, 7, 1)))
    child = ("child_protection", "personal_representative")
    got = {(e.id, e.from_, e.until) for e in report.entitlements if e.id in child}
    assert got == rows(child, "2022-03-10", "2023-06-14")


# ------------------------------------------------------- the ways out of the stay for proceedings, and a permit

STAY = [identified(2022), ev("2022-03-15", "investigation_opened"), ev("2022-03-20", "testifies")]


@pytest.mark.parametrize(
    ("events", "outcome", "error"),
    [
        ([*STAY, ev("2022-05-01", "disappeared")], "disappeared", None),  # she can still disappear
        ([*STAY, ev("2022-05-01", "departed")], "departed", None),
        ([*STAY, ev("2022-05-01", "removed")], "in_progress", "event_not_allowed"),  # not while she stays
        ([*STAY, ev("2022-06-01", "proceedings_ended"), ev("2022-06-10", "removed")], "removed", None),  # then she can
    ],
)
def test_leaving_during_and_after_the_stay_for_proceedings(events, outcome: str, error: str | None) -> None:
    report = run(*events)
    assert (report.error.code if report.error else None) == error
    assert report.outcome == outcome


def test_a_permit_ends_the_running_reflection_deadlines() -> None:
    # permit 03-30, inside the 30 days (last day 04-09) and the 120 (last day 07-08): all of them
    # no longer apply (ended); nothing was undone (not cancelled) and nothing was owed (not missed)
    report = ok(run(identified(2022), ev("2022-03-30", "residence_permit_granted", kind="humanitarian")))
    assert [(d.id, d.due, d.status) for d in report.deadlines] == [
        ("reflection_end", "2022-04-09", "ended"),
        ("extension_request_by", "2022-04-09", "ended"),
        ("departure_deadline", "2022-04-09", "ended"),
        ("reflection_max_end", "2022-07-08", "ended"),
    ]
