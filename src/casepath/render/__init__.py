"""Output formats of a report: each renders the same typed `Report` objects.

A format is a module of this package with a function
`render_all(reports: list[tuple[Report, CompiledWorkflow]]) -> str` that renders one or more
reports as one document. Modules are imported only when their format is asked for, so
the libraries of one format (calendar, templates) never slow down the others.
"""

from __future__ import annotations

import importlib
import json

from casepath.problems import InputProblem
from casepath.report import Report
from casepath.visible import visible_lines
from casepath.workflow.compiled import CompiledWorkflow

FORMATS = {
    "text": "casepath.render.text",
    "json": None,
    "markdown": "casepath.render.markdown",
    "html": "casepath.render.html",
    "ics": "casepath.render.ics",
}


def render_all(format: str, reports: list[tuple[Report, CompiledWorkflow]], *, single: bool) -> str:
    """Render the reports in `format`; `single` means one scenario was asked for (JSON: an object, not a list)."""
    if format == "json":
        data = [report.as_json_data() for report, _ in reports]
        return visible_lines(json.dumps(data[0] if single and data else data, indent=2, ensure_ascii=False) + "\n")
    name = FORMATS[format]
    assert name is not None  # only JSON has no module, and it returned above
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name != FORMATS[format]:
            raise
        raise InputProblem(f"--format {format} is not available in this version") from None
    text = module.render_all(reports)
    # Whatever a renderer let through, no control character but a line end reaches the file or terminal.
    return text if format == "ics" else visible_lines(text)

