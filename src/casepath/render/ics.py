"""The deadlines of a case as an iCalendar file (RFC 5545) to import into a caseworker's calendar.

What goes in, and why:

- One event per deadline of a case. A deadline replaced by a later one (an extension moved the
  departure deadline) is not an event of its own: the later one takes its place, with the same
  UID and a higher SEQUENCE, so a calendar that imported the old date moves the event.
- A day deadline is an all-day event on its last day; a deadline counted in hours (detention)
  is an event at that moment, in the workflow's time zone, with the zone's VTIMEZONE.
- Only upcoming deadlines get a reminder, at 09:00 (the workflow's time zone) on the last working
  day before the due day - never on a weekend or a public holiday of the workflow's calendar. A
  deadline in hours due after 09:00 on a working day is reminded of at 09:00 that day. Deadlines
  reminded of at the same moment share one reminder (on the first of them, naming them all).
- A deadline that no longer applies (the case moved on, or the step that set it was undone) is
  marked so in its summary and STATUS:CANCELLED, without a reminder; met, expired and missed ones
  are marked with their status, without a reminder.
- UIDs name one deadline of one case and never its date: they come from `Report.case_key`
  (`casepath.caseid`: the case_ref, else the file and what identifies the person and case), the
  deadline's id and its number among that id's deadlines. SEQUENCE counts how often that
  deadline was moved (and once more when it stopped applying); DTSTAMP is the moment the case is
  looked at (`--on`, else its last event), never the clock, so the same case gives the same bytes.
- A calendar always holds at least one component (RFC 5545 asks for one): a case without a
  deadline gives a calendar with the workflow's VTIMEZONE and no event.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone

import casepath
from casepath import clock
from casepath.locale import translate, translator
from casepath.report import DeadlineEntry, Report
from casepath.status import STILL_OPEN, Status, word
from casepath.visible import visible
from casepath.workflow.compiled import CompiledWorkflow

NO_LONGER_APPLIES = frozenset({Status.ENDED, Status.CANCELLED})
"""Statuses whose event is kept but marked cancelled: the deadline does not apply any more."""
REMINDER_HOUR = time(9, 0)
_BARE_LINE_END = re.compile(r"\r(?!\n)|(?<!\r)\n")


def render_all(reports: list[tuple[Report, CompiledWorkflow]]) -> str:
    """One calendar holding the deadlines of every report."""
    lang = reports[0][1].lang
    name = reports[0][0].title if len(reports) == 1 else translate("casepath deadlines", lang)
    entries = [entry for report, workflow in reports for entry in entries_of(report, workflow)]
    return calendar_of(entries, reports, name)


def calendar_of(entries: list[Entry], reports: list[tuple[Report, CompiledWorkflow]], name: str) -> str:
    """A calendar of these entries (of these reports), named `name`."""
    calendar = Calendar()
    calendar.add("prodid", f"-//casepath//casepath {casepath.__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", visible(f"casepath: {name}"))
    add_events(calendar, entries)
    zone_years = [e.day.year for e in entries] or [_stamp(r, w).year for r, w in reports] or [1970]
    first, last = date(min(zone_years) - 1, 1, 1), date(max(zone_years) + 2, 1, 1)
    if entries:
        # Zone definitions for the years the events span, so the file does not depend on today's date.
        calendar.add_missing_timezones(first, last)
    if not calendar.subcomponents:
        zone = reports[0][1].zone if reports else ZoneInfo("UTC")
        calendar.add_component(Timezone.from_tzinfo(zone, str(zone), first, last))
    text = calendar.to_ical().decode("utf-8")
    if _BARE_LINE_END.search(text):  # every value went through `visible`; this is the net under it
        raise RuntimeError("a calendar line would break: a line end outside CR LF")
    return text


@dataclass(frozen=True)
class Entry:
    """One deadline of one case, ready to be a calendar event."""

    report: Report
    workflow: CompiledWorkflow
    deadline: DeadlineEntry
    uid: str
    sequence: int
    due: date | datetime
    remind: datetime | None
    """When to remind (aware, the workflow's zone), for an upcoming deadline; else None."""

    @property
    def day(self) -> date:
        return self.due.date() if isinstance(self.due, datetime) else self.due


def entries_of(report: Report, workflow: CompiledWorkflow) -> list[Entry]:
    """A report's deadlines as calendar entries, in the report's (date) order, replaced ones folded
    into the deadline that took their place."""
    slots: dict[int, tuple[int, int]] = {}  # position in report.deadlines -> (number, sequence)
    for deadline_id in dict.fromkeys(d.id for d in report.deadlines):
        # In the order they were set: a replaced deadline hands its number on to the next one.
        chain = sorted(
            (i for i, d in enumerate(report.deadlines) if d.id == deadline_id),
            key=lambda i: report.deadlines[i].set_on,
        )
        number = moved = 0
        for i in chain:
            if report.deadlines[i].status is Status.REPLACED:
                moved += 1
                continue
            number += 1
            slots[i] = (number, moved)
            moved = 0
    entries = []
    for i, deadline in enumerate(report.deadlines):
        if i not in slots:
            continue
        number, moved = slots[i]
        due = _when(deadline.due, workflow)
        sequence = moved + (1 if deadline.status in NO_LONGER_APPLIES else 0)
        remind = reminder(due, workflow) if deadline.status in STILL_OPEN else None
        entries.append(Entry(report, workflow, deadline, uid(report, deadline.id, number), sequence, due, remind))
    return entries


def add_events(calendar: Calendar, entries: list[Entry]) -> None:
    """The entries as events; those reminded of at one moment share one reminder (on the first)."""
    together: dict[datetime, list[Entry]] = {}
    for entry in entries:
        if entry.remind is not None:
            together.setdefault(entry.remind, []).append(entry)
    for entry in entries:
        event = _event(entry)
        group = together.get(entry.remind) if entry.remind is not None else None
        if group and group[0] is entry:
            event.add_component(_alarm(group))
        calendar.add_component(event)


def uid(report: Report, deadline_id: str, number: int) -> str:
    """A UID naming the case and the deadline, not its date, so a changed date updates the event."""
    key = "\x1f".join([report.case_key or report.title, deadline_id, str(number)])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    return f"{deadline_id}-{number}-{digest}@casepath"


def reminder(due: date | datetime, workflow: CompiledWorkflow) -> datetime:
    """09:00 on the last working day before the due day (a deadline in hours due after 09:00 on a
    working day: 09:00 that day), in the workflow's time zone."""
    calendar = workflow.spec.calendar  # public holidays and the workflow's closed days
    day = due.date() if isinstance(due, datetime) else due
    if isinstance(due, datetime) and due.astimezone(workflow.zone).time() > REMINDER_HOUR:
        day += timedelta(days=1)  # the day itself counts, if it is a working day
    working = clock.last_working_day_before(day, calendar)
    return datetime.combine(working, REMINDER_HOUR, tzinfo=workflow.zone)


def _stamp(report: Report, workflow: CompiledWorkflow) -> datetime:
    """The moment the case is looked at, in UTC: `--on`'s day, else its last event (a day: its start in
    the workflow's zone). The clock would make every file differ."""
    moments = []
    if report.events:
        last = _when(report.events[-1].date, workflow)
        moments.append(last if isinstance(last, datetime) else clock.start_of_day(last, workflow.zone))
    if report.on:
        moments.append(clock.start_of_day(date.fromisoformat(report.on), workflow.zone))
    if not moments:
        return datetime(1970, 1, 1, tzinfo=UTC)
    return max(moments).astimezone(UTC)


def _when(text: str, workflow: CompiledWorkflow) -> date | datetime:
    if len(text) == 10:
        return date.fromisoformat(text)
    return datetime.fromisoformat(text).astimezone(workflow.zone)


def who(report: Report) -> str:
    """The case as a calendar names it: the pseudonym, and the case_ref when there is one."""
    return f"{report.alias}, {report.case_ref}" if report.case_ref else report.alias


def _summary(entry: Entry) -> str:
    deadline = entry.deadline
    status = None if deadline.status is Status.UPCOMING else word(deadline.status, entry.workflow.lang)
    return visible(f"{deadline.label} ({who(entry.report)})" + (f" [{status}]" if status else ""))


def _event(entry: Entry) -> Event:
    report, workflow, deadline = entry.report, entry.workflow, entry.deadline
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", _stamp(report, workflow))
    event.add("sequence", entry.sequence)
    event.add("summary", _summary(entry))
    event.add("dtstart", entry.due)
    if not isinstance(entry.due, datetime):  # a timed event has no DTEND: it happens at that moment (§3.6.1)
        event.add("dtend", entry.due + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("status", "CANCELLED" if deadline.status in NO_LONGER_APPLIES else "CONFIRMED")
    event.add("description", _description(report, workflow, deadline))
    event.add("categories", ["casepath", deadline.id])
    return event


def _description(report: Report, workflow: CompiledWorkflow, deadline: DeadlineEntry) -> str:
    spec = workflow.spec.deadlines.get(deadline.id)
    status = word(deadline.status, workflow.lang)
    lines = [f"{deadline.label}: {deadline.due} ({status})"]
    if spec is not None:
        lines.append(" ".join(spec.meaning.split()))
    tr = translator(workflow.lang)
    case = tr("Case: {title} - person: {alias}", title=report.title, alias=report.alias)
    lines += [
        case + (tr(" - case ref: {ref}", ref=report.case_ref) if report.case_ref else ""),
        tr("How: {rule}", rule=deadline.rule),
        *(tr("Note: {text}", text=warning) for warning in deadline.warnings),
        tr("Sources: {list}", list="; ".join(_short(workflow, source) for source in deadline.sources)),
        tr(
            "From casepath ({title}); not legal advice: check the assumptions in the full report.",
            title=workflow.spec.title,
        ),
    ]
    return "\n".join(visible(line) for line in lines)  # the line breaks between them are icalendar's to escape


def _short(workflow: CompiledWorkflow, source: str) -> str:
    """A source with its document's short name, as the text report cites it."""
    for doc in workflow.spec.sources.values():
        if doc.short:
            source = source.replace(doc.title, doc.short)
    return source


def _alarm(group: list[Entry]) -> Alarm:
    """One reminder for every deadline reminded of at this moment, naming each."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    items = [f"{_summary(e)}: {e.deadline.due}" for e in group]
    alarm.add("description", translate("Due soon: {items}", group[0].workflow.lang, items="; ".join(items)))
    # Absolute, in UTC, with VALUE=DATE-TIME (a TRIGGER is a duration unless it says so: RFC 5545 §3.8.6.3).
    remind = group[0].remind
    assert remind is not None  # only deadlines with a reminder are grouped
    alarm.add("trigger", remind.astimezone(UTC), parameters={"VALUE": "DATE-TIME"})
    return alarm
