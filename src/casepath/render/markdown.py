"""The report as Markdown, to paste into case notes or a wiki: the text report's content, with tables.

Every piece of text that comes from a scenario or a workflow is escaped, so a pipe in a label
cannot break a table and an underscore or asterisk cannot turn into emphasis. Tables follow
GitHub-flavoured Markdown (also CommonMark with the table extension).
"""

from __future__ import annotations

import re

from casepath.render.common import rules_used, shortener
from casepath.report import Report
from casepath.workflow.compiled import CompiledWorkflow

_STATUS = {
    "in_force": "in force",
    "passed": "**PASSED**",
    "met": "met",
    "ended": "no longer applies",
    "superseded": "replaced by a later one",
    "cancelled": "cancelled",
}
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_BLOCK_START = re.compile(r"^(\s*)([#+=-]|\d+[.)])")


def escape(text: str) -> str:
    """Text shown as itself in Markdown: one line, specials backslash-escaped (pipes too, for tables)."""
    text = " ".join(str(text).split())
    text = _SPECIAL.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A table; cells are already escaped Markdown."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines


def render(report: Report, workflow: CompiledWorkflow) -> str:
    """The whole report as Markdown, states and tracks named by their labels."""
    spec = workflow.spec
    track_labels = {name: track.label for name, track in spec.tracks.items()}
    short = shortener(spec)

    def cite(sources: list[str]) -> str:
        return "; ".join(escape(short(source)) for source in sources)

    lines: list[str] = [f"# {escape(report.title)}", ""]
    add = lines.append
    rules = rules_used(report)
    add(f"- **Person:** {escape(report.alias)}")
    add(f"- **Workflow:** {escape(report.workflow)}")
    add(f"- **Rules:** {escape(rules)}")
    meaning = spec.outcomes.get(report.outcome)
    outcome = report.outcome.replace("_", " ") + (f" ({meaning})" if meaning else "")
    add(f"- **Outcome:** {escape(outcome)}")
    if report.error:
        add("")
        code = report.error.code.replace("_", " ")
        add(f"> **Stopped at event {report.error.event}: {escape(code)}.** {escape(report.error.message)}")
        add("> The report below covers the events before it.")

    add("")
    add("## What happened")
    add("")
    if not report.events:
        add("(no events)")
    else:
        rows = []
        for entry in report.events:
            what = entry.label
            if entry.fields:
                what += " (" + ", ".join(f"{k}: {_value(v)}" for k, v in entry.fields.items()) + ")"
            what = escape(what)
            if entry.automatic:
                what = "*automatic:* " + what
            moves = [(entry.track, entry.from_, entry.to)] + [(m.track, m.from_, m.to) for m in entry.also]
            changes = "; ".join(
                escape(f"{track_labels[track]}: {workflow.label(track, before)} → {workflow.label(track, after)}")
                for track, before, after in moves
                if before != after
            )
            rows.append([escape(entry.date), what, changes, escape(entry.note or "")])
        lines += _table(["Date", "Event", "Change", "Note"], rows)

    add("")
    add("## Where the case stands")
    add("")
    lines += _table(
        ["Track", "State"],
        [[escape(track_labels[track]), escape(workflow.label(track, state))] for track, state in report.states.items()],
    )

    add("")
    add("## Deadlines")
    add("")
    if not report.deadlines:
        add("(none)")
    else:
        rows = [
            [
                escape(d.due),
                escape(d.label),
                _STATUS.get(d.status, escape(d.status)),
                escape(d.rule),
                "; ".join(escape(w) for w in d.warnings),
                cite(d.sources),
            ]
            for d in report.deadlines
        ]
        lines += _table(["Due", "What", "Status", "How", "Warnings", "Sources"], rows)

    add("")
    add("## Entitlements")
    add("")
    if not report.entitlements:
        add("(none)")
    else:
        rows = [
            [escape(e.label), escape(e.from_), escape(e.until) if e.until else "(continuing)", cite(e.sources)]
            for e in report.entitlements
        ]
        lines += _table(["Entitlement", "From", "Until", "Sources"], rows)

    add("")
    add("## Assumptions this report relies on")
    add("")
    if not report.assumptions:
        add("(none)")
    for assumption in report.assumptions:
        add(f"- **{escape(assumption.parameter)}:** {escape(assumption.note)}")

    if report.warnings:
        add("")
        add("## Warnings")
        add("")
        for warning in report.warnings:
            add(f"- {escape(warning)}")
    if any(doc.short for doc in spec.sources.values()):
        add("")
        add("## Source documents")
        add("")
        for doc in spec.sources.values():
            add(f"- **{escape(doc.short or doc.title)}:** {escape(doc.title)} (describes {escape(doc.describes)})")
    return "\n".join(lines) + "\n"


def _value(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def render_all(reports: list[tuple[Report, CompiledWorkflow]]) -> str:
    """Several reports, one after another, separated by a rule."""
    return "\n---\n\n".join(render(report, workflow) for report, workflow in reports)
