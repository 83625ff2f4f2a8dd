"""The report as a plain-text timeline a caseworker can read: what happened, what applies, what is due."""

from __future__ import annotations

import textwrap

from casepath.render.common import rules_used, shortener
from casepath.report import Report
from casepath.workflow.compiled import CompiledWorkflow

WIDTH = 92
_STATUS = {
    "in_force": "in force",
    "passed": "PASSED",
    "met": "met",
    "ended": "no longer applies",
    "superseded": "replaced by a later one",
    "cancelled": "cancelled",
}


def _wrap(text: str, indent: int) -> list[str]:
    pad = " " * indent
    return textwrap.wrap(text, WIDTH, initial_indent=pad, subsequent_indent=pad) or [pad]


def render(report: Report, workflow: CompiledWorkflow) -> str:
    """The whole report as text, states and tracks named by their labels."""
    spec = workflow.spec
    outcomes = spec.outcomes
    track_labels = {name: track.label for name, track in spec.tracks.items()}
    lines: list[str] = []
    add = lines.append
    short = shortener(spec)

    def cite(sources: list[str]) -> str:
        return "Sources: " + "; ".join(short(source) for source in sources)

    add(report.title)
    add("=" * min(len(report.title), WIDTH))
    rules = rules_used(report)
    add(f"Person: {report.alias}    Workflow: {report.workflow}    Rules: {rules}")
    meaning = outcomes.get(report.outcome)
    outcome = report.outcome.replace("_", " ")
    add(f"Outcome: {outcome}" + (f" ({meaning})" if meaning else ""))
    if report.error:
        add("")
        add(f"STOPPED at event {report.error.event}: {report.error.code.replace('_', ' ')}")
        lines.extend(_wrap(report.error.message, 2))
        add("  The report below covers the events before it.")

    add("")
    add("What happened")
    add("-------------")
    if not report.events:
        add("  (no events)")
    for entry in report.events:
        what = entry.label
        if entry.fields:
            what += " (" + ", ".join(f"{k}: {v}" for k, v in entry.fields.items()) + ")"
        if entry.automatic:
            what = "[automatic] " + what
        add(f"  {entry.date:<25} {what}")
        moves = [(entry.track, entry.from_, entry.to)] + [(m.track, m.from_, m.to) for m in entry.also]
        for track, before, after in moves:
            if before != after:
                add(
                    f"  {'':<25}   {track_labels[track]}: {workflow.label(track, before)} -> "
                    f"{workflow.label(track, after)}"
                )
        if entry.note:
            lines.extend(_wrap(entry.note, 30))

    add("")
    add("Where the case stands")
    add("---------------------")
    for track, state in report.states.items():
        add(f"  {track_labels[track]:<40} {workflow.label(track, state)}")

    add("")
    add("Deadlines")
    add("---------")
    if not report.deadlines:
        add("  (none)")
    for deadline in report.deadlines:
        status = _STATUS.get(deadline.status, deadline.status)
        add(f"  {deadline.due:<25} {deadline.label} [{status}]")
        lines.extend(_wrap("How: " + deadline.rule, 28))
        for warning in deadline.warnings:
            lines.extend(_wrap("Note: " + warning, 28))
        lines.extend(_wrap(cite(deadline.sources), 28))

    add("")
    add("Entitlements")
    add("------------")
    if not report.entitlements:
        add("  (none)")
    for item in report.entitlements:
        span = f"from {item.from_}" + (f" until {item.until}" if item.until else " (continuing)")
        add(f"  {item.label}")
        add(f"  {'':<4}{span}")
        lines.extend(_wrap(cite(item.sources), 4))

    add("")
    add("Assumptions this report relies on")
    add("---------------------------------")
    if not report.assumptions:
        add("  (none)")
    for assumption in report.assumptions:
        lines.extend(_wrap(f"- {assumption.parameter}: {assumption.note}", 2))

    if report.warnings:
        add("")
        add("Warnings")
        add("--------")
        for warning in report.warnings:
            lines.extend(_wrap("- " + warning, 2))
    if any(doc.short for doc in spec.sources.values()):
        add("")
        add("Source documents")
        add("----------------")
        for doc in spec.sources.values():
            lines.extend(_wrap(f"{doc.short or doc.title}: {doc.title} (describes {doc.describes})", 2))
    return "\n".join(lines) + "\n"


def render_all(reports: list[tuple[Report, CompiledWorkflow]]) -> str:
    """Several reports, one after another."""
    return "\n\n".join(render(report, workflow) for report, workflow in reports)
