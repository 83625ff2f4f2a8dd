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
import textwrap
from dataclasses import dataclass, field
from typing import Any

from casepath.locale import translate
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
    from casepath.explain import plain

    out = []
    for state, guards in choices:
        said = translate(" and ", wf.lang).join(plain(wf, g) for g in guards)
        out.append((state, said or translate("otherwise", wf.lang)))
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


def dot_text(text: str, width: int = 0) -> str:
    """A double-quoted dot string. Backslashes are doubled so `\\N`, `\\G`… stay literal text.

    With `width`, the text is wrapped at spaces into centred lines of about that many characters:
    long labels on one line are what make a left-to-right diagram wide."""
    escaped = _one_line(text).replace("\\", "\\\\").replace('"', '\\"')
    if width:
        escaped = "\\n".join(textwrap.wrap(escaped, width, break_long_words=False, break_on_hyphens=False))
    return '"' + escaped + '"'


STATE_WIDTH = 16
"""Characters per line of a state's label in dot."""

EDGE_WIDTH = 14
"""Characters per line of an edge's label in dot."""

FRAME_MIN = 3
"""From this many states, arrows with the same events to the same state may leave from a frame."""


@dataclass(frozen=True)
class Frame:
    """A dashed frame around states that share their ways out ("from any of these").

    "Left Denmark" can happen from thirteen states: thirteen labelled arrows across the
    diagram are what made it unreadable. Drawn instead: a frame around those states and one
    arrow from its border, as state charts do. Frames only ever hold exactly the states an
    arrow leaves from, so every arrow still means every transition and nothing more; they nest,
    never overlap (Graphviz cannot draw overlapping clusters)."""

    states: frozenset[str]


def frames(track_edges: list[Edge], order: list[str]) -> list[Frame]:
    """The frames of a track: the sets of states (FRAME_MIN or more) that the same events leave
    for the same state, the most shared first, kept only if they nest with those already kept."""
    groups: dict[tuple[str, tuple[str, ...]], set[str]] = {}
    for edge in track_edges:
        if edge.source != edge.target:
            groups.setdefault((edge.target, edge.events), set()).add(edge.source)
    counted: dict[frozenset[str], int] = {}
    for sources in groups.values():
        if len(sources) >= FRAME_MIN:
            counted[frozenset(sources)] = counted.get(frozenset(sources), 0) + 1
    kept: list[frozenset[str]] = []
    for states in sorted(counted, key=lambda f: (-counted[f], -len(f), sorted(map(order.index, f)))):
        if all(states <= other or other <= states or not states & other for other in kept):
            kept.append(states)
    return [Frame(states) for states in kept]


def _cover(sources: set[str], kept: list[Frame]) -> tuple[list[Frame], set[str]]:
    """The largest frames that make up part of `sources`, and the states left to draw one by one."""
    chosen: list[Frame] = []
    rest = set(sources)
    for frame in sorted(kept, key=lambda f: -len(f.states)):
        if frame.states <= rest:
            chosen.append(frame)
            rest -= frame.states
    return chosen, rest


def _marked(taken: bool) -> list[str]:
    return [f'color="{HIGHLIGHT}"', f'fontcolor="{HIGHLIGHT}"', "penwidth=2.5"] if taken else []


def _state_node(state: Any, node: str, visited: bool) -> str:
    attrs = [f"label={dot_text(state.label, STATE_WIDTH)}"]
    styles = ["rounded"]
    if state.final:
        attrs.append("peripheries=2")
    if state.outcome:
        styles += ["filled", "bold"]
        attrs.append(f'fillcolor="{OUTCOME_FILL}"')
    if visited:
        styles = [s for s in styles if s != "filled"] + ["filled", "bold"]
        attrs += [f'color="{HIGHLIGHT}"', f'fillcolor="{VISITED_FILL}"', "penwidth=2.5"]
    attrs.append(f'style="{",".join(styles)}"')
    return f"{node} [{', '.join(attrs)}];"


def to_dot(wf: CompiledWorkflow, path: Path | None = None, only: str | None = None) -> str:
    """A Graphviz digraph: one `subgraph cluster_<track>` per track (or the track `only`).

    Laid out for reading left to right: labels wrapped into short lines; the states in the order
    the workflow lists them (an arrow back to an earlier state does not push the layout right);
    arrows shared by many states drawn once from a frame (see `Frame`)."""
    spec = wf.spec
    ids = _Ids()
    note = translate("An arrow from a dashed frame: from every state inside it.", wf.lang)
    lines = [
        f"// casepath graph: workflow {spec.id}" + (" (highlighted: the path of one scenario)" if path else ""),
        f"digraph {dot_text(spec.id)} {{",
        f"    graph [label={dot_text(spec.title)[:-1]}\\n{dot_text(note)[1:]}, labelloc=t, fontname=Helvetica,"
        " rankdir=LR, newrank=true, compound=true, nodesep=0.15, ranksep=0.2];",
        '    node [shape=box, style=rounded, fontname=Helvetica, fontsize=10, margin="0.06,0.03"];',
        "    edge [fontname=Helvetica, fontsize=9, arrowsize=0.7];",
    ]
    all_edges = edges(wf)
    for track_name, _ in _tracks(wf, only):
        lines += _dot_track(wf, track_name, [e for e in all_edges if e.track == track_name], path, ids)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_track(wf: CompiledWorkflow, name: str, track_edges: list[Edge], path: Path | None, ids: _Ids) -> list[str]:
    """One track as a `subgraph cluster_<track>`, its frames nested inside."""
    track = wf.spec.tracks[name]
    order = list(track.states)
    kept = frames(track_edges, order)
    lines = [
        f"    subgraph {ids('cluster', name)} {{",
        f"        label={dot_text(track.label)}; style=rounded; color=gray50;",
    ]

    def frame_id(frame: Frame) -> str:
        return ids("cluster", name, "frame", *sorted(frame.states))

    def place(states: set[str], inner: list[Frame], indent: str) -> None:
        """Write `states`, each inside the smallest frame that holds it (frames nest)."""
        outer = [f for f in inner if not any(f.states < g.states for g in inner)]
        for frame in sorted(outer, key=lambda f: min(map(order.index, f.states))):
            lines.append(f"{indent}subgraph {frame_id(frame)} {{")
            lines.append(f'{indent}    label=""; style=dashed; color=gray60;')
            place(set(frame.states), [f for f in inner if f.states < frame.states], indent + "    ")
            lines.append(f"{indent}}}")
        for state in sorted(states - {s for f in outer for s in f.states}, key=order.index):
            visited = bool(path and (name, state) in path.states)
            lines.append(indent + _state_node(track.states[state], ids(name, state), visited))

    def arrow(tail: str, target: str, label: str, taken: bool, extra: list[str]) -> None:
        attrs = [f"label={dot_text(label, EDGE_WIDTH)}", *extra, *_marked(taken)]
        if order.index(target) <= order.index(tail):
            attrs.append("constraint=false")  # a step back: leave the columns to the story
        lines.append(f"        {ids(name, tail)} -> {ids(name, target)} [{', '.join(attrs)}];")

    place(set(order), kept, "        ")
    # where a case can end up: one column at the right
    ends = [ids(name, state) for state, spec in track.states.items() if spec.final or spec.outcome]
    if len(ends) > 1:
        lines.append(f"        {{rank=same; {'; '.join(ends)};}}")
    start = ids(name, "(start)")
    lines.append(f'        {start} [shape=point, width=0.12, label=""];')
    for state, condition in _starts(wf, name):
        attrs = [f"label={dot_text(condition, EDGE_WIDTH)}"] if condition else []
        if path and (name, state) in path.starts:
            attrs += [f'color="{HIGHLIGHT}"', "penwidth=2.5"]
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"        {start} -> {ids(name, state)}{suffix};")
    groups: dict[tuple[str, tuple[str, ...]], list[Edge]] = {}
    for edge in track_edges:
        groups.setdefault((edge.target, edge.events), []).append(edge)
    for (target, _), members in groups.items():
        chosen, rest = _cover({e.source for e in members if e.source != target}, kept)
        for frame in chosen:
            inside = [e for e in members if e.source in frame.states]
            # the arrow leaves from the frame's last state (in the story), clipped at the frame
            tail = max(frame.states, key=order.index)
            arrow(tail, target, _edge_label(inside[0], None), False, [f"ltail={frame_id(frame)}"])
            # a step the case took is drawn from the state it left, so the path reads on its own
            rest |= {e.source for e in inside if path and path.taken(e)}
        for edge in members:
            if edge.source in rest or edge.source == target:
                arrow(edge.source, edge.target, _edge_label(edge, path), bool(path and path.taken(edge)), [])
    lines.append("    }")
    return lines
