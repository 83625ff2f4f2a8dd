"""The report as a plain-text timeline a caseworker can read: what happened, what applies, what is due."""

from __future__ import annotations

import textwrap

from casepath.locale import translator
from casepath.render.common import (
    cited_documents,
    details,
    error_name,
    key_dates,
    key_dates_heading,
    outcome_text,
    rules_used,
    short_weekday,
    shortener,
)
from casepath.report import Report
from casepath.status import word
from casepath.visible import visible
from casepath.workflow.compiled import CompiledWorkflow

WIDTH = 92


def _wrap(text: str, indent: int) -> list[str]:
    pad = " " * indent
    return textwrap.wrap(text, WIDTH, initial_indent=pad, subsequent_indent=pad) or [pad]


def render(report: Report, workflow: CompiledWorkflow) -> str:
    """The whole report as text, states and tracks named by their labels."""
    spec = workflow.spec
    tr = translator(workflow.lang)
    track_labels = {name: track.label for name, track in spec.tracks.items()}
    lines: list[str] = []
    add = lines.append
    short = shortener(spec)

    def cite(sources: list[str]) -> str:
        return tr("Sources: {list}", list="; ".join(short(source) for source in sources))

    title = visible(report.title)
    add(title)
    add("=" * min(len(title), WIDTH))
    rules = rules_used(report, workflow.lang)
    add(
        tr(
            "Person: {alias}    Workflow: {workflow}    Rules: {rules}",
            alias=visible(report.alias),
            workflow=visible(report.workflow),
            rules=rules,
        )
    )
    add(tr("Outcome: {outcome}", outcome=outcome_text(report.outcome, spec, workflow.lang)))
    if report.error:
        add("")
        add(
            tr(
                "STOPPED at event {number}: {code}",
                number=report.error.event,
                code=error_name(report.error.code, spec, workflow.lang),
            )
        )
        lines.extend(_wrap(report.error.message, 2))
        add("  " + tr("The report below covers the events before it."))

    def heading(title: str) -> None:
        text = tr(title)
        lines.extend(["", text, "-" * len(text)])

    lines.extend(render_key_dates(report, workflow))

    heading("What happened")
    if not report.events:
        add("  " + tr("(no events)"))
    for entry in report.events:
        what = visible(entry.label)
        if entry.fields:
            what += " (" + visible(details(workflow.spec, entry.event, entry.fields, workflow.lang)) + ")"
        if entry.automatic:
            what = tr("[automatic]") + " " + what
        add(f"  {entry.date:<25} {what}")
        moves = [(entry.track, entry.from_, entry.to)] + [(m.track, m.from_, m.to) for m in entry.also]
        for track, before, after in moves:
            if before != after:
                add(
                    f"  {'':<25}   "
                    + visible(
                        f"{track_labels[track]}: {workflow.label(track, before)} -> {workflow.label(track, after)}"
                    )
                )
        if entry.note:
            lines.extend(_wrap(entry.note, 30))

    heading("Where the case stands")
    for track, state in report.states.items():
        add(visible(f"  {track_labels[track]:<40} {workflow.label(track, state)}"))

    heading("Deadlines")
    if not report.deadlines:
        add("  " + tr("(none)"))
    for deadline in report.deadlines:
        status = word(deadline.status, workflow.lang)
        add(f"  {deadline.due:<25} {visible(deadline.label)} [{status}]")
        lines.extend(_wrap(tr("How: {rule}", rule=deadline.rule), 28))
        for warning in deadline.warnings:
            lines.extend(_wrap(tr("Note: {text}", text=warning), 28))
        lines.extend(_wrap(cite(deadline.sources), 28))

    heading("Entitlements")
    if not report.entitlements:
        add("  " + tr("(none)"))
    for item in report.entitlements:
        if item.until:
            span = tr("from {start} until {end}", start=item.from_, end=item.until)
        else:
            span = tr("from {start} (continuing)", start=item.from_)
        add(f"  {visible(item.label)}")
        add(f"  {'':<4}{span}")
        lines.extend(_wrap(cite(item.sources), 4))

    heading("Assumptions this report relies on")
    if not report.assumptions:
        add("  " + tr("(none)"))
    for assumption in report.assumptions:
        lines.extend(_wrap_hanging(f"- {assumption.note}", 2, 4))  # the note begins with its label; the id is for JSON

    if report.warnings:
        heading("Warnings")
        for warning in report.warnings:
            lines.extend(_wrap("- " + warning, 2))
    if any(doc.short for doc in spec.sources.values()):
        heading("Source documents")
        for doc in cited_documents(report, spec):
            text = tr(
                "{name}: {title} (describes {time})", name=doc.short or doc.title, title=doc.title, time=doc.describes
            )
            lines.extend(_wrap(text, 2))
            if doc.url:
                lines.append(f"    {doc.url}")
    return "\n".join(lines) + "\n"


def render_key_dates(report: Report, workflow: CompiledWorkflow) -> list[str]:
    """The Key dates block: one line per deadline upcoming or missed, a closed day's note once per day."""
    lang = workflow.lang
    tr = translator(lang)
    title = key_dates_heading(report, lang)
    lines = ["", title, "-" * len(title)]
    found = key_dates(report, workflow)
    if not found:
        lines.append("  " + tr("(nothing upcoming or missed)"))
    for item in found:
        day = f"{item.day.isoformat()} {short_weekday(item.day, lang)}" if item.first_of_day else ""
        state = item.status_text + (f", {item.when}" if item.when else "")
        lines.extend(_wrap_hanging(f"{day:<16}{item.label}: {state}", 2, 18))
        if item.note:
            lines.extend(_wrap_hanging("! " + item.note, 18, 20))
    return lines


def _wrap_hanging(text: str, indent: int, hang: int) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=" " * indent, subsequent_indent=" " * hang) or [""]


def render_all(reports: list[tuple[Report, CompiledWorkflow]]) -> str:
    """Several reports, one after another."""
    return "\n\n".join(render(report, workflow) for report, workflow in reports)
