"""Wording every output format shares, so a report says the same thing in each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from casepath.locale import translate, translator
from casepath.report import Report
from casepath.workflow.spec import Workflow


def details(spec: Workflow, event: str, fields: dict[str, Any], lang: str = "en") -> str:
    """An event's fields as a person reads them, "by: an NGO, reason: special circumstances": each
    field and value by its label in the workflow (values without one, such as dates, as they are)."""
    given = spec.events[event].fields if event in spec.events else {}
    parts = []
    for name, value in fields.items():
        field = given.get(name)
        label = field.label if field is not None and field.label else name
        if isinstance(value, bool):
            shown = translate("yes" if value else "no", lang)
        elif isinstance(value, list | tuple):
            shown = ", ".join(field.value_label(v) if field else str(v) for v in value)
        elif isinstance(value, date):
            shown = value.isoformat()
        else:
            shown = field.value_label(value) if field else str(value)
        parts.append(f"{label}: {shown}")
    return ", ".join(parts)


def rules_used(report: Report, lang: str = "en") -> str:
    """Which rules the report applied: each event's own date's, or one date's for all."""
    tr = translator(lang)
    if report.rules_as_of:
        rules = tr("the rules in force on {date}", date=report.rules_as_of)
    else:
        rules = tr("the rules in force on each event's date")
    if report.variants:
        rules += " " + tr("(with the variant: {names})", names=", ".join(report.variants))
    return rules


def outcome_text(outcome: str, spec: Workflow, lang: str = "en") -> str:
    """The outcome as a reader sees it: "prepared return (left Denmark under a prepared return)"."""
    meaning = spec.outcomes.get(outcome)
    if meaning and lang != "en":
        return meaning  # the id is an English word: in another language the (translated) meaning alone
    name = translate(outcome.replace("_", " "), lang) if outcome == "in_progress" else outcome.replace("_", " ")
    if not meaning:
        return name
    return translate("{outcome} ({meaning})", lang, outcome=name, meaning=meaning)


def shortener(spec: Workflow) -> Callable[[str], str]:
    """A function that writes a cited source with its document's short name, where it has one."""
    shorts = {doc.title: doc.short for doc in spec.sources.values() if doc.short}

    def short(source: str) -> str:
        for title, name in shorts.items():
            source = source.replace(title, name)
        return source

    return short
