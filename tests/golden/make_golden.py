"""Write tests/golden/reports.json.gz: the answers of the engine as it stands, to hold later engines to.

    .venv/bin/python tests/golden/make_golden.py

Made once with the engine BEFORE the speed work of issue 14 (commit named in the file), and
never regenerated to make a test pass: `tests/test_same_answers.py` runs the same inputs
through the engine of today and compares the JSON reports. The inputs are stored beside the
answers (the bundled examples by path; 300 generated scenarios as data, from a seeded
generator), so that a later change to the generator cannot change the question.

When main changes an answer on purpose (a rule or a text), make the file again with the engine
of that main commit, not with the engine under test:

    git archive COMMIT src workflows | tar -x -C /tmp/engine
    PYTHONPATH=/tmp/engine/src GOLDEN_ENGINE_COMMIT=COMMIT .venv/bin/python tests/golden/make_golden.py
"""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).with_name("reports.json.gz")
sys.path.insert(0, str(ROOT / "bench"))

import scenarios as generator  # noqa: E402

import casepath  # noqa: E402
from casepath import api  # noqa: E402

GENERATED = 300
SEED = 14


def cases() -> list[dict[str, Any]]:
    """The questions: (what to run, how), without answers."""
    rng = random.Random(SEED)
    out: list[dict[str, Any]] = []
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        name = f"examples/{path.name}"
        out.append({"example": name})
        out.append({"example": name, "steps": True})
        out.append({"example": name, "lang": "da"})
        out.append({"example": name, "on_days_after_last": 400})
        out.append({"example": name, "as_of": "2011-01-01"})
    for data in generator.generate(GENERATED, SEED):
        out.append({"scenario": data})
        out.append({"scenario": data, "on_days_after_last": rng.randint(0, 500)})
    return out


def answer(case: dict[str, Any], workflows: dict[str, Any]) -> Any:
    """The JSON report(s) of one case with the engine importable now."""
    lang = case.get("lang", "en")
    workflow = workflows.get(lang)
    if workflow is None:
        workflow = workflows[lang] = casepath.load_workflow("denmark", lang)
    if "example" in case:
        scenario = casepath.load_scenario(ROOT / case["example"])
        scenario = scenario.model_copy(update={"file": case["example"]})
    else:
        scenario = casepath.scenario_from_dict(case["scenario"], workflow)
    on = None
    if "on_days_after_last" in case and scenario.events:
        on = scenario.events[-1].moment.day + timedelta(days=case["on_days_after_last"])
    as_of = date.fromisoformat(case["as_of"]) if "as_of" in case else None
    report = api.simulate(scenario, workflow, as_of=as_of, on=on, steps=case.get("steps", False))
    if case.get("steps"):
        return [s.report.as_json_data() for s in report.steps or []]
    return report.as_json_data()


def main() -> None:
    commit = os.environ.get("GOLDEN_ENGINE_COMMIT") or subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    workflows: dict[str, Any] = {}
    rows = [{**case, "report": answer(case, workflows)} for case in cases()]
    text = json.dumps({"made_with_commit": commit, "cases": rows}, sort_keys=True) + "\n"
    OUT.write_bytes(gzip.compress(text.encode(), compresslevel=9, mtime=0))
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} cases, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
