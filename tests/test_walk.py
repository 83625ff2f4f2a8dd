"""`casepath walk`: the core with fake input and output, and the real command through a pseudo-terminal.

Expected dates and labels are worked out by hand from the example files and
workflows/denmark.yaml (comments give the arithmetic). The terminal tests use pexpect with
timeouts of a few seconds, and every answer list ends in end-of-input, so nothing can hang.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pexpect
import pytest

from casepath import api, cli, walk
from casepath.problems import InputProblem
from casepath.scenario import load
from casepath.simulator import Simulator

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
MAXIMUM_2012 = EXAMPLES / "extension-beyond-100-day-maximum-in-2012.yaml"
PARTIAL = EXAMPLES / "partial-extension-then-disappeared.yaml"
TIMEOUT = 10  # seconds for one screen; a cold start of Python is the slowest part


class FakeTerminal:
    """Answers given in advance (then end of input); everything said is kept."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []
        self.said: list[str] = []

    def ask(self, prompt: str) -> str | None:
        self.prompts.append(prompt)
        return self.answers.pop(0) if self.answers else None

    def say(self, text: str) -> None:
        self.said.append(text)

    @property
    def text(self) -> str:
        return "\n".join(self.said)


def no_write(path: Path, text: str, force: bool) -> None:
    raise AssertionError("nothing should be written")


# ---------------------------------------------------------------------- the steps of a scenario


def test_plan_shows_the_automatic_step_on_its_own_and_ends_where_simulate_ends() -> None:
    scenario, wf = load(PARTIAL)
    sim = Simulator(wf)
    steps = walk.plan(sim, sim.begin(scenario))
    # 6 events and, between the 5th (2022-09-12) and the 6th (2022-10-20), the departure
    # deadline (`until` 2022-10-14) passing at the start of 2022-10-15
    assert [s.automatic for s in steps] == [False, False, False, False, False, True, False]
    automatic = steps[5]
    assert [(e.date, e.event) for e in automatic.entries] == [("2022-10-15", "departure_deadline_passed")]
    assert automatic.after.case.states["pathway"] == "departure_due"
    assert [e.event for e in steps[6].entries] == ["disappeared"]
    final = sim.report(steps[-1].after)
    assert final.model_dump() == api.simulate(scenario, wf).model_dump()


def test_plan_keeps_a_refused_event_as_its_last_step() -> None:
    scenario, wf = load(MAXIMUM_2012)
    sim = Simulator(wf)
    steps = walk.plan(sim, sim.begin(scenario))
    assert len(steps) == 3
    assert steps[2].error is not None and steps[2].error.code == "exceeds_maximum"
    assert steps[2].entries == []


def test_walk_forward_back_and_quit() -> None:
    scenario, wf = load(MAXIMUM_2012)
    term = FakeTerminal("", "b", "q")
    assert walk.walk_scenario(scenario, wf, term.ask, term.say) == 0
    screens = [s for s in term.said if s.startswith(("Step", "End"))]
    assert len(screens) == 3
    first, second, again = screens
    assert first.startswith("Step 1 of 3: 2012-04-02  Formally identified as a victim (by: dis)")
    assert "Stay and pathway                         Before first contact" in first
    assert "(before the first event)" in first
    assert second.startswith(
        "Step 2 of 3: 2012-04-25  Extension of the reflection period requested (reason: cooperation_on_return)"
    )
    assert "Stay and pathway                         Reflection period running" in second
    # identified 2012-04-02: + 30 days = 2012-05-02; the maximum in 2012 was 100 days: 2012-07-11
    assert "2012-05-02   Last day of the reflection period" in second
    assert "2012-05-02   Departure deadline" in second
    assert "2012-07-11   Latest end an extension could reach" in second
    assert "Protection from expulsion for an unlawful stay related to the trafficking (since 2012-04-02)" in second
    assert "- Extension of the reflection period requested" in second
    assert "Extension granted: refused now (extension_not_requested)" in second
    assert again == first


def test_end_of_input_quits_at_once() -> None:
    scenario, wf = load(MAXIMUM_2012)
    term = FakeTerminal()
    assert walk.walk_scenario(scenario, wf, term.ask, term.say) == 0
    assert len(term.prompts) == 1


def test_without_waiting_every_screen_is_printed_and_the_refusal_shown() -> None:
    scenario, wf = load(MAXIMUM_2012)
    term = FakeTerminal()
    assert walk.walk_scenario(scenario, wf, term.ask, term.say, wait=False) == 0
    assert term.prompts == []
    assert [s.splitlines()[0][:12] for s in term.said] == [
        "Step 1 of 3:",
        "Step 2 of 3:",
        "Step 3 of 3:",
        "End of the s",
    ]
    end = term.said[-1]
    assert "REFUSED (exceeds_maximum)" in end
    assert "Stay and pathway                         Extension requested, awaiting a decision" in end
    assert "Stopped at event 3: exceeds_maximum" in end


def test_the_automatic_step_is_announced_before_it_happens() -> None:
    scenario, wf = load(PARTIAL)
    term = FakeTerminal()
    walk.walk_scenario(scenario, wf, term.ask, term.say, wait=False)
    automatic = term.said[5]
    assert automatic.startswith("Step 6 of 7 (automatic)")
    assert "2022-10-15  [automatic] The departure deadline passed" in automatic
    # still before it: the extension was granted until 2022-10-14, the state is "extended"
    assert "Stay and pathway                         Reflection period extended" in automatic
    after = term.said[6]
    assert "Stay and pathway                         Reflection period over; must leave" in after
    assert "2022-10-14   Departure deadline  [MISSED]" in after  # still in Denmark, no permission


def test_options_explain_why_an_event_cannot_happen() -> None:
    scenario, wf = load(MAXIMUM_2012)
    sim = Simulator(wf)
    steps = walk.plan(sim, sim.begin(scenario))
    found = walk.options(wf, steps[0].after, steps[0].after.previous.moment)
    possible = dict(found.possible)
    why = {name: (track, reason) for name, track, reason in found.impossible}
    assert "extension_requested" in possible and possible["extension_requested"] is None
    assert why["extension_granted"][0] is None and "extension_not_requested" in why["extension_granted"][1]
    assert why["removed"][1].startswith("refused now (event_not_allowed)")
    assert why["testifies"] == (
        "criminal",
        "needs 'Investigation or proceedings open' or 'The victim assists the prosecution as a witness'",
    )
    # before any event: asylum can only be refused to an asylum seeker (a fact decided now)
    start = sim.begin(scenario)
    early = {name: reason for name, _, reason in walk.options(wf, start, scenario.events[0].moment).impossible}
    assert early["asylum_refused"] == "needs residence is asylum_seeker"


# ---------------------------------------------------------------------- a free walk, core


PERSON = {"alias": "T", "born": date(1990, 1, 1), "residence": "undocumented", "exploitation": ["sexual"]}


def test_a_refused_event_is_not_kept_and_the_saved_file_reruns_to_the_same_report(tmp_path: Path) -> None:
    wf = api.load_workflow("denmark")
    free = walk.FreeWalk(wf, "denmark", dict(PERSON))
    assert free.try_event({"date": date(2022, 3, 1), "event": "contact", "by": "ngo"})[1] is None
    _, error = free.try_event({"date": date(2022, 3, 10), "event": "identified", "by": "cmm"})
    assert error is not None and error.code == "wrong_authority"
    assert len(free.events) == 1 and free.run.case.states["pathway"] == "contacted"
    for raw in (
        {"date": date(2022, 3, 10), "event": "identified", "by": "dis"},
        {"date": date(2022, 4, 20), "event": "disappeared"},  # after the departure deadline 2022-04-09
    ):
        assert free.try_event(raw)[1] is None
    shown = free.report()
    assert [e.event for e in shown.events] == ["contact", "identified", "departure_deadline_passed", "disappeared"]
    path = tmp_path / "case.yaml"
    cli._write(path, free.scenario_text("Walked case"), False)
    assert cli.main(["validate", str(path)]) == 0
    assert cli.main(["test", str(path)]) == 0
    again = api.simulate_file(path)
    assert again.model_dump(exclude={"file", "title"}) == shown.model_dump(exclude={"file", "title"})
    assert again.last_deadline("departure_deadline").due == "2022-04-09"
    assert free.undo() and free.undo() and free.undo() and not free.undo()


def test_free_walk_through_fake_input(tmp_path: Path) -> None:
    wf = api.load_workflow("denmark")
    target = tmp_path / "case.yaml"
    target.write_text("keep me\n")
    term = FakeTerminal(
        "NG",  # citizenship
        "",  # unaccompanied: left out
        "1",  # exploitation: sexual
        "contact",
        "2022-03-01",
        "ngo",
        "identified",
        "2022-02-27",  # before the previous event: asked again
        "2022-03-10",
        "2",  # dis
        f"s {target}",
        "n",  # do not replace
        f"s {tmp_path / 'new.yaml'}",
        "",  # default title
        "q",
    )
    given = {"alias": "T", "born": date(1990, 1, 1), "residence": "undocumented"}
    assert walk.walk_free(wf, "denmark", term.ask, term.say, cli._write, given) == 0
    assert "2022-02-27 is before the previous event (2022-03-01)" in term.text
    assert "2022-04-09   Last day of the reflection period" in term.text
    assert target.read_text() == "keep me\n"
    assert "Saved 2 event(s)" in term.text
    report = api.simulate_file(tmp_path / "new.yaml")
    assert report.last_deadline("reflection_max_end").due == "2022-07-08"  # 2022-03-10 + 120 days


def test_end_of_input_in_a_free_walk_quits_without_writing() -> None:
    wf = api.load_workflow("denmark")
    term = FakeTerminal("contact", "2022-03-01")
    assert walk.walk_free(wf, "denmark", term.ask, term.say, no_write, dict(PERSON)) == 0


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ({"type": "choice", "values": ["cmm", "dis"]}, "2", "dis"),
        ({"type": "choice", "values": ["cmm", "dis"]}, "cmm", "cmm"),
        ({"type": "choices", "values": ["a", "b", "c"]}, "1, c", ["a", "c"]),
        ({"type": "bool"}, "y", True),
        ({"type": "integer", "minimum": 1}, "60", 60),
        ({"type": "date"}, "2022-10-14", date(2022, 10, 14)),
        ({"type": "country"}, "ng", "NG"),
    ],
)
def test_parse_value(kind: dict, text: str, expected: object) -> None:
    from casepath.workflow.spec import FieldSpec

    assert walk.parse_value(FieldSpec(**kind), text) == expected


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ({"type": "choice", "values": ["cmm", "dis"]}, "3"),
        ({"type": "bool"}, "maybe"),
        ({"type": "integer", "minimum": 1}, "0"),
        ({"type": "date"}, "2022-02-30"),
    ],
)
def test_parse_value_refuses(kind: dict, text: str) -> None:
    from casepath.workflow.spec import FieldSpec

    with pytest.raises(ValueError):
        walk.parse_value(FieldSpec(**kind), text)


def test_person_options_are_checked() -> None:
    wf = api.load_workflow("denmark")
    assert walk.person_options(wf, ["residence=undocumented", "exploitation=labour"]) == {
        "residence": "undocumented",
        "exploitation": ["labour"],
    }
    with pytest.raises(InputProblem, match="residence"):
        walk.person_options(wf, ["residence=tourist"])
    with pytest.raises(InputProblem, match="FIELD=VALUE"):
        walk.person_options(wf, ["name=Jane"])


# ---------------------------------------------------------------------- the real command in a terminal


def spawn(*args: str) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "casepath", "walk", *args],
        cwd=str(REPO),
        timeout=TIMEOUT,
        encoding="utf-8",
        dimensions=(60, 140),
    )


def test_terminal_walk_forward_back_quit() -> None:
    child = spawn(str(MAXIMUM_2012.relative_to(REPO)))
    try:
        child.expect_exact("Step 1 of 3: 2012-04-02  Formally identified as a victim (by: dis)")
        child.expect_exact("Before first contact")
        child.expect_exact("Enter: next step")
        child.sendline("")
        child.expect_exact("Step 2 of 3: 2012-04-25  Extension of the reflection period requested")
        child.expect_exact("Reflection period running")
        child.expect_exact("2012-05-02   Last day of the reflection period")
        child.expect_exact("2012-07-11   Latest end an extension could reach")
        child.expect_exact("Enter: next step")
        child.sendline("b")
        child.expect_exact("Step 1 of 3: 2012-04-02  Formally identified as a victim (by: dis)")
        child.expect_exact("Enter: next step")
        child.sendline("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def test_terminal_free_walk_saves_a_case_that_simulates_the_same(tmp_path: Path) -> None:
    saved = tmp_path / "walked.yaml"
    child = spawn("--free", "--alias", "T", "--born", "1990-01-01", "--residence", "undocumented")
    try:
        for prompt, answer in [
            ("Citizenship", "NG"),
            ("Unaccompanied", "n"),
            ("Choose", "1"),  # exploitation: sexual
            ("Next event", "contact"),
            ("Date", "2022-03-01"),
            ("Choose", "1"),  # by: ngo
            ("Next event", "identified"),
            ("Date", "2022-03-10"),
            ("Choose", "cmm"),  # the wrong authority for someone undocumented
        ]:
            child.expect_exact(prompt)
            child.sendline(answer)
        child.expect_exact("REFUSED (wrong_authority)")
        for prompt, answer in [("Next event", "identified"), ("Date", "2022-03-10"), ("Choose", "dis")]:
            child.expect_exact(prompt)
            child.sendline(answer)
        child.expect_exact("Reflection period running")
        # 2022-03-10 + 30 days = 2022-04-09 (a Saturday); + 120 days = 2022-07-08
        child.expect_exact("2022-04-09   Last day of the reflection period")
        child.expect_exact("2022-04-09 is a Saturday")
        child.expect_exact("2022-07-08   Latest end an extension could reach")
        child.expect_exact("Next event")
        child.sendline(f"s {saved}")
        child.expect_exact("Title")
        child.sendline("Walked in class")
        child.expect_exact("Saved 2 event(s)")
        child.expect_exact("Next event")
        child.sendline(f"s {saved}")
        child.expect_exact("exists. Replace it? [y/N]")
        child.sendline("")
        child.expect_exact("not saved")
        child.expect_exact("Next event")
        child.sendline("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    done = subprocess.run(
        [sys.executable, "-m", "casepath", "simulate", "--format", "json", str(saved)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["title"] == "Walked in class"
    assert [(e["date"], e["event"]) for e in report["events"]] == [
        ("2022-03-01", "contact"),
        ("2022-03-10", "identified"),
    ]
    assert {d["id"]: d["due"] for d in report["deadlines"]} == {
        "reflection_end": "2022-04-09",
        "extension_request_by": "2022-04-09",
        "reflection_max_end": "2022-07-08",
        "departure_deadline": "2022-04-09",
    }
    assert report["state"] == "reflection"


def test_not_a_terminal_prints_every_step_and_never_waits() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "casepath", "walk", str(MAXIMUM_2012)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Step 3 of 3: 2012-04-30  Extension granted (until: 2012-07-31)" in done.stdout
    assert "REFUSED (exceeds_maximum)" in done.stdout
    assert "Enter: next step" not in done.stdout


def test_bad_input_is_one_line_and_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["walk"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert cli.main(["walk", "--free", "--person", "residence=tourist"]) == 2
    assert "residence" in capsys.readouterr().err


# ---------------------------------------------------------------------- in Danish (--lang da)


def test_a_scenario_walk_in_danish_shows_danish_screens() -> None:
    scenario, wf = load(MAXIMUM_2012)
    term = FakeTerminal()
    assert walk.walk_scenario(scenario, api.in_language(wf, "da"), term.ask, term.say, wait=False) == 0
    text = term.text
    assert "Skridt 1 af 3: 2012-04-02  Formelt identificeret som offer (by: dis)" in text
    assert "Hvor sagen står (før den første hændelse)" in text
    assert "Løbende frister" in text and "Gældende rettigheder" in text and "Kan komme som det næste" in text
    # 2012-04-02 + 30 days = 2012-05-02: the last day of the reflection period.
    assert "2012-05-02   Refleksionsperiodens sidste dag" in text
    assert "Scenariets slutning:" in text
    for english in ("Step ", "Where the case stands", "Deadlines running", "Could come next", "(none)", "Outcome:"):
        assert english not in text, english


def test_a_free_walk_in_danish_asks_and_answers_in_danish(tmp_path: Path) -> None:
    wf = api.load_workflow("denmark", lang="da")
    term = FakeTerminal(
        "NG",  # citizenship
        "x",  # unaccompanied: not an answer, asked again
        "n",
        "1",  # exploitation: sexual
        "contact",
        "2022-03-01",
        "ngo",
        "identified",
        "2022-02-27",  # before the previous event: asked again
        "2022-03-10",
        "2",  # dis
        "q",
        "j",  # quit without saving: yes, in Danish
    )
    given = {"alias": "T", "born": date(1990, 1, 1), "residence": "undocumented"}
    assert walk.walk_free(wf, "denmark", term.ask, term.say, no_write, given) == 0
    assert "Statsborgerskab (citizenship) (landekode på to bogstaver, Enter: udelad) > " in term.prompts
    assert "Uledsaget (kun børn) (unaccompanied) (j/n, Enter: udelad) > " in term.prompts
    assert "  'x': svar j eller n" in term.said
    assert "  2022-02-27 er før den forrige hændelse (2022-03-01); hændelserne skal stå i datoorden" in term.said
    # 2022-03-10 + 30 days = 2022-04-09.
    assert "2022-04-09   Refleksionsperiodens sidste dag" in term.text
    assert "Hændelser indtil nu: 2" in term.text
    assert term.prompts[-1] == "2 hændelse(r) ikke gemt. Afslut alligevel? [j/N] > "


def test_terminal_walk_in_danish() -> None:
    child = spawn(str(MAXIMUM_2012.relative_to(REPO)), "--lang", "da")
    try:
        child.expect_exact("Skridt 1 af 3: 2012-04-02  Formelt identificeret som offer (by: dis)")
        child.expect_exact("Enter: næste skridt")
        child.sendline("")
        child.expect_exact("Skridt 2 af 3: 2012-04-25")
        child.expect_exact("Enter: næste skridt")
        child.sendline("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
