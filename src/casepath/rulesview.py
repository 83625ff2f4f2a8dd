"""The rules themselves, for students: what was in force on a date, how it changed, what a name means.

Three views of a workflow, none of which runs a scenario:

- `rules_in_force`: every parameter with the value in force on a date, since when, its
  sources and whether that date is assumed (`casepath rules --as-of DATE`);
- `rule_history`: every change of every parameter as one dated list, oldest first
  (`casepath rules --changes`);
- `explain`: one id of the workflow (a parameter, deadline, entitlement, state, track,
  event, modelling decision, table, outcome, error code or source document) in plain words,
  with its history and sources and the places of the workflow that use it
  (`casepath explain ID`).

Everything shown comes from the workflow file (labels, meanings, notes, citations); the
places that use a name are found by walking the compiled workflow, through the names each
guard and action says it uses (`registry.Args.refs`) and the state sets of state guards.
Nothing here knows one country from another.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel

from casepath.clock import Duration
from casepath.locale import ENGLISH, duration_text, translate, translator
from casepath.messages import did_you_mean
from casepath.problems import InputProblem
from casepath.workflow.compiled import Bound, CompiledWorkflow
from casepath.workflow.rulebook import value_on
from casepath.workflow.spec import Citation, ParameterValue, Workflow

WIDTH = 92


# ---------------------------------------------------------------- small shared pieces


def cite(spec: Workflow, citation: Citation, *, short: bool = False) -> str:
    """A citation as the reports print it; `short` uses the document's short name (text output)."""
    if citation.decision is not None:
        return f"Modelling decision: {spec.decisions[citation.decision].label}"
    assert citation.doc is not None
    doc = spec.sources[citation.doc]
    text = f"{doc.short if short and doc.short else doc.title}, {citation.section}"
    return text + (f", para {citation.para}" if citation.para is not None else "")


def cites(spec: Workflow, citations: Iterable[Citation], *, short: bool = False) -> list[str]:
    out: list[str] = []
    for citation in citations:
        text = cite(spec, citation, short=short)
        if text not in out:
            out.append(text)
    return out


def value_text(value: Duration | bool | None, lang: str = ENGLISH) -> str:
    """A parameter value for people: "120 days", "yes", "no", "none" (or the same in `lang`)."""
    tr = translator(lang)
    if value is None:
        return tr("none")
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    return duration_text(value, lang)


def _wrap(text: str, indent: int, later: int | None = None) -> list[str]:
    first, rest = " " * indent, " " * (indent if later is None else later)
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest) or [first]


def _heading(text: str, char: str = "=") -> list[str]:
    return [text, char * min(len(text), WIDTH)]


def _since(entry: ParameterValue) -> str:
    if entry.from_ is None:
        return "since before the sources' time"
    return f"since {entry.from_.isoformat()}" + (" (date assumed)" if entry.certainty == "assumed" else "")


def variant_names(spec: Workflow) -> list[str]:
    return sorted({e.variant for p in spec.parameters.values() for e in p.history if e.variant})


def check_variants(spec: Workflow, variants: Sequence[str]) -> None:
    known = variant_names(spec)
    for name in variants:
        if name not in known:
            raise InputProblem(
                f"--variant {name!r}: the workflow has {', '.join(known) or 'none'}{did_you_mean(name, known)}"
            )


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
            f"The sources describe the rules up to {known.isoformat()}; for {as_of.isoformat()} these are the "
            "rules last known, and they may have changed since."
        )
    asked = frozenset(variants)
    parameters = []
    for name, param in spec.parameters.items():
        found = value_on(name, param, as_of, asked)
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
                    note="No value of this rule is known for this date.",
                    assumptions=[a.note for a in found.assumptions],
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
                assumptions=[a.note for a in found.assumptions],
                sources=cites(spec, entry.sources),
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
            sources=cites(spec, entry.sources),
        )
        for name, param in spec.parameters.items()
        for entry in param.history
        if entry.variant is not None
    ]
    tables = [
        TableRule(id=name, label=t.label, rows=dict(t.rows), sources=cites(spec, t.sources))
        for name, t in spec.tables.items()
    ]
    return RulesInForce(
        workflow=spec.id,
        title=spec.title,
        as_of=as_of.isoformat(),
        date_chosen=chosen,
        rules_known_until=known.isoformat(),
        variants=sorted(asked),
        parameters=parameters,
        variant_rules=variant_rules,
        tables=tables,
        warnings=warnings,
    )


def _shorten(spec: Workflow, sources: list[str], lang: str = ENGLISH) -> str:
    out = []
    for text in sources:
        for doc in spec.sources.values():
            if doc.short:
                text = text.replace(doc.title, doc.short)
        out.append(text)
    return translate("Sources: {list}", lang, list="; ".join(out))


def render_rules(view: RulesInForce, spec: Workflow, lang: str = ENGLISH) -> str:
    """The rules in force as text a student can read without knowing the tool."""
    tr = translator(lang)
    lines = _heading(tr("Rules in force on {date}", date=view.as_of))
    add = lines.append
    add(tr("Workflow: {title} ({id})", title=view.title, id=view.workflow))
    if view.date_chosen == "today":
        add(tr("No date was given, so these are the rules in force today."))
    elif view.date_chosen:
        today = view.date_chosen.split("(")[1].split(")")[0]
        lines.extend(
            _wrap(
                tr(
                    "No date was given. Today ({today}) is after {date}, the last date the sources describe, "
                    "so these are the rules of that date; they may have changed since. Give --as-of DATE for another "
                    "date.",
                    today=today,
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
    for rule in view.parameters:
        add(f"{rule.label}  [{rule.id}]")
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
            add(tr("{label}  [{id}], variant '{name}'", label=item.label, id=item.parameter, name=item.variant))
            add(f"    {item.value}, {when}")
            if item.note:
                lines.extend(_wrap(tr("Note: {text}", text=item.note), 4, 6))
            lines.extend(_wrap(_shorten(spec, item.sources, lang), 4, 6))
            add("")
    if view.tables:
        lines.extend(_heading(tr("Tables (not dated: the same on every date)"), "-"))
        for table in view.tables:
            add(f"{table.label}  [{table.id}]")
            lines.extend(_wrap("; ".join(f"{k}: {v}" for k, v in table.rows.items()), 4, 6))
            lines.extend(_wrap(_shorten(spec, table.sources, lang), 4, 6))
            add("")
    add(tr("A date marked 'date assumed' is not stated by the sources; `casepath explain ID` tells more about a rule."))
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
        sources=cites(spec, entry.sources),
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


# ---------------------------------------------------------------- explain one id


@dataclass
class _Site:
    """One place of the compiled workflow that uses names: a transition, a check, a refusal, a ground of an
    entitlement, a state's entry actions or a track's choice of start state."""

    text: str
    event: str | None = None
    track: str | None = None
    states: set[str] = field(default_factory=set)  # "track.state" the place starts from or leads to
    to: str | None = None  # "track.state" a transition leads to
    shows_when: bool = False  # the text already says the `if` conditions
    entitlement: str | None = None
    calls: list[tuple[str, Bound]] = field(default_factory=list)  # (role: if / check / does, call)
    links: set[tuple[str, str]] = field(default_factory=set)  # names used outside guards and actions


def _sites(wf: CompiledWorkflow) -> list[_Site]:
    spec = wf.spec
    sites: list[_Site] = []
    for event, tracks in wf.by_event.items():
        for track, transitions in tracks.items():
            for t in transitions:
                froms = sorted(t.sources)
                arrow = f" -> {t.to}" if t.to else " (no change of state)"
                when = f", if {'; and '.join(b.describe(wf.lang) for b in t.when)}" if t.when else ""
                site = _Site(
                    text=f"{event} on the {track} track, from {', '.join(froms)}{arrow}{when}",
                    to=f"{track}.{t.to}" if t.to else None,
                    shows_when=True,
                    event=event,
                    track=track,
                    states={f"{track}.{s}" for s in froms} | ({f"{track}.{t.to}"} if t.to else set()),
                )
                site.calls += [("if", b) for b in t.when]
                site.calls += [("check", c.guard) for c in t.checks]
                site.calls += [("does", b) for b in t.do]
                site.links |= {("error", c.error) for c in t.checks}
                site.links |= {("decision", c.decision) for c in t.sources_cited if c.decision}
                site.links |= {("source", c.doc) for c in t.sources_cited if c.doc}
                sites.append(site)
    for event, checks in wf.event_checks.items():
        if checks:
            site = _Site(text=f"check on every {event} event", event=event, track=spec.events[event].track)
            site.calls += [("check", c.guard) for c in checks]
            site.links |= {("error", c.error) for c in checks}
            sites.append(site)
    for refusal in wf.refusals:
        site = _Site(text=f"refusal: {', '.join(sorted(refusal.events))} refused as {refusal.error}")
        site.calls += [("if", b) for b in refusal.when]
        site.links |= {("event", e) for e in refusal.events} | {("error", refusal.error)}
        site.links |= {("decision", c.decision) for c in refusal.sources if c.decision}
        site.links |= {("source", c.doc) for c in refusal.sources if c.doc}
        sites.append(site)
    for rule in wf.entitlements:
        for number, (guards, citations) in enumerate(rule.bases, start=1):
            site = _Site(text=f"entitlement: {rule.id}, ground {number}", entitlement=rule.id)
            site.calls += [("if", b) for b in guards]
            site.links |= {("decision", c.decision) for c in citations if c.decision}
            site.links |= {("source", c.doc) for c in citations if c.doc}
            if rule.ends_with_deadline:
                site.links.add(("deadline", rule.ends_with_deadline))
            sites.append(site)
    for (track, state), actions in wf.on_enter.items():
        if actions:
            site = _Site(text=f"on entering {track}.{state}", track=track, states={f"{track}.{state}"})
            site.calls += [("does", b) for b in actions]
            sites.append(site)
    for track, choices in wf.initial.items():
        for state, guards in choices:
            if guards:
                site = _Site(text=f"start of the {track} track in {state}", track=track, states={f"{track}.{state}"})
                site.calls += [("if", b) for b in guards]
                sites.append(site)
    return sites


def _call_mentions(call: Bound, kind: str, name: str) -> bool:
    if (kind, name) in call.args.refs():
        return True
    if kind == "state" and call.gate is not None:
        track, accepted, _ = call.gate
        return name.split(".", 1)[0] == track and name.split(".", 1)[1] in accepted
    return False


def _site_mentions(site: _Site, kind: str, name: str) -> tuple[bool, list[tuple[str, Bound]]]:
    """Whether a place uses the name, and which of its calls do."""
    calls = [(role, call) for role, call in site.calls if _call_mentions(call, kind, name)]
    direct = (kind, name) in site.links
    if kind == "event":
        direct = direct or site.event == name
    elif kind == "track":
        direct = direct or site.track == name
    elif kind == "state":
        direct = direct or name in site.states
    elif kind == "entitlement":
        direct = direct or site.entitlement == name
    return bool(calls) or direct, calls


def _ids(spec: Workflow) -> dict[str, list[tuple[str, str]]]:
    """Every id a user may ask about -> the (kind, full name) pairs it stands for."""
    out: dict[str, list[tuple[str, str]]] = {}

    def put(ident: str, kind: str, name: str) -> None:
        out.setdefault(ident, []).append((kind, name))

    for kind, names in (
        ("parameter", spec.parameters),
        ("deadline", spec.deadlines),
        ("entitlement", spec.entitlements),
        ("track", spec.tracks),
        ("event", spec.events),
        ("decision", spec.decisions),
        ("table", spec.tables),
        ("outcome", spec.outcomes),
        ("error", spec.errors),
        ("source", spec.sources),
    ):
        for name in names:
            put(name, kind, name)
    for track, tspec in spec.tracks.items():
        for state in tspec.states:
            put(state, "state", f"{track}.{state}")
            put(f"{track}.{state}", "state", f"{track}.{state}")
    return out


def explain(wf: CompiledWorkflow, ident: str) -> str:
    """One id of the workflow in plain words, with its history, sources and the places that use it."""
    spec = wf.spec
    ids = _ids(spec)
    if ident not in ids:
        raise InputProblem(f"{ident!r} is not an id in the workflow {spec.id!r}{did_you_mean(ident, ids)}")
    sites = _sites(wf)
    parts = []
    matches = ids[ident]
    for kind, name in matches:
        parts.append(_explain_one(wf, sites, kind, name, len(matches)))
    return "\n\n".join(parts)


def _explain_one(wf: CompiledWorkflow, sites: list[_Site], kind: str, name: str, of: int) -> str:
    spec = wf.spec
    describe = _DESCRIBERS[kind]
    label, body = describe(wf, name)
    tr = translator(wf.lang)
    title = f"{name} — {_kind_word(kind, wf.lang)}"
    if of > 1:
        title += " " + tr("(one of {count} things with this id)", count=of)
    lines = _heading(title)
    if label:
        lines.extend(_wrap(label, 0))
    if body:
        lines += ["", *body]
    used = [(site, *_site_mentions(site, kind, name)) for site in sites]
    used = [(site, calls) for site, hit, calls in used if hit]
    extra = _structural_uses(spec, kind, name)
    groups: dict[str, list[str]] = {}
    for site, calls in used:
        shown = groups.setdefault(_group(site, calls, kind, name, tr), [])
        shown += _wrap(site.text, 2, 6)
        for role, call in calls:
            if not (role == "if" and site.shows_when):
                shown += _wrap(f"{role}: {call.describe(wf.lang)}", 6, 8)
    if extra:
        lines += ["", *_heading(tr("Where the workflow uses it"), "-"), *extra]
    if kind != "source":  # a document is cited nearly everywhere: the summary below says where
        for title, shown in groups.items():
            lines += ["", *_heading(title, "-"), *shown]
    touched = _touched(wf, kind, name, used)
    if touched:
        lines += ["", *_heading(tr("Cited by") if kind == "source" else tr("What it touches"), "-")]
        for what, names in touched.items():
            lines.extend(_wrap(f"{what}: {', '.join(names)}", 2, 4))
    return "\n".join(lines).rstrip("\n") + "\n"


def _group(site: _Site, calls: list[tuple[str, Bound]], kind: str, name: str, tr: Callable[..., str]) -> str:
    """The heading a place is listed under: for a state, how a case gets there, leaves or is tested."""
    if kind != "state" or calls or site.event is None:
        return tr("Rules that test whether a case is in it") if kind == "state" else tr("Where the workflow uses it")
    if site.to == name and name not in site.states - {name}:
        return tr("How a case gets here")
    if site.to is None or site.to == name:
        return tr("Events recorded here without leaving the state")
    return tr("How a case leaves it (event, and the state it leads to)")


def _kind_word(kind: str, lang: str) -> str:
    """What kind of thing an id names, for the heading of `explain`."""
    tr = translator(lang)
    words = {
        "parameter": tr("parameter (a rule whose value changed over time)"),
        "deadline": tr("deadline"),
        "entitlement": tr("entitlement"),
        "state": tr("state"),
        "track": tr("track (one side of a case, running alongside the others)"),
        "event": tr("event"),
        "decision": tr("modelling decision (a choice the sources do not make)"),
        "table": tr("table"),
        "outcome": tr("outcome"),
        "error": tr("error code"),
        "source": tr("source document"),
    }
    return words[kind]


def _touched(wf: CompiledWorkflow, kind: str, name: str, used: list[tuple[_Site, list[tuple[str, Bound]]]]):
    """The events, states, deadlines, entitlements and parameters of the places that use the name."""
    found: dict[str, list[str]] = {k: [] for k in ("events", "states", "deadlines", "entitlements", "parameters")}

    def add(group: str, item: str) -> None:
        if item not in found[group] and not (group[:-1] == kind and item == name):
            found[group].append(item)

    for site, calls in used:
        if site.event:
            add("events", site.event)
        for state in sorted(site.states):
            add("states", state)
        if site.entitlement:
            add("entitlements", site.entitlement)
        for _, call in calls or site.calls:
            for ref_kind, ref in call.args.refs():
                if ref_kind in ("deadline", "parameter"):
                    add(ref_kind + "s", ref)
    if kind in ("state", "source"):  # every deadline set on the way would drown what matters
        found = {k: v for k, v in found.items() if k in ("events", "entitlements", "parameters", "deadlines")}
        if kind == "state":
            found = {
                "events": found["events"],
                "entitlements": found["entitlements"],
                "states": sorted({s for site, _ in used for s in site.states} - {name}),
            }
    return {k: v for k, v in found.items() if v}


def _structural_uses(spec: Workflow, kind: str, name: str) -> list[str]:
    """Uses outside guards and actions: expiry events, limits, caps, assumptions, citations."""
    out: list[str] = []
    if kind in ("deadline", "event"):
        for did, d in spec.deadlines.items():
            if d.on_expiry and (d.on_expiry == name if kind == "event" else did == name):
                out += _wrap(f"when the deadline {did} passes, the event {d.on_expiry} happens by itself", 2, 6)
    if kind == "event":
        for event, age in spec.person.age_events.items():
            if event == name:
                out += _wrap(f"happens by itself on the person's birthday at age {age}", 2, 6)
    if kind == "deadline":
        for later, earlier in spec.limits.items():
            if name in (later, earlier):
                out += _wrap(f"limit checked by `casepath explore`: {later} is never later than {earlier}", 2, 6)
        for eid, e in spec.entitlements.items():
            if e.ends_with_deadline == name:
                out += _wrap(f"entitlement {eid} ends at this deadline at the latest", 2, 6)
    if kind == "decision":
        for did, d in spec.deadlines.items():
            if name in d.assumes:
                out += _wrap(f"deadline {did}: every report that sets it lists this assumption", 2, 6)
        for pid, p in spec.parameters.items():
            if any(c.decision == name for e in p.history for c in e.sources):
                out += _wrap(f"parameter {pid} cites it", 2, 6)
    if kind == "source":
        for pid, p in spec.parameters.items():
            if any(c.doc == name for e in p.history for c in e.sources):
                out += _wrap(f"parameter {pid} cites it", 2, 6)
        for did, d in spec.deadlines.items():
            if any(c.doc == name for c in d.sources):
                out += _wrap(f"deadline {did} cites it", 2, 6)
    if kind == "outcome":
        for track, t in spec.tracks.items():
            for sid, s in t.states.items():
                if s.outcome == name:
                    out += _wrap(f"reached in the state {track}.{sid} ({s.label})", 2, 6)
        if name in spec.negative_outcomes:
            out += _wrap("a negative outcome: no victim-only event is accepted after it", 2, 6)
        if name in spec.ending_outcomes:
            out += _wrap("an ending outcome: the person has left, entitlements stop", 2, 6)
    return out


# ---------------------------------------------------------------- what each kind of id is


def _history_lines(spec: Workflow, history: list[ParameterValue], lang: str = ENGLISH) -> list[str]:
    lines: list[str] = []
    base = sorted((e for e in history if e.variant is None), key=lambda e: e.from_ or date.min)
    for entry in [*base, *(e for e in history if e.variant is not None)]:
        if entry.variant is not None:
            when = f"variant '{entry.variant}' (only with --variant {entry.variant})"
        else:
            when = _since(entry).replace("since 1", "from 1").replace("since 2", "from 2")
        lines += _wrap(f"{value_text(entry.value, lang)}, {when}", 2, 4)
        if entry.certainty == "assumed" and entry.variant is None and entry.from_ is not None:
            bounds = [f"earliest possible: {entry.not_before}" if entry.not_before else ""]
            bounds.append(f"a source confirms the value from {entry.certain_from}" if entry.certain_from else "")
            bounds = [b for b in bounds if b]
            if bounds:
                lines += _wrap("Date: " + "; ".join(bounds), 4, 6)
        if entry.note:
            lines += _wrap(("Assumed: " if entry.certainty == "assumed" else "Note: ") + entry.note, 4, 6)
        lines += _wrap(_shorten(spec, cites(spec, entry.sources), lang), 4, 6)
    return lines


def _parameter(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    spec = wf.spec
    param = spec.parameters[name]
    lines = _wrap(param.meaning, 2)
    lines += ["", *_heading(translate("History of its values (oldest first)", wf.lang), "-")]
    lines += _history_lines(spec, param.history, wf.lang)
    return param.label, lines


def _deadline(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    spec = wf.spec
    d = spec.deadlines[name]
    lines = _wrap(d.meaning, 2)
    if d.assumes:
        labels = [f"{a} ({spec.decisions[a].label})" for a in d.assumes]
        lines += _wrap("Assumes: " + "; ".join(labels), 2, 4)
    if d.closed_day_warning:
        lines += _wrap("When it falls on a weekend or public holiday, reports say so.", 2, 4)
    lines += _wrap(_shorten(spec, cites(spec, d.sources), wf.lang), 2, 4)
    return d.label, lines


def _entitlement(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    spec = wf.spec
    e = spec.entitlements[name]
    lines = _wrap(e.meaning, 2)
    lines.append("")
    lines += _heading(translate("When it applies (any one ground suffices)", wf.lang), "-")
    rule = next(r for r in wf.entitlements if r.id == name)
    for number, (guards, citations) in enumerate(rule.bases, start=1):
        lines += _wrap(f"{number}. " + "; and ".join(g.describe(wf.lang) for g in guards), 2, 5)
        lines += _wrap(_shorten(spec, cites(spec, citations), wf.lang), 5, 7)
    if e.ends_with_deadline:
        lines += _wrap(f"It ends at the deadline {e.ends_with_deadline} at the latest.", 2, 4)
    return e.label, lines


def _state(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    spec = wf.spec
    track, state = name.split(".", 1)
    s = spec.tracks[track].states[state]
    lines = _wrap(s.meaning, 2) if s.meaning else []
    lines += _wrap(f"A state of the track {track} ({spec.tracks[track].label}).", 2, 4)
    if s.tags:
        lines += _wrap("Tags (groups of states that rules refer to): " + ", ".join(s.tags), 2, 4)
    if s.final:
        lines += _wrap("A final state: the track ends here.", 2, 4)
    if s.outcome:
        lines += _wrap(f"Outcome of the case: {s.outcome} ({spec.outcomes[s.outcome]})", 2, 4)
    return s.label, lines


def _track(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    spec = wf.spec
    t = spec.tracks[name]
    lines = _wrap(t.meaning, 2) if t.meaning else []
    if t.main:
        lines += _wrap("The main track: its state gives the case's outcome.", 2, 4)
    lines += _wrap("States: " + ", ".join(f"{s} ({st.label})" for s, st in t.states.items()), 2, 4)
    events = [e for e, es in spec.events.items() if es.track == name]
    lines += _wrap("Its own events: " + ", ".join(events), 2, 4)
    return t.label, lines


def _event(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    spec = wf.spec
    e = spec.events[name]
    lines = _wrap(e.meaning, 2) if e.meaning else []
    lines += _wrap(f"Happens on the track {e.track} ({spec.tracks[e.track].label}).", 2, 4)
    if e.automatic:
        lines += _wrap("Automatic: casepath takes this step itself when its time comes; a scenario cannot.", 2, 4)
    if e.victim_only:
        lines += _wrap("Only for a person identified as a victim.", 2, 4)
    for fname, f in e.fields.items():
        what = f"{f.label}; " if f.label else ""
        kinds = f"one of {', '.join(f.values)}" if f.values else f.type + (f" ({f.unit})" if f.unit else "")
        lines += _wrap(f"Field {fname}: {what}{kinds}" + ("; required" if f.required else ""), 2, 4)
    for transition in spec.transitions:
        if transition.event == name and transition.note:
            lines += _wrap("Note: " + transition.note, 2, 4)
    return e.label, lines


def _decision(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    d = wf.spec.decisions[name]
    return d.label, _wrap(d.note, 2) + _wrap("Reports that rely on it list it under their assumptions.", 2)


def _table(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    spec = wf.spec
    t = spec.tables[name]
    lines = [f"  {key:<24} {value}" for key, value in t.rows.items()]
    return t.label, lines + _wrap(_shorten(spec, cites(spec, t.sources), wf.lang), 2, 4)


def _outcome(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    return wf.spec.outcomes[name], []


def _error(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    return wf.spec.errors[name], _wrap("A scenario that breaks this rule stops with this error code.", 2)


def _source(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    doc = wf.spec.sources[name]
    lines = _wrap(f"Describes {doc.describes}.", 2)
    if doc.short:
        lines += _wrap(f"Reports call it: {doc.short}", 2)
    if doc.note:
        lines += _wrap(doc.note, 2)
    return doc.title, lines


_DESCRIBERS = {
    "parameter": _parameter,
    "deadline": _deadline,
    "entitlement": _entitlement,
    "state": _state,
    "track": _track,
    "event": _event,
    "decision": _decision,
    "table": _table,
    "outcome": _outcome,
    "error": _error,
    "source": _source,
}
