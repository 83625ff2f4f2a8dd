"""Wording every output format shares, so a report says the same thing in each."""

from __future__ import annotations

from collections.abc import Callable

from casepath.locale import translate, translator
from casepath.report import Report
from casepath.workflow.spec import SourceDocument, Workflow


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


def cited_documents(report: Report, spec: Workflow) -> list[SourceDocument]:
    """The workflow's source documents that the report cites, in the workflow's order (the
    report keeps its citations as text, which starts with the document's title)."""
    texts = [
        *(s for d in report.deadlines for s in d.sources),
        *(s for e in report.entitlements for s in e.sources),
        *(s for e in report.events for s in e.sources),
    ]
    return [doc for doc in spec.sources.values() if any(text.startswith(doc.title) for text in texts)]
