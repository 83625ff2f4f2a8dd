"""What the engine records while a case runs: typed facts, never words.

The simulator writes one `StepRecord` per event or time-driven step, and the case keeps the
deadlines, assumptions and warnings those steps produced as the typed values below: which
deadline was counted from which start with which length (and which value of which parameter),
which decision a result relies on, which check refused an event. Nothing here is a sentence in
any language. Words are made at the edge (`casepath.wording`) from these values and the
workflow's own texts, looked up by id in the language asked for; so a report in Danish and one
in English come from the same run, and their ids, dates and statuses agree by construction.

Every record is a slotted dataclass whose fields are never assigned once it is made: hashable
(an assumption relied on twice is listed once) and cheap to make in the run loop. Type checkers
see each one frozen (`record`); their equality, hash and repr are those a frozen dataclass
generates (equal when of the same class with equal fields), written once in `Record` rather
than generated and compiled for each class: a cold `casepath simulate` makes all of them, and
the compiling cost about 4 ms of every start.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import Any, ClassVar, Literal, TypeVar, dataclass_transform

from casepath.clock import Duration, Moment
from casepath.status import Status


def _no_fields(record: object) -> tuple[()]:
    return ()


_R = TypeVar("_R")


@dataclass_transform(frozen_default=True, eq_default=False)
def record(cls: type[_R]) -> type[_R]:
    """Declares a record: a dataclass with slots, frozen as far as type checkers know.

    An assignment to a record's field is a type error, which CI's mypy run over src/ reports
    (`tests/test_journal.py` checks that it does). At run time there is no guard: a frozen
    dataclass sets each field through `object.__setattr__`, and with the forty-odd records of a
    run that was 8 % of all the instructions a `simulate` executes (measured 2026-12-01)."""
    return dataclass(slots=True, eq=False, repr=False)(cls)


class Record:
    """The base of every record: equality, hashing and repr by the fields, as `@dataclass(frozen=True)`
    would make them (each record is declared with `@record` and takes these). Two records are equal
    only if they are of the same class: a `VariantValue` is never equal to a `ValueOnAssumedDate`
    with the same fields."""

    __slots__ = ("_hash",)
    _hash: int  # once worked out (see `__hash__`); unset until then
    _fields: ClassVar[tuple[str, ...]]
    _key: ClassVar[Any]  # the fields' values, read by an operator.attrgetter (Any: called with the record)

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        # the fields, in order: every annotation of a record is a field (tests/test_journal.py checks
        # this against dataclasses.fields)
        cls._fields = tuple(inspect.get_annotations(cls))
        cls._key = attrgetter(*cls._fields) if cls._fields else staticmethod(_no_fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._key(self) == self._key(other))
        return NotImplemented

    def __hash__(self) -> int:
        # Kept once worked out: the same records are asked again and again (an assumption relied on
        # at every step, a decision's record), and hashing nested fields was 5 % of a `simulate`'s
        # instructions. (The first read of the unset slot makes and clears an AttributeError inside
        # getattr: 0.1 us, paid once per record.)
        found: int | None = getattr(self, "_hash", None)
        if found is None:
            found = hash(self._key(self))
            self._hash = found
        return found

    def __getstate__(self) -> tuple[None, dict[str, Any]]:
        """The fields only, never the kept hash: a string's hash differs from process to process."""
        return None, {name: getattr(self, name) for name in self._fields}

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({values})"


# ---------------------------------------------------------------------- how a deadline was counted


@record
class CountedFrom(Record):
    """The start a deadline was counted from.

    `kind` is where the start came from: the step itself (`event`; `name` is the event, None for
    the states a case starts in), a date fact (`fact`), another deadline (`deadline`) or a date
    given in the event (`field`)."""

    kind: Literal["event", "fact", "deadline", "field"]
    name: str | None
    at: Moment | date | datetime


@record
class LengthFromRule(Record):
    """A length taken from a parameter: the value at `entry` (its position in the history)."""

    parameter: str
    entry: int
    length: Duration


@record
class LengthGiven(Record):
    """A length given in the event's field `field`."""

    field: str
    length: Duration


@record
class Counting(Record):
    """How a deadline's date was worked out: `start` plus `length` (none: the start's own day)."""

    start: CountedFrom
    length: LengthFromRule | LengthGiven | None


# ---------------------------------------------------------------------- remarks on one deadline


@record
class ClosedDay(Record):
    """The deadline falls on a day offices are closed (or close at noon); `before` is the last
    (full) working day before it. The date itself does not move."""

    due: date
    before: date
    at_noon: bool


@record
class RuleChanged(Record):
    """The rule the deadline was counted with changed on `on` while it ran: it was counted again
    with the value at `entry` of `parameter`; it was `before`."""

    on: date
    parameter: str
    entry: int
    before: date | datetime


DeadlineRemark = ClosedDay | RuleChanged


# ---------------------------------------------------------------------- warnings on the case


@record
class WorkflowWarning(Record):
    """A warning the workflow gives (a `warn` action), known by its code; `at` fills its `{date}`."""

    code: str
    at: Moment


@record
class NoRuleInForce(Record):
    """No value of `parameter` was in force on `on`, so `deadline` was not set."""

    parameter: str
    on: date
    deadline: str


CaseWarning = WorkflowWarning | NoRuleInForce


# ---------------------------------------------------------------------- assumptions


@record
class ValueOnAssumedDate(Record):
    """A parameter's value was used on a day only an assumed start date makes it apply to."""

    parameter: str
    entry: int


@record
class VariantValue(Record):
    """A rule variant's value was used because the variant was asked for."""

    parameter: str
    entry: int


@record
class ValuePastItsSources(Record):
    """A value was used on `on`, after the last year its sources describe."""

    parameter: str
    entry: int
    on: date


@record
class EarlierValueKept(Record):
    """On `on` the earlier value was taken to be still in force: the next one (`entry`) starts
    on an assumed date that could already have come."""

    parameter: str
    entry: int
    on: date


RuleKind = Literal["event", "deadline", "entitlement"]
"""What kind of rule a name is: a transition's event, a deadline or an entitlement."""


@record
class RulePastItsSources(Record):
    """A rule (a transition's event, a deadline or an entitlement: `kind`, `name`) was applied after
    the last year (`until`) its cited documents (`documents`) describe."""

    kind: RuleKind
    name: str
    until: date
    documents: tuple[str, ...]


@record
class DecisionRelied(Record):
    """The result relies on one of the workflow's modelling decisions."""

    decision: str


@record
class AgeUnknown(Record):
    """Neither date of birth nor age is given: the person is treated as an adult."""


@record
class BirthdayFromAge(Record):
    """Only the age is given: the birthday is taken as the latest consistent with it (`born`)."""

    born: date


Assumption = (
    ValueOnAssumedDate
    | VariantValue
    | ValuePastItsSources
    | EarlierValueKept
    | RulePastItsSources
    | DecisionRelied
    | AgeUnknown
    | BirthdayFromAge
)


def assumption_key(assumption: Assumption) -> str:
    """The name a report lists an assumption under (the contract's `parameter`)."""
    if isinstance(assumption, RulePastItsSources):
        return assumption.name
    if isinstance(assumption, DecisionRelied):
        return assumption.decision
    if isinstance(assumption, AgeUnknown | BirthdayFromAge):
        return "age"
    return assumption.parameter


# ---------------------------------------------------------------------- refusals


@record
class CheckFailed(Record):
    """A check of the workflow failed: `where` is ("event", name, position) or ("transition",
    index, position) of the check, whose message the workflow gives."""

    where: tuple[str, Any, int]


@record
class RefusedByRule(Record):
    """One of the workflow's refusals (by position) applies."""

    refusal: int


@record
class WrongState(Record):
    """The event's track is in a state the event cannot happen in."""

    event: str
    track: str
    state: str


@record
class ConditionUnmet(Record):
    """The event is possible from this state, but a condition (`guard`, by position, of the
    transition `transition`) does not hold."""

    event: str
    transition: int
    guard: int


@record
class OutOfOrder(Record):
    """Event `number` is dated before the one above it."""

    number: int
    event: str
    at: Moment
    before: str
    before_at: Moment


@record
class TooManySteps(Record):
    """The case took `count` time-driven steps and would take another (`event` at `at`)."""

    count: int
    event: str
    at: Moment


Reason = CheckFailed | RefusedByRule | WrongState | ConditionUnmet | OutOfOrder | TooManySteps


@record
class Refusal(Record):
    """Why event `event` (its number in the scenario) was refused, with the error code of the
    contract. `possible` are the events that could have happened instead (None: not said)."""

    code: str
    reason: Reason
    event: int
    possible: tuple[str, ...] | None = None


# ---------------------------------------------------------------------- steps and their effects


@record
class DeadlineSet(Record):
    """Deadline `id` was set (or set again) to fall due on `due`."""

    id: str
    due: date | datetime


@record
class DeadlineSettled(Record):
    """Deadline `id` was settled by a step with `status` (met, replaced, ended or cancelled)."""

    id: str
    status: Status


@record
class FactSet(Record):
    """The case's fact `name` took `value`."""

    name: str
    value: Any


@record
class EntitlementOpened(Record):
    """Entitlement `id` began on `start`."""

    id: str
    start: date


@record
class EntitlementClosed(Record):
    """Entitlement `id` ended; `last_day` was its last day."""

    id: str
    last_day: date


Effect = DeadlineSet | DeadlineSettled | FactSet | EntitlementOpened | EntitlementClosed


@record
class StepRecord(Record):
    """One event of the scenario (`number`) or one time-driven step (`number` None).

    `moves` are (track, before, after) for every track that took a transition, the event's own
    track first; `transitions` the workflow transitions taken (by index), in the same order;
    `effects` what the step changed, in the order it changed it (with what the states entered
    and the entitlements did)."""

    number: int | None
    at: Moment
    event: str
    fields: dict[str, Any]
    moves: tuple[tuple[str, str, str], ...]
    transitions: tuple[int, ...]
    effects: tuple[Effect, ...]

    @property
    def automatic(self) -> bool:
        return self.number is None
