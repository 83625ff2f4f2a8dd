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

from casepath import api, cli, terminal, walk
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


def screens_of(term: FakeTerminal) -> list[str]:
    return [s for s in term.said if s.startswith(("Step", "End", "After step"))]


def test_walk_forward_back_and_quit() -> None:
    scenario, wf = load(MAXIMUM_2012)
    term = FakeTerminal("", "b", "right", "left", "q")
    assert walk.walk_scenario(scenario, wf, term.ask, term.say) == 0
    first, second, again, second_again, third = screens_of(term)
    assert first.startswith("Step 1 of 3 · 2012-04-02\n")
    assert "  2012-04-02  Formally identified as a victim (by: the Danish Immigration Service (DIS))" in first
    assert "Stay and pathway: Before first contact → Reflection period running" in first
    # identified 2012-04-02: + 30 days = 2012-05-02; the maximum in 2012 was 100 days: 2012-07-11
    assert "  2012-05-02              Last day of the reflection period  [upcoming]" in first
    assert "  2012-07-11              Latest end an extension could reach  [upcoming]" in first
    assert "Protection from expulsion for an unlawful stay related to the trafficking" in " ".join(first.split())
    assert second.startswith("Step 2 of 3 · 2012-04-25\n")
    assert "Extension of the reflection period requested (reason: cooperation on a\n      prepared return)" in second
    assert "  2012-05-02              Last day to request an extension  [met]" in second  # asked on 2012-04-25
    assert again == first and second_again == second and third == first
    # what cannot happen now is shown only on `?`
    assert not any("Cannot happen now" in s for s in screens_of(term))


def test_question_mark_shows_what_cannot_happen_now() -> None:
    scenario, wf = load(MAXIMUM_2012)
    term = FakeTerminal("?", "q")
    walk.walk_scenario(scenario, wf, term.ask, term.say)
    why = screens_of(term)[1]
    assert why.startswith("After step 1: what could come next, and what cannot happen now")
    assert "Cannot happen now" in why and "- Extension of the reflection period requested" in why
    assert "Extension granted: refused now (extension_not_requested)" in why


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
    assert [s.splitlines()[0][:13] for s in term.said] == [
        "Step 1 of 3 ·",
        "Step 2 of 3 ·",
        "Step 3 of 3 ·",
        "End of the sc",
    ]
    refused = term.said[2]
    assert "REFUSED (exceeds_maximum)" in refused and "The case stays as it was before this event." in refused
    end = term.said[-1]
    assert "Stay and pathway                         Extension requested, awaiting a decision" in end
    assert "Stopped at event 3: REFUSED (exceeds_maximum)" in end


def test_the_automatic_step_is_a_step_of_its_own() -> None:
    scenario, wf = load(PARTIAL)
    term = FakeTerminal()
    walk.walk_scenario(scenario, wf, term.ask, term.say, wait=False)
    automatic = term.said[5]
    # the extension was granted until 2022-10-14: the clock passes it at the start of 2022-10-15
    assert automatic.startswith("Step 6 of 7 · 2022-10-15 · the clock runs on")
    assert "2022-10-15  [automatic] The departure deadline passed" in automatic
    assert "Stay and pathway: Reflection period extended → Reflection period over; must leave" in automatic
    assert "2022-10-14              Departure deadline  [MISSED]" in automatic  # still in Denmark, no permission


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["en", "da"])
def test_every_screen_fits_a_100_by_40_terminal(example: Path, lang: str) -> None:
    scenario, wf = load(example)
    wf = api.in_language(wf, lang)
    sim = Simulator(wf)
    start = sim.begin(scenario)
    steps = walk.plan(sim, start)
    screens = [walk.screen(wf, sim, start, steps, i) for i in range(1, len(steps) + 2)]
    screens += [walk.why_screen(wf, start, steps, i) for i in range(1, len(steps) + 1)]
    for text in screens:
        lines = text.splitlines()
        assert len(lines) <= 38, text  # 40 rows: the prompt and one spare line below
        assert max(len(line) for line in lines) <= 100, text


def test_the_end_screen_leaves_out_what_ended_that_day_and_shows_warnings() -> None:
    scenario, wf = load(EXAMPLES / "dis-undocumented-prepared-return.yaml")
    term = FakeTerminal()
    walk.walk_scenario(scenario, wf, term.ask, term.say, wait=False)
    end = term.said[-1]
    in_force = end.split("Entitlements in force\n")[1].split("\n\n")[0]
    # returned on 2022-07-01: safe accommodation ran until that day and is over; reintegration support runs
    assert in_force == "  Reintegration support after return"
    # returned 2022-07-01 + 6 months = 2023-01-01, New Year's Day: the closed-office warning
    assert "2023-01-01 is a public holiday (New Year's Day)" in end
    identified = term.said[1]
    assert "Ended at this step" not in identified
    # 2022-03-10 + 30 days = 2022-04-09, a Saturday
    assert "! 2022-04-09 is a Saturday: offices are closed." in identified
    returned = term.said[5]
    assert "Ended at this step: Safe accommodation" in returned


def test_a_warning_of_the_simulator_is_on_the_screen() -> None:
    scenario = api.scenario_from_dict(
        {
            "casepath": 1,
            "title": "Held past the limit",
            "person": {"alias": "D", "age": 30, "residence": "undocumented"},
            "events": [
                {"date": "2022-05-02T10:00", "event": "detained"},
                {"date": "2022-05-09", "event": "released"},
            ],
        }
    )
    wf = api.load_workflow("denmark")
    term = FakeTerminal()
    walk.walk_scenario(scenario, wf, term.ask, term.say, wait=False)
    # detained 2022-05-02 10:00 + 72 hours = 2022-05-05 10:00: the clock reaches the limit (step 2)
    automatic = term.said[1]
    assert automatic.startswith("Step 2 of 3 · 2022-05-05 10:00 +02:00 · the clock runs on")
    assert "Warnings\n  ! The detention limit was reached on 2022-05-05T10:00:00+02:00" in automatic
    assert "The detention limit was reached on 2022-05-05" in term.said[-1]  # the end lists every warning


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
        "NG",  # citizenship (unaccompanied is not asked: 32 on the first event)
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


@pytest.mark.parametrize(
    ("given", "first", "asked"),
    [
        ({"age": 26}, None, False),  # an adult is not asked whether unaccompanied
        ({"age": 16}, None, True),
        ({}, None, True),  # age not known: may be a child
        ({"born": date(1996, 5, 14)}, date(2022, 3, 1), False),  # 25 on the first event
        ({"born": date(2006, 5, 14)}, date(2022, 3, 1), True),  # 15 on the first event
        ({"born": date(2004, 3, 1)}, date(2022, 3, 1), False),  # 18 that very day
    ],
)
def test_the_free_walk_asks_only_what_applies_to_the_person(given: dict, first: date | None, asked: bool) -> None:
    wf = api.load_workflow("denmark")
    field = wf.spec.person.fields["unaccompanied"]
    decided = walk.applies(field, given, first)
    assert decided is asked
    if first is not None:
        assert walk.applies(field, given) is None  # with a date of birth: decided on the first event's date


def test_the_free_walk_offers_events_in_words_and_only_what_the_rules_allow() -> None:
    wf = api.load_workflow("denmark")
    term = FakeTerminal(
        "NG",
        "1",
        "identified",
        "2022-03-10",
        "2",  # dis
        "q",
        "y",
    )
    given = {"alias": "T", "age": 26, "residence": "undocumented"}
    assert walk.walk_free(wf, "denmark", term.ask, term.say, no_write, given) == 0
    assert not any("Unaccompanied" in p for p in term.prompts)
    text = term.text
    offered = text[text.index("Events so far: 1") :]  # the events offered after the identification
    assert "Formally identified as a victim" not in offered
    assert "Extension of the reflection period requested" in offered
    assert "Returned home under the prepared return" not in offered  # none was accepted
    assert "extension_requested" not in offered and "(returned)" not in offered  # words, not ids
    assert any("the Danish Immigration Service (DIS)" in line for line in term.said)  # choices in words


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
        dimensions=(40, 100),
    )


def test_terminal_walk_takes_single_keys_and_clears_the_screen() -> None:
    child = spawn(str(MAXIMUM_2012.relative_to(REPO)))
    try:
        child.expect_exact(terminal.CLEAR)
        child.expect_exact("Step 1 of 3 · 2012-04-02")
        child.expect_exact("Enter/space/→: next")
        child.send("\x1b[C")  # the right arrow, no Enter
        child.expect_exact(terminal.CLEAR)
        child.expect_exact("Step 2 of 3 · 2012-04-25")
        # 2012-04-02 + 30 days = 2012-05-02; asked for on 2012-04-25, so met
        child.expect_exact("2012-05-02              Last day to request an extension  [met]")
        child.expect_exact("q: quit >")
        child.send("?")
        child.expect_exact("After step 2: what could come next")
        child.expect_exact("Cannot happen now")
        child.expect_exact("q: quit >")
        child.send("b")
        child.expect_exact("Step 1 of 3 · 2012-04-02")
        child.expect_exact("q: quit >")
        child.send(" ")
        child.expect_exact("Step 2 of 3")
        child.expect_exact("q: quit >")
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def test_ctrl_c_ends_the_walk_with_130() -> None:
    child = spawn(str(MAXIMUM_2012.relative_to(REPO)))
    try:
        child.expect_exact("q: quit >")
        child.sendintr()
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 130


def test_the_key_reader_reads_arrows_and_puts_the_terminal_back() -> None:
    import os
    import pty
    import termios
    import threading

    leader, follower = pty.openpty()
    try:
        before = termios.tcgetattr(follower)
        read = terminal.key_reader(follower)
        got: list[str | None] = []
        for sent in (b"\x1b[D", b"\r", b"?"):
            # typed while the reader waits, as a person would (a timer, so a failure cannot hang)
            timer = threading.Timer(0.2, os.write, (leader, sent))
            timer.start()
            reader = threading.Thread(target=lambda: got.append(read()), daemon=True)
            reader.start()
            reader.join(5)
            timer.cancel()
            assert not reader.is_alive(), "the key reader hangs"
        assert got == ["left", "enter", "?"]
        assert termios.tcgetattr(follower) == before  # canonical mode and echo back as they were
    finally:
        os.close(leader)
        os.close(follower)


def test_terminal_free_walk_saves_a_case_that_simulates_the_same(tmp_path: Path) -> None:
    saved = tmp_path / "walked.yaml"
    child = spawn("--free", "--alias", "T", "--born", "1990-01-01", "--residence", "undocumented")
    try:
        for prompt, answer in [
            ("Citizenship", "NG"),
            ("Choose", "1"),  # exploitation: sexual (unaccompanied is not asked: 32 on the first event)
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
    assert "Step 3 of 3 · 2012-04-30" in done.stdout
    assert "Extension granted (last day of the extended period: 2012-07-31)" in done.stdout
    assert "REFUSED (exceeds_maximum)" in done.stdout
    assert "q: quit >" not in done.stdout and terminal.CLEAR not in done.stdout


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
    assert "Skridt 1 af 3 · 2012-04-02" in text
    assert "Formelt identificeret som offer (af: Udlændingestyrelsen)" in text
    assert "Spor, der ændrede sig" in text and "Gældende rettigheder" in text
    # 2012-04-02 + 30 days = 2012-05-02: the last day of the reflection period.
    assert "2012-05-02              Refleksionsperiodens sidste dag  [løber]" in text
    assert "Scenariets slutning\n" in text
    for english in ("Step ", "Where the case stands", "Deadlines running", "What happened", "(none)", "Outcome:"):
        assert english not in text, english


def test_a_free_walk_in_danish_asks_and_answers_in_danish(tmp_path: Path) -> None:
    wf = api.load_workflow("denmark", lang="da")
    term = FakeTerminal(
        "NG",  # citizenship
        "1",  # exploitation: sexual
        "contact",
        "2022-03-01",
        "x",  # unaccompanied (15 on 2022-03-01: asked with the first date): not an answer, asked again
        "n",
        "ngo",
        "identified",
        "2022-02-27",  # before the previous event: asked again
        "2022-03-10",
        "2",  # dis
        "q",
        "j",  # quit without saving: yes, in Danish
    )
    given = {"alias": "T", "born": date(2006, 6, 1), "residence": "undocumented"}
    assert walk.walk_free(wf, "denmark", term.ask, term.say, no_write, given) == 0
    assert "Statsborgerskab (landekode på to bogstaver, Enter: udelad) > " in term.prompts
    assert "Uledsaget (kun børn) (j/n, Enter: udelad) > " in term.prompts
    assert "  'x': svar j eller n" in term.said
    assert "  2022-02-27 er før den forrige hændelse (2022-03-01); hændelserne skal stå i datoorden" in term.said
    # 2022-03-10 + 30 days = 2022-04-09.
    assert "2022-04-09   Refleksionsperiodens sidste dag" in term.text
    assert "Hændelser indtil nu: 2" in term.text
    assert term.prompts[-1] == "2 hændelse(r) ikke gemt. Afslut alligevel? [j/N] > "


def test_terminal_walk_in_danish() -> None:
    child = spawn(str(MAXIMUM_2012.relative_to(REPO)), "--lang", "da")
    try:
        child.expect_exact("Skridt 1 af 3 · 2012-04-02")
        child.expect_exact("q: afslut >")
        child.send("\r")
        child.expect_exact("Skridt 2 af 3 · 2012-04-25")
        child.expect_exact("q: afslut >")
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
