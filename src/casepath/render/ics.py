"""The deadlines of a case as an iCalendar file (RFC 5545) to import into a caseworker's calendar.

What goes in, and why:

- One event per deadline that still tells the caseworker something: upcoming, missed, met,
  expired or no longer applies. Deadlines replaced by a later one or cancelled are left out, so an
  extended period shows once, at its new date.
- A day deadline is an all-day event on its last day; a deadline counted in hours (detention)
  is an event at that moment, in the workflow's time zone, with the zone's VTIMEZONE.
- Only upcoming deadlines get a reminder: 3 days before, at 09:00, for a day deadline (counted
  back from the last working day before it when offices are closed on the day itself), and
  6 hours before for a deadline in hours.
- The same case gives the same file, byte for byte: UIDs come from the workflow, the scenario's
  title and alias, the deadline's id and its number among that id's deadlines in the calendar
  (never its date, so a re-import moves the event when the date changes); DTSTAMP is the
  moment of the case's last event, not the clock.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

import casepath
from casepath import clock
from casepath.report import DeadlineEntry, Report
from casepath.status import STILL_OPEN, Status, word
from casepath.visible import visible
from casepath.workflow.compiled import CompiledWorkflow

SHOWN = frozenset(Status) - {Status.REPLACED, Status.CANCELLED}
"""Deadline statuses that get a calendar event; replaced and cancelled ones do not."""
DAY_REMINDER = timedelta(days=3)
REMINDER_HOUR = time(9, 0)
HOUR_REMINDER = timedelta(hours=6)
_BARE_LINE_END = re.compile(r"\r(?!\n)|(?<!\r)\n")


def render_all(reports: list[tuple[Report, CompiledWorkflow]]) -> str:
    """One calendar holding the deadlines of every report."""
    calendar = Calendar()
    calendar.add("prodid", f"-//casepath//casepath {casepath.__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = reports[0][0].title if len(reports) == 1 else "casepath deadlines"
    calendar.add("x-wr-calname", visible(f"casepath: {name}"))
    days: list[date] = []
    for report, workflow in reports:
        for event in _events(report, workflow):
            calendar.add_component(event)
            start = event.decoded("dtstart")
            days.append(start.date() if isinstance(start, datetime) else start)
    if days:
        # Zone definitions for the years the events span, so the file does not depend on today's date.
        calendar.add_missing_timezones(date(min(days).year - 1, 1, 1), date(max(days).year + 2, 1, 1))
    text = calendar.to_ical().decode("utf-8")
    if _BARE_LINE_END.search(text):  # every value went through `visible`; this is the net under it
        raise RuntimeError("a calendar line would break: a line end outside CR LF")
    return text


def _events(report: Report, workflow: CompiledWorkflow) -> list[Event]:
    stamp = _stamp(report, workflow)
    seen: dict[str, int] = {}
    events = []
    for deadline in report.deadlines:
        if deadline.status not in SHOWN:
            continue
        seen[deadline.id] = seen.get(deadline.id, 0) + 1
        events.append(_event(report, workflow, deadline, seen[deadline.id], stamp))
    return events


def uid(report: Report, deadline_id: str, number: int) -> str:
    """A UID that names the case and the deadline, not its date, so a changed date updates the event."""
    key = "\x1f".join([report.workflow, report.title, report.alias, deadline_id, str(number)])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    return f"{deadline_id}-{number}-{digest}@casepath"


def _stamp(report: Report, workflow: CompiledWorkflow) -> datetime:
    """The moment of the case's last event in UTC (a day: its midnight UTC); the clock would make each file differ."""
    if not report.events:
        return datetime(1970, 1, 1, tzinfo=UTC)
    last = _when(report.events[-1].date, workflow)
    if isinstance(last, datetime):
        return last.astimezone(UTC)
    return datetime.combine(last, time(0, 0), tzinfo=UTC)


def _when(text: str, workflow: CompiledWorkflow) -> date | datetime:
    if len(text) == 10:
        return date.fromisoformat(text)
    return datetime.fromisoformat(text).astimezone(workflow.zone)


def _event(report: Report, workflow: CompiledWorkflow, deadline: DeadlineEntry, number: int, stamp: datetime) -> Event:
    due = _when(deadline.due, workflow)
    status = None if deadline.status is Status.UPCOMING else word(deadline.status, workflow.lang)
    summary = visible(f"{deadline.label} ({report.alias})" + (f" [{status}]" if status else ""))
    event = Event()
    event.add("uid", uid(report, deadline.id, number))
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    if isinstance(due, datetime):
        event.add("dtstart", due)  # no DTEND: an event at that moment (RFC 5545 §3.6.1)
    else:
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("description", _description(report, workflow, deadline))
    event.add("categories", ["casepath", deadline.id])
    if deadline.status in STILL_OPEN:
        event.add_component(_alarm(workflow, deadline, due, summary))
    return event


def _description(report: Report, workflow: CompiledWorkflow, deadline: DeadlineEntry) -> str:
    spec = workflow.spec.deadlines.get(deadline.id)
    status = word(deadline.status, workflow.lang)
    lines = [f"{deadline.label}: {deadline.due} ({status})"]
    if spec is not None:
        lines.append(" ".join(spec.meaning.split()))
    lines += [
        f"Case: {report.title} - person: {report.alias}",
        f"How: {deadline.rule}",
        *(f"Note: {warning}" for warning in deadline.warnings),
        "Sources: " + "; ".join(_short(workflow, source) for source in deadline.sources),
        f"From casepath ({report.workflow} workflow); not legal advice: check the assumptions in the full report.",
    ]
    return "\n".join(visible(line) for line in lines)  # the line breaks between them are icalendar's to escape


def _short(workflow: CompiledWorkflow, source: str) -> str:
    """A source with its document's short name, as the text report cites it."""
    for doc in workflow.spec.sources.values():
        if doc.short:
            source = source.replace(doc.title, doc.short)
    return source


def _alarm(workflow: CompiledWorkflow, deadline: DeadlineEntry, due: date | datetime, summary: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Due soon: {summary}")
    if isinstance(due, datetime):
        alarm.add("trigger", -HOUR_REMINDER)
        return alarm
    spec = workflow.spec.deadlines.get(deadline.id)
    anchor = due
    if spec is None or spec.closed_day_warning:
        calendar = workflow.spec.calendar
        if clock.closed_reason(due, calendar):
            anchor = clock.last_working_day_before(due, calendar)
    remind = datetime.combine(anchor - DAY_REMINDER, REMINDER_HOUR)
    alarm.add("trigger", remind - datetime.combine(due, time(0, 0)))  # relative to the all-day event's start
    return alarm
