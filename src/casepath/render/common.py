"""Wording every output format shares, so a report says the same thing in each."""

from __future__ import annotations

from collections.abc import Callable

from casepath.report import Report
from casepath.workflow.spec import Workflow


def rules_used(report: Report) -> str:
    """Which rules the report applied: each event's own date's, or one date's for all."""
    rules = (
        f"the rules in force on {report.rules_as_of}"
        if report.rules_as_of
        else "the rules in force on each event's date"
    )
    if report.variants:
        rules += f" (with the variant: {', '.join(report.variants)})"
    return rules


def shortener(spec: Workflow) -> Callable[[str], str]:
    """A function that writes a cited source with its document's short name, where it has one."""
    shorts = {doc.title: doc.short for doc in spec.sources.values() if doc.short}

    def short(source: str) -> str:
        for title, name in shorts.items():
            source = source.replace(title, name)
        return source

    return short
