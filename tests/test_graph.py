"""`casepath graph`: diagrams that the real tools accept, with the workflow's labels, and a highlighted path.

Dot output is checked with Graphviz's own `dot` (Debian package `graphviz`), Mermaid output
with Mermaid's own parser under Node (tests/mermaid/check.mjs; install it with
`npm ci --prefix tests/mermaid`). Each checker is also shown a broken diagram, to prove it can fail.
The labels are read back from what each tool understood, not from our text.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from casepath import cli

HERE = Path(__file__).resolve().parent
MERMAID_CHECK = HERE / "mermaid" / "check.mjs"
MERMAID_READY = shutil.which("node") is not None and (HERE / "mermaid" / "node_modules" / "mermaid").is_dir()
# CI sets CASEPATH_REQUIRE_TOOLS=1: there a missing tool fails the tests instead of skipping them.
MAY_SKIP = os.environ.get("CASEPATH_REQUIRE_TOOLS") != "1"
needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None and MAY_SKIP, reason="Graphviz `dot` missing: apt-get install graphviz"
)
needs_mermaid = pytest.mark.skipif(
    not MERMAID_READY and MAY_SKIP,
    reason="Mermaid parser not installed: run `npm ci --prefix tests/mermaid` (needs node)",
)
SVG = "{http://www.w3.org/2000/svg}"

# Another country's workflow, made up, whose labels hold everything a diagram language trips on.
ODD_WORKFLOW = """\
casepath_workflow: 1
id: testland
title: 'Testland: a "made-up" pathway (for tests; not law)'
calendar: {timezone: Europe/Copenhagen, holidays: DK}
rules_known_until: 2022-12-31
sources:
  memo: {title: A made-up memo, describes: nothing real}
outcomes:
  stays: allowed to stay
  left: left the country
person:
  fields:
    kind: {type: choice, required: true, values: [adult, child]}
tracks:
  main:
    label: 'Stay; residence (main) track'
    main: true
    initial: waiting
    states:
      waiting: {label: 'Waiting: a "first" contact'}
      assessed: {label: 'Assessed by Udlændingestyrelsen (DIS)'}
      stays: {label: 'Permit #1 granted; may stay', outcome: stays}
      left: {label: 'Left \\ gone: 100% final', final: true, outcome: left}
  care:
    label: Care & support
    initial:
      - state: minor
        when: [{guard: fact_in, fact: kind, values: [child]}]
      - state: none
    states:
      none: {label: No care}
      minor: {label: 'Child care {special}'}
      cared: {label: 'Cared for <at home>'}
events:
  assessed:
    label: 'Assessment done (by: Udlændingestyrelsen)'
    track: main
    fields:
      by: {type: choice, required: true, values: [dis, cmm]}
  permit: {label: 'Permit granted; "yes"', track: main}
  left: {label: Left the country, track: main}
  care_started: {label: Care started, track: care}
  noted: {label: A note without a change, track: main}
transitions:
  - {event: assessed, from: waiting, to: assessed, sources: [{doc: memo, section: "§1", para: 1}]}
  - {event: permit, from: [waiting, assessed], to: stays, sources: [{doc: memo, section: "§2", para: 1}]}
  - {event: left, from: [waiting, assessed, stays], to: left, sources: [{doc: memo, section: "§3", para: 1}]}
  - {event: left, track: care, from: [minor, cared], to: none, sources: [{doc: memo, section: "§3", para: 2}]}
  - {event: care_started, from: [none, minor], to: cared, sources: [{doc: memo, section: "§4", para: 1}]}
  - {event: noted, from: any, sources: [{doc: memo, section: "§5", para: 1}]}
"""
ODD_STATES = {
    'Waiting: a "first" contact',
    "Assessed by Udlændingestyrelsen (DIS)",
    "Permit #1 granted; may stay",
    "Left \\ gone: 100% final",
    "No care",
    "Child care {special}",
    "Cared for <at home>",
}
# (from, to, label): every transition with a `to`, those between the same two states merged.
ODD_EDGES = {
    (
        'Waiting: a "first" contact',
        "Assessed by Udlændingestyrelsen (DIS)",
        "Assessment done (by: Udlændingestyrelsen)",
    ),
    ('Waiting: a "first" contact', "Permit #1 granted; may stay", 'Permit granted; "yes"'),
    ("Assessed by Udlændingestyrelsen (DIS)", "Permit #1 granted; may stay", 'Permit granted; "yes"'),
    ('Waiting: a "first" contact', "Left \\ gone: 100% final", "Left the country"),
    ("Assessed by Udlændingestyrelsen (DIS)", "Left \\ gone: 100% final", "Left the country"),
    ("Permit #1 granted; may stay", "Left \\ gone: 100% final", "Left the country"),
    ("Child care {special}", "No care", "Left the country"),
    ("Cared for <at home>", "No care", "Left the country"),
    ("No care", "Cared for <at home>", "Care started"),
    ("Child care {special}", "Cared for <at home>", "Care started"),
}
ODD_TRACKS = {"Stay; residence (main) track", "Care & support"}

# A Danish case, worked out by hand: contact on 1 March 2022, identified by DIS on 10 March
# (undocumented, so the 30-day reflection period runs to 9 April); the departure deadline
# passes on its own (automatic, 10 April); detained on 20 April, removed on 21 April, which
# also ends the detention.
DANISH_SCENARIO = """\
casepath: 1
title: Identified, the period runs out, detained and removed
person: {alias: K, born: 1990-02-02, residence: undocumented}
events:
  - {date: 2022-03-01, event: contact, by: ngo}
  - {date: 2022-03-10, event: identified, by: dis}
  - {date: '2022-04-20T10:00', event: detained}
  - {date: 2022-04-21, event: removed}
"""
VISITED = {
    "Before first contact",
    "In contact with outreach or an authority",
    "Reflection period running",
    "Reflection period over; must leave",
    "Removed under the ordinary rules",
    "Not detained",
    "Detained",
    "No criminal case",
    "Not charged",
    "Not a child",
}
TAKEN = {
    ("Before first contact", "In contact with outreach or an authority", "First contact (2022-03-01)"),
    (
        "In contact with outreach or an authority",
        "Reflection period running",
        "Formally identified as a victim (2022-03-10)",
    ),
    (
        "Reflection period running",
        "Reflection period over; must leave",
        "The departure deadline passed (2022-04-10 automatic)",
    ),
    ("Not detained", "Detained", "Detained by the police (2022-04-20)"),
    (
        "Reflection period over; must leave",
        "Removed under the ordinary rules",
        "Removed under the ordinary rules (2022-04-21)",
    ),
    # the edge out of detention is shared by four events: only the one that happened is named
    ("Detained", "Not detained", "Removed under the ordinary rules (2022-04-21)"),
}
HIGHLIGHT = "#c0392b"


def shown(item: dict) -> str:
    """The text Graphviz drew for a node or an edge (from `dot -Tjson`), escapes resolved."""
    return " ".join(op["text"] for op in item.get("_ldraw_", []) if op.get("op") == "T")


def drawn_edges(data: dict, only: str | None = None) -> set[tuple[str, str, str]]:
    """(from, to, label) for every arrow Graphviz drew (or only those in colour `only`).

    An arrow from a dashed frame (`ltail`) stands for an arrow from every state in that frame:
    it is read back as one edge per state, so the test checks the transitions, not the drawing."""
    objects = data["objects"]
    clusters = {o["name"]: o for o in objects if "nodes" in o}
    found = set()
    for edge in data["edges"]:
        if only is not None and edge.get("color") != only:
            continue
        tails = clusters[edge["ltail"]]["nodes"] if "ltail" in edge else [edge["tail"]]
        found |= {(shown(objects[tail]), shown(objects[edge["head"]]), shown(edge)) for tail in tails}
    return found


def drawn_texts(svg: ET.Element) -> set[str]:
    """Each node's, edge's and cluster's text as one line (Graphviz writes a wrapped label line by line)."""
    texts = set()
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") in ("node", "edge", "cluster", "graph"):
            lines = [t.text for t in group.findall(f"{SVG}text") if t.text]
            texts.add(" ".join(lines))
            texts.update(lines)
    return texts


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def tool(*command: str, text: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, input=text, capture_output=True, text=True, encoding="utf-8", timeout=120)


def mermaid(text: str) -> subprocess.CompletedProcess[str]:
    return tool("node", str(MERMAID_CHECK), text=text)


@pytest.fixture
def odd(tmp_path: Path) -> str:
    path = tmp_path / "testland.yaml"
    path.write_text(ODD_WORKFLOW, encoding="utf-8")
    return str(path)


@pytest.fixture
def danish(tmp_path: Path) -> str:
    path = tmp_path / "removed.yaml"
    path.write_text(DANISH_SCENARIO, encoding="utf-8")
    return str(path)


def graph(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run_main(capsys, "graph", *args)
    assert (code, err) == (0, "")
    return out


# ------------------------------------------------------------------------------------------ dot


@needs_dot
def test_graphviz_draws_the_odd_workflow_with_its_labels(capsys: pytest.CaptureFixture[str], odd: str):
    drawn = tool("dot", "-Tsvg", text=graph(capsys, "--workflow", odd, "--format", "dot"))
    assert drawn.returncode == 0, drawn.stderr
    svg = ET.fromstring(drawn.stdout)
    texts = drawn_texts(svg)
    assert ODD_STATES | ODD_TRACKS | {"Assessment done (by: Udlændingestyrelsen)", 'Permit granted; "yes"'} <= texts
    assert 'Testland: a "made-up" pathway (for tests; not law)' in texts
    # no internal id is shown as text
    assert not any(t and ("__" in t or t in ("waiting", "assessed", "care")) for t in texts)
    # two tracks, and one dashed frame: "Left the country" leaves from all three states of the main track
    clusters = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "cluster"]
    assert len([g for g in clusters if "frame" not in g.findtext(f"{SVG}title", "")]) == 2
    assert len([g for g in clusters if "frame" in g.findtext(f"{SVG}title", "")]) == 1


@needs_dot
def test_graphviz_reads_states_edges_and_marks(capsys: pytest.CaptureFixture[str], odd: str):
    data = json.loads(tool("dot", "-Tjson", text=graph(capsys, "-w", odd, "-f", "dot")).stdout)
    objects = data["objects"]
    states = {shown(o): o for o in objects if shown(o) in ODD_STATES}
    assert set(states) == ODD_STATES
    edges = drawn_edges(data)
    assert {e for e in edges if e[0] in ODD_STATES} == ODD_EDGES
    # the three "Left the country" arrows are drawn as one, from the frame around their states
    assert len([e for e in data["edges"] if shown(e) == "Left the country" and "ltail" in e]) == 1
    # one start point per track; the start that depends on the person is labelled with its conditions
    starts = {(e[1], e[2]) for e in edges if e[0] == ""}
    assert starts == {
        ('Waiting: a "first" contact', ""),
        ("Child care {special}", "kind is child"),
        ("No care", "otherwise"),
    }
    assert states["Left \\ gone: 100% final"].get("peripheries") == "2"  # final
    assert "bold" in states["Permit #1 granted; may stay"]["style"]  # an outcome
    assert "peripheries" not in states["Permit #1 granted; may stay"]


@needs_dot
def test_graphviz_rejects_a_broken_diagram(capsys: pytest.CaptureFixture[str], odd: str):
    text = graph(capsys, "-w", odd, "-f", "dot")
    assert tool("dot", "-Tsvg", text=text).returncode == 0
    assert tool("dot", "-Tsvg", text=text.rstrip().removesuffix("}")).returncode != 0
    assert tool("dot", "-Tsvg", text=text.replace('\\"first\\"', '"first"')).returncode != 0


@needs_dot
def test_graphviz_draws_the_danish_workflow_in_five_clusters(capsys: pytest.CaptureFixture[str]):
    drawn = tool("dot", "-Tsvg", text=graph(capsys, "--format", "dot"))
    assert drawn.returncode == 0, drawn.stderr
    svg = ET.fromstring(drawn.stdout)
    texts = drawn_texts(svg)
    assert {
        "Stay and pathway",
        "Detention",
        "Child protection",
        "Reflection period running",
        "Disappeared; whereabouts unknown",
        "First contact",
        "Extension granted / Extension refused",
    } <= texts
    tracks = [
        g for g in svg.iter(f"{SVG}g") if g.get("class") == "cluster" and "frame" not in g.findtext(f"{SVG}title")
    ]
    assert len(tracks) == 5


@needs_dot
def test_highlight_marks_the_path_in_dot(capsys: pytest.CaptureFixture[str], danish: str):
    data = json.loads(tool("dot", "-Tjson", text=graph(capsys, "-f", "dot", "--highlight", danish)).stdout)
    objects = data["objects"]
    marked = {shown(o) for o in objects if o.get("color") == HIGHLIGHT and shown(o)}
    assert marked == VISITED
    taken = drawn_edges(data, only=HIGHLIGHT)
    # a step taken is drawn from the state it left, never from a frame
    assert not [e for e in data["edges"] if e.get("color") == HIGHLIGHT and "ltail" in e]
    starts = {
        ("", "Before first contact", ""),
        ("", "Not detained", ""),
        ("", "No criminal case", ""),
        ("", "Not charged", ""),
        ("", "Not a child", "otherwise"),  # born 1990: an adult
    }
    assert taken == TAKEN | starts


# ------------------------------------------------------------------------------------------ Mermaid


def understood(text: str) -> dict:
    checked = mermaid(text)
    assert checked.returncode == 0, checked.stderr
    return json.loads(checked.stdout)


def labelled(data: dict) -> tuple[dict[str, dict], set[tuple[str, str, str]]]:
    nodes = {n["id"]: n for n in data["nodes"]}
    edges = {(nodes[e["start"]]["label"], nodes[e["end"]]["label"], e["label"]) for e in data["edges"]}
    return nodes, edges


@needs_mermaid
def test_mermaid_parses_the_odd_workflow_with_its_labels_intact(capsys: pytest.CaptureFixture[str], odd: str):
    data = understood(graph(capsys, "--workflow", odd))
    assert data["type"] == "stateDiagram"
    nodes, edges = labelled(data)
    plain = {n["label"] for n in nodes.values() if n["shape"] == "rect"}
    assert plain == ODD_STATES  # nothing cut at a ";" or a '"', no stray state
    groups = {n["label"] for n in nodes.values() if n["shape"] == "roundedWithTitle"}
    assert groups == ODD_TRACKS | {'Testland: a "made-up" pathway (for tests; not law)'}
    assert len([n for n in nodes.values() if n["shape"] == "divider"]) == 2  # two concurrent regions
    state_edges = {e for e in edges if e[0] in ODD_STATES and e[1] in ODD_STATES}
    assert state_edges == ODD_EDGES
    finals = {e[0] for e in edges if nodes_by_label(nodes, e[1])["shape"] == "stateEnd"}
    assert finals == {"Left \\ gone: 100% final"}
    starts = {(e[1], e[2]) for e in edges if nodes_by_label(nodes, e[0])["shape"] == "stateStart"}
    assert starts == {
        ('Waiting: a "first" contact', ""),
        ("Child care {special}", "kind is child"),
        ("No care", "otherwise"),
    }
    outcome = {n["label"] for n in nodes.values() if "outcome" in n["classes"]}
    assert outcome == {"Permit #1 granted; may stay", "Left \\ gone: 100% final"}


def nodes_by_label(nodes: dict[str, dict], label: str) -> dict:
    return next(n for n in nodes.values() if n["label"] == label)


@needs_mermaid
def test_mermaid_rejects_a_broken_diagram(capsys: pytest.CaptureFixture[str], odd: str):
    text = graph(capsys, "-w", odd)
    assert mermaid(text).returncode == 0
    broken = text.replace("#quot;first#quot;", '"first"')  # an unescaped quote ends the name early
    checked = mermaid(broken)
    assert checked.returncode == 1
    assert "Parse error" in checked.stderr
    assert mermaid("stateDiagram-v2\n    a -->\n").returncode == 1


@needs_mermaid
def test_mermaid_parses_the_danish_workflow(capsys: pytest.CaptureFixture[str]):
    nodes, edges = labelled(understood(graph(capsys)))
    labels = {n["label"] for n in nodes.values()}
    assert {"Stay and pathway", "Child protection", "Disappeared; whereabouts unknown", "Not a child"} <= labels
    assert ("Reflection period running", "Extension requested, awaiting a decision") in {e[:2] for e in edges}


@needs_mermaid
def test_highlight_marks_the_path_in_mermaid(capsys: pytest.CaptureFixture[str], danish: str):
    nodes, edges = labelled(understood(graph(capsys, "--highlight", danish)))
    assert {n["label"] for n in nodes.values() if "visited" in n["classes"]} == VISITED
    assert {e for e in edges if e[2].endswith(")") and "(20" in e[2]} == TAKEN


# ------------------------------------------------------------------------------------------ the command


def test_an_unknown_workflow_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]):
    code, out, err = run_main(capsys, "graph", "--workflow", "atlantis")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("casepath: unknown workflow 'atlantis'")


def test_a_bad_highlight_file_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    missing = tmp_path / "nowhere.yaml"
    code, out, err = run_main(capsys, "graph", "--highlight", str(missing))
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert str(missing) in err
    bad = tmp_path / "bad.yaml"
    bad.write_text(DANISH_SCENARIO.replace("event: detained", "event: detainde"), encoding="utf-8")
    code, out, err = run_main(capsys, "graph", "-f", "dot", "--highlight", str(bad))
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert f"casepath: {bad}:7:" in err
    assert "unknown event 'detainde'" in err


def test_a_scenario_that_breaks_a_rule_draws_its_path_and_exits_1(capsys: pytest.CaptureFixture[str], tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(DANISH_SCENARIO.replace("by: dis", "by: cmm"), encoding="utf-8")  # CMM cannot identify her
    code, out, err = run_main(capsys, "graph", "--highlight", str(broken))
    assert code == 1
    assert "First contact (2022-03-01)" in out
    assert err == f"casepath: {broken}: event 2 broke a rule (wrong_authority); the path shown ends before it\n"


def test_output_goes_to_a_file_and_is_never_overwritten_without_force(capsys, tmp_path: Path):
    target = tmp_path / "pathway.dot"
    assert run_main(capsys, "graph", "-f", "dot", "--output", str(target)) == (0, "", "")
    assert target.read_text(encoding="utf-8").startswith("// casepath graph: workflow denmark\ndigraph")
    target.write_text("mine", encoding="utf-8")
    code, _, err = run_main(capsys, "graph", "--output", str(target))
    assert code == 2 and "exists already" in err
    assert target.read_text(encoding="utf-8") == "mine"
    assert run_main(capsys, "graph", "--output", str(target), "--force")[0] == 0
    assert target.read_text(encoding="utf-8").startswith("%% casepath graph: workflow denmark\nstateDiagram-v2")


def test_one_track_alone_and_an_unknown_track_is_exit_2(capsys) -> None:
    from casepath import cli

    assert cli.main(["graph", "--format", "dot", "--track", "detention"]) == 0
    out = capsys.readouterr().out
    assert "cluster" in out and "Detained" in out
    assert "Reflection period" not in out  # the pathway track is not drawn
    assert cli.main(["graph", "--track", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pathway" in err


def test_the_highlight_names_the_event_that_happened(capsys) -> None:
    from casepath import cli

    example = Path(__file__).resolve().parents[1] / "examples" / "dis-undocumented-prepared-return.yaml"
    assert cli.main(["graph", "--format", "dot", "--highlight", str(example)]) == 0
    out = capsys.readouterr().out.replace("\\n", " ")  # labels are wrapped at spaces
    # the extension was granted on 2022-04-05 (the example's 4th event); a refusal did not happen
    assert 'label="Extension granted (2022-04-05)"' in out
    assert "Extension refused (2022-04-05)" not in out


@needs_dot
def test_the_main_track_fits_a_projector(capsys) -> None:
    """The class reads the main track left to right on one screen: about 2,000 px at 96 dpi (it was 5,700),
    with each way out that many states share drawn once, from a frame, instead of once per state."""
    data = json.loads(tool("dot", "-Tjson", text=graph(capsys, "-f", "dot", "--track", "pathway")).stdout)
    _, _, right, top = (float(n) for n in data["bb"].split(","))
    assert right * 96 / 72 <= 2100  # Graphviz measures in points (1/72 inch); a PNG has 96 px per inch
    assert right > top  # left to right: wider than high
    # "Left Denmark without a prepared return" can happen in thirteen states: one arrow, from a frame
    departed = [e for e in data["edges"] if shown(e) == "Left Denmark without a prepared return"]
    assert len(departed) == 1 and "ltail" in departed[0]
    assert len(drawn_edges(data)) > 2 * len(data["edges"])  # fewer arrows than transitions drawn


def test_the_report_diagram_writes_shared_ways_out_in_the_box() -> None:
    """The HTML report's own diagram of the main track: "Left Denmark" from thirteen states is a note in
    its box, not thirteen lines; a way out the case took is still drawn; the picture stays page-wide."""
    import re

    from casepath import api
    from casepath.render import diagram

    workflow = api.load_workflow("denmark")
    svg = diagram.draw(
        workflow, "pathway", {"start", "contacted", "departed"}, {("contacted", "departed"): [2]}, "departed", "d"
    )
    departed = re.search(r'<g class="[^"]*" data-track="pathway" data-state="departed">.*?</g>', svg, re.S)
    assert departed and "from 13 states" in departed.group()
    # the 13 states, counted in workflow/denmark.yaml: every non-final state of the track
    assert departed.group().count(";") >= 12  # the hover text lists them, separated by "; "
    taken = re.findall(r'<path class="edge taken"[^>]*>\s*<title>([^<]*)</title>', svg)
    assert taken == [
        "In contact with outreach or an authority → Left Denmark without a prepared return: "
        "Left Denmark without a prepared return (taken by event 2)"
    ]
    assert not re.search(r"Reflection period running → Left Denmark", svg)  # not drawn: a shared way out
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    assert width <= 1200  # five columns of 172 px boxes and 64 px gaps (it had 4 columns and a tangle)


@needs_dot
@pytest.mark.skipif(os.environ.get("CASEPATH_SCREENSHOT") != "1", reason="set CASEPATH_SCREENSHOT=1 to rewrite it")
def test_write_the_pathway_picture_for_the_docs(capsys, tmp_path: Path) -> None:
    """docs/pathway-track.png, the README's picture of the main track, drawn by the real `dot`."""
    picture = tmp_path / "pathway-track.png"
    drawn = subprocess.run(
        ["dot", "-Tpng", "-o", str(picture)],
        input=graph(capsys, "--format", "dot", "--track", "pathway"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert drawn.returncode == 0, drawn.stderr
    shutil.copyfile(picture, HERE.parent / "docs" / "pathway-track.png")
