"""Public holidays from the `holidays` library, through a committed table for the usual years.

Importing the library and building one country's calendar takes about 0.2 s: as long as all
the rest of a cold `casepath simulate`. So the library's answer for 1990-2045 is kept in
`holiday_tables/<country>.json`, written by

    python -m casepath.holiday_table DK

and compared with the installed library by the tests (which fail when the library learns of
a change, e.g. a holiday abolished). A year outside the table, or a country without one, is
asked of the library itself, so the answer is always the library's.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from functools import lru_cache
from pathlib import Path

TABLES = Path(__file__).resolve().parent / "holiday_tables"
FIRST_YEAR, LAST_YEAR = 1990, 2045


@lru_cache(maxsize=16)
def _table(country: str) -> dict[int, dict[date, str]] | None:
    path = TABLES / f"{country}.json"
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
def public_holidays(country: str, year: int) -> dict[date, str]:
    """The public holidays of `country` (a code the holidays library knows) in `year`, with their names."""
    table = _table(country)
    if table is not None and year in table:
        return table[year]
    return from_library(country, year)


def from_library(country: str, year: int) -> dict[date, str]:
    import holidays  # slow to import: only when the table does not answer

    return dict(holidays.country_holidays(country, years=year))


def write_table(country: str) -> Path:
    """Write the table for `country` from the installed library."""
    import holidays

    days: dict[str, str] = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for day, name in sorted(from_library(country, year).items()):
            days[day.isoformat()] = name
    data = {
        "country": country,
        "made_by": f"python -m casepath.holiday_table {country}, holidays {holidays.__version__}",
        "first_year": FIRST_YEAR,
        "last_year": LAST_YEAR,
        "holidays": days,
    }
    path = TABLES / f"{country}.json"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    for code in sys.argv[1:] or ["DK"]:
        print(f"wrote {write_table(code)}")
