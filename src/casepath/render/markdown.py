"""The report as Markdown, to paste into case notes or a wiki: the text report's content, with tables.

Every piece of text that comes from a scenario or a workflow is escaped, so a pipe in a label
cannot break a table and an underscore or asterisk cannot turn into emphasis. Tables follow
GitHub-flavoured Markdown (also CommonMark with the table extension).
"""

from __future__ import annotations

import re

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
from casepath.status import ALARMING, Status, word
from casepath.visible import visible
from casepath.workflow.compiled import CompiledWorkflow

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_BLOCK_START = re.compile(r"^(\s*)([#+=-]|\d+[.)])")


def escape(text: str) -> str:
    """Text shown as itself in Markdown: one line, specials backslash-escaped (pipes too, for tables)."""
    text = visible(" ".join(str(text).split()))
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
    tr = translator(workflow.lang)
    track_labels = {name: track.label for name, track in spec.tracks.items()}
    short = shortener(spec)

    def cite(sources: list[str]) -> str:
        return "; ".join(escape(short(source)) for source in sources)

    lines: list[str] = [f"# {escape(report.title)}", ""]
    add = lines.append
    rules = rules_used(report, workflow.lang)
    add(f"- **{tr('Person:')}** {escape(report.alias)}")
    add(f"- **{tr('Workflow:')}** {escape(report.workflow)}")
    add(f"- **{tr('Rules:')}** {escape(rules)}")
    add(f"- **{tr('Outcome:')}** {escape(outcome_text(report.outcome, spec, workflow.lang))}")
    if report.error:
        add("")
        code = escape(error_name(report.error.code, spec, workflow.lang))
        stopped = tr("Stopped at event {number}: {code}.", number=report.error.event, code=code)
        add(f"> **{stopped}** {escape(report.error.message)}")
        add("> " + tr("The report below covers the events before it."))

    def heading(title: str) -> None:
        lines.extend(["", "## " + tr(title), ""])

    lines.extend(["", "## " + escape(key_dates_heading(report, workflow.lang)), ""])
    lines.extend(render_key_dates(report, workflow))

    heading("What happened")
    if not report.events:
        add(tr("(no events)"))
    else:
        rows = []
        for entry in report.events:
            what = entry.label
            if entry.fields:
                what += " (" + details(spec, entry.event, entry.fields, workflow.lang) + ")"
            what = escape(what)
            if entry.automatic:
                what = "*" + tr("automatic:") + "* " + what
            moves = [(entry.track, entry.from_, entry.to)] + [(m.track, m.from_, m.to) for m in entry.also]
            changes = "; ".join(
                escape(f"{track_labels[track]}: {workflow.label(track, before)} → {workflow.label(track, after)}")
                for track, before, after in moves
                if before != after
            )
            rows.append([escape(entry.date), what, changes, escape(entry.note or "")])
        lines += _table([tr("Date"), tr("Event"), tr("Change"), tr("Note")], rows)

    heading("Where the case stands")
    lines += _table(
        [tr("Track"), tr("State")],
        [[escape(track_labels[track]), escape(workflow.label(track, state))] for track, state in report.states.items()],
    )

    heading("Deadlines")
    if not report.deadlines:
        add(tr("(none)"))
    else:
        rows = [
            [
                escape(d.due),
                escape(d.label),
                _status(d.status, workflow.lang),
                escape(d.rule),
                "; ".join(escape(w) for w in d.warnings),
                cite(d.sources),
            ]
            for d in report.deadlines
        ]
        header = [tr("Due"), tr("What"), tr("Status"), tr("How"), tr("Warnings"), tr("Sources")]
        lines += _table(header, rows)

    heading("Entitlements")
    if not report.entitlements:
        add(tr("(none)"))
    else:
        rows = [
            [escape(e.label), escape(e.from_), escape(e.until) if e.until else tr("(continuing)"), cite(e.sources)]
            for e in report.entitlements
        ]
        lines += _table([tr("Entitlement"), tr("From"), tr("Until"), tr("Sources")], rows)

    heading("Assumptions this report relies on")
    if not report.assumptions:
        add(tr("(none)"))
    for assumption in report.assumptions:
        add(f"- {escape(assumption.note)}")  # the note begins with its label; the id is for JSON

    if report.warnings:
        heading("Warnings")
        for warning in report.warnings:
            add(f"- {escape(warning)}")
    if any(doc.short for doc in spec.sources.values()):
        heading("Source documents")
        for doc in cited_documents(report, spec):
            describes = tr("(describes {time})", time=escape(doc.describes))
            title = f"[{escape(doc.title)}](<{doc.url}>)" if doc.url else escape(doc.title)
            add(f"- **{escape(doc.short or doc.title)}:** {title} {describes}")
    return "\n".join(lines) + "\n"


def render_key_dates(report: Report, workflow: CompiledWorkflow) -> list[str]:
    """The Key dates block as a list: one item per deadline upcoming or missed, a closed day's note once per day."""
    lang = workflow.lang
    found = key_dates(report, workflow)
    if not found:
        return [translator(lang)("(nothing upcoming or missed)")]
    lines = []
    for item in found:
        day = escape(f"{item.day.isoformat()} ({short_weekday(item.day, lang)})")
        state = _status(item.status, lang) + (f", {escape(item.when)}" if item.when else "")
        lines.append(f"- **{day}** {escape(item.label)}: {state}")
        if item.note:
            lines.append(f"  - {escape(item.note)}")
    return lines


def _status(status: Status, lang: str) -> str:
    text = escape(word(status, lang))
    return f"**{text}**" if status in ALARMING else text


def render_all(reports: list[tuple[Report, CompiledWorkflow]]) -> str:
    """Several reports, one after another, separated by a rule."""
    return "\n---\n\n".join(render(report, workflow) for report, workflow in reports)
