"""Seeded generator of realistic scenario dictionaries for the benchmark (not part of casepath).

Each scenario follows one of a few pathway shapes seen in the examples (DIS identifies an
undocumented person and a prepared return follows; CMM identifies an EU citizen or a lawful
resident; an asylum seeker is refused and then gets a reflection period; a negative
identification; a witness with a permit for the proceedings), with varied residence, dates
from 2006 to 2022, and now and then a police detention, a criminal case or a charge against
the victim. A few scenarios break a rule (an extension requested after the 30 days): the
engine reports those as errors, as it would for a real user, and that is part of the work
measured.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

FIRST_DAY = date(2006, 1, 1)
LAST_START = date(2022, 6, 30)
CONTACT_BY = ["ngo", "hotline", "police", "dis_screening", "red_cross", "labour_inspection",
              "tax_authority", "health_clinic", "municipality", "self", "other"]  # fmt: skip
EXPLOITATION = ["sexual", "labour", "criminality", "begging", "organ_removal", "forced_marriage"]
COUNTRIES = ["NG", "RO", "BG", "TH", "VN", "UA", "AL", "CN", "PH", "UG", "BR", "LT"]
EU_COUNTRIES = ["RO", "BG", "LT", "PL", "HU"]


class _Timeline:
    """Events in date order: each one a few days (or hours) after the one before."""

    def __init__(self, rng: random.Random, start: date) -> None:
        self.rng = rng
        self.day = start
        self.events: list[dict[str, Any]] = []

    def add(self, event: str, after: tuple[int, int] = (0, 0), **fields: Any) -> date:
        self.day += timedelta(days=self.rng.randint(*after))
        self.events.append({"date": self.day.isoformat(), "event": event, **fields})
        return self.day

    def detention(self) -> None:
        """Detained at a time of day, then released (or the detention extended, or left running).

        Times between 02:00 and 03:00 are moved an hour on: on the days the clocks change they
        are missing or happen twice, and casepath rightly asks for an offset then."""
        rng = self.rng
        at = datetime.combine(self.day, datetime.min.time()) + timedelta(hours=rng.randint(6, 20))
        self.events.append({"date": at.strftime("%Y-%m-%dT%H:%M"), "event": "detained"})
        roll = rng.random()
        if roll < 0.15:
            at += timedelta(hours=rng.randint(30, 60))
            at = _clear_of_clock_change(at)
            self.events.append(
                {"date": at.strftime("%Y-%m-%dT%H:%M"), "event": "detention_extended", "hours": rng.choice([24, 48])}
            )
        if roll < 0.9:
            at += timedelta(hours=rng.randint(2, 30))
            at = _clear_of_clock_change(at)
            self.events.append({"date": at.strftime("%Y-%m-%dT%H:%M"), "event": "released"})
        self.day = at.date() + timedelta(days=1)


def _clear_of_clock_change(at: datetime) -> datetime:
    return at + timedelta(hours=1) if at.hour == 2 else at


def _person(rng: random.Random, residence: str, start: date) -> dict[str, Any]:
    child = rng.random() < 0.08
    years = rng.randint(14, 17) if child else rng.randint(19, 55)
    born = start - timedelta(days=365 * years + rng.randint(0, 364))
    citizenship = rng.choice(EU_COUNTRIES if residence == "eu_citizen" else COUNTRIES)
    if residence == "danish_citizen":
        citizenship = "DK"
    person: dict[str, Any] = {
        "alias": f"P{rng.randint(1, 99999)}",
        "born": born.isoformat(),
        "citizenship": citizenship,
        "residence": residence,
        "exploitation": rng.sample(EXPLOITATION, rng.choice([1, 1, 1, 2])),
    }
    if child:
        person["unaccompanied"] = rng.random() < 0.5
    return person


def _side_tracks(t: _Timeline, person: dict[str, Any], criminal_case: bool = True) -> None:
    """The criminal case, a charge against the victim, a representative for a lone child."""
    rng = t.rng
    if person.get("unaccompanied"):
        t.add("personal_representative_appointed", (0, 5))
    if rng.random() < 0.15:
        t.add("victim_charged", (0, 3), serious=rng.random() < 0.3)
        if rng.random() < 0.6:
            t.add("charges_withdrawn", (1, 10))
    if criminal_case and rng.random() < 0.2:
        t.add("investigation_opened", (0, 7))
        if rng.random() < 0.5:
            t.add("testifies", (1, 10))
        if rng.random() < 0.3:
            t.add("restitution_claimed", (0, 5))


def _reflection_and_after(t: _Timeline, person: dict[str, Any]) -> None:
    """From the start of a reflection period: an extension, the side tracks, then leaving."""
    rng = t.rng
    if rng.random() < 0.7:
        # Mostly within the 30 days; now and then too late (the engine refuses it).
        t.add("extension_requested", (3, 31), reason=rng.choice(["cooperation_on_return", "special_circumstances"]))
        if rng.random() < 0.85:
            t.add("extension_granted", (1, 6))
        else:
            t.add("extension_refused", (1, 6))
    _side_tracks(t, person)
    roll = rng.random()
    if roll < 0.55:
        t.add("prepared_return_accepted", (5, 60))
        t.add("returned", (3, 20))
    elif roll < 0.7:
        t.add("prepared_return_declined", (5, 40))
        t.add("departed", (1, 20))
    elif roll < 0.8:
        t.add("disappeared", (5, 60))
    elif roll < 0.9:
        t.add("removed", (110, 160))  # after the departure deadline has passed
    # else: still in progress at the last event


def generate(count: int, seed: int = 2024) -> list[dict[str, Any]]:
    """`count` scenario dictionaries, the same for the same seed."""
    rng = random.Random(seed)
    span = (LAST_START - FIRST_DAY).days
    out = []
    for index in range(count):
        start = FIRST_DAY + timedelta(days=rng.randint(0, span))
        shape = rng.choices(["dis", "cmm", "asylum", "negative", "witness"], weights=[50, 15, 12, 10, 13])[0]
        if shape in ("dis", "witness"):
            residence = "undocumented"
        elif shape == "cmm":
            residence = rng.choice(["eu_citizen", "lawful_resident", "danish_citizen"])
        elif shape == "asylum":
            residence = "asylum_seeker"
        else:
            residence = rng.choice(["undocumented", "eu_citizen", "asylum_seeker"])
        authority = "cmm" if residence in ("eu_citizen", "lawful_resident", "danish_citizen") else "dis"
        person = _person(rng, residence, start)
        t = _Timeline(rng, start)
        t.add("contact", by=rng.choice(CONTACT_BY))
        if rng.random() < 0.15:
            t.detention()
        if rng.random() < 0.6:
            t.add("referred", (0, 7), to=authority)
        if shape == "negative":
            t.add("not_identified", (2, 20), by=authority)
        else:
            t.add("identified", (2, 20), by=authority)
            if rng.random() < 0.4:
                t.add("placed", (0, 3), where=rng.choice(["shelter", "safe_house"]))
            if shape == "dis":
                _reflection_and_after(t, person)
            elif shape == "witness":
                t.add("investigation_opened", (0, 10))
                t.add("extension_requested", (3, 15), reason="special_circumstances")
                t.add("extension_granted", (1, 5))
                t.add("testifies", (10, 40))
                end = t.day + timedelta(days=rng.randint(180, 400))
                t.add("residence_permit_granted", (1, 20), kind="criminal_proceedings", until=end.isoformat())
                _side_tracks(t, person, criminal_case=False)
            elif shape == "asylum":
                t.add("asylum_refused", (10, 200))
                _reflection_and_after(t, person)
            else:  # cmm: a right to stay, so no reflection period
                _side_tracks(t, person)
                if rng.random() < 0.4:
                    t.add("compensation_claimed", (10, 60))
                if rng.random() < 0.7:
                    t.add("departed", (20, 90))
        out.append(
            {
                "casepath": 1,
                "title": f"Generated scenario {index} ({shape}, {residence})",
                "person": person,
                "events": t.events,
            }
        )
    return out
