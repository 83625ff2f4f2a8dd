"""The fixed registry of guards and actions a workflow file may name.

A workflow file never names Python: it names a guard or an action from this table, with
arguments whose shape each entry defines. Loading a workflow resolves every name here
before any machine is built; a name that is not here is a load error. This is also the
documentation of what a workflow can express (docs/workflow-format.md lists the same).

Guards answer a question about the case at the current step; actions change the case.
Both see the case through `StepView` (casepath.workflow.view, a protocol that casepath.case.Step
implements), never through the state machine or the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from casepath import clock
from casepath.status import Status

if TYPE_CHECKING:
    from casepath.workflow.view import StepView as Step


class Args(BaseModel):
    """Arguments of a guard or action. `refs` lists the workflow names they use, for load checks."""

    # Validated when a workflow is compiled; one from the cache is not (see casepath.workflow.spec.Strict).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    def refs(self) -> list[tuple[str, str]]:
        return []

    def types(self) -> list[tuple[str, str]]:
        """What some of `refs` must be, for load checks: ("date field", name), ("length field", name),
        ("date fact", name) or ("duration parameter", name)."""
        return []

    def prepare(self, workflow: Any) -> None:
        """Precompute what the arguments mean in this workflow (called once when it is compiled)."""

    def state_gate(self) -> tuple[str, frozenset[str], bool] | None:
        """For a guard that reads nothing but one track's state: (track, states, whether the state
        must be among them), so the engine can test it inline; None for every other guard."""
        return None

    def fact_gate(self) -> tuple[str, tuple[Any, ...], bool] | None:
        """For a guard that reads nothing but one fact and asks whether its value is among some values:
        (fact, values, whether it must be among them), so the engine can decide it without calling
        it; None for every other guard."""
        return None


Describe = Callable[..., str]
"""A translator (`casepath.locale.translator(lang)`): the English template and its values in, text out."""


@dataclass(frozen=True)
class Entry:
    name: str
    doc: str
    args: type[Args]
    run: Callable[[Step, Any], Any]
    describe: Callable[[Any, Describe], str]
    """Says what the call checks or does, in words: (args, translate) -> text."""

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its place in the registry (a compiled workflow kept between processes, see
        `casepath.workflow.cache`): the table is fixed, so the entry is looked up again when loaded."""
        return (_entry, ("guard" if GUARDS.get(self.name) is self else "action", self.name))


GUARDS: dict[str, Entry] = {}
ACTIONS: dict[str, Entry] = {}


def _entry(kind: str, name: str) -> Entry:
    return (GUARDS if kind == "guard" else ACTIONS)[name]


def _register(table: dict[str, Entry], name: str, args: type[Args], describe: Callable[[Any, Describe], str]):
    def wrap(func: Callable[[Step, Any], Any]) -> Callable[[Step, Any], Any]:
        table[name] = Entry(name, (func.__doc__ or "").strip(), args, func, describe)
        return func

    return wrap


def _words(values: list[Any]) -> str:
    return ", ".join(str(v).lower() if isinstance(v, bool) else str(v) for v in values)


# ---------------------------------------------------------------- guards


class FactValues(Args):
    fact: str
    values: list[str | bool | int]

    def refs(self) -> list[tuple[str, str]]:
        return [("fact", self.fact)]

    def fact_gate(self) -> tuple[str, tuple[Any, ...], bool] | None:
        return self.fact, tuple(self.values), True


@_register(GUARDS, "fact_in", FactValues, lambda a, t: t("{fact} is {values}", fact=a.fact, values=_words(a.values)))
def fact_in(step: Step, args: FactValues) -> bool:
    """A fact about the case (a person field or a fact an action set) has one of the values."""
    return step.fact(args.fact) in args.values


class FactNotIn(FactValues):
    def fact_gate(self) -> tuple[str, tuple[Any, ...], bool] | None:
        return self.fact, tuple(self.values), False


@_register(
    GUARDS, "fact_not_in", FactNotIn, lambda a, t: t("{fact} is not {values}", fact=a.fact, values=_words(a.values))
)
def fact_not_in(step: Step, args: FactValues) -> bool:
    """A fact about the case does not have any of the values (an unset fact has none of them)."""
    return step.fact(args.fact) not in args.values


class FactName(Args):
    fact: str

    def refs(self) -> list[tuple[str, str]]:
        return [("fact", self.fact)]

    def fact_gate(self) -> tuple[str, tuple[Any, ...], bool] | None:
        return self.fact, (None,), False  # given: its value is not None


@_register(GUARDS, "fact_given", FactName, lambda a, t: t("{fact} is known", fact=a.fact))
def fact_given(step: Step, args: FactName) -> bool:
    """The fact has a value (it was given for the person or set by an earlier event)."""
    return step.fact(args.fact) is not None


class FieldValues(Args):
    field: str
    values: list[str | bool | int]

    def refs(self) -> list[tuple[str, str]]:
        return [("field", self.field)]


@_register(
    GUARDS,
    "field_in",
    FieldValues,
    lambda a, t: t("the event's {field} is {values}", field=a.field, values=_words(a.values)),
)
def field_in(step: Step, args: FieldValues) -> bool:
    """A field of the current event has one of the values."""
    return step.field(args.field) in args.values


class FieldName(Args):
    field: str

    def refs(self) -> list[tuple[str, str]]:
        return [("field", self.field)]


@_register(GUARDS, "field_given", FieldName, lambda a, t: t("the event gives {field}", field=a.field))
def field_given(step: Step, args: FieldName) -> bool:
    """The current event gives a value for the field."""
    return step.field(args.field) is not None


class FieldTable(Args):
    field: str
    table: str
    key_fact: str

    def refs(self) -> list[tuple[str, str]]:
        return [("field", self.field), ("table", self.table), ("fact", self.key_fact)]


@_register(
    GUARDS,
    "field_matches_table",
    FieldTable,
    lambda a, t: t(
        "the event's {field} is the one the table '{table}' gives for the {fact}",
        field=a.field,
        table=a.table,
        fact=a.key_fact,
    ),
)
def field_matches_table(step: Step, args: FieldTable) -> bool:
    """The event's field equals the table's value for a fact (e.g. the authority for a residence status)."""
    key = step.fact(args.key_fact)
    return key is not None and step.table(args.table).get(str(key)) == step.field(args.field)


class ParamName(Args):
    parameter: str

    def refs(self) -> list[tuple[str, str]]:
        return [("parameter", self.parameter)]


@_register(
    GUARDS, "param_in_force", ParamName, lambda a, t: t("a rule for {parameter} is in force", parameter=a.parameter)
)
def param_in_force(step: Step, args: ParamName) -> bool:
    """The parameter has a value (not none, not false) under the rules that apply to this step."""
    value = step.param(args.parameter)
    return value is not None and value is not False


class InState(Args):
    track: str
    states: list[str] = []
    tags: list[str] = []
    sets: list[str] = []
    _accepted: frozenset[str] = PrivateAttr(default=frozenset())
    _written: tuple[tuple[str, ...], tuple[str, ...]] = PrivateAttr(default=((), ()))

    def prepare(self, workflow: Any) -> None:
        from casepath.workflow.reuse import set_entries

        track = workflow.tracks[self.track]
        states, tags = list(self.states), list(self.tags)
        for name in self.sets:  # a state set stands for its states and tags, as if written here
            for entry in set_entries(track, name):
                if entry.startswith("tag:"):
                    tags += [] if entry[4:] in tags else [entry[4:]]
                elif entry not in states:
                    states.append(entry)
        tagged = {name for name, state in track.states.items() if set(state.tags) & set(tags)}
        self._accepted = frozenset(states) | frozenset(tagged)
        self._written = (tuple(states), tuple(tags))

    def state_gate(self) -> tuple[str, frozenset[str], bool] | None:
        return self.track, self._accepted, True

    def refs(self) -> list[tuple[str, str]]:
        return (
            [("track", self.track)]
            + [("state", f"{self.track}.{s}") for s in self.states]
            + [("tag", f"{self.track}.{t}") for t in self.tags]
            + [("set", f"{self.track}.{s}") for s in self.sets]
        )


def _describe_in_state(a: InState, t: Describe) -> str:
    states, tags = a._written if a.sets else (a.states, a.tags)
    what = _words(list(states) + [t("any state tagged {tag}", tag=tag) for tag in tags])
    return t("the {track} track is in {what}", track=a.track, what=what)


@_register(GUARDS, "in_state", InState, _describe_in_state)
def in_state(step: Step, args: InState) -> bool:
    """A track is in one of the named states, or in a state carrying one of the tags."""
    # The hottest guard: read the prepared set straight from pydantic's private storage, which
    # `args._accepted` reaches only through a slow __getattr__.
    return step.state_of(args.track) in args.__pydantic_private__["_accepted"]  # type: ignore[index]


class NotInState(InState):
    def state_gate(self) -> tuple[str, frozenset[str], bool] | None:
        return self.track, self._accepted, False


@_register(GUARDS, "not_in_state", NotInState, lambda a, t: t("not: {what}", what=_describe_in_state(a, t)))
def not_in_state(step: Step, args: NotInState) -> bool:
    """A track is in none of the named states and none of the tagged ones."""
    return not in_state(step, args)


class DeadlineName(Args):
    deadline: str

    def refs(self) -> list[tuple[str, str]]:
        return [("deadline", self.deadline)]


@_register(GUARDS, "deadline_passed", DeadlineName, lambda a, t: t("the {deadline} has passed", deadline=a.deadline))
def deadline_passed(step: Step, args: DeadlineName) -> bool:
    """The latest deadline with this id exists and had passed at the moment of the step."""
    record = step.deadline(args.deadline)
    return record is not None and step.has_passed(record.due)


@_register(
    GUARDS, "deadline_not_passed", DeadlineName, lambda a, t: t("the {deadline} has not passed", deadline=a.deadline)
)
def deadline_not_passed(step: Step, args: DeadlineName) -> bool:
    """The latest deadline with this id exists and had not passed at the moment of the step."""
    record = step.deadline(args.deadline)
    return record is not None and not step.has_passed(record.due)


class FieldDeadline(Args):
    field: str
    deadline: str

    def refs(self) -> list[tuple[str, str]]:
        return [("field", self.field), ("deadline", self.deadline)]

    def types(self) -> list[tuple[str, str]]:
        return [("date field", self.field)]


@_register(
    GUARDS,
    "field_not_after_deadline",
    FieldDeadline,
    lambda a, t: t("the event's {field} is not later than the {deadline}", field=a.field, deadline=a.deadline),
)
def field_not_after_deadline(step: Step, args: FieldDeadline) -> bool:
    """A date field of the event is absent, or not later than the deadline (e.g. an extension's end)."""
    given = step.field(args.field)
    record = step.deadline(args.deadline)
    if given is None or record is None:
        return True
    return given <= clock.due_day(record.due)


@_register(
    GUARDS,
    "field_not_before_deadline",
    FieldDeadline,
    lambda a, t: t("the event's {field} is not earlier than the {deadline}", field=a.field, deadline=a.deadline),
)
def field_not_before_deadline(step: Step, args: FieldDeadline) -> bool:
    """A date field of the event is absent, or not earlier than the deadline (an extension cannot shorten)."""
    given = step.field(args.field)
    record = step.deadline(args.deadline)
    if given is None or record is None:
        return True
    return given >= clock.due_day(record.due)


class DateFieldName(FieldName):
    def types(self) -> list[tuple[str, str]]:
        return [("date field", self.field)]


@_register(
    GUARDS,
    "field_not_before_event",
    DateFieldName,
    lambda a, t: t("the event's {field} is not before its date", field=a.field),
)
def field_not_before_event(step: Step, args: DateFieldName) -> bool:
    """A date field of the event is absent, or not earlier than the event's own date."""
    given = step.field(args.field)
    return given is None or given >= step.moment.day


class NoArgs(Args):
    pass


@_register(GUARDS, "event_has_time", NoArgs, lambda a, t: t("the event gives a time of day"))
def event_has_time(step: Step, args: NoArgs) -> bool:
    """The event's date carries a time of day (needed for periods counted in hours)."""
    return step.moment.at is not None


class Age(Args):
    years: int = Field(ge=0, le=150)


@_register(GUARDS, "age_under", Age, lambda a, t: t("the person is under {years}", years=a.years))
def age_under(step: Step, args: Age) -> bool:
    """The person's age on the step's date is below `years` (unknown age counts as not under)."""
    age = step.age()
    return age is not None and age < args.years


# ---------------------------------------------------------------- actions


class SetFact(Args):
    fact: str
    value: str | bool | int | None = None
    from_field: str | None = None

    def refs(self) -> list[tuple[str, str]]:
        return [("field", self.from_field)] if self.from_field else []


@_register(ACTIONS, "set_fact", SetFact, lambda a, t: t("set {fact}", fact=a.fact))
def set_fact(step: Step, args: SetFact) -> None:
    """Record a fact about the case: a fixed value, or the value of one of the event's fields."""
    value = step.field(args.from_field) if args.from_field else args.value
    step.set_fact(args.fact, value)


class Mark(Args):
    fact: str


@_register(ACTIONS, "mark_date", Mark, lambda a, t: t("remember the date as {fact}", fact=a.fact))
def mark_date(step: Step, args: Mark) -> None:
    """Remember the step's date under a fact name, to count a period from it later."""
    step.set_fact(args.fact, step.moment.day)


_START = r"^(event|(fact|deadline|field):[a-z][a-z0-9_]*)$"
_LENGTH = r"^(param|field):[a-z][a-z0-9_]*$"


class SetDeadline(Args):
    """`from`: event | fact:NAME | deadline:ID | field:NAME; `plus`: param:NAME | field:NAME."""

    id: str
    from_: str = Field(alias="from", pattern=_START)
    plus: str | None = Field(default=None, pattern=_LENGTH)
    otherwise: str | None = Field(default=None, pattern=_START)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    @model_validator(mode="after")
    def _a_moment_needs_a_length(self) -> SetDeadline:
        # A remembered day is a start to count from, not a due date. The event's own day, with no
        # length, is a time limit of "immediately" (the day of the event).
        for start in (self.from_, self.otherwise):
            if self.plus is None and start is not None and start_of(start)[0] == "fact":
                raise ValueError(f"from {start!r} needs plus: the length of the period to count from it")
        return self

    def refs(self) -> list[tuple[str, str]]:
        out = [("deadline", self.id)]
        for spec in (self.from_, self.plus, self.otherwise):
            if spec and ":" in spec:
                kind, name = spec.split(":", 1)
                out.append(({"param": "parameter"}.get(kind, kind), name))
        return out

    def types(self) -> list[tuple[str, str]]:
        """A start is a date field or a fact that can hold a date; a length is a parameter whose
        values are durations, or a whole-number field with a unit and a bounded maximum."""
        out = []
        for spec in (self.from_, self.otherwise):
            kind, name = start_of(spec) if spec else ("event", None)
            if kind in ("field", "fact") and name is not None:
                out.append((f"date {kind}", name))
        if self.plus is not None:
            kind, name = start_of(self.plus)
            out.append(("duration parameter" if kind == "param" else "length field", name or ""))
        return out


def _describe_deadline(a: SetDeadline, t: Describe) -> str:
    return t("set {deadline}", deadline=a.id)


@_register(ACTIONS, "set_deadline", SetDeadline, _describe_deadline)
def set_deadline(step: Step, args: SetDeadline) -> None:
    """Set a deadline: a start (the event, a remembered date, another deadline or a date field)
    plus an optional length (a parameter in force, or a number field in its unit). If the
    start is a field the event leaves out, `otherwise` is used instead. A length whose
    parameter has no value in force sets no deadline, and the report says so."""
    step.set_deadline(args.id, args.from_, args.plus, args.otherwise)


class CloseDeadline(Args):
    id: str
    status: Literal["met", "cancelled", "ended"]
    decision: str | None = None

    def refs(self) -> list[tuple[str, str]]:
        return [("deadline", self.id)] + ([("decision", self.decision)] if self.decision else [])


@_register(
    ACTIONS, "close_deadline", CloseDeadline, lambda a, t: t("{deadline} {status}", deadline=a.id, status=a.status)
)
def close_deadline(step: Step, args: CloseDeadline) -> None:
    """Mark the running deadline with this id as no longer running (met, cancelled or ended). With
    `decision`, a report in which this really closed a running deadline lists that decision."""
    if step.close_deadline(args.id, _STATUSES[args.status]) and args.decision:
        step.assume_decision(args.decision)


_STATUSES = {status.value: status for status in Status}
"""A status by its name, looked up (calling the enum at every step costs more)."""


class Warn(Args):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,62}$")  # stable name: what the engine records
    text: str


@_register(ACTIONS, "warn", Warn, lambda a, t: t("warn"))
def warn(step: Step, args: Warn) -> None:
    """Add a warning to the report: the text of this code, `{date}` in it replaced by the step's date."""
    step.warn(args.code)


class Assume(Args):
    decision: str

    def refs(self) -> list[tuple[str, str]]:
        return [("decision", self.decision)]


@_register(ACTIONS, "assume", Assume, lambda a, t: t("assume {decision}", decision=a.decision))
def assume(step: Step, args: Assume) -> None:
    """Record that the result relies on a modelling decision, so the report lists it."""
    step.assume_decision(args.decision)


def start_of(spec: str) -> tuple[str, str | None]:
    """Split a `from`/`plus` reference: "fact:reflection_start" -> ("fact", "reflection_start")."""
    if ":" in spec:
        kind, name = spec.split(":", 1)
        return kind, name
    return spec, None
