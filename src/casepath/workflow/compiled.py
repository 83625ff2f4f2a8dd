"""A checked workflow made ready to run: guards and actions bound, one state machine per track.

Each track (the stay, detention, the criminal case, child protection…) is a parallel region
of the case: its own `transitions.Machine`, all of them stepping together. We measured the
library's HierarchicalMachine with parallel states at about ten times the cost per trigger
of flat machines here (docs/design.md), and flat machines per track express the same
orthogonal regions without a cross product of states.

The machines are given nothing but state names, unique trigger names and destinations:
no string callbacks at all, and `resolve_callable` refuses strings outright, so no text in
a workflow file can ever be resolved as a Python import path (see shared notes on the
library's dotted-path lookup).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from transitions import Machine

from casepath import journal
from casepath.memo import Remembered
from casepath.problems import InputProblem
from casepath.workflow import registry
from casepath.workflow.reuse import entry_actions
from casepath.workflow.rulebook import Lookup, still_in_force, value_on
from casepath.workflow.spec import Call, Citation, Workflow, described_until

logging.getLogger("transitions").setLevel(logging.ERROR)

_VALUES_KEPT = 20_000
"""Parameter lookups a workflow remembers (about 20 years of days for a dozen parameters' worth)."""


class SafeMachine(Machine):
    """A `transitions.Machine` that never turns a string into a callable."""

    @staticmethod
    def resolve_callable(func: Any, event_data: Any) -> Any:
        if isinstance(func, str):
            raise ValueError(f"refusing to resolve {func!r}: workflows cannot name Python")
        return func


@dataclass(frozen=True, slots=True)
class Bound:
    """A registry guard or action with its parsed arguments."""

    entry: registry.Entry
    args: registry.Args
    gate: tuple[str, frozenset[str], bool] | None = None
    """See `registry.Args.state_gate`: set for guards the engine can test without calling them."""
    fact_gate: tuple[str, tuple[Any, ...], bool] | None = None
    """See `registry.Args.fact_gate`: likewise, for guards that read one fact."""

    def __call__(self, step: Any) -> Any:
        return self.entry.run(step, self.args)


@dataclass(frozen=True, slots=True)
class BoundCheck:
    """A check and the error code it refuses with; its message is the workflow's text at `where`
    (("event", name, position) or ("transition", index, position)), looked up in a report's language."""

    guard: Bound
    error: str
    where: tuple[str, Any, int]


@dataclass(frozen=True, slots=True)
class Transition:
    index: int
    trigger: str
    event: str
    track: str
    sources: frozenset[str]
    to: str | None
    when: tuple[Bound, ...]
    checks: tuple[BoundCheck, ...]
    do: tuple[Bound, ...]
    sources_cited: tuple[Citation, ...]
    described_until: date | None
    """`spec.described_until` of its sources: after it, taking it is assumed still to be the law."""


@dataclass(frozen=True, slots=True)
class EntitlementRule:
    id: str
    bases: tuple[tuple[tuple[Bound, ...], tuple[Citation, ...]], ...]
    ends_with_deadline: str | None


@dataclass(frozen=True, slots=True)
class Refusal:
    index: int
    """Its position in the workflow's `refusals` (where its message is)."""
    events: frozenset[str]
    when: tuple[Bound, ...]
    error: str
    sources: tuple[Citation, ...]


def bind(call: Call, table: dict[str, registry.Entry], kind: str, workflow: Workflow) -> Bound:
    entry = table[getattr(call, kind)]
    args = entry.args.model_validate({k: v for k, v in call.args.items() if k not in ("error", "message")})
    args.prepare(workflow)
    if table is not registry.GUARDS:
        return Bound(entry, args)
    return Bound(entry, args, args.state_gate(), args.fact_gate())


@dataclass
class CompiledWorkflow:
    """Everything the simulator needs, computed once per workflow."""

    spec: Workflow
    file: str
    lang: str = "en"
    """The language of the spec's texts (see `casepath.workflow.translation`); ids are the same in all."""
    fact_labels: dict[str, str] = field(default_factory=dict)
    """Names of date facts in `lang`, where a report shows them ("counted from the reflection start")."""
    zone: ZoneInfo = field(init=False)
    main_track: str = field(init=False)
    machines: dict[str, SafeMachine] = field(init=False)
    by_event: dict[str, dict[str, tuple[Transition, ...]]] = field(init=False)
    event_checks: dict[str, tuple[BoundCheck, ...]] = field(init=False)
    on_enter: dict[tuple[str, str], tuple[Bound, ...]] = field(init=False)
    tags: dict[tuple[str, str], frozenset[str]] = field(init=False)
    initial: dict[str, tuple[tuple[str, tuple[Bound, ...]], ...]] = field(init=False)
    entitlements: tuple[EntitlementRule, ...] = field(init=False)
    refusals: tuple[Refusal, ...] = field(init=False)
    _described: dict[int, tuple[Any, date | None]] = field(init=False, default_factory=dict, repr=False)
    _still_in_force: dict[tuple[str, int], tuple[Any, Any]] = field(init=False, default_factory=dict, repr=False)
    _history: dict[str, tuple[Any, ...]] = field(init=False, default_factory=dict, repr=False)
    _deadline_sources: dict[tuple[str, int], tuple[Any, tuple[Citation, ...]]] = field(
        init=False, default_factory=dict, repr=False
    )
    _values: Remembered[tuple[str, date, frozenset[str]], Lookup] = field(
        init=False, default_factory=lambda: Remembered(_VALUES_KEPT), repr=False
    )
    base: CompiledWorkflow = field(init=False, repr=False)
    """The workflow the engine runs: itself, or for a workflow in another language, the one it was
    made from (`in_language`). Cases run on it, whatever language their report is in."""
    _warning_texts: dict[str, str] | None = field(init=False, default=None, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        """For pickling (`casepath.workflow.cache`): without the answers kept by object identity."""
        return {
            **self.__dict__,
            "_described": {},
            "_still_in_force": {},
            "_history": {},
            "_deadline_sources": {},
            "_warning_texts": None,
            "_values": Remembered(_VALUES_KEPT),
        }

    def value_on(self, name: str, on: date, variants: frozenset[str]) -> Lookup:
        """`rulebook.value_on` for a parameter of this workflow, remembered: a case asks the same
        question at every step (a lookup is pure; at most `_VALUES_KEPT` answers are kept)."""
        key = (name, on, variants)
        found = self._values.get(key)
        if found is None:
            found = self._values.keep(key, value_on(name, self.spec.parameters[name], on, variants))
        return found

    def deadline_sources(self, deadline: str, length_sources: Sequence[Citation]) -> tuple[Citation, ...]:
        """What a deadline rests on: its own citations, then those of the value its length was taken from
        (`length_sources`, a parameter entry's list, or none). One tuple per pair, kept as long as the
        workflow, so the words for it are found by its identity (`wording.Words.cite_kept`)."""
        key = (deadline, id(length_sources))
        found = self._deadline_sources.get(key)
        if found is None or found[0] is not length_sources:
            joined = (*self.spec.deadlines[deadline].sources, *length_sources)
            found = self._deadline_sources[key] = (length_sources, joined)
        return found[1]

    def described_until(self, citations: Sequence[Citation]) -> date | None:
        """`spec.described_until` of a rule's citations, worked out once per citation list (the lists live
        as long as the workflow: keyed by identity, and the list is kept so its id stays its own)."""
        found = self._described.get(id(citations))
        if found is None or found[0] is not citations:
            found = self._described[id(citations)] = (citations, described_until(self.spec, list(citations)))
        return found[1]

    def still_in_force(self, kind: journal.RuleKind, name: str, citations: Sequence[Citation], on: date) -> Any:
        """`rulebook.still_in_force`, answered from `described_until` first: the assumption names no
        date, so it is made once per rule and citation list."""
        until = self.described_until(citations)
        if until is None or on <= until:
            return None
        cached = self._still_in_force.get((name, id(citations)))
        if cached is None or cached[0] is not citations:
            cached = (citations, still_in_force(self.spec, kind, name, citations, on))
            self._still_in_force[(name, id(citations))] = cached
        return cached[1]

    def in_language(self, spec: Workflow, lang: str, fact_labels: dict[str, str]) -> CompiledWorkflow:
        """This workflow with its texts in `lang`: `spec` is the same workflow with translated texts.

        Everything compiled (machines, guards, actions, the indexes) is shared, not made again:
        the engine reads ids, never texts, so one compiled workflow runs a case for every
        language, and only the words of a report (`casepath.wording`) come from `spec`."""
        view = copy.copy(self)  # `base` and the engine's caches are shared with this workflow
        view.spec, view.lang, view.fact_labels = spec, lang, fact_labels
        view._warning_texts, view._values = None, Remembered(_VALUES_KEPT)  # entries of the spec: the view's own
        return view

    def __post_init__(self) -> None:
        from casepath.workflow.check import expand_sources  # here: a workflow from the cache needs no checks

        wf = self.spec
        self.base = self
        try:
            self.zone = ZoneInfo(wf.calendar.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InputProblem(
                f"unknown time zone {wf.calendar.timezone!r}", file=self.file, place=("calendar", "timezone")
            ) from None
        self.main_track = next(name for name, t in wf.tracks.items() if t.main)
        guards, actions = registry.GUARDS, registry.ACTIONS
        self.tags = {(t, s): frozenset(spec.tags) for t, tr in wf.tracks.items() for s, spec in tr.states.items()}
        self.on_enter = {
            (t, s): tuple(bind(c, actions, "action", wf) for c in entry_actions(tr, s))
            for t, tr in wf.tracks.items()
            for s in tr.states
        }
        self.initial = {}
        for name, track in wf.tracks.items():
            if isinstance(track.initial, str):
                self.initial[name] = ((track.initial, ()),)
            else:
                self.initial[name] = tuple(
                    (c.state, tuple(bind(g, guards, "guard", wf) for g in c.when)) for c in track.initial
                )
        by_event: dict[str, dict[str, list[Transition]]] = {}
        for index, spec in enumerate(wf.transitions):
            track = spec.track or wf.events[spec.event].track
            transition = Transition(
                index=index,
                trigger=f"t{index}",
                event=spec.event,
                track=track,
                sources=frozenset(expand_sources(spec.from_, wf.tracks[track])),
                to=spec.to,
                when=tuple(bind(g, guards, "guard", wf) for g in spec.when),
                checks=tuple(
                    BoundCheck(bind(c, guards, "guard", wf), c.error, ("transition", index, k))
                    for k, c in enumerate(spec.checks)
                ),
                do=tuple(bind(a, actions, "action", wf) for a in spec.do),
                sources_cited=tuple(spec.sources),
                described_until=described_until(wf, spec.sources),
            )
            by_event.setdefault(spec.event, {}).setdefault(track, []).append(transition)
        self.by_event = {e: {t: tuple(ts) for t, ts in tracks.items()} for e, tracks in by_event.items()}
        self.event_checks = {
            name: tuple(
                BoundCheck(bind(c, guards, "guard", wf), c.error, ("event", name, k)) for k, c in enumerate(spec.checks)
            )
            for name, spec in wf.events.items()
        }
        self.entitlements = tuple(
            EntitlementRule(
                id=name,
                bases=tuple(
                    (tuple(bind(g, guards, "guard", wf) for g in b.when), tuple(b.sources)) for b in spec.applies
                ),
                ends_with_deadline=spec.ends_with_deadline,
            )
            for name, spec in wf.entitlements.items()
        )
        self.refusals = tuple(
            Refusal(
                k,
                frozenset(r.events),
                tuple(bind(g, guards, "guard", wf) for g in r.when),
                r.error,
                tuple(r.sources),
            )
            for k, r in enumerate(wf.refusals)
        )
        self.machines = {name: self._machine(name) for name in wf.tracks}

    def warning_text(self, code: str) -> str:
        """The text of the `warn` action with this code, in `lang` (its `{date}` left to fill in)."""
        if self._warning_texts is None:
            texts: dict[str, str] = {}
            calls = [c for t in self.spec.transitions for c in t.do]
            calls += [c for tr in self.spec.tracks.values() for s in tr.states for c in entry_actions(tr, s)]
            for call in calls:
                if call.action == "warn":
                    texts.setdefault(call.args["code"], call.args["text"])
            self._warning_texts = texts
        return self._warning_texts[code]

    def _machine(self, track: str) -> SafeMachine:
        spec = self.spec.tracks[track]
        transitions = [
            {"trigger": t.trigger, "source": sorted(t.sources), "dest": t.to}
            for tracks in self.by_event.values()
            for t in tracks.get(track, ())
        ]
        first = spec.initial if isinstance(spec.initial, str) else spec.initial[0].state
        return SafeMachine(
            model=None,
            states=list(spec.states),
            initial=first,
            transitions=transitions,
            auto_transitions=False,
            ignore_invalid_triggers=False,
        )

    def outcome_of(self, main_state: str) -> str:
        return self.spec.tracks[self.main_track].states[main_state].outcome or "in_progress"

    def fact_label(self, fact: str) -> str:
        return self.fact_labels.get(fact) or fact.replace("_", " ")

    def label(self, track: str, state: str) -> str:
        return self.spec.tracks[track].states[state].label
