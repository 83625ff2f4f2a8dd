"""The case drawn as a time line: events as numbered marks, periods and entitlements as bars.

Everything is generic: a bar is a deadline of the report (from the day it was set to the
end of its due day or its due instant) or an entitlement period (from its first day to the
end of its last day, or on to the right edge while it continues). Which periods matter in
a country comes from the workflow, never from here.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from casepath.locale import ENGLISH, translator
from casepath.render.svg import element
from casepath.report import Report
from casepath.status import word

WIDTH = 960
LEFT, RIGHT = 16, WIDTH - 16
ROW = 30


def day_number(text: str, *, end: bool = False) -> float:
    """A report date or date-time as days on one scale; `end` of a plain date is the end of that day.

    Date-times are placed by their wall-clock time where they happened (the report writes
    them with their offset), which is how the report shows them too.
    """
    if "T" in text:
        moment = datetime.fromisoformat(text)
        midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        return moment.date().toordinal() + (moment - midnight).total_seconds() / 86400
    return date.fromisoformat(text).toordinal() + (1 if end else 0)


def status_text(status: str, lang: str = ENGLISH) -> str:
    """A deadline's status for a reader ("upcoming", "MISSED", "overholdt")."""
    return word(status, lang)


def month_name(month: int, lang: str = ENGLISH) -> str:
    """The short name of a month (1-12): "Jan", "maj"."""
    tr = translator(lang)
    names = (tr("Jan"), tr("Feb"), tr("Mar"), tr("Apr"), tr("May"), tr("Jun"))
    names += (tr("Jul"), tr("Aug"), tr("Sep"), tr("Oct"), tr("Nov"), tr("Dec"))
    return names[month - 1]


def short_date(day: date, with_year: bool = True, lang: str = ENGLISH) -> str:
    text = f"{day.day} {month_name(day.month, lang)}"
    return f"{text} {day.year}" if with_year else text


@dataclass(frozen=True)
class Scale:
    """Days to x positions."""

    first: float
    last: float

    @classmethod
    def of(cls, report: Report) -> Scale:
        starts = [day_number(e.date) for e in report.events]
        starts += [day_number(d.set_on) for d in report.deadlines]
        starts += [day_number(e.from_) for e in report.entitlements]
        ends = [day_number(d.due, end=True) for d in report.deadlines]
        ends += [day_number(e.until, end=True) for e in report.entitlements if e.until]
        ends += [s + 1 for s in starts]
        if not starts:
            return cls(0, 1)
        first, last = min(starts), max(ends)
        pad = max((last - first) * 0.03, 0.25)
        return cls(first - pad, last + pad)

    def x(self, days: float) -> float:
        return LEFT + (days - self.first) / (self.last - self.first) * (RIGHT - LEFT)


def _ticks(scale: Scale, lang: str) -> list[tuple[float, str]]:
    """Tick marks: days, weeks, months, quarters or years, whichever gives a readable number."""
    first = date.fromordinal(math.ceil(scale.first))
    last = date.fromordinal(int(scale.last))
    span = (last - first).days
    if span <= 14:
        days = [first + timedelta(days=n) for n in range(span + 1)]
        weekly: list[tuple[float, str]] = [(d.toordinal(), short_date(d, with_year=False, lang=lang)) for d in days]
        return weekly
    if span <= 70:
        days = [first + timedelta(days=n) for n in range(0, span + 1, 7)]
        return [(d.toordinal(), short_date(d, with_year=False, lang=lang)) for d in days]
    step = 1 if span <= 450 else 3 if span <= 1400 else 12
    ticks: list[tuple[float, str]] = []
    month = date(first.year, first.month, 1)
    while month <= last:
        if month >= first and (month.month - 1) % step == 0:
            label = str(month.year) if step == 12 else f"{month_name(month.month, lang)} {month.year}"
            ticks.append((month.toordinal(), label))
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return ticks


def _label_x(start: float, text: str) -> tuple[float, str]:
    """Where a bar's label goes: from the bar's start, or ending at the right edge if it would run off."""
    width = len(text) * 6.3
    if start + width <= RIGHT:
        return start, "start"
    return RIGHT, "end"


MARK_GAP = 22
"""Event marks closer than this (in x) are stacked, one level up each."""


def stack_levels(xs: list[float], gap: float) -> list[int]:
    """For each mark at `xs[i]`, the lowest level with no mark closer than `gap` on it.

    Marks are taken from left to right; a level is free again once its last mark is `gap` behind.
    A heap of free levels and a queue of busy ones make it n log n (1,000 marks on one day used to
    take seconds with a search of every level for every mark)."""
    order = sorted(range(len(xs)), key=lambda i: (xs[i], i))
    levels = [0] * len(xs)
    free: list[int] = []
    busy: deque[tuple[float, int]] = deque()  # (x of the level's last mark, level), x ascending
    used = 0
    for i in order:
        x = xs[i]
        while busy and x - busy[0][0] >= gap:
            heapq.heappush(free, busy.popleft()[1])
        if free:
            level = heapq.heappop(free)
        else:
            level, used = used, used + 1
        levels[i] = level
        busy.append((x, level))
    return levels


def draw(report: Report, ident: str, lang: str = ENGLISH) -> tuple[str, Scale]:
    """The time line as an inline SVG, and its scale (the step-through moves a cursor along it)."""
    tr = translator(lang)
    scale = Scale.of(report)
    parts: list[str] = []
    add = parts.append
    y = 8
    # The axis.
    ticks = [(scale.x(day), label) for day, label in _ticks(scale, lang)]
    for x, label in ticks:
        if x + 3 + len(label) * 6 <= RIGHT:
            add(element("text", {"class": "tick-label", "x": x + 3, "y": y + 10}, label))
    y += 26
    # The events, numbered as in the report's list; marks that would overlap are stacked.
    add(element("text", {"class": "group", "x": LEFT, "y": y + 12}, tr("Events (numbers as in “What happened”)")))
    y += 20
    lowest = y
    xs = [scale.x(day_number(entry.date)) for entry in report.events]
    levels = stack_levels(xs, MARK_GAP)
    for number, entry in enumerate(report.events, start=1):
        x, level = xs[number - 1], levels[number - 1]
        cy = y + 11 + level * 24
        lowest = max(lowest, cy + 12)
        kind = "event auto" if entry.automatic else "event"
        what = f"{number}. {entry.date[:16].replace('T', ' ')}: {entry.label}" + (
            " " + tr("(automatic)") if entry.automatic else ""
        )
        mark = (
            element("rect", {"x": x - 8, "y": cy - 8, "width": 16, "height": 16, "rx": 3, "transform": None})
            if entry.automatic
            else element("circle", {"cx": x, "cy": cy, "r": 10})
        )
        add(
            element(
                "g",
                {"class": kind, "data-n": number},
                element("title", None, what),
                mark,
                element("text", {"x": x, "y": cy + 4, "text-anchor": "middle"}, str(number)),
            )
        )
    y = lowest + 10
    # The periods: deadlines, then entitlements.
    rows: list[tuple[str, str, float, float, str]] = []
    for deadline in report.deadlines:
        start, end = day_number(deadline.set_on), day_number(deadline.due, end=True)
        due = deadline.due[:16].replace("T", " ") + (" " + deadline.due[19:] if "T" in deadline.due else "")
        text = tr(
            "{label} — due {date} ({status})", label=deadline.label, date=due, status=status_text(deadline.status, lang)
        )
        rows.append(("deadline", f"deadline {deadline.status}", start, end, text))
    for item in report.entitlements:
        start = day_number(item.from_)
        end = day_number(item.until, end=True) if item.until else scale.last
        if item.until:
            span = tr("{start} to {end}", start=item.from_, end=item.until)
        else:
            span = tr("from {start}, continuing", start=item.from_)
        rows.append(
            ("entitlement", "entitlement" + ("" if item.until else " open"), start, end, f"{item.label} — {span}")
        )
    headings = {
        "deadline": tr("Periods and deadlines (bar: from the day it was set to the day it is due)"),
        "entitlement": tr("Entitlements (bar: the days it applies)"),
    }
    shown = None
    for kind, css, start, end, text in rows:
        if kind != shown:
            add(element("text", {"class": "group", "x": LEFT, "y": y + 14}, headings[kind]))
            y += 24
            shown = kind
        x1, x2 = scale.x(start), max(scale.x(end), scale.x(start) + 3)
        lx, anchor = _label_x(x1, text)
        add(
            element(
                "g",
                {"class": css},
                element("title", None, text),
                element("text", {"class": "bar-label", "x": lx, "y": y + 11, "text-anchor": anchor}, text),
                element("rect", {"class": "bar", "x": x1, "y": y + 16, "width": x2 - x1, "height": 10, "rx": 2}),
                element("line", {"class": "cap", "x1": x2, "x2": x2, "y1": y + 14, "y2": y + 28})
                if kind == "deadline"
                else "",
                element("path", {"class": "more", "d": f"M{x2:.1f},{y + 13} l8,8 l-8,8 z"})
                if css.endswith("open")
                else "",
            )
        )
        y += ROW
    height = y + 8
    grid = [element("line", {"class": "tick", "x1": x, "x2": x, "y1": 4, "y2": y}) for x, _ in ticks]
    if report.events:  # where the report stands: the last event
        x = scale.x(day_number(report.events[-1].date))
        grid.append(element("line", {"class": "now", "x1": x, "x2": x, "y1": 26, "y2": y}))
    grid.append(element("line", {"class": "cursor", "x1": 0, "x2": 0, "y1": 26, "y2": y, "visibility": "hidden"}))
    first, last = (
        report.events[0].date[:10] if report.events else "",
        report.events[-1].date[:10] if report.events else "",
    )
    desc = tr(
        "{events} events from {first} to {last}; {deadlines} deadline bars and {entitlements} entitlement bars. "
        "The same facts are listed in the tables of this report.",
        events=len(report.events),
        first=first,
        last=last,
        deadlines=len(report.deadlines),
        entitlements=len(report.entitlements),
    )
    svg = element(
        "svg",
        {
            "class": "timeline",
            "id": ident,
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": WIDTH,
            "height": height,
            "role": "img",
            "aria-labelledby": f"{ident}-title {ident}-desc",
        },
        element("title", {"id": f"{ident}-title"}, tr("Time line of the case")),
        element("desc", {"id": f"{ident}-desc"}, desc),
        *grid,
        *parts,
    )
    return svg, scale
