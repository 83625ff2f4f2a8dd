"""`casepath graph`: a workflow's state diagram in Mermaid or Graphviz dot, drawn from the workflow alone.

The diagram is built from the compiled workflow's tracks and transitions, so another country's
workflow draws without code changes. Each track is a parallel region of the case: in Mermaid a
composite state per track, separated by `--` (concurrency) inside one state named after the
workflow; in dot a `subgraph cluster_<track>` per track. The text shown is always a label from
the workflow; ids are only used as node names.

What is drawn, and why:
- an edge for every transition that changes (or explicitly re-enters) a state. Several
  transitions between the same two states become one edge, their event labels joined, so the
  diagram stays readable. Transitions without `to` (an event recorded with no change of
  state) are left out: they would put a loop on nearly every state.
- the start of each track; a track whose first state depends on the person gets one start
  arrow per candidate, labelled with its conditions.
- final states end in Mermaid's `[*]` and have a double border in dot; states with an outcome
  are drawn bold.
- with a `Path` (a simulated scenario), the states it visited and the transitions it took are
  highlighted, and each edge taken says on which date(s) it was taken, as the report's "What
  happened" lists them ("automatic" for a step casepath took itself). Mermaid state diagrams
  cannot style a single edge, so there the dates are the mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from casepath.report import Report
from casepath.workflow.check import expand_sources
from casepath.workflow.compiled import CompiledWorkflow

JOIN = " / "
"""Between the event labels of transitions merged into one edge."""

HIGHLIGHT = "#c0392b"
VISITED_FILL = "#fdebd0"
OUTCOME_FILL = "#eaf2f8"


@dataclass(frozen=True)
class Edge:
    """One arrow: every transition of a track between the same two states."""

    track: str
    source: str
    target: str
    events: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass
class Path:
    """Where a simulated case went: states visited, where each track started, and moves taken (when)."""

    states: set[tuple[str, str]] = field(default_factory=set)
    starts: set[tuple[str, str]] = field(default_factory=set)
    moves: dict[tuple[str, str, str, str], list[tuple[int, str]]] = field(default_factory=dict)

    def taken(self, edge: Edge) -> list[str]:
        """When the case took this edge: the date of each time, "automatic" for casepath's own steps."""
        found: list[tuple[int, str]] = []
        for event in edge.events:
            found += self.moves.get((edge.track, edge.source, edge.target, event), ())
        return [when for _, when in sorted(found)]


def path_of(report: Report) -> Path:
    """The path a report's events took, automatic steps and moves of other tracks (`also`) included.

    A track starts in the state its first move leaves, or, if it never moved, the state it ends in."""
    path = Path()
    first: dict[str, str] = {}
    for number, entry in enumerate(report.events):
        when = entry.date[:10] + (" automatic" if entry.automatic else "")
        for track, before, after in [(entry.track, entry.from_, entry.to)] + [
            (m.track, m.from_, m.to) for m in entry.also
        ]:
            first.setdefault(track, before)
            path.states.update({(track, before), (track, after)})
            path.moves.setdefault((track, before, after, entry.event), []).append((number, when))
    for track, state in report.states.items():
        start = first.get(track, state)
        path.starts.add((track, start))
        path.states.add((track, start))
    return path


def edges(wf: CompiledWorkflow) -> list[Edge]:
    """The workflow's transitions merged into edges, in the order the workflow file lists them."""
    spec = wf.spec
    merged: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}
    for transition in spec.transitions:
        if transition.to is None:
            continue
        track = transition.track or spec.events[transition.event].track
        label = spec.events[transition.event].label
        states = spec.tracks[track].states
        sources = expand_sources(transition.from_, spec.tracks[track])
        for source in sorted(sources, key=list(states).index):
            events, labels = merged.setdefault((track, source, transition.to), ([], []))
            if transition.event not in events:  # `labels` runs parallel to `events`
                events.append(transition.event)
                labels.append(label)
    return [Edge(t, s, d, tuple(ev), tuple(lb)) for (t, s, d), (ev, lb) in merged.items()]


def _starts(wf: CompiledWorkflow, track: str) -> list[tuple[str, str]]:
    """Each state a track can start in, with the conditions for it ('' when there is one start)."""
    choices = wf.initial[track]
    if len(choices) == 1:
        return [(choices[0][0], "")]
    out = []
    for state, guards in choices:
        out.append((state, " and ".join(g.describe(wf.lang) for g in guards) or "otherwise"))
    return out


def _edge_label(edge: Edge, path: Path | None) -> str:
    """The events of an edge; on a highlighted path, only the ones that happened, each with its
    dates ("Extension granted (2022-04-05)", not "Extension granted / Extension refused (…)")."""
    if path is not None:
        happened = []
        for event, label in zip(edge.events, edge.labels, strict=True):
            found = sorted(path.moves.get((edge.track, edge.source, edge.target, event), ()))
            if found:
                happened.append(f"{label} ({', '.join(when for _, when in found)})")
        if happened:
            return JOIN.join(happened)
    return JOIN.join(dict.fromkeys(edge.labels))


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Ids:
    """Node names for the diagram languages, unique even if two workflow names would collide."""

    def __init__(self) -> None:
        self.taken: dict[tuple[str, ...], str] = {}
        self.used: set[str] = set()

    def __call__(self, *key: str) -> str:
        if key not in self.taken:
            base = re.sub(r"[^a-z0-9_]", "_", "__".join(key).lower()) or "n"
            name, n = base, 1
            while name in self.used:
                n += 1
                name = f"{base}_{n}"
            self.used.add(name)
            self.taken[key] = name
        return self.taken[key]


# ---------------------------------------------------------------------------------------- Mermaid


_MERMAID_CODES = {"#": "#35;", '"': "#quot;", ";": "#59;", "&": "#38;", "<": "#60;", ">": "#62;"}


def mermaid_text(text: str) -> str:
    """A label for Mermaid: one line, with the characters that would end or split it as entity codes.

    `"` would end a quoted state name and `;` ends a statement (an edge label would be cut
    there, silently); `#` starts an entity code itself; `<`, `>` and `&` would be read as
    HTML (`<at home>` vanishes as an unknown tag). Mermaid turns `#NN;` back into the
    character when it draws."""
    return re.sub(r'[#";&<>]', lambda found: _MERMAID_CODES[found.group()], _one_line(text))


def _tracks(wf: CompiledWorkflow, only: str | None) -> list[tuple[str, Any]]:
    """The tracks to draw: all, or the one named (`--track`)."""
    if only is None:
        return list(wf.spec.tracks.items())
    return [(only, wf.spec.tracks[only])]


def to_mermaid(wf: CompiledWorkflow, path: Path | None = None, only: str | None = None) -> str:
    """A Mermaid `stateDiagram-v2`: one composite state per track (or the track `only`), concurrent (`--`)."""
    spec = wf.spec
    ids = _Ids()
    case = ids("case")
    lines = [
        f"%% casepath graph: workflow {spec.id}" + (" (highlighted: the path of one scenario)" if path else ""),
        "stateDiagram-v2",
        f'    state "{mermaid_text(spec.title)}" as {case} {{',
    ]
    all_edges = edges(wf)
    classes: dict[str, list[str]] = {"outcome": [], "final": [], "visited": []}
    for number, (track_name, track) in enumerate(_tracks(wf, only)):
        if number:
            lines.append("        --")
        lines.append(f'        state "{mermaid_text(track.label)}" as {ids("track", track_name)} {{')
        for state_name, state in track.states.items():
            node = ids(track_name, state_name)
            lines.append(f'            state "{mermaid_text(state.label)}" as {node}')
            if path and (track_name, state_name) in path.states:
                classes["visited"].append(node)
            elif state.outcome:
                classes["outcome"].append(node)
            elif state.final:
                classes["final"].append(node)
        for state_name, condition in _starts(wf, track_name):
            label = f" : {mermaid_text(condition)}" if condition else ""
            lines.append(f"            [*] --> {ids(track_name, state_name)}{label}")
        for edge in (e for e in all_edges if e.track == track_name):
            source, target = ids(track_name, edge.source), ids(track_name, edge.target)
            lines.append(f"            {source} --> {target} : {mermaid_text(_edge_label(edge, path))}")
        for state_name, state in track.states.items():
            if state.final:
                lines.append(f"            {ids(track_name, state_name)} --> [*]")
        lines.append("        }")
    lines.append("    }")
    lines += [
        "    classDef outcome font-weight:bold,stroke-width:3px",
        "    classDef final stroke-width:3px",
        f"    classDef visited fill:{VISITED_FILL},stroke:{HIGHLIGHT},stroke-width:3px,font-weight:bold",
    ]
    for name, nodes in classes.items():
        if nodes:
            lines.append(f"    class {','.join(nodes)} {name}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------- Graphviz


def dot_text(text: str) -> str:
    """A double-quoted dot string. Backslashes are doubled so `\\N`, `\\G`… stay literal text."""
    return '"' + _one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(wf: CompiledWorkflow, path: Path | None = None, only: str | None = None) -> str:
    """A Graphviz digraph: one `subgraph cluster_<track>` per track (or the track `only`)."""
    spec = wf.spec
    ids = _Ids()
    all_edges = edges(wf)
    lines = [
        f"// casepath graph: workflow {spec.id}" + (" (highlighted: the path of one scenario)" if path else ""),
        f"digraph {dot_text(spec.id)} {{",
        f"    graph [label={dot_text(spec.title)}, labelloc=t, fontname=Helvetica, rankdir=LR, newrank=true];",
        "    node [shape=box, style=rounded, fontname=Helvetica, fontsize=11];",
        "    edge [fontname=Helvetica, fontsize=9];",
    ]
    for track_name, track in _tracks(wf, only):
        lines.append(f"    subgraph {ids('cluster', track_name)} {{")
        lines.append(f"        label={dot_text(track.label)}; style=rounded; color=gray50;")
        for state_name, state in track.states.items():
            attrs = [f"label={dot_text(state.label)}"]
            styles = ["rounded"]
            if state.final:
                attrs.append("peripheries=2")
            if state.outcome:
                styles += ["filled", "bold"]
                attrs.append(f'fillcolor="{OUTCOME_FILL}"')
            if path and (track_name, state_name) in path.states:
                styles = [s for s in styles if s != "filled"] + ["filled", "bold"]
                attrs += [f'color="{HIGHLIGHT}"', f'fillcolor="{VISITED_FILL}"', "penwidth=2.5"]
            attrs.append(f'style="{",".join(styles)}"')
            lines.append(f"        {ids(track_name, state_name)} [{', '.join(attrs)}];")
        start = ids(track_name, "(start)")
        lines.append(f'        {start} [shape=point, width=0.12, label=""];')
        for state_name, condition in _starts(wf, track_name):
            attrs = [f"label={dot_text(condition)}"] if condition else []
            if path and (track_name, state_name) in path.starts:
                attrs += [f'color="{HIGHLIGHT}"', "penwidth=2.5"]
            suffix = f" [{', '.join(attrs)}]" if attrs else ""
            lines.append(f"        {start} -> {ids(track_name, state_name)}{suffix};")
        for edge in (e for e in all_edges if e.track == track_name):
            attrs = [f"label={dot_text(_edge_label(edge, path))}"]
            if path and path.taken(edge):
                attrs += [f'color="{HIGHLIGHT}"', f'fontcolor="{HIGHLIGHT}"', "penwidth=2.5"]
            source, target = ids(track_name, edge.source), ids(track_name, edge.target)
            lines.append(f"        {source} -> {target} [{', '.join(attrs)}];")
        lines.append("    }")
    lines.append("}")
    return "\n".join(lines) + "\n"
