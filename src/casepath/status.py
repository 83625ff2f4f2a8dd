"""What became of a deadline, judged on the report's date: the one list of statuses, and their words.

The statuses are the contract's (shared/contract.md, "Deadline statuses"). Every output names
them through `word`, so a status reads the same in every format and no format can call a met
deadline "passed". The words are English here; other languages translate them through the
catalog (`casepath/locale/<lang>.json`), like every other word casepath writes.
"""

from __future__ import annotations

from enum import StrEnum

from casepath.locale import translate


class Status(StrEnum):
    UPCOMING = "upcoming"
    """Its day is still ahead on the report's date."""
    MET = "met"
    """What it asks for was done in time."""
    MISSED = "missed"
    """Its day passed and what it asks for was not done."""
    EXPIRED = "expired"
    """The last day of a period or of a chance came and went, with nothing owed."""
    REPLACED = "replaced"
    """A later deadline with the same id took its place."""
    ENDED = "ended"
    """No longer applies: the case moved on before its day."""
    CANCELLED = "cancelled"
    """The step that set it was undone or refused."""


SETTLED = frozenset({Status.MET, Status.REPLACED, Status.ENDED, Status.CANCELLED})
"""Statuses a step gives a deadline; the others follow from its date and the report's date."""

STILL_OPEN = frozenset({Status.UPCOMING})
"""A deadline with one of these still asks for something ahead (reminders, key dates)."""

ALARMING = frozenset({Status.MISSED})
"""A deadline with one of these asks for attention: something owed was not done."""

_WORDS = {
    Status.UPCOMING: "upcoming",
    Status.MET: "met",
    Status.MISSED: "MISSED",
    Status.EXPIRED: "expired",
    Status.REPLACED: "replaced by a later one",
    Status.ENDED: "no longer applies",
    Status.CANCELLED: "cancelled",
}

WORDS: tuple[str, ...] = tuple(_WORDS.values())
"""Every word `word` can return, for the tests that check each has a translation."""


def word(status: Status | str, lang: str) -> str:
    """The status as a reader sees it ("MISSED", "OVERSKREDET", "met", "overholdt")."""
    return translate(_WORDS[Status(status)], lang)
