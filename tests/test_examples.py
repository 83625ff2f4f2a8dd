"""Every bundled example in examples/: the full list of deadlines, in report order, with due date and status.

Not only the last due date (the files' own `expect:` blocks): every deadline a step set, the ones it
replaced, and the status each has on the report's date (the last event's). Worked out by hand from
domain.md §6 and §8 (the day of the event is not counted; a day-deadline has passed at the first
instant of the next day; 120 days after 2013-07-01, 100 days from 2007-08-01). Deadlines are listed by
due date; ties in the order they were set: reflection_end, extension_request_by, reflection_max_end,
departure_deadline on identification; departure_deadline, then extension_request_by on a grant `until`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import casepath

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

FULL: dict[str, list[tuple[str, str, str]]] = {
    # asylum refused 2022-05-20 starts the period: +30 = May 21..31 (11) + 19 -> 06-19; +120: 11 + 30 + 31
    # + 31 = 103 to 31 Aug, +17 -> 09-17. Asked 06-15 (met), refused 06-17 in time; 06-20 00:00 the
    # departure deadline passed (missed, she was still here), the longest end no longer applies (ended).
    "asylum-seeker-refused-then-reflection.yaml": [
        ("reflection_end", "2022-06-19", "expired"),
        ("extension_request_by", "2022-06-19", "met"),
        ("departure_deadline", "2022-06-19", "missed"),
        ("reflection_max_end", "2022-09-17", "ended"),
    ],
    # 2022-10-28 08:00 +02:00 = 06:00 UTC, +72 h = 10-31 06:00 UTC = 07:00 +01:00 (winter time from 10-30);
    # extended by 24 h from that limit -> 11-01 07:00 +01:00; released 10-31 15:00, before it: met.
    "detention-across-autumn-clock-change.yaml": [
        ("detention_limit", "2022-10-31T07:00:00+01:00", "replaced"),
        ("detention_limit", "2022-11-01T07:00:00+01:00", "met"),
    ],
    # identified 03-10: +30 -> 04-09; +120: 21 + 30 + 31 + 30 = 112 to 30 June, +8 -> 07-08. Asked 04-01
    # (met); granted 04-05 without `until` -> departure to 07-08. Returned 07-01: before it (met);
    # reintegration 6 months -> 2023-01-01. The 30 days had run out (expired); the longest end ended.
    "dis-undocumented-prepared-return.yaml": [
        ("reflection_end", "2022-04-09", "expired"),
        ("extension_request_by", "2022-04-09", "met"),
        ("departure_deadline", "2022-04-09", "replaced"),
        ("reflection_max_end", "2022-07-08", "ended"),
        ("departure_deadline", "2022-07-08", "met"),
        ("reintegration_support_end", "2023-01-01", "upcoming"),
    ],
    "eu-citizen-identified-by-cmm-goes-home.yaml": [],  # recovery period: no deadlines at all
    # identified 2012-04-02: +30 = April 28 + 2 -> 05-02; +100: 28 + 31 + 30 = 89 to 30 June, +11 -> 07-11.
    # Asked 04-25 (met); the grant until 07-31 is refused (exceeds_maximum): nothing else changes.
    "extension-beyond-100-day-maximum-in-2012.yaml": [
        ("reflection_end", "2012-05-02", "upcoming"),
        ("extension_request_by", "2012-05-02", "met"),
        ("departure_deadline", "2012-05-02", "upcoming"),
        ("reflection_max_end", "2012-07-11", "upcoming"),
    ],
    "not-a-victim-cannot-ask-for-extension.yaml": [],
    "not-identified-after-assessment.yaml": [],
    # identified 08-15: +30 = Aug 16 + 14 -> 09-14; +120: 16 + 30 + 31 + 30 = 107 to 30 Nov, +13 -> 12-13.
    # Asked 09-09 (met); granted until 10-14 (departure and a new request-by on 10-14). 10-15 00:00 the
    # departure deadline passed; she disappeared 10-20, after it: missed; the chance to ask again expired.
    "partial-extension-then-disappeared.yaml": [
        ("reflection_end", "2022-09-14", "expired"),
        ("extension_request_by", "2022-09-14", "met"),
        ("departure_deadline", "2022-09-14", "replaced"),
        ("departure_deadline", "2022-10-14", "missed"),
        ("extension_request_by", "2022-10-14", "expired"),
        ("reflection_max_end", "2022-12-13", "ended"),
    ],
    # identified 2010-09-01: +30 = Sep 29 + 1 -> 10-01; +100: 29 + 31 + 30 = 90 to 30 Nov, +10 -> 12-10.
    # Returned 11-30 + 3 months (2010 programme) = 2011-02-30 -> the month's last day, 2011-02-28.
    "rules-of-2010-prepared-return-three-months.yaml": [
        ("reflection_end", "2010-10-01", "expired"),
        ("extension_request_by", "2010-10-01", "met"),
        ("departure_deadline", "2010-10-01", "replaced"),
        ("reflection_max_end", "2010-12-10", "ended"),
        ("departure_deadline", "2010-12-10", "met"),
        ("reintegration_support_end", "2011-02-28", "upcoming"),
    ],
    # identified 2015-05-04: +30 = May 27 + 3 -> 06-03; +120: 27 + 30 + 31 + 31 = 119 to 31 Aug, +1 -> 09-01.
    # Asked on the last day 06-03 (met); the grant on 06-08 replaces the passed 06-03 departure deadline.
    # Returned 08-31 + 6 months = 2016-02-31 -> 2016-02-29 (leap year).
    "rules-of-2015-prepared-return-six-months.yaml": [
        ("reflection_end", "2015-06-03", "expired"),
        ("extension_request_by", "2015-06-03", "met"),
        ("departure_deadline", "2015-06-03", "replaced"),
        ("reflection_max_end", "2015-09-01", "ended"),
        ("departure_deadline", "2015-09-01", "met"),
        ("reintegration_support_end", "2016-02-29", "upcoming"),
    ],
    # asylum refused 08-10 starts it: +30 = Aug 21 + 9 -> 09-09; +120: 21 + 30 + 31 + 30 = 112 to 30 Nov,
    # +8 -> 12-08. Returned 11-15 + 6 months -> 2023-05-15.
    "unaccompanied-child-representative-and-return.yaml": [
        ("reflection_end", "2022-09-09", "expired"),
        ("extension_request_by", "2022-09-09", "met"),
        ("departure_deadline", "2022-09-09", "replaced"),
        ("reflection_max_end", "2022-12-08", "ended"),
        ("departure_deadline", "2022-12-08", "met"),
        ("reintegration_support_end", "2023-05-15", "upcoming"),
    ],
    # identified 09-12: +30 = Sep 18 + 12 -> 10-12; +120: 18 + 31 + 30 + 31 = 110 to 31 Dec, +10 -> 2023-01-10.
    # Departed 10-10, before the deadline: met; the period's deadlines no longer apply (ended).
    "victim-charged-minor-offence-non-punishment.yaml": [
        ("reflection_end", "2022-10-12", "ended"),
        ("extension_request_by", "2022-10-12", "ended"),
        ("departure_deadline", "2022-10-12", "met"),
        ("reflection_max_end", "2023-01-10", "ended"),
    ],
    # identified 02-21: +30 = Feb 7 + 23 -> 03-23; +120: 7 + 31 + 30 + 31 = 99 to 31 May, +21 -> 06-21.
    # The last event is 03-01: all still ahead.
    "victim-charged-serious-offence.yaml": [
        ("reflection_end", "2022-03-23", "upcoming"),
        ("extension_request_by", "2022-03-23", "upcoming"),
        ("departure_deadline", "2022-03-23", "upcoming"),
        ("reflection_max_end", "2022-06-21", "upcoming"),
    ],
    # identified 2021-03-08: +30 = Mar 23 + 7 -> 04-07; +120: 23 + 30 + 31 + 30 = 114 to 30 June, +6 -> 07-06.
    # Granted 04-01 to the maximum; testifies 05-10: the stay for the proceedings ends the departure
    # deadline and the longest end (ended); the 30 days had run out (expired). Permit until 2022-05-31.
    "witness-in-trafficking-trial-gets-permit.yaml": [
        ("reflection_end", "2021-04-07", "expired"),
        ("extension_request_by", "2021-04-07", "met"),
        ("departure_deadline", "2021-04-07", "replaced"),
        ("reflection_max_end", "2021-07-06", "ended"),
        ("departure_deadline", "2021-07-06", "ended"),
        ("permit_expiry", "2022-05-31", "upcoming"),
    ],
}


def test_every_example_is_in_the_table() -> None:
    assert sorted(FULL) == sorted(p.name for p in EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("name", sorted(FULL))
def test_the_full_list_of_deadlines(name: str) -> None:
    report = casepath.simulate_file(EXAMPLES / name)
    assert [(d.id, d.due, d.status) for d in report.deadlines] == FULL[name]
