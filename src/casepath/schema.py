"""`casepath schema`: the JSON Schema (draft 2020-12) of a workflow's scenario files, for editors.

With the schema, an editor (VS Code's YAML extension, for one) completes event names and the
fields of each event, shows the workflow's labels as help, and underlines a wrong value while
the file is written. It is generated from the workflow — its person fields, its events and
their fields, its outcomes, deadlines and entitlements — so it follows the workflow file.

The schema mirrors what `casepath.scenario` accepts, and refuses unknown keys where the loader
does. The loader stays the judge: it checks more than a schema can say (dates that exist,
events in date order, the rules of the workflow), so a file the schema accepts can still be
refused with a one-line message when it is run.
"""

from __future__ import annotations

import json
from typing import Any

from casepath.scenario import CASE_REF_LENGTH, MAX_EVENTS
from casepath.workflow.compiled import CompiledWorkflow
from casepath.workflow.spec import BUILTIN_ERRORS, IN_PROGRESS, FieldSpec

DRAFT = "https://json-schema.org/draft/2020-12/schema"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATE_OR_TIME = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$"
)
"""A date, or a date-time (local time unless an offset is given), as the loader reads them."""


def _date(description: str) -> dict[str, Any]:
    return {"type": "string", "format": "date", "pattern": DATE, "description": description}


def _date_or_time(description: str) -> dict[str, Any]:
    return {"type": "string", "pattern": DATE_OR_TIME, "description": description}


def field_schema(spec: FieldSpec, name: str) -> dict[str, Any]:
    """The schema of one person or event field, with its label as title."""
    out: dict[str, Any] = {"title": spec.label or name.replace("_", " ")}
    if spec.type == "choice":
        out |= {"type": "string", "enum": list(spec.values or [])}
    elif spec.type == "choices":
        choice = {"type": "string", "enum": list(spec.values or [])}
        out["anyOf"] = [{"type": "array", "items": choice}, choice]
        out["description"] = "one or more of the values, as a list"
    elif spec.type == "bool":
        out["type"] = "boolean"
    elif spec.type == "integer":
        out["type"] = "integer"
        if spec.minimum is not None:
            out["minimum"] = spec.minimum
        if spec.maximum is not None:
            out["maximum"] = spec.maximum
        if spec.unit:
            out["description"] = f"a number of {spec.unit}"
    elif spec.type == "text":
        out |= {"type": "string", "maxLength": 200}
    elif spec.type == "country":
        out |= {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2 code, e.g. NG"}
    else:  # date
        out |= _date("YYYY-MM-DD")
    return out


def _person(wf: CompiledWorkflow) -> dict[str, Any]:
    fields = wf.spec.person.fields
    properties: dict[str, Any] = {
        "alias": {
            "type": "string",
            "minLength": 1,
            "maxLength": 40,
            "title": "Pseudonym",
            "description": "a pseudonym, never a real name",
        },
        "born": _date("date of birth (YYYY-MM-DD); or give age instead"),
        "age": {
            "type": "integer",
            "minimum": 0,
            "maximum": 120,
            "description": "age on the first event's date; or give born instead",
        },
    }
    properties |= {name: field_schema(spec, name) for name, spec in fields.items()}
    out: dict[str, Any] = {
        "type": "object",
        "title": "The person",
        "description": "A pseudonym and the facts the workflow distinguishes; no personal data.",
        "properties": properties,
        "additionalProperties": False,
        "not": {"required": ["born", "age"], "description": "give born or age, not both"},
    }
    required = [name for name, spec in fields.items() if spec.required]
    if required:
        out["required"] = required
    return out


def _events(wf: CompiledWorkflow) -> dict[str, Any]:
    events = {name: spec for name, spec in wf.spec.events.items() if not spec.automatic}
    per_event = []
    for name, spec in events.items():
        then: dict[str, Any] = {
            "title": spec.label,
            "properties": {"date": True, "event": True}
            | {key: field_schema(field, key) for key, field in spec.fields.items()},
            "additionalProperties": False,
        }
        if spec.meaning:
            then["description"] = spec.meaning
        required = [key for key, field in spec.fields.items() if field.required]
        if required:
            then["required"] = required
        per_event.append({"if": {"properties": {"event": {"const": name}}, "required": ["event"]}, "then": then})
    descriptions = "; ".join(f"{name}: {spec.label}" for name, spec in events.items())
    return {
        "type": "array",
        "maxItems": MAX_EVENTS,
        "title": "Events, in date order",
        "items": {
            "type": "object",
            "required": ["date", "event"],
            "properties": {
                "date": _date_or_time("YYYY-MM-DD, or YYYY-MM-DDTHH:MM for events counted in hours"),
                "event": {"type": "string", "enum": list(events), "description": descriptions},
            },
            "allOf": per_event,
        },
    }


def _names(names: dict[str, str], title: str) -> dict[str, Any]:
    """An id from the workflow, its labels listed as help."""
    return {
        "type": "string",
        "enum": list(names),
        "title": title,
        "description": "; ".join(f"{k}: {v}" for k, v in names.items()),
    }


def _expect(wf: CompiledWorkflow) -> dict[str, Any]:
    spec = wf.spec
    deadlines = {k: d.label for k, d in spec.deadlines.items()}
    entitlements = {k: e.label for k, e in spec.entitlements.items()}
    outcomes = {**spec.outcomes, IN_PROGRESS: "the case has not reached an outcome"}
    errors = {**BUILTIN_ERRORS, **spec.errors}
    nullable = {"type": "null"}
    return {
        "type": "object",
        "title": "Expectations",
        "description": "What `casepath test` checks after running the scenario (all optional).",
        "properties": {
            "outcome": {"anyOf": [_names(outcomes, "Outcome"), nullable]},
            "error": {"anyOf": [_names(errors, "Error code"), nullable]},
            "deadlines": {
                "type": "object",
                "title": "Deadlines and their due dates",
                "properties": {k: _date_or_time(label) | {"title": label} for k, label in deadlines.items()},
                "additionalProperties": False,
            },
            "deadlines_absent": {"type": "array", "items": _names(deadlines, "Deadline")},
            "entitlements": {"type": "array", "items": _names(entitlements, "Entitlement")},
            "entitlements_absent": {"type": "array", "items": _names(entitlements, "Entitlement")},
            "assumptions": {
                "type": ["boolean", "null"],
                "description": "true: the report relies on assumptions; false: on none",
            },
        },
        "additionalProperties": False,
    }


def scenario_schema(wf: CompiledWorkflow) -> dict[str, Any]:
    """The JSON Schema of scenario files for this workflow."""
    spec = wf.spec
    variants = spec.variant_names()
    variants_schema: dict[str, Any] = {"type": "array", "description": "named rule variants to apply"}
    variants_schema |= {"items": {"type": "string", "enum": variants}} if variants else {"maxItems": 0}
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "title": f"casepath scenario — {spec.title}",
        "description": f"A dated scenario for the workflow {spec.id!r}; generated by `casepath schema`.",
        "type": "object",
        "required": ["casepath", "title"]
        + (["person"] if any(f.required for f in spec.person.fields.values()) else []),
        "properties": {
            "casepath": {"const": 1, "description": "the scenario format version"},
            "title": {"type": "string", "minLength": 1, "maxLength": 300},
            "case_ref": {
                "type": ["string", "null"],
                "minLength": 1,
                "maxLength": CASE_REF_LENGTH,
                "title": "Case reference",
                "description": "a pseudonymous file number such as 2023-017 that names the case in agendas and "
                "calendars; never a name or an identity number",
                "examples": ["2023-017"],
            },
            "workflow": {
                "type": ["string", "null"],
                "description": f"a workflow name or file; this schema is for {spec.id!r}",
                "examples": [spec.id],
            },
            "rules_as_of": _date("apply the rules in force on this date to every event") | {"type": ["string", "null"]},
            "variants": variants_schema,
            "person": _person(wf),
            "events": _events(wf),
            "expect": {"anyOf": [_expect(wf), {"type": "null"}]},
        },
        "additionalProperties": False,
    }
    return schema


def render(wf: CompiledWorkflow) -> str:
    """The schema as the command prints it: indented JSON, labels kept in their own letters."""
    return json.dumps(scenario_schema(wf), indent=2, ensure_ascii=False) + "\n"
