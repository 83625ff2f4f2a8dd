"""Wording every output format shares, so a report says the same thing in each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from casepath import clock, locale
from casepath.locale import translate, translator
from casepath.report import DeadlineEntry, Report
from casepath.status import ALARMING, STILL_OPEN, Status, word
from casepath.workflow.compiled import CompiledWorkflow
from casepath.workflow.spec import SourceDocument, Workflow


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


def error_name(code: str, spec: Workflow, lang: str = "en") -> str:
    """A broken rule's code as a reader sees it: "event not allowed"; in another language, the
    workflow's (translated) words for its own codes, and casepath's for the engine's two."""
    if lang == "en":
        return code.replace("_", " ")
    engine = {"event_not_allowed": translate("event not allowed", lang)}
    engine["events_out_of_order"] = translate("events out of order", lang)
    return spec.errors.get(code) or engine.get(code) or code.replace("_", " ")


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


def cited_documents(report: Report, spec: Workflow) -> list[SourceDocument]:
    """The workflow's source documents that the report cites, in the workflow's order (the
    report keeps its citations as text, which starts with the document's title)."""
    texts = [
        *(s for d in report.deadlines for s in d.sources),
        *(s for e in report.entitlements for s in e.sources),
        *(s for e in report.events for s in e.sources),
    ]
    return [doc for doc in spec.sources.values() if any(text.startswith(doc.title) for text in texts)]


# ------------------------------------------------------------------------------------------ key dates


def short_weekday(day: date, lang: str) -> str:
    """ "Sat", "lør": the day of the week beside a date, independent of the system's locale."""
    tr = translator(lang)
    return (tr("Mon"), tr("Tue"), tr("Wed"), tr("Thu"), tr("Fri"), tr("Sat"), tr("Sun"))[day.weekday()]


def judged_day(report: Report) -> date | None:
    """The day the report judges its deadlines on: `--on`'s day, else the last event's."""
    if report.on:
        return date.fromisoformat(report.on)
    if report.events:
        return date.fromisoformat(report.events[-1].date[:10])
    return None


def due_day(due: str) -> date:
    """The (local) day of a report's due date or date-time."""
    return date.fromisoformat(due[:10])


def days_left(due: str, on: date) -> int:
    """Whole days from `on` to the due day: 0 on the day itself, negative once it is past."""
    return (due_day(due) - on).days


def when_due(status: Status, due: str, on: date | None, lang: str) -> str:
    """How the due date stands on the report's day: "5 days left", "due today", "overdue since 2022-07-09".

    A day deadline is overdue from the day after its last day; one counted in hours from its moment."""
    tr = translator(lang)
    if on is None:
        return ""
    if status in ALARMING:
        since = due[:16].replace("T", " ") if "T" in due else (due_day(due) + timedelta(days=1)).isoformat()
        return tr("overdue since {date}", date=since)
    if status not in STILL_OPEN:
        return ""
    left = days_left(due, on)
    if left < 0:
        return ""  # judged before `on` (a report that stopped at a broken rule): no claim about `on`
    if left == 0:
        return tr("due today")
    if left == 1:
        return tr("1 day left")
    return tr("{count} days left", count=left)


@dataclass(frozen=True)
class KeyDate:
    """One line of the Key dates block: a deadline that is upcoming or was missed."""

    day: date
    due: str
    label: str
    status: Status
    status_text: str
    when: str
    first_of_day: bool
    """The first key date of its day (the day is shown once)."""
    note: str | None
    """Why offices are closed that day and the last working day before it: on the last line of its day only."""


def key_dates(report: Report, workflow: CompiledWorkflow) -> list[KeyDate]:
    """The deadlines that matter next or were missed, in date order (the report's order).

    A day on which offices are closed gets its note once, however many deadlines fall on it. The
    note is given for upcoming deadlines only: it says when to act, and a missed day is past acting."""
    lang = workflow.lang
    on = judged_day(report)
    chosen = [d for d in report.deadlines if d.status in STILL_OPEN or d.status in ALARMING]
    lines: list[KeyDate] = []
    for index, deadline in enumerate(chosen):
        day = due_day(deadline.due)
        first = index == 0 or due_day(chosen[index - 1].due) != day
        last = index == len(chosen) - 1 or due_day(chosen[index + 1].due) != day
        note = None
        if last:
            same_day = [d for d in chosen if due_day(d.due) == day]
            note = closed_day_note(day, same_day, workflow)
        lines.append(
            KeyDate(
                day=day,
                due=deadline.due,
                label=deadline.label,
                status=deadline.status,
                status_text=word(deadline.status, lang),
                when=when_due(deadline.status, deadline.due, on, lang),
                first_of_day=first,
                note=note,
            )
        )
    return lines


def closed_day_note(day: date, deadlines: list[DeadlineEntry], workflow: CompiledWorkflow) -> str | None:
    """Why offices are closed on `day` and the last working day before it, if an upcoming deadline
    of `deadlines` falls on it (one that the workflow says to warn about); else None."""
    tr = translator(workflow.lang)
    calendar = workflow.spec.calendar
    wanted = [
        d
        for d in deadlines
        if d.status in STILL_OPEN
        and "T" not in d.due
        and (d.id not in workflow.spec.deadlines or workflow.spec.deadlines[d.id].closed_day_warning)
    ]
    if not wanted:
        return None
    reason = locale.closed_reason(day, calendar, workflow.lang)
    if reason is None:
        return None
    before = clock.last_working_day_before(day, calendar)
    return tr(
        "{date} is {reason}: offices are closed; the last working day before it is {weekday} {before}.",
        date=day.isoformat(),
        reason=reason,
        weekday=locale.weekday(before, workflow.lang),
        before=before.isoformat(),
    )


def key_dates_heading(report: Report, lang: str) -> str:
    """ "Key dates on 2026-01-05" (the day the statuses are judged on)."""
    tr = translator(lang)
    on = judged_day(report)
    return tr("Key dates on {date}", date=on.isoformat()) if on else tr("Key dates")
