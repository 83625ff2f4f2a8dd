"""The committed holiday table is the holidays library's answer, and the answers are right."""

from __future__ import annotations

from datetime import date

import pytest

from casepath import holiday_table


@pytest.mark.parametrize("year", range(holiday_table.FIRST_YEAR, holiday_table.LAST_YEAR + 1))
def test_the_table_is_what_the_library_says(year):
    # Fails when the installed library knows of a change: run `python -m casepath.holiday_table DK`.
    assert holiday_table.public_holidays("DK", year) == holiday_table.from_library("DK", year)


def test_danish_holidays_worked_out_by_hand():
    # Easter 2022 fell on 17 April: Good Friday the 15th, Easter Monday the 18th.
    days = holiday_table.public_holidays("DK", 2022)
    assert date(2022, 4, 15) in days and date(2022, 4, 18) in days
    # Great Prayer Day, the fourth Friday after Easter (9 April 2023): 5 May 2023; abolished from 2024.
    assert "Prayer" in holiday_table.public_holidays("DK", 2023)[date(2023, 5, 5)]
    assert not any("Prayer" in name for name in holiday_table.public_holidays("DK", 2024).values())


@pytest.mark.parametrize("year", [1990, 2022, 2023, 2024, 2045])
def test_the_danish_names_table_is_what_the_library_says(year):
    # DK.da.json is written by the same command; it fails the same way when the library changes.
    assert holiday_table.public_holidays("DK", year, "da") == holiday_table.from_library("DK", year, "da")


def test_danish_holiday_names_worked_out_by_hand():
    days = holiday_table.public_holidays("DK", 2023, "da")
    assert days[date(2023, 1, 1)] == "Nytårsdag"
    assert days[date(2023, 4, 10)] == "Anden påskedag"  # Easter Monday: Easter Sunday was 9 April 2023
    assert days[date(2023, 5, 5)] == "Store bededag"
    assert set(days) == set(holiday_table.public_holidays("DK", 2023))  # the same days as the English table


def test_years_and_countries_outside_the_table_ask_the_library():
    assert date(2050, 12, 25) in holiday_table.public_holidays("DK", 2050)
    assert date(2022, 7, 4) in holiday_table.public_holidays("US", 2022)
