"""One scenario under the rules of several dates, side by side: what changes when the rules do.

`casepath compare SCENARIO --as-of DATE [--as-of DATE ...]` runs the scenario once per date
with the rules in force on that date applied to every event (as `--as-of` does for
`simulate`). With a single `--as-of` it also runs the scenario under its *own dates* (each
event gets the rules in force on its own date; a `rules_as_of:` in the file is set aside
for that run), so there are always at least two runs to compare.

Compared, row by row: the outcome, the error (a broken rule), each deadline's final due
date and status, each entitlement's periods, the assumptions the report relied on, and the
value of every parameter on each date (the cause of most differences). Rows that differ are
shown in full; rows that are the same are summarised ("4 deadlines the same").

`--format json` prints one object:

    {
      "scenario": "path/to/file.yaml",    # or null
      "title": "...", "workflow": "denmark",
      "runs": [{"label": "rules of 2010-06-01", "as_of": "2010-06-01"},
               {"label": "own dates", "as_of": null}],
      "reports": [ <the simulate --format json report of each run, in the order of runs> ],
      "differences": [
        {"kind": "deadline", "id": "reflection_max_end", "label": "...",
         "values": [{"due": "2010-06-18", "status": "upcoming"}, {"due": "2010-07-08", ...}]}
      ],
      "same": {"outcome": 1, "deadline": 4, ...}  # how many rows of each kind are identical
    }

`kind` is one of outcome, error, deadline, entitlement, assumption, rule. `values` has one
entry per run: outcome a string; error null or {"code", "event"}; deadline null (not set in
that run) or {"due", "status"}; entitlement a list of {"from", "until"} periods (empty: not
given); assumption true/false (relied on or not); rule the value in force on the run's date,
or null for the "own dates" run (each event has its own).

Exit code: 0 whenever the comparison could be made, even if a run broke a rule: a broken
rule under one date is part of the answer, and is shown as the `error` row. 2 when the
input cannot be used (the scenario file, a date, a variant).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from casepath import api
from casepath.locale import ENGLISH, translator
from casepath.report import Report
from casepath.scenario import Scenario
from casepath.status import word
from casepath.visible import visible
from casepath.wording import value_text
from casepath.workflow.compiled import CompiledWorkflow
from casepath.workflow.rulebook import check_variants, value_on

WIDTH = 92

class Run(BaseModel):
    label: str
    as_of: str | None


class Row(BaseModel):
    kind: str
    id: str
    label: str
    values: list[Any]

    @property
    def differs(self) -> bool:
        # A rule has no single value for the "own dates" run (None): compare the dated runs only.
        values = [v for v in self.values if v is not None] if self.kind == "rule" else self.values
        return any(v != values[0] for v in values[1:])


class Comparison(BaseModel):
    scenario: str | None
    title: str
    workflow: str
    runs: list[Run]
    reports: list[Report]
    rows: list[Row]
    on: str | None = None
    """The day every run was looked at (`--on`), if given."""
    names: dict[str, str] = {}
    """Outcome and error ids -> their words in the workflow's language (ids are English words)."""

    def differences(self) -> list[Row]:
        return [row for row in self.rows if row.differs]

    def same(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows:
            if not row.differs:
                counts[row.kind] = counts.get(row.kind, 0) + 1
        return counts

    def as_json_data(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "title": self.title,
            "workflow": self.workflow,
            "on": self.on,
            "runs": [run.model_dump() for run in self.runs],
            "reports": [report.as_json_data() for report in self.reports],
            "differences": [row.model_dump() for row in self.differences()],
            "same": self.same(),
        }


def compare(
    scenario: Scenario,
    workflow: CompiledWorkflow,
    dates: Sequence[date],
    variants: Sequence[str] = (),
    on: date | datetime | None = None,
) -> Comparison:
    """Run `scenario` under the rules of each date (and its own dates if only one is given) and line up the results.

    `on` looks at every run on that day (`simulate --on`): the statuses compared are judged then."""
    check_variants(workflow.spec, variants)
    tr = translator(workflow.lang)
    unique = list(dict.fromkeys(dates))
    runs = [Run(label=tr("rules of {date}", date=d.isoformat()), as_of=d.isoformat()) for d in unique]
    reports = [api.simulate(scenario, workflow, as_of=d, variants=tuple(variants), on=on) for d in unique]
    if len(unique) == 1:
        own = scenario.model_copy(update={"rules_as_of": None})
        runs.append(Run(label=tr("own dates"), as_of=None))
        reports.append(api.simulate(own, workflow, variants=tuple(variants), on=on))
    return Comparison(
        scenario=scenario.file,
        title=scenario.title,
        workflow=workflow.spec.id,
        runs=runs,
        reports=reports,
        rows=_rows(workflow, runs, reports, variants),
        on=reports[0].on if on is not None else None,
        names={**workflow.spec.errors, **workflow.spec.outcomes} if workflow.lang != ENGLISH else {},
    )


def _rows(wf: CompiledWorkflow, runs: list[Run], reports: list[Report], variants: Sequence[str]) -> list[Row]:
    spec = wf.spec
    tr = translator(wf.lang)
    rows = [Row(kind="outcome", id="outcome", label=tr("Outcome"), values=[r.outcome for r in reports])]
    rows.append(
        Row(
            kind="error",
            id="error",
            label=tr("Broken rule"),
            values=[{"code": r.error.code, "event": r.error.event} if r.error else None for r in reports],
        )
    )
    deadline_ids = list(dict.fromkeys(d.id for r in reports for d in r.deadlines))
    for did in deadline_ids:
        values: list[Any] = []
        for report in reports:
            last = report.last_deadline(did)
            values.append({"due": last.due, "status": last.status} if last else None)
        rows.append(Row(kind="deadline", id=did, label=spec.deadlines[did].label, values=values))
    entitlement_ids = [e for e in spec.entitlements if any(x.id == e for r in reports for x in r.entitlements)]
    for eid in entitlement_ids:
        periods: list[Any] = [
            [{"from": x.from_, "until": x.until} for x in r.entitlements if x.id == eid] for r in reports
        ]
        rows.append(Row(kind="entitlement", id=eid, label=spec.entitlements[eid].label, values=periods))
    assumed = list(dict.fromkeys(a.parameter for r in reports for a in r.assumptions))
    for name in assumed:
        # an assumption names a decision, a rule, or the step, deadline or entitlement a rule was applied to
        named: dict[str, Any] = {
            **spec.events, **spec.entitlements, **spec.deadlines, **spec.parameters, **spec.decisions
        }
        label = named[name].label if name in named else name
        relied: list[Any] = [any(a.parameter == name for a in r.assumptions) for r in reports]
        rows.append(Row(kind="assumption", id=name, label=label, values=relied))
    asked = frozenset(variants)
    if sum(run.as_of is not None for run in runs) < 2:
        return rows  # one dated run: nothing to set its rules against
    for name, param in spec.parameters.items():
        values = []
        for run in runs:
            if run.as_of is None:
                values.append(None)
                continue
            found = value_on(name, param, date.fromisoformat(run.as_of), asked)
            values.append(_rule_value(found.entry, wf.lang))
        rows.append(Row(kind="rule", id=name, label=param.label, values=values))
    return rows


def _rule_value(entry: Any, lang: str) -> str:
    tr = translator(lang)
    if entry is None:
        return tr("none")
    text = value_text(entry.value, lang)
    if entry.from_ is not None:
        text += ", " + tr("since {date}", date=entry.from_.isoformat())
        text += " " + tr("(date assumed)") if entry.certainty == "assumed" else ""
    return text


# ---------------------------------------------------------------- text


def _cell(row: Row, value: Any, lang: str = ENGLISH, names: dict[str, str] | None = None) -> str:
    tr = translator(lang)
    names = names or {}
    if row.kind == "outcome":
        return tr("in progress") if value == "in_progress" else names.get(value, str(value).replace("_", " "))
    if row.kind == "error":
        if value is None:
            return tr("none")
        engine = {"event_not_allowed": tr("event not allowed"), "events_out_of_order": tr("events out of order")}
        code = names.get(value["code"]) or engine.get(value["code"]) or value["code"].replace("_", " ")
        return tr("{code} (event {number})", code=code, number=value["event"])
    if row.kind == "deadline":
        return "-" if value is None else f"{value['due']} {word(value['status'], lang)}"
    if row.kind == "entitlement":
        if not value:
            return "-"
        return ", ".join(
            tr("{start} to {end}", start=p["from"], end=p["until"])
            if p["until"]
            else tr("from {start}", start=p["from"])
            for p in value
        )
    if row.kind == "assumption":
        return tr("relied on") if value else "-"
    return tr("each event's own") if value is None else str(value)


def _kind_name(kind: str, count: int, lang: str) -> str:
    """ "deadline" / "deadlines" (and the same in `lang`)."""
    tr = translator(lang)
    names = {
        "outcome": (tr("outcome"), tr("outcomes")),
        "error": (tr("broken rule"), tr("broken rules")),
        "deadline": (tr("deadline"), tr("deadlines")),
        "entitlement": (tr("entitlement"), tr("entitlements")),
        "assumption": (tr("assumption"), tr("assumptions")),
        "rule": (tr("rule"), tr("rules")),
    }
    return names[kind][0 if count == 1 else 1]


def render(comparison: Comparison, lang: str = ENGLISH) -> str:
    """The comparison as fixed-width text: what differs in full, what is the same in one line per kind."""
    tr = translator(lang)

    def heading(text: str) -> None:
        said = tr(text)
        lines.extend(["", said, "-" * len(said)])

    title = tr("Compare: {title}", title=visible(comparison.title))
    lines = [title, "=" * min(len(title), WIDTH)]
    add = lines.append
    where = tr("Scenario: {file}", file=comparison.scenario) + "    " if comparison.scenario else ""
    add(where + tr("Workflow: {workflow}", workflow=comparison.workflow))
    if comparison.on:
        add(tr("Looked at on {date}: every status below is judged on that day.", date=comparison.on))
    for number, run in enumerate(comparison.runs, start=1):
        meaning = (
            tr("each event under the rules in force on its own date")
            if run.as_of is None
            else tr("every event under the rules in force on {date}", date=run.as_of)
        )
        add(f"  ({number}) {run.label}: {meaning}")
    differing = comparison.differences()
    heading("What differs")
    in_table = [row for row in differing if row.kind != "rule"]
    if not in_table:
        add("  " + tr("Nothing: the scenario comes out the same under every set of rules."))
    else:
        lines.extend(_table(comparison.runs, in_table, lang, comparison.names))
    rules = [row for row in differing if row.kind == "rule"]
    if rules:
        heading("Rules that differ between these dates")
        add("  " + tr("(the cause of the differences above; not every one of them matters to this case)"))
        for row in rules:
            lines.extend(textwrap.wrap(f"{row.label} [{row.id}]", WIDTH, initial_indent="  ", subsequent_indent="    "))
            for run, value in zip(comparison.runs, row.values, strict=True):
                if value is not None:
                    add(f"    {run.label}: {value}")
    same = comparison.same()
    heading("The same in every run")
    rows = {row.kind: row for row in comparison.rows if not row.differs}
    if "outcome" in same:
        outcome = _cell(rows["outcome"], rows["outcome"].values[0], lang, comparison.names)
        add("  " + tr("Outcome: {outcome}", outcome=outcome))
    if "error" in same:
        broken = _cell(rows["error"], rows["error"].values[0], lang, comparison.names)
        add("  " + tr("Broken rule: {value}", value=broken))
    for kind in ("deadline", "entitlement", "assumption", "rule"):
        count = same.get(kind)
        if count:
            names = [row.label for row in comparison.rows if row.kind == kind and not row.differs]
            word = _kind_name(kind, count, lang)
            text = tr("{count} {kind} the same: {names}", count=count, kind=word, names="; ".join(names))
            lines.extend(textwrap.wrap(text, WIDTH, initial_indent="  ", subsequent_indent="    "))
    errors = [(run, r) for run, r in zip(comparison.runs, comparison.reports, strict=True) if r.error]
    for run, report in errors:
        assert report.error is not None
        add("")
        text = tr(
            "Under {run} the scenario stops at event {number}: {message}",
            run=run.label,
            number=report.error.event,
            message=report.error.message,
        )
        lines.extend(textwrap.wrap(text, WIDTH))
    add("")
    add(tr("Run `casepath simulate FILE --as-of DATE` for the full report of one run, with its sources."))
    return "\n".join(lines) + "\n"


def _table(runs: list[Run], rows: list[Row], lang: str = ENGLISH, names: dict[str, str] | None = None) -> list[str]:
    cells = [[_cell(row, v, lang, names) for v in row.values] for row in rows]
    heads = [run.label for run in runs]
    widths = [max(len(heads[i]), *(len(c[i]) for c in cells)) for i in range(len(runs))]
    label_width = max(20, min(40, WIDTH - sum(w + 2 for w in widths) - 2))
    out = [("  " + " " * label_width + "".join(f"  {h:<{w}}" for h, w in zip(heads, widths, strict=True))).rstrip()]
    previous = None
    for row, values in zip(rows, cells, strict=True):
        if row.kind != previous:
            out.append(f"  {_kind_name(row.kind, 2, lang).capitalize()}")
            previous = row.kind
        label = textwrap.wrap(row.label, label_width - 2) or [""]
        first = f"    {label[0]:<{label_width - 2}}" + "".join(
            f"  {v:<{w}}" for v, w in zip(values, widths, strict=True)
        )
        out.append(first.rstrip())
        out += [f"    {more}" for more in label[1:]]
    return out


def render_json(comparison: Comparison) -> str:
    return json.dumps(comparison.as_json_data(), indent=2, ensure_ascii=False) + "\n"
