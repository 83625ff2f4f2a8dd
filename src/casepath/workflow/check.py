"""Checks that a workflow holds together, each failure naming its place in the file.

The typed models (spec.py) check each part's shape; this module checks the parts against
each other: every name used is defined, every guard and action is in the registry with
arguments of the right shape, every source cites a known document or decision, every state
can be reached and every non-final state can be left.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from casepath import holiday_table
from casepath.clock import LONGEST
from casepath.messages import did_you_mean
from casepath.problems import InputProblem
from casepath.visible import has_controls, visible
from casepath.workflow import registry
from casepath.workflow.reuse import set_cycle, set_entries
from casepath.workflow.spec import BUILTIN_ERRORS, IN_PROGRESS, NAME, Call, Citation, FieldSpec, Workflow
from casepath.yamlfile import Document

_NAME = re.compile(NAME)


class _Checker:
    def __init__(self, wf: Workflow, doc: Document) -> None:
        self.wf = wf
        self.doc = doc

    def fail(self, message: str, place: tuple) -> InputProblem:
        return self.doc.problem(message, place)

    # -------------------------------------------------------------- names
    def names(self) -> None:
        groups: list[tuple[str, dict[str, Any]]] = [
            ("sources", self.wf.sources),
            ("decisions", self.wf.decisions),
            ("outcomes", self.wf.outcomes),
            ("errors", self.wf.errors),
            ("parameters", self.wf.parameters),
            ("tables", self.wf.tables),
            ("tracks", self.wf.tracks),
            ("events", self.wf.events),
            ("deadlines", self.wf.deadlines),
            ("entitlements", self.wf.entitlements),
        ]
        for section, table in groups:
            for key in table:
                if section != "sources" and not _NAME.match(key):
                    raise self.fail(f"{key!r} is not a valid name (lower-case letters, digits and _)", (section, key))
        for track, spec in self.wf.tracks.items():
            for state in spec.states:
                if not _NAME.match(state):
                    raise self.fail(f"{state!r} is not a valid state name", ("tracks", track, "states", state))
        mains = [name for name, t in self.wf.tracks.items() if t.main]
        if len(mains) != 1:
            raise self.fail("exactly one track must be marked main: true (its state gives the outcome)", ("tracks",))

    # -------------------------------------------------------------- calendar and texts
    def calendar(self) -> None:
        country = self.wf.calendar.holidays
        if not holiday_table.known_country(country):
            raise self.fail(
                f"no public holidays are known for the country code {country!r} (a code of the holidays library, "
                "e.g. DK)",
                ("calendar", "holidays"),
            )

    def texts(self) -> None:
        """No control character in any text (a label could otherwise rewrite a report line on a
        terminal); names and labels on one line."""
        for place, text in _strings(self.doc.data, ()):
            key = place[-1] == "key"
            one_line = key or place[-1] in ("label", "title", "short")
            if has_controls(text.replace("\t", " ") if one_line else text.replace("\n", " ").replace("\t", " ")):
                where = place[:-1] if key else place
                raise self.fail(f"contains a control character ({visible(text)[:60]})", where)

    # -------------------------------------------------------------- citations
    def citations(self) -> None:
        passages = [(("passages", pid), cite) for pid, cite in self.wf.passages.items()]
        for place, cite in passages + list(_citations(self.wf)):
            if cite.doc is not None and cite.doc not in self.wf.sources:
                raise self.fail(f"unknown source document {cite.doc!r}{did_you_mean(cite.doc, self.wf.sources)}", place)
            if cite.decision is not None and cite.decision not in self.wf.decisions:
                raise self.fail(
                    f"unknown modelling decision {cite.decision!r}{did_you_mean(cite.decision, self.wf.decisions)}",
                    place,
                )

    # -------------------------------------------------------------- parameters
    def parameters(self) -> None:
        for name, param in self.wf.parameters.items():
            seen: set[tuple] = set()
            for index, entry in enumerate(param.history):
                key = (entry.variant, entry.from_)
                if key in seen:
                    raise self.fail("two values start on the same date", ("parameters", name, "history", index))
                seen.add(key)

    # -------------------------------------------------------------- states and events
    def tracks_and_events(self) -> None:
        outcomes = set(self.wf.outcomes) | {IN_PROGRESS}
        for tname, track in self.wf.tracks.items():
            for sname, state in track.states.items():
                place = ("tracks", tname, "states", sname)
                if state.outcome is not None and state.outcome not in outcomes:
                    raise self.fail(
                        f"unknown outcome {state.outcome!r}{did_you_mean(state.outcome, outcomes)}", (*place, "outcome")
                    )
                for i, call in enumerate(state.on_enter):
                    self.call(call, "action", (*place, "on_enter", i), event=None)
            self.state_sets(tname, track)
            tags = {t for s in track.states.values() for t in s.tags}
            for tag, actions in track.on_enter_tagged.items():
                place = ("tracks", tname, "on_enter_tagged", tag)
                if tag not in tags:
                    raise self.fail(
                        f"no state of the {tname} track carries the tag {tag!r}{did_you_mean(tag, tags)}", place
                    )
                for i, call in enumerate(actions):
                    self.call(call, "action", (*place, i), event=None)
            choices = [track.initial] if isinstance(track.initial, str) else [c.state for c in track.initial]
            for i, state_name in enumerate(choices):
                if state_name not in track.states:
                    raise self.fail(
                        f"unknown initial state {state_name!r}{did_you_mean(state_name, track.states)}",
                        ("tracks", tname, "initial") + (() if isinstance(track.initial, str) else (i,)),
                    )
            if not isinstance(track.initial, str):
                for i, choice in enumerate(track.initial):
                    for j, call in enumerate(choice.when):
                        self.call(call, "guard", ("tracks", tname, "initial", i, "when", j), event=None)
        automatic_sources = {d.on_expiry for d in self.wf.deadlines.values() if d.on_expiry}
        automatic_sources |= set(self.wf.person.age_events)
        for ename, event in self.wf.events.items():
            place = ("events", ename)
            if event.track not in self.wf.tracks:
                raise self.fail(
                    f"unknown track {event.track!r}{did_you_mean(event.track, self.wf.tracks)}", (*place, "track")
                )
            if event.automatic and ename not in automatic_sources:
                raise self.fail("an automatic event must be started by a deadline's on_expiry or an age event", place)
            for i, check in enumerate(event.checks):
                self.call(check, "guard", (*place, "checks", i), event=ename, error=check.error)
        for ename in automatic_sources:
            if ename not in self.wf.events or not self.wf.events[ename].automatic:
                where = next(
                    (("deadlines", d, "on_expiry") for d, s in self.wf.deadlines.items() if s.on_expiry == ename),
                    ("person", "age_events", ename),
                )
                raise self.fail(f"{ename!r} must be an event marked automatic: true", where)

    def state_sets(self, tname: str, track: Any) -> None:
        """Every entry of a state set is a state, `tag:TAG` or `set:NAME` of the track; no set includes itself."""
        tags = {t for s in track.states.values() for t in s.tags}
        for name, entries in track.state_sets.items():
            place = ("tracks", tname, "state_sets", name)
            if not _NAME.match(name):
                raise self.fail(
                    f"{name!r} is not a valid name for a state set (lower-case letters, digits and _)", place
                )
            if not entries:
                raise self.fail("a state set names at least one state", place)
            for i, entry in enumerate(entries):
                self.state_entry(entry, tname, track, tags, (*place, i), allow_any=False)
            cycle = set_cycle(track, name)
            if cycle:
                raise self.fail(f"the state set {name!r} includes itself ({' -> '.join(cycle)})", place)

    def state_entry(self, entry: str, tname: str, track: Any, tags: set[str], place: tuple, *, allow_any: bool) -> None:
        """One entry of a `from` list or a state set: a state, `tag:TAG`, `set:NAME` (or, in `from`, `any`)."""
        if entry == "any" and allow_any:
            return
        if entry.startswith("tag:"):
            if entry[4:] not in tags:
                raise self.fail(f"no state of the {tname} track carries the tag {entry[4:]!r}", place)
        elif entry.startswith("set:"):
            if entry[4:] not in track.state_sets:
                raise self.fail(
                    f"unknown state set {entry[4:]!r} of the {tname} track{did_you_mean(entry[4:], track.state_sets)}",
                    place,
                )
        elif entry not in track.states:
            raise self.fail(f"{entry!r} is not a state of the {tname} track{did_you_mean(entry, track.states)}", place)

    # -------------------------------------------------------------- transitions
    def transitions(self) -> None:
        for index, tr in enumerate(self.wf.transitions):
            place = ("transitions", index)
            if tr.event not in self.wf.events:
                raise self.fail(
                    f"unknown event {tr.event!r}{did_you_mean(tr.event, self.wf.events)}", (*place, "event")
                )
            track_name = tr.track or self.wf.events[tr.event].track
            if track_name not in self.wf.tracks:
                raise self.fail(
                    f"unknown track {track_name!r}{did_you_mean(track_name, self.wf.tracks)}", (*place, "track")
                )
            track = self.wf.tracks[track_name]
            states = track.states
            tags = {t for s in states.values() for t in s.tags}
            for i, source in enumerate(tr.from_):
                self.state_entry(source, track_name, track, tags, (*place, "from", i), allow_any=True)
            if tr.to is not None and tr.to not in states:
                raise self.fail(
                    f"{tr.to!r} is not a state of the {track_name} track{did_you_mean(tr.to, states)}", (*place, "to")
                )
            for i, call in enumerate(tr.when):
                self.call(call, "guard", (*place, "when", i), event=tr.event)
            for i, check in enumerate(tr.checks):
                self.call(check, "guard", (*place, "checks", i), event=tr.event, error=check.error)
            for i, call in enumerate(tr.do):
                self.call(call, "action", (*place, "do", i), event=tr.event)

    # -------------------------------------------------------------- deadlines, entitlements, refusals
    def rules(self) -> None:
        for name, spec in self.wf.deadlines.items():
            for i, decision in enumerate(spec.assumes):
                if decision not in self.wf.decisions:
                    raise self.fail(f"unknown modelling decision {decision!r}", ("deadlines", name, "assumes", i))
        for name, spec in self.wf.entitlements.items():
            if spec.ends_with_deadline and spec.ends_with_deadline not in self.wf.deadlines:
                raise self.fail(
                    f"unknown deadline {spec.ends_with_deadline!r}", ("entitlements", name, "ends_with_deadline")
                )
            for i, basis in enumerate(spec.applies):
                for j, call in enumerate(basis.when):
                    self.call(call, "guard", ("entitlements", name, "applies", i, "when", j), event=None)
        for index, refusal in enumerate(self.wf.refusals):
            place = ("refusals", index)
            self.error_code(refusal.error, (*place, "error"))
            for i, event in enumerate(refusal.events):
                if event not in self.wf.events:
                    raise self.fail(
                        f"unknown event {event!r}{did_you_mean(event, self.wf.events)}", (*place, "events", i)
                    )
            for i, call in enumerate(refusal.when):
                self.call(call, "guard", (*place, "when", i), event=None)

    def invariants(self) -> None:
        for name, limit in self.wf.limits.items():
            for i, ref in enumerate((name, limit)):
                if ref not in self.wf.deadlines:
                    raise self.fail(
                        f"unknown deadline {ref!r}{did_you_mean(ref, self.wf.deadlines)}",
                        ("limits", name) if i else ("limits",),
                    )
        for key in ("negative_outcomes", "ending_outcomes"):
            for i, outcome in enumerate(getattr(self.wf, key)):
                if outcome not in self.wf.outcomes:
                    raise self.fail(f"unknown outcome {outcome!r}{did_you_mean(outcome, self.wf.outcomes)}", (key, i))

    def error_code(self, code: str, place: tuple) -> None:
        known = set(self.wf.errors) | set(BUILTIN_ERRORS)
        if code not in known:
            raise self.fail(f"unknown error code {code!r}{did_you_mean(code, known)}", place)

    # -------------------------------------------------------------- one guard or action
    def call(self, call: Call, kind: str, place: tuple, *, event: str | None, error: str | None = None) -> None:
        table = registry.GUARDS if kind == "guard" else registry.ACTIONS
        name = getattr(call, kind)
        if name not in table:
            raise self.fail(
                f"unknown {kind} {name!r}{did_you_mean(name, table)}; a workflow can only name the "
                f"{kind}s of the engine's registry: {', '.join(sorted(table))}",
                (*place, kind),
            )
        if error is not None:
            self.error_code(error, (*place, "error"))
        args = {k: v for k, v in call.args.items() if k not in ("error", "message")}
        try:
            parsed = table[name].args.model_validate(args)
        except ValidationError as err:
            first = err.errors(include_url=False)[0]
            where = (*place, *[p for p in first["loc"] if isinstance(p, str | int)])
            detail = "unknown argument" if first["type"] == "extra_forbidden" else first["msg"]
            raise self.fail(f"{kind} {name}: {detail}", where) from None
        for ref_kind, ref in parsed.refs():
            self.reference(ref_kind, ref, place, event)
        for type_kind, ref in parsed.types():
            self.of_type(type_kind, ref, place, event)

    def reference(self, kind: str, name: str, place: tuple, event: str | None) -> None:
        wf = self.wf
        if kind == "fact":
            known = facts(wf)
        elif kind == "field":
            if event is None:
                raise self.fail(f"event field {name!r} used where there is no event", place)
            known = set(wf.events[event].fields)
        elif kind == "parameter":
            known = set(wf.parameters)
        elif kind == "table":
            known = set(wf.tables)
        elif kind == "track":
            known = set(wf.tracks)
        elif kind == "state":
            track, state = name.split(".", 1)
            known = set(wf.tracks[track].states) if track in wf.tracks else set()
            name = state
        elif kind == "tag":
            track, tag = name.split(".", 1)
            known = {t for s in wf.tracks[track].states.values() for t in s.tags} if track in wf.tracks else set()
            name = tag
        elif kind == "set":
            track, set_name = name.split(".", 1)
            known = set(wf.tracks[track].state_sets) if track in wf.tracks else set()
            name = set_name
        elif kind == "deadline":
            known = set(wf.deadlines)
        elif kind == "decision":
            known = set(wf.decisions)
        else:  # pragma: no cover - registry and checker are kept in step
            raise AssertionError(kind)
        if name not in known:
            raise self.fail(f"unknown {kind} {name!r}{did_you_mean(name, known)}", place)

    def of_type(self, kind: str, name: str, place: tuple, event: str | None) -> None:
        """A reference that exists (see `reference`) is also of the type its use needs."""
        wf = self.wf
        if kind == "date fact":
            if name not in date_facts(wf):
                raise self.fail(f"the fact {name!r} never holds a date, so no period can be counted from it", place)
        elif kind == "duration parameter":
            if any(isinstance(e.value, bool) for e in wf.parameters[name].history):
                raise self.fail(f"the parameter {name!r} is a yes/no rule, not a length of time", place)
        elif event is not None:
            self.field_type(kind, name, wf.events[event].fields[name], place)

    def field_type(self, kind: str, name: str, spec: FieldSpec, place: tuple) -> None:
        """A field used as a start must be a date; one used as a length, a bounded whole number with a unit."""
        if kind == "date field" and spec.type != "date":
            raise self.fail(f"the field {name!r} is {spec.type}, not a date: no period can be counted from it", place)
        if kind == "length field":
            if spec.type != "integer":
                raise self.fail(f"the field {name!r} is {spec.type}, not a whole number: it cannot be a length", place)
            unit = spec.unit or "days"
            if spec.minimum is None or spec.minimum < 0 or spec.maximum is None or spec.maximum > LONGEST[unit]:
                raise self.fail(
                    f"the field {name!r} is a length in {unit}: give it a minimum of 0 or more and a maximum "
                    f"of at most {LONGEST[unit]} (casepath counts periods of up to {LONGEST['years']} years)",
                    place,
                )

    # -------------------------------------------------------------- the shape of each track
    def graph(self) -> None:
        for tname, track in self.wf.tracks.items():
            initial = {track.initial} if isinstance(track.initial, str) else {c.state for c in track.initial}
            reached = set(initial)
            leaves: set[str] = set()
            for tr in self.wf.transitions:
                if (tr.track or self.wf.events[tr.event].track) != tname:
                    continue
                sources = expand_sources(tr.from_, track)
                if tr.to is not None:
                    reached.add(tr.to)
                    leaves |= {s for s in sources if s != tr.to}
            for sname, state in track.states.items():
                place = ("tracks", tname, "states", sname)
                if sname not in reached:
                    raise self.fail(f"no transition reaches the state {sname!r}", place)
                if not state.final and sname not in leaves:
                    raise self.fail(f"the state {sname!r} is not final but no transition leaves it", place)
                if state.final and sname in leaves:
                    raise self.fail(f"the state {sname!r} is final but a transition leaves it", place)


def expand_sources(sources: list[str], track: Any) -> set[str]:
    """The state names a transition's `from` list stands for ("any" = every non-final state;
    `set:NAME` = the track's state set, written out)."""
    out: set[str] = set()
    for source in sources:
        if source == "any":
            out |= {n for n, s in track.states.items() if not s.final}
        elif source.startswith("tag:"):
            out |= {n for n, s in track.states.items() if source[4:] in s.tags}
        elif source.startswith("set:"):
            out |= expand_sources(set_entries(track, source[4:]), track)
        else:
            out.add(source)
    return out


def entry_calls(wf: Workflow) -> list:
    """Every action run on entering a state: the states' own and the tracks' `on_enter_tagged`."""
    calls = [c for track in wf.tracks.values() for s in track.states.values() for c in s.on_enter]
    return calls + [c for track in wf.tracks.values() for acts in track.on_enter_tagged.values() for c in acts]


def date_facts(wf: Workflow) -> set[str]:
    """Facts that can hold a date: date person fields, dates remembered by mark_date, and facts
    set from an event's date field."""
    known = {name for name, spec in wf.person.fields.items() if spec.type == "date"}
    on_enter = entry_calls(wf)
    done = [(c, tr.event) for tr in wf.transitions for c in tr.do] + [(c, None) for c in on_enter]
    for call, event in done:
        fact, source = call.args.get("fact"), call.args.get("from_field")
        if not isinstance(fact, str):
            continue
        if call.action == "mark_date":
            known.add(fact)
        elif call.action == "set_fact" and event in wf.events and isinstance(source, str):
            field = wf.events[event].fields.get(source)
            if field is not None and field.type == "date":
                known.add(fact)
    return known


def facts(wf: Workflow) -> set[str]:
    """Fact names: the person's fields, and every fact an action sets."""
    known = set(wf.person.fields)
    calls = [c for t in wf.transitions for c in t.do]
    calls += entry_calls(wf)
    for call in calls:
        if call.action in ("set_fact", "mark_date") and isinstance(call.args.get("fact"), str):
            known.add(call.args["fact"])
    return known


def _strings(data: Any, place: tuple) -> Iterator[tuple[tuple, str]]:
    """Every text in a document with its place; a key is reported as (..., key, "key")."""
    if isinstance(data, str):
        yield place, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield (*place, key, "key"), key
            yield from _strings(value, (*place, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*place, index))


def _citations(wf: Workflow) -> Iterator[tuple[tuple, Citation]]:
    for name, param in wf.parameters.items():
        for i, entry in enumerate(param.history):
            for j, cite in enumerate(entry.sources):
                yield ("parameters", name, "history", i, "sources", j), cite
    for i, tr in enumerate(wf.transitions):
        for j, cite in enumerate(tr.sources):
            yield ("transitions", i, "sources", j), cite
    for name, spec in wf.deadlines.items():
        for j, cite in enumerate(spec.sources):
            yield ("deadlines", name, "sources", j), cite
    for name, spec in wf.entitlements.items():
        for i, basis in enumerate(spec.applies):
            for j, cite in enumerate(basis.sources):
                yield ("entitlements", name, "applies", i, "sources", j), cite
    for i, refusal in enumerate(wf.refusals):
        for j, cite in enumerate(refusal.sources):
            yield ("refusals", i, "sources", j), cite
    for name, table in wf.tables.items():
        for j, cite in enumerate(table.sources):
            yield ("tables", name, "sources", j), cite
    for name, closed in wf.calendar.closed_days.items():
        for j, cite in enumerate(closed.sources):
            yield ("calendar", "closed_days", name, "sources", j), cite


def check(wf: Workflow, doc: Document) -> None:
    """Raise an `InputProblem` at the first place where the workflow does not hold together."""
    checker = _Checker(wf, doc)
    checker.texts()
    checker.calendar()
    checker.names()
    checker.citations()
    checker.parameters()
    checker.tracks_and_events()
    checker.transitions()
    checker.rules()
    checker.invariants()
    checker.graph()
