"""`casepath explain ID`: one name of a workflow in plain words, with its history, sources and uses.

The id may be a parameter, deadline, entitlement, state, track, event, modelling decision,
table, outcome, error code or source document; an id several things share shows each. The
places that use a name are found by walking the compiled workflow, through the names each
guard and action says it uses (`registry.Args.refs`) and the state sets of state guards.
Nothing here knows one country from another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from casepath.citations import cites
from casepath.locale import ENGLISH, translate, translator
from casepath.messages import did_you_mean
from casepath.problems import InputProblem
from casepath.rulesview import _heading, _shorten, _since, _wrap, value_text
from casepath.workflow.compiled import Bound, CompiledWorkflow
from casepath.workflow.spec import ParameterValue, Workflow


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
        lines += _wrap(_shorten(spec, cites(spec, entry.sources, lang, with_address=True), lang), 4, 6)
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
    lines += _wrap(_shorten(spec, cites(spec, d.sources, wf.lang), wf.lang), 2, 4)
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
        lines += _wrap(_shorten(spec, cites(spec, citations, wf.lang), wf.lang), 5, 7)
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
    return t.label, lines + _wrap(_shorten(spec, cites(spec, t.sources, wf.lang), wf.lang), 2, 4)


def _outcome(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    return wf.spec.outcomes[name], []


def _error(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    return wf.spec.errors[name], _wrap("A scenario that breaks this rule stops with this error code.", 2)


def _source(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    doc = wf.spec.sources[name]
    lines = _wrap(f"Describes {doc.describes}.", 2)
    if doc.describes_until and doc.describes_until < wf.spec.rules_known_until:
        lines += _wrap(
            f"Rules cited only to it are shown as assumed still in force after {doc.describes_until}.", 2
        )
    if doc.url:
        lines += _wrap(f"Address: {doc.url}", 2)
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
