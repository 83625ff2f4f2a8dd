"""Named reuse in a workflow file: passages cited by id, state sets, actions on entering tagged states.

A small made-up workflow shows what each means when it runs; each load error is checked for its
one line naming the file, the line and the place. denmark.yaml uses all three (its reports are
compared byte for byte with the golden answers in test_same_answers.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from test_workflow_checks import problem

import casepath
from casepath import yamlfile
from casepath.wording import describe
from casepath.workflow import load as workflow_load
from casepath.workflow import reuse

DENMARK = Path(__file__).resolve().parents[1] / "workflows" / "denmark.yaml"

SMALL = """\
casepath_workflow: 1
id: small
title: A made-up pathway
calendar: {timezone: Europe/Copenhagen, holidays: DK}
rules_known_until: 2023-12-31
sources:
  law: {title: An imagined law, describes: the law of 2023, url: "https://example.org/law"}
passages:
  law.one: {doc: law, section: "§1", para: 2, check: "law:10"}
  law.spare: {doc: law, section: "§9"}
decisions:
  guess: {label: A guess, note: The law does not say.}
outcomes: {left: the person left, stays: a permit}
tracks:
  case:
    label: The case
    main: true
    initial: open
    on_enter_tagged:
      leaving: [{action: warn, code: tag_leaving, text: "left on {date}"}]
      ended: [{action: warn, code: tag_ended, text: ended}]
    state_sets:
      waiting: [open, "tag:pending"]
      anywhere_open: ["set:waiting", granted]
    states:
      open: {label: Open}
      heard: {label: Heard, tags: [pending]}
      granted: {label: Granted}
      left:
        label: Left
        final: true
        outcome: left
        tags: [ended, leaving]
        on_enter: [{action: warn, code: own, text: own first}]
      stays: {label: Stays, final: true, outcome: stays}
events:
  heard: {label: Heard, track: case}
  granted: {label: Granted, track: case}
  left: {label: Left, track: case}
  settled: {label: Settled, track: case}
transitions:
  - {id: heard, event: heard, from: open, to: heard, sources: [{passage: law.one}]}
  - {id: granted, event: granted, from: "set:waiting", to: granted, sources: [{passage: law.one}]}
  - {id: left, event: left, from: "set:anywhere_open", to: left, sources: [{passage: law.one}, {decision: guess}]}
  - id: settled
    event: settled
    from: granted
    to: stays
    when: [{guard: in_state, track: case, sets: [anywhere_open]}]
    sources: [{doc: law, section: "§1", para: 2, check: "law:10"}]
"""


def write(tmp_path: Path, text: str = SMALL, name: str = "small.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(path: Path, *events: tuple[str, str]) -> Any:
    workflow = workflow_load.load(path)
    scenario = casepath.scenario_from_dict(
        {
            "casepath": 1,
            "title": "A made-up case",
            "workflow": str(path),
            "person": {"alias": "P", "age": 30},
            "events": [{"date": day, "event": event} for day, event in events],
        },
        workflow,
    )
    return casepath.simulate(scenario, workflow)


def line_of(text: str, needle: str) -> int:
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


def changed(old: str, new: str) -> str:
    assert SMALL.count(old) == 1, old
    return SMALL.replace(old, new)


# ---------------------------------------------------------------- passages
def test_a_passage_is_cited_exactly_as_if_written_out(tmp_path):
    spec = workflow_load.load(write(tmp_path)).spec
    by_passage, written = spec.transitions[0].sources[0], spec.transitions[3].sources[0]
    assert by_passage == written
    assert (by_passage.doc, by_passage.section, by_passage.para, by_passage.check) == ("law", "§1", 2, "law:10")


def test_a_report_shows_a_passage_like_the_written_citation(tmp_path):
    report = run(write(tmp_path), ("2023-03-01", "heard"), ("2023-03-02", "granted"), ("2023-03-03", "settled"))
    heard, settled = report.events[0], report.events[2]
    assert heard.sources == settled.sources
    assert heard.sources  # not both empty


def test_an_unknown_passage_is_refused(tmp_path):
    text = changed(
        "sources: [{passage: law.one}]}\n  - {id: granted", "sources: [{passage: law.onw}]}\n  - {id: granted"
    )
    problem(
        write(tmp_path, text), "transitions[1].sources[1].passage", "unknown passage 'law.onw'",
        "did you mean 'law.one'", line=line_of(text, "law.onw"),
    )  # fmt: skip


def test_a_passage_citation_with_more_than_the_id_is_refused(tmp_path):
    text = changed("[{passage: law.one}, {decision", "[{passage: law.one, para: 3}, {decision")
    problem(write(tmp_path, text), "transitions[3].sources[1]", "{passage: ID} alone", "para")


def test_a_passage_that_names_another_passage_is_refused(tmp_path):
    text = changed('  law.spare: {doc: law, section: "§9"}', "  law.spare: {passage: law.one}")
    problem(write(tmp_path, text), "passages.law.spare", "cannot refer to another passage")


def test_a_passage_with_a_wrong_shape_is_refused(tmp_path):
    text = changed('  law.spare: {doc: law, section: "§9"}', '  law.spare: {doc: law, section: "§9", page: 4}')
    problem(write(tmp_path, text), "passages.law.spare.page", "unknown field 'page'")


def test_a_passage_id_with_capitals_is_refused(tmp_path):
    text = changed("  law.spare:", "  Law.Spare:")
    problem(write(tmp_path, text), "passages.Law.Spare", "not a valid passage id")


def test_a_passage_of_an_unknown_document_is_named_at_the_passage(tmp_path):
    text = changed("  law.spare: {doc: law,", "  law.spare: {doc: lew,")
    problem(
        write(tmp_path, text), "passages.law.spare", "unknown source document 'lew'", line=line_of(text, "doc: lew")
    )


def test_an_unused_passage_is_allowed_and_listed(tmp_path):
    """A table may hold a passage no rule cites yet; `unused_passages` names it for a tidy file."""
    workflow_load.load(write(tmp_path))
    assert reuse.unused_passages(yamlfile.load(write(tmp_path)).data) == ["law.spare"]


def test_denmark_cites_every_passage_it_lists():
    assert reuse.unused_passages(yamlfile.load(DENMARK).data) == []


def test_denmark_writes_no_document_citation_out():
    """Every document citation of denmark.yaml is a passage: a section is written in one place."""
    text = DENMARK.read_text(encoding="utf-8")
    body = text[text.index("\ndecisions:\n") :]
    assert "{doc:" not in body


# ---------------------------------------------------------------- state sets
def test_a_state_set_in_from_stands_for_its_states_tags_and_sets(tmp_path):
    compiled = workflow_load.load(write(tmp_path))
    by_id = {t.event: t for tracks in compiled.by_event.values() for t in tracks["case"]}
    assert by_id["granted"].sources == {"open", "heard"}  # open, and heard by its tag pending
    assert by_id["left"].sources == {"open", "heard", "granted"}  # set:waiting, then granted


def test_a_state_set_in_an_in_state_guard(tmp_path):
    """sets: [anywhere_open] = set:waiting (open, tag:pending -> heard) and granted."""
    path = write(tmp_path)
    report = run(path, ("2023-03-01", "granted"), ("2023-03-02", "settled"))
    assert report.outcome == "stays"
    (guard,) = workflow_load.load(path).by_event["settled"]["case"][0].when
    assert guard.gate == ("case", frozenset({"open", "heard", "granted"}), True)
    written = changed("sets: [anywhere_open]", "states: [open, granted], tags: [pending]")
    (same,) = workflow_load.load(write(tmp_path, written, "written.yaml")).by_event["settled"]["case"][0].when
    assert describe(guard, "en") == describe(same, "en")  # described as if written out


def test_denmark_describes_a_guard_with_a_set_as_the_states_written_out():
    compiled = workflow_load.load(DENMARK)
    described = [
        describe(g, "en") for rule in compiled.entitlements for guards, _ in rule.bases for g in guards
        if "with_permission" in describe(g, "en")
    ]  # fmt: skip
    assert "the pathway track is in with_permission, recovery, permit" in described


@pytest.mark.parametrize(
    ("old", "new", "place", "words"),
    [
        (
            'from: "set:waiting"',
            'from: "set:wating"',
            "transitions[2].from[1]",
            ["unknown state set 'wating'", "did you mean 'waiting'"],
        ),
        ("sets: [anywhere_open]", "sets: [anywhere]", "transitions[4].when[1]", ["unknown set 'anywhere'"]),
        (
            'waiting: [open, "tag:pending"]',
            'waiting: [opened, "tag:pending"]',
            "tracks.case.state_sets.waiting[1]",
            ["'opened' is not a state of the case track", "did you mean 'open'"],
        ),
        (
            'waiting: [open, "tag:pending"]',
            'waiting: [open, "tag:pendng"]',
            "tracks.case.state_sets.waiting[2]",
            ["carries the tag 'pendng'"],
        ),
        (
            'waiting: [open, "tag:pending"]',
            'waiting: [open, "set:anywhere_open"]',
            "tracks.case.state_sets.waiting",
            ["includes itself (waiting -> anywhere_open -> waiting)"],
        ),
        (
            'waiting: [open, "tag:pending"]',
            'waiting: [open, "set:waiting"]',
            "tracks.case.state_sets.waiting",
            ["includes itself (waiting -> waiting)"],
        ),
        ('waiting: [open, "tag:pending"]', "waiting: []", "tracks.case.state_sets.waiting", ["at least one state"]),
        ('waiting: [open, "tag:pending"]', "Waiting: [open]", "tracks.case.state_sets.Waiting", ["not a valid name"]),
        (
            'waiting: [open, "tag:pending"]',
            "waiting: [open, any]",
            "tracks.case.state_sets.waiting[2]",
            ["'any' is not a state"],
        ),
    ],
    ids=[
        "unknown-in-from",
        "unknown-in-guard",
        "unknown-state",
        "unknown-tag",
        "cycle",
        "self",
        "empty",
        "name",
        "any",
    ],
)
def test_state_set_problems(tmp_path, old, new, place, words):
    text = changed(old, new)
    if "Waiting" in new:
        text = text.replace('"set:waiting"', '"set:Waiting"')
    problem(write(tmp_path, text), place, *words)


# ---------------------------------------------------------------- actions on entering tagged states
def test_tag_actions_run_after_the_states_own_in_the_order_of_on_enter_tagged(tmp_path):
    """left carries [ended, leaving]; on_enter_tagged lists leaving first: own, leaving, ended."""
    report = run(write(tmp_path), ("2023-03-01", "left"))
    assert report.warnings[:3] == ["own first", "left on 2023-03-01", "ended"]


def test_tag_actions_are_listed_among_what_entering_a_state_does(tmp_path):
    spec = workflow_load.load(write(tmp_path)).spec
    codes = [a.args.get("code") for a in reuse.entry_actions(spec.tracks["case"], "left")]
    assert codes == ["own", "tag_leaving", "tag_ended"]
    assert reuse.entry_actions(spec.tracks["case"], "open") == []


def test_an_unknown_tag_in_on_enter_tagged_is_refused(tmp_path):
    text = changed("      ended: [{action", "      endd: [{action")
    problem(write(tmp_path, text), "tracks.case.on_enter_tagged.endd", "carries the tag 'endd'",
            "did you mean 'ended'", line=line_of(text, "endd:"))  # fmt: skip


def test_a_warning_in_a_tag_block_needs_a_code(tmp_path):
    text = changed("ended: [{action: warn, code: tag_ended, text: ended}]", "ended: [{action: warn, text: ended}]")
    problem(write(tmp_path, text), "tracks.case.on_enter_tagged.ended[1]", "needs a `code`")


def test_a_wrong_action_in_on_enter_tagged_is_refused_at_its_place(tmp_path):
    text = changed(
        "ended: [{action: warn, code: tag_ended, text: ended}]", "ended: [{action: wrn, code: tag_ended, text: ended}]"
    )
    problem(write(tmp_path, text), "tracks.case.on_enter_tagged.ended[1].action", "unknown action 'wrn'")


def test_a_warning_in_a_tag_block_is_translated_by_its_code(tmp_path):
    write(tmp_path)
    (tmp_path / "small.da.yaml").write_text(
        "casepath_translation: 1\nlang: da\ntexts:\n"
        '  tracks.case.on_enter_tagged.leaving.tag_leaving.text: "rejste {date}"\n',
        encoding="utf-8",
    )
    compiled = workflow_load.load(tmp_path / "small.yaml", lang="da")
    (action,) = compiled.spec.tracks["case"].on_enter_tagged["leaving"]
    assert action.args["text"] == "rejste {date}"


def test_denmark_closes_the_reflection_deadlines_on_entering_each_ending_state():
    compiled = workflow_load.load(DENMARK)
    for state in ("permit", "returned", "departed", "disappeared", "removed"):
        closed = [a.args.id for a in compiled.on_enter[("pathway", state)] if a.entry.name == "close_deadline"]
        assert closed == ["reflection_end", "extension_request_by", "reflection_max_end"], state


def test_no_yaml_anchor_stands_in_for_a_name(tmp_path):
    text = changed('  law.spare: {doc: law, section: "§9"}', '  law.spare: &p {doc: law, section: "§9"}')
    text += "  - {id: extra, event: heard, from: granted, sources: [*p]}\n"
    with pytest.raises(casepath.InputProblem, match="anchors and aliases"):
        workflow_load.load(write(tmp_path, text))


def test_the_small_workflow_is_valid_yaml():
    assert yaml.safe_load(SMALL)["passages"]["law.one"]["check"] == "law:10"
