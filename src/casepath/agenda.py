"""`casepath agenda`: what is due across a caseload, looked at on one day.

Every scenario under the given folders is run and looked at on FROM (`simulate --on`); the
deadlines that were missed, or that fall due within N days of FROM, are listed across all cases
in date order. The agenda only reads files: the cases stay pseudonymous YAML files in the
caseworker's folder (no database, no copy).

- Each workflow is compiled once for the whole caseload, however many files name it.
- A file that cannot be used is named in one line (through `warn`) and left out; the rest still
  runs. A folder's YAML files that are workflow files are passed over.
- A case that breaks a rule is named in one line and left out: its report stops at the event
  that broke the rule and cannot be looked at on FROM.
- A case whose last event is after FROM cannot be looked at on FROM (its events would be in the
  future): it is looked at on its last event instead, and `warn` says so.
- `days_left` counts whole days from FROM to the due day: 0 on the day, negative once missed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from casepath import api, yamlfile
from casepath.problems import InputProblem
from casepath.render.common import days_left
from casepath.report import DeadlineEntry, Report
from casepath.scenario import from_document
from casepath.status import ALARMING, STILL_OPEN
from casepath.workflow.compiled import CompiledWorkflow

DEFAULT_DAYS = 14


@dataclass(frozen=True)
class Item:
    """One deadline of one case on the agenda."""

    report: Report
    workflow: CompiledWorkflow
    deadline: DeadlineEntry
    days_left: int

    @property
    def day(self) -> date:
        return date.fromisoformat(self.deadline.due[:10])

    def as_json_data(self) -> dict[str, Any]:
        """The contract's fields: case_ref, file, alias, title, id, label, due, status, days_left."""
        return {
            "case_ref": self.report.case_ref,
            "file": self.report.file,
            "alias": self.report.alias,
            "title": self.report.title,
            "id": self.deadline.id,
            "label": self.deadline.label,
            "due": self.deadline.due,
            "status": self.deadline.status.value,
            "days_left": self.days_left,
        }


@dataclass
class Agenda:
    """The caseload looked at on `start`: the items on the agenda and every case that was read."""

    start: date
    days: int
    lang: str
    items: list[Item] = field(default_factory=list)
    cases: list[tuple[Report, CompiledWorkflow]] = field(default_factory=list)
    unusable: int = 0
    """Files that could not be used (named through `warn`)."""
    broken: int = 0
    """Cases that broke a rule: named through `warn` and left out (their report stops before FROM)."""


def scenario_files(paths: list[Path]) -> list[Path]:
    """The files given, and every .yaml / .yml file under the folders given (hidden folders left out)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix in (".yaml", ".yml")
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return found


def build(
    paths: list[Path],
    start: date | datetime,
    days: int = DEFAULT_DAYS,
    lang: str = "en",
    workflow: str | None = None,
    warn: Callable[[str], None] = lambda _: None,
) -> Agenda:
    """Read every scenario under `paths`, look at each on `start`, and pick the deadlines for the agenda."""
    day = start.date() if isinstance(start, datetime) else start
    agenda = Agenda(start=day, days=days, lang=lang)
    loaded: dict[str, CompiledWorkflow] = {}
    for path in scenario_files(paths):
        try:
            doc = yamlfile.load(path)
            if path not in paths and isinstance(doc.data, dict) and "casepath_workflow" in doc.data:
                continue  # a workflow file kept beside the cases
            scenario, compiled = from_document(doc, workflow, loaded=loaded)
            compiled = api.in_language(compiled, lang)
            on: date | datetime | None = start
            try:
                api.looking_at(start, scenario, compiled)
            except InputProblem:
                last = scenario.events[-1].moment
                warn(
                    f"casepath: {path}: its last event ({last.iso()}) is after --from {day.isoformat()}; "
                    "looked at on that event"
                )
                on = None
            report = api.simulate(scenario, compiled, on=on)
        except InputProblem as problem:
            warn(f"casepath: {problem}")
            agenda.unusable += 1
            continue
        if report.error is not None:
            # Its report stops before the event that broke a rule, and is judged then, not on FROM:
            # its deadlines would show stale statuses. Left out, and said so.
            agenda.broken += 1
            warn(
                f"casepath: {path}: event {report.error.event} broke a rule ({report.error.code}); "
                "left out of the agenda (casepath simulate shows where)"
            )
            continue
        agenda.cases.append((report, compiled))
        for deadline in report.deadlines:
            left = days_left(deadline.due, day)
            due_soon = deadline.status in STILL_OPEN and left <= days
            if deadline.status in ALARMING or due_soon:
                agenda.items.append(Item(report, compiled, deadline, left))
    agenda.items.sort(key=lambda item: (item.day, item.deadline.due, item.report.file or "", item.report.title))
    return agenda
