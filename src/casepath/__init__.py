"""casepath: a legal pathway as a data-defined state machine, and a simulator of dated cases.

The names below are imported on first use (PEP 562), so that `casepath --help` and the
command line start without loading pydantic models and the state machine library.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_WHERE = {
    "InputProblem": "casepath.problems",
    "Report": "casepath.report",
    "Scenario": "casepath.scenario",
    "load_scenario": "casepath.api",
    "load_workflow": "casepath.api",
    "scenario_from_dict": "casepath.api",
    "simulate": "casepath.api",
    "simulate_file": "casepath.api",
    "simulator_for": "casepath.api",
}

__all__ = [
    "InputProblem",
    "Report",
    "Scenario",
    "load_scenario",
    "load_workflow",
    "scenario_from_dict",
    "simulate",
    "simulate_file",
    "simulator_for",
]

if TYPE_CHECKING:
    from casepath.api import (
        load_scenario,
        load_workflow,
        scenario_from_dict,
        simulate,
        simulate_file,
        simulator_for,
    )
    from casepath.problems import InputProblem
    from casepath.report import Report
    from casepath.scenario import Scenario


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'casepath' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
