"""The edge where a run becomes words: the typed `Report` of a case, in one language.

The engine records typed facts (`casepath.journal`): which start and length a deadline was
counted from, which value of which rule, which check refused an event. This module is the
one place that turns them into sentences, from casepath's own phrases (`casepath.locale`)
and the workflow's texts looked up by id in the workflow given: the same compiled workflow
in another language (`CompiledWorkflow.in_language`) gives the same report in other words.
Ids, dates, statuses, the outcome and the states come from the run alone, so they cannot
differ between languages.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from casepath import citations, clock, journal
from casepath.clock import Duration, Moment, iso_day
from casepath.locale import closed_reason, duration_text, translator, weekday
from casepath.memo import Remembered
from casepath.report import (
    AssumptionEntry,
    DeadlineEntry,
    EntitlementEntry,
    ErrorEntry,
    EventEntry,
    Report,
    Snapshot,
    TrackMove,
    built,
)
from casepath.status import Status
from casepath.workflow.spec import Citation, ParameterValue

if TYPE_CHECKING:
    from casepath.case import DeadlineRecord
    from casepath.simulator import Run, Simulator, StepKind
    from casepath.workflow.compiled import Bound, CompiledWorkflow


def value_text(value: Duration | bool | None, lang: str) -> str:
    """A parameter's value for people, in `lang`: "6 months", "6 måneder", "yes", "none"."""
    tr = translator(lang)
    if value is None:
        return tr("none")
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    return duration_text(value, lang)


_DATED = (journal.ValuePastItsSources, journal.EarlierValueKept, journal.BirthdayFromAge)
"""Assumptions that name a day: too many kinds to keep their words."""


def describe(bound: Bound, lang: str) -> str:
    """A workflow guard or action in words, in `lang` (ids stay ids)."""
    return bound.entry.describe(bound.args, translator(lang))


class Words:
    """Sentences about one workflow's cases in the language of `wf` (its texts are in that language)."""

    def __init__(self, wf: CompiledWorkflow) -> None:
        self.wf = wf
        self.spec = wf.spec
        self.lang = wf.lang
        self.tr = translator(wf.lang)
        self._cited: dict[int, tuple[Citation, str]] = {}
        self._cited_lists: dict[tuple[int, ...], tuple[tuple[Citation, ...], list[str]]] = {}
        self._cited_kept: Remembered[int, tuple[tuple[Citation, ...], list[str]]] = Remembered(2000)
        self._assumptions: dict[journal.Assumption, str] = {}
        self._listed: Remembered[journal.Assumption, tuple[str, str]] = Remembered(2000)
        self._listed_entries: Remembered[tuple[str, str], AssumptionEntry] = Remembered(2000)
        self._transitions: dict[int, tuple[str | None, list[str]]] = {}
        self._values: dict[tuple[str, int], str] = {}
        self._lengths: Remembered[tuple[str, int] | journal.LengthGiven, str] = Remembered(1000)
        self._named: dict[tuple[str, str | None], str] = {}
        self._remarks: Remembered[journal.DeadlineRemark, str] = Remembered(1000)
        self._state_labels: dict[tuple[str, ...], dict[str, str]] = {}
        self.entitlement_order = {r.id: (n, r.ends_with_deadline) for n, r in enumerate(wf.entitlements)}
        """Each entitlement's place in the workflow (reports list them in it) and the deadline that caps it."""
        spec = wf.spec
        self.labels: dict[str, dict[str, str]] = {
            "event": {name: item.label for name, item in spec.events.items()},
            "deadline": {name: item.label for name, item in spec.deadlines.items()},
            "entitlement": {name: item.label for name, item in spec.entitlements.items()},
        }
        """The labels of the workflow's events, deadlines and entitlements, by kind and id, read once (the
        workflow's texts are pydantic models: each attribute read costs more than a dict look-up)."""

    # ------------------------------------------------------------------ sources and values
    def cite(self, citation: Citation) -> str:
        # Keyed by identity: citations live as long as the workflow, and hashing a model is slow.
        found = self._cited.get(id(citation))
        if found is None or found[0] is not citation:
            found = self._cited[id(citation)] = (citation, citations.cite(self.spec, citation, self.lang))
        return found[1]

    def cite_all(self, cited: Any) -> list[str]:
        """Citations in words, each once (a list of the same citations is worded once)."""
        key = tuple(map(id, cited))
        found = self._cited_lists.get(key)
        if found is None:
            texts: list[str] = []
            for citation in cited:
                text = self.cite(citation)
                if text not in texts:
                    texts.append(text)
            # the citations live as long as the workflow (kept here too), so their ids stay theirs
            found = self._cited_lists[key] = (tuple(cited), texts)
        return list(found[1])

    def cite_kept(self, cited: tuple[Citation, ...]) -> list[str]:
        """`cite_all` for a tuple of citations the workflow keeps (an entitlement's basis, a deadline's
        `deadline_sources`), known by its identity (kept here too, so its id stays its own)."""
        found = self._cited_kept.get(id(cited))
        if found is None or found[0] is not cited:
            found = self._cited_kept.keep(id(cited), (cited, self.cite_all(cited)))
        return list(found[1])

    def value(self, parameter: str, entry: int) -> str:
        """ "120 days from 2013-07-01 (date assumed)": a parameter's value and its start (worded once)."""
        key = (parameter, entry)
        text = self._values.get(key)
        if text is None:
            text = self._values[key] = self._value(parameter, entry)
        return text

    def _value(self, parameter: str, entry: int) -> str:
        found = self.spec.parameters[parameter].history[entry]
        text = value_text(found.value, self.lang)
        if found.from_ is None:
            return self.tr("{value}, since before the sources' time", value=text)
        if found.certainty == "stated":
            return self.tr("{value} from {date}", value=text, date=found.from_.isoformat())
        return self.tr("{value} from {date} (date assumed)", value=text, date=found.from_.isoformat())

    def _entry(self, parameter: str, entry: int) -> ParameterValue:
        return self.spec.parameters[parameter].history[entry]

    # ------------------------------------------------------------------ deadlines
    def counting(self, counting: journal.Counting) -> str:
        """How a deadline was counted: "2022-03-10 (identified) + 30 days, not counting that first day; …"."""
        start = self.start(counting.start)
        length = counting.length
        if length is None:
            return start
        # A rule's length is known by the parameter and the place of its value in the history (hashing
        # the record, and its duration, costs more than the lookup).
        key = (length.parameter, length.entry) if isinstance(length, journal.LengthFromRule) else length
        said = self._lengths.get(key)
        if said is None:
            said = self._lengths.keep(key, self._length(length))
        return said.replace("{start}", start, 1)

    def _length(self, length: journal.LengthFromRule | journal.LengthGiven) -> str:
        """A counting with "{start}" for its start: the rest names no day, so it is worded once."""
        if isinstance(length, journal.LengthFromRule):
            rule = self.spec.parameters[length.parameter].label.lower()
            why = f"{rule}: {self.value(length.parameter, length.entry)}"
        else:
            why = self.tr("{length} as given in the event", length=duration_text(length.length, self.lang))
        said = {"start": "{start}", "length": duration_text(length.length, self.lang), "why": why}
        if length.length.unit == "hours":
            return self.tr("{start} + {length}, in real elapsed hours; {why}", **said)
        return self.tr("{start} + {length}, not counting that first day; {why}", **said)

    def start(self, start: journal.CountedFrom) -> str:
        at = start.at
        kind = start.kind
        if kind == "field":
            assert not isinstance(at, Moment)
            return self.tr("the date given ({date})", date=iso_day(at))
        named = self._named.get((kind, start.name))
        if named is None:
            named = self._named[(kind, start.name)] = self._name(kind, start.name)
        if kind == "event":
            assert isinstance(at, Moment)
            return f"{at.iso()} ({named})"
        if kind == "fact":
            assert isinstance(at, Moment)
            return f"{iso_day(at.day)} ({named})"
        assert not isinstance(at, Moment)
        return f"{named} ({iso_day(at)})"

    def _name(self, kind: str, name: str | None) -> str:
        """What a deadline was counted from, as its counting names it: "identified", "reflection start"."""
        if kind == "event":
            return (self.spec.events[name].label if name else self.tr("this step")).lower()
        assert name is not None
        if kind == "fact":
            return self.wf.fact_label(name)
        return self.spec.deadlines[name].label.lower()

    def remark(self, remark: journal.DeadlineRemark) -> str:
        """A deadline's remark in words (remembered: a closed day recurs in many cases; at most 1,000 kept)."""
        found = self._remarks.get(remark)
        if found is None:
            found = self._remarks.keep(remark, self._remark(remark))
        return found

    def _remark(self, remark: journal.DeadlineRemark) -> str:
        if isinstance(remark, journal.RuleChanged):
            return self.tr(
                "The rule changed on {date}, while this period ran: counted again under the rules in force from "
                "then ({rule}); it was {before}.",
                date=remark.on.isoformat(),
                rule=self.value(remark.parameter, remark.entry),
                before=remark.before.isoformat(),
            )
        said = {
            "date": remark.due.isoformat(),
            "reason": closed_reason(remark.due, self.spec.calendar, self.lang),
            "weekday": weekday(remark.before, self.lang),
            "before": remark.before.isoformat(),
        }
        if remark.at_noon:
            return self.tr(
                "{date} is {reason}: offices close at noon. The date itself does not move; the last "
                "full working day before it is {weekday} {before}.",
                **said,
            )
        return self.tr(
            "{date} is {reason}: offices are closed. The date itself does not move; the last "
            "working day before it is {weekday} {before}.",
            **said,
        )

    def state_labels(self, states: dict[str, str]) -> dict[str, str]:
        """Each track's state by its label (a new dict: worked out once per combination of states)."""
        key = tuple(states.values())
        found = self._state_labels.get(key)
        if found is None:
            found = self._state_labels[key] = {t: self.wf.label(t, s) for t, s in states.items()}
        return dict(found)

    # ------------------------------------------------------------------ warnings and assumptions
    def warning(self, warning: journal.CaseWarning) -> str:
        if isinstance(warning, journal.WorkflowWarning):
            return self.wf.warning_text(warning.code).replace("{date}", warning.at.iso())
        return self.tr(
            "No {rule} was in force on {date}, so there is no {deadline}.",
            rule=self.spec.parameters[warning.parameter].label.lower(),
            date=warning.on.isoformat(),
            deadline=self.spec.deadlines[warning.deadline].label.lower(),
        )

    def listed(self, assumption: journal.Assumption) -> tuple[str, str]:
        """An assumption as a report lists it: (its `parameter`, its `note`); remembered, at most 2,000."""
        found = self._listed.get(assumption)
        if found is None:
            found = self._listed.keep(assumption, (journal.assumption_key(assumption), self.assumption(assumption)))
        return found

    def listed_entry(self, listed: tuple[str, str]) -> AssumptionEntry:
        """The report's entry for an assumption as `listed` words it: made once and shared (it is frozen;
        most cases rest on the same few assumptions, and making an entry costs more than finding it)."""
        found = self._listed_entries.get(listed)
        if found is None:
            found = self._listed_entries.keep(listed, built(AssumptionEntry, parameter=listed[0], note=listed[1]))
        return found

    def assumption(self, assumption: journal.Assumption) -> str:
        """An assumption a result rests on, as the report lists it (worded once when it names no day)."""
        found = self._assumptions.get(assumption)
        if found is None:
            found = self._assumption(assumption)
            if not isinstance(assumption, _DATED):  # a workflow has few of these: keep them
                self._assumptions[assumption] = found
        return found

    def _assumption(self, assumption: journal.Assumption) -> str:
        a = assumption
        if isinstance(a, journal.ValueOnAssumedDate):
            used = self.tr("(used: {value})", value=self.value(a.parameter, a.entry))
            return f"{self._entry(a.parameter, a.entry).note} {used}"
        if isinstance(a, journal.VariantValue):
            entry = self._entry(a.parameter, a.entry)
            asked = self.tr("(rule variant '{name}' asked for)", name=entry.variant)
            return f"{entry.note} {asked}"
        if isinstance(a, journal.ValuePastItsSources):
            entry = self._entry(a.parameter, a.entry)
            assert entry.described_until is not None
            return self.tr(
                "{rule}: {value} is last described for {year}; it is assumed still in force on {date}",
                rule=self.spec.parameters[a.parameter].label,
                value=value_text(entry.value, self.lang),
                year=entry.described_until.year,
                date=a.on.isoformat(),
            )
        if isinstance(a, journal.EarlierValueKept):
            kept = self.tr("(on {date} the earlier rule is taken to be still in force)", date=a.on.isoformat())
            return f"{self._entry(a.parameter, a.entry).note} {kept}"
        if isinstance(a, journal.RulePastItsSources):
            names: list[str] = []
            for doc in a.documents:
                document = self.spec.sources[doc]
                name = document.short or document.title
                if name not in names:
                    names.append(name)
            return self.tr(
                "{rule}: last described for {year} ({sources}); assumed still in force on later dates",
                rule=self._rule_label(a.kind, a.name),
                year=a.until.year,
                sources=", ".join(names),
            )
        if isinstance(a, journal.DecisionRelied):
            decision = self.spec.decisions[a.decision]
            return f"{decision.label}: {decision.note}"
        if isinstance(a, journal.AgeUnknown):
            return self.tr("neither date of birth nor age is given: the person is treated as an adult")
        return self.tr(
            "only the age is given: the birthday is taken as the latest one consistent with it "
            "({date}), so the person is never treated as older than stated",
            date=a.born.isoformat(),
        )

    def _rule_label(self, kind: str, name: str) -> str:
        if kind == "event":
            return self.spec.events[name].label
        if kind == "deadline":
            return self.spec.deadlines[name].label
        return self.spec.entitlements[name].label

    # ------------------------------------------------------------------ refusals
    def check(self, where: tuple[str, Any, int]) -> str:
        """The message of a workflow check (`BoundCheck.where`: on an event or a transition, by position)."""
        kind, owner, position = where
        checks = self.spec.events[owner].checks if kind == "event" else self.spec.transitions[owner].checks
        return checks[position].message

    def refusal(self, refusal: journal.Refusal) -> str:
        """Why an event was refused, and (where the engine said) what could happen instead."""
        reason = refusal.reason
        if isinstance(reason, journal.CheckFailed):
            text = self.check(reason.where)
        elif isinstance(reason, journal.RefusedByRule):
            text = self.spec.refusals[reason.refusal].message
        elif isinstance(reason, journal.WrongState):
            text = self.tr(
                "{event} cannot happen now: the {track} track is at '{state}'.",
                event=self.spec.events[reason.event].label,
                track=self.spec.tracks[reason.track].label.lower(),
                state=self.wf.label(reason.track, reason.state),
            )
        elif isinstance(reason, journal.ConditionUnmet):
            guard = next(
                t.when[reason.guard]
                for tracks in self.wf.by_event.get(reason.event, {}).values()
                for t in tracks
                if t.index == reason.transition
            )
            text = self.tr(
                "{event} cannot happen now: it needs {what}.",
                event=self.spec.events[reason.event].label,
                what=describe(guard, self.lang),
            )
        elif isinstance(reason, journal.OutOfOrder):
            text = self.tr(
                "event {number} ({event}, {date}) is dated before the event above it ({before}, "
                "{before_date}); events must be in date order",
                number=reason.number,
                event=reason.event,
                date=reason.at.iso(),
                before=reason.before,
                before_date=reason.before_at.iso(),
            )
        else:
            text = self.tr(
                "the workflow has taken {count} time-driven steps in this case and would take another "
                "({event} on {date}): its deadlines keep setting each other again. The workflow needs "
                "fixing; the report stops here.",
                count=reason.count,
                event=reason.event,
                date=reason.at.iso(),
            )
        if refusal.possible is None:
            return text
        return f"{text} {self.possible(refusal.possible)}"

    def possible(self, events: tuple[str, ...]) -> str:
        if not events:
            return self.tr("No event is possible now.")
        if self.lang != "en":  # ids are English words: in another language, the events' labels
            events = tuple(self.spec.events[event].label for event in events)
        return self.tr("Possible now: {names}.", names=", ".join(events))

    # ------------------------------------------------------------------ steps
    def entry(self, record: journal.StepRecord) -> EventEntry:
        """A step of the journal as the report's `events` list shows it."""
        moves = record.moves
        track, before, after = moves[0]
        also = moves[1:]
        taken = record.transitions
        if len(taken) == 1:  # most steps move one track: its note and sources as worded once
            note, sources = self._transition(taken[0])
        else:
            notes = [n for n in (self._transition(i)[0] for i in taken) if n]
            note, sources = " ".join(notes) or None, self._transition(taken[0])[1]
        return built(
            EventEntry,
            number=record.number,
            date=record.at.iso(),
            event=record.event,
            label=self.labels["event"][record.event],
            automatic=record.number is None,
            track=track,
            from_=before,
            to=after,
            also=[built(TrackMove, track=t, from_=b, to=a) for t, b, a in also] if also else [],
            fields={
                k: (iso_day(v) if isinstance(v, date) else list(v) if isinstance(v, tuple) else v)
                for k, v in record.fields.items()
            }
            if record.fields
            else {},
            note=note,
            sources=sources.copy(),
        )

    def _transition(self, index: int) -> tuple[str | None, list[str]]:
        """A transition's note and its sources in words (worded once per transition)."""
        found = self._transitions.get(index)
        if found is None:
            transition = self.spec.transitions[index]
            found = self._transitions[index] = (transition.note or None, self.cite_all(transition.sources))
        return found


_WORDS: dict[int, tuple[Any, Words]] = {}


def words_for(wf: CompiledWorkflow) -> Words:
    """The (reused) words of a workflow in its language."""
    found = _WORDS.get(id(wf))
    if found is None or found[0] is not wf:
        found = _WORDS[id(wf)] = (wf, Words(wf))
    return found[1]


def report(
    sim: Simulator, run: Run, wf: CompiledWorkflow, steps: list[tuple[Run, StepKind]] | None = None
) -> Report:
    """The report of a run as it stands, its words from `wf` (the run's workflow, in some language).

    `steps` are copies of the run after each step, kept while it ran: they become `Report.steps`,
    each moment the clock took steps on its own kept with the event after it (`Snapshot.clock`)."""
    words = words_for(wf)
    made = _report(sim, run, words)
    if steps is not None:
        snapshots: list[Snapshot] = []
        moments: list[Snapshot] = []
        seen = mark = 0  # journal records before this step; before this moment of the clock
        for number, (after, kind) in enumerate(steps, start=1):
            snapshot = Snapshot(
                number=len(moments if kind == "clock" else snapshots) + 1,
                made=(
                    made
                    if number == len(steps)
                    else partial(_report, sim, after, words)
                    if kind == "clock"
                    else _report(sim, after, words)
                ),
                entries=[words.entry(r) for r in after.journal[mark if kind == "clock" else seen :]],
                applying=[(p.id, iso_day(p.start)) for p in after.case.open_entitlements.values()],
                refused=kind == "refused",
                automatic=kind in ("clock", "on"),
                run=after,
            )
            mark = len(after.journal)
            if kind == "clock":
                moments.append(snapshot)
                continue
            snapshot.clock, moments = moments, []
            snapshots.append(snapshot)
            seen = mark
        made._steps = snapshots
    return made


def _report(sim: Simulator, run: Run, words: Words) -> Report:
    wf, spec, tr = words.wf, words.spec, words.tr
    scenario, case = run.scenario, run.case
    rules_as_of = case.rules_as_of
    known = spec.rules_known_until
    warnings = list(dict.fromkeys(words.warning(w) for w in case.warnings)) if case.warnings else []
    last_day = run.previous.moment.day if run.previous else None
    for day in (rules_as_of, last_day):
        if day is not None and day > known:
            warnings.append(
                tr(
                    "The sources describe the rules up to {known}; for later dates ({day}) the rules may have "
                    "changed since.",
                    known=known.isoformat(),
                    day=day.isoformat(),
                )
            )
            break
    order = words.entitlement_order
    periods = [*case.closed_entitlements, *case.open_entitlements.values()]
    periods.sort(key=lambda p: (p.start, order[p.id][0]))
    entitlements = []
    entitlement_labels = words.labels["entitlement"]
    for period in periods:
        end = period.end
        capped_by = order[period.id][1]
        record = case.latest.get(capped_by) if capped_by else None
        if record is not None and record.settled is not Status.REPLACED:
            cap = clock.due_day(record.due)
            end = cap if end is None or cap < end else end
        entitlements.append(
            built(
                EntitlementEntry,
                id=period.id,
                from_=iso_day(period.start),
                until=iso_day(end) if end else None,
                label=entitlement_labels[period.id],
                sources=words.cite_kept(period.sources),
            )
        )
    looked_at = sim.looked_at(run)
    judged = looked_at.instant(wf.zone) if looked_at else None
    deadlines = [_deadline(sim, words, d, judged) for d in sim.listing_order(case.deadlines)]
    noted = dict.fromkeys(map(words.listed, case.assumptions))  # listed once each, in the order relied on
    main = wf.main_track
    # Every value below is already checked (the scenario on the way in, the rest made here): the
    # typed report is built without validating it again.
    made = Report.made(
        scenario,
        title=scenario.title,
        case_ref=scenario.case_ref,
        workflow=spec.id,
        alias=scenario.person.alias,
        file=scenario.file,
        rules_as_of=iso_day(rules_as_of) if rules_as_of else None,
        variants=sorted(case.variants),
        rules_known_until=iso_day(known),
        on=iso_day(looked_at.day) if looked_at else None,
        outcome=wf.outcome_of(case.states[main]),
        state=case.states[main],
        states=dict(case.states),
        state_labels=words.state_labels(case.states),
        events=[words.entry(r) for r in run.journal],
        deadlines=deadlines,
        entitlements=entitlements,
        assumptions=[words.listed_entry(listed) for listed in noted],
        warnings=warnings,
        error=None if run.error is None else error(run.error, wf),
    )
    return made


def _deadline(sim: Simulator, words: Words, record: DeadlineRecord, judged: Any) -> DeadlineEntry:
    return built(
        DeadlineEntry,
        id=record.id,
        due=iso_day(record.due),
        label=words.labels["deadline"][record.id],
        rule=words.counting(record.counting),
        status=sim.status_of(record, judged),
        set_on=record.set_on.iso(),
        sources=words.cite_kept(record.sources),
        warnings=[words.remark(r) for r in record.remarks] if record.remarks else [],
    )


def entries(records: list[journal.StepRecord], wf: CompiledWorkflow) -> list[EventEntry]:
    """Steps of a journal as report entries, in the language of `wf`."""
    words = words_for(wf)
    return [words.entry(r) for r in records]


def error(refusal: journal.Refusal | None, wf: CompiledWorkflow) -> ErrorEntry | None:
    """A refusal as the report's `error`, in the language of `wf`."""
    if refusal is None:
        return None
    return built(ErrorEntry, code=refusal.code, message=words_for(wf).refusal(refusal), event=refusal.event)


def check_message(where: tuple[str, Any, int], wf: CompiledWorkflow) -> str:
    """The message of a workflow check (`BoundCheck.where`), in the language of `wf`."""
    return words_for(wf).check(where)


def refusal_message(index: int, wf: CompiledWorkflow) -> str:
    """The message of one of the workflow's refusals (by position), in the language of `wf`."""
    return wf.spec.refusals[index].message
