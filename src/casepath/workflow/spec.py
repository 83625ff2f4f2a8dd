"""The workflow file format, as typed models.

A workflow file is the whole of a country's pathway written as data: its sources, its
versioned parameters, the tracks that run side by side and their states, the events and
what they carry, the transitions between states, the deadlines and entitlements, and the
refusals that give an error code. docs/workflow-format.md explains each part for authors;
these models are the exact shape. Unknown keys are refused everywhere, so a typo cannot
silently drop a rule.

The models only check shape. Whether the parts fit together (every name defined, every
guard known, every state reachable) is checked by `casepath.workflow.check`.
"""

# No `from __future__ import annotations`: pydantic reads each field's annotation when a model class
# is made, and as text it would evaluate every one again (about a fifth of this module's import).
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from casepath.clock import Duration
from casepath.dates import StrictDate

NAME = r"^[a-z][a-z0-9_]{0,62}$"
"""Names of states, tracks, events, parameters…: lower-case words joined by underscores."""

BUILTIN_ERRORS = {
    "event_not_allowed": "the event cannot happen in the current state",
    "events_out_of_order": "an event dated before the one above it",
    "too_many_automatic_steps": "the workflow's time-driven steps keep setting each other again (a loop)",
}
"""The error codes every workflow has besides its own `errors`: the engine's refusals."""

IN_PROGRESS = "in_progress"
"""The outcome of a case that has not reached one of the workflow's `outcomes`."""


class Strict(BaseModel):
    # defer_build: the validators are made when a workflow is first validated, not on import; a
    # workflow from the cache (casepath.workflow.cache) is never validated, so they are never made.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Citation(Strict):
    """Where a rule comes from: a section and paragraph of a source document, or a modelling decision.

    `check` is for maintainers only (e.g. "eu-dk:198", a line in shared/sources) and is not
    shown to users.
    """

    doc: str | None = None
    section: str | None = None
    para: str | int | None = None
    decision: str | None = None
    check: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "Citation":
        if self.decision is None and (self.doc is None or self.section is None):
            raise ValueError("a source names a document (doc, section, para) or a modelling decision (decision)")
        if self.decision is not None and self.doc is not None:
            raise ValueError("a source is either a document or a modelling decision, not both")
        return self


Sources = list[Citation]


def _needs_sources(value: list[Citation]) -> list[Citation]:
    if not value:
        raise ValueError("every rule needs at least one source")
    return value


class SourceDocument(Strict):
    """A document the rules cite. `url` is its public address (https only), shown with
    citations and linked from HTML reports. `describes_until` is the last day whose law the
    document describes: a rule cited only to documents that stop before a later date is, on
    that date, assumed still in force (see `casepath.workflow.rulebook`)."""

    title: str
    short: str | None = Field(default=None, description="a short name for compact output")
    describes: str = Field(description="the time whose law the document describes")
    describes_until: StrictDate | None = None
    url: str | None = None
    note: str | None = None

    @field_validator("url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc or any(c.isspace() for c in value):
            raise ValueError(f"{value!r} is not an https address (write https://…)")
        return value


class Decision(Strict):
    """A modelling decision: a choice the sources do not make, shown to users as an assumption."""

    label: str
    note: str


class ParameterValue(Strict):
    """One value of a parameter and the date from which it was in force.

    `from_` None means "since before the earliest date the sources speak of". A value whose
    start is `assumed` may name `not_before` (the earliest date it could have started) and
    `certain_from` (the date from which a source confirms it was in force); a report relies
    on an assumption when it uses the value on a date the sources do not settle.
    `value` None means "no such rule was in force".
    """

    id: str | None = Field(default=None, pattern=NAME)  # stable name (translation keys); needed with a note
    value: Duration | bool | None
    from_: StrictDate | None = Field(default=None, alias="from")
    certainty: Literal["stated", "assumed"]
    not_before: StrictDate | None = None
    certain_from: StrictDate | None = None
    variant: str | None = Field(default=None, pattern=NAME)
    described_until: StrictDate | None = None  # filled in from the cited documents unless given
    note: str | None = None
    sources: Sources

    _check_sources = field_validator("sources")(_needs_sources)

    @field_validator("value", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        if isinstance(value, str):
            return Duration.parse(value)
        return value

    @model_validator(mode="after")
    def _assumed_needs_a_note(self) -> "ParameterValue":
        if self.certainty == "assumed" and not self.note:
            raise ValueError("an assumed value needs a note saying what is assumed")
        return self


class Parameter(Strict):
    label: str
    meaning: str
    history: list[ParameterValue] = Field(min_length=1)


class FieldSpec(Strict):
    """A field of an event or of the person: its type and allowed values."""

    type: Literal["choice", "choices", "bool", "integer", "date", "text", "country"]
    label: str | None = None
    values: list[str] | None = None
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    unit: Literal["days", "months", "years", "hours"] | None = None
    labels: dict[str, str] | None = Field(
        default=None, description="each value in words, for people (the values themselves are ids)"
    )
    only_below_age: int | None = Field(
        default=None, ge=1, description="meaningful only for a person younger than this: not asked of others"
    )

    @model_validator(mode="after")
    def _values_for_choices(self) -> "FieldSpec":
        if self.type in ("choice", "choices") and not self.values:
            raise ValueError("a choice field lists its values")
        if self.type not in ("choice", "choices") and self.values:
            raise ValueError("only choice fields list values")
        unknown = sorted(set(self.labels or {}) - set(self.values or []))
        if unknown:
            raise ValueError(f"labels for values the field does not have: {', '.join(unknown)}")
        return self

    def value_label(self, value: object) -> str:
        """A value as a person reads it: its label where the workflow gives one, else the value."""
        if isinstance(value, str) and self.labels and value in self.labels:
            return self.labels[value]
        return str(value)


class Call(BaseModel):
    """A guard or action by name from the engine's registry, with its arguments inline."""

    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)  # see Strict

    @property
    def args(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class GuardCall(Call):
    guard: str


class ActionCall(Call):
    action: str


class Check(Call):
    """A guard that must hold for an event to be accepted, else the event is refused with `error`."""

    id: str | None = Field(default=None, pattern=NAME)  # stable name (translation keys)
    guard: str
    error: str
    message: str


class StateSpec(Strict):
    label: str
    meaning: str | None = None
    final: bool = False
    outcome: str | None = None
    tags: list[str] = []
    on_enter: list[ActionCall] = []


class InitialChoice(Strict):
    state: str
    when: list[GuardCall] = []


class TrackSpec(Strict):
    label: str
    meaning: str | None = None
    main: bool = False
    initial: str | list[InitialChoice]
    states: dict[str, StateSpec] = Field(min_length=1)
    state_sets: dict[str, list[str]] = Field(
        default={},
        description="name -> states, `tag:NAME` or `set:NAME`: a `from` list or an in_state guard written once, "
        "used as `set:NAME` (see casepath.workflow.reuse)",
    )
    on_enter_tagged: dict[str, list[ActionCall]] = Field(
        default={},
        description="tag -> actions run on entering any state with that tag, after the state's own on_enter",
    )


class EventSpec(Strict):
    label: str
    meaning: str | None = None
    track: str
    automatic: bool = False
    victim_only: bool = False
    fields: dict[str, FieldSpec] = {}
    checks: list[Check] = []


class TransitionSpec(Strict):
    id: str | None = Field(default=None, pattern=NAME)  # stable name (translation keys)
    event: str
    track: str | None = None
    from_: list[str] = Field(alias="from", min_length=1)
    to: str | None = None
    when: list[GuardCall] = []
    checks: list[Check] = []
    do: list[ActionCall] = []
    note: str | None = None
    sources: Sources

    _check_sources = field_validator("sources")(_needs_sources)

    @field_validator("from_", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class DeadlineSpec(Strict):
    label: str
    meaning: str
    if_passed: Literal["missed", "expired"] = Field(
        default="expired",
        description="what a report calls it once its day has passed with nothing settling it: `missed` when it "
        "asks the person or an authority to do something by then (leave, release), `expired` when it only marks "
        "the end of a period or a chance",
    )
    on_expiry: str | None = None
    follows_rule_changes: bool = Field(
        default=False,
        description="while it runs, count it again under the rules in force on each later step (the latest end a "
        "period could reach follows the law of the day it is looked at); the move is pointed out",
    )
    closed_day_warning: bool = True
    assumes: list[str] = []
    sources: Sources

    _check_sources = field_validator("sources")(_needs_sources)


class EntitlementBasis(Strict):
    """One ground on which an entitlement applies: conditions, all of which must hold, and their sources."""

    when: list[GuardCall] = Field(min_length=1)
    sources: Sources

    _check_sources = field_validator("sources")(_needs_sources)


class EntitlementSpec(Strict):
    label: str
    meaning: str
    applies: list[EntitlementBasis] = Field(min_length=1)
    ends_with_deadline: str | None = None


class RefusalSpec(Strict):
    """Events refused with a specific error code while the conditions hold."""

    id: str | None = Field(default=None, pattern=NAME)  # stable name (translation keys)
    events: list[str] = Field(min_length=1)
    when: list[GuardCall] = Field(min_length=1)
    error: str
    message: str
    sources: Sources

    _check_sources = field_validator("sources")(_needs_sources)


class TableSpec(Strict):
    label: str
    rows: dict[str, str] = Field(min_length=1)
    sources: Sources

    _check_sources = field_validator("sources")(_needs_sources)


class ClosedDay(Strict):
    """A day each year when public offices are closed although it is no public holiday.

    `half_day`: offices are open in the morning and close at noon."""

    label: str
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    half_day: bool = False
    sources: Sources

    _check_sources = field_validator("sources")(_needs_sources)

    @model_validator(mode="after")
    def _a_real_day(self) -> "ClosedDay":
        try:
            date(2000, self.month, self.day)  # a leap year: 29 February is a day
        except ValueError:
            raise ValueError(f"month {self.month} has no day {self.day}") from None
        return self


class CalendarSpec(Strict):
    timezone: str
    holidays: str = Field(
        pattern=r"^[A-Z]{2}$", description="country code for public holidays, as the holidays library knows it"
    )
    closed_days: dict[str, ClosedDay] = Field(
        default={}, description="days offices are closed that are not public holidays (24 December...)"
    )


class CountryExamples(Strict):
    """Country codes that fit each value of another person field, for made-up teaching cases.

    Not a rule: `explore --export` uses them so that a made-up Danish citizen is from DK and an
    EU citizen from an EU country (a person "danish_citizen, NO" teaches nothing)."""

    by: str = Field(pattern=NAME, description="the person's choice field the countries depend on")
    values: dict[str, list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]]] = Field(min_length=1)
    unlikely: dict[str, list[str]] = Field(
        default={}, description="value -> events a made-up person with that value is not shown in (a citizen: permits)"
    )


class PersonSpec(Strict):
    fields: dict[str, FieldSpec] = {}
    age_events: dict[str, Annotated[int, Field(ge=0, le=150)]] = Field(
        default={}, description="automatic event -> the age at which it happens (0-150)"
    )
    examples: dict[str, CountryExamples] = Field(
        default={}, description="country field -> the countries that fit each value of another field"
    )

    @model_validator(mode="after")
    def _examples_fit_the_fields(self) -> "PersonSpec":
        for name, examples in self.examples.items():
            field = self.fields.get(name)
            if field is None or field.type != "country":
                raise ValueError(f"examples for {name!r}, which is not a country field of the person")
            by = self.fields.get(examples.by)
            if by is None or by.type != "choice":
                raise ValueError(f"examples of {name!r} by {examples.by!r}, which is not a choice field of the person")
            unknown = sorted((set(examples.values) | set(examples.unlikely)) - set(by.values or []))
            if unknown:
                raise ValueError(f"examples of {name!r} for values {examples.by!r} does not have: {', '.join(unknown)}")
        return self


class Workflow(Strict):
    """A whole workflow file."""

    casepath_workflow: Literal[1]
    id: str = Field(pattern=NAME)
    title: str
    calendar: CalendarSpec
    rules_known_until: StrictDate
    sources: dict[str, SourceDocument] = Field(min_length=1)
    passages: dict[str, Citation] = Field(
        default={}, description="id -> a cited passage, written once and cited as {passage: ID} (see reuse.py)"
    )
    decisions: dict[str, Decision] = {}
    outcomes: dict[str, str] = Field(min_length=1)
    errors: dict[str, str] = {}
    person: PersonSpec = Field(default_factory=PersonSpec)  # a default instance would build its validator on import
    parameters: dict[str, Parameter] = {}
    tables: dict[str, TableSpec] = {}
    tracks: dict[str, TrackSpec] = Field(min_length=1)
    events: dict[str, EventSpec] = Field(min_length=1)
    transitions: list[TransitionSpec] = Field(min_length=1)
    deadlines: dict[str, DeadlineSpec] = {}
    entitlements: dict[str, EntitlementSpec] = {}
    refusals: list[RefusalSpec] = []
    limits: dict[str, str] = Field(default={}, description="deadline -> a deadline it may never be later than")
    negative_outcomes: list[str] = Field(default=[], description="outcomes after which victim-only events are refused")
    ending_outcomes: list[str] = Field(default=[], description="outcomes that end the case: entitlements stop")

    @model_validator(mode="after")
    def _described_until(self) -> "Workflow":
        """Give each parameter value the last day its cited documents describe (unless it names one)."""
        parameters = {}
        for name, parameter in self.parameters.items():
            history = [
                entry
                if entry.described_until is not None
                else entry.model_copy(update={"described_until": described_until(self, entry.sources)})
                for entry in parameter.history
            ]
            parameters[name] = parameter.model_copy(update={"history": history})
        object.__setattr__(self, "parameters", parameters)
        return self

    def variant_names(self) -> list[str]:
        """The named rule variants (e.g. pandemic) some parameter has a value for, sorted."""
        return sorted({e.variant for p in self.parameters.values() for e in p.history if e.variant})


def described_until(spec: Workflow, citations: list[Citation] | tuple[Citation, ...]) -> date | None:
    """The last day the documents `citations` name describe, when that is before the workflow's
    `rules_known_until`; None when no cited document gives the day, one of them does not, or
    they reach the newest rules the workflow knows (later dates get the general warning)."""
    days: list[date] = []
    for citation in citations:
        if citation.doc is None:
            continue
        document = spec.sources.get(citation.doc)
        if document is None or document.describes_until is None:
            return None
        days.append(document.describes_until)
    if not days:
        return None
    last = max(days)
    return last if last < spec.rules_known_until else None
