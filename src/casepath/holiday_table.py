"""Public holidays from the `holidays` library, through a committed table for the usual years.

Importing the library and building one country's calendar takes about 0.2 s: as long as all
the rest of a cold `casepath simulate`. So the library's answer for 1990-2045 is kept in
`holiday_tables/<country>.json` (English names) and `<country>.<lang>.json` (the names in
another language casepath speaks, e.g. `DK.da.json`), written by

    python -m casepath.holiday_table DK

and compared with the installed library by the tests (which fail when the library learns of
a change, e.g. a holiday abolished). A year outside the table, or a country without one, is
asked of the library itself, so the answer is always the library's.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from functools import lru_cache
from pathlib import Path

TABLES = Path(__file__).resolve().parent / "holiday_tables"
FIRST_YEAR, LAST_YEAR = 1990, 2045


def known_country(country: str) -> bool:
    """Whether public holidays can be had for `country`: a committed table, or the library knows it.

    Asked when a workflow is loaded, so that a code nobody knows is refused there (exit 2) and not
    met in the middle of a simulation. The library is imported only for a country without a table."""
    if not re.fullmatch(r"[A-Z]{2}", country):
        return False
    if _file(country, "en").is_file():
        return True
    import holidays

    return country in holidays.list_supported_countries()


def _file(country: str, lang: str) -> Path:
    if not re.fullmatch(r"[A-Z]{2}", country) or not re.fullmatch(r"[a-z]{2}", lang):
        raise ValueError(f"not a country code and language: {country!r}, {lang!r}")  # never a path
    return TABLES / (f"{country}.json" if lang == "en" else f"{country}.{lang}.json")


@lru_cache(maxsize=16)
def _table(country: str, lang: str = "en") -> dict[int, dict[date, str]] | None:
    path = _file(country, lang)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    years: dict[int, dict[date, str]] = {year: {} for year in range(data["first_year"], data["last_year"] + 1)}
    for day, name in data["holidays"].items():
        parsed = date.fromisoformat(day)
        years[parsed.year][parsed] = name
    return years


@lru_cache(maxsize=512)
def public_holidays(country: str, year: int, lang: str = "en") -> dict[date, str]:
    """The public holidays of `country` (a code the holidays library knows) in `year`, named in `lang`."""
    table = _table(country, lang)
    if table is not None and year in table:
        return table[year]
    return from_library(country, year, lang)


def from_library(country: str, year: int, lang: str = "en") -> dict[date, str]:
    """The library's answer; names in `lang` where it has them (English is its default here)."""
    import holidays  # slow to import: only when the table does not answer

    if lang == "en":
        return dict(holidays.country_holidays(country, years=year))
    return dict(holidays.country_holidays(country, years=year, language=lang))


def languages_of(country: str) -> list[str]:
    """The languages other than English that both casepath and the library speak for `country`."""
    import holidays

    from casepath.locale import languages

    known = holidays.country_holidays(country).supported_languages
    return [lang for lang in languages() if lang != "en" and lang in known]


def write_table(country: str, lang: str = "en") -> Path:
    """Write the table for `country`, holiday names in `lang`, from the installed library."""
    import holidays

    days: dict[str, str] = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for day, name in sorted(from_library(country, year, lang).items()):
            days[day.isoformat()] = name
    data = {
        "country": country,
        **({} if lang == "en" else {"language": lang}),
        "made_by": f"python -m casepath.holiday_table {country}, holidays {holidays.__version__}",
        "first_year": FIRST_YEAR,
        "last_year": LAST_YEAR,
        "holidays": days,
    }
    path = _file(country, lang)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    for code in sys.argv[1:] or ["DK"]:
        for language in ["en", *languages_of(code)]:
            print(f"wrote {write_table(code, language)}")
