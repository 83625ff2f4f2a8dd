"""The caseload agenda (`casepath agenda`) in every format: text, JSON, Markdown, HTML and iCalendar.

Items are in date order and grouped by week (Monday to Sunday, ISO week numbers). Deadlines
missed before the week of FROM form one group ahead of the weeks, so an old miss does not hide in
a week long past. The HTML page is self-contained (styles inline, nothing fetched) and prints a
week per section. The calendar holds the agenda's deadlines as `casepath simulate --format ics`
writes them: the same UIDs, so importing both never doubles an event.
"""

from __future__ import annotations

import json
import textwrap
from datetime import date, timedelta
from itertools import groupby

from markupsafe import escape

from casepath import __version__
from casepath.agenda import Agenda, Item
from casepath.locale import translator
from casepath.render import ics
from casepath.render.common import closed_day_note, short_weekday, when_due
from casepath.render.markdown import escape as md
from casepath.status import ALARMING, word
from casepath.visible import visible

WIDTH = 92


def render(agenda: Agenda, format: str) -> str:
    return {"text": text, "json": as_json, "markdown": markdown, "html": html, "ics": calendar}[format](agenda)


def as_json(agenda: Agenda) -> str:
    return json.dumps([item.as_json_data() for item in agenda.items], indent=2, ensure_ascii=False) + "\n"


def weeks(agenda: Agenda) -> list[tuple[str, list[Item]]]:
    """The items grouped: missed before FROM's week first, then one group per week, each with its heading."""
    tr = translator(agenda.lang)
    monday = agenda.start - timedelta(days=agenda.start.weekday())

    def key(item: Item) -> tuple[int, int]:
        if item.day < monday:
            return (0, 0)
        year, week, _ = item.day.isocalendar()
        return (year, week)

    groups = []
    for (year, week), items in groupby(agenda.items, key):
        if year == 0:
            heading = tr("Missed before the week of {date}", date=agenda.start.isoformat())
        else:
            first = date.fromisocalendar(year, week, 1)
            heading = tr(
                "Week {week}: {start} to {end}",
                week=week,
                start=first.isoformat(),
                end=(first + timedelta(days=6)).isoformat(),
            )
        groups.append((heading, list(items)))
    return groups


def _title(agenda: Agenda) -> str:
    tr = translator(agenda.lang)
    return tr(
        "Agenda on {date}: deadlines missed or due within {days} days",
        date=f"{agenda.start.isoformat()} ({short_weekday(agenda.start, agenda.lang)})",
        days=agenda.days,
    )


def _summary(agenda: Agenda) -> str:
    tr = translator(agenda.lang)
    cases = len({(item.report.file, item.report.title) for item in agenda.items})
    return tr(
        "{count} on the agenda, from {cases} of {total} cases read.",
        count=len(agenda.items),
        cases=cases,
        total=len(agenda.cases),
    )


def _state(item: Item, agenda: Agenda) -> str:
    left = when_due(item.deadline.status, item.deadline.due, agenda.start, agenda.lang)
    return word(item.deadline.status, agenda.lang) + (f", {left}" if left else "")


def _not_advice(agenda: Agenda) -> str:
    tr = translator(agenda.lang)
    return tr(
        "A checking aid, not legal advice: every date rests on the sources and assumptions in the full report "
        "of its case (casepath simulate FILE)."
    )


def _headers(agenda: Agenda) -> tuple[str, ...]:
    tr = translator(agenda.lang)
    return (tr("Due"), tr("What"), tr("Status"), tr("Case"))


def _case(item: Item, lang: str) -> str:
    tr = translator(lang)
    report = item.report
    alias, file = visible(report.alias), visible(report.file or "")
    if report.case_ref:
        return tr("case {ref}, {alias} ({file})", ref=report.case_ref, alias=alias, file=file)
    return tr("{alias} ({file})", alias=alias, file=file)


def _note(agenda: Agenda, items: list[Item]) -> str | None:
    """The closed-office note of a day, once (from the first case's workflow: one calendar per day)."""
    first = items[0]
    return closed_day_note(first.day, [item.deadline for item in items], first.workflow)


def text(agenda: Agenda) -> str:
    tr = translator(agenda.lang)
    title = _title(agenda)
    lines = [title, "=" * len(title), _summary(agenda)]
    if not agenda.items:
        lines += ["", "  " + tr("(nothing missed or due)")]
    for heading, items in weeks(agenda):
        lines += ["", heading, "-" * len(heading)]
        for day, on_day in groupby(items, lambda item: item.day):
            same_day = list(on_day)
            shown = f"{day.isoformat()} {short_weekday(day, agenda.lang)}"
            for _, of_case in groupby(same_day, lambda item: id(item.report)):
                case_items = list(of_case)
                lines.append(f"  {shown:<16}{_case(case_items[0], agenda.lang)}")
                shown = ""
                lines += [f"  {'':<16}  {item.deadline.label}: {_state(item, agenda)}" for item in case_items]
            note = _note(agenda, same_day)
            if note:
                lines += textwrap.wrap(
                    "! " + note, WIDTH, initial_indent=" " * 18, subsequent_indent=" " * 20
                )
    return "\n".join(lines) + "\n"


def markdown(agenda: Agenda) -> str:
    tr = translator(agenda.lang)
    lines = [f"# {md(_title(agenda))}", "", md(_summary(agenda))]
    if not agenda.items:
        lines += ["", tr("(nothing missed or due)")]
    for heading, items in weeks(agenda):
        lines += ["", f"## {md(heading)}", ""]
        lines += ["| " + " | ".join(_headers(agenda)) + " |", "| --- | --- | --- | --- |"]
        for item in items:
            state = md(_state(item, agenda))
            if item.deadline.status in ALARMING:
                state = f"**{state}**"
            day = md(f"{item.day.isoformat()} ({short_weekday(item.day, agenda.lang)})")
            lines.append(f"| {day} | {md(item.deadline.label)} | {state} | {md(_case(item, agenda.lang))} |")
        notes = [_note(agenda, list(on_day)) for _, on_day in groupby(items, lambda item: item.day)]
        lines += [""] + [f"- {md(note)}" for note in notes if note] if any(notes) else []
    return "\n".join(lines) + "\n"


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1b1f24; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 1.5rem; border-bottom: 1px solid #c9d1da; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; vertical-align: top; }
thead th { border-bottom: 2px solid #c9d1da; } tbody tr { border-bottom: 1px solid #e4e8ee; }
td.due { white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.missed td { background: #fbeceb; } tr.missed .status { color: #a8201a; font-weight: bold; }
.note { color: #4b5766; font-size: .9rem; }
@media print { body { margin: 0; max-width: none; } section { break-inside: avoid; } }
"""


def html(agenda: Agenda) -> str:
    tr = translator(agenda.lang)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(agenda.lang)}">',
        '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="casepath {escape(__version__)}">',
        f"<title>{escape(_title(agenda))}</title><style>{_STYLE}</style></head>",
        "<body><main>",
        f"<h1>{escape(_title(agenda))}</h1>",
        f"<p>{escape(_summary(agenda))}</p>",
        f'<p class="note">{escape(_not_advice(agenda))}</p>',
    ]
    if not agenda.items:
        out.append(f"<p>{escape(tr('(nothing missed or due)'))}</p>")
    for heading, items in weeks(agenda):
        out.append(f"<section><h2>{escape(heading)}</h2><table>")
        out.append(
            "<thead><tr>"
            + "".join(f'<th scope="col">{escape(h)}</th>' for h in _headers(agenda))
            + "</tr></thead><tbody>"
        )
        for item in items:
            missed = ' class="missed"' if item.deadline.status in ALARMING else ""
            day = f"{item.day.isoformat()} ({short_weekday(item.day, agenda.lang)})"
            out.append(
                f'<tr{missed}><td class="due">{escape(day)}</td><td>{escape(item.deadline.label)}</td>'
                f'<td class="status">{escape(_state(item, agenda))}</td>'
                f"<td>{escape(_case(item, agenda.lang))}</td></tr>"
            )
        out.append("</tbody></table>")
        notes = [_note(agenda, list(on_day)) for _, on_day in groupby(items, lambda item: item.day)]
        out += [f'<p class="note">{escape(note)}</p>' for note in notes if note]
        out.append("</section>")
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


def calendar(agenda: Agenda) -> str:
    """One calendar for the caseload: the agenda's deadlines, as each case's own calendar has them."""
    chosen = {(id(item.report), id(item.deadline)) for item in agenda.items}
    entries = [
        entry
        for report, workflow in agenda.cases
        for entry in ics.entries_of(report, workflow)
        if (id(report), id(entry.deadline)) in chosen
    ]
    entries.sort(key=lambda e: (e.day, e.deadline.due))
    tr = translator(agenda.lang)
    return ics.calendar_of(entries, agenda.cases, name=tr("caseload agenda"))
