"""Scenario files: a pseudonymous person and dated events, checked against their workflow.

A scenario is read in two passes. The first checks the shape every scenario has (format
version, title, person, events, expectations). The second checks what the workflow
defines: which events exist and which fields each carries, which person fields there are
and their allowed values. Either pass stops at the first problem with one line naming the
file, the line and the place.

There is deliberately no field for a name, an address or an identity number, and unknown
fields are refused: a scenario may describe a real person, so it holds a pseudonym only.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from casepath import clock, yamlfile
from casepath.clock import Moment
from casepath.dates import StrictDate, read_date, read_date_or_time
from casepath.messages import did_you_mean, explain
from casepath.problems import InputProblem
from casepath.workflow import load as workflow_load
from casepath.workflow.compiled import CompiledWorkflow
from casepath.workflow.spec import BUILTIN_ERRORS, IN_PROGRESS, FieldSpec

MAX_EVENTS = 1000
PERSONAL_DATA_WORDS = {
    "name",
    "first_name",
    "last_name",
    "surname",
    "full_name",
    "address",
    "cpr",
    "passport",
    "phone",
    "email",
    "id_number",
    "identity_number",
    "social_security_number",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expectations(_Strict):
    """What `casepath test` checks after running the scenario (all optional)."""

    outcome: str | None = None
    error: str | None = None
    deadlines: dict[str, str] = {}
    deadlines_absent: list[str] = []
    entitlements: list[str] = []
    entitlements_absent: list[str] = []
    assumptions: bool | None = None


class _RawEvent(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)
    date: Any  # read by parse_moment, which refuses a number and names the place
    event: str


class _RawScenario(_Strict):
    casepath: Literal[1]
    title: str = Field(min_length=1, max_length=300)
    case_ref: str | date | None = None  # a date-like number (2023-01-17) is read as text
    workflow: str | None = None
    rules_as_of: StrictDate | None = None
    variants: list[str] = []
    person: dict[str, Any] = {}
    events: list[_RawEvent] = Field(default=[], max_length=MAX_EVENTS)
    expect: Expectations | None = None


class Event(BaseModel):
    """One dated event of a scenario, its fields checked against the workflow."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    moment: Moment
    name: str
    fields: dict[str, Any] = {}


class Person(BaseModel):
    model_config = ConfigDict(frozen=True)

    alias: str = "(no alias)"
    born: date | None = None
    age: int | None = None
    facts: dict[str, Any] = {}


class Scenario(BaseModel):
    """A checked scenario, ready to simulate with its workflow."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    title: str
    case_ref: str | None = None
    """A pseudonymous file number ("2023-017") naming the case in agendas and calendars."""
    workflow: str
    rules_as_of: date | None = None
    variants: tuple[str, ...] = ()
    person: Person
    events: tuple[Event, ...]
    expect: Expectations | None = None
    file: str | None = None


def load(path: str | Path, workflow: str | None = None) -> tuple[Scenario, CompiledWorkflow]:
    """Read and check a scenario file; `workflow` overrides the file's own `workflow:`."""
    doc = yamlfile.load(path)
    return from_document(doc, workflow)


def from_document(
    doc: yamlfile.Document, workflow: str | None = None, *, loaded: dict[str, CompiledWorkflow] | None = None
) -> tuple[Scenario, CompiledWorkflow]:
    """Check a scenario document; `loaded` keeps the workflows already compiled, by name (a caseload
    of many files then loads each workflow once)."""
    data = doc.data
    if not isinstance(data, dict):
        raise doc.problem("a scenario is a mapping with casepath: 1, title, person and events")
    if "casepath_workflow" in data:
        raise doc.problem("this is a workflow file, not a scenario (use casepath validate to check it)")
    try:
        raw = _RawScenario.model_validate(data)
    except ValidationError as err:
        raise explain(err, doc, _RawScenario) from None
    ref = workflow or raw.workflow or workflow_load.DEFAULT
    try:
        compiled = loaded[ref] if loaded is not None and ref in loaded else workflow_load.load(ref)
    except InputProblem as problem:
        if problem.file is None:
            raise doc.problem(problem.message, ("workflow",)) from None
        raise
    if loaded is not None:
        loaded[ref] = compiled
    return _check(raw, compiled, doc, ref), compiled


def from_dict(data: dict[str, Any], workflow: CompiledWorkflow | None = None, name: str = "<scenario>") -> Scenario:
    """Check a scenario built in code (the same rules as a file)."""
    doc = yamlfile.Document(data=data, file=name)
    if workflow is None:
        return from_document(doc)[0]
    try:
        raw = _RawScenario.model_validate(data)
    except ValidationError as err:
        raise explain(err, doc, _RawScenario) from None
    return _check(raw, workflow, doc, workflow.spec.id)


def _check(raw: _RawScenario, wf: CompiledWorkflow, doc: yamlfile.Document, ref: str) -> Scenario:
    spec = wf.spec
    known = spec.variant_names()
    for index, variant in enumerate(raw.variants):
        if variant not in known:
            raise doc.problem(
                f"unknown rule variant {variant!r}{did_you_mean(variant, known)}; the workflow has: "
                f"{', '.join(known) or 'none'}",
                ("variants", index),
            )
    case_ref = _case_ref(raw.case_ref, doc)
    person = _person(raw.person, spec.person.fields, doc)
    if raw.expect is not None:
        _check_expectations(raw.expect, wf, doc)
    events = []
    for index, item in enumerate(raw.events):
        place = ("events", index)
        moment = parse_moment(item.date, wf, doc, (*place, "date"))
        event_spec = spec.events.get(item.event)
        if event_spec is None:
            known = [n for n, e in spec.events.items() if not e.automatic]
            raise doc.problem(f"unknown event {item.event!r}{did_you_mean(item.event, known)}", (*place, "event"))
        if event_spec.automatic:
            raise doc.problem(
                f"{item.event!r} is a time-driven step the simulator takes itself; leave it out", (*place, "event")
            )
        fields = {}
        given = dict(item.model_extra or {})
        for key, value in given.items():
            if key not in event_spec.fields:
                allowed = ", ".join(event_spec.fields) or "none"
                raise doc.problem(
                    f"unknown field {key!r} for {item.event}{did_you_mean(key, event_spec.fields)}; "
                    f"its fields: {allowed}",
                    (*place, key),
                )
            fields[key] = _value(value, event_spec.fields[key], doc, (*place, key))
        for key, field_spec in event_spec.fields.items():
            if field_spec.required and key not in fields:
                raise doc.problem(f"{item.event} needs the field {key!r}", place)
        events.append(Event(moment=moment, name=item.event, fields=fields))
    return Scenario(
        title=raw.title,
        case_ref=case_ref,
        workflow=ref,
        rules_as_of=raw.rules_as_of,
        variants=tuple(raw.variants),
        person=person,
        events=tuple(events),
        expect=raw.expect,
        file=doc.file,
    )


CASE_REF_LENGTH = 40
_CASE_REF = re.compile(r"^[\w][\w .:/#()-]*$")
_IDENTITY_NUMBER = re.compile(r"^\d{6}-?\d{4}$")
"""A Danish personal identity number (CPR: DDMMYY-NNNN), which a case reference must never be."""


def _case_ref(value: str | date | None, doc: yamlfile.Document) -> str | None:
    """`case_ref`: a short pseudonymous file number, one line of plain characters (it goes into calendars)."""
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, date) else value.strip()
    if not 0 < len(text) <= CASE_REF_LENGTH or not _CASE_REF.match(text):
        raise doc.problem(
            f"{text!r} is not a short file number such as 2023-017 (letters, digits, spaces and - _ . : / # ( ), "
            f"at most {CASE_REF_LENGTH} characters)",
            ("case_ref",),
        )
    if _IDENTITY_NUMBER.match(text):
        raise doc.problem(
            "this looks like a personal identity number (CPR): never put one in a scenario; "
            "use a pseudonymous file number such as 2023-017",
            ("case_ref",),
        )
    return text


def _check_expectations(expect: Expectations, wf: CompiledWorkflow, doc: yamlfile.Document) -> None:
    """Every name in `expect:` must be the workflow's: a misspelt id would make an expectation
    that always holds (a deadline that never exists is always "absent")."""
    spec = wf.spec

    def known(value: str, names: Any, what: str, place: tuple) -> None:
        if value not in names:
            raise doc.problem(f"unknown {what} {value!r}{did_you_mean(value, names)}", ("expect", *place))

    if expect.outcome is not None:
        known(expect.outcome, [*spec.outcomes, IN_PROGRESS], "outcome", ("outcome",))
    if expect.error is not None:
        known(expect.error, [*BUILTIN_ERRORS, *spec.errors], "error code", ("error",))
    for deadline_id, due in expect.deadlines.items():
        known(deadline_id, list(spec.deadlines), "deadline", ("deadlines", deadline_id))
        try:
            read_date_or_time(due)
        except ValueError as err:
            raise doc.problem(str(err), ("expect", "deadlines", deadline_id)) from None
    for index, deadline_id in enumerate(expect.deadlines_absent):
        known(deadline_id, list(spec.deadlines), "deadline", ("deadlines_absent", index))
    for key in ("entitlements", "entitlements_absent"):
        for index, entitlement in enumerate(getattr(expect, key)):
            known(entitlement, list(spec.entitlements), "entitlement", (key, index))


def _person(data: dict[str, Any], specs: dict[str, FieldSpec], doc: yamlfile.Document) -> Person:
    builtin = {"alias", "born", "age"}
    facts: dict[str, Any] = {}
    for key, value in data.items():
        place = ("person", key)
        if key in builtin:
            continue
        if key not in specs:
            if str(key).lower() in PERSONAL_DATA_WORDS:
                raise doc.problem(f"{key!r}: scenario files hold no personal data; use alias for a pseudonym", place)
            allowed = ", ".join([*sorted(builtin), *specs])
            raise doc.problem(
                f"unknown field {key!r}{did_you_mean(key, [*builtin, *specs])}; allowed: {allowed}", place
            )
        facts[key] = _value(value, specs[key], doc, place)
    for key, spec in specs.items():
        if key not in facts:
            if spec.required:
                raise doc.problem(f"the person needs the field {key!r}", ("person",))
            facts[key] = False if spec.type == "bool" else [] if spec.type == "choices" else None
    alias = data.get("alias", "(no alias)")
    if not isinstance(alias, str) or not 0 < len(alias) <= 40:
        raise doc.problem("alias is a short pseudonym (text, at most 40 characters)", ("person", "alias"))
    born = age = None
    if "born" in data and "age" in data:
        raise doc.problem("give born or age, not both", ("person", "age"))
    if "born" in data:
        born = _value(data["born"], _BORN, doc, ("person", "born"))
    if "age" in data:
        age = _value(data["age"], _AGE, doc, ("person", "age"))
    return Person(alias=alias, born=born, age=age, facts=facts)


# The person's own date of birth and age, checked like a workflow's fields. Made without validation
# (the values are fixed here), so that reading a scenario builds no validator for the workflow's models.
_BORN = FieldSpec.model_construct(type="date")
_AGE = FieldSpec.model_construct(type="integer", minimum=0, maximum=120)


def _value(value: Any, spec: FieldSpec, doc: yamlfile.Document, place: tuple) -> Any:
    """Check one field value against its spec and convert it (dates from text)."""
    if spec.type == "choice":
        if not isinstance(value, str) or value not in (spec.values or []):
            raise doc.problem(
                f"{value!r} is not one of: {', '.join(spec.values or [])}{did_you_mean(str(value), spec.values or [])}",
                place,
            )
        return value
    if spec.type == "choices":
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if not isinstance(item, str) or item not in (spec.values or []):
                raise doc.problem(
                    f"{item!r} is not one of: {', '.join(spec.values or [])}"
                    f"{did_you_mean(str(item), spec.values or [])}",
                    (*place, i),
                )
        return tuple(items)
    if spec.type == "bool":
        if not isinstance(value, bool):
            raise doc.problem(f"{value!r} is not true or false", place)
        return value
    if spec.type == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise doc.problem(f"{value!r} is not a whole number", place)
        if spec.minimum is not None and value < spec.minimum:
            raise doc.problem(f"{value} is less than the smallest allowed, {spec.minimum}", place)
        if spec.maximum is not None and value > spec.maximum:
            raise doc.problem(f"{value} is more than the largest allowed, {spec.maximum}", place)
        return value
    if spec.type == "text":
        if not isinstance(value, str) or len(value) > 200:
            raise doc.problem("expected a short text (at most 200 characters)", place)
        return value
    if spec.type == "country":
        if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{2}", value):
            raise doc.problem(f"{value!r} is not a two-letter country code (ISO 3166-1 alpha-2, e.g. NG)", place)
        return value
    # date
    try:
        day = read_date(value)
    except ValueError as err:
        raise doc.problem(str(err), place) from None
    _in_range(day, doc, place)
    return day


def parse_moment(value: Any, wf: CompiledWorkflow, doc: yamlfile.Document, place: tuple) -> Moment:
    """An event's `date`: a date, or a date-time (local time unless it has an offset)."""
    if isinstance(value, datetime):
        at = clock.local(value, wf.zone)
        _in_range(at.date(), doc, place)
        return Moment(at.date(), at)
    try:
        parsed = read_date_or_time(value)
    except ValueError as err:
        raise doc.problem(str(err), place) from None
    if not isinstance(parsed, datetime):
        _in_range(parsed, doc, place)
        return Moment(parsed)
    if parsed.tzinfo is None:
        problem = clock.local_time_problem(parsed, wf.zone)
        if problem:
            raise doc.problem(f"{str(value).strip()!r} {problem}", place)
    at = clock.local(parsed, wf.zone)
    _in_range(at.date(), doc, place)
    return Moment(at.date(), at)


def _in_range(day: date, doc: yamlfile.Document, place: tuple) -> None:
    if not clock.EARLIEST <= day <= clock.LATEST:
        raise doc.problem(
            f"{day.isoformat()} is outside the years casepath handles ({clock.EARLIEST.year}-{clock.LATEST.year})",
            place,
        )
