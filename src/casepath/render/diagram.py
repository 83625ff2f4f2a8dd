"""One track of a workflow drawn as a state diagram, with the path a case took marked.

The layout is deliberately simple: states are boxes in columns by their breadth-first
distance from the track's initial state(s), ordered in each column by the average
position of the states that lead to them (fewer crossings); transitions are curved
arrows. Transitions that do not change the state are left out. States and transitions
the case took are drawn strong, the rest faint, and the state the case is in is marked.

A way out that many states share ("Left Denmark" from thirteen states) is not drawn as a
line from each of them: those lines made the main track a tangle nobody could follow in class.
Its target says instead "from N states" (and lists them when pointed at); if the case took
it, that one move is drawn. States where a case ends stand in the last column.
"""

from __future__ import annotations

from collections import deque

from casepath.locale import translator
from casepath.render.svg import element, text_lines
from casepath.workflow.compiled import CompiledWorkflow

BOX_W, GAP_X, GAP_Y, LINE = 172, 64, 14, 14
MARGIN = 12
SHARED_MIN = 5
"""From this many states, a way out with the same events to the same state is not drawn as lines."""


def _shared(edges: list[tuple[str, str, list[str]]]) -> set[tuple[str, str]]:
    """(from, to) of the moves that SHARED_MIN or more states make to the same state by the same events."""
    groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for source, target, labels in edges:
        groups.setdefault((target, tuple(labels)), []).append(source)
    return {(s, target) for (target, _), sources in groups.items() if len(sources) >= SHARED_MIN for s in sources}


def _edges(workflow: CompiledWorkflow, track: str) -> list[tuple[str, str, list[str]]]:
    """(from, to, event labels) for every state change the track allows, in workflow order."""
    found: dict[tuple[str, str], list[str]] = {}
    for event, tracks in workflow.by_event.items():
        label = workflow.spec.events[event].label
        for transition in tracks.get(track, ()):
            if transition.to is None:
                continue
            for source in sorted(transition.sources):
                if source != transition.to:
                    labels = found.setdefault((source, transition.to), [])
                    if label not in labels:
                        labels.append(label)
    return [(a, b, labels) for (a, b), labels in found.items()]


def _layers(
    workflow: CompiledWorkflow,
    track: str,
    edges: list[tuple[str, str, list[str]]],
    every: list[tuple[str, str, list[str]]] | None = None,
) -> list[list[str]]:
    """Columns of states: by distance from the start along `edges` (the lines drawn); a state reached
    only by a way out not drawn comes one column after the nearest state it is reached from (in
    `every`); states where a case ends form the last column."""
    spec = workflow.spec.tracks[track]
    starts = [spec.initial] if isinstance(spec.initial, str) else [c.state for c in spec.initial]
    depth = dict.fromkeys(starts, 0)
    queue = deque(starts)
    while queue:
        state = queue.popleft()
        for source, target, _ in edges:
            if source == state and target not in depth:
                depth[target] = depth[state] + 1
                queue.append(target)
    for state in spec.states:  # reached only by a shared way out: after the states it comes from
        if state not in depth and not spec.states[state].final:
            before = [depth[a] for a, b, _ in every or edges if b == state and a in depth]
            depth[state] = min(before, default=max(depth.values())) + 1
    deepest = max(depth.values())
    for state, found in spec.states.items():  # where a case ends: the last column
        if found.final:
            depth[state] = deepest + 1
    layers: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    for state in spec.states:
        layers[depth[state]].append(state)
    # Order each column by the mean row of its predecessors in the columns before it.
    row = {state: i for i, state in enumerate(layers[0])}
    for layer in layers[1:]:

        def weight(state: str) -> float:
            rows = [row[a] for a, b, _ in edges if b == state and a in row]
            return sum(rows) / len(rows) if rows else float(len(row))

        layer.sort(key=weight)
        row.update({state: i for i, state in enumerate(layer)})
    return [layer for layer in layers if layer]


def draw(
    workflow: CompiledWorkflow,
    track: str,
    visited: set[str],
    taken: dict[tuple[str, str], list[int]],
    current: str,
    ident: str,
) -> str:
    """The diagram of `track` as an inline SVG.

    `visited`: states the case was in; `taken`: (from, to) -> the numbers of the events that
    made that move; `current`: the state the case is in now.
    """
    spec = workflow.spec.tracks[track]
    tr = translator(workflow.lang)
    every = _edges(workflow, track)
    shared = _shared(every)
    edges = [e for e in every if (e[0], e[1]) not in shared]
    layers = _layers(workflow, track, edges, every)
    edges += [e for e in every if (e[0], e[1]) in shared and (e[0], e[1]) in taken]  # the one the case took
    arriving: dict[str, list[str]] = {}  # state -> the states whose shared way out leads to it, not drawn
    for source, target in sorted(shared, key=lambda m: list(spec.states).index(m[0])):
        arriving.setdefault(target, []).append(source)
    wrapped = {s: text_lines(spec.states[s].label, 22) for layer in layers for s in layer}
    notes = {s: tr("from {count} states", count=len(arriving[s])) for s in arriving}
    heights = {s: 14 + LINE * (len(lines) + (s in notes)) for s, lines in wrapped.items()}
    column_heights = [sum(heights[s] for s in layer) + GAP_Y * (len(layer) - 1) for layer in layers]
    tallest = max(column_heights)
    box: dict[str, tuple[float, float, float]] = {}  # state -> x, y, height
    for column, layer in enumerate(layers):
        x = MARGIN + column * (BOX_W + GAP_X)
        y = MARGIN + 10 + (tallest - column_heights[column]) / 2
        for state in layer:
            box[state] = (x, y, heights[state])
            y += heights[state] + GAP_Y
    width = MARGIN * 2 + len(layers) * BOX_W + (len(layers) - 0.5) * GAP_X  # room for bows right of the last column
    height = MARGIN * 2 + 20 + tallest

    arrows: list[str] = []
    strong: list[str] = []
    for source, target, labels in edges:
        sx, sy, sh = box[source]
        tx, ty, th = box[target]
        start_y, end_y = sy + sh / 2, ty + th / 2
        if tx > sx:  # forward: right side to left side
            path = _curve(sx + BOX_W, start_y, sx + BOX_W + GAP_X / 2, tx - GAP_X / 2, tx - 2, end_y)
        elif tx == sx:  # same column: a bow out to the right
            bow = sx + BOX_W + GAP_X * 0.45
            path = _curve(sx + BOX_W, start_y, bow, bow, sx + BOX_W + 2, end_y)
        else:  # backward: left side of the later state to the right side of the earlier one
            path = _curve(sx, start_y, sx - GAP_X / 2, tx + BOX_W + GAP_X / 2, tx + BOX_W + 2, end_y)
        numbers = taken.get((source, target))
        what = f"{spec.states[source].label} → {spec.states[target].label}: {'; '.join(labels)}"
        if numbers:
            what += " " + tr("(taken by event {numbers})", numbers=", ".join(map(str, numbers)))
        drawn = element(
            "path",
            {
                "class": "edge taken" if numbers else "edge",
                "d": path,
                "marker-end": f"url(#{ident}-{'hit' if numbers else 'arrow'})",
            },
            element("title", None, what),
        )
        (strong if numbers else arrows).append(drawn)

    nodes: list[str] = []
    for state, (x, y, h) in box.items():
        classes = ["state"]
        if state in visited:
            classes.append("visited")
        if state == current:
            classes.append("now")
        if spec.states[state].final:
            classes.append("final")
        lines = wrapped[state]
        texts = [
            element("text", {"x": x + BOX_W / 2, "y": y + 7 + LINE * (i + 1) - 3, "text-anchor": "middle"}, line)
            for i, line in enumerate(lines)
        ]
        if state in notes:
            texts.append(
                element(
                    "text",
                    {
                        "class": "shared",
                        "x": x + BOX_W / 2,
                        "y": y + 7 + LINE * (len(lines) + 1) - 3,
                        "text-anchor": "middle",
                    },
                    "← " + notes[state],
                )
            )
        meaning = spec.states[state].label + (" " + tr("(an end state)") if spec.states[state].final else "")
        if state in arriving:
            meaning += "\n" + tr(
                "Also reached from: {states}", states="; ".join(spec.states[a].label for a in arriving[state])
            )
        nodes.append(
            element(
                "g",
                {"class": " ".join(classes), "data-track": track, "data-state": state},
                element("title", None, meaning),
                element("rect", {"x": x, "y": y, "width": BOX_W, "height": h, "rx": 6}),
                element(
                    "rect", {"class": "inner", "x": x + 3, "y": y + 3, "width": BOX_W - 6, "height": h - 6, "rx": 4}
                )
                if spec.states[state].final
                else "",
                *texts,
            )
        )
    # Event numbers on the moves the case made, drawn last so they sit on top.
    badges: list[str] = []
    for (source, target), numbers in taken.items():
        if source not in box or target not in box or source == target:
            continue
        sx, sy, sh = box[source]
        tx, ty, th = box[target]
        if tx > sx:
            bx, by = (sx + BOX_W + tx) / 2, (sy + sh / 2 + ty + th / 2) / 2
        elif tx == sx:
            bx, by = sx + BOX_W + GAP_X * 0.36, (sy + sh / 2 + ty + th / 2) / 2
        else:
            bx, by = (sx + tx + BOX_W) / 2, (sy + sh / 2 + ty + th / 2) / 2
        label = ",".join(map(str, numbers))
        half = 4 + 3.3 * len(label)
        badges.append(
            element(
                "g",
                {"class": "badge"},
                element("rect", {"x": bx - half, "y": by - 8, "width": 2 * half, "height": 16, "rx": 8}),
                element("text", {"x": bx, "y": by + 4, "text-anchor": "middle"}, label),
            )
        )

    path_text = " → ".join(spec.states[s].label for s in _ordered(visited, taken, current))
    desc = tr(
        "{states} states in {columns} columns by distance from the start, {changes} possible changes. "
        "This case: {path}. Now: {now}.",
        states=len(box),
        columns=len(layers),
        changes=len(every),
        path=path_text,
        now=spec.states[current].label,
    )
    defs = element(
        "defs",
        None,
        *(
            element(
                "marker",
                {
                    "id": f"{ident}-{kind}",
                    "viewBox": "0 0 10 10",
                    "refX": 9,
                    "refY": 5,
                    "markerWidth": 8,
                    "markerHeight": 8,
                    "markerUnits": "userSpaceOnUse",
                    "orient": "auto-start-reverse",
                    "class": f"tip {kind}",
                },
                element("path", {"d": "M0,0 L10,5 L0,10 z"}),
            )
            for kind in ("arrow", "hit")
        ),
    )
    return element(
        "svg",
        {
            "class": "diagram",
            "viewBox": f"0 0 {width} {height}",
            "width": width,
            "height": height,
            "role": "img",
            "aria-labelledby": f"{ident}-title {ident}-desc",
        },
        element("title", {"id": f"{ident}-title"}, tr("State diagram: {track}", track=spec.label)),
        element("desc", {"id": f"{ident}-desc"}, desc),
        defs,
        *arrows,
        *strong,
        *nodes,
        *badges,
    )


def _curve(x1: float, y1: float, c1: float, c2: float, x2: float, y2: float) -> str:
    """A cubic curve from (x1, y1) to (x2, y2) whose control points pull sideways to c1 and c2."""
    return f"M{x1:.1f},{y1:.1f} C{c1:.1f},{y1:.1f} {c2:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"


def _ordered(visited: set[str], taken: dict[tuple[str, str], list[int]], current: str) -> list[str]:
    """The states of the case's path in the order it went through them."""
    moves = sorted(((n, a, b) for (a, b), numbers in taken.items() for n in numbers), key=lambda m: m[0])
    if not moves:
        return [current]
    return [moves[0][1]] + [b for _, _, b in moves]
