"""The README's promises: its example output is real, and its test command is what CI runs."""

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


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "<!-- test-command -->\n```sh\n" in readme
    assert "test-command" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
