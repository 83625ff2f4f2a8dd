"""The report as one self-contained HTML page a caseworker can open from disk and print.

Everything is in the one file: the styles, a small script for the step-through, the
pictures (inline SVG drawn in Python by `timechart` and `diagram`) and the step-through's
data (JSON, from `snapshots`). Nothing is fetched from anywhere, so the page works offline
and shows nothing to a third party. The template (templates/report.html.j2) escapes
every value; the same reports always give the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from casepath import __version__
from casepath.citations import address_of
from casepath.locale import ENGLISH, translate
from casepath.render import diagram, snapshots, timechart
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
from casepath.report import DeadlineEntry, EventEntry, Report
from casepath.status import Status
from casepath.workflow.compiled import CompiledWorkflow

SCRIPT_TEXT = re.compile(r'\bt\("((?:[^"\\]|\\.)*)"')
"""A fixed text of the step-through script (templates/report.js writes each as `t("...")`)."""


def render_all(reports: list[tuple[Report, CompiledWorkflow]]) -> str:
    """One page with a section per report, in the language of the reports' workflows.

    The template writes every fixed text as `{{ tr("...") }}`; the step-through script gets
    its words translated in the page's `data-words` (none in English, so it uses its own).
    """
    lang = reports[0][1].lang if reports else ENGLISH
    environment = Environment(
        loader=PackageLoader("casepath.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals["tr"] = template_translator(lang)
    words: dict[str, str] = {}
    if lang != ENGLISH:
        script = PackageLoader("casepath.render", "templates").get_source(environment, "report.js")[0]
        words = {text: translate(text, lang) for text in SCRIPT_TEXT.findall(script)}
    views = [_view(f"r{n}", report, workflow) for n, (report, workflow) in enumerate(reports, start=1)]
    return environment.get_template("report.html.j2").render(
        reports=views, version=__version__, lang=lang, words=json.dumps(words, ensure_ascii=False, sort_keys=True)
    )


def template_translator(lang: str) -> Callable[..., Markup]:
    """`tr` for the template: the catalog is keyed by the text with its line breaks and indents
    made single spaces, so a long paragraph can stay wrapped in the template (and English keeps
    its bytes). The catalog's words are markup-safe; the values put into them are escaped."""

    def tr(text: str, /, **values: Any) -> Markup:
        found = text if lang == ENGLISH else translate(" ".join(text.split()), lang)
        return Markup(found).format(**values) if values else Markup(found)

    return tr


def when(text: str, lang: str = ENGLISH) -> str:
    """A report date or date-time as a reader wants it: '2022-04-09 (Sat)', '2022-10-31 07:00 +01:00 (Mon)'."""
    day = date.fromisoformat(text[:10])
    shown = text[:10]
    if "T" in text:
        shown += " " + text[11:16] + " " + text[19:]
    return f"{shown} ({short_weekday(day, lang)})"


def _view(ident: str, report: Report, workflow: CompiledWorkflow) -> dict[str, Any]:
    """Everything the template shows about one report, worked out here so the template stays plain."""
    spec = workflow.spec
    lang = workflow.lang
    tracks = {name: track.label for name, track in spec.tracks.items()}
    taken = snapshots.take(report)
    steps = [_step(s, workflow, tracks) for s in taken]
    for step in steps:
        step["of"] = len(steps)
    # The case as it stood at each step but the last (the last is the report itself): the time line,
    # the tables and the diagrams drawn from that step's own report, so nothing later shows.
    bodies = [_body(f"{ident}-s{s.number}", s.report, workflow, s.number) for s in taken[:-1]]
    return {
        "id": ident,
        "title": report.title,
        "alias": report.alias,
        "workflow": spec.title,
        "rules": rules_used(report, lang),
        "error": report.error,
        "error_code": error_name(report.error.code, spec, lang) if report.error else None,
        "assumptions": report.assumptions,
        "warnings": report.warnings,
        "documents": [
            {
                "short": doc.short or doc.title,
                "title": doc.title,
                "describes": doc.describes,
                "note": doc.note,
                "url": doc.url,
            }
            for doc in cited_documents(report, spec)
        ],
        "rules_known_until": report.rules_known_until,
        "body": _body(ident, report, workflow, len(taken) or None),
        "step_bodies": bodies,
        "steps": steps,
        "steps_json": _script_json(steps),
    }


def _body(ident: str, report: Report, workflow: CompiledWorkflow, step: int | None) -> dict[str, Any]:
    """The parts of a report that change from step to step: the time line, where the case stands,
    what happened, the deadlines, the entitlements and the diagrams."""
    spec = workflow.spec
    lang = workflow.lang
    tracks = {name: track.label for name, track in spec.tracks.items()}
    short = shortener(spec)

    def cite(sources: list[str]) -> list[dict[str, str | None]]:
        return [{"text": short(source), "url": address_of(spec, source)} for source in sources]

    def moves(entry: EventEntry) -> list[dict[str, str]]:
        pairs = [(entry.track, entry.from_, entry.to)] + [(m.track, m.from_, m.to) for m in entry.also]
        return [
            {"track": tracks[t], "from": workflow.label(t, a), "to": workflow.label(t, b)}
            for t, a, b in pairs
            if a != b
        ]

    events = [
        {
            "n": n,
            "when": when(entry.date, lang),
            "label": entry.label,
            "details": details(spec, entry.event, entry.fields, lang),
            "automatic": entry.automatic,
            "moves": moves(entry),
            "note": entry.note,
        }
        for n, entry in enumerate(report.events, start=1)
    ]
    svg, _ = timechart.draw(report, f"{ident}-timeline", lang)
    taken: dict[str, dict[tuple[str, str], list[int]]] = {name: {} for name in spec.tracks}
    visited: dict[str, set[str]] = {name: set() for name in spec.tracks}
    for n, entry in enumerate(report.events, start=1):
        for move in [(entry.track, entry.from_, entry.to)] + [(m.track, m.from_, m.to) for m in entry.also]:
            track, before, after = move
            visited[track].update((before, after))
            if before != after:
                taken[track].setdefault((before, after), []).append(n)
    for track, state in report.states.items():
        visited[track].add(state)
    diagrams = [
        {
            "label": label,
            "svg": diagram.draw(
                workflow, track, visited[track], taken[track], report.states[track], f"{ident}-{track}"
            ),
        }
        for track, label in tracks.items()
    ]
    return {
        "id": ident,
        "step": step,
        "outcome": outcome_text(report.outcome, spec, lang),
        "events": events,
        "tracks": [{"label": tracks[t], "state": workflow.label(t, s)} for t, s in report.states.items()],
        "deadlines": [_deadline(d, cite, lang) for d in report.deadlines],
        "key_dates_heading": key_dates_heading(report, lang),
        "key_dates": [
            {
                "when": f"{k.day.isoformat()} ({short_weekday(k.day, lang)})",
                "first": k.first_of_day,
                "label": k.label,
                "status": k.status,
                "status_text": k.status_text,
                "due": k.when,
                "note": k.note,
            }
            for k in key_dates(report, workflow)
        ],
        "entitlements": [
            {
                "label": item.label,
                "from": when(item.from_, lang),
                "until": when(item.until, lang) if item.until else None,
                "sources": cite(item.sources),
            }
            for item in report.entitlements
        ],
        "timeline": svg,
        "diagrams": diagrams,
    }


def _deadline(deadline: DeadlineEntry, cite: Any, lang: str) -> dict[str, Any]:
    return {
        "label": deadline.label,
        "due": when(deadline.due, lang),
        "set_on": when(deadline.set_on, lang),
        "status": deadline.status,
        "status_text": timechart.status_text(deadline.status, lang),
        "rule": deadline.rule,
        "warnings": deadline.warnings,
        "sources": cite(deadline.sources),
    }


def _step(snapshot: snapshots.Snapshot, workflow: CompiledWorkflow, tracks: dict[str, str]) -> dict[str, Any]:
    """What the step-through shows after one event (plain data: the page's script only puts it into text)."""
    report = snapshot.report
    lang = workflow.lang

    *automatic, last = snapshot.entries or [None]  # type: ignore[list-item]  # no entry: a refused event
    refused = snapshot.refused and report.error is not None

    def line(entry: EventEntry) -> dict[str, Any]:
        pairs = [(entry.track, entry.from_, entry.to)] + [(m.track, m.from_, m.to) for m in entry.also]
        return {
            "when": when(entry.date, lang),
            "label": entry.label,
            "details": details(workflow.spec, entry.event, entry.fields, lang),
            "moves": [f"{tracks[t]}: {workflow.label(t, a)} → {workflow.label(t, b)}" for t, a, b in pairs if a != b],
        }

    if refused:
        automatic = list(snapshot.entries)
    changed = {m.track for e in snapshot.entries for m in e.also} | {
        e.track for e in snapshot.entries if e.from_ != e.to
    }
    error = report.error
    return {
        "n": snapshot.number,
        "event": None if refused or last is None else line(last),
        "refused": {
            "code": error_name(error.code, workflow.spec, workflow.lang),
            "message": error.message,
        }
        if refused and error is not None
        else None,
        "automatic": [line(e) for e in automatic],
        "tracks": [
            {"track": tracks[t], "state": workflow.label(t, s), "changed": t in changed}
            for t, s in report.states.items()
        ],
        "states": dict(report.states),
        "deadlines": [
            {
                "label": d.label,
                "due": when(d.due, lang),
                "status": d.status,
                "status_text": timechart.status_text(d.status, lang),
            }
            for d in report.deadlines
            if d.status is not Status.REPLACED
        ],
        "entitlements": [
            {"label": e.label, "from": when(e.from_, lang), "until": when(e.until, lang) if e.until else None}
            for e in report.entitlements
            if (e.id, e.from_) in snapshot.applying
        ],
        "upto": len(report.events),
    }


def _script_json(data: Any) -> Markup:
    """JSON safe inside <script>: no '<', '>' or '&' can end the element or start a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
