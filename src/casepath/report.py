"""The report of one simulated case: one typed object that every output format renders.

Field names follow the public contract (shared/contract.md); fields beyond it (states of
every track, deadline status, person alias) are additions a reader can use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from casepath.status import Status

if TYPE_CHECKING:
    from casepath.simulator import Run

_EVERY_FIELD: dict[type, set[str]] = {}
"""Per model, the names of all its fields: the fields set of every entry `built` makes, one set shared
by all of them. Nothing takes a name out of it: pydantic only adds a name when a field is assigned,
and every name is in already (`model_copy` gives the copy a set of its own)."""


class _Model(BaseModel):
    # defer_build: the validators and serializers are made when first used (JSON output, a report read
    # from input); the engine builds its reports without them (`built`) and text output never needs them.
    model_config = ConfigDict(populate_by_name=True, defer_build=True)


M = TypeVar("M", bound=_Model)


def built(model: type[M], /, **values: Any) -> M:
    """An entry of `model` from values the engine made and already checked, EVERY field given by its name.

    What `model_construct` does, without its per-field search for aliases and defaults (a quarter
    of its cost; the simulator builds tens of entries per case). The engine only, never for input:
    nothing is validated. `tests/test_same_answers.py` holds the reports built this way to the
    validated ones. The entries of a model share one fields set (`_EVERY_FIELD`).

    A function, not a class method: an attribute of a pydantic model class is found through its
    metaclass's `__getattr__` hook, which costs more than the call itself."""
    every = _EVERY_FIELD.get(model)
    if every is None:
        every = _EVERY_FIELD[model] = set(model.model_fields)
    if len(values) != len(every):
        raise TypeError(f"{model.__name__} needs every field: {sorted(every - set(values))}")
    entry = _new(model)
    _set_dict(entry, values)
    _set_fields(entry, every)
    _set_extra(entry, None)
    _set_private(entry, None)
    return entry


_new = object.__new__
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
"""What `built` sets, with the slots' own setters (pydantic's models keep these four in slots)."""


class TrackMove(_Model):
    track: str
    from_: str = Field(alias="from")
    to: str


class EventEntry(_Model):
    number: int | None = Field(description="position in the scenario's events, counting from 1; null if automatic")
    date: str
    event: str
    label: str
    automatic: bool
    track: str
    from_: str = Field(alias="from")
    to: str
    also: list[TrackMove] = []
    fields: dict[str, Any] = {}
    note: str | None = None
    sources: list[str] = []


class DeadlineEntry(_Model):
    id: str
    due: str
    label: str
    rule: str
    status: Status = Field(description="upcoming, met, missed, expired, replaced, ended or cancelled")
    set_on: str
    sources: list[str]
    warnings: list[str] = []


class EntitlementEntry(_Model):
    id: str
    from_: str = Field(alias="from")
    until: str | None
    label: str
    sources: list[str]


class AssumptionEntry(_Model):
    """Frozen: the reports that list the same assumption share one entry (`wording.Words.listed_entry`)."""

    model_config = ConfigDict(frozen=True)

    parameter: str
    note: str


class ErrorEntry(_Model):
    code: str
    message: str
    event: int


class Report(_Model):
    title: str
    case_ref: str | None = Field(default=None, description="the scenario's pseudonymous file number, if it has one")
    workflow: str
    alias: str
    file: str | None = None
    rules_as_of: str | None = None
    variants: list[str] = []
    rules_known_until: str
    on: str | None = Field(default=None, description="the day the case is looked at: statuses are judged on it")
    outcome: str
    state: str
    states: dict[str, str]
    state_labels: dict[str, str] = {}
    events: list[EventEntry] = []
    deadlines: list[DeadlineEntry] = []
    entitlements: list[EntitlementEntry] = []
    assumptions: list[AssumptionEntry] = []
    warnings: list[str] = []
    error: ErrorEntry | None = None
    _steps: list[Snapshot] | None = PrivateAttr(default=None)
    _scenario: Any = PrivateAttr(default=None)
    _case_key: str | None = PrivateAttr(default=None)

    @property
    def case_key(self) -> str:
        """What identifies the case in calendars (see `casepath.caseid`); not part of the JSON report.
        Worked out when a calendar asks for it ("" for a report not made from a scenario)."""
        if self._case_key is None:
            from casepath import caseid

            self._case_key = caseid.key(self._scenario) if self._scenario is not None else ""
        return self._case_key

    @property
    def steps(self) -> list[Snapshot] | None:
        """The case as it stood after each step, when the simulator was asked to keep them (for a
        step-through); None otherwise. Not part of the JSON report."""
        return self._steps

    @classmethod
    def made(cls, scenario: Any, **values: Any) -> Report:
        """`built`, keeping the scenario the report was made from (for `case_key`)."""
        report = built(cls, **values)
        _set_private(report, {"_steps": None, "_scenario": scenario, "_case_key": None})
        return report

    def as_json_data(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)

    def last_deadline(self, deadline_id: str) -> DeadlineEntry | None:
        found = [d for d in self.deadlines if d.id == deadline_id]
        return found[-1] if found else None


@dataclass
class Snapshot:
    """One step of a case, taken by the simulator as it ran: an event (with the automatic steps the
    clock took before it), or the clock run on to the day the case is looked at (`--on`)."""

    number: int
    made: Report | Callable[[], Report] = field(repr=False, compare=False)
    """The report as it would read had the scenario stopped here, or how to make it (see `report`)."""
    entries: list[EventEntry]
    """The report entries this step added: automatic steps first, then the event itself."""
    applying: list[tuple[str, str]]
    """The entitlement periods open right after this step: (id, first day)."""
    refused: bool = False
    automatic: bool = False
    """No event: the clock took this step (on to `--on`, or at one moment of `clock`)."""
    clock: list[Snapshot] = field(default_factory=list)
    """Before an event, each moment the clock took steps on its own, as the case stood then."""
    run: Run | None = field(default=None, repr=False, compare=False)
    """The simulator's run right after this step, to branch from (what could come next)."""

    @property
    def report(self) -> Report:
        """The report as it would read had the scenario stopped here. A moment of the clock's makes it
        when first read (only `walk` shows them, and a broken workflow can take a thousand)."""
        if not isinstance(self.made, Report):
            self.made = self.made()
        return self.made
