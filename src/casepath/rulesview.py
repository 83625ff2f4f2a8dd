"""The rules themselves, for students: what was in force on a date, and how it changed.

Two views of a workflow, none of which runs a scenario (`casepath explain`, the third, is in
`casepath.explain`):

- `rules_in_force`: every parameter with the value in force on a date, since when, its
  sources and whether that date is assumed (`casepath rules --as-of DATE`);
- `rule_history`: every change of every parameter as one dated list, oldest first
  (`casepath rules --changes`);

Everything shown comes from the workflow file (labels, meanings, notes, citations); the
places that use a name are found by walking the compiled workflow, through the names each
guard and action says it uses (`registry.Args.refs`) and the state sets of state guards.
Nothing here knows one country from another.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel

from casepath import wording
from casepath.citations import addresses, cites
from casepath.locale import ENGLISH, translate, translator
from casepath.render.common import shortener
from casepath.wording import value_text
from casepath.workflow.compiled import CompiledWorkflow
from casepath.workflow.rulebook import check_variants, value_on
from casepath.workflow.spec import ParameterValue, Workflow

WIDTH = 92


# ---------------------------------------------------------------- small shared pieces


def _wrap(text: str, indent: int, later: int | None = None) -> list[str]:
    first, rest = " " * indent, " " * (indent if later is None else later)
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest) or [first]


def _heading(text: str, char: str = "=") -> list[str]:
    return [text, char * min(len(text), WIDTH)]


def _since(entry: ParameterValue) -> str:
    if entry.from_ is None:
        return "since before the sources' time"
    return f"since {entry.from_.isoformat()}" + (" (date assumed)" if entry.certainty == "assumed" else "")


# ---------------------------------------------------------------- the rules in force on a date


class RuleNow(BaseModel):
    """One parameter's value in force on the date asked about."""

    id: str
    label: str
    meaning: str
    value: str
    since: str | None
    date_assumed: bool
    certain_from: str | None = None
    variant: str | None = None
    note: str | None = None
    assumptions: list[str] = []
    sources: list[str]


class VariantRule(BaseModel):
    parameter: str
    label: str
    variant: str
    value: str
    since: str | None
    note: str | None
    sources: list[str]


class TableRule(BaseModel):
    id: str
    label: str
    rows: dict[str, str]
    sources: list[str]


class RulesInForce(BaseModel):
    """`casepath rules --format json`: the rules in force on `as_of`.

    `date_chosen` says how the date was chosen when none was given ("today", or "today,
    clipped to rules_known_until"); `assumptions` of a parameter are the reasons the answer
    on that date rests on a date the sources do not state."""

    workflow: str
    title: str
    as_of: str
    date_chosen: str | None = None
    today: str | None = None
    """The day the date was chosen on, when none was given (what `date_chosen` calls today)."""
    rules_known_until: str
    variants: list[str] = []
    parameters: list[RuleNow]
    variant_rules: list[VariantRule] = []
    tables: list[TableRule] = []
    warnings: list[str] = []


def rules_in_force(
    wf: CompiledWorkflow, as_of: date | None = None, variants: Sequence[str] = (), today: date | None = None
) -> RulesInForce:
    """Every parameter's value on `as_of` (default: today, but no later than `rules_known_until`)."""
    spec = wf.spec
    check_variants(spec, variants)
    known = spec.rules_known_until
    chosen: str | None = None
    warnings: list[str] = []
    if as_of is None:
        today = today or date.today()
        if today > known:
            as_of, chosen = known, f"today ({today.isoformat()}), clipped to rules_known_until"
        else:
            as_of, chosen = today, "today"
    if as_of > known:
        warnings.append(
            translate(
                "The sources describe the rules up to {known}; for {date} these are the rules last known, and "
                "they may have changed since.",
                wf.lang,
                known=known.isoformat(),
                date=as_of.isoformat(),
            )
        )
    asked = frozenset(variants)
    parameters = []
    for name, param in spec.parameters.items():
        found = value_on(name, param, as_of, asked)
        found_notes = [wording.words_for(wf).assumption(a) for a in found.assumptions]
        entry = found.entry
        if entry is None:
            parameters.append(
                RuleNow(
                    id=name,
                    label=param.label,
                    meaning=param.meaning,
                    value=value_text(None, wf.lang),
                    since=None,
                    date_assumed=False,
                    note=translate("No value of this rule is known for this date.", wf.lang),
                    assumptions=found_notes,
                    sources=[],
                )
            )
            continue
        parameters.append(
            RuleNow(
                id=name,
                label=param.label,
                meaning=param.meaning,
                value=value_text(entry.value, wf.lang),
                since=entry.from_.isoformat() if entry.from_ else None,
                date_assumed=entry.certainty == "assumed",
                certain_from=entry.certain_from.isoformat() if entry.certain_from else None,
                variant=entry.variant,
                note=entry.note,
                assumptions=found_notes,
                sources=cites(spec, entry.sources, wf.lang),
            )
        )
    variant_rules = [
        VariantRule(
            parameter=name,
            label=param.label,
            variant=entry.variant,
            value=value_text(entry.value, wf.lang),
            since=entry.from_.isoformat() if entry.from_ else None,
            note=entry.note,
            sources=cites(spec, entry.sources, wf.lang),
        )
        for name, param in spec.parameters.items()
        for entry in param.history
        if entry.variant is not None
    ]
    tables = [
        TableRule(id=name, label=t.label, rows=dict(t.rows), sources=cites(spec, t.sources, wf.lang))
        for name, t in spec.tables.items()
    ]
    return RulesInForce(
        workflow=spec.id,
        title=spec.title,
        as_of=as_of.isoformat(),
        date_chosen=chosen,
        today=today.isoformat() if chosen and today else None,
        rules_known_until=known.isoformat(),
        variants=sorted(asked),
        parameters=parameters,
        variant_rules=variant_rules,
        tables=tables,
        warnings=warnings,
    )


def _shorten(spec: Workflow, sources: list[str], lang: str = ENGLISH) -> str:
    short = shortener(spec)
    return translate("Sources: {list}", lang, list="; ".join(short(text) for text in sources))


def _value_label(spec: Workflow, value: str) -> str:
    """A choice value by its label, from the first person or event field that has it."""
    fields = [*spec.person.fields.values(), *(f for e in spec.events.values() for f in e.fields.values())]
    for found in fields:
        if found.labels and value in found.labels:
            return found.labels[value]
    return value


def render_rules(view: RulesInForce, spec: Workflow, lang: str = ENGLISH) -> str:
    """The rules in force as text a student can read without knowing the tool."""
    tr = translator(lang)
    lines = _heading(tr("Rules in force on {date}", date=view.as_of))
    add = lines.append
    add(tr("Workflow: {title} ({id})", title=view.title, id=view.workflow))
    if view.date_chosen == "today":
        add(tr("No date was given, so these are the rules in force today."))
    elif view.date_chosen:
        lines.extend(
            _wrap(
                tr(
                    "No date was given. Today ({today}) is after {date}, the last date the sources describe, "
                    "so these are the rules of that date; they may have changed since. Give --as-of DATE for another "
                    "date.",
                    today=view.today,
                    date=view.as_of,
                ),
                0,
            )
        )
    if view.variants:
        add(tr("With the rule variant(s): {names}", names=", ".join(view.variants)))
    for warning in view.warnings:
        lines.extend(_wrap(tr("Note: {text}", text=warning), 0))
    add("")

    def named(label: str, ident: str) -> str:
        # the id, for `explain` and scenario files; ids are English words: not in another language
        return f"{label}  [{ident}]" if lang == ENGLISH else label

    for rule in view.parameters:
        add(named(rule.label, rule.id))
        if rule.since is None:
            since = tr("since before the sources' time")
        else:
            since = tr("since {date}", date=rule.since) + (" " + tr("(date assumed)") if rule.date_assumed else "")
        if rule.variant:
            dates = tr("its dates are not stated") if rule.since is None else since
            since = tr("rule variant '{name}', {dates}", name=rule.variant, dates=dates)
        add(f"    {rule.value}, {since}")
        if rule.date_assumed and rule.certain_from and not rule.assumptions:
            add("    " + tr("(a source confirms this value from {date})", date=rule.certain_from))
        for note in rule.assumptions:
            lines.extend(_wrap(tr("Assumption: {text}", text=note), 4, 6))
        if rule.sources:
            lines.extend(_wrap(_shorten(spec, rule.sources, lang), 4, 6))
        add("")
    if view.variant_rules:
        lines.extend(_heading(tr("Rule variants: used only when asked for (--variant NAME)"), "-"))
        for item in view.variant_rules:
            when = tr("its dates are not stated") if item.since is None else tr("from {date}", date=item.since)
            add(tr("{label}, variant '{name}'", label=named(item.label, item.parameter), name=item.variant))
            add(f"    {item.value}, {when}")
            if item.note:
                lines.extend(_wrap(tr("Note: {text}", text=item.note), 4, 6))
            lines.extend(_wrap(_shorten(spec, item.sources, lang), 4, 6))
            add("")
    if view.tables:
        lines.extend(_heading(tr("Tables (not dated: the same on every date)"), "-"))
        for table in view.tables:
            add(named(table.label, table.id))
            rows = table.rows.items()
            if lang != ENGLISH:  # the rows' values are ids: their labels
                rows = [(_value_label(spec, k), _value_label(spec, v)) for k, v in rows]
            lines.extend(_wrap("; ".join(f"{k}: {v}" for k, v in rows), 4, 6))
            lines.extend(_wrap(_shorten(spec, table.sources, lang), 4, 6))
            add("")
    linked = addresses(spec)
    if linked:
        lines.extend(_heading(tr("Source documents"), "-"))
        for name, url in linked:
            add(f"{name}: {url}")
        add("")
    add(tr("A date marked 'date assumed' is not stated by the sources; `casepath explain` tells more about each rule."))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the rule history


class Change(BaseModel):
    """One value of a parameter coming into force. `old` is null for a parameter's first value."""

    date: str | None
    parameter: str
    label: str
    old: str | None
    new: str
    date_assumed: bool
    not_before: str | None = None
    certain_from: str | None = None
    variant: str | None = None
    note: str | None = None
    sources: list[str]


class RuleHistory(BaseModel):
    """`casepath rules --changes --format json`.

    `starting_points`: each parameter's first value (in force before the sources' time, or
    from the date it first appears); `changes`: every later value, oldest first; `variants`:
    values used only when their variant is asked for."""

    workflow: str
    title: str
    rules_known_until: str
    starting_points: list[Change]
    changes: list[Change]
    variants: list[Change]


def _change(
    spec: Workflow, name: str, entry: ParameterValue, old: ParameterValue | None, lang: str = ENGLISH
) -> Change:
    return Change(
        date=entry.from_.isoformat() if entry.from_ else None,
        parameter=name,
        label=spec.parameters[name].label,
        old=value_text(old.value, lang) if old is not None else None,
        new=value_text(entry.value, lang),
        date_assumed=entry.certainty == "assumed",
        not_before=entry.not_before.isoformat() if entry.not_before else None,
        certain_from=entry.certain_from.isoformat() if entry.certain_from else None,
        variant=entry.variant,
        note=entry.note,
        sources=cites(spec, entry.sources, lang),
    )


def rule_history(wf: CompiledWorkflow) -> RuleHistory:
    """Every parameter's values as a dated list of changes, oldest first (ties in workflow order)."""
    spec = wf.spec
    firsts: list[Change] = []
    changes: list[tuple[date, int, Change]] = []
    variants: list[Change] = []
    for order, (name, param) in enumerate(spec.parameters.items()):
        base = sorted((e for e in param.history if e.variant is None), key=lambda e: e.from_ or date.min)
        previous: ParameterValue | None = None
        for entry in base:
            if previous is None:
                firsts.append(_change(spec, name, entry, None, wf.lang))
            else:
                assert entry.from_ is not None  # only the first value may lack a date
                changes.append((entry.from_, order, _change(spec, name, entry, previous, wf.lang)))
            previous = entry
        variants += [_change(spec, name, e, None, wf.lang) for e in param.history if e.variant is not None]
    changes.sort(key=lambda item: (item[0], item[1]))
    return RuleHistory(
        workflow=spec.id,
        title=spec.title,
        rules_known_until=spec.rules_known_until.isoformat(),
        starting_points=firsts,
        changes=[c for _, _, c in changes],
        variants=variants,
    )


def _change_lines(spec: Workflow, change: Change, indent: int, lang: str = ENGLISH) -> list[str]:
    tr = translator(lang)
    lines: list[str] = []
    if change.date_assumed:
        bounds = []
        if change.not_before:
            bounds.append(tr("earliest possible: {date}", date=change.not_before))
        if change.certain_from:
            bounds.append(tr("a source confirms the value from {date}", date=change.certain_from))
        extra = f" ({'; '.join(bounds)})" if bounds else ""
        why = change.note or tr("the sources do not state the day")
        lines += _wrap(tr("Why assumed: {text}", text=why) + extra, indent, indent + 2)
    elif change.note:
        lines += _wrap(tr("Note: {text}", text=change.note), indent, indent + 2)
    lines += _wrap(_shorten(spec, change.sources, lang), indent, indent + 2)
    return lines


def render_history(history: RuleHistory, spec: Workflow, lang: str = ENGLISH) -> str:
    """The rule history as text: starting points, then each change under its date, oldest first."""
    tr = translator(lang)
    lines = _heading(tr("How the rules changed: {title}", title=history.title))
    add = lines.append
    years: dict[str, int] = {}
    for change in history.changes:
        assert change.date is not None
        years[change.date[:4]] = years.get(change.date[:4], 0) + 1
    add(
        tr(
            "{count} changes, oldest first. Years with changes: {years}.",
            count=len(history.changes),
            years=", ".join(f"{y} ({n})" for y, n in years.items()),
        )
    )
    add(tr("The sources describe the rules up to {date}.", date=history.rules_known_until))
    add("")
    lines.extend(_heading(tr("Where the history starts"), "-"))
    for change in history.starting_points:
        when = tr("before the sources' time") if change.date is None else tr("from {date}", date=change.date)
        if change.date is not None and change.date_assumed:
            when += " " + tr("(date assumed)")
        lines.extend(_wrap(f"{change.label}: {change.new}, {when}", 2, 4))
        if change.note and not change.date_assumed:
            lines.extend(_wrap(tr("Note: {text}", text=change.note), 4, 6))
        elif change.date_assumed and change.note:
            said = (
                tr("Date assumed: {text}", text=change.note) if change.date else tr("Assumed: {text}", text=change.note)
            )
            lines.extend(_wrap(said, 4, 6))
    add("")
    lines.extend(_heading(tr("Changes"), "-"))
    shown: str | None = None
    for change in history.changes:
        if change.date != shown:
            if shown is not None:
                add("")
            add(f"{change.date}")
            shown = change.date
        mark = " " + tr("(date assumed)") if change.date_assumed else ""
        same = " " + tr("(the value stays the same)") if change.old == change.new else ""
        lines.extend(_wrap(f"{change.label}: {change.old} -> {change.new}{same}{mark}", 2, 4))
        lines.extend(_change_lines(spec, change, 4, lang))
    add("")
    if history.variants:
        lines.extend(_heading(tr("Rule variants: used only when asked for (--variant NAME)"), "-"))
        for change in history.variants:
            when = tr("its dates are not stated") if change.date is None else tr("from {date}", date=change.date)
            add(tr("variant '{name}'", name=change.variant))
            lines.extend(_wrap(f"{change.label}: {change.new}, {when}", 2, 4))
            lines.extend(_change_lines(spec, change, 4, lang))
            add("")
    return "\n".join(lines).rstrip("\n") + "\n"


def as_json(model: BaseModel) -> str:
    return json.dumps(model.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
