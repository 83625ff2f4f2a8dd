"""What `casepath explore` found, as text: coverage, invariants, static checks, a counterexample."""

from __future__ import annotations

from pathlib import Path

from casepath import invariants
from casepath.explore import Exploration, scenario_yaml
from casepath.workflow.compiled import CompiledWorkflow
from casepath.workflow.reuse import written_out


def render(result: Exploration, wf: CompiledWorkflow, written: list[Path]) -> str:
    """The exploration's findings, most important first."""
    spec = wf.spec
    lines = [f"Explored {spec.title} ({spec.id}) to a depth of {result.depth} events."]
    lines.append(
        f"  {result.runs:,} event sequences tried, {result.situations:,} distinct situations checked"
        + (" (stopped early: the run limit was reached)" if result.stopped_early else "")
    )
    missing_states = sorted(result.states_all - result.states_reached)
    lines.append(f"  states reached:      {len(result.states_reached)} of {len(result.states_all)}")
    lines.append(f"  transitions reached: {len(result.transitions_reached)} of {result.transitions_all}")
    if missing_states:
        lines.append("  not reached: " + ", ".join(f"{t}.{s}" for t, s in missing_states))
    missing = sorted(set(range(result.transitions_all)) - result.transitions_reached)
    for index in missing:
        t = spec.transitions[index]
        sources = written_out(t.from_, spec.tracks[t.track or spec.events[t.event].track])
        lines.append(f"  transition {index + 1} not taken: {t.event} from {', '.join(sources)} to {t.to or '(same)'}")
    if missing or missing_states:
        lines.append("  (a greater --depth may reach them)")
    lines.append("")
    lines.append("Invariants checked on every run:")
    lines += [f"  - {text}" for text in invariants.statements()]
    if result.finding is None:
        lines.append("  All hold.")
    else:
        lines.append("")
        lines.append("COUNTEREXAMPLE — an invariant broke:")
        lines += [f"  - {problem}" for problem in result.finding.problems]
        lines.append("Run it again with: casepath simulate FILE, after saving this as FILE:")
        lines.append("")
        lines.append(
            scenario_yaml(result.finding.scenario, result.finding.report, "Counterexample found by casepath explore")
        )
    lines.append("")
    lines.append("Static checks:")
    if result.static_problems:
        lines += [f"  PROBLEM: {problem}" for problem in result.static_problems]
    else:
        lines.append("  No transition is hidden behind an earlier one without conditions (for one event, the first")
        lines.append("  transition whose conditions hold is taken); no two timers of a track fired at one instant.")
    if result.notes:
        lines.append("")
        lines.append("Rules over time:")
        lines += [f"  - {note}" for note in result.notes]
    if written:
        lines.append("")
        lines.append(
            f"Wrote {len(written)} scenario files to {written[0].parent} (run them with casepath test),"
            " and README.md, which lists them by how they end."
        )
    return "\n".join(lines) + "\n"
