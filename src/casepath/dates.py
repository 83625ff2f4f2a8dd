"""A date is a date: the one way casepath reads a date or a date-time from a person or a file.

Python and pydantic are generous with dates: pydantic reads the number 20220310 as a Unix
timestamp (a day in August 1970) and `date.fromisoformat` reads the text "20220310" as
10 March 2022. In a tool whose answers are deadlines, neither guess is acceptable: a number
where a date is expected is refused with one line, and a date is written the one way
everybody reads the same, `YYYY-MM-DD` (a date-time `YYYY-MM-DDTHH:MM`, optionally with
seconds and an offset).

- `read_date` / `read_date_or_time`: the checks, for code that reads values itself;
- `StrictDate`: the same check as a pydantic type, for every date field of every model;
- `option_date`: a command-line option such as `--as-of` (and `--on DATE|today`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator

from casepath.problems import InputProblem

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?")

DATE_HINT = "write it as YYYY-MM-DD"
DATE_TIME_HINT = "write YYYY-MM-DD or YYYY-MM-DDTHH:MM"


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+(?:\.\d*)?\s*", value) is not None


def _number_problem(value: Any, hint: str) -> str:
    text = str(value).strip()
    example = ""
    if re.fullmatch(r"\d{8}", text):
        example = f", e.g. {text[:4]}-{text[4:6]}-{text[6:]}"
    return f"{text} is a number, not a date ({hint}{example})"


def read_date(value: Any) -> date:
    """`value` as a date: a date object (not a date-time) or the text YYYY-MM-DD.

    Raises ValueError with a message for people: a number is refused, never read as a
    timestamp or a compact date."""
    if isinstance(value, datetime):
        raise ValueError(f"{value.isoformat()!r} is a date-time; a date is expected ({DATE_HINT})")
    if isinstance(value, date):
        return value
    if _is_number(value):
        raise ValueError(_number_problem(value, DATE_HINT))
    if isinstance(value, str) and _DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a valid date ({DATE_HINT})")


def read_date_or_time(value: Any) -> date | datetime:
    """`value` as a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM[:SS][offset]).

    A date-time without an offset is returned naive: the caller reads it in its time zone."""
    if isinstance(value, date):  # a datetime is a date too
        return value
    if _is_number(value):
        raise ValueError(_number_problem(value, DATE_TIME_HINT))
    if isinstance(value, str):
        text = value.strip()
        try:
            if _DATE.fullmatch(text):
                return date.fromisoformat(text)
            if _DATE_TIME.fullmatch(text):
                return datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a valid date or date-time ({DATE_TIME_HINT})")


def _strict_date(value: Any) -> Any:
    if value is None:
        return None
    return read_date(value)


StrictDate = Annotated[date, BeforeValidator(_strict_date)]
"""A date field of a pydantic model that takes only a date or YYYY-MM-DD text, never a number."""


def option_date(option: str, value: str | None, *, today: date | None = None) -> date | None:
    """A command-line date option: `YYYY-MM-DD`, or the word `today` when `today` is given.

    None stays None (the option was not given). Anything else is an `InputProblem` (exit 2)
    naming the option: `--as-of '20220310' is a number, not a date (write it as YYYY-MM-DD, ...)`.
    The caller decides what "today" is (e.g. the date now in the workflow's time zone) and
    passes it; without it the word is refused like any other non-date."""
    if value is None:
        return None
    if today is not None and value.strip().lower() == "today":
        return today
    try:
        return read_date(value)
    except ValueError:
        hint = DATE_HINT + (" or today" if today is not None else "")
        if _is_number(value):
            raise InputProblem(f"{option} {value!r} {_number_problem(value, hint).split(' ', 1)[1]}") from None
        raise InputProblem(f"{option} {value!r} is not a date ({hint})") from None


def today_in(zone: Any) -> date:
    """Today's date in `zone` (a tzinfo): what `--on today` means for a workflow's time zone."""
    return datetime.now(zone).date()
