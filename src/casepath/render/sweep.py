"""A sweep for people and programs: rows as JSON or CSV; periods as text; periods and a chart as HTML.

Text and HTML show what changes: the periods of first-event dates with the same answer, each
with its outcome and the lengths of the deadlines that change across the sweep; the deadlines
whose length never changes are named once. The HTML chart draws each changing deadline as a
step line over the swept dates (its length in the unit the rule gives: days, months, hours),
with the outcome as a coloured band under it. Everything is drawn here, escaped (`svg.element`):
no script, no network.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from markupsafe import Markup, escape

from casepath.clock import Duration
from casepath.locale import ENGLISH, duration_text, translator
from casepath.render.common import outcome_text
from casepath.render.svg import element
from casepath.sweep import Period, Row, Sweep


def render(result: Sweep, format: str, lang: str = ENGLISH) -> str:
    if format == "json":
        return json.dumps([row.as_json_data() for row in result.rows], indent=2, ensure_ascii=False) + "\n"
    if format == "csv":
        return _csv(result)
    if format == "html":
        return _html(result, lang)
    return _text(result, lang)


def _csv(result: Sweep) -> str:
    """One line per run: the row's fields, then one column per deadline id (its last due)."""
    ids = result.deadline_ids()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["first_event", "identified", "outcome", "error", *ids])
    for row in result.rows:
        data = row.as_json_data()
        writer.writerow(
            [data["first_event"], data["identified"] or "", row.outcome, row.error or "",
             *(row.deadlines.get(i, "") for i in ids)]
        )  # fmt: skip
    return out.getvalue()


def length_text(length: tuple[str, Duration | int] | None, lang: str) -> str:
    """A deadline's length in a period: the rule's ("100 days"), or its distance from the first event."""
    tr = translator(lang)
    if length is None:
        return tr("none")
    kind, value = length
    if kind == "rule" and isinstance(value, Duration):
        return duration_text(value, lang)
    return tr("first event + {days} days", days=value)


def _label(result: Sweep, deadline_id: str) -> str:
    return result.workflow.spec.deadlines[deadline_id].label


def _span(period: Period) -> str:
    first, last = period.first.first_event, period.last.first_event
    return first.isoformat() if first == last else f"{first.isoformat()} … {last.isoformat()}"


def _period_line(result: Sweep, period: Period, changing: list[str], lang: str) -> str:
    tr = translator(lang)
    row = period.first
    parts = [outcome_text(row.outcome, result.workflow.spec, lang)]
    if row.error:
        parts.append(tr("rule broken: {code}", code=row.error))
    parts += [f"{_label(result, d)}: {length_text(row.lengths.get(d), lang)}" for d in changing]
    return "; ".join(parts)


def _heading(result: Sweep, lang: str) -> list[str]:
    tr = translator(lang)
    step = {"day": tr("a day at a time"), "week": tr("a week at a time"), "month": tr("a month at a time")}
    return [
        result.scenario.title,
        tr(
            "First event moved from {start} to {end}, {step} ({runs} runs), each under the rules of its own dates.",
            start=result.start.isoformat(),
            end=result.end.isoformat(),
            step=step[result.step],
            runs=len(result.rows),
        ),
    ]


def _same(result: Sweep, changing: list[str], lang: str) -> str | None:
    tr = translator(lang)
    steady = [d for d in result.deadline_ids() if d not in changing]
    if not steady or not result.rows:
        return None
    row = result.rows[0]
    items = "; ".join(f"{_label(result, d)}: {length_text(row.lengths.get(d), lang)}" for d in steady)
    return tr("The same throughout: {items}.", items=items)


def _text(result: Sweep, lang: str) -> str:
    tr = translator(lang)
    changing = result.changing()
    lines = _heading(result, lang)
    same = _same(result, changing, lang)
    if same:
        lines += ["", same]
    lines += ["", tr("Periods (first-event dates with the same answer):")]
    for period in result.periods():
        lines.append(f"  {_span(period)}: {_period_line(result, period, changing, lang)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------- HTML
WIDTH, LEFT, RIGHT, BAND, CHART = 900, 170, 880, 18, 70
COLOURS = ["#2f6f9f", "#b5562b", "#4f8a3a", "#7a4f9a", "#9a7a1f", "#3f8f8f", "#a03f5f"]


def _x(day: date, result: Sweep) -> float:
    span = max((result.end - result.start).days, 1)
    return LEFT + (RIGHT - LEFT) * (day - result.start).days / span


def _number(length: tuple[str, Duration | int] | None) -> float | None:
    if length is None:
        return None
    value = length[1]
    return float(value.amount if isinstance(value, Duration) else value)


def chart(result: Sweep, lang: str) -> str:
    """The changing deadlines as step lines (one strip each, its own scale), over an outcome band."""
    tr = translator(lang)
    changing = result.changing()
    periods = result.periods()
    parts: list[str] = []
    y = 10
    for index, deadline_id in enumerate(changing):
        colour = COLOURS[index % len(COLOURS)]
        values = [_number(p.first.lengths.get(deadline_id)) for p in periods]
        known = [v for v in values if v is not None]
        low, high = (min(known), max(known)) if known else (0.0, 1.0)
        scale = (high - low) or 1.0
        parts.append(element("text", {"x": 8, "y": y + CHART / 2 + 4, "class": "name"}, _label(result, deadline_id)))
        for period, value in zip(periods, values, strict=True):
            x1 = _x(period.first.first_event, result)
            x2 = max(_x(period.last.first_event, result), x1 + 1.0)
            if value is None:
                continue
            top = y + 14 + (CHART - 24) * (1 - (value - low) / scale)
            parts.append(element("line", {"x1": x1, "y1": top, "x2": x2, "y2": top, "stroke": colour,
                                          "stroke-width": 3}))  # fmt: skip
            text = length_text(period.first.lengths.get(deadline_id), lang)
            parts.append(element("text", {"x": x1 + 2, "y": top - 4, "fill": colour}, text))
        y += CHART + 10
    outcomes = sorted({p.first.outcome for p in periods})
    parts.append(element("text", {"x": 8, "y": y + 13, "class": "name"}, tr("Outcome")))
    for period in periods:
        x1 = _x(period.first.first_event, result)
        x2 = max(_x(period.last.first_event, result), x1 + 1.0)
        colour = COLOURS[outcomes.index(period.first.outcome) % len(COLOURS)]
        title = element("title", None, f"{_span(period)}: {_period_line(result, period, changing, lang)}")
        parts.append(element("rect", {"x": x1, "y": y, "width": x2 - x1, "height": BAND, "fill": colour,
                                      "opacity": 0.35 if period.first.error else 0.7}, title))  # fmt: skip
    y += BAND + 6
    for year in range(result.start.year + 1, result.end.year + 1):
        x = _x(date(year, 1, 1), result)
        parts.append(element("line", {"x1": x, "y1": 4, "x2": x, "y2": y, "class": "year"}))
        parts.append(element("text", {"x": x + 2, "y": y + 12, "class": "axis"}, str(year)))
    y += 20
    summary = tr("How the deadlines' lengths and the outcome change with the date of the first event")
    return element("svg", {"xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {WIDTH} {y}", "role": "img",
                           "aria-label": summary}, Markup("".join(parts)))  # fmt: skip


STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; }
svg { width: 100%; height: auto; border: 1px solid #ddd; background: #fff; }
svg .name { font-size: 12px; font-weight: 600; fill: #333; }
svg text { font-size: 11px; }
svg .axis { fill: #666; }
svg .year { stroke: #ddd; }
table { border-collapse: collapse; margin-top: 1rem; }
td, th { border-bottom: 1px solid #ddd; padding: .3rem .6rem; text-align: left; vertical-align: top; }
"""


def _html(result: Sweep, lang: str) -> str:
    tr = translator(lang)
    changing = result.changing()
    title, intro = _heading(result, lang)
    rows = []
    for period in result.periods():
        cells = [_span(period), str(period.runs), _period_line(result, period, changing, lang)]
        rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    same = _same(result, changing, lang)
    head = "".join(f"<th>{escape(h)}</th>" for h in (tr("First event"), tr("Runs"), tr("Answer")))
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n<p>{escape(intro)}</p>\n{chart(result, lang)}\n"
        + (f"<p>{escape(same)}</p>\n" if same else "")
        + f"<h2>{escape(tr('Periods (first-event dates with the same answer):'))}</h2>\n"
        f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>\n</body>\n</html>\n"
    )


__all__ = ["Row", "chart", "length_text", "render"]
