"""The docs keep their promises: the README's example output is real, CI runs its test command, and the
workflow format page documents every guard and action of the registry."""

from __future__ import annotations

import re
from pathlib import Path

from casepath import api
from casepath.render import text

ROOT = Path(__file__).resolve().parents[1]


def test_readme_example_output_is_what_casepath_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- example-output -->\n```text\n\$ casepath simulate (\S+)\n(.*?)```", readme, re.S)
    assert block is not None, "the README lost its example output"
    scenario_file, shown = block.group(1), block.group(2)
    scenario = api.load_scenario(ROOT / scenario_file)
    workflow = api.load_workflow(scenario.workflow)
    assert text.render(api.simulate(scenario, workflow), workflow) == shown


def test_readme_agenda_output_is_what_casepath_prints(monkeypatch, capsys) -> None:
    from casepath import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- agenda-output -->\n```text\n\$ casepath (agenda [^\n]*)\n(.*?)```", readme, re.S)
    assert block is not None, "the README lost its agenda output"
    monkeypatch.chdir(ROOT)
    assert cli.main(block.group(1).split()) == 0
    assert capsys.readouterr().out == block.group(2)
    assert "--from 2022-05-23" in block.group(1)  # a fixed day, so the output stays true


def test_readme_shown_outputs_are_what_the_commands_print(monkeypatch, capsys) -> None:
    """Each README block marked `<!-- shown-output -->` is a command and a part of what it prints: the
    lines between two `…` lines must appear, in that order and as they are, in the real output."""
    from casepath import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- shown-output -->\n```text\n\$ casepath ([^\n]*)\n(.*?)```", readme, re.S)
    assert len(blocks) >= 4, "the README lost its shown outputs"
    monkeypatch.chdir(ROOT)
    for command, shown in blocks:
        assert cli.main(command.split()) == 0, command
        printed = capsys.readouterr().out
        at = 0
        for part in re.split(r"^…\n", shown, flags=re.M):
            if part.strip():
                found = printed.find(part, at)
                assert found >= 0, f"{command}: not printed as shown:\n{part}"
                at = found + len(part)


def test_readme_pictures_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^]]*\]\(([^)]+)\)", readme)
    assert "docs/step-through-step-2.png" in pictures and "docs/pathway-track.png" in pictures
    assert all((ROOT / picture).is_file() for picture in pictures)


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "<!-- test-command -->\n```sh\n" in readme
    assert "test-command" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_guard_and_action_of_the_registry_is_documented() -> None:
    from casepath.workflow import registry

    doc = (ROOT / "docs" / "workflow-format.md").read_text(encoding="utf-8")
    for name in [*registry.GUARDS, *registry.ACTIONS]:
        assert f"| `{name}` |" in doc, f"{name} is missing from docs/workflow-format.md"


def test_readme_api_example_runs_and_prints_what_it_shows(capsys) -> None:
    # 30 days after 2010-03-10 is 2010-04-09; the longest period then was 100 days (2010-06-18),
    # and from 2013-07-01 120 days: 2022-03-10 + 120 days = 2022-07-08 (domain.md §3, §6).
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"<!-- api-example -->\n```python\n(.*?)```", readme, re.S)
    shown = re.search(r"<!-- api-output -->\n```text\n(.*?)```", readme, re.S)
    assert code is not None and shown is not None, "the README lost its API example"
    exec(compile(code.group(1), "README.md", "exec"), {})
    assert capsys.readouterr().out == shown.group(1)
    assert "2010-06-18" in shown.group(1) and "2022-07-08" in shown.group(1)


def test_readme_sweep_output_is_what_casepath_prints(monkeypatch, capsys) -> None:
    from casepath import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- sweep-output -->\n```text\n\$ casepath (sweep [^\n]*)\n(.*?)```", readme, re.S)
    assert block is not None, "the README lost its sweep output"
    monkeypatch.chdir(ROOT)
    assert cli.main(block.group(1).split()) == 0
    assert capsys.readouterr().out == block.group(2)
