"""The tool's own words in other languages: headings, statuses, phrases, weekdays.

Everything a workflow says (labels, notes, messages) comes translated with the workflow
(`casepath.workflow.translation`); this catalog holds only what casepath itself writes
around it. `<lang>.json` beside this file maps each English text, exactly as the code
writes it, to its translation; `{name}` placeholders are filled in after translating, so a
translation may put them in another order. English needs no catalog. A text missing from a
catalog is shown in English (the tests check that none is missing).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from casepath.problems import InputProblem

ENGLISH = "en"
_FOLDER = Path(__file__).resolve().parent
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def languages() -> list[str]:
    """The languages casepath can write: English and one per catalog."""
    return sorted({ENGLISH, *(p.stem for p in _FOLDER.glob("*.json"))})


def check(lang: str) -> str:
    """`lang` if casepath speaks it, else an input problem naming the ones it does."""
    if lang not in languages():
        raise InputProblem(f"unknown language {lang!r} (casepath speaks: {', '.join(languages())})")
    return lang


@lru_cache(maxsize=8)
def catalog(lang: str) -> dict[str, str]:
    if lang == ENGLISH:
        return {}
    return json.loads((_FOLDER / f"{check(lang)}.json").read_text(encoding="utf-8"))


def translate(text: str, lang: str, /, **values: Any) -> str:
    """`text` (English, as written in the code) in `lang`, with its `{placeholders}` filled in."""
    found = catalog(lang).get(text, text) if lang != ENGLISH else text
    return found.format(**values) if values else found


def translator(lang: str) -> Callable[..., str]:
    """`translate` with the language fixed: `tr = translator("da"); tr("Deadlines")`."""

    def tr(text: str, /, **values: Any) -> str:
        return translate(text, lang, **values)

    return tr


def weekday(day: date, lang: str) -> str:
    """The name of the day of the week ("Saturday", "lørdag"), independent of the system's locale."""
    return translate(_WEEKDAYS[day.weekday()], lang)


def closed_reason(day: date, calendar: Any, lang: str) -> str | None:
    """Why offices are closed on `day` ("a Sunday", "en søndag", "a public holiday (Easter Monday)",
    "Christmas Eve"), or None.

    `calendar` is a workflow's `calendar:` (its closed days' labels come translated with the
    workflow), or a bare country code, which knows public holidays only."""
    from casepath.clock import closed_day
    from casepath.holiday_table import public_holidays

    country = calendar if isinstance(calendar, str) else calendar.holidays
    names = public_holidays(country, day.year, lang)
    if day in names:
        return translate("a public holiday ({name})", lang, name=names[day])
    if day.weekday() >= 5:
        return translate("a {weekday}", lang, weekday=weekday(day, lang))
    rule = closed_day(day, calendar)
    return rule.label if rule is not None else None


_UNITS = {
    "days": ("{amount} day", "{amount} days"),
    "months": ("{amount} month", "{amount} months"),
    "years": ("{amount} year", "{amount} years"),
    "hours": ("{amount} hour", "{amount} hours"),
}

FIXED: tuple[str, ...] = (*_WEEKDAYS, *(text for pair in _UNITS.values() for text in pair), "in progress")
"""Texts translated through a variable rather than a literal in the code (the tests check these too)."""


def duration_text(length: Any, lang: str) -> str:
    """A `clock.Duration` for people: "30 days", "30 dage", "1 month"."""
    if lang == ENGLISH:
        return str(length)
    one, many = _UNITS[length.unit]
    return translate(one if length.amount == 1 else many, lang, amount=length.amount)
