"""Which value of a parameter was in force on a date, and which assumptions that rests on.

A parameter's history is a list of values with the date each came into force. Some of
those dates are stated by a source; others are assumed (a source gives only a year, or an
event such as "the finance bill 2013"). A lookup says not only the value but whether the
answer depends on an assumed date, so that a report can list the assumption it relied on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from casepath import journal
from casepath.clock import Duration
from casepath.messages import did_you_mean
from casepath.problems import InputProblem
from casepath.workflow.spec import Citation, Parameter, ParameterValue, Workflow, described_until


@dataclass(frozen=True, slots=True)
class Lookup:
    value: Duration | bool | None
    entry: ParameterValue | None
    index: int | None = None
    """The entry's position in the parameter's history (what the journal records)."""
    assumptions: tuple[journal.Assumption, ...] = ()

    @property
    def since(self) -> date | None:
        return self.entry.from_ if self.entry is not None else None


def check_variants(spec: Workflow, names: Sequence[str]) -> None:
    """Refuse a `--variant` the workflow has no rule for, naming the ones it has."""
    known = spec.variant_names()
    for name in names:
        if name not in known:
            raise InputProblem(
                f"--variant {name!r}: the workflow has {', '.join(known) or 'none'}{did_you_mean(name, known)}"
            )


def _starts(entry: ParameterValue) -> date:
    return entry.from_ or date.min


_Indexed = tuple[tuple[int, ParameterValue], ...]
_INDEX: dict[int, tuple[Parameter, _Indexed, _Indexed]] = {}


def _indexed(parameter: Parameter) -> tuple[_Indexed, _Indexed]:
    """A parameter's values without a variant in date order, and its variant values, each with its
    position in the history: sorted once per parameter (a workflow's parameters live as long as it;
    the entry keeps the id from being reused)."""
    found = _INDEX.get(id(parameter))
    if found is None or found[0] is not parameter:
        numbered = list(enumerate(parameter.history))
        base = tuple(sorted(((i, e) for i, e in numbered if e.variant is None), key=lambda p: _starts(p[1])))
        found = _INDEX[id(parameter)] = (parameter, base, tuple((i, e) for i, e in numbered if e.variant))
    return found[1], found[2]


def value_on(name: str, parameter: Parameter, on: date, variants: frozenset[str] = frozenset()) -> Lookup:
    """The value of `parameter` in force on `on`, with the assumptions it depends on.

    Values tagged with a variant (e.g. a pandemic rule whose dates no source states) are used
    only when that variant is asked for, and then always count as an assumption. A value whose
    sources stop describing the law before `on` (its `described_until`) is assumed still in
    force. The assumptions are typed records (`casepath.journal`); `casepath.wording` words them.
    """
    base, variant_values = _indexed(parameter)
    chosen: tuple[int, ParameterValue] | None = None
    following: tuple[int, ParameterValue] | None = None
    for numbered in base:
        if _starts(numbered[1]) <= on:
            chosen = numbered
        elif following is None:
            following = numbered
    notes: list[journal.Assumption] = []
    special = [p for p in variant_values if p[1].variant in variants and _starts(p[1]) <= on] if variants else []
    if special:
        index, entry = max(special, key=lambda p: _starts(p[1]))
        return Lookup(entry.value, entry, index, (journal.VariantValue(name, index),))
    if chosen is not None:
        index, entry = chosen
        if entry.certainty == "assumed" and (entry.certain_from is None or on < entry.certain_from):
            notes.append(journal.ValueOnAssumedDate(name, index))
        if entry.described_until is not None and on > entry.described_until:
            notes.append(journal.ValuePastItsSources(name, index, on))
    if following is not None and following[1].certainty == "assumed":
        earliest = following[1].not_before or following[1].from_
        if earliest is not None and on >= earliest:
            notes.append(journal.EarlierValueKept(name, following[0], on))
    if chosen is None:
        return Lookup(None, None, None, tuple(notes))
    return Lookup(chosen[1].value, chosen[1], chosen[0], tuple(notes))


def still_in_force(
    spec: Workflow, kind: journal.RuleKind, name: str, citations: Sequence[Citation], on: date
) -> journal.RulePastItsSources | None:
    """An assumption when a rule (a transition's event, a deadline or an entitlement: `kind`, `name`)
    is used on `on` although the documents it cites describe the law only up to an earlier day.

    None when a cited source covers `on`, or the rule cites no dated document. It names no date
    (a rule used on many days is listed once) but the year and the documents."""
    until = described_until(spec, list(citations))
    if until is None or on <= until:
        return None
    documents: list[str] = []
    for citation in citations:
        doc = citation.doc
        if doc is not None and spec.sources[doc].describes_until == until and doc not in documents:
            documents.append(doc)
    return journal.RulePastItsSources(kind, name, until, tuple(documents))
