"""`casepath timeline`: the quick question ("identified on the 10th: what is due when?") without a scenario file.

The command's options are turned into an ordinary scenario, checked and run exactly like a
file, so the answer is the one `casepath simulate` would give. The engine stays generic:

- `--event DATE:NAME[:FIELD=VALUE...]` adds any event of the workflow, and
  `--person FIELD=VALUE` sets any person field;
- a few named options are shortcuts for the common events of the Danish workflow (the
  contract's vocabulary): `--identified DATE [--by WHO]`, `--extension-requested DATE
  [--reason R]`, `--extension-granted DATE`, `--prepared-return-accepted DATE`,
  `--returned DATE`, and `--residence` for the person. Each is checked against the
  workflow: a shortcut whose event or field the workflow lacks is refused;
- a required field left out (`--by`) is filled in where the workflow itself fixes it: an event
  check `field_matches_table` gives the one value the table allows for the person (for
  Denmark: DIS identifies undocumented persons and asylum seekers, CMM everyone else).

Events are taken in date order; on the same day the `--event` entries come first, in the
order given, then the shortcuts in the order listed above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml

from casepath import scenario as scenario_module
from casepath import yamlfile
from casepath.dates import option_date, read_date_or_time
from casepath.problems import InputProblem
from casepath.scenario import Scenario
from casepath.workflow.compiled import CompiledWorkflow
from casepath.workflow.spec import FieldSpec


@dataclass(frozen=True)
class Shortcut:
    """A named option that stands for one event; `fields` maps the event's fields to the options giving them."""

    option: str
    event: str
    fields: dict[str, str] = field(default_factory=dict)


SHORTCUTS = (
    Shortcut("--identified", "identified", {"by": "--by"}),
    Shortcut("--extension-requested", "extension_requested", {"reason": "--reason"}),
    Shortcut("--extension-granted", "extension_granted"),
    Shortcut("--prepared-return-accepted", "prepared_return_accepted"),
    Shortcut("--returned", "returned"),
)
RESIDENCE_FIELD = "residence"
DEFAULT_ALIAS = "Client"
_EVENT = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)?):(?P<rest>.+)$")


@dataclass
class Options:
    """What the command line gave; dates are still text (checked here, with the option's name)."""

    dates: dict[str, str | None] = field(default_factory=dict)  # shortcut option -> date
    values: dict[str, str | None] = field(default_factory=dict)  # field option (--by, --reason) -> value
    events: list[str] = field(default_factory=list)  # --event entries
    alias: str = DEFAULT_ALIAS
    case_ref: str | None = None
    title: str | None = None
    residence: str | None = None
    born: str | None = None
    age: int | None = None
    person: list[str] = field(default_factory=list)  # --person FIELD=VALUE
    as_of: str | None = None
    variants: list[str] = field(default_factory=list)
    workflow: str | None = None  # as given, written to a saved file when not the default


@dataclass
class Built:
    """The scenario as data (what --save writes) and checked, ready to run."""

    data: dict[str, Any]
    scenario: Scenario


def build(options: Options, workflow: CompiledWorkflow, name: str = "<timeline>") -> Built:
    """Turn the options into a scenario and check it; every problem names the option at fault."""
    spec = workflow.spec
    person: dict[str, Any] = {"alias": options.alias}
    origin = {"alias": "--alias"}
    if options.residence is not None:
        if RESIDENCE_FIELD not in spec.person.fields:
            raise InputProblem(f"--residence: the workflow {spec.id!r} has no person field {RESIDENCE_FIELD!r}")
        person[RESIDENCE_FIELD] = options.residence
        origin[RESIDENCE_FIELD] = "--residence"
    if options.born is not None and options.age is not None:
        raise InputProblem("give --born or --age, not both")
    if options.born is not None:
        person["born"] = _day(options.born, "--born")
        origin["born"] = "--born"
    if options.age is not None:
        person["age"] = options.age
        origin["age"] = "--age"
    for item in options.person:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputProblem(f"--person {item!r}: write FIELD=VALUE (e.g. citizenship=NG)")
        if key in person:
            raise InputProblem(f"--person {item!r}: {key} is given twice")
        field_spec = spec.person.fields.get(key)
        person[key] = _typed(value, field_spec) if field_spec else value
        origin[key] = f"--person {item}"

    head: dict[str, Any] = {"casepath": 1, "title": options.title or f"Timeline for {options.alias}"}
    if options.case_ref is not None:
        head["case_ref"] = options.case_ref
    if options.workflow is not None:
        head["workflow"] = options.workflow
    if options.as_of is not None:
        head["rules_as_of"] = _day(options.as_of, "--as-of")
    if options.variants:
        head["variants"] = list(options.variants)
    head["person"] = person
    try:  # the person first: the defaults below read the person's fields
        scenario_module.from_dict({**head, "events": []}, workflow, name=name)
    except InputProblem as problem:
        raise _named(problem, origin, []) from None

    entries: list[tuple[tuple[date, int, int], dict[str, Any], str]] = []
    for index, text in enumerate(options.events):
        event, day = _generic(text, workflow)
        entries.append(((day, 0, index), event, f"--event {text}"))
    used_fields = set()
    for index, shortcut in enumerate(SHORTCUTS):
        when = options.dates.get(shortcut.option)
        if when is None:
            continue
        event_spec = spec.events.get(shortcut.event)
        if event_spec is None or event_spec.automatic:
            raise InputProblem(
                f"{shortcut.option}: the workflow {spec.id!r} has no event {shortcut.event!r}; use --event"
            )
        event = {"date": _day(when, shortcut.option), "event": shortcut.event}
        for field_name, option in shortcut.fields.items():
            if field_name not in event_spec.fields:
                raise InputProblem(f"{option}: the workflow's event {shortcut.event!r} has no field {field_name!r}")
            used_fields.add(option)
            value = options.values.get(option)
            if value is None and event_spec.fields[field_name].required:
                value = _fixed_by_workflow(workflow, shortcut.event, field_name, person)
                if value is None:
                    allowed = ", ".join(event_spec.fields[field_name].values or []) or "a value"
                    raise InputProblem(f"{shortcut.option} needs {option} ({allowed})")
            if value is not None:
                event[field_name] = _typed(value, event_spec.fields[field_name])
        entries.append(((date.fromisoformat(event["date"]), 1, index), event, f"{shortcut.option} {when}"))
    for option, value in options.values.items():
        if value is not None and option not in used_fields:
            owner = next(s.option for s in SHORTCUTS if option in s.fields.values())
            raise InputProblem(f"{option} goes with {owner}")
    if not entries:
        raise InputProblem("no events: give at least one of " + ", ".join(s.option for s in SHORTCUTS) + " or --event")
    entries.sort(key=lambda entry: entry[0])
    events = [event for _, event, _ in entries]
    events_origin = [where for _, _, where in entries]

    data = {**head, "events": events}
    try:
        checked = scenario_module.from_dict(data, workflow, name=name)
    except InputProblem as problem:
        raise _named(problem, origin, events_origin) from None
    return Built(data=data, scenario=checked)


def _named(problem: InputProblem, person: dict[str, str], events: list[str]) -> InputProblem:
    """The problem with the option that caused it in place of the place in a file."""
    place = problem.place
    where = None
    if len(place) >= 2 and place[0] == "events" and isinstance(place[1], int) and place[1] < len(events):
        where = events[place[1]]
        if len(place) >= 3 and place[2] not in ("date", "event"):
            where += f" ({place[2]})"
    elif len(place) >= 2 and place[0] == "person":
        where = person.get(str(place[1]), f"--person {place[1]}")
    elif place == ("person",):
        return InputProblem(f"{problem.message} (give it with --residence or --person FIELD=VALUE)")
    elif place:
        where = {"rules_as_of": "--as-of", "variants": "--variant", "title": "--title", "case_ref": "--case-ref"}.get(
            str(place[0])
        )
    return InputProblem(f"{where}: {problem.message}" if where else problem.message)


def _day(text: str, option: str) -> str:
    """A date as YYYY-MM-DD text, or a one-line problem naming the option."""
    day = option_date(option, text)
    assert day is not None
    return day.isoformat()


def _generic(text: str, workflow: CompiledWorkflow) -> tuple[dict[str, Any], date]:
    """`DATE:NAME[:FIELD=VALUE...]` as an event; fields typed by the workflow's field specs."""
    match = _EVENT.match(text.strip())
    if match is None:
        raise InputProblem(f"--event {text!r}: write DATE:EVENT[:FIELD=VALUE...], e.g. 2022-03-01:contact:by=ngo")
    when = match["date"]
    try:
        parsed = read_date_or_time(when)
    except ValueError as err:
        raise InputProblem(f"--event {text!r}: {err}") from None
    day = parsed.date() if isinstance(parsed, datetime) else parsed
    name, *pairs = match["rest"].split(":")
    name = name.strip()
    event_spec = workflow.spec.events.get(name)
    event: dict[str, Any] = {"date": when, "event": name}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputProblem(f"--event {text!r}: {pair!r} is not FIELD=VALUE")
        if key in event:
            raise InputProblem(f"--event {text!r}: {key} is given twice")
        field_spec = event_spec.fields.get(key) if event_spec else None
        event[key] = _typed(value, field_spec) if field_spec else value
    return event, day


def _typed(value: str, spec: FieldSpec | None) -> Any:
    """Text from the command line as the field's type (the scenario check then judges it as in a file)."""
    value = value.strip()
    if spec is None:
        return value
    if spec.type == "integer" and re.fullmatch(r"[+-]?\d+", value):
        return int(value)
    if spec.type == "bool" and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if spec.type == "choices":
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


def _fixed_by_workflow(workflow: CompiledWorkflow, event: str, field_name: str, person: dict[str, Any]) -> str | None:
    """The value a workflow's `field_matches_table` check allows for this person, if one fixes the field."""
    spec = workflow.spec
    checks = list(spec.events[event].checks)
    checks += [check for t in spec.transitions if t.event == event for check in t.checks]
    for check in checks:
        args = check.args
        if check.guard != "field_matches_table" or args.get("field") != field_name:
            continue
        table = spec.tables.get(str(args.get("table")))
        key = person.get(str(args.get("key_fact")))
        if table is not None and isinstance(key, str) and key in table.rows:
            return table.rows[key]
    return None


class _Dumper(yaml.SafeDumper):
    """Writes YAML as the scenario reader reads it (YAML 1.2 core types): dates unquoted, `NO` quoted only if needed."""

    yaml_implicit_resolvers: dict = {}  # noqa: RUF012 - PyYAML's own class-level table


for _tag, _regexp, _first in (
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    ("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
        list("-+0123456789."),
    ),
    ("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
):
    _Dumper.add_implicit_resolver(_tag, _regexp, _first)


def to_yaml(data: dict[str, Any]) -> str:
    """The scenario as a file `casepath simulate` runs to the same report."""
    head = "# Written by `casepath timeline`. Run it with: casepath simulate THIS-FILE\n"
    body = {key: value for key, value in data.items() if key != "events"}
    text = yaml.dump(body, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)
    lines = ["events:"]
    for event in data["events"]:
        item = yaml.dump(
            event, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=True, width=1000
        )
        lines.append("  - " + item.strip())
    result = head + text + "\n".join(lines) + "\n"
    yamlfile.parse(result, "<saved timeline>")  # what we write must read back
    return result
