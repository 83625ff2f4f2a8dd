"""`casepath explain TERM`: one thing of a workflow in plain words — what it means, since when, from
which source, and which events, deadlines and entitlements it touches.

TERM may be an id (`reflection_period`, `pathway.extended`), a label or a word of a label in any
language the workflow is translated into (`refleksionsperiode`, `"reflection period"`,
`udrejsefrist`), in any case; a term several things share shows each. Without a term, `listing`
says what can be explained. The text uses the workflow's labels, never its ids: a trainer reads it
to a class. The places that use a thing are found by walking the compiled workflow, through the
names each guard and action says it uses (`registry.Args.refs`) and the state sets of state
guards. Nothing here knows one country from another.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from casepath.citations import cites
from casepath.locale import ENGLISH, translator
from casepath.problems import InputProblem
from casepath.rulesview import _heading, _shorten, _wrap
from casepath.status import word
from casepath.wording import value_text
from casepath.workflow.compiled import Bound, CompiledWorkflow
from casepath.workflow.spec import ParameterValue, Workflow

KINDS = (
    "parameter",
    "deadline",
    "entitlement",
    "state",
    "decision",
    "event",
    "track",
    "outcome",
    "table",
    "error",
    "source",
)


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
    short: str = ""  # a transition seen from a state it leaves: the event and where it leads


# ---------------------------------------------------------------- ids in words


def _quoted(text: str) -> str:
    return f"“{text}”"


class _Words:
    """The labels of a workflow's ids, and a translator that puts them into the registry's sentences.

    The registry describes a guard or an action with its ids ("the pathway track is in
    proceedings_stay"); called through this translator, each id becomes its label ("the “Stay and
    pathway” track is in “Staying for the criminal proceedings”")."""

    def __init__(self, wf: CompiledWorkflow, event: str | None = None) -> None:
        self.wf, self.spec, self.event = wf, wf.spec, event
        self.tr = translator(wf.lang)

    def state(self, name: str, track: str | None = None) -> str:
        track, _, state = name.rpartition(".") if "." in name else (track or "", "", name)
        for tname, tspec in self.spec.tracks.items():
            if (not track or tname == track) and state in tspec.states:
                return tspec.states[state].label
        return name

    def fact(self, name: str) -> str:
        person = self.spec.person.fields.get(name)
        if person is not None:
            label = person.label or name.replace("_", " ")
            return label[:1].lower() + label[1:] if label[1:2].islower() else label
        for event, spec in self.spec.events.items():  # a fact copied from an event's field
            for tracks in self.wf.by_event.get(event, {}).values():
                for t in tracks:
                    for action in t.do:
                        args: Any = action.args
                        if getattr(args, "fact", None) == name and getattr(args, "from_field", None):
                            label = spec.fields[args.from_field].label or args.from_field
                            return self.tr("{field} ({event})", field=label, event=spec.label)
        return name.replace("_", " ")

    def _field(self, name: str) -> Any:
        events = [self.event] if self.event else list(self.spec.events)
        for event in events:
            found = self.spec.events[event].fields.get(name) if event in self.spec.events else None
            if found is not None:
                return found
        return None

    def _values(self, text: str, owner: Any) -> str:
        said = {"true": self.tr("yes"), "false": self.tr("no")}
        return ", ".join(said.get(v) or (owner.value_label(v) if owner is not None else v) for v in text.split(", "))

    def __call__(self, template: str, /, **values: Any) -> str:
        spec, tr = self.spec, self.tr
        if template == "any state tagged {tag}":
            tagged = [s.label for t in spec.tracks.values() for s in t.states.values() if values["tag"] in s.tags]
            return tr("any of {states}", states=", ".join(map(_quoted, tagged)))
        shown = dict(values)
        for key, value in values.items():
            text = str(value)
            if key == "track" and text in spec.tracks:
                shown[key] = _quoted(spec.tracks[text].label)
            elif key == "what" and values.get("track") in spec.tracks:
                states = spec.tracks[values["track"]].states
                shown[key] = ", ".join(_quoted(states[s].label) if s in states else s for s in text.split(", "))
            elif key == "deadline" and text in spec.deadlines:
                shown[key] = _quoted(spec.deadlines[text].label)
            elif key == "parameter" and text in spec.parameters:
                shown[key] = _quoted(spec.parameters[text].label)
            elif key == "decision" and text in spec.decisions:
                shown[key] = _quoted(spec.decisions[text].label)
            elif key == "table" and text in spec.tables:
                shown[key] = _quoted(spec.tables[text].label)
            elif key == "fact":
                shown[key] = self.fact(text)
            elif key == "field":
                owner = self._field(text)
                shown[key] = owner.label if owner is not None and owner.label else text.replace("_", " ")
            elif key == "status":
                shown[key] = word(text, self.wf.lang) if text in ("ended", "cancelled", "met", "replaced") else text
        if "values" in values:
            owner = spec.person.fields.get(values.get("fact", "")) if "fact" in values else self._field(values["field"])
            shown["values"] = self._values(str(values["values"]), owner)
        return tr(template, **shown)

    def call(self, bound: Bound) -> str:
        """A guard or an action in words, its ids as labels."""
        return bound.entry.describe(bound.args, self)


def plain(wf: CompiledWorkflow, bound: Bound) -> str:
    """A guard or an action in words, with labels for its ids ("residence status is asylum seeker")."""
    return _Words(wf).call(bound)


# ---------------------------------------------------------------- the places that use names


def _sites(wf: CompiledWorkflow) -> list[_Site]:
    spec = wf.spec
    tr = translator(wf.lang)
    sites: list[_Site] = []
    for event, tracks in wf.by_event.items():
        words = _Words(wf, event)
        for track, transitions in tracks.items():
            states = spec.tracks[track].states
            for t in transitions:
                froms = sorted(t.sources, key=list(states).index)
                where = ", ".join(_quoted(states[s].label) for s in froms)
                if t.to:
                    text = tr(
                        "{event}: from {states} to {target}",
                        event=_quoted(spec.events[event].label),
                        states=where,
                        target=_quoted(states[t.to].label),
                    )
                else:
                    text = tr("{event}: recorded in {states}", event=_quoted(spec.events[event].label), states=where)
                if t.when:
                    text += ", " + tr("if {conditions}", conditions=tr(" and ").join(words.call(b) for b in t.when))
                site = _Site(
                    text=text,
                    to=f"{track}.{t.to}" if t.to else None,
                    shows_when=True,
                    event=event,
                    track=track,
                    states={f"{track}.{s}" for s in froms} | ({f"{track}.{t.to}"} if t.to else set()),
                )
                if t.to:
                    site.short = tr(
                        "{event}: to {target}",
                        event=_quoted(spec.events[event].label),
                        target=_quoted(states[t.to].label),
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
            text = tr("a check on every {event}", event=_quoted(spec.events[event].label))
            site = _Site(text=text, event=event, track=spec.events[event].track)
            site.calls += [("check", c.guard) for c in checks]
            site.links |= {("error", c.error) for c in checks}
            sites.append(site)
    for refusal in wf.refusals:
        events = ", ".join(_quoted(spec.events[e].label) for e in sorted(refusal.events))
        site = _Site(text=tr("{events} refused: {error}", events=events, error=spec.errors.get(refusal.error, "")))
        site.calls += [("if", b) for b in refusal.when]
        site.links |= {("event", e) for e in refusal.events} | {("error", refusal.error)}
        site.links |= {("decision", c.decision) for c in refusal.sources if c.decision}
        site.links |= {("source", c.doc) for c in refusal.sources if c.doc}
        sites.append(site)
    for rule in wf.entitlements:
        for number, (guards, citations) in enumerate(rule.bases, start=1):
            label = _quoted(spec.entitlements[rule.id].label)
            site = _Site(text=tr("{entitlement}, ground {number}", entitlement=label, number=number))
            site.entitlement = rule.id
            site.calls += [("if", b) for b in guards]
            site.links |= {("decision", c.decision) for c in citations if c.decision}
            site.links |= {("source", c.doc) for c in citations if c.doc}
            if rule.ends_with_deadline:
                site.links.add(("deadline", rule.ends_with_deadline))
            sites.append(site)
    for (track, state), actions in wf.on_enter.items():
        if actions:
            label = _quoted(spec.tracks[track].states[state].label)
            site = _Site(text=tr("on entering {state}", state=label), track=track, states={f"{track}.{state}"})
            site.calls += [("does", b) for b in actions]
            sites.append(site)
    for track, choices in wf.initial.items():
        for state, guards in choices:
            if guards:
                label = _quoted(spec.tracks[track].states[state].label)
                site = _Site(text=tr("a case starts in {state}", state=label), track=track)
                site.states = {f"{track}.{state}"}
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


# ---------------------------------------------------------------- finding what a term names


def _things(spec: Workflow) -> list[tuple[str, str, str]]:
    """(kind, full name, label) of everything `explain` can explain, in the order of KINDS."""
    out: list[tuple[str, str, str]] = []
    out += [("parameter", n, p.label) for n, p in spec.parameters.items()]
    out += [("deadline", n, d.label) for n, d in spec.deadlines.items()]
    out += [("entitlement", n, e.label) for n, e in spec.entitlements.items()]
    out += [("state", f"{t}.{s}", st.label) for t, ts in spec.tracks.items() for s, st in ts.states.items()]
    out += [("decision", n, d.label) for n, d in spec.decisions.items()]
    out += [("event", n, e.label) for n, e in spec.events.items()]
    out += [("track", n, t.label) for n, t in spec.tracks.items()]
    out += [("outcome", n, meaning) for n, meaning in spec.outcomes.items()]
    out += [("table", n, t.label) for n, t in spec.tables.items()]
    out += [("error", n, text) for n, text in spec.errors.items()]
    out += [("source", n, d.short or d.title) for n, d in spec.sources.items()]
    return out


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def find(ident: str, workflows: list[CompiledWorkflow]) -> list[tuple[str, str]]:
    """What a term names: (kind, full name) pairs, found by id, then by a whole label, then by a label
    that begins with the term, then by a label that holds it as a word — in every language given.
    An input problem, with the closest ids and labels, when nothing matches."""
    spec = workflows[0].spec
    term = _norm(ident)
    ids: dict[str, list[tuple[str, str]]] = {}
    for kind, name, _ in _things(spec):
        ids.setdefault(name.casefold(), []).append((kind, name))
        if kind == "state":
            ids.setdefault(name.split(".", 1)[1].casefold(), []).append((kind, name))
    if ident.strip().casefold() in ids:
        return ids[ident.strip().casefold()]
    labelled = [(kind, name, _norm(label)) for wf in workflows for kind, name, label in _things(wf.spec)]
    for test in (
        lambda label: label == term,
        lambda label: label.startswith(term + " "),
        lambda label: f" {term} " in f" {label} ",
    ):
        found = list(dict.fromkeys((kind, name) for kind, name, label in labelled if term and test(label)))
        if found:
            return found
    words = sorted({label for _, _, label in labelled} | set(ids))
    close = difflib.get_close_matches(ident.strip().casefold(), words, n=3, cutoff=0.6)
    hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    raise InputProblem(
        f"{ident!r} is not a term or id of the workflow {spec.id!r}{hint}; `casepath explain` lists them"
    )


def explain(wf: CompiledWorkflow, ident: str, also: list[CompiledWorkflow] | None = None) -> str:
    """What a term or id names, in plain words: what it means, since when, from which sources, and
    what it touches. `also`: the same workflow in other languages, whose labels are found too."""
    matches = find(ident, [wf, *(also or [])])
    sites = _sites(wf)
    if len(matches) > 8:
        tr = translator(wf.lang)
        labels = "; ".join(_label_of(wf.spec, kind, name) for kind, name in matches)
        return tr("{count} things match {term}: {labels}", count=len(matches), term=_quoted(ident), labels=labels)
    return "\n\n".join(_explain_one(wf, sites, kind, name, len(matches)) for kind, name in matches)


def _label_of(spec: Workflow, kind: str, name: str) -> str:
    return next(label for k, n, label in _things(spec) if (k, n) == (kind, name))


def listing(wf: CompiledWorkflow) -> str:
    """What `explain` can explain, grouped, each by its label (which `explain` takes as it is)."""
    tr = translator(wf.lang)
    groups = {
        "parameter": tr("Rules (values that changed over time)"),
        "deadline": tr("Deadlines"),
        "entitlement": tr("Entitlements"),
        "state": tr("States of a case"),
        "decision": tr("Modelling decisions (choices the sources do not make)"),
        "event": tr("Events"),
    }
    lines = _heading(tr("What casepath explain can explain: {title}", title=wf.spec.title))
    lines += _wrap(
        tr(
            'Give a label, a word of it, or its id: casepath explain "{example}"',
            example=_things(wf.spec)[0][2].lower(),
        ),
        0,
    )
    things = _things(wf.spec)
    for kind, heading in groups.items():
        labels = [label for k, _, label in things if k == kind]
        if kind == "state":
            labels = []
            for tspec in wf.spec.tracks.values():
                labels += [f"{s.label} ({tspec.label})" for s in tspec.states.values()]
        if labels:
            lines += ["", *_heading(heading, "-"), *(f"  {label}" for label in labels)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- one thing


def _explain_one(wf: CompiledWorkflow, sites: list[_Site], kind: str, name: str, of: int) -> str:
    tr = translator(wf.lang)
    label, body = _DESCRIBERS[kind](wf, name)
    lines = _heading(label)
    what = _kind_word(kind, wf.lang)
    if of > 1:
        what += " " + tr("(one of {count} things this term names)", count=of)
    lines.append(what)
    if body:
        lines += ["", *body]
    used = [(site, *_site_mentions(site, kind, name)) for site in sites]
    used = [(site, calls) for site, hit, calls in used if hit]
    extra = _structural_uses(wf, kind, name)
    words = _Words(wf)
    groups: dict[str, list[str]] = {tr("Where the workflow uses it"): extra} if extra else {}
    for site, calls in used:
        heading = _group(site, calls, kind, name, tr)
        shown = groups.setdefault(heading, [])
        leaves = heading == tr("How a case leaves it (event, and the state it leads to)")
        text = site.short if leaves and site.short else site.text
        if leaves and any(line.strip() == text for line in shown):
            continue  # the same event to the same state, from another state
        shown += _wrap(text, 2, 6)
        for role, call in calls:
            if not (role == "if" and site.shows_when):
                said = _Words(wf, site.event).call(call) if site.event else words.call(call)
                shown += _wrap(_role(role, tr) + said, 6, 8)
    for heading, shown in groups.items():
        # a document is cited nearly everywhere: the summary below says where
        if kind != "source" or (heading == tr("Where the workflow uses it") and shown is extra):
            lines += ["", *_heading(heading, "-"), *shown]
    touched = _touched(wf, kind, name, used)
    if touched:
        lines += ["", *_heading(tr("Cited by") if kind == "source" else tr("What it touches"), "-")]
        for group, labels in touched.items():
            lines.extend(_wrap(f"{group}: {'; '.join(labels)}", 2, 4))
    return "\n".join(lines).rstrip("\n") + "\n"


def _role(role: str, tr: Callable[..., str]) -> str:
    return {"if": tr("if: "), "check": tr("checks: "), "does": tr("then: ")}[role]


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
    """What kind of thing a term names, under the heading of `explain`."""
    tr = translator(lang)
    words = {
        "parameter": tr("A rule whose value changed over time."),
        "deadline": tr("A deadline."),
        "entitlement": tr("An entitlement: help or a right the person has while its grounds hold."),
        "state": tr("A state a case can be in."),
        "track": tr("A track: one side of a case, running alongside the others."),
        "event": tr("An event: something that happens in a case."),
        "decision": tr("A modelling decision: a choice the sources do not make."),
        "table": tr("A table of the workflow."),
        "outcome": tr("An outcome: how a case can end."),
        "error": tr("A rule a scenario can break."),
        "source": tr("A source document."),
    }
    return words[kind]


def _touched(wf: CompiledWorkflow, kind: str, name: str, used: list[tuple[_Site, list[tuple[str, Bound]]]]):
    """The events, states, deadlines, entitlements and rules of the places that use the name, by label."""
    spec = wf.spec
    tr = translator(wf.lang)
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
    words = _Words(wf)
    label = {
        "events": lambda n: spec.events[n].label,
        "states": words.state,
        "deadlines": lambda n: spec.deadlines[n].label,
        "entitlements": lambda n: spec.entitlements[n].label,
        "parameters": lambda n: spec.parameters[n].label,
    }
    heading = {
        "events": tr("Events"),
        "states": tr("States"),
        "deadlines": tr("Deadlines"),
        "entitlements": tr("Entitlements"),
        "parameters": tr("Rules"),
    }
    return {heading[k]: list(dict.fromkeys(label[k](n) for n in v)) for k, v in found.items() if v}


def _structural_uses(wf: CompiledWorkflow, kind: str, name: str) -> list[str]:
    """Uses outside guards and actions: expiry events, limits, caps, assumptions, citations."""
    spec = wf.spec
    tr = translator(wf.lang)
    words = _Words(wf)
    out: list[str] = []

    def deadline(n: str) -> str:
        return _quoted(spec.deadlines[n].label)

    def event(n: str) -> str:
        return _quoted(spec.events[n].label)

    if kind in ("deadline", "event"):
        for did, d in spec.deadlines.items():
            if d.on_expiry and (d.on_expiry == name if kind == "event" else did == name):
                text = tr(
                    "when {deadline} passes, {event} happens by itself",
                    deadline=deadline(did),
                    event=event(d.on_expiry),
                )
                out += _wrap(text, 2, 6)
    if kind == "event":
        for ev, age in spec.person.age_events.items():
            if ev == name:
                out += _wrap(tr("happens by itself on the person's birthday at age {age}", age=age), 2, 6)
    if kind == "deadline":
        for later, earlier in spec.limits.items():
            if name in (later, earlier):
                text = tr(
                    "{later} is never later than {earlier} (checked by casepath explore)",
                    later=deadline(later),
                    earlier=deadline(earlier),
                )
                out += _wrap(text, 2, 6)
        for e in spec.entitlements.values():
            if e.ends_with_deadline == name:
                out += _wrap(
                    tr("{entitlement} ends at this deadline at the latest", entitlement=_quoted(e.label)), 2, 6
                )
    if kind == "decision":
        for did, d in spec.deadlines.items():
            if name in d.assumes:
                text = tr("{deadline}: every report that sets it lists this assumption", deadline=deadline(did))
                out += _wrap(text, 2, 6)
        for p in spec.parameters.values():
            if any(c.decision == name for e in p.history for c in e.sources):
                out += _wrap(tr("the rule {rule} cites it", rule=_quoted(p.label)), 2, 6)
    if kind == "source":
        for p in spec.parameters.values():
            if any(c.doc == name for e in p.history for c in e.sources):
                out += _wrap(tr("the rule {rule} cites it", rule=_quoted(p.label)), 2, 6)
        for did, d in spec.deadlines.items():
            if any(c.doc == name for c in d.sources):
                out += _wrap(tr("the deadline {deadline} cites it", deadline=deadline(did)), 2, 6)
    if kind == "outcome":
        for track, t in spec.tracks.items():
            for sid, s in t.states.items():
                if s.outcome == name:
                    out += _wrap(tr("reached in the state {state}", state=_quoted(words.state(sid, track))), 2, 6)
        if name in spec.negative_outcomes:
            out += _wrap(tr("a negative outcome: no victim-only event is accepted after it"), 2, 6)
        if name in spec.ending_outcomes:
            out += _wrap(tr("an ending outcome: the person has left, entitlements stop"), 2, 6)
    return out


# ---------------------------------------------------------------- what each kind of thing is


def _since(entry: ParameterValue, lang: str) -> str:
    tr = translator(lang)
    if entry.variant is not None:
        return tr("in the variant {name} (only with --variant {name})", name=entry.variant)
    if entry.from_ is None:
        return tr("since before the sources' time")
    since = tr("from {date}", date=entry.from_.isoformat())
    return since + (" " + tr("(date assumed)") if entry.certainty == "assumed" else "")


def _history_lines(spec: Workflow, history: list[ParameterValue], lang: str = ENGLISH) -> list[str]:
    tr = translator(lang)
    lines: list[str] = []
    base = sorted((e for e in history if e.variant is None), key=lambda e: e.from_ or date.min)
    for entry in [*base, *(e for e in history if e.variant is not None)]:
        lines += _wrap(f"{value_text(entry.value, lang)}, {_since(entry, lang)}", 2, 4)
        if entry.certainty == "assumed" and entry.variant is None and entry.from_ is not None:
            bounds = [tr("earliest possible: {date}", date=entry.not_before) if entry.not_before else ""]
            bounds.append(
                tr("a source confirms the value from {date}", date=entry.certain_from) if entry.certain_from else ""
            )
            bounds = [b for b in bounds if b]
            if bounds:
                lines += _wrap(tr("Date: {bounds}", bounds="; ".join(bounds)), 4, 6)
        if entry.note:
            lines += _wrap(
                tr("Assumed: {text}" if entry.certainty == "assumed" else "Note: {text}", text=entry.note), 4, 6
            )
        lines += _wrap(_shorten(spec, cites(spec, entry.sources, lang, with_address=True), lang), 4, 6)
    return lines


def _parameter(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    spec = wf.spec
    param = spec.parameters[name]
    tr = translator(wf.lang)
    lines = _wrap(param.meaning, 2)
    lines += ["", *_heading(tr("Since when, and from which source (oldest first)"), "-")]
    lines += _history_lines(spec, param.history, wf.lang)
    return param.label, lines


def _deadline(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    spec = wf.spec
    tr = translator(wf.lang)
    d = spec.deadlines[name]
    lines = _wrap(d.meaning, 2)
    if d.assumes:
        labels = "; ".join(spec.decisions[a].label for a in d.assumes)
        lines += _wrap(tr("Assumes (modelling decisions): {labels}", labels=labels), 2, 4)
    if d.closed_day_warning:
        lines += _wrap(tr("When it falls on a weekend or public holiday, reports say so."), 2, 4)
    lines += _wrap(_shorten(spec, cites(spec, d.sources, wf.lang, with_address=True), wf.lang), 2, 4)
    return d.label, lines


def _entitlement(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    spec = wf.spec
    tr = translator(wf.lang)
    words = _Words(wf)
    e = spec.entitlements[name]
    lines = _wrap(e.meaning, 2)
    lines.append("")
    lines += _heading(tr("When it applies (any one ground suffices)"), "-")
    rule = next(r for r in wf.entitlements if r.id == name)
    for number, (guards, citations) in enumerate(rule.bases, start=1):
        lines += _wrap(f"{number}. " + tr(" and ").join(words.call(g) for g in guards), 2, 5)
        lines += _wrap(_shorten(spec, cites(spec, citations, wf.lang, with_address=True), wf.lang), 5, 7)
    if e.ends_with_deadline:
        text = tr("It ends at {deadline} at the latest.", deadline=_quoted(spec.deadlines[e.ends_with_deadline].label))
        lines += _wrap(text, 2, 4)
    return e.label, lines


def _state(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    spec = wf.spec
    tr = translator(wf.lang)
    track, state = name.split(".", 1)
    s = spec.tracks[track].states[state]
    lines = _wrap(s.meaning, 2) if s.meaning else []
    lines += _wrap(tr("A state of the track {track}.", track=_quoted(spec.tracks[track].label)), 2, 4)
    if s.final:
        lines += _wrap(tr("A final state: the track ends here."), 2, 4)
    if s.outcome:
        lines += _wrap(tr("Outcome of the case: {outcome}", outcome=spec.outcomes[s.outcome]), 2, 4)
    return s.label, lines


def _track(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    spec = wf.spec
    tr = translator(wf.lang)
    t = spec.tracks[name]
    lines = _wrap(t.meaning, 2) if t.meaning else []
    if t.main:
        lines += _wrap(tr("The main track: its state gives the case's outcome."), 2, 4)
    lines += _wrap(tr("States: {list}", list="; ".join(st.label for st in t.states.values())), 2, 4)
    events = [es.label for es in spec.events.values() if es.track == name]
    lines += _wrap(tr("Its own events: {list}", list="; ".join(events)), 2, 4)
    return t.label, lines


def _event(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    spec = wf.spec
    tr = translator(wf.lang)
    e = spec.events[name]
    lines = _wrap(e.meaning, 2) if e.meaning else []
    lines += _wrap(tr("Happens on the track {track}.", track=_quoted(spec.tracks[e.track].label)), 2, 4)
    if e.automatic:
        lines += _wrap(tr("Automatic: casepath takes this step itself when its time comes; a scenario cannot."), 2, 4)
    if e.victim_only:
        lines += _wrap(tr("Only for a person identified as a victim."), 2, 4)
    for fname, f in e.fields.items():
        shown = f.label or fname.replace("_", " ")
        if f.values:
            text = tr(
                "It says {field}: one of {values}",
                field=_quoted(shown),
                values="; ".join(f.value_label(v) for v in f.values),
            )
        else:
            text = tr("It says {field}", field=_quoted(shown))
        lines += _wrap(text + ("" if f.required else " " + tr("(optional)")), 2, 4)
    for transition in spec.transitions:
        if transition.event == name and transition.note:
            lines += _wrap(tr("Note: {text}", text=transition.note), 2, 4)
    return e.label, lines


def _decision(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    d = wf.spec.decisions[name]
    tr = translator(wf.lang)
    return d.label, _wrap(d.note, 2) + _wrap(tr("Reports that rely on it list it under their assumptions."), 2)


def _table(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    spec = wf.spec
    t = spec.tables[name]
    lines = [f"  {key.replace('_', ' '):<24} {value}" for key, value in t.rows.items()]
    return t.label, lines + _wrap(_shorten(spec, cites(spec, t.sources, wf.lang, with_address=True), wf.lang), 2, 4)


def _outcome(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    return wf.spec.outcomes[name], []


def _error(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    tr = translator(wf.lang)
    return wf.spec.errors[name], _wrap(tr("A scenario that breaks this rule stops there, with this error."), 2)


def _source(wf: CompiledWorkflow, name: str) -> tuple[str, list[str]]:
    doc = wf.spec.sources[name]
    tr = translator(wf.lang)
    lines = _wrap(tr("Describes {time}.", time=doc.describes), 2)
    if doc.describes_until and doc.describes_until < wf.spec.rules_known_until:
        text = tr("Rules cited only to it are shown as assumed still in force after {date}.", date=doc.describes_until)
        lines += _wrap(text, 2)
    if doc.url:
        lines += _wrap(tr("Address: {url}", url=doc.url), 2)
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
