"""casepath: a legal pathway as a data-defined state machine, and a simulator of dated cases."""

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

__version__ = "0.1.0"

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
