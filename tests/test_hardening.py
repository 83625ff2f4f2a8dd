"""Hostile or clumsy input (issue 11): never a hang, never a destroyed file, never raw control
characters on a terminal or in a calendar, never an internal error; every case a one-line exit 2
(or, for a workflow that loops, an error in the report)."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from icalendar import Calendar
from test_inputs import GOOD, one_line, run_main

from casepath import cli, outfile
from casepath.render.timechart import stack_levels
from casepath.simulator import MAX_AUTOMATIC_STEPS

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / "workflows" / "denmark.yaml"
EXAMPLE = REPO / "examples" / "dis-undocumented-prepared-return.yaml"

# The valid scenario of tests/test_inputs.py (line numbers there refer to it).
# Identified 2022-03-10 by DIS: reflection_end = 2022-03-10 + 30 days = 2022-04-09 (set, upcoming).


def casepath(*args: str, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess[str]:
    """A real `python -m casepath` process (a hang shows as a timeout, not a stuck test run)."""
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    return subprocess.run(
        [sys.executable, *kwargs.pop("python_flags", []), "-m", "casepath", *args],
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        **kwargs,
    )


# ====================================================================== reading: only regular files


def test_a_fifo_as_scenario_is_refused_at_once(tmp_path):
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    done = casepath("simulate", str(fifo), timeout=30)
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert str(fifo) in line and "FIFO" in line


def test_a_fifo_as_workflow_option_is_refused_at_once(tmp_path):
    fifo = tmp_path / "flow.yaml"
    os.mkfifo(fifo)
    done = casepath("simulate", "--workflow", str(fifo), str(EXAMPLE), timeout=30)
    assert done.returncode == 2
    assert "FIFO" in one_line(done.stderr)


def test_a_fifo_named_in_a_scenario_is_refused_at_once(tmp_path):
    fifo = tmp_path / "flow.yaml"
    os.mkfifo(fifo)
    scenario = tmp_path / "case.yaml"
    scenario.write_text(GOOD.replace("person:", f"workflow: {fifo}\nperson:"), encoding="utf-8")
    done = casepath("validate", str(scenario), timeout=30)
    assert done.returncode == 2
    assert "FIFO" in one_line(done.stderr)


def test_a_device_is_refused(capsys):
    code, _, err = run_main(capsys, "validate", "/dev/zero")
    assert code == 2
    assert "/dev/zero" in one_line(err) and "device" in err


# ====================================================================== writing: never destroy


def _scenario(tmp_path: Path) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(GOOD, encoding="utf-8")
    return path


@pytest.mark.parametrize("force", [False, True])
def test_a_fifo_at_output_is_never_replaced(tmp_path, capsys, force):
    target = tmp_path / "out.txt"
    os.mkfifo(target)
    code, _, err = run_main(capsys, "simulate", str(_scenario(tmp_path)), "-o", str(target), *(["--force"] * force))
    assert code == 2
    assert "FIFO" in one_line(err)
    assert stat.S_ISFIFO(os.lstat(target).st_mode)


@pytest.mark.parametrize("force", [False, True])
def test_a_socket_at_output_is_never_replaced(capsys, force):
    # A short folder: a socket's path has a length limit of about 100 bytes.
    with tempfile.TemporaryDirectory(dir="/tmp") as folder, socket.socket(socket.AF_UNIX) as sock:
        target = Path(folder) / "s"
        sock.bind(str(target))
        scenario = _scenario(Path(folder))
        code, _, err = run_main(capsys, "simulate", str(scenario), "-o", str(target), *(["--force"] * force))
        assert code == 2
        assert "socket" in one_line(err)
        assert stat.S_ISSOCK(os.lstat(target).st_mode)


def test_writer_refuses_a_device_even_with_force():
    # /dev/null is a character device: the writer must refuse before touching it.
    with pytest.raises(cli.InputProblem, match="device"):
        outfile.write("/dev/null", "text", force=True)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_dangling_link_at_output_exists_without_force(tmp_path, capsys):
    link = tmp_path / "out.txt"
    link.symlink_to(tmp_path / "nowhere")
    code, _, err = run_main(capsys, "simulate", str(_scenario(tmp_path)), "-o", str(link))
    assert code == 2
    assert "symbolic link" in one_line(err)
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()
    code, _, err = run_main(capsys, "simulate", str(_scenario(tmp_path)), "-o", str(link), "--force")
    assert code == 2
    one_line(err)
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()


def test_force_through_a_link_replaces_the_file_it_points_at_and_keeps_link_and_mode(tmp_path, capsys):
    real = tmp_path / "real.txt"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "out.txt"
    link.symlink_to(real)
    code, _, err = run_main(capsys, "simulate", str(_scenario(tmp_path)), "-o", str(link), "--force")
    assert code == 0, err
    assert link.is_symlink()
    assert "Undocumented woman identified by DIS" in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_no_clobber_holds_when_another_run_creates_the_file_first(tmp_path, capsys, monkeypatch):
    """The race: between our check and our write, another run creates the same file. Ours must
    fail (exit 2) and leave the other's file whole; no temporary file is left behind."""
    target = tmp_path / "report.txt"
    real_mkstemp = tempfile.mkstemp

    def mkstemp_then_lose_the_race(*args, **kwargs):
        made = real_mkstemp(*args, **kwargs)
        target.write_text("the other run's report")
        return made

    monkeypatch.setattr(outfile.tempfile, "mkstemp", mkstemp_then_lose_the_race)
    scenario = _scenario(tmp_path)
    code, _, err = run_main(capsys, "simulate", str(scenario), "-o", str(target))
    assert code == 2
    assert "exists already" in one_line(err)
    assert target.read_text() == "the other run's report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml", "report.txt"]


def test_a_new_file_gets_the_umask_mode(tmp_path, capsys):
    old = os.umask(0o027)
    try:
        code, _, err = run_main(capsys, "simulate", str(_scenario(tmp_path)), "-o", str(tmp_path / "new.txt"))
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640  # 0o666 & ~0o027


def test_explore_export_never_replaces_a_dangling_link(tmp_path, capsys):
    folder = tmp_path / "paths"
    folder.mkdir()
    (folder / "001-contact-in-progress.yaml").symlink_to(tmp_path / "nowhere")
    code, _, err = run_main(capsys, "explore", "--depth", "1", "--export", str(folder))
    assert code == 2, err
    assert "exists already" in one_line(err)
    assert not (tmp_path / "nowhere").exists()


# ====================================================================== control characters

FORGED = 'title: "Case\\e[2J\\nOutcome: residence permit granted\\rX\\u202e"'


def _forged(tmp_path: Path) -> Path:
    path = tmp_path / "forged.yaml"
    path.write_text(GOOD.replace("title: Undocumented woman identified by DIS", FORGED), encoding="utf-8")
    return path


@pytest.mark.parametrize("format", ["text", "markdown", "html", "json"])
def test_no_raw_control_character_reaches_the_output(tmp_path, capsys, format):
    code, out, err = run_main(capsys, "simulate", str(_forged(tmp_path)), "-f", format)
    assert code == 0, err
    assert "\x1b" not in out and "\r" not in out and "\u202e" not in out
    if format != "html":  # in HTML a line break inside a heading is a space, not a new line
        assert not any(line.startswith("Outcome: residence permit") for line in out.splitlines())


def test_text_report_shows_the_title_escaped(tmp_path, capsys):
    _, out, _ = run_main(capsys, "simulate", str(_forged(tmp_path)))
    assert out.splitlines()[0] == "Case\\x1b[2J\\nOutcome: residence permit granted\\rX\\u202e"


def test_json_keeps_the_title_as_data(tmp_path, capsys):
    import json

    _, out, _ = run_main(capsys, "simulate", str(_forged(tmp_path)), "-f", "json")
    assert json.loads(out)["title"] == "Case\x1b[2J\nOutcome: residence permit granted\rX\u202e"


def test_a_newline_in_a_key_does_not_split_the_one_line_error(tmp_path, capsys):
    path = tmp_path / "key.yaml"
    path.write_text(GOOD.replace("  alias: A", '  "ali\\nas\\e[31m": A'), encoding="utf-8")
    code, _, err = run_main(capsys, "validate", str(path))
    assert code == 2
    assert "ali\\nas\\x1b[31m" in one_line(err)


@pytest.mark.parametrize("flags", [[], ["-O"]])
def test_ics_with_newline_and_cr_in_the_title_is_a_valid_calendar(tmp_path, flags):
    done = casepath("simulate", str(_forged(tmp_path)), "-f", "ics", python_flags=flags, text=False)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")  # read as bytes: text mode would turn CR LF into LF
    body = text.replace("\r\n", "")
    assert "\r" not in body and "\n" not in body and "\x1b" not in text  # no line end outside CR LF
    calendar = Calendar.from_ical(text)
    # GOOD sets reflection_end, extension_request_by, reflection_max_end and departure_deadline:
    # four deadlines in force, four events; the forged title adds none.
    assert len(calendar.walk("VEVENT")) == 4
    assert text.count("BEGIN:VEVENT") == 4


# ====================================================================== bounded time and memory


def test_a_huge_hex_number_is_one_line(tmp_path, capsys):
    path = tmp_path / "hex.yaml"
    path.write_text(GOOD.replace("  born: 1996-05-14", "  age: 0x" + "f" * 4000), encoding="utf-8")
    code, _, err = run_main(capsys, "validate", str(path))
    assert code == 2
    assert ":5:" in one_line(err) and "digits" in err


def _looping_workflow(tmp_path: Path) -> Path:
    """Denmark with a detention limit that, when reached, sets itself again 72 hours on."""
    text = WORKFLOW.read_text(encoding="utf-8")
    original = "  - id: detention_limit_reached\n    event: detention_limit_reached\n"
    assert original in text
    loop = (
        "  - id: detention_limit_rearmed\n"
        "    event: detention_limit_reached\n    from: [held, extended]\n    to: extended\n"
        "    when:\n      - {guard: event_has_time}\n"
        '    do:\n      - {action: set_deadline, id: detention_limit, from: event, plus: "param:detention_period"}\n'
        '    sources:\n      - {doc: tip-2023, section: "Protection", para: 4}\n'
    )
    path = tmp_path / "loop.yaml"
    path.write_text(text.replace(original, loop + original, 1), encoding="utf-8")
    return path


def test_a_timer_that_rearms_itself_stops_with_a_clear_error(tmp_path, capsys):
    import json

    flow = _looping_workflow(tmp_path)
    code, _, err = run_main(capsys, "validate", str(flow))
    assert code == 0, err  # a valid workflow: the loop is only seen when it runs
    scenario = tmp_path / "held.yaml"
    scenario.write_text(
        "casepath: 1\ntitle: Held\nperson: {alias: H, age: 30, citizenship: NG, residence: undocumented}\n"
        "events:\n  - {date: 2022-03-01, event: contact, by: police}\n"
        "  - {date: 2022-03-01T10:00, event: detained}\n"
        "  - {date: 2190-01-01, event: identified, by: dis}\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    code, out, err = run_main(capsys, "simulate", "--workflow", str(flow), str(scenario), "-f", "json")
    assert time.monotonic() - started < 30
    assert code == 1, err
    report = json.loads(out)
    assert report["error"]["code"] == "too_many_automatic_steps"
    assert report["error"]["event"] == 3
    assert sum(e["automatic"] for e in report["events"]) == MAX_AUTOMATIC_STEPS


def test_walk_free_on_endless_nul_input_ends(tmp_path):
    with open("/dev/zero", "rb") as zero:
        done = casepath("walk", "--free", stdin=zero, timeout=60)
    assert done.returncode == 2
    assert "NUL" in done.stderr.splitlines()[-1]


def test_walk_free_on_endless_garbage_ends(tmp_path):
    garbage = "garbage\n" * 10_050
    done = casepath("walk", "--free", input=garbage, timeout=120)
    assert done.returncode == 2
    assert "10,000 answers" in done.stderr.splitlines()[-1]


def test_walk_free_on_one_endless_line_ends(tmp_path):
    done = casepath("walk", "--free", input="A" * 100_000, timeout=60)
    assert done.returncode == 2
    assert "longer than" in done.stderr.splitlines()[-1]


def test_stacked_marks_by_hand():
    # gap 22: x=0 -> level 0; x=0 -> 1; x=10 is within 22 of both -> 2; x=30 is 30 from level 0's
    # last mark -> 0; x=50 is 20 from level 0's last (30) but 50 from level 1's (0) -> 1.
    assert stack_levels([0, 0, 10, 30, 50], 22) == [0, 1, 2, 0, 1]
    assert stack_levels([50, 0], 22) == [0, 0]


def test_marks_on_one_day_are_stacked_fast():
    started = time.monotonic()
    levels = stack_levels([100.0] * 20_000, 22)
    assert levels == list(range(20_000))
    assert time.monotonic() - started < 5  # n log n; the old search was cubic (about 10^12 steps here)


def test_stdout_to_a_full_disk_is_one_line(tmp_path):
    with open("/dev/full", "w") as full:
        done = casepath("simulate", str(EXAMPLE), stdout=full, stderr=subprocess.PIPE, capture_output=False)
    assert done.returncode == 2
    assert "standard output" in one_line(done.stderr)


def test_a_closed_stdout_is_one_line(tmp_path):
    done = casepath(
        "simulate", str(EXAMPLE), stdout=None, stderr=subprocess.PIPE, capture_output=False, preexec_fn=_close_stdout
    )
    assert done.returncode == 2
    assert "standard output" in one_line(done.stderr)


def _close_stdout() -> None:
    os.close(1)


def test_a_rearming_timer_stops_also_when_the_case_is_looked_at_later(tmp_path, capsys):
    import json

    flow = _looping_workflow(tmp_path)
    scenario = tmp_path / "held.yaml"
    scenario.write_text(
        "casepath: 1\ntitle: Held\nperson: {alias: H, age: 30, citizenship: NG, residence: undocumented}\n"
        "events:\n  - {date: 2022-03-01, event: contact, by: police}\n"
        "  - {date: 2022-03-01T10:00, event: detained}\n",
        encoding="utf-8",
    )
    code, out, err = run_main(
        capsys, "simulate", "--workflow", str(flow), str(scenario), "-f", "json", "--on", "2190-01-01"
    )
    assert code == 1, err
    assert json.loads(out)["error"]["code"] == "too_many_automatic_steps"
