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

from casepath.clock import Duration
from casepath.locale import ENGLISH, duration_text, translate
from casepath.messages import did_you_mean
from casepath.problems import InputProblem
from casepath.workflow.spec import Citation, Parameter, ParameterValue, Workflow, described_until


@dataclass(frozen=True, slots=True)
class Assumption:
    """Something a result rests on that the sources do not settle."""

    parameter: str
    note: str


@dataclass(frozen=True, slots=True)
class Lookup:
    value: Duration | bool | None
    entry: ParameterValue | None
    assumptions: tuple[Assumption, ...] = ()

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


_INDEX: dict[int, tuple[Parameter, tuple[ParameterValue, ...], tuple[ParameterValue, ...]]] = {}


def _indexed(parameter: Parameter) -> tuple[tuple[ParameterValue, ...], tuple[ParameterValue, ...]]:
    """A parameter's values without a variant in date order, and its variant values: sorted once per
    parameter (a workflow's parameters live as long as it; the entry keeps the id from being reused)."""
    found = _INDEX.get(id(parameter))
    if found is None or found[0] is not parameter:
        base = tuple(sorted((e for e in parameter.history if e.variant is None), key=_starts))
        found = _INDEX[id(parameter)] = (parameter, base, tuple(e for e in parameter.history if e.variant))
    return found[1], found[2]


def value_on(
    name: str, parameter: Parameter, on: date, variants: frozenset[str] = frozenset(), lang: str = ENGLISH
) -> Lookup:
    """The value of `parameter` in force on `on`, with the assumptions it depends on.

    Values tagged with a variant (e.g. a pandemic rule whose dates no source states) are used
    only when that variant is asked for, and then always count as an assumption. A value whose
    sources stop describing the law before `on` (its `described_until`) is assumed still in
    force; that note is written in `lang`.
    """
    base, variant_values = _indexed(parameter)
    chosen: ParameterValue | None = None
    following: ParameterValue | None = None
    for entry in base:
        if _starts(entry) <= on:
            chosen = entry
        elif following is None:
            following = entry
    notes: list[Assumption] = []
    special = [e for e in variant_values if e.variant in variants and _starts(e) <= on] if variants else []
    if special:
        chosen = max(special, key=_starts)
        notes.append(Assumption(name, f"{chosen.note} (rule variant '{chosen.variant}' asked for)"))
        return Lookup(chosen.value, chosen, tuple(notes))
    if (
        chosen is not None
        and chosen.certainty == "assumed"
        and (chosen.certain_from is None or on < chosen.certain_from)
    ):
        notes.append(Assumption(name, f"{chosen.note} (used: {describe(chosen)})"))
    if chosen is not None and chosen.described_until is not None and on > chosen.described_until:
        value = value_text(chosen.value, lang)
        notes.append(
            Assumption(
                name,
                translate(
                    "{rule}: {value} is last described for {year}; it is assumed still in force on {date}",
                    lang,
                    rule=parameter.label,
                    value=value,
                    year=chosen.described_until.year,
                    date=on.isoformat(),
                ),
            )
        )
    if following is not None and following.certainty == "assumed":
        earliest = following.not_before or following.from_
        if earliest is not None and on >= earliest:
            notes.append(
                Assumption(
                    name,
                    f"{following.note} (on {on.isoformat()} the earlier rule is taken to be still in force)",
                )
            )
    if chosen is None:
        return Lookup(None, None, tuple(notes))
    return Lookup(chosen.value, chosen, tuple(notes))


def describe(entry: ParameterValue) -> str:
    """ "120 days from 2013-07-01 (date assumed)" — a value and its start, for people."""
    value = entry.value
    if value is None:
        text = "none"
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    else:
        text = str(value)
    if entry.from_ is None:
        return f"{text}, since before the sources' time"
    flag = "" if entry.certainty == "stated" else " (date assumed)"
    return f"{text} from {entry.from_.isoformat()}{flag}"


def value_text(value: Duration | bool | None, lang: str = ENGLISH) -> str:
    """A parameter's value for people, in `lang`: "6 months", "6 måneder", "yes", "none"."""
    if value is None:
        return translate("none", lang)
    if isinstance(value, bool):
        return translate("yes" if value else "no", lang)
    return duration_text(value, lang)


def still_in_force(
    spec: Workflow, key: str, label: str, citations: Sequence[Citation], on: date, lang: str = ENGLISH
) -> Assumption | None:
    """An assumption when a rule (a transition, deadline or entitlement: `label`) is used on `on`
    although the documents it cites describe the law only up to an earlier day.

    "Offer of a prepared return: last described for 2013 (EU page on Denmark (2013)); assumed
    still in force on later dates". None when a cited source covers `on`, or the rule cites no
    dated document. The note names no date, so a rule used on many days is listed once."""
    until = described_until(spec, list(citations))
    if until is None or on <= until:
        return None
    names = []
    for citation in citations:
        if citation.doc is not None and spec.sources[citation.doc].describes_until == until:
            document = spec.sources[citation.doc]
            if (document.short or document.title) not in names:
                names.append(document.short or document.title)
    note = translate(
        "{rule}: last described for {year} ({sources}); assumed still in force on later dates",
        lang,
        rule=label,
        year=until.year,
        sources=", ".join(names),
    )
    return Assumption(key, note)
